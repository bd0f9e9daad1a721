// SPDX-License-Identifier: GPL-2.0-only
/* The per-guest view on crafted messages: request renumbering and local
 * answers, response and event renumbering, hostile platform replies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/policy_cfg.h"
#include "mediator/scmi_msg.h"
#include "mediator/view.h"

static const char pol_text[] =
	"protocols = [ \"power\", \"clock\", \"sensor\", \"powercap\", \"pinctrl\", \"system\" ]\n"
	"power = [ \"guest=0,platform=4\", \"guest=1,platform=2,rights=read\" ]\n"
	"clocks = [ \"guest=0,platform=7,range=1000-2000\", \"guest=1,platform=3\" ]\n"
	"sensors = [ \"guest=0,platform=5\" ]\n"
	"powercaps = [ \"guest=0,platform=3\", \"guest=1,platform=1\" ]\n"
	"pins = [ \"guest=0,platform=9\" ]\n"
	"pin_functions = [ \"guest=0,platform=6\" ]\n"
	"system_power = \"guest\"\n"
	"notifications = 0\n";

struct t {
	struct policy *pol;
	struct view *v;
	uint8_t m[SCMI_MSG_MAX], r[SCMI_MSG_MAX];
	size_t len, rlen;
};

static int setup(void **state)
{
	static struct t t;
	struct view_config vc = { .plat_agent_id = 3, .guest_agent_id = 1 };

	memset(&t, 0, sizeof(t));
	t.pol = policy_load_data("view.policy", pol_text, NULL, stderr);
	assert_non_null(t.pol);
	vc.pol = t.pol;
	t.v = view_new(&vc);
	assert_non_null(t.v);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	view_free(t->v);
	policy_free(t->pol);
	return 0;
}

static void msg(struct t *t, uint8_t proto, uint8_t id, uint8_t type, const uint32_t *w,
		unsigned n)
{
	unsigned i;

	scmi_put_le32(t->m, scmi_hdr(proto, id, type, 5));
	for (i = 0; i < n; i++)
		scmi_put_le32(t->m + 4 + 4 * i, w[i]);
	t->len = 4 + 4 * n;
}

static int req(struct t *t)
{
	t->rlen = 0;
	if (view_request(t->v, t->m, &t->len, sizeof(t->m), t->r, &t->rlen, 136) == AGENT_FORWARD)
		return 1;
	assert_int_equal(t->rlen, 8);
	assert_int_equal(scmi_get_le32(t->r), scmi_get_le32(t->m));
	return (int32_t)scmi_get_le32(t->r + 4);
}

/* A platform response to the forwarded t->m: status + n words. */
static void resp(struct t *t, int32_t st, const uint32_t *w, unsigned n)
{
	unsigned i;

	scmi_put_le32(t->r, scmi_get_le32(t->m));
	scmi_put_le32(t->r + 4, (uint32_t)st);
	for (i = 0; i < n; i++)
		scmi_put_le32(t->r + 8 + 4 * i, w[i]);
	t->rlen = 8 + 4 * n;
	view_response(t->v, t->m, t->len, t->r, &t->rlen, 136);
}

static uint32_t w(const uint8_t *b, unsigned i)
{
	return scmi_get_le32(b + 4 * i);
}

static void test_request(void **state)
{
	struct t *t = *state;

	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, (const uint32_t[]){ 1, 0, 0 }, 3);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 2), 4);                    /* guest 0 -> platform 4 */
	assert_int_equal(w(t->m, 1), 1);                    /* flags untouched */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, (const uint32_t[]){ 0, 1, 0 }, 3);
	assert_int_equal(req(t), SCMI_DENIED);
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0,
	    (const uint32_t[]){ 0, 0, 0x10000000 }, 3);
	assert_int_equal(req(t), SCMI_INVALID_PARAMETERS);  /* reserved state bits */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, (const uint32_t[]){ 1 }, 1);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 1), 2);
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, (const uint32_t[]){ 2 }, 1);
	assert_int_equal(req(t), SCMI_NOT_FOUND);
	/* notifications = 0 */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, 0, (const uint32_t[]){ 0, 1 }, 2);
	assert_int_equal(req(t), SCMI_DENIED);
	/* u64 rate range (high word counts) */
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, (const uint32_t[]){ 0, 0, 1500, 0 }, 4);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 2), 7);
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, (const uint32_t[]){ 0, 0, 1500, 1 }, 4);
	assert_int_equal(req(t), SCMI_OUT_OF_RANGE);
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0,
	    (const uint32_t[]){ 0, 0, 0xffffffff, 0xffffffff }, 4);
	assert_int_equal(req(t), SCMI_OUT_OF_RANGE);
	/* a clock without a range takes any rate */
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, (const uint32_t[]){ 0, 1, 5, 9 }, 4);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 2), 3);
	/* not allowed protocol; system power with system_power=guest (no
	 * lifecycle hook in the view: DENIED) */
	msg(t, SCMI_PROTO_PERF, SCMI_PROTOCOL_VERSION, 0, NULL, 0);
	assert_int_equal(req(t), SCMI_NOT_SUPPORTED);
	msg(t, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0, (const uint32_t[]){ 0, 0 }, 2);
	assert_int_equal(req(t), SCMI_DENIED);
	msg(t, SCMI_PROTO_SYSTEM, SCMI_PROTOCOL_VERSION, 0, NULL, 0);
	assert_int_equal(req(t), 1);
	/* BASE goes to the agent untouched */
	msg(t, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 0, (const uint32_t[]){ 7 }, 1);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 1), 7);
	/* pinctrl: the function of SETTINGS_CONFIGURE; "no function" passes */
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0,
	    (const uint32_t[]){ 0, 0, SCMI_PINCTRL_FUNC_VALID }, 3);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 1), 9);
	assert_int_equal(w(t->m, 2), 6);
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0,
	    (const uint32_t[]){ 0, SCMI_PINCTRL_NO_FUNCTION, SCMI_PINCTRL_FUNC_VALID }, 3);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 2), SCMI_PINCTRL_NO_FUNCTION);
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 0, (const uint32_t[]){ 0, 3 }, 2);
	assert_int_equal(req(t), SCMI_INVALID_PARAMETERS);  /* selector type 3 */
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 0,
	    (const uint32_t[]){ 0, SCMI_PINCTRL_TYPE_GROUP }, 2);
	assert_int_equal(req(t), SCMI_NOT_FOUND);           /* no groups granted */
}

