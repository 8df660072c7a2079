/* policy_limit_parse: the contents of a root-owned per-site limit file
 * (LIMITS_DIR/<user>/<name>/<limit>), read by the launcher as root.
 * Input: TEXT, parsed as every limit in turn.
 *
 * Properties: for each limit, accepted exactly when the reference says so
 * (an optional single trailing "\n"; then "unlimited" for nproc, data and
 * fsize, or 1 to 19 ASCII digits, for data and fsize optionally followed by
 * one of K, M, G, T; the value, computed without wrapping, at most the
 * limit's maximum, and at least 1 except for nice and oom_score_adj) and with
 * the same value; an accepted number is within range and reparses, written
 * back as plain decimal with or without "\n", to the same value; the text is
 * never read past its NUL (heap block of exactly its size). */
#include <sys/resource.h>

#include "fuzz.h"

/* The maxima, spelled out in decimal (not the code's shifts). */
static const unsigned long long ref_max[] = {
	4194304,          /* nproc */
	1125899906842624, /* data: 1 PiB */
	1048576,          /* nofile */
	1125899906842624, /* fsize: 1 PiB */
	19,               /* nice */
	1000,             /* oom_score_adj */
};

static bool ref_limit(int i, const char *s, unsigned long long *v)
{
	size_t n = strlen(s), digits;
	bool bytes = i == 1 || i == 3, unlimited_ok = i == 0 || bytes;
	unsigned __int128 value = 0, unit = 1; /* wide: no step can wrap */

	if (n > 0 && s[n - 1] == '\n')
		n--; /* one "\n" allowed: what is left must hold no other */
	if (unlimited_ok && n == 9 && memcmp(s, "unlimited", 9) == 0) {
		*v = RLIM_INFINITY;
		return true;
	}
	digits = n;
	if (bytes && n > 0) {
		switch (s[n - 1]) {
		case 'K': unit = 1024; digits--; break;
		case 'M': unit = 1024 * 1024; digits--; break;
		case 'G': unit = 1024ULL * 1024 * 1024; digits--; break;
		case 'T': unit = 1024ULL * 1024 * 1024 * 1024; digits--; break;
		}
	}
	if (digits == 0 || digits > 19)
		return false;
	for (size_t k = 0; k < digits; k++) {
		if (!ref_digit(s[k]))
			return false;
		value = value * 10 + (unsigned)(s[k] - '0');
	}
	value *= unit;
	if (value > ref_max[i] || (value == 0 && i != 4 && i != 5))
		return false;
	*v = (unsigned long long)value;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1], back[32];

	fuzz_split(data, size, s, 1);
	for (int i = 0; i < LIMITS_N; i++) {
		unsigned long long v = 0, want = 0, again = 0;
		bool ok = policy_limit_parse(i, s[0], &v);
		bool ref = ref_limit(i, s[0], &want);

		CHECK(ok == ref, "accepted exactly the reference values", s[0], policy_limit_names[i]);
		if (!ok)
			continue;
		CHECK(v == want, "the reference's value", s[0], policy_limit_names[i]);
		if (v == RLIM_INFINITY) {
			CHECK(strncmp(s[0], "unlimited", 9) == 0, "infinite only when unlimited", s[0],
			      policy_limit_names[i]);
			continue;
		}
		CHECK(v <= ref_max[i] && (v >= 1 || i == LIM_NICE || i == LIM_OOM), "within range",
		      s[0], policy_limit_names[i]);
		snprintf(back, sizeof(back), "%llu", v);
		CHECK(policy_limit_parse(i, back, &again) && again == v,
		      "reparses written back in decimal", s[0], back);
		snprintf(back, sizeof(back), "%llu\n", v);
		CHECK(policy_limit_parse(i, back, &again) && again == v,
		      "reparses written back in decimal with a newline", s[0], back);
	}
	fuzz_free(s, 1);
	return 0;
}
