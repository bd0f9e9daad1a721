// SPDX-License-Identifier: GPL-2.0-only
/* BASE protocol conformance of the embedded platform. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "tests/support/plat_harness.h"

#define B SCMI_PROTO_BASE
#define PW SCMI_PROTO_POWER
#define OFF SCMI_POWER_STATE_OFF
#define ON SCMI_POWER_STATE_ON

static const char cfg[] =
	"vendor = \"TestVendor\"\n"
	"sub_vendor = \"TestSub\"\n"
	"impl_version = 0x1234\n"
	"agents = [ \"id=1,name=mediator,trusted=1\",\n"
	"           \"id=2,name=guest1,protocols=power,devices=0\",\n"
	"           \"id=3,name=guest2,protocols=system,devices=1\" ]\n"
	"devices = [ \"id=0,name=gpu,power=0\", \"id=1,name=mmc,power=1\" ]\n"
	"power_domains = [ \"name=gpu_pd,state=off\", \"name=mmc_pd,state=off\",\n"
	"                  \"name=shared_pd\" ]\n";

static int setup(void **state)
{
	*state = ph_new(cfg);
	return 0;
}

static int teardown(void **state)
{
	ph_free(*state);
	return 0;
}

static void test_version_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], SCMI_VERSION_BASE);
	n = 8;
	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0] & 0xff, 2);          /* power, system */
	assert_int_equal((v[0] >> 8) & 0xff, 3);   /* agents */
	/* guest1 only sees power */
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0] & 0xff, 1);
}

static void test_message_attributes_and_negotiate(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	for (uint32_t m = 0; m <= SCMI_BASE_RESET_AGENT_CONFIGURATION; m++) {
		n = 4;
		assert_int_equal(ph_call(h, 2, B, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, v, &n, m),
				 SCMI_SUCCESS);
		assert_int_equal(n, 1);
		assert_int_equal(v[0], 0);
	}
	assert_int_equal(ph_call(h, 2, B, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL,
				 SCMI_NEGOTIATE_PROTOCOL_VERSION), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, B, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL, 0xc),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, B, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL, 0x100),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, B, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL,
				 SCMI_VERSION_BASE + 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, B, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL, 0x30000),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, B, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL, 0x20000),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, B, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL,
				 SCMI_VERSION_BASE), SCMI_SUCCESS);
}

static void test_vendor(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_VENDOR, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_string_equal(ph_str(h, 0, 16), "TestVendor");
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_SUB_VENDOR, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_string_equal(ph_str(h, 0, 16), "TestSub");
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 0x1234);
}

static void test_list_protocols(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, 0),
			 SCMI_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[1], SCMI_PROTO_POWER | SCMI_PROTO_SYSTEM << 8);
	n = 8;
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, 1),
			 SCMI_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], SCMI_PROTO_SYSTEM);
	n = 8;
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, 2),
			 SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 0);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, NULL, NULL, 3),
			 SCMI_INVALID_PARAMETERS);
	/* per agent */
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, 0),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], SCMI_PROTO_POWER);
	n = 8;
	assert_int_equal(ph_call(h, 3, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, 0),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], SCMI_PROTO_SYSTEM);
}

/* Paging with the smallest useful buffer gives the same list. */
static void test_list_protocols_paged(void **state)
{
	struct ph *h = *state;
	uint32_t v[16], all[16];
	unsigned n = 16, total, got = 0;
	uint8_t ids[64];

	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, all, &n, 0),
			 SCMI_SUCCESS);
	total = all[0];
	ph_set_cap(h, 16);     /* hdr, status, count, one word of ids */
	while (got < total) {
		n = 16;
		assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, got),
				 SCMI_SUCCESS);
		assert_true(v[0] >= 1 && v[0] <= 4);
		assert_int_equal(n, 1 + (v[0] + 3) / 4);
		for (unsigned i = 0; i < v[0]; i++)
			ids[got + i] = (uint8_t)(v[1 + i / 4] >> (8 * (i % 4)));
		got += v[0];
	}
	assert_int_equal(got, total);
	for (unsigned i = 0; i < total; i++)
		assert_int_equal(ids[i], (uint8_t)(all[1 + i / 4] >> (8 * (i % 4))));
	/* no room for a single id: the reply cannot be built */
	ph_set_cap(h, 12);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, NULL, NULL, 0),
			 SCMI_PROTOCOL_ERROR);
	/* but the empty tail still fits */
	n = 16;
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, v, &n, total),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 0);
}

