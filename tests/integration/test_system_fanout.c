// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform SYSTEM_POWER_STATE_NOTIFIER reaches the guests that subscribed
 * (dispatcher fan-out over a shared channel) and no other; a guest that
 * unsubscribes or resets stops getting it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "backends/platform/platform.h"
#include "mediator/scmi_msg.h"
#include "tests/support/core_env.h"

static const char cfg[] =
	"agents = [ \"id=1,name=shared\", \"id=2,name=ctl,trusted=1\" ]\n";

#define S SCMI_PROTO_SYSTEM

static unsigned notifiers(const struct ce_guest *g)
{
	unsigned i, n = 0;

	for (i = 0; i < g->nev && i < CE_MAX_EVENTS; i++) {
		uint32_t h = scmi_get_le32(g->ev[i]);

		if (scmi_hdr_type(h) == SCMI_MSG_NOTIFICATION && scmi_hdr_proto(h) == S &&
		    scmi_hdr_msg_id(h) == SCMI_SYSTEM_POWER_STATE_NOTIFIER)
			n++;
	}
	return n;
}

static void test_fanout(void **state)
{
	struct core_env *e = ce_new(cfg);
	struct ce_guest *a = ce_guest_add(e, 0), *b = ce_guest_add(e, 0), *c = ce_guest_add(e, 0);
	struct ce_guest *ctl = ce_guest_add(e, 1);
	struct plat_system_state ss;

	(void)state;
	assert_int_equal(ce_cmd(a, S, SCMI_SYSTEM_POWER_STATE_NOTIFY, 1), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(c, S, SCMI_SYSTEM_POWER_STATE_NOTIFY, 1), SCMI_SUCCESS);
	/* the control agent asks for a graceful shutdown */
	assert_int_equal(ce_cmd(ctl, S, SCMI_SYSTEM_POWER_STATE_SET, SCMI_SYSTEM_FLAG_GRACEFUL,
				SCMI_SYSTEM_SHUTDOWN), SCMI_SUCCESS);
	ce_run(e, 20);
	assert_int_equal(notifiers(a), 1);
	assert_int_equal(notifiers(b), 0);
	assert_int_equal(notifiers(c), 1);
	assert_int_equal(plat_system_state(e->p, &ss), 0);
	assert_int_equal(ss.state, SCMI_SYSTEM_SHUTDOWN);
	assert_int_equal(ss.requester, 2);
	/* payload: agent id (the platform's), flags, system state */
	assert_int_equal(scmi_get_le32(a->ev[0] + 12), SCMI_SYSTEM_SHUTDOWN);
	/* c leaves, a unsubscribes: nobody gets the next one */
	agent_reset(c->a);
	assert_int_equal(ce_cmd(a, S, SCMI_SYSTEM_POWER_STATE_NOTIFY, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(ctl, S, SCMI_SYSTEM_POWER_STATE_SET, SCMI_SYSTEM_FLAG_GRACEFUL,
				SCMI_SYSTEM_COLDRESET), SCMI_SUCCESS);
	ce_run(e, 20);
	assert_int_equal(notifiers(a), 1);
	assert_int_equal(notifiers(c), 1);
	ce_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fanout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
