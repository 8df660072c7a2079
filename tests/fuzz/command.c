/* policy_valid_command: Apache compatible mode's COMMAND, opened relative
 * to the checked working directory.
 *
 * Properties: accepted exactly per the reference (1 to 255 bytes, no '/',
 * no control byte or DEL, not "." or ".."); an accepted command is one
 * component: "/d/" COMMAND is a canonical path exactly one level below
 * "/d", so openat(dir, COMMAND) can never leave the checked directory. */
#include "fuzz.h"

static bool ref_command(const char *c)
{
	size_t n = strlen(c);

	if (n == 0 || n > 255 || strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (c[i] == '/' || (unsigned char)c[i] < 0x20 || (unsigned char)c[i] == 0x7f)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1], path[3 + 256];

	fuzz_split(data, size, s, 1);
	bool ok = policy_valid_command(s[0]);

	CHECK(ok == ref_command(s[0]), "accepted exactly per the reference", s[0], NULL);
	if (ok) {
		snprintf(path, sizeof(path), "/d/%s", s[0]);
		CHECK(policy_path_below(path, "/d") && ref_depth(path) == 2,
		      "one component below the directory", s[0], path);
	}
	fuzz_free(s, 1);
	return 0;
}
