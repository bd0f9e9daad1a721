// SPDX-License-Identifier: GPL-2.0-only
/*
 * Embedded reference platform core: command dispatch and validation,
 * common protocol commands, agents and permissions, the virtual clock with
 * its timed events, per-agent P2A queues, fault switches and state dumps.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

/*
 * Protocol modules built into the platform. Each helper adds its line;
 * a module is active when the description enables its protocol.
 */
static const struct plat_proto *const plat_protocols[] = {
	&plat_proto_base,
	&plat_proto_power,
	&plat_proto_system,
	&plat_proto_perf,
	&plat_proto_clock,
	&plat_proto_sensor,
	&plat_proto_reset, &plat_proto_voltage, &plat_proto_powercap,
	&plat_proto_pinctrl,
};
#define NPROTOCOLS (sizeof(plat_protocols) / sizeof(plat_protocols[0]))

struct p2a_msg {
	struct p2a_msg *next;
	size_t len;
	bool notification;
	uint8_t data[];
};

struct plat_event {
	struct plat_event *next;
	uint64_t when, seq;
	/* either a P2A message for agent, or a timer callback */
	unsigned agent;
	struct p2a_msg *msg;
	plat_timer_fn fn;
	void *arg;
	uint64_t cookie;
};

struct plat_agent {
	uint32_t protocols;                   /* allowed protocols mask */
	bool dev_allowed[PD_MAX_DEVICES];     /* by device index */
	uint32_t dev_proto_denied[PD_MAX_DEVICES];
	uint32_t version[PLAT_NPROTO];        /* negotiated, 0: not negotiated */
	struct p2a_msg *qhead, *qtail;
	unsigned qlen;
	uint64_t commands, dropped;
};

struct scmi_platform {
	struct plat_desc desc;                /* own copy */
	const struct plat_proto *proto[PLAT_NPROTO];   /* active modules */
	void *state[PLAT_NPROTO];
	struct plat_agent agents[PD_MAX_AGENTS + 1];   /* 1..N */
	uint64_t now, seq;
	struct plat_event *events;            /* sorted by (when, seq) */
	struct plat_faults faults;
};

/* ---- response helpers --------------------------------------------------- */

bool plat_resp_u32(struct plat_resp *r, uint32_t v)
{
	if (plat_resp_room(r) < 4) {
		r->overflow = true;
		return false;
	}
	scmi_put_le32(r->buf + r->len, v);
	r->len += 4;
	return true;
}

bool plat_resp_u64(struct plat_resp *r, uint64_t v)
{
	if (plat_resp_room(r) < 8) {
		r->overflow = true;
		return false;
	}
	scmi_put_le64(r->buf + r->len, v);
	r->len += 8;
	return true;
}

bool plat_resp_str(struct plat_resp *r, const char *s, size_t width)
{
	size_t n = strnlen(s, width ? width - 1 : 0);

	if (!width || plat_resp_room(r) < width) {
		r->overflow = true;
		return false;
	}
	memset(r->buf + r->len, 0, width);
	memcpy(r->buf + r->len, s, n);
	r->len += width;
	return true;
}

void plat_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

/* ---- lookups ------------------------------------------------------------ */

const struct plat_desc *plat_desc(const struct scmi_platform *p)
{
	return &p->desc;
}

unsigned plat_num_agents(const struct scmi_platform *p)
{
	return p->desc.nagents;
}

uint64_t plat_time(const struct scmi_platform *p)
{
	return p->now;
}

static bool valid_agent(const struct scmi_platform *p, unsigned agent)
{
	return agent >= 1 && agent <= p->desc.nagents;
}

const struct plat_proto *plat_proto_get(const struct scmi_platform *p, uint8_t id)
{
	if (id < SCMI_PROTO_BASE || PLAT_PROTO_IDX(id) >= PLAT_NPROTO)
		return NULL;
	return p->proto[PLAT_PROTO_IDX(id)];
}

void *plat_state(const struct scmi_platform *p, uint8_t proto)
{
	if (proto < SCMI_PROTO_BASE || PLAT_PROTO_IDX(proto) >= PLAT_NPROTO)
		return NULL;
	return p->state[PLAT_PROTO_IDX(proto)];
}

void plat_set_state(struct scmi_platform *p, uint8_t proto, void *state)
{
	if (proto >= SCMI_PROTO_BASE && PLAT_PROTO_IDX(proto) < PLAT_NPROTO)
		p->state[PLAT_PROTO_IDX(proto)] = state;
}

