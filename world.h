/* world.h - the site's own world: mount and IPC namespaces (SECURITY.md). */
#ifndef FCGI_SUEXEC_WORLD_H
#define FCGI_SUEXEC_WORLD_H

#include <sys/types.h>

#include "sandbox.h"

#define WORLD_PINS "/run/fcgi-suexec" /* root's: a directory of pins per mount namespace */
#define WORLD_UNAVAILABLE 1           /* the kernel lets us make no namespace */

/* What was checked: the site's top (Landlock's root), the cwd in it, the temp; by path and fd. */
struct world_site {
	uid_t uid; gid_t gid;
	const char *name, *site, *dir, *tmp;
	int site_fd, dir_fd;
};

/* Join the site's world (made, pinned on its first launch), then a mount namespace of this launch's:
 * the private temp on /tmp, /var/tmp, PHP's sessions; site, temp, EXTRA_RW noexec. 0 (*cwd on the
 * new mount, sp->proc, sp->shm, *how "made" or "joined"), -errno (*how the step), WORLD_UNAVAILABLE. */
int world_enter(const struct world_site *s, struct sandbox_paths *sp, int *cwd, const char **how);

#endif
