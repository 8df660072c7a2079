# shellcheck shell=bash disable=SC2034 # constants and results are used by the .t files
# tests/lib.sh - TAP helpers and fixture constants, sourced by every tests/*.t.
#
# Tests fail, they never opt out: not being root or a missing fixture is a
# "Bail out!" (prove counts it as a failure).
#
#   ok NAME CMD...          pass if CMD exits 0
#   is GOT EXPECTED NAME    string equality
#   like GOT REGEX NAME     bash ERE match (unlike: no match)
#   diag TEXT...            "# TEXT" on stderr
#   plan N | done_testing   the TAP plan (before the first test, or at the end)
#   as_user USER CMD...     run CMD as USER with its primary group and groups
#   launch [VAR=value...] ARGS...
#                           run $LBIN ARGS (default $BIN) as $AS (default fsxweb)
#                           under `timeout 10`, fd 0 set up by fdsock $SOCK
#                           (default: a fresh unix listening socket) with
#                           $FDOPTS; the environment of $LBIN is exactly the
#                           VAR=value words. Sets $out, $err and $rc.
#   proc_limits PID         PID's limits as the probe reports them (limit.NAME=
#                           SOFT:HARD, nice=N, oom_score_adj=N), from /proc/PID
#   limits_from_proc LIMITS STAT OOM
#                           the same from the texts of /proc/PID/limits, stat
#                           and oom_score_adj (as a CGI script printed them)
#   limits_are_defaults LABEL REPORT [CALLER_REPORT]
#                           three tests on REPORT (the probe's lines or
#                           proc_limits'): the build's default limits (DEF_LIMITS),
#                           nice 5 and oom_score_adj 1000, and limit.cpu and
#                           limit.as as in CALLER_REPORT (default: this shell's)

TESTROOT=${FSX_TESTROOT:-/var/lib/fsx-test}   # another checkout may test beside this one
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELPERS=$REPO/tests/helpers
FDSOCK=$HELPERS/fdsock
PROBE=$TESTROOT/bin/php-cgi            # a copy of tests/helpers/probe; the PHP_CGI of the test build
PHP_INI=$TESTROOT/etc/php.ini
DOCROOT=$TESTROOT/www
BIN=$TESTROOT/sbin/fcgi-suexec         # root:fsxweb 4750
BIN_OPEN=$TESTROOT/sbin/fcgi-suexec-open   # root:fsxweb 4755: anyone reaches the caller check
BIN_NOSUID=$TESTROOT/sbin/fcgi-suexec-nosuid   # root 0755, not setuid
SAFE_PATH=/usr/local/bin:/usr/bin:/bin
RUNDIR=$TESTROOT/run

_tap_n=0 _tap_failed=0 _tap_planned=

bail() { echo "Bail out! $*"; exit 1; }
diag() { local l; while IFS= read -r l; do echo "# $l" >&2; done <<<"$*"; }
plan() { _tap_planned=$1; echo "1..$1"; }

