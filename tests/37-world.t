#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016,SC2317 # '$$' is for bash -c; functions run by trap
# 37-world.t - every site gets a private world (issue 11), asserted from
# inside the exec'd worker. The probe (the test build's PHP_CGI) runs the
# cases of ./probe-world (its "w.*" keys, tests/helpers/probe.c); the same
# cases run by "probe --world" as alice or root WITHOUT the launcher are the
# controls, so each denial below is the world's doing, not a broken case:
#
#   1. /tmp, /var/tmp (and /var/lib/php/sessions) are the site's private temp
#      TMP_BASE/<user>: what the worker writes there by the literal name
#      appears in TMP_BASE/<user>, not in the machine's directories; /dev/shm
#      is a tmpfs of the site's own, never the machine's; TMPDIR=/tmp.
#   2. SysV IPC and /dev/shm are shared by the launches of one site (the
#      worker exits in between: the pinned namespaces keep them) and private
#      from another site and from the machine (root's 0666 segment).
#   3. /proc is a fresh procfs, hidepid=invisible: /proc/self readable, root's
#      and another site's processes invisible, the worker's own child visible.
#   4. /run/user/UID/bus, a real listening socket, is unreachable (ENOENT).
#   5. A written ELF runs by no route (execve, ./NAME, the dynamic loader,
#      mmap PROT_EXEC) from the docroot, the cwd, /tmp, /var/tmp, /dev/shm
#      and TMP_BASE/<user>; their mounts are noexec in /proc/self/mountinfo;
#      the same in the Apache-compatible mode for the command's directory.
#   6. The allow line says world=made, then world=joined; --check prints a
#      world: line; -V prints NAMESPACES= and OPEN_BASEDIR=.
#
# The launches run in a private mount namespace (unshare -m --propagation
# private), made here, so each run gets fresh site worlds (keyed by the
# namespace's inode) and nothing of them outlives the test: /run there is a
# tmpfs of the test's (where the worlds are pinned and alice's user bus
# listens), /dev a directory of the test's with the machine's null, zero,
# urandom, random and shm bound in, and "log", the socket of
# tests/helpers/syslogd (as in tests/52-syslog.t). The test runs itself with
# --inner WORK in that namespace: that part only lays cases and launches,
# recording each run's pid, exit code, stdout and stderr in WORK; every
# assertion is made outside, on those files and the log.
#
# Everything written (probe-world files, the workers' files, a CGI directory
# in alice's site, SysV objects, sleepers) is removed on exit.
set -u
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice B=fsxbob
AU=$(id -u $A) AG=$(id -g $A) BU=$(id -u $B)
W=$DOCROOT/alice BW=$DOCROOT/bob
ATMP=$TESTROOT/tmp/$A                   # alice's private temp: her /tmp and /var/tmp
SESS=/var/lib/php/sessions              # also hers in the worker, when it exists
LOADER=/lib64/ld-linux-x86-64.so.2
SYSLOGD=$HELPERS/syslogd
PROBE_SRC=$HELPERS/probe
# The rest is chosen by the outer run and given to the inner one in WORK/vars.
TAG=fsx37-$$                            # the names of the files the workers write
CT=$W/t37.$$                            # Apache mode: a directory of alice's site ...
CGI=$CT/cgi                             # ... and the command's directory in it
KEYA=$((0x37370000 + $$ % 65536 * 2))   # alice's SysV segment and semaphore
KEYH=$((KEYA + 1))                      # root's, in the machine's IPC namespace

# --- the cases (lines of probe-world) -------------------------------------------

# what a launch of alice's sees; run by alice outside the launcher, the control
view_cases() {
    local m
    cat <<EOF
status self /proc/self/status
readlink ipc /proc/self/ns/ipc
stat root /proc/$RPID
stat init /proc/1
stat bob /proc/$BPID
stat alice_outside /proc/$APID
proc_child child
proc_uids all
connect bus /run/user/$AU/bus
shm_read host $KEYH
sem_read host $KEYH
EOF
    for m in "cwd ." "docroot $W" "tmp /tmp" "vartmp /var/tmp" "shm /dev/shm" "tmpbase $ATMP" \
        "proc /proc" "runuser /run/user"; do
        echo "mnt $m"
    done
    [ -d "$SESS" ] && echo "mnt sess $SESS"
    for m in "docroot $W" "cwd ." "tmp /tmp" "vartmp /var/tmp" "shm /dev/shm" "tmpbase $ATMP"; do
        echo "exec $m $LOADER"
    done
}

