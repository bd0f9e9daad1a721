// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared resources through the whole filter (view + arbiter + cache) with
 * the example policies: guest1 and guest2 served as the same platform
 * agent share the UART clock (refcount) and the little cluster's perf
 * domain (max); discovery answers come from the cache for the second
 * guest; SYSTEM_POWER follows each policy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "backends/platform/platform.h"
#include "mediator/agent.h"
#include "mediator/scmi_msg.h"
#include "tests/support/policy_env.h"

#define W(...) ((const uint32_t[]){ 0, __VA_ARGS__ } + 1)
#define NW(...) ((unsigned)(sizeof((uint32_t[]){ 0, __VA_ARGS__ }) / sizeof(uint32_t) - 1))
#define CALL(e, gi, p, m, ...) penv_callw(e, gi, p, m, W(__VA_ARGS__), NW(__VA_ARGS__))
#define C SCMI_PROTO_CLOCK
#define UART 6 /* platform clock of the guests' clock 0 */

static struct penv *env(void)
{
	static const char *const pols[] = { "config/examples/guest1.policy",
					    "config/examples/guest2.policy" };
	static const unsigned agents[] = { 2, 2 };

	return penv_new(pols, agents, 2);
}

static bool uart_on(struct penv *e)
{
	struct plat_clock_state s;

	assert_int_equal(plat_clock_state(e->p, UART, &s), 0);
	return s.enabled;
}

static void test_shared_clock(void **state)
{
	struct penv *e = env();
	uint64_t n;

	(void)state;
	assert_int_equal(CALL(e, 0, C, SCMI_CLOCK_CONFIG_SET, 0, SCMI_CLOCK_STATE_ON, 0),
			 SCMI_SUCCESS);
	assert_true(uart_on(e));
	n = penv_plat_count(e, 1);
	assert_int_equal(CALL(e, 1, C, SCMI_CLOCK_CONFIG_SET, 0, SCMI_CLOCK_STATE_ON, 0),
			 SCMI_SUCCESS);
	assert_int_equal(CALL(e, 0, C, SCMI_CLOCK_CONFIG_SET, 0, SCMI_CLOCK_STATE_OFF, 0),
			 SCMI_SUCCESS);
	assert_int_equal(penv_plat_count(e, 1), n);
	assert_true(uart_on(e));
	/* each reads its own vote, in its own numbering */
	assert_int_equal(CALL(e, 0, C, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->g[0].resp + 12) & 1, 0);
	assert_int_equal(CALL(e, 1, C, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->g[1].resp + 12) & 1, 1);
	/* guest2 resets its device: the clock stops */
	agent_reset(e->g[1].a);
	penv_wait_events(e, 1, 1, 20);
	assert_false(uart_on(e));
	penv_free(e);
}

static void test_shared_perf_and_cache(void **state)
{
	struct penv *e = env();
	struct plat_perf_state ps;
	uint64_t n;

	(void)state;
	assert_int_equal(CALL(e, 0, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 1000), SCMI_SUCCESS);
	assert_int_equal(CALL(e, 1, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 600), SCMI_SUCCESS);
	assert_int_equal(plat_perf_state(e->p, 0, &ps), 0);
	assert_int_equal(ps.level, 1000);
	/* guest1's range stops at 1000 (the view) */
	assert_int_equal(CALL(e, 0, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 1400),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(CALL(e, 1, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->g[1].resp + 8), 600);
	/* discovery: the second guest's answers come from the cache */
	assert_int_equal(CALL(e, 0, C, SCMI_CLOCK_DESCRIBE_RATES, 0, 0), SCMI_SUCCESS);
	assert_int_equal(CALL(e, 0, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 0),
			 SCMI_SUCCESS);
	n = penv_plat_count(e, 1);
	assert_int_equal(CALL(e, 1, C, SCMI_CLOCK_DESCRIBE_RATES, 0, 0), SCMI_SUCCESS);
	assert_int_equal(CALL(e, 1, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 0),
			 SCMI_SUCCESS);
	assert_int_equal(penv_plat_count(e, 1), n);
	assert_int_equal(scmi_get_le32(e->g[1].resp + 8), scmi_get_le32(e->g[0].resp + 8));
	penv_free(e);
}

static void test_system_power(void **state)
{
	struct penv *e = env();
	struct plat_system_state ss;

	(void)state;
	/* guest1: system_power=guest, no lifecycle commands here */
	assert_int_equal(CALL(e, 0, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0,
			      SCMI_SYSTEM_SHUTDOWN), SCMI_NOT_SUPPORTED);
	/* guest2: deny (SYSTEM is not even among its protocols) */
	assert_int_not_equal(CALL(e, 1, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0,
				  SCMI_SYSTEM_SHUTDOWN), SCMI_SUCCESS);
	assert_int_equal(plat_system_state(e->p, &ss), 0);
	assert_int_equal(ss.transitions, 0);
	penv_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_clock),
		cmocka_unit_test(test_shared_perf_and_cache),
		cmocka_unit_test(test_system_power),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
