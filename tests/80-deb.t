#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok)
# 80-deb.t - the Debian package (issue 14), as a sysadmin installs it.
#
# 1. Build: the tree is copied to a scratch dir (dpkg-buildpackage writes
#    ../*.deb; nothing is built in the checkout) and built with
#    dpkg-buildpackage -us -uc -b; lintian reports nothing at its default
#    level (every tag that is left has an override with its reason).
# 2. The packaged launcher passes the ELF hardening checks of 62-hardening.t
#    (static PIE, full RELRO, no executable stack, no TEXTREL, no RPATH,
#    stack protector, FORTIFY at level 3 over Debian's 2, the recorded
#    compiler switches and none that weakens them).
# 3. The suexec alternative, in a scratch root (update-alternatives --root,
#    the package's own postinst and prerm): installing never selects the
#    launcher (with no suexec the non-setuid placeholder is chosen, with
#    Debian's pristine suexec it stays, a manual choice stands), --set
#    switches, removal switches back, and on a host with no suexec nothing
#    is left.
# 4. On this machine: apt-get install ./fcgi-suexec_*.deb: 4750
#    root:www-data, the files in place, Apache's suexec unchanged;
#    update-alternatives --set makes /usr/lib/apache2/suexec the launcher
#    (one Apache would enable: -V APACHE_SUEXEC=yes), and a private Apache
#    (127.0.0.1, a free port in 18780-18799, its own ServerRoot in a temp
#    dir, User www-data) with mod_suexec and mod_fcgid serves a PHP page
#    as a site user of the test's (fsxdeb, /var/www/fsxdeb) through the
#    plainest wrapper, "exec /usr/bin/php-cgi"; apt-get purge leaves no
#    file, alternative or statoverride of the package's, and Apache's suexec
#    as it was.
# 5. Upgrade: the first build installed, an admin's dpkg-statoverride and
#    the launcher chosen; the tree rebuilt with a bumped version and
#    installed over it: the override's mode and owner and the choice kept.
#    Then purged, the override removed (the test made it).
#
# The machine is left as found: the package, the user fsxdeb and
# /var/www/fsxdeb must not be there before (prerequisites), and every exit
# stops the private Apache and the site's processes, removes the site (its
# world pins, private temp, user and group), and, the package being
# installed, purges it, removes the override this
# test added, puts the suexec alternative back to its recorded mode and
# choice, and puts back TMP_BASE (which the launcher installed by make
# install, the demo's, shares with the package) if the purge took it.
set -u
LIB_NO_FIXTURE=1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"   # stop_pid, port_busy
. "$(dirname "$0")/apache.sh"  # apache_conf_head, start_apache, stop_apache
. "$(dirname "$0")/elf.sh"     # elf_hardened

PKG=fcgi-suexec
LAUNCHER=/usr/sbin/fcgi-suexec
PLACEHOLDER=/usr/lib/fcgi-suexec/suexec-disabled
TMP_BASE=/var/lib/fcgi-suexec/tmp
PKG_FILES=("$LAUNCHER" /usr/libexec/fcgi-suexec /usr/lib/fcgi-suexec
           /lib/systemd/system/fcgi-suexec@.service /lib/systemd/system/fcgi-suexec@.socket
           /usr/share/doc/fcgi-suexec /usr/share/man/man8/fcgi-suexec.8.gz
           /usr/share/lintian/overrides/fcgi-suexec)
OVERRIDE_GROUP=adm OVERRIDE_MODE=4710
APACHE_USER=www-data                   # the private Apache's User, as Debian's
SITE=fsxdeb SITE_DIR=/var/www/fsxdeb

# --- preconditions: fail, never opt out -------------------------------------
for c in dpkg-buildpackage dh lintian apt-get dpkg-statoverride update-alternatives readelf; do
    need "$c is installed" eval "command -v $c >/dev/null"
done
need "$PKG is not installed (the test installs and purges it)" \
    eval "! dpkg-query -W -f '\${Status}' $PKG 2>/dev/null | grep -q 'installed\|config-files'"
