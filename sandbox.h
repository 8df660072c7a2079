/* sandbox.h - kernel confinement applied just before exec. */
#ifndef FCGI_SUEXEC_SANDBOX_H
#define FCGI_SUEXEC_SANDBOX_H

/* The Landlock ABI the running kernel offers, 0 when it has none. */
int sandbox_landlock_abi(void);

/* What a given ABI lets us apply, for -V and the logs. */
const char *sandbox_landlock_applied(int abi);

/* Confine the process with Landlock: read and execute on the system trees,
 * EXTRA_RO and the two files, read-write on the two directories and
 * EXTRA_RW, no TCP bind, scoped signals and abstract sockets. Descriptors
 * are O_PATH ones already checked. Returns 0, or -errno with *what set. */
int sandbox_landlock(int abi, int docroot_fd, int tmp_fd, int interp_fd, int ini_fd,
		     const char **what);

/* Load the seccomp filter. Returns 0, or -errno with *what naming the step. */
int sandbox_seccomp(const char **what);

#endif
