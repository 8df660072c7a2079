/* sandbox.c - the Landlock domain and the seccomp filter (built by tools/seccomp-gen.c) of a worker. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"
#include "sandbox.h"

/* ---- Landlock (raw system calls, as the kernel's sandboxer sample) ---- */

/* The installed uapi header predates ABI 3..6: these are the kernel's values. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define NET_BIND_TCP (1ULL << 0)             /* LANDLOCK_ACCESS_NET_BIND_TCP, ABI 4 */
#define SCOPE_ABSTRACT_UNIX (1ULL << 0)      /* LANDLOCK_SCOPE_*, ABI 6 */
#define SCOPE_SIGNAL (1ULL << 1)

/* struct landlock_ruleset_attr as of ABI 6; older kernels take it with the fields they lack zero. */
struct ruleset_attr { __u64 handled_access_fs, handled_access_net, scoped; };

#define FS_R (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_RX (FS_R | LANDLOCK_ACCESS_FS_EXECUTE)
/* A site's own tree: read, write, but no execute, device node or symlink (the web server would
 * follow one to another site's file); sockets and FIFOs stay (gpg-agent and the like). */
#define FS_RW (FS_R | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
	       LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
	       LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_REFER | \
	       LANDLOCK_ACCESS_FS_TRUNCATE)
/* Rights that make sense on a file (the kernel refuses others there). */
#define FS_FILE (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
		 LANDLOCK_ACCESS_FS_IOCTL_DEV)

int sandbox_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (LANDLOCK_ABI_MAX > 0 && abi > LANDLOCK_ABI_MAX) /* test builds: an older kernel's rules */
		abi = LANDLOCK_ABI_MAX;
	return abi < 0 ? 0 : (int)abi;
}

/* All the ABI can deny is handled (not granted: denied); rights it lacks masked (sandboxer.c). */
static struct ruleset_attr handled(int abi)
{
	struct ruleset_attr a = { (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1, 0, 0 };

	switch (abi) {
	default: /* 6 and later */
		a.scoped = SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL; /* fall through */
	case 5:
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV; /* fall through */
	case 4: /* connect stays open */
		a.handled_access_net = NET_BIND_TCP; /* fall through */
	case 3:
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE; /* fall through */
	case 2:
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER; /* fall through */
	case 1:
		break;
	}
	return a;
}

const char *sandbox_landlock_applied(int abi)
{
	static const char *const by_abi[] = {
		"none",
		"fs;missing:truncate,ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal",
		"fs;missing:truncate,ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal",
		"fs,truncate;missing:ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal",
		"fs,truncate,net-bind-tcp;missing:ioctl-dev,scope-abstract-unix,scope-signal",
		"fs,truncate,ioctl-dev,net-bind-tcp;missing:scope-abstract-unix,scope-signal",
		"fs,truncate,ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal",
	};

	return by_abi[abi < 0 ? 0 : abi > 6 ? 6 : abi];
}

/* Allow `access` beneath the file or directory open on `fd`. */
static int allow_fd(int ruleset, int fd, __u64 access, __u64 fs)
{
	struct landlock_path_beneath_attr rule = { .parent_fd = fd };
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		access &= FS_FILE;
	rule.allowed_access = access & fs;
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
		return -errno;
	return 0;
}

/* Allow `access` beneath a root-owned system path, passed over where missing (/lib32, say). */
static int allow_path(int ruleset, const char *path, __u64 access, __u64 fs)
{
	int fd = open(path, O_PATH | O_CLOEXEC), rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	rc = allow_fd(ruleset, fd, access, fs);
	close(fd);
	return rc;
}

int sandbox_landlock(int abi, const struct sandbox_paths *p, const char **what)
{
	static const struct { const char *path; __u64 access; } sys_paths[] = {
		{ "/usr", FS_RX }, { "/lib", FS_RX }, { "/lib32", FS_RX }, { "/lib64", FS_RX },
		{ "/libx32", FS_RX }, { "/bin", FS_RX }, { "/sbin", FS_RX }, { "/etc", FS_RX },
		{ "/dev/null", FS_FILE & ~LANDLOCK_ACCESS_FS_EXECUTE &
			       ~LANDLOCK_ACCESS_FS_IOCTL_DEV },
		{ "/dev/urandom", LANDLOCK_ACCESS_FS_READ_FILE },
	};
	const struct { int fd; bool optional; __u64 access; } fds[] = {
		{ p->interp, false, FS_RX }, { p->ini, true, LANDLOCK_ACCESS_FS_READ_FILE },
		{ p->docroot, false, FS_RW }, { p->tmp, false, FS_RW },
		{ p->proc, true, FS_R }, { p->shm, true, FS_RW },
	};
	struct ruleset_attr attr = handled(abi);
	__u64 fs = attr.handled_access_fs;
	int ruleset, rc = 0;

	*what = "landlock_create_ruleset";
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0)
		return -errno;
	*what = "landlock rules";
	for (size_t i = 0; rc == 0 && i < sizeof(sys_paths) / sizeof(*sys_paths); i++)
		rc = allow_path(ruleset, sys_paths[i].path, sys_paths[i].access, fs);
	for (size_t i = 0; rc == 0 && i < sizeof(fds) / sizeof(*fds); i++)
		if (fds[i].fd >= 0 || !fds[i].optional) /* a required -1 fails (EBADF) */
			rc = allow_fd(ruleset, fds[i].fd, fds[i].access, fs);
	for (int i = 0; rc == 0 && i < p->n_ro; i++)
		rc = allow_fd(ruleset, p->ro[i], FS_RX, fs);
	for (int i = 0; rc == 0 && i < p->n_rw; i++)
		rc = allow_fd(ruleset, p->rw[i], FS_RW, fs);
	/* No TCP port rule at all: the worker may not bind any (ABI 4). */
	if (rc == 0 && syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
		rc = -errno;
		*what = "landlock_restrict_self";
	}
	close(ruleset);
	return rc;
}

/* ---- seccomp ---- */

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "seccomp-filter.h" /* built by tools/seccomp-gen with libseccomp */

int sandbox_seccomp(const char **what)
{
	struct sock_fprog prog = {
		.len = sizeof(seccomp_filter) / sizeof(seccomp_filter[0]),
		.filter = (struct sock_filter *)seccomp_filter,
	};

	*what = "seccomp";
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0 ? -errno : 0;
}
