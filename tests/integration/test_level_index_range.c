// SPDX-License-Identifier: GPL-2.0-only
/*
 * range= on a PERF v4 level-indexing domain, end to end: guests on
 * platform channel 0 of the reference platform (tests/data/integration/
 * perf_indexing.cfg: domain 1 in level-indexing mode, 10 levels) through
 * the real guest filter (view, arbiter, discovery cache). The guest sees
 * the allowed run of platform level indexes as 0..count-1 everywhere an
 * index travels; the arbiter and the platform see platform indexes.
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
#include "config/platform_desc.h"
#include "config/policy_cfg.h"
#include "mediator/chan_share.h"
#include "mediator/guest_filter.h"
#include "mediator/scmi_msg.h"
#include "tests/support/core_env.h"

#define P SCMI_PROTO_PERF
#define MED 1                          /* the mediator's platform agent */
#define DOM 1                          /* the level-indexing domain */

/* guest a: platform indexes 2..8 (7 levels: two Linux pages of 6 + 1);
 * guest b: 5..20 within 10 levels: 5..9; guest c: no range */
static const char pol_a[] =
	"protocols = [ \"perf\" ]\nnotifications = 1\n"
	"perf = [ \"guest=0,platform=1,rights=control,share=max,range=2-8\" ]\n";
static const char pol_b[] =
	"protocols = [ \"perf\" ]\nnotifications = 1\n"
	"perf = [ \"guest=0,platform=1,rights=control,share=max,range=5-20\" ]\n";
static const char pol_c[] =
	"protocols = [ \"perf\" ]\nnotifications = 1\n"
	"perf = [ \"guest=0,platform=1,rights=control,share=max\" ]\n";

struct env {
	struct core_env *ce;
	struct chan_share *cs;
	struct policy *pol[3];
	struct guest_filter *gf[3];
	struct ce_guest *g[3];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	const char *text[3] = { pol_a, pol_b, pol_c };
	char *cfg = slurp("tests/data/integration/perf_indexing.cfg");
	unsigned i;

	assert_non_null(e);
	e->ce = ce_new(cfg);
	free(cfg);
	e->cs = chan_share_new(e->ce->d, 0, 1u << 16);
	assert_non_null(e->cs);
	for (i = 0; i < 3; i++) {
		struct view_config vc = { .plat_agent_id = MED, .guest_agent_id = 1 };

		e->pol[i] = policy_load_data("lvl.policy", text[i], e->ce->desc, stderr);
		assert_non_null(e->pol[i]);
		vc.pol = e->pol[i];
		e->gf[i] = guest_filter_new(&vc);
		assert_non_null(e->gf[i]);
		assert_int_equal(guest_filter_set_share(e->gf[i], e->cs), 0);
		e->g[i] = ce_guest_add(e->ce, 0);
		agent_set_filter(e->g[i]->a, &guest_filter_ops, e->gf[i]);
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	unsigned i;

	/* the filters' votes are withdrawn while the dispatcher still exists */
	for (i = 0; i < 3; i++) {
		agent_set_filter(e->g[i]->a, NULL, NULL);
		guest_filter_free(e->gf[i]);
		policy_free(e->pol[i]);
	}
	chan_share_free(e->cs);
	ce_free(e->ce);
	free(e);
	return 0;
}

static unsigned plat_level(struct env *e)
{
	struct plat_perf_state ps;

	assert_int_equal(plat_perf_state(e->ce->p, DOM, &ps), 0);
	return ps.level;                  /* a PERF value: 100 * (index + 1) */
}

/* Linux's discovery and walk: perf values into out, checking the entries'
 * level_index fields are dense from 0; returns the count. */
static unsigned walk(struct ce_guest *g, uint32_t *out, unsigned max)
{
	uint32_t idx = 0, f = 0, n, i;
	unsigned cnt = 0;

	assert_int_equal(ce_cmd(g, P, SCMI_PROTOCOL_VERSION), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(g, P, SCMI_PERF_DOMAIN_ATTRIBUTES, 0), SCMI_SUCCESS);
	assert_true(ce_val(g, 0) & SCMI_PERF_DOM_LEVEL_INDEXING);
	do {
		assert_int_equal(ce_cmd(g, P, SCMI_PERF_DESCRIBE_LEVELS, 0, idx), SCMI_SUCCESS);
		f = ce_val(g, 0);
		n = f & SCMI_LIST_RETURNED_MASK;
		assert_int_equal(g->resp_len, 12 + n * SCMI_PERF_LEVEL_V4_LEN);
		assert_true(g->resp_len <= SCMI_LINUX_MSG_SIZE);
		for (i = 0; i < n; i++) {
			const uint8_t *ent = g->resp + 12 + i * SCMI_PERF_LEVEL_V4_LEN;

			assert_int_equal(scmi_get_le32(ent + 16), idx + i);
			if (cnt < max)
				out[cnt++] = scmi_get_le32(ent);
		}
		idx += n;
	} while (n && (f >> SCMI_LIST_REMAINING_SHIFT));
	return cnt;
}

static void test_list_and_levels(void **state)
{
	struct env *e = *state;
	struct ce_guest *a = e->g[0];
	uint32_t v[16];
	uint64_t n0;
	unsigned n, i;

	n = walk(a, v, 16);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], 100 * (i + 3));   /* platform indexes 2..8 */
	/* the second page starts at guest index 6 */
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_DESCRIBE_LEVELS, 0, 6), SCMI_SUCCESS);
	assert_int_equal(ce_val(a, 0), 1);
	assert_int_equal(scmi_get_le32(a->resp + 12), 900);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_DESCRIBE_LEVELS, 0, 7), SCMI_OUT_OF_RANGE);

	/* LEVEL_SET guest 0 = platform index 2 */
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_SET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 300);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(a, 0), 0);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_SET, 0, 6), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 900);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(a, 0), 6);

	/* out of the run: OUT_OF_RANGE, nothing reaches the platform */
	n0 = plat_commands_received(e->ce->p, MED);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_SET, 0, 7), SCMI_OUT_OF_RANGE);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_SET, 0, 7, 0), SCMI_OUT_OF_RANGE);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_SET, 0, 3, 9), SCMI_OUT_OF_RANGE);
	assert_int_equal(plat_commands_received(e->ce->p, MED), n0);
	assert_int_equal(plat_level(e), 900);

	/* LIMITS_SET guest 1..4 = platform 3..6; read back in guest indexes */
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_SET, 0, 4, 1), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 700);      /* 900 capped at index 6 */
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(a, 0), 4);
	assert_int_equal(ce_val(a, 1), 1);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_SET, 0, 6, 0), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(a, 0), 6);
	assert_int_equal(ce_val(a, 1), 0);
}

