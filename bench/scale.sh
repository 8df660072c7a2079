#!/bin/bash
# bench/scale.sh - benchmark 4: many sites.
#
# Makes BENCH_SITES sites (default 200): users fsxb001.. (each its own group)
# and docroots /var/www/fsxb001.. with a hello.php; all are removed at the
# end, whatever happens (the EXIT trap of bench/lib.sh).
#
# 1. Always on: bench/sitestart.c starts every site's php-cgi8.2 worker
#    through fcgi-suexec (build/bench-php, PHP_FCGI_CHILDREN=0: one process
#    a site), two callers (www-data) at once, without waiting; reports when
#    the last launch became php-cgi, when the last site answered a request,
#    and the workers' summed Pss/Rss. BENCH_REPEATS runs (default 3; the
#    first also makes each site's private temp dir); medians.
# 2. The launch itself: starting php-cgi dominates the above, so
#    bench/launchloop.c also launches the trivial target through
#    fcgi-suexec (build/bench) BENCH_SCALE_LAUNCHES times (default 4000),
#    cycling over the sites, with two concurrent callers and with one, next to
#    direct exec, in alternating rounds: launches per second.
# 3. On demand: bench/activator.c holds every site's socket and starts a
#    site's worker (through fcgi-suexec) only when a connection waits on it.
#    One site in ten gets three requests (the first starts the worker);
#    memory is then summed over the activator and the workers; then every
#    other site gets one request, two clients at once: the time for all to
#    come up on demand.
#
# Results: $OUT/scale.txt (summary), $OUT/scale-*.out (raw).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

N=${BENCH_SITES:-200}
REPEATS=${BENCH_REPEATS:-3}
LAUNCHES=${BENCH_SCALE_LAUNCHES:-4000}
if ! [[ $N =~ ^[0-9]+$ ]] || [ "$N" -lt 1 ] || [ "$N" -gt 999 ]; then
    die "BENCH_SITES must be 1..999"
fi

bench_init scale
run=$STATE
sites=$run/sites.txt
make_scale_sites "$N" "$sites" scale
install -d -o root -g root -m 0755 "$run/scale" "$run/od"

say "== 4. scale: $N sites, each its own user and docroot"

# --- 1. always on -----------------------------------------------------------------
: >"$OUT/scale-sitestart.out"
for r in $(seq "$REPEATS"); do
    "$TOOLS/sitestart" --launcher "$LAUNCHER_PHP" --php-version 8.2 --sockdir "$run/scale" --jobs 2 \
        --timeout 120 "$sites" >"$run/sitestart.out" || { cat "$run/sitestart.out" >&2; die "sitestart failed"; }
    sed "s/^/$r\t/" "$run/sitestart.out" >>"$OUT/scale-sitestart.out"
done
kv() { awk -F'\t' -v k="$1" '{ split($2, a, "="); if (a[1] == k) print a[2] }' "$OUT/scale-sitestart.out" | median; }
say "always on, php-cgi through fcgi-suexec, 2 callers (medians of $REPEATS runs):"
say "  all $N launched (became php-cgi) in $(kv exec_all_s) s = $(kv launches_per_s) launches/s;" \
    "all answering in $(kv serving_all_s) s"
say "  memory of the $N workers: Pss $(kv pss_kb) KiB ($(awk -v p="$(kv pss_kb)" -v n="$N" 'BEGIN { printf "%.0f", p / n }') KiB a site), Rss $(kv rss_kb) KiB"
ALWAYS_PSS=$(kv pss_kb)

