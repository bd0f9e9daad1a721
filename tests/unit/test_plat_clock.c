// SPDX-License-Identifier: GPL-2.0-only
/*
 * Conformance tests of the embedded platform's CLOCK protocol (v3.0):
 * every command, its success and error statuses, pagination at several
 * response sizes, async rate changes with delayed responses, notifications
 * to subscribers only, multi-agent votes, permissions, agent reset, dump,
 * and broken clock sections of a description.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "tests/support/plat_harness.h"

/*
 * Agent 1 (trusted) sees every device; agent 2 only device 0 (clocks 0, 1);
 * agent 3 only device 1 (clock 3). Clock 2 belongs to no device: open.
 */
static const char cfg[] =
	"agents = [ \"id=1,name=a1,trusted=1\", \"id=2,name=a2,devices=0\",\n"
	"           \"id=3,name=a3,devices=1\" ]\n"
	"clocks = [\n"
	"  \"name=uart,rates=24000000 48000000 96000000,rate=24000000,notify=0\",\n"
	"  \"name=cpu,range=100000000-2000000000/100000000,rate=500000000,async=1,"
	"rate_latency=50,parents=0 2 3,parent=2,latency=7\",\n"
	"  \"name=a_very_long_clock_name_beyond_sixteen,rates=1000,enabled=1,restricted=1\",\n"
	"  \"name=many,rates=1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25"
	" 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40\",\n"
	"]\n"
	"devices = [ \"id=0,name=d0,clocks=0 1\", \"id=1,name=d1,clocks=3\" ]\n";

#define P SCMI_PROTO_CLOCK
#define CLK(agent, msg, ...) (nv = 128, ph_call(h, agent, P, msg, v, &nv, __VA_ARGS__))

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

