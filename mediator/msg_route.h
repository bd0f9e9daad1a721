/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Routing knowledge the dispatcher needs about individual commands:
 *  - which commands (un)subscribe to which notification, on which resource
 *    (so notifications can be fanned out to the guests that asked and the
 *    platform sees the OR of all subscriptions);
 *  - which requests will be followed by a delayed response (so the token
 *    stays reserved until it arrives).
 */
#ifndef MSG_ROUTE_H
#define MSG_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmi_msg.h"

/* No resource id: the subscription covers the whole protocol/event. */
#define ROUTE_NO_RESOURCE 0xffffffffu

struct route_notify {
	uint8_t proto;
	uint8_t notify_msg;  /* the NOTIFY command */
	uint8_t evt_id;      /* the notification it controls */
	uint32_t resource;   /* ROUTE_NO_RESOURCE if per protocol */
	bool enable;
	size_t enable_off;   /* payload offset of the enable word */
};

/* The NOTIFY message ids of each protocol from BASE to POWERCAP, one bit
 * per id (all are below 32); msg_route.c, checked by test_msg_route. */
#define ROUTE_NOTIFY_NPROTO (SCMI_PROTO_POWERCAP - SCMI_PROTO_BASE + 1)
extern const uint32_t route_notify_msgs[ROUTE_NOTIFY_NPROTO];

/* Hot-path pre-check on a command header: false means
 * route_notify_decode() is false for it (most commands stop here). */
static inline bool route_may_be_notify(uint32_t h)
{
	unsigned p = scmi_hdr_proto(h) - SCMI_PROTO_BASE, m = scmi_hdr_msg_id(h);

	return p < ROUTE_NOTIFY_NPROTO && m < 32 && (route_notify_msgs[p] >> m & 1u);
}

/* Decode a NOTIFY command (hdr + payload). Returns true if msg is one
 * (with a payload long enough to decode); fills *out. */
bool route_notify_decode(const uint8_t *msg, size_t len, struct route_notify *out);

/* Subscription key of a notification (hdr + payload): its proto, event id
 * and resource. Returns false for an unknown notification or a payload
 * too short to carry the resource. */
bool route_event_key(const uint8_t *msg, size_t len, uint8_t *proto, uint8_t *evt_id,
		     uint32_t *resource);

/* Does this command (hdr + payload) ask for a delayed response? */
bool route_expects_delayed(const uint8_t *msg, size_t len);

#endif
