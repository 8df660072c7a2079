#!/bin/bash
# Every refusal of the contract: exact exit code, exactly the line
# "fcgi-suexec: <check>: <reason>" on stderr, the reason naming what was asked,
# and nothing executed (the probe prints ran=1 when it runs).
# A few allowed launches are mixed in, so that the refusals are not vacuous.
. "$(dirname "$0")/lib.sh"

nl=$'\n'
A=fsxalice
W=$DOCROOT/alice
gid_of() { getent group "$1" | cut -d: -f3; }
USAGE="usage: fcgi-suexec [--check] [-p VERSION] [-w php-cgi|fpm] USER GROUP DOCROOT | fcgi-suexec [--check] UID|~UID GID COMMAND [ARGS...] | fcgi-suexec --audit|--status [--json] | fcgi-suexec -V | --help"

# said CODE CHECK REASON NAME ARGS...: refused, and the stderr line is exactly
# "fcgi-suexec: CHECK: REASON" (it names what was asked)
said() {
    local code=$1 check=$2 reason=$3 name=$4; shift 4
    launch "$@"
    is "$rc|$err" "$code|fcgi-suexec: $check: $reason" "$name: exit $code, exact reason"
    unlike "$out" "ran=1" "$name: nothing ran"
}

# allowed NAME ARGS...: the launch runs the probe, which exits 0
allowed() {
    local name=$1; shift
    launch "$@"
    is "$rc" 0 "$name: exit 0"
    like "$out" "^ran=1$nl" "$name: the interpreter ran"
}

# Docroots with odd names, made by this test (see "docroot characters").
# shellcheck disable=SC2016 # '$' is one of the characters
ODD_NAMES=("al:ice" 'al$ice' 'al"ice' 'al{ice' "al ice" "al${nl}ice" 'al\ice' "al;ice" "al=ice"
    "al'ice" 'al*ice' "al	ice" "al%ice" "alïce")
PLAIN_NAME="al_i+c@e,~-1.2"

# Modes changed for a test are restored, and what it made removed, whatever happens.
restore() {
    chmod 0755 "$DOCROOT" "$TESTROOT/bin"
    chown root:root "$PHP_INI"
    chmod 0644 "$PHP_INI"
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    local n
    restore
    for n in "${ODD_NAMES[@]}" "$PLAIN_NAME"; do rmdir "$DOCROOT/$n" 2>/dev/null; done
}
trap cleanup EXIT

# --- a good launch, and who may call ---------------------------------------
allowed "good launch as fsxweb" $A $A "$W"
AS=root allowed "root caller"  $A $A "$W"
AS=root LBIN=$BIN_OPEN allowed "root caller, open binary" $A $A "$W"
LBIN=$BIN_OPEN allowed "fsxweb caller, open binary" $A $A "$W"
allowed "numeric user and group" "$(id -u $A)" "$(id -g $A)" "$W"
SOCK=tcp allowed "tcp listening socket on 127.0.0.1" $A $A "$W"

# --- setuid ----------------------------------------------------------------
LBIN=$BIN_NOSUID said 101 setuid "not running as root: install it setuid root (mode 4750, owner root)" "not setuid, run by fsxweb" $A $A "$W"
AS=fsxcaller LBIN=$BIN_NOSUID said 101 setuid "not running as root: install it setuid root (mode 4750, owner root)" "not setuid, run by fsxcaller (setuid before caller)" $A $A "$W"

# --- caller ----------------------------------------------------------------
AS=fsxcaller LBIN=$BIN_OPEN said 102 caller "uid $(id -u fsxcaller) is not root or fsxweb" "caller fsxcaller" $A $A "$W"
AS=fsxalice LBIN=$BIN_OPEN said 102 caller "uid $(id -u fsxalice) is not root or fsxweb" "caller fsxalice (the target itself)" $A $A "$W"
AS=fsxlow LBIN=$BIN_OPEN said 102 caller "uid $(id -u fsxlow) is not root or fsxweb" "caller fsxlow" $A $A "$W"
AS=fsxcaller launch $A $A "$W"
is "$rc" 126 "fsxcaller cannot execute the 4750 binary"
like "$err" "Permission denied" "fsxcaller: exec permission denied"
unlike "$out" "ran=1" "fsxcaller: nothing ran"

