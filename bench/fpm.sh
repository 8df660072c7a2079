#!/bin/bash
# bench/fpm.sh - benchmark 7: "-w fpm", php-fpm started by the launcher (one
# master a site, as the site's user, in its world), against a stock php-fpm
# and against php-cgi through the launcher (issue 15, item 5).
#
# The process manager's values are the build's (build/bench-php's config.h:
# the make variables FPM_PM, FPM_PM_MAX_CHILDREN, ...; pm = ondemand), the
# same in every php-fpm of this benchmark; the stock pools get them written
# into their own configuration.
#
# 1. Throughput, wrk -> a private nginx (127.0.0.1) -> PHP, one site
#    (fsxbench), hello.php and work.php as in bench/throughput.sh:
#      fpm     fcgi-suexec -p 8.2 -w fpm (build/bench-php), started by
#              spawn-fcgi as www-data: php-fpm8.2 with root's template
#              (etc/php-fpm.conf, installed root's as $BENCH_ROOT/etc/php-fpm.conf)
#              and the site's pm.max_children = BENCH_WORKERS (4) from root's
#              $LIMITS/fsxbench/pm.max_children (BENCH_FPM_PM=static|dynamic:
#              $LIMITS/fsxbench/pm too, and the stock pools alike)
#      stock   php-fpm8.2 started as root with a private configuration
#              ($STATE/stock), its pool as fsxbench, the same pm values,
#              Debian's fpm php.ini, nothing of the launcher's
#      stock5  (reference) the same, started under nice -n 5: the launcher
#              gives every worker LIMIT_NICE (5 by default), so fpm/stock5 is
#              the launcher's cost apart from its priority
#      cgi     php-cgi8.2 through the launcher as bench/throughput.sh starts
#              it (spawn-fcgi, PHP_FCGI_CHILDREN = BENCH_WORKERS), with
#              PHP_FCGI_MAX_REQUESTS = pm.max_requests (so all renew alike)
#    wrk -t1 -cBENCH_CONNS -dBENCH_SECONDS, BENCH_REPEATS rounds, every page
#    and variant in each, the order rotated each round; medians, and ratios
#    per round (median). The PHP processes' CPU time per request is read
#    from /proc (the master's own and its reaped children's, and its live
#    children's) around each run.
# 2. Memory of BENCH_FPM_SITES idle sites (default BENCH_SITES, 200; users
#    fsxb001.. as bench/scale.sh makes them), in BENCH_FPM_MEM_ROUNDS rounds
#    (default 3), the order rotated:
#      cgi     every site's php-cgi8.2 through the launcher, one process a
#              site (PHP_FCGI_CHILDREN=0), as bench/scale.sh starts them
#              (bench/sitestart.c, two callers)
#      fpm     every site's php-fpm8.2 through the launcher (-w fpm), the same
#              way: a master a site
#      stock   one php-fpm8.2 master as root with one pool a site (the same
#              pm values, each pool as its site's user, a socket each)
#    Each site is asked once for hello.php (its pool forks a child), then
#    the benchmark waits until no child is left (pm.process_idle_timeout;
#    at most 4 x that + 20 s: under load php-fpm SIGKILLs idle children that
#    do not go on SIGQUIT and forks new ones, see docs/BENCHMARKS.md) and
#    sums Pss (/proc/PID/smaps_rollup) over every process of the variant,
#    and over the masters alone (their Pss_Anon, Pss_File, Pss_Shmem too).
# 3. The first request to a cold site (bench/coldstart.c, as in
#    bench/launch.sh): the worker started on a fresh socket, one FastCGI
#    request for hello.php at once, timed until the answer is in;
#    BENCH_COLD_RUNS rounds (default 30, 0 skips), the order shuffled each
#    round, the site's world already made (a later launch):
#      cold-cgi    fcgi-suexec -p 8.2 (php-cgi), as www-data
#      cold-fpm    fcgi-suexec -p 8.2 -w fpm, as www-data
#      cold-direct (reference) php-fpm8.2 started directly as the site's
#                  user, on the socket (a /bin/sh line moves it off fd 0),
#                  with the template's pool settings: no launcher
#
# BENCH_FPM_PARTS ("throughput memory cold") runs only the parts named.
# Results: $OUT/fpm.txt (summary), $OUT/fpm-throughput.tsv,
# $OUT/fpm-memory.tsv, $OUT/fpm-cold.tsv (raw).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

