# fcgi-suexec
#
# The policy is compiled in. Set it on the command line, e.g.
#   make HTTPD_USER=nginx DOCROOT=/srv/www
# Changing a variable and running make again rebuilds.

HTTPD_USER     = www-data
# Targets: uids UID_MIN..UID_MAX, gids GID_MIN..GID_MAX (Debian's
# login.defs ranges); 65534 (nobody, nogroup) never, whatever the range.
UID_MIN        = 1000
GID_MIN        = 1000
UID_MAX        = 60000
GID_MAX        = 60000
# A worker's supplementary groups: the user's primary group, GROUP, and the
# groups named here (space-separated, e.g. SITE_GROUPS="redis memcache" for
# sockets reached through a group); every other group of the user is dropped.
SITE_GROUPS    =
# Accounts whose password is locked in /etc/shadow ("!..." or "*"): allow or
# refuse. useradd locks every account it gives no password, so most site
# users are "locked"; an expired account (chage -E) is always refused.
LOCKED_ACCOUNTS = allow
DOCROOT        = /var/www
USERDIR_SUFFIX = public_html
PHP_CGI        = /usr/bin/php-cgi
# php-cgi's -c. Empty (the default): PHP_INI_VERSIONED with the version of the
# php-cgi found at launch, PHP_CGI's symlinks followed (Debian's alternatives:
# /usr/bin/php-cgi -> /etc/alternatives/php-cgi -> /usr/bin/php-cgi8.2), so an
# upgrade to PHP 8.4 takes 8.4's php.ini; a launch whose interpreter's name
# holds no version is refused (106). A path: that php.ini, whatever the version.
PHP_INI        =
# The php.ini of "-p VERSION": VERSION is replaced by the version asked for.
PHP_INI_VERSIONED = /etc/php/VERSION/cgi/php.ini
# -w fpm: a php-fpm master per site, as the site's user, in the site's world.
# PHP_FPM ("-p VERSION" appends the version, as to PHP_CGI); its php.ini is
# PHP_FPM_INI_VERSIONED with the version asked for or found in the name of the
# file PHP_FPM leads to; PHP_FPM_CONF is root's configuration template (make
# install puts etc/php-fpm.conf there), every ${...} in it set by the launcher.
PHP_FPM        = /usr/sbin/php-fpm
PHP_FPM_INI_VERSIONED = /etc/php/VERSION/fpm/php.ini
PHP_FPM_CONF   = /etc/fcgi-suexec/php-fpm.conf
SAFE_PATH      = /usr/local/bin:/usr/bin:/bin
# Confinement: each site's private temp lives in TMP_BASE/<user>; Landlock
# is required (refuse to launch without it) unless LANDLOCK=optional;
# LANDLOCK_ABI_MIN is the lowest kernel ABI accepted; EXTRA_RW and EXTRA_RO
# are colon-separated paths every site may also use (e.g. /run/mysqld).
TMP_BASE       = /var/lib/fcgi-suexec/tmp
LANDLOCK       = required
# ABI 1 on purpose: every ABI keeps a site out of other sites' files (read,
# write, execute) and ABI 2 only adds a permission (REFER), so 1 and 2 are
# the same protection; 3 would refuse Debian 12's own kernel (6.1, ABI 2).
# What each ABI leaves open: SECURITY.md ("Landlock ABI levels"). Raise it
# (6 blocks everything this build handles) where every host's kernel can.
LANDLOCK_ABI_MIN = 1
EXTRA_RW       =
EXTRA_RO       =
# Each site's world (a mount and an IPC namespace: private /tmp, /var/tmp,
# /dev/shm, IPC and /proc, the site noexec; SECURITY.md): required (refuse
# to launch where the kernel cannot make it, a container without the
# privilege) or optional (warn on every launch and start without it).
NAMESPACES     = required
# PHP's open_basedir (not a security boundary): auto sets it only when no
# Landlock domain holds the worker (LANDLOCK=optional on an old kernel);
# always, or never.
OPEN_BASEDIR   = auto
# Per-site limits, set as root before the drop (soft = hard: a worker may lower
# them, never raise them); SECURITY.md "Limits" has the reasons. A number
# (DATA, FSIZE: K, M, G, T allowed) or "unlimited" (NPROC, DATA, FSIZE).
# NPROC counts every process and thread of the site's uid, host-wide (the
# fork bomb); DATA bounds each process's memory: NPROC x DATA must not exceed
# the host's memory (64 x 256M = 16 GiB: halve one per halving below that).
# NICE is the worker's nice value, locked (RLIMIT_NICE 0); OOM_SCORE_ADJ makes a
# site's worker the OOM killer's choice before any process of the host's.
# Root sets a site's own value without rebuilding: LIMITS_DIR/<user>/<name>
# (nproc, data, nofile, fsize, nice, oom_score_adj), one value per file.
LIMIT_NPROC    = 64
LIMIT_DATA     = 256M
LIMIT_NOFILE   = 1024
LIMIT_FSIZE    = 1G
LIMIT_NICE     = 5
LIMIT_OOM_SCORE_ADJ = 1000
# -w fpm's process manager (php-fpm's pm.* and request_terminate_timeout, in
# seconds), the template's ${pm}, ${pm.max_children}, ...: an idle site costs
# its master alone (pm = ondemand); a runaway request is killed after the
# timeout (0: never).
# Root's per-site values: LIMITS_DIR/<user>/pm, .../pm.max_children, ...
FPM_PM         = ondemand
FPM_PM_MAX_CHILDREN = 5
FPM_PM_START_SERVERS = 1
FPM_PM_MIN_SPARE_SERVERS = 1
FPM_PM_MAX_SPARE_SERVERS = 3
FPM_PM_PROCESS_IDLE_TIMEOUT = 10
FPM_PM_MAX_REQUESTS = 10000
FPM_REQUEST_TERMINATE_TIMEOUT = 300
LIMITS_DIR     = /etc/fcgi-suexec/limits
# The launcher's records (allow, deny, warn) go to syslog (authpriv) and, when
# LOG_FILE names one, to that file too: for hosts without a syslog daemon
# (containers, minimal installs), where only the caller's stderr would have
# them. Opened as root without following symlinks, every directory above it
# root's and not writable by group or others, the file root's and private
# (made 0600 if missing), appended to; past LOG_FILE_MAX bytes (K, M, G
# allowed) nothing more is written to it (rotate it: logrotate's "create"
# works, each launch opens it anew). Empty: syslog only.
LOG_FILE       =
LOG_FILE_MAX   = 16M
# Test builds only: use at most this Landlock ABI, as if the kernel offered
# no more (0: the kernel's best; -V shows it only when set). It simulates the
# rules an older kernel can hold, nothing else that kernel lacks. See
# tests/26-landlock-abi.t.
LANDLOCK_ABI_MAX = 0

