/* policy_mountinfo_parse and policy_mount_trusted: a line of
 * /proc/self/mountinfo, read by the launcher to learn who mounted the FUSE
 * file system a path lies on. Input: LINE (one line, as getline gives it).
 *
 * Properties: the parse accepts exactly the lines the reference accepts
 * (fields split on spaces: a decimal id, the first "-" field, then TYPE,
 * SOURCE and SUPEROPTS, whose ","-separated user_id= is 0..4294967295 and at
 * most once) and returns the same id, type and user_id; the type never
 * overflows its buffer (heap, exactly typelen bytes) at any typelen; trust
 * is refused exactly to fuse, fuseblk and fuse.* with a user_id other than 0. */
#include "fuzz.h"

static bool ref_fuse(const char *t)
{
	return strncmp(t, "fuse", 4) == 0 &&
	       (t[4] == '\0' || t[4] == '.' || strcmp(t + 4, "blk") == 0);
}

/* The reference: split into fields on every ' ' (empty fields kept). */
static bool ref_parse(const char *line, size_t typelen, unsigned long long *id,
		      char *type, long long *uid)
{
	static const char *f[9002]; /* -max_len=9000: a field per byte at most */
	static size_t len[9002];
	size_t nf = 0, k;
	const char *p = line;

	for (;;) {
		const char *sp = strchr(p, ' ');
		if (nf == 9002)
			return false;
		f[nf] = p;
		len[nf++] = sp != NULL ? (size_t)(sp - p) : strlen(p);
		if (sp == NULL)
			break;
		p = sp + 1;
	}
	if (len[0] == 0 || len[0] > 19)
		return false;
	*id = 0;
	for (size_t i = 0; i < len[0]; i++) {
		if (!ref_digit(f[0][i]))
			return false;
		*id = *id * 10 + (unsigned long long)(f[0][i] - '0');
	}
	for (k = 1; k < nf && !(len[k] == 1 && f[k][0] == '-'); k++)
		;
	if (k + 3 >= nf || len[k + 1] == 0 || len[k + 1] >= typelen)
		return false;
	memcpy(type, f[k + 1], len[k + 1]);
	type[len[k + 1]] = '\0';
	*uid = -1;
	/* SUPEROPTS: the rest of the line, options separated by ',' */
	for (const char *o = f[k + 3]; o != NULL; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL) {
		size_t ol = strcspn(o, ","), d = 0;
		unsigned long long v = 0;

		if (ol < 8 || memcmp(o, "user_id=", 8) != 0)
			continue;
		for (d = 8; d < ol; d++) {
			if (!ref_digit(o[d]) || d - 8 >= 19)
				return false;
			v = v * 10 + (unsigned long long)(o[d] - '0');
		}
		if (d == 8 || v > 4294967295ULL || *uid != -1)
			return false;
		*uid = (long long)v;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[1], rtype[9000];
	unsigned long long id = 0, rid = 0;
	long long uid = 0, ruid = 0;

	fuzz_split(data, size, s, 1);
	size_t n = strlen(s[0]);
	if (n > 0 && s[0][n - 1] == '\n') /* getline keeps the newline */
		s[0][--n] = '\0';
	if (memchr(s[0], '\n', n) == NULL) {
		for (size_t typelen = 1; typelen <= 64; typelen += typelen < 8 ? 1 : 28) {
			char *type = malloc(typelen);
			if (type == NULL)
				abort();
			bool ok = policy_mountinfo_parse(s[0], &id, type, typelen, &uid);
			bool ref = ref_parse(s[0], typelen, &rid, rtype, &ruid);

			CHECK(ok == ref, "accepted exactly the reference lines", s[0], NULL);
			if (ok) {
				CHECK(id == rid && uid == ruid && strcmp(type, rtype) == 0,
				      "the reference's id, type and user_id", s[0], type);
				CHECK(policy_mount_trusted(type, uid) == (!ref_fuse(type) || uid == 0),
				      "untrusted exactly: FUSE types not mounted by root", s[0], type);
			}
			free(type);
		}
	}
	CHECK(policy_mount_trusted(s[0], 0), "root's mounts are trusted", s[0], NULL);
	CHECK(policy_mount_trusted(s[0], 1000) == !ref_fuse(s[0]),
	      "a user's mount is untrusted exactly when FUSE", s[0], NULL);
	fuzz_free(s, 1);
	return 0;
}
