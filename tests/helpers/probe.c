/* probe - report what the process it runs as can see and do; exit 0.
 *
 * Installed as the PHP_CGI of the test build, so the launcher execs it as the
 * worker. Prints "key=value" lines on stdout:
 *   ran=1, argc, argv0.., ruid/euid/suid, rgid/egid/sgid, groups (sorted),
 *   cwd, env=NAME=value (one per entry), fds (open descriptors), link0..2
 *   (what fds 0..2 point to), fd0 (listening | not-listening | an errno
 *   name), the Cap*, NoNewPrivs and
 *   Seccomp lines of /proc/self/status, and sys.NAME=RESULT for syscalls each
 *   tried in a forked child: "ok", an errno name (EPERM, ENOSYS...) or
 *   "signal=N" when the child was killed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* clone3's argument, spelled out so the helper does not depend on header versions. */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static void report_ids(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[1024];
	int n = getgroups(1024, groups);

	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	printf("ruid=%u\neuid=%u\nsuid=%u\nrgid=%u\negid=%u\nsgid=%u\n",
	       ru, eu, su, rg, eg, sg);
	printf("groups=");
	if (n > 0) {
		qsort(groups, (size_t)n, sizeof(gid_t), cmp_gid);
		for (int i = 0; i < n; i++)
			printf("%s%u", i ? "," : "", groups[i]);
	}
	printf("\n");
}

static void report_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fds[1024], n = 0, opt = 0;
	socklen_t len = sizeof(opt);

	if (d) {
		while ((e = readdir(d)) && n < 1024)
			if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
				fds[n++] = atoi(e->d_name);
		closedir(d);
	}
	qsort(fds, (size_t)n, sizeof(int), cmp_int);
	printf("fds=");
	for (int i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", fds[i]);
	printf("\n");
	for (int fd = 0; fd <= 2; fd++) { /* what fds 0..2 are: link0=socket:[123] */
		char path[32], target[256];
		ssize_t r;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = readlink(path, target, sizeof(target) - 1);
		target[r < 0 ? 0 : r] = '\0';
		printf("link%d=%s\n", fd, r < 0 ? strerrorname_np(errno) : target);
	}
	if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &opt, &len) < 0)
		printf("fd0=%s\n", strerrorname_np(errno));
	else
		printf("fd0=%s\n", opt ? "listening" : "not-listening");
}

static void report_status(void)
{
	static const char *keys[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
				      "NoNewPrivs", "Seccomp", "SigBlk", "SigIgn", NULL };
	FILE *f = fopen("/proc/self/status", "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *v;

		if (!colon)
			continue;
		*colon = '\0';
		for (int i = 0; keys[i]; i++) {
			if (strcmp(line, keys[i]) == 0) {
				for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
					;
				printf("%s=%s", line, v); /* v ends with '\n' */
			}
		}
	}
	fclose(f);
}

/* ---- syscalls: each returns 0 or an errno value, in a child ---- */

static int res(long r) { return r < 0 ? errno : 0; }

static int reap(pid_t pid)
{
	int st;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	return waitpid(pid, &st, 0) == pid ? 0 : errno;
}

static int t_setuid(void) { return res(setuid(getuid())); }

static int t_setgroups_self(void)
{
	gid_t g[1024];
	int n = getgroups(1024, g);

	return n < 0 ? errno : res(setgroups((size_t)n, g));
}

static int t_unshare_user(void) { return res(unshare(CLONE_NEWUSER)); }
static int t_unshare_net(void) { return res(unshare(CLONE_NEWNET)); }

static int t_clone_newns(void)
{
	return reap((pid_t)syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0));
}

