// SPDX-License-Identifier: GPL-2.0-only
/* Dispatcher: token remapping, routing, delayed responses, fan-out,
 * fairness, timeouts, backpressure and late replies after a client reset. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "tests/support/fake_backend.h"

struct got {
	uint64_t cookie;
	size_t len;
	uint8_t msg[64];
};

struct cli {
	struct disp_client *c;
	struct got resp[2048];
	unsigned nresp;
	struct got p2a[64];
	unsigned np2a;
};

static void on_resp(void *opaque, uint64_t cookie, uint8_t *r, size_t len, size_t cap)
{
	struct cli *cl = opaque;
	struct got *g = &cl->resp[cl->nresp++];

	/* the buffer is the client's to rewrite (SCMI_MSG_MAX at least) */
	assert_true(cap >= SCMI_MSG_MAX && len <= cap);
	memset(r + len, 0xa5, cap - len);

	g->cookie = cookie;
	g->len = len;
	memcpy(g->msg, r, len < sizeof(g->msg) ? len : sizeof(g->msg));
}

static void on_p2a(void *opaque, const uint8_t *m, size_t len)
{
	struct cli *cl = opaque;
	struct got *g = &cl->p2a[cl->np2a++];

	g->len = len;
	memcpy(g->msg, m, len < sizeof(g->msg) ? len : sizeof(g->msg));
}

static const struct disp_client_ops cli_ops = { .response = on_resp, .p2a = on_p2a };

struct env {
	struct ev_loop *loop;
	struct fake_backend *f;
	struct dispatcher *d;
	struct cli a, b;
};

static struct env *env_new(const struct disp_config *cfg)
{
	struct env *e = calloc(1, sizeof(*e));

	e->loop = ev_loop_new();
	e->f = fake_be_new(e->loop, 2);
	e->d = disp_new(e->loop, &e->f->b, cfg);
	e->a.c = disp_client_new(e->d, 0, "a", &cli_ops, &e->a);
	e->b.c = disp_client_new(e->d, 0, "b", &cli_ops, &e->b);
	assert_non_null(e->a.c);
	assert_non_null(e->b.c);
	return e;
}

static void env_free(struct env *e)
{
	disp_client_free(e->a.c);
	disp_client_free(e->b.c);
	disp_free(e->d);
	scmi_backend_destroy(&e->f->b);
	ev_loop_free(e->loop);
	free(e);
}

