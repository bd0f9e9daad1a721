// SPDX-License-Identifier: GPL-2.0-only
/*
 * Agent client <-> vhost-user backend over a real socket, eventfds and a
 * memfd. The server's event loop runs in its own thread with a scripted
 * core behind the device:
 *   proto 0x10 msg 0: PROTOCOL_VERSION-like reply (0x20000)
 *   msg 0x80: echo the payload after a SUCCESS status
 *   msg 0x81: held until HOLD_BATCH commands are held, then all answered
 *             in reverse order (many in flight, out of order)
 *   msg 0x82: answer, then a delayed response and a notification
 *   msg 0x83: never answered until the next 0x84 (late reply)
 *   msg 0x84: answer the held 0x83 (if any), then itself
 *   msg 0x85: NOT_FOUND (status only)
 * Every wait is bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"
#include "tools/client/scmi_client.h"
#include "vhost-user/vhost_user.h"

#define HOLD_BATCH 128

struct held {
	uint32_t cookie;
	uint8_t msg[SCMI_MSG_MAX];
	size_t len;
};

struct fx {
	char dir[64], path[128];
	struct ev_loop *loop;
	struct vhost_user_server *srv;
	struct scmi_dev *dev;
	pthread_t thr;
	atomic_bool stop;
	atomic_uint resets, commands;
	struct held hold[HOLD_BATCH];
	unsigned nhold;
	bool late_pending;
	struct held late;
	int fd_baseline;
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static void reply(struct fx *f, uint32_t cookie, const uint8_t *req, size_t len,
		  int32_t status, const void *vals, size_t nvals)
{
	uint8_t r[SCMI_MSG_MAX];

	memcpy(r, req, 4);
	scmi_put_le32(r + 4, (uint32_t)status);
	if (nvals)
		memcpy(r + 8, vals, nvals);
	scmi_dev_complete(f->dev, cookie, r, 8 + nvals);
	(void)len;
}

static void core_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	struct fx *f = opaque;
	uint32_t hdr = scmi_get_le32(req);
	uint8_t ev[16];

	atomic_fetch_add(&f->commands, 1);
	switch (scmi_hdr_msg_id(hdr)) {
	case 0: {
		uint8_t v[4];

		scmi_put_le32(v, 0x20000);
		reply(f, cookie, req, len, 0, v, 4);
		break;
	}
	case 0x81:
		f->hold[f->nhold].cookie = cookie;
		memcpy(f->hold[f->nhold].msg, req, len);
		f->hold[f->nhold].len = len;
		if (++f->nhold == HOLD_BATCH) {
			while (f->nhold--) {
				struct held *h = &f->hold[f->nhold];

				reply(f, h->cookie, h->msg, h->len, 0, h->msg + 4, h->len - 4);
			}
			f->nhold = 0;
		}
		break;
	case 0x82:
		reply(f, cookie, req, len, 0, NULL, 0);
		scmi_put_le32(ev, scmi_hdr_set_type(hdr, SCMI_MSG_DELAYED_RESP));
		scmi_put_le32(ev + 4, 0);
		scmi_put_le32(ev + 8, 0xd1);
		scmi_dev_event(f->dev, ev, 12);
		scmi_put_le32(ev, scmi_hdr(0x14, 0, SCMI_MSG_NOTIFICATION, 0));
		scmi_put_le32(ev + 4, 0x11);
		scmi_dev_event(f->dev, ev, 8);
		break;
	case 0x83:
		f->late.cookie = cookie;
		memcpy(f->late.msg, req, len);
		f->late.len = len;
		f->late_pending = true;
		break;
	case 0x84:
		if (f->late_pending) {
			f->late_pending = false;
			reply(f, f->late.cookie, f->late.msg, f->late.len, 0, NULL, 0);
		}
		reply(f, cookie, req, len, 0, NULL, 0);
		break;
	case 0x85:
		reply(f, cookie, req, len, SCMI_NOT_FOUND, NULL, 0);
		break;
	default:
		reply(f, cookie, req, len, 0, req + 4, len - 4 > resp_max - 8 ? resp_max - 8 :
		      len - 4);
		break;
	}
}

static void core_reset(void *opaque)
{
	struct fx *f = opaque;

	/* every cookie is void now */
	f->nhold = 0;
	f->late_pending = false;
	atomic_fetch_add(&f->resets, 1);
}

