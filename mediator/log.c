// SPDX-License-Identifier: GPL-2.0-only
/*
 * Logging to stderr or journald (native protocol: one datagram per entry
 * to /run/systemd/journal/socket, MESSAGE in the binary-safe form).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define LOG_IDENT "scmi-mediator"
#define LOG_LINE_MAX 1024

static enum log_level cur_level = LOG_LVL_INFO;
static enum log_target cur_target = LOG_TO_STDERR;
static FILE *cur_stream;
static int journal_fd = -1;
static const char *journal_path = JOURNAL_SOCKET;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void log_set_level(enum log_level l)
{
	if (l > LOG_LVL_DEBUG)
		l = LOG_LVL_DEBUG;
	cur_level = l;
}

enum log_level log_get_level(void)
{
	return cur_level;
}

void log_set_stream(FILE *f)
{
	cur_stream = f;
}

bool log_enabled(enum log_level l)
{
	return l <= cur_level;
}

const char *log_level_name(enum log_level l)
{
	return l <= LOG_LVL_DEBUG ? level_names[l] : "?";
}

int log_level_parse(const char *s)
{
	unsigned i;

	if (!s)
		return -1;
	for (i = 0; i <= LOG_LVL_DEBUG; i++)
		if (!strcmp(s, level_names[i]))
			return (int)i;
	if (!strcmp(s, "warning") || !strcmp(s, "err"))
		return s[0] == 'w' ? LOG_LVL_WARN : LOG_LVL_ERROR;
	if (s[0] >= '0' && s[0] <= '3' && !s[1])
		return s[0] - '0';
	return -1;
}

int log_set_target(enum log_target t)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (t == LOG_TO_STDERR) {
		if (journal_fd >= 0)
			close(journal_fd);
		journal_fd = -1;
		cur_target = LOG_TO_STDERR;
		return 0;
	}
	if (journal_fd < 0) {
		journal_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (journal_fd < 0)
			return -1;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", journal_path);
		if (connect(journal_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(journal_fd);
			journal_fd = -1;
			cur_target = LOG_TO_STDERR;
			return -1;
		}
	}
	cur_target = LOG_TO_JOURNALD;
	return 0;
}

void log_set_journal_socket(const char *path)
{
	journal_path = path ? path : JOURNAL_SOCKET;
}

enum log_target log_get_target(void)
{
	return cur_target;
}

static int journal_prio(enum log_level l)
{
	switch (l) {
	case LOG_LVL_ERROR: return 3;
	case LOG_LVL_WARN: return 4;
	case LOG_LVL_INFO: return 6;
	default: return 7;
	}
}

static int journal_send(enum log_level l, const char *msg, size_t len)
{
	char buf[LOG_LINE_MAX + 128];
	size_t n;
	uint64_t le = len;
	int i;

	n = (size_t)snprintf(buf, sizeof(buf), "PRIORITY=%d\nSYSLOG_IDENTIFIER=" LOG_IDENT
			     "\nMESSAGE\n", journal_prio(l));
	if (n + 8 + len + 1 > sizeof(buf))
		return -1;
	for (i = 0; i < 8; i++)
		buf[n + i] = (char)((le >> (8 * i)) & 0xff);
	n += 8;
	memcpy(buf + n, msg, len);
	n += len;
	buf[n++] = '\n';
	return send(journal_fd, buf, n, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static void log_emit(enum log_level l, const char *msg)
{
	FILE *f = cur_stream ? cur_stream : stderr;

	if (cur_target == LOG_TO_JOURNALD && journal_fd >= 0 &&
	    !journal_send(l, msg, strlen(msg)))
		return;
	fprintf(f, LOG_IDENT ": %s: %s\n", level_names[l], msg);
	fflush(f);
}

static void __attribute__((format(printf, 2, 0)))
log_vmsg(enum log_level l, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];

	vsnprintf(line, sizeof(line), fmt, ap);
	log_emit(l, line);
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(l))
		return;
	va_start(ap, fmt);
	log_vmsg(l, fmt, ap);
	va_end(ap);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool log_rl(struct log_ratelimit *rl, enum log_level l, const char *fmt, ...)
{
	uint64_t now;
	va_list ap;

	if (!log_enabled(l))
		return false;
	if (!rl->interval_ns)
		rl->interval_ns = 5000000000ull;
	if (!rl->burst)
		rl->burst = 10;
	now = mono_ns();
	if (!rl->begin || now - rl->begin >= rl->interval_ns) {
		if (rl->suppressed)
			log_msg(l, "(%llu similar messages suppressed)",
				(unsigned long long)rl->suppressed);
		rl->begin = now;
		rl->printed = 0;
		rl->suppressed = 0;
	}
	if (rl->printed >= rl->burst) {
		rl->suppressed++;
		return false;
	}
	rl->printed++;
	va_start(ap, fmt);
	log_vmsg(l, fmt, ap);
	va_end(ap);
	return true;
}
