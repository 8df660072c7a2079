#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions run by trap
# 13-terminal.t - the worker never has a controlling terminal, nor a terminal
# on fds 1 and 2 (issue 10, item 9), even when the caller leads the session
# of a real pty (script(1), ssh -t): there setsid() fails, and the launcher
# gives the terminal up with TIOCNOTTY and puts /dev/null in place of it.
#
# The worker is a "#!" script of alice's in the Apache compatible mode that
# writes "started" into its directory and then sleeps, with a token in its
# argv; the test reads its /proc/PID/stat (tty_nr, field 7) and fd/1, fd/2
# from outside while it sleeps. Control: the same script started under the
# same script(1) without the launcher has the pty as controlling terminal.
set -u
. "$(dirname "$0")/lib.sh"

A=fsxalice
AU=$(id -u $A) AG=$(id -g $A)
D=$DOCROOT/alice/t13.$$
TOKEN=t13-$$-$RANDOM
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    pkill -u $A -f "$TOKEN" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

need "script(1) is installed" test -x /usr/bin/script
needs_met

install -d -o $A -g $A -m 0755 "$D"
cat >"$D/hold.sh" <<'EOF'
#!/bin/sh
echo started >"$PWD/started.$1"
exec sleep 4
EOF
chown $A:$A "$D/hold.sh" && chmod 0755 "$D/hold.sh"

# worker_pid TAG: the pid of alice's sleeping worker started with TAG (5 s at most)
worker_pid() {
    local i p
    for i in $(seq 50); do
        p=$(pgrep -u $A -f "^sleep 4$" -n 2>/dev/null)
        if [ -n "$p" ] && [ -e "$D/started.$1" ]; then echo "$p"; return; fi
        sleep 0.1
    done
}
tty_nr() { awk '{ print $7 }' "/proc/$1/stat"; }

# under_pty TAG CMD: run CMD in a new pty session (script), as $PTY_AS (fsxweb), in $D
under_pty() {
    local tag=$1 as=${PTY_AS:-fsxweb}; shift
    (cd "$D" && timeout 10 setpriv --reuid "$as" --regid "$(id -g "$as")" --init-groups -- \
        script -qfec "$*" /dev/null >/dev/null 2>&1) &
    PIDS+=($!)
}

# probe_case NAME TAG EXPECT: EXPECT "none": no controlling tty, fds 1, 2 on /dev/null
probe_case() {
    local name=$1 tag=$2 expect=$3 pid
    pid=$(worker_pid "$tag")
    if [ -z "$pid" ]; then
        ok "$name: the worker started (started.$tag, a sleeping process)" false
        return
    fi
    ok "$name: the worker started" true
    if [ "$expect" = none ]; then
        is "$(tty_nr "$pid")" 0 "$name: no controlling terminal (tty_nr 0)"
        is "$(readlink "/proc/$pid/fd/1")|$(readlink "/proc/$pid/fd/2")" "/dev/null|/dev/null" \
            "$name: fds 1 and 2 are /dev/null"
    else
        unlike "$(tty_nr "$pid")" '^0$' "$name: has the pty as controlling terminal"
        like "$(readlink "/proc/$pid/fd/1")" '^/dev/pts/' "$name: fd 1 is the pty"
    fi
    kill "$pid" 2>/dev/null
    wait "${PIDS[-1]}" 2>/dev/null
}

SOCK=$RUNDIR/sock/t13.$$
# the caller leads the pty's session: setsid() fails, TIOCNOTTY is used
under_pty lead "exec $FDSOCK unix $SOCK.1 -- $BIN $AU $AG hold.sh lead $TOKEN"
probe_case "caller leads the session (exec under script)" lead none
# the caller is a child of the session leader: setsid() works
under_pty child "$FDSOCK unix $SOCK.2 -- $BIN $AU $AG hold.sh child $TOKEN; true"
probe_case "caller inside the session (child of the shell)" child none
# control: the same script, same pty, no launcher
PTY_AS=$A under_pty control "exec ./hold.sh control $TOKEN"
probe_case "control: without the launcher" control tty
rm -f "$SOCK".*

done_testing
