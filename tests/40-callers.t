#!/bin/bash
# 40-callers.t - the shipped examples/, each run for real:
#
#   spawn-fcgi   examples/spawn-fcgi/fcgi-suexec-spawn (root) -> spawn-fcgi
#                -u fsxweb -g fsxweb -> fcgi-suexec -> php-cgi8.2 as fsxalice
#   supervisord  a private supervisord (its own config, control socket, pid
#                and log files in a temp dir; never the system service) with
#                examples/supervisor/fcgi-suexec-alice.conf: [fcgi-program:alice],
#                socket made by supervisord, command run as user=fsxweb
#   systemd      examples/systemd/fcgi-suexec@.socket and @.service, and the
#                drop-ins fcgi-suexec@.service.d/limits.conf (every site's) and
#                fcgi-suexec@alice.service.d/limits.conf: checked with
#                systemd-analyze verify, and their socket activation emulated:
#                root makes the socket (ListenStream=) and passes it on fd 3
#                with LISTEN_FDS=1 and LISTEN_PID=<the launcher's pid>, the
#                service's User= runs its ExecStart=, with its Environment=
#
# and examples/nginx/fcgi-suexec-site.conf, one server block per caller, in a
# private nginx (workers as fsxweb, 127.0.0.1, a free port in 18400-18419):
# each page must show alice's uid. The examples are rendered for the fixture
# by sed (production paths -> the test's, www-data -> fsxweb, -p 8.2 for the
# real php-cgi); a rendering that leaves a production path fails.
# The example's disable_symlinks: a symlink of alice's in her docroot to
# bob's file (laid by root, as her SFTP upload would) is not served on her
# vhost; her plain file and her link to her own file are; the same server
# block without the directive serves bob's file (so the directive is what
# blocks it).
# Each caller's worker has the launcher's limits (limits_are_defaults), also
# where the caller set others: supervisord's minfds/minprocs, a unit's
# LimitNOFILE=, LimitNPROC=, Nice= (its LimitCPU= and LimitAS= pass through).
# Everything started here is stopped on exit; /etc/nginx, the system nginx
# and the system supervisor are never used.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"
. "$(dirname "$0")/callers.sh"

CALLERS=(spawn supervisor systemd)
PROXY_PAGE=$DOCROOT/alice/fsx40-$$.php
BSECRET=$DOCROOT/bob/fsx40-secret-$$.txt     # bob's file
ALINK=$DOCROOT/alice/fsx40-link-$$.txt       # alice's link to it
APLAIN=$DOCROOT/alice/fsx40-plain-$$.txt     # alice's plain file
AOWN=$DOCROOT/alice/fsx40-own-$$.txt         # alice's link to her plain file
MARKER=fsx40-bob-$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')
declare -A SOCK=()

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    stop_supervisord
    nginx_cleanup
    rm -f "$PROXY_PAGE" "$BSECRET" "$ALINK" "$APLAIN" "$AOWN"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "spawn-fcgi is installed" eval "command -v spawn-fcgi >/dev/null"
need "supervisord and supervisorctl are installed (Debian: supervisor)" \
    eval "{ command -v supervisord && command -v supervisorctl; } >/dev/null"
need "systemd-analyze is installed (Debian: systemd)" eval "command -v systemd-analyze >/dev/null"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
need "docroot $DOCROOT/alice has index.php" test -f "$DOCROOT/alice/index.php"
for f in nginx/fcgi-suexec-site.conf nginx/README.md spawn-fcgi/fcgi-suexec-spawn \
    spawn-fcgi/README.md supervisor/fcgi-suexec-alice.conf supervisor/README.md \
    systemd/fcgi-suexec@.socket systemd/fcgi-suexec@.service systemd/README.md README.md \
    systemd/fcgi-suexec@.service.d/limits.conf systemd/fcgi-suexec@alice.service.d/limits.conf; do
    need "examples/$f is shipped" test -s "$EX/$f"
done
need "examples/spawn-fcgi/fcgi-suexec-spawn is executable" test -x "$EX/spawn-fcgi/fcgi-suexec-spawn"
needs_met

nginx_setup
uid=$(id -u fsxalice)
# a page that shows what PHP sees of a "Proxy:" request header (httpoxy)
printf '<?php echo "uid=", posix_getuid(), "\\n", "HTTP_PROXY=[", getenv("HTTP_PROXY"), "]\\n";\n' \
    >"$PROXY_PAGE"
