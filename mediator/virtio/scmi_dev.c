// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-scmi device model: see scmi_dev.h and docs/virtio.md.
 *
 * cmdq: each popped chain is checked, its request copied out and handed
 * to the core with a cookie naming an in-flight slot. A slot records the
 * chain head, the request header and the guest addresses of the writable
 * segments (covering at most SCMI_MSG_MAX bytes), never host pointers:
 * the frontend may remap guest memory while a command is in flight, so
 * the reply is translated again when it is written. Slots live in a
 * fixed array of SCMI_DEV_MAX_QUEUE_SIZE; nothing is allocated per command.
 *
 * eventq: buffers are popped only when a message is ready to go, so the
 * ring itself is the store of posted buffers and a stopped queue never
 * loses any. Messages without a buffer wait in one FIFO (delayed
 * responses never dropped, notifications bounded and coalesced).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "scmi_dev.h"
#include "virtqueue.h"

#define SLOT_BITS 10
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define SEQ_MASK (0xffffffffu >> SLOT_BITS)
#define NO_SLOT 0xffffu
#define WSEGS 8

_Static_assert(SCMI_DEV_MAX_QUEUE_SIZE <= (1u << SLOT_BITS), "slot index must fit the cookie");
_Static_assert(SCMI_MSG_MAX <= 0xffff, "lengths are stored as u16");
/* in_len >= 8 then always leaves >= 8 bytes in the recorded segments */
_Static_assert(WSEGS >= 8, "a reply needs 8 bytes even in 1-byte pieces");

/* Where a reply goes: up to WSEGS writable guest ranges. */
struct wsegs {
	uint8_t n;
	uint16_t max;                /* sum of len[], <= SCMI_MSG_MAX */
	uint16_t len[WSEGS];
	uint64_t gpa[WSEGS];
};

struct slot {
	uint32_t seq;                /* generation, part of the cookie */
	uint32_t hdr;                /* request header (for error replies) */
	uint16_t head;
	uint16_t next_free;
	bool busy;
	struct wsegs w;
};

struct held {
	struct held *next;
	uint16_t len;
	uint16_t cap;
	uint8_t type;
	uint8_t msg[];
};

struct scmi_dev {
	struct gmem *gm;
	const struct scmi_dev_ops *ops;
	void *ops_opaque;
	const struct scmi_dev_frontend_ops *fops;
	void *fops_opaque;
	char name[32];

	bool p2a_offered;
	uint64_t features;
	struct vq vq[2];
	bool needs_reset;
	bool in_kick;                /* processing the cmdq: batch notifications */
	bool stalled;                /* stopped popping: every slot busy */
	struct ev_loop *loop;        /* for deferred cmdq passes, or NULL */
	struct ev_timer *rekick;     /* a deferred cmdq pass is scheduled */
	struct ev_timer *ev_rekick;  /* a deferred eventq flush is scheduled */
	bool notify_pending[2];

	unsigned inflight;
	uint16_t free_head;

	struct held *held_head, **held_tail;
	unsigned held_delayed, held_notif;

	struct scmi_dev_stats st;
	struct log_ratelimit rl;
	struct slot slot[SCMI_DEV_MAX_QUEUE_SIZE];
};

/* ---- logging ------------------------------------------------------------ */
/* Guest-triggered messages: rate-limited per device (log.h). */
static void __attribute__((format(printf, 2, 3)))
dev_log(struct scmi_dev *dev, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!log_enabled(LOG_LVL_WARN))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_rl(&dev->rl, LOG_LVL_WARN, "virtio-scmi[%s]: %s", dev->name, line);
}

/* ---- slots -------------------------------------------------------------- */
static void slots_init(struct scmi_dev *dev)
{
	unsigned i;

	for (i = 0; i < SCMI_DEV_MAX_QUEUE_SIZE; i++) {
		struct slot *s = &dev->slot[i];

		if (s->busy)
			s->seq = (s->seq + 1) & SEQ_MASK;
		s->busy = false;
		s->next_free = (uint16_t)(i + 1 < SCMI_DEV_MAX_QUEUE_SIZE ? i + 1 : NO_SLOT);
	}
	dev->free_head = 0;
	dev->inflight = 0;
}

