#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok)
# 49-fpm-callers.t - the fpm forms of the shipped examples/ (fcgi-suexec -w fpm:
# one php-fpm master per site, as the site's user), each run for real with the
# fixture's php-fpm8.2 (a root copy of Debian's, tests/fixture.sh):
#
#   spawn-fcgi   examples/spawn-fcgi/fcgi-suexec-spawn with WORKER=fpm (root)
#                -> spawn-fcgi -u fsxweb -> fcgi-suexec -w fpm -> php-fpm as fsxalice
#   supervisord  a private supervisord (its own config, control socket, pid and
#                log files in a temp dir; never the system service) with
#                examples/supervisor/fcgi-suexec-fpm-alice.conf
#   systemd      examples/systemd/fcgi-suexec@.socket and @.service with the
#                drop-in examples/systemd/fpm.conf: checked with systemd-analyze
#                verify (alone and beside the limits drop-ins), and their socket
#                activation run by systemd-socket-activate (root makes the
#                socket and waits for the first connection; then, one pid, the
#                unit's User= through setpriv, the merged ExecStart= with
#                LISTEN_FDS=1 and LISTEN_PID); the unit's ExecReload= (SIGUSR2:
#                the same pid, the pm of its start kept although root wrote
#                LIMITS_DIR/fsxalice/pm meanwhile; a new start takes it) and
#                its stop (KillMode=mixed, KillSignal=SIGQUIT) as pid 1 would
#                send them; Accept=yes (a connected socket) refused
#   nginx        examples/nginx/fcgi-suexec-fpm-site.conf, one server block per
#                caller above, in a private nginx (workers as fsxweb,
#                127.0.0.1, a free port in 18500-18519): the pages, php-fpm's
#                /fpm-status and /fpm-ping from 127.0.0.1, 403 from 127.0.0.2
#   Apache       examples/apache-fpm/fcgi-suexec-fpm-vhost.conf in a private
#                apache2 (its own ServerRoot in a temp dir, User fsxweb,
#                127.0.0.1, a free port in 18520-18539; no suexec, nothing
#                bind-mounted) whose mod_proxy_fcgi reaches bob's php-fpm,
#                started by the socket unit's instance fcgi-suexec@bob
#
# For each: the master runs the fixture's php-fpm8.2 as the site's user, with
# root's template, no_new_privs, seccomp, no capabilities, the launcher's
# limits, holding the caller's listening socket; a page made through the
# caller's real path (nginx or Apache -> the socket) is answered by a child of
# that very master (PHP_SAPI fpm-fcgi, its parent pid), as the site's user; no
# process of the site's tree is root's. Examples are rendered for the fixture
# by sed (production paths -> the test's, www-data -> fsxweb); a rendering
# that leaves a production path fails. Everything started here is stopped on
# exit (each by its pid), and the pages, links and LIMITS_DIR file made here
# are removed; /etc/nginx, /etc/apache2, the system's nginx, apache2 and
# supervisor are never used.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"
. "$(dirname "$0")/callers.sh"
. "$(dirname "$0")/apache.sh"

FPM_REAL=$TESTROOT/bin/php-fpm8.2      # root's copy of /usr/sbin/php-fpm8.2 (fixture)
FPM_CONF=$TESTROOT/etc/php-fpm.conf    # the test build's PHP_FPM_CONF (etc/php-fpm.conf)
FPM_INI=$TESTROOT/etc/fpm/8.2/php.ini  # PHP_FPM_INI_VERSIONED for 8.2
CALLERS=(spawn supervisor systemd)
PAGE=fsx47-$$.php                      # in alice's and bob's docroots
UPLOAD=fsx47-up-$$.jpg                 # alice's and bob's "upload" holding PHP
BSECRET=fsx47-secret-$$.txt            # alice's file ...
BLINK=fsx47-link-$$.txt                # ... and bob's link to it
BPLAIN=fsx47-plain-$$.txt              # bob's plain file
AU=$(id -u fsxalice) BU=$(id -u fsxbob)
nl=$'\n'
declare -A SOCK=() MASTER=()
KIDS=()                                # every php-fpm child seen, for the cleanup
LIMDIR=$TESTROOT/etc/limits            # the test build's LIMITS_DIR
LIMDIR_MADE='' LIMSITE_MADE=''

cleanup() {
    local p
    stop_supervisord
    stop_apache
    for p in "${MASTER[@]}"; do stop_pid "$p"; done
    nginx_cleanup        # nginx, WORKER_PID[] (the masters, systemd-socket-activate), WORK
    for p in "${KIDS[@]}"; do   # a child whose master was killed: by its pid, if still php-fpm
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$FPM_REAL")" ] && stop_pid "$p"
    done
    rm -f "$DOCROOT"/{alice,bob}/{"$PAGE","$UPLOAD"} "$DOCROOT/alice/$BSECRET" \
        "$DOCROOT/bob/$BLINK" "$DOCROOT/bob/$BPLAIN"
    [ -n "$AWORK" ] && rm -rf "$AWORK"
    rm -f "$LIMDIR/fsxalice/pm"
    [ -n "$LIMSITE_MADE" ] && rmdir "$LIMDIR/fsxalice"
    [ -n "$LIMDIR_MADE" ] && rmdir "$LIMDIR"
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "apache2 is installed ($APACHE)" test -x "$APACHE"
for m in mpm_prefork authz_core authz_host mime dir headers proxy proxy_fcgi; do
    need "Apache module $m is installed" test -f "$MODS/mod_$m.so"
done
need "curl is installed" eval "command -v curl >/dev/null"
need "spawn-fcgi is installed" eval "command -v spawn-fcgi >/dev/null"
need "supervisord and supervisorctl are installed (Debian: supervisor)" \
    eval "{ command -v supervisord && command -v supervisorctl; } >/dev/null"
