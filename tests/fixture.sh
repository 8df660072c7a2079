#!/bin/bash
# tests/fixture.sh up|down - the users, groups, files and test build the tests need.
#
#   up    create the fsx* users and groups if missing, build (make helpers;
#         make BUILDDIR=build/test with the test policy), and lay out
#         TESTROOT (FSX_TESTROOT, default /var/lib/fsx-test): every path is (re)set to its owner and mode, and
#         files are replaced by rename, so a process still running one is safe
#   down  remove TESTROOT, build/test, and the fsx* users and groups
#         (waiting a few seconds for processes of those users to end)
# Both are idempotent. Ids come from useradd/groupadd defaults, never fixed.
set -euo pipefail

TESTROOT=${FSX_TESTROOT:-/var/lib/fsx-test}   # another checkout may test beside this one
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
USERS=(fsxalice fsxbob fsxcaller fsxlow fsxweb fsxcarol fsxexp fsxhigh)
GROUPS_=(fsxshared fsxlowg fsxsiteg fsxhighg fsxalice fsxbob fsxcaller fsxlow fsxweb fsxcarol fsxexp fsxhigh)

die() { echo "fixture.sh: $*" >&2; exit 1; }

# add_user NAME [useradd options]: with a group of the same name (reused if left over).
add_user() {
    local name=$1; shift
    if getent passwd "$name" >/dev/null; then # made by another checkout's fixture: its home here
        [[ " $* " != *" -d $TESTROOT/"* ]] || usermod -d "$TESTROOT/home/$name" "$name" ||
            echo "fixture.sh: $name's home left as it is (a process of $name runs)" >&2
        return 0
    fi
    if getent group "$name" >/dev/null; then
        useradd -g "$name" "$@" "$name"
    else
        useradd -U "$@" "$name"
    fi
}

free_id() { # DB FIRST: the first id from FIRST up that DB (passwd|group) does not have
    local id=$2
    while getent "$1" "$id" >/dev/null; do id=$((id + 1)); done
    echo "$id"
}

add_group() { # NAME [groupadd options]
    getent group "$1" >/dev/null || groupadd "${@:2}" "$1"
}

# mk d|f PATH OWNER[:GROUP] MODE: a directory or an empty file. chown before
# chmod: chown clears the setuid/setgid bits.
mk() {
    if [ "$1" = d ]; then mkdir -p "$2"; else : >"$2"; fi
    chown "$3" "$2"
    chmod "$4" "$2"
}

# cp_to SRC DEST OWNER MODE: a copy put in place by rename
cp_to() {
    cp "$1" "$2.new"
    chown "$3" "$2.new"
    chmod "$4" "$2.new"
    mv -f "$2.new" "$2"
}

# link TARGET PATH: a symlink, replacing what is there
link() { rm -f "$2"; ln -s "$1" "$2"; }

users_up() {
    add_user fsxweb -r -M -d /nonexistent -s /usr/sbin/nologin
    add_user fsxlow -r -M -d /nonexistent -s /usr/sbin/nologin
    add_user fsxalice -M -d "$TESTROOT/home/fsxalice" -s /bin/sh
    add_user fsxbob -M -d "$TESTROOT/home/fsxbob" -s /bin/sh
    add_user fsxcaller -M -d /nonexistent -s /usr/sbin/nologin
    add_user fsxcarol -M -d "$TESTROOT/home/fsxcarol" -s /bin/sh
    add_user fsxexp -M -d "$TESTROOT/home/fsxexp" -s /bin/sh
    chage -E 0 fsxexp                                           # expired, as panels suspend
    add_group fsxshared
    add_group fsxlowg -r
    add_group fsxsiteg                                          # SITE_GROUPS of the test build
    add_group fsxhighg -g "$(free_id group 60001)"              # above GID_MAX
    getent passwd fsxhigh >/dev/null || useradd -M -N -g fsxhighg -u "$(free_id passwd 60001)" \
        -d /nonexistent -s /usr/sbin/nologin fsxhigh            # above UID_MAX
    usermod -a -G fsxshared,fsxlowg,fsxsiteg,fsxhighg fsxalice
    usermod -a -G fsxweb,fsxshared,fsxlowg fsxcarol             # in the web server's group

    # the ranges the tests rely on
    [ "$(id -u fsxweb)" -lt 1000 ] || die "fsxweb uid is not < 1000"
    [ "$(id -u fsxlow)" -lt 1000 ] || die "fsxlow uid is not < 1000"
    [ "$(getent group fsxlowg | cut -d: -f3)" -lt 1000 ] || die "fsxlowg gid is not < 1000"
    [ "$(getent group fsxshared | cut -d: -f3)" -ge 1000 ] || die "fsxshared gid is not >= 1000"
    local u
    [ "$(id -u fsxhigh)" -gt 60000 ] || die "fsxhigh uid is not > 60000"
    for u in fsxalice fsxbob fsxcaller fsxcarol fsxexp; do
        [ "$(id -u $u)" -ge 1000 ] || die "$u uid is not >= 1000"
        [ "$(id -g $u)" -ge 1000 ] || die "$u gid is not >= 1000"
    done
}

