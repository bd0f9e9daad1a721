// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMT agent state machine (backends/smt/smt.c) against an in-memory fake
 * platform: the test plays the platform by writing the areas and then
 * polling, as a doorbell would. Covers queueing, every reply check, the
 * timeout -> stale -> late-reply / take-back path, P2A, doorbell failure
 * and channel reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/smt/smt.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

#define AREA 128u

struct fake {
	struct scmi_backend b;
	struct smt_transport *t;
	uint8_t a2p[2][AREA] __attribute__((aligned(8)));
	uint8_t p2a[2][AREA] __attribute__((aligned(8)));
	unsigned rings[2], acks[2];
	int ring_err;
	bool in_send;
	unsigned nrx;
	unsigned rx_chan[32];
	uint8_t rx[32][SCMI_MSG_MAX];
	size_t rx_len[32];
};

static int fake_ring(void *opaque, unsigned chan, enum smt_bell bell)
{
	struct fake *f = opaque;

	assert_true(chan < 2);
	if (bell == SMT_BELL_A2P_CMD)
		f->rings[chan]++;
	else
		f->acks[chan]++;
	return f->ring_err;
}

static void fake_rx(void *opaque, unsigned chan, const uint8_t *msg, size_t len)
{
	struct fake *f = opaque;

	assert_false(f->in_send);
	assert_true(f->nrx < 32);
	f->rx_chan[f->nrx] = chan;
	memcpy(f->rx[f->nrx], msg, len);
	f->rx_len[f->nrx++] = len;
}

static struct fake *fake_new(unsigned queue_max)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct smt_chan_area areas[2];
	struct smt_params p = {
		.timeout_ns = 20000000, .queue_max = queue_max, .intr = true,
		.ring = fake_ring, .name = "test-smt",
	};
	unsigned i;

	assert_non_null(f);
	f->b.loop = ev_loop_new();
	assert_non_null(f->b.loop);
	f->b.rx = fake_rx;
	f->b.rx_opaque = f;
	for (i = 0; i < 2; i++) {
		areas[i].a2p = f->a2p[i];
		areas[i].p2a = f->p2a[i];
		areas[i].size = AREA;
		smt_wr32(f->p2a[i], SMT_OFF_STATUS, SMT_STATUS_FREE);
	}
	p.opaque = f;
	f->t = smt_new(&f->b, 2, areas, &p);
	assert_non_null(f->t);
	for (i = 0; i < 2; i++)
		assert_int_equal(smt_rd32(f->a2p[i], SMT_OFF_STATUS), SMT_STATUS_FREE);
	return f;
}

static void fake_free(struct fake *f)
{
	smt_free(f->t);
	ev_loop_free(f->b.loop);
	free(f);
}

static uint32_t send_cmd(struct fake *f, unsigned chan, uint16_t token, size_t resp_max)
{
	uint8_t m[8];
	uint32_t hdr = scmi_hdr(SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, SCMI_MSG_COMMAND, token);

	scmi_put_le32(m, hdr);
	scmi_put_le32(m + 4, 0x1234);
	f->in_send = true;
	assert_int_equal(smt_send(f->t, chan, m, 8, resp_max), 0);
	f->in_send = false;
	return hdr;
}

/* The fake platform answers what is in the A2P area. */
static void answer(struct fake *f, unsigned chan, uint32_t hdr, uint32_t len, uint32_t status)
{
	uint8_t r[12];

	scmi_put_le32(r, hdr);
	scmi_put_le32(r + 4, 0);
	scmi_put_le32(r + 8, 0x20000);
	smt_wr32(f->a2p[chan], SMT_OFF_LENGTH, len);
	smt_wr_bytes(f->a2p[chan], SMT_OFF_MSG, r, sizeof(r));
	smt_wr32(f->a2p[chan], SMT_OFF_STATUS, status);
	smt_poll(f->t, chan);
}

static uint32_t posted_hdr(struct fake *f, unsigned chan)
{
	return smt_rd32(f->a2p[chan], SMT_OFF_MSG);
}

static int32_t rx_status(struct fake *f, unsigned i, uint32_t hdr)
{
	assert_true(i < f->nrx);
	assert_true(f->rx_len[i] >= 8);
	assert_int_equal(scmi_get_le32(f->rx[i]), hdr);
	return (int32_t)scmi_get_le32(f->rx[i] + 4);
}

