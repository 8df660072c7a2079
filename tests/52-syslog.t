#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016 # single-quoted code is run by bash -c and perl
# The syslog lines of fcgi-suexec(8) (EXIT STATUS):
#   result=deny check=CHECK caller=NAME user="ARG" group="ARG" docroot="ARG" reason="..."
#   result=allow caller=NAME user=NAME group=ARG docroot="PATH" interpreter=PATH landlock=APPLIED
#                world=made|joined|none (the site's world: made by this launch, joined, or
#                none where NAMESPACES=optional met a kernel that refuses namespaces)
#                dropped=GROUP,GROUP... (the user's groups the worker does not keep; - for none)
# sent with syslog(3), facility LOG_AUTHPRIV (10): <83> err, <84> warning,
# <86> info, tag "fcgi-suexec[PID]"; caller-supplied text escaped, one line.
#
# syslog(3) writes datagrams to /dev/log. The launches run in a private mount
# namespace (unshare -m --propagation private) whose /dev is a directory of
# this test's, mounted there with --rbind (a plain --bind would leave out the
# file mounts in it): bind mounts of null, zero, urandom and random, fd ->
# /proc/self/fd, and "log", a datagram socket bound by tests/helpers/syslogd,
# which writes each datagram verbatim as one line (so a datagram holding a
# newline shows as two). The machine's /dev is never touched: no mount of
# this test is visible outside the namespace.
#
# The test runs itself with --inner WORK inside the namespace: that part only
# launches, recording each case's pid, exit code, stdout and stderr in WORK;
# all assertions are made outside, on those files and the log.
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice C=fsxbob      # C: the Apache-mode site user (fsxcaller is 50-check.t's)
# alice's groups the worker drops, in /etc/group's order: all that list her but
# SITE_GROUPS (fsxsiteg)
ADROP=$(getent group | awk -F: -v u=$A '$1 != "fsxsiteg" && ("," $4 ",") ~ ("," u ",") { print $1 }' | paste -sd, -)
W=$DOCROOT/alice
LLOPT=$TESTROOT/sbin/fcgi-suexec-llopt
SYSLOGD=$HELPERS/syslogd
CS=${T52_SITE:-$DOCROOT/t52-bob.$$} # a site of bob's, made here (the inner run is given it)
HOSTILE_CMD='a" b=c'              # an Apache-mode command name with a quote and a space
HOSTILE_USER=$'a"b\nc\\d'
HOSTILE_GROUP=$'g"\tx'
HOSTILE_DOCROOT=$'/x"y\nz'

# --- inside the namespace ------------------------------------------------------
# run NAME AS BIN FDMODE ARGS...: BIN ARGS as AS, fd 0 by fdsock FDMODE, from
# the current directory; NAME.pid (the launcher's pid: bash, then setpriv and
# fdsock exec into it), NAME.rc, NAME.out, NAME.err in $WORK.
run() {
    local name=$1 as=$2 bin=$3 mode=$4 runner=() sockarg=()
    shift 4
    [ "$mode" = abstract ] && sockarg=("t52.$$.$name")
    [ "$as" = root ] || runner=(setpriv --reuid "$as" --regid "$(id -g "$as")" --init-groups --)
    timeout 10 bash -c 'echo $$ >"$0"; exec "$@"' "$WORK/$name.pid" \
        "${runner[@]}" "$FDSOCK" --env-clear "$mode" "${sockarg[@]}" -- "$bin" "$@" \
        </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}

