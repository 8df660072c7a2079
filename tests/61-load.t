#!/bin/bash
# Load and faults. LOAD_LAUNCHES launches (default 10000) from 8 concurrent
# callers, alternating alice and bob, every one running as its user in its
# directory, with no descriptor, child or temp file left behind; then
# launches starved of descriptors (RLIMIT_NOFILE), of address space
# (RLIMIT_AS) and of disk (a full tmpfs over TMP_BASE, in a private mount
# namespace): each fails closed, with one "fcgi-suexec: CHECK: ..." line and
# nothing executed, or runs correctly.
#
# Uses tests/race/driver (fast fork/exec loop, classifies each launch) and
# tests/race/raceprobe (reports uid, gids, cwd and descriptors from inside),
# installed for the test as $TESTROOT/bin/php-cgi7.8 (-p 7.8); its own
# directories are $DOCROOT/load-alice and $DOCROOT/load-bob.
. "$(dirname "$0")/lib.sh"

R=$REPO/tests/race
N=${LOAD_LAUNCHES:-10000}
JOBS=8
LA=$DOCROOT/load-alice
LB=$DOCROOT/load-bob
INTERP=$TESTROOT/bin/php-cgi7.8
work=$(mktemp -d /tmp/fsx-load.XXXXXX)

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() { rm -rf "$LA" "$LB" "$INTERP" "$INTERP.new" "$work"; }
trap cleanup EXIT

if ! [ -x "$R/driver" ] || ! [ -x "$R/raceprobe-root" ] || ! [ -x "$R/raceprobe-alice" ]; then
    make -s -C "$REPO" race-helpers >/dev/null || bail "cannot build tests/race helpers (make race-helpers)"
fi

ua=$(id -u fsxalice) ga=$(id -g fsxalice) ub=$(id -u fsxbob) gb=$(id -g fsxbob)
rm -rf "$LA" "$LB"
install -d -o fsxalice -g fsxalice -m 0755 "$LA" "$LA/cgi"
install -d -o fsxbob -g fsxbob -m 0755 "$LB"
install -o fsxalice -g fsxalice -m 0755 "$R/raceprobe-alice" "$LA/cgi/probe"
if ! { install -o root -g root -m 0755 "$R/raceprobe-root" "$INTERP.new" && mv -f "$INTERP.new" "$INTERP"; }; then
    bail "cannot install $INTERP"
fi
ino() { stat -c '%d:%i' "$1"; }
nl=$'\n'

# NAME WEIGHT REQ CWD UID GID TAGS INODES ARG... (see tests/race/driver.c)
cat >"$work/load" <<EOS
alice 1 allow -        $ua $ga root  $(ino "$LA") -p 7.8 fsxalice fsxalice $LA
bob   1 allow -        $ub $gb root  $(ino "$LB") -p 7.8 fsxbob fsxbob $LB
EOS
cat >"$work/native" <<EOS
native 1 any -         $ua $ga root  $(ino "$LA") -p 7.8 fsxalice fsxalice $LA
EOS
cat >"$work/compat" <<EOS
compat 1 any $LA/cgi   $ua $ga alice $(ino "$LA/cgi") $ua $ga probe
EOS

# Private temps' contents (the private temp directories themselves may
# appear); .probe-* files are other tests' probes, made and removed at once.
temp_files() { find "$TESTROOT/tmp" -mindepth 2 ! -name '.probe-*' 2>/dev/null | sort; }

# --- load ------------------------------------------------------------------
temp_before=$(temp_files)
start=$(date +%s.%N)
out=$("$R/driver" --bin "$BIN" --caller fsxweb --launches "$N" --jobs $JOBS \
      --seconds "${LOAD_SECONDS:-1200}" "$work/load" 2>"$work/err")
