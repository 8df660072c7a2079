/* policy_path_canonical and policy_path_plain: the DOCROOT argument.
 *
 * Properties: canonical exactly when the reference model says so; a
 * canonical path is absolute, never holds "//", "/./" or "/../", never ends
 * in "/", "/." or "/.." (but "/" itself), fits ARG_MAX_PATH, and is within
 * itself and within "/" (below "/" unless it is "/"); plain exactly for
 * [A-Za-z0-9/._+@,~-]*, so no INI-special byte (':', '$', '{', quotes, ';',
 * '=', space, controls, non-ASCII) reaches php-cgi's -d values. */
#include "fuzz.h"

static bool ref_plain(const char *p)
{
	for (; *p != '\0'; p++)
		if (!ref_alnum(*p) && strchr("/._+@,~-", *p) == NULL)
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1];

	fuzz_split(data, size, s, 1);
	const char *p = s[0];
	bool canon = policy_path_canonical(p), plain = policy_path_plain(p);

	CHECK(canon == ref_canonical(p), "canonical exactly per the reference", p, NULL);
	if (canon) {
		CHECK(p[0] == '/' && strlen(p) <= ARG_MAX_PATH, "absolute, bounded", p, NULL);
		CHECK(strstr(p, "//") == NULL && strstr(p, "/./") == NULL &&
		      strstr(p, "/../") == NULL, "no //, /./ or /../", p, NULL);
		CHECK(strcmp(p, "/") == 0 ||
		      (!ends_with(p, "/") && !ends_with(p, "/.") && !ends_with(p, "/..")),
		      "no trailing /, /. or /..", p, NULL);
		CHECK(policy_path_within(p, p) && !policy_path_below(p, p),
		      "within itself, not below itself", p, NULL);
		CHECK(policy_path_within(p, "/") && policy_path_below(p, "/") == (strcmp(p, "/") != 0),
		      "within /; below / unless /", p, NULL);
	} else {
		CHECK(!policy_path_within(p, "/") && !policy_path_within(p, p),
		      "a non-canonical path is within nothing", p, NULL);
	}
	CHECK(plain == ref_plain(p), "plain exactly [A-Za-z0-9/._+@,~-]*", p, NULL);
	if (plain)
		CHECK(strpbrk(p, ":${}\"';= \\\n\t") == NULL, "no INI-special byte", p, NULL);
	fuzz_free(s, 1);
	return 0;
}
