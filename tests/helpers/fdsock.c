/* fdsock - put a chosen kind of descriptor on fd 0 (or --fd N), then exec a command.
 *
 * usage: fdsock [--fd N] [--extra K] [--listen-env] [--listen-pid PID]
 *               [--env-clear] [--env NAME=VALUE]... [--announce]
 *               MODE [ARG] -- CMD [ARGS...]
 *
 * MODE: unix PATH       AF_UNIX stream socket bound to PATH (a stale socket is
 *                       unlinked), listening
 *       abstract NAME   AF_UNIX stream socket bound to the abstract name NAME
 *                       ("\0NAME", no file), listening
 *       tcp HOST:PORT   AF_INET stream socket, listening (port 0: any)
 *       connected       one end of a socketpair (not listening)
 *       dgram           AF_UNIX datagram socket
 *       pipe            read end of a pipe
 *       null            /dev/null
 *       closed          nothing: the target fd is closed
 * --fd N        target descriptor (default 0); when N != 0, fd 0 is /dev/null
 * --extra K     leave K more descriptors open (fds 10..10+K-1, /dev/null)
 * --nofile N   RLIMIT_NOFILE N for CMD (few descriptors left: ulimit -n N)
 * --hostile-signals  ignore SIGTERM, SIGINT, SIGCHLD and block SIGUSR1, SIGHUP
 * --listen-env  set LISTEN_FDS=1 and LISTEN_PID=<our pid, kept across exec>
 *               (or PID given by --listen-pid)
 * --env-clear   start CMD with an empty environment, then add each --env
 * --announce    once the socket listens, print its address on stdout, one
 *               line: HOST:PORT (tcp, with the port chosen), PATH (unix),
 *               @NAME (abstract); stdout is then CMD's
 *
 * Exit: 2 usage, 1 setup error, 126 CMD not executable (EACCES), 127 other
 * exec failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_ENV 64

static void die(const char *what)
{
	fprintf(stderr, "fdsock: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: fdsock [--fd N] [--extra K] [--listen-env] [--listen-pid PID]"
		" [--env-clear] [--env NAME=VALUE]... [--hostile-signals] [--announce]"
		" MODE [ARG] -- CMD [ARGS...]\n");
	exit(2);
}

static int open_null(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open /dev/null");
	return fd;
}

static int make_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(sa.sun_path, path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && unlink(path) < 0)
		die("unlink stale socket");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (listen(fd, 64) < 0)
		die("listen");
	return fd;
}

static int make_abstract(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	int fd;

	if (n == 0 || n >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(name);
	}
	memcpy(sa.sun_path + 1, name, n); /* sun_path[0] = '\0': abstract */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0)
		die("bind");
	if (listen(fd, 64) < 0)
		die("listen");
	return fd;
}

/* --announce: the address fd is bound to, on stdout */
static void announce(int fd, const char *mode, const char *arg)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char host[INET_ADDRSTRLEN];

	if (strcmp(mode, "tcp") == 0) {
		if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
			die("getsockname");
		printf("%s:%u\n", inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host)),
		       (unsigned)ntohs(sa.sin_port));
	} else if (strcmp(mode, "abstract") == 0) {
		printf("@%s\n", arg);
	} else if (arg != NULL) {
		printf("%s\n", arg);
	}
	if (fflush(stdout) != 0)
		die("stdout");
}

static int make_tcp(const char *hostport)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char host[64];
	const char *colon = strrchr(hostport, ':');
	int fd, one = 1;

	if (!colon || (size_t)(colon - hostport) >= sizeof(host))
		usage();
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		usage();
	sa.sin_port = htons((unsigned short)atoi(colon + 1));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (listen(fd, 64) < 0)
		die("listen");
	return fd;
}

