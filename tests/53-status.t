#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016,SC2317 # '$0' is for bash -c; functions run by trap
# 53-status.t - `fcgi-suexec --status [--json]`: who runs as whom, right now.
#
# Running here, each recorded by pid:
#   alice    her site, launched by fsxweb through $BIN -p 8.2 (the real
#            php-cgi8.2) with PHP_FCGI_CHILDREN=2: a tree of 3 processes
#   bob      his site, the same with no children, and a per-site limit file
#            (LIMITS_DIR/fsxbob/nproc = 200)
#   bobopt   bob's site again, by root through the NAMESPACES=optional build
#            without CAP_SYS_ADMIN (as tests/38-nsopt.t): confined, but
#            without its world, nothing proves who made it
#   handA, handR, handW   php-cgi8.2 started by hand (no launcher) as fsxalice,
#            root and fsxweb, each on a socket of its own
#   forgeS   alice's sleep, exec'd by a symlink named php-cgi, "exec -a
#            php-cgi": comm and command line a worker's, the program not
#   forgeC   alice's copy of sleep named php-cgi, under no_new_privs and a
#            seccomp filter (allow all) of her own, from a directory with
#            a space and a newline in its name
#   forgeU   the same copy in an IPC namespace alice made (unshare -Ui): not
#            the host's, but a user namespace of hers owns it
# Then --status as root sees everything: the two trees "site ... confined
# world=proven proof=pin" with their user, docroot, socket, processes and
# limits; every other php worker "outside", refused-user for root and
# fsxweb; the forgeries never confined. As fsxalice (through the 4755
# build) it sees her own processes only (her tree proven by its IPC
# namespace's owner), as fsxbob his, as fsxweb its own. Other fixtures' workers
# of the same users may run meanwhile: each check is about the lines of the
# pids started here.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

nl=$'\n'
A=fsxalice B=fsxbob
AU=$(id -u $A) BU=$(id -u $B) WU=$(id -u fsxweb)
NSOPT=$TESTROOT/sbin/fcgi-suexec-nsopt
STATUS_BIN=$TESTROOT/libexec/fcgi-suexec-status
LIMITS=$TESTROOT/etc/limits
declare -A FPID=()                     # the forgeries' pids

