/* worldparts - where a launch's world goes: world.c's steps one after the
 * other, each timed (CLOCK_MONOTONIC) in the process that does it.
 *
 * usage: worldparts --site DIR --tmp DIR --user NAME [--launches N] [--extra-rw N]
 *
 * Profiling aid for bench/profile.sh, not a launcher. Run as root (what the
 * launcher does as root before its drop). N times each (default 200), in
 * alternating order, one child process does:
 *   none   nothing (the baseline of the exit time)
 *   first  the site's first launch: its pins (USER's, world.c's layout under
 *          /run/fcgi-suexec) unmounted before (not timed), then what
 *          world_enter() does when it makes the world
 *   later  a later launch: what world_enter() does when it joins it
 * then exits; the parent times the child's exit, from the child's last
 * timestamp to the reaped child (with a world: the launch's own mount
 * namespace taken down, as the worker's exit does). The steps are copies of
 * world.c's at the time of writing (issue 11), same system calls in the same
 * order, so that each can be timed; EXTRA_RW is simulated by N more clones
 * of the temp directory (default 0, as the bench policy has none).
 *
 * Output on stdout, one line per launch, tab-separated:
 *     variant part=us part=us ...
 * The parts, in order:
 *   clones     open_tree + mount_setattr of the site and the temp (and the
 *              EXTRA_RW: before the pins, world.c makes them all first)
 *   nsstat     stat of /proc/self/ns/mnt (the caller's namespace's inode)
 *   mkdir      mkdir WORLD_PINS (EEXIST)
 *   pinsdir    WORLD_PINS opened, flock, statx, WORLD_PINS/<inode> made
 *              (EEXIST) and opened
 *   lookup     the site's pins looked for (openat, fstatfs, NS_GET_NSTYPE);
 *              first: and again under the directory's lock
 *   unshare2   first: unshare(CLONE_NEWNS | CLONE_NEWIPC): a copy of the
 *              caller's whole mount tree and a new IPC namespace
 *   slave      first: mount --make-rslave / and umount of WORLD_PINS
 *   shm        first: the private /dev/shm tmpfs
 *   proc       first: a /proc with hidepid=invisible
 *   masks      first: /run/user (and /run/screen) masked by a tmpfs
 *   pin        first: setns back to the caller's namespace, two nsfs bind
 *              mounts as pins, setns into the world
 *   setns      the world's pins opened, setns into its mount and IPC
 *              namespaces (first: the reopen of /proc/self/ns/mnt too)
 *   unshare1   this launch's own mount namespace: unshare(CLONE_NEWNS), a
 *              copy of the world's tree
 *   m_tmp      the private temp cloned onto itself (reopen + move_mount)
 *   m_temps    /tmp, /var/tmp, /var/lib/php/sessions: open + clone + move,
 *              each
 *   m_rw       EXTRA_RW onto themselves (the simulated ones)
 *   m_site     the site's tree onto itself, the working directory reopened
 *              and its mount checked
 *   opens      /proc and /dev/shm opened for Landlock
 *   total      the sum of the parts (the world's whole in-process cost)
 *   exit       the exit, as above
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worlds.h"

#define PINS BENCH_WORLD_PINS
#define MAX_RW 16

static const char *site_path, *tmp_path, *user;
static int n_rw;
static uid_t uid;
static gid_t gid;
static double mark, parts[32];
static const char *names[32];
static int nparts;

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* the time since the last part, as part NAME */
static void part(const char *name)
{
	double t = now_us();

	names[nparts] = name;
	parts[nparts++] = t - mark;
	mark = t;
}

static void fail(const char *what)
{
	fprintf(stderr, "worldparts: %s: %s\n", what, strerror(errno));
	_exit(111);
}

static int reopen(const char *path, int checked)
{
	struct open_how oh = { .flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS };
	struct stat a, b;
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &oh, sizeof(oh));

	if (fd < 0 || fstat(fd, &a) != 0 || fstat(checked, &b) != 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		fail(path);
	return fd;
}

static int noexec_clone(int fd)
{
	struct mount_attr na = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					     MOUNT_ATTR_NOEXEC };
	int c = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
			  AT_RECURSIVE);

	if (c < 0 || mount_setattr(c, "", AT_EMPTY_PATH | AT_RECURSIVE, &na, sizeof(na)) != 0)
		fail("open_tree");
	return c;
}