static const struct scmi_dev_ops core_ops = {
	.command = core_command,
	.reset = core_reset,
};

static void *server_thread(void *arg)
{
	struct fx *f = arg;

	while (!atomic_load(&f->stop))
		ev_loop_run_once(f->loop, 20);
	return NULL;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fd_baseline = count_fds();
	strcpy(f->dir, "/tmp/vhu-cli-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/g.sock", f->dir);
	f->loop = ev_loop_new();
	f->srv = vhost_user_server_new(f->loop, f->path, &core_ops, f);
	assert_non_null(f->srv);
	f->dev = vhost_user_server_dev(f->srv);
	scmi_dev_set_p2a_offered(f->dev, true);
	assert_int_equal(pthread_create(&f->thr, NULL, server_thread, f), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	atomic_store(&f->stop, true);
	pthread_join(f->thr, NULL);
	vhost_user_server_free(f->srv);
	ev_loop_free(f->loop);
	rmdir(f->dir);
	assert_int_equal(count_fds(), f->fd_baseline);
	free(f);
	return 0;
}

/* Wait (bounded) until cond holds. */
#define WAIT_FOR(cond) do { \
	for (int _i = 0; _i < 500 && !(cond); _i++) \
		usleep(10000); \
	assert_true(cond); \
} while (0)

