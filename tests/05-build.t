#!/bin/bash
# The build: policy variables reach the binary and rebuild it, bad values are
# refused, the hardening flags are in the ELF, install sets 4750 root:group,
# and the man page is lint-clean.
. "$(dirname "$0")/lib.sh"

B=$REPO/build/t05
rm -rf "$B"
# every build here goes to $B: the main build (./fcgi-suexec) stays the one `make` made
main_before=$(sha256sum "$REPO/fcgi-suexec" 2>&1)
mk() { make -s -C "$REPO" BUILDDIR="$B" "$@" >/dev/null 2>"$B.err"; }

ok "build with DOCROOT=/srv/fsxa" mk DOCROOT=/srv/fsxa HTTPD_USER=fsxweb
is "$("$B/fcgi-suexec" -V | grep '^DOCROOT=')" "DOCROOT=/srv/fsxa" "-V shows the DOCROOT built in"
is "$("$B/fcgi-suexec" -V | grep '^HTTPD_USER=')" "HTTPD_USER=fsxweb" "-V shows the HTTPD_USER built in"
is "$("$B/fcgi-suexec" -V | cut -d= -f1 | tr '\n' ' ')" \
   "VERSION HTTPD_USER UID_MIN GID_MIN UID_MAX GID_MAX SITE_GROUPS LOCKED_ACCOUNTS DOCROOT USERDIR_SUFFIX PHP_CGI PHP_INI PHP_INI_VERSIONED PHP_FPM PHP_FPM_INI_VERSIONED PHP_FPM_CONF SAFE_PATH TMP_BASE EXTRA_RW EXTRA_RO LANDLOCK LANDLOCK_ABI_MIN NAMESPACES OPEN_BASEDIR LIMIT_NPROC LIMIT_DATA LIMIT_NOFILE LIMIT_FSIZE LIMIT_NICE LIMIT_OOM_SCORE_ADJ FPM_PM FPM_PM_MAX_CHILDREN FPM_PM_START_SERVERS FPM_PM_MIN_SPARE_SERVERS FPM_PM_MAX_SPARE_SERVERS FPM_PM_PROCESS_IDLE_TIMEOUT FPM_PM_MAX_REQUESTS FPM_REQUEST_TERMINATE_TIMEOUT LIMITS_DIR LOG_FILE LOG_FILE_MAX LANDLOCK_ABI LANDLOCK_APPLIED APACHE_SUEXEC " \
   "-V prints every policy variable, NAME=value"
like "$("$B/fcgi-suexec" -V | grep '^APACHE_SUEXEC=')" "^APACHE_SUEXEC=no " "-V: a build that is not setuid root would not be enabled by Apache"
like "$("$BIN" -V 2>&1 | grep '^APACHE_SUEXEC=')" "^APACHE_SUEXEC=yes " "-V: the setuid-root install would be"
before=$(stat -c %Y.%i "$B/fcgi-suexec")
sleep 1
mk DOCROOT=/srv/fsxa HTTPD_USER=fsxweb
is "$(stat -c %Y.%i "$B/fcgi-suexec")" "$before" "same variables: no rebuild"
ok "changed variable builds" mk DOCROOT=/srv/fsxb HTTPD_USER=fsxweb
is "$("$B/fcgi-suexec" -V | grep '^DOCROOT=')" "DOCROOT=/srv/fsxb" "changed DOCROOT rebuilds"

ok "LANDLOCK=optional, EXTRA_RW builds" mk LANDLOCK=optional EXTRA_RW=/run/mysqld:/srv/shared EXTRA_RO=/opt/x
is "$("$B/fcgi-suexec" -V | grep -E '^(LANDLOCK|EXTRA_R[WO])=' | tr '\n' ' ')" \
   "EXTRA_RW=/run/mysqld:/srv/shared EXTRA_RO=/opt/x LANDLOCK=optional " "-V shows LANDLOCK and EXTRA_* built in"
like "$("$B/fcgi-suexec" -V | grep '^LANDLOCK_ABI=')" '^LANDLOCK_ABI=[1-9][0-9]*$' "-V shows the kernel's Landlock ABI"
ok "the policy of issue 10 builds" mk UID_MAX=50000 GID_MAX=50001 "SITE_GROUPS=redis  memcache" \
    LOCKED_ACCOUNTS=refuse PHP_INI_VERSIONED=/opt/php/VERSION/php.ini
is "$("$B/fcgi-suexec" -V | grep -E '^(UID_MAX|GID_MAX|SITE_GROUPS|LOCKED_ACCOUNTS|PHP_INI_VERSIONED)=' | tr '\n' ' ')" \
   "UID_MAX=50000 GID_MAX=50001 SITE_GROUPS=redis memcache LOCKED_ACCOUNTS=refuse PHP_INI_VERSIONED=/opt/php/VERSION/php.ini " \
   "-V shows UID_MAX, GID_MAX, SITE_GROUPS (one space between names), LOCKED_ACCOUNTS, PHP_INI_VERSIONED"
