#!/bin/bash
# 30-nginx.t - end to end with real components:
#
#   curl -> a private nginx (workers as fsxweb) -> unix socket -> php-cgi8.2
#
# where each site's worker was started by the caller fsxweb as
#
#   fdsock unix $RUNDIR/sock/SITE.sock -- $BIN -p 8.2 fsxSITE fsxSITE $DOCROOT/SITE
#
# so that fcgi-suexec checks the request, drops to the site's user, confines
# itself and execs the real php-cgi8.2 in place. The pages must show the uid
# of the PHP process, and /proc must show that process as the site's user,
# with no_new_privs, in seccomp filter mode, and with no fcgi-suexec left
# around it.
#
# The nginx instance has its own configuration, logs, temp dirs and pid file in
# a temporary directory and listens on 127.0.0.1 (a free port in 18080-18099);
# the system nginx (/etc/nginx, port 80) is never used. Everything started here
# is stopped on exit.
set -u
. "$(dirname "$0")/lib.sh"

NGINX=/usr/sbin/nginx
PHP_REAL=/usr/bin/php-cgi8.2
SITES=(alice bob)
PORTS=$(seq 18080 18099)

WORK=
NGINX_PID=
declare -A WORKER_PID=() PHP_PID=()

# --- helpers ----------------------------------------------------------------

# stop PID: SIGTERM, wait (bounded, ~5 s), then SIGKILL
stop_pid() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        # reap it if it is our child
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

