// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arbitration of shared resources across guests (docs/arbitration.md).
 */
#include <stdlib.h>
#include <string.h>

#include "arbiter.h"
#include "log.h"
#include "scmi_msg.h"

#define ARB_HASH 256
#define KIND_OWNER 0xff   /* entry kind: exclusive ownership only */

/* One arbitrated variable of one platform resource. */
struct ent {
	struct ent *next;
	uint8_t proto;
	uint8_t kind;            /* the setter's message id, or KIND_OWNER */
	uint8_t sub;             /* pinctrl selector type */
	uint32_t id;             /* platform id */
	uint64_t voted;          /* guests with a vote */
	uint64_t pending;        /* guests whose vote is at the platform */
	uint64_t prev_voted;     /* had a vote before the pending one */
	uint64_t moved_sent;     /* the pending request changed `sent` */
	int64_t val[ARB_MAX_GUESTS];
	int64_t prev[ARB_MAX_GUESTS];
	bool has_sent;
	int64_t sent;            /* aggregate last sent to the platform */
	bool had_sent_before;
	int64_t sent_before;     /* `sent` before the pending request moved it */
	int owner;               /* exclusive owner guest, -1 none */
};

/* The last successful value of a setting on an exclusively owned resource
 * (sent again after a platform reset). */
struct setting {
	struct setting *next;
	uint8_t proto, msg;      /* the setter */
	uint32_t sub;            /* trip point, pin selector / config type */
	uint32_t id;             /* platform id */
	unsigned guest;          /* whose setting */
	uint64_t seq;            /* when it was made: replay order */
	size_t len;
	uint8_t m[ARB_SETTING_LEN];   /* the command, token 0, platform ids */
};

struct arbiter {
	const struct arb_ops *ops;
	void *opaque;
	struct ent *tab[ARB_HASH];
	struct setting *stab[ARB_HASH];
	unsigned nsettings;
	uint64_t seq;
	struct arb_stats stats;
};

struct arbiter *arb_new(const struct arb_ops *ops, void *opaque)
{
	struct arbiter *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->ops = ops;
	a->opaque = opaque;
	return a;
}

static void clear_all(struct arbiter *a)
{
	unsigned i;

	for (i = 0; i < ARB_HASH; i++) {
		while (a->tab[i]) {
			struct ent *e = a->tab[i];

			a->tab[i] = e->next;
			free(e);
		}
		while (a->stab[i]) {
			struct setting *st = a->stab[i];

			a->stab[i] = st->next;
			free(st);
		}
	}
	a->nsettings = 0;
	a->stats.settings = 0;
}

void arb_free(struct arbiter *a)
{
	if (!a)
		return;
	clear_all(a);
	free(a);
}

void arb_platform_reset(struct arbiter *a)
{
	clear_all(a);
}

const struct arb_stats *arb_stats(const struct arbiter *a)
{
	return &a->stats;
}

static unsigned hash(uint8_t proto, uint8_t kind, uint8_t sub, uint32_t id)
{
	uint32_t h = id * 2654435761u ^ ((uint32_t)proto << 16 | (uint32_t)kind << 8 | sub);

	return (h ^ h >> 13) % ARB_HASH;
}

static struct ent *find(const struct arbiter *a, uint8_t proto, uint8_t kind, uint8_t sub,
			uint32_t id)
{
	struct ent *e = a->tab[hash(proto, kind, sub, id)];

	for (; e; e = e->next)
		if (e->proto == proto && e->kind == kind && e->sub == sub && e->id == id)
			return e;
	return NULL;
}

static struct ent *get(struct arbiter *a, uint8_t proto, uint8_t kind, uint8_t sub,
		       uint32_t id)
{
	struct ent *e = find(a, proto, kind, sub, id);
	unsigned b;

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->proto = proto;
	e->kind = kind;
	e->sub = sub;
	e->id = id;
	e->owner = -1;
	b = hash(proto, kind, sub, id);
	e->next = a->tab[b];
	a->tab[b] = e;
	return e;
}