static void test_version_and_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(CLK(1, SCMI_PROTOCOL_VERSION, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x30000);
	assert_int_equal(CLK(1, SCMI_PROTOCOL_ATTRIBUTES, ), SCMI_SUCCESS);
	assert_int_equal(nv, 1);
	assert_int_equal(v[0] & 0xffff, 4);              /* clocks */
	assert_int_equal((v[0] >> 16) & 0xff, 4);        /* default max async */
	/* every command is implemented */
	for (uint8_t m = SCMI_CLOCK_ATTRIBUTES; m <= SCMI_CLOCK_GET_PERMISSIONS; m++)
		assert_int_equal(CLK(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, m), SCMI_SUCCESS);
	assert_int_equal(CLK(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0x10 + 1), SCMI_NOT_FOUND);
	/* NEGOTIATE_PROTOCOL_VERSION: its own version or older, not newer or 0 */
	assert_int_equal(CLK(2, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30001), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(2, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(2, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000), SCMI_SUCCESS);
	assert_int_equal(CLK(2, SCMI_PROTOCOL_VERSION, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x30000);
}

static void test_clock_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(CLK(2, SCMI_CLOCK_ATTRIBUTES, 1), SCMI_SUCCESS);
	assert_int_equal(nv, 6);
	/* rate notifications, ext name, parents; not enabled; agent 2 may use it */
	assert_int_equal(v[0], (1u << 31) | (1u << 30) | (1u << 29) | (1u << 28));
	assert_string_equal(ph_str(h, 4, 16), "cpu");
	assert_int_equal(v[5], 7);
	/* restricted clock with a platform vote: bit1 and bit0 (agent's own view: off) */
	assert_int_equal(CLK(2, SCMI_CLOCK_ATTRIBUTES, 2), SCMI_SUCCESS);
	assert_int_equal(v[0] & 3u, 2u);
	assert_string_equal(ph_str(h, 4, 16), "a_very_long_clo");
	/* uart: no notifications, no parents */
	assert_int_equal(CLK(1, SCMI_CLOCK_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 1u << 29);
	/* agent 2 has no permission on clock 3: restricted bit */
	assert_int_equal(CLK(2, SCMI_CLOCK_ATTRIBUTES, 3), SCMI_SUCCESS);
	assert_int_equal(v[0] & 2u, 2u);
	assert_int_equal(CLK(1, SCMI_CLOCK_ATTRIBUTES, 4), SCMI_NOT_FOUND);
	assert_int_equal(CLK(1, SCMI_CLOCK_ATTRIBUTES, 0xffffffffu), SCMI_NOT_FOUND);
	/* request length is checked before the handler */
	assert_int_equal(CLK(1, SCMI_CLOCK_ATTRIBUTES, ), SCMI_PROTOCOL_ERROR);
	assert_int_equal(CLK(1, SCMI_CLOCK_ATTRIBUTES, 0, 0), SCMI_PROTOCOL_ERROR);
}

static uint64_t w64(const uint32_t *v)
{
	return v[0] | ((uint64_t)v[1] << 32);
}

/* Read the 40 rates of clock 3 with response capacity `cap`. */
static void read_all_rates(struct ph *h, size_t cap, unsigned per_page)
{
	uint32_t v[128];
	unsigned nv, idx = 0, pages = 0;

	ph_set_cap(h, cap);
	while (idx < 40) {
		unsigned ret, rem;

		assert_int_equal(CLK(1, SCMI_CLOCK_DESCRIBE_RATES, 3, idx), SCMI_SUCCESS);
		ret = v[0] & 0xfff;
		rem = v[0] >> 16;
		assert_int_equal(v[0] & (1u << 12), 0);       /* list form */
		assert_true(ret >= 1 && ret <= per_page);
		assert_int_equal(idx + ret + rem, 40);        /* counts add up */
		assert_int_equal(nv, 1 + 2 * ret);
		for (unsigned i = 0; i < ret; i++)
			assert_int_equal(w64(&v[1 + 2 * i]), idx + i + 1);
		idx += ret;
		pages++;
	}
	assert_int_equal(pages, (40 + per_page - 1) / per_page);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

static void test_describe_rates(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	read_all_rates(h, SCMI_LINUX_MSG_SIZE, 15);     /* (128 - 4) / 8 */
	read_all_rates(h, 8 + 4 + 8, 1);                /* one rate per reply */
	read_all_rates(h, 8 + 4 + 8 * 3 + 4, 3);
	/* not even one rate fits */
	ph_set_cap(h, 8 + 4 + 4);
	assert_int_equal(CLK(1, SCMI_CLOCK_DESCRIBE_RATES, 3, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(CLK(1, SCMI_CLOCK_DESCRIBE_RATES, 3, 40), SCMI_OUT_OF_RANGE);
	assert_int_equal(CLK(1, SCMI_CLOCK_DESCRIBE_RATES, 9, 0), SCMI_NOT_FOUND);
	assert_int_equal(CLK(1, SCMI_CLOCK_DESCRIBE_RATES, 3), SCMI_PROTOCOL_ERROR);
	/* range form: one triplet, nothing remaining */
	assert_int_equal(CLK(2, SCMI_CLOCK_DESCRIBE_RATES, 1, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 3u | (1u << 12));
	assert_int_equal(nv, 7);
	assert_int_equal(w64(&v[1]), 100000000);
	assert_int_equal(w64(&v[3]), 2000000000);
	assert_int_equal(w64(&v[5]), 100000000);
	assert_int_equal(CLK(2, SCMI_CLOCK_DESCRIBE_RATES, 1, 1), SCMI_OUT_OF_RANGE);
	ph_set_cap(h, 8 + 4 + 16);
	assert_int_equal(CLK(2, SCMI_CLOCK_DESCRIBE_RATES, 1, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

static int32_t rate_set(struct ph *h, unsigned agent, uint32_t flags, uint32_t id,
			uint64_t rate)
{
	uint32_t v[8];
	unsigned nv = 8;

	return ph_call(h, agent, P, SCMI_CLOCK_RATE_SET, v, &nv, flags, id, (uint32_t)rate,
		       (uint32_t)(rate >> 32));
}

static uint64_t phys_rate(struct ph *h, uint32_t id)
{
	struct plat_clock_state s;

	assert_int_equal(plat_clock_state(h->p, id, &s), 0);
	return s.rate;
}

static void test_rate_set_get_sync(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(rate_set(h, 2, 0, 0, 48000000), SCMI_SUCCESS);
	assert_int_equal(CLK(3, SCMI_CLOCK_RATE_GET, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 2);
	assert_int_equal(w64(v), 48000000);
	/* list rounding: down (default), up, auto */
	assert_int_equal(rate_set(h, 2, 0, 0, 50000000), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 0), 48000000);
	assert_int_equal(rate_set(h, 2, 1u << 2, 0, 50000000), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 0), 96000000);
	assert_int_equal(rate_set(h, 2, 1u << 3, 0, 70000000), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 0), 48000000);
	assert_int_equal(rate_set(h, 2, 1u << 3, 0, 80000000), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 0), 96000000);
	/* range rounding to the step grid */
	assert_int_equal(rate_set(h, 2, 0, 1, 250000000), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 1), 200000000);
	assert_int_equal(rate_set(h, 2, 1u << 2, 1, 250000001), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 1), 300000000);
	assert_int_equal(rate_set(h, 2, 1u << 3, 1, 340000000), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 1), 300000000);
	/* errors */
	assert_int_equal(rate_set(h, 2, 0, 0, 96000001), SCMI_OUT_OF_RANGE);
	assert_int_equal(rate_set(h, 2, 0, 0, 1000), SCMI_OUT_OF_RANGE);
	assert_int_equal(rate_set(h, 2, 0, 1, 2000000001), SCMI_OUT_OF_RANGE);
	assert_int_equal(rate_set(h, 2, 0, 1, 1ull << 40), SCMI_OUT_OF_RANGE);
	assert_int_equal(rate_set(h, 2, 1u << 4, 0, 48000000), SCMI_INVALID_PARAMETERS);
	assert_int_equal(rate_set(h, 2, 0x80000000u, 0, 48000000), SCMI_INVALID_PARAMETERS);
	assert_int_equal(rate_set(h, 2, 0, 4, 48000000), SCMI_NOT_FOUND);
	assert_int_equal(rate_set(h, 2, 0, 3, 5), SCMI_DENIED);      /* no permission */
	assert_int_equal(rate_set(h, 1, 0, 2, 1000), SCMI_DENIED);   /* restricted */
	assert_int_equal(rate_set(h, 3, 0, 3, 5), SCMI_SUCCESS);
	assert_int_equal(phys_rate(h, 3), 5);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_GET, 4), SCMI_NOT_FOUND);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_GET, 4, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_SET, 0, 1, 5), SCMI_PROTOCOL_ERROR);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
}

