/* fcgi-suexec-audit - list every site and whether fcgi-suexec would start it.
 *
 * usage: fcgi-suexec-audit LAUNCHER [--json]
 *
 * Run by `fcgi-suexec --audit [--json]` with the caller's own ids (this
 * program is not setuid and refuses to run so). The sites are every entry
 * directly under DOCROOT that is a directory or a symbolic link (lstat: a
 * symlink is listed as such, refused, never followed), then the userdir
 * <home>/USERDIR_SUFFIX of every user with uid >= UID_MIN that has one.
 *
 * The verdict on a site comes from the launcher itself, never from a copy of
 * its rules: `LAUNCHER --check UID GID PATH` (the owner's uid and primary
 * gid; for a userdir, the user's), run as a child with no shell, a listening
 * unix socket on fd 0, stdout on a pipe (bounded), stderr on /dev/null and a
 * time limit; its exit status and `CHECK: fail: REASON` line are reported,
 * and the notes of its `CHECK: pass: NOTE` lines about the site's user:
 * account (e.g. "unknown: only root can read /etc/shadow": an expired
 * account is refused only when the audit runs as root) and group ("dropped
 * G1,G2": the user's groups the worker does not keep); at most NOTES_MAX
 * per site, each cut to NOTE_MAX - 1 bytes. The other notes are left out:
 * see noted_check().
 * Sites of root or of uids below UID_MIN are asked about too: the launcher's
 * user check refuses them (103) and says why, as for any other site.
 * A symlink is not asked about: a launch refuses every symlink (docroot, 105).
 *
 * Inside each site a walk (never following a symlink, never leaving the
 * site's file system, at most WALK_DEPTH directories deep and WALK_ENTRIES
 * entries) lists what is group- or world-writable, setuid or setgid, at most
 * PROBLEMS_MAX per site ("truncated" when a limit was hit), and each
 * directory it may not read or search as "unreadable": run as a plain user,
 * it shows no more than `ls -l` would show that user.
 *
 * Output, one line per site:
 *   text:  PATH OWNER GROUP MODE VERDICT [CHECK: REASON]
 *          then "  note CHECK: NOTE" per note of the launcher,
 *          "  PATH MODE ISSUE" per problem and "  ... truncated: WHY";
 *          bytes that are control characters, backslash, or not valid UTF-8
 *          (and spaces, in PATH OWNER GROUP) are written as \ooo (octal),
 *          so one site is one line and a name cannot drive the terminal.
 *   --json: one JSON object per line (JSON lines):
 *          {"path","kind":"docroot"|"userdir","type":"directory"|"symlink"|
 *           "missing"|..., ["target" (symlinks)], "owner","group","mode",
 *           "verdict":"allowed"|"refused"|"unknown","exit":N|null,
 *           "check":S|null,"reason":S|null,"problems":[{"path","mode","issue"}],
 *           "truncated":bool[,"truncated_reason":S],
 *           "notes":[{"check","note"}]}   ("notes" always, maybe [])
 *          strings escaped by json_escape() (tools/json.h): valid UTF-8 is
 *          kept, other bytes become \u00XX.
 *   "unknown": the launcher gave no verdict (killed, timed out, no output);
 *   CHECK is then "audit" in the text output, null in JSON.
 * Exit: 0 when the audit ran, whatever the verdicts; 1 on its own failure
 * (DOCROOT unreadable, fork, output error); 2 usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "policy.h"
#include "json.h"
#include "text.h"

#define SITES_MAX 10000        /* entries of DOCROOT considered */
#define USERS_MAX 100000       /* passwd entries read */
#define WALK_DEPTH 8           /* directories read below a site's top */
#define WALK_ENTRIES 10000     /* entries looked at per site */
#define PROBLEMS_MAX 100       /* problems reported per site */
#define CHECK_TIMEOUT_MS 10000 /* per launcher run */
#define CHECK_OUT_MAX 65536    /* launcher output kept */
#define CHECK_NAME_MAX 32      /* bytes of a check's name, with the NUL */
#define NOTES_MAX 8            /* launcher notes kept per site */
#define NOTE_MAX 512           /* bytes kept of a note, with the NUL */
#define PATH_BUF 8192

static bool json;
static const char *launcher;
static int listen_fd = -1;
static int failed; /* the audit's own failures: exit 1 */