# --- 2. the launch itself, trivial target, 200 users ------------------------------
cat >"$run/scale.spec" <<EOF
a - $LAUNCHER %s %s $WWW/%s
c - $TARGET
EOF
rate() { # JOBS -> lines "variant launches/s"
    "$TOOLS/launchloop" --as "$HTTPD" --jobs "$1" --launches "$LAUNCHES" --rounds 5 --warmup "$N" \
        --sites "$sites" "$run/scale.spec" >"$OUT/scale-launch-j$1.tsv" || die "launchloop failed"
    for v in a c; do
        awk -F'\t' -v v="$v" '$2 == v { print 1e6 / $4 }' "$OUT/scale-launch-j$1.tsv" | median
    done
}
rate 2 >"$run/rate2"   # (not "< <(rate 2)": a signal must find it in the foreground)
rate 1 >"$run/rate1"
mapfile -t R2 <"$run/rate2"
mapfile -t R1 <"$run/rate1"
say "launch alone (trivial target, cycling over the $N users, $LAUNCHES launches, medians of 5 rounds):"
say "  2 concurrent callers: fcgi-suexec $(printf '%.0f' "${R2[0]}") launches/s (direct exec $(printf '%.0f' "${R2[1]}")/s)  target >= 1000"
say "  1 caller:             fcgi-suexec $(printf '%.0f' "${R1[0]}") launches/s (direct exec $(printf '%.0f' "${R1[1]}")/s)"

# --- 3. on demand -----------------------------------------------------------------
start_bg activator "$TOOLS/activator" --launcher "$LAUNCHER_PHP" --php-version 8.2 --sockdir "$run/od" "$sites"
for _ in $(seq 100); do grep -q '^ready' "$run/activator.log" && break; sleep 0.1; done
grep -q '^ready' "$run/activator.log" || { cat "$run/activator.log" >&2; die "the activator did not start"; }
apid=${BG_PID[activator]}
setup_us=$(sed -n 's/^ready .*setup_us=\([0-9]*\).*/\1/p' "$run/activator.log")
awk 'NR % 10 == 1' "$sites" >"$run/active.txt"
awk 'NR % 10 != 1' "$sites" >"$run/rest.txt"
K=$(wc -l <"$run/active.txt")
"$TOOLS/fcgiget" --jobs 2 --repeat 3 --sockdir "$run/od" --sites "$run/active.txt" --script hello.php \
    >"$OUT/scale-ondemand-active.out" || die "on-demand requests failed"
cold=$(awk -F'\t' '$2 == 1 { print $3 / 1000 }' "$OUT/scale-ondemand-active.out" | median)
warm=$(awk -F'\t' '$2 > 1 && $1 !~ /^#/ { print $3 / 1000 }' "$OUT/scale-ondemand-active.out" | median)
od_pss() { # Pss of the activator and its workers
    local p
    for p in "$apid" $(ps -o pid= --ppid "$apid"); do
        awk '$1 == "Pss:" { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true
    done | awk '{ s += $1 } END { print s + 0 }'
}
nworkers() { ps -o pid= --ppid "$apid" | wc -l; }
pss_k=$(od_pss) workers_k=$(nworkers)
"$TOOLS/fcgiget" --jobs 2 --repeat 1 --sockdir "$run/od" --sites "$run/rest.txt" --script hello.php \
    >"$OUT/scale-ondemand-rest.out" || die "on-demand requests failed"
rest_s=$(awk -F'\t' '$1 == "#total" { printf "%.3f", $4 / 1e6 }' "$OUT/scale-ondemand-rest.out")
pss_all=$(od_pss) workers_all=$(nworkers)
stop_bg activator
say "on demand (bench/activator.c holds the $N sockets; set up in $(awk -v u="$setup_us" 'BEGIN { printf "%.1f", u / 1000 }') ms):"
say "  $K of $N sites requested: first request (starts the worker) $(printf '%.1f' "$cold") ms, later ones $(printf '%.2f' "$warm") ms (medians)"
say "  memory with $workers_k workers up: Pss $pss_k KiB, activator included ($(ratio "$pss_k" "$ALWAYS_PSS") of always-on)"
say "  the other $((N - K)) sites, one request each, 2 clients: all up in $rest_s s" \
    "($(awk -v n="$((N - K))" -v s="$rest_s" 'BEGIN { printf "%.0f", n / s }') activations/s); $workers_all workers, Pss $pss_all KiB"