static void test_rate_set_async(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[32], req_hdr;
	unsigned nw = 32;

	h->token = 77;
	req_hdr = scmi_hdr(P, SCMI_CLOCK_RATE_SET, SCMI_MSG_COMMAND, 77);
	assert_int_equal(rate_set(h, 2, 1, 1, 700000000), SCMI_SUCCESS);
	/* not applied yet; a second change of the same clock is BUSY */
	assert_int_equal(phys_rate(h, 1), 500000000);
	assert_int_equal(rate_set(h, 1, 0, 1, 800000000), SCMI_BUSY);
	ph_advance(h, 49000);
	assert_int_equal(phys_rate(h, 1), 500000000);
	assert_int_equal(ph_pop(h, 2, NULL, NULL, NULL), 0);
	ph_advance(h, 1000);
	assert_int_equal(phys_rate(h, 1), 700000000);
	assert_int_equal(ph_pop(h, 2, &hdr, w, &nw), 4 + 4 + 12);
	assert_int_equal(hdr, scmi_hdr_set_type(req_hdr, SCMI_MSG_DELAYED_RESP));
	assert_int_equal(w[0], SCMI_SUCCESS);
	assert_int_equal(w[1], 1);
	assert_int_equal(w64(&w[2]), 700000000);
	assert_int_equal(plat_p2a_pending(h->p, 1) + plat_p2a_pending(h->p, 3), 0);

	/* ignore delayed response: applied, nothing sent */
	assert_int_equal(rate_set(h, 2, 1 | 2, 1, 900000000), SCMI_SUCCESS);
	ph_advance(h, 50000);
	assert_int_equal(phys_rate(h, 1), 900000000);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);

	/* a clock without async support completes at once, with the response */
	assert_int_equal(rate_set(h, 2, 1, 0, 96000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(phys_rate(h, 0), 96000000);
	nw = 32;
	assert_int_equal(ph_pop(h, 2, &hdr, w, &nw), 20);
	assert_int_equal(scmi_hdr_type(hdr), SCMI_MSG_DELAYED_RESP);
	assert_int_equal(w[1], 0);
}

static void test_async_limit(void **state)
{
	struct ph *h = ph_new("agents = [ \"id=1,name=a\" ]\n"
			      "clock_max_async = 1\n"
			      "clocks = [ \"name=x,rates=1 2 3,async=1\",\n"
			      "\"name=y,rates=1 2,async=1\","
			      " \"name=z,rates=7\" ]\n");
	uint32_t v[8];
	unsigned nv;

	(void)state;
	nv = 8;
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_ATTRIBUTES, v, &nv, ), 0);
	assert_int_equal(v[0], 3u | (1u << 16));
	assert_int_equal(rate_set(h, 1, 1, 0, 2), SCMI_SUCCESS);
	assert_int_equal(rate_set(h, 1, 1, 1, 2), SCMI_BUSY);   /* one pending max */
	assert_int_equal(rate_set(h, 1, 0, 1, 2), SCMI_SUCCESS); /* sync still fine */
	ph_advance(h, 100000);
	assert_int_equal(rate_set(h, 1, 1, 1, 1), SCMI_SUCCESS);
	ph_free(h);

	h = ph_new("agents = [ \"id=1,name=a\" ]\nclocks = [ \"name=x,rates=1 2\" ]\n");
	nv = 8;
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_ATTRIBUTES, v, &nv, ), 0);
	assert_int_equal(v[0], 1u);
	assert_int_equal(rate_set(h, 1, 1, 0, 2), SCMI_NOT_SUPPORTED);
	ph_free(h);
}

