// SPDX-License-Identifier: GPL-2.0-only
/* Embedded backend under the dispatcher: replies from the loop (never
 * inside send), channel = agent - 1, latency and drop faults, and
 * notifications released as time passes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"

static const char plat_cfg[] =
	"vendor = \"Test\"\n"
	"agents = [ \"id=1,name=one\", \"id=2,name=two\" ]\n"
	"power_domains = [ \"name=pd0,async=1,state=off\" ]\n";

struct cli {
	struct disp_client *c;
	unsigned nresp, np2a;
	uint8_t last[SCMI_MSG_MAX];
	size_t last_len;
	uint8_t p2a[SCMI_MSG_MAX];
};

static void on_resp(void *o, uint64_t cookie, uint8_t *r, size_t len, size_t cap)
{
	struct cli *c = o;

	assert_true(cap >= SCMI_MSG_MAX && len <= cap);
	c->nresp++;
	memcpy(c->last, r, len);
	c->last_len = len;
}

static void on_p2a(void *o, const uint8_t *m, size_t len)
{
	struct cli *c = o;

	memcpy(c->p2a, m, len);
	c->np2a++;
}

static const struct disp_client_ops ops = { .response = on_resp, .p2a = on_p2a };

struct env {
	struct ev_loop *loop;
	struct scmi_backend *b;
	struct dispatcher *d;
	struct cli one, two;
};

static struct env *env_new(uint64_t reply_timeout_ns)
{
	struct env *e = calloc(1, sizeof(*e));
	struct plat_desc *desc = plat_desc_load_data("test", plat_cfg, stderr);
	struct scmi_platform *p;
	struct disp_config dc;

	assert_non_null(desc);
	p = plat_new(desc);
	plat_desc_free(desc);
	assert_non_null(p);
	e->loop = ev_loop_new();
	e->b = embedded_backend_new(e->loop, p);
	assert_non_null(e->b);
	assert_true(backend_is_embedded(e->b));
	assert_ptr_equal(embedded_backend_platform(e->b), p);
	assert_int_equal(e->b->nchannels, 2);
	disp_config_defaults(&dc);
	if (reply_timeout_ns)
		dc.reply_timeout_ns = reply_timeout_ns;
	e->d = disp_new(e->loop, e->b, &dc);
	e->one.c = disp_client_new(e->d, 0, "one", &ops, &e->one);
	e->two.c = disp_client_new(e->d, 1, "two", &ops, &e->two);
	return e;
}

static void env_free(struct env *e)
{
	disp_client_free(e->one.c);
	disp_client_free(e->two.c);
	disp_free(e->d);
	scmi_backend_destroy(e->b);
	ev_loop_free(e->loop);
	free(e);
}

static void send_max(struct cli *c, uint8_t proto, uint8_t id, const uint32_t *args,
		     unsigned n, size_t resp_max)
{
	uint8_t m[32];
	unsigned i;
	int32_t st;

	scmi_put_le32(m, scmi_hdr(proto, id, 0, 0x155));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	assert_int_equal(disp_submit(c->c, 1, m, 4 + 4 * n, resp_max, &st), 0);
}

static void send(struct cli *c, uint8_t proto, uint8_t id, const uint32_t *args, unsigned n)
{
	send_max(c, proto, id, args, n, 136);
}

static void run_until(struct env *e, const unsigned *counter, unsigned want)
{
	int i;

	for (i = 0; i < 500 && *counter < want; i++)
		ev_loop_run_once(e->loop, 10);
	assert_int_equal(*counter, want);
}

static void test_reply_from_loop(void **state)
{
	struct env *e = env_new(0);

	send(&e->one, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, NULL, 0);
	assert_int_equal(e->one.nresp, 0); /* not inside send */
	run_until(e, &e->one.nresp, 1);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_SUCCESS);
	assert_string_equal((const char *)e->one.last + 8, "Test");
	/* the guest token is back in the header */
	assert_int_equal(scmi_hdr_token(scmi_get_le32(e->one.last)), 0x155);
	/* channel 1 is agent 2 */
	{
		uint32_t me = SCMI_BASE_AGENT_ID_OWN;

		send(&e->two, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &me, 1);
		run_until(e, &e->two.nresp, 1);
		assert_int_equal(scmi_get_le32(e->two.last + 8), 2);
		assert_string_equal((const char *)e->two.last + 12, "two");
	}
	assert_int_equal(plat_commands_received(embedded_backend_platform(e->b), 1), 1);
	assert_int_equal(plat_commands_received(embedded_backend_platform(e->b), 2), 1);
	assert_int_equal(e->b->stats.sent, 2);
	assert_int_equal(e->b->stats.replies, 2);
	env_free(e);
}

