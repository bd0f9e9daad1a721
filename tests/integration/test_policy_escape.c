// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy-escape matrix: for every command of every protocol that carries a
 * resource id (the command tables of mediator/scmi_tables.c), a guest's
 * hidden ids, writes to read-only resources, out-of-range values, reserved
 * bits and disallowed protocols are answered by the mediator and never
 * reach the platform (its per-agent command counter does not move). Then
 * renumbering of attributes, lists, delayed responses and notifications,
 * and BASE as the policy draws it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tests/support/policy_env.h"
#include "mediator/policy.h"
#include "mediator/view.h"

#define MATRIX 0      /* tests/data/policy/matrix.policy as platform agent 2 */
#define GUEST2 1      /* config/examples/guest2.policy as platform agent 3 */

static int setup(void **state)
{
	static const char *const pols[] = { "tests/data/policy/matrix.policy",
					    "config/examples/guest2.policy" };
	static const unsigned agents[] = { 2, 3 };

	*state = penv_new(pols, agents, 2);
	return 0;
}

static int teardown(void **state)
{
	penv_free(*state);
	return 0;
}

/* A request of the command's exact length, all zero. */
static size_t build(uint8_t *m, uint8_t proto, const struct scmi_cmd_desc *c)
{
	memset(m, 0, SCMI_MSG_MAX);
	scmi_put_le32(m, scmi_hdr(proto, c->id, 0, 0));
	return 4 + c->req_len;
}

static void put(uint8_t *m, size_t len, int off, uint32_t v)
{
	assert_true(off >= 0 && 4 + (size_t)off + 4 <= len);
	scmi_put_le32(m + 4 + off, v);
}

/* Send; the answer must be `want` and the platform must not see it. */
static void local(struct penv *e, unsigned gi, const uint8_t *m, size_t len, int32_t want,
		  const char *what)
{
	uint64_t before = penv_plat_count(e, gi);
	int32_t st = penv_call(e, gi, m, len, SCMI_LINUX_MSG_SIZE);

	if (st != want)
		fail_msg("%s: status %s, expected %s", what, scmi_status_name(st),
			 scmi_status_name(want));
	if (penv_plat_count(e, gi) != before)
		fail_msg("%s: reached the platform", what);
	assert_int_equal(e->g[gi].resp_len, 8);
}

static unsigned nsel(const struct view_cmd *vc)
{
	return vc->sel_off >= 0 ? 3 : 1;
}

static void set_sel(uint8_t *m, size_t len, const struct view_cmd *vc, unsigned sel)
{
	if (vc->sel_off >= 0)
		put(m, len, vc->sel_off, sel << vc->sel_shift);
}

static void test_hidden_ids(void **state)
{
	struct penv *e = *state;
	const struct policy *p = e->g[MATRIX].pol;
	unsigned n = 0;
	size_t i, j;

	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *pd = scmi_protocols[i];

		if (!policy_allows(p, pd->id) || pd->id == SCMI_PROTO_BASE)
			continue;
		for (j = 0; j < pd->ncmds; j++) {
			const struct view_cmd *vc = view_cmd_find(pd->id, pd->cmds[j].id);
			uint8_t m[SCMI_MSG_MAX];
			unsigned sel, k;
			char what[96];

			if (!vc || vc->id_off < 0)
				continue;
			for (sel = 0; sel < nsel(vc); sel++) {
				const uint32_t hidden[2] = {
					policy_space(p, pd->id, sel)->nres, 0xffffffffu };

				for (k = 0; k < 2; k++) {
					size_t len = build(m, pd->id, &pd->cmds[j]);
					int32_t want = SCMI_NOT_FOUND;

					set_sel(m, len, vc, sel);
					put(m, len, vc->id_off, hidden[k]);
					/* an index over the guest's sensors */
					if (pd->id == SCMI_PROTO_SENSOR &&
					    pd->cmds[j].id == SCMI_SENSOR_DESCRIPTION_GET)
						want = SCMI_INVALID_PARAMETERS;
					snprintf(what, sizeof(what), "%s sel %u id 0x%x",
						 pd->cmds[j].name, sel, hidden[k]);
					local(e, MATRIX, m, len, want, what);
					n++;
				}
			}
		}
	}
	/* every protocol with resources took part */
	assert_true(n >= 2 * 60);
}

