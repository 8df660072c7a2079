#!/bin/bash
# NAMESPACES=required|optional where the kernel lets the launcher make no
# namespace, as in a container without the privilege: here a root caller
# whose bounding set lacks CAP_SYS_ADMIN (capsh --drop), so the setuid
# launcher runs without it and its first namespace step (open_tree) fails
# with EPERM. The default build (required) refuses, 112 "world", and nothing
# runs; a NAMESPACES=optional build warns on stderr and starts the worker
# without its world: no private /tmp (Landlock still denies the machine's),
# TMPDIR the private temp by its path, Landlock and seccomp as always. The
# control: the same optional build, with the capability, applies the world.
. "$(dirname "$0")/lib.sh"

A=fsxalice W=$DOCROOT/alice TA=$TESTROOT/tmp/fsxalice nl=$'\n'
NSOPT=$TESTROOT/sbin/fcgi-suexec-nsopt
need "capsh is installed (libcap2-bin)" test -x /usr/sbin/capsh
need "the NAMESPACES=optional test build is installed ($NSOPT)" test -u "$NSOPT"
needs_met
work=$(mktemp -d /tmp/fsx-38.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
# nocap BIN: a wrapper that runs BIN without CAP_SYS_ADMIN in its bounding set
nocap() {
    printf '#!/bin/sh\nexec /usr/sbin/capsh --drop=cap_sys_admin -- -c %s %s "$@"\n' \
        "'exec \"\$0\" \"\$@\"'" "$1" >"$work/${1##*/}" && chmod 0755 "$work/${1##*/}"
    echo "$work/${1##*/}"
}
REQ=$(nocap "$BIN") OPT=$(nocap "$NSOPT")

AS=root LBIN=$REQ launch $A $A "$W"
is "$rc|$err" "112|fcgi-suexec: world: open_tree: the kernel refuses a namespace: refusing to start a worker without its world (built NAMESPACES=required)" \
    "required, no CAP_SYS_ADMIN: exit 112 'world', the step named"
unlike "$out" "ran=1" "required, no CAP_SYS_ADMIN: nothing ran"

AS=root LBIN=$OPT launch $A $A "$W"
is "$rc/$(field ran)" 0/1 "optional, no CAP_SYS_ADMIN: the worker starts"
is "$err" "fcgi-suexec: warning: open_tree: the kernel refuses a namespace: starting $A's worker WITHOUT its world (built NAMESPACES=optional)" \
    "optional, no CAP_SYS_ADMIN: one warning line on stderr"
is "$(sed -n 's/^env=TMPDIR=//p' <<<"$out")" "$TA" "optional, no world: TMPDIR is the private temp by its path"
is "$(field ll.create_tmp)/$(field ll.read_proc_status)" EACCES/EACCES \
    "optional, no world: the machine's /tmp and /proc stay denied (Landlock)"
is "$(field ll.list_www)/$(field ll.exec_in_docroot)/$(field NoNewPrivs)/$(field Seccomp)" \
    EACCES/EACCES/1/2 "optional, no world: Landlock, no_new_privs and seccomp as always"
unlike "$out" "(^|$nl)argv[0-9]+=open_basedir=" "optional, no world: no open_basedir (Landlock holds the worker)"

AS=root LBIN=$NSOPT launch $A $A "$W"
is "$rc/$(field ran)/$err" 0/1/ "control: the optional build with CAP_SYS_ADMIN starts without a warning"
is "$(sed -n 's/^env=TMPDIR=//p' <<<"$out")/$(field ll.create_tmp)" /tmp/ok \
    "control: ... in its world (TMPDIR=/tmp, writable)"

LBIN=$NSOPT launch -V
like "$out" "(^|$nl)NAMESPACES=optional($nl|\$)" "-V of the optional build: NAMESPACES=optional"
LBIN=$NSOPT launch --check $A $A "$W"
like "$out" "(^|$nl)world: pass: [^$nl]*NAMESPACES=optional" "--check of the optional build says what a launch does"

done_testing
