/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multi-agent platforms: a guest mapped to its own platform agent
 * (mediator config guest key agent_id=N: channel N-1) gets platform-side
 * permissions that match its policy, programmed at start through a
 * management (trusted) agent with BASE_SET_DEVICE_PERMISSIONS and
 * BASE_SET_PROTOCOL_PERMISSIONS. The mediator's own validation (the
 * guest's view) stays in front; this is the platform's second line.
 *
 * Rule: a device is allowed for the agent when the policy lets the guest
 * see at least one of its resources, denied otherwise; on an allowed
 * device each protocol that has resources there is allowed when the policy
 * allows the protocol, denied otherwise.
 */
#ifndef PERM_SETUP_H
#define PERM_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct plat_desc;

/* A platform device and the resources it groups (platform ids). */
struct perm_device {
	uint32_t id;
	const uint32_t *res[POL_NPROTO];   /* by POL_IDX(protocol) */
	unsigned nres[POL_NPROTO];
};

/* Send one BASE command (hdr with token 0 + payload) on the management
 * channel; returns 0 or -errno. */
typedef int (*perm_send_fn)(void *opaque, const uint8_t *msg, size_t len);

/* Program agent's permissions; returns the number of commands sent, or the
 * first send error. */
int perm_program(const struct policy *pol, uint32_t agent, const struct perm_device *devs,
		 unsigned ndevs, perm_send_fn send, void *opaque);

/* The same for the guests sharing one platform agent: a device or protocol
 * is allowed when any of them needs it; a NULL policy (a guest without
 * one) needs everything. */
int perm_program_set(const struct policy *const *pols, unsigned npols, uint32_t agent,
		     const struct perm_device *devs, unsigned ndevs, perm_send_fn send,
		     void *opaque);

/* The devices of an embedded platform description (pointers into d). */
unsigned perm_devices_from_desc(const struct plat_desc *d, struct perm_device *out,
				unsigned max);

#endif