/* Secondary ids: a clock's parent, a pin's function. */
static void test_hidden_secondary(void **state)
{
	struct penv *e = *state;
	uint8_t m[SCMI_MSG_MAX];
	size_t len;

	len = build(m, SCMI_PROTO_CLOCK, scmi_cmd_find(SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET));
	put(m, len, 0, 2);
	put(m, len, 4, 4);       /* the matrix has 4 clocks */
	local(e, MATRIX, m, len, SCMI_NOT_FOUND, "PARENT_SET hidden parent");
	len = build(m, SCMI_PROTO_PINCTRL,
		    scmi_cmd_find(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE));
	put(m, len, 0, 0);
	put(m, len, 4, 2);       /* 2 functions */
	put(m, len, 8, SCMI_PINCTRL_FUNC_VALID | SCMI_PINCTRL_TYPE_GROUP);
	local(e, MATRIX, m, len, SCMI_NOT_FOUND, "SETTINGS_CONFIGURE hidden function");
}

static void test_read_only(void **state)
{
	struct penv *e = *state;
	const struct policy *p = e->g[MATRIX].pol;
	unsigned n = 0;
	size_t i, j;

	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *pd = scmi_protocols[i];

		if (!policy_allows(p, pd->id) || pd->id == SCMI_PROTO_BASE)
			continue;
		for (j = 0; j < pd->ncmds; j++) {
			const struct view_cmd *vc = view_cmd_find(pd->id, pd->cmds[j].id);
			uint8_t m[SCMI_MSG_MAX];
			unsigned sel;
			char what[96];

			if (!vc || vc->id_off < 0 || vc->access != VIEW_CONTROL)
				continue;
			for (sel = 0; sel < nsel(vc); sel++) {
				size_t len = build(m, pd->id, &pd->cmds[j]);
				const struct pol_proto *sp = policy_space(p, pd->id, sel);

				assert_false(policy_space_guest(sp, 1)->rights & POL_CONTROL);
				set_sel(m, len, vc, sel);
				put(m, len, vc->id_off, 1);
				snprintf(what, sizeof(what), "%s sel %u read-only",
					 pd->cmds[j].name, sel);
				local(e, MATRIX, m, len, SCMI_DENIED, what);
				n++;
			}
		}
	}
	assert_true(n >= 20);
}

struct range_case {
	uint8_t proto, msg;
	uint32_t w[4];
	unsigned nw;
	int32_t want;            /* SUCCESS: reaches the platform */
};

static const struct range_case ranges[] = {
	{ SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, { 0, 1400 }, 2, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, { 0, 200 }, 2, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, { 0, 600 }, 2, SCMI_SUCCESS },
	{ SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, { 0, 1400, 300 }, 3, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, { 0, 1000, 0 }, 3, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, { 0, 1000, 300 }, 3, SCMI_SUCCESS },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, { 0, 0, 100000000, 0 }, 4, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, { 0, 0, 25000000, 1 }, 4, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, { 0, 0, 25000000, 0 }, 4, SCMI_SUCCESS },
	{ SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, { 0, 0, 1000000 }, 3, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, { 0, 0, (uint32_t)-800000 }, 3,
	  SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, { 0, 0, 800000 }, 3, SCMI_SUCCESS },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, { 0, 0, 6000 }, 3, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, { 0, 0, 0 }, 3, SCMI_OUT_OF_RANGE },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, { 0, 0, 2000 }, 3, SCMI_SUCCESS },
};

