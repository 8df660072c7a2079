#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok)
# 46-apache.t - fcgi-suexec as Apache's suexec, end to end with Debian's
# Apache 2.4, mod_suexec and mod_fcgid:
#
#   curl -> apache2 (User fsxweb) -> mod_fcgid's process manager
#        -> /usr/lib/apache2/suexec UID GID php-fcgi-wrapper   (= the fixture's
#           setuid test build, bind-mounted in a private mount namespace)
#        -> examples/apache/php-fcgi-wrapper (alice's / bob's file)
#        -> php-cgi8.2 as fsxalice / fsxbob
#
# The sites are configured with examples/apache/fcgi-suexec-vhost.conf,
# rendered by sed (example.org -> SITE.test, exampleuser -> fsxSITE,
# /var/www/example.org -> $DOCROOT/SITE, port 80 -> the test's), and their
# wrapper is examples/apache/php-fcgi-wrapper itself, copied into place. Also:
# mod_cgi through the same suexec (fd 0 a pipe, Apache's CGI environment), and
# a refusal as Apache shows it (a group-writable wrapper / script).
# The vhost's Options SymLinksIfOwnerMatch: a symlink of alice's in her
# htdocs to bob's file (laid by root, as her SFTP upload would) is refused
# on her vhost, even with a .htaccess asking for FollowSymLinks (AllowOverride
# None); her plain file and her link to her own file are served; the same
# vhost with Debian's FollowSymLinks serves bob's file (the control).
# Every php-cgi and the CGI have the launcher's limits (limits_are_defaults),
# the CGI also under Apache's own RLimitNPROC/RLimitCPU/RLimitMEM (its CPU
# time and address space limits pass through).
#
# Nothing outside the test changes: a holder process (unshare -m
# --propagation private) owns a private mount namespace in which the test
# build is bind-mounted over the target of the /usr/lib/apache2/suexec
# alternatives link; apache2 runs in that namespace, on 127.0.0.1 (a free
# port in 18460-18479), with its own ServerRoot, pid file, logs, mutexes and
# mod_fcgid IPC in a temp dir. The system's suexec binary, /etc/apache2 and
# Apache's state directories are fingerprinted before and compared after the
# namespace is gone (a system apache2 running meanwhile would change its
# logs: there is none in the test environment).
#
# This test owns $DOCROOT/{alice,bob}/{htdocs,fcgi-bin} and alice's cgi-bin
# and fcgi-bad: made here, removed on exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"   # stop_pid, port_busy, status_field, ppid_of, fetch
. "$(dirname "$0")/apache.sh"  # APACHE, MODS, SUEXEC_LINK, the holder, start_apache, stop_apache

PHP_INI_SYS=/etc/php/8.2/cgi/php.ini       # what php-cgi reads without -c
EX=$REPO/examples/apache
WRAPPER=$EX/php-fcgi-wrapper
VHOST=$EX/fcgi-suexec-vhost.conf
SITES=(alice bob)
A=fsxalice B=fsxbob
AU=$(id -u $A) BU=$(id -u $B)
WEBU=$(id -u fsxweb)
SECRET=$DOCROOT/bob/htdocs/index.php       # bob's page: alice's PHP must not read it
CGI_NPROC=$(ulimit -Hu)                    # RLimitNPROC for CGI: above the launcher's 64
[ "$CGI_NPROC" = unlimited ] && CGI_NPROC=100000
STATE_DIRS=(/var/log/apache2 /var/lib/apache2 /run/apache2 /var/cache/apache2)

nl=$'\n'
# shellcheck disable=SC2034 # WORK is nginx.sh's: fetch writes its body there
WORK=''

# --- preconditions: fail, never opt out -------------------------------------
need "apache2 is installed ($APACHE)" test -x "$APACHE"
for m in mpm_prefork authz_core mime dir alias suexec fcgid cgi; do
    need "module $m is installed" test -f "$MODS/mod_$m.so"
done
need "Apache's suexec is $SUEXEC_LINK (apache2 -V)" \
    eval "'$APACHE' -f /dev/null -V 2>/dev/null | grep -qxF ' -D SUEXEC_BIN=\"$SUEXEC_LINK\"'"