need "no statoverride for $LAUNCHER" eval "! dpkg-statoverride --list '$LAUNCHER'"
need "group $OVERRIDE_GROUP exists" eval "getent group $OVERRIDE_GROUP >/dev/null"
need "apache2 is installed" test -x "$APACHE"
for m in mpm_prefork authz_core mime dir suexec fcgid; do
    need "module $m is installed" test -f "$MODS/mod_$m.so"
done
need "php-cgi is installed, with posix" eval "/usr/bin/php-cgi -m 2>/dev/null | grep -qx posix"
need "curl is installed" eval "command -v curl >/dev/null"
need "no user $SITE (the test's site user)" eval "! getent passwd $SITE >/dev/null && ! getent group $SITE >/dev/null"
need "no $SITE_DIR (the test's site)" test ! -e "$SITE_DIR"
needs_met

WORK=$(mktemp -d /tmp/fsx-80-deb.XXXXXX) || bail "mktemp failed"
chmod 0755 "$WORK"

# --- the machine as found -------------------------------------------------------
alt_state() { update-alternatives --query suexec 2>/dev/null | grep -E '^(Status|Value|Alternative|Priority):'; }
ALT_BEFORE=$(alt_state)
ALT_MODE=$(sed -n 's/^Status: //p' <<<"$ALT_BEFORE")
ALT_VALUE=$(sed -n 's/^Value: //p' <<<"$ALT_BEFORE")
STATO_BEFORE=$(dpkg-statoverride --list | sort)
APACHE_DIR_BEFORE=$([ -d /usr/lib/apache2 ] && echo yes || echo no)
TMP_BASE_BEFORE=$(stat -c '%a %U:%G' "$TMP_BASE" 2>/dev/null || echo missing)
LINK_BEFORE=$(readlink -f "$SUEXEC_LINK" 2>/dev/null || echo missing)

made_override=no made_site=no
# the site's processes, world pins, private temp, docroot, user and group
remove_site() {
    local uid p _
    uid=$(id -u "$SITE" 2>/dev/null) || { rm -rf "$SITE_DIR"; return 0; }
    for _ in $(seq 50); do pgrep -u "$uid" >/dev/null || break; sleep 0.1; done   # bounded, 5 s
    for p in $(pgrep -u "$uid"); do stop_pid "$p"; done
    for p in /run/fcgi-suexec/*/"$uid.$SITE".mnt /run/fcgi-suexec/*/"$uid.$SITE".ipc; do
        [ -e "$p" ] || continue
        mountpoint -q "$p" && umount "$p"
        rm -f "$p"
    done
    rm -rf "${TMP_BASE:?}/$SITE" "$SITE_DIR"
    userdel "$SITE" 2>/dev/null
    getent group "$SITE" >/dev/null && groupdel "$SITE"
    return 0
}
restore() {
    stop_apache
    [ "$made_site" = yes ] && remove_site
    if dpkg-query -W -f '${Status}' "$PKG" 2>/dev/null | grep -q 'installed\|config-files'; then
        timeout 300 apt-get purge -y -q "$PKG" >"$WORK/cleanup-purge.log" 2>&1
    fi
    if [ "$made_override" = yes ]; then
        dpkg-statoverride --remove "$LAUNCHER" 2>/dev/null
    fi
    # the choice as recorded: a manual one again, else auto
    if [ -n "$ALT_VALUE" ]; then
        if [ "$ALT_MODE" = manual ]; then
            update-alternatives --set suexec "$ALT_VALUE" >/dev/null 2>&1
        else
            update-alternatives --auto suexec >/dev/null 2>&1
        fi
    fi
    if [ "$TMP_BASE_BEFORE" != missing ] && ! [ -d "$TMP_BASE" ]; then
        install -d -m 0711 -o root -g root "$TMP_BASE"
    fi
    if [ "$APACHE_DIR_BEFORE" = no ]; then rmdir /usr/lib/apache2 2>/dev/null; fi
    rm -rf "$WORK"
    return 0
}
trap restore EXIT
trap 'exit 1' INT TERM HUP

