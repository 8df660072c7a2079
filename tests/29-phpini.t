#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions run by trap
# 29-phpini.t - a build without PHP_INI (the default; the Debian package's)
# takes the php.ini of the php-cgi it finds: PHP_INI_VERSIONED with the
# version in the name PHP_CGI leads to, through root's symlinks, as Debian's
# alternatives lead /usr/bin/php-cgi to /usr/bin/php-cgi8.2. So a PHP upgrade
# (the alternative moved to php-cgi8.4) takes 8.4's php.ini, never 8.2's.
# The test build fcgi-suexec-iniver has PHP_INI empty and
# PHP_CGI=$TESTROOT/alt/php-cgi, a root-owned link to $TESTROOT/bin/php-cgi9.0 (absolute, as Debian's alternatives).
# Asserted from inside the worker: the probe prints its argv (-c PHP.INI).
set -u
. "$(dirname "$0")/lib.sh"

A=fsxalice
W=$DOCROOT/alice
INIBIN=$TESTROOT/sbin/fcgi-suexec-iniver
ALT=$TESTROOT/alt/php-cgi
V=8.4                                   # the "upgrade": a php-cgi8.4 and its php.ini

cleanup() {
    rm -f "$ALT" "$ALT"9.7 "$TESTROOT/bin/php-cgi$V" "$TESTROOT/bin/php-cgi8.5"
    rm -rf "$TESTROOT/etc/$V"
    ln -s "$TESTROOT/bin/php-cgi9.0" "$ALT"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

v_has() { "$1" -V | grep -qx "$2"; } # v_has LAUNCHER LINE: -V shows LINE
need "the fixture has the build without PHP_INI" test -x "$INIBIN"
need "it is built without PHP_INI" v_has "$INIBIN" "PHP_INI="
need "its PHP_CGI is $ALT" v_has "$INIBIN" "PHP_CGI=$ALT"
need "the main test build has a PHP_INI" v_has "$BIN" "PHP_INI=$PHP_INI"
needs_met
cleanup

# ini: the php.ini the worker was given (the probe's argv: PHP_CGI -c INI ...)
ini() { [ "$(field argv1)" = -c ] && field argv2; }

# --- the version found: 9.0, through a root-owned link -------------------------
LBIN=$INIBIN launch $A $A "$W"
is "$rc|$(field ran)|$(ini)" "0|1|$TESTROOT/etc/9.0/php.ini" \
    "PHP_CGI -> php-cgi9.0: the worker runs with 9.0's php.ini"
launch $A $A "$W"
is "$rc|$(ini)" "0|$PHP_INI" "control: a build with PHP_INI gives that one, whatever the version"

# --- an upgrade: the link moved to php-cgi8.4 ------------------------------------
install -o root -g root -m 0755 "$PROBE" "$TESTROOT/bin/php-cgi$V"
install -d -o root -g root -m 0755 "$TESTROOT/etc/$V"
install -o root -g root -m 0644 "$PHP_INI" "$TESTROOT/etc/$V/php.ini"
ln -sfn "$TESTROOT/bin/php-cgi$V" "$ALT"
LBIN=$INIBIN launch $A $A "$W"
is "$rc|$(field ran)|$(ini)" "0|1|$TESTROOT/etc/$V/php.ini" \
    "PHP upgraded (the link now to php-cgi$V): $V's php.ini, not 9.0's"
ln -sfn "$TESTROOT/bin/php-cgi$V" "$ALT"9.7          # PHP_CGI9.7, itself leading to php-cgi8.4
LBIN=$INIBIN launch -p 9.7 $A $A "$W"
is "$rc|$(ini)" "0|$TESTROOT/etc/9.7/php.ini" "-p 9.7 takes 9.7's php.ini, as always: -p's version, not the name found"

# --- the version found has no php.ini: refused, not another version's --------------
install -o root -g root -m 0755 "$PROBE" "$TESTROOT/bin/php-cgi8.5"
ln -sfn "$TESTROOT/bin/php-cgi8.5" "$ALT"
LBIN=$INIBIN launch $A $A "$W"
is "$rc|$err" "106|fcgi-suexec: interpreter: $TESTROOT/etc/8.5: No such file or directory" \
    "php-cgi8.5 without /etc/.../8.5/php.ini: refused (106), the php.ini named"
unlike "$out" "ran=1" "php-cgi8.5 without its php.ini: nothing ran"

# --- a name without a version: refused --------------------------------------------
ln -sfn "$TESTROOT/bin/php-cgi" "$ALT"
LBIN=$INIBIN launch $A $A "$W"
is "$rc|$err" "106|fcgi-suexec: interpreter: $ALT is php-cgi: no PHP version in its name (give -p, or build with PHP_INI)" \
    "the link to a php-cgi without a version: refused (106), it says why"
unlike "$out" "ran=1" "a php-cgi without a version: nothing ran"

# --- a site user cannot choose the version: its link is refused ----------------------
ln -sfn "$TESTROOT/bin/php-cgi9.0" "$ALT"
chown -h $A:$A "$ALT"
LBIN=$INIBIN launch $A $A "$W"
is "$rc|$err" "106|fcgi-suexec: interpreter: $ALT is a symlink" \
    "the link owned by a site user: refused (106), only root's links are followed"
unlike "$out" "ran=1" "a site user's link: nothing ran"
chown -h root:root "$ALT"
LBIN=$INIBIN launch --check $A $A "$W"
is "$rc|$(grep '^interpreter:' <<<"$out")" "0|interpreter: pass: $ALT" "--check passes the build without PHP_INI"

done_testing
