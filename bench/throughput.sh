#!/bin/bash
# bench/throughput.sh - benchmark 2: requests per second, wrk -> nginx -> PHP.
#
# One private nginx (workers as www-data, 127.0.0.1, one port per variant),
# one site (user fsxbench, /var/www/fsxbench), the same number of PHP
# workers (BENCH_WORKERS, default 4) in each of:
#   confined  php-cgi8.2 started by spawn-fcgi as www-data through fcgi-suexec
#             (build/bench-php: full confinement, PHP_FCGI_CHILDREN workers)
#   plain     the same php-cgi8.2 started by spawn-fcgi as the site's user,
#             with the same php.ini, without any confinement
#   fpm       a php-fpm8.2 static pool (pm.max_children workers) as the site's
#             user: a private master with a config of its own
#   argv      (reference) php-cgi8.2 with the very command line and
#             environment fcgi-suexec gave the confined master (open_basedir,
#             private temp dirs, cgi.fix_pathinfo=0; read from /proc), started
#             by spawn-fcgi as the site's user: PHP's own restrictions without
#             the kernel's (no Landlock, no seccomp); confined vs argv is the
#             cost of Landlock + seccomp, argv vs plain that of PHP's settings
# Two pages: hello.php (one echo) and work.php (three includes, reads 16 KiB,
# writes and reads back a file in the site). Each measurement is
#   wrk -t1 -cBENCH_CONNS -dBENCH_SECONDS (default 8 connections, 5 s)
# in BENCH_REPEATS rounds (default 3), each round every page and variant,
# the variants' order rotated from round to round. Figures are medians.
#
# Results: $OUT/throughput.tsv (raw), $OUT/throughput.dat (chart),
# $OUT/throughput.txt (summary).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

WORKERS=${BENCH_WORKERS:-4}
CONNS=${BENCH_CONNS:-8}
SECS=${BENCH_SECONDS:-5}
REPEATS=${BENCH_REPEATS:-3}
NGINX=/usr/sbin/nginx
FPM=/usr/sbin/php-fpm8.2
VARIANTS=(confined plain fpm argv)
PAGES=(hello work)

for t in "$NGINX" "$FPM" /usr/bin/spawn-fcgi /usr/bin/wrk "$PHP_REAL"; do
    [ -x "$t" ] || die "$t is missing (setup.sh installs it)"
done

bench_init throughput
run=$STATE
wgroup=$(id -gn "$HTTPD")

# --- the three worker pools -------------------------------------------------------
penv=(env -i PATH=/usr/bin:/bin)
start_site confined "$SITE_USER" "$SITE"
start_bg plain "${penv[@]}" spawn-fcgi -n -s "$run/plain.sock" -M 0660 -U "$HTTPD" -G "$wgroup" \
    -u "$SITE_USER" -g "$SITE_USER" -d "$SITE" -C "$WORKERS" -- "$PHP_REAL" -c "$PHP_INI_CGI"