inner() {
    local f
    for f in null zero urandom random; do
        mount --bind "/dev/$f" "$WORK/dev/$f" || exit 3
    done
    # recursive: the file bind mounts in it come along
    mount --rbind "$WORK/dev" /dev || exit 3
    [ -c /dev/null ] && [ -c /dev/urandom ] || exit 4
    [ -S /dev/log ] || exit 4
    run allow fsxweb "$BIN" abstract $A $A "$W"
    run allow-num fsxweb "$BIN" abstract "$(id -u $A)" "$(id -g $A)" "$W"
    run deny-user fsxweb "$BIN" abstract fsxlow $A "$W"
    run deny-group root "$BIN" abstract $A fsxbob "$W"
    run deny-docroot fsxweb "$BIN" abstract $A $A /etc
    run deny-interp fsxweb "$BIN" abstract -p 9.2 $A $A "$W"
    run deny-socket fsxweb "$BIN" null $A $A "$W"
    run deny-caller fsxcaller "$BIN_OPEN" abstract $A $A "$W"
    run deny-setuid fsxweb "$BIN_NOSUID" abstract $A $A "$W"
    run deny-usage-user fsxweb "$BIN" abstract "$HOSTILE_USER" $A "$W"
    run deny-usage-group fsxweb "$BIN" abstract $A "$HOSTILE_GROUP" "$W"
    run deny-usage-docroot fsxweb "$BIN" abstract $A $A "$HOSTILE_DOCROOT"
    run warn fsxweb "$LLOPT" abstract $A $A "$W"
    run check fsxweb "$BIN" abstract --check $A $A "$W"
    run check-deny fsxweb "$BIN" abstract --check fsxlow $A "$W"
    run check-llopt fsxweb "$LLOPT" abstract --check $A $A "$W"
    # Apache mode: the working directory and the command are the site user's
    cd "$WORK/$HOSTILE_DIR" || exit 5
    run apache-deny-cwd root "$BIN" pipe "$(id -u $C)" "$(id -g $C)" run.cgi
    cd "$CS/cgi" || exit 5
    run apache-allow-cmd root "$BIN" pipe "$(id -u $C)" "$(id -g $C)" "$HOSTILE_CMD"
    cd "$CS/$HOSTILE_DIR" || exit 5
    run apache-allow-cwd root "$BIN" pipe "$(id -u $C)" "$(id -g $C)" run.cgi
    cd / || exit 5
    exit 0
}

HOSTILE_DIR=$'ev"il\nx'
if [ "${1:-}" = --inner ]; then
    WORK=$2
    inner
fi

# --- outside ---------------------------------------------------------------------
make -s -C "$REPO" tests/helpers/syslogd >/dev/null || bail "cannot build $SYSLOGD"
[ -x "$SYSLOGD" ] || bail "no $SYSLOGD"
[ -u "$LLOPT" ] || bail "fixture missing: $LLOPT (run tests/fixture.sh up)"
APPLIED=$("$BIN" -V | sed -n 's/^LANDLOCK_APPLIED=//p')

dev_state() { # what of the machine's /dev this test could have changed
    ls -1A /dev
    findmnt -n -o TARGET,SOURCE,FSTYPE,OPTIONS /dev
    stat -c '%n %F %a %U:%G %t:%T' /dev/null /dev/zero /dev/urandom /dev/random
    [ -e /dev/log ] || [ -L /dev/log ] && stat -c '%n %F %i' /dev/log
    true
}
DEV_BEFORE=$(dev_state)
had_log=no
[ -e /dev/log ] || [ -L /dev/log ] && had_log=yes

WORK=$(mktemp -d /tmp/t52.XXXXXX) || bail "mktemp failed"
SPID=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    cd / || true
    if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi
    rm -rf "$WORK" "$CS"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

install -d -m 0755 "$WORK/dev"                 # fsxweb must get through /dev
for f in null zero urandom random; do : >"$WORK/dev/$f"; done
ln -s /proc/self/fd "$WORK/dev/fd"
mkdir "$WORK/$HOSTILE_DIR"
rm -rf "$CS"
install -d -o $C -g $C -m 0755 "$CS" "$CS/cgi"
install -d -o $C -g $C -m 0755 "$CS/$HOSTILE_DIR"
printf '#!/bin/sh\necho ran=1\n' >"$CS/cgi/$HOSTILE_CMD"
cp "$CS/cgi/$HOSTILE_CMD" "$CS/$HOSTILE_DIR/run.cgi"
chown $C:$C "$CS/cgi/$HOSTILE_CMD" "$CS/$HOSTILE_DIR/run.cgi"
chmod 0755 "$CS/cgi/$HOSTILE_CMD" "$CS/$HOSTILE_DIR/run.cgi"

"$SYSLOGD" "$WORK/dev/log" "$WORK/log" 120 &
SPID=$!
for _ in $(seq 50); do [ -S "$WORK/dev/log" ] && break; sleep 0.1; done
[ -S "$WORK/dev/log" ] || bail "syslogd did not bind $WORK/dev/log"

T52_SITE=$CS timeout 120 unshare -m --propagation private -- bash "$0" --inner "$WORK"
is "$?" 0 "the launches ran in a private mount namespace with a private /dev"

kill -TERM "$SPID"
for _ in $(seq 50); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
wait "$SPID"
is "$?" 0 "syslogd wrote every datagram and exited"
SPID=
LOG=$(cat "$WORK/log")

