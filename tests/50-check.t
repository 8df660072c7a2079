#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2016 # single-quoted code is run by bash -c and perl
# fcgi-suexec --check: the checks of a launch, run with the caller's ids, one
# report line each ("NAME: pass[: NOTE]", the first failure "NAME: fail:
# REASON"), the exit code a launch would have, and nothing run or created.
#
# The refusals of tests/10-refusals.t (at least one per check and exit code)
# are replayed twice: as a launch and as --check with the same caller, binary
# and fd 0; both must exit alike, name the same check with the same reason,
# and the report must list the checks in their order up to the failing one.
#
# Shared fixture: what this test makes is named t50-*/t50.PID and removed on
# exit (a site of fsxcaller's, whom no other test uses as a target, and
# fsxcaller's private temp); no fixture path changes owner or mode. The 0700
# home is a bind mount in a private mount namespace, invisible outside.
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice C=fsxcaller
W=$DOCROOT/alice
CS=$DOCROOT/t50-caller                    # fsxcaller's site, made here
CTMP=$TESTROOT/tmp/$C                     # fsxcaller's private temp
CGI=$CS/cgi                               # an Apache-mode CGI directory in it
LLREQ=$TESTROOT/sbin/fcgi-suexec-llreq
LLOPT=$TESTROOT/sbin/fcgi-suexec-llopt
HOMETMP=
ORDER="usage setuid caller user account group docroot interpreter socket landlock limits tmpdir world"
APPLIED=$("$BIN" -V | sed -n 's/^LANDLOCK_APPLIED=//p')

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    cd / || true
    rm -rf "$CS" "$CTMP"
    [ -n "$HOMETMP" ] && rm -rf "$HOMETMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cleanup
if ! [ -u "$LLREQ" ] || ! [ -u "$LLOPT" ]; then
    bail "fixture missing: $LLREQ or $LLOPT (run tests/fixture.sh up)"
fi
command -v script >/dev/null || bail "script (util-linux) is needed for the terminal case"

install -d -o $C -g $C -m 0755 "$CS" "$CGI"
printf '#!/bin/sh\necho ran=1\n' >"$CGI/run.cgi"
chown $C:$C "$CGI/run.cgi" && chmod 0755 "$CGI/run.cgi"

# names: the check names of the report in $out, space-separated
names() { sed -n 's/^\([a-z]*\): .*/\1/p' <<<"$out" | tr '\n' ' ' | sed 's/ $//'; }
# order_to CHECK: the names of ORDER up to CHECK (the Apache mode checks
# the command where the native mode checks the interpreter)
order_to() {
    local o=" $ORDER "
    [ "$1" = command ] && o=${o/ interpreter / command }
    o=${o%% "$1" *}
    echo "${o# } $1" | sed 's/^ //'
}

