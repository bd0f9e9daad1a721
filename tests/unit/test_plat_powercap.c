// SPDX-License-Identifier: GPL-2.0-only
/* Embedded platform POWERCAP protocol (0x18): every command and status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tests/support/plat_harness.h"

#define P SCMI_PROTO_POWERCAP
#define US 1000ull
#define MS 1000000ull

/*
 * soc: configurable cap and PAI, async, notifications; its power ramps
 * 2000, 3000, ... 9000 mW (one step per 10 ms) then wraps to 2000.
 * big_core_cluster_zone: fixed cap and PAI, microwatts, child of soc.
 * gpu: configurable cap only, abstract units, capping off, no monitoring.
 */
static const char cfg[] =
	"agents = [ \"id=1,name=a\", \"id=2,name=b\", \"id=3,name=c,trusted=1\" ]\n"
	"powercaps = [\n"
	" \"name=soc,cap_min=1000,cap_max=8000,cap_step=100,cap=6000,pai_min=1000,"
	"pai_max=100000,pai_step=1000,pai=10000,unit=mw,notify=1,measurements=1,async=1,"
	"async_us=300,sustainable=5000,accuracy=500,power=ramp:2000:1000:10000:2000:9999\",\n"
	" \"name=big_core_cluster_zone,cap_min=500,pai_min=1000,unit=uw,parent=0,power=400,"
	"measurements=1\",\n"
	" \"name=gpu,cap_min=100,cap_max=200,cap_step=10,cap=0,unit=abstract\" ]\n";

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

static uint32_t get1(struct ph *h, uint8_t msg, uint32_t id)
{
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, msg, v, &n, id), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	return v[0];
}

static void test_protocol(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_VERSION_POWERCAP);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], 3);
	for (uint32_t m = SCMI_POWERCAP_DOMAIN_ATTRIBUTES;
	     m <= SCMI_POWERCAP_DESCRIBE_FASTCHANNEL; m++)
		assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL,
					 m), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, 0xd, NULL, NULL, 0), SCMI_NOT_FOUND);
}

static void test_domain_attributes(void **state)
{
	struct ph *h = *state;
	static const uint32_t soc[] = { 1000, 100000, 1000, 1000, 8000, 100, 5000, 500,
					0xffffffffu };
	uint32_t v[20];
	unsigned n = 20;

	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, v, &n, 0),
			 SCMI_SUCCESS);
	assert_int_equal(n, 14);
	assert_int_equal(v[0], 0xef000000u);
	assert_string_equal(ph_str(h, 4, 16), "soc");
	for (unsigned i = 0; i < 9; i++)
		assert_int_equal(v[5 + i], soc[i]);
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, v, &n, 1),
			 SCMI_SUCCESS);
	/* extended name, monitoring, microwatts; nothing configurable */
	assert_int_equal(v[0], 0x14800000u);
	assert_string_equal(ph_str(h, 4, 16), "big_core_cluste");
	assert_int_equal(v[5], 1000);
	assert_int_equal(v[6], 1000);
	assert_int_equal(v[7], 0);
	assert_int_equal(v[8], 500);
	assert_int_equal(v[9], 500);
	assert_int_equal(v[13], 0);       /* parent: soc */
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, v, &n, 2),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 0x08000000u);   /* cap config, abstract units */
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, v, &n, 3),
			 SCMI_NOT_FOUND);
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_DOMAIN_NAME_GET, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(n, 17);
	assert_string_equal(ph_str(h, 4, 64), "big_core_cluster_zone");
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_DOMAIN_NAME_GET, v, &n, 3),
			 SCMI_NOT_FOUND);
}

static void test_cap_sync(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;

	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 6000);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	/* rounded down onto the step grid */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 0, 4050),
			 SCMI_SUCCESS);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 4000);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 20);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_POWERCAP_CAP_CHANGED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 4000);
	assert_int_equal(w[3], 10000);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 0);
	/* 0 disables capping; the ignore-delayed-response bit alone is harmless */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 1, 0),
			 SCMI_SUCCESS);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 0);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 0, 999),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 0, 8001),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 4, 2000),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 1, 0, 500),
			 SCMI_NOT_SUPPORTED);       /* fixed cap */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 2, 2, 150),
			 SCMI_NOT_SUPPORTED);       /* gpu: no async */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 3, 0, 150),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 2, 0, 150),
			 SCMI_SUCCESS);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 2), 150);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 1), 500);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_GET, NULL, NULL, 3), SCMI_NOT_FOUND);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 0);
	/* one notification per change of soc, none for gpu (no notify support) */
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 20);
	assert_int_equal(w[2], 0);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
}

