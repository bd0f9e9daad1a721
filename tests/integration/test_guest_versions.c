// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protocol versions per guest on the embedded platform (PERF v4.0, CLOCK
 * v3.0): NEGOTIATE_PROTOCOL_VERSION answered per guest and never sent to
 * the shared platform agent; `versions = [ "perf=3.0" ]` presents PERF 3.0
 * (DESCRIBE_LEVELS in v3 entries, paginated, equal to the platform's
 * levels; DOMAIN_ATTRIBUTES without v4 bits); CLOCK 2.0; config errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/platform_desc.h"
#include "config/policy_cfg.h"
#include "mediator/agent.h"
#include "mediator/scmi_msg.h"
#include "tests/support/policy_env.h"

#define P SCMI_PROTO_PERF
#define CK SCMI_PROTO_CLOCK

/* cpu_little (platform perf domain 0) in config/platforms/reference.cfg */
static const uint32_t little[4][5] = {
	{ 300, 60, 150, 300000, 0 }, { 600, 140, 150, 600000, 1 },
	{ 1000, 300, 200, 1000000, 2 }, { 1400, 520, 250, 1400000, 3 },
};

static const char *write_pol(const char *name, const char *text)
{
	static char path[4][128];
	static unsigned k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, 128, "/tmp/scmi-test-versions-%d-%s", (int)getpid(), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* g0: perf=3.0 (perf 0 -> platform 0, clock 0 -> platform 6, clock=2.0),
 * g1: plain (perf 0 -> platform 1), g2: plain (perf 0 -> platform 0, read),
 * all served as platform agent 1. */
static struct penv *env(void)
{
	const char *pols[3];
	static const unsigned agents[] = { 1, 1, 1 };
	struct penv *e;

	pols[0] = write_pol("g0", "protocols = [ \"perf\", \"clock\" ]\n"
			    "versions = [ \"perf=3.0\", \"clock=2.0\" ]\n"
			    "perf = [ \"guest=0,platform=0,rights=read\" ]\n"
			    "clocks = [ \"guest=0,platform=6,rights=read\" ]\n");
	pols[1] = write_pol("g1", "perf = [ \"guest=0,platform=1\" ]\n");
	pols[2] = write_pol("g2", "perf = [ \"guest=0,platform=0,rights=read\" ]\n");
	e = penv_new(pols, agents, 3);
	assert_non_null(e);
	for (unsigned i = 0; i < 3; i++)
		unlink(pols[i]);
	return e;
}

static int32_t callw(struct penv *e, unsigned gi, uint8_t proto, uint8_t msg, uint32_t a0,
		     uint32_t a1, unsigned n, size_t resp_max)
{
	uint8_t m[12];

	scmi_put_le32(m, scmi_hdr(proto, msg, 0, 0));
	scmi_put_le32(m + 4, a0);
	scmi_put_le32(m + 8, a1);
	return penv_call(e, gi, m, 4 + 4 * n, resp_max);
}

static uint32_t rw(struct penv *e, unsigned gi, unsigned word)
{
	return scmi_get_le32(e->g[gi].resp + 8 + 4 * word);
}

/* All levels of guest domain 0 with replies of at most resp_max bytes;
 * checks entry size and values against the platform's. */
static void check_levels(struct penv *e, unsigned gi, size_t resp_max, size_t entry)
{
	uint32_t idx = 0;
	unsigned pages = 0;

	while (idx < 4) {
		uint32_t w, n, rem;

		assert_int_equal(callw(e, gi, P, SCMI_PERF_DESCRIBE_LEVELS, 0, idx, 2, resp_max),
				 SCMI_SUCCESS);
		w = rw(e, gi, 0);
		n = w & 0xfff;
		rem = w >> 16;
		assert_true(n > 0);
		assert_int_equal(n + rem, 4 - idx);
		assert_int_equal(e->g[gi].resp_len, 12 + n * entry);
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *x = e->g[gi].resp + 12 + i * entry;

			for (unsigned k = 0; k < entry / 4; k++)
				assert_int_equal(scmi_get_le32(x + 4 * k), little[idx + i][k]);
		}
		idx += n;
		pages++;
	}
	assert_true(pages >= 1);
}

