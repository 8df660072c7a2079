#!/bin/bash
# 25-landlock.t - per-site confinement (issue 3): the private temp directory
# and its refusals, Landlock as the worker sees it, and the builds for a
# kernel without Landlock.
#
# The probe, run as the worker, tries file, network and scope accesses from
# inside (ll.NAME=ok|ERRNO, see tests/helpers/probe.c). Every case is also
# run by the probe alone, as alice, with the same argv (the control): each
# access the launcher must deny works there, so no denial below is vacuous.
#
# Shared fixture: other tests (30-*.t, 35-*.t) may be running against the
# same $TESTROOT. alice's private temp is moved aside (not removed: a running
# worker keeps its Landlock rule on it) and put back on exit; while this test
# replaces it, or changes $TESTROOT/tmp (one launch at a time), a concurrent
# launch for alice may be refused (108). Bob's file is one of this run's own.
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
W=$DOCROOT/alice
TMP_BASE=$TESTROOT/tmp
TA=$TMP_BASE/$A                 # alice's private temp
TB=$TMP_BASE/fsxbob             # bob's
SAVED=$TMP_BASE/.t25-saved-$A.$$
UD=$TESTROOT/home/$A/public_html  # alice's userdir
# another site's file, bob's, named for this run: 35-*.t makes and removes
# a secret.php of its own there
SECRET=$DOCROOT/bob/.t25-secret.$$.php
TARGETS=probe-targets           # in the docroot: what the probe aims at outside the worker
LINK=probe-link                 # in the docroot: a symlink to bob's file, as an SFTP upload
DACW=$TESTROOT/run/$A/t25-dacw.$$   # outside the site, alice's by file modes: truncate target
LLREQ=$TESTROOT/sbin/fcgi-suexec-llreq
LLOPT=$TESTROOT/sbin/fcgi-suexec-llopt
ABSTRACT=fsx-t25-$$
APPLIED_ALL=fs,truncate,ioctl-dev,net-bind-tcp,scope-abstract-unix,scope-signal

if ! { [ -u "$LLREQ" ] && [ -u "$LLOPT" ]; }; then
    bail "fixture missing: $LLREQ or $LLOPT (run tests/fixture.sh up)"
fi

own=$TESTROOT/run/$A/t25-own.$$      # a good directory of alice's, elsewhere
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    chown root:root "$TMP_BASE"
    chmod 0711 "$TMP_BASE"
    if [ -e "$SAVED" ]; then
        rm -rf "$TA"
        mv "$SAVED" "$TA"
    fi
    rm -f "$W/$TARGETS" "$UD/$TARGETS" "$W/$LINK" "$UD/$LINK" "$SECRET" "$DACW"
    rm -rf "$own"
    stop_listeners
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# refused CODE CHECK NAME ARGS...: launch ARGS (AS, LBIN, SOCK, FDOPTS apply)
refused() {
    local code=$1 check=$2 name=$3; shift 3
    launch "$@"
    is "$rc" "$code" "$name: exit $code"
    like "$err" "^fcgi-suexec: $check: [^$nl]+\$" "$name: one '$check' line on stderr"
    unlike "$out" "ran=1" "$name: nothing ran"
}

# present PATH: what is there, "-" if nothing ("symlink:fsxbob:777" ...)
present() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        stat -c '%F:%U:%G:%a' "$1" | sed 's/symbolic link/symlink/; s/regular empty file/file/; s/regular file/file/'
    else
        echo -
    fi
}

# ll_fields: every ll.NAME=RESULT of $out but the setup lines, sorted
ll_fields() { grep -E '^ll\.[a-z_]+=' <<<"$out" | grep -vE '^ll\.(docroot|tmp|testroot|targets|secret)=' | sort; }

# --- the private temp: made by the launch that needs it, and only then ------
if [ -e "$TA" ] || [ -L "$TA" ]; then
    mv "$TA" "$SAVED" || bail "cannot move $TA aside"