/* Returns the new descriptor (O_CLOEXEC), or -1 for "closed". */
static int make_fd(const char *mode, const char *arg)
{
	int sv[2];

	if (strcmp(mode, "unix") == 0)
		return make_unix(arg);
	if (strcmp(mode, "abstract") == 0)
		return make_abstract(arg);
	if (strcmp(mode, "tcp") == 0)
		return make_tcp(arg);
	if (strcmp(mode, "connected") == 0) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			die("socketpair");
		return sv[0]; /* sv[1] stays open (CLOEXEC) until exec: a live peer */
	}
	if (strcmp(mode, "dgram") == 0) {
		sv[0] = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (sv[0] < 0)
			die("socket");
		return sv[0];
	}
	if (strcmp(mode, "pipe") == 0) {
		if (pipe2(sv, O_CLOEXEC) < 0)
			die("pipe");
		return sv[0];
	}
	if (strcmp(mode, "null") == 0)
		return open_null();
	if (strcmp(mode, "closed") == 0)
		return -1;
	usage();
	return -1;
}

/* Place fd at target, without O_CLOEXEC. */
static void place(int fd, int target)
{
	if (fd == target) {
		if (fcntl(fd, F_SETFD, 0) < 0)
			die("fcntl");
		return;
	}
	if (dup2(fd, target) < 0)
		die("dup2");
}

static int parse_int(const char *s, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		usage();
	return (int)v;
}

int main(int argc, char **argv)
{
	int target = 0, extra = 0, listen_env = 0, env_clear = 0, nenv = 0, i, fd;
	int hostile_signals = 0, announce_addr = 0, nofile = -1;
	long listen_pid = 0;
	char *envs[MAX_ENV];
	const char *mode, *arg = NULL;
	char buf[32];

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2]; i++) {
		if (strcmp(argv[i], "--fd") == 0 && i + 1 < argc)
			target = parse_int(argv[++i], 9);
		else if (strcmp(argv[i], "--extra") == 0 && i + 1 < argc)
			extra = parse_int(argv[++i], 50);
		else if (strcmp(argv[i], "--listen-env") == 0)
			listen_env = 1;
		else if (strcmp(argv[i], "--listen-pid") == 0 && i + 1 < argc)
			listen_pid = parse_int(argv[++i], 1 << 30);
		else if (strcmp(argv[i], "--env-clear") == 0)
			env_clear = 1;
		else if (strcmp(argv[i], "--hostile-signals") == 0)
			hostile_signals = 1;
		else if (strcmp(argv[i], "--nofile") == 0 && i + 1 < argc)
			nofile = parse_int(argv[++i], 1 << 20);
		else if (strcmp(argv[i], "--announce") == 0)
			announce_addr = 1;
		else if (strcmp(argv[i], "--env") == 0 && i + 1 < argc && nenv < MAX_ENV)
			envs[nenv++] = argv[++i];
		else
			usage();
	}
	if (i >= argc)
		usage();
	mode = argv[i++];
	if (strcmp(mode, "unix") == 0 || strcmp(mode, "tcp") == 0 ||
	    strcmp(mode, "abstract") == 0) {
		if (i >= argc)
			usage();
		arg = argv[i++];
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc)
		usage();
	i++;

	fd = make_fd(mode, arg);
	if (announce_addr && fd >= 0)
		announce(fd, mode, arg);
	if (fd < 0)
		close(target);
	else
		place(fd, target);
	if (target != 0)
		place(open_null(), 0);
	for (int k = 0; k < extra; k++)
		place(open_null(), 10 + k);

	if (env_clear && clearenv() != 0)
		die("clearenv");
	for (int k = 0; k < nenv; k++)
		if (putenv(envs[k]) != 0)
			die("putenv");
	if (listen_env) {
		snprintf(buf, sizeof(buf), "%ld", listen_pid ? listen_pid : (long)getpid());
		if (setenv("LISTEN_FDS", "1", 1) < 0 || setenv("LISTEN_PID", buf, 1) < 0)
			die("setenv");
	}

	if (hostile_signals) { /* a caller that leaves signals ignored and blocked */
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGHUP);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGCHLD, SIG_IGN);
		sigprocmask(SIG_BLOCK, &set, NULL);
	}

	struct rlimit lim = { (rlim_t)nofile, (rlim_t)nofile };
	if (nofile >= 0 && setrlimit(RLIMIT_NOFILE, &lim) != 0)
		die("setrlimit");
	execv(argv[i], argv + i);
	fprintf(stderr, "fdsock: execv %s: %s\n", argv[i], strerror(errno));
	return errno == EACCES ? 126 : 127;
}
