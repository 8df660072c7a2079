#!/bin/bash
# shellcheck source-path=SCRIPTDIR disable=SC2317 # functions called indirectly (trap, ok, start_nginx)
# 47-fpm.t - "-w fpm": the launcher makes every check it makes for php-cgi,
# then execs PHP_FPM (+ -p's version) as the site's user in the site's world:
#
#   php-fpm -F -O -y PHP_FPM_CONF -c PHP_FPM_INI_VERSIONED -d ... (the php-cgi -d's)
#
# on the socket it was given, dup'd to a descriptor N >= 3 that php-fpm takes
# by FPM_SOCKETS=/dev/fd/N=N (its template listens on FCGI_SUEXEC_LISTEN), and
# the process manager's values (pm, pm.max_children, ... request_terminate_timeout)
# in the environment: the build's, or root's per-site LIMITS_DIR/<user>/<name>.
#
#   1. the probe as php-fpm (-p 9.0): argv, environment, descriptors, ids and
#      confinement from inside; the caller's environment never reaches it
#   2. each check of -w fpm refused with nothing run, next to a control
#   3. the real php-fpm 8.2 (no -p: the version of the file PHP_FPM leads to)
#      behind a private nginx (tests/nginx.sh): the pages say from inside who
#      runs them and what they can reach; a per-site request_terminate_timeout
#      and pm.max_children are honoured
#
# Everything started here (nginx, the php-fpm masters and their children) is
# stopped on exit; everything written (pages, limit files, probe files) removed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nginx.sh"

nl=$'\n'
A=fsxalice B=fsxbob C=fsxcarol
AU=$(id -u $A) AG=$(id -g $A)
AHOME=$(getent passwd $A | cut -d: -f6)     # (the fsx* users are shared: another fixture may have set it)
W=$DOCROOT/alice
FPM=$TESTROOT/bin/php-fpm                  # the test build's PHP_FPM: a root link to php-fpm8.2
FPM_REAL=$TESTROOT/bin/php-fpm8.2          # a copy of Debian's php-fpm8.2
FPM90=$TESTROOT/bin/php-fpm9.0             # the probe
CONF=$TESTROOT/etc/php-fpm.conf            # PHP_FPM_CONF, root's template
FINI=$TESTROOT/etc/fpm                     # PHP_FPM_INI_VERSIONED = $FINI/VERSION/php.ini
LD=$TESTROOT/etc/limits
TAG=t47-$$
SECRET=$DOCROOT/bob/.$TAG-secret.php       # bob's file, readable by anyone by its mode
PAGES=()                                   # files this test wrote in the docroots

# the build's process manager values (the Makefile's FPM_*), as the worker's environment has them
PM_DEFAULTS="pm=ondemand
pm.max_children=5
pm.start_servers=1
pm.min_spare_servers=1
pm.max_spare_servers=3
pm.process_idle_timeout=10
pm.max_requests=10000
request_terminate_timeout=300"

