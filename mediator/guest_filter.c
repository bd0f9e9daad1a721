// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-guest filter: the view, and the call sites of arbitration/caching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan_share.h"
#include "guest_filter.h"
#include "lifecycle.h"

struct guest_filter {
	struct view *view;
	const struct policy *pol;
	struct chan_share *cs;          /* shared resources of the guest's channel */
	int slot;                       /* the guest's slot there */
	const struct lifecycle_ops *lc; /* system_power=guest actions */
	void *lc_opaque;
	unsigned lc_guest;
};

struct guest_filter *guest_filter_new(const struct view_config *cfg)
{
	struct guest_filter *gf = calloc(1, sizeof(*gf));

	if (!gf)
		return NULL;
	gf->pol = cfg->pol;
	gf->slot = -1;
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
	if (gf->cs)
		chan_share_guest_del(gf->cs, gf->slot);
	view_free(gf->view);
	free(gf);
}

struct view *guest_filter_view(struct guest_filter *gf)
{
	return gf->view;
}

/* The view learns where range= cuts a platform list from cached pages. */
static size_t gf_fetch(void *opaque, const uint8_t *req, size_t req_len, uint8_t *resp,
		       size_t cap)
{
	struct guest_filter *gf = opaque;

	return gf->cs ? chan_share_peek(gf->cs, req, req_len, resp, cap) : 0;
}

int guest_filter_set_share(struct guest_filter *gf, struct chan_share *cs)
{
	int slot = chan_share_guest_add(cs);

	if (slot < 0)
		return slot;
	if (gf->cs)
		chan_share_guest_del(gf->cs, gf->slot);
	gf->cs = cs;
	gf->slot = slot;
	view_set_fetch(gf->view, gf_fetch, gf);
	return 0;
}

void guest_filter_set_lifecycle(struct guest_filter *gf, const struct lifecycle_ops *ops,
				void *opaque, unsigned guest)
{
	gf->lc = ops;
	gf->lc_opaque = opaque;
	gf->lc_guest = guest;
}

static enum agent_verdict gf_request(void *f, uint8_t *msg, size_t *len, size_t cap,
				     uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	struct guest_filter *gf = f;
	enum agent_verdict vd;

	/*
	 * SYSTEM_POWER_STATE_SET with system_power=guest acts on the guest
	 * itself (lifecycle hook), before the view (which answers DENIED for
	 * anything but system_power=platform).
	 */
	if (gf->pol->system_power == POL_SYS_GUEST && policy_allows(gf->pol, SCMI_PROTO_SYSTEM) &&
	    lc_system_request(gf->pol, gf->lc_guest, gf->lc, gf->lc_opaque, msg, *len, resp,
			      resp_len, resp_max) == AGENT_REPLY)
		return AGENT_REPLY;
	vd = view_request(gf->view, msg, len, cap, resp, resp_len, resp_max);
	if (vd != AGENT_FORWARD || !gf->cs)
		return vd;
	/*
	 * Platform ids from here: votes on shared resources (arbiter) and
	 * cached discovery answers; a local answer is renumbered for the guest.
	 */
	vd = chan_share_request(gf->cs, gf->slot, gf->pol, msg, *len, resp, resp_len, resp_max);
	if (vd == AGENT_REPLY)
		view_response(gf->view, msg, *len, resp, resp_len, resp_max);
	return vd;
}

static void gf_response(void *f, const uint8_t *req, size_t req_len, uint8_t *resp,
			size_t *len, size_t resp_max)
{
	struct guest_filter *gf = f;

	/* platform ids: vote bookkeeping, cache fill, per-guest readback */
	if (gf->cs)
		chan_share_response(gf->cs, gf->slot, gf->pol, req, req_len, resp, *len,
				    resp_max);
	view_response(gf->view, req, req_len, resp, len, resp_max);
}

static bool gf_event(void *f, uint8_t *msg, size_t *len, size_t cap)
{
	struct guest_filter *gf = f;

	/* platform ids: the view renumbers or drops it (nothing to arbitrate) */
	return view_event(gf->view, msg, len, cap);
}

static void gf_reset(void *f)
{
	struct guest_filter *gf = f;

	/* the guest's votes are withdrawn (the platform follows) */
	if (gf->cs)
		chan_share_reset(gf->cs, gf->slot);
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
	for (i = 1; i < POL_NPROTO && i < AGENT_NPROTO; i++)
		ac->version_cap[i] = p->version[i];
	snprintf(ac->policy_path, sizeof(ac->policy_path), "%s", p->path);
}
