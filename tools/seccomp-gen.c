/* seccomp-gen - build the seccomp filter of fcgi-suexec with libseccomp,
 * at build time, and print it as a C header (or, with --pfc, as libseccomp's
 * readable pseudo filter code, for review).
 *
 * A deny list: a PHP worker needs most of the system call table (sockets,
 * files, fork/exec for shell_exec), so we deny the calls that only serve to
 * attack the kernel, other processes or the privilege model, and the
 * arguments that would weaken the site's boundary (modes, flags). Denials
 * answer an error (EPERM unless said otherwise) rather than killing: php-cgi
 * re-forks a dead child at once, without backoff, so a kill would turn one
 * bad call into a fork loop.
 *
 * Compiling the filter here rather than in the setuid launcher keeps
 * libseccomp and its run-time cost out of the launcher: it loads the
 * finished BPF program with one system call.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Denied outright with EPERM. */
static const int deny_eperm[] = {
	/* reading or steering other processes */
	SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
	SCMP_SYS(kcmp),
	/* the kernel itself: modules, kexec, reboot, swap, clocks, accounting */
	SCMP_SYS(kexec_load), SCMP_SYS(kexec_file_load), SCMP_SYS(init_module),
	SCMP_SYS(finit_module), SCMP_SYS(delete_module), SCMP_SYS(reboot),
	SCMP_SYS(swapon), SCMP_SYS(swapoff), SCMP_SYS(acct), SCMP_SYS(quotactl),
	SCMP_SYS(quotactl_fd), SCMP_SYS(settimeofday), SCMP_SYS(clock_settime),
	SCMP_SYS(adjtimex), SCMP_SYS(clock_adjtime), SCMP_SYS(iopl),
	SCMP_SYS(ioperm), SCMP_SYS(sethostname), SCMP_SYS(setdomainname),
	SCMP_SYS(syslog), SCMP_SYS(vhangup), SCMP_SYS(uselib),
	/* mounts, old and new API, and namespaces */
	SCMP_SYS(mount), SCMP_SYS(umount2), SCMP_SYS(pivot_root), SCMP_SYS(chroot),
	SCMP_SYS(fsopen), SCMP_SYS(fsconfig), SCMP_SYS(fsmount), SCMP_SYS(fspick),
	SCMP_SYS(move_mount), SCMP_SYS(open_tree), SCMP_SYS(mount_setattr),
	SCMP_SYS(setns),
	/* large attack surface a PHP site never needs */
	SCMP_SYS(bpf), SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd),
	SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
	SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter),
	SCMP_SYS(io_uring_register), SCMP_SYS(open_by_handle_at),
	SCMP_SYS(name_to_handle_at), SCMP_SYS(lookup_dcookie),
	/* identity: the worker is who the launcher made it, for good */
	SCMP_SYS(setuid), SCMP_SYS(setgid), SCMP_SYS(setreuid), SCMP_SYS(setregid),
	SCMP_SYS(setresuid), SCMP_SYS(setresgid), SCMP_SYS(setfsuid),
	SCMP_SYS(setfsgid), SCMP_SYS(setgroups), SCMP_SYS(capset),
	/* no listener: php-cgi serves on the socket it inherits on fd 0 and never
	 * calls listen(). An unbound socket's listen() binds 0.0.0.0 on its own,
	 * unseen by Landlock's TCP-bind right; a rule on fd 0 would not help,
	 * since any socket can be dup2()ed onto it. bind() stays: glibc binds
	 * netlink sockets for getifaddrs(). */
	SCMP_SYS(listen),
	/* no written native code in memory: memfd_create + fexecve runs any ELF
	 * the worker writes, on no path Landlock sees */
	SCMP_SYS(memfd_create),
	/* ownership: giving a file to another of its groups opens it to them */
	SCMP_SYS(chown), SCMP_SYS(fchown), SCMP_SYS(lchown), SCMP_SYS(fchownat),
};

/* Extended attributes, set or removed, answer EOPNOTSUPP, as on a file
 * system without them (cp -a, rsync -X go on). A POSIX ACL opens a file to
 * any user like a mode; removing an access ACL hands the owning group the
 * mask's rights; nothing a site runs needs either. setxattrat and
 * removexattrat (Linux 6.13) are by number where libseccomp does not know
 * them. Where the C library's headers lack a number, it is the one every
 * architecture with the common table (x86_64, arm64, riscv...) shares. */
