/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-guest filter plugged into the agent (agent_filter_ops): the
 * guest's view (validation, renumbering) and, between the view and the
 * platform, the places where shared-resource arbitration and the
 * discovery cache take part.
 *
 *   request:  view_request (guest ids -> platform ids, or a local answer)
 *             -> [arbitration / cache: platform ids] -> forward
 *   response: [arbitration / cache: platform ids] -> view_response
 *   event:    view_event (drop hidden, renumber)
 */
#ifndef GUEST_FILTER_H
#define GUEST_FILTER_H

#include "agent.h"
#include "view.h"

struct guest_filter;

struct guest_filter *guest_filter_new(const struct view_config *cfg);
void guest_filter_free(struct guest_filter *gf);
struct view *guest_filter_view(struct guest_filter *gf);

/* The ops to register with agent_set_filter(a, &guest_filter_ops, gf). */
extern const struct agent_filter_ops guest_filter_ops;

/* BASE as the policy draws it: the agent_config fields (protocol list,
 * DISCOVER_AGENT name) a guest with this policy gets. */
struct agent_config;
void guest_filter_agent_config(const struct policy *p, struct agent_config *ac);

#endif
