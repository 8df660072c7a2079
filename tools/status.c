/* fcgi-suexec-status - who runs as whom right now: every site worker tree
 * fcgi-suexec started, and every PHP worker running outside it.
 *
 * usage: fcgi-suexec-status LAUNCHER [--json]
 *
 * Run by `fcgi-suexec --status [--json]` with the caller's own ids (this
 * program is not setuid and refuses to run so); LAUNCHER is the calling
 * binary, as for the audit tool (not used otherwise). It reads /proc, and
 * decides nothing from what a process can rewrite: never its command line
 * or environment; its name (comm) is shown, and used only to list a process
 * whose program (exe) cannot be read.
 *
 * Proof that fcgi-suexec made a worker: its IPC namespace. Every process of
 * a site's worker tree is in the site's world, whose IPC namespace the
 * launcher made as root and pinned at WORLD_PINS/<caller's mount namespace
 * inode>/<uid>.<user>.ipc (root's, 0700; world.c). Entering or making an IPC
 * namespace owned by the host's user namespace takes CAP_SYS_ADMIN there: a
 * worker can neither join another site's world nor leave its own.
 *  - As root: the pins of every mount namespace owned by the host's user
 *    namespace that a process is in are read, through /proc/PID/root of such
 *    a process (Apache under PrivateTmp pins in a view of its own); a pin
 *    counts when WORLD_PINS/<inode> is root's and not group- or
 *    world-accessible and the pin is an IPC namespace (NS_GET_NSTYPE) owned
 *    by the host's user namespace, not the host's own. A process in one is
 *    in a site's world: world=proven, proof=pin.
 *  - As anyone else: only the caller's own processes are shown (real or
 *    effective uid; others' are left out, /proc would not show their
 *    namespaces). The pins are root's: a process in an IPC namespace that is
 *    not the host's (the initial one: inode PROC_IPC_INIT) and is owned by
 *    the host's user namespace (NS_GET_USERNS: PROC_USER_INIT) was put there
 *    by root: world=proven, proof=ipc. The caller's uid_map must be the
 *    host's ("0 0 4294967295"), else nothing is proven.
 * world=none: the host's IPC namespace, or one a user namespace other than
 * the host's owns (any user can make those). world=unknown: the namespace
 * could not be read, or root made it but no pin names it (a world pinned in
 * a mount namespace no process is in any more; a service's PrivateIPC).
 * A worker of a build with NAMESPACES=optional that ran without its world is
 * in the host's namespace: nothing tells it from one started by hand.
 *
 * The lines:
 *  - "site": a worker tree, the processes of one proven world connected by
 *    parenthood (a site launched twice is two trees); its first process
 *    (PID) is the one whose parent is not in it.
 *  - "outside": a PHP worker not in a proven world: processes whose program
 *    (readlink /proc/PID/exe, else comm) has a name starting "php"
 *    (php-cgi*, php-fpm*, php*), grouped the same way by effective uid and
 *    IPC namespace.
 * Text, one line each, fixed order, "?" for a value that could not be read:
 *   KIND USER UID VERDICT pid=PID world=proven|none|unknown proof=pin|ipc|-
 *   nnp=0|1 seccomp=0|1|2 exe=PATH comm=NAME docroot=PATH socket=SOCKET
 *   procs=N tasks=N nproc=USED/LIMIT rss=KkB pss=KkB cpu=SECONDS nice=N
 *   oom_score_adj=N limit.nproc=V limit.data=V limit.nofile=V limit.fsize=V
 *   limit.nice=V
 * where:
 *   USER, UID   the first process's effective uid (its name from passwd);
 *   VERDICT     confined (in a proven world, no_new_privs and a seccomp
 *               filter: Landlock comes with the world, the kernel shows no
 *               field for it), unproven (no_new_privs and a seccomp filter
 *               but no proven world: anyone can set both), unconfined; then
 *               ",refused-user" when fcgi-suexec would refuse the uid
 *               (policy_uid_ok: root, outside UID_MIN..UID_MAX, nobody,
 *               HTTPD_USER);
 *   nnp, seccomp  NoNewPrivs and Seccomp of /proc/PID/status, the least of
 *               the tree's processes;
 *   exe, comm, docroot, socket  of the first process: its program, its name,
 *               its working directory (the site's directory at launch; a
 *               worker may change it) and what its fd 0 is (php-fpm's, which
 *               holds /dev/null there: its first named socket): unix:PATH,
 *               unix:@NAME (abstract), tcp:ADDR:PORT, socket:[INODE] (not
 *               found in /proc/PID/net) or "-" (not a socket);
 *   procs, tasks  processes and threads of the tree;
 *   nproc       USED: the tasks of the first process's real uid host-wide
 *               (what RLIMIT_NPROC counts; as a plain user, those /proc
 *               shows), LIMIT: its RLIMIT_NPROC;
 *   rss, pss    summed over the tree (VmRSS of /proc/PID/status, Pss of
 *               /proc/PID/smaps_rollup), kB;
 *   cpu         utime + stime of the tree's processes, seconds;
 *   nice, oom_score_adj  of the first process, now;
 *   limit.*     its soft limits (/proc/PID/limits: Max processes, data size,
 *               open files, file size, nice priority: RLIMIT_NICE, below
 *               20 - which it may not lower its nice value, 0 for never),
 *               "SOFT:HARD" when they differ; sizes in bytes with K, M, G,
 *               T when exact; "unlimited".
 * Names (USER, exe, comm, docroot, socket) are escaped as the audit escapes
 * them (tools/text.h: \ooo for control bytes, backslash, space, bytes not
 * UTF-8).
 * --json: one JSON object per line, the same fields:
 *   {"kind","user","uid","verdict","refused_user":bool,"pid","world",
 *    "proof":S|null,"no_new_privs":N|null,"seccomp":N|null,"exe":S|null,
 *    "comm","docroot":S|null,"socket":S|null,"procs","tasks",
 *    "nproc_used":N|null,"rss_kb":N|null,"pss_kb":N|null,
 *    "cpu_seconds":N|null,"nice":N|null,"oom_score_adj":N|null,
 *    "limits":{"nproc","data","nofile","fsize","nice"}|null (each
 *    {"soft","hard"}: a number or "unlimited"),"pids":[N...]}
 * Lines: sites first, then outside workers, each by uid, then pid.
 * Exit: 0 when it ran; 1 on its own failure (/proc unreadable, memory,
 * output); 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"
#include "world.h"
#include "json.h"
#include "text.h"
#include "tool.h"

/* The kernel's initial namespaces have fixed inode numbers (include/linux/proc_ns.h,
 * since Linux 3.8); the nsfs inodes of every other namespace are numbered above. */