VERSION  = 0.1.0
PREFIX   = /usr/local
# --audit runs this tool (unprivileged, not setuid) as the caller.
AUDIT_HELPER = $(PREFIX)/libexec/fcgi-suexec/audit
# --status runs this tool (unprivileged, not setuid) as the caller.
STATUS_HELPER = $(PREFIX)/libexec/fcgi-suexec/status
DESTDIR  =
BUILDDIR = .

CC       = cc
PKGS     = libcap libbsd-overlay
WARN     = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla \
           -Wno-format-truncation # messages are cut to a bounded length on purpose
# Hardening: fortified libc calls, stack canaries and clash probes, CET,
# zeroed locals, PIE with full RELRO and a non-executable stack.
HARDEN   = -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong \
           -fstack-clash-protection -fcf-protection -ftrivial-auto-var-init=zero \
           -fPIE -frecord-gcc-switches
# One static binary: no dynamic loader, no library search path, no NSS
# modules in the setuid process (users and groups come from /etc/passwd and
# /etc/group, read by the launcher itself). check-asan links it dynamically.
LINK     = -static-pie
LIBS     = $(shell pkg-config --static --libs $(PKGS))
LDHARDEN = $(LINK) -Wl,-z,relro,-z,now -Wl,-z,noexecstack
CFLAGS   = -std=gnu11 -O2 -g
# A distribution's flags: debian/rules passes dpkg-buildflags' CPPFLAGS and
# CFLAGS as DIST_CPPFLAGS and DIST_CFLAGS (the environment's CFLAGS is not
# read: CFLAGS above is the project's), LDFLAGS comes from the environment.
# They go first, so that where they clash the project's flags come after and
# win: HARDEN's -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 after Debian's
# -D_FORTIFY_SOURCE=2 (no redefinition error under -Werror), WARN's
# -Wformat=2 after -Wformat, LDHARDEN's -static-pie after any -pie (a -pie
# after it links dynamically). Empty (the default): the same command lines.
DIST_CPPFLAGS =
DIST_CFLAGS   =
DIST_FLAGS    = $(strip $(DIST_CPPFLAGS) $(DIST_CFLAGS))
ALL_CFLAGS  = $(if $(DIST_FLAGS),$(DIST_FLAGS) )$(CFLAGS) $(WARN) $(HARDEN) -I$(OBJDIR) \
              $(shell pkg-config --cflags $(PKGS))
