/* json_escape (tools/json.h): the audit tool's JSON string escaper, fed
 * file names, owners and reasons that a site owner controls.
 *
 * Properties, checked with a decoder and a UTF-8 model written here
 * independently (Unicode's table of well-formed byte sequences):
 *   - the return value is the full length whatever the buffer size, and
 *     the output with a large enough buffer is exactly that long;
 *   - no write outside the buffer (AddressSanitizer: exact-size heap
 *     buffers), always NUL-terminated when outsize > 0;
 *   - the output is valid UTF-8 and valid JSON string contents: no raw
 *     control byte, DEL, '"', C1 control, U+2028 or U+2029; a backslash
 *     only in \" \\ \b \f \n \r \t \uXXXX (lowercase hex);
 *   - decoding the output gives, for each input position, the code point
 *     of the valid UTF-8 sequence there, or else the byte read as Latin-1
 *     (the header's contract), so nothing is lost or added; ASCII stays
 *     ASCII;
 *   - with a smaller buffer the output is a prefix of the full one, cut
 *     at an escape boundary (itself well-formed) and as long as fits. */
#include "fuzz.h"
#include "json.h"

/* Length of the well-formed UTF-8 sequence at s (Unicode Table 3-7), 0 if
 * none; a byte < 0x80 is a sequence of 1. */
static size_t ref_utf8(const unsigned char *s, size_t n, unsigned long *cp)
{
	static const struct { unsigned char lo, hi, lo1, hi1; size_t len; } t[] = {
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 }, { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 }, { 0xed, 0xed, 0x80, 0x9f, 3 },
		{ 0xee, 0xef, 0x80, 0xbf, 3 }, { 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 }, { 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		if (s[0] < t[i].lo || s[0] > t[i].hi)
			continue;
		if (n < t[i].len || s[1] < t[i].lo1 || s[1] > t[i].hi1)
			return 0;
		for (size_t k = 2; k < t[i].len; k++)
			if (s[k] < 0x80 || s[k] > 0xbf)
				return 0;
		*cp = s[0] & (t[i].len == 2 ? 0x1f : t[i].len == 3 ? 0x0f : 0x07);
		for (size_t k = 1; k < t[i].len; k++)
			*cp = (*cp << 6) | (s[k] & 0x3fu);
		return t[i].len;
	}
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode JSON string contents into code points; -1 when not well-formed
 * per the properties above. */
static long decode(const char *out, size_t len, unsigned long *cps, size_t max)
{
	const unsigned char *u = (const unsigned char *)out;
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t step;

		if (n == max)
			return -1;
		if (u[i] == '\\') {
			const char *m = i + 1 < len ? strchr("\"\\bfnrt", out[i + 1]) : NULL;

			if (i + 1 < len && out[i + 1] == 'u') {
				if (i + 6 > len)
					return -1;
				cp = 0;
				for (size_t k = 2; k < 6; k++) {
					int h = hexval(out[i + k]);

					if (h < 0)
						return -1;
					cp = cp << 4 | (unsigned long)h;
				}
				step = 6;
			} else if (m != NULL && *m != '\0') {
				cp = (unsigned long)"\"\\\b\f\n\r\t"[m - "\"\\bfnrt"];
				step = 2;
			} else {
				return -1;
			}
		} else {
			step = ref_utf8(u + i, len - i, &cp);
			if (step == 0 || cp < 0x20 || cp == '"' || cp == 0x7f ||
			    (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
				return -1;
		}
		cps[n++] = cp;
		i += step;
	}
	return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *in = data;
	size_t need = json_escape(NULL, 0, (const char *)data, size);
	char *full = malloc(need + 1), *cut;
	unsigned long *want = malloc((size + 1) * sizeof(*want));
	unsigned long *got = malloc((size + 1) * sizeof(*got));
	size_t nwant = 0, sizes[3];
	bool ascii = true;

	if (full == NULL || want == NULL || got == NULL)
		abort();
	CHECK(need >= size, "never shorter than the input", NULL, NULL);
	CHECK(json_escape(full, need + 1, (const char *)data, size) == need,
	      "the same length whatever the buffer", NULL, NULL);
	CHECK(strlen(full) == need, "not cut when it fits", full, NULL);
	for (size_t i = 0; i < size;) {
		size_t len = ref_utf8(in + i, size - i, &want[nwant]);

		ascii &= in[i] < 0x80;
		if (len == 0) {
			want[nwant] = in[i]; /* not UTF-8: the byte as Latin-1 */
			len = 1;
		}
		nwant++;
		i += len;
	}
	long ngot = decode(full, need, got, size + 1);
	CHECK(ngot >= 0, "valid UTF-8 and valid JSON string contents", full, NULL);
	CHECK((size_t)ngot == nwant && memcmp(got, want, nwant * sizeof(*got)) == 0,
	      "decodes to the input's code points (bytes outside UTF-8 as Latin-1)", full, NULL);
	if (ascii)
		for (size_t i = 0; i < need; i++)
			CHECK((unsigned char)full[i] < 0x80, "ASCII in, ASCII out", full, NULL);

	/* Cut short: a buffer of 1, of a size taken from the input, of need. */
	sizes[0] = 1;
	sizes[1] = size > 0 ? 1 + in[0] % (need + 1) : 1;
	sizes[2] = need > 0 ? need : 1;
	for (size_t k = 0; k < 3; k++) {
		size_t len;

		cut = malloc(sizes[k]);
		if (cut == NULL)
			abort();
		memset(cut, 'X', sizes[k]);
		CHECK(json_escape(cut, sizes[k], (const char *)data, size) == need,
		      "cut: the full length returned", NULL, NULL);
		len = strnlen(cut, sizes[k]);
		CHECK(len < sizes[k], "cut: NUL-terminated inside the buffer", NULL, NULL);
		CHECK(memcmp(cut, full, len) == 0, "cut: a prefix of the full output", cut, full);
		CHECK(decode(cut, len, got, size + 1) >= 0, "cut: at an escape boundary", cut, full);
		/* as long as fits: the next piece (at most 6 bytes) did not */
		CHECK(len == need || len + 6 >= sizes[k], "cut: as long as fits", cut, full);
		free(cut);
	}
	free(full);
	free(want);
	free(got);
	return 0;
}
