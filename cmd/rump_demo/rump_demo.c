/*
 * rump_demo: boot a rump kernel in this process and show it working.
 *
 * An example of the API: rump_init() boots a kernel from the components
 * linked into the program, rump_sys_* are its system calls (Linux ABI,
 * -1 and errno on error), rump_lwproc_* let one host thread act as
 * several kernel processes, and rump_sys_reboot() halts the kernel.
 *
 * The kernel has the VFS faction with tmpfs as its root and the ext2/3/4
 * driver: the demo makes files as two users, fills a small second tmpfs,
 * writes a tree into an ext4 disk image that mke2fs made (no root, no
 * loop device: the image is a host file that etfs shows as a block
 * device) and has e2fsck check it, and reads and writes a host file.
 *
 * RUMP_HOSTNAME, RUMP_NCPU, RUMP_MEMLIMIT and RUMP_VERBOSE in the
 * environment are read by the kernel at boot.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

static const char *progname = "rump_demo";

/* Say what failed, like coreutils do, and exit. */
static void
die(int error, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(error));
	exit(1);
}

static double
host_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Who the calling thread is inside the kernel. */
static void
show_process(const char *name)
{
	uid_t ruid, euid, suid;

	if (rump_sys_getresuid(&ruid, &euid, &suid) == -1)
		die(errno, "getresuid");
	printf("  %-16s pid %d, parent %d, uid %u (effective %u)\n", name,
	    (int)rump_sys_getpid(), (int)rump_sys_getppid(), (unsigned)ruid,
	    (unsigned)euid);
}

/* A new process, a child of the default one; returns its lwp. */
static struct lwp *
new_process(void)
{
	struct lwp *l;
	int error;

	rump_lwproc_switch(NULL);	/* back to the default process */
	if ((error = rump_lwproc_rfork(RUMP_RFCFDG)) != 0)
		die(error, "rump_lwproc_rfork");
	l = rump_lwproc_curlwp();
	return l;
}

static void
show_processes(void)
{
	struct lwp *alice, *bob;

	printf("Processes (one host thread acting as several):\n");
	show_process("default process");

	alice = new_process();
	if (rump_sys_setuid(1000) == -1)
		die(errno, "setuid 1000");
	show_process("alice, setuid");

	bob = new_process();
	show_process("bob");

	rump_lwproc_switch(alice);
	if (rump_sys_setuid(0) == 0)
		die(EINVAL, "alice got root back with setuid 0");
	printf("  %-16s setuid(0): %s, as it should\n", "alice again",
	    strerror(errno));

	rump_lwproc_releaselwp();	/* alice exits */
	rump_lwproc_switch(bob);
	rump_lwproc_releaselwp();	/* and bob */
	printf("  (both exited; the thread is back in the default process, "
	    "pid %d)\n\n", (int)rump_sys_getpid());
}