# alice's first launch writes, by the literal names
write_cases() {
    cat <<EOF
write tmp /tmp/$TAG-tmp $TOK-tmp
write vartmp /var/tmp/$TAG-vartmp $TOK-vartmp
write shm /dev/shm/$TAG-shm $TOK-shm
shm_make site $KEYA 644 $TOK-sysv
sem_make site $KEYA 37
stat devshm /dev/shm
EOF
    [ -d "$SESS" ] && echo "write sess $SESS/$TAG-sess $TOK-sess"
    true
}

# a later launch of alice's, bob's, root outside: what of it do they see?
read_cases() {
    cat <<EOF
read tmp /tmp/$TAG-tmp
read vartmp /var/tmp/$TAG-vartmp
read shm /dev/shm/$TAG-shm
shm_read site $KEYA
sem_read site $KEYA
readlink ipc /proc/self/ns/ipc
stat devshm /dev/shm
EOF
    [ -d "$SESS" ] && echo "read sess $SESS/$TAG-sess"
    true
}

# alice's last launch removes what the first made (from her world)
clean_cases() {
    cat <<EOF
unlink shm /dev/shm/$TAG-shm
shm_rm site $KEYA
sem_rm site $KEYA
unlink tmp /tmp/$TAG-tmp
unlink vartmp /var/tmp/$TAG-vartmp
EOF
    [ -d "$SESS" ] && echo "unlink sess $SESS/$TAG-sess"
    true
}

# --- inside the namespace ------------------------------------------------------

# run NAME USER BIN ARGS...: BIN ARGS as USER from the current directory, fd 0 a
# listening abstract socket; NAME.pid (the launcher's: bash, then setpriv and
# fdsock exec into it), NAME.rc, NAME.out, NAME.err in WORK
run() {
    local name=$1 user=$2 bin=$3
    shift 3
    timeout 20 bash -c 'echo $$ >"$0"; exec "$@"' "$WORK/$name.pid" \
        setpriv --reuid "$user" --regid "$(id -g "$user")" --init-groups -- \
        "$FDSOCK" --env-clear abstract "t37.$$.$name" -- "$bin" "$@" \
        </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}

# outside NAME USER DIR: "probe --world" as USER from DIR, no launcher
outside() {
    (cd "$3" && timeout 20 setpriv --reuid "$2" --regid "$(id -g "$2")" --init-groups -- \
        "$PROBE" --world) </dev/null >"$WORK/$1.out" 2>"$WORK/$1.err"
    echo $? >"$WORK/$1.rc"
}

# cases DIR: stdin becomes DIR/probe-world, the cases of the next run from DIR
cases() { cat >"$1/probe-world.new" && chmod 0644 "$1/probe-world.new" && mv -f "$1/probe-world.new" "$1/probe-world"; }

