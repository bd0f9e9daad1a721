// SPDX-License-Identifier: GPL-2.0-only
/*
 * Embedded platform: PERFORMANCE protocol v4.0.
 *
 * Physical model (per domain):
 *   - every agent has its own level request and its own limits;
 *   - effective limits: max = the lowest max any agent set, min = the
 *     highest min any agent set (the domain's full range when nobody set
 *     any); if they cross, min is lowered to max (a cap always wins);
 *   - physical level: the highest level any agent requested (the initial
 *     level while nobody requested one), clamped to the effective limits.
 *   - LEVEL_GET and LIMITS_GET return the physical level and the effective
 *     limits: what the domain really does.
 * Levels and limits must be exact described levels (perf values, or level
 * indexes when the domain uses level indexing); anything else is
 * OUT_OF_RANGE. There are no fastchannels (virtio-scmi has none):
 * DOMAIN_ATTRIBUTES never sets the fastchannel bit and DESCRIBE_FASTCHANNEL
 * answers NOT_SUPPORTED for every valid domain.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define PERF_DOM_SET_LIMITS     (1u << 31)
#define PERF_DOM_SET_LEVEL      (1u << 30)
#define PERF_DOM_LIMITS_NOTIFY  (1u << 29)
#define PERF_DOM_LEVEL_NOTIFY   (1u << 28)
#define PERF_DOM_EXT_NAME       (1u << 26)
#define PERF_DOM_LEVEL_INDEXING (1u << 25)

#define PERF_POWER_MW           (1u << 16)
#define PERF_POWER_UW           (1u << 17)

#define PERF_LEVEL_DESC_LEN     20u     /* v4: + indicative freq, level index */
#define PERF_LEVEL_DESC_LEN_V3  12u

struct perf_rt {
	unsigned req[PD_MAX_AGENTS + 1];       /* requested level index */
	unsigned lim_max[PD_MAX_AGENTS + 1], lim_min[PD_MAX_AGENTS + 1];
	uint32_t req_mask, lim_mask;           /* agents with a request/limits */
	unsigned level, min, max;              /* physical (indexes) */
	unsigned init;                         /* initial level index */
	uint32_t sub_lim, sub_lvl;
};

struct perf_state {
	unsigned n;
	struct perf_rt d[];
};

static struct perf_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_PERF);
}

