#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 70-apps.t - real applications from Debian's archive, unchanged, through the
# launcher (issue 11): WordPress on MariaDB and DokuWiki, copied into sites of
# fsxalice (cp -rL: links resolved; their /etc configuration and /var/lib data
# moved into the site), each flow of a browser run twice:
#
#   confined: curl -> a private nginx -> unix socket -> a launcher built here
#             (PHP_CGI=/usr/bin/php-cgi8.2, PHP_INI=Debian's cgi php.ini,
#             installed setuid as $TESTROOT/sbin/fcgi-suexec-apps) -> php-cgi8.2
#   plain:    the same nginx -> spawn-fcgi -u fsxalice -> the same php-cgi8.2
#             with the same php.ini, no launcher
#
# and the result of each flow (HTTP status and a marker from the page) must
# be the plain one's, which must itself be what the application does when it
# works: a failure is the launcher's, not the application's. Then the same
# WordPress under Apache + mod_fcgid with the plainest wrapper (#!/bin/sh,
# exec /usr/bin/php-cgi: no option at all), the launcher in its Apache
# compatible mode (a private apache2 of tests/apache.sh in a mount namespace of
# its own, as 46-apache.t runs it), against the same plain results.
#
# WordPress: install (wp-admin/install.php), log in (wp-login.php, cookies),
# the dashboard, a REST nonce (admin-ajax.php?action=rest-nonce), a post and a
# media upload through the REST API (?rest_route=, no rewrite rules needed),
# the uploaded file served back, the post viewed, and a must-use plugin that
# writes a file in /tmp by its literal name and reads it back.
# DokuWiki ($conf['useacl'] = 0 in the site's local.php: anyone edits and
# uploads): view a page, edit and save one through its form (sectok), index
# it (lib/exe/taskrunner.php, as the page's image bug does) and search, upload
# a media file through the media manager (sectok), fetch it back.
#
# A private MariaDB server (mariadbd --no-defaults, its datadir, socket and
# pid file in the test's temp dir, on 127.0.0.1 and a free port, as the
# mysql user) holds one database per WordPress site; /etc/mysql and
# /var/lib/mysql are never read nor changed. Ports: nginx 18700-18719,
# MariaDB 18720-18739, Apache 18740-18759. Everything started or made here
# (servers, sites under $DOCROOT/alice/70-*, the launcher build, the files
# the plain plugin left in /tmp and the plain sessions) is removed on exit.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"
. "$(dirname "$0")/apache.sh"

APPS=$REPO/tests/apps
PNG=$APPS/fsx70.png
PHP_INI_SYS=/etc/php/8.2/cgi/php.ini
WP_SRC=/usr/share/wordpress WP_DATA=/var/lib/wordpress/wp-content
WIKI_SRC=/usr/share/dokuwiki WIKI_CONF=/etc/dokuwiki WIKI_DATA=/var/lib/dokuwiki/data
MARIADBD=/usr/sbin/mariadbd
ABIN=$TESTROOT/sbin/fcgi-suexec-apps             # the launcher built here, real php-cgi
ABUILD=build/test-apps
U=fsxalice
S=$DOCROOT/alice                                 # the sites: $S/70-*
DBPW=fsx70-$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')
WPPW=fsx70-Admin-$(od -An -tx4 -N4 /dev/urandom | tr -d ' \n')
STARTED=$(mktemp /tmp/fsx-70-started.XXXXXX)     # files newer than this are the test's
DB_PID='' DBPORT=''
declare -A R=() SNIP=() HOST=() HPORT=()         # results, body excerpts, each site's host and port
nl=$'\n'

# --- preconditions: fail, never opt out -------------------------------------
need "nginx is installed ($NGINX)" test -x "$NGINX"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "$PHP_INI_SYS exists" test -f "$PHP_INI_SYS"
mods() { local m; for m in mysqli gd xml posix; do "$PHP_REAL" -m | grep -qx "$m" || return 1; done; }
need "php-cgi8.2 has mysqli, gd, xml and posix (php8.2-mysql, php8.2-gd, php8.2-xml)" mods
tools() { local t; for t in curl spawn-fcgi unshare nsenter setsid mariadb mariadb-install-db mariadb-admin; do command -v "$t" >/dev/null || return 1; done; }
need "curl, spawn-fcgi, unshare, nsenter, setsid and the MariaDB tools are installed" tools
need "MariaDB's server is installed ($MARIADBD, package mariadb-server)" test -x "$MARIADBD"
need "user mysql exists" eval "getent passwd mysql >/dev/null"
need "WordPress is installed ($WP_SRC, package wordpress)" test -f "$WP_SRC/wp-settings.php" -a -d "$WP_DATA"
need "a WordPress theme is installed (wordpress-theme-twentytwentyone)" \
    test -f "$WP_SRC/wp-content/themes/twentytwentyone/style.css"