ALL_LDFLAGS = $(LDFLAGS) $(LDHARDEN)

SRCS    = fcgi-suexec.c policy.c sandbox.c world.c
# Objects and the generated config.h live apart from the sources: a config.h
# beside policy.h would shadow every other build's.
OBJDIR  = $(BUILDDIR)/obj
OBJS    = $(SRCS:%.c=$(OBJDIR)/%.o)
BIN     = $(BUILDDIR)/fcgi-suexec
AUDIT   = $(BUILDDIR)/fcgi-suexec-audit
STATUS  = $(BUILDDIR)/fcgi-suexec-status
HELPERS = tests/helpers/probe tests/helpers/fdsock tests/helpers/syslogd
UNIT    = build/unit/unit
UNITCFG = build/unit/obj/config.h

BUILD_FLAGS = $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LIBS)
export BUILD_FLAGS HTTPD_USER UID_MIN GID_MIN UID_MAX GID_MAX SITE_GROUPS LOCKED_ACCOUNTS \
       DOCROOT USERDIR_SUFFIX PHP_CGI PHP_INI PHP_INI_VERSIONED SAFE_PATH VERSION \
       TMP_BASE LANDLOCK LANDLOCK_ABI_MIN LANDLOCK_ABI_MAX EXTRA_RW EXTRA_RO AUDIT_HELPER \
       NAMESPACES OPEN_BASEDIR STATUS_HELPER LIMITS_DIR LIMIT_NPROC LIMIT_DATA LIMIT_NOFILE \
       LIMIT_FSIZE LIMIT_NICE LIMIT_OOM_SCORE_ADJ LOG_FILE LOG_FILE_MAX PHP_FPM \
       PHP_FPM_INI_VERSIONED PHP_FPM_CONF FPM_PM FPM_PM_MAX_CHILDREN FPM_PM_START_SERVERS \
       FPM_PM_MIN_SPARE_SERVERS FPM_PM_MAX_SPARE_SERVERS FPM_PM_PROCESS_IDLE_TIMEOUT \
       FPM_PM_MAX_REQUESTS FPM_REQUEST_TERMINATE_TIMEOUT

# The fixed policy of the unit tests and the fuzzers (not this build's).
FIXED_POLICY = HTTPD_USER=www-data UID_MIN=1000 GID_MIN=1000 UID_MAX=60000 GID_MAX=60000 \
	  SITE_GROUPS='redis memcache' LOCKED_ACCOUNTS=allow DOCROOT=/var/www \
	  USERDIR_SUFFIX=public_html PHP_CGI=/usr/bin/php-cgi \
	  PHP_INI=/etc/php/8.2/cgi/php.ini PHP_INI_VERSIONED=/etc/php/VERSION/cgi/php.ini \
	  SAFE_PATH=/usr/bin:/bin TMP_BASE=/var/lib/fcgi-suexec/tmp LANDLOCK=required \
	  LANDLOCK_ABI_MIN=1 LANDLOCK_ABI_MAX=0 AUDIT_HELPER=/usr/local/libexec/fcgi-suexec/audit \
	  EXTRA_RW= EXTRA_RO= NAMESPACES=required OPEN_BASEDIR=auto \
	  STATUS_HELPER=/usr/local/libexec/fcgi-suexec/status LIMITS_DIR=/etc/fcgi-suexec/limits \
	  LIMIT_NPROC=64 LIMIT_DATA=256M LIMIT_NOFILE=1024 LIMIT_FSIZE=1G LIMIT_NICE=5 \
	  LIMIT_OOM_SCORE_ADJ=1000 LOG_FILE= LOG_FILE_MAX=16M PHP_FPM=/usr/sbin/php-fpm \
	  PHP_FPM_INI_VERSIONED=/etc/php/VERSION/fpm/php.ini PHP_FPM_CONF=/etc/fcgi-suexec/php-fpm.conf \
	  FPM_PM=ondemand FPM_PM_MAX_CHILDREN=5 FPM_PM_START_SERVERS=1 FPM_PM_MIN_SPARE_SERVERS=1 \
	  FPM_PM_MAX_SPARE_SERVERS=3 FPM_PM_PROCESS_IDLE_TIMEOUT=10 FPM_PM_MAX_REQUESTS=10000 \
	  FPM_REQUEST_TERMINATE_TIMEOUT=300