static void run_until(struct fake *f, unsigned want)
{
	uint64_t end = ev_now_ns() + 10000000000ull;

	while (f->nrx < want) {
		assert_true(ev_now_ns() < end);
		ev_loop_run_once(f->b.loop, 10);
	}
}

static void test_roundtrip(void **state)
{
	struct fake *f = fake_new(4);
	uint32_t hdr = send_cmd(f, 1, 5, 64);

	assert_int_equal(f->rings[1], 1);
	assert_int_equal(smt_rd32(f->a2p[1], SMT_OFF_STATUS), 0);
	assert_int_equal(smt_rd32(f->a2p[1], SMT_OFF_FLAGS), SMT_FLAG_INTR);
	assert_int_equal(smt_rd32(f->a2p[1], SMT_OFF_LENGTH), 8);
	assert_int_equal(posted_hdr(f, 1), hdr);
	assert_int_equal(smt_rd32(f->a2p[1], SMT_OFF_MSG + 4), 0x1234);
	assert_int_equal(f->nrx, 0);
	/* not yet free: polling finds nothing */
	smt_poll(f->t, 1);
	assert_int_equal(f->nrx, 0);
	answer(f, 1, hdr, 12, SMT_STATUS_FREE);
	assert_int_equal(f->nrx, 1);
	assert_int_equal(f->rx_chan[0], 1);
	assert_int_equal(f->rx_len[0], 12);
	assert_int_equal(rx_status(f, 0, hdr), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(f->rx[0] + 8), 0x20000);
	assert_int_equal(f->b.stats.sent, 1);
	assert_int_equal(f->b.stats.replies, 1);
	assert_int_equal(smt_pending(f->t, 1), 0);
	fake_free(f);
}

static void test_queue(void **state)
{
	struct fake *f = fake_new(3);
	uint32_t h[4];
	uint8_t m[4];
	unsigned i;

	for (i = 0; i < 4; i++)
		h[i] = send_cmd(f, 0, (uint16_t)(10 + i), 64);
	/* one posted, queue_max (3) waiting: the next is refused */
	assert_int_equal(f->rings[0], 1);
	assert_int_equal(smt_pending(f->t, 0), 4);
	scmi_put_le32(m, h[0]);
	assert_int_equal(smt_send(f->t, 0, m, 4, 64), -EAGAIN);
	assert_int_equal(f->b.stats.sent, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(posted_hdr(f, 0), h[i]);
		answer(f, 0, h[i], 8, SMT_STATUS_FREE);
		assert_int_equal(rx_status(f, i, h[i]), SCMI_SUCCESS);
		assert_int_equal(f->rings[0], i < 3 ? i + 2 : 4);
	}
	assert_int_equal(smt_pending(f->t, 0), 0);
	fake_free(f);
}

static void test_bad_args(void **state)
{
	struct fake *f = fake_new(2);
	uint8_t m[AREA] = { 0 };
	struct smt_chan_area a = { .a2p = f->a2p[0], .size = SMT_AREA_MIN - 1 };
	struct smt_params p = { .timeout_ns = 1, .queue_max = 1, .ring = fake_ring };

	assert_int_equal(smt_send(f->t, 2, m, 8, 64), -EINVAL);
	assert_int_equal(smt_send(f->t, 0, m, 3, 64), -EINVAL);
	assert_int_equal(smt_send(f->t, 0, m, 8, 7), -EINVAL);
	assert_int_equal(smt_send(f->t, 0, m, AREA - SMT_OFF_MSG + 1, 64), -EINVAL);
	assert_null(smt_new(&f->b, 1, &a, &p));
	a.size = AREA;
	p.queue_max = SMT_QUEUE_MAX + 1;
	assert_null(smt_new(&f->b, 1, &a, &p));
	assert_int_equal(f->b.stats.sent, 0);
	fake_free(f);
}