#define PROC_USER_INIT 0xEFFFFFFDUL
#define PROC_IPC_INIT 0xEFFFFFFFUL

#define PROCS_MAX 4194304  /* pid_max's ceiling */
#define PINS_MAX 65536
#define DEPTH_MAX 4096     /* parent links followed to a tree's first process */
#define LINE_MAX_ 4096
#define PATH_BUF 4096

enum world { W_UNKNOWN, W_NONE, W_PROVEN };

struct proc {
	pid_t pid, ppid;
	uid_t ruid, euid;
	long threads;
	long rss_kb;            /* -1: unknown */
	unsigned long long ticks; /* utime + stime */
	long nice;
	int nnp, seccomp;       /* -1: unknown */
	bool ns_ok;             /* ipc namespace read */
	dev_t ipc_dev;
	ino_t ipc_ino, mnt_ino;
	bool mnt_ok;
	enum world world;
	const char *proof;
	long key;               /* group: -1 none; else site pin index or outside key */
	bool outside;
	size_t top;             /* index of its tree's first process */
	char comm[32];
	char *exe;              /* NULL: unreadable */
};

struct pin {
	dev_t dev;
	ino_t ino;
};

static struct proc *procs;
static size_t nprocs;
static struct pin *pins;
static size_t npins;
static bool json, is_root;
static uid_t me;
static uid_t httpd_uid = (uid_t)-1;
static long clk_tck;

static void *xalloc(void *p)
{
	if (p == NULL) {
		perror("fcgi-suexec-status: malloc");
		exit(1);
	}
	return p;
}

/* ---- reading /proc ----------------------------------------------------- */

/* The file `name` under dirfd, NUL-terminated, at most len - 1 bytes: its length, or -1. */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* The value of "Key:\t..." in a /proc status text, or NULL. */
static const char *status_value(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *l = text; l != NULL && *l != '\0'; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, key, klen) == 0 && l[klen] == ':')
			return l + klen + 1 + strspn(l + klen + 1, " \t");
	return NULL;
}

static long status_long(const char *text, const char *key)
{
	const char *v = status_value(text, key);
	char *end;
	long n;

	if (v == NULL)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	return errno != 0 || end == v ? -1 : n;
}

/* The number at s in `base`, followed by nothing or a space or `stop`; its end in *end. */
static bool to_ull(const char *s, int base, char stop, unsigned long long *v, const char **end)
{
	char *e;

	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &e, base);
	if (end != NULL)
		*end = e;
	return errno == 0 && e != s && (*e == '\0' || isspace((unsigned char)*e) || *e == stop);
}

