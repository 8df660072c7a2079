#!/bin/bash
# bench/neighbour.sh - benchmark 5: a noisy neighbour. What a site's visitors
# see while another site on the same host attacks it with what PHP can do.
#
# One private nginx (workers as www-data, 127.0.0.1), two sites, each
# php-cgi8.2 started by spawn-fcgi as www-data through fcgi-suexec
# (build/bench-php, BENCH_WORKERS PHP workers each, default 4):
#   the neighbour  user fsxbench, /var/www/fsxbench: work.php (three
#                  includes, reads 16 KiB, writes and reads back a file)
#   the attacker   user fsxbattack, /var/www/fsxbattack: tests/apps/attack.php,
#                  which at once (one request each, all bounded):
#                  spin   BENCH_NEIGHBOUR_SPIN processes (default 4 per core)
#                         spinning for the whole run,
#                  hog    grows to HOG MiB (min(1 GiB, MemAvailable/8)) and
#                         holds it, memory_limit -1,
#                  flood  BENCH_NEIGHBOUR_FLOOD sleeping processes (300)
# The neighbour's visitor: one request at a time, BENCH_NEIGHBOUR_RATE a
# second (20), for BENCH_NEIGHBOUR_SECONDS (20), through nginx (curl --rate;
# time_total of each). Variants, both workers launched anew for each:
#   quiet   no attacker; both sites with the build's default limits
#   limits  the attack; both sites with the default limits (LIMIT_*)
#   none    the attack; both sites with no limits, per-site files in
#           LIMITS_DIR: nproc, nofile, data, fsize at the caller's hard limits
#           (unlimited where they are; root here may lack CAP_SYS_RESOURCE),
#           nice 0, oom_score_adj 0: the launcher before issue 12
#   nice19  as limits, and the attacker's per-site nice 19 (what root can do
#           for one site it knows is noisy, without cgroups)
# No variant puts a site in a control group: the project never creates
# cgroups or moves processes between them (on a systemd host the tree is
# systemd's, and on this machine a test would escape its own accounting);
# what the systemd drop-ins would add is reasoned in docs/BENCHMARKS.md.
# in BENCH_REPEATS rounds (3), the variants' order rotated from round to
# round. A root sampler records, every 0.2 s, how long a root /bin/true
# takes and MemAvailable (the host stays usable).
#
# Results: $OUT/neighbour.tsv (raw: variant, round, HTTP code, seconds),
# $OUT/neighbour.txt (summary: median, p99 and max latency pooled over the
# rounds, errors = answers other than 200, ratios to quiet; what the attack
# got, from its own answers).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SECS=${BENCH_NEIGHBOUR_SECONDS:-20}
RATE=${BENCH_NEIGHBOUR_RATE:-20}
REPEATS=${BENCH_REPEATS:-3}
WORKERS=${BENCH_WORKERS:-4}
SPIN=${BENCH_NEIGHBOUR_SPIN:-$((4 * $(nproc)))}
FLOOD=${BENCH_NEIGHBOUR_FLOOD:-300}
NGINX=/usr/sbin/nginx
VARIANTS=(quiet limits none nice19)
HOG=$(awk '/^MemAvailable:/ { m = int($2 / 1024 / 8); if (m > 1024) m = 1024; print int(m / 8) * 8 }' /proc/meminfo)

for t in "$NGINX" /usr/bin/spawn-fcgi /usr/bin/curl /usr/bin/perl "$PHP_REAL"; do
    [ -x "$t" ] || die "$t is missing (setup.sh installs it)"
done
[ "$HOG" -ge 64 ] || die "MemAvailable too low for the memory hog ($HOG MiB)"

bench_init neighbour
run=$STATE

# --- the attacker's site and the limit files ------------------------------------------
add_user "$ATTACK_USER" /nonexistent
install -d -o "$ATTACK_USER" -g "$ATTACK_USER" -m 0755 "$ATTACK_SITE"
put "$BENCH_REPO/tests/apps/attack.php" "$ATTACK_SITE/attack.php" "$ATTACK_USER:$ATTACK_USER" 0644

