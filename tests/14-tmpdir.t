#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions run by trap
# 14-tmpdir.t - the private temp TMP_BASE/<user> is made atomically (issue 10,
# item 10): under a name no user can have (".user.pid"), owned and moded,
# then renamed into place with RENAME_NOREPLACE. A launcher killed at any
# step must never leave a root-owned TMP_BASE/<user> (every later launch of
# that site would be refused, 108), and concurrent first launches of one site
# must all succeed with one directory.
#
# The kill lands on a chosen system call: strace, as root, injects SIGKILL
# at it (strace -e inject=CALL:signal=KILL), the launcher called by root.
set -u
. "$(dirname "$0")/lib.sh"

nl=$'\n'
C=fsxcarol
W=$DOCROOT/carol
CTMP=$TESTROOT/tmp/$C

cleanup() { rm -rf "$CTMP" "$TESTROOT/tmp/.$C".*; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

need "strace is installed" test -x /usr/bin/strace
needs_met

# killed_at CALL: a first launch of carol's site, killed by SIGKILL when it
# makes system call CALL; then the state of TMP_BASE
killed_at() {
    rm -rf "$CTMP" "$TESTROOT/tmp/.$C".*
    # (strace dies of the signal it injected: the subshell reports it, to /dev/null)
    (timeout 10 strace -qq -o /dev/null -e trace="$1" -e inject="$1:signal=KILL" \
        "$FDSOCK" unix "$RUNDIR/t14.sock" -- "$BIN" $C $C "$W" >/dev/null 2>&1 </dev/null; :) 2>/dev/null
    rm -f "$RUNDIR/t14.sock"
}

for call in mkdirat fchownat renameat2; do
    killed_at $call
    ok "killed at $call: TMP_BASE/$C is not left behind, root's" \
        eval "[ ! -e '$CTMP' ] || [ \"\$(stat -c %U '$CTMP')\" = $C ]"
    AS=root launch $C $C "$W"
    is "$rc|$(stat -c %U:%G:%a "$CTMP" 2>&1)" "0|$C:$C:700" "killed at $call: the next launch starts, with the private temp"
done
ok "a launch killed half-way leaves at most a stray .$C.PID" \
    eval "[ \"\$(find '$TESTROOT/tmp' -maxdepth 1 -name '.$C.*' -user root | wc -l)\" -le 1 ]"

# control: the kill really lands (the launch dies, nothing runs)
rm -rf "$CTMP"
out=$(timeout 10 strace -qq -o /dev/null -e trace=fchownat -e inject=fchownat:signal=KILL \
    "$FDSOCK" unix "$RUNDIR/t14.sock" -- "$BIN" $C $C "$W" 2>/dev/null </dev/null)
rm -f "$RUNDIR/t14.sock"
unlike "$out" "ran=1" "control: the launch killed at fchownat runs nothing"

# an empty root-owned TMP_BASE/<user>, as an older launcher killed half-way left it
rm -rf "$CTMP" "$TESTROOT/tmp/.$C".*
install -d -o root -g root -m 0700 "$CTMP"
launch $C $C "$W"
is "$rc|$(stat -c %U:%a "$CTMP")" "0|$C:700" "a root-owned empty private temp is made anew"
like "$out" "^ran=1$nl" "... and the worker ran"

# ten first launches at once: all start, one directory, no stray
rm -rf "$CTMP"
for i in $(seq 10); do
    ( launch $C $C "$W"; echo "$rc" >"$RUNDIR/t14.$i"; echo "$err" >"$RUNDIR/t14.err.$i" ) &
done
wait
rcs=$(cat "$RUNDIR"/t14.[0-9]* | sort | uniq -c | tr -s ' ')
is "$rcs" " 10 0" "ten concurrent first launches: all exit 0"
[ "$rcs" = " 10 0" ] || diag "their stderr: $(sort -u "$RUNDIR"/t14.err.*)"
rm -f "$RUNDIR"/t14.*
is "$(stat -c %U:%a "$CTMP")|$(find "$TESTROOT/tmp" -maxdepth 1 -name ".$C.*" | wc -l)" "$C:700|0" \
    "... one private temp, carol's, and no stray"

done_testing
