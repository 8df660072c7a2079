/* syslogd - a minimal syslog receiver for tests/52-syslog.t.
 *
 * usage: syslogd SOCKET OUTFILE [SECONDS]
 *
 * Binds an AF_UNIX datagram socket at SOCKET (mode 0666, as /dev/log is; a
 * stale socket there is replaced, anything else is an error) and appends
 * each datagram it receives to OUTFILE, verbatim, followed by one newline:
 * a datagram holding a newline therefore shows up as more than one line,
 * which is what the test looks for. A datagram longer than 65536 bytes is
 * cut and "<truncated>" written after it.
 * Lives at most SECONDS (default 60, at most 600); on SIGTERM or SIGINT it
 * first writes what is already queued, then removes SOCKET and exits 0.
 * Exit: 0, 1 setup error, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DGRAM_MAX 65536

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "syslogd: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p += w;
		n -= (size_t)w;
	}
}

/* Receive one datagram (flags: 0 or MSG_DONTWAIT) and log it; 0 when none. */
static int take(int s, int out, int flags)
{
	static char buf[DGRAM_MAX];
	ssize_t n = recv(s, buf, sizeof(buf), flags | MSG_TRUNC);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		die("recv");
	}
	write_all(out, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
	if ((size_t)n > sizeof(buf))
		write_all(out, "<truncated>", 11);
	write_all(out, "\n", 1);
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sigaction act = { .sa_handler = on_signal }; /* no SA_RESTART */
	struct timespec end, now;
	long secs = 60;
	struct stat st;
	int s, out;

	if (argc < 3 || argc > 4)
		goto usage;
	if (argc == 4) {
		char *e;

		secs = strtol(argv[3], &e, 10);
		if (*e != '\0' || secs < 1 || secs > 600)
			goto usage;
	}
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(argv[1]);
	}
	strcpy(sa.sun_path, argv[1]);
	sigemptyset(&act.sa_mask);
	if (sigaction(SIGTERM, &act, NULL) != 0 || sigaction(SIGINT, &act, NULL) != 0)
		die("sigaction");
	out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (out < 0)
		die(argv[2]);
	if (lstat(argv[1], &st) == 0 && S_ISSOCK(st.st_mode) && unlink(argv[1]) != 0)
		die("unlink stale socket");
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket");
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		die("bind");
	if (chmod(argv[1], 0666) != 0)
		die("chmod");
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	while (!stop) {
		struct pollfd pf = { s, POLLIN, 0 };
		long left;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0)
			break;
		if (poll(&pf, 1, left > 1000 ? 1000 : (int)left) > 0)
			take(s, out, MSG_DONTWAIT);
	}
	for (int i = 0; i < 10000 && take(s, out, MSG_DONTWAIT); i++) /* what is queued */
		;
	unlink(argv[1]);
	return close(out) == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: syslogd SOCKET OUTFILE [SECONDS]\n");
	return 2;
}