static struct slot *slot_alloc(struct scmi_dev *dev)
{
	struct slot *s;

	if (dev->free_head == NO_SLOT)
		return NULL;
	s = &dev->slot[dev->free_head];
	dev->free_head = s->next_free;
	s->busy = true;
	dev->inflight++;
	return s;
}

static void slot_free(struct scmi_dev *dev, struct slot *s)
{
	s->busy = false;
	s->seq = (s->seq + 1) & SEQ_MASK;
	s->next_free = dev->free_head;
	dev->free_head = (uint16_t)(s - dev->slot);
	dev->inflight--;
}

static uint32_t slot_cookie(struct scmi_dev *dev, const struct slot *s)
{
	return (s->seq << SLOT_BITS) | (uint32_t)(s - dev->slot);
}

/* ---- guest memory copies ------------------------------------------------- */
/* Copy up to len readable bytes of the chain into buf. */
static size_t copy_out(struct scmi_dev *dev, const struct vq_chain *c, uint8_t *buf, size_t len)
{
	size_t done = 0;
	unsigned i;

	for (i = 0; i < c->n_out && done < len; i++) {
		size_t n = c->seg[i].len < len - done ? c->seg[i].len : len - done;
		void *p = gmem_get(dev->gm, c->seg[i].gpa, n, GMEM_READ);

		if (!p)
			break;
		memcpy(buf + done, p, n);
		gmem_put(dev->gm, p, n);
		done += n;
	}
	return done;
}

/* Record the writable segments covering the first SCMI_MSG_MAX bytes. */
static void wsegs_from_chain(struct wsegs *w, const struct vq_chain *c)
{
	unsigned i, end = c->n_out + c->n_in, n = 0;
	uint32_t max = 0;

	for (i = c->n_out; i < end && n < WSEGS; i++) {
		uint32_t room = SCMI_MSG_MAX - max;
		uint32_t len = c->seg[i].len < room ? c->seg[i].len : room;

		if (len == 0)
			break;
		w->gpa[n] = c->seg[i].gpa;
		w->len[n] = (uint16_t)len;
		n++;
		max += len;
	}
	w->n = (uint8_t)n;
	w->max = (uint16_t)max;
}

/* Scatter len (<= w->max) bytes; returns bytes written, or 0 if guest
 * memory is no longer mapped there. */
static size_t copy_in(struct scmi_dev *dev, const struct wsegs *w, const uint8_t *buf,
		      size_t len)
{
	size_t done = 0;
	unsigned i;

	for (i = 0; i < w->n && done < len; i++) {
		size_t n = w->len[i] < len - done ? w->len[i] : len - done;
		void *p = gmem_get(dev->gm, w->gpa[i], n, GMEM_WRITE);

		if (!p)
			return 0;
		memcpy(p, buf + done, n);
		gmem_put(dev->gm, p, n);
		done += n;
	}
	return done;
}

/* ---- notifications -------------------------------------------------------- */
static void notify(struct scmi_dev *dev, unsigned q)
{
	dev->notify_pending[q] = false;
	if (vq_should_notify(&dev->vq[q]) && dev->fops && dev->fops->notify)
		dev->fops->notify(dev->fops_opaque, q);
}

static void pushed(struct scmi_dev *dev, unsigned q)
{
	if (dev->in_kick && q == SCMI_DEV_CMDQ)
		dev->notify_pending[q] = true;
	else
		notify(dev, q);
}