fi
SOCK=null refused 107 socket "no private temp yet, bad socket" $A $A "$W"
is "$(present "$TA")" - "refused at the socket check: no private temp made"
LBIN=$LLREQ refused 109 landlock "no private temp yet, Landlock required and missing" $A $A "$W"
is "$(present "$TA")" - "refused at the landlock check: no private temp made"

launch $A $A "$W"
is "$rc/$(field ran)" 0/1 "first launch: runs"
is "$(present "$TA")" "directory:$A:$A:700" "first launch: $TA made, $A:$A, mode 0700"
is "$(sed -n 's/^env=TMPDIR=//p' <<<"$out")" /tmp "TMPDIR is /tmp, the private temp in the site's world"
is "$(stat -c %U:%G:%a "$TMP_BASE")" root:root:711 "TMP_BASE untouched: root:root 0711"
rm -rf "$TA"
launch $A fsxshared "$W"
is "$rc/$(field ran)" 0/1 "first launch with group fsxshared: runs"
is "$(present "$TA")" "directory:$A:fsxshared:700" "first launch with group fsxshared: owner $A:fsxshared"
rm -rf "$TA"
launch "$(id -u $A)" "$(id -g $A)" "$W"
is "$rc/$(field ran)" 0/1 "first launch by numeric ids: runs"
is "$(present "$TA")" "directory:$A:$A:700" "first launch by numeric ids: $TA named after the user"
launch $A $A "$W"
is "$rc/$(field ran)/$(present "$TA")" "0/1/directory:$A:$A:700" "second launch: the private temp is kept"
chmod 0755 "$TA"
launch $A $A "$W"
is "$rc/$(field ran)/$(present "$TA")" "0/1/directory:$A:$A:755" "private temp 0755 (not writable by others): accepted as is"
chmod 0700 "$TA"

# --- the private temp: refusals (exit 108, nothing runs) ---------------------
# bad_tmp NAME SETUP...: $TA replaced by what SETUP makes, then a launch,
# which must leave it as it was
bad_tmp() {
    local name=$1 before; shift
    rm -rf "$TA"
    "$@"
    before=$(present "$TA")
    refused 108 tmpdir "$name" $A $A "$W"
    is "$(present "$TA")" "$before" "$name: left as it was ($before)"
}
[ -d "$TB" ] || launch fsxbob fsxbob "$DOCROOT/bob"    # bob's private temp
bob_tb=$(present "$TB")
is "$bob_tb" "directory:fsxbob:fsxbob:700" "bob's private temp exists, fsxbob 0700"

bad_tmp "symlink to bob's private temp" ln -s "$TB" "$TA"
is "$(present "$TB")" "$bob_tb" "symlink to bob's private temp: bob's temp untouched"
bad_tmp "relative symlink to bob's private temp" ln -s fsxbob "$TA"
install -d -o $A -g $A -m 0700 "$own"
bad_tmp "symlink to a good directory of $A's" ln -s "$own" "$TA"
is "$(present "$own")" "directory:$A:$A:700" "symlink to a directory of $A's: the directory untouched"
rmdir "$own"
bad_tmp "symlink to /tmp" ln -s /tmp "$TA"
is "$(stat -c %U:%a /tmp)" root:1777 "symlink to /tmp: /tmp untouched"
dangling=$TESTROOT/run/$A/t25-dangling.$$
bad_tmp "dangling symlink" ln -s "$dangling" "$TA"
is "$(present "$dangling")" - "dangling symlink: nothing made at its target"
bad_tmp "owned by fsxbob" install -d -o fsxbob -g fsxbob -m 0700 "$TA"
# (an EMPTY root-owned one is what a launcher killed half-way left: made anew, tests/14-tmpdir.t)
bad_tmp "owned by root, not empty" eval "install -d -o root -g root -m 0700 '$TA' && : >'$TA/left'"
bad_tmp "mode 0777" install -d -o $A -g $A -m 0777 "$TA"
bad_tmp "mode 0770 (group-writable)" install -d -o $A -g $A -m 0770 "$TA"
bad_tmp "mode 1777" install -d -o $A -g $A -m 1777 "$TA"
bad_tmp "a regular file" install -o $A -g $A -m 0600 /dev/null "$TA"
rm -rf "$TA"
install -d -o $A -g $A -m 0700 "$TA"
launch $A $A "$W"
is "$rc/$(field ran)" 0/1 "good private temp again: runs"