/* The n-th (from 0) field of a line of space-separated fields, or NULL. */
static const char *field_at(const char *s, int n)
{
	s += strspn(s, " \t");
	for (; n > 0 && *s != '\0'; n--) {
		s += strcspn(s, " \t\n");
		s += strspn(s, " \t");
	}
	return *s != '\0' && *s != '\n' ? s : NULL;
}

/* The namespace file ns/NAME of a process: its nsfs (device, inode). */
static bool ns_id(int dirfd, const char *name, dev_t *dev, ino_t *ino)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "ns/%s", name);
	if (fstatat(dirfd, path, &st, 0) != 0)
		return false;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return true;
}

/* Is the namespace ns/NAME of the process owned by the host's user namespace? */
static bool ns_host_owned(int dirfd, const char *name)
{
	char path[32];
	struct stat st;
	int fd, owner;
	bool yes;

	snprintf(path, sizeof(path), "ns/%s", name);
	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	owner = ioctl(fd, NS_GET_USERNS);
	close(fd);
	if (owner < 0)
		return false;
	yes = fstat(owner, &st) == 0 && st.st_ino == PROC_USER_INIT;
	close(owner);
	return yes;
}

static char *readlink_at(int dirfd, const char *name)
{
	char buf[PATH_BUF];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xalloc(strdup(buf));
}

/* Read what every process shows; false when it vanished or is not to be shown. */
static bool read_proc(int dirfd, struct proc *p)
{
	char buf[LINE_MAX_ * 2], *s;
	const char *uids;
	unsigned long long ru, eu;

	if (read_at(dirfd, "status", buf, sizeof(buf)) < 0 ||
	    (uids = status_value(buf, "Uid")) == NULL || !to_ull(uids, 10, 0, &ru, &uids) ||
	    !to_ull(uids + strspn(uids, " \t"), 10, 0, &eu, NULL))
		return false;
	p->ruid = (uid_t)ru;
	p->euid = (uid_t)eu;
	/* A plain user sees only processes of their own, as ps -u would list them. */
	if (!is_root && p->ruid != me && p->euid != me)
		return false;
	p->threads = status_long(buf, "Threads");
	p->rss_kb = status_long(buf, "VmRSS");
	if (p->rss_kb < 0 && status_value(buf, "VmRSS") == NULL)
		p->rss_kb = 0; /* a kernel thread, a zombie */
	p->nnp = (int)status_long(buf, "NoNewPrivs");
	p->seccomp = (int)status_long(buf, "Seccomp");
	/* stat: "PID (COMM) S PPID ..."; COMM may hold ") ": after the last ')' */
	if (read_at(dirfd, "stat", buf, sizeof(buf)) < 0 || (s = strrchr(buf, ')')) == NULL)
		return false;
	{
		char *save = NULL, *f = strtok_r(s + 1, " ", &save);

		for (int i = 3; f != NULL && i <= 19; i++, f = strtok_r(NULL, " ", &save)) {
			if (i == 4)
				p->ppid = (pid_t)strtol(f, NULL, 10);
			else if (i == 14 || i == 15)
				p->ticks += strtoull(f, NULL, 10);
			else if (i == 19)
				p->nice = strtol(f, NULL, 10);
		}
	}
	if (read_at(dirfd, "comm", buf, sizeof(buf)) >= 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(p->comm, sizeof(p->comm), "%s", buf);
	}
	p->exe = readlink_at(dirfd, "exe");
	p->ns_ok = ns_id(dirfd, "ipc", &p->ipc_dev, &p->ipc_ino);
	{
		dev_t d;

		p->mnt_ok = ns_id(dirfd, "mnt", &d, &p->mnt_ino);
	}
	return true;
}

static int proc_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct proc *)a)->pid, y = ((const struct proc *)b)->pid;

	return (x > y) - (x < y);
}

