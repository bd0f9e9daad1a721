// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replays the discovery sequence Linux 6.12 arm_scmi sends at probe
 * (tests/support/linux_probe.c) for several guests through the discovery
 * cache in front of the embedded platform (all guests on one platform
 * agent), and checks the share answered from the cache, the platform
 * messages saved, and that cached answers equal the platform's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "mediator/cache.h"
#include "mediator/scmi_msg.h"
#include "tests/support/linux_probe.h"
#include "tests/support/plat_harness.h"

#define GUESTS 4
#define MED 1

struct replay {
	struct ph *h;
	struct scmi_cache *c;
	unsigned hits, sent;
	bool verify;          /* also ask the platform and compare */
	unsigned mismatches;
};

static size_t xfer(void *opaque, const uint8_t *req, size_t len, uint8_t *resp, size_t cap)
{
	struct replay *r = opaque;
	size_t n = cache_lookup(r->c, 0, req, len, cap, resp, cap);
	uint64_t gen = cache_generation(r->c);
	struct plat_reply out;
	uint8_t pr[SCMI_MSG_MAX];

	if (n) {
		r->hits++;
		if (r->verify) {
			plat_handle(r->h->p, MED, req, len, pr, cap, &out);
			if (out.len != n || memcmp(pr, resp, n))
				r->mismatches++;
		}
		return n;
	}
	r->sent++;
	plat_handle(r->h->p, MED, req, len, resp, cap, &out);
	cache_store(r->c, 0, req, len, cap, resp, out.len, gen);
	return out.len;
}

/* A platform with many clocks, power and perf domains, sensors, resets
 * and voltage domains. */
static char *big_platform(void)
{
	size_t cap = 16384, o = 0;
	char *s = malloc(cap);
	unsigned i;

	assert_non_null(s);
	o += (size_t)snprintf(s + o, cap - o, "agents = [ \"id=1,name=mediator,trusted=1\" ]\n"
			      "clocks = [\n");
	for (i = 0; i < 40; i++)
		o += (size_t)snprintf(s + o, cap - o, i % 3 ?
				      "\"name=clk%u,rates=1000 2000 3000 4000 5000 6000\",\n" :
				      "\"name=clock_with_a_long_name_%u,range=1000-900000/1000,"
				      "rate=2000,parents=1\",\n", i);
	o += (size_t)snprintf(s + o, cap - o, "]\npower_domains = [\n");
	for (i = 0; i < 24; i++)
		o += (size_t)snprintf(s + o, cap - o, "\"name=pd%u,state=off\",\n", i);
	o += (size_t)snprintf(s + o, cap - o, "]\nperf = [\n");
	for (i = 0; i < 6; i++)
		o += (size_t)snprintf(s + o, cap - o, "\"name=cpu%u,levels=100:10:10:100000 "
				      "200:20:10:200000 300:30:10:300000 400:40:10:400000 "
				      "500:50:10:500000 600:60:10:600000 700:70:10:700000 "
				      "800:80:10:800000 900:90:10:900000 1000:99:10:1000000 "
				      "1100:110:10:1100000 1200:120:10:1200000,level=100\",\n", i);
	o += (size_t)snprintf(s + o, cap - o, "]\nsensors = [\n");
	for (i = 0; i < 16; i++)
		o += (size_t)snprintf(s + o, cap - o, "\"name=temp%u,type=2,min=0,max=100,"
				      "value=40,intervals=1000 2000 5000\",\n", i);
	o += (size_t)snprintf(s + o, cap - o, "]\nresets = [\n");
	for (i = 0; i < 8; i++)
		o += (size_t)snprintf(s + o, cap - o, "\"name=rst%u\",\n", i);
	o += (size_t)snprintf(s + o, cap - o, "]\n");
	assert_true(o < cap);
	return s;
}

static void run(struct replay *r, const char *name)
{
	struct lp_stats st[GUESTS];
	unsigned g, first_cmds = 0, later_cmds = 0, later_hits = 0, total = 0, hits = 0;
	unsigned before_hits, before_sent;
	double later_share, share;

	for (g = 0; g < GUESTS; g++) {
		memset(&st[g], 0, sizeof(st[g]));
		before_hits = r->hits;
		before_sent = r->sent;
		linux_probe(xfer, r, SCMI_LINUX_MSG_SIZE, &st[g]);
		assert_int_equal(st[g].commands, (r->hits - before_hits) + (r->sent - before_sent));
		if (g == 0) {
			first_cmds = st[g].commands;
		} else {
			later_cmds += st[g].commands;
			later_hits += r->hits - before_hits;
			/* every guest runs the same sequence */
			assert_int_equal(st[g].commands, st[0].commands);
		}
	}
	total = first_cmds + later_cmds;
	hits = r->hits;
	later_share = 100.0 * later_hits / later_cmds;
	share = 100.0 * hits / total;
	printf("%s: %u guests, %u commands each; from cache: guests 2..%u %.1f %%, overall "
	       "%.1f %%; platform messages %u instead of %u (%u saved); cache %zu entries "
	       "%zu bytes\n", name, GUESTS, first_cmds, GUESTS, later_share, share, r->sent,
	       total, total - r->sent, cache_stats(r->c)->entries, cache_stats(r->c)->bytes);
	assert_true(first_cmds > 50);
	assert_true(later_share >= 95.0);
	/* overall: everything after the first guest, minus state-dependent misses */
	assert_true(share >= 95.0 * (GUESTS - 1) / GUESTS);
	assert_int_equal(r->mismatches, 0);
}

static void test_replay_big(void **state)
{
	char *cfg = big_platform();
	struct replay r = { .h = ph_new(cfg), .c = cache_new(1u << 20), .verify = true };

	(void)state;
	free(cfg);
	run(&r, "big platform");
	cache_free(r.c);
	ph_free(r.h);
}

static void test_replay_reference(void **state)
{
	struct replay r = { .h = ph_new_file("config/platforms/reference.cfg"),
			    .c = cache_new(1u << 20), .verify = true };

	(void)state;
	run(&r, "reference platform");
	cache_free(r.c);
	ph_free(r.h);
}

/* With a cache too small for a whole probe, LRU eviction keeps memory
 * bounded and answers stay right (the share drops). */
static void test_replay_small_cache(void **state)
{
	char *cfg = big_platform();
	struct replay r = { .h = ph_new(cfg), .c = cache_new(8192), .verify = true };
	struct lp_stats st = { 0 };
	unsigned g;

	(void)state;
	free(cfg);
	for (g = 0; g < 3; g++)
		linux_probe(xfer, &r, SCMI_LINUX_MSG_SIZE, &st);
	assert_true(cache_stats(r.c)->bytes <= 8192);
	assert_true(cache_stats(r.c)->evictions > 0);
	assert_int_equal(r.mismatches, 0);
	assert_true(r.sent > st.commands / 3);
	cache_free(r.c);
	ph_free(r.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_big),
		cmocka_unit_test(test_replay_reference),
		cmocka_unit_test(test_replay_small_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
