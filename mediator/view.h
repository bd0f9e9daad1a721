/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One guest's view of the platform, as its policy draws it: guest resource
 * ids <-> platform ids, what it may see and change, allowed value ranges,
 * names. Requests are validated and renumbered to platform ids (or answered
 * here: NOT_SUPPORTED, NOT_FOUND, DENIED, OUT_OF_RANGE, INVALID_PARAMETERS);
 * responses, delayed responses and notifications are renumbered back.
 *
 * Stateless except for the guest's skip of in-flight CLOCK_POSSIBLE_PARENTS_GET
 * (the platform is asked from 0 and the visible parents are paged here) and
 * what it learned of range-clamped value lists (view_lists.h).
 * The response of a request is renumbered from the request as forwarded
 * (platform ids) through the policy's platform -> guest map.
 */
#ifndef VIEW_H
#define VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "policy.h"

struct view;

struct view_config {
	const struct policy *pol;     /* must outlive the view */
	uint32_t plat_agent_id;       /* the platform agent the guest is served as */
	uint32_t guest_agent_id;      /* the agent id the guest sees for itself */
};

/* What a command does to its resource (for the rights check). */
enum view_access {
	VIEW_PASS,                    /* no resource (version, attributes...) */
	VIEW_READ,                    /* reads the resource */
	VIEW_CONTROL,                 /* changes it: needs rights=control */
	VIEW_NOTIFY,                  /* (un)subscribes: needs notifications */
	VIEW_DENY,                    /* never from a guest */
	VIEW_SYSTEM,                  /* SYSTEM_POWER_STATE_SET: system_power */
};

enum view_range {
	VIEW_RANGE_NONE,
	VIEW_RANGE_U32,               /* u32 at val_off */
	VIEW_RANGE_I32,               /* i32 at val_off */
	VIEW_RANGE_U64,               /* u64 at val_off */
	VIEW_RANGE_U32_PAIR,          /* two u32 at val_off, val_off + 4 */
};

/* How the view treats one command (payload offsets; -1: none). */
struct view_cmd {
	uint8_t proto, msg;
	uint8_t access;               /* enum view_access */
	int8_t id_off;                /* resource id */
	int8_t sel_off;               /* pinctrl selector type word */
	uint8_t sel_shift;
	int8_t flags_off;             /* word whose bits outside flags_valid are */
	uint32_t flags_valid;         /* ... INVALID_PARAMETERS */
	int8_t flags2_off;
	uint32_t flags2_valid;
	uint8_t range;                /* enum view_range */
	int8_t val_off;
};

/* The view's entry for a command; NULL for commands without a resource id
 * or local rule (they pass unchanged when the protocol is allowed). */
const struct view_cmd *view_cmd_find(uint8_t proto, uint8_t msg);

struct view *view_new(const struct view_config *cfg);
/*
 * A synchronous source of platform answers (hdr + payload in platform ids
 * -> answer of at most cap bytes, its length; 0: not available), used to
 * learn where a range= starts in a platform list (view_lists.h). The guest
 * filter answers from the channel's discovery cache.
 */
typedef size_t (*view_fetch_fn)(void *opaque, const uint8_t *req, size_t req_len,
				uint8_t *resp, size_t cap);
void view_set_fetch(struct view *v, view_fetch_fn fn, void *opaque);
void view_free(struct view *v);
const struct policy *view_policy(const struct view *v);

/* agent_filter_ops-shaped entry points. */
enum agent_verdict view_request(struct view *v, uint8_t *msg, size_t *len, size_t cap,
				uint8_t *resp, size_t *resp_len, size_t resp_max);
void view_response(struct view *v, const uint8_t *req, size_t req_len, uint8_t *resp,
		   size_t *len, size_t resp_max);
bool view_event(struct view *v, uint8_t *msg, size_t *len, size_t cap);
void view_reset(struct view *v);

#endif