static void test_cap_async(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;
	uint16_t tok;

	assert_int_equal(ph_call(h, 3, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	tok = h->token;
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 2, 3000),
			 SCMI_SUCCESS);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 6000);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 0, 2000),
			 SCMI_BUSY);
	ph_advance(h, 299 * US);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 0);
	ph_advance(h, 1 * US);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 16);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_POWERCAP_CAP_SET, SCMI_MSG_DELAYED_RESP, tok));
	assert_int_equal(w[0], SCMI_SUCCESS);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 3000);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 3000);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 20);
	assert_int_equal(w[0], 2);
	assert_int_equal(w[2], 3000);
	/* async, ignore the delayed response: applied and notified, no dresp */
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 3, 7000),
			 SCMI_SUCCESS);
	ph_advance(h, 300 * US);
	assert_int_equal(get1(h, SCMI_POWERCAP_CAP_GET, 0), 7000);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 20);
	assert_int_equal(w[2], 7000);
}

static void test_pai(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;

	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	assert_int_equal(get1(h, SCMI_POWERCAP_PAI_GET, 0), 10000);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 0, 0, 20500),
			 SCMI_SUCCESS);
	assert_int_equal(get1(h, SCMI_POWERCAP_PAI_GET, 0), 20000);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 20);
	assert_int_equal(w[0], 2);
	assert_int_equal(w[2], 6000);
	assert_int_equal(w[3], 20000);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 0, 0, 999),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 0, 0, 100001),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 0, 0, 0),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 0, 1, 5000),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 1, 0, 1000),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_SET, NULL, NULL, 4, 0, 1000),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_PAI_GET, NULL, NULL, 4), SCMI_NOT_FOUND);
	assert_int_equal(get1(h, SCMI_POWERCAP_PAI_GET, 0), 20000);
	assert_int_equal(get1(h, SCMI_POWERCAP_PAI_GET, 1), 1000);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
}

static void meas(struct ph *h, uint32_t id, uint32_t power, uint32_t pai)
{
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_MEASUREMENTS_GET, v, &n, id),
			 SCMI_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], power);
	assert_int_equal(v[1], pai);
}

static void test_measurements_get(void **state)
{
	struct ph *h = *state;

	meas(h, 0, 2000, 10000);
	meas(h, 1, 400, 1000);
	ph_advance(h, 20 * MS);
	meas(h, 0, 4000, 10000);
	ph_advance(h, 20 * MS);
	meas(h, 0, 6000, 10000);
	ph_advance(h, 10 * MS);
	meas(h, 0, 6000, 10000);          /* 7000 held at the 6000 cap */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 0, 0),
			 SCMI_SUCCESS);
	meas(h, 0, 7000, 10000);
	ph_advance(h, 30 * MS);
	meas(h, 0, 2000, 10000);          /* wrapped */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_MEASUREMENTS_GET, NULL, NULL, 2),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_MEASUREMENTS_GET, NULL, NULL, 3),
			 SCMI_NOT_FOUND);
}

static void test_measurements_notify(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;

	/* b watches [2500, 4500]; c a window the power never leaves */
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 0, 1, 2500, 4500), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 3, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 0, 1, 1000, 9000), SCMI_SUCCESS);
	/* samples each PAI (10 ms): 3000 and 4000 are inside, 5000 above */
	ph_advance(h, 20 * MS);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	ph_advance(h, 10 * MS);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 16);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_POWERCAP_MEASUREMENTS_CHANGED,
				       SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(w[0], 0);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 5000);
	/* still above: no repeat */
	ph_advance(h, 10 * MS);
	assert_int_equal(pop(h, 2, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 0);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
	/* unsubscribe everybody: sampling stops */
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 0, 0, 0, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 3, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 NULL, NULL, 3, 0), SCMI_SUCCESS);
	ph_advance(h, 100 * MS);
	assert_int_equal(pop(h, 3, &hdr, w, &nw), 0);
	assert_int_equal(plat_next_deadline(h->p), UINT64_MAX);
	/* errors */
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 0, 1, 5000, 4000), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 0, 2, 0, 1), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 1, 1, 0, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL,
				 3, 1, 0, 1), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_PROTOCOL_ERROR);
}

