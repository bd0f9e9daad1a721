// SPDX-License-Identifier: GPL-2.0-only
/*
 * End to end, through real sockets: what several guests of one
 * scmi-mediator see of each other. A clock both guests enable keeps
 * running until the last one lets go (votes, checked in the platform's
 * physical state); a notification reaches only the guest that subscribed;
 * a delayed response arrives on the requester's eventq; a guest that
 * disconnects in the middle of requests can come back, and the other
 * guest never notices; SIGTERM with commands in flight answers them all
 * and exits 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mediator/scmi_msg.h"
#include "tests/support/e2e_daemon.h"
#include "tools/client/scmi_client.h"

#define PLATFORM "tests/data/integration/platform.cfg"
#define UART_CLK 0
#define CPU_CLK 1

struct fx {
	struct e2e_daemon d;
	struct scmi_client *c[2];
};

static const struct scmi_client_opts copts = {
	.queue_size = 256, .msg_size = SCMI_LINUX_MSG_SIZE, .p2a = true,
	.event_buffers = 16, .timeout_ms = 5000,
};

static int start(struct fx *f)
{
	static const char *const names[] = { "guest1", "guest2" };
	char *plat = e2e_slurp(PLATFORM);
	int rc;

	if (!plat)
		return -1;
	rc = e2e_daemon_start(&f->d, plat, names, 2, NULL, NULL);
	free(plat);
	if (rc)
		return -1;
	for (int i = 0; i < 2; i++) {
		f->c[i] = scmi_client_connect(f->d.sock[i], &copts);
		if (!f->c[i]) {
			e2e_daemon_dump_log(&f->d);
			return -1;
		}
	}
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	*state = f;
	if (!f || start(f))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int st = 0;

	if (!f)
		return 0;
	for (int i = 0; i < 2; i++)
		if (f->c[i])
			scmi_client_close(f->c[i]);
	if (f->d.pid > 0) {
		st = e2e_daemon_stop(&f->d, SIGTERM, 10000);
		if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "daemon exit status 0x%x\n", st);
			e2e_daemon_dump_log(&f->d);
			st = -1;
		} else {
			st = 0;
		}
	}
	e2e_daemon_cleanup(&f->d);
	free(f);
	return st;
}

static int32_t call(struct scmi_client *c, uint8_t proto, uint8_t msg, unsigned n,
		    const uint32_t *args, uint8_t *v, size_t *vlen)
{
	uint8_t a[16], scratch[SCMI_MSG_MAX];
	size_t slen = sizeof(scratch);
	int32_t st = 0;

	assert_true(n <= 4);
	for (unsigned i = 0; i < n; i++)
		scmi_put_le32(a + 4 * i, args[i]);
	assert_int_equal(scmi_client_call(c, proto, msg, a, 4 * n, &st, v ? v : scratch,
					  vlen ? vlen : &slen), 0);
	return st;
}

static int32_t clock_config(struct scmi_client *c, uint32_t id, bool on)
{
	uint32_t a[3] = { id, on ? 1u : 0u, 0 };

	return call(c, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 3, a, NULL, NULL);
}

/* The platform's physical view of a clock: 1 running, 0 stopped. */
static int clock_running(struct fx *f, unsigned id)
{
	char *ps = e2e_ctl(&f->d, "platform-state");
	int on;

	assert_non_null(ps);
	on = e2e_json_bool(e2e_json_elem(ps, "clock", id), "enabled");
	free(ps);
	assert_true(on >= 0);
	return on;
}

static void test_shared_clock_votes(void **state)
{
	struct fx *f = *state;

	assert_int_equal(clock_running(f, UART_CLK), 0);
	assert_int_equal(clock_config(f->c[0], UART_CLK, true), SCMI_SUCCESS);
	assert_int_equal(clock_running(f, UART_CLK), 1);
	assert_int_equal(clock_config(f->c[1], UART_CLK, true), SCMI_SUCCESS);
	/* guest1 lets go: guest2 still needs the clock */
	assert_int_equal(clock_config(f->c[0], UART_CLK, false), SCMI_SUCCESS);
	assert_int_equal(clock_running(f, UART_CLK), 1);
	/* the last one lets go: it stops */
	assert_int_equal(clock_config(f->c[1], UART_CLK, false), SCMI_SUCCESS);
	assert_int_equal(clock_running(f, UART_CLK), 0);
}

