/* launchloop - launch programs in a loop as the web server's user, and time
 * them: per launch, the wall time and the children's CPU time.
 *
 * usage: launchloop [--as USER] [--launches N] [--rounds R] [--warmup W]
 *                   [--jobs J] [--sites FILE] [--env NAME=VALUE]... [--shuffle SEED]
 *                   [--fresh VARIANT:USER]... SPECFILE
 *
 * Run as root. launchloop makes one listening AF_UNIX stream socket
 * (autobound, abstract: no file) and keeps it on fd 0 for every launch, then
 * becomes USER (its uid, primary gid and groups; default www-data) for good
 * and launches, as USER, each variant of SPECFILE N times in all: R rounds,
 * each round the variants one after the other (a b c d a b c d ...), N/R
 * launches of a variant per round, so that machine noise hits every variant
 * alike. W launches of each variant first warm the caches, untimed. With
 * --shuffle SEED (not 0), each round takes the variants in a new random
 * order instead, so that what a variant leaves behind (deferred kernel work)
 * does not always land on the same next one.
 *
 * SPECFILE: one variant per line (blank lines and "#" comments ignored):
 *     NAME CWD ARGV0 [ARG...]
 * CWD is the directory launches start in ("-": /), entered by the caller
 * before the batch. With --sites FILE (one name per line), "%s" in CWD or an
 * argument is replaced by a site name: launch k of a batch uses site k mod n.
 *
 * Each launch is posix_spawn (vfork-like) + execve with the environment of
 * the --env words only (default: empty), stdout on /dev/null, stderr
 * inherited; the caller waits for it (wait4) before the next. With J > 1,
 * J callers run at once, each doing its share of the batch one launch after
 * the other; the batch's wall time is from the first start to the last exit.
 * A launch that does not exit 0 is a failure: the first few are reported on
 * stderr and the exit status is 1.
 *
 * --fresh VARIANT:USER: every launch of VARIANT is a site's first launch:
 * before each, a helper that stays root (forked before launchloop becomes
 * USER) unmounts USER's world pins, /run/fcgi-suexec/<ns>/<uid>.USER.mnt and
 * .ipc (what the launcher pinned on an earlier launch), so the launch makes
 * the site's world again. The reset is outside the timed span: a fresh
 * variant's wall time is the sum of its launches' own spans (spawn to
 * reaped), and so is every other variant's when any --fresh is given, so
 * that all are timed alike. Only with --jobs 1.
 *
 * Output on stdout, one tab-separated line per round and variant:
 *     round variant launches wall_us_per_launch cpu_us_per_launch maxrss_kb
 * where cpu is user + system time of the launched processes (RUSAGE_CHILDREN)
 * and maxrss the largest ru_maxrss among them (the peak of the process over
 * its whole life, before and after its exec).
 *
 * Exit: 0, 1 a launch failed, 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worlds.h"

#define MAX_VARIANTS 32
#define MAX_ARGS 32
#define MAX_SITES 1024
#define MAX_ENV 16
#define MAX_JOBS 16
#define LINE 4096

struct variant {
	char name[64];
	char cwd[512];
	char *argv[MAX_ARGS + 1];
	int argc;
	char fresh[64]; /* --fresh: the user whose world is reset before each launch */
};

static struct variant vars[MAX_VARIANTS];
static int nvars;
static char *sites[MAX_SITES];
static int nsites;
static char *envp[MAX_ENV + 1];
static int nenv;
static long failures;
static int per_launch;    /* time each launch's own span (--fresh given) */
static int reset_fd = -1; /* to the root helper that resets worlds */
static double spans_us;   /* per_launch: the batch's launches' summed spans */

static void die(const char *what)
{
	fprintf(stderr, "launchloop: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fprintf(stderr, "usage: launchloop [--as USER] [--launches N] [--rounds R] [--warmup W] "
		"[--jobs J] [--sites FILE] [--env NAME=VALUE]... [--shuffle SEED] "
		"[--fresh VARIANT:USER]... SPECFILE\n");
	exit(2);
}

static void read_spec(const char *path)
{
	char line[LINE];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		die(path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *w = strtok_r(line, " \t\n", &save);
		struct variant *v = &vars[nvars];

		if (w == NULL || w[0] == '#')
			continue;
		if (nvars == MAX_VARIANTS) {
			fprintf(stderr, "launchloop: too many variants\n");
			exit(2);
		}
		snprintf(v->name, sizeof(v->name), "%s", w);
		w = strtok_r(NULL, " \t\n", &save);
		if (w == NULL)
			usage();
		snprintf(v->cwd, sizeof(v->cwd), "%s", strcmp(w, "-") == 0 ? "/" : w);
		while ((w = strtok_r(NULL, " \t\n", &save)) != NULL && v->argc < MAX_ARGS)
			v->argv[v->argc++] = strdup(w);
		if (v->argc == 0)
			usage();
		nvars++;
	}
	fclose(f);
	if (nvars == 0)
		usage();
}

