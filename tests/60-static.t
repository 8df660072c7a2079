#!/bin/bash
# 60-static.t - the verification gates are not vacuous.
#
# `make analyze` (gcc -fanalyzer, cppcheck, clang-tidy: mk/analysis.mk) and
# the fuzzers (mk/fuzz.mk) pass on the project's code; that says something
# only if they would fail on bad code. So, with the project's exact flags and
# configuration:
#
#   - each analyzer fails on a file with a planted defect of the kind it is
#     there for (a double free, a buffer overrun, system() and a use after
#     free), written into build/ so that clang-tidy finds the checked-in
#     .clang-tidy as it does for the sources;
#   - every fuzzing harness catches the mutants of its function
#     (tests/fuzz/mutants.sh: the prefix-match docroot of CVE-2007-1742,
#     (uid_t)-1, httpoxy, TZ=../, a JSON escaper that writes one byte past
#     its buffer, ...), starting from an empty corpus;
#   - every suppression (mk/cppcheck.supp) and every check turned off in
#     .clang-tidy says why.
#
# Needs gcc, clang (with libclang-rt-14-dev), cppcheck and clang-tidy: a
# missing tool is a failure. Touches nothing of the fixture.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

P=$REPO/build/static-planted
rm -rf "$P"
mkdir -p "$P"
trap 'rm -rf "$P"' EXIT

for tool in gcc clang cppcheck clang-tidy; do
    ok "$tool is installed" command -v "$tool"
done

# analyze TARGET FILE: run the make target on FILE alone; sets $aout, $arc
analyze() {
    aout=$(make -s -C "$REPO" --no-print-directory "$1" ANALYZE_SRCS="$2" 2>&1)
    arc=$?
}

cat >"$P/double_free.c" <<'EOF'
#include <stdlib.h>
int planted(int n);
int planted(int n)
{
	char *p = malloc(8);

	if (p == NULL)
		return 0;
	free(p);
	if (n > 1)
		free(p);
	return n;
}
EOF
analyze analyze-gcc "$P/double_free.c"
ok "gcc -fanalyzer gate fails on a planted double free" test "$arc" != 0
like "$aout" "double-free" "gcc -fanalyzer names it"

cat >"$P/overrun.c" <<'EOF'
#include <string.h>
int planted(const char *s);
int planted(const char *s)
{
	char user[8];

	strcpy(user, "www-data!");
	return strcmp(user, s);
}
EOF
analyze analyze-cppcheck "$P/overrun.c"
ok "cppcheck gate fails on a planted buffer overrun" test "$arc" != 0
like "$aout" "overrun\\.c:[0-9]+:.*(bufferAccessOutOfBounds|OutOfBounds)" "cppcheck names it"

cat >"$P/tidy.c" <<'EOF'
#include <stdlib.h>
#include <string.h>
int planted(const char *cmd);
int planted(const char *cmd)
{
	char *copy = strdup(cmd);
	int rc;

	if (copy == NULL)
		return -1;
	free(copy);
	rc = system(copy);
	return rc;
}
EOF
analyze analyze-tidy "$P/tidy.c"
ok "clang-tidy gate fails on planted defects" test "$arc" != 0
like "$aout" "cert-env33-c" "clang-tidy: system() in a setuid program (cert-env33-c)"
like "$aout" "clang-analyzer-unix.Malloc" "clang-tidy: use after free (clang-analyzer-unix.Malloc)"

# Every harness catches its mutants.
mut=$(make -s -C "$REPO" --no-print-directory fuzz-mutants 2>&1)
mrc=$?
while IFS= read -r line; do
    case $line in
    caught*) ok "fuzz mutant ${line#caught }" true ;;
    MISSED*|STALE*|ERROR*) ok "fuzz mutant: $line" false ;;
    esac
done <<<"$mut"
ok "fuzz-mutants: every mutant caught" test "$mrc" = 0
[ "$mrc" = 0 ] || diag "$(tail -n 20 <<<"$mut")"
for h in $(make -s -C "$REPO" --no-print-directory fuzz-list); do
    grep -q "^caught [^ ]* ($h," <<<"$mut"
    ok "harness $h has a mutant it catches" test $? = 0
done

# Every cppcheck suppression has its reason: a comment heads its block (a
# block: lines up to an empty one).
commented=0 bad=
while IFS= read -r line; do
    case $line in
    '') commented=0 ;;
    '#'*) commented=1 ;;
    *) [ "$commented" = 1 ] || bad+=" $line" ;;
    esac
done <"$REPO/mk/cppcheck.supp"
is "$bad" "" "every cppcheck suppression is commented"
# Every check turned off in .clang-tidy is named in its header comment.
missing=
# shellcheck disable=SC2013 # one check name per line: words are lines
for c in $(sed -n 's/^ *-\([A-Za-z][A-Za-z0-9.-]*\),\{0,1\}$/\1/p' "$REPO/.clang-tidy"); do
    name=${c#clang-analyzer-} name=${name#bugprone-} name=${name#cert-} name=${name#misc-}
    grep '^#' "$REPO/.clang-tidy" | grep -qF -- "-$name" || missing+=" $c"
done
is "$missing" "" "every check turned off in .clang-tidy has its reason"

done_testing
