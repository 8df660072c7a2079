/* world.c - each site's own world, made as root before the drop (SECURITY.md, "The site's world"). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"
#include "world.h"

#define FAIL(step) do { *how = (step); return -errno; } while (0) /* fds leak: the launch ends */
/* Only a kernel that refuses the first step of all leaves us unchanged. */
#define FIRST(step) do { *how = (step); return errno == EPERM ? WORLD_UNAVAILABLE : -errno; } while (0)
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define NOEXEC (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* `path` here, proven `checked` (device, inode): no mount lands on a path changed since the check. */
static int reopen(const char *path, int checked, bool links)
{
	struct open_how oh = { .flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_MAGICLINKS | (links ? 0 : RESOLVE_NO_SYMLINKS) };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &oh, sizeof(oh));
	struct stat a, b;

	if (fd >= 0 && (fstat(fd, &a) != 0 || fstat(checked, &b) != 0 ||
			a.st_dev != b.st_dev || a.st_ino != b.st_ino)) {
		errno = ESTALE; /* moved or replaced since the check */
		return -1;
	}
	return fd;
}

/* A detached copy of the mount tree at `fd`, nosuid, nodev, noexec throughout. */
static int noexec_clone(int fd)
{
	struct mount_attr na = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	int c = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);

	return c < 0 || mount_setattr(c, "", AT_EMPTY_PATH | AT_RECURSIVE, &na, sizeof(na)) != 0 ? -1 : c;
}

