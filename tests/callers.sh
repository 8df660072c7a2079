# shellcheck shell=bash disable=SC2034 # results are used by the .t files
# tests/callers.sh - run the shipped examples/ (40-callers.t, 41-two-hosts.t,
# 49-fpm-callers.t).
# Source it after lib.sh and nginx.sh.
#
#   EX                      the repository's examples/ directory
#   render SRC DEST SED-EXPR...
#                           a test: DEST = SRC without its full-line comments,
#                           through sed with each SED-EXPR; fails when a
#                           production path or name is left in it (the test
#                           would use the real system: /usr/local/sbin,
#                           /var/www, /run/fcgi-suexec, www-data, "listen 80;")
#   write_fastcgi_params FILE
#                           Debian's /etc/nginx/fastcgi_params (what the examples'
#                           "include fastcgi_params;" finds), written out: the
#                           tests never read /etc/nginx
#   wait_php NAME PID       a test: PID became php-cgi8.2 (bounded: 100 x 0.1 s);
#                           sets PHP_PID[NAME]
#   wait_file FILE          wait (bounded: 100 x 0.1 s) until FILE is not empty
#   sup_conf, supctl ARGS...
#                           a private supervisord's configuration file
#                           ($WORK/supervisor/supervisord.conf), and supervisorctl
#                           on it (at most 15 s, stderr too)
#   start_supervisord [LINE...]
#                           two tests: that supervisord (control socket, pid and
#                           log files in $WORK/supervisor, its programs in
#                           conf.d/*.conf there; each LINE added to its
#                           [supervisord] section) starts and runs; sets SUP_PID
#   sup_wait_running WHEN   a test: its program alice is RUNNING (bounded:
#                           100 x 0.2 s, 60 s); her pid in $WORK/supervisor/alice.pid
#   stop_supervisord        shutdown through its control socket, then stop_pid
#                           (bounded); nothing if it is not running
#   worker_checks NAME PID USER DOCROOT ENV...
#                           tests on a running worker, from /proc: runs the real
#                           php-cgi8.2 as USER, cwd DOCROOT, no_new_privs,
#                           seccomp, no capabilities, and its environment is
#                           exactly the contract's base set plus ENV (NAME=value
#                           words): no LISTEN_*, nothing of the caller
#   sock_inode_of_fd PID FD the inode of the socket PID holds on FD, or nothing
#   tcp_try [NS] ADDR PORT  a TCP connect (bash /dev/tcp, at most 5 s), from
#                           network namespace NS when given: prints "connected"
#                           or bash's error ("Connection refused", "No route to
#                           host", "timeout"); exit 0 only when connected
#
# Every wait is bounded in count and time.

EX=$REPO/examples
SUP_PID=''
PROD_LEFTOVERS='/usr/local/sbin|/var/www|/run/fcgi-suexec|www-data|listen 80;'

render() { # SRC DEST SED-EXPR...
    local src=$1 dest=$2 args=() e left; shift 2
    for e in "$@"; do args+=(-e "$e"); done
    if [ ! -r "$src" ]; then
        ok "render $(basename "$src")" false
        diag "  $src is missing"
        return 1
    fi
    # full-line comments (#, ;) go: they name the production paths on purpose
    grep -Ev '^[[:space:]]*([#;]|$)' "$src" | sed "${args[@]}" >"$dest"
    left=$(grep -En "$PROD_LEFTOVERS" "$dest")
    ok "render $(basename "$src") for the test: no production path left" test -z "$left" \
        || { diag "  left in $dest:"; diag "$left"; return 1; }
}

write_fastcgi_params() { # FILE
    cat >"$1" <<'EOF'
fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;

fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_URI       $document_uri;
fastcgi_param  DOCUMENT_ROOT      $document_root;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  REQUEST_SCHEME     $scheme;
fastcgi_param  HTTPS              $https if_not_empty;

fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx/$nginx_version;

fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  REMOTE_PORT        $remote_port;
fastcgi_param  REMOTE_USER        $remote_user;
fastcgi_param  SERVER_ADDR        $server_addr;
fastcgi_param  SERVER_PORT        $server_port;
fastcgi_param  SERVER_NAME        $server_name;

# PHP only, required if PHP was built with --enable-force-cgi-redirect
fastcgi_param  REDIRECT_STATUS    200;
EOF
}

