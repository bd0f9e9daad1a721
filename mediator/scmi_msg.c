// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCMI message model lookups: protocol/command/event descriptors by id or
 * name, the request-length check and status names. The tables themselves
 * are in scmi_tables.c.
 */
#include <strings.h>

#include "scmi_msg.h"

/* The standard protocols are listed in id order from BASE: the direct
 * slot, inlined into the hot callers; proto_search() for the rest. */
static const struct scmi_proto_desc *proto_search(uint8_t proto_id);

static inline __attribute__((always_inline)) const struct scmi_proto_desc *
proto_find(uint8_t proto_id)
{
	size_t i = (size_t)proto_id - SCMI_PROTO_BASE;

	if (proto_id >= SCMI_PROTO_BASE && i < scmi_nprotocols &&
	    scmi_protocols[i]->id == proto_id)
		return scmi_protocols[i];
	return proto_search(proto_id);
}

const struct scmi_proto_desc *scmi_proto_find(uint8_t proto_id)
{
	return proto_find(proto_id);
}

static const struct scmi_proto_desc *proto_search(uint8_t proto_id)
{
	size_t i;

	for (i = 0; i < scmi_nprotocols; i++)
		if (scmi_protocols[i]->id == proto_id)
			return scmi_protocols[i];
	return NULL;
}

const struct scmi_proto_desc *scmi_proto_find_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < scmi_nprotocols; i++)
		if (!strcasecmp(scmi_protocols[i]->name, name))
			return scmi_protocols[i];
	return NULL;
}

/* Tables are sorted by id and short: a binary search keeps it O(log n). */
static const struct scmi_cmd_desc *cmd_search(const struct scmi_proto_desc *p,
					      uint8_t msg_id);

/* Most tables hold every id from 0: the direct slot first (inlined). */
static inline __attribute__((always_inline)) const struct scmi_cmd_desc *
cmd_in_proto(const struct scmi_proto_desc *p, uint8_t msg_id)
{
	if (msg_id < p->ncmds && p->cmds[msg_id].id == msg_id)
		return &p->cmds[msg_id];
	return cmd_search(p, msg_id);
}

static const struct scmi_cmd_desc *cmd_search(const struct scmi_proto_desc *p,
					      uint8_t msg_id)
{
	size_t lo = 0, hi;

	hi = p->ncmds;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->cmds[mid].id == msg_id)
			return &p->cmds[mid];
		if (p->cmds[mid].id < msg_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct scmi_cmd_desc *scmi_cmd_find(uint8_t proto_id, uint8_t msg_id)
{
	const struct scmi_proto_desc *p = scmi_proto_find(proto_id);

	return p ? cmd_in_proto(p, msg_id) : NULL;
}

const struct scmi_cmd_desc *scmi_cmd_find_name(const struct scmi_proto_desc *p,
					       const char *name)
{
	size_t i, plen;

	if (!p || !name)
		return NULL;
	plen = strlen(p->name);
	for (i = 0; i < p->ncmds; i++) {
		const char *full = p->cmds[i].name;

		if (!strcasecmp(full, name))
			return &p->cmds[i];
		/* short form: the name after "<PROTO>_" */
		if (!strncasecmp(full, p->name, plen) && full[plen] == '_' &&
		    !strcasecmp(full + plen + 1, name))
			return &p->cmds[i];
	}
	return NULL;
}

const struct scmi_evt_desc *scmi_evt_find(uint8_t proto_id, uint8_t evt_id)
{
	const struct scmi_proto_desc *p = scmi_proto_find(proto_id);
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < p->nevts; i++)
		if (p->evts[i].id == evt_id)
			return &p->evts[i];
	return NULL;
}

const char *scmi_status_name(int32_t status)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",
		"NOT_FOUND", "OUT_OF_RANGE", "BUSY", "COMMS_ERROR",
		"GENERIC_ERROR", "HARDWARE_ERROR", "PROTOCOL_ERROR", "IN_USE",
	};

	if (status <= 0 && status > -(int32_t)(sizeof(names) / sizeof(names[0])))
		return names[-status];
	return "UNKNOWN";
}

/* Older request layouts that zero-extend to the current one (see header). */
static const struct {
	uint8_t proto, msg;
	uint16_t old_len;     /* payload bytes of the older layout */
} legacy_reqs[] = {
	/* CLOCK v1.0 / pre-3.2 specs: clock_id, attributes (bit0 enable) */
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 8 },
};

bool scmi_req_upgrade_legacy(uint8_t *msg, size_t *len, size_t cap)
{
	const struct scmi_cmd_desc *c;
	uint32_t h;

	if (*len < 4)
		return false;
	h = scmi_get_le32(msg);
	for (size_t i = 0; i < sizeof(legacy_reqs) / sizeof(legacy_reqs[0]); i++) {
		if (legacy_reqs[i].proto != scmi_hdr_proto(h) ||
		    legacy_reqs[i].msg != scmi_hdr_msg_id(h) ||
		    legacy_reqs[i].old_len != *len - 4)
			continue;
		c = scmi_cmd_find(scmi_hdr_proto(h), scmi_hdr_msg_id(h));
		if (!c || c->req_len <= legacy_reqs[i].old_len || 4u + c->req_len > cap)
			return false;
		memset(msg + *len, 0, 4u + c->req_len - *len);
		*len = 4u + c->req_len;
		return true;
	}
	return false;
}

int32_t scmi_check_req_len(uint8_t proto_id, uint8_t msg_id, size_t len)
{
	const struct scmi_proto_desc *p = proto_find(proto_id);
	const struct scmi_cmd_desc *c;
	size_t elem;

	if (!p)
		return SCMI_NOT_SUPPORTED;
	c = cmd_in_proto(p, msg_id);
	if (!c)
		return SCMI_NOT_FOUND;
	if (!(c->flags & SCMI_CMD_VARLEN))
		return len == c->req_len ? SCMI_SUCCESS : SCMI_PROTOCOL_ERROR;
	if (len < c->req_len || len > SCMI_MSG_MAX - sizeof(uint32_t))
		return SCMI_PROTOCOL_ERROR;
	elem = scmi_layout_array_elem(c->req);
	if (elem && (len - c->req_len) % elem)
		return SCMI_PROTOCOL_ERROR;
	return SCMI_SUCCESS;
}
