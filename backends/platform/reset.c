// SPDX-License-Identifier: GPL-2.0-only
/*
 * RESET protocol (0x16, v3.1) of the embedded platform.
 *
 * Each domain records which agents hold it explicitly asserted; the line is
 * physically asserted while any agent holds it or an asynchronous
 * autonomous reset is in progress. `count` counts reset pulses: autonomous
 * resets (when they complete) and explicit asserts of a deasserted line.
 * RESET_ISSUED goes to every subscribed agent, the issuer included, for
 * autonomous resets and explicit asserts (not for deasserts).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

#define RESET_AUTONOMOUS   (1u << 0)
#define RESET_EXPLICIT     (1u << 1)
#define RESET_ASYNC        (1u << 2)
#define RESET_STATE_IMPDEF (1u << 31)

#define RESET_ATTR_ASYNC   (1u << 31)
#define RESET_ATTR_NOTIFY  (1u << 30)
#define RESET_ATTR_EXTNAME (1u << 29)

struct reset_dom {
	uint32_t held;        /* bit a: agent a holds the line asserted */
	uint32_t notify;      /* bit a: agent a subscribed to RESET_ISSUED */
	uint32_t count;
	bool pending;         /* asynchronous reset in progress */
};

struct reset_state {
	unsigned n;
	struct reset_dom dom[];
};

static struct reset_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_RESET);
}

static const struct pd_reset *desc_dom(const struct scmi_platform *p, uint32_t id)
{
	return &plat_desc(p)->resets[id];
}

static void issued(struct scmi_platform *p, uint32_t id, unsigned agent, uint32_t state)
{
	struct reset_dom *d = &st(p)->dom[id];
	uint8_t pl[12];

	if (!desc_dom(p, id)->notify)
		return;
	scmi_put_le32(pl, agent);
	scmi_put_le32(pl + 4, id);
	scmi_put_le32(pl + 8, state);
	for (unsigned a = 1; a <= plat_num_agents(p); a++)
		if (d->notify & (1u << a))
			plat_notify(p, a, SCMI_PROTO_RESET, SCMI_RESET_ISSUED, pl, sizeof(pl), 0);
}

static int32_t reset_attributes(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	plat_resp_u32(r, st(p)->n & 0xffff);
	return SCMI_SUCCESS;
}

static int32_t domain_attributes(struct scmi_platform *p, const struct plat_req *q,
				 struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), attr = 0;
	const struct pd_reset *rd;

	if (id >= st(p)->n)
		return SCMI_NOT_FOUND;
	rd = desc_dom(p, id);
	if (rd->async)
		attr |= RESET_ATTR_ASYNC;
	if (rd->notify)
		attr |= RESET_ATTR_NOTIFY;
	if (strlen(rd->name) >= SCMI_SHORT_NAME_LEN)
		attr |= RESET_ATTR_EXTNAME;
	plat_resp_u32(r, attr);
	plat_resp_u32(r, rd->latency_us);
	plat_resp_str(r, rd->name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

/* cookie: command header (bits 31:0), agent (39:32), domain (55:40) */
static void async_done(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	struct reset_state *s = st(p);
	uint32_t hdr = (uint32_t)cookie, id = (uint32_t)(cookie >> 40) & 0xffff;
	unsigned agent = (unsigned)(cookie >> 32) & 0xff;
	uint8_t v[4];

	if (!s || id >= s->n)
		return;
	s->dom[id].pending = false;
	s->dom[id].count++;
	scmi_put_le32(v, id);
	plat_delayed_resp(p, agent, hdr, SCMI_SUCCESS, v, sizeof(v), 0);
	issued(p, id, agent, (uint32_t)(uintptr_t)arg);
}

static int32_t reset(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	struct reset_state *s = st(p);
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1), state = plat_arg(q, 2);
	uint32_t bit = 1u << q->agent;
	struct reset_dom *d;

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	d = &s->dom[id];
	if (flags & ~(RESET_AUTONOMOUS | RESET_EXPLICIT | RESET_ASYNC))
		return SCMI_INVALID_PARAMETERS;
	/* architectural reset states: only 0 (cold reset) is defined */
	if (!(state & RESET_STATE_IMPDEF) && state != 0)
		return SCMI_INVALID_PARAMETERS;
	if ((flags & RESET_ASYNC) && !(flags & RESET_AUTONOMOUS))
		return SCMI_INVALID_PARAMETERS;
	if (!plat_agent_may(p, q->agent, PLAT_RES_RESET, id))
		return SCMI_DENIED;
	if ((flags & RESET_ASYNC) && !desc_dom(p, id)->async)
		return SCMI_NOT_SUPPORTED;
	if (d->pending)
		return SCMI_BUSY;

	if (flags & RESET_AUTONOMOUS) {
		if (flags & RESET_ASYNC) {
			uint64_t cookie = q->hdr | ((uint64_t)q->agent << 32) |
					  ((uint64_t)id << 40);

			if (plat_schedule(p, (uint64_t)desc_dom(p, id)->async_us * 1000u,
					  async_done, (void *)(uintptr_t)state, cookie))
				return SCMI_GENERIC_ERROR;
			d->pending = true;
			return SCMI_SUCCESS;
		}
		d->count++;
		issued(p, id, q->agent, state);
	} else if (flags & RESET_EXPLICIT) {
		bool was = d->held != 0;

		d->held |= bit;
		if (!was) {
			d->count++;
			issued(p, id, q->agent, state);
		}
	} else {
		d->held &= ~bit;
	}
	return SCMI_SUCCESS;
}

