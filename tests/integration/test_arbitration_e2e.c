// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arbitration and the discovery cache end to end: three guest agents share
 * platform channel 0 through the dispatcher and the embedded platform
 * backend, with a filter that runs chan_share (arbiter + cache) on every
 * command; outcomes are checked against the platform's physical state,
 * including a guest that leaves while its vote is at the platform.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "mediator/arbiter.h"
#include "mediator/cache.h"
#include "mediator/chan_share.h"
#include "mediator/scmi_msg.h"
#include "tests/support/core_env.h"

static const char cfg[] =
	"agents = [ \"id=1,name=mediator\" ]\n"
	"clocks = [ \"name=c0,rates=1000 2000 3000\", \"name=c1,rates=1000\" ]\n"
	"power_domains = [ \"name=pd0,state=off\" ]\n"
	"perf = [ \"name=p0,levels=100:10:10:100000 200:20:10:200000 300:30:10:300000,"
	"level=100\" ]\n";

#define MED 1
#define C SCMI_PROTO_CLOCK
#define ON SCMI_CLOCK_STATE_ON
#define OFF SCMI_CLOCK_STATE_OFF

struct gfilt {
	struct chan_share *cs;
	int slot;
	const struct policy *pol;
};

static enum agent_verdict f_request(void *f, uint8_t *msg, size_t *len, size_t cap,
				    uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	struct gfilt *g = f;

	(void)cap;
	return chan_share_request(g->cs, g->slot, g->pol, msg, *len, resp, resp_len, resp_max);
}

static void f_response(void *f, const uint8_t *req, size_t req_len, uint8_t *resp,
		       size_t *len, size_t resp_max)
{
	struct gfilt *g = f;

	chan_share_response(g->cs, g->slot, g->pol, req, req_len, resp, *len, resp_max);
}

static void f_reset(void *f)
{
	struct gfilt *g = f;

	chan_share_reset(g->cs, g->slot);
}

static const struct agent_filter_ops fops = {
	.request = f_request, .response = f_response, .reset = f_reset,
};

struct env {
	struct core_env *ce;
	struct chan_share *cs;
	struct ce_guest *g[3];
	struct gfilt f[3];
	struct pol_res clk[2], pd[1], perf[1];
	struct policy pol;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	unsigned i;

