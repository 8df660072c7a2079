/* probe - report what the process it runs as can see and do; exit 0.
 *
 * Installed as the PHP_CGI of the test build, so the launcher execs it as the
 * worker, under Landlock: it reads nothing from /proc (but in the w.* cases
 * below). Prints "key=value" lines on stdout:
 *   ran=1, argc, argv0.., ruid/euid/suid, rgid/egid/sgid, groups (sorted),
 *   cwd, env=NAME=value (one per entry), fds (open descriptors, by fcntl over
 *   0..1023), link0..2 (readlink of /proc/self/fd/N, or an errno name: for
 *   diagnostics), stat0..2 (what fds 0..2 are, by fstat: "chr:MAJ,MIN",
 *   "sock", "fifo", "reg", "dir", or an errno name), fd0 (listening |
 *   not-listening | an errno name), sockN=INODE,listening|not-listening,ADDRESS
 *   for each socket descriptor N (ADDRESS: the unix path or 127.0.0.1:PORT, "?");
 *   the process status as /proc/self/status would show it, from system calls:
 *   CapInh/CapPrm/CapEff (capget), CapBnd (PR_CAPBSET_READ), CapAmb
 *   (PR_CAP_AMBIENT_IS_SET), NoNewPrivs, Seccomp (PR_GET_SECCOMP), SigBlk
 *   (rt_sigprocmask), SigIgn (rt_sigaction), in the same format (16 hex
 *   digits, or a decimal number); landlock_abi (what the kernel offers);
 *   sys.NAME=RESULT for syscalls each tried in a forked child: "ok", an errno
 *   name (EPERM, ENOSYS...) or "signal=N" when the child was killed;
 *   ll.NAME=RESULT, the same for file, network and scope accesses, when argv
 *   holds "-d open_basedir=DOCROOT:TMP", or "-d upload_tmp_dir=TMP" with the cwd as DOCROOT
 *   (as the launcher passes them): see
 *   ll_tests[] below. "setup-failed" means the probe could not prepare the
 *   case, "no-target" that DOCROOT/probe-targets did not name one. Other
 *   sites and homes are looked for under TESTROOT, TMP's grandparent
 *   (TMP = TMP_BASE/user, TMP_BASE = TESTROOT/tmp in the test build):
 *   TESTROOT/www, TESTROOT/home/fsxbob, TESTROOT/home/fsxalice, and another
 *   site's file, TESTROOT/www/bob/secret.php unless probe-targets names one.
 *   Everything a case makes (.probe-* in DOCROOT and TMP, fsx-probe-* in
 *   /tmp and /var/tmp) is removed again.
 *
 * w.VERB.LABEL=RESULT, the site's world (tests/37-world.t), when the working
 * directory holds a file "probe-world" (w.file=read): one case a line, "VERB
 * LABEL ARG...", each run in a child; RESULT is an errno name when the call
 * failed, else:
 *   write PATH TEXT     ok (TEXT written, the file made 0644)
 *   read PATH           the file's first line
 *   unlink PATH         ok
 *   stat PATH           uid=OWNER (a /proc/PID that hidepid hides: ENOENT)
 *   readlink PATH       the link's target (/proc/self/ns/ipc: ipc:[INODE])
 *   status PATH         uid=R,E,S,FS, the Uid line of a /proc/PID/status
 *   proc_uids           the owners of the processes /proc lists: 0,1001...
 *   proc_child          uid=OWNER of a child's /proc/PID (same user and domain)
 *   connect PATH        ok (a unix stream socket listens at PATH)
 *   shm_make KEY MODE TEXT, sem_make KEY VALUE
 *                       ok (a new SysV segment holding TEXT; a semaphore set
 *                       of one, 0644, at VALUE)
 *   shm_read KEY, sem_read KEY
 *                       the segment's text, the semaphore's value (ENOENT:
 *                       no such key in this IPC namespace)
 *   shm_rm KEY, sem_rm KEY   ok
 *   mnt PATH            the per-mount options (rw,nosuid,nodev,noexec,...) of
 *                       the mount statx(STATX_MNT_ID) reports for PATH, found
 *                       in /proc/self/mountinfo ("not-found" if not there);
 *                       also w.mnt.LABEL.id, .point, .fs, .super
 *   exec DIR LOADER     /bin/true copied into DIR (w.exec.LABEL.copy) and run:
 *                       .direct (execve of its absolute path), .relative
 *                       ("./NAME" from DIR), .loader ("LOADER ./NAME" from
 *                       DIR), .mmap (mapped PROT_EXEC, as the loader does):
 *                       ok, an errno name, exit=N or signal=N; then removed
 * "signal=N" for a case whose child was killed. KEY is decimal or 0x hex.
 *
 * "probe --read FILE" only reads FILE and exits 0 or with the errno.
 * "probe --world" runs only the cases of ./probe-world (w.file=ENOENT when
 * there is none): the controls, outside the launcher.
 *
 * sys.chmod_home_0777 aims at HOME, sys.chmod_outside_0666 at
 * ../.fsx-probe-outside (beside the docroot, the cwd under the launcher; laid
 * there by the test), each put back to its mode, and neither run as root;
 * the other metadata cases use scratch files .probe-* in TMPDIR (or /tmp).
 *
 * DOCROOT/probe-targets, written by the test before the launch, names what
 * lives outside the worker, one "key=value" a line: tcp=PORT (a TCP listener
 * on 127.0.0.1), abstract=NAME (a listening abstract unix socket), pid=PID
 * (a process of the same user), secret=PATH (another site's file),
 * link=PATH (a symlink in the site to another site's file, made by root as an
 * SFTP upload would), dacw=PATH (a file outside the site the user may write
 * by file modes: ll.truncate_outside truncates it to 0 bytes).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

/* clone3's argument, spelled out so the helper does not depend on header versions. */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* The kernel's struct sigaction, for the raw rt_sigaction (glibc refuses 32, 33). */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

#define SETUP_FAILED 254 /* a child's exit code: the case could not be prepared */
#define NO_TARGET 253    /* a child's exit code: probe-targets names no target */

static int cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

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
	int opt = 0, first = 1;
	socklen_t len = sizeof(opt);

	printf("fds=");
	for (int fd = 0; fd < 1024; fd++) {
		if (fcntl(fd, F_GETFD) == -1)
			continue;
		printf("%s%d", first ? "" : ",", fd);
		first = 0;
	}
	printf("\n");
	for (int fd = 0; fd <= 2; fd++) { /* what fds 0..2 are: link0=socket:[123] */
		char path[32], target[256];
		ssize_t r;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = readlink(path, target, sizeof(target) - 1);
		target[r < 0 ? 0 : r] = '\0';
		printf("link%d=%s\n", fd, r < 0 ? strerrorname_np(errno) : target);
	}
	for (int fd = 0; fd <= 2; fd++) { /* the same, by fstat: stat2=chr:1,3 */
		struct stat st;

		printf("stat%d=", fd);
		if (fstat(fd, &st) != 0)
			printf("%s\n", strerrorname_np(errno));
		else if (S_ISCHR(st.st_mode))
			printf("chr:%u,%u\n", major(st.st_rdev), minor(st.st_rdev));
		else
			printf("%s\n", S_ISSOCK(st.st_mode) ? "sock" : S_ISFIFO(st.st_mode) ? "fifo" :
			       S_ISREG(st.st_mode) ? "reg" : S_ISDIR(st.st_mode) ? "dir" : "other");
	}
	if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &opt, &len) < 0)
		printf("fd0=%s\n", strerrorname_np(errno));
	else
		printf("fd0=%s\n", opt ? "listening" : "not-listening");
	for (int fd = 0; fd < 1024; fd++) { /* each socket: sockN=INODE,listening,ADDRESS (-w fpm's fd N) */
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char addr[INET_ADDRSTRLEN + sizeof(((struct sockaddr_un *)0)->sun_path)] = "?";
		struct stat st;

		len = sizeof(opt);
		if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
			continue;
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 && ss.ss_family == AF_UNIX)
			snprintf(addr, sizeof(addr), "%s", ((struct sockaddr_un *)&ss)->sun_path);
		else if (sl > 0 && ss.ss_family == AF_INET && inet_ntop(AF_INET,
			 &((struct sockaddr_in *)&ss)->sin_addr, addr, INET_ADDRSTRLEN) != NULL)
			snprintf(addr + strlen(addr), sizeof(addr) - strlen(addr), ":%u",
				 ntohs(((struct sockaddr_in *)&ss)->sin_port));
		printf("sock%d=%lu,%s,%s\n", fd, (unsigned long)st.st_ino,
		       getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &opt, &len) == 0 && opt ?
		       "listening" : "not-listening", addr);
	}
}