WORKERS=${BENCH_WORKERS:-4}
CONNS=${BENCH_CONNS:-8}
SECS=${BENCH_SECONDS:-5}
REPEATS=${BENCH_REPEATS:-3}
N=${BENCH_FPM_SITES:-${BENCH_SITES:-200}}
MEM_ROUNDS=${BENCH_FPM_MEM_ROUNDS:-3}
COLD_RUNS=${BENCH_COLD_RUNS:-30}
PARTS=${BENCH_FPM_PARTS:-throughput memory cold}
NGINX=/usr/sbin/nginx
PAGES=(hello work)

for t in "$NGINX" "$PHP_FPM_REAL" /usr/bin/spawn-fcgi /usr/bin/wrk "$PHP_REAL"; do
    [ -x "$t" ] || die "$t is missing (setup.sh installs it)"
done
for p in $PARTS; do
    case $p in throughput | memory | cold) ;; *) die "BENCH_FPM_PARTS: unknown part $p" ;; esac
done
if ! [[ $N =~ ^[0-9]+$ ]] || [ "$N" -lt 1 ] || [ "$N" -gt 999 ]; then die "BENCH_FPM_SITES must be 1..999"; fi
case ${BENCH_FPM_PM:-} in '' | ondemand | dynamic | static) ;; *) die "BENCH_FPM_PM: ondemand, dynamic or static" ;; esac

bench_init fpm
run=$STATE
wgroup=$(id -gn "$HTTPD")
part() { [[ " $PARTS " == *" $1 "* ]]; }

# the build's process manager values (LIMIT_DEFAULTS' last eight: pm, pm.max_children, ...)
PM_NAMES=(pm pm.max_children pm.start_servers pm.min_spare_servers pm.max_spare_servers
    pm.process_idle_timeout pm.max_requests request_terminate_timeout)
mapfile -t defs < <(sed -n 's/^#define LIMIT_DEFAULTS { \(.*\) }$/\1/p' "$BENCH_REPO/build/bench-php/obj/config.h" |
    tr -d '" \t' | tr , '\n')
[ "${#defs[@]}" -eq 14 ] || die "no -w fpm values in build/bench-php/obj/config.h: run make bench-build"
declare -A PMV
for i in "${!PM_NAMES[@]}"; do PMV[${PM_NAMES[$i]}]=${defs[$((6 + i))]}; done
pm_summary() { local k; for k in "${PM_NAMES[@]}"; do printf '%s=%s ' "$k" "${PMV[$k]}"; done; }

# stock_pool NAME USER LISTEN DOCROOT: a pool section with the values of PMV
# and the template's other settings, for a root master
stock_pool() {
    cat <<EOF
[$1]
user = $2
group = $2
listen = $3
listen.owner = $HTTPD
listen.group = $wgroup
listen.mode = 0660
chdir = $4
pm = ${PMV[pm]}
pm.max_children = ${PMV[pm.max_children]}
pm.start_servers = ${PMV[pm.start_servers]}
pm.min_spare_servers = ${PMV[pm.min_spare_servers]}
pm.max_spare_servers = ${PMV[pm.max_spare_servers]}
pm.process_idle_timeout = ${PMV[pm.process_idle_timeout]}
pm.max_requests = ${PMV[pm.max_requests]}
request_terminate_timeout = ${PMV[request_terminate_timeout]}
catch_workers_output = yes
decorate_workers_output = no
clear_env = yes
security.limit_extensions = .php
EOF
}
# stock_global DIR: the global section of a root master whose files are in DIR
stock_global() {
    printf '[global]\npid = %s/fpm.pid\nerror_log = %s/fpm-error.log\ndaemonize = no\nprocess_control_timeout = 10s\n' "$1" "$1"
}

# the CPU time (clock ticks) of a PHP tree: the master's, its reaped
# children's, its live children's
tree_ticks() {
    local p=$1 c
    {
        awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true
        for c in $(ps -o pid= --ppid "$p"); do
            awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$c/stat" 2>/dev/null || true
        done
    } | awk '{ s += $1 } END { print s + 0 }'
}
# the Pss (KiB) of the processes given, summed
pss_sum() {
    local p
    for p in "$@"; do awk '$1 == "Pss:" { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true; done |
        awk '{ s += $1 } END { print s + 0 }'
}