wait_file() { # FILE
    local _
    for _ in $(seq 100); do
        [ -s "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

sup_conf() { echo "$WORK/supervisor/supervisord.conf"; }
supctl() { timeout 15 supervisorctl -c "$(sup_conf)" "$@" 2>&1; }

start_supervisord() { # [LINE...]
    local s=$WORK/supervisor l
    {
        echo "; $(basename "$0") private supervisord: not /etc/supervisor"
        cat <<EOF
[unix_http_server]
file=$s/supervisor.sock
chmod=0700

[supervisord]
logfile=$s/log/supervisord.log
pidfile=$s/supervisord.pid
childlogdir=$s/log
identifier=fsx-$(basename "$0" .t)-$$
EOF
        for l in "$@"; do echo "$l"; done
        cat <<EOF

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$s/supervisor.sock

[include]
files = $s/conf.d/*.conf
EOF
    } >"$(sup_conf)"
    # it daemonizes: the command returns, the daemon writes its pid file
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PHPRC=/tmp HTTP_PROXY=http://127.0.0.1:1/ \
        timeout 20 supervisord -c "$(sup_conf)" </dev/null >"$WORK/supervisord.out" 2>&1
    is "$?" 0 "supervisor: supervisord -c $(sup_conf) starts" || diag "$(cat "$WORK/supervisord.out")"
    wait_file "$s/supervisord.pid"
    SUP_PID=$(tr -dc 0-9 <"$s/supervisord.pid" 2>/dev/null)
    ok "supervisor: supervisord runs (pid ${SUP_PID:-none})" test -n "$SUP_PID" -a -d "/proc/${SUP_PID:-x}"
}

# RUNNING: started and still up after startsecs
sup_wait_running() { # WHEN
    local s=$WORK/supervisor st _ end=$((SECONDS + 60))
    for _ in $(seq 100); do
        st=$(supctl status alice)
        [[ $st =~ RUNNING|FATAL|BACKOFF ]] && break
        [ "$SECONDS" -lt "$end" ] || break
        sleep 0.2
    done
    like "$st" "^alice +RUNNING +pid [0-9]+" "supervisor: $1: supervisorctl status alice: RUNNING" \
        || diag "$(tail -n 20 "$s/log/supervisord.log" "$s"/log/alice-*.log 2>/dev/null)"
    [[ $st =~ pid\ ([0-9]+) ]] && echo "${BASH_REMATCH[1]}" >"$s/alice.pid"
}

# when the test did not get as far as reading its pid file: the pid in the
# file, if that process runs our configuration
stop_supervisord() {
    local f=$WORK/supervisor/supervisord.pid p _
    if [ -z "$SUP_PID" ] && [ -n "$WORK" ] && [ -s "$f" ]; then
        p=$(tr -dc 0-9 <"$f")
        tr '\0' ' ' <"/proc/${p:-x}/cmdline" 2>/dev/null | grep -qF "$(sup_conf)" && SUP_PID=$p
    fi
    [ -n "$SUP_PID" ] || return 0
    supctl shutdown >/dev/null
    for _ in $(seq 200); do
        kill -0 "$SUP_PID" 2>/dev/null || break
        sleep 0.1
    done
    stop_pid "$SUP_PID"
    SUP_PID=
}

wait_php() { # NAME PID
    local name=$1 pid=$2 real _
    real=$(readlink -f "$PHP_REAL")
    # shellcheck disable=SC2004 # PHP_PID is nginx.sh's associative array
    PHP_PID[$name]=
    for _ in $(seq 100); do
        [ -n "$pid" ] || break
        if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$real" ]; then
            # shellcheck disable=SC2004
            PHP_PID[$name]=$pid
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    ok "$name: pid ${pid:-?} became php-cgi8.2" test -n "${PHP_PID[$name]}"
}

sock_inode_of_fd() { # PID FD
    local l
    l=$(readlink "/proc/$1/fd/$2" 2>/dev/null) || return 0
    [[ $l =~ ^socket:\[([0-9]+)\]$ ]] && echo "${BASH_REMATCH[1]}"
    return 0
}

worker_checks() { # NAME PID USER DOCROOT ENV...
    local name=$1 pid=$2 u=$3 root=$4; shift 4
    local uid gid tmp environ expected nl=$'\n'
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
        ok "$name: the worker is running (pid ${pid:-none})" false
        return 1
    fi
    uid=$(id -u "$u") gid=$(id -g "$u") tmp=$TESTROOT/tmp/$u
    is "$(readlink "/proc/$pid/exe")" "$(readlink -f "$PHP_REAL")" "$name: pid $pid runs $PHP_REAL"
    is "$(status_field "$pid" Uid)" "$uid $uid $uid $uid" "$name: real/effective/saved/fs uid = $u"
    is "$(status_field "$pid" Gid)" "$gid $gid $gid $gid" "$name: real/effective/saved/fs gid = $u"
    is "$(status_field "$pid" NoNewPrivs) $(status_field "$pid" Seccomp)" "1 2" \
        "$name: NoNewPrivs 1, Seccomp 2"
    is "$(status_field "$pid" CapEff) $(status_field "$pid" CapPrm) $(status_field "$pid" CapBnd)" \
        "0000000000000000 0000000000000000 0000000000000000" "$name: no capabilities"
    is "$(readlink "/proc/$pid/cwd")" "$root" "$name: cwd is the docroot $root"
    environ=$(tr '\0' '\n' <"/proc/$pid/environ" | sort)
    expected=$(printf '%s\n' "PATH=$SAFE_PATH" "USER=$u" "LOGNAME=$u" \
        "HOME=$(getent passwd "$u" | cut -d: -f6)" "TMPDIR=/tmp" "$@" | sort)
    is "$environ" "$expected" "$name: environment is exactly the contract's (sorted)"
    unlike "$environ" "(^|$nl)LISTEN_" "$name: no LISTEN_* variable in /proc/$pid/environ"
}

tcp_try() { # [NS] ADDR PORT
    local ns=() r
    [ $# = 3 ] && { ns=(nsenter --net="/run/netns/$1" --); shift; }
    # shellcheck disable=SC2016 # expanded by the inner bash
    r=$(timeout 5 "${ns[@]}" bash -c 'exec 3<>"/dev/tcp/$1/$2" && echo connected' _ "$1" "$2" 2>&1)
    case $? in
        0) echo connected; return 0 ;;
        124) echo timeout ;;
        *) sed -n 's/.*: //p' <<<"$r" | tail -n 1 ;;
    esac
    return 1
}
