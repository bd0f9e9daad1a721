/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Logging: four levels, to stderr (default) or to journald through its
 * native datagram protocol (falling back to stderr when the journal socket
 * is unreachable). Messages triggered by guests go through a rate limiter
 * so that a misbehaving guest cannot flood the log.
 */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN = 1,
	LOG_LVL_INFO = 2,
	LOG_LVL_DEBUG = 3,
};

enum log_target {
	LOG_TO_STDERR = 0,
	LOG_TO_JOURNALD = 1,
};

/* Select the target; returns 0, or -1 if journald is unreachable (the
 * logger then stays on stderr). */
int log_set_target(enum log_target t);
enum log_target log_get_target(void);
/* Journal socket path (tests); NULL restores /run/systemd/journal/socket.
 * Takes effect at the next log_set_target(LOG_TO_JOURNALD). */
void log_set_journal_socket(const char *path);
void log_set_level(enum log_level l);
enum log_level log_get_level(void);
/* Redirect stderr output (tests); NULL restores stderr. */
void log_set_stream(FILE *f);
/* Parse "error"/"warn"/"info"/"debug" (or 0..3); -1 if unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level l);
bool log_enabled(enum log_level l);

void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/*
 * Rate limiter: at most `burst` messages per `interval_ns`; the number of
 * suppressed messages is reported with the first message of the next
 * interval. Zero-initialise, then set burst/interval (or use
 * LOG_RATELIMIT_INIT).
 */
struct log_ratelimit {
	uint64_t interval_ns;
	unsigned burst;
	uint64_t begin;
	unsigned printed;
	uint64_t suppressed;
};
#define LOG_RATELIMIT_INIT { .interval_ns = 5000000000ull, .burst = 10 }

/* Returns true if the message was emitted. */
bool log_rl(struct log_ratelimit *rl, enum log_level l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
