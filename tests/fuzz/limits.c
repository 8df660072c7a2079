/* policy_limit_parse: the contents of a root-owned per-site limit file
 * (LIMITS_DIR/<user>/<name>/<limit>, and for -w fpm LIMITS_DIR/<user>/pm.*),
 * read by the launcher as root. Input: TEXT, parsed as every limit in turn.
 *
 * Properties: for each limit, accepted exactly when the reference says so
 * (an optional single trailing "\n"; then for pm exactly one of the words
 * ondemand, dynamic, static and nothing else; otherwise "unlimited" for
 * nproc, data and fsize, or 1 to 19 ASCII digits, for data and fsize
 * optionally followed by one of K, M, G, T; the value, computed without
 * wrapping, at most the limit's maximum, and at least 1 except where zero is
 * allowed: nice, oom_score_adj, pm.max_requests, request_terminate_timeout)
 * and with the same value (pm: the word's index); an accepted value is
 * within range and reparses to the same value when written back (a number
 * as plain decimal, pm as its word), with or without "\n"; the text is never
 * read past its NUL (heap block of exactly its size). */
#include <sys/resource.h>

#include "fuzz.h"

/* The reference's own table of the limits, in the documented order, with the
 * maxima spelled out in decimal (not the code's shifts). */
static const struct {
	const char *name;
	unsigned long long max;
	bool zero;      /* 0 allowed */
	bool unlimited; /* "unlimited" allowed (RLIM_INFINITY) */
	bool units;     /* K, M, G, T allowed */
	bool word;      /* one of ref_pm_words, nothing else */
} ref_lim[] = {
	{ "nproc", 4194304, false, true, false, false },
	{ "data", 1125899906842624, false, true, true, false }, /* 1 PiB */
	{ "nofile", 1048576, false, false, false, false },
	{ "fsize", 1125899906842624, false, true, true, false }, /* 1 PiB */
	{ "nice", 19, true, false, false, false },
	{ "oom_score_adj", 1000, true, false, false, false },
	{ "pm", 2, true, false, false, true },
	{ "pm.max_children", 4096, false, false, false, false },
	{ "pm.start_servers", 4096, false, false, false, false },
	{ "pm.min_spare_servers", 4096, false, false, false, false },
	{ "pm.max_spare_servers", 4096, false, false, false, false },
	{ "pm.process_idle_timeout", 86400, false, false, false, false },
	{ "pm.max_requests", 2147483647, true, false, false, false },
	{ "request_terminate_timeout", 86400, true, false, false, false },
};
_Static_assert(sizeof(ref_lim) / sizeof(*ref_lim) == LIMITS_N, "one reference entry per limit");

/* pm's words, by value (php-fpm's spelling, lower case only). */
static const char *const ref_pm_words[] = { "ondemand", "dynamic", "static" };

static bool ref_limit(int i, const char *s, unsigned long long *v)
{
	size_t n = strlen(s), digits;
	unsigned __int128 value = 0, unit = 1; /* wide: no step can wrap */

	if (n > 0 && s[n - 1] == '\n')
		n--; /* one "\n" allowed: what is left must hold no other */
	if (ref_lim[i].word) {
		for (unsigned k = 0; k < 3; k++)
			if (n == strlen(ref_pm_words[k]) && memcmp(s, ref_pm_words[k], n) == 0) {
				*v = k;
				return true;
			}
		return false; /* no number, not even the word's index */
	}
	if (ref_lim[i].unlimited && n == 9 && memcmp(s, "unlimited", 9) == 0) {
		*v = RLIM_INFINITY;
		return true;
	}
	digits = n;
	if (ref_lim[i].units && n > 0) {
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
	if (value > ref_lim[i].max || (value == 0 && !ref_lim[i].zero))
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

		CHECK(strcmp(policy_limit_names[i], ref_lim[i].name) == 0,
		      "the limits in the reference's order", policy_limit_names[i], ref_lim[i].name);
		CHECK(ok == ref, "accepted exactly the reference values", s[0], policy_limit_names[i]);
		if (!ok)
			continue;
		CHECK(v == want, "the reference's value", s[0], policy_limit_names[i]);
		if (v == RLIM_INFINITY) {
			CHECK(strncmp(s[0], "unlimited", 9) == 0, "infinite only when unlimited", s[0],
			      policy_limit_names[i]);
			continue;
		}
		CHECK(v <= ref_lim[i].max && (v >= 1 || ref_lim[i].zero), "within range", s[0],
		      policy_limit_names[i]);
		if (ref_lim[i].word) /* written back as the word, not the number */
			snprintf(back, sizeof(back), "%s", ref_pm_words[v]);
		else
			snprintf(back, sizeof(back), "%llu", v);
		CHECK(policy_limit_parse(i, back, &again) && again == v,
		      "reparses written back", s[0], back);
		strcat(back, "\n");
		CHECK(policy_limit_parse(i, back, &again) && again == v,
		      "reparses written back with a newline", s[0], back);
	}
	fuzz_free(s, 1);
	return 0;
}