# TMP_BASE itself: root's and private, or nobody runs
chmod 0777 "$TMP_BASE"
refused 108 tmpdir "TMP_BASE mode 0777" $A $A "$W"
chmod 0711 "$TMP_BASE"
chmod 0731 "$TMP_BASE"
refused 108 tmpdir "TMP_BASE group-writable" $A $A "$W"
chmod 0711 "$TMP_BASE"
chown $A "$TMP_BASE"
refused 108 tmpdir "TMP_BASE owned by $A" $A $A "$W"
chown root:root "$TMP_BASE"
chmod 0711 "$TMP_BASE"
launch $A $A "$W"
is "$rc/$(field ran)/$(stat -c %U:%a "$TMP_BASE")" 0/1/root:711 "TMP_BASE restored: runs"

# --- order: tmpdir is the last check ------------------------------------------
rm -rf "$TA"
ln -s "$TB" "$TA"
SOCK=null refused 107 socket "bad socket and bad private temp: socket first" $A $A "$W"
LBIN=$LLREQ refused 109 landlock "no Landlock and bad private temp: landlock first" $A $A "$W"
refused 106 interpreter "bad interpreter and bad private temp: interpreter first" -p 9.9 $A $A "$W"
rm -f "$TA"
install -d -o $A -g $A -m 0700 "$TA"

# --- outside the worker: a TCP listener, an abstract socket, a process --------
# Both listeners are processes of alice, started here, outside any domain.
printf '<?php // bob'"'"'s secret\n' >"$SECRET"
chown fsxbob:fsxbob "$SECRET"
chmod 0644 "$SECRET"
outside_listeners $A "$ABSTRACT"
like "$port" '^[1-9][0-9]*$' "a TCP listener of $A on 127.0.0.1 (port '$port')"
is "$(cat "$ann.abs")" "@$ABSTRACT" "an abstract socket listener of $A"
is "$(stat -c %U "/proc/$tcp_pid")/$(cat "/proc/$tcp_pid/comm")" "$A/sleep" "the process outside is $A's, alive"
for d in "$W" "$UD"; do
    ln -sfn "$SECRET" "$d/$LINK" && chown -h $A:$A "$d/$LINK"   # as alice's SFTP upload would
    printf 'tcp=%s\nabstract=%s\npid=%s\nsecret=%s\nlink=%s\ndacw=%s\n' "$port" "$ABSTRACT" \
        "$tcp_pid" "$SECRET" "$d/$LINK" "$DACW" >"$d/$TARGETS"
    chown $A:$A "$d/$TARGETS"
    chmod 0644 "$d/$TARGETS"
done
echo "alice's own, outside her site" >"$DACW"
chown $A:$A "$DACW"
chmod 0644 "$DACW"