static const struct pd_perf_domain *dom(const struct scmi_platform *p, uint32_t id)
{
	return &plat_desc(p)->perf[id];
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

static bool agent_v4(const struct scmi_platform *p, unsigned agent)
{
	return plat_agent_version(p, agent, SCMI_PROTO_PERF) >= 0x40000;
}

/* Level indexing is a v4 feature: an agent that negotiated v3.x talks in
 * performance values on every domain. */
static bool indexing(const struct scmi_platform *p, unsigned agent,
		     const struct pd_perf_domain *d)
{
	return d->level_indexing && agent_v4(p, agent);
}

/* Wire value of level index i for agent (perf value, or the index itself). */
static uint32_t wire(const struct scmi_platform *p, unsigned agent,
		     const struct pd_perf_domain *d, unsigned i)
{
	return indexing(p, agent, d) ? i : d->levels[i].perf;
}

static int32_t from_wire(const struct scmi_platform *p, unsigned agent,
			 const struct pd_perf_domain *d, uint32_t v, unsigned *idx)
{
	if (indexing(p, agent, d)) {
		if (v >= d->nlevels)
			return SCMI_OUT_OF_RANGE;
		*idx = v;
		return SCMI_SUCCESS;
	}
	for (unsigned i = 0; i < d->nlevels; i++) {
		if (d->levels[i].perf == v) {
			*idx = i;
			return SCMI_SUCCESS;
		}
	}
	return SCMI_OUT_OF_RANGE;
}

/* Send LIMITS_CHANGED (two levels) or LEVEL_CHANGED (one level) to the
 * agents in mask, each in its own level encoding. */
static void notify_mask(struct scmi_platform *p, uint32_t mask, uint8_t evt,
			unsigned cause, uint32_t id, unsigned l0, const unsigned *l1)
{
	const struct pd_perf_domain *d = dom(p, id);
	uint8_t pl[16];

	scmi_put_le32(pl, cause);
	scmi_put_le32(pl + 4, id);
	for (unsigned a = 1; a <= PD_MAX_AGENTS; a++) {
		/* subscribers that lost the permission meanwhile hear nothing */
		if (!(mask & agent_bit(a)) || !plat_agent_may(p, a, PLAT_RES_PERF, id))
			continue;
		scmi_put_le32(pl + 8, wire(p, a, d, l0));
		if (l1)
			scmi_put_le32(pl + 12, wire(p, a, d, *l1));
		plat_notify(p, a, SCMI_PROTO_PERF, evt, pl, l1 ? 16 : 12, 0);
	}
}

/* Recompute the physical state of domain `id`; `agent` caused the change. */
static void recompute(struct scmi_platform *p, uint32_t id, unsigned agent)
{
	const struct pd_perf_domain *d = dom(p, id);
	struct perf_rt *c = &st(p)->d[id];
	unsigned max = d->nlevels - 1, min = 0, level = c->init;

	for (unsigned a = 1; a <= PD_MAX_AGENTS; a++) {
		if (!(c->lim_mask & agent_bit(a)))
			continue;
		if (c->lim_max[a] < max)
			max = c->lim_max[a];
		if (c->lim_min[a] > min)
			min = c->lim_min[a];
	}
	if (min > max)
		min = max;
	if (c->req_mask) {
		level = 0;
		for (unsigned a = 1; a <= PD_MAX_AGENTS; a++)
			if ((c->req_mask & agent_bit(a)) && c->req[a] > level)
				level = c->req[a];
	}
	if (level > max)
		level = max;
	if (level < min)
		level = min;

	if (min != c->min || max != c->max) {
		c->min = min;
		c->max = max;
		notify_mask(p, c->sub_lim, SCMI_PERF_LIMITS_CHANGED, agent, id, max, &min);
	}
	if (level != c->level) {
		c->level = level;
		notify_mask(p, c->sub_lvl, SCMI_PERF_LEVEL_CHANGED, agent, id, level, NULL);
	}
}

static int32_t lookup(const struct scmi_platform *p, const struct plat_req *q, uint32_t *id)
{
	*id = plat_arg(q, 0);
	return *id < st(p)->n ? SCMI_SUCCESS : SCMI_NOT_FOUND;
}

static bool may(const struct scmi_platform *p, unsigned agent, uint32_t id)
{
	return agent >= 1 && agent <= PD_MAX_AGENTS &&
	       plat_agent_may(p, agent, PLAT_RES_PERF, id);
}

/* ---- commands ------------------------------------------------------------ */

static int32_t perf_proto_attrs(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t w = st(p)->n & 0xffff;

	if (plat_resp_room(r) < 16)
		return SCMI_PROTOCOL_ERROR;
	if (plat_desc(p)->perf_power_unit == PD_POWER_MW)
		w |= PERF_POWER_MW;
	else if (plat_desc(p)->perf_power_unit == PD_POWER_UW)
		w |= PERF_POWER_UW;
	plat_resp_u32(r, w);
	plat_resp_u32(r, 0);        /* no statistics shared memory */
	plat_resp_u32(r, 0);
	plat_resp_u32(r, 0);
	return SCMI_SUCCESS;
}

static int32_t perf_dom_attrs(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	const struct pd_perf_domain *d;
	uint32_t id, f = PERF_DOM_EXT_NAME;
	bool m;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (plat_resp_room(r) < 16 + SCMI_SHORT_NAME_LEN)
		return SCMI_PROTOCOL_ERROR;
	d = dom(p, id);
	m = may(p, q->agent, id);
	if (d->set_limits && m)
		f |= PERF_DOM_SET_LIMITS;
	if (d->set_level && m)
		f |= PERF_DOM_SET_LEVEL;
	if (d->notify_limits)
		f |= PERF_DOM_LIMITS_NOTIFY;
	if (d->notify_level)
		f |= PERF_DOM_LEVEL_NOTIFY;
	if (indexing(p, q->agent, d))
		f |= PERF_DOM_LEVEL_INDEXING;
	plat_resp_u32(r, f);
	plat_resp_u32(r, d->rate_limit_us & 0xfffffu);
	plat_resp_u32(r, d->sustained_freq_khz);
	plat_resp_u32(r, d->sustained_perf);
	put_name(r, d->name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t perf_describe_levels(struct scmi_platform *p, const struct plat_req *q,
				    struct plat_resp *r)
{
	const struct pd_perf_domain *d;
	uint32_t id, idx = plat_arg(q, 1);
	size_t room, n, rem, item = PERF_LEVEL_DESC_LEN;
	bool v4 = agent_v4(p, q->agent);

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = dom(p, id);
	if (idx >= d->nlevels)
		return SCMI_OUT_OF_RANGE;
	if (!v4)
		item = PERF_LEVEL_DESC_LEN_V3;   /* agent negotiated v3.x */
	rem = d->nlevels - idx;
	room = plat_resp_room(r);
	n = room < 4 ? 0 : (room - 4) / item;
	if (n > rem)
		n = rem;
	if (!n)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, (uint32_t)n | (uint32_t)((rem - n) << 16));
	for (size_t i = 0; i < n; i++) {
		const struct pd_perf_level *l = &d->levels[idx + i];

		plat_resp_u32(r, l->perf);
		plat_resp_u32(r, l->power);
		plat_resp_u32(r, l->latency_us > 0xffff ? 0xffff : l->latency_us);
		if (!v4)
			continue;
		plat_resp_u32(r, l->freq_khz);
		plat_resp_u32(r, (uint32_t)(idx + i));
	}
	return SCMI_SUCCESS;
}

static int32_t perf_limits_set(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	const struct pd_perf_domain *d;
	uint32_t id;
	unsigned max, min;
	struct perf_rt *c;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = dom(p, id);
	if (!d->set_limits || !may(p, q->agent, id))
		return SCMI_DENIED;
	if (from_wire(p, q->agent, d, plat_arg(q, 1), &max) ||
	    from_wire(p, q->agent, d, plat_arg(q, 2), &min))
		return SCMI_OUT_OF_RANGE;
	if (min > max)
		return SCMI_INVALID_PARAMETERS;
	c = &st(p)->d[id];
	c->lim_max[q->agent] = max;
	c->lim_min[q->agent] = min;
	c->lim_mask |= agent_bit(q->agent);
	recompute(p, id, q->agent);
	return SCMI_SUCCESS;
}

static int32_t perf_limits_get(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	uint32_t id;
	const struct perf_rt *c;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (plat_resp_room(r) < 8)
		return SCMI_PROTOCOL_ERROR;
	c = &st(p)->d[id];
	plat_resp_u32(r, wire(p, q->agent, dom(p, id), c->max));
	plat_resp_u32(r, wire(p, q->agent, dom(p, id), c->min));
	return SCMI_SUCCESS;
}

static int32_t perf_level_set(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	const struct pd_perf_domain *d;
	uint32_t id;
	unsigned lvl;
	struct perf_rt *c;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	d = dom(p, id);
	if (!d->set_level || !may(p, q->agent, id))
		return SCMI_DENIED;
	if (from_wire(p, q->agent, d, plat_arg(q, 1), &lvl))
		return SCMI_OUT_OF_RANGE;
	c = &st(p)->d[id];
	c->req[q->agent] = lvl;
	c->req_mask |= agent_bit(q->agent);
	recompute(p, id, q->agent);
	return SCMI_SUCCESS;
}

static int32_t perf_level_get(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (!plat_resp_u32(r, wire(p, q->agent, dom(p, id), st(p)->d[id].level)))
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}

static int32_t perf_notify(struct scmi_platform *p, const struct plat_req *q, bool level)
{
	const struct pd_perf_domain *d;
	uint32_t id, en = plat_arg(q, 1), *mask;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	d = dom(p, id);
	if (!(level ? d->notify_level : d->notify_limits))
		return SCMI_NOT_SUPPORTED;
	if (!may(p, q->agent, id))
		return SCMI_DENIED;
	mask = level ? &st(p)->d[id].sub_lvl : &st(p)->d[id].sub_lim;
	if (en)
		*mask |= agent_bit(q->agent);
	else
		*mask &= ~agent_bit(q->agent);
	return SCMI_SUCCESS;
}

static int32_t perf_notify_limits(struct scmi_platform *p, const struct plat_req *q,
				  struct plat_resp *r)
{
	return perf_notify(p, q, false);
}

static int32_t perf_notify_level(struct scmi_platform *p, const struct plat_req *q,
				 struct plat_resp *r)
{
	return perf_notify(p, q, true);
}

static int32_t perf_describe_fc(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	/* No domain has fastchannels (and no message is fastchannel-capable). */
	return SCMI_NOT_SUPPORTED;
}

static int32_t perf_name_get(struct scmi_platform *p, const struct plat_req *q,
			     struct plat_resp *r)
{
	uint32_t id;

	if (lookup(p, q, &id))
		return SCMI_NOT_FOUND;
	if (plat_resp_room(r) < 4 + SCMI_EXT_NAME_LEN)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, 0);
	put_name(r, dom(p, id)->name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

/* ---- lifecycle ------------------------------------------------------------ */

static int perf_init(struct scmi_platform *p)
{
	const struct plat_desc *d = plat_desc(p);
	struct perf_state *s = calloc(1, sizeof(*s) + d->nperf * sizeof(s->d[0]));

	if (!s)
		return -1;
	s->n = d->nperf;
	for (unsigned i = 0; i < s->n; i++) {
		const struct pd_perf_domain *pd = &d->perf[i];
		struct perf_rt *c = &s->d[i];

		c->max = pd->nlevels ? pd->nlevels - 1 : 0;
		for (unsigned l = 0; l < pd->nlevels; l++)
			if (pd->levels[l].perf == pd->level)
				c->init = l;
		c->level = c->init;
	}
	plat_set_state(p, SCMI_PROTO_PERF, s);
	return 0;
}

static void perf_fini(struct scmi_platform *p)
{
	free(st(p));
	plat_set_state(p, SCMI_PROTO_PERF, NULL);
}

static void perf_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct perf_state *s = st(p);
	uint32_t bit = agent_bit(agent);

	if (!s || !bit || agent == 0)
		return;
	for (unsigned i = 0; i < s->n; i++) {
		struct perf_rt *c = &s->d[i];

		c->req_mask &= ~bit;
		c->lim_mask &= ~bit;
		c->sub_lim &= ~bit;
		c->sub_lvl &= ~bit;
		recompute(p, i, 0);     /* the platform itself changes it */
	}
}

static void perf_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct perf_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);

	if (!s)
		return;
	if (json)
		fputs("\"perf\":[", out);
	for (unsigned i = 0; i < s->n; i++) {
		const struct pd_perf_domain *pd = &d->perf[i];
		const struct perf_rt *c = &s->d[i];

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, pd->name);
			fprintf(out, ",\"level\":%u,\"min\":%u,\"max\":%u}",
				pd->levels[c->level].perf, pd->levels[c->min].perf,
				pd->levels[c->max].perf);
		} else {
			fprintf(out, "perf %u %s: level=%u limits=[%u,%u]\n", i, pd->name,
				pd->levels[c->level].perf, pd->levels[c->min].perf,
				pd->levels[c->max].perf);
		}
	}
	if (json)
		fputc(']', out);
}