need "systemd-analyze and systemd-socket-activate are installed (Debian: systemd)" \
    eval "{ command -v systemd-analyze && command -v systemd-socket-activate; } >/dev/null"
need "the fixture's php-fpm8.2 is a root copy of Debian's ($FPM_REAL)" \
    cmp -s /usr/sbin/php-fpm8.2 "$FPM_REAL"
need "root's template and php.ini of the test build exist" test -f "$FPM_CONF" -a -f "$FPM_INI"
need "the test build's PHP_FPM_CONF is $FPM_CONF" \
    eval "'$BIN' -V 2>/dev/null | grep -qxF 'PHP_FPM_CONF=$FPM_CONF'"
need "127.0.0.2 is a loopback address here (the other client)" \
    eval "ip -o addr show dev lo | grep -q 'inet 127\.0\.0\.1/8'"
for s in alice bob; do
    need "docroot $DOCROOT/$s has index.php" test -f "$DOCROOT/$s/index.php"
done
for f in nginx/fcgi-suexec-fpm-site.conf nginx/README.md spawn-fcgi/fcgi-suexec-spawn \
    spawn-fcgi/README.md supervisor/fcgi-suexec-fpm-alice.conf supervisor/README.md \
    systemd/fcgi-suexec@.socket systemd/fcgi-suexec@.service systemd/fpm.conf systemd/README.md \
    systemd/fcgi-suexec@.service.d/limits.conf systemd/fcgi-suexec@alice.service.d/limits.conf \
    apache-fpm/fcgi-suexec-fpm-vhost.conf apache-fpm/README.md README.md; do
    need "examples/$f is shipped" test -s "$EX/$f"
done
needs_met

nginx_setup
# the page: who answers, from which process, with which php.ini; what of the
# caller's environment and a Proxy: header reached PHP
printf '%s\n' '<?php' 'echo "uid=", posix_getuid(), "\npid=", getmypid(), "\nppid=", posix_getppid(),' \
    '    "\nsapi=", PHP_SAPI, "\nini=", php_ini_loaded_file(), "\nPHPRC=[", getenv("PHPRC"),' \
    '    "]\nHTTP_PROXY=[", getenv("HTTP_PROXY"), "]\n";' >"$WORK/page.php"
for s in alice bob; do
    install -o "fsx$s" -g "fsx$s" -m 0644 "$WORK/page.php" "$DOCROOT/$s/$PAGE"
    printf '<?php echo "ran\\n";\n' >"$WORK/up"
    install -o "fsx$s" -g "fsx$s" -m 0644 "$WORK/up" "$DOCROOT/$s/$UPLOAD"
done
MARKER=fsx47-alice-$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')
echo "$MARKER" >"$WORK/secret"
install -o fsxalice -g fsxalice -m 0644 "$WORK/secret" "$DOCROOT/alice/$BSECRET"
echo "bob's plain file" >"$WORK/plain"
install -o fsxbob -g fsxbob -m 0644 "$WORK/plain" "$DOCROOT/bob/$BPLAIN"
ln -sfn "$DOCROOT/alice/$BSECRET" "$DOCROOT/bob/$BLINK" && chown -h fsxbob:fsxbob "$DOCROOT/bob/$BLINK"

# --- the checks on a php-fpm tree ---------------------------------------------

# wait_master NAME PID: a test: PID became php-fpm's master (bounded: 100 x 0.1 s); sets MASTER[NAME]
wait_master() {
    local name=$1 pid=$2 real _
    real=$(readlink -f "$FPM_REAL")
    MASTER[$name]=
    for _ in $(seq 100); do
        [ -n "$pid" ] || break
        if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$real" ] &&
            tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '^php-fpm: master process'; then
            MASTER[$name]=$pid
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    ok "$name: pid ${pid:-?} became php-fpm's master" test -n "${MASTER[$name]}"
}