need "DokuWiki is installed ($WIKI_SRC, package dokuwiki)" test -f "$WIKI_SRC/doku.php" -a -d "$WIKI_CONF" -a -d "$WIKI_DATA"
need "apache2 is installed ($APACHE)" test -x "$APACHE"
for m in mpm_prefork authz_core mime dir suexec fcgid; do
    need "Apache module $m is installed" test -f "$MODS/mod_$m.so"
done
need "/usr/bin/php-cgi is php-cgi8.2" test "$(readlink -f /usr/bin/php-cgi)" = "$(readlink -f "$PHP_REAL")"
need "site user $U's docroot $S exists" test -d "$S"
needs_met

# --- cleanup ---------------------------------------------------------------------
SITES_DIRS=("$S/70-wp-plain" "$S/70-wp" "$S/70-wiki-plain" "$S/70-wiki" "$S/70-apache")
cleanup() {
    stop_apache
    nginx_cleanup
    stop_pid "$DB_PID"
    rm -rf "${SITES_DIRS[@]}" "$ABIN" "$ABIN.new"
    rm -f /tmp/fsx70-*.txt
    find /var/lib/php/sessions -maxdepth 1 -user "$U" -newer "$STARTED" -name 'sess_*' -delete 2>/dev/null
    rm -f "$STARTED"
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

nginx_setup                                      # $WORK
AWORK=$WORK/apache

# --- the launcher: real php-cgi8.2 and Debian's php.ini -------------------------
make -s -C "$REPO" BUILDDIR="$ABUILD" HTTPD_USER=fsxweb DOCROOT="$DOCROOT" PHP_CGI="$PHP_REAL" \
    PHP_INI="$PHP_INI_SYS" TMP_BASE="$TESTROOT/tmp" SITE_GROUPS=fsxsiteg \
    AUDIT_HELPER="$TESTROOT/libexec/fcgi-suexec-audit" >"$WORK/make.log" 2>&1
ok "a launcher with PHP_CGI=$PHP_REAL, PHP_INI=$PHP_INI_SYS builds ($ABUILD)" \
    test -x "$REPO/$ABUILD/fcgi-suexec" || diag "$(tail -n 20 "$WORK/make.log")"
cp "$REPO/$ABUILD/fcgi-suexec" "$ABIN.new" && chown root:fsxweb "$ABIN.new" &&
    chmod 4750 "$ABIN.new" && mv -f "$ABIN.new" "$ABIN"
vbin() { "$ABIN" -V 2>/dev/null | sed -n "s/^$1=//p"; }
is "$(vbin PHP_CGI) $(vbin PHP_INI) $(vbin DOCROOT)" "$PHP_REAL $PHP_INI_SYS $DOCROOT" \
    "$ABIN: root:fsxweb 4750, -V shows its PHP_CGI, PHP_INI and DOCROOT"

# --- MariaDB -------------------------------------------------------------------------
DB=$WORK/db
mkdir -p "$DB/data" && chown -R mysql:mysql "$DB" && chmod 0700 "$DB"
mariadb-install-db --no-defaults --user=mysql --datadir="$DB/data" --skip-test-db \
    --auth-root-authentication-method=normal >"$WORK/db-install.log" 2>&1
ok "mariadb-install-db: a datadir in $DB/data" test -d "$DB/data/mysql" ||
    diag "$(tail -n 20 "$WORK/db-install.log")"
sql() { timeout 30 mariadb --no-defaults -uroot --socket="$DB/sock" -e "$1"; }
for p in $(seq 18720 18739); do
    port_busy "$p" && continue
    "$MARIADBD" --no-defaults --user=mysql --datadir="$DB/data" --socket="$DB/sock" \
        --pid-file="$DB/pid" --port="$p" --bind-address=127.0.0.1 --skip-networking=0 \
        --skip-name-resolve --log-error="$DB/error.log" --innodb-buffer-pool-size=32M \
        </dev/null >/dev/null 2>&1 &
    DB_PID=$!
    for _ in $(seq 100); do   # until it answers (bounded, 20 s), or dies
        if timeout 5 mariadb-admin --no-defaults -uroot --socket="$DB/sock" ping >/dev/null 2>&1; then
            DBPORT=$p; break
        fi
        kill -0 "$DB_PID" 2>/dev/null || break
        sleep 0.2
    done
    [ -n "$DBPORT" ] && break
    stop_pid "$DB_PID"
    DB_PID=
    grep -qs 'Address already in use\|Do you already have another' "$DB/error.log" || break
done
ok "private MariaDB answers on 127.0.0.1:${DBPORT:-?}" test -n "$DBPORT" ||
    diag "$(tail -n 20 "$DB/error.log" 2>/dev/null)"
ok "MariaDB: databases wp_plain, wp_conf, wp_apache and user fsx70@127.0.0.1" sql "
    CREATE DATABASE wp_plain; CREATE DATABASE wp_conf; CREATE DATABASE wp_apache;
    CREATE USER 'fsx70'@'127.0.0.1' IDENTIFIED BY '$DBPW';
    GRANT ALL ON wp_plain.* TO 'fsx70'@'127.0.0.1'; GRANT ALL ON wp_conf.* TO 'fsx70'@'127.0.0.1';
    GRANT ALL ON wp_apache.* TO 'fsx70'@'127.0.0.1';"

# --- the sites ------------------------------------------------------------------------
rm -rf "${SITES_DIRS[@]}"
# owned by the site's user, nothing group- or world-writable
own() { chown -R "$U:$U" "$1" && chmod -R go-w "$1"; }

wp_site() { # DIR DATABASE
    local d=$1 k
    cp -rL "$WP_SRC" "$d"
    cp -rL "$WP_DATA/." "$d/wp-content/"                 # /var/lib/wordpress's into the site
    rm -f "$d/.htaccess"                                  # was a link to /etc/wordpress/htaccess
    mkdir -p "$d/wp-content/mu-plugins"
    sed -e "s|@FILE@|/tmp/fsx70-$(basename "$d").txt|" -e "s|@MARK@|fsx70-$RANDOM$RANDOM|" \
        "$APPS/fsx-tmp.php" >"$d/wp-content/mu-plugins/fsx-tmp.php"
    # Debian's wp-config.php reads /etc/wordpress/config-HOST.php: the site's own instead
    {
        cat <<EOF
<?php
// written by tests/70-apps.t: this site's own configuration
define('DB_NAME', '$2');
define('DB_USER', 'fsx70');
define('DB_PASSWORD', '$DBPW');
define('DB_HOST', '127.0.0.1:$DBPORT');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
EOF
        for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
            echo "define('$k', '$(od -An -tx8 -N32 /dev/urandom | tr -d ' \n')');"
        done
        cat <<'EOF'
$table_prefix = 'wp_';
define('WP_DEFAULT_THEME', 'twentytwentyone');
define('WP_AUTO_UPDATE_CORE', false);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);       // no network but 127.0.0.1 here
if (!defined('ABSPATH'))
    define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
EOF
    } >"$d/wp-config.php"
    own "$d"
}