/* What /proc/self/status shows, without /proc (Landlock denies it). */
static void report_status(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	uint64_t bnd = 0, amb = 0, blk = 0, ign = 0;
	int r;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0) {
		printf("CapInh=%s\nCapPrm=%s\nCapEff=%s\n", strerrorname_np(errno),
		       strerrorname_np(errno), strerrorname_np(errno));
	} else {
		printf("CapInh=%016llx\n", (unsigned long long)data[1].inheritable << 32 |
		       data[0].inheritable);
		printf("CapPrm=%016llx\n", (unsigned long long)data[1].permitted << 32 |
		       data[0].permitted);
		printf("CapEff=%016llx\n", (unsigned long long)data[1].effective << 32 |
		       data[0].effective);
	}
	/* capabilities 0..63, up to the first the kernel does not know (EINVAL);
	 * a failure on capability 0 is reported, never taken for an empty set */
	for (int c = 0; c < 64 && (r = prctl(PR_CAPBSET_READ, c, 0, 0, 0)) >= 0; c++)
		bnd |= (uint64_t)(r == 1) << c;
	if (prctl(PR_CAPBSET_READ, 0, 0, 0, 0) < 0)
		printf("CapBnd=%s\n", strerrorname_np(errno));
	else
		printf("CapBnd=%016llx\n", (unsigned long long)bnd);
	for (int c = 0; c < 64 &&
	     (r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0)) >= 0; c++)
		amb |= (uint64_t)(r == 1) << c;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0) < 0)
		printf("CapAmb=%s\n", strerrorname_np(errno));
	else
		printf("CapAmb=%016llx\n", (unsigned long long)amb);
	r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	printf("NoNewPrivs=%s\n", r < 0 ? strerrorname_np(errno) : r ? "1" : "0");
	r = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	if (r < 0)
		printf("Seccomp=%s\n", strerrorname_np(errno));
	else
		printf("Seccomp=%d\n", r);
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blk, sizeof(blk)) != 0)
		printf("SigBlk=%s\n", strerrorname_np(errno));
	else
		printf("SigBlk=%016llx\n", (unsigned long long)blk);
	r = 0;
	for (int sig = 1; sig <= 64 && r == 0; sig++) {
		struct ksigaction old;

		memset(&old, 0, sizeof(old));
		r = (int)syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(old.mask));
		if (r == 0 && old.handler == (void *)SIG_IGN)
			ign |= (uint64_t)1 << (sig - 1);
	}
	if (r != 0)
		printf("SigIgn=%s\n", strerrorname_np(errno));
	else
		printf("SigIgn=%016llx\n", (unsigned long long)ign);
	r = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, 1 /* ..._VERSION */);
	printf("landlock_abi=%d\n", r < 0 ? 0 : r);
}

/* The limits the worker was started with: limit.NAME=SOFT:HARD, nice, oom_score_adj. */
static void report_limits(void)
{
	static const struct { const char *name; int res; } lims[] = {
		{ "nproc", RLIMIT_NPROC }, { "data", RLIMIT_DATA }, { "nofile", RLIMIT_NOFILE },
		{ "fsize", RLIMIT_FSIZE }, { "nice", RLIMIT_NICE }, { "rtprio", RLIMIT_RTPRIO },
		{ "cpu", RLIMIT_CPU }, { "as", RLIMIT_AS },
	};
	char buf[32] = "";
	struct rlimit rl;
	int fd, n;

	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		if (getrlimit(lims[i].res, &rl) != 0) {
			printf("limit.%s=%s\n", lims[i].name, strerrorname_np(errno));
			continue;
		}
		printf("limit.%s=", lims[i].name);
		for (int h = 0; h < 2; h++) {
			rlim_t v = h ? rl.rlim_max : rl.rlim_cur;
			if (v == RLIM_INFINITY)
				printf("unlimited%s", h ? "\n" : ":");
			else
				printf("%llu%s", (unsigned long long)v, h ? "\n" : ":");
		}
	}
	errno = 0;
	n = getpriority(PRIO_PROCESS, 0);
	if (n == -1 && errno != 0)
		printf("nice=%s\n", strerrorname_np(errno));
	else
		printf("nice=%d\n", n);
	fd = open("/proc/self/oom_score_adj", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);
	if (n > 0)
		printf("oom_score_adj=%.*s\n", (int)strcspn(buf, "\n"), buf);
	else
		printf("oom_score_adj=%s\n", strerrorname_np(errno));
	if (fd >= 0)
		close(fd);
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

/* ---- the filter's limits on listeners, written code and metadata ---- */

static char scratch_path[4200];

/* a scratch name "$TMPDIR/.probe-NAME-PID" in scratch_path (TMPDIR: the
 * private temp under the launcher, /tmp outside) */
static const char *scratch_name(const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(scratch_path, sizeof(scratch_path), "%s/.probe-%s-%d",
		 dir != NULL && *dir == '/' ? dir : "/tmp", name, (int)getpid());
	return scratch_path;
}

/* a scratch file of ours, 0600: its descriptor, or -1 */
static int scratch(const char *name)
{
	return open(scratch_name(name), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
}

/* E, once the scratch file (or directory) is removed */
static int done(int e)
{
	if (unlink(scratch_path) != 0)
		rmdir(scratch_path);
	return e;
}

/* a listener without bind(): the kernel binds an unbound TCP socket to
 * 0.0.0.0 on a port of its choosing; ok only if that port appeared */
static int t_listen_unbound(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return SETUP_FAILED;
	if (listen(fd, 1) != 0)
		return errno;
	return getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sin_port != 0 ?
	       0 : SETUP_FAILED;
}

/* the same on a socket dup2()ed onto fd 0, where the worker's listener lives */
static int t_listen_fd0(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || dup2(fd, 0) != 0)
		return SETUP_FAILED;
	return res(listen(0, 1));
}

/* glibc's getifaddrs() binds a netlink socket: bind() stays allowed */
static int t_getifaddrs(void)
{
	struct ifaddrs *ifa;

	if (getifaddrs(&ifa) != 0)
		return errno;
	freeifaddrs(ifa);
	return 0;
}

