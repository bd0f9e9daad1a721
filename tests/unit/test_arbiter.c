// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arbiter: three guests share one platform agent of the embedded platform;
 * their votes on clocks, power domains, perf levels and clock rates are
 * aggregated, answered locally when the aggregate does not move, read back
 * per guest, withdrawn when a guest leaves (also mid-request) and checked
 * against the platform's physical state.
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
#include "mediator/scmi_msg.h"
#include "tests/support/plat_harness.h"

static const char cfg[] =
	"agents = [ \"id=1,name=mediator,trusted=1\" ]\n"
	"clocks = [ \"name=c0,rates=1000 2000 3000 4000,rate=1000\",\n"
	"           \"name=c1,rates=1000 2000,rate=1000\" ]\n"
	"power_domains = [ \"name=pd0,state=off\", \"name=pd1,state=off\" ]\n"
	"perf = [ \"name=p0,levels=100:10:10:100000 200:20:10:200000 300:30:10:300000,"
	"level=100\" ]\n"
	"resets = [ \"name=r0\" ]\n";

#define MED 1 /* the mediator's platform agent */

struct env {
	struct ph *h;
	struct arbiter *a;
	struct pol_res shared, excl, first, deny, ranged;
	unsigned emitted;
	uint8_t resp[SCMI_MSG_MAX];
	size_t resp_len;
	bool local;
};

static void emit(void *opaque, unsigned guest, const uint8_t *m, size_t len)
{
	struct env *e = opaque;
	int32_t st;

	(void)guest;
	e->emitted++;
	st = ph_raw(e->h, MED, m, len);
	assert_int_equal(st, SCMI_SUCCESS);
}

static const struct arb_ops ops = { .emit = emit };

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->h = ph_new(cfg);
	e->a = arb_new(&ops, e);
	e->shared.share = POL_SHARED_REFCOUNT;
	e->shared.rights = POL_READ | POL_CONTROL;
	e->excl = e->shared;
	e->excl.share = POL_EXCLUSIVE;
	e->first = e->shared;
	e->first.share = POL_SHARED_MAX;
	e->first.conflict = POL_CONFLICT_FIRST;
	e->deny = e->first;
	e->deny.conflict = POL_CONFLICT_DENY;
	e->ranged = e->first;
	e->ranged.conflict = POL_CONFLICT_MAX;
	e->ranged.has_range = true;
	e->ranged.min = 100;
	e->ranged.max = 200;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	arb_free(e->a);
	ph_free(e->h);
	free(e);
	return 0;
}

/*
 * One guest command through the arbiter to the platform (as the mediator's
 * agent) and back. Returns the status the guest sees; e->local tells
 * whether it was answered without the platform.
 */
static int32_t gcmd(struct env *e, unsigned g, const struct pol_res *res, uint8_t proto,
		    uint8_t mid, const uint32_t *args, unsigned n)
{
	uint8_t m[64];
	size_t len = 4 + 4 * (size_t)n;
	unsigned i;

	scmi_put_le32(m, scmi_hdr(proto, mid, 0, 5));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	if (arb_request(e->a, g, res, m, len, e->resp, &e->resp_len, sizeof(e->resp)) ==
	    AGENT_REPLY) {
		e->local = true;
		assert_true(e->resp_len >= 8);
		return (int32_t)scmi_get_le32(e->resp + 4);
	}
	e->local = false;
	ph_raw(e->h, MED, m, len);
	e->resp_len = e->h->resp_len;
	memcpy(e->resp, e->h->resp, e->resp_len);
	arb_response(e->a, g, res, m, len, e->resp, e->resp_len);
	return (int32_t)scmi_get_le32(e->resp + 4);
}
#define G(e, g, res, proto, mid, ...) \
	gcmd(e, g, res, proto, mid, PH_ARGS(__VA_ARGS__), (unsigned)PH_NARGS(__VA_ARGS__))

