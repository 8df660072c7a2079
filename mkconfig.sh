#!/bin/sh
# mkconfig.sh OUT: write the policy header from the make variables in the
# environment; OUT is only replaced when it changes, so that a changed
# variable rebuilds and an unchanged one does not.
set -eu
out=$1
for v in HTTPD_USER DOCROOT USERDIR_SUFFIX PHP_CGI PHP_INI_VERSIONED SAFE_PATH VERSION TMP_BASE AUDIT_HELPER STATUS_HELPER LIMITS_DIR PHP_FPM PHP_FPM_INI_VERSIONED PHP_FPM_CONF; do
	eval "val=\${$v}"
	case $val in
	''|*'"'*|*'\'*|*'
'*) echo "mkconfig.sh: $v must be non-empty, without quotes, backslashes or newlines" >&2; exit 1 ;;
	esac
done
for v in EXTRA_RW EXTRA_RO; do # may be empty: colon-separated absolute paths
	eval "val=\${$v}"
	case $val in
	*'"'*|*'\'*|*'
'*) echo "mkconfig.sh: $v must not hold quotes, backslashes or newlines" >&2; exit 1 ;;
	esac
	for p in $(echo "$val" | tr ':' ' '); do
		case $p in /*) ;; *) echo "mkconfig.sh: $v: $p is not absolute" >&2; exit 1 ;; esac
	done
done
# LOG_FILE: empty (syslog only) or a canonical absolute path of a file.
case $LOG_FILE in
'') log_dir=/ log_name= ;;
*'"'*|*'\'*|*'
'*|*//*|*/./*|*/../*|*/.|*/..|*/) echo "mkconfig.sh: LOG_FILE must be empty or a canonical absolute path of a file" >&2; exit 1 ;;
/*) log_dir=${LOG_FILE%/*}/ log_name=${LOG_FILE##*/} ;;
*) echo "mkconfig.sh: LOG_FILE must be empty or an absolute path" >&2; exit 1 ;;
esac
case $LOG_FILE_MAX in
*[!0-9KMG]*|[!0-9]*|*[KMG]?*|'') echo "mkconfig.sh: LOG_FILE_MAX must be a number of bytes (K, M, G allowed)" >&2; exit 1 ;;
*K) log_max=$(( ${LOG_FILE_MAX%K} << 10 )) ;;
*M) log_max=$(( ${LOG_FILE_MAX%M} << 20 )) ;;
*G) log_max=$(( ${LOG_FILE_MAX%G} << 30 )) ;;
*) log_max=$LOG_FILE_MAX ;;
esac
for g in $SITE_GROUPS; do # group names, as the launcher's policy_valid_name
	case $g in
	[!A-Za-z_]*|*[!A-Za-z0-9._-]*) echo "mkconfig.sh: SITE_GROUPS: $g is not a group name" >&2; exit 1 ;;
	esac
done
site_groups=$(echo $SITE_GROUPS) # one space between names
case $LOCKED_ACCOUNTS in
allow) refuse_locked=0 ;;
refuse) refuse_locked=1 ;;
*) echo "mkconfig.sh: LOCKED_ACCOUNTS must be allow or refuse" >&2; exit 1 ;;
esac
# PHP_INI_VERSIONED holds VERSION once: the text before and after it.
case $PHP_INI_VERSIONED in
*VERSION*VERSION*|*VERSION*/..*|*/../*VERSION*) echo "mkconfig.sh: PHP_INI_VERSIONED must hold VERSION once" >&2; exit 1 ;;
*VERSION*) ini_pre=${PHP_INI_VERSIONED%%VERSION*} ini_post=${PHP_INI_VERSIONED#*VERSION} ;;
*) echo "mkconfig.sh: PHP_INI_VERSIONED must hold VERSION (replaced by -p's version)" >&2; exit 1 ;;
esac
case $PHP_FPM_INI_VERSIONED in
*VERSION*VERSION*|*VERSION*/..*|*/../*VERSION*) echo "mkconfig.sh: PHP_FPM_INI_VERSIONED must hold VERSION once" >&2; exit 1 ;;
*VERSION*) fpm_ini_pre=${PHP_FPM_INI_VERSIONED%%VERSION*} fpm_ini_post=${PHP_FPM_INI_VERSIONED#*VERSION} ;;
*) echo "mkconfig.sh: PHP_FPM_INI_VERSIONED must hold VERSION" >&2; exit 1 ;;
esac
case ${PHP_FPM##*/} in
''|.|..) echo "mkconfig.sh: PHP_FPM must name a file" >&2; exit 1 ;;
esac
case $NAMESPACES in
required) namespaces_required=1 ;;
optional) namespaces_required=0 ;;
*) echo "mkconfig.sh: NAMESPACES must be required or optional" >&2; exit 1 ;;
esac
case $OPEN_BASEDIR in
auto|always|never) ;;
*) echo "mkconfig.sh: OPEN_BASEDIR must be auto, always or never" >&2; exit 1 ;;
esac
case $LANDLOCK in
required) landlock_required=1 ;;
optional) landlock_required=0 ;;
*) echo "mkconfig.sh: LANDLOCK must be required or optional" >&2; exit 1 ;;
esac
for v in UID_MIN GID_MIN UID_MAX GID_MAX LANDLOCK_ABI_MIN LANDLOCK_ABI_MAX; do
	eval "val=\${$v}"
	case $val in
	''|*[!0-9]*) echo "mkconfig.sh: $v must be a decimal number" >&2; exit 1 ;;
	esac