/* ---- aggregates ---------------------------------------------------------- */
/* Returns false when there is no aggregate to impose (no votes). */
static bool aggregate(const struct ent *e, int64_t *out)
{
	bool any = false;
	int64_t v = 0;
	unsigned g;

	if (e->proto == SCMI_PROTO_CLOCK && e->kind == SCMI_CLOCK_CONFIG_SET) {
		/* on while any guest votes on; nobody: off */
		*out = SCMI_CLOCK_STATE_OFF;
		for (g = 0; g < ARB_MAX_GUESTS; g++)
			if ((e->voted >> g & 1) && e->val[g] == SCMI_CLOCK_STATE_ON)
				*out = SCMI_CLOCK_STATE_ON;
		return true;
	}
	if (e->proto == SCMI_PROTO_POWER) {
		/* ON while any guest votes ON, else the shallowest state voted;
		 * nobody: off */
		for (g = 0; g < ARB_MAX_GUESTS; g++) {
			if (!(e->voted >> g & 1))
				continue;
			if (e->val[g] == SCMI_POWER_STATE_ON) {
				*out = SCMI_POWER_STATE_ON;
				return true;
			}
			if (!any || e->val[g] < v)
				v = e->val[g];
			any = true;
		}
		*out = any ? v : SCMI_POWER_STATE_OFF;
		return true;
	}
	/* perf level, clock rate: the highest request; nobody: leave it */
	for (g = 0; g < ARB_MAX_GUESTS; g++)
		if ((e->voted >> g & 1) && (!any || e->val[g] > v)) {
			v = e->val[g];
			any = true;
		}
	*out = v;
	return any;
}

/* The platform command that imposes value v of entry e (token 0). */
static size_t build_set(const struct ent *e, int64_t v, uint8_t *m)
{
	switch (e->proto) {
	case SCMI_PROTO_CLOCK:
		if (e->kind == SCMI_CLOCK_CONFIG_SET) {
			scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 0));
			scmi_put_le32(m + 4, e->id);
			scmi_put_le32(m + 8, (uint32_t)v);
			scmi_put_le32(m + 12, 0);
			return 16;
		}
		scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0));
		scmi_put_le32(m + 4, 0);
		scmi_put_le32(m + 8, e->id);
		scmi_put_le64(m + 12, (uint64_t)v);
		return 20;
	case SCMI_PROTO_POWER:
		scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0));
		scmi_put_le32(m + 4, 0);
		scmi_put_le32(m + 8, e->id);
		scmi_put_le32(m + 12, (uint32_t)v);
		return 16;
	case SCMI_PROTO_PERF:
		scmi_put_le32(m, scmi_hdr(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 0));
		scmi_put_le32(m + 4, e->id);
		scmi_put_le32(m + 8, (uint32_t)v);
		return 12;
	}
	return 0;
}

/* Make the platform follow the current aggregate if it differs from what
 * it was last sent. */
static void reconcile(struct arbiter *a, struct ent *e, unsigned guest)
{
	uint8_t m[32];
	int64_t v;
	size_t n;

	if (e->kind == KIND_OWNER || !e->has_sent || !aggregate(e, &v) || v == e->sent)
		return;
	n = build_set(e, v, m);
	if (!n)
		return;
	e->sent = v;
	a->stats.emitted++;
	if (a->ops && a->ops->emit)
		a->ops->emit(a->opaque, guest, m, n);
}

/* ---- requests ------------------------------------------------------------ */
static enum agent_verdict reply(uint32_t hdr, int32_t st, const uint32_t *vals, unsigned n,
				uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	unsigned i;

	if (8 + 4 * (size_t)n > resp_max) {
		n = 0;
		if (st == SCMI_SUCCESS && vals)
			st = SCMI_PROTOCOL_ERROR;
	}
	scmi_put_le32(resp, hdr);
	scmi_put_le32(resp + 4, (uint32_t)st);
	for (i = 0; i < n; i++)
		scmi_put_le32(resp + 8 + 4 * i, vals[i]);
	*resp_len = 8 + 4 * (size_t)n;
	return AGENT_REPLY;
}

static enum agent_verdict denied(struct arbiter *a, uint32_t hdr, uint8_t *resp,
				 size_t *resp_len, size_t resp_max)
{
	a->stats.denied++;
	return reply(hdr, SCMI_DENIED, NULL, 0, resp, resp_len, resp_max);
}

