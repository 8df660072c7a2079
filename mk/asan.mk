# mk/asan.mk - the launcher under AddressSanitizer and UndefinedBehavior-
# Sanitizer, run by the suite's own launcher tests.
#
#   make check-asan   (as root) build the unit tests and the three test
#                     builds of the launcher (and the audit and status tools) with
#                     ASan + UBSan, run the unit tests, install the builds
#                     over the fixture's ($(ASAN_FIXTURE)/sbin/fcgi-suexec*,
#                     libexec/fcgi-suexec-{audit,status}, same owners and modes,
#                     setuid included), run ASAN_TESTS with prove, then put
#                     the fixture's own builds back (tests/fixture.sh up;
#                     ASAN_TEARDOWN=down removes the fixture instead, as
#                     make check does). Fails on a failed test or on any
#                     sanitizer report, whichever process wrote it.
#   make asan-build   only the builds: build/test-asan{,-llreq,-llopt,-extra,-locked,-nsopt,-log,-iniver,-abi1..6},
#                     build/asan/unit
#
# Choices, tried on Debian 12 (gcc 12, libasan8, kernel 6.x):
#
# - gcc (the project's CC), -O1 -g -fno-omit-frame-pointer,
#   -fsanitize=address,undefined -fno-sanitize-recover=all: the first
#   finding ends the process. The rest of HARDEN is kept (stack protector,
#   clash protection, CET, zeroed locals, PIE, RELRO) but _FORTIFY_SOURCE:
#   the __*_chk functions bypass ASan's interceptors, so it would see less;
#   fcgi-suexec.c accepts a build without it only under ASan.
# - Setuid: libasan does not refuse a setuid binary (the loader takes it
#   from DT_NEEDED in the trusted directories), so the real installation,
#   mode 4750 and 4755 root:fsxweb, runs as in the plain suite: no
#   non-setuid stand-in is needed. Test builds only: ASan trusts
#   ASAN_OPTIONS and writes report files as root.
# - Options: the launcher clears its environment and the tests give it one
#   of their own, so ASAN_OPTIONS never reaches it; the options are
#   compiled in (tests/asan/options.c: __asan/__ubsan/__lsan_default_options)
#   with log_path=ASAN_LOG_DIR/report: each report is a file report.PID,
#   collected after the run whichever caller (a test, nginx, spawn-fcgi,
#   supervisord) started the process (gcc's libubsan puts only its SUMMARY
#   line, with file:line, there and the details on the process's stderr);
#   exitcode=86, which no check uses, so the test that ran it fails too.
# - LeakSanitizer stays on. It stops the process with ptrace from a helper
#   task and makes a non-dumpable process dumpable for that itself, so
#   PR_SET_DUMPABLE 0 does not stop it, as root (CAP_SYS_PTRACE) or after
#   -V/--check dropped to the caller (same ids). It cannot run under the
#   seccomp filter (ptrace: EPERM) nor under Landlock (/proc hidden):
#   __lsan_is_turned_off() skips it there, which leaves out only the exit
#   after a failed execveat. A leak in the launcher is no risk (it execs
#   or exits), but one on a refusal path is a bug all the same.
# - seccomp: the filter denies personality() with flags, but this libasan
#   makes no personality() call at all (strace), and its start-up is long
#   before the filter anyway; the filter is loaded just before execveat and
#   the worker (php-cgi, the probe) is not instrumented. Nothing to adapt.
# - Tests: ASAN_TESTS, the launcher tests tests/[1-5]*.t. Not 00 (the unit
#   tests run here themselves, under the sanitizers), 05 (builds and reads
#   the release ELF's hardening) or 6x (static checks, hardening).
#   The race test (55) runs ASAN_RACE_LAUNCHES launches (default 1000, the
#   plain suite 3000): here it looks for memory errors on the raced paths,
#   and an instrumented launch is several times slower (a CI run reached
#   2,217 in its 300 s with 3000 asked).
#
# The test policy is tests/fixture.sh's (TESTROOT /var/lib/fsx-test); a
# drift is caught: each ASan build's -V must equal the fixture build's.

