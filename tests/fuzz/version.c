/* policy_valid_version: "-p 8.2" selects PHP_CGI "8.2".
 *
 * Properties: accepted exactly when the reference says so (digits, one
 * dot, digits, at most VERSION_MAX bytes); the interpreter path made from
 * it fits the launcher's buffer, is canonical and plain, and names a file
 * in PHP_CGI's own directory (no '/', no "..": nothing can walk a path). */
#include "fuzz.h"

static bool ref_version(const char *s)
{
	size_t n = strlen(s), dots = 0, dot = 0;

	if (n < 3 || n > VERSION_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			dots++;
			dot = i;
		} else if (!ref_digit(s[i])) {
			return false;
		}
	}
	return dots == 1 && dot > 0 && dot < n - 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1], interp[sizeof(PHP_CGI) + VERSION_MAX];

	fuzz_split(data, size, s, 1);
	bool ok = policy_valid_version(s[0]);

	CHECK(ok == ref_version(s[0]), "accepted exactly the reference versions", s[0], NULL);
	if (ok) {
		int n = snprintf(interp, sizeof(interp), "%s%s", PHP_CGI, s[0]);

		CHECK(n >= 0 && (size_t)n < sizeof(interp), "PHP_CGI<version> fits the buffer",
		      s[0], NULL);
		CHECK(policy_path_canonical(interp) && policy_path_plain(interp),
		      "PHP_CGI<version> is a canonical, plain path", s[0], interp);
		CHECK(strrchr(interp, '/') - interp == strrchr(PHP_CGI, '/') - PHP_CGI,
		      "PHP_CGI<version> is in PHP_CGI's directory", s[0], interp);
	}
	fuzz_free(s, 1);
	return 0;
}
