/*
 * reboot.h: the magic numbers and commands of Linux's reboot(2)
 * (linux/reboot.h).  kern_reboot.c says what each does in a rump kernel.
 */
#ifndef _SYS_REBOOT_H_
#define _SYS_REBOOT_H_

#define LINUX_REBOOT_MAGIC1 0xfee1deadU
#define LINUX_REBOOT_MAGIC2 672274793U		/* 0x28121969 */
#define LINUX_REBOOT_MAGIC2A 85072278U		/* 0x05121996 */
#define LINUX_REBOOT_MAGIC2B 369367448U		/* 0x16041998 */
#define LINUX_REBOOT_MAGIC2C 537993216U		/* 0x20112000 */

#define LINUX_REBOOT_CMD_RESTART 0x01234567U
#define LINUX_REBOOT_CMD_HALT 0xcdef0123U
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdefU
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000U
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcU
#define LINUX_REBOOT_CMD_RESTART2 0xa1b2c3d4U
#define LINUX_REBOOT_CMD_SW_SUSPEND 0xd000fce2U
#define LINUX_REBOOT_CMD_KEXEC 0x45584543U

#endif /* _SYS_REBOOT_H_ */
