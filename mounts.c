/* mounts.c - refuse what lies on a FUSE file system some user mounted: its server answers
 * stat with any owner and mode (with user_allow_other, for root to see too). One root
 * mounted is trusted like any root mount. (user_id= is as the mount's user namespace sees
 * it: a user's own shows 0, but setuid does not work in one, root being unmapped there.) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/vfs.h>

#include "mounts.h"
#include "policy.h"

const char *mount_problem(int fd, const struct stat *st)
{
	static dev_t trusted = (dev_t)-1; /* the last file system found trusted */
	static char why[80];
	unsigned long long id = 0;
	long long uid = -1;
	char *line = NULL, type[64];
	size_t cap = 0;
	struct statfs fs;
	struct statx sx;
	bool found = false;
	FILE *f;

	if (st->st_dev == trusted) /* common case: one fstatfs per file system crossed */
		return NULL;
	if (fstatfs(fd, &fs) != 0) /* f_type is the kernel's, never the FUSE server's answer */
		return "file system type unknown (fstatfs failed)";
	if (fs.f_type == FUSE_SUPER_MAGIC) {
		if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) != 0 ||
		    !(sx.stx_mask & STATX_MNT_ID))
			return "on a FUSE file system whose mount cannot be identified";
		if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
			return "on a FUSE file system, and /proc/self/mountinfo is unreadable";
		while (!found && getline(&line, &cap, f) > 0)
			found = policy_mountinfo_parse(line, &id, type, sizeof(type), &uid) &&
				id == sx.stx_mnt_id;
		free(line);
		(void)fclose(f); /* read only: nothing to lose */
		if (!found)
			return "on a FUSE file system not found in /proc/self/mountinfo";
		if (!policy_mount_trusted(type, uid)) {
			snprintf(why, sizeof(why), "on a FUSE file system mounted by uid %lld", uid);
			return why;
		}
	}
	trusted = st->st_dev;
	return NULL;
}
