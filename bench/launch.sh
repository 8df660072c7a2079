#!/bin/bash
# bench/launch.sh - benchmark 1: what one launch costs.
#
# As the web server's user (www-data), with a listening socket on fd 0, the
# same trivial static program (bench/true.c) is started by:
#   a  fcgi-suexec, full confinement (build/bench: PHP_CGI is that program,
#      installed root-owned as $BENCH_ROOT/bin/true; PHP_INI an empty file),
#      a later launch of the site: it joins the site's pinned world
#   a1 the same, every launch the site's first: launchloop --fresh resets
#      the site's world (unmounts its pins, as root, outside the timed span)
#      before each, so each launch makes the world again
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
# alternating in BENCH_ROUNDS rounds (a a1 b c d e a a1 b ...); figures are
# medians over the rounds. Then hyperfine runs the same five as a cross-check
# (BENCH_HYPERFINE_RUNS each, 0 to skip; a fresh socket per run from
# bench/sockexec.c, in series rather than alternating).
#
# Then the first request to a cold site (bench/coldstart.c): the site's
# php-cgi8.2 worker started on a fresh socket, one FastCGI request for
# hello.php sent at once, timed until the answer is in (launch + php-cgi's
# start + the request), BENCH_COLD_RUNS times each (default 30), the order
# shuffled each round:
#   cold-a   through fcgi-suexec (build/bench-php) as www-data, a later
#            launch of the site (its world joined)
#   cold-a1  the same, the site's first launch (its world reset before)
#   cold-c   php-cgi8.2 started directly as the site's user in its docroot
#            (-c the same php.ini), as spawn-fcgi -u would
#   cold-argv (reference) the same with the -d settings the launcher gives
#            php-cgi (its private temp, cgi.fix_pathinfo=0; as fcgi-suexec.c's
#            php_argv() with Landlock, so no open_basedir): what PHP's
#            settings cost, apart from the launch and the kernel's confinement
# with PHP_FCGI_CHILDREN=0 (the worker answers itself).
#
# Results: $OUT/launch.tsv (raw rounds), $OUT/launch.dat (for the chart),
# $OUT/launch-cold.tsv, $OUT/launch.txt (summary).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LAUNCHES=${BENCH_LAUNCHES:-1000}
ROUNDS=${BENCH_ROUNDS:-10}
HF_RUNS=${BENCH_HYPERFINE_RUNS:-300}
COLD_RUNS=${BENCH_COLD_RUNS:-30}

bench_init launch
uid=$(id -u "$SITE_USER") gid=$(id -g "$SITE_USER")
spec=$STATE/launch.spec
cat >"$spec" <<EOF
a - $LAUNCHER $SITE_USER $SITE_USER $SITE
a1 - $LAUNCHER $SITE_USER $SITE_USER $SITE
b $SITE $APACHE_SUEXEC $uid $gid true
c - $TARGET
d - $BENCH_ROOT/bin/execwrap
e - $SBIN/suidwrap
EOF
VARIANTS="a a1 b c d e"
if [ -n "${BENCH_BASELINE:-}" ]; then
    echo "f - $SBIN/fcgi-suexec-base $SITE_USER $SITE_USER $SITE" >>"$spec"
    VARIANTS="$VARIANTS f"
fi
suexec_log=/var/log/apache2/suexec.log
log_before=$(wc -l <"$suexec_log" 2>/dev/null || echo 0)

say "== 1. launch: $LAUNCHES launches per variant, $ROUNDS alternating rounds, as $HTTPD"
"$TOOLS/launchloop" --as "$HTTPD" --launches "$LAUNCHES" --rounds "$ROUNDS" --fresh "a1:$SITE_USER" \
    "$spec" >"$OUT/launch.tsv" \
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
              if (expr == "af") print a / t[k, "f"]; else if (expr == "a1b") print t[k, "a1"] / b; else
              if (expr == "a1a") print t[k, "a1"] - a; else
              if (expr == "ab") print a / b; else if (expr == "ov") print (a - c) / (d - c);
              else if (expr == "ovb") print (a - c) / (b - c); else print (a - c) / (e - c) } }' \
        "$OUT/launch.tsv" | median
}
ab=$(paired ab) a1b=$(paired a1b) a1a=$(paired a1a) ov=$(paired ov) ovb=$(paired ovb) ove=$(paired ove)

