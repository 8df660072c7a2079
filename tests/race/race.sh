#!/bin/bash
# tests/race/race.sh - the race harness: launches as the web server's user
# while the site owners swap paths under the launcher as fast as they can.
#
#   RACE_LAUNCHES=N  launches (default 3000; `make check-race` passes 100000)
#   RACE_SECONDS=T   bound on the launching time (default 600): fewer launches
#                    in that time fail the run as incomplete
#   RACE_JOBS=J      concurrent callers (default 2)
#   RACE_LOG=FILE    every escape and anomaly, in full (default: a temp file,
#                    printed when not empty)
#   RACE_BIN=PATH    the launcher (default $BIN; tests/55-race.t passes a
#                    deliberately broken build, to show that escapes are seen)
#   RACE_EXPECT=escapes  RACE_BIN is that broken build: escapes are the
#                    expected result, reported as such (not as a failure), and
#                    the run succeeds when it sees at least one
#
# Run as root with the fixture up (tests/fixture.sh up). It makes and removes
# its own trees: $DOCROOT/race-alice (fsxalice's), $DOCROOT/race-bob
# (fsxbob's), $TESTROOT/home/fsxalice/race-away, and the interpreter
# $TESTROOT/bin/php-cgi7.9 (a root-owned raceprobe; `-p 7.9` selects it).
# Attackers (tests/race/swapper), each as the owner of the files it swaps:
#   alice-a   the docroot race-alice/a/site <-> a symlink to bob's docroot, a
#             symlink to /etc, a world-writable directory of hers
#   alice-b   an ancestor, race-alice/b/mid (docroot mid/site) <-> a symlink
#             to bob's tree, a world-writable directory, a directory of hers
#             whose "site" is a symlink to bob's docroot
#   alice-c   (Apache mode) the command race-alice/c/cgi/probe <-> symlinks to
#             /usr/bin/id and to bob's probe, her own world-writable, setuid,
#             wrong-group copies, a directory
#   alice-c2  (Apache mode) the caller's cwd race-alice/c2/cgi: renamed away
#             into her home (out of DOCROOT) and back, exchanged with
#             world-writable and wrong-group directories in her home, and
#             with a symlink to bob's cgi directory (the caller follows it)
#   bob       his docroot race-bob/x/site <-> a symlink to alice's directory,
#             a world-writable one; his command race-bob/y/cgi/probe <->
#             symlinks to alice's probe and to /usr/bin/id
# The launches (tests/race/driver, as fsxweb through $BIN) cycle through the
# scenarios below; the driver classifies each from what the worker itself
# reports (tests/race/raceprobe: uid, gids, cwd device:inode and owner, which
# copy ran). Exit 0 only with no escape, no anomaly, no leak, every launch
# done, and both allowed and refused launches (with RACE_EXPECT=escapes: with
# at least one escape).
set -u
. "$(dirname "$0")/../lib.sh"

LAUNCHES=${RACE_LAUNCHES:-3000}
SECONDS_MAX=${RACE_SECONDS:-600}
JOBS=${RACE_JOBS:-2}
LAUNCHER=${RACE_BIN:-$BIN}
EXPECT=${RACE_EXPECT:-}
R=$REPO/tests/race
A=$DOCROOT/race-alice
B=$DOCROOT/race-bob
H=$TESTROOT/home/fsxalice/race-away
INTERP=$TESTROOT/bin/php-cgi7.9

die() { echo "race.sh: $*" >&2; exit 2; }
case $EXPECT in '' | escapes) ;; *) die "RACE_EXPECT is empty or escapes, not $EXPECT" ;; esac
for f in driver swapper raceprobe-root raceprobe-alice raceprobe-bob raceprobe-evil; do
    [ -x "$R/$f" ] || die "$R/$f missing: make race-helpers"
done

# One run at a time: the trees and the interpreter have fixed names.
exec 9>"$RUNDIR/race.lock"
flock -w 900 9 || die "another race run holds $RUNDIR/race.lock"

work=$(mktemp -d /tmp/fsx-race.XXXXXX)
swappers=()
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    local p
    for p in "${swappers[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${swappers[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$A" "$B" "$H" "$INTERP" "$INTERP.new" "$work"
}
trap cleanup EXIT

