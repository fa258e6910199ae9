/*
 * fcntl.h: open flags, *at() flags, fcntl commands and file handles,
 * Linux x86-64 values (asm-generic/fcntl.h, linux/fcntl.h, the
 * name_to_handle_at(2) manual page).
 */
#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DSYNC 00010000
#define O_ASYNC 00020000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define __O_SYNC 04000000
#define O_SYNC (__O_SYNC | O_DSYNC)
#define O_PATH 010000000
#define __O_TMPFILE 020000000
#define O_TMPFILE (__O_TMPFILE | O_DIRECTORY)
#define O_NDELAY O_NONBLOCK

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_STATX_SYNC_TYPE 0x6000
#define AT_HANDLE_FID 0x200		/* name_to_handle_at: to compare only */

/*
 * name_to_handle_at and open_by_handle_at: a handle names a file of a
 * mount by its identity, not by a path.  handle_bytes is the size of
 * f_handle (in: the room the caller gives, out: what the handle takes);
 * handle_type and the bytes are the file system's business, opaque to
 * the caller.
 */
#define MAX_HANDLE_SZ 128
struct file_handle {
	unsigned int handle_bytes;
	int handle_type;
	unsigned char f_handle[];
};

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

/* renameat2 */
#define RENAME_NOREPLACE 0x1
#define RENAME_EXCHANGE 0x2
#define RENAME_WHITEOUT 0x4

/* access */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

#endif /* _SYS_FCNTL_H_ */
