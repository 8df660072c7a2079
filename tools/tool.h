/* tools/tool.h - the start shared by fcgi-suexec-audit and fcgi-suexec-status:
 * `NAME LAUNCHER [--json]`, as `fcgi-suexec --audit|--status` execs them, and
 * only ever with the caller's own privileges. */
#ifndef FCGI_SUEXEC_TOOL_H
#define FCGI_SUEXEC_TOOL_H

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* True with --json; exits 2 on a bad command line, 1 when setuid or setgid. */
static inline bool tool_start(int argc, char **argv, const char *name)
{
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0) ||
	    argv[1][0] != '/') {
		fprintf(stderr, "usage: %s /path/to/fcgi-suexec [--json]\n", name);
		exit(2);
	}
	if (getuid() != geteuid() || getgid() != getegid()) { /* _exit: nothing else runs */
		fprintf(stderr, "%s: must not run setuid or setgid\n", name);
		_exit(1);
	}
	return argc == 3;
}

/* A uid's user name, or the number where the user database has none. */
static inline void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
}

#endif