chown fsxalice:fsxalice "$PROXY_PAGE"
chmod 0644 "$PROXY_PAGE"
echo "$MARKER" >"$BSECRET" && chown fsxbob:fsxbob "$BSECRET" && chmod 0644 "$BSECRET"
echo "alice's plain file" >"$APLAIN" && chown fsxalice:fsxalice "$APLAIN" && chmod 0644 "$APLAIN"
ln -sfn "$BSECRET" "$ALINK" && chown -h fsxalice:fsxalice "$ALINK"   # as alice's SFTP upload
ln -sfn "$APLAIN" "$AOWN" && chown -h fsxalice:fsxalice "$AOWN"

# --- spawn-fcgi ---------------------------------------------------------------
# The script as shipped; its settings from the environment. The caller's
# environment carries what must not reach PHP (PHPRC, HTTP_PROXY, LD_*).

SOCK[spawn]=$WORK/spawn/alice.sock
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FCGI_SUEXEC="$BIN" PHP_VERSION=8.2 \
    HTTPD_USER=fsxweb HTTPD_GROUP=fsxweb SOCKET_DIR="$WORK/spawn" \
    PHP_FCGI_CHILDREN=2 PHP_FCGI_MAX_REQUESTS=100 \
    PHPRC=/tmp HTTP_PROXY=http://127.0.0.1:1/ LD_LIBRARY_PATH=/tmp \
    timeout 20 "$EX/spawn-fcgi/fcgi-suexec-spawn" fsxalice fsxalice "$DOCROOT/alice" \
    </dev/null >"$WORK/spawn.out" 2>&1
is "$?" 0 "spawn-fcgi: fcgi-suexec-spawn fsxalice fsxalice $DOCROOT/alice exits 0" \
    || diag "$(cat "$WORK/spawn.out")"
wait_file "$WORK/spawn/alice.pid"
ok "spawn-fcgi: wrote the pid file $WORK/spawn/alice.pid" test -s "$WORK/spawn/alice.pid"
WORKER_PID[spawn]=$(tr -dc 0-9 <"$WORK/spawn/alice.pid" 2>/dev/null)
WORKER_SOCK[spawn]=${SOCK[spawn]}
wait_php spawn "${WORKER_PID[spawn]}" || diag "$(cat "$WORK/spawn.out")"
is "$(stat -c '%F %U:%G %a' "${SOCK[spawn]}" 2>&1)" "socket fsxweb:fsxweb 660" \
    "spawn-fcgi: the socket is fsxweb's, mode 0660 (-U/-G/-M)"
worker_checks spawn "${PHP_PID[spawn]}" fsxalice "$DOCROOT/alice" \
    PHP_FCGI_CHILDREN=2 PHP_FCGI_MAX_REQUESTS=100
kids=0
for _ in $(seq 50); do # php-cgi forks its PHP_FCGI_CHILDREN workers
    kids=$(pgrep -c -P "${PHP_PID[spawn]:-0}" 2>/dev/null) && [ "$kids" -ge 2 ] && break
    sleep 0.1
done
is "$kids" 2 "spawn-fcgi: php-cgi runs PHP_FCGI_CHILDREN=2 workers (-C 2)"
# spawn-fcgi passes on this shell's limits (nofile 20000 here): the launcher's win
limits_are_defaults spawn-fcgi "$(proc_limits "${PHP_PID[spawn]:-0}")"

# A refused launch under spawn-fcgi: it keeps only the exit code, and drops
# the launcher's reason (README, "Logs": why a build may want LOG_FILE)
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FCGI_SUEXEC="$BIN" PHP_VERSION=8.2 \
    HTTPD_USER=fsxweb HTTPD_GROUP=fsxweb SOCKET_DIR="$WORK/spawn-refused" \
    timeout 20 "$EX/spawn-fcgi/fcgi-suexec-spawn" fsxalice fsxbob "$DOCROOT/alice" \
    </dev/null >"$WORK/spawn-refused.out" 2>&1
is "$?|$(cat "$WORK/spawn-refused.out")" "104|spawn-fcgi: child exited with: 104" \
    "spawn-fcgi, a refused group: only 'child exited with: 104', the reason lost"

# --- supervisord --------------------------------------------------------------

