/* steps - where a launch's time goes: the launcher's steps, one at a time.
 *
 * usage: steps STEP[,STEP...] | none | all
 *
 * Profiling aid for bench/profile.sh, not a launcher. Installed setuid root
 * (root:www-data 4750) for the length of a benchmark run, built like
 * fcgi-suexec (the same compiler flags, static-pie, the same libraries) and
 * linked with its sandbox.o, so the Landlock and seccomp steps are the
 * launcher's own code. It always ends as the owner of SITE_DIR (fixed at
 * build time; refused below uid and gid 1000) and executes TARGET (fixed
 * too); the steps named on the command line are done on the way, in the
 * launcher's order, each an approximation of what main() in fcgi-suexec.c
 * does there (same system calls, same counts):
 *
 *   dumpable  prctl(PR_SET_DUMPABLE, 0)
 *   fds       closefrom(3) and a fcntl on fds 0..2
 *   setsid    setsid()
 *   syslog    openlog(LOG_NDELAY) and one syslog() line, closelog()
 *   userdb    /etc/passwd scanned three times (caller by uid, HTTPD_USER,
 *             the user), /etc/group twice, with fgetpwent_r/fgetgrent_r on
 *             one stdio stream each, rewound between scans
 *   walk      SITE_DIR, TARGET, PHP_INI and TMP_BASE/<user> opened from / one
 *             component at a time (O_PATH|O_NOFOLLOW + fstat)
 *   socket    three getsockopt on fd 0
 *   signals   every signal reset to its default (rt_sigaction x 62) and
 *             unblocked
 *   capbset   securebits locked, the 41 bounding-set capabilities dropped
 *             (one prctl each)
 *   verify    ids read back, setuid(0) tried, inheritable and ambient sets
 *             emptied, the bounding set read back (41 prctl)
 *   nnp       PR_SET_NO_NEW_PRIVS (implied by landlock and seccomp)
 *   landlock  sandbox_landlock(): the launcher's ruleset, as the user (with
 *             /proc and /dev/shm, as since issue 11)
 *   seccomp   sandbox_seccomp(): the launcher's filter
 *   execveat  exec TARGET through an O_PATH descriptor (else execv by path)
 *
 * Always: setgroups, setresgid, setresuid to the site's owner, then exec.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include "sandbox.h"
#include "config.h"

#define CAPS 41 /* CAP_LAST_CAP + 1 on this kernel; prctl fails past it */

static int want(const char *list, const char *step)
{
	size_t n = strlen(step);

	if (strcmp(list, "all") == 0)
		return 1;
	for (const char *p = list; (p = strstr(p, step)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static void fail(const char *what)
{
	fprintf(stderr, "steps: %s: %s\n", what, strerror(errno));
	_exit(111);
}

/* one component at a time, as fcgi-suexec's walk() (without its checks'
 * messages); returns the last descriptor */
static int walk(const char *path)
{
	char buf[4096], *save = NULL;
	struct stat st;
	int at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), fd = at;

	if (at < 0 || fstat(at, &st) != 0)
		fail("/");
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *c = strtok_r(buf, "/", &save); c != NULL; c = strtok_r(NULL, "/", &save)) {
		fd = openat(at, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) != 0)
			fail(path);
		close(at);
		at = fd;
	}
	return fd;
}

static char db_buf[65536];

static void scan_passwd(FILE *f, const char *name, uid_t uid)
{
	struct passwd pw, *p;

	rewind(f);
	while (fgetpwent_r(f, &pw, db_buf, sizeof(db_buf), &p) == 0)
		if (name != NULL ? strcmp(p->pw_name, name) == 0 : p->pw_uid == uid)
			return;
}

