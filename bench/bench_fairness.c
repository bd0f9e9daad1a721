// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fairness between guests sharing a platform channel: two agents on one
 * dispatcher in front of the embedded platform with an injected reply
 * latency. A "trickle" guest sends one command at a time; a "flood" guest
 * keeps its queue full. Prints the trickle guest's p50/p99 latency alone
 * and next to the flooder, and the p99 ratio (goal <= 2).
 *
 *   bench_fairness [SAMPLES] [LATENCY_US] [CLIENT_MAX_INFLIGHT] [PLATFORM_CFG]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/agent.h"
#include "mediator/base_cache.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"

struct guest {
	struct agent *a;
	unsigned outstanding;
	unsigned long done, errors;
	uint64_t t_sent, last_lat;
	bool got;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void out_complete(void *opaque, uint32_t cookie, const uint8_t *resp, size_t len)
{
	struct guest *g = opaque;

	(void)cookie;
	g->outstanding--;
	g->done++;
	if (len < 8 || scmi_get_le32(resp + 4) != SCMI_SUCCESS)
		g->errors++;
	g->last_lat = now_ns() - g->t_sent;
	g->got = true;
}

static int out_event(void *opaque, const uint8_t *msg, size_t len)
{
	(void)opaque;
	(void)msg;
	(void)len;
	return 0;
}

static void send(struct guest *g, uint32_t cookie)
{
	uint8_t m[8];

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, cookie & 0x3ff));
	scmi_put_le32(m + 4, 0);
	g->outstanding++;
	agent_command(g->a, cookie, m, sizeof(m), SCMI_LINUX_MSG_SIZE);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Trickle latency samples, with or without the flooder keeping `depth`
 * commands outstanding. */
static int measure(struct ev_loop *loop, struct guest *t, struct guest *f, unsigned depth,
		   unsigned n, uint64_t *lat)
{
	unsigned i, guard;
	uint32_t fc = 0;

	for (i = 0; i < n; i++) {
		while (f && f->outstanding < depth)
			send(f, fc++);
		t->got = false;
		t->t_sent = now_ns();
		send(t, i);
		for (guard = 0; !t->got && guard < 1000000; guard++) {
			if (ev_loop_run_once(loop, 10) < 0)
				return -1;
			while (f && f->outstanding < depth)
				send(f, fc++);
		}
		if (!t->got)
			return -1;
		lat[i] = t->last_lat;
	}
	/* let the flooder's queue drain */
	for (guard = 0; f && f->outstanding && guard < 1000000; guard++)
		if (ev_loop_run_once(loop, 10) < 0)
			return -1;
	qsort(lat, n, sizeof(*lat), cmp_u64);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct agent_out_ops out = { .complete = out_complete, .event = out_event };
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
	uint64_t lat_us = argc > 2 ? strtoull(argv[2], NULL, 0) : 1000;
	unsigned cap = argc > 3 ? (unsigned)atoi(argv[3]) : 0;
	const char *pcfg = argc > 4 ? argv[4] : "bench/platform.cfg";
	struct agent_config tc = { .name = "trickle", .chan = 0, .agent_id = 1, .num_agents = 2 };
	struct agent_config fc = { .name = "flood", .chan = 0, .agent_id = 2, .num_agents = 2 };
	struct plat_faults faults = { 0 };
	struct guest t = { 0 }, f = { 0 };
	struct plat_desc *desc;
	struct scmi_platform *plat;
	struct scmi_backend *be;
	struct dispatcher *disp;
	struct base_cache *bc;
	struct disp_config dc;
	struct ev_loop *loop;
	uint64_t *alone, *busy;
	double r;

	if (n < 100 || n > 1000000) {
		fprintf(stderr, "usage: bench_fairness [SAMPLES >= 100] [LATENCY_US] "
			"[INFLIGHT] [CFG]\n");
		return 2;
	}
	desc = plat_desc_load(pcfg, stderr);
	if (!desc)
		return 1;
	plat = plat_new(desc);
	loop = ev_loop_new();
	alone = calloc(n, sizeof(*alone));
	busy = calloc(n, sizeof(*busy));
	if (!plat || !loop || !alone || !busy)
		return 1;
	faults.latency_ns = lat_us * 1000;
	plat_set_faults(plat, &faults);
	be = embedded_backend_new(loop, plat);
	if (!be)
		return 1;
	disp_config_defaults(&dc);
	if (cap)
		dc.client_max_inflight = cap;
	disp = disp_new(loop, be, &dc);
	bc = base_cache_new(disp, 0);
	t.a = agent_new(loop, disp, bc, &tc, &out, &t);
	f.a = agent_new(loop, disp, bc, &fc, &out, &f);
	if (!disp || !bc || !t.a || !f.a)
		return 1;
	if (measure(loop, &t, NULL, 0, n, alone) ||
	    measure(loop, &t, &f, dc.client_max_queued, n, busy)) {
		fprintf(stderr, "bench_fairness: a command did not complete\n");
		return 1;
	}
	r = (double)busy[n * 99 / 100] / (double)alone[n * 99 / 100];
	printf("fairness: platform latency %llu us, flooder keeps %u queued (cap %u at the "
	       "platform), %u samples\n", (unsigned long long)lat_us, dc.client_max_queued,
	       dc.client_max_inflight, n);
	printf("fairness: trickle alone  p50 %.1f us p99 %.1f us\n", alone[n / 2] / 1e3,
	       alone[n * 99 / 100] / 1e3);
	printf("fairness: with flooder   p50 %.1f us p99 %.1f us (flooder completed %lu)\n",
	       busy[n / 2] / 1e3, busy[n * 99 / 100] / 1e3, f.done);
	printf("fairness: p99 ratio %.2f (goal <= 2.00) %s\n", r, r <= 2.0 ? "ok" : "MISSED");
	if (t.errors || f.errors)
		fprintf(stderr, "bench_fairness: %lu/%lu errors\n", t.errors, f.errors);
	agent_free(t.a);
	agent_free(f.a);
	base_cache_free(bc);
	disp_free(disp);
	scmi_backend_destroy(be);
	plat_desc_free(desc);
	ev_loop_free(loop);
	free(alone);
	free(busy);
	return 0;
}
