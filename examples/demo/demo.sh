#!/bin/bash
# demo.sh - two PHP sites, each run as its own user through fcgi-suexec,
# behind a private nginx on 127.0.0.1:8080. Each site's page (site.php)
# shows who its worker runs as, its confinement, and what happened when
# that request tried to reach the other site and beyond.
#
#   examples/demo/demo.sh start    (re)install and start the demo (idempotent);
#                                  installs the setuid-root launcher in /usr/local/sbin
#   examples/demo/demo.sh stop     stop the demo nginx and workers
#   examples/demo/demo.sh status   show what is running
#   examples/demo/demo.sh remove   stop it and remove all it made: its users and
#                                  groups, docroots, state, private temps and worlds,
#                                  and the installed launcher (idempotent)
#
# Must be run as root.  It does not use or change the system nginx
# (/etc/nginx, port 80): its nginx has its own configuration in $STATE.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PREFIX=/usr/local
LAUNCHER=$PREFIX/sbin/fcgi-suexec
HTTPD_USER=www-data
HTTPD_GROUP=www-data
PORT=${FSXDEMO_PORT:-8080}
STATE=/run/fsxdemo             # sockets, pid files, nginx config/logs/temp
NGX=$STATE/nginx
NGINX=/usr/sbin/nginx
SITES=(alice bob)              # user fsxdemo-$site, docroot /var/www/fsxdemo-$site
# the ids of the attempts on site.php; each must say data-result="blocked"
ATTEMPTS=(read-other list-other write-other listen see-procs run-written)

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }

# pid from FILE if that process is alive and runs the binary $2 (a path or a
# basename pattern matched against /proc/PID/exe)
live_pid() {
    local file=$1 want=$2 pid exe
    [ -r "$file" ] || return 1
    pid=$(tr -dc 0-9 <"$file")
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
    # shellcheck disable=SC2254 # $want is a glob on purpose
    case $exe in $want) echo "$pid" ;; *) return 1 ;; esac
}

# wait (bounded: ~5 s) for PID to exit; then SIGKILL it
stop_pid() {
    local pid=$1 what=$2
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do
        [ -d "/proc/$pid" ] || { say "stopped $what (pid $pid)"; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    say "killed $what (pid $pid)"
}

# is something listening on 127.0.0.1:PORT or *:PORT (IPv4 or IPv6)?
port_busy() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
                      END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

do_stop() {
    local pid site
    if pid=$(live_pid "$NGX/nginx.pid" "*/nginx"); then
        stop_pid "$pid" "nginx"
    fi
    for site in "${SITES[@]}"; do
        # the launcher exec'd into php-cgi: the pid spawn-fcgi recorded is php-cgi's
        if pid=$(live_pid "$STATE/$site.pid" "*php-cgi*"); then
            stop_pid "$pid" "$site worker"
        fi
        rm -f "$STATE/$site.pid" "$STATE/$site.sock"
    done
    rm -f "$NGX/nginx.pid"
}

need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || [ -x "$c" ] \
            || die "'$c' is missing (run ./setup.sh first)"
    done
}

# put_file SRC DEST OWNER MODE: a copy, owner and mode set (chown before chmod)
put_file() {
    install -m 0600 -o root -g root "$1" "$2.new"
    chown "$3:$3" "$2.new"
    chmod "$4" "$2.new"
    mv -f "$2.new" "$2"
}

# the site's files: the page, a secret every user may read by its mode (as
# wp-config.php on most hosts) and a guestbook every user may write by its
# mode: the other site's worker must be refused both all the same
write_site() {
    local dir=$1 user=$2 tmp
    put_file "$HERE/site.php" "$dir/index.php" "$user" 0644
    tmp=$(mktemp)
    cat >"$tmp" <<PHP
<?php
// $user's database password, as a wp-config.php holds one. Mode 0644, as on
// most hosts: by its mode every local user may read it. The other demo
// site's PHP still cannot (its page tries, on every request).
define('DB_PASSWORD', 'demo-not-a-real-password-of-$user');
PHP
    put_file "$tmp" "$dir/secret.php" "$user" 0644
    printf '%s\n' "$user's guestbook: mode 0666, so by its mode anyone may write here." >"$tmp"
    put_file "$tmp" "$dir/guestbook.txt" "$user" 0666
    rm -f "$tmp"
}

