/* fcgi-suexec - start a site's PHP FastCGI worker as its own user; setuid root. main() is the security
 * sequence: sanitise, check (policy.c) through descriptors, drop for good, confine, exec. SECURITY.md */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/magic.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <shadow.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#define LIBBSD_OPENBSD_VIS /* strnvis(dst, src, size, flags) */
#include <vis.h>

#include "policy.h"
#include "sandbox.h"
#include "world.h"

#if !defined(__SANITIZE_ADDRESS__) && (!defined(_FORTIFY_SOURCE) || _FORTIFY_SOURCE < 3)
#error "build with -D_FORTIFY_SOURCE=3 (see HARDEN in the Makefile)"
#endif
#define FUSE_CTL_SUPER_MAGIC 0x65735543 /* fusectl, fs/fuse/control.c */
#define STR_(x) #x
#define STR(x) STR_(x)
/* Read by tests/62-hardening.t: the level this binary was built with. */
__attribute__((used)) static const char fortify_level[] =
	"fcgi-suexec FORTIFY_SOURCE=" STR(_FORTIFY_SOURCE);

#define ENV_KEPT_MAX 256    /* as Apache's suexec (AP_ENVBUF) */
#define CMD_ARGS_MAX 64
#define GROUPS_MAX 1024
#define DB_SIZE_MAX (64 << 20) /* /etc/passwd, /etc/group, /etc/shadow */

/* The request as given (for messages) and as resolved (for use). */
static struct {
	const char *user, *group, *docroot, *version, *cmd; /* cmd: Apache mode's COMMAND */
	char **cmd_argv;          /* COMMAND ARGS... */
	bool userdir, check, fpm; /* "~UID": COMMAND in the userdir; --check: run nothing; -w fpm */
	char caller[ARG_MAX_NAME + 1];
} req = { "-", "-", "-", NULL, NULL, NULL, false, false, false, "?" };

static struct target {
	uid_t uid, httpd_uid;         /* the target's, the web server's */
	gid_t gid, pw_gid, httpd_gid; /* GROUP, the user's primary, the web server's */
	char name[ARG_MAX_NAME + 1], dropped[256]; /* dropped: the user's groups the worker loses */
	char home[ARG_MAX_PATH + 1], userdir[ARG_MAX_PATH + 1], site[ARG_MAX_PATH + 1];
	gid_t groups[GROUPS_MAX];
	int ngroups;
} t;

/* Caller text made safe for one log line; len - 1: libbsd 0.11's strnvis writes a NUL past it. */
static const char *safe(const char *s, char *buf, size_t len)
{
	if (strnvis(buf, s, len - 1, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | VIS_DQ) < 0)
		strlcpy(buf, "(not shown: out of memory)", len);
	return buf;
}

static int log_fd = -1; /* LOG_FILE's, when the build names one */

/* One record: syslog; LOG_FILE too (built with one) below LOG_FILE_MAX, in one append (no mixing). */
__attribute__((format(printf, 2, 3)))
static void record(int prio, const char *fmt, ...)
{
	char line[2048], out[2112], when[24]; /* out: time, pid (45 at most) and line */
	time_t now = time(NULL);
	struct stat st;
	struct tm tm;
	va_list ap;
	int n;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(prio, "%s", line);
	if (log_fd >= 0 && fstat(log_fd, &st) == 0 && st.st_size < LOG_FILE_MAX &&
	    gmtime_r(&now, &tm) != NULL && strftime(when, sizeof(when), "%FT%TZ", &tm) > 0 &&
	    (n = snprintf(out, sizeof(out), "%s fcgi-suexec[%d]: %s\n", when, (int)getpid(), line)) > 0 &&
	    write(log_fd, out, (size_t)n) != n) /* a full disk: syslog and stderr still have it */
		syslog(LOG_ERR, "result=warn check=log reason=\"%s: %s\"", LOG_FILE, strerror(errno));
}

