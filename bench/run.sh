#!/bin/bash
# bench/run.sh all|launch|throughput|memory|scale|neighbour|maxrequests|fpm|profile|chart|cleanup
#
# Runs the benchmarks (as root; make bench-build first, or use make bench),
# each a script of its own that sets up and removes its fixture. `all` runs
# the seven, then the chart, and gathers the summaries, with the machine they
# ran on, in $OUT/summary.txt. Exits non-zero only when a benchmark could not
# run; a figure that misses its target is reported, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

what=${1:-all}
case $what in
    launch | throughput | memory | scale | neighbour | maxrequests | fpm | profile)
        exec "bench/$what.sh"
        ;;
    chart)
        exec bench/chart.sh
        ;;
    cleanup)
        exec 9>"$LOCK"
        flock -n 9 || die "a benchmark is running (lock $LOCK)"
        bench_cleanup
        ;;
    all)
        mkdir -p "$OUT"
        machine >"$OUT/machine.txt"
        cat "$OUT/machine.txt"
        rc=0
        for b in launch throughput memory scale neighbour maxrequests fpm; do
            "bench/$b.sh" || { echo "bench: $b could not run" >&2; rc=1; }
        done
        bench/chart.sh || { echo "bench: chart could not be drawn" >&2; rc=1; }
        cat "$OUT/machine.txt" "$OUT"/{launch,throughput,memory,scale,neighbour,maxrequests,fpm}.txt >"$OUT/summary.txt" 2>/dev/null || true
        echo "bench: summary in $OUT/summary.txt, chart in $OUT/benchmarks.png"
        exit $rc
        ;;
    *)
        die "usage: bench/run.sh all|launch|throughput|memory|scale|neighbour|maxrequests|fpm|profile|chart|cleanup"
        ;;
esac
