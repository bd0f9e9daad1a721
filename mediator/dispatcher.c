// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dispatcher: token remapping, fair queueing, delayed-response and
 * notification routing between clients (guest agents) and a backend.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dispatcher.h"
#include "evloop.h"
#include "log.h"
#include "msg_route.h"
#include "scmi_msg.h"
#include "../backends/backend.h"

#define DISP_RETRY_NS 5000000ull       /* backend -EAGAIN: retry after 5 ms */
#define SUB_REQ_MAX 32                 /* largest NOTIFY request we track */
#define CMD_SMALL 64                   /* commands up to this size are recycled */
#define CMD_POOL_MAX 256               /* recycled commands kept at most */

enum tok_state {
	TOK_FREE = 0,
	TOK_WAIT_RESP,       /* at the platform */
	TOK_WAIT_DRESP,      /* response seen, delayed response expected */
	TOK_QUARANTINE,      /* timed out: reserved until a late reply or expiry */
};

struct disp_cmd {
	struct disp_cmd *next;
	struct disp_client *owner;   /* NULL: the dispatcher's own command */
	uint64_t cookie;
	size_t len, resp_max;
	size_t cap;                  /* CMD_SMALL: from/for the pool; 0: not */
	bool notify;                 /* a NOTIFY command (route_notify_decode) */
	disp_done_fn done;           /* internal command: its outcome, or NULL */
	void *done_opaque;
	uint8_t msg[];
};

struct chan;

struct tok {
	uint8_t state;
	bool expects_dresp, got_dresp, send_failed;
	uint16_t idx;
	struct chan *ch;
	struct disp_client *owner;   /* NULL: voided or internal */
	uint64_t cookie;
	uint32_t guest_hdr, plat_hdr;
	size_t resp_max;
	struct ev_timer *timer;
	/* on the channel's reply-timeout list (TOK_WAIT_RESP after a send) */
	bool waiting;
	uint64_t deadline;
	struct tok *wnext, *wprev;
	/* internal command with an outcome callback (disp_submit_detached_cb) */
	disp_done_fn done;
	void *done_opaque;
	/* NOTIFY command: the request, to update subscriptions on success */
	bool notify;
	uint8_t req[SUB_REQ_MAX];
	size_t req_len;
};

struct sub {
	uint8_t proto, evt;
	uint32_t resource;
	uint8_t req[SUB_REQ_MAX];    /* the enabling request, to withdraw it */
	size_t req_len;
};

struct chan {
	struct dispatcher *d;
	unsigned idx;
	struct tok toks[SCMI_TOKEN_MAX];
	unsigned next_tok, reserved, at_platform;
	struct disp_client **clients;
	unsigned nclients;
	/* Clients that can send now (queued work, under the in-flight cap), in
	 * round-robin order: served from the head, re-queued at the tail. A
	 * client that becomes ready goes before the last one served, so that
	 * it waits for no more than one turn of the others. */
	struct disp_client *ready_head, *ready_tail, *last_served;
	struct disp_cmd *int_head, *int_tail;    /* withdrawals, served first */
	bool blocked;
	struct ev_timer *retry;
	/* Tokens waiting for a response, in deadline order (they all wait
	 * reply_timeout_ns): one loop timer serves them all, so a response
	 * costs no timer operation. The timer may fire early (its token got
	 * answered); it then re-arms for the new head. */
	struct tok *wait_head, *wait_tail;
	struct ev_timer *wait_timer;
};

struct disp_client {
	struct dispatcher *d;
	struct chan *ch;
	char name[32];
	const struct disp_client_ops *ops;
	void *opaque;
	struct disp_cmd *qhead, *qtail;
	unsigned nqueued, at_platform;
	struct disp_client *rnext, *rprev;   /* chan ready list */
	bool ready;
	struct sub *subs;
	unsigned nsubs, subs_cap;
	struct disp_client_stats stats;
};

struct dispatcher {
	struct ev_loop *loop;
	struct scmi_backend *b;
	struct disp_config cfg;
	struct chan *chans;
	unsigned nchans;
	struct disp_stats stats;
	struct log_ratelimit rl;
	/* freed small commands, reused by disp_submit (saves malloc/free) */
	struct disp_cmd *pool;
	unsigned npool;
};

void disp_config_defaults(struct disp_config *c)
{
	c->client_max_inflight = 16;
	c->client_max_queued = 256;
	c->reply_timeout_ns = 5000000000ull;
	c->dresp_timeout_ns = 10000000000ull;
	c->quarantine_ns = 60000000000ull;
}

static void disp_rx(void *opaque, unsigned chan, const uint8_t *msg, size_t len);
static void chan_pump_send(struct chan *ch);

/* Send what waits on ch while the backend takes it. The test for nothing
 * waiting (the usual case after a response) is inlined into the callers. */
static inline void chan_pump(struct chan *ch)
{
	if (!ch->blocked && (ch->int_head || ch->ready_head))
		chan_pump_send(ch);
}

