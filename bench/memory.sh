#!/bin/bash
# bench/memory.sh - benchmark 3: memory.
#
# 1. The launcher's own peak RSS: bench/peakrss.c (static, small) launches,
#    as www-data, 200 times each, the trivial target directly, through
#    fcgi-suexec (build/bench), through Apache's suexec and through the exec
#    wrapper, and reports the largest ru_maxrss (the peak over a process's
#    whole life, across its execs; never below the forking parent's
#    baseline, printed too).
# 2. A site's worker tree (php-cgi8.2 master + BENCH_WORKERS children) started
#    through fcgi-suexec (build/bench-php) vs started directly (spawn-fcgi as
#    the site's user, in the docroot, with the very argv and environment the
#    launcher gave the confined tree, read from /proc). Both trees run at the
#    same time (so shared pages are split alike), serve the same requests
#    (bench/fcgiget.c: work.php and hello.php, 200 each, 4 at a time), then
#    the Pss of every process of each tree (its session) is summed from
#    /proc/PID/smaps_rollup. BENCH_REPEATS rounds (default 3), the start
#    order swapped each round; figures are medians.
#
# Results: $OUT/memory.tsv (raw), $OUT/memory.txt (summary).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

WORKERS=${BENCH_WORKERS:-4}
REPEATS=${BENCH_REPEATS:-3}

bench_init memory
run=$STATE
wuid=$(id -u "$HTTPD") wgid=$(id -g "$HTTPD") wgroup=$(id -gn "$HTTPD")
uid=$(id -u "$SITE_USER") gid=$(id -g "$SITE_USER")

say "== 3. memory"
peak() { # NAME CMD...: max_kb (and the baseline) of 200 launches, from the site's docroot
    local name=$1 out; shift
    out=$(cd "$SITE" && "$TOOLS/peakrss" --uid "$wuid" --gid "$wgid" 200 "$@") \
        || die "peakrss $name: $out"
    echo "$out"
}
declare -A PK
for v in c a b d; do
    case $v in
        a) o=$(peak a "$LAUNCHER" "$SITE_USER" "$SITE_USER" "$SITE") ;;
        b) o=$(peak b "$APACHE_SUEXEC" "$uid" "$gid" true) ;;
        c) o=$(peak c "$TARGET") ;;
        d) o=$(peak d "$BENCH_ROOT/bin/execwrap") ;;
    esac
    PK[$v]=$(sed -n 's/.*max_kb=\([0-9]*\).*/\1/p' <<<"$o")
    base=$(sed -n 's/.*baseline_kb=\([0-9]*\).*/\1/p' <<<"$o")
done
say "peak RSS over a launch's life (max ru_maxrss of 200; the forking parent's own: $base KiB):"
say "  fcgi-suexec ${PK[a]} KiB, Apache suexec ${PK[b]} KiB, exec wrapper ${PK[d]} KiB, the target alone ${PK[c]} KiB"

# --- worker trees -----------------------------------------------------------------
# sum of a smaps_rollup field over the processes of session SID
tree_sum() { # SID FIELD
    local p
    for p in $(ps -o pid= --sid "$1"); do
        awk -v f="$2:" '$1 == f { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true
    done | awk '{ s += $1 } END { print s + 0 }'
}
tree_count() { ps -o pid= --sid "$1" | wc -l; }

start_confined() {
    start_bg confined env -i PATH=/usr/bin:/bin spawn-fcgi -n -s "$run/confined.sock" -M 0660 \
        -U "$HTTPD" -G "$wgroup" -u "$HTTPD" -g "$wgroup" -C "$WORKERS" -- \
        "$LAUNCHER_PHP" -p 8.2 "$SITE_USER" "$SITE_USER" "$SITE"
    wait_listen "$run/confined.sock" || die "confined: no worker"
}
# the direct tree: the argv and environment the launcher gave the confined
# master (read once, from /proc), started as the user in the docroot
declare -a D_ARGV=() D_ENV=()
start_direct() {
    start_bg direct env -i "${D_ENV[@]}" spawn-fcgi -n -s "$run/direct.sock" -M 0660 \
        -U "$HTTPD" -G "$wgroup" -u "$SITE_USER" -g "$SITE_USER" -d "$SITE" -- "${D_ARGV[@]}"
    wait_listen "$run/direct.sock" || die "direct: no worker"
}
wait_tree() { # SID: master + WORKERS children (bounded)
    local _
    for _ in $(seq 100); do
        [ "$(tree_count "$1")" -ge $((WORKERS + 1)) ] && return 0
        sleep 0.1
    done
    die "session $1: $(tree_count "$1") processes, expected $((WORKERS + 1))"
}
drive() { # SOCKET
    local page
    for page in work hello; do
        "$TOOLS/fcgiget" --jobs 4 --repeat 50 --sock "$1" --script "$SITE/$page.php" --docroot "$SITE" \
            >"$run/fcgiget.out" || { tail -n 3 "$run/fcgiget.out" >&2; die "requests to $1 failed"; }
    done
}

: >"$OUT/memory.tsv"
for r in $(seq "$REPEATS"); do
    # the confined tree first on odd rounds, the direct one on even rounds
    if [ $((r % 2)) = 1 ]; then
        start_confined
        wait_tree "${BG_PID[confined]}"
        if [ "${#D_ARGV[@]}" = 0 ]; then
            mapfile -d '' D_ARGV <"/proc/${BG_PID[confined]}/cmdline"
            mapfile -d '' D_ENV <"/proc/${BG_PID[confined]}/environ"
        fi
        start_direct
    else
        start_direct
        wait_tree "${BG_PID[direct]}"
        start_confined
    fi
    wait_tree "${BG_PID[confined]}"
    wait_tree "${BG_PID[direct]}"
    drive "$run/confined.sock"
    drive "$run/direct.sock"
    sleep 0.5
    for t in confined direct; do
        sid=${BG_PID[$t]}
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$(tree_count "$sid")" "$(tree_sum "$sid" Pss)" \
            "$(tree_sum "$sid" Rss)" "$(( $(tree_sum "$sid" Private_Clean) + $(tree_sum "$sid" Private_Dirty) ))" \
            >>"$OUT/memory.tsv"
    done
    stop_bg confined
    stop_bg direct
done
med() { awk -F'\t' -v t="$1" -v c="$2" '$2 == t { print $c }' "$OUT/memory.tsv" | median; }
pc=$(med confined 4) pd=$(med direct 4)
rel=$(awk -F'\t' '{ p[$1, $2] = $4; r[$1] = 1 } END { for (k in r) print p[k, "confined"] / p[k, "direct"] }' \
      "$OUT/memory.tsv" | median)
say "worker tree, php-cgi8.2 master + $WORKERS children, after 400 requests (medians of $REPEATS):"
say "  through fcgi-suexec: Pss $pc KiB (Rss $(med confined 5), private $(med confined 6))"
say "  started directly:    Pss $pd KiB (Rss $(med direct 5), private $(med direct 6))"
say "  confined / direct Pss = $(printf '%.4f' "$rel") (target: within 2%, 0.98..1.02)"
