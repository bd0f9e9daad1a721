/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scmi-mediator daemon: one event loop holding the backend, the
 * dispatcher, one agent + frontend per configured guest, and the control
 * socket. Usable in-process (tests) as well as from tools/scmi-mediator.
 *
 * Signals (when opts.signals): SIGTERM/SIGINT stop gracefully, SIGHUP
 * reloads the configuration.
 */
#ifndef DAEMON_H
#define DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct ev_loop;
struct daemon;
struct frontend_ops;
struct scmi_backend;
struct daemon_xen_ops;

#define SCMI_MEDIATOR_VERSION "0.1.0"

struct daemon_opts {
	const char *config;                 /* mediator config file */
	const struct frontend_ops *frontend;/* how guests connect */
	/* socket=xen:NAME guests and xen-attach (mediator/daemon_xen.h);
	 * NULL: daemon_xen_builtin() (none without HAVE_XEN). */
	const struct daemon_xen_ops *xen;
	int log_level;                      /* -1: from the config */
	int log_target;                     /* -1: from the config */
	bool signals;                       /* handle SIGTERM/SIGINT/SIGHUP via signalfd */
	uint64_t stop_timeout_ms;           /* graceful stop bound (0: 2000) */
};

/* Build everything; NULL on error (reported to err with file:line). */
struct daemon *daemon_new(const struct daemon_opts *o, FILE *err);
/* Run until stopped; returns 0 after a graceful stop. */
int daemon_run(struct daemon *d);
/* Begin a graceful stop: guests' new commands are refused, in-flight ones
 * get a bounded time to finish, then daemon_run() returns. */
void daemon_stop(struct daemon *d);
bool daemon_stopping(const struct daemon *d);
/* Re-read the configuration: add new guests, remove deleted ones, keep
 * unchanged ones. On error the running configuration stays; returns -1. */
int daemon_reload(struct daemon *d, FILE *err);
void daemon_free(struct daemon *d);

struct ev_loop *daemon_loop(struct daemon *d);
struct scmi_backend *daemon_backend(struct daemon *d);
unsigned daemon_num_guests(const struct daemon *d);
/* Guest commands not answered yet, over all guests. */
unsigned daemon_inflight(const struct daemon *d);

/* Control requests, as served on the control socket (tests, tools). */
void daemon_status_json(struct daemon *d, FILE *out);
bool daemon_control(struct daemon *d, const char *cmd, const char *req, FILE *out);

/* --check-config: the config file and the platform description it names. */
int daemon_check_config(const char *path, FILE *err);

#endif
