#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok)
# 75-demo.t - the demo (examples/demo) as a person meets it (issue 13): run
# examples/demo/demo.sh start on a free port (FSXDEMO_PORT, 18760-18779),
# load its index and both site pages in headless Chromium (Debian's
# chromium, as root --no-sandbox) and read, from the rendered DOM, what each
# page's worker reported about itself: its own user and uid (not the other
# site's), NoNewPrivs 1, seccomp mode 2, no capabilities, a Landlock domain,
# and every one of its six attempts blocked. The page is the same worker
# spawn-fcgi started (its pid, from demo.sh status).
#
# Negative controls, so that "blocked" is the confinement's and can fail:
# outside the launcher, fsxdemo-alice reads bob's secret.php, lists his
# docroot and appends to his guestbook.txt (their modes allow it); and the
# very same page, run by a plain php-cgi as fsxdemo-alice (no launcher) and
# loaded in Chromium the same way, reports each attempt ALLOWED and no
# Landlock domain.
#
# Then demo.sh remove (twice: idempotent) must leave no user, group,
# docroot, state, private temp, world pin or launcher of the demo. Last, the
# machine is put back as it was found: a demo that was running runs again on
# its port; demo users that existed are made again with their uids and
# gids, and the demo installed and stopped; a launcher installed before is
# put back as it was (copied aside first). The demo's files and directories
# are compared, before and after.
#
# The demo needs no fixture (it installs its own launcher and users), so
# this file takes lib.sh's TAP helpers without lib.sh's fixture
# preconditions, and also runs alone: prove -v tests/75-demo.t (as root,
# after make). Chromium reaches only 127.0.0.1 and a file of this test.
set -u
LIB_NO_FIXTURE=1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"   # port_busy

DEMO=$REPO/examples/demo/demo.sh
PREFIX=/usr/local
LAUNCHER=$PREFIX/sbin/fcgi-suexec
INSTALLED=("$LAUNCHER" "$PREFIX/share/man/man8/fcgi-suexec.8"
           "$PREFIX/libexec/fcgi-suexec/audit" "$PREFIX/libexec/fcgi-suexec/status")
SITES=(alice bob)
ATTEMPTS=(read-other list-other write-other listen see-procs run-written)
STATE=/run/fsxdemo

WORK=$(mktemp -d /tmp/fsx-75-demo.XXXXXX) || bail "mktemp failed"
chmod 0755 "$WORK"

# --- helpers ------------------------------------------------------------------

# attr HTML ID NAME: the value of attribute NAME of the element with id="ID"
attr() {
    grep -o "<[^>]* id=\"$2\"[^>]*>" <<<"$1" | head -n 1 | sed -n "s/.* $3=\"\([^\"]*\)\".*/\1/p"
}

# chrome ARGS...: headless Chromium as root, at most 60 s; no profile, cache or
# fontconfig of root's touched (HOME and the profile are in WORK); nothing
# resolved but 127.0.0.1 and nothing fetched in the background
chrome() {
    HOME=$WORK/home timeout -k 5 60 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$WORK/profile" --no-first-run --no-default-browser-check \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --disable-default-apps --no-pings \
        --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
        "$@" 2>>"$WORK/chromium.err"
}

other() { if [ "$1" = alice ]; then echo bob; else echo alice; fi; }

# dom URL: the DOM Chromium rendered from URL, into $dom; a test of its own
dom=''
load() {
    dom=$(chrome --dump-dom "$1")
    local st=$?
    ok "Chromium renders $1" test -n "$dom"
    [ "$st" = 0 ] || diag "chromium exit $st; its stderr: $(tail -n 5 "$WORK/chromium.err")"
}

# the demo's footprint: each of its paths that exists, its type, mode and
# owner (by name), and its users and groups (by name, uid, gid)
footprint() {
    local u p
    for u in "${SITES[@]/#/fsxdemo-}"; do
        getent passwd "$u" | cut -d: -f1,3,4,6,7
        getent group "$u" | cut -d: -f1,3
        for p in "/var/www/$u" "/var/www/$u/index.php" "/var/www/$u/secret.php" \
                 "/var/www/$u/guestbook.txt" "$TMP_BASE/$u"; do
            [ -e "$p" ] && stat -c '%n %F %a %U:%G' "$p"
        done
    done
    for p in "$STATE" "${INSTALLED[@]}" "$PREFIX/libexec/fcgi-suexec" "$TMP_BASE"; do
        [ -e "$p" ] && stat -c '%n %F %a %U:%G' "$p"
    done
}

