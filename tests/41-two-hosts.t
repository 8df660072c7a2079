#!/bin/bash
# 41-two-hosts.t - examples/two-hosts: the web server on one host, PHP on
# another, FastCGI over TCP between them; made of network namespaces:
#
#   fsxweb-PID  "web host": nginx (workers as fsxweb) with
#               examples/two-hosts/web-tier.conf, on 127.0.0.1:8080 in there
#       | veth 10.213.7.1/30 -- 10.213.7.2/30
#   fsxphp-PID  "PHP host": alice's worker started by fsxweb as
#                 fdsock tcp 10.213.7.2:9000 -- fcgi-suexec -p 8.2 fsxalice ...
#               bob's by examples/spawn-fcgi/fcgi-suexec-spawn with
#                 LISTEN=10.213.7.2:9001;
#               the firewall examples/two-hosts/php-tier.nft
#       | veth 10.213.7.6/30 -- 10.213.7.5/30
#   fsxoth-PID  "another host" on another network of the PHP host, routed to
#               10.213.7.2: must not reach the FastCGI ports
#
# The choice documented in examples/two-hosts/README.md is the firewall: this
# test shows that the listening address alone does not keep the other host
# out (Linux accepts a packet for any local address on any interface), then
# that the firewall does, while the web host still gets through.
#
# The namespaces, their links and addresses are made here and deleted on exit;
# the addresses (10.213.7.0/29) are only ever configured inside them. Nothing
# outside them is configured: no address, route, link, sysctl or firewall
# rule of the machine's own network. The worker's Landlock domain forbids a
# TCP bind, not the inherited listening socket, and allows TCP connect out.
# Processes are put in a namespace with nsenter --net (which execs in place,
# so $! is the worker's or nginx's pid), not `ip netns exec` (which forks).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"
. "$(dirname "$0")/callers.sh"

NSWEB=fsxweb-$$ NSPHP=fsxphp-$$ NSOTH=fsxoth-$$
WEB_ADDR=10.213.7.1 PHP_ADDR=10.213.7.2 PHP_ADDR2=10.213.7.6 OTH_ADDR=10.213.7.5
NS_MADE=()

