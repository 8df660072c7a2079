/* sitestart - start every site's worker at once through the launcher, as the
 * web server's user, and time it (the "always on" half of bench/scale.sh).
 *
 * usage: sitestart --launcher PATH --sockdir DIR [--as USER] [--jobs J]
 *                  [--php-version V] [--worker W] [--exe PATH]
 *                  [--docroot-base DIR] [--idle S] [--timeout S] SITES_FILE
 *
 * Run as root. For each site (one name a line) it makes the listening unix
 * socket DIR/SITE.sock (owned by USER, mode 0660), then J callers, each USER
 * (default www-data) with its groups, start their share of the sites (site k
 * goes to caller k mod J) one after the other, without waiting:
 *     fork; fd 0 = the site's socket;
 *     exec LAUNCHER [-p V] [-w W] SITE SITE DOCROOT_BASE/SITE   (PHP_FCGI_CHILDREN=0)
 * sitestart is their subreaper, watches (as root) /proc/PID/exe until each
 * launch has become EXE (default: /usr/bin/php-cgi8.2 resolved), then asks
 * each site once for hello.php over FastCGI, sums the memory of the workers
 * and of their children (/proc/PID/smaps_rollup), and stops every worker
 * (SIGTERM, then SIGKILL after 5 s). Everything is bounded by --timeout
 * (default 120 s). --worker fpm (bench/fpm.sh): the launcher starts php-fpm
 * (give --exe), a master whose children come and go (pm = ondemand);
 * --idle S: after the requests, wait up to S seconds until no worker has a
 * child left (they are idle), before the memory is summed.
 *
 * Output, one "key=value" a line: sites, jobs, forked_s (the callers done
 * forking), exec_all_s (the last launch became EXE), launches_per_s
 * (sites / exec_all_s), serving_all_s (the last site answered), pss_kb,
 * rss_kb (sums over the workers and their children), worker_pss_kb (over
 * the workers alone: php-fpm's masters; and its Pss_Anon, Pss_File,
 * Pss_Shmem parts: worker_pss_anon_kb, ...), children (their
 * number then), idle_s (how long --idle waited), failures. Exit 0, 1 a launch failed, 2
 * setup error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fcgi.h"

#define MAX_SITES 1024

static char *sites[MAX_SITES];
static int socks[MAX_SITES];
static pid_t pids[MAX_SITES];
static int done[MAX_SITES];
static int nsites;
static volatile sig_atomic_t stop;

static void die(const char *what)
{
	fprintf(stderr, "sitestart: %s: %s\n", what, strerror(errno));
	for (int i = 0; i < nsites; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	exit(2);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rollup(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			v = atol(line + kl + 1);
			break;
		}
	fclose(f);
	return v;
}

/* the children of the workers now: kids[k] of pids[k]; returns how many in all */
static pid_t *kids[MAX_SITES];
static int nkids[MAX_SITES];

