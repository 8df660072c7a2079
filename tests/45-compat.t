#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016,SC2317 # '$HOME' is a literal argument; functions run by ok and trap
# 45-compat.t - the Apache suexec compatible mode (issue 4):
#
#   cd CGI-DIR && fcgi-suexec UID|~UID GID COMMAND [ARGS...]
#
# as Apache's core, mod_cgi and mod_fcgid call their suexec (numeric ids, the
# command's directory as the working directory, fd 0 a listening socket or a
# pipe). COMMAND is a copy of the probe owned by fsxalice, in directories this
# test makes inside alice's site ($DOCROOT/alice/t45.PID/...), her userdir,
# bob's site and www_backup; the probe's report must show alice's ids, the
# directory, argv = { COMMAND, ARGS... }, the environment (ours plus Apache's
# CGI allowlist) and the confinement: Landlock's read-write root is the
# site's top directory ($DOCROOT/alice, or the userdir). The probe's ll.*
# cases need "-d open_basedir=ROOT:TMP" in argv to know that root: this mode
# passes no -d options, so the test passes them as ARGS.
#
# Then every refusal Apache's suexec has (the exit codes and check names are
# ours, see the contract): each asserts the exit code, one
# "fcgi-suexec: CHECK: ..." line, and that nothing ran.
#
# Shared fixture: everything made here has this run's pid in its name and is
# removed on exit; no fixture path changes owner or mode. A private mount
# namespace (unshare -m) is used for one case, so no mount is ever visible
# outside it.
set -u
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice B=fsxbob
AU=$(id -u $A) AG=$(id -g $A)
BU=$(id -u $B) BG=$(id -g $B)
gid_of() { getent group "$1" | cut -d: -f3; }
SHARED=$(gid_of fsxshared)
SITE=$DOCROOT/alice                        # alice's site: its top directory
AHOME=$TESTROOT/home/$A
UD=$AHOME/public_html                      # alice's userdir
ATMP=$TESTROOT/tmp/$A                      # alice's private temp
T=$SITE/t45.$$                             # all of this run's directories in alice's site
CGI=$T/cgi                                 # the CGI directory
UT=$UD/t45.$$                              # a CGI directory in the userdir
BT=$DOCROOT/bob/t45.$$                     # one in bob's site
BK=$TESTROOT/www_backup/alice/t45.$$       # the prefix trick: www_backup is not www
SECRET=$DOCROOT/bob/t45-secret.$$          # a file of bob's, readable by everyone
LLREQ=$TESTROOT/sbin/fcgi-suexec-llreq
HERE=/
PROBE_SRC=$HELPERS/probe

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    cd / || true
    rm -rf "$T" "$UT" "$BT" "$BK" "$SECRET" "$RUNDIR/sock/t45-moved.$$"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cd "$HERE" || bail "cannot cd $HERE"

[ -x "$PROBE_SRC" ] || bail "fixture missing: $PROBE_SRC (make helpers)"
[ -u "$LLREQ" ] || bail "fixture missing: $LLREQ (run tests/fixture.sh up)"

# mkd DIR OWNER:GROUP MODE: a directory, made if missing, then owned and moded
mkd() { mkdir -p "$1" && chown "$2" "$1" && chmod "$3" "$1"; }
# put_probe DIR [OWNER:GROUP [MODE [NAME]]]: a copy of the probe (chown before
# chmod: chown clears the setuid and setgid bits)
put_probe() {
    local f=$1/${4:-probe}
    rm -rf "$f" && cp "$PROBE_SRC" "$f" && chown "${2:-$A:$A}" "$f" && chmod "${3:-0755}" "$f"
}

# claunch DIR [VAR=value...] ARGS...: launch (lib.sh) from the working directory DIR
claunch() {
    local dir=$1; shift
    if ! cd "$dir"; then
        out='' err="cd $dir failed" rc=255
        return 0
    fi
    launch "$@"
    cd "$HERE" || bail "cannot cd back to $HERE"
}

# refused CODE CHECK NAME DIR ARGS...: from DIR, launch ARGS (AS, LBIN, SOCK, FDOPTS apply)
refused() {
    local code=$1 check=$2 name=$3 dir=$4; shift 4
    claunch "$dir" "$@"
    is "$rc" "$code" "$name: exit $code"
    like "$err" "^fcgi-suexec: $check: [^$nl]+\$" "$name: one '$check' line on stderr"
    is "$out" "" "$name: nothing ran"
}