uint32_t plat_agent_version(const struct scmi_platform *p, unsigned agent, uint8_t proto)
{
	const struct plat_proto *m = plat_proto_get(p, proto);

	if (!m)
		return 0;
	if (valid_agent(p, agent) && p->agents[agent].version[PLAT_PROTO_IDX(proto)])
		return p->agents[agent].version[PLAT_PROTO_IDX(proto)];
	return m->version;
}

/* ---- agents and permissions --------------------------------------------- */

bool plat_agent_proto_allowed(const struct scmi_platform *p, unsigned agent, uint8_t proto)
{
	if (!plat_proto_get(p, proto))
		return false;
	if (agent == 0)
		return true;
	if (!valid_agent(p, agent))
		return false;
	return p->agents[agent].protocols & PD_PROTO_BIT(proto);
}

bool plat_agent_trusted(const struct scmi_platform *p, unsigned agent)
{
	return valid_agent(p, agent) && p->desc.agents[agent - 1].trusted;
}

const char *plat_agent_name(const struct scmi_platform *p, unsigned agent)
{
	if (agent == 0)
		return "platform";
	if (!valid_agent(p, agent))
		return NULL;
	return p->desc.agents[agent - 1].name;
}

static const uint8_t res_proto[] = {
	[PLAT_RES_CLOCK] = SCMI_PROTO_CLOCK, [PLAT_RES_POWER] = SCMI_PROTO_POWER,
	[PLAT_RES_PERF] = SCMI_PROTO_PERF, [PLAT_RES_SENSOR] = SCMI_PROTO_SENSOR,
	[PLAT_RES_RESET] = SCMI_PROTO_RESET, [PLAT_RES_VOLTAGE] = SCMI_PROTO_VOLTAGE,
	[PLAT_RES_PIN] = SCMI_PROTO_PINCTRL,
};