struct note {
	char check[CHECK_NAME_MAX];
	char note[NOTE_MAX];
};

struct verdict {
	const char *verdict; /* allowed, refused, unknown */
	int exit;            /* -1: none */
	char check[CHECK_NAME_MAX];
	char reason[1024];
	size_t nnotes;
	struct note notes[NOTES_MAX];
};

struct problem {
	char *path;
	mode_t mode;
	bool mode_known;
	const char *issue;
};

struct walk {
	dev_t dev;
	size_t entries, nprob;
	struct problem prob[PROBLEMS_MAX];
	bool deep;          /* a directory was too deep to read: the walk goes on */
	const char *stop;   /* why the walk stopped (entries or problems), or NULL */
};

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- output ------------------------------------------------------------ */

static void put_json(const char *s)
{
	size_t n = strlen(s), need = json_escape(NULL, 0, s, n);
	char *buf = malloc(need + 1);

	if (buf == NULL) {
		perror("fcgi-suexec-audit: malloc");
		exit(1);
	}
	json_escape(buf, need + 1, s, n);
	printf("\"%s\"", buf);
	free(buf);
}

static void put_json_or_null(const char *s)
{
	if (s == NULL)
		(void)fputs("null", stdout);
	else
		put_json(s);
}

/* ---- names ------------------------------------------------------------- */

static void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
}

static void group_name(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr != NULL)
		snprintf(buf, len, "%s", gr->gr_name);
	else
		snprintf(buf, len, "%u", (unsigned)gid);
}

static const char *type_name(mode_t m)
{
	return S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "symlink" : S_ISREG(m) ? "file" :
	       S_ISSOCK(m) ? "socket" : S_ISFIFO(m) ? "fifo" : "device";
}

/* ---- the launcher's verdict -------------------------------------------- */

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* The length of the check name before `sep` ("NAME: pass: " or
 * "NAME: fail: ") in line, NAME lowercase letters; 0 when it is not so. */
static size_t check_name(const char *line, const char *sep)
{
	const char *at = strstr(line, sep);
	size_t nlen = at != NULL ? (size_t)(at - line) : 0;

	if (nlen == 0 || nlen >= CHECK_NAME_MAX ||
	    strspn(line, "abcdefghijklmnopqrstuvwxyz") != nlen)
		return 0;
	return nlen;
}

/* The notes shown are those about the site's user, which tell sites apart
 * and change what the verdict means: account (run by anyone but root, the
 * launcher cannot tell an expired account) and group (groups dropped).
 * Left out: docroot (its note repeats the site's path, Apache mode only),
 * socket (about the audit's own descriptor 0, not the site), interpreter,
 * landlock and extra (the build's and the kernel's, the same for every
 * site: -V and --check show them), tmpdir (what a launch does itself). */
static bool noted_check(const char *line, size_t nlen)
{
	return (nlen == 7 && strncmp(line, "account", 7) == 0) ||
	       (nlen == 5 && strncmp(line, "group", 5) == 0);
}

/* Parse the --check report: "result: a launch would be allowed" (exit 0) or
 * a last "NAME: fail: REASON" line, and the notes kept of "NAME: pass: NOTE". */
static void parse_report(char *out, int status, bool timed_out, struct verdict *v)
{
	char *line, *save = NULL;
	bool allowed = false;

	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t nlen = check_name(line, ": fail: ");
		size_t plen = check_name(line, ": pass: ");

		if (strcmp(line, "result: a launch would be allowed") == 0)
			allowed = true;
		if (plen > 0 && noted_check(line, plen) && v->nnotes < NOTES_MAX) {
			struct note *n = &v->notes[v->nnotes++];

			memcpy(n->check, line, plen);
			n->check[plen] = '\0';
			snprintf(n->note, sizeof(n->note), "%s", line + plen + 8);
		}
		if (nlen == 0)
			continue;
		memcpy(v->check, line, nlen);
		v->check[nlen] = '\0';
		snprintf(v->reason, sizeof(v->reason), "%s", line + nlen + 8);
	}
	if (WIFEXITED(status)) {
		v->exit = WEXITSTATUS(status);
		if (v->exit == 0 && allowed && v->check[0] == '\0')
			v->verdict = "allowed";
		else if (v->exit != 0 && v->check[0] != '\0')
			v->verdict = "refused";
	}
	if (strcmp(v->verdict, "unknown") == 0 && v->reason[0] == '\0') {
		v->check[0] = '\0';
		if (timed_out)
			snprintf(v->reason, sizeof(v->reason), "the launcher gave no verdict "
				 "within %d ms: killed", CHECK_TIMEOUT_MS);
		else if (WIFSIGNALED(status))
			snprintf(v->reason, sizeof(v->reason), "the launcher was killed by signal "
				 "%d", WTERMSIG(status));
		else
			snprintf(v->reason, sizeof(v->reason), "the launcher exited %d without a "
				 "verdict", v->exit);
	}
}

