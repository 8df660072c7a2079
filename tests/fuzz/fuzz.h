/* tests/fuzz/fuzz.h - shared by the libFuzzer harnesses of tests/fuzz/.
 *
 * Each harness feeds one pure function of policy.c (or tools/json.h) with
 * arbitrary bytes and checks properties of the answer, most of them against
 * a reference model written here independently of the code under test (a
 * different algorithm, explicit ASCII ranges instead of <ctype.h>), so that
 * a harness fails on a wrong answer, not only on a crash. A failed property
 * prints the input and aborts: libFuzzer saves the input as a crash.
 *
 * Built against the fixed policy of the unit tests (DOCROOT=/var/www,
 * UID_MIN=GID_MIN=1000, ...): see mk/fuzz.mk.
 */
#ifndef FSX_FUZZ_H
#define FSX_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print s with C escapes (inputs are arbitrary bytes). */
static inline void fuzz_show(const char *label, const char *s)
{
	fprintf(stderr, "  %s: ", label);
	if (s == NULL) {
		fputs("(null)\n", stderr);
		return;
	}
	fputc('"', stderr);
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
		if (*c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\')
			fputc(*c, stderr);
		else
			fprintf(stderr, "\\x%02x", *c);
	fputs("\"\n", stderr);
}

/* CHECK(cond, what, a, b): abort with both inputs shown when cond is false. */
#define CHECK(cond, what, a, b)                                               \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "\nPROPERTY FAILED (%s:%d): %s\n  %s\n", \
				__FILE__, __LINE__, what, #cond);             \
			fuzz_show("a", a);                                    \
			fuzz_show("b", b);                                    \
			abort();                                              \
		}                                                             \
	} while (0)

/* The input as NUL-separated strings: up to `max` strings, each in its own
 * heap block of exactly its length + 1, so that AddressSanitizer catches a
 * read past the terminating NUL. Returns how many there are (at least 1: an
 * empty input is one empty string; a missing one means "absent"). Free with
 * fuzz_free. */
static inline size_t fuzz_split(const uint8_t *data, size_t size, char **out, size_t max)
{
	const uint8_t *p = data, *end = data + size;
	size_t n = 0;

	while (n < max) {
		const uint8_t *z = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		size_t len = (size_t)((z != NULL ? z : end) - p);
		char *s = malloc(len + 1);

		if (s == NULL)
			abort();
		if (len > 0)
			memcpy(s, p, len);
		s[len] = '\0';
		out[n++] = s;
		if (z == NULL)
			break;
		p = z + 1; /* bytes after the last string wanted are ignored */
	}
	return n;
}

static inline void fuzz_free(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
}

/* ---- reference models ---------------------------------------------------- */

static inline bool ref_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool ref_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool ref_alnum(int c) { return ref_alpha(c) || ref_digit(c); }

/* The components of an absolute path, split without strchrnul: a canonical
 * path is "/" or "/" c1 "/" c2 ... with every ci non-empty, not "." or "..",
 * and at most ARG_MAX_PATH bytes in all. */
static inline bool ref_canonical(const char *p)
{
	size_t len = strlen(p), comp = 0;

	if (len == 0 || len > ARG_MAX_PATH || p[0] != '/')
		return false;
	if (len == 1)
		return true;
	for (size_t i = 1; i <= len; i++) {
		if (i == len || p[i] == '/') {
			const char *c = p + i - comp;

			if (comp == 0 || (comp == 1 && c[0] == '.') ||
			    (comp == 2 && c[0] == '.' && c[1] == '.'))
				return false;
			comp = 0;
		} else {
			comp++;
		}
	}
	return true;
}

/* Number of components of a canonical path ("/" has none). */
static inline size_t ref_depth(const char *p)
{
	size_t n = 0;

	for (; *p != '\0'; p++)
		n += *p == '/';
	return p[-1] == '/' ? 0 : n;
}

/* Component-wise containment of canonical paths: base's components are the
 * first components of path. Compares component by component, never the
 * byte prefix of the whole string. */
static inline bool ref_within(const char *path, const char *base)
{
	if (!ref_canonical(path) || !ref_canonical(base))
		return false;
	while (*base != '\0') {
		size_t bl, pl;

		if (base[0] == '/' && base[1] == '\0')
			return true;
		if (*path == '\0')
			return false;
		base++, path++; /* past the '/' */
		bl = strcspn(base, "/");
		pl = strcspn(path, "/");
		if (bl != pl || memcmp(base, path, bl) != 0)
			return false;
		base += bl;
		path += pl;
	}
	return true;
}

#endif
