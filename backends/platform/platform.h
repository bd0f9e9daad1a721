/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The embedded reference platform: a complete SCMI platform in software,
 * configured by a platform description (config/platform_desc.h). It serves
 * several agents (agent ids 1..N, one channel each; id 0 is the platform),
 * with per-agent permissions, a virtual or real clock for asynchronous
 * completions, fault switches, and a physical-state view for tests.
 *
 * It is synchronous and single-threaded: plat_handle() answers one command;
 * delayed responses and notifications are queued per agent and released
 * as time passes (plat_set_time) and fetched with plat_p2a_pop().
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct plat_desc;
struct scmi_platform;

struct scmi_platform *plat_new(const struct plat_desc *desc);
void plat_free(struct scmi_platform *p);
/* Back to the state plat_new() built: time 0, permissions, votes and
 * subscriptions from the description, queues and events empty, faults off,
 * counters zero. -1 (platform unusable: free it) if a module fails. */
int plat_reset(struct scmi_platform *p);
unsigned plat_num_agents(const struct scmi_platform *p);
const struct plat_desc *plat_desc(const struct scmi_platform *p);

/* ---- time --------------------------------------------------------------- */
/* Time only moves when set (virtual clock); the daemon sets it from
 * CLOCK_MONOTONIC. Due events are moved to the agents' P2A queues. */
void plat_set_time(struct scmi_platform *p, uint64_t now_ns);
uint64_t plat_time(const struct scmi_platform *p);
/* Deadline of the next timed event, or UINT64_MAX. */
uint64_t plat_next_deadline(const struct scmi_platform *p);

/* ---- commands ----------------------------------------------------------- */
struct plat_reply {
	size_t len;          /* response length (hdr+status+values); 0: dropped */
	uint64_t delay_ns;   /* deliver after this much time (fault: latency) */
	bool channel_error;  /* fault: the channel signals an error */
};
/* Handle one command (hdr + payload) from agent `agent_id` (1..N). The
 * response (hdr + int32 status + values) is written to resp, never more
 * than resp_cap bytes (resp_cap >= 8); list replies are sized to fit. */
void plat_handle(struct scmi_platform *p, unsigned agent_id,
		 const uint8_t *req, size_t req_len,
		 uint8_t *resp, size_t resp_cap, struct plat_reply *out);

/* Notifications queued per agent at most; more are dropped (counted).
 * Delayed responses are never dropped. */
#define PLAT_P2A_MAX 64
/* Next P2A message (delayed response or notification) for agent_id, or 0
 * if none. Returns the bytes copied (at most cap; a message is at most
 * SCMI_MSG_MAX bytes); it is removed from the queue. */
size_t plat_p2a_pop(struct scmi_platform *p, unsigned agent_id,
		    uint8_t *buf, size_t cap);
unsigned plat_p2a_pending(const struct scmi_platform *p, unsigned agent_id);
/* Notifications dropped for agent_id because its queue was full. */
uint64_t plat_p2a_dropped(const struct scmi_platform *p, unsigned agent_id);

/* ---- faults (robustness tests) ----------------------------------------- */
struct plat_faults {
	uint64_t latency_ns;     /* added to every reply */
	unsigned drop_replies;   /* drop the next N replies */
	unsigned corrupt_hdr;    /* corrupt the header of the next N replies */
	unsigned channel_error;  /* signal a channel error on the next N */
	unsigned oversize;       /* claim an oversized length on the next N */
};
void plat_set_faults(struct scmi_platform *p, const struct plat_faults *f);

/* ---- physical state (what the hardware would be doing) ---------------- */
struct plat_clock_state { bool enabled; uint64_t rate; uint32_t parent; uint32_t votes; };
struct plat_power_state { uint32_t state; };
struct plat_perf_state { uint32_t level, min, max; };
struct plat_reset_state { bool asserted; uint32_t count; };
struct plat_voltage_state { int32_t level_uv; uint32_t config; };
/* SYSTEM: last transition requested (state SCMI_SYSTEM_*), by whom. */
struct plat_system_state {
	uint32_t state;          /* SCMI_SYSTEM_POWERUP while running */
	unsigned requester;      /* agent id, 0 if none yet */
	bool graceful;
	uint32_t transitions;    /* accepted POWER_STATE_SET requests */
};
int plat_system_state(const struct scmi_platform *p, struct plat_system_state *s);
/* POWER: state requested by agent_id for domain id (-1 if never set). */
int plat_power_agent_vote(const struct scmi_platform *p, uint32_t id, unsigned agent_id,
			  uint32_t *state);
int plat_clock_state(const struct scmi_platform *p, uint32_t id, struct plat_clock_state *s);
int plat_power_state(const struct scmi_platform *p, uint32_t id, struct plat_power_state *s);
int plat_perf_state(const struct scmi_platform *p, uint32_t id, struct plat_perf_state *s);
int plat_reset_state(const struct scmi_platform *p, uint32_t id, struct plat_reset_state *s);
int plat_voltage_state(const struct scmi_platform *p, uint32_t id, struct plat_voltage_state *s);
/* Does agent_id currently vote the clock on? (per-agent view) */
bool plat_clock_agent_vote(const struct scmi_platform *p, uint32_t id, unsigned agent_id);
/* Commands received per agent (tests check "nothing reached the platform"). */
uint64_t plat_commands_received(const struct scmi_platform *p, unsigned agent_id);
/* Human-readable or JSON dump of the whole physical state. */
void plat_dump_state(const struct scmi_platform *p, FILE *out, bool json);

#endif