drc=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
diag "$out"
[ -s "$work/err" ] && diag "$(head -n 40 "$work/err")"
diag "$N launches from $JOBS callers in ${took%.*} s"
is "$drc" 0 "load: the driver reports no escape, anomaly or leak"
like "$out" "(^|$nl)launches=$N allowed=$N refused=0 escapes=0 other=0 " "load: all $N launches allowed and correct"
like "$out" "scenario alice: launches=$((N - N / 2)) allowed=$((N - N / 2)) " "load: every alice launch ran as alice in her directory"
like "$out" "scenario bob: launches=$((N / 2)) allowed=$((N / 2)) " "load: every bob launch ran as bob in his directory"
like "$out" "leaks: fds=0 children=0" "load: no descriptor leaked by the callers, no child or zombie left"
is "$(comm -13 <(echo "$temp_before") <(temp_files))" "" "load: no file left in the private temps"
is "$(pgrep -u fsxalice,fsxbob -x php-cgi7.8 | tr '\n' ' ')" "" "load: no worker left running"

# one LIMIT_OPTS... SCENARIO_FILE: a single launch; sets cls, st (rc=N,
# signal=N or status=timeout), lout, lerr
one() {
    local line
    line=$("$R/driver" --bin "$BIN" --caller fsxweb --launches 1 --jobs 1 --show "$@" 2>/dev/null |
        grep -m1 '^launch ')
    [[ $line =~ class=([a-z]+)\ ([a-z]+=[0-9a-z]+)\ out=\"(.*)\"\ err=\"(.*)\"$ ]] ||
        { cls=none st='' lout='' lerr="driver: $line"; return; }
    cls=${BASH_REMATCH[1]} st=${BASH_REMATCH[2]} lout=${BASH_REMATCH[3]} lerr=${BASH_REMATCH[4]}
}
clear_line='^fcgi-suexec: [a-z]+: [^\]+\\n$' # one line, escaped by the driver
loader_failed() { [ "$st" = rc=127 ] && [ -z "$lout" ] && [[ $lerr =~ "error while loading shared libraries" ]]; }

# --- RLIMIT_NOFILE ---------------------------------------------------------
for mode in native compat; do
    one --nofile 4 "$work/$mode"
    is "$cls" refused "RLIMIT_NOFILE=4, $mode: refused ($st)"
    like "$lerr" "$clear_line" "RLIMIT_NOFILE=4, $mode: one clear fcgi-suexec line ($lerr)"
    is "$lout" "" "RLIMIT_NOFILE=4, $mode: nothing executed"
    bad=() seen=()
    for n in $(seq 0 16); do
        one --nofile "$n" "$work/$mode"
        seen+=("$n:$cls:$st")
        case $cls in
        allowed) ;;
        refused) [[ $lerr =~ $clear_line ]] || bad+=("$n: $st $lerr") ;;
        *) loader_failed || bad+=("$n: $cls $st out=$lout err=$lerr") ;;
        esac
    done
    diag "RLIMIT_NOFILE $mode: ${seen[*]}"
    is "$cls" allowed "RLIMIT_NOFILE=16, $mode: the launch runs correctly"
    is "${bad[*]}" "" "RLIMIT_NOFILE 0..16, $mode: each launch runs correctly, or fails closed with a clear line (or the loader cannot start)"
done