static bool vote(struct ph *h, uint32_t id, unsigned agent)
{
	return plat_clock_agent_vote(h->p, id, agent);
}

static void test_config_votes(void **state)
{
	struct ph *h = *state;
	struct plat_clock_state s;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(plat_clock_state(h->p, 0, &s), 0);
	assert_false(s.enabled);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 1, 0), SCMI_SUCCESS);
	assert_int_equal(CLK(2, SCMI_CLOCK_CONFIG_SET, 0, 1, 0), SCMI_SUCCESS);
	assert_true(vote(h, 0, 1) && vote(h, 0, 2) && !vote(h, 0, 3));
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 0, 0), SCMI_SUCCESS);
	assert_int_equal(plat_clock_state(h->p, 0, &s), 0);
	assert_true(s.enabled);                  /* agent 2 still votes */
	assert_int_equal(s.votes, 1u << 2);
	/* each agent sees its own vote */
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 3);
	assert_int_equal(v[1] & 1, 0);
	assert_int_equal(CLK(2, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(v[1] & 1, 1);
	assert_int_equal(CLK(2, SCMI_CLOCK_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_int_equal(v[0] & 1, 1);
	assert_int_equal(CLK(2, SCMI_CLOCK_CONFIG_SET, 0, 0, 0), SCMI_SUCCESS);
	assert_int_equal(plat_clock_state(h->p, 0, &s), 0);
	assert_false(s.enabled);
	/* enabled=1: a platform vote keeps clock 2 running */
	assert_int_equal(plat_clock_state(h->p, 2, &s), 0);
	assert_true(s.enabled);
	assert_int_equal(s.votes, 1u);
	/* restricted: on/off is allowed */
	assert_int_equal(CLK(3, SCMI_CLOCK_CONFIG_SET, 2, 1, 0), SCMI_SUCCESS);
	assert_int_equal(CLK(3, SCMI_CLOCK_CONFIG_SET, 2, 0, 0), SCMI_SUCCESS);
	assert_int_equal(plat_clock_state(h->p, 2, &s), 0);
	assert_true(s.enabled);
	/* errors */
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 2, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 3, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 1u << 8, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 1u << 24 | 1, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 0x10003u, 5), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 7, 1, 0), SCMI_NOT_FOUND);
	assert_int_equal(CLK(2, SCMI_CLOCK_CONFIG_SET, 3, 1, 0), SCMI_DENIED);
	assert_false(vote(h, 3, 2));
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_SET, 0, 1), SCMI_PROTOCOL_ERROR);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_GET, 0, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_GET, 0, 0x100), SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_GET, 4, 0), SCMI_NOT_FOUND);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_GET, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, 16);
	assert_int_equal(CLK(1, SCMI_CLOCK_CONFIG_GET, 0, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

static void test_name_get(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(CLK(1, SCMI_CLOCK_NAME_GET, 2), SCMI_SUCCESS);
	assert_int_equal(nv, 17);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 64), "a_very_long_clock_name_beyond_sixteen");
	assert_int_equal(CLK(1, SCMI_CLOCK_NAME_GET, 4), SCMI_NOT_FOUND);
	assert_int_equal(CLK(1, SCMI_CLOCK_NAME_GET, ), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, 8 + 60);
	assert_int_equal(CLK(1, SCMI_CLOCK_NAME_GET, 2), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

static void test_notifications(void **state)
{
	struct ph *h = *state;
	uint32_t v[128], hdr, w[16];
	unsigned nv, nw = 16;

	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_NOTIFY, 1, 1), SCMI_SUCCESS);
	assert_int_equal(CLK(2, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 1, 1), SCMI_SUCCESS);
	assert_int_equal(rate_set(h, 2, 0, 1, 300000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	/* agent 1: RATE_CHANGED caused by agent 2 */
	assert_int_equal(ph_pop(h, 1, &hdr, w, &nw), 20);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_CLOCK_RATE_CHANGED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(w[0], 2);
	assert_int_equal(w[1], 1);
	assert_int_equal(w64(&w[2]), 300000000);
	assert_int_equal(ph_pop(h, 1, NULL, NULL, NULL), 0);
	/* agent 2: RATE_CHANGE_REQUESTED only */
	nw = 16;
	assert_int_equal(ph_pop(h, 2, &hdr, w, &nw), 20);
	assert_int_equal(scmi_hdr_msg_id(hdr), SCMI_CLOCK_RATE_CHANGE_REQUESTED);
	assert_int_equal(w[0], 2);
	assert_int_equal(w64(&w[2]), 300000000);
	assert_int_equal(ph_pop(h, 2, NULL, NULL, NULL), 0);
	assert_int_equal(plat_p2a_pending(h->p, 3), 0);
	/* the same rate again: requested, but no change */
	assert_int_equal(rate_set(h, 3, 0, 1, 300000000), SCMI_DENIED);
	assert_int_equal(rate_set(h, 2, 0, 1, 300000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(plat_p2a_pending(h->p, 2), 1);
	ph_pop(h, 2, NULL, NULL, NULL);
	/* an async change notifies when it happens */
	assert_int_equal(rate_set(h, 2, 1 | 2, 1, 1500000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(plat_p2a_pending(h->p, 2), 1);        /* requested: at once */
	ph_pop(h, 2, NULL, NULL, NULL);
	ph_advance(h, 50000);
	nw = 16;
	assert_int_equal(ph_pop(h, 1, &hdr, w, &nw), 20);
	assert_int_equal(scmi_hdr_msg_id(hdr), SCMI_CLOCK_RATE_CHANGED);
	assert_int_equal(w[0], 2);
	assert_int_equal(w64(&w[2]), 1500000000);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);        /* response ignored */
	/* a subscriber whose device permission is revoked hears nothing */
	assert_int_equal(CLK(2, SCMI_CLOCK_RATE_NOTIFY, 1, 1), SCMI_SUCCESS);
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, v,
				 &nv, 2, 0, 0), SCMI_SUCCESS);
	assert_int_equal(rate_set(h, 1, 0, 1, 1600000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 1);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	ph_pop(h, 1, NULL, NULL, NULL);
	assert_int_equal(rate_set(h, 2, 0, 1, 1700000000), SCMI_DENIED);
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, v,
				 &nv, 2, 0, 1), SCMI_SUCCESS);
	assert_int_equal(CLK(2, SCMI_CLOCK_RATE_NOTIFY, 1, 0), SCMI_SUCCESS);
	/* unsubscribe */
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_NOTIFY, 1, 0), SCMI_SUCCESS);
	assert_int_equal(rate_set(h, 2, 0, 1, 400000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	/* errors */
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_NOTIFY, 0, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 0, 1),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_NOTIFY, 1, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 1, 3),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_NOTIFY, 4, 1), SCMI_NOT_FOUND);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 4, 1), SCMI_NOT_FOUND);
	assert_int_equal(CLK(3, SCMI_CLOCK_RATE_NOTIFY, 1, 1), SCMI_DENIED);
	assert_int_equal(CLK(1, SCMI_CLOCK_RATE_NOTIFY, 1), SCMI_PROTOCOL_ERROR);
}

