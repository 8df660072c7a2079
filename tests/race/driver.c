/* driver - launch fcgi-suexec in a loop, fast, and classify every launch.
 *
 * usage: driver --bin LAUNCHER [--caller USER] [--launches N] [--seconds T]
 *               [--jobs J] [--timeout S] [--nofile N] [--as-limit BYTES]
 *               [--show] [--log FILE] SCENARIOS
 *
 * Run as root. Each launch is a child that becomes the caller (--caller: its
 * uid, primary gid and groups, as setpriv --init-groups; default: stay as is),
 * changes into the scenario's directory BY PATH (Apache compatible mode: the
 * caller's cwd, which an attacker may be swapping), applies the resource
 * limits, and executes LAUNCHER with the scenario's arguments, an empty
 * environment, one listening AF_UNIX stream socket on fd 0 (shared by all
 * launches; nobody connects) and pipes on fds 1 and 2. J callers run at
 * once; each runs its launches one after the other. Launch k uses the
 * scenarios in turn (each WEIGHT times). Launching stops at N launches or
 * after T seconds (then the run is incomplete).
 *
 * SCENARIOS: one per line (blank lines and "#" comments ignored), words:
 *   NAME WEIGHT REQ CWD UID GID TAGS INODES ARG...
 *   REQ     both (some launches allowed and some refused), allow (all
 *           allowed), refuse (none allowed), any
 *   CWD     "-" (native mode: "/") or the directory to change into
 *   UID GID the ids the worker must run with (real, effective, saved)
 *   TAGS    comma list of raceprobe tags that may run, or "-": nothing may
 *   INODES  comma list of DEV:INO the worker's cwd may be, or "-"
 *
 * Every launch is one of:
 *   allowed  exit 0, stdout exactly one "RACEPROBE ..." line with a tag of
 *            TAGS, every id as UID/GID, cwd one of INODES and owned by UID,
 *            fds 0,1,2 only; stderr empty
 *   refused  exit 100..112, stdout empty, stderr one "fcgi-suexec: CHECK: ..."
 *   escape   anything else that printed on stdout: something ran that must
 *            not have (wrong user, wrong directory, wrong file, /usr/bin/id)
 *   other    anything else (no output and an odd status, a signal, a timeout)
 *   unlaunched  not launched: the caller's chdir failed (the directory was
 *            renamed away at that moment); not counted as a launch
 *
 * Output: per scenario its counts and its refusal reasons (first line of
 * stderr, counted), then
 *   launches=N allowed=N refused=N escapes=N other=N unlaunched=N seconds=S rate=R
 *   leaks: fds=N children=N
 * Each escape and anomaly is printed on stderr (the first 20) and to --log.
 * Exit: 0 clean, 1 an escape, anomaly, leak or unmet REQ, 2 usage or setup
 * error, 3 incomplete (time ran out before N launches).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SCEN 32
#define MAX_JOBS 64
#define MAX_ARGS 32
#define MAX_LIST 16
#define MAX_REASONS 24
#define REASON_LEN 160
#define BUF_LEN 4096
#define RC_UNLAUNCHED 250 /* the child's chdir failed: not a launch */
#define RC_SETUP 251 /* the child could not become the caller or exec */
#define SHOW_MAX 20

enum cls { ALLOWED, REFUSED, ESCAPE, OTHER, UNLAUNCHED, NCLS };
static const char *cls_name[NCLS] = { "allowed", "refused", "escape", "other", "unlaunched" };

struct scenario {
	char name[64], req[16], *cwd;
	unsigned uid, gid;
	int ntags, ninodes;
	char tags[MAX_LIST][32];
	unsigned long long dev[MAX_LIST], ino[MAX_LIST];
	char *argv[MAX_ARGS + 2];
};

struct reason {
	char key[REASON_LEN];
	long n;
};

struct wstats {
	long n[MAX_SCEN][NCLS];
	struct reason reasons[MAX_SCEN][MAX_REASONS];
	long reasons_dropped[MAX_SCEN];
	int fds_before, fds_after, children_left;
};