/* Refuse: one line on stderr, one record (syslog, LOG_FILE), a distinct exit code. */
noreturn __attribute__((format(printf, 3, 4)))
static void deny(int code, const char *check, const char *fmt, ...)
{
	char raw[512], why[1024], u[80], g[80], d[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	safe(raw, why, sizeof(why)); /* paths in it are the caller's: one line */
	if (req.check) { /* the report's last line; nothing to log */
		printf("%s: fail: %s\n", check, why);
		exit(code);
	}
	fprintf(stderr, "fcgi-suexec: %s: %s\n", check, why);
	record(LOG_ERR, "result=deny check=%s caller=%s user=\"%s\" group=\"%s\" docroot=\"%s\" "
	       "reason=\"%s\"", check, req.caller, safe(req.user, u, sizeof(u)),
	       safe(req.group, g, sizeof(g)), safe(req.docroot, d, sizeof(d)), why);
	exit(code);
}

/* --check: one line per check that passed. */
static void pass(const char *check, const char *note)
{
	if (req.check)
		printf("%s: pass%s%s\n", check, note != NULL ? ": " : "", note != NULL ? note : "");
}

/* A system call failed where it must not: never go on in an unknown state. */
noreturn static void die_sys(const char *what)
{
	deny(EX_SYSTEM, "system", "%s: %s", what, strerror(errno));
}

/* strerror(e), but out of descriptors or memory at `step`: a system failure (111), not an answer. */
static const char *reason(int e, const char *step)
{
	if (e == EMFILE || e == ENFILE || e == ENOMEM || e == ENOBUFS)
		deny(EX_SYSTEM, "system", "%s: %s", step, strerror(e));
	return strerror(e);
}

/* NULL, or why fd is on a user's FUSE (stat gets any owner it likes): fusectl names the mounter. */
static const char *mount_problem(int fd, const struct stat *st)
{
	static dev_t trusted = (dev_t)-1; /* the last file system found trusted */
	static char why[96];
	struct statfs fs;
	struct stat c;

	if (st->st_dev == trusted) /* common case: one fstatfs per file system crossed */
		return NULL;
	if (fstatfs(fd, &fs) != 0) /* f_type is the kernel's, never the FUSE server's answer */
		return "file system type unknown (fstatfs failed)";
	if (fs.f_type == FUSE_SUPER_MAGIC) { /* the kernel's dev_t: major << 20 | minor */
		snprintf(why, sizeof(why), "/sys/fs/fuse/connections/%u",
			 major(st->st_dev) << 20 | minor(st->st_dev));
		int conn = open(why, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (conn < 0 || fstatfs(conn, &fs) != 0 || fs.f_type != FUSE_CTL_SUPER_MAGIC ||
		    fstat(conn, &c) != 0)
			return "on a FUSE file system whose mounting user is unknown (fusectl is not "
			       "mounted on /sys/fs/fuse/connections)";
		close(conn);
		snprintf(why, sizeof(why), "on a FUSE file system mounted by uid %u", (unsigned)c.st_uid);
		if (c.st_uid != 0)
			return why;
	}
	trusted = st->st_dev;
	return NULL;
}

/* `name` in checked `at` (`dir`), no symlink: root's regular file, private, no FUSE; -1: missing. */
static int root_file(int at, const char *dir, const char *name, int flags, int code, const char *check)
{
	const char *problem = NULL;
	struct stat st;
	int fd = openat(at, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);

	if (fd < 0 && errno == ENOENT && !(flags & O_CREAT))
		return -1;
	if (fd < 0 || fstat(fd, &st) != 0 || (problem = mount_problem(fd, &st)) != NULL ||
	    (problem = policy_file_problem(st.st_mode, st.st_uid, false)) != NULL)
		deny(code, check, "%s%s: %s", dir, name, problem != NULL ? problem : reason(errno, name));
	return fd;
}

/* Users, groups, accounts parsed here (no NSS in a setuid process), checked on the fd, read once. */
static FILE *userdb_open(const char *path, FILE **cache)
{
	struct stat st;

	if (*cache != NULL) {
		rewind(*cache);
		return *cache;
	}
	int fd = root_file(AT_FDCWD, "", path, O_RDONLY, EX_SYSTEM, "system"); /* FUSE: any user */
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 1 || st.st_size > DB_SIZE_MAX)
		deny(EX_SYSTEM, "system", "%s: missing, or not of 1 byte to %d MiB", path, DB_SIZE_MAX >> 20);
	char *buf = malloc((size_t)st.st_size);
	if (buf == NULL || read(fd, buf, (size_t)st.st_size) != st.st_size ||
	    (*cache = fmemopen(buf, (size_t)st.st_size, "r")) == NULL)
		die_sys(path);
	close(fd);
	return *cache;
}

static FILE *passwd_db, *group_db;
static char db_buf[65536]; /* one entry; a longer one ends the look-up (fail closed) */

/* A scan's end: "not found" only at the end of the file; any other error is a failure. */
static void *userdb_end(int rc, const char *path)
{
	if (rc != ENOENT)
		deny(EX_SYSTEM, "system", "%s: %s", path, strerror(rc));
	return NULL;
}

/* user_find, group_find: by name, or by id when name is NULL; callers copy what they need before
 * the next look-up. One scan, written once for both databases. */
#define USERDB_FIND(fn, type, getent, path, db, name_of, id_of)                                   \
	static struct type *fn(const char *name, unsigned int id)                                 \
	{                                                                                         \
		static struct type e;                                                             \
		FILE *f = userdb_open(path, &(db));                                               \
		struct type *p;                                                                   \
		int rc;                                                                           \
		while ((rc = getent(f, &e, db_buf, sizeof(db_buf), &p)) == 0)                     \
			if (name != NULL ? strcmp(p->name_of, name) == 0 : p->id_of == id)         \
				return p;                                                         \
		return userdb_end(rc, path);                                                      \
	}
USERDB_FIND(user_find, passwd, fgetpwent_r, "/etc/passwd", passwd_db, pw_name, pw_uid)
USERDB_FIND(group_find, group, fgetgrent_r, "/etc/group", group_db, gr_name, gr_gid)

/* Modes that need no privilege run as the caller (setgroups needs privilege: only if setuid). */
static void drop_to_caller(void)
{
	if ((geteuid() == 0 && setgroups(0, NULL) != 0) ||
	    setresgid(getgid(), getgid(), getgid()) != 0 ||
	    setresuid(getuid(), getuid(), getuid()) != 0)
		die_sys("dropping to the caller's ids");
}

#define USAGE(or) "fcgi-suexec [--check] [-p VERSION] [-w php-cgi|fpm] USER GROUP DOCROOT" or \
	"fcgi-suexec [--check] UID|~UID GID COMMAND [ARGS...]" or "fcgi-suexec --audit|--status " \
	"[--json]" or "fcgi-suexec -V | --help"

noreturn static void usage(const char *why)
{
	deny(EX_USAGE_, "usage", "%s; usage: " USAGE(" | "), why);
}

/* --audit, --status, as the caller: tools that need no privilege (the audit asks --check). */
noreturn static void tool(int argc, char **argv, const char *path)
{
	char self[ARG_MAX_PATH + 1], *env[] = { "PATH=" SAFE_PATH, NULL };
	ssize_t n;

	drop_to_caller();
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		die_sys("readlink /proc/self/exe");
	self[n] = '\0';
	closelog();
	if (argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0))
		usage("--audit and --status take only --json");
	execve(path, (char *[]){ (char *)path, self, argc > 2 ? argv[2] : NULL, NULL }, env);
	deny(EX_SYSTEM, "system", "exec %s: %s", path, strerror(errno));
}

/* Check 2: argument syntax only; meaning is checked later. */
static void check_args(int argc, char **argv)
{
	unsigned int id;
	int i = req.check ? 2 : 1, first = i;

	for (; argc >= i + 2 && (strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "-w") == 0); i += 2)
		if (argv[i][1] == 'p' ? !policy_valid_version(req.version = argv[i + 1]) :
		    !(req.fpm = strcmp(argv[i + 1], "fpm") == 0) && strcmp(argv[i + 1], "php-cgi") != 0)
			usage(argv[i][1] == 'p' ? "-p takes a version such as 8.2" : "-w takes php-cgi or fpm");
	/* Apache's form ("UID"|"~UID" GID COMMAND, as mod_suexec calls suexec) for an id or "~" only. */
	bool apache = argc - i >= 3 && argv[i + 2][0] != '/' && i == first &&
		      (argv[i][0] == '~' || policy_parse_id(argv[i], &id));
	if (argc - i < 3 || (!apache && argc - i != 3))
		usage("expected USER GROUP DOCROOT");
	req.user = argv[i];
	req.group = argv[i + 1];
	req.docroot = argv[i + 2];
	if (apache) {
		req.cmd = argv[i + 2];
		req.cmd_argv = &argv[i + 2];
		req.docroot = ".";
		if ((req.userdir = req.user[0] == '~'))
			req.user++;
		if (!policy_valid_command(req.cmd))
			usage("COMMAND must be one relative path component");
		if (argc - i - 3 > CMD_ARGS_MAX) /* ARGS after COMMAND */
			usage("too many arguments for COMMAND");
		for (int k = i + 3; k < argc; k++)
			if (strlen(argv[k]) > ARG_MAX_PATH)
				usage("an argument of COMMAND is too long");
	}
	if (!policy_parse_id(req.user, &id) && !policy_valid_name(req.user))
		usage("USER is neither a user name nor a decimal id");
	if (!policy_parse_id(req.group, &id) && !policy_valid_name(req.group))
		usage("GROUP is neither a group name nor a decimal id");
	if (req.cmd == NULL && !policy_path_canonical(req.docroot))
		usage("DOCROOT must be an absolute path, without ., .., // or a trailing /");
	if (req.cmd == NULL && !policy_path_plain(req.docroot))
		usage("DOCROOT may hold only letters, digits and /._+@,~- (PHP reads it as INI)");
	pass("usage", NULL);
}

/* Check 1: only root and the web server's user may ask. */
static void check_caller(void)
{
	struct passwd *pw = user_find(HTTPD_USER, 0);
	uid_t ruid = getuid();

	t.httpd_uid = pw != NULL ? pw->pw_uid : (uid_t)-1;
	t.httpd_gid = pw != NULL ? pw->pw_gid : (gid_t)-1;
	if (!policy_caller_ok(ruid, t.httpd_uid))
		deny(EX_CALLER, "caller", "uid %u is not root or %s", (unsigned)ruid, HTTPD_USER);
	pass("caller", NULL);
}