/* Exclusive resource: the first guest to change it owns it until it
 * leaves; others are DENIED. Returns false when guest may not. */
static bool take_owner(struct arbiter *a, uint8_t proto, uint8_t kind, uint8_t sub,
		       uint32_t id, unsigned guest)
{
	struct ent *e = get(a, proto, kind, sub, id);

	if (!e)
		return true; /* no memory: the policy's validation still stands */
	if (e->owner >= 0 && (unsigned)e->owner != guest)
		return false;
	e->owner = (int)guest;
	return true;
}

/* Record guest's new vote v on e; pending until the platform answers. */
static void vote(struct ent *e, unsigned guest, int64_t v, bool pending)
{
	uint64_t bit = 1ull << guest;

	if (!(e->pending & bit)) {
		e->prev[guest] = e->val[guest];
		if (e->voted & bit)
			e->prev_voted |= bit;
		else
			e->prev_voted &= ~bit;
	}
	e->val[guest] = v;
	e->voted |= bit;
	if (pending)
		e->pending |= bit;
	else
		e->pending &= ~bit;
	e->moved_sent &= ~bit;
}

/*
 * A vote on an aggregated variable. Returns AGENT_REPLY (answered: the
 * aggregate does not change) or AGENT_FORWARD with *agg the value to send.
 */
static enum agent_verdict vote_request(struct arbiter *a, struct ent *e, unsigned guest,
				       int64_t v, bool must_forward, int64_t *agg)
{
	uint64_t bit = 1ull << guest;

	vote(e, guest, v, true);
	aggregate(e, agg);
	if (e->has_sent && *agg == e->sent && !must_forward) {
		e->pending &= ~bit;
		a->stats.local++;
		return AGENT_REPLY;
	}
	if (!e->has_sent || *agg != e->sent) {
		e->had_sent_before = e->has_sent;
		e->sent_before = e->sent;
		e->has_sent = true;
		e->sent = *agg;
		e->moved_sent |= bit;
	}
	return AGENT_FORWARD;
}

static uint8_t pin_type(const uint8_t *p, uint8_t msg)
{
	/* SETTINGS_CONFIGURE: attributes (3rd word); REQUEST/RELEASE: flags */
	return (msg == SCMI_PINCTRL_SETTINGS_CONFIGURE ? scmi_get_le32(p + 8) :
		scmi_get_le32(p + 4)) & 3u;
}

/* Commands that change a resource only one guest may drive unless shared. */
static bool exclusive_cmd(uint8_t proto, uint8_t msg)
{
	switch (proto) {
	case SCMI_PROTO_RESET:
		return msg == SCMI_RESET;
	case SCMI_PROTO_VOLTAGE:
		return msg == SCMI_VOLTAGE_CONFIG_SET || msg == SCMI_VOLTAGE_LEVEL_SET;
	case SCMI_PROTO_SENSOR:
		return msg == SCMI_SENSOR_CONFIG_SET || msg == SCMI_SENSOR_TRIP_POINT_CONFIG;
	case SCMI_PROTO_PINCTRL:
		return msg == SCMI_PINCTRL_SETTINGS_CONFIGURE || msg == SCMI_PINCTRL_REQUEST ||
		       msg == SCMI_PINCTRL_RELEASE;
	case SCMI_PROTO_POWERCAP:
		return msg == SCMI_POWERCAP_CAP_SET || msg == SCMI_POWERCAP_PAI_SET;
	case SCMI_PROTO_PERF:
		return msg == SCMI_PERF_LIMITS_SET;
	case SCMI_PROTO_CLOCK:
		return msg == SCMI_CLOCK_PARENT_SET;
	}
	return false;
}

/* Where the resource id sits in a request payload. */
static size_t id_offset(uint8_t proto, uint8_t msg)
{
	if ((proto == SCMI_PROTO_POWER && msg == SCMI_POWER_STATE_SET) ||
	    (proto == SCMI_PROTO_CLOCK && msg == SCMI_CLOCK_RATE_SET))
		return 4;
	return 0;
}

