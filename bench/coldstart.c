/* coldstart - the first request to a cold site: start its worker on a fresh
 * socket, send one FastCGI request at once, time until the answer is in.
 *
 * usage: coldstart --sock PATH --script FILE --docroot DIR [--repeat N]
 *                  [--fresh VARIANT:USER]... SPECFILE
 *
 * Run as root. SPECFILE: one variant per line (blank lines and "#" comments
 * ignored):
 *     NAME USER CWD ARGV0 [ARG...]
 * For each of N rounds (default 20), each variant in turn, in a new random
 * order each round: a fresh listening unix socket at PATH (root's; the
 * worker gets it on fd 0, as spawn-fcgi and systemd give it), then the clock
 * starts; fork; the child becomes USER (its uid, primary gid and groups),
 * enters CWD and executes ARGV with the environment PATH=/usr/bin:/bin and
 * PHP_FCGI_CHILDREN=0 (the worker itself answers); at once the parent
 * connects and asks for SCRIPT (fcgi.h), and the clock stops when the whole
 * answer is in (END_REQUEST). So the span holds the launch, the worker's
 * start and the first request, as a web server's first request to a site
 * started on demand sees it. Then the worker is stopped (SIGTERM, SIGKILL
 * after 2 s) and reaped, outside the span. --fresh VARIANT:USER: before each
 * launch of VARIANT (outside the span), USER's world is reset (worlds.h), so
 * the launch is the site's first.
 *
 * Output on stdout, one tab-separated line per launch:
 *     round variant us ok
 * (ok: the answer holds "hello"). Exit 0, 1 a request failed, 2 usage or
 * setup error.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fcgi.h"
#include "worlds.h"

#define MAX_VARIANTS 16
#define MAX_ARGS 32

struct variant {
	char name[64], cwd[512], fresh[64];
	struct passwd pw;
	char *argv[MAX_ARGS + 1];
};

static struct variant vars[MAX_VARIANTS];
static int nvars;

static void die(const char *what)
{
	fprintf(stderr, "coldstart: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fprintf(stderr, "usage: coldstart --sock PATH --script FILE --docroot DIR [--repeat N] "
		"[--fresh VARIANT:USER]... SPECFILE\n");
	exit(2);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void read_spec(const char *path)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		die(path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *w = strtok_r(line, " \t\n", &save), *user, *cwd;
		struct variant *v = &vars[nvars];
		struct passwd *pw;
		int n = 0;

		if (w == NULL || w[0] == '#')
			continue;
		if (nvars == MAX_VARIANTS)
			usage();
		user = strtok_r(NULL, " \t\n", &save);
		cwd = strtok_r(NULL, " \t\n", &save);
		if (user == NULL || cwd == NULL)
			usage();
		if ((pw = getpwnam(user)) == NULL) {
			fprintf(stderr, "coldstart: no user %s\n", user);
			exit(2);
		}
		v->pw = *pw;
		v->pw.pw_name = strdup(pw->pw_name);
		snprintf(v->name, sizeof(v->name), "%s", w);
		snprintf(v->cwd, sizeof(v->cwd), "%s", cwd);
		while ((w = strtok_r(NULL, " \t\n", &save)) != NULL && n < MAX_ARGS)
			v->argv[n++] = strdup(w);
		if (n == 0)
			usage();
		nvars++;
	}
	fclose(f);
	if (nvars == 0)
		usage();
}

static int listener(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (strlen(path) >= sizeof(sa.sun_path))
		usage();
	strcpy(sa.sun_path, path);
	(void)unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 16) != 0)
		die(path);
	return s;
}

/* one launch and its first request; returns the span in us, or -1 */
static double once(const struct variant *v, const char *sock, const char *script,
		   const char *docroot, int *ok)
{
	char *env[] = { "PATH=/usr/bin:/bin", "PHP_FCGI_CHILDREN=0", NULL }, out[4096];
	int s = listener(sock), st;
	double t0, t1;
	pid_t pid;
	ssize_t n;

	t0 = now_us();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (dup2(s, 0) != 0 || initgroups(v->pw.pw_name, v->pw.pw_gid) != 0 ||
		    setresgid(v->pw.pw_gid, v->pw.pw_gid, v->pw.pw_gid) != 0 ||
		    setresuid(v->pw.pw_uid, v->pw.pw_uid, v->pw.pw_uid) != 0 || chdir(v->cwd) != 0)
			_exit(126);
		if (s != 0)
			close(s);
		execve(v->argv[0], v->argv, env);
		_exit(127);
	}
	close(s);
	n = fcgi_get(sock, script, docroot, out, sizeof(out), 10000);
	t1 = now_us();
	*ok = n > 0 && strstr(out, "hello") != NULL;
	kill(pid, SIGTERM);
	for (int i = 0; i < 200 && waitpid(pid, &st, WNOHANG) == 0; i++)
		usleep(10000);
	if (waitpid(pid, &st, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		(void)waitpid(pid, &st, 0);
	}
	(void)unlink(sock);
	return t1 - t0;
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *script = NULL, *docroot = NULL, *fresh[MAX_VARIANTS];
	int repeat = 20, nfresh = 0, i, order[MAX_VARIANTS], failures = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--sock") == 0)
			sock = argv[i + 1];
		else if (strcmp(argv[i], "--script") == 0)
			script = argv[i + 1];
		else if (strcmp(argv[i], "--docroot") == 0)
			docroot = argv[i + 1];
		else if (strcmp(argv[i], "--repeat") == 0)
			repeat = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--fresh") == 0 && nfresh < MAX_VARIANTS &&
			 strchr(argv[i + 1], ':') != NULL)
			fresh[nfresh++] = argv[i + 1];
		else
			usage();
	}
	if (i != argc - 1 || sock == NULL || script == NULL || docroot == NULL || repeat < 1)
		usage();
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
		if (!found || c[1] == '\0') {
			fprintf(stderr, "coldstart: --fresh %s: no such variant or no user\n", fresh[k]);
			exit(2);
		}
	}
	signal(SIGPIPE, SIG_IGN);
	srandom(1);
	for (int v = 0; v < nvars; v++)
		order[v] = v;
	for (int r = 1; r <= repeat; r++) {
		for (int v = nvars - 1; v > 0; v--) { /* Fisher-Yates */
			int k = (int)(random() % (v + 1)), t = order[v];

			order[v] = order[k];
			order[k] = t;
		}
		for (int k = 0; k < nvars; k++) {
			const struct variant *v = &vars[order[k]];
			int ok;

			if (v->fresh[0] != '\0')
				(void)world_reset(v->fresh);
			double us = once(v, sock, script, docroot, &ok);
			if (!ok && failures++ < 5)
				fprintf(stderr, "coldstart: %s: round %d: no answer\n", v->name, r);
			printf("%d\t%s\t%.1f\t%d\n", r, v->name, us, ok);
			fflush(stdout);
		}
	}
	return failures > 0 ? 1 : 0;
}