/* Check 3a: an ordinary user; every lookup failure is fatal (su-exec fell through to uid 0). */
static void check_user(void)
{
	unsigned int id;
	struct passwd *pw;

	pw = policy_parse_id(req.user, &id) ? user_find(NULL, id) : user_find(req.user, 0);
	if (pw == NULL)
		deny(EX_USER, "user", "no such user: %s", req.user);
	if (!policy_valid_name(pw->pw_name)) /* it names the private temp dir */
		deny(EX_USER, "user", "user %s (uid %u) has an unusual name", req.user, (unsigned)pw->pw_uid);
	if (!policy_uid_ok(pw->pw_uid, t.httpd_uid))
		deny(EX_USER, "user", "%s has uid %u: root, nobody, the web server's user and "
		     "uids outside %u..%u are never targets", pw->pw_name,
		     (unsigned)pw->pw_uid, UID_MIN, UID_MAX);
	if (strlcpy(t.name, pw->pw_name, sizeof(t.name)) >= sizeof(t.name) ||
	    strlcpy(t.home, pw->pw_dir, sizeof(t.home)) >= sizeof(t.home))
		deny(EX_USER, "user", "name or home of %s too long", pw->pw_name);
	t.uid = pw->pw_uid;
	t.pw_gid = pw->pw_gid;
	if (!policy_path_canonical(t.home) ||
	    snprintf(t.userdir, sizeof(t.userdir), "%s/%s", t.home, USERDIR_SUFFIX)
	    >= (int)sizeof(t.userdir) || !policy_path_canonical(t.userdir))
		t.userdir[0] = '\0'; /* no userdir for odd homes; DOCROOT still works */
	pass("user", NULL);
}

/* Check 3b: no expired account (chage -E, as panels suspend); locked: if LOCKED_ACCOUNTS=refuse. */
static void check_account(void)
{
	static FILE *shadow_db;
	struct spwd sp, *s = NULL;
	char day[32] = "? (chage -E)";
	struct tm tm;
	int rc;

	if (req.check && getuid() != 0) {
		pass("account", "unknown: only root can read /etc/shadow");
		return;
	}
	FILE *f = userdb_open("/etc/shadow", &shadow_db);
	while ((rc = fgetspent_r(f, &sp, db_buf, sizeof(db_buf), &s)) == 0 &&
	       strcmp(s->sp_namp, t.name) != 0)
		;
	if (rc != 0) { /* no entry: nothing says it expired or is locked */
		userdb_end(rc, "/etc/shadow");
		pass("account", "no /etc/shadow entry");
		return;
	}
	const char *problem = policy_account_problem(s->sp_expire, s->sp_pwdp,
						     (long)(time(NULL) / 86400));
	time_t when = (time_t)s->sp_expire * 86400;
	if (problem != NULL && s->sp_expire >= 0 && gmtime_r(&when, &tm) != NULL)
		(void)strftime(day, sizeof(day), "%Y-%m-%d (chage -E)", &tm);
	if (problem != NULL) /* "expired" or "locked" */
		deny(EX_USER, "account", "the account of %s %s%s", t.name, problem[0] == 'e' ?
		     "expired on " : "is locked (built LOCKED_ACCOUNTS=refuse)", problem[0] == 'e' ?
		     day : "");
	pass("account", NULL);
}

/* Check 3c: GROUP ordinary, the user's (CVE-2007-1743), not the web server's; other groups dropped. */
static void check_group(void)
{
	char name[ARG_MAX_NAME + 1], note[sizeof(t.dropped) + 16];
	static struct group gr;
	struct group *g;
	unsigned int id;
	int rc;

	g = policy_parse_id(req.group, &id) ? group_find(NULL, id) : group_find(req.group, 0);
	if (g == NULL)
		deny(EX_GROUP, "group", "no such group: %s", req.group);
	t.gid = g->gr_gid;
	strlcpy(name, g->gr_name, sizeof(name)); /* the next look-up reuses the buffer */
	if (t.gid == t.httpd_gid)
		deny(EX_GROUP, "group", "%s is the primary group of %s, the web server's user",
		     name, HTTPD_USER);
	if (!policy_gid_ok(t.gid))
		deny(EX_GROUP, "group", "%s has gid %u: gid 0, nogroup and gids outside "
		     "%u..%u are never targets", name, (unsigned)t.gid, GID_MIN, GID_MAX);
	bool member = t.gid == t.pw_gid;
	t.groups[0] = t.gid;
	t.ngroups = 1;
	FILE *f = userdb_open("/etc/group", &group_db);
	while ((rc = fgetgrent_r(f, &gr, db_buf, sizeof(db_buf), &g)) == 0) {
		size_t len = strlen(t.dropped);
		char **m = g->gr_mem;

		while (*m != NULL && strcmp(*m, t.name) != 0)
			m++;
		if (*m == NULL && g->gr_gid != t.pw_gid)
			continue;
		member |= g->gr_gid == t.gid;
		if (policy_gid_member(g->gr_gid, t.groups, (size_t)t.ngroups))
			continue;
		bool keep = policy_group_keep(g->gr_gid, g->gr_name, t.gid, t.pw_gid, t.httpd_gid);
		if (keep && t.ngroups >= GROUPS_MAX)
			deny(EX_GROUP, "group", "%s is in more than %d groups", t.name, GROUPS_MAX);
		if (keep)
			t.groups[t.ngroups++] = g->gr_gid;
		else if (len + strlen(g->gr_name) + 5 < sizeof(t.dropped)) /* one bounded line */
			snprintf(t.dropped + len, sizeof(t.dropped) - len, "%s%s", len ? "," : "",
				 g->gr_name);
		else if (len < 3 || strcmp(t.dropped + len - 3, "...") != 0) /* "..." once full */
			strlcat(t.dropped, ",...", sizeof(t.dropped));
	}
	userdb_end(rc, "/etc/group");
	if (!member)
		deny(EX_GROUP, "group", "%s is not a group of %s", name, t.name);
	snprintf(note, sizeof(note), "dropped %s", t.dropped);
	pass("group", t.dropped[0] != '\0' ? note : NULL);
}

static struct { int code; const char *check; char why[ARG_MAX_PATH + 160], last[256]; } wk; /* walk()'s */

/* walk()'s refusal: say why, close what it holds, deny; or, for wk.code 0, return -1, errno set. */
__attribute__((format(printf, 4, 5)))
static int walk_fail(int at, int fd, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(wk.why, sizeof(wk.why), fmt, ap);
	va_end(ap);
	close(at); /* -1: EBADF, nothing else */
	close(fd);
	if (wk.code != 0)
		deny(wk.code, wk.check, "%s", wk.why);
	errno = err;
	return -1;
}

/* Open `path` from "/" by components, O_PATH|O_NOFOLLOW: what we check we use (CVE-2007-1741). Each
 * directory private, root's (or `owner`'s); symlinks refused or, `follow`, followed if root's. */