struct dispatcher *disp_new(struct ev_loop *loop, struct scmi_backend *b,
			    const struct disp_config *cfg)
{
	struct dispatcher *d;
	unsigned i, t;

	if (!b || !b->nchannels)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->loop = loop;
	d->b = b;
	if (cfg)
		d->cfg = *cfg;
	else
		disp_config_defaults(&d->cfg);
	if (!d->cfg.client_max_inflight)
		d->cfg.client_max_inflight = 1;
	d->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	d->nchans = b->nchannels;
	d->chans = calloc(d->nchans, sizeof(*d->chans));
	if (!d->chans) {
		free(d);
		return NULL;
	}
	for (i = 0; i < d->nchans; i++) {
		d->chans[i].d = d;
		d->chans[i].idx = i;
		for (t = 0; t < SCMI_TOKEN_MAX; t++) {
			d->chans[i].toks[t].idx = (uint16_t)t;
			d->chans[i].toks[t].ch = &d->chans[i];
		}
	}
	b->rx = disp_rx;
	b->rx_opaque = d;
	return d;
}

static void free_cmds(struct disp_cmd *c)
{
	while (c) {
		struct disp_cmd *n = c->next;

		free(c);
		c = n;
	}
}

static struct disp_cmd *cmd_get(struct dispatcher *d, size_t len)
{
	struct disp_cmd *cmd;

	if (len > CMD_SMALL)
		return malloc(sizeof(*cmd) + len); /* cap is set by the caller */
	cmd = d->pool;
	if (cmd) {
		d->pool = cmd->next;
		d->npool--;
		return cmd;
	}
	return malloc(sizeof(*cmd) + CMD_SMALL);
}

static void cmd_put(struct dispatcher *d, struct disp_cmd *cmd)
{
	if (cmd->cap != CMD_SMALL || d->npool >= CMD_POOL_MAX) {
		free(cmd);
		return;
	}
	cmd->next = d->pool;
	d->pool = cmd;
	d->npool++;
}

void disp_free(struct dispatcher *d)
{
	unsigned i, t;

	if (!d)
		return;
	for (i = 0; i < d->nchans; i++) {
		struct chan *ch = &d->chans[i];

		while (ch->nclients)
			disp_client_free(ch->clients[0]);
		for (t = 0; t < SCMI_TOKEN_MAX; t++)
			if (ch->toks[t].timer)
				ev_timer_cancel(d->loop, ch->toks[t].timer);
		if (ch->retry)
			ev_timer_cancel(d->loop, ch->retry);
		if (ch->wait_timer)
			ev_timer_cancel(d->loop, ch->wait_timer);
		free_cmds(ch->int_head);
		free(ch->clients);
	}
	if (d->b->rx_opaque == d) {
		d->b->rx = NULL;
		d->b->rx_opaque = NULL;
	}
	free(d->chans);
	free_cmds(d->pool);
	free(d);
}

const struct disp_stats *disp_stats(const struct dispatcher *d)
{
	return &d->stats;
}

unsigned disp_tokens_in_use(const struct dispatcher *d, unsigned chan)
{
	return chan < d->nchans ? d->chans[chan].reserved : 0;
}

unsigned disp_pending(const struct dispatcher *d)
{
	unsigned i, k, n = 0;

	for (i = 0; i < d->nchans; i++)
		for (k = 0; k < d->chans[i].nclients; k++)
			n += disp_client_pending(d->chans[i].clients[k]);
	return n;
}

/* ---- clients --------------------------------------------------------------- */
static void ready_unlink(struct disp_client *c)
{
	struct chan *ch = c->ch;

	if (!c->ready)
		return;
	if (c->rprev)
		c->rprev->rnext = c->rnext;
	else
		ch->ready_head = c->rnext;
	if (c->rnext)
		c->rnext->rprev = c->rprev;
	else
		ch->ready_tail = c->rprev;
	c->rnext = c->rprev = NULL;
	c->ready = false;
}

/* Keep c on its channel's ready list iff it can send now. */
static void ready_update(struct disp_client *c)
{
	struct chan *ch = c->ch;
	bool want = c->qhead && c->at_platform < c->d->cfg.client_max_inflight;

	if (want == c->ready)
		return;
	if (!want) {
		ready_unlink(c);
		return;
	}
	c->ready = true;
	if (ch->last_served && ch->last_served != c && ch->last_served->ready) {
		struct disp_client *l = ch->last_served;

		c->rnext = l;
		c->rprev = l->rprev;
		if (l->rprev)
			l->rprev->rnext = c;
		else
			ch->ready_head = c;
		l->rprev = c;
		return;
	}
	c->rnext = NULL;
	c->rprev = ch->ready_tail;
	if (ch->ready_tail)
		ch->ready_tail->rnext = c;
	else
		ch->ready_head = c;
	ch->ready_tail = c;
}