# agree CODE CHECK NAME ARGS...: ARGS launched, then --check ARGS (AS, LBIN,
# SOCK, FDOPTS apply to both)
agree() {
    local code=$1 check=$2 name=$3 lrc lerr lout cline
    shift 3
    launch "$@"
    lrc=$rc lerr=$err lout=$out
    launch --check "$@"
    is "$lrc" "$code" "$name: the launch exits $code"
    is "$rc" "$lrc" "$name: --check exits as the launch"
    cline=${out##*"$nl"}
    is "fcgi-suexec: ${cline/: fail: /: }" "$lerr" \
        "$name: --check's last line is '$check: fail: ...', the launch's reason"
    is "$(names)" "$(order_to "$check")" "$name: the report lists the checks in order, up to $check"
    is "$err|$(grep -c 'ran=1' <<<"$lout$nl$out")" "|0" "$name: --check wrote nothing on stderr; nothing ran"
}

# --- usage -------------------------------------------------------------------
agree 100 usage "no arguments"
agree 100 usage "one argument" $A
agree 100 usage "four arguments" $A $A "$W" extra
agree 100 usage "-p without a version" -p
agree 100 usage "-p 8.2.1" -p 8.2.1 $A $A "$W"
agree 100 usage "uid -1" -1 $A "$W"
agree 100 usage "uid 4294967296" 4294967296 $A "$W"
agree 100 usage "uid 1x" 1x $A "$W"
agree 100 usage "empty user" "" $A "$W"
agree 100 usage "10000-char docroot" $A $A "$W/$(printf 'a%.0s' $(seq 10000))"
agree 100 usage "relative docroot: Apache form, bad COMMAND" $A $A www/alice
agree 100 usage "docroot with .." $A $A "$DOCROOT/bob/../alice"
agree 100 usage "docroot with a trailing slash" $A $A "$W/"
agree 100 usage "docroot ':' splitting open_basedir" $A $A "$W:$TESTROOT"
agree 100 usage "user with a newline" "al${nl}ice" $A "$W"

# --- setuid: the copy that is not setuid --------------------------------------
LBIN=$BIN_NOSUID agree 101 setuid "not setuid, run by fsxweb" $A $A "$W"
AS=fsxcaller LBIN=$BIN_NOSUID agree 101 setuid "not setuid, run by fsxcaller" $A $A "$W"

# --- caller ------------------------------------------------------------------
AS=fsxcaller LBIN=$BIN_OPEN agree 102 caller "caller fsxcaller" $A $A "$W"
AS=fsxalice LBIN=$BIN_OPEN agree 102 caller "caller fsxalice (the target itself)" $A $A "$W"

# --- user --------------------------------------------------------------------
agree 103 user "user root" root $A "$W"
agree 103 user "uid 0" 0 $A "$W"
agree 103 user "low user fsxlow" fsxlow $A "$W"
agree 103 user "unknown user" fsxnosuchuser $A "$W"
agree 103 user "the httpd user" fsxweb fsxweb "$W"

# --- group -------------------------------------------------------------------
agree 104 group "group of another user" $A fsxbob "$W"
agree 104 group "gid 0" $A 0 "$W"
agree 104 group "low group fsxlowg" $A fsxlowg "$W"
agree 104 group "unknown group" $A fsxnosuchgroup "$W"

# --- docroot -----------------------------------------------------------------
agree 105 docroot "docroot /etc" $A $A /etc
agree 105 docroot "docroot /" $A $A /
agree 105 docroot "www_backup is not inside www (prefix trick)" $A $A "$TESTROOT/www_backup/alice"
agree 105 docroot "DOCROOT itself" $A $A "$DOCROOT"
agree 105 docroot "symlink docroot" $A $A "$DOCROOT/link"
agree 105 docroot "symlinked ancestor" $A $A "$DOCROOT/linknest/site"
agree 105 docroot "world-writable docroot" $A $A "$DOCROOT/alice-ww"
agree 105 docroot "group-writable docroot" $A $A "$DOCROOT/alice-gw"
agree 105 docroot "root-owned docroot" $A $A "$DOCROOT/rootowned"
agree 105 docroot "docroot owned by bob" $A $A "$DOCROOT/bob"
agree 105 docroot "docroot not a directory" $A $A "$DOCROOT/notdir"
agree 105 docroot "missing docroot" $A $A "$DOCROOT/missing"
agree 105 docroot "group-writable ancestor" $A $A "$DOCROOT/gwnest/site"
agree 105 docroot "ancestor owned by bob" $A $A "$DOCROOT/bobnest/alice"
agree 105 docroot "bob's userdir for alice" $A $A "$TESTROOT/home/fsxbob/public_html"

# --- interpreter -------------------------------------------------------------
agree 106 interpreter "-p 9.1: not owned by root" -p 9.1 $A $A "$W"
agree 106 interpreter "-p 9.2: world-writable" -p 9.2 $A $A "$W"
agree 106 interpreter "-p 9.3: setuid" -p 9.3 $A $A "$W"
agree 106 interpreter "-p 9.4: a directory" -p 9.4 $A $A "$W"
agree 106 interpreter "-p 9.5: symlink into a user's directory" -p 9.5 $A $A "$W"
agree 106 interpreter "-p 9.6: not executable" -p 9.6 $A $A "$W"
agree 106 interpreter "-p 9.8: setgid" -p 9.8 $A $A "$W"
agree 106 interpreter "-p 9.9: missing" -p 9.9 $A $A "$W"

# --- socket ------------------------------------------------------------------
# fd 0 not a socket at all: a launch refuses (107); --check notes it and goes
# on (below, "fd 0 not a socket")
SOCK=connected agree 107 socket "fd 0 a connected socket" $A $A "$W"
SOCK=dgram agree 107 socket "fd 0 a datagram socket" $A $A "$W"

# --- landlock: a build that wants ABI 99 -------------------------------------
LBIN=$LLREQ agree 109 landlock "Landlock ABI below the build's minimum" $A $A "$W"

# --- tmpdir: fsxcaller's private temp, made bad here ---------------------------
install -d -o $C -g $C -m 0777 "$CTMP"
agree 108 tmpdir "private temp mode 0777" $C $C "$CS"
rm -rf "$CTMP"
install -d -o root -g root -m 0700 "$CTMP"
: >"$CTMP/left"
launch $C $C "$CS"
is "$rc|$err" "108|fcgi-suexec: tmpdir: $CTMP: must be a directory owned by $C and not writable by group or others" \
    "private temp owned by root, not empty: the launch refuses it (108), exact reason"
launch --check $C $C "$CS"
like "$rc|$out" "^0\|.*${nl}tmpdir: pass: owned by root: a launch makes it anew if it is empty${nl}world: pass: [^$nl]*${nl}result: " \
    "private temp owned by root: --check cannot look inside and says so"
rm -f "$CTMP/left"
launch $C $C "$CS"
is "$rc|$(stat -c %U:%a "$CTMP")" "0|$C:700" \
    "private temp owned by root and empty (a launcher killed half-way): the launch makes it anew"
rm -rf "$CTMP"
ln -s "$TESTROOT/tmp/$A" "$CTMP"
agree 108 tmpdir "private temp a symlink to alice's" $C $C "$CS"
rm -f "$CTMP"

# --- order: the first failing check is the one reported -------------------------
SOCK=null agree 103 user "bad socket and bad user: user first" fsxnosuchuser $A "$W"
AS=fsxcaller LBIN=$BIN_OPEN agree 102 caller "bad caller and bad user: caller first" root $A "$W"
agree 104 group "bad group and bad docroot: group first" $A fsxbob /etc
SOCK=null agree 106 interpreter "bad interpreter and bad socket: interpreter first" -p 9.9 $A $A "$W"
SOCK=connected LBIN=$LLREQ agree 107 socket "bad socket, no Landlock: socket first" $A $A "$W"

# --- Apache form: --check UID GID COMMAND, from the command's directory -------
cd "$CGI" || bail "cannot cd $CGI"
SOCK=pipe agree 106 command "Apache form: missing command" "$(id -u $C)" "$(id -g $C)" nosuch.cgi
SOCK=pipe agree 105 docroot "Apache form: ~UID outside the userdir" "~$(id -u $C)" "$(id -g $C)" run.cgi
SOCK=pipe launch --check "$(id -u $C)" "$(id -g $C)" run.cgi
is "$rc" 0 "Apache form: --check of a good command exits 0"
like "$out" "(^|$nl)docroot: pass: $CGI$nl" "Apache form: the report names the working directory"
like "$out" "(^|$nl)command: pass$nl" "Apache form: a command line, no interpreter line"
like "$out" "${nl}result: a launch would be allowed\$" "Apache form: the result line last"
unlike "$out" "ran=1" "Apache form: --check ran nothing"
[ ! -e "$CTMP" ]
is "$?" 0 "Apache form: --check made no private temp"
cd / || bail "cannot cd /"

# --- a good site: nothing runs, nothing is made ----------------------------------
[ ! -e "$CTMP" ] || bail "$CTMP should not exist yet"
launch --check $C $C "$CS"
is "$rc" 0 "good site: --check exits 0"
is "$(names)" "$ORDER result" "good site: every check, in order, then the result"
like "$out" "${nl}result: a launch would be allowed\$" "good site: the report ends with the result line"
like "$out" "(^|$nl)tmpdir: pass: missing: a launch creates it$nl" "good site: a missing private temp is reported"
like "$out" "(^|$nl)landlock: pass: $APPLIED$nl" "good site: the Landlock rights a launch applies"
like "$out" "(^|$nl)interpreter: pass: $TESTROOT/bin/php-cgi$nl" "good site: the interpreter"
unlike "$out" "ran=1" "good site: the probe did not run"
is "$err" "" "good site: nothing on stderr"
[ ! -e "$CTMP" ] && [ ! -L "$CTMP" ]
is "$?" 0 "good site: --check did not create the private temp"
launch --check "$(id -u $C)" "$(id -g $C)" "$CS"
is "$rc|${out##*"$nl"}" "0|result: a launch would be allowed" "good site, numeric ids: allowed"
AS=root launch --check $C $C "$CS"
is "$rc|${out##*"$nl"}" "0|result: a launch would be allowed" "good site, root caller: allowed"
launch --check -p 9.0 $C $C "$CS"
like "$out" "(^|$nl)interpreter: pass: $TESTROOT/bin/php-cgi9.0$nl" "good site, -p 9.0: that interpreter"
[ ! -e "$CTMP" ]
is "$?" 0 "good site: still no private temp after four --check runs"
launch $C $C "$CS"
is "$rc|$(field ran)" "0|1" "good site: a launch is allowed and runs the probe"
is "$(stat -c %U:%a "$CTMP" 2>&1)" "$C:700" "good site: the launch made the private temp"
launch --check $C $C "$CS"
like "$out" "(^|$nl)tmpdir: pass$nl" "good site: --check with the private temp present: plain pass"

# fd 0 not a socket (a shell's terminal, cron's /dev/null, ansible's pipe, closed):
# --check checks everything but the socket and says what a launch needs there
NOSOCK="socket: pass: not checked: fd 0 is not a socket here (a launch needs the worker's listening socket on fd 0)"
tty_out=$(cd / && timeout 10 script -qec "$BIN --check $C $C $CS" /dev/null </dev/null 2>&1 | tr -d '\r')
is "$(grep '^socket:' <<<"$tty_out")" "$NOSOCK" "terminal on fd 0: the socket check passes with a note"
like "$tty_out" "${nl}result: a launch would be allowed$nl?\$" "terminal on fd 0: allowed"
for mode in null pipe closed; do
    SOCK=$mode launch $C $C "$CS"
    is "$rc|$err|$(grep -c 'ran=1' <<<"$out")" \
        "107|fcgi-suexec: socket: fd 0 is not a socket: Socket operation on non-socket|0" \
        "fd 0 $mode: a launch is refused (107), nothing ran"
    SOCK=$mode launch --check $C $C "$CS"
    is "$rc|$(grep '^socket:' <<<"$out")|${out##*"$nl"}|$err" \
        "0|$NOSOCK|result: a launch would be allowed|" \
        "fd 0 $mode: --check passes the socket check with the note, and allows"
done
SOCK=connected launch --check $C $C "$CS"
is "$rc|${out##*"$nl"}" "107|socket: fail: fd 0 is not a listening stream socket (unix, inet or inet6)" \
    "fd 0 a socket that does not listen: --check still checks it, and fails"

# --- a Landlock-optional build on this kernel: --check still reports the check --
LBIN=$LLOPT launch --check $A $A "$W"
is "$rc" 0 "LANDLOCK=optional build: --check exits 0 (a launch warns and runs)"
like "$out" "(^|$nl)socket: pass$nl(landlock: [^$nl]+$nl)limits: [^$nl]+${nl}tmpdir: " \
    "LANDLOCK=optional build: one landlock line, between socket and limits"
is "$err" "" "LANDLOCK=optional build: --check writes nothing on stderr (no worker starts)"

# --- the caller's view: a docroot under a 0700 home fsxweb cannot traverse ------
# bob's home is replaced, in a private mount namespace only, by a 0700 copy.
HOMETMP=$(mktemp -d) || bail "mktemp failed"
install -d -o fsxbob -g fsxbob -m 0700 "$HOMETMP/home"
install -d -o fsxbob -g fsxbob -m 0755 "$HOMETMP/home/public_html"
# in_ns AS CMD...: CMD as AS, with $HOMETMP/home mounted on bob's home
in_ns() {
    local as=$1; shift
    timeout 10 unshare -m --propagation private -- bash -c '
        mount --bind "$1" "$2" || exit 98
        shift 2
        exec setpriv --reuid "$1" --regid "$(id -g "$1")" --init-groups -- "${@:2}"
    ' _ "$HOMETMP/home" "$TESTROOT/home/fsxbob" "$as" \
        "$FDSOCK" --env-clear abstract "t50.$$" -- "$@" </dev/null
}
UDB=$TESTROOT/home/fsxbob/public_html
out=$(in_ns fsxweb "$BIN" --check fsxbob fsxbob "$UDB" 2>/dev/null)
rc=$?
is "$rc" 105 "0700 home: --check as fsxweb exits 105"
like "$out" "(^|$nl)docroot: fail: $UDB: Permission denied\$" "0700 home: the report says fsxweb cannot get in"
out=$(in_ns fsxweb "$BIN" fsxbob fsxbob "$UDB" 2>&1)
rc=$?
is "$rc/$(field ran)" "0/1" "0700 home: a launch (as root) gets in: --check shows the caller's view"
is "$(stat -c %a "$TESTROOT/home/fsxbob")" 755 "0700 home: bob's real home untouched"

# --- what --check can and cannot see: groups dropped, accounts ------------------
launch --check $A $A "$W"
DROP=$(getent group | awk -F: -v u=$A '$1 != "fsxsiteg" && ("," $4 ",") ~ ("," u ",") { print $1 }' | paste -sd, -)
like "$out" "(^|$nl)group: pass: dropped $DROP$nl" "--check names the groups the worker drops ($DROP)"
like "$out" "(^|$nl)account: pass: unknown: only root can read /etc/shadow$nl" \
    "--check as fsxweb: the account's expiry is unknown (/etc/shadow is root's)"
AS=root launch --check $A $A "$W"
like "$out" "(^|$nl)account: pass$nl" "--check as root reads /etc/shadow: account passes"
launch --check fsxexp fsxexp "$DOCROOT/exp"
like "$rc|$out" "^0\\|.*(^|$nl)account: pass: unknown: " "expired account, --check as fsxweb: unknown, not refused"
AS=root agree 103 account "expired account, as root" fsxexp fsxexp "$DOCROOT/exp"

done_testing