S=$WORK/supervisor
# the highest this shell allows (root here may lack CAP_SYS_RESOURCE)
SUP_MINFDS=$(ulimit -Hn) SUP_MINPROCS=$(ulimit -Hu)
[ "$SUP_MINPROCS" = unlimited ] && SUP_MINPROCS=1000000
mkdir -p "$S/run" "$S/conf.d" "$S/log"
chmod 0755 "$S" "$S/run"
SOCK[supervisor]=$S/run/alice.sock
render "$EX/supervisor/fcgi-suexec-alice.conf" "$S/conf.d/alice.conf" \
    "s#^command=/usr/local/sbin/fcgi-suexec alice alice /var/www/alice\$#command=$BIN -p 8.2 fsxalice fsxalice $DOCROOT/alice#" \
    "s#/run/fcgi-suexec/#$S/run/#" "s#www-data#fsxweb#g"
grep -q "^command=$BIN -p 8.2 fsxalice fsxalice $DOCROOT/alice\$" "$S/conf.d/alice.conf"
ok "supervisor: the example runs the launcher as its command" test $? = 0
# raise supervisord's own (and so its children's) RLIMIT_NOFILE and
# RLIMIT_NPROC: the worker must still get the launcher's
start_supervisord "minfds=$SUP_MINFDS" "minprocs=$SUP_MINPROCS"
sup_wait_running "started"
sup_pid=$(cat "$S/alice.pid" 2>/dev/null)
WORKER_PID[supervisor]=$sup_pid
WORKER_SOCK[supervisor]=${SOCK[supervisor]}
wait_php supervisor "$sup_pid"
is "$(ppid_of "${sup_pid:-0}")" "$SUP_PID" "supervisor: php-cgi is supervisord's own child (the launcher exec'd in place)"
is "$(stat -c '%F %U:%G %a' "${SOCK[supervisor]}" 2>&1)" "socket fsxweb:fsxweb 660" \
    "supervisor: supervisord made the socket, fsxweb's, mode 0660"
inode=$(listen_inode "${SOCK[supervisor]}")
is "$(sock_inode_of_fd "${sup_pid:-0}" 0)" "${inode:-none}" "supervisor: php-cgi holds that socket on fd 0"
worker_checks supervisor "${PHP_PID[supervisor]}" fsxalice "$DOCROOT/alice" \
    PHP_FCGI_CHILDREN=4 PHP_FCGI_MAX_REQUESTS=10000
# at_least SOFT:HARD MIN: the soft limit is MIN or more (or unlimited)
# shellcheck disable=SC2317 # called by ok
at_least() { local soft=${1%%:*}; [ "$soft" = unlimited ] || [ "${soft:-0}" -ge "$2" ]; }
sup_lim=$(proc_limits "${SUP_PID:-0}")
ok "supervisor: control: supervisord's own nofile >= minfds=$SUP_MINFDS ($(grep '^limit.nofile=' <<<"$sup_lim"))" \
    at_least "$(sed -n 's/^limit.nofile=//p' <<<"$sup_lim")" "$SUP_MINFDS"
ok "supervisor: control: supervisord's own nproc >= minprocs=$SUP_MINPROCS ($(grep '^limit.nproc=' <<<"$sup_lim"))" \
    at_least "$(sed -n 's/^limit.nproc=//p' <<<"$sup_lim")" "$SUP_MINPROCS"
limits_are_defaults supervisor "$(proc_limits "${PHP_PID[supervisor]:-0}")" "$sup_lim"

# --- systemd --------------------------------------------------------------------

D=$WORK/systemd
mkdir -p "$D/verify" "$D/units" "$D/run"
chmod 0755 "$D" "$D/run"
SOCKU=$EX/systemd/fcgi-suexec@.socket
SERVU=$EX/systemd/fcgi-suexec@.service
DROPALL=$EX/systemd/fcgi-suexec@.service.d/limits.conf     # every site's
DROPSITE=$EX/systemd/fcgi-suexec@alice.service.d/limits.conf  # alice's own

# what the issue asks of the templates, as shipped
for l in "ListenStream=/run/fcgi-suexec/%i.sock" "Accept=no"; do
    ok "systemd: fcgi-suexec@.socket has $l" grep -qx "$l" "$SOCKU"
done
for l in "User=www-data" "ExecStart=/usr/local/sbin/fcgi-suexec %i %i /var/www/%i"; do
    ok "systemd: fcgi-suexec@.service has $l" grep -qx "$l" "$SERVU"
