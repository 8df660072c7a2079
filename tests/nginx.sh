# shellcheck shell=bash disable=SC2034 # results are used by the .t files
# tests/nginx.sh - php-cgi workers and a private nginx, for the end-to-end
# tests (30-nginx.t, 35-confine.t). Source it after lib.sh.
#
#   WORK                    a private directory (mktemp in /tmp), made by nginx_setup
#   start_site SITE SOCKET [CHILDREN]
#                           fsxweb runs, in the background,
#                             fdsock unix SOCKET -- $BIN -p 8.2 fsxSITE fsxSITE $DOCROOT/SITE
#                           (the launcher drops to fsxSITE and execs php-cgi8.2 in place),
#                           with PHP_FCGI_CHILDREN=CHILDREN (default 0: no children)
#   start_worker NAME SOCKET CMD...
#                           any other worker: CMD must listen on SOCKET (fd 0) and exec php-cgi8.2
#   wait_worker NAME        a test: the worker became php-cgi8.2, listening; sets PHP_PID[NAME]
#   start_nginx FIRST LAST  a test: nginx (workers as fsxweb) on 127.0.0.1, on the first free
#                           port in FIRST..LAST; its server blocks are printed by the
#                           caller's function `nginx_servers PORT`; sets PORT
#   php_server PORT HOST ROOT SOCKET
#                           prints a server block passing any *.php path to SOCKET, the
#                           classic way: fastcgi_split_path_info, and SCRIPT_FILENAME =
#                           $document_root$fastcgi_script_name
#   fetch HOST PATH [CURL ARGS...]
#                           http://127.0.0.1:PORT/PATH with "Host: HOST": $code, $body
#   default_server PORT     prints a catch-all server block (/ping answers pong, else 404)
#   ask SITE ACTION [ARG [NAME=VALUE...]]
#                           GET SITE.test$PAGE?do=ACTION&arg=ARG&... (PAGE: the test's
#                           page, default /probe.php), a page that answers one line
#                           "OK detail" or "FAIL detail": sets $answer (OK, FAIL or
#                           what came instead) and $detail (parse_answer: the same
#                           from a fetch of the test's own)
#   allowed NAME REGEX SITE ACTION [ARG...], denied NAME REGEX SITE ACTION [ARG...]
#                           a test: the answer is OK (FAIL) and its detail matches REGEX
#   page_head NAME          prints the start of such a page, NAME.php: answer(OK,
#                           DETAIL) ends the request with its one line, err() is PHP's
#                           last error, sh(CMD) answers for CMD run by the shell
#   nginx_cleanup           stops nginx and every worker, removes the sockets and WORK
#
# Every wait is bounded by a count of short sleeps; nothing here touches
# /etc/nginx or the system nginx.

NGINX=/usr/sbin/nginx
PHP_REAL=/usr/bin/php-cgi8.2

WORK=
NGINX_PID=
PORT=
code='' body=''                                  # set by fetch
declare -A WORKER_PID=() WORKER_SOCK=() PHP_PID=()

nginx_setup() {
    WORK=$(mktemp -d "/tmp/fsx-$(basename "$0" .t).XXXXXX") || bail "mktemp failed"
    chmod 0755 "$WORK"
}

# stop PID: SIGTERM, wait (bounded, ~5 s), then SIGKILL
stop_pid() {
    local pid=$1 _
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null # reap it if it is our child
    return 0
}

nginx_cleanup() {
    local n
    stop_pid "$NGINX_PID"
    for n in "${!WORKER_PID[@]}"; do
        stop_pid "${PHP_PID[$n]:-}"
        stop_pid "${WORKER_PID[$n]}"
        rm -f "${WORKER_SOCK[$n]:-}"
    done
    [ -n "$WORK" ] && rm -rf "$WORK"
    return 0
}

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
    return 1
}

status_field() { # PID FIELD: a line of /proc/PID/status, tabs as spaces
    sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null | tr -s '\t ' ' '
}

ppid_of() { status_field "$1" PPid; }

# --- workers ------------------------------------------------------------------