/* Put the detached tree `c` on `at` (never a path again); close `at`, and `c` unless `keep`. */
static int attach(int c, int at, bool keep)
{
	if (at < 0 || move_mount(c, "", at, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
		return -1;
	return close(at) | (keep ? 0 : close(c));
}

static unsigned long long mount_id(int fd, const char *path)
{
	struct statx sx;

	return statx(fd, path, path[0] ? 0 : AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 &&
	       (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
}

/* The site's nsfs pin of `type`; -1 with ENOENT if none (or a crash's plain file). */
static int pin_open(int dir, const char *key, const char *ext, int type)
{
	char name[ARG_MAX_NAME + 24];
	int fd;

	snprintf(name, sizeof(name), "%s.%s", key, ext);
	/* NS_GET_NSTYPE answers on nsfs files only */
	if ((fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0 &&
	    ioctl(fd, NS_GET_NSTYPE) != type) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	return fd;
}

/* Bind-mount ns's nsfs file at PINS/KEY.EXT as `ip netns` does (ns -1: unpin). */
static int pin(int dir, const char *pins, const char *key, const char *ext, int ns)
{
	char src[32], dst[160];
	int fd;

	snprintf(dst, sizeof(dst), "%s.%s", key, ext);
	if (ns >= 0 && ((fd = openat(dir, dst, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
			close(fd) != 0))
		return -1;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", ns);
	snprintf(dst, sizeof(dst), "%s/%s.%s", pins, key, ext);
	return ns < 0 ? umount2(dst, MNT_DETACH) : mount(src, dst, NULL, MS_BIND, NULL);
}

/* The world, made and pinned on the site's first launch, IPC first (the mount pin stands for all).
 * Linux 6.18 numbers mount namespaces per CPU and binds one only into an older one: made on another
 * CPU than the caller's it may look older (EINVAL): try again from each CPU. */
static int make(const struct world_site *s, int dir, const char *pins, const char *key,
		const char **how)
{
	static const char *const masks[] = { "/run/user", "/run/screen" };
	int host = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC), site, ipc;
	cpu_set_t was, one;
	char opts[64];

	if (host < 0 || sched_getaffinity(0, sizeof(was), &was) != 0)
		FAIL("/proc/self/ns/mnt");
	for (int cpu = 0;; cpu++) {
		if (unshare(CLONE_NEWNS | CLONE_NEWIPC) != 0)
			FIRST("unshare");
		/* Host mounts reach the site (a new docroot), none go back; no pins in it. */
		if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0 ||
		    umount2(WORLD_PINS, MNT_DETACH) != 0)
			FAIL("mount propagation");
		/* POSIX shared memory of this site only, no executable in it. */
		snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u", (unsigned)s->uid, (unsigned)s->gid);
		if (access("/dev/shm", F_OK) == 0 && mount("tmpfs", "/dev/shm", "tmpfs", NOEXEC, opts) != 0)
			FAIL("mount /dev/shm");
		/* A /proc of its own: no other user's processes, command lines, environments. */
		if (mount("proc", "/proc", "proc", NOEXEC, "hidepid=invisible") != 0)
			FAIL("mount /proc");
		/* No way to the user's own services: systemd's bus (systemd-run --user), screen. */
		for (size_t i = 0; i < sizeof(masks) / sizeof(*masks); i++)
			if (access(masks[i], F_OK) == 0 &&
			    mount("tmpfs", masks[i], "tmpfs", MS_RDONLY | NOEXEC, "size=4k,mode=0755") != 0)
				FAIL(masks[i]);
		if ((site = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0 ||
		    (ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC)) < 0 ||
		    setns(host, CLONE_NEWNS) != 0 || pin(dir, pins, key, "ipc", ipc) != 0)
			FAIL("pinning the site's IPC namespace");
		if (pin(dir, pins, key, "mnt", site) == 0)
			break;
		while (errno == EINVAL && cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &was))
			cpu++;
		if (errno != EINVAL || cpu == CPU_SETSIZE || pin(dir, pins, key, "ipc", -1) != 0)
			FAIL("pinning the site's mount namespace");
		close(site);
		close(ipc);
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0)
			FAIL("sched_setaffinity");
	}
	if (sched_setaffinity(0, sizeof(was), &was) != 0)
		FAIL("sched_setaffinity");
	return close(host) | close(site) | close(ipc);
}

/* WORLD_PINS/<inode of the caller's mount namespace>, made if need be, returned locked: root's, on
 * a mount of its own propagating nothing (a pin must never reach what it pins); a view, its worlds. */
static int pins_dir(const char *pins, const char **how)
{
	struct stat st;
	int top, dir;

	if ((mkdir(WORLD_PINS, 0700) != 0 && errno != EEXIST) ||
	    (top = open(WORLD_PINS, DIR_FLAGS)) < 0 || fstat(top, &st) != 0)
		FAIL(WORLD_PINS);
	if (st.st_uid != 0 || (st.st_mode & 077) != 0) {
		errno = EPERM;
		FAIL(WORLD_PINS ": must be root's, mode 0700");
	}
	if (flock(top, LOCK_EX) != 0) /* then, not a mount of its own yet: bind it, once */
		FAIL("locking " WORLD_PINS);
	if (mount_id(top, "") == mount_id(top, "..")) {
		if (mount(WORLD_PINS, WORLD_PINS, NULL, MS_BIND, NULL) != 0)
			FIRST("mount " WORLD_PINS);
		if (mount(NULL, WORLD_PINS, NULL, MS_PRIVATE, NULL) != 0)
			FAIL("mount " WORLD_PINS);
	}
	close(top); /* and its lock */
	if ((mkdir(pins, 0700) != 0 && errno != EEXIST) || (dir = open(pins, DIR_FLAGS)) < 0 ||
	    flock(dir, LOCK_EX) != 0) /* the first launch makes the world, the others wait */
		FAIL(WORLD_PINS);
	return dir;
}

int world_enter(const struct world_site *s, struct sandbox_paths *sp, int *cwd, const char **how)
{
	static const char *const temps[] = { "/tmp", "/var/tmp", "/var/lib/php/sessions" };
	char pins[64], key[ARG_MAX_NAME + 16];
	int dir, mnt, ipc, rc, site, tmp, rw[EXTRA_MAX];
	const char *done = "joined";
	struct stat st;

	/* What we make is root's alone (our egid is still the caller's). */
	if (setegid(0) != 0)
		FAIL("setegid");
	/* Copies of what the site may write, from where we checked it (our namespace's). */
	if ((site = noexec_clone(s->site_fd)) < 0)
		FIRST("open_tree");
	if ((tmp = noexec_clone(sp->tmp)) < 0)
		FAIL("open_tree");
	for (int i = 0; i < sp->n_rw; i++)
		if ((rw[i] = noexec_clone(sp->rw[i])) < 0)
			FAIL("open_tree EXTRA_RW");
	/* One world per uid and name; joined at once when pinned, else made under the lock. */
	snprintf(key, sizeof(key), "%u.%s", (unsigned)s->uid, s->name);
	if (stat("/proc/self/ns/mnt", &st) != 0)
		FAIL("/proc/self/ns/mnt");
	snprintf(pins, sizeof(pins), WORLD_PINS "/%lu", (unsigned long)st.st_ino);
	if ((dir = open(pins, DIR_FLAGS)) < 0 || (mnt = pin_open(dir, key, "mnt", CLONE_NEWNS)) < 0) {
		if (dir >= 0)
			close(dir);
		if ((dir = pins_dir(pins, how)) < 0 || dir == WORLD_UNAVAILABLE) /* fd 1 is never a dir */
			return dir;
		while ((mnt = pin_open(dir, key, "mnt", CLONE_NEWNS)) < 0) { /* made? */
			if (errno != ENOENT || done[0] == 'm')
				FAIL("the site's pins");
			if ((rc = make(s, dir, pins, key, how)) != 0)
				return rc;
			done = "made";
		}
	}
	if ((ipc = pin_open(dir, key, "ipc", CLONE_NEWIPC)) < 0 ||
	    setns(mnt, CLONE_NEWNS) != 0 || setns(ipc, CLONE_NEWIPC) != 0)
		FAIL("joining the site's pinned namespaces");
	close(dir); /* and its lock */
	close(mnt);
	close(ipc);
	/* Proof that the pinned world was made for this user: its /dev/shm. */
	if (stat("/dev/shm", &st) == 0 && (st.st_uid != s->uid || (st.st_mode & 07777) != 0700)) {
		errno = EPERM;
		FAIL("the pinned world's /dev/shm is not the user's");
	}
	/* A namespace of this launch's own: its mounts reach no other launch. */
	if (unshare(CLONE_NEWNS) != 0)
		FAIL("unshare");
	if (attach(tmp, reopen(s->tmp, sp->tmp, false), true) != 0)
		FAIL("mounting the private temp");
	for (size_t i = 0; i < sizeof(temps) / sizeof(*temps); i++) {
		int at = open(temps[i], O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC), c;

		if ((at >= 0 || errno != ENOENT || i < 2) && /* PHP's sessions directory may be missing */
		    ((c = noexec_clone(tmp)) < 0 || attach(c, at, false) != 0))
			FAIL(temps[i]);
	}
	for (int i = 0; i < sp->n_rw; i++)
		if (attach(rw[i], reopen(sp->rw_path[i], sp->rw[i], true), false) != 0)
			FAIL("mounting EXTRA_RW");
	if (attach(site, reopen(s->site, s->site_fd, false), true) != 0 || close(tmp) != 0)
		FAIL("mounting the site");
	/* The cwd: the checked one, on the new noexec mount (device and inode cannot tell). */
	if ((*cwd = reopen(s->dir, s->dir_fd, false)) < 0)
		FAIL("the working directory");
	if (mount_id(*cwd, "") != mount_id(site, "")) {
		errno = EXDEV;
		FAIL("the working directory is not on the site's new mount");
	}
	if ((sp->proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    ((sp->shm = open("/dev/shm", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 && errno != ENOENT))
		FAIL("/proc, /dev/shm");
	close(site);
	*how = done;
	return 0;
}