/* Each bad reply: COMMS_ERROR for that command, counted; the next works. */
static void test_reply_checks(void **state)
{
	struct {
		uint32_t len, status, hdr_xor;
		size_t resp_max;
		bool malformed;
	} cases[] = {
		{ 12, SMT_STATUS_FREE | SMT_STATUS_ERROR, 0, 64, false },
		{ 7, SMT_STATUS_FREE, 0, 64, true },
		{ 0, SMT_STATUS_FREE, 0, 64, true },
		{ AREA - SMT_OFF_MSG + 1, SMT_STATUS_FREE, 0, 512, true },
		{ 0xffffffffu, SMT_STATUS_FREE, 0, 512, true },
		{ 12, SMT_STATUS_FREE, 0, 8, true },                 /* > resp_max */
		{ 12, SMT_STATUS_FREE, 0x2a5u << 18, 64, true },     /* token */
		{ 12, SMT_STATUS_FREE, 0x1u << 10, 64, true },       /* protocol */
		{ 12, SMT_STATUS_FREE, 0x3u << 8, 64, true },        /* type */
	};
	struct fake *f = fake_new(4);
	unsigned i, n = 0;
	uint64_t mal = 0, err = 0;

	log_set_level(LOG_LVL_ERROR);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t hdr = send_cmd(f, 0, (uint16_t)i, cases[i].resp_max);

		answer(f, 0, hdr ^ cases[i].hdr_xor, cases[i].len, cases[i].status);
		assert_int_equal(f->nrx, n + 1);
		assert_int_equal(f->rx_len[n], 8);
		assert_int_equal(rx_status(f, n, hdr), SCMI_COMMS_ERROR);
		n++;
		if (cases[i].malformed)
			mal++;
		else
			err++;
		assert_int_equal(f->b.stats.malformed, mal);
		assert_int_equal(f->b.stats.errors, err);
		hdr = send_cmd(f, 0, (uint16_t)(100 + i), 64);
		answer(f, 0, hdr, 12, SMT_STATUS_FREE);
		assert_int_equal(rx_status(f, n, hdr), SCMI_SUCCESS);
		n++;
	}
	assert_int_equal(f->b.stats.replies, i);
	log_set_level(LOG_LVL_INFO);
	fake_free(f);
}

static void test_timeout_late_reply(void **state)
{
	struct fake *f = fake_new(4);
	uint32_t h1, h2;

	log_set_level(LOG_LVL_ERROR);
	h1 = send_cmd(f, 0, 1, 64);
	h2 = send_cmd(f, 0, 2, 64);
	run_until(f, 1);
	assert_int_equal(rx_status(f, 0, h1), SCMI_COMMS_ERROR);
	assert_int_equal(f->b.stats.timeouts, 1);
	/* stale: the queued command waits for the platform */
	assert_int_equal(f->rings[0], 1);
	answer(f, 0, h1, 12, SMT_STATUS_FREE);
	assert_int_equal(f->nrx, 1);             /* late reply discarded */
	assert_int_equal(f->b.stats.dropped, 1);
	assert_int_equal(f->rings[0], 2);
	assert_int_equal(posted_hdr(f, 0), h2);
	answer(f, 0, h2, 12, SMT_STATUS_FREE);
	assert_int_equal(rx_status(f, 1, h2), SCMI_SUCCESS);
	log_set_level(LOG_LVL_INFO);
	fake_free(f);
}

static void test_timeout_take_back(void **state)
{
	struct fake *f = fake_new(4);
	uint32_t h1, h2;

	log_set_level(LOG_LVL_ERROR);
	h1 = send_cmd(f, 0, 1, 64);
	h2 = send_cmd(f, 0, 2, 64);
	run_until(f, 1);
	assert_int_equal(rx_status(f, 0, h1), SCMI_COMMS_ERROR);
	/* the platform never frees it: the agent takes the channel back */
	while (f->rings[0] < 2)
		ev_loop_run_once(f->b.loop, 10);
	assert_int_equal(posted_hdr(f, 0), h2);
	assert_int_equal(smt_rd32(f->a2p[0], SMT_OFF_STATUS), 0);
	answer(f, 0, h2, 12, SMT_STATUS_FREE);
	assert_int_equal(rx_status(f, 1, h2), SCMI_SUCCESS);
	assert_int_equal(f->b.stats.timeouts, 1);
	log_set_level(LOG_LVL_INFO);
	fake_free(f);
}

static void post_p2a(struct fake *f, unsigned chan, uint32_t hdr, uint32_t len, uint32_t st)
{
	uint8_t m[12];

	scmi_put_le32(m, hdr);
	scmi_put_le32(m + 4, 7);
	scmi_put_le32(m + 8, 9);
	smt_wr32(f->p2a[chan], SMT_OFF_LENGTH, len);
	smt_wr_bytes(f->p2a[chan], SMT_OFF_MSG, m, sizeof(m));
	smt_wr32(f->p2a[chan], SMT_OFF_STATUS, st);
	smt_poll(f->t, chan);
}