done
for v in LIMIT_NPROC LIMIT_DATA LIMIT_NOFILE LIMIT_FSIZE LIMIT_NICE LIMIT_OOM_SCORE_ADJ; do
	eval "val=\${$v}" # the range is the launcher's (policy_limit_parse), checked by -V and --check
	n=${val%[KMGT]}
	case $val:$n in
	unlimited:*) ;;
	*:|*:*[!0-9]*) echo "mkconfig.sh: $v must be a number (K, M, G, T allowed) or unlimited" >&2; exit 1 ;;
	esac
done
case $FPM_PM in # the ranges: policy_limit_parse, as the limits'
ondemand|dynamic|static) ;;
*) echo "mkconfig.sh: FPM_PM must be ondemand, dynamic or static" >&2; exit 1 ;;
esac
for v in FPM_PM_MAX_CHILDREN FPM_PM_START_SERVERS FPM_PM_MIN_SPARE_SERVERS FPM_PM_MAX_SPARE_SERVERS \
         FPM_PM_PROCESS_IDLE_TIMEOUT FPM_PM_MAX_REQUESTS FPM_REQUEST_TERMINATE_TIMEOUT; do
	eval "val=\${$v}"
	case $val in
	''|*[!0-9]*) echo "mkconfig.sh: $v must be a decimal number" >&2; exit 1 ;;
	esac
done
# PHP_INI may be empty: the launcher then takes PHP_INI_VERSIONED with the
# version of the php-cgi it finds (php-cgi8.2 through Debian's alternatives).
case $PHP_INI in
*'"'*|*'\'*|*'
'*) echo "mkconfig.sh: PHP_INI must not hold quotes, backslashes or newlines" >&2; exit 1 ;;
''|/*) ;;
*) echo "mkconfig.sh: PHP_INI must be empty or an absolute path" >&2; exit 1 ;;
esac
case ${PHP_CGI##*/} in
''|.|..) echo "mkconfig.sh: PHP_CGI must name a file" >&2; exit 1 ;;
esac
for v in DOCROOT PHP_CGI PHP_INI_VERSIONED TMP_BASE AUDIT_HELPER STATUS_HELPER LIMITS_DIR PHP_FPM \
         PHP_FPM_INI_VERSIONED PHP_FPM_CONF; do
	eval "val=\${$v}"
	case $val in
	/*) ;;
	*) echo "mkconfig.sh: $v must be an absolute path" >&2; exit 1 ;;
	esac
done
# -V prints the policy as this text (the kernel's Landlock follows it).
text=
for v in VERSION HTTPD_USER UID_MIN GID_MIN UID_MAX GID_MAX SITE_GROUPS LOCKED_ACCOUNTS DOCROOT \
         USERDIR_SUFFIX PHP_CGI PHP_INI PHP_INI_VERSIONED PHP_FPM PHP_FPM_INI_VERSIONED PHP_FPM_CONF \
         SAFE_PATH TMP_BASE EXTRA_RW EXTRA_RO LANDLOCK LANDLOCK_ABI_MIN LANDLOCK_ABI_MAX NAMESPACES \
         OPEN_BASEDIR LIMIT_NPROC LIMIT_DATA LIMIT_NOFILE LIMIT_FSIZE LIMIT_NICE LIMIT_OOM_SCORE_ADJ \
         FPM_PM FPM_PM_MAX_CHILDREN FPM_PM_START_SERVERS FPM_PM_MIN_SPARE_SERVERS \
         FPM_PM_MAX_SPARE_SERVERS FPM_PM_PROCESS_IDLE_TIMEOUT FPM_PM_MAX_REQUESTS \
         FPM_REQUEST_TERMINATE_TIMEOUT LIMITS_DIR LOG_FILE LOG_FILE_MAX; do
	eval "val=\${$v}"
	[ "$v" = SITE_GROUPS ] && val=$site_groups
	[ "$v" = LANDLOCK_ABI_MAX ] && [ "$val" = 0 ] && continue # test builds only
	text="$text$v=$val\\n"
done
mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
cat >"$tmp" <<EOH
/* Generated by mkconfig.sh from the make variables: do not edit.
 * Built with: $BUILD_FLAGS (a change of flags rebuilds too) */
