#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 36-seccomp.t - the seccomp filter's rules on listeners, written code and
# metadata (issue 10, items 5, 6, 7), tried as the attacks they stop:
#
#   - a listener without bind(): socket() + listen() binds 0.0.0.0 unseen by
#     Landlock; also on a socket dup2()ed onto fd 0. bind() stays (getifaddrs).
#   - written code in memory: memfd_create + write an ELF + fexecve.
#   - metadata: chmod to world-writable, setuid or setgid (the user's home,
#     a file of hers outside the site, her own files), a umask without 0002,
#     files created setuid/setgid, chown, extended attributes (a POSIX ACL).
#
# Part 1 asks the probe (the test build's php-cgi) under the launcher, with
# the probe run as alice without the launcher as the control. Part 2 asks
# the real php-cgi8.2 behind a private nginx:
#
#   alice.test -> php-cgi8.2 as fsxalice, started by fsxweb through $BIN (the filter)
#   bare.test  -> php-cgi8.2 as fsxalice, started by this test without the launcher
#                 (no filter, no Landlock, no open_basedir): the control
#
# so that each refusal is the filter's doing, and the pages served by alice's
# php-cgi prove that it serves on the inherited fd 0 without listen(), and
# that opcache and PCRE's JIT work without memfd_create. Modes are checked
# from outside; everything the test lays or starts is removed on exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

A=fsxalice
AROOT=$DOCROOT/alice
AHOME=$TESTROOT/home/$A                   # this fixture's home of alice
OUTSIDE=$DOCROOT/.fsx-probe-outside       # alice's file beside her docroot (the probe's ../.fsx-probe-outside)
ATMP=$TESTROOT/tmp/$A
MARK=.fsx36-listening                     # the listen page holds while this file is there

