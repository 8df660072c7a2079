/* policy.c - pure decisions of fcgi-suexec (no system calls, no state). */
#define _GNU_SOURCE /* strchrnul */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "policy.h"

/* Up to 19 digits at s: past them, or NULL when none or too many. */
static const char *decimal(const char *s, unsigned long long *v)
{
	size_t n = 0;

	for (*v = 0; n < 20 && s[n] >= '0' && s[n] <= '9'; n++)
		*v = *v * 10 + (unsigned)(s[n] - '0');
	return n > 0 && n < 20 ? s + n : NULL;
}

/* Strict decimal id: digits only (no sign, no space, no "0x"), and never
 * (uid_t)-1, which setresuid() reads as "unchanged" (sudo CVE-2019-14287). */
bool policy_parse_id(const char *s, unsigned int *out)
{
	unsigned long long v;
	const char *end = decimal(s, &v);

	if (end == NULL || *end != '\0' || end - s > 10 || v >= UINT32_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* Portable user/group names: a letter or '_' first (so "1x" and "-1" are
 * neither names nor ids), then letters, digits, '.', '_', '-'. */
bool policy_valid_name(const char *s)
{
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return false;
	for (size_t n = 0; s[n] != '\0'; n++)
		if (n >= ARG_MAX_NAME || (!isalnum((unsigned char)s[n]) && strchr("._-", s[n]) == NULL))
			return false;
	return true;
}

/* "8.2": digits, one dot, digits. Nothing that could walk a path. */
bool policy_valid_version(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t len = strlen(s);

	if (dot == NULL || len > VERSION_MAX || strchr(dot + 1, '.') != NULL)
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (p != dot && !isdigit((unsigned char)*p))
			return false;
	return dot != s && dot[1] != '\0';
}

/* Absolute, no empty, "." or ".." component, no trailing slash. */
bool policy_path_canonical(const char *p)
{
	size_t len = strlen(p);

	if (p[0] != '/' || len > ARG_MAX_PATH)
		return false;
	if (len == 1)
		return true;
	for (const char *c = p + 1;; c++) {
		const char *end = strchrnul(c, '/');
		size_t n = (size_t)(end - c);

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (*end == '\0')
			return true;
		c = end;
	}
}

bool policy_path_plain(const char *p)
{
	for (; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/._+@,~-", *p) == NULL)
			return false;
	return true;
}

bool policy_path_within(const char *path, const char *base)
{
	size_t n = strlen(base);

	return policy_path_canonical(path) && policy_path_canonical(base) &&
	       (n == 1 || (strncmp(path, base, n) == 0 && (path[n] == '\0' || path[n] == '/')));
}

bool policy_path_below(const char *path, const char *base)
{
	return policy_path_within(path, base) && strcmp(path, base) != 0;
}

bool policy_caller_ok(uid_t ruid, uid_t httpd_uid)
{
	return ruid == 0 || ruid == httpd_uid;
}

#define NOBODY 65534u /* nobody and nogroup: shared by every daemon that drops to them */

/* Never root, never outside UID_MIN..UID_MAX, never nobody, never the web
 * server's own user (its worker could read every site), never (uid_t)-1. */
bool policy_uid_ok(uid_t uid, uid_t httpd_uid)
{
	return uid != 0 && uid >= UID_MIN && uid <= UID_MAX && uid != NOBODY &&
	       uid != httpd_uid && uid != (uid_t)-1;
}

bool policy_gid_ok(gid_t gid)
{
	return gid != 0 && gid >= GID_MIN && gid <= GID_MAX && gid != NOBODY && gid != (gid_t)-1;
}

/* Is `word` one of the space-separated words of `list`? */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	if (n == 0 || strchr(word, ' ') != NULL)
		return false;
	for (const char *w = list; *w != '\0'; w += strcspn(w, " ")) {
		w += strspn(w, " ");
		if (strncmp(w, word, n) == 0 && (w[n] == ' ' || w[n] == '\0'))
			return true;
	}
	return false;
}

bool policy_group_keep(gid_t gid, const char *name, gid_t group, gid_t pw_gid, gid_t httpd_gid)
{
	return gid != 0 && gid != (gid_t)-1 && gid != httpd_gid &&
	       (gid == group || (gid == pw_gid && policy_gid_ok(gid)) || word_in(SITE_GROUPS, name));
}

const char *policy_account_problem(long expire, const char *password, long today)
{
	return expire >= 0 && today >= expire ? "expired" : /* as pam_unix: expired on that day */
	       REFUSE_LOCKED && password[0] == '!' ? "locked" : NULL;
}

bool policy_gid_member(gid_t gid, const gid_t *groups, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

bool policy_extra_owner_ok(uid_t owner)
{
	return owner == 0 || owner < UID_MIN;
}

const char *policy_docroot_base(const char *docroot, const char *userdir)
{
	return policy_path_below(docroot, DOCROOT) ? DOCROOT :
	       userdir != NULL && policy_path_within(docroot, userdir) ? userdir : NULL;
}

bool policy_ancestor_owner_ok(const char *dir, uid_t owner, uid_t target, const char *home)
{
	return owner == 0 || (owner == target && (policy_path_below(dir, DOCROOT) ||
	       (home != NULL && strcmp(home, "/") != 0 && policy_path_within(dir, home))));
}

bool policy_mode_private(mode_t mode)
{
	return (mode & (S_IWGRP | S_IWOTH)) == 0;
}

bool policy_docroot_stat_ok(mode_t mode, uid_t owner, uid_t target)
{
	return S_ISDIR(mode) && owner == target && policy_mode_private(mode);
}

const char *policy_file_problem(mode_t mode, uid_t owner, bool need_exec)
{
	if (!S_ISREG(mode))
		return "not a regular file";
	if (owner != 0)
		return "not owned by root";
	if (!policy_mode_private(mode))
		return "writable by group or others";
	if (mode & (S_ISUID | S_ISGID))
		return "setuid or setgid";
	if (need_exec && (mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
		return "not executable";
	return NULL;
}

/* TZ may name a file; keep zone names only (no "..", no absolute path). */
static bool tz_ok(const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len > 64 || v[0] == '/' || strncmp(v, ":/", 2) == 0 ||
	    strstr(v, "..") != NULL)
		return false;
	for (; *v != '\0'; v++)
		if (!isalnum((unsigned char)*v) && strchr("_+,.:<>/-", *v) == NULL)
			return false;
	return true;
}

bool policy_env_keep(const char *entry)
{
	static const struct { const char *name; unsigned int max; } numbers[] = {
		{ "PHP_FCGI_CHILDREN=", 512 }, { "PHP_FCGI_MAX_REQUESTS=", 1000000 },
	};
	unsigned int v;

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		size_t n = strlen(numbers[i].name);

		if (strncmp(entry, numbers[i].name, n) == 0)
			return policy_parse_id(entry + n, &v) && v <= numbers[i].max;
	}
	if (strncmp(entry, "TZ=", 3) == 0)
		return tz_ok(entry + 3);
	/* php-cgi's own allowlist of web servers that may connect (TCP). */
	if (strncmp(entry, "FCGI_WEB_SERVER_ADDRS=", 22) == 0)
		return entry[22] != '\0' && strlen(entry + 22) <= 255 &&
		       strspn(entry + 22, "0123456789abcdefABCDEF.:,") == strlen(entry + 22);
	return false;
}

bool policy_cgi_env_keep(const char *entry)
{
	static const char *const prefixes[] = { "HTTP_", "SSL_" };
	static const char names[] =
		" AUTH_TYPE CONTENT_LENGTH CONTENT_TYPE CONTEXT_DOCUMENT_ROOT CONTEXT_PREFIX"
		" DATE_GMT DATE_LOCAL DOCUMENT_ARGS DOCUMENT_NAME DOCUMENT_PATH_INFO"
		" DOCUMENT_ROOT DOCUMENT_URI GATEWAY_INTERFACE HTTPS LAST_MODIFIED PATH_INFO"
		" PATH_TRANSLATED QUERY_STRING QUERY_STRING_UNESCAPED REMOTE_ADDR REMOTE_HOST"
		" REMOTE_IDENT REMOTE_PORT REMOTE_USER REDIRECT_ERROR_NOTES REDIRECT_HANDLER"
		" REDIRECT_QUERY_STRING REDIRECT_REMOTE_USER REDIRECT_SCRIPT_FILENAME"
		" REDIRECT_STATUS REDIRECT_URL REQUEST_METHOD REQUEST_URI REQUEST_SCHEME"
		" SCRIPT_FILENAME SCRIPT_NAME SCRIPT_URI SCRIPT_URL SERVER_ADMIN SERVER_NAME"
		" SERVER_ADDR SERVER_PORT SERVER_PROTOCOL SERVER_SIGNATURE SERVER_SOFTWARE"
		" UNIQUE_ID USER_NAME ";
	const char *eq = strchr(entry, '=');
	size_t n;

	if (eq == NULL || eq == entry || strncmp(eq + 1, "() {", 4) == 0)
		return false;
	n = (size_t)(eq - entry);
	if (n == 10 && strncmp(entry, "HTTP_PROXY", 10) == 0)
		return false;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (strncmp(entry, prefixes[i], strlen(prefixes[i])) == 0 &&
		    n > strlen(prefixes[i]))
			return true;
	/* " NAME " in the list: the name, whole, between spaces (a name holding
	 * a space would match across entries: the fuzzer found that one) */
	if (memchr(entry, ' ', n) != NULL)
		return false;
	for (const char *m = strstr(names, " "); m != NULL; m = strstr(m + 1, " "))
		if (strncmp(m + 1, entry, n) == 0 && m[1 + n] == ' ')
			return true;
	return false;
}

const char *policy_cgi_version(const char *name, const char *base)
{
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && policy_valid_version(name + n) ? name + n : NULL;
}

bool policy_valid_command(const char *cmd)
{
	size_t n = strlen(cmd);

	if (n == 0 || n > 255 || strcmp(cmd, ".") == 0 || strcmp(cmd, "..") == 0)
		return false;
	for (; *cmd != '\0'; cmd++)
		if (*cmd == '/' || (unsigned char)*cmd < ' ' || *cmd == 0x7f)
			return false;
	return true;
}

const char *policy_cgi_problem(bool dir, mode_t mode, uid_t owner, gid_t group, uid_t uid, gid_t gid)
{
	if (dir ? !S_ISDIR(mode) : !S_ISREG(mode))
		return dir ? "not a directory" : "not a regular file";
	if (owner != uid || group != gid)
		return "not owned by the target user and group";
	if (!policy_mode_private(mode))
		return "writable by group or others";
	if (!dir && (mode & (S_ISUID | S_ISGID)))
		return "setuid or setgid";
	if (!dir && !(mode & S_IXUSR))
		return "not executable by its owner";
	return NULL;
}

const char *const policy_limit_names[LIMITS_N] = { "nproc", "data", "nofile", "fsize", "nice",
	"oom_score_adj", "pm", "pm.max_children", "pm.start_servers", "pm.min_spare_servers",
	"pm.max_spare_servers", "pm.process_idle_timeout", "pm.max_requests",
	"request_terminate_timeout" }, *const policy_pm_names[3] = { "ondemand", "dynamic", "static" };

static bool word(const char *s, const char *w) /* w, or w and one "\n" */
{
	size_t n = strlen(w);

	return strncmp(s, w, n) == 0 && (s[n] == '\0' || strcmp(s + n, "\n") == 0);
}

bool policy_limit_parse(int i, const char *s, unsigned long long *v)
{
	static const unsigned long long max[LIMITS_N] = { 1 << 22, 1ULL << 50, 1 << 20, 1ULL << 50,
		19, 1000, 2, 4096, 4096, 4096, 4096, 86400, 2147483647, 86400 }; /* php-fpm: int */
	bool bytes = i == LIM_DATA || i == LIM_FSIZE;
	int shift = 0;

	for (*v = 0; i == LIM_PM && *v < 3; (*v)++)
		if (word(s, policy_pm_names[*v]))
			return true;
	if ((i == LIM_NPROC || bytes) && word(s, "unlimited")) {
		*v = RLIM_INFINITY;
		return true;
	}
	const char *end = decimal(s, v), *units = "KMGT", *u;
	if (end != NULL && bytes && *end != '\0' && (u = strchr(units, *end)) != NULL)
		shift = 10 * (int)(u - units + 1), end++;
	if (i == LIM_PM || end == NULL || (*end != '\0' && strcmp(end, "\n") != 0) ||
	    *v > max[i] >> shift)
		return false;
	*v <<= shift;
	return *v > 0 || (1 << i & (1 << LIM_NICE | 1 << LIM_OOM | 1 << (LIM_PM + 6) | 1 << (LIM_PM + 7)));
}