static void test_parents(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;
	struct plat_clock_state s;

	assert_int_equal(CLK(2, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 1, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 3);
	assert_int_equal(nv, 4);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 2);
	assert_int_equal(v[3], 3);
	/* one per reply: remaining counts down */
	ph_set_cap(h, 8 + 4 + 4);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(CLK(2, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 1, i), SCMI_SUCCESS);
		assert_int_equal(v[0] & 0xff, 1);
		assert_int_equal(v[0] >> 24, 2 - i);
	}
	ph_set_cap(h, 8 + 4);
	assert_int_equal(CLK(2, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 1, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(CLK(2, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 1, 3), SCMI_OUT_OF_RANGE);
	assert_int_equal(CLK(2, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 0, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(2, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 4, 0), SCMI_NOT_FOUND);

	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 2);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_SET, 1, 3), SCMI_SUCCESS);
	assert_int_equal(CLK(3, SCMI_CLOCK_PARENT_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 3);
	assert_int_equal(plat_clock_state(h->p, 1, &s), 0);
	assert_int_equal(s.parent, 3);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_SET, 1, 1), SCMI_INVALID_PARAMETERS);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_SET, 1, 99), SCMI_NOT_FOUND);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_SET, 9, 0), SCMI_NOT_FOUND);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_SET, 0, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(3, SCMI_CLOCK_PARENT_SET, 1, 0), SCMI_DENIED);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_GET, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_GET, 4), SCMI_NOT_FOUND);
	assert_int_equal(CLK(2, SCMI_CLOCK_PARENT_SET, 1), SCMI_PROTOCOL_ERROR);
}