# --- preconditions: fail, never opt out -------------------------------------

need "chromium is installed (Debian package chromium)" eval "command -v chromium >/dev/null"
need "curl is installed" eval "command -v curl >/dev/null"
need "php-cgi is installed" test -x /usr/bin/php-cgi
need "runuser and timeout are installed" eval "command -v runuser >/dev/null && command -v timeout >/dev/null"
need "the demo script is there" test -x "$DEMO"
needs_met

# --- the machine as found -------------------------------------------------------

TMP_BASE=/var/lib/fcgi-suexec/tmp       # the build's default; the installed one's if any
if [ -x "$LAUNCHER" ]; then
    t=$("$LAUNCHER" -V 2>/dev/null | sed -n 's/^TMP_BASE=//p')
    [ -n "$t" ] && TMP_BASE=$t
fi
was_port=''
[[ $("$DEMO" status 2>&1) =~ nginx\ running\ \(pid\ [0-9]+\)\ on\ 127\.0\.0\.1:([0-9]+) ]] \
    && was_port=${BASH_REMATCH[1]}
declare -A had_pw=() had_gr=()
for s in "${SITES[@]}"; do
    had_pw[$s]=$(getent passwd "fsxdemo-$s")
    had_gr[$s]=$(getent group "fsxdemo-$s")
done
had_launcher=0
if [ -e "$LAUNCHER" ]; then                # put aside, to be put back as it was
    had_launcher=1
    for f in "${INSTALLED[@]}"; do
        [ -e "$f" ] && install -d "$WORK/installed$(dirname "$f")" && cp -a "$f" "$WORK/installed$f"
    done
fi
had_tmp_base=0
[ -d "$TMP_BASE" ] && had_tmp_base=1
found=$(footprint)
diag "found: demo running on port '${was_port:-none}'; users fsxdemo-alice '${had_pw[alice]}', fsxdemo-bob '${had_pw[bob]}'; launcher installed: $had_launcher"

