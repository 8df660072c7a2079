#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions run by trap
# 54-logfile.t - LOG_FILE (a build-time option): the launcher's records go to
# syslog and to that file too, for hosts with no syslog daemon. The test build
# fcgi-suexec-log has LOG_FILE=$TESTROOT/log/fcgi-suexec.log, LOG_FILE_MAX=8K.
# Each record is one line, "TIME fcgi-suexec[PID]: " and the syslog text
# (fcgi-suexec(8), LOGS). The file is opened as root without following a
# symlink, below directories of root's not writable by group or others; a
# file or directory that is not root's and private refuses the launch (111),
# nothing runs, and what the attacker pointed at is unchanged. Past
# LOG_FILE_MAX nothing more is written; a launch still starts.
set -u
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
W=$DOCROOT/alice
LOGBIN=$TESTROOT/sbin/fcgi-suexec-log
LOGDIR=$TESTROOT/log
LOGF=$LOGDIR/fcgi-suexec.log
TARGET=$TESTROOT/etc/t54-target        # what a planted symlink points at
TIME='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'

cleanup() {
    rm -rf "$LOGDIR" "$TARGET"
    install -d -o root -g root -m 0755 "$LOGDIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cleanup

need "the fixture has the LOG_FILE build" test -x "$LOGBIN"
v_has() { "$1" -V | grep -qx "$2"; } # v_has LAUNCHER LINE: -V shows LINE
need "the LOG_FILE build names $LOGF" v_has "$LOGBIN" "LOG_FILE=$LOGF"
need "the LOG_FILE build caps it at 8K" v_has "$LOGBIN" "LOG_FILE_MAX=8K"
need "the main test build names no log file" v_has "$BIN" "LOG_FILE="
needs_met

lines() { [ -e "$LOGF" ] && grep -c '' "$LOGF" || echo 0; }

# --- no syslog daemon: the records still reach the file, refusals stderr too ---
# In a private mount namespace /dev/log is made unusable (a bind mount of
# /dev/null over it) where this machine has one: syslog(3) then drops them.
nosyslog() {
    unshare -m --propagation private bash -c '
        [ -e /dev/log ] && { mount --bind /dev/null /dev/log || exit 90; }
        exec setpriv --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- \
            "$0" --env-clear unix "$1" -- "$2" "${@:3}"' \
        "$FDSOCK" "$RUNDIR/sock/t54.$$" "$LOGBIN" "$@" </dev/null >"$RUNDIR/t54.out" 2>"$RUNDIR/t54.err"
    rc=$? out=$(cat "$RUNDIR/t54.out") err=$(cat "$RUNDIR/t54.err")
    rm -f "$RUNDIR/t54.out" "$RUNDIR/t54.err" "$RUNDIR/sock/t54.$$"
}
[ ! -e "$LOGF" ]
is "$?" 0 "before the first launch there is no log file"
nosyslog $A $A "$W"
is "$rc|$(field ran)" "0|1" "no syslog: an allowed launch runs the probe"
is "$(stat -c '%U %a %F' "$LOGF" 2>&1)" "root 600 regular file" "the first launch made the log file, root's, 0600"
rec=$(tail -n 1 "$LOGF" 2>/dev/null)
like "$rec" "^$TIME fcgi-suexec\[[0-9]+\]: result=allow caller=fsxweb user=$A group=$A docroot=\"$W\" interpreter=$TESTROOT/bin/php-cgi landlock=[^ ]+ world=(made|joined) dropped=[^ ]+\$" \
    "no syslog: the allow record is in the file (time, pid, the syslog text)"
like "$(field fds)" "^0,1,2\$" "the worker holds no descriptor of the log file (fds 0, 1, 2 only)"
nosyslog $A fsxbob "$W"
is "$rc|$err" "104|fcgi-suexec: group: fsxbob is not a group of $A" "no syslog: a refusal still reaches the caller's stderr"
like "$(tail -n 1 "$LOGF")" "^$TIME fcgi-suexec\[[0-9]+\]: result=deny check=group caller=fsxweb user=\"$A\" group=\"fsxbob\" docroot=\"$W\" reason=\"fsxbob is not a group of $A\"\$" \
    "no syslog: and its deny record reaches the file"
is "$(lines)" 2 "two launches, two records"

# --- caller text in a record stays one line --------------------------------------
LBIN=$LOGBIN launch $'fsx\nbad' $A "$W"
is "$rc|$(lines)" "100|3" "a user name holding a newline: refused (100), one more record, one line"
like "$(tail -n 1 "$LOGF")" 'user="fsx\\nbad"' "the newline is escaped in the record"

# --- concurrent launches never interleave -----------------------------------------
before=$(lines)
for i in $(seq 20); do SOCK=null LBIN=$LOGBIN launch fsxnosuch$i $A "$W" & done
wait
is "$(( $(lines) - before ))" 20 "20 concurrent refusals: 20 records"
is "$(tail -n 20 "$LOGF" | grep -cE "^$TIME fcgi-suexec\[[0-9]+\]: result=deny check=user caller=fsxweb user=\"fsxnosuch[0-9]+\" group=\"$A\" docroot=\"$W\" reason=\"no such user: fsxnosuch[0-9]+\"\$")" 20 \
    "each of them one whole line (one write to an O_APPEND file)"

