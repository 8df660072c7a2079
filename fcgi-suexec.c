/* fcgi-suexec - start a site's PHP FastCGI worker as the site's own user.
 *
 * Installed setuid root. main() is the whole security sequence, top to
 * bottom: sanitise descriptors and environment, check the request against
 * the compiled-in policy (policy.c) through descriptors only, become the
 * target user for good, confine, and exec the interpreter through the
 * descriptor that was checked. See fcgi-suexec(8) and SECURITY.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
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
#include <shadow.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#define LIBBSD_OPENBSD_VIS /* strnvis(dst, src, size, flags) */
#include <vis.h>

#include "mounts.h"
#include "policy.h"
#include "sandbox.h"
#include "world.h"

/* The hardening flags of the Makefile are not optional for this program. */
#if !defined(__SANITIZE_ADDRESS__) && (!defined(_FORTIFY_SOURCE) || _FORTIFY_SOURCE < 3)
#error "build with -D_FORTIFY_SOURCE=3 (see HARDEN in the Makefile)"
#endif
#define STR_(x) #x
#define STR(x) STR_(x)
/* Read by tests/62-hardening.t: the level this binary was built with. */
__attribute__((used)) static const char fortify_level[] =
	"fcgi-suexec FORTIFY_SOURCE=" STR(_FORTIFY_SOURCE);

#define ENV_KEPT_MAX 256    /* as Apache's suexec (AP_ENVBUF) */
#define CMD_ARGS_MAX 64
#define GROUPS_MAX 1024
#define DB_SIZE_MAX (64 << 20) /* /etc/passwd, /etc/group, /etc/shadow */

extern char **environ;

/* The request as given (for messages) and as resolved (for use). */
static struct {
	const char *user, *group, *docroot, *version;
	const char *cmd;   /* Apache compatible mode: COMMAND, run from the cwd */
	char **cmd_argv;   /* COMMAND ARGS... */
	bool userdir;      /* Apache's "~UID": the command lies in the userdir */
	bool check;        /* --check: report each check, run nothing */
	char caller[ARG_MAX_NAME + 1];
} req = { "-", "-", "-", NULL, NULL, NULL, false, false, "?" };

static struct target {
	uid_t uid;
	gid_t gid, pw_gid, httpd_gid; /* GROUP, the user's primary, the web server's */
	char name[ARG_MAX_NAME + 1];
	char dropped[256]; /* the user's groups the worker does not keep, for --check and the log */
	char home[ARG_MAX_PATH + 1];
	char userdir[ARG_MAX_PATH + 1];
	char site[ARG_MAX_PATH + 1]; /* Apache mode: the site's top directory */
	gid_t groups[GROUPS_MAX];
	int ngroups;
} t;

/* Caller-supplied text, made safe for one log line. */
static const char *safe(const char *s, char *buf, size_t len)
{
	/* len - 1: libbsd 0.11's strnvis writes its NUL one past a full buffer;
	 * it allocates: short of memory, no caller text at all */
	if (strnvis(buf, s, len - 1, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | VIS_DQ) < 0)
		strlcpy(buf, "(not shown: out of memory)", len);
	return buf;
}

/* Refuse: one line on stderr, one on syslog, a distinct exit code. */
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
	syslog(LOG_ERR, "result=deny check=%s caller=%s user=\"%s\" group=\"%s\" "
	       "docroot=\"%s\" reason=\"%s\"", check, req.caller,
	       safe(req.user, u, sizeof(u)), safe(req.group, g, sizeof(g)),
	       safe(req.docroot, d, sizeof(d)), why);
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

/* Out of descriptors or memory at `step`: the system's failure (111), never
 * taken for an answer about the request. */
static void check_resources(int e, const char *step)
{
	if (e == EMFILE || e == ENFILE || e == ENOMEM || e == ENOBUFS) {
		errno = e;
		die_sys(step);
	}
}

/* Users, groups and accounts: read from the files ourselves, so that no NSS
 * module is ever loaded into this setuid process. Like doas' config, each
 * file is checked on its descriptor (root's, not writable by group or
 * others) and opened once, read again from the start for each look-up. */
static FILE *userdb_open(const char *path, FILE **cache)
{
	const char *mnt;
	struct stat st;
	int fd;

	if (*cache != NULL) {
		rewind(*cache);
		return *cache;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0)
		die_sys(path);
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || !policy_mode_private(st.st_mode) ||
	    st.st_size < 1 || st.st_size > DB_SIZE_MAX)
		deny(EX_SYSTEM, "system", "%s must be a root-owned file not writable by "
		     "group or others, of 1 byte to %d MiB", path, DB_SIZE_MAX >> 20);
	if ((mnt = mount_problem(fd, &st)) != NULL) /* a user's FUSE could list anyone */
		deny(EX_SYSTEM, "system", "%s: %s", path, mnt);
	/* Parsed from memory: on a file, glibc asks the kernel where it is at
	 * every entry (an lseek each, and system calls are a launch's cost). */
	char *buf = malloc((size_t)st.st_size);
	if (buf == NULL || read(fd, buf, (size_t)st.st_size) != st.st_size ||
	    (*cache = fmemopen(buf, (size_t)st.st_size, "r")) == NULL)
		die_sys(path);
	close(fd);
	return *cache;
}

static FILE *passwd_db, *group_db;

/* The end of a scan: "not found" only at the end of the file; any other
 * error (a short memory, an entry too long) is a failure, not an answer. */
static void *userdb_end(int rc, const char *path)
{
	if (rc != ENOENT) {
		errno = rc;
		die_sys(path);
	}
	return NULL;
}
static char db_buf[65536]; /* one entry; a longer one ends the look-up (fail closed) */

/* By name, or by id when name is NULL. Every caller copies what it needs
 * before the next look-up. */
static struct passwd *user_find(const char *name, uid_t uid)
{
	static struct passwd pw;
	FILE *f = userdb_open("/etc/passwd", &passwd_db);
	struct passwd *p;
	int rc;

	while ((rc = fgetpwent_r(f, &pw, db_buf, sizeof(db_buf), &p)) == 0)
		if (name != NULL ? strcmp(p->pw_name, name) == 0 : p->pw_uid == uid)
			return p;
	return userdb_end(rc, "/etc/passwd");
}

