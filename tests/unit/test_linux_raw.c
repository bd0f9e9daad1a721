// SPDX-License-Identifier: GPL-2.0-only
/*
 * linux-raw backend (backends/linux_raw.c) against a fake of the kernel's
 * SCMI raw debugfs directory. The backend opens the files through a hook;
 * the fake gives it one end of a SOCK_SEQPACKET socket pair per file, which
 * keeps debugfs's message boundaries (one write = one message, one read =
 * one message, and an empty read after each message like debugfs's EOF).
 * The fake "kernel" runs in the test's loop: it answers from the embedded
 * reference platform (as agent 2), can put replies on the other file or in
 * reverse order (the kernel has one reply queue), emits delayed responses
 * on message_async, notifications on notification and error entries on
 * errors, and checks the kernel's token rule (a token is not reused while
 * its transaction, delayed response included, is pending).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/linux_raw.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

#define DIR "/fake/scmi/0/raw"
enum { F_MSG, F_ASYNC, F_NOTIF, F_ERRORS, F_RESET, F_N };
static const char *const names[F_N] = {
	"message", "message_async", "notification", "errors", "reset",
};

struct held { uint8_t m[SCMI_MSG_MAX]; size_t len; int file; };

struct env {
	struct ev_loop *loop;
	struct scmi_platform *plat;
	struct raw_file_ops ops;
	struct linux_raw_cfg cfg;
	struct scmi_backend *b;
	int kfd[F_N];                  /* the fake kernel's ends */
	bool reset_seen;
	/* behaviour */
	bool cross;                    /* replies on the other file */
	unsigned hold;                 /* hold this many replies, then send reversed */
	unsigned drop;                 /* next N commands: no reply */
	unsigned error_entry;          /* next N commands: an errors entry instead */
	unsigned bad_token;            /* next N replies: unknown token first */
	unsigned oversize;             /* next N replies: 600 bytes */
	struct held held[16];
	unsigned nheld;
	/* token rule */
	bool pending_tok[SCMI_TOKEN_MAX];
	int last_tok;
	unsigned collisions, nonmonotonic, commands;
	uint16_t seen_tok[64];
	/* received by the dispatcher side */
	unsigned nrx;
	uint8_t rx[32][SCMI_MSG_MAX];
	size_t rx_len[32];
};

static int fake_open(void *opaque, const char *path, int flags)
{
	struct env *e = opaque;
	size_t n = strlen(DIR);
	int sv[2], f;

	if (strncmp(path, DIR "/", n + 1)) {
		errno = ENOENT;
		return -1;
	}
	for (f = 0; f < F_N && strcmp(path + n + 1, names[f]); f++)
		;
	if (f == F_N) {
		errno = ENOENT;
		return -1;
	}
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	if (flags & O_NONBLOCK)
		assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	if (e->kfd[f] >= 0)
		close(e->kfd[f]);
	e->kfd[f] = sv[1];
	return sv[0];
}

/* debugfs: the message, then EOF (an empty read) */
static void kput(struct env *e, int f, const uint8_t *m, size_t len)
{
	assert_int_equal(send(e->kfd[f], m, len, 0), (ssize_t)len);
	assert_int_equal(send(e->kfd[f], "", 0, 0), 0);
}

static void reply(struct env *e, int f, const uint8_t *m, size_t len)
{
	if (e->hold) {
		assert_true(e->nheld < 16);
		memcpy(e->held[e->nheld].m, m, len);
		e->held[e->nheld].len = len;
		e->held[e->nheld++].file = f;
		if (e->nheld == e->hold) {
			while (e->nheld--)
				kput(e, e->held[e->nheld].file, e->held[e->nheld].m,
				     e->held[e->nheld].len);
			e->nheld = 0;
			e->hold = 0;
		}
		return;
	}
	kput(e, f, m, len);
}