static bool clock_on(struct env *e, uint32_t id)
{
	struct plat_clock_state s;

	assert_int_equal(plat_clock_state(e->h->p, id, &s), 0);
	return s.enabled;
}

static uint32_t power(struct env *e, uint32_t id)
{
	struct plat_power_state s;

	assert_int_equal(plat_power_state(e->h->p, id, &s), 0);
	return s.state;
}

static uint32_t level(struct env *e, uint32_t id)
{
	struct plat_perf_state s;

	assert_int_equal(plat_perf_state(e->h->p, id, &s), 0);
	return s.level;
}

#define ON SCMI_CLOCK_STATE_ON
#define OFF SCMI_CLOCK_STATE_OFF
#define C SCMI_PROTO_CLOCK

static void test_clock_refcount(void **state)
{
	struct env *e = *state;
	uint64_t before;

	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_false(e->local);
	assert_true(clock_on(e, 0));
	assert_true(plat_clock_agent_vote(e->h->p, 0, MED));
	/* the second and third votes do not reach the platform */
	before = plat_commands_received(e->h->p, MED);
	assert_int_equal(G(e, 1, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_true(e->local);
	assert_int_equal(G(e, 2, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_true(e->local);
	/* off by two of three: still on, nothing sent */
	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_true(e->local);
	assert_int_equal(G(e, 2, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_true(e->local);
	assert_int_equal(plat_commands_received(e->h->p, MED), before);
	assert_true(clock_on(e, 0));
	/* the last vote off turns it off */
	assert_int_equal(G(e, 1, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_false(e->local);
	assert_false(clock_on(e, 0));
	assert_int_equal(plat_commands_received(e->h->p, MED), before + 1);
}

static void test_clock_readback_per_guest(void **state)
{
	struct env *e = *state;

	assert_int_equal(G(e, 1, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 1, ON, 0), SCMI_SUCCESS);
	/* guest 1 sees its vote, guest 0 its own (none: off) */
	assert_int_equal(G(e, 1, &e->shared, C, SCMI_CLOCK_ATTRIBUTES, 1), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 8) & 1, 1);
	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_ATTRIBUTES, 1), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 8) & 1, 0);
	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_GET, 1, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 12) & 1, 0);
	assert_int_equal(G(e, 1, &e->shared, C, SCMI_CLOCK_CONFIG_GET, 1, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 12) & 1, 1);
	assert_true(arb_clock_vote(e->a, 1, 1));
	assert_false(arb_clock_vote(e->a, 1, 0));
}

static void test_withdraw_recomputes(void **state)
{
	struct env *e = *state;

	G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0);
	G(e, 1, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0);
	G(e, 0, &e->shared, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0, SCMI_POWER_STATE_ON);
	assert_int_equal(power(e, 0), SCMI_POWER_STATE_ON);
	/* guest 0 leaves: the clock stays (guest 1), the domain goes off */
	arb_withdraw(e->a, 0);
	assert_int_equal(e->emitted, 1);
	assert_true(clock_on(e, 0));
	assert_int_equal(power(e, 0), SCMI_POWER_STATE_OFF);
	arb_withdraw(e->a, 1);
	assert_int_equal(e->emitted, 2);
	assert_false(clock_on(e, 0));
	/* withdrawing again changes nothing */
	arb_withdraw(e->a, 1);
	assert_int_equal(e->emitted, 2);
}

static void test_disconnect_mid_request(void **state)
{
	struct env *e = *state;
	uint8_t m[16], r[16];
	size_t rl;

	G(e, 2, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0);
	/* guest 0's ON goes out; it leaves before the answer comes back */
	scmi_put_le32(m, scmi_hdr(C, SCMI_CLOCK_CONFIG_SET, 0, 9));
	scmi_put_le32(m + 4, 0);
	scmi_put_le32(m + 8, ON);
	scmi_put_le32(m + 12, 0);
	assert_int_equal(arb_request(e->a, 0, &e->shared, m, sizeof(m), r, &rl, sizeof(r)),
			 AGENT_FORWARD);
	assert_int_equal(ph_raw(e->h, MED, m, sizeof(m)), SCMI_SUCCESS);
	assert_true(clock_on(e, 0));
	arb_withdraw(e->a, 0);        /* the response is discarded by the agent */
	assert_false(clock_on(e, 0));
	assert_false(plat_clock_agent_vote(e->h->p, 0, MED));
	/* a leftover response for the departed guest changes nothing */
	scmi_put_le32(r, scmi_get_le32(m));
	scmi_put_le32(r + 4, SCMI_SUCCESS);
	arb_response(e->a, 0, &e->shared, m, sizeof(m), r, 8);
	assert_false(arb_clock_vote(e->a, 0, 0));
	assert_int_equal(arb_sent(e->a, C, SCMI_CLOCK_CONFIG_SET, 0), OFF);
}

static void test_platform_error_reverts(void **state)
{
	struct env *e = *state;

	/* clock 7 does not exist: the platform refuses, the vote is dropped */
	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 7, ON, 0),
			 SCMI_NOT_FOUND);
	assert_false(arb_clock_vote(e->a, 7, 0));
	assert_int_equal(arb_sent(e->a, C, SCMI_CLOCK_CONFIG_SET, 7), -1);
	assert_int_equal(arb_stats(e->a)->reverted, 1);
}