static void test_perf_v3_guest(void **state)
{
	struct penv *e = env();

	(void)state;
	/* the capped guest sees 3.0, the others the platform's 4.0 */
	assert_int_equal(callw(e, 0, P, SCMI_PROTOCOL_VERSION, 0, 0, 0, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 0, 0), 0x30000);
	assert_int_equal(callw(e, 2, P, SCMI_PROTOCOL_VERSION, 0, 0, 0, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 2, 0), 0x40000);
	/* v3 entries with the platform's values; one page and several pages */
	check_levels(e, 0, 136, SCMI_PERF_LEVEL_V3_LEN);
	check_levels(e, 0, 12 + 2 * SCMI_PERF_LEVEL_V4_LEN, SCMI_PERF_LEVEL_V3_LEN);
	check_levels(e, 0, 12 + 1 * SCMI_PERF_LEVEL_V4_LEN, SCMI_PERF_LEVEL_V3_LEN);
	/* the same (cached) platform answers stay v4 for the other guest */
	check_levels(e, 2, 136, SCMI_PERF_LEVEL_V4_LEN);
	check_levels(e, 2, 12 + 2 * SCMI_PERF_LEVEL_V4_LEN, SCMI_PERF_LEVEL_V4_LEN);
	/* DOMAIN_ATTRIBUTES: only bits 31:26 for v3 */
	assert_int_equal(callw(e, 0, P, SCMI_PERF_DOMAIN_ATTRIBUTES, 0, 0, 1, 136),
			 SCMI_SUCCESS);
	assert_int_equal(rw(e, 0, 0) & ~SCMI_PERF_DOM_V3_MASK, 0);
	assert_true(rw(e, 0, 0) & (1u << 26));   /* extended name stays */
	assert_true(agent_stats(e->g[0].a)->converted > 0);
	assert_int_equal(agent_stats(e->g[2].a)->converted, 0);
	penv_free(e);
}

