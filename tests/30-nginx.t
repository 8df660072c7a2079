#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 30-nginx.t - end to end with real components:
#
#   curl -> a private nginx (workers as fsxweb) -> unix socket -> php-cgi8.2
#
# where each site's worker was started by the caller fsxweb as
#
#   fdsock unix $RUNDIR/sock/30-SITE.sock -- $BIN -p 8.2 fsxSITE fsxSITE $DOCROOT/SITE
#
# so that fcgi-suexec checks the request, drops to the site's user, confines
# itself and execs the real php-cgi8.2 in place. The pages must show the uid
# of the PHP process, and /proc must show that process as the site's user,
# with the contract's argv (PHP's own containment as -d options) and
# environment (TMPDIR = the private temp), no_new_privs, in seccomp filter
# mode, and with no fcgi-suexec left around it. (What the confinement stops
# and allows is 35-confine.t.)
#
# The nginx instance has its own configuration, logs, temp dirs and pid file in
# a temporary directory and listens on 127.0.0.1 (a free port in 18080-18099);
# the system nginx (/etc/nginx, port 80) is never used. Everything started here
# is stopped on exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

SITES=(alice bob)
TMP_BASE=$TESTROOT/tmp

trap nginx_cleanup EXIT
trap 'exit 1' INT TERM HUP

# ancestors PID: PID's parent, its parent, ... up to (excluding) pid 0
ancestors() {
    local p=$1 n=0
    while p=$(ppid_of "$p") && [ -n "$p" ] && [ "$p" != 0 ] && [ $n -lt 100 ]; do
        echo "$p"; n=$((n + 1))
    done
}

# the ancestors of PID running the launcher (its exe, or its name)
resident_launchers() {
    local a exe bin
    bin=$(readlink -f "$BIN")
    for a in $(ancestors "$1"); do
        exe=$(readlink "/proc/$a/exe" 2>/dev/null)
        if [ "${exe% (deleted)}" = "$bin" ] || [ "$(cat "/proc/$a/comm" 2>/dev/null)" = fcgi-suexec ]; then
            echo "$a($exe)"
        fi
    done
}

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
has_posix() { "$PHP_REAL" -m 2>/dev/null | grep -qx posix; }
need "php-cgi8.2 has the posix extension" has_posix
for s in "${SITES[@]}"; do
    need "user fsx$s exists" eval "getent passwd fsx$s >/dev/null"
    need "docroot $DOCROOT/$s exists" test -d "$DOCROOT/$s"
    # not a prerequisite: without it the page tests below fail, the rest still runs
    ok "docroot of $s has index.php" test -f "$DOCROOT/$s/index.php"
done
need "socket directory $RUNDIR/sock exists" test -d "$RUNDIR/sock"
needs_met

nginx_setup

# --- the workers, started by fsxweb ---------------------------------------

for s in "${SITES[@]}"; do
    start_site "$s" "$RUNDIR/sock/30-$s.sock"
done
for s in "${SITES[@]}"; do
    wait_worker "$s"
done

# --- nginx ------------------------------------------------------------------

nginx_servers() { # PORT
    default_server "$1"
    for s in "${SITES[@]}"; do
        php_server "$1" "$s.test" "$DOCROOT/$s" "${WORKER_SOCK[$s]}"
    done
}
start_nginx 18080 18099 || done_testing

# --- the pages --------------------------------------------------------------

for s in "${SITES[@]}"; do
    uid=$(id -u "fsx$s")
    for o in "${SITES[@]}"; do [ "$o" = "$s" ] || other_uid=$(id -u "fsx$o"); done
    fetch "$s.test" /index.php
    is "$code" 200 "$s: GET /index.php through nginx: HTTP 200"
    [ "$code" = 200 ] || diag "$(fetch_diag)"
    like "$body" "(^|[^0-9])uid[= ]\(?$uid([^0-9]|\$)" "$s: the page shows the process uid of fsx$s ($uid)"
    unlike "$body" "(^|[^0-9])$other_uid([^0-9]|\$)" "$s: the page does not show the other site's uid ($other_uid)"
done

# --- the php-cgi processes, from /proc ------------------------------------

for s in "${SITES[@]}"; do
    pid=${PHP_PID[$s]}
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
        ok "$s: php-cgi process still there (pid ${pid:-none})" false
        continue
    fi
    u=fsx$s uid=$(id -u "fsx$s") gid=$(id -g "fsx$s")
    tmp=$TMP_BASE/$u
    is "$(readlink "/proc/$pid/exe")" "$(readlink -f "$PHP_REAL")" "$s: pid $pid runs $PHP_REAL"
    # one argument a line, so that an argument with a space in it shows
    is "$(tr '\0' '\n' <"/proc/$pid/cmdline")" "$(printf '%s\n' "$TESTROOT/bin/php-cgi8.2" \
        -c "$TESTROOT/etc/8.2/php.ini" -d "session.save_path=$tmp" \
        -d "upload_tmp_dir=$tmp" -d "sys_temp_dir=$tmp" -d "opcache.lockfile_path=$tmp" \
        -d cgi.fix_pathinfo=0)" \
        "$s: argv is { PHP_CGI8.2, -c, PHP_INI_VERSIONED for 8.2 } and the five -d options of the contract (no open_basedir under Landlock)"
    environ=$(tr '\0' '\n' <"/proc/$pid/environ")
    is "$(grep '^TMPDIR=' <<<"$environ")" "TMPDIR=/tmp" "$s: TMPDIR=/tmp (its private temp, in its world) in /proc/$pid/environ"
    is "$environ" "$(printf '%s\n' "PATH=$SAFE_PATH" "USER=$u" "LOGNAME=$u" \
        "HOME=$(getent passwd "$u" | cut -d: -f6)" "TMPDIR=/tmp" PHP_FCGI_CHILDREN=0)" \
        "$s: environment is exactly PATH, USER, LOGNAME, HOME, TMPDIR, PHP_FCGI_CHILDREN"
    is "$(stat -c '%F %U:%G %a' "$tmp" 2>&1)" "directory $u:$u 700" "$s: $tmp is a 0700 directory of $u"
    is "$(status_field "$pid" Uid)" "$uid $uid $uid $uid" "$s: real/effective/saved/fs uid = fsx$s"
    is "$(status_field "$pid" Gid)" "$gid $gid $gid $gid" "$s: real/effective/saved/fs gid = fsx$s"
    is "$(status_field "$pid" NoNewPrivs)" 1 "$s: NoNewPrivs 1"
    is "$(status_field "$pid" Seccomp)" 2 "$s: Seccomp 2 (filter)"
    is "$(status_field "$pid" CapEff) $(status_field "$pid" CapPrm) $(status_field "$pid" CapBnd)" \
       "0000000000000000 0000000000000000 0000000000000000" "$s: no capabilities, empty bounding set"
    is "$(readlink "/proc/$pid/cwd")" "$DOCROOT/$s" "$s: cwd is the docroot"
    is "$(resident_launchers "$pid")" "" "$s: no fcgi-suexec among the ancestors of php-cgi"
    limits_are_defaults "$s" "$(proc_limits "$pid")"
    # the launcher was exec'd by fdsock (itself exec'd by setpriv) as the
    # background job, or a child of it when bash forked for the as_user
    # function: php-cgi must be that very process, not a descendant of a
    # launcher that forked (the check above) or an orphan of one that exited
    worker=${WORKER_PID[$s]}
    ok "$s: php-cgi (pid $pid) is the process the launcher was exec'd as (job $worker)" \
        test "$pid" = "$worker" -o "$(ppid_of "$pid")" = "$worker"
done

done_testing
