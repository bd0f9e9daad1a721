// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMT agent state machine: per channel IDLE -> BUSY (command posted, reply
 * deadline armed) -> IDLE (reply validated and delivered). A deadline that
 * passes fails the command with COMMS_ERROR and leaves the channel STALE:
 * the late reply, if it ever comes, is discarded; if it does not come
 * within another timeout the agent takes the channel back (forced FREE).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "smt.h"
#include "../backend.h"
#include "../../mediator/evloop.h"
#include "../../mediator/log.h"
#include "../../mediator/scmi_msg.h"
#include "../../mediator/scmi_proto.h"

enum smt_state { SMT_IDLE, SMT_BUSY, SMT_STALE };

struct smt_req {
	size_t len, resp_max;
	uint8_t msg[SCMI_MSG_MAX];
};

struct smt_chan {
	struct smt_transport *t;
	unsigned idx;
	struct smt_chan_area area;
	enum smt_state state;
	uint32_t hdr;                /* header of the command in flight */
	size_t resp_max;
	bool ring_failed;
	uint64_t deadline;
	struct ev_timer *timer;
	uint64_t timer_at;
	struct smt_req q[SMT_QUEUE_MAX];
	unsigned qhead, qlen;
};

struct smt_transport {
	struct scmi_backend *b;
	struct smt_params p;
	unsigned nchan;
	struct log_ratelimit rl;
	struct smt_chan ch[];
};

/* ---- accessors ---------------------------------------------------------- */

uint32_t smt_rd32(const volatile uint8_t *area, size_t off)
{
	uint32_t v = __atomic_load_n((const volatile uint32_t *)(area + off), __ATOMIC_RELAXED);

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return le32toh(v);
}

void smt_wr32(volatile uint8_t *area, size_t off, uint32_t v)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n((volatile uint32_t *)(area + off), htole32(v), __ATOMIC_RELAXED);
}

void smt_rd_bytes(const volatile uint8_t *area, size_t off, uint8_t *dst, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = area[off + i];
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void smt_wr_bytes(volatile uint8_t *area, size_t off, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		area[off + i] = src[i];
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* ---- delivery ----------------------------------------------------------- */

static void deliver(struct smt_transport *t, unsigned chan, const uint8_t *msg, size_t len)
{
	if (t->b->rx)
		t->b->rx(t->b->rx_opaque, chan, msg, len);
}

static void deliver_error(struct smt_transport *t, unsigned chan, uint32_t hdr)
{
	uint8_t r[8];

	scmi_put_le32(r, hdr);
	scmi_put_le32(r + 4, (uint32_t)SCMI_COMMS_ERROR);
	deliver(t, chan, r, sizeof(r));
}

static void arm_timer(struct smt_chan *c);

static void post(struct smt_chan *c, const struct smt_req *r)
{
	struct smt_transport *t = c->t;
	volatile uint8_t *a = c->area.a2p;
	int err;

	c->hdr = scmi_get_le32(r->msg);
	c->resp_max = r->resp_max;
	c->state = SMT_BUSY;
	c->ring_failed = false;
	c->deadline = ev_now_ns() + t->p.timeout_ns;
	smt_wr32(a, SMT_OFF_STATUS, 0);
	smt_wr32(a, SMT_OFF_FLAGS, t->p.intr ? SMT_FLAG_INTR : 0);
	smt_wr32(a, SMT_OFF_LENGTH, (uint32_t)r->len);
	smt_wr_bytes(a, SMT_OFF_MSG, r->msg, r->len);
	err = t->p.ring(t->p.opaque, c->idx, SMT_BELL_A2P_CMD);
	if (err) {
		/* Fail it from the loop (never from inside send). */
		log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: doorbell failed: %s", t->p.name,
		       c->idx, strerror(-err));
		c->ring_failed = true;
		c->deadline = ev_now_ns();
	}
	arm_timer(c);
}

static void start_next(struct smt_chan *c)
{
	if (c->state != SMT_IDLE || !c->qlen)
		return;
	/* post() copies the message into the area before the slot is reused. */
	{
		struct smt_req *r = &c->q[c->qhead];

		c->qhead = (c->qhead + 1) % SMT_QUEUE_MAX;
		c->qlen--;
		post(c, r);
	}
}

/* ---- timers ------------------------------------------------------------- */

static void timer_cb(struct ev_loop *loop, void *opaque);

static void arm_timer(struct smt_chan *c)
{
	struct smt_transport *t = c->t;
	uint64_t want = UINT64_MAX;

	if (c->state != SMT_IDLE)
		want = c->deadline;
	if (t->p.poll_ns) {
		uint64_t p = ev_now_ns() + t->p.poll_ns;

		if (p < want)
			want = p;
	}
	if (c->timer && c->timer_at == want)
		return;
	if (c->timer)
		ev_timer_cancel(t->b->loop, c->timer);
	c->timer = NULL;
	if (want == UINT64_MAX)
		return;
	c->timer_at = want;
	c->timer = ev_timer_add(t->b->loop, want, timer_cb, c);
	if (!c->timer)
		log_rl(&t->rl, LOG_LVL_ERROR, "%s: channel %u: cannot arm a timer", t->p.name,
		       c->idx);
}

static void timer_cb(struct ev_loop *loop, void *opaque)
{
	struct smt_chan *c = opaque;
	struct smt_transport *t = c->t;
	uint64_t now;

	c->timer = NULL;
	if (t->p.poll_ns)
		smt_poll(t, c->idx);
	now = ev_now_ns();
	if (c->state == SMT_BUSY && now >= c->deadline) {
		if (c->ring_failed) {
			t->b->stats.errors++;
		} else {
			t->b->stats.timeouts++;
			log_rl(&t->rl, LOG_LVL_WARN,
			       "%s: channel %u: no reply to hdr 0x%08x within %llu ms", t->p.name,
			       c->idx, c->hdr, (unsigned long long)(t->p.timeout_ns / 1000000));
		}
		c->state = SMT_STALE;
		c->deadline = now + t->p.timeout_ns;
		if (c->ring_failed)
			c->deadline = now;
		deliver_error(t, c->idx, c->hdr);
	} else if (c->state == SMT_STALE && now >= c->deadline) {
		if (!c->ring_failed)
			log_rl(&t->rl, LOG_LVL_WARN,
			       "%s: channel %u: platform never freed the channel; taking it back",
			       t->p.name, c->idx);
		smt_wr32(c->area.a2p, SMT_OFF_STATUS, SMT_STATUS_FREE);
		c->state = SMT_IDLE;
		start_next(c);
	}
	arm_timer(c);
}

/* ---- completion --------------------------------------------------------- */

/* Validate the reply in the A2P area; fills buf and returns its length, or
 * 0 after counting and logging why it is unusable. */
static size_t fetch_reply(struct smt_chan *c, uint32_t status, uint8_t *buf)
{
	struct smt_transport *t = c->t;
	uint32_t len, hdr;

	if (status & SMT_STATUS_ERROR) {
		t->b->stats.errors++;
		log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: platform signalled an error for "
		       "hdr 0x%08x", t->p.name, c->idx, c->hdr);
		return 0;
	}
	len = smt_rd32(c->area.a2p, SMT_OFF_LENGTH);
	if (len < 8 || len > smt_msg_cap(c->area.size) || len > c->resp_max ||
	    len > SCMI_MSG_MAX) {
		t->b->stats.malformed++;
		log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: reply length %u to hdr 0x%08x "
		       "(limit %zu)", t->p.name, c->idx, len, c->hdr, c->resp_max);
		return 0;
	}
	smt_rd_bytes(c->area.a2p, SMT_OFF_MSG, buf, len);
	hdr = scmi_get_le32(buf);
	if (hdr != c->hdr) {
		t->b->stats.malformed++;
		log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: reply header 0x%08x does not match "
		       "command 0x%08x", t->p.name, c->idx, hdr, c->hdr);
		return 0;
	}
	return len;
}