static void test_out_of_range(void **state)
{
	struct penv *e = *state;
	size_t i, j, k;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		const struct range_case *rc = &ranges[i];
		uint64_t before = penv_plat_count(e, MATRIX);
		int32_t st = penv_callw(e, MATRIX, rc->proto, rc->msg, rc->w, rc->nw);

		if (st != rc->want)
			fail_msg("case %zu: %s, expected %s", i, scmi_status_name(st),
				 scmi_status_name(rc->want));
		assert_int_equal(penv_plat_count(e, MATRIX), before + (rc->want == SCMI_SUCCESS));
	}
	/* every command with a range check has an out-of-range case above */
	for (i = 0; i < scmi_nprotocols; i++)
		for (j = 0; j < scmi_protocols[i]->ncmds; j++) {
			const struct view_cmd *vc = view_cmd_find(scmi_protocols[i]->id,
								  scmi_protocols[i]->cmds[j].id);
			bool covered = false;

			if (!vc || vc->range == VIEW_RANGE_NONE)
				continue;
			for (k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++)
				covered |= ranges[k].proto == vc->proto &&
					   ranges[k].msg == vc->msg &&
					   ranges[k].want == SCMI_OUT_OF_RANGE;
			if (!covered)
				fail_msg("%s has no out-of-range case",
					 scmi_protocols[i]->cmds[j].name);
		}
}

static void test_reserved_bits(void **state)
{
	struct penv *e = *state;
	const struct policy *p = e->g[MATRIX].pol;
	unsigned n = 0;
	size_t i, j;

	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *pd = scmi_protocols[i];

		if (!policy_allows(p, pd->id) || pd->id == SCMI_PROTO_BASE)
			continue;
		for (j = 0; j < pd->ncmds; j++) {
			const struct view_cmd *vc = view_cmd_find(pd->id, pd->cmds[j].id);
			uint8_t m[SCMI_MSG_MAX];
			unsigned w;
			char what[96];

			if (!vc)
				continue;
			for (w = 0; w < 2; w++) {
				int off = w ? vc->flags2_off : vc->flags_off;
				uint32_t valid = w ? vc->flags2_valid : vc->flags_valid, bit = 1;
				size_t len = build(m, pd->id, &pd->cmds[j]);

				if (off < 0 || valid == 0xffffffffu)
					continue;
				while (valid & bit)
					bit <<= 1;
				put(m, len, off, bit);
				snprintf(what, sizeof(what), "%s word %d bit 0x%x",
					 pd->cmds[j].name, off, bit);
				local(e, MATRIX, m, len, SCMI_INVALID_PARAMETERS, what);
				n++;
			}
		}
	}
	assert_true(n >= 20);
}

static void test_protocol_not_allowed(void **state)
{
	struct penv *e = *state;
	static const uint8_t denied[] = { SCMI_PROTO_SYSTEM, SCMI_PROTO_POWERCAP,
					  SCMI_PROTO_PINCTRL };
	uint8_t m[SCMI_MSG_MAX];
	size_t i, j, len;

	for (i = 0; i < sizeof(denied); i++) {
		const struct scmi_proto_desc *pd = scmi_proto_find(denied[i]);

		assert_false(policy_allows(e->g[GUEST2].pol, pd->id));
		for (j = 0; j < pd->ncmds; j++) {
			len = build(m, pd->id, &pd->cmds[j]);
			local(e, GUEST2, m, len, SCMI_NOT_SUPPORTED, pd->cmds[j].name);
		}
	}
	/* system power denied to the matrix guest (system not allowed), and
	 * permission management is never a guest's */
	len = build(m, SCMI_PROTO_PINCTRL,
		    scmi_cmd_find(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS));
	local(e, MATRIX, m, len, SCMI_DENIED, "PINCTRL_SET_PERMISSIONS");
}

