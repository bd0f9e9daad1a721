// SPDX-License-Identifier: GPL-2.0-only
/*
 * Embedded platform: CLOCK protocol v3.0.
 *
 * Physical model:
 *   - enable: every agent has its own vote; the clock runs while any agent
 *     (or the platform: `enabled=1` in the description is a permanent
 *     platform vote, bit 0 of the vote mask) votes it on. CLOCK_ATTRIBUTES
 *     bit 0 and CLOCK_CONFIG_GET return the calling agent's own vote, as a
 *     multi-agent SCP-firmware does, so that one guest never sees another
 *     guest's votes.
 *   - rate and parent are shared: the last accepted request wins; agents
 *     that subscribed to CLOCK_RATE_NOTIFY learn about changes.
 *   - permissions: an agent without device permission on the clock may
 *     read everything (attributes, rates, names, state, parents,
 *     permissions) but every request that changes the clock or subscribes
 *     to it is DENIED. A `restricted` clock allows only enable/disable.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define CLK_SET_ASYNC        (1u << 0)
#define CLK_SET_IGNORE_RESP  (1u << 1)
#define CLK_SET_ROUND_UP     (1u << 2)
#define CLK_SET_ROUND_AUTO   (1u << 3)
#define CLK_SET_FLAGS        0xfu

#define CLK_ATTR_ENABLED        (1u << 0)
#define CLK_ATTR_RESTRICTED     (1u << 1)
#define CLK_ATTR_PARENTS        (1u << 28)
#define CLK_ATTR_EXT_NAME       (1u << 29)
#define CLK_ATTR_REQ_NOTIFY     (1u << 30)
#define CLK_ATTR_RATE_NOTIFY    (1u << 31)

#define CLK_CFG_STATE_MASK      0x3u
#define CLK_CFG_OEM_MASK        0x00ff0000u
#define CLK_CFG_RESERVED        (~(CLK_CFG_STATE_MASK | CLK_CFG_OEM_MASK))
#define CLK_STATE_OFF           0u
#define CLK_STATE_ON            1u

#define CLK_PERM_STATE          (1u << 31)
#define CLK_PERM_PARENT         (1u << 30)
#define CLK_PERM_RATE           (1u << 29)

#define CLK_RATES_RANGE         (1u << 12)

struct clk_rt {
	uint64_t rate;
	uint32_t parent;
	uint32_t votes;          /* bit a: agent a votes on (bit 0: platform) */
	uint32_t sub_rate;       /* agents subscribed to CLOCK_RATE_CHANGED */
	uint32_t sub_req;        /* ... to CLOCK_RATE_CHANGE_REQUESTED */
	bool pending;            /* async rate change in flight */
	uint64_t pending_rate;
	unsigned pending_agent;
	uint32_t pending_hdr;
	bool pending_resp;       /* a delayed response is owed */
	uint64_t seq;
};

struct clk_state {
	unsigned n;
	unsigned async_inflight[PD_MAX_AGENTS + 1];
	struct clk_rt c[];
};

static struct clk_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_CLOCK);
}

static const struct pd_clock *desc_clk(const struct scmi_platform *p, uint32_t id)
{
	return &plat_desc(p)->clocks[id];
}

static uint32_t agent_bit(unsigned agent)
{
	return agent <= PD_MAX_AGENTS ? 1u << agent : 0;
}

static bool put_name(struct plat_resp *r, const char *name, size_t width)
{
	char buf[PD_NAME_MAX];

	snprintf(buf, sizeof(buf) < width ? sizeof(buf) : width, "%s", name);
	return plat_resp_str(r, buf, width);
}

static void notify_all(struct scmi_platform *p, uint32_t mask, uint8_t evt,
		       unsigned agent, uint32_t id, uint64_t rate)
{
	uint8_t pl[16];

	scmi_put_le32(pl, agent);
	scmi_put_le32(pl + 4, id);
	scmi_put_le64(pl + 8, rate);
	/* Subscribers that lost the permission meanwhile hear nothing. */
	for (unsigned a = 1; a <= PD_MAX_AGENTS; a++)
		if ((mask & agent_bit(a)) && plat_agent_may(p, a, PLAT_RES_CLOCK, id))
			plat_notify(p, a, SCMI_PROTO_CLOCK, evt, pl, sizeof(pl), 0);
}