build_up() {
    make -C "$REPO" helpers
    local policy=(HTTPD_USER=fsxweb DOCROOT="$TESTROOT/www" PHP_CGI="$TESTROOT/bin/php-cgi"
        PHP_INI="$TESTROOT/etc/php.ini" PHP_INI_VERSIONED="$TESTROOT/etc/VERSION/php.ini"
        TMP_BASE="$TESTROOT/tmp" SITE_GROUPS=fsxsiteg
        AUDIT_HELPER="$TESTROOT/libexec/fcgi-suexec-audit"
        STATUS_HELPER="$TESTROOT/libexec/fcgi-suexec-status" LIMITS_DIR="$TESTROOT/etc/limits"
        PHP_FPM="$TESTROOT/bin/php-fpm" PHP_FPM_INI_VERSIONED="$TESTROOT/etc/fpm/VERSION/php.ini"
        PHP_FPM_CONF="$TESTROOT/etc/php-fpm.conf")
    make -C "$REPO" BUILDDIR=build/test "${policy[@]}"
    # A kernel without Landlock, simulated by builds that want a higher ABI.
    make -C "$REPO" BUILDDIR=build/test-llreq "${policy[@]}" LANDLOCK_ABI_MIN=99
    make -C "$REPO" BUILDDIR=build/test-llopt "${policy[@]}" LANDLOCK_ABI_MIN=99 LANDLOCK=optional
    # Paths every site may also use (tests/28-extra.t), and locked accounts refused.
    make -C "$REPO" BUILDDIR=build/test-extra "${policy[@]}" \
        EXTRA_RO="$TESTROOT/extra/ro:$TESTROOT/extra/missing:$TESTROOT/extra/vialink/ro" \
        EXTRA_RW="$TESTROOT/extra/rw:$TESTROOT/extra/sys"
    make -C "$REPO" BUILDDIR=build/test-locked "${policy[@]}" LOCKED_ACCOUNTS=refuse
    # Where the kernel refuses namespaces: go on without the world (tests/38-nsopt.t).
    make -C "$REPO" BUILDDIR=build/test-nsopt "${policy[@]}" NAMESPACES=optional
    # No PHP_INI: the php.ini of the php-cgiX.Y that PHP_CGI leads to (tests/29-phpini.t).
    make -C "$REPO" BUILDDIR=build/test-iniver "${policy[@]}" PHP_INI= PHP_CGI="$TESTROOT/alt/php-cgi"
    # Records to a file too, capped small (tests/54-logfile.t).
    make -C "$REPO" BUILDDIR=build/test-log "${policy[@]}" LOG_FILE="$TESTROOT/log/fcgi-suexec.log" \
        LOG_FILE_MAX=8K
    # An older kernel's Landlock rules, simulated by builds capped at ABI 1..6.
    local n
    for n in 1 2 3 4 5 6; do
        make -C "$REPO" BUILDDIR="build/test-abi$n" "${policy[@]}" LANDLOCK_ABI_MAX="$n"
    done
    for b in test test-llreq test-llopt test-abi{1..6} test-extra test-locked test-nsopt test-log test-iniver; do
        [ -x "$REPO/build/$b/fcgi-suexec" ] || die "build/$b/fcgi-suexec was not built"
    done
    [ -x "$REPO/build/test/fcgi-suexec-status" ] || die "build/test/fcgi-suexec-status was not built"
}

