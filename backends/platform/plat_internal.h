/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interface between the embedded platform's core (platform.c:
 * dispatch, agents and permissions, time and event queues, faults) and its
 * protocol modules (base.c, power.c, ..., pinctrl.c). Only files in
 * backends/platform/ include this.
 *
 * The core validates, before any handler runs: header reserved bits and
 * type (PROTOCOL_ERROR), protocol known and allowed for the agent
 * (NOT_SUPPORTED), message id implemented (NOT_FOUND), and the request
 * length against the command table (scmi_check_req_len: PROTOCOL_ERROR).
 * Handlers check ids (NOT_FOUND), reserved flag bits (INVALID_PARAMETERS),
 * values (OUT_OF_RANGE), permissions (DENIED) and BUSY as the spec says.
 */
#ifndef PLAT_INTERNAL_H
#define PLAT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../config/platform_desc.h"
#include "../../mediator/scmi_msg.h"
#include "platform.h"

#define PLAT_NPROTO 10              /* 0x10 .. 0x19 */
#define PLAT_PROTO_IDX(id) ((unsigned)(id) - SCMI_PROTO_BASE)
#define PLAT_MAX_MSG_ID 0x20

struct plat_req {
	unsigned agent;             /* 1..N */
	uint32_t hdr;
	const uint8_t *payload;     /* length already checked against the table */
	size_t len;
};

struct plat_resp {
	uint8_t *buf;               /* [0..3] hdr, [4..7] status, values from 8 */
	size_t cap;
	size_t len;                 /* bytes used, starts at 8 */
	bool overflow;              /* an append did not fit: a SUCCESS reply
				     * becomes PROTOCOL_ERROR (buffer too small) */
};

static inline size_t plat_resp_room(const struct plat_resp *r)
{
	return r->cap > r->len ? r->cap - r->len : 0;
}
/* Append; false (nothing written) if it does not fit. */
bool plat_resp_u32(struct plat_resp *r, uint32_t v);
bool plat_resp_u64(struct plat_resp *r, uint64_t v);          /* low word first */
bool plat_resp_str(struct plat_resp *r, const char *s, size_t width); /* NUL padded */

static inline uint32_t plat_arg(const struct plat_req *q, unsigned word)
{
	return scmi_get_le32(q->payload + 4u * word);
}

typedef int32_t (*plat_cmd_fn)(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r);

struct plat_proto {
	uint8_t id;
	uint32_t version;
	/* PROTOCOL_ATTRIBUTES (may reply several words). */
	plat_cmd_fn attributes;
	/* Handlers by message id (>= 3); NULL means not implemented. */
	plat_cmd_fn cmds[PLAT_MAX_MSG_ID];
	/* PROTOCOL_MESSAGE_ATTRIBUTES value for an implemented message
	 * (optional: 0 if NULL). */
	uint32_t (*msg_attributes)(struct scmi_platform *p, unsigned agent, uint8_t msg_id);
	/* Build state from the description (plat_new and plat_reset); on
	 * failure free what it allocated and return nonzero. */
	int (*init)(struct scmi_platform *p);
	/* Free the state and plat_set_state(p, id, NULL). Also called before
	 * the first init, with the state NULL: must accept that. */
	void (*fini)(struct scmi_platform *p);
	/* BASE_RESET_AGENT_CONFIGURATION / agent gone: drop its votes and
	 * subscriptions and recompute the physical state. */
	void (*reset_agent)(struct scmi_platform *p, unsigned agent);
	/* Append this protocol's state to a dump (json: exactly one object
	 * member "name": {...}; the core writes the separating commas). */
	void (*dump)(const struct scmi_platform *p, FILE *out, bool json);
};

extern const struct plat_proto plat_proto_base, plat_proto_power, plat_proto_system,
	plat_proto_perf, plat_proto_clock, plat_proto_sensor, plat_proto_reset,
	plat_proto_voltage, plat_proto_powercap, plat_proto_pinctrl;