static struct group *group_find(const char *name, gid_t gid)
{
	static struct group gr;
	FILE *f = userdb_open("/etc/group", &group_db);
	struct group *g;
	int rc;

	while ((rc = fgetgrent_r(f, &gr, db_buf, sizeof(db_buf), &g)) == 0)
		if (name != NULL ? strcmp(g->gr_name, name) == 0 : g->gr_gid == gid)
			return g;
	return userdb_end(rc, "/etc/group");
}

/* systemd socket activation: the listening socket arrives on fd 3. */
static void take_listen_fd(void)
{
	/* getenv, not secure_getenv (NULL when setuid): both only validated */
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	unsigned int n;

	if (pid == NULL || fds == NULL || strcmp(fds, "1") != 0 ||
	    !policy_parse_id(pid, &n) || n != (unsigned int)getpid())
		return;
	if (dup2(3, 0) != 0)
		die_sys("dup2 LISTEN_FDS socket to fd 0");
}

/* Keep 0, 1, 2 open (on /dev/null), so that nothing we open later lands on
 * one of them and gets mistaken for the socket or a log. */
static void std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			die_sys("open /dev/null");
	}
}

/* Leave the caller's terminal, so that no tty reaches the worker (TIOCSTI,
 * CVE-2017-5226). setsid() fails when the caller already leads a session
 * (script, ssh -t) or a process group: then give the terminal up with
 * TIOCNOTTY, whose SIGHUP to our group is ignored (reset before the exec). */
static void leave_terminal(void)
{
	int fd;

	if (setsid() >= 0)
		return;
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		if (signal(SIGHUP, SIG_IGN) == SIG_ERR || ioctl(fd, TIOCNOTTY) != 0)
			die_sys("leaving the terminal");
		close(fd);
	} else if (errno != ENXIO) { /* ENXIO: no controlling terminal */
		die_sys("/dev/tty");
	}
}

/* Nor a terminal descriptor: /dev/null in place of a tty on 1 and 2 (0 is
 * the socket). After the checks, whose refusals the caller should see. */
static void null_terminals(void)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	bool done = null >= 0;

	for (int fd = 1; fd <= 2 && done; fd++)
		done = !isatty(fd) || dup2(null, fd) == fd;
	if (!done)
		die_sys("/dev/null in place of the terminal");
	close(null);
}

/* Keep the caller variables the worker may see (validated; which of them
 * pass depends on the mode, see build_env), then empty the environment
 * before any library (NSS, syslog) can read it. */
static size_t take_env(char **kept)
{
	size_t n = 0;

	for (char **e = environ; e != NULL && *e != NULL; e++) {
		size_t name = strcspn(*e, "=");
		bool dup = false;

		if (!policy_env_keep(*e) && !policy_cgi_env_keep(*e))
			continue;
		for (size_t i = 0; i < n; i++)
			dup |= strncmp(kept[i], *e, name + 1) == 0;
		if (!dup && n < ENV_KEPT_MAX)
			kept[n++] = *e;
	}
	if (clearenv() != 0)
		die_sys("clearenv");
	return n;
}

/* Drop to the caller's own ids for modes that need no privilege (-V). */
static void drop_to_caller(void)
{
	/* setgroups needs privilege: a copy that is not setuid has none to drop */
	if ((geteuid() == 0 && setgroups(0, NULL) != 0) ||
	    setresgid(getgid(), getgid(), getgid()) != 0 ||
	    setresuid(getuid(), getuid(), getuid()) != 0)
		die_sys("dropping to the caller's ids");
}

static void print_policy(void)
{
	int abi = sandbox_landlock_abi();
	struct stat self;

	/* the build's policy (mkconfig.sh), the kernel's Landlock, and whether
	 * Apache's mod_unixd would take this file: root's and setuid */
	printf("%sLANDLOCK_ABI=%d\nLANDLOCK_APPLIED=%s\n", POLICY_TEXT, abi,
	       sandbox_landlock_applied(abi >= LANDLOCK_ABI_MIN ? abi : 0));
	if (stat("/proc/self/exe", &self) == 0)
		printf("APACHE_SUEXEC=%s (owner uid %u, mode %04o; Apache needs owner "
		       "root and the setuid bit)\n",
		       self.st_uid == 0 && (self.st_mode & S_ISUID) ? "yes" : "no",
		       (unsigned)self.st_uid, (unsigned)self.st_mode & 07777);
}

noreturn static void usage(const char *why)
{
	deny(EX_USAGE_, "usage", "%s; usage: fcgi-suexec [--check] [-p VERSION] USER GROUP "
	     "DOCROOT | fcgi-suexec [--check] UID|~UID GID COMMAND [ARGS...] | "
	     "fcgi-suexec --audit [--json] | fcgi-suexec -V", why);
}

/* --audit needs no privilege: as the caller, run the audit tool, which asks
 * this binary (--check) for each site's verdict. */
noreturn static void audit(int argc, char **argv)
{
	char self[ARG_MAX_PATH + 1], *env[] = { "PATH=" SAFE_PATH, NULL };
	ssize_t n;

	drop_to_caller();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		die_sys("readlink /proc/self/exe");
	self[n] = '\0';
	closelog();
	char *args[] = { AUDIT_HELPER, self, argc > 2 ? argv[2] : NULL, NULL };
	if (argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0))
		usage("--audit takes only --json");
	execve(AUDIT_HELPER, args, env);
	die_sys("exec " AUDIT_HELPER);
}

/* Apache compatible mode: UID|~UID GID COMMAND [ARGS...], as Apache core and
 * mod_fcgid call their suexec, with COMMAND relative to the cwd. */
static void compat_args(int argc, char **argv, int i)
{
	req.cmd = argv[i + 2];
	req.cmd_argv = &argv[i + 2];
	req.docroot = ".";
	if (req.user[0] == '~') {
		req.userdir = true;
		req.user++;
	}
	if (!policy_valid_command(req.cmd))
		usage("COMMAND must be one relative path component");
	if (argc - i - 3 > CMD_ARGS_MAX) /* ARGS after COMMAND */
		usage("too many arguments for COMMAND");
	for (int k = i + 3; k < argc; k++)
		if (strlen(argv[k]) > ARG_MAX_PATH)
			usage("an argument of COMMAND is too long");
}