static void test_discover_agent(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, v, &n, 0xffffffff),
			 SCMI_SUCCESS);
	assert_int_equal(n, 5);
	assert_int_equal(v[0], 2);
	assert_string_equal(ph_str(h, 4, 16), "guest1");
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 16), "platform");
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, v, &n, 3), SCMI_SUCCESS);
	assert_int_equal(v[0], 3);
	assert_string_equal(ph_str(h, 4, 16), "guest2");
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, NULL, NULL, 4),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, NULL, NULL, 0xfffffffe),
			 SCMI_NOT_FOUND);
	/* an agent speaking BASE v1.0 gets the v1 layout (name only) */
	assert_int_equal(ph_call(h, 3, B, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL, 0x10000),
			 SCMI_SUCCESS);
	n = 8;
	assert_int_equal(ph_call(h, 3, B, SCMI_BASE_DISCOVER_AGENT, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_string_equal(ph_str(h, 0, 16), "mediator");
	/* the version in use is per agent, and BASE reset forgets it */
	n = 8;
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(n, 5);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_RESET_AGENT_CONFIGURATION, NULL, NULL, 3, 0),
			 SCMI_SUCCESS);
	n = 8;
	assert_int_equal(ph_call(h, 3, B, SCMI_BASE_DISCOVER_AGENT, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(n, 5);
}

static void test_notify_errors(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned n = 8;
	uint8_t bad[12];

	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_NOTIFY_ERRORS, NULL, NULL, 2),
			 SCMI_INVALID_PARAMETERS);
	/* not subscribed: no event */
	scmi_put_le32(bad, scmi_hdr(B, SCMI_BASE_DISCOVER_VENDOR, 0, 7));
	assert_int_equal(ph_raw(h, 2, bad, 8), SCMI_PROTOCOL_ERROR);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_NOTIFY_ERRORS, NULL, NULL, 1), SCMI_SUCCESS);
	assert_int_equal(ph_raw(h, 2, bad, 8), SCMI_PROTOCOL_ERROR);
	assert_int_equal(plat_p2a_pending(h->p, 2), 1);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(ph_pop(h, 2, &hdr, w, &n), 20);
	assert_int_equal(hdr, scmi_hdr(B, SCMI_BASE_ERROR_EVENT, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(n, 4);
	assert_int_equal(w[0], 2);                /* agent */
	assert_int_equal(w[1], 1);                /* one report, not fatal */
	assert_int_equal(w[2], scmi_get_le32(bad));
	assert_int_equal((int32_t)w[3], SCMI_PROTOCOL_ERROR);
	/* other errors (e.g. NOT_FOUND) are not protocol errors */
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_DISCOVER_AGENT, NULL, NULL, 9),
			 SCMI_NOT_FOUND);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* unsubscribe */
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_NOTIFY_ERRORS, NULL, NULL, 0), SCMI_SUCCESS);
	assert_int_equal(ph_raw(h, 2, bad, 8), SCMI_PROTOCOL_ERROR);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
}

static void test_device_permissions(void **state)
{
	struct ph *h = *state;
	const uint8_t SDP = SCMI_BASE_SET_DEVICE_PERMISSIONS;

	/* guest1 owns device 0 (pd 0) only; pd 2 belongs to no device */
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 1, ON),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 2, ON),
			 SCMI_SUCCESS);
	/* errors */
	assert_int_equal(ph_call(h, 2, B, SDP, NULL, NULL, 2, 1, 1), SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 2, 1, 3), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 4, 1, 1), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 2, 7, 1), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 0, 1, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 0, 7, 0), SCMI_NOT_FOUND);
	/* grant device 1, revoke device 0 */
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 2, 1, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 1, ON),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, B, SDP, NULL, NULL, 2, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, OFF),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_GET, NULL, NULL, 0), SCMI_DENIED);
	/* other agents unaffected */
	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, OFF),
			 SCMI_SUCCESS);
}

