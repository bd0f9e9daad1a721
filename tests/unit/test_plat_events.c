// SPDX-License-Identifier: GPL-2.0-only
/* Platform core internals used by protocol modules: delayed responses,
 * notifications and timers (white-box through plat_internal.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/platform/plat_internal.h"
#include "tests/support/plat_harness.h"

static const char cfg[] = "agents = [ \"name=a1\", \"name=a2\" ]\n";

static int setup(void **state)
{
	*state = ph_new(cfg);
	return 0;
}

static int teardown(void **state)
{
	ph_free(*state);
	return 0;
}

static void test_delayed_resp(void **state)
{
	struct ph *h = *state;
	uint32_t cmd = scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0x155);
	uint8_t vals[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	uint32_t hdr, w[8];
	unsigned n = 8;

	assert_int_equal(plat_delayed_resp(h->p, 1, cmd, SCMI_SUCCESS, vals, 12, 0), 0);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 20);
	assert_int_equal(hdr, scmi_hdr_set_type(cmd, SCMI_MSG_DELAYED_RESP));
	assert_int_equal(scmi_hdr_token(hdr), 0x155);
	assert_int_equal(n, 4);
	assert_int_equal(w[0], SCMI_SUCCESS);
	assert_int_equal(w[1], 0x04030201);
	assert_int_equal(w[3], 0x0c0b0a09);
	/* an error carries the status only */
	n = 8;
	assert_int_equal(plat_delayed_resp(h->p, 1, cmd, SCMI_HARDWARE_ERROR, vals, 12, 0), 0);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 8);
	assert_int_equal((int32_t)w[0], SCMI_HARDWARE_ERROR);
	/* bad arguments */
	assert_int_equal(plat_delayed_resp(h->p, 0, cmd, 0, NULL, 0, 0), -1);
	assert_int_equal(plat_delayed_resp(h->p, 3, cmd, 0, NULL, 0, 0), -1);
	assert_int_equal(plat_delayed_resp(h->p, 1, cmd, 0, NULL, SCMI_MSG_MAX, 0), -1);
	assert_int_equal(plat_notify(h->p, 1, SCMI_PROTO_BASE, 0, NULL, 4, 0), -1);
	assert_int_equal(plat_notify(h->p, 7, SCMI_PROTO_BASE, 0, NULL, 0, 0), -1);
	assert_int_equal(plat_schedule(h->p, 0, NULL, NULL, 0), -1);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
}

/* Delayed responses are never dropped, notifications are. */
static void test_queue_bound(void **state)
{
	struct ph *h = *state;
	uint32_t cmd = scmi_hdr(SCMI_PROTO_POWER, 4, 0, 1);

	for (unsigned i = 0; i < PLAT_P2A_MAX; i++)
		assert_int_equal(plat_notify(h->p, 2, SCMI_PROTO_POWER, 0, NULL, 0, 0), 0);
	assert_int_equal(plat_notify(h->p, 2, SCMI_PROTO_POWER, 0, NULL, 0, 0), 0);
	assert_int_equal(plat_p2a_dropped(h->p, 2), 1);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(plat_delayed_resp(h->p, 2, cmd, 0, NULL, 0, 0), 0);
	assert_int_equal(plat_p2a_pending(h->p, 2), PLAT_P2A_MAX + 10);
	assert_int_equal(plat_p2a_dropped(h->p, 2), 1);
	/* delayed through the timer list too */
	assert_int_equal(plat_delayed_resp(h->p, 2, cmd, 0, NULL, 0, 100), 0);
	assert_int_equal(plat_notify(h->p, 2, SCMI_PROTO_POWER, 0, NULL, 0, 100), 0);
	ph_advance(h, 100);
	assert_int_equal(plat_p2a_pending(h->p, 2), PLAT_P2A_MAX + 11);
	assert_int_equal(plat_p2a_dropped(h->p, 2), 2);
}

static unsigned order[16], norder;