# --- confined: the worker under the launcher ----------------------------------
declare -A CONFINED=(
    [read_etc_passwd]=ok [read_ini]=ok [read_other_site]=EACCES [read_via_symlink]=EACCES
    [symlink_docroot]=EACCES [symlink_tmpdir]=EACCES [truncate_outside]=EACCES
    [link_tmp_to_docroot]=EXDEV [rename_in_docroot]=ok
    [exec_read_other_site]=EACCES
    [list_www]=EACCES [list_other_home]=EACCES [list_own_home]=EACCES [list_root]=EACCES
    [list_docroot]=ok [list_tmpdir]=ok
    [create_tmp]=ok [create_var_tmp]=ok
    [rw_docroot]=ok [rw_tmpdir]=ok [rename_tmp_to_docroot]=EXDEV [truncate_docroot]=ok
    [mkdir_docroot]=ok [mkfifo_tmpdir]=ok [unix_sock_tmpdir]=ok
    [exec_bin_true]=ok [exec_in_docroot]=EACCES [exec_in_tmpdir]=EACCES
    [read_proc_status]=ok
    [dev_null_rw]=ok [dev_null_trunc]=ok [ioctl_dev_null]=EACCES
    [dev_urandom_r]=ok [dev_zero_r]=EACCES
    [tcp_bind]=EACCES [tcp_connect]=ok
    [abstract_connect]=EPERM [abstract_self]=ok
    [kill_outside]=EPERM [kill_child]=ok
)
# Without the launcher every access works, but a device ioctl on /dev/null,
# which the driver answers ENOTTY.
declare -A CONTROL=()
for k in "${!CONFINED[@]}"; do CONTROL[$k]=ok; done
CONTROL[ioctl_dev_null]=ENOTTY
control_want=$(for k in "${!CONTROL[@]}"; do echo "ll.$k=${CONTROL[$k]}"; done | sort)

launch $A $A "$W"
is "$rc/$(field ran)" 0/1 "confined: the probe runs"
is "$(field ll.docroot):$(field ll.tmp):$(field ll.testroot):$(field ll.targets):$(field ll.secret)" \
    "$W:$TA:$TESTROOT:read:$SECRET" "confined: the probe found docroot, temp, TESTROOT and its targets"
confined_out=$out
is "$(cat "$DACW")" "alice's own, outside her site" "confined: the file outside the site was not truncated"
mapfile -t ARGV < <(for ((i = 1; i < $(field argc); i++)); do field "argv$i"; done)

# --- control: the probe alone, as alice, with the same argv -------------------
out=$(cd "$W" && timeout 10 setpriv --reuid $A --regid "$(id -g $A)" --init-groups -- \
    "$PROBE" "${ARGV[@]}" </dev/null)
is "$(field ran)/$(field euid)" "1/$(id -u $A)" "control: the probe runs as $A"
is "$(field NoNewPrivs)/$(field Seccomp)" 0/0 "control: no no_new_privs, no seccomp"
unlike "$(field CapBnd)" '^0+$' "control: bounding set not empty"
is "$(field ll.docroot):$(field ll.tmp):$(field ll.targets)" "$W:$TA:read" "control: same docroot, temp and targets"
is "$(ll_fields)" "$control_want" "control: every access works without the launcher"
is "$(stat -c %s "$DACW")" 0 "control: the file outside the site was truncated (truncate_outside)"
kabi=$(field landlock_abi)
ok "control: the kernel offers Landlock ABI >= 6 (scoping), here $kabi" test "${kabi:-0}" -ge 6

out=$confined_out
for k in $(printf '%s\n' "${!CONFINED[@]}" | sort); do
    is "$(field "ll.$k")" "${CONFINED[$k]}" "confined: $k answers ${CONFINED[$k]}"
done
is "$(ll_fields | wc -l)" "${#CONFINED[@]}" "confined: every access was tried, none unexpected"
is "$(field NoNewPrivs)/$(field Seccomp)/$(field CapBnd)" 1/2/0000000000000000 \
    "confined: no_new_privs, seccomp, empty bounding set"
is "$(find "$W" "$TA" -name '.probe-*' | wc -l)" 0 "confined: the probe left nothing behind (no .probe-sym-* link)"
is "$(present "$SECRET")" "file:fsxbob:fsxbob:644" "bob's file untouched"

# a userdir site gets the same confinement
launch $A $A "$UD"
is "$rc/$(field ran)" 0/1 "userdir: runs"
is "$(field ll.docroot):$(field ll.secret)" "$UD:$SECRET" "userdir: the probe takes the userdir for its site (the cwd)"
is "$(field ll.rw_docroot)/$(field ll.list_own_home)/$(field ll.read_other_site)/$(field ll.exec_in_docroot)" \
    ok/EACCES/EACCES/EACCES "userdir: its own tree only, no home, no other site, no exec"

