// SPDX-License-Identifier: GPL-2.0-only
/* In-process mediator core for tests (core_env.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "core_env.h"
#include "mediator/base_cache.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"

static void out_complete(void *opaque, uint32_t cookie, const uint8_t *r, size_t len)
{
	struct ce_guest *g = opaque;

	(void)cookie;
	if (len > sizeof(g->resp))
		len = sizeof(g->resp);
	memcpy(g->resp, r, len);
	g->resp_len = len;
	g->got = true;
}

static int out_event(void *opaque, const uint8_t *m, size_t len)
{
	struct ce_guest *g = opaque;

	if (g->nev < CE_MAX_EVENTS && len <= sizeof(g->ev[0])) {
		memcpy(g->ev[g->nev], m, len);
		g->ev_len[g->nev] = len;
	}
	g->nev++;
	return 0;
}

static const struct agent_out_ops out_ops = { .complete = out_complete, .event = out_event };

struct core_env *ce_new(const char *platform_cfg)
{
	struct core_env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->desc = plat_desc_load_data("test.cfg", platform_cfg, stderr);
	assert_non_null(e->desc);
	e->p = plat_new(e->desc);
	assert_non_null(e->p);
	e->loop = ev_loop_new();
	e->be = embedded_backend_new(e->loop, e->p);
	assert_non_null(e->be);
	e->d = disp_new(e->loop, e->be, NULL);
	assert_non_null(e->d);
	return e;
}

struct ce_guest *ce_guest_add(struct core_env *e, unsigned chan)
{
	struct ce_guest *g = &e->g[e->ng];
	struct agent_config ac = { .chan = chan, .agent_id = 1, .num_agents = 1 };

	assert_true(e->ng < CE_MAX_GUESTS && chan < CE_MAX_GUESTS);
	snprintf(ac.name, sizeof(ac.name), "guest%u", e->ng);
	if (!e->bc[chan])
		e->bc[chan] = base_cache_new(e->d, chan);
	g->env = e;
	g->idx = e->ng++;
	g->a = agent_new(e->loop, e->d, e->bc[chan], &ac, &out_ops, g);
	assert_non_null(g->a);
	return g;
}

void ce_free(struct core_env *e)
{
	unsigned i;

	for (i = 0; i < e->ng; i++)
		agent_free(e->g[i].a);
	for (i = 0; i < CE_MAX_GUESTS; i++)
		if (e->bc[i])
			base_cache_free(e->bc[i]);
	disp_free(e->d);
	scmi_backend_destroy(e->be);
	plat_desc_free(e->desc);
	ev_loop_free(e->loop);
	free(e);
}

void ce_run(struct core_env *e, unsigned ms)
{
	uint64_t end = ev_now_ns() + (uint64_t)ms * 1000000u;

	while (ev_now_ns() < end)
		ev_loop_run_once(e->loop, 1);
}

void ce_send(struct ce_guest *g, uint8_t proto, uint8_t msg, const uint32_t *args, unsigned n)
{
	uint8_t m[64];
	unsigned i;

	assert_true(n <= 15);
	scmi_put_le32(m, scmi_hdr(proto, msg, 0, (uint16_t)(g->env->cookie & 0x3ff)));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	g->got = false;
	agent_command(g->a, g->env->cookie++, m, 4 + 4 * (size_t)n, SCMI_LINUX_MSG_SIZE);
}

int32_t ce_cmdv(struct ce_guest *g, uint8_t proto, uint8_t msg, const uint32_t *args,
		unsigned n)
{
	unsigned i;

	ce_send(g, proto, msg, args, n);
	for (i = 0; i < 2000 && !g->got; i++)
		ev_loop_run_once(g->env->loop, 5);
	if (!g->got || g->resp_len < 8)
		return INT32_MIN;
	return (int32_t)scmi_get_le32(g->resp + 4);
}

uint32_t ce_val(const struct ce_guest *g, unsigned i)
{
	return 8 + 4 * (size_t)i + 4 <= g->resp_len ? scmi_get_le32(g->resp + 8 + 4 * i) : 0;
}