static void poll_a2p(struct smt_chan *c)
{
	struct smt_transport *t = c->t;
	uint8_t buf[SCMI_MSG_MAX];
	uint32_t status;
	size_t len;

	if (c->state == SMT_IDLE)
		return;
	status = smt_rd32(c->area.a2p, SMT_OFF_STATUS);
	if (!(status & SMT_STATUS_FREE))
		return;
	if (c->state == SMT_STALE) {
		t->b->stats.dropped++;
		log_rl(&t->rl, LOG_LVL_INFO, "%s: channel %u: late reply to hdr 0x%08x discarded",
		       t->p.name, c->idx, c->hdr);
		c->state = SMT_IDLE;
	} else {
		len = fetch_reply(c, status, buf);
		c->state = SMT_IDLE;
		if (len) {
			t->b->stats.replies++;
			deliver(t, c->idx, buf, len);
		} else {
			deliver_error(t, c->idx, c->hdr);
		}
	}
	if (c->state == SMT_IDLE)
		start_next(c);
	arm_timer(c);
}

static void poll_p2a(struct smt_chan *c)
{
	struct smt_transport *t = c->t;
	volatile uint8_t *a = c->area.p2a;
	uint8_t buf[SCMI_MSG_MAX];
	uint32_t status, len, hdr;
	bool ok = false;
	int err;

	if (!a)
		return;
	status = smt_rd32(a, SMT_OFF_STATUS);
	if (status & SMT_STATUS_FREE)
		return;
	len = smt_rd32(a, SMT_OFF_LENGTH);
	if (status & SMT_STATUS_ERROR || len < 4 || len > smt_msg_cap(c->area.size) ||
	    len > SCMI_MSG_MAX) {
		t->b->stats.malformed++;
		log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: bad P2A message (status 0x%x, "
		       "length %u) discarded", t->p.name, c->idx, status, len);
	} else {
		smt_rd_bytes(a, SMT_OFF_MSG, buf, len);
		hdr = scmi_get_le32(buf);
		if (scmi_hdr_type(hdr) == SCMI_MSG_DELAYED_RESP && len >= 8) {
			t->b->stats.delayed++;
			ok = true;
		} else if (scmi_hdr_type(hdr) == SCMI_MSG_NOTIFICATION) {
			t->b->stats.notifications++;
			ok = true;
		} else {
			t->b->stats.malformed++;
			log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: P2A message with header "
			       "0x%08x (length %u) discarded", t->p.name, c->idx, hdr, len);
		}
	}
	/* Free the area before delivering: rx may take a while. */
	smt_wr32(a, SMT_OFF_STATUS, SMT_STATUS_FREE);
	err = t->p.ring(t->p.opaque, c->idx, SMT_BELL_P2A_ACK);
	if (err)
		log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u: P2A doorbell failed: %s",
		       t->p.name, c->idx, strerror(-err));
	if (ok)
		deliver(t, c->idx, buf, len);
}

