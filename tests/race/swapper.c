/* swapper - the attacker of the race tests: swap paths as fast as it can.
 *
 * usage: swapper [--seconds T] [--name LABEL] OP...
 *
 * Run by the test as a site owner (fsxalice, fsxbob: setpriv), on its own
 * files only. Each OP is done in full, so the tree is back in its first state
 * between two OPs; the OPs are done in turn until T seconds have passed
 * (default 60) or SIGTERM/SIGINT arrives (the OP under way is finished first).
 *
 *   xchg:A:B     renameat2(A, B, RENAME_EXCHANGE) and back: A is B's object
 *                (a symlink, another directory, another file) for a while
 *   replace:A:B  plain renames: A -> A.hold, B -> A, A -> B, A.hold -> A: A
 *                is missing, then B's object, then A's again
 *   away:A:B     rename(A, B) and back: A's object leaves (e.g. out of
 *                DOCROOT) and returns
 *
 * At the end one line on stdout: "swapper LABEL: uid=U ops=N failed=F".
 * A failed step is counted (and the OP cut short); it never stops the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

enum kind { XCHG, REPLACE, AWAY };

struct op {
	enum kind kind;
	char *a, *b, *hold;
};

static volatile sig_atomic_t stop;
static unsigned long failed;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int step(int r)
{
	if (r != 0)
		failed++;
	return r;
}

static void xchg(const char *a, const char *b)
{
	if (step(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)) == 0)
		step(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
}

static void replace(const char *a, const char *b, const char *hold)
{
	if (step(rename(a, hold)) != 0)
		return;
	if (step(rename(b, a)) == 0)
		step(rename(a, b));
	step(rename(hold, a));
}

static void away(const char *a, const char *b)
{
	if (step(rename(a, b)) == 0)
		step(rename(b, a));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: swapper [--seconds T] [--name LABEL] "
		"{xchg|replace|away}:A:B...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct op ops[64];
	int nops = 0, i = 1;
	double seconds = 60, end;
	const char *name = "";
	unsigned long done = 0;
	struct sigaction sa;

	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[i + 1];
		else
			usage();
	}
	for (; i < argc && nops < 64; i++) {
		char *s = strdup(argv[i]), *a = strchr(s, ':'), *b;

		if (a == NULL || (b = strchr(a + 1, ':')) == NULL)
			usage();
		*a++ = '\0';
		*b++ = '\0';
		if (strcmp(s, "xchg") == 0)
			ops[nops].kind = XCHG;
		else if (strcmp(s, "replace") == 0)
			ops[nops].kind = REPLACE;
		else if (strcmp(s, "away") == 0)
			ops[nops].kind = AWAY;
		else
			usage();
		ops[nops].a = a;
		ops[nops].b = b;
		if (asprintf(&ops[nops].hold, "%s.hold", a) < 0)
			return 2;
		nops++;
	}
	if (nops == 0 || seconds <= 0)
		usage();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	end = now() + seconds;
	while (!stop) {
		const struct op *o = &ops[done % (unsigned long)nops];

		if (o->kind == XCHG)
			xchg(o->a, o->b);
		else if (o->kind == REPLACE)
			replace(o->a, o->b, o->hold);
		else
			away(o->a, o->b);
		done++;
		if ((done & 255) == 0 && now() > end)
			break;
	}
	printf("swapper %s: uid=%u ops=%lu failed=%lu\n", name, (unsigned)getuid(), done, failed);
	return 0;
}
