// SPDX-License-Identifier: GPL-2.0-only
/*
 * Conformance tests of the embedded platform's PERFORMANCE protocol (v4.0):
 * every command with its success and error statuses, pagination at several
 * response sizes (v4 and negotiated v3 layouts), multi-agent level requests
 * and limits, notifications to subscribers only, level indexing, agent
 * reset, dump, and broken perf sections of a description.
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

static const char cfg[] =
	"agents = [ \"id=1,name=a1,trusted=1\", \"id=2,name=a2,devices=0\",\n"
	"           \"id=3,name=a3,devices=1\" ]\n"
	"perf = [\n"
	"  \"name=cpu0,levels=100:50:10:500000 200:120:20:1000000 300:250:30:1500000"
	" 400:400:70000:2000000,level=200,rate_limit=500,sustained_freq=1500000,"
	"sustained_perf=300\",\n"
	"  \"name=gpu_with_a_long_domain_name,levels=1:1:1:100 2:2:2:200 3:3:3:300,"
	"level_indexing=1,notify_level=0,set_limits=0,level=1\",\n"
	"  \"name=big,levels=1:0:0:1 2:0:0:2 3:0:0:3 4:0:0:4 5:0:0:5 6:0:0:6 7:0:0:7 8:0:0:8"
	" 9:0:0:9 10:0:0:10 11:0:0:11 12:0:0:12 13:0:0:13 14:0:0:14 15:0:0:15 16:0:0:16"
	" 17:0:0:17 18:0:0:18 19:0:0:19 20:0:0:20\",\n"
	"]\n"
	"devices = [ \"id=0,name=d0,perf=0\", \"id=1,name=d1,perf=2\" ]\n";

#define P SCMI_PROTO_PERF
#define PERF(agent, msg, ...) (nv = 128, ph_call(h, agent, P, msg, v, &nv, __VA_ARGS__))

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

static struct plat_perf_state phys(struct ph *h, uint32_t id)
{
	struct plat_perf_state s;

	assert_int_equal(plat_perf_state(h->p, id, &s), 0);
	return s;
}

static void test_protocol_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(PERF(1, SCMI_PROTOCOL_VERSION, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x40000);
	assert_int_equal(PERF(1, SCMI_PROTOCOL_ATTRIBUTES, ), SCMI_SUCCESS);
	assert_int_equal(nv, 4);
	assert_int_equal(v[0], 3u | (1u << 16));    /* 3 domains, power in mW */
	assert_int_equal(v[1] | v[2] | v[3], 0);     /* no statistics memory */
	for (uint8_t m = SCMI_PERF_DOMAIN_ATTRIBUTES; m <= SCMI_PERF_DOMAIN_NAME_GET; m++) {
		assert_int_equal(PERF(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, m), SCMI_SUCCESS);
		assert_int_equal(v[0], 0);           /* no fastchannels */
	}
	/* 0xd..0xf and 0x11.. are no PERF commands at v4.0 */
	assert_int_equal(PERF(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0xd), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0x11), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0x100), SCMI_NOT_FOUND);

	ph_free(h);
	h = *state = ph_new("agents = [ \"id=1,name=a\" ]\nperf_power_unit = \"uw\"\n"
			    "perf = [ \"name=x,levels=5:1:1:1\" ]\n");
	assert_int_equal(PERF(1, SCMI_PROTOCOL_ATTRIBUTES, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 1u | (1u << 17));
	ph_free(h);
	h = *state = ph_new("agents = [ \"id=1,name=a\" ]\nperf_power_unit = \"abstract\"\n"
			    "perf = [ \"name=x,levels=5:1:1:1\" ]\n");
	assert_int_equal(PERF(1, SCMI_PROTOCOL_ATTRIBUTES, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 1u);
}

static void test_domain_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(PERF(2, SCMI_PERF_DOMAIN_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 8);
	assert_int_equal(v[0], (1u << 31) | (1u << 30) | (1u << 29) | (1u << 28) | (1u << 26));
	assert_int_equal(v[1], 500);
	assert_int_equal(v[2], 1500000);
	assert_int_equal(v[3], 300);
	assert_string_equal(ph_str(h, 16, 16), "cpu0");
	/* agent 3 may not control domain 0: no set bits */
	assert_int_equal(PERF(3, SCMI_PERF_DOMAIN_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], (1u << 29) | (1u << 28) | (1u << 26));
	/* level indexing, no limits control, no level notifications */
	assert_int_equal(PERF(3, SCMI_PERF_DOMAIN_ATTRIBUTES, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], (1u << 30) | (1u << 29) | (1u << 26) | (1u << 25));
	assert_string_equal(ph_str(h, 16, 16), "gpu_with_a_long");
	/* defaults: sustained = highest level */
	assert_int_equal(PERF(3, SCMI_PERF_DOMAIN_ATTRIBUTES, 2), SCMI_SUCCESS);
	assert_int_equal(v[2], 20);
	assert_int_equal(v[3], 20);
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_ATTRIBUTES, 3), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_ATTRIBUTES, ), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, 8 + 20);
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_ATTRIBUTES, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

