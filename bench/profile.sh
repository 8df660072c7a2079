#!/bin/bash
# bench/profile.sh - where a launch's time goes (make bench-profile).
#
# 1. strace -c of one launch through fcgi-suexec (build/bench, the trivial
#    target) minus one direct launch of the target: the system calls the
#    launcher itself makes, by count.
# 2. The launcher's steps one at a time: bench/steps.c, built like the
#    launcher and linked with its sandbox.o, does the bare setuid drop and
#    exec ("none") plus the steps named, in fcgi-suexec's order; each
#    variant is launched BENCH_PROFILE_LAUNCHES times (default 5000) in
#    rounds of 100, with the launcher itself and the static setuid floor, the order
#    shuffled in each round (a launch leaves deferred kernel work, RCU
#    frees of credentials and filters, to whatever runs next).
#    A step's cost is its variant's median minus none's. Steps that need
#    others include them (landlock and execveat open the descriptors that
#    walk opens; landlock and seccomp set no_new_privs): their cost is
#    given net of those too. The launcher is there twice: a (a later launch
#    of the site: it joins the world) and a1 (every launch the site's first:
#    launchloop --fresh resets the world before each, outside the timing).
# 3. The world's parts (bench/worldparts.c): world.c's steps copied and
#    timed one by one inside the process, as root, BENCH_WORLD_LAUNCHES
#    times (default 500) for a first launch and a later one, alternating
#    with an empty child; and the exit of each (the launch's own mount
#    namespace taken down). Medians per part.
#
# Results: $OUT/profile.txt (summary), $OUT/profile-*.tsv/.txt (raw).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LAUNCHES=${BENCH_PROFILE_LAUNCHES:-5000}
WORLD_LAUNCHES=${BENCH_WORLD_LAUNCHES:-500}
STEPS=(dumpable fds setsid syslog userdb walk socket signals capbset verify nnp landlock seccomp execveat)

command -v strace >/dev/null || die "strace is missing"
[ -x "$BENCH_REPO/build/bench/bench-steps" ] || die "build/bench/bench-steps missing: make bench-build"
bench_init profile
run=$STATE
put "$BENCH_REPO/build/bench/bench-steps" "$SBIN/steps" "root:$(id -gn "$HTTPD")" 4750
say "== profile: where a launch through fcgi-suexec goes"

# the private temp exists after a first launch (walk opens it)
"$TOOLS/launchloop" --as "$HTTPD" --launches 1 --rounds 1 --warmup 0 \
    <(echo "a - $LAUNCHER $SITE_USER $SITE_USER $SITE") >/dev/null || die "the launcher refuses"

# --- 1. system calls ----------------------------------------------------------------
sc() { # OUT CMD...: strace -c of one launch, as www-data, "syscall calls" lines
    local out=$1; shift
    strace -u "$HTTPD" -c -o "$run/strace.raw" "$TOOLS/sockexec" "$@" >/dev/null 2>&1 \
        || die "strace of $1 failed"
    awk 'NF >= 5 && $1 ~ /^[0-9.]+$/ && $NF != "total" { print $NF, $4 }' \
        "$run/strace.raw" | sort >"$out"
}
sc "$run/sc-a" "$LAUNCHER" "$SITE_USER" "$SITE_USER" "$SITE"
sc "$run/sc-c" "$TARGET"
join -a 1 -e 0 -o 0,1.2,2.2 "$run/sc-a" "$run/sc-c" | awk '{ d = $2 - $3; if (d > 0) print d, $1 }' \
    | sort -rn >"$OUT/profile-syscalls.txt"
total=$(awk '{ s += $1 } END { print s + 0 }' "$OUT/profile-syscalls.txt")
say "system calls of the launcher itself (one launch minus a direct one): $total;" \
    "most: $(head -n 12 "$OUT/profile-syscalls.txt" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"

# --- 2. steps -----------------------------------------------------------------------
{
    echo "e - $SBIN/suidwrap"
    echo "a - $LAUNCHER $SITE_USER $SITE_USER $SITE"
    echo "a1 - $LAUNCHER $SITE_USER $SITE_USER $SITE"
    echo "none - $SBIN/steps none"
    echo "all - $SBIN/steps all"
    for s in "${STEPS[@]}"; do echo "$s - $SBIN/steps $s"; done
    echo "walk+nnp - $SBIN/steps walk,nnp"
} >"$run/steps.spec"
rounds=$(( LAUNCHES / 100 > 0 ? LAUNCHES / 100 : 1 ))
"$TOOLS/launchloop" --as "$HTTPD" --launches "$LAUNCHES" --rounds "$rounds" --shuffle 1 \
    --fresh "a1:$SITE_USER" "$run/steps.spec" \
    >"$OUT/profile-steps.tsv" || die "a step variant failed"
m() { awk -F'\t' -v v="$1" '$2 == v { print $4 }' "$OUT/profile-steps.tsv" | median; }
none=$(m none)
say "$(printf '%-10s %10s %10s   %s' step 'wall us' 'cost us' 'what it is')"
row() { say "$(printf '%-10s %10.1f %10.1f   %s' "$1" "$2" "$3" "$4")"; }
row e "$(m e)" "$(awk -v x="$(m e)" -v n="$none" 'BEGIN { print x - n }')" \
    "static setuid floor (tiny, non-PIE), relative to none"