# --- usage: argument count and syntax --------------------------------------
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "no arguments"
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "one argument" $A
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "two arguments" $A $A
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "four arguments" $A $A "$W" extra
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "-p without a version" -p
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "-p and two arguments" -p 9.0 $A $A
# --help is asked for, not a mistake: the usage on stdout, one form a line, exit 0
HELP="usage: fcgi-suexec [--check] [-p VERSION] [-w php-cgi|fpm] USER GROUP DOCROOT
       fcgi-suexec [--check] UID|~UID GID COMMAND [ARGS...]
       fcgi-suexec --audit|--status [--json]
       fcgi-suexec -V | --help"
for who in fsxweb root; do
    AS=$who launch --help
    is "$rc|$out|$err" "0|$HELP|" "--help as $who: the usage on stdout, nothing on stderr, exit 0"
done
launch --help extra
is "$rc" 100 "--help with another argument is a usage error (100)"
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "uid -1" -1 $A "$W"
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "uid 4294967296" 4294967296 $A "$W"
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "uid 1x" 1x $A "$W"
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "uid +1000" +1000 $A "$W"
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "uid ' 1000'" " 1000" $A "$W"
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "empty user" "" $A "$W"
said 100 usage "GROUP is neither a group name nor a decimal id; $USAGE" "empty group" $A "" "$W"
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "empty docroot" $A $A ""
long=$(printf 'a%.0s' $(seq 10000))
said 100 usage "USER is neither a user name nor a decimal id; $USAGE" "10000-char user" "$long" $A "$W"
said 100 usage "GROUP is neither a group name nor a decimal id; $USAGE" "10000-char group" $A "$long" "$W"
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "10000-char docroot" $A $A "$W/$long"
said 100 usage "GROUP is neither a group name nor a decimal id; $USAGE" "gid -1" $A -1 "$W"
said 100 usage "GROUP is neither a group name nor a decimal id; $USAGE" "gid 4294967296" $A 4294967296 "$W"

# (uid_t)-1 is syntactically a 32-bit number; the contract does not say
# whether it is a syntax error (100) or an unknown user (103): either refuses.
launch 4294967295 $A "$W"
like "$rc" '^10[03]$' "uid 4294967295: exit 100 or 103"
like "$err" "^fcgi-suexec: (usage|user): [^$nl]+\$" "uid 4294967295: one usage/user line"
unlike "$out" "ran=1" "uid 4294967295: nothing ran"

# --- user ------------------------------------------------------------------
said 103 user "root has uid 0: root, nobody, the web server's user and uids outside 1000..60000 are never targets" "user root" root $A "$W"
said 103 user "root has uid 0: root, nobody, the web server's user and uids outside 1000..60000 are never targets" "uid 0" 0 $A "$W"
said 103 user "fsxlow has uid $(id -u fsxlow): root, nobody, the web server's user and uids outside 1000..60000 are never targets" "low user fsxlow" fsxlow $A "$W"
said 103 user "fsxlow has uid $(id -u fsxlow): root, nobody, the web server's user and uids outside 1000..60000 are never targets" "low uid of fsxlow" "$(id -u fsxlow)" $A "$W"
said 103 user "no such user: fsxnosuchuser" "unknown user" fsxnosuchuser $A "$W"
said 103 user "no such user: 3999999999" "unknown uid" 3999999999 $A "$W"
said 103 user "fsxweb has uid $(id -u fsxweb): root, nobody, the web server's user and uids outside 1000..60000 are never targets" "the httpd user" fsxweb fsxweb "$W"
said 103 user "fsxweb has uid $(id -u fsxweb): root, nobody, the web server's user and uids outside 1000..60000 are never targets" "the httpd uid" "$(id -u fsxweb)" $A "$W"

