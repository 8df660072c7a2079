/* peakrss - the peak resident set of a launched process, over its whole life
 * (before and after its execs), as the kernel reports it to wait4
 * (ru_maxrss). Built static and small, because a child starts as a copy of
 * its parent and the figure can never be below the parent's own: the
 * baseline printed is that floor.
 *
 * usage: peakrss --uid UID --gid GID N CMD [ARG...]
 *
 * Run as root: it puts a listening AF_UNIX socket (abstract, autobound) on
 * fd 0, becomes UID/GID (groups: GID only), then N times forks, executes
 * CMD with an empty environment and stdout on /dev/null, and waits.
 * Output: "baseline_kb=B max_kb=M min_kb=m failures=F". Exit 0, 1 when a
 * launch did not exit 0, 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *env[] = { NULL };
	long max = 0, min = -1, failures = 0;
	struct rusage self;
	uid_t uid;
	gid_t gid;
	int s, n, nul;

	if (argc < 7 || strcmp(argv[1], "--uid") != 0 || strcmp(argv[3], "--gid") != 0) {
		fprintf(stderr, "usage: peakrss --uid UID --gid GID N CMD [ARG...]\n");
		return 2;
	}
	uid = (uid_t)atol(argv[2]);
	gid = (gid_t)atol(argv[4]);
	n = atoi(argv[5]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	nul = open("/dev/null", O_WRONLY);
	if (n < 1 || uid == 0 || s < 0 || nul < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa_family_t)) != 0 || listen(s, 16) != 0 ||
	    (s != 0 && dup2(s, 0) != 0) || setgroups(1, &gid) != 0 ||
	    setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0) {
		perror("peakrss: setup");
		return 2;
	}
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		struct rusage ru;
		int st;
		pid_t pid = fork();

		if (pid < 0) {
			perror("peakrss: fork");
			return 2;
		}
		if (pid == 0) {
			dup2(nul, 1);
			execve(argv[6], argv + 6, env);
			_exit(127);
		}
		if (wait4(pid, &st, 0, &ru) != pid) {
			perror("peakrss: wait4");
			return 2;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failures++;
		if (ru.ru_maxrss > max)
			max = ru.ru_maxrss;
		if (min < 0 || ru.ru_maxrss < min)
			min = ru.ru_maxrss;
	}
	getrusage(RUSAGE_SELF, &self);
	printf("baseline_kb=%ld max_kb=%ld min_kb=%ld failures=%ld\n", self.ru_maxrss, max, min,
	       failures);
	return failures > 0 ? 1 : 0;
}
