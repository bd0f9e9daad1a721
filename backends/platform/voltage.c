// SPDX-License-Identifier: GPL-2.0-only
/*
 * VOLTAGE protocol (0x17, v2.1) of the embedded platform.
 *
 * A domain has a level (microvolts, from its discrete list or its
 * min/max/step range) and a config word: bit 3 clear selects the
 * architectural modes 0x0 (off) and 0x7 (on), bit 3 set an IMPDEF mode
 * (bits 2:0 free). An asynchronous LEVEL_SET answers at once and applies
 * the level, with its delayed response, after the domain's async latency;
 * until then the domain answers LEVEL_SET with BUSY.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define VOLT_ATTR_ASYNC     (1u << 31)
#define VOLT_ATTR_EXTNAME   (1u << 30)
#define VOLT_LEVELS_TRIPLET (1u << 12)
#define VOLT_LEVEL_ASYNC    (1u << 0)
#define VOLT_CFG_IMPDEF     (1u << 3)
#define VOLT_CFG_OFF        0x0u
#define VOLT_CFG_ON         0x7u

struct volt_dom {
	int32_t level;
	uint32_t config;
	bool pending;         /* asynchronous LEVEL_SET in progress */
};

struct volt_state {
	unsigned n;
	struct volt_dom dom[];
};

static struct volt_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_VOLTAGE);
}

static const struct pd_voltage *desc_dom(const struct scmi_platform *p, uint32_t id)
{
	return &plat_desc(p)->voltages[id];
}

static bool level_valid(const struct pd_voltage *v, int32_t uv)
{
	if (v->range)
		return uv >= v->min_uv && uv <= v->max_uv &&
		       ((int64_t)uv - v->min_uv) % v->step_uv == 0;
	for (unsigned i = 0; i < v->nlevels; i++)
		if (v->levels_uv[i] == uv)
			return true;
	return false;
}

static int32_t volt_attributes(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	plat_resp_u32(r, st(p)->n & 0xffff);
	return SCMI_SUCCESS;
}

static int32_t domain_attributes(struct scmi_platform *p, const struct plat_req *q,
				 struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), attr = 0;
	const struct pd_voltage *v;

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	v = desc_dom(p, id);
	if (v->async)
		attr |= VOLT_ATTR_ASYNC;
	if (strlen(v->name) >= SCMI_SHORT_NAME_LEN)
		attr |= VOLT_ATTR_EXTNAME;
	plat_resp_u32(r, attr);
	plat_resp_str(r, v->name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

/*
 * DESCRIBE_LEVELS: as many list entries from level_index as fit the reply
 * (at least one, else the reply is too small: PROTOCOL_ERROR), or the
 * min/max/step triplet (level_index 0 only). OUT_OF_RANGE past the end.
 */
static int32_t describe_levels(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), idx = plat_arg(q, 1);
	const struct pd_voltage *v;
	size_t room;
	unsigned nret;

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	v = desc_dom(p, id);
	if (v->range) {
		if (idx != 0)
			return SCMI_OUT_OF_RANGE;
		plat_resp_u32(r, VOLT_LEVELS_TRIPLET | 3u);
		plat_resp_u32(r, (uint32_t)v->min_uv);
		plat_resp_u32(r, (uint32_t)v->max_uv);
		plat_resp_u32(r, (uint32_t)v->step_uv);
		return SCMI_SUCCESS;
	}
	if (idx >= v->nlevels)
		return SCMI_OUT_OF_RANGE;
	room = plat_resp_room(r);
	if (room < 8)
		return SCMI_PROTOCOL_ERROR;
	nret = v->nlevels - idx;
	if (nret > (room - 4) / 4)
		nret = (unsigned)((room - 4) / 4);
	plat_resp_u32(r, ((v->nlevels - idx - nret) << 16) | nret);
	for (unsigned i = 0; i < nret; i++)
		plat_resp_u32(r, (uint32_t)v->levels_uv[idx + i]);
	return SCMI_SUCCESS;
}

static int32_t config_set(struct scmi_platform *p, const struct plat_req *q,
			  struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), cfg = plat_arg(q, 1);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	if (cfg & ~0xfu)
		return SCMI_INVALID_PARAMETERS;
	if (!(cfg & VOLT_CFG_IMPDEF) && cfg != VOLT_CFG_OFF && cfg != VOLT_CFG_ON)
		return SCMI_INVALID_PARAMETERS;
	if (!plat_agent_may(p, q->agent, PLAT_RES_VOLTAGE, id))
		return SCMI_DENIED;
	st(p)->dom[id].config = cfg;
	return SCMI_SUCCESS;
}

static int32_t config_get(struct scmi_platform *p, const struct plat_req *q,
			  struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	plat_resp_u32(r, st(p)->dom[id].config);
	return SCMI_SUCCESS;
}