cleanup() {
    local p
    for p in "${FPID[@]}"; do stop_pid "$p"; done
    nginx_cleanup
    rm -rf "${LIMITS:?}/$B"
    rmdir "$LIMITS" 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# status AS [ARGS...]: "$BIN --status ARGS" as AS (root, fsxweb: $BIN; anyone
# else: the 4755 build): $out, $err, $rc
status() {
    local who=$1 bin=$BIN tmp; shift
    tmp=$(mktemp -d) || bail "mktemp failed"
    [ "$who" = root ] || [ "$who" = fsxweb ] || bin=$BIN_OPEN
    if [ "$who" = root ]; then
        timeout 60 "$bin" --status "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    else
        timeout 60 setpriv --reuid "$who" --regid "$(id -g "$who")" --init-groups -- \
            "$bin" --status "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    fi
    rc=$?
    out=$(cat "$tmp/out") err=$(cat "$tmp/err")
    rm -rf "$tmp"
}

# line PID: the text line of the tree whose first process is PID
line() { grep -E "^[a-z]+ [^ ]+ [0-9]+ [^ ]+ pid=$1 " <<<"$out"; }
# val PID KEY: KEY=value of that line
val() { line "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# jfield PID EXPR: a field of the JSON line of PID, as Python prints it
jfield() {
    P=$1 E=$2 python3 -c '
import json, os, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["pid"] == int(os.environ["P"]):
        print(eval(os.environ["E"], {"o": o}))' <<<"$out"
}
# in_any PID: the pids of every line (JSON) that holds PID, or nothing
in_any() {
    P=$1 python3 -c '
import json, os, sys
for l in sys.stdin:
    o = json.loads(l)
    if int(os.environ["P"]) in o["pids"]:
        print(o["kind"], o["verdict"], o["world"])' <<<"$out"
}
# php_top PID: walk up from PID while the parent runs php-cgi8.2 too
php_top() {
    local p=$1 q n=0 real
    real=$(readlink -f "$PHP_REAL")
    while q=$(ppid_of "$p") && [ -n "$q" ] && [ "$(readlink "/proc/$q/exe" 2>/dev/null)" = "$real" ] &&
        [ $n -lt 100 ]; do
        p=$q n=$((n + 1))
    done
    echo "$p"
}
# limits_of PID: "nproc data nofile fsize nice" soft limits from /proc/PID/limits
limits_of() {
    awk '/^Max processes/ { p = $3 } /^Max data size/ { d = $4 } /^Max open files/ { o = $4 }
         /^Max file size/ { f = $4 } /^Max nice priority/ { n = $4 }
         END { print p, d, o, f, n }' "/proc/$1/limits"
}
# bg NAME CMD...: CMD in the background, its pid (after the exec) in FPID[NAME]
bg() {
    local name=$1; shift
    bash -c 'echo $$ >"$0"; exec "$@"' "$WORK/$name.pid" "$@" </dev/null >/dev/null 2>"$WORK/$name.err" &
    local _
    for _ in $(seq 50); do [ -s "$WORK/$name.pid" ] && break; sleep 0.1; done
    FPID[$name]=$(cat "$WORK/$name.pid" 2>/dev/null)
}

# --- preconditions: fail, never opt out ----------------------------------------
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "python3 is installed" test -x /usr/bin/python3
need "capsh is installed (libcap2-bin)" test -x /usr/sbin/capsh
need "unshare is installed" eval "command -v unshare >/dev/null"
need "the status tool is installed ($STATUS_BIN)" test -x "$STATUS_BIN"
need "the NAMESPACES=optional test build is installed ($NSOPT)" test -u "$NSOPT"
needs_met
nginx_setup

# --- the workers ------------------------------------------------------------------
mkdir -p "$LIMITS/$B"
chmod 0755 "$LIMITS" "$LIMITS/$B"
echo 200 >"$LIMITS/$B/nproc"
chmod 0644 "$LIMITS/$B/nproc"

start_worker alice "$RUNDIR/sock/53-alice.sock" as_user fsxweb "$FDSOCK" --env-clear \
    --env PHP_FCGI_CHILDREN=2 unix "$RUNDIR/sock/53-alice.sock" -- "$BIN" -p 8.2 $A $A "$DOCROOT/alice"
start_worker bob "$RUNDIR/sock/53-bob.sock" as_user fsxweb "$FDSOCK" --env-clear \
    --env PHP_FCGI_CHILDREN=0 unix "$RUNDIR/sock/53-bob.sock" -- "$BIN" -p 8.2 $B $B "$DOCROOT/bob"
start_worker bobopt "$RUNDIR/53-bobopt.sock" /usr/sbin/capsh --drop=cap_sys_admin -- \
    -c 'exec "$0" "$@"' "$FDSOCK" --env-clear --env PHP_FCGI_CHILDREN=0 unix "$RUNDIR/53-bobopt.sock" \
    -- "$NSOPT" -p 8.2 $B $B "$DOCROOT/bob"
start_worker handA "$RUNDIR/$A/53-hand.sock" as_user $A "$FDSOCK" --env-clear \
    --env PHP_FCGI_CHILDREN=0 unix "$RUNDIR/$A/53-hand.sock" -- "$PHP_REAL"
start_worker handR "$RUNDIR/53-hand-root.sock" "$FDSOCK" --env-clear \
    --env PHP_FCGI_CHILDREN=0 unix "$RUNDIR/53-hand-root.sock" -- "$PHP_REAL"
start_worker handW "$RUNDIR/sock/53-hand-web.sock" as_user fsxweb "$FDSOCK" --env-clear \
    --env PHP_FCGI_CHILDREN=0 unix "$RUNDIR/sock/53-hand-web.sock" -- "$PHP_REAL"
for w in alice bob bobopt handA handR handW; do
    wait_worker "$w" || continue
    PHP_PID[$w]=$(php_top "${PHP_PID[$w]}")
done
# alice's two children forked (bounded: 50 x 0.1 s)
for _ in $(seq 50); do
    [ "$(pgrep -c -P "${PHP_PID[alice]:-0}")" = 2 ] && break
    sleep 0.1
done
AP=${PHP_PID[alice]:-0} BP=${PHP_PID[bob]:-0} OP=${PHP_PID[bobopt]:-0}
achildren=$(pgrep -P "$AP" | sort -n | paste -sd, -)
is "$(tr ',' '\n' <<<"$achildren" | grep -c .)" 2 "alice's worker forked its 2 children ($achildren)"

# the forgeries, alice's
F=$WORK/forge
mkdir -p "$F/odd dir${nl}x"
chown -R $A: "$F"
ln -s /bin/sleep "$F/php-cgi"
mkdir "$F/copy"
cp /bin/sleep "$F/copy/php-cgi"
chown -R $A: "$F/copy"
cat >"$F/seccomp.py" <<'EOF'
# no_new_privs and an allow-all seccomp filter, then exec argv[1:]: what any user can do
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
class Insn(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Insn))]
insns = (Insn * 1)(Insn(0x06, 0, 0, 0x7fff0000))  # BPF_RET|BPF_K SECCOMP_RET_ALLOW
prog = Prog(1, insns)
if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(prog), 0, 0) != 0:
    sys.exit("prctl: " + os.strerror(ctypes.get_errno()))
