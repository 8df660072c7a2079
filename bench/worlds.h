/* bench/worlds.h - reset a site's world, for the benchmark tools: the next
 * launch of the site is its first again (it makes the world anew). Header
 * only; each tool includes it once.
 *
 *   world_reset(user)
 *       as root: unmount every pin of USER's world, in every caller mount
 *       namespace's directory: WORLD_PINS/<ns>/<uid>.USER.mnt and .ipc, as
 *       `umount /run/fcgi-suexec/<*>/<*>.USER.{mnt,ipc}` does (the pinned
 *       namespaces end with their last reference). Returns how many were
 *       unmounted. The files stay (the launcher pins on them again).
 */
#ifndef BENCH_WORLDS_H
#define BENCH_WORLDS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define BENCH_WORLD_PINS "/run/fcgi-suexec" /* world.h's WORLD_PINS */

static int world_reset(const char *user)
{
	char suffix[2][96], path[512];
	struct dirent *e, *f;
	DIR *top = opendir(BENCH_WORLD_PINS), *d;
	int n = 0;

	if (top == NULL)
		return 0;
	snprintf(suffix[0], sizeof(suffix[0]), ".%s.mnt", user);
	snprintf(suffix[1], sizeof(suffix[1]), ".%s.ipc", user);
	while ((e = readdir(top)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), BENCH_WORLD_PINS "/%s", e->d_name);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((f = readdir(d)) != NULL) {
			size_t l = strlen(f->d_name);

			for (int k = 0; k < 2; k++) {
				size_t sl = strlen(suffix[k]);

				/* <digits>.USER.mnt: the uid, then exactly this name */
				if (l > sl && strcmp(f->d_name + l - sl, suffix[k]) == 0 &&
				    strspn(f->d_name, "0123456789") == l - sl) {
					snprintf(path, sizeof(path), BENCH_WORLD_PINS "/%s/%s",
						 e->d_name, f->d_name);
					if (umount2(path, MNT_DETACH) == 0)
						n++;
				}
			}
		}
		closedir(d);
	}
	closedir(top);
	return n;
}

#endif
