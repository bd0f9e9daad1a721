// SPDX-License-Identifier: GPL-2.0-only
/*
 * The epoll event loop: fds, one-shot timers (binary min-heap on
 * CLOCK_MONOTONIC) and idle callbacks.
 *
 * Removal from inside callbacks is safe: removed fd entries and idle
 * entries are only marked dead and freed at the end of the iteration, so
 * events already fetched by epoll_wait() for them are skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"

#define EV_MAX_EVENTS 64
#define EV_RUN_MAX_WAIT_MS 1000

struct ev_fd {
	int fd;
	ev_fd_cb cb;
	void *opaque;
	bool dead;
	struct ev_fd *next_dead;
};

struct ev_timer {
	uint64_t deadline;
	uint64_t seq;           /* FIFO order among equal deadlines */
	ev_timer_cb cb;
	void *opaque;
	size_t idx;             /* position in the heap; SIZE_MAX when popped */
};

struct ev_idle {
	ev_idle_cb cb;
	void *opaque;
	bool dead;
};

struct ev_loop {
	int epfd;
	bool stopped;
	/* fd table indexed by fd number */
	struct ev_fd **fds;
	size_t nfds_cap;
	struct ev_fd *dead_fds;
	/* timer heap */
	struct ev_timer **heap;
	size_t nheap, heap_cap;
	uint64_t timer_seq;
	/* idle callbacks */
	struct ev_idle *idles;
	size_t nidle, idle_cap;
	bool idle_dirty;
	unsigned depth;         /* > 0 while dispatching */
};

uint64_t ev_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

static void free_dead_fds(struct ev_loop *loop)
{
	while (loop->dead_fds) {
		struct ev_fd *e = loop->dead_fds;

		loop->dead_fds = e->next_dead;
		free(e);
	}
}

static void compact_idles(struct ev_loop *loop)
{
	size_t i, j = 0;

	if (!loop->idle_dirty)
		return;
	for (i = 0; i < loop->nidle; i++)
		if (!loop->idles[i].dead)
			loop->idles[j++] = loop->idles[i];
	loop->nidle = j;
	loop->idle_dirty = false;
}

void ev_loop_free(struct ev_loop *loop)
{
	size_t i;

	if (!loop)
		return;
	for (i = 0; i < loop->nfds_cap; i++)
		free(loop->fds[i]);
	free(loop->fds);
	free_dead_fds(loop);
	for (i = 0; i < loop->nheap; i++)
		free(loop->heap[i]);
	free(loop->heap);
	free(loop->idles);
	close(loop->epfd);
	free(loop);
}

/* ---- fds ----------------------------------------------------------------- */
int ev_fd_add(struct ev_loop *loop, int fd, uint32_t events, ev_fd_cb cb, void *opaque)
{
	struct epoll_event ev = { .events = events };
	struct ev_fd *e;

	if (fd < 0 || !cb)
		return -EINVAL;
	if ((size_t)fd >= loop->nfds_cap) {
		size_t ncap = loop->nfds_cap ? loop->nfds_cap : 64;
		struct ev_fd **n;

		while (ncap <= (size_t)fd)
			ncap *= 2;
		n = realloc(loop->fds, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + loop->nfds_cap, 0, (ncap - loop->nfds_cap) * sizeof(*n));
		loop->fds = n;
		loop->nfds_cap = ncap;
	}
	if (loop->fds[fd])
		return -EEXIST;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->fd = fd;
	e->cb = cb;
	e->opaque = opaque;
	ev.data.ptr = e;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;

		free(e);
		return err;
	}
	loop->fds[fd] = e;
	return 0;
}

int ev_fd_mod(struct ev_loop *loop, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	if (fd < 0 || (size_t)fd >= loop->nfds_cap || !loop->fds[fd])
		return -ENOENT;
	ev.data.ptr = loop->fds[fd];
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

void ev_fd_del(struct ev_loop *loop, int fd)
{
	struct ev_fd *e;

	if (fd < 0 || (size_t)fd >= loop->nfds_cap || !loop->fds[fd])
		return;
	e = loop->fds[fd];
	loop->fds[fd] = NULL;
	/* The fd may already be closed by the caller: ignore the error. */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	e->dead = true;
	e->next_dead = loop->dead_fds;
	loop->dead_fds = e;
	if (!loop->depth)
		free_dead_fds(loop);
}

/* ---- timers -------------------------------------------------------------- */
static bool timer_before(const struct ev_timer *a, const struct ev_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void heap_swap(struct ev_loop *loop, size_t i, size_t j)
{
	struct ev_timer *t = loop->heap[i];

	loop->heap[i] = loop->heap[j];
	loop->heap[j] = t;
	loop->heap[i]->idx = i;
	loop->heap[j]->idx = j;
}

static void heap_up(struct ev_loop *loop, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!timer_before(loop->heap[i], loop->heap[p]))
			break;
		heap_swap(loop, i, p);
		i = p;
	}
}

static void heap_down(struct ev_loop *loop, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < loop->nheap && timer_before(loop->heap[l], loop->heap[m]))
			m = l;
		if (r < loop->nheap && timer_before(loop->heap[r], loop->heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(loop, i, m);
		i = m;
	}
}

