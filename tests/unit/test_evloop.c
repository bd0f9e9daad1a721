// SPDX-License-Identifier: GPL-2.0-only
/* Event loop: fds, timer ordering, cancellation and removal from callbacks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "mediator/evloop.h"

struct rec {
	int order[16];
	int n;
	struct ev_timer *other;
	struct ev_loop *loop;
	int fds[2];
	int hits[2];
};

static void rec_timer(struct ev_loop *loop, void *opaque)
{
	struct rec *r = opaque;

	r->order[r->n++] = (int)(intptr_t)r->other;
}

static void read_cb(struct ev_loop *l, int fd, uint32_t ev, void *op)
{
	struct rec *rr = op;
	uint64_t v;

	assert_int_equal(read(fd, &v, sizeof(v)), 8);
	rr->hits[0] += (int)v;
}

static void test_fd_readable(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	int efd = eventfd(0, EFD_NONBLOCK);
	uint64_t one = 1;
	struct rec r = { 0 };

	assert_non_null(loop);
	assert_true(efd >= 0);
	assert_int_equal(ev_fd_add(loop, efd, EPOLLIN, read_cb, &r), 0);
	assert_int_equal(ev_fd_add(loop, efd, EPOLLIN, read_cb, &r), -EEXIST);
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	assert_int_equal(write(efd, &one, 8), 8);
	assert_int_equal(ev_loop_run_once(loop, 100), 1);
	assert_int_equal(r.hits[0], 1);
	assert_int_equal(ev_fd_mod(loop, efd, EPOLLIN), 0);
	ev_fd_del(loop, efd);
	assert_int_equal(ev_fd_mod(loop, efd, EPOLLIN), -ENOENT);
	assert_int_equal(write(efd, &one, 8), 8);
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	close(efd);
	ev_loop_free(loop);
}

static struct rec shared;
static void order_cb(struct ev_loop *l, void *op)
{
	struct rec *rr = op;

	shared.order[shared.n++] = (int)(intptr_t)rr->other;
}

static void test_timer_order(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	uint64_t now = ev_now_ns();
	struct rec r[5];
	int i;
	/* deadlines deliberately not in insertion order */
	const int off[5] = { 30, 10, 20, 10, 0 };

	for (i = 0; i < 5; i++) {
		r[i] = (struct rec){ 0 };
		r[i].other = (struct ev_timer *)(intptr_t)i;
	}
	shared = (struct rec){ 0 };
	for (i = 0; i < 5; i++)
		assert_non_null(ev_timer_add(loop, now + (uint64_t)off[i] * 1000000ull, order_cb,
					     &r[i]));
	while (shared.n < 5)
		assert_true(ev_loop_run_once(loop, 50) >= 0);
	assert_int_equal(shared.order[0], 4);
	assert_int_equal(shared.order[1], 1); /* equal deadlines: FIFO */
	assert_int_equal(shared.order[2], 3);
	assert_int_equal(shared.order[3], 2);
	assert_int_equal(shared.order[4], 0);
	ev_loop_free(loop);
}

