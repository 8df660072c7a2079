#!/bin/bash
# What the worker gets: the probe is the test build's PHP_CGI, launched with a
# hostile environment and stray descriptors; its report must show exactly the
# identity, environment, descriptors and confinement of the contract.
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
W=$DOCROOT/alice
UID_A=$(id -u $A)

gid_of() { getent group "$1" | cut -d: -f3; }


envs() { sed -n 's/^env=//p' <<<"$out" | sort; }

# argv_of: the probe's argv, one word a line, as "argc=N" then the words
argv_of() {
    local i n
    n=$(field argc)
    echo "argc=$n"
    for ((i = 0; i < ${n:-0}; i++)); do field "argv$i"; done
}

# expected_argv INTERPRETER DOCROOT-ARG [USER]: what the launcher must pass
# (no open_basedir: Landlock holds the worker, OPEN_BASEDIR=auto)
expected_argv() {
    local tmp=$TESTROOT/tmp/${3:-$A} ini=$PHP_INI
    [[ $1 =~ php-cgi([0-9]+\.[0-9]+)$ ]] && ini=$TESTROOT/etc/${BASH_REMATCH[1]}/php.ini # PHP_INI_VERSIONED
    printf '%s\n' argc=13 "$1" -c "$ini" \
        -d "session.save_path=$tmp" -d "upload_tmp_dir=$tmp" -d "sys_temp_dir=$tmp" \
        -d "opcache.lockfile_path=$tmp" -d cgi.fix_pathinfo=0
}

# Under the launcher, each probed syscall answers this:
declare -A CONFINED=(
    [setuid]=EPERM [setgroups_self]=EPERM [unshare_user]=EPERM [unshare_net]=EPERM
    [clone_newns]=EPERM [clone_newuser]=EPERM [clone3]=ENOSYS [ptrace_traceme]=EPERM
    [process_vm_readv]=EPERM [personality32]=EPERM [personality_query]=ok
    [keyctl]=EPERM [io_uring_setup]=EPERM [userfaultfd]=EPERM [perf_event_open]=EPERM
    [bpf]=EPERM [tiocsti]=EPERM [x32]=signal=31 [fork]=ok [mount]=EPERM
)

# --- control: the probe alone, as alice, can do what the filter must stop ---
out=$(as_user $A "$PROBE" </dev/null)
is "$(field ran)" 1 "control: the probe runs"
is "$(field euid)" "$UID_A" "control: runs as alice"
is "$(field NoNewPrivs)" 0 "control: no no_new_privs"
is "$(field Seccomp)" 0 "control: no seccomp"
unlike "$(field CapBnd)" '^0+$' "control: bounding set not empty"
for s in setuid unshare_user clone_newuser ptrace_traceme process_vm_readv \
    personality32 keyctl clone3 personality_query fork; do
    is "$(field "sys.$s")" ok "control: $s works"
done
is "$(field sys.tiocsti)" ENOTTY "control: TIOCSTI on /dev/null is ENOTTY"
unlike "$(field sys.x32)" '^signal=' "control: an x32 syscall does not kill"
unlike "$(field sys.mount)" '^EPERM$' "control: mount answers other than EPERM (path first)"
# The probe reports its status from system calls (no /proc under Landlock):
# it must agree with /proc/self/status of a process started the same way.
STATUS_KEYS='CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|SigBlk|SigIgn'
proc_status() { "$@" "$(command -v grep)" -E "^($STATUS_KEYS):" /proc/self/status | tr -d ' \t' | tr : = | sort; }
probe_status() { "$@" "$PROBE" </dev/null | grep -E "^($STATUS_KEYS)=" | sort; }
is "$(probe_status)" "$(proc_status)" "control: the probe's status lines agree with /proc (root)"
is "$(probe_status as_user $A "$FDSOCK" --hostile-signals null --)" \
    "$(proc_status as_user $A "$FDSOCK" --hostile-signals null --)" \
    "control: the probe's status lines agree with /proc (alice, hostile signals)"
for s in io_uring_setup userfaultfd perf_event_open bpf; do
    diag "control: sys.$s=$(field "sys.$s") (depends on sysctls; EPERM expected under the launcher)"
done

