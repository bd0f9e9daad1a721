// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-process guests with policies on the embedded reference platform.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "policy_env.h"
#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "config/policy_cfg.h"
#include "mediator/agent.h"
#include "mediator/base_cache.h"
#include "mediator/chan_share.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/guest_filter.h"

static void out_complete(void *opaque, uint32_t cookie, const uint8_t *resp, size_t len)
{
	struct penv_guest *g = opaque;

	(void)cookie;
	assert_true(len >= 8 && len <= sizeof(g->resp));
	memcpy(g->resp, resp, len);
	g->resp_len = len;
	g->ndone++;
}

static int out_event(void *opaque, const uint8_t *msg, size_t len)
{
	struct penv_guest *g = opaque;

	assert_true(len <= SCMI_MSG_MAX);
	if (g->nev >= PENV_MAX_EVENTS)
		return -1;
	memcpy(g->ev[g->nev], msg, len);
	g->ev_len[g->nev++] = len;
	return 0;
}

static const struct agent_out_ops out_ops = { .complete = out_complete, .event = out_event };

size_t penv_cache_bytes = 1u << 16;

struct penv *penv_new(const char *const *policies, const unsigned *agents, unsigned n)
{
	struct penv *e = calloc(1, sizeof(*e));
	struct plat_desc *pd = plat_desc_load("config/platforms/reference.cfg", stderr);
	struct disp_config dc;
	unsigned i;

	assert_non_null(e);
	assert_non_null(pd);
	assert_true(n <= PENV_MAX_GUESTS);
	e->p = plat_new(pd);
	assert_non_null(e->p);
	e->loop = ev_loop_new();
	e->b = embedded_backend_new(e->loop, e->p);
	assert_non_null(e->b);
	disp_config_defaults(&dc);
	e->d = disp_new(e->loop, e->b, &dc);
	for (i = 0; i < n; i++) {
		struct penv_guest *g = &e->g[i];
		struct agent_config ac = { .chan = agents[i] - 1, .agent_id = 1, .num_agents = 1 };
		struct view_config vc = { .plat_agent_id = agents[i], .guest_agent_id = 1 };

		snprintf(ac.name, sizeof(ac.name), "g%u", i);
		g->plat_agent = agents[i];
		g->pol = policy_load(policies[i], pd, stderr);
		assert_non_null(g->pol);
		vc.pol = g->pol;
		guest_filter_agent_config(g->pol, &ac);
		g->gf = guest_filter_new(&vc);
		assert_non_null(g->gf);
		e->bc[i] = base_cache_new(e->d, ac.chan);
		g->a = agent_new(e->loop, e->d, e->bc[i], &ac, &out_ops, g);
		assert_non_null(g->a);
		agent_set_filter(g->a, &guest_filter_ops, g->gf);
		assert_true(ac.chan < PENV_MAX_CHANS);
		if (!e->cs[ac.chan])
			e->cs[ac.chan] = chan_share_new(e->d, ac.chan, penv_cache_bytes);
		assert_non_null(e->cs[ac.chan]);
		assert_int_equal(guest_filter_set_share(g->gf, e->cs[ac.chan]), 0);
	}
	e->ng = n;
	plat_desc_free(pd);
	return e;
}

void penv_free(struct penv *e)
{
	unsigned i;

	for (i = 0; i < e->ng; i++) {
		agent_free(e->g[i].a);
		guest_filter_free(e->g[i].gf);
		policy_free(e->g[i].pol);
		base_cache_free(e->bc[i]);
	}
	for (i = 0; i < PENV_MAX_CHANS; i++)
		chan_share_free(e->cs[i]);
	disp_free(e->d);
	scmi_backend_destroy(e->b);
	ev_loop_free(e->loop);
	free(e);
}

int32_t penv_call(struct penv *e, unsigned gi, const uint8_t *msg, size_t len, size_t resp_max)
{
	struct penv_guest *g = &e->g[gi];
	unsigned want = g->ndone + 1, i;
	uint8_t m[SCMI_MSG_MAX];

	assert_true(len >= 4 && len <= sizeof(m));
	memcpy(m, msg, len);
	e->token = (e->token + 1) & 0x3ff;
	scmi_put_le32(m, scmi_hdr_set_token(scmi_get_le32(m), e->token));
	agent_command(g->a, 0, m, len, resp_max);
	for (i = 0; i < 2000 && g->ndone < want; i++)
		ev_loop_run_once(e->loop, 5);
	assert_int_equal(g->ndone, want);
	assert_int_equal(scmi_get_le32(g->resp), scmi_get_le32(m));
	return (int32_t)scmi_get_le32(g->resp + 4);
}

int32_t penv_callw(struct penv *e, unsigned gi, uint8_t proto, uint8_t msg,
		   const uint32_t *w, unsigned n)
{
	uint8_t m[SCMI_MSG_MAX];
	unsigned i;

	assert_true(4 + 4 * n <= sizeof(m));
	scmi_put_le32(m, scmi_hdr(proto, msg, 0, 0));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, w[i]);
	return penv_call(e, gi, m, 4 + 4 * n, SCMI_LINUX_MSG_SIZE);
}

uint64_t penv_plat_count(struct penv *e, unsigned gi)
{
	return plat_commands_received(e->p, e->g[gi].plat_agent);
}

void penv_wait_events(struct penv *e, unsigned gi, unsigned want, unsigned ms)
{
	unsigned i;

	for (i = 0; i < ms && e->g[gi].nev < want; i++)
		ev_loop_run_once(e->loop, 1);
}