static void test_notification_only_subscriber(void **state)
{
	struct fx *f = *state;
	uint32_t sub[2] = { CPU_CLK, 1 }, set[4] = { 0, CPU_CLK, 400000000, 0 };
	uint8_t ev[SCMI_MSG_MAX];
	int n;

	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 2, sub, NULL,
			      NULL), SCMI_SUCCESS);
	/* guest2 (not subscribed) changes the rate */
	assert_int_equal(call(f->c[1], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 4, set, NULL, NULL),
			 SCMI_SUCCESS);
	n = scmi_client_wait_event(f->c[0], ev, sizeof(ev), 3000);
	assert_int_equal(n, 4 + 16);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(ev)), SCMI_MSG_NOTIFICATION);
	assert_int_equal(scmi_hdr_proto(scmi_get_le32(ev)), SCMI_PROTO_CLOCK);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(ev)), SCMI_CLOCK_RATE_CHANGED);
	assert_int_equal(scmi_get_le32(ev + 8), CPU_CLK);
	assert_true(scmi_get_le64(ev + 12) == 400000000ull);
	/* nothing for guest2 */
	assert_int_equal(scmi_client_wait_event(f->c[1], ev, sizeof(ev), 300), 0);
	/* unsubscribed: no more notifications for guest1 */
	sub[1] = 0;
	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 2, sub, NULL,
			      NULL), SCMI_SUCCESS);
	set[2] = 500000000;
	assert_int_equal(call(f->c[1], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 4, set, NULL, NULL),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_client_wait_event(f->c[0], ev, sizeof(ev), 300), 0);
}

static void test_delayed_response(void **state)
{
	struct fx *f = *state;
	uint32_t set[4] = { 1 /* async */, CPU_CLK, 1200000000u, 0 }, id = CPU_CLK;
	uint8_t ev[SCMI_MSG_MAX], v[SCMI_MSG_MAX];
	size_t vl = sizeof(v);
	int n;

	assert_int_equal(call(f->c[1], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 4, set, NULL, NULL),
			 SCMI_SUCCESS);
	n = scmi_client_wait_event(f->c[1], ev, sizeof(ev), 3000);
	assert_int_equal(n, 4 + 4 + 12);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(ev)), SCMI_MSG_DELAYED_RESP);
	assert_int_equal(scmi_hdr_proto(scmi_get_le32(ev)), SCMI_PROTO_CLOCK);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(ev)), SCMI_CLOCK_RATE_SET);
	assert_int_equal((int32_t)scmi_get_le32(ev + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(ev + 8), CPU_CLK);
	assert_true(scmi_get_le64(ev + 12) == 1200000000ull);
	/* the rate really changed; the other guest got no event */
	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, v, &vl),
			 SCMI_SUCCESS);
	assert_true(scmi_get_le64(v) == 1200000000ull);
	assert_int_equal(scmi_client_wait_event(f->c[0], ev, sizeof(ev), 300), 0);
}

/* Submit n POWER_STATE_GET commands without waiting. */
static void submit_many(struct scmi_client *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t m[8];

		scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, i & 0x3ff));
		scmi_put_le32(m + 4, 1);
		assert_true(scmi_client_submit(c, m, sizeof(m), SCMI_LINUX_MSG_SIZE) >= 0);
	}
}

/* guest1's entry in the daemon's status: connected, in flight, subscriptions */
static void guest1_status(struct fx *f, int *connected, long long *inflight, long long *subs)
{
	char *st = e2e_ctl(&f->d, "status");
	const char *g;

	assert_non_null(st);
	g = e2e_json_elem_by(st, "guests", "\"name\":\"guest1\"");
	assert_non_null(g);
	*connected = e2e_json_bool(g, "connected");
	*inflight = e2e_json_num(g, "inflight", -1);
	*subs = e2e_json_num(g, "subscriptions", -1);
	free(st);
}