static void read_sites(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		die(path);
	while (nsites < MAX_SITES && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, " \t\n")] = '\0';
		if (line[0] != '\0' && line[0] != '#')
			sites[nsites++] = strdup(line);
	}
	fclose(f);
	if (nsites == 0) {
		fprintf(stderr, "launchloop: no sites in %s\n", path);
		exit(2);
	}
}

/* "%s" in s replaced by site (one occurrence per %s; s is trusted) */
static void subst(char *dst, size_t len, const char *s, const char *site)
{
	size_t k = 0;

	for (; *s != '\0' && k + 1 < len; s++) {
		if (s[0] == '%' && s[1] == 's' && site != NULL) {
			k += (size_t)snprintf(dst + k, len - k, "%s", site);
			if (k >= len)
				k = len - 1;
			s++;
		} else {
			dst[k++] = *s;
		}
	}
	dst[k] = '\0';
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static double cpu_children_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* The root helper: a user name in, the reset, one byte out. */
static void start_resetter(void)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char user[64];
		ssize_t n;

		close(sv[0]);
		close(0);
		while ((n = read(sv[1], user, sizeof(user) - 1)) > 0) {
			char ok = 1;

			user[n] = '\0';
			(void)world_reset(user);
			if (write(sv[1], &ok, 1) != 1)
				_exit(2);
		}
		_exit(0);
	}
	close(sv[1]);
	reset_fd = sv[0];
}

static void reset(const char *user)
{
	char ok;

	if (write(reset_fd, user, strlen(user)) != (ssize_t)strlen(user) ||
	    read(reset_fd, &ok, 1) != 1)
		die("the world resetter");
}

/* count launches [first, first + count) stepping by step, one after the
 * other; returns the largest maxrss (KiB) */
static long run_share(const struct variant *v, long first, long count, long step)
{
	char bufs[MAX_ARGS][512], cwd[512], last[512] = "";
	char *argv[MAX_ARGS + 1];
	long maxrss = 0;

	for (long k = first; k < first + count * step; k += step) {
		const char *site = nsites > 0 ? sites[k % nsites] : NULL;
		struct rusage ru;
		pid_t pid;
		int st, rc;

		subst(cwd, sizeof(cwd), v->cwd, site);
		if (strcmp(cwd, last) != 0) {
			if (chdir(cwd) != 0)
				die(cwd);
			snprintf(last, sizeof(last), "%s", cwd);
		}
		for (int i = 0; i < v->argc; i++) {
			subst(bufs[i], sizeof(bufs[i]), v->argv[i], site);
			argv[i] = bufs[i];
		}
		argv[v->argc] = NULL;
		if (v->fresh[0] != '\0')
			reset(v->fresh);
		double t0 = per_launch ? now_us() : 0;
		rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, envp);
		if (rc != 0) {
			errno = rc;
			die(argv[0]);
		}
		if (wait4(pid, &st, 0, &ru) != pid)
			die("wait4");
		if (per_launch)
			spans_us += now_us() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (failures++ < 5)
				fprintf(stderr, "launchloop: %s: launch %ld (%s%s): %s %d\n", v->name,
					k, argv[0], site != NULL ? " for a site" : "",
					WIFEXITED(st) ? "exit" : "signal",
					WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		}
	}
	return maxrss;
}

/* one batch of n launches of v by jobs callers */
static void batch(const struct variant *v, long n, int jobs, int round, FILE *out)
{
	double t0, t1, c0, c1;
	long maxrss = 0;

	spans_us = 0;
	c0 = cpu_children_us();
	t0 = now_us();
	if (jobs <= 1) {
		maxrss = run_share(v, 0, n, 1);
	} else {
		int fds[MAX_JOBS][2];
		pid_t pids[MAX_JOBS];

		for (int j = 0; j < jobs; j++) {
			if (pipe2(fds[j], O_CLOEXEC) != 0)
				die("pipe");
			pids[j] = fork();
			if (pids[j] < 0)
				die("fork");
			if (pids[j] == 0) {
				long count = n / jobs + (j < n % jobs ? 1 : 0), m;

				close(fds[j][0]);
				m = run_share(v, j, count, jobs);
				if (write(fds[j][1], &m, sizeof(m)) != (ssize_t)sizeof(m))
					_exit(2);
				_exit(failures > 0 ? 1 : 0);
			}
			close(fds[j][1]);
		}
		for (int j = 0; j < jobs; j++) {
			long m = 0;
			int st;

			if (read(fds[j][0], &m, sizeof(m)) == (ssize_t)sizeof(m) && m > maxrss)
				maxrss = m;
			close(fds[j][0]);
			if (waitpid(pids[j], &st, 0) != pids[j])
				die("waitpid");
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				failures++;
		}
	}
	t1 = now_us();
	c1 = cpu_children_us();
	if (per_launch)
		t1 = t0 + spans_us;
	if (out != NULL) {
		fprintf(out, "%d\t%s\t%ld\t%.2f\t%.2f\t%ld\n", round, v->name, n, (t1 - t0) / (double)n,
			(c1 - c0) / (double)n, maxrss);
		fflush(out);
	}
}

