#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 63-neighbour.t - the per-site limits under attack, with real components:
#
#   curl -> a private nginx -> alice.test -> php-cgi8.2 as fsxalice (the attacker)
#                           -> bob.test   -> php-cgi8.2 as fsxbob   (the neighbour)
#
# each worker started by fsxweb through the setuid test launcher
# ($BIN -p 8.2, PHP_FCGI_CHILDREN=4). The attacker's limits come from its
# per-site files, LIMITS_DIR/fsxalice/{nproc,data} of the test build
# (LIMITS_DIR=$TESTROOT/etc/limits): nproc $NPROC, data sized from the
# machine's MemAvailable so that $NPROC processes at that size take a quarter
# of it at most. The neighbour keeps the build's defaults.
#
# The attacker's page, 63-attack.php (tests/apps/attack.php), one request
# each, in this order:
#   spin   forks $SPIN children that spin for $SECS s (a CPU hog), running
#          through what follows
#   hog    grows to $HOG_MB MiB, 8 MiB at a time, and holds it 2 s (memory_limit
#          -1: only RLIMIT_DATA stops it); twice its data limit, bounded. At
#          the limit PHP's allocator fails: a fatal error, or its php-cgi
#          child dies "Out of memory" (nginx: 502) and the master forks
#          another; the flood waits for this to end, so that it does not
#          leave the master without a fork
#   flood  forks $FLOOD children that sleep (a process flood, bounded by count)
# the forks by a perl loop started through shell_exec, which counts the forks
# the kernel refuses and says why. During the spin and the flood the
# neighbour gets $REQS requests (10 a second), and a root sampler records
# every 0.1 s the attacker's tasks (threads included) under its worker, the
# host's MemAvailable, how long a root `/bin/true` takes, and the largest
# VmData of the attacker's processes.
#
# Asserted: the flood's forks fail with EAGAIN and the attacker's task count
# never exceeds its nproc; the hog is stopped ("Out of memory") short of its
# target and MemAvailable stays above half of what it was; the neighbour
# answers every request with 200 while the attack is still running; /bin/true
# as root always takes under 2 s. The negative counterpart: the attacker
# relaunched with nproc $((5 * FLOOD)) and data "unlimited" runs the same flood and hog
# (bounded by count and size) past the limits of the first run: the limits,
# not the page or the machine, stopped them.
#
# Ports 18640-18659 on 127.0.0.1. Every process started here (by pid, the
# attacker's children included: never by user name, other fixtures share the
# users), the pages, and the limit files are removed on exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

A=fsxalice B=fsxbob
LIMITS=$TESTROOT/etc/limits                     # LIMITS_DIR of the test build
NPROC=40
FLOOD=200 SPIN=4 SECS=30 REQS=200
PAGE_A=$DOCROOT/alice/63-attack.php PAGE_B=$DOCROOT/bob/63-hello.php
mem_avail() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }   # KiB
AVAIL0=$(mem_avail)
DATA_KB=$((AVAIL0 / (4 * NPROC)))
[ "$DATA_KB" -le $((256 * 1024)) ] || DATA_KB=$((256 * 1024))
HOG_MB=$(((2 * DATA_KB / 1024 + 7) / 8 * 8))   # the hog grows 8 MiB at a time
FLOOR_KB=$((AVAIL0 / 2))
MADE_LIMITS=() MADE_DIRS=()

# --- processes: by pid, under a root ----------------------------------------------

# tree_pids ROOT: the pids of ROOT's descendants (ROOT excluded)
tree_pids() {
    ps -e -o pid=,ppid= | awk -v r="$1" '{ pp[$1] = $2 }
        END { for (p in pp) { q = pp[p]; k = 0
                  while (q != "" && q > 1 && q != r && k++ < 64) q = pp[q]
                  if (q == r) print p } }'
}

# tree_tasks ROOT UID: the tasks (threads included) of UID under ROOT
tree_tasks() {
    ps -e -o pid=,ppid=,uid=,nlwp= | awk -v r="$1" -v u="$2" '{ pp[$1] = $2; id[$1] = $3; n[$1] = $4 }
        END { for (p in pp) { q = pp[p]; k = 0
                  while (q != "" && q > 1 && q != r && k++ < 64) q = pp[q]
                  if (q == r && id[p] == u) s += n[p] }
              print s + 0 }'
}