static void kernel_cmd(struct env *e, int f, uint8_t *m, size_t len)
{
	uint8_t resp[SCMI_MSG_MAX + 128];
	struct plat_reply pr;
	uint16_t tok = scmi_hdr_token(scmi_get_le32(m));
	int out = e->cross ? (f == F_MSG ? F_ASYNC : F_MSG) : f;

	if (e->pending_tok[tok])
		e->collisions++;
	if (e->last_tok >= 0 && tok != (e->last_tok + 1) % SCMI_TOKEN_MAX)
		e->nonmonotonic++;
	e->last_tok = tok;
	if (e->commands < 64)
		e->seen_tok[e->commands] = tok;
	e->commands++;
	e->pending_tok[tok] = true;
	if (e->drop) {
		e->drop--;
		return;
	}
	if (e->error_entry) {
		e->error_entry--;
		e->pending_tok[tok] = false;
		kput(e, F_ERRORS, m, 4);
		return;
	}
	plat_handle(e->plat, 2, m, len, resp, SCMI_MSG_MAX, &pr);
	assert_true(pr.len >= 8);
	if (e->bad_token) {
		uint8_t bogus[12];

		e->bad_token--;
		memcpy(bogus, resp, 8);
		scmi_put_le32(bogus, scmi_hdr_set_token(scmi_get_le32(resp), (uint16_t)(tok ^ 0x200)));
		kput(e, out, bogus, 8);
	}
	if (e->oversize) {
		e->oversize--;
		memset(resp + pr.len, 0, 600 - pr.len);
		pr.len = 600;
	}
	/* an async command stays pending until its delayed response */
	if (!(f == F_ASYNC && (int32_t)scmi_get_le32(resp + 4) == SCMI_SUCCESS))
		e->pending_tok[tok] = false;
	reply(e, out, resp, pr.len);
}

static void kernel_step(struct env *e)
{
	uint8_t m[SCMI_MSG_MAX + 16];
	ssize_t r;
	int f;

	for (f = F_MSG; f <= F_ASYNC; f++)
		while (e->kfd[f] >= 0 && (r = recv(e->kfd[f], m, sizeof(m), 0)) >= 0)
			if (r >= 4)
				kernel_cmd(e, f, m, (size_t)r);
	if (e->kfd[F_RESET] >= 0 && recv(e->kfd[F_RESET], m, sizeof(m), 0) > 0)
		e->reset_seen = true;
	plat_set_time(e->plat, ev_now_ns());
	while ((r = (ssize_t)plat_p2a_pop(e->plat, 2, m, sizeof(m))) > 0) {
		uint32_t h = scmi_get_le32(m);

		if (scmi_hdr_type(h) == SCMI_MSG_DELAYED_RESP) {
			e->pending_tok[scmi_hdr_token(h)] = false;
			kput(e, F_ASYNC, m, (size_t)r);
		} else {
			kput(e, F_NOTIF, m, (size_t)r);
		}
	}
}

static void on_rx(void *o, unsigned chan, const uint8_t *m, size_t len)
{
	struct env *e = o;

	assert_int_equal(chan, 0);
	assert_true(e->nrx < 32);
	memcpy(e->rx[e->nrx], m, len);
	e->rx_len[e->nrx++] = len;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct plat_desc *d;

	assert_non_null(e);
	for (int f = 0; f < F_N; f++)
		e->kfd[f] = -1;
	e->last_tok = -1;
	d = plat_desc_load("config/platforms/reference.cfg", stderr);
	assert_non_null(d);
	e->plat = plat_new(d);
	plat_desc_free(d);
	assert_non_null(e->plat);
	plat_set_time(e->plat, ev_now_ns());
	e->loop = ev_loop_new();
	e->ops.open = fake_open;
	e->ops.opaque = e;
	e->cfg.dir = DIR;
	e->cfg.timeout_ms = 100;
	e->cfg.max_inflight = 8;
	e->cfg.ops = &e->ops;
	e->b = linux_raw_backend_new(e->loop, &e->cfg);
	assert_non_null(e->b);
	e->b->rx = on_rx;
	e->b->rx_opaque = e;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	scmi_backend_destroy(e->b);
	ev_loop_free(e->loop);
	plat_free(e->plat);
	for (int f = 0; f < F_N; f++)
		if (e->kfd[f] >= 0)
			close(e->kfd[f]);
	free(e);
	return 0;
}

static void run_until(struct env *e, unsigned want)
{
	uint64_t end = ev_now_ns() + 5000000000ull;

	while (e->nrx < want) {
		assert_true(ev_now_ns() < end);
		kernel_step(e);
		ev_loop_run_once(e->loop, 1);
	}
}