SUEXEC_REAL=$(readlink -f "$SUEXEC_LINK")
need "$SUEXEC_LINK resolves to a regular file ($SUEXEC_REAL)" test -f "$SUEXEC_REAL" -a ! -L "$SUEXEC_REAL"
tools() { local t; for t in curl unshare nsenter setsid findmnt; do command -v "$t" >/dev/null || return 1; done; }
need "curl, unshare, nsenter, setsid, findmnt are installed" tools
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
has_posix() { "$PHP_REAL" -m 2>/dev/null | grep -qx posix; }
need "php-cgi8.2 has the posix extension" has_posix
need "$PHP_INI_SYS exists" test -f "$PHP_INI_SYS"
need "the example wrapper and vhost exist" test -f "$WRAPPER" -a -f "$VHOST"
vbin() { "$BIN" -V 2>/dev/null | sed -n "s/^$1=//p"; }
need "the test build's HTTPD_USER is fsxweb" test "$(vbin HTTPD_USER)" = fsxweb
need "the test build's DOCROOT is $DOCROOT" test "$(vbin DOCROOT)" = "$DOCROOT"
like "$(vbin APACHE_SUEXEC)" "^yes " "-V: the test build is one Apache would enable (root, setuid)"
needs_met

# --- what must be the same afterwards ------------------------------------------
# fingerprint PATH...: every entry (type, mode, owner, size, mtime, link
# target) and every file's content, or "missing"
fingerprint() {
    local p
    for p in "$@"; do
        if [ -e "$p" ] || [ -L "$p" ]; then
            find "$p" -printf '%p|%y|%m|%U:%G|%s|%T@|%l\n' | sort
            find "$p" -type f -exec sha256sum {} + | sort
        else
            echo "$p missing"
        fi
    done | sha256sum | cut -d' ' -f1
}
SUEXEC_SUM=$(sha256sum <"$SUEXEC_REAL")
SUEXEC_STAT=$(stat -c '%i %U:%G %a %s %Y' "$SUEXEC_REAL")
LINKS=$(readlink "$SUEXEC_LINK"; readlink "/etc/alternatives/suexec")
CONF_SUM=$(fingerprint /etc/apache2)
STATE_SUM=$(fingerprint "${STATE_DIRS[@]}")
is "$(findmnt -n -o TARGET --mountpoint "$SUEXEC_REAL")" "" "before: nothing is mounted on $SUEXEC_REAL"

