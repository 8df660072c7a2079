#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 35-confine.t - what a site's PHP can and cannot do under the launcher's
# confinement (Landlock, PHP's open_basedir, the private temp,
# cgi.fix_pathinfo=0), end to end through a private nginx:
#
#   alice.test -> php-cgi8.2 as fsxalice, started by fsxweb through $BIN  (confined)
#   bob.test   -> php-cgi8.2 as fsxbob,   started by fsxweb through $BIN  (confined)
#   bare.test  -> php-cgi8.2 as fsxalice, started by this test WITHOUT the launcher
#                 (no Landlock, no seccomp, no open_basedir, cgi.fix_pathinfo=1),
#                 on alice's docroot: the control
#
# One page, probe.php, in both docroots does one thing per request
# (probe.php?do=ACTION&arg=ARG) and answers one line: "OK detail" or
# "FAIL detail". Every denial is paired with a control showing the thing is
# possible and reaches its target: the same page as the same user without the
# launcher (bare.test), or root, or bob on his own files. So a denial is the
# confinement's doing, not a broken page, a typo in a path, or file modes.
#
# Everything written (pages, links, uploads, sessions, files in /tmp) is
# removed, and everything started (nginx, workers, a sleeper) stopped, on exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

A=fsxalice B=fsxbob
AROOT=$DOCROOT/alice BROOT=$DOCROOT/bob
ATMP=$TESTROOT/tmp/$A                              # alice's private temp
BHOME=$TESTROOT/home/$B
SECRET=$BROOT/secret.php
rand() { od -An -tx8 -N8 /dev/urandom | tr -d ' \n'; }
MARKER=fsx35-secret-$(rand)                        # only in bob's secret.php
TOKEN=fsx35-listener-$(rand)                       # only the test's TCP listener says it
TMPNAME=/tmp/fsx35-$$                              # prefix of the /tmp files tried