/* Read the 20 levels of domain 2 with capacity `cap`, `words` per entry. */
static void read_levels(struct ph *h, size_t cap, unsigned per_page, unsigned words)
{
	uint32_t v[128];
	unsigned nv, idx = 0, pages = 0;

	ph_set_cap(h, cap);
	while (idx < 20) {
		unsigned ret, rem;

		assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_LEVELS, 2, idx), SCMI_SUCCESS);
		ret = v[0] & 0xffff;
		rem = v[0] >> 16;
		assert_true(ret >= 1 && ret <= per_page);
		assert_int_equal(idx + ret + rem, 20);
		assert_int_equal(nv, 1 + words * ret);
		for (unsigned i = 0; i < ret; i++) {
			assert_int_equal(v[1 + words * i], idx + i + 1);
			if (words == 5) {
				assert_int_equal(v[1 + words * i + 3], idx + i + 1);  /* kHz */
				assert_int_equal(v[1 + words * i + 4], idx + i);      /* index */
			}
		}
		idx += ret;
		pages++;
	}
	assert_int_equal(pages, (20 + per_page - 1) / per_page);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

static void test_describe_levels(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	read_levels(h, SCMI_LINUX_MSG_SIZE, 6, 5);
	read_levels(h, 8 + 4 + 20, 1, 5);
	read_levels(h, 8 + 4 + 20 * 4 + 19, 4, 5);
	ph_set_cap(h, 8 + 4 + 19);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_LEVELS, 2, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_LEVELS, 2, 20), SCMI_OUT_OF_RANGE);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_LEVELS, 3, 0), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_LEVELS, 2), SCMI_PROTOCOL_ERROR);
	/* entry content: power, latency (16 bits, saturated) */
	assert_int_equal(PERF(2, SCMI_PERF_DESCRIBE_LEVELS, 0, 2), SCMI_SUCCESS);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[1], 300);
	assert_int_equal(v[2], 250);
	assert_int_equal(v[3], 30);
	assert_int_equal(v[4], 1500000);
	assert_int_equal(v[5], 2);
	assert_int_equal(v[8], 0xffff);
	/* an agent that negotiated v3.0 gets 3-word entries */
	assert_int_equal(PERF(1, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000), SCMI_SUCCESS);
	read_levels(h, SCMI_LINUX_MSG_SIZE, 10, 3);
	read_levels(h, 8 + 4 + 12, 1, 3);
}

static int32_t level_set(struct ph *h, unsigned agent, uint32_t dom, uint32_t level)
{
	uint32_t v[4];
	unsigned nv = 4;

	return ph_call(h, agent, P, SCMI_PERF_LEVEL_SET, v, &nv, dom, level);
}

static int32_t limits_set(struct ph *h, unsigned agent, uint32_t dom, uint32_t max,
			  uint32_t min)
{
	uint32_t v[4];
	unsigned nv = 4;

	return ph_call(h, agent, P, SCMI_PERF_LIMITS_SET, v, &nv, dom, max, min);
}

