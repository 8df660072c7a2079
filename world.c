/* world.c - each site's own world, made as root before the drop: private
 * copies of what programs expect to share (/tmp, /var/tmp, /dev/shm, SysV
 * IPC, /proc), the user's own services out of reach (/run/user), and nothing
 * the site can write mapped executable (its tree, its temp, EXTRA_RW
 * remounted noexec). Why each part, and the pins: SECURITY.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"
#include "world.h"

#define FAIL(step) do { *how = (step); return -errno; } while (0)

/* `path` as this namespace resolves it, proven to be the directory or file
 * `checked` (same device and inode): the launcher never mounts on a path
 * that changed since its check. Symlinks only where the check allowed them
 * (root's, on EXTRA paths). */
static int reopen(const char *path, int checked, bool links)
{
	struct open_how oh = { .flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_MAGICLINKS | (links ? 0 : RESOLVE_NO_SYMLINKS) };
	struct stat a, b;
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &oh, sizeof(oh));

	if (fd < 0 || fstat(fd, &a) != 0 || fstat(checked, &b) != 0)
		return -1;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		close(fd);
		errno = ESTALE; /* moved or replaced after the check */
		return -1;
	}
	return fd;
}

/* A copy of the mount tree at `fd`, nosuid, nodev and noexec throughout. */
static int noexec_clone(int fd)
{
	struct mount_attr na = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					     MOUNT_ATTR_NOEXEC };
	int c = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
			  AT_RECURSIVE);

	if (c >= 0 && mount_setattr(c, "", AT_EMPTY_PATH | AT_RECURSIVE, &na, sizeof(na)) != 0) {
		close(c);
		c = -1;
	}
	return c;
}

/* Put the detached tree `c` on the directory or file `at`. */
static int attach(int c, int at)
{
	int rc = move_mount(c, "", at, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);

	close(at);
	return rc;
}

static unsigned long long mount_id(int fd)
{
	struct statx sx;

	return statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 &&
	       (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
}

/* A pin of the site's namespace of `type`, or -1 with ENOENT when there is
 * none: no file, or the plain file a crash or an umount left behind. */
static int pin_open(int dir, const char *name, int type)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct statfs sf;

	if (fd >= 0 && (fstatfs(fd, &sf) != 0 || sf.f_type != NSFS_MAGIC ||
			ioctl(fd, NS_GET_NSTYPE) != type)) {
		close(fd);
		fd = -1;
		errno = ENOENT;
	}
	return fd;
}

/* Pin the namespace open on `ns` at WORLD_PINS/<ns of the caller>/<name>,
 * as `ip netns` does: a bind mount of its nsfs file. */