# --- group -----------------------------------------------------------------
said 104 group "fsxbob is not a group of fsxalice" "group of another user" $A fsxbob "$W"
said 104 group "root has gid 0: gid 0, nogroup and gids outside 1000..60000 are never targets" "gid 0" $A 0 "$W"
said 104 group "root has gid 0: gid 0, nogroup and gids outside 1000..60000 are never targets" "group root" $A root "$W"
said 104 group "fsxlowg has gid $(gid_of fsxlowg): gid 0, nogroup and gids outside 1000..60000 are never targets" "low group fsxlowg (alice is a member)" $A fsxlowg "$W"
said 104 group "fsxlowg has gid $(gid_of fsxlowg): gid 0, nogroup and gids outside 1000..60000 are never targets" "low gid of fsxlowg" $A "$(getent group fsxlowg | cut -d: -f3)" "$W"
said 104 group "no such group: fsxnosuchgroup" "unknown group" $A fsxnosuchgroup "$W"
said 104 group "no such group: 3999999999" "unknown gid" $A 3999999999 "$W"
said 104 group "fsxweb is the primary group of fsxweb, the web server's user" "the httpd user's group" $A fsxweb "$W"
allowed "secondary group fsxshared" $A fsxshared "$W"
is "$(field egid)" "$(getent group fsxshared | cut -d: -f3)" "secondary group: egid is fsxshared"

# (a look-up buffer reused before the message was printed once named another
# group here: "netdev is not a group of ...")
said 104 group "fsxbob is not a group of $A" "bob's gid for alice" $A "$(gid_of fsxbob)" "$W"

# --- targets: the id ranges, nobody, expired and locked accounts -------------
said 103 user "nobody has uid 65534: root, nobody, the web server's user and uids outside 1000..60000 are never targets" \
    "nobody" nobody nogroup "$W"
said 103 user "nobody has uid 65534: root, nobody, the web server's user and uids outside 1000..60000 are never targets" \
    "uid 65534" 65534 nogroup "$W"
said 103 user "fsxhigh has uid $(id -u fsxhigh): root, nobody, the web server's user and uids outside 1000..60000 are never targets" \
    "uid above UID_MAX" fsxhigh fsxhighg "$W"
said 104 group "fsxhighg has gid $(gid_of fsxhighg): gid 0, nogroup and gids outside 1000..60000 are never targets" \
    "gid above GID_MAX (alice is a member)" $A fsxhighg "$W"
said 104 group "nogroup has gid 65534: gid 0, nogroup and gids outside 1000..60000 are never targets" \
    "nogroup" $A nogroup "$W"
said 103 account "the account of fsxexp expired on 1970-01-01 (chage -E)" \
    "expired account (chage -E 0)" fsxexp fsxexp "$DOCROOT/exp"
AS=root said 103 account "the account of fsxexp expired on 1970-01-01 (chage -E)" \
    "expired account, root caller" fsxexp fsxexp "$DOCROOT/exp"
chage -E -1 fsxexp
allowed "the same account, expiry removed (control)" fsxexp fsxexp "$DOCROOT/exp"
chage -E "$(date -u -d tomorrow +%F)" fsxexp
allowed "the same account, expiring tomorrow" fsxexp fsxexp "$DOCROOT/exp"
chage -E "$(date -u +%F)" fsxexp
said 103 account "the account of fsxexp expired on $(date -u +%F) (chage -E)" \
    "the same account, expiring today" fsxexp fsxexp "$DOCROOT/exp"
chage -E 0 fsxexp
like "$(getent shadow $A | cut -d: -f2)" '^!' "alice's account is locked (useradd gave it no password)"
allowed "a locked account starts by default (LOCKED_ACCOUNTS=allow)" $A $A "$W"
LBIN=$TESTROOT/sbin/fcgi-suexec-locked said 103 account \
    "the account of $A is locked (built LOCKED_ACCOUNTS=refuse)" "LOCKED_ACCOUNTS=refuse: locked alice" $A $A "$W"
usermod -p 'x' $A   # a password field that is not locked (no hash: still no login)
LBIN=$TESTROOT/sbin/fcgi-suexec-locked allowed "LOCKED_ACCOUNTS=refuse: alice unlocked (control)" $A $A "$W"
usermod -p '!' $A

# --- groups: only GROUP, the primary group and SITE_GROUPS reach the worker ---
said 104 group "fsxweb is the primary group of fsxweb, the web server's user" \
    "GROUP the web server's (carol is a member)" fsxcarol fsxweb "$DOCROOT/carol"
said 104 group "fsxweb is the primary group of fsxweb, the web server's user" \
    "GROUP the web server's, by gid" fsxcarol "$(gid_of fsxweb)" "$DOCROOT/carol"
allowed "carol in her own group" fsxcarol fsxcarol "$DOCROOT/carol"
is "$(field groups)" "$(id -g fsxcarol)" "carol's worker: only her own group (not fsxweb, fsxshared, fsxlowg)"
allowed "alice in her own group" $A $A "$W"
is "$(field groups)" "$(printf '%s\n' "$(id -g $A)" "$(gid_of fsxsiteg)" | sort -n | paste -sd, -)" \
    "alice's worker: her group and SITE_GROUPS fsxsiteg, not fsxshared, fsxlowg, fsxhighg"