cleanup() {
    local s
    stop_pid "$NGINX_PID"
    for s in "${SITES[@]}"; do
        stop_pid "${PHP_PID[$s]:-}"
        stop_pid "${WORKER_PID[$s]:-}"
        rm -f "$RUNDIR/sock/$s.sock"
    done
    [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# is something listening on TCP PORT (any address, IPv4 or IPv6)?
port_busy() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
                      END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# inode of the listening unix socket bound to PATH (from /proc/net/unix:
# Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = listening)
listen_inode() {
    awk -v p="$1" '$8 == p && $4 == "00010000" { print $7; exit }' /proc/net/unix
}

# pid of the process whose fd 0 is socket INODE
pid_on_fd0() {
    local f
    for f in /proc/[0-9]*/fd/0; do
        if [ "$(readlink "$f" 2>/dev/null)" = "socket:[$1]" ]; then
            f=${f#/proc/}; echo "${f%%/*}"; return 0
        fi
    done
    [ "$code" = 200 ]
}

status_field() { # PID FIELD: a line of /proc/PID/status, tabs as spaces
    sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null | tr -s '\t ' ' '
}

ppid_of() { status_field "$1" PPid; }

# ancestors PID: PID's parent, its parent, ... up to (excluding) pid 0
ancestors() {
    local p=$1 n=0
    while p=$(ppid_of "$p") && [ -n "$p" ] && [ "$p" != 0 ] && [ $n -lt 100 ]; do
        echo "$p"; n=$((n + 1))
    done
}

# the ancestors of PID running the launcher (its exe, or its name)
resident_launchers() {
    local a exe bin
    bin=$(readlink -f "$BIN")
    for a in $(ancestors "$1"); do
        exe=$(readlink "/proc/$a/exe" 2>/dev/null)
        if [ "${exe% (deleted)}" = "$bin" ] || [ "$(cat "/proc/$a/comm" 2>/dev/null)" = fcgi-suexec ]; then
            echo "$a($exe)"
        fi
    done
}

# --- preconditions: fail, never opt out -------------------------------------

missing=0
need() { # NAME CMD...: a test that must pass for the rest to make sense
    "${@:2}" >/dev/null 2>&1 || missing=1
    ok "$@"
}
need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
need "php-cgi8.2 has the posix extension" eval '"$PHP_REAL" -m 2>/dev/null | grep -qx posix'
for s in "${SITES[@]}"; do
    need "user fsx$s exists" eval "getent passwd fsx$s >/dev/null"
    need "docroot $DOCROOT/$s exists" test -d "$DOCROOT/$s"
    # not a prerequisite: without it the page tests below fail, the rest still runs
    ok "docroot of $s has index.php" test -f "$DOCROOT/$s/index.php"
done
need "socket directory $RUNDIR/sock exists" test -d "$RUNDIR/sock"
if [ "$missing" != 0 ]; then
    diag "prerequisites missing: not going on"
    done_testing
fi

WORK=$(mktemp -d /tmp/fsx-30-nginx.XXXXXX) || bail "mktemp failed"
chmod 0755 "$WORK"

# --- the workers, started by fsxweb ---------------------------------------

for s in "${SITES[@]}"; do
    sock=$RUNDIR/sock/$s.sock
    rm -f "$sock"
    # PHP_FCGI_CHILDREN=0: php-cgi serves from the process the launcher became
    as_user fsxweb "$FDSOCK" --env-clear --env PHP_FCGI_CHILDREN=0 unix "$sock" -- \
        "$BIN" -p 8.2 "fsx$s" "fsx$s" "$DOCROOT/$s" </dev/null >"$WORK/$s.out" 2>"$WORK/$s.err" &
    WORKER_PID[$s]=$!
done

# wait (bounded: 100 x 0.1 s) until each socket is listening and held on fd 0
# by a process, or its worker died
for s in "${SITES[@]}"; do
    sock=$RUNDIR/sock/$s.sock
    pid="" inode=""
    for _ in $(seq 100); do
        inode=$(listen_inode "$sock")
        if [ -n "$inode" ] && pid=$(pid_on_fd0 "$inode") \
           && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$PHP_REAL")" ]; then
            break
        fi
        pid=
        kill -0 "${WORKER_PID[$s]}" 2>/dev/null || break
        sleep 0.1
    done
    PHP_PID[$s]=$pid
    ok "$s: the worker became php-cgi8.2 listening on $sock" test -n "$pid"
    if [ -z "$pid" ]; then
        diag "worker stdout: $(cat "$WORK/$s.out")"
        diag "worker stderr: $(cat "$WORK/$s.err")"
        kill -0 "${WORKER_PID[$s]}" 2>/dev/null || { wait "${WORKER_PID[$s]}"; diag "worker exit code: $?"; }
    fi
done

# --- nginx ------------------------------------------------------------------

write_conf() { # PORT
    local s
    for d in client_body proxy fastcgi uwsgi scgi; do
        mkdir -p "$WORK/nginx/${d}_temp"
        chown fsxweb:fsxweb "$WORK/nginx/${d}_temp"
        chmod 0700 "$WORK/nginx/${d}_temp"
    done
    {
        cat <<EOF
# 30-nginx.t private nginx
user fsxweb;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 64; }
http {
    access_log $WORK/nginx/access.log;
    client_body_temp_path $WORK/nginx/client_body_temp;
    proxy_temp_path $WORK/nginx/proxy_temp;
    fastcgi_temp_path $WORK/nginx/fastcgi_temp;
    uwsgi_temp_path $WORK/nginx/uwsgi_temp;
    scgi_temp_path $WORK/nginx/scgi_temp;
    default_type text/plain;
    server {
        listen 127.0.0.1:$1 default_server;
        server_name _;
        location = /ping { return 200 "pong\n"; }
        location / { return 404 "no such site\n"; }
    }
EOF
        for s in "${SITES[@]}"; do
            cat <<EOF
    server {
        listen 127.0.0.1:$1;
        server_name $s.test;
        root $DOCROOT/$s;
        location ~ \.php\$ {
            fastcgi_pass unix:$RUNDIR/sock/$s.sock;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
            fastcgi_param DOCUMENT_ROOT \$document_root;
            fastcgi_param REQUEST_METHOD \$request_method;
            fastcgi_param REQUEST_URI \$request_uri;
            fastcgi_param QUERY_STRING \$query_string;
            fastcgi_param CONTENT_TYPE \$content_type;
            fastcgi_param CONTENT_LENGTH \$content_length;
            fastcgi_param SERVER_PROTOCOL \$server_protocol;
            fastcgi_param SERVER_NAME \$server_name;
            fastcgi_param SERVER_PORT \$server_port;
            fastcgi_param REMOTE_ADDR \$remote_addr;
            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
            fastcgi_param REDIRECT_STATUS 200;
        }
    }
EOF
        done
        echo "}"
    } >"$WORK/nginx/nginx.conf"
}

PORT=
for p in $PORTS; do
    port_busy "$p" && continue
    rm -rf "$WORK/nginx"
    mkdir -p "$WORK/nginx"
    write_conf "$p"
    "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
        </dev/null >"$WORK/nginx.out" 2>&1 &
    NGINX_PID=$!
    # wait (bounded: 50 x 0.1 s) for it to answer, or to die
    for _ in $(seq 50); do
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$p/ping" 2>/dev/null; then
            PORT=$p; break
        fi
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$PORT" ] && break
    stop_pid "$NGINX_PID"
    NGINX_PID=
    # another port only if this one was taken meanwhile
    grep -qs 'Address already in use' "$WORK/nginx.out" "$WORK/nginx/error.log" || break
done
ok "private nginx answers on 127.0.0.1:${PORT:-?}" test -n "$PORT"
if [ -z "$PORT" ]; then
    diag "nginx output: $(cat "$WORK/nginx.out" 2>/dev/null)"
    diag "nginx error.log: $(tail -n 20 "$WORK/nginx/error.log" 2>/dev/null)"
    done_testing
fi

# --- the pages --------------------------------------------------------------

# fetch SITE: the body of http://127.0.0.1:PORT/index.php for SITE's server
# block into $body, its status in $code; retried (at most 20 tries of at most
# 5 s) only while nginx cannot reach the worker (no answer, 502, 503, 504)
fetch() {
    local _
    body="" code=""
    for _ in $(seq 20); do
        code=$(curl -sS --max-time 5 -o "$WORK/body" -w '%{http_code}' \
                    -H "Host: $1.test" "http://127.0.0.1:$PORT/index.php" 2>"$WORK/curl.err")
        body=$(cat "$WORK/body" 2>/dev/null)
        case $code in 000|502|503|504) ;; *) break ;; esac
        sleep 0.2
    done
    [ "$code" = 200 ]
}