os.execv(sys.argv[1], sys.argv[1:])
EOF
bg forgeS setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- bash -c 'exec -a php-cgi "$0" 120' "$F/php-cgi"
bg forgeC setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- bash -c 'cd "$0" && exec /usr/bin/python3 "$1" "$2" 120' \
    "$F/odd dir${nl}x" "$F/seccomp.py" "$F/copy/php-cgi"
bg forgeU setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- unshare -Ui "$F/copy/php-cgi" 120
for _ in $(seq 50); do # each exec'd its program (bounded: 50 x 0.1 s)
    [ "$(cat "/proc/${FPID[forgeS]}/comm" 2>/dev/null)" = php-cgi ] &&
        [ "$(readlink "/proc/${FPID[forgeC]}/exe" 2>/dev/null)" = "$F/copy/php-cgi" ] &&
        [ "$(readlink "/proc/${FPID[forgeU]}/exe" 2>/dev/null)" = "$F/copy/php-cgi" ] && break
    sleep 0.1
done
FS=${FPID[forgeS]} FC=${FPID[forgeC]} FU=${FPID[forgeU]}
is "$(cat "/proc/$FS/comm" 2>&1)|$(tr '\0' ' ' <"/proc/$FS/cmdline" 2>&1)|$(readlink "/proc/$FS/exe")" \
    "php-cgi|php-cgi 120 |$(readlink -f /bin/sleep)" "forgeS: comm and command line say php-cgi, the program is sleep"
is "$(sed -n 's/^NoNewPrivs:\t//p; s/^Seccomp:\t//p' "/proc/$FC/status" 2>&1 | paste -sd/ -)" 1/2 \
    "forgeC: no_new_privs and a seccomp filter, by alice alone"
ok "forgeU: an IPC namespace that is not the host's" \
    test "$(readlink "/proc/$FU/ns/ipc")" != "$(readlink /proc/self/ns/ipc)"

# --- as root: text ----------------------------------------------------------------
status root
is "$rc" 0 "root: --status exits 0"
is "$err" "" "root: nothing on stderr"
is "$(grep -vcE '^(site|outside) [^ ]+ [0-9]+ [a-z,-]+ pid=[0-9]+ world=(proven|none|unknown) proof=(pin|ipc|-) nnp=[01?] seccomp=[012?] exe=[^ ]+ comm=[^ ]+ docroot=[^ ]+ socket=[^ ]+ procs=[0-9]+ tasks=[0-9]+ nproc=[0-9]+/[^ ]+ rss=[^ ]+ pss=[^ ]+ cpu=[0-9]+\.[0-9][0-9] nice=-?[0-9]+ oom_score_adj=[^ ]+ limit\.nproc=[^ ]+ limit\.data=[^ ]+ limit\.nofile=[^ ]+ limit\.fsize=[^ ]+ limit\.nice=[^ ]+$' <<<"$out")" 0 \
    "root: every line has every field, in order"