static void test_power_shared(void **state)
{
	struct env *e = *state;
	uint8_t P = SCMI_PROTO_POWER;

	assert_int_equal(G(e, 0, &e->shared, P, SCMI_POWER_STATE_SET, 0, 1, SCMI_POWER_STATE_ON),
			 SCMI_SUCCESS);
	assert_int_equal(G(e, 1, &e->shared, P, SCMI_POWER_STATE_SET, 0, 1, SCMI_POWER_STATE_ON),
			 SCMI_SUCCESS);
	assert_true(e->local);
	assert_int_equal(G(e, 0, &e->shared, P, SCMI_POWER_STATE_SET, 0, 1,
			   SCMI_POWER_STATE_OFF), SCMI_SUCCESS);
	assert_true(e->local);
	assert_int_equal(power(e, 1), SCMI_POWER_STATE_ON);
	/* each reads what it asked for */
	assert_int_equal(G(e, 0, &e->shared, P, SCMI_POWER_STATE_GET, 1), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 8), SCMI_POWER_STATE_OFF);
	assert_int_equal(G(e, 1, &e->shared, P, SCMI_POWER_STATE_GET, 1), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 8), SCMI_POWER_STATE_ON);
	/* guest 2 never voted: the platform answers */
	assert_int_equal(G(e, 2, &e->shared, P, SCMI_POWER_STATE_GET, 1), SCMI_SUCCESS);
	assert_false(e->local);
	assert_int_equal(scmi_get_le32(e->resp + 8), SCMI_POWER_STATE_ON);
	assert_int_equal(G(e, 1, &e->shared, P, SCMI_POWER_STATE_SET, 0, 1,
			   SCMI_POWER_STATE_OFF), SCMI_SUCCESS);
	assert_false(e->local);
	assert_int_equal(power(e, 1), SCMI_POWER_STATE_OFF);
}

static void test_perf_max(void **state)
{
	struct env *e = *state;
	uint8_t P = SCMI_PROTO_PERF;

	assert_int_equal(G(e, 0, &e->ranged, P, SCMI_PERF_LEVEL_SET, 0, 200), SCMI_SUCCESS);
	assert_int_equal(level(e, 0), 200);
	/* a lower request does not lower the level */
	assert_int_equal(G(e, 1, &e->ranged, P, SCMI_PERF_LEVEL_SET, 0, 100), SCMI_SUCCESS);
	assert_true(e->local);
	assert_int_equal(level(e, 0), 200);
	/* outside the guest's bounds */
	assert_int_equal(G(e, 2, &e->ranged, P, SCMI_PERF_LEVEL_SET, 0, 300),
			 SCMI_OUT_OF_RANGE);
	/* readback per guest */
	assert_int_equal(G(e, 1, &e->ranged, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 8), 100);
	assert_int_equal(G(e, 0, &e->ranged, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->resp + 8), 200);
	/* the max leaves: the platform follows the remaining request */
	arb_withdraw(e->a, 0);
	assert_int_equal(level(e, 0), 100);
	/* the last one leaving leaves the level alone */
	arb_withdraw(e->a, 1);
	assert_int_equal(level(e, 0), 100);
}