# --- the machine's /dev ------------------------------------------------------------
is "$(dev_state)" "$DEV_BEFORE" "/dev outside the namespace unchanged"
if [ $had_log = no ]; then
    ok "/dev/log still does not exist outside" test ! -e /dev/log -a ! -L /dev/log
else
    ok "/dev/log (this machine has one) still exists" test -e /dev/log
fi
is "$(grep -c "$WORK" /proc/self/mountinfo)" 0 "no mount of the test's /dev visible outside"

# --- the lines ---------------------------------------------------------------------
unlike "$LOG" "(^|$nl)([^<]|<[^0-9])" "every line of the log starts a message (<PRI>): no message spans lines"
all_pri=$(sed -n 's/^<\([0-9]*\)>.*/\1/p' <<<"$LOG" | sort -u | tr '\n' ' ')
like "$all_pri" "^((83|84|86) )+\$" "facility authpriv on every line: <83> err, <84> warning, <86> info"

pid_of() { cat "$WORK/$1.pid"; }
rc_of() { cat "$WORK/$1.rc"; }
# msgs NAME: the messages of NAME's launcher, "<PRI> MESSAGE" (timestamp and tag
# checked and removed)
msgs() {
    local pid
    pid=$(pid_of "$1")
    sed -nE "s/^(<[0-9]+>)[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} fcgi-suexec\\[$pid\\]: /\\1 /p" <<<"$LOG"
}
tagged() { grep -c "fcgi-suexec\\[$(pid_of "$1")\\]: " <<<"$LOG"; }
reason_of() { sed -n "s/^fcgi-suexec: $2: //p" "$WORK/$1.err"; }
# well_formed MSG: "result=WORD" then " KEY=VALUE" fields, each VALUE a bare word
# (no space, quote or backslash) or a quoted string with \-escapes; prints the keys
FIELD_RE='^ ([a-z]+)=([^ "\\]+|"([^"\\]|\\.)*")'
keys_of() {
    local m=$1 keys=
    m=${m#<[0-9]*> }
    [[ $m =~ ^result=[a-z]+ ]] || { echo "bad start"; return; }
    m=${m#"${BASH_REMATCH[0]}"}
    keys=result
    while [ -n "$m" ]; do
        if [[ $m =~ $FIELD_RE ]]; then
            keys+=" ${BASH_REMATCH[1]}"
            m=${m#"${BASH_REMATCH[0]}"}
        else
            echo "$keys | unparsable: $m"
            return
        fi
    done
    echo "$keys"
}
DENY_KEYS="result check caller user group docroot reason"

# deny NAME CODE CHECK CALLER USER GROUP DOCROOT: one <83> line, exactly
deny() {
    local name=$1 code=$2 check=$3 caller=$4 user=$5 group=$6 docroot=$7 m
    is "$(rc_of "$name")" "$code" "$name: exit $code"
    is "$(tagged "$name")" 1 "$name: one line tagged fcgi-suexec[pid]"
    m=$(msgs "$name")
    is "$(keys_of "$m")" "$DENY_KEYS" "$name: well-formed, fields in the documented order"
    is "${m/ caller=* user=/ caller=* user=}" \
        "<83> result=deny check=$check caller=* user=\"$user\" group=\"$group\" docroot=\"$docroot\" reason=\"$(reason_of "$name" "$check")\"" \
        "$name: <83> and the documented deny line"
    like "$m" "^<83> result=deny check=$check caller=$caller " "$name: caller=$caller"
}

deny deny-user 103 user fsxweb fsxlow $A "$W"
deny deny-group 104 group root $A fsxbob "$W"
deny deny-docroot 105 docroot fsxweb $A $A /etc
deny deny-interp 106 interpreter fsxweb $A $A "$W"
deny deny-socket 107 socket fsxweb $A $A "$W"
deny deny-caller 102 caller fsxcaller $A $A "$W"
deny deny-setuid 101 setuid fsxweb $A $A "$W"
deny deny-usage-user 100 usage fsxweb 'a\"b\nc\\d' $A "$W"
deny deny-usage-group 100 usage fsxweb $A 'g\"\tx' "$W"
deny deny-usage-docroot 100 usage fsxweb $A $A '/x\"y\nz'

# allow NAME USER GROUP DOCROOT INTERP LANDLOCK: one <86> line, exactly
m=$(msgs allow)
is "$(rc_of allow)|$(grep -c '^ran=1$' "$WORK/allow.out")" "0|1" "allow: exit 0, the probe ran"
is "$(tagged allow)" 1 "allow: one line tagged fcgi-suexec[pid] (the worker's pid, before the exec)"
is "$m" "<86> result=allow caller=fsxweb user=$A group=$A docroot=\"$W\" interpreter=$PROBE landlock=$APPLIED world=made dropped=$ADROP" \
    "allow: <86> and the documented allow line (the namespace's first launch of the site: world=made)"
is "$(keys_of "$m")" "result caller user group docroot interpreter landlock world dropped" "allow: well-formed"
is "$(msgs allow-num)" \
    "<86> result=allow caller=fsxweb user=$A group=$(id -g $A) docroot=\"$W\" interpreter=$PROBE landlock=$APPLIED world=joined dropped=$ADROP" \
    "allow, numeric ids: user=NAME, group=ARG; the same site's world joined"
like "$(grep "fcgi-suexec\\[$(pid_of allow)\\]" <<<"$LOG")" \
    "^<86>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} fcgi-suexec\\[[0-9]+\\]: result=allow " \
    "allow: the raw line: <PRI>, timestamp, tag fcgi-suexec[PID]"

# LANDLOCK=optional on a kernel below its minimum: a warning, then the allow line
is "$(rc_of warn)" 0 "warn: the LANDLOCK=optional build starts the worker"
is "$(msgs warn)" "<84> result=warn check=landlock caller=fsxweb user=$A docroot=\"$W\" reason=\"Landlock ABI $("$BIN" -V | sed -n 's/^LANDLOCK_ABI=//p') below 99: worker not confined\"$nl<86> result=allow caller=fsxweb user=$A group=$A docroot=\"$W\" interpreter=$PROBE landlock=none world=joined dropped=$ADROP" \
    "warn: <84> warning line, then <86> allow with landlock=none"

# --check logs nothing: it launches nothing
is "$(rc_of check)|$(tagged check)" "0|0" "--check (allowed): nothing logged"
is "$(rc_of check-deny)|$(tagged check-deny)" "103|0" "--check (refused): nothing logged"
is "$(rc_of check-llopt)|$(tagged check-llopt)" "0|0" "--check, LANDLOCK=optional build below its ABI: nothing logged"

# Apache mode: the working directory and the command name come from the site
is "$(rc_of apache-deny-cwd)" 105 "apache-deny-cwd: exit 105"
is "$(tagged apache-deny-cwd)" 1 "apache-deny-cwd: one line"
m=$(msgs apache-deny-cwd)
is "$(keys_of "$m")" "$DENY_KEYS" "apache-deny-cwd: well-formed"
hd="$WORK/ev\\\"il\\nx"
is "$m" "<83> result=deny check=docroot caller=root user=\"$(id -u $C)\" group=\"$(id -g $C)\" docroot=\"$hd\" reason=\"$hd is not inside $DOCROOT\"" \
    "apache-deny-cwd: a working directory with a quote and a newline escaped in docroot= and reason="
is "$(rc_of apache-allow-cmd)|$(cat "$WORK/apache-allow-cmd.out")" "0|ran=1" "apache-allow-cmd: the command ran"
is "$(tagged apache-allow-cmd)" 1 "apache-allow-cmd: one line"
m=$(msgs apache-allow-cmd)
is "$(keys_of "$m")" "result caller user group docroot command landlock world dropped" \
    "apache-allow-cmd: a command named '$HOSTILE_CMD' adds no field and breaks no quoting"
like "$m" "^<86> result=allow caller=root user=$C group=$(id -g $C) docroot=\"$CS/cgi\" command=" \
    "apache-allow-cmd: the allow line"
is "$(rc_of apache-allow-cwd)|$(cat "$WORK/apache-allow-cwd.out")" "0|ran=1" "apache-allow-cwd: the command ran"
is "$(tagged apache-allow-cwd)" 1 "apache-allow-cwd: one line"
m=$(msgs apache-allow-cwd)
is "$(keys_of "$m")" "result caller user group docroot command landlock world dropped" "apache-allow-cwd: well-formed"
is "$m" "<86> result=allow caller=root user=$C group=$(id -g $C) docroot=\"$CS/ev\\\"il\\nx\" command=\"run.cgi\" landlock=$APPLIED world=joined dropped=-" \
    "apache-allow-cwd: a site directory named with a quote and a newline, escaped in docroot="

done_testing