# --- 1. build ---------------------------------------------------------------------
# build DIR: copy the checkout (no .git, no build products) to DIR/src and build there
build() {
    mkdir -p "$1/src" &&
    tar -C "$REPO" --exclude=./.git --exclude=./build --exclude=./obj \
        --exclude=./fcgi-suexec --exclude=./fcgi-suexec-audit --exclude=./fcgi-suexec-status \
        -cf - . | tar -C "$1/src" -xf - &&
    { [ -z "${2:-}" ] || sed -i "1s/^$PKG (\([^)]*\))/$PKG (\1$2)/" "$1/src/debian/changelog"; } &&
    (cd "$1/src" && timeout 900 dpkg-buildpackage -us -uc -b) >"$1/build.log" 2>&1
}
VERSION=$(sed -n "1s/^$PKG (\([^)]*\)).*/\1/p" "$REPO/debian/changelog")
ok "the package builds (dpkg-buildpackage -us -uc -b, in a copy)" build "$WORK/b1" ||
    diag "$(tail -n 30 "$WORK/b1/build.log")"
DEB1=$WORK/b1/${PKG}_${VERSION}_amd64.deb
ok "it made ${DEB1##*/}" test -f "$DEB1"
is "$(git -C "$REPO" status --porcelain --ignored -- debian 2>/dev/null | grep -v '^?? debian/$')" "" \
    "no build product in the checkout's debian/"
# lintian as nobody: it warns when run as root
chmod -R a+rX "$WORK/b1"
install -d -o nobody "$WORK/lhome"
lint=$(cd "$WORK/b1" && timeout 600 setpriv --reuid nobody --regid nogroup --clear-groups \
       env HOME="$WORK/lhome" lintian "${PKG}_${VERSION}_amd64.changes" 2>&1)
is "$lint" "" "lintian: nothing left at the default level (overrides carry the reasons)"
like "$(dpkg-deb -f "$DEB1" Static-Built-Using)" "glibc \(= .*libcap2 \(= " \
    "Static-Built-Using names glibc and libcap2"

# another policy (README.Debian): FCGI_SUEXEC_POLICY, a +local.<hash> version
local_build() { (export FCGI_SUEXEC_POLICY="HTTPD_USER=nobody DOCROOT=/srv/fsxdeb"; build "$WORK/b3"); }
ok "another policy: FCGI_SUEXEC_POLICY=\"HTTPD_USER=nobody DOCROOT=/srv/fsxdeb\" builds" local_build ||
    diag "$(tail -n 30 "$WORK/b3/build.log")"
