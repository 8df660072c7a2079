# shellcheck shell=bash disable=SC2034 # constants and results are used by the .t files
# tests/apache.sh - a private Apache 2.4 for the end-to-end tests (46-apache.t,
# 49-fpm-callers.t, 70-apps.t, 80-deb.t). Source it after lib.sh and nginx.sh
# (stop_pid, port_busy).
#
#   AWORK                the caller's directory for it: ServerRoot, run/ (pid
#                        file, mutexes), logs/, htdocs/ping.txt, fcgid/ (mod_fcgid's IPC)
#   APACHE_USER          its User and Group (default fsxweb)
#   apache_conf_head PORT MODULE...
#                        prints the configuration's head: modules mpm_prefork,
#                        authz_core, mime, dir and each MODULE (as named in
#                        mod_MODULE.so), User/Group, Listen 127.0.0.1:PORT,
#                        prefork sizes, mod_fcgid's files (when fcgid is a
#                        MODULE), <Directory /> denied and a default vhost
#                        (default.test) answering /ping.txt
#   apache_holder SECONDS
#                        a holder process (unshare -m --propagation private --
#                        sleep SECONDS) owns a private mount namespace; sets
#                        HOLDER, and NS (empty if it was not entered in 5 s)
#   in_ns PID            is PID in the holder's namespace?
#   ns_pids              the processes in it but the holder
#   start_apache FIRST LAST [NAME [NONE]]
#                        a test: apache2 (in the holder's namespace when there
#                        is one) on 127.0.0.1, on the first free port in
#                        FIRST..LAST, its configuration printed by the caller's
#                        `apache_conf PORT`; another port only when this one
#                        was taken meanwhile. Sets APORT and APACHE_PID. NAME is
#                        the test's name, %s the port (NONE when none answered,
#                        default ?); default "private apache2 answers on 127.0.0.1:%s"
#   stop_apache          stops apache2; with a holder, then every process left
#                        in its namespace (each by its pid), then the holder
#
# /etc/apache2 and the system's apache2 are never used; every wait is bounded
# by a count of short sleeps and by time.

APACHE=/usr/sbin/apache2
MODS=/usr/lib/apache2/modules
SUEXEC_LINK=/usr/lib/apache2/suexec        # Apache's SUEXEC_BIN (apache2 -V)
APACHE_USER=${APACHE_USER:-fsxweb}
HOLDER='' NS='' APACHE_PID='' APORT='' AWORK=''

apache_conf_head() { # PORT MODULE...
    local port=$1 m; shift
    echo "# $(basename "$0") private Apache"
    cat <<EOF
ServerRoot $AWORK
DefaultRuntimeDir $AWORK/run
PidFile $AWORK/run/apache2.pid
ErrorLog $AWORK/logs/error.log
LogLevel info
Mutex file:$AWORK/run default
EOF
    for m in mpm_prefork authz_core mime dir "$@"; do echo "LoadModule ${m}_module $MODS/mod_$m.so"; done
    cat <<EOF
User $APACHE_USER
Group $APACHE_USER
Listen 127.0.0.1:$port
ServerName 127.0.0.1
TypesConfig /etc/mime.types
StartServers 1
MinSpareServers 1
MaxSpareServers 2
MaxRequestWorkers 8
EOF
    case " $* " in *" fcgid "*)
        echo "FcgidIPCDir $AWORK/fcgid"
        echo "FcgidProcessTableFile $AWORK/fcgid/shm" ;;
    esac
    cat <<EOF
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<VirtualHost *:$port>
    ServerName default.test
    DocumentRoot $AWORK/htdocs
    <Directory $AWORK/htdocs>
        Require all granted
    </Directory>
</VirtualHost>
EOF
}

apache_holder() { # SECONDS
    local _
    unshare -m --propagation private -- sleep "$1" </dev/null >/dev/null 2>&1 &
    HOLDER=$!
    for _ in $(seq 50); do   # until unshare has entered the new namespace (bounded, 5 s)
        NS=$(readlink "/proc/$HOLDER/ns/mnt" 2>/dev/null)
        [ -n "$NS" ] && [ "$NS" != "$(readlink /proc/self/ns/mnt)" ] &&
            [ "$(cat "/proc/$HOLDER/comm" 2>/dev/null)" = sleep ] && return 0
        NS=
        sleep 0.1
    done
    return 1
}

in_ns() { [ -n "$NS" ] && [ "$(readlink "/proc/$1/ns/mnt" 2>/dev/null)" = "$NS" ]; }

ns_pids() {
    local d p
    for d in /proc/[0-9]*; do
        p=${d#/proc/}
        [ "$p" != "$HOLDER" ] && in_ns "$p" && echo "$p"
    done
    return 0
}

start_apache() { # FIRST LAST [NAME [NONE]]
    local p _ end ns=()
    APORT=
    mkdir -p "$AWORK/run" "$AWORK/logs" "$AWORK/htdocs" "$AWORK/fcgid"
    chown "$APACHE_USER:$APACHE_USER" "$AWORK/fcgid"   # mod_fcgid's sockets, made by its manager
    echo pong >"$AWORK/htdocs/ping.txt"
    [ -n "$HOLDER" ] && ns=(nsenter -t "$HOLDER" -m --)
    for p in $(seq "$1" "$2"); do
        port_busy "$p" && continue
        apache_conf "$p" >"$AWORK/apache2.conf"
        : >"$AWORK/logs/error.log"
        # its own session: on stopping, apache2 signals its whole process group
        setsid "${ns[@]}" "$APACHE" -f "$AWORK/apache2.conf" -DFOREGROUND \
            </dev/null >"$AWORK/apache.out" 2>&1 &
        APACHE_PID=$!
        end=$((SECONDS + 10))
        for _ in $(seq 50); do   # until it answers (bounded: 50 x 0.1 s, 10 s), or dies
            if curl -fsS -o /dev/null --max-time 2 -H "Host: default.test" \
                "http://127.0.0.1:$p/ping.txt" 2>/dev/null; then
                APORT=$p; break
            fi
            kill -0 "$APACHE_PID" 2>/dev/null || break
            [ "$SECONDS" -lt "$end" ] || break
            sleep 0.1
        done
        [ -n "$APORT" ] && break
        stop_pid "$APACHE_PID"
        APACHE_PID=
        grep -qs 'Address already in use' "$AWORK/apache.out" "$AWORK/logs/error.log" || break
    done
    # shellcheck disable=SC2059 # NAME is the format
    ok "$(printf "${3:-private apache2 answers on 127.0.0.1:%s}" "${APORT:-${4:-?}}")" test -n "$APORT"
    [ -n "$APORT" ] && return 0
    diag "apache2 output: $(cat "$AWORK/apache.out" 2>/dev/null)"
    diag "error.log: $(tail -n 20 "$AWORK/logs/error.log" 2>/dev/null)"
    return 1
}

stop_apache() {
    local p _
    stop_pid "$APACHE_PID"    # SIGTERM: apache stops mod_fcgid, which stops the php-cgi
    APACHE_PID=
    [ -n "$HOLDER" ] || return 0
    for _ in $(seq 50); do    # wait (bounded, 5 s) for them to end
        [ -z "$(ns_pids)" ] && break
        sleep 0.1
    done
    for p in $(ns_pids); do stop_pid "$p"; done   # what is left, each by its pid
    stop_pid "$HOLDER"
    HOLDER=
    return 0
}
