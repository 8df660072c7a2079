/* sandbox.h - kernel confinement applied just before exec. */
#ifndef FCGI_SUEXEC_SANDBOX_H
#define FCGI_SUEXEC_SANDBOX_H

int sandbox_landlock_abi(void); /* the running kernel's Landlock ABI, 0 when it has none */
/* What an ABI's domain protects and leaves open: one word for -V, --check, the allow log. */
const char *sandbox_landlock_applied(int abi);

#define EXTRA_MAX 16 /* paths in each of EXTRA_RO and EXTRA_RW */

/* What a worker may reach beyond the system trees: O_PATH fds checked as root (-1: none). */
struct sandbox_paths {
	int docroot, tmp, interp, ini, proc, shm; /* proc, shm: the site's world's */
	int ro[EXTRA_MAX + 2], rw[EXTRA_MAX]; /* fpm's template, EXTRA_RO, resolv.conf's; EXTRA_RW */
	const char *rw_path[EXTRA_MAX];
	int n_ro, n_rw;
};

/* Landlock: read, execute on the system trees, EXTRA_RO, the two files; read-write on the two
 * directories, EXTRA_RW; no TCP bind, scoped signals and sockets. 0, or -errno with *what set. */
int sandbox_landlock(int abi, const struct sandbox_paths *p, const char **what);
int sandbox_seccomp(const char **what); /* 0, or -errno with *what naming the step */

#endif