/* The platform writes replies where they wait: pooled room (up to 136
 * bytes, reused), larger room (freed after delivery), the smallest room. */
static void test_reply_room(void **state)
{
	struct env *e = env_new(0);
	unsigned i;

	send_max(&e->one, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, NULL, 0, SCMI_MSG_MAX);
	run_until(e, &e->one.nresp, 1);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_SUCCESS);
	assert_int_equal(e->one.last_len, 8 + SCMI_SHORT_NAME_LEN);
	assert_string_equal((const char *)e->one.last + 8, "Test");
	/* no room for the name: status only */
	send_max(&e->one, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, NULL, 0, 8);
	run_until(e, &e->one.nresp, 2);
	assert_int_equal(e->one.last_len, 8);
	assert_int_not_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_SUCCESS);
	for (i = 0; i < 250; i++)
		send_max(&e->one, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0,
			 i % 2 ? 136 : 200);
	run_until(e, &e->one.nresp, 252);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_SUCCESS);
	assert_int_equal(e->one.last_len, 12);
	assert_int_equal(e->b->stats.replies, 252);
	env_free(e);
}

static void test_latency_and_drop(void **state)
{
	struct env *e = env_new(20000000ull);
	struct plat_faults f = { .latency_ns = 2000000ull };

	plat_set_faults(embedded_backend_platform(e->b), &f);
	send(&e->one, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0);
	ev_loop_run_once(e->loop, 0);
	run_until(e, &e->one.nresp, 1);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_SUCCESS);
	/* a dropped reply: the dispatcher answers COMMS_ERROR at its deadline */
	f = (struct plat_faults){ .drop_replies = 1 };
	plat_set_faults(embedded_backend_platform(e->b), &f);
	log_set_level(LOG_LVL_ERROR);
	send(&e->one, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0);
	run_until(e, &e->one.nresp, 2);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.dropped, 1);
	/* channel error: COMMS_ERROR from the backend */
	f = (struct plat_faults){ .channel_error = 1 };
	plat_set_faults(embedded_backend_platform(e->b), &f);
	send(&e->one, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0);
	run_until(e, &e->one.nresp, 3);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.errors, 1);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

static void test_notification_over_time(void **state)
{
	struct env *e = env_new(0);
	uint32_t notify[2] = { 0, 1 }, set[3] = { SCMI_POWER_SET_ASYNC, 0, SCMI_POWER_STATE_ON };

	send(&e->one, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, notify, 2);
	run_until(e, &e->one.nresp, 1);
	assert_int_equal((int32_t)scmi_get_le32(e->one.last + 4), SCMI_SUCCESS);
	assert_int_equal(disp_client_subscriptions(e->one.c), 1);
	/* agent two switches pd0 on asynchronously; agent one hears about it */
	send(&e->two, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, set, 3);
	run_until(e, &e->two.nresp, 1);
	assert_int_equal((int32_t)scmi_get_le32(e->two.last + 4), SCMI_SUCCESS);
	run_until(e, &e->one.np2a, 1);
	assert_int_equal(scmi_get_le32(e->one.p2a),
			 scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED,
				  SCMI_MSG_NOTIFICATION, 0) & ~SCMI_HDR_TOKEN_MASK);
	assert_int_equal(scmi_get_le32(e->one.p2a + 12), SCMI_POWER_STATE_ON);
	assert_int_equal(e->two.np2a, 0);
	assert_int_equal(e->b->stats.notifications, 1);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_from_loop),
		cmocka_unit_test(test_reply_room),
		cmocka_unit_test(test_latency_and_drop),
		cmocka_unit_test(test_notification_over_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
