#!/bin/bash
# tests/27-fuse.t - a FUSE file system mounted by a user is never trusted.
#
# The attack: where /etc/fuse.conf has user_allow_other, the web server's
# user mounts a FUSE file system with allow_other on a directory it owns
# (here inside DOCROOT) and has it report any owner it likes (bindfs
# --force-user): an "fsxalice-owned" docroot, a "root-owned" EXTRA_RO path.
# fstat believes it. The launcher refuses every path on a FUSE mount whose
# mounting user is not root: the kernel's fusectl (/sys/fs/fuse/connections,
# mounted by systemd on a host, here by the test) names each FUSE connection
# by its device and gives it the mounting user's uid. A FUSE mounted by root
# is trusted like any root mount; without fusectl, every FUSE path is refused.
#
# Everything runs in a private mount namespace (the file re-executes itself
# under `unshare -m`): there a fuse.conf with user_allow_other is bound over
# /etc/fuse.conf and, where the machine's /dev/fuse is not open to all as on
# a stock Debian (containers), a mode 0666 node over /dev/fuse. The
# machine's own files are never changed.
# shellcheck disable=SC2317 # cleanup and bindfs_as are called, by trap and ok
if [ -z "${FSX_FUSE_NS:-}" ]; then
    FSX_FUSE_NS=1 exec timeout 300 unshare -m --propagation private bash "$0" "$@"
fi
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
nl=$'\n'

need "in a private mount namespace" test "$FSX_FUSE_NS" = 1
need "bindfs installed (setup.sh)" test -n "$(command -v bindfs)"
need "fusermount3 installed setuid (setup.sh)" test -u "$(command -v fusermount3)"
need "the kernel has FUSE (/dev/fuse)" test -c /dev/fuse
needs_met

web=$(id -u fsxweb)
S=$(mktemp -d /tmp/fsx-fuse.XXXXXX)       # a tmpfs of this namespace's own
UMP=$DOCROOT/fsxweb-fuse                  # fsxweb's mount point in DOCROOT
RMP=$DOCROOT/root-fuse                    # root's
XMP=$TESTROOT/fsxweb-extra                # fsxweb's, on the EXTRA_RO path
XBIN=$TESTROOT/sbin/fcgi-suexec-fuse      # a test build with EXTRA_RO=$XMP/ro
# Without /proc an ASan build cannot find its stack and files a report on
# every exit (make check-asan): the no-/proc case runs the fixture's plain
# build, under make check the very binary $BIN is a copy of.
NOPROC_BIN=$TESTROOT/sbin/fcgi-suexec-noproc
pids=()
cleanup() {
    local mp p i
    for mp in "$UMP" "$RMP" "$XMP"; do mountpoint -q "$mp" && umount "$mp"; done
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do # bounded: 50 x 0.1 s each
        for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done
    rmdir "$UMP" "$RMP" "$XMP" 2>/dev/null
    rm -f "$XBIN" "$NOPROC_BIN"
    umount "$S" 2>/dev/null || umount -l "$S"
    rmdir "$S"
}
trap cleanup EXIT
trap "exit 1" INT TERM HUP

mount -t tmpfs -o mode=0755 fsx-fuse "$S" || bail "tmpfs on $S"
CONN=/sys/fs/fuse/connections
mountpoint -q $CONN || mount -t fusectl fusectl $CONN || bail "fusectl on $CONN"
printf 'user_allow_other\n' >"$S/fuse.conf"
mount --bind "$S/fuse.conf" /etc/fuse.conf || bail "fuse.conf"
if [ "$(stat -c %a /dev/fuse)" != 666 ]; then
    diag "/dev/fuse is not 0666 here (a container?): a 0666 node over it, in this namespace only"
    if ! { mknod -m 0666 "$S/fuse" c 10 229 && mount --bind "$S/fuse" /dev/fuse; }; then
        bail "/dev/fuse"
    fi
