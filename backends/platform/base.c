// SPDX-License-Identifier: GPL-2.0-only
/*
 * BASE protocol (0x10) v2.1 of the embedded platform: discovery (vendor,
 * implementation, protocols and agents), error notifications and the
 * permission commands reserved to trusted agents.
 */
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

struct base_state {
	bool notify_errors[PD_MAX_AGENTS + 1];
};

static struct base_state *base_st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_BASE);
}

/* Protocols (other than BASE) that `agent` may use, ascending. */
static unsigned agent_protocols(const struct scmi_platform *p, unsigned agent, uint8_t *ids)
{
	unsigned n = 0;

	for (unsigned id = SCMI_PROTO_BASE + 1; id < SCMI_PROTO_BASE + PLAT_NPROTO; id++)
		if (plat_agent_proto_allowed(p, agent, (uint8_t)id))
			ids[n++] = (uint8_t)id;
	return n;
}

static int32_t base_attributes(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	uint8_t ids[PLAT_NPROTO];
	unsigned n = agent_protocols(p, q->agent, ids);

	plat_resp_u32(r, n | (plat_num_agents(p) & 0xff) << 8);
	return SCMI_SUCCESS;
}

static int32_t base_vendor(struct scmi_platform *p, const struct plat_req *q,
			   struct plat_resp *r)
{
	plat_resp_str(r, plat_desc(p)->vendor, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t base_sub_vendor(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	plat_resp_str(r, plat_desc(p)->sub_vendor, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t base_impl_version(struct scmi_platform *p, const struct plat_req *q,
				 struct plat_resp *r)
{
	plat_resp_u32(r, plat_desc(p)->impl_version);
	return SCMI_SUCCESS;
}

static int32_t base_list_protocols(struct scmi_platform *p, const struct plat_req *q,
				   struct plat_resp *r)
{
	uint8_t ids[PLAT_NPROTO];
	unsigned total = agent_protocols(p, q->agent, ids);
	uint32_t skip = plat_arg(q, 0);
	unsigned fit, n;

	if (skip > total)
		return SCMI_INVALID_PARAMETERS;
	/* one word for the count, then ids packed four per word */
	fit = plat_resp_room(r) >= 4 ? (unsigned)((plat_resp_room(r) - 4) / 4 * 4) : 0;
	n = total - skip;
	if (n > fit)
		n = fit;
	if (n == 0 && total > skip) {
		r->overflow = true;         /* not even one id fits */
		return SCMI_SUCCESS;
	}
	plat_resp_u32(r, n);
	for (unsigned w = 0; w < (n + 3) / 4; w++) {
		uint32_t word = 0;

		for (unsigned b = 0; b < 4 && 4 * w + b < n; b++)
			word |= (uint32_t)ids[skip + 4 * w + b] << (8 * b);
		plat_resp_u32(r, word);
	}
	return SCMI_SUCCESS;
}

static int32_t base_discover_agent(struct scmi_platform *p, const struct plat_req *q,
				   struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0);

	if (id == SCMI_BASE_AGENT_ID_OWN)
		id = q->agent;
	if (id > plat_num_agents(p))
		return SCMI_NOT_FOUND;
	/* the agent_id return value exists from BASE v2.0 */
	if (plat_agent_version(p, q->agent, SCMI_PROTO_BASE) >= 0x20000)
		plat_resp_u32(r, id);
	plat_resp_str(r, plat_agent_name(p, id), SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t base_notify_errors(struct scmi_platform *p, const struct plat_req *q,
				  struct plat_resp *r)
{
	uint32_t flags = plat_arg(q, 0);

	if (flags & ~SCMI_BASE_NOTIFY_ENABLE)
		return SCMI_INVALID_PARAMETERS;
	base_st(p)->notify_errors[q->agent] = flags & SCMI_BASE_NOTIFY_ENABLE;
	return SCMI_SUCCESS;
}

void plat_base_report_error(struct scmi_platform *p, unsigned agent, uint32_t hdr,
			    int32_t status)
{
	struct base_state *s = base_st(p);
	uint8_t pl[16];

	if (!s || agent > PD_MAX_AGENTS || !s->notify_errors[agent])
		return;
	scmi_put_le32(pl, agent);
	scmi_put_le32(pl + 4, 1);       /* not fatal, one command report */
	/* report: offending header, status in the high word */
	scmi_put_le64(pl + 8, (uint64_t)hdr | (uint64_t)(uint32_t)status << 32);
	plat_notify(p, agent, SCMI_PROTO_BASE, SCMI_BASE_ERROR_EVENT, pl, sizeof(pl), 0);
}

/* Common checks of the permission commands: caller trusted, agent exists. */
static int32_t perm_check(struct scmi_platform *p, const struct plat_req *q, uint32_t agent,
			  uint32_t flags)
{
	if (!plat_agent_trusted(p, q->agent))
		return SCMI_DENIED;
	if (flags & ~SCMI_BASE_ACCESS_ALLOW)
		return SCMI_INVALID_PARAMETERS;
	if (agent > plat_num_agents(p))
		return SCMI_NOT_FOUND;
	return SCMI_SUCCESS;
}

static int32_t base_set_device_perm(struct scmi_platform *p, const struct plat_req *q,
				    struct plat_resp *r)
{
	uint32_t agent = plat_arg(q, 0), dev = plat_arg(q, 1), flags = plat_arg(q, 2);
	int32_t st = perm_check(p, q, agent, flags);

	if (st)
		return st;
	if (agent == 0) {           /* the platform always has access */
		for (unsigned i = 0; i < plat_desc(p)->ndevices; i++)
			if (plat_desc(p)->devices[i].id == dev)
				return SCMI_SUCCESS;
		return SCMI_NOT_FOUND;
	}
	return plat_perm_device(p, agent, dev, flags & SCMI_BASE_ACCESS_ALLOW);
}

static int32_t base_set_protocol_perm(struct scmi_platform *p, const struct plat_req *q,
				      struct plat_resp *r)
{
	uint32_t agent = plat_arg(q, 0), dev = plat_arg(q, 1), proto = plat_arg(q, 2);
	uint32_t flags = plat_arg(q, 3);
	int32_t st = perm_check(p, q, agent, flags);

	if (st)
		return st;
	if (proto == SCMI_PROTO_BASE)
		return SCMI_DENIED;
	if (proto > 0xff || !plat_proto_get(p, (uint8_t)proto))
		return SCMI_NOT_FOUND;
	if (agent == 0) {
		for (unsigned i = 0; i < plat_desc(p)->ndevices; i++)
			if (plat_desc(p)->devices[i].id == dev)
				return SCMI_SUCCESS;
		return SCMI_NOT_FOUND;
	}
	return plat_perm_protocol(p, agent, dev, (uint8_t)proto, flags & SCMI_BASE_ACCESS_ALLOW);
}

static int32_t base_reset_agent_cfg(struct scmi_platform *p, const struct plat_req *q,
				    struct plat_resp *r)
{
	uint32_t agent = plat_arg(q, 0), flags = plat_arg(q, 1);
	int32_t st = perm_check(p, q, agent, flags);

	if (st)
		return st;
	if (agent == 0)
		return SCMI_INVALID_PARAMETERS;     /* the platform itself */
	plat_reset_agent(p, agent);
	if (flags & SCMI_BASE_RESET_PERMISSIONS)
		plat_perm_reset(p, agent);
	return SCMI_SUCCESS;
}

static int base_init(struct scmi_platform *p)
{
	struct base_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	plat_set_state(p, SCMI_PROTO_BASE, s);
	return 0;
}

static void base_fini(struct scmi_platform *p)
{
	free(base_st(p));
	plat_set_state(p, SCMI_PROTO_BASE, NULL);
}

static void base_reset_agent(struct scmi_platform *p, unsigned agent)
{
	if (agent <= PD_MAX_AGENTS)
		base_st(p)->notify_errors[agent] = false;
}

static void base_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct base_state *s = base_st(p);
	unsigned n = plat_num_agents(p);

	if (json) {
		fprintf(out, "\"base\":{\"notify_errors\":[");
		for (unsigned a = 1; a <= n; a++)
			fprintf(out, "%s%s", a > 1 ? "," : "",
				s->notify_errors[a] ? "true" : "false");
		fprintf(out, "]}");
		return;
	}
	fprintf(out, "base: error notifications to agents:");
	for (unsigned a = 1; a <= n; a++)
		if (s->notify_errors[a])
			fprintf(out, " %u", a);
	fputc('\n', out);
}

const struct plat_proto plat_proto_base = {
	.id = SCMI_PROTO_BASE,
	.version = SCMI_VERSION_BASE,
	.attributes = base_attributes,
	.cmds = {
		[SCMI_BASE_DISCOVER_VENDOR] = base_vendor,
		[SCMI_BASE_DISCOVER_SUB_VENDOR] = base_sub_vendor,
		[SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION] = base_impl_version,
		[SCMI_BASE_DISCOVER_LIST_PROTOCOLS] = base_list_protocols,
		[SCMI_BASE_DISCOVER_AGENT] = base_discover_agent,
		[SCMI_BASE_NOTIFY_ERRORS] = base_notify_errors,
		[SCMI_BASE_SET_DEVICE_PERMISSIONS] = base_set_device_perm,
		[SCMI_BASE_SET_PROTOCOL_PERMISSIONS] = base_set_protocol_perm,
		[SCMI_BASE_RESET_AGENT_CONFIGURATION] = base_reset_agent_cfg,
	},
	.init = base_init,
	.fini = base_fini,
	.reset_agent = base_reset_agent,
	.dump = base_dump,
};
