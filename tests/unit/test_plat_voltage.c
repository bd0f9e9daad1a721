// SPDX-License-Identifier: GPL-2.0-only
/* Embedded platform VOLTAGE protocol (0x17): every command and status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tests/support/plat_harness.h"

#define P SCMI_PROTO_VOLTAGE
#define US 1000ull

/* v0: 40-level list owned by device 0 (agent a); v1: range, async, open to
 * all; v2: short list, IMPDEF mode, long name. */
static const char cfg[] =
	"agents = [ \"id=1,name=a,devices=0\", \"id=2,name=b,devices=1\" ]\n"
	"devices = [ \"id=0,name=d0,voltages=0\", \"id=1,name=d1\" ]\n"
	"voltages = [ \"name=v0,levels=-200000 -100000 0 100000 200000 300000 400000 500000 "
	"600000 700000 800000 900000 1000000 1100000 1200000 1300000 1400000 1500000 1600000 "
	"1700000 1800000 1900000 2000000 2100000 2200000 2300000 2400000 2500000 2600000 "
	"2700000 2800000 2900000,level=1800000\",\n"
	"  \"name=v1,min=600000,max=1000000,step=25000,level=800000,async=1,async_us=200\",\n"
	"  \"name=vdd_a_very_long_voltage_name,levels=1800000 3300000,mode=0xa\" ]\n";

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

static struct plat_voltage_state vs(struct ph *h, uint32_t id)
{
	struct plat_voltage_state s;

	assert_int_equal(plat_voltage_state(h->p, id, &s), 0);
	return s;
}

static void test_protocol(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_VERSION_VOLTAGE);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 3);
	for (uint32_t m = SCMI_VOLTAGE_DOMAIN_ATTRIBUTES; m <= SCMI_VOLTAGE_DOMAIN_NAME_GET; m++)
		assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL,
					 m), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, 0xa, NULL, NULL, 0), SCMI_NOT_FOUND);
}

static void test_domain_attributes_and_name(void **state)
{
	struct ph *h = *state;
	uint32_t v[20];
	unsigned n = 20;

	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, v, &n, 0),
			 SCMI_SUCCESS);
	assert_int_equal(n, 5);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 16), "v0");
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, v, &n, 1),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 0x80000000u);
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, v, &n, 2),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 0x40000000u);
	assert_string_equal(ph_str(h, 4, 16), "vdd_a_very_long");
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, v, &n, 3),
			 SCMI_NOT_FOUND);
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_DOMAIN_NAME_GET, v, &n, 2), SCMI_SUCCESS);
	assert_int_equal(n, 17);
	assert_string_equal(ph_str(h, 4, 64), "vdd_a_very_long_voltage_name");
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_DOMAIN_NAME_GET, v, &n, 3),
			 SCMI_NOT_FOUND);
}

/* Read all levels of v0 with reply capacity cap; returns the number of
 * calls needed. */
static unsigned read_levels(struct ph *h, size_t cap, int32_t *out, unsigned *nout)
{
	uint32_t v[64];
	unsigned calls = 0, got = 0;

	ph_set_cap(h, cap);
	for (;;) {
		unsigned n = 64, ret, rem;

		assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, v, &n, 0, got),
				 SCMI_SUCCESS);
		calls++;
		ret = v[0] & 0xfff;
		rem = v[0] >> 16;
		assert_false(v[0] & (1u << 12));
		assert_int_equal(n, 1 + ret);
		assert_true(8 + 4 * n <= cap);
		for (unsigned i = 0; i < ret; i++)
			out[got + i] = (int32_t)v[1 + i];
		got += ret;
		assert_int_equal(got + rem, 32);
		if (!rem)
			break;
		assert_true(ret > 0);
	}
	*nout = got;
	return calls;
}

static void test_describe_levels_paginated(void **state)
{
	struct ph *h = *state;
	int32_t lv[64];
	unsigned n;

	/* 128 bytes of values: flags + 31 levels, then 1 */
	assert_int_equal(read_levels(h, SCMI_LINUX_MSG_SIZE, lv, &n), 2);
	assert_int_equal(n, 32);
	assert_int_equal(lv[0], -200000);
	assert_int_equal(lv[31], 2900000);
	/* tiny replies: one level per call */
	memset(lv, 0, sizeof(lv));
	assert_int_equal(read_levels(h, 16, lv, &n), 32);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(lv[i], -200000 + 100000 * (int32_t)i);
	/* too small for even one level */
	ph_set_cap(h, 12);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, NULL, NULL, 0, 0),
			 SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, NULL, NULL, 0, 32),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, NULL, NULL, 9, 0),
			 SCMI_NOT_FOUND);
}

static void test_describe_levels_triplet(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, v, &n, 1, 0),
			 SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_int_equal(v[0], (1u << 12) | 3);
	assert_int_equal(v[1], 600000);
	assert_int_equal(v[2], 1000000);
	assert_int_equal(v[3], 25000);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, v, &n, 1, 1),
			 SCMI_OUT_OF_RANGE);
}