static void read_procs(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t cap = 0;

	if (d == NULL) {
		perror("fcgi-suexec-status: /proc");
		exit(1);
	}
	while ((e = readdir(d)) != NULL && nprocs < PROCS_MAX) {
		struct proc p = { .key = -1, .nnp = -1, .seccomp = -1, .world = W_UNKNOWN };
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		int fd;

		if (*end != '\0' || pid <= 0 || !isdigit((unsigned char)e->d_name[0]))
			continue;
		if ((fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		p.pid = (pid_t)pid;
		if (read_proc(fd, &p)) {
			if (nprocs == cap) {
				cap = cap ? cap * 2 : 1024;
				procs = xalloc(reallocarray(procs, cap, sizeof(*procs)));
			}
			procs[nprocs++] = p;
		} else {
			free(p.exe);
		}
		close(fd);
	}
	closedir(d);
	if (procs != NULL)
		qsort(procs, nprocs, sizeof(*procs), proc_cmp);
}

static struct proc *find_proc(pid_t pid)
{
	struct proc key = { .pid = pid };

	return nprocs == 0 ? NULL : bsearch(&key, procs, nprocs, sizeof(*procs), proc_cmp);
}

static int proc_dir(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* ---- the pins (root) --------------------------------------------------- */

/* The pins of the mount namespace `mnt_ino`, seen through process pid's root
 * (symbolic links resolved within that root, as the launcher there did). */
static void read_pins_of(pid_t pid, ino_t mnt_ino)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	char path[96];
	int pd = proc_dir(pid), dir = -1, root;
	struct stat st;
	DIR *d;
	struct dirent *e;
	dev_t dv;
	ino_t again;

	if (pd < 0)
		return;
	/* A mount namespace only root can change, and still the one asked about. */
	if (!ns_host_owned(pd, "mnt")) {
		close(pd);
		return;
	}
	snprintf(path, sizeof(path), "." WORLD_PINS "/%lu", (unsigned long)mnt_ino);
	if ((root = openat(pd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		dir = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
		close(root);
	}
	if (dir < 0 || !ns_id(pd, "mnt", &dv, &again) || again != mnt_ino ||
	    fstat(dir, &st) != 0 || st.st_uid != 0 || (st.st_mode & 077) != 0) {
		if (dir >= 0)
			close(dir);
		close(pd);
		return;
	}
	close(pd);
	if ((d = fdopendir(dir)) == NULL) {
		close(dir);
		return;
	}
	while ((e = readdir(d)) != NULL && npins < PINS_MAX) {
		size_t len = strlen(e->d_name);
		int fd, owner;
		struct stat ps, os;

		if (len < 5 || strcmp(e->d_name + len - 4, ".ipc") != 0)
			continue;
		if ((fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		/* NS_GET_NSTYPE answers on nsfs files only: a leftover plain file is no pin */
		if (ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWIPC && fstat(fd, &ps) == 0 &&
		    ps.st_ino != PROC_IPC_INIT && (owner = ioctl(fd, NS_GET_USERNS)) >= 0) {
			if (fstat(owner, &os) == 0 && os.st_ino == PROC_USER_INIT) {
				if (npins % 64 == 0)
					pins = xalloc(reallocarray(pins, npins + 64, sizeof(*pins)));
				pins[npins++] = (struct pin){ ps.st_dev, ps.st_ino };
			}
			close(owner);
		}
		close(fd);
	}
	closedir(d);
}

static int ino_cmp(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return (x > y) - (x < y);
}

/* Each mount namespace a process is in, once (through its first process). */
static void read_pins(void)
{
	ino_t *seen = xalloc(calloc(nprocs ? nprocs : 1, sizeof(ino_t)));
	size_t nseen = 0;

	for (size_t i = 0; i < nprocs; i++) {
		ino_t m = procs[i].mnt_ino;

		if (!procs[i].mnt_ok ||
		    (nseen > 0 && bsearch(&m, seen, nseen, sizeof(*seen), ino_cmp) != NULL))
			continue;
		seen[nseen++] = m;
		qsort(seen, nseen, sizeof(*seen), ino_cmp);
		read_pins_of(procs[i].pid, m);
	}
	free(seen);
}

static long pin_of(const struct proc *p)
{
	for (size_t i = 0; i < npins; i++)
		if (p->ns_ok && pins[i].dev == p->ipc_dev && pins[i].ino == p->ipc_ino)
			return (long)i;
	return -1;
}

/* ---- classification ---------------------------------------------------- */

/* Is the caller in the host's user namespace (its identity map whole)? */
static bool host_userns(void)
{
	char buf[256];
	unsigned long long v[3];
	const char *s = buf;

	if (read_at(AT_FDCWD, "/proc/self/uid_map", buf, sizeof(buf)) <= 0)
		return false;
	for (int i = 0; i < 3; i++)
		if ((s = field_at(s, i == 0 ? 0 : 1)) == NULL || !to_ull(s, 10, 0, &v[i], NULL))
			return false;
	s = s + strcspn(s, " \t\n");
	return s[strspn(s, " \t\n")] == '\0' && v[0] == 0 && v[1] == 0 && v[2] == 4294967295ULL;
}

static bool is_php(const struct proc *p)
{
	const char *name = p->comm;

	if (p->exe != NULL) {
		const char *slash = strrchr(p->exe, '/');

		name = slash != NULL ? slash + 1 : p->exe;
	}
	return strncmp(name, "php", 3) == 0;
}

static void classify(void)
{
	bool host_ns = host_userns();

	for (size_t i = 0; i < nprocs; i++) {
		struct proc *p = &procs[i];
		long pin = is_root ? pin_of(p) : -1;

		if (pin >= 0) {
			p->world = W_PROVEN;
			p->proof = "pin";
			p->key = pin;
		} else if (!p->ns_ok) {
			p->world = W_UNKNOWN;
		} else if (p->ipc_ino == PROC_IPC_INIT) {
			p->world = W_NONE;
		} else {
			int pd = proc_dir(p->pid);
			bool root_made = pd >= 0 && ns_host_owned(pd, "ipc");
			dev_t d;
			ino_t again;

			/* still the process whose namespace was read */
			root_made = root_made && ns_id(pd, "ipc", &d, &again) && again == p->ipc_ino;
			if (pd >= 0)
				close(pd);
			if (!root_made)
				p->world = W_NONE;
			else if (is_root || !host_ns)
				p->world = W_UNKNOWN;
			else {
				p->world = W_PROVEN;
				p->proof = "ipc";
				p->key = (long)p->ipc_ino;
			}
		}
		if (p->world != W_PROVEN && is_php(p)) {
			p->outside = true;
			p->key = (long)p->euid;
		}
	}
}

/* Same group: both in the same proven world, or both outside workers of one
 * effective uid and IPC namespace. */
static bool same_group(const struct proc *a, const struct proc *b)
{
	if (a->key < 0 || b->key < 0 || a->outside != b->outside || a->key != b->key)
		return false;
	if (a->outside)
		return a->ns_ok == b->ns_ok && (!a->ns_ok || a->ipc_ino == b->ipc_ino);
	return true;
}

static void find_tops(void)
{
	for (size_t i = 0; i < nprocs; i++) {
		struct proc *p = &procs[i];
		int depth = 0;

		p->top = i;
		if (p->key < 0)
			continue;
		for (;;) {
			struct proc *q = p->ppid > 0 ? find_proc(p->ppid) : NULL;

			if (q == NULL || q == p || !same_group(q, &procs[i]) || ++depth > DEPTH_MAX)
				break;
			p = q;
		}
		procs[i].top = (size_t)(p - procs);
	}
}

/* ---- one tree ---------------------------------------------------------- */

struct limit {
	const char *key, *name;
	bool size, ok;
	unsigned long long soft, hard; /* ULLONG_MAX: unlimited */
};

struct tree {
	const struct proc *top;
	const char *kind, *verdict;
	bool refused;
	size_t procs;
	long tasks, nproc_used, rss_kb, pss_kb;
	unsigned long long ticks;
	int nnp, seccomp;
	long oom;
	char *docroot, *socket;
	bool limits_ok;
	struct limit lim[5];
	pid_t *pids;
};

static bool limit_value(const char *s, unsigned long long *v)
{
	char *end;

	if (strncmp(s, "unlimited", 9) == 0) {
		*v = ULLONG_MAX;
		return true;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && end != s;
}

static void read_limits(int pd, struct tree *t)
{
	static const struct limit want[5] = {
		{ "nproc", "Max processes", false, false, 0, 0 },
		{ "data", "Max data size", true, false, 0, 0 },
		{ "nofile", "Max open files", false, false, 0, 0 },
		{ "fsize", "Max file size", true, false, 0, 0 },
		{ "nice", "Max nice priority", false, false, 0, 0 },
	};
	char buf[LINE_MAX_];

	memcpy(t->lim, want, sizeof(want));
	if (read_at(pd, "limits", buf, sizeof(buf)) < 0)
		return;
	for (size_t i = 0; i < 5; i++) {
		struct limit *l = &t->lim[i];
		size_t nlen = strlen(l->name);

		for (const char *s = buf; s != NULL; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
			char soft[32], hard[32];

			if (strncmp(s, l->name, nlen) != 0 || s[nlen] != ' ')
				continue;
			if (sscanf(s + nlen, " %31s %31s", soft, hard) == 2 &&
			    limit_value(soft, &l->soft) && limit_value(hard, &l->hard))
				l->ok = true;
			break;
		}
	}
	t->limits_ok = true;
}

/* What descriptor `fd` ("fd/0") of the process is: a unix socket's path, a TCP address, ... */
static char *socket_name(int pd, const char *fdname)
{
	char buf[128], line[LINE_MAX_], *link = readlink_at(pd, fdname);
	unsigned long long inode;
	FILE *f;
	int fd;

	if (link == NULL)
		return NULL;
	if (strncmp(link, "socket:[", 8) != 0 || !to_ull(link + 8, 10, ']', &inode, NULL)) {
		free(link);
		return xalloc(strdup("-"));
	}
	if ((fd = openat(pd, "net/unix", O_RDONLY | O_CLOEXEC)) >= 0 && (f = fdopen(fd, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			unsigned long long ino;
			/* Num RefCount Protocol Flags Type St Inode Path */
			const char *in = field_at(line, 6), *path = field_at(line, 7);

			if (in != NULL && path != NULL && to_ull(in, 10, 0, &ino, NULL) && ino == inode) {
				char *out;

				line[strcspn(line, "\n")] = '\0';
				(void)fclose(f);
				free(link);
				if (asprintf(&out, "unix:%s", path) < 0)
					return NULL;
				return out;
			}
		}
		(void)fclose(f);
	} else if (fd >= 0) {
		close(fd);
	}
	for (int v6 = 0; v6 < 2; v6++) {
		if ((fd = openat(pd, v6 ? "net/tcp6" : "net/tcp", O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		if ((f = fdopen(fd, "r")) == NULL) {
			close(fd);
			continue;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			char addr[40], *out;
			unsigned long long port, ino;
			char text[INET6_ADDRSTRLEN];
			/* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode */
			const char *local = field_at(line, 1), *in = field_at(line, 9), *colon;
			size_t alen;

			if (local == NULL || in == NULL || !to_ull(in, 10, 0, &ino, NULL) || ino != inode ||
			    (colon = strchr(local, ':')) == NULL || (alen = (size_t)(colon - local)) >= sizeof(addr) ||
			    !to_ull(colon + 1, 16, 0, &port, NULL))
				continue;
			memcpy(addr, local, alen);
			addr[alen] = '\0';
			if (v6 && strlen(addr) == 32) {
				struct in6_addr a;

				for (int w = 0; w < 4; w++) {
					char word[9];

					memcpy(word, addr + (size_t)w * 8, 8);
					word[8] = '\0';
					a.s6_addr32[w] = (uint32_t)strtoul(word, NULL, 16);
				}
				inet_ntop(AF_INET6, &a, text, sizeof(text));
			} else if (!v6 && strlen(addr) == 8) {
				struct in_addr a = { (uint32_t)strtoul(addr, NULL, 16) };

				inet_ntop(AF_INET, &a, text, sizeof(text));
			} else {
				continue;
			}
			(void)fclose(f);
			free(link);
			if (asprintf(&out, v6 ? "tcp:[%s]:%llu" : "tcp:%s:%llu", text, port) < 0)
				return NULL;
			return out;
		}
		(void)fclose(f);
	}
	snprintf(buf, sizeof(buf), "socket:[%llu]", inode);
	free(link);
	return xalloc(strdup(buf));
}

/* php-fpm (-w fpm) puts /dev/null on its fd 0 and serves the socket the launcher left at fd N
 * (FPM_SOCKETS=/dev/fd/N=N): the first of fds 3..63 that is a named unix or a TCP socket. */
static char *fpm_socket_name(int pd)
{
	char fdname[16], *name;

	for (int n = 3; n < 64; n++) {
		snprintf(fdname, sizeof(fdname), "fd/%d", n);
		if ((name = socket_name(pd, fdname)) != NULL &&
		    (strncmp(name, "unix:", 5) == 0 || strncmp(name, "tcp:", 4) == 0))
			return name;
		free(name);
	}
	return NULL;
}

static long pss_of(pid_t pid)
{
	char buf[LINE_MAX_];
	int pd = proc_dir(pid);
	long v = -1;

	if (pd >= 0 && read_at(pd, "smaps_rollup", buf, sizeof(buf)) >= 0)
		v = status_long(buf, "Pss");
	else if (pd >= 0 && errno == ENOENT)
		v = 0; /* a kernel thread or zombie has no maps */
	if (pd >= 0)
		close(pd);
	return v;
}

static void build_tree(size_t top, struct tree *t)
{
	const struct proc *p = &procs[top];
	int pd;
	char buf[64];

	memset(t, 0, sizeof(*t));
	t->top = p;
	t->kind = p->outside ? "outside" : "site";
	t->nnp = 1;
	t->seccomp = 2;
	t->oom = LONG_MIN;
	t->pids = xalloc(calloc(nprocs, sizeof(pid_t)));
	for (size_t i = 0; i < nprocs; i++) {
		const struct proc *q = &procs[i];
		long pss;

		if (q->key < 0 || q->top != top)
			continue;
		t->pids[t->procs++] = q->pid;
		t->tasks += q->threads > 0 ? q->threads : 0;
		t->ticks += q->ticks;
		if (t->rss_kb >= 0)
			t->rss_kb = q->rss_kb < 0 ? -1 : t->rss_kb + q->rss_kb;
		pss = t->pss_kb >= 0 ? pss_of(q->pid) : -1;
		t->pss_kb = pss < 0 ? -1 : t->pss_kb + pss;
		/* the least confinement of any of its processes; unknown is less than any */
		if (q->nnp < 0 || t->nnp < 0)
			t->nnp = -1;
		else if (q->nnp < t->nnp)
			t->nnp = q->nnp;
		if (q->seccomp < 0 || t->seccomp < 0)
			t->seccomp = -1;
		else if (q->seccomp < t->seccomp)
			t->seccomp = q->seccomp;
	}
	t->nproc_used = 0;
	for (size_t i = 0; i < nprocs; i++)
		if (procs[i].ruid == p->ruid && procs[i].threads > 0)
			t->nproc_used += procs[i].threads;
	if ((pd = proc_dir(p->pid)) >= 0) {
		t->docroot = readlink_at(pd, "cwd");
		t->socket = socket_name(pd, "fd/0");
		const char *base = p->exe != NULL ? strrchr(p->exe, '/') : NULL;
		char *fpm = t->socket != NULL && strcmp(t->socket, "-") == 0 && base != NULL &&
			    strncmp(base + 1, "php-fpm", 7) == 0 ? fpm_socket_name(pd) : NULL;
		if (fpm != NULL) {
			free(t->socket);
			t->socket = fpm;
		}
		read_limits(pd, t);
		if (read_at(pd, "oom_score_adj", buf, sizeof(buf)) > 0)
			t->oom = strtol(buf, NULL, 10);
		close(pd);
	}
	t->refused = !policy_uid_ok(p->euid, httpd_uid);
	if (p->world == W_PROVEN && t->nnp == 1 && t->seccomp == 2)
		t->verdict = "confined";
	else if (t->nnp == 1 && t->seccomp == 2)
		t->verdict = "unproven";
	else if (t->nnp < 0 || t->seccomp < 0)
		t->verdict = "unknown";
	else
		t->verdict = "unconfined";
}

/* ---- output ------------------------------------------------------------ */

static const char *world_name(enum world w)
{
	return w == W_PROVEN ? "proven" : w == W_NONE ? "none" : "unknown";
}

/* A limit's value: a number, "unlimited", or a size with K, M, G, T when exact. */
static void limit_text(const struct limit *l, unsigned long long v, char *buf, size_t len)
{
	static const char suffix[] = "KMGT";
	int s = -1;

	if (v == ULLONG_MAX) {
		snprintf(buf, len, "unlimited");
		return;
	}
	while (l->size && v != 0 && v % 1024 == 0 && s < 3) {
		v /= 1024;
		s++;
	}
	if (s >= 0)
		snprintf(buf, len, "%llu%c", v, suffix[s]);
	else
		snprintf(buf, len, "%llu", v);
}

static void put_json(const char *s)
{
	size_t n, need;
	char *buf;

	if (s == NULL) {
		(void)fputs("null", stdout);
		return;
	}
	n = strlen(s);
	need = json_escape(NULL, 0, s, n);
	buf = xalloc(malloc(need + 1));
	json_escape(buf, need + 1, s, n);
	printf("\"%s\"", buf);
	free(buf);
}

static void put_num(long v, bool known)
{
	if (known)
		printf("%ld", v);
	else
		(void)fputs(json ? "null" : "?", stdout);
}

static void put_field(const char *name, const char *v)
{
	printf(" %s=", name);
	if (v == NULL)
		putchar('?');
	else
		text_put(v, true);
}

static void print_text(const struct tree *t, const char *user)
{
	const struct proc *p = t->top;
	char used[32], lim[72];

	printf("%s ", t->kind);
	text_put(user, true);
	printf(" %u %s%s pid=%d world=%s proof=%s", (unsigned)p->euid, t->verdict,
	       t->refused ? ",refused-user" : "", (int)p->pid, world_name(p->world),
	       p->proof != NULL ? p->proof : "-");
	printf(" nnp="), put_num(t->nnp, t->nnp >= 0);
	printf(" seccomp="), put_num(t->seccomp, t->seccomp >= 0);
	put_field("exe", p->exe);
	put_field("comm", p->comm);
	put_field("docroot", t->docroot);
	put_field("socket", t->socket);
	snprintf(used, sizeof(used), "%ld", t->nproc_used);
	if (t->lim[0].ok)
		limit_text(&t->lim[0], t->lim[0].soft, lim, sizeof(lim));
	else
		snprintf(lim, sizeof(lim), "?");
	printf(" procs=%zu tasks=%ld nproc=%s/%s", t->procs, t->tasks, used, lim);
	printf(" rss="), put_num(t->rss_kb, t->rss_kb >= 0), printf("%s", t->rss_kb >= 0 ? "kB" : "");
	printf(" pss="), put_num(t->pss_kb, t->pss_kb >= 0), printf("%s", t->pss_kb >= 0 ? "kB" : "");
	printf(" cpu=%.2f nice=%ld oom_score_adj=", (double)t->ticks / (double)clk_tck, p->nice);
	put_num(t->oom, t->oom != LONG_MIN);
	for (size_t i = 0; i < 5; i++) {
		const struct limit *l = &t->lim[i];
		char soft[32], hard[32];

		printf(" limit.%s=", l->key);
		if (!l->ok) {
			putchar('?');
			continue;
		}
		limit_text(l, l->soft, soft, sizeof(soft));
		limit_text(l, l->hard, hard, sizeof(hard));
		if (l->soft == l->hard)
			printf("%s", soft);
		else
			printf("%s:%s", soft, hard);
	}
	putchar('\n');
}

static void put_limit_json(unsigned long long v)
{
	if (v == ULLONG_MAX)
		(void)fputs("\"unlimited\"", stdout);
	else
		printf("%llu", v);
}

static void print_json(const struct tree *t, const char *user)
{
	const struct proc *p = t->top;
	bool any = false;

	printf("{\"kind\":\"%s\",\"user\":", t->kind);
	put_json(user);
	printf(",\"uid\":%u,\"verdict\":\"%s\",\"refused_user\":%s,\"pid\":%d,\"world\":\"%s\","
	       "\"proof\":", (unsigned)p->euid, t->verdict, t->refused ? "true" : "false",
	       (int)p->pid, world_name(p->world));
	put_json(p->proof);
	printf(",\"no_new_privs\":"), put_num(t->nnp, t->nnp >= 0);
	printf(",\"seccomp\":"), put_num(t->seccomp, t->seccomp >= 0);
	printf(",\"exe\":"), put_json(p->exe);
	printf(",\"comm\":"), put_json(p->comm);
	printf(",\"docroot\":"), put_json(t->docroot);
	printf(",\"socket\":"), put_json(t->socket);
	printf(",\"procs\":%zu,\"tasks\":%ld,\"nproc_used\":%ld", t->procs, t->tasks, t->nproc_used);
	printf(",\"rss_kb\":"), put_num(t->rss_kb, t->rss_kb >= 0);
	printf(",\"pss_kb\":"), put_num(t->pss_kb, t->pss_kb >= 0);
	printf(",\"cpu_seconds\":%.2f,\"nice\":%ld,\"oom_score_adj\":",
	       (double)t->ticks / (double)clk_tck, p->nice);
	put_num(t->oom, t->oom != LONG_MIN);
	printf(",\"limits\":");
	for (size_t i = 0; i < 5; i++)
		any = any || t->lim[i].ok;
	if (!any) {
		(void)fputs("null", stdout);
	} else {
		putchar('{');
		for (size_t i = 0; i < 5; i++) {
			const struct limit *l = &t->lim[i];

			printf("%s\"%s\":", i ? "," : "", l->key);
			if (!l->ok) {
				(void)fputs("null", stdout);
				continue;
			}
			printf("{\"soft\":"), put_limit_json(l->soft);
			printf(",\"hard\":"), put_limit_json(l->hard), putchar('}');
		}
		putchar('}');
	}
	printf(",\"pids\":[");
	for (size_t i = 0; i < t->procs; i++)
		printf("%s%d", i ? "," : "", (int)t->pids[i]);
	printf("]}\n");
}

/* Sites first, then outside workers; each by uid, then by pid. */
static int top_cmp(const void *a, const void *b)
{
	const struct proc *x = &procs[*(const size_t *)a], *y = &procs[*(const size_t *)b];

	if (x->outside != y->outside)
		return x->outside ? 1 : -1;
	if (x->euid != y->euid)
		return x->euid < y->euid ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void report(void)
{
	size_t *tops = xalloc(calloc(nprocs ? nprocs : 1, sizeof(size_t))), ntops = 0;

	for (size_t i = 0; i < nprocs; i++)
		if (procs[i].key >= 0 && procs[i].top == i)
			tops[ntops++] = i;
	qsort(tops, ntops, sizeof(*tops), top_cmp);
	for (size_t i = 0; i < ntops; i++) {
		struct tree t;
		char user[64];

		build_tree(tops[i], &t);
		user_name(t.top->euid, user, sizeof(user));
		if (json)
			print_json(&t, user);
		else
			print_text(&t, user);
		free(t.docroot);
		free(t.socket);
		free(t.pids);
	}
	free(tops);
}

int main(int argc, char **argv)
{
	struct passwd *web;

	json = tool_start(argc, argv, "fcgi-suexec-status");
	me = getuid();
	is_root = me == 0;
	clk_tck = sysconf(_SC_CLK_TCK);
	if (clk_tck <= 0)
		clk_tck = 100;
	if ((web = getpwnam(HTTPD_USER)) != NULL)
		httpd_uid = web->pw_uid;
	read_procs();
	if (is_root)
		read_pins();
	classify();
	find_tops();
	report();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("fcgi-suexec-status: stdout");
		return 1;
	}
	return 0;
}