allowed "alice in fsxshared" $A fsxshared "$W"
is "$(field egid)|$(field groups)" \
    "$(gid_of fsxshared)|$(printf '%s\n' "$(id -g $A)" "$(gid_of fsxsiteg)" "$(gid_of fsxshared)" | sort -n | paste -sd, -)" \
    "GROUP fsxshared: egid and kept, with her primary group and fsxsiteg"
allowed "bob: no SITE_GROUPS membership" fsxbob fsxbob "$DOCROOT/bob"
is "$(field groups)" "$(id -g fsxbob)" "bob's worker: his group only (fsxsiteg not given to non-members)"

# --- -p VERSION: that version's php.ini (PHP_INI_VERSIONED) -----------------
said 106 interpreter "$TESTROOT/etc/9.11: No such file or directory" "-p 9.11: no php.ini for 9.11" -p 9.11 $A $A "$W"
chmod 0666 "$TESTROOT/etc/9.0/php.ini"
said 106 interpreter "$TESTROOT/etc/9.0/php.ini: writable by group or others" \
    "-p 9.0: its php.ini world-writable" -p 9.0 $A $A "$W"
chmod 0644 "$TESTROOT/etc/9.0/php.ini"

# --- out of descriptors: a system failure (111), the step named ---------------
# With N descriptors allowed, each step that opens one runs out in turn: every
# such launch is 111 "system: STEP: Too many open files", never a refusal.
for n in $(seq 4 32); do
    FDOPTS="--nofile $n" launch $A $A "$W"
    [ "$rc" = 0 ] && break
    like "$rc|$err" "^111\|fcgi-suexec: system: [^$nl]+: Too many open files\$" \
        "ulimit -n $n: exit 111, a system failure naming the step"
    unlike "$out" "ran=1" "ulimit -n $n: nothing ran"
done
is "$rc" 0 "with enough descriptors (ulimit -n $n) the launch starts (the loop reached every step)"

# --- docroot ---------------------------------------------------------------
# A relative third argument after names is a typo of the native form; the
# Apache form (Apache and mod_fcgid call suexec with a numeric uid or "~uid")
# only after an id or "~" (the Apache form's own cases: 45-compat.t).
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "relative docroot after names (a typo)" $A $A var/www/alice
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "docroot . after names" $A $A .
said 100 usage "expected USER GROUP DOCROOT; $USAGE" "relative docroot after names, and more arguments" $A $A var/www/alice x
said 100 usage "COMMAND must be one relative path component; $USAGE" "relative path after a uid: the Apache form" "$(id -u $A)" "$(id -g $A)" www/alice
said 100 usage "COMMAND must be one relative path component; $USAGE" "relative path after ~uid: the Apache form" "~$(id -u $A)" "$(id -g $A)" www/alice
said 100 usage "COMMAND must be one relative path component; $USAGE" ". after a uid: the Apache form" "$(id -u $A)" "$(id -g $A)" .
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "docroot with .." $A $A "$DOCROOT/bob/../alice"
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "docroot with //" $A $A "$TESTROOT//www/alice"
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "docroot with /./" $A $A "$DOCROOT/./alice"
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "docroot ending in /." $A $A "$W/."
said 100 usage "DOCROOT must be an absolute path, without ., .., // or a trailing /; $USAGE" "docroot with a trailing slash" $A $A "$W/"
# docroot characters: only [A-Za-z0-9/._+@,~-], since the path goes into
# PHP's -d values (open_basedir=DOCROOT:TMP), which PHP parses as INI. Each
# docroot exists, is alice's and otherwise good: only its name is refused.
for n in "${ODD_NAMES[@]}"; do
    install -d -o $A -g $A -m 0755 "$DOCROOT/$n"
    printf -v shown '%q' "$n"
    said 100 usage "DOCROOT may hold only letters, digits and /._+@,~- (PHP reads it as INI); $USAGE" "docroot with a character outside the allowed set: $shown" $A $A "$DOCROOT/$n"