enum agent_verdict arb_request(struct arbiter *a, unsigned guest, const struct pol_res *res,
			       uint8_t *msg, size_t len, uint8_t *resp, size_t *resp_len,
			       size_t resp_max)
{
	uint32_t h, id, w;
	uint8_t proto, mid, *p;
	bool excl;
	struct ent *e;
	int64_t agg;

	if (!res || guest >= ARB_MAX_GUESTS || len < 8)
		return AGENT_FORWARD;
	h = scmi_get_le32(msg);
	proto = scmi_hdr_proto(h);
	mid = scmi_hdr_msg_id(h);
	p = msg + 4;
	if (len < 4 + id_offset(proto, mid) + 4)
		return AGENT_FORWARD;
	id = scmi_get_le32(p + id_offset(proto, mid));
	excl = res->share == POL_EXCLUSIVE;

	if (exclusive_cmd(proto, mid)) {
		uint8_t sub = proto == SCMI_PROTO_PINCTRL && len >= 16 ? pin_type(p, mid) : 0;

		if (excl && !take_owner(a, proto, KIND_OWNER, sub, id, guest))
			return denied(a, h, resp, resp_len, resp_max);
		return AGENT_FORWARD;
	}

	switch (proto) {
	case SCMI_PROTO_CLOCK:
		if (mid == SCMI_CLOCK_CONFIG_SET && len >= 16) {
			uint32_t attr = scmi_get_le32(p + 4), state = attr & SCMI_CLOCK_STATE_MASK;

			if (state != SCMI_CLOCK_STATE_ON && state != SCMI_CLOCK_STATE_OFF)
				return AGENT_FORWARD; /* config only, or reserved: platform */
			if (excl && !take_owner(a, proto, KIND_OWNER, 0, id, guest))
				return denied(a, h, resp, resp_len, resp_max);
			e = get(a, proto, mid, 0, id);
			if (!e)
				return AGENT_FORWARD;
			/* an OEM config part must still reach the platform */
			if (vote_request(a, e, guest, state, (attr >> 16 & 0xff) != 0, &agg) ==
			    AGENT_REPLY)
				return reply(h, SCMI_SUCCESS, NULL, 0, resp, resp_len, resp_max);
			if ((uint32_t)agg != state)
				a->stats.rewritten++;
			w = (attr & ~SCMI_CLOCK_STATE_MASK) | (uint32_t)agg;
			if (!(e->moved_sent >> guest & 1))
				w = (attr & ~SCMI_CLOCK_STATE_MASK) | SCMI_CLOCK_STATE_UNCHANGED;
			scmi_put_le32(p + 4, w);
			return AGENT_FORWARD;
		}
		if (mid == SCMI_CLOCK_RATE_SET && len >= 20) {
			int64_t rate = (int64_t)(scmi_get_le64(p + 8) & INT64_MAX);

			if (excl)
				return take_owner(a, proto, KIND_OWNER, 1, id, guest) ?
				       AGENT_FORWARD : denied(a, h, resp, resp_len, resp_max);
			if (res->conflict == POL_CONFLICT_DENY)
				return denied(a, h, resp, resp_len, resp_max);
			if (res->conflict == POL_CONFLICT_FIRST)
				return take_owner(a, proto, KIND_OWNER, 1, id, guest) ?
				       AGENT_FORWARD : denied(a, h, resp, resp_len, resp_max);
			e = get(a, proto, mid, 0, id);
			if (!e)
				return AGENT_FORWARD;
			/* always forwarded: an async request needs its delayed
			 * response, and the platform rounds the rate */
			vote_request(a, e, guest, rate, true, &agg);
			if (agg != rate)
				a->stats.rewritten++;
			scmi_put_le64(p + 8, (uint64_t)agg);
			return AGENT_FORWARD;
		}
		return AGENT_FORWARD;
	case SCMI_PROTO_POWER:
		if (mid == SCMI_POWER_STATE_SET && len >= 16) {
			uint32_t state = scmi_get_le32(p + 8);

			if (state & SCMI_POWER_STATE_RESERVED)
				return AGENT_FORWARD; /* the platform rejects it */
			if (excl && !take_owner(a, proto, KIND_OWNER, 0, id, guest))
				return denied(a, h, resp, resp_len, resp_max);
			e = get(a, proto, mid, 0, id);
			if (!e)
				return AGENT_FORWARD;
			if (vote_request(a, e, guest, state, false, &agg) == AGENT_REPLY)
				return reply(h, SCMI_SUCCESS, NULL, 0, resp, resp_len, resp_max);
			if ((uint32_t)agg != state)
				a->stats.rewritten++;
			scmi_put_le32(p + 8, (uint32_t)agg);
			return AGENT_FORWARD;
		}
		if (mid == SCMI_POWER_STATE_GET) {
			e = find(a, proto, SCMI_POWER_STATE_SET, 0, id);
			if (!e || !(e->voted >> guest & 1))
				return AGENT_FORWARD;
			w = (uint32_t)e->val[guest];
			a->stats.local++;
			return reply(h, SCMI_SUCCESS, &w, 1, resp, resp_len, resp_max);
		}
		return AGENT_FORWARD;
	case SCMI_PROTO_PERF:
		if (mid == SCMI_PERF_LEVEL_SET && len >= 12) {
			int64_t level = scmi_get_le32(p + 4);

			if (excl)
				return take_owner(a, proto, KIND_OWNER, 0, id, guest) ?
				       AGENT_FORWARD : denied(a, h, resp, resp_len, resp_max);
			if (res->has_range && (level < res->min || level > res->max))
				return reply(h, SCMI_OUT_OF_RANGE, NULL, 0, resp, resp_len,
					     resp_max);
			e = get(a, proto, mid, 0, id);
			if (!e)
				return AGENT_FORWARD;
			if (vote_request(a, e, guest, level, false, &agg) == AGENT_REPLY)
				return reply(h, SCMI_SUCCESS, NULL, 0, resp, resp_len, resp_max);
			if (agg != level)
				a->stats.rewritten++;
			scmi_put_le32(p + 4, (uint32_t)agg);
			return AGENT_FORWARD;
		}
		if (mid == SCMI_PERF_LEVEL_GET && !excl) {
			e = find(a, proto, SCMI_PERF_LEVEL_SET, 0, id);
			if (!e || !(e->voted >> guest & 1))
				return AGENT_FORWARD;
			w = (uint32_t)e->val[guest];
			a->stats.local++;
			return reply(h, SCMI_SUCCESS, &w, 1, resp, resp_len, resp_max);
		}
		return AGENT_FORWARD;
	}
	return AGENT_FORWARD;
}

