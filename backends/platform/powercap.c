// SPDX-License-Identifier: GPL-2.0-only
/*
 * POWERCAP protocol (0x18, v2.0) of the embedded platform.
 *
 * Each domain has a power cap (0: capping disabled) and a power averaging
 * interval (PAI). Requested values are rounded down onto the domain's
 * min/max/step grid; values outside [min, max] are OUT_OF_RANGE. The
 * measured power follows the domain's value model at the platform time and
 * is held at the cap while capping is enabled.
 *
 * CAP_CHANGED goes to CAP_NOTIFY subscribers whenever an agent changes the
 * cap or PAI (agent_id: that agent). While an agent subscribes to
 * MEASUREMENTS_NOTIFY the platform samples the power once per PAI and sends
 * MEASUREMENTS_CHANGED (agent_id 0, the platform) when the sample moves
 * into a different zone of the agent's window: below low, inside, above
 * high; moving back inside is not reported. The zone at subscription time
 * is the starting point.
 *
 * Fastchannels are not implemented: no domain advertises them and
 * DESCRIBE_FASTCHANNEL answers NOT_SUPPORTED for every existing domain.
 * Powercap domains belong to no device, so every agent that may use the
 * protocol may use every domain (no DENIED).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"
#include "plat_value.h"

#define PC_ATTR_CAP_NOTIFY  (1u << 31)
#define PC_ATTR_MEAS_NOTIFY (1u << 30)
#define PC_ATTR_ASYNC       (1u << 29)
#define PC_ATTR_EXTNAME     (1u << 28)
#define PC_ATTR_CAP_CONFIG  (1u << 27)
#define PC_ATTR_MONITORING  (1u << 26)
#define PC_ATTR_PAI_CONFIG  (1u << 25)
#define PC_ATTR_UNIT_SHIFT  23

#define PC_SET_IGNORE_DRESP (1u << 0)
#define PC_SET_ASYNC        (1u << 1)

struct pc_dom {
	uint32_t cap, pai;
	bool pending;                   /* asynchronous CAP_SET in progress */
	bool sampling;                  /* measurement timer armed */
	uint32_t cap_notify;            /* bit a: agent a subscribed to CAP_CHANGED */
	uint32_t meas_notify;           /* bit a: agent a subscribed to MEASUREMENTS */
	uint32_t lo[PD_MAX_AGENTS + 1], hi[PD_MAX_AGENTS + 1];
	int8_t zone[PD_MAX_AGENTS + 1]; /* -1 below, 0 inside, 1 above */
};

struct pc_state {
	unsigned n;
	struct pc_dom dom[];
};

static struct pc_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_POWERCAP);
}

static const struct pd_powercap *desc_dom(const struct scmi_platform *p, uint32_t id)
{
	return &plat_desc(p)->powercaps[id];
}

/* Measured power now: the model, held at the cap while capping is on. */
static uint32_t measure(const struct scmi_platform *p, uint32_t id)
{
	int64_t v = plat_value_at(&desc_dom(p, id)->power, plat_time(p));
	uint32_t cap = st(p)->dom[id].cap;

	if (v < 0)
		v = 0;
	if (v > UINT32_MAX)
		v = UINT32_MAX;
	if (cap && v > cap)
		v = cap;
	return (uint32_t)v;
}

static int8_t zone_of(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? -1 : v > hi ? 1 : 0;
}

/* Round v down onto [min, max] by step; false if outside [min, max]. */
static bool on_grid(uint32_t *v, uint32_t min, uint32_t max, uint32_t step)
{
	if (*v < min || *v > max)
		return false;
	if (step)
		*v = min + (*v - min) / step * step;
	return true;
}

static void cap_changed(struct scmi_platform *p, uint32_t id, unsigned agent)
{
	const struct pc_dom *d = &st(p)->dom[id];
	uint8_t pl[16];

	if (!desc_dom(p, id)->notify)
		return;
	scmi_put_le32(pl, agent);
	scmi_put_le32(pl + 4, id);
	scmi_put_le32(pl + 8, d->cap);
	scmi_put_le32(pl + 12, d->pai);
	for (unsigned a = 1; a <= plat_num_agents(p); a++)
		if (d->cap_notify & (1u << a))
			plat_notify(p, a, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_CHANGED, pl,
				    sizeof(pl), 0);
}