/* Check 2: argument syntax only; meaning is checked later. */
static void check_args(int argc, char **argv)
{
	unsigned int id;
	int i = 1;

	if (argc >= 2 && strcmp(argv[1], "--check") == 0) {
		req.check = true;
		i = 2;
	}
	if (argc >= i + 2 && strcmp(argv[i], "-p") == 0) {
		req.version = argv[i + 1];
		if (!policy_valid_version(req.version))
			usage("-p takes a version such as 8.2");
		i += 2;
	}
	if (argc - i < 3 || (argv[i + 2][0] == '/' && argc - i != 3))
		usage("expected USER GROUP DOCROOT");
	req.user = argv[i];
	req.group = argv[i + 1];
	req.docroot = argv[i + 2];
	if (req.docroot[0] != '/' && req.version == NULL)
		compat_args(argc, argv, i);
	if (!policy_parse_id(req.user, &id) && !policy_valid_name(req.user))
		usage("USER is neither a user name nor a decimal id");
	if (!policy_parse_id(req.group, &id) && !policy_valid_name(req.group))
		usage("GROUP is neither a group name nor a decimal id");
	if (req.cmd == NULL && !policy_path_canonical(req.docroot))
		usage("DOCROOT must be an absolute path without ., .., // or a trailing /");
	if (req.cmd == NULL && !policy_path_plain(req.docroot))
		usage("DOCROOT may hold only letters, digits and /._+@,~- (PHP reads it as INI)");
	pass("usage", NULL);
}

/* Who is asking, by name when the user database knows the uid. */
static void name_caller(void)
{
	struct passwd *pw = user_find(NULL, getuid());

	if (pw != NULL && policy_valid_name(pw->pw_name))
		strlcpy(req.caller, pw->pw_name, sizeof(req.caller));
	else
		snprintf(req.caller, sizeof(req.caller), "%u", (unsigned)getuid());
}

/* Check 1: only root and the web server's user may ask. */
static uid_t check_caller(void)
{
	struct passwd *pw = user_find(HTTPD_USER, 0);
	uid_t httpd = pw != NULL ? pw->pw_uid : (uid_t)-1;
	uid_t ruid = getuid();

	t.httpd_gid = pw != NULL ? pw->pw_gid : (gid_t)-1;
	if (!policy_caller_ok(ruid, httpd))
		deny(EX_CALLER, "caller", "uid %u is not root or %s", (unsigned)ruid,
		     HTTPD_USER);
	pass("caller", NULL);
	return httpd;
}

/* Check 3a: the target user exists and is an ordinary user. Every lookup
 * failure is fatal (su-exec fell through to uid 0). */