static void become(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		fprintf(stderr, "launchloop: no user %s\n", user);
		exit(2);
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setresgid(pw->pw_gid, pw->pw_gid,
	    pw->pw_gid) != 0 || setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0)
		die("becoming the caller");
}

int main(int argc, char **argv)
{
	const char *as = "www-data", *sites_file = NULL;
	long launches = 1000, rounds = 10, warmup = 20;
	unsigned int seed = 0;
	const char *fresh[MAX_VARIANTS];
	int jobs = 1, i, sock, null, order[MAX_VARIANTS], nfresh = 0;
	FILE *out;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--as") == 0)
			as = argv[i + 1];
		else if (strcmp(argv[i], "--launches") == 0)
			launches = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--rounds") == 0)
			rounds = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--warmup") == 0)
			warmup = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--jobs") == 0)
			jobs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--sites") == 0)
			sites_file = argv[i + 1];
		else if (strcmp(argv[i], "--shuffle") == 0)
			seed = (unsigned int)atol(argv[i + 1]);
		else if (strcmp(argv[i], "--fresh") == 0 && nfresh < MAX_VARIANTS &&
			 strchr(argv[i + 1], ':') != NULL)
			fresh[nfresh++] = argv[i + 1];
		else if (strcmp(argv[i], "--env") == 0 && nenv < MAX_ENV)
			envp[nenv++] = argv[i + 1];
		else
			usage();
	}
	if (i != argc - 1 || launches < 1 || rounds < 1 || rounds > launches || warmup < 0 ||
	    jobs < 1 || jobs > MAX_JOBS)
		usage();
	if (nfresh > 0 && jobs != 1)
		usage();
	envp[nenv] = NULL;
	read_spec(argv[i]);
	for (int k = 0; k < nfresh; k++) {
		const char *c = strchr(fresh[k], ':');
		int found = 0;

		for (int v = 0; v < nvars; v++)
			if (strncmp(vars[v].name, fresh[k], (size_t)(c - fresh[k])) == 0 &&
			    vars[v].name[c - fresh[k]] == '\0') {
				snprintf(vars[v].fresh, sizeof(vars[v].fresh), "%s", c + 1);
				found = 1;
			}
		if (!found || c[1] == '\0' || strchr(c + 1, '/') != NULL) {
			fprintf(stderr, "launchloop: --fresh %s: no such variant or no user\n", fresh[k]);
			exit(2);
		}
	}
	per_launch = nfresh > 0;
	if (sites_file != NULL)
		read_sites(sites_file);

	/* results on a private copy of stdout; the launches get /dev/null */
	int ofd = fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (ofd < 0 || (out = fdopen(ofd, "w")) == NULL)
		die("stdout");
	null = open("/dev/null", O_WRONLY);
	if (null < 0 || dup2(null, 1) != 1)
		die("/dev/null");
	close(null);

	/* the listening socket every launch gets on fd 0 (abstract, autobound) */
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa_family_t)) != 0 ||
	    listen(sock, 16) != 0)
		die("listening socket");
	if (sock != 0 && (dup2(sock, 0) != 0 || close(sock) != 0))
		die("dup2 socket");

	if (per_launch)
		start_resetter(); /* stays root: the worlds' pins are root's */
	become(as);
	for (int v = 0; v < nvars; v++)
		if (warmup > 0)
			batch(&vars[v], warmup, jobs, 0, NULL);
	srandom(seed);
	for (int v = 0; v < nvars; v++)
		order[v] = v;
	for (long r = 0; r < rounds; r++) {
		long n = launches / rounds + (r < launches % rounds ? 1 : 0);

		for (int v = nvars - 1; seed != 0 && v > 0; v--) { /* Fisher-Yates */
			int k = (int)(random() % (v + 1)), t = order[v];

			order[v] = order[k];
			order[k] = t;
		}
		for (int v = 0; v < nvars; v++)
			batch(&vars[order[v]], n, jobs, (int)r + 1, out);
	}
	if (failures > 0)
		fprintf(stderr, "launchloop: %ld launches failed\n", failures);
	return failures > 0 ? 1 : 0;
}