static void sample(struct scmi_platform *p, void *arg, uint64_t cookie);

static void arm_sampling(struct scmi_platform *p, uint32_t id)
{
	struct pc_dom *d = &st(p)->dom[id];

	if (d->sampling || !d->meas_notify)
		return;
	if (plat_schedule(p, (uint64_t)d->pai * 1000u, sample, NULL, id) == 0)
		d->sampling = true;
}

static void sample(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct pc_state *s = st(p);
	uint32_t id = (uint32_t)cookie, v;
	struct pc_dom *d;
	uint8_t pl[12];

	if (!s || id >= s->n)
		return;
	d = &s->dom[id];
	d->sampling = false;
	v = measure(p, id);
	scmi_put_le32(pl, 0);
	scmi_put_le32(pl + 4, id);
	scmi_put_le32(pl + 8, v);
	for (unsigned a = 1; a <= plat_num_agents(p); a++) {
		int8_t z;

		if (!(d->meas_notify & (1u << a)))
			continue;
		z = zone_of(v, d->lo[a], d->hi[a]);
		if (z != d->zone[a] && z != 0)
			plat_notify(p, a, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_CHANGED,
				    pl, sizeof(pl), 0);
		d->zone[a] = z;
	}
	arm_sampling(p, id);
}

static int32_t pc_attributes(struct scmi_platform *p, const struct plat_req *q,
			     struct plat_resp *r)
{
	plat_resp_u32(r, st(p)->n & 0xffff);
	return SCMI_SUCCESS;
}

static int32_t domain_attributes(struct scmi_platform *p, const struct plat_req *q,
				 struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), attr = 0;
	const struct pd_powercap *pc;

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	pc = desc_dom(p, id);
	if (pc->notify)
		attr |= PC_ATTR_CAP_NOTIFY;
	if (pc->notify && pc->measurements)
		attr |= PC_ATTR_MEAS_NOTIFY;
	if (pc->async)
		attr |= PC_ATTR_ASYNC;
	if (strlen(pc->name) >= SCMI_SHORT_NAME_LEN)
		attr |= PC_ATTR_EXTNAME;
	if (pc->cap_configurable)
		attr |= PC_ATTR_CAP_CONFIG;
	if (pc->measurements)
		attr |= PC_ATTR_MONITORING;
	if (pc->pai_configurable)
		attr |= PC_ATTR_PAI_CONFIG;
	/* power unit field: 0 abstract, 1 microwatts, 2 milliwatts */
	if (pc->unit == PD_POWER_MW)
		attr |= 2u << PC_ATTR_UNIT_SHIFT;
	else if (pc->unit == PD_POWER_UW)
		attr |= 1u << PC_ATTR_UNIT_SHIFT;
	plat_resp_u32(r, attr);
	plat_resp_str(r, pc->name, SCMI_SHORT_NAME_LEN);
	plat_resp_u32(r, pc->min_pai_us);
	plat_resp_u32(r, pc->max_pai_us);
	plat_resp_u32(r, pc->step_pai_us);
	plat_resp_u32(r, pc->min_cap);
	plat_resp_u32(r, pc->max_cap);
	plat_resp_u32(r, pc->step_cap);
	plat_resp_u32(r, pc->sustainable_power);
	plat_resp_u32(r, pc->accuracy);
	plat_resp_u32(r, pc->parent);
	return SCMI_SUCCESS;
}

static int32_t cap_get(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	plat_resp_u32(r, st(p)->dom[id].cap);
	return SCMI_SUCCESS;
}

/* cookie: command header (31:0), agent (39:32), domain (55:40), no dresp (56);
 * arg: the new cap */