static void test_permissions(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(CLK(2, SCMI_CLOCK_GET_PERMISSIONS, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], (1u << 31) | (1u << 30) | (1u << 29));
	assert_int_equal(CLK(2, SCMI_CLOCK_GET_PERMISSIONS, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], (1u << 31) | (1u << 29));      /* no parents */
	assert_int_equal(CLK(2, SCMI_CLOCK_GET_PERMISSIONS, 2), SCMI_SUCCESS);
	assert_int_equal(v[0], 1u << 31);                     /* restricted */
	assert_int_equal(CLK(2, SCMI_CLOCK_GET_PERMISSIONS, 3), SCMI_SUCCESS);
	assert_int_equal(v[0], 0);                            /* not its device */
	assert_int_equal(CLK(2, SCMI_CLOCK_GET_PERMISSIONS, 4), SCMI_NOT_FOUND);
	assert_int_equal(CLK(2, SCMI_CLOCK_GET_PERMISSIONS, 1, 1), SCMI_PROTOCOL_ERROR);
}

static void test_reset_agent(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(CLK(2, SCMI_CLOCK_CONFIG_SET, 1, 1, 0), SCMI_SUCCESS);
	assert_int_equal(CLK(3, SCMI_CLOCK_CONFIG_SET, 3, 1, 0), SCMI_SUCCESS);
	assert_int_equal(CLK(2, SCMI_CLOCK_RATE_NOTIFY, 1, 1), SCMI_SUCCESS);
	/* an async change in flight when the agent is reset: no answer */
	assert_int_equal(rate_set(h, 2, 1, 1, 600000000), SCMI_SUCCESS);
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 v, &nv, 2, 0), SCMI_SUCCESS);
	assert_false(vote(h, 1, 2));
	assert_true(vote(h, 3, 3));
	ph_advance(h, 1000000);
	assert_int_equal(phys_rate(h, 1), 600000000);   /* the change completed */
	assert_int_equal(plat_p2a_pending(h->p, 2), 0); /* no response, no notification */
	assert_int_equal(rate_set(h, 1, 0, 1, 100000000), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(rate_set(h, 2, 0, 1, 1200000000), SCMI_SUCCESS);
	plat_dump_state(h->p, f, true);
	plat_dump_state(h->p, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "\"clock\":[{\"id\":0,\"name\":\"uart\",\"enabled\":false,"
				    "\"rate\":24000000,\"parent\":0,\"votes\":0}"));
	assert_non_null(strstr(buf, "\"rate\":1200000000,\"parent\":2"));
	assert_non_null(strstr(buf, "clock 2 a_very_long_clock_name_beyond_sixteen: on rate=1000"));
	free(buf);
	assert_int_equal(plat_clock_state(h->p, 4, &(struct plat_clock_state){ 0 }), -1);
	assert_false(plat_clock_agent_vote(h->p, 4, 1));
}