FILES=("$OUTSIDE")
cleanup() {
    local f
    nginx_cleanup
    for f in "${FILES[@]}"; do rm -f "$f"; done
    chmod 0755 "$AHOME" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mode_of() { stat -c %a "$1" 2>&1; }

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "perl is installed (the page's memfd_create)" test -x /usr/bin/perl
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
has_modules() { [ "$("$PHP_REAL" -m 2>/dev/null | grep -xE "sockets|Zend OPcache|pcre" | sort -u | wc -l)" = 3 ]; }
need "php-cgi8.2 has the sockets, opcache and pcre extensions" has_modules
need "docroot $AROOT exists" test -d "$AROOT"
need "alice's home $AHOME exists" test -d "$AHOME"
need "socket directories exist" test -d "$RUNDIR/sock" -a -d "$RUNDIR/$A"
needs_met

install -o $A -g $A -m 0644 /dev/null "$OUTSIDE"
chmod 0755 "$AHOME"

# ============================================================================
# Part 1: the probe
# ============================================================================

# Under the launcher, each probed call answers this; without it, all "ok".
declare -A CONFINED=(
    [listen_unbound]=EPERM [listen_fd0]=EPERM [getifaddrs]=ok [udp_bind]=ok
    [memfd_exec]=EPERM
    [chmod_home_0777]=EPERM [chmod_outside_0666]=EPERM [chmod_0777]=EPERM
    [fchmod_4755]=EPERM [fchmodat_2755]=EPERM [fchmodat2_0757]=EPERM [chmod_own]=ok
    [umask0]=EPERM [umask_027]=ok
    [create_suid]=EPERM [open_sgid]=EPERM [creat_suid]=EPERM [tmpfile_sgid]=EPERM
    [mknod_suid]=EPERM [create_own]=ok [openat2]=ENOSYS
    [chown_self]=EPERM [fchown_self]=EPERM [lchown_self]=EPERM [fchownat_self]=EPERM
    [setxattr_acl]=EOPNOTSUPP [lsetxattr_user]=EOPNOTSUPP [fsetxattr_user]=EOPNOTSUPP
    [setxattrat_user]=EOPNOTSUPP [removexattr_user]=EOPNOTSUPP [removexattrat_user]=EOPNOTSUPP
)
KEYS=$(printf '%s\n' "${!CONFINED[@]}" | sort)

# --- control: the probe as alice, no launcher, in her docroot, HOME her home ---
out=$(cd "$AROOT" && env -i HOME="$AHOME" PATH="$SAFE_PATH" timeout 10 \
    setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- "$PROBE" </dev/null)
is "$(field ran)/$(field Seccomp)" 1/0 "control: the probe runs as alice, without a filter"
for k in $KEYS; do
    is "$(field "sys.$k")" ok "control: $k works without the launcher"
done
is "$(mode_of "$AHOME")/$(mode_of "$OUTSIDE")" 755/644 \
    "control: the probe put back the modes it changed (home 755, outside file 644)"

# --- the worker: the same probe under the launcher ------------------------------
# (HOME is where the passwd entry says: another fixture's home while one is up)
home=$(getent passwd $A | cut -d: -f6)
home_before=$(mode_of "$home")
launch $A $A "$AROOT"
is "$rc/$(field ran)/$(field Seccomp)" 0/1/2 "worker: the probe runs under the filter"
is "$(sed -n 's/^env=HOME=//p' <<<"$out")" "$home" "worker: HOME is alice's home, $home"
for k in $KEYS; do
    is "$(field "sys.$k")" "${CONFINED[$k]}" "worker: $k answers ${CONFINED[$k]}"
done
is "$(mode_of "$home")" "$home_before" "worker: chmod 0777 on alice's home left its mode ($home_before)"
is "$(mode_of "$OUTSIDE")" 644 "worker: chmod 0666 on her file outside the site left it 644"
is "$(find "$AROOT" "$ATMP" -name '.probe-*' 2>&1)" "" "worker: no scratch file left behind"
is "$(find "$AROOT" "$ATMP" -perm /6002 ! -type l 2>&1)" "" \
    "worker: nothing setuid, setgid or world-writable in the docroot or the private temp"

# ============================================================================
# Part 2: real php-cgi8.2 behind nginx
# ============================================================================

nginx_setup

# put FILE: stdin into FILE, alice's, 0644
put() {
    FILES+=("$1")
    cat >"$1" && chown $A:$A "$1" && chmod 0644 "$1"
}

put "$AROOT/seccomp.php" < <(page_head seccomp)   # answer(), err(), sh(): tests/nginx.sh
cat >>"$AROOT/seccomp.php" <<'PHP'

$arg = $_GET['arg'] ?? '';
$mode = $_GET['mode'] ?? '';
switch ($_GET['do'] ?? '') {
case 'chmod': // PHP's chmod(ARG, MODE), MODE in octal
    $r = @chmod($arg, octdec($mode));
    clearstatcache();
    answer($r, ($r ? '' : err() . ' ') . sprintf('mode=%o', fileperms($arg) & 07777));
case 'shchmod': // chmod(1) through the shell (PHP's chmod() meets open_basedir first)
    sh('chmod ' . escapeshellarg($mode) . ' ' . escapeshellarg($arg));
case 'umask': // umask(0), then a file ARG made with 0666, then removed
    umask(0);
    $now = umask();
    file_put_contents($arg, 'x');
    clearstatcache();
    $m = fileperms($arg) & 0777;
    unlink($arg);
    answer($now === 0, sprintf('umask=%03o file=%03o', $now, $m));
case 'listen': // an unbound TCP socket's listen(); holds while the file ARG is there
    $s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
    $r = @socket_listen($s, 1);
    $detail = $r ? (socket_getsockname($s, $addr, $port) ? "listening $addr:$port" : 'listening')
                 : socket_strerror(socket_last_error($s));
    file_put_contents($arg, getmypid());
    for ($i = 0; $i < 50 && file_exists($arg); $i++) { // bounded: 5 s
        usleep(100000);
        clearstatcache();
    }
    @unlink($arg);
    answer($r, $detail);
case 'jit': // opcache on, and a preg_match under pcre.jit=1 without warning
    $st = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
    $on = is_array($st) && $st['opcache_enabled'];
    $cached = is_array($st) ? $st['opcache_statistics']['num_cached_scripts'] : 0;
    $m = preg_match('/(\d+)-(\d+)/', 'abc 12-34', $g);
    $e = error_get_last();
    answer($on && $m === 1 && $g[2] === '34' && $e === null && ini_get('pcre.jit') === '1',
        'opcache_enabled=' . var_export($on, true) . " cached=$cached pcre.jit=" . ini_get('pcre.jit')
        . " preg_match=$m " . preg_last_error_msg() . ($e ? ' ' . $e['message'] : ''));
case 'memfd': // memfd_create(2) from a program the page runs (perl's syscall(), x86_64 number)
    sh('perl -e ' . escapeshellarg('my $name = "fsx36"; my $fd = syscall(319, $name, 0); '
        . 'die "memfd_create: $!\n" if $fd < 0; print "fd=$fd\n"'));
default:
    answer(false, 'unknown action');
}
PHP
# older than opcache.file_update_protection (2 s), so opcache caches it at once
touch -d '1 minute ago' "$AROOT/seccomp.php"
put "$AROOT/own.txt" </dev/null

# --- the workers and nginx --------------------------------------------------

start_site alice "$RUNDIR/sock/36-alice.sock"
start_worker bare "$RUNDIR/$A/36-bare.sock" \
    setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- \
    "$FDSOCK" --env-clear --env "PATH=$SAFE_PATH" --env PHP_FCGI_CHILDREN=0 \
    unix "$RUNDIR/$A/36-bare.sock" -- "$PHP_REAL" -c "$PHP_INI"
for w in alice bare; do wait_worker $w; done
chmod 0666 "$RUNDIR/$A/36-bare.sock" # nginx (fsxweb) must connect to it
APID=${PHP_PID[alice]:-} BPID=${PHP_PID[bare]:-}
is "$(status_field "${APID:-0}" Seccomp)/$(status_field "${BPID:-0}" Seccomp)" 2/0 \
    "alice's php-cgi (pid ${APID:-none}) is under the filter, bare's (pid ${BPID:-none}) is not"

nginx_servers() { # PORT
    default_server "$1"
    php_server "$1" alice.test "$AROOT" "${WORKER_SOCK[alice]}"
    php_server "$1" bare.test "$AROOT" "${WORKER_SOCK[bare]}"
}
start_nginx 18140 18159 || done_testing

# --- asking the page --------------------------------------------------------

PAGE=/seccomp.php # ask, allowed, denied: tests/nginx.sh

EPERM='Operation not permitted'

# --- served without listen(): the pages answer at all -----------------------------

allowed "alice: php-cgi8.2 under the filter serves a page on its inherited fd 0" "" alice jit
like "$(readlink "/proc/${APID:-0}/fd/0" 2>&1)" '^socket:' "alice: its fd 0 is the socket it was given"

# --- no listener ----------------------------------------------------------------

# tcp_listeners PID: the TCP sockets in LISTEN state among PID's descriptors, as local addresses
tcp_listeners() {
    local inodes
    inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n' | paste -sd' ' -)
    awk -v ino=" $inodes " '$4 == "0A" && index(ino, " " $10 " ") { print $2 }' /proc/net/tcp /proc/net/tcp6
}

# listen_case SITE PID: ask SITE's page to listen, and while it holds, list PID's listeners
listen_case() {
    local _
    rm -f "$AROOT/$MARK"
    FILES+=("$AROOT/$MARK")
    curl -sS --max-time 10 -o "$WORK/listen.body" -H "Host: $1.test" \
        "http://127.0.0.1:$PORT/seccomp.php?do=listen&arg=$MARK" 2>"$WORK/curl.err" &
    local cpid=$!
    for _ in $(seq 50); do [ -e "$AROOT/$MARK" ] && break; sleep 0.1; done
    ok "$1: the listen page is holding" test -e "$AROOT/$MARK"
    listeners=$(tcp_listeners "$2")
    rm -f "$AROOT/$MARK"
    wait "$cpid"
    body=$(cat "$WORK/listen.body" 2>/dev/null)
    answer=${body%% *} detail=${body#* }
}
listen_case bare "${BPID:-0}"
ok "control: bare: socket_listen() on an unbound socket works" answer_is OK '^listening 0\.0\.0\.0:[1-9]'
isnt_empty() { [ -n "$1" ]; }
ok "control: bare: its php-cgi holds a TCP listener meanwhile ($listeners)" isnt_empty "$listeners"
listen_case alice "${APID:-0}"
ok "alice: socket_listen() on an unbound socket fails: $EPERM" answer_is FAIL "$EPERM"
is "$listeners" "" "alice: her php-cgi holds no TCP listener"

# --- no memfd_create; opcache and PCRE's JIT still work --------------------------

allowed "control: bare: memfd_create from perl" '^fd=[0-9]+ exit=0$' bare memfd
denied "alice: memfd_create from perl fails: $EPERM" "memfd_create: $EPERM" alice memfd
allowed "control: bare: opcache on, preg_match under pcre.jit=1" 'opcache_enabled=true .*pcre\.jit=1 preg_match=1 No error$' bare jit
allowed "alice: opcache on, preg_match under pcre.jit=1, no warning" \
    'opcache_enabled=true .*pcre\.jit=1 preg_match=1 No error$' alice jit
like "$detail" 'cached=[1-9]' "alice: opcache holds the page it served before"
# PCRE's JIT maps anonymous executable memory: seccomp does not stop that
anon_exec() { grep -cE '^[0-9a-f-]+ ..x. 00000000 00:00 0 *$' "/proc/$1/maps" 2>/dev/null; }
like "$(anon_exec "${APID:-0}")" '^[1-9]' "alice: her php-cgi has anonymous executable memory (PCRE's JIT)"

# --- chmod ---------------------------------------------------------------------

# the issue's attack: chmod 0777 on alice's home (outside the site: PHP's
# chmod() meets open_basedir first, so through the shell) and on her file
# beside the docroot; the control does it, and root puts the mode back
allowed "control: bare: chmod 0777 on alice's home" "exit=0" bare shchmod "$AHOME" mode=0777
is "$(mode_of "$AHOME")" 777 "control: bare: the home became 777"
chmod 0755 "$AHOME"
denied "alice: chmod 0777 on her home fails: $EPERM" "$EPERM" alice shchmod "$AHOME" mode=0777
is "$(mode_of "$AHOME")" 755 "alice: her home is still 755"
allowed "control: bare: chmod 0666 on her file outside the site" "exit=0" bare shchmod "$OUTSIDE" mode=0666
is "$(mode_of "$OUTSIDE")" 666 "control: bare: the file became 666"
chmod 0644 "$OUTSIDE"
denied "alice: chmod 0666 on her file outside the site fails: $EPERM" "$EPERM" alice shchmod "$OUTSIDE" mode=0666
is "$(mode_of "$OUTSIDE")" 644 "alice: the file is still 644"

# her own file in her docroot, with PHP's chmod()
for m in 0755 0775 0644 0664 0600 0700; do
    allowed "alice: chmod($m) on her own file" "^mode=${m#0}\$" alice chmod "$AROOT/own.txt" "mode=$m"
    is "$(mode_of "$AROOT/own.txt")" "${m#0}" "alice: ... it is ${m#0}"
done
chmod 0644 "$AROOT/own.txt"
for m in 0777 0666 4755 2755; do
    allowed "control: bare: chmod($m) on alice's file" "^mode=${m#0}\$" bare chmod "$AROOT/own.txt" "mode=$m"
    chmod 0644 "$AROOT/own.txt"
    denied "alice: chmod($m) on her own file fails: $EPERM" "$EPERM.* mode=644\$" alice chmod "$AROOT/own.txt" "mode=$m"
    is "$(mode_of "$AROOT/own.txt")" 644 "alice: ... it is still 644"
done

# --- umask ---------------------------------------------------------------------

# PHP's umask(0) sets 077, then 0: refused, the umask stays 077 for the request
FILES+=("$AROOT/umask.txt")
allowed "control: bare: after umask(0), a file made 0666 is 666" '^umask=000 file=666$' bare umask "$AROOT/umask.txt"
denied "alice: umask(0) is refused: the umask stays 077, a file made 0666 is 600" \
    '^umask=077 file=600$' alice umask "$AROOT/umask.txt"
allowed "alice: the next request has the launcher's umask back" "" alice jit
ok "alice: her php-cgi (pid ${APID:-none}) is still the one serving" kill -0 "${APID:-none}"
is "$(status_field "${APID:-0}" Umask)" 0022 "alice: her php-cgi's umask is 0022 again"

done_testing