/* cookie: command header (31:0), agent (39:32), domain (55:40); arg: level */
static void level_done(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct volt_state *s = st(p);
	uint32_t hdr = (uint32_t)cookie, id = (uint32_t)(cookie >> 40) & 0xffff;
	unsigned agent = (unsigned)(cookie >> 32) & 0xff;
	uint8_t v[8];

	if (!s || id >= s->n)
		return;
	s->dom[id].level = (int32_t)(uint32_t)(uintptr_t)arg;
	s->dom[id].pending = false;
	scmi_put_le32(v, id);
	scmi_put_le32(v + 4, (uint32_t)s->dom[id].level);
	plat_delayed_resp(p, agent, hdr, SCMI_SUCCESS, v, sizeof(v), 0);
}

static int32_t level_set(struct scmi_platform *p, const struct plat_req *q,
			 struct plat_resp *r)
{
	struct volt_state *s = st(p);
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1);
	int32_t uv = (int32_t)plat_arg(q, 2);
	const struct pd_voltage *v;

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	v = desc_dom(p, id);
	if (flags & ~VOLT_LEVEL_ASYNC)
		return SCMI_INVALID_PARAMETERS;
	if (!plat_agent_may(p, q->agent, PLAT_RES_VOLTAGE, id))
		return SCMI_DENIED;
	if ((flags & VOLT_LEVEL_ASYNC) && !v->async)
		return SCMI_NOT_SUPPORTED;
	if (!level_valid(v, uv))
		return SCMI_OUT_OF_RANGE;
	if (s->dom[id].pending)
		return SCMI_BUSY;
	if (flags & VOLT_LEVEL_ASYNC) {
		uint64_t cookie = q->hdr | ((uint64_t)q->agent << 32) | ((uint64_t)id << 40);

		if (plat_schedule(p, (uint64_t)v->set_latency_us * 1000u, level_done,
				  (void *)(uintptr_t)(uint32_t)uv, cookie))
			return SCMI_GENERIC_ERROR;
		s->dom[id].pending = true;
		return SCMI_SUCCESS;
	}
	s->dom[id].level = uv;
	return SCMI_SUCCESS;
}

static int32_t level_get(struct scmi_platform *p, const struct plat_req *q,
			 struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	plat_resp_u32(r, (uint32_t)st(p)->dom[id].level);
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

static int volt_init(struct scmi_platform *p)
{
	const struct plat_desc *d = plat_desc(p);
	struct volt_state *s = calloc(1, sizeof(*s) + d->nvoltages * sizeof(s->dom[0]));

	if (!s)
		return -1;
	s->n = d->nvoltages;
	for (unsigned i = 0; i < s->n; i++) {
		s->dom[i].level = d->voltages[i].level_uv;
		s->dom[i].config = d->voltages[i].config;
	}
	plat_set_state(p, SCMI_PROTO_VOLTAGE, s);
	return 0;
}

static void volt_fini(struct scmi_platform *p)
{
	free(st(p));
	plat_set_state(p, SCMI_PROTO_VOLTAGE, NULL);
}

static void volt_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct volt_state *s = st(p);

	if (!s)
		return;
	if (json)
		fputs("\"voltage\":{\"domains\":[", out);
	for (unsigned i = 0; i < s->n; i++) {
		const struct volt_dom *d = &s->dom[i];

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, desc_dom(p, i)->name);
			fprintf(out, ",\"level_uv\":%" PRId32 ",\"config\":%" PRIu32
				",\"pending\":%s}", d->level, d->config,
				d->pending ? "true" : "false");
		} else {
			fprintf(out, "voltage %u %s: %" PRId32 " uV config 0x%" PRIx32 "%s\n", i,
				desc_dom(p, i)->name, d->level, d->config,
				d->pending ? " (async set pending)" : "");
		}
	}
	if (json)
		fputs("]}", out);
}

int plat_voltage_state(const struct scmi_platform *p, uint32_t id,
		       struct plat_voltage_state *out)
{
	const struct volt_state *s = st(p);

	if (!s || id >= s->n || !out)
		return -1;
	out->level_uv = s->dom[id].level;
	out->config = s->dom[id].config;
	return 0;
}

const struct plat_proto plat_proto_voltage = {
	.id = SCMI_PROTO_VOLTAGE,
	.version = SCMI_VERSION_VOLTAGE,
	.attributes = volt_attributes,
	.cmds = {
		[SCMI_VOLTAGE_DOMAIN_ATTRIBUTES] = domain_attributes,
		[SCMI_VOLTAGE_DESCRIBE_LEVELS] = describe_levels,
		[SCMI_VOLTAGE_CONFIG_SET] = config_set,
		[SCMI_VOLTAGE_CONFIG_GET] = config_get,
		[SCMI_VOLTAGE_LEVEL_SET] = level_set,
		[SCMI_VOLTAGE_LEVEL_GET] = level_get,
		[SCMI_VOLTAGE_DOMAIN_NAME_GET] = domain_name_get,
	},
	.init = volt_init,
	.fini = volt_fini,
	.dump = volt_dump,
};