# kill_tree ROOT: TERM then KILL (bounded, ~3 s) to ROOT's descendants, until
# every one seen is gone (those that outlive their parent leave the tree)
kill_tree() {
    local seen='' live p i
    [ -n "${1:-}" ] || return 0
    for i in $(seq 30); do
        seen="$seen $(tree_pids "$1")" live=''
        for p in $seen; do kill -0 "$p" 2>/dev/null && live="$live $p"; done
        seen=$live
        [ -n "$live" ] || return 0
        # shellcheck disable=SC2086 # a list of pids
        if [ "$i" -lt 20 ]; then kill -TERM $live 2>/dev/null; else kill -KILL $live 2>/dev/null; fi
        sleep 0.1
    done
}

stop_site() { # NAME
    kill_tree "${WORKER_PID[$1]:-}"
    stop_pid "${WORKER_PID[$1]:-}"
}

SAMPLER='' STOP=''
cleanup() {
    local f n
    [ -n "$STOP" ] && : >"$STOP"
    stop_pid "$SAMPLER"
    for n in "${!WORKER_PID[@]}"; do kill_tree "${WORKER_PID[$n]}"; done
    nginx_cleanup
    rm -f "$PAGE_A" "$PAGE_B"
    for f in "${MADE_LIMITS[@]}"; do rm -f "$f"; done
    for ((n = ${#MADE_DIRS[@]} - 1; n >= 0; n--)); do rmdir "${MADE_DIRS[$n]}" 2>/dev/null; done
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# limit NAME VALUE: the attacker's per-site file, root 0644 (directories root 0755)
limit() {
    local d
    for d in "$LIMITS" "$LIMITS/$A"; do
        [ -d "$d" ] && continue
        mkdir "$d" && chmod 0755 "$d" && MADE_DIRS+=("$d")
    done
    [ -e "$LIMITS/$A/$1" ] || MADE_LIMITS+=("$LIMITS/$A/$1")
    echo "$2" >"$LIMITS/$A/$1.new" && chmod 0644 "$LIMITS/$A/$1.new" && mv -f "$LIMITS/$A/$1.new" "$LIMITS/$A/$1"
}

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "perl is installed (the attacker's fork loop)" eval "command -v perl >/dev/null"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
need "docroots $DOCROOT/alice and $DOCROOT/bob exist" test -d "$DOCROOT/alice" -a -d "$DOCROOT/bob"
need "socket directory $RUNDIR/sock exists" test -d "$RUNDIR/sock"
need "the neighbour has no per-site limits here ($LIMITS/$B)" test ! -e "$LIMITS/$B"
need "data limit sized from MemAvailable ($((AVAIL0 / 1024)) MiB): ${DATA_KB}K >= 64 MiB" \
    test "$DATA_KB" -ge $((64 * 1024))
needs_met
diag "launcher: $("$BIN" -V 2>&1 | grep -E '^LIMIT' | paste -sd' ')"
diag "attacker: nproc $NPROC, data ${DATA_KB}K; hog target $HOG_MB MiB; floor MemAvailable $((FLOOR_KB / 1024)) MiB"

nginx_setup
SAMPLES=$WORK/samples STOP=$WORK/stop

# --- the pages ----------------------------------------------------------------------

cp "$REPO/tests/apps/attack.php" "$PAGE_A"
printf '<?php echo "hello uid=", posix_getuid(), "\\n";\n' >"$PAGE_B"
chown "$A:$A" "$PAGE_A" && chown "$B:$B" "$PAGE_B" && chmod 0644 "$PAGE_A" "$PAGE_B"

# --- the sites ------------------------------------------------------------------------

limit nproc "$NPROC"
limit data "${DATA_KB}K"
start_site alice "$RUNDIR/sock/63-alice.sock" 4
start_site bob "$RUNDIR/sock/63-bob.sock" 4
wait_worker alice
wait_worker bob

nginx_servers() { # PORT
    default_server "$1"
    php_server "$1" alice.test "$DOCROOT/alice" "${WORKER_SOCK[alice]}"
    php_server "$1" bob.test "$DOCROOT/bob" "${WORKER_SOCK[bob]}"
}
start_nginx 18640 18659 || done_testing

PAGE=/63-attack.php
allowed "attacker: its page answers, as fsxalice" "^uid=$(id -u $A)\$" alice ping
fetch bob.test /63-hello.php
is "$code $body" "200 hello uid=$(id -u $B)" "neighbour: its page answers, as fsxbob"

# --- the attack ------------------------------------------------------------------------

# sampler ROOT: every 0.1 s (at most 1200 times, until $STOP exists) one line:
# the attacker's tasks under ROOT, its tasks anywhere (other fixtures' too),
# MemAvailable (KiB), a root /bin/true's time (µs), the largest VmData (KiB)
# of the attacker's processes under ROOT
sampler() {
    local root=$1 uid t0 t1 pids i
    uid=$(id -u "$A")
    for i in $(seq 1200); do
        [ -e "$STOP" ] && break
        t0=${EPOCHREALTIME/./}
        /bin/true
        t1=${EPOCHREALTIME/./}
        pids=$(tree_pids "$root")
        echo "$(tree_tasks "$root" "$uid") $(ps -o nlwp= -u "$A" | awk '{ s += $1 } END { print s + 0 }')" \
             "$(mem_avail) $((t1 - t0))" \
             "$(for p in $pids; do cat "/proc/$p/status" 2>/dev/null; done |
                awk -v u="$uid" '/^Uid:/ { mine = ($2 == u) } /^VmData:/ && mine && $2 > m { m = $2 }
                                 END { print m + 0 }')"
        sleep 0.1
    done
}

# attack NAME ACTION ARG SECS: one request of the attack, in the background
declare -A ATK=()
attack() {
    curl -sS --max-time 90 -o "$WORK/atk-$1" -w '%{http_code}' -H 'Host: alice.test' \
        "http://127.0.0.1:$PORT/63-attack.php?do=$2&arg=$3&secs=$4" >"$WORK/atk-$1.code" 2>"$WORK/atk-$1.err" &
    ATK[$1]=$!
}
attack_wait() { # NAME: bounded by curl's own --max-time; $answer, $detail
    wait "${ATK[$1]}"
    code=$(cat "$WORK/atk-$1.code") body=$(cat "$WORK/atk-$1" 2>/dev/null)
    parse_answer 2>/dev/null
}

# run_attack LABEL: spin, then hog and flood; the neighbour's requests meanwhile
run_attack() {
    rm -f "$STOP"
    sampler "${WORKER_PID[alice]}" >"$SAMPLES" 2>&1 &
    SAMPLER=$!
    # the spinners first (the flood would leave them no fork), then the hog
    # until it ends (it may take its php-cgi down, whose master forks
    # another: not during the flood), then the flood
    attack spin spin "$SPIN" "$SECS"
    sleep 1
    attack hog hog "$HOG_MB" 2
    attack_wait hog
    R[hog]="$answer $detail"
    attack flood flood "$FLOOD" $((SECS - 4))
    sleep 1
    curl -s --max-time 10 --rate 10/s -o /dev/null -w '%{http_code} %{time_total}\n' -H 'Host: bob.test' \
        "http://127.0.0.1:$PORT/63-hello.php?n=[1-$REQS]" >"$WORK/bob" 2>&1
    spinning=no
    kill -0 "${ATK[spin]}" 2>/dev/null && spinning=yes
    # what --status shows of the attacker while the spinners and the flood run
    ST=$(timeout 10 "$BIN" --status 2>&1)
    diag "$1: --status: $(grep " $A " <<<"$ST")"
    ST=$(grep -F " socket=unix:$RUNDIR/sock/63-alice.sock " <<<"$ST" | grep "^site $A ")
    for n in spin flood; do attack_wait "$n"; R[$n]="$answer $detail"; done
    : >"$STOP"
    stop_pid "$SAMPLER"
    SAMPLER=
    for n in spin hog flood; do diag "$1: $n: ${R[$n]%%$'\n'*}"; done
}
declare -A R=()
max_col() { awk -v c="$1" 'NF == 5 && $c > m { m = $c } END { print m + 0 }' "$SAMPLES"; }
min_col() { awk -v c="$1" 'NF == 5 && (m == "" || $c < m) { m = $c } END { print m + 0 }' "$SAMPLES"; }

run_attack "with limits"

# the attacker hit its limits: its own errors
like "${R[spin]}" "^OK spin forked=[1-9]" "attacker: the spinners started ($SPIN asked)"
like "${R[flood]}" "^OK flood forked=[0-9]+ failed=[1-9][0-9]* error=Resource temporarily unavailable" \
    "attacker: the flood's forks failed with EAGAIN (Resource temporarily unavailable)"
forked=$(sed -n 's/.* forked=\([0-9]*\) .*/\1/p' <<<"${R[flood]}")
ok "attacker: the flood forked fewer than nproc ($NPROC) children (${forked:-none})" test "${forked:-999}" -lt "$NPROC"
peak=$(max_col 1)
ok "attacker: its tasks never exceeded nproc $NPROC (peak $peak, $(wc -l <"$SAMPLES") samples)" \
    test "$peak" -le "$NPROC"
ok "attacker: the sampler saw the flood (peak $peak >= $((NPROC / 2)))" test "$peak" -ge $((NPROC / 2))
# --status shows it: the attacker's worker tree confined, at its process cap
like "$ST" " confined pid=.* nproc=[0-9]+/$NPROC .* limit.nproc=$NPROC " \
    "--status: the attacker's tree, confined, its tasks against its RLIMIT_NPROC ($NPROC)"
used=$(sed -n 's|.* nproc=\([0-9]*\)/.*|\1|p' <<<"$ST")
ok "--status: the attacker's uid at its cap during the flood (${used:-?}/$NPROC)" \
    test "${used:-0}" -ge $((NPROC - 2))
diag "fsxalice's tasks anywhere (other fixtures' too): peak $(max_col 2)"
# PHP's allocator stops the hog: a fatal error the page reports, or, when
# even the error needs a chunk it cannot map, "Out of memory" on the
# worker's stderr and the php-cgi child gone (nginx: 502)
unlike "${R[hog]}" "^OK reached" "attacker: the memory hog did not reach its $HOG_MB MiB"
oom=$(grep -c 'Out of memory' "$WORK/alice.err")
php_oom() { [[ ${R[hog]} =~ Out\ of\ memory ]] || [ "$oom" -gt 0 ]; }
ok "attacker: the hog met PHP's Out of memory (in its answer or on the worker's stderr: $oom lines)" php_oom
big=$(max_col 5)
ok "attacker: its largest process never had more data than its limit ($((DATA_KB / 1024)) MiB; peak $((big / 1024)) MiB)" \
    test "$big" -le "$DATA_KB"
ok "attacker: the sampler saw the hog (peak data $((big / 1024)) MiB >= half the limit)" \
    test "$big" -ge $((DATA_KB / 2))

# the host
low=$(min_col 3)
ok "host: MemAvailable never below $((FLOOR_KB / 1024)) MiB (lowest $((low / 1024)) MiB)" test "$low" -ge "$FLOOR_KB"
slow=$(max_col 4)
ok "host: a root /bin/true always ran in under 2 s (slowest $((slow / 1000)) ms)" test "$slow" -lt 2000000

# the neighbour
n200=$(grep -c '^200 ' "$WORK/bob")
is "$n200/$(wc -l <"$WORK/bob")" "$REQS/$REQS" "neighbour: every one of $REQS requests answered 200 during the attack"
[ "$n200" = "$REQS" ] || diag "$(grep -v '^200 ' "$WORK/bob" | sort | uniq -c | head)"
is "$spinning" yes "neighbour: its requests ended while the attack still ran"
diag "neighbour latency (s): $(awk '{ print $2 }' "$WORK/bob" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR) printf "median %s, p99 %s, max %s", v[int((NR + 1) / 2)], v[int(NR * 0.99 + 0.5)], v[NR] }')"

# the attacker's site still serves, within its limits
allowed "attacker: its page answers after the attack" "^uid=$(id -u $A)\$" alice ping

# --- negative counterpart: no limit, the same (bounded) attack goes past them -----------

# nproc: a large number rather than "unlimited", which would raise the hard
# limit root's own session may hold (here without CAP_SYS_RESOURCE)
stop_site alice
limit nproc $((5 * FLOOD))
limit data unlimited
start_site alice "$RUNDIR/sock/63-alice.sock" 4
wait_worker alice
allowed "attacker (relaunched, nproc $((5 * FLOOD)), data unlimited): its page answers" "^uid=$(id -u $A)\$" alice ping
rm -f "$STOP"
sampler "${WORKER_PID[alice]}" >"$SAMPLES" 2>&1 &
SAMPLER=$!
attack hog hog "$HOG_MB" 2
attack_wait hog
R[hog]="$answer $detail"
attack flood flood "$FLOOD" 5
attack_wait flood
R[flood]="$answer $detail"
: >"$STOP"
stop_pid "$SAMPLER"
SAMPLER=
like "${R[flood]}" "^OK flood forked=$FLOOD failed=0 " "no limit: the same flood forked all $FLOOD children"
peak=$(max_col 1)
ok "no limit: the attacker's tasks went past $NPROC (peak $peak)" test "$peak" -gt "$NPROC"
is "${R[hog]}" "OK reached $HOG_MB MiB" "no limit: the same hog reached its $HOG_MB MiB"
big=$(max_col 5)
ok "no limit: the attacker's largest process had more data than the limit before ($((big / 1024)) > $((DATA_KB / 1024)) MiB)" \
    test "$big" -gt "$DATA_KB"
low=$(min_col 3)
ok "no limit: MemAvailable still above $((FLOOR_KB / 1024)) MiB (lowest $((low / 1024)) MiB): the attack is bounded" \
    test "$low" -ge "$FLOOR_KB"

done_testing