static void check_user(uid_t httpd)
{
	unsigned int id;
	struct passwd *pw;

	pw = policy_parse_id(req.user, &id) ? user_find(NULL, id) : user_find(req.user, 0);
	if (pw == NULL)
		deny(EX_USER, "user", "no such user: %s", req.user);
	if (!policy_valid_name(pw->pw_name)) /* it names the private temp dir */
		deny(EX_USER, "user", "user %s (uid %u) has an unusual name", req.user,
		     (unsigned)pw->pw_uid);
	if (!policy_uid_ok(pw->pw_uid, httpd))
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

/* Check 3b: an expired account (chage -E: how panels suspend a customer)
 * never starts; a locked one only where built LOCKED_ACCOUNTS=refuse.
 * /etc/shadow is root's: --check by anyone else cannot tell. */
static void check_account(void)
{
	static FILE *shadow_db;
	struct spwd sp, *s = NULL;
	const char *problem;
	char day[16] = "?";
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
	problem = policy_account_problem(s->sp_expire, s->sp_pwdp, (long)(time(NULL) / 86400));
	time_t when = (time_t)s->sp_expire * 86400;
	struct tm tm;
	if (problem != NULL && s->sp_expire >= 0 && gmtime_r(&when, &tm) != NULL)
		(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (problem != NULL && problem[0] == 'e')
		deny(EX_USER, "account", "the account of %s expired on %s (chage -E)", t.name, day);
	if (problem != NULL)
		deny(EX_USER, "account", "the account of %s is locked (built LOCKED_ACCOUNTS=refuse)",
		     t.name);
	pass("account", NULL);
}

/* Add a group to the list of dropped ones: one bounded line, "..." once full. */
static void note_dropped(const char *name)
{
	size_t len = strlen(t.dropped);

	if (len + strlen(name) + 5 < sizeof(t.dropped))
		snprintf(t.dropped + len, sizeof(t.dropped) - len, "%s%s", len ? "," : "", name);
	else if (len < 3 || strcmp(t.dropped + len - 3, "...") != 0)
		strlcat(t.dropped, ",...", sizeof(t.dropped));
}

/* Check 3c: GROUP exists, is ordinary, is one of the user's (CVE-2007-1743:
 * never trust the gid the caller passes) and is not the web server's. The
 * worker keeps GROUP, the user's primary group (where /etc/group has it) and
 * the SITE_GROUPS it is in; any other group (the web server's, docker, one
 * sites share) would open to one site what belongs to others or to root. */
static void check_group(void)
{
	char name[ARG_MAX_NAME + 1];
	bool member;
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
	member = t.gid == t.pw_gid;
	t.groups[0] = t.gid;
	t.ngroups = 1;
	t.dropped[0] = '\0';
	FILE *f = userdb_open("/etc/group", &group_db);
	while ((rc = fgetgrent_r(f, &gr, db_buf, sizeof(db_buf), &g)) == 0) {
		bool listed = false;

		for (char **m = g->gr_mem; *m != NULL && !listed; m++)
			listed = strcmp(*m, t.name) == 0;
		if (!listed && g->gr_gid != t.pw_gid)
			continue;
		member |= g->gr_gid == t.gid;
		if (policy_gid_member(g->gr_gid, t.groups, (size_t)t.ngroups))
			continue;
		if (!policy_group_keep(g->gr_gid, g->gr_name, t.gid, t.pw_gid, t.httpd_gid))
			note_dropped(g->gr_name);
		else if (t.ngroups < GROUPS_MAX)
			t.groups[t.ngroups++] = g->gr_gid;
		else
			deny(EX_GROUP, "group", "%s is in more than %d groups", t.name, GROUPS_MAX);
	}
	userdb_end(rc, "/etc/group");
	if (!member)
		deny(EX_GROUP, "group", "%s is not a group of %s", name, t.name);
	char note[sizeof(t.dropped) + 16];
	snprintf(note, sizeof(note), "dropped %s", t.dropped);
	pass("group", t.dropped[0] != '\0' ? note : NULL);
}

/* Open `path` from "/" one component at a time with O_PATH|O_NOFOLLOW, so
 * that what we check is what we use: nothing can be swapped between check
 * and use (CVE-2007-1741). Every directory passed must be private and owned
 * by root (or by `owner` where policy allows; uid 0 means root only).
 * Symlinks are refused, or with `follow` followed only when they sit in such
 * root-owned directories (Debian's /usr/bin/php-cgi -> /etc/alternatives). */
static int walk(const char *path, uid_t owner, const char *home, bool follow,
		const char *site_base, int *site, struct stat *st, char *why, size_t whylen)
{
	char todo[2 * ARG_MAX_PATH + 2], link[ARG_MAX_PATH + 1], dir[ARG_MAX_PATH + 1] = "/";
	int hops = 0, fd = -1, at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *c = todo;
	int err = 0; /* errno of a component that could not be opened */

	strlcpy(todo, path, sizeof(todo));
	if (at < 0 || fstat(at, st) != 0) {
		check_resources(errno, path);
		snprintf(why, whylen, "/: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		/* here `at` is open on `dir` and `st` describes it; is fstat the truth? */
		const char *mnt = mount_problem(at, st);
		if (mnt != NULL) {
			snprintf(why, whylen, "%s: %s", dir, mnt);
			break;
		}
		if (!policy_mode_private(st->st_mode) ||
		    !policy_ancestor_owner_ok(dir, st->st_uid, owner, home)) {
			snprintf(why, whylen, "%s: directory owned by uid %u, mode %04o: must "
				 "be owned by root%s and not writable by group or others",
				 dir, (unsigned)st->st_uid, (unsigned)st->st_mode & 07777,
				 owner != 0 ? " or the user" : "");
			break;
		}
		/* The site's top: the first directory of the user's own within
		 * site_base (Apache mode: it holds the command's directory). */
		if (site != NULL && site_base != NULL && *site < 0 && st->st_uid == owner &&
		    policy_path_within(dir, site_base) &&
		    ((*site = fcntl(at, F_DUPFD_CLOEXEC, 3)) < 0 ||
		     strlcpy(t.site, dir, sizeof(t.site)) >= sizeof(t.site)))
			die_sys("dup");
		while (*c == '/')
			c++;
		if (*c == '\0') { /* the path named "/" itself */
			fd = at;
			at = -1;
			break;
		}
		char *end = strchrnul(c, '/'), saved = *end;
		*end = '\0';
		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0) {
			snprintf(why, whylen, "%s: link target with . or ..", path);
			break;
		}
		fd = openat(at, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, st) != 0) {
			err = errno;
			check_resources(err, path);
			snprintf(why, whylen, "%s%s%s: %s", dir, dir[1] ? "/" : "", c, strerror(err));
			break;
		}
		if (S_ISLNK(st->st_mode)) {
			ssize_t n;

			if (!follow || ++hops > LINK_HOPS_MAX || st->st_uid != 0) {
				snprintf(why, whylen, "%s%s%s is a symlink", dir, dir[1] ? "/" : "", c);
				break;
			}
			n = readlinkat(fd, "", link, sizeof(link) - 1);
			close(fd);
			fd = -1;
			if (n <= 0) {
				snprintf(why, whylen, "%s: unreadable symlink", path);
				break;
			}
			link[n] = '\0';
			*end = saved;
			char rest[sizeof(todo)];
			strlcpy(rest, end, sizeof(rest));
			if (strlcpy(todo, link, sizeof(todo)) >= sizeof(todo) ||
			    strlcat(todo, rest, sizeof(todo)) >= sizeof(todo)) {
				snprintf(why, whylen, "%s: path too long after symlinks", path);
				break;
			}
			c = todo;
			if (link[0] == '/') { /* absolute target: start again at "/" */
				close(at);
				at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				strlcpy(dir, "/", sizeof(dir));
			}
			if (at < 0 || fstat(at, st) != 0) {
				check_resources(errno, path);
				snprintf(why, whylen, "%s: %s", dir, strerror(errno));
				break;
			}
			continue; /* the directory we resolve from is checked again */
		}
		if (saved == '\0') { /* last component: the caller checks the rest */
			if ((mnt = mount_problem(fd, st)) != NULL)
				snprintf(why, whylen, "%s: %s", path, mnt);
			break;
		}
		if (!S_ISDIR(st->st_mode)) {
			snprintf(why, whylen, "%s/%s: not a directory", dir, c);
			break;
		}
		if (dir[1] != '\0')
			strlcat(dir, "/", sizeof(dir));
		strlcat(dir, c, sizeof(dir));
		close(at);
		at = fd;
		fd = -1;
		c = end + 1;
	}
	if (at >= 0)
		close(at);
	if (fd >= 0 && why[0] != '\0') {
		close(fd);
		fd = -1;
	}
	errno = err;
	return fd;
}

/* Check 4: the document root, walked and checked through descriptors. */
static int check_docroot(void)
{
	const char *userdir = t.userdir[0] != '\0' ? t.userdir : NULL;
	char why[ARG_MAX_PATH + 160] = "";
	struct stat st;
	int fd;

	/* Containment by components (CVE-2007-1742: /var/www_backup). */
	if (policy_docroot_base(req.docroot, userdir) == NULL)
		deny(EX_DOCROOT, "docroot", "%s is neither below %s nor inside %s",
		     req.docroot, DOCROOT, userdir != NULL ? userdir : "a userdir");
	fd = walk(req.docroot, t.uid, t.home, false, NULL, NULL, &st, why, sizeof(why));
	if (fd < 0)
		deny(EX_DOCROOT, "docroot", "%s", why);
	if (!policy_docroot_stat_ok(st.st_mode, st.st_uid, t.uid))
		deny(EX_DOCROOT, "docroot", "%s: must be a directory owned by %s (uid %u) "
		     "and not writable by group or others (owner uid %u, mode %04o)",
		     req.docroot, t.name, (unsigned)t.uid, (unsigned)st.st_uid,
		     (unsigned)st.st_mode & 07777);
	pass("docroot", NULL);
	return fd;
}

/* Check 5: a root-owned file on a root-owned path: the interpreter (opened
 * once, executed later through this very descriptor) or its php.ini. */
static int check_file(const char *path, bool exec)
{
	char why[ARG_MAX_PATH + 160] = "";
	const char *problem;
	struct stat st;
	int fd = walk(path, 0, NULL, true, NULL, NULL, &st, why, sizeof(why));

	if (fd < 0)
		deny(EX_INTERP, "interpreter", "%s", why);
	problem = policy_file_problem(st.st_mode, st.st_uid, exec);
	if (problem != NULL)
		deny(EX_INTERP, "interpreter", "%s: %s", path, problem);
	return fd;
}

/* Check 7b: EXTRA_RO and EXTRA_RW, walked from "/" as root, before the drop,
 * like the interpreter: root-owned symlinks only, every ancestor root's and
 * private; the last one root's or a system user's (/run/mysqld is mysql's),
 * never a site user's; its mode is the admin's (a directory all sites share). So no site can swap what the rule is added on (a
 * symlink to "/" in a path it may write would give it the whole system).
 * A path that does not exist grants nothing and is passed over. */
static int check_extra(const char *list, const char *name, int *fds, const char **paths)
{
	static char buf[2][4096]; /* paths: EXTRA_RW's, for the world's mounts */
	char why[ARG_MAX_PATH + 160], *save = NULL;
	struct stat st;
	int n = 0;

	if (strlcpy(buf[paths != NULL], list, sizeof(buf[0])) >= sizeof(buf[0]))
		deny(EX_EXTRA, "extra", "%s is too long", name);
	for (char *p = strtok_r(buf[paths != NULL], ":", &save); p != NULL; p = strtok_r(NULL, ":", &save)) {
		why[0] = '\0';
		int fd = walk(p, 0, NULL, true, NULL, NULL, &st, why, sizeof(why));
		if (fd < 0 && errno == ENOENT) {
			snprintf(why, sizeof(why), "%s: missing, grants nothing", p);
			pass("extra", why);
			continue;
		}
		if (fd < 0)
			deny(EX_EXTRA, "extra", "%s: %s", name, why);
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

/* Check 7c: DNS where /etc/resolv.conf is a symlink (systemd-resolved,
 * resolvconf): the target's directory, checked as EXTRA_RO is (resolved
 * replaces the file by rename; the directory is a system user's). */
static int check_resolv(int *fds)
{
	char link[ARG_MAX_PATH + 1], dir[ARG_MAX_PATH + 8];
	ssize_t n = readlink("/etc/resolv.conf", link, sizeof(link) - 1);

	if (n <= 0)
		return 0; /* a file: read under /etc; or none */
	link[n] = '\0';
	if (!policy_resolv_dir(link, dir, sizeof(dir)))
		deny(EX_EXTRA, "extra", "/etc/resolv.conf -> %s: not a file in a directory "
		     "below /", link);
	return check_extra(dir, "resolv.conf", fds, NULL);
}

/* Check 4, Apache mode: the working directory Apache chose (the command's),
 * walked from "/" like a docroot, then proven to be the very directory we
 * run in (same device and inode), so that a rename in between is caught. It
 * must lie strictly inside DOCROOT, or inside the userdir for "~UID", by path
 * components (Apache's suexec compares string prefixes, CVE-2007-1742), and
 * be owned by the target uid and gid. Returns the checked directory; *site
 * gets the site's top directory, the Landlock root. */
static int check_cgi_dir(int *site)
{
	char cwd[ARG_MAX_PATH + 1], why[ARG_MAX_PATH + 160] = "";
	const char *base = req.userdir ? t.userdir : DOCROOT, *problem;
	struct stat here, st;
	int fd, dot = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (dot < 0 || fstat(dot, &here) != 0 || getcwd(cwd, sizeof(cwd)) == NULL) {
		check_resources(errno, "working directory");
		deny(EX_DOCROOT, "docroot", "working directory: %s", strerror(errno));
	}
	close(dot);
	req.docroot = cwd; /* for the messages */
	if (base[0] == '\0' || !policy_path_canonical(cwd) ||
	    !(req.userdir ? policy_path_within(cwd, base) : policy_path_below(cwd, base)))
		deny(EX_DOCROOT, "docroot", "%s is not inside %s", cwd,
		     req.userdir ? "the userdir" : DOCROOT);
	*site = -1;
	fd = walk(cwd, t.uid, t.home, false, base, site, &st, why, sizeof(why));
	if (fd < 0)
		deny(EX_DOCROOT, "docroot", "%s", why);
	if (st.st_dev != here.st_dev || st.st_ino != here.st_ino)
		deny(EX_DOCROOT, "docroot", "%s: the working directory moved during the check", cwd);
	problem = policy_cgi_problem(true, st.st_mode, st.st_uid, st.st_gid, t.uid, t.gid);
	if (problem != NULL)
		deny(EX_DOCROOT, "docroot", "%s: %s", cwd, problem);
	if (*site < 0 && ((*site = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0 ||
			  strlcpy(t.site, cwd, sizeof(t.site)) >= sizeof(t.site)))
		die_sys("dup");
	if ((req.docroot = strdup(cwd)) == NULL)
		die_sys("strdup");
	pass("docroot", req.docroot);
	return fd;
}

/* Check 5, Apache mode: COMMAND in that directory, opened without following
 * a symlink and executed later through this descriptor. */
static int check_command(int dir)
{
	const char *problem;
	struct stat st;
	int fd = openat(dir, req.cmd, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		check_resources(errno, req.cmd);
		deny(EX_INTERP, "command", "%s/%s: %s", req.docroot, req.cmd, strerror(errno));
	}
	if ((problem = mount_problem(fd, &st)) != NULL)
		deny(EX_INTERP, "command", "%s/%s: %s", req.docroot, req.cmd, problem);
	if (S_ISLNK(st.st_mode))
		deny(EX_INTERP, "command", "%s/%s is a symlink", req.docroot, req.cmd);
	problem = policy_cgi_problem(false, st.st_mode, st.st_uid, st.st_gid, t.uid, t.gid);
	if (problem != NULL)
		deny(EX_INTERP, "command", "%s/%s: %s", req.docroot, req.cmd, problem);
	pass("command", NULL);
	return fd;
}

/* Check 6: php-cgi silently falls back to CGI mode unless fd 0 is a
 * listening socket; refuse instead of starting a worker that serves nobody. */
static void check_socket(void)
{
	int listening = 0, type = 0, domain = 0;
	socklen_t len = sizeof(int);
	struct stat st;

	/* --check from a shell: the socket comes from the process manager. */
	if (req.check && isatty(0)) {
		pass("socket", "not checked: standard input is a terminal");
		return;
	}
	/* Apache mode also runs plain CGI, whose request body comes on a pipe. */
	if (req.cmd != NULL && fstat(0, &st) == 0 && S_ISFIFO(st.st_mode)) {
		pass("socket", "a pipe (CGI)");
		return;
	}
	if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0)
		deny(EX_SOCKET, "socket", "fd 0 is not a socket: %s", strerror(errno));
	len = sizeof(int);
	getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len);
	len = sizeof(int);
	getsockopt(0, SOL_SOCKET, SO_DOMAIN, &domain, &len);
	if (!listening || type != SOCK_STREAM ||
	    (domain != AF_UNIX && domain != AF_INET && domain != AF_INET6))
		deny(EX_SOCKET, "socket", "fd 0 is not a listening stream socket "
		     "(unix, inet or inet6)");
	pass("socket", NULL);
}

/* Check 7: Landlock is what keeps a site out of every other site's files;
 * without it, refuse, unless built LANDLOCK=optional: then warn each time. */
static int check_landlock(void)
{
	int abi = sandbox_landlock_abi();

	if (abi >= LANDLOCK_ABI_MIN) {
		pass("landlock", sandbox_landlock_applied(abi));
		return abi;
	}
	if (req.check && !LANDLOCK_REQUIRED) {
		pass("landlock", "none: built LANDLOCK=optional, a launch starts the worker "
		     "WITHOUT file confinement");
		return 0;
	}
	if (LANDLOCK_REQUIRED)
		deny(EX_LANDLOCK, "landlock", "the kernel offers Landlock ABI %d, this build "
		     "requires %d: refusing to start an unconfined worker", abi,
		     LANDLOCK_ABI_MIN);
	fprintf(stderr, "fcgi-suexec: warning: Landlock ABI %d < %d: starting %s's worker "
		"WITHOUT file confinement (built LANDLOCK=optional)\n", abi,
		LANDLOCK_ABI_MIN, t.name);
	char d[2 * ARG_MAX_PATH];
	syslog(LOG_WARNING, "result=warn check=landlock caller=%s user=%s docroot=\"%s\" "
	       "reason=\"Landlock ABI %d below %d: worker not confined\"", req.caller, t.name,
	       safe(req.docroot, d, sizeof(d)), abi, LANDLOCK_ABI_MIN);
	return 0;
}

/* Where the kernel refuses namespaces (a container without the privilege):
 * refuse, unless built NAMESPACES=optional: then warn each time. */
static const char *world_unavailable(const char *what)
{
	char d[2 * ARG_MAX_PATH];

	if (NAMESPACES_REQUIRED)
		deny(EX_WORLD, "world", "%s: the kernel refuses a namespace: refusing to start "
		     "a worker without its world (built NAMESPACES=required)", what);
	fprintf(stderr, "fcgi-suexec: warning: %s: the kernel refuses a namespace: starting "
		"%s's worker WITHOUT its world (built NAMESPACES=optional)\n", what, t.name);
	syslog(LOG_WARNING, "result=warn check=world caller=%s user=%s docroot=\"%s\" "
	       "reason=\"%s: no namespace: worker without its world\"", req.caller, t.name,
	       safe(req.docroot, d, sizeof(d)), what);
	return "none";
}

/* Make TMP_BASE/<user> atomically: under a name no user can have (".",
 * then the pid), owned and moded, then renamed into place without
 * replacing (a concurrent launch may have won). Killed half-way, the
 * launcher leaves at most a stray ".name.pid", never a root-owned
 * TMP_BASE/<user> that would refuse every later launch. */
static void make_tmpdir(int base)
{
	char tmpname[ARG_MAX_NAME + 24];

	/* by name: we just made it in root's private TMP_BASE */
	snprintf(tmpname, sizeof(tmpname), ".%s.%ld", t.name, (long)getpid());
	if (mkdirat(base, tmpname, 0700) != 0 ||
	    fchownat(base, tmpname, t.uid, t.gid, AT_SYMLINK_NOFOLLOW) != 0)
		die_sys("making the private temp");
	if (renameat2(base, tmpname, base, t.name, RENAME_NOREPLACE) != 0 &&
	    (errno != EEXIST || unlinkat(base, tmpname, AT_REMOVEDIR) != 0))
		die_sys("rename private temp");
}

/* Check 8: the private temp directory TMP_BASE/<user>, made here if missing.
 * TMP_BASE must be root's and private, so nobody can race the mkdir; the
 * directory is made, owned and checked through descriptors, never following
 * a symlink. Last of the checks: the only one with a side effect. */
static int check_tmpdir(void)
{
	char why[ARG_MAX_PATH + 160] = "";
	const char *mnt;
	struct stat st;
	int fd, base = walk(TMP_BASE, 0, NULL, false, NULL, NULL, &st, why, sizeof(why));

	if (base < 0)
		deny(EX_TMPDIR, "tmpdir", "%s", why);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || !policy_mode_private(st.st_mode))
		deny(EX_TMPDIR, "tmpdir", "%s: must be a directory owned by root and not "
		     "writable by group or others", TMP_BASE);
	fd = openat(base, t.name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == 0 && req.check) {
		pass("tmpdir", "owned by root: a launch makes it anew if it is empty");
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
	if (fd < 0 && errno == ENOENT && req.check) {
		pass("tmpdir", "missing: a launch creates it");
		close(base);
		return -1;
	}
	if (fd < 0 && errno == ENOENT) {
		make_tmpdir(base);
		fd = openat(base, t.name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	}
	close(base);
	if (fd < 0 || fstat(fd, &st) != 0) {
		check_resources(errno, "private temp");
		deny(EX_TMPDIR, "tmpdir", "%s/%s: %s", TMP_BASE, t.name, strerror(errno));
	}
	if ((mnt = mount_problem(fd, &st)) != NULL)
		deny(EX_TMPDIR, "tmpdir", "%s/%s: %s", TMP_BASE, t.name, mnt);
	if (!policy_docroot_stat_ok(st.st_mode, st.st_uid, t.uid))
		deny(EX_TMPDIR, "tmpdir", "%s/%s: must be a directory owned by %s and not "
		     "writable by group or others", TMP_BASE, t.name, t.name);
	pass("tmpdir", NULL);
	return fd;
}

static bool caps_all_clear(void)
{
	cap_t now = cap_get_proc(), none = cap_init();
	bool clear = now != NULL && none != NULL && cap_compare(now, none) == 0;

	/* Ambient needs no loop: the kernel keeps it within permitted, now
	 * empty. The bounding set is read back capability by capability. */
	for (cap_value_t c = 0; clear && c < cap_max_bits(); c++)
		clear = cap_get_bound(c) == 0;
	cap_free(now);
	cap_free(none);
	return clear;
}

/* The worker starts with default signal handling and nothing blocked,
 * whatever the caller left ignored or blocked. The raw system call, since
 * the C library refuses to touch the signals it reserves (32, 33). */
static void reset_signals(void)
{
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; }
		dfl = { SIG_DFL, 0, NULL, 0 };
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)) != 0)
			die_sys("rt_sigaction");
	if (sigemptyset(&none) != 0 || sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		die_sys("sigprocmask");
}

