# shellcheck shell=bash disable=SC2034 # constants are used by the bench/*.sh that source this
# bench/lib.sh - what every benchmark shares: constants, the bench fixture
# (users, files, setuid installs), process bookkeeping, cleanup, medians.
# Sourced by bench/*.sh (which run as root, under `set -euo pipefail`).
#
#   bench_setup             users and files for one run (idempotent)
#   bench_cleanup           stop every process started, remove every user,
#                           file and directory made; run by the EXIT trap that
#                           bench_init sets, and by `run.sh cleanup`
#   drop_worlds USER...     unmount and remove the launcher's world pins of
#                           those users (/run/fcgi-suexec/*/<uid>.USER.*),
#                           so their next launch makes the world again
#   start_bg NAME CMD...    CMD in its own session, in the background; its
#                           process group is stopped by bench_cleanup (or by
#                           stop_bg NAME)
#   median                  the median of the numbers on stdin
#   say TEXT                a line on stdout and in the benchmark's summary
#   free_ports, php_server, nginx_conf
#                           a private nginx on free ports of 127.0.0.1
#   start_site, get, ready, wrk_run
#                           php-cgi through the launcher behind it: started,
#                           asked, checked, loaded
#   start_fpm_site          the same with php-fpm (-w fpm)
#
# Nothing here touches the system's nginx, Apache or php-fpm configuration
# or services: each benchmark runs private instances from files of its own,
# on 127.0.0.1.

BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_ROOT=${BENCH_ROOT:-/var/lib/fsx-bench}
TOOLS=$BENCH_REPO/build/bench/tools
OUT=${BENCH_OUT:-$BENCH_REPO/build/bench/results}
STATE=$BENCH_ROOT/run                # sockets, configs, pid files of one run
HTTPD=www-data
WWW=/var/www
SITE_USER=fsxbench
SITE=$WWW/$SITE_USER
ATTACK_USER=fsxbattack                # bench/neighbour.sh: the noisy neighbour of $SITE_USER
ATTACK_SITE=$WWW/$ATTACK_USER
LIMITS=$BENCH_ROOT/etc/limits          # LIMITS_DIR of both builds: per-site limits
PHP_REAL=/usr/bin/php-cgi8.2
PHP_INI_CGI=/etc/php/8.2/cgi/php.ini
PHP_FPM_REAL=/usr/sbin/php-fpm8.2      # what "-p 8.2 -w fpm" execs (build/bench-php: PHP_FPM=/usr/sbin/php-fpm)
PHP_INI_FPM=/etc/php/8.2/fpm/php.ini   # and its php.ini (PHP_FPM_INI_VERSIONED's default)
FPM_CONF=$BENCH_ROOT/etc/php-fpm.conf  # build/bench-php's PHP_FPM_CONF: etc/php-fpm.conf, root's
APACHE_SUEXEC=/usr/lib/apache2/suexec-pristine
SBIN=$BENCH_ROOT/sbin
LAUNCHER=$SBIN/fcgi-suexec            # build/bench: executes bin/true
LAUNCHER_PHP=$SBIN/fcgi-suexec-php    # build/bench-php: executes php-cgi
TARGET=$BENCH_ROOT/bin/true
SCALE_PREFIX=fsxb                     # fsxb001 .. fsxbNNN (bench/scale.sh)
LOCK=/run/lock/fsx-bench.lock
SUMMARY=

declare -a BG_NAMES=()
declare -A BG_PID=()

say() {
    echo "$*"
    [ -z "$SUMMARY" ] || echo "$*" >>"$SUMMARY"
}