# kids PID: php-fpm's children of PID in $K (space-separated), each noted in KIDS for the cleanup
K=''
kids() {
    local k
    K=
    for k in $(pgrep -P "$1" 2>/dev/null); do
        KIDS+=("$k")
        K="$K $k"
    done
    K=${K# }
}

# alive PID: PID runs (a zombie does not)
alive() { [ -d "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# proc_is NAME PID USER WHAT: PID is php-fpm8.2 as USER, confined
proc_is() {
    local name=$1 pid=$2 uid gid
    uid=$(id -u "$3") gid=$(id -g "$3")
    is "$(readlink "/proc/$pid/exe" 2>&1)" "$(readlink -f "$FPM_REAL")" "$name: $4 $pid runs $FPM_REAL"
    is "$(status_field "$pid" Uid)/$(status_field "$pid" Gid)" "$uid $uid $uid $uid/$gid $gid $gid $gid" \
        "$name: $4 $pid: real/effective/saved/fs uid and gid = $3"
    is "$(status_field "$pid" NoNewPrivs)/$(status_field "$pid" Seccomp)" 1/2 "$name: $4 $pid: NoNewPrivs 1, Seccomp 2"
    is "$(status_field "$pid" CapEff)/$(status_field "$pid" CapPrm)/$(status_field "$pid" CapBnd)" \
        0000000000000000/0000000000000000/0000000000000000 "$name: $4 $pid: no capabilities"
}

# fd_of PID INODE: the descriptors of PID on socket INODE
fd_of() {
    local f held=
    for f in /proc/"$1"/fd/*; do
        [ -n "$2" ] && [ "$(sock_inode_of_fd "$1" "${f##*/}")" = "$2" ] && held="$held ${f##*/}"
    done
    echo "${held# }"
}

# master_checks NAME USER SOCKET [CALLER_LIMITS]: the master MASTER[NAME]
master_checks() {
    local name=$1 u=$2 sock=$3 pid=${MASTER[$1]:-} inode fds
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
        ok "$name: the master is running (pid ${pid:-none})" false
        return 1
    fi
    proc_is "$name" "$pid" "$u" master
    is "$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed 's/ *$//')" "php-fpm: master process ($FPM_CONF)" \
        "$name: the master reads root's template $FPM_CONF"
    inode=$(listen_inode "$sock")
    fds=$(fd_of "$pid" "$inode")
    like "$fds" '^[0-9]+$' "$name: the master holds the listening socket $sock (inode ${inode:-none}) on one descriptor (fd ${fds:-none})"
    is "$(readlink "/proc/$pid/fd/0")" /dev/null "$name: ... not fd 0 (php-fpm puts /dev/null there; FPM_SOCKETS names the socket's)"
    limits_are_defaults "$name: master" "$(proc_limits "$pid")" "${4:-}"
}

# page_checks NAME USER: $body of the test's page: a child of MASTER[NAME], as USER
page_checks() {
    local name=$1 uid pid ppid
    uid=$(id -u "$2")
    pid=$(sed -n 's/^pid=//p' <<<"$body") ppid=$(sed -n 's/^ppid=//p' <<<"$body")
    is "$(grep -E '^(uid|sapi|ini)=' <<<"$body" | paste -sd' ')" "uid=$uid sapi=fpm-fcgi ini=$FPM_INI" \
        "$name: the page: $2's uid, php-fpm (PHP_SAPI fpm-fcgi), root's php.ini"
    is "$ppid" "${MASTER[$name]:-none}" "$name: the page's process is a child of the master ${MASTER[$name]:-}"
    KIDS+=("${pid:-}")
    if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
        proc_is "$name" "$pid" "$2" "child"
        is "$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed 's/ *$//')" "php-fpm: pool $2" "$name: child $pid: of the pool $2 (root's template: [\${USER}])"
    else
        ok "$name: the child ${pid:-?} that made the page still runs (pm.process_idle_timeout 10 s)" false
    fi
}

# tree_checks NAME USER: MASTER[NAME] and its children: all USER's, none root's
tree_checks() {
    local name=$1 uid pids p ids=''
    uid=$(id -u "$2")
    kids "${MASTER[$1]:-0}"
    pids="${MASTER[$1]:-} $K"
    for p in $pids; do ids="$ids $(status_field "$p" Uid)"; done
    ok "$name: the tree has the master and a child at least ($pids)" test "$(wc -w <<<"$pids")" -ge 2
    is "$(tr ' ' '\n' <<<"$ids" | sed '/^$/d' | sort -u | paste -sd' ')" "$uid" \
        "$name: every uid of every process of the tree ($pids) is $2's: none root's"
}

# --- spawn-fcgi --------------------------------------------------------------------
# The script as shipped, WORKER=fpm; its settings from the environment, which
# also carries what must not reach PHP (PHPRC, HTTP_PROXY, LD_*).

SOCK[spawn]=$WORK/spawn/alice.sock
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FCGI_SUEXEC="$BIN" PHP_VERSION=8.2 WORKER=fpm \
    HTTPD_USER=fsxweb HTTPD_GROUP=fsxweb SOCKET_DIR="$WORK/spawn" \
    PHPRC=/tmp HTTP_PROXY=http://127.0.0.1:1/ LD_LIBRARY_PATH=/tmp \
    timeout 20 "$EX/spawn-fcgi/fcgi-suexec-spawn" fsxalice fsxalice "$DOCROOT/alice" \
    </dev/null >"$WORK/spawn.out" 2>&1
is "$?" 0 "spawn-fcgi: WORKER=fpm fcgi-suexec-spawn fsxalice fsxalice $DOCROOT/alice exits 0" \
    || diag "$(cat "$WORK/spawn.out")"
wait_file "$WORK/spawn/alice.pid"
ok "spawn-fcgi: wrote the pid file $WORK/spawn/alice.pid" test -s "$WORK/spawn/alice.pid"
WORKER_PID[spawn]=$(tr -dc 0-9 <"$WORK/spawn/alice.pid" 2>/dev/null)
WORKER_SOCK[spawn]=${SOCK[spawn]}
wait_master spawn "${WORKER_PID[spawn]}" || diag "$(cat "$WORK/spawn.out")"
is "$(stat -c '%F %U:%G %a' "${SOCK[spawn]}" 2>&1)" "socket fsxweb:fsxweb 660" \
    "spawn-fcgi: the socket is fsxweb's, mode 0660 (-U/-G/-M)"
master_checks spawn fsxalice "${SOCK[spawn]}"
# spawn-fcgi puts /dev/null on its child's stdout and stderr: php-fpm's log is lost
unlike "$(cat "$WORK/spawn.out")" "NOTICE" "spawn-fcgi: php-fpm's log does not reach the script's output (README)"

# refused: only the exit code, and no php-fpm
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FCGI_SUEXEC="$BIN" PHP_VERSION=8.2 WORKER=fpm \
    HTTPD_USER=fsxweb HTTPD_GROUP=fsxweb SOCKET_DIR="$WORK/spawn-refused" \
    timeout 20 "$EX/spawn-fcgi/fcgi-suexec-spawn" fsxalice fsxbob "$DOCROOT/alice" \
    </dev/null >"$WORK/spawn-refused.out" 2>&1
is "$?|$(cat "$WORK/spawn-refused.out")" "104|spawn-fcgi: child exited with: 104" \
    "spawn-fcgi, WORKER=fpm, a refused group: 'child exited with: 104'"
is "$(listen_inode "$WORK/spawn-refused/alice.sock")" "" "spawn-fcgi, refused: nothing listens on its socket"
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin WORKER=php-fpm SOCKET_DIR="$WORK/spawn-bad" \
    timeout 20 "$EX/spawn-fcgi/fcgi-suexec-spawn" fsxalice </dev/null >"$WORK/spawn-bad.out" 2>&1
is "$?|$(cat "$WORK/spawn-bad.out")" "2|usage: fcgi-suexec-spawn USER [GROUP [DOCROOT]]" \
    "spawn-fcgi: WORKER=php-fpm (not a worker the launcher knows): the script's usage, exit 2"

# --- supervisord ---------------------------------------------------------------------

S=$WORK/supervisor
mkdir -p "$S/run" "$S/conf.d" "$S/log"
chmod 0755 "$S" "$S/run"
SOCK[supervisor]=$S/run/alice.sock
render "$EX/supervisor/fcgi-suexec-fpm-alice.conf" "$S/conf.d/alice.conf" \
    "s#^command=/usr/local/sbin/fcgi-suexec -p 8.2 -w fpm alice alice /var/www/alice\$#command=$BIN -p 8.2 -w fpm fsxalice fsxalice $DOCROOT/alice#" \
    "s#/run/fcgi-suexec/#$S/run/#" "s#www-data#fsxweb#g"
ok "supervisor: the example runs the launcher, -w fpm, as its command" \
    grep -qx "command=$BIN -p 8.2 -w fpm fsxalice fsxalice $DOCROOT/alice" "$S/conf.d/alice.conf"
for l in numprocs=1 stopsignal=QUIT killasgroup=true user=fsxweb; do
    ok "supervisor: the example sets $l" grep -qx "$l" "$S/conf.d/alice.conf"
done
# shellcheck disable=SC2119 # no line of its own to add
start_supervisord
sup_wait_running started
wait_master supervisor "$(cat "$S/alice.pid" 2>/dev/null)"
is "$(ppid_of "${MASTER[supervisor]:-0}")" "$SUP_PID" \
    "supervisor: the master is supervisord's own child (the launcher exec'd in place)"
is "$(ps -o pgid= -p "${MASTER[supervisor]:-0}" | tr -d ' ')" "${MASTER[supervisor]:-none}" \
    "supervisor: the master leads its process group (killasgroup reaches its children)"
is "$(stat -c '%F %U:%G %a' "${SOCK[supervisor]}" 2>&1)" "socket fsxweb:fsxweb 660" \
    "supervisor: supervisord made the socket, fsxweb's, mode 0660"
master_checks supervisor fsxalice "${SOCK[supervisor]}" "$(proc_limits "${SUP_PID:-0}")"
like "$(cat "$S"/log/alice-*.log 2>/dev/null)" "NOTICE: ready to handle connections" \
    "supervisor: php-fpm's log (stderr) is in the program's log"

# --- systemd: the units --------------------------------------------------------------

D=$WORK/systemd
mkdir -p "$D/verify" "$D/units" "$D/run"
chmod 0755 "$D" "$D/run"
SOCKU=$EX/systemd/fcgi-suexec@.socket
SERVU=$EX/systemd/fcgi-suexec@.service
FPMD=$EX/systemd/fpm.conf
DROPALL=$EX/systemd/fcgi-suexec@.service.d/limits.conf
DROPSITE=$EX/systemd/fcgi-suexec@alice.service.d/limits.conf

# what the drop-in must say (its lines without comments, in order)
fpmd=$(grep -Ev '^[[:space:]]*([#;]|$)' "$FPMD")
like "$fpmd" "^\[Service\]$nl" "systemd: fpm.conf is a [Service] drop-in"
like "$fpmd" "${nl}ExecStart=${nl}ExecStart=/usr/local/sbin/fcgi-suexec -p 8\.2 -w fpm %i %i /var/www/%i($nl|\$)" \
    "systemd: fpm.conf resets ExecStart= and runs the launcher with -p 8.2 -w fpm"
# shellcheck disable=SC2016 # $MAINPID is systemd's
for l in Type=simple Environment= KillMode=mixed KillSignal=SIGQUIT RestartPreventExitStatus=78 \
    'ExecReload=+/bin/kill -USR2 $MAINPID'; do
    ok "systemd: fpm.conf has $l" grep -qxF "$l" <<<"$fpmd"
done
nnp=$(grep -E '^[[:space:]]*(NoNewPrivileges|DynamicUser|LockPersonality|MemoryDenyWriteExecute|PrivateDevices|ProtectClock|ProtectHostname|ProtectKernelLogs|ProtectKernelModules|ProtectKernelTunables|RestrictAddressFamilies|RestrictNamespaces|RestrictRealtime|RestrictSUIDSGID|SystemCallArchitectures|SystemCallFilter|SystemCallLog|CapabilityBoundingSet|PrivateUsers|SecureBits|User|Group)=' <<<"$fpmd")
is "$nnp" "" "systemd: fpm.conf sets no NoNewPrivileges, nor an option implying it, nor another User=/Group="

# systemd-analyze verify: copies whose only change is the launcher's path (the
# test build, a file that exists here): the drop-in as alice's own, then as
# every site's beside both limits drop-ins (for alice and for bob)
verify() { # DIR [INSTANCE]: output in $vout, status in $vrc
    vout=$(cd "$1" && timeout 60 systemd-analyze verify --man=no \
        "$1/fcgi-suexec@${2:-alice}.socket" "$1/fcgi-suexec@${2:-alice}.service" 2>&1)
    vrc=$?
}
verify_tree() { # DIR DROPIN-DIR
    mkdir -p "$1/$2"
    cp "$SOCKU" "$SERVU" "$1/"
    cp "$FPMD" "$1/$2/fpm.conf"
    sed -i "s#^ExecStart=/usr/local/sbin/fcgi-suexec #ExecStart=$BIN #" "$1/fcgi-suexec@.service" "$1/$2/fpm.conf"
}
verify_tree "$D/verify/site" "fcgi-suexec@alice.service.d"
verify "$D/verify/site"
is "$vrc/$(grep -E 'fcgi-suexec|/verify/' <<<"$vout")" 0/ \
    "systemd: systemd-analyze verify of fcgi-suexec@alice with fpm.conf as her drop-in: exit 0, nothing said"
[ -z "$vout" ] || diag "systemd-analyze verify said: $vout"
verify_tree "$D/verify/all" "fcgi-suexec@.service.d"
cp "$DROPALL" "$D/verify/all/fcgi-suexec@.service.d/"
mkdir -p "$D/verify/all/fcgi-suexec@alice.service.d"
cp "$DROPSITE" "$D/verify/all/fcgi-suexec@alice.service.d/"
for i in alice bob; do
    verify "$D/verify/all" "$i"
    is "$vrc/$(grep -E 'fcgi-suexec|/verify/' <<<"$vout")" 0/ \
        "systemd: verify of fcgi-suexec@$i with fpm.conf as every site's drop-in, beside the limits drop-ins: clean"
    [ -z "$vout" ] || diag "systemd-analyze verify said: $vout"
done
# the controls: verify reads the drop-in (its ExecStart= binary missing is
# reported), and its "ExecStart=" line is what lets it replace the unit's
cp -r "$D/verify/site" "$D/verify/missing"
sed -i 's#^ExecStart=/[^ ]*#ExecStart=/nonexistent/fcgi-suexec#' "$D/verify/missing/fcgi-suexec@alice.service.d/fpm.conf"
verify "$D/verify/missing"
like "$vout" "/nonexistent/fcgi-suexec.*(not executable|No such file)" \
    "systemd: (control) verify reports the drop-in's missing ExecStart= binary: the drop-in is read"
cp -r "$D/verify/site" "$D/verify/noreset"
sed -i '/^ExecStart=$/d' "$D/verify/noreset/fcgi-suexec@alice.service.d/fpm.conf"
verify "$D/verify/noreset"
like "$vout" "more than one ExecStart" \
    "systemd: (control) without its 'ExecStart=' line the drop-in would add a second command: refused"

# --- systemd: the activation, by systemd-socket-activate --------------------------

render "$SOCKU" "$D/units/fcgi-suexec@.socket" "s#/run/fcgi-suexec/#$D/run/#" "s#www-data#fsxweb#g"
render "$SERVU" "$D/units/fcgi-suexec@.service" \
    "s#^ExecStart=/usr/local/sbin/fcgi-suexec %i %i /var/www/%i\$#ExecStart=$BIN -p 8.2 fsx%i fsx%i $DOCROOT/%i#" \
    "s#www-data#fsxweb#g"
mkdir -p "$D/units/fcgi-suexec@.service.d"
render "$FPMD" "$D/units/fcgi-suexec@.service.d/fpm.conf" \
    "s#^ExecStart=/usr/local/sbin/fcgi-suexec -p 8.2 -w fpm %i %i /var/www/%i\$#ExecStart=$BIN -p 8.2 -w fpm fsx%i fsx%i $DOCROOT/%i#"
# unit_key INSTANCE KEY FILE...: KEY's value as systemd merges the unit and its
# drop-ins (read in order; an empty "KEY=" resets a list), %i = INSTANCE
unit_key() {
    local i=$1 k=$2; shift 2
    awk -v k="$k=" 'index($0, k) == 1 { v = substr($0, length(k) + 1)
        a = v == "" ? "" : (a == "" ? v : a " " v) } END { print a }' "$@" | sed "s/%i/$i/g"
}
SERV_FILES=("$D/units/fcgi-suexec@.service" "$D/units/fcgi-suexec@.service.d/fpm.conf")
verify "$D/units" alice
is "$vrc/$(grep -E 'fcgi-suexec|/units/' <<<"$vout")" 0/ "systemd: verify of the rendered units: clean"
[ -z "$vout" ] || diag "systemd-analyze verify said: $vout"