static void test_rate_conflicts(void **state)
{
	struct env *e = *state;
	struct plat_clock_state s;

	/* max: the platform gets the highest request */
	assert_int_equal(G(e, 0, &e->ranged, C, SCMI_CLOCK_RATE_SET, 0, 0, 3000, 0),
			 SCMI_SUCCESS);
	assert_int_equal(G(e, 1, &e->ranged, C, SCMI_CLOCK_RATE_SET, 0, 0, 2000, 0),
			 SCMI_SUCCESS);
	assert_int_equal(plat_clock_state(e->h->p, 0, &s), 0);
	assert_int_equal(s.rate, 3000);
	arb_withdraw(e->a, 0);
	assert_int_equal(plat_clock_state(e->h->p, 0, &s), 0);
	assert_int_equal(s.rate, 2000);
	/* first owner */
	assert_int_equal(G(e, 1, &e->first, C, SCMI_CLOCK_RATE_SET, 0, 1, 2000, 0),
			 SCMI_SUCCESS);
	assert_int_equal(G(e, 2, &e->first, C, SCMI_CLOCK_RATE_SET, 0, 1, 1000, 0),
			 SCMI_DENIED);
	assert_int_equal(plat_clock_state(e->h->p, 1, &s), 0);
	assert_int_equal(s.rate, 2000);
	arb_withdraw(e->a, 1);
	assert_int_equal(G(e, 2, &e->first, C, SCMI_CLOCK_RATE_SET, 0, 1, 1000, 0),
			 SCMI_SUCCESS);
	/* deny */
	assert_int_equal(G(e, 2, &e->deny, C, SCMI_CLOCK_RATE_SET, 0, 1, 1000, 0),
			 SCMI_DENIED);
}

static void test_exclusive_owner(void **state)
{
	struct env *e = *state;

	assert_int_equal(G(e, 0, &e->excl, SCMI_PROTO_RESET, SCMI_RESET, 0, 0, 0),
			 SCMI_SUCCESS);
	assert_int_equal(G(e, 1, &e->excl, SCMI_PROTO_RESET, SCMI_RESET, 0, 0, 0),
			 SCMI_DENIED);
	/* a shared reset passes */
	assert_int_equal(G(e, 1, &e->shared, SCMI_PROTO_RESET, SCMI_RESET, 0, 0, 0),
			 SCMI_SUCCESS);
	arb_withdraw(e->a, 0);
	assert_int_equal(G(e, 1, &e->excl, SCMI_PROTO_RESET, SCMI_RESET, 0, 0, 0),
			 SCMI_SUCCESS);
	/* an exclusive clock: the owner's votes pass through */
	assert_int_equal(G(e, 0, &e->excl, C, SCMI_CLOCK_CONFIG_SET, 1, ON, 0), SCMI_SUCCESS);
	assert_true(clock_on(e, 1));
	assert_int_equal(G(e, 2, &e->excl, C, SCMI_CLOCK_CONFIG_SET, 1, OFF, 0), SCMI_DENIED);
	assert_true(clock_on(e, 1));
	assert_int_equal(arb_stats(e->a)->denied, 2);
}

static void test_platform_reset_forgets(void **state)
{
	struct env *e = *state;

	G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0);
	arb_platform_reset(e->a);
	assert_false(arb_clock_vote(e->a, 0, 0));
	arb_withdraw(e->a, 0);
	assert_int_equal(e->emitted, 0);
}