struct disp_client *disp_client_new(struct dispatcher *d, unsigned chan, const char *name,
				    const struct disp_client_ops *ops, void *opaque)
{
	struct disp_client *c, **n;
	struct chan *ch;

	if (chan >= d->nchans || !ops)
		return NULL;
	ch = &d->chans[chan];
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	n = realloc(ch->clients, (ch->nclients + 1) * sizeof(*n));
	if (!n) {
		free(c);
		return NULL;
	}
	ch->clients = n;
	ch->clients[ch->nclients++] = c;
	c->d = d;
	c->ch = ch;
	c->ops = ops;
	c->opaque = opaque;
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "?");
	return c;
}

static bool others_subscribed(struct chan *ch, struct disp_client *except, uint8_t proto,
			      uint8_t evt, uint32_t res)
{
	unsigned i, k;

	for (i = 0; i < ch->nclients; i++) {
		struct disp_client *o = ch->clients[i];

		if (o == except)
			continue;
		for (k = 0; k < o->nsubs; k++)
			if (o->subs[k].proto == proto && o->subs[k].evt == evt &&
			    o->subs[k].resource == res)
				return true;
	}
	return false;
}

static int find_sub(struct disp_client *c, uint8_t proto, uint8_t evt, uint32_t res)
{
	unsigned k;

	for (k = 0; k < c->nsubs; k++)
		if (c->subs[k].proto == proto && c->subs[k].evt == evt &&
		    c->subs[k].resource == res)
			return (int)k;
	return -1;
}

static void del_sub(struct disp_client *c, unsigned k)
{
	c->subs[k] = c->subs[--c->nsubs];
}

static void add_sub(struct disp_client *c, const struct route_notify *rn,
		    const uint8_t *req, size_t len)
{
	struct sub *s;
	int k = find_sub(c, rn->proto, rn->evt_id, rn->resource);

	if (k < 0) {
		if (c->nsubs == c->subs_cap) {
			unsigned ncap = c->subs_cap ? c->subs_cap * 2 : 8;
			struct sub *n = realloc(c->subs, ncap * sizeof(*n));

			if (!n) {
				log_err("%s: out of memory tracking a subscription", c->name);
				return;
			}
			c->subs = n;
			c->subs_cap = ncap;
		}
		k = (int)c->nsubs++;
	}
	s = &c->subs[k];
	s->proto = rn->proto;
	s->evt = rn->evt_id;
	s->resource = rn->resource;
	memcpy(s->req, req, len);
	s->req_len = len;
}

static bool is_notify(const uint8_t *msg, size_t len)
{
	struct route_notify rn;

	return len <= SUB_REQ_MAX && route_may_be_notify(scmi_get_le32(msg)) &&
	       route_notify_decode(msg, len, &rn);
}

static void queue_internal(struct chan *ch, struct disp_cmd *cmd)
{
	cmd->notify = is_notify(cmd->msg, cmd->len);
	if (ch->int_tail)
		ch->int_tail->next = cmd;
	else
		ch->int_head = cmd;
	ch->int_tail = cmd;
}

int disp_submit_detached(struct dispatcher *d, unsigned chan, const uint8_t *msg, size_t len)
{
	return disp_submit_detached_cb(d, chan, msg, len, NULL, NULL);
}

void disp_forget_done(struct dispatcher *d, void *opaque)
{
	unsigned i, k;

	for (i = 0; i < d->nchans; i++) {
		struct chan *ch = &d->chans[i];
		struct disp_cmd *cmd;

		for (cmd = ch->int_head; cmd; cmd = cmd->next)
			if (cmd->done_opaque == opaque)
				cmd->done = NULL;
		for (k = 0; k < SCMI_TOKEN_MAX; k++)
			if (ch->toks[k].done_opaque == opaque)
				ch->toks[k].done = NULL;
	}
}

int disp_submit_detached_cb(struct dispatcher *d, unsigned chan, const uint8_t *msg,
			    size_t len, disp_done_fn done, void *opaque)
{
	struct disp_cmd *cmd;

	if (chan >= d->nchans || len < 4 || len > d->b->max_msg || len > SCMI_MSG_MAX ||
	    scmi_hdr_type(scmi_get_le32(msg)) != SCMI_MSG_COMMAND)
		return -EINVAL;
	cmd = calloc(1, sizeof(*cmd) + len);
	if (!cmd)
		return -ENOMEM;
	memcpy(cmd->msg, msg, len);
	cmd->len = len;
	cmd->resp_max = SCMI_MSG_MAX;
	cmd->done = done;
	cmd->done_opaque = opaque;
	queue_internal(&d->chans[chan], cmd);
	chan_pump(&d->chans[chan]);
	return 0;
}