# --- --check: the log file is a check of its own ------------------------------------
LBIN=$LOGBIN launch --check $A $A "$W"
is "$rc|$(head -n 1 <<<"$out")" "0|log: pass: $LOGF" "--check: the first line names the log file"

# --- LOG_FILE_MAX: past it, nothing more; launches go on --------------------------------
head -c 8192 /dev/zero | tr '\0' x >"$LOGF"
LBIN=$LOGBIN launch $A $A "$W"
is "$rc|$(field ran)|$(stat -c %s "$LOGF")" "0|1|8192" \
    "log file at LOG_FILE_MAX (8K): the launch runs, the file does not grow"
: >"$LOGF"
LBIN=$LOGBIN launch $A $A "$W"
is "$rc|$(lines)" "0|1" "rotated (truncated): the next launch writes again"

# --- attacks: each refused (111), nothing run, nothing written where pointed ----------
# refused_log NAME REASON: a launch through the LOG_FILE build is refused with
# exactly REASON, nothing runs, and the target file is unchanged
refused_log() {
    local name=$1 reason=$2
    printf 'target\n' >"$TARGET"
    chmod 0644 "$TARGET"
    LBIN=$LOGBIN launch $A $A "$W"
    is "$rc|$err" "111|fcgi-suexec: log: $reason" "$name: refused (111), exact reason"
    unlike "$out" "ran=1" "$name: nothing ran"
    is "$(cat "$TARGET")" "target" "$name: the target is unchanged"
    LBIN=$LOGBIN launch --check $A $A "$W"
    is "$rc|$out" "111|log: fail: $reason" "$name: --check reports the same as its only line"
}
reset_log() { rm -rf "$LOGDIR"; install -d -o root -g root -m 0755 "$LOGDIR"; }

reset_log
ln -s "$TARGET" "$LOGF"
refused_log "log file a symlink (to a file of root's)" "$LOGF: Too many levels of symbolic links"

reset_log
install -o fsxweb -g fsxweb -m 0600 /dev/null "$LOGF"
refused_log "log file owned by the web server's user" "$LOGF: not owned by root"

reset_log
install -o root -g root -m 0666 /dev/null "$LOGF"
refused_log "log file mode 0666" "$LOGF: writable by group or others"

reset_log
mkfifo -m 0600 "$LOGF"
refused_log "log file a FIFO (an open for writing would wait for a reader)" "$LOGF: No such device or address"

reset_log
mkdir -m 0700 "$LOGF"
refused_log "log file a directory" "$LOGF: Is a directory"

reset_log
chmod 0777 "$LOGDIR"
refused_log "log directory mode 0777 (anyone could swap the file)" \
    "$LOGDIR: directory owned by uid 0, mode 0777: must be owned by root and not writable by group or others"
[ ! -e "$LOGF" ]
is "$?" 0 "log directory mode 0777: no log file made in it"

reset_log
chown fsxweb "$LOGDIR"
refused_log "log directory owned by the web server's user" \
    "$LOGDIR: directory owned by uid $(id -u fsxweb), mode 0755: must be owned by root and not writable by group or others"

rm -rf "$LOGDIR"
ln -s "$TESTROOT/etc" "$LOGDIR"
refused_log "log directory a symlink" "$LOGDIR is a symlink"
rm -f "$LOGDIR"

# control: the same launch with the directory put right is allowed and logged
reset_log
LBIN=$LOGBIN launch $A $A "$W"
is "$rc|$(field ran)|$(lines)" "0|1|1" "control: a root's 0755 directory, no file: allowed, one record"

done_testing
