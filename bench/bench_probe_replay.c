// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery cache figures: N guests replay Linux 6.12's arm_scmi probe
 * sequence (tests/support/linux_probe.c) through the cache in front of the
 * embedded reference platform. Prints the share answered from the cache
 * (second and later guests, overall) and the platform messages saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/cache.h"
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
	plat_desc_free(d);
	return 0;
}
