/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest lifecycle hook: what a guest's SYSTEM_POWER_STATE_SET does when
 * its policy says system_power=guest. The platform is never told; the
 * guest's frontend acts on the guest itself (vhost-user: a configured
 * command per guest and action, lifecycle_cmd.c; Xen: the toolstack).
 *
 *   system_power=deny      -> DENIED
 *   system_power=platform  -> forwarded to the platform
 *   system_power=guest     -> lifecycle_ops.action(guest, action)
 */
#ifndef LIFECYCLE_H
#define LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "policy.h"

enum lc_action {
	LC_SHUTDOWN,
	LC_REBOOT,
	LC_SUSPEND,
	LC_NACTIONS,
};

struct lifecycle_ops {
	/* Start `act` on guest `guest` without blocking. Returns 0 (started),
	 * -ENOENT (nothing configured for it), -EBUSY (an action of this
	 * guest still runs) or another -errno. */
	int (*action)(void *opaque, unsigned guest, enum lc_action act, bool graceful);
};

/* SCMI system state -> action (SHUTDOWN; COLD/WARM RESET; SUSPEND);
 * -1 for POWERUP, vendor and unknown states. */
int lc_action_from_state(uint32_t system_state);
const char *lc_action_name(enum lc_action act);

/*
 * SYSTEM_POWER_STATE_SET of a guest (msg: hdr + flags + system_state),
 * by its policy. Returns AGENT_FORWARD (system_power=platform, or not
 * that command) or AGENT_REPLY with the answer: DENIED (deny), SUCCESS
 * (the action started), NOT_SUPPORTED (no action for that state or none
 * configured), BUSY (an action still runs), INVALID_PARAMETERS (reserved
 * flag bits), GENERIC_ERROR (it could not start). ops may be NULL.
 */
enum agent_verdict lc_system_request(const struct policy *pol, unsigned guest,
				     const struct lifecycle_ops *ops, void *opaque,
				     const uint8_t *msg, size_t len, uint8_t *resp,
				     size_t *resp_len, size_t resp_max);

#endif