# restore: the machine as found (once, if the demo was touched; also on an early exit)
touched=0 restored=0
restore() {
    local s pw gr f
    [ "$touched" = 1 ] && [ "$restored" = 0 ] || return 0
    restored=1
    "$DEMO" remove >"$WORK/restore.out" 2>&1 || diag "restore: demo.sh remove failed: $(tail -n 3 "$WORK/restore.out")"
    for s in "${SITES[@]}"; do
        pw=${had_pw[$s]} gr=${had_gr[$s]}
        [ -n "$gr" ] && groupadd -g "$(cut -d: -f3 <<<"$gr")" "fsxdemo-$s"
        [ -n "$pw" ] && useradd -u "$(cut -d: -f3 <<<"$pw")" -g "$(cut -d: -f4 <<<"$pw")" -M \
            -d "$(cut -d: -f6 <<<"$pw")" -s "$(cut -d: -f7 <<<"$pw")" "fsxdemo-$s"
    done
    if [ -n "$was_port" ]; then
        FSXDEMO_PORT=$was_port timeout 300 "$DEMO" start >>"$WORK/restore.out" 2>&1 ||
            diag "restore: demo.sh start on $was_port failed: $(tail -n 5 "$WORK/restore.out")"
    elif [ -n "${had_pw[alice]}${had_pw[bob]}" ]; then
        # installed and stopped, as found (start needs a free port: ours)
        { FSXDEMO_PORT=${PORT:-18760} timeout 300 "$DEMO" start && "$DEMO" stop; } >>"$WORK/restore.out" 2>&1 ||
            diag "restore: demo.sh start/stop failed: $(tail -n 5 "$WORK/restore.out")"
    fi
    if [ "$had_launcher" = 1 ]; then
        for f in "${INSTALLED[@]}"; do
            [ -e "$WORK/installed$f" ] || continue
            { install -d "$(dirname "$f")" && cp -a "$WORK/installed$f" "$f"; } || diag "restore: $f could not be put back"
        done
    elif [ -e "$LAUNCHER" ]; then
        make -s -C "$REPO" uninstall PREFIX="$PREFIX" >/dev/null
    fi
    [ "$had_tmp_base" = 1 ] && [ ! -d "$TMP_BASE" ] && install -d -m 0711 -o root -g root "$TMP_BASE"
    return 0
}
cleanup() { restore; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- start ----------------------------------------------------------------------

PORT=''
for p in $(seq 18760 18779); do
    port_busy "$p" || { PORT=$p; break; }
done
ok "a free port in 18760-18779 (${PORT:-none})" test -n "$PORT"
[ -n "$PORT" ] || done_testing

touched=1
FSXDEMO_PORT=$PORT timeout 300 "$DEMO" start >"$WORK/start.out" 2>&1
rc=$?
start_out=$(cat "$WORK/start.out")
is "$rc" 0 "demo.sh start on 127.0.0.1:$PORT exits 0"
[ "$rc" = 0 ] || { diag "$(tail -n 20 <<<"$start_out")"; done_testing; }
like "$start_out" "demo: installing a SETUID-ROOT program: $LAUNCHER \(mode 4750, owner root, group www-data[^)]*\); remove it and the demo with: [^ ]*demo.sh remove" \
    "start says, before it, that it installs a setuid-root program: where, mode, owner, how to remove it"
notice=$(grep -n 'SETUID-ROOT' <<<"$start_out" | cut -d: -f1)
installing=$(grep -n 'install -m 0755 .*fcgi-suexec' <<<"$start_out" | head -n 1 | cut -d: -f1)
ok "the notice comes before make install (line ${notice:-?} < ${installing:-?})" \
    test "${notice:-9999}" -lt "${installing:-0}"
is "$(stat -c '%a %U:%G' "$LAUNCHER" 2>&1)" "4750 root:www-data" "and that is what was installed"
like "$start_out" "open http://127\.0\.0\.1:$PORT/ in a browser" "start prints the URL to open"
status=$("$DEMO" status 2>&1)
like "$status" "nginx running \(pid [0-9]+\) on 127\.0\.0\.1:$PORT" "demo.sh status names the port"

# --- the pages, as Chromium renders them -------------------------------------------

load "http://127.0.0.1:$PORT/"
index_dom=$dom
like "$(grep -o '<title>[^<]*</title>' <<<"$index_dom")" "fcgi-suexec demo" "the index page is the demo's"
declare -A href=()
for s in "${SITES[@]}"; do
    href[$s]=$(attr "$index_dom" "site-$s" href)
    is "${href[$s]}" "/$s/" "the index links $s's site"
done

declare -A page_uid=()
for s in "${SITES[@]}"; do
    u=fsxdemo-$s
    uid=$(id -u "$u")
    other_uid=$(id -u "fsxdemo-$(other "$s")")
    load "http://127.0.0.1:$PORT${href[$s]:-/$s/}"
    page_uid[$s]=$(attr "$dom" uid data-value)
    is "$(attr "$dom" user data-value)" "$u" "$s: the page reports its worker's user, $u"
    is "${page_uid[$s]}" "$uid" "$s: and its uid, $uid (id -u $u)"
    ok "$s: not the other site's uid ($other_uid)" test "${page_uid[$s]}" != "$other_uid"
    is "$(attr "$dom" gid data-value)" "$(id -g "$u")" "$s: its gid, $u's"
    [[ $status =~ $s\ worker\ running\ \(pid\ ([0-9]+), ]] && wpid=${BASH_REMATCH[1]} || wpid=none
    is "$(attr "$dom" pid data-value)" "$wpid" "$s: made by the worker spawn-fcgi started (demo.sh status: pid $wpid)"
    is "$(attr "$dom" nonewprivs data-value)" 1 "$s: NoNewPrivs 1"
    is "$(attr "$dom" seccomp-mode data-value)" 2 "$s: seccomp mode 2 (filter)"
    like "$(attr "$dom" seccomp-mode data-filters)" '^[1-9][0-9]*$' "$s: at least one seccomp filter"
    is "$(attr "$dom" caps data-value)" none "$s: no capabilities (CapInh, CapPrm, CapEff, CapBnd, CapAmb all 0)"
    is "$(attr "$dom" landlock data-domain)" yes "$s: a Landlock domain, inferred from refusals the file modes do not explain"
    like "$(attr "$dom" landlock-abi data-abi-min)" '^[14]$' "$s: a Landlock ABI inferred from the TCP bind (4, or 1 below 4)"
    for a in "${ATTEMPTS[@]}"; do
        is "$(attr "$dom" "$a" data-result)" blocked "$s: attempt $a blocked"
    done
    is "$(grep -o ' data-result="' <<<"$dom" | wc -l)" "${#ATTEMPTS[@]}" "$s: exactly those ${#ATTEMPTS[@]} attempts on the page"
    is "$(attr "$dom" summary data-blocked-all)" yes "$s: the page says every attempt was blocked"
done
ok "the two sites' workers have different uids (${page_uid[alice]:-?}, ${page_uid[bob]:-?})" \
    test -n "${page_uid[alice]}" -a "${page_uid[alice]}" != "${page_uid[bob]}"

# --- negative controls: the modes allow it, the plain php-cgi does it ---------------

for s in "${SITES[@]}"; do
    o=$(other "$s")
    out=$(timeout 10 runuser -u "fsxdemo-$s" -- cat "/var/www/fsxdemo-$o/secret.php" 2>&1)
    like "$out" "DB_PASSWORD" "control: outside the launcher, fsxdemo-$s reads $o's secret.php (its mode 0644 allows it)"
done
out=$(timeout 10 runuser -u fsxdemo-alice -- ls /var/www/fsxdemo-bob 2>&1)
like "$out" "secret\.php" "control: outside the launcher, fsxdemo-alice lists bob's docroot (its mode 0755 allows it)"
ok "control: outside the launcher, fsxdemo-alice opens bob's guestbook.txt for writing (mode 0666)" \
    timeout 10 runuser -u fsxdemo-alice -- sh -c ': >>/var/www/fsxdemo-bob/guestbook.txt'

# the same page, through a plain php-cgi as fsxdemo-alice, into a file Chromium loads
install -d -m 0700 -o fsxdemo-alice -g fsxdemo-alice "$WORK/plain-tmp"
(cd /var/www/fsxdemo-alice && timeout 30 runuser -u fsxdemo-alice -- env -i PATH=/usr/bin:/bin \
    TMPDIR="$WORK/plain-tmp" REDIRECT_STATUS=200 REQUEST_METHOD=GET GATEWAY_INTERFACE=CGI/1.1 \
    SERVER_PROTOCOL=HTTP/1.1 SCRIPT_FILENAME=/var/www/fsxdemo-alice/index.php SCRIPT_NAME=/alice/index.php \
    /usr/bin/php-cgi) </dev/null 2>"$WORK/plain.err" | sed '1,/^\r\{0,1\}$/d' >"$WORK/plain.html"
load "file://$WORK/plain.html"
is "$(attr "$dom" user data-value) $(attr "$dom" uid data-value)" "fsxdemo-alice $(id -u fsxdemo-alice)" \
    "control: the plain php-cgi's page runs as fsxdemo-alice too"
for a in "${ATTEMPTS[@]}"; do
    is "$(attr "$dom" "$a" data-result)" ALLOWED "control: without the launcher, attempt $a is ALLOWED"
done
is "$(attr "$dom" landlock data-domain)" no "control: without the launcher, no Landlock domain"
is "$(attr "$dom" nonewprivs data-value) $(attr "$dom" seccomp-mode data-value)" \
    "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/$$/status) $(sed -n 's/^Seccomp:[[:space:]]*//p' /proc/$$/status)" \
    "control: without the launcher, NoNewPrivs and Seccomp as this test's own"
is "$(attr "$dom" summary data-blocked-all)" no "control: and the page says not every attempt was blocked"
is "$(find "$WORK/plain-tmp" -mindepth 1 | wc -l)" 0 "the page left nothing in its temp directory"

# --- remove ----------------------------------------------------------------------

timeout 120 "$DEMO" remove >"$WORK/remove.out" 2>&1
is "$?" 0 "demo.sh remove exits 0"
for s in "${SITES[@]}"; do
    u=fsxdemo-$s
    ok "remove: no user $u" eval "! getent passwd $u"
    ok "remove: no group $u" eval "! getent group $u"
    ok "remove: no /var/www/$u" test ! -e "/var/www/$u"
    ok "remove: no private temp $TMP_BASE/$u" test ! -e "$TMP_BASE/$u"
    is "$(find /run/fcgi-suexec -maxdepth 2 -name "*.$u.*" 2>/dev/null)" "" "remove: no world pin of $u"
done
ok "remove: no $STATE" test ! -e "$STATE"
ok "remove: no $LAUNCHER" test ! -e "$LAUNCHER"
ok "remove: nothing listens on $PORT" eval "! port_busy $PORT"
timeout 120 "$DEMO" remove >"$WORK/remove2.out" 2>&1
is "$?" 0 "demo.sh remove again (nothing left to remove) exits 0"

# --- the machine as found ---------------------------------------------------------

restore
is "$(footprint)" "$found" "the demo's users, groups, files and launcher are as found"
if [ -n "$was_port" ]; then
    like "$("$DEMO" status 2>&1)" "nginx running \(pid [0-9]+\) on 127\.0\.0\.1:$was_port" \
        "the demo found running runs again on 127.0.0.1:$was_port"
else
    ok "the demo, not running before, is not running" eval "! \"$DEMO\" status | grep -q 'nginx running'"
fi

done_testing