/* bind a socket of `type` to 127.0.0.1, any port */
static int bind_loopback(int type)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return SETUP_FAILED;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return res(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

/* what remains: a UDP socket binds (seccomp cannot read the address) */
static int t_udp_bind(void) { return bind_loopback(SOCK_DGRAM); }

/* written code in memory: memfd_create, /bin/true copied in, fexecve; the
 * program's exit code (0), or the first errno */
static int t_memfd_exec(void)
{
	char buf[65536], *argv[] = { "true", NULL }, *envp[] = { NULL };
	int in_fd = open("/bin/true", O_RDONLY | O_CLOEXEC), fd, st;
	ssize_t n;
	pid_t pid;

	if (in_fd < 0)
		return SETUP_FAILED;
	fd = memfd_create("fsx-probe", MFD_CLOEXEC);
	if (fd < 0)
		return errno;
	while ((n = read(in_fd, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return SETUP_FAILED;
	if (n < 0)
		return SETUP_FAILED;
	pid = fork();
	if (pid == 0) {
		fexecve(fd, argv, envp);
		_exit(errno ? errno : SETUP_FAILED);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return SETUP_FAILED;
	return WIFEXITED(st) ? WEXITSTATUS(st) : SETUP_FAILED;
}

/* chmod PATH to MODE, then back to the mode it had */
static int chmod_and_back(const char *path, mode_t mode)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return NO_TARGET;
	if (chmod(path, mode) != 0)
		return errno;
	return chmod(path, st.st_mode & 07777) == 0 ? 0 : SETUP_FAILED;
}

/* the user's home, outside the Landlock domain, made 0777 (never as root) */
static int t_chmod_home_0777(void)
{
	const char *home = getenv("HOME");

	if (geteuid() == 0 || home == NULL || *home != '/')
		return NO_TARGET;
	return chmod_and_back(home, 0777);
}

/* a file of the user's outside the domain, beside the docroot (the cwd under
 * the launcher), ../.fsx-probe-outside, laid there by the test, made 0666
 * (never as root) */
static int t_chmod_outside_0666(void)
{
	return geteuid() == 0 ? NO_TARGET : chmod_and_back("../.fsx-probe-outside", 0666);
}

static int t_chmod_0777(void)
{
	int fd = scratch("mode");

	return fd < 0 ? SETUP_FAILED : done(res(chmod(scratch_path, 0777)));
}

static int t_fchmod_4755(void)
{
	int fd = scratch("mode");

	return fd < 0 ? SETUP_FAILED : done(res(fchmod(fd, 04755)));
}

static int t_fchmodat_2755(void)
{
	int fd = scratch("mode");

	return fd < 0 ? SETUP_FAILED : done(res(fchmodat(AT_FDCWD, scratch_path, 02755, 0)));
}

static int t_fchmodat2_0757(void)
{
	int fd = scratch("mode");

	return fd < 0 ? SETUP_FAILED :
	       done(res(syscall(452 /* fchmodat2 */, AT_FDCWD, scratch_path, 0757, 0)));
}

/* its own files: each usual mode through each chmod call, checked by fstat */
static int t_chmod_own(void)
{
	static const mode_t modes[] = { 0644, 0664, 0755, 0775, 0600, 0700 };
	int fd = scratch("mode"), e = 0;
	struct stat st;

	if (fd < 0)
		return SETUP_FAILED;
	for (size_t i = 0; e == 0 && i < sizeof(modes) / sizeof(*modes); i++)
		for (int call = 0; e == 0 && call < 4; call++) {
			long r = call == 0 ? chmod(scratch_path, modes[i]) :
				 call == 1 ? fchmod(fd, modes[i]) :
				 call == 2 ? fchmodat(AT_FDCWD, scratch_path, modes[i], 0) :
				 syscall(452, AT_FDCWD, scratch_path, modes[i], 0);

			if (r != 0)
				e = errno;
			else if (fstat(fd, &st) != 0 || (st.st_mode & 07777) != modes[i])
				e = SETUP_FAILED;
		}
	return done(e);
}

static int t_umask0(void) { return res(syscall(SYS_umask, 0)); }
static int t_umask_027(void) { return res(syscall(SYS_umask, 027)); }

/* ok only if the file was made with BIT in its mode */
static int made_with(int fd, mode_t bit)
{
	struct stat st;

	if (fd < 0)
		return errno;
	return done(fstat(fd, &st) == 0 && (st.st_mode & bit) ? 0 : SETUP_FAILED);
}

static int t_create_suid(void)
{
	return made_with(open(scratch_name("mk"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 04755),
			 S_ISUID);
}

static int t_open_sgid(void)
{
	return made_with((int)syscall(SYS_open, scratch_name("mk"),
				      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 02755), S_ISGID);
}

static int t_creat_suid(void)
{
	return made_with((int)syscall(SYS_creat, scratch_name("mk"), 04755), S_ISUID);
}

/* an unnamed file, made setgid (linkat could name it later) */
static int t_tmpfile_sgid(void)
{
	const char *dir = getenv("TMPDIR");
	int fd = open(dir != NULL && *dir == '/' ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC,
		      02755);
	struct stat st;

	if (fd < 0)
		return errno;
	return fstat(fd, &st) == 0 && (st.st_mode & S_ISGID) ? 0 : SETUP_FAILED;
}

static int t_mknod_suid(void)
{
	struct stat st;

	if (mknod(scratch_name("mk"), S_IFREG | 04755, 0) != 0)
		return errno;
	return done(stat(scratch_path, &st) == 0 && (st.st_mode & S_ISUID) ? 0 : SETUP_FAILED);
}

/* its own files and directories, made with usual modes */
static int t_create_own(void)
{
	int fd = open(scratch_name("mk"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0664);

	if (fd < 0)
		return errno;
	done(0);
	return done(res(mkdir(scratch_path, 0775)));
}

/* openat2 keeps its mode in memory seccomp cannot read */
static int t_openat2(void)
{
	struct { uint64_t flags, mode, resolve; } how = { O_RDONLY | O_CLOEXEC, 0, 0 };

	return res(syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how)));
}

/* to its own group: the one chown an unprivileged owner may do */
static int t_chown_self(void)
{
	return scratch("own") < 0 ? SETUP_FAILED : done(res(chown(scratch_path, (uid_t)-1, getegid())));
}

static int t_fchown_self(void)
{
	int fd = scratch("own");

	return fd < 0 ? SETUP_FAILED : done(res(fchown(fd, (uid_t)-1, getegid())));
}

static int t_lchown_self(void)
{
	return scratch("own") < 0 ? SETUP_FAILED : done(res(lchown(scratch_path, (uid_t)-1, getegid())));
}

static int t_fchownat_self(void)
{
	return scratch("own") < 0 ? SETUP_FAILED :
	       done(res(fchownat(AT_FDCWD, scratch_path, (uid_t)-1, getegid(), 0)));
}

/* a POSIX access ACL giving user 65534 rwx (entries sorted by tag) */
static int t_setxattr_acl(void)
{
	struct { uint16_t tag, perm; uint32_t id; } e[5] = {
		{ 0x01, 6, ~0U }, { 0x02, 7, 65534 }, { 0x04, 4, ~0U }, { 0x10, 7, ~0U },
		{ 0x20, 4, ~0U }, /* USER_OBJ, USER, GROUP_OBJ, MASK, OTHER */
	};
	char acl[4 + sizeof(e)];
	uint32_t version = 2;

	memcpy(acl, &version, 4);
	memcpy(acl + 4, e, sizeof(e));
	if (scratch("xattr") < 0)
		return SETUP_FAILED;
	return done(res(setxattr(scratch_path, "system.posix_acl_access", acl, sizeof(acl), 0)));
}

static int t_lsetxattr_user(void)
{
	if (scratch("xattr") < 0)
		return SETUP_FAILED;
	return done(res(lsetxattr(scratch_path, "user.fsx-probe", "1", 1, 0)));
}

static int t_fsetxattr_user(void)
{
	int fd = scratch("xattr");

	return fd < 0 ? SETUP_FAILED : done(res(fsetxattr(fd, "user.fsx-probe", "1", 1, 0)));
}

static int t_setxattrat_user(void)
{
	struct { uint64_t value; uint32_t size, flags; } args = { (uintptr_t)"1", 1, 0 };

	if (scratch("xattr") < 0)
		return SETUP_FAILED;
	return done(res(syscall(463 /* setxattrat */, AT_FDCWD, scratch_path, 0,
				"user.fsx-probe", &args, sizeof(args))));
}

/* removing an attribute that is there (set first, where that is allowed) */
static int t_removexattr_user(void)
{
	int fd = scratch("xattr");

	if (fd < 0)
		return SETUP_FAILED;
	fsetxattr(fd, "user.fsx-probe", "1", 1, 0);
	return done(res(removexattr(scratch_path, "user.fsx-probe")));
}

static int t_removexattrat_user(void)
{
	int fd = scratch("xattr");

	if (fd < 0)
		return SETUP_FAILED;
	fsetxattr(fd, "user.fsx-probe", "1", 1, 0);
	return done(res(syscall(466 /* removexattrat */, AT_FDCWD, scratch_path, 0,
				"user.fsx-probe")));
}

struct test {
	const char *name;
	int (*fn)(void);
};

/* ---- the launcher's limits: the worker may lower them, never raise them ---- */

/* RLIMIT_NPROC, NOFILE, DATA, FSIZE one above the hard limit: ok only if allowed */
static int raise_limit(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) != 0 || rl.rlim_max == RLIM_INFINITY)
		return SETUP_FAILED;
	rl.rlim_cur = rl.rlim_max = rl.rlim_max + 1;
	return res(setrlimit(resource, &rl));
}
static int t_raise_nproc(void) { return raise_limit(RLIMIT_NPROC); }
static int t_raise_nofile(void) { return raise_limit(RLIMIT_NOFILE); }
static int t_raise_data(void) { return raise_limit(RLIMIT_DATA); }
static int t_raise_fsize(void) { return raise_limit(RLIMIT_FSIZE); }

/* a nice value one below (a higher priority than) the one we run at */
static int t_raise_priority(void)
{
	int n;

	errno = 0;
	n = getpriority(PRIO_PROCESS, 0);
	if (n == -1 && errno != 0)
		return SETUP_FAILED;
	return res(setpriority(PRIO_PROCESS, 0, n - 1));
}

/* oom_score_adj back to 0: ok only if the worker could shield itself */
static int t_lower_oom(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC), e;

	if (fd < 0)
		return errno;
	e = write(fd, "0", 1) == 1 ? 0 : errno;
	close(fd);
	return e;
}

/* a write one byte past RLIMIT_FSIZE: EFBIG, the worker alive (SIGXFSZ ignored) */
static int t_write_past_fsize(void)
{
	struct rlimit rl;
	int fd, e;

	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return SETUP_FAILED;
	if ((fd = scratch("fsize")) < 0)
		return SETUP_FAILED;
	e = pwrite(fd, "x", 1, (off_t)rl.rlim_cur) == 1 ? 0 : errno;
	close(fd);
	return done(e);
}

static const struct test sys_tests[] = {
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
	{ "listen_unbound", t_listen_unbound },
	{ "listen_fd0", t_listen_fd0 },
	{ "getifaddrs", t_getifaddrs },
	{ "udp_bind", t_udp_bind },
	{ "memfd_exec", t_memfd_exec },
	{ "chmod_home_0777", t_chmod_home_0777 },
	{ "chmod_outside_0666", t_chmod_outside_0666 },
	{ "chmod_0777", t_chmod_0777 },
	{ "fchmod_4755", t_fchmod_4755 },
	{ "fchmodat_2755", t_fchmodat_2755 },
	{ "fchmodat2_0757", t_fchmodat2_0757 },
	{ "chmod_own", t_chmod_own },
	{ "umask0", t_umask0 },
	{ "umask_027", t_umask_027 },
	{ "create_suid", t_create_suid },
	{ "open_sgid", t_open_sgid },
	{ "creat_suid", t_creat_suid },
	{ "tmpfile_sgid", t_tmpfile_sgid },
	{ "mknod_suid", t_mknod_suid },
	{ "create_own", t_create_own },
	{ "openat2", t_openat2 },
	{ "chown_self", t_chown_self },
	{ "fchown_self", t_fchown_self },
	{ "lchown_self", t_lchown_self },
	{ "fchownat_self", t_fchownat_self },
	{ "setxattr_acl", t_setxattr_acl },
	{ "lsetxattr_user", t_lsetxattr_user },
	{ "fsetxattr_user", t_fsetxattr_user },
	{ "setxattrat_user", t_setxattrat_user },
	{ "removexattr_user", t_removexattr_user },
	{ "removexattrat_user", t_removexattrat_user },
	{ "raise_nproc", t_raise_nproc },
	{ "raise_nofile", t_raise_nofile },
	{ "raise_data", t_raise_data },
	{ "raise_fsize", t_raise_fsize },
	{ "raise_priority", t_raise_priority },
	{ "lower_oom", t_lower_oom },
	{ "write_past_fsize", t_write_past_fsize },
};

/* ---- Landlock: file, network and scope accesses, in a child ---- */

static struct {
	char docroot[4096], tmp[4096], testroot[4096], ini[4096], self[4096], secret[4096];
	char link[4096], dacw[4096];
	char abstract[108];
	int tcp_port;
	pid_t pid;
} ll;

/* "$ROOT/rel" into buf */
static const char *in(char *buf, size_t len, const char *root, const char *rel)
{
	snprintf(buf, len, "%s/%s", root, rel);
	return buf;
}

static int read_file(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		return errno;
	return 0;
}

static int list_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char buf[4096];

	if (fd < 0)
		return errno;
	return syscall(SYS_getdents64, fd, buf, sizeof(buf)) < 0 ? errno : 0;
}