static void ask_launcher(uid_t uid, gid_t gid, const char *path, struct verdict *v)
{
	char u[16], g[16], *out = malloc(CHECK_OUT_MAX + 1);
	int p[2], status = 0;
	bool timed_out = false;
	size_t got = 0;
	pid_t pid;
	struct timespec deadline;

	memset(v, 0, sizeof(*v));
	v->verdict = "unknown";
	v->exit = -1;
	if (out == NULL || pipe2(p, O_CLOEXEC) != 0) {
		snprintf(v->reason, sizeof(v->reason), "pipe: %s", strerror(errno));
		free(out);
		failed = 1;
		return;
	}
	snprintf(u, sizeof(u), "%u", (unsigned)uid);
	snprintf(g, sizeof(g), "%u", (unsigned)gid);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)launcher, "--check", u, g, (char *)path, NULL };
		char *envp[] = { "PATH=" SAFE_PATH, NULL };
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		/* dup2 leaves the copies without close-on-exec */
		if (dup2(listen_fd, 0) != 0 || dup2(p[1], 1) != 1 ||
		    (null >= 0 && dup2(null, 2) != 2))
			_exit(127);
		execve(launcher, argv, envp);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		snprintf(v->reason, sizeof(v->reason), "fork: %s", strerror(errno));
		close(p[0]);
		free(out);
		failed = 1;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += CHECK_TIMEOUT_MS / 1000;
	for (;;) { /* read to EOF or the deadline, keeping CHECK_OUT_MAX bytes */
		struct pollfd pf = { p[0], POLLIN, 0 };
		char sink[4096];
		long left = ms_left(&deadline);
		ssize_t n;
		int ready = left > 0 ? poll(&pf, 1, (int)left) : 0;

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			break;
		if (got < CHECK_OUT_MAX)
			n = read(p[0], out + got, CHECK_OUT_MAX - got);
		else
			n = read(p[0], sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got < CHECK_OUT_MAX)
			got += (size_t)n;
	}
	close(p[0]);
	out[got] = '\0';
	for (;;) { /* reap, killing it at the deadline */
		pid_t r = waitpid(pid, &status, WNOHANG);
		struct timespec tick = { 0, 10L * 1000 * 1000 };

		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (ms_left(&deadline) <= 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&tick, NULL);
	}
	parse_report(out, status, timed_out, v);
	free(out);
}

/* ---- the walk inside a site -------------------------------------------- */

static void add_problem(struct walk *w, const char *path, const struct stat *st,
			const char *issue)
{
	struct problem *p;

	if (w->nprob >= PROBLEMS_MAX) {
		w->stop = "more than " STR(PROBLEMS_MAX) " problems";
		return;
	}
	p = &w->prob[w->nprob];
	p->path = strdup(path);
	if (p->path == NULL) {
		perror("fcgi-suexec-audit: strdup");
		exit(1);
	}
	p->mode_known = st != NULL;
	p->mode = st != NULL ? st->st_mode : 0;
	p->issue = issue;
	w->nprob++;
}

static const char *mode_issue(mode_t m)
{
	static const char *const issue[3][4] = {
		{ NULL, "setuid", "setgid", "setuid,setgid" },
		{ "group-writable", "group-writable,setuid", "group-writable,setgid",
		  "group-writable,setuid,setgid" },
		{ "world-writable", "world-writable,setuid", "world-writable,setgid",
		  "world-writable,setuid,setgid" },
	};
	int w = (m & S_IWOTH) ? 2 : (m & S_IWGRP) ? 1 : 0;
	int s = ((m & S_ISUID) ? 1 : 0) | ((m & S_ISGID) ? 2 : 0);

	return issue[w][s];
}

static int problem_cmp(const void *a, const void *b)
{
	return strcmp(((const struct problem *)a)->path, ((const struct problem *)b)->path);
}

