/* sandbox.h - kernel confinement applied just before exec. */
#ifndef FCGI_SUEXEC_SANDBOX_H
#define FCGI_SUEXEC_SANDBOX_H

/* Load the seccomp filter. Returns 0, or -errno with *what naming the step. */
int sandbox_seccomp(const char **what);

#endif