done
said 100 usage "DOCROOT may hold only letters, digits and /._+@,~- (PHP reads it as INI); $USAGE" "docroot ':' splitting open_basedir" $A $A "$W:$TESTROOT"
install -d -o $A -g $A -m 0755 "$DOCROOT/$PLAIN_NAME"
allowed "docroot with every allowed punctuation: $PLAIN_NAME" $A $A "$DOCROOT/$PLAIN_NAME"
is "$(field cwd)" "$DOCROOT/$PLAIN_NAME" "$PLAIN_NAME: cwd"
said 105 docroot "/etc is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "docroot /etc" $A $A /etc
said 105 docroot "/ is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "docroot /" $A $A /
said 105 docroot "$TESTROOT/www_backup/alice is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "www_backup is not inside www" $A $A "$TESTROOT/www_backup/alice"
said 105 docroot "$TESTROOT/www is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "DOCROOT itself (root-owned)" $A $A "$DOCROOT"
said 105 docroot "$TESTROOT/www/link is a symlink" "symlink docroot" $A $A "$DOCROOT/link"
said 105 docroot "$TESTROOT/www/linknest is a symlink" "symlinked ancestor" $A $A "$DOCROOT/linknest/site"
said 105 docroot "$TESTROOT/www/alice-ww: must be a directory owned by fsxalice (uid $(id -u fsxalice)) and not writable by group or others (owner uid $(id -u fsxalice), mode 0777)" "world-writable docroot" $A $A "$DOCROOT/alice-ww"
said 105 docroot "$TESTROOT/www/alice-gw: must be a directory owned by fsxalice (uid $(id -u fsxalice)) and not writable by group or others (owner uid $(id -u fsxalice), mode 0775)" "group-writable docroot" $A $A "$DOCROOT/alice-gw"
said 105 docroot "$TESTROOT/www/rootowned: must be a directory owned by fsxalice (uid $(id -u fsxalice)) and not writable by group or others (owner uid 0, mode 0755)" "root-owned docroot" $A $A "$DOCROOT/rootowned"
said 105 docroot "$TESTROOT/www/bob: must be a directory owned by fsxalice (uid $(id -u fsxalice)) and not writable by group or others (owner uid $(id -u fsxbob), mode 0755)" "docroot owned by bob" $A $A "$DOCROOT/bob"
said 105 docroot "$TESTROOT/www/notdir: must be a directory owned by fsxalice (uid $(id -u fsxalice)) and not writable by group or others (owner uid $(id -u fsxalice), mode 0644)" "docroot not a directory" $A $A "$DOCROOT/notdir"
said 105 docroot "$TESTROOT/www/missing: No such file or directory" "missing docroot" $A $A "$DOCROOT/missing"
said 105 docroot "$TESTROOT/www/gwnest: directory owned by uid $(id -u fsxalice), mode 0775: must be owned by root or the user and not writable by group or others" "group-writable ancestor" $A $A "$DOCROOT/gwnest/site"
said 105 docroot "$TESTROOT/www/bobnest: directory owned by uid $(id -u fsxbob), mode 0755: must be owned by root or the user and not writable by group or others" "ancestor owned by bob" $A $A "$DOCROOT/bobnest/alice"
said 105 docroot "$TESTROOT/home/fsxbob/public_html is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "bob's userdir for alice" $A $A "$TESTROOT/home/fsxbob/public_html"
said 105 docroot "$TESTROOT/home/fsxalice is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "alice's home outside public_html" $A $A "$TESTROOT/home/fsxalice"
allowed "ancestor owned by alice strictly inside DOCROOT" $A $A "$DOCROOT/nest/site"
is "$(field cwd)" "$DOCROOT/nest/site" "nest/site: cwd"
allowed "alice's userdir" $A $A "$TESTROOT/home/fsxalice/public_html"
is "$(field cwd)" "$TESTROOT/home/fsxalice/public_html" "userdir: cwd"
chmod 0777 "$DOCROOT"
said 105 docroot "$TESTROOT/www: directory owned by uid 0, mode 0777: must be owned by root or the user and not writable by group or others" "DOCROOT world-writable" $A $A "$W"
chmod 0755 "$DOCROOT"
allowed "DOCROOT mode restored" $A $A "$W"

