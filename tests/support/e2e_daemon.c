// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real daemon as a child process for end-to-end tests (e2e_daemon.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e_daemon.h"

static int write_file(const char *path, const char *text, const char *dir)
{
	FILE *f = fopen(path, "w");
	const char *p = text;

	if (!f)
		return -1;
	while (*p) {
		const char *at = strstr(p, "@DIR@");

		if (!at) {
			fputs(p, f);
			break;
		}
		fwrite(p, 1, (size_t)(at - p), f);
		fputs(dir, f);
		p = at + 5;
	}
	return fclose(f) ? -1 : 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void e2e_daemon_dump_log(const struct e2e_daemon *d)
{
	char buf[512];
	FILE *f = fopen(d->log, "r");
	size_t n;

	if (!f)
		return;
	fprintf(stderr, "---- daemon log %s ----\n", d->log);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
}

bool e2e_daemon_alive(struct e2e_daemon *d)
{
	int st;

	if (d->pid <= 0)
		return false;
	if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
		d->pid = -1;
		return false;
	}
	return true;
}

int e2e_daemon_start(struct e2e_daemon *d, const char *platform, const char *const *names,
		     unsigned nguests, const char *guests_cfg, const char *extra)
{
	const char *bin = getenv("BUILD_BIN");
	char prog[512], plat[E2E_PATH_MAX], *text = NULL;
	size_t tlen = 0;
	FILE *m;
	long end;

	memset(d, 0, sizeof(*d));
	d->pid = -1;
	signal(SIGPIPE, SIG_IGN);
	if (nguests > E2E_MAX_GUESTS)
		return -1;
	snprintf(prog, sizeof(prog), "%s/scmi-mediator", bin ? bin : "build/gcc/bin");
	snprintf(d->dir, sizeof(d->dir), "/tmp/scmi-e2e.XXXXXX");
	if (!mkdtemp(d->dir)) {
		perror("e2e: mkdtemp");
		return -1;
	}
	snprintf(d->cfg, sizeof(d->cfg), "%s/mediator.cfg", d->dir);
	snprintf(d->ctl, sizeof(d->ctl), "%s/control.sock", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/daemon.log", d->dir);
	snprintf(plat, sizeof(plat), "%s/platform.cfg", d->dir);
	d->nguests = nguests;
	for (unsigned i = 0; i < nguests; i++)
		snprintf(d->sock[i], sizeof(d->sock[i]), "%s/%s.sock", d->dir, names[i]);
	if (write_file(plat, platform, d->dir))
		return -1;

	m = open_memstream(&text, &tlen);
	if (!m)
		return -1;
	fprintf(m, "platform = \"embedded\"\nplatform_config = \"%s\"\n"
		"control_socket = \"%s\"\nlog_level = \"info\"\n", plat, d->ctl);
	if (guests_cfg) {
		fprintf(m, "%s\n", guests_cfg);
	} else {
		fputs("guests = [\n", m);
		for (unsigned i = 0; i < nguests; i++)
			fprintf(m, "  \"name=%s,socket=%s,agent_id=%u\",\n", names[i], d->sock[i],
				i + 1);
		fputs("]\n", m);
	}
	if (extra)
		fprintf(m, "%s\n", extra);
	fclose(m);
	if (write_file(d->cfg, text, d->dir)) {
		free(text);
		return -1;
	}
	free(text);

	d->pid = fork();
	if (d->pid < 0)
		return -1;
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(prog, prog, "-c", d->cfg, (char *)NULL);
		fprintf(stderr, "e2e: cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	end = now_ms() + 10000;
	for (unsigned i = 0; i <= nguests; i++) {
		const char *path = i < nguests ? d->sock[i] : d->ctl;
		struct stat st;

		while (stat(path, &st)) {
			if (!e2e_daemon_alive(d) || now_ms() > end) {
				fprintf(stderr, "e2e: daemon did not create %s\n", path);
				e2e_daemon_dump_log(d);
				return -1;
			}
			usleep(5000);
		}
	}
	return 0;
}

int e2e_daemon_stop(struct e2e_daemon *d, int sig, int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	int st;

	if (d->pid <= 0)
		return -1;
	kill(d->pid, sig);
	for (;;) {
		pid_t r = waitpid(d->pid, &st, WNOHANG);

		if (r == d->pid) {
			d->pid = -1;
			return st;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() > end) {
			fprintf(stderr, "e2e: daemon did not exit within %d ms, killing it\n",
				timeout_ms);
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &st, 0);
			d->pid = -1;
			return -1;
		}
		usleep(5000);
	}
}

void e2e_daemon_cleanup(struct e2e_daemon *d)
{
	char cmd[128];

	if (d->pid > 0)
		e2e_daemon_stop(d, SIGKILL, 5000);
	if (d->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "e2e: could not remove %s\n", d->dir);
		d->dir[0] = '\0';
	}
}

