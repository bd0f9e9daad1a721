// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's SYSTEM_POWER_STATE_SET under its policy (lifecycle.h).
 */
#include <errno.h>

#include "lifecycle.h"
#include "log.h"
#include "scmi_msg.h"

int lc_action_from_state(uint32_t st)
{
	switch (st) {
	case SCMI_SYSTEM_SHUTDOWN:
		return LC_SHUTDOWN;
	case SCMI_SYSTEM_COLDRESET:
	case SCMI_SYSTEM_WARMRESET:
		return LC_REBOOT;
	case SCMI_SYSTEM_SUSPEND:
		return LC_SUSPEND;
	}
	return -1;
}

const char *lc_action_name(enum lc_action act)
{
	static const char *const names[LC_NACTIONS] = { "shutdown", "reboot", "suspend" };

	return act < LC_NACTIONS ? names[act] : "?";
}

static enum agent_verdict answer(uint32_t hdr, int32_t st, uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, hdr);
	scmi_put_le32(resp + 4, (uint32_t)st);
	*resp_len = 8;
	return AGENT_REPLY;
}

enum agent_verdict lc_system_request(const struct policy *pol, unsigned guest,
				     const struct lifecycle_ops *ops, void *opaque,
				     const uint8_t *msg, size_t len, uint8_t *resp,
				     size_t *resp_len, size_t resp_max)
{
	uint32_t h, flags, state;
	int act, rc;

	if (len < 4 || resp_max < 8)
		return AGENT_FORWARD;
	h = scmi_get_le32(msg);
	if (scmi_hdr_proto(h) != SCMI_PROTO_SYSTEM ||
	    scmi_hdr_msg_id(h) != SCMI_SYSTEM_POWER_STATE_SET)
		return AGENT_FORWARD;
	if (pol->system_power == POL_SYS_PLATFORM)
		return AGENT_FORWARD;
	if (pol->system_power != POL_SYS_GUEST)
		return answer(h, SCMI_DENIED, resp, resp_len);
	if (len != 12)
		return answer(h, SCMI_PROTOCOL_ERROR, resp, resp_len);
	flags = scmi_get_le32(msg + 4);
	state = scmi_get_le32(msg + 8);
	if (flags & ~SCMI_SYSTEM_FLAG_GRACEFUL)
		return answer(h, SCMI_INVALID_PARAMETERS, resp, resp_len);
	act = lc_action_from_state(state);
	if (act < 0 || !ops || !ops->action)
		return answer(h, SCMI_NOT_SUPPORTED, resp, resp_len);
	rc = ops->action(opaque, guest, (enum lc_action)act, flags & SCMI_SYSTEM_FLAG_GRACEFUL);
	if (rc == 0) {
		log_info("guest %u: system %s requested (%s)", guest,
			 lc_action_name((enum lc_action)act),
			 flags & SCMI_SYSTEM_FLAG_GRACEFUL ? "graceful" : "forceful");
		return answer(h, SCMI_SUCCESS, resp, resp_len);
	}
	return answer(h, rc == -ENOENT ? SCMI_NOT_SUPPORTED : rc == -EBUSY ? SCMI_BUSY :
		      SCMI_GENERIC_ERROR, resp, resp_len);
}