is "$(line "$AP" | cut -d' ' -f1-11)" \
    "site $A $AU confined pid=$AP world=proven proof=pin nnp=1 seccomp=2 exe=$(readlink -f "$PHP_REAL") comm=php-cgi8.2" \
    "alice's tree: site, fsxalice, confined, in her pinned world, no_new_privs, seccomp filter"
is "$(val "$AP" docroot)|$(val "$AP" socket)" "$DOCROOT/alice|unix:$RUNDIR/sock/53-alice.sock" \
    "alice's tree: its docroot and socket"
is "$(val "$AP" procs)/$(val "$AP" tasks)" 3/3 "alice's tree: 3 processes, 3 tasks"
is "$(line "$BP" | cut -d' ' -f1-9)" "site $B $BU confined pid=$BP world=proven proof=pin nnp=1 seccomp=2" \
    "bob's tree: site, fsxbob, confined, proven"
is "$(val "$BP" docroot)|$(val "$BP" socket)|$(val "$BP" procs)" "$DOCROOT/bob|unix:$RUNDIR/sock/53-bob.sock|1" \
    "bob's tree: its docroot, socket, 1 process"
# the limits, as the launcher set them (the defaults; bob's nproc by his file)
is "$(line "$AP" | grep -o ' nice=.*')" \
    " nice=5 oom_score_adj=1000 limit.nproc=64 limit.data=256M limit.nofile=1024 limit.fsize=1G limit.nice=0" \
    "alice's tree: nice 5, oom_score_adj 1000, the default limits"
is "$(val "$BP" limit.nproc)" 200 "bob's tree: nproc 200, his site's own"
for p in "$AP" "$BP"; do
    read -r lp _ lo _ ln < <(limits_of "$p")
    is "$(val "$p" limit.nproc) $(val "$p" limit.nofile) $(val "$p" limit.nice)" "$lp $lo $ln" \
        "pid $p: nproc, nofile and nice limits as /proc/$p/limits has them"
    used=$(val "$p" nproc)
    ok "pid $p: nproc used (${used%/*}) counts at least its own tasks" test "${used%/*}" -ge "$(val "$p" tasks)"
    ok "pid $p: rss and pss in kB, above 0" bash -c '[[ $1 =~ ^[1-9][0-9]*kB$ && $2 =~ ^[1-9][0-9]*kB$ ]]' _ \
        "$(val "$p" rss)" "$(val "$p" pss)"
done
# without its world, nothing proves the launcher made it
is "$(line "$OP" | cut -d' ' -f1-9)" "outside $B $BU unproven pid=$OP world=none proof=- nnp=1 seccomp=2" \
    "bob's world-less launch (NAMESPACES=optional): outside, unproven, world none"
is "$(line "${PHP_PID[handA]:-0}" | cut -d' ' -f1-9)" \
    "outside $A $AU unconfined pid=${PHP_PID[handA]:-0} world=none proof=- nnp=0 seccomp=0" \
    "alice's php-cgi by hand: outside, unconfined"
is "$(val "${PHP_PID[handA]:-0}" socket)" "unix:$RUNDIR/$A/53-hand.sock" "... on its socket"
is "$(line "${PHP_PID[handR]:-0}" | cut -d' ' -f1-6)" \
    "outside root 0 unconfined,refused-user pid=${PHP_PID[handR]:-0} world=none" \
    "root's php-cgi: outside, unconfined, a user the launcher refuses"
is "$(line "${PHP_PID[handW]:-0}" | cut -d' ' -f1-6)" \
    "outside fsxweb $WU unconfined,refused-user pid=${PHP_PID[handW]:-0} world=none" \
    "fsxweb's php-cgi: outside, unconfined, a user the launcher refuses"
