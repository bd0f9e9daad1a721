/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One interface to reach the SCMI platform, several implementations
 * (embedded reference platform, SMT over socket/mailbox, SMC, linux-raw).
 *
 * A backend carries complete SCMI messages (le32 header + payload) on
 * numbered channels; channel N talks as one platform agent. The dispatcher
 * owns tokens: a backend returns the header of each response unchanged.
 * Responses, delayed responses and notifications come back through the rx
 * callback, always from an event-loop callback, never from inside send().
 * A backend that cannot obtain a reply (timeout, channel error, malformed
 * reply) delivers a status-only response with SCMI_COMMS_ERROR for that
 * request's header, and logs why.
 *
 * A backend that can observe a platform reset (the peer platform process
 * restarted, the firmware reset its channels...) calls
 * scmi_backend_platform_reset() once the channels work again, from the
 * loop, after the COMMS_ERROR answers of the commands the reset lost: the
 * platform forgot everything agents had set up (votes, subscriptions,
 * permissions), and the owner of on_reset puts it back.
 */
#ifndef BACKEND_H
#define BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ev_loop;
struct scmi_backend;

typedef void (*scmi_backend_rx_fn)(void *opaque, unsigned chan,
				   const uint8_t *msg, size_t len);
typedef void (*scmi_backend_reset_fn)(void *opaque);

struct scmi_backend_stats {
	uint64_t sent, replies, delayed, notifications;
	uint64_t timeouts, errors, malformed, dropped;
};

struct scmi_backend_ops {
	const char *name;
	/* Queue a command (hdr + payload, len >= 4) on chan. resp_max is the
	 * largest response (hdr + status + values) the requester accepts.
	 * Returns 0, -EAGAIN if the channel's queue is full, -EINVAL. */
	int (*send)(struct scmi_backend *b, unsigned chan, const uint8_t *msg,
		    size_t len, size_t resp_max);
	/* Commands the channel may hold at once (SMT: 1, embedded: many). */
	unsigned (*max_inflight)(struct scmi_backend *b, unsigned chan);
	void (*destroy)(struct scmi_backend *b);
};

struct scmi_backend {
	const struct scmi_backend_ops *ops;
	struct ev_loop *loop;
	unsigned nchannels;
	size_t max_msg;                 /* largest message a channel carries */
	scmi_backend_rx_fn rx;
	void *rx_opaque;
	scmi_backend_reset_fn on_reset;  /* optional; set by the backend's user */
	void *reset_opaque;
	struct scmi_backend_stats stats;
	uint64_t platform_resets;       /* resets reported */
};

static inline int scmi_backend_send(struct scmi_backend *b, unsigned chan,
				    const uint8_t *msg, size_t len, size_t resp_max)
{
	return b->ops->send(b, chan, msg, len, resp_max);
}
/* For backends: the platform was reset (see above). */
static inline void scmi_backend_platform_reset(struct scmi_backend *b)
{
	b->platform_resets++;
	if (b->on_reset)
		b->on_reset(b->reset_opaque);
}
static inline void scmi_backend_destroy(struct scmi_backend *b)
{
	if (b)
		b->ops->destroy(b);
}

#endif