/* The platform forgot (plat_reset): the aggregates come back, votes stay. */
static void test_platform_replay(void **state)
{
	struct env *e = *state;
	unsigned before;

	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, ON, 0), SCMI_SUCCESS);
	assert_int_equal(G(e, 1, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, OFF, 0), SCMI_SUCCESS);
	assert_int_equal(G(e, 1, &e->shared, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 1,
			   SCMI_POWER_STATE_ON), SCMI_SUCCESS);
	assert_int_equal(G(e, 0, &e->ranged, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 200),
			 SCMI_SUCCESS);
	assert_int_equal(G(e, 1, &e->ranged, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 100),
			 SCMI_SUCCESS);
	assert_true(clock_on(e, 0));
	assert_int_equal(level(e, 0), 200);
	assert_int_equal(plat_reset(e->h->p), 0);
	assert_false(clock_on(e, 0));
	assert_int_equal(power(e, 1), SCMI_POWER_STATE_OFF);
	assert_int_equal(level(e, 0), 100);
	before = e->emitted;
	/* clock enable, power state, perf level: one command each */
	assert_int_equal(arb_platform_replay(e->a), 3);
	assert_int_equal(e->emitted, before + 3);
	assert_true(clock_on(e, 0));
	assert_int_equal(power(e, 1), SCMI_POWER_STATE_ON);
	assert_int_equal(arb_sent(e->a, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0), 200);
	assert_int_equal(level(e, 0), 200);
	/* the votes are still there: guest 0 leaving turns the clock off */
	assert_true(arb_clock_vote(e->a, 0, 0));
	arb_withdraw(e->a, 0);
	assert_false(clock_on(e, 0));
}

/* ---- exclusive settings: remembered, replayed, forgotten ----------------- */
struct rec {
	struct arbiter *a;
	int rc;                      /* what replay() returns */
	unsigned n;
	uint8_t m[16][ARB_SETTING_LEN];
	size_t len[16];
};

static int rec_replay(void *opaque, unsigned guest, const uint8_t *m, size_t len)
{
	struct rec *r = opaque;

	(void)guest;
	if (r->n < 16) {
		memcpy(r->m[r->n], m, len);
		r->len[r->n] = len;
	}
	r->n++;
	return r->rc;
}

static const struct arb_ops rec_ops = { .replay = rec_replay };

/* A guest's command through the arbiter, answered `status` by a platform
 * (none here); returns the arbiter's verdict. */
static enum agent_verdict xcmd(struct rec *r, unsigned g, const struct pol_res *res,
			       int32_t status, uint8_t proto, uint8_t mid, const uint32_t *args,
			       unsigned n)
{
	uint8_t m[64], resp[64];
	size_t rl = 0;
	unsigned i;
	enum agent_verdict v;

	scmi_put_le32(m, scmi_hdr(proto, mid, 0, 9));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	v = arb_request(r->a, g, res, m, 4 + 4 * n, resp, &rl, sizeof(resp));
	if (v != AGENT_FORWARD)
		return v;
	scmi_put_le32(resp, scmi_get_le32(m));
	scmi_put_le32(resp + 4, (uint32_t)status);
	arb_response(r->a, g, res, m, 4 + 4 * n, resp, 8);
	return v;
}
#define X(r, g, res, st, proto, mid, ...) \
	xcmd(r, g, res, st, proto, mid, PH_ARGS(__VA_ARGS__), (unsigned)PH_NARGS(__VA_ARGS__))