#ifdef __NR_setxattrat
#define NR_SETXATTRAT __NR_setxattrat
#else
#define NR_SETXATTRAT 463
#endif
#ifdef __NR_removexattrat
#define NR_REMOVEXATTRAT __NR_removexattrat
#else
#define NR_REMOVEXATTRAT 466
#endif
static const int deny_eopnotsupp[] = {
	SCMP_SYS(setxattr), SCMP_SYS(lsetxattr), SCMP_SYS(fsetxattr), NR_SETXATTRAT,
	SCMP_SYS(removexattr), SCMP_SYS(lremovexattr), SCMP_SYS(fremovexattr),
	NR_REMOVEXATTRAT,
};

/* Modes: nothing world-writable, setuid or setgid (group-write stays: Drupal
 * makes 0775 directories). The chmod calls are refused such a mode; calls
 * that create a file are refused only the setuid and setgid bits, since the
 * umask (022 from the launcher, and never without 0002: see add_rules)
 * already strips world-write from their modes. mkdir needs no rule: the
 * kernel never takes setuid or setgid from its mode. */
#ifdef __NR_fchmodat2 /* Linux 6.6 */
#define NR_FCHMODAT2 __NR_fchmodat2
#else
#define NR_FCHMODAT2 452
#endif
#define SUGID ((unsigned long)(S_ISUID | S_ISGID))
static const struct {
	int nr;
	unsigned arg;       /* the mode's argument */
	unsigned long bits; /* each of them, alone, is refused */
} mode_rules[] = {
	{ SCMP_SYS(chmod), 1, S_IWOTH | SUGID }, { SCMP_SYS(fchmod), 1, S_IWOTH | SUGID },
	{ SCMP_SYS(fchmodat), 2, S_IWOTH | SUGID }, { NR_FCHMODAT2, 2, S_IWOTH | SUGID },
	{ SCMP_SYS(creat), 1, SUGID }, { SCMP_SYS(mknod), 1, SUGID },
	{ SCMP_SYS(mknodat), 2, SUGID },
};

/* open and openat take the mode only with O_CREAT or O_TMPFILE in the flags */
static const struct {
	int nr;
	unsigned flags, mode; /* the arguments */
} open_rules[] = {
	{ SCMP_SYS(open), 1, 2 }, { SCMP_SYS(openat), 2, 3 },
};

/* Namespace flags: unshare() may carry any of them, clone() all but
 * CLONE_NEWTIME, whose bit is part of the exit signal there. */
static const unsigned long ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
	CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME,
};

static int add(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
	       const struct scmp_arg_cmp *arg)
{
	return seccomp_rule_add_array(ctx, action, nr, n, arg);
}