/* Become the target user for good (OpenSSH permanently_set_uid). */
static void become_user(void)
{
	uid_t r, e, s;
	gid_t rg, eg, sg, now[GROUPS_MAX];
	int n;

	/* Lock the securebits so the uid change below clears every capability
	 * (no KEEP_CAPS, no NO_SETUID_FIXUP) and root never regains any on exec. */
	if (cap_set_secbits(SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
			    SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			    SECBIT_NO_CAP_AMBIENT_RAISE |
			    SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) != 0)
		die_sys("locking securebits");
	/* Empty the bounding set while CAP_SETPCAP is still held: nothing the
	 * worker executes can ever gain a capability, setuid file or not. */
	for (cap_value_t c = 0; c < cap_max_bits(); c++) /* the running kernel's */
		if (cap_drop_bound(c) != 0)
			die_sys("dropping the capability bounding set");
	/* Groups first, while we may still change them; then gid, then uid. */
	if (setgroups((size_t)t.ngroups, t.groups) != 0)
		die_sys("setgroups");
	if (setresgid(t.gid, t.gid, t.gid) != 0)
		die_sys("setresgid");
	if (setresuid(t.uid, t.uid, t.uid) != 0)
		die_sys("setresuid");
	/* Verify every id, then prove the way back is closed. */
	if (getresuid(&r, &e, &s) != 0 || r != t.uid || e != t.uid || s != t.uid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != t.gid || eg != t.gid || sg != t.gid ||
	    (n = getgroups(GROUPS_MAX, now)) != t.ngroups)
		deny(EX_SYSTEM, "system", "ids after the drop are not the target's");
	while (n-- > 0) /* the same set: both are free of duplicates */
		if (!policy_gid_member(now[n], t.groups, (size_t)t.ngroups))
			deny(EX_SYSTEM, "system", "groups after the drop are not the target's");
	if (setuid(0) != -1 || setgid(0) != -1 || seteuid(0) != -1)
		deny(EX_SYSTEM, "system", "regained root after dropping privileges");
	/* Inheritable and ambient sets survive a uid change: empty them too. */
	cap_t none = cap_init();
	if (none == NULL || cap_set_proc(none) != 0 || cap_reset_ambient() != 0)
		die_sys("clearing capabilities");
	cap_free(none);
	if (!caps_all_clear())
		deny(EX_SYSTEM, "system", "capabilities remain after the drop");
}