/* ---- cmdq ---------------------------------------------------------------- */
static void cmdq_error(struct scmi_dev *dev, const struct vq_chain *c, const char *why)
{
	uint8_t reply[8], hdr[4] = { 0, 0, 0, 0 };
	struct wsegs w;
	size_t len = 0;

	if (c->out_len >= 4 && copy_out(dev, c, hdr, 4) != 4)
		memset(hdr, 0, sizeof(hdr));
	wsegs_from_chain(&w, c);
	if (w.max >= 8) {
		memcpy(reply, hdr, 4);
		scmi_put_le32(reply + 4, (uint32_t)SCMI_PROTOCOL_ERROR);
		len = copy_in(dev, &w, reply, 8);
	}
	dev_log(dev, "cmdq: malformed chain (head %u, hdr 0x%08x): %s; %s", c->head,
		scmi_get_le32(hdr), why, len ? "PROTOCOL_ERROR reply" : "returned with len 0");
	vq_push(&dev->vq[SCMI_DEV_CMDQ], c->head, (uint32_t)len);
	dev->st.malformed++;
	dev->st.completed++;
	pushed(dev, SCMI_DEV_CMDQ);
}

static void cmdq_chain(struct scmi_dev *dev, const struct vq_chain *c)
{
	uint8_t req[SCMI_MSG_MAX];
	const char *why = NULL;
	struct slot *s;
	uint32_t cookie;
	size_t resp_max;

	if (c->err)
		why = vq_err_str(c->err);
	else if (c->n_in == 0)
		why = "no device-writable part";
	else if (c->out_len < 4)
		why = "request shorter than 4 bytes";
	else if (c->out_len > SCMI_MSG_MAX)
		why = "request longer than SCMI_MSG_MAX";
	else if (c->in_len < 8)
		why = "device-writable part shorter than 8 bytes";
	if (why) {
		cmdq_error(dev, c, why);
		return;
	}

	s = slot_alloc(dev);        /* the caller checked one is free */
	wsegs_from_chain(&s->w, c);  /* >= 8 bytes: WSEGS non-empty segments */
	if (copy_out(dev, c, req, c->out_len) != c->out_len)
		why = "request not readable";
	if (why) {
		slot_free(dev, s);
		cmdq_error(dev, c, why);
		return;
	}
	s->head = c->head;
	s->hdr = scmi_get_le32(req);
	resp_max = s->w.max;
	cookie = slot_cookie(dev, s);
	dev->st.commands++;
	dev->ops->command(dev->ops_opaque, cookie, req, c->out_len, resp_max);
}

static void cmdq_process(struct scmi_dev *dev);

static void rekick_cb(struct ev_loop *loop, void *opaque)
{
	struct scmi_dev *dev = opaque;

	(void)loop;
	dev->rekick = NULL;
	cmdq_process(dev);
}

/*
 * One pass takes at most as many chains as the queue has entries. A
 * driver can keep the available ring ahead of the device for ever (another
 * vCPU publishing, or replies written over its own avail ring), and core
 * answers can be synchronous (cache, policy), so an unbounded pass would
 * keep the one event loop, and every other guest, waiting. The rest is
 * taken in a later pass: scheduled on the loop when there is one (other
 * guests' events are served in between), else on the next kick.
 */
static void cmdq_process(struct scmi_dev *dev)
{
	struct vq *vq = &dev->vq[SCMI_DEV_CMDQ];
	struct vq_chain c;
	unsigned budget = vq->num;

	if (dev->in_kick)
		return;         /* the running loop will see new entries */
	dev->in_kick = true;
	dev->stalled = false;
	for (;;) {
		enum vq_pop r;

		if (dev->free_head == NO_SLOT) {
			/* only a driver reusing heads in flight gets here */
			dev->stalled = true;
			break;
		}
		if (!budget--) {
			dev->st.deferred_passes++;
			if (dev->loop) {
				if (!dev->rekick)
					dev->rekick = ev_timer_add(dev->loop, 0, rekick_cb, dev);
				if (dev->rekick)
					break;
			} else {
				vq_enable_kick(vq);
				break;
			}
			budget = vq->num;       /* no timer: carry on rather than stall */
		}
		r = vq_pop(vq, &c);
		if (r == VQ_POP_CHAIN) {
			cmdq_chain(dev, &c);
			continue;
		}
		if (r == VQ_POP_DROP) {
			dev->st.dropped_chains++;
			dev_log(dev, "cmdq: available entry names descriptor >= %u; dropped",
				vq->num);
			continue;
		}
		if (r == VQ_POP_BROKEN) {
			if (!dev->needs_reset)
				dev_log(dev, "cmdq: driver published more than %u new entries; "
					"queue stopped until reset", vq->num);
			dev->needs_reset = true;
			break;
		}
		if (!vq_enable_kick(vq))
			break;
	}
	dev->in_kick = false;
	if (dev->notify_pending[SCMI_DEV_CMDQ])
		notify(dev, SCMI_DEV_CMDQ);
}