static void test_exclusive_settings(void **state)
{
	struct env *e = *state;
	struct rec r = { 0 };
	uint8_t m[ARB_SETTING_LEN];
	unsigned g = 9;
	uint32_t i;

	r.a = arb_new(&rec_ops, &r);
	assert_non_null(r.a);
	/* an asynchronous rate on guest 0's clock: remembered synchronous */
	assert_int_equal(X(&r, 0, &e->excl, SCMI_SUCCESS, C, SCMI_CLOCK_RATE_SET,
			   SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_ROUND_UP, 0, 3000, 0),
			 AGENT_FORWARD);
	assert_int_equal(arb_setting(r.a, C, SCMI_CLOCK_RATE_SET, 0, 0, m, &g), 20);
	assert_int_equal(g, 0);
	assert_int_equal(scmi_get_le32(m), scmi_hdr(C, SCMI_CLOCK_RATE_SET, 0, 0));
	assert_int_equal(scmi_get_le32(m + 4), SCMI_CLOCK_SET_ROUND_UP);
	assert_int_equal(scmi_get_le64(m + 12), 3000);
	/* guest 1 is DENIED on it and nothing of it is remembered */
	assert_int_equal(X(&r, 1, &e->excl, SCMI_SUCCESS, C, SCMI_CLOCK_RATE_SET, 0, 0, 1000, 0),
			 AGENT_REPLY);
	assert_int_equal(arb_setting(r.a, C, SCMI_CLOCK_RATE_SET, 0, 0, NULL, &g), 20);
	assert_int_equal(g, 0);
	/* a shared clock rate is a vote (replayed as an aggregate), a shared
	 * voltage is last-writer-wins: neither is a remembered setting */
	X(&r, 0, &e->ranged, SCMI_SUCCESS, C, SCMI_CLOCK_RATE_SET, 0, 1, 2000, 0);
	assert_int_equal(arb_setting(r.a, C, SCMI_CLOCK_RATE_SET, 1, 0, NULL, NULL), 0);
	X(&r, 0, &e->shared, SCMI_SUCCESS, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, 5);
	assert_int_equal(arb_setting(r.a, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, NULL,
				     NULL), 0);
	/* refused by the platform: not remembered; RESET is not a state */
	X(&r, 0, &e->excl, SCMI_OUT_OF_RANGE, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 1, 0,
	  5);
	assert_int_equal(arb_setting(r.a, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 1, 0, NULL,
				     NULL), 0);
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_RESET, SCMI_RESET, 0, 0, 0);
	assert_int_equal(arb_stats(r.a)->settings, 1);
	/* pin settings: one per configuration type, and the function */
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 3, 7,
	  SCMI_PINCTRL_TYPE_GROUP | 2u << 2 | SCMI_PINCTRL_FUNC_VALID, 1, 10, 5, 20);
	assert_int_equal(arb_setting(r.a, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 3,
				     SCMI_PINCTRL_TYPE_GROUP | 4u, m, NULL), 16);
	assert_int_equal(scmi_get_le32(m + 8), 7);
	assert_int_equal(scmi_get_le32(m + 12), SCMI_PINCTRL_TYPE_GROUP | SCMI_PINCTRL_FUNC_VALID);
	assert_int_equal(arb_setting(r.a, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 3,
				     SCMI_PINCTRL_TYPE_GROUP | 5u << 8, m, NULL), 24);
	assert_int_equal(scmi_get_le32(m + 12), SCMI_PINCTRL_TYPE_GROUP | 1u << 2);
	assert_int_equal(scmi_get_le32(m + 16), 5);
	assert_int_equal(scmi_get_le32(m + 20), 20);
	/* a later value of one config type replaces only that one */
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 3,
	  SCMI_PINCTRL_NO_FUNCTION, SCMI_PINCTRL_TYPE_GROUP | 1u << 2, 1, 11);
	assert_int_equal(arb_stats(r.a)->settings, 4);
	/* trip points of one sensor are kept apart */
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, 2,
	  0u << 4 | 1, 100, 0);
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, 2,
	  1u << 4 | 1, 200, 0);
	assert_int_equal(arb_stats(r.a)->settings, 6);
	/* a pin request is remembered until released */
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 4,
	  SCMI_PINCTRL_TYPE_PIN);
	assert_int_equal(arb_stats(r.a)->settings, 7);
	X(&r, 0, &e->excl, SCMI_SUCCESS, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_RELEASE, 4,
	  SCMI_PINCTRL_TYPE_PIN);
	assert_int_equal(arb_stats(r.a)->settings, 6);

	/* replayed in the order they were last made; failures counted */
	assert_int_equal(arb_platform_replay(r.a), 1);   /* the shared rate's aggregate */
	r.rc = -1;
	assert_int_equal(arb_replay_settings(r.a), 6);
	assert_int_equal(r.n, 6);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(r.m[0])), SCMI_CLOCK_RATE_SET);
	assert_int_equal(r.len[0], 20);
	assert_int_equal(scmi_get_le32(r.m[3] + 20), 11);   /* config 1, the newer value */
	assert_int_equal(scmi_hdr_proto(scmi_get_le32(r.m[5])), SCMI_PROTO_SENSOR);
	assert_int_equal(scmi_get_le32(r.m[5] + 8) >> 4 & 0xff, 1);
	assert_int_equal(arb_stats(r.a)->replayed, 6);
	assert_int_equal(arb_stats(r.a)->replay_failed, 6);
	arb_replay_result(r.a, SCMI_SUCCESS);
	arb_replay_result(r.a, SCMI_DENIED);
	assert_int_equal(arb_stats(r.a)->replay_failed, 7);
	/* still there after a replay; guest 1 leaving changes nothing */
	arb_withdraw(r.a, 1);
	assert_int_equal(arb_stats(r.a)->settings, 6);
	/* the owner leaves: forgotten, and another guest may own it */
	arb_withdraw(r.a, 0);
	assert_int_equal(arb_stats(r.a)->settings, 0);
	r.n = 0;
	assert_int_equal(arb_replay_settings(r.a), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(X(&r, 1, &e->excl, SCMI_SUCCESS, C, SCMI_CLOCK_RATE_SET, 0, 0, 1000, 0),
			 AGENT_FORWARD);
	assert_int_equal(arb_setting(r.a, C, SCMI_CLOCK_RATE_SET, 0, 0, NULL, &g), 20);
	assert_int_equal(g, 1);
	/* bounded: one setting more than the table holds is counted, not kept */
	for (i = 0; i <= ARB_SETTINGS_MAX; i++)
		X(&r, 2, &e->excl, SCMI_SUCCESS, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 100 + i,
		  1);
	assert_int_equal(arb_stats(r.a)->settings, ARB_SETTINGS_MAX);
	assert_int_equal(arb_stats(r.a)->not_remembered, 2);   /* + the clock above */
	/* forget everything */
	arb_platform_reset(r.a);
	assert_int_equal(arb_stats(r.a)->settings, 0);
	arb_free(r.a);
}