static void attach(int c, int at)
{
	if (move_mount(c, "", at, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
		fail("move_mount");
	close(at);
}

static unsigned long long mount_id(int fd)
{
	struct statx sx;

	return statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 ? sx.stx_mnt_id : 0;
}

static int pin_open(int dir, const char *name, int type)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct statfs sf;

	if (fd >= 0 && (fstatfs(fd, &sf) != 0 || sf.f_type != NSFS_MAGIC ||
			ioctl(fd, NS_GET_NSTYPE) != type)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void pin(int dir, const char *sub, const char *name, int ns)
{
	char src[32], dst[160];
	int fd = openat(dir, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		fail("pin");
	close(fd);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", ns);
	snprintf(dst, sizeof(dst), PINS "/%s/%s", sub, name);
	if (mount(src, dst, NULL, MS_BIND, NULL) != 0)
		fail("pin mount");
}

static void make(int dir, const char *sub, const char *key)
{
	static const char *const masks[] = { "/run/user", "/run/screen" };
	char opts[64], name[96];
	int host = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC), mnt, ipc;

	if (host < 0 || unshare(CLONE_NEWNS | CLONE_NEWIPC) != 0)
		fail("unshare");
	part("unshare2");
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0 || umount2(PINS, MNT_DETACH) != 0)
		fail("slave");
	part("slave");
	snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u", (unsigned)uid, (unsigned)gid);
	if (access("/dev/shm", F_OK) == 0 &&
	    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) != 0)
		fail("/dev/shm");
	part("shm");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible") != 0)
		fail("/proc");
	part("proc");
	for (size_t i = 0; i < sizeof(masks) / sizeof(*masks); i++)
		if (access(masks[i], F_OK) == 0 &&
		    mount("tmpfs", masks[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=4k,mode=0755") != 0)
			fail(masks[i]);
	part("masks");
	if ((mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0 ||
	    (ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC)) < 0 ||
	    setns(host, CLONE_NEWNS) != 0)
		fail("setns back");
	snprintf(name, sizeof(name), "%s.ipc", key);
	pin(dir, sub, name, ipc);
	snprintf(name, sizeof(name), "%s.mnt", key);
	pin(dir, sub, name, mnt);
	if (setns(mnt, CLONE_NEWNS) != 0)
		fail("setns");
	close(host);
	close(mnt);
	close(ipc);
	part("pin");
}

/* A forked child takes a copy-on-write fault at its first write to each
 * page it shares with its parent, and the first system calls pay for them:
 * ~100 us here, that would land on the first parts timed. The launcher, a
 * fresh exec, has faults of its own but not these: take them before the
 * clock starts (stack, data, stdio, the clock itself). */
static void warm_up(void)
{
	volatile char stack[128 * 1024];
	char buf[256];
	struct stat st;

	for (size_t i = 0; i < sizeof(stack); i += 512)
		stack[i] = 1;
	for (int i = 0; i < 32; i++) {
		parts[i] = 0;
		names[i] = NULL;
	}
	snprintf(buf, sizeof(buf), "%s %d %.1f", "warm", 1, now_us());
	(void)stat("/", &st);
}

/* world_enter(), timed part by part */
static void world(int first)
{
	char sub[32], key[128], name[160], path[96];
	int site_fd, tmp_fd, site, tmp, rw[MAX_RW], dir, top, mnt, ipc, cwd, made = 0;
	struct stat st, ns;
	struct statx up;

	if ((site_fd = open(site_path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (tmp_fd = open(tmp_path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		fail("the site");
	mark = now_us();
	site = noexec_clone(site_fd);
	tmp = noexec_clone(tmp_fd);
	for (int i = 0; i < n_rw; i++)
		rw[i] = noexec_clone(tmp_fd);
	part("clones");
	if (stat("/proc/self/ns/mnt", &ns) != 0)
		fail("ns");
	part("nsstat");
	snprintf(sub, sizeof(sub), "%lu", (unsigned long)ns.st_ino);
	if (mkdir(PINS, 0700) != 0 && errno != EEXIST)
		fail(PINS);
	part("mkdir");
	if ((top = open(PINS, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(top, &st) != 0 || mount_id(top) == 0 || flock(top, LOCK_EX) != 0)
		fail(PINS);
	if (statx(top, "..", 0, STATX_MNT_ID, &up) != 0 || up.stx_mnt_id == mount_id(top)) {
		errno = EINVAL; /* the launcher made it its own mount on its first launch */
		fail(PINS " is not a mount of its own: launch through fcgi-suexec first");
	}
	close(top);
	snprintf(path, sizeof(path), PINS "/%s", sub);
	if ((mkdir(path, 0700) != 0 && errno != EEXIST) ||
	    (dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		fail(path);
	part("pinsdir");
	snprintf(key, sizeof(key), "%u.%s", (unsigned)uid, user);
	snprintf(name, sizeof(name), "%s.mnt", key);
	if ((mnt = pin_open(dir, name, CLONE_NEWNS)) < 0) {
		if (flock(dir, LOCK_EX) != 0)
			fail("flock");
		if ((mnt = pin_open(dir, name, CLONE_NEWNS)) < 0) {
			part("lookup");
			make(dir, sub, key);
			made = 1;
			mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		}
	} else {
		part("lookup");
	}
	if (first != made) {
		errno = EEXIST;
		fail(first ? "the world was not reset" : "the world was not there");
	}
	snprintf(name, sizeof(name), "%s.ipc", key);
	if (mnt < 0 || (ipc = pin_open(dir, name, CLONE_NEWIPC)) < 0 ||
	    setns(mnt, CLONE_NEWNS) != 0 || setns(ipc, CLONE_NEWIPC) != 0)
		fail("setns");
	close(dir);
	close(mnt);
	close(ipc);
	if (stat("/dev/shm", &st) == 0 && st.st_uid != uid)
		fail("/dev/shm is not the user's");
	part("setns");
	if (unshare(CLONE_NEWNS) != 0)
		fail("unshare");
	part("unshare1");
	attach(tmp, reopen(tmp_path, tmp_fd));
	part("m_tmp");
	static const char *const temps[] = { "/tmp", "/var/tmp", "/var/lib/php/sessions" };
	for (size_t i = 0; i < sizeof(temps) / sizeof(*temps); i++) {
		int at = open(temps[i], O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);

		if (at < 0 && errno == ENOENT && i == 2)
			continue;
		if (at < 0)
			fail(temps[i]);
		attach(noexec_clone(tmp), at);
	}
	part("m_temps");
	for (int i = 0; i < n_rw; i++)
		attach(rw[i], reopen(tmp_path, tmp_fd));
	part("m_rw");
	attach(site, reopen(site_path, site_fd));
	if ((cwd = reopen(site_path, site_fd)) < 0 || mount_id(cwd) != mount_id(site))
		fail("the working directory");
	part("m_site");
	int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int shm = open("/dev/shm", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0 || shm < 0)
		fail("/proc, /dev/shm");
	close(site);
	close(tmp);
	part("opens");
}

static void usage(void)
{
	fprintf(stderr, "usage: worldparts --site DIR --tmp DIR --user NAME [--launches N] "
		"[--extra-rw N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const char *const variants[] = { "none", "first", "later" };
	long launches = 200;
	struct stat st;
	int i;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--site") == 0)
			site_path = argv[i + 1];
		else if (strcmp(argv[i], "--tmp") == 0)
			tmp_path = argv[i + 1];
		else if (strcmp(argv[i], "--user") == 0)
			user = argv[i + 1];
		else if (strcmp(argv[i], "--launches") == 0)
			launches = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--extra-rw") == 0)
			n_rw = atoi(argv[i + 1]);
		else
			usage();
	}
	if (i != argc || site_path == NULL || tmp_path == NULL || user == NULL || launches < 1 ||
	    n_rw < 0 || n_rw > MAX_RW || geteuid() != 0)
		usage();
	if (stat(site_path, &st) != 0)
		fail(site_path);
	uid = st.st_uid;
	gid = st.st_gid;
	for (long k = 0; k < launches; k++) {
		for (int v = 0; v < 3; v++) {
			int vv = (int)((v + k) % 3), fds[2], st2;
			double last, t1;
			pid_t pid;

			if (vv == 1)
				(void)world_reset(user);
			if (pipe2(fds, O_CLOEXEC) != 0)
				fail("pipe");
			fflush(stdout);
			pid = fork();
			if (pid < 0)
				fail("fork");
			if (pid == 0) {
				char line[1024];
				size_t n;

				close(fds[0]);
				warm_up();
				nparts = 0;
				if (vv > 0)
					world(vv == 1);
				n = (size_t)snprintf(line, sizeof(line), "%s", variants[vv]);
				double total = 0;
				for (int p = 0; p < nparts; p++) {
					total += parts[p];
					n += (size_t)snprintf(line + n, sizeof(line) - n, "\t%s=%.1f",
							      names[p], parts[p]);
				}
				n += (size_t)snprintf(line + n, sizeof(line) - n, "\ttotal=%.1f", total);
				if (write(1, line, n) != (ssize_t)n)
					_exit(111);
				last = now_us();
				if (write(fds[1], &last, sizeof(last)) != (ssize_t)sizeof(last))
					_exit(111);
				_exit(0);
			}
			close(fds[1]);
			if (read(fds[0], &last, sizeof(last)) != (ssize_t)sizeof(last))
				last = 0;
			close(fds[0]);
			if (waitpid(pid, &st2, 0) != pid)
				fail("waitpid");
			t1 = now_us();
			if (!WIFEXITED(st2) || WEXITSTATUS(st2) != 0 || last == 0) {
				fprintf(stderr, "worldparts: a %s launch failed\n", variants[vv]);
				return 1;
			}
			printf("\texit=%.1f\n", t1 - last);
		}
	}
	return 0;
}