static void rekick_cancel(struct scmi_dev *dev)
{
	if (dev->rekick) {
		ev_timer_cancel(dev->loop, dev->rekick);
		dev->rekick = NULL;
	}
	if (dev->ev_rekick) {
		ev_timer_cancel(dev->loop, dev->ev_rekick);
		dev->ev_rekick = NULL;
	}
}

void scmi_dev_set_loop(struct scmi_dev *dev, struct ev_loop *loop)
{
	rekick_cancel(dev);
	dev->loop = loop;
}

void scmi_dev_complete(struct scmi_dev *dev, uint32_t cookie, const uint8_t *resp, size_t len)
{
	uint32_t idx = cookie & SLOT_MASK;
	uint8_t err_reply[8];
	struct slot *s;
	struct vq *vq = &dev->vq[SCMI_DEV_CMDQ];
	const struct wsegs *w;
	uint16_t head;
	size_t n;

	if (idx >= SCMI_DEV_MAX_QUEUE_SIZE || !dev->slot[idx].busy ||
	    dev->slot[idx].seq != cookie >> SLOT_BITS) {
		dev->st.stale_completions++;
		return;
	}
	s = &dev->slot[idx];
	head = s->head;
	w = &s->w;      /* read before the slot is freed */
	if (!resp || len < 8) {
		log_err("virtio-scmi[%s]: core reply of %zu bytes for hdr 0x%08x; "
			"sending GENERIC_ERROR", dev->name, resp ? len : 0, s->hdr);
		scmi_put_le32(err_reply, s->hdr);
		scmi_put_le32(err_reply + 4, (uint32_t)SCMI_GENERIC_ERROR);
		resp = err_reply;
		len = 8;
	}

	if (scmi_get_le32(resp + 4) != (uint32_t)SCMI_SUCCESS)
		len = 8;        /* non-SUCCESS: hdr + status only */
	if (len > w->max) {
		dev->st.truncated++;
		dev_log(dev, "cmdq: reply of %zu bytes cut to the guest's %u writable bytes",
			len, w->max);
		len = w->max;
	}
	if (!vq->ready) {
		slot_free(dev, s);
		dev->st.dropped_chains++;
		dev_log(dev, "cmdq: reply for head %u discarded: queue stopped", head);
	} else {
		n = copy_in(dev, w, resp, len);
		/* free before the used entry is published, as the driver may
		 * re-post the head at once */
		slot_free(dev, s);
		if (n != len)
			dev_log(dev, "cmdq: reply buffer of head %u no longer in guest memory",
				head);
		vq_push(vq, head, (uint32_t)n);
		dev->st.completed++;
		pushed(dev, SCMI_DEV_CMDQ);
	}
	if (dev->stalled)
		cmdq_process(dev);
}

/* ---- eventq -------------------------------------------------------------- */
/* Put one message into the next usable eventq buffer. Returns false if
 * none is available, or when *budget buffers have been taken (unusable
 * ones included) in this flush: like a cmdq pass, an eventq flush is
 * bounded, since a driver can keep its avail ring ahead for ever (even
 * through the used elements the device writes, if it laid the used ring
 * over its avail ring). */