# check_worker NAME GROUP DOCROOT [ARGV0]: identity, place, descriptors and
# confinement of the worker whose report is in $out
check_worker() {
    local name=$1 gid k
    gid=$(gid_of "$2")
    is "$rc" 0 "$name: exit 0"
    is "$(field ran)" 1 "$name: the probe ran"
    is "$(field ruid),$(field euid),$(field suid)" "$UID_A,$UID_A,$UID_A" "$name: real/effective/saved uid"
    is "$(field rgid),$(field egid),$(field sgid)" "$gid,$gid,$gid" "$name: real/effective/saved gid"
    is "$(field groups)" "$(worker_groups $A "$gid")" "$name: supplementary groups"
    is "$(field cwd)" "$3" "$name: cwd is the docroot"
    is "$(argv_of)" "$(expected_argv "${4:-$PROBE}" "$3")" "$name: argv"
    is "$(field fds)" 0,1,2 "$name: only fds 0, 1, 2"
    is "$(field fd0)" listening "$name: fd 0 is a listening socket"
    for k in CapInh CapPrm CapEff CapBnd CapAmb; do
        like "$(field "$k")" '^0+$' "$name: $k empty"
    done
    is "$(field NoNewPrivs)" 1 "$name: no_new_privs"
    is "$(field Seccomp)" 2 "$name: seccomp filter"
    for k in "${!CONFINED[@]}"; do
        is "$(field "sys.$k")" "${CONFINED[$k]}" "$name: $k answers ${CONFINED[$k]}"
    done
}

HOSTILE=(LD_PRELOAD=/x.so LD_LIBRARY_PATH=/tmp LD_AUDIT=/x.so PHPRC=/tmp PHP_INI_SCAN_DIR=/tmp
    HTTP_PROXY=http://evil BASH_ENV=/tmp/x ENV=/tmp/x IFS=x PATH=/tmp HOME=/tmp USER=root
    LOGNAME=root SHELL=/bin/sh GCONV_PATH=/tmp LANG=C.UTF-8 LISTEN_FDS=1 SCRIPT_FILENAME=/etc/passwd)
BASE_ENV="HOME=$TESTROOT/home/$A${nl}LOGNAME=$A${nl}PATH=$SAFE_PATH${nl}TMPDIR=/tmp${nl}USER=$A"

# --- good launches through the 4750 binary ----------------------------------
FDOPTS="--extra 5" launch "${HOSTILE[@]}" TZ=Europe/Paris PHP_FCGI_CHILDREN=4 \
    PHP_FCGI_MAX_REQUESTS=500 $A $A "$W"
check_worker "group $A" $A "$W"
is "$(envs)" "$(sort <<<"$BASE_ENV${nl}PHP_FCGI_CHILDREN=4${nl}PHP_FCGI_MAX_REQUESTS=500${nl}TZ=Europe/Paris")" \
    "group $A: environment is exactly the allowed set"
is "$(sed -n 's/^env=//p' <<<"$out" | head -n 5 | cut -d= -f1 | paste -sd' ' -)" \
    "PATH USER LOGNAME HOME TMPDIR" "group $A: PATH, USER, LOGNAME, HOME, TMPDIR come first, in that order"

FDOPTS="--extra 5" launch "${HOSTILE[@]}" TZ=../../etc/x PHP_FCGI_CHILDREN=99999 \
    PHP_FCGI_MAX_REQUESTS=1000001 $A fsxshared "$W"
check_worker "group fsxshared" fsxshared "$W"
is "$(envs)" "$(sort <<<"$BASE_ENV")" "group fsxshared: invalid TZ and PHP_FCGI_* dropped"

FDOPTS="--extra 5" launch -p 9.0 $A $A "$DOCROOT/nest/site"
check_worker "-p 9.0 in nest/site" $A "$DOCROOT/nest/site" "$TESTROOT/bin/php-cgi9.0"

# the private temp is named after the user, however the user was given
launch "$(id -u $A)" "$(id -g $A)" "$TESTROOT/home/$A/public_html"
is "$rc/$(field ran)" 0/1 "numeric ids, userdir: runs"
is "$(argv_of)" "$(expected_argv "$PROBE" "$TESTROOT/home/$A/public_html")" \
    "numeric ids, userdir: argv with the userdir and $TESTROOT/tmp/$A"
is "$(sed -n 's/^env=TMPDIR=//p' <<<"$out")" /tmp "numeric ids, userdir: TMPDIR is /tmp (the private temp in its world)"
launch fsxbob fsxbob "$DOCROOT/bob"
is "$rc/$(field ran)" 0/1 "bob: runs"
is "$(argv_of)" "$(expected_argv "$PROBE" "$DOCROOT/bob" fsxbob)" "bob: argv with bob's docroot and temp"
is "$(sed -n 's/^env=TMPDIR=//p' <<<"$out")" /tmp "bob: TMPDIR is /tmp (bob's private temp in his world: 37-world.t)"