static void scan_group(FILE *f, const char *name)
{
	struct group gr, *g;

	rewind(f);
	while (fgetgrent_r(f, &gr, db_buf, sizeof(db_buf), &g) == 0)
		if (name != NULL && strcmp(g->gr_name, name) == 0)
			return;
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "none";
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct stat st;
	int site, exec_fd = -1, ini_fd = -1, tmp_fd = -1, abi = 0;

	if (want(s, "dumpable") && prctl(PR_SET_DUMPABLE, 0) != 0)
		fail("dumpable");
	if (want(s, "fds")) {
		closefrom(3);
		for (int fd = 0; fd <= 2; fd++)
			(void)fcntl(fd, F_GETFD);
	}
	if (want(s, "setsid"))
		(void)setsid();
	if (want(s, "syslog"))
		openlog("steps", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);

	site = open(SITE_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (site < 0 || fstat(site, &st) != 0 || st.st_uid < 1000 || st.st_gid < 1000)
		fail(SITE_DIR);
	uid_t uid = st.st_uid;
	gid_t gid = st.st_gid;
	char name[64] = "?";
	FILE *pf = fopen("/etc/passwd", "re");
	struct passwd pwe, *p;
	while (pf != NULL && fgetpwent_r(pf, &pwe, db_buf, sizeof(db_buf), &p) == 0)
		if (p->pw_uid == uid) {
			snprintf(name, sizeof(name), "%s", p->pw_name);
			break;
		}
	if (pf != NULL)
		fclose(pf);

	if (want(s, "userdb")) {
		FILE *uf = fopen("/etc/passwd", "re"), *gf = fopen("/etc/group", "re");

		if (uf == NULL || gf == NULL || fstat(fileno(uf), &st) != 0 ||
		    fstat(fileno(gf), &st) != 0)
			fail("userdb");
		scan_passwd(uf, NULL, getuid());
		scan_passwd(uf, HTTPD_USER, 0);
		scan_passwd(uf, name, 0);
		scan_group(gf, name);
		scan_group(gf, NULL);
		fclose(uf);
		fclose(gf);
	}
	if (want(s, "walk") || want(s, "landlock") || want(s, "execveat")) {
		char tmp[4096];

		close(site);
		site = walk(SITE_DIR);
		exec_fd = walk(TARGET);
		ini_fd = walk(PHP_INI);
		snprintf(tmp, sizeof(tmp), "%s/%s", TMP_BASE, name);
		tmp_fd = walk(tmp);
	}
	if (want(s, "socket")) {
		int v;
		socklen_t len = sizeof(v);

		for (int k = 0; k < 3; k++)
			(void)getsockopt(0, SOL_SOCKET, k == 0 ? SO_ACCEPTCONN : k == 1 ? SO_TYPE :
					 SO_DOMAIN, &v, &len);
	}
	if (want(s, "landlock"))
		abi = sandbox_landlock_abi();
	if (want(s, "syslog")) {
		syslog(LOG_INFO, "result=allow user=%s (bench/steps)", name);
		closelog();
	}
	if (want(s, "signals")) {
		struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; }
			dfl = { SIG_DFL, 0, NULL, 0 };
		sigset_t none;

		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				(void)syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	if (want(s, "capbset")) {
		if (prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
			  SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
			  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) != 0)
			fail("securebits");
		for (int c = 0; c < CAPS; c++)
			if (prctl(PR_CAPBSET_DROP, c) != 0)
				fail("PR_CAPBSET_DROP");
	}
	if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0)
		fail("dropping to the site's owner");
	if (want(s, "verify")) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		uid_t r, e, sv;
		gid_t g[64];

		if (getresuid(&r, &e, &sv) != 0 || getresgid(&r, &e, &sv) != 0 ||
		    getgroups(64, g) < 0 || setuid(0) != -1 || setgid(0) != -1 || seteuid(0) != -1)
			fail("verify");
		memset(d, 0, sizeof(d));
		if (syscall(SYS_capset, &h, d) != 0 ||
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
		    syscall(SYS_capget, &h, d) != 0)
			fail("capabilities");
		for (int c = 0; c < CAPS; c++)
			(void)prctl(PR_CAPBSET_READ, c);
	}
	if (want(s, "fds") && fchdir(site) != 0)
		fail("fchdir");
	if (want(s, "nnp") || want(s, "landlock") || want(s, "seccomp"))
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			fail("PR_SET_NO_NEW_PRIVS");
	if (want(s, "landlock") && abi > 0) {
		const char *what;
		/* as the launcher since issue 11: /proc and /dev/shm too (there the
		 * world's, here the host's: the same two rules) */
		struct sandbox_paths sp = { .docroot = site, .tmp = tmp_fd, .interp = exec_fd,
					    .ini = ini_fd,
					    .proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC),
					    .shm = open("/dev/shm", O_PATH | O_DIRECTORY | O_CLOEXEC) };
		int rc = sandbox_landlock(abi, &sp, &what);

		if (rc != 0) {
			errno = -rc;
			fail(what);
		}
	}
	if (want(s, "seccomp")) {
		const char *what;
		int rc = sandbox_seccomp(&what);

		if (rc != 0) {
			errno = -rc;
			fail(what);
		}
	}
	char *args[] = { TARGET, NULL };
	if (want(s, "execveat") && exec_fd >= 0)
		syscall(SYS_execveat, exec_fd, "", args, env, AT_EMPTY_PATH);
	else
		execve(TARGET, args, env);
	fail("exec");
	return 111;
}