# --- cleanup ----------------------------------------------------------------------
SITE_DIRS=()
for s in "${SITES[@]}"; do SITE_DIRS+=("$DOCROOT/$s/htdocs" "$DOCROOT/$s/fcgi-bin"); done
SITE_DIRS+=("$DOCROOT/alice/cgi-bin" "$DOCROOT/alice/fcgi-bad")
cleanup() {
    stop_apache
    rm -rf "${SITE_DIRS[@]}"
    [ -n "$WORK" ] && rm -rf "$WORK"
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- the sites ---------------------------------------------------------------------
# mk d|f PATH OWNER MODE [CONTENT]
mk() {
    if [ "$1" = d ]; then mkdir -p "$2"; else printf '%s' "${5:-}" >"$2"; fi
    chown "$3" "$2" && chmod "$4" "$2"
}
rm -rf "${SITE_DIRS[@]}"
for s in "${SITES[@]}"; do
    u=fsx$s r=$DOCROOT/$s
    mk d "$r/htdocs" "$u:$u" 0755
    mk d "$r/fcgi-bin" "$u:$u" 0755
    cp "$WRAPPER" "$r/fcgi-bin/php-fcgi-wrapper"          # the shipped file itself
    chown "$u:$u" "$r/fcgi-bin/php-fcgi-wrapper"
    chmod 0755 "$r/fcgi-bin/php-fcgi-wrapper"
    mk f "$r/htdocs/index.php" "$u:$u" 0644 '<?php echo "uid=", posix_getuid(), "\n";
'
done
# alice's page that tries bob's page from a shell (past open_basedir: Landlock's job)
mk f "$DOCROOT/alice/htdocs/other.php" "$A:$A" 0644 "<?php
echo 'bob=', shell_exec('cat $SECRET >/dev/null 2>&1 && echo read || echo denied');
echo 'own=', shell_exec('cat $DOCROOT/alice/htdocs/index.php >/dev/null 2>&1 && echo read || echo denied');
"
# symlinks: bob's file, alice's link to it (as her SFTP upload), her own file and link
MARKER=fsx46-bob-$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')
mk f "$DOCROOT/bob/htdocs/secret.txt" "$B:$B" 0644 "$MARKER"
mk f "$DOCROOT/alice/htdocs/plain.txt" "$A:$A" 0644 "alice's plain file"
ln -s "$DOCROOT/bob/htdocs/secret.txt" "$DOCROOT/alice/htdocs/link.txt"
ln -s plain.txt "$DOCROOT/alice/htdocs/own-link.txt"
chown -h "$A:$A" "$DOCROOT/alice/htdocs/link.txt" "$DOCROOT/alice/htdocs/own-link.txt"
mk f "$DOCROOT/alice/htdocs/.htaccess" "$A:$A" 0644 'Options +FollowSymLinks
'
readable_by_alice() { as_user "$A" cat "$SECRET" >/dev/null; }
ok "control: $A can read $SECRET without the launcher" readable_by_alice
# plain CGI through mod_cgi, and refusals: group-writable wrapper and script
mk d "$DOCROOT/alice/cgi-bin" "$A:$A" 0755
# shellcheck disable=SC2016 # the script's own expansions
mk f "$DOCROOT/alice/cgi-bin/env.cgi" "$A:$A" 0755 '#!/bin/sh
echo "Content-Type: text/plain"
echo
echo "uid=$(id -u)"
echo "pwd=$(pwd)"
if [ -p /dev/stdin ]; then echo "stdin=pipe"; else echo "stdin=other"; fi
env | sort | sed "s/^/env=/"
echo "limits<<"; cat /proc/self/limits; echo ">>"
echo "stat=$(cat /proc/self/stat)"
echo "oom=$(cat /proc/self/oom_score_adj)"
'
cp -p "$DOCROOT/alice/cgi-bin/env.cgi" "$DOCROOT/alice/cgi-bin/bad.cgi"
chmod 0775 "$DOCROOT/alice/cgi-bin/bad.cgi"
mk d "$DOCROOT/alice/fcgi-bad" "$A:$A" 0755
cp -p "$DOCROOT/alice/fcgi-bin/php-fcgi-wrapper" "$DOCROOT/alice/fcgi-bad/php-fcgi-wrapper"
chmod 0775 "$DOCROOT/alice/fcgi-bad/php-fcgi-wrapper"

WORK=$(mktemp -d /tmp/fsx-46-apache.XXXXXX) || bail "mktemp failed"
chmod 0755 "$WORK"
AWORK=$WORK                                # Apache's ServerRoot, logs, mod_fcgid's IPC

# render SITE PORT: the shipped vhost for SITE
render() {
    sed -e "s|/var/www/example\.org|$DOCROOT/$1|g" -e "s|example\.org|$1.test|g" \
        -e "s|exampleuser|fsx$1|g" -e "s|<VirtualHost \*:80>|<VirtualHost *:$2>|" "$VHOST"
}
for s in "${SITES[@]}"; do
    r=$(render "$s" 18460)
    unlike "$r" "/var/www/|example|exampleuser|:80>" "vhost for $s: no production name left after rendering"
    like "$r" "SuexecUserGroup fsx$s fsx$s" "vhost for $s: SuexecUserGroup fsx$s fsx$s"
    like "$r" "$nl *Options ExecCGI SymLinksIfOwnerMatch$nl" "vhost for $s: Options ExecCGI SymLinksIfOwnerMatch"
    like "$r" "$nl *AllowOverride None$nl" "vhost for $s: AllowOverride None (no .htaccess can re-enable FollowSymLinks)"
done

apache_conf() { # PORT: the whole configuration
    apache_conf_head "$1" alias suexec fcgid cgi
    for s in "${SITES[@]}"; do render "$s" "$1"; done
    # the control: alice's vhost with Debian's FollowSymLinks instead
    render alice "$1" | sed -e 's/ServerName alice\.test/ServerName follow.test/' \
        -e 's/Options ExecCGI SymLinksIfOwnerMatch/Options ExecCGI FollowSymLinks/'
    cat <<EOF
<VirtualHost *:$1>
    ServerName cgi.test
    DocumentRoot $DOCROOT/alice/htdocs
    SuexecUserGroup $A $A
    # Apache's limits for its CGI processes (set before it execs suexec):
    # the launcher's win for nproc; CPU time and memory (RLIMIT_AS) pass
    # (64 TiB: an ASan build of the launcher, make check-asan, needs 32 TiB)
    RLimitNPROC $CGI_NPROC $CGI_NPROC
    RLimitCPU 7200 7200
    RLimitMEM 70368744177664 70368744177664
    ScriptAlias /cgi-bin/ $DOCROOT/alice/cgi-bin/
    <Directory $DOCROOT/alice/cgi-bin>
        Require all granted
    </Directory>
</VirtualHost>
<VirtualHost *:$1>
    ServerName bad.test
    DocumentRoot $DOCROOT/alice/htdocs
    SuexecUserGroup $A $A
    <Directory $DOCROOT/alice/htdocs>
        Options +ExecCGI
        AddHandler fcgid-script .php
        FcgidWrapper $DOCROOT/alice/fcgi-bad/php-fcgi-wrapper .php
        Require all granted
    </Directory>
</VirtualHost>
EOF
}

like "$(apache_conf 18460 | sed -n '/ServerName follow\.test/,/<\/VirtualHost>/p')" "$nl *Options ExecCGI FollowSymLinks$nl" \
    "the control vhost follow.test: FollowSymLinks"

# --- the private mount namespace -------------------------------------------------
apache_holder 600
ok "a private mount namespace is held by pid $HOLDER ($NS)" test -n "$NS" || done_testing
nsx() { timeout 10 nsenter -t "$HOLDER" -m -- "$@"; }
ok "in the namespace: $BIN bind-mounted over $SUEXEC_REAL" nsx mount --bind "$BIN" "$SUEXEC_REAL"
is "$(nsx sh -c "sha256sum <'$SUEXEC_LINK'")" "$(sha256sum <"$BIN")" \
    "inside: $SUEXEC_LINK is the test build"
is "$(nsx stat -L -c '%U %a' "$SUEXEC_LINK")" "root 4750" "inside: $SUEXEC_LINK is root's, setuid (4750)"
is "$(sha256sum <"$SUEXEC_REAL")" "$SUEXEC_SUM" "outside: $SUEXEC_REAL unchanged while the namespace lives"
is "$(findmnt -n -o TARGET --mountpoint "$SUEXEC_REAL")" "" "outside: no mount on $SUEXEC_REAL"

like "$(nsx "$SUEXEC_LINK" -V | grep '^APACHE_SUEXEC=')" "^APACHE_SUEXEC=yes " \
    "inside: $SUEXEC_LINK -V says Apache will enable it"

# --- apache ---------------------------------------------------------------------------
start_apache 18460 18479 || done_testing
PORT=$APORT                                # nginx.sh's fetch asks PORT
ok "apache2 (pid $APACHE_PID) runs in the private namespace" in_ns "$APACHE_PID"
log() { cat "$WORK/logs/error.log" 2>/dev/null; }
like "$(log)" "AH01232: suEXEC mechanism enabled \(wrapper: $SUEXEC_LINK\)" \
    "error.log: 'suEXEC mechanism enabled (wrapper: $SUEXEC_LINK)'"

# --- the pages ------------------------------------------------------------------------
apache_diag() { diag "curl: $(cat "$WORK/curl.err" 2>/dev/null)${nl}error.log: $(log | tail -n 8)"; }
for s in "${SITES[@]}"; do
    uid=$(id -u "fsx$s")
    for o in "${SITES[@]}"; do [ "$o" = "$s" ] || other=$(id -u "fsx$o"); done
    fetch "$s.test" /index.php
    is "$code" 200 "$s.test: GET /index.php: HTTP 200" || apache_diag
    is "$body" "uid=$uid" "$s.test: the page shows fsx$s's uid ($uid)"
    unlike "$body" "(^|[^0-9])$other([^0-9]|\$)" "$s.test: not the other site's uid"
    fetch "$s.test" /
    is "$code/$body" "200/uid=$uid" "$s.test: GET / (DirectoryIndex index.php)"
done
fetch alice.test /other.php
is "$code/$body" "200/bob=denied${nl}own=read" "alice.test: a shell from alice's PHP reads her page, not bob's"

# --- symlinks: Options SymLinksIfOwnerMatch ---------------------------------------
fsxweb_reads() { as_user fsxweb cat "$DOCROOT/alice/htdocs/link.txt"; }
is "$(fsxweb_reads)" "$MARKER" "control: file modes let Apache's user read bob's file through alice's link"
fetch alice.test /link.txt
is "$code" 403 "alice.test: alice's link to bob's file: HTTP 403 (SymLinksIfOwnerMatch)"
unlike "$body" "$MARKER" "alice.test: ... and bob's file is not in the answer"
like "$(log)" "AH00037: Symbolic link not allowed or link target not accessible: $DOCROOT/alice/htdocs/link.txt" \
    "alice.test: error.log says why (AH00037)"
fetch alice.test /plain.txt
is "$code/$body" "200/alice's plain file" "control: alice.test serves her plain file"
fetch alice.test /own-link.txt
is "$code/$body" "200/alice's plain file" "control: alice.test serves her link to her own file (same owner)"
fetch follow.test /link.txt
is "$code/$body" "200/$MARKER" "control: the same vhost with FollowSymLinks serves bob's file, .htaccess or not"

# --- the php-cgi processes ---------------------------------------------------------
# php_pids UID: the php-cgi8.2 processes of UID under the private apache2 (each
# in its site's world, a mount namespace of its own: not found by ns_pids)
php_pids() {
    local p
    for p in $(pgrep -u "$1" "^php-cgi"); do
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$PHP_REAL")" ] &&
            [ "$(status_field "$p" Uid)" = "$1 $1 $1 $1" ] &&
            [ "$(ppid_of "$(ppid_of "$p")")" = "$APACHE_PID" ] && echo "$p"
    done
    return 0
}
for s in "${SITES[@]}"; do
    u=fsx$s uid=$(id -u "fsx$s") gid=$(id -g "fsx$s") r=$DOCROOT/$s
    pids=$(php_pids "$uid")
    ok "$s: php-cgi8.2 runs as fsx$s under the private apache2 (pids: $(tr '\n' ' ' <<<"$pids"))" test -n "$pids"
    for pid in $pids; do
        is "$(status_field "$pid" Gid)" "$gid $gid $gid $gid" "$s: pid $pid: real/effective/saved/fs gid = fsx$s"
        is "$(status_field "$pid" NoNewPrivs)/$(status_field "$pid" Seccomp)" 1/2 \
            "$s: pid $pid: NoNewPrivs 1, Seccomp 2"
        is "$(status_field "$pid" CapEff)/$(status_field "$pid" CapBnd)" \
            0000000000000000/0000000000000000 "$s: pid $pid: no capabilities, empty bounding set"
        is "$(readlink "/proc/$pid/cwd")" "$r/fcgi-bin" "$s: pid $pid: cwd is the wrapper's directory"
        is "$(tr '\0' '\n' <"/proc/$pid/cmdline")" "$(printf '%s\n' /usr/bin/php-cgi -d cgi.fix_pathinfo=0)" \
            "$s: pid $pid: argv from the shipped wrapper: php-cgi with cgi.fix_pathinfo=0, nothing else"
        is "$(tr '\0' '\n' <"/proc/$pid/environ" | sort)" "$(printf '%s\n' "HOME=$(getent passwd "$u" | cut -d: -f6)" \
            "LOGNAME=$u" PHP_FCGI_CHILDREN=0 PHP_FCGI_MAX_REQUESTS=500 "PATH=$SAFE_PATH" \
            "PWD=$r/fcgi-bin" "TMPDIR=/tmp" "USER=$u" | sort)" \
            "$s: pid $pid: environment: the launcher's, the wrapper's PHP_FCGI_*, the shell's PWD"
        is "$(readlink "/proc/$pid/fd/0" | sed 's/[0-9]//g')" "socket:[]" "$s: pid $pid: fd 0 a socket (mod_fcgid's)"
        is "$(find "/proc/$pid/fd" -mindepth 1 -printf '%l\n' | grep -c php-fcgi-wrapper)" 0 \
            "$s: pid $pid: the wrapper's descriptor was not passed on to php-cgi"
        pm=$(ppid_of "$pid")
        is "$(status_field "$pm" Uid)" "0 $WEBU 0 $WEBU" \
            "$s: pid $pid's parent $pm (mod_fcgid's process manager): real uid 0, effective fsxweb"
        limits_are_defaults "$s: pid $pid" "$(proc_limits "$pid")" "$(proc_limits "$pm")"
        is "$(ppid_of "$pm")" "$APACHE_PID" "$s: that manager is the private apache2's child"
    done