# --- a kernel without Landlock: required (109) or optional (warn, unconfined) --
LBIN=$LLREQ refused 109 landlock "Landlock ABI below LANDLOCK_ABI_MIN" $A $A "$W"
AS=root LBIN=$LLREQ refused 109 landlock "Landlock ABI below LANDLOCK_ABI_MIN, root caller" $A $A "$W"
LBIN=$LLREQ SOCK=null refused 107 socket "no Landlock and bad socket: socket first" $A $A "$W"
LBIN=$LLREQ refused 105 docroot "no Landlock and bad docroot: docroot first" $A $A /etc

LBIN=$LLOPT launch $A $A "$W"
is "$rc/$(field ran)" 0/1 "LANDLOCK=optional: runs"
like "$err" "^fcgi-suexec: warning: Landlock ABI [0-9]+ < 99: [^$nl]*WITHOUT file confinement[^$nl]*\$" \
    "LANDLOCK=optional: one warning line on stderr"
is "$(field ll.read_other_site)/$(field ll.list_www)/$(field ll.tcp_bind)" \
    ok/ok/ok "LANDLOCK=optional: not confined (another site's file, DOCROOT, bind)"
is "$(field ll.exec_in_docroot)" EACCES "LANDLOCK=optional: the site's world still holds (its tree noexec)"
is "$(field ll.abstract_connect)/$(field ll.kill_outside)" ok/ok "LANDLOCK=optional: not scoped"
is "$(field NoNewPrivs)/$(field Seccomp)/$(field CapBnd)/$(field sys.setuid)/$(field sys.ptrace_traceme)" \
    1/2/0000000000000000/EPERM/EPERM "LANDLOCK=optional: no_new_privs, seccomp, no capabilities still"
is "$(field euid)/$(field cwd)/$(sed -n 's/^env=TMPDIR=//p' <<<"$out")" "$(id -u $A)/$W//tmp" \
    "LANDLOCK=optional: alice, in the docroot, with her private temp on /tmp"
is "$(field argv13) $(field argv14)" "-d open_basedir=$W:$TA" \
    "LANDLOCK=optional: PHP's open_basedir set, no Landlock domain holding it (OPEN_BASEDIR=auto)"

# --- -V ----------------------------------------------------------------------------
# vfield NAME: the value of NAME= in $out (the -V output)
vfield() { sed -n "s/^$1=//p" <<<"$out"; }
launch -V
is "$rc" 0 "-V: exit 0"
is "$(vfield TMP_BASE)|$(vfield EXTRA_RW)|$(vfield EXTRA_RO)" "$TMP_BASE||" "-V: TMP_BASE, empty EXTRA_RW and EXTRA_RO"
is "$(vfield LANDLOCK)/$(vfield LANDLOCK_ABI_MIN)" required/1 "-V: LANDLOCK=required, LANDLOCK_ABI_MIN=1"
is "$(vfield LANDLOCK_ABI)" "$kabi" "-V: LANDLOCK_ABI is the kernel's ($kabi)"
is "$(vfield LANDLOCK_APPLIED)" "$APPLIED_ALL" "-V: LANDLOCK_APPLIED, everything ABI 6 offers"
unlike "$out" "(^|$nl)LANDLOCK_ABI_MAX=" "-V: no LANDLOCK_ABI_MAX line (the ABI is not capped)"
LBIN=$LLREQ launch -V
is "$rc/$(vfield LANDLOCK)/$(vfield LANDLOCK_ABI_MIN)/$(vfield LANDLOCK_ABI)/$(vfield LANDLOCK_APPLIED)" \
    "0/required/99/$kabi/none" "-V, llreq build: required, min 99, nothing applied"
LBIN=$LLOPT launch -V
is "$rc/$(vfield LANDLOCK)/$(vfield LANDLOCK_ABI_MIN)/$(vfield LANDLOCK_ABI)/$(vfield LANDLOCK_APPLIED)" \
    "0/optional/99/$kabi/none" "-V, llopt build: optional, min 99, nothing applied"

done_testing