static void test_config(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_GET, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x7);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_GET, v, &n, 2), SCMI_SUCCESS);
	assert_int_equal(v[0], 0xa);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 0, 0),
			 SCMI_SUCCESS);
	assert_int_equal(vs(h, 0).config, 0);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_GET, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 0);
	/* IMPDEF modes: any bits 2:0 */
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 0, 0xd),
			 SCMI_SUCCESS);
	assert_int_equal(vs(h, 0).config, 0xd);
	/* architectural values other than on/off, reserved bits */
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 0, 0x3),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 0, 0x17),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 0, 0x7),
			 SCMI_DENIED);
	assert_int_equal(vs(h, 0).config, 0xd);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 1, 0x7),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_CONFIG_SET, NULL, NULL, 3, 0x7),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_CONFIG_GET, NULL, NULL, 3),
			 SCMI_NOT_FOUND);
}

static void test_level_sync(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_GET, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 1800000);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 0, 0,
				 (uint32_t)-100000), SCMI_SUCCESS);
	assert_int_equal(vs(h, 0).level_uv, -100000);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_GET, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal((int32_t)v[0], -100000);
	/* not a listed level / off the range grid / outside the range */
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 0, 0, 150000),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 0, 810000),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 0, 1025000),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 0, 1000000),
			 SCMI_SUCCESS);
	assert_int_equal(vs(h, 1).level_uv, 1000000);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 0, 2, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 0, 1, 0),
			 SCMI_NOT_SUPPORTED);       /* v0 has no async level set */
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 0, 0, 0),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 7, 0, 0),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_LEVEL_GET, NULL, NULL, 7),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 0),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(vs(h, 0).level_uv, -100000);
}

static void test_level_async(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8], v[4];
	unsigned nw = 8, n = 4;
	uint16_t tok = h->token;

	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 1, 650000),
			 SCMI_SUCCESS);
	/* nothing changes before the latency has passed */
	assert_int_equal(vs(h, 1).level_uv, 800000);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 0, 700000),
			 SCMI_BUSY);
	ph_advance(h, 199 * US);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	assert_int_equal(ph_call(h, 2, P, SCMI_VOLTAGE_LEVEL_GET, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 800000);
	ph_advance(h, 1 * US);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 16);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_VOLTAGE_LEVEL_SET, SCMI_MSG_DELAYED_RESP, tok));
	assert_int_equal(w[0], SCMI_SUCCESS);
	assert_int_equal(w[1], 1);
	assert_int_equal(w[2], 650000);
	assert_int_equal(vs(h, 1).level_uv, 650000);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
	assert_int_equal(ph_call(h, 1, P, SCMI_VOLTAGE_LEVEL_SET, NULL, NULL, 1, 0, 700000),
			 SCMI_SUCCESS);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	plat_dump_state(h->p, f, true);
	fclose(f);
	assert_non_null(strstr(buf, "\"voltage\":{\"domains\":[{\"id\":0,\"name\":\"v0\","
			       "\"level_uv\":1800000,\"config\":7"));
	free(buf);
}

/* The config must fail with `msg` reported on line `line`. */
static void expect_error(const char *text, int line, const char *msg)
{
	char *out = ph_desc_errors(text), want[32];
	const char *hit = strstr(out, msg), *bol = hit;

	if (!hit)
		fail_msg("expected \"%s\" in:\n%s", msg, out);
	while (bol > out && bol[-1] != '\n')
		bol--;
	snprintf(want, sizeof(want), "test.cfg:%d: ", line);
	if (strncmp(bol, want, strlen(want)))
		fail_msg("expected \"%s\" on line %d in:\n%s", msg, line, out);
	free(out);
}

static void test_desc_errors(void **state)
{
	static const char a[] = "agents = [ \"id=1,name=a\" ]\n";
	static const struct { const char *spec, *msg; } bad[] = {
		{ "name=v", "needs 'levels' or all of 'min', 'max' and 'step'" },
		{ "name=v,levels=1 2,min=1", "give 'levels' or 'min,max,step', not both" },
		{ "name=v,levels=2 1", "'levels' must be strictly ascending" },
		{ "name=v,levels=1 x", "'levels': 'x' is not an integer" },
		{ "name=v,min=1,max=10,step=4", "max - min a multiple of step" },
		{ "name=v,levels=1 2,level=3", "initial level 3 is not one of its levels" },
		{ "name=v,levels=1,mode=0x3", "'mode': 3 out of range" },
		{ "name=v,levels=1,async_us=4", "'async_us' needs async=1" },
		{ "name=v,levels=1,bogus=1", "unknown key 'bogus'" },
		{ "name=v,levels=1 5000000000", "out of range" },
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s\nvoltages = [\n \"name=ok,levels=1\",\n \"%s\" ]\n",
			 a, bad[i].spec);
		expect_error(buf, 5, bad[i].msg);
	}
	snprintf(buf, sizeof(buf), "%svoltages = [ \"name=v,levels=1\", \"name=v,levels=2\" ]\n",
		 a);
	expect_error(buf, 2, "duplicate voltage domain name 'v'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_attributes_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe_levels_paginated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe_levels_triplet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_async, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_desc_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