char *e2e_ctl(const struct e2e_daemon *d, const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[128], *buf = NULL;
	size_t len = 0, cap = 0;
	long end = now_ms() + 5000;
	int fd, n;

	if (strlen(d->ctl) >= sizeof(sa.sun_path))
		return NULL;
	strcpy(sa.sun_path, d->ctl);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	n = snprintf(req, sizeof(req), "{\"cmd\":\"%s\"}\n", cmd);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) || write(fd, req, (size_t)n) != n)
		goto fail;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char *nl;
		ssize_t r;

		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!nb)
				goto fail;
			buf = nb;
		}
		if (now_ms() > end || poll(&p, 1, 100) < 0)
			goto fail;
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			goto fail;
		len += (size_t)r;
		buf[len] = '\0';
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = '\0';
			close(fd);
			return buf;
		}
	}
fail:
	free(buf);
	close(fd);
	return NULL;
}

const char *e2e_json_elem(const char *json, const char *array, unsigned id)
{
	char want[32];

	snprintf(want, sizeof(want), "\"id\":%u,", id);
	return e2e_json_elem_by(json, array, want);
}

const char *e2e_json_elem_by(const char *json, const char *array, const char *first)
{
	char key[64], want[128];
	const char *p;
	int depth = 0;

	const char *dot;

	p = json;
	/* "a.b.c": object keys leading to the array */
	while (p && (dot = strchr(array, '.'))) {
		snprintf(key, sizeof(key), "\"%.*s\":", (int)(dot - array), array);
		p = strstr(p, key);
		array = dot + 1;
	}
	snprintf(key, sizeof(key), "\"%s\":[", array);
	snprintf(want, sizeof(want), "{%s", first);
	p = p ? strstr(p, key) : NULL;
	if (!p)
		return NULL;
	for (p += strlen(key); *p; p++) {
		if (*p == '[' || *p == '{') {
			if (depth == 0 && !strncmp(p, want, strlen(want)))
				return p;
			depth++;
		} else if (*p == ']' || *p == '}') {
			if (depth-- == 0)
				return NULL;
		}
	}
	return NULL;
}

const char *e2e_json_key(const char *obj, const char *key)
{
	char k[64];
	int depth = 0;
	size_t kl;

	if (!obj || *obj != '{')
		return NULL;
	kl = (size_t)snprintf(k, sizeof(k), "\"%s\":", key);
	for (const char *p = obj + 1; *p; p++) {
		if (depth == 0 && !strncmp(p, k, kl))
			return p + kl;
		if (*p == '"') {                /* skip strings */
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '[' || *p == '{') {
			depth++;
		} else if (*p == ']' || *p == '}') {
			if (depth-- == 0)
				return NULL;
		}
	}
	return NULL;
}

long long e2e_json_num(const char *obj, const char *key, long long def)
{
	const char *v = e2e_json_key(obj, key);
	char *end;
	long long x;

	if (!v)
		return def;
	x = strtoll(v, &end, 10);
	return end == v ? def : x;
}

int e2e_json_bool(const char *obj, const char *key)
{
	const char *v = e2e_json_key(obj, key);

	if (v && !strncmp(v, "true", 4))
		return 1;
	if (v && !strncmp(v, "false", 5))
		return 0;
	return -1;
}

char *e2e_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}