/* The worker's environment: ours (PATH, the user's names, HOME, TMPDIR),
 * then the caller's variables that the mode allows, first of each name. */
static char **build_env(char **kept, size_t nkept, const char *tmp)
{
	static char *env[ENV_KEPT_MAX + 6];
	size_t n = 5;

	env[0] = "PATH=" SAFE_PATH;
	if (asprintf(&env[1], "USER=%s", t.name) < 0 ||
	    asprintf(&env[2], "LOGNAME=%s", t.name) < 0 ||
	    asprintf(&env[3], "HOME=%s", t.home) < 0 ||
	    asprintf(&env[4], "TMPDIR=%s", tmp) < 0)
		die_sys("asprintf");
	for (size_t i = 0; i < nkept; i++)
		if (req.cmd != NULL || policy_env_keep(kept[i]))
			env[n++] = kept[i];
	env[n] = NULL;
	return env;
}

/* php-cgi's command line, read after any php.ini so none sets it first:
 * the temp settings in the private temp; no "/upload/x.jpg/y.php" runs x.jpg
 * (cgi.fix_pathinfo); open_basedir (not a boundary, PHP says) only where no
 * Landlock domain holds the worker, or when built OPEN_BASEDIR=always. */
static char **php_argv(char *interp, char *ini, const char *tmp, bool landlock)
{
	static char *argv[18];
	char *basedir, *session, *upload, *systemp, *lock;
	bool basedir_on = OPEN_BASEDIR_ALWAYS || (OPEN_BASEDIR_AUTO && !landlock);

	if (asprintf(&basedir, "open_basedir=%s:%s", req.docroot, tmp) < 0 ||
	    asprintf(&session, "session.save_path=%s", tmp) < 0 ||
	    asprintf(&upload, "upload_tmp_dir=%s", tmp) < 0 ||
	    asprintf(&systemp, "sys_temp_dir=%s", tmp) < 0 ||
	    asprintf(&lock, "opcache.lockfile_path=%s", tmp) < 0)
		die_sys("asprintf");
	char *php[] = { interp, "-c", ini, "-d", session, "-d", upload, "-d", systemp,
			"-d", lock, "-d", "cgi.fix_pathinfo=0", basedir_on ? "-d" : NULL, basedir, NULL };
	memcpy(argv, php, sizeof(php));
	return argv;
}

