#!/bin/bash
# 26-landlock-abi.t - the worker's confinement at each Landlock ABI an older
# kernel offers (issue 10, item 12).
#
# The fixture installs test builds capped at ABI 1..6 ($TESTROOT/sbin/
# fcgi-suexec-abiN, made with LANDLOCK_ABI_MAX=N): each builds the domain it
# would build on a kernel that offers only ABI N. The probe, run as the worker
# by each of them and by the normal build (the kernel's best), tries the
# accesses of tests/25-landlock.t; for each level this test asserts
#   - what every level blocks: another site's files (read, through a symlink,
#     after an exec), listing DOCROOT or homes, writing /tmp, executing from
#     the site or its temp, planting a symlink;
#   - what a level blocks only from the ABI that brings it, on both sides
#     (blocked at >= that ABI, allowed below), so the test fails if the cap
#     does nothing: truncate(2) of a file outside the site that file modes let
#     the user write (ABI 3), binding a TCP port (4), an ioctl on a device (5),
#     connecting to an abstract unix socket or signalling a process of the
#     same uid made outside the domain (6);
#   - a rename or hard link between the site and its temp: EXDEV at ABI 1
#     (no REFER right: PHP falls back to copying), allowed from 2.
# A cap simulates the rules an older kernel can hold, not everything else that
# kernel lacks (other system calls, bugs, other LSMs' behaviour): this machine's
# kernel still runs them.
#
# The control: the probe alone, as alice, with the same argv: every access
# works (the device ioctl reaches the driver: ENOTTY).
#
# This test makes its own site for alice ($DOCROOT/t26-alice.PID), bob's file
# and a file of alice's outside her site, and removes them on exit; the
# listeners it starts are alice's processes outside any domain.
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
SITE=$DOCROOT/t26-alice.$$            # alice's site for this run
TA=$TESTROOT/tmp/$A                   # her private temp (made by the first launch)
SECRET=$DOCROOT/bob/.t26-secret.$$.php
LINK=$SITE/probe-link                 # alice's symlink to bob's file, as an SFTP upload
DACW=$TESTROOT/run/$A/t26-dacw.$$     # outside the site, writable by alice's file modes
DACW_TEXT="alice's own file, outside her site"
SECRET_TEXT="<?php // bob's secret, t26"
ABSTRACT=fsx-t26-$$
LEVELS=(1 2 3 4 5 6)

ALICE=(setpriv --reuid "$A" --regid "$(id -g "$A")" --init-groups --)   # execs: $! is alice's process
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    rm -rf "$SITE"
    rm -f "$SECRET" "$DACW"
    stop_listeners
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for n in "${LEVELS[@]}"; do
    [ -u "$TESTROOT/sbin/fcgi-suexec-abi$n" ] ||
        bail "fixture missing: $TESTROOT/sbin/fcgi-suexec-abi$n (run tests/fixture.sh up)"
done

# ll_fields: every ll.NAME=RESULT of $out but the setup lines, sorted
ll_fields() {
    grep -E '^ll\.[a-z_]+=' <<<"$out" | grep -vE '^ll\.(docroot|tmp|testroot|targets|secret)=' | sort
}
vfield() { sed -n "s/^$1=//p" <<<"$out"; }

# --- the targets: bob's file, alice's link and file, two listeners of alice ------
install -d -o $A -g $A -m 0755 "$SITE"
echo "$SECRET_TEXT" >"$SECRET"
chown fsxbob:fsxbob "$SECRET" && chmod 0644 "$SECRET"
ln -s "$SECRET" "$LINK" && chown -h $A:$A "$LINK"
put_dacw() { echo "$DACW_TEXT" >"$DACW" && chown $A:$A "$DACW" && chmod 0644 "$DACW"; }
put_dacw
outside_listeners $A "$ABSTRACT"
like "$port" '^[1-9][0-9]*$' "a TCP listener of $A on 127.0.0.1 (port '$port')"
is "$(cat "$ann.abs")" "@$ABSTRACT" "an abstract socket listener of $A"
is "$(stat -c %U "/proc/$tcp_pid")" "$A" "the process outside (pid $tcp_pid) is $A's"
printf 'tcp=%s\nabstract=%s\npid=%s\nsecret=%s\nlink=%s\ndacw=%s\n' "$port" "$ABSTRACT" \
    "$tcp_pid" "$SECRET" "$LINK" "$DACW" >"$SITE/probe-targets"
chown $A:$A "$SITE/probe-targets" && chmod 0644 "$SITE/probe-targets"

