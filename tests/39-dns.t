#!/bin/bash
# DNS inside the site's world, in both layouts of /etc/resolv.conf:
# - a plain file (this machine's): read under /etc, like any system file;
# - a symlink into /run (systemd-resolved's "../run/systemd/resolve/
#   stub-resolv.conf", relative, as Ubuntu ships it): the launcher grants
#   read on the target's directory, which belongs to a system user; the
#   worker reads the file, and a file resolved puts there later by rename
#   (it is the directory, not the file, that is granted); a site's file
#   next to it in another directory of /run stays out of reach.
# And the refusal: the target's directory owned by a site user (it could
# swap the file for a symlink to anything) refuses every launch, 110 extra.
# The symlink layout lives in a private mount namespace only (unshare -m): a
# copy of /etc with the symlink is bind-mounted over /etc, a tmpfs over /run.
. "$(dirname "$0")/lib.sh"

A=fsxalice W=$DOCROOT/alice
work=$(mktemp -d /tmp/fsx-39.XXXXXX)
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() { rm -rf "$work"; rm -f "$W/probe-world"; }
trap cleanup EXIT
chmod 0755 "$work"
printf '%s\n' "read conf /etc/resolv.conf" "read later /etc/resolv.conf.later" >"$W/probe-world"
chmod 0644 "$W/probe-world"

# world NAME [--link OWNER] : one launch as fsxweb; with --link, in a private
# namespace where /etc/resolv.conf -> ../run/fsx39/resolve/stub-resolv.conf,
# that directory OWNER's
world() {
    local name=$1 owner=${3:-}
    timeout 20 unshare -m --propagation private -- bash -c '
        set -e
        work=$1 owner=$2; shift 2
        if [ -n "$owner" ]; then
            rm -rf "$work/etc"; cp -a /etc "$work/etc"
            rm -f "$work/etc/resolv.conf"
            ln -s ../run/fsx39/resolve/stub-resolv.conf "$work/etc/resolv.conf"
            ln -s ../run/fsx39/resolve/later.conf "$work/etc/resolv.conf.later"
            mount --bind "$work/etc" /etc
            mount -t tmpfs -o mode=0755 fsx39-run /run
            install -d -o root -g root -m 0755 /run/fsx39
            install -d -o "$owner" -g root -m 0755 /run/fsx39/resolve
            echo "nameserver 127.0.0.53 # fsx39 stub" >/run/fsx39/resolve/stub-resolv.conf
            echo "nameserver 127.0.0.53 # fsx39 later" >/run/fsx39/resolve/.later.new
            mv /run/fsx39/resolve/.later.new /run/fsx39/resolve/later.conf
        fi
        exec setpriv --reuid fsxweb --regid fsxweb --init-groups -- "$@"
    ' _ "$work" "$owner" "$FDSOCK" --env-clear abstract "t39.$$.$name" -- "$BIN" $A $A "$W" \
        </dev/null >"$work/$name.out" 2>"$work/$name.err"
    echo $? >"$work/$name.rc"
}
wf() { sed -n "s/^$2=//p" "$work/$1.out" | head -n 1; }

world plain
is "$(cat "$work/plain.rc")/$(wf plain ran)" 0/1 "plain file: the worker runs"
is "$(wf plain w.read.conf)" "$(head -n 1 /etc/resolv.conf)" "plain file: the worker reads /etc/resolv.conf"

world link --link daemon
is "$(cat "$work/link.rc")/$(wf link ran)/$(cat "$work/link.err")" 0/1/ \
    "symlink into /run, the directory a system user's: the worker runs"
is "$(wf link w.read.conf)" "nameserver 127.0.0.53 # fsx39 stub" \
    "symlink into /run: the worker reads the target through /etc/resolv.conf"
is "$(wf link w.read.later)" "nameserver 127.0.0.53 # fsx39 later" \
    "symlink into /run: ... and a file renamed into that directory"

world site --link $A
is "$(cat "$work/site.rc")|$(cat "$work/site.err")" \
    "110|fcgi-suexec: extra: resolv.conf: /run/fsx39/resolve: owned by uid $(id -u $A): must be root's or a system user's (uid below $("$BIN" -V | sed -n 's/^UID_MIN=//p'))" \
    "symlink into a directory of a site user's: refused, 110 extra"
is "$(wf site ran)" "" "... and nothing ran"

done_testing