void smt_poll(struct smt_transport *t, unsigned chan)
{
	if (!t || chan >= t->nchan)
		return;
	poll_a2p(&t->ch[chan]);
	poll_p2a(&t->ch[chan]);
}

void smt_poll_all(struct smt_transport *t)
{
	unsigned i;

	for (i = 0; t && i < t->nchan; i++)
		smt_poll(t, i);
}

/* ---- API ---------------------------------------------------------------- */

int smt_send(struct smt_transport *t, unsigned chan, const uint8_t *msg, size_t len,
	     size_t resp_max)
{
	struct smt_chan *c;
	struct smt_req *r;

	if (!t || chan >= t->nchan || !msg || len < 4 || resp_max < 8 ||
	    len > smt_msg_cap(t->ch[chan].area.size) || len > SCMI_MSG_MAX)
		return -EINVAL;
	c = &t->ch[chan];
	if (c->qlen >= t->p.queue_max)
		return -EAGAIN;
	r = &c->q[(c->qhead + c->qlen) % SMT_QUEUE_MAX];
	r->len = len;
	r->resp_max = resp_max;
	memcpy(r->msg, msg, len);
	c->qlen++;
	t->b->stats.sent++;
	start_next(c);
	return 0;
}

void smt_reset(struct smt_transport *t, unsigned chan)
{
	struct smt_chan *c;

	if (!t || chan >= t->nchan)
		return;
	c = &t->ch[chan];
	smt_wr32(c->area.a2p, SMT_OFF_STATUS, SMT_STATUS_FREE);
	if (c->area.p2a)
		smt_wr32(c->area.p2a, SMT_OFF_STATUS, SMT_STATUS_FREE);
	if (c->state == SMT_BUSY) {
		t->b->stats.errors++;
		deliver_error(t, chan, c->hdr);
	}
	c->state = SMT_IDLE;
	while (c->qlen) {
		struct smt_req *r = &c->q[c->qhead];

		c->qhead = (c->qhead + 1) % SMT_QUEUE_MAX;
		c->qlen--;
		t->b->stats.errors++;
		deliver_error(t, chan, scmi_get_le32(r->msg));
	}
	log_rl(&t->rl, LOG_LVL_WARN, "%s: channel %u reset", t->p.name, chan);
	arm_timer(c);
}

unsigned smt_pending(const struct smt_transport *t, unsigned chan)
{
	if (!t || chan >= t->nchan)
		return 0;
	return t->ch[chan].qlen + (t->ch[chan].state != SMT_IDLE);
}

struct smt_transport *smt_new(struct scmi_backend *b, unsigned nchan,
			      const struct smt_chan_area *areas, const struct smt_params *p)
{
	struct smt_transport *t;
	unsigned i;

	if (!b || !b->loop || !nchan || !areas || !p || !p->ring || !p->timeout_ns ||
	    !p->queue_max || p->queue_max > SMT_QUEUE_MAX)
		return NULL;
	for (i = 0; i < nchan; i++)
		if (!areas[i].a2p || areas[i].size < SMT_AREA_MIN)
			return NULL;
	t = calloc(1, sizeof(*t) + nchan * sizeof(t->ch[0]));
	if (!t)
		return NULL;
	t->b = b;
	t->p = *p;
	if (!t->p.name)
		t->p.name = "smt";
	t->nchan = nchan;
	t->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	for (i = 0; i < nchan; i++) {
		t->ch[i].t = t;
		t->ch[i].idx = i;
		t->ch[i].area = areas[i];
		smt_wr32(areas[i].a2p, SMT_OFF_STATUS, SMT_STATUS_FREE);
		arm_timer(&t->ch[i]);
	}
	return t;
}

void smt_free(struct smt_transport *t)
{
	unsigned i;

	if (!t)
		return;
	for (i = 0; i < t->nchan; i++)
		if (t->ch[i].timer)
			ev_timer_cancel(t->b->loop, t->ch[i].timer);
	free(t);
}