# every process still in one of our namespaces is ours: stop it (bounded)
# shellcheck disable=SC2317 # run by the EXIT trap
ns_kill() { # NS
    local p _
    for _ in 1 2; do
        for p in $(ip netns pids "$1" 2>/dev/null); do stop_pid "$p"; done
    done
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    local ns
    set +u
    nginx_cleanup
    for ns in "${NS_MADE[@]}"; do
        ns_kill "$ns"
        ip netns del "$ns" || diag "could not delete network namespace $ns"
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# in_ns NS CMD...: CMD in network namespace NS. nsenter execs CMD in place
# (`ip netns exec` forks and waits), so "nsenter ... CMD &" (not this
# function: bash would fork for it) gives CMD's pid in $!.
in_ns() { nsenter --net="/run/netns/$1" -- "${@:2}"; }

# --- preconditions: fail, never opt out -------------------------------------

need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "ip is installed (Debian: iproute2)" eval "command -v ip >/dev/null"
need "nsenter is installed (Debian: util-linux)" eval "command -v nsenter >/dev/null"
need "nft is installed (Debian: nftables)" eval "command -v nft >/dev/null"
need "spawn-fcgi is installed" eval "command -v spawn-fcgi >/dev/null"
need "real php-cgi8.2 is installed ($PHP_REAL)" test -x "$PHP_REAL"
need "the php-cgi8.2 of the test build links to it" \
    test "$(readlink -f "$TESTROOT/bin/php-cgi8.2")" = "$(readlink -f "$PHP_REAL")"
for s in alice bob; do
    need "docroot $DOCROOT/$s has index.php" test -f "$DOCROOT/$s/index.php"
done
for f in two-hosts/web-tier.conf two-hosts/php-tier.nft two-hosts/README.md \
    spawn-fcgi/fcgi-suexec-spawn; do
    need "examples/$f is shipped" test -s "$EX/$f"
done
for ns in "$NSWEB" "$NSPHP" "$NSOTH"; do
    need "no network namespace $ns yet" eval "! ip netns list | grep -qw '$ns'"
done
needs_met

nginx_setup

# --- the three hosts --------------------------------------------------------

# shellcheck disable=SC2317 # called by ok
net_up() {
    local ns
    for ns in "$NSWEB" "$NSPHP" "$NSOTH"; do
        ip netns add "$ns" || return 1
        NS_MADE+=("$ns")
        ip -n "$ns" link set lo up || return 1
    done
    # each veth pair is made inside a namespace of ours, its peer put straight
    # into the other: no link ever exists in the machine's own namespace
    ip -n "$NSWEB" link add tophp type veth peer name toweb netns "$NSPHP" &&
    ip -n "$NSOTH" link add tophp type veth peer name tooth netns "$NSPHP" &&
    ip -n "$NSWEB" addr add "$WEB_ADDR/30" dev tophp &&
    ip -n "$NSPHP" addr add "$PHP_ADDR/30" dev toweb &&
    ip -n "$NSPHP" addr add "$PHP_ADDR2/30" dev tooth &&
    ip -n "$NSOTH" addr add "$OTH_ADDR/30" dev tophp &&
    ip -n "$NSWEB" link set tophp up &&
    ip -n "$NSPHP" link set toweb up &&
    ip -n "$NSPHP" link set tooth up &&
    ip -n "$NSOTH" link set tophp up &&
    # the other host knows the way to the PHP host's private address
    ip -n "$NSOTH" route add "$PHP_ADDR/32" via "$PHP_ADDR2"
}
ok "three network namespaces $NSWEB, $NSPHP, $NSOTH, linked by two veth pairs" net_up
for ns in "$NSWEB" "$NSPHP" "$NSOTH"; do
    like "$(ip -n "$ns" -o link show lo 2>&1)" "[<,]UP[,>]" "$ns: loopback is up"
done

# --- the PHP tier -------------------------------------------------------------

# alice: the launcher on an inherited TCP listening socket (fsxweb calls it)
nsenter --net="/run/netns/$NSPHP" -- "$(command -v setpriv)" --reuid fsxweb --regid "$(id -g fsxweb)" --init-groups -- \
    "$FDSOCK" --env-clear --env PHP_FCGI_CHILDREN=0 tcp "$PHP_ADDR:9000" -- \
    "$BIN" -p 8.2 fsxalice fsxalice "$DOCROOT/alice" \
    </dev/null >"$WORK/alice.out" 2>"$WORK/alice.err" &
WORKER_PID[alice]=$! WORKER_SOCK[alice]=
wait_php alice "${WORKER_PID[alice]}" || diag "$(cat "$WORK/alice.err")"

# bob: the spawn-fcgi example, LISTEN=ADDRESS:PORT
in_ns "$NSPHP" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FCGI_SUEXEC="$BIN" PHP_VERSION=8.2 \
    HTTPD_USER=fsxweb HTTPD_GROUP=fsxweb SOCKET_DIR="$WORK/php-run" LISTEN="$PHP_ADDR:9001" \
    PHP_FCGI_CHILDREN=0 timeout 20 "$EX/spawn-fcgi/fcgi-suexec-spawn" fsxbob fsxbob "$DOCROOT/bob" \
    </dev/null >"$WORK/bob.out" 2>&1
is "$?" 0 "bob: fcgi-suexec-spawn with LISTEN=$PHP_ADDR:9001 exits 0" || diag "$(cat "$WORK/bob.out")"
wait_file "$WORK/php-run/bob.pid"
WORKER_PID[bob]=$(tr -dc 0-9 <"$WORK/php-run/bob.pid" 2>/dev/null) WORKER_SOCK[bob]=
wait_php bob "${WORKER_PID[bob]}" || diag "$(cat "$WORK/bob.out")"

netns_of() { readlink "/proc/$1/ns/net" 2>/dev/null; }
php_ns=$(in_ns "$NSPHP" readlink /proc/self/ns/net)
for s in alice bob; do
    pid=${PHP_PID[$s]:-0}
    is "$(netns_of "$pid")" "$php_ns" "$s: the worker runs in $NSPHP"
    extra=()
    [ "$s" = bob ] && extra=(PHP_FCGI_MAX_REQUESTS=10000) # the script's default
    worker_checks "$s" "${PHP_PID[$s]}" "fsx$s" "$DOCROOT/$s" PHP_FCGI_CHILDREN=0 "${extra[@]}"
    limits_are_defaults "$s" "$(proc_limits "$pid")"
done
listeners=$(in_ns "$NSPHP" cat /proc/net/tcp | awk 'NR > 1 && $4 == "0A" { print $2 }' | sort | tr '\n' ' ')
is "$listeners" "0207D50A:2328 0207D50A:2329 " \
    "$NSPHP listens on $PHP_ADDR:9000 and :9001 only (/proc/net/tcp)"

# --- who reaches the FastCGI ports, without and with the firewall -------------

r=$(tcp_try "$NSWEB" "$PHP_ADDR" 9000)
is "$r" connected "no firewall: the web host connects to $PHP_ADDR:9000"
r=$(tcp_try "$NSOTH" "$PHP_ADDR" 9000)
is "$r" connected "no firewall: the other host connects to $PHP_ADDR:9000 too (the listening address alone does not keep it out)"

out=$(in_ns "$NSPHP" nft -f "$EX/two-hosts/php-tier.nft" 2>&1)
ok "firewall: nft -f examples/two-hosts/php-tier.nft in $NSPHP" test $? = 0 || diag "$out"
out=$(in_ns "$NSPHP" nft -f "$EX/two-hosts/php-tier.nft" 2>&1)
ok "firewall: loading it again replaces it (idempotent)" test $? = 0 || diag "$out"
is "$(in_ns "$NSPHP" nft list tables 2>&1)" "table inet fcgi_suexec" "firewall: one table, fcgi_suexec"

for p in 9000 9001; do
    r=$(tcp_try "$NSWEB" "$PHP_ADDR" $p)
    is "$r" connected "firewall: the web host connects to $PHP_ADDR:$p"
    r=$(tcp_try "$NSOTH" "$PHP_ADDR" $p)
    is "$r" "No route to host" "firewall: the other host is refused on $PHP_ADDR:$p (admin-prohibited)"
done
r=$(tcp_try "$NSOTH" "$PHP_ADDR" 80)
is "$r" "Connection refused" "firewall: the other host still reaches $PHP_ADDR (port 80, closed: a reset), so the refusal above is the firewall's"
r=$(tcp_try "$NSOTH" "$PHP_ADDR2" 9000)
is "$r" "No route to host" "firewall: the other host is refused on its own side's address $PHP_ADDR2:9000 too"
# shellcheck disable=SC2016 # expanded by the inner bash
r=$(in_ns "$NSPHP" "$(command -v setpriv)" --reuid fsxbob --regid "$(id -g fsxbob)" --init-groups -- \
    bash -c 'exec 3<>"/dev/tcp/$1/9000" && echo connected' _ "$PHP_ADDR" 2>&1)
unlike "$r" "connected" "firewall: on the PHP host itself, user fsxbob cannot connect to alice's port 9000"
counter=$(in_ns "$NSPHP" nft list table inet fcgi_suexec 2>/dev/null | sed -n 's/.*counter packets \([0-9]*\) .*reject.*/\1/p')
ok "firewall: its reject rule counted the refusals (packets: ${counter:-none})" \
    test "${counter:-0}" -ge 4

# --- the web tier -------------------------------------------------------------

for s in alice bob; do
    e=()
    [ "$s" = bob ] && e=("s#alice#bob#g" "s#:9000;#:9001;#")
    render "$EX/two-hosts/web-tier.conf" "$WORK/web-$s.conf" "${e[@]}" \
        "s#listen 80;#listen 127.0.0.1:8080;#" "s#/var/www/#$DOCROOT/#g"
done
is "$(grep -h fastcgi_pass "$WORK"/web-alice.conf "$WORK"/web-bob.conf | tr -s ' ')" \
    " fastcgi_pass $PHP_ADDR:9000;
 fastcgi_pass $PHP_ADDR:9001;" "web tier: fastcgi_pass $PHP_ADDR:9000 (alice) and :9001 (bob)"

nginx_servers() { # PORT
    write_fastcgi_params "$WORK/nginx/fastcgi_params"
    default_server "$1"
    cat "$WORK/web-alice.conf" "$WORK/web-bob.conf"
}
mkdir -p "$WORK/nginx"
_nginx_conf 8080
nsenter --net="/run/netns/$NSWEB" -- "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
    </dev/null >"$WORK/nginx.out" 2>&1 &
NGINX_PID=$!
up=
for _ in $(seq 50); do # bounded: 50 x 0.1 s
    if in_ns "$NSWEB" curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8080/ping 2>/dev/null; then
        up=1; break
    fi
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
done
ok "web tier: nginx answers on 127.0.0.1:8080 in $NSWEB" test -n "$up" \
    || diag "$(cat "$WORK/nginx.out" "$WORK/nginx/error.log" 2>/dev/null)"
is "$(netns_of "$NGINX_PID")" "$(in_ns "$NSWEB" readlink /proc/self/ns/net)" "web tier: nginx runs in $NSWEB"

# ns_fetch NS HOST PATH: like fetch, from inside NS (retried, bounded: 20 x <= 5 s)
ns_fetch() {
    local ns=$1 host=$2 path=$3 _
    body="" code=""
    for _ in $(seq 20); do
        code=$(in_ns "$ns" curl -sS --max-time 5 -o "$WORK/body" -w '%{http_code}' \
            -H "Host: $host" "http://127.0.0.1:8080$path" 2>"$WORK/curl.err")
        body=$(cat "$WORK/body" 2>/dev/null)
        case $code in 000|502|503|504) ;; *) break ;; esac
        sleep 0.2
    done
}
for s in alice bob; do
    uid=$(id -u "fsx$s")
    ns_fetch "$NSWEB" "$s.example" /index.php
    is "$code" 200 "$s: GET http://$s.example/index.php from inside $NSWEB: HTTP 200"
    [ "$code" = 200 ] || diag "$(fetch_diag)"
    like "$body" "(^|[^0-9])uid=$uid([^0-9]|\$)" "$s: the page shows the process uid of fsx$s ($uid), from the PHP host"
done
out=$(in_ns "$NSOTH" curl -sS --max-time 5 -o /dev/null "http://$WEB_ADDR:8080/" 2>&1)
ok "the other host has no way to the web host either (it is on another network)" test $? != 0

done_testing