static void test_disconnect_reconnect(void **state)
{
	struct fx *f = *state;
	uint32_t id = 1, sub[2] = { CPU_CLK, 1 }, set[4] = { 0, CPU_CLK, 300000000, 0 };
	uint8_t v[SCMI_MSG_MAX], ev[SCMI_MSG_MAX];
	long long inflight = -1, subs = -1;
	int connected = -1;
	size_t vl;

	for (int round = 0; round < 3; round++) {
		/* guest1 subscribes, fires commands and vanishes mid-request */
		assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 2, sub,
				      NULL, NULL), SCMI_SUCCESS);
		submit_many(f->c[0], 64);
		scmi_client_close(f->c[0]);
		f->c[0] = NULL;
		/* guest2 is not disturbed */
		vl = sizeof(v);
		assert_int_equal(call(f->c[1], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, v,
				      &vl), SCMI_SUCCESS);
		assert_int_equal(scmi_get_le32(v), SCMI_POWER_STATE_ON);
		/* the daemon forgets guest1's commands and subscriptions */
		for (int i = 0; i < 200; i++) {
			guest1_status(f, &connected, &inflight, &subs);
			if (connected == 0 && inflight == 0 && subs == 0)
				break;
			usleep(10000);
		}
		assert_int_equal(connected, 0);
		assert_int_equal(inflight, 0);
		assert_int_equal(subs, 0);
		/* guest1 comes back and works; it is not subscribed any more */
		f->c[0] = scmi_client_connect(f->d.sock[0], &copts);
		assert_non_null(f->c[0]);
		vl = sizeof(v);
		assert_int_equal(call(f->c[0], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, v,
				      &vl), SCMI_SUCCESS);
		assert_int_equal(scmi_get_le32(v), SCMI_POWER_STATE_ON);
		set[2] += 100000000;
		assert_int_equal(call(f->c[1], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 4, set, NULL,
				      NULL), SCMI_SUCCESS);
		assert_int_equal(scmi_client_wait_event(f->c[0], ev, sizeof(ev), 300), 0);
	}
	assert_true(e2e_daemon_alive(&f->d));
}

static void test_device_reset_mid_request(void **state)
{
	struct fx *f = *state;
	uint32_t id = 0;

	/* a rebooting guest: reset with commands in flight, then carry on */
	submit_many(f->c[1], 100);
	assert_int_equal(scmi_client_reset(f->c[1]), 0);
	assert_int_equal(scmi_client_inflight(f->c[1]), 0);
	assert_int_equal(call(f->c[1], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, NULL, NULL),
			 SCMI_SUCCESS);
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, NULL, NULL),
			 SCMI_SUCCESS);
}

static void test_sigterm_answers_inflight(void **state)
{
	struct fx *f = *state;
	struct scmi_client_done done[64];
	unsigned got[2] = { 0, 0 };
	int st;

	submit_many(f->c[0], 200);
	submit_many(f->c[1], 200);
	assert_int_equal(kill(f->d.pid, SIGTERM), 0);
	for (int i = 0; i < 2; i++) {
		for (int spin = 0; spin < 500 && got[i] < 200; spin++) {
			int n = scmi_client_poll(f->c[i], done, 64, 20);

			if (n < 0)
				break;
			for (int k = 0; k < n; k++) {
				int32_t s;

				/* hdr + status at least; SUCCESS or a clean refusal */
				assert_true(done[k].len >= 8);
				s = (int32_t)scmi_get_le32(done[k].resp + 4);
				assert_true(s == SCMI_SUCCESS || s == SCMI_COMMS_ERROR ||
					    s == SCMI_BUSY);
			}
			got[i] += (unsigned)n;
		}
	}
	assert_int_equal(got[0], 200);
	assert_int_equal(got[1], 200);
	st = e2e_daemon_stop(&f->d, 0, 10000);       /* signal 0: just wait */
	assert_true(st >= 0 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_clock_votes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notification_only_subscriber, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_delayed_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_reset_mid_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_answers_inflight, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