/* create, write, read back, unlink a file in dir */
static int rw_in(const char *dir)
{
	char path[4200], buf[16] = "";
	int fd;

	snprintf(path, sizeof(path), "%s/.probe-rw-%d", dir, (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	if (write(fd, "probe", 5) != 5 || pread(fd, buf, 5, 0) != 5 ||
	    memcmp(buf, "probe", 5) != 0) {
		int e = errno ? errno : EIO;

		unlink(path);
		return e;
	}
	close(fd);
	return unlink(path) == 0 ? 0 : errno;
}

/* fork, execve argv[0], wait: the execve's errno, else the program's exit code */
static int run(char *const argv[])
{
	char *envp[] = { NULL };
	int st, p[2], e = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return SETUP_FAILED;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		execve(argv[0], argv, envp);
		e = errno;
		if (write(p[1], &e, sizeof(e)) != (ssize_t)sizeof(e))
			_exit(SETUP_FAILED);
		_exit(SETUP_FAILED);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(p[0]);
	/* reaped in every case: an orphan would linger as a zombie of the site's
	 * user where init reaps late, and count against its RLIMIT_NPROC */
	if (waitpid(pid, &st, 0) != pid)
		return errno;
	if (e != 0)
		return e; /* the execve failed */
	return WIFEXITED(st) ? WEXITSTATUS(st) : SETUP_FAILED;
}

static int run_path(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	return run(argv);
}

/* copy /bin/true into dir, run the copy, remove it */
static int exec_copy_in(const char *dir)
{
	char path[4200], buf[65536];
	int in_fd = open("/bin/true", O_RDONLY | O_CLOEXEC), out_fd, e;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/.probe-true-%d", dir, (int)getpid());
	out_fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (in_fd < 0 || out_fd < 0) {
		if (out_fd >= 0)
			unlink(path);
		return SETUP_FAILED;
	}
	while ((n = read(in_fd, buf, sizeof(buf))) > 0)
		if (write(out_fd, buf, (size_t)n) != n)
			n = -1;
	if (n < 0 || close(out_fd) != 0 || fchmodat(AT_FDCWD, path, 0755, 0) != 0) {
		unlink(path);
		return SETUP_FAILED;
	}
	e = run_path(path);
	unlink(path);
	return e;
}

/* create a file in dir (and remove it) */
static int create_in(const char *dir)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/fsx-probe-%d", dir, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	close(fd);
	return unlink(path) == 0 ? 0 : errno;
}

static int l_read_etc_passwd(void) { return read_file("/etc/passwd"); }
static int l_read_ini(void) { return ll.ini[0] ? read_file(ll.ini) : NO_TARGET; }

static int l_read_other_site(void) { return read_file(ll.secret); }

/* a link in the docroot to another site's file, laid there by root */
static int l_read_via_symlink(void) { return ll.link[0] ? read_file(ll.link) : NO_TARGET; }

/* plant a link to another site's file in dir (the web server would serve it) */
static int symlink_in(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/.probe-sym-%d", dir, (int)getpid());
	if (symlink(ll.secret, path) != 0)
		return errno;
	return unlink(path) == 0 ? 0 : errno;
}

static int l_symlink_docroot(void) { return symlink_in(ll.docroot); }
static int l_symlink_tmpdir(void) { return symlink_in(ll.tmp); }

/* truncate(2) a file outside the site that file modes let us write (TRUNCATE, ABI 3) */
static int l_truncate_outside(void) { return ll.dacw[0] ? res(truncate(ll.dacw, 0)) : NO_TARGET; }

static int l_list_www(void)
{
	char p[4200];

	return list_dir(in(p, sizeof(p), ll.testroot, "www"));
}

static int l_list_other_home(void)
{
	char p[4200];

	return list_dir(in(p, sizeof(p), ll.testroot, "home/fsxbob"));
}

static int l_list_own_home(void)
{
	char p[4200];

	return list_dir(in(p, sizeof(p), ll.testroot, "home/fsxalice"));
}

static int l_list_root(void) { return list_dir("/"); }
static int l_list_docroot(void) { return list_dir(ll.docroot); }
static int l_list_tmpdir(void) { return list_dir(ll.tmp); }
static int l_create_tmp(void) { return create_in("/tmp"); }
static int l_create_var_tmp(void) { return create_in("/var/tmp"); }
static int l_rw_docroot(void) { return rw_in(ll.docroot); }
static int l_rw_tmpdir(void) { return rw_in(ll.tmp); }

/* a file made in the private temp, renamed into the docroot (REFER) */
static int l_rename_tmp_to_docroot(void)
{
	char from[4200], to[4200];
	int fd, e = 0;

	snprintf(from, sizeof(from), "%s/.probe-mv-%d", ll.tmp, (int)getpid());
	snprintf(to, sizeof(to), "%s/.probe-mv-%d", ll.docroot, (int)getpid());
	fd = open(from, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return SETUP_FAILED;
	close(fd);
	if (rename(from, to) != 0) {
		e = errno;
		unlink(from);
		return e;
	}
	return unlink(to) == 0 ? 0 : errno;
}

/* a file moved from one directory of the docroot to another (REFER: the
 * temp and the docroot are two mounts in the site's world, EXDEV anyway) */
static int l_rename_in_docroot(void)
{
	char a[4200], b[4200], from[4300], to[4300];
	int fd, e = 0;

	snprintf(a, sizeof(a), "%s/.probe-mva-%d", ll.docroot, (int)getpid());
	snprintf(b, sizeof(b), "%s/.probe-mvb-%d", ll.docroot, (int)getpid());
	snprintf(from, sizeof(from), "%s/f", a);
	snprintf(to, sizeof(to), "%s/f", b);
	if (mkdir(a, 0700) != 0 || mkdir(b, 0700) != 0 ||
	    (fd = open(from, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		e = SETUP_FAILED;
	else if (close(fd) != 0 || rename(from, to) != 0)
		e = errno;
	unlink(from);
	unlink(to);
	rmdir(a);
	rmdir(b);
	return e;
}

/* a file made in the private temp, hard-linked into the docroot (REFER) */
static int l_link_tmp_to_docroot(void)
{
	char from[4200], to[4200];
	int fd, e = 0;

	snprintf(from, sizeof(from), "%s/.probe-ln-%d", ll.tmp, (int)getpid());
	snprintf(to, sizeof(to), "%s/.probe-ln-%d", ll.docroot, (int)getpid());
	fd = open(from, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return SETUP_FAILED;
	close(fd);
	if (link(from, to) != 0)
		e = errno;
	else if (unlink(to) != 0)
		e = errno;
	unlink(from);
	return e;
}

/* an existing file in the docroot: opened with O_TRUNC, then ftruncate (TRUNCATE) */
static int l_truncate_docroot(void)
{
	char path[4200];
	int fd, e = 0;

	snprintf(path, sizeof(path), "%s/.probe-trunc-%d", ll.docroot, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "probe", 5) != 5 || close(fd) != 0) {
		unlink(path);
		return SETUP_FAILED;
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 3) != 0)
		e = errno;
	unlink(path);
	return e;
}

static int l_mkdir_docroot(void)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/.probe-dir-%d", ll.docroot, (int)getpid());
	if (mkdir(path, 0700) != 0)
		return errno;
	return rmdir(path) == 0 ? 0 : errno;
}

static int l_mkfifo_tmpdir(void)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/.probe-fifo-%d", ll.tmp, (int)getpid());
	if (mkfifo(path, 0600) != 0)
		return errno;
	return unlink(path) == 0 ? 0 : errno;
}

static int l_unix_sock_tmpdir(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

	if (fd < 0 || (size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/.probe-sock-%d",
				      ll.tmp, (int)getpid()) >= sizeof(sa.sun_path))
		return SETUP_FAILED;
	e = res(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	if (e == 0 && unlink(sa.sun_path) != 0)
		e = errno;
	return e;
}

static int l_exec_bin_true(void) { return run_path("/bin/true"); }

/* the domain survives execve: the probe, run again, reads another site's file */
static int l_exec_read_other_site(void)
{
	char *argv[] = { ll.self, "--read", ll.secret, NULL };

	return run(argv);
}
static int l_exec_in_docroot(void) { return exec_copy_in(ll.docroot); }
static int l_exec_in_tmpdir(void) { return exec_copy_in(ll.tmp); }
static int l_read_proc_status(void) { return read_file("/proc/self/status"); }

static int l_dev_null_rw(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return errno;
	return write(fd, "x", 1) == 1 ? 0 : errno;
}

static int l_dev_null_trunc(void)
{
	int fd = open("/dev/null", O_WRONLY | O_TRUNC | O_CLOEXEC);

	return fd < 0 ? errno : 0;
}

/* a device ioctl (TCGETS) on /dev/null: ENOTTY from the driver, unless
 * Landlock (IOCTL_DEV) refuses it first */
static int l_ioctl_dev_null(void)
{
	struct termios t;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return SETUP_FAILED;
	return res(ioctl(fd, TCGETS, &t));
}

static int l_dev_urandom_r(void) { return read_file("/dev/urandom"); }
static int l_dev_zero_r(void) { return read_file("/dev/zero"); }

static int l_tcp_bind(void) { return bind_loopback(SOCK_STREAM); }

static int l_tcp_connect(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd;

	if (ll.tcp_port <= 0)
		return NO_TARGET;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return SETUP_FAILED;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)ll.tcp_port);
	return res(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

static socklen_t abstract_addr(struct sockaddr_un *sa, const char *name)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n > sizeof(sa->sun_path) - 1)
		n = sizeof(sa->sun_path) - 1;
	memcpy(sa->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int connect_abstract(const char *name, int type)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return SETUP_FAILED;
	return res(connect(fd, (struct sockaddr *)&sa, len));
}

/* to a listener created outside the worker (scoped: EPERM) */
static int l_abstract_connect(void)
{
	return ll.abstract[0] ? connect_abstract(ll.abstract, SOCK_STREAM) : NO_TARGET;
}

/* to a socket of our own, inside the domain: allowed (a datagram socket:
 * the seccomp filter refuses listen()) */
static int l_abstract_self(void)
{
	struct sockaddr_un sa;
	char name[64];
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(name, sizeof(name), "fsx-probe-self-%d", (int)getpid());
	len = abstract_addr(&sa, name);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) != 0)
		return SETUP_FAILED;
	return connect_abstract(name, SOCK_DGRAM);
}

