/*
 * dev_private.h: init and fini of the device pieces of the VFS faction
 * (the device switches, the buffer cache, etfs), called from vfs_init.c.
 *
 * Order at init: devsw_init, bio_sys_init, etfs_sys_init.  At halt, after
 * every file system is unmounted (vfs_unmount_all) and before the vnode
 * cache goes: etfs_sys_fini (writes back and removes every registration),
 * bio_sys_fini, devsw_fini.
 */
#ifndef _DEV_PRIVATE_H_
#define _DEV_PRIVATE_H_

/* subr_devsw.c: all of the below in order (devsw_init and devsw_fini
 * are in sys/sys/conf.h). */
int dev_sys_init(void);
void dev_sys_fini(void);

/* vfs_bio.c */
int bio_sys_init(void);
void bio_sys_fini(void);

/* vfs_etfs.c */
int etfs_sys_init(void);
void etfs_sys_fini(void);

#endif /* _DEV_PRIVATE_H_ */