/* ---- responses ----------------------------------------------------------- */
static void remember_exclusive(struct arbiter *a, unsigned guest, const struct pol_res *res,
			       const uint8_t *req, size_t len);

static void settle(struct arbiter *a, struct ent *e, unsigned guest, bool ok)
{
	uint64_t bit = 1ull << guest;

	if (!(e->pending & bit))
		return;
	e->pending &= ~bit;
	if (ok)
		return;
	/* the platform refused: the guest's vote is what it was before */
	a->stats.reverted++;
	e->val[guest] = e->prev[guest];
	if (!(e->prev_voted & bit))
		e->voted &= ~bit;
	if (e->moved_sent & bit) {
		e->moved_sent &= ~bit;
		e->has_sent = e->had_sent_before;
		e->sent = e->sent_before;
	}
	/* other guests' votes may still need what this request failed to do */
	reconcile(a, e, guest);
}

void arb_response(struct arbiter *a, unsigned guest, const struct pol_res *res,
		  const uint8_t *req, size_t req_len, uint8_t *resp, size_t len)
{
	uint32_t h, id, w;
	uint8_t proto, mid;
	bool ok;
	struct ent *e;

	if (guest >= ARB_MAX_GUESTS || req_len < 8 || len < 8)
		return;
	h = scmi_get_le32(req);
	proto = scmi_hdr_proto(h);
	mid = scmi_hdr_msg_id(h);
	if (req_len < 4 + id_offset(proto, mid) + 4)
		return;
	id = scmi_get_le32(req + 4 + id_offset(proto, mid));
	ok = scmi_get_le32(resp + 4) == SCMI_SUCCESS;
	if (ok)
		remember_exclusive(a, guest, res, req, req_len);

	if ((proto == SCMI_PROTO_CLOCK && (mid == SCMI_CLOCK_CONFIG_SET ||
					   mid == SCMI_CLOCK_RATE_SET)) ||
	    (proto == SCMI_PROTO_POWER && mid == SCMI_POWER_STATE_SET) ||
	    (proto == SCMI_PROTO_PERF && mid == SCMI_PERF_LEVEL_SET)) {
		e = find(a, proto, mid, 0, id);
		if (e)
			settle(a, e, guest, ok);
		return;
	}
	if (!ok || proto != SCMI_PROTO_CLOCK)
		return;
	/* the guest's own enable vote, as a multi-agent platform reports it */
	e = find(a, proto, SCMI_CLOCK_CONFIG_SET, 0, id);
	w = e && (e->voted >> guest & 1) && e->val[guest] == SCMI_CLOCK_STATE_ON;
	if (mid == SCMI_CLOCK_ATTRIBUTES && len >= 12) {
		scmi_put_le32(resp + 8, (scmi_get_le32(resp + 8) & ~1u) | w);
		a->stats.readbacks++;
	} else if (mid == SCMI_CLOCK_CONFIG_GET && len >= 16) {
		scmi_put_le32(resp + 12, (scmi_get_le32(resp + 12) & ~1u) | w);
		a->stats.readbacks++;
	}
}