static int scan_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int all = 0;

	for (int k = 0; k < nsites; k++)
		nkids[k] = 0;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[64], line[512], *rp;
		int pid = atoi(e->d_name), ppid;
		FILE *f;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		rp = fgets(line, sizeof(line), f) != NULL ? strrchr(line, ')') : NULL;
		fclose(f);
		if (rp == NULL || sscanf(rp, ") %*c %d", &ppid) != 1)
			continue;
		for (int k = 0; k < nsites; k++)
			if (pids[k] > 0 && pids[k] == ppid && nkids[k] < 64) {
				kids[k][nkids[k]++] = pid;
				all++;
				break;
			}
	}
	closedir(d);
	return all;
}

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void stop_all(void)
{
	for (int i = 0; i < nsites; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int t = 0; t < 500; t++) {
		int alive = 0;

		reap();
		for (int i = 0; i < nsites; i++)
			alive += pids[i] > 0 && kill(pids[i], 0) == 0;
		if (!alive)
			return;
		usleep(10000);
	}
	for (int i = 0; i < nsites; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	usleep(100000);
	reap();
}

int main(int argc, char **argv)
{
	const char *launcher = NULL, *sockdir = NULL, *as = "www-data", *version = NULL;
	const char *exe = "/usr/bin/php-cgi8.2", *base = "/var/www", *worker = NULL;
	char exe_real[PATH_MAX];
	int jobs = 2, timeout = 120, idle = 0, i, failures = 0;
	static char out[4096];

	for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--launcher") == 0)
			launcher = argv[i + 1];
		else if (strcmp(argv[i], "--sockdir") == 0)
			sockdir = argv[i + 1];
		else if (strcmp(argv[i], "--as") == 0)
			as = argv[i + 1];
		else if (strcmp(argv[i], "--jobs") == 0)
			jobs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--php-version") == 0)
			version = argv[i + 1];
		else if (strcmp(argv[i], "--exe") == 0)
			exe = argv[i + 1];
		else if (strcmp(argv[i], "--docroot-base") == 0)
			base = argv[i + 1];
		else if (strcmp(argv[i], "--timeout") == 0)
			timeout = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--worker") == 0)
			worker = argv[i + 1];
		else if (strcmp(argv[i], "--idle") == 0)
			idle = atoi(argv[i + 1]);
		else
			break;
	}
	if (i != argc - 1 || launcher == NULL || sockdir == NULL || jobs < 1 || jobs > 16 ||
	    timeout < 1 || idle < 0 || idle > 600) {
		fprintf(stderr, "usage: sitestart --launcher PATH --sockdir DIR [--as USER] "
			"[--jobs J] [--php-version V] [--worker W] [--exe PATH] "
			"[--docroot-base DIR] [--idle S] [--timeout S] SITES_FILE\n");
		return 2;
	}
	if (realpath(exe, exe_real) == NULL)
		die(exe);
	struct passwd *pw = getpwnam(as);
	if (pw == NULL) {
		fprintf(stderr, "sitestart: no user %s\n", as);
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

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		die("PR_SET_CHILD_SUBREAPER");
	for (int k = 0; k < nsites; k++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", sockdir, sites[k]);
		unlink(sa.sun_path);
		socks[k] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (socks[k] < 0 || bind(socks[k], (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    chown(sa.sun_path, uid, gid) != 0 || chmod(sa.sun_path, 0660) != 0 ||
		    listen(socks[k], 64) != 0)
			die(sa.sun_path);
	}

	/* the callers: each reports "k pid" pairs on its pipe */
	int pfd[16][2];
	pid_t callers[16];
	double t0 = now_s();
	for (int j = 0; j < jobs; j++) {
		if (pipe2(pfd[j], O_CLOEXEC) != 0 || (callers[j] = fork()) < 0)
			die("fork");
		if (callers[j] > 0) {
			close(pfd[j][1]);
			continue;
		}
		close(pfd[j][0]);
		if (initgroups(user, gid) != 0 || setresgid(gid, gid, gid) != 0 ||
		    setresuid(uid, uid, uid) != 0)
			_exit(2);
		for (int k = j; k < nsites; k += jobs) {
			char docroot[PATH_MAX];
			char *env[] = { "PHP_FCGI_CHILDREN=0", NULL };
			char *args[10];
			int a = 0;

			snprintf(docroot, sizeof(docroot), "%s/%s", base, sites[k]);
			args[a++] = (char *)launcher;
			if (version != NULL) {
				args[a++] = "-p";
				args[a++] = (char *)version;
			}
			if (worker != NULL) {
				args[a++] = "-w";
				args[a++] = (char *)worker;
			}
			args[a++] = sites[k];
			args[a++] = sites[k];
			args[a++] = docroot;
			args[a] = NULL;
			pid_t pid = fork();
			if (pid < 0)
				_exit(2);
			if (pid == 0) {
				int nul = open("/dev/null", O_RDWR);

				if (dup2(socks[k], 0) != 0 || nul < 0 || dup2(nul, 1) != 1)
					_exit(127);
				execve(launcher, args, env);
				_exit(127);
			}
			int rec[2] = { k, (int)pid };
			if (write(pfd[j][1], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
				_exit(2);
		}
		_exit(0);
	}
	for (int j = 0; j < jobs; j++) {
		int rec[2], st;

		while (read(pfd[j][0], rec, sizeof(rec)) == (ssize_t)sizeof(rec))
			if (rec[0] >= 0 && rec[0] < nsites)
				pids[rec[0]] = rec[1];
		close(pfd[j][0]);
		if (waitpid(callers[j], &st, 0) != callers[j] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			die("a caller failed");
	}
	double t_forked = now_s() - t0;

	/* every launch became the interpreter (or died: a failure) */
	int left = nsites;
	for (int k = 0; k < nsites; k++)
		if (pids[k] <= 0) {
			done[k] = -1;
			left--;
			failures++;
		}
	while (left > 0 && !stop && now_s() - t0 < timeout) {
		for (int k = 0; k < nsites; k++) {
			char path[64], link[PATH_MAX];
			ssize_t n;

			if (done[k] != 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/exe", (int)pids[k]);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				if (strcmp(link, exe_real) == 0) {
					done[k] = 1;
					left--;
				}
			}
			if (done[k] == 0) {
				int st;

				if (waitpid(pids[k], &st, WNOHANG) == pids[k]) {
					fprintf(stderr, "sitestart: %s: the launch ended (%s %d)\n",
						sites[k], WIFEXITED(st) ? "exit" : "signal",
						WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
					done[k] = -1;
					pids[k] = 0;
					left--;
					failures++;
				}
			}
		}
		if (left > 0)
			usleep(1000);
	}
	double t_exec = now_s() - t0;
	if (left > 0) {
		fprintf(stderr, "sitestart: %d launches did not finish in time\n", left);
		failures += left;
	}

	/* every site answers */
	for (int k = 0; k < nsites && !stop; k++) {
		char sock[PATH_MAX], script[PATH_MAX], root[PATH_MAX];

		if (done[k] != 1)
			continue;
		snprintf(sock, sizeof(sock), "%s/%s.sock", sockdir, sites[k]);
		snprintf(root, sizeof(root), "%s/%s", base, sites[k]);
		snprintf(script, sizeof(script), "%s/hello.php", root);
		long ms = timeout * 1000L - (long)((now_s() - t0) * 1000);
		if (ms < 1000)
			ms = 1000;
		if (fcgi_get(sock, script, root, out, sizeof(out), (int)ms) <= 0 ||
		    strstr(out, "hello") == NULL) {
			if (failures < 5)
				fprintf(stderr, "sitestart: %s: no answer: %s\n", sites[k],
					strerror(errno));
			failures++;
		}
	}
	double t_serving = now_s() - t0;

	for (int k = 0; k < nsites; k++)
		if ((kids[k] = calloc(64, sizeof(pid_t))) == NULL)
			die("calloc");
	double t_idle = now_s();
	int children = scan_children();
	while (children > 0 && !stop && now_s() - t_idle < idle) {
		usleep(200000);
		reap();
		children = scan_children();
	}
	t_idle = now_s() - t_idle;
	long pss = 0, rss = 0, wpss = 0, wanon = 0, wfile = 0, wshmem = 0;
	for (int k = 0; k < nsites; k++)
		for (int c = -1; done[k] == 1 && c < nkids[k]; c++) {
			pid_t p = c < 0 ? pids[k] : kids[k][c];
			long ps = rollup(p, "Pss"), r = rollup(p, "Rss");

			pss += ps > 0 ? ps : 0;
			if (c < 0 && ps > 0) {
				long a = rollup(p, "Pss_Anon"), fl = rollup(p, "Pss_File");
				long sh = rollup(p, "Pss_Shmem");

				wpss += ps;
				wanon += a > 0 ? a : 0;
				wfile += fl > 0 ? fl : 0;
				wshmem += sh > 0 ? sh : 0;
			}
			rss += r > 0 ? r : 0;
		}
	stop_all();
	for (int k = 0; k < nsites; k++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s.sock", sockdir, sites[k]);
		unlink(path);
	}
	printf("sites=%d\njobs=%d\nforked_s=%.4f\nexec_all_s=%.4f\nlaunches_per_s=%.1f\n"
	       "serving_all_s=%.4f\npss_kb=%ld\nrss_kb=%ld\nworker_pss_kb=%ld\nworker_pss_anon_kb=%ld\n"
	       "worker_pss_file_kb=%ld\nworker_pss_shmem_kb=%ld\nchildren=%d\nidle_s=%.1f\nfailures=%d\n",
	       nsites, jobs, t_forked, t_exec, t_exec > 0 ? nsites / t_exec : 0.0, t_serving, pss,
	       rss, wpss, wanon, wfile, wshmem, children, t_idle, failures);
	return failures > 0 || stop ? 1 : 0;
}