# --- RLIMIT_AS ---------------------------------------------------------------
# From where the dynamic loader cannot map libc up to 16 MiB, in 128 KiB
# steps: the launcher's own allocations (NSS, libseccomp) fail somewhere in
# between; each failure must be a refusal with a true reason.
for mode in native compat; do
    escapes=() crashes=() blamed=() unclear=() summary=() prev='' first_started=
    for kb in $(seq 2048 128 16384); do
        one --as-limit $((kb * 1024)) "$work/$mode"
        case $cls in
        allowed) o=runs ;;
        refused) o="refused:$(sed -E 's/^fcgi-suexec: ([a-z]+):.*/\1/' <<<"$lerr")"
                 [[ $lerr =~ $clear_line ]] || unclear+=("${kb}K: $lerr")
                 [[ $lerr =~ ^fcgi-suexec:\ (caller|user|group): ]] && blamed+=("${kb}K: $lerr") ;;
        *) if loader_failed; then o=loader-fails
           elif [ -n "$lout" ]; then o=ESCAPE; escapes+=("${kb}K: $st out=$lout err=$lerr")
           else o="$st"; crashes+=("${kb}K: $st out=$lout err=$lerr"); fi ;;
        esac
        [ "$o" != loader-fails ] && [ -z "$first_started" ] && first_started=$kb
        [ "$o" = "$prev" ] || summary+=("${kb}K:$o")
        prev=$o
    done
    diag "RLIMIT_AS $mode (from the value on): ${summary[*]}"
    diag "RLIMIT_AS $mode: the loader starts from ${first_started:-(never)}K"
    ok "RLIMIT_AS, $mode: the range is not vacuous (the loader starts in it)" test -n "$first_started"
    is "$o" runs "RLIMIT_AS=16 MiB, $mode: the launch runs correctly"
    is "${escapes[*]}" "" "RLIMIT_AS 2..16 MiB, $mode: nothing runs but the right probe as the right user"
    is "${crashes[*]}" "" "RLIMIT_AS 2..16 MiB, $mode: once the loader runs, no launch dies without a fcgi-suexec line (no crash)"
    is "${unclear[*]}" "" "RLIMIT_AS 2..16 MiB, $mode: every refusal says why (one line, a reason after the check)"
    is "${blamed[*]}" "" "RLIMIT_AS 2..16 MiB, $mode: no refusal blames the correct caller, user or group for a failed allocation"
done

# --- full disk under TMP_BASE ------------------------------------------------
# In a private mount namespace only: a tiny tmpfs over $TESTROOT/tmp (root's,
# 0711, as the fixture makes it), its inodes used up, so that making the
# user's private temp fails. The real mounts are never touched.
full_disk() { # INODES FILL(inodes|blocks) SCENARIO_FILE
    # shellcheck disable=SC2016 # the script expands its own arguments
    unshare -m --propagation private bash -c '
        set -e
        t=$1/tmp
        mount -t tmpfs -o "size=64k,nr_inodes=$2,mode=0711,uid=0,gid=0" fsx-load-full "$t"
        if [ "$3" = inodes ]; then
            i=0; while { : >"$t/fill.$i"; } 2>/dev/null; do i=$((i + 1)); done
        else
            dd if=/dev/zero of="$t/fill" bs=4k 2>/dev/null || true
        fi
        echo "tmpfs over $t: $(df --output=iused,iavail,used,avail "$t" | tail -1 | awk "{print \$1\" inodes used, \"\$2\" free, \"\$3\" KiB used, \"\$4\" free\"}")" >&2
        shift 3
        exec "$@"' full "$TESTROOT" "$1" "$2" \
        "$R/driver" --bin "$BIN" --caller fsxweb --launches 1 --jobs 1 --show "$3"
}
for mode in native compat; do
    line=$(full_disk 8 inodes "$work/$mode" 2>"$work/err" | grep -m1 '^launch ')
    diag "$(cat "$work/err")"
    diag "full disk (no inode), $mode: $line"
    like "$line" 'class=refused (rc=111 .*err="fcgi-suexec: system: making the private temp: No space left on device\\n"|rc=108 .*err="fcgi-suexec: tmpdir: [^\]*\\n")$' \
        "TMP_BASE out of inodes, $mode: refused, 111 'making the private temp: No space left on device' (or 108)"
    like "$line" 'out=""' "TMP_BASE out of inodes, $mode: nothing executed"
    line=$(full_disk 64 blocks "$work/$mode" 2>"$work/err" | grep -m1 '^launch ')
    diag "$(cat "$work/err")"
    diag "full disk (no block, inodes free), $mode: $line"
    like "$line" 'class=(allowed|refused) ' "TMP_BASE out of blocks, $mode: runs correctly or is refused"
done
is "$(findmnt -n "$TESTROOT/tmp")" "" "the real $TESTROOT/tmp is still no mount point"
ok "the private temps are still there" test -d "$TESTROOT/tmp"

done_testing