done
for f in "$DROPALL" "$DROPSITE"; do
    for k in MemoryMax MemoryHigh TasksMax CPUWeight CPUQuota IOWeight OOMPolicy; do
        ok "systemd: ${f#"$EX/"} sets $k=" grep -Eq "^$k=[^[:space:]]" "$f"
    done
done
# no_new_privs would make the kernel ignore the setuid bit: every launch refused
nnp=$(cat "$SERVU" "$DROPALL" "$DROPSITE" | grep -Ev '^[[:space:]]*[#;]' | grep -E '^[[:space:]]*(NoNewPrivileges|DynamicUser|LockPersonality|MemoryDenyWriteExecute|PrivateDevices|ProtectClock|ProtectHostname|ProtectKernelLogs|ProtectKernelModules|ProtectKernelTunables|RestrictAddressFamilies|RestrictNamespaces|RestrictRealtime|RestrictSUIDSGID|SystemCallArchitectures|SystemCallFilter|SystemCallLog|CapabilityBoundingSet|PrivateUsers|SecureBits)=')
is "$nnp" "" "systemd: the service and its drop-ins set no NoNewPrivileges, nor an option implying it, nor a capability limit"
like "$(cat "$SERVU")" "NoNewPrivileges" "systemd: the service explains, in a comment, why not NoNewPrivileges"

# systemd-analyze verify: a copy whose only change is ExecStart's binary (the
# test build, a file that exists here), with the drop-ins, for the instance
# "alice" (her own limits.conf) and "bob" (every site's); any line it prints
# about the units fails the test
cp -r "$SOCKU" "$SERVU" "${DROPALL%/*}" "${DROPSITE%/*}" "$D/verify/"
sed -i "s#^ExecStart=/usr/local/sbin/fcgi-suexec #ExecStart=$BIN #" "$D/verify/fcgi-suexec@.service"
verify() { # DIR [INSTANCE]: systemd-analyze verify of an instance (alice); output in $vout, status in $vrc
    vout=$(cd "$1" && timeout 60 systemd-analyze verify --man=no \
        "$1/fcgi-suexec@${2:-alice}.socket" "$1/fcgi-suexec@${2:-alice}.service" 2>&1)
    vrc=$?
}
for i in alice bob; do
    verify "$D/verify" "$i"
    is "$vrc" 0 "systemd: systemd-analyze verify fcgi-suexec@$i.socket fcgi-suexec@$i.service, with the drop-ins: exit 0"
    is "$(grep -E 'fcgi-suexec|/verify/' <<<"$vout")" "" "systemd: systemd-analyze verify prints nothing about the units of $i"
    [ -z "$vout" ] || diag "systemd-analyze verify said: $vout"
done
# ... and it does see a broken unit (the check above is not vacuous)
mkdir -p "$D/broken"
cp -r "$D/verify/." "$D/broken/"
sed -i 's/^\[Service\]$/[Service]\nNoSuchSetting=1/' "$D/broken/fcgi-suexec@.service"
sed -i 's#^ExecStart=[^ ]*#ExecStart=/nonexistent/fcgi-suexec#' "$D/broken/fcgi-suexec@.service"
verify "$D/broken"
like "$vout" "NoSuchSetting" "systemd: (control) systemd-analyze verify reports an unknown key"
like "$vout" "/nonexistent/fcgi-suexec.*(not executable|No such file)" \
    "systemd: (control) systemd-analyze verify reports a missing ExecStart binary"
# ... and a misspelt key in a drop-in: alice's own in hers, every site's in
# bob's; alice's limits.conf replaces every site's (same name), so the
# latter's typo is not hers (what the README says of a site's own file)
mkdir -p "$D/typo"
cp -r "$D/verify/." "$D/typo/"
sed -i 's/^MemoryMax=/MemoryMaxx=/' "$D/typo/fcgi-suexec@alice.service.d/limits.conf"
sed -i 's/^TasksMax=/TasksMaxx=/' "$D/typo/fcgi-suexec@.service.d/limits.conf"
verify "$D/typo" alice
like "$vout" "fcgi-suexec@alice\.service\.d/limits\.conf:[0-9]+: Unknown key 'MemoryMaxx'" \
    "systemd: (control) verify of alice reports MemoryMaxx= in her drop-in"