static void test_negotiate_per_guest(void **state)
{
	struct penv *e = env();
	uint64_t before;

	(void)state;
	/* g1 (plain) negotiates 3.0: SUCCESS for g1 alone */
	assert_int_equal(callw(e, 1, P, SCMI_PROTOCOL_VERSION, 0, 0, 0, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 1, 0), 0x40000);
	before = penv_plat_count(e, 1);
	assert_int_equal(callw(e, 1, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000, 0, 1, 136),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(e->g[1].resp)),
			 SCMI_NEGOTIATE_PROTOCOL_VERSION);
	assert_int_equal(e->g[1].resp_len, 8);
	/* answered from the cached PROTOCOL_VERSION: the platform saw nothing */
	assert_int_equal(penv_plat_count(e, 1), before);
	assert_int_equal(agent_version(e->g[1].a, P), 0x30000);
	assert_int_equal(callw(e, 1, P, SCMI_PROTOCOL_VERSION, 0, 0, 0, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 1, 0), 0x30000);
	/* g1's levels are v3 now (platform domain 1: cpu_big, 500 first) */
	assert_int_equal(callw(e, 1, P, SCMI_PERF_DESCRIBE_LEVELS, 0, 0, 2, 136), SCMI_SUCCESS);
	assert_int_equal(e->g[1].resp_len, 12 + 4 * SCMI_PERF_LEVEL_V3_LEN);
	assert_int_equal(rw(e, 1, 1), 500);
	assert_int_equal(rw(e, 1, 4), 1000);
	/* g2 on the same platform agent is unaffected: v4 everywhere */
	assert_int_equal(callw(e, 2, P, SCMI_PROTOCOL_VERSION, 0, 0, 0, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 2, 0), 0x40000);
	check_levels(e, 2, 136, SCMI_PERF_LEVEL_V4_LEN);
	/* versions the mediator does not present */
	assert_int_equal(callw(e, 2, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x50000, 0, 1, 136),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(callw(e, 2, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x20000, 0, 1, 136),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(agent_version(e->g[2].a, P), 0x40000);
	/* the capped guest: 3.0 yes, 4.0 no */
	assert_int_equal(callw(e, 0, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x40000, 0, 1, 136),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(callw(e, 0, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000, 0, 1, 136),
			 SCMI_SUCCESS);
	/* g1 negotiates back to 4.0 */
	assert_int_equal(callw(e, 1, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x40000, 0, 1, 136),
			 SCMI_SUCCESS);
	assert_int_equal(callw(e, 1, P, SCMI_PERF_DESCRIBE_LEVELS, 0, 0, 2, 136), SCMI_SUCCESS);
	assert_int_equal(e->g[1].resp_len, 12 + 4 * SCMI_PERF_LEVEL_V4_LEN);
	/* a reset forgets the negotiation */
	assert_int_equal(callw(e, 1, P, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30000, 0, 1, 136),
			 SCMI_SUCCESS);
	agent_reset(e->g[1].a);
	assert_int_equal(agent_version(e->g[1].a, P), 0x40000);
	/* a protocol the guest may not use: NOT_SUPPORTED from the view */
	assert_int_equal(callw(e, 1, CK, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x20000, 0, 1, 136),
			 SCMI_NOT_SUPPORTED);
	penv_free(e);
}

static void test_clock_v2_guest(void **state)
{
	struct penv *e = env();

	(void)state;
	/* first command is not PROTOCOL_VERSION: the agent asks itself */
	assert_int_equal(callw(e, 0, CK, SCMI_CLOCK_ATTRIBUTES, 0, 0, 1, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 0, 0) & ~SCMI_CLOCK_ATTR_V2_MASK, 0);
	assert_int_equal(callw(e, 0, CK, SCMI_PROTOCOL_VERSION, 0, 0, 0, 136), SCMI_SUCCESS);
	assert_int_equal(rw(e, 0, 0), 0x20000);
	for (uint8_t m = SCMI_CLOCK_CONFIG_GET; m <= SCMI_CLOCK_GET_PERMISSIONS; m++)
		assert_int_equal(callw(e, 0, CK, m, 0, 0, m == SCMI_CLOCK_PARENT_GET ||
				       m == SCMI_CLOCK_GET_PERMISSIONS ? 1 : 2, 136),
				 SCMI_NOT_FOUND);
	assert_int_equal(callw(e, 0, CK, SCMI_CLOCK_RATE_GET, 0, 0, 1, 136), SCMI_SUCCESS);
	penv_free(e);
}

static void expect_error(const struct plat_desc *pd, const char *text, const char *msg)
{
	char buf[2048] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct policy *p;

	assert_non_null(f);
	p = policy_load_data("t.policy", text, pd, f);
	fclose(f);
	if (p || !strstr(buf, msg))
		fail_msg("expected '%s', got '%s'", msg, buf);
}

static void test_config(void **state)
{
	struct plat_desc *pd = plat_desc_load("config/platforms/reference.cfg", stderr);
	struct policy *p;

	(void)state;
	assert_non_null(pd);
	p = policy_load_data("t.policy", "perf = [ \"guest=0,platform=0\" ]\n"
			     "versions = [ \"perf=3.0\" ]\n", pd, stderr);
	assert_non_null(p);
	assert_int_equal(p->version[POL_IDX(P)], 0x30000);
	policy_free(p);
	expect_error(pd, "perf = [ \"guest=0,platform=0\" ]\nversions = [ \"perf=5.0\" ]\n",
		     "t.policy:2: versions: perf=5.0 is above the platform's version 4.0");
	expect_error(pd, "perf = [ \"guest=0,platform=0\" ]\nversions = [ \"perf=2.0\" ]\n",
		     "t.policy:2: versions: the mediator cannot present perf=2.0");
	expect_error(pd, "perf = [ \"guest=0,platform=0\" ]\nversions = [ \"fan=1.0\" ]\n",
		     "t.policy:2: versions: unknown protocol 'fan'");
	expect_error(pd, "perf = [ \"guest=0,platform=0\" ]\nversions = [ \"perf=3\" ]\n",
		     "t.policy:2: versions: 'perf=3': use PROTOCOL=MAJOR.MINOR");
	expect_error(pd, "perf = [ \"guest=0,platform=0\" ]\nversions = [ \"clock=2.0\" ]\n",
		     "versions: protocol 'clock' is not allowed by 'protocols'");
	expect_error(pd, "perf = [ \"guest=0,platform=0\" ]\n"
		     "versions = [ \"perf=3.0\", \"perf=3.0\" ]\n", "listed twice");
	expect_error(pd, "perf = [ \"guest=0,platform=0\",\n \"guest=1,platform=2\" ]\n"
		     "versions = [ \"perf=3.0\" ]\n",
		     "t.policy:2: perf: platform domain 2 uses level indexing, which PERF 3.0");
	/* without a platform description: only what the mediator can convert to */
	expect_error(NULL, "perf = [ \"guest=0,platform=0\" ]\nversions = [ \"perf=2.0\" ]\n",
		     "cannot present perf=2.0");
	p = policy_load_data("t.policy", "perf = [ \"guest=0,platform=2\" ]\n"
			     "versions = [ \"perf=4.0\" ]\n", pd, stderr);
	assert_non_null(p);     /* the platform's own version: nothing to convert */
	policy_free(p);
	plat_desc_free(pd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_v3_guest),
		cmocka_unit_test(test_negotiate_per_guest),
		cmocka_unit_test(test_clock_v2_guest),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