static int walk(const char *path, uid_t owner, const char *home, bool follow,
		const char *site_base, int *site, struct stat *st, int code, const char *check)
{
	char todo[2 * ARG_MAX_PATH + 2], link[ARG_MAX_PATH + 1], dir[ARG_MAX_PATH + 1] = "/";
	int hops = 0, fd = -1, at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	const char *mnt;
	char *c = todo;

	strlcpy(todo, path, sizeof(todo));
	wk.code = code;
	wk.check = check;
	if (at < 0 || fstat(at, st) != 0)
		return walk_fail(-1, -1, errno, "/: %s", reason(errno, path));
	for (;;) {
		/* here `at` is open on `dir` and `st` describes it; is fstat the truth? */
		if ((mnt = mount_problem(at, st)) != NULL)
			return walk_fail(at, fd, 0, "%s: %s", dir, mnt);
		if (!policy_mode_private(st->st_mode) ||
		    !policy_ancestor_owner_ok(dir, st->st_uid, owner, home))
			return walk_fail(at, fd, 0, "%s: directory owned by uid %u, mode %04o: must "
					 "be owned by root%s and not writable by group or others",
					 dir, (unsigned)st->st_uid, (unsigned)st->st_mode & 07777,
					 owner != 0 ? " or the user" : "");
		/* Apache mode: the site's top is the user's first directory within site_base. */
		if (site != NULL && site_base != NULL && *site < 0 && st->st_uid == owner &&
		    policy_path_within(dir, site_base) &&
		    ((*site = fcntl(at, F_DUPFD_CLOEXEC, 3)) < 0 ||
		     strlcpy(t.site, dir, sizeof(t.site)) >= sizeof(t.site)))
			die_sys("dup");
		while (*c == '/')
			c++;
		if (*c == '\0') /* the path named "/" itself */
			return at;
		char *end = strchrnul(c, '/'), saved = *end;
		*end = '\0';
		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
			return walk_fail(at, fd, 0, "%s: link target with . or ..", path);
		fd = openat(at, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, st) != 0)
			return walk_fail(at, fd, errno, "%s%s%s: %s", dir, dir[1] ? "/" : "", c,
					 reason(errno, path));
		if (S_ISLNK(st->st_mode)) {
			if (!follow || ++hops > LINK_HOPS_MAX || st->st_uid != 0)
				return walk_fail(at, fd, 0, "%s%s%s is a symlink", dir,
						 dir[1] ? "/" : "", c);
			ssize_t n = readlinkat(fd, "", link, sizeof(link) - 1);
			close(fd);
			fd = -1;
			if (n <= 0)
				return walk_fail(at, fd, 0, "%s: unreadable symlink", path);
			link[n] = '\0';
			*end = saved;
			char rest[sizeof(todo)];
			if (snprintf(rest, sizeof(rest), "%s%s", link, end) >= (int)sizeof(rest))
				return walk_fail(at, fd, 0, "%s: path too long after symlinks", path);
			strlcpy(todo, rest, sizeof(todo));
			c = todo;
			if (link[0] == '/') { /* absolute target: start again at "/" */
				close(at);
				at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				strlcpy(dir, "/", sizeof(dir));
			}
			if (at < 0 || fstat(at, st) != 0)
				return walk_fail(at, fd, 0, "%s: %s", dir, reason(errno, path));
			continue; /* the directory we resolve from is checked again */
		}
		if (saved == '\0' && (mnt = mount_problem(fd, st)) != NULL)
			return walk_fail(at, fd, 0, "%s: %s", path, mnt);
		if (saved == '\0') /* last component: the caller checks the rest */
			break;
		if (!S_ISDIR(st->st_mode))
			return walk_fail(at, fd, 0, "%s/%s: not a directory", dir, c);
		if (dir[1] != '\0')
			strlcat(dir, "/", sizeof(dir));
		strlcat(dir, c, sizeof(dir));
		close(at);
		at = fd;
		fd = -1;
		c = end + 1;
	}
	close(at);
	strlcpy(wk.last, c, sizeof(wk.last)); /* its name, symlinks followed: "php-cgi8.2" */
	return fd;
}

/* Check 4: the document root, contained by components (CVE-2007-1742: /var/www_backup). */
static int check_docroot(void)
{
	const char *userdir = t.userdir[0] != '\0' ? t.userdir : NULL;
	struct stat st;

	if (policy_docroot_base(req.docroot, userdir) == NULL)
		deny(EX_DOCROOT, "docroot", "%s is neither below %s nor inside %s",
		     req.docroot, DOCROOT, userdir != NULL ? userdir : "a userdir");
	int fd = walk(req.docroot, t.uid, t.home, false, NULL, NULL, &st, EX_DOCROOT, "docroot");

	if (!policy_docroot_stat_ok(st.st_mode, st.st_uid, t.uid))
		deny(EX_DOCROOT, "docroot", "%s: must be a directory owned by %s (uid %u) and not "
		     "writable by group or others (owner uid %u, mode %04o)", req.docroot, t.name,
		     (unsigned)t.uid, (unsigned)st.st_uid, (unsigned)st.st_mode & 07777);
	pass("docroot", NULL);
	return fd;
}

/* Check 5: a root-owned file on a root-owned path: the interpreter or its php.ini. */
static int check_file(const char *path, bool exec)
{
	const char *problem;
	struct stat st;
	int fd = walk(path, 0, NULL, true, NULL, NULL, &st, EX_INTERP, "interpreter");

	if ((problem = policy_file_problem(st.st_mode, st.st_uid, exec)) != NULL)
		deny(EX_INTERP, "interpreter", "%s: %s", path, problem);
	return fd;
}

/* Check 7b: EXTRA_RO/RW walked as the interpreter; root's or a system user's, never a site's. */
static int check_extra(const char *list, const char *name, int *fds, const char **paths)
{
	static char buf[2][4096]; /* paths: EXTRA_RW's, for the world's mounts */
	char why[ARG_MAX_PATH + 160], *save = NULL, *b = buf[paths != NULL];
	struct stat st;
	int n = 0;

	if (strlcpy(b, list, sizeof(buf[0])) >= sizeof(buf[0]))
		deny(EX_EXTRA, "extra", "%s is too long", name);
	for (char *p = strtok_r(b, ":", &save); p != NULL; p = strtok_r(NULL, ":", &save)) {
		int fd = walk(p, 0, NULL, true, NULL, NULL, &st, 0, NULL);
		if (fd < 0 && errno == ENOENT) {
			snprintf(why, sizeof(why), "%s: missing, grants nothing", p);
			pass("extra", why);
			continue;
		}
		if (fd < 0)
			deny(EX_EXTRA, "extra", "%s: %s", name, wk.why);
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			deny(EX_EXTRA, "extra", "%s: %s: not a directory or regular file", name, p);
		if (!policy_extra_owner_ok(st.st_uid)) /* a shared directory may be 1777 */
			deny(EX_EXTRA, "extra", "%s: %s: owned by uid %u: must be root's or a system "
			     "user's (uid below %u)", name, p, (unsigned)st.st_uid, UID_MIN);
		if (n >= EXTRA_MAX)
			deny(EX_EXTRA, "extra", "%s: more than %d paths", name, EXTRA_MAX);
		if (paths != NULL)
			paths[n] = p;
		fds[n++] = fd;
		pass("extra", p);
	}
	return n;
}

/* Checks 4, 5, Apache mode: the cwd, walked as a docroot, proven the one we run in, inside DOCROOT or
 * "~UID"'s userdir by components (CVE-2007-1742); COMMAND in it, no symlink. *site: Landlock's root. */