# hard LIMIT: the caller's hard limit for `ulimit -H LIMIT`, as a limit file's value
hard() {
    local v
    v=$(ulimit -H "$1")
    case $1 in
        -d | -f) [ "$v" = unlimited ] || v=${v}K ;;   # bash: KiB (-f: 1024-byte blocks)
    esac
    echo "$v"
}

# limits VARIANT: the per-site files of both sites for that variant
limits() {
    local u
    rm -rf "${LIMITS:?}"
    install -d -o root -g root -m 0755 "$LIMITS"
    case $1 in
        none)
            for u in "$SITE_USER" "$ATTACK_USER"; do
                install -d -o root -g root -m 0755 "$LIMITS/$u"
                hard -u >"$LIMITS/$u/nproc"
                hard -n >"$LIMITS/$u/nofile"
                hard -d >"$LIMITS/$u/data"
                hard -f >"$LIMITS/$u/fsize"
                echo 0 >"$LIMITS/$u/nice"
                echo 0 >"$LIMITS/$u/oom_score_adj"
            done
            ;;
        nice19)
            install -d -o root -g root -m 0755 "$LIMITS/$ATTACK_USER"
            echo 19 >"$LIMITS/$ATTACK_USER/nice"
            ;;
    esac
    find "$LIMITS" -type f -exec chmod 0644 {} +
}

# --- nginx --------------------------------------------------------------------------
free_ports 18660 18679 nb atk
n=$NGINX_DIR
nginx_conf "$n" "$(php_server "${PORT[nb]}" "$SITE" "$run/nb.sock")
$(php_server "${PORT[atk]}" "$ATTACK_SITE" "$run/atk.sock")"
start_bg nginx "$NGINX" -p "$n" -c "$n/nginx.conf" -g 'daemon off;'

# --- one run ----------------------------------------------------------------------------
# sampler: a root /bin/true's time (µs) and MemAvailable (KiB) every 0.2 s,
# until $run/stop exists (bounded: 3000 samples)
sampler() {
    local t0 t1 _
    for _ in $(seq 3000); do
        [ -e "$run/stop" ] && break
        t0=${EPOCHREALTIME/./}
        /bin/true
        t1=${EPOCHREALTIME/./}
        echo "$((t1 - t0)) $(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)"
        sleep 0.2
    done
}

declare -A ATTACKED=()
once() { # VARIANT ROUND
    local v=$1 r=$2 a pids=() reqs=$((RATE * SECS))
    limits "$v"
    stop_bg nb; stop_bg atk
    start_site nb "$SITE_USER" "$SITE"
    start_site atk "$ATTACK_USER" "$ATTACK_SITE"
    ready nb work.php hello
    ready atk 'attack.php?do=ping' "^OK uid=$(id -u "$ATTACK_USER")"
    for _ in $(seq 20); do get nb work.php >/dev/null; done          # warm-up
    rm -f "$run/stop"
    sampler >"$run/samples" &
    local sp=$!
    if [ "$v" != quiet ]; then
        attack() { # ACTION ARG SECS
            curl -sS --max-time $((SECS + 60)) -o "$run/atk-$1" -w '%{http_code}' \
                "http://127.0.0.1:${PORT[atk]}/attack.php?do=$1&arg=$2&secs=$3" >"$run/atk-$1.code" 2>/dev/null &
            pids+=($!)
        }
        attack spin "$SPIN" $((SECS + 4))
        sleep 1                                  # the spinners first: the flood leaves no fork
        attack hog "$HOG" $((SECS + 2))
        sleep 1                                  # the hog dies at its limit, its worker is forked again
        attack flood "$FLOOD" $((SECS + 2))
        sleep 1
    fi
    curl -s --max-time 10 --rate "$RATE/s" -o /dev/null -w '%{http_code} %{time_total}\n' \
        "http://127.0.0.1:${PORT[nb]}/work.php?n=[1-$reqs]" 2>/dev/null |
        awk -v v="$v" -v r="$r" '{ printf "%s\t%s\t%s\t%s\n", v, r, $1, $2 }' >>"$OUT/neighbour.tsv" || true
    for a in "${pids[@]}"; do wait "$a" || true; done
    : >"$run/stop"
    wait "$sp" || true
    awk -v v="$v" -v r="$r" '{ printf "%s\t%s\t%s\t%s\n", v, r, $1, $2 }' "$run/samples" >>"$OUT/neighbour-host.tsv"
    if [ "$v" != quiet ]; then
        ATTACKED[$v]=$(for a in spin hog flood; do
            if grep -Eq '^(OK|ERR) ' "$run/atk-$a" 2>/dev/null; then
                echo "$a: $(head -n 1 "$run/atk-$a" | cut -c 1-160)"
            else
                echo "$a: HTTP $(cat "$run/atk-$a.code" 2>/dev/null)"
            fi
        done | paste -sd';')
        echo "$v round $r: ${ATTACKED[$v]}"
    fi
    stop_bg nb; stop_bg atk
}