ua=$(id -u fsxalice) ga=$(id -g fsxalice) ub=$(id -u fsxbob) gb=$(id -g fsxbob)

# d PATH OWNER:GROUP MODE (its parent exists); f SRC PATH OWNER:GROUP MODE;
# l TARGET PATH OWNER
d() { mkdir "$1" && chown "$2" "$1" && chmod "$3" "$1"; }
f() { cp "$1" "$2" && chown "$3" "$2" && chmod "$4" "$2"; }
l() { ln -sfn "$1" "$2" && chown -h "$3" "$2"; }
ino() { stat -c '%d:%i' "$1"; }

rm -rf "$A" "$B" "$H" # left over by a killed run
if ! { cp "$R/raceprobe-root" "$INTERP.new" && chown root:root "$INTERP.new" &&
    chmod 0755 "$INTERP.new" && mv -f "$INTERP.new" "$INTERP"; }; then
    die "cannot install $INTERP"
fi

# bob's trees: the targets of alice's links, and his own races
d "$B" fsxbob:fsxbob 0755
d "$B/site" fsxbob:fsxbob 0755
d "$B/cgi" fsxbob:fsxbob 0755
f "$R/raceprobe-bob" "$B/cgi/probe" fsxbob:fsxbob 0755
d "$B/x" fsxbob:fsxbob 0755
d "$B/x/site" fsxbob:fsxbob 0755
d "$B/x/ww" fsxbob:fsxbob 0777
d "$B/y" fsxbob:fsxbob 0755
d "$B/y/cgi" fsxbob:fsxbob 0755
f "$R/raceprobe-bob" "$B/y/cgi/probe" fsxbob:fsxbob 0755

# alice's trees
d "$A" fsxalice:fsxalice 0755
d "$A/stable" fsxalice:fsxalice 0755                       # bob's links point here
f "$R/raceprobe-alice" "$A/stable/probe" fsxalice:fsxalice 0755
# (a) the docroot
d "$A/a" fsxalice:fsxalice 0755
d "$A/a/site" fsxalice:fsxalice 0755
d "$A/a/ww" fsxalice:fsxalice 0777
l "$B/site" "$A/a/link-bob" fsxalice
l /etc "$A/a/link-root" fsxalice
# (b) an ancestor
d "$A/b" fsxalice:fsxalice 0755
d "$A/b/mid" fsxalice:fsxalice 0755
d "$A/b/mid/site" fsxalice:fsxalice 0755
d "$A/b/ww" fsxalice:fsxalice 0777
d "$A/b/ww/site" fsxalice:fsxalice 0755
d "$A/b/evil" fsxalice:fsxalice 0755
l "$B/site" "$A/b/evil/site" fsxalice
l "$B" "$A/b/link-bob" fsxalice
# (c) Apache mode: the command
d "$A/c" fsxalice:fsxalice 0755
d "$A/c/cgi" fsxalice:fsxalice 0755
f "$R/raceprobe-alice" "$A/c/cgi/probe" fsxalice:fsxalice 0755
l /usr/bin/id "$A/c/cgi/link-id" fsxalice
l "$B/cgi/probe" "$A/c/cgi/link-bob" fsxalice
f "$R/raceprobe-evil" "$A/c/cgi/ww" fsxalice:fsxalice 0777
f "$R/raceprobe-evil" "$A/c/cgi/suid" fsxalice:fsxalice 4755
f "$R/raceprobe-evil" "$A/c/cgi/grp" fsxalice:fsxshared 0755
d "$A/c/cgi/dir" fsxalice:fsxalice 0755
# (c2) Apache mode: the caller's cwd
d "$A/c2" fsxalice:fsxalice 0755
d "$A/c2/cgi" fsxalice:fsxalice 0755
f "$R/raceprobe-alice" "$A/c2/cgi/probe" fsxalice:fsxalice 0755
l "$B/cgi" "$A/c2/link-bob" fsxalice
d "$H" fsxalice:fsxalice 0755
d "$H/ww" fsxalice:fsxalice 0777
f "$R/raceprobe-evil" "$H/ww/probe" fsxalice:fsxalice 0755
d "$H/grp" fsxalice:fsxshared 0755
f "$R/raceprobe-evil" "$H/grp/probe" fsxalice:fsxshared 0755
# bob's links to alice's files
l "$A/stable" "$B/x/link-alice" fsxbob
l "$A/stable/probe" "$B/y/cgi/link-alice" fsxbob
l /usr/bin/id "$B/y/cgi/link-id" fsxbob