static int32_t reset_notify(struct scmi_platform *p, const struct plat_req *q,
			    struct plat_resp *r)
{
	struct reset_state *s = st(p);
	uint32_t id = plat_arg(q, 0), en = plat_arg(q, 1);

	if (id >= s->n)
		return SCMI_NOT_FOUND;
	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	if (!desc_dom(p, id)->notify)
		return SCMI_NOT_SUPPORTED;
	if (!plat_agent_may(p, q->agent, PLAT_RES_RESET, id))
		return SCMI_DENIED;
	if (en)
		s->dom[id].notify |= 1u << q->agent;
	else
		s->dom[id].notify &= ~(1u << q->agent);
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

static int reset_init(struct scmi_platform *p)
{
	unsigned n = plat_desc(p)->nresets;
	struct reset_state *s = calloc(1, sizeof(*s) + n * sizeof(s->dom[0]));

	if (!s)
		return -1;
	s->n = n;
	plat_set_state(p, SCMI_PROTO_RESET, s);
	return 0;
}

static void reset_fini(struct scmi_platform *p)
{
	free(st(p));
	plat_set_state(p, SCMI_PROTO_RESET, NULL);
}

static void reset_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct reset_state *s = st(p);

	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++) {
		s->dom[i].held &= ~(1u << agent);
		s->dom[i].notify &= ~(1u << agent);
	}
}

static void reset_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct reset_state *s = st(p);

	if (!s)
		return;
	if (json)
		fputs("\"reset\":{\"domains\":[", out);
	for (unsigned i = 0; i < s->n; i++) {
		const struct reset_dom *d = &s->dom[i];

		if (json) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, desc_dom(p, i)->name);
			fprintf(out, ",\"asserted\":%s,\"count\":%" PRIu32 ",\"held\":%" PRIu32
				",\"pending\":%s}", (d->held || d->pending) ? "true" : "false",
				d->count, d->held, d->pending ? "true" : "false");
		} else {
			fprintf(out, "reset %u %s: %s count %" PRIu32 " held 0x%" PRIx32 "%s\n", i,
				desc_dom(p, i)->name,
				(d->held || d->pending) ? "asserted" : "deasserted", d->count,
				d->held, d->pending ? " (async reset pending)" : "");
		}
	}
	if (json)
		fputs("]}", out);
}

int plat_reset_state(const struct scmi_platform *p, uint32_t id, struct plat_reset_state *out)
{
	const struct reset_state *s = st(p);

	if (!s || id >= s->n || !out)
		return -1;
	out->asserted = s->dom[id].held || s->dom[id].pending;
	out->count = s->dom[id].count;
	return 0;
}

const struct plat_proto plat_proto_reset = {
	.id = SCMI_PROTO_RESET,
	.version = SCMI_VERSION_RESET,
	.attributes = reset_attributes,
	.cmds = {
		[SCMI_RESET_DOMAIN_ATTRIBUTES] = domain_attributes,
		[SCMI_RESET] = reset,
		[SCMI_RESET_NOTIFY] = reset_notify,
		[SCMI_RESET_DOMAIN_NAME_GET] = domain_name_get,
	},
	.init = reset_init,
	.fini = reset_fini,
	.reset_agent = reset_reset_agent,
	.dump = reset_dump,
};
