/* world.h - the site's own world: mount and IPC namespaces (SECURITY.md). */
#ifndef FCGI_SUEXEC_WORLD_H
#define FCGI_SUEXEC_WORLD_H

#include <sys/types.h>

#include "sandbox.h"

#define WORLD_PINS "/run/fcgi-suexec" /* root's: a directory of pins per mount namespace */
#define WORLD_UNAVAILABLE 1           /* the kernel lets us make no namespace */

/* What was checked: the site's top directory (its Landlock root) and the
 * working directory in it, the temp, by path as walked and by descriptor. */
struct world_site {
	uid_t uid; gid_t gid;
	const char *name, *site, *dir, *tmp;
	int site_fd, dir_fd;
};

/* Join the site's world (made and pinned on its first launch), then enter
 * a mount namespace of this launch's own: the private temp on /tmp, /var/tmp
 * and /var/lib/php/sessions, the site, the temp and EXTRA_RW noexec. Returns
 * 0 with *cwd on the new mount, sp->proc and sp->shm the world's, *how "made"
 * or "joined"; -errno with *how the step; or WORLD_UNAVAILABLE. */
int world_enter(const struct world_site *s, struct sandbox_paths *sp, int *cwd, const char **how);

#endif