struct shared {
	long next;    /* the next launch number to take */
	long shown;   /* escapes and anomalies printed so far */
	struct wstats w[MAX_JOBS];
};

static struct scenario scen[MAX_SCEN];
static int nscen, schedule[4096], nschedule;
static struct shared *sh;
static const char *bin;
static long launches = 1000, nofile = -1, as_limit = -1;
static double seconds = 600, timeout_s = 10, t_end;
static int jobs = 2, sock = -1, show;
static bool drop;
static uid_t c_uid;
static gid_t c_gid, c_groups[256];
static int c_ngroups;
static FILE *log_f;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "driver: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

/* ---- scenarios ---- */

static int split(char *s, char **w, int max)
{
	int n = 0;

	for (char *t = strtok(s, " \t\n"); t != NULL && n < max; t = strtok(NULL, " \t\n"))
		w[n++] = t;
	return n;
}

static void load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *w[MAX_ARGS + 9], *p;
		int n = split(line, w, MAX_ARGS + 8), weight;
		struct scenario *s = &scen[nscen];

		if (n == 0 || w[0][0] == '#')
			continue;
		if (n < 9 || nscen >= MAX_SCEN)
			die("%s: bad line (NAME WEIGHT REQ CWD UID GID TAGS INODES ARG...)", path);
		snprintf(s->name, sizeof(s->name), "%s", w[0]);
		weight = atoi(w[1]);
		snprintf(s->req, sizeof(s->req), "%s", w[2]);
		if (strcmp(s->req, "both") && strcmp(s->req, "allow") && strcmp(s->req, "refuse") &&
		    strcmp(s->req, "any"))
			die("%s: REQ must be both, allow, refuse or any", s->name);
		s->cwd = strcmp(w[3], "-") == 0 ? NULL : strdup(w[3]);
		s->uid = (unsigned)strtoul(w[4], NULL, 10);
		s->gid = (unsigned)strtoul(w[5], NULL, 10);
		if (strcmp(w[6], "-") != 0)
			for (p = strtok(w[6], ","); p != NULL && s->ntags < MAX_LIST; p = strtok(NULL, ","))
				snprintf(s->tags[s->ntags++], sizeof(s->tags[0]), "%s", p);
		/* strtok is busy with the line: walk the inode list by hand */
		for (p = w[7]; strcmp(w[7], "-") != 0 && *p != '\0' && s->ninodes < MAX_LIST;) {
			char *end;

			s->dev[s->ninodes] = strtoull(p, &end, 10);
			if (*end != ':')
				die("%s: INODES are DEV:INO,...", s->name);
			s->ino[s->ninodes++] = strtoull(end + 1, &end, 10);
			p = *end == ',' ? end + 1 : end;
		}
		s->argv[0] = (char *)bin;
		for (int k = 8; k < n; k++)
			s->argv[k - 7] = strdup(w[k]);
		s->argv[n - 7] = NULL;
		for (int k = 0; k < weight && nschedule < 4096; k++)
			schedule[nschedule++] = nscen;
		nscen++;
	}
	fclose(f);
	if (nschedule == 0)
		die("%s: no scenario", path);
}

/* ---- one launch ---- */

struct result {
	int status, timed_out;
	char out[BUF_LEN], err[BUF_LEN];
	size_t nout, nerr;
};

static void child(const struct scenario *s, int out, int err)
{
	char *envp[] = { NULL };

	if (dup2(sock, 0) != 0 || dup2(out, 1) != 1 || dup2(err, 2) != 2)
		_exit(RC_SETUP);
	closefrom(3);
	if (drop && (setgroups((size_t)c_ngroups, c_groups) != 0 ||
		     setresgid(c_gid, c_gid, c_gid) != 0 || setresuid(c_uid, c_uid, c_uid) != 0)) {
		dprintf(2, "racedriver: cannot become the caller: %s\n", strerror(errno));
		_exit(RC_SETUP);
	}
	if (chdir(s->cwd != NULL ? s->cwd : "/") != 0) {
		dprintf(2, "racedriver-unlaunched: chdir %s: %s\n", s->cwd, strerror(errno));
		_exit(RC_UNLAUNCHED);
	}
	if (nofile >= 0) {
		struct rlimit r = { (rlim_t)nofile, (rlim_t)nofile };
		if (setrlimit(RLIMIT_NOFILE, &r) != 0)
			_exit(RC_SETUP);
	}
	if (as_limit >= 0) {
		struct rlimit r = { (rlim_t)as_limit, (rlim_t)as_limit };
		if (setrlimit(RLIMIT_AS, &r) != 0)
			_exit(RC_SETUP);
	}
	execve(bin, s->argv, envp);
	dprintf(2, "racedriver: exec %s: %s\n", bin, strerror(errno));
	_exit(RC_SETUP);
}

