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
 * clamped to the range on the step grid. PERF domains in level-indexing
 * mode are never clamped (their wire values are indices the guest would
 * need renumbered everywhere).
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
 * (not for level-indexing domains). */
void vl_clamp_limits(struct view_lists *l, const struct pol_res *r, uint8_t *max_p,
		     uint8_t *min_p);

#endif