static int check_cgi(int *site, int *cmd)
{
	char cwd[ARG_MAX_PATH + 1];
	const char *base = req.userdir ? t.userdir : DOCROOT, *problem;
	struct stat here, st;
	int fd, dot = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (dot < 0 || fstat(dot, &here) != 0 || getcwd(cwd, sizeof(cwd)) == NULL)
		deny(EX_DOCROOT, "docroot", "working directory: %s",
		     reason(errno, "working directory"));
	close(dot);
	req.docroot = cwd; /* for the messages */
	if (base[0] == '\0' || !policy_path_canonical(cwd) ||
	    !(req.userdir ? policy_path_within(cwd, base) : policy_path_below(cwd, base)))
		deny(EX_DOCROOT, "docroot", "%s is not inside %s", cwd,
		     req.userdir ? "the userdir" : DOCROOT);
	fd = walk(cwd, t.uid, t.home, false, base, site, &st, EX_DOCROOT, "docroot");
	if (st.st_dev != here.st_dev || st.st_ino != here.st_ino)
		deny(EX_DOCROOT, "docroot", "%s: the working directory moved during the check", cwd);
	if ((problem = policy_cgi_problem(true, st.st_mode, st.st_uid, st.st_gid, t.uid, t.gid)))
		deny(EX_DOCROOT, "docroot", "%s: %s", cwd, problem);
	if (*site < 0 && ((*site = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0 ||
			  strlcpy(t.site, cwd, sizeof(t.site)) >= sizeof(t.site)))
		die_sys("dup");
	if ((req.docroot = strdup(cwd)) == NULL)
		die_sys("strdup");
	pass("docroot", req.docroot);
	*cmd = openat(fd, req.cmd, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	problem = *cmd < 0 || fstat(*cmd, &st) != 0 ? reason(errno, req.cmd) : mount_problem(*cmd, &st);
	if (problem != NULL || (problem = S_ISLNK(st.st_mode) ? "a symlink" :
	    policy_cgi_problem(false, st.st_mode, st.st_uid, st.st_gid, t.uid, t.gid)) != NULL)
		deny(EX_INTERP, "command", "%s/%s: %s", req.docroot, req.cmd, problem);
	pass("command", NULL);
	return fd;
}

/* Check 6: fd 0 a listening socket (else php-cgi runs as CGI, serving nobody); or, Apache's, a pipe. */
static void check_socket(void)
{
	int on = 0, type = 0, dom = 0, rc = 0;
	socklen_t n1 = sizeof(int), n2 = n1, n3 = n1;
	struct stat st;
	bool fifo = req.cmd != NULL && fstat(0, &st) == 0 && S_ISFIFO(st.st_mode);

	/* --check from a shell, cron, a pipe: the process manager gives the socket; one it got, checked */
	if (fifo || ((rc = getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &on, &n1)) != 0 && req.check)) {
		pass("socket", fifo ? "a pipe (CGI)" : "not checked: fd 0 is not a socket here (a "
		     "launch needs the worker's listening socket on fd 0)");
		return;
	}
	if (rc != 0)
		deny(EX_SOCKET, "socket", "fd 0 is not a socket: %s", strerror(errno));
	if (!on || getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &n2) != 0 || type != SOCK_STREAM ||
	    getsockopt(0, SOL_SOCKET, SO_DOMAIN, &dom, &n3) != 0 ||
	    (dom != AF_UNIX && dom != AF_INET && dom != AF_INET6))
		deny(EX_SOCKET, "socket", "fd 0 is not a listening stream socket (unix, inet or inet6)");
	pass("socket", NULL);
}

/* Check 7: Landlock keeps a site out of other sites' files: refuse without, unless built optional. */
static int check_landlock(void)
{
	int abi = sandbox_landlock_abi();
	char d[2 * ARG_MAX_PATH];

	if (abi >= LANDLOCK_ABI_MIN) {
		pass("landlock", sandbox_landlock_applied(abi));
		return abi;
	}
	if (LANDLOCK_REQUIRED)
		deny(EX_LANDLOCK, "landlock", "the kernel offers Landlock ABI %d, this build "
		     "requires %d: refusing to start an unconfined worker", abi, LANDLOCK_ABI_MIN);
	if (req.check) {
		pass("landlock", "none: built LANDLOCK=optional, a launch starts the worker "
		     "WITHOUT file confinement");
		return 0;
	}
	fprintf(stderr, "fcgi-suexec: warning: Landlock ABI %d < %d: starting %s's worker WITHOUT "
		"file confinement (built LANDLOCK=optional)\n", abi, LANDLOCK_ABI_MIN, t.name);
	record(LOG_WARNING, "result=warn check=landlock caller=%s user=%s docroot=\"%s\" "
	       "reason=\"Landlock ABI %d below %d: worker not confined\"", req.caller, t.name,
	       safe(req.docroot, d, sizeof(d)), abi, LANDLOCK_ABI_MIN);
	return 0;
}

/* Check 7d: the build's limits, or root's own for the site: LIMITS_DIR/<user>/<name>, one value. */
static void check_limits(unsigned long long *v)
{
	const char *def[LIMITS_N] = LIMIT_DEFAULTS, *val;
	char text[24], note[512] = "", dir[sizeof(LIMITS_DIR) + ARG_MAX_NAME + 1];
	struct stat st;
	int at, fd;

	snprintf(dir, sizeof(dir), "%s/%s/", LIMITS_DIR, t.name); /* "/": walked as a directory too */
	if ((at = walk(dir, 0, NULL, false, NULL, NULL, &st, 0, NULL)) < 0 && errno != ENOENT)
		deny(EX_LIMITS, "limits", "%s", wk.why);
	for (int i = 0; i < (req.fpm ? LIMITS_N : LIM_PM); i++) { /* php-fpm's: -w fpm only */
		const char *name = policy_limit_names[i];
		size_t len = strlen(note);
		ssize_t n = 0;

		if ((fd = at < 0 ? -1 : root_file(at, dir, name, O_RDONLY, EX_LIMITS, "limits")) >= 0 &&
		    ((n = read(fd, text, 23)) < 0 || close(fd) != 0))
			deny(EX_LIMITS, "limits", "%s%s: %s", dir, name, reason(errno, name));
		text[n] = '\0'; /* below, fd (closed) still tells a site's own value from the build's */
		if (!policy_limit_parse(i, val = fd >= 0 ? text : def[i], &v[i]))
			deny(EX_LIMITS, "limits", "%s%s%s: \"%.*s\" is not a valid %s (fcgi-suexec(8), "
			     "LIMITS)", fd >= 0 ? dir : "this build's", fd >= 0 ? "" : " ", name,
			     (int)strcspn(val, "\n"), val, name);
		snprintf(note + len, sizeof(note) - len, "%s%s=%.*s%s", len ? " " : "", name,
			 (int)strcspn(val, "\n"), val, fd >= 0 ? "(site)" : "");
	}
	close(at);
	pass("limits", note);
}

/* Check 8, last, the one with a side effect: TMP_BASE/<user>, made if missing in root's TMP_BASE as
 * ".name.pid", owned, renamed without replacing: never left root's, refusing every later launch. */