static void settle(struct env *e, unsigned ms)
{
	uint64_t end = ev_now_ns() + (uint64_t)ms * 1000000;

	while (ev_now_ns() < end) {
		kernel_step(e);
		ev_loop_run_once(e->loop, 1);
	}
}

static uint32_t send_msg(struct env *e, uint8_t proto, uint8_t id, uint16_t token,
			 const uint32_t *args, unsigned n)
{
	uint8_t m[64];
	uint32_t hdr = scmi_hdr(proto, id, SCMI_MSG_COMMAND, token);

	scmi_put_le32(m, hdr);
	for (unsigned i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	assert_int_equal(scmi_backend_send(e->b, 0, m, 4 + 4 * n, SCMI_MSG_MAX), 0);
	return hdr;
}

static uint32_t version(struct env *e, uint16_t token)
{
	return send_msg(e, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, token, NULL, 0);
}

static int32_t st(struct env *e, unsigned i)
{
	return (int32_t)scmi_get_le32(e->rx[i] + 4);
}

/* The dispatcher's tokens (all the same here) are replaced by the
 * backend's and restored on the replies, whatever order and file the
 * kernel answers on. */
static void test_tokens_and_demux(void **state)
{
	struct env *e = *state;
	static const uint8_t ids[3] = {
		SCMI_PROTOCOL_VERSION, SCMI_PROTOCOL_ATTRIBUTES, SCMI_BASE_DISCOVER_VENDOR,
	};
	uint32_t h[6];
	bool got[6] = { false };

	assert_true(e->reset_seen || (kernel_step(e), e->reset_seen));
	e->cross = true;
	e->hold = 6;
	for (unsigned i = 0; i < 6; i++)
		h[i] = send_msg(e, SCMI_PROTO_BASE, ids[i % 3], 5, NULL, 0);
	assert_int_equal(e->nrx, 0);
	run_until(e, 6);
	for (unsigned i = 0; i < 6; i++) {
		uint32_t rh = scmi_get_le32(e->rx[i]);

		assert_int_equal(scmi_hdr_token(rh), 5);
		assert_int_equal(st(e, i), SCMI_SUCCESS);
		for (unsigned j = 0; j < 6; j++)
			if (rh == h[j] && !got[j]) {
				got[j] = true;
				break;
			}
	}
	for (unsigned i = 0; i < 6; i++)
		assert_true(got[i]);
	/* reversed: the last sent came first */
	assert_int_equal(scmi_get_le32(e->rx[0]), h[5]);
	assert_int_equal(e->collisions, 0);
	assert_int_equal(e->nonmonotonic, 0);
	for (unsigned i = 1; i < 6; i++)
		assert_int_not_equal(e->seen_tok[i], e->seen_tok[i - 1]);
	assert_int_equal(e->b->stats.sent, 6);
	assert_int_equal(e->b->stats.replies, 6);
	assert_int_equal(e->b->stats.dropped, 0);
}

/* An async CLOCK_RATE_SET goes to message_async; its delayed response is
 * delivered with the dispatcher's token; the token stays reserved until
 * then. */
static void test_delayed_response(void **state)
{
	struct env *e = *state;
	uint32_t set[4] = { SCMI_CLOCK_SET_ASYNC, 2, 200000000, 0 };   /* gpu_core */
	uint32_t h = send_msg(e, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 77, set, 4);

	run_until(e, 1);
	assert_int_equal(scmi_get_le32(e->rx[0]), h);
	assert_int_equal(st(e, 0), SCMI_SUCCESS);
	for (unsigned i = 0; i < 3; i++)
		version(e, (uint16_t)(100 + i));
	run_until(e, 5);
	assert_int_equal(e->collisions, 0);
	for (unsigned i = 1; i < 5; i++) {
		uint32_t rh = scmi_get_le32(e->rx[i]);

		if (scmi_hdr_type(rh) != SCMI_MSG_DELAYED_RESP)
			continue;
		assert_int_equal(rh, scmi_hdr_set_type(h, SCMI_MSG_DELAYED_RESP));
		assert_int_equal(st(e, i), SCMI_SUCCESS);
		assert_int_equal(scmi_get_le32(e->rx[i] + 12), 200000000);
	}
	assert_int_equal(e->b->stats.delayed, 1);
	assert_int_equal(e->b->stats.replies, 4);
}

static void test_notification_passes(void **state)
{
	struct env *e = *state;
	uint8_t n[16];

	kernel_step(e);
	scmi_put_le32(n, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED,
				  SCMI_MSG_NOTIFICATION, 0));
	scmi_put_le32(n + 4, 0);
	scmi_put_le32(n + 8, 3);
	scmi_put_le32(n + 12, SCMI_POWER_STATE_ON);
	kput(e, F_NOTIF, n, sizeof(n));
	run_until(e, 1);
	assert_int_equal(e->rx_len[0], 16);
	assert_memory_equal(e->rx[0], n, 16);
	assert_int_equal(e->b->stats.notifications, 1);
}

