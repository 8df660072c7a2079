/* fcgiget - FastCGI GET requests straight to workers' unix sockets, timed.
 *
 * usage: fcgiget [--jobs J] [--repeat R] [--expect STRING] [--timeout MS]
 *                --sock PATH --script FILE [--docroot DIR]
 *        fcgiget [--jobs J] [--repeat R] [--expect STRING] [--timeout MS]
 *                --sockdir DIR --sites FILE --script NAME [--docroot-base DIR]
 *
 * The first form sends R requests for SCRIPT (an absolute path) to one
 * socket. The second sends R requests to each site of FILE (one name a
 * line): socket DIR/SITE.sock, SCRIPT_FILENAME DOCROOT_BASE/SITE/NAME
 * (default base /var/www). J processes share the work (site k goes to
 * process k mod J; in the first form each process sends R requests); each
 * sends its requests one after the other.
 *
 * Output: one tab-separated line per request, "site n latency_us ok" (ok is 1
 * when the answer holds STRING, default "hello"), then one line
 * "#total requests failures wall_us". Exit 0, 1 when a request failed, 2
 * usage or setup error.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "fcgi.h"

#define MAX_SITES 1024

static char *sites[MAX_SITES];
static int nsites;

static void usage(void)
{
	fprintf(stderr, "usage: fcgiget [--jobs J] [--repeat R] [--expect S] [--timeout MS] "
		"(--sock PATH --script FILE [--docroot DIR] | --sockdir DIR --sites FILE "
		"--script NAME [--docroot-base DIR])\n");
	exit(2);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *sockdir = NULL, *sites_file = NULL, *script = NULL;
	const char *docroot = NULL, *base = "/var/www", *expect = "hello";
	int jobs = 1, repeat = 1, timeout = 30000, i;
	static char out[1 << 16];

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--jobs") == 0)
			jobs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--repeat") == 0)
			repeat = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--expect") == 0)
			expect = argv[i + 1];
		else if (strcmp(argv[i], "--timeout") == 0)
			timeout = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--sock") == 0)
			sock = argv[i + 1];
		else if (strcmp(argv[i], "--sockdir") == 0)
			sockdir = argv[i + 1];
		else if (strcmp(argv[i], "--sites") == 0)
			sites_file = argv[i + 1];
		else if (strcmp(argv[i], "--script") == 0)
			script = argv[i + 1];
		else if (strcmp(argv[i], "--docroot") == 0)
			docroot = argv[i + 1];
		else if (strcmp(argv[i], "--docroot-base") == 0)
			base = argv[i + 1];
		else
			usage();
	}
	if (i != argc || script == NULL || jobs < 1 || jobs > 64 || repeat < 1 ||
	    repeat > 100000 || timeout < 1 || (sock == NULL) == (sockdir == NULL) ||
	    (sockdir != NULL && sites_file == NULL))
		usage();
	if (sites_file != NULL) {
		char line[256];
		FILE *f = fopen(sites_file, "r");

		if (f == NULL) {
			perror(sites_file);
			return 2;
		}
		while (nsites < MAX_SITES && fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, " \t\n")] = '\0';
			if (line[0] != '\0' && line[0] != '#')
				sites[nsites++] = strdup(line);
		}
		fclose(f);
	} else {
		sites[nsites++] = "-";
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	double t0 = now_us();
	pid_t pids[64];
	int fds[64][2];
	long total = 0, failed = 0;

	for (int j = 0; j < jobs; j++) {
		if (pipe(fds[j]) != 0 || (pids[j] = fork()) < 0) {
			perror("fork");
			return 2;
		}
		if (pids[j] > 0) {
			close(fds[j][1]);
			continue;
		}
		close(fds[j][0]);
		long counts[2] = { 0, 0 };
		for (int k = sock != NULL ? 0 : j; k < nsites; k += sock != NULL ? 1 : jobs) {
			char path[PATH_MAX], file[PATH_MAX], root[PATH_MAX];

			if (sock != NULL) {
				snprintf(path, sizeof(path), "%s", sock);
				snprintf(file, sizeof(file), "%s", script);
				snprintf(root, sizeof(root), "%s", docroot != NULL ? docroot : "/");
			} else {
				snprintf(path, sizeof(path), "%s/%s.sock", sockdir, sites[k]);
				snprintf(root, sizeof(root), "%s/%s", base, sites[k]);
				snprintf(file, sizeof(file), "%s/%s", root, script);
			}
			for (int n = 1; n <= repeat; n++) {
				double r0 = now_us();
				ssize_t got = fcgi_get(path, file, root, out, sizeof(out), timeout);
				double r1 = now_us();
				int ok = got > 0 && strstr(out, expect) != NULL;

				if (!ok && counts[1] < 3)
					fprintf(stderr, "fcgiget: %s %s: %s\n", sites[k], file,
						got < 0 ? strerror(errno) : "unexpected answer");
				printf("%s\t%d\t%.0f\t%d\n", sites[k], n, r1 - r0, ok);
				counts[0]++;
				counts[1] += !ok;
			}
		}
		if (write(fds[j][1], counts, sizeof(counts)) != (ssize_t)sizeof(counts))
			_exit(2);
		_exit(0);
	}
	for (int j = 0; j < jobs; j++) {
		long counts[2] = { 0, 0 };
		int st;

		if (read(fds[j][0], counts, sizeof(counts)) != (ssize_t)sizeof(counts))
			failed++;
		total += counts[0];
		failed += counts[1];
		waitpid(pids[j], &st, 0);
	}
	printf("#total\t%ld\t%ld\t%.0f\n", total, failed, now_us() - t0);
	return failed > 0 ? 1 : 0;
}
