// SPDX-License-Identifier: GPL-2.0-only
/* msg_route: every NOTIFY command is recognised (the early-exit masks
 * agree with the table) and nothing else is. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mediator/msg_route.h"
#include "mediator/scmi_msg.h"

struct notify_cmd {
	uint8_t proto, msg, evt;
};

static const struct notify_cmd cmds[] = {
	{ SCMI_PROTO_BASE, SCMI_BASE_NOTIFY_ERRORS, SCMI_BASE_ERROR_EVENT },
	{ SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, SCMI_POWER_STATE_CHANGED },
	{ SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, SCMI_SYSTEM_POWER_STATE_NOTIFIER },
	{ SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LIMITS, SCMI_PERF_LIMITS_CHANGED },
	{ SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LEVEL, SCMI_PERF_LEVEL_CHANGED },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, SCMI_CLOCK_RATE_CHANGED },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY,
	  SCMI_CLOCK_RATE_CHANGE_REQUESTED },
	{ SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, SCMI_SENSOR_TRIP_POINT_EVENT },
	{ SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, SCMI_SENSOR_UPDATE },
	{ SCMI_PROTO_RESET, SCMI_RESET_NOTIFY, SCMI_RESET_ISSUED },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_NOTIFY, SCMI_POWERCAP_CAP_CHANGED },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY,
	  SCMI_POWERCAP_MEASUREMENTS_CHANGED },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static int find(unsigned proto, unsigned msg)
{
	unsigned i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].proto == proto && cmds[i].msg == msg)
			return (int)i;
	return -1;
}

static void test_every_notify_decodes(void **state)
{
	uint8_t m[16];
	struct route_notify rn;
	unsigned i;

	for (i = 0; i < NCMDS; i++) {
		scmi_put_le32(m, scmi_hdr(cmds[i].proto, cmds[i].msg, SCMI_MSG_COMMAND, 5));
		scmi_put_le32(m + 4, 1);
		scmi_put_le32(m + 8, 1);
		assert_true(route_notify_decode(m, 12, &rn));
		assert_int_equal(rn.proto, cmds[i].proto);
		assert_int_equal(rn.notify_msg, cmds[i].msg);
		assert_int_equal(rn.evt_id, cmds[i].evt);
		assert_true(rn.enable);
	}
}

/* All other (proto, msg) pairs, and NOTIFY ids sent as another type, are
 * not NOTIFY commands. */
static void test_others_do_not(void **state)
{
	uint8_t m[16] = { 0 };
	struct route_notify rn;
	unsigned p, id, n = 0;

	for (p = 0; p < 256; p++)
		for (id = 0; id < 256; id++) {
			scmi_put_le32(m, scmi_hdr(p, id, SCMI_MSG_COMMAND, 0));
			scmi_put_le32(m + 4, 1);
			scmi_put_le32(m + 8, 1);
			if (find(p, id) >= 0) {
				/* the inline pre-check never hides a NOTIFY */
				assert_true(route_may_be_notify(scmi_get_le32(m)));
				n++;
				continue;
			}
			assert_false(route_notify_decode(m, 12, &rn));
		}
	assert_int_equal(n, NCMDS);
	/* and stops ordinary commands */
	assert_false(route_may_be_notify(scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET,
						  SCMI_MSG_COMMAND, 0)));
	assert_false(route_may_be_notify(scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET,
						  SCMI_MSG_COMMAND, 0)));
	assert_false(route_may_be_notify(scmi_hdr(0x0f, SCMI_POWER_STATE_NOTIFY,
						  SCMI_MSG_COMMAND, 0)));
	assert_false(route_may_be_notify(scmi_hdr(SCMI_PROTO_PINCTRL, SCMI_POWER_STATE_NOTIFY,
						  SCMI_MSG_COMMAND, 0)));
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY,
				  SCMI_MSG_DELAYED_RESP, 0));
	assert_false(route_notify_decode(m, 12, &rn));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_notify_decodes),
		cmocka_unit_test(test_others_do_not),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