# activate INSTANCE [ACCEPT]: what pid 1 would do for fcgi-suexec@INSTANCE.socket
# (ACCEPT: with Accept=yes): systemd-socket-activate (root) makes the socket
# and, at the first connection, execs setpriv (User=, Group=), which execs the
# merged ExecStart=: one pid, LISTEN_FDS=1, LISTEN_PID; the merged Environment=.
# Sets SOCK[sd-INSTANCE], WORKER_PID[sd-INSTANCE]; the socket gets SocketUser=,
# SocketGroup=, SocketMode= once it listens (bounded: 100 x 0.1 s).
activate() {
    local i=$1 n=sd-$1 s u g ex env=() e acc=() _
    s=$(unit_key "$i" ListenStream "$D/units/fcgi-suexec@.socket")
    u=$(unit_key "$i" User "${SERV_FILES[@]}") g=$(unit_key "$i" Group "${SERV_FILES[@]}")
    read -r -a ex <<<"$(unit_key "$i" ExecStart "${SERV_FILES[@]}")"
    for e in $(unit_key "$i" Environment "${SERV_FILES[@]}"); do env+=(-E "$e"); done
    [ -n "${2:-}" ] && acc=(--accept) n=sd-$i-accept s=${s%.sock}-accept.sock
    SOCK[$n]=$s
    rm -f "$s"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin systemd-socket-activate "${acc[@]}" -l "$s" \
        --fdname="fcgi-suexec@$i.socket" "${env[@]}" -- \
        "$(command -v setpriv)" --reuid "$u" --regid "$g" --init-groups -- "${ex[@]}" \
        </dev/null >"$WORK/$n.out" 2>"$WORK/$n.err" &
    WORKER_PID[$n]=$! WORKER_SOCK[$n]=$s
    for _ in $(seq 100); do
        [ -n "$(listen_inode "$s")" ] && break
        sleep 0.1
    done
    chown "$(unit_key "$i" SocketUser "$D/units/fcgi-suexec@.socket"):$(unit_key "$i" SocketGroup "$D/units/fcgi-suexec@.socket")" "$s" &&
        chmod "$(unit_key "$i" SocketMode "$D/units/fcgi-suexec@.socket")" "$s"
    is "$(stat -c '%F %U:%G %a' "$s" 2>&1)/$u:$g/${ex[*]}/${env[*]}" \
        "socket fsxweb:fsxweb 660/fsxweb:fsxweb/$BIN -p 8.2 -w fpm fsx$i fsx$i $DOCROOT/$i/" \
        "systemd: fcgi-suexec@$i: listening on $s (SocketUser/Group/Mode), User:Group, the drop-in's ExecStart, no Environment"
}
activate alice
SOCK[systemd]=${SOCK[sd-alice]}
WORKER_PID[systemd]=${WORKER_PID[sd-alice]}
is "$(readlink "/proc/${WORKER_PID[systemd]}/exe")" "$(readlink -f "$(command -v systemd-socket-activate)")" \
    "systemd: before the first connection no php-fpm runs: the socket waits (socket activation)"