# The scenarios: NAME WEIGHT REQ CWD UID GID TAGS INODES ARG...
cat >"$work/scenarios" <<EOS
a          2 both   -          $ua $ga root  $(ino "$A/a/site")   -p 7.9 fsxalice fsxalice $A/a/site
b          2 both   -          $ua $ga root  $(ino "$A/b/mid/site") -p 7.9 fsxalice fsxalice $A/b/mid/site
c          2 both   $A/c/cgi   $ua $ga alice $(ino "$A/c/cgi")   $ua $ga probe
c2         2 both   $A/c2/cgi  $ua $ga alice $(ino "$A/c2/cgi")  $ua $ga probe
bob-x      1 both   -          $ub $gb root  $(ino "$B/x/site")   -p 7.9 fsxbob fsxbob $B/x/site
bob-y      1 both   $B/y/cgi   $ub $gb bob   $(ino "$B/y/cgi")   $ub $gb probe
alice-in-bob-x 1 refuse -      $ua $ga -     -                    -p 7.9 fsxalice fsxalice $B/x/site
alice-in-bob-cgi 1 refuse $B/cgi $ua $ga -   -                    $ua $ga probe
EOS

ALICE_OPS=(
    "a:xchg:$A/a/site:$A/a/link-bob xchg:$A/a/site:$A/a/ww replace:$A/a/site:$A/a/link-root xchg:$A/a/site:$A/a/link-root replace:$A/a/site:$A/a/ww replace:$A/a/site:$A/a/link-bob"
    "b:xchg:$A/b/mid:$A/b/link-bob xchg:$A/b/mid:$A/b/ww xchg:$A/b/mid:$A/b/evil replace:$A/b/mid:$A/b/link-bob replace:$A/b/mid:$A/b/ww"
    "c:xchg:$A/c/cgi/probe:$A/c/cgi/link-id xchg:$A/c/cgi/probe:$A/c/cgi/link-bob xchg:$A/c/cgi/probe:$A/c/cgi/ww xchg:$A/c/cgi/probe:$A/c/cgi/suid xchg:$A/c/cgi/probe:$A/c/cgi/grp xchg:$A/c/cgi/probe:$A/c/cgi/dir replace:$A/c/cgi/probe:$A/c/cgi/link-id"
    "c2:away:$A/c2/cgi:$H/cgi xchg:$A/c2/cgi:$H/ww xchg:$A/c2/cgi:$H/grp xchg:$A/c2/cgi:$A/c2/link-bob replace:$A/c2/cgi:$A/c2/link-bob"
)
BOB_OPS="xchg:$B/x/site:$B/x/link-alice xchg:$B/x/site:$B/x/ww xchg:$B/y/cgi/probe:$B/y/cgi/link-alice xchg:$B/y/cgi/probe:$B/y/cgi/link-id"

