/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent: the core's side of one guest's virtio-scmi device.
 *
 * It receives the guest's commands (scmi_dev_ops), validates the header
 * and request length, answers BASE itself (the guest's own agent name and
 * id, the platform's vendor data cached once), passes everything else
 * through an optional filter (the per-guest policy layer: renumbering,
 * permissions, arbitration) to the dispatcher, and completes responses
 * with the guest's original header. Delayed responses and notifications
 * flow back through the filter to the guest.
 *
 *   device --command--> [validate] -> [BASE local] -> filter.request ->
 *   dispatcher -> backend;   backend -> dispatcher -> filter.response ->
 *   out.complete;   P2A -> filter.event -> out.event
 *
 * Local answers are delivered from the event loop, never from inside
 * command().
 */
#ifndef AGENT_H
#define AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio/scmi_dev.h"

struct ev_loop;
struct dispatcher;
struct base_cache;
struct agent;

#define AGENT_NPROTO 10           /* protocols 0x10 .. 0x19 */

struct agent_config {
	char name[32];            /* guest name; its DISCOVER_AGENT name (15 chars) */
	unsigned chan;            /* platform channel (platform agent chan + 1) */
	uint32_t agent_id;        /* the guest's own agent id as it sees it (>= 1) */
	uint32_t num_agents;      /* PROTOCOL_ATTRIBUTES num_agents the guest sees */
	/* BASE as the guest's policy draws it (zero: the platform's view) */
	bool filter_protocols;    /* list only protocols set in protocols_allowed */
	uint8_t protocols_allowed[32];  /* bit (id % 8) of byte id / 8 */
	char agent_name[16];      /* DISCOVER_AGENT name if set (else name) */
	/* version presented instead of the platform's (index proto - 0x10;
	 * 0: the platform's); mediator/versions.h lists what can be presented */
	uint32_t version_cap[AGENT_NPROTO];
	char policy_path[256];    /* for log lines about version_cap */
};

/* Where answers go: scmi_dev_complete()/scmi_dev_event() in the daemon. */
struct agent_out_ops {
	void (*complete)(void *opaque, uint32_t cookie, const uint8_t *resp, size_t len);
	int (*event)(void *opaque, const uint8_t *msg, size_t len);
};

/*
 * The filter (policy layer) sits between the validated guest command and
 * the dispatcher. All hooks are optional.
 */
enum agent_verdict {
	AGENT_FORWARD = 0,   /* send *msg (possibly rewritten) to the platform */
	AGENT_REPLY,         /* the filter wrote the answer in resp/resp_len */
};

struct agent_filter_ops {
	/* msg: hdr + payload, rewritable in place up to cap bytes (*len may
	 * change). resp: room for resp_max bytes (hdr + status + values). */
	enum agent_verdict (*request)(void *f, uint8_t *msg, size_t *len, size_t cap,
				      uint8_t *resp, size_t *resp_len, size_t resp_max);
	/* req: the request as forwarded; resp (rewritable, *len may shrink or
	 * grow up to resp_max). Called before the guest sees the response. */
	void (*response)(void *f, const uint8_t *req, size_t req_len, uint8_t *resp,
			 size_t *len, size_t resp_max);
	/* A delayed response or notification for the guest; false drops it. */
	bool (*event)(void *f, uint8_t *msg, size_t *len, size_t cap);
	/* The guest reset or left: withdraw its state (votes, renumbering). */
	void (*reset)(void *f);
};

struct agent_stats {
	uint64_t commands;        /* received from the device */
	uint64_t responses;       /* completed */
	uint64_t errors;          /* completed with a non-SUCCESS status */
	uint64_t local;           /* answered without the platform */
	uint64_t rejected;        /* malformed header/length */
	uint64_t legacy;          /* older-revision layouts accepted (scmi_req_upgrade_legacy) */
	uint64_t delayed;         /* delayed responses sent to the guest */
	uint64_t notifications;   /* notifications sent to the guest */
	uint64_t events_dropped;  /* the device could not take them */
	uint64_t resets;
	uint64_t negotiated;      /* NEGOTIATE_PROTOCOL_VERSION answered here */
	uint64_t converted;       /* replies rewritten into an older version's layout */
};

struct agent *agent_new(struct ev_loop *loop, struct dispatcher *d, struct base_cache *bc,
			const struct agent_config *cfg, const struct agent_out_ops *out,
			void *out_opaque);
/* Voids in-flight commands (late replies are discarded) and frees. */
void agent_free(struct agent *a);
void agent_set_filter(struct agent *a, const struct agent_filter_ops *ops, void *f);

/* The scmi_dev_ops to register with the guest's device (opaque = agent). */
extern const struct scmi_dev_ops agent_dev_ops;
/* The same entry points, callable directly. */
void agent_command(struct agent *a, uint32_t cookie, const uint8_t *req, size_t len,
		   size_t resp_max);
void agent_reset(struct agent *a);

/*
 * Commands of the policy layer itself on this guest's channel (e.g. reading
 * a resource's state). cb receives the response (hdr + status + values)
 * unless the guest resets or the agent is freed first. Returns 0 (queued),
 * 1 (nothing to send: the subscription state already satisfies it; no
 * callback), -ENOSPC, -EINVAL or -ENOMEM.
 */
typedef void (*agent_inject_cb)(void *opaque, const uint8_t *resp, size_t len);
int agent_inject(struct agent *a, const uint8_t *msg, size_t len, agent_inject_cb cb,
		 void *opaque);
/* Fire and forget on the guest's channel; outlives the guest (used to
 * withdraw its votes when it goes away). */
int agent_inject_detached(struct agent *a, const uint8_t *msg, size_t len);

/* Shutdown: new commands are answered COMMS_ERROR; in-flight ones finish. */
void agent_set_draining(struct agent *a, bool draining);
/* Commands received and not completed yet. */
unsigned agent_inflight(const struct agent *a);
const struct agent_stats *agent_stats(const struct agent *a);
const struct agent_config *agent_config(const struct agent *a);
const struct disp_client *agent_disp_client(const struct agent *a);
/* The version of proto the guest is presented (negotiated, configured or
 * the platform's as last seen); 0 if not known yet. */
uint32_t agent_version(const struct agent *a, uint8_t proto);

#endif
