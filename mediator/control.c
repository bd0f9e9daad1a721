// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control socket server: line-delimited JSON requests and answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "evloop.h"
#include "log.h"

#define CONTROL_MAX_CONNS 16

struct conn {
	struct control *c;
	int fd;
	char in[CONTROL_LINE_MAX];
	size_t inlen;
	char *out;
	size_t outlen, outoff;
	bool closing;
	struct conn *next;
};

struct control {
	struct ev_loop *loop;
	char path[108];
	int lfd;
	control_handler h;
	void *opaque;
	struct conn *conns;
	unsigned nconns;
};

void json_put_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch == '\t')
			fputs("\\t", out);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

bool json_get_str(const char *json, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key), n = 0;
	const char *p = json;

	if (!cap)
		return false;
	while ((p = strchr(p, '"'))) {
		if (!strncmp(p + 1, key, klen) && p[1 + klen] == '"') {
			p += klen + 2;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p++ != ':')
				return false;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p++ != '"')
				return false;
			while (*p && *p != '"') {
				char ch = *p++;

				if (ch == '\\') {
					ch = *p++;
					if (ch == 'n')
						ch = '\n';
					else if (ch == 't')
						ch = '\t';
					else if (ch != '"' && ch != '\\' && ch != '/')
						return false;
				}
				if (n + 1 >= cap)
					return false;
				out[n++] = ch;
			}
			if (*p != '"')
				return false;
			out[n] = 0;
			return true;
		}
		p++;
	}
	return false;
}

static void conn_free(struct conn *k)
{
	struct control *c = k->c;
	struct conn **pp;

	for (pp = &c->conns; *pp; pp = &(*pp)->next)
		if (*pp == k) {
			*pp = k->next;
			break;
		}
	c->nconns--;
	ev_fd_del(c->loop, k->fd);
	close(k->fd);
	free(k->out);
	free(k);
}

/* Returns false if the connection was freed. */
static bool conn_flush(struct conn *k)
{
	while (k->outoff < k->outlen) {
		ssize_t n = send(k->fd, k->out + k->outoff, k->outlen - k->outoff, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_fd_mod(k->c->loop, k->fd, EPOLLIN | EPOLLOUT);
				return true;
			}
			conn_free(k);
			return false;
		}
		k->outoff += (size_t)n;
	}
	free(k->out);
	k->out = NULL;
	k->outlen = k->outoff = 0;
	if (k->closing) {
		conn_free(k);
		return false;
	}
	ev_fd_mod(k->c->loop, k->fd, EPOLLIN);
	return true;
}

static void conn_append(struct conn *k, const char *s, size_t len)
{
	char *n = realloc(k->out, k->outlen + len);

	if (!n) {
		k->closing = true;
		return;
	}
	memcpy(n + k->outlen, s, len);
	k->out = n;
	k->outlen += len;
}

static void handle_line(struct conn *k, char *line)
{
	struct control *c = k->c;
	char cmd[64], *res = NULL, *buf = NULL;
	size_t reslen = 0, len = 0;
	FILE *rf, *f;
	bool ok = false;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '{') {
		if (!json_get_str(line, "cmd", cmd, sizeof(cmd)))
			cmd[0] = 0;
	} else {
		size_t n = strcspn(line, " \t\r");

		snprintf(cmd, sizeof(cmd), "%.*s", (int)(n < sizeof(cmd) ? n : sizeof(cmd) - 1),
			 line);
	}
	rf = open_memstream(&res, &reslen);
	f = open_memstream(&buf, &len);
	if (!rf || !f) {
		if (rf)
			fclose(rf);
		if (f)
			fclose(f);
		free(res);
		free(buf);
		k->closing = true;
		return;
	}
	if (!cmd[0])
		fputs("request must be a JSON object with a \"cmd\" string", rf);
	else
		ok = c->h(c->opaque, cmd, line, rf);
	fclose(rf);
	if (ok) {
		fputs("{\"ok\":true,\"result\":", f);
		fputs(reslen ? res : "null", f);
		fputs("}\n", f);
	} else {
		fputs("{\"ok\":false,\"error\":", f);
		json_put_str(f, res);
		fputs("}\n", f);
	}
	fclose(f);
	conn_append(k, buf, len);
	free(res);
	free(buf);
}

static void conn_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct conn *k = opaque;
	char *nl;
	ssize_t n;

	if (events & EPOLLOUT) {
		if (!conn_flush(k))
			return;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	n = recv(fd, k->in + k->inlen, sizeof(k->in) - k->inlen - 1, 0);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		if (k->outlen > k->outoff) {
			k->closing = true;
			conn_flush(k);
		} else {
			conn_free(k);
		}
		return;
	}
	if (n < 0)
		return;
	k->inlen += (size_t)n;
	k->in[k->inlen] = 0;
	while ((nl = memchr(k->in, '\n', k->inlen))) {
		size_t used = (size_t)(nl - k->in) + 1;

		*nl = 0;
		if (nl > k->in && nl[-1] == '\r')
			nl[-1] = 0;
		if (k->in[0])
			handle_line(k, k->in);
		memmove(k->in, k->in + used, k->inlen - used);
		k->inlen -= used;
		k->in[k->inlen] = 0;
	}
	if (k->inlen == sizeof(k->in) - 1) {
		static const char err[] = "{\"ok\":false,\"error\":\"request line too long\"}\n";

		conn_append(k, err, sizeof(err) - 1);
		k->closing = true;
	}
	conn_flush(k);
}

static void listen_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct control *c = opaque;
	struct conn *k;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (cfd < 0)
		return;
	if (c->nconns >= CONTROL_MAX_CONNS) {
		log_warn("control: too many connections, refusing one");
		close(cfd);
		return;
	}
	k = calloc(1, sizeof(*k));
	if (!k || ev_fd_add(loop, cfd, EPOLLIN, conn_cb, k) < 0) {
		free(k);
		close(cfd);
		return;
	}
	k->c = c;
	k->fd = cfd;
	k->next = c->conns;
	c->conns = k;
	c->nconns++;
}

static void make_parent_dirs(const char *path)
{
	char tmp[108];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(tmp, 0755);
			*p = '/';
		}
}

struct control *control_new(struct ev_loop *loop, const char *path, control_handler h,
			    void *opaque)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c;
	struct stat st;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("control socket path too long: %s", path);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = loop;
	c->h = h;
	c->opaque = opaque;
	snprintf(c->path, sizeof(c->path), "%s", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	make_parent_dirs(path);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("control socket %s exists and is not a socket", path);
			free(c);
			return NULL;
		}
		unlink(path);
	}
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->lfd < 0 || bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_err("control socket %s: %s", path, strerror(errno));
		if (c->lfd >= 0)
			close(c->lfd);
		free(c);
		return NULL;
	}
	if (chmod(path, 0600) < 0 || listen(c->lfd, 8) < 0 ||
	    ev_fd_add(loop, c->lfd, EPOLLIN, listen_cb, c) < 0) {
		log_err("control socket %s: %s", path, strerror(errno));
		close(c->lfd);
		unlink(path);
		free(c);
		return NULL;
	}
	return c;
}

void control_free(struct control *c)
{
	if (!c)
		return;
	while (c->conns)
		conn_free(c->conns);
	ev_fd_del(c->loop, c->lfd);
	close(c->lfd);
	unlink(c->path);
	free(c);
}

const char *control_path(const struct control *c)
{
	return c->path;
}