static void test_p2a(void **state)
{
	struct fake *f = fake_new(4);
	uint32_t notif = scmi_hdr(SCMI_PROTO_POWER, 0, SCMI_MSG_NOTIFICATION, 0);
	uint32_t dresp = scmi_hdr(SCMI_PROTO_CLOCK, 5, SCMI_MSG_DELAYED_RESP, 9);

	/* FREE: nothing there */
	smt_poll(f->t, 1);
	assert_int_equal(f->nrx + f->acks[1], 0);
	post_p2a(f, 1, notif, 12, 0);
	assert_int_equal(f->nrx, 1);
	assert_int_equal(f->rx_chan[0], 1);
	assert_int_equal(f->rx_len[0], 12);
	assert_int_equal(scmi_get_le32(f->rx[0]), notif);
	assert_int_equal(smt_rd32(f->p2a[1], SMT_OFF_STATUS), SMT_STATUS_FREE);
	assert_int_equal(f->acks[1], 1);
	post_p2a(f, 1, dresp, 12, 0);
	assert_int_equal(scmi_get_le32(f->rx[1]), dresp);
	assert_int_equal(f->b.stats.notifications, 1);
	assert_int_equal(f->b.stats.delayed, 1);

	log_set_level(LOG_LVL_ERROR);
	post_p2a(f, 1, notif, 3, 0);                              /* too short */
	post_p2a(f, 1, notif, AREA, 0);                           /* beyond the area */
	post_p2a(f, 1, scmi_hdr_set_type(notif, SCMI_MSG_COMMAND), 12, 0);
	post_p2a(f, 1, dresp, 4, 0);                              /* no status */
	post_p2a(f, 1, notif, 12, SMT_STATUS_ERROR);
	log_set_level(LOG_LVL_INFO);
	assert_int_equal(f->nrx, 2);
	assert_int_equal(f->b.stats.malformed, 5);
	assert_int_equal(f->acks[1], 7);
	assert_int_equal(smt_rd32(f->p2a[1], SMT_OFF_STATUS), SMT_STATUS_FREE);
	fake_free(f);
}

static void test_ring_failure(void **state)
{
	struct fake *f = fake_new(4);
	uint32_t hdr;

	log_set_level(LOG_LVL_ERROR);
	f->ring_err = -EPIPE;
	hdr = send_cmd(f, 0, 3, 64);
	assert_int_equal(f->nrx, 0);             /* never from inside send */
	run_until(f, 1);
	assert_int_equal(rx_status(f, 0, hdr), SCMI_COMMS_ERROR);
	assert_int_equal(f->b.stats.errors, 1);
	assert_int_equal(f->b.stats.timeouts, 0);
	f->ring_err = 0;
	while (smt_pending(f->t, 0))
		ev_loop_run_once(f->b.loop, 10);
	hdr = send_cmd(f, 0, 4, 64);
	answer(f, 0, hdr, 8, SMT_STATUS_FREE);
	assert_int_equal(rx_status(f, 1, hdr), SCMI_SUCCESS);
	log_set_level(LOG_LVL_INFO);
	fake_free(f);
}

static void test_reset(void **state)
{
	struct fake *f = fake_new(4);
	uint32_t h1 = send_cmd(f, 0, 1, 64), h2 = send_cmd(f, 0, 2, 64);

	log_set_level(LOG_LVL_ERROR);
	smt_reset(f->t, 0);
	log_set_level(LOG_LVL_INFO);
	assert_int_equal(f->nrx, 2);
	assert_int_equal(rx_status(f, 0, h1), SCMI_COMMS_ERROR);
	assert_int_equal(rx_status(f, 1, h2), SCMI_COMMS_ERROR);
	assert_int_equal(smt_rd32(f->a2p[0], SMT_OFF_STATUS), SMT_STATUS_FREE);
	assert_int_equal(smt_pending(f->t, 0), 0);
	h1 = send_cmd(f, 0, 3, 64);
	answer(f, 0, h1, 8, SMT_STATUS_FREE);
	assert_int_equal(rx_status(f, 2, h1), SCMI_SUCCESS);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_reply_checks),
		cmocka_unit_test(test_timeout_late_reply),
		cmocka_unit_test(test_timeout_take_back),
		cmocka_unit_test(test_p2a),
		cmocka_unit_test(test_ring_failure),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
