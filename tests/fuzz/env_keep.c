/* policy_env_keep: which NAME=value of the caller reaches the worker.
 *
 * Properties: only TZ, PHP_FCGI_CHILDREN, PHP_FCGI_MAX_REQUESTS and
 * FCGI_WEB_SERVER_ADDRS (1..255 of hex digits, '.', ':', ',') ever
 * pass (never LD_*, PHPRC, PHP_INI_SCAN_DIR, HTTP_PROXY, BASH_ENV...); the
 * numbers exactly when 1 to 10 digits of value <= 512 / 1000000; TZ
 * exactly per the contract (1..64 bytes of [A-Za-z0-9_+,.:<>/-], no "..",
 * not starting "/" or ":/"), so that glibc, which drops one leading ':' and
 * reads a file below TZDIR, never opens a file outside TZDIR. */
#include "fuzz.h"

static bool ref_number(const char *v, unsigned long max)
{
	size_t n = strlen(v);
	unsigned long long x = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!ref_digit(v[i]))
			return false;
		x = x * 10 + (unsigned long long)(v[i] - '0');
	}
	return x <= max;
}

static bool ref_tz(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > 64 || v[0] == '/' || (v[0] == ':' && v[1] == '/'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!ref_alnum(v[i]) && strchr("_+,.:<>/-", v[i]) == NULL)
			return false;
		if (v[i] == '.' && v[i + 1] == '.')
			return false;
	}
	return true;
}

static bool ref_addrs(const char *v)
{
	size_t n = strlen(v);

	for (size_t i = 0; i < n; i++)
		if (!ref_digit(v[i]) && strchr("abcdefABCDEF.:,", v[i]) == NULL)
			return false;
	return n >= 1 && n <= 255;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1];

	fuzz_split(data, size, s, 1);
	const char *e = s[0];
	bool ok = policy_env_keep(e), ref;

	if (strncmp(e, "PHP_FCGI_CHILDREN=", 18) == 0)
		ref = ref_number(e + 18, 512);
	else if (strncmp(e, "PHP_FCGI_MAX_REQUESTS=", 22) == 0)
		ref = ref_number(e + 22, 1000000);
	else if (strncmp(e, "TZ=", 3) == 0)
		ref = ref_tz(e + 3);
	else if (strncmp(e, "FCGI_WEB_SERVER_ADDRS=", 22) == 0)
		ref = ref_addrs(e + 22);
	else
		ref = false;
	CHECK(ok == ref, "kept exactly per the reference", e, NULL);
	if (ok && strncmp(e, "TZ=", 3) == 0) {
		const char *file = e[3] == ':' ? e + 4 : e + 3; /* what glibc opens */

		CHECK(file[0] != '/' && strstr(file, "..") == NULL,
		      "TZ never names a file outside TZDIR", e, file);
	}
	if (ok)
		CHECK(strchr(e, '\n') == NULL && strlen(e) <= 22 + 255,
		      "short, one line", e, NULL);
	fuzz_free(s, 1);
	return 0;
}