static void
show_time_and_randomness(void)
{
	struct timespec rt, mono;
	unsigned char r[16];
	char date[64];
	struct tm tm;
	ssize_t n;
	int i;

	if (rump_sys_clock_gettime(CLOCK_REALTIME, &rt) == -1)
		die(errno, "clock_gettime CLOCK_REALTIME");
	if (rump_sys_clock_gettime(CLOCK_MONOTONIC, &mono) == -1)
		die(errno, "clock_gettime CLOCK_MONOTONIC");
	gmtime_r(&rt.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("Clocks:\n  %-16s %s\n  %-16s %lld.%09ld s\n\n",
	    "realtime", date, "monotonic", (long long)mono.tv_sec,
	    mono.tv_nsec);

	if ((n = rump_sys_getrandom(r, sizeof(r), 0)) == -1)
		die(errno, "getrandom");
	printf("Randomness (getrandom, %zd bytes):\n  ", n);
	for (i = 0; i < n; i++)
		printf("%02x", r[i]);
	printf("\n\n");
}

/* Write a whole string to a new file in the kernel. */
static void
put_file(const char *path, mode_t mode, const char *text)
{
	int fd;

	if ((fd = rump_sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, mode)) == -1)
		die(errno, "open %s", path);
	if (rump_sys_write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(errno, "write %s", path);
	rump_sys_close(fd);
}

/* ls -l of a directory in the kernel: getdents64, then lstat. */
static void
list_dir(const char *dir)
{
	char buf[4096], path[512];
	struct dirent64 *d;
	struct stat st;
	ssize_t n, off;
	int fd;

	if ((fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		die(errno, "open %s", dir);
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			if (rump_sys_lstat(path, &st) == -1)
				die(errno, "lstat %s", path);
			printf("    %06o %4u %4u %6lld  %s\n", st.st_mode,
			    st.st_uid, st.st_gid, (long long)st.st_size,
			    d->d_name);
		}
	}
	if (n == -1)
		die(errno, "getdents64 %s", dir);
	rump_sys_close(fd);
}

static void
show_files(void)
{
	struct lwp *alice;
	struct statfs sf;
	char buf[70 * 1024];
	ssize_t n;

	printf("Files (tmpfs is the root file system):\n");
	if (rump_sys_mkdir("/home", 0755) == -1 ||
	    rump_sys_mkdir("/home/alice", 0700) == -1)
		die(errno, "mkdir /home/alice");
	if (rump_sys_chown("/home/alice", 1000, 1000) == -1)
		die(errno, "chown /home/alice");

	alice = new_process();
	if (rump_sys_setresgid(1000, 1000, 1000) == -1 ||
	    rump_sys_setresuid(1000, 1000, 1000) == -1)
		die(errno, "setresuid 1000");
	put_file("/home/alice/notes.txt", 0600, "alice was here\n");
	if (rump_sys_symlink("notes.txt", "/home/alice/latest") == -1)
		die(errno, "symlink");
	if (rump_sys_open("/home/forbidden", O_CREAT | O_WRONLY, 0644) != -1)
		die(EINVAL, "alice created a file in /home");
	printf("  alice (uid 1000) made /home/alice/notes.txt; creating "
	    "/home/forbidden: %s\n", strerror(errno));
	rump_lwproc_switch(alice);
	rump_lwproc_releaselwp();
	printf("  ls -l /home/alice, as root:\n");
	list_dir("/home/alice");

	/* A second tmpfs, 64 KiB, filled past its size. */
	if (rump_sys_mkdir("/small", 0755) == -1 ||
	    rump_sys_mount("tmpfs", "/small", "tmpfs", 0, "size=64k") == -1)
		die(errno, "mount tmpfs on /small");
	memset(buf, 'x', sizeof(buf));
	{
		int fd = rump_sys_open("/small/big", O_CREAT | O_WRONLY, 0644);

		if (fd == -1)
			die(errno, "open /small/big");
		n = rump_sys_write(fd, buf, sizeof(buf));
		printf("  a tmpfs of 64 KiB on /small: writing 70 KiB wrote "
		    "%zd bytes; ", n);
		if (rump_sys_write(fd, buf, 1) != -1)
			die(EINVAL, "a full tmpfs took more");
		printf("one more byte: %s\n", strerror(errno));
		rump_sys_close(fd);
	}
	if (rump_sys_statfs("/small", &sf) == -1)
		die(errno, "statfs /small");
	printf("  statfs /small: type %#lx, %llu blocks of %ld bytes, %llu "
	    "free\n", (unsigned long)sf.f_type,
	    (unsigned long long)sf.f_blocks, (long)sf.f_bsize,
	    (unsigned long long)sf.f_bfree);
	if (rump_sys_umount2("/small", 0) == -1)
		die(errno, "umount /small");
	printf("\n");
}

/*
 * Run a host tool (mke2fs, e2fsck, debugfs) from wherever e2fsprogs put
 * it, its output indented or dropped; its exit status, or -1 if it is
 * not there.
 */
static int
run_tool(const char *tool, char *const argv[], bool show)
{
	static const char *dirs[] = { "/sbin", "/usr/sbin", "/usr/bin", "/bin" };
	char path[64], line[256];
	unsigned int i;
	int pfd[2], status;
	FILE *f;
	pid_t pid;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], tool);
		if (access(path, X_OK) == 0)
			break;
	}
	if (i == sizeof(dirs) / sizeof(dirs[0]) || pipe(pfd) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		execv(path, argv);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (fgets(line, sizeof(line), f) != NULL)
		if (show)
			printf("    | %s", line);
	fclose(f);
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* An ext4 image made by mke2fs, written by our driver, checked by e2fsck. */
static void
show_ext4(void)
{
	char img[] = "/tmp/rump_demo_ext4.XXXXXX", path[64], buf[8192];
	struct statfs sf;
	struct stat st;
	int fd, hfd, error, i;

	printf("A disk image (ext4 made by mke2fs, written by this kernel's "
	    "driver):\n");
	if ((hfd = mkstemp(img)) == -1 || ftruncate(hfd, 64 << 20) == -1)
		die(errno, "%s", img);
	close(hfd);
	if (run_tool("mke2fs", (char *[]){ "mke2fs", "-q", "-F", "-t", "ext4",
	    img, NULL }, false) != 0) {
		printf("  (skipped: mke2fs, from e2fsprogs, is not installed)\n\n");
		unlink(img);
		return;
	}
	if ((error = rump_pub_etfs_register("/dev/xbd0", img,
	    RUMP_ETFS_BLK)) != 0)
		die(error, "rump_pub_etfs_register %s", img);
	if (rump_sys_mkdir("/mnt", 0755) == -1 ||
	    rump_sys_mount("/dev/xbd0", "/mnt", "ext4", 0, NULL) == -1)
		die(errno, "mount /dev/xbd0 on /mnt");
	printf("  %s is /dev/xbd0 in the kernel, mounted on /mnt\n", img);

	put_file("/mnt/hello.txt", 0644, "Hello from a rump kernel's ext4 "
	    "driver.\n");
	if (rump_sys_mkdir("/mnt/src", 0755) == -1)
		die(errno, "mkdir /mnt/src");
	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "/mnt/src/file%03d.c", i);
		if ((fd = rump_sys_open(path, O_CREAT | O_WRONLY, 0644)) == -1 ||
		    rump_sys_write(fd, buf, 1000 + 70 * i) == -1)
			die(errno, "write %s", path);
		rump_sys_close(fd);
	}
	if ((fd = rump_sys_open("/mnt/sparse", O_CREAT | O_WRONLY, 0644)) ==
	    -1 || rump_sys_pwrite(fd, "end", 3, 5LL << 30) == -1)
		die(errno, "write /mnt/sparse");
	rump_sys_close(fd);
	if (rump_sys_symlink("src/file042.c", "/mnt/latest") == -1 ||
	    rump_sys_rename("/mnt/src/file099.c", "/mnt/moved.c") == -1)
		die(errno, "symlink and rename in /mnt");
	if (rump_sys_stat("/mnt/sparse", &st) == -1 ||
	    rump_sys_statfs("/mnt", &sf) == -1)
		die(errno, "stat /mnt");
	printf("  wrote hello.txt, 100 files in src/, a symlink, a rename, "
	    "and a sparse file of\n  %lld bytes that uses %lld KiB; statfs: "
	    "type %#lx, %llu of %llu blocks free\n", (long long)st.st_size,
	    (long long)st.st_blocks / 2, (unsigned long)sf.f_type,
	    (unsigned long long)sf.f_bfree, (unsigned long long)sf.f_blocks);
	if (rump_sys_umount2("/mnt", 0) == -1)
		die(errno, "umount /mnt");
	if ((error = rump_pub_etfs_remove("/dev/xbd0")) != 0)
		die(error, "rump_pub_etfs_remove");

	printf("  unmounted; the host's e2fsck -fn says:\n");
	error = run_tool("e2fsck", (char *[]){ "e2fsck", "-fn", img, NULL },
	    true);
	printf("  (exit status %d: %s)\n", error,
	    error == 0 ? "no problems" : "PROBLEMS");
	printf("  and the host's debugfs reads /hello.txt back:\n");
	run_tool("debugfs", (char *[]){ "debugfs", "-R", "cat /hello.txt",
	    img, NULL }, true);
	unlink(img);
	if (error != 0)
		die(EUCLEAN, "e2fsck found problems in the image");
	printf("\n");
}