int plat_perf_state(const struct scmi_platform *p, uint32_t id, struct plat_perf_state *s)
{
	const struct perf_state *ps = st(p);
	const struct pd_perf_domain *d;

	if (!ps || id >= ps->n || !s)
		return -1;
	d = dom(p, id);
	s->level = d->levels[ps->d[id].level].perf;
	s->min = d->levels[ps->d[id].min].perf;
	s->max = d->levels[ps->d[id].max].perf;
	return 0;
}

const struct plat_proto plat_proto_perf = {
	.id = SCMI_PROTO_PERF,
	.version = SCMI_VERSION_PERF,
	.attributes = perf_proto_attrs,
	.cmds = {
		[SCMI_PERF_DOMAIN_ATTRIBUTES] = perf_dom_attrs,
		[SCMI_PERF_DESCRIBE_LEVELS] = perf_describe_levels,
		[SCMI_PERF_LIMITS_SET] = perf_limits_set,
		[SCMI_PERF_LIMITS_GET] = perf_limits_get,
		[SCMI_PERF_LEVEL_SET] = perf_level_set,
		[SCMI_PERF_LEVEL_GET] = perf_level_get,
		[SCMI_PERF_NOTIFY_LIMITS] = perf_notify_limits,
		[SCMI_PERF_NOTIFY_LEVEL] = perf_notify_level,
		[SCMI_PERF_DESCRIBE_FASTCHANNEL] = perf_describe_fc,
		[SCMI_PERF_DOMAIN_NAME_GET] = perf_name_get,
	},
	.init = perf_init,
	.fini = perf_fini,
	.reset_agent = perf_reset_agent,
	.dump = perf_dump,
};