unlike "$vout" "TasksMaxx" "systemd: ... and not every site's TasksMaxx=: her limits.conf replaces that one"
verify "$D/typo" bob
like "$vout" "fcgi-suexec@\.service\.d/limits\.conf:[0-9]+: Unknown key 'TasksMaxx'" \
    "systemd: (control) verify of bob reports TasksMaxx= in every site's drop-in"
unlike "$vout" "MemoryMaxx" "systemd: ... and not alice's MemoryMaxx="

# the activation, emulated from the rendered units
render "$SOCKU" "$D/units/fcgi-suexec@.socket" "s#/run/fcgi-suexec/#$D/run/#" "s#www-data#fsxweb#g"
render "$SERVU" "$D/units/fcgi-suexec@.service" \
    "s#^ExecStart=/usr/local/sbin/fcgi-suexec %i %i /var/www/%i\$#ExecStart=$BIN -p 8.2 fsx%i fsx%i $DOCROOT/%i#" \
    "s#www-data#fsxweb#g"
unit_key() { # FILE KEY: the value of KEY=, %i = alice
    sed -n "s/^$2=//p" "$1" | tail -n 1 | sed 's/%i/alice/g'
}
SOCK[systemd]=$(unit_key "$D/units/fcgi-suexec@.socket" ListenStream)
s_user=$(unit_key "$D/units/fcgi-suexec@.socket" SocketUser)
s_group=$(unit_key "$D/units/fcgi-suexec@.socket" SocketGroup)
s_mode=$(unit_key "$D/units/fcgi-suexec@.socket" SocketMode)
u_user=$(unit_key "$D/units/fcgi-suexec@.service" User)
u_group=$(unit_key "$D/units/fcgi-suexec@.service" Group)
read -r -a u_exec <<<"$(unit_key "$D/units/fcgi-suexec@.service" ExecStart)"
read -r -a u_env <<<"$(unit_key "$D/units/fcgi-suexec@.service" Environment)"
# a unit that weakens the limits (the test's own drop-in, not an example):
# nofile and nproc as high as this shell's hard limits allow (root here may
# lack CAP_SYS_RESOURCE: nothing above them, no oom_score_adj below 0), CPU
# time and address space that the launcher must leave alone, a negative
# nice. pid 1 would apply them before the exec; here prlimit, nice (Nice= is
# absolute, nice -n relative to this shell's) and choom do.
mkdir -p "$D/units/fcgi-suexec@alice.service.d"
CALLERU=$D/units/fcgi-suexec@alice.service.d/caller.conf
u_nofile=$(ulimit -Hn) u_nproc=$(ulimit -Hu)
[ "$u_nproc" = unlimited ] && u_nproc=infinity
# LimitAS= 64 TiB: an ASan build of the launcher (make check-asan) needs 32 TiB
printf '%s\n' '[Service]' "LimitNOFILE=$u_nofile" "LimitNPROC=$u_nproc" \
    LimitCPU=7200 LimitAS=70368744177664 Nice=-5 OOMScoreAdjust=0 >"$CALLERU"
verify "$D/units" alice
is "$vrc/$(grep -E 'fcgi-suexec|/units/' <<<"$vout")" 0/ \
    "systemd: systemd-analyze verify of the rendered units with the test's LimitNOFILE=... drop-in: clean"
[ -z "$vout" ] || diag "systemd-analyze verify said: $vout"
u_lim() { unit_key "$CALLERU" "$1" | sed 's/^infinity$/unlimited/'; }
u_caller=("$(command -v prlimit)" --nofile="$(u_lim LimitNOFILE)" --nproc="$(u_lim LimitNPROC)" \
    --cpu="$(u_lim LimitCPU)" --as="$(u_lim LimitAS)" -- \
    "$(command -v nice)" -n "$(( $(unit_key "$CALLERU" Nice) - $(nice) ))" -- \
    "$(command -v choom)" -n "$(unit_key "$CALLERU" OOMScoreAdjust)" --)
# the control: what ExecStart= would start with, before the launcher
ctl=$(timeout 10 "${u_caller[@]}" "$(command -v setpriv)" --reuid "$u_user" --regid "$u_group" \
    --init-groups -- /bin/sh -c 'cat /proc/self/limits; echo @@; cat /proc/self/stat; echo @@; cat /proc/self/oom_score_adj' 2>&1)
caller_lim=$(limits_from_proc "$(sed '/^@@$/,$d' <<<"$ctl")" "$(sed -n '/^@@$/,/^@@$/p' <<<"$ctl" | sed '/^@@$/d')" \
    "$(sed '1,/^@@$/d' <<<"$ctl" | sed '1,/^@@$/d')")