static void test_cap_notify_errors(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned nw = 8;

	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 2, 1),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 0, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 3, 1),
			 SCMI_NOT_FOUND);
	/* subscribe then unsubscribe: no notification */
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_CAP_NOTIFY, NULL, NULL, 0, 0),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_POWERCAP_CAP_SET, NULL, NULL, 0, 0, 2000),
			 SCMI_SUCCESS);
	assert_int_equal(pop(h, 1, &hdr, w, &nw), 0);
}

static void test_fastchannel(void **state)
{
	struct ph *h = *state;

	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, NULL, NULL, 0,
				 SCMI_POWERCAP_CAP_SET), SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 1, P, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, NULL, NULL, 7,
				 SCMI_POWERCAP_CAP_SET), SCMI_NOT_FOUND);
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
	static const struct { const char *spec, *msg; } bad[] = {
		{ "cap_min=10", "missing 'name='" },
		{ "name=p,cap_min=10,cap_max=5", "'cap_min' must not exceed 'cap_max'" },
		{ "name=p,cap_min=10,cap_max=20", "power cap range needs 'cap_step' > 0" },
		{ "name=p,cap_min=10,cap_max=20,cap_step=3", "dividing cap_max - cap_min" },
		{ "name=p,cap_min=10,cap_step=3", "'cap_step' given but the power cap is fixed" },
		{ "name=p,cap_min=0", "'cap_min': 0 out of range" },
		{ "name=p,cap_min=10,cap_max=20,cap_step=5,cap=12", "initial cap 12 not 0" },
		{ "name=p,pai_min=1000,pai_max=2000,pai_step=5,pai=3000",
		  "initial pai 3000 not on" },
		{ "name=p,pai_min=999", "'pai_min': 999 out of range [1000," },
		{ "name=p,unit=watt", "'unit': 'watt' is not mw, uw or abstract" },
		{ "name=p,fastchannel=1", "fastchannels are not supported" },
		{ "name=p,async=1", "async=1 needs a configurable cap" },
		{ "name=p,async_us=3", "'async_us' needs async=1" },
		{ "name=p,parent=1", "parent 1 is not another powercap domain" },
		{ "name=p,power=sine:1", "power: 'sine:1': unknown model" },
		{ "name=p,power=-5", "power values must lie in 0..4294967295" },
		{ "name=p,power=script:1000:", "empty script" },
		{ "name=p,power=ramp:1:1:1000:5", "want ramp:START:STEP:PERIOD_US:MIN:MAX" },
		{ "name=p,power=ramp:1:1:1000:5:9", "need MIN <= START <= MAX" },
		{ "name=p,power=ramp:1:1:1000:-1:9", "power values must lie in" },
		{ "name=p,power=script:1000:1 4294967296", "power values must lie in" },
		{ "name=p,shape=round", "unknown key 'shape'" },
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "agents = [ \"id=1,name=a\" ]\npowercaps = [\n"
			 " \"name=ok\",\n \"%s\" ]\n", bad[i].spec);
		expect_error(buf, 4, bad[i].msg);
	}
	expect_error("agents = [ \"id=1,name=a\" ]\npowercaps = [ \"name=x,parent=1\",\n"
		     "\"name=y,parent=0\" ]\n", 2, "parent chain loops");
	expect_error("agents = [ \"id=1,name=a\" ]\npowercaps = [ \"name=x\", \"name=x\" ]\n",
		     2, "duplicate powercap domain name 'x'");
}

static void test_desc_script(void **state)
{
	struct ph *h = ph_new("agents = [ \"id=1,name=a\" ]\n"
			      "powercaps = [ \"name=p,measurements=1,"
			      "power=script:1000:10 30 20\" ]\n");
	static const uint32_t want[] = { 10, 30, 20, 10, 30 };

	for (unsigned i = 0; i < 5; i++) {
		meas(h, 0, want[i], 1000);
		ph_advance(h, 1 * MS);
	}
	ph_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_async, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pai, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measurements_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measurements_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_notify_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fastchannel, setup, teardown),
		cmocka_unit_test(test_desc_errors),
		cmocka_unit_test(test_desc_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