/* dfd: an open directory (taken over), path/plen its path, st its stat. */
/* NOLINTNEXTLINE(misc-no-recursion): depth bounded by WALK_DEPTH */
static void walk_dir(int dfd, char *path, size_t plen, const struct stat *dst, int depth,
		     struct walk *w)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e = NULL;
	bool stopped = false;

	if (d == NULL) {
		close(dfd);
		add_problem(w, path, dst, "unreadable");
		return;
	}
	while (w->stop == NULL && (errno = 0, e = readdir(d)) != NULL) {
		struct stat st;
		size_t nlen = strlen(e->d_name);
		const char *issue;
		int fd;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++w->entries > WALK_ENTRIES) {
			w->stop = "more than " STR(WALK_ENTRIES) " entries";
			stopped = true;
			break;
		}
		if (plen + 1 + nlen >= PATH_BUF) {
			add_problem(w, path, dst, "path too long to walk");
			continue;
		}
		path[plen] = '/';
		memcpy(path + plen + 1, e->d_name, nlen + 1);
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			bool denied = errno == EACCES;

			path[plen] = '\0';
			/* not searchable: ls -l shows names and "?" only */
			add_problem(w, path, dst, denied ? "unreadable" : "vanished");
			if (denied) {
				stopped = true;
				break;
			}
			continue;
		}
		if (S_ISLNK(st.st_mode)) { /* never followed; its mode means nothing */
			path[plen] = '\0';
			continue;
		}
		issue = mode_issue(st.st_mode);
		if (issue != NULL)
			add_problem(w, path, &st, issue);
		if (S_ISDIR(st.st_mode) && st.st_dev == w->dev) {
			if (depth + 1 > WALK_DEPTH) {
				w->deep = true;
			} else {
				fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					    O_CLOEXEC | O_NONBLOCK);
				if (fd < 0)
					add_problem(w, path, &st, "unreadable");
				else
					walk_dir(fd, path, plen + 1 + nlen, &st, depth + 1, w);
			}
		}
		path[plen] = '\0';
	}
	if (!stopped && w->stop == NULL && e == NULL && errno != 0)
		add_problem(w, path, dst, "unreadable");
	closedir(d);
}

/* ---- one site ---------------------------------------------------------- */

struct site {
	const char *path, *kind;
	int lerr;            /* lstat's errno, 0: st valid */
	struct stat st;
	char target[PATH_BUF]; /* symlinks */
	uid_t uid;           /* the user to ask about */
	gid_t gid;
	int fd;              /* the site opened O_DIRECTORY|O_NOFOLLOW, or -1 */
	int oerr;            /* open's errno */
};

