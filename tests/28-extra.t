#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions run by trap
# 28-extra.t - EXTRA_RO and EXTRA_RW (issue 10, item 4): walked from "/" as
# root before the drop, never following a symlink but a root-owned one, every
# ancestor root's and private, the last one root's or a system user's; the
# Landlock rules are added on those descriptors.
#
# The build $TESTROOT/sbin/fcgi-suexec-extra (tests/fixture.sh) has
#   EXTRA_RO=$X/ro:$X/missing:$X/vialink/ro   EXTRA_RW=$X/rw:$X/sys
# with X=$TESTROOT/extra: ro, rw root's; sys fsxlow's (a system user, as
# /run/mysqld is mysql's); vialink a root-owned symlink to real (as /var/run
# -> /run); missing absent. The worker is a "#!" script in the Apache
# compatible mode, which reports what it could do there. Each attack changes
# the layout, proves the launch is refused (110, the exact reason, nothing
# ran), and lays it out again.
set -u
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
AU=$(id -u $A) AG=$(id -g $A)
X=$TESTROOT/extra
XBIN=$TESTROOT/sbin/fcgi-suexec-extra
CGI=$DOCROOT/alice/t28.$$
HERE=$PWD

cleanup() {
    cd "$HERE" || true
    rm -rf "$CGI" "$X/rw/t28" "$X/sys/t28" "$X/rw.real" "$X/evil"
    relay
}
# relay: the fixture's layout of $X again
relay() {
    [ -L "$X/rw" ] && rm -f "$X/rw"
    [ -d "$X/rw.real" ] && mv "$X/rw.real" "$X/rw"
    chown root:root "$X" "$X/rw" "$X/ro" "$X/real" "$X/real/ro"
    chown -h root:root "$X/vialink"
    chown fsxlow:fsxlow "$X/sys"
    chmod 0755 "$X" "$X/ro" "$X/real" "$X/real/ro"
    chmod 1777 "$X/rw" "$X/sys"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

need "the EXTRA build is installed ($XBIN)" test -u "$XBIN"
need "its policy" eval "[ \"\$($XBIN -V | grep -c '^EXTRA_R[OW]=$X/')\" = 2 ]"
needs_met

install -d -o $A -g $A -m 0755 "$CGI"
cat >"$CGI/extra.sh" <<EOF
#!/bin/sh
touch "$X/rw/t28" 2>/dev/null && echo rw=wrote || echo rw=denied
touch "$X/sys/t28" 2>/dev/null && echo sys=wrote || echo sys=denied
cat "$X/ro/data" >/dev/null 2>&1 && echo ro=read || echo ro=denied
touch "$X/ro/t28" 2>/dev/null && echo ro_write=wrote || echo ro_write=denied
ls "$X/vialink/ro" >/dev/null 2>&1 && echo vialink=listed || echo vialink=denied
ls "$X" >/dev/null 2>&1 && echo parent=listed || echo parent=denied
EOF
chown $A:$A "$CGI/extra.sh" && chmod 0755 "$CGI/extra.sh"

# xlaunch [LBIN]: run extra.sh as alice through the EXTRA build (or LBIN), from $CGI
xlaunch() { cd "$CGI" && LBIN=${1:-$XBIN} launch "$AU" "$AG" extra.sh; cd "$HERE" || bail "cd"; }
# xrefused NAME REASON: refused with exit 110 and exactly REASON, nothing ran
xrefused() {
    xlaunch
    is "$rc|$err" "110|fcgi-suexec: extra: $2" "$1: exit 110, exact reason"
    unlike "$out" "rw=" "$1: nothing ran"
    rm -f "$X/rw/t28" "$X/sys/t28"
}

# --- the good layout ----------------------------------------------------------
# rw and sys are 1777 and ro/data 0644: the file modes let alice do all of it,
# so what she cannot do is Landlock's refusal, what she can the EXTRA rules'.
xlaunch
is "$rc" 0 "good layout: the launch runs the script"
for k in "rw=wrote" "sys=wrote" "ro=read" "ro_write=denied" "vialink=listed" "parent=denied"; do
    like "$out" "(^|$nl)$k($nl|\$)" "good layout: $k"
done
rm -f "$X/rw/t28" "$X/sys/t28"
xlaunch "$BIN"
for k in "rw=denied" "sys=denied" "ro=denied" "vialink=denied"; do
    like "$out" "(^|$nl)$k($nl|\$)" "control: the build without EXTRA paths: $k"
done

LBIN=$XBIN launch --check $A $A "$DOCROOT/alice"
is "$(grep '^extra: ' <<<"$out")" "extra: pass: $X/ro
extra: pass: $X/missing: missing, grants nothing
extra: pass: $X/vialink/ro
extra: pass: $X/rw
extra: pass: $X/sys" "--check: one line per EXTRA path, the missing one passed over"

# --- attacks --------------------------------------------------------------------
# A site that can write a component replaces it with a symlink to "/".
chown $A "$X"
xrefused "ancestor $X owned by a site user" \
    "EXTRA_RO: $X: directory owned by uid $AU, mode 0755: must be owned by root and not writable by group or others"
as_user $A mv "$X/rw" "$X/rw.real"
as_user $A ln -s / "$X/rw"
xrefused "... and the site replaced EXTRA_RW with a symlink to /" \
    "EXTRA_RO: $X: directory owned by uid $AU, mode 0755: must be owned by root and not writable by group or others"
chown root "$X"
xrefused "a symlink to / in place of EXTRA_RW, the parent root's again" "EXTRA_RW: $X/rw is a symlink"
ok "... and nothing was written through it" test ! -e /t28
relay

chmod 0775 "$X"
xrefused "group-writable ancestor" \
    "EXTRA_RO: $X: directory owned by uid 0, mode 0775: must be owned by root and not writable by group or others"
relay
chown $A "$X/rw"
xrefused "EXTRA_RW owned by a site user" \
    "EXTRA_RW: $X/rw: owned by uid $AU: must be root's or a system user's (uid below 1000)"
relay
chown -h $A "$X/vialink"
xrefused "a symlink on the path owned by a site user" "EXTRA_RO: $X/vialink is a symlink"
relay
chown $A "$X/real"
xrefused "the symlink's target directory owned by a site user" \
    "EXTRA_RO: $X/real: directory owned by uid $AU, mode 0755: must be owned by root and not writable by group or others"
relay

xlaunch
is "$rc" 0 "layout restored: the launch runs again"
rm -f "$X/rw/t28" "$X/sys/t28"

done_testing
