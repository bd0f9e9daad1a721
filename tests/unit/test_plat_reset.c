// SPDX-License-Identifier: GPL-2.0-only
/* Embedded platform RESET protocol (0x16): every command and status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tests/support/plat_harness.h"

#define P SCMI_PROTO_RESET
#define US 1000ull

/* Agent a owns r0 (device 0), b owns r1 (device 1), c (trusted) all;
 * r2 belongs to no device, so every agent may use it. */
static const char cfg[] =
	"agents = [ \"id=1,name=a,devices=0\", \"id=2,name=b,devices=1\",\n"
	"           \"id=3,name=c,trusted=1\" ]\n"
	"devices = [ \"id=0,name=d0,resets=0\", \"id=1,name=d1,resets=1\" ]\n"
	"resets = [ \"name=r0,latency=10,async=1,notify=1,async_us=50\",\n"
	"           \"name=r1\",\n"
	"           \"name=a_very_long_reset_domain_name,latency=unknown,notify=1\" ]\n";

/* Pop the next P2A message of agent a (up to 8 payload words). */
static size_t pop(struct ph *h, unsigned a, uint32_t *hdr, uint32_t *w, unsigned *nw)
{
	*nw = 8;
	return ph_pop(h, a, hdr, w, nw);
}

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

static struct plat_reset_state rs(struct ph *h, uint32_t id)
{
	struct plat_reset_state s;

	assert_int_equal(plat_reset_state(h->p, id, &s), 0);
	return s;
}

static void test_protocol(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_VERSION_RESET);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 3);
	for (uint32_t m = SCMI_RESET_DOMAIN_ATTRIBUTES; m <= SCMI_RESET_DOMAIN_NAME_GET; m++)
		assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL,
					 m), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL, 7),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, P, 7, NULL, NULL, 0), SCMI_NOT_FOUND);
}

static void test_domain_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_DOMAIN_ATTRIBUTES, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(n, 6);
	assert_int_equal(v[0], 0xc0000000u);  /* async, notify, short name */
	assert_int_equal(v[1], 10);
	assert_string_equal(ph_str(h, 8, 16), "r0");
	n = 8;
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_DOMAIN_ATTRIBUTES, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[1], 0);
	n = 8;
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_DOMAIN_ATTRIBUTES, v, &n, 2), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x60000000u);  /* notify, extended name */
	assert_int_equal(v[1], 0xffffffffu);
	assert_string_equal(ph_str(h, 8, 16), "a_very_long_res");
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_DOMAIN_ATTRIBUTES, v, &n, 3),
			 SCMI_NOT_FOUND);
	/* wrong request length */
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_DOMAIN_ATTRIBUTES, v, &n, 0, 0),
			 SCMI_PROTOCOL_ERROR);
}

static void test_name_get(void **state)
{
	struct ph *h = *state;
	uint32_t v[20];
	unsigned n = 20;

	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_DOMAIN_NAME_GET, v, &n, 2), SCMI_SUCCESS);
	assert_int_equal(n, 17);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 64), "a_very_long_reset_domain_name");
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_DOMAIN_NAME_GET, v, &n, 9), SCMI_NOT_FOUND);
}

static void test_autonomous_sync(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;

	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_NOTIFY, NULL, NULL, 0, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 1, 0), SCMI_SUCCESS);
	assert_int_equal(rs(h, 0).count, 1);
	assert_false(rs(h, 0).asserted);
	/* the subscriber (here the issuer) gets RESET_ISSUED, nobody else */
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 16);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_RESET_ISSUED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(nw, 3);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 0);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 0);
	/* IMPDEF reset state is passed through; c subscribed to r0 now */
	assert_int_equal(ph_call(h, 3, P, SCMI_RESET_NOTIFY, NULL, NULL, 0, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 3, P, SCMI_RESET, NULL, NULL, 0, 1, 0x80000005u),
			 SCMI_SUCCESS);
	assert_int_equal(rs(h, 0).count, 2);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 16);
	assert_int_equal(w[0], 3);
	assert_int_equal(w[2], 0x80000005u);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 16);
	assert_int_equal(w[0], 3);
	/* unsubscribed: nothing more */
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_NOTIFY, NULL, NULL, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 1, 0), SCMI_SUCCESS);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 16);
}

static void test_explicit_multi_agent(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;

	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_NOTIFY, NULL, NULL, 2, 1), SCMI_SUCCESS);
	/* a and c assert r2 (shared); the line stays asserted until both release */
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 2, 2, 0), SCMI_SUCCESS);
	assert_true(rs(h, 2).asserted);
	assert_int_equal(rs(h, 2).count, 1);
	assert_int_equal(ph_call(h, 3, P, SCMI_RESET, NULL, NULL, 2, 2, 0), SCMI_SUCCESS);
	assert_int_equal(rs(h, 2).count, 1);   /* already asserted: no new pulse */
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 2, 0, 0), SCMI_SUCCESS);
	assert_true(rs(h, 2).asserted);
	assert_int_equal(ph_call(h, 3, P, SCMI_RESET, NULL, NULL, 2, 0, 0), SCMI_SUCCESS);
	assert_false(rs(h, 2).asserted);
	/* one RESET_ISSUED (the assert edge) to the subscriber b */
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 16);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 2);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	/* an agent reset drops the agent's assert */
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 2, 2, 0), SCMI_SUCCESS);
	assert_true(rs(h, 2).asserted);
	assert_int_equal(ph_call(h, 3, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 NULL, NULL, 1, 0), SCMI_SUCCESS);
	assert_false(rs(h, 2).asserted);
}

