/* policy_valid_name: USER and GROUP given as names; also the name of the
 * private temp TMP_BASE/<name>.
 *
 * Properties: accepted exactly when the reference says so (a letter or '_',
 * then letters, digits, '.', '_', '-', at most ARG_MAX_NAME bytes, ASCII
 * only whatever <ctype.h> thinks); an accepted name is never an id, fits
 * the launcher's buffers, and is one plain path component (never ".", "..",
 * never a '/'), so TMP_BASE "/" name is a canonical path inside TMP_BASE. */
#include "fuzz.h"

static bool ref_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ARG_MAX_NAME || !(ref_alpha(s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!ref_alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1], tmp[sizeof(TMP_BASE) + ARG_MAX_NAME + 1];
	unsigned int id;

	fuzz_split(data, size, s, 1);
	bool ok = policy_valid_name(s[0]);

	CHECK(ok == ref_name(s[0]), "accepted exactly the reference names", s[0], NULL);
	if (ok) {
		CHECK(strlen(s[0]) <= ARG_MAX_NAME, "fits char[ARG_MAX_NAME + 1]", s[0], NULL);
		CHECK(!policy_parse_id(s[0], &id), "never both a name and an id", s[0], NULL);
		CHECK(policy_valid_command(s[0]), "one path component", s[0], NULL);
		CHECK(snprintf(tmp, sizeof(tmp), "%s/%s", TMP_BASE, s[0]) < (int)sizeof(tmp),
		      "TMP_BASE/<name> fits the launcher's buffer", s[0], NULL);
		CHECK(policy_path_below(tmp, TMP_BASE) && ref_depth(tmp) == ref_depth(TMP_BASE) + 1,
		      "TMP_BASE/<name> is a canonical path one level below TMP_BASE", s[0], tmp);
		CHECK(policy_path_plain(tmp), "TMP_BASE/<name> is plain (it goes into -d values)",
		      s[0], tmp);
	}
	fuzz_free(s, 1);
	return 0;
}
