/* bench/fcgi.h - a minimal FastCGI client (one GET request over a unix
 * socket), for the benchmark tools. Header-only; each tool includes it once.
 *
 *   fcgi_get(sock, script, docroot, out, outlen, timeout_ms)
 *       connect to the unix socket SOCK, ask for SCRIPT (an absolute
 *       SCRIPT_FILENAME) as a responder GET, read until END_REQUEST.
 *       Returns the number of STDOUT bytes kept in out (NUL-terminated,
 *       cut at outlen - 1), or -1 (errno set; ETIMEDOUT on timeout).
 */
#ifndef BENCH_FCGI_H
#define BENCH_FCGI_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long fcgi_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

static void fcgi_header(unsigned char *h, int type, size_t len, size_t pad)
{
	h[0] = 1;            /* version */
	h[1] = (unsigned char)type;
	h[2] = 0;            /* request id 1 */
	h[3] = 1;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)(len & 0xff);
	h[6] = (unsigned char)pad;
	h[7] = 0;
}

/* name-value pairs, both lengths < 128 (one byte each) */
static size_t fcgi_param(unsigned char *buf, size_t at, size_t cap, const char *n, const char *v)
{
	size_t nl = strlen(n), vl = strlen(v);

	if (nl > 127 || vl > 127 || at + 2 + nl + vl > cap)
		return at;
	buf[at++] = (unsigned char)nl;
	buf[at++] = (unsigned char)vl;
	memcpy(buf + at, n, nl);
	memcpy(buf + at + nl, v, vl);
	return at + nl + vl;
}

/* write all of buf, or -1 */
static int fcgi_write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* read exactly len bytes before the deadline, or -1 */
static int fcgi_read_full(int fd, unsigned char *buf, size_t len, const struct timespec *t0,
			  int timeout_ms)
{
	while (len > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = timeout_ms - fcgi_ms_since(t0);

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ECONNRESET;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t fcgi_get(const char *sock, const char *script, const char *docroot, char *out,
			size_t outlen, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned char req[2048], params[1536], h[8], body[65536 + 256];
	struct timespec t0;
	size_t n = 0, p = 0, kept = 0;
	int fd, saved;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (strlen(sock) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto fail;

	/* BEGIN_REQUEST: responder, no keep-alive */
	fcgi_header(req + n, 1, 8, 0);
	n += 8;
	memset(req + n, 0, 8);
	req[n + 1] = 1;
	n += 8;
	p = fcgi_param(params, p, sizeof(params), "SCRIPT_FILENAME", script);
	p = fcgi_param(params, p, sizeof(params), "SCRIPT_NAME", strrchr(script, '/'));
	p = fcgi_param(params, p, sizeof(params), "REQUEST_URI", strrchr(script, '/'));
	p = fcgi_param(params, p, sizeof(params), "DOCUMENT_ROOT", docroot);
	p = fcgi_param(params, p, sizeof(params), "REQUEST_METHOD", "GET");
	p = fcgi_param(params, p, sizeof(params), "QUERY_STRING", "");
	p = fcgi_param(params, p, sizeof(params), "SERVER_PROTOCOL", "HTTP/1.1");
	p = fcgi_param(params, p, sizeof(params), "GATEWAY_INTERFACE", "CGI/1.1");
	p = fcgi_param(params, p, sizeof(params), "SERVER_NAME", "localhost");
	p = fcgi_param(params, p, sizeof(params), "REMOTE_ADDR", "127.0.0.1");
	p = fcgi_param(params, p, sizeof(params), "REDIRECT_STATUS", "200");
	size_t pad = (8 - p % 8) % 8;
	fcgi_header(req + n, 4, p, pad);
	n += 8;
	memcpy(req + n, params, p);
	n += p;
	memset(req + n, 0, pad);
	n += pad;
	fcgi_header(req + n, 4, 0, 0); /* end of PARAMS */
	n += 8;
	fcgi_header(req + n, 5, 0, 0); /* empty STDIN */
	n += 8;
	if (fcgi_write_all(fd, req, n) != 0)
		goto fail;

	for (;;) {
		if (fcgi_read_full(fd, h, 8, &t0, timeout_ms) != 0)
			goto fail;
		size_t len = ((size_t)h[4] << 8 | h[5]) + h[6];
		if (fcgi_read_full(fd, body, len, &t0, timeout_ms) != 0)
			goto fail;
		size_t clen = (size_t)h[4] << 8 | h[5];
		if (h[1] == 6 && outlen > 0) { /* STDOUT */
			size_t take = clen < outlen - 1 - kept ? clen : outlen - 1 - kept;
			memcpy(out + kept, body, take);
			kept += take;
		} else if (h[1] == 3) { /* END_REQUEST */
			break;
		}
	}
	if (outlen > 0)
		out[kept] = '\0';
	close(fd);
	return (ssize_t)kept;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

#endif
