/* policy_parse_id: USER and GROUP given as decimal ids.
 *
 * Properties: accepted exactly when the reference says so (1 to 10 ASCII
 * digits, value below 4294967295); the result round-trips to the same
 * digits (leading zeros aside) and through policy_parse_id again; it is
 * never (uid_t)-1 (sudo CVE-2019-14287); *out is untouched on refusal; a
 * string is never both an id and a name ("1x", "-1": neither). */
#include "fuzz.h"

static bool ref_id(const char *s, unsigned long long *v)
{
	size_t n = strlen(s);

	*v = 0;
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!ref_digit(s[i]))
			return false;
		*v = *v * 10 + (unsigned long long)(s[i] - '0');
	}
	return *v < 4294967295ULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1], back[16];
	unsigned long long want;
	unsigned int v = 0xdeadbeefu, again = 0;

	fuzz_split(data, size, s, 1);
	bool ok = policy_parse_id(s[0], &v);
	bool ref = ref_id(s[0], &want);

	CHECK(ok == ref, "accepted exactly the reference ids", s[0], NULL);
	if (!ok) {
		CHECK(v == 0xdeadbeefu, "*out untouched on refusal", s[0], NULL);
	} else {
		const char *digits = s[0];

		CHECK(v == want, "the value of the digits", s[0], NULL);
		CHECK((uid_t)v != (uid_t)-1 && (gid_t)v != (gid_t)-1, "never (uid_t)-1", s[0], NULL);
		snprintf(back, sizeof(back), "%u", v);
		while (digits[0] == '0' && digits[1] != '\0')
			digits++;
		CHECK(strcmp(back, digits) == 0, "round-trips to the same digits", s[0], back);
		CHECK(policy_parse_id(back, &again) && again == v, "reparses to the same id",
		      s[0], back);
		CHECK(!policy_valid_name(s[0]), "never both an id and a name", s[0], NULL);
	}
	fuzz_free(s, 1);
	return 0;
}
