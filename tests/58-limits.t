#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions run by trap
# 58-limits.t - per-site limits (issue 12): the launcher sets RLIMIT_NPROC,
# DATA, NOFILE, FSIZE (SIGXFSZ ignored), the nice value (locked by RLIMIT_NICE
# 0), RLIMIT_RTPRIO 0 and oom_score_adj as root, before the drop; the build's
# values, or root's own for a site in LIMITS_DIR/<user>/<name>, walked like
# every trusted path. Asserted from inside the worker (the probe), and each
# unsafe or invalid limit file refused (113) with nothing run; a site at its
# process cap is refused with its own reason (114).
set -u
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
W=$DOCROOT/alice
LD=$TESTROOT/etc/limits
SITE=$LD/$A

cleanup() {
    rm -rf "$LD"
    pkill -KILL -u $A -x sleep 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cleanup

need "prlimit is installed" test -x /usr/bin/prlimit
needs_met

# site_limit NAME VALUE: root's per-site value for alice
site_limit() {
    install -d -o root -g root -m 0755 "$LD" "$SITE"
    printf '%s\n' "$2" >"$SITE/$1"
    chown root:root "$SITE/$1"
    chmod 0644 "$SITE/$1"
}

# --- the build's defaults, from inside the worker ----------------------------
launch $A $A "$W"
is "$rc" 0 "the default limits: the launch runs"
is "$(field limit.nproc)" 64:64 "RLIMIT_NPROC is LIMIT_NPROC (64), soft = hard"
is "$(field limit.data)" $((256 << 20)):$((256 << 20)) "RLIMIT_DATA is 256M"
is "$(field limit.nofile)" 1024:1024 "RLIMIT_NOFILE is 1024"
is "$(field limit.fsize)" $((1 << 30)):$((1 << 30)) "RLIMIT_FSIZE is 1G"
is "$(field nice)" 5 "the nice value is LIMIT_NICE (5)"
is "$(field limit.nice)" 0:0 "RLIMIT_NICE 0: the worker may never lower its nice value"
is "$(field limit.rtprio)" 0:0 "RLIMIT_RTPRIO 0: no real-time priority"
is "$(field oom_score_adj)" 1000 "oom_score_adj is LIMIT_OOM_SCORE_ADJ (1000)"
sigign=$(field SigIgn)
ok "SIGXFSZ is ignored (SigIgn $sigign has bit 25)" eval "(( (16#$sigign >> 24) & 1 ))"
for r in nproc nofile data fsize; do
    is "$(field sys.raise_$r)" EPERM "the worker cannot raise RLIMIT_${r^^}"
done
is "$(field sys.raise_priority)" EACCES "the worker cannot lower its nice value (raise its priority)"
# Landlock keeps /proc read-only to the worker; where root holds CAP_SYS_RESOURCE the kernel
# also makes the launcher's value a floor (oom_score_adj_min)
is "$(field sys.lower_oom)" EACCES "the worker cannot lower its oom_score_adj"

# RLIMIT_CPU and RLIMIT_AS are never set: they stay as the caller had them
# (tens of TiB: an ASan build of the launcher, make check-asan, needs 32 TiB)
out=$(prlimit --cpu=5000:6000 --as=$((1 << 46)):$((1 << 47)) -- bash -c \
    ". '$REPO/tests/lib.sh'; launch $A $A '$W'; echo \"\$out\"")
is "$(field limit.cpu)|$(field limit.as)" "5000:6000|$((1 << 46)):$((1 << 47))" \
    "RLIMIT_CPU and RLIMIT_AS are the caller's, never the launcher's"
# ... while the site's are ceilings: a caller's higher limits give way to them
# (a process manager's LimitNOFILE=, say), a caller's lower hard limits stand
out=$(prlimit --nofile=8192:16384 --nproc=5000:6000 -- bash -c \
    ". '$REPO/tests/lib.sh'; launch $A $A '$W'; echo \"\$out\"")
is "$(field limit.nofile)|$(field limit.nproc)" "1024:1024|64:64" \
    "a caller's higher RLIMIT_NOFILE and RLIMIT_NPROC give way to the site's"
# (data: the site's 64T against the caller's 32 TiB, which an ASan build can start with)
site_limit data 64T
out=$(prlimit --nofile=100:512 --nproc=30:40 --data=$((1 << 44)):$((1 << 45)) -- bash -c \
    ". '$REPO/tests/lib.sh'; launch $A $A '$W'; echo \"\$rc\"; echo \"\$out\"")
rm -rf "$SITE"
like "$out" "^0$nl" "a caller with lower hard limits: the launch runs"
is "$(field limit.nofile)|$(field limit.nproc)|$(field limit.data)" \
    "512:512|40:40|$((1 << 45)):$((1 << 45))" \
    "... its lower hard limits stand (soft raised to them), never raised to the site's"

# a write past RLIMIT_FSIZE fails with EFBIG, the worker alive
site_limit fsize 64K
launch $A $A "$W"
is "$(field limit.fsize)" 65536:65536 "a per-site fsize (64K) reaches the worker"
is "$(field sys.write_past_fsize)" EFBIG "a write past RLIMIT_FSIZE fails with EFBIG, no SIGXFSZ death"

# --- per-site values ----------------------------------------------------------
site_limit nproc 200
site_limit data 1G
site_limit nofile 4096
site_limit nice 10
site_limit oom_score_adj 500
launch $A $A "$W"
is "$rc" 0 "per-site values: the launch runs"
is "$(field limit.nproc)|$(field limit.data)|$(field limit.nofile)|$(field nice)|$(field oom_score_adj)" \
    "200:200|$((1 << 30)):$((1 << 30))|4096:4096|10|500" "root's per-site values reach the worker"
launch --check $A $A "$W"
like "$out" "${nl}limits: pass: nproc=200\(site\) data=1G\(site\) nofile=4096\(site\) fsize=64K\(site\) nice=10\(site\) oom_score_adj=500\(site\)$nl" \
    "--check shows each per-site value, marked (site)"
rm -rf "$SITE"
launch --check $A $A "$W"
like "$out" "${nl}limits: pass: nproc=64 data=256M nofile=1024 fsize=1G nice=5 oom_score_adj=1000$nl" \
    "--check shows the build's limits where the site has none of its own"
site_limit data unlimited
site_limit fsize unlimited
launch $A $A "$W"
is "$rc|$(field limit.data)|$(field limit.fsize)" "0|unlimited:unlimited|unlimited:unlimited" \
    "\"unlimited\" data and fsize: RLIM_INFINITY"
site_limit nproc unlimited
out=$(prlimit --nproc=5000:6000 -- bash -c ". '$REPO/tests/lib.sh'; launch $A $A '$W'; echo \"\$rc\"; echo \"\$out\"")
like "$out" "^0$nl" "\"unlimited\" nproc: the launch runs"
is "$(field limit.nproc)" 6000:6000 "\"unlimited\" nproc: the caller's hard limit, nothing above it"
rm -rf "$SITE"

# --- unsafe or invalid limit files: refused (113), nothing runs ----------------
refused() { # NAME: the launch is refused as a limits problem
    launch $A $A "$W"
    is "$rc" 113 "$1: refused (113)"
    unlike "$out" "ran=1" "$1: nothing ran"
    like "$err" "^fcgi-suexec: limits: " "$1: the reason names the limits"
}
site_limit nproc 200
chown $A "$SITE/nproc"
refused "a limit file owned by the site's user"
chown root "$SITE/nproc"; chmod 0666 "$SITE/nproc"
refused "a world-writable limit file"
chmod 0644 "$SITE/nproc"; chmod 0775 "$SITE"
refused "a group-writable per-site directory"
chmod 0755 "$SITE"; chown $A "$SITE"
refused "a per-site directory owned by the site's user"
chown root "$SITE"; chown $A "$LD"
refused "LIMITS_DIR owned by a site user (an ancestor: every one is root's)"
chown root "$LD"
rm "$SITE/nproc"; ln -s /etc/hostname "$SITE/nproc"
refused "a symlink for a limit file"
rm "$SITE/nproc"; mkfifo -m 0644 "$SITE/nproc"
refused "a FIFO for a limit file (never blocks the launch)"
rm "$SITE/nproc"
for bad in "nproc abc" "nproc 0" "nproc -5" "nproc 12x" "nofile unlimited" "nice 20" "nice -1" \
           "oom_score_adj 1001" "oom_score_adj -500" "data 5P" "data 99999999999999999999" \
           "fsize 1G1" "nproc 1${nl}2" "nproc  64" "nproc ${nl}"; do
    rm -rf "$SITE"
    site_limit "${bad%% *}" "${bad#* }"
    refused "an invalid value \"${bad/$nl/\\n}\""
done
rm -rf "$SITE"
site_limit nice 25
launch $A $A "$W"
like "$err" "$SITE/nice: [\\\\]?\"25[\\\\]?\" is not a valid nice" "the refusal names the file and the value"
rm -rf "$SITE"
site_limit nproc 200
chmod 0600 "$SITE/nproc" # root's, unreadable by the caller: --check cannot read it
launch --check $A $A "$W"
is "$rc" 113 "--check as the web server's user cannot read a 0600 limit file: refused, not guessed"
rm -rf "$SITE"

# --- the process cap: a launch past it is refused with its own reason ----------
sleepers=()
for _ in 1 2 3 4; do
    setpriv --reuid $A --regid "$(id -g $A)" --clear-groups -- sleep 60 &
    sleepers+=($!)
done
n=0
for _ in $(seq 50); do # bounded: the sleepers are up
    n=$(ps -L -u $A --no-headers | wc -l)
    [ "$n" -ge 4 ] && break
    sleep 0.1
done
diag "alice runs $n processes and threads"
site_limit nproc $((n - 1))
launch $A $A "$W"
is "$rc" 114 "alice already past her RLIMIT_NPROC ($((n - 1))): the launch is refused (114)"
# (an ASan build, make check-asan, cannot allocate under the site's RLIMIT_DATA,
# set just before the exec: the message's escaping then shows no text, as the
# launcher does when short of memory)
if [ -n "${FSX_ASAN:-}" ]; then
    is "$err" "fcgi-suexec: nproc: (not shown: out of memory)" "... with its own reason (ASan build)"
else
    like "$err" "^fcgi-suexec: nproc: $A already runs $((n - 1)) processes or threads, its RLIMIT_NPROC" \
        "... with its own reason"
fi
unlike "$out" "ran=1" "... and nothing ran"
site_limit nproc $((n + 2))
launch $A $A "$W"
is "$rc|$(field ran)" "0|1" "control: with room under the cap ($((n + 2))) the same launch runs"
kill "${sleepers[@]}" 2>/dev/null
wait 2>/dev/null

# the worker itself cannot fork past the cap
n=$(ps -L -u $A --no-headers | wc -l)
site_limit nproc $((n + 2)) # room for the probe and the child it runs each test in, no more
launch $A $A "$W"
is "$(field sys.fork)" EAGAIN "a worker at its process cap cannot fork (EAGAIN)"
rm -rf "$SITE"
launch $A $A "$W"
is "$(field sys.fork)" ok "control: under the default cap it can"

# --- -V shows the build's limits ------------------------------------------------
v=$(as_user fsxweb "$BIN" -V)
for kv in LIMIT_NPROC=64 LIMIT_DATA=256M LIMIT_NOFILE=1024 LIMIT_FSIZE=1G LIMIT_NICE=5 \
          LIMIT_OOM_SCORE_ADJ=1000 "LIMITS_DIR=$LD"; do
    like "$v" "(^|$nl)$kv($nl|$)" "-V shows $kv"
done
done_testing