cat >"$run/fpm.conf" <<EOF
[global]
pid = $run/fpm.pid
error_log = $run/fpm-error.log
daemonize = no
[$SITE_USER]
user = $SITE_USER
group = $SITE_USER
listen = $run/fpm.sock
listen.owner = $HTTPD
listen.group = $wgroup
listen.mode = 0660
pm = static
pm.max_children = $WORKERS
chdir = $SITE
EOF
start_bg fpm "${penv[@]}" "$FPM" -F -y "$run/fpm.conf"
for _ in $(seq 50); do [ -s "/proc/${BG_PID[confined]}/cmdline" ] && grep -q php-cgi "/proc/${BG_PID[confined]}/cmdline" && break; sleep 0.1; done
mapfile -d '' argv <"/proc/${BG_PID[confined]}/cmdline"
mapfile -d '' envv <"/proc/${BG_PID[confined]}/environ"
# BENCH_ARGV_DROP=NAME[,NAME...]: leave those -d settings out of argv's
# command line (e.g. open_basedir), to see what each costs
if [ -n "${BENCH_ARGV_DROP:-}" ]; then
    kept=()
    for ((i = 0; i < ${#argv[@]}; i++)); do
        if [ "${argv[$i]}" = -d ] && [[ ",$BENCH_ARGV_DROP," == *",${argv[$((i + 1))]%%=*},"* ]]; then
            i=$((i + 1))
            continue
        fi
        kept+=("${argv[$i]}")
    done
    argv=("${kept[@]}")
    echo "argv: without $BENCH_ARGV_DROP: ${argv[*]}"
fi
start_bg argv env -i "${envv[@]}" spawn-fcgi -n -s "$run/argv.sock" -M 0660 -U "$HTTPD" -G "$wgroup" \
    -u "$SITE_USER" -g "$SITE_USER" -d "$SITE" -- "${argv[@]}"
for v in "${VARIANTS[@]}"; do
    wait_listen "$run/$v.sock" || { cat "$run/$v.log" >&2; die "$v: no worker listening on $run/$v.sock"; }
done

# --- nginx ------------------------------------------------------------------------
free_ports 18700 18799 "${VARIANTS[@]}"
n=$NGINX_DIR
nginx_conf "$n" "$(for v in "${VARIANTS[@]}"; do php_server "${PORT[$v]}" "$SITE" "$run/$v.sock"; done)"
start_bg nginx "$NGINX" -p "$n" -c "$n/nginx.conf" -g 'daemon off;'

# every variant answers every page (bounded retries while workers start)
for v in "${VARIANTS[@]}"; do
    for page in info hello work; do ready "$v" "$page.php" hello; done
    get "$v" info.php >/dev/null
    echo "$v: $(cat "$run/body")"
done

# the workers as they run: their users and process counts; their pids (for
# a profiler) in $OUT/throughput-pids.txt
: >"$OUT/throughput-pids.txt"
for v in "${VARIANTS[@]}"; do
    pid=${BG_PID[$v]}
    echo "$v: $(ps -o user= --sid "$pid" | sort | uniq -c | tr -s ' ' | paste -sd,) (session $pid)"
    echo "$v $(ps -o pid= --sid "$pid" | tr -d ' ' | paste -sd,)" >>"$OUT/throughput-pids.txt"
done

say "== 2. throughput: wrk -t1 -c$CONNS -d${SECS}s, $WORKERS PHP workers each, $REPEATS alternating rounds"
wrk_once() { wrk_run "$@" | cut -d' ' -f1; } # VARIANT PAGE SECONDS -> requests/s
# warm-up: opcache, nginx, the workers
for page in "${PAGES[@]}"; do for v in "${VARIANTS[@]}"; do wrk_once "$v" "$page" 1 >/dev/null; done; done

: >"$OUT/throughput.tsv"
for r in $(seq "$REPEATS"); do
    for page in "${PAGES[@]}"; do
        for k in "${!VARIANTS[@]}"; do
            v=${VARIANTS[$(( (k + r - 1) % ${#VARIANTS[@]} ))]}
            rps=$(wrk_once "$v" "$page" "$SECS")
            printf '%s\t%s\t%s\t%s\n' "$r" "$page" "$v" "$rps" >>"$OUT/throughput.tsv"
        done
    done
done

declare -A M
say "$(printf '%-8s %10s %10s %10s %10s %15s %13s %14s' page confined plain fpm argv confined/plain confined/fpm confined/argv)"
: >"$OUT/throughput.dat"
for page in "${PAGES[@]}"; do
    for v in "${VARIANTS[@]}"; do
        M[$v]=$(awk -F'\t' -v p="$page" -v v="$v" '$2 == p && $3 == v { print $4 }' "$OUT/throughput.tsv" | median)
    done
    # ratios per round, then the median
    rr() { awk -F'\t' -v p="$page" -v x="$1" -v y="$2" '$2 == p { t[$1, $3] = $4; r[$1] = 1 }
            END { for (k in r) print t[k, x] / t[k, y] }' "$OUT/throughput.tsv" | median; }
    rp=$(rr confined plain) rf=$(rr confined fpm) ra=$(rr confined argv)
    say "$(printf '%-8s %10.0f %10.0f %10.0f %10.0f %15.3f %13.3f %14.3f' "$page" "${M[confined]}" "${M[plain]}" \
        "${M[fpm]}" "${M[argv]}" "$rp" "$rf" "$ra")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$page" "${M[confined]}" "${M[plain]}" "${M[fpm]}" "${M[argv]}" >>"$OUT/throughput.dat"
done
say "requests/s, medians of $REPEATS runs; ratios are medians of the per-round ratios;" \
    "targets: confined/plain >= 0.98, confined/fpm >= 1.0;" \
    "argv: php-cgi with the launcher's command line (open_basedir...) but no Landlock or seccomp"
