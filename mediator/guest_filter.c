// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-guest filter: the view, and the call sites of arbitration/caching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_filter.h"

struct guest_filter {
	struct view *view;
};

struct guest_filter *guest_filter_new(const struct view_config *cfg)
{
	struct guest_filter *gf = calloc(1, sizeof(*gf));

	if (!gf)
		return NULL;
	gf->view = view_new(cfg);
	if (!gf->view) {
		free(gf);
		return NULL;
	}
	return gf;
}

void guest_filter_free(struct guest_filter *gf)
{
	if (!gf)
		return;
	view_free(gf->view);
	free(gf);
}

struct view *guest_filter_view(struct guest_filter *gf)
{
	return gf->view;
}

static enum agent_verdict gf_request(void *f, uint8_t *msg, size_t *len, size_t cap,
				     uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	struct guest_filter *gf = f;
	enum agent_verdict vd;

	/*
	 * CALL SITE (arbiter, SYSTEM_POWER lifecycle): with system_power=guest,
	 * SYSTEM_POWER_STATE_SET is taken here, before the view (which answers
	 * DENIED for anything but system_power=platform).
	 */
	vd = view_request(gf->view, msg, len, cap, resp, resp_len, resp_max);
	if (vd != AGENT_FORWARD)
		return vd;
	/*
	 * CALL SITE (arbiter, cache): msg now carries platform ids and has
	 * passed the policy checks. Votes on shared resources and cached
	 * discovery answers go here; a local answer must be written in guest
	 * terms (renumber with view_response() before returning AGENT_REPLY).
	 */
	return AGENT_FORWARD;
}

static void gf_response(void *f, const uint8_t *req, size_t req_len, uint8_t *resp,
			size_t *len, size_t resp_max)
{
	struct guest_filter *gf = f;

	/*
	 * CALL SITE (arbiter, cache): req and resp in platform ids (vote
	 * bookkeeping, cache fill) before the view renumbers the response.
	 */
	view_response(gf->view, req, req_len, resp, len, resp_max);
}

static bool gf_event(void *f, uint8_t *msg, size_t *len, size_t cap)
{
	struct guest_filter *gf = f;

	/* CALL SITE (arbiter): platform ids, before the view renumbers/drops. */
	return view_event(gf->view, msg, len, cap);
}

static void gf_reset(void *f)
{
	struct guest_filter *gf = f;

	/* CALL SITE (arbiter): withdraw the guest's votes. */
	view_reset(gf->view);
}

const struct agent_filter_ops guest_filter_ops = {
	.request = gf_request,
	.response = gf_response,
	.event = gf_event,
	.reset = gf_reset,
};

void guest_filter_agent_config(const struct policy *p, struct agent_config *ac)
{
	unsigned i;

	ac->filter_protocols = true;
	memset(ac->protocols_allowed, 0, sizeof(ac->protocols_allowed));
	for (i = 0; i < POL_NPROTO; i++)
		if (p->proto[i].allowed && i != POL_IDX(SCMI_PROTO_BASE))
			ac->protocols_allowed[(SCMI_PROTO_BASE + i) / 8] |=
				(uint8_t)(1u << ((SCMI_PROTO_BASE + i) % 8));
	if (p->agent_name[0])
		snprintf(ac->agent_name, sizeof(ac->agent_name), "%s", p->agent_name);
}
