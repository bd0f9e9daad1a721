// SPDX-License-Identifier: GPL-2.0-only
/* Mediator configuration: a valid file, and broken ones rejected with
 * FILE:LINE messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/mediator_cfg.h"
#include "mediator/log.h"

#define DIR "tests/data/mediator_cfg/"

static void test_good(void **state)
{
	struct mediator_cfg *mc = mediator_cfg_load(DIR "good.cfg", stderr);
	const struct mcfg_guest *g;

	assert_non_null(mc);
	assert_string_equal(mc->platform, "embedded");
	assert_string_equal(mc->platform_config, DIR "../../../config/platforms/reference.cfg");
	assert_string_equal(mc->control_socket, DIR "ctl.sock");
	assert_int_equal(mc->log_level, LOG_LVL_DEBUG);
	assert_int_equal(mc->log_target, LOG_TO_STDERR);
	assert_int_equal(mc->reply_timeout_ms, 2000);
	assert_int_equal(mc->guest_max_inflight, 16);
	assert_int_equal(mc->nguests, 3);
	g = mediator_cfg_guest(mc, "guest1");
	assert_non_null(g);
	assert_string_equal(g->socket, "/tmp/g1.sock");
	assert_int_equal(g->agent_id, 1);
	assert_int_equal(g->guest_agent_id, 1);
	assert_int_equal(g->guest_num_agents, 1);
	assert_string_equal(g->policy, "");
	assert_int_equal(g->line, 9);
	g = mediator_cfg_guest(mc, "guest2");
	assert_string_equal(g->socket, DIR "g2.sock");
	assert_string_equal(g->policy, DIR "guest2.policy");
	assert_int_equal(g->guest_agent_id, 2);
	assert_int_equal(g->guest_num_agents, 3);
	assert_int_equal(mediator_cfg_guest(mc, "guest3")->agent_id, 2);
	assert_null(mediator_cfg_guest(mc, "guest4"));
	assert_true(mcfg_guest_same(g, g));
	assert_false(mcfg_guest_same(g, mediator_cfg_guest(mc, "guest3")));
	mediator_cfg_free(mc);
}

/* Load a broken file; its errors must contain every expected fragment. */
static void expect_broken(const char *file, const char *const *frags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	struct mediator_cfg *mc;

	mc = mediator_cfg_load(file, err);
	fclose(err);
	if (mc)
		fail_msg("%s was accepted", file);
	for (; *frags; frags++)
		if (!strstr(buf, *frags))
			fail_msg("%s: expected '%s' in:\n%s", file, *frags, buf);
	free(buf);
}

#define BROKEN(name, ...) \
	static void test_##name(void **state) \
	{ \
		const char *const f[] = { __VA_ARGS__, NULL }; \
		expect_broken(DIR #name ".cfg", f); \
	}

BROKEN(dup_name, DIR "dup_name.cfg:4:", "guest name 'a' already used at line 3")
BROKEN(dup_socket, DIR "dup_socket.cfg:4:", "already used by guest 'a'")
BROKEN(unknown_key, DIR "unknown_key.cfg:2:", "unknown key 'plattform'")
BROKEN(bad_platform, DIR "bad_platform.cfg:1:", "platform 'optee' is not supported")
BROKEN(no_platform_config, "'platform_config' is required")
BROKEN(bad_guest_key, DIR "bad_guest_key.cfg:2:", "agentid")
BROKEN(bad_agent_id, DIR "bad_agent_id.cfg:3:", "agent_id", "out of range")
BROKEN(bad_log, DIR "bad_log.cfg:2:", "log 'syslog'", DIR "bad_log.cfg:3:", "log_level 'loud'")
BROKEN(missing_socket, DIR "missing_socket.cfg:2:", "needs 'socket=PATH'")
BROKEN(bad_name, DIR "bad_name.cfg:2:", "guest name 'a b/c'")
BROKEN(syntax, DIR "syntax.cfg")
BROKEN(mgmt_guest, DIR "mgmt_guest.cfg:4:", "guest 'g2': agent_id 2 is the management_agent")
BROKEN(mgmt_no_desc, DIR "mgmt_no_desc.cfg:3:", "management_agent needs 'platform_config'")
BROKEN(bad_prefetch, DIR "bad_prefetch.cfg:2:", "cache_prefetch", DIR "bad_prefetch.cfg:3:",
       "cache_prefetch_ms")

/* Defaults: no management agent, warm-up 4096 commands / 10 s; an
 * explicit management agent with guests on other agents is fine. */
static void test_mgmt_defaults(void **state)
{
	struct mediator_cfg *mc = mediator_cfg_load(DIR "good.cfg", stderr);

	(void)state;
	assert_non_null(mc);
	assert_int_equal(mc->management_agent, 0);
	assert_int_equal(mc->cache_prefetch, 4096);
	assert_int_equal(mc->cache_prefetch_ms, 10000);
	mediator_cfg_free(mc);
	mc = mediator_cfg_load("config/examples/mediator.cfg", stderr);
	assert_non_null(mc);
	assert_int_equal(mc->management_agent, 1);
	mediator_cfg_free(mc);
}

static void test_missing_file(void **state)
{
	const char *const f[] = { "does-not-exist.cfg", NULL };

	expect_broken(DIR "does-not-exist.cfg", f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_dup_name),
		cmocka_unit_test(test_dup_socket),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_bad_platform),
		cmocka_unit_test(test_no_platform_config),
		cmocka_unit_test(test_bad_guest_key),
		cmocka_unit_test(test_bad_agent_id),
		cmocka_unit_test(test_bad_log),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_missing_socket),
		cmocka_unit_test(test_bad_name),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_mgmt_guest),
		cmocka_unit_test(test_mgmt_no_desc),
		cmocka_unit_test(test_bad_prefetch),
		cmocka_unit_test(test_mgmt_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
