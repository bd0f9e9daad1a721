// SPDX-License-Identifier: GPL-2.0-only
/*
 * POWER domain protocol (0x11) v3.1 of the embedded platform.
 *
 * Each agent votes a state per domain; the domain is physically ON while
 * any agent votes ON. Without an ON vote it takes the shallowest state
 * voted (lowest state id), and without any vote its initial state.
 * An asynchronous STATE_SET returns at once (no delayed response, as the
 * spec says) and the state changes after the domain's latency; every
 * physical change sends POWER_STATE_CHANGED to subscribed agents.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define PWR_ASYNC_LATENCY_NS 100000u      /* 100 us */

struct pwr_domain {
	uint32_t state;                        /* physical */
	bool voted[PD_MAX_AGENTS + 1];
	uint32_t vote[PD_MAX_AGENTS + 1];
	bool notify[PD_MAX_AGENTS + 1];
	uint32_t changes;
};

struct pwr_state {
	unsigned n;
	/* bumped when an agent is reset: its pending async requests die */
	uintptr_t gen[PD_MAX_AGENTS + 1];
	struct pwr_domain dom[];
};

static struct pwr_state *pwr_st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_POWER);
}

static uint32_t aggregate(const struct scmi_platform *p, uint32_t id)
{
	const struct pwr_domain *d = &pwr_st(p)->dom[id];
	bool any = false;
	uint32_t best = 0;

	for (unsigned a = 1; a <= plat_num_agents(p); a++) {
		if (!d->voted[a])
			continue;
		if (d->vote[a] == SCMI_POWER_STATE_ON)
			return SCMI_POWER_STATE_ON;
		if (!any || d->vote[a] < best)
			best = d->vote[a];
		any = true;
	}
	return any ? best : plat_desc(p)->power[id].state;
}

/* Apply the aggregate of the votes; notify subscribers of a change made
 * on behalf of `agent`. */
static void update(struct scmi_platform *p, uint32_t id, unsigned agent)
{
	struct pwr_domain *d = &pwr_st(p)->dom[id];
	uint32_t st = aggregate(p, id);
	uint8_t pl[12];

	if (st == d->state)
		return;
	d->state = st;
	d->changes++;
	scmi_put_le32(pl, agent);
	scmi_put_le32(pl + 4, id);
	scmi_put_le32(pl + 8, st);
	for (unsigned a = 1; a <= plat_num_agents(p); a++)
		if (d->notify[a])
			plat_notify(p, a, SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED, pl,
				    sizeof(pl), 0);
}

/* Record agent's vote for domain id and apply the result. */
static void vote(struct scmi_platform *p, unsigned agent, uint32_t id, uint32_t state)
{
	struct pwr_domain *d = &pwr_st(p)->dom[id];

	d->voted[agent] = true;
	d->vote[agent] = state;
	update(p, id, agent);
}

/* Completion of an asynchronous STATE_SET: the vote takes effect now.
 * cookie = agent << 48 | domain << 32 | state. */
static void async_done(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	unsigned agent = (unsigned)(cookie >> 48);
	uint32_t id = (uint32_t)(cookie >> 32) & 0xffff;

	struct pwr_state *s = pwr_st(p);

	if (s && id < s->n && agent <= PD_MAX_AGENTS && s->gen[agent] == (uintptr_t)arg)
		vote(p, agent, id, (uint32_t)cookie);
}

static int32_t pwr_attributes(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	plat_resp_u32(r, pwr_st(p)->n & 0xffff);
	plat_resp_u32(r, 0);    /* no statistics shared memory */
	plat_resp_u32(r, 0);
	plat_resp_u32(r, 0);
	return SCMI_SUCCESS;
}

static int32_t pwr_domain_attributes(struct scmi_platform *p, const struct plat_req *q,
				     struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), flags = 0;
	const struct pd_power_domain *pd;

	if (id >= pwr_st(p)->n)
		return SCMI_NOT_FOUND;
	pd = &plat_desc(p)->power[id];
	if (pd->notify)
		flags |= SCMI_POWER_ATTR_NOTIFY;
	if (pd->async)
		flags |= SCMI_POWER_ATTR_ASYNC;
	if (pd->sync)
		flags |= SCMI_POWER_ATTR_SYNC;
	if (strlen(pd->name) >= SCMI_SHORT_NAME_LEN)
		flags |= SCMI_POWER_ATTR_EXT_NAME;
	plat_resp_u32(r, flags);
	plat_resp_str(r, pd->name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t pwr_state_set(struct scmi_platform *p, const struct plat_req *q,
			     struct plat_resp *r)
{
	uint32_t flags = plat_arg(q, 0), id = plat_arg(q, 1), state = plat_arg(q, 2);
	const struct pd_power_domain *pd;

	if (id >= pwr_st(p)->n)
		return SCMI_NOT_FOUND;
	if (flags & ~SCMI_POWER_SET_ASYNC)
		return SCMI_INVALID_PARAMETERS;
	if (state & SCMI_POWER_STATE_RESERVED)
		return SCMI_INVALID_PARAMETERS;
	if (!plat_agent_may(p, q->agent, PLAT_RES_POWER, id))
		return SCMI_DENIED;
	pd = &plat_desc(p)->power[id];
	if ((flags & SCMI_POWER_SET_ASYNC) ? !pd->async : !pd->sync)
		return SCMI_NOT_SUPPORTED;
	if (flags & SCMI_POWER_SET_ASYNC) {
		if (plat_schedule(p, PWR_ASYNC_LATENCY_NS, async_done,
				  (void *)pwr_st(p)->gen[q->agent],
				  (uint64_t)q->agent << 48 | (uint64_t)id << 32 | state))
			return SCMI_GENERIC_ERROR;
	} else {
		vote(p, q->agent, id, state);
	}
	return SCMI_SUCCESS;
}

static int32_t pwr_state_get(struct scmi_platform *p, const struct plat_req *q,
			     struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= pwr_st(p)->n)
		return SCMI_NOT_FOUND;
	if (!plat_agent_may(p, q->agent, PLAT_RES_POWER, id))
		return SCMI_DENIED;
	plat_resp_u32(r, pwr_st(p)->dom[id].state);
	return SCMI_SUCCESS;
}