/* ---- exclusive settings ---------------------------------------------------- */
static struct setting **sfind(struct arbiter *a, uint8_t proto, uint8_t msg, uint32_t id,
			      uint32_t sub)
{
	struct setting **pp = &a->stab[hash(proto, msg, (uint8_t)sub, id ^ sub)];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->proto == proto && (*pp)->msg == msg && (*pp)->id == id &&
		    (*pp)->sub == sub)
			return pp;
	return pp;
}

static void forget(struct arbiter *a, uint8_t proto, uint8_t msg, uint32_t id, uint32_t sub)
{
	struct setting **pp = sfind(a, proto, msg, id, sub), *st = *pp;

	if (!st)
		return;
	*pp = st->next;
	free(st);
	a->nsettings--;
	a->stats.settings = a->nsettings;
}

static void forget_guest(struct arbiter *a, unsigned guest)
{
	unsigned i;

	for (i = 0; i < ARB_HASH; i++) {
		struct setting **pp = &a->stab[i];

		while (*pp) {
			struct setting *st = *pp;

			if (st->guest != guest) {
				pp = &st->next;
				continue;
			}
			*pp = st->next;
			free(st);
			a->nsettings--;
		}
	}
	a->stats.settings = a->nsettings;
}

/* Remember command m (len bytes, platform ids) as guest's last setting of
 * (proto, msg, id, sub); the header's token becomes 0. */
static void remember(struct arbiter *a, unsigned guest, uint32_t id, uint32_t sub,
		     const uint8_t *m, size_t len)
{
	uint32_t h = scmi_get_le32(m);
	uint8_t proto = scmi_hdr_proto(h), msg = scmi_hdr_msg_id(h);
	struct setting **pp = sfind(a, proto, msg, id, sub), *st = *pp;

	if (!st) {
		if (len > ARB_SETTING_LEN || a->nsettings >= ARB_SETTINGS_MAX ||
		    !(st = calloc(1, sizeof(*st)))) {
			if (!a->stats.not_remembered++)
				log_warn("arbiter: cannot remember guest slot %u's setting (hdr "
					 "0x%08x, %u remembered): it will not come back after a "
					 "platform reset", guest, h, a->nsettings);
			return;
		}
		st->proto = proto;
		st->msg = msg;
		st->id = id;
		st->sub = sub;
		*pp = st;
		a->nsettings++;
		a->stats.settings = a->nsettings;
	}
	st->guest = guest;
	st->seq = ++a->seq;
	st->len = len;
	memcpy(st->m, m, len);
	scmi_put_le32(st->m, scmi_hdr(proto, msg, 0, 0));
}

/* Clear flag bits of the word at off (asynchronous: replays are synchronous). */
static void clear_bits(uint8_t *m, size_t off, uint32_t bits)
{
	scmi_put_le32(m + off, scmi_get_le32(m + off) & ~bits);
}

/*
 * The platform accepted req from guest: if it set state on a resource the
 * guest owns exclusively, remember it (docs/arbitration.md).
 */