static void report(struct site *s)
{
	char owner[64] = "?", group[64] = "?", mode[8] = "?", trunc[160] = "";
	struct verdict v;
	struct walk *w = calloc(1, sizeof(*w));
	const char *type = s->lerr == 0 ? type_name(s->st.st_mode) :
			   s->lerr == ENOENT ? "missing" : "unknown";

	if (w == NULL) {
		perror("fcgi-suexec-audit: calloc");
		exit(1);
	}
	if (s->lerr == 0) {
		user_name(s->st.st_uid, owner, sizeof(owner));
		group_name(s->st.st_gid, group, sizeof(group));
		snprintf(mode, sizeof(mode), "%04o", (unsigned)s->st.st_mode & 07777);
	}
	if (s->lerr == 0 && S_ISLNK(s->st.st_mode)) {
		memset(&v, 0, sizeof(v));
		v.verdict = "refused";
		v.exit = EX_DOCROOT;
		snprintf(v.check, sizeof(v.check), "docroot");
		snprintf(v.reason, sizeof(v.reason), "%s is a symbolic link to %s: never "
			 "followed, a launch refuses symlinks", s->path, s->target);
	} else {
		ask_launcher(s->uid, s->gid, s->path, &v);
	}
	if (s->fd >= 0) {
		char path[PATH_BUF];

		w->dev = s->st.st_dev;
		snprintf(path, sizeof(path), "%s", s->path);
		walk_dir(s->fd, path, strlen(path), &s->st, 0, w);
		s->fd = -1;
	} else if (s->lerr == 0 && S_ISDIR(s->st.st_mode)) {
		add_problem(w, s->path, &s->st, s->oerr == EACCES ? "unreadable" : "vanished");
	}

	qsort(w->prob, w->nprob, sizeof(w->prob[0]), problem_cmp);
	if (w->stop != NULL || w->deep)
		snprintf(trunc, sizeof(trunc), "%s%s%s", w->stop != NULL ? w->stop : "",
			 w->stop != NULL && w->deep ? "; " : "", w->deep ? "directories more than "
			 STR(WALK_DEPTH) " levels deep not read" : "");
	if (json) {
		printf("{\"path\":");
		put_json(s->path);
		printf(",\"kind\":\"%s\",\"type\":\"%s\"", s->kind, type);
		if (s->lerr == 0 && S_ISLNK(s->st.st_mode)) {
			printf(",\"target\":");
			put_json(s->target);
		}
		printf(",\"owner\":");
		put_json(owner);
		printf(",\"group\":");
		put_json(group);
		printf(",\"mode\":");
		put_json(mode);
		printf(",\"verdict\":\"%s\",\"exit\":", v.verdict);
		if (v.exit >= 0)
			printf("%d", v.exit);
		else
			printf("null");
		printf(",\"check\":");
		put_json_or_null(v.check[0] != '\0' ? v.check : NULL);
		printf(",\"reason\":");
		put_json_or_null(v.reason[0] != '\0' ? v.reason : NULL);
		printf(",\"problems\":[");
		for (size_t i = 0; i < w->nprob; i++) {
			char pm[8];

			snprintf(pm, sizeof(pm), "%04o", (unsigned)w->prob[i].mode & 07777);
			printf("%s{\"path\":", i > 0 ? "," : "");
			put_json(w->prob[i].path);
			printf(",\"mode\":");
			put_json_or_null(w->prob[i].mode_known ? pm : NULL);
			printf(",\"issue\":\"%s\"}", w->prob[i].issue);
		}
		printf("],\"truncated\":%s", trunc[0] != '\0' ? "true" : "false");
		if (trunc[0] != '\0') {
			printf(",\"truncated_reason\":");
			put_json(trunc);
		}
		printf(",\"notes\":[");
		for (size_t i = 0; i < v.nnotes; i++) {
			printf("%s{\"check\":", i > 0 ? "," : "");
			put_json(v.notes[i].check);
			printf(",\"note\":");
			put_json(v.notes[i].note);
			putchar('}');
		}
		printf("]}\n");
	} else {
		text_put(s->path, true);
		putchar(' ');
		text_put(owner, true);
		putchar(' ');
		text_put(group, true);
		printf(" %s %s", mode, v.verdict);
		if (v.check[0] != '\0' || v.reason[0] != '\0') {
			printf(" %s: ", v.check[0] != '\0' ? v.check : "audit");
			text_put(v.reason, false);
		}
		putchar('\n');
		for (size_t i = 0; i < v.nnotes; i++) {
			printf("  note %s: ", v.notes[i].check);
			text_put(v.notes[i].note, false);
			putchar('\n');
		}
		for (size_t i = 0; i < w->nprob; i++) {
			(void)fputs("  ", stdout);
			text_put(w->prob[i].path, true);
			if (w->prob[i].mode_known)
				printf(" %04o %s\n", (unsigned)w->prob[i].mode & 07777, w->prob[i].issue);
			else
				printf(" ? %s\n", w->prob[i].issue);
		}
		if (trunc[0] != '\0')
			printf("  ... truncated: %s\n", trunc);
	}
	for (size_t i = 0; i < w->nprob; i++)
		free(w->prob[i].path);
	free(w);
	if (fflush(stdout) != 0) /* a site at a time: a slow launcher shows where */
		failed = 1;
}

/* The user a DOCROOT site would run as: its owner, with the owner's primary
 * group (the directory's group when the owner has no passwd entry). */
