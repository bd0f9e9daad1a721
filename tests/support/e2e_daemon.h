/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runs the real scmi-mediator program (from $BUILD_BIN) as a child process
 * for end-to-end tests: writes the mediator configuration and platform
 * description into a fresh temporary directory, starts the daemon, waits
 * for its sockets, and stops it with a signal, bounded in time.
 *
 * In the configuration texts "@DIR@" stands for the temporary directory.
 */
#ifndef E2E_DAEMON_H
#define E2E_DAEMON_H

#include <stdbool.h>
#include <sys/types.h>

#define E2E_MAX_GUESTS 8
#define E2E_PATH_MAX 108

struct e2e_daemon {
	pid_t pid;
	char dir[64];
	char cfg[E2E_PATH_MAX];
	char ctl[E2E_PATH_MAX];          /* control socket: @DIR@/control.sock */
	char log[E2E_PATH_MAX];          /* daemon stdout+stderr */
	unsigned nguests;
	char sock[E2E_MAX_GUESTS][E2E_PATH_MAX];   /* @DIR@/<guest name>.sock */
};

/*
 * Start a daemon whose guests are `names` (socket @DIR@/<name>.sock, agent
 * id i + 1 each, unless `guests_cfg` is given: then that text is the
 * "guests = [...]" part verbatim). platform: the platform description
 * text. extra: more mediator configuration lines, or NULL. Returns 0, or
 * -1 (with the reason and the daemon's log on stderr).
 */
int e2e_daemon_start(struct e2e_daemon *d, const char *platform, const char *const *names,
		     unsigned nguests, const char *guests_cfg, const char *extra);
/* Send sig and wait up to timeout_ms for the exit; SIGKILL after that.
 * Returns the exit status as waitpid() reports it, or -1. */
int e2e_daemon_stop(struct e2e_daemon *d, int sig, int timeout_ms);
/* Is the daemon still running? */
bool e2e_daemon_alive(struct e2e_daemon *d);
/* Stop (SIGKILL if still running) and remove the directory. */
void e2e_daemon_cleanup(struct e2e_daemon *d);
/* Print the daemon's log to stderr (on test failure). */
void e2e_daemon_dump_log(const struct e2e_daemon *d);

/* Whole file as a NUL-terminated string (malloc'd), NULL on error. */
char *e2e_slurp(const char *path);

/* One control request ({"cmd":"CMD"}); returns the answer line
 * (malloc'd, without the newline) or NULL. */
char *e2e_ctl(const struct e2e_daemon *d, const char *cmd);

/* Tiny JSON probes for the daemon's one-line answers (no full parser):
 * the object of array `array` ("key.key.array" to reach a nested one)
 * whose "id" is id; the text after "key":
 * inside the object starting at obj (NULL if absent). */
const char *e2e_json_elem(const char *json, const char *array, unsigned id);
const char *e2e_json_key(const char *obj, const char *key);
/* The element of `array` whose text starts with `first` after its '{'
 * (e.g. "\"name\":\"guest1\""). */
const char *e2e_json_elem_by(const char *json, const char *array, const char *first);
/* Numeric value of key in obj, or def when absent. */
long long e2e_json_num(const char *obj, const char *key, long long def);
/* 1 for true, 0 for false, -1 when absent or not a boolean. */
int e2e_json_bool(const char *obj, const char *key);

#endif