wiki_site() { # DIR
    local d=$1
    cp -rL "$WIKI_SRC" "$d"
    rm -f "$d/.htaccess"                                  # was a link to /etc/dokuwiki/htaccess
    # Debian's preload.php points DOKU_CONF at /etc/dokuwiki: without it, DokuWiki's
    # own default, DOKU_INC/conf/, the copy of /etc/dokuwiki
    rm -f "$d/inc/preload.php"
    cp -rL "$WIKI_CONF" "$d/conf"
    cp -rL "$WIKI_DATA" "$d/data"
    printf "\$conf['savedir'] = DOKU_INC . 'data';\n\$conf['useacl'] = 0;\n" >>"$d/conf/local.php"
    own "$d"
}

wp_site "$S/70-wp-plain" wp_plain
wp_site "$S/70-wp" wp_conf
wiki_site "$S/70-wiki-plain"
wiki_site "$S/70-wiki"
mkdir -p "$S/70-apache"
wp_site "$S/70-apache/htdocs" wp_apache
mkdir -p "$S/70-apache/fcgi-bin"
printf '#!/bin/sh\nexec /usr/bin/php-cgi\n' >"$S/70-apache/fcgi-bin/php-cgi-wrapper"
chmod 0755 "$S/70-apache/fcgi-bin/php-cgi-wrapper"
own "$S/70-apache"
leftover() { grep -lE '/(etc|var/lib|usr/share)/(wordpress|dokuwiki)' "$S/70-wp/wp-config.php" \
    "$S/70-wiki/conf/local.php" "$S/70-wiki/conf/dokuwiki.php"; ls "$S/70-wiki/inc/preload.php" 2>/dev/null; }
