#!/bin/bash
# tests/fuzz/mutants.sh BUILD [SECONDS] - are the harnesses' properties
# strong enough? Each mutant below plants one known-bad change (most of them
# a historical hole) in a copy of policy.c or tools/json.h; the harness that
# guards that function, built against the copy, must fail within SECONDS
# (default 30) with "PROPERTY FAILED" or a sanitizer report. It starts from
# an empty corpus (its dictionary only), so the fuzzer must find the hole
# itself, not replay a seed that spells it (MUTANT_SEEDS=1 adds the seeds).
# A mutant whose edit no longer applies (the code changed) is an error:
# update it here.
#
# Prints one TAP-like line per mutant ("caught"/"MISSED"/"STALE") and exits
# 1 unless every mutant was caught. Used by tests/60-static.t.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
build=${1:?usage: mutants.sh BUILD [SECONDS]} seconds=${2:-30}
: "${FUZZ_CC:=clang}" "${FUZZ_CFLAGS:?FUZZ_CFLAGS from mk/fuzz.mk}"
dir=$build/mutants
mkdir -p "$dir"

# name#harness#file#FROM#TO: FROM, replaced by TO in a copy of file, is a
# literal string (printf %b escapes: \n, \t, \\).
Q="'"
mutants=(
  "prefix-containment#within#policy.c#(strncmp(path, base, n) == 0 && (path[n] == $Q\\\\0$Q || path[n] == $Q/$Q))#(strncmp(path, base, n) == 0)"
  'uid-minus-one#id#policy.c#|| v >= UINT32_MAX)#|| v > UINT32_MAX)'
  'tz-dotdot#env_keep#policy.c# ||\n\t    strstr(v, "..") != NULL)#)'
  'httpoxy#cgi_env_keep#policy.c#if (n == 10 && strncmp(entry, "HTTP_PROXY", 10) == 0)#if (0)'
  'shellshock#cgi_env_keep#policy.c# || strncmp(eq + 1, "() {", 4) == 0#'
  "name-with-space#cgi_env_keep#policy.c#if (memchr(entry, $Q $Q, n) != NULL)#if (0)"
  "dotdot-component#canonical#policy.c#(n == 2 && c[0] == $Q.$Q && c[1] == $Q.$Q)#0"
  "dot-component#canonical#policy.c#(n == 1 && c[0] == $Q.$Q) ||#"
  'name-33#name#policy.c#if (n >= ARG_MAX_NAME ||#if (n > ARG_MAX_NAME ||'
  'home-root#ancestor#policy.c#(home != NULL && strcmp(home, "/") != 0 &&#(home != NULL &&'
  'docroot-itself#docroot_base#policy.c#return policy_path_below(docroot, DOCROOT)#return policy_path_within(docroot, DOCROOT)'
  'command-dotdot#command#policy.c# || strcmp(cmd, "..") == 0#'
  'version-length#version#policy.c#if (dot == NULL || len > VERSION_MAX ||#if (dot == NULL || len > 4 * VERSION_MAX ||'
  'children-limit#env_keep#policy.c#{ "PHP_FCGI_CHILDREN=", 512 }#{ "PHP_FCGI_CHILDREN=", 513 }'
  'limit-unlimited-nofile#limits#policy.c#if ((i == LIM_NPROC || bytes) &&#if (i <= LIM_FSIZE &&'
  'limit-max-off-by-one#limits#policy.c#*v > max[i] >> shift)#*v >= max[i] >> shift)'
  'limit-zero#limits#policy.c#return *v > 0 || (1 << i & (1 << LIM_NICE | 1 << LIM_OOM | 1 << (LIM_PM + 6) | 1 << (LIM_PM + 7)));#return true;'
  'pm-children-zero#limits#policy.c#(1 << i & (1 << LIM_NICE | 1 << LIM_OOM | 1 << (LIM_PM + 6) | 1 << (LIM_PM + 7)))#i >= LIM_NICE'
  'pm-prefix#limits#policy.c#if (word(s, policy_pm_names[*v]))#if (strncmp(s, policy_pm_names[*v], strlen(policy_pm_names[*v])) == 0)'
  'max-requests-int#limits#policy.c#2147483647, 86400 }#2147483648, 86400 }'
  'limit-suffix-wrap#limits#policy.c#*v > max[i] >> shift)\n\t\treturn false;\n\t*v <<= shift;#(*v << shift) > max[i])\n\t\treturn false;\n\t*v <<= shift;'
  'json-c1-raw#json_escape#tools/json.h#cp > 0x9f && cp != 0x2028#cp > 0x7f && cp != 0x2028'
  'json-surrogate#json_escape#tools/json.h# ||\n\t    (c >= 0xd800 && c <= 0xdfff))#)'
  'json-overflow#json_escape#tools/json.h#if (fits && need + plen < outsize)#if (fits && need + plen <= outsize)'
)