done

# --- mod_cgi: plain CGI through the same suexec -------------------------------------
fetch cgi.test '/cgi-bin/env.cgi?q=1' -H 'Cookie: t=46' -H 'Proxy: http://evil.test:3128' \
    -H 'X-Fn: () { :; }; echo pwned'
is "$code" 200 "mod_cgi: GET /cgi-bin/env.cgi: HTTP 200" || apache_diag
is "$(sed -n '1,3p' <<<"$body")" "uid=$AU${nl}pwd=$DOCROOT/alice/cgi-bin${nl}stdin=pipe" \
    "mod_cgi: runs as $A, in its directory, fd 0 a pipe"
cgienv=$(sed -n 's/^env=//p' <<<"$body")
for v in "QUERY_STRING=q=1" "HTTP_COOKIE=t=46" "HTTP_HOST=cgi.test" "REQUEST_METHOD=GET" \
    "SCRIPT_FILENAME=$DOCROOT/alice/cgi-bin/env.cgi" "PATH=$SAFE_PATH" "USER=$A" \
    "TMPDIR=/tmp"; do
    like "$cgienv" "(^|$nl)$v($nl|\$)" "mod_cgi: $v"
done
unlike "$cgienv" "(^|$nl)HTTP_PROXY=" "mod_cgi: no HTTP_PROXY"
unlike "$cgienv" "(^|$nl)HTTP_X_FN=|pwned" "mod_cgi: no exported shell function (HTTP_X_FN)"
unlike "$cgienv" "(^|$nl)(LD_|PHPRC|BASH_ENV|APACHE_)" "mod_cgi: nothing of Apache's own environment"
cgi_lim=$(limits_from_proc "$(sed -n '/^limits<<$/,/^>>$/p' <<<"$body" | sed '1d;$d')" \
    "$(sed -n 's/^stat=//p' <<<"$body")" "$(sed -n 's/^oom=//p' <<<"$body")")