DEB3=$(ls "$WORK/b3/${PKG}_${VERSION}+local."*_amd64.deb 2>/dev/null)
like "${DEB3##*/}" "^${PKG}_${VERSION}\+local\.[0-9a-f]{8}_amd64\.deb$" "another policy: a +local.<hash> version"
v3=${DEB3##*/} && v3=${v3#"${PKG}_"} && v3=${v3%_amd64.deb}
is "$(dpkg-deb -f "$DEB3" Version 2>&1)" "1:$v3" "another policy: epoch 1 on the local version"
ok "another policy: a later stock version (99.0) does not sort above it: no upgrade replaces it" \
    dpkg --compare-versions "1:$v3" gt 99.0
mkdir -p "$WORK/x3" && dpkg-deb -x "$DEB3" "$WORK/x3" 2>/dev/null
is "$("$WORK/x3$LAUNCHER" -V 2>&1 | grep -E '^(VERSION|HTTPD_USER|DOCROOT)=' | tr '\n' ' ')" \
   "VERSION=$v3 HTTPD_USER=nobody DOCROOT=/srv/fsxdeb " "another policy: -V shows it, and the local version"
is "$(dpkg-deb -c "$DEB3" | awk '$6 == "./usr/sbin/fcgi-suexec" {print $1, $2}')" "-rwsr-x--- root/nogroup" \
    "another policy: the launcher's group is HTTPD_USER's"

X=$WORK/x1
dpkg-deb -x "$DEB1" "$X"
is "$(dpkg-deb -c "$DEB1" | awk '$6 == "./usr/sbin/fcgi-suexec" {print $1, $2}')" "-rwsr-x--- root/www-data" \
    "the package ships the launcher 4750 root:www-data"
is "$(dpkg-deb -c "$DEB1" | awk '$6 == "./var/lib/fcgi-suexec/tmp/" {print $1, $2}')" "drwx--x--x root/root" \
    "the package ships TMP_BASE 0711 root:root"
for f in usr/libexec/fcgi-suexec/audit usr/libexec/fcgi-suexec/status usr/share/man/man8/fcgi-suexec.8.gz \
         lib/systemd/system/fcgi-suexec@.service lib/systemd/system/fcgi-suexec@.socket \
         usr/share/doc/fcgi-suexec/examples/apache/php-fcgi-wrapper usr/share/doc/fcgi-suexec/README.Debian; do
    ok "the package has /$f" eval "test -f '$X/$f' || test -f '$X/$f.gz'" # dh_compress: over 4 KiB
done
like "$(grep '^ExecStart=' "$X/lib/systemd/system/fcgi-suexec@.service")" "^ExecStart=$LAUNCHER " \
    "the unit runs the packaged launcher"
pol=$("$X$LAUNCHER" -V 2>&1)
is "$(grep -E '^(VERSION|HTTPD_USER|DOCROOT|UID_MIN|PHP_CGI|TMP_BASE)=' <<<"$pol" | tr '\n' ' ')" \
   "VERSION=$VERSION HTTPD_USER=www-data UID_MIN=1000 DOCROOT=/var/www PHP_CGI=/usr/bin/php-cgi TMP_BASE=$TMP_BASE " \
   "the policy is Debian's defaults (-V)"

# --- 2. the ELF hardening of the packaged launcher ---------------------------------
elf=$X$LAUNCHER
elf_hardened package "$elf"   # FORTIFY_SOURCE=3 there: the project's level over Debian's 2
unlike "$seg" "INTERP" "package: static (no interpreter: no -pie after -static-pie)"
unlike "$dyn" "NEEDED" "package: no shared library"
sw=$(readelf -p .GCC.command.line "$elf" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p')
for s in -fstack-protector-strong -fstack-clash-protection -ftrivial-auto-var-init=zero -fcf-protection=full -fPIE; do
    like " $sw " " $s " "package: compiled with $s"
done
like "$(grep -E -- ' -c -o obj/policy\.o ' "$WORK/b1/build.log")" \
    " -D_FORTIFY_SOURCE=2 .* -ffile-prefix-map=.* -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 " \
    "package: compiled with Debian's flags (dpkg-buildflags) first, the project's after them"
unlike "$sw" '-fno-stack-protector|-fno-stack-clash-protection|-ftrivial-auto-var-init=(uninitialized|pattern)|-fcf-protection=(none|branch|return)|-fno-PIE|-fno-pie|(^| )-O0( |$)' \
    "package: no switch that weakens them"

# the objects it was linked from (left in the build copy): CET marked, the switches in each
for o in "$WORK"/b1/src/obj/*.o; do
    n=package:${o#"$WORK"/b1/src/}
    [ -f "$o" ] || { ok "the package build left its objects" false; continue; }
    ok "$n: CET: marked IBT, SHSTK (-fcf-protection)" \
        eval "readelf -n '$o' | grep -E 'x86 feature:.*IBT' | grep -q SHSTK"
    osw=$(readelf -p .GCC.command.line "$o" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p')
    like " $osw " " -fstack-clash-protection .*-ftrivial-auto-var-init=zero " "$n: compiled with the project's switches"
done

# --- 3. the alternative's design, in a scratch root ---------------------------------
R=$WORK/root
# ua ARGS...: update-alternatives in the scratch root
ua() { update-alternatives --root "$R" "$@"; }
# in_root SCRIPT ARG: the package's maintainer script, its update-alternatives the scratch root's
mkdir -p "$WORK/shim"
printf '#!/bin/sh\nexec /usr/bin/update-alternatives --root "%s" "$@"\n' "$R" >"$WORK/shim/update-alternatives"
chmod 0755 "$WORK/shim/update-alternatives"
in_root() { PATH=$WORK/shim:$PATH sh "$REPO/debian/$PKG.$1" "$2" >/dev/null 2>&1; }
fresh_root() {
    rm -rf "$R" && mkdir -p "$R/var/lib/dpkg/alternatives" "$R/etc/alternatives" &&
    cp -a "$X/." "$R/"
}
value() { ua --query suexec 2>/dev/null | sed -n 's/^\(Status\|Value\): //p' | paste -sd' ' -; }
fresh_root
ok "no suexec: the postinst runs" in_root postinst configure
is "$(value)" "auto $PLACEHOLDER" "no suexec: the non-setuid placeholder is chosen, not the launcher"
ok "no suexec: the chosen member is not setuid (Apache keeps suEXEC disabled)" \
    test -f "$R$(readlink "$R/etc/alternatives/suexec")" -a ! -u "$R$(readlink "$R/etc/alternatives/suexec")"
ok "no suexec: the postinst again (an upgrade)" in_root postinst configure
is "$(value)" "auto $PLACEHOLDER" "no suexec: still the placeholder"
ua --set suexec "$LAUNCHER" >/dev/null 2>&1
is "$(value)" "manual $LAUNCHER" "update-alternatives --set suexec $LAUNCHER switches"
is "$(readlink "$R/etc/alternatives/suexec.8.gz")" "/usr/share/man/man8/fcgi-suexec.8.gz" \
    "its slave: suexec(8) is fcgi-suexec(8)"
ok "no suexec: the prerm (remove) runs" in_root prerm remove
is "$(value)" "" "no suexec: after removal no suexec group is left"
ok "no suexec: nor the link $SUEXEC_LINK" test ! -e "$R$SUEXEC_LINK" -a ! -L "$R$SUEXEC_LINK"

fresh_root
PRISTINE=/usr/lib/apache2/suexec-pristine
touch "$R$PRISTINE"
ua --install "$SUEXEC_LINK" suexec "$PRISTINE" 10 >/dev/null 2>&1
ok "with pristine (auto): the postinst runs" in_root postinst configure
is "$(value)" "auto $PRISTINE" "with pristine (auto): it stays chosen"
ua --set suexec "$LAUNCHER" >/dev/null 2>&1
ok "with pristine, the launcher chosen: the prerm (remove) runs" in_root prerm remove
is "$(value)" "auto $PRISTINE" "with pristine: removal switches back to it"
ua --set suexec "$PRISTINE" >/dev/null 2>&1
ok "with pristine (manual): the postinst runs" in_root postinst configure
is "$(value)" "manual $PRISTINE" "with pristine (manual): the admin's choice stands"

# --- 4. install, switch, purge on this machine --------------------------------------
apt_install() { # DEB LOG
    timeout 600 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >"$2" 2>&1
}
apt_purge() {
    timeout 300 env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$PKG" >"$1" 2>&1
}
ok "apt-get install ./${DEB1##*/}" apt_install "$DEB1" "$WORK/install1.log" ||
    diag "$(tail -n 20 "$WORK/install1.log")"
like "$(cat "$WORK/install1.log")" "0 upgraded, 1 newly installed, 0 to remove" \
    "apt installed the package alone (its Recommends, php-cgi, already there: nothing else to undo)"
is "$(stat -c '%a %U:%G' "$LAUNCHER" 2>&1)" "4750 root:www-data" "installed: $LAUNCHER 4750 root:www-data"
is "$(stat -c '%a %U:%G' "$TMP_BASE" 2>&1)" "711 root:root" "installed: TMP_BASE 0711 root:root"
for f in "${PKG_FILES[@]}"; do ok "installed: $f" test -e "$f"; done
is "$(readlink -f "$SUEXEC_LINK" 2>/dev/null || echo missing)" "$LINK_BEFORE" \
    "installing did not change Apache's suexec ($LINK_BEFORE)"
alts=$(update-alternatives --query suexec)
like "$alts" "Alternative: $LAUNCHER"$'\n'"Priority: -100" "the launcher is a suexec alternative (priority -100)"
like "$alts" "Alternative: $PLACEHOLDER"$'\n'"Priority: -50" "the placeholder is one (priority -50)"
ua_set() { update-alternatives --set suexec "$1" >/dev/null; }
ok "update-alternatives --set suexec $LAUNCHER" ua_set "$LAUNCHER"
is "$(readlink -f "$SUEXEC_LINK")" "$LAUNCHER" "$SUEXEC_LINK is the launcher"
like "$("$SUEXEC_LINK" -V 2>&1 | grep '^APACHE_SUEXEC=')" "^APACHE_SUEXEC=yes " \
    "through $SUEXEC_LINK: a launcher Apache would enable (-V)"

# Apache with mod_fcgid, its suexec the package's launcher, serves the site's page
made_site=yes
useradd -M -U -d "$SITE_DIR" -s /usr/sbin/nologin "$SITE"
SITE_UID=$(id -u "$SITE")
mkdir -p "$SITE_DIR/htdocs" "$SITE_DIR/fcgi-bin"
printf '#!/bin/sh\nexec /usr/bin/php-cgi\n' >"$SITE_DIR/fcgi-bin/php-fcgi-wrapper"
printf '<?php echo "uid=", posix_getuid(), "\\n";\n' >"$SITE_DIR/htdocs/index.php"
chown -R "$SITE:$SITE" "$SITE_DIR"
chmod 0755 "$SITE_DIR" "$SITE_DIR/htdocs" "$SITE_DIR/fcgi-bin" "$SITE_DIR/fcgi-bin/php-fcgi-wrapper"
chmod 0644 "$SITE_DIR/htdocs/index.php"
AWORK=$WORK/apache A=$AWORK           # the private Apache's ServerRoot (tests/apache.sh)
apache_conf() { # PORT
    apache_conf_head "$1" suexec fcgid
    cat <<EOC
<VirtualHost *:$1>
    ServerName site.test
    DocumentRoot $SITE_DIR/htdocs
    SuexecUserGroup $SITE $SITE
    <Directory $SITE_DIR/htdocs>
        Options ExecCGI SymLinksIfOwnerMatch
        AddHandler fcgid-script .php
        FcgidWrapper $SITE_DIR/fcgi-bin/php-fcgi-wrapper .php
        DirectoryIndex index.php
        Require all granted
    </Directory>
</VirtualHost>
EOC
}
start_apache 18780 18799 "a private Apache answers on 127.0.0.1:%s" none
like "$(cat "$A/logs/error.log")" "suEXEC mechanism enabled \(wrapper: /usr/lib/apache2/suexec\)" \
    "Apache enabled suEXEC: the package's launcher, through the alternative"
page=$(curl -sS --max-time 30 -H "Host: site.test" "http://127.0.0.1:${APORT:-1}/index.php" 2>&1)
is "$page" "uid=$SITE_UID" "the PHP page is served as $SITE (uid $SITE_UID) through \"exec /usr/bin/php-cgi\"" ||
    diag "$(tail -n 20 "$A/logs/error.log")"
stop_apache
# The native form, as spawn-fcgi or systemd start it: the package has no
# PHP_INI built in, so the worker gets the php.ini of the php-cgi that
# Debian's alternative leads to (php-cgi8.2: /etc/php/8.2/cgi/php.ini)
is "$("$LAUNCHER" -V | grep '^PHP_INI=')" "PHP_INI=" "the package's launcher has no PHP_INI built in"
PHPV=$(readlink -f /usr/bin/php-cgi); PHPV=${PHPV##*/php-cgi}
setpriv --reuid www-data --regid www-data --init-groups -- "$FDSOCK" unix "$A/fcgid/native.sock" -- \
    "$LAUNCHER" "$SITE" "$SITE" "$SITE_DIR/htdocs" </dev/null >"$A/native.out" 2>&1 &
NATIVE_PID=$!
for _ in $(seq 50); do # until the launcher became php-cgi (bounded, 5 s), or died
    case $(readlink "/proc/$NATIVE_PID/exe" 2>/dev/null) in */php-cgi*) break ;; esac
    kill -0 "$NATIVE_PID" 2>/dev/null || break
    sleep 0.1
done
NATIVE_ARGS=$(tr '\0' ' ' <"/proc/$NATIVE_PID/cmdline" 2>/dev/null | cut -d' ' -f2,3)
is "$NATIVE_ARGS" "-c /etc/php/$PHPV/cgi/php.ini" \
    "native form: php-cgi$PHPV (through the alternative) runs with /etc/php/$PHPV/cgi/php.ini"
[ -n "$NATIVE_ARGS" ] || diag "the launch said: $(cat "$A/native.out")"
stop_pid "$NATIVE_PID"
remove_site; made_site=no
ok "the site is gone (user, docroot, private temp)" \
    eval "! getent passwd $SITE >/dev/null && test ! -e $SITE_DIR -a ! -e $TMP_BASE/$SITE"

ok "apt-get purge $PKG" apt_purge "$WORK/purge1.log" || diag "$(tail -n 20 "$WORK/purge1.log")"
ok "purged: dpkg knows no $PKG" eval "! dpkg-query -W $PKG >/dev/null 2>&1"
for f in "${PKG_FILES[@]}"; do ok "purged: no $f" test ! -e "$f"; done
is "$(alt_state)" "${ALT_BEFORE/Status: manual/Status: auto}" \
    "purged: the suexec alternative as before (a manual choice of the launcher went back to auto)"
is "$(readlink -f "$SUEXEC_LINK" 2>/dev/null || echo missing)" "$LINK_BEFORE" "purged: Apache's suexec is back ($LINK_BEFORE)"
is "$(dpkg-statoverride --list | sort)" "$STATO_BEFORE" "purged: the statoverrides as before"
is "$([ -d /usr/lib/apache2 ] && echo yes || echo no)" "$APACHE_DIR_BEFORE" "purged: /usr/lib/apache2 as before"
# TMP_BASE: the demo's launcher (make install) shares it; restore() puts it back if dpkg took it
[ "$TMP_BASE_BEFORE" != missing ] && ! [ -d "$TMP_BASE" ] && install -d -m 0711 -o root -g root "$TMP_BASE"

# --- 5. upgrade ------------------------------------------------------------------------
ok "apt-get install ./${DEB1##*/} (for the upgrade)" apt_install "$DEB1" "$WORK/install2.log" ||
    diag "$(tail -n 20 "$WORK/install2.log")"
made_override=yes
ok "an admin's statoverride: root:$OVERRIDE_GROUP $OVERRIDE_MODE" \
    dpkg-statoverride --update --add root "$OVERRIDE_GROUP" "$OVERRIDE_MODE" "$LAUNCHER"
ok "the launcher chosen" ua_set "$LAUNCHER"
ok "the tree rebuilt with a bumped version (${VERSION}.1)" build "$WORK/b2" .1 ||
    diag "$(tail -n 30 "$WORK/b2/build.log")"
DEB2=$WORK/b2/${PKG}_${VERSION}.1_amd64.deb
ok "apt-get install ./${DEB2##*/} (the upgrade)" apt_install "$DEB2" "$WORK/upgrade.log" ||
    diag "$(tail -n 20 "$WORK/upgrade.log")"
is "$(dpkg-query -W -f '${Version}' "$PKG")" "${VERSION}.1" "upgraded to ${VERSION}.1"
is "$(stat -c '%a %U:%G' "$LAUNCHER" 2>&1)" "${OVERRIDE_MODE#0} root:$OVERRIDE_GROUP" \
    "upgraded: the admin's statoverride applied to the new launcher"
is "$(update-alternatives --query suexec | sed -n 's/^\(Status\|Value\): //p' | paste -sd' ' -)" \
    "manual $LAUNCHER" "upgraded: the launcher is still the manual choice"
like "$("$LAUNCHER" -V 2>&1 | grep '^VERSION=')" "^VERSION=${VERSION}.1$" "upgraded: the new launcher (-V)"
ok "apt-get purge $PKG (after the upgrade)" apt_purge "$WORK/purge2.log" || diag "$(tail -n 20 "$WORK/purge2.log")"
ok "the test's statoverride removed" dpkg-statoverride --remove "$LAUNCHER"
made_override=no
for f in "${PKG_FILES[@]}"; do ok "purged after upgrade: no $f" test ! -e "$f"; done
is "$(alt_state)" "${ALT_BEFORE/Status: manual/Status: auto}" \
    "purged after upgrade: the suexec alternative as before"
is "$(dpkg-statoverride --list | sort)" "$STATO_BEFORE" "purged after upgrade: the statoverrides as before"

done_testing