	e->ce = ce_new(cfg);
	e->cs = chan_share_new(e->ce->d, 0, 1u << 16);
	assert_non_null(e->cs);
	for (i = 0; i < 2; i++)
		e->clk[i] = (struct pol_res){ .guest_id = i, .plat_id = i,
					      .rights = POL_READ | POL_CONTROL,
					      .share = POL_SHARED_REFCOUNT,
					      .conflict = POL_CONFLICT_MAX };
	e->pd[0] = e->clk[0];
	e->perf[0] = e->clk[0];
	e->perf[0].share = POL_SHARED_MAX;
	e->pol.proto[POL_IDX(C)] = (struct pol_proto){ true, e->clk, 2 };
	e->pol.proto[POL_IDX(SCMI_PROTO_POWER)] = (struct pol_proto){ true, e->pd, 1 };
	e->pol.proto[POL_IDX(SCMI_PROTO_PERF)] = (struct pol_proto){ true, e->perf, 1 };
	for (i = 0; i < 3; i++) {
		e->g[i] = ce_guest_add(e->ce, 0);
		e->f[i] = (struct gfilt){ e->cs, chan_share_guest_add(e->cs), &e->pol };
		assert_int_equal(e->f[i].slot, (int)i);
		agent_set_filter(e->g[i]->a, &fops, &e->f[i]);
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	unsigned i;

	for (i = 0; i < 3; i++) {
		agent_set_filter(e->g[i]->a, NULL, NULL);
		chan_share_guest_del(e->cs, e->f[i].slot);
	}
	ce_free(e->ce);
	chan_share_free(e->cs);
	free(e);
	return 0;
}

static bool clock_on(struct env *e, uint32_t id)
{
	struct plat_clock_state s;

	assert_int_equal(plat_clock_state(e->ce->p, id, &s), 0);
	return s.enabled;
}

static void test_three_guests_clock(void **state)
{
	struct env *e = *state;
	uint64_t n0;

	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_true(clock_on(e, 0));
	n0 = plat_commands_received(e->ce->p, MED);
	assert_int_equal(ce_cmd(e->g[1], C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[2], C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[1], C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_int_equal(plat_commands_received(e->ce->p, MED), n0);
	assert_true(clock_on(e, 0));
	/* each guest reads its own vote back through the whole path */
	assert_int_equal(ce_cmd(e->g[2], C, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(e->g[2], 1) & 1, 1);
	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(e->g[0], 1) & 1, 0);
	/* the last vote goes: the clock stops */
	assert_int_equal(ce_cmd(e->g[2], C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_false(clock_on(e, 0));
	assert_false(plat_clock_agent_vote(e->ce->p, 0, MED));
}

static void test_guest_leaves(void **state)
{
	struct env *e = *state;
	struct plat_perf_state ps;
	struct plat_power_state pw;

	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_CONFIG_SET, 1, ON, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[0], SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0,
				SCMI_POWER_STATE_ON), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[0], SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 300),
			 SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[1], SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 200),
			 SCMI_SUCCESS);
	assert_int_equal(plat_perf_state(e->ce->p, 0, &ps), 0);
	assert_int_equal(ps.level, 300);
	/* guest 0's device resets: its votes go, the platform follows */
	agent_reset(e->g[0]->a);
	ce_run(e->ce, 20);
	assert_false(clock_on(e, 1));
	assert_int_equal(plat_power_state(e->ce->p, 0, &pw), 0);
	assert_int_equal(pw.state, SCMI_POWER_STATE_OFF);
	assert_int_equal(plat_perf_state(e->ce->p, 0, &ps), 0);
	assert_int_equal(ps.level, 200);
}

static void test_leave_mid_request(void **state)
{
	struct env *e = *state;
	uint64_t n0;

	/* guest 1 votes off (nothing on), guest 0's ON goes out and it leaves
	 * before the answer */
	assert_int_equal(ce_cmd(e->g[1], C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	n0 = plat_commands_received(e->ce->p, MED);
	ce_send(e->g[0], C, SCMI_CLOCK_CONFIG_SET, CE_ARGS(0, ON, 0), 3);
	agent_reset(e->g[0]->a);
	ce_run(e->ce, 20);
	assert_false(e->g[0]->got);
	/* the ON reached the platform, then the arbiter's OFF */
	assert_int_equal(plat_commands_received(e->ce->p, MED), n0 + 2);
	assert_false(clock_on(e, 0));
	assert_false(plat_clock_agent_vote(e->ce->p, 0, MED));
	/* and the same while another guest holds it on: it stays on */
	assert_int_equal(ce_cmd(e->g[2], C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	ce_send(e->g[0], C, SCMI_CLOCK_CONFIG_SET, CE_ARGS(0, ON, 0), 3);
	agent_reset(e->g[0]->a);
	ce_run(e->ce, 20);
	assert_true(clock_on(e, 0));
}

static void test_cache_in_path(void **state)
{
	struct env *e = *state;
	uint64_t n0;

	assert_int_equal(ce_cmd(e->g[1], C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(e->g[0], 0) & 1, 0);
	n0 = plat_commands_received(e->ce->p, MED);
	/* from the cache, with guest 1's own enabled bit */
	assert_int_equal(ce_cmd(e->g[1], C, SCMI_CLOCK_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(e->g[1], 0) & 1, 1);
	assert_int_equal(ce_cmd(e->g[2], C, SCMI_CLOCK_DESCRIBE_RATES, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_DESCRIBE_RATES, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(e->g[0], 0) & 0xfff, 3);
	assert_int_equal(plat_commands_received(e->ce->p, MED), n0 + 1);
	assert_int_equal(cache_stats(chan_share_cache(e->cs))->hits, 2);
	/* a state read is never cached */
	assert_int_equal(ce_cmd(e->g[0], C, SCMI_CLOCK_RATE_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(e->g[1], C, SCMI_CLOCK_RATE_GET, 0), SCMI_SUCCESS);
	assert_int_equal(plat_commands_received(e->ce->p, MED), n0 + 3);
	/* a platform reset drops the cached answers */
	chan_share_platform_reset(e->cs, NULL);
	assert_int_equal(cache_stats(chan_share_cache(e->cs))->entries, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_three_guests_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leave_mid_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_in_path, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