fi
# The attacker's trees, its own files; root's for the root mount.
mkdir -p "$S/usrc/site" "$S/xsrc/ro" "$S/rsrc/site" && chmod -R 0755 "$S"/{u,x,r}src
chown -R fsxweb:fsxweb "$S/usrc" "$S/xsrc"
mkdir -m 0755 "$UMP" "$RMP" "$XMP" && chown fsxweb:fsxweb "$UMP" "$XMP"

# bindfs_as USER MOUNTPOINT SOURCE OWNER: a FUSE mount in the foreground
# (its pid kept for the cleanup), waited for at most 5 s.
bindfs_as() {
    local i
    as_user "$1" bindfs -f -o allow_other --force-user="$4" --force-group="$4" --perms=0755 \
        "$3" "$2" </dev/null >"$S/bindfs.log" 2>&1 &
    pids+=($!)
    for ((i = 0; i < 50; i++)); do mountpoint -q "$2" && return 0; sleep 0.1; done
    diag "$(cat "$S/bindfs.log")"
    return 1
}

# --- control: without FUSE, fsxweb's directory is fsxweb's -----------------
launch fsxalice fsxalice "$UMP/site"
is "$rc" 105 "control: the docroot through fsxweb's own directory is refused (105)"
is "$err" "fcgi-suexec: docroot: $UMP: directory owned by uid $web, mode 0755: must be owned by root or the user and not writable by group or others" \
    "control: refused for the directory's true owner"

# --- the attack: fsxweb's FUSE says fsxalice owns it ------------------------
ok "fsxweb mounts a FUSE file system with allow_other on its directory in DOCROOT" \
    bindfs_as fsxweb "$UMP" "$S/usrc" fsxalice
like "$(grep " $UMP " /proc/self/mountinfo)" " - fuse [^ ]* rw,user_id=$web," \
    "the mount is fsxweb's (user_id=$web in mountinfo)"
dev=$(stat -c %d "$UMP")
is "$(stat -c %u "$CONN/$(( (dev >> 8 & 0xfff) << 20 | (dev & 0xff) | (dev >> 12 & 0xfff00) ))")" "$web" \
    "fusectl's connection of the mount is fsxweb's"
is "$(stat -c %U:%G "$UMP" "$UMP/site" | tr '\n' ' ')" "fsxalice:fsxalice fsxalice:fsxalice " \
    "fstat says fsxalice owns the mount and the docroot in it"
launch fsxalice fsxalice "$UMP/site"
is "$rc" 105 "attack: a docroot on fsxweb's FUSE is refused (105)"
is "$err" "fcgi-suexec: docroot: $UMP: on a FUSE file system mounted by uid $web" \
    "attack: the refusal names the FUSE mount and its user"
is "$out" "" "attack: the probe did not run"
launch --check fsxalice fsxalice "$UMP/site"
like "$out" "docroot: fail: $UMP: on a FUSE file system mounted by uid $web\$" \
    "--check reports the same refusal"

# Fail closed: a FUSE mount whose user cannot be looked up is refused.
umount $CONN || bail "umount $CONN"
launch fsxalice fsxalice "$UMP/site"
nrc=$rc nout=$out nerr=$err
launch --check fsxalice fsxalice "$DOCROOT/alice"
crc=$rc cout=$out
# a forged fusectl: a tmpfs whose connection directory says root mounted it
mount -t tmpfs -o mode=0755 fsx-conn $CONN || bail "tmpfs on $CONN"
mkdir "$CONN/$(( (dev >> 8 & 0xfff) << 20 | (dev & 0xff) | (dev >> 12 & 0xfff00) ))"
launch fsxalice fsxalice "$UMP/site"
frc=$rc ferr=$err
umount $CONN && mount -t fusectl fusectl $CONN || bail "fusectl on $CONN"
is "$nrc:$nerr" "105:fcgi-suexec: docroot: $UMP: on a FUSE file system whose mounting user is unknown (fusectl is not mounted on /sys/fs/fuse/connections)" \
    "no fusectl: a FUSE path is refused, with the reason"
