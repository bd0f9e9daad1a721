/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one event loop (epoll) that drives the daemon: file descriptors and
 * one-shot timers on CLOCK_MONOTONIC. Every wait is bounded.
 */
#ifndef EVLOOP_H
#define EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct ev_loop;
struct ev_timer;

typedef void (*ev_fd_cb)(struct ev_loop *loop, int fd, uint32_t events, void *opaque);
typedef void (*ev_timer_cb)(struct ev_loop *loop, void *opaque);
/* Called once per loop iteration after fds and timers were handled. */
typedef void (*ev_idle_cb)(struct ev_loop *loop, void *opaque);

struct ev_loop *ev_loop_new(void);
void ev_loop_free(struct ev_loop *loop);

/* events are EPOLLIN/EPOLLOUT/...; callbacks may add/remove any fd. */
int ev_fd_add(struct ev_loop *loop, int fd, uint32_t events, ev_fd_cb cb, void *opaque);
int ev_fd_mod(struct ev_loop *loop, int fd, uint32_t events);
void ev_fd_del(struct ev_loop *loop, int fd);

/* Monotonic time in nanoseconds. */
uint64_t ev_now_ns(void);

/* One-shot timer at absolute monotonic deadline; cancel before it fires or
 * not at all (it frees itself after firing). */
struct ev_timer *ev_timer_add(struct ev_loop *loop, uint64_t deadline_ns,
			      ev_timer_cb cb, void *opaque);
void ev_timer_cancel(struct ev_loop *loop, struct ev_timer *t);

int ev_idle_add(struct ev_loop *loop, ev_idle_cb cb, void *opaque);
void ev_idle_del(struct ev_loop *loop, ev_idle_cb cb, void *opaque);

/* Run one iteration, waiting at most max_wait_ms (>= 0). Returns the number
 * of callbacks run, or -1 on epoll failure. */
int ev_loop_run_once(struct ev_loop *loop, int max_wait_ms);
/* Run until ev_loop_stop(); each wait bounded by 1 s. */
int ev_loop_run(struct ev_loop *loop);
void ev_loop_stop(struct ev_loop *loop);
bool ev_loop_stopped(const struct ev_loop *loop);

#endif