static int add_rules(scmp_filter_ctx ctx)
{
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(deny_eperm) / sizeof(*deny_eperm); i++)
		rc = add(ctx, eperm, deny_eperm[i], 0, NULL);
	for (size_t i = 0; rc == 0 && i < sizeof(deny_eopnotsupp) / sizeof(*deny_eopnotsupp); i++)
		rc = add(ctx, SCMP_ACT_ERRNO(EOPNOTSUPP), deny_eopnotsupp[i], 0, NULL);
	for (size_t i = 0; rc == 0 && i < sizeof(mode_rules) / sizeof(*mode_rules); i++)
		for (unsigned long bit = 1; rc == 0 && bit <= mode_rules[i].bits; bit <<= 1) {
			struct scmp_arg_cmp a = SCMP_CMP(mode_rules[i].arg, SCMP_CMP_MASKED_EQ, bit, bit);

			if (mode_rules[i].bits & bit)
				rc = add(ctx, eperm, mode_rules[i].nr, 1, &a);
		}
	static const unsigned long creating[] = { O_CREAT, O_TMPFILE }, sugid[] = { S_ISUID, S_ISGID };
	for (size_t i = 0; i < sizeof(open_rules) / sizeof(*open_rules); i++)
		for (size_t c = 0; c < 2; c++)
			for (size_t b = 0; rc == 0 && b < 2; b++) {
				struct scmp_arg_cmp a[2] = {
					SCMP_CMP(open_rules[i].flags, SCMP_CMP_MASKED_EQ, creating[c], creating[c]),
					SCMP_CMP(open_rules[i].mode, SCMP_CMP_MASKED_EQ, sugid[b], sugid[b]),
				};

				rc = add(ctx, eperm, open_rules[i].nr, 2, a);
			}
	/* the umask keeps 0002, so no file or directory is made world-writable */
	if (rc == 0) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, S_IWOTH, 0);

		rc = add(ctx, eperm, SCMP_SYS(umask), 1, &a);
	}
	/* openat2 passes its mode in memory that seccomp cannot read: ENOSYS
	 * makes callers fall back to openat(), whose mode we check. */
	if (rc == 0)
		rc = add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0, NULL);
	for (size_t i = 0; rc == 0 && i < sizeof(ns_flags) / sizeof(*ns_flags); i++) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]);

		rc = add(ctx, eperm, SCMP_SYS(unshare), 1, &a);
		if (rc == 0 && ns_flags[i] != CLONE_NEWTIME)
			rc = add(ctx, eperm, SCMP_SYS(clone), 1, &a);
	}
	/* clone3 passes its flags in memory that seccomp cannot read: ENOSYS
	 * makes the C library fall back to clone(), whose flags we check. */
	if (rc == 0)
		rc = add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL);
	/* TIOCSTI/TIOCLINUX push keystrokes into a terminal (CVE-2017-5226);
	 * the command is 32 bits, so compare only those. */
	static const unsigned long tty_cmds[] = { TIOCSTI, TIOCLINUX };
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		struct scmp_arg_cmp a = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, tty_cmds[i]);

		rc = add(ctx, eperm, SCMP_SYS(ioctl), 1, &a);
	}
	/* personality: only PER_LINUX (0) and the query (0xffffffff) pass;
	 * flags such as ADDR_NO_RANDOMIZE weaken the worker's own hardening.
	 * The kernel reads 32 bits. A 32-bit word other than all-zeros and
	 * all-ones has, somewhere (cyclically), a set bit followed by a clear
	 * one: one rule per position denies exactly those words. (libseccomp
	 * takes only one comparison per argument in a rule.) */
	for (unsigned i = 0; rc == 0 && i < 32; i++) {
		unsigned long set = 1UL << i, clear = 1UL << ((i + 1) % 32);
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, set | clear, set);

		rc = add(ctx, eperm, SCMP_SYS(personality), 1, &a);
	}
	return rc;
}

int main(int argc, char **argv)
{
	bool pfc = argc == 2 && strcmp(argv[1], "--pfc") == 0;
	scmp_filter_ctx ctx;
	int fd;
	FILE *f;

	/* Default allow; a foreign architecture (i386, x32 on x86_64) is killed
	 * (libseccomp's default bad-arch action), since its numbers differ. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	/* A binary tree of system call numbers, not a linear list: each call
	 * of the worker walks a few comparisons, whatever the list's length. */
	if (ctx == NULL || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) != 0 ||
	    add_rules(ctx) != 0) {
		fprintf(stderr, "seccomp-gen: building the filter failed\n");
		return 1;
	}
	if (pfc)
		return seccomp_export_pfc(ctx, STDOUT_FILENO) == 0 ? 0 : 1;
	fd = memfd_create("bpf", 0);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    (f = fdopen(fd, "r")) == NULL) {
		fprintf(stderr, "seccomp-gen: exporting the filter failed\n");
		return 1;
	}
	printf("/* Generated by tools/seccomp-gen (libseccomp %u.%u.%u): do not edit.\n"
	       " * `make seccomp.pfc` prints it readably. */\n"
	       "static const struct sock_filter seccomp_filter[] = {\n",
	       seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro);
	struct { uint16_t code; uint8_t jt, jf; uint32_t k; } insn;
	while (fread(&insn, sizeof(insn), 1, f) == 1)
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", insn.code, insn.jt, insn.jf, insn.k);
	printf("};\n");
	seccomp_release(ctx);
	return ferror(f) || fflush(stdout) != 0;
}