static uint32_t rw(struct penv *e, unsigned gi, unsigned word)
{
	assert_true(8 + 4 * word + 4 <= e->g[gi].resp_len);
	return scmi_get_le32(e->g[gi].resp + 8 + 4 * word);
}

static void test_renumber_attributes(void **state)
{
	struct penv *e = *state;
	const uint32_t z[1] = { 0 };

	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_PROTOCOL_ATTRIBUTES, z, 0),
			 SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0) & 0xffff, 4);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_POWER, SCMI_PROTOCOL_ATTRIBUTES, z, 0),
			 SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0) & 0xffff, 2);
	assert_int_equal(rw(e, MATRIX, 1), 0);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_PINCTRL, SCMI_PROTOCOL_ATTRIBUTES, z,
				    0), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0), 3u << 16 | 12);
	assert_int_equal(rw(e, MATRIX, 1) & 0xffff, 2);
	assert_int_equal(penv_callw(e, GUEST2, SCMI_PROTO_SENSOR, SCMI_PROTOCOL_ATTRIBUTES, z,
				    0), SCMI_SUCCESS);
	assert_int_equal(rw(e, GUEST2, 0) & 0xffff, 1);

	/* renamed: short and extended names; not renamed: the platform's */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, z, 1),
			 SCMI_SUCCESS);
	assert_string_equal((const char *)e->g[MATRIX].resp + 12, "sdclk");
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, z, 1),
			 SCMI_SUCCESS);
	assert_string_equal((const char *)e->g[MATRIX].resp + 12, "sdclk");
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES,
				    (const uint32_t[]){ 1 }, 1), SCMI_SUCCESS);
	assert_string_equal((const char *)e->g[MATRIX].resp + 12, "uart0_baud");
	/* a read-only clock reports no control permission */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_GET_PERMISSIONS,
				    (const uint32_t[]){ 1 }, 1), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0) & SCMI_CLOCK_PERM_CONTROL, 0);
}

static void test_renumber_lists(void **state)
{
	struct penv *e = *state;

	/* gpu_core (guest 2, platform 2): parents 0 (guest 3) and 1 (hidden) */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET,
				    (const uint32_t[]){ 2, 0 }, 2), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0), 1);
	assert_int_equal(rw(e, MATRIX, 1), 3);
	assert_int_equal(e->g[MATRIX].resp_len, 16);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET,
				    (const uint32_t[]){ 2, 1 }, 2), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0), 0);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET,
				    (const uint32_t[]){ 2, 2 }, 2), SCMI_INVALID_PARAMETERS);
	/* its parent at start is hidden; after PARENT_SET it is guest clock 3 */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET,
				    (const uint32_t[]){ 2 }, 1), SCMI_DENIED);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET,
				    (const uint32_t[]){ 2, 3 }, 2), SCMI_SUCCESS);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET,
				    (const uint32_t[]){ 2 }, 1), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0), 3);

	/* sensors: one descriptor per reply, guest ids, renamed */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET,
				    (const uint32_t[]){ 0 }, 1), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0), 1u | 1u << 16);
	assert_int_equal(rw(e, MATRIX, 1), 0);
	assert_string_equal((const char *)e->g[MATRIX].resp + 24, "gpu_thermal");
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET,
				    (const uint32_t[]){ 1 }, 1), SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0), 1);
	assert_int_equal(rw(e, MATRIX, 1), 1);
	assert_string_equal((const char *)e->g[MATRIX].resp + 24, "soc");

	/* pinctrl: group 0 (platform 2) pins 4..9 are guest pins 0, 3..7 */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS,
				    (const uint32_t[]){ 0, SCMI_PINCTRL_TYPE_GROUP, 0 }, 3),
			 SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0) & 0xfff, 6);
	assert_int_equal(rw(e, MATRIX, 1), 0 | 3u << 16);
	assert_int_equal(rw(e, MATRIX, 2), 4 | 5u << 16);
	assert_int_equal(rw(e, MATRIX, 3), 6 | 7u << 16);
	/* function 1 (platform 3, gpio) has group 3, guest group 1 */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS,
				    (const uint32_t[]){ 1, SCMI_PINCTRL_TYPE_FUNCTION, 0 }, 3),
			 SCMI_SUCCESS);
	assert_int_equal(rw(e, MATRIX, 0) & 0xfff, 1);
	assert_int_equal(rw(e, MATRIX, 1) & 0xffff, 1);
}