static void launch(const struct scenario *s, struct result *r)
{
	int out[2], err[2], open_ = 2;
	double deadline = now() + timeout_s;
	pid_t pid;

	r->nout = r->nerr = 0;
	r->timed_out = 0;
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0)
		child(s, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	struct pollfd p[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	while (open_ > 0) {
		int left = (int)((deadline - now()) * 1000);

		if (left <= 0 || poll(p, 2, left) == 0) {
			r->timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		for (int k = 0; k < 2; k++) {
			char *buf = k ? r->err : r->out, tmp[BUF_LEN];
			size_t *len = k ? &r->nerr : &r->nout;
			ssize_t got;

			if (p[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(p[k].fd, tmp, sizeof(tmp));
			if (got <= 0) {
				close(p[k].fd);
				p[k].fd = -1;
				open_--;
				continue;
			}
			size_t take = (size_t)got < BUF_LEN - 1 - *len ? (size_t)got : BUF_LEN - 1 - *len;
			memcpy(buf + *len, tmp, take);
			*len += take;
		}
	}
	for (int k = 0; k < 2; k++)
		if (p[k].fd >= 0)
			close(p[k].fd);
	r->out[r->nout] = r->err[r->nerr] = '\0';
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
}

static bool probe_ok(const struct scenario *s, const char *out)
{
	char tag[32], fds[64];
	unsigned ru, eu, su, rg, eg, sg, owner, group;
	unsigned long long dev, ino;
	int end = 0;
	bool tag_ok = false, ino_ok = false;

	if (sscanf(out, "RACEPROBE tag=%31s ruid=%u euid=%u suid=%u rgid=%u egid=%u sgid=%u "
		   "cwd=%llu:%llu owner=%u group=%u fds=%63s%n", tag, &ru, &eu, &su, &rg, &eg,
		   &sg, &dev, &ino, &owner, &group, fds, &end) != 12 ||
	    strcmp(out + end, "\n") != 0)
		return false;
	for (int k = 0; k < s->ntags; k++)
		tag_ok |= strcmp(tag, s->tags[k]) == 0;
	for (int k = 0; k < s->ninodes; k++)
		ino_ok |= dev == s->dev[k] && ino == s->ino[k];
	return tag_ok && ino_ok && ru == s->uid && eu == s->uid && su == s->uid &&
	       rg == s->gid && eg == s->gid && sg == s->gid && owner == s->uid &&
	       strcmp(fds, "0,1,2") == 0;
}

static enum cls classify(const struct scenario *s, const struct result *r)
{
	int code = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;

	if (r->timed_out)
		return r->nout ? ESCAPE : OTHER;
	if (code == RC_UNLAUNCHED && r->nout == 0 && strncmp(r->err, "racedriver-unlaunched:", 22) == 0)
		return UNLAUNCHED;
	if (code == 0 && r->nerr == 0 && probe_ok(s, r->out))
		return ALLOWED;
	if (r->nout != 0)
		return ESCAPE;
	if (code >= 100 && code <= 112 && strncmp(r->err, "fcgi-suexec: ", 13) == 0 &&
	    strchr(r->err, '\n') == r->err + r->nerr - 1)
		return REFUSED;
	return OTHER;
}

static void escaped(FILE *f, const char *label, const char *s)
{
	fprintf(f, "%s=\"", label);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 32)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void report(FILE *f, long k, const struct scenario *s, enum cls c, const struct result *r)
{
	fprintf(f, "launch %ld scenario=%s class=%s ", k, s->name, cls_name[c]);
	if (r->timed_out)
		fprintf(f, "status=timeout ");
	else if (WIFEXITED(r->status))
		fprintf(f, "rc=%d ", WEXITSTATUS(r->status));
	else
		fprintf(f, "signal=%d ", WTERMSIG(r->status));
	escaped(f, "out", r->out);
	fputc(' ', f);
	escaped(f, "err", r->err);
	fputc('\n', f);
	fflush(f);
}

static void count_reason(struct wstats *w, int si, const char *err)
{
	char key[REASON_LEN];
	size_t n = strcspn(err, "\n");

	snprintf(key, sizeof(key), "%.*s", (int)(n < REASON_LEN - 1 ? n : REASON_LEN - 1), err);
	for (int k = 0; k < MAX_REASONS; k++) {
		struct reason *r = &w->reasons[si][k];

		if (r->n == 0)
			snprintf(r->key, sizeof(r->key), "%s", key);
		if (strcmp(r->key, key) == 0) {
			r->n++;
			return;
		}
	}
	w->reasons_dropped[si]++;
}

static void worker(int id)
{
	struct wstats *w = &sh->w[id];
	struct result r;
	long k;

	w->fds_before = count_fds();
	while ((k = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST)) < launches) {
		int si = schedule[k % nschedule];
		const struct scenario *s = &scen[si];
		enum cls c;

		if (now() > t_end) {
			__atomic_fetch_sub(&sh->next, 1, __ATOMIC_SEQ_CST);
			break;
		}
		launch(s, &r);
		c = classify(s, &r);
		if (c == UNLAUNCHED) /* not a launch: take the number again */
			__atomic_fetch_sub(&sh->next, 1, __ATOMIC_SEQ_CST);
		w->n[si][c]++;
		if (c == REFUSED)
			count_reason(w, si, r.err);
		if (show)
			report(stdout, k, s, c, &r);
		if (c == ESCAPE || c == OTHER) {
			if (__atomic_fetch_add(&sh->shown, 1, __ATOMIC_SEQ_CST) < SHOW_MAX)
				report(stderr, k, s, c, &r);
			if (log_f != NULL)
				report(log_f, k, s, c, &r);
		}
	}
	w->fds_after = count_fds();
	while (waitpid(-1, NULL, WNOHANG) > 0)
		w->children_left++;
	if (errno != ECHILD)
		w->children_left++;
	exit(0);
}

static void make_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* autobind: an abstract name of the kernel's choice, no file */
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa_family_t)) != 0 ||
	    listen(sock, 16) != 0)
		die("listening socket: %s", strerror(errno));
}