static int check_tmpdir(void)
{
	char tmpname[ARG_MAX_NAME + 24];
	const char *mnt;
	struct stat st = { 0 }; /* walk() fills it or refuses: the analyzer cannot tell */
	int fd, base = walk(TMP_BASE "/", 0, NULL, false, NULL, NULL, &st, EX_TMPDIR, "tmpdir");

	fd = openat(base, t.name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (req.check && (fd >= 0 ? fstat(fd, &st) == 0 && st.st_uid == 0 : errno == ENOENT)) {
		pass("tmpdir", fd >= 0 ? "owned by root: a launch makes it anew if it is empty" :
		     "missing: a launch creates it");
		close(fd);
		close(base);
		return -1;
	}
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == 0 &&
	    unlinkat(base, t.name, AT_REMOVEDIR) == 0) { /* an older launcher's leftover, empty */
		close(fd);
		fd = -1;
		errno = ENOENT;
	}
	if (fd < 0 && errno == ENOENT) { /* by name: made just now in root's private TMP_BASE */
		snprintf(tmpname, sizeof(tmpname), ".%s.%ld", t.name, (long)getpid());
		if (mkdirat(base, tmpname, 0700) != 0 ||
		    fchownat(base, tmpname, t.uid, t.gid, AT_SYMLINK_NOFOLLOW) != 0)
			die_sys("making the private temp");
		if (renameat2(base, tmpname, base, t.name, RENAME_NOREPLACE) != 0 &&
		    (errno != EEXIST || unlinkat(base, tmpname, AT_REMOVEDIR) != 0))
			die_sys("rename private temp");
		fd = openat(base, t.name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	}
	close(base);
	mnt = fd < 0 || fstat(fd, &st) != 0 ? reason(errno, "private temp") : mount_problem(fd, &st);
	if (mnt != NULL)
		deny(EX_TMPDIR, "tmpdir", "%s/%s: %s", TMP_BASE, t.name, mnt);
	if (!policy_docroot_stat_ok(st.st_mode, st.st_uid, t.uid))
		deny(EX_TMPDIR, "tmpdir", "%s/%s: must be a directory owned by %s and not writable "
		     "by group or others", TMP_BASE, t.name, t.name);
	pass("tmpdir", NULL);
	return fd;
}

/* The worker's environment: PATH, USER, LOGNAME, HOME, TMPDIR, -w fpm's, then the caller's allowed. */
static char **build_env(char **kept, size_t nkept, const char *tmp, unsigned long long *lim)
{
	int lfd;
	static char *env[ENV_KEPT_MAX + 6 + LIMITS_N];
	size_t n = 5;

	env[0] = "PATH=" SAFE_PATH;
	if (asprintf(&env[1], "USER=%s", t.name) < 0 || asprintf(&env[2], "LOGNAME=%s", t.name) < 0 ||
	    asprintf(&env[3], "HOME=%s", t.home) < 0 || asprintf(&env[4], "TMPDIR=%s", tmp) < 0)
		die_sys("asprintf");
	for (int i = LIM_PM; req.fpm && i < LIMITS_N; i++) /* the template's ${pm.max_children}, ... */
		if ((i == LIM_PM ? asprintf(&env[n++], "pm=%s", policy_pm_names[lim[i]]) :
		     asprintf(&env[n++], "%s=%llu", policy_limit_names[i], lim[i])) < 0)
			die_sys("asprintf");
	/* php-fpm puts /dev/null on fd 0, then takes the socket of FPM_SOCKETS whose key (text) is its
	 * pool's listen (fpm_sockets.c): ours, a copy kept open on exec, named /dev/fd/N by no caller */
	if (req.fpm && ((lfd = fcntl(0, F_DUPFD, 3)) < 0 ||
			asprintf(&env[n++], "FPM_SOCKETS=/dev/fd/%d=%d", lfd, lfd) < 0 ||
			asprintf(&env[n++], "FCGI_SUEXEC_LISTEN=/dev/fd/%d", lfd) < 0))
		die_sys("the socket for php-fpm");
	for (size_t i = 0; i < nkept; i++)
		if (req.cmd != NULL || policy_env_keep(kept[i]))
			env[n++] = kept[i];
	env[n] = NULL;
	return env;
}

/* php-cgi's (php-fpm's: -F -O -y) command line: temps private, no "/x.jpg/y.php"; open_basedir
 * only without Landlock. */
static char **php_argv(char *interp, char *ini, const char *tmp, bool landlock)
{
	static char *argv[22];
	char *basedir, *session, *upload, *systemp, *lock;
	bool basedir_on = OPEN_BASEDIR_ALWAYS || (OPEN_BASEDIR_AUTO && !landlock);

	if (asprintf(&basedir, "open_basedir=%s:%s", req.docroot, tmp) < 0 ||
	    asprintf(&session, "session.save_path=%s", tmp) < 0 ||
	    asprintf(&upload, "upload_tmp_dir=%s", tmp) < 0 ||
	    asprintf(&systemp, "sys_temp_dir=%s", tmp) < 0 ||
	    asprintf(&lock, "opcache.lockfile_path=%s", tmp) < 0)
		die_sys("asprintf");
	char *php[] = { interp, "-F", "-O", "-y", req.fpm ? PHP_FPM_CONF : interp, "-c", ini, "-d",
			session, "-d", upload, "-d", systemp, "-d", lock, "-d", "cgi.fix_pathinfo=0",
			basedir_on ? "-d" : NULL, basedir, NULL };
	memcpy(argv, php + (req.fpm ? 0 : 4), sizeof(php) - (req.fpm ? 0 : 4 * sizeof(*php)));
	return argv;
}

int main(int argc, char **argv)
{
	char *kept[ENV_KEPT_MAX], **env, **nargv, d[2 * ARG_MAX_PATH], run[1024], link[ARG_MAX_PATH + 1];
	struct sandbox_paths sp = { .docroot = -1, .ini = -1, .proc = -1, .shm = -1 };
	struct stat self;
	char interp[sizeof(PHP_CGI) + sizeof(PHP_FPM) + VERSION_MAX], tmp[sizeof(TMP_BASE) + ARG_MAX_NAME + 1];
	char ini[sizeof(PHP_INI PHP_INI_VERSIONED PHP_FPM_INI_V_PRE PHP_FPM_INI_V_POST) + VERSION_MAX] = PHP_INI;
	int dir_fd, abi, rc, n;
	unsigned int id;
	uid_t ru, eu, su;
	gid_t rg, eg, sg, now[GROUPS_MAX];
	const char *what, *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	size_t nkept = 0;
	unsigned long long lim[LIMITS_N];
	struct rlimit rls[7] = { { 0, 0 } };
	bool root = geteuid() == 0; /* for --check, which drops at once */

	/* Never be both privileged and ptraceable by the caller (CVE-2016-8659). */
	if (prctl(PR_SET_DUMPABLE, 0) != 0)
		die_sys("PR_SET_DUMPABLE");
	/* A systemd socket (LISTEN_FDS=1, LISTEN_PID ours) to fd 0, before closefrom; getenv, not
	 * secure_getenv (NULL when setuid): neither value is used, each is only compared. */
	if (pid != NULL && fds != NULL && strcmp(fds, "1") == 0 && policy_parse_id(pid, &id) &&
	    id == (unsigned int)getpid() && dup2(3, 0) != 0)
		die_sys("dup2 LISTEN_FDS socket to fd 0");
	/* No caller fd may reach the checks or the worker; 0, 1, 2 held open: nothing lands there. */
	closefrom(3);
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
			die_sys("open /dev/null");
	/* No terminal may reach the worker (TIOCSTI, CVE-2017-5226). If the caller leads a session
	 * or group (script, ssh -t), setsid() fails: TIOCNOTTY, its SIGHUP ignored till the exec. */
	if (setsid() < 0) {
		int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (tty < 0 && errno != ENXIO) /* ENXIO: no controlling terminal */
			die_sys("/dev/tty");
		if (tty >= 0 && (signal(SIGHUP, SIG_IGN) == SIG_ERR || ioctl(tty, TIOCNOTTY) != 0 ||
				 close(tty) != 0))
			die_sys("leaving the terminal");
	}
	/* Keep allowed caller variables (validated, first of each); clear all before NSS, syslog. */
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		size_t name = strcspn(*e, "="), i = 0;

		while (i < nkept && strncmp(kept[i], *e, name + 1) != 0)
			i++;
		if (i == nkept && nkept < ENV_KEPT_MAX && (policy_env_keep(*e) || policy_cgi_env_keep(*e)))
			kept[nkept++] = *e;
	}
	if (clearenv() != 0)
		die_sys("clearenv");
	umask(022); /* what we create (the private temp) and the worker's default */
	openlog("fcgi-suexec", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	/* The caller, by name where the user database knows the uid, for every log line. */
	struct passwd *pw = user_find(NULL, getuid());
	snprintf(req.caller, sizeof(req.caller), "%u", (unsigned)getuid());
	if (pw != NULL && policy_valid_name(pw->pw_name))
		strlcpy(req.caller, pw->pw_name, sizeof(req.caller));

	if (argc == 2 && (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--help") == 0)) {
		drop_to_caller(); /* as the caller: the usage (asked for: stdout, 0), or policy, Landlock */
		abi = sandbox_landlock_abi();
		printf(argv[1][1] == '-' ? "usage: %s\n" : "%sLANDLOCK_ABI=%d\nLANDLOCK_APPLIED=%s\n",
		       argv[1][1] == '-' ? USAGE("\n       ") : POLICY_TEXT, abi,
		       sandbox_landlock_applied(abi >= LANDLOCK_ABI_MIN ? abi : 0));
		if (argv[1][1] == 'V' && stat("/proc/self/exe", &self) == 0) /* would Apache take us? */
			printf("APACHE_SUEXEC=%s (owner uid %u, mode %04o; Apache needs owner root "
			       "and the setuid bit)\n", self.st_uid == 0 && (self.st_mode & S_ISUID) ?
			       "yes" : "no", (unsigned)self.st_uid, (unsigned)self.st_mode & 07777);
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EX_SYSTEM;
	}
	if (argc >= 2 && (strcmp(argv[1], "--audit") == 0 || strcmp(argv[1], "--status") == 0))
		tool(argc, argv, argv[1][2] == 'a' ? AUDIT_HELPER : STATUS_HELPER);
	req.check = argc >= 2 && strcmp(argv[1], "--check") == 0;
	/* Check 0: LOG_FILE (a build with one), walked from "/", root's and private; made if missing. */
	if (LOG_FILE[0] != '\0' &&
	    (dir_fd = walk(LOG_FILE_DIR, 0, NULL, false, NULL, NULL, &self, EX_SYSTEM, "log")) >= 0) {
		log_fd = root_file(dir_fd, LOG_FILE_DIR, LOG_FILE_NAME, O_WRONLY | O_APPEND | O_CREAT,
				   EX_SYSTEM, "log");
		close(dir_fd);
		pass("log", LOG_FILE);
	}
	check_args(argc, argv);
	if (req.check)
		drop_to_caller(); /* --check runs every check with the caller's ids */
	if (!root)
		deny(EX_SETUID, "setuid", "not running as root: install it setuid root (mode 4750, owner root)");
	pass("setuid", NULL);
	check_caller();
	check_user();
	check_account();
	check_group();
	if (req.cmd == NULL) { /* native: php-cgi, or php-fpm with root's template, in DOCROOT */
		sp.docroot = dir_fd = check_docroot();
		const char *prog = req.fpm ? PHP_FPM : PHP_CGI, *v = req.version, *const vini[2][2] = {
			{ PHP_INI_V_PRE, PHP_INI_V_POST }, { PHP_FPM_INI_V_PRE, PHP_FPM_INI_V_POST } };
		snprintf(interp, sizeof(interp), "%s%s", prog, v != NULL ? v : "");
		sp.interp = check_file(interp, true); /* executed later through this descriptor */
		/* -p 8.1, or no PHP_INI built in (or fpm): the php.ini of php-cgi8.1, or of the one found */
		if (v == NULL && (PHP_INI[0] == '\0' || req.fpm) &&
		    (v = policy_cgi_version(wk.last, strrchr(prog, '/') + 1)) == NULL)
			deny(EX_INTERP, "interpreter", "%s is %s: no PHP version in its name (give -p%s)",
			     interp, wk.last, req.fpm ? "" : ", or build with PHP_INI");
		if (v != NULL)
			snprintf(ini, sizeof(ini), "%s%s%s", vini[req.fpm][0], v, vini[req.fpm][1]);
		sp.ini = check_file(ini, false);
		if (req.fpm) /* root's template: read by php-fpm as the user, by its path (root's) */
			sp.ro[sp.n_ro++] = check_file(PHP_FPM_CONF, false);
		pass("interpreter", interp);
	} else { /* Apache mode: COMMAND in the cwd */
		dir_fd = check_cgi(&sp.docroot, &sp.interp);
	}
	check_socket();
	abi = check_landlock();
	sp.n_ro += check_extra(EXTRA_RO, "EXTRA_RO", sp.ro + sp.n_ro, NULL);
	/* Check 7c: a symlinked /etc/resolv.conf's target's directory, as EXTRA_RO ("../run/x/f": /run/x). */
	ssize_t len = readlink("/etc/resolv.conf", link, sizeof(link) - 1);
	char *slash = len > 0 ? memrchr(link, '/', (size_t)len) : NULL;
	if (slash != NULL) {
		*slash = '\0';
		char *dir = strncmp(link, "../", 3) == 0 ? link + 2 : link;
		if (dir[0] == '/' && dir[1] != '\0')
			sp.n_ro += check_extra(dir, "resolv.conf", sp.ro + sp.n_ro, NULL);
	}
	sp.n_rw = check_extra(EXTRA_RW, "EXTRA_RW", sp.rw, sp.rw_path);
	check_limits(lim);
	sp.tmp = check_tmpdir();
	if (req.check) {
		pass("world", NAMESPACES_REQUIRED ? "a launch joins or makes the site's world" : "a launch "
		     "joins or makes the site's world where the kernel lets it (built NAMESPACES=optional)");
		printf("result: a launch would be allowed\n");
		return fflush(stdout) == 0 ? 0 : EX_SYSTEM;
	}
	snprintf(tmp, sizeof(tmp), "%s/%s", TMP_BASE, t.name);
	/* The site's world, as root: its namespaces, its /tmp, its noexec tree. */
	struct world_site ws = { t.uid, t.gid, t.name, req.cmd != NULL ? t.site : req.docroot,
				 req.docroot, tmp, sp.docroot, dir_fd };
	if ((rc = world_enter(&ws, &sp, &dir_fd, &what)) < 0)
		deny(EX_WORLD, "world", "%s: %s", what, reason(-rc, what));
	/* No namespaces (a container without the privilege): refuse, unless NAMESPACES=optional. */
	if (rc == WORLD_UNAVAILABLE && NAMESPACES_REQUIRED)
		deny(EX_WORLD, "world", "%s: the kernel refuses a namespace: refusing to start a "
		     "worker without its world (built NAMESPACES=required)", what);
	if (rc == WORLD_UNAVAILABLE) {
		fprintf(stderr, "fcgi-suexec: warning: %s: the kernel refuses a namespace: starting "
			"%s's worker WITHOUT its world (built NAMESPACES=optional)\n", what, t.name);
		record(LOG_WARNING, "result=warn check=world caller=%s user=%s docroot=\"%s\" "
		       "reason=\"%s: no namespace: worker without its world\"", req.caller, t.name,
		       safe(req.docroot, d, sizeof(d)), what);
		what = "none";
	}
	snprintf(run, sizeof(run), req.cmd != NULL ? "command=\"%s\"" : "interpreter=%s",
		 req.cmd != NULL ? safe(req.cmd, d, sizeof(d)) : interp);
	record(LOG_INFO, "result=allow caller=%s user=%s group=%s docroot=\"%s\" %s landlock=%s "
	       "world=%s dropped=%s", req.caller, t.name, req.group, safe(req.docroot, d, sizeof(d)),
	       run, sandbox_landlock_applied(abi), what, t.dropped[0] != '\0' ? t.dropped : "-");

	/* Nor a tty on 1, 2 (0: the socket): keys could be pushed in; here, so refusals show. */
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	bool done = null >= 0;
	for (int fd = 1; fd <= 2 && done; fd++)
		done = !isatty(fd) || dup2(null, fd) == fd;
	if (!done)
		die_sys("/dev/null in place of the terminal");
	close(null);
	/* The site's limits, before setresuid (it counts the uid's tasks), soft = hard, never raised;
	 * NICE 0 locks the nice value, RTPRIO 0; CORE 0: no core file holds a site's secrets. */
	static const int res[] = { RLIMIT_NPROC, RLIMIT_DATA, RLIMIT_NOFILE, RLIMIT_FSIZE,
				   RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_CORE };
	for (int i = 0; i < 7; i++) {
		bool got = getrlimit(res[i], &rls[i]) == 0;
		rls[i].rlim_cur = rls[i].rlim_max = i >= 4 ? 0 :
			(lim[i] = lim[i] < rls[i].rlim_max ? lim[i] : rls[i].rlim_max);
		if (!got || (i != LIM_DATA && setrlimit(res[i], &rls[i]) != 0)) /* DATA: last */
			die_sys("setrlimit");
	}
	/* The OOM killer's first choice before the host's processes (root's write: the floor). */
	int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (setpriority(PRIO_PROCESS, 0, (int)lim[LIM_NICE]) != 0 || oom < 0 ||
	    dprintf(oom, "%llu", lim[LIM_OOM]) < 0 || close(oom) != 0)
		die_sys("nice or oom_score_adj");
	/* Every signal to default, none blocked; the raw call: libc guards its own two (32, 33). */
	struct { void *handler; unsigned long flags; void *restorer; unsigned long long mask; }
		dfl = { SIG_DFL, 0, NULL, 0 };
	sigset_t unblocked;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)) != 0)
			die_sys("rt_sigaction");
	/* But SIGXFSZ ignored: a write past RLIMIT_FSIZE fails (EFBIG), it never kills the worker. */
	if (sigemptyset(&unblocked) != 0 || sigprocmask(SIG_SETMASK, &unblocked, NULL) != 0 ||
	    signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
		die_sys("sigprocmask");
	/* Become the user for good (OpenSSH permanently_set_uid), securebits locked: no caps on exec. */
	if (cap_set_secbits(SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
			    SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
			    SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) != 0)
		die_sys("locking securebits");
	/* Empty the bounding set while CAP_SETPCAP is held: no exec can ever gain a capability. */
	for (cap_value_t c = 0; c < cap_max_bits(); c++)
		if (cap_drop_bound(c) != 0)
			die_sys("dropping the capability bounding set");
	/* Groups first, while we may still change them; then gid, then uid. */
	if (setgroups((size_t)t.ngroups, t.groups) != 0 || setresgid(t.gid, t.gid, t.gid) != 0 ||
	    setresuid(t.uid, t.uid, t.uid) != 0)
		die_sys("setgroups, setresgid, setresuid");
	/* Verify every id, then prove the way back is closed. */
	if (getresuid(&ru, &eu, &su) != 0 || ru != t.uid || eu != t.uid || su != t.uid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != t.gid || eg != t.gid || sg != t.gid ||
	    (n = getgroups(GROUPS_MAX, now)) != t.ngroups)
		deny(EX_SYSTEM, "system", "ids after the drop are not the target's");
	while (n-- > 0) /* the same set: both are free of duplicates */
		if (!policy_gid_member(now[n], t.groups, (size_t)t.ngroups))
			deny(EX_SYSTEM, "system", "groups after the drop are not the target's");
	if (setuid(0) != -1 || setgid(0) != -1 || seteuid(0) != -1)
		deny(EX_SYSTEM, "system", "regained root after dropping privileges");
	/* Inheritable and ambient survive a uid change: empty them, then read every set back. */
	cap_t none = cap_init();
	if (none == NULL || cap_set_proc(none) != 0 || cap_reset_ambient() != 0)
		die_sys("clearing capabilities");
	cap_t caps = cap_get_proc();
	bool clear = caps != NULL && cap_compare(caps, none) == 0; /* none: an empty set */
	for (cap_value_t c = 0; clear && c < cap_max_bits(); c++)
		clear = cap_get_bound(c) == 0;
	cap_free(caps);
	cap_free(none);
	if (!clear)
		deny(EX_SYSTEM, "system", "capabilities remain after the drop");
	/* Into the checked directory by descriptor (the world's noexec mount), never by path. */
	if (fchdir(dir_fd) != 0)
		die_sys("fchdir to the document root");
	/* No descriptor of ours (syslog, NSS) may reach the worker. */
	closelog();
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		die_sys("close_range");
	env = build_env(kept, nkept, rc == 0 ? "/tmp" : tmp, lim);
	nargv = req.cmd != NULL ? req.cmd_argv : php_argv(interp, ini, tmp, abi > 0);

	/* RLIMIT_DATA once nothing more is allocated (an ASan build's allocator maps as it goes). */
	if (setrlimit(RLIMIT_DATA, &rls[LIM_DATA]) != 0)
		die_sys("setrlimit");
	/* No exec may ever raise privileges again (setuid files, file caps). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die_sys("PR_SET_NO_NEW_PRIVS");
	/* Landlock as the user: system trees, site, temp, nothing else; seccomp last: no set-up to allow. */
	if ((abi > 0 && (rc = sandbox_landlock(abi, &sp, &what)) != 0) ||
	    (rc = sandbox_seccomp(&what)) != 0)
		deny(EX_SYSTEM, "system", "%s: %s", what, strerror(-rc));
	execveat(sp.interp, "", nargv, env, AT_EMPTY_PATH);
	/* A "#!" script cannot run from a close-on-exec descriptor (the kernel gives its interpreter
	 * /dev/fd/N): keep that one open, so the interpreter reads the very file we checked. */
	if (errno == ENOENT && req.cmd != NULL && fcntl(sp.interp, F_SETFD, 0) == 0)
		execveat(sp.interp, "", nargv, env, AT_EMPTY_PATH);
	if (errno == EAGAIN) /* the uid was at RLIMIT_NPROC at setresuid: the kernel refuses the exec */
		deny(EX_NPROC, "nproc", "%s already runs %llu processes or threads, its RLIMIT_NPROC",
		     t.name, lim[LIM_NPROC]);
	die_sys("execveat");
	exit(EX_SYSTEM); /* fail safe */
}
