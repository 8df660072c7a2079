/* bench/suidwrap.c - variant (e) of the launch benchmark, for reference: the
 * least a setuid-root launcher must do. Installed setuid root, it becomes
 * the bench user (UID and GID fixed at build time; never below 1000) and
 * executes TARGET (fixed at build time): what a setuid exec and a privilege
 * drop cost, without any check or confinement. */
#define _GNU_SOURCE
#include <grp.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	gid_t g = GID;

	(void)argc;
	if (UID < 1000 || GID < 1000 || setgroups(1, &g) != 0 || setresgid(GID, GID, GID) != 0 ||
	    setresuid(UID, UID, UID) != 0)
		return 126;
	execv(TARGET, argv);
	return 127;
}