static void test_levels_multi_agent(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(phys(h, 0).level, 200);             /* initial level */
	assert_int_equal(level_set(h, 2, 0, 100), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0).level, 100);
	assert_int_equal(level_set(h, 1, 0, 300), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0).level, 300);             /* max of requests */
	assert_int_equal(PERF(2, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 1);
	assert_int_equal(v[0], 300);                          /* physical level */
	assert_int_equal(level_set(h, 1, 0, 100), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0).level, 100);
	/* errors */
	assert_int_equal(level_set(h, 2, 0, 150), SCMI_OUT_OF_RANGE);
	assert_int_equal(level_set(h, 2, 0, 0), SCMI_OUT_OF_RANGE);
	assert_int_equal(level_set(h, 2, 0, 500), SCMI_OUT_OF_RANGE);
	assert_int_equal(level_set(h, 3, 0, 200), SCMI_DENIED);
	assert_int_equal(level_set(h, 2, 3, 200), SCMI_NOT_FOUND);
	assert_int_equal(PERF(2, SCMI_PERF_LEVEL_GET, 3), SCMI_NOT_FOUND);
	assert_int_equal(PERF(2, SCMI_PERF_LEVEL_SET, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(PERF(2, SCMI_PERF_LEVEL_GET, 0, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(phys(h, 0).level, 100);
	/* level indexing: values are indexes */
	assert_int_equal(PERF(3, SCMI_PERF_LEVEL_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 0);
	assert_int_equal(level_set(h, 3, 1, 2), SCMI_SUCCESS);
	assert_int_equal(phys(h, 1).level, 3);                /* perf value of index 2 */
	assert_int_equal(PERF(2, SCMI_PERF_LEVEL_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 2);
	assert_int_equal(level_set(h, 3, 1, 3), SCMI_OUT_OF_RANGE);
}

static void test_limits(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;
	struct plat_perf_state s;

	assert_int_equal(PERF(2, SCMI_PERF_LIMITS_GET, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 2);
	assert_int_equal(v[0], 400);
	assert_int_equal(v[1], 100);
	assert_int_equal(level_set(h, 1, 0, 400), SCMI_SUCCESS);
	assert_int_equal(limits_set(h, 2, 0, 300, 100), SCMI_SUCCESS);
	s = phys(h, 0);
	assert_int_equal(s.level, 300);                        /* clamped */
	assert_int_equal(s.max, 300);
	assert_int_equal(limits_set(h, 1, 0, 400, 200), SCMI_SUCCESS);
	s = phys(h, 0);
	assert_int_equal(s.max, 300);                           /* lowest max */
	assert_int_equal(s.min, 200);                           /* highest min */
	assert_int_equal(PERF(3, SCMI_PERF_LIMITS_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 300);
	assert_int_equal(v[1], 200);
	/* crossing limits: the cap wins */
	assert_int_equal(limits_set(h, 2, 0, 100, 100), SCMI_SUCCESS);
	s = phys(h, 0);
	assert_int_equal(s.max, 100);
	assert_int_equal(s.min, 100);
	assert_int_equal(s.level, 100);
	/* a request below the min is raised to it */
	assert_int_equal(limits_set(h, 2, 0, 400, 300), SCMI_SUCCESS);
	assert_int_equal(level_set(h, 1, 0, 100), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0).level, 300);
	/* errors */
	assert_int_equal(limits_set(h, 2, 0, 100, 200), SCMI_INVALID_PARAMETERS);
	assert_int_equal(limits_set(h, 2, 0, 250, 100), SCMI_OUT_OF_RANGE);
	assert_int_equal(limits_set(h, 2, 0, 400, 50), SCMI_OUT_OF_RANGE);
	assert_int_equal(limits_set(h, 3, 0, 400, 100), SCMI_DENIED);
	assert_int_equal(limits_set(h, 1, 1, 2, 0), SCMI_DENIED);   /* set_limits=0 */
	assert_int_equal(limits_set(h, 1, 3, 2, 0), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_LIMITS_GET, 3), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_LIMITS_SET, 0, 400), SCMI_PROTOCOL_ERROR);
	/* level indexing: limits as indexes */
	assert_int_equal(PERF(1, SCMI_PERF_LIMITS_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[1], 0);
}

static void test_notifications(void **state)
{
	struct ph *h = *state;
	uint32_t v[128], hdr, w[16];
	unsigned nv, nw = 16;

	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 0, 1), SCMI_SUCCESS);
	assert_int_equal(PERF(2, SCMI_PERF_NOTIFY_LIMITS, 0, 1), SCMI_SUCCESS);
	assert_int_equal(level_set(h, 2, 0, 400), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &nw), 16);
	assert_int_equal(hdr, scmi_hdr(P, SCMI_PERF_LEVEL_CHANGED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(w[0], 2);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 400);
	assert_int_equal(plat_p2a_pending(h->p, 2) + plat_p2a_pending(h->p, 3), 0);
	/* the same level again: no notification */
	assert_int_equal(level_set(h, 2, 0, 400), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	/* limits change: agent 2 gets LIMITS_CHANGED, agent 1 LEVEL_CHANGED */
	assert_int_equal(limits_set(h, 1, 0, 300, 200), SCMI_SUCCESS);
	ph_advance(h, 0);
	nw = 16;
	assert_int_equal(ph_pop(h, 2, &hdr, w, &nw), 20);
	assert_int_equal(scmi_hdr_msg_id(hdr), SCMI_PERF_LIMITS_CHANGED);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 300);
	assert_int_equal(w[3], 200);
	nw = 16;
	assert_int_equal(ph_pop(h, 1, &hdr, w, &nw), 16);
	assert_int_equal(w[2], 300);
	assert_int_equal(plat_p2a_pending(h->p, 3), 0);
	/* unsubscribe */
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 0, 0), SCMI_SUCCESS);
	assert_int_equal(limits_set(h, 1, 0, 200, 200), SCMI_SUCCESS);
	ph_advance(h, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(plat_p2a_pending(h->p, 2), 1);
	/* errors */
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 1, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 0, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LIMITS, 0, 0x80000001u),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(PERF(3, SCMI_PERF_NOTIFY_LIMITS, 0, 1), SCMI_DENIED);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LIMITS, 3, 1), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 3, 1), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 0), SCMI_PROTOCOL_ERROR);
}

