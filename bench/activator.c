/* activator - on-demand activation for many sites, as systemd's socket units
 * (Accept=no) would do it: hold every site's listening socket and start the
 * site's worker only when a connection is waiting on it.
 *
 * usage: activator --launcher PATH --sockdir DIR [--as USER] [--php-version V]
 *                  [--docroot-base DIR] SITES_FILE
 *
 * Run as root. It makes the listening unix socket DIR/SITE.sock for each
 * site (owned by USER, default www-data, mode 0660), prints one line
 *     ready sites=N setup_us=T
 * and waits (epoll). When a site's socket becomes readable it stops
 * watching it and starts, as USER with its groups,
 *     LAUNCHER [-p V] SITE SITE DOCROOT_BASE/SITE   (PHP_FCGI_CHILDREN=0)
 * with that socket on fd 0; the worker accepts the waiting connection
 * itself. When a worker ends, its socket is watched again. Workers are the
 * activator's children (the launcher execs in place). SIGTERM or SIGINT:
 * stop every worker (SIGTERM, SIGKILL after 5 s) and exit 0; on exit it
 * prints "launched=N exited=M" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SITES 1024

static char *sites[MAX_SITES];
static int socks[MAX_SITES];
static pid_t pids[MAX_SITES];
static int nsites;

static void die(const char *what)
{
	fprintf(stderr, "activator: %s: %s\n", what, strerror(errno));
	for (int k = 0; k < nsites; k++)
		if (pids[k] > 0)
			kill(pids[k], SIGKILL);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *launcher = NULL, *sockdir = NULL, *as = "www-data", *version = NULL;
	const char *base = "/var/www";
	long launched = 0, exited = 0;
	int i;

	for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--launcher") == 0)
			launcher = argv[i + 1];
		else if (strcmp(argv[i], "--sockdir") == 0)
			sockdir = argv[i + 1];
		else if (strcmp(argv[i], "--as") == 0)
			as = argv[i + 1];
		else if (strcmp(argv[i], "--php-version") == 0)
			version = argv[i + 1];
		else if (strcmp(argv[i], "--docroot-base") == 0)
			base = argv[i + 1];
		else
			break;
	}
	if (i != argc - 1 || launcher == NULL || sockdir == NULL) {
		fprintf(stderr, "usage: activator --launcher PATH --sockdir DIR [--as USER] "
			"[--php-version V] [--docroot-base DIR] SITES_FILE\n");
		return 2;
	}
	struct passwd *pw = getpwnam(as);
	if (pw == NULL) {
		fprintf(stderr, "activator: no user %s\n", as);
		return 2;
	}
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	char user[64];
	snprintf(user, sizeof(user), "%s", pw->pw_name);

	FILE *f = fopen(argv[i], "r");
	char line[256];
	if (f == NULL)
		die(argv[i]);
	while (nsites < MAX_SITES && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, " \t\n")] = '\0';
		if (line[0] != '\0' && line[0] != '#')
			sites[nsites++] = strdup(line);
	}
	fclose(f);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0)
		die("sigprocmask");
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0)
		die("signalfd/epoll");
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = MAX_SITES };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) != 0)
		die("epoll_ctl");
	for (int k = 0; k < nsites; k++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", sockdir, sites[k]);
		unlink(sa.sun_path);
		socks[k] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (socks[k] < 0 || bind(socks[k], (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    chown(sa.sun_path, uid, gid) != 0 || chmod(sa.sun_path, 0660) != 0 ||
		    listen(socks[k], 64) != 0)
			die(sa.sun_path);
		ev.data.u32 = (uint32_t)k;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, socks[k], &ev) != 0)
			die("epoll_ctl");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("ready sites=%d setup_us=%.0f\n", nsites,
	       (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3);
	fflush(stdout);

	for (;;) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait");
		for (int e = 0; e < n; e++) {
			uint32_t k = evs[e].data.u32;

			if (k == MAX_SITES) { /* a signal */
				struct signalfd_siginfo si;
				pid_t pid;
				int st;

				if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
					continue;
				if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
					goto out;
				while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
					for (int s = 0; s < nsites; s++)
						if (pids[s] == pid) {
							pids[s] = 0;
							exited++;
							fprintf(stderr, "activator: %s: worker ended "
								"(%s %d)\n", sites[s],
								WIFEXITED(st) ? "exit" : "signal",
								WIFEXITED(st) ? WEXITSTATUS(st) :
								WTERMSIG(st));
							ev.data.u32 = (uint32_t)s;
							epoll_ctl(ep, EPOLL_CTL_ADD, socks[s], &ev);
						}
				continue;
			}
			/* a connection waits on site k: start its worker */
			if (epoll_ctl(ep, EPOLL_CTL_DEL, socks[k], NULL) != 0)
				die("epoll_ctl del");
			char docroot[PATH_MAX];
			char *env[] = { "PHP_FCGI_CHILDREN=0", NULL };
			char *args[8];
			int a = 0;

			snprintf(docroot, sizeof(docroot), "%s/%s", base, sites[k]);
			args[a++] = (char *)launcher;
			if (version != NULL) {
				args[a++] = "-p";
				args[a++] = (char *)version;
			}
			args[a++] = sites[k];
			args[a++] = sites[k];
			args[a++] = docroot;
			args[a] = NULL;
			pid_t pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				int nul = open("/dev/null", O_RDWR);

				sigprocmask(SIG_UNBLOCK, &mask, NULL);
				if (initgroups(user, gid) != 0 || setresgid(gid, gid, gid) != 0 ||
				    setresuid(uid, uid, uid) != 0 || dup2(socks[k], 0) != 0 ||
				    nul < 0 || dup2(nul, 1) != 1)
					_exit(126);
				execve(launcher, args, env);
				_exit(127);
			}
			pids[k] = pid;
			launched++;
		}
	}
out:
	for (int k = 0; k < nsites; k++)
		if (pids[k] > 0)
			kill(pids[k], SIGTERM);
	for (int t = 0; t < 500; t++) {
		int alive = 0;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		for (int k = 0; k < nsites; k++)
			alive += pids[k] > 0 && kill(pids[k], 0) == 0 &&
				 waitpid(pids[k], NULL, WNOHANG) == 0;
		if (!alive)
			break;
		usleep(10000);
	}
	for (int k = 0; k < nsites; k++) {
		char path[PATH_MAX];

		if (pids[k] > 0 && waitpid(pids[k], NULL, WNOHANG) == 0) {
			kill(pids[k], SIGKILL);
			waitpid(pids[k], NULL, 0);
		}
		snprintf(path, sizeof(path), "%s/%s.sock", sockdir, sites[k]);
		unlink(path);
	}
	printf("launched=%ld exited=%ld\n", launched, exited);
	return 0;
}
