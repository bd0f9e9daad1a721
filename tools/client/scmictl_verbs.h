/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scmictl's building blocks: one agent session (a connected scmi_client
 * plus output options), the call/print helpers, P2A message printing, the
 * convenience verbs ("clock list", "power on 2", "base info", ...) and the
 * control-socket queries. tools/scmictl.c is the command line on top.
 */
#ifndef SCMICTL_VERBS_H
#define SCMICTL_VERBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediator/scmi_msg.h"

struct scmi_client;

enum {
	SCMICTL_EXIT_OK = 0,
	SCMICTL_EXIT_STATUS = 1,  /* an SCMI error status / events missing */
	SCMICTL_EXIT_USAGE = 2,   /* usage, connection or transport error */
	SCMICTL_EXIT_CONN = 2,
	SCMICTL_NO_VERB = -1,     /* scmictl_verb(): no such verb */
};

struct scmictl {
	struct scmi_client *c;
	const char *sock;
	bool json;
	bool async;               /* verbs: ask for a delayed response */
	bool listen;
	int timeout_ms;
	int listen_ms;
	int count;                /* events: stop after this many (0: no limit) */
	unsigned events_seen;
	int32_t delayed_status;   /* of the last awaited delayed response */
};

/* Protocol by name ("clock"), alias or number ("0x14"). */
const struct scmi_proto_desc *scmictl_proto_lookup(const char *name);
/* Command name in lower case without the protocol prefix ("rate_get"),
 * in a static buffer. */
const char *scmictl_cmd_short(const struct scmi_proto_desc *p,
			      const struct scmi_cmd_desc *cmd);

/* One synchronous call; on a transport error prints it and returns -1. */
int scmictl_call(struct scmictl *x, uint8_t proto, uint8_t msg, const void *args,
		 size_t alen, int32_t *st, uint8_t *vals, size_t *vlen);
/* Print a table command's reply (status and decoded values). */
void scmictl_print_reply(struct scmictl *x, const struct scmi_proto_desc *p,
			 const struct scmi_cmd_desc *cmd, int32_t st,
			 const uint8_t *vals, size_t vlen);
/* Print a raw reply (hdr + status + values); returns the exit code. */
int scmictl_print_raw(struct scmictl *x, const uint8_t *resp, size_t len);
/* Print one P2A message (delayed response or notification). */
void scmictl_print_p2a(struct scmictl *x, const uint8_t *msg, size_t len);
/* Wait up to ms for P2A messages (x->count of them if set); exit code. */
int scmictl_events(struct scmictl *x, int ms);
/* Keep the session for ms, printing P2A messages; exit code. */
int scmictl_sleep(struct scmictl *x, int ms);
/* Wait for the delayed response of (proto, msg) and print it; exit code. */
int scmictl_wait_delayed(struct scmictl *x, uint8_t proto, uint8_t msg);

/* A convenience verb; returns an exit code or SCMICTL_NO_VERB. */
int scmictl_verb(struct scmictl *x, const struct scmi_proto_desc *p, const char *verb,
		 int argc, char **argv);

/* "status" or "platform-state" through the control socket (ctl NULL: the
 * default path); exit code. */
int scmictl_ctl(const char *ctl, const char *what, bool json);

#endif