u_want="limit.nproc=$(u_lim LimitNPROC):$(u_lim LimitNPROC) limit.nofile=$u_nofile:$u_nofile"
u_want+=" limit.cpu=7200:7200 limit.as=70368744177664:70368744177664 nice=-5 oom_score_adj=0"
is "$(grep -E '^(limit\.(nproc|nofile|cpu|as)|nice|oom_score_adj)=' <<<"$caller_lim" | paste -sd' ')" "$u_want" \
    "systemd: (control) the emulated unit's own limits, before the launcher: LimitNOFILE=, LimitNPROC=, LimitCPU=, LimitAS=, Nice=, OOMScoreAdjust="
ok "systemd: (control) ... LimitNOFILE=$u_nofile is above the launcher's 1024" test "$u_nofile" -gt 1024
is "${SOCK[systemd]} $u_user:$u_group ${u_exec[*]}" \
    "$D/run/alice.sock fsxweb:fsxweb $BIN -p 8.2 fsxalice fsxalice $DOCROOT/alice" \
    "systemd: the rendered alice instance: ListenStream, User:Group, ExecStart"
envargs=(--env LISTEN_FDNAMES=fcgi-suexec@alice.socket)
for e in "${u_env[@]}"; do envargs+=(--env "$e"); done
# pid 1 would: make the socket as root, fork, setgroups/setgid/setuid to User=,
# set LISTEN_FDS=1 LISTEN_PID=<its own pid> with the socket on fd 3, exec.
# Here: fdsock (root) makes it, sets the variables for its own pid and execs
# prlimit, nice and choom (the unit's limits, above) and setpriv (each by
# path: fdsock does not search PATH), which becomes fsxweb and execs the
# launcher: all one pid.
rm -f "${SOCK[systemd]}"
"$FDSOCK" --fd 3 --listen-env --env-clear "${envargs[@]}" unix "${SOCK[systemd]}" -- \
    "${u_caller[@]}" "$(command -v setpriv)" --reuid "$u_user" --regid "$u_group" --init-groups -- "${u_exec[@]}" \
    </dev/null >"$WORK/systemd.out" 2>"$WORK/systemd.err" &
WORKER_PID[systemd]=$!
WORKER_SOCK[systemd]=${SOCK[systemd]}
wait_php systemd "${WORKER_PID[systemd]}" || diag "$(cat "$WORK/systemd.err")"
# SocketUser=, SocketGroup=, SocketMode=
chown "$s_user:$s_group" "${SOCK[systemd]}" && chmod "$s_mode" "${SOCK[systemd]}"
ok "systemd: socket set to SocketUser:SocketGroup $s_user:$s_group, SocketMode $s_mode" test $? = 0
pid=${PHP_PID[systemd]:-0}
inode=$(listen_inode "${SOCK[systemd]}")
is "$(sock_inode_of_fd "$pid" 0)" "${inode:-none}" "systemd: the socket passed on fd 3 is php-cgi's fd 0"
held=
for f in /proc/"$pid"/fd/*; do
    n=${f##*/}
    [ "$n" != 0 ] && [ -n "$inode" ] && [ "$(sock_inode_of_fd "$pid" "$n")" = "$inode" ] && held="$held $n"
done
is "$held" "" "systemd: php-cgi holds the listening socket on no other descriptor (fd 3 was moved)"
worker_checks systemd "${PHP_PID[systemd]}" fsxalice "$DOCROOT/alice" "${u_env[@]}"
# the launcher's limits win over the unit's; LimitCPU= and LimitAS= pass through
limits_are_defaults systemd "$(proc_limits "$pid")" "$caller_lim"

# --- nginx: the example server block, once per caller ---------------------------

for c in "${CALLERS[@]}"; do
    render "$EX/nginx/fcgi-suexec-site.conf" "$WORK/site-$c.conf" \
        "s#listen 80;#listen 127.0.0.1:@PORT@;#" \
        "s#server_name alice.example;#server_name alice.$c.test;#" \
        "s#/var/www/#$DOCROOT/#g" \
        "s#unix:/run/fcgi-suexec/alice.sock;#unix:${SOCK[$c]};#"
done
ok "nginx example: the server block sets disable_symlinks if_not_owner" \
    grep -qx '    disable_symlinks if_not_owner;' "$WORK/site-spawn.conf"
