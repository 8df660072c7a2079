#!/bin/bash
# bench/maxrequests.sh - what PHP_FCGI_MAX_REQUESTS costs: requests/s through
# wrk -> nginx -> fcgi-suexec -> php-cgi8.2, for each value of it side by side.
#
# One private nginx (workers as www-data, 127.0.0.1, one port per value), one
# site (user fsxbench, /var/www/fsxbench), and for each value V in
# BENCH_MAXREQ_VALUES (default "0 100 500 1000 10000"; 0 must be among them:
# the ratios are to it) a pool of its own: php-cgi8.2 started by spawn-fcgi as
# www-data through fcgi-suexec (build/bench-php), PHP_FCGI_CHILDREN=BENCH_WORKERS
# (4) and PHP_FCGI_MAX_REQUESTS=V. With V > 0 a child that has served V
# requests exits and php-cgi's master forks a new one at once (php-src
# sapi/cgi/cgi_main.c: wait(), then fork(), no delay); with 0 a child never
# exits. (Unset, php-cgi's own default is 500.) Pages: hello.php (one echo:
# the worst case, where a request costs least) and work.php (three includes,
# reads 16 KiB, writes and reads back a file). Each measurement is
#   wrk -t1 -cBENCH_CONNS -dBENCH_SECONDS (default 8 connections, 5 s)
# on one pool while the others idle, in BENCH_MAXREQ_ROUNDS rounds (5), each
# round every page and value, the values' order rotated from round to round.
# Around each measurement the pool's CPU time and minor page faults are read
# from /proc (its master, its live children, and the children it reaped:
# cutime, cstime, cminflt), so the cost of recycling shows as CPU and faults
# per request, and per child replaced: (cost per request at V - at 0) x V.
# The pool with V=0: its children's memory (Rss) after the warm-up and at
# the end, to weigh what never recycling lets grow.
#
# Results: $OUT/maxrequests.tsv (raw: round, page, V, requests/s, requests,
# user and system CPU ticks, minor faults), $OUT/maxrequests.txt (summary:
# medians, ratios to V=0 as medians of the per-round ratios).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

WORKERS=${BENCH_WORKERS:-4}
CONNS=${BENCH_CONNS:-8}
SECS=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_MAXREQ_ROUNDS:-5}
read -r -a VALUES <<<"${BENCH_MAXREQ_VALUES:-0 100 500 1000 10000}"
PAGES=(hello work)
NGINX=/usr/sbin/nginx
HZ=$(getconf CLK_TCK)

for t in "$NGINX" /usr/bin/spawn-fcgi /usr/bin/wrk "$PHP_REAL"; do
    [ -x "$t" ] || die "$t is missing (setup.sh installs it)"
done
for v in "${VALUES[@]}"; do
    [[ $v =~ ^[0-9]+$ ]] || die "BENCH_MAXREQ_VALUES: $v is not a number of requests"
done
[[ " ${VALUES[*]} " == *" 0 "* ]] || die "BENCH_MAXREQ_VALUES must hold 0 (the ratios are to it)"

bench_init maxrequests
run=$STATE

# --- a pool per value, nginx in front --------------------------------------------------
names=()
for v in "${VALUES[@]}"; do
    start_site "mr$v" "$SITE_USER" "$SITE" PHP_FCGI_MAX_REQUESTS="$v"
    names+=("mr$v")
done
free_ports 18800 18899 "${names[@]}"
nginx_conf "$NGINX_DIR" "$(for m in "${names[@]}"; do php_server "${PORT[$m]}" "$SITE" "$run/$m.sock"; done)"
start_bg nginx "$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -g 'daemon off;'
for m in "${names[@]}"; do
    for page in info "${PAGES[@]}"; do ready "$m" "$page.php" hello; done
    echo "$m: $(get "$m" info.php >/dev/null; cat "$run/body")," \
        "$(tr '\0' '\n' <"/proc/${BG_PID[$m]}/environ" | grep '^PHP_FCGI_' | paste -sd' ')"
done