is "$(leftover)" "$S/70-wiki/conf/dokuwiki.php" \
    "the sites' configuration names no path of the packages (but DokuWiki's defaults, overridden in local.php)"
is "$(find "${SITES_DIRS[@]}" \( -type l -o ! -user "$U" -o -perm /022 \) | head -n 3)" "" \
    "the sites: no symlink, every file $U's, nothing group- or world-writable"

# --- the workers ------------------------------------------------------------------------
plain_worker() { # NAME DIR
    start_worker "$1" "$RUNDIR/sock/70-$1.sock" env -i "PATH=$SAFE_PATH" "USER=$U" "LOGNAME=$U" \
        "HOME=$(getent passwd "$U" | cut -d: -f6)" PHP_FCGI_CHILDREN=0 \
        spawn-fcgi -n -s "$RUNDIR/sock/70-$1.sock" -M 0660 -U fsxweb -G fsxweb -u "$U" -g "$U" \
        -d "$2" -- "$PHP_REAL" -c "$PHP_INI_SYS"
}
conf_worker() { # NAME DIR
    start_worker "$1" "$RUNDIR/sock/70-$1.sock" as_user fsxweb "$FDSOCK" --env-clear \
        --env PHP_FCGI_CHILDREN=0 unix "$RUNDIR/sock/70-$1.sock" -- "$ABIN" "$U" "$U" "$2"
}
plain_worker wp-plain "$S/70-wp-plain"
conf_worker wp "$S/70-wp"
plain_worker wiki-plain "$S/70-wiki-plain"
conf_worker wiki "$S/70-wiki"
for n in wp-plain wp wiki-plain wiki; do wait_worker "$n"; done
is "$(tr '\0' ' ' <"/proc/${PHP_PID[wp-plain]:-0}/cmdline" 2>/dev/null)" "$PHP_REAL -c $PHP_INI_SYS " \
    "the plain worker: php-cgi8.2 -c $PHP_INI_SYS, no launcher"
like "$(tr '\0' ' ' <"/proc/${PHP_PID[wp]:-0}/cmdline" 2>/dev/null)" "^$PHP_REAL -c $PHP_INI_SYS( |\$)" \
    "the confined worker: php-cgi8.2 -c $PHP_INI_SYS, from the launcher"
is "$(status_field "${PHP_PID[wp]:-0}" Uid) $(status_field "${PHP_PID[wp-plain]:-0}" Uid)" \
    "$(id -u $U) $(id -u $U) $(id -u $U) $(id -u $U) $(id -u $U) $(id -u $U) $(id -u $U) $(id -u $U)" \
    "both workers run as $U"

nginx_servers() { # PORT
    default_server "$1"
    local n
    for n in wp-plain wp wiki-plain wiki; do   # nginx.sh's block, and index.php for a directory
        php_server "$1" "$n.test" "$S/70-$n" "$RUNDIR/sock/70-$n.sock" |
            sed 's|^\( *\)root .*;$|&\n\1index index.php;|'
    done
}
start_nginx 18700 18719 || done_testing
for k in wp-plain wp wiki-plain wiki; do HOST[$k]=$k.test HPORT[$k]=$PORT; done