static int submit(struct cli *cl, uint64_t cookie, uint8_t proto, uint8_t msg, uint16_t token,
		  const uint32_t *args, unsigned nargs)
{
	uint8_t m[64];
	unsigned i;
	int32_t st = 99;
	int rc;

	scmi_put_le32(m, scmi_hdr(proto, msg, SCMI_MSG_COMMAND, token));
	for (i = 0; i < nargs; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	rc = disp_submit(cl->c, cookie, m, 4 + 4 * nargs, 136, &st);
	if (rc == 1)
		return 100 + (int)st; /* local answer */
	return rc;
}

static void test_token_remap(void **state)
{
	struct env *e = env_new(NULL);
	uint32_t id = 3, v = 0x1234;

	assert_int_equal(submit(&e->a, 11, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 5, &id, 1), 0);
	/* cookies are the client's 64 bits */
	assert_int_equal(submit(&e->b, 0xfedc000000000016ull, SCMI_PROTO_CLOCK,
				SCMI_CLOCK_RATE_GET, 5, &id, 1), 0);
	assert_int_equal(e->f->nsent, 2);
	/* same guest token, different platform tokens */
	assert_int_not_equal(scmi_hdr_token(fake_be_hdr(e->f, 0)),
			     scmi_hdr_token(fake_be_hdr(e->f, 1)));
	assert_int_equal(disp_tokens_in_use(e->d, 0), 2);
	/* answer out of order */
	fake_be_reply(e->f, 1, SCMI_SUCCESS, &v, 1);
	assert_int_equal(e->a.nresp, 0);
	assert_int_equal(e->b.nresp, 1);
	assert_int_equal(e->b.resp[0].cookie, 0xfedc000000000016ull);
	assert_int_equal(scmi_get_le32(e->b.resp[0].msg),
			 scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, 5));
	assert_int_equal(scmi_get_le32(e->b.resp[0].msg + 8), 0x1234);
	assert_int_equal(e->b.resp[0].len, 12);
	fake_be_reply(e->f, 0, SCMI_NOT_FOUND, NULL, 0);
	assert_int_equal(e->a.nresp, 1);
	assert_int_equal(e->a.resp[0].cookie, 11);
	assert_int_equal((int32_t)scmi_get_le32(e->a.resp[0].msg + 4), SCMI_NOT_FOUND);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	assert_int_equal(disp_client_stats(e->a.c)->errors, 1);
	/* a duplicate reply is unexpected and goes nowhere */
	fake_be_reply(e->f, 0, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(e->a.nresp, 1);
	assert_int_equal(disp_stats(e->d)->unexpected, 1);
	env_free(e);
}

static void test_no_reuse_in_flight(void **state)
{
	struct disp_config cfg;
	struct env *e;
	static bool used[SCMI_TOKEN_MAX];
	unsigned i;
	uint32_t id = 0;

	disp_config_defaults(&cfg);
	cfg.client_max_inflight = 2000;
	cfg.client_max_queued = 2000;
	e = env_new(&cfg);
	memset(used, 0, sizeof(used));
	for (i = 0; i < 1100; i++)
		assert_int_equal(submit(&e->a, i, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, i & 0x3ff,
					&id, 1), 0);
	/* the token space is exhausted: the rest waits */
	assert_int_equal(e->f->nsent, SCMI_TOKEN_MAX);
	for (i = 0; i < SCMI_TOKEN_MAX; i++) {
		uint16_t t = scmi_hdr_token(fake_be_hdr(e->f, i));

		assert_false(used[t]);
		used[t] = true;
	}
	/* one answer frees one token, which the next command gets */
	fake_be_reply(e->f, 7, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(e->f->nsent, SCMI_TOKEN_MAX + 1);
	assert_int_equal(scmi_hdr_token(fake_be_hdr(e->f, SCMI_TOKEN_MAX)),
			 scmi_hdr_token(fake_be_hdr(e->f, 7)));
	assert_int_equal(disp_client_pending(e->a.c), 1099);
	env_free(e);
}

static void test_delayed_response(void **state)
{
	struct env *e = env_new(NULL);
	uint32_t args[4] = { 1 /* async */, 2, 1000, 0 };
	uint32_t id = 2;

	assert_int_equal(submit(&e->a, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 9, args, 4), 0);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(e->a.nresp, 1);
	/* token kept for the delayed response */
	assert_int_equal(disp_tokens_in_use(e->d, 0), 1);
	/* another command must not get that token */
	assert_int_equal(submit(&e->b, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 9, &id, 1), 0);
	assert_int_not_equal(scmi_hdr_token(fake_be_hdr(e->f, 0)),
			     scmi_hdr_token(fake_be_hdr(e->f, 1)));
	fake_be_dresp(e->f, 0, SCMI_SUCCESS, 2);
	assert_int_equal(e->a.np2a, 1);
	assert_int_equal(e->b.np2a, 0);
	assert_int_equal(scmi_get_le32(e->a.p2a[0].msg),
			 scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_MSG_DELAYED_RESP, 9));
	assert_int_equal(disp_tokens_in_use(e->d, 0), 1);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, &id, 1);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	/* synchronous rate set (bit0 clear): token freed at the response */
	args[0] = 0;
	assert_int_equal(submit(&e->a, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 9, args, 4), 0);
	fake_be_reply(e->f, 2, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	/* delayed response before the response (out of order) */
	args[0] = 1;
	assert_int_equal(submit(&e->a, 4, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 10, args, 4), 0);
	fake_be_dresp(e->f, 3, SCMI_SUCCESS, 2);
	assert_int_equal(e->a.np2a, 2);
	fake_be_reply(e->f, 3, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	assert_int_equal(disp_client_stats(e->a.c)->delayed, 2);
	env_free(e);
}

static void send_notif(struct env *e, unsigned chan, uint32_t clock)
{
	uint8_t n[20];

	scmi_put_le32(n, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGED,
				  SCMI_MSG_NOTIFICATION, 0));
	scmi_put_le32(n + 4, 1);
	scmi_put_le32(n + 8, clock);
	scmi_put_le64(n + 12, 5000);
	fake_be_rx(e->f, chan, n, sizeof(n));
}

static void test_notify_fanout(void **state)
{
	struct env *e = env_new(NULL);
	uint32_t on[2] = { 3, 1 }, off[2] = { 3, 0 };
	const struct fake_sent *w;

	/* both subscribe to clock 3 */
	assert_int_equal(submit(&e->a, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 1, on, 2), 0);
	assert_int_equal(submit(&e->b, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 1, on, 2), 0);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, NULL, 0);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(disp_client_subscriptions(e->a.c), 1);
	send_notif(e, 0, 3);
	assert_int_equal(e->a.np2a, 1);
	assert_int_equal(e->b.np2a, 1);
	/* nobody asked for clock 4, nor for anything on channel 1 */
	send_notif(e, 0, 4);
	send_notif(e, 1, 3);
	assert_int_equal(e->a.np2a, 1);
	assert_int_equal(disp_stats(e->d)->notif_unrouted, 2);
	/* a unsubscribes: b still wants it, so the platform is not told */
	assert_int_equal(submit(&e->a, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 1, off, 2),
			 100 + SCMI_SUCCESS);
	assert_int_equal(e->f->nsent, 2);
	send_notif(e, 0, 3);
	assert_int_equal(e->a.np2a, 1);
	assert_int_equal(e->b.np2a, 2);
	/* b goes away: the platform gets a disable for clock 3 */
	disp_client_reset(e->b.c);
	assert_int_equal(e->f->nsent, 3);
	w = &e->f->sent[2];
	assert_int_equal(scmi_hdr_msg_id(fake_be_hdr(e->f, 2)), SCMI_CLOCK_RATE_NOTIFY);
	assert_int_equal(scmi_get_le32(w->msg + 4), 3);
	assert_int_equal(scmi_get_le32(w->msg + 8), 0);
	fake_be_reply(e->f, 2, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(e->b.nresp, 1); /* nothing for the internal command */
	assert_int_equal(disp_stats(e->d)->withdrawn, 1);
	/* a failed subscription is not recorded */
	on[0] = 99;
	assert_int_equal(submit(&e->a, 4, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 1, on, 2), 0);
	fake_be_reply(e->f, 3, SCMI_NOT_FOUND, NULL, 0);
	assert_int_equal(disp_client_subscriptions(e->a.c), 0);
	env_free(e);
}

static void test_fairness(void **state)
{
	struct env *e = env_new(NULL);
	unsigned i, n;
	uint32_t ida = 1, idb = 2;
	char order[9] = { 0 };

	e->f->max_inflight = 1;
	for (i = 0; i < 6; i++)
		assert_int_equal(submit(&e->a, 100 + i, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, i,
					&ida, 1), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(submit(&e->b, 200 + i, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, i,
					&idb, 1), 0);
	for (n = 0; n < 8; n++) {
		/* one at a time on this channel */
		assert_int_equal(e->f->nsent, n + 1);
		order[n] = scmi_get_le32(e->f->sent[n].msg + 4) == 1 ? 'a' : 'b';
		fake_be_reply(e->f, n, SCMI_SUCCESS, &ida, 1);
	}
	assert_string_equal(order, "ababaaaa");
	assert_int_equal(e->a.nresp, 6);
	assert_int_equal(e->b.nresp, 2);
	/* each client's commands stay in order */
	for (i = 0; i < 6; i++)
		assert_int_equal(e->a.resp[i].cookie, 100 + i);
	env_free(e);
}

/* A client that floods cannot take more than its share of the channel. */
static void test_client_cap(void **state)
{
	struct disp_config cfg;
	struct env *e;
	uint32_t id = 0;
	unsigned i, from_b = 0;

	disp_config_defaults(&cfg);
	cfg.client_max_inflight = 4;
	cfg.client_max_queued = 8;
	e = env_new(&cfg);
	for (i = 0; i < 8; i++)
		assert_int_equal(submit(&e->a, i, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, i, &id, 1),
				 0);
	assert_int_equal(submit(&e->a, 9, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 9, &id, 1),
			 -ENOSPC);
	assert_int_equal(disp_client_stats(e->a.c)->rejected, 1);
	assert_int_equal(e->f->nsent, 4);
	assert_int_equal(disp_client_at_platform(e->a.c), 4);
	id = 2;
	assert_int_equal(submit(&e->b, 50, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &id, 1), 0);
	/* b is served at once although a has 4 more queued */
	assert_int_equal(e->f->nsent, 5);
	for (i = 0; i < e->f->nsent; i++)
		if (scmi_get_le32(e->f->sent[i].msg + 4) == 2)
			from_b++;
	assert_int_equal(from_b, 1);
	/* one of a's answers lets the next of a's commands go */
	fake_be_reply(e->f, 0, SCMI_SUCCESS, &id, 1);
	assert_int_equal(e->f->nsent, 6);
	env_free(e);
}

static void test_late_reply_after_reset(void **state)
{
	struct env *e = env_new(NULL);
	uint32_t id = 1;

	assert_int_equal(submit(&e->a, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &id, 1), 0);
	assert_int_equal(submit(&e->a, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, 1), 0);
	disp_client_reset(e->a.c);
	assert_int_equal(disp_client_pending(e->a.c), 0);
	/* tokens stay reserved while the platform holds the commands */
	assert_int_equal(disp_tokens_in_use(e->d, 0), 2);
	assert_int_equal(submit(&e->a, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &id, 1), 0);
	assert_int_not_equal(scmi_hdr_token(fake_be_hdr(e->f, 2)),
			     scmi_hdr_token(fake_be_hdr(e->f, 0)));
	assert_int_not_equal(scmi_hdr_token(fake_be_hdr(e->f, 2)),
			     scmi_hdr_token(fake_be_hdr(e->f, 1)));
	fake_be_reply(e->f, 0, SCMI_SUCCESS, &id, 1);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, &id, 1);
	assert_int_equal(e->a.nresp, 0); /* voided: discarded */
	fake_be_reply(e->f, 2, SCMI_SUCCESS, &id, 1);
	assert_int_equal(e->a.nresp, 1);
	assert_int_equal(e->a.resp[0].cookie, 3);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	/* the client is freed with a command at the platform */
	assert_int_equal(submit(&e->b, 4, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &id, 1), 0);
	disp_client_free(e->b.c);
	e->b.c = disp_client_new(e->d, 0, "b2", &cli_ops, &e->b);
	fake_be_reply(e->f, 3, SCMI_SUCCESS, &id, 1);
	assert_int_equal(e->b.nresp, 0);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	env_free(e);
}

static void test_timeout_quarantine(void **state)
{
	struct disp_config cfg;
	struct env *e;
	uint32_t id = 1;
	int i;

	disp_config_defaults(&cfg);
	cfg.reply_timeout_ns = 1000000;
	cfg.quarantine_ns = 3600ull * 1000000000ull;
	e = env_new(&cfg);
	log_set_level(LOG_LVL_ERROR);
	assert_int_equal(submit(&e->a, 7, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 4, &id, 1), 0);
	for (i = 0; i < 100 && !e->a.nresp; i++)
		ev_loop_run_once(e->loop, 10);
	assert_int_equal(e->a.nresp, 1);
	assert_int_equal(e->a.resp[0].cookie, 7);
	assert_int_equal((int32_t)scmi_get_le32(e->a.resp[0].msg + 4), SCMI_COMMS_ERROR);
	assert_int_equal(scmi_get_le32(e->a.resp[0].msg),
			 scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, 4));
	assert_int_equal(disp_client_stats(e->a.c)->timeouts, 1);
	/* quarantined: not reused */
	assert_int_equal(disp_tokens_in_use(e->d, 0), 1);
	assert_int_equal(disp_client_pending(e->a.c), 0);
	/* the late reply frees it and reaches nobody */
	fake_be_reply(e->f, 0, SCMI_SUCCESS, &id, 1);
	assert_int_equal(e->a.nresp, 1);
	assert_int_equal(disp_stats(e->d)->late, 1);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

static void test_backpressure(void **state)
{
	struct env *e = env_new(NULL);
	uint32_t id = 1;
	int i;

	e->f->eagain = 2;
	assert_int_equal(submit(&e->a, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &id, 1), 0);
	assert_int_equal(e->f->nsent, 0);
	assert_int_equal(disp_client_pending(e->a.c), 1);
	for (i = 0; i < 100 && !e->f->nsent; i++)
		ev_loop_run_once(e->loop, 10);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(disp_stats(e->d)->backpressure, 2);
	/* a hard send failure becomes COMMS_ERROR, from the loop */
	e->f->fail = -EIO;
	log_set_level(LOG_LVL_ERROR);
	assert_int_equal(submit(&e->a, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, 1), 0);
	assert_int_equal(e->a.nresp, 0);
	for (i = 0; i < 100 && !e->a.nresp; i++)
		ev_loop_run_once(e->loop, 10);
	assert_int_equal(e->a.nresp, 1);
	assert_int_equal((int32_t)scmi_get_le32(e->a.resp[0].msg + 4), SCMI_COMMS_ERROR);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

/* Backpressure does not cost a client its turn. */
static void test_backpressure_keeps_turn(void **state)
{
	struct env *e = env_new(NULL);
	uint32_t ida = 1, idb = 2;
	int i;

	e->f->max_inflight = 1;
	assert_int_equal(submit(&e->a, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &ida, 1), 0);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(submit(&e->a, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &ida, 1), 0);
	assert_int_equal(submit(&e->b, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, &idb, 1), 0);
	/* b is next; the backend refuses it once */
	e->f->eagain = 1;
	fake_be_reply(e->f, 0, SCMI_SUCCESS, &ida, 1);
	assert_int_equal(e->f->nsent, 1);
	for (i = 0; i < 100 && e->f->nsent < 2; i++)
		ev_loop_run_once(e->loop, 10);
	assert_int_equal(e->f->nsent, 2);
	assert_int_equal(scmi_get_le32(e->f->sent[1].msg + 4), 2); /* still b */
	env_free(e);
}

/* No delayed response: the token is quarantined, then released. */
static void test_dresp_timeout(void **state)
{
	struct disp_config cfg;
	struct env *e;
	uint32_t args[4] = { 1, 2, 1000, 0 };
	int i;

	disp_config_defaults(&cfg);
	cfg.dresp_timeout_ns = 1000000;
	cfg.quarantine_ns = 2000000;
	e = env_new(&cfg);
	log_set_level(LOG_LVL_ERROR);
	assert_int_equal(submit(&e->a, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 9, args, 4), 0);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, NULL, 0);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 1);
	for (i = 0; i < 200 && !disp_stats(e->d)->dresp_timeouts; i++)
		ev_loop_run_once(e->loop, 5);
	assert_int_equal(disp_stats(e->d)->dresp_timeouts, 1);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 1);
	for (i = 0; i < 200 && disp_tokens_in_use(e->d, 0); i++)
		ev_loop_run_once(e->loop, 5);
	assert_int_equal(disp_tokens_in_use(e->d, 0), 0);
	/* a delayed response now is unexpected and reaches nobody */
	fake_be_dresp(e->f, 0, SCMI_SUCCESS, 2);
	assert_int_equal(e->a.np2a, 0);
	assert_int_equal(disp_stats(e->d)->unexpected, 1);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

static void test_bad_input(void **state)
{
	struct env *e = env_new(NULL);
	uint8_t m[8] = { 0 };
	int32_t st;

	/* not a command */
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, 0, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(disp_submit(e->a.c, 1, m, 4, 136, &st), -EINVAL);
	assert_int_equal(disp_submit(e->a.c, 1, m, 3, 136, &st), -EINVAL);
	/* platform garbage */
	log_set_level(LOG_LVL_ERROR);
	fake_be_rx(e->f, 0, m, 2);
	fake_be_rx(e->f, 5, m, 8);
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, 0, SCMI_MSG_TYPE_RESERVED, 0));
	fake_be_rx(e->f, 0, m, 8);
	assert_int_equal(disp_stats(e->d)->malformed, 3);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_remap),
		cmocka_unit_test(test_no_reuse_in_flight),
		cmocka_unit_test(test_delayed_response),
		cmocka_unit_test(test_notify_fanout),
		cmocka_unit_test(test_fairness),
		cmocka_unit_test(test_client_cap),
		cmocka_unit_test(test_late_reply_after_reset),
		cmocka_unit_test(test_timeout_quarantine),
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_backpressure_keeps_turn),
		cmocka_unit_test(test_dresp_timeout),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