static void test_bad_input(void **state)
{
	struct env *e = *state;
	uint8_t m[8] = { 0 }, r[16];
	size_t rl = 0;

	/* no resource, a short message, a guest index out of range: untouched */
	scmi_put_le32(m, scmi_hdr(C, SCMI_CLOCK_CONFIG_SET, 0, 0));
	assert_int_equal(arb_request(e->a, 0, NULL, m, 8, r, &rl, 16), AGENT_FORWARD);
	assert_int_equal(arb_request(e->a, 0, &e->shared, m, 8, r, &rl, 16), AGENT_FORWARD);
	assert_int_equal(arb_request(e->a, ARB_MAX_GUESTS, &e->shared, m, 8, r, &rl, 16),
			 AGENT_FORWARD);
	arb_response(e->a, 0, &e->shared, m, 4, r, 8);
	arb_withdraw(e->a, ARB_MAX_GUESTS);
	assert_int_equal(rl, 0);
	/* reserved clock state bits go to the platform unchanged */
	assert_int_equal(G(e, 0, &e->shared, C, SCMI_CLOCK_CONFIG_SET, 0, 2, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_false(e->local);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock_refcount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_readback_per_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_recomputes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_mid_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_error_reverts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perf_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exclusive_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_reset_forgets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exclusive_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