start_worker() { # NAME SOCKET CMD...
    local name=$1 sock=$2; shift 2
    rm -f "$sock"
    "$@" </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err" &
    WORKER_PID[$name]=$!
    WORKER_SOCK[$name]=$sock
}

start_site() { # SITE SOCKET [CHILDREN]
    # PHP_FCGI_CHILDREN=0: php-cgi serves from the process the launcher became
    start_worker "$1" "$2" as_user fsxweb "$FDSOCK" --env-clear --env "PHP_FCGI_CHILDREN=${3:-0}" \
        unix "$2" -- "$BIN" -p 8.2 "fsx$1" "fsx$1" "$DOCROOT/$1"
}

# wait (bounded: 100 x 0.1 s) until NAME's socket is listening and held on
# fd 0 by a process running php-cgi8.2, or its worker died
wait_worker() { # NAME
    local name=$1 sock=${WORKER_SOCK[$1]} pid="" inode="" _
    for _ in $(seq 100); do
        inode=$(listen_inode "$sock")
        if [ -n "$inode" ] && pid=$(pid_on_fd0 "$inode") \
           && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$PHP_REAL")" ]; then
            break
        fi
        pid=
        kill -0 "${WORKER_PID[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    PHP_PID[$name]=$pid
    # (ok is true even when its test fails: it reports the failure itself)
    ok "$name: the worker became php-cgi8.2 listening on $sock" test -n "$pid"
    [ -n "$pid" ] && return 0
    diag "worker stdout: $(cat "$WORK/$name.out")"
    diag "worker stderr: $(cat "$WORK/$name.err")"
    if ! kill -0 "${WORKER_PID[$name]}" 2>/dev/null; then
        wait "${WORKER_PID[$name]}"
        diag "worker exit code: $?"
    fi
    return 1
}

# --- nginx --------------------------------------------------------------------

php_server() { # PORT HOST ROOT SOCKET
    cat <<EOF
    server {
        listen 127.0.0.1:$1;
        server_name $2;
        root $3;
        location ~ \.php\$ {
            fastcgi_split_path_info ^(.+\.php)(/.+)\$;
            fastcgi_pass unix:$4;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
            fastcgi_param DOCUMENT_ROOT \$document_root;
            fastcgi_param REQUEST_METHOD \$request_method;
            fastcgi_param REQUEST_URI \$request_uri;
            fastcgi_param QUERY_STRING \$query_string;
            fastcgi_param CONTENT_TYPE \$content_type;
            fastcgi_param CONTENT_LENGTH \$content_length;
            fastcgi_param HTTP_COOKIE \$http_cookie;
            fastcgi_param SERVER_PROTOCOL \$server_protocol;
            fastcgi_param SERVER_NAME \$server_name;
            fastcgi_param SERVER_PORT \$server_port;
            fastcgi_param REMOTE_ADDR \$remote_addr;
            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
            fastcgi_param REDIRECT_STATUS 200;
        }
    }
EOF
}

_nginx_conf() { # PORT: $WORK/nginx/nginx.conf
    local d n=$WORK/nginx
    for d in client_body proxy fastcgi uwsgi scgi; do
        mkdir -p "$n/${d}_temp"
        chown fsxweb:fsxweb "$n/${d}_temp"
        chmod 0700 "$n/${d}_temp"
    done
    {
        cat <<EOF
# $(basename "$0") private nginx
user fsxweb;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 64; }
http {
    access_log $n/access.log;
    client_body_temp_path $n/client_body_temp;
    proxy_temp_path $n/proxy_temp;
    fastcgi_temp_path $n/fastcgi_temp;
    uwsgi_temp_path $n/uwsgi_temp;
    scgi_temp_path $n/scgi_temp;
    default_type text/plain;
EOF
        nginx_servers "$1"
        echo "}"
    } >"$n/nginx.conf"
}

