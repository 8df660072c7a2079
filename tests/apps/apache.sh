# shellcheck shell=bash disable=SC2034 # results are used by 70-apps.t
# tests/apps/apache.sh - a private Apache 2.4 + mod_fcgid whose suexec is a
# launcher of the test's, for tests/70-apps.t: the namespace and start-up
# code of tests/46-apache.t, copied. Source it after lib.sh and nginx.sh.
#
#   apache_ns BIN        a test: a holder process (unshare -m --propagation
#                        private) owns a private mount namespace in which BIN
#                        is bind-mounted over the target of /usr/lib/apache2/suexec
#   start_apache FIRST LAST
#                        a test: apache2 in that namespace, on 127.0.0.1, on the
#                        first free port in FIRST..LAST, its configuration
#                        printed by the caller's `apache_conf PORT`; sets
#                        APORT, APACHE_PID; ServerRoot, pid file, logs,
#                        mutexes and mod_fcgid's IPC in $AWORK (set by the caller)
#   apache_conf_head PORT
#                        prints the configuration's head: modules, User fsxweb,
#                        mod_fcgid's files, a default vhost answering /ping.txt
#   apache_cleanup       stops apache2, every process left in the namespace
#                        (each by its pid), then the holder
#
# /etc/apache2 and the system's suexec are never changed; every wait is
# bounded by a count of short sleeps.

APACHE=/usr/sbin/apache2
MODS=/usr/lib/apache2/modules
SUEXEC_LINK=/usr/lib/apache2/suexec        # Apache's SUEXEC_BIN (apache2 -V)
HOLDER='' APACHE_PID='' NS='' APORT='' AWORK=''

# in_ns PID: is PID's mount namespace the holder's?
in_ns() { [ -n "$NS" ] && [ "$(readlink "/proc/$1/ns/mnt" 2>/dev/null)" = "$NS" ]; }
# the processes in the private namespace but the holder
ns_pids() {
    local d p
    for d in /proc/[0-9]*; do
        p=${d#/proc/}
        [ "$p" != "$HOLDER" ] && in_ns "$p" && echo "$p"
    done
    return 0
}

apache_cleanup() {
    local p _
    stop_pid "$APACHE_PID"    # SIGTERM: apache stops mod_fcgid, which stops the php-cgi
    APACHE_PID=
    for _ in $(seq 50); do    # wait (bounded, 5 s) for them to end
        [ -z "$(ns_pids)" ] && break
        sleep 0.1
    done
    for p in $(ns_pids); do stop_pid "$p"; done   # what is left, each by its pid
    stop_pid "$HOLDER"
    HOLDER=
    return 0
}

apache_ns() { # BIN
    local real _
    real=$(readlink -f "$SUEXEC_LINK")
    unshare -m --propagation private -- sleep 900 </dev/null >/dev/null 2>&1 &
    HOLDER=$!
    for _ in $(seq 50); do   # until unshare has entered the new namespace (bounded, 5 s)
        NS=$(readlink "/proc/$HOLDER/ns/mnt" 2>/dev/null)
        [ -n "$NS" ] && [ "$NS" != "$(readlink /proc/self/ns/mnt)" ] &&
            [ "$(cat "/proc/$HOLDER/comm" 2>/dev/null)" = sleep ] && break
        NS=
        sleep 0.1
    done
    ok "Apache: a private mount namespace is held by pid $HOLDER" test -n "$NS" || return 1
    ok "Apache: in the namespace, $1 bind-mounted over $real" \
        timeout 10 nsenter -t "$HOLDER" -m -- mount --bind "$1" "$real"
}

start_apache() { # FIRST LAST
    local p _
    APORT=
    mkdir -p "$AWORK/run" "$AWORK/logs" "$AWORK/htdocs" "$AWORK/fcgid"
    chown fsxweb:fsxweb "$AWORK/fcgid"     # mod_fcgid's sockets, made by its manager as fsxweb
    echo pong >"$AWORK/htdocs/ping.txt"
    for p in $(seq "$1" "$2"); do
        port_busy "$p" && continue
        apache_conf "$p" >"$AWORK/apache2.conf"
        : >"$AWORK/logs/error.log"
        # its own session: on stopping, apache2 signals its whole process group
        setsid nsenter -t "$HOLDER" -m -- "$APACHE" -f "$AWORK/apache2.conf" -DFOREGROUND \
            </dev/null >"$AWORK/apache.out" 2>&1 &
        APACHE_PID=$!
        for _ in $(seq 50); do   # until it answers (bounded, 5 s), or dies
            if curl -fsS -o /dev/null --max-time 2 -H "Host: default.test" \
                "http://127.0.0.1:$p/ping.txt" 2>/dev/null; then
                APORT=$p; break
            fi
            kill -0 "$APACHE_PID" 2>/dev/null || break
            sleep 0.1
        done
        [ -n "$APORT" ] && break
        stop_pid "$APACHE_PID"
        APACHE_PID=
        grep -qs 'Address already in use' "$AWORK/apache.out" "$AWORK/logs/error.log" || break
    done
    ok "Apache: private apache2 answers on 127.0.0.1:${APORT:-?}" test -n "$APORT"
    [ -n "$APORT" ] && return 0
    diag "apache2 output: $(cat "$AWORK/apache.out" 2>/dev/null)"
    diag "error.log: $(tail -n 20 "$AWORK/logs/error.log" 2>/dev/null)"
    return 1
}

apache_conf_head() { # PORT
    cat <<EOF
# 70-apps.t private Apache
ServerRoot $AWORK
DefaultRuntimeDir $AWORK/run
PidFile $AWORK/run/apache2.pid
ErrorLog $AWORK/logs/error.log
LogLevel info
Mutex file:$AWORK/run default
LoadModule mpm_prefork_module $MODS/mod_mpm_prefork.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule mime_module $MODS/mod_mime.so
LoadModule dir_module $MODS/mod_dir.so
LoadModule suexec_module $MODS/mod_suexec.so
LoadModule fcgid_module $MODS/mod_fcgid.so
User fsxweb
Group fsxweb
Listen 127.0.0.1:$1
ServerName 127.0.0.1
TypesConfig /etc/mime.types
StartServers 1
MinSpareServers 1
MaxSpareServers 2
MaxRequestWorkers 8
FcgidIPCDir $AWORK/fcgid
FcgidProcessTableFile $AWORK/fcgid/shm
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<VirtualHost *:$1>
    ServerName default.test
    DocumentRoot $AWORK/htdocs
    <Directory $AWORK/htdocs>
        Require all granted
    </Directory>
</VirtualHost>
EOF
}