static void test_fastchannel_and_name(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_FASTCHANNEL, 0, SCMI_PERF_LEVEL_SET),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_FASTCHANNEL, 0, SCMI_PERF_LIMITS_GET),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_FASTCHANNEL, 3, SCMI_PERF_LEVEL_SET),
			 SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_DESCRIBE_FASTCHANNEL, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_NAME_GET, 1), SCMI_SUCCESS);
	assert_int_equal(nv, 17);
	assert_string_equal(ph_str(h, 4, 64), "gpu_with_a_long_domain_name");
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_NAME_GET, 3), SCMI_NOT_FOUND);
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_NAME_GET, ), SCMI_PROTOCOL_ERROR);
}

/* An agent that negotiated v3.x never sees level indexing. */
static void test_v3_agent_indexing(void **state)
{
	struct ph *h = *state;
	uint32_t v[128], w[8];
	unsigned nv, nw = 8;

	assert_int_equal(PERF(1, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000), SCMI_SUCCESS);
	assert_int_equal(PERF(1, SCMI_PERF_DOMAIN_ATTRIBUTES, 1), SCMI_SUCCESS);
	assert_int_equal(v[0] & (1u << 25), 0);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LIMITS, 1, 1), SCMI_SUCCESS);
	assert_int_equal(PERF(2, SCMI_PERF_NOTIFY_LIMITS, 1, 1), SCMI_SUCCESS);
	assert_int_equal(level_set(h, 1, 1, 4), SCMI_OUT_OF_RANGE);
	assert_int_equal(level_set(h, 1, 1, 1), SCMI_SUCCESS);
	assert_int_equal(level_set(h, 1, 1, 3), SCMI_SUCCESS);     /* perf value 3 */
	assert_int_equal(phys(h, 1).level, 3);
	assert_int_equal(PERF(1, SCMI_PERF_LEVEL_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 3);
	assert_int_equal(PERF(2, SCMI_PERF_LEVEL_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 2);                                 /* index for v4 */
	assert_int_equal(PERF(1, SCMI_PERF_LIMITS_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 1);
	/* one LIMITS_CHANGED, each agent in its own encoding (domain 1 above
	 * has set_limits=0: use a platform of its own) */
	ph_free(h);
	h = *state = ph_new("agents = [ \"id=1,name=a\", \"id=2,name=b\" ]\n"
			    "perf = [ \"name=x,levels=10:1:1:1 20:1:1:1 30:1:1:1,"
			    "level_indexing=1\" ]\n");
	assert_int_equal(PERF(1, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000), SCMI_SUCCESS);
	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LIMITS, 0, 1), SCMI_SUCCESS);
	assert_int_equal(PERF(2, SCMI_PERF_NOTIFY_LIMITS, 0, 1), SCMI_SUCCESS);
	assert_int_equal(limits_set(h, 2, 0, 1, 0), SCMI_SUCCESS);  /* indexes */
	assert_int_equal(limits_set(h, 1, 0, 20, 5), SCMI_OUT_OF_RANGE);
	ph_advance(h, 0);
	assert_int_equal(ph_pop(h, 1, NULL, w, &nw), 20);
	assert_int_equal(w[2], 20);
	assert_int_equal(w[3], 10);
	nw = 8;
	assert_int_equal(ph_pop(h, 2, NULL, w, &nw), 20);
	assert_int_equal(w[2], 1);
	assert_int_equal(w[3], 0);
}