static void test_response(void **state)
{
	struct t *t = *state;

	/* powercap parent: visible -> guest id; hidden -> root */
	msg(t, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, 0,
	    (const uint32_t[]){ 0 }, 1);
	assert_int_equal(req(t), 1);
	{
		uint32_t a[14] = { 0 };

		a[13] = 1;
		resp(t, SCMI_SUCCESS, a, 14);
		assert_int_equal(w(t->r, 15), 1);
		a[13] = 2;
		resp(t, SCMI_SUCCESS, a, 14);
		assert_int_equal(w(t->r, 15), SCMI_POWERCAP_ROOT_ZONE);
	}
	/* pinctrl SETTINGS_GET function: visible -> guest id, hidden -> none */
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0, (const uint32_t[]){ 0, 0 }, 2);
	assert_int_equal(req(t), 1);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 6, 0 }, 2);
	assert_int_equal(w(t->r, 2), 0);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 5, 0 }, 2);
	assert_int_equal(w(t->r, 2), SCMI_PINCTRL_NO_FUNCTION);
	/* errors pass untouched */
	resp(t, SCMI_BUSY, NULL, 0);
	assert_int_equal(t->rlen, 8);
	assert_int_equal((int32_t)w(t->r, 1), SCMI_BUSY);
	/* a short or lying platform reply becomes PROTOCOL_ERROR */
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 0, (const uint32_t[]){ 0, 0 },
	    2);
	assert_int_equal(req(t), 1);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 5, 3 }, 2);
	assert_int_equal(t->rlen, 8);
	assert_int_equal((int32_t)w(t->r, 1), SCMI_PROTOCOL_ERROR);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 3, 7, 8, 3 }, 4);
	assert_int_equal(w(t->r, 2), 2);                    /* 7 and 3 visible */
	assert_int_equal(w(t->r, 3), 0);
	assert_int_equal(w(t->r, 4), 1);
	assert_int_equal(t->rlen, 20);
	msg(t, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, 0, (const uint32_t[]){ 0 }, 1);
	assert_int_equal(req(t), 1);
	assert_int_equal(w(t->m, 1), 5);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 1, 4 }, 2);   /* wrong id, short */
	assert_int_equal((int32_t)w(t->r, 1), SCMI_PROTOCOL_ERROR);
	/* protocol attributes: the guest's counts */
	msg(t, SCMI_PROTO_POWERCAP, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL, 0);
	assert_int_equal(req(t), 1);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 0x00ff0010 }, 1);
	assert_int_equal(w(t->r, 2), 0x00ff0002);
}