layout_up() {
    local t=$TESTROOT probe=$REPO/tests/helpers/probe launcher=$REPO/build/test/fcgi-suexec d u n
    mk d "$t" root:root 0755
    for d in sbin bin etc etc/fpm www www_backup home run libexec log alt; do mk d "$t/$d" root:root 0755; done
    mk d "$t/tmp" root:root 0711                                # TMP_BASE: private temps

    cp_to "$launcher" "$t/sbin/fcgi-suexec" root:fsxweb 4750
    cp_to "$launcher" "$t/sbin/fcgi-suexec-open" root:fsxweb 4755
    cp_to "$launcher" "$t/sbin/fcgi-suexec-nosuid" root:root 0755
    cp_to "$REPO/build/test/fcgi-suexec-audit" "$t/libexec/fcgi-suexec-audit" root:root 0755
    cp_to "$REPO/build/test/fcgi-suexec-status" "$t/libexec/fcgi-suexec-status" root:root 0755
    cp_to "$REPO/build/test-llreq/fcgi-suexec" "$t/sbin/fcgi-suexec-llreq" root:fsxweb 4750
    cp_to "$REPO/build/test-llopt/fcgi-suexec" "$t/sbin/fcgi-suexec-llopt" root:fsxweb 4750
    cp_to "$REPO/build/test-extra/fcgi-suexec" "$t/sbin/fcgi-suexec-extra" root:fsxweb 4750
    cp_to "$REPO/build/test-locked/fcgi-suexec" "$t/sbin/fcgi-suexec-locked" root:fsxweb 4750
    cp_to "$REPO/build/test-nsopt/fcgi-suexec" "$t/sbin/fcgi-suexec-nsopt" root:fsxweb 4750
    cp_to "$REPO/build/test-log/fcgi-suexec" "$t/sbin/fcgi-suexec-log" root:fsxweb 4750
    cp_to "$REPO/build/test-iniver/fcgi-suexec" "$t/sbin/fcgi-suexec-iniver" root:fsxweb 4750
    for n in 1 2 3 4 5 6; do
        cp_to "$REPO/build/test-abi$n/fcgi-suexec" "$t/sbin/fcgi-suexec-abi$n" root:fsxweb 4750
    done

    # interpreters: php-cgi is the probe; 9.0 and 9.7 are good ones for -p
    cp_to "$probe" "$t/bin/php-cgi" root:root 0755
    link /usr/bin/php-cgi8.2 "$t/bin/php-cgi8.2"
    cp_to "$probe" "$t/bin/php-cgi9.0" root:root 0755
    cp_to "$probe" "$t/bin/php-cgi9.1" fsxalice:fsxalice 0755   # not owned by root
    cp_to "$probe" "$t/bin/php-cgi9.2" root:root 0777           # world-writable
    cp_to "$probe" "$t/bin/php-cgi9.3" root:root 4755           # setuid
    mk d "$t/bin/php-cgi9.4" root:root 0755                     # a directory
    mk d "$t/evil" fsxalice:fsxalice 0755
    cp_to "$probe" "$t/evil/php" root:root 0755
    link ../evil/php "$t/bin/php-cgi9.5"                        # target in a user's directory
    cp_to "$probe" "$t/bin/php-cgi9.6" root:root 0644           # not executable
    link php-cgi9.0 "$t/bin/php-cgi9.7"                         # root-owned link, root-owned dirs: fine
    cp_to "$probe" "$t/bin/php-cgi9.8" root:root 2755           # setgid
    # php-cgi9.9: missing
    cp_to "$probe" "$t/bin/php-cgi9.11" root:root 0755          # good, but no php.ini of its own
    link "$t/bin/php-cgi9.0" "$t/alt/php-cgi"                   # as Debian's alternatives: 9.0
    # -w fpm (tests/47-fpm.t, 48, 49): php-fpm is Debian's (8.2), by a root link as its alternative would
    # be; -p 9.0 the probe, which reports how the launcher starts php-fpm
    cp_to /usr/sbin/php-fpm8.2 "$t/bin/php-fpm8.2" root:root 0755
    link php-fpm8.2 "$t/bin/php-fpm"
    cp_to "$probe" "$t/bin/php-fpm9.0" root:root 0755
    cp_to "$probe" "$t/bin/php-fpm9.1" fsxalice:fsxalice 0755   # not owned by root
    cp_to "$REPO/etc/php-fpm.conf" "$t/etc/php-fpm.conf" root:root 0644
    for v in 8.2 9.0 9.1; do
        mk d "$t/etc/fpm/$v" root:root 0755
        cp_to /etc/php/8.2/fpm/php.ini "$t/etc/fpm/$v/php.ini" root:root 0644
    done

    mk f "$t/etc/php.ini" root:root 0644
    printf '; fcgi-suexec test php.ini\nexpose_php = Off\ncgi.fix_pathinfo = 0\ndisplay_errors = Off\n' \
        >"$t/etc/php.ini"
    for v in 7.8 7.9 8.2 9.0 9.7; do # PHP_INI_VERSIONED: each -p version its own (7.8: 61-load.t, 7.9: the race)
        mk d "$t/etc/$v" root:root 0755
        cp_to "$t/etc/php.ini" "$t/etc/$v/php.ini" root:root 0644
    done

    local w=$t/www
    mk d "$w/alice" fsxalice:fsxalice 0755
    mk d "$w/bob" fsxbob:fsxbob 0755
    mk d "$w/carol" fsxcarol:fsxcarol 0755
    mk d "$w/exp" fsxexp:fsxexp 0755
    for u in alice bob; do # pages for tests/30-nginx.t
        mk f "$w/$u/index.php" "fsx$u:fsx$u" 0644
        printf '<?php echo "uid=", posix_getuid(), "\\n";\n' >"$w/$u/index.php"
    done
    mk d "$w/alice-ww" fsxalice:fsxalice 0777
    mk d "$w/alice-gw" fsxalice:fsxalice 0775
    mk d "$w/rootowned" root:root 0755
    link alice "$w/link"
    mk f "$w/notdir" fsxalice:fsxalice 0644
    mk d "$w/low" fsxlow:fsxlow 0755
    mk d "$w/nest" fsxalice:fsxalice 0755
    mk d "$w/nest/site" fsxalice:fsxalice 0755
    link nest "$w/linknest"                                     # symlinked ancestor
    mk d "$w/gwnest" fsxalice:fsxalice 0775                     # group-writable ancestor
    mk d "$w/gwnest/site" fsxalice:fsxalice 0755
    mk d "$w/bobnest" fsxbob:fsxbob 0755                        # ancestor of another user
    mk d "$w/bobnest/alice" fsxalice:fsxalice 0755
    mk d "$t/www_backup/alice" fsxalice:fsxalice 0755           # prefix trick

    mk d "$t/home/fsxalice" fsxalice:fsxalice 0755
    mk d "$t/home/fsxalice/public_html" fsxalice:fsxalice 0755
    mk d "$t/home/fsxbob" fsxbob:fsxbob 0755
    mk d "$t/home/fsxbob/public_html" fsxbob:fsxbob 0755

    mk d "$t/run/sock" fsxweb:fsxweb 0755                       # sockets made as fsxweb
    for u in fsxalice fsxbob fsxcaller fsxlow; do mk d "$t/run/$u" "$u:$u" 0755; done

    # EXTRA_RO/EXTRA_RW of build/test-extra: good as laid here; tests/28-extra.t
    # changes them (and lays them out again) to try each attack.
    mk d "$t/extra" root:root 0755
    mk d "$t/extra/ro" root:root 0755
    mk f "$t/extra/ro/data" root:root 0644
    mk d "$t/extra/rw" root:root 1777                           # shared by all sites, as /tmp
    mk d "$t/extra/sys" fsxlow:fsxlow 1777                      # a system user's, as /run/mysqld
    mk d "$t/extra/real" root:root 0755
    mk d "$t/extra/real/ro" root:root 0755
    link real "$t/extra/vialink"                                # a root-owned symlink, as /var/run
    rm -rf "$t/extra/missing"
}

# del_user NAME: userdel, retried for up to 5 s while a process of NAME ends
del_user() {
    local _
    for _ in $(seq 20); do
        getent passwd "$1" >/dev/null || return 0
        userdel "$1" 2>/dev/null && return 0
        sleep 0.25
    done
    userdel "$1" # the last try reports why
}

down() {
    local u g st=0
    rm -rf "$TESTROOT" "$REPO/build/test" "$REPO/build/test-llreq" "$REPO/build/test-llopt" \
        "$REPO/build/test-extra" "$REPO/build/test-locked" "$REPO/build/test-nsopt" "$REPO/build/test-log" "$REPO/build/test-iniver" \
        "$REPO"/build/test-abi[1-6]
    for u in "${USERS[@]}"; do del_user "$u" || st=1; done
    for g in "${GROUPS_[@]}"; do
        if getent group "$g" >/dev/null; then groupdel "$g" || st=1; fi
    done
    return $st
}

[ "$(id -u)" = 0 ] || die "must run as root"
case "${1:-}" in
up) users_up; build_up; layout_up ;;
down) down ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