write_nginx_conf() {
    local site
    install -d -m 0755 -o root -g root "$NGX" "$NGX/www"
    install -m 0644 -o root -g root "$HERE/index.html" "$NGX/www/index.html"
    for d in client_body proxy fastcgi uwsgi scgi; do
        install -d -m 0700 -o "$HTTPD_USER" -g "$HTTPD_GROUP" "$NGX/${d}_temp"
    done
    cat >"$NGX/fastcgi_params" <<'P'
fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;
fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_URI       $document_uri;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  REQUEST_SCHEME     $scheme;
fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx;
fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  REMOTE_PORT        $remote_port;
fastcgi_param  SERVER_ADDR        $server_addr;
fastcgi_param  SERVER_PORT        $server_port;
fastcgi_param  SERVER_NAME        $server_name;
fastcgi_param  REDIRECT_STATUS    200;
P
    {
        cat <<C
# fcgi-suexec demo nginx (generated by examples/demo/demo.sh; not /etc/nginx)
user $HTTPD_USER $HTTPD_GROUP;
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 64; }
http {
    access_log $NGX/access.log;
    client_body_temp_path $NGX/client_body_temp;
    proxy_temp_path $NGX/proxy_temp;
    fastcgi_temp_path $NGX/fastcgi_temp;
    uwsgi_temp_path $NGX/uwsgi_temp;
    scgi_temp_path $NGX/scgi_temp;
    default_type text/plain;
    server {
        listen 127.0.0.1:$PORT;
        server_name localhost;
        location = / {
            root $NGX/www;
            default_type text/html;
            charset utf-8;
            try_files /index.html =404;
        }
C
        for site in "${SITES[@]}"; do
            cat <<C
        location = /$site { return 301 /$site/; }
        location ^~ /$site/ {
            alias /var/www/fsxdemo-$site/;
            index index.php;
            location ~ \.php\$ {
                include $NGX/fastcgi_params;
                fastcgi_param SCRIPT_FILENAME \$request_filename;
                fastcgi_param DOCUMENT_ROOT /var/www/fsxdemo-$site;
                fastcgi_pass unix:$STATE/$site.sock;
            }
        }
C
        done
        echo "    }"
        echo "}"
    } >"$NGX/nginx.conf"
}

do_start() {
    local site user dir fail=0
    need make install useradd getent spawn-fcgi curl "$NGINX" php-cgi

    do_stop
    port_busy "$PORT" && die "port $PORT is already in use (set FSXDEMO_PORT to use another)"

    say "installing a SETUID-ROOT program: $LAUNCHER (mode 4750, owner root, group $(id -gn "$HTTPD_USER"): only that group may run it); remove it and the demo with: $0 remove"
    say "make install PREFIX=$PREFIX"
    make -C "$REPO" install PREFIX="$PREFIX"
    [ -x "$LAUNCHER" ] || die "$LAUNCHER was not installed"

    install -d -m 0755 -o root -g root "$STATE"
    [ -d /var/www ] || install -d -m 0755 -o root -g root /var/www

    for site in "${SITES[@]}"; do
        user=fsxdemo-$site
        dir=/var/www/$user
        if ! getent passwd "$user" >/dev/null; then
            say "creating user $user"
            # regular (non-system) account: uid/gid >= UID_MIN/GID_MIN, no login
            useradd --no-create-home --home-dir /nonexistent \
                    --shell /usr/sbin/nologin --user-group "$user"
        fi
        install -d -m 0755 -o "$user" -g "$user" "$dir"
        chown "$user:$user" "$dir"          # in case it already existed
        chmod 0755 "$dir"
        write_site "$dir" "$user"

        say "starting the $site worker as $HTTPD_USER: $LAUNCHER $user $user $dir"
        if ! spawn-fcgi -s "$STATE/$site.sock" -U "$HTTPD_USER" -G "$HTTPD_GROUP" -M 0660 \
                        -u "$HTTPD_USER" -g "$HTTPD_GROUP" -P "$STATE/$site.pid" \
                        -- "$LAUNCHER" "$user" "$user" "$dir"; then
            # spawn-fcgi keeps only the exit code; --check says which check and why
            runuser -u "$HTTPD_USER" -- "$LAUNCHER" --check "$user" "$user" "$dir" </dev/null >&2 || true
            die "the $site worker did not start: fcgi-suexec --check above says why"
        fi
    done

    write_nginx_conf
    say "starting nginx on 127.0.0.1:$PORT (config $NGX/nginx.conf)"
    "$NGINX" -t -q -p "$NGX" -c "$NGX/nginx.conf" || die "nginx config test failed"
    "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" || die "nginx failed to start (see $NGX/error.log)"

    # wait (bounded: ~10 s) for nginx to answer
    for _ in $(seq 100); do
        curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" 2>/dev/null && break
        sleep 0.1
    done

    for site in "${SITES[@]}"; do
        check_page "$site" || fail=1
    done
    [ "$fail" = 0 ] || die "the demo does not work; logs: $NGX/error.log, authpriv syslog"
    say "running: open http://127.0.0.1:$PORT/ in a browser (or curl http://127.0.0.1:$PORT/alice/)"
    say "stop with: $0 stop; remove everything it installed with: $0 remove"
}

# attr HTML ID NAME: the value of attribute NAME of the element with id="ID"
attr() {
    grep -o "<[^>]* id=\"$2\"[^>]*>" <<<"$1" | head -n 1 | sed -n "s/.* $3=\"\([^\"]*\)\".*/\1/p"
}

# check_page SITE: the site's page reports its own user and uid, and every
# attempt blocked; says so, or what is wrong, in one line
check_page() {
    local site=$1 user=fsxdemo-$1 url="http://127.0.0.1:$PORT/$1/" html uid a r bad=()
    uid=$(id -u "$user")
    html=$(curl -sS --max-time 10 "$url" 2>&1) || true
    [ "$(attr "$html" user data-value)" = "$user" ] || bad+=("user '$(attr "$html" user data-value)', not $user")
    [ "$(attr "$html" uid data-value)" = "$uid" ] || bad+=("uid '$(attr "$html" uid data-value)', not $uid")
    for a in "${ATTEMPTS[@]}"; do
        r=$(attr "$html" "$a" data-result)
        [ "$r" = blocked ] || bad+=("$a: ${r:-no result}")
    done
    if [ ${#bad[@]} = 0 ]; then
        echo "  $url  ->  $user (uid $uid), ${#ATTEMPTS[@]} of ${#ATTEMPTS[@]} attempts blocked"
        return 0
    fi
    echo "  $url  ->  WRONG: $(IFS=';'; echo "${bad[*]}")" >&2
    [ -n "$html" ] && [[ $html != *"<html"* ]] && echo "  the answer was: ${html:0:300}" >&2
    return 1
}

# the port the demo nginx was configured with (empty if none)
conf_port() {
    sed -n 's/^ *listen 127\.0\.0\.1:\([0-9][0-9]*\);$/\1/p' "$NGX/nginx.conf" 2>/dev/null | head -n 1
}

do_status() {
    local pid site
    if pid=$(live_pid "$NGX/nginx.pid" "*/nginx"); then
        say "nginx running (pid $pid) on 127.0.0.1:$(conf_port)"
    else
        say "nginx not running"
    fi
    for site in "${SITES[@]}"; do
        if pid=$(live_pid "$STATE/$site.pid" "*php-cgi*"); then
            say "$site worker running (pid $pid, uid $(awk '/^Uid:/ {print $2}' "/proc/$pid/status"))"
        else
            say "$site worker not running"
        fi
    done
}

# the launcher's TMP_BASE (its -V), else the build's default
tmp_base() {
    local t=
    [ -x "$LAUNCHER" ] && t=$("$LAUNCHER" -V 2>/dev/null | sed -n 's/^TMP_BASE=//p')
    if [ -z "$t" ]; then
        t=/var/lib/fcgi-suexec/tmp
        say "no $LAUNCHER to ask (-V): assuming the default TMP_BASE=$t" >&2
    fi
    case $t in /?*) echo "$t" ;; *) die "unusable TMP_BASE '$t'" ;; esac
}

do_remove() {
    local site user uid tb p
    do_stop
    tb=$(tmp_base)
    for site in "${SITES[@]}"; do
        user=fsxdemo-$site
        if uid=$(id -u "$user" 2>/dev/null); then
            # the site's world, pinned by its first launch (SECURITY.md, "The site's world")
            for p in /run/fcgi-suexec/*/"$uid.$user".mnt /run/fcgi-suexec/*/"$uid.$user".ipc; do
                [ -e "$p" ] || continue
                if mountpoint -q "$p"; then umount "$p" || die "cannot unmount $p"; fi
                rm -f "$p"
                say "removed the world pin $p"
            done
            userdel "$user" || die "userdel $user failed (a process of $user still running?)"
            say "removed user $user"
        fi
        if getent group "$user" >/dev/null; then
            groupdel "$user"
            say "removed group $user"
        fi
        if [ -e "/var/www/$user" ]; then
            rm -rf "/var/www/$user"
            say "removed /var/www/$user"
        fi
        if [ -e "$tb/$user" ]; then
            rm -rf "${tb:?}/$user"
            say "removed its private temp $tb/$user"
        fi
    done
    if [ -e "$STATE" ]; then
        rm -rf "$STATE"
        say "removed $STATE"
    fi
    # make install made TMP_BASE; nothing else of ours is in it now
    for p in "$tb" "$(dirname "$tb")"; do
        if [ -d "$p" ] && rmdir "$p" 2>/dev/null; then say "removed the empty $p"; fi
    done
    if [ -e "$LAUNCHER" ]; then
        say "removing the setuid launcher: make -C $REPO uninstall PREFIX=$PREFIX"
        make -C "$REPO" uninstall PREFIX="$PREFIX"
    fi
    # and the directories make install made, when nothing else is in them
    for p in "$PREFIX/libexec/fcgi-suexec" "$PREFIX/libexec" "$PREFIX/share/man/man8"; do
        if [ -d "$p" ] && rmdir "$p" 2>/dev/null; then say "removed the empty $p"; fi
    done
    say "removed"
}

[ "$(id -u)" -eq 0 ] || die "must be run as root"
case ${1:-} in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    remove) do_remove ;;
    *) echo "usage: $0 start|stop|status|remove" >&2; exit 2 ;;
esac
