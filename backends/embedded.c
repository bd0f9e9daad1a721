// SPDX-License-Identifier: GPL-2.0-only
/*
 * Embedded backend: runs the reference platform in-process. send() only
 * computes the reply and queues it; an eventfd (immediate replies) or a
 * timer (latency, platform timed events) makes the loop deliver it. The
 * platform writes the reply straight into the queued entry (pooled for
 * replies up to the size Linux asks for).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "embedded.h"
#include "platform/platform.h"
#include "../mediator/evloop.h"
#include "../mediator/log.h"
#include "../mediator/scmi_msg.h"

#define EB_SMALL SCMI_LINUX_MSG_SIZE  /* reply room recycled up to this size */
#define EB_POOL_MAX 256      /* recycled replies kept at most */

struct eb_reply {
	struct eb_reply *next;
	uint64_t when;
	unsigned chan;
	size_t len;
	size_t cap;                  /* room in msg[]: EB_SMALL (pooled) or more */
	uint8_t msg[];
};

struct embedded_backend {
	struct scmi_backend b;
	struct scmi_platform *p;
	int efd;
	bool kicked;
	struct ev_timer *timer;
	uint64_t timer_at;
	struct eb_reply *q;          /* sorted by delivery time */
	struct eb_reply *q_tail;     /* last of q: O(1) append in time order */
	struct log_ratelimit rl;
	struct eb_reply *pool;       /* freed small replies, for reuse */
	unsigned npool;
};

static const struct scmi_backend_ops embedded_ops;

static struct embedded_backend *to_eb(struct scmi_backend *b)
{
	return (struct embedded_backend *)b;
}

static void eb_kick(struct embedded_backend *eb)
{
	uint64_t one = 1;

	if (eb->kicked)
		return;
	if (write(eb->efd, &one, sizeof(one)) == sizeof(one))
		eb->kicked = true;
}

/* An entry with room for cap bytes of reply. */
static struct eb_reply *eb_reply_get(struct embedded_backend *eb, size_t cap)
{
	struct eb_reply *r;

	if (cap <= EB_SMALL) {
		r = eb->pool;
		if (r) {
			eb->pool = r->next;
			eb->npool--;
			return r;
		}
		cap = EB_SMALL;
	}
	r = malloc(sizeof(*r) + cap);
	if (r)
		r->cap = cap;
	return r;
}

static void eb_reply_put(struct embedded_backend *eb, struct eb_reply *r)
{
	if (r->cap != EB_SMALL || eb->npool >= EB_POOL_MAX) {
		free(r);
		return;
	}
	r->next = eb->pool;
	eb->pool = r;
	eb->npool++;
}

/* Queue r (its msg[] holds len bytes of reply) for delivery at when. */
static void eb_queue(struct embedded_backend *eb, struct eb_reply *r, unsigned chan,
		     uint64_t when, size_t len)
{
	struct eb_reply **pp;

	r->when = when;
	r->chan = chan;
	r->len = len;
	r->next = NULL;
	/* Replies almost always come in time order (same latency): append. */
	if (!eb->q || eb->q_tail->when <= when) {
		if (eb->q)
			eb->q_tail->next = r;
		else
			eb->q = r;
		eb->q_tail = r;
		return;
	}
	for (pp = &eb->q; (*pp)->when <= when; pp = &(*pp)->next)
		;
	r->next = *pp;
	*pp = r;
}

static void eb_service(struct embedded_backend *eb);

static void eb_timer_cb(struct ev_loop *loop, void *opaque)
{
	struct embedded_backend *eb = opaque;

	eb->timer = NULL;
	eb_service(eb);
}

static void eb_efd_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct embedded_backend *eb = opaque;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("embedded: eventfd read failed: %s", strerror(errno));
	eb->kicked = false;
	eb_service(eb);
}

static void eb_rearm(struct embedded_backend *eb)
{
	uint64_t next = plat_next_deadline(eb->p);

	if (eb->q && eb->q->when < next)
		next = eb->q->when;
	if (eb->timer && eb->timer_at == next)
		return;
	if (eb->timer)
		ev_timer_cancel(eb->b.loop, eb->timer);
	eb->timer = NULL;
	if (next == UINT64_MAX)
		return;
	eb->timer_at = next;
	eb->timer = ev_timer_add(eb->b.loop, next, eb_timer_cb, eb);
}

static void eb_deliver(struct embedded_backend *eb, unsigned chan, const uint8_t *msg,
		       size_t len)
{
	if (eb->b.rx)
		eb->b.rx(eb->b.rx_opaque, chan, msg, len);
}

static void eb_service(struct embedded_backend *eb)
{
	uint8_t buf[SCMI_MSG_MAX];
	uint64_t now = ev_now_ns();
	unsigned a, n = plat_num_agents(eb->p);
	size_t len;

	plat_set_time(eb->p, now);
	while (eb->q && eb->q->when <= now) {
		struct eb_reply *r = eb->q;

		eb->q = r->next;
		if (!eb->q)
			eb->q_tail = NULL;
		eb->b.stats.replies++;
		eb_deliver(eb, r->chan, r->msg, r->len);
		eb_reply_put(eb, r);
	}
	for (a = 1; a <= n; a++) {
		while ((len = plat_p2a_pop(eb->p, a, buf, sizeof(buf))) > 0) {
			if (len < 4) {
				eb->b.stats.malformed++;
				continue;
			}
			if (scmi_hdr_type(scmi_get_le32(buf)) == SCMI_MSG_DELAYED_RESP)
				eb->b.stats.delayed++;
			else
				eb->b.stats.notifications++;
			eb_deliver(eb, a - 1, buf, len);
		}
	}
	eb_rearm(eb);
}