/* The protocol module for `id` if the platform implements it (module
 * present and the description enables it), else NULL. */
const struct plat_proto *plat_proto_get(const struct scmi_platform *p, uint8_t id);
/* Version of `proto` agreed with `agent` (NEGOTIATE_PROTOCOL_VERSION), or
 * the module's own version. */
uint32_t plat_agent_version(const struct scmi_platform *p, unsigned agent, uint8_t proto);

/* Per-protocol runtime state, owned by the protocol module. */
void *plat_state(const struct scmi_platform *p, uint8_t proto);
void plat_set_state(struct scmi_platform *p, uint8_t proto, void *state);

const struct plat_desc *plat_desc(const struct scmi_platform *p);
uint64_t plat_time(const struct scmi_platform *p);

/* ---- agents and permissions --------------------------------------------- */
enum plat_res {
	PLAT_RES_CLOCK, PLAT_RES_POWER, PLAT_RES_PERF, PLAT_RES_SENSOR,
	PLAT_RES_RESET, PLAT_RES_VOLTAGE, PLAT_RES_PIN,
};
/* May `agent` use resource `id` of kind `res`? (device permissions: a
 * resource that belongs to no device is open to every agent.) */
bool plat_agent_may(const struct scmi_platform *p, unsigned agent,
		    enum plat_res res, uint32_t id);
unsigned plat_num_agents(const struct scmi_platform *p);
/* May `agent` use protocol `proto` (implemented and permitted)? */
bool plat_agent_proto_allowed(const struct scmi_platform *p, unsigned agent, uint8_t proto);
bool plat_agent_trusted(const struct scmi_platform *p, unsigned agent);
const char *plat_agent_name(const struct scmi_platform *p, unsigned agent);
/* BASE permission commands (agent 1..N, device by its id). Return an
 * SCMI status: NOT_FOUND for an unknown device or protocol. */
int32_t plat_perm_device(struct scmi_platform *p, unsigned agent, uint32_t dev_id, bool allow);
int32_t plat_perm_protocol(struct scmi_platform *p, unsigned agent, uint32_t dev_id,
			   uint8_t proto, bool allow);
/* Restore the agent's permissions from the description. */
void plat_perm_reset(struct scmi_platform *p, unsigned agent);
/* Call every implemented protocol's reset_agent for `agent`. */
void plat_reset_agent(struct scmi_platform *p, unsigned agent);

/* BASE (base.c): the core reports every error reply it generates itself
 * (PROTOCOL_ERROR) so that BASE_ERROR_EVENT reaches subscribed agents. */
void plat_base_report_error(struct scmi_platform *p, unsigned agent, uint32_t hdr,
			    int32_t status);

/* Write s as a JSON string literal (quoted, escaped). */
void plat_json_str(FILE *out, const char *s);

/* ---- P2A messages and time ---------------------------------------------- */
/* Queue a notification (proto, evt id, token 0) for agent after delay. */
int plat_notify(struct scmi_platform *p, unsigned agent, uint8_t proto,
		uint8_t evt, const uint8_t *payload, size_t len, uint64_t delay_ns);
/* Queue the delayed response to command `cmd_hdr` (type becomes 2) with
 * `status` and return values; non-SUCCESS sends the status only. */
int plat_delayed_resp(struct scmi_platform *p, unsigned agent, uint32_t cmd_hdr,
		      int32_t status, const uint8_t *values, size_t len,
		      uint64_t delay_ns);
/* Run fn(p, arg, cookie) at plat_time()+delay_ns (state changes of async
 * work). Events still pending at plat_reset/plat_free are dropped without
 * a call: arg must not own memory (put what is needed in the cookie). */
typedef void (*plat_timer_fn)(struct scmi_platform *p, void *arg, uint64_t cookie);
int plat_schedule(struct scmi_platform *p, uint64_t delay_ns, plat_timer_fn fn,
		  void *arg, uint64_t cookie);

#endif