static void cap_done(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct pc_state *s = st(p);
	uint32_t hdr = (uint32_t)cookie, id = (uint32_t)(cookie >> 40) & 0xffff;
	unsigned agent = (unsigned)(cookie >> 32) & 0xff;
	uint8_t v[8];

	if (!s || id >= s->n)
		return;
	s->dom[id].cap = (uint32_t)(uintptr_t)arg;
	s->dom[id].pending = false;
	if (!(cookie & (1ull << 56))) {
		scmi_put_le32(v, id);
		scmi_put_le32(v + 4, s->dom[id].cap);
		plat_delayed_resp(p, agent, hdr, SCMI_SUCCESS, v, sizeof(v), 0);
	}
	cap_changed(p, id, agent);
}

static int32_t cap_set(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	struct pc_state *s = st(p);
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1), cap = plat_arg(q, 2);
	const struct pd_powercap *pc;

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	pc = desc_dom(p, id);
	if (flags & ~(PC_SET_ASYNC | PC_SET_IGNORE_DRESP))
		return SCMI_INVALID_PARAMETERS;
	if (!pc->cap_configurable)
		return SCMI_NOT_SUPPORTED;
	if ((flags & PC_SET_ASYNC) && !pc->async)
		return SCMI_NOT_SUPPORTED;
	if (cap && !on_grid(&cap, pc->min_cap, pc->max_cap, pc->step_cap))
		return SCMI_OUT_OF_RANGE;
	if (s->dom[id].pending)
		return SCMI_BUSY;
	if (flags & PC_SET_ASYNC) {
		uint64_t cookie = q->hdr | ((uint64_t)q->agent << 32) | ((uint64_t)id << 40);

		if (flags & PC_SET_IGNORE_DRESP)
			cookie |= 1ull << 56;
		if (plat_schedule(p, (uint64_t)pc->set_latency_us * 1000u, cap_done,
				  (void *)(uintptr_t)cap, cookie))
			return SCMI_GENERIC_ERROR;
		s->dom[id].pending = true;
		return SCMI_SUCCESS;
	}
	/* synchronous: the ignore-delayed-response bit has no meaning */
	s->dom[id].cap = cap;
	cap_changed(p, id, q->agent);
	return SCMI_SUCCESS;
}

static int32_t pai_get(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	plat_resp_u32(r, st(p)->dom[id].pai);
	return SCMI_SUCCESS;
}

static int32_t pai_set(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	struct pc_state *s = st(p);
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1), pai = plat_arg(q, 2);
	const struct pd_powercap *pc;

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	pc = desc_dom(p, id);
	if (flags)
		return SCMI_INVALID_PARAMETERS;
	if (!pc->pai_configurable)
		return SCMI_NOT_SUPPORTED;
	if (!on_grid(&pai, pc->min_pai_us, pc->max_pai_us, pc->step_pai_us))
		return SCMI_OUT_OF_RANGE;
	s->dom[id].pai = pai;
	cap_changed(p, id, q->agent);
	return SCMI_SUCCESS;
}

static int32_t domain_name_get(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	plat_resp_u32(r, 0);
	plat_resp_str(r, desc_dom(p, id)->name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t measurements_get(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	if (!desc_dom(p, id)->measurements)
		return SCMI_NOT_SUPPORTED;
	plat_resp_u32(r, measure(p, id));
	plat_resp_u32(r, st(p)->dom[id].pai);
	return SCMI_SUCCESS;
}

static int32_t cap_notify(struct scmi_platform *p, const struct plat_req *q,
			  struct plat_resp *r)
{
	struct pc_state *s = st(p);
	uint32_t id = plat_arg(q, 0), en = plat_arg(q, 1);

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!desc_dom(p, id)->notify)
		return SCMI_NOT_SUPPORTED;
	if (en)
		s->dom[id].cap_notify |= 1u << q->agent;
	else
		s->dom[id].cap_notify &= ~(1u << q->agent);
	return SCMI_SUCCESS;
}

static int32_t meas_notify(struct scmi_platform *p, const struct plat_req *q,
			   struct plat_resp *r)
{
	struct pc_state *s = st(p);
	uint32_t id = plat_arg(q, 0), en = plat_arg(q, 1);
	uint32_t lo = plat_arg(q, 2), hi = plat_arg(q, 3);
	const struct pd_powercap *pc;
	struct pc_dom *d;

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	pc = desc_dom(p, id);
	d = &s->dom[id];
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!pc->notify || !pc->measurements)
		return SCMI_NOT_SUPPORTED;
	if (!en) {
		d->meas_notify &= ~(1u << q->agent);
		return SCMI_SUCCESS;
	}
	if (lo > hi)
		return SCMI_INVALID_PARAMETERS;
	d->lo[q->agent] = lo;
	d->hi[q->agent] = hi;
	d->zone[q->agent] = zone_of(measure(p, id), lo, hi);
	d->meas_notify |= 1u << q->agent;
	arm_sampling(p, id);
	return SCMI_SUCCESS;
}