for s in "${SITES[@]}"; do
    uid=$(id -u "fsx$s")
    for o in "${SITES[@]}"; do [ "$o" = "$s" ] || other_uid=$(id -u "fsx$o"); done
    fetch "$s"
    is "$code" 200 "$s: GET /index.php through nginx: HTTP 200"
    [ "$code" = 200 ] || diag "curl: $(cat "$WORK/curl.err")
nginx error.log: $(tail -n 5 "$WORK/nginx/error.log")"
    like "$body" "(^|[^0-9])uid[= ]\(?$uid([^0-9]|\$)" "$s: the page shows the process uid of fsx$s ($uid)"
    unlike "$body" "(^|[^0-9])$other_uid([^0-9]|\$)" "$s: the page does not show the other site's uid ($other_uid)"
done

# --- the php-cgi processes, from /proc ------------------------------------

for s in "${SITES[@]}"; do
    pid=${PHP_PID[$s]}
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
        ok "$s: php-cgi process still there (pid ${pid:-none})" false
        continue
    fi
    uid=$(id -u "fsx$s") gid=$(id -g "fsx$s")
    is "$(readlink "/proc/$pid/exe")" "$(readlink -f "$PHP_REAL")" "$s: pid $pid runs $PHP_REAL"
    is "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "$TESTROOT/bin/php-cgi8.2 -c $PHP_INI " \
        "$s: argv is { PHP_CGI8.2, -c, PHP_INI }"
    is "$(status_field "$pid" Uid)" "$uid $uid $uid $uid" "$s: real/effective/saved/fs uid = fsx$s"
    is "$(status_field "$pid" Gid)" "$gid $gid $gid $gid" "$s: real/effective/saved/fs gid = fsx$s"
    is "$(status_field "$pid" NoNewPrivs)" 1 "$s: NoNewPrivs 1"
    is "$(status_field "$pid" Seccomp)" 2 "$s: Seccomp 2 (filter)"
    is "$(status_field "$pid" CapEff) $(status_field "$pid" CapPrm) $(status_field "$pid" CapBnd)" \
       "0000000000000000 0000000000000000 0000000000000000" "$s: no capabilities, empty bounding set"
    is "$(readlink "/proc/$pid/cwd")" "$DOCROOT/$s" "$s: cwd is the docroot"
    is "$(resident_launchers "$pid")" "" "$s: no fcgi-suexec among the ancestors of php-cgi"
    # the launcher was exec'd by fdsock (itself exec'd by setpriv) as the
    # background job, or a child of it when bash forked for the as_user
    # function: php-cgi must be that very process, not a descendant of a
    # launcher that forked (the check above) or an orphan of one that exited
    worker=${WORKER_PID[$s]}
    ok "$s: php-cgi (pid $pid) is the process the launcher was exec'd as (job $worker)" \
        test "$pid" = "$worker" -o "$(ppid_of "$pid")" = "$worker"
done

done_testing
