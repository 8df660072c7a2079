/* policy_path_within and policy_path_below: containment by path components,
 * never by string prefix (CVE-2007-1742: /var/www_backup is not within
 * /var/www). Input: PATH \0 BASE \0 THIRD.
 *
 * Properties: within(p, b) implies canonical(p) and canonical(b); within is
 * exactly the component-wise reference; where b is not "/", the byte after
 * b's length in p is '/' or the end; within is reflexive on canonical paths,
 * antisymmetric and transitive (p in b in c implies p in c); below is within
 * and not equal, with strictly more components. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[3] = { NULL, NULL, NULL };
	size_t n = fuzz_split(data, size, s, 3);
	const char *p = s[0], *b = n > 1 ? s[1] : DOCROOT, *c = n > 2 ? s[2] : "/var";
	bool in = policy_path_within(p, b), below = policy_path_below(p, b);

	CHECK(in == ref_within(p, b), "within exactly per the component-wise reference", p, b);
	if (in) {
		size_t bl = strlen(b);

		CHECK(policy_path_canonical(p) && policy_path_canonical(b),
		      "within implies both canonical", p, b);
		CHECK(bl == 1 || p[bl] == '\0' || p[bl] == '/', "never a bare string prefix", p, b);
		CHECK(strncmp(p, b, bl) == 0, "base is a prefix of path", p, b);
		CHECK(!policy_path_within(b, p) || strcmp(p, b) == 0, "antisymmetric", p, b);
		if (policy_path_within(b, c))
			CHECK(policy_path_within(p, c), "transitive (third path in the second line)",
			      p, b);
	}
	CHECK(below == (in && strcmp(p, b) != 0), "below is within and not equal", p, b);
	if (below)
		CHECK(ref_depth(p) > ref_depth(b), "below has more components", p, b);
	if (policy_path_canonical(p))
		CHECK(policy_path_within(p, p), "reflexive", p, NULL);
	/* The launcher's own question, with the compiled-in DOCROOT. */
	CHECK(policy_path_within(p, DOCROOT) == ref_within(p, DOCROOT), "within DOCROOT", p, DOCROOT);
	fuzz_free(s, n);
	return 0;
}