static int32_t describe_fastchannel(struct scmi_platform *p, const struct plat_req *q,
				    struct plat_resp *r)
{
	if (plat_arg(q, 0) >= st(p)->n)
		return SCMI_NOT_FOUND;
	return SCMI_NOT_SUPPORTED;
}

static int pc_init(struct scmi_platform *p)
{
	const struct plat_desc *d = plat_desc(p);
	struct pc_state *s = calloc(1, sizeof(*s) + d->npowercaps * sizeof(s->dom[0]));

	if (!s)
		return -1;
	s->n = d->npowercaps;
	for (unsigned i = 0; i < s->n; i++) {
		s->dom[i].cap = d->powercaps[i].cap;
		s->dom[i].pai = d->powercaps[i].pai_us;
	}
	plat_set_state(p, SCMI_PROTO_POWERCAP, s);
	return 0;
}

static void pc_fini(struct scmi_platform *p)
{
	free(st(p));
	plat_set_state(p, SCMI_PROTO_POWERCAP, NULL);
}

static void pc_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct pc_state *s = st(p);

	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++) {
		s->dom[i].cap_notify &= ~(1u << agent);
		s->dom[i].meas_notify &= ~(1u << agent);
	}
}

static void pc_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct pc_state *s = st(p);

	if (!s)
		return;
	if (json)
		fputs("\"powercap\":{\"domains\":[", out);
	for (unsigned i = 0; i < s->n; i++) {
		const struct pc_dom *d = &s->dom[i];

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, desc_dom(p, i)->name);
			fprintf(out, ",\"cap\":%" PRIu32 ",\"pai_us\":%" PRIu32 ",\"power\":%"
				PRIu32 ",\"pending\":%s}", d->cap, d->pai, measure(p, i),
				d->pending ? "true" : "false");
		} else {
			fprintf(out, "powercap %u %s: cap %" PRIu32 " pai %" PRIu32 " us power %"
				PRIu32 "%s\n", i, desc_dom(p, i)->name, d->cap, d->pai,
				measure(p, i), d->pending ? " (async cap set pending)" : "");
		}
	}
	if (json)
		fputs("]}", out);
}

const struct plat_proto plat_proto_powercap = {
	.id = SCMI_PROTO_POWERCAP,
	.version = SCMI_VERSION_POWERCAP,
	.attributes = pc_attributes,
	.cmds = {
		[SCMI_POWERCAP_DOMAIN_ATTRIBUTES] = domain_attributes,
		[SCMI_POWERCAP_CAP_GET] = cap_get,
		[SCMI_POWERCAP_CAP_SET] = cap_set,
		[SCMI_POWERCAP_PAI_GET] = pai_get,
		[SCMI_POWERCAP_PAI_SET] = pai_set,
		[SCMI_POWERCAP_DOMAIN_NAME_GET] = domain_name_get,
		[SCMI_POWERCAP_MEASUREMENTS_GET] = measurements_get,
		[SCMI_POWERCAP_CAP_NOTIFY] = cap_notify,
		[SCMI_POWERCAP_MEASUREMENTS_NOTIFY] = meas_notify,
		[SCMI_POWERCAP_DESCRIBE_FASTCHANNEL] = describe_fastchannel,
	},
	.init = pc_init,
	.fini = pc_fini,
	.reset_agent = pc_reset_agent,
	.dump = pc_dump,
};