ASAN_CC       = $(CC)
ASAN_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS   = -std=gnu11 -O1 -g $(ASAN_SAN)
ASAN_HARDEN   = $(filter-out -D_FORTIFY_SOURCE=%,$(HARDEN))
ASAN_DIR      = build/asan
ASAN_LOG_DIR  = $(CURDIR)/$(ASAN_DIR)/reports
ASAN_OPTS_O   = $(ASAN_DIR)/options.o
ASAN_LDFLAGS  = $(ASAN_SAN) $(CURDIR)/$(ASAN_OPTS_O)
ASAN_TESTS    = $(wildcard tests/[1-5]*.t)
ASAN_TEARDOWN = restore
ASAN_RACE_LAUNCHES = $(or $(RACE_LAUNCHES),1000)
ASAN_FIXTURE  = /var/lib/fsx-test
ASAN_POLICY   = HTTPD_USER=fsxweb DOCROOT=$(ASAN_FIXTURE)/www \
                PHP_CGI=$(ASAN_FIXTURE)/bin/php-cgi PHP_INI=$(ASAN_FIXTURE)/etc/php.ini \
                PHP_INI_VERSIONED=$(ASAN_FIXTURE)/etc/VERSION/php.ini \
                TMP_BASE=$(ASAN_FIXTURE)/tmp SITE_GROUPS=fsxsiteg \
                AUDIT_HELPER=$(ASAN_FIXTURE)/libexec/fcgi-suexec-audit \
                STATUS_HELPER=$(ASAN_FIXTURE)/libexec/fcgi-suexec-status \
                LIMITS_DIR=$(ASAN_FIXTURE)/etc/limits PHP_FPM=$(ASAN_FIXTURE)/bin/php-fpm \
                PHP_FPM_INI_VERSIONED=$(ASAN_FIXTURE)/etc/fpm/VERSION/php.ini \
                PHP_FPM_CONF=$(ASAN_FIXTURE)/etc/php-fpm.conf
ASAN_MAKE     = $(MAKE) --no-print-directory CC='$(ASAN_CC)' CFLAGS='$(ASAN_CFLAGS)' LINK=-pie \
                HARDEN='$(ASAN_HARDEN)' LDFLAGS='$(ASAN_LDFLAGS)' $(ASAN_POLICY)

$(ASAN_OPTS_O): tests/asan/options.c mk/asan.mk
	@mkdir -p $(ASAN_DIR)
	$(ASAN_CC) -std=gnu11 -O1 -g $(WARN) -DFSX_ASAN_LOG='"$(ASAN_LOG_DIR)/report"' -c -o $@ $<
	@rm -f build/test-asan*/fcgi-suexec build/test-asan*/fcgi-suexec-audit \
	  build/test-asan*/fcgi-suexec-status # relink

asan-build: $(ASAN_OPTS_O) $(ASAN_DIR)/unit
	$(ASAN_MAKE) BUILDDIR=build/test-asan
	$(ASAN_MAKE) BUILDDIR=build/test-asan-llreq LANDLOCK_ABI_MIN=99
	$(ASAN_MAKE) BUILDDIR=build/test-asan-llopt LANDLOCK_ABI_MIN=99 LANDLOCK=optional
	$(ASAN_MAKE) BUILDDIR=build/test-asan-extra \
	  EXTRA_RO=$(ASAN_FIXTURE)/extra/ro:$(ASAN_FIXTURE)/extra/missing:$(ASAN_FIXTURE)/extra/vialink/ro \
	  EXTRA_RW=$(ASAN_FIXTURE)/extra/rw:$(ASAN_FIXTURE)/extra/sys
	$(ASAN_MAKE) BUILDDIR=build/test-asan-locked LOCKED_ACCOUNTS=refuse
	$(ASAN_MAKE) BUILDDIR=build/test-asan-nsopt NAMESPACES=optional
	$(ASAN_MAKE) BUILDDIR=build/test-asan-iniver PHP_INI= PHP_CGI=$(ASAN_FIXTURE)/alt/php-cgi
	$(ASAN_MAKE) BUILDDIR=build/test-asan-log LOG_FILE=$(ASAN_FIXTURE)/log/fcgi-suexec.log \
	  LOG_FILE_MAX=8K
	for n in 1 2 3 4 5 6; do \
	  $(ASAN_MAKE) BUILDDIR=build/test-asan-abi$$n LANDLOCK_ABI_MAX=$$n || exit 1; done

# The unit tests, against their own fixed policy (the Makefile's UNIT rule
# writes it), under the sanitizers.
$(ASAN_DIR)/unit: tests/unit.c policy.c policy.h $(ASAN_OPTS_O) $(UNIT)
	$(ASAN_CC) $(ASAN_CFLAGS) $(WARN) -Ibuild/unit/obj -I. -o $@ tests/unit.c policy.c \
	  $(ASAN_OPTS_O)

check-asan: asan-build helpers
	@RACE_LAUNCHES='$(ASAN_RACE_LAUNCHES)' ASAN_REPORTS='$(ASAN_LOG_DIR)' ASAN_TEARDOWN='$(ASAN_TEARDOWN)' \
	  ASAN_FIXTURE='$(ASAN_FIXTURE)' ASAN_UNIT='$(ASAN_DIR)/unit' PROVE_FLAGS='$(PROVE_FLAGS)' \
	  tests/asan/check.sh $(ASAN_TESTS)

.PHONY: check-asan asan-build