static void apply_rate(struct scmi_platform *p, uint32_t id, uint64_t rate, unsigned agent)
{
	struct clk_rt *c = &st(p)->c[id];

	if (c->rate == rate)
		return;
	c->rate = rate;
	notify_all(p, c->sub_rate, SCMI_CLOCK_RATE_CHANGED, agent, id, rate);
}

/* Round `want` to a supported rate per the RATE_SET flags. */
static int32_t round_rate(const struct pd_clock *d, uint64_t want, uint32_t flags,
			  uint64_t *out)
{
	bool up = flags & CLK_SET_ROUND_UP, autor = flags & CLK_SET_ROUND_AUTO;

	if (d->range) {
		uint64_t lo, hi;

		if (want < d->min || want > d->max)
			return SCMI_OUT_OF_RANGE;
		lo = d->min + (want - d->min) / d->step * d->step;
		hi = lo == want || lo + d->step > d->max ? lo : lo + d->step;
		if (autor)
			*out = want - lo <= hi - want ? lo : hi;
		else
			*out = up ? hi : lo;
		return SCMI_SUCCESS;
	}
	if (!d->nrates || want < d->rates[0] || want > d->rates[d->nrates - 1])
		return SCMI_OUT_OF_RANGE;
	for (unsigned i = 0; i < d->nrates; i++) {
		uint64_t lo, hi;

		if (d->rates[i] == want) {
			*out = want;
			return SCMI_SUCCESS;
		}
		if (d->rates[i] < want)
			continue;
		/* rates[i-1] < want < rates[i]; i > 0 by the range check */
		lo = d->rates[i - 1];
		hi = d->rates[i];
		if (autor)
			*out = want - lo <= hi - want ? lo : hi;
		else
			*out = up ? hi : lo;
		return SCMI_SUCCESS;
	}
	return SCMI_OUT_OF_RANGE;
}

/* ---- commands ------------------------------------------------------------ */

static int32_t clk_proto_attrs(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	const struct plat_desc *d = plat_desc(p);
	uint32_t max_async = d->clock_max_async > 255 ? 255 : d->clock_max_async;

	if (!plat_resp_u32(r, (st(p)->n & 0xffff) | (max_async << 16)))
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}

static int32_t lookup(const struct scmi_platform *p, const struct plat_req *q, uint32_t *id)
{
	*id = plat_arg(q, 0);
	return *id < st(p)->n ? SCMI_SUCCESS : SCMI_NOT_FOUND;
}

static bool may(const struct scmi_platform *p, unsigned agent, uint32_t id)
{
	return plat_agent_may(p, agent, PLAT_RES_CLOCK, id);
}

static int32_t clk_attributes(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	const struct pd_clock *d;
	uint32_t id, attr = CLK_ATTR_EXT_NAME;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (plat_resp_room(r) < 24)
		return SCMI_PROTOCOL_ERROR;
	d = desc_clk(p, id);
	if (st(p)->c[id].votes & agent_bit(q->agent))
		attr |= CLK_ATTR_ENABLED;
	if (d->restricted || !may(p, q->agent, id))
		attr |= CLK_ATTR_RESTRICTED;
	if (d->nparents)
		attr |= CLK_ATTR_PARENTS;
	if (d->notify)
		attr |= CLK_ATTR_RATE_NOTIFY | CLK_ATTR_REQ_NOTIFY;
	plat_resp_u32(r, attr);
	put_name(r, d->name, SCMI_SHORT_NAME_LEN);
	plat_resp_u32(r, d->enable_latency_us);
	return SCMI_SUCCESS;
}

static int32_t clk_describe_rates(struct scmi_platform *p, const struct plat_req *q,
				  struct plat_resp *r)
{
	const struct pd_clock *d;
	uint32_t id, idx = plat_arg(q, 1);
	size_t room, n, rem;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = desc_clk(p, id);
	room = plat_resp_room(r);
	if (d->range) {
		if (idx != 0)
			return SCMI_OUT_OF_RANGE;
		if (room < 4 + 3 * 8)
			return SCMI_PROTOCOL_ERROR;
		plat_resp_u32(r, 3 | CLK_RATES_RANGE);
		plat_resp_u64(r, d->min);
		plat_resp_u64(r, d->max);
		plat_resp_u64(r, d->step);
		return SCMI_SUCCESS;
	}
	if (idx >= d->nrates)
		return SCMI_OUT_OF_RANGE;
	rem = d->nrates - idx;
	n = room < 4 ? 0 : (room - 4) / 8;
	if (n > rem)
		n = rem;
	if (n > 0xfff)
		n = 0xfff;
	if (!n)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, (uint32_t)n | (uint32_t)((rem - n) << 16));
	for (size_t i = 0; i < n; i++)
		plat_resp_u64(r, d->rates[idx + i]);
	return SCMI_SUCCESS;
}