# the pids of processes running this fixture's php-fpm8.2 (by their exe: never another suite's)
fpm_pids() {
    local e p real
    real=$(readlink -f "$FPM_REAL")
    for e in /proc/[0-9]*/exe; do
        [ "$(readlink "$e" 2>/dev/null)" = "$real" ] || continue
        p=${e#/proc/}; echo "${p%%/*}"
    done
}

cleanup() {
    local p
    nginx_cleanup
    for p in $(fpm_pids); do kill -KILL "$p" 2>/dev/null; done # children a killed master left
    rm -rf "$LD"
    rm -f "$SECRET" "${PAGES[@]}" "$W/probe-world" "$W/probe-targets"
    [ -e "$CONF.$TAG" ] && rm -f "$CONF" && mv -f "$CONF.$TAG" "$CONF"
    chown root:root "$CONF" "$TESTROOT/etc"
    chmod 0644 "$CONF"
    chmod 0755 "$TESTROOT/etc"
    [ -e "$FINI/8.2/php.ini.$TAG" ] && mv -f "$FINI/8.2/php.ini.$TAG" "$FINI/8.2/php.ini"
    [ -e "$FINI/9.0/php.ini.$TAG" ] && mv -f "$FINI/9.0/php.ini.$TAG" "$FINI/9.0/php.ini"
    ln -sfn php-fpm8.2 "$FPM"
    chown -h root:root "$FPM"
    return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- preconditions: fail, never opt out ----------------------------------------

v_has() { "$BIN" -V | grep -qx "$1"; }
need "the test build's PHP_FPM is $FPM" v_has "PHP_FPM=$FPM"
need "the test build's PHP_FPM_CONF is $CONF" v_has "PHP_FPM_CONF=$CONF"
need "the test build's PHP_FPM_INI_VERSIONED is $FINI/VERSION/php.ini" \
    v_has "PHP_FPM_INI_VERSIONED=$FINI/VERSION/php.ini"
need "$FPM is root's link to php-fpm8.2" test "$(stat -c '%U %N' "$FPM")" = "root '$FPM' -> 'php-fpm8.2'"
need "$FPM_REAL is a php-fpm 8.2" eval "'$FPM_REAL' -v | grep -q '^PHP 8\.2.*(fpm-fcgi)'"
has_posix() { "$FPM_REAL" -m 2>/dev/null | grep -qx posix; }
need "php-fpm8.2 has the posix extension" has_posix
need "$FPM90 is the probe" cmp -s "$FPM90" "$HELPERS/probe"
need "the probe reports its sockets (sockN=)" grep -q 'sock%d=' "$FPM90"
need "the template is root's" test "$(stat -c '%U %a' "$CONF")" = "root 644"
for v in 8.2 9.0 9.1; do need "fpm php.ini for $v" test -f "$FINI/$v/php.ini"; done
need "nginx is installed ($NGINX)" test -x "$NGINX"
need "curl is installed" eval "command -v curl >/dev/null"
need "no php-fpm of this fixture runs yet" test -z "$(fpm_pids)"
needs_met
cleanup

envs() { sed -n 's/^env=//p' <<<"$out" | sort; }
argv_of() {
    local i n
    n=$(field argc)
    echo "argc=$n"
    for ((i = 0; i < ${n:-0}; i++)); do field "argv$i"; done
}
# expected_argv INTERPRETER INI [USER]: -F -O -y TEMPLATE -c INI, then php-cgi's -d's
expected_argv() {
    local tmp=$TESTROOT/tmp/${3:-$A}
    printf '%s\n' argc=17 "$1" -F -O -y "$CONF" -c "$2" \
        -d "session.save_path=$tmp" -d "upload_tmp_dir=$tmp" -d "sys_temp_dir=$tmp" \
        -d "opcache.lockfile_path=$tmp" -d cgi.fix_pathinfo=0
}
ll_fields() { grep -E '^(ll|sys)\.[a-z0-9_]+=' <<<"$out" | sort; }
# site_limit USER NAME VALUE: root's per-site value
site_limit() {
    install -d -o root -g root -m 0755 "$LD" "$LD/$1"
    printf '%s\n' "$3" >"$LD/$1/$2"
    chown root:root "$LD/$1/$2"
    chmod 0644 "$LD/$1/$2"
}
# put_file OWNER MODE PATH: stdin into PATH, removed on exit
put_file() {
    cat >"$3" && chown "$1:$1" "$3" && chmod "$2" "$3"
    PAGES+=("$3")
}

# ================================================================================
# 1. The probe as php-fpm (-p 9.0)
# ================================================================================
printf '<?php // bob'"'"'s secret\n' | put_file $B 0644 "$SECRET"
printf 'secret=%s\n' "$SECRET" | put_file root 0644 "$W/probe-targets"
printf 'read template %s\nread ini82 %s\nread ini90 %s\n' "$CONF" "$FINI/8.2/php.ini" \
    "$FINI/9.0/php.ini" | put_file root 0644 "$W/probe-world"

# the control: alice's php-cgi (the probe, -p 9.0) in the same docroot
launch -p 9.0 $A $A "$W"
is "$rc/$(field ran)" 0/1 "control: php-cgi9.0 (the probe) runs"
cgi_ll=$(ll_fields)
is "$(field w.read.template)" EACCES "control: php-cgi cannot read the fpm template (Landlock: an fpm rule only)"
is "$(field w.read.ini90)" EACCES "control: php-cgi cannot read fpm's php.ini"

HOSTILE=(FPM_SOCKETS=/tmp/evil=0 FCGI_SUEXEC_LISTEN=/tmp/evil PHPRC=/tmp PHP_INI_SCAN_DIR=/tmp
    pm=static request_terminate_timeout=0 USER=root TMPDIR=/var/tmp LD_PRELOAD=/x.so
    PHP_FPM_CONF=/tmp/x.conf)
# (launch takes NAME=VALUE words without a dot: pm.* given to fdsock directly)
HOSTILE_DOTTED="--env pm.max_children=999 --env pm.process_idle_timeout=0"
for mode in unix tcp; do
    SOCK=$mode FDOPTS="--announce --extra 3 $HOSTILE_DOTTED" launch "${HOSTILE[@]}" TZ=UTC0 -p 9.0 -w fpm $A $A "$W"
    m="probe as php-fpm, $mode socket"
    is "$rc/$(field ran)" 0/1 "$m: runs"
    given=${out%%"$nl"*}                      # fdsock's announce: the socket's address
    is "$(argv_of)" "$(expected_argv "$FPM90" "$FINI/9.0/php.ini")" \
        "$m: argv is php-fpm9.0 -F -O -y TEMPLATE -c 9.0's fpm php.ini and the five -d"
    fds=$(field fds)
    n=${fds##*,}
    is "$fds" "0,1,2,$n" "$m: fds 0, 1, 2 and one more ($n)"
    ok "$m: the socket's descriptor $n is >= 3" test "${n:-0}" -ge 3
    is "$(envs)" "$(sort <<<"HOME=$AHOME${nl}LOGNAME=$A${nl}PATH=$SAFE_PATH${nl}TMPDIR=/tmp${nl}USER=$A${nl}TZ=UTC0$nl$PM_DEFAULTS${nl}FPM_SOCKETS=/dev/fd/$n=$n${nl}FCGI_SUEXEC_LISTEN=/dev/fd/$n")" \
        "$m: environment: the base, the build's pm values, FPM_SOCKETS=/dev/fd/$n=$n, FCGI_SUEXEC_LISTEN, TZ; no caller's"
    is "$(sed -n 's/^env=//p' <<<"$out" | head -n 5 | cut -d= -f1 | paste -sd' ' -)" \
        "PATH USER LOGNAME HOME TMPDIR" "$m: PATH, USER, LOGNAME, HOME, TMPDIR come first"
    s0=$(field sock0) sn=$(field "sock$n")
    like "$sn" "^[0-9]+,listening,${given//./\\.}\$" "$m: fd $n is a listening socket bound to $given (the one given)"
    is "${sn%%,*}" "${s0%%,*}" "$m: fd $n is the very socket of fd 0 (inode ${s0%%,*})"
    is "$(field ruid),$(field euid),$(field suid)/$(field rgid),$(field egid),$(field sgid)" \
        "$AU,$AU,$AU/$AG,$AG,$AG" "$m: alice's uids and gids"
    is "$(field groups)" "$(worker_groups $A "$AG")" "$m: supplementary groups"
    is "$(field cwd)" "$W" "$m: cwd is the docroot"
    is "$(field CapInh)$(field CapPrm)$(field CapEff)$(field CapBnd)$(field CapAmb)" \
        "$(printf '0%.0s' $(seq 80))" "$m: no capabilities, empty bounding set"
    is "$(field NoNewPrivs)/$(field Seccomp)" 1/2 "$m: no_new_privs, seccomp filter"
    is "$(ll_fields)" "$cgi_ll" "$m: every Landlock and system call case answers as for php-cgi"
    is "$(field ll.read_other_site)" EACCES "$m: bob's file (mode 0644) is out of reach"
    is "$(field w.read.template)" "; php-fpm's configuration for \"fcgi-suexec -w fpm USER GROUP DOCROOT\": one" \
        "$m: the template is readable (its Landlock rule)"
    like "$(field w.read.ini90)" '^[;[]' "$m: its own php.ini is readable"
    is "$(field w.read.ini82)" EACCES "$m: another version's fpm php.ini is not"
    [ $mode = unix ] && limits_are_defaults "$m" "$out"
done

# -w php-cgi is the default made explicit; the last -w counts
launch -w php-cgi -p 9.0 $A $A "$W"
is "$rc/$(field argv0)/$(field argv1)" "0/$TESTROOT/bin/php-cgi9.0/-c" "-w php-cgi: php-cgi9.0 as without -w"
launch -w fpm -p 9.0 $A $A "$W"
is "$rc/$(field argv0)/$(field argv1)" "0/$FPM90/-F" "-w fpm before -p: the same as after it"
rm -f "$W/probe-world" "$W/probe-targets"

# ================================================================================
# 2. Refusals: nothing runs
# ================================================================================
# said CODE CHECK REASON NAME ARGS...: refused with exactly that line, nothing ran
said() {
    local code=$1 check=$2 reason=$3 name=$4; shift 4
    launch "$@"
    is "$rc|$err" "$code|fcgi-suexec: $check: $reason" "$name: exit $code, exact reason"
    unlike "$out" "ran=1" "$name: nothing ran"
}
USAGE="usage: fcgi-suexec [--check] [-p VERSION] [-w php-cgi|fpm] USER GROUP DOCROOT | fcgi-suexec [--check] UID|~UID GID COMMAND [ARGS...] | fcgi-suexec --audit|--status [--json] | fcgi-suexec -V | --help"

for bad in bogus FPM php-fpm "" "fpm "; do
    said 100 usage "-w takes php-cgi or fpm; $USAGE" "-w '$bad'" -p 9.0 -w "$bad" $A $A "$W"
done
said 100 usage "-w takes php-cgi or fpm; $USAGE" "-w without a value before USER" -w $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-fpm9.1: not owned by root" "-p 9.1: php-fpm9.1 is alice's" \
    -p 9.1 -w fpm $A $A "$W"
said 106 interpreter "$TESTROOT/bin/php-fpm9.9: No such file or directory" "-p 9.9: no php-fpm9.9" \
    -p 9.9 -w fpm $A $A "$W"
launch -p 9.1 $A $A "$W"
is "$rc" 106 "control: -p 9.1 without -w fpm is php-cgi9.1, itself alice's: refused too"

# the template: root's, not writable by group or others, no link of a user's
fpm_said() { # REASON NAME: refused as the probe and as the real php-fpm, nothing run
    said 106 interpreter "$1" "$2 (probe)" -p 9.0 -w fpm $A $A "$W"
    said 106 interpreter "$1" "$2 (real php-fpm)" -w fpm $A $A "$W"
    is "$(fpm_pids)" "" "$2 (real php-fpm): no php-fpm process"
}
chown $A "$CONF"
fpm_said "$CONF: not owned by root" "template owned by alice"
launch -p 9.0 $A $A "$W"
is "$rc/$(field ran)" 0/1 "control: php-cgi needs no template: alice's template does not stop it"
chown root "$CONF"
chmod 0664 "$CONF"
fpm_said "$CONF: writable by group or others" "group-writable template"
chmod 0646 "$CONF"
fpm_said "$CONF: writable by group or others" "world-writable template"
chmod 0644 "$CONF"
chmod 0775 "$TESTROOT/etc"
fpm_said "$TESTROOT/etc: directory owned by uid 0, mode 0775: must be owned by root and not writable by group or others" \
    "the template's directory group-writable"
chmod 0755 "$TESTROOT/etc"
mv "$CONF" "$CONF.$TAG"
fpm_said "$CONF: No such file or directory" "no template"
ln -s "$CONF.$TAG" "$CONF"
chown -h $A:$A "$CONF"
fpm_said "$CONF is a symlink" "the template a symlink made by alice"
chown -h root:root "$CONF"
launch -p 9.0 -w fpm $A $A "$W"
is "$rc/$(field ran)/$(field argv4)" "0/1/$CONF" "control: the same link made by root is followed"
rm "$CONF"
mv "$CONF.$TAG" "$CONF"

# fpm's php.ini: the version's, from -p or from the name PHP_FPM leads to
mv "$FINI/9.0/php.ini" "$FINI/9.0/php.ini.$TAG"
said 106 interpreter "$FINI/9.0/php.ini: No such file or directory" "-p 9.0: no fpm php.ini for 9.0" \
    -p 9.0 -w fpm $A $A "$W"
launch -p 9.0 $A $A "$W"
is "$rc/$(field ran)" 0/1 "control: php-cgi9.0 takes php-cgi's php.ini, not fpm's: it runs"
mv "$FINI/9.0/php.ini.$TAG" "$FINI/9.0/php.ini"
mv "$FINI/8.2/php.ini" "$FINI/8.2/php.ini.$TAG"
said 106 interpreter "$FINI/8.2/php.ini: No such file or directory" \
    "PHP_FPM -> php-fpm8.2, no fpm php.ini for 8.2" -w fpm $A $A "$W"
mv "$FINI/8.2/php.ini.$TAG" "$FINI/8.2/php.ini"
chmod 0666 "$FINI/9.0/php.ini"
said 106 interpreter "$FINI/9.0/php.ini: writable by group or others" "-p 9.0: fpm php.ini world-writable" \
    -p 9.0 -w fpm $A $A "$W"
chmod 0644 "$FINI/9.0/php.ini"
chown -h $A:$A "$FPM"
said 106 interpreter "$FPM is a symlink" "PHP_FPM a link alice owns (she would choose the version)" \
    -w fpm $A $A "$W"
chown -h root:root "$FPM"
ln -sfn php-fpm9.0 "$FPM"
launch -w fpm $A $A "$W"
is "$rc/$(field ran)/$(field argv0)/$(field argv6)" "0/1/$FPM/$FINI/9.0/php.ini" \
    "PHP_FPM -> php-fpm9.0 (root's link): 9.0's fpm php.ini, by the name the link leads to"
ln -sfn php-cgi "$FPM" # the probe, root's, on root's path wherever the checkout is
launch -w fpm $A $A "$W"
is "$rc|$err" "106|fcgi-suexec: interpreter: $FPM is php-cgi: no PHP version in its name (give -p)" \
    "PHP_FPM leading to a name without a version: refused (106)"
unlike "$out" "ran=1" "no version: nothing ran"
ln -sfn php-fpm8.2 "$FPM"

# the process manager's values: root's per-site files, checked as the limits
refused() { # NAME ARGS...: a limits refusal (113), nothing ran
    local name=$1; shift
    launch "$@"
    is "$rc" 113 "$name: refused (113)"
    like "$err" "^fcgi-suexec: limits: [^$nl]*\$" "$name: one line, the reason names the limits"
    unlike "$out" "ran=1" "$name: nothing ran"
}
for bad in "pm turbo" "pm Static" "pm static " "pm 1" "pm.max_children 0" "pm.max_children 99999" \
    "pm.max_children -1" "pm.max_children 5x" "pm.start_servers 0" "pm.process_idle_timeout 10s" \
    "pm.process_idle_timeout 86401" "pm.max_requests 2147483649" "request_terminate_timeout 1m" \
    "request_terminate_timeout 86401" "pm.max_spare_servers 4097" "pm.max_children 2${nl}3"; do
    rm -rf "$LD"
    site_limit $A "${bad%% *}" "${bad#* }"
    refused "per-site ${bad%% *} \"${bad#* }\"" -p 9.0 -w fpm $A $A "$W"
done
rm -rf "$LD"
site_limit $A pm turbo
launch -p 9.0 -w fpm $A $A "$W"
like "$err" "$LD/$A/pm: [\\\\]?\"turbo[\\\\]?\" is not a valid pm" "the refusal names the file and the value"
launch -p 9.0 $A $A "$W"
is "$rc/$(field ran)" 0/1 "control: php-cgi reads no pm file: the same bad pm does not stop it"
rm -rf "$LD"
site_limit $A pm.max_children 2
chown $A "$LD/$A/pm.max_children"
refused "a pm.max_children file owned by alice" -p 9.0 -w fpm $A $A "$W"
refused "... the real php-fpm" -w fpm $A $A "$W"
is "$(fpm_pids)" "" "... no php-fpm process"
chown root "$LD/$A/pm.max_children"
chmod 0664 "$LD/$A/pm.max_children"
refused "a group-writable pm.max_children file" -p 9.0 -w fpm $A $A "$W"
rm -f "$LD/$A/pm.max_children"
ln -s /etc/hostname "$LD/$A/pm.max_children"
refused "a symlink for pm.max_children" -p 9.0 -w fpm $A $A "$W"
rm -rf "$LD"

# valid per-site values reach the environment, the others stay the build's
site_limit $A pm static
site_limit $A pm.max_children 2
site_limit $A request_terminate_timeout 0
site_limit $A pm.max_requests 0
launch -p 9.0 -w fpm $A $A "$W"
is "$rc/$(field ran)" 0/1 "per-site pm static, pm.max_children 2, request_terminate_timeout 0, pm.max_requests 0: runs"
is "$(sed -n 's/^env=\(pm[.=]\|request_terminate_timeout=\)/\1/p' <<<"$out" | sort)" \
    "$(sed -e 's/^pm=.*/pm=static/' -e 's/^pm.max_children=.*/pm.max_children=2/' \
        -e 's/^request_terminate_timeout=.*/request_terminate_timeout=0/' \
        -e 's/^pm.max_requests=.*/pm.max_requests=0/' <<<"$PM_DEFAULTS" | sort)" \
    "root's per-site values reach php-fpm's environment, the build's for the rest"

# --check -w fpm: the interpreter and every value, nothing run
launch --check -p 9.0 -w fpm $A $A "$W"
is "$rc" 0 "--check -p 9.0 -w fpm: exit 0"
like "$out" "(^|$nl)interpreter: pass: $FPM90$nl" "--check -w fpm names php-fpm9.0"
like "$out" "${nl}limits: pass: nproc=64 data=256M nofile=1024 fsize=1G nice=5 oom_score_adj=1000 pm=static\(site\) pm.max_children=2\(site\) pm.start_servers=1 pm.min_spare_servers=1 pm.max_spare_servers=3 pm.process_idle_timeout=10 pm.max_requests=0\(site\) request_terminate_timeout=0\(site\)$nl" \
    "--check -w fpm shows the pm values, root's marked (site)"
unlike "$out" "ran=1" "--check -w fpm: nothing ran"
rm -rf "$LD"
before=$(fpm_pids)
launch --check -w fpm $A $A "$W"
is "$rc|$err" "0|" "--check -w fpm (the real php-fpm): exit 0, nothing on stderr (php-fpm would log there)"
like "$out" "(^|$nl)interpreter: pass: $FPM$nl" "--check -w fpm names PHP_FPM"
like "$out" "${nl}limits: pass: nproc=64 data=256M nofile=1024 fsize=1G nice=5 oom_score_adj=1000 pm=ondemand pm.max_children=5 pm.start_servers=1 pm.min_spare_servers=1 pm.max_spare_servers=3 pm.process_idle_timeout=10 pm.max_requests=10000 request_terminate_timeout=300$nl" \
    "--check -w fpm: the build's pm values"
is "$(fpm_pids)" "$before" "--check -w fpm: no php-fpm process"
launch --check -p 9.0 $A $A "$W"
like "$out" "${nl}limits: pass: nproc=64 data=256M nofile=1024 fsize=1G nice=5 oom_score_adj=1000$nl" \
    "control: --check without -w fpm shows no pm values"

# ================================================================================
# 3. The real php-fpm 8.2 behind nginx
# ================================================================================
nginx_setup

# the page: who runs it and what it reaches, from inside, one key=value a line
# shellcheck disable=SC2016 # PHP's $
page='<?php
function uids(int $pid): string {
    $s = @file_get_contents("/proc/$pid/status");
    return $s !== false && preg_match("/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m", $s, $m) ?
        "$m[1],$m[2],$m[3],$m[4]" : "unreadable";
}
echo "uid=", posix_getuid(), ",", posix_geteuid(), "\n";
echo "pid=", getmypid(), "\n";
echo "master=", posix_getppid(), "\n";
echo "master_uids=", uids(posix_getppid()), "\n";
$all = [];
foreach (glob("/proc/[0-9]*") as $p)
    $all[] = basename($p) . ":" . uids((int)basename($p));
echo "procs=", implode(" ", $all), "\n";
echo "sapi=", php_sapi_name(), "\n";
echo "pool=", fpm_get_status()["pool"] ?? "none", "\n";
echo "pm=", fpm_get_status()["process-manager"] ?? "none", "\n";
echo "tmp=", sys_get_temp_dir(), "\n";
echo "session=", ini_get("session.save_path"), "\n";
echo "ini=", php_ini_loaded_file(), "\n";
$t = @tempnam(sys_get_temp_dir(), "t47-");
echo "tempnam=", $t !== false && dirname($t) === sys_get_temp_dir() && unlink($t) ? "ok" : "failed", "\n";
$r = @file_get_contents($_GET["secret"] ?? "/nonexistent");
echo "secret=", $r === false ? "denied: " . (error_get_last()["message"] ?? "") : "read", "\n";
echo "getenv_FPM_SOCKETS=", getenv("FPM_SOCKETS") === false ? "unset" : getenv("FPM_SOCKETS"), "\n";
'
# shellcheck disable=SC2016 # PHP's $
sleeper='<?php usleep((int)($_GET["ms"] ?? 0) * 1000); echo "slept ", $_GET["ms"] ?? 0, "\n";'
for s in alice bob carol; do
    printf '%s' "$page" | put_file "fsx$s" 0644 "$DOCROOT/$s/$TAG.php"
    printf '%s' "$sleeper" | put_file "fsx$s" 0644 "$DOCROOT/$s/$TAG-sleep.php"
done
ok "control: alice, outside the launcher, may read bob's file by its mode" \
    eval "as_user $A cat '$SECRET' >/dev/null"

# carol's own process manager values: a request is killed after 1 s, 2 children at most
site_limit $C request_terminate_timeout 1
site_limit $C pm.max_children 2

# start_fpm SITE MODE: fsxweb runs fdsock MODE -- $BIN -w fpm fsxSITE fsxSITE DOCROOT/SITE
# (MODE unix: a socket in $RUNDIR/sock; tcp: 127.0.0.1, a free port, announced)
declare -A ADDR=()
start_fpm() {
    local s=$1 sockarg
    local path=
    if [ "$2" = unix ]; then sockarg=$RUNDIR/sock/$TAG-$s.sock path=$sockarg; else sockarg=127.0.0.1:0; fi
    start_worker "$s" "$path" as_user fsxweb "$FDSOCK" --env-clear --env FPM_SOCKETS=/tmp/x=0 \
        --env pm.max_children=100 --announce "$2" "$sockarg" -- "$BIN" -w fpm "fsx$s" "fsx$s" "$DOCROOT/$s"
}

# wait_fpm SITE: (bounded: 100 x 0.1 s) the socket held by a php-fpm8.2 master
# (a php-fpm process whose parent is not one); sets PHP_PID[SITE] and ADDR[SITE]
wait_fpm() {
    local s=$1 _ inode p pid="" real
    real=$(readlink -f "$FPM_REAL")
    for _ in $(seq 100); do
        ADDR[$s]=$(head -n 1 "$WORK/$s.out" 2>/dev/null)
        inode=
        if [[ ${ADDR[$s]} == /* ]]; then
            inode=$(listen_inode "${ADDR[$s]}")
        elif [[ ${ADDR[$s]} =~ ^127\.0\.0\.1:([0-9]+)$ ]]; then
            inode=$(awk -v p="0100007F:$(printf '%04X' "${BASH_REMATCH[1]}")" \
                '$2 == p && $4 == "0A" { print $10; exit }' /proc/net/tcp)
        fi
        if [ -n "$inode" ] && grep -q 'ready to handle connections' "$WORK/$s.err" 2>/dev/null; then
            for p in $(fpm_pids); do
                [ "$(readlink "/proc/$(ppid_of "$p")/exe" 2>/dev/null)" = "$real" ] && continue
                if find "/proc/$p/fd" -lname "socket:\[$inode\]" 2>/dev/null | grep -q .; then
                    pid=$p; break
                fi
            done
        fi
        [ -n "$pid" ] && break
        kill -0 "${WORKER_PID[$s]}" 2>/dev/null || break
        sleep 0.1
    done
    PHP_PID[$s]=$pid
    ok "$s: php-fpm8.2 became the worker, holding the socket ${ADDR[$s]:-?}" test -n "$pid"
    [ -n "$pid" ] && return 0
    diag "worker stdout: $(cat "$WORK/$s.out")"
    diag "worker stderr: $(cat "$WORK/$s.err")"
    return 1
}

start_fpm alice unix
start_fpm bob tcp
start_fpm carol unix
for s in alice bob carol; do wait_fpm "$s"; done

fpm_server() { # PORT HOST ROOT ADDRESS: php_server (a unix path or 127.0.0.1:PORT), and /fpm-status
    local pass=$4
    [[ $pass == /* ]] && pass=unix:$pass
    php_server "$1" "$2" "$3" "$4" | sed -e "s|fastcgi_pass unix:$4;|fastcgi_pass $pass;|" -e '$d'
    cat <<EOF
        location = /fpm-status {
            fastcgi_pass $pass;
            fastcgi_param SCRIPT_FILENAME \$document_root/fpm-status;
            fastcgi_param SCRIPT_NAME /fpm-status;
            fastcgi_param REQUEST_URI \$request_uri;
            fastcgi_param QUERY_STRING \$query_string;
            fastcgi_param REQUEST_METHOD \$request_method;
        }
    }
EOF
}
nginx_servers() { # PORT
    default_server "$1"
    for s in alice bob carol; do fpm_server "$1" "$s.test" "$DOCROOT/$s" "${ADDR[$s]}"; done
}
start_nginx 18180 18199 || done_testing

# --- the pages: who runs them, from inside ------------------------------------------
for s in alice bob carol; do
    u=fsx$s uid=$(id -u "fsx$s") m="$s (${ADDR[$s]})"
    fetch "$s.test" "/$TAG.php" -G --data-urlencode "secret=$SECRET"
    is "$code" 200 "$m: GET /$TAG.php through nginx: HTTP 200"
    [ "$code" = 200 ] || diag "$(fetch_diag)"
    out=$body
    is "$(field uid)" "$uid,$uid" "$m: posix_getuid/geteuid: $u"
    is "$(field master)" "${PHP_PID[$s]}" "$m: the page's parent is the php-fpm master the launcher became"
    is "$(field master_uids)" "$uid,$uid,$uid,$uid" "$m: the master runs as $u (from inside: /proc/PPID/status)"
    procs=$(field procs)
    like "$procs" "(^| )${PHP_PID[$s]}:" "$m: the page sees its master in /proc"
    unlike "$procs" "(^| )[0-9]+:([^ ]*,)?0(,| |\$)" "$m: no process it sees runs as root"
    diag "$m: the processes the page sees (pid:uids): $procs"
    is "$(field sapi)" fpm-fcgi "$m: php_sapi_name() is fpm-fcgi"
    is "$(field pool)" "$u" "$m: the pool is named after the user"
    is "$(field pm)" ondemand "$m: pm ondemand (the build's)"
    is "$(field tmp)|$(field session)" "$TESTROOT/tmp/$u|$TESTROOT/tmp/$u" \
        "$m: sys_get_temp_dir and session.save_path are the private temp"
    is "$(field tempnam)" ok "$m: it can make a file in its private temp"
    is "$(field ini)" "$FINI/8.2/php.ini" "$m: php.ini is 8.2's fpm one (PHP_FPM -> php-fpm8.2)"
    if [ "$s" = bob ]; then
        is "$(field secret)" read "$m: his own file is readable (the control of the refusal)"
    else
        like "$(field secret)" "^denied: .*Permission denied" "$m: reading bob's file (mode 0644) fails (Landlock)"
    fi
    is "$(field getenv_FPM_SOCKETS)" unset "$m: the pool's environment is cleared (clear_env)"

    # from outside: every process of the tree is the site's user
    master=${PHP_PID[$s]}
    tree=$(ps -eo pid=,ppid=,ruid=,euid=,suid=,comm= | awk -v m="$master" '
        { pp[$1] = $2; line[$1] = $0 }
        END { for (p in pp) { q = p; for (i = 0; i < 100 && q != "" && q != 0; i++) {
                if (q == m) { print line[p]; break } q = pp[q] } } }')
    diag "$s's tree: $tree"
    ok "$m: the tree has the master and at least one child" test "$(wc -l <<<"$tree")" -ge 2
    is "$(awk '{ print $3, $4, $5 }' <<<"$tree" | sort -u)" "$uid $uid $uid" \
        "$m: every process of the tree runs as $u (real, effective, saved): none root"
    is "$(tr '\0' ' ' <"/proc/$master/cmdline" | sed 's/ *$//')" "php-fpm: master process ($CONF)" \
        "$m: the master names root's template"
    # the launcher was exec'd by fdsock (itself by setpriv) as the background job, or a child
    # of it: php-fpm must be that very process, no fcgi-suexec left above it
    worker=${WORKER_PID[$s]}
    ok "$m: the master (pid $master) is the process the launcher was exec'd as (job $worker)" \
        test "$master" = "$worker" -o "$(ppid_of "$master")" = "$worker"
    is "$(status_field "$master" NoNewPrivs)/$(status_field "$master" Seccomp)/$(status_field "$master" CapBnd)" \
        "1/2/0000000000000000" "$m: the master: no_new_privs, seccomp, no capabilities"
done

# --- request_terminate_timeout: carol's 1 s, bob's the build's 300 s ----------------------
one_fetch() { # HOST PATH: a single try, at most 15 s: $code, $body
    code=$(curl -sS --max-time 15 -o "$WORK/body" -w '%{http_code}' -H "Host: $1" \
        "http://127.0.0.1:$PORT$2" 2>"$WORK/curl.err")
    body=$(cat "$WORK/body" 2>/dev/null)
}
one_fetch bob.test "/$TAG-sleep.php?ms=3000"
is "$code|$body" "200|slept 3000" "bob (request_terminate_timeout 300): a 3 s request completes"
t0=$SECONDS
one_fetch carol.test "/$TAG-sleep.php?ms=3000"
like "$code" '^50[24]$' "carol (request_terminate_timeout 1): a 3 s request is killed, nginx answers 502/504 ($code)"
unlike "$body" "slept" "carol: the page never finished"
diag "carol: the answer came after $((SECONDS - t0)) s"
like "$(cat "$WORK/carol.err")" "execution timed out \([0-9.]+ sec\), terminating" \
    "carol: php-fpm says it killed the child for request_terminate_timeout"
one_fetch carol.test "/$TAG-sleep.php?ms=200"
is "$code|$body" "200|slept 200" "carol: a short request still completes"

# --- pm.max_children: carol's 2, alice's the build's 5 ---------------------------------
# concurrent HOST N MS: N requests of MS ms each, started 0.1 s apart (php-fpm's ondemand
# spawns on each new connection it sees no idle child for); waits for all (each at most 15 s)
concurrent() {
    local i pids=()
    for i in $(seq "$2"); do
        curl -sS --max-time 15 -o /dev/null -H "Host: $1" "http://127.0.0.1:$PORT/$TAG-sleep.php?ms=$3" &
        pids+=($!)
        sleep 0.1
    done
    wait "${pids[@]}"
}
status_of() { # SITE KEY: a field of the site's /fpm-status
    fetch "$1.test" /fpm-status
    sed -n "s/^$2: *//p" <<<"$body"
}
concurrent carol.test 4 600
fetch carol.test /fpm-status
diag "carol's status: $body"
is "$(status_of carol 'max active processes')" 2 "carol (pm.max_children 2): 4 requests at once, 2 processes at most"
like "$(status_of carol 'max children reached')" '^[1-9]' "carol: php-fpm reached its max children"
like "$(cat "$WORK/carol.err")" "server reached max_children setting \(2\)" "carol: php-fpm logs max_children 2"
concurrent alice.test 4 2000
fetch alice.test /fpm-status
diag "alice's status: $body"
like "$(status_of alice 'max active processes')" '^[345]$' \
    "alice (pm.max_children 5): 4 requests at once, more processes than carol's 2"
is "$(status_of alice 'max children reached')" 0 "alice: max children never reached"
is "$(status_of alice pool)" $A "alice: the status page names her pool"

done_testing