static void test_call(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c = scmi_client_connect(f->path, NULL);
	uint8_t vals[128];
	size_t n = sizeof(vals);
	int32_t st = 1;
	uint32_t arg = 0x11223344;

	assert_non_null(c);
	assert_true(scmi_client_features(c) & (1ull << VIRTIO_F_VERSION_1));
	assert_true(scmi_client_features(c) & (1ull << VIRTIO_SCMI_F_P2A_CHANNELS));
	assert_int_equal(scmi_client_call(c, 0x10, 0, NULL, 0, &st, vals, &n), 0);
	assert_int_equal(st, 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(vals), 0x20000);
	n = sizeof(vals);
	assert_int_equal(scmi_client_call(c, 0x10, 0x80, &arg, 4, &st, vals, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(vals, &arg, 4);
	n = sizeof(vals);
	assert_int_equal(scmi_client_call(c, 0x10, 0x85, &arg, 4, &st, vals, &n), 0);
	assert_int_equal(st, SCMI_NOT_FOUND);
	assert_int_equal(n, 0);
	/* values larger than the caller's buffer are cut to it */
	{
		uint8_t big[100];

		memset(big, 0x5a, sizeof(big));
		n = 10;
		assert_int_equal(scmi_client_call(c, 0x10, 0x80, big, sizeof(big), &st, vals,
						  &n), 0);
		assert_int_equal(n, 10);
	}
	assert_int_equal(scmi_client_inflight(c), 0);
	scmi_client_close(c);
}

static void test_raw(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c = scmi_client_connect(f->path, NULL);
	uint8_t msg[8], resp[64];
	uint32_t hdr = scmi_hdr(0x10, 0x80, 0, 0x3ff);

	assert_non_null(c);
	scmi_put_le32(msg, hdr);
	scmi_put_le32(msg + 4, 0xcafe);
	assert_int_equal(scmi_client_raw(c, msg, 8, resp, sizeof(resp)), 12);
	assert_int_equal(scmi_get_le32(resp), hdr);
	assert_int_equal(scmi_get_le32(resp + 8), 0xcafe);
	/* a writable part too small for hdr+status: the device answers what it can */
	assert_true(scmi_client_raw(c, msg, 8, resp, 4) <= 4);
	assert_int_equal(scmi_client_raw(c, msg, 2, resp, sizeof(resp)), -EINVAL);
	scmi_client_close(c);
}

static void test_many_in_flight(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c = scmi_client_connect(f->path, NULL);
	struct scmi_client_done done[16];
	bool seen[HOLD_BATCH] = { false };
	int tags[HOLD_BATCH];
	unsigned got = 0;

	assert_non_null(c);
	for (unsigned i = 0; i < HOLD_BATCH; i++) {
		uint8_t msg[8];

		scmi_put_le32(msg, scmi_hdr(0x10, 0x81, 0, (uint16_t)i));
		scmi_put_le32(msg + 4, 1000 + i);
		tags[i] = scmi_client_submit(c, msg, 8, 136);
		assert_true(tags[i] >= 0);
	}
	assert_int_equal(scmi_client_inflight(c), HOLD_BATCH);
	for (int loops = 0; got < HOLD_BATCH && loops < 1000; loops++) {
		int n = scmi_client_poll(c, done, 16, 5000);

		assert_true(n >= 0);
		for (int k = 0; k < n; k++) {
			uint32_t hdr = scmi_get_le32(done[k].resp);
			unsigned i = scmi_hdr_token(hdr);

			assert_true(i < HOLD_BATCH);
			assert_false(seen[i]);
			seen[i] = true;
			assert_int_equal(done[k].tag, tags[i]);
			assert_int_equal(done[k].len, 12);
			assert_int_equal(scmi_get_le32(done[k].resp + 8), 1000 + i);
			got++;
		}
	}
	assert_int_equal(got, HOLD_BATCH);
	assert_int_equal(scmi_client_inflight(c), 0);
	assert_int_equal(scmi_client_poll(c, done, 16, 0), 0);
	scmi_client_close(c);
}

static void test_ring_full(void **state)
{
	struct fx *f = *state;
	struct scmi_client_opts o = { .queue_size = 16, .p2a = false };
	struct scmi_client *c = scmi_client_connect(f->path, &o);
	uint8_t msg[4];
	int n = 0, r;

	assert_non_null(c);
	assert_false(scmi_client_features(c) & (1ull << VIRTIO_SCMI_F_P2A_CHANNELS));
	scmi_put_le32(msg, scmi_hdr(0x10, 0x81, 0, 0));
	while ((r = scmi_client_submit(c, msg, 4, 136)) >= 0)
		n++;
	assert_int_equal(r, -EAGAIN);
	assert_true(n >= 8 && n <= 16);
	assert_int_equal(scmi_client_wait_event(c, msg, 4, 0), -EOPNOTSUPP);
	scmi_client_close(c);
}

static void test_events(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c = scmi_client_connect(f->path, NULL);
	uint8_t ev[136];
	int32_t st;
	uint32_t hdr;
	int n;

	assert_non_null(c);
	assert_int_equal(scmi_client_wait_event(c, ev, sizeof(ev), 0), 0);
	assert_int_equal(scmi_client_call(c, 0x10, 0x82, NULL, 0, &st, NULL, NULL), 0);
	n = scmi_client_wait_event(c, ev, sizeof(ev), 5000);
	assert_int_equal(n, 12);
	hdr = scmi_get_le32(ev);
	assert_int_equal(scmi_hdr_type(hdr), SCMI_MSG_DELAYED_RESP);
	assert_int_equal(scmi_hdr_msg_id(hdr), 0x82);
	assert_int_equal(scmi_get_le32(ev + 8), 0xd1);
	n = scmi_client_wait_event(c, ev, sizeof(ev), 5000);
	assert_int_equal(n, 8);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(ev)), SCMI_MSG_NOTIFICATION);
	/* buffers are re-posted: many more events than one pass */
	for (int i = 0; i < 300; i++) {
		assert_int_equal(scmi_client_call(c, 0x10, 0x82, NULL, 0, &st, NULL, NULL), 0);
		assert_int_equal(scmi_client_wait_event(c, ev, sizeof(ev), 5000), 12);
		assert_int_equal(scmi_client_wait_event(c, ev, sizeof(ev), 5000), 8);
	}
	scmi_client_close(c);
}

