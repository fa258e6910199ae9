/*
 * unistd.h: pathconf names (glibc's _PC_* numbering), the questions a
 * file system's vop_pathconf answers.
 */
#ifndef _SYS_UNISTD_H_
#define _SYS_UNISTD_H_

#define _PC_LINK_MAX 0
#define _PC_MAX_CANON 1
#define _PC_MAX_INPUT 2
#define _PC_NAME_MAX 3
#define _PC_PATH_MAX 4
#define _PC_PIPE_BUF 5
#define _PC_CHOWN_RESTRICTED 6
#define _PC_NO_TRUNC 7
#define _PC_VDISABLE 8
#define _PC_FILESIZEBITS 13
#define _PC_SYMLINK_MAX 19

#endif /* _SYS_UNISTD_H_ */