/* signal 0 to a process of the same user outside the worker (scoped: EPERM) */
static int l_kill_outside(void) { return ll.pid > 0 ? res(kill(ll.pid, 0)) : NO_TARGET; }

/* a signal to a child of our own, inside the domain: allowed */
static int l_kill_child(void)
{
	pid_t pid = fork();
	int st, e;

	if (pid < 0)
		return SETUP_FAILED;
	if (pid == 0) {
		alarm(5);
		pause();
		_exit(0);
	}
	e = res(kill(pid, SIGKILL));
	waitpid(pid, &st, 0);
	return e;
}

static const struct test ll_tests[] = {
	{ "read_etc_passwd", l_read_etc_passwd },
	{ "read_ini", l_read_ini },
	{ "read_other_site", l_read_other_site },
	{ "read_via_symlink", l_read_via_symlink },
	{ "symlink_docroot", l_symlink_docroot },
	{ "symlink_tmpdir", l_symlink_tmpdir },
	{ "truncate_outside", l_truncate_outside },
	{ "list_www", l_list_www },
	{ "list_other_home", l_list_other_home },
	{ "list_own_home", l_list_own_home },
	{ "list_root", l_list_root },
	{ "list_docroot", l_list_docroot },
	{ "list_tmpdir", l_list_tmpdir },
	{ "create_tmp", l_create_tmp },
	{ "create_var_tmp", l_create_var_tmp },
	{ "rw_docroot", l_rw_docroot },
	{ "rw_tmpdir", l_rw_tmpdir },
	{ "rename_tmp_to_docroot", l_rename_tmp_to_docroot },
	{ "link_tmp_to_docroot", l_link_tmp_to_docroot },
	{ "rename_in_docroot", l_rename_in_docroot },
	{ "truncate_docroot", l_truncate_docroot },
	{ "mkdir_docroot", l_mkdir_docroot },
	{ "mkfifo_tmpdir", l_mkfifo_tmpdir },
	{ "unix_sock_tmpdir", l_unix_sock_tmpdir },
	{ "exec_bin_true", l_exec_bin_true },
	{ "exec_read_other_site", l_exec_read_other_site },
	{ "exec_in_docroot", l_exec_in_docroot },
	{ "exec_in_tmpdir", l_exec_in_tmpdir },
	{ "read_proc_status", l_read_proc_status },
	{ "dev_null_rw", l_dev_null_rw },
	{ "dev_null_trunc", l_dev_null_trunc },
	{ "ioctl_dev_null", l_ioctl_dev_null },
	{ "dev_urandom_r", l_dev_urandom_r },
	{ "dev_zero_r", l_dev_zero_r },
	{ "tcp_bind", l_tcp_bind },
	{ "tcp_connect", l_tcp_connect },
	{ "abstract_connect", l_abstract_connect },
	{ "abstract_self", l_abstract_self },
	{ "kill_outside", l_kill_outside },
	{ "kill_child", l_kill_child },
};