ok "alice's and bob's sites are not refused users" \
    bash -c '! grep -q refused <<<"$1$2"' _ "$(line "$AP")" "$(line "$BP")"
is "$(grep -c "pid=$FS " <<<"$out")" 0 "forgeS (sleep named php-cgi) is no line at all: its program is sleep"
is "$(line "$FC" | cut -d' ' -f1-9)" "outside $A $AU unproven pid=$FC world=none proof=- nnp=1 seccomp=2" \
    "forgeC (a copy named php-cgi, no_new_privs, seccomp): outside, unproven, never confined"
is "$(val "$FC" docroot)" "$F/odd\\040dir\\012x" "forgeC: its working directory, the space and newline escaped (\\040, \\012)"
is "$(grep -c "^x " <<<"$out")" 0 "... on one line"
is "$(line "$FU" | cut -d' ' -f1-9)" "outside $A $AU unconfined pid=$FU world=none proof=- nnp=0 seccomp=0" \
    "forgeU (in an IPC namespace of alice's own): outside, world none"
is "$(grep -c '^site ' <<<"$(for p in "$OP" "${PHP_PID[handA]:-0}" "${PHP_PID[handR]:-0}" "${PHP_PID[handW]:-0}" "$FC" "$FU"; do line "$p"; done)")" 0 \
    "none of the others is a site"