static void heap_remove(struct ev_loop *loop, size_t i)
{
	size_t last = loop->nheap - 1;

	loop->heap[i]->idx = SIZE_MAX;
	if (i != last) {
		loop->heap[i] = loop->heap[last];
		loop->heap[i]->idx = i;
	}
	loop->nheap--;
	if (i < loop->nheap) {
		heap_up(loop, i);
		heap_down(loop, loop->heap[i]->idx);
	}
}

struct ev_timer *ev_timer_add(struct ev_loop *loop, uint64_t deadline_ns,
			      ev_timer_cb cb, void *opaque)
{
	struct ev_timer *t;

	if (!cb)
		return NULL;
	if (loop->nheap == loop->heap_cap) {
		size_t ncap = loop->heap_cap ? loop->heap_cap * 2 : 16;
		struct ev_timer **n = realloc(loop->heap, ncap * sizeof(*n));

		if (!n)
			return NULL;
		loop->heap = n;
		loop->heap_cap = ncap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->deadline = deadline_ns;
	t->seq = loop->timer_seq++;
	t->cb = cb;
	t->opaque = opaque;
	t->idx = loop->nheap;
	loop->heap[loop->nheap++] = t;
	heap_up(loop, t->idx);
	return t;
}

void ev_timer_cancel(struct ev_loop *loop, struct ev_timer *t)
{
	if (!t || t->idx == SIZE_MAX)
		return; /* firing right now: freed by the loop after its callback */
	heap_remove(loop, t->idx);
	free(t);
}

/* ---- idle ---------------------------------------------------------------- */
int ev_idle_add(struct ev_loop *loop, ev_idle_cb cb, void *opaque)
{
	if (!cb)
		return -EINVAL;
	if (loop->nidle == loop->idle_cap) {
		size_t ncap = loop->idle_cap ? loop->idle_cap * 2 : 8;
		struct ev_idle *n = realloc(loop->idles, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		loop->idles = n;
		loop->idle_cap = ncap;
	}
	loop->idles[loop->nidle++] = (struct ev_idle){ .cb = cb, .opaque = opaque };
	return 0;
}

void ev_idle_del(struct ev_loop *loop, ev_idle_cb cb, void *opaque)
{
	size_t i;

	for (i = 0; i < loop->nidle; i++) {
		if (!loop->idles[i].dead && loop->idles[i].cb == cb &&
		    loop->idles[i].opaque == opaque) {
			loop->idles[i].dead = true;
			loop->idle_dirty = true;
			break;
		}
	}
	if (!loop->depth)
		compact_idles(loop);
}

/* ---- running ------------------------------------------------------------- */
static int wait_ms(struct ev_loop *loop, int max_wait_ms)
{
	uint64_t now, d, ms;

	if (!loop->nheap)
		return max_wait_ms;
	now = ev_now_ns();
	d = loop->heap[0]->deadline;
	if (d <= now)
		return 0;
	ms = (d - now + 999999) / 1000000;
	return ms < (uint64_t)max_wait_ms ? (int)ms : max_wait_ms;
}

static int run_timers(struct ev_loop *loop)
{
	uint64_t now = ev_now_ns();
	uint64_t limit = loop->timer_seq;
	int n = 0;

	/* Timers added by callbacks run in a later iteration (seq >= limit). */
	while (loop->nheap && loop->heap[0]->deadline <= now) {
		struct ev_timer *t = loop->heap[0];

		if (t->seq >= limit) {
			/* A new timer that is already due: defer it, unless
			 * older due timers sit behind it. */
			size_t i;
			bool older = false;

			for (i = 1; i < loop->nheap; i++)
				if (loop->heap[i]->deadline <= now &&
				    loop->heap[i]->seq < limit) {
					older = true;
					break;
				}
			if (!older)
				break;
			/* Run the older one first. */
			t = loop->heap[i];
		}
		heap_remove(loop, t->idx);
		t->cb(loop, t->opaque);
		free(t);
		n++;
	}
	return n;
}

int ev_loop_run_once(struct ev_loop *loop, int max_wait_ms)
{
	struct epoll_event evs[EV_MAX_EVENTS];
	int n, i, ran = 0;
	size_t k, nidle;

	if (max_wait_ms < 0)
		max_wait_ms = 0;
	n = epoll_wait(loop->epfd, evs, EV_MAX_EVENTS, wait_ms(loop, max_wait_ms));
	if (n < 0) {
		if (errno != EINTR)
			return -1;
		n = 0;
	}
	loop->depth++;
	for (i = 0; i < n; i++) {
		struct ev_fd *e = evs[i].data.ptr;

		if (e->dead)
			continue;
		e->cb(loop, e->fd, evs[i].events, e->opaque);
		ran++;
	}
	ran += run_timers(loop);
	/* Idle callbacks added during this pass run from the next one. */
	nidle = loop->nidle;
	for (k = 0; k < nidle; k++) {
		struct ev_idle *id = &loop->idles[k];

		if (id->dead)
			continue;
		id->cb(loop, id->opaque);
		ran++;
	}
	loop->depth--;
	if (!loop->depth) {
		free_dead_fds(loop);
		compact_idles(loop);
	}
	return ran;
}

int ev_loop_run(struct ev_loop *loop)
{
	while (!loop->stopped)
		if (ev_loop_run_once(loop, EV_RUN_MAX_WAIT_MS) < 0)
			return -1;
	return 0;
}

void ev_loop_stop(struct ev_loop *loop)
{
	loop->stopped = true;
}

bool ev_loop_stopped(const struct ev_loop *loop)
{
	return loop->stopped;
}