static void test_notifications(void **state)
{
	struct env *e = *state;
	struct ce_guest *a = e->g[0], *c = e->g[2];
	uint32_t v[16];
	unsigned ea, ec;

	walk(a, v, 16);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_NOTIFY_LEVEL, 0, 1), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_NOTIFY_LIMITS, 0, 1), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(c, P, SCMI_PERF_NOTIFY_LEVEL, 0, 1), SCMI_SUCCESS);
	ce_run(e->ce, 10);
	ea = a->nev;
	ec = c->nev;
	/* guest a sets its index 3: platform index 5 */
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_SET, 0, 3), SCMI_SUCCESS);
	ce_run(e->ce, 20);
	assert_int_equal(plat_level(e), 600);
	assert_int_equal(a->nev, ea + 1);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(a->ev[ea])), SCMI_PERF_LEVEL_CHANGED);
	assert_int_equal(scmi_get_le32(a->ev[ea] + 8), 0);
	assert_int_equal(scmi_get_le32(a->ev[ea] + 12), 3);
	/* guest c (no range) hears the platform index */
	assert_int_equal(c->nev, ec + 1);
	assert_int_equal(scmi_get_le32(c->ev[ec] + 12), 5);
	/* limits changed: guest indexes */
	ea = a->nev;
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LIMITS_SET, 0, 5, 2), SCMI_SUCCESS);
	ce_run(e->ce, 20);
	assert_true(a->nev > ea);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(a->ev[ea])), SCMI_PERF_LIMITS_CHANGED);
	assert_int_equal(scmi_get_le32(a->ev[ea] + 12), 5);
	assert_int_equal(scmi_get_le32(a->ev[ea] + 16), 2);
}

/* Two guests with different ranges: the arbiter takes the highest level in
 * platform indexes; each reads back its own request in its own indexes. */
static void test_arbitration(void **state)
{
	struct env *e = *state;
	struct ce_guest *a = e->g[0], *b = e->g[1];
	uint32_t v[16];
	unsigned n;

	walk(a, v, 16);
	n = walk(b, v, 16);
	assert_int_equal(n, 5);
	assert_int_equal(v[0], 600);               /* platform index 5 */
	assert_int_equal(v[4], 1000);
	/* a: guest 4 = platform 6; b: guest 0 = platform 5 -> 6 wins */
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_SET, 0, 4), SCMI_SUCCESS);
	assert_int_equal(ce_cmd(b, P, SCMI_PERF_LEVEL_SET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 700);
	/* b: guest 2 = platform 7 (above a's 6, in guest numbers below) */
	assert_int_equal(ce_cmd(b, P, SCMI_PERF_LEVEL_SET, 0, 2), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 800);
	assert_int_equal(ce_cmd(a, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(a, 0), 4);
	assert_int_equal(ce_cmd(b, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(b, 0), 2);
	/* b drops to its 0 (platform 5): a's platform 6 is the highest */
	assert_int_equal(ce_cmd(b, P, SCMI_PERF_LEVEL_SET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 700);
	/* b's 5 is past its run (5 levels): refused before the arbiter */
	assert_int_equal(ce_cmd(b, P, SCMI_PERF_LEVEL_SET, 0, 5), SCMI_OUT_OF_RANGE);
	assert_int_equal(plat_level(e), 700);
}

/* A guest without range= sees the platform's list and indexes untouched. */
static void test_no_range_identical(void **state)
{
	struct env *e = *state;
	struct ce_guest *c = e->g[2];
	uint32_t v[16];
	uint8_t direct[SCMI_MSG_MAX];
	unsigned n;

	n = walk(c, v, 16);
	assert_int_equal(n, 10);
	assert_int_equal(ce_cmd(c, P, SCMI_PERF_DESCRIBE_LEVELS, 0, 6), SCMI_SUCCESS);
	memcpy(direct, c->resp, c->resp_len);
	assert_int_equal(c->resp_len, 12 + 4 * SCMI_PERF_LEVEL_V4_LEN);
	assert_int_equal(scmi_get_le32(direct + 12 + 16), 6);
	assert_int_equal(ce_cmd(c, P, SCMI_PERF_LEVEL_SET, 0, 9), SCMI_SUCCESS);
	assert_int_equal(plat_level(e), 1000);
	assert_int_equal(ce_cmd(c, P, SCMI_PERF_LEVEL_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(c, 0), 9);
	assert_int_equal(ce_cmd(c, P, SCMI_PERF_LIMITS_GET, 0), SCMI_SUCCESS);
	assert_int_equal(ce_val(c, 0), 9);
	assert_int_equal(ce_val(c, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_and_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arbitration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_range_identical, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