static void remember_exclusive(struct arbiter *a, unsigned guest, const struct pol_res *res,
			       const uint8_t *req, size_t len)
{
	uint32_t h = scmi_get_le32(req), id, sub = 0, osub = 0;
	uint8_t proto = scmi_hdr_proto(h), mid = scmi_hdr_msg_id(h), m[ARB_SETTING_LEN];
	const uint8_t *p = req + 4;
	const struct ent *own;
	size_t want = 12;
	bool excl = res && res->share == POL_EXCLUSIVE;

	if (!res)
		return;
	if (proto == SCMI_PROTO_CLOCK && mid == SCMI_CLOCK_RATE_SET) {
		if (!excl && res->conflict != POL_CONFLICT_FIRST)
			return;        /* aggregated, or refused */
		osub = 1;
		want = 20;
	} else if (proto == SCMI_PROTO_PERF && mid == SCMI_PERF_LEVEL_SET) {
		if (!excl)
			return;
	} else if (!excl || !exclusive_cmd(proto, mid) || proto == SCMI_PROTO_RESET) {
		return;                /* RESET is an action, not a state */
	}
	if (len < 4 + id_offset(proto, mid) + 4)
		return;
	id = scmi_get_le32(p + id_offset(proto, mid));
	if (proto == SCMI_PROTO_PINCTRL) {
		if (len < 12 || (mid == SCMI_PINCTRL_SETTINGS_CONFIGURE && len < 16))
			return;
		osub = pin_type(p, mid);
	}
	own = find(a, proto, KIND_OWNER, (uint8_t)osub, id);
	if (own && own->owner != (int)guest)
		return;
	switch (proto << 8 | mid) {
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_LIMITS_SET:
		want = 16;
		break;
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_LEVEL_SET:
	case SCMI_PROTO_POWERCAP << 8 | SCMI_POWERCAP_CAP_SET:
		want = 16;
		break;
	case SCMI_PROTO_SENSOR << 8 | SCMI_SENSOR_TRIP_POINT_CONFIG:
		want = 20;
		if (len >= 12)
			sub = scmi_get_le32(p + 4) >> 4 & 0xff;   /* trip point id */
		break;
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_REQUEST:
		remember(a, guest, id, osub, req, 12);
		return;
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_RELEASE:
		forget(a, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, id, osub);
		return;
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_SETTINGS_CONFIGURE: {
		uint32_t attr = scmi_get_le32(p + 8), n = attr >> 2 & 0xff, i;

		if (len < 16 + 8 * (size_t)n)
			return;
		/* one setting per configuration type, and the function:
		 * key = selector type | config type << 8, or | 4 (function) */
		scmi_put_le32(m, h);
		scmi_put_le32(m + 4, id);
		if (attr & SCMI_PINCTRL_FUNC_VALID) {
			scmi_put_le32(m + 8, scmi_get_le32(p + 4));
			scmi_put_le32(m + 12, osub | SCMI_PINCTRL_FUNC_VALID);
			remember(a, guest, id, osub | 4u, m, 16);
		}
		scmi_put_le32(m + 8, SCMI_PINCTRL_NO_FUNCTION);
		scmi_put_le32(m + 12, osub | 1u << 2);
		for (i = 0; i < n; i++) {
			uint32_t type = scmi_get_le32(p + 12 + 8 * i);

			scmi_put_le32(m + 16, type);
			scmi_put_le32(m + 20, scmi_get_le32(p + 16 + 8 * i));
			remember(a, guest, id, osub | (type & 0xffffff) << 8, m, 24);
		}
		return;
	}
	}
	if (len < want)
		return;                /* the platform will have refused it */
	memcpy(m, req, want);
	if (proto == SCMI_PROTO_CLOCK && mid == SCMI_CLOCK_RATE_SET)
		clear_bits(m, 4, SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_IGNORE_DRESP);
	else if (proto == SCMI_PROTO_VOLTAGE && mid == SCMI_VOLTAGE_LEVEL_SET)
		clear_bits(m, 8, SCMI_VOLTAGE_LEVEL_SET_ASYNC);
	else if (proto == SCMI_PROTO_POWERCAP && mid == SCMI_POWERCAP_CAP_SET)
		clear_bits(m, 8, SCMI_POWERCAP_SET_ASYNC | SCMI_POWERCAP_SET_IGNORE_DRESP);
	remember(a, guest, id, sub, m, want);
}