/* DOCROOT and TMP from "-d open_basedir=DOCROOT:TMP" or, without it, from
 * the cwd and "-d upload_tmp_dir=TMP"; TESTROOT from TMP
 * (TMP_BASE/user, TMP_BASE = TESTROOT/tmp); the targets from
 * DOCROOT/probe-targets. Returns 0 when there is no open_basedir. */
static int ll_setup(int argc, char **argv)
{
	const char *v = NULL, *upl = NULL;
	char cwd[200], obd[420];
	char *colon, *slash, line[256];
	FILE *f;

	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-c") == 0)
			snprintf(ll.ini, sizeof(ll.ini), "%s", argv[i + 1]);
		if (strcmp(argv[i], "-d") == 0 && strncmp(argv[i + 1], "open_basedir=", 13) == 0)
			v = argv[i + 1] + 13;
		if (strcmp(argv[i], "-d") == 0 && strncmp(argv[i + 1], "upload_tmp_dir=", 15) == 0)
			upl = argv[i + 1] + 15;
	}
	if (v == NULL && upl != NULL && getcwd(cwd, sizeof(cwd) - 1) != NULL) {
		/* the native mode without open_basedir: DOCROOT is the cwd */
		snprintf(obd, sizeof(obd), "%s:%s", cwd, upl);
		v = obd;
	}
	if (v == NULL || (colon = strchr(v, ':')) == NULL)
		return 0;
	snprintf(ll.self, sizeof(ll.self), "%s", argv[0]);
	snprintf(ll.docroot, sizeof(ll.docroot), "%.*s", (int)(colon - v), v);
	snprintf(ll.tmp, sizeof(ll.tmp), "%s", colon + 1);
	snprintf(ll.testroot, sizeof(ll.testroot), "%s", ll.tmp);
	for (int up = 0; up < 2; up++) /* TMP's grandparent */
		if ((slash = strrchr(ll.testroot, '/')) != NULL)
			*slash = '\0';
	if (ll.testroot[0] == '\0')
		snprintf(ll.testroot, sizeof(ll.testroot), "/");
	in(ll.secret, sizeof(ll.secret), ll.testroot, "www/bob/secret.php");
	printf("ll.docroot=%s\nll.tmp=%s\nll.testroot=%s\n", ll.docroot, ll.tmp, ll.testroot);

	snprintf(line, sizeof(line), "%s/probe-targets", ll.docroot);
	f = fopen(line, "re");
	while (f != NULL && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "tcp=", 4) == 0)
			ll.tcp_port = atoi(line + 4);
		else if (strncmp(line, "abstract=", 9) == 0)
			snprintf(ll.abstract, sizeof(ll.abstract), "%s", line + 9);
		else if (strncmp(line, "pid=", 4) == 0)
			ll.pid = (pid_t)atoi(line + 4);
		else if (strncmp(line, "secret=", 7) == 0)
			snprintf(ll.secret, sizeof(ll.secret), "%s", line + 7);
		else if (strncmp(line, "link=", 5) == 0)
			snprintf(ll.link, sizeof(ll.link), "%s", line + 5);
		else if (strncmp(line, "dacw=", 5) == 0)
			snprintf(ll.dacw, sizeof(ll.dacw), "%s", line + 5);
	}
	printf("ll.targets=%s\nll.secret=%s\n", f != NULL ? "read" : strerrorname_np(errno),
	       ll.secret);
	if (f != NULL)
		fclose(f);
	return 1;
}

/* ---- the site's world (tests/37-world.t): what ./probe-world asks ----
 *
 * One case a line, "VERB LABEL ARG...", words separated by spaces; each is
 * run in a child (alarm 10 s) and prints "w.VERB.LABEL=RESULT" (exec and mnt
 * print several keys). A RESULT is an errno name when the call failed. */

#define WORLD_FILE "probe-world"
#define ELF_SRC "/bin/true"

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "errno?";
}

/* a SysV key, decimal or 0x hex */
static key_t w_key(const char *s) { return (key_t)strtol(s, NULL, 0); }

/* write PATH TEXT: TEXT into PATH (made or truncated), then mode 0644, so
 * only the file's place can hide it from another user */
static void w_write(char *const *a)
{
	const char *label = a[0], *path = a[1], *text = a[2];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t n = strlen(text);

	if (fd < 0 || write(fd, text, n) != (ssize_t)n || fchmod(fd, 0644) != 0)
		printf("w.write.%s=%s\n", label, ename(errno));
	else
		printf("w.write.%s=ok\n", label);
}

/* read PATH: its first line (255 bytes at most) */
static void w_read(char *const *a)
{
	const char *label = a[0], *path = a[1];
	char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n < 0) {
		printf("w.read.%s=%s\n", label, ename(errno));
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("w.read.%s=%s\n", label, buf);
}

static void w_unlink(char *const *a)
{
	const char *label = a[0], *path = a[1];
	printf("w.unlink.%s=%s\n", label, unlink(path) == 0 ? "ok" : ename(errno));
}

/* stat PATH: "uid=N" of its owner (a /proc/PID the hidepid option hides: ENOENT) */
static void stat_owner(const char *verb, const char *label, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		printf("w.%s.%s=%s\n", verb, label, ename(errno));
	else
		printf("w.%s.%s=uid=%u\n", verb, label, st.st_uid);
}

static void w_stat(char *const *a) { stat_owner("stat", a[0], a[1]); }

/* readlink PATH: where it points (/proc/self/ns/ipc: "ipc:[INODE]") */
static void w_readlink(char *const *a)
{
	const char *label = a[0], *path = a[1];
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0) {
		printf("w.readlink.%s=%s\n", label, ename(errno));
		return;
	}
	buf[n] = '\0';
	printf("w.readlink.%s=%s\n", label, buf);
}