static void test_reset_agent(void **state)
{
	struct ph *h = *state;
	uint32_t v[128], w[8];
	unsigned nv, nw = 8;

	assert_int_equal(PERF(1, SCMI_PERF_NOTIFY_LEVEL, 0, 1), SCMI_SUCCESS);
	assert_int_equal(PERF(2, SCMI_PERF_NOTIFY_LEVEL, 0, 1), SCMI_SUCCESS);
	assert_int_equal(level_set(h, 2, 0, 400), SCMI_SUCCESS);
	assert_int_equal(limits_set(h, 2, 0, 400, 300), SCMI_SUCCESS);
	ph_advance(h, 0);
	while (ph_pop(h, 1, NULL, NULL, NULL) || ph_pop(h, 2, NULL, NULL, NULL))
		;
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 v, &nv, 2, 0), SCMI_SUCCESS);
	/* back to the initial level and full limits, announced by the platform */
	assert_int_equal(phys(h, 0).level, 200);
	assert_int_equal(phys(h, 0).min, 100);
	ph_advance(h, 0);
	assert_int_equal(ph_pop(h, 1, NULL, w, &nw), 16);
	assert_int_equal(w[0], 0);
	assert_int_equal(w[2], 200);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);       /* its subscription is gone */
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(limits_set(h, 2, 0, 300, 200), SCMI_SUCCESS);
	plat_dump_state(h->p, f, true);
	plat_dump_state(h->p, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "\"perf\":[{\"id\":0,\"name\":\"cpu0\",\"level\":200,"
				    "\"min\":200,\"max\":300}"));
	assert_non_null(strstr(buf, "perf 2 big: level=20 limits=[1,20]"));
	free(buf);
	assert_int_equal(plat_perf_state(h->p, 3, &(struct plat_perf_state){ 0 }), -1);
}

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
	expect_error(AG "perf = [ \"name=x\" ]\n", "test.cfg:2: missing levels=");
	expect_error(AG "perf = [\n\"levels=1:1:1:1\" ]\n", "test.cfg:3: missing name=");
	expect_error(AG "perf = [ \"name=x,levels=1:1:1\" ]\n",
		     "test.cfg:2: levels: want PERF:POWER:LATENCY_US:FREQ_KHZ items");
	expect_error(AG "perf = [ \"name=x,levels=1:1:1:1:1\" ]\n",
		     "test.cfg:2: levels: want PERF:POWER:LATENCY_US:FREQ_KHZ");
	expect_error(AG "perf = [ \"name=x,levels=1:a:1:1\" ]\n",
		     "test.cfg:2: levels: want PERF");
	expect_error(AG "perf = [ \"name=x,levels=2:1:1:1 2:1:1:1\" ]\n",
		     "test.cfg:2: levels: PERF values must strictly ascend");
	expect_error(AG "perf = [ \"name=x,levels=0:1:1:1\" ]\n",
		     "test.cfg:2: levels: performance level 0 is not allowed");
	expect_error(AG "perf = [ \"name=x,levels=1:1:1:1,level=2\" ]\n",
		     "test.cfg:2: level=2 is not one of levels=");
	expect_error(AG "perf = [ \"name=x,levels=1:1:1:1,rate_limit=1048576\" ]\n",
		     "test.cfg:2:");
	expect_error(AG "perf = [ \"name=x,levels=1:1:1:1,fastchannel=1\" ]\n",
		     "test.cfg:2: unknown key 'fastchannel'");
	expect_error(AG "perf = [ \"name=x,levels=1:1:1:1,set_level=2\" ]\n",
		     "test.cfg:2: 'set_level': '2' is not a boolean");
	expect_error(AG "perf_power_unit = \"kw\"\nperf = [ \"name=x,levels=1:1:1:1\" ]\n",
		     "test.cfg:2: perf_power_unit: 'kw' is not mw, uw or abstract");
	expect_error(AG "perf = \"name=x\"\n", "test.cfg:2:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels_multi_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fastchannel_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v3_agent_indexing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_broken_configs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