static bool device_owns(const struct pd_device *d, enum plat_res res, uint32_t id)
{
	const uint32_t *ids;
	uint32_t n;

	switch (res) {
	case PLAT_RES_CLOCK: ids = d->clocks; n = d->nclocks; break;
	case PLAT_RES_POWER: ids = d->power; n = d->npower; break;
	case PLAT_RES_PERF: ids = d->perf; n = d->nperf; break;
	case PLAT_RES_SENSOR: ids = d->sensors; n = d->nsensors; break;
	case PLAT_RES_RESET: ids = d->resets; n = d->nresets; break;
	case PLAT_RES_VOLTAGE: ids = d->voltages; n = d->nvoltages; break;
	case PLAT_RES_PIN: ids = d->pins; n = d->npins; break;
	default: return false;
	}
	for (uint32_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

bool plat_agent_may(const struct scmi_platform *p, unsigned agent,
		    enum plat_res res, uint32_t id)
{
	const struct plat_agent *a;
	bool owned = false;

	if (agent == 0)
		return true;
	if (!valid_agent(p, agent) || (unsigned)res >= sizeof(res_proto))
		return false;
	a = &p->agents[agent];
	for (unsigned i = 0; i < p->desc.ndevices; i++) {
		if (!device_owns(&p->desc.devices[i], res, id))
			continue;
		owned = true;
		if (a->dev_allowed[i] && !(a->dev_proto_denied[i] & PD_PROTO_BIT(res_proto[res])))
			return true;
	}
	return !owned;
}

static int device_index(const struct scmi_platform *p, uint32_t dev_id)
{
	for (unsigned i = 0; i < p->desc.ndevices; i++)
		if (p->desc.devices[i].id == dev_id)
			return (int)i;
	return -1;
}

int32_t plat_perm_device(struct scmi_platform *p, unsigned agent, uint32_t dev_id, bool allow)
{
	int i = device_index(p, dev_id);

	if (!valid_agent(p, agent) || i < 0)
		return SCMI_NOT_FOUND;
	p->agents[agent].dev_allowed[i] = allow;
	return SCMI_SUCCESS;
}

int32_t plat_perm_protocol(struct scmi_platform *p, unsigned agent, uint32_t dev_id,
			   uint8_t proto, bool allow)
{
	int i = device_index(p, dev_id);

	if (!valid_agent(p, agent) || i < 0 || !plat_proto_get(p, proto))
		return SCMI_NOT_FOUND;
	if (allow)
		p->agents[agent].dev_proto_denied[i] &= ~PD_PROTO_BIT(proto);
	else
		p->agents[agent].dev_proto_denied[i] |= PD_PROTO_BIT(proto);
	return SCMI_SUCCESS;
}

void plat_perm_reset(struct scmi_platform *p, unsigned agent)
{
	const struct pd_agent *pa;
	struct plat_agent *a;

	if (!valid_agent(p, agent))
		return;
	pa = &p->desc.agents[agent - 1];
	a = &p->agents[agent];
	a->protocols = pa->protocols_mask | PD_PROTO_BIT(SCMI_PROTO_BASE);
	for (unsigned i = 0; i < p->desc.ndevices; i++) {
		bool ok = pa->all_devices;

		for (uint32_t k = 0; k < pa->ndevices && !ok; k++)
			ok = pa->devices[k] == p->desc.devices[i].id;
		a->dev_allowed[i] = ok;
		a->dev_proto_denied[i] = 0;
	}
}

void plat_reset_agent(struct scmi_platform *p, unsigned agent)
{
	if (!valid_agent(p, agent))
		return;
	memset(p->agents[agent].version, 0, sizeof(p->agents[agent].version));
	for (unsigned i = 0; i < PLAT_NPROTO; i++)
		if (p->proto[i] && p->proto[i]->reset_agent)
			p->proto[i]->reset_agent(p, agent);
}

uint64_t plat_commands_received(const struct scmi_platform *p, unsigned agent_id)
{
	return valid_agent(p, agent_id) ? p->agents[agent_id].commands : 0;
}

/* ---- P2A queues and time ------------------------------------------------ */

static void queue_msg(struct scmi_platform *p, unsigned agent, struct p2a_msg *m)
{
	struct plat_agent *a = &p->agents[agent];

	if (m->notification && a->qlen >= PLAT_P2A_MAX) {
		a->dropped++;
		free(m);
		return;
	}
	m->next = NULL;
	if (a->qtail)
		a->qtail->next = m;
	else
		a->qhead = m;
	a->qtail = m;
	a->qlen++;
}

static int add_event(struct scmi_platform *p, struct plat_event *ev, uint64_t delay_ns)
{
	struct plat_event **pp;

	ev->when = delay_ns > UINT64_MAX - p->now ? UINT64_MAX : p->now + delay_ns;
	ev->seq = p->seq++;
	for (pp = &p->events; *pp && (*pp)->when <= ev->when; pp = &(*pp)->next)
		;
	ev->next = *pp;
	*pp = ev;
	return 0;
}

static struct p2a_msg *new_msg(uint32_t hdr, const int32_t *status, const uint8_t *payload,
			       size_t len, bool notification)
{
	size_t total = 4 + (status ? 4 : 0) + len;
	struct p2a_msg *m;

	if (total > SCMI_MSG_MAX || (len && !payload))
		return NULL;
	m = malloc(sizeof(*m) + total);
	if (!m)
		return NULL;
	m->len = total;
	m->notification = notification;
	scmi_put_le32(m->data, hdr);
	if (status)
		scmi_put_le32(m->data + 4, (uint32_t)*status);
	if (len)
		memcpy(m->data + total - len, payload, len);
	return m;
}

static int post_msg(struct scmi_platform *p, unsigned agent, struct p2a_msg *m,
		    uint64_t delay_ns)
{
	struct plat_event *ev;

	if (delay_ns == 0) {
		queue_msg(p, agent, m);
		return 0;
	}
	ev = calloc(1, sizeof(*ev));
	if (!ev) {
		free(m);
		return -1;
	}
	ev->agent = agent;
	ev->msg = m;
	return add_event(p, ev, delay_ns);
}

int plat_notify(struct scmi_platform *p, unsigned agent, uint8_t proto,
		uint8_t evt, const uint8_t *payload, size_t len, uint64_t delay_ns)
{
	struct p2a_msg *m;

	if (!valid_agent(p, agent))
		return -1;
	m = new_msg(scmi_hdr(proto, evt, SCMI_MSG_NOTIFICATION, 0), NULL, payload, len, true);
	if (!m)
		return -1;
	return post_msg(p, agent, m, delay_ns);
}

int plat_delayed_resp(struct scmi_platform *p, unsigned agent, uint32_t cmd_hdr,
		      int32_t status, const uint8_t *values, size_t len,
		      uint64_t delay_ns)
{
	struct p2a_msg *m;

	if (!valid_agent(p, agent))
		return -1;
	if (status != SCMI_SUCCESS)
		len = 0;
	m = new_msg(scmi_hdr_set_type(cmd_hdr, SCMI_MSG_DELAYED_RESP), &status, values, len,
		    false);
	if (!m)
		return -1;
	return post_msg(p, agent, m, delay_ns);
}

int plat_schedule(struct scmi_platform *p, uint64_t delay_ns, plat_timer_fn fn,
		  void *arg, uint64_t cookie)
{
	struct plat_event *ev;

	if (!fn)
		return -1;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -1;
	ev->fn = fn;
	ev->arg = arg;
	ev->cookie = cookie;
	return add_event(p, ev, delay_ns);
}

void plat_set_time(struct scmi_platform *p, uint64_t now_ns)
{
	if (now_ns < p->now)
		return;         /* time never goes back */
	while (p->events && p->events->when <= now_ns) {
		struct plat_event *ev = p->events;

		p->events = ev->next;
		p->now = ev->when;  /* events scheduled from here are relative to it */
		if (ev->msg)
			queue_msg(p, ev->agent, ev->msg);
		else
			ev->fn(p, ev->arg, ev->cookie);
		free(ev);
	}
	p->now = now_ns;
}

uint64_t plat_next_deadline(const struct scmi_platform *p)
{
	return p->events ? p->events->when : UINT64_MAX;
}

size_t plat_p2a_pop(struct scmi_platform *p, unsigned agent_id, uint8_t *buf, size_t cap)
{
	struct plat_agent *a;
	struct p2a_msg *m;
	size_t n;

	if (!valid_agent(p, agent_id))
		return 0;
	a = &p->agents[agent_id];
	m = a->qhead;
	if (!m)
		return 0;
	a->qhead = m->next;
	if (!a->qhead)
		a->qtail = NULL;
	a->qlen--;
	n = m->len < cap ? m->len : cap;
	memcpy(buf, m->data, n);
	free(m);
	return n;
}

unsigned plat_p2a_pending(const struct scmi_platform *p, unsigned agent_id)
{
	return valid_agent(p, agent_id) ? p->agents[agent_id].qlen : 0;
}

uint64_t plat_p2a_dropped(const struct scmi_platform *p, unsigned agent_id)
{
	return valid_agent(p, agent_id) ? p->agents[agent_id].dropped : 0;
}

void plat_set_faults(struct scmi_platform *p, const struct plat_faults *f)
{
	if (f)
		p->faults = *f;
	else
		memset(&p->faults, 0, sizeof(p->faults));
}

/* ---- lifetime ----------------------------------------------------------- */

struct scmi_platform *plat_new(const struct plat_desc *desc)
{
	struct scmi_platform *p;

	if (!desc || desc->nagents == 0 || desc->nagents > PD_MAX_AGENTS)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->desc = *desc;
	p->desc.protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_BASE);
	for (unsigned i = 0; i < NPROTOCOLS; i++) {
		const struct plat_proto *m = plat_protocols[i];

		if (p->desc.protocols_mask & PD_PROTO_BIT(m->id))
			p->proto[PLAT_PROTO_IDX(m->id)] = m;
	}
	if (plat_reset(p)) {
		free(p);
		return NULL;
	}
	return p;
}

/* Drop every timed event and queued P2A message. */
static void clear_events(struct scmi_platform *p)
{
	while (p->events) {
		struct plat_event *ev = p->events;

		p->events = ev->next;
		free(ev->msg);
		free(ev);
	}
	for (unsigned a = 1; a <= p->desc.nagents; a++) {
		struct p2a_msg *m = p->agents[a].qhead;

		while (m) {
			struct p2a_msg *n = m->next;

			free(m);
			m = n;
		}
		p->agents[a].qhead = p->agents[a].qtail = NULL;
		p->agents[a].qlen = 0;
	}
}

static void fini_modules(struct scmi_platform *p)
{
	for (unsigned i = 0; i < PLAT_NPROTO; i++)
		if (p->proto[i] && p->proto[i]->fini)
			p->proto[i]->fini(p);
}

int plat_reset(struct scmi_platform *p)
{
	fini_modules(p);
	clear_events(p);
	memset(p->agents, 0, sizeof(p->agents));
	memset(p->state, 0, sizeof(p->state));
	memset(&p->faults, 0, sizeof(p->faults));
	p->now = 0;
	p->seq = 0;
	for (unsigned a = 1; a <= p->desc.nagents; a++)
		plat_perm_reset(p, a);
	for (unsigned i = 0; i < PLAT_NPROTO; i++) {
		if (p->proto[i] && p->proto[i]->init && p->proto[i]->init(p)) {
			/* leave no half-initialised module behind */
			for (unsigned k = 0; k < i; k++)
				if (p->proto[k] && p->proto[k]->fini)
					p->proto[k]->fini(p);
			memset(p->proto, 0, sizeof(p->proto));
			return -1;
		}
	}
	return 0;
}

void plat_free(struct scmi_platform *p)
{
	if (!p)
		return;
	fini_modules(p);
	clear_events(p);
	free(p);
}

/* ---- dispatch ----------------------------------------------------------- */

static bool msg_implemented(const struct plat_proto *m, uint8_t msg)
{
	if (msg == SCMI_PROTOCOL_VERSION || msg == SCMI_PROTOCOL_ATTRIBUTES ||
	    msg == SCMI_PROTOCOL_MESSAGE_ATTRIBUTES || msg == SCMI_NEGOTIATE_PROTOCOL_VERSION)
		return true;
	return msg < PLAT_MAX_MSG_ID && m->cmds[msg];
}

static int32_t common_cmd(struct scmi_platform *p, const struct plat_proto *m,
			  const struct plat_req *q, struct plat_resp *r)
{
	uint8_t msg = scmi_hdr_msg_id(q->hdr);

	switch (msg) {
	case SCMI_PROTOCOL_VERSION:
		if (q->len != 0)
			return SCMI_PROTOCOL_ERROR;
		plat_resp_u32(r, m->version);
		return SCMI_SUCCESS;
	case SCMI_PROTOCOL_ATTRIBUTES:
		if (q->len != 0)
			return SCMI_PROTOCOL_ERROR;
		return m->attributes(p, q, r);
	case SCMI_PROTOCOL_MESSAGE_ATTRIBUTES: {
		uint32_t id;

		if (q->len != 4)
			return SCMI_PROTOCOL_ERROR;
		id = plat_arg(q, 0);
		if (id > 0xff || !msg_implemented(m, (uint8_t)id))
			return SCMI_NOT_FOUND;
		plat_resp_u32(r, m->msg_attributes ?
				 m->msg_attributes(p, q->agent, (uint8_t)id) : 0);
		return SCMI_SUCCESS;
	}
	case SCMI_NEGOTIATE_PROTOCOL_VERSION: {
		uint32_t v;

		if (q->len != 4)
			return SCMI_PROTOCOL_ERROR;
		v = plat_arg(q, 0);
		/* We can speak any older version of our protocols. */
		if (v > m->version || v == 0)
			return SCMI_NOT_SUPPORTED;
		p->agents[q->agent].version[PLAT_PROTO_IDX(m->id)] = v;
		return SCMI_SUCCESS;
	}
	}
	return SCMI_NOT_FOUND;
}

static int32_t dispatch(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	uint8_t proto = scmi_hdr_proto(q->hdr), msg = scmi_hdr_msg_id(q->hdr);
	const struct plat_proto *m;
	int32_t st;

	if (scmi_hdr_reserved(q->hdr) || scmi_hdr_type(q->hdr) != SCMI_MSG_COMMAND)
		return SCMI_PROTOCOL_ERROR;
	if (!plat_agent_proto_allowed(p, q->agent, proto))
		return SCMI_NOT_SUPPORTED;
	m = plat_proto_get(p, proto);
	if (!msg_implemented(m, msg))
		return SCMI_NOT_FOUND;
	if (msg <= SCMI_PROTOCOL_MESSAGE_ATTRIBUTES || msg == SCMI_NEGOTIATE_PROTOCOL_VERSION)
		return common_cmd(p, m, q, r);
	st = scmi_check_req_len(proto, msg, q->len);
	if (st != SCMI_SUCCESS)
		return st;
	return m->cmds[msg](p, q, r);
}

static void apply_faults(struct scmi_platform *p, uint8_t *resp, size_t resp_cap,
			 struct plat_reply *out)
{
	struct plat_faults *f = &p->faults;

	out->delay_ns = f->latency_ns;
	if (f->drop_replies) {
		f->drop_replies--;
		out->len = 0;
		return;
	}
	if (f->corrupt_hdr) {
		uint32_t h = scmi_get_le32(resp);

		f->corrupt_hdr--;
		scmi_put_le32(resp, scmi_hdr_set_token(h, (uint16_t)(scmi_hdr_token(h) ^ 0x2a5)));
	}
	if (f->channel_error) {
		f->channel_error--;
		out->channel_error = true;
	}
	if (f->oversize) {
		f->oversize--;
		out->len = resp_cap + 4;
	}
}

void plat_handle(struct scmi_platform *p, unsigned agent_id,
		 const uint8_t *req, size_t req_len,
		 uint8_t *resp, size_t resp_cap, struct plat_reply *out)
{
	struct plat_req q = { .agent = agent_id };
	struct plat_resp r = { .buf = resp, .cap = resp_cap, .len = 8 };
	int32_t st;

	memset(out, 0, sizeof(*out));
	if (!valid_agent(p, agent_id) || resp_cap < 8) {
		out->channel_error = true;      /* no such channel: nothing to answer */
		return;
	}
	p->agents[agent_id].commands++;
	if (resp_cap > SCMI_MSG_MAX)
		r.cap = SCMI_MSG_MAX;
	q.hdr = req_len >= 4 ? scmi_get_le32(req) : 0;
	q.payload = req_len > 4 ? req + 4 : NULL;
	q.len = req_len > 4 ? req_len - 4 : 0;
	memset(resp, 0, 8);
	if (req_len < 4)
		st = SCMI_PROTOCOL_ERROR;
	else
		st = dispatch(p, &q, &r);
	if (st == SCMI_SUCCESS && r.overflow)
		st = SCMI_PROTOCOL_ERROR;       /* the reply does not fit */
	scmi_put_le32(resp, q.hdr);
	scmi_put_le32(resp + 4, (uint32_t)st);
	out->len = st == SCMI_SUCCESS ? r.len : 8;
	if (st == SCMI_PROTOCOL_ERROR)
		plat_base_report_error(p, agent_id, q.hdr, st);
	apply_faults(p, resp, resp_cap, out);
}

/* ---- dump --------------------------------------------------------------- */

void plat_dump_state(const struct scmi_platform *p, FILE *out, bool json)
{
	if (json) {
		fprintf(out, "{\"time_ns\":%" PRIu64 ",\"agents\":[", p->now);
		for (unsigned a = 1; a <= p->desc.nagents; a++) {
			const struct plat_agent *ag = &p->agents[a];

			fprintf(out, "%s{\"id\":%u,\"name\":", a > 1 ? "," : "", a);
			plat_json_str(out, p->desc.agents[a - 1].name);
			fprintf(out, ",\"protocols\":%" PRIu32 ",\"commands\":%" PRIu64
				",\"p2a_pending\":%u,\"p2a_dropped\":%" PRIu64 ",\"devices\":[",
				ag->protocols, ag->commands, ag->qlen, ag->dropped);
			/* permissions: per device, allowed and the protocols denied */
			for (unsigned i = 0; i < p->desc.ndevices; i++) {
				unsigned k = 0;

				fprintf(out, "%s{\"id\":%" PRIu32 ",\"allowed\":%s,"
					"\"denied_protocols\":[", i ? "," : "",
					p->desc.devices[i].id,
					ag->dev_allowed[i] ? "true" : "false");
				for (unsigned pr = SCMI_PROTO_BASE; pr < SCMI_PROTO_BASE + 32; pr++)
					if (ag->dev_proto_denied[i] & PD_PROTO_BIT(pr))
						fprintf(out, "%s%u", k++ ? "," : "", pr);
				fputs("]}", out);
			}
			fputs("]}", out);
		}
		fprintf(out, "]");
		for (unsigned i = 0; i < PLAT_NPROTO; i++)
			if (p->proto[i] && p->proto[i]->dump) {
				fputc(',', out);
				p->proto[i]->dump(p, out, true);
			}
		fprintf(out, "}\n");
		return;
	}
	fprintf(out, "platform %s/%s impl 0x%08" PRIx32 " time %" PRIu64 " ns\n",
		p->desc.vendor, p->desc.sub_vendor, p->desc.impl_version, p->now);
	for (unsigned a = 1; a <= p->desc.nagents; a++) {
		const struct plat_agent *ag = &p->agents[a];

		fprintf(out, "agent %u %s: protocols 0x%03" PRIx32 " commands %" PRIu64
			" p2a pending %u dropped %" PRIu64 "\n", a, p->desc.agents[a - 1].name,
			ag->protocols, ag->commands, ag->qlen, ag->dropped);
	}
	for (unsigned i = 0; i < PLAT_NPROTO; i++)
		if (p->proto[i] && p->proto[i]->dump)
			p->proto[i]->dump(p, out, false);
}