/* status PATH (a /proc/PID/status): its Uid line, "uid=R,E,S,FS" */
static void w_status(char *const *a)
{
	const char *label = a[0], *path = a[1];
	char line[256];
	unsigned r, e, s, fs;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		printf("w.status.%s=%s\n", label, ename(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Uid: %u %u %u %u", &r, &e, &s, &fs) == 4) {
			printf("w.status.%s=uid=%u,%u,%u,%u\n", label, r, e, s, fs);
			fclose(f);
			return;
		}
	printf("w.status.%s=no-uid-line\n", label);
	fclose(f);
}

/* proc_uids: the owners of the processes /proc lists, sorted, once each */
static void w_proc_uids(char *const *a)
{
	const char *label = a[0];
	uid_t uids[256];
	size_t n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct stat st;
	char path[300];

	if (d == NULL) {
		printf("w.proc_uids.%s=%s\n", label, ename(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t i = 0;

		if (de->d_name[strspn(de->d_name, "0123456789")] != '\0')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", de->d_name);
		if (stat(path, &st) != 0) /* ended meanwhile */
			continue;
		while (i < n && uids[i] < st.st_uid)
			i++;
		if ((i < n && uids[i] == st.st_uid) || n == sizeof(uids) / sizeof(*uids))
			continue;
		memmove(uids + i + 1, uids + i, (n - i) * sizeof(*uids));
		uids[i] = st.st_uid;
		n++;
	}
	closedir(d);
	printf("w.proc_uids.%s=", label);
	for (size_t i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", uids[i]);
	printf("\n");
}

/* proc_child: a child of ours (same user, same domain): is its /proc/PID there? */
static void w_proc_child(char *const *a)
{
	const char *label = a[0];
	char path[64];
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("w.proc_child.%s=fork-failed:%s\n", label, ename(errno));
		return;
	}
	if (pid == 0) {
		alarm(5);
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	stat_owner("proc_child", label, path);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* connect PATH: to a listening unix stream socket */
static void w_connect(char *const *a)
{
	const char *label = a[0], *path = a[1];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path)) {
		printf("w.connect.%s=setup-failed\n", label);
		return;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	printf("w.connect.%s=%s\n", label,
	       connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? "ok" : ename(errno));
}

/* shm_make KEY MODE TEXT: a new SysV segment holding TEXT */
static void w_shm_make(char *const *a)
{
	const char *label = a[0], *text = a[3];
	key_t key = w_key(a[1]);
	int mode = (int)strtol(a[2], NULL, 8);
	int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | (mode & 0777));
	char *p;

	if (id < 0 || (p = shmat(id, NULL, 0)) == (void *)-1) {
		printf("w.shm_make.%s=%s\n", label, ename(errno));
		return;
	}
	snprintf(p, 4096, "%s", text);
	shmdt(p);
	printf("w.shm_make.%s=ok\n", label);
}

/* shm_read KEY: the text in the segment of that key (ENOENT: none in our view) */
static void w_shm_read(char *const *a)
{
	const char *label = a[0];
	key_t key = w_key(a[1]);
	int id = shmget(key, 0, 0);
	char *p;

	if (id < 0 || (p = shmat(id, NULL, SHM_RDONLY)) == (void *)-1) {
		printf("w.shm_read.%s=%s\n", label, ename(errno));
		return;
	}
	printf("w.shm_read.%s=%.255s\n", label, p);
	shmdt(p);
}

static void w_shm_rm(char *const *a)
{
	const char *label = a[0];
	key_t key = w_key(a[1]);
	int id = shmget(key, 0, 0);

	printf("w.shm_rm.%s=%s\n", label,
	       id >= 0 && shmctl(id, IPC_RMID, NULL) == 0 ? "ok" : ename(errno));
}

/* sem_make KEY VALUE: a new SysV semaphore set of one, 0644, set to VALUE */
static void w_sem_make(char *const *a)
{
	const char *label = a[0];
	key_t key = w_key(a[1]);
	int value = atoi(a[2]);
	int id = semget(key, 1, IPC_CREAT | IPC_EXCL | 0644);

	printf("w.sem_make.%s=%s\n", label,
	       id >= 0 && semctl(id, 0, SETVAL, value) == 0 ? "ok" : ename(errno));
}

/* sem_read KEY: the semaphore's value */
static void w_sem_read(char *const *a)
{
	const char *label = a[0];
	key_t key = w_key(a[1]);
	int id = semget(key, 0, 0), v = id < 0 ? -1 : semctl(id, 0, GETVAL);

	if (v < 0)
		printf("w.sem_read.%s=%s\n", label, ename(errno));
	else
		printf("w.sem_read.%s=%d\n", label, v);
}

static void w_sem_rm(char *const *a)
{
	const char *label = a[0];
	key_t key = w_key(a[1]);
	int id = semget(key, 0, 0);

	printf("w.sem_rm.%s=%s\n", label,
	       id >= 0 && semctl(id, 0, IPC_RMID) == 0 ? "ok" : ename(errno));
}

/* mnt PATH: the mount statx(STATX_MNT_ID) reports for PATH, found by its id
 * in /proc/self/mountinfo: w.mnt.LABEL=its per-mount options, and .id,
 * .point, .fs, .super (the file system's options) */
static void w_mnt(char *const *a)
{
	const char *label = a[0], *path = a[1];
	struct statx stx;
	char line[4096], *f[12], *save = NULL;
	FILE *mi;

	if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) != 0) {
		printf("w.mnt.%s=%s\n", label, ename(errno));
		return;
	}
	if (!(stx.stx_mask & STATX_MNT_ID)) {
		printf("w.mnt.%s=no-mnt-id\n", label);
		return;
	}
	printf("w.mnt.%s.id=%llu\n", label, (unsigned long long)stx.stx_mnt_id);
	if ((mi = fopen("/proc/self/mountinfo", "re")) == NULL) {
		printf("w.mnt.%s=%s\n", label, ename(errno));
		return;
	}
	while (fgets(line, sizeof(line), mi) != NULL) {
		int n = 0, dash = -1;

		line[strcspn(line, "\n")] = '\0';
		for (char *w = strtok_r(line, " ", &save); w != NULL && n < 12;
		     w = strtok_r(NULL, " ", &save)) {
			if (dash < 0 && n >= 6 && strcmp(w, "-") == 0)
				dash = n;
			f[n++] = w;
		}
		/* id parent maj:min root point options [optional...] - fs source super */
		if (n < 6 || strtoull(f[0], NULL, 10) != stx.stx_mnt_id)
			continue;
		printf("w.mnt.%s=%s\nw.mnt.%s.point=%s\n", label, f[5], label, f[4]);
		if (dash > 0 && dash + 3 < n)
			printf("w.mnt.%s.fs=%s\nw.mnt.%s.super=%s\n", label, f[dash + 1],
			       label, f[dash + 3]);
		fclose(mi);
		return;
	}
	printf("w.mnt.%s=not-found\n", label);
	fclose(mi);
}

/* run ARGV[0] in a child, from DIR when not NULL: "ok" (exit 0), the
 * execve's errno name, "exit=N" or "signal=N" */
static const char *w_run(const char *dir, char *const argv[])
{
	static char result[32];
	char *envp[] = { NULL };
	int st, p[2], e = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return "setup-failed";
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return ename(errno);
	if (pid == 0) {
		alarm(5);
		if (dir == NULL || chdir(dir) == 0)
			execve(argv[0], argv, envp);
		e = errno;
		if (write(p[1], &e, sizeof(e)) != (ssize_t)sizeof(e))
			_exit(SETUP_FAILED);
		_exit(SETUP_FAILED);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid)
		return "wait-failed";
	if (e != 0)
		return ename(e);
	if (WIFSIGNALED(st))
		snprintf(result, sizeof(result), "signal=%d", WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0)
		return "ok";
	else
		snprintf(result, sizeof(result), "exit=%d", WEXITSTATUS(st));
	return result;
}

/* exec DIR LOADER: ELF_SRC copied into DIR as .probe-elf-PID (0755), then
 * run by every route: execve of its absolute path (.direct), execve of
 * "./NAME" from DIR (.relative), "LOADER ./NAME" from DIR (.loader), and
 * its first page mapped PROT_EXEC (.mmap, what the loader does); removed */
static void w_exec(char *const *a)
{
	const char *label = a[0], *dir = a[1], *loader = a[2];
	char name[64], rel[80], abs[4200], cwd[4096], buf[65536];
	int in_fd, out_fd, fd;
	ssize_t n = 0;
	void *m;

	snprintf(name, sizeof(name), ".probe-elf-%d", (int)getpid());
	snprintf(rel, sizeof(rel), "./%s", name);
	if (dir[0] == '/')
		snprintf(abs, sizeof(abs), "%s/%s", dir, name);
	else
		snprintf(abs, sizeof(abs), "%s/%s/%s", getcwd(cwd, sizeof(cwd)) ? cwd : ".",
			 dir, name);
	in_fd = open(ELF_SRC, O_RDONLY | O_CLOEXEC);
	out_fd = open(abs, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (in_fd < 0 || out_fd < 0) {
		printf("w.exec.%s.copy=%s\n", label, ename(errno));
		if (out_fd >= 0)
			unlink(abs);
		return;
	}
	while ((n = read(in_fd, buf, sizeof(buf))) > 0)
		if (write(out_fd, buf, (size_t)n) != n)
			n = -1;
	if (n < 0 || fchmod(out_fd, 0755) != 0 || close(out_fd) != 0) {
		printf("w.exec.%s.copy=%s\n", label, ename(errno));
		unlink(abs);
		return;
	}
	printf("w.exec.%s.copy=ok\n", label);
	printf("w.exec.%s.direct=%s\n", label, w_run(NULL, (char *[]){ abs, NULL }));
	printf("w.exec.%s.relative=%s\n", label, w_run(dir, (char *[]){ rel, NULL }));
	printf("w.exec.%s.loader=%s\n", label,
	       w_run(dir, (char *[]){ (char *)loader, rel, NULL }));
	fd = open(abs, O_RDONLY | O_CLOEXEC);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	printf("w.exec.%s.mmap=%s\n", label, m == MAP_FAILED ? ename(errno) : "ok");
	if (unlink(abs) != 0)
		printf("w.exec.%s.unlink=%s\n", label, ename(errno));
}

static const struct {
	const char *verb;
	int nargs; /* after the label */
	void (*fn)(char *const *a); /* a: LABEL ARG... */
} world_verbs[] = {
	{ "write", 2, w_write },		/* PATH TEXT */
	{ "read", 1, w_read },			/* PATH */
	{ "unlink", 1, w_unlink },		/* PATH */
	{ "stat", 1, w_stat },			/* PATH */
	{ "readlink", 1, w_readlink },		/* PATH */
	{ "status", 1, w_status },		/* PATH */
	{ "proc_uids", 0, w_proc_uids },
	{ "proc_child", 0, w_proc_child },
	{ "connect", 1, w_connect },		/* PATH */
	{ "shm_make", 3, w_shm_make },		/* KEY MODE TEXT */
	{ "shm_read", 1, w_shm_read },		/* KEY */
	{ "shm_rm", 1, w_shm_rm },		/* KEY */
	{ "sem_make", 2, w_sem_make },		/* KEY VALUE */
	{ "sem_read", 1, w_sem_read },		/* KEY */
	{ "sem_rm", 1, w_sem_rm },		/* KEY */
	{ "mnt", 1, w_mnt },			/* PATH */
	{ "exec", 2, w_exec },			/* DIR LOADER */
};

/* one line of ./probe-world, "VERB LABEL ARG...", in a child */
static void world_case(char *line)
{
	char *w[6] = { 0 }, *save = NULL;
	int n = 0;

	for (char *t = strtok_r(line, " \t\n", &save); t != NULL && n < 6;
	     t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	if (n < 2 || w[0][0] == '#')
		return;
	for (size_t i = 0; i < sizeof(world_verbs) / sizeof(*world_verbs); i++) {
		if (strcmp(w[0], world_verbs[i].verb) != 0)
			continue;
		if (n < world_verbs[i].nargs + 2)
			printf("w.%s.%s=bad-line\n", w[0], w[1]);
		else
			world_verbs[i].fn(w + 1);
		return;
	}
	printf("w.%s.%s=unknown-verb\n", w[0], w[1]);
}

/* the cases of ./probe-world, each in a child; a missing file prints nothing
 * unless "always" (probe --world) */
static void world(int always)
{
	char line[1024];
	FILE *f = fopen(WORLD_FILE, "re");

	if (f == NULL) {
		if (always)
			printf("w.file=%s\n", ename(errno));
		return;
	}
	printf("w.file=read\n");
	while (fgets(line, sizeof(line), f) != NULL) {
		char copy[sizeof(line)], *w = copy, *label;
		pid_t pid;
		int st;

		memcpy(copy, line, sizeof(line));
		w += strspn(w, " \t");
		label = w + strcspn(w, " \t\n");
		label += strspn(label, " \t");
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(10);
			world_case(line);
			fflush(stdout);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			printf("w.%.*s.%.*s=fork-failed\n", (int)strcspn(w, " \t\n"), w,
			       (int)strcspn(label, " \t\n"), label);
		else if (WIFSIGNALED(st))
			printf("w.%.*s.%.*s=signal=%d\n", (int)strcspn(w, " \t\n"), w,
			       (int)strcspn(label, " \t\n"), label, WTERMSIG(st));
	}
	fclose(f);
}

static void run_test(const char *prefix, const struct test *t)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("%s.%s=fork-failed:%s\n", prefix, t->name, strerrorname_np(errno));
		return;
	}
	if (pid == 0) {
		alarm(5);
		_exit(t->fn());
	}
	if (waitpid(pid, &st, 0) != pid)
		printf("%s.%s=wait-failed\n", prefix, t->name);
	else if (WIFSIGNALED(st))
		printf("%s.%s=signal=%d\n", prefix, t->name, WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0)
		printf("%s.%s=ok\n", prefix, t->name);
	else if (WEXITSTATUS(st) == SETUP_FAILED)
		printf("%s.%s=setup-failed\n", prefix, t->name);
	else if (WEXITSTATUS(st) == NO_TARGET)
		printf("%s.%s=no-target\n", prefix, t->name);
	else if (strerrorname_np(WEXITSTATUS(st)))
		printf("%s.%s=%s\n", prefix, t->name, strerrorname_np(WEXITSTATUS(st)));
	else
		printf("%s.%s=errno%d\n", prefix, t->name, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	struct rlimit nocore = { 0, 0 };
	char cwd[4096];
	extern char **environ;

	setrlimit(RLIMIT_CORE, &nocore); /* SIGSYS would dump core into the docroot */
	if (argc == 3 && strcmp(argv[1], "--read") == 0) /* for ll.exec_read_other_site */
		return read_file(argv[2]);
	if (argc == 2 && strcmp(argv[1], "--world") == 0) { /* the controls of 37-world.t */
		world(1);
		return 0;
	}
	printf("ran=1\nargc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv%d=%s\n", i, argv[i]);
	report_ids();
	printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : strerrorname_np(errno));
	for (char **e = environ; *e; e++)
		printf("env=%s\n", *e);
	report_fds();
	report_status();
	report_limits();
	for (size_t i = 0; i < sizeof(sys_tests) / sizeof(sys_tests[0]); i++)
		run_test("sys", &sys_tests[i]);
	if (ll_setup(argc, argv))
		for (size_t i = 0; i < sizeof(ll_tests) / sizeof(ll_tests[0]); i++)
			run_test("ll", &ll_tests[i]);
	world(0);
	return 0;
}
