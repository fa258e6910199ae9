/*
 * dirent.h: the directory entries getdents64(2) returns (Linux's struct
 * linux_dirent64) and the d_type values.
 */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;		/* the cookie of the next entry */
	uint16_t d_reclen;	/* 8-aligned record length */
	uint8_t d_type;
	char d_name[];		/* NUL-terminated */
};
#define DIRENT64_RECLEN(namelen) \
	((offsetof(struct dirent64, d_name) + (namelen) + 1 + 7) & ~(size_t)7)

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

#endif /* _SYS_DIRENT_H_ */