static bool event_deliver(struct scmi_dev *dev, const uint8_t *msg, size_t len,
			  unsigned *budget)
{
	struct vq *vq = &dev->vq[SCMI_DEV_EVENTQ];
	struct vq_chain c;

	for (;;) {
		enum vq_pop r;
		struct wsegs w;
		const char *why = NULL;

		if (!*budget)
			return false;
		r = vq_pop(vq, &c);
		if (r == VQ_POP_EMPTY)
			return false;
		(*budget)--;
		if (r == VQ_POP_BROKEN) {
			if (!dev->needs_reset)
				dev_log(dev, "eventq: driver published more than %u new entries; "
					"queue stopped until reset", vq->num);
			dev->needs_reset = true;
			return false;
		}
		if (r == VQ_POP_DROP) {
			dev->st.dropped_chains++;
			dev_log(dev, "eventq: available entry names descriptor >= %u; dropped",
				vq->num);
			continue;
		}
		if (c.err)
			why = vq_err_str(c.err);
		else if (c.n_out)
			why = "device-readable eventq buffer";
		wsegs_from_chain(&w, &c);
		if (!why && w.max < len)
			why = "eventq buffer too small";
		if (!why && copy_in(dev, &w, msg, len) != len)
			why = "eventq buffer no longer in guest memory";
		if (why) {
			dev_log(dev, "eventq: head %u returned with len 0: %s", c.head, why);
			dev->st.malformed++;
			vq_push(vq, c.head, 0);
			dev->notify_pending[SCMI_DEV_EVENTQ] = true;
			continue;
		}
		vq_push(vq, c.head, (uint32_t)len);
		dev->st.events_sent++;
		dev->notify_pending[SCMI_DEV_EVENTQ] = true;
		return true;
	}
}

static void held_unlink_head(struct scmi_dev *dev)
{
	struct held *h = dev->held_head;

	dev->held_head = h->next;
	if (!dev->held_head)
		dev->held_tail = &dev->held_head;
	if (h->type == SCMI_MSG_DELAYED_RESP)
		dev->held_delayed--;
	else
		dev->held_notif--;
	free(h);
}

static void held_clear(struct scmi_dev *dev)
{
	while (dev->held_head)
		held_unlink_head(dev);
}

static void eventq_flush(struct scmi_dev *dev);

static void eventq_rekick_cb(struct ev_loop *loop, void *opaque)
{
	struct scmi_dev *dev = opaque;

	(void)loop;
	dev->ev_rekick = NULL;
	eventq_flush(dev);
}

static void eventq_flush(struct scmi_dev *dev)
{
	struct vq *vq = &dev->vq[SCMI_DEV_EVENTQ];
	unsigned budget = vq->num;

	if (!(dev->features & (1ull << VIRTIO_SCMI_F_P2A_CHANNELS)))
		return;
	for (;;) {
		while (dev->held_head &&
		       event_deliver(dev, dev->held_head->msg, dev->held_head->len, &budget))
			held_unlink_head(dev);
		if (dev->held_head && !budget) {
			/* the rest in a later flush (scheduled when there is a loop) */
			dev->st.deferred_passes++;
			if (dev->loop && !dev->ev_rekick)
				dev->ev_rekick = ev_timer_add(dev->loop, 0, eventq_rekick_cb, dev);
			vq_enable_kick(vq);
			break;
		}
		/* still waiting: ask for a kick when buffers come */
		if (!dev->held_head || !vq_enable_kick(vq))
			break;
	}
	if (dev->notify_pending[SCMI_DEV_EVENTQ])
		notify(dev, SCMI_DEV_EVENTQ);
}

/* Notifications about the same thing: same header and the same first two
 * payload words (agent id, resource id in every SCMI notification). */
static bool same_notification(const struct held *h, const uint8_t *msg, size_t len)
{
	size_t key = len < 12 ? len : 12;
	size_t hkey = h->len < 12 ? h->len : 12;

	return h->type == SCMI_MSG_NOTIFICATION && key == hkey && !memcmp(h->msg, msg, key);
}

