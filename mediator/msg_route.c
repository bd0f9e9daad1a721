// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-command routing facts: NOTIFY commands and their notifications,
 * and the flags that make a command asynchronous (delayed response).
 * Payload layouts follow DEN0056 (see docs/protocol.md); the asynchronous
 * commands are the ones marked SCMI_CMD_ASYNC in the command tables
 * (POWER_STATE_SET async has no delayed response).
 */
#include "msg_route.h"
#include "scmi_msg.h"

struct notify_desc {
	uint8_t proto, msg, evt;
	bool has_resource;     /* word 0 is the resource id, word 1 the enable */
};

static const struct notify_desc notify_table[] = {
	{ SCMI_PROTO_BASE, SCMI_BASE_NOTIFY_ERRORS, SCMI_BASE_ERROR_EVENT, false },
	{ SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, SCMI_POWER_STATE_CHANGED, true },
	{ SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, SCMI_SYSTEM_POWER_STATE_NOTIFIER,
	  false },
	{ SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LIMITS, SCMI_PERF_LIMITS_CHANGED, true },
	{ SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LEVEL, SCMI_PERF_LEVEL_CHANGED, true },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, SCMI_CLOCK_RATE_CHANGED, true },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY,
	  SCMI_CLOCK_RATE_CHANGE_REQUESTED, true },
	{ SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, SCMI_SENSOR_TRIP_POINT_EVENT, true },
	{ SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, SCMI_SENSOR_UPDATE, true },
	{ SCMI_PROTO_RESET, SCMI_RESET_NOTIFY, SCMI_RESET_ISSUED, true },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_NOTIFY, SCMI_POWERCAP_CAP_CHANGED, true },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY,
	  SCMI_POWERCAP_MEASUREMENTS_CHANGED, true },
};

#define NNOTIFY (sizeof(notify_table) / sizeof(notify_table[0]))
#define MSG_BIT(m) (1u << (m))

/*
 * Early exit for the hot path: the NOTIFY message ids of each protocol
 * (indexed from BASE) as a bit mask (all ids are below 32), so that
 * ordinary commands skip the table. Must list every entry of notify_table
 * (test_msg_route checks it).
 */
const uint32_t route_notify_msgs[ROUTE_NOTIFY_NPROTO] = {
	[SCMI_PROTO_BASE - SCMI_PROTO_BASE] = MSG_BIT(SCMI_BASE_NOTIFY_ERRORS),
	[SCMI_PROTO_POWER - SCMI_PROTO_BASE] = MSG_BIT(SCMI_POWER_STATE_NOTIFY),
	[SCMI_PROTO_SYSTEM - SCMI_PROTO_BASE] = MSG_BIT(SCMI_SYSTEM_POWER_STATE_NOTIFY),
	[SCMI_PROTO_PERF - SCMI_PROTO_BASE] =
		MSG_BIT(SCMI_PERF_NOTIFY_LIMITS) | MSG_BIT(SCMI_PERF_NOTIFY_LEVEL),
	[SCMI_PROTO_CLOCK - SCMI_PROTO_BASE] =
		MSG_BIT(SCMI_CLOCK_RATE_NOTIFY) | MSG_BIT(SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY),
	[SCMI_PROTO_SENSOR - SCMI_PROTO_BASE] =
		MSG_BIT(SCMI_SENSOR_TRIP_POINT_NOTIFY) |
		MSG_BIT(SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY),
	[SCMI_PROTO_RESET - SCMI_PROTO_BASE] = MSG_BIT(SCMI_RESET_NOTIFY),
	[SCMI_PROTO_POWERCAP - SCMI_PROTO_BASE] =
		MSG_BIT(SCMI_POWERCAP_CAP_NOTIFY) | MSG_BIT(SCMI_POWERCAP_MEASUREMENTS_NOTIFY),
};


