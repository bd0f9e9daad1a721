/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Value lists clamped to a guest's range= (part of the view, view.c;
 * docs/policy.md "What the guest sees"): PERF_DESCRIBE_LEVELS,
 * CLOCK_DESCRIBE_RATES and VOLTAGE_DESCRIBE_LEVELS of a resource with a
 * range show the guest only the values within it.
 *
 * A list (ascending, as the specification requires) is cut to the run of
 * allowed values: the guest's index i is the platform's first_allowed + i,
 * and num_remaining counts the allowed values only. first_allowed and the
 * number of allowed values are learned once per resource by walking the
 * platform's list, page by page, through a synchronous fetch (the guest
 * filter answers it from the channel's discovery cache, which the warm-up
 * filled with every page); when the fetch cannot answer, from the guest's
 * own first page if that page holds the whole allowed run. Otherwise the
 * list is passed unclamped (logged once). A min/max/step triplet is
 * clamped to the range on the step grid.
 *
 * PERF domains in level-indexing mode (DOMAIN_ATTRIBUTES bit 25: levels
 * and limits on the wire are level indexes 0..N-1) have their range in
 * platform level indexes; the guest sees the run first..first+count-1
 * (the range within 0..N-1) as indexes 0..count-1, in every message that
 * carries one: DESCRIBE_LEVELS (start index, entries' level_index),
 * LEVEL_SET/LIMITS_SET (vl_levels_in), LEVEL_GET/LIMITS_GET replies and
 * LEVEL_CHANGED/LIMITS_CHANGED notifications (vl_levels_out,
 * vl_clamp_limits). N comes from any DESCRIBE_LEVELS page (num_returned +
 * num_remaining), first from the fetch. A guest presented PERF 3.x never
 * talks indexes (agent.c hides such a domain from it): nothing is
 * renumbered for it.
 *
 * All of it works on platform-layout messages (platform ids), after the
 * cache and before the version conversion (versions.c).
 */
#ifndef VIEW_LISTS_H
#define VIEW_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#include "view.h"

struct view_lists;

struct view_lists *vl_new(const struct policy *p);
void vl_free(struct view_lists *l);
void vl_set_fetch(struct view_lists *l, view_fetch_fn fn, void *opaque);
/* The guest reset: knowledge is learned again. */
void vl_reset(struct view_lists *l);

/* A DESCRIBE request of resource r (msg in platform ids: the id is
 * renumbered already). 0: forward (the index may have been rewritten);
 * else the status to answer, or 1 when resp holds a local answer. */
int vl_request(struct view_lists *l, const struct pol_res *r, uint8_t *msg, size_t len,
	       uint8_t *resp, size_t *resp_len, size_t resp_max);
/* The platform's SUCCESS answer to a forwarded DESCRIBE request. */
void vl_response(struct view_lists *l, const struct pol_res *r, const uint8_t *req,
		 size_t req_len, uint8_t *resp, size_t *len);
/* Facts seen passing by: PERF PROTOCOL_VERSION and DOMAIN_ATTRIBUTES. */
void vl_note_version(struct view_lists *l, uint8_t proto, uint32_t version);
void vl_note_perf_attrs(struct view_lists *l, const struct pol_res *r, uint32_t attrs);
/* PERF_LIMITS_GET reply / LIMITS_CHANGED values intersected with r's range
 * (level-indexing domains: clamped into the run and renumbered, as
 * vl_levels_out). */
void vl_clamp_limits(struct view_lists *l, const struct pol_res *r, uint8_t *max_p,
		     uint8_t *min_p);
/* Guest -> platform: n level indexes (u32 words at p) of a level-indexing
 * domain with a range renumbered into the run. False when r is not such a
 * domain for this guest (nothing done: the caller checks the range on the
 * values as they are); else *st is SCMI_SUCCESS or SCMI_OUT_OF_RANGE (an
 * index at or past the run's length; nothing rewritten). */
bool vl_levels_in(struct view_lists *l, const struct pol_res *r, uint8_t *p, unsigned n,
		  int32_t *st);
/* Platform -> guest: the level index at p clamped into the run and
 * renumbered from 0 (only for a level-indexing domain with a range). */
void vl_levels_out(struct view_lists *l, const struct pol_res *r, uint8_t *p);

#endif