spawn() { # USER LABEL OPS...
    local u=$1 label=$2; shift 2
    setpriv --reuid "$u" --regid "$(id -g "$u")" --init-groups -- \
        "$R/swapper" --seconds $((SECONDS_MAX + 60)) --name "$label" "$@" \
        >"$work/swapper.$label" 2>&1 &
    swappers+=($!)
}
for ops in "${ALICE_OPS[@]}"; do
    # shellcheck disable=SC2086 # a list of OPs
    spawn fsxalice "alice-${ops%%:*}" ${ops#*:}
done
# shellcheck disable=SC2086
spawn fsxbob bob $BOB_OPS
sleep 0.2

log=${RACE_LOG:-$work/escapes.log}
echo "race: $LAUNCHER: $LAUNCHES launches, $JOBS callers, at most $SECONDS_MAX s; attackers: ${#swappers[@]}"
[ -z "$EXPECT" ] || echo "race: this launcher is broken on purpose: escapes are EXPECTED in this run"
start=$(date +%s)
timeout $((SECONDS_MAX + 120)) "$R/driver" --bin "$LAUNCHER" --caller fsxweb --launches "$LAUNCHES" \
    --seconds "$SECONDS_MAX" --jobs "$JOBS" --log "$log" "$work/scenarios" >"$work/driver.out"
drc=$?
took=$(($(date +%s) - start))
for p in "${swappers[@]}"; do kill -TERM "$p" 2>/dev/null; done
for p in "${swappers[@]}"; do wait "$p" 2>/dev/null; done
swappers=()
cat "$work/driver.out"
cat "$work"/swapper.*
if [ -s "$log" ] && [ -z "${RACE_LOG:-}" ]; then
    echo "escapes${EXPECT:+ (expected of this build)} and anomalies:"
    head -n 50 "$log"
fi
# what each number above means (tests/race/driver.c classifies each launch
# from what the worker itself reports; tests/race/swapper.c counts its swaps)
cat <<'EOT'
counters: launches = allowed + refused + escapes + other: the launcher was run that many times
counters: allowed: the scenario's own probe ran as its user and group, in its own directory (the inode from before the race), with fds 0-2 only
counters: refused: the launcher refused (exit 100-112, one "fcgi-suexec: CHECK: why" line); each scenario's indented lines count the reasons
counters: escapes: the worker printed something other than that report: wrong user, directory or file, or another program (a sound launcher must have 0)
counters: other: no output and no clean refusal (a crash, a signal, a timeout)
counters: unlaunched: not launches, not escapes: the caller's own chdir into an Apache-mode scenario's directory failed because an attacker had renamed it away at that instant (alice-c2, race-alice/c2/cgi), so the launcher was never run and the driver took that launch again
counters: leaks: descriptors the callers gained and children they left unreaped; seconds and rate: the launching time and launches a second
counters: swapper ops: the swaps an attacker completed, failed: its renames that did not succeed
EOT

summary=$(grep '^launches=' "$work/driver.out")
num() { sed -n "s/.*[ ^]*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$summary"; }
n=$(num launches) al=$(num allowed) re=$(num refused) es=$(num escapes) ot=$(num other)
: "${n:=0}" "${al:=0}" "${re:=0}" "${es:=0}" "${ot:=0}"
st=0
if [ "$EXPECT" = escapes ]; then # the broken build: escapes are what the run is for
    # (the driver exits 1 on an escape)
    [ "$drc" = 0 ] || [ "$drc" = 1 ] || { echo "race: FAIL: the driver exited $drc"; st=1; }
    if [ "$es" -gt 0 ]; then
        echo "race: $es escapes, as expected: the race caught the broken launcher"
    else
        echo "race: FAIL: no escape: the race did not catch the broken launcher"
        st=1
    fi
else
    [ "$drc" = 0 ] || { echo "race: FAIL: the driver exited $drc"; st=1; }
    [ "$es" = 0 ] || { echo "race: FAIL: $es escapes"; st=1; }
fi
[ "$ot" = 0 ] || { echo "race: FAIL: $ot anomalies"; st=1; }
[ "$al" -gt 0 ] || { echo "race: FAIL: no launch was allowed"; st=1; }
[ "$re" -gt 0 ] || { echo "race: FAIL: no launch was refused"; st=1; }
[ "$n" -ge "$LAUNCHES" ] || { echo "race: FAIL: $n of $LAUNCHES launches"; st=1; }
grep -q 'ops=[1-9]' "$work"/swapper.* || { echo "race: FAIL: the attackers did not run"; st=1; }
if grep -q 'failed=[1-9]' "$work"/swapper.*; then echo "race: FAIL: an attacker's rename failed"; st=1; fi
if [ "$EXPECT" = escapes ]; then
    verdict=$([ $st = 0 ] && echo "escapes seen, as expected of this build" || echo FAIL)
else
    verdict=$([ $st = 0 ] && echo PASS || echo FAIL)
fi
echo "launches=$n allowed=$al refused=$re escapes=$es (other=$ot) in ${took}s: $verdict"
exit $st
