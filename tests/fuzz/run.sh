#!/bin/bash
# tests/fuzz/run.sh BUILD SECONDS NAME... - run each harness BUILD/NAME for
# SECONDS (called by `make fuzz` and `make fuzz-short`, see mk/fuzz.mk).
#
# The seed corpus tests/fuzz/corpus/NAME is read only; libFuzzer writes new
# inputs into the first corpus directory given, BUILD/corpus/NAME. Every
# harness runs, one at a time (one core); the exit status is 1 when any of
# them found something (crash, leak, sanitizer report, failed property: its
# log is shown), 0 otherwise.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
build=$1 seconds=$2
shift 2
[ $# -gt 0 ] || { echo "run.sh: no harness to run" >&2; exit 2; }
failed=()
for name in "$@"; do
    bin=$build/$name seeds=tests/fuzz/corpus/$name work=$build/corpus/$name
    art=$build/artifacts/$name log=$build/logs/$name.log dict=()
    [ -x "$bin" ] || { echo "fuzz $name: $bin is not built" >&2; failed+=("$name"); continue; }
    [ -d "$seeds" ] || { echo "fuzz $name: no seed corpus $seeds" >&2; failed+=("$name"); continue; }
    case $name in
    canonical|within|docroot_base|ancestor|command|version) dict=(-dict=tests/fuzz/dict/paths.dict) ;;
    env_keep|cgi_env_keep) dict=(-dict=tests/fuzz/dict/env.dict) ;;
    json_escape) dict=(-dict=tests/fuzz/dict/json.dict) ;;
    limits) dict=(-dict=tests/fuzz/dict/limits.dict) ;;
    esac
    mkdir -p "$work" "$art" "$(dirname "$log")"
    # -max_len: paths up to ARG_MAX_PATH (4095) and a little more, to reach
    # the length limits; -timeout: no input may take seconds.
    "$bin" -max_total_time="$seconds" -max_len=9000 -timeout=5 -use_value_profile=1 \
        -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" "$work" "$seeds" \
        >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$rc" = 0 ]; then
        printf 'fuzz %-13s ok: %s runs in %ss, %s, corpus %s\n' "$name" "${execs:-?}" \
            "$seconds" "${cov:-cov: ?}" "$(find "$work" -type f | wc -l)"
    else
        printf 'fuzz %-13s FAILED (exit %s); log %s, input in %s:\n' "$name" "$rc" "$log" "$art"
        grep -v '^#\|^INFO:\|^MERGE\|^stat::' "$log" | tail -n 40 | sed 's/^/    /'
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