say "== 5. noisy neighbour: work.php at $RATE/s for ${SECS}s, one at a time, $WORKERS PHP workers a site;" \
    "attack: $SPIN spinners, a ${HOG} MiB hog, a flood of $FLOOD; $REPEATS alternating rounds"
: >"$OUT/neighbour.tsv"
: >"$OUT/neighbour-host.tsv"
for r in $(seq "$REPEATS"); do
    for k in "${!VARIANTS[@]}"; do
        once "${VARIANTS[$(( (k + r - 1) % ${#VARIANTS[@]} ))]}" "$r"
    done
done

# --- the figures ----------------------------------------------------------------------
# pct VARIANT P: the P-th percentile (nearest rank) of the variant's times, in ms
pct() {
    awk -F'\t' -v v="$1" '$1 == v && $3 == 200 { print $4 * 1000 }' "$OUT/neighbour.tsv" | sort -g |
        awk -v p="$2" '{ t[NR] = $1 } END { if (!NR) { print "nan"; exit }
            k = int(NR * p / 100 + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; printf "%.2f\n", t[k] }'
}
count() { awk -F'\t' -v v="$1" -v w="$2" '$1 == v && (w == "all" || (w == "err" && $3 != 200)) { n++ } END { print n + 0 }' "$OUT/neighbour.tsv"; }
host() { # VARIANT: the slowest root /bin/true (ms), the lowest MemAvailable (MiB)
    awk -F'\t' -v v="$1" '$1 == v { if ($3 > t) t = $3; if (m == "" || $4 < m) m = $4 }
        END { printf "%.1f %.0f\n", t / 1000, m / 1024 }' "$OUT/neighbour-host.tsv"
}
qm=$(pct quiet 50) q99=$(pct quiet 99)
say "$(printf '%-8s %9s %9s %9s %8s %8s %12s %12s %11s %12s' variant requests errors \
    median_ms p99_ms max_ms median/quiet p99/quiet true_max_ms memavail_MiB)"
for v in "${VARIANTS[@]}"; do
    m=$(pct "$v" 50) p=$(pct "$v" 99) x=$(pct "$v" 100)
    read -r tmax mmin <<<"$(host "$v")"
    say "$(printf '%-8s %9s %9s %9s %8s %8s %12s %12s %11s %12s' "$v" "$(count "$v" all)" "$(count "$v" err)" \
        "$m" "$p" "$x" "$(ratio "$m" "$qm")" "$(ratio "$p" "$q99")" "$tmax" "$mmin")"
done
for v in "${VARIANTS[@]}"; do
    [ "$v" = quiet ] || say "attack, $v (last round): ${ATTACKED[$v]}"
done
p99l=$(pct limits 99)
met=no
[ "$(count limits err)" = 0 ] && awk -v a="$p99l" -v b="$q99" 'BEGIN { exit !(a <= 2 * b) }' && met=yes
say "latency pooled over the rounds (nearest rank), errors = answers other than 200 (000: none);" \
    "target with the default limits: zero errors and p99 <= 2x quiet: $met"