static void test_timer_cancel(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	uint64_t now = ev_now_ns();
	struct rec r = { 0 };
	struct ev_timer *t[8];
	int i;

	r.other = (struct ev_timer *)(intptr_t)7;
	for (i = 0; i < 8; i++)
		t[i] = ev_timer_add(loop, now + (uint64_t)i, rec_timer, &r);
	/* cancel all but #5, in a scattered order to exercise the heap */
	ev_timer_cancel(loop, t[3]);
	ev_timer_cancel(loop, t[0]);
	ev_timer_cancel(loop, t[7]);
	ev_timer_cancel(loop, t[1]);
	ev_timer_cancel(loop, t[6]);
	ev_timer_cancel(loop, t[2]);
	ev_timer_cancel(loop, t[4]);
	assert_int_equal(ev_loop_run_once(loop, 10), 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	ev_loop_free(loop);
}

/* A timer callback cancels another due timer and itself. */
static struct ev_timer *victim, *selft;
static int victim_ran, killer_ran;
static void victim_cb(struct ev_loop *l, void *op) { victim_ran++; }
static void killer_cb(struct ev_loop *l, void *op)
{
	killer_ran++;
	ev_timer_cancel(l, victim);
	ev_timer_cancel(l, selft); /* no-op while firing */
}

static void test_timer_cancel_from_cb(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	uint64_t now = ev_now_ns();

	victim_ran = killer_ran = 0;
	selft = ev_timer_add(loop, now, killer_cb, NULL);
	victim = ev_timer_add(loop, now + 1, victim_cb, NULL);
	while (!killer_ran)
		ev_loop_run_once(loop, 10);
	ev_loop_run_once(loop, 0);
	assert_int_equal(killer_ran, 1);
	assert_int_equal(victim_ran, 0);
	ev_loop_free(loop);
}

/* A timer re-arming itself at "now" runs once per iteration, not forever. */
static int rearm_count;
static void rearm_cb(struct ev_loop *l, void *op)
{
	rearm_count++;
	if (rearm_count < 3)
		ev_timer_add(l, 0, rearm_cb, NULL);
}

static void test_timer_rearm(void **state)
{
	struct ev_loop *loop = ev_loop_new();

	rearm_count = 0;
	ev_timer_add(loop, 0, rearm_cb, NULL);
	assert_int_equal(ev_loop_run_once(loop, 0), 1);
	assert_int_equal(rearm_count, 1);
	assert_int_equal(ev_loop_run_once(loop, 0), 1);
	assert_int_equal(ev_loop_run_once(loop, 0), 1);
	assert_int_equal(rearm_count, 3);
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	ev_loop_free(loop);
}

static void del_other_cb(struct ev_loop *l, int fd, uint32_t ev, void *op)
{
	struct rec *rr = op;
	int me = fd == rr->fds[0] ? 0 : 1;
	uint64_t v;

	rr->hits[me]++;
	assert_int_equal(read(fd, &v, 8), 8);
	ev_fd_del(l, rr->fds[!me]);
	close(rr->fds[!me]);
	rr->fds[!me] = -1;
}

/* Two ready fds: the first callback removes (and closes) the second. */
static void test_fd_del_from_cb(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct rec r = { 0 };
	uint64_t one = 1;

	r.fds[0] = eventfd(0, EFD_NONBLOCK);
	r.fds[1] = eventfd(0, EFD_NONBLOCK);
	assert_int_equal(ev_fd_add(loop, r.fds[0], EPOLLIN, del_other_cb, &r), 0);
	assert_int_equal(ev_fd_add(loop, r.fds[1], EPOLLIN, del_other_cb, &r), 0);
	assert_int_equal(write(r.fds[0], &one, 8), 8);
	assert_int_equal(write(r.fds[1], &one, 8), 8);
	assert_int_equal(ev_loop_run_once(loop, 100), 1);
	assert_int_equal(r.hits[0] + r.hits[1], 1);
	for (int i = 0; i < 2; i++)
		if (r.fds[i] >= 0) {
			ev_fd_del(loop, r.fds[i]);
			close(r.fds[i]);
		}
	ev_loop_free(loop);
}

static int idle_a, idle_b;
static void idle_b_cb(struct ev_loop *l, void *op) { idle_b++; }
static void idle_a_cb(struct ev_loop *l, void *op)
{
	idle_a++;
	if (idle_a == 1)
		ev_idle_add(l, idle_b_cb, NULL); /* runs from the next pass */
	if (idle_a == 2)
		ev_idle_del(l, idle_a_cb, op);
}

static void test_idle(void **state)
{
	struct ev_loop *loop = ev_loop_new();

	idle_a = idle_b = 0;
	assert_int_equal(ev_idle_add(loop, idle_a_cb, NULL), 0);
	assert_int_equal(ev_loop_run_once(loop, 0), 1);
	assert_int_equal(idle_b, 0);
	assert_int_equal(ev_loop_run_once(loop, 0), 2);
	assert_int_equal(ev_loop_run_once(loop, 0), 1);
	assert_int_equal(idle_a, 2);
	assert_int_equal(idle_b, 2);
	ev_idle_del(loop, idle_b_cb, NULL);
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	ev_loop_free(loop);
}

static void stop_cb(struct ev_loop *l, void *op) { ev_loop_stop(l); }

static void test_run_stop(void **state)
{
	struct ev_loop *loop = ev_loop_new();

	assert_false(ev_loop_stopped(loop));
	ev_timer_add(loop, ev_now_ns() + 1000000, stop_cb, NULL);
	/* pending timers are freed by ev_loop_free */
	ev_timer_add(loop, ev_now_ns() + 3600ull * 1000000000ull, stop_cb, NULL);
	assert_int_equal(ev_loop_run(loop), 0);
	assert_true(ev_loop_stopped(loop));
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_readable),
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_timer_cancel),
		cmocka_unit_test(test_timer_cancel_from_cb),
		cmocka_unit_test(test_timer_rearm),
		cmocka_unit_test(test_fd_del_from_cb),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_run_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