failed=0
for m in "${mutants[@]}"; do
    IFS='#' read -r name harness file from to <<<"$m"
    case " ${FUZZ_ONLY:-$harness} " in *" $harness "*) ;; *) continue ;; esac
    [ -f "$file" ] || { echo "MISSING $name: no $file (update tests/fuzz/mutants.sh)"; failed=1; continue; }
    md=$dir/$name
    rm -rf "$md"
    mkdir -p "$md/src/tools" "$md/art" "$md/work"
    cp policy.c policy.h "$md/src/"
    [ -f tools/json.h ] && cp tools/json.h "$md/src/tools/"
    F=$(printf '%b' "$from") T=$(printf '%b' "$to") perl -0pe 's/\Q$ENV{F}\E/$ENV{T}/' \
        "$file" >"$md/src/$file"
    if cmp -s "$file" "$md/src/$file"; then
        echo "STALE  $name: the edit no longer applies to $file (update tests/fuzz/mutants.sh)"
        failed=1
        continue
    fi
    # Only the first match is edited: a FROM found twice may plant the hole
    # somewhere else than meant (the code changed), so it must be unique.
    n=$(F=$(printf '%b' "$from") perl -0ne 'print scalar(() = /\Q$ENV{F}\E/g)' "$file")
    if [ "$n" != 1 ]; then
        echo "STALE  $name: the edit matches $n places in $file (update tests/fuzz/mutants.sh)"
        failed=1
        continue
    fi
    # shellcheck disable=SC2086 # FUZZ_CFLAGS is a list of words
    if ! $FUZZ_CC -I"$md/src/tools" -I"$md/src" $FUZZ_CFLAGS -fsanitize=fuzzer \
        -o "$md/$harness" "tests/fuzz/$harness.c" "$md/src/policy.c" 2>"$md/build.log"; then
        echo "ERROR  $name: does not build ($md/build.log)"
        failed=1
        continue
    fi
    t0=$SECONDS
    "$md/$harness" -max_total_time="$seconds" -max_len=9000 -use_value_profile=1 \
        -artifact_prefix="$md/art/" -dict="$(case $harness in
            env_keep|cgi_env_keep) echo tests/fuzz/dict/env.dict ;;
            json_escape) echo tests/fuzz/dict/json.dict ;;
            limits) echo tests/fuzz/dict/limits.dict ;;
            *) echo tests/fuzz/dict/paths.dict ;; esac)" \
        "$md/work" ${MUTANT_SEEDS:+"tests/fuzz/corpus/$harness"} >"$md/run.log" 2>&1
    rc=$?
    if [ "$rc" != 0 ] && grep -q 'PROPERTY FAILED\|ERROR: AddressSanitizer\|runtime error' "$md/run.log"; then
        why=$(grep -m1 -o 'PROPERTY FAILED.*\|ERROR: AddressSanitizer: [a-z-]*\|runtime error: .*' "$md/run.log" | head -c 120)
        echo "caught $name ($harness, in $((SECONDS - t0))s): ${why/PROPERTY FAILED/the property broke}"
    else
        echo "MISSED $name: $harness passed with the mutant for ${seconds}s ($md/run.log)"
        failed=1
    fi
done
exit $failed