/* Tell the platform to stop an event nobody wants any more. */
static void queue_withdrawal(struct chan *ch, const uint8_t *req, size_t len, size_t en_off)
{
	struct disp_cmd *cmd = calloc(1, sizeof(*cmd) + len);

	if (!cmd) {
		log_err("chan %u: out of memory withdrawing a subscription", ch->idx);
		return;
	}
	memcpy(cmd->msg, req, len);
	scmi_put_le32(cmd->msg + en_off, scmi_get_le32(cmd->msg + en_off) & ~1u);
	cmd->len = len;
	cmd->resp_max = 8;
	queue_internal(ch, cmd);
	ch->d->stats.withdrawn++;
}

static void maybe_withdraw(struct chan *ch, struct disp_client *except, const uint8_t *req,
			   size_t len)
{
	struct route_notify rn;

	if (!route_notify_decode(req, len, &rn))
		return;
	if (!others_subscribed(ch, except, rn.proto, rn.evt_id, rn.resource))
		queue_withdrawal(ch, req, len, rn.enable_off);
}

/* Did a client before index `upto` subscribe to this event already? */
static bool earlier_subscribed(struct chan *ch, unsigned upto, const struct sub *s)
{
	unsigned i;

	for (i = 0; i < upto; i++)
		if (find_sub(ch->clients[i], s->proto, s->evt, s->resource) >= 0)
			return true;
	return false;
}

unsigned disp_platform_reset(struct dispatcher *d, unsigned chan)
{
	struct chan *ch;
	unsigned i, k, n = 0;

	if (chan >= d->nchans)
		return 0;
	ch = &d->chans[chan];
	for (i = 0; i < ch->nclients; i++) {
		struct disp_client *c = ch->clients[i];

		for (k = 0; k < c->nsubs; k++) {
			const struct sub *s = &c->subs[k];
			struct disp_cmd *cmd;

			if (earlier_subscribed(ch, i, s))
				continue;
			cmd = calloc(1, sizeof(*cmd) + s->req_len);
			if (!cmd) {
				log_err("chan %u: out of memory renewing a subscription", chan);
				continue;
			}
			memcpy(cmd->msg, s->req, s->req_len);
			cmd->len = s->req_len;
			cmd->resp_max = SCMI_MSG_MAX;
			queue_internal(ch, cmd);
			n++;
		}
	}
	d->stats.resubscribed += n;
	chan_pump(ch);
	return n;
}

void disp_client_reset(struct disp_client *c)
{
	struct chan *ch = c->ch;
	unsigned t;

	free_cmds(c->qhead);
	c->qhead = c->qtail = NULL;
	c->nqueued = 0;
	ready_unlink(c);
	for (t = 0; t < SCMI_TOKEN_MAX; t++)
		if (ch->toks[t].owner == c)
			ch->toks[t].owner = NULL;  /* the reply will be discarded */
	c->at_platform = 0;
	while (c->nsubs) {
		struct sub s = c->subs[c->nsubs - 1];

		c->nsubs--;
		if (!others_subscribed(ch, c, s.proto, s.evt, s.resource)) {
			struct route_notify rn;

			if (route_notify_decode(s.req, s.req_len, &rn))
				queue_withdrawal(ch, s.req, s.req_len, rn.enable_off);
		}
	}
	chan_pump(ch);
}

void disp_client_free(struct disp_client *c)
{
	struct chan *ch;
	unsigned i;

	if (!c)
		return;
	ch = c->ch;
	/* Leave the channel first so that withdrawals ignore our subs. */
	disp_client_reset(c);
	for (i = 0; i < ch->nclients; i++)
		if (ch->clients[i] == c) {
			ch->clients[i] = ch->clients[--ch->nclients];
			break;
		}
	if (ch->last_served == c)
		ch->last_served = NULL;
	free(c->subs);
	free(c);
}

unsigned disp_client_chan(const struct disp_client *c) { return c->ch->idx; }
const char *disp_client_name(const struct disp_client *c) { return c->name; }
unsigned disp_client_pending(const struct disp_client *c) { return c->nqueued + c->at_platform; }
unsigned disp_client_at_platform(const struct disp_client *c) { return c->at_platform; }
unsigned disp_client_subscriptions(const struct disp_client *c) { return c->nsubs; }
const struct disp_client_stats *disp_client_stats(const struct disp_client *c)
{
	return &c->stats;
}

/* ---- tokens -------------------------------------------------------------- */
static void tok_timer_cb(struct ev_loop *loop, void *opaque);
static void wait_timer_cb(struct ev_loop *loop, void *opaque);

static void tok_wait_stop(struct tok *t)
{
	struct chan *ch = t->ch;

	if (!t->waiting)
		return;
	if (t->wprev)
		t->wprev->wnext = t->wnext;
	else
		ch->wait_head = t->wnext;
	if (t->wnext)
		t->wnext->wprev = t->wprev;
	else
		ch->wait_tail = t->wprev;
	t->wnext = t->wprev = NULL;
	t->waiting = false;
}

static void wait_timer_arm(struct chan *ch)
{
	if (!ch->wait_timer && ch->wait_head)
		ch->wait_timer = ev_timer_add(ch->d->loop, ch->wait_head->deadline, wait_timer_cb,
					      ch);
}