row none "$none" 0 "steps.c with no step: static-pie of the launcher's size, setuid drop, exec"
walk=$(awk -v x="$(m walk)" -v n="$none" 'BEGIN { print x - n }')
nnp=$(awk -v x="$(m nnp)" -v n="$none" 'BEGIN { print x - n }')
sum=0
for s in "${STEPS[@]}"; do
    c=$(awk -v x="$(m "$s")" -v n="$none" 'BEGIN { print x - n }')
    note=
    case $s in
        dumpable) note="prctl(PR_SET_DUMPABLE, 0)" ;;
        fds) note="closefrom(3), fcntl on 0..2, fchdir" ;;
        setsid) note="setsid()" ;;
        syslog) note="openlog(LOG_NDELAY) + one syslog() line" ;;
        userdb) note="3 scans of /etc/passwd, 2 of /etc/group (fgetpwent_r)" ;;
        walk) note="docroot, interpreter, php.ini, temp dir opened component by component" ;;
        socket) note="3 getsockopt on fd 0" ;;
        signals) note="62 rt_sigaction + sigprocmask" ;;
        capbset) note="securebits + 41 PR_CAPBSET_DROP" ;;
        verify) note="ids read back, setuid(0) tried, capset, ambient, 41 PR_CAPBSET_READ" ;;
        nnp) note="PR_SET_NO_NEW_PRIVS" ;;
        landlock) c=$(awk -v c="$c" -v w="$walk" -v p="$nnp" 'BEGIN { print c - w - p }')
                  note="sandbox_landlock(), net of walk and nnp" ;;
        seccomp) c=$(awk -v c="$c" -v p="$nnp" 'BEGIN { print c - p }'); note="sandbox_seccomp(), net of nnp" ;;
        execveat) c=$(awk -v c="$c" -v w="$walk" 'BEGIN { print c - w }'); note="exec through the fd, net of walk" ;;
    esac
    sum=$(awk -v s="$sum" -v c="$c" 'BEGIN { print s + c }')
    row "$s" "$(m "$s")" "$c" "$note"
done
row all "$(m all)" "$(awk -v x="$(m all)" -v n="$none" 'BEGIN { print x - n }')" \
    "every step at once (the sum of the costs above: $(printf '%.0f' "$sum"))"
row a "$(m a)" "$(awk -v x="$(m a)" -v n="$none" 'BEGIN { print x - n }')" "fcgi-suexec itself, relative to none (a later launch)"
row a1 "$(m a1)" "$(awk -v x="$(m a1)" -v n="$none" 'BEGIN { print x - n }')" "fcgi-suexec, the site's first launch"
say "medians of $rounds rounds of 100 launches (each round the variants in a new random order), $LAUNCHES launches per variant; cost = variant - none"

# --- 3. the world's parts -----------------------------------------------------------
"$TOOLS/worldparts" --site "$SITE" --tmp "$BENCH_ROOT/tmp/$SITE_USER" --user "$SITE_USER" \
    --launches "$WORLD_LAUNCHES" >"$OUT/profile-world.tsv" || die "worldparts failed"
wp() { # VARIANT PART -> median us
    awk -F'\t' -v v="$1" -v p="$2" '$1 == v { for (i = 2; i <= NF; i++) { split($i, kv, "=");
        if (kv[1] == p) print kv[2] } }' "$OUT/profile-world.tsv" | median; }
say "the world's parts, in the process (bench/worldparts.c, as root, medians of $WORLD_LAUNCHES; us):"
say "$(printf '%-10s %8s %8s   %s' part first later 'what it is')"
for p in clones nsstat mkdir pinsdir lookup unshare2 slave shm proc masks pin setns unshare1 m_tmp m_temps m_rw m_site opens total exit; do
    case $p in
        clones) note="open_tree + mount_setattr of the site and the temp" ;;
        nsstat) note="stat /proc/self/ns/mnt (the caller's namespace)" ;;
        mkdir) note="mkdir /run/fcgi-suexec (EEXIST)" ;;
        pinsdir) note="/run/fcgi-suexec opened, flock, statx; <ns>/ made (EEXIST), opened" ;;
        lookup) note="the site's pins looked for (first: twice, under the lock)" ;;
        unshare2) note="unshare(NEWNS|NEWIPC): a copy of the caller's mount tree" ;;
        slave) note="make-rslave /, umount of the pins' directory" ;;
        shm) note="the private /dev/shm (tmpfs)" ;;
        proc) note="/proc with hidepid=invisible" ;;
        masks) note="/run/user masked (tmpfs)" ;;
        pin) note="setns back, two nsfs bind mounts, setns into the world" ;;
        setns) note="the pins opened, setns mnt + ipc" ;;
        unshare1) note="this launch's own mount namespace: unshare(NEWNS)" ;;
        m_tmp) note="the private temp onto itself" ;;
        m_temps) note="/tmp, /var/tmp, /var/lib/php/sessions: clone + move each" ;;
        m_rw) note="EXTRA_RW (none in the bench policy)" ;;
        m_site) note="the site onto itself, the cwd reopened and checked" ;;
        opens) note="/proc and /dev/shm opened for Landlock" ;;
        total) note="the world in the process, all parts" ;;
        exit) note="the child's exit: its mount namespace taken down (none: $(printf '%.1f' "$(wp none exit)"))" ;;
    esac
    f=$(wp first "$p") l=$(wp later "$p")
    say "$(printf '%-10s %8s %8s   %s' "$p" "${f:--}" "${l:--}" "$note")"
done