static int by_seq(const void *x, const void *y)
{
	const struct setting *a = *(const struct setting *const *)x;
	const struct setting *b = *(const struct setting *const *)y;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

unsigned arb_replay_settings(struct arbiter *a)
{
	struct setting **v;
	unsigned i, n = 0, k;

	if (!a->nsettings)
		return 0;
	v = malloc(a->nsettings * sizeof(*v));
	if (!v) {
		log_err("arbiter: out of memory replaying %u settings", a->nsettings);
		a->stats.replay_failed += a->nsettings;
		return 0;
	}
	for (i = 0; i < ARB_HASH; i++) {
		struct setting *st;

		for (st = a->stab[i]; st; st = st->next)
			v[n++] = st;
	}
	qsort(v, n, sizeof(*v), by_seq);
	for (k = 0; k < n; k++) {
		a->stats.replayed++;
		if (a->ops && a->ops->replay) {
			if (a->ops->replay(a->opaque, v[k]->guest, v[k]->m, v[k]->len) < 0)
				a->stats.replay_failed++;
		} else if (a->ops && a->ops->emit) {
			a->ops->emit(a->opaque, v[k]->guest, v[k]->m, v[k]->len);
		}
	}
	free(v);
	return n;
}

void arb_replay_result(struct arbiter *a, int32_t status)
{
	if (status != SCMI_SUCCESS)
		a->stats.replay_failed++;
}

size_t arb_setting(const struct arbiter *a, uint8_t proto, uint8_t set_msg, uint32_t plat_id,
		   uint32_t sub, uint8_t *msg, unsigned *guest)
{
	struct setting *st = *sfind((struct arbiter *)a, proto, set_msg, plat_id, sub);

	if (!st)
		return 0;
	if (msg)
		memcpy(msg, st->m, st->len);
	if (guest)
		*guest = st->guest;
	return st->len;
}

/* ---- withdrawal ---------------------------------------------------------- */
void arb_withdraw(struct arbiter *a, unsigned guest)
{
	uint64_t bit;
	unsigned i;

	if (guest >= ARB_MAX_GUESTS)
		return;
	bit = 1ull << guest;
	a->stats.withdrawals++;
	forget_guest(a, guest);
	for (i = 0; i < ARB_HASH; i++) {
		struct ent *e;

		for (e = a->tab[i]; e; e = e->next) {
			if (e->owner == (int)guest)
				e->owner = -1;
			if (!(e->voted & bit) && !(e->pending & bit))
				continue;
			e->voted &= ~bit;
			e->pending &= ~bit;
			e->prev_voted &= ~bit;
			e->moved_sent &= ~bit;
			reconcile(a, e, guest);
		}
	}
}

/* ---- platform reset ------------------------------------------------------ */
unsigned arb_platform_replay(struct arbiter *a)
{
	unsigned i, n = 0;

	for (i = 0; i < ARB_HASH; i++) {
		struct ent *e;

		for (e = a->tab[i]; e; e = e->next) {
			uint8_t m[32];
			int64_t v;
			size_t len;

			if (e->kind == KIND_OWNER || !e->has_sent)
				continue;
			/* the committed votes' aggregate (pending ones were lost
			 * with the reset and come back as errors) */
			if (!aggregate(e, &v))
				v = e->sent;
			len = build_set(e, v, m);
			if (!len)
				continue;
			e->sent = v;
			a->stats.emitted++;
			n++;
			if (a->ops && a->ops->emit)
				a->ops->emit(a->opaque, 0, m, len);
		}
	}
	return n;
}

/* ---- introspection ------------------------------------------------------- */
bool arb_clock_vote(const struct arbiter *a, uint32_t clock_id, unsigned guest)
{
	const struct ent *e = find(a, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, clock_id);

	return e && guest < ARB_MAX_GUESTS && (e->voted >> guest & 1) &&
	       e->val[guest] == SCMI_CLOCK_STATE_ON;
}

int64_t arb_sent(const struct arbiter *a, uint8_t proto, uint8_t set_msg, uint32_t plat_id)
{
	const struct ent *e = find(a, proto, set_msg, 0, plat_id);

	return e && e->has_sent ? e->sent : -1;
}