static void record(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	order[norder++] = (unsigned)cookie;
}

static void chain(struct scmi_platform *p, void *arg, uint64_t cookie)
{
	order[norder++] = (unsigned)cookie;
	/* relative to this event's own deadline, not to the target time */
	assert_int_equal(plat_time(p), 300);
	plat_schedule(p, 50, record, NULL, 99);
	plat_notify(p, 1, SCMI_PROTO_BASE, 0, NULL, 0, 0);
}

static void test_timer_order(void **state)
{
	struct ph *h = *state;

	norder = 0;
	assert_int_equal(plat_schedule(h->p, 300, chain, NULL, 3), 0);
	assert_int_equal(plat_schedule(h->p, 100, record, NULL, 1), 0);
	assert_int_equal(plat_schedule(h->p, 200, record, NULL, 2), 0);
	assert_int_equal(plat_schedule(h->p, 100, record, NULL, 11), 0);  /* FIFO on ties */
	assert_int_equal(plat_next_deadline(h->p), 100);
	ph_advance(h, 99);
	assert_int_equal(norder, 0);
	ph_advance(h, 1000);
	assert_int_equal(norder, 5);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 11);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 3);
	assert_int_equal(order[4], 99);
	assert_int_equal(plat_time(h->p), 1099);
	assert_int_equal(plat_p2a_pending(h->p, 1), 1);
	assert_int_equal(plat_next_deadline(h->p), UINT64_MAX);
}

/* Messages with delays come out by deadline across kinds. */
static void test_p2a_order(void **state)
{
	struct ph *h = *state;
	uint32_t hdr;
	uint8_t pl[4];

	for (uint32_t i = 0; i < 4; i++) {
		scmi_put_le32(pl, i);
		assert_int_equal(plat_notify(h->p, 1, SCMI_PROTO_POWER, 0, pl, 4, 400 - 100 * i), 0);
	}
	assert_int_equal(plat_delayed_resp(h->p, 1, scmi_hdr(SCMI_PROTO_POWER, 4, 0, 9), 0,
					   NULL, 0, 250), 0);
	ph_advance(h, 1000);
	uint32_t w[4];
	unsigned n;
	static const uint32_t want[] = { 3, 2, 0xffffffff, 1, 0 };

	for (unsigned i = 0; i < 5; i++) {
		n = 4;
		assert_true(ph_pop(h, 1, &hdr, w, &n) > 0);
		if (want[i] == 0xffffffff)
			assert_int_equal(scmi_hdr_type(hdr), SCMI_MSG_DELAYED_RESP);
		else
			assert_int_equal(w[0], want[i]);
	}
}

static void test_resp_helpers(void **state)
{
	uint8_t buf[28];
	struct plat_resp r = { .buf = buf, .cap = 20, .len = 8 };

	memset(buf, 0xff, sizeof(buf));
	assert_true(plat_resp_u32(&r, 0x11223344));
	assert_true(plat_resp_u64(&r, 0x0102030405060708ull));
	assert_int_equal(r.len, 20);
	assert_int_equal(scmi_get_le32(buf + 12), 0x05060708);
	assert_false(r.overflow);
	assert_false(plat_resp_u32(&r, 1));
	assert_true(r.overflow);
	assert_int_equal(r.len, 20);
	r = (struct plat_resp){ .buf = buf, .cap = 28, .len = 8 };
	assert_true(plat_resp_str(&r, "0123456789abcdefXYZ", 16));
	assert_int_equal(buf[8 + 14], 'e');
	assert_int_equal(buf[8 + 15], 0);          /* always NUL-terminated */
	assert_false(plat_resp_u64(&r, 1));
	assert_true(plat_resp_u32(&r, 1));
	assert_false(plat_resp_str(&r, "x", 0));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_delayed_resp),
		T(test_queue_bound),
		T(test_timer_order),
		T(test_p2a_order),
		cmocka_unit_test(test_resp_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