! mk SITE_GROUPS=1bad; ok "SITE_GROUPS with a name that is no group name refused" test $? = 0
ok "LOG_FILE, LOG_FILE_MAX build" mk LOG_FILE=/var/log/fcgi-suexec.log LOG_FILE_MAX=2M
is "$("$B/fcgi-suexec" -V | grep -E '^LOG_FILE' | tr '\n' ' ')" "LOG_FILE=/var/log/fcgi-suexec.log LOG_FILE_MAX=2M " \
   "-V shows LOG_FILE and LOG_FILE_MAX built in"
for bad in var/log/x /var/log/ /var/../log/x /var//log/x /var/log/.; do
    ! mk LOG_FILE="$bad"; ok "LOG_FILE=$bad (not a canonical absolute path of a file) refused" test $? = 0
done
! mk PHP_INI=etc/php.ini; ok "PHP_INI relative refused" test $? = 0
ok "PHP_INI empty builds (the php.ini of the php-cgi found at launch)" mk PHP_INI=
is "$("$B/fcgi-suexec" -V | grep '^PHP_INI=')" "PHP_INI=" "-V shows PHP_INI empty"
for bad in 2X 1K2 K ""; do
    ! mk LOG_FILE_MAX="$bad"; ok "LOG_FILE_MAX='$bad' (not bytes with K, M, G) refused" test $? = 0
done
! mk LOCKED_ACCOUNTS=maybe; ok "LOCKED_ACCOUNTS other than allow/refuse refused" test $? = 0
! mk PHP_INI_VERSIONED=/etc/php/cgi/php.ini; ok "PHP_INI_VERSIONED without VERSION refused" test $? = 0
! mk PHP_INI_VERSIONED=/etc/php/VERSION/VERSION.ini; ok "PHP_INI_VERSIONED with VERSION twice refused" test $? = 0
! mk UID_MAX=6e4; ok "non-numeric UID_MAX refused" test $? = 0
! mk LANDLOCK=maybe; ok "LANDLOCK other than required/optional refused" test $? = 0
! mk EXTRA_RW=relative/path; ok "relative EXTRA_RW refused" test $? = 0
! mk DOCROOT=srv/relative; ok "relative DOCROOT refused at build time" test $? = 0
! mk UID_MIN=10x; ok "non-numeric UID_MIN refused at build time" test $? = 0
! mk 'PHP_CGI=/usr/bin/php"x'; ok "quote in PHP_CGI refused at build time" test $? = 0

# Hardening, read off the ELF.
elf=$REPO/fcgi-suexec
dyn=$(readelf -d "$elf") hdr=$(readelf -lW "$elf") syms=$(readelf -sW "$elf")
like "$(readelf -h "$elf")" "Type: +DYN" "PIE"
like "$dyn" "FLAGS_1.*NOW" "full RELRO: BIND_NOW"
like "$hdr" "GNU_RELRO" "full RELRO: GNU_RELRO segment"
like "$(grep GNU_STACK <<<"$hdr")" "RW  " "non-executable stack"
like "$syms" "__stack_chk_fail" "stack protector"
like "$syms" "__[a-z]+_chk" "FORTIFY_SOURCE"

# install: mode 4750, owner root, group of HTTPD_USER.
D=$(mktemp -d)
ok "make install DESTDIR" make -s -C "$REPO" install BUILDDIR="$B" DESTDIR="$D" PREFIX=/usr HTTPD_USER=fsxweb
is "$(stat -c '%a %U %G' "$D/usr/sbin/fcgi-suexec")" "4750 root fsxweb" "installed 4750 root:fsxweb"
ok "man page installed" test -f "$D/usr/share/man/man8/fcgi-suexec.8"
is "$(stat -c '%a %U' "$D/usr/libexec/fcgi-suexec/status")" "755 root" \
    "status tool installed at STATUS_HELPER, 0755, not setuid"
is "$(stat -c '%a %U %G' "$D/var/lib/fcgi-suexec/tmp")" "711 root root" "TMP_BASE installed 0711 root:root"
rm -rf "$D" "$B" "$B.err"
is "$(sha256sum "$REPO/fcgi-suexec" 2>&1)" "$main_before" "the main build ./fcgi-suexec is unchanged by this test's builds"

lint=$(mandoc -Tlint -W warning "$REPO/man/fcgi-suexec.8" 2>&1 | grep -v 'mandoc.db')
is "$lint" "" "mandoc -Tlint clean"

# The trusted C stays small: every source of the setuid binary (the Makefile's
# SRCS) and the headers of ours they include, non-blank lines, comments too.
srcs=$(sed -n 's/^SRCS *= *//p' "$REPO/Makefile")
# shellcheck disable=SC2086 # a list of file names
hdrs=$(cd "$REPO" && grep -ho '^#include "[a-z]*\.h"' $srcs | cut -d'"' -f2 | grep -vx config.h | sort -u)
# shellcheck disable=SC2086
trusted=$(cd "$REPO" && cat $srcs $hdrs | grep -c .)
ok "the setuid binary's C is within 1,800 non-blank lines ($trusted: $(echo $srcs $hdrs))" \
    test "$trusted" -le 1800
done_testing
