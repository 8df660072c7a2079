#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 48-fpm-isolation.t - what one php-fpm master per site ("fcgi-suexec -w fpm")
# isolates that a shared php-fpm (one root master, one pool per site) does
# not, end to end with real components (issue 15, item 4):
#
#   alice.test  -> php-fpm8.2 master as fsxalice, started by fsxweb as
#                  fdsock unix SOCK -- $BIN -w fpm fsxalice fsxalice $DOCROOT/alice
#   bob.test    -> the same for fsxbob, a master of its own
#   salice.test -> the control: a stock php-fpm8.2 master started here as
#   sbob.test      root (a private -y config, -c the same php.ini, -p a temp
#                  dir: pid file and error log there), pools fsxalice and fsxbob
#
# the same pages (iso.php, same.php) served from the same docroots both ways.
# What is asserted, from inside the PHP processes where possible (the page
# prints posix_getuid(), getmypid(), posix_getppid(), opcache_get_status()):
#
#   a. opcache: /same.php, different in each docroot, serves each site its
#      own, again and again once both are cached; alice's opcache_get_status
#      lists her scripts alone (none of bob's paths, the count hers), and so
#      bob's; alice's opcache_reset() leaves bob's cache as it was. Control:
#      under the shared master alice's status DOES list bob's same.php, and
#      her opcache_reset() empties bob's cache too.
#   b. settings: root's per-site request_terminate_timeout for alice only
#      (2 s): her 4-second request is killed, bob's completes; a .user.ini in
#      alice's docroot (memory_limit) is not seen by bob (under the shared
#      master neither, as measured: .user.ini is per directory anyway).
#   c. restart: alice's master stopped (SIGTERM) and started again through
#      the launcher: bob's master answers every request meanwhile (alice's
#      fail while she is down), and alice serves again afterwards.
#   d. no root: every process of each site's tree (the master and the
#      children spawned by concurrent requests) has all four uids and gids
#      the site's, the master included; the control's master is root.
#
# The nginx and the stock php-fpm have their configuration, logs and sockets
# in a temporary directory; nginx listens on 127.0.0.1 (a free port in
# 18480-18499); the system's php-fpm and nginx (their configuration and
# services) are never used. Everything started here is stopped on exit, and
# everything written removed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

A=fsxalice B=fsxbob
AROOT=$DOCROOT/alice BROOT=$DOCROOT/bob
FPM_REAL=/usr/sbin/php-fpm8.2
FPM=$TESTROOT/bin/php-fpm8.2                # the fixture's copy: what the launcher execs
FPM_INI=$TESTROOT/etc/fpm/8.2/php.ini       # the launcher's php.ini for it; the control's too
LD=$TESTROOT/etc/limits
rand() { od -An -tx8 -N8 /dev/urandom | tr -d ' \n'; }
MARK_A=fsx48-alice-$(rand) MARK_B=fsx48-bob-$(rand)
nl=$'\n'
PAGE=/iso.php                                 # what ask() asks
SITES=(alice bob)
declare -A mem=() rtt=()
LOOP=''