static void site_target(struct site *s)
{
	struct passwd *pw = getpwuid(s->st.st_uid);

	s->uid = s->st.st_uid;
	s->gid = pw != NULL ? pw->pw_gid : s->st.st_gid;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void docroot_sites(void)
{
	int dfd = open(DOCROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char **names;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	names = calloc(SITES_MAX, sizeof(*names));
	if (dfd < 0 || names == NULL || (d = fdopendir(dfd)) == NULL) {
		fprintf(stderr, "fcgi-suexec-audit: %s: %s\n", DOCROOT, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		free(names);
		failed = 1;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == SITES_MAX) {
			fprintf(stderr, "fcgi-suexec-audit: %s: more than " STR(SITES_MAX)
				" entries: only the first are listed\n", DOCROOT);
			failed = 1;
			break;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL) {
			perror("fcgi-suexec-audit: strdup");
			exit(1);
		}
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		struct site *s = calloc(1, sizeof(*s));
		char *path = NULL;

		if (s == NULL || asprintf(&path, "%s/%s", DOCROOT, names[i]) < 0) {
			perror("fcgi-suexec-audit: calloc");
			exit(1);
		}
		s->path = path;
		s->kind = "docroot";
		s->fd = -1;
		if (fstatat(dirfd(d), names[i], &s->st, AT_SYMLINK_NOFOLLOW) != 0)
			s->lerr = errno;
		if (s->lerr == 0 && S_ISLNK(s->st.st_mode)) {
			ssize_t k = readlinkat(dirfd(d), names[i], s->target, sizeof(s->target) - 1);

			s->target[k > 0 ? k : 0] = '\0';
		}
		/* sites are directories and symlinks; other entries are no site */
		if (s->lerr == 0 && (S_ISDIR(s->st.st_mode) || S_ISLNK(s->st.st_mode))) {
			site_target(s);
			if (S_ISDIR(s->st.st_mode)) {
				s->fd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY |
					       O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
				s->oerr = s->fd < 0 ? errno : 0;
			}
			report(s);
		}
		if (s->fd >= 0)
			close(s->fd);
		free(path);
		free(s);
		free(names[i]);
	}
	free(names);
	closedir(d);
}

static void userdir_sites(void)
{
	struct passwd *pw;
	size_t seen = 0;

	setpwent();
	while ((errno = 0, pw = getpwent()) != NULL) {
		struct site *s;
		char *path = NULL;

		if (++seen > USERS_MAX) {
			fprintf(stderr, "fcgi-suexec-audit: more than " STR(USERS_MAX)
				" users: the rest are not listed\n");
			failed = 1;
			break;
		}
		if (pw->pw_uid < UID_MIN || pw->pw_dir == NULL || pw->pw_dir[0] != '/')
			continue;
		s = calloc(1, sizeof(*s));
		if (s == NULL || asprintf(&path, "%s%s%s", pw->pw_dir,
					  pw->pw_dir[1] != '\0' ? "/" : "", USERDIR_SUFFIX) < 0) {
			perror("fcgi-suexec-audit: calloc");
			exit(1);
		}
		s->path = path;
		s->kind = "userdir";
		s->fd = -1;
		s->uid = pw->pw_uid;
		s->gid = pw->pw_gid;
		if (lstat(path, &s->st) != 0)
			s->lerr = errno;
		/* A userdir that exists, or that this caller cannot tell about:
		 * then the launcher, run as the same caller, says why. */
		if (s->lerr == 0 || (s->lerr != ENOENT && s->lerr != ENOTDIR)) {
			if (s->lerr == 0 && S_ISLNK(s->st.st_mode)) {
				ssize_t k = readlink(path, s->target, sizeof(s->target) - 1);

				s->target[k > 0 ? k : 0] = '\0';
			} else if (s->lerr == 0 && S_ISDIR(s->st.st_mode)) {
				s->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC |
					     O_NONBLOCK);
				s->oerr = s->fd < 0 ? errno : 0;
			}
			report(s);
		}
		if (s->fd >= 0)
			close(s->fd);
		free(path);
		free(s);
	}
	endpwent();
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0) ||
	    argv[1][0] != '/') {
		fprintf(stderr, "usage: fcgi-suexec-audit /path/to/fcgi-suexec [--json]\n");
		return 2;
	}
	/* Only ever the caller's own privileges. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fprintf(stderr, "fcgi-suexec-audit: must not run setuid or setgid\n");
		return 1;
	}
	launcher = argv[1];
	json = argc == 3;
	(void)signal(SIGCHLD, SIG_DFL);
	/* One listening socket for every --check: an autobound abstract name. */
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa_family_t)) != 0 ||
	    listen(listen_fd, 1) != 0) {
		perror("fcgi-suexec-audit: listening socket");
		return 1;
	}
	docroot_sites();
	userdir_sites();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("fcgi-suexec-audit: stdout");
		return 1;
	}
	return failed;
}