# allowed NAME DIR ARGS...: the probe runs as alice from DIR
allowed() {
    local name=$1 dir=$2; shift 2
    claunch "$dir" "$@"
    is "$rc/$(field ran)/$(field euid)" "0/1/$AU" "$name: exit 0, the probe ran as $A"
    [ "$rc" = 0 ] || diag "stderr: $err"
}

argv_of() { # the probe's argv, one word a line
    local i n
    n=$(field argc)
    for ((i = 0; i < ${n:-0}; i++)); do field "argv$i"; done
}
envs() { sed -n 's/^env=//p' <<<"$out"; }

# --- the directories -------------------------------------------------------
mkd "$T" $A:$A 0755
mkd "$CGI" $A:$A 0755
put_probe "$CGI"
mkd "$UT" $A:$A 0755
put_probe "$UT"
printf 'bob secret %s\n' $$ >"$SECRET"
chown $B:$B "$SECRET"
chmod 0644 "$SECRET"
readable_by_alice() { as_user "$A" cat "$SECRET" >/dev/null; }
ok "control: $A can read bob's file $SECRET without the launcher" readable_by_alice

# =========================== allowed ===========================================

# --- numeric ids, as Apache calls it, with a realistic CGI environment ---------
LL_ARGS=(-d "open_basedir=$SITE:$ATMP")
KEPT=(
    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=POST
    "QUERY_STRING=a=1&b=2" "REQUEST_URI=/t45/probe?a=1&b=2" SCRIPT_NAME=/t45/probe
    "SCRIPT_FILENAME=$CGI/probe" "DOCUMENT_ROOT=$SITE/htdocs" "CONTEXT_DOCUMENT_ROOT=$CGI/"
    CONTEXT_PREFIX=/t45/ SERVER_NAME=alice.test SERVER_ADDR=127.0.0.1 SERVER_PORT=443
    "SERVER_SOFTWARE=Apache/2.4.71 (Debian)" SERVER_ADMIN=webmaster@alice.test
    SERVER_SIGNATURE= REMOTE_ADDR=192.0.2.7 REMOTE_PORT=54321 REQUEST_SCHEME=https
    HTTPS=on CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=7
    PATH_INFO=/extra REDIRECT_STATUS=200 UNIQUE_ID=ZfsxT45AAAA
    HTTP_HOST=alice.test "HTTP_COOKIE=session=s3cr3t; theme=dark"
    "HTTP_USER_AGENT=curl/7.88.1" "HTTP_ACCEPT=*/*" SSL_PROTOCOL=TLSv1.3
    SSL_CIPHER=TLS_AES_256_GCM_SHA384 TZ=Europe/Paris PHP_FCGI_MAX_REQUESTS=500
)
DROPPED=(
    HTTP_PROXY=http://evil.test:3128 LD_PRELOAD=/nonexistent/t45.so
    LD_LIBRARY_PATH=/nonexistent PHPRC=/tmp PHP_INI_SCAN_DIR=/tmp
    BASH_ENV=/tmp/t45-bashenv ENV=/tmp/t45-env "HTTP_X=() { :; }; echo pwned"
    "SSL_X=() { echo pwned; }" PATH=/tmp HOME=/tmp USER=root LOGNAME=root
    TMPDIR=/tmp IFS=x PWD=/ SHELLOPTS=xtrace PERL5OPT=-d PYTHONPATH=/tmp
    http_proxy=http://evil.test:3128 REDIRECT_X=1
    PHP_FCGI_CHILDREN=99999 SCRIPT_URI_X=1
)
# interleaved: kept, dropped, kept, ... (the order of the kept ones is kept)
MIXED=()
for ((i = 0; i < ${#KEPT[@]} || i < ${#DROPPED[@]}; i++)); do
    [ $i -lt ${#KEPT[@]} ] && MIXED+=("${KEPT[$i]}")
    [ $i -lt ${#DROPPED[@]} ] && MIXED+=("${DROPPED[$i]}")
done
FDOPTS="--extra 5" claunch "$CGI" "${MIXED[@]}" "$AU" "$AG" probe "${LL_ARGS[@]}" "a b" '$HOME'
is "$rc" 0 "numeric ids from $CGI: exit 0"
is "$err" "" "numeric ids: nothing on stderr"
is "$(field ran)" 1 "numeric ids: the command ran"
is "$(field ruid) $(field euid) $(field suid)" "$AU $AU $AU" "numeric ids: real/effective/saved uid = $A"
is "$(field rgid) $(field egid) $(field sgid)" "$AG $AG $AG" "numeric ids: real/effective/saved gid = $A's"
is "$(field groups)" "$(worker_groups $A "$AG")" "numeric ids: supplementary groups: GID, the primary group, SITE_GROUPS"
is "$(field cwd)" "$CGI" "numeric ids: cwd is the CGI directory"
is "$(field argc)" 5 "numeric ids: argc 5"
is "$(argv_of)" "$(printf '%s\n' probe "${LL_ARGS[@]}" "a b" '$HOME')" \
    "numeric ids: argv = { COMMAND, ARGS... }, verbatim"
is "$(envs)" "$(printf '%s\n' "PATH=$SAFE_PATH" "USER=$A" "LOGNAME=$A" "HOME=$AHOME" \
    "TMPDIR=/tmp" "${KEPT[@]}")" \
    "numeric ids: env = PATH USER LOGNAME HOME TMPDIR, then the allowlisted CGI variables in order"
for v in HTTP_PROXY LD_PRELOAD LD_LIBRARY_PATH PHPRC PHP_INI_SCAN_DIR BASH_ENV ENV HTTP_X SSL_X \
    IFS PWD SHELLOPTS PERL5OPT PYTHONPATH http_proxy REDIRECT_X PHP_FCGI_CHILDREN; do
    unlike "$(envs)" "(^|$nl)$v=" "numeric ids: $v dropped"
done
unlike "$out" "pwned" "numeric ids: no exported shell function passed"
is "$(field fds)" 0,1,2 "numeric ids: only fds 0, 1, 2 (5 stray ones closed)"
is "$(field fd0)" listening "numeric ids: fd 0 the listening socket"
is "$(field NoNewPrivs)/$(field Seccomp)" 1/2 "numeric ids: no_new_privs, seccomp filter"
is "$(field CapPrm)/$(field CapEff)/$(field CapBnd)/$(field CapAmb)" \
    0000000000000000/0000000000000000/0000000000000000/0000000000000000 \
    "numeric ids: no capabilities, empty bounding set"
is "$(field sys.setuid)/$(field sys.ptrace_traceme)/$(field sys.unshare_user)" EPERM/EPERM/EPERM \
    "numeric ids: the seccomp filter of the native mode"

# Landlock: the site's top directory ($SITE, above the CGI directory) is
# read-write, nothing else of the docroot tree or the homes
is "$(field ll.docroot):$(field ll.tmp)" "$SITE:$ATMP" "Landlock: the probe aims at $SITE and $ATMP"
declare -A LL=(
    [read_etc_passwd]=ok [list_docroot]=ok [rw_docroot]=ok [mkdir_docroot]=ok
    [truncate_docroot]=ok [rename_tmp_to_docroot]=EXDEV [list_tmpdir]=ok [rw_tmpdir]=ok
    [exec_bin_true]=ok [list_www]=EACCES [list_other_home]=EACCES [list_own_home]=EACCES
    [list_root]=EACCES [create_tmp]=ok [create_var_tmp]=ok [exec_in_docroot]=EACCES
    [exec_in_tmpdir]=EACCES [read_proc_status]=ok [dev_zero_r]=EACCES [tcp_bind]=EACCES
    [abstract_self]=ok [kill_child]=ok
)
for k in $(printf '%s\n' "${!LL[@]}" | sort); do
    is "$(field "ll.$k")" "${LL[$k]}" "Landlock: $k answers ${LL[$k]}"
done

# --- other callers, names, descriptors -----------------------------------------
# Apache and mod_fcgid pass ids ("UID"|"~UID" GID): names before a relative
# path are the native form with a typo in DOCROOT, and answered so
refused 100 usage "user and group names before a COMMAND" "$CGI" $A $A probe
like "$err" "^fcgi-suexec: usage: DOCROOT must be an absolute path, without " \
    "names before a COMMAND: the answer is about DOCROOT, not COMMAND"
allowed "uid and a group name" "$CGI" "$AU" $A probe
is "$(field egid)/$(field cwd)/$(argv_of)" "$AG/$CGI/probe" "uid and group name: gid, cwd, argv { probe }"
AS=root allowed "root caller (as mod_fcgid's process manager, real uid 0)" "$CGI" "$AU" "$AG" probe
SOCK=pipe allowed "fd 0 a pipe (plain CGI, as mod_cgi)" "$CGI" "$AU" "$AG" probe
is "$(field stat0)/$(field fd0)" fifo/ENOTSOCK "pipe: fd 0 is the pipe"
SOCK=tcp allowed "fd 0 a TCP listening socket" "$CGI" "$AU" "$AG" probe
is "$(field fd0)" listening "tcp: fd 0 listening"

# 64 ARGS at most
mapfile -t A64 < <(seq 64)
allowed "64 ARGS" "$CGI" "$AU" "$AG" probe "${A64[@]}"
is "$(field argc)/$(field argv64)" 65/64 "64 ARGS: all passed"
refused 100 usage "65 ARGS" "$CGI" "$AU" "$AG" probe "${A64[@]}" 65

# the environment is capped at 256 kept variables (Apache's AP_ENVBUF); the
# launch by hand, since fdsock takes at most 64 --env
BIG=()
for i in $(seq 300); do BIG+=("HTTP_X_T45_$i=$i"); done
cd "$CGI" || bail "cd $CGI"
out=$(timeout 10 env -i "${BIG[@]}" "$(command -v setpriv)" --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- \
    "$FDSOCK" pipe -- "$BIN" "$AU" "$AG" probe </dev/null 2>/dev/null)
rc=$?
cd "$HERE" || bail "cd back"
is "$rc/$(field ran)" 0/1 "300 HTTP_ variables: runs"
is "$(envs | grep -c '^HTTP_X_T45_')" 256 "300 HTTP_ variables: 256 kept"
is "$(envs | grep '^HTTP_X_T45_' | head -n 1)/$(envs | grep '^HTTP_X_T45_' | tail -n 1)" \
    HTTP_X_T45_1=1/HTTP_X_T45_256=256 "300 HTTP_ variables: the first 256"

# an absolute third argument is the native mode: php-cgi in that directory
claunch "$HERE" "$AU" "$AG" "$CGI"
is "$rc/$(field argv0)/$(field argv1)/$(field cwd)" "0/$PROBE/-c/$CGI" \
    "absolute third argument: native mode (PHP_CGI -c ..., cwd = that docroot)"

# --- a "#!" script ---------------------------------------------------------------
cat >"$CGI/script.sh" <<'EOF'
#!/bin/sh
echo "uid=$(id -u)"
echo "pwd=$(pwd)"
echo "args=$#:$*"
if ls . >/dev/null 2>&1; then echo "list=ok"; else echo "list=denied"; fi
if cat "$1" >/dev/null 2>&1; then echo "secret=read"; else echo "secret=denied"; fi
if ls /proc/self/fd >/dev/null 2>&1; then echo "proc=ok"; else echo "proc=denied"; fi
echo "token=$(cat ./token 2>&1)"
EOF
echo "t45-token-$$" >"$CGI/token"
chown $A:$A "$CGI/script.sh" "$CGI/token"
chmod 0755 "$CGI/script.sh"
chmod 0644 "$CGI/token"
claunch "$CGI" "$AU" "$AG" script.sh "$SECRET"
is "$rc" 0 "#! script: exit 0"
[ "$rc" = 0 ] || diag "stderr: $err"
is "$out" "uid=$AU${nl}pwd=$CGI${nl}args=1:$SECRET${nl}list=ok${nl}secret=denied${nl}proc=ok${nl}token=t45-token-$$" \
    "#! script: runs as $A in $CGI, reads its own directory and its world's /proc, not bob's file"
SOCK=pipe claunch "$CGI" "$AU" "$AG" script.sh "$SECRET"
like "$rc/$out" "^0/uid=$AU$nl" "#! script, fd 0 a pipe: runs as $A"

# --- a symlink on the way: the directory is what counts, by its real path ------
allowed "cd through the symlink $DOCROOT/link (-> alice)" "$DOCROOT/link/t45.$$/cgi" "$AU" "$AG" probe
is "$(field cwd)" "$CGI" "cd through a symlink: cwd is the real path"

# --- userdir ------------------------------------------------------------------------
allowed "~UID from the userdir" "$UT" "~$AU" "$AG" probe -d "open_basedir=$UD:$ATMP"
is "$(field cwd)" "$UT" "~UID: cwd"
is "$(field ll.rw_docroot)/$(field ll.list_docroot)/$(field ll.list_own_home)/$(field ll.list_www)/$(field ll.exec_in_docroot)" \
    ok/ok/EACCES/EACCES/EACCES "~UID: Landlock read-write root is the userdir, not the home"
allowed "~name from the userdir" "$UT" "~$A" $A probe
refused 105 docroot "~UID from the site under DOCROOT" "$CGI" "~$AU" "$AG" probe
refused 105 docroot "UID (no ~) from the userdir" "$UT" "$AU" "$AG" probe
refused 105 docroot "~UID of bob from alice's userdir" "$UT" "~$BU" "$BG" probe
refused 105 docroot "~UID from alice's home, outside public_html" "$AHOME" "~$AU" "$AG" probe
refused 100 usage "'~' alone" "$UT" "~" "$AG" probe
refused 100 usage "'~~UID'" "$UT" "~~$AU" "$AG" probe

# --- group: GID must be the directory's and the command's group too ---------------
SG=$T/shared
mkd "$SG" "$A:fsxshared" 0755
put_probe "$SG" "$A:fsxshared"
allowed "secondary group fsxshared, directory and command of group fsxshared" "$SG" "$AU" "$SHARED" probe
is "$(field egid)" "$SHARED" "secondary group: egid fsxshared"

# =========================== refused ===========================================

# --- setuid, caller ---------------------------------------------------------------
LBIN=$BIN_NOSUID refused 101 setuid "not setuid" "$CGI" "$AU" "$AG" probe
AS=fsxcaller LBIN=$BIN_OPEN refused 102 caller "caller fsxcaller" "$CGI" "$AU" "$AG" probe
AS=$A LBIN=$BIN_OPEN refused 102 caller "caller fsxalice (the target)" "$CGI" "$AU" "$AG" probe

# --- user ---------------------------------------------------------------------------
refused 103 user "uid 0" "$CGI" 0 "$AG" probe
refused 103 user "~0" "$UT" "~0" "$AG" probe
refused 103 user "root by name (~root)" "$UT" "~root" "$AG" probe
refused 103 user "uid below UID_MIN (fsxlow)" "$CGI" "$(id -u fsxlow)" "$AG" probe
refused 103 user "unknown uid" "$CGI" 3999999999 "$AG" probe
refused 103 user "HTTPD_USER's uid (fsxweb)" "$CGI" "$(id -u fsxweb)" "$AG" probe

# --- group --------------------------------------------------------------------------
refused 104 group "gid 0" "$CGI" "$AU" 0 probe
refused 104 group "unknown gid" "$CGI" "$AU" 3999999999 probe
refused 104 group "bob's gid" "$CGI" "$AU" "$BG" probe
refused 104 group "gid below GID_MIN (fsxlowg, alice is a member)" "$CGI" "$AU" "$(gid_of fsxlowg)" probe
refused 104 group "HTTPD_USER's gid" "$CGI" "$AU" "$(id -g fsxweb)" probe

# --- usage: COMMAND is one path component ----------------------------------------------
refused 100 usage "COMMAND cgi/probe" "$T" "$AU" "$AG" cgi/probe
refused 100 usage "COMMAND ../probe" "$CGI" "$AU" "$AG" ../probe
refused 100 usage "COMMAND ./probe" "$CGI" "$AU" "$AG" ./probe
refused 100 usage "COMMAND ." "$CGI" "$AU" "$AG" .
refused 100 usage "COMMAND .." "$CGI" "$AU" "$AG" ..
refused 100 usage "COMMAND empty" "$CGI" "$AU" "$AG" ""
refused 100 usage "COMMAND with a newline" "$CGI" "$AU" "$AG" "pro${nl}be"
refused 100 usage "COMMAND of 256 characters" "$CGI" "$AU" "$AG" "$(printf 'p%.0s' $(seq 256))"
refused 100 usage "-p in this mode" "$CGI" -p 8.2 "$AU" "$AG" probe
refused 100 usage "absolute third argument with ARGS" "$CGI" "$AU" "$AG" "$CGI/probe" x
refused 100 usage "uid -1" "$CGI" -1 "$AG" probe
refused 100 usage "gid 1x" "$CGI" "$AU" 1x probe

# --- docroot: the working directory ------------------------------------------------------
refused 105 docroot "cwd /tmp" /tmp "$AU" "$AG" probe
refused 105 docroot "cwd $RUNDIR" "$RUNDIR" "$AU" "$AG" probe
refused 105 docroot "cwd DOCROOT itself" "$DOCROOT" "$AU" "$AG" probe
mkd "$BK" $A:$A 0755
put_probe "$BK"
refused 105 docroot "cwd in $TESTROOT/www_backup/alice (prefix of DOCROOT, not inside)" "$BK" "$AU" "$AG" probe
for m in 0775:group-writable 0777:world-writable 0757:other-writable 1777:sticky,world-writable; do
    d=$T/mode${m%%:*}
    mkd "$d" $A:$A "${m%%:*}"
    put_probe "$d"
    refused 105 docroot "cwd ${m#*:} (${m%%:*})" "$d" "$AU" "$AG" probe
done
GS=$T/gshared
mkd "$GS" "$A:fsxshared" 0755
put_probe "$GS"
refused 105 docroot "cwd owned by $A, group fsxshared, GID fsxalice" "$GS" "$AU" "$AG" probe
refused 105 docroot "cwd of group fsxalice, GID fsxshared" "$CGI" "$AU" "$SHARED" probe
RD=$T/rootdir
mkd "$RD" root:root 0755
put_probe "$RD"
refused 105 docroot "cwd owned by root" "$RD" "$AU" "$AG" probe
mkd "$BT" $B:$B 0755
put_probe "$BT"
refused 105 docroot "cwd in bob's site (owned by bob)" "$BT" "$AU" "$AG" probe
mkd "$T/gw" $A:$A 0775
mkd "$T/gw/cgi" $A:$A 0755
put_probe "$T/gw/cgi"
refused 105 docroot "group-writable ancestor" "$T/gw/cgi" "$AU" "$AG" probe
mkd "$T/bobs" $B:$B 0755
mkd "$T/bobs/cgi" $A:$A 0755
put_probe "$T/bobs/cgi"
refused 105 docroot "ancestor owned by bob" "$T/bobs/cgi" "$AU" "$AG" probe

# renamed after the cd: getcwd gives the new path, which decides
mkd "$T/mv" $A:$A 0755
mkd "$T/mv/cgi" $A:$A 0755
put_probe "$T/mv/cgi"
cd "$T/mv/cgi" || bail "cd $T/mv/cgi"
mv "$T/mv" "$T/mv2"
launch "$AU" "$AG" probe
is "$rc/$(field ran)/$(field cwd)" "0/1/$T/mv2/cgi" "cwd renamed within the site after the cd: allowed, at its new path"
mv "$T/mv2" "$BK/mv3"
launch "$AU" "$AG" probe
is "$rc" 105 "cwd moved out of DOCROOT (into www_backup) after the cd: exit 105"
like "$err" "^fcgi-suexec: docroot: [^$nl]*$BK/mv3/cgi[^$nl]*\$" "moved out: one 'docroot' line naming the new path"
is "$out" "" "moved out: nothing ran"
cd "$HERE" || bail "cd back"
# deleted after the cd: no path at all
mkd "$T/gone" $A:$A 0755
put_probe "$T/gone"
cd "$T/gone" || bail "cd $T/gone"
rm -rf "$T/gone"
launch "$AU" "$AG" probe
cd "$HERE" || bail "cd back"
is "$rc" 105 "cwd deleted after the cd: exit 105"
like "$err" "^fcgi-suexec: docroot: [^$nl]+\$" "deleted: one 'docroot' line"
is "$out" "" "deleted: nothing ran"

# The walk from "/" must reach the very directory the process is in: here
# another directory is bind-mounted over the cwd after the cd (in a private
# mount namespace), so getcwd names a path whose walk ends elsewhere.
mkd "$T/over" $A:$A 0755
put_probe "$T/over"
sock=$RUNDIR/sock/t45-moved.$$
tmp=$(mktemp -d) || bail "mktemp"
# shellcheck disable=SC2016 # expanded by the inner shell
timeout 10 unshare -m --propagation private -- /bin/sh -c \
    'cd "$1" && mount --bind "$2" "$1" && shift 2 && exec "$@"' sh "$CGI" "$T/over" \
    setpriv --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- \
    "$FDSOCK" --env-clear unix "$sock" -- "$BIN" "$AU" "$AG" probe </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
rm -rf "$tmp" "$sock"
is "$rc" 105 "another directory mounted over the cwd: exit 105"
like "$err" "^fcgi-suexec: docroot: [^$nl]*moved[^$nl]*\$" "mounted over: one 'docroot' line, 'moved'"
is "$out" "" "mounted over: nothing ran"
is "$(findmnt -n -o TARGET --mountpoint "$CGI" 2>/dev/null)" "" "mounted over: no mount left outside the private namespace"

# --- command ---------------------------------------------------------------------------
C=$T/cmd
mkd "$C" $A:$A 0755
put_probe "$C"
allowed "the good command in $C" "$C" "$AU" "$AG" probe
ln -s probe "$C/link-rel"
ln -s "$C/probe" "$C/link-abs"
chown -h $A:$A "$C/link-rel" "$C/link-abs"
refused 106 command "COMMAND a symlink (relative)" "$C" "$AU" "$AG" link-rel
refused 106 command "COMMAND a symlink (absolute)" "$C" "$AU" "$AG" link-abs
put_probe "$C" root:root 0755 p-root
refused 106 command "COMMAND owned by root" "$C" "$AU" "$AG" p-root
put_probe "$C" $B:$B 0755 p-bob
refused 106 command "COMMAND owned by bob" "$C" "$AU" "$AG" p-bob
put_probe "$C" $A:$B 0755 p-gbob
refused 106 command "COMMAND owned by $A, group fsxbob" "$C" "$AU" "$AG" p-gbob
put_probe "$C" "$A:fsxshared" 0755 p-gshared
refused 106 command "COMMAND of group fsxshared, GID fsxalice" "$C" "$AU" "$AG" p-gshared
put_probe "$C" $A:$A 0775 p-gw
refused 106 command "COMMAND group-writable" "$C" "$AU" "$AG" p-gw
put_probe "$C" $A:$A 0777 p-ww
refused 106 command "COMMAND world-writable" "$C" "$AU" "$AG" p-ww
put_probe "$C" $A:$A 0757 p-ow
refused 106 command "COMMAND other-writable" "$C" "$AU" "$AG" p-ow
put_probe "$C" $A:$A 4755 p-suid
refused 106 command "COMMAND setuid" "$C" "$AU" "$AG" p-suid
put_probe "$C" $A:$A 2755 p-sgid
refused 106 command "COMMAND setgid" "$C" "$AU" "$AG" p-sgid
put_probe "$C" $A:$A 0644 p-noexec
refused 106 command "COMMAND not executable" "$C" "$AU" "$AG" p-noexec
put_probe "$C" $A:$A 0655 p-gxonly
refused 106 command "COMMAND executable by group and others, not by its owner" "$C" "$AU" "$AG" p-gxonly
mkd "$C/p-dir" $A:$A 0755
refused 106 command "COMMAND a directory" "$C" "$AU" "$AG" p-dir
mkfifo "$C/p-fifo"
chown $A:$A "$C/p-fifo"
refused 106 command "COMMAND a fifo" "$C" "$AU" "$AG" p-fifo
refused 106 command "COMMAND missing" "$C" "$AU" "$AG" p-missing

# --- socket -----------------------------------------------------------------------------
SOCK=closed refused 107 socket "fd 0 closed" "$CGI" "$AU" "$AG" probe
SOCK=null refused 107 socket "fd 0 /dev/null" "$CGI" "$AU" "$AG" probe
SOCK=connected refused 107 socket "fd 0 a connected socket" "$CGI" "$AU" "$AG" probe
SOCK=dgram refused 107 socket "fd 0 a datagram socket" "$CGI" "$AU" "$AG" probe

# --- landlock ----------------------------------------------------------------------------
LBIN=$LLREQ refused 109 landlock "kernel below LANDLOCK_ABI_MIN" "$CGI" "$AU" "$AG" probe

# --- order of the checks ---------------------------------------------------------------------
refused 100 usage "bad COMMAND and bad user: usage first" "$CGI" 0 "$AG" ../probe
AS=fsxcaller LBIN=$BIN_OPEN refused 102 caller "bad caller and bad user: caller first" "$CGI" 0 "$AG" probe
refused 103 user "bad user and bad group: user first" "$CGI" 0 0 probe
refused 104 group "bad group and bad cwd: group first" /tmp "$AU" "$BG" probe
refused 105 docroot "bad cwd and missing command: docroot first" /tmp "$AU" "$AG" p-missing
SOCK=null refused 106 command "bad command and bad socket: command first" "$C" "$AU" "$AG" p-ww
LBIN=$LLREQ SOCK=null refused 107 socket "bad socket and no Landlock: socket first" "$CGI" "$AU" "$AG" probe

done_testing