static void caller(const char *name)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		die("no user %s", name);
	c_uid = pw->pw_uid;
	c_gid = pw->pw_gid;
	c_ngroups = 256;
	if (getgrouplist(name, c_gid, c_groups, &c_ngroups) < 0)
		die("%s: too many groups", name);
	drop = true;
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	double t0;
	int i, fds0, rc = 0;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--show") == 0) {
			show = 1;
			continue;
		}
		if (o[0] != '-' && file == NULL) {
			file = o;
			continue;
		}
		if (v == NULL)
			die("%s needs a value", o);
		i++;
		if (strcmp(o, "--bin") == 0)
			bin = v;
		else if (strcmp(o, "--caller") == 0)
			caller(v);
		else if (strcmp(o, "--launches") == 0)
			launches = atol(v);
		else if (strcmp(o, "--seconds") == 0)
			seconds = atof(v);
		else if (strcmp(o, "--jobs") == 0)
			jobs = atoi(v);
		else if (strcmp(o, "--timeout") == 0)
			timeout_s = atof(v);
		else if (strcmp(o, "--nofile") == 0)
			nofile = atol(v);
		else if (strcmp(o, "--as-limit") == 0)
			as_limit = atol(v);
		else if (strcmp(o, "--log") == 0) {
			log_f = fopen(v, "a");
			if (log_f == NULL)
				die("%s: %s", v, strerror(errno));
		} else
			die("unknown option %s", o);
	}
	if (bin == NULL || file == NULL || jobs < 1 || jobs > MAX_JOBS || launches < 1)
		die("usage: driver --bin LAUNCHER [--caller USER] [--launches N] [--seconds T] "
		    "[--jobs J] [--timeout S] [--nofile N] [--as-limit BYTES] [--show] "
		    "[--log FILE] SCENARIOS");
	load(file);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	fds0 = count_fds();
	make_socket();
	t0 = now();
	t_end = t0 + seconds;
	for (i = 0; i < jobs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0)
			worker(i);
	}
	for (i = 0; i < jobs; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("a worker failed");
	}
	double took = now() - t0;
	close(sock);

	long tot[NCLS] = { 0 }, fd_leak = count_fds() - fds0, kids = 0;
	if (fd_leak < 0)
		fd_leak = 0;
	for (int j = 0; j < jobs; j++) {
		if (sh->w[j].fds_after != sh->w[j].fds_before)
			fd_leak += labs((long)sh->w[j].fds_after - sh->w[j].fds_before);
		kids += sh->w[j].children_left;
	}
	if (waitpid(-1, NULL, WNOHANG) >= 0 || errno != ECHILD)
		kids++;
	for (int si = 0; si < nscen; si++) {
		long n[NCLS] = { 0 }, dropped = 0;
		struct reason merged[MAX_REASONS * MAX_JOBS];
		int nm = 0;

		for (int j = 0; j < jobs; j++) {
			for (int c = 0; c < NCLS; c++)
				n[c] += sh->w[j].n[si][c];
			dropped += sh->w[j].reasons_dropped[si];
			for (int k = 0; k < MAX_REASONS && sh->w[j].reasons[si][k].n; k++) {
				int m;

				for (m = 0; m < nm && strcmp(merged[m].key, sh->w[j].reasons[si][k].key); m++)
					;
				if (m == nm)
					merged[nm++] = sh->w[j].reasons[si][k];
				else
					merged[m].n += sh->w[j].reasons[si][k].n;
			}
		}
		for (int c = 0; c < NCLS; c++)
			tot[c] += n[c];
		printf("scenario %s: launches=%ld allowed=%ld refused=%ld escapes=%ld other=%ld "
		       "unlaunched=%ld\n", scen[si].name, n[ALLOWED] + n[REFUSED] + n[ESCAPE] + n[OTHER],
		       n[ALLOWED], n[REFUSED], n[ESCAPE], n[OTHER], n[UNLAUNCHED]);
		for (int m = 0; m < nm; m++)
			printf("  %8ld  %s\n", merged[m].n, merged[m].key);
		if (dropped)
			printf("  %8ld  (other reasons)\n", dropped);
		const char *req = scen[si].req, *unmet = NULL;
		if (strcmp(req, "both") == 0 && (n[ALLOWED] == 0 || n[REFUSED] == 0))
			unmet = "both allowed and refused launches";
		else if (strcmp(req, "allow") == 0 && (n[REFUSED] != 0 || n[ALLOWED] == 0))
			unmet = "every launch allowed";
		else if (strcmp(req, "refuse") == 0 && (n[ALLOWED] != 0 || n[REFUSED] == 0))
			unmet = "every launch refused";
		if (unmet != NULL) {
			printf("  REQUIREMENT NOT MET: %s\n", unmet);
			rc = 1;
		}
	}
	long total = tot[ALLOWED] + tot[REFUSED] + tot[ESCAPE] + tot[OTHER];
	printf("launches=%ld allowed=%ld refused=%ld escapes=%ld other=%ld unlaunched=%ld "
	       "seconds=%.1f rate=%.0f/s\n", total, tot[ALLOWED], tot[REFUSED], tot[ESCAPE],
	       tot[OTHER], tot[UNLAUNCHED], took, total / (took > 0 ? took : 1));
	printf("leaks: fds=%ld children=%ld\n", fd_leak, kids);
	if (tot[ESCAPE] || tot[OTHER] || fd_leak || kids)
		rc = 1;
	if (rc == 0 && total < launches) {
		printf("INCOMPLETE: %ld of %ld launches in %.0f s\n", total, launches, seconds);
		rc = 3;
	}
	return rc;
}
