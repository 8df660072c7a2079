/* raceprobe - the race and load tests' interpreter / command: one line, exit 0.
 *
 * Built once per TAG (-DTAG="root" | "alice" | "bob" | "evil"), so that the
 * driver knows from the output alone which file ran: the root-owned copy
 * installed as an extra interpreter, alice's or bob's own command in Apache
 * compatible mode, or a decoy that must never run. Prints
 *
 *   RACEPROBE tag=T ruid=R euid=E suid=S rgid=.. egid=.. sgid=.. \
 *             cwd=DEV:INO owner=UID group=GID fds=0,1,2
 *
 * (cwd by fstat("."), which Landlock allows; fds: the open descriptors up
 * to 255). Libc only, linked statically: nothing to load, fast to start.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TAG
#error "build with -DTAG=\"name\""
#endif

int main(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	struct stat st;
	char fds[1024];
	size_t n = 0;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    stat(".", &st) != 0)
		return 3;
	fds[0] = '\0';
	for (int fd = 0; fd < 256 && n < sizeof(fds) - 8; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n += (size_t)snprintf(fds + n, sizeof(fds) - n, "%s%d", n ? "," : "", fd);
	printf("RACEPROBE tag=%s ruid=%u euid=%u suid=%u rgid=%u egid=%u sgid=%u "
	       "cwd=%llu:%llu owner=%u group=%u fds=%s\n", TAG, ru, eu, su, rg, eg, sg,
	       (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	       (unsigned)st.st_uid, (unsigned)st.st_gid, fds);
	return fflush(stdout) == 0 ? 0 : 4;
}