static void clk_async_done(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct clk_state *s = st(p);
	uint32_t id = (uint32_t)(cookie & 0xffff);
	struct clk_rt *c;
	uint8_t v[12];

	(void)arg;
	if (!s || id >= s->n)
		return;
	c = &s->c[id];
	if (!c->pending || c->seq != cookie >> 16)
		return;
	c->pending = false;
	if (s->async_inflight[c->pending_agent])
		s->async_inflight[c->pending_agent]--;
	apply_rate(p, id, c->pending_rate, c->pending_agent);
	if (c->pending_resp) {
		scmi_put_le32(v, id);
		scmi_put_le64(v + 4, c->rate);
		plat_delayed_resp(p, c->pending_agent, c->pending_hdr, SCMI_SUCCESS,
				  v, sizeof(v), 0);
	}
}

static int32_t clk_rate_set(struct scmi_platform *p, const struct plat_req *q,
			    struct plat_resp *r)
{
	struct clk_state *s = st(p);
	uint32_t flags = plat_arg(q, 0), id = plat_arg(q, 1);
	uint64_t want = scmi_get_le64(q->payload + 8), rate;
	const struct pd_clock *d;
	struct clk_rt *c;
	int32_t ret;

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	if (flags & ~CLK_SET_FLAGS)
		return SCMI_INVALID_PARAMETERS;
	d = desc_clk(p, id);
	c = &s->c[id];
	if (!may(p, q->agent, id) || d->restricted)
		return SCMI_DENIED;
	ret = round_rate(d, want, flags, &rate);
	if (ret)
		return ret;
	if (c->pending)
		return SCMI_BUSY;
	if (flags & CLK_SET_ASYNC) {
		const struct plat_desc *pd = plat_desc(p);

		if (!pd->clock_max_async)
			return SCMI_NOT_SUPPORTED;
		if (q->agent > PD_MAX_AGENTS)
			return SCMI_GENERIC_ERROR;
		if (s->async_inflight[q->agent] >= pd->clock_max_async)
			return SCMI_BUSY;
	}
	notify_all(p, c->sub_req, SCMI_CLOCK_RATE_CHANGE_REQUESTED, q->agent, id, rate);
	if (!(flags & CLK_SET_ASYNC)) {
		apply_rate(p, id, rate, q->agent);
		return SCMI_SUCCESS;
	}
	c->pending = true;
	c->pending_rate = rate;
	c->pending_agent = q->agent;
	c->pending_hdr = q->hdr;
	c->pending_resp = !(flags & CLK_SET_IGNORE_RESP);
	c->seq++;
	s->async_inflight[q->agent]++;
	/* A clock without async support completes at once (delay 0). */
	if (plat_schedule(p, d->async ? (uint64_t)d->rate_latency_us * 1000u : 0,
			  clk_async_done, NULL, (c->seq << 16) | id)) {
		c->pending = false;
		s->async_inflight[q->agent]--;
		return SCMI_GENERIC_ERROR;
	}
	return SCMI_SUCCESS;
}

static int32_t clk_rate_get(struct scmi_platform *p, const struct plat_req *q,
			    struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (!plat_resp_u64(r, st(p)->c[id].rate))
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}