/* Wait for the response until now + reply_timeout_ns (deadlines only grow:
 * append). */
static void tok_wait_start(struct tok *t, uint64_t now)
{
	struct chan *ch = t->ch;

	t->deadline = now + ch->d->cfg.reply_timeout_ns;
	t->wnext = NULL;
	t->wprev = ch->wait_tail;
	if (ch->wait_tail)
		ch->wait_tail->wnext = t;
	else
		ch->wait_head = t;
	ch->wait_tail = t;
	t->waiting = true;
	wait_timer_arm(ch);
}

static void tok_arm(struct tok *t, uint64_t delay_ns)
{
	struct dispatcher *d = t->ch->d;

	tok_wait_stop(t);
	if (t->timer)
		ev_timer_cancel(d->loop, t->timer);
	t->timer = ev_timer_add(d->loop, ev_now_ns() + delay_ns, tok_timer_cb, t);
}

static void tok_release(struct tok *t)
{
	tok_wait_stop(t);
	if (t->timer)
		ev_timer_cancel(t->ch->d->loop, t->timer);
	t->timer = NULL;
	t->state = TOK_FREE;
	t->owner = NULL;
	t->notify = false;
	t->done = NULL;
	t->ch->reserved--;
}

static struct tok *tok_alloc(struct chan *ch)
{
	unsigned i;

	for (i = 0; i < SCMI_TOKEN_MAX; i++) {
		unsigned k = (ch->next_tok + i) % SCMI_TOKEN_MAX;
		struct tok *t = &ch->toks[k];

		if (t->state == TOK_FREE) {
			ch->next_tok = (k + 1) % SCMI_TOKEN_MAX;
			return t;
		}
	}
	return NULL;
}

/* Leave the "at the platform" count (response, timeout or send failure). */
static void tok_left_platform(struct tok *t)
{
	t->ch->at_platform--;
	if (t->owner) {
		t->owner->at_platform--;
		ready_update(t->owner);
	}
}

static void deliver_status(struct disp_client *c, uint64_t cookie, uint32_t guest_hdr,
			   int32_t status)
{
	uint8_t r[SCMI_MSG_MAX];     /* the client may rewrite it in place */

	scmi_put_le32(r, guest_hdr);
	scmi_put_le32(r + 4, (uint32_t)status);
	c->stats.responses++;
	if (status != SCMI_SUCCESS)
		c->stats.errors++;
	c->ops->response(c->opaque, cookie, r, 8, sizeof(r));
}

static void tok_fire(struct tok *t)
{
	struct chan *ch = t->ch;
	struct dispatcher *d = ch->d;
	struct disp_client *owner = t->owner;

	switch (t->state) {
	case TOK_WAIT_RESP: {
		/* an internal command's submitter learns how it went (once) */
		disp_done_fn done = t->done;
		void *done_opaque = t->done_opaque;
		uint32_t ph = t->plat_hdr;

		t->done = NULL;
		tok_left_platform(t);
		if (t->send_failed) {
			tok_release(t);
		} else {
			d->stats.timeouts++;
			log_rl(&d->rl, LOG_LVL_WARN,
			       "chan %u: platform did not answer token %u (hdr 0x%08x, %s) in time",
			       ch->idx, t->idx, t->plat_hdr, owner ? owner->name : "voided");
			t->state = TOK_QUARANTINE;
			t->owner = NULL;
			tok_arm(t, d->cfg.quarantine_ns);
			if (owner)
				owner->stats.timeouts++;
		}
		if (owner)
			deliver_status(owner, t->cookie, t->guest_hdr, SCMI_COMMS_ERROR);
		if (done)
			done(done_opaque, ph, SCMI_COMMS_ERROR);
		chan_pump(ch);
		break;
	}
	case TOK_WAIT_DRESP:
		d->stats.dresp_timeouts++;
		log_rl(&d->rl, LOG_LVL_WARN,
		       "chan %u: no delayed response for token %u (hdr 0x%08x) in time",
		       ch->idx, t->idx, t->plat_hdr);
		t->state = TOK_QUARANTINE;
		t->owner = NULL;
		tok_arm(t, d->cfg.quarantine_ns);
		break;
	case TOK_QUARANTINE:
		log_debug("chan %u: token %u leaves quarantine", ch->idx, t->idx);
		tok_release(t);
		chan_pump(ch);
		break;
	default:
		break;
	}
}

static void tok_timer_cb(struct ev_loop *loop, void *opaque)
{
	struct tok *t = opaque;

	t->timer = NULL;
	tok_fire(t);
}

static void wait_timer_cb(struct ev_loop *loop, void *opaque)
{
	struct chan *ch = opaque;
	uint64_t now = ev_now_ns();

	ch->wait_timer = NULL;
	while (ch->wait_head && ch->wait_head->deadline <= now) {
		struct tok *t = ch->wait_head;

		tok_wait_stop(t);
		tok_fire(t);
	}
	wait_timer_arm(ch);
}