/* ---- broken descriptions ---------------------------------------------------- */

static void expect_error(const char *text, const char *msg)
{
	char *err = ph_desc_errors(text);

	if (!strstr(err, msg))
		fail_msg("expected '%s' in:\n%s", msg, err);
	free(err);
}

#define AG "agents = [ \"id=1,name=a\" ]\n"

static void test_broken_configs(void **state)
{
	(void)state;
	expect_error(AG "clocks = [ \"rates=1\" ]\n", "test.cfg:2: missing name=");
	expect_error(AG "clocks = [ \"name=x\" ]\n", "test.cfg:2: clock needs rates= or range=");
	expect_error(AG "clocks = [\n \"name=x,rates=1\",\n \"name=y,rates=1,range=1-5/1\" ]\n",
		     "test.cfg:4: clock has both rates= and range=");
	expect_error(AG "clocks = [ \"name=x,rates=3 2\" ]\n",
		     "test.cfg:2: rates: must be non-zero and strictly ascending");
	expect_error(AG "clocks = [ \"name=x,rates=1 two\" ]\n", "test.cfg:2: 'rates': 'two'");
	expect_error(AG "clocks = [ \"name=x,range=5-1/1\" ]\n",
		     "test.cfg:2: range: '5-1/1' needs LOW < HIGH");
	expect_error(AG "clocks = [ \"name=x,range=1-5\" ]\n",
		     "test.cfg:2: range: '1-5' is not LOW-HIGH/STEP");
	expect_error(AG "clocks = [ \"name=x,range=10-100/10,rate=15\" ]\n",
		     "test.cfg:2: rate=15 is not a supported rate");
	expect_error(AG "clocks = [ \"name=x,rates=1,speed=3\" ]\n",
		     "test.cfg:2: unknown key 'speed'");
	expect_error(AG "clocks = [ \"name=x,rates=1,enabled=maybe\" ]\n",
		     "test.cfg:2: 'enabled': 'maybe' is not a boolean");
	expect_error(AG "clocks = [ \"name=x,rates=1,parents=0\" ]\n",
		     "test.cfg:2: parents: 0 is not another clock");
	expect_error(AG "clocks = [ \"name=x,rates=1\",\n\"name=y,rates=1,parents=0 0\" ]\n",
		     "test.cfg:3: parents: 0 listed twice");
	expect_error(AG "clocks = [ \"name=x,rates=1\", \"name=y,rates=1,parent=0\" ]\n",
		     "test.cfg:2: parent= without parents=");
	expect_error(AG "clocks = [ \"name=x,rates=1\", \"name=z,rates=1\",\n"
		     "\"name=y,rates=1,parents=0,parent=1\" ]\n",
		     "test.cfg:3: parent=1 is not in parents=");
	expect_error(AG "clock_max_async = 300\nclocks = [ \"name=x,rates=1\" ]\n",
		     "test.cfg:2:");
	expect_error(AG "clocks = [ \"name=0123456789012345678901234567890123456789012345678901"
		     "234567890123,rates=1\" ]\n", "test.cfg:2: name: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_and_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe_rates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_set_get_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_set_async, setup, teardown),
		cmocka_unit_test(test_async_limit),
		cmocka_unit_test_setup_teardown(test_config_votes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_broken_configs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