int main(int argc, char **argv)
{
	char *kept[ENV_KEPT_MAX], **env, **nargv;
	struct sandbox_paths sp = { .ini = -1, .proc = -1, .shm = -1 };
	int dir_fd, abi, rc;
	char interp[sizeof(PHP_CGI) + VERSION_MAX];
	char ini[sizeof(PHP_INI) + sizeof(PHP_INI_VERSIONED) + VERSION_MAX] = PHP_INI;
	char tmp[sizeof(TMP_BASE) + ARG_MAX_NAME + 1];
	const char *what;
	size_t nkept;
	uid_t httpd;
	bool root = geteuid() == 0; /* for --check, which drops at once */

	/* Never be both privileged and ptraceable by the caller (CVE-2016-8659). */
	if (prctl(PR_SET_DUMPABLE, 0) != 0)
		die_sys("PR_SET_DUMPABLE");
	/* Take fd 3 from systemd before closing everything above 2. */
	take_listen_fd();
	/* No caller descriptor may reach our checks or the worker. */
	closefrom(3);
	std_fds();
	/* No terminal may reach the worker (TIOCSTI, CVE-2017-5226). */
	leave_terminal();
	nkept = take_env(kept);
	umask(022); /* what we create (the private temp) and the worker's default */
	openlog("fcgi-suexec", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	name_caller(); /* for every log line, refusals of the arguments included */

	if (argc == 2 && strcmp(argv[1], "-V") == 0) {
		drop_to_caller(); /* no privilege needed to print the policy */
		print_policy();
		return fflush(stdout) == 0 ? 0 : EX_SYSTEM;
	}
	if (argc >= 2 && strcmp(argv[1], "--audit") == 0)
		audit(argc, argv);
	check_args(argc, argv);
	if (req.check)
		drop_to_caller(); /* --check runs every check with the caller's ids */
	if (!root)
		deny(EX_SETUID, "setuid", "not running as root: install it setuid root "
		     "(mode 4750, owner root)");
	pass("setuid", NULL);
	httpd = check_caller();
	check_user(httpd);
	check_account();
	check_group();
	if (req.cmd == NULL) { /* native: php-cgi in DOCROOT */
		sp.docroot = dir_fd = check_docroot();
		snprintf(interp, sizeof(interp), "%s%s", PHP_CGI,
			 req.version != NULL ? req.version : "");
		sp.interp = check_file(interp, true);
		if (req.version != NULL) /* -p 8.1: php-cgi8.1 with 8.1's php.ini */
			snprintf(ini, sizeof(ini), "%s%s%s", PHP_INI_V_PRE, req.version, PHP_INI_V_POST);
		sp.ini = check_file(ini, false);
		pass("interpreter", interp);
	} else { /* Apache mode: COMMAND in the cwd */
		dir_fd = check_cgi_dir(&sp.docroot);
		sp.interp = check_command(dir_fd);
	}
	check_socket();
	abi = check_landlock();
	sp.n_ro = check_extra(EXTRA_RO, "EXTRA_RO", sp.ro, NULL);
	sp.n_ro += check_resolv(sp.ro + sp.n_ro);
	sp.n_rw = check_extra(EXTRA_RW, "EXTRA_RW", sp.rw, sp.rw_path);
	sp.tmp = check_tmpdir();
	if (req.check) {
		pass("world", NAMESPACES_REQUIRED ? "a launch joins or makes the site's world" :
		     "a launch joins or makes the site's world where the kernel lets it "
		     "(built NAMESPACES=optional)");
		printf("result: a launch would be allowed\n");
		return fflush(stdout) == 0 ? 0 : EX_SYSTEM;
	}
	snprintf(tmp, sizeof(tmp), "%s/%s", TMP_BASE, t.name);
	/* The site's world, as root: its namespaces, its /tmp, its noexec tree. */
	struct world_site ws = { t.uid, t.gid, t.name, req.cmd != NULL ? t.site : req.docroot,
				 req.docroot, tmp, sp.docroot, dir_fd };
	if ((rc = world_enter(&ws, &sp, &dir_fd, &what)) < 0) {
		check_resources(-rc, what);
		deny(EX_WORLD, "world", "%s: %s", what, strerror(-rc));
	}
	if (rc == WORLD_UNAVAILABLE)
		what = world_unavailable(what);
	char d[2 * ARG_MAX_PATH], c[1024];
	if (req.cmd != NULL)
		snprintf(c, sizeof(c), "command=\"%s\"", safe(req.cmd, d, sizeof(d)));
	else
		snprintf(c, sizeof(c), "interpreter=%s", interp);
	syslog(LOG_INFO, "result=allow caller=%s user=%s group=%s docroot=\"%s\" %s "
	       "landlock=%s world=%s dropped=%s", req.caller, t.name, req.group,
	       safe(req.docroot, d, sizeof(d)), c, sandbox_landlock_applied(abi), what,
	       t.dropped[0] != '\0' ? t.dropped : "-");

	/* Nor a terminal descriptor: keystrokes could be pushed into it. */
	null_terminals();
	/* The worker gets no core files: they would hold a site's secrets. */
	struct rlimit no_core = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &no_core) != 0)
		die_sys("RLIMIT_CORE");
	reset_signals();
	become_user();
	/* Into the directory we checked, by descriptor (on the world's noexec
	 * mount of the site), never by path again. */
	if (fchdir(dir_fd) != 0)
		die_sys("fchdir to the document root");
	/* No descriptor of ours (syslog, NSS) may reach the worker. */
	closelog();
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		die_sys("close_range");
	env = build_env(kept, nkept, rc == 0 ? "/tmp" : tmp);
	nargv = req.cmd != NULL ? req.cmd_argv : php_argv(interp, ini, tmp, abi > 0);

	/* No exec may ever raise privileges again (setuid files, file caps). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die_sys("PR_SET_NO_NEW_PRIVS");
	/* Landlock, as the user: the worker and all it spawns see the system's
	 * read-only trees, its own site and temp, nothing else. Then seccomp,
	 * last, so the filter never has to allow our own set-up calls. */
	if ((abi > 0 && (rc = sandbox_landlock(abi, &sp, &what)) != 0) ||
	    (rc = sandbox_seccomp(&what)) != 0) {
		errno = -rc;
		die_sys(what);
	}
	execveat(sp.interp, "", nargv, env, AT_EMPTY_PATH);
	/* A "#!" script cannot run from a close-on-exec descriptor: the kernel
	 * hands it to its interpreter as /dev/fd/N. Keep that one descriptor
	 * open, so the interpreter reads the very file we checked. */
	if (errno == ENOENT && req.cmd != NULL && fcntl(sp.interp, F_SETFD, 0) == 0)
		execveat(sp.interp, "", nargv, env, AT_EMPTY_PATH);
	die_sys("execveat");
	exit(EX_SYSTEM); /* fail safe */
}