static int t_clone_newuser(void)
{
	return reap((pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
}

static int t_clone3(void)
{
	struct clone3_args a = { .exit_signal = SIGCHLD };

	return reap((pid_t)syscall(SYS_clone3, &a, sizeof(a)));
}

static int t_ptrace_traceme(void) { return res(ptrace(PTRACE_TRACEME, 0, 0, 0)); }

static int t_process_vm_readv(void)
{
	char src[8] = "secret", dst[8];
	struct iovec l = { dst, sizeof(dst) }, r = { src, sizeof(src) };

	return res(process_vm_readv(getpid(), &l, 1, &r, 1, 0));
}

static int t_personality32(void) { return res(personality(PER_LINUX32)); }
static int t_personality_query(void) { return res(personality(0xffffffff)); }

static int t_keyctl(void)
{
	/* KEYCTL_GET_KEYRING_ID (0) of KEY_SPEC_SESSION_KEYRING (-3), no create */
	return res(syscall(SYS_keyctl, 0, -3, 0));
}

static int t_io_uring_setup(void)
{
	char params[120] = { 0 }; /* struct io_uring_params */

	return res(syscall(SYS_io_uring_setup, 1, params));
}

static int t_userfaultfd(void)
{
	return res(syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */));
}

static int t_perf_event_open(void)
{
	/* struct perf_event_attr: type SOFTWARE (1), size, config TASK_CLOCK (1),
	 * exclude_kernel and exclude_hv set; user-only self-monitoring. */
	uint64_t attr[16] = { 0 };

	attr[0] = 1 | ((uint64_t)sizeof(attr) << 32);
	attr[1] = 1;
	attr[5] = (1u << 5) | (1u << 6); /* flags word: exclude_kernel, exclude_hv */
	return res(syscall(SYS_perf_event_open, attr, 0, -1, -1, 0));
}

static int t_bpf(void)
{
	char attr[128] = { 0 };

	return res(syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof(attr)));
}

static int t_tiocsti(void)
{
	/* on /dev/null: ENOTTY without a filter, and never reaches a terminal */
	int fd = open("/dev/null", O_RDWR);
	char c = 'x';

	return fd < 0 ? errno : res(ioctl(fd, TIOCSTI, &c));
}

static int t_x32(void) { return res(syscall(0x40000000 | SYS_getpid)); }
static int t_fork(void) { return reap(fork()); }

static int t_mount(void)
{
	return res(mount("none", "/nonexistent-fsx-probe", "tmpfs", 0, NULL));
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "setuid", t_setuid },
	{ "setgroups_self", t_setgroups_self },
	{ "unshare_user", t_unshare_user },
	{ "unshare_net", t_unshare_net },
	{ "clone_newns", t_clone_newns },
	{ "clone_newuser", t_clone_newuser },
	{ "clone3", t_clone3 },
	{ "ptrace_traceme", t_ptrace_traceme },
	{ "process_vm_readv", t_process_vm_readv },
	{ "personality32", t_personality32 },
	{ "personality_query", t_personality_query },
	{ "keyctl", t_keyctl },
	{ "io_uring_setup", t_io_uring_setup },
	{ "userfaultfd", t_userfaultfd },
	{ "perf_event_open", t_perf_event_open },
	{ "bpf", t_bpf },
	{ "tiocsti", t_tiocsti },
	{ "x32", t_x32 },
	{ "fork", t_fork },
	{ "mount", t_mount },
};

static void run_test(const char *name, int (*fn)(void))
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("sys.%s=fork-failed:%s\n", name, strerrorname_np(errno));
		return;
	}
	if (pid == 0) {
		alarm(5);
		_exit(fn());
	}
	if (waitpid(pid, &st, 0) != pid)
		printf("sys.%s=wait-failed\n", name);
	else if (WIFSIGNALED(st))
		printf("sys.%s=signal=%d\n", name, WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0)
		printf("sys.%s=ok\n", name);
	else if (strerrorname_np(WEXITSTATUS(st)))
		printf("sys.%s=%s\n", name, strerrorname_np(WEXITSTATUS(st)));
	else
		printf("sys.%s=errno%d\n", name, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	struct rlimit nocore = { 0, 0 };
	char cwd[4096];
	extern char **environ;

	setrlimit(RLIMIT_CORE, &nocore); /* SIGSYS would dump core into the docroot */
	printf("ran=1\nargc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv%d=%s\n", i, argv[i]);
	report_ids();
	printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : strerrorname_np(errno));
	for (char **e = environ; *e; e++)
		printf("env=%s\n", *e);
	report_fds();
	report_status();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		run_test(tests[i].name, tests[i].fn);
	return 0;
}