/* ---- sending ------------------------------------------------------------- */
static void retry_cb(struct ev_loop *loop, void *opaque)
{
	struct chan *ch = opaque;

	ch->retry = NULL;
	ch->blocked = false;
	chan_pump(ch);
}

static unsigned chan_capacity(struct chan *ch)
{
	struct scmi_backend *b = ch->d->b;
	unsigned cap = b->ops->max_inflight ? b->ops->max_inflight(b, ch->idx) : SCMI_TOKEN_MAX;

	return cap ? cap : 1;
}

/* Internal commands first, then the client at the head of the ready list
 * (it moves to the tail once served: round robin). */
static struct disp_cmd *pick(struct chan *ch, bool *internal)
{
	if (ch->int_head) {
		*internal = true;
		return ch->int_head;
	}
	*internal = false;
	return ch->ready_head ? ch->ready_head->qhead : NULL;
}

/*
 * Send msg (hdr + payload; the platform token is written into its header)
 * with token t for owner (NULL: the dispatcher's own command). On -EAGAIN
 * the header is restored, the channel is blocked until the backend makes
 * progress (or DISP_RETRY_NS) and nothing else changes. Otherwise t is
 * reserved: it waits for the response, or fails from the loop if the
 * backend refused the command. *now caches the time for several sends.
 */
static int chan_send(struct chan *ch, struct tok *t, uint8_t *msg, size_t len,
		     size_t resp_max, struct disp_client *owner, uint64_t cookie, bool notify,
		     uint64_t *now)
{
	struct dispatcher *d = ch->d;
	uint32_t gh = scmi_get_le32(msg);   /* the guest's token stays in gh */
	int rc;

	scmi_put_le32(msg, scmi_hdr_set_token(gh, t->idx));
	rc = scmi_backend_send(d->b, ch->idx, msg, len, resp_max);
	if (rc == -EAGAIN) {
		scmi_put_le32(msg, gh);
		d->stats.backpressure++;
		ch->blocked = true;
		if (!ch->retry)
			ch->retry = ev_timer_add(d->loop, ev_now_ns() + DISP_RETRY_NS, retry_cb, ch);
		return rc;
	}
	t->state = TOK_WAIT_RESP;
	t->owner = owner;
	t->cookie = cookie;
	t->guest_hdr = gh;
	t->plat_hdr = scmi_get_le32(msg);
	t->resp_max = resp_max;
	t->expects_dresp = route_expects_delayed(msg, len);
	t->got_dresp = false;
	t->send_failed = rc < 0;
	t->notify = notify;
	if (notify) {
		/* kept to update the subscriptions when it succeeds */
		memcpy(t->req, msg, len);
		scmi_put_le32(t->req, gh);
		t->req_len = len;
	}
	ch->reserved++;
	ch->at_platform++;
	if (rc < 0) {
		log_rl(&d->rl, LOG_LVL_ERROR, "chan %u: backend refused a command (%d)",
		       ch->idx, rc);
		tok_arm(t, 0); /* COMMS_ERROR from the loop, not from here */
	} else {
		d->stats.sent++;
		if (!*now)
			*now = ev_now_ns();
		tok_wait_start(t, *now);
	}
	return rc;
}

static void chan_pump_send(struct chan *ch)
{
	struct dispatcher *d = ch->d;
	unsigned cap;
	uint64_t now = 0;

	cap = chan_capacity(ch);   /* a fixed property of the channel */
	while (!ch->blocked && ch->at_platform < cap) {
		bool internal;
		struct disp_cmd *cmd = pick(ch, &internal);
		struct tok *t;

		if (!cmd)
			return;
		t = tok_alloc(ch);
		if (!t)
			return; /* every token reserved: wait for one to free */
		t->done = internal ? cmd->done : NULL;
		t->done_opaque = internal ? cmd->done_opaque : NULL;
		if (chan_send(ch, t, cmd->msg, cmd->len, cmd->resp_max,
			      internal ? NULL : cmd->owner, cmd->cookie, cmd->notify, &now) ==
		    -EAGAIN)
			return; /* not dequeued: the same client goes first next time */
		/* dequeue */
		if (internal) {
			ch->int_head = cmd->next;
			if (!ch->int_head)
				ch->int_tail = NULL;
		} else {
			struct disp_client *c = cmd->owner;

			c->qhead = cmd->next;
			if (!c->qhead)
				c->qtail = NULL;
			c->nqueued--;
			c->at_platform++;
			ready_unlink(c);
			ch->last_served = c;
			ready_update(c);    /* to the tail if it can send more */
		}
		cmd_put(d, cmd);
	}
}

