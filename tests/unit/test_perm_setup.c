// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform-side permissions of a guest's own platform agent, programmed
 * through the management agent, checked against the embedded platform's
 * multi-agent permissions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "mediator/perm_setup.h"
#include "mediator/scmi_msg.h"
#include "tests/support/plat_harness.h"

static const char cfg[] =
	"agents = [ \"id=1,name=mgmt,trusted=1\", \"id=2,name=guest\" ]\n"
	"clocks = [ \"name=c0,rates=1000\", \"name=c1,rates=1000\", \"name=c2,rates=1000\" ]\n"
	"power_domains = [ \"name=pd0,state=off\" ]\n"
	"resets = [ \"name=r0\", \"name=r1\" ]\n"
	"devices = [ \"id=0,name=d0,clocks=0 1\", \"id=1,name=d1,clocks=2,resets=1\",\n"
	"            \"id=2,name=d2,resets=0,power=0\" ]\n";

struct sender {
	struct ph *h;
	unsigned sent, fail_at;
};

static int send(void *opaque, const uint8_t *m, size_t len)
{
	struct sender *s = opaque;

	if (++s->sent == s->fail_at)
		return -EIO;
	assert_int_equal(ph_raw(s->h, 1, m, len), SCMI_SUCCESS);
	return 0;
}

static void test_program(void **state)
{
	struct ph *h = ph_new(cfg);
	struct pol_res clk[1] = { { .guest_id = 0, .plat_id = 2 } };
	struct policy pol = { 0 };
	struct perm_device devs[8];
	struct sender s = { .h = h };
	unsigned n;
	int rc;

	(void)state;
	pol.proto[POL_IDX(SCMI_PROTO_CLOCK)].allowed = true;
	pol.proto[POL_IDX(SCMI_PROTO_CLOCK)].res = clk;
	pol.proto[POL_IDX(SCMI_PROTO_CLOCK)].nres = 1;
	pol.proto[POL_IDX(SCMI_PROTO_RESET)].allowed = false;
	n = perm_devices_from_desc(plat_desc(h->p), devs, 8);
	assert_int_equal(n, 3);
	/* before: the guest agent reaches everything */
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, NULL, NULL, 0,
				 SCMI_CLOCK_STATE_OFF, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, NULL,
				 NULL, 1), SCMI_SUCCESS);
	rc = perm_program(&pol, 2, devs, n, send, &s);
	/* 3 device commands + clock and reset protocol commands on d1 */
	assert_int_equal(rc, 5);
	/* d0 and d2: no resource of the policy -> denied */
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, NULL, NULL, 0,
				 SCMI_CLOCK_STATE_ON, 0), SCMI_DENIED);
	assert_int_not_equal(ph_call(h, 2, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, NULL, NULL,
				     0), SCMI_SUCCESS);
	/* d1: clock allowed, reset (protocol not in the policy) denied */
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, NULL, NULL, 2,
				 SCMI_CLOCK_STATE_ON, 0), SCMI_SUCCESS);
	assert_int_not_equal(ph_call(h, 2, SCMI_PROTO_RESET, SCMI_RESET, NULL, NULL, 1, 0, 0),
			     SCMI_SUCCESS);
	/* the management agent keeps everything */
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, NULL, NULL, 0),
			 SCMI_SUCCESS);
	/* a send error stops and is returned */
	s.sent = 0;
	s.fail_at = 2;
	assert_int_equal(perm_program(&pol, 2, devs, n, send, &s), -EIO);
	ph_free(h);
}

/* Two guests on one agent: the union of what they need; a guest without a
 * policy needs everything. */
static void test_program_set(void **state)
{
	struct ph *h = ph_new(cfg);
	struct pol_res clk[1] = { { .guest_id = 0, .plat_id = 0 } };
	struct pol_res rst[1] = { { .guest_id = 0, .plat_id = 1 } };
	struct policy a = { 0 }, b = { 0 };
	const struct policy *set[2] = { &a, &b };
	struct perm_device devs[8];
	struct sender s = { .h = h };
	unsigned n;

	(void)state;
	a.proto[POL_IDX(SCMI_PROTO_CLOCK)].allowed = true;
	a.proto[POL_IDX(SCMI_PROTO_CLOCK)].res = clk;
	a.proto[POL_IDX(SCMI_PROTO_CLOCK)].nres = 1;
	b.proto[POL_IDX(SCMI_PROTO_RESET)].allowed = true;
	b.proto[POL_IDX(SCMI_PROTO_RESET)].res = rst;
	b.proto[POL_IDX(SCMI_PROTO_RESET)].nres = 1;
	n = perm_devices_from_desc(plat_desc(h->p), devs, 8);
	/* d0 (a's clock), d1 (b's reset; clock protocol allowed too: a may use
	 * clocks), d2 denied */
	assert_int_equal(perm_program_set(set, 2, 2, devs, n, send, &s), 3 + 1 + 2);
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, NULL, NULL, 0,
				 SCMI_CLOCK_STATE_ON, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_RESET, SCMI_RESET, NULL, NULL, 1, 0, 0),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, NULL, NULL, 2,
				 SCMI_CLOCK_STATE_ON, 0), SCMI_SUCCESS);
	assert_int_not_equal(ph_call(h, 2, SCMI_PROTO_RESET, SCMI_RESET, NULL, NULL, 0, 0, 0),
			     SCMI_SUCCESS);
	/* with a guest that has no policy, everything is allowed again */
	set[1] = NULL;
	assert_true(perm_program_set(set, 2, 2, devs, n, send, &s) > 3);
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_RESET, SCMI_RESET, NULL, NULL, 0, 0, 0),
			 SCMI_SUCCESS);
	ph_free(h);
}

/* A guest agent that is not trusted cannot program anything itself. */
static void test_untrusted_refused(void **state)
{
	struct ph *h = ph_new(cfg);

	(void)state;
	assert_int_equal(ph_call(h, 2, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, NULL,
				 NULL, 2, 0, 1), SCMI_DENIED);
	ph_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_untrusted_refused),
		cmocka_unit_test(test_program_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