static int event_hold(struct scmi_dev *dev, uint8_t type, const uint8_t *msg, size_t len)
{
	struct held *h, **pp;

	if (type == SCMI_MSG_NOTIFICATION) {
		for (pp = &dev->held_head; *pp; pp = &(*pp)->next) {
			h = *pp;
			if (!same_notification(h, msg, len))
				continue;
			if (len > h->cap) {
				struct held *n = realloc(h, sizeof(*h) + len);

				if (!n)
					break;
				h = n;
				h->cap = (uint16_t)len;
				*pp = h;
				if (!h->next)
					dev->held_tail = &h->next;
			}
			memcpy(h->msg, msg, len);
			h->len = (uint16_t)len;
			return 0;       /* coalesced: the latest data wins */
		}
		if (dev->held_notif >= SCMI_DEV_HELD_NOTIF_MAX) {
			dev->st.notifications_dropped++;
			return -1;
		}
	} else if (dev->held_delayed >= SCMI_DEV_HELD_DELAYED_MAX) {
		dev->st.delayed_dropped++;
		dev_log(dev, "eventq: %u delayed responses already wait for buffers; "
			"hdr 0x%08x refused", dev->held_delayed, scmi_get_le32(msg));
		return -1;
	}
	h = malloc(sizeof(*h) + len);
	if (!h) {
		if (type == SCMI_MSG_NOTIFICATION)
			dev->st.notifications_dropped++;
		else
			dev->st.delayed_dropped++;
		log_err("virtio-scmi[%s]: out of memory holding an event", dev->name);
		return -1;
	}
	h->next = NULL;
	h->len = h->cap = (uint16_t)len;
	h->type = type;
	memcpy(h->msg, msg, len);
	*dev->held_tail = h;
	dev->held_tail = &h->next;
	if (type == SCMI_MSG_NOTIFICATION) {
		dev->held_notif++;
	} else {
		dev->held_delayed++;
		dev->st.delayed_held++;
	}
	return 0;
}

int scmi_dev_event(struct scmi_dev *dev, const uint8_t *msg, size_t len)
{
	uint8_t type;
	unsigned budget;
	int ret;

	if (!msg || len < 4 || len > SCMI_MSG_MAX) {
		log_err("virtio-scmi[%s]: core event of %zu bytes refused", dev->name,
			msg ? len : 0);
		return -1;
	}
	type = scmi_hdr_type(scmi_get_le32(msg));
	if (type != SCMI_MSG_DELAYED_RESP && type != SCMI_MSG_NOTIFICATION) {
		log_err("virtio-scmi[%s]: core event hdr 0x%08x is not a delayed "
			"response or notification", dev->name, scmi_get_le32(msg));
		return -1;
	}
	if (!(dev->features & (1ull << VIRTIO_SCMI_F_P2A_CHANNELS))) {
		if (type == SCMI_MSG_NOTIFICATION)
			dev->st.notifications_dropped++;
		else
			dev->st.delayed_dropped++;
		return -1;
	}
	/* keep the order: nothing overtakes held messages */
	budget = dev->vq[SCMI_DEV_EVENTQ].num;
	if (!dev->held_head && event_deliver(dev, msg, len, &budget)) {
		notify(dev, SCMI_DEV_EVENTQ);
		return 0;
	}
	ret = event_hold(dev, type, msg, len);
	eventq_flush(dev);
	return ret;
}

/* ---- device -------------------------------------------------------------- */
struct scmi_dev *scmi_dev_new(struct gmem *gm,
			      const struct scmi_dev_ops *ops, void *ops_opaque,
			      const struct scmi_dev_frontend_ops *fops, void *fops_opaque)
{
	struct scmi_dev *dev;

	if (!gm || !ops || !ops->command)
		return NULL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	dev->gm = gm;
	dev->ops = ops;
	dev->ops_opaque = ops_opaque;
	dev->fops = fops;
	dev->fops_opaque = fops_opaque;
	snprintf(dev->name, sizeof(dev->name), "%s", "scmi");
	vq_init(&dev->vq[SCMI_DEV_CMDQ], gm);
	vq_init(&dev->vq[SCMI_DEV_EVENTQ], gm);
	dev->held_tail = &dev->held_head;
	dev->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	slots_init(dev);
	return dev;
}

void scmi_dev_free(struct scmi_dev *dev)
{
	if (!dev)
		return;
	rekick_cancel(dev);
	held_clear(dev);
	free(dev);
}

