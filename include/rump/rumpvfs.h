/*
 * rumpvfs.h: the public interface of the VFS faction beyond the system
 * calls: etfs, which makes host files visible inside a rump kernel.
 *
 * rump_pub_etfs_register(key, hostpath, type) makes the absolute path
 * key inside the kernel stand for the host file hostpath:
 *   RUMP_ETFS_REG  a regular file whose contents are the host file's;
 *   RUMP_ETFS_BLK  a block device node (through the buffer cache: what a
 *                  file system driver mounts);
 *   RUMP_ETFS_CHR  a character device node (raw I/O).
 * The parent directory of key must exist; key must not.  The host file is
 * opened read-write, or read-only when the host refuses writing (the
 * node's mode is then 0444, else 0644).  _withsize exposes only the
 * window [begin, begin + size) of the host file; size RUMP_ETFS_SIZE_ENDOFF
 * means up to the host file's end (for REG the end as it moves: writes may
 * extend the file).  Writes past a window's end are ENOSPC.  A block
 * device's size is the window rounded down to 512 bytes.
 *
 * rump_pub_etfs_remove(key) undoes a registration: dirty blocks are
 * written back, the node is removed, the host file closed.  EBUSY while
 * the key is open or mounted, ENOENT when key is not registered.  Every
 * registration is removed when the kernel halts.
 *
 * The directory types (RUMP_ETFS_DIR, RUMP_ETFS_DIR_SUBDIRS) are not
 * supported: EOPNOTSUPP.
 *
 * Each call enters the kernel itself and returns 0 or an errno value
 * (not -1): ENXIO when no kernel runs, the host's error when the host
 * file cannot be used (ENOENT, EACCES, EISDIR...), EEXIST when key
 * exists, ENOENT when its parent does not, EINVAL for a relative key, an
 * unknown type or a window that starts past the host file's end.
 */
#ifndef _RUMP_RUMPVFS_H_
#define _RUMP_RUMPVFS_H_

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR,
	RUMP_ETFS_DIR,		/* not supported */
	RUMP_ETFS_DIR_SUBDIRS	/* not supported */
};

#define RUMP_ETFS_SIZE_ENDOFF ((uint64_t)-1)

int rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type);
int rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type, uint64_t begin, uint64_t size);
int rump_pub_etfs_remove(const char *key);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPVFS_H_ */