# --- what each level must answer ----------------------------------------------------
declare -A WANT
# want LEVEL: WANT = the answers of a domain built for ABI LEVEL
want() {
    local n=$1
    WANT=(
        # every level: another site, DOCROOT, homes, exec from the site, symlinks;
        # /tmp, /var/tmp and /proc are the site's own world's
        [read_other_site]=EACCES [read_via_symlink]=EACCES [exec_read_other_site]=EACCES
        [list_www]=EACCES [list_other_home]=EACCES [list_own_home]=EACCES [list_root]=EACCES
        [create_tmp]=ok [create_var_tmp]=ok [read_proc_status]=ok [dev_zero_r]=EACCES
        [exec_in_docroot]=EACCES [exec_in_tmpdir]=EACCES
        [symlink_docroot]=EACCES [symlink_tmpdir]=EACCES
        # every level: the site's own work
        [read_etc_passwd]=ok [read_ini]=ok [list_docroot]=ok [list_tmpdir]=ok
        [rw_docroot]=ok [rw_tmpdir]=ok [truncate_docroot]=ok [mkdir_docroot]=ok
        [mkfifo_tmpdir]=ok [unix_sock_tmpdir]=ok [exec_bin_true]=ok
        [dev_null_rw]=ok [dev_null_trunc]=ok [dev_urandom_r]=ok
        [tcp_connect]=ok [abstract_self]=ok [kill_child]=ok
        # by level
        [rename_in_docroot]=$([ "$n" -ge 2 ] && echo ok || echo EXDEV)
        # the temp and the site are two mounts in the site's world: EXDEV at every level
        [rename_tmp_to_docroot]=EXDEV [link_tmp_to_docroot]=EXDEV
        [truncate_outside]=$([ "$n" -ge 3 ] && echo EACCES || echo ok)
        [tcp_bind]=$([ "$n" -ge 4 ] && echo EACCES || echo ok)
        [ioctl_dev_null]=$([ "$n" -ge 5 ] && echo EACCES || echo ENOTTY)
        [abstract_connect]=$([ "$n" -ge 6 ] && echo EPERM || echo ok)
        [kill_outside]=$([ "$n" -ge 6 ] && echo EPERM || echo ok)
    )
}
# applied LEVEL: what -V, --check and the allow log say the domain protects
applied() {
    case $1 in
    1 | 2) echo "fs;missing:truncate,ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal" ;;
    3) echo "fs,truncate;missing:ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal" ;;
    4) echo "fs,truncate,net-bind-tcp;missing:ioctl-dev,scope-abstract-unix,scope-signal" ;;
    5) echo "fs,truncate,ioctl-dev,net-bind-tcp;missing:scope-abstract-unix,scope-signal" ;;
    *) echo "fs,truncate,ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal" ;;
    esac
}

# --- the kernel's best, then each cap ---------------------------------------------------
launch $A $A "$SITE"
is "$rc/$(field ran)" 0/1 "best: the probe runs"
kabi=$(field landlock_abi)
ok "the kernel offers Landlock ABI >= 6, so every level below can be told apart (here ${kabi:-none})" \
    test "${kabi:-0}" -ge 6
first_out=$out

# confined NAME LEVEL: the checks of $out, a launch whose domain is for ABI LEVEL
confined() {
    local name=$1 n=$2 k got
    is "$rc/$(field ran)" 0/1 "$name: the probe runs"
    is "$(field ll.docroot):$(field ll.tmp):$(field ll.targets):$(field ll.secret)" \
        "$SITE:$TA:read:$SECRET" "$name: the probe found the site, temp and targets"
    want "$n"
    for k in $(printf '%s\n' "${!WANT[@]}" | sort); do
        got=$(field "ll.$k")
        is "$got" "${WANT[$k]}" "$name: $k answers ${WANT[$k]}"
    done
    is "$(ll_fields | wc -l)" "${#WANT[@]}" "$name: every access was tried, none unexpected"
    if [ "${WANT[truncate_outside]}" = ok ]; then
        is "$(stat -c %s "$DACW")" 0 "$name: below ABI 3 the file outside the site was truncated"
    else
        is "$(cat "$DACW")" "$DACW_TEXT" "$name: the file outside the site is intact"
    fi
    put_dacw
    is "$(find "$SITE" "$TA" -name '.probe-*' | wc -l)" 0 \
        "$name: the probe left nothing behind (no link planted)"
    is "$(readlink "$LINK") $(stat -c %U "$SECRET") $(cat "$SECRET")" "$SECRET fsxbob $SECRET_TEXT" \
        "$name: bob's file and alice's link untouched"
}

out=$first_out
confined "best (ABI $kabi)" "$kabi"
launch -V
is "$(vfield LANDLOCK_ABI)/$(vfield LANDLOCK_APPLIED)" "$kabi/$(applied "$kabi")" \
    "best: -V shows the kernel's ABI and everything it protects"
unlike "$out" "(^|$nl)LANDLOCK_ABI_MAX=" "best: -V has no LANDLOCK_ABI_MAX line"

for n in "${LEVELS[@]}"; do
    bin=$TESTROOT/sbin/fcgi-suexec-abi$n
    eff=$((n < ${kabi:-0} ? n : ${kabi:-0}))
    LBIN=$bin launch $A $A "$SITE"
    confined "ABI $n" "$eff"
    LBIN=$bin launch -V
    is "$(vfield LANDLOCK_ABI_MAX)/$(vfield LANDLOCK_ABI)/$(vfield LANDLOCK_APPLIED)" \
        "$n/$eff/$(applied "$eff")" "ABI $n: -V shows the cap, the ABI used and what it leaves open"
    LBIN=$bin launch --check $A $A "$SITE"
    like "$out" "(^|$nl)landlock: pass: $(applied "$eff")($nl|\$)" \
        "ABI $n: --check names what the domain protects and what it does not"
done

# --- control: the probe alone, as alice, with the same argv ----------------------------
out=$first_out
mapfile -t ARGV < <(for ((i = 1; i < $(field argc); i++)); do field "argv$i"; done)
out=$(cd "$SITE" && timeout 10 "${ALICE[@]}" "$PROBE" "${ARGV[@]}" </dev/null)
is "$(field ran)/$(field euid)/$(field Seccomp)" "1/$(id -u $A)/0" "control: the probe runs as $A, no seccomp"
want 0
control_want=$(for k in "${!WANT[@]}"; do
    if [ "$k" = ioctl_dev_null ]; then echo "ll.$k=ENOTTY"; else echo "ll.$k=ok"; fi
done | sort)
is "$(ll_fields)" "$control_want" "control: every access works without the launcher"
is "$(stat -c %s "$DACW")" 0 "control: the file outside the site was truncated"
is "$(find "$SITE" "$TA" -name '.probe-*' | wc -l)" 0 "control: the probe removed what it made"

done_testing