bool route_notify_decode(const uint8_t *msg, size_t len, struct route_notify *out)
{
	uint32_t h;
	size_t i;

	if (len < 4)
		return false;
	h = scmi_get_le32(msg);
	if (scmi_hdr_type(h) != SCMI_MSG_COMMAND || !route_may_be_notify(h))
		return false;
	for (i = 0; i < NNOTIFY; i++) {
		const struct notify_desc *d = &notify_table[i];
		size_t off = d->has_resource ? 8 : 4;

		if (d->proto != scmi_hdr_proto(h) || d->msg != scmi_hdr_msg_id(h))
			continue;
		if (len < off + 4)
			return false;
		out->proto = d->proto;
		out->notify_msg = d->msg;
		out->evt_id = d->evt;
		out->resource = d->has_resource ? scmi_get_le32(msg + 4) : ROUTE_NO_RESOURCE;
		out->enable_off = off;
		out->enable = scmi_get_le32(msg + off) & 1u;
		return true;
	}
	return false;
}

bool route_event_key(const uint8_t *msg, size_t len, uint8_t *proto, uint8_t *evt_id,
		     uint32_t *resource)
{
	uint32_t h;
	size_t i;

	if (len < 4)
		return false;
	h = scmi_get_le32(msg);
	for (i = 0; i < NNOTIFY; i++) {
		const struct notify_desc *d = &notify_table[i];

		if (d->proto != scmi_hdr_proto(h) || d->evt != scmi_hdr_msg_id(h))
			continue;
		/* payload word 0 is the agent id; word 1 the resource */
		if (d->has_resource && len < 12)
			return false;
		*proto = d->proto;
		*evt_id = d->evt;
		*resource = d->has_resource ? scmi_get_le32(msg + 8) : ROUTE_NO_RESOURCE;
		return true;
	}
	return false;
}

bool route_expects_delayed(const uint8_t *msg, size_t len)
{
	uint32_t h, flags;

	if (len < 4)
		return false;
	h = scmi_get_le32(msg);
	if (scmi_hdr_type(h) != SCMI_MSG_COMMAND)
		return false;
	switch (scmi_hdr_proto(h)) {
	case SCMI_PROTO_CLOCK:
		/* CLOCK_RATE_SET {flags, id, rate}: bit0 async, bit1 no dresp */
		if (scmi_hdr_msg_id(h) == SCMI_CLOCK_RATE_SET && len >= 8) {
			flags = scmi_get_le32(msg + 4);
			return (flags & (SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_IGNORE_DRESP)) ==
			       SCMI_CLOCK_SET_ASYNC;
		}
		break;
	case SCMI_PROTO_SENSOR:
		/* SENSOR_READING_GET {id, flags}: bit0 async */
		if (scmi_hdr_msg_id(h) == SCMI_SENSOR_READING_GET && len >= 12)
			return scmi_get_le32(msg + 8) & SCMI_SENSOR_READ_ASYNC;
		break;
	case SCMI_PROTO_RESET:
		/* RESET {domain, flags, state}: bit2 async */
		if (scmi_hdr_msg_id(h) == SCMI_RESET && len >= 12)
			return scmi_get_le32(msg + 8) & SCMI_RESET_ASYNC;
		break;
	case SCMI_PROTO_VOLTAGE:
		/* VOLTAGE_LEVEL_SET {domain, flags, level}: bit0 async */
		if (scmi_hdr_msg_id(h) == SCMI_VOLTAGE_LEVEL_SET && len >= 12)
			return scmi_get_le32(msg + 8) & SCMI_VOLTAGE_LEVEL_SET_ASYNC;
		break;
	case SCMI_PROTO_POWERCAP:
		/* POWERCAP_CAP_SET {domain, flags, cap}: bit1 async, bit0 no dresp */
		if (scmi_hdr_msg_id(h) == SCMI_POWERCAP_CAP_SET && len >= 12) {
			flags = scmi_get_le32(msg + 8);
			flags &= SCMI_POWERCAP_SET_ASYNC | SCMI_POWERCAP_SET_IGNORE_DRESP;
			return flags == SCMI_POWERCAP_SET_ASYNC;
		}
		break;
	default:
		break;
	}
	return false;
}