static int32_t pwr_state_notify(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), en = plat_arg(q, 1);

	if (id >= pwr_st(p)->n)
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!plat_agent_may(p, q->agent, PLAT_RES_POWER, id))
		return SCMI_DENIED;
	if (!plat_desc(p)->power[id].notify)
		return SCMI_NOT_SUPPORTED;
	pwr_st(p)->dom[id].notify[q->agent] = en & 1u;
	return SCMI_SUCCESS;
}

static int32_t pwr_name_get(struct scmi_platform *p, const struct plat_req *q,
			    struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= pwr_st(p)->n)
		return SCMI_NOT_FOUND;
	plat_resp_u32(r, 0);    /* flags: reserved */
	plat_resp_str(r, plat_desc(p)->power[id].name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int pwr_init(struct scmi_platform *p)
{
	unsigned n = plat_desc(p)->npower;
	struct pwr_state *s = calloc(1, sizeof(*s) + n * sizeof(s->dom[0]));

	if (!s)
		return -1;
	s->n = n;
	for (unsigned i = 0; i < n; i++)
		s->dom[i].state = plat_desc(p)->power[i].state;
	plat_set_state(p, SCMI_PROTO_POWER, s);
	return 0;
}

static void pwr_fini(struct scmi_platform *p)
{
	free(pwr_st(p));
	plat_set_state(p, SCMI_PROTO_POWER, NULL);
}

static void pwr_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct pwr_state *s = pwr_st(p);

	if (agent > PD_MAX_AGENTS)
		return;
	s->gen[agent]++;
	for (unsigned i = 0; i < s->n; i++) {
		s->dom[i].voted[agent] = false;
		s->dom[i].notify[agent] = false;
		update(p, i, 0);
	}
}

static const char *state_name(uint32_t st, char *buf, size_t len)
{
	if (st == SCMI_POWER_STATE_ON)
		return "on";
	if (st == SCMI_POWER_STATE_OFF)
		return "off";
	snprintf(buf, len, "0x%08" PRIx32, st);
	return buf;
}

static void pwr_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct pwr_state *s = pwr_st(p);
	unsigned na = plat_num_agents(p);
	char b1[16], b2[16];

	if (json)
		fprintf(out, "\"power\":[");
	for (unsigned i = 0; i < s->n; i++) {
		const struct pwr_domain *d = &s->dom[i];
		const char *name = plat_desc(p)->power[i].name;

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, name);
			fprintf(out, ",\"state\":%" PRIu32 ",\"changes\":%" PRIu32 ",\"votes\":{",
				d->state, d->changes);
			bool first = true;

			for (unsigned a = 1; a <= na; a++)
				if (d->voted[a]) {
					fprintf(out, "%s\"%u\":%" PRIu32, first ? "" : ",", a,
						d->vote[a]);
					first = false;
				}
			fprintf(out, "}}");
			continue;
		}
		fprintf(out, "power %u %s: %s (changes %" PRIu32 ") votes:", i, name,
			state_name(d->state, b1, sizeof(b1)), d->changes);
		for (unsigned a = 1; a <= na; a++)
			if (d->voted[a])
				fprintf(out, " agent%u=%s", a,
					state_name(d->vote[a], b2, sizeof(b2)));
		fputc('\n', out);
	}
	if (json)
		fprintf(out, "]");
}

int plat_power_state(const struct scmi_platform *p, uint32_t id, struct plat_power_state *s)
{
	const struct pwr_state *st = pwr_st(p);

	if (!st || id >= st->n)
		return -1;
	s->state = st->dom[id].state;
	return 0;
}

int plat_power_agent_vote(const struct scmi_platform *p, uint32_t id, unsigned agent_id,
			  uint32_t *state)
{
	const struct pwr_state *st = pwr_st(p);

	if (!st || id >= st->n || agent_id > PD_MAX_AGENTS || !st->dom[id].voted[agent_id])
		return -1;
	*state = st->dom[id].vote[agent_id];
	return 0;
}

const struct plat_proto plat_proto_power = {
	.id = SCMI_PROTO_POWER,
	.version = SCMI_VERSION_POWER,
	.attributes = pwr_attributes,
	.cmds = {
		[SCMI_POWER_DOMAIN_ATTRIBUTES] = pwr_domain_attributes,
		[SCMI_POWER_STATE_SET] = pwr_state_set,
		[SCMI_POWER_STATE_GET] = pwr_state_get,
		[SCMI_POWER_STATE_NOTIFY] = pwr_state_notify,
		[SCMI_POWER_DOMAIN_NAME_GET] = pwr_name_get,
	},
	.init = pwr_init,
	.fini = pwr_fini,
	.reset_agent = pwr_reset_agent,
	.dump = pwr_dump,
};