void scmi_dev_set_name(struct scmi_dev *dev, const char *name)
{
	snprintf(dev->name, sizeof(dev->name), "%s", name ? name : "scmi");
}

uint64_t scmi_dev_host_features(const struct scmi_dev *dev)
{
	uint64_t f = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_INDIRECT_DESC) |
		     (1ull << VIRTIO_F_RING_EVENT_IDX);

	if (dev->p2a_offered)
		f |= 1ull << VIRTIO_SCMI_F_P2A_CHANNELS;
	return f;
}

void scmi_dev_set_p2a_offered(struct scmi_dev *dev, bool p2a)
{
	dev->p2a_offered = p2a;
}

void scmi_dev_set_features(struct scmi_dev *dev, uint64_t features)
{
	unsigned q;

	dev->features = features & scmi_dev_host_features(dev);
	for (q = 0; q < 2; q++)
		vq_set_features(&dev->vq[q],
				dev->features & (1ull << VIRTIO_F_RING_INDIRECT_DESC),
				dev->features & (1ull << VIRTIO_F_RING_EVENT_IDX));
}

uint64_t scmi_dev_features(const struct scmi_dev *dev)
{
	return dev->features;
}

int scmi_dev_queue_setup(struct scmi_dev *dev, unsigned q, unsigned num,
			 void *desc, void *avail, void *used)
{
	if (q > SCMI_DEV_EVENTQ)
		return -1;
	if (vq_start(&dev->vq[q], num, desc, avail, used) < 0) {
		log_err("virtio-scmi[%s]: queue %u: bad ring setup (num %u)", dev->name, q,
			num);
		return -1;
	}
	return 0;
}

void scmi_dev_queue_set_last_avail(struct scmi_dev *dev, unsigned q, uint16_t idx)
{
	if (q <= SCMI_DEV_EVENTQ)
		vq_set_last_avail(&dev->vq[q], idx);
}

uint16_t scmi_dev_queue_stop(struct scmi_dev *dev, unsigned q)
{
	if (q > SCMI_DEV_EVENTQ)
		return 0;
	if (dev->loop) {
		struct ev_timer **t = q == SCMI_DEV_CMDQ ? &dev->rekick : &dev->ev_rekick;

		if (*t)
			ev_timer_cancel(dev->loop, *t);
		*t = NULL;
	}
	return vq_stop(&dev->vq[q]);
}

bool scmi_dev_queue_ready(const struct scmi_dev *dev, unsigned q)
{
	return q <= SCMI_DEV_EVENTQ && dev->vq[q].ready;
}

void scmi_dev_kick(struct scmi_dev *dev, unsigned q)
{
	if (q == SCMI_DEV_CMDQ)
		cmdq_process(dev);
	else if (q == SCMI_DEV_EVENTQ)
		eventq_flush(dev);
}

void scmi_dev_reset(struct scmi_dev *dev)
{
	/* void every cookie first: completions from ops->reset are stale */
	rekick_cancel(dev);
	slots_init(dev);
	held_clear(dev);
	vq_reset(&dev->vq[SCMI_DEV_CMDQ]);
	vq_reset(&dev->vq[SCMI_DEV_EVENTQ]);
	dev->features = 0;
	scmi_dev_set_features(dev, 0);
	dev->needs_reset = false;
	dev->stalled = false;
	dev->notify_pending[0] = dev->notify_pending[1] = false;
	if (dev->ops->reset)
		dev->ops->reset(dev->ops_opaque);
}

const struct scmi_dev_stats *scmi_dev_stats(const struct scmi_dev *dev)
{
	return &dev->st;
}

unsigned scmi_dev_inflight(const struct scmi_dev *dev)
{
	return dev->inflight;
}

unsigned scmi_dev_held_events(const struct scmi_dev *dev)
{
	return dev->held_delayed + dev->held_notif;
}

bool scmi_dev_needs_reset(const struct scmi_dev *dev)
{
	return dev->needs_reset || dev->vq[0].broken || dev->vq[1].broken;
}