is "$nout" "" "... and the probe did not run"
like "$crc|$cout" "^0\|.*${nl}docroot: pass${nl}.*result: a launch would be allowed\$" \
    "control: no fusectl is needed off FUSE"
is "$frc:$ferr" "$nrc:$nerr" "a tmpfs posing as fusectl (its root-owned directory) is not believed"

# A launch without /proc is refused: the site's world needs its caller's namespace.
install -o root -g fsxweb -m 4750 "$REPO/build/test/fcgi-suexec" "$NOPROC_BIN" || bail "install $NOPROC_BIN"
mount -t tmpfs -o mode=0555 fsx-noproc /proc || bail "tmpfs over /proc"
LBIN=$NOPROC_BIN launch fsxalice fsxalice "$DOCROOT/alice"
for ((i = 0; i < 20; i++)); do umount /proc 2>/dev/null && break; sleep 0.2; done # a worker that ran may hold it a moment
test -r /proc/self/mountinfo || bail "/proc could not be restored"
is "$rc|$err|$(field ran)" "112|fcgi-suexec: world: /proc/self/ns/mnt: No such file or directory|" \
    "without /proc a launch is refused (112), nothing ran"
rm -f "$NOPROC_BIN"

# --- control: root's FUSE is trusted like any root mount --------------------
ok "root mounts a FUSE file system on a root-owned directory in DOCROOT" \
    bindfs_as root "$RMP" "$S/rsrc" fsxalice
like "$(grep " $RMP " /proc/self/mountinfo)" " - fuse [^ ]* rw,user_id=0," "the mount is root's"
launch fsxalice fsxalice "$RMP/site"
is "$rc:$err" "0:" "control: a docroot on root's FUSE is accepted"
is "$(field ran):$(field cwd)" "1:$RMP/site" "control: the probe ran in it"

# --- EXTRA_RO through fsxweb's FUSE, which says root owns it ----------------
make -s -C "$REPO" BUILDDIR=build/test-fuse HTTPD_USER=fsxweb DOCROOT="$DOCROOT" \
    PHP_CGI="$PROBE" PHP_INI="$PHP_INI" TMP_BASE="$TESTROOT/tmp" EXTRA_RO="$XMP/ro" \
    AUDIT_HELPER="$TESTROOT/libexec/fcgi-suexec-audit" >"$S/make.log" 2>&1
install -o root -g fsxweb -m 4750 "$REPO/build/test-fuse/fcgi-suexec" "$XBIN"
ok "a test build with EXTRA_RO=$XMP/ro" test -u "$XBIN" || diag "$(tail -n 20 "$S/make.log")"
LBIN=$XBIN launch fsxalice fsxalice "$DOCROOT/alice"
is "$rc:$err" "110:fcgi-suexec: extra: EXTRA_RO: $XMP: directory owned by uid $web, mode 0755: must be owned by root and not writable by group or others" \
    "control: without FUSE, EXTRA_RO through fsxweb's directory is refused (110)"
ok "fsxweb mounts a FUSE file system that says root owns $XMP" \
    bindfs_as fsxweb "$XMP" "$S/xsrc" root
LBIN=$XBIN launch fsxalice fsxalice "$DOCROOT/alice"
is "$rc:$err" "110:fcgi-suexec: extra: EXTRA_RO: $XMP: on a FUSE file system mounted by uid $web" \
    "attack: EXTRA_RO on fsxweb's FUSE is refused (110)"
is "$out" "" "attack: the probe did not run"
umount "$XMP"
ok "root mounts the same tree there" bindfs_as root "$XMP" "$S/xsrc" root
LBIN=$XBIN launch fsxalice fsxalice "$DOCROOT/alice"
is "$rc:$err:$(field ran)" "0::1" "control: EXTRA_RO on root's FUSE is accepted and the probe ran"

done_testing