_tap_result() { # STATUS NAME
    _tap_n=$((_tap_n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $_tap_n - $2"
    else
        echo "not ok $_tap_n - $2"
        _tap_failed=$((_tap_failed + 1))
    fi
    return "$1"
}

ok() { # NAME CMD...
    local name=$1; shift
    "$@"
    local st=$?
    _tap_result "$([ "$st" = 0 ] && echo 0 || echo 1)" "$name" || diag "  command failed (exit $st): $*"
}

is() { # GOT EXPECTED NAME
    [ "$1" = "$2" ]
    _tap_result $? "$3" || diag "  got:      '$1'
  expected: '$2'"
}

like() { # GOT REGEX NAME
    [[ $1 =~ $2 ]]
    _tap_result $? "$3" || diag "  got:      '$1'
  expected to match: $2"
}

unlike() { # GOT REGEX NAME
    ! [[ $1 =~ $2 ]]
    _tap_result $? "$3" || diag "  got:      '$1'
  expected not to match: $2"
}

# need NAME CMD...: a prerequisite, itself a test; needs_met then ends the
# file (its failures counted, never skipped) if any was missing.
missing=0
need() {
    "${@:2}" >/dev/null 2>&1 || missing=1
    ok "$@"
}
needs_met() {
    [ "$missing" = 0 ] && return 0
    diag "prerequisites missing: not going on"
    done_testing
}

done_testing() {
    [ -n "$_tap_planned" ] || echo "1..$_tap_n"
    [ "$_tap_failed" -lt 254 ] || _tap_failed=254
    exit "$_tap_failed"
}

# field KEY: the value of the first "KEY=value" line of $out (the probe report).
field() { sed -n "s/^$1=//p" <<<"$out" | head -n 1; }

# worker_groups USER GID: the groups a worker keeps: GID, USER's primary group,
# and the test build's SITE_GROUPS (fsxsiteg) when USER is in it; sorted
worker_groups() {
    { echo "$2"; id -g "$1"
      if id -Gn "$1" | tr ' ' '\n' | grep -qx fsxsiteg; then getent group fsxsiteg | cut -d: -f3; fi
    } | sort -n -u | paste -sd, -
}

# outside_listeners USER NAME: USER's processes outside any Landlock domain, a
# TCP listener on 127.0.0.1 (a free port) and an abstract socket @NAME, each
# holding a sleep; waits 5 s at most for both. Sets $tcp_pid, $abs_pid, $port
# and $ann ($ann.abs holds "@NAME" once listening). stop_listeners ends them.
tcp_pid='' abs_pid='' ann='' port=''
outside_listeners() {
    local as=(setpriv --reuid "$1" --regid "$(id -g "$1")" --init-groups --) _
    ann=$(mktemp) || bail "mktemp failed"
    "${as[@]}" "$FDSOCK" --announce tcp 127.0.0.1:0 -- /bin/sleep 120 </dev/null >"$ann.tcp" 2>&1 &
    tcp_pid=$!
    "${as[@]}" "$FDSOCK" --announce abstract "$2" -- /bin/sleep 120 </dev/null >"$ann.abs" 2>&1 &
    abs_pid=$!
    for _ in $(seq 50); do
        [ -s "$ann.tcp" ] && [ -s "$ann.abs" ] && break
        sleep 0.1
    done
    port=$(sed -n 's/^127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$ann.tcp")
}
stop_listeners() {
    [ -n "$tcp_pid" ] && kill "$tcp_pid" 2>/dev/null
    [ -n "$abs_pid" ] && kill "$abs_pid" 2>/dev/null
    [ -n "$ann" ] && rm -f "$ann" "$ann.tcp" "$ann.abs"
    wait 2>/dev/null
}

# The test build's default limits (the Makefile's LIMIT_*), as the probe prints
# them: soft = hard; RLIMIT_NICE 0 (the nice value locked), RLIMIT_RTPRIO 0.
DEF_LIMITS="limit.nproc=64:64
limit.data=268435456:268435456
limit.nofile=1024:1024
limit.fsize=1073741824:1073741824
limit.nice=0:0
limit.rtprio=0:0"

limits_from_proc() { # LIMITS STAT OOM
    local n label soft hard _ f
    for n in "nproc:Max processes" "data:Max data size" "nofile:Max open files" \
        "fsize:Max file size" "nice:Max nice priority" "rtprio:Max realtime priority" \
        "cpu:Max cpu time" "as:Max address space"; do
        label=${n#*:}
        read -r soft hard _ <<<"$(grep "^$label  " <<<"$1" | sed "s/^$label  *//")"
        echo "limit.${n%%:*}=${soft:-missing}:${hard:-missing}"
    done
    # stat: "PID (COMM) STATE PPID ...": nice is field 19, the 17th after COMM
    read -r -a f <<<"${2##*) }"
    echo "nice=${f[16]:-missing}"
    echo "oom_score_adj=${3:-missing}"
}

proc_limits() { # PID
    limits_from_proc "$(cat "/proc/$1/limits" 2>/dev/null)" "$(cat "/proc/$1/stat" 2>/dev/null)" \
        "$(cat "/proc/$1/oom_score_adj" 2>/dev/null)"
}

limits_are_defaults() { # LABEL REPORT [CALLER_REPORT]
    local caller=${3:-$(proc_limits $$)} keys='^limit\.(nproc|data|nofile|fsize|nice|rtprio)='
    is "$(grep -E "$keys" <<<"$2" | sort)" "$(sort <<<"$DEF_LIMITS")" \
        "$1: the launcher's limits, soft = hard: nproc 64, data 256M, nofile 1024, fsize 1G, RLIMIT_NICE 0, rtprio 0"
    is "$(grep -E '^(nice|oom_score_adj)=' <<<"$2" | sort | paste -sd' ')" "nice=5 oom_score_adj=1000" \
        "$1: nice 5, oom_score_adj 1000"
    is "$(grep -E '^limit\.(cpu|as)=' <<<"$2" | sort | paste -sd' ')" \
        "$(grep -E '^limit\.(cpu|as)=' <<<"$caller" | sort | paste -sd' ')" \
        "$1: limit.cpu and limit.as left as the caller had them"
}

# primary group name of USER
primary_group() { id -gn "$1"; }

# run_as WHO CMD...: CMD as root or as WHO (with its groups), stdin /dev/null,
# at most 60 s; sets $out, $err and $rc
run_as() {
    local who=$1 tmp runner=(); shift
    tmp=$(mktemp -d) || bail "mktemp failed"
    [ "$who" = root ] || runner=(setpriv --reuid "$who" --regid "$(id -g "$who")" --init-groups --)
    timeout 60 "${runner[@]}" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out") err=$(cat "$tmp/err")
    rm -rf "$tmp"
}

as_user() { # USER CMD...
    local u=$1; shift
    setpriv --reuid "$u" --regid "$(id -g "$u")" --init-groups -- "$@"
}

_launch_n=0
launch() {
    local envs=()
    while [ $# -gt 0 ] && [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
        envs+=(--env "$1"); shift
    done
    local as=${AS:-fsxweb} mode=${SOCK:-unix} sockarg=() runner=()
    if [ "$mode" = unix ]; then
        local dir=$RUNDIR/sock
        [ "$as" = fsxweb ] || dir=$RUNDIR/$as
        [ "$as" = root ] && dir=$RUNDIR
        _launch_n=$((_launch_n + 1))
        sockarg=("$dir/s.$BASHPID.$_launch_n") # BASHPID: a subshell launching at once with others gets its own
    elif [ "$mode" = tcp ]; then
        sockarg=(127.0.0.1:0)
    fi
    [ "$as" = root ] || runner=(setpriv --reuid "$as" --regid "$(id -g "$as")" --init-groups --)
    local tmp
    tmp=$(mktemp -d) || bail "mktemp failed"
    # shellcheck disable=SC2086 # FDOPTS is a list of words
    timeout 10 "${runner[@]}" "$FDSOCK" --env-clear "${envs[@]}" ${FDOPTS:-} \
        "$mode" "${sockarg[@]}" -- "${LBIN:-$BIN}" "$@" \
        </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out") err=$(cat "$tmp/err")
    rm -rf "$tmp"
    [ "$mode" = unix ] && rm -f "${sockarg[0]}"
    return 0
}

# --- preconditions: fail, never opt out -----------------------------------
[ "$(id -u)" = 0 ] || bail "tests must run as root"
# A test of something that installs its own launcher and users (75-demo.t)
# sets LIB_NO_FIXTURE=1 before sourcing: it needs no fixture.
[ "${LIB_NO_FIXTURE:-}" = 1 ] && return 0
for _u in fsxweb fsxalice fsxbob fsxcaller fsxlow; do
    getent passwd "$_u" >/dev/null || bail "fixture missing: no user $_u (run tests/fixture.sh up)"
done
if ! { [ -u "$BIN" ] && [ -u "$BIN_OPEN" ] && [ -x "$PROBE" ] && [ -x "$FDSOCK" ]; }; then
    bail "fixture missing: $BIN, $BIN_OPEN, $PROBE or $FDSOCK (run tests/fixture.sh up)"
fi
unset _u