say "== 7. -w fpm: php-fpm through fcgi-suexec vs a stock php-fpm vs php-cgi through fcgi-suexec"
say "process manager (the build's, every php-fpm here): $(pm_summary)"

# --- 1. throughput ------------------------------------------------------------------
if part throughput; then
    VARIANTS=(fpm stock stock5 cgi)
    # root's per-site values for fsxbench (the launcher's LIMITS_DIR), the stock pools' alike
    install -d -o root -g root -m 0755 "$LIMITS" "$LIMITS/$SITE_USER"
    PMV[pm.max_children]=$WORKERS
    [ -z "${BENCH_FPM_PM:-}" ] || PMV[pm]=$BENCH_FPM_PM
    for k in pm pm.max_children; do
        echo "${PMV[$k]}" >"$LIMITS/$SITE_USER/$k"
        chmod 0644 "$LIMITS/$SITE_USER/$k"
    done
    start_fpm_site fpm "$SITE_USER" "$SITE"
    start_site cgi "$SITE_USER" "$SITE" "PHP_FCGI_MAX_REQUESTS=${PMV[pm.max_requests]}"
    for v in stock stock5; do
        install -d -o root -g root -m 0755 "$run/$v"
        { stock_global "$run/$v"; stock_pool "$SITE_USER" "$SITE_USER" "$run/$v.sock" "$SITE"; } >"$run/$v/fpm.conf"
    done
    start_bg stock env -i PATH=/usr/bin:/bin "$PHP_FPM_REAL" -F -O -y "$run/stock/fpm.conf" -c "$PHP_INI_FPM"
    start_bg stock5 env -i PATH=/usr/bin:/bin nice -n 5 "$PHP_FPM_REAL" -F -O -y "$run/stock5/fpm.conf" -c "$PHP_INI_FPM"
    for v in "${VARIANTS[@]}"; do
        wait_listen "$run/$v.sock" || { cat "$run/$v.log" >&2; die "$v: nothing listening on $run/$v.sock"; }
    done
    free_ports 18800 18899 "${VARIANTS[@]}"
    nginx_conf "$NGINX_DIR" "$(for v in "${VARIANTS[@]}"; do php_server "${PORT[$v]}" "$SITE" "$run/$v.sock"; done)"
    start_bg nginx "$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -g 'daemon off;'
    for v in "${VARIANTS[@]}"; do
        for page in info hello work; do ready "$v" "$page.php" hello; done
        get "$v" info.php >/dev/null
        echo "$v: $(cat "$run/body")"
    done
    for v in "${VARIANTS[@]}"; do
        pid=${BG_PID[$v]}
        echo "$v: master $pid: $(ps -o user=,ni= -p "$pid" | tr -s ' ')," \
            "$(ps -o pid= --sid "$pid" | wc -l) processes in its session"
    done

    say "-- throughput: wrk -t1 -c$CONNS -d${SECS}s, $REPEATS alternating rounds; pm.max_children = $WORKERS" \
        "(php-cgi: PHP_FCGI_CHILDREN = $WORKERS, PHP_FCGI_MAX_REQUESTS = ${PMV[pm.max_requests]}), pm = ${PMV[pm]}"
    # warm-up: opcache, nginx, the children
    for page in "${PAGES[@]}"; do for v in "${VARIANTS[@]}"; do wrk_run "$v" "$page" 1 >/dev/null; done; done
    : >"$OUT/fpm-throughput.tsv"
    for r in $(seq "$REPEATS"); do
        for page in "${PAGES[@]}"; do
            for k in "${!VARIANTS[@]}"; do
                v=${VARIANTS[$(((k + r - 1) % ${#VARIANTS[@]}))]}
                t0=$(tree_ticks "${BG_PID[$v]}")
                read -r rps reqs < <(wrk_run "$v" "$page" "$SECS")
                t1=$(tree_ticks "${BG_PID[$v]}")
                cpu_us=$(awk -v a="$t0" -v b="$t1" -v n="$reqs" -v hz="$(getconf CLK_TCK)" \
                    'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')
                printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$page" "$v" "$rps" "$cpu_us" >>"$OUT/fpm-throughput.tsv"
            done
        done
    done
    say "$(printf '%-6s %8s %8s %8s %8s %11s %12s %9s %13s' page fpm stock stock5 cgi fpm/stock fpm/stock5 fpm/cgi stock5/stock)"
    for page in "${PAGES[@]}"; do
        declare -A M=() C=()
        for v in "${VARIANTS[@]}"; do
            M[$v]=$(awk -F'\t' -v p="$page" -v v="$v" '$2 == p && $3 == v { print $4 }' "$OUT/fpm-throughput.tsv" | median)
            C[$v]=$(awk -F'\t' -v p="$page" -v v="$v" '$2 == p && $3 == v { print $5 }' "$OUT/fpm-throughput.tsv" | median)
        done
        rr() { awk -F'\t' -v p="$page" -v x="$1" -v y="$2" '$2 == p { t[$1, $3] = $4; r[$1] = 1 }
                END { for (k in r) print t[k, x] / t[k, y] }' "$OUT/fpm-throughput.tsv" | median; }
        say "$(printf '%-6s %8.0f %8.0f %8.0f %8.0f %11.3f %12.3f %9.3f %13.3f' "$page" "${M[fpm]}" "${M[stock]}" \
            "${M[stock5]}" "${M[cgi]}" "$(rr fpm stock)" "$(rr fpm stock5)" "$(rr fpm cgi)" "$(rr stock5 stock)")"
        say "$(printf '%-6s %8.0f %8.0f %8.0f %8.0f   (CPU us a request, PHP processes)' "$page" "${C[fpm]}" \
            "${C[stock]}" "${C[stock5]}" "${C[cgi]}")"
    done
    say "requests/s, medians of $REPEATS rounds; ratios: medians of the per-round ratios; target fpm/stock >= 1.0"
    for v in "${VARIANTS[@]}"; do stop_bg "$v"; done
    stop_bg nginx
    rm -rf "${LIMITS:?}/$SITE_USER"
    PMV[pm.max_children]=${defs[7]} PMV[pm]=${defs[6]}
fi

# --- 2. memory of idle sites ------------------------------------------------------------
if part memory; then
    sites=$run/sites.txt
    make_scale_sites "$N" "$sites" fpm
    # php-fpm ends an idle child with SIGQUIT and, when it is still there a
    # second later, SIGKILL, and then forks another (php-src #12798): with
    # many pools in one master some are not gone after the timeout
    idle=$((${PMV[pm.process_idle_timeout]} * 4 + 20))
    install -d -o root -g root -m 0755 "$run/m-cgi" "$run/m-fpm" "$run/m-stock"
    # the stock master's configuration: one pool a site
    {
        stock_global "$run/m-stock"
        while read -r u; do stock_pool "$u" "$u" "$run/m-stock/$u.sock" "$WWW/$u"; done <"$sites"
    } >"$run/m-stock/fpm.conf"
    # mem_VARIANT: one line "pss_kb rss_kb processes children_left idle_s up_s
    # masters_pss_kb and its anon_kb file_kb shmem_kb, sigkills (idle children
    # php-fpm ended with SIGKILL, logged "exited on signal 9")"
    mem_site() { # VARIANT: through the launcher, bench/sitestart.c
        local w=() exe=$PHP_REAL
        if [ "$1" = fpm ]; then w=(--worker fpm) exe=$PHP_FPM_REAL; fi
        "$TOOLS/sitestart" --launcher "$LAUNCHER_PHP" --php-version 8.2 "${w[@]}" --exe "$exe" \
            --sockdir "$run/m-$1" --jobs 2 --idle "$idle" --timeout 180 "$sites" >"$run/m.out" 2>"$run/m.err" ||
            { cat "$run/m.out" >&2; tail -n 20 "$run/m.err" >&2; die "sitestart ($1) failed"; }
        awk -F= -v n="$N" -v k="$(grep -c 'exited on signal 9' "$run/m.err")" '{ v[$1] = $2 } END {
            print v["pss_kb"], v["rss_kb"], n + v["children"], v["children"], v["idle_s"], v["exec_all_s"],
            v["worker_pss_kb"], v["worker_pss_anon_kb"], v["worker_pss_file_kb"], v["worker_pss_shmem_kb"], k }' "$run/m.out"
    }
    mem_stock() {
        local t0 t1 up=0 _ kids=() mpid
        t0=$(date +%s.%N)
        start_bg mstock env -i PATH=/usr/bin:/bin "$PHP_FPM_REAL" -F -O -y "$run/m-stock/fpm.conf" -c "$PHP_INI_FPM"
        mpid=${BG_PID[mstock]}
        for _ in $(seq 300); do
            up=$(awk -v d="$run/m-stock/" '$4 == "00010000" && index($8, d) == 1 { n++ } END { print n + 0 }' /proc/net/unix)
            [ "$up" -ge "$N" ] && break
            sleep 0.1
        done
        [ "$up" -ge "$N" ] || { tail -n 5 "$run/mstock.log" >&2; die "the stock master listens on $up of $N sockets"; }
        t1=$(date +%s.%N)
        "$TOOLS/fcgiget" --jobs 2 --repeat 1 --sockdir "$run/m-stock" --sites "$sites" --script hello.php \
            >"$run/m-stock.get" || die "the stock pools did not answer"
        t0=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
        t1=$(date +%s.%N)
        SECONDS=0
        while :; do # bounded: idle s at most
            mapfile -t kids < <(ps -o pid= --ppid "$mpid" | tr -d ' ')
            if [ "${#kids[@]}" -eq 0 ] || [ "$SECONDS" -ge "$idle" ]; then break; fi
            sleep 0.2
        done
        echo "$(pss_sum "$mpid" "${kids[@]}") $(for p in "$mpid" "${kids[@]}"; do
            awk '$1 == "Rss:" { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true; done |
            awk '{ s += $1 } END { print s + 0 }') $((1 + ${#kids[@]})) ${#kids[@]}" \
            "$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') $t0" \
            "$(awk '$1 ~ /^Pss(_Anon|_File|_Shmem)?:$/ { v[$1] = $2 } END { print v["Pss:"], v["Pss_Anon:"], v["Pss_File:"],
                v["Pss_Shmem:"] }' "/proc/$mpid/smaps_rollup") $(grep -c 'exited on signal 9' "$run/mstock.log")"
        stop_bg mstock
        cp "$run/mstock.log" "$OUT/fpm-memory-stock.log"
    }
    MV=(cgi fpm stock)
    say "-- memory: $N idle sites, each asked once for hello.php, then idle (no php-fpm child left;" \
        "up to ${idle} s); Pss summed over every process; $MEM_ROUNDS rounds, the order rotated"
    : >"$OUT/fpm-memory.tsv"
    for r in $(seq "$MEM_ROUNDS"); do
        for k in "${!MV[@]}"; do
            v=${MV[$(((k + r - 1) % ${#MV[@]}))]}
            # (not in a $(...): the stock master is a start_bg of this shell, for the EXIT trap)
            if [ "$v" = stock ]; then mem_stock >"$run/m.line"; else mem_site "$v" >"$run/m.line"; fi
            printf '%s\t%s\t%s\n' "$r" "$v" "$(tr ' ' '\t' <"$run/m.line")" | tee -a "$OUT/fpm-memory.tsv"
        done
    done
    mm() { awk -F'\t' -v v="$1" -v c="$2" '$2 == v { print $c }' "$OUT/fpm-memory.tsv" | median; }
    # ratio of column C (default 3, Pss) of X and Y, per round, the median
    mr() { awk -F'\t' -v x="$1" -v y="$2" -v c="${3:-3}" '{ t[$1, $2] = $c; r[$1] = 1 } END { for (k in r) print t[k, x] / t[k, y] }' \
        "$OUT/fpm-memory.tsv" | median; }
    say "$(printf '%-6s %10s %9s %11s %9s %8s %6s %6s %11s %9s %9s %9s %8s' variant 'Pss KiB' 'KiB/site' 'Rss KiB' \
        processes children idle_s up_s 'masters Pss' anon file shmem sigkills)"
    for v in "${MV[@]}"; do
        say "$(printf '%-6s %10.0f %9.0f %11.0f %9.0f %8.0f %6.1f %6.1f %11.0f %9.0f %9.0f %9.0f %8.0f' "$v" "$(mm "$v" 3)" \
            "$(awk -v p="$(mm "$v" 3)" -v n="$N" 'BEGIN { print p / n }')" "$(mm "$v" 4)" "$(mm "$v" 5)" \
            "$(mm "$v" 6)" "$(mm "$v" 7)" "$(mm "$v" 8)" "$(mm "$v" 9)" "$(mm "$v" 10)" "$(mm "$v" 11)" "$(mm "$v" 12)" \
            "$(mm "$v" 13)")"
    done
    say "masters' Pss ratios (the idle cost, without the children left): fpm/cgi $(printf '%.3f' "$(mr fpm cgi 9)")," \
        "fpm/stock $(printf '%.1f' "$(mr fpm stock 9)")"
    say "Pss ratios (per round, median): fpm/cgi $(printf '%.3f' "$(mr fpm cgi)"), fpm/stock $(printf '%.3f' "$(mr fpm stock)")," \
        "stock/cgi $(printf '%.3f' "$(mr stock cgi)"); children: php-fpm children still there when measured;" \
        "up_s: launched (cgi, fpm: every launch became PHP; stock: listening); masters Pss: without the children"
fi

# --- 3. the first request to a cold site -----------------------------------------------
if part cold && [ "$COLD_RUNS" -gt 0 ]; then
    install -d -o "$SITE_USER" -g "$SITE_USER" -m 0700 "$run/cold-direct"
    { printf '[global]\nerror_log = %s/php-fpm.log\ndaemonize = no\n' "$run/cold-direct"
        stock_pool "$SITE_USER" "$SITE_USER" /dev/fd/3 "$SITE" | grep -Ev '^(user|group|listen\.[a-z]+) ='; } >"$run/cold-direct.conf"
    cat >"$run/cold-direct.sh" <<EOF
#!/bin/sh
# the socket from fd 0 to fd 3 (php-fpm puts /dev/null on 0 before it takes FPM_SOCKETS)
exec 3<&0 0</dev/null
FPM_SOCKETS=/dev/fd/3=3 exec $PHP_FPM_REAL -F -O -y $run/cold-direct.conf -c $PHP_INI_FPM
EOF
    chmod 0755 "$run/cold-direct.sh"
    chmod 0644 "$run/cold-direct.conf"
    cat >"$run/cold.spec" <<EOF
cold-cgi $HTTPD / $LAUNCHER_PHP -p 8.2 $SITE_USER $SITE_USER $SITE
cold-fpm $HTTPD / $LAUNCHER_PHP -p 8.2 -w fpm $SITE_USER $SITE_USER $SITE
cold-direct $SITE_USER $SITE $run/cold-direct.sh
EOF
    "$TOOLS/coldstart" --sock "$run/cold.sock" --script "$SITE/hello.php" --docroot "$SITE" \
        --repeat "$COLD_RUNS" "$run/cold.spec" >"$OUT/fpm-cold.tsv" 2>"$run/cold.log" ||
        { tail -n 20 "$run/cold.log" >&2; die "coldstart failed: a cold site did not answer"; }
    cm() { awk -F'\t' -v v="$1" '$2 == v { print $3 / 1000 }' "$OUT/fpm-cold.tsv" | median; }
    cr() { awk -F'\t' -v x="$1" -v y="$2" '{ t[$1, $2] = $3; r[$1] = 1 } END { for (k in r) print t[k, x] / t[k, y] }' \
        "$OUT/fpm-cold.tsv" | median; }
    say "-- first request to a cold site (launch + PHP's start + one hello.php), medians of $COLD_RUNS, ms:" \
        "php-cgi through fcgi-suexec $(printf '%.1f' "$(cm cold-cgi)"), php-fpm through fcgi-suexec" \
        "$(printf '%.1f' "$(cm cold-fpm)"), php-fpm started directly $(printf '%.1f' "$(cm cold-direct)")"
    say "cold fpm/cgi $(printf '%.3f' "$(cr cold-fpm cold-cgi)"), fpm/direct $(printf '%.3f' "$(cr cold-fpm cold-direct)")" \
        "(paired per round, medians)"
fi