# the control: the same block without the directive (nginx's default: off)
render "$EX/nginx/fcgi-suexec-site.conf" "$WORK/site-nosym.conf" \
    "s#listen 80;#listen 127.0.0.1:@PORT@;#" \
    "s#server_name alice.example;#server_name alice.nosym.test;#" \
    "s#/var/www/#$DOCROOT/#g" \
    "s#unix:/run/fcgi-suexec/alice.sock;#unix:${SOCK[spawn]};#" \
    "/disable_symlinks/d"
nginx_servers() { # PORT
    # "include fastcgi_params;" is relative to the directory of nginx.conf
    write_fastcgi_params "$WORK/nginx/fastcgi_params"
    default_server "$1"
    for c in "${CALLERS[@]}" nosym; do sed "s/@PORT@/$1/" "$WORK/site-$c.conf"; done
}
start_nginx 18400 18419 || done_testing

for c in "${CALLERS[@]}"; do
    fetch "alice.$c.test" /index.php
    is "$code" 200 "$c: GET /index.php through nginx: HTTP 200"
    [ "$code" = 200 ] || diag "$(fetch_diag)"
    like "$body" "(^|[^0-9])uid=$uid([^0-9]|\$)" "$c: the page shows the process uid of fsxalice ($uid)"
done
fetch alice.spawn.test "/$(basename "$PROXY_PAGE")" -H "Proxy: http://127.0.0.1:1/"
like "$body" "uid=$uid"$'\n'"HTTP_PROXY=\[\]" "nginx example: a Proxy: request header does not reach PHP as HTTP_PROXY"
fetch alice.spawn.test /no-such-page.php
is "$code" 404 "nginx example: a .php that does not exist is nginx's 404 (try_files), not PHP's"
fetch alice.spawn.test /index.php/x.php
is "$code" 404 "nginx example: /index.php/x.php is not run as index.php"

# symlinks: alice's link to bob's file is not served on her vhost
like "$(as_user fsxweb cat "$ALINK")" "^$MARKER\$" "control: file modes let nginx's user read bob's file through alice's link"
fetch alice.spawn.test "/${ALINK##*/}"
is "$code" 404 "nginx example: alice's link to bob's file: HTTP 404 (disable_symlinks if_not_owner)"
unlike "$body" "$MARKER" "nginx example: ... and bob's file is not in the answer"
fetch alice.spawn.test "/${APLAIN##*/}"
is "$code/$body" "200/alice's plain file" "control: nginx example: alice's plain file is served"
fetch alice.spawn.test "/${AOWN##*/}"
is "$code/$body" "200/alice's plain file" "control: nginx example: alice's link to her own file is served (same owner)"
fetch alice.nosym.test "/${ALINK##*/}"
is "$code/$body" "200/$MARKER" "control: without disable_symlinks the same server block serves bob's file"

# --- supervisord: restart, then stop -------------------------------------------

old=${PHP_PID[supervisor]:-}
out=$(supctl restart alice)
like "$out" "alice: started" "supervisor: supervisorctl restart alice" || diag "$out"
sup_wait_running "restarted"
new=$(cat "$S/alice.pid" 2>/dev/null)
ok "supervisor: a new php-cgi (pid $old -> ${new:-none})" test -n "$new" -a "$new" != "$old"
wait_php supervisor-restarted "$new"
fetch alice.supervisor.test /index.php
like "$code $body" "^200 .*uid=$uid" "supervisor: after the restart the page still shows fsxalice's uid"
is "$(status_field "${new:-0}" Uid)" "$uid $uid $uid $uid" "supervisor: the new worker is fsxalice"
limits_are_defaults "supervisor, restarted" "$(proc_limits "${new:-0}")" "$(proc_limits "${SUP_PID:-0}")"
WORKER_PID[supervisor]=$new PHP_PID[supervisor]=$new

sup=$SUP_PID
kids=$(pgrep -P "${new:-0}" 2>/dev/null | tr '\n' ' ')
stop_supervisord
ok "supervisor: supervisord stopped (pid $sup)" test ! -d "/proc/$sup"
ok "supervisor: and its php-cgi with it (pid ${new:-none})" test -n "$new" -a ! -d "/proc/${new:-x}"
left=
for k in $kids; do [ -d "/proc/$k" ] && left="$left $k"; done
is "$left" "" "supervisor: and php-cgi's own workers ($kids)"

done_testing