limits_are_defaults "mod_cgi" "$cgi_lim" \
    "$(printf '%s\n' limit.cpu=7200:7200 limit.as=70368744177664:70368744177664)"

# --- refusals as Apache shows them ----------------------------------------------------
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H 'Host: cgi.test' \
    "http://127.0.0.1:$PORT/cgi-bin/bad.cgi" 2>/dev/null)
is "$code" 500 "mod_cgi, group-writable script: HTTP 500"
like "$(log)" "stderr from $DOCROOT/alice/cgi-bin/bad.cgi: fcgi-suexec: command: [^$nl]*writable" \
    "mod_cgi, group-writable script: the launcher's 'command' refusal in error.log"
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H 'Host: bad.test' \
    "http://127.0.0.1:$PORT/index.php" 2>/dev/null)
like "$code" "^50[03]\$" "mod_fcgid, group-writable wrapper: HTTP 500 or 503"
like "$(log)" "(^|$nl)fcgi-suexec: command: $DOCROOT/alice/fcgi-bad/php-fcgi-wrapper: [^$nl]*writable" \
    "mod_fcgid, group-writable wrapper: the launcher's 'command' refusal in error.log"
is "$(for p in $(php_pids "$AU"); do readlink "/proc/$p/cwd"; done | grep -c fcgi-bad)" 0 \
    "mod_fcgid, group-writable wrapper: no php-cgi runs from it"

