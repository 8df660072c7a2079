/* tools/json.h - JSON string escaping for fcgi-suexec-audit: pure functions,
 * no system calls, no globals, no allocation, so that a fuzzing harness can
 * include this header and call them directly:
 *
 *     #include "tools/json.h"
 *     size_t need = json_escape(buf, sizeof(buf), data, size);
 *
 * File names are bytes, JSON strings are Unicode. json_escape() writes:
 *   "  \  -> \"  \\
 *   BS FF LF CR TAB -> \b \f \n \r \t
 *   other C0 controls (0x00..0x1f) and DEL (0x7f) -> \u00XX
 *   valid UTF-8 (shortest form, no surrogates, at most U+10FFFF) -> copied as
 *     is, except the C1 controls U+0080..U+009F -> \u0080..\u009f and
 *     U+2028, U+2029 (line breaks to JavaScript) -> \u2028 \u2029
 *   every byte that is not part of a valid UTF-8 sequence -> \u00XX of that
 *     byte (the byte read as Latin-1).
 * The result is always valid JSON and valid UTF-8 (pure ASCII when the input
 * is). A name that is not valid UTF-8 cannot be recovered exactly: byte 0xE9
 * comes out as \u00e9, which a reader decodes to U+00E9, as it would the
 * valid UTF-8 "\xc3\xa9".
 */
#ifndef FCGI_SUEXEC_JSON_H
#define FCGI_SUEXEC_JSON_H

#include <stddef.h>

/* Length of the valid, shortest-form UTF-8 sequence of 2 to 4 bytes at s
 * (n bytes available), storing its code point in *cp; 0 when s does not
 * start one (ASCII included: callers handle bytes < 0x80 themselves). */
static inline size_t json_utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len;

	if (n == 0 || s[0] < 0xc2 || s[0] > 0xf4) /* ASCII, continuation, overlong C0/C1, > U+10FFFF */
		return 0;
	if (s[0] < 0xe0) {
		len = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] < 0xf0) {
		len = 3;
		c = s[0] & 0x0fu;
	} else {
		len = 4;
		c = s[0] & 0x07u;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0; /* overlong, out of range or a surrogate */
	*cp = c;
	return len;
}

/* Escape the n bytes at s (NUL bytes included) as the contents of a JSON
 * string, without the surrounding quotes, into out of size outsize. Returns
 * the length of the whole escaped text (without the NUL), as snprintf does:
 * the output was cut when the result >= outsize. out (when outsize > 0) is
 * always NUL-terminated and never ends in a partial escape or a partial
 * UTF-8 sequence. out may be NULL when outsize is 0. */
static inline size_t json_escape(char *out, size_t outsize, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t need = 0, cut = 0; /* cut: bytes written, as long as all fit */
	int fits = outsize > 0;

	for (size_t i = 0; i < n;) {
		char piece[8];
		size_t plen = 0, step = 1;
		unsigned long cp = u[i];

		if (cp == '"' || cp == '\\') {
			piece[plen++] = '\\';
			piece[plen++] = (char)cp;
		} else if (cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t') {
			piece[plen++] = '\\';
			piece[plen++] = (char)(cp == '\b' ? 'b' : cp == '\f' ? 'f' : cp == '\n' ? 'n' :
					       cp == '\r' ? 'r' : 't');
		} else if (cp >= 0x20 && cp < 0x7f) {
			piece[plen++] = (char)cp;
		} else {
			size_t len = cp >= 0x80 ? json_utf8_seq(u + i, n - i, &cp) : 0;

			if (len == 0) /* control, DEL, or a byte outside valid UTF-8 */
				cp = u[i];
			else
				step = len;
			if (len > 0 && cp > 0x9f && cp != 0x2028 && cp != 0x2029) {
				for (size_t k = 0; k < len; k++)
					piece[plen++] = (char)u[i + k];
			} else { /* \u00XX, \u2028, \u2029 */
				piece[plen++] = '\\';
				piece[plen++] = 'u';
				piece[plen++] = hex[(cp >> 12) & 0xf];
				piece[plen++] = hex[(cp >> 8) & 0xf];
				piece[plen++] = hex[(cp >> 4) & 0xf];
				piece[plen++] = hex[cp & 0xf];
			}
		}
		if (fits && need + plen < outsize) {
			for (size_t k = 0; k < plen; k++)
				out[need + k] = piece[k];
			cut = need + plen;
		} else {
			fits = 0;
		}
		need += plen;
		i += step;
	}
	if (outsize > 0)
		out[cut] = '\0';
	return need;
}

#endif