static int pin(int dir, const char *sub, const char *name, int ns)
{
	char src[32], dst[160];
	int fd = openat(dir, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	close(fd);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", ns);
	snprintf(dst, sizeof(dst), WORLD_PINS "/%s/%s", sub, name);
	return mount(src, dst, NULL, MS_BIND, NULL);
}

/* The site's world, made on its first launch in this mount namespace. */
static int make(const struct world_site *s, int dir, const char *sub, const char *key,
		const char **how)
{
	static const char *const masks[] = { "/run/user", "/run/screen" };
	char opts[64], name[96];
	int host = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC), mnt, ipc;

	if (host < 0)
		FAIL("/proc/self/ns/mnt");
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC) != 0)
		FAIL("unshare");
	/* The host's later mounts reach the site (a new docroot), none of the
	 * site's go back; no site sees the pins (they would pin each other). */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0 ||
	    umount2(WORLD_PINS, MNT_DETACH) != 0)
		FAIL("mount propagation");
	/* POSIX shared memory of this site only, and no executable in it. */
	snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u", (unsigned)s->uid, (unsigned)s->gid);
	if (access("/dev/shm", F_OK) == 0 && /* where there is one */
	    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) != 0)
		FAIL("mount /dev/shm");
	/* A /proc of its own: the worker sees its user's processes only. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible") != 0)
		FAIL("mount /proc");
	/* No way to the user's own services: systemd's bus, screen's sockets. */
	for (size_t i = 0; i < sizeof(masks) / sizeof(*masks); i++)
		if (access(masks[i], F_OK) == 0 &&
		    mount("tmpfs", masks[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=4k,mode=0755") != 0)
			FAIL(masks[i]);
	if ((mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0 ||
	    (ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC)) < 0)
		FAIL("the new namespaces");
	if (setns(host, CLONE_NEWNS) != 0)
		FAIL("setns back");
	snprintf(name, sizeof(name), "%s.ipc", key);
	if (pin(dir, sub, name, ipc) != 0)
		FAIL("pinning the IPC namespace");
	snprintf(name, sizeof(name), "%s.mnt", key);
	if (pin(dir, sub, name, mnt) != 0)
		FAIL("pinning the mount namespace");
	if (setns(mnt, CLONE_NEWNS) != 0)
		FAIL("setns");
	close(host);
	close(mnt);
	close(ipc);
	return 0;
}

/* WORLD_PINS/<inode of our mount namespace>: root's and private, on a
 * mount of its own with no propagation (a pin must never propagate into
 * the namespace it pins). A caller in another namespace (Apache under
 * PrivateTmp, a test) gets worlds made from its own view of the system. */
static int pins_dir(char *sub, size_t len, const char **how)
{
	struct stat st, ns;
	int top, dir;

	if (stat("/proc/self/ns/mnt", &ns) != 0)
		FAIL("/proc/self/ns/mnt");
	snprintf(sub, len, "%lu", (unsigned long)ns.st_ino);
	if (mkdir(WORLD_PINS, 0700) != 0 && errno != EEXIST)
		FAIL("mkdir " WORLD_PINS);
	if ((top = open(WORLD_PINS, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(top, &st) != 0)
		FAIL(WORLD_PINS);
	if (st.st_uid != 0 || (st.st_mode & 077) != 0) {
		errno = EPERM;
		FAIL(WORLD_PINS " (must be root's, mode 0700)");
	}
	if (mount_id(top) == 0 || flock(top, LOCK_EX) != 0)
		FAIL("locking " WORLD_PINS);
	struct statx up;
	if (statx(top, "..", 0, STATX_MNT_ID, &up) == 0 && up.stx_mnt_id == mount_id(top)) {
		if (mount(WORLD_PINS, WORLD_PINS, NULL, MS_BIND, NULL) != 0) {
			*how = "mount " WORLD_PINS;
			return errno == EPERM ? WORLD_UNAVAILABLE : -errno;
		}
		if (mount(NULL, WORLD_PINS, NULL, MS_PRIVATE, NULL) != 0)
			FAIL("private " WORLD_PINS);
	}
	close(top); /* the lock goes with it */
	char path[96];
	snprintf(path, sizeof(path), WORLD_PINS "/%s", sub);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		FAIL("mkdir pins");
	if ((dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		FAIL("pins");
	return dir;
}

int world_enter(const struct world_site *s, struct sandbox_paths *sp, int *cwd,
		const char **how)
{
	char sub[32], key[ARG_MAX_NAME + 16], name[ARG_MAX_NAME + 24];
	int dir, mnt, ipc, rc, site, tmp, rw[EXTRA_MAX];
	bool made = false;
	struct stat st;

	/* What we make is root's alone (the caller's gid is our egid still). */
	if (setegid(0) != 0)
		FAIL("setegid");
	/* Copies of what the site may write, taken where we checked it: a
	 * clone can only be made of a mount in our own namespace. */
	if ((site = noexec_clone(s->site_fd)) < 0 || (tmp = noexec_clone(sp->tmp)) < 0)
		FAIL("open_tree");
	for (int i = 0; i < sp->n_rw; i++)
		if ((rw[i] = noexec_clone(sp->rw[i])) < 0)
			FAIL("open_tree EXTRA_RW");
	if ((dir = pins_dir(sub, sizeof(sub), how)) < 0 || dir == WORLD_UNAVAILABLE)
		return dir;
	/* One world per user: a uid reused under another name gets a new one. */
	snprintf(key, sizeof(key), "%u.%s", (unsigned)s->uid, s->name);
	snprintf(name, sizeof(name), "%s.mnt", key);
	if ((mnt = pin_open(dir, name, CLONE_NEWNS)) < 0) {
		/* First launch: one launch makes it while the others wait. */
		if (errno != ENOENT || flock(dir, LOCK_EX) != 0)
			FAIL("the site's pins");
		if ((mnt = pin_open(dir, name, CLONE_NEWNS)) < 0 && errno != ENOENT)
			FAIL("the site's pins");
		if (mnt < 0) {
			if ((rc = make(s, dir, sub, key, how)) != 0)
				return rc;
			made = true;
			mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		}
	}
	snprintf(name, sizeof(name), "%s.ipc", key);
	if (mnt < 0 || (ipc = pin_open(dir, name, CLONE_NEWIPC)) < 0)
		FAIL("the site's pinned namespaces");
	if (setns(mnt, CLONE_NEWNS) != 0 || setns(ipc, CLONE_NEWIPC) != 0)
		FAIL("setns");
	close(dir); /* the lock goes with it */
	close(mnt);
	close(ipc);
	/* Proof that this world was made for this user: its /dev/shm. */
	if (stat("/dev/shm", &st) == 0 && (st.st_uid != s->uid || (st.st_mode & 07777) != 0700)) {
		errno = EPERM;
		FAIL("the pinned world's /dev/shm is not the user's");
	}
	/* This launch's own namespace: its mounts reach no other launch. The
	 * world's mounts are slaves of the host's, and so are their copies. */
	if (unshare(CLONE_NEWNS) != 0)
		FAIL("unshare");
	static const char *const temps[] = { "/tmp", "/var/tmp", "/var/lib/php/sessions" };
	if ((rc = reopen(s->tmp, sp->tmp, false)) < 0 || attach(tmp, rc) != 0)
		FAIL("mounting the private temp");
	for (size_t i = 0; i < sizeof(temps) / sizeof(*temps); i++) {
		int at = open(temps[i], O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC), c;

		if (at < 0 && errno == ENOENT && i == 2)
			continue; /* PHP's sessions directory is not there */
		if (at < 0 || (c = noexec_clone(tmp)) < 0 || attach(c, at) != 0)
			FAIL(temps[i]);
	}
	for (int i = 0; i < sp->n_rw; i++)
		if ((rc = reopen(sp->rw_path[i], sp->rw[i], true)) < 0 || attach(rw[i], rc) != 0)
			FAIL("mount EXTRA_RW");
	if ((rc = reopen(s->site, s->site_fd, false)) < 0 || attach(site, rc) != 0)
		FAIL("mount the site");
	/* The working directory on the new, noexec mount: by path again in
	 * this namespace, proven the checked one and on that mount. */
	if ((*cwd = reopen(s->dir, s->dir_fd, false)) < 0)
		FAIL("the working directory");
	if (mount_id(*cwd) != mount_id(site) || mount_id(site) == 0) {
		errno = EXDEV;
		FAIL("the working directory is not on the site's new mount");
	}
	if ((sp->proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    ((sp->shm = open("/dev/shm", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 && errno != ENOENT))
		FAIL("/proc, /dev/shm");
	close(site);
	close(tmp);
	*how = made ? "made" : "joined";
	return 0;
}
