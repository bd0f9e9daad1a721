/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dispatcher: the mediator's side of the platform channels.
 *
 * Several clients (guest agents) share one backend channel, and therefore
 * one 10-bit token space. The dispatcher:
 *  - queues each client's commands and serves clients round-robin, with a
 *    cap on how many of one client's commands are at the platform at once;
 *  - gives every command sent a platform token that is not in flight
 *    (tokens of timed-out commands, or of commands whose client went away,
 *    stay reserved until the platform answers or a quarantine expires);
 *  - maps responses back to (client, cookie) with the client's own header;
 *  - keeps the token of an asynchronous command until its delayed response
 *    (or a timeout) and routes that to the same client;
 *  - tracks NOTIFY subscriptions per client: the platform sees the OR of
 *    them, notifications go to the clients that subscribed;
 *  - answers COMMS_ERROR when the platform does not reply in time;
 *  - stops sending on a channel while the backend reports -EAGAIN.
 * Callbacks are never made from inside disp_submit().
 */
#ifndef DISPATCHER_H
#define DISPATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct scmi_backend;
struct dispatcher;
struct disp_client;

struct disp_config {
	unsigned client_max_inflight;  /* one client's commands at the platform */
	unsigned client_max_queued;    /* queued + in flight, then -ENOSPC */
	uint64_t reply_timeout_ns;     /* platform response deadline */
	uint64_t dresp_timeout_ns;     /* delayed response deadline */
	uint64_t quarantine_ns;        /* a timed-out token stays reserved this long */
};
void disp_config_defaults(struct disp_config *c);

struct disp_client_ops {
	/* Response to a submitted command; resp starts with the header the
	 * client submitted (its token) and has len >= 8. resp is the
	 * dispatcher's buffer of cap (>= SCMI_MSG_MAX) bytes, valid during
	 * the call only: the client may rewrite it in place (a policy filter
	 * adjusting the response) instead of copying it. */
	void (*response)(void *opaque, uint64_t cookie, uint8_t *resp, size_t len,
			 size_t cap);
	/* A delayed response (client's token restored) or a notification the
	 * client subscribed to. */
	void (*p2a)(void *opaque, const uint8_t *msg, size_t len);
};

struct disp_client_stats {
	uint64_t commands;       /* submitted */
	uint64_t responses;      /* delivered (platform or local) */
	uint64_t errors;         /* non-SUCCESS statuses delivered */
	uint64_t timeouts;       /* COMMS_ERROR for a platform that did not answer */
	uint64_t delayed;        /* delayed responses delivered */
	uint64_t notifications;  /* notifications delivered */
	uint64_t rejected;       /* -ENOSPC: queue full */
};

struct disp_stats {
	uint64_t sent, backpressure, late, unexpected, malformed;
	uint64_t timeouts, dresp_timeouts, notif_unrouted, withdrawn;
	uint64_t resubscribed;   /* subscriptions renewed after platform resets */
};

struct dispatcher *disp_new(struct ev_loop *loop, struct scmi_backend *b,
			    const struct disp_config *cfg);
/* Frees the dispatcher; every client must have been freed. */
void disp_free(struct dispatcher *d);
const struct disp_stats *disp_stats(const struct dispatcher *d);
/* Tokens reserved on chan (in flight, awaiting a delayed response, or
 * quarantined). */
unsigned disp_tokens_in_use(const struct dispatcher *d, unsigned chan);
/* Commands of any client still queued or at the platform (for shutdown). */
unsigned disp_pending(const struct dispatcher *d);

struct disp_client *disp_client_new(struct dispatcher *d, unsigned chan, const char *name,
				    const struct disp_client_ops *ops, void *opaque);
/* Reset, then free. */
void disp_client_free(struct disp_client *c);
/* The client's guest went away or reset: queued commands are dropped,
 * commands at the platform are voided (their replies discarded, tokens
 * still reserved), subscriptions withdrawn (the platform is told to stop
 * events nobody else wants). No callback is made for voided commands. */
void disp_client_reset(struct disp_client *c);

/*
 * Submit a command (hdr + payload, 4 <= len <= backend max_msg). The
 * response (at most resp_max bytes, >= 8) comes through ops->response with
 * `cookie` (the client's, all 64 bits passed back unchanged). Returns 0
 * (sent, or queued), 1 (answered locally: *status is the
 * status to return, with no values; no callback follows), -ENOSPC (too many
 * queued for this client), -EINVAL (bad length or not a command).
 */
int disp_submit(struct disp_client *c, uint64_t cookie, const uint8_t *msg, size_t len,
		size_t resp_max, int32_t *status);

/*
 * A command of the mediator itself on chan, not tied to any client (e.g.
 * the policy layer withdrawing a departed guest's votes): served before
 * clients' commands, its response discarded. Returns 0, -EINVAL, -ENOMEM.
 */
int disp_submit_detached(struct dispatcher *d, unsigned chan, const uint8_t *msg, size_t len);
/*
 * The same, with done(opaque, hdr, status) called once with the platform's
 * status (hdr: the command's header as sent to the platform), or
 * COMMS_ERROR when the platform did not answer in time. Not called when
 * the dispatcher is freed first, nor after disp_forget_done(d, opaque).
 */
typedef void (*disp_done_fn)(void *opaque, uint32_t hdr, int32_t status);
int disp_submit_detached_cb(struct dispatcher *d, unsigned chan, const uint8_t *msg,
			    size_t len, disp_done_fn done, void *opaque);
void disp_forget_done(struct dispatcher *d, void *opaque);

/*
 * The platform behind chan was reset (it forgot the agent's
 * subscriptions): every subscription a client of chan holds is sent again
 * (once per event, as detached commands). Returns how many.
 */
unsigned disp_platform_reset(struct dispatcher *d, unsigned chan);

unsigned disp_client_chan(const struct disp_client *c);
const char *disp_client_name(const struct disp_client *c);
/* Commands queued + at the platform. */
unsigned disp_client_pending(const struct disp_client *c);
/* Commands at the platform only. */
unsigned disp_client_at_platform(const struct disp_client *c);
unsigned disp_client_subscriptions(const struct disp_client *c);
const struct disp_client_stats *disp_client_stats(const struct disp_client *c);

#endif
