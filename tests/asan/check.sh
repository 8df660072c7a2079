#!/bin/bash
# tests/asan/check.sh TEST... - `make check-asan` (mk/asan.mk, which says
# why it is done this way): run the sanitizer builds of the unit tests and
# of the launcher, the latter installed over the fixture's builds for the
# duration of the TESTs, and fail on a failed test or any sanitizer report.
#
# Environment (from mk/asan.mk): ASAN_REPORTS (the directory the builds'
# log_path points into), ASAN_FIXTURE (the fixture's TESTROOT), ASAN_UNIT
# (the unit test binary), ASAN_TEARDOWN (restore: put the fixture's own
# builds back with tests/fixture.sh up; down: remove the fixture),
# PROVE_FLAGS (as for make check).
#
# The fixture is shared: while this runs, other tests started against it
# run the ASan builds too (slower, same behaviour).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
: "${ASAN_REPORTS:?}" "${ASAN_FIXTURE:?}" "${ASAN_UNIT:?}" "${ASAN_TEARDOWN:=restore}"
T=$ASAN_FIXTURE

die() { echo "check-asan: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (it installs setuid builds)"
[ $# -gt 0 ] || die "no test to run"
case $ASAN_TEARDOWN in restore|down) ;; *) die "ASAN_TEARDOWN must be restore or down" ;; esac

# Reports: one file per reporting process; the launcher writes as root or,
# after the drop, as the site's user: a sticky directory anyone may add to.
fresh_reports() {
    rm -rf "$ASAN_REPORTS"
    mkdir -p "$ASAN_REPORTS"
    chmod 1733 "$ASAN_REPORTS"
}
reports() { # print every report; status 1 when there is one
    local f found=0
    for f in "$ASAN_REPORTS"/*; do
        [ -e "$f" ] || continue
        found=1
        echo "check-asan: sanitizer report $f:" >&2
        sed 's/^/    /' "$f" >&2
    done
    return $found
}

# 1. The unit tests.
fresh_reports
echo "check-asan: unit tests ($ASAN_UNIT)"
unit_out=$("$ASAN_UNIT" 2>&1); unit_rc=$?
grep '^not ok' <<<"$unit_out" >&2
reports || die "the unit tests made a sanitizer report"
if [ "$unit_rc" != 0 ] || grep -q '^not ok' <<<"$unit_out"; then
    die "unit tests failed under the sanitizers (exit $unit_rc)"
fi
echo "check-asan: unit tests: $(grep -c '^ok' <<<"$unit_out") passed, no report"

# 2. The fixture, with its own builds, then ours over them.
tests/fixture.sh up >/dev/null || die "tests/fixture.sh up failed"
# shellcheck disable=SC2317 # run by the EXIT trap
restore() {
    if [ "$ASAN_TEARDOWN" = down ]; then
        tests/fixture.sh down || echo "check-asan: tests/fixture.sh down failed" >&2
    else
        tests/fixture.sh up >/dev/null ||
            echo "check-asan: tests/fixture.sh up failed: the fixture may still run ASan builds" >&2
    fi
}
trap restore EXIT

# Same policy as the fixture's builds: -V must match (but APACHE_SUEXEC,
# which depends on the installed file's mode).
VARIANTS=("" -llreq -llopt -extra -locked -nsopt -log -iniver -abi1 -abi2 -abi3 -abi4 -abi5 -abi6)
for v in "${VARIANTS[@]}"; do
    want=$("$T/sbin/fcgi-suexec$v" -V 2>&1 | grep -v '^APACHE_SUEXEC=')
    got=$("build/test-asan$v/fcgi-suexec" -V 2>&1 | grep -v '^APACHE_SUEXEC=')
    [ "$want" = "$got" ] || die "build/test-asan$v is not built with the fixture's policy
(mk/asan.mk ASAN_POLICY vs tests/fixture.sh):
$(diff <(echo "$want") <(echo "$got"))"
done

install_as() { # SRC DEST OWNER MODE: by rename, as tests/fixture.sh does
    { cp "$1" "$2.new" && chown "$3" "$2.new" && chmod "$4" "$2.new" && mv -f "$2.new" "$2"; } ||
        die "installing $1 as $2 failed"
}
install_as build/test-asan/fcgi-suexec "$T/sbin/fcgi-suexec" root:fsxweb 4750
install_as build/test-asan/fcgi-suexec "$T/sbin/fcgi-suexec-open" root:fsxweb 4755
install_as build/test-asan/fcgi-suexec "$T/sbin/fcgi-suexec-nosuid" root:root 0755
for v in "${VARIANTS[@]:1}"; do
    install_as "build/test-asan$v/fcgi-suexec" "$T/sbin/fcgi-suexec$v" root:fsxweb 4750
done
install_as build/test-asan/fcgi-suexec-audit "$T/libexec/fcgi-suexec-audit" root:root 0755
install_as build/test-asan/fcgi-suexec-status "$T/libexec/fcgi-suexec-status" root:root 0755
for f in "$T"/sbin/fcgi-suexec* "$T/libexec/fcgi-suexec-audit" "$T/libexec/fcgi-suexec-status"; do
    grep -q ' __asan_init' < <(readelf --dyn-syms -W "$f") || die "$f is not an ASan build"
done

# 3. The launcher tests, against the ASan builds.
fresh_reports
echo "check-asan: ${*} against the ASan + UBSan builds"
# FSX_ASAN=1 tells a test where an ASan build must differ (tests/58-limits.t).
# shellcheck disable=SC2086 # PROVE_FLAGS is a list of words
FSX_ASAN=1 prove -f ${PROVE_FLAGS:-} "$@"
rc=$?
reports || { echo "check-asan: FAILED: sanitizer reports above" >&2; rc=1; }
[ "$rc" = 0 ] && echo "check-asan: all tests passed, no sanitizer report"
exit "$rc"