static void status_only(uint8_t *r, uint32_t hdr, int32_t st)
{
	scmi_put_le32(r, hdr);
	scmi_put_le32(r + 4, (uint32_t)st);
}

static int eb_send(struct scmi_backend *b, unsigned chan, const uint8_t *msg, size_t len,
		   size_t resp_max)
{
	struct embedded_backend *eb = to_eb(b);
	uint8_t spare[SCMI_MSG_MAX];
	struct eb_reply *r;
	struct plat_reply out;
	uint64_t now = ev_now_ns();
	uint8_t *resp;
	size_t rlen;
	uint32_t hdr;

	if (chan >= b->nchannels || len < 4 || len > b->max_msg || resp_max < 8)
		return -EINVAL;
	if (resp_max > SCMI_MSG_MAX)
		resp_max = SCMI_MSG_MAX;
	hdr = scmi_get_le32(msg);
	/* the reply is written where it waits for delivery; without memory
	 * the platform still handles the command and the reply is lost */
	r = eb_reply_get(eb, resp_max);
	resp = r ? r->msg : spare;
	plat_set_time(eb->p, now);
	plat_handle(eb->p, chan + 1, msg, len, resp, resp_max, &out);
	b->stats.sent++;
	if (out.channel_error) {
		b->stats.errors++;
		log_rl(&eb->rl, LOG_LVL_WARN, "embedded: channel %u error for hdr 0x%08x", chan,
		       hdr);
		status_only(resp, hdr, SCMI_COMMS_ERROR);
		rlen = 8;
	} else if (!out.len) {
		/* The platform dropped it (fault injection): no reply at all. */
		b->stats.dropped++;
		log_rl(&eb->rl, LOG_LVL_WARN, "embedded: reply to hdr 0x%08x dropped", hdr);
		rlen = 0;
	} else if (out.len < 8 || out.len > resp_max) {
		b->stats.malformed++;
		log_rl(&eb->rl, LOG_LVL_WARN,
		       "embedded: reply of %zu bytes to hdr 0x%08x (limit %zu)", out.len, hdr,
		       resp_max);
		status_only(resp, hdr, SCMI_COMMS_ERROR);
		rlen = 8;
	} else {
		rlen = out.len;
	}
	if (!rlen) {
		if (r)
			eb_reply_put(eb, r);
	} else if (!r) {
		log_err("embedded: out of memory queueing a reply");
		b->stats.dropped++;
	} else {
		eb_queue(eb, r, chan, now + out.delay_ns, rlen);
	}
	/* Deliver from the loop, never from here. */
	eb_kick(eb);
	return 0;
}

static unsigned eb_max_inflight(struct scmi_backend *b, unsigned chan)
{
	return SCMI_TOKEN_MAX;
}

static void eb_destroy(struct scmi_backend *b)
{
	struct embedded_backend *eb = to_eb(b);

	ev_fd_del(b->loop, eb->efd);
	close(eb->efd);
	if (eb->timer)
		ev_timer_cancel(b->loop, eb->timer);
	while (eb->q) {
		struct eb_reply *r = eb->q;

		eb->q = r->next;
		free(r);
	}
	eb->q_tail = NULL;
	while (eb->pool) {
		struct eb_reply *r = eb->pool;

		eb->pool = r->next;
		free(r);
	}
	plat_free(eb->p);
	free(eb);
}

static const struct scmi_backend_ops embedded_ops = {
	.name = "embedded",
	.send = eb_send,
	.max_inflight = eb_max_inflight,
	.destroy = eb_destroy,
};

struct scmi_backend *embedded_backend_new(struct ev_loop *loop, struct scmi_platform *p)
{
	struct embedded_backend *eb;

	if (!p || !plat_num_agents(p))
		return NULL;
	eb = calloc(1, sizeof(*eb));
	if (!eb)
		return NULL;
	eb->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (eb->efd < 0 || ev_fd_add(loop, eb->efd, EPOLLIN, eb_efd_cb, eb) < 0) {
		if (eb->efd >= 0)
			close(eb->efd);
		free(eb);
		return NULL;
	}
	eb->b.ops = &embedded_ops;
	eb->b.loop = loop;
	eb->b.nchannels = plat_num_agents(p);
	eb->b.max_msg = SCMI_MSG_MAX;
	eb->p = p;
	eb->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	plat_set_time(p, ev_now_ns());
	eb_rearm(eb);
	return &eb->b;
}

bool backend_is_embedded(const struct scmi_backend *b)
{
	return b && b->ops == &embedded_ops;
}

struct scmi_platform *embedded_backend_platform(struct scmi_backend *b)
{
	return backend_is_embedded(b) ? to_eb(b)->p : NULL;
}

int embedded_backend_reset_platform(struct scmi_backend *b)
{
	struct embedded_backend *eb;

	if (!backend_is_embedded(b))
		return -1;
	eb = to_eb(b);
	if (plat_reset(eb->p) < 0) {
		log_err("embedded: the platform failed to come back from its reset");
		return -1;
	}
	plat_set_time(eb->p, ev_now_ns());
	log_info("embedded: platform reset");
	scmi_backend_platform_reset(b);
	return 0;
}
