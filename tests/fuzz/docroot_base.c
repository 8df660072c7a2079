/* policy_docroot_base: is DOCROOT-argument strictly below DOCROOT or within
 * the user's userdir? Input: DOCROOT-ARG [\0 USERDIR] (no second string:
 * the user has no userdir, NULL).
 *
 * Properties: the answer is NULL, DOCROOT or the very userdir pointer;
 * DOCROOT exactly when below(d, DOCROOT) (so never DOCROOT itself, never
 * /var/www_backup/...); the userdir exactly when not below DOCROOT and
 * within the userdir; any answer implies a canonical d. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[2] = { NULL, NULL };
	size_t n = fuzz_split(data, size, s, 2);
	const char *d = s[0], *ud = n > 1 ? s[1] : NULL;
	const char *base = policy_docroot_base(d, ud);
	bool in_docroot = ref_within(d, DOCROOT) && strcmp(d, DOCROOT) != 0;

	if (in_docroot)
		CHECK(base != NULL && base != ud && strcmp(base, DOCROOT) == 0,
		      "DOCROOT when strictly below DOCROOT", d, ud);
	else if (ud != NULL && ref_within(d, ud))
		CHECK(base == ud, "else the userdir when within it", d, ud);
	else
		CHECK(base == NULL, "else nothing", d, ud);
	if (base != NULL)
		CHECK(policy_path_canonical(d), "an answer implies a canonical path", d, ud);
	if (strcmp(d, DOCROOT) == 0 || strncmp(d, DOCROOT "_", strlen(DOCROOT) + 1) == 0)
		CHECK(base == NULL || base == ud, "neither DOCROOT nor DOCROOT_x is below DOCROOT",
		      d, ud);
	fuzz_free(s, n);
	return 0;
}
