/* tools/text.h - the text output's escaping, shared by fcgi-suexec-audit and
 * fcgi-suexec-status: one record per line whatever a name holds. Printable
 * ASCII and valid UTF-8 (but the C1 controls) pass; every other byte,
 * backslash and (in a field, where a space would split it) space are
 * written as \ooo (three octal digits), so a name can neither break a line
 * nor drive the terminal. Writes to stdout. */
#ifndef FCGI_SUEXEC_TEXT_H
#define FCGI_SUEXEC_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

static inline void text_put(const char *s, bool field)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t len = u[i] >= 0x80 ? json_utf8_seq(u + i, n - i, &cp) : 0;

		if (len > 0 && cp > 0x9f) {
			(void)fwrite(u + i, 1, len, stdout);
			i += len;
			continue;
		}
		if (u[i] > 0x20 && u[i] < 0x7f && u[i] != '\\')
			putchar(u[i]);
		else if (u[i] == ' ' && !field)
			putchar(' ');
		else
			printf("\\%03o", u[i]);
		i++;
	}
}

#endif