/* A policy checked against no description learns the platform's counts. */
static void test_platform_counts(void **state)
{
	struct t *t = *state;

	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, (const uint32_t[]){ 0 }, 1);
	assert_int_equal(req(t), 1);
	msg(t, SCMI_PROTO_POWER, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL, 0);
	assert_int_equal(req(t), 1);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 3, 1, 2, 3 }, 4);
	assert_int_equal(w(t->r, 2), 2);
	assert_int_equal(w(t->r, 3), 0);                    /* statistics hidden */
	/* platform 4 does not exist: guest 0 is NOT_FOUND, guest 1 (2) goes on */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, (const uint32_t[]){ 0 }, 1);
	assert_int_equal(req(t), SCMI_NOT_FOUND);
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, (const uint32_t[]){ 1 }, 1);
	assert_int_equal(req(t), 1);
	/* pinctrl: pins (low 16 bits), groups (high), functions */
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL, 0);
	assert_int_equal(req(t), 1);
	resp(t, SCMI_SUCCESS, (const uint32_t[]){ 5u << 16 | 20, 6 }, 2);
	assert_int_equal(w(t->r, 2), 1);                    /* 0 groups, 1 pin */
	assert_int_equal(w(t->r, 3), 1);                    /* 1 function */
	/* function platform 6 of 6 does not exist */
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0,
	    (const uint32_t[]){ 0, 0, SCMI_PINCTRL_FUNC_VALID }, 3);
	assert_int_equal(req(t), SCMI_NOT_FOUND);
	msg(t, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0,
	    (const uint32_t[]){ 0, SCMI_PINCTRL_NO_FUNCTION, SCMI_PINCTRL_FUNC_VALID }, 3);
	assert_int_equal(req(t), 1);
}

static int ev(struct t *t)
{
	return view_event(t->v, t->m, &t->len, sizeof(t->m));
}

static void test_events(void **state)
{
	struct t *t = *state;

	/* notification of a visible resource: renumbered; own agent -> guest's id */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED, SCMI_MSG_NOTIFICATION,
	    (const uint32_t[]){ 3, 2, 0 }, 3);
	assert_true(ev(t));
	assert_int_equal(w(t->m, 1), 1);
	assert_int_equal(w(t->m, 2), 1);
	/* another agent's change: "the platform" */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED, SCMI_MSG_NOTIFICATION,
	    (const uint32_t[]){ 2, 4, 0 }, 3);
	assert_true(ev(t));
	assert_int_equal(w(t->m, 1), 0);
	assert_int_equal(w(t->m, 2), 0);
	/* hidden resource, disallowed protocol, truncated: dropped */
	msg(t, SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED, SCMI_MSG_NOTIFICATION,
	    (const uint32_t[]){ 3, 5, 0 }, 3);
	assert_false(ev(t));
	msg(t, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_CHANGED, SCMI_MSG_NOTIFICATION,
	    (const uint32_t[]){ 3, 0, 0 }, 3);
	assert_false(ev(t));
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGED, SCMI_MSG_NOTIFICATION,
	    (const uint32_t[]){ 3 }, 1);
	assert_false(ev(t));
	/* delayed responses: renumbered, hidden dropped */
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_MSG_DELAYED_RESP,
	    (const uint32_t[]){ 0, 3, 100, 0 }, 4);
	assert_true(ev(t));
	assert_int_equal(w(t->m, 2), 1);
	msg(t, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_MSG_DELAYED_RESP,
	    (const uint32_t[]){ 0, 4, 100, 0 }, 4);
	assert_false(ev(t));
	msg(t, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, SCMI_MSG_DELAYED_RESP,
	    (const uint32_t[]){ 0, 5, 1, 2, 3, 4 }, 6);
	assert_true(ev(t));
	assert_int_equal(w(t->m, 2), 0);
	/* system notifications carry no resource */
	msg(t, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFIER, SCMI_MSG_NOTIFICATION,
	    (const uint32_t[]){ 3, 0, 0, 0 }, 4);
	assert_true(ev(t));
	assert_int_equal(w(t->m, 1), 1);
}

static void test_table(void **state)
{
	size_t i, j;

	(void)state;
	/* every table entry names a real command; ids inside its request */
	for (i = 0; i < scmi_nprotocols; i++)
		for (j = 0; j < scmi_protocols[i]->ncmds; j++) {
			const struct scmi_cmd_desc *c = &scmi_protocols[i]->cmds[j];
			const struct view_cmd *vc = view_cmd_find(scmi_protocols[i]->id, c->id);

			if (!vc)
				continue;
			assert_true(vc->id_off < 0 || vc->id_off + 4 <= c->req_len);
			assert_true(vc->flags_off < 0 || vc->flags_off + 4 <= c->req_len);
			assert_true(vc->flags2_off < 0 || vc->flags2_off + 4 <= c->req_len);
			assert_true(vc->sel_off < 0 || vc->sel_off + 4 <= c->req_len);
			assert_true(vc->val_off < 0 || vc->val_off + 4 <= c->req_len);
		}
	/* every command whose request starts with a resource id is in it */
	for (i = 0; i < scmi_nprotocols; i++)
		for (j = 0; j < scmi_protocols[i]->ncmds; j++) {
			const struct scmi_cmd_desc *c = &scmi_protocols[i]->cmds[j];

			if (strstr(c->req, "domain_id:u32") || strstr(c->req, "clock_id:u32") ||
			    strstr(c->req, "sensor_id:u32") || strstr(c->req, "identifier:u32"))
				if (scmi_protocols[i]->id != SCMI_PROTO_BASE &&
				    !view_cmd_find(scmi_protocols[i]->id, c->id))
					fail_msg("%s carries a resource id but has no view entry",
						 c->name);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_counts, setup, teardown),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