# --- interpreter -----------------------------------------------------------
allowed "-p 9.0" -p 9.0 $A $A "$W"
is "$(field argv0)" "$TESTROOT/bin/php-cgi9.0" "-p 9.0: argv[0]"
allowed "-p 9.7 (root-owned symlink in root-owned directories)" -p 9.7 $A $A "$W"
is "$(field argv0)" "$TESTROOT/bin/php-cgi9.7" "-p 9.7: argv[0]"
said 106 interpreter "$TESTROOT/bin/php-cgi9.1: not owned by root" "-p 9.1: interpreter not owned by root" -p 9.1 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.2: writable by group or others" "-p 9.2: world-writable interpreter" -p 9.2 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.3: setuid or setgid" "-p 9.3: setuid interpreter" -p 9.3 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.4: not a regular file" "-p 9.4: interpreter is a directory" -p 9.4 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.5: link target with . or .." "-p 9.5: symlink into a user's directory" -p 9.5 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.6: not executable" "-p 9.6: interpreter not executable" -p 9.6 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.8: setuid or setgid" "-p 9.8: setgid interpreter" -p 9.8 $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-cgi9.9: No such file or directory" "-p 9.9: missing interpreter" -p 9.9 $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p 8" -p 8 $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p 8.2.1" -p 8.2.1 $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p ../x" -p ../x $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p ''" -p "" $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p 8." -p 8. $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p .2" -p .2 $A $A "$W"
said 100 usage "-p takes a version such as 8.2; $USAGE" "-p 9.0/" -p 9.0/ $A $A "$W"
chmod 0777 "$TESTROOT/bin"
said 106 interpreter "$TESTROOT/bin: directory owned by uid 0, mode 0777: must be owned by root and not writable by group or others" "interpreter directory world-writable" $A $A "$W"
chmod 0755 "$TESTROOT/bin"
chmod 0666 "$PHP_INI"
said 106 interpreter "$TESTROOT/etc/php.ini: writable by group or others" "php.ini world-writable" $A $A "$W"
chmod 0644 "$PHP_INI"
chown fsxalice "$PHP_INI"
said 106 interpreter "$TESTROOT/etc/php.ini: not owned by root" "php.ini not owned by root" $A $A "$W"
restore
allowed "interpreter and php.ini modes restored" $A $A "$W"

# --- socket ----------------------------------------------------------------
SOCK=closed said 107 socket "fd 0 is not a socket: Socket operation on non-socket" "fd 0 closed" $A $A "$W"
SOCK=null said 107 socket "fd 0 is not a socket: Socket operation on non-socket" "fd 0 /dev/null" $A $A "$W"
SOCK=pipe said 107 socket "fd 0 is not a socket: Socket operation on non-socket" "fd 0 a pipe" $A $A "$W"
SOCK=connected said 107 socket "fd 0 is not a listening stream socket (unix, inet or inet6)" "fd 0 a connected socket" $A $A "$W"
SOCK=dgram said 107 socket "fd 0 is not a listening stream socket (unix, inet or inet6)" "fd 0 a datagram socket" $A $A "$W"

# --- order of the checks ---------------------------------------------------
said 103 user "fsxlow has uid $(id -u fsxlow): root, nobody, the web server's user and uids outside 1000..60000 are never targets" "good listening socket, wrong user" fsxlow $A "$W"
SOCK=null said 103 user "no such user: fsxnosuchuser" "bad socket and bad user: user first" fsxnosuchuser $A "$W"
LBIN=$BIN_NOSUID said 100 usage "expected USER GROUP DOCROOT; $USAGE" "not setuid and bad usage: usage first" $A $A
AS=fsxcaller LBIN=$BIN_OPEN said 102 caller "uid $(id -u fsxcaller) is not root or fsxweb" "bad caller and bad user: caller first" root $A "$W"
said 103 user "fsxlow has uid $(id -u fsxlow): root, nobody, the web server's user and uids outside 1000..60000 are never targets" "bad user and bad group: user first" fsxlow fsxlowg "$W"
said 104 group "fsxbob is not a group of fsxalice" "bad group and bad docroot: group first" $A fsxbob /etc
said 105 docroot "/etc is neither below $TESTROOT/www nor inside $TESTROOT/home/fsxalice/public_html" "bad docroot and bad interpreter: docroot first" -p 9.9 $A $A /etc
SOCK=null said 106 interpreter "$TESTROOT/bin/php-cgi9.9: No such file or directory" "bad interpreter and bad socket: interpreter first" -p 9.9 $A $A "$W"

done_testing