int disp_submit(struct disp_client *c, uint64_t cookie, const uint8_t *msg, size_t len,
		size_t resp_max, int32_t *status)
{
	struct chan *ch = c->ch;
	struct route_notify rn;
	struct disp_cmd *cmd;
	bool notify = false;
	uint32_t h;

	if (len < 4 || len > c->d->b->max_msg || len > SCMI_MSG_MAX || resp_max < 8)
		return -EINVAL;
	h = scmi_get_le32(msg);
	if (scmi_hdr_type(h) != SCMI_MSG_COMMAND)
		return -EINVAL;
	if (c->nqueued + c->at_platform >= c->d->cfg.client_max_queued) {
		c->stats.rejected++;
		return -ENOSPC;
	}
	c->stats.commands++;
	if (len <= SUB_REQ_MAX && route_may_be_notify(h) && route_notify_decode(msg, len, &rn)) {
		notify = true;
		/* Unsubscribing while other clients still want the event: the
		 * platform keeps it on; only this client stops receiving it. */
		if (!rn.enable && others_subscribed(ch, c, rn.proto, rn.evt_id, rn.resource)) {
			int k = find_sub(c, rn.proto, rn.evt_id, rn.resource);

			if (k >= 0)
				del_sub(c, (unsigned)k);
			c->stats.responses++;
			*status = SCMI_SUCCESS;
			return 1;
		}
	}
	if (resp_max > SCMI_MSG_MAX)
		resp_max = SCMI_MSG_MAX;
	/* Nothing waits on the channel and the platform has room: this command
	 * is the one chan_pump() would pick next, so it goes out without being
	 * queued (same order, same token choice, same bookkeeping). */
	if (!c->qhead && !ch->int_head && !ch->ready_head && !ch->blocked &&
	    c->at_platform < c->d->cfg.client_max_inflight &&
	    ch->at_platform < chan_capacity(ch)) {
		struct tok *t = tok_alloc(ch);
		uint8_t buf[SCMI_MSG_MAX];
		uint64_t now = 0;

		if (t) {
			memcpy(buf, msg, len);
			if (chan_send(ch, t, buf, len, resp_max, c, cookie, notify, &now) !=
			    -EAGAIN) {
				c->at_platform++;
				ch->last_served = c;
				return 0;
			}
			/* blocked: queue it like any other */
		}
	}
	cmd = cmd_get(c->d, len);
	if (!cmd)
		return -ENOMEM;
	cmd->cap = len > CMD_SMALL ? 0 : CMD_SMALL;
	cmd->next = NULL;
	cmd->owner = c;
	cmd->cookie = cookie;
	cmd->len = len;
	cmd->resp_max = resp_max;
	cmd->notify = notify;
	memcpy(cmd->msg, msg, len);
	if (c->qtail)
		c->qtail->next = cmd;
	else
		c->qhead = cmd;
	c->qtail = cmd;
	c->nqueued++;
	ready_update(c);
	chan_pump(ch);
	return 0;
}

/* ---- receiving ----------------------------------------------------------- */
static bool same_cmd(uint32_t a, uint32_t b)
{
	return scmi_hdr_proto(a) == scmi_hdr_proto(b) && scmi_hdr_msg_id(a) == scmi_hdr_msg_id(b);
}

static void on_notify_success(struct chan *ch, struct tok *t)
{
	struct route_notify rn;

	if (!route_notify_decode(t->req, t->req_len, &rn))
		return;
	if (t->owner) {
		int k = find_sub(t->owner, rn.proto, rn.evt_id, rn.resource);

		if (rn.enable)
			add_sub(t->owner, &rn, t->req, t->req_len);
		else if (k >= 0)
			del_sub(t->owner, (unsigned)k);
	} else if (rn.enable) {
		/* Enabled for a client that went away meanwhile. */
		maybe_withdraw(ch, NULL, t->req, t->req_len);
	}
}

static void on_response(struct chan *ch, struct tok *t, const uint8_t *msg, size_t len)
{
	struct dispatcher *d = ch->d;
	struct disp_client *owner = t->owner;
	uint64_t cookie = t->cookie;
	uint32_t gh = t->guest_hdr, ph = t->plat_hdr;
	disp_done_fn done = t->done;
	void *done_opaque = t->done_opaque;
	int32_t status;
	uint8_t buf[SCMI_MSG_MAX];

	t->done = NULL;
	tok_left_platform(t);
	if (len < 8 || len > SCMI_MSG_MAX) {
		d->stats.malformed++;
		log_rl(&d->rl, LOG_LVL_WARN, "chan %u: malformed response (%zu bytes) for token %u",
		       ch->idx, len, t->idx);
		status = SCMI_COMMS_ERROR;
		len = 8;
	} else {
		status = (int32_t)scmi_get_le32(msg + 4);
		if (len > t->resp_max) {
			log_rl(&d->rl, LOG_LVL_WARN,
			       "chan %u: response of %zu bytes exceeds the %zu requested",
			       ch->idx, len, t->resp_max);
			status = SCMI_COMMS_ERROR;
		}
	}
	if (t->notify && status == SCMI_SUCCESS)
		on_notify_success(ch, t);
	if (t->expects_dresp && status == SCMI_SUCCESS && !t->got_dresp) {
		t->state = TOK_WAIT_DRESP;
		tok_arm(t, d->cfg.dresp_timeout_ns);
	} else {
		tok_release(t);
	}
	if (owner) {
		if (status != SCMI_SUCCESS) {
			deliver_status(owner, cookie, gh, status);
		} else {
			memcpy(buf, msg, len);
			scmi_put_le32(buf, gh);
			owner->stats.responses++;
			owner->ops->response(owner->opaque, cookie, buf, len, sizeof(buf));
		}
	}
	if (done)
		done(done_opaque, ph, status);
	chan_pump(ch);
}