STOCK_PID='' STOCK=''
FILES=() MADE_LD='' SEEN=()                   # SEEN: php-fpm pids met, swept on exit
cleanup() {
    local f p
    for f in "${!WORKER_PID[@]}" stock; do
        [ "$f" = stock ] && f=$STOCK_PID || f=${WORKER_PID[$f]}
        [ -n "$f" ] && mapfile -t -O "${#SEEN[@]}" SEEN < <(descendants "$f")
    done
    stop_pid "$LOOP"
    stop_pid "$STOCK_PID"
    nginx_cleanup                             # nginx, the sites' masters, their sockets, WORK
    for p in "${SEEN[@]}"; do                 # a child a master left behind (none expected)
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$FPM")" ] ||
            [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$FPM_REAL" ] && kill -KILL "$p" 2>/dev/null
    done
    for f in "${FILES[@]}"; do rm -f "$f"; done
    [ -n "$MADE_LD" ] && rm -rf "$MADE_LD"
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# descendants PID: PID's children, their children, ... (at most 10 levels)
descendants() {
    local level=("$1") next c p _
    for _ in $(seq 10); do
        next=()
        for p in "${level[@]}"; do
            for c in $(tr ' ' '\n' </proc/"$p"/task/"$p"/children 2>/dev/null); do
                next+=("$c"); echo "$c"
            done
        done
        [ ${#next[@]} -gt 0 ] || break
        level=("${next[@]}")
    done
}

# put FILE OWNER: stdin into FILE (by root), then OWNER:OWNER 0644
put() {
    FILES+=("$1")
    cat >"$1" && chown "$2:$2" "$1" && chmod 0644 "$1"
}

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "real php-fpm8.2 is installed ($FPM_REAL)" test -x "$FPM_REAL"
need "the test build's php-fpm leads to php-fpm8.2" \
    test "$(readlink "$TESTROOT/bin/php-fpm")" = php-fpm8.2 -a -x "$FPM"
need "the launcher's fpm php.ini is there ($FPM_INI)" test -f "$FPM_INI"
need "root's php-fpm template is there" test -f "$TESTROOT/etc/php-fpm.conf"
has_modules() { [ "$("$FPM_REAL" -c "$FPM_INI" -m 2>/dev/null | grep -cxE 'posix|Zend OPcache')" -ge 2 ]; }
need "php-fpm8.2 with that php.ini has posix and Zend OPcache" has_modules
need "docroots $AROOT and $BROOT exist" test -d "$AROOT" -a -d "$BROOT"
need "socket directory $RUNDIR/sock exists" test -d "$RUNDIR/sock"
need "alice has no per-site limits of another test ($LD/$A)" test ! -e "$LD/$A"
needs_met

nginx_setup

# --- the pages --------------------------------------------------------------

page() {
    page_head iso                             # answer(), err(): tests/nginx.sh
    cat <<'PHP'

$arg = $_GET['arg'] ?? '';
switch ($_GET['do'] ?? '') {
case 'id': // after ARG ms: concurrent requests need children of their own
    usleep((int)$arg * 1000);
    answer(true, sprintf('uid=%d euid=%d gid=%d pid=%d ppid=%d', posix_getuid(), posix_geteuid(),
        posix_getgid(), getmypid(), posix_getppid()));
case 'scripts': // this process's view of the opcache: the count, then the paths
    $s = opcache_get_status(true);
    if (!is_array($s))
        answer(false, 'opcache_get_status: ' . err());
    answer(true, 'n=' . $s['opcache_statistics']['num_cached_scripts'] . ' listed=' .
        count($s['scripts'] ?? []) . ' scripts=' . implode(',', array_keys($s['scripts'] ?? [])));
case 'reset':
    answer(opcache_reset(), 'opcache_reset');
case 'ini':
    answer(true, (string)ini_get($arg));
case 'sleep':
    sleep((int)$arg);
    answer(true, "slept $arg");
default:
    answer(false, 'unknown action');
}
PHP
}
put "$AROOT/iso.php" $A < <(page)
put "$BROOT/iso.php" $B < <(page)
put "$AROOT/same.php" $A <<<"<?php echo \"same.php of alice $MARK_A\\n\";"
put "$BROOT/same.php" $B <<<"<?php echo \"same.php of bob $MARK_B\\n\";"
put "$AROOT/.user.ini" $A <<<"memory_limit = 77M"

# root's per-site request_terminate_timeout for alice alone (read at her launch)
MADE_LD=$LD/$A
[ -d "$LD" ] || MADE_LD=$LD
install -d -o root -g root -m 0755 "$LD" "$LD/$A"
printf '2\n' >"$LD/$A/request_terminate_timeout"
chmod 0644 "$LD/$A/request_terminate_timeout"

# --- the sites' masters, started by fsxweb through the launcher -------------

start_fpm_site() { # SITE: in the background, on $RUNDIR/sock/48-SITE.sock
    start_worker "$1" "$RUNDIR/sock/48-$1.sock" as_user fsxweb "$FDSOCK" --env-clear \
        unix "$RUNDIR/sock/48-$1.sock" -- "$BIN" -w fpm "fsx$1" "fsx$1" "$DOCROOT/$1"
}

# fpm_master NAME: the php-fpm that NAME's job became: the job itself, or its
# child when bash forked for the as_user function (as in tests/30-nginx.t)
fpm_master() {
    local p c
    for p in "${WORKER_PID[$1]}" $(tr ' ' '\n' </proc/"${WORKER_PID[$1]}"/task/"${WORKER_PID[$1]}"/children 2>/dev/null); do
        c=$(readlink "/proc/$p/exe" 2>/dev/null)
        [ "${c% (deleted)}" = "$(readlink -f "$FPM")" ] && { echo "$p"; return 0; }
    done
    return 1
}

# wait_fpm NAME: a test: (bounded, 100 x 0.1 s) the worker's job became php-fpm's
# master, its socket listens, and the master said "ready to handle connections";
# sets PHP_PID[NAME] to the master's pid
wait_fpm() {
    local name=$1 pid='' _
    for _ in $(seq 100); do
        if pid=$(fpm_master "$name") && [ -n "$(listen_inode "${WORKER_SOCK[$name]}")" ] &&
            grep -qs 'ready to handle connections' "$WORK/$name.err"; then
            break
        fi
        pid=
        kill -0 "${WORKER_PID[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    PHP_PID[$name]=$pid
    ok "$name: the launcher became php-fpm8.2's master (pid ${pid:-none}), ready, on ${WORKER_SOCK[$name]}" \
        test -n "$pid" || { diag "stderr: $(cat "$WORK/$name.err")"; return 1; }
}

for s in "${SITES[@]}"; do start_fpm_site "$s"; done
for s in "${SITES[@]}"; do wait_fpm "$s"; done
like "$(tr '\0' ' ' <"/proc/${PHP_PID[alice]:-none}/cmdline" 2>&1)" \
    "^php-fpm: master process \($TESTROOT/etc/php-fpm.conf\)" \
    "alice: pid ${PHP_PID[alice]:-none} is php-fpm's master with root's template"
# (php-fpm writes its process title over its environment: what the launcher
# gives it is read here from --check, and shown at work in part b)
for s in "${SITES[@]}"; do
    run_as fsxweb "$BIN" --check -w fpm "fsx$s" "fsx$s" "$DOCROOT/$s"
    rtt[$s]=$(grep -o 'request_terminate_timeout=[^ ]*' <<<"$out")
done
is "${rtt[alice]} / ${rtt[bob]}" "request_terminate_timeout=2(site) / request_terminate_timeout=300" \
    "--check: alice's master gets root's per-site request_terminate_timeout (2), bob's the build's (300)"

# --- the control: a stock shared php-fpm, root's master, a pool per site ------

STOCK=$WORK/stock
mkdir -p "$STOCK"
{
    cat <<EOF
; 48-fpm-isolation.t: the control, a shared php-fpm as distributions ship it
[global]
pid = $STOCK/php-fpm.pid
error_log = $STOCK/error.log
daemonize = no
EOF
    for s in "${SITES[@]}"; do
        cat <<EOF
[fsx$s]
user = fsx$s
group = fsx$s
listen = $STOCK/$s.sock
listen.owner = fsxweb
listen.group = fsxweb
listen.mode = 0600
pm = ondemand
pm.max_children = 5
pm.process_idle_timeout = 10s
EOF
    done
} >"$STOCK/php-fpm.conf"
env -i PATH="$SAFE_PATH" "$FPM_REAL" -F -y "$STOCK/php-fpm.conf" -c "$FPM_INI" -p "$STOCK" \
    </dev/null >"$WORK/stock.out" 2>&1 &
STOCK_PID=$!
stock_ready() {
    [ -n "$(listen_inode "$STOCK/alice.sock")" ] && [ -n "$(listen_inode "$STOCK/bob.sock")" ] &&
        grep -qs 'ready to handle connections' "$STOCK/error.log"
}
for _ in $(seq 100); do stock_ready && break; kill -0 "$STOCK_PID" 2>/dev/null || break; sleep 0.1; done
ok "control: stock php-fpm8.2 (pid $STOCK_PID) listens for both pools" stock_ready ||
    diag "$(cat "$WORK/stock.out" "$STOCK/error.log" 2>/dev/null)"

# --- nginx ------------------------------------------------------------------

nginx_servers() { # PORT
    default_server "$1"
    php_server "$1" alice.test "$AROOT" "${WORKER_SOCK[alice]}"
    php_server "$1" bob.test "$BROOT" "${WORKER_SOCK[bob]}"
    php_server "$1" salice.test "$AROOT" "$STOCK/alice.sock"
    php_server "$1" sbob.test "$BROOT" "$STOCK/bob.sock"
}
start_nginx 18480 18499 || done_testing

# --- who runs the pages -----------------------------------------------------

# id_of SITE [MS]: asks SITE's iso.php who it is: $uid $euid $gid $pid $ppid (empty if no answer)
uid='' euid='' gid='' pid='' ppid=''
id_of() {
    ask "$1" id "${2:-0}"
    uid='' euid='' gid='' pid='' ppid=''
    [[ "$answer $detail" =~ ^OK\ uid=([0-9]+)\ euid=([0-9]+)\ gid=([0-9]+)\ pid=([0-9]+)\ ppid=([0-9]+)$ ]] || return 1
    uid=${BASH_REMATCH[1]} euid=${BASH_REMATCH[2]} gid=${BASH_REMATCH[3]} pid=${BASH_REMATCH[4]} ppid=${BASH_REMATCH[5]}
}
for s in "${SITES[@]}"; do
    u=fsx$s m=${PHP_PID[$s]:-none}
    id_of "$s"
    is "uid=$uid euid=$euid gid=$gid" "uid=$(id -u "$u") euid=$(id -u "$u") gid=$(id -g "$u")" \
        "$s: the page runs as $u (posix_getuid, posix_geteuid, posix_getgid)"
    is "$ppid" "$m" "$s: ... in a child (pid $pid) of the site's own master (pid $m)"
    id_of "s$s"
    is "uid=$uid euid=$euid" "uid=$(id -u "$u") euid=$(id -u "$u")" "control: stock pool $u runs the page as $u"
    is "$ppid" "$STOCK_PID" "control: ... in a child of the stock master (pid $STOCK_PID)"
done

# --- a. opcache ---------------------------------------------------------------

# both sites' same.php, interleaved, again and again (compiled once, then cached)
mark_of() { case $1 in *alice) echo "$MARK_A" ;; *) echo "$MARK_B" ;; esac; }
declare -A served=()
for _ in 1 2 3 4; do
    for s in alice bob salice sbob; do
        fetch "$s.test" /same.php
        if [ "$code" = 200 ] && [ "$body" = "same.php of ${s#s} $(mark_of "$s")" ]; then
            served[$s]=$((${served[$s]:-0} + 1))
        else
            diag "$s.test /same.php: HTTP $code '$body'"
        fi
    done
done
for s in alice bob; do
    is "${served[$s]:-0}" 4 "$s: /same.php served its own content 4 times out of 4, interleaved with the other's"
    is "${served[s$s]:-0}" 4 "control: stock pool fsx$s too (the paths differ: the cache keys differ)"
done

# scripts_of SITE: $n (num_cached_scripts), $listed (count of scripts), $scripts (one path a line)
n='' listed='' scripts=''
scripts_of() {
    ask "$1" scripts
    n='' listed='' scripts=''
    [[ "$answer $detail" =~ ^OK\ n=([0-9]+)\ listed=([0-9]+)\ scripts=(.*)$ ]] || return 1
    n=${BASH_REMATCH[1]} listed=${BASH_REMATCH[2]} scripts=$(tr ',' '\n' <<<"${BASH_REMATCH[3]}")
}
# once both are cached: each its own still
for s in alice bob; do
    fetch "$s.test" /same.php
    is "$body" "same.php of $s $(mark_of $s)" "$s: /same.php still its own, both sites' cached"
done
for s in alice bob; do
    mine=$AROOT other=$BROOT
    [ $s = bob ] && mine=$BROOT other=$AROOT
    scripts_of "$s"
    like "$scripts" "(^|$nl)$mine/same\.php($nl|\$)" "$s: opcache_get_status lists the site's own same.php"
    unlike "$scripts" "(^|$nl)$other/" "$s: opcache_get_status lists none of the other site's paths"
    is "$(grep -vc "^$mine/" <<<"$scripts")" 0 "$s: every cached script listed is under $mine"
    is "$n" "$listed" "$s: num_cached_scripts ($n) is the count of those scripts"
done
scripts_of salice
like "$scripts" "(^|$nl)$BROOT/same\.php($nl|\$)" \
    "control: under the shared master alice's opcache_get_status lists bob's same.php"
ok "control: ... and her count ($n) takes in bob's scripts" test "${n:-0}" -gt "$(grep -c "^$AROOT/" <<<"$scripts")"

# alice empties her cache; the next request of bob (which carries the reset out
# in a shared cache) still finds his same.php
ask alice reset
is "$answer" OK "alice: opcache_reset()"
ask salice reset
is "$answer" OK "control: alice's opcache_reset() under the shared master"
sleep 0.2
scripts_of bob
like "$scripts" "(^|$nl)$BROOT/same\.php($nl|\$)" "bob: his same.php is still cached after alice's reset"
scripts_of sbob
unlike "$scripts" "(^|$nl)$BROOT/same\.php($nl|\$)" \
    "control: under the shared master alice's reset emptied bob's cache (his same.php gone)"
scripts_of alice
unlike "$scripts" "(^|$nl)$AROOT/same\.php($nl|\$)" "alice: her own reset did empty her cache"

# --- b. settings ----------------------------------------------------------------

# alice's .user.ini (memory_limit = 77M) is in her docroot; php.ini says 128M
for s in alice bob salice sbob; do
    ask "$s" ini memory_limit
    mem[$s]="$answer $detail"
done
is "${mem[alice]}" "OK 77M" "alice: her .user.ini sets memory_limit 77M"
is "${mem[bob]}" "OK 128M" "bob: alice's .user.ini does not reach him (php.ini's 128M)"
is "${mem[salice]} / ${mem[sbob]}" "OK 77M / OK 128M" \
    "control: the same under the shared master (.user.ini is per directory there too)"

# root's request_terminate_timeout of 2 s for alice alone: the same 4-second
# request at once on both sites
slow() { # SITE: GET /iso.php?do=sleep&arg=4; "CODE SECONDS" in WORK/slow-SITE, the body beside it
    curl -sS --max-time 20 -o "$WORK/slow-$1.body" -w '%{http_code} %{time_total}' \
        -H "Host: $1.test" "http://127.0.0.1:$PORT/iso.php?do=sleep&arg=4" >"$WORK/slow-$1" 2>&1
}
slow alice & sa=$!
slow bob & sb=$!
wait "$sa" "$sb"
read -r code_a time_a <"$WORK/slow-alice"
read -r code_b time_b <"$WORK/slow-bob"
like "$code_a" '^50[24]$' "alice: her 4-second request fails (HTTP $code_a after ${time_a:-?} s)"
unlike "$(cat "$WORK/slow-alice.body" 2>/dev/null)" slept "alice: ... it never finished"
ok "alice: ... it ended before the 4 s were up (${time_a:-?} s)" \
    awk -v t="${time_a:-9}" 'BEGIN { exit !(t < 4) }'
like "$(cat "$WORK/alice.err")" "\[pool $A\] child [0-9]+, script '$AROOT/iso.php' .* execution timed out" \
    "alice: her master reports the request killed (request_terminate_timeout)"
is "$code_b $(cat "$WORK/slow-bob.body" 2>/dev/null)" "200 OK slept 4" \
    "bob: the same request completes (HTTP 200 after ${time_b:-?} s): alice's timeout is not his"
unlike "$(cat "$WORK/bob.err")" "timed out" "bob: his master killed nothing"

# --- d. no root anywhere ----------------------------------------------------------

# ids SITE: 3 requests at once (each holding its child 1.5 s), their "uid euid gid pid ppid"
ids() {
    local i
    for i in 1 2 3; do
        curl -sS --max-time 10 -H "Host: $1.test" \
            "http://127.0.0.1:$PORT/iso.php?do=id&arg=1500" >"$WORK/ids-$1-$i" 2>&1 &
    done
    wait
    sed -n 's/^OK uid=\([0-9]*\) euid=\([0-9]*\) gid=\([0-9]*\) pid=\([0-9]*\) ppid=\([0-9]*\)$/\1 \2 \3 \4 \5/p' \
        "$WORK/ids-$1"-[123]
}
for s in alice bob; do
    u=fsx$s m=${PHP_PID[$s]:-none}
    uid=$(id -u "$u") gid=$(id -g "$u")
    got=$(ids "$s")
    is "$(wc -l <<<"$got")" 3 "$s: 3 concurrent requests answered"
    is "$(cut -d' ' -f1-3 <<<"$got" | sort -u)" "$uid $uid $gid" \
        "$s: each ran with uid, euid and gid $u's (from inside PHP)"
    is "$(cut -d' ' -f5 <<<"$got" | sort -u)" "$m" "$s: each in a child of the site's master ($m)"
    ok "$s: by more than one child (pids $(cut -d' ' -f4 <<<"$got" | sort -u | paste -sd' '))" \
        test "$(cut -d' ' -f4 <<<"$got" | sort -u | wc -l)" -ge 2
    tree=$(echo "$m"; descendants "$m")
    ok "$s: the children that answered are in the master's tree" \
        test -z "$(comm -23 <(cut -d' ' -f4 <<<"$got" | sort -u) <(sort -u <<<"$tree"))"
    bad=''
    for p in $tree; do
        [ "$(status_field "$p" Uid)/$(status_field "$p" Gid)" = "$uid $uid $uid $uid/$gid $gid $gid $gid" ] ||
            bad+=" $p($(status_field "$p" Uid)/$(status_field "$p" Gid))"
    done
    is "${bad# }" "" "$s: all $(wc -w <<<"$tree") processes of the tree (master $m and children) have real, effective, saved and fs uid and gid $u's"
    is "$(status_field "$m" Uid)" "$uid $uid $uid $uid" "$s: the master itself is $u, not root"
    is "$(for p in $tree; do status_field "$p" Uid; done | grep -c '\b0\b')" 0 "$s: no root uid in the tree"
done
got=$(ids salice)
is "$(cut -d' ' -f1 <<<"$got" | sort -u) $(cut -d' ' -f5 <<<"$got" | sort -u)" "$(id -u $A) $STOCK_PID" \
    "control: the stock pool's children run as alice, children of the stock master"
is "$(status_field "$STOCK_PID" Uid)" "0 0 0 0" "control: the stock master (pid $STOCK_PID) is root"
diag "control: the shared master runs as root; each pool's children are the site's user"

# --- c. restart one site's master -------------------------------------------------

# bob is asked all along (at most 300 requests, 50 ms apart), each line "PHASE CODE BODY",
# PHASE "down" while alice's master is away
loop() {
    local c _
    for _ in $(seq 300); do
        [ -e "$WORK/stop" ] && break
        phase=up
        [ -e "$WORK/alice-down" ] && phase=down
        c=$(curl -sS --max-time 5 -o "$WORK/loop.body" -w '%{http_code}' -H "Host: bob.test" \
            "http://127.0.0.1:$PORT/iso.php?do=id&arg=0" 2>/dev/null)
        echo "$phase $c $(cat "$WORK/loop.body" 2>/dev/null)"
        sleep 0.05
    done >"$WORK/loop"
}
lines() { grep -c "^$1 " "$WORK/loop" 2>/dev/null; }
# wait_lines PHASE N: (bounded, 100 x 0.1 s) at least N of bob's answers in PHASE
wait_lines() { local _; for _ in $(seq 100); do [ "$(lines "$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }

old_a=${PHP_PID[alice]:-none} master_b=${PHP_PID[bob]:-none}
loop & LOOP=$!
ok "bob answers before alice's restart" wait_lines up 3
kill -TERM "$old_a"
for _ in $(seq 100); do kill -0 "$old_a" 2>/dev/null || break; sleep 0.1; done
ok "alice: her master (pid $old_a) ended on SIGTERM" eval "! kill -0 $old_a 2>/dev/null"
stop_pid "${WORKER_PID[alice]}"               # the job that ran it (reaped)
: >"$WORK/alice-down"
code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -H "Host: alice.test" \
    "http://127.0.0.1:$PORT/iso.php?do=id&arg=0" 2>/dev/null)
is "$code" 502 "alice: while her master is away her site answers 502"
ok "bob answers 10 times while alice's master is away" wait_lines down 10
start_fpm_site alice
wait_fpm alice
rm -f "$WORK/alice-down"
id_of alice
is "uid=$uid ppid=$ppid" "uid=$(id -u $A) ppid=${PHP_PID[alice]:-none}" \
    "alice: she serves again, from a child of her new master (pid ${PHP_PID[alice]:-none})"
ok "alice: a new master (pid ${PHP_PID[alice]:-none}, was $old_a)" test "${PHP_PID[alice]:-$old_a}" != "$old_a"
ok "bob answers after alice's restart" wait_lines up "$(($(lines up) + 3))"
: >"$WORK/stop"
for _ in $(seq 100); do kill -0 "$LOOP" 2>/dev/null || break; sleep 0.1; done
stop_pid "$LOOP"
total=$(wc -l <"$WORK/loop") down=$(lines down)
good=$(grep -cE "^(up|down) 200 OK uid=$(id -u $B) euid=[0-9]+ gid=[0-9]+ pid=[0-9]+ ppid=$master_b\$" "$WORK/loop")
is "$good" "$total" "bob: all $total requests during alice's restart ($down while she was away) answered by his master ($master_b)"
[ "$good" = "$total" ] || diag "$(grep -vE " 200 OK " "$WORK/loop" | head -n 5)"
is "${PHP_PID[bob]}" "$master_b" "bob: his master is the same process throughout"
ok "bob: ... and still there" kill -0 "$master_b"

done_testing