start_nginx() { # FIRST LAST
    local p _
    PORT=
    for p in $(seq "$1" "$2"); do
        port_busy "$p" && continue
        rm -rf "$WORK/nginx"
        mkdir -p "$WORK/nginx"
        _nginx_conf "$p"
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
    [ -n "$PORT" ] && return 0
    diag "nginx output: $(cat "$WORK/nginx.out" 2>/dev/null)"
    diag "nginx error.log: $(tail -n 20 "$WORK/nginx/error.log" 2>/dev/null)"
    return 1
}

# fetch HOST PATH [CURL ARGS...]: the body into $body, the status into $code;
# retried (at most 20 tries of at most 5 s) only while nginx cannot reach the
# worker (no answer, 502, 503, 504)
fetch() {
    local host=$1 path=$2 _; shift 2
    body="" code=""
    for _ in $(seq 20); do
        code=$(curl -sS --max-time 5 -o "$WORK/body" -w '%{http_code}' \
                    -H "Host: $host" "$@" "http://127.0.0.1:$PORT$path" 2>"$WORK/curl.err")
        body=$(cat "$WORK/body" 2>/dev/null)
        case $code in 000|502|503|504) ;; *) break ;; esac
        sleep 0.2
    done
    [ "$code" = 200 ]
}

# the last lines of curl's and nginx's complaints, for a diag
fetch_diag() {
    echo "curl: $(cat "$WORK/curl.err" 2>/dev/null)"
    echo "nginx error.log: $(tail -n 5 "$WORK/nginx/error.log" 2>/dev/null)"
}

default_server() { # PORT [LOCATION...]: further location lines, as they are
    cat <<EOF
    server {
        listen 127.0.0.1:$1 default_server;
        server_name _;
        location = /ping { return 200 "pong\n"; }
$(for l in "${@:2}"; do echo "        $l"; done)
        location / { return 404 "no such site\n"; }
    }
EOF
}

page_head() { # NAME
    cat <<EOF
<?php
// $1.php - written by a test and removed at its end. One action per request
// (?do=ACTION&arg=ARG); the answer is one line, "OK detail" or "FAIL detail",
// the detail being the result or the error.
EOF
    cat <<'EOF'
ini_set('display_errors', '0');

function answer(bool $ok, string $detail): void
{
    echo $ok ? 'OK ' : 'FAIL ', trim(preg_replace('/\s+/', ' ', $detail)), "\n";
    exit;
}

function err(): string
{
    return error_get_last()['message'] ?? 'no error message';
}

// CMD through the shell (shell_exec runs /bin/sh -c), stderr too: OK if it exits 0
function sh(string $cmd): void
{
    $out = shell_exec("$cmd 2>&1; echo \"exit=\$?\"");
    if (!is_string($out))
        answer(false, 'shell_exec failed: ' . err());
    answer(preg_match('/exit=0\s*$/', $out) === 1, $out);
}
EOF
}

ask() {
    local site=$1 kv q=(-G --data-urlencode "do=$2")
    [ $# -ge 3 ] && q+=(--data-urlencode "arg=$3")
    for kv in "${@:4}"; do q+=(--data-urlencode "$kv"); done
    fetch "$site.test" "${PAGE:-/probe.php}" "${q[@]}"
    parse_answer
}

# parse_answer: $answer and $detail from the last fetch's $code and $body
parse_answer() {
    if [ "$code" = 200 ] && [[ $body =~ ^(OK|FAIL)\ (.*)$ ]]; then
        answer=${BASH_REMATCH[1]} detail=${BASH_REMATCH[2]}
    else
        answer="HTTP $code" detail=$body
        diag "$(fetch_diag)"
    fi
}

# answer_is OK|FAIL REGEX: $answer is OK (or FAIL) and $detail matches REGEX
answer_is() {
    [ "$answer" = "$1" ] && [[ $detail =~ $2 ]] && return 0
    diag "  got:      '$answer $detail'
  expected: $1, with a detail matching: $2"
    return 1
}

allowed() { local name=$1 re=$2; shift 2; ask "$@"; ok "$name" answer_is OK "$re"; }
denied() { local name=$1 re=$2; shift 2; ask "$@"; ok "$name" answer_is FAIL "$re"; }