# Accept=yes in the socket unit: each connection a service of its own, given
# the connected socket: the launcher refuses it, and no php-fpm starts
activate bob accept
curl -sS --max-time 5 --unix-socket "${SOCK[sd-bob-accept]}" -o /dev/null http://x/ 2>/dev/null
for _ in $(seq 100); do   # bounded: 100 x 0.1 s
    grep -q 'died with code' "$WORK/sd-bob-accept.err" && break
    sleep 0.1
done
like "$(cat "$WORK/sd-bob-accept.err")" "fcgi-suexec: socket: [^$nl]*listening" \
    "systemd, Accept=yes: the launcher refuses the connected socket ('socket: ... listening')"
like "$(cat "$WORK/sd-bob-accept.err")" "died with code 107" "systemd, Accept=yes: exit 107"
unlike "$(cat "$WORK/sd-bob-accept.err")" "NOTICE: fpm is running" "systemd, Accept=yes: no php-fpm started"
stop_pid "${WORKER_PID[sd-bob-accept]}"

# --- nginx: the example server block, once per caller -------------------------------

for c in "${CALLERS[@]}"; do
    render "$EX/nginx/fcgi-suexec-fpm-site.conf" "$WORK/site-$c.conf" \
        "s#listen 80;#listen 127.0.0.1:@PORT@;#" \
        "s#server_name alice.example;#server_name alice.$c.test;#" \
        "s#/var/www/#$DOCROOT/#g" \
        "s#unix:/run/fcgi-suexec/alice.sock;#unix:${SOCK[$c]};#g"