# --- stop, and nothing left ---------------------------------------------------------
apid=$APACHE_PID
stop_apache
ok "apache2 stopped" eval "! kill -0 $apid 2>/dev/null"
for _ in $(seq 50); do   # the namespace ends with its last process (bounded, 5 s)
    [ -z "$(ns_pids)" ] && break
    sleep 0.1
done
is "$(ns_pids | wc -l)" 0 "no process left in the private namespace"
like "$(log)" "fcgi-bad/php-fcgi-wrapper\([0-9]+\) exit\([^)]*\), terminated by calling exit\(\), return code: 106" \
    "mod_fcgid logged the refused wrapper's exit code 106"
is "$(php_pids "$AU") $(php_pids "$BU")" " " "no php-cgi of alice or bob left"
NS_LEFT=$(for d in /proc/[0-9]*; do [ "$(readlink "$d/ns/mnt" 2>/dev/null)" = "$NS" ] && echo "${d#/proc/}"; done)
is "$NS_LEFT" "" "the private mount namespace is gone"
is "$(sha256sum <"$SUEXEC_REAL")" "$SUEXEC_SUM" "after: $SUEXEC_REAL content unchanged"
is "$(stat -c '%i %U:%G %a %s %Y' "$SUEXEC_REAL")" "$SUEXEC_STAT" "after: $SUEXEC_REAL inode, owner, mode, size, mtime unchanged"
is "$(readlink "$SUEXEC_LINK"; readlink "/etc/alternatives/suexec")" "$LINKS" "after: the alternatives links unchanged"
is "$(findmnt -n -o TARGET --mountpoint "$SUEXEC_REAL")" "" "after: nothing mounted on $SUEXEC_REAL"
is "$(fingerprint /etc/apache2)" "$CONF_SUM" "after: /etc/apache2 unchanged (listing, metadata and contents)"
is "$(fingerprint "${STATE_DIRS[@]}")" "$STATE_SUM" "after: Apache's state directories unchanged: ${STATE_DIRS[*]}"

done_testing