# --- as root: JSON lines --------------------------------------------------------------
status root --json
is "$rc" 0 "root --json: exits 0"
bad=$(python3 -c '
import json, sys
for n, l in enumerate(sys.stdin, 1):
    try:
        o = json.loads(l)
        assert isinstance(o, dict) and isinstance(o["pids"], list) and o["kind"] in ("site", "outside")
    except Exception as e:
        print(n, repr(e), l[:200])' <<<"$out")
is "$bad" "" "root --json: every line is a JSON object"
is "$(jfield "$AP" '"|".join(str(o[k]) for k in ("kind", "user", "uid", "verdict", "refused_user", "world", "proof", "no_new_privs", "seccomp", "docroot", "socket", "procs", "tasks"))')" \
    "site|$A|$AU|confined|False|proven|pin|1|2|$DOCROOT/alice|unix:$RUNDIR/sock/53-alice.sock|3|3" \
    "json: alice's tree"
is "$(jfield "$AP" '",".join(map(str, sorted(o["pids"])))')" "$({ echo "$AP"; tr ',' '\n' <<<"$achildren"; } | sort -n | paste -sd, -)" \
    "json: alice's tree is her worker and its two children, exactly"
is "$(jfield "$AP" '" ".join(str(o["limits"][k]["soft"]) + ":" + str(o["limits"][k]["hard"]) for k in ("nproc", "data", "nofile", "fsize", "nice"))')" \
    "64:64 268435456:268435456 1024:1024 1073741824:1073741824 0:0" "json: alice's limits, soft = hard, in bytes"
is "$(jfield "$AP" 'o["nice"], o["oom_score_adj"]')" "(5, 1000)" "json: alice's nice and oom_score_adj"
read -r lp ld lo lf ln < <(limits_of "$AP")
is "$(jfield "$AP" '" ".join(str(o["limits"][k]["soft"]) for k in ("nproc", "data", "nofile", "fsize", "nice"))')" \
    "$lp $ld $lo $lf $ln" "json: alice's soft limits as /proc/$AP/limits has them"
is "$(jfield "$BP" 'o["kind"], o["verdict"], o["procs"], o["limits"]["nproc"]["soft"]')" "('site', 'confined', 1, 200)" \
    "json: bob's tree, his nproc"
is "$(jfield "${PHP_PID[handR]:-0}" 'o["kind"], o["user"], o["verdict"], o["refused_user"]')" \
    "('outside', 'root', 'unconfined', True)" "json: root's php-cgi refused_user true"
is "$(jfield "$FC" 'o["docroot"]')" "$F/odd dir${nl}x" "json: forgeC's working directory decodes exactly"
is "$(in_any "$FS")" "" "json: forgeS is in no line's pids"
for p in "$FC" "$FU" "$OP"; do
    like "$(in_any "$p")" "^outside (unproven|unconfined) none\$" "json: pid $p only ever outside, never confined"
done

# --- as the users themselves: their own, nothing more -----------------------------------
status $A
is "$rc|$err" "0|" "fsxalice: --status (4755 build) exits 0, nothing on stderr"
is "$(line "$AP" | cut -d' ' -f1-9)" "site $A $AU confined pid=$AP world=proven proof=ipc nnp=1 seccomp=2" \
    "fsxalice: her tree, proven by its IPC namespace (root-made, not the host's)"
is "$(val "$AP" docroot)|$(val "$AP" socket)|$(val "$AP" procs)" \
    "$DOCROOT/alice|unix:$RUNDIR/sock/53-alice.sock|3" "fsxalice: its docroot, socket, 3 processes"
is "$(cut -d' ' -f2 <<<"$out" | sort -u)" "$A" "fsxalice: every line is hers"
is "$(grep -cE "pid=($BP|$OP|${PHP_PID[handR]:-0}|${PHP_PID[handW]:-0}) " <<<"$out")" 0 \
    "fsxalice: nothing of bob's, root's or fsxweb's"
is "$(line "$FU" | cut -d' ' -f1-9)" "outside $A $AU unconfined pid=$FU world=none proof=- nnp=0 seccomp=0" \
    "fsxalice: forgeU's namespace (her user namespace owns it) proves nothing"
is "$(line "$FC" | cut -d' ' -f4)" unproven "fsxalice: forgeC unproven"
is "$(line "${PHP_PID[handA]:-0}" | cut -d' ' -f1-4)" "outside $A $AU unconfined" "fsxalice: her php-cgi by hand"
status $B --json
is "$rc" 0 "fsxbob --json: exits 0"
is "$(jfield "$BP" 'o["verdict"], o["world"], o["proof"], o["socket"]')" \
    "('confined', 'proven', 'ipc', 'unix:$RUNDIR/sock/53-bob.sock')" "fsxbob: his tree, proven by its IPC namespace"
is "$(jfield "$OP" 'o["kind"], o["verdict"], o["world"]')" "('outside', 'unproven', 'none')" \
    "fsxbob: his world-less launch unproven"
is "$(python3 -c 'import json, sys; print(sorted({json.loads(l)["user"] for l in sys.stdin}))' <<<"$out")" \
    "['$B']" "fsxbob: every line is his"
status fsxweb
is "$rc" 0 "fsxweb: exits 0"
is "$(cut -d' ' -f1-5 <<<"$out")" "outside fsxweb $WU unconfined,refused-user pid=${PHP_PID[handW]:-0}" \
    "fsxweb: its own php-cgi, and nothing else"

# --- usage and refusals ---------------------------------------------------------------
status root --bogus
is "$rc" 100 "--status --bogus: exit 100 (usage)"
like "$err" "^fcgi-suexec: usage: --audit and --status take only --json" "--status --bogus: the usage line"
status root --json --json
is "$rc" 100 "--status --json --json: exit 100 (usage)"
timeout 10 "$STATUS_BIN" >/dev/null 2>&1
is "$?" 2 "the status tool without arguments: exit 2"
timeout 10 "$STATUS_BIN" "$BIN" --xml >/dev/null 2>&1
is "$?" 2 "the status tool with a bad option: exit 2"
timeout 10 "$STATUS_BIN" "$BIN" >/dev/null 2>&1
is "$?" 0 "control: the status tool, run as root directly, exits 0"
cp "$STATUS_BIN" "$WORK/status-suid"
chown $A: "$WORK/status-suid"
chmod 4755 "$WORK/status-suid"
err=$(timeout 10 "$WORK/status-suid" "$BIN" 2>&1 >/dev/null)
is "$?|$err" "1|fcgi-suexec-status: must not run setuid or setgid" "the status tool refuses to run setuid"
is "$(stat -c '%U %a' "$STATUS_BIN")" "root 755" "the status tool is installed root 0755, not setuid"

done_testing
