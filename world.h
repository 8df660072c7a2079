/* world.h - the site's own world: mount and IPC namespaces (SECURITY.md). */
#ifndef FCGI_SUEXEC_WORLD_H
#define FCGI_SUEXEC_WORLD_H

#include <sys/types.h>

#include "sandbox.h"

#define WORLD_PINS "/run/fcgi-suexec" /* root's: one directory of pins per mount namespace */
#define WORLD_UNAVAILABLE 1           /* the kernel lets us make no namespace */

/* What the launcher checked: the site's top directory (the Landlock root,
 * made noexec) and the working directory inside it, by path and descriptor. */
struct world_site {
	uid_t uid;
	gid_t gid;
	const char *name, *site, *dir, *tmp; /* paths, as walked */
	int site_fd, dir_fd;
};

/* Join the site's world (make and pin it on its first launch), then enter a
 * namespace of this launch's own with the private temp on /tmp, /var/tmp and
 * /var/lib/php/sessions and the site, the temp and EXTRA_RW remounted
 * nosuid,nodev,noexec. On success returns 0 with *cwd the working directory
 * on the new mount, sp->proc and sp->shm the world's /proc and /dev/shm and
 * *how "made" or "joined"; else -errno with *how naming the step, or
 * WORLD_UNAVAILABLE when the kernel refuses the first namespace step. */
int world_enter(const struct world_site *s, struct sandbox_paths *sp, int *cwd,
		const char **how);

#endif