label() {
    case $1 in
        a) echo "a fcgi-suexec (confined)" ;; a1) echo "a1 fcgi-suexec, first launch" ;; b) echo "b Apache suexec-pristine" ;;
        c) echo "c direct exec" ;; d) echo "d static exec wrapper" ;; e) echo "e setuid floor (ref.)" ;;
        f) echo "f fcgi-suexec (baseline)" ;;
    esac
}
say "$(printf '%-28s %10s %12s %12s' variant 'wall us' 'over c us' 'cpu us')"
: >"$OUT/launch.dat"
for v in $VARIANTS; do
    over=$(awk -v x="${W[$v]}" -v c="${W[c]}" 'BEGIN { printf "%.1f", x - c }')
    say "$(printf '%-28s %10.1f %12s %12.1f' "$(label "$v")" "${W[$v]}" "$over" "${C[$v]}")"
    printf '%s\t"%s"\t%s\t%s\n' "$v" "$(label "$v" | sed 's/ (.*//; s/^\([a-z0-9]*\) /\1: /')" "${W[$v]}" "$over" >>"$OUT/launch.dat"
done
say "a/b (per-launch time, fcgi-suexec / Apache suexec)   = $(printf '%.3f' "$ab")   target <= 0.8 (a site's later launches)"
say "a1/b (a site's first launch / Apache suexec)          = $(printf '%.3f' "$a1b")   target <= 1.0"
say "a1-a (making the world, over joining it)              = $(printf '%.1f' "$a1a") us"
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
if [ "$COLD_RUNS" -gt 0 ]; then
    ptmp=$BENCH_ROOT/tmp/$SITE_USER # the private temp (made by the launches above)
    cat >"$STATE/cold.spec" <<EOF
cold-a $HTTPD / $LAUNCHER_PHP -p 8.2 $SITE_USER $SITE_USER $SITE
cold-a1 $HTTPD / $LAUNCHER_PHP -p 8.2 $SITE_USER $SITE_USER $SITE
cold-c $SITE_USER $SITE $PHP_REAL -c $PHP_INI_CGI
cold-argv $SITE_USER $SITE $PHP_REAL -c $PHP_INI_CGI -d session.save_path=$ptmp -d upload_tmp_dir=$ptmp -d sys_temp_dir=$ptmp -d opcache.lockfile_path=$ptmp -d cgi.fix_pathinfo=0
EOF
    "$TOOLS/coldstart" --sock "$STATE/cold.sock" --script "$SITE/hello.php" --docroot "$SITE" \
        --repeat "$COLD_RUNS" --fresh "cold-a1:$SITE_USER" "$STATE/cold.spec" >"$OUT/launch-cold.tsv" \
        || die "coldstart failed: a cold site did not answer"
    cm() { awk -F'\t' -v v="$1" '$2 == v { print $3 }' "$OUT/launch-cold.tsv" | median; }
    cr() { awk -F'\t' -v x="$1" '{ t[$1, $2] = $3; r[$1] = 1 } END { for (k in r) print t[k, x] / t[k, "cold-c"] }' \
        "$OUT/launch-cold.tsv" | median; }
    say "first request to a cold site (launch + php-cgi start + one hello.php), medians of $COLD_RUNS:" \
        "through fcgi-suexec $(printf '%.0f' "$(cm cold-a)") us (site's first launch: $(printf '%.0f' "$(cm cold-a1)") us)," \
        "php-cgi started directly $(printf '%.0f' "$(cm cold-c)") us," \
        "directly with the launcher's -d settings $(printf '%.0f' "$(cm cold-argv)") us"
    say "cold/direct (later launch, paired per round, median)  = $(printf '%.3f' "$(cr cold-a)")   target <= 1.05"
    say "cold/direct (site's first launch)                     = $(printf '%.3f' "$(cr cold-a1)")   target <= 1.05"
    say "cold-argv/direct (the launcher's -d settings alone)    = $(printf '%.3f' "$(cr cold-argv)")"
fi
log_after=$(wc -l <"$suexec_log" 2>/dev/null || echo 0)
say "(Apache's suexec logged $((log_after - log_before)) lines to $suexec_log, as it does on every launch)"
