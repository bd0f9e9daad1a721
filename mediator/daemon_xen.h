/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's Xen side. Guests configured with socket=xen:DOMAIN-NAME
 * (config/mediator_cfg.h) are served by the Xen frontend (xen/frontend.h,
 * built with HAVE_XEN) instead of the daemon's socket frontend; the
 * control command
 *   {"cmd":"xen-attach","domid":N,"name":"NAME"[,"policy":"PATH"]}
 * (sent by tools/scmi-xl between `xl create -p` and `xl unpause`) asks it
 * to attach domain N now, and a guest's lifecycle actions reach its own
 * domain. struct daemon_xen_ops is what the daemon calls for all that:
 * the Xen frontend's ops in a Xen build, a fake in tests.
 */
#ifndef DAEMON_XEN_H
#define DAEMON_XEN_H

#include <stdbool.h>
#include <stdio.h>

#include "../xen/frontend.h"

struct daemon;
struct frontend;
struct frontend_ops;
struct mediator_cfg;

struct daemon_xen_ops {
	/* Serves the socket=xen:NAME guests (created with "xen:NAME"). */
	const struct frontend_ops *frontend;
	/* Attach domain domid's devices: number attached, -1 on error. */
	int (*attach)(unsigned domid);
	/* The domain whose device a guest's frontend serves, -1 if none. */
	int (*domid)(const struct frontend *fe);
	/* Power off / reboot that domain: 0, or -1 (logged). */
	int (*request)(unsigned domid, enum xen_guest_action a);
	/* "xen: ..." line for --version. */
	const char *(*version)(void);
};

/* The Xen frontend (xen/libxen/xen_daemon_fe.c) in a HAVE_XEN build,
 * NULL otherwise. */
const struct daemon_xen_ops *daemon_xen_builtin(void);
/* The --version line: x->version(), or "Xen frontend: not built". */
const char *daemon_xen_version(const struct daemon_xen_ops *x);

/* The xen-attach control command against configuration mc: writes the
 * JSON result {"guest":..,"domid":N,"devices":N} and returns true, or an
 * error message and false (no such guest, policy differing from the
 * configuration, no device found, no Xen frontend). */
bool daemon_xen_attach_cmd(const struct daemon_xen_ops *x, const struct mediator_cfg *mc,
			   const char *req, FILE *out);

/* Lifecycle action on the domain of the guest served by fe (a frontend of
 * x->frontend): 0, or -1 (not a Xen guest, no domain attached, refused). */
int daemon_xen_request(const struct daemon_xen_ops *x, const struct frontend_ops *fo,
		       const struct frontend *fe, enum xen_guest_action a);

/* The same for configured guest `name` of a running daemon (daemon.c). */
int daemon_guest_xen_request(struct daemon *d, const char *name, enum xen_guest_action a);

#endif