/* Unknown tokens are dropped and counted; oversized replies and kernel
 * error entries fail their command; a missing reply times out and its
 * late arrival is dropped. Everyone else keeps being served. */
static void test_faults(void **state)
{
	struct env *e = *state;
	uint32_t h1, h2, h3;

	e->bad_token = 1;
	h1 = version(e, 1);
	run_until(e, 1);
	assert_int_equal(scmi_get_le32(e->rx[0]), h1);
	assert_int_equal(st(e, 0), SCMI_SUCCESS);
	assert_int_equal(e->b->stats.dropped, 1);

	e->oversize = 1;
	h2 = version(e, 2);
	run_until(e, 2);
	assert_int_equal(scmi_get_le32(e->rx[1]), h2);
	assert_int_equal(st(e, 1), SCMI_COMMS_ERROR);
	assert_int_equal(e->rx_len[1], 8);
	assert_int_equal(e->b->stats.malformed, 1);

	e->error_entry = 1;
	h3 = version(e, 3);
	run_until(e, 3);
	assert_int_equal(scmi_get_le32(e->rx[2]), h3);
	assert_int_equal(st(e, 2), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.errors, 1);

	e->drop = 1;
	h1 = version(e, 4);
	h2 = version(e, 5);
	run_until(e, 5);
	/* h2 answered first, h1 failed at its deadline */
	assert_int_equal(scmi_get_le32(e->rx[3]), h2);
	assert_int_equal(st(e, 3), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->rx[4]), h1);
	assert_int_equal(st(e, 4), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.timeouts, 1);
	/* the late reply (a kernel would deliver it eventually) is dropped */
	{
		uint8_t late[12];
		uint16_t tok = e->seen_tok[3];

		scmi_put_le32(late, scmi_hdr_set_token(h1, tok));
		scmi_put_le32(late + 4, SCMI_SUCCESS);
		scmi_put_le32(late + 8, 0x20001);
		kput(e, F_MSG, late, sizeof(late));
		settle(e, 20);
		assert_int_equal(e->nrx, 5);
		assert_int_equal(e->b->stats.dropped, 2);
	}
	assert_int_equal(e->collisions, 0);
}

/* max_inflight commands at the kernel at once, then -EAGAIN. */
static void test_backpressure(void **state)
{
	struct env *e = *state;
	uint8_t m[4];

	assert_int_equal(e->b->ops->max_inflight(e->b, 0), 8);
	e->drop = 100;
	for (unsigned i = 0; i < 8; i++)
		version(e, (uint16_t)i);
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_BASE, 0, SCMI_MSG_COMMAND, 9));
	assert_int_equal(scmi_backend_send(e->b, 0, m, 4, 64), -EAGAIN);
	assert_int_equal(scmi_backend_send(e->b, 1, m, 4, 64), -EINVAL);
	run_until(e, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(st(e, i), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.timeouts, 8);
	e->drop = 0;
	assert_int_equal(scmi_backend_send(e->b, 0, m, 4, 64), 0);
	run_until(e, 9);
	assert_int_equal(st(e, 8), SCMI_SUCCESS);
}

static void test_missing_dir(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct linux_raw_cfg c = { .dir = "/nonexistent/scmi/raw" };

	assert_null(linux_raw_backend_new(loop, &c));
	c.max_inflight = LINUX_RAW_MAX_INFLIGHT + 1;
	assert_null(linux_raw_backend_new(loop, &c));
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tokens_and_demux, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delayed_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notification_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backpressure, setup, teardown),
		cmocka_unit_test(test_missing_dir),
	};

	log_set_level(LOG_LVL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