/* etfs: a host file seen, read and written through the kernel. */
static void
show_etfs(void)
{
	char hostpath[] = "/tmp/rump_demo.XXXXXX", buf[256];
	const char *text = "written by the host\n";
	ssize_t n;
	int hfd, fd, error;

	printf("A host file inside the kernel (etfs):\n");
	if ((hfd = mkstemp(hostpath)) == -1)
		die(errno, "mkstemp %s", hostpath);
	if (write(hfd, text, strlen(text)) != (ssize_t)strlen(text))
		die(errno, "write %s", hostpath);
	if ((error = rump_pub_etfs_register("/host.txt", hostpath,
	    RUMP_ETFS_REG)) != 0)
		die(error, "rump_pub_etfs_register %s", hostpath);
	if ((fd = rump_sys_open("/host.txt", O_RDWR | O_APPEND)) == -1)
		die(errno, "open /host.txt");
	if ((n = rump_sys_read(fd, buf, sizeof(buf) - 1)) == -1)
		die(errno, "read /host.txt");
	buf[n] = '\0';
	printf("  %s is /host.txt in the kernel; the kernel reads: %s", hostpath,
	    buf);
	text = "and appended by the kernel\n";
	if (rump_sys_write(fd, text, strlen(text)) == -1 ||
	    rump_sys_fsync(fd) == -1)
		die(errno, "write /host.txt");
	rump_sys_close(fd);
	if ((error = rump_pub_etfs_remove("/host.txt")) != 0)
		die(error, "rump_pub_etfs_remove");
	if ((n = pread(hfd, buf, sizeof(buf) - 1, 0)) == -1)
		die(errno, "read %s", hostpath);
	buf[n] = '\0';
	printf("  the host file now holds:\n");
	for (char *line = strtok(buf, "\n"); line != NULL;
	    line = strtok(NULL, "\n"))
		printf("    %s\n", line);
	close(hfd);
	unlink(hostpath);
	printf("\n");
}

int
main(void)
{
	struct utsname u;
	double t0, t1;
	int error;

	t0 = host_ms();
	if ((error = rump_init()) != 0)
		die(error, "rump_init");
	t1 = host_ms();
	printf("Booted a rump kernel in %.3f ms.\n\n", t1 - t0);

	if (rump_sys_uname(&u) == -1)
		die(errno, "uname");
	printf("uname (from inside the kernel):\n");
	printf("  %-16s %s\n  %-16s %s\n  %-16s %s\n  %-16s %s\n\n",
	    "sysname", u.sysname, "nodename", u.nodename, "release",
	    u.release, "machine", u.machine);

	show_processes();
	show_files();
	show_ext4();
	show_etfs();
	show_time_and_randomness();

	t0 = host_ms();
	if (rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1)
		die(errno, "reboot");
	t1 = host_ms();
	printf("Halted the kernel in %.3f ms; its threads are joined and its "
	    "memory freed.\n", t1 - t0);
	if (rump_sys_getpid() != -1 || errno != ENXIO)
		die(EINVAL, "a system call after the halt did not fail");
	return 0;
}