# --- HTTP --------------------------------------------------------------------------------
# http KEY PATH [CURL ARGS...]: http://HOST:PORT/PATH of site KEY, with its
# own cookie jar: $code, $body, $loc (Location, without scheme, host and port).
# Retried (at most 10 times) only while the server cannot reach the worker.
http() {
    local k=$1 path=$2 _; shift 2
    local h=${HOST[$k]} p=${HPORT[$k]}
    [ -e "$WORK/$k.jar" ] || : >"$WORK/$k.jar"
    for _ in $(seq 10); do
        code=$(curl -sS --max-time 60 --resolve "$h:$p:127.0.0.1" -b "$WORK/$k.jar" -c "$WORK/$k.jar" \
            -D "$WORK/$k.hdr" -o "$WORK/$k.body" -w '%{http_code}' "$@" "http://$h:$p$path" 2>"$WORK/curl.err")
        case $code in 000|502) sleep 0.3 ;; *) break ;; esac
    done
    body=$(tr -d '\0' <"$WORK/$k.body" 2>/dev/null)
    loc=$(sed -n 's/^[Ll]ocation: *//p' "$WORK/$k.hdr" 2>/dev/null | tr -d '\r' | sed "s|^http://$h:$p||")
}
# result KEY FLOW MARKER [MARKER...]: R[KEY:FLOW] = "$code" and each MARKER
# the body holds (a missing one as "-")
result() {
    local k=$1 f=$2 m v=$code; shift 2
    for m in "$@"; do
        if [[ $body == *"$m"* ]]; then v+=" $m"; else v+=" -"; fi
    done
    R[$k:$f]=$v
    # shellcheck disable=SC2001 # a regular expression, not a substitution of a string
    SNIP[$k:$f]=$(sed -e 's/<[^>]*>/ /g' <<<"$body" | tr -s ' \t\n' ' ' | cut -c1-300)
}