static void test_async(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;
	uint16_t tok;

	assert_int_equal(ph_call(h, 3, P, SCMI_RESET_NOTIFY, NULL, NULL, 0, 1), SCMI_SUCCESS);
	tok = h->token;
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 5, 0), SCMI_SUCCESS);
	assert_true(rs(h, 0).asserted);
	assert_int_equal(rs(h, 0).count, 0);
	/* busy until complete */
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 1, 0), SCMI_BUSY);
	assert_int_equal(ph_call(h, 3, P, SCMI_RESET, NULL, NULL, 0, 2, 0), SCMI_BUSY);
	ph_advance(h, 49 * US);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 0);
	ph_advance(h, 1 * US);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 12);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_RESET, SCMI_MSG_DELAYED_RESP, tok));
	assert_int_equal(nw, 2);
	assert_int_equal(w[0], SCMI_SUCCESS);
	assert_int_equal(w[1], 0);
	assert_false(rs(h, 0).asserted);
	assert_int_equal(rs(h, 0).count, 1);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 16);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_RESET_ISSUED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(w[0], 1);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 1, 0), SCMI_SUCCESS);
}

static void test_reset_errors(void **state)
{
	struct ph *h = *state;
	uint8_t raw[12];

	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 3, 1, 0), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 8, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 1, 1),
			 SCMI_INVALID_PARAMETERS);   /* reserved architectural state */
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 0, 4, 0),
			 SCMI_INVALID_PARAMETERS);   /* async without autonomous */
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET, NULL, NULL, 1, 5, 0),
			 SCMI_NOT_SUPPORTED);        /* r1 has no async reset */
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET, NULL, NULL, 0, 1, 0), SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET, NULL, NULL, 1, 2, 0), SCMI_DENIED);
	assert_int_equal(rs(h, 0).count, 0);
	assert_int_equal(rs(h, 1).count, 0);
	/* short request */
	scmi_put_le32(raw, scmi_hdr(P, SCMI_RESET, 0, 1));
	scmi_put_le32(raw + 4, 0);
	scmi_put_le32(raw + 8, 1);
	assert_int_equal(ph_raw(h, 1, raw, sizeof(raw)), SCMI_PROTOCOL_ERROR);
	assert_int_equal(rs(h, 0).count, 0);
}

static void test_notify_errors(void **state)
{
	struct ph *h = *state;

	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_NOTIFY, NULL, NULL, 5, 1), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_NOTIFY, NULL, NULL, 0, 3),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_NOTIFY, NULL, NULL, 1, 1),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, P, SCMI_RESET_NOTIFY, NULL, NULL, 0, 1), SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, P, SCMI_RESET_NOTIFY, NULL, NULL, 0), SCMI_PROTOCOL_ERROR);
}

static void test_state_api(void **state)
{
	struct ph *h = *state;
	struct plat_reset_state s;

	assert_int_equal(plat_reset_state(h->p, 3, &s), -1);
	assert_int_equal(plat_reset_state(h->p, 0, NULL), -1);
}

/* ---- description errors --------------------------------------------------- */

static void expect_error(const char *text, const char *msg)
{
	char *out = ph_desc_errors(text);

	if (!strstr(out, msg))
		fail_msg("expected \"%s\" in:\n%s", msg, out);
	free(out);
}

static void test_desc_errors(void **state)
{
	static const char a[] = "agents = [ \"id=1,name=a\" ]\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "%sresets = [ \"name=r0\",\n \"latency=3\" ]\n", a);
	expect_error(buf, "test.cfg:3: missing 'name='");
	snprintf(buf, sizeof(buf), "%sresets = [ \"name=r0,colour=red\" ]\n", a);
	expect_error(buf, "test.cfg:2: unknown key 'colour'");
	snprintf(buf, sizeof(buf), "%sresets = [ \"name=r0\", \"name=r0\" ]\n", a);
	expect_error(buf, "test.cfg:2: duplicate reset domain name 'r0'");
	snprintf(buf, sizeof(buf), "%s\nresets = [ \"name=r0,async_us=5\" ]\n", a);
	expect_error(buf, "test.cfg:3: reset domain 'r0': 'async_us' needs async=1");
	snprintf(buf, sizeof(buf), "%sresets = [ \"name=r0,latency=soon\" ]\n", a);
	expect_error(buf, "test.cfg:2: 'latency'");
	snprintf(buf, sizeof(buf), "%sresets = [ \"name=r0,notify=2\" ]\n", a);
	expect_error(buf, "test.cfg:2: 'notify': '2' is not a boolean");
	snprintf(buf, sizeof(buf), "%sresets = [ \"name=r0\" ]\ndevices = [ \"id=0,name=d,"
		 "resets=1\" ]\n", a);
	expect_error(buf, "test.cfg:3: device 'd': reset domain 1 does not exist");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_autonomous_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_explicit_multi_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_api, setup, teardown),
		cmocka_unit_test(test_desc_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