# pool_cpu NAME: "USER SYSTEM FAULTS" (ticks, ticks, minor faults) of NAME's
# php-cgi master, its live children and those it reaped; read again until
# no child was reaped during the read (a child counted twice or not at all)
pool_cpu() {
    local m=${BG_PID[$1]} before after out _
    reaped() { awk '{ sub(/^.*\) /, ""); print $9, $14, $15 }' "/proc/$m/stat"; }
    for _ in $(seq 20); do
        before=$(reaped)
        # shellcheck disable=SC2046 # a list of files
        out=$(cat "/proc/$m/stat" $(pgrep -P "$m" | sed 's|.*|/proc/&/stat|') 2>/dev/null |
            awk -v m="$m" '{ pid = $1; sub(/^.*\) /, ""); u += $12; s += $13; f += $8
                if (pid == m) { u += $14; s += $15; f += $9 } } END { print u, s, f }')
        after=$(reaped)
        [ "$before" = "$after" ] && break
    done
    echo "$out"
}
# kids_rss NAME: the Rss of NAME's children, KiB, summed
kids_rss() {
    # shellcheck disable=SC2046 # a list of files
    awk '/^VmRSS:/ { s += $2 } END { print s + 0 }' $(pgrep -P "${BG_PID[$1]}" | sed 's|.*|/proc/&/status|') 2>/dev/null
}

say "== 6. PHP_FCGI_MAX_REQUESTS: wrk -t1 -c$CONNS -d${SECS}s on hello.php and work.php, nginx -> fcgi-suexec ->" \
    "php-cgi8.2 with $WORKERS children, $ROUNDS alternating rounds"
# warm-up: opcache, nginx, the workers
for page in "${PAGES[@]}"; do for m in "${names[@]}"; do wrk_run "$m" "$page" 1 >/dev/null; done; done
rss0=$(kids_rss mr0)

: >"$OUT/maxrequests.tsv"
for r in $(seq "$ROUNDS"); do
    for page in "${PAGES[@]}"; do
        for k in "${!VALUES[@]}"; do
            v=${VALUES[$(((k + r - 1) % ${#VALUES[@]}))]}
            read -r u0 s0 f0 <<<"$(pool_cpu "mr$v")"
            read -r rps n <<<"$(wrk_run "mr$v" "$page" "$SECS")"
            read -r u1 s1 f1 <<<"$(pool_cpu "mr$v")"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$page" "$v" "$rps" "$n" \
                $((u1 - u0)) $((s1 - s0)) $((f1 - f0)) >>"$OUT/maxrequests.tsv"
        done
    done
done
rss1=$(kids_rss mr0)
served0=$(awk -F'\t' '$3 == 0 { n += $5 } END { print n + 0 }' "$OUT/maxrequests.tsv")

# --- summary ---------------------------------------------------------------------------
col() { # PAGE V COLUMN-EXPRESSION: that value per round, median
    awk -F'\t' -v p="$1" -v v="$2" -v hz="$HZ" '$2 == p && $3 == v { print '"$3"' }' "$OUT/maxrequests.tsv" | median
}
to0() { # PAGE V: requests/s at V over requests/s at 0, per round, median
    awk -F'\t' -v p="$1" -v v="$2" '$2 == p { t[$1, $3] = $4; r[$1] = 1 }
        END { for (k in r) print t[k, v] / t[k, 0] }' "$OUT/maxrequests.tsv" | median
}
say "$(printf '%-6s %8s %10s %8s %11s %11s %13s %20s' page V requests/s ratio/0 'user us/rq' 'sys us/rq' 'faults/rq' 'CPU ms/replacement')"
# shellcheck disable=SC2016 # awk expressions of the columns, not the shell's
for page in "${PAGES[@]}"; do
    c0=$(col "$page" 0 '($6 + $7) * 1e6 / hz / $5')
    for v in "${VALUES[@]}"; do
        rps=$(col "$page" "$v" '$4')
        us=$(col "$page" "$v" '$6 * 1e6 / hz / $5')
        ss=$(col "$page" "$v" '$7 * 1e6 / hz / $5')
        fl=$(col "$page" "$v" '$8 / $5')
        cpu=$(col "$page" "$v" '($6 + $7) * 1e6 / hz / $5')
        if [ "$v" = 0 ]; then per=-; else per=$(awk -v a="$cpu" -v b="$c0" -v v="$v" 'BEGIN { printf "%.1f", (a - b) * v / 1000 }'); fi
        say "$(printf '%-6s %8s %10.0f %8.3f %11.1f %11.1f %13.1f %20s' "$page" "$v" "$rps" "$(to0 "$page" "$v")" \
            "$us" "$ss" "$fl" "$per")"
    done
done
say "requests/s and CPU (the pool's: master, children, reaped children) per request: medians of $ROUNDS rounds;" \
    "ratio/0: requests/s over V=0's, median of the per-round ratios; CPU ms/replacement: (CPU per request at V" \
    "- at 0) x V, what each child that exits and its replacement cost"
say "V=0: the $WORKERS children's Rss $rss0 KiB after the warm-up, $rss1 KiB after serving $served0 requests more"