SLEEPER=
FILES=()                                           # removed on exit
cleanup() {
    local f
    stop_pid "$SLEEPER"
    nginx_cleanup
    for f in "${FILES[@]}"; do rm -f "$f"; done
    rm -f "$TMPNAME"-* "$TESTROOT/tmp/$A/${TMPNAME#/tmp/}"-*
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# put FILE OWNER: stdin into FILE (by root), then OWNER:OWNER 0644
put() {
    FILES+=("$1")
    cat >"$1" && chown "$2:$2" "$1" && chmod 0644 "$1"
}

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
has_modules() { [ "$("$PHP_REAL" -m 2>/dev/null | grep -cxE "posix|session")" = 2 ]; }
need "php-cgi8.2 has the posix and session extensions" has_modules
need "docroots $AROOT and $BROOT exist" test -d "$AROOT" -a -d "$BROOT"
need "bob's home $BHOME exists" test -d "$BHOME"
need "TMP_BASE $TESTROOT/tmp exists" test -d "$TESTROOT/tmp"
need "socket directories exist" test -d "$RUNDIR/sock" -a -d "$RUNDIR/$A"
needs_met

nginx_setup

# --- the files --------------------------------------------------------------

put "$AROOT/probe.php" $A < <(page_head probe)   # answer(), err(), sh(): tests/nginx.sh
cat >>"$AROOT/probe.php" <<'PHP'

$arg = $_GET['arg'] ?? '';
$q = escapeshellarg($arg);
switch ($_GET['do'] ?? '') {
case 'read':
    $r = @file_get_contents($arg);
    answer($r !== false, $r === false ? err() : $r);
case 'write':
    $r = @file_put_contents($arg, $_GET['data'] ?? 'written by probe.php');
    answer($r !== false, $r === false ? err() : "$r bytes");
case 'scandir':
    $r = @scandir($arg);
    answer($r !== false, $r === false ? err() : implode(' ', $r));
case 'symlink': // a link ARG pointing at TARGET
    $r = @symlink($_GET['target'] ?? '', $arg);
    answer($r, $r ? "made $arg" : err());
case 'cat':
    sh("cat $q");
case 'ls':
    sh("ls -a $q");
case 'touch':
    sh("touch $q");
case 'ln':
    sh('ln -s ' . escapeshellarg($_GET['target'] ?? '') . " $q");
case 'id':
    sh('id -u');
case 'bind':
    $s = @stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    answer($s !== false, $s === false ? "errno=$errno $errstr" : 'bound ' . stream_socket_get_name($s, false));
case 'connect': // GET /listener from 127.0.0.1:ARG; the detail is the response body
    $s = @fsockopen('127.0.0.1', (int)$arg, $errno, $errstr, 3);
    if ($s === false)
        answer(false, "errno=$errno $errstr");
    stream_set_timeout($s, 3);
    fwrite($s, "GET /listener HTTP/1.0\r\nHost: listener\r\n\r\n");
    $r = explode("\r\n\r\n", (string)stream_get_contents($s), 2);
    answer(count($r) == 2, end($r));
case 'resolve':
    $ip = gethostbyname($arg);
    answer($ip !== $arg, $ip); // the name itself when it does not resolve
case 'kill': // signal 0 to pid ARG, or to this process for "self"
    $pid = $arg === 'self' ? getmypid() : (int)$arg;
    $r = posix_kill($pid, 0);
    $e = posix_get_last_error();
    answer($r, "pid $pid: " . ($r ? 'signal 0 delivered' : "errno=$e " . posix_strerror($e)));
case 'session':
    if (!@session_start())
        answer(false, err());
    $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
    answer(true, 'id=' . session_id() . ' n=' . $_SESSION['n']);
case 'upload': // move the uploaded file "f" to ARG, a name in this directory
    $f = $_FILES['f'] ?? ['error' => 'none'];
    if ($f['error'] !== UPLOAD_ERR_OK)
        answer(false, 'upload error ' . $f['error']);
    $r = @move_uploaded_file($f['tmp_name'], __DIR__ . '/' . basename($arg));
    answer($r, 'tmp=' . $f['tmp_name'] . ($r ? '' : ' ' . err()));
default:
    answer(false, 'unknown action');
}
PHP
put "$BROOT/probe.php" $B <"$AROOT/probe.php"
put "$SECRET" $B <<EOF
<?php /* $MARKER */ echo "bob's secret page\n";
EOF
put "$AROOT/x.jpg" $A <<'EOF'
<?php echo "PWNED";
EOF
# a symlink to bob's secret, laid in alice's docroot by someone else
FILES+=("$AROOT/premade-link")
ln -sfn "$SECRET" "$AROOT/premade-link" && chown -h $A:$A "$AROOT/premade-link"
# where alice's PHP tries to plant links (and the control does), and her files
FILES+=("$AROOT/php-link" "$AROOT/sh-link" "$AROOT/own-link" "$AROOT/bare-link" "$AROOT/bare-sh-link"
    "$AROOT/written.txt" "$AROOT/upload.txt")
rm -f "$AROOT/php-link" "$AROOT/sh-link" "$AROOT/own-link" "$AROOT/bare-link" "$AROOT/bare-sh-link" \
    "$AROOT/written.txt" "$AROOT/upload.txt"
rand >"$WORK/upload.txt"

# --- the workers and nginx --------------------------------------------------

start_site alice "$RUNDIR/sock/35-alice.sock"
start_site bob "$RUNDIR/sock/35-bob.sock"
# the control: php-cgi8.2 as alice, straight (fdsock makes the socket as alice)
start_worker bare "$RUNDIR/$A/35-bare.sock" \
    setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- \
    "$FDSOCK" --env-clear --env "PATH=$SAFE_PATH" --env PHP_FCGI_CHILDREN=0 \
    unix "$RUNDIR/$A/35-bare.sock" -- "$PHP_REAL" -c "$PHP_INI" -d cgi.fix_pathinfo=1
for w in alice bob bare; do wait_worker $w; done
chmod 0666 "$RUNDIR/$A/35-bare.sock" # nginx (fsxweb) must connect to it

nginx_servers() { # PORT
    default_server "$1" "location = /listener { return 200 \"$TOKEN\"; }"
    php_server "$1" alice.test "$AROOT" "${WORKER_SOCK[alice]}"
    php_server "$1" bob.test "$BROOT" "${WORKER_SOCK[bob]}"
    php_server "$1" bare.test "$AROOT" "${WORKER_SOCK[bare]}"
}
start_nginx 18100 18119 || done_testing

# --- asking the page --------------------------------------------------------

# ask, allowed, denied (tests/nginx.sh) ask probe.php, one action a request.

# Why a thing fails: Landlock answers EACCES; PHP's open_basedir, which stops
# PHP's own file functions before the kernel sees them, EPERM. Either will do
# for those; the shell's commands and sockets only meet Landlock. (A "No such
# file" would mean a broken test, not a confined site.)
EACCES='Permission denied'
DENIED='Operation not permitted|Permission denied'
UID_A=$(id -u $A)

# --- bob's secret -------------------------------------------------------------

like "$(cat "$SECRET")" "$MARKER" "control: root reads bob's secret.php"
like "$(as_user $A cat "$SECRET" 2>&1)" "$MARKER" \
    "control: file modes let alice read it (outside the launcher)"
allowed "control: bob's page reads its own secret.php" "$MARKER" bob read "$SECRET"
allowed "control: bare: file_get_contents(bob's secret.php)" "$MARKER" bare read "$SECRET"
denied "alice: file_get_contents(bob's secret.php) fails" "$DENIED" alice read "$SECRET"
allowed "control: bare: shell_exec('cat bob's secret.php')" "$MARKER" bare cat "$SECRET"
denied "alice: shell_exec('cat bob's secret.php') fails: $EACCES" "$EACCES" alice cat "$SECRET"

# --- symlinks in alice's docroot ---------------------------------------------------
# The web server would serve a link to bob's file on alice's vhost: the worker
# cannot make one (Landlock: no MAKE_SYM right anywhere), by PHP or the shell.
# No open_basedir under Landlock (OPEN_BASEDIR=auto): PHP's symlink() reaches
# Landlock whatever its target.
nolink() { [ ! -e "$AROOT/$1" ] && [ ! -L "$AROOT/$1" ]; }
denied "alice: symlink(bob's secret, php-link) fails: $EACCES" "$EACCES" \
    alice symlink "$AROOT/php-link" "target=$SECRET"
ok "alice: ... and no php-link was made" nolink php-link
denied "alice: symlink(her own probe.php, own-link) fails: $EACCES" "$EACCES" \
    alice symlink "$AROOT/own-link" "target=$AROOT/probe.php"
ok "alice: ... and no own-link was made" nolink own-link
denied "alice: shell_exec('ln -s bob's secret sh-link') fails: $EACCES" "$EACCES" \
    alice ln "$AROOT/sh-link" "target=$SECRET"
ok "alice: ... and no sh-link was made" nolink sh-link
allowed "control: bare: symlink(bob's secret, bare-link)" "made" bare symlink "$AROOT/bare-link" "target=$SECRET"
is "$(stat -c %U "$AROOT/bare-link" 2>&1) $(readlink "$AROOT/bare-link")" "$A $SECRET" \
    "control: bare: bare-link is there, alice's, to bob's secret"
allowed "control: bare: shell_exec('ln -s bob's secret bare-sh-link')" "" \
    bare ln "$AROOT/bare-sh-link" "target=$SECRET"
is "$(readlink "$AROOT/bare-sh-link")" "$SECRET" "control: bare: bare-sh-link is there, to bob's secret"
# a link there anyway (made without the launcher, or uploaded): no way through
for l in bare-link premade-link; do
    like "$(cat "$AROOT/$l" 2>&1)" "$MARKER" "control: root reads bob's secret through $l"
    allowed "control: bare: file_get_contents($l)" "$MARKER" bare read "$AROOT/$l"
    denied "alice: file_get_contents($l) fails" "$DENIED" alice read "$AROOT/$l"
    allowed "control: bare: shell_exec('cat $l')" "$MARKER" bare cat "$AROOT/$l"
    denied "alice: shell_exec('cat $l') fails: $EACCES" "$EACCES" alice cat "$AROOT/$l"
done

# --- listing what is not hers ---------------------------------------------------

allowed "control: bare: scandir(DOCROOT) lists the sites" " alice .*bob" bare scandir "$DOCROOT"
denied "alice: scandir(DOCROOT) fails" "$DENIED" alice scandir "$DOCROOT"
allowed "control: bare: shell_exec('ls DOCROOT')" " alice .*bob" bare ls "$DOCROOT"
denied "alice: shell_exec('ls DOCROOT') fails: $EACCES" "$EACCES" alice ls "$DOCROOT"
allowed "control: bare: scandir(bob's home)" "public_html" bare scandir "$BHOME"
denied "alice: scandir(bob's home) fails" "$DENIED" alice scandir "$BHOME"
allowed "control: bare: shell_exec('ls bob's home')" "public_html" bare ls "$BHOME"
denied "alice: shell_exec('ls bob's home') fails: $EACCES" "$EACCES" alice ls "$BHOME"
allowed "alice: scandir of her own docroot" " probe\.php " alice scandir "$AROOT"

# --- /tmp -------------------------------------------------------------------

allowed "control: bare: file_put_contents(/tmp/...)" "bytes" bare write "$TMPNAME-bare-fpc"
is "$(stat -c %U "$TMPNAME-bare-fpc" 2>&1)" $A "control: bare: the file is in /tmp, alice's"
allowed "control: bare: shell_exec('touch /tmp/...')" "" bare touch "$TMPNAME-bare-touch"
is "$(stat -c %U "$TMPNAME-bare-touch" 2>&1)" $A "control: bare: the touched file is in /tmp, alice's"
# alice's /tmp is her private temp, in her world (tests/37-world.t has the rest)
allowed "alice: file_put_contents(/tmp/...)" "bytes" alice write "$TMPNAME-fpc"
ok "alice: ... and no file appeared in the machine's /tmp" test ! -e "$TMPNAME-fpc"
is "$(stat -c %U "$TESTROOT/tmp/$A/${TMPNAME#/tmp/}-fpc" 2>&1)" $A "alice: ... it is in her private temp, hers"
allowed "alice: shell_exec('touch /tmp/...')" "" alice touch "$TMPNAME-touch"
ok "alice: ... and no touched file appeared in the machine's /tmp" test ! -e "$TMPNAME-touch"
ok "alice: ... it is in her private temp" test -f "$TESTROOT/tmp/$A/${TMPNAME#/tmp/}-touch"

# --- TCP: no bind, connect --------------------------------------------------------

allowed "control: bare: stream_socket_server('tcp://127.0.0.1:0')" "bound 127\.0\.0\.1:" bare bind
denied "alice: stream_socket_server('tcp://127.0.0.1:0') fails: $EACCES" "$EACCES" alice bind
allowed "alice: connects to the test's listener on 127.0.0.1:$PORT" "^$TOKEN\$" alice connect "$PORT"

# --- signals ------------------------------------------------------------------

# a process of alice's own uid, started outside the launcher
setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- sleep 120 </dev/null >/dev/null 2>&1 &
SLEEPER=$!
for _ in $(seq 50); do # bounded: until setpriv has become alice's sleep
    [ "$(status_field "$SLEEPER" Uid)" = "$UID_A $UID_A $UID_A $UID_A" ] && break
    sleep 0.1
done
is "$(status_field "$SLEEPER" Uid)" "$UID_A $UID_A $UID_A $UID_A" "control: a sleeper (pid $SLEEPER) runs as alice"
allowed "control: bare: posix_kill(alice's sleeper, 0)" "signal 0 delivered" bare kill "$SLEEPER"
denied "alice: posix_kill(alice's own-uid sleeper outside the launcher, 0) fails (Landlock signal scope)" \
    "errno=1 " alice kill "$SLEEPER"
allowed "control: alice: posix_kill(her own process, 0)" "signal 0 delivered" alice kill self
BOB_PID=${PHP_PID[bob]:-}
ok "control: root signals bob's php-cgi (pid ${BOB_PID:-none})" kill -0 "${BOB_PID:-none}"
denied "alice: posix_kill(bob's php-cgi, 0) fails" "errno=1 " alice kill "${BOB_PID:-0}"

# --- her own files: write, upload, read back -------------------------------------------

allowed "alice: file_put_contents in her docroot" "^11 bytes" alice write "$AROOT/written.txt" data=hello-alice
is "$(stat -c %U "$AROOT/written.txt" 2>&1):$(cat "$AROOT/written.txt" 2>&1)" "$A:hello-alice" \
    "alice: the file is there, hers, with what she wrote"
allowed "alice: file_get_contents of it" "^hello-alice\$" alice read "$AROOT/written.txt"

fetch alice.test "/probe.php?do=upload&arg=upload.txt" -F "f=@$WORK/upload.txt;filename=upload.txt"
parse_answer
like "$answer $detail" "^OK tmp=$ATMP/php" "alice: multipart upload moved into her docroot, from her private temp"
up_tmp=${detail#tmp=}
ok "alice: PHP removed the upload's temporary file" test ! -e "$up_tmp"
is "$(stat -c %U "$AROOT/upload.txt" 2>&1):$(cat "$AROOT/upload.txt" 2>&1)" "$A:$(cat "$WORK/upload.txt")" \
    "alice: the upload is in her docroot, hers, intact"
allowed "alice: file_get_contents of the upload" "^$(cat "$WORK/upload.txt")\$" alice read "$AROOT/upload.txt"

# --- sessions ---------------------------------------------------------------

fetch alice.test "/probe.php?do=session" -c "$WORK/cookies"
parse_answer
like "$answer $detail" "^OK id=[A-Za-z0-9,-]+ n=1\$" "alice: session_start()"
sid=$(sed -n 's/^id=\([A-Za-z0-9,-]*\) .*/\1/p' <<<"$detail")
sid=${sid:-none}
FILES+=("$ATMP/sess_$sid")
is "$(stat -c '%U %a' "$ATMP/sess_$sid" 2>&1)" "$A 600" "alice: the session file is in $ATMP, hers, 0600"
ok "alice: ... and not in /tmp" test ! -e "/tmp/sess_$sid"
ok "alice: ... and not in /var/lib/php/sessions" test ! -e "/var/lib/php/sessions/sess_$sid"
fetch alice.test "/probe.php?do=session" -b "$WORK/cookies"
parse_answer
is "$answer $detail" "OK id=$sid n=2" "alice: the session holds across requests"

# --- names, commands ----------------------------------------------------------

allowed "alice: gethostbyname('localhost') is 127.0.0.1" "^127\.0\.0\.1\$" alice resolve localhost
allowed "alice: shell_exec('id -u') is her uid ($UID_A)" "^$UID_A exit=0\$" alice id

# --- /x.jpg/y.php: no PHP from a non-PHP file (cgi.fix_pathinfo=0) ----------------

fetch bare.test /x.jpg/y.php
is "$body" PWNED "control: bare (cgi.fix_pathinfo=1): /x.jpg/y.php runs x.jpg as PHP"
fetch alice.test /x.jpg/y.php
unlike "$body" PWNED "alice: /x.jpg/y.php does not run x.jpg (HTTP $code)"

done_testing