all: $(BIN) $(AUDIT) $(STATUS)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

# The audit tool is not setuid and not part of the trusted code; it shares
# the policy and its pure decisions.
$(AUDIT): tools/audit.c tools/json.h tools/text.h tools/tool.h $(OBJDIR)/policy.o policy.h $(OBJDIR)/config.h
	$(CC) $(ALL_CFLAGS) -I. $(LDFLAGS) -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack \
	  -o $@ tools/audit.c $(OBJDIR)/policy.o

# The status tool likewise: not setuid, it reads /proc as the caller and
# asks policy_uid_ok which users the launcher would refuse.
$(STATUS): tools/status.c tools/json.h tools/text.h tools/tool.h $(OBJDIR)/policy.o policy.h world.h \
	   $(OBJDIR)/config.h
	$(CC) $(ALL_CFLAGS) -I. $(LDFLAGS) -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack \
	  -o $@ tools/status.c $(OBJDIR)/policy.o

# The seccomp filter is compiled by libseccomp at build time, into a header.
$(OBJDIR)/seccomp-gen: tools/seccomp-gen.c
	@mkdir -p $(OBJDIR)
	$(CC) $(CFLAGS) $(WARN) -o $@ $< $(shell pkg-config --cflags --libs libseccomp)

$(OBJDIR)/seccomp-filter.h: $(OBJDIR)/seccomp-gen
	$< > $@.tmp && mv $@.tmp $@

$(OBJDIR)/sandbox.o: $(OBJDIR)/seccomp-filter.h

# The filter as libseccomp's pseudo code, for review.
seccomp.pfc: $(OBJDIR)/seccomp-gen
	$< --pfc > $@

$(OBJDIR)/%.o: %.c policy.h sandbox.h world.h $(OBJDIR)/config.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Always re-run; the header only changes (and rebuilds) when a variable does.
$(OBJDIR)/config.h: FORCE
	@./mkconfig.sh $@

# Unit tests call policy.c directly, against a fixed policy of their own.
$(UNIT): tests/unit.c policy.c policy.h FORCE
	@$(FIXED_POLICY) ./mkconfig.sh $(UNITCFG)
	$(CC) $(CFLAGS) $(WARN) -Ibuild/unit/obj -I. -o $@ tests/unit.c policy.c

helpers: $(HELPERS)

tests/helpers/%: tests/helpers/%.c
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

# The whole suite, as root: it installs a test build setuid in a fixture of
# its own (tests/fixture.sh), runs every tests/*.t with prove, and removes the
# fixture whatever the result.
check: all helpers $(UNIT) fuzz-short
	@tests/fixture.sh up || { tests/fixture.sh down; exit 1; }
	@prove -f $(PROVE_FLAGS) tests/*.t; rc=$$?; tests/fixture.sh down; exit $$rc

install: $(BIN) $(AUDIT) $(STATUS)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/fcgi-suexec
	# chown before chmod (chown clears the setuid bit); no group, no install
	group=$$(id -gn $(HTTPD_USER)) && \
	  chown root:$$group $(DESTDIR)$(PREFIX)/sbin/fcgi-suexec && \
	  chmod 4750 $(DESTDIR)$(PREFIX)/sbin/fcgi-suexec
	install -m 0644 man/fcgi-suexec.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	# -w fpm's template: root's, read by each site's php-fpm (an admin's edit is kept)
	test -e $(DESTDIR)$(PHP_FPM_CONF) || install -D -m 0644 -o root -g root etc/php-fpm.conf \
	  $(DESTDIR)$(PHP_FPM_CONF)
	install -D -m 0755 $(AUDIT) $(DESTDIR)$(AUDIT_HELPER)
	install -D -m 0755 $(STATUS) $(DESTDIR)$(STATUS_HELPER)
	# private temp base: root's, and nobody may list the sites in it
	install -d -m 0711 -o root -g root $(DESTDIR)$(TMP_BASE)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/fcgi-suexec $(DESTDIR)$(PREFIX)/share/man/man8/fcgi-suexec.8 \
	  $(DESTDIR)$(AUDIT_HELPER) $(DESTDIR)$(STATUS_HELPER)

clean:
	rm -rf fcgi-suexec fcgi-suexec-audit fcgi-suexec-status obj build seccomp.pfc $(HELPERS)

FORCE:
.PHONY: all helpers check install uninstall clean FORCE seccomp.pfc

# Further targets (fuzzing, race harness, sanitizers, static analysis,
# benchmarks) live in mk/*.mk.
include $(wildcard mk/*.mk)