done
is "$(grep -c "fastcgi_pass unix:${SOCK[spawn]};" "$WORK/site-spawn.conf")" 2 \
    "nginx example: *.php and php-fpm's pages go to the site's socket"
nginx_servers() { # PORT
    write_fastcgi_params "$WORK/nginx/fastcgi_params"
    default_server "$1"
    for c in "${CALLERS[@]}"; do sed "s/@PORT@/$1/" "$WORK/site-$c.conf"; done
}
start_nginx 18500 18519 || done_testing

for c in "${CALLERS[@]}"; do
    fetch "alice.$c.test" "/$PAGE" -H "Proxy: http://127.0.0.1:1/"
    is "$code" 200 "$c: GET /$PAGE through nginx: HTTP 200" || diag "$(fetch_diag)"
    [ "$c" = systemd ] && wait_master systemd "${WORKER_PID[systemd]}"
    page_checks "$c" fsxalice
    is "$(grep -E '^(PHPRC|HTTP_PROXY)=' <<<"$body" | paste -sd' ')" "PHPRC=[] HTTP_PROXY=[]" \
        "$c: neither the caller's PHPRC nor a Proxy: header reach PHP"
    tree_checks "$c" fsxalice
    fetch "alice.$c.test" /index.php
    is "$code/$body" "200/uid=$AU" "$c: GET /index.php: alice's uid"
    fetch "alice.$c.test" /fpm-ping
    is "$code/$body" "200/pong" "$c: /fpm-ping from 127.0.0.1: pong (ping.path)"
    fetch "alice.$c.test" /fpm-status
    like "$code/$body" "^200/pool: +fsxalice${nl}process manager: +ondemand$nl" \
        "$c: /fpm-status from 127.0.0.1: pool fsxalice, ondemand (pm.status_path)"
    for p in /fpm-status /fpm-ping; do
        fetch "alice.$c.test" "$p" --interface 127.0.0.2
        is "$code" 403 "$c: $p from 127.0.0.2: 403 (allow 127.0.0.1; deny all)"
    done
done
master_checks systemd fsxalice "${SOCK[systemd]}"
is "$(grep -c 'NOTICE: ready to handle connections' "$WORK/sd-alice.err")" 1 \
    "systemd: php-fpm's log (stderr) is the unit's (the journal)"
