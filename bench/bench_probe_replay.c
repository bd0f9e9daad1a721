// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery cache figures: N guests replay Linux 6.12's arm_scmi probe
 * sequence (tests/support/linux_probe.c) through the cache in front of the
 * embedded reference platform. Prints the share answered from the cache
 * (second and later guests, overall) and the platform messages saved.
 *
 * Then the same with the cache warmed first by the mediator's own
 * warm-up (cache_warm: dispatcher + embedded backend, the whole platform
 * walked) for 1, 2 and 8 guests: the share of the guests' commands
 * answered from the cache, the warm-up's platform messages, and the
 * messages saved against no cache (negative: the warm-up cost more).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/cache.h"
#include "mediator/cache_warm.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "tests/support/linux_probe.h"

struct replay {
	struct scmi_platform *p;
	struct scmi_cache *c;
	unsigned hits, sent;
};

static size_t xfer(void *opaque, const uint8_t *req, size_t len, uint8_t *resp, size_t cap)
{
	struct replay *r = opaque;
	size_t n = cache_lookup(r->c, 0, req, len, cap, resp, cap);
	uint64_t gen = cache_generation(r->c);
	struct plat_reply out;

	if (n) {
		r->hits++;
		return n;
	}
	r->sent++;
	plat_handle(r->p, 1, req, len, resp, cap, &out);
	cache_store(r->c, 0, req, len, cap, resp, out.len, gen);
	return out.len;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Warm-up, then n guests' probes; -1 on setup failure. */
static int warm_point(const struct plat_desc *d, unsigned n)
{
	struct cache_warm_cfg wc = { .max_cmds = 4096, .max_ns = 10000000000ull,
				     .resp_max = SCMI_LINUX_MSG_SIZE, .window = 8 };
	struct replay r = { 0 };
	struct ev_loop *loop = ev_loop_new();
	struct scmi_platform *p = plat_new(d);
	struct scmi_backend *b = loop && p ? embedded_backend_new(loop, p) : NULL;
	struct disp_config dc;
	struct dispatcher *disp;
	struct cache_warm *w;
	uint64_t warm_msgs, cmds = 0;
	unsigned g, i;
	double t0, t1;

	if (!b) {
		plat_free(p);
		ev_loop_free(loop);
		return -1;
	}
	disp_config_defaults(&dc);
	disp = disp_new(loop, b, &dc);
	r.p = p;
	r.c = cache_new(1u << 20);
	w = disp && r.c ? cache_warm_new(loop, disp, 0, r.c, &wc) : NULL;
	if (!w || cache_warm_start(w) < 0) {
		cache_warm_free(w);
		disp_free(disp);
		scmi_backend_destroy(b);
		ev_loop_free(loop);
		cache_free(r.c);
		return -1;
	}
	t0 = now_s();
	for (i = 0; i < 100000 && cache_warm_running(w); i++)
		ev_loop_run_once(loop, 10);
	t1 = now_s();
	warm_msgs = plat_commands_received(p, 1);
	for (g = 0; g < n; g++) {
		struct lp_stats st = { 0 };

		linux_probe(xfer, &r, SCMI_LINUX_MSG_SIZE, &st);
		cmds += st.commands;
	}
	printf("probe_replay: warm cache, %u guest%s: warm-up %" PRIu64 " platform messages "
	       "in %.2f ms%s%s; guests' %" PRIu64 " commands: %.1f %% from cache, %u reached "
	       "the platform; platform messages %" PRIu64 " instead of %" PRIu64 " (saved %"
	       PRId64 ")\n", n, n == 1 ? "" : "s", warm_msgs, (t1 - t0) * 1e3,
	       cache_warm_stats(w)->bounded ? " (stopped at the command limit)" : "",
	       cache_warm_stats(w)->timed_out ? " (stopped at the time limit)" : "", cmds,
	       100.0 * r.hits / (double)cmds, r.sent, warm_msgs + r.sent, cmds,
	       (int64_t)cmds - (int64_t)(warm_msgs + r.sent));
	cache_warm_free(w);
	disp_free(disp);
	scmi_backend_destroy(b);
	ev_loop_free(loop);
	cache_free(r.c);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "config/platforms/reference.cfg";
	unsigned guests = argc > 2 ? (unsigned)atoi(argv[2]) : 8, g, first = 0, later = 0;
	unsigned later_hits = 0, h0;
	struct plat_desc *d = plat_desc_load(path, stderr);
	struct replay r = { 0 };
	double t0, t1;

	if (!d || guests < 2 || guests > 1000) {
		fprintf(stderr, "usage: bench_probe_replay [platform.cfg] [guests >= 2]\n");
		plat_desc_free(d);
		return 1;
	}
	r.p = plat_new(d);
	r.c = cache_new(1u << 20);
	if (!r.p || !r.c) {
		fprintf(stderr, "bench_probe_replay: cannot create the platform or cache\n");
		return 1;
	}
	t0 = now_s();
	for (g = 0; g < guests; g++) {
		struct lp_stats st = { 0 };

		h0 = r.hits;
		linux_probe(xfer, &r, SCMI_LINUX_MSG_SIZE, &st);
		if (!g) {
			first = st.commands;
		} else {
			later += st.commands;
			later_hits += r.hits - h0;
		}
	}
	t1 = now_s();
	printf("probe_replay: platform %s, %u guests, %u discovery commands per guest\n", path,
	       guests, first);
	printf("probe_replay: from cache: guests 2..%u %.1f %%, overall %.1f %%\n", guests,
	       100.0 * later_hits / later, 100.0 * r.hits / (first + later));
	printf("probe_replay: platform messages %u instead of %u (%u saved), cache %zu entries "
	       "%zu bytes, %.1f us per command\n", r.sent, first + later, first + later - r.sent,
	       cache_stats(r.c)->entries, cache_stats(r.c)->bytes,
	       (t1 - t0) * 1e6 / (first + later));
	cache_free(r.c);
	plat_free(r.p);
	log_set_level(LOG_LVL_WARN);
	for (g = 0; g < 3; g++)
		if (warm_point(d, (unsigned[]){ 1, 2, 8 }[g]) < 0) {
			fprintf(stderr, "bench_probe_replay: cannot set up the warm-up\n");
			plat_desc_free(d);
			return 1;
		}
	plat_desc_free(d);
	return 0;
}