# --- nginx in front of the benchmarks' sites (bench/throughput.sh, neighbour.sh) ---
port_busy() { # PORT: something listens on it (TCP, v4 or v6)
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
# free_ports FROM TO NAME...: PORT[NAME], a free port in FROM..TO for each NAME
declare -A PORT=()
free_ports() {
    local p=$1 to=$2 name
    shift 2
    for name in "$@"; do
        while port_busy "$p"; do p=$((p + 1)); [ "$p" -le "$to" ] || die "no free port up to $to"; done
        PORT[$name]=$p
        p=$((p + 1))
    done
}
# php_server PORT ROOT SOCKET: a server block passing *.php to the FastCGI SOCKET
php_server() {
    cat <<EOF
    server {
        listen 127.0.0.1:$1;
        root $2;
        location ~ \.php\$ {
            fastcgi_pass unix:$3;
            fastcgi_read_timeout 600s;
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
}
# nginx_conf DIR SERVERS: DIR/nginx.conf, nginx as $HTTPD with its temp
# directories in DIR, serving SERVERS (php_server blocks)
nginx_conf() {
    local d
    for d in client_body proxy fastcgi uwsgi scgi; do
        install -d -o "$HTTPD" -g "$(id -gn "$HTTPD")" -m 0700 "$1/${d}_temp"
    done
    cat >"$1/nginx.conf" <<EOF
user $HTTPD;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $1/client_body_temp;
    proxy_temp_path $1/proxy_temp;
    fastcgi_temp_path $1/fastcgi_temp;
    uwsgi_temp_path $1/uwsgi_temp;
    scgi_temp_path $1/scgi_temp;
    default_type text/plain;
$2
}
EOF
}

# --- PHP workers behind that nginx (bench/throughput.sh, neighbour.sh, maxrequests.sh) ---
NGINX_DIR=$STATE/nginx                # nginx_conf's DIR in every benchmark
# start_site NAME USER DOCROOT [VAR=value...]: php-cgi8.2 through the launcher
# (build/bench-php) as USER in DOCROOT, started by spawn-fcgi as $HTTPD with
# $WORKERS children (BENCH_WORKERS, 4) on $STATE/NAME.sock, its environment
# PATH and the VAR=value words; waits (bounded) until it listens. BG_PID[NAME]
# is php-cgi's master (spawn-fcgi -n and the launcher exec in place).
start_site() {
    local name=$1 user=$2 root=$3 wg
    shift 3
    wg=$(id -gn "$HTTPD")
    start_bg "$name" env -i PATH=/usr/bin:/bin "$@" spawn-fcgi -n -s "$STATE/$name.sock" -M 0660 \
        -U "$HTTPD" -G "$wg" -u "$HTTPD" -g "$wg" -C "${WORKERS:-4}" -- \
        "$LAUNCHER_PHP" -p 8.2 "$user" "$user" "$root"
    wait_listen "$STATE/$name.sock" || { cat "$STATE/$name.log" >&2; die "$name: no worker listening on $STATE/$name.sock"; }
}
# start_fpm_site NAME USER DOCROOT [VAR=value...]: as start_site, but the
# launcher execs php-fpm8.2 (-p 8.2 -w fpm) with root's template ($FPM_CONF)
# and the process manager's values of the build or of $LIMITS/USER/pm*;
# BG_PID[NAME] is php-fpm's master
start_fpm_site() {
    local name=$1 user=$2 root=$3 wg
    shift 3
    wg=$(id -gn "$HTTPD")
    start_bg "$name" env -i PATH=/usr/bin:/bin "$@" spawn-fcgi -n -s "$STATE/$name.sock" -M 0660 \
        -U "$HTTPD" -G "$wg" -u "$HTTPD" -g "$wg" -- \
        "$LAUNCHER_PHP" -p 8.2 -w fpm "$user" "$user" "$root"
    wait_listen "$STATE/$name.sock" || { cat "$STATE/$name.log" >&2; die "$name: no worker listening on $STATE/$name.sock"; }
}
# get NAME PATH: the HTTP code of http://127.0.0.1:PORT[NAME]/PATH; the body in $STATE/body
get() {
    curl -sS --max-time 10 -o "$STATE/body" -w '%{http_code}' "http://127.0.0.1:${PORT[$1]}/$2" 2>/dev/null || true
}
# ready NAME PATH REGEX: PATH answers 200 with a line matching REGEX (grep;
# bounded retries while the workers start), or die with nginx's and NAME's last lines
ready() {
    local code _
    for _ in $(seq 50); do
        code=$(get "$1" "$2")
        [ "$code" = 200 ] && grep -q "$3" "$STATE/body" && return 0
        sleep 0.1
    done
    tail -n 5 "$NGINX_DIR/error.log" "$STATE/$1.log" >&2
    die "$1: $2 answers $code"
}
# wrk_run NAME PAGE SECONDS: wrk -t1 -c$CONNS (BENCH_CONNS, 8) on PAGE.php of
# PORT[NAME] for SECONDS; prints "REQUESTS/S REQUESTS"; dies on errors under
# load (non-2xx answers, socket errors)
wrk_run() {
    local out
    out=$(wrk -t1 -c"${CONNS:-8}" -d"$3"s --timeout 5s "http://127.0.0.1:${PORT[$1]}/$2.php" 2>&1) \
        || { echo "$out" >&2; die "wrk failed"; }
    if grep -Eq 'Non-2xx|Socket errors' <<<"$out"; then
        echo "$out" >&2
        die "$1 $2.php: errors under load"
    fi
    awk '/^Requests\/sec:/ { r = $2 } / requests in / { n = $1 } END { print r, n }' <<<"$out"
}

die() {
    echo "bench: $*" >&2
    exit 1
}

# median of the numbers on stdin (one a line); empty input prints nothing
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit;
        if (NR % 2) printf "%.10g\n", v[(NR + 1) / 2];
        else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B with 3 decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "nan"; else printf "%.3f\n", a / b }'; }

as_www() { setpriv --reuid "$HTTPD" --regid "$(id -g "$HTTPD")" --init-groups -- "$@"; }

machine() {
    echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
        "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
        "kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# --- processes ------------------------------------------------------------------

start_bg() { # NAME CMD...: CMD's output in $STATE/NAME.log
    local name=$1; shift
    setsid "$@" </dev/null >"$STATE/$name.log" 2>&1 &
    BG_PID[$name]=$!
    BG_NAMES+=("$name")
}

# stop_bg NAME: SIGTERM to its process group, up to ~5 s for every process
# of the group to end, then SIGKILL
stop_bg() {
    local pid=${BG_PID[$1]:-} _
    [ -n "$pid" ] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        # shellcheck disable=SC2009 # by process group, zombies (done) left out
        ps -o stat= -g "$pid" 2>/dev/null | grep -qv '^Z' || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "BG_PID[$1]"
    return 0
}

# every process of USER, by pid: TERM, then KILL (bounded)
stop_user_procs() {
    local u=$1 pids i
    getent passwd "$u" >/dev/null || return 0
    for i in $(seq 30); do
        # (zombies are done: orphans wait for init to reap them)
        pids=$(ps -o pid=,stat= -u "$u" 2>/dev/null | awk '$2 !~ /^Z/ { print $1 }' || true)
        [ -n "$pids" ] || return 0
        # shellcheck disable=SC2086 # a list of pids
        [ "$i" -gt 1 ] || echo "bench: stopping what is left of $u's processes:" \
            "$(ps -o pid=,ppid=,pgid=,sid=,stat=,comm= -p "$(echo $pids | tr ' ' ,)" | tr -s ' ' | paste -sd';')" >&2
        # shellcheck disable=SC2086 # a list of pids
        if [ "$i" -lt 20 ]; then kill -TERM $pids 2>/dev/null || true; else kill -KILL $pids 2>/dev/null || true; fi
        sleep 0.1
    done
}

# wait (bounded, ~10 s) until the unix socket PATH is listening
wait_listen() {
    local _
    for _ in $(seq 100); do
        awk -v p="$1" '$8 == p && $4 == "00010000" { f = 1 } END { exit !f }' /proc/net/unix && return 0
        sleep 0.1
    done
    return 1
}

# --- the launcher's worlds ---------------------------------------------------------

WORLD_PINS=/run/fcgi-suexec

# drop_worlds USER...: the pins of these users' worlds, in every caller
# namespace's directory, unmounted and removed (the pinned namespaces go
# with the last unmount). USER may be a glob of the bench's own names
# (fsxb[0-9][0-9][0-9]: left by a run whose users are gone); the pins of
# other users (the test suite's fsx* users among them) are never touched.
drop_worlds() {
    local u f
    [ -d "$WORLD_PINS" ] || return 0
    for u in "$@"; do
        # shellcheck disable=SC2231 # $u: a name or a glob of the bench's own
        for f in "$WORLD_PINS"/*/[0-9]*.$u.mnt "$WORLD_PINS"/*/[0-9]*.$u.ipc; do
            [ -e "$f" ] || continue
            umount "$f" 2>/dev/null || true
            rm -f "$f"
        done
    done
}

# --- fixture --------------------------------------------------------------------

add_user() { # NAME HOME
    getent passwd "$1" >/dev/null && return 0
    if getent group "$1" >/dev/null; then
        useradd -g "$1" -M -d "$2" -s /usr/sbin/nologin "$1"
    else
        useradd -U -M -d "$2" -s /usr/sbin/nologin "$1"
    fi
}

del_user() {
    stop_user_procs "$1"
    if getent passwd "$1" >/dev/null; then userdel "$1" 2>/dev/null || userdel -f "$1" || true; fi
    if getent group "$1" >/dev/null; then groupdel "$1" 2>/dev/null || true; fi
}

# install SRC DEST OWNER MODE: chown before chmod (chown clears setuid)
put() {
    cp "$1" "$2.new"
    chown "$3" "$2.new"
    chmod "$4" "$2.new"
    mv -f "$2.new" "$2"
}

# the site's pages: hello.php, info.php and work.php (includes three files,
# reads 16 KiB, writes and reads back a file of its own in data/)
site_pages() { # DIR OWNER
    local d=$1 o=$2
    install -d -o "$o" -g "$o" -m 0755 "$d" "$d/lib" "$d/data"
    cat >"$d/hello.php" <<'EOF'
<?php echo "hello\n";
EOF
    cat >"$d/info.php" <<'EOF'
<?php
$s = function_exists('opcache_get_status') ? @opcache_get_status(false) : false;
echo "hello opcache=", ($s && $s['opcache_enabled']) ? 1 : 0,
     " open_basedir=", ini_get('open_basedir') ?: '-', " sapi=", PHP_SAPI, "\n";
EOF
    cat >"$d/lib/config.php" <<'EOF'
<?php
return ['title' => 'Bench', 'items' => 20, 'data' => __DIR__ . '/../data'];
EOF
    cat >"$d/lib/functions.php" <<'EOF'
<?php
function bench_items(string $text, int $n): array {
    $out = [];
    foreach (array_slice(explode("\n", $text), 0, $n) as $i => $line) {
        $out[] = ['n' => $i, 'line' => trim($line), 'sum' => crc32($line)];
    }
    return $out;
}
function bench_escape(string $s): string {
    return htmlspecialchars($s, ENT_QUOTES, 'UTF-8');
}
EOF
    cat >"$d/lib/template.php" <<'EOF'
<?php
function bench_render(array $cfg, array $items, string $back): string {
    $h = '<html><head><title>' . bench_escape($cfg['title']) . "</title></head><body><ul>\n";
    foreach ($items as $it) {
        $h .= '<li>' . $it['n'] . ' ' . bench_escape($it['line']) . ' ' . $it['sum'] . "</li>\n";
    }
    return $h . '</ul><p>' . strlen($back) . " bytes back; hello</p></body></html>\n";
}
EOF
    cat >"$d/work.php" <<'EOF'
<?php
$cfg = require __DIR__ . '/lib/config.php';
require_once __DIR__ . '/lib/functions.php';
require_once __DIR__ . '/lib/template.php';
$text = file_get_contents($cfg['data'] . '/input.txt');
$mine = $cfg['data'] . '/out-' . getmypid() . '.txt';
file_put_contents($mine, substr($text, 0, 1024) . microtime(true), LOCK_EX);
$back = file_get_contents($mine);
echo bench_render($cfg, bench_items($text, $cfg['items']), $back);
EOF
    awk 'BEGIN { for (i = 0; i < 256; i++) printf "line %03d of the input the page reads on every request ......\n", i }' \
        >"$d/data/input.txt"
    chown -R "$o:$o" "$d"
    chmod 0644 "$d"/*.php "$d"/lib/*.php "$d/data/input.txt"
}

# make_scale_sites N FILE WHO: users fsxb001..fsxbN (each its own group) and their
# docroots /var/www/fsxbNNN with a hello.php; their names in FILE, one a
# line (bench/scale.sh, bench/fpm.sh; bench_cleanup removes them)
make_scale_sites() {
    local i u t0
    if ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt 999 ]; then
        die "the number of sites must be 1..999"
    fi
    t0=$(date +%s.%N)
    : >"$2"
    for i in $(seq -f '%03g' 1 "$1"); do
        u=$SCALE_PREFIX$i
        add_user "$u" /nonexistent
        install -d -o "$u" -g "$u" -m 0755 "$WWW/$u"
        printf '<?php echo "hello from %s\\n";\n' "$u" >"$WWW/$u/hello.php"
        chown "$u:$u" "$WWW/$u/hello.php"
        chmod 0644 "$WWW/$u/hello.php"
        echo "$u" >>"$2"
    done
    echo "$3: $1 sites made in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
}

bench_setup() {
    [ "$(id -u)" = 0 ] || die "benchmarks run as root (they install setuid builds and add users)"
    local t
    for t in true execwrap sockexec peakrss launchloop fcgiget sitestart activator coldstart worldparts; do
        [ -x "$TOOLS/$t" ] || die "$TOOLS/$t missing: run make bench-build"
    done
    if ! [ -x "$BENCH_REPO/build/bench/fcgi-suexec" ] || ! [ -x "$BENCH_REPO/build/bench-php/fcgi-suexec" ]; then
        die "the bench builds are missing: run make bench-build"
    fi
    getent passwd "$HTTPD" >/dev/null || die "no user $HTTPD"
    add_user "$SITE_USER" /nonexistent

    # BENCH_ROOT: root's, every directory on the way root-owned, not writable
    # by others (the launcher walks them)
    install -d -o root -g root -m 0755 "$BENCH_ROOT" "$BENCH_ROOT/bin" "$BENCH_ROOT/etc" "$SBIN" "$STATE"
    install -d -o root -g root -m 0711 "$BENCH_ROOT/tmp"
    put "$TOOLS/true" "$TARGET" root:root 0755
    : >"$BENCH_ROOT/etc/php.ini.new" && chmod 0644 "$BENCH_ROOT/etc/php.ini.new" \
        && mv -f "$BENCH_ROOT/etc/php.ini.new" "$BENCH_ROOT/etc/php.ini"
    put "$TOOLS/execwrap" "$BENCH_ROOT/bin/execwrap" root:root 0755
    put "$BENCH_REPO/build/bench/fcgi-suexec" "$LAUNCHER" "root:$(id -gn "$HTTPD")" 4750
    put "$BENCH_REPO/build/bench-php/fcgi-suexec" "$LAUNCHER_PHP" "root:$(id -gn "$HTTPD")" 4750
    # -w fpm's template (build/bench-php's PHP_FPM_CONF): root's, in root's directories
    put "$BENCH_REPO/etc/php-fpm.conf" "$FPM_CONF" root:root 0644
    if [ -n "${BENCH_BASELINE:-}" ]; then # (f): an earlier revision's launcher, same policy
        [ -x "$BENCH_BASELINE" ] || die "BENCH_BASELINE $BENCH_BASELINE missing: run make bench-build"
        put "$BENCH_BASELINE" "$SBIN/fcgi-suexec-base" "root:$(id -gn "$HTTPD")" 4750
    fi
    # (e): the setuid floor, built for this user's ids
    cc -std=gnu11 -O2 -static -DUID="$(id -u "$SITE_USER")" -DGID="$(id -g "$SITE_USER")" \
        -DTARGET="\"$TARGET\"" -o "$STATE/suidwrap" "$BENCH_REPO/bench/suidwrap.c"
    put "$STATE/suidwrap" "$SBIN/suidwrap" "root:$(id -gn "$HTTPD")" 4750
    rm -f "$STATE/suidwrap"

    # the site: its docroot, pages, and Apache suexec's copy of the target
    site_pages "$SITE" "$SITE_USER"
    put "$TOOLS/true" "$SITE/true" "$SITE_USER:$SITE_USER" 0755
    mkdir -p "$OUT"
}

bench_cleanup() {
    local n u rc=$?
    set +e
    for n in "${BG_NAMES[@]}"; do stop_bg "$n"; done
    # sites of bench/scale.sh, whatever the run got to
    for u in $(getent passwd | cut -d: -f1 | grep -E "^${SCALE_PREFIX}[0-9]{3}\$"); do
        del_user "$u"
    done
    drop_worlds "${SCALE_PREFIX}[0-9][0-9][0-9]"
    rm -rf "$WWW/${SCALE_PREFIX:?}"[0-9][0-9][0-9]
    del_user "$SITE_USER"
    del_user "$ATTACK_USER"
    drop_worlds "$SITE_USER" "$ATTACK_USER"
    rm -rf "${SITE:?}" "${ATTACK_SITE:?}" "${BENCH_ROOT:?}"
    return $rc
}

# bench_init NAME: lock, set the traps, set up; the summary goes to $OUT/NAME.txt
bench_init() {
    exec 9>"$LOCK"
    flock -n 9 || die "another benchmark is running (lock $LOCK)"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    bench_setup
    SUMMARY=$OUT/$1.txt
    : >"$SUMMARY"
}
