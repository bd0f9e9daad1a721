// SPDX-License-Identifier: GPL-2.0-only
/*
 * SYSTEM power protocol (0x12) v2.1 of the embedded platform.
 *
 * POWER_STATE_SET records the transition in the physical state (the
 * software platform keeps running) and, for a graceful request, sends
 * SYSTEM_POWER_STATE_NOTIFIER to every other subscribed agent. v2.x has
 * no POWER_STATE_GET (it was dropped after v1), so none is offered.
 * PROTOCOL_MESSAGE_ATTRIBUTES of POWER_STATE_SET reports warm reset
 * (bit 31) and, when configured, suspend (bit 30) support.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "plat_internal.h"

#define SYS_GRACEFUL_TIMEOUT_MS 1000u   /* reported in the notifier */

struct sys_state {
	struct plat_system_state phys;
	bool notify[PD_MAX_AGENTS + 1];
};

static struct sys_state *sys_st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_SYSTEM);
}

static int32_t sys_attributes(struct scmi_platform *p, const struct plat_req *q,
			      struct plat_resp *r)
{
	plat_resp_u32(r, 0);    /* reserved */
	return SCMI_SUCCESS;
}

static uint32_t sys_msg_attributes(struct scmi_platform *p, unsigned agent, uint8_t msg)
{
	if (msg != SCMI_SYSTEM_POWER_STATE_SET)
		return 0;
	return SCMI_SYSTEM_ATTR_WARM_RESET |
	       (plat_desc(p)->system_suspend ? SCMI_SYSTEM_ATTR_SUSPEND : 0);
}

static int32_t sys_state_set(struct scmi_platform *p, const struct plat_req *q,
			     struct plat_resp *r)
{
	uint32_t flags = plat_arg(q, 0), state = plat_arg(q, 1);
	struct sys_state *s = sys_st(p);
	bool graceful = flags & SCMI_SYSTEM_FLAG_GRACEFUL;

	if (flags & ~SCMI_SYSTEM_FLAG_GRACEFUL)
		return SCMI_INVALID_PARAMETERS;
	if (state & SCMI_SYSTEM_STATE_VENDOR)
		return SCMI_NOT_SUPPORTED;      /* no vendor states */
	switch (state) {
	case SCMI_SYSTEM_SHUTDOWN:
	case SCMI_SYSTEM_COLDRESET:
	case SCMI_SYSTEM_WARMRESET:
		break;
	case SCMI_SYSTEM_SUSPEND:
		if (!plat_desc(p)->system_suspend)
			return SCMI_NOT_SUPPORTED;
		break;
	case SCMI_SYSTEM_POWERUP:
		/* only meaningful from an agent managing the system */
		if (!plat_agent_trusted(p, q->agent))
			return SCMI_DENIED;
		break;
	default:
		return SCMI_INVALID_PARAMETERS;
	}
	s->phys.state = state;
	s->phys.requester = q->agent;
	s->phys.graceful = graceful;
	s->phys.transitions++;
	if (graceful) {
		uint8_t pl[16];

		scmi_put_le32(pl, q->agent);
		scmi_put_le32(pl + 4, flags);
		scmi_put_le32(pl + 8, state);
		scmi_put_le32(pl + 12, SYS_GRACEFUL_TIMEOUT_MS);
		for (unsigned a = 1; a <= plat_num_agents(p); a++)
			if (a != q->agent && s->notify[a])
				plat_notify(p, a, SCMI_PROTO_SYSTEM,
					    SCMI_SYSTEM_POWER_STATE_NOTIFIER, pl, sizeof(pl), 0);
	}
	return SCMI_SUCCESS;
}

static int32_t sys_state_notify(struct scmi_platform *p, const struct plat_req *q,
				struct plat_resp *r)
{
	uint32_t en = plat_arg(q, 0);

	if (en & ~1u)
		return SCMI_INVALID_PARAMETERS;
	sys_st(p)->notify[q->agent] = en & 1u;
	return SCMI_SUCCESS;
}

static int sys_init(struct scmi_platform *p)
{
	struct sys_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->phys.state = SCMI_SYSTEM_POWERUP;
	plat_set_state(p, SCMI_PROTO_SYSTEM, s);
	return 0;
}

static void sys_fini(struct scmi_platform *p)
{
	free(sys_st(p));
	plat_set_state(p, SCMI_PROTO_SYSTEM, NULL);
}

static void sys_reset_agent(struct scmi_platform *p, unsigned agent)
{
	if (agent <= PD_MAX_AGENTS)
		sys_st(p)->notify[agent] = false;
}

static const char *const state_names[] = {
	"shutdown", "cold-reset", "warm-reset", "running", "suspend",
};

static void sys_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct sys_state *s = sys_st(p);
	const char *name = s->phys.state < 5 ? state_names[s->phys.state] : "?";

	if (json) {
		fprintf(out, "\"system\":{\"state\":\"%s\",\"requester\":%u,\"graceful\":%s,"
			"\"transitions\":%" PRIu32 "}", name, s->phys.requester,
			s->phys.graceful ? "true" : "false", s->phys.transitions);
		return;
	}
	fprintf(out, "system: %s (requested by agent %u, %s, %" PRIu32 " transitions)\n",
		name, s->phys.requester, s->phys.graceful ? "graceful" : "forceful",
		s->phys.transitions);
}

int plat_system_state(const struct scmi_platform *p, struct plat_system_state *out)
{
	const struct sys_state *s = sys_st(p);

	if (!s)
		return -1;
	*out = s->phys;
	return 0;
}

const struct plat_proto plat_proto_system = {
	.id = SCMI_PROTO_SYSTEM,
	.version = SCMI_VERSION_SYSTEM,
	.attributes = sys_attributes,
	.cmds = {
		[SCMI_SYSTEM_POWER_STATE_SET] = sys_state_set,
		[SCMI_SYSTEM_POWER_STATE_NOTIFY] = sys_state_notify,
	},
	.msg_attributes = sys_msg_attributes,
	.init = sys_init,
	.fini = sys_fini,
	.reset_agent = sys_reset_agent,
	.dump = sys_dump,
};
