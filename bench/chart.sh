#!/bin/bash
# bench/chart.sh [OUT.png] - the launch and throughput comparisons of the
# last run ($OUT/launch.dat, $OUT/throughput.dat) as one PNG (gnuplot),
# by default $OUT/benchmarks.png; docs/benchmarks.png is a copy of it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

png=${1:-$OUT/benchmarks.png}
command -v gnuplot >/dev/null || die "gnuplot is missing (Debian: gnuplot-nox)"
for f in launch.dat throughput.dat machine.txt; do
    [ -s "$OUT/$f" ] || die "$OUT/$f missing: run the launch and throughput benchmarks first (make bench)"
done
title=$(head -n 2 "$OUT/machine.txt" | sed 's/^machine: //; s/^date: //; s/, load average.*//' | paste -sd'|' | sed 's/|/ -- /; s/"/'"'"'/g')

gnuplot <<EOF
set terminal pngcairo size 1400,680 font "DejaVu Sans,11"
set output "$png"
set multiplot layout 1,2 title "fcgi-suexec benchmarks\n{/*0.8 $title}"
set style fill solid 0.8 border -1
set grid ytics
set offsets 0, 0, graph 0.08, 0
set key off

set title "Launch: wall time per launch of a trivial program (us, median)"
set ylabel "microseconds per launch"
set yrange [0:*]
set boxwidth 0.6
set xtics rotate by -20 left
plot "$OUT/launch.dat" using 0:3:xtic(2) with boxes lc rgb "#4a7ebb", \
     "" using 0:3:(sprintf("%.0f", \$3)) with labels offset 0,0.8 notitle

set title "Throughput: wrk -> nginx -> PHP (requests/s, median)"
set ylabel "requests per second"
set xtics norotate
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
set key outside below vertical maxrows 4 font ",10"
plot "$OUT/throughput.dat" using 2:xtic(1) title "php-cgi via fcgi-suexec (confined)" lc rgb "#4a7ebb", \
     "" using 3 title "php-cgi via spawn-fcgi (unconfined)" lc rgb "#9bbb59", \
     "" using 4 title "php-fpm static pool" lc rgb "#c0504d", \
     "" using 5 title "reference: php-cgi with the launcher's -d options, no Landlock/seccomp" lc rgb "#bfbfbf", \
     "" using (\$0 - 0.3):(\$2):(sprintf("%.0f", \$2)) with labels offset 0,0.8 font ",9" notitle, \
     "" using (\$0 - 0.1):(\$3):(sprintf("%.0f", \$3)) with labels offset 0,0.8 font ",9" notitle, \
     "" using (\$0 + 0.1):(\$4):(sprintf("%.0f", \$4)) with labels offset 0,0.8 font ",9" notitle, \
     "" using (\$0 + 0.3):(\$5):(sprintf("%.0f", \$5)) with labels offset 0,0.8 font ",9" notitle
unset multiplot
EOF
echo "chart: $png"