static void test_timeout_and_late_reply(void **state)
{
	struct fx *f = *state;
	struct scmi_client_opts o = { .timeout_ms = 100, .p2a = true };
	struct scmi_client *c = scmi_client_connect(f->path, &o);
	int32_t st;

	assert_non_null(c);
	assert_int_equal(scmi_client_call(c, 0x10, 0x83, NULL, 0, &st, NULL, NULL), -ETIMEDOUT);
	assert_int_equal(scmi_client_inflight(c), 1);
	/* the late reply comes with the next command and is absorbed */
	assert_int_equal(scmi_client_call(c, 0x10, 0x84, NULL, 0, &st, NULL, NULL), 0);
	assert_int_equal(st, 0);
	assert_int_equal(scmi_client_inflight(c), 0);
	scmi_client_close(c);
}

static void test_disconnect_reconnect(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c, *c2;
	uint8_t msg[4];
	unsigned r0 = atomic_load(&f->resets);
	int32_t st;

	c = scmi_client_connect(f->path, NULL);
	assert_non_null(c);
	/* commands the core still holds when the frontend goes away */
	scmi_put_le32(msg, scmi_hdr(0x10, 0x81, 0, 0));
	assert_true(scmi_client_submit(c, msg, 4, 136) >= 0);
	WAIT_FOR(atomic_load(&f->commands) > 0);
	/* a second frontend is refused while the first is connected */
	c2 = scmi_client_connect(f->path, NULL);
	assert_null(c2);
	scmi_client_close(c);
	WAIT_FOR(atomic_load(&f->resets) > r0);
	for (int i = 0; i < 3; i++) {
		c = scmi_client_connect(f->path, NULL);
		assert_non_null(c);
		assert_int_equal(scmi_client_call(c, 0x10, 0, NULL, 0, &st, NULL, NULL), 0);
		assert_int_equal(st, 0);
		scmi_client_close(c);
	}
}

static void test_server_gone(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c = scmi_client_connect(f->path, NULL);
	int32_t st;

	assert_non_null(c);
	atomic_store(&f->stop, true);
	pthread_join(f->thr, NULL);
	vhost_user_server_disconnect(f->srv);
	atomic_store(&f->stop, false);
	assert_int_equal(pthread_create(&f->thr, NULL, server_thread, f), 0);
	assert_int_equal(scmi_client_call(c, 0x10, 0, NULL, 0, &st, NULL, NULL), -EPIPE);
	scmi_client_close(c);
}

static void test_reset(void **state)
{
	struct fx *f = *state;
	struct scmi_client *c = scmi_client_connect(f->path, NULL);
	unsigned r0 = atomic_load(&f->resets);
	uint8_t ev[64];
	int32_t st;

	assert_non_null(c);
	assert_int_equal(scmi_client_call(c, 0x10, 0, NULL, 0, &st, NULL, NULL), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(scmi_client_reset(c), 0);
		WAIT_FOR(atomic_load(&f->resets) > r0 + (unsigned)i);
		assert_int_equal(scmi_client_call(c, 0x10, 0, NULL, 0, &st, NULL, NULL), 0);
		assert_int_equal(st, 0);
		assert_int_equal(scmi_client_call(c, 0x10, 0x82, NULL, 0, &st, NULL, NULL), 0);
		assert_int_equal(scmi_client_wait_event(c, ev, sizeof(ev), 5000), 12);
		assert_int_equal(scmi_client_wait_event(c, ev, sizeof(ev), 5000), 8);
	}
	scmi_client_close(c);
}

static void test_connect_errors(void **state)
{
	struct fx *f = *state;
	struct scmi_client_opts o = { .queue_size = 100 };
	char p[160];

	snprintf(p, sizeof(p), "%s/none.sock", f->dir);
	assert_null(scmi_client_connect(p, NULL));
	assert_null(scmi_client_connect(f->path, &o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_in_flight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_and_late_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
