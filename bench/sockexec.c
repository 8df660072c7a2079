/* bench/sockexec.c - for the hyperfine cross-check: put a fresh listening
 * AF_UNIX stream socket (abstract, autobound: no file) on fd 0, then execute
 * argv[1..] with an empty environment. Every variant pays the same. */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *env[] = { NULL };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (argc < 2 || s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa_family_t)) != 0 ||
	    listen(s, 16) != 0 || (s != 0 && dup2(s, 0) != 0)) {
		perror("sockexec");
		return 125;
	}
	if (s != 0)
		close(s);
	execve(argv[1], argv + 1, env);
	perror(argv[1]);
	return 127;
}
