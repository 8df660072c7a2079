#!/bin/bash
# bench/launch.sh - benchmark 1: what one launch costs.
#
# As the web server's user (www-data), with a listening socket on fd 0, the
# same trivial static program (bench/true.c) is started by:
#   a  fcgi-suexec, full confinement (build/bench: PHP_CGI is that program,
#      installed root-owned as $BENCH_ROOT/bin/true; PHP_INI an empty file)
#   b  Apache's suexec (Debian's suexec-pristine: DOCROOT /var/www,
#      UID_MIN 100), running a copy owned by the site's user from the site's
#      docroot, which is its cwd, as Apache calls it
#   c  direct exec
#   d  a one-line static program that only execs the target
#   e  (reference) a static setuid-root program that drops to the site's
#      user (setgroups, setresgid, setresuid) and execs the target: the
#      floor for any setuid launcher
#   f  (with BENCH_BASELINE, see mk/bench.mk's BENCH_BASELINE_REV) an
#      earlier revision's fcgi-suexec, same policy: a/f is a change's cost
# bench/launchloop.c launches them BENCH_LAUNCHES times each (default 1000),
# alternating in BENCH_ROUNDS rounds (a b c d e a b c d e ...); figures are
# medians over the rounds. Then hyperfine runs the same five as a cross-check
# (BENCH_HYPERFINE_RUNS each, 0 to skip; a fresh socket per run from
# bench/sockexec.c, in series rather than alternating).
#
# Results: $OUT/launch.tsv (raw rounds), $OUT/launch.dat (for the chart),
# $OUT/launch.txt (summary).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LAUNCHES=${BENCH_LAUNCHES:-1000}
ROUNDS=${BENCH_ROUNDS:-10}
HF_RUNS=${BENCH_HYPERFINE_RUNS:-300}

bench_init launch
uid=$(id -u "$SITE_USER") gid=$(id -g "$SITE_USER")
spec=$STATE/launch.spec
cat >"$spec" <<EOF
a - $LAUNCHER $SITE_USER $SITE_USER $SITE
b $SITE $APACHE_SUEXEC $uid $gid true
c - $TARGET
d - $BENCH_ROOT/bin/execwrap
e - $SBIN/suidwrap
EOF
VARIANTS="a b c d e"
if [ -n "${BENCH_BASELINE:-}" ]; then
    echo "f - $SBIN/fcgi-suexec-base $SITE_USER $SITE_USER $SITE" >>"$spec"
    VARIANTS="$VARIANTS f"
fi
suexec_log=/var/log/apache2/suexec.log
log_before=$(wc -l <"$suexec_log" 2>/dev/null || echo 0)

say "== 1. launch: $LAUNCHES launches per variant, $ROUNDS alternating rounds, as $HTTPD"
"$TOOLS/launchloop" --as "$HTTPD" --launches "$LAUNCHES" --rounds "$ROUNDS" "$spec" >"$OUT/launch.tsv" \
    || die "launchloop failed: a variant could not launch"

# medians over the rounds, per variant: wall, cpu (us per launch), max rss
col() { awk -F'\t' -v v="$1" -v c="$2" '$2 == v { print $c }' "$OUT/launch.tsv" | median; }
# (launch.tsv's maxrss column cannot show the launcher's own peak: a child
# starts as a copy of launchloop, which is bigger; bench/memory.sh measures
# it from a small static parent)
declare -A W C
for v in $VARIANTS; do
    W[$v]=$(col "$v" 4) C[$v]=$(col "$v" 5)
done
# paired per round, then the median: a/b and (a-c)/(d-c)
paired() { # EXPR over a b c d e
    awk -F'\t' -v expr="$1" '{ t[$1, $2] = $4; r[$1] = 1 }
        END { for (k in r) { a = t[k, "a"]; b = t[k, "b"]; c = t[k, "c"]; d = t[k, "d"]; e = t[k, "e"]
              if (expr == "af") print a / t[k, "f"]; else
              if (expr == "ab") print a / b; else if (expr == "ov") print (a - c) / (d - c);
              else if (expr == "ovb") print (a - c) / (b - c); else print (a - c) / (e - c) } }' \
        "$OUT/launch.tsv" | median
}
ab=$(paired ab) ov=$(paired ov) ovb=$(paired ovb) ove=$(paired ove)