fetch alice.spawn.test /no-such-page.php
is "$code" 404 "nginx example: a .php that does not exist is nginx's 404 (try_files)"
fetch alice.spawn.test "/$UPLOAD/x.php"
is "$code" 404 "nginx example: /$UPLOAD/x.php: 404, the upload is not run"
unlike "$body" "ran" "nginx example: ... and its PHP did not run"

# --- Apache + mod_proxy_fcgi -> fcgi-suexec@bob (the socket unit) --------------------

activate bob
SOCK[apache]=${SOCK[sd-bob]}
WORKER_PID[apache]=${WORKER_PID[sd-bob]}
AWORK=$(mktemp -d /tmp/fsx-47-apache.XXXXXX) || bail "mktemp failed"
chmod 0755 "$AWORK"
render "$EX/apache-fpm/fcgi-suexec-fpm-vhost.conf" "$AWORK/vhost.conf" \
    "s#<VirtualHost \*:80>#<VirtualHost *:@PORT@>#" "s#ServerName alice.example#ServerName bob.apache.test#" \
    "s#/var/www/alice#$DOCROOT/bob#g" "s#unix:/run/fcgi-suexec/alice.sock|#unix:${SOCK[apache]}|#g"
is "$(grep -c "SetHandler \"proxy:unix:${SOCK[apache]}|fcgi://localhost\"" "$AWORK/vhost.conf")" 2 \
    "Apache example: *.php and php-fpm's pages go to the site's socket through mod_proxy_fcgi"
apache_fp() { # the machine's Apache setup: listing, metadata and contents
    find /etc/apache2 /var/log/apache2 /var/lib/apache2 /run/apache2 -printf '%p|%y|%m|%U:%G|%s|%T@|%l\n' 2>/dev/null | sort
    find /etc/apache2 -type f -exec sha256sum {} + 2>/dev/null | sort
}
APACHE_FP=$(apache_fp | sha256sum)
apache_conf() { # PORT
    apache_conf_head "$1" authz_host headers proxy proxy_fcgi
    sed "s/@PORT@/$1/" "$AWORK/vhost.conf"
}
start_apache 18520 18539
# shellcheck disable=SC2034 # PORT: read by nginx.sh's fetch
afetch() { local PORT=$APORT; fetch "$@"; }   # nginx.sh's fetch, to Apache's port
adiag() { diag "curl: $(cat "$WORK/curl.err" 2>/dev/null)${nl}error.log: $(tail -n 8 "$AWORK/logs/error.log" 2>/dev/null)"; }

ok "apache: bob's socket waits, no php-fpm yet" \
    test "$(readlink "/proc/${WORKER_PID[apache]}/exe")" = "$(readlink -f "$(command -v systemd-socket-activate)")"
afetch bob.apache.test "/$PAGE" -H "Proxy: http://127.0.0.1:1/"
is "$code" 200 "apache: GET /$PAGE through mod_proxy_fcgi: HTTP 200" || adiag
wait_master apache "${WORKER_PID[apache]}"
page_checks apache fsxbob
is "$(grep -E '^HTTP_PROXY=' <<<"$body")" "HTTP_PROXY=[]" "apache: a Proxy: header does not reach PHP (RequestHeader unset Proxy early)"
tree_checks apache fsxbob
master_checks apache fsxbob "${SOCK[apache]}"
afetch bob.apache.test /
is "$code/$body" "200/uid=$BU" "apache: GET / (DirectoryIndex index.php): bob's uid"
afetch bob.apache.test /no-such-page.php
is "$code" 404 "apache: a .php that does not exist: Apache's 404 (<If -f>)"
unlike "$body" "File not found" "apache: ... not php-fpm's 'File not found.'"
afetch bob.apache.test "/$UPLOAD/x.php"
is "$code" 404 "apache: /$UPLOAD/x.php: 404, the upload is not run"
unlike "$body" "ran" "apache: ... and its PHP did not run"
afetch bob.apache.test /fpm-ping
is "$code/$body" "200/pong" "apache: /fpm-ping from 127.0.0.1: pong"
afetch bob.apache.test /fpm-status
like "$code/$body" "^200/pool: +fsxbob$nl" "apache: /fpm-status from 127.0.0.1: pool fsxbob"
for p in /fpm-status /fpm-ping; do
    afetch bob.apache.test "$p" --interface 127.0.0.2
    is "$code" 403 "apache: $p from 127.0.0.2: 403 (Require ip 127.0.0.1)"
done
like "$(as_user fsxweb cat "$DOCROOT/bob/$BLINK")" "^$MARKER\$" \
    "control: file modes let Apache's user read alice's file through bob's link"
afetch bob.apache.test "/$BLINK"
is "$code" 403 "apache: bob's link to alice's file: 403 (SymLinksIfOwnerMatch)"
unlike "$body" "$MARKER" "apache: ... and alice's file is not in the answer"
afetch bob.apache.test "/$BPLAIN"
is "$code/$body" "200/bob's plain file" "control: apache serves bob's plain file"


# --- systemd: reload and stop, as pid 1 would ---------------------------------------

