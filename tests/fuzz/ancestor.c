/* policy_ancestor_owner_ok: may a directory on the way to a docroot be
 * owned by `owner`? Input: OWNER-BYTE TARGET-BYTE DIR [\0 HOME] (no second
 * string: no home, NULL). The two bytes pick uids that matter: 0, 1,
 * UID_MIN - 1, UID_MIN, UID_MIN + 1, 65534, (uid_t)-1, or a uid spelled by
 * the byte.
 *
 * Properties: exactly the reference rule: root always; otherwise only the
 * target itself, and only strictly below DOCROOT or within its home (a home
 * of "/" grants nothing); another user's directory never; a non-root
 * answer implies a canonical directory and never covers DOCROOT itself or
 * an ancestor of DOCROOT outside the home. */
#include "fuzz.h"

static uid_t pick(uint8_t b)
{
	static const uid_t some[] = { 0, 1, UID_MIN - 1, UID_MIN, UID_MIN + 1, 65534, (uid_t)-1 };

	return b < 7 * 16 ? some[b % 7] : (uid_t)b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[2] = { NULL, NULL };

	if (size < 2)
		return 0;
	uid_t owner = pick(data[0]), target = pick(data[1]);
	size_t n = fuzz_split(data + 2, size - 2, s, 2);
	const char *dir = s[0], *home = n > 1 ? s[1] : NULL;
	bool ok = policy_ancestor_owner_ok(dir, owner, target, home);
	bool in_home = home != NULL && strcmp(home, "/") != 0 && ref_within(dir, home);
	bool below_docroot = ref_within(dir, DOCROOT) && strcmp(dir, DOCROOT) != 0;

	CHECK(ok == (owner == 0 || (owner == target && (below_docroot || in_home))),
	      "exactly the reference rule", dir, home);
	if (owner == 0)
		CHECK(ok, "root-owned is always fine", dir, home);
	if (owner != 0 && owner != target)
		CHECK(!ok, "another user's directory never", dir, home);
	if (ok && owner != 0) {
		CHECK(policy_path_canonical(dir), "a user-owned answer implies canonical", dir, home);
		CHECK(strcmp(dir, DOCROOT) != 0 || in_home, "DOCROOT itself is root's", dir, home);
		CHECK(!ref_within(DOCROOT, dir) || in_home,
		      "ancestors of DOCROOT are root's (outside the home)", dir, home);
	}
	if (home != NULL && strcmp(home, "/") == 0 && owner != 0 && !below_docroot)
		CHECK(!ok, "a home of / grants nothing", dir, home);
	fuzz_free(s, n);
	return 0;
}