static int32_t clk_config_set(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	uint32_t id, attr = plat_arg(q, 1), state;
	struct clk_rt *c;

	/* Clock v1.0/v2.0 agents (e.g. Linux 6.1) send no oem_config_val. */
	if (q->len != 8 && q->len != 12)
		return SCMI_PROTOCOL_ERROR;
	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (attr & CLK_CFG_RESERVED)
		return SCMI_INVALID_PARAMETERS;
	if (attr & CLK_CFG_OEM_MASK)
		return SCMI_NOT_SUPPORTED;       /* no extended (OEM) config */
	state = attr & CLK_CFG_STATE_MASK;
	if (state != CLK_STATE_OFF && state != CLK_STATE_ON)
		return SCMI_INVALID_PARAMETERS;  /* reserved, or "unchanged" w/o OEM */
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	c = &st(p)->c[id];
	if (state == CLK_STATE_ON)
		c->votes |= agent_bit(q->agent);
	else
		c->votes &= ~agent_bit(q->agent);
	return SCMI_SUCCESS;
}

static int32_t clk_name_get(struct scmi_platform *p, const struct plat_req *q,
			    struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (plat_resp_room(r) < 4 + SCMI_EXT_NAME_LEN)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, 0);
	put_name(r, desc_clk(p, id)->name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t clk_notify(struct scmi_platform *p, const struct plat_req *q, bool req)
{
	uint32_t id, en = plat_arg(q, 1);
	uint32_t *mask;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!desc_clk(p, id)->notify)
		return SCMI_NOT_SUPPORTED;
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	mask = req ? &st(p)->c[id].sub_req : &st(p)->c[id].sub_rate;
	if (en)
		*mask |= agent_bit(q->agent);
	else
		*mask &= ~agent_bit(q->agent);
	return SCMI_SUCCESS;
}

static int32_t clk_rate_notify(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	return clk_notify(p, q, false);
}

static int32_t clk_req_notify(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	return clk_notify(p, q, true);
}

static int32_t clk_config_get(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	uint32_t id, flags = plat_arg(q, 1);

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (flags & ~0xffu)
		return SCMI_INVALID_PARAMETERS;
	if (flags)
		return SCMI_NOT_SUPPORTED;       /* no extended (OEM) config */
	if (plat_resp_room(r) < 12)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, 0);
	plat_resp_u32(r, (st(p)->c[id].votes & agent_bit(q->agent)) ? 1u : 0u);
	plat_resp_u32(r, 0);
	return SCMI_SUCCESS;
}

static int32_t clk_possible_parents(struct scmi_platform *p, const struct plat_req *q,
				    struct plat_resp *r)
{
	const struct pd_clock *d;
	uint32_t id, skip = plat_arg(q, 1);
	size_t room, n, rem;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = desc_clk(p, id);
	if (!d->nparents)
		return SCMI_NOT_SUPPORTED;
	if (skip >= d->nparents)
		return SCMI_OUT_OF_RANGE;
	rem = d->nparents - skip;
	room = plat_resp_room(r);
	n = room < 4 ? 0 : (room - 4) / 4;
	if (n > rem)
		n = rem;
	if (n > 0xff)
		n = 0xff;
	if (!n)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, (uint32_t)n | (uint32_t)((rem - n) << 24));
	for (size_t i = 0; i < n; i++)
		plat_resp_u32(r, d->parents[skip + i]);
	return SCMI_SUCCESS;
}

static int32_t clk_parent_set(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	const struct pd_clock *d;
	uint32_t id, parent = plat_arg(q, 1);
	bool ok = false;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = desc_clk(p, id);
	if (!d->nparents)
		return SCMI_NOT_SUPPORTED;
	if (parent >= st(p)->n)
		return SCMI_NOT_FOUND;
	for (unsigned i = 0; i < d->nparents; i++)
		ok |= d->parents[i] == parent;
	if (!ok)
		return SCMI_INVALID_PARAMETERS;
	if (!may(p, q->agent, id) || d->restricted)
		return SCMI_DENIED;
	st(p)->c[id].parent = parent;
	return SCMI_SUCCESS;
}

static int32_t clk_parent_get(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (!desc_clk(p, id)->nparents)
		return SCMI_NOT_SUPPORTED;
	if (!plat_resp_u32(r, st(p)->c[id].parent))
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}

static int32_t clk_get_permissions(struct scmi_platform *p, const struct plat_req *q,
				   struct plat_resp *r)
{
	const struct pd_clock *d;
	uint32_t id, perm = 0;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = desc_clk(p, id);
	if (may(p, q->agent, id)) {
		perm |= CLK_PERM_STATE;
		if (!d->restricted) {
			perm |= CLK_PERM_RATE;
			if (d->nparents)
				perm |= CLK_PERM_PARENT;
		}
	}
	if (!plat_resp_u32(r, perm))
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}