# ExecReload=+/bin/kill -USR2 $MAINPID: root signals the master; php-fpm
# re-execs itself by its path, the same pid, on the same socket
m=${MASTER[systemd]:-0}
read -r -a reload <<<"$(unit_key alice ExecReload "${SERV_FILES[@]}" | sed "s/^+//; s/\\\$MAINPID/$m/")"
is "${reload[*]}" "/bin/kill -USR2 $m" "systemd: ExecReload= for the master $m"
# root gives alice pm = dynamic meanwhile: the launcher reads it at a start only
[ -d "$LIMDIR" ] || { install -d -m 0755 "$LIMDIR" && LIMDIR_MADE=1; }
[ -d "$LIMDIR/fsxalice" ] || { install -d -m 0755 "$LIMDIR/fsxalice" && LIMSITE_MADE=1; }
echo dynamic >"$LIMDIR/fsxalice/pm" && chmod 0644 "$LIMDIR/fsxalice/pm"
timeout 10 "${reload[@]}"
for _ in $(seq 100); do   # bounded: 100 x 0.1 s
    [ "$(grep -c 'NOTICE: ready to handle connections' "$WORK/sd-alice.err")" -ge 2 ] && break
    sleep 0.1
done
like "$(cat "$WORK/sd-alice.err")" "NOTICE: reloading: execvp\(\"$FPM_REAL\"" "systemd: reload: php-fpm re-execs $FPM_REAL"
is "$(grep -c 'NOTICE: ready to handle connections' "$WORK/sd-alice.err")" 2 "systemd: reload: ready again"
fetch alice.systemd.test "/$PAGE"
is "$code" 200 "systemd: after the reload the page is served" || diag "$(fetch_diag)"
page_checks systemd fsxalice
master_checks systemd fsxalice "${SOCK[systemd]}"
fetch alice.systemd.test /fpm-status
like "$body" "${nl}process manager: +ondemand$nl" \
    "systemd: after the reload, pm is still the launcher's from the start (ondemand), not root's new file's (README: restart)"

# stop: KillMode=mixed, KillSignal=SIGQUIT: the signal to the master alone;
# it stops its children and exits within TimeoutStopSec= (bounded here: 15 s)
stopsig=$(unit_key alice KillSignal "${SERV_FILES[@]}")
for n in systemd apache; do
    kids "${MASTER[$n]:-0}"
    m=${MASTER[$n]:-} k=$K
    kill -s "${stopsig#SIG}" "${m:-0}" 2>/dev/null
    for _ in $(seq 150); do
        kill -0 "${m:-0}" 2>/dev/null || break
        sleep 0.1
    done
    wait "${m:-0}" 2>/dev/null
    left=
    for p in $m $k; do [ -d "/proc/$p" ] && left="$left $p"; done
    is "$left" "" "$n: $stopsig to the master ($m) alone: it and its children ($k) are gone"
done
like "$(cat "$WORK/sd-alice.err")" "NOTICE: Finishing \.\.\." "systemd: SIGQUIT is php-fpm's graceful stop ('Finishing ...')"
# a start (here: a new activation) takes root's new pm value
activate alice
fetch alice.systemd.test /fpm-status
like "$code/$body" "^200/.*${nl}process manager: +dynamic$nl" "systemd: restarted, the pool has root's pm = dynamic"
wait_master systemd "${WORKER_PID[sd-alice]}"
stop_pid "${MASTER[systemd]:-}"
rm -f "$LIMDIR/fsxalice/pm"
# nothing listens on bob's socket now (the unit stopped, its socket unit too):
# Apache's answer and log
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H 'Host: bob.apache.test' \
    "http://127.0.0.1:$APORT/$PAGE" 2>/dev/null)   # once: fetch would retry a 503
is "$code" 503 "apache: bob's php-fpm stopped: HTTP 503"
like "$(cat "$AWORK/logs/error.log")" "AH01079: failed to make connection to backend" \
    "apache: error.log: AH01079, failed to make connection to backend"
stop_apache
is "$(apache_fp | sha256sum)" "$APACHE_FP" "apache: the machine's /etc/apache2 and Apache's state directories unchanged"

# --- supervisord: restart, then stop ------------------------------------------------

old=${MASTER[supervisor]:-}
out=$(supctl restart alice)
like "$out" "alice: started" "supervisor: supervisorctl restart alice" || diag "$out"
sup_wait_running restarted
wait_master supervisor "$(cat "$S/alice.pid" 2>/dev/null)"
ok "supervisor: a new master (pid $old -> ${MASTER[supervisor]:-none})" test "${MASTER[supervisor]:-$old}" != "$old"
fetch alice.supervisor.test "/$PAGE"
is "$code" 200 "supervisor: after the restart the page is served" || diag "$(fetch_diag)"
page_checks supervisor fsxalice
kids "${MASTER[supervisor]:-0}"
is "$(for p in $K; do ps -o pgid= -p "$p"; done | tr -d ' ' | sort -u)" "${MASTER[supervisor]:-none}" \
    "supervisor: the children ($K) are in the master's process group (killasgroup)"
sup=$SUP_PID m=${MASTER[supervisor]:-} k=$K
stop_supervisord
ok "supervisor: supervisord stopped (pid $sup)" test ! -d "/proc/$sup"
left=
for p in $m $k; do [ -d "/proc/$p" ] && left="$left $p"; done
is "$left" "" "supervisor: and its php-fpm master ($m) and children ($k) with it"

# --- spawn-fcgi: stop as its README says -----------------------------------------------

fetch alice.spawn.test "/$PAGE"   # a child to stop with it
is "$code" 200 "spawn-fcgi: the page, once more" || diag "$(fetch_diag)"
kids "${MASTER[spawn]:-0}"
m=${MASTER[spawn]:-} k=$K
kill "$(cat "$WORK/spawn/alice.pid")"
for _ in $(seq 100); do   # bounded: 100 x 0.1 s (an orphan: init reaps it, late)
    alive "${m:-0}" || break
    sleep 0.1
done
left=
for p in $m $k; do alive "$p" && left="$left $p"; done
is "$left" "" "spawn-fcgi: kill \"\$(cat alice.pid)\" ends the master ($m) and its children ($k)"

done_testing
