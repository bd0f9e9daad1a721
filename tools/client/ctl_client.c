// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control socket client: request/answer and the human status table.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_client.h"
#include "json_parse.h"

#define CTL_RESP_MAX (16u << 20)

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int wait_fd(int fd, short ev, const struct timespec *t0)
{
	struct pollfd pfd = { .fd = fd, .events = ev };
	long left = CTL_TIMEOUT_MS - elapsed_ms(t0);
	int r;

	if (left <= 0)
		return -ETIMEDOUT;
	r = poll(&pfd, 1, (int)left);
	if (r < 0)
		return -errno;
	return r ? 0 : -ETIMEDOUT;
}

int ctl_request(const char *sock, const char *req_json, char **resp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec t0;
	size_t len = strlen(req_json), off = 0, cap = 4096, n = 0;
	char *line, *buf;
	int fd, rc = 0;

	*resp = NULL;
	if (strlen(sock) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	line = malloc(len + 2);
	buf = malloc(cap);
	if (!line || !buf) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(line, req_json, len);
	line[len++] = '\n';
	while (off < len) {
		ssize_t w;

		rc = wait_fd(fd, POLLOUT, &t0);
		if (rc)
			goto out;
		w = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		off += (size_t)w;
	}
	for (;;) {
		ssize_t r;
		char *nl;

		if (n + 1 >= cap) {
			char *t;

			if (cap >= CTL_RESP_MAX) {
				rc = -E2BIG;
				goto out;
			}
			t = realloc(buf, cap * 2);
			if (!t) {
				rc = -ENOMEM;
				goto out;
			}
			buf = t;
			cap *= 2;
		}
		rc = wait_fd(fd, POLLIN, &t0);
		if (rc)
			goto out;
		r = recv(fd, buf + n, cap - n - 1, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (r == 0) {
			rc = -EPROTO;
			goto out;
		}
		n += (size_t)r;
		buf[n] = 0;
		nl = memchr(buf, '\n', n);
		if (nl) {
			*nl = 0;
			*resp = buf;
			buf = NULL;
			rc = 0;
			goto out;
		}
	}
out:
	free(line);
	free(buf);
	close(fd);
	return rc;
}

static unsigned long long num(const struct json *o, const char *k)
{
	return (unsigned long long)json_as_num(json_get(o, k), 0);
}

static void print_table(const struct json *r, FILE *out)
{
	const struct json *be = json_get(r, "backend"), *bs = json_get(be, "stats");
	const struct json *ds = json_get(r, "dispatcher"), *gs = json_get(r, "guests");
	size_t i;

	fprintf(out, "scmi-mediator %s (pid %llu), up %.1f s%s\n",
		json_as_str(json_get(r, "version"), "?"), num(r, "pid"),
		json_as_num(json_get(r, "uptime_s"), 0),
		json_as_bool(json_get(r, "stopping"), false) ? ", STOPPING" : "");
	fprintf(out, "config %s, %llu reload(s), %llu rejected\n",
		json_as_str(json_get(r, "config"), "?"), num(r, "reloads"),
		num(r, "reload_failures"));
	fprintf(out, "backend %s, %llu channel(s): sent %llu replies %llu delayed %llu "
		"notifications %llu errors %llu malformed %llu dropped %llu\n",
		json_as_str(json_get(be, "name"), "?"), num(be, "channels"), num(bs, "sent"),
		num(bs, "replies"), num(bs, "delayed"), num(bs, "notifications"),
		num(bs, "errors"), num(bs, "malformed"), num(bs, "dropped"));
	fprintf(out, "dispatcher: tokens in use %llu, timeouts %llu, late %llu, unexpected %llu, "
		"backpressure %llu\n", num(ds, "tokens_in_use"), num(ds, "timeouts"),
		num(ds, "late"), num(ds, "unexpected"), num(ds, "backpressure"));
	fprintf(out, "\n%-16s %-5s %-4s %-12s %5s %9s %9s %7s %7s %7s  %s\n", "GUEST", "AGENT",
		"CONN", "FEATURES", "INFL", "COMMANDS", "RESPONSES", "ERRORS", "DELAYED", "NOTIF",
		"SOCKET");
	for (i = 0; gs && gs->type == JSON_ARR && i < gs->n; i++) {
		const struct json *g = gs->items[i];

		fprintf(out, "%-16s %-5llu %-4s %-12s %5llu %9llu %9llu %7llu %7llu %7llu  %s\n",
			json_as_str(json_get(g, "name"), "?"), num(g, "agent_id"),
			json_as_bool(json_get(g, "connected"), false) ? "yes" : "no",
			json_as_str(json_get(g, "features"), "?"), num(g, "inflight"),
			num(g, "commands"), num(g, "responses"), num(g, "errors"),
			num(g, "delayed"), num(g, "notifications"),
			json_as_str(json_get(g, "socket"), "?"));
	}
	if (!gs || !gs->n)
		fprintf(out, "(no guests)\n");
}

int ctl_print_status(const char *sock, bool json, FILE *out)
{
	char *resp = NULL;
	const char *err = NULL;
	struct json *v;
	int rc = ctl_request(sock, "{\"cmd\":\"status\"}", &resp);

	if (rc) {
		fprintf(stderr, "%s: %s\n", sock, strerror(-rc));
		return rc;
	}
	v = json_parse(resp, &err);
	if (!v || !json_as_bool(json_get(v, "ok"), false) || !json_get(v, "result")) {
		fprintf(stderr, "%s: bad answer (%s): %s\n", sock,
			err ? err : json_as_str(json_get(v, "error"), "not ok"), resp);
		json_free(v);
		free(resp);
		return -EPROTO;
	}
	if (json)
		fprintf(out, "%s\n", resp);
	else
		print_table(json_get(v, "result"), out);
	json_free(v);
	free(resp);
	return 0;
}