inner() {
    local f bus_pid ns _
    for f in null zero urandom random shm; do
        mount --bind "/dev/$f" "$WORK/dev/$f" || exit 3
    done
    mount --rbind "$WORK/dev" /dev || exit 3     # recursive: the binds in it come along
    [ -c /dev/null ] && [ -S /dev/log ] || exit 4
    mount -t tmpfs -o mode=0755 fsx37-run /run || exit 3
    install -d -m 0755 /run/user && install -d -o $A -g "$AG" -m 0700 "/run/user/$AU" || exit 3
    setpriv --reuid $A --regid "$AG" --init-groups -- \
        "$FDSOCK" unix "/run/user/$AU/bus" -- /bin/sleep 120 </dev/null >/dev/null 2>&1 &
    bus_pid=$!
    trap 'kill "$bus_pid" 2>/dev/null' EXIT
    for _ in $(seq 50); do [ -S "/run/user/$AU/bus" ] && break; sleep 0.1; done
    [ -S "/run/user/$AU/bus" ] || exit 4

    cd "$W" || exit 5
    { view_cases; write_cases; } | cases "$W"
    run a1 fsxweb "$BIN" $A $A "$W"             # alice's first launch: world=made
    view_cases | cases "$W"
    outside ctl-alice $A "$W"                    # the control: the same cases, no launcher
    cd "$CGI" || exit 5
    cases "$CGI" <<EOF
mnt cwd .
mnt site $W
readlink ipc /proc/self/ns/ipc
exec cwd . $LOADER
EOF
    run ap fsxweb "$BIN" "$AU" "$AG" probe      # Apache mode, alice's site again
    cd "$W" || exit 5
    read_cases | cases "$W"
    run a2 fsxweb "$BIN" $A $A "$W"             # alice's second launch: world=joined
    cd "$BW" || exit 5
    { read_cases; echo "stat alice_outside /proc/$APID"; } | cases "$BW"
    run b1 fsxweb "$BIN" $B $B "$BW"            # bob's first launch: a world of his own
    cd "$WORK/host" || exit 5
    { read_cases; echo "read tmpbase_tmp $ATMP/$TAG-tmp"; echo "read tmpbase_vartmp $ATMP/$TAG-vartmp"
        [ -d "$SESS" ] && echo "read tmpbase_sess $ATMP/$TAG-sess"; } | cases "$WORK/host"
    outside host root "$WORK/host"               # the machine: root outside, while alice's exist
    echo "exec here . $LOADER" | cases "$WORK/ctl"
    outside ctl-root root "$WORK/ctl"            # an exec-capable directory: the ELF runs
    cd / || exit 5
    run check fsxweb "$BIN" --check $A $A "$W"
    run version fsxweb "$BIN" -V
    cd "$W" || exit 5
    clean_cases | cases "$W"
    run a3 fsxweb "$BIN" $A $A "$W"             # alice's third launch: joined, removes hers
    cd / || exit 5

    ns=$(stat -L -c %i /proc/self/ns/mnt)
    stat -c '%U:%G %a' "/run/fcgi-suexec/$ns" /run/fcgi-suexec >"$WORK/pins.dir" 2>&1
    for f in "/run/fcgi-suexec/$ns"/*; do
        [ -e "$f" ] && echo "${f##*/} $(findmnt -n -o FSTYPE --mountpoint "$f")"
    done | sort >"$WORK/pins"
    exit 0
}

if [ "${1:-}" = --inner ]; then
    WORK=$2
    # shellcheck disable=SC1091 # written by the outer run
    . "$WORK/vars"
    inner
fi

# --- outside ---------------------------------------------------------------------
need "unshare and findmnt are installed" eval "command -v unshare findmnt >/dev/null"
need "the dynamic loader $LOADER exists" test -x "$LOADER"
need "$SYSLOGD is built (make helpers)" test -x "$SYSLOGD"
need "docroots $W and $BW exist" test -d "$W" -a -d "$BW"
need "the probe of the fixture knows the world cases (tests/fixture.sh up)" \
    eval "cmp -s '$PROBE' '$PROBE_SRC'"
needs_met

rand() { od -An -tx8 -N8 /dev/urandom | tr -d ' \n'; }
TOK=fsx37-$(rand)                       # what the workers write: only this run's files hold it
TOKH=fsx37-host-$(rand)                 # what root's segment holds
WORK=$(mktemp -d /tmp/t37.XXXXXX) || bail "mktemp failed"
RPID='' BPID='' APID='' SPID=''