# --- WordPress flows ---------------------------------------------------------------------
WP_FLOWS=(install login dashboard nonce post media media-file view tmp-plugin)
wp_flows() { # KEY
    local k=$1 nonce='' id='' src='' base
    base=http://${HOST[$k]}:${HPORT[$k]}
    http "$k" '/wp-admin/install.php?step=2' -d language= --data-urlencode "weblog_title=FSX $k" \
        -d user_name=admin --data-urlencode "admin_password=$WPPW" --data-urlencode "admin_password2=$WPPW" \
        -d pw_weak=on -d admin_email=admin@example.org -d blog_public=0 -d Submit=Install
    result "$k" install 'Success!'
    http "$k" /wp-login.php
    http "$k" /wp-login.php -d log=admin --data-urlencode "pwd=$WPPW" -d wp-submit=Log+In \
        -d testcookie=1 --data-urlencode "redirect_to=$base/wp-admin/"
    result "$k" login
    R[$k:login]+=" location=$loc"
    if grep -q wordpress_logged_in_ "$WORK/$k.jar"; then R[$k:login]+=" logged_in"; fi
    http "$k" /wp-admin/
    result "$k" dashboard 'Dashboard</h1>'
    http "$k" '/wp-admin/admin-ajax.php?action=rest-nonce'
    if [[ $body =~ ^[0-9a-f]{10}$ ]]; then nonce=$body; fi
    R[$k:nonce]="$code ${nonce:+a nonce}"
    SNIP[$k:nonce]=${body:0:300}
    http "$k" '/index.php?rest_route=/wp/v2/posts' -H "X-WP-Nonce: $nonce" \
        -H 'Content-Type: application/json' \
        -d '{"title":"FSX70 post","content":"FSX70-POST-BODY","status":"publish"}'
    result "$k" post '"status":"publish"' FSX70-POST-BODY
    [[ $body =~ ^\{\"id\":([0-9]+) ]] && id=${BASH_REMATCH[1]}
    http "$k" '/index.php?rest_route=/wp/v2/media' -H "X-WP-Nonce: $nonce" -H 'Content-Type: image/png' \
        -H 'Content-Disposition: attachment; filename=fsx70.png' --data-binary "@$PNG"
    result "$k" media '"mime_type":"image\/png"' '"thumbnail":{'   # GD made the thumbnail
    # the last source_url is the file's (the first ones, its sizes')
    src=$(grep -o '"source_url":"[^"]*"' <<<"$body" | tail -n 1 | sed -e 's/^"source_url":"//' -e 's/"$//' -e 's|\\/|/|g')
    http "$k" "${src#"$base"}"
    R[$k:media-file]="$code $(cmp -s "$WORK/$k.body" "$PNG" && echo same-bytes) ${src##*/}"
    SNIP[$k:media-file]="source_url=$src"
    http "$k" "/?p=${id:-0}"
    result "$k" view FSX70-POST-BODY 'FSX70 post</h1>'
    http "$k" '/index.php?fsx_tmp=1'
    result "$k" tmp-plugin FSX-TMP-OK
}

# --- DokuWiki flows -------------------------------------------------------------------------
WIKI_FLOWS=(view edit save saved index search media-form upload media-file)
WORD=fsxword$RANDOM$RANDOM
wiki_flows() { # KEY
    local k=$1 tok='' has='' f args=() _
    http "$k" '/doku.php?id=wiki:welcome'
    result "$k" view 'Welcome to your new DokuWiki'
    http "$k" '/doku.php?id=fsx:page&do=edit'
    [[ $body =~ name=\"sectok\"\ value=\"([0-9a-f]*)\" ]] && tok=${BASH_REMATCH[1]} has=yes
    result "$k" edit 'name="wikitext"'
    R[$k:edit]+=" ${has:+a sectok field}"
    # the edit form's hidden fields, as a browser sends them back
    args=()
    for f in id rev date prefix suffix changecheck target; do
        [[ $body =~ name=\"$f\"\ value=\"([^\"]*)\" ]] && args+=(--data-urlencode "$f=${BASH_REMATCH[1]}")
    done
    http "$k" /doku.php --data-urlencode "sectok=$tok" "${args[@]}" \
        --data-urlencode "wikitext======= FSX70 wiki page ======${nl}Saved through the form: $WORD.${nl}" \
        --data-urlencode 'summary=fsx70' --data-urlencode 'do[save]=Save'
    result "$k" save
    R[$k:save]+=" location=$loc"
    http "$k" '/doku.php?id=fsx:page'
    result "$k" saved "$WORD" 'FSX70 wiki page</h1>'
    # the indexer runs one task per request (recent changes, the index, the sitemap...)
    for _ in 1 2 3; do http "$k" '/lib/exe/taskrunner.php?id=fsx:page'; done
    R[$k:index]=$code
    http "$k" "/doku.php?do=search&id=start&q=$WORD"
    result "$k" search 'id=fsx:page' 'class="search_results"'
    http "$k" '/lib/exe/mediamanager.php?ns=fsx'
    tok='' has=''
    [[ $body =~ name=\"sectok\"\ value=\"([0-9a-f]*)\" ]] && tok=${BASH_REMATCH[1]} has=yes
    result "$k" media-form 'name="upload"'
    R[$k:media-form]+=" ${has:+a sectok field}"
    http "$k" /lib/exe/mediamanager.php -F "sectok=$tok" -F ns=fsx -F mediaid=fsx70.png \
        -F "upload=@$PNG;type=image/png"
    result "$k" upload 'Upload successful'
    http "$k" '/lib/exe/fetch.php?media=fsx:fsx70.png'
    R[$k:media-file]="$code $(cmp -s "$WORK/$k.body" "$PNG" && echo same-bytes)"
}

# compare FLOWS-ARRAY-NAME APP PLAIN-KEY KEY LABEL: each flow of KEY against PLAIN-KEY's
# (expected: E[APP:FLOW], what the application answers when it works)
declare -A E=(
    [wp:install]="200 Success!"
    [wp:login]="302 location=/wp-admin/ logged_in"
    [wp:dashboard]="200 Dashboard</h1>"
    [wp:nonce]="200 a nonce"
    [wp:post]='201 "status":"publish" FSX70-POST-BODY'
    [wp:media]='201 "mime_type":"image\/png" "thumbnail":{'
    [wp:media-file]="200 same-bytes fsx70.png"
    [wp:view]="200 FSX70-POST-BODY FSX70 post</h1>"
    [wp:tmp-plugin]="200 FSX-TMP-OK"
    [wiki:view]="200 Welcome to your new DokuWiki"
    [wiki:edit]='200 name="wikitext" a sectok field'
    [wiki:save]="302 location=/doku.php?id=fsx:page"
    [wiki:saved]="200 $WORD FSX70 wiki page</h1>"
    [wiki:index]=200
    [wiki:search]='200 id=fsx:page class="search_results"'
    [wiki:media-form]='200 name="upload" a sectok field'
    [wiki:upload]="200 Upload successful"
    [wiki:media-file]="200 same-bytes"
)
check_plain() { # APP KEY FLOW...
    local app=$1 k=$2 f; shift 2
    for f in "$@"; do
        is "${R[$k:$f]:-}" "${E[$app:$f]}" "plain $app: $f works (${E[$app:$f]})"
        [ "${R[$k:$f]:-}" = "${E[$app:$f]}" ] || diag "  page: ${SNIP[$k:$f]:-}"
    done
}
check_same() { # LABEL PLAIN-KEY KEY FLOW...
    local label=$1 pk=$2 k=$3 f; shift 3
    for f in "$@"; do
        is "${R[$k:$f]:-}" "${R[$pk:$f]:-}" "$label == plain: $f"
        [ "${R[$k:$f]:-}" = "${R[$pk:$f]:-}" ] || diag "  page: ${SNIP[$k:$f]:-}"
    done
}
worker_log() { # NAME: a diag of the worker's stderr and of nginx's first error entry for its host
    local first
    first=$(awk -v h="server: $1.test," '/^[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] / { e = $0 }
        !/^[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] / { e = e " | " $0 } index(e, h) { print substr(e, 1, 700); exit }' "$WORK/nginx/error.log" 2>/dev/null)
    diag "$1 worker stderr: $(tail -n 5 "$WORK/$1.err" 2>/dev/null)${nl}nginx's first error on $1.test: $first"
}

t0=$SECONDS
wp_flows wp-plain
diag "wp_flows wp-plain: $((SECONDS - t0)) s"
t0=$SECONDS
wp_flows wp
diag "wp_flows wp: $((SECONDS - t0)) s"
check_plain wp wp-plain "${WP_FLOWS[@]}"
check_same "nginx, confined WordPress" wp-plain wp "${WP_FLOWS[@]}"
[ "${R[wp:install]}" = "${R[wp-plain:install]}" ] || worker_log wp

t0=$SECONDS
wiki_flows wiki-plain
diag "wiki_flows wiki-plain: $((SECONDS - t0)) s"
t0=$SECONDS
wiki_flows wiki
diag "wiki_flows wiki: $((SECONDS - t0)) s"
check_plain wiki wiki-plain "${WIKI_FLOWS[@]}"
check_same "nginx, confined DokuWiki" wiki-plain wiki "${WIKI_FLOWS[@]}"
[ "${R[wiki:view]}" = "${R[wiki-plain:view]}" ] || worker_log wiki

# --- the same WordPress under Apache + mod_fcgid, the plainest wrapper -------------------------
apache_conf() { # PORT
    apache_conf_head "$1" suexec fcgid
    cat <<EOF
<VirtualHost *:$1>
    ServerName apache-wp.test
    DocumentRoot $S/70-apache/htdocs
    SuexecUserGroup $U $U
    <Directory $S/70-apache/htdocs>
        Options ExecCGI SymLinksIfOwnerMatch
        AddHandler fcgid-script .php
        FcgidWrapper $S/70-apache/fcgi-bin/php-cgi-wrapper .php
        DirectoryIndex index.php
        AllowOverride None
        Require all granted
    </Directory>
</VirtualHost>
EOF
}
is "$(cat "$S/70-apache/fcgi-bin/php-cgi-wrapper")" "#!/bin/sh${nl}exec /usr/bin/php-cgi" \
    "Apache: the wrapper is only '#!/bin/sh' and 'exec /usr/bin/php-cgi'"
# apache_ns BIN: a test: in a private mount namespace (the holder's), BIN
# bind-mounted over the target of Apache's suexec link
apache_ns() {
    local real
    real=$(readlink -f "$SUEXEC_LINK")
    apache_holder 900
    ok "Apache: a private mount namespace is held by pid $HOLDER" test -n "$NS" || return 1
    ok "Apache: in the namespace, $1 bind-mounted over $real" \
        timeout 10 nsenter -t "$HOLDER" -m -- mount --bind "$1" "$real"
}
if apache_ns "$ABIN" &&
    start_apache 18740 18759 "Apache: private apache2 answers on 127.0.0.1:%s"; then
    HOST[apache]=apache-wp.test HPORT[apache]=$APORT
    t0=$SECONDS
    wp_flows apache
    diag "wp_flows apache: $((SECONDS - t0)) s"
    check_same "Apache + mod_fcgid, plainest wrapper, WordPress" wp-plain apache "${WP_FLOWS[@]}"
    [ "${R[apache:install]}" = "${R[wp-plain:install]}" ] ||
        diag "Apache error.log: $(grep -v 'AH00\(489\|558\|094\)' "$AWORK/logs/error.log" | tail -n 6 | cut -c1-400)"
fi

done_testing