/* ---- lifecycle ------------------------------------------------------------ */

static int clk_init(struct scmi_platform *p)
{
	const struct plat_desc *d = plat_desc(p);
	struct clk_state *s = calloc(1, sizeof(*s) + d->nclocks * sizeof(s->c[0]));

	if (!s)
		return -1;
	s->n = d->nclocks;
	for (unsigned i = 0; i < s->n; i++) {
		const struct pd_clock *c = &d->clocks[i];

		s->c[i].rate = c->rate;
		s->c[i].parent = c->nparents ? c->parent : 0;
		s->c[i].votes = c->enabled ? 1u : 0u;
	}
	plat_set_state(p, SCMI_PROTO_CLOCK, s);
	return 0;
}

static void clk_fini(struct scmi_platform *p)
{
	free(st(p));
	plat_set_state(p, SCMI_PROTO_CLOCK, NULL);
}

static void clk_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct clk_state *s = st(p);
	uint32_t bit = agent_bit(agent);

	if (!s || !bit || agent == 0)
		return;
	for (unsigned i = 0; i < s->n; i++) {
		struct clk_rt *c = &s->c[i];

		c->votes &= ~bit;
		c->sub_rate &= ~bit;
		c->sub_req &= ~bit;
		/* The change still completes; the reset agent gets no answer. */
		if (c->pending && c->pending_agent == agent)
			c->pending_resp = false;
	}
}

static void clk_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct clk_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);

	if (!s)
		return;
	if (json)
		fputs("\"clock\":[", out);
	for (unsigned i = 0; i < s->n; i++) {
		const struct clk_rt *c = &s->c[i];

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, d->clocks[i].name);
			fprintf(out, ",\"enabled\":%s,\"rate\":%" PRIu64
				",\"parent\":%u,\"votes\":%u}", c->votes ? "true" : "false",
				c->rate, c->parent, c->votes);
		} else {
			fprintf(out, "clock %u %s: %s rate=%" PRIu64 " parent=%u votes=0x%x\n",
				i, d->clocks[i].name, c->votes ? "on" : "off", c->rate,
				c->parent, c->votes);
		}
	}
	if (json)
		fputc(']', out);
}

int plat_clock_state(const struct scmi_platform *p, uint32_t id, struct plat_clock_state *s)
{
	const struct clk_state *cs = st(p);

	if (!cs || id >= cs->n || !s)
		return -1;
	s->enabled = cs->c[id].votes != 0;
	s->rate = cs->c[id].rate;
	s->parent = cs->c[id].parent;
	s->votes = cs->c[id].votes;
	return 0;
}

bool plat_clock_agent_vote(const struct scmi_platform *p, uint32_t id, unsigned agent_id)
{
	const struct clk_state *cs = st(p);

	return cs && id < cs->n && (cs->c[id].votes & agent_bit(agent_id));
}

const struct plat_proto plat_proto_clock = {
	.id = SCMI_PROTO_CLOCK,
	.version = SCMI_VERSION_CLOCK,
	.attributes = clk_proto_attrs,
	.cmds = {
		[SCMI_CLOCK_ATTRIBUTES] = clk_attributes,
		[SCMI_CLOCK_DESCRIBE_RATES] = clk_describe_rates,
		[SCMI_CLOCK_RATE_SET] = clk_rate_set,
		[SCMI_CLOCK_RATE_GET] = clk_rate_get,
		[SCMI_CLOCK_CONFIG_SET] = clk_config_set,
		[SCMI_CLOCK_NAME_GET] = clk_name_get,
		[SCMI_CLOCK_RATE_NOTIFY] = clk_rate_notify,
		[SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY] = clk_req_notify,
		[SCMI_CLOCK_CONFIG_GET] = clk_config_get,
		[SCMI_CLOCK_POSSIBLE_PARENTS_GET] = clk_possible_parents,
		[SCMI_CLOCK_PARENT_SET] = clk_parent_set,
		[SCMI_CLOCK_PARENT_GET] = clk_parent_get,
		[SCMI_CLOCK_GET_PERMISSIONS] = clk_get_permissions,
	},
	.init = clk_init,
	.fini = clk_fini,
	.reset_agent = clk_reset_agent,
	.dump = clk_dump,
};