static void test_protocol_permissions(void **state)
{
	struct ph *h = *state;
	const uint8_t SPP = SCMI_BASE_SET_PROTOCOL_PERMISSIONS;

	assert_int_equal(ph_call(h, 3, B, SPP, NULL, NULL, 2, 0, PW, 0), SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 0, B, 0), SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 0, PW, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 0, SCMI_PROTO_CLOCK, 0),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 0, 0x1ff, 0), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 9, PW, 0), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 5, 0, PW, 0), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 0, 0, PW, 0), SCMI_SUCCESS);
	/* deny power on device 0 for guest1 */
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 0, PW, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, B, SPP, NULL, NULL, 2, 0, PW, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
}

static void test_reset_agent_configuration(void **state)
{
	struct ph *h = *state;
	const uint8_t RAC = SCMI_BASE_RESET_AGENT_CONFIGURATION;
	struct plat_power_state ps;
	uint32_t vote;

	assert_int_equal(ph_call(h, 2, B, RAC, NULL, NULL, 2, 0), SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, B, RAC, NULL, NULL, 0, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, B, RAC, NULL, NULL, 4, 0), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, B, RAC, NULL, NULL, 2, 2), SCMI_INVALID_PARAMETERS);

	/* guest1 powers pd0 on, subscribes to errors, gets device 1 */
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_NOTIFY_ERRORS, NULL, NULL, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_SET_DEVICE_PERMISSIONS, NULL, NULL, 2, 1, 1),
			 SCMI_SUCCESS);
	assert_int_equal(plat_power_state(h->p, 0, &ps), 0);
	assert_int_equal(ps.state, ON);

	/* reset without permissions: votes and subscriptions go */
	assert_int_equal(ph_call(h, 1, B, RAC, NULL, NULL, 2, 0), SCMI_SUCCESS);
	assert_int_equal(plat_power_state(h->p, 0, &ps), 0);
	assert_int_equal(ps.state, OFF);
	assert_int_equal(plat_power_agent_vote(h->p, 0, 2, &vote), -1);
	assert_int_equal(ph_raw(h, 2, "\x03\x40\x00\x00\x00", 5), SCMI_PROTOCOL_ERROR);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* ... but the granted device stays */
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 1, ON),
			 SCMI_SUCCESS);
	/* with flag bit0 permissions come back to the description */
	assert_int_equal(ph_call(h, 1, B, RAC, NULL, NULL, 2, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 1, ON),
			 SCMI_DENIED);
	assert_int_equal(plat_power_state(h->p, 1, &ps), 0);
	assert_int_equal(ps.state, OFF);
}

/* Every BASE command with one word too many or too few. */
static void test_lengths(void **state)
{
	struct ph *h = *state;
	static const unsigned words[] = {
		[SCMI_BASE_DISCOVER_VENDOR] = 0, [SCMI_BASE_DISCOVER_SUB_VENDOR] = 0,
		[SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION] = 0,
		[SCMI_BASE_DISCOVER_LIST_PROTOCOLS] = 1, [SCMI_BASE_DISCOVER_AGENT] = 1,
		[SCMI_BASE_NOTIFY_ERRORS] = 1, [SCMI_BASE_SET_DEVICE_PERMISSIONS] = 3,
		[SCMI_BASE_SET_PROTOCOL_PERMISSIONS] = 4,
		[SCMI_BASE_RESET_AGENT_CONFIGURATION] = 2,
	};
	uint32_t args[8] = { 0 };

	for (uint8_t m = SCMI_BASE_DISCOVER_VENDOR; m <= SCMI_BASE_RESET_AGENT_CONFIGURATION;
	     m++) {
		assert_int_equal(ph_callv(h, 1, B, m, args, words[m] + 1, NULL, NULL),
				 SCMI_PROTOCOL_ERROR);
		if (words[m])
			assert_int_equal(ph_callv(h, 1, B, m, args, words[m] - 1, NULL, NULL),
					 SCMI_PROTOCOL_ERROR);
	}
	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_VERSION, NULL, NULL, 0),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_ATTRIBUTES, NULL, NULL, 0),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, B, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL, 1, 2),
			 SCMI_PROTOCOL_ERROR);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_version_attributes),
		T(test_message_attributes_and_negotiate),
		T(test_vendor),
		T(test_list_protocols),
		T(test_list_protocols_paged),
		T(test_discover_agent),
		T(test_notify_errors),
		T(test_device_permissions),
		T(test_protocol_permissions),
		T(test_reset_agent_configuration),
		T(test_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