label() {
    case $1 in
        a) echo "a fcgi-suexec (confined)" ;; b) echo "b Apache suexec-pristine" ;;
        c) echo "c direct exec" ;; d) echo "d static exec wrapper" ;; e) echo "e setuid floor (ref.)" ;;
        f) echo "f fcgi-suexec (baseline)" ;;
    esac
}
say "$(printf '%-28s %10s %12s %12s' variant 'wall us' 'over c us' 'cpu us')"
: >"$OUT/launch.dat"
for v in $VARIANTS; do
    over=$(awk -v x="${W[$v]}" -v c="${W[c]}" 'BEGIN { printf "%.1f", x - c }')
    say "$(printf '%-28s %10.1f %12s %12.1f' "$(label "$v")" "${W[$v]}" "$over" "${C[$v]}")"
    printf '%s\t"%s"\t%s\t%s\n' "$v" "$(label "$v" | sed 's/ (.*//; s/^\(.\) /\1: /')" "${W[$v]}" "$over" >>"$OUT/launch.dat"
done
say "a/b (per-launch time, fcgi-suexec / Apache suexec)   = $(printf '%.3f' "$ab")   target <= 0.6"
say "(a-c)/(d-c) (overhead over an exec wrapper's)        = $(printf '%.3f' "$ov")   target <= 1.3"
say "(a-c)/(b-c) (overhead over Apache suexec's)          = $(printf '%.3f' "$ovb")"
say "(a-c)/(e-c) (overhead over the setuid floor's)       = $(printf '%.3f' "$ove")"
[ -z "${BENCH_BASELINE:-}" ] ||
    say "a/f (this launcher / the baseline revision's)         = $(printf '%.3f' "$(paired af)")"
say "per-launch medians of the rounds; ratios are medians of the per-round ratios; cpu: the launched processes' user + system time"

if [ "$HF_RUNS" -gt 0 ] && command -v hyperfine >/dev/null; then
    hf=$STATE/hyperfine
    install -d -o "$HTTPD" -m 0700 "$hf"
    (cd "$SITE" && as_www hyperfine -N --style none --warmup 20 --runs "$HF_RUNS" \
        --export-csv "$hf/launch.csv" \
        -n a "$TOOLS/sockexec $LAUNCHER $SITE_USER $SITE_USER $SITE" \
        -n b "$TOOLS/sockexec $APACHE_SUEXEC $uid $gid true" \
        -n c "$TOOLS/sockexec $TARGET" \
        -n d "$TOOLS/sockexec $BENCH_ROOT/bin/execwrap" \
        -n e "$TOOLS/sockexec $SBIN/suidwrap" >"$hf/out.txt" 2>&1) \
        || { cat "$hf/out.txt" >&2; die "hyperfine failed"; }
    cp "$hf/launch.csv" "$OUT/launch-hyperfine.csv"
    # command,mean,stddev,median,user,system,min,max (seconds)
    declare -A H
    while IFS=, read -r name _ _ med _; do
        [ "$name" = command ] && continue
        H[$name]=$(awk -v m="$med" 'BEGIN { printf "%.1f", m * 1e6 }')
    done <"$OUT/launch-hyperfine.csv"
    say "hyperfine cross-check ($HF_RUNS runs each, in series, medians incl. a socket helper): a ${H[a]} b ${H[b]} c ${H[c]} d ${H[d]} e ${H[e]} us;" \
        "a/b = $(ratio "${H[a]}" "${H[b]}"), (a-c)/(d-c) = $(ratio "$(awk -v a="${H[a]}" -v c="${H[c]}" 'BEGIN { print a - c }')" \
        "$(awk -v d="${H[d]}" -v c="${H[c]}" 'BEGIN { print d - c }')")"
fi
log_after=$(wc -l <"$suexec_log" 2>/dev/null || echo 0)
say "(Apache's suexec logged $((log_after - log_before)) lines to $suexec_log, as it does on every launch)"