static void test_events(void **state)
{
	struct penv *e = *state;
	struct penv_guest *g = &e->g[MATRIX];
	unsigned i;

	/* delayed response of an async rate change: the guest's clock id */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET,
				    (const uint32_t[]){ SCMI_CLOCK_SET_ASYNC, 2, 200000000, 0 },
				    4), SCMI_SUCCESS);
	penv_wait_events(e, MATRIX, 1, 1000);
	assert_int_equal(g->nev, 1);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(g->ev[0])), SCMI_MSG_DELAYED_RESP);
	assert_int_equal(scmi_get_le32(g->ev[0] + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(g->ev[0] + 8), 2);
	/* rate change notification of guest clock 0 (platform clock 3) */
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY,
				    (const uint32_t[]){ 0, 1 }, 2), SCMI_SUCCESS);
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET,
				    (const uint32_t[]){ 0, 0, 50000000, 0 }, 4), SCMI_SUCCESS);
	penv_wait_events(e, MATRIX, 2, 1000);
	assert_int_equal(g->nev, 2);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(g->ev[1])), SCMI_MSG_NOTIFICATION);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(g->ev[1])), SCMI_CLOCK_RATE_CHANGED);
	assert_int_equal(scmi_get_le32(g->ev[1] + 4), 1);      /* the guest's own agent id */
	assert_int_equal(scmi_get_le32(g->ev[1] + 8), 0);      /* guest clock 0 */
	assert_int_equal(scmi_get_le64(g->ev[1] + 12), 50000000);
	for (i = 0; i < g->nev; i++)
		assert_int_equal(scmi_hdr_proto(scmi_get_le32(g->ev[i])), SCMI_PROTO_CLOCK);
}

static void test_base(void **state)
{
	struct penv *e = *state;
	static const uint8_t want[] = { SCMI_PROTO_POWER, SCMI_PROTO_PERF, SCMI_PROTO_CLOCK,
					SCMI_PROTO_SENSOR, SCMI_PROTO_RESET, SCMI_PROTO_VOLTAGE };
	size_t i;

	assert_int_equal(penv_callw(e, GUEST2, SCMI_PROTO_BASE, SCMI_PROTOCOL_ATTRIBUTES, NULL,
				    0), SCMI_SUCCESS);
	assert_int_equal(rw(e, GUEST2, 0) & 0xff, sizeof(want));
	assert_int_equal(penv_callw(e, GUEST2, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS,
				    (const uint32_t[]){ 0 }, 1), SCMI_SUCCESS);
	assert_int_equal(rw(e, GUEST2, 0), sizeof(want));
	for (i = 0; i < sizeof(want); i++)
		assert_int_equal(e->g[GUEST2].resp[12 + i], want[i]);
	assert_int_equal(penv_callw(e, GUEST2, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT,
				    (const uint32_t[]){ SCMI_BASE_AGENT_ID_OWN }, 1), SCMI_SUCCESS);
	assert_string_equal((const char *)e->g[GUEST2].resp + 12, "guest2");
	assert_int_equal(penv_callw(e, MATRIX, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT,
				    (const uint32_t[]){ SCMI_BASE_AGENT_ID_OWN }, 1), SCMI_SUCCESS);
	assert_string_equal((const char *)e->g[MATRIX].resp + 12, "matrix");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hidden_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hidden_secondary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol_not_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renumber_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renumber_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