cleanup() {
    local p
    cd / || true
    for p in "$SPID" "$RPID" "$BPID" "$APID"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$WORK" "$CT"
    rm -f "$W/probe-world" "$W/probe-world.new" "$BW/probe-world" "$BW/probe-world.new" \
        "$W"/.probe-elf-* "$ATMP"/.probe-elf-* "$ATMP/$TAG"-* "$TESTROOT/tmp/$B/$TAG"-* \
        /tmp/"$TAG"-* /var/tmp/"$TAG"-* /dev/shm/"$TAG"-* \
        /tmp/.probe-elf-* /var/tmp/.probe-elf-* /dev/shm/.probe-elf-*   # the controls' copies
    [ -d "$SESS" ] && rm -f "$SESS/$TAG"-*
    # SysV objects in the machine's namespace: root's, and alice's if the world did not hold them
    ipcrm -M "$KEYA" -S "$KEYA" -M "$KEYH" -S "$KEYH" 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# wf NAME KEY: the value of KEY in NAME's report ("" if none)
wf() { awk -v k="$2=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' "$WORK/$1.out" 2>/dev/null; }
rc_of() { cat "$WORK/$1.rc" 2>/dev/null; }

# the processes the worker must not see, and one of alice's outside it
sleep 120 >/dev/null 2>&1 &
RPID=$!
# (setpriv, not as_user: a function in the background would be a root subshell)
setpriv --reuid $B --regid "$(id -g $B)" --init-groups -- sleep 120 </dev/null >/dev/null 2>&1 &
BPID=$!
setpriv --reuid $A --regid "$AG" --init-groups -- sleep 120 </dev/null >/dev/null 2>&1 &
APID=$!

# root's 0666 segment and semaphore in the machine's IPC namespace
install -d -m 0755 "$WORK/host" "$WORK/ctl" "$WORK/dev"
printf 'shm_read site %s\nshm_read root %s\n' "$KEYA" "$KEYH" >"$WORK/ctl/probe-world"
out=$(cd "$WORK/ctl" && "$PROBE" --world)
is "$(field w.shm_read.site)/$(field w.shm_read.root)" ENOENT/ENOENT \
    "control: no SysV segment with the keys of this run ($KEYA, $KEYH) before it"
printf 'shm_make root %s 666 %s\nsem_make root %s 73\n' "$KEYH" "$TOKH" "$KEYH" >"$WORK/ctl/probe-world"
out=$(cd "$WORK/ctl" && "$PROBE" --world)
like "$out" "w.shm_make.root=ok${nl}w.sem_make.root=ok" "root made a 0666 segment and a semaphore (key $KEYH) in the machine's IPC namespace"

# the Apache-mode command: a copy of the probe, alice's, in a directory of her site
install -d -o $A -g "$AG" -m 0755 "$CT" "$CGI"
cp "$PROBE_SRC" "$CGI/probe" && chown "$A:$AG" "$CGI/probe" && chmod 0755 "$CGI/probe"

# the test's /dev in the namespace, with its log socket
for f in null zero urandom random; do : >"$WORK/dev/$f"; done
install -d -m 0755 "$WORK/dev/shm"
ln -s /proc/self/fd "$WORK/dev/fd"
"$SYSLOGD" "$WORK/dev/log" "$WORK/log" 300 &
SPID=$!
for _ in $(seq 50); do [ -S "$WORK/dev/log" ] && break; sleep 0.1; done
[ -S "$WORK/dev/log" ] || bail "syslogd did not bind $WORK/dev/log"

declare -p TAG CT CGI KEYA KEYH TOK RPID BPID APID >"$WORK/vars"
timeout 240 unshare -m --propagation private -- bash "$0" --inner "$WORK"
is "$?" 0 "the launches ran in a private mount namespace (private /run, /dev with the machine's shm)"

kill -TERM "$SPID"
for _ in $(seq 50); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
wait "$SPID"
SPID=
LOG=$(cat "$WORK/log" 2>/dev/null)

for r in a1 ap a2 b1 a3; do
    is "$(rc_of $r)/$(wf $r ran)/$(wf $r w.file)" 0/1/read "$r: exit 0, the probe ran and read its cases"
    [ "$(rc_of $r)" = 0 ] || diag "$r stderr: $(cat "$WORK/$r.err")"
done
for r in ctl-alice ctl-root host; do
    is "$(rc_of $r)/$(wf $r w.file)" 0/read "$r (outside the launcher): the probe read its cases"
done

# --- 1. the private temp and /dev/shm ------------------------------------------------
is "$(wf a1 euid)" "$AU" "a1: the worker runs as $A"
like "$(grep '^env=' "$WORK/a1.out")" "(^|$nl)env=TMPDIR=/tmp($nl|\$)" "a1: TMPDIR=/tmp"
for k in tmp vartmp shm; do
    is "$(wf a1 "w.write.$k")" ok "a1: the worker wrote its file in $(sed -n "s/^write $k \([^ ]*\) .*/\1/p" <(write_cases))"
done
is "$(wf host w.read.tmpbase_tmp)" "$TOK-tmp" "/tmp/$TAG-tmp of the worker is $ATMP/$TAG-tmp on the machine"
is "$(wf host w.read.tmpbase_vartmp)" "$TOK-vartmp" "/var/tmp/$TAG-vartmp of the worker is $ATMP/$TAG-vartmp on the machine"
is "$(wf host w.read.tmp)" ENOENT "... and no /tmp/$TAG-tmp on the machine"
is "$(wf host w.read.vartmp)" ENOENT "... and no /var/tmp/$TAG-vartmp on the machine"
is "$(wf host w.read.shm)" ENOENT "the worker's /dev/shm/$TAG-shm is not in the machine's /dev/shm"
if [ -d "$SESS" ]; then
    is "$(wf a1 w.write.sess)" ok "a1: the worker wrote $SESS/$TAG-sess"
    is "$(wf host w.read.tmpbase_sess)" "$TOK-sess" "$SESS of the worker is $ATMP on the machine"
    is "$(wf host w.read.sess)" ENOENT "... and no $SESS/$TAG-sess on the machine"
fi
is "$(wf a1 w.stat.devshm)" "uid=$AU" "a1: /dev/shm is owned by $A"
is "$(wf a1 w.mnt.shm.fs)" tmpfs "a1: /dev/shm is a tmpfs"
unlike "$(wf a1 w.mnt.shm.id)" "^($(wf ctl-alice w.mnt.shm.id))?\$" "a1: ... not the machine's /dev/shm mount"
for k in tmp vartmp shm tmpbase sess; do
    [ $k = sess ] && [ ! -d "$SESS" ] && continue
    for o in nosuid nodev noexec; do
        like "$(wf a1 "w.mnt.$k")" "(^|,)$o(,|\$)" "a1: the mount of the worker's $k is $o"
    done
    unlike "$(wf ctl-alice "w.mnt.$k")" "(^|,)noexec(,|\$)" "control: outside, $k's mount is not noexec"
done
is "$(wf a1 w.mnt.tmp.point)|$(wf a1 w.mnt.vartmp.point)|$(wf a1 w.mnt.shm.point)" "/tmp|/var/tmp|/dev/shm" \
    "a1: /tmp, /var/tmp and /dev/shm are mount points of their own"

# --- 2. shared by the site's launches, private from bob and the machine ------------------
is "$(wf a1 w.shm_make.site)/$(wf a1 w.sem_make.site)" ok/ok "a1: made a SysV segment and a semaphore (key $KEYA, 0644)"
is "$(wf a2 w.shm_read.site)" "$TOK-sysv" "a2: alice's next launch reads the segment of the first (exited)"
is "$(wf a2 w.sem_read.site)" 37 "a2: ... and its semaphore"
is "$(wf a2 w.read.shm)" "$TOK-shm" "a2: ... and its /dev/shm file"
is "$(wf a2 w.read.tmp)" "$TOK-tmp" "a2: ... and its /tmp file"
is "$(wf a3 w.unlink.shm)/$(wf a3 w.shm_rm.site)/$(wf a3 w.sem_rm.site)" ok/ok/ok \
    "a3: alice's third launch removes them (still there)"
like "$(wf a1 w.readlink.ipc)" '^ipc:\[[0-9]+\]$' "a1: its IPC namespace is readable"
is "$(wf a2 w.readlink.ipc)" "$(wf a1 w.readlink.ipc)" "a2: the same IPC namespace as a1"
is "$(wf ap w.readlink.ipc)" "$(wf a1 w.readlink.ipc)" "ap (Apache mode, alice): the same IPC namespace as a1"
unlike "$(wf b1 w.readlink.ipc)" "^($(wf a1 w.readlink.ipc | sed 's/[][]/\\&/g'))?\$" "b1: bob's IPC namespace is not alice's"
unlike "$(wf host w.readlink.ipc)" "^($(wf a1 w.readlink.ipc | sed 's/[][]/\\&/g'))?\$" "the machine's IPC namespace is not alice's"
is "$(wf b1 w.shm_read.site)/$(wf b1 w.sem_read.site)" ENOENT/ENOENT "b1: bob's launch sees no segment or semaphore of alice's"
is "$(wf b1 w.read.shm)" ENOENT "b1: ... no /dev/shm file of alice's"
is "$(wf b1 w.read.tmp)" ENOENT "b1: ... no /tmp file of alice's"
is "$(wf b1 w.stat.devshm)" "uid=$BU" "b1: bob's /dev/shm is his"
is "$(wf host w.shm_read.site)/$(wf host w.sem_read.site)" ENOENT/ENOENT "the machine has no segment or semaphore of alice's"
is "$(wf ctl-alice w.shm_read.host)/$(wf ctl-alice w.sem_read.host)" "$TOKH/73" \
    "control: alice outside the launcher reads root's 0666 segment and its semaphore"
is "$(wf a1 w.shm_read.host)/$(wf a1 w.sem_read.host)" ENOENT/ENOENT "a1: the worker does not see root's segment or semaphore"

# --- 3. /proc ---------------------------------------------------------------------------
is "$(wf a1 w.status.self)" "uid=$AU,$AU,$AU,$AU" "a1: /proc/self/status is readable and shows $A"
is "$(wf a1 w.mnt.proc.fs)" proc "a1: /proc is a procfs"
like "$(wf a1 w.mnt.proc.super)" '(^|,)hidepid=(invisible|2)(,|$)' "a1: ... mounted hidepid=invisible"
unlike "$(wf a1 w.mnt.proc.id)" "^($(wf ctl-alice w.mnt.proc.id))?\$" "a1: ... a procfs of its own, not the machine's mount"
is "$(wf ctl-alice w.stat.root)/$(wf ctl-alice w.stat.init)/$(wf ctl-alice w.stat.bob)" "uid=0/uid=0/uid=$BU" \
    "control: outside, alice sees root's sleep, pid 1 and bob's sleep"
is "$(wf a1 w.stat.root)" ENOENT "a1: root's process is not in the worker's /proc"
is "$(wf a1 w.stat.init)" ENOENT "a1: pid 1 (root's) is not in the worker's /proc"
is "$(wf a1 w.stat.bob)" ENOENT "a1: bob's process is not in the worker's /proc"
is "$(wf a1 w.proc_child.child)" "uid=$AU" "a1: the worker's own child is in its /proc"
is "$(wf a1 w.proc_uids.all)" "$AU" "a1: /proc lists processes of $A only"
like "$(wf ctl-alice w.proc_uids.all)" "(^|,)0(,|\$)" "control: outside, /proc lists root's processes"
# A process of alice's outside the worker: hidepid asks ptrace_may_access(READ),
# which Landlock refuses for a task outside the worker's domain; so it is not
# asserted, only shown.
diag "alice's own sleep outside the worker: $(wf ctl-alice w.stat.alice_outside) outside, $(wf a1 w.stat.alice_outside) in a1, $(wf b1 w.stat.alice_outside) in b1"

# --- 4. the user bus --------------------------------------------------------------------
is "$(wf ctl-alice w.connect.bus)" ok "control: alice outside the launcher connects to /run/user/$AU/bus"
is "$(wf a1 w.connect.bus)" ENOENT "a1: the worker cannot reach /run/user/$AU/bus (ENOENT)"
is "$(wf a1 w.mnt.runuser.fs)" tmpfs "a1: /run/user is a tmpfs"
like "$(wf a1 w.mnt.runuser)" '^ro(,|$)' "a1: ... mounted read-only"

# --- 5. written code ---------------------------------------------------------------------
# the controls: outside the launcher, the same copy runs by every route
for l in docroot cwd tmp vartmp shm tmpbase; do
    is "$(wf ctl-alice "w.exec.$l.copy") $(wf ctl-alice "w.exec.$l.direct") $(wf ctl-alice "w.exec.$l.relative") $(wf ctl-alice "w.exec.$l.loader") $(wf ctl-alice "w.exec.$l.mmap")" \
        "ok ok ok ok ok" "control: alice outside the launcher runs the ELF she wrote in $l by every route"
done
is "$(wf ctl-root w.exec.here.copy) $(wf ctl-root w.exec.here.direct) $(wf ctl-root w.exec.here.relative) $(wf ctl-root w.exec.here.loader) $(wf ctl-root w.exec.here.mmap)" \
    "ok ok ok ok ok" "control: root runs it by every route from $WORK/ctl"
# no_route RUN LABEL WHERE: the copy was written, and runs by no route
no_route() {
    is "$(wf "$1" "w.exec.$2.copy")" ok "$1: the worker wrote an ELF in $3"
    is "$(wf "$1" "w.exec.$2.direct")" EACCES "$1: execve of its path in $3: EACCES"
    is "$(wf "$1" "w.exec.$2.relative")" EACCES "$1: execve of ./NAME from $3: EACCES"
    like "$(wf "$1" "w.exec.$2.loader")" '^(exit=[1-9][0-9]*|E[A-Z0-9]+)$' "$1: $LOADER ./NAME from $3 fails"
    like "$(wf "$1" "w.exec.$2.mmap")" '^(EPERM|EACCES)$' "$1: mmap PROT_EXEC of it in $3 fails"
}
no_route a1 docroot "the docroot"
no_route a1 cwd "the cwd"
no_route a1 tmp /tmp
no_route a1 vartmp /var/tmp
no_route a1 shm /dev/shm
no_route a1 tmpbase "$ATMP"
is "$(wf a1 cwd)|$(wf a1 w.mnt.cwd.point)" "$W|$W" "a1: the cwd is the docroot, a mount point of its own"
for o in nosuid nodev noexec; do
    like "$(wf a1 w.mnt.cwd)" "(^|,)$o(,|\$)" "a1: the cwd's mount (id $(wf a1 w.mnt.cwd.id)) is $o"
done
is "$(wf a1 w.mnt.docroot.id)" "$(wf a1 w.mnt.cwd.id)" "a1: the docroot by its path is the same mount"
unlike "$(wf ctl-alice w.mnt.cwd)" "(^|,)noexec(,|\$)" "control: outside, the docroot's mount is not noexec"
like "$(wf ctl-alice w.mnt.cwd)" "(^|,)(rw|ro)(,|\$)" "control: the mount is found in mountinfo by statx's mount id"

# Apache mode: the command's directory, inside the site's top directory
is "$(wf ap cwd)|$(wf ap euid)" "$CGI|$AU" "ap: the command runs as $A in its directory"
is "$(wf ap w.mnt.cwd.point)" "$W" "ap: the cwd's mount is the site's top directory, mounted on itself"
like "$(wf ap w.mnt.cwd)" '(^|,)noexec(,|$)' "ap: the cwd's mount is noexec"
no_route ap cwd "the command's directory"

# --- 6. the log, --check, -V ----------------------------------------------------------------
pid_of() { cat "$WORK/$1.pid" 2>/dev/null; }
# allow_line NAME: the allow line of NAME's launcher (timestamp and tag removed)
allow_line() {
    sed -nE "s/^<[0-9]+>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} fcgi-suexec\\[$(pid_of "$1")\\]: (result=allow .*)/\\1/p" <<<"$LOG"
}
for r in a1 ap a2 b1 a3; do
    like "$(allow_line $r)" '^result=allow ' "$r: logged an allow line"
done
like "$(allow_line a1)" ' world=made( |$)' "a1: alice's first launch in this namespace: world=made"
like "$(allow_line ap)" ' world=joined( |$)' "ap: the Apache-mode launch of alice's site: world=joined"
like "$(allow_line a2)" ' world=joined( |$)' "a2: alice's second launch: world=joined"
like "$(allow_line b1)" ' world=made( |$)' "b1: bob's first launch: world=made"
like "$(allow_line a3)" ' world=joined( |$)' "a3: alice's third launch: world=joined"
like "$(cat "$WORK/check.out")" "(^|$nl)world: " "--check prints a world: line"
is "$(rc_of check)" 0 "--check: exit 0"
like "$(cat "$WORK/version.out")" "(^|$nl)NAMESPACES=(required|optional)($nl|\$)" "-V: NAMESPACES="
like "$(cat "$WORK/version.out")" "(^|$nl)OPEN_BASEDIR=auto($nl|\$)" "-V: OPEN_BASEDIR=auto (the default)"
a1_argv=$(grep '^argv[0-9]*=' "$WORK/a1.out")
unlike "$a1_argv" "open_basedir=" "a1: Landlock applied, so no -d open_basedir= for php-cgi"
like "$a1_argv" "(^|$nl)argv[0-9]+=upload_tmp_dir=$ATMP($nl|\$)" "a1: ... the other -d options stay"

# the pins: this namespace's worlds, two per site
ns_dir_state=$(cat "$WORK/pins.dir")
like "$ns_dir_state" "^root:root 700$nl" "the worlds of the namespace are pinned in a root-only 0700 directory"
is "$(cat "$WORK/pins")" "$(printf '%s\n' "$AU.$A.ipc nsfs" "$AU.$A.mnt nsfs" "$BU.$B.ipc nsfs" "$BU.$B.mnt nsfs" | sort)" \
    "the pins: alice's and bob's mount and IPC namespaces"
is "$(grep -c "$WORK" /proc/self/mountinfo)" 0 "no mount of the test's namespace visible outside"

done_testing