# --- the environment allowlist, value by value ------------------------------
# env_case kept|dropped NAME=VALUE
env_case() {
    local want=
    [ "$1" = kept ] && want=${2#*=}
    launch "$2" $A $A "$W"
    is "$rc/$(field ran)/$(sed -n "s/^env=${2%%=*}=//p" <<<"$out")" "0/1/$want" "$2: $1"
}
env_case kept TZ=Europe/Paris
env_case kept TZ=:Europe/Paris
env_case kept TZ=UTC0
env_case kept "TZ=<+03>-3"
env_case kept "TZ=$(printf 'A%.0s' $(seq 64))"
env_case dropped "TZ=$(printf 'A%.0s' $(seq 65))"
env_case dropped TZ=
env_case dropped TZ=../../etc/x
env_case dropped TZ=Europe/../../etc/x
env_case dropped TZ=/etc/localtime
env_case dropped TZ=:/etc/localtime
env_case dropped "TZ=Europe/Paris;id"
env_case dropped "TZ=Europe/Paris x"
env_case kept PHP_FCGI_CHILDREN=0
env_case kept PHP_FCGI_CHILDREN=512
env_case dropped PHP_FCGI_CHILDREN=513
env_case dropped PHP_FCGI_CHILDREN=99999
env_case dropped PHP_FCGI_CHILDREN=-1
env_case dropped PHP_FCGI_CHILDREN=4x
env_case dropped PHP_FCGI_CHILDREN=
env_case kept PHP_FCGI_MAX_REQUESTS=0
env_case kept PHP_FCGI_MAX_REQUESTS=1000000
env_case dropped PHP_FCGI_MAX_REQUESTS=1000001
env_case dropped PHP_FCGI_MAX_REQUESTS=1e3

# --- fds 1 and 2: inherited, or /dev/null when closed ------------------------
# (by fstat in the probe: Landlock keeps the worker out of /proc)
launch $A $A "$W"
is "$(field stat1)/$(field stat2)" reg/reg "stdout and stderr inherited (files)"
devnull=chr:$(stat -c '%Hr,%Lr' /dev/null)
tmp=$(mktemp)
timeout 10 setpriv --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- \
    "$FDSOCK" --env-clear tcp 127.0.0.1:0 -- "$BIN" $A $A "$W" </dev/null >"$tmp" 2>&-
rc=$? out=$(cat "$tmp")
rm -f "$tmp"
is "$rc/$(field fds)/$(field stat1)/$(field stat2)" "0/0,1,2/reg/$devnull" "fd 2 closed: the worker's fd 2 is /dev/null"

# --- systemd socket activation ------------------------------------------------
FDOPTS="--fd 3 --listen-env --extra 2" launch $A $A "$W"
is "$rc" 0 "systemd: exit 0"
is "$(field fd0)" listening "systemd: fd 3 moved to fd 0"
is "$(field fds)" 0,1,2 "systemd: only fds 0, 1, 2"
unlike "$out" "${nl}env=LISTEN_" "systemd: no LISTEN_ variables in the worker"

FDOPTS="--fd 3 --listen-env --listen-pid 1" launch $A $A "$W"
is "$rc" 107 "systemd, LISTEN_PID of another process: exit 107"
like "$err" "^fcgi-suexec: socket: [^$nl]+\$" "systemd, other LISTEN_PID: socket refusal"
unlike "$out" "ran=1" "systemd, other LISTEN_PID: nothing ran"

FDOPTS="--fd 3" launch $A $A "$W"
is "$rc" 107 "fd 3 without LISTEN_ variables: exit 107"
unlike "$out" "ran=1" "fd 3 without LISTEN_ variables: nothing ran"

# --- signals: the worker starts with default dispositions, nothing blocked ----
# (but SIGXFSZ ignored by the launcher: a write past RLIMIT_FSIZE fails, 58-limits.t)
out=$(as_user $A "$FDSOCK" --hostile-signals null -- "$PROBE" </dev/null)
unlike "$(field SigIgn)" '^0+$' "control: the hostile caller's ignored signals reach a plain exec"
unlike "$(field SigBlk)" '^0+$' "control: the hostile caller's blocked signals reach a plain exec"
FDOPTS="--hostile-signals" launch $A $A "$W"
is "$rc/$(field ran)" 0/1 "hostile signals: the launch runs"
is "$(field SigIgn)" 0000000001000000 "hostile signals: nothing ignored in the worker but SIGXFSZ"
like "$(field SigBlk)" '^0+$' "hostile signals: nothing blocked in the worker"

# --- -V ------------------------------------------------------------------------
launch -V
is "$rc" 0 "-V: exit 0"
like "$out" "(^|$nl)HTTPD_USER=fsxweb($nl|\$)" "-V: HTTPD_USER of the test build"
like "$out" "(^|$nl)DOCROOT=$DOCROOT($nl|\$)" "-V: DOCROOT of the test build"

done_testing