static void on_delayed(struct chan *ch, struct tok *t, const uint8_t *msg, size_t len)
{
	struct disp_client *owner = t->owner;
	uint8_t buf[SCMI_MSG_MAX];
	uint32_t h = scmi_hdr_set_type(t->guest_hdr, SCMI_MSG_DELAYED_RESP);

	if (t->state == TOK_WAIT_DRESP) {
		tok_release(t);
	} else {
		/* Delayed response overtook the response: keep the token for it. */
		t->got_dresp = true;
	}
	if (owner) {
		memcpy(buf, msg, len);
		scmi_put_le32(buf, h);
		owner->stats.delayed++;
		owner->ops->p2a(owner->opaque, buf, len);
	}
	chan_pump(ch);
}

static void on_notification(struct chan *ch, const uint8_t *msg, size_t len)
{
	struct dispatcher *d = ch->d;
	uint8_t proto, evt;
	uint32_t res;
	unsigned i;
	bool any = false;

	if (!route_event_key(msg, len, &proto, &evt, &res)) {
		d->stats.notif_unrouted++;
		log_rl(&d->rl, LOG_LVL_WARN, "chan %u: unroutable notification hdr 0x%08x",
		       ch->idx, scmi_get_le32(msg));
		return;
	}
	for (i = 0; i < ch->nclients; i++) {
		struct disp_client *c = ch->clients[i];

		if (find_sub(c, proto, evt, res) < 0)
			continue;
		any = true;
		c->stats.notifications++;
		c->ops->p2a(c->opaque, msg, len);
	}
	if (!any)
		d->stats.notif_unrouted++;
}

static void disp_rx(void *opaque, unsigned chan, const uint8_t *msg, size_t len)
{
	struct dispatcher *d = opaque;
	struct chan *ch;
	struct tok *t;
	uint32_t h;

	if (chan >= d->nchans || len < 4 || len > SCMI_MSG_MAX) {
		d->stats.malformed++;
		log_rl(&d->rl, LOG_LVL_WARN, "chan %u: malformed message of %zu bytes", chan, len);
		return;
	}
	ch = &d->chans[chan];
	if (ch->blocked) {
		/* The backend made progress: try again now. */
		ch->blocked = false;
		if (ch->retry)
			ev_timer_cancel(d->loop, ch->retry);
		ch->retry = NULL;
	}
	h = scmi_get_le32(msg);
	t = &ch->toks[scmi_hdr_token(h)];
	switch (scmi_hdr_type(h)) {
	case SCMI_MSG_COMMAND:
		if (t->state == TOK_WAIT_RESP && same_cmd(h, t->plat_hdr) && !t->send_failed) {
			on_response(ch, t, msg, len);
		} else if (t->state == TOK_QUARANTINE && same_cmd(h, t->plat_hdr)) {
			d->stats.late++;
			log_debug("chan %u: late response for token %u discarded", chan, t->idx);
			if (!t->expects_dresp || t->got_dresp) {
				tok_release(t);
				chan_pump(ch);
			}
		} else {
			d->stats.unexpected++;
			log_rl(&d->rl, LOG_LVL_WARN, "chan %u: unexpected response hdr 0x%08x",
			       chan, h);
		}
		break;
	case SCMI_MSG_DELAYED_RESP:
		if ((t->state == TOK_WAIT_DRESP ||
		     (t->state == TOK_WAIT_RESP && t->expects_dresp && !t->got_dresp)) &&
		    same_cmd(h, t->plat_hdr)) {
			on_delayed(ch, t, msg, len);
		} else if (t->state == TOK_QUARANTINE && same_cmd(h, t->plat_hdr)) {
			d->stats.late++;
			tok_release(t);
			chan_pump(ch);
		} else {
			d->stats.unexpected++;
			log_rl(&d->rl, LOG_LVL_WARN,
			       "chan %u: unexpected delayed response hdr 0x%08x", chan, h);
		}
		break;
	case SCMI_MSG_NOTIFICATION:
		on_notification(ch, msg, len);
		break;
	default:
		d->stats.malformed++;
		log_rl(&d->rl, LOG_LVL_WARN, "chan %u: message of reserved type, hdr 0x%08x",
		       chan, h);
		break;
	}
}