#define FCGI_SUEXEC_VERSION "$VERSION"
#define HTTPD_USER "$HTTPD_USER"
#define UID_MIN ${UID_MIN}u
#define GID_MIN ${GID_MIN}u
#define UID_MAX ${UID_MAX}u
#define GID_MAX ${GID_MAX}u
#define SITE_GROUPS "$site_groups"
#define REFUSE_LOCKED $refuse_locked
#define DOCROOT "$DOCROOT"
#define USERDIR_SUFFIX "$USERDIR_SUFFIX"
#define PHP_CGI "$PHP_CGI"
#define PHP_INI "$PHP_INI"
#define PHP_INI_VERSIONED "$PHP_INI_VERSIONED"
#define PHP_INI_V_PRE "$ini_pre"
#define PHP_INI_V_POST "$ini_post"
#define SAFE_PATH "$SAFE_PATH"
#define TMP_BASE "$TMP_BASE"
#define AUDIT_HELPER "$AUDIT_HELPER"
#define STATUS_HELPER "$STATUS_HELPER"
#define LIMITS_DIR "$LIMITS_DIR"
#define LIMIT_DEFAULTS { "$LIMIT_NPROC", "$LIMIT_DATA", "$LIMIT_NOFILE", "$LIMIT_FSIZE", \
	"$LIMIT_NICE", "$LIMIT_OOM_SCORE_ADJ", "$FPM_PM", "$FPM_PM_MAX_CHILDREN", \
	"$FPM_PM_START_SERVERS", "$FPM_PM_MIN_SPARE_SERVERS", "$FPM_PM_MAX_SPARE_SERVERS", \
	"$FPM_PM_PROCESS_IDLE_TIMEOUT", "$FPM_PM_MAX_REQUESTS", "$FPM_REQUEST_TERMINATE_TIMEOUT" }
#define PHP_FPM "$PHP_FPM"
#define PHP_FPM_CONF "$PHP_FPM_CONF"
#define PHP_FPM_INI_V_PRE "$fpm_ini_pre"
#define PHP_FPM_INI_V_POST "$fpm_ini_post"
#define LOG_FILE "$LOG_FILE"
#define LOG_FILE_DIR "$log_dir"
#define LOG_FILE_NAME "$log_name"
#define LOG_FILE_MAX ${log_max}LL
#define EXTRA_RW "$EXTRA_RW"
#define EXTRA_RO "$EXTRA_RO"
#define LANDLOCK_REQUIRED $landlock_required
#define LANDLOCK_ABI_MIN $LANDLOCK_ABI_MIN
#define LANDLOCK_ABI_MAX $LANDLOCK_ABI_MAX
#define NAMESPACES_REQUIRED $namespaces_required
#define OPEN_BASEDIR_ALWAYS $([ "$OPEN_BASEDIR" = always ] && echo 1 || echo 0)
#define OPEN_BASEDIR_AUTO $([ "$OPEN_BASEDIR" = auto ] && echo 1 || echo 0)
#define POLICY_TEXT "$text"
EOH
if cmp -s "$tmp" "$out"; then rm -f "$tmp"; else mv -f "$tmp" "$out"; fi
