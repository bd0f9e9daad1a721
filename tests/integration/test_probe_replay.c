// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replays the discovery sequence Linux 6.12 arm_scmi sends at probe
 * (tests/support/linux_probe.c) for several guests through the discovery
 * cache in front of the embedded platform (all guests on one platform
 * agent), and checks the share answered from the cache, the platform
 * messages saved, and that cached answers equal the platform's.
 *
 * Then the whole path as the daemon wires it (guests with policies, the
 * view, the shared cache per platform channel, the dispatcher, the
 * embedded backend) with the cache warmed at start (cache_warm): every
 * guest's probe, the first one's included, is answered from the cache,
 * and every answer equals the one the same guest gets with no cache.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "mediator/cache.h"
#include "mediator/cache_warm.h"
#include "mediator/chan_share.h"
#include "mediator/evloop.h"
#include "mediator/policy.h"
#include "mediator/scmi_msg.h"
#include "tests/support/linux_probe.h"
#include "tests/support/plat_harness.h"
#include "tests/support/policy_env.h"

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

/* ---- the daemon's path, warmed --------------------------------------- */
struct gx {
	struct penv *e;
	unsigned gi;
	uint64_t hash;        /* FNV-1a of every answer of the probe */
};

static size_t gxfer(void *opaque, const uint8_t *req, size_t len, uint8_t *resp, size_t cap)
{
	struct gx *x = opaque;
	struct penv_guest *g = &x->e->g[x->gi];
	size_t i;

	penv_call(x->e, x->gi, req, len, cap);
	assert_true(g->resp_len <= cap);
	memcpy(resp, g->resp, g->resp_len);
	for (i = 0; i < g->resp_len; i++)
		x->hash = (x->hash ^ g->resp[i]) * 1099511628211ull;
	return g->resp_len;
}

struct wrun {
	unsigned cmds;                  /* of the first guest */
	uint64_t total;                 /* of every guest */
	uint64_t warm_msgs;             /* platform messages of the warm-up */
	uint64_t guest_msgs;            /* platform messages of the guests' probes */
	uint64_t hits;                  /* guests' commands answered from the cache */
	uint64_t hash[PENV_MAX_GUESTS];
};

static uint64_t plat_total(struct penv *e)
{
	uint64_t n = 0;

	for (unsigned a = 1; a <= 4; a++)
		n += plat_commands_received(e->p, a);
	return n;
}

static uint64_t hits_total(struct penv *e)
{
	uint64_t n = 0;

	for (unsigned c = 0; c < PENV_MAX_CHANS; c++)
		if (e->cs[c])
			n += cache_stats(chan_share_cache(e->cs[c]))->hits;
	return n;
}

/* What the guests of channel chan see (as the daemon's filter). */
struct wantctx {
	struct penv *e;
	unsigned chan;
};

static bool want(void *opaque, uint8_t proto, uint32_t id)
{
	struct wantctx *w = opaque;

	for (unsigned i = 0; i < w->e->ng; i++) {
		const struct policy *pol = w->e->g[i].pol;

		if (w->e->g[i].plat_agent - 1 != w->chan || !policy_allows(pol, proto))
			continue;
		if (id == CACHE_WARM_ANY || policy_res_plat(pol, proto, id))
			return true;
	}
	return false;
}

/* n guests: policies alternate guest1/guest2 over `nagents` platform agents
 * (2, or 2 and 3); warm: warm each channel's cache first. */
static void warm_run(unsigned n, unsigned nagents, bool warm, bool filter, struct wrun *out)
{
	const char *pols[PENV_MAX_GUESTS];
	unsigned agents[PENV_MAX_GUESTS], i, c;
	struct cache_warm_cfg cfg = { .max_cmds = 2048, .max_ns = 5000000000ull,
				      .resp_max = SCMI_LINUX_MSG_SIZE, .window = 8 };
	struct wantctx wc[PENV_MAX_CHANS];
	struct penv *e;
	uint64_t p0, p_start;

	for (i = 0; i < n; i++) {
		pols[i] = i % 2 ? "config/examples/guest2.policy" : "config/examples/guest1.policy";
		agents[i] = 2 + i % nagents;
	}
	penv_cache_bytes = warm ? 1u << 18 : 0;
	e = penv_new(pols, agents, n);
	memset(out, 0, sizeof(*out));
	p_start = p0 = plat_total(e);
	if (warm) {
		for (c = 0; c < PENV_MAX_CHANS; c++) {
			if (!e->cs[c])
				continue;
			wc[c].e = e;
			wc[c].chan = c;
			cfg.want = filter ? want : NULL;
			cfg.want_opaque = &wc[c];
			assert_int_equal(chan_share_warmup_setup(e->cs[c], e->loop, &cfg), 0);
			assert_int_equal(chan_share_warm(e->cs[c]), 0);
		}
		for (i = 0; i < 20000; i++) {
			bool busy = false;

			for (c = 0; c < PENV_MAX_CHANS; c++)
				if (e->cs[c] && cache_warm_running(chan_share_warmer(e->cs[c])))
					busy = true;
			if (!busy)
				break;
			ev_loop_run_once(e->loop, 5);
		}
		for (c = 0; c < PENV_MAX_CHANS; c++) {
			const struct cache_warm_stats *ws;

			if (!e->cs[c])
				continue;
			ws = cache_warm_stats(chan_share_warmer(e->cs[c]));
			assert_false(ws->running);
			assert_false(ws->bounded);
			assert_false(ws->timed_out);
			assert_true(ws->stored > 30);
		}
		/* a second run (a reload) asks nothing the cache has */
		p0 = plat_total(e);
		for (c = 0; c < PENV_MAX_CHANS; c++) {
			const struct cache_warm_stats *ws;
			unsigned stored;

			if (!e->cs[c])
				continue;
			stored = cache_warm_stats(chan_share_warmer(e->cs[c]))->stored;
			assert_int_equal(chan_share_warm(e->cs[c]), 0);
			for (i = 0; i < 1000 && cache_warm_running(chan_share_warmer(e->cs[c]));
			     i++)
				ev_loop_run_once(e->loop, 5);
			ws = cache_warm_stats(chan_share_warmer(e->cs[c]));
			assert_false(ws->running);
			assert_int_equal(ws->sent, 0);
			assert_int_equal(ws->cached, stored);
		}
		assert_int_equal(plat_total(e), p0);
	}
	out->warm_msgs = plat_total(e) - p_start;
	p0 = plat_total(e);
	for (i = 0; i < n; i++) {
		struct gx x = { .e = e, .gi = i, .hash = 14695981039346656037ull };
		struct lp_stats st = { 0 };
		uint64_t h0 = hits_total(e);

		linux_probe(gxfer, &x, SCMI_LINUX_MSG_SIZE, &st);
		out->hits += hits_total(e) - h0;
		out->hash[i] = x.hash;
		if (i == 0)
			out->cmds = st.commands;
		out->total += st.commands;
	}
	out->guest_msgs = plat_total(e) - p0;
	penv_free(e);
	penv_cache_bytes = 1u << 16;
}

static void test_replay_warm_guests(void **state)
{
	static const unsigned ns[] = { 1, 2, 8 };
	unsigned k, i, nag;

	(void)state;
	for (unsigned f = 0; f < 2; f++)
	for (nag = 1; nag <= 2; nag++)
		for (k = 0; k < 3; k++) {
			struct wrun w, b;
			unsigned n = ns[k];
			uint64_t guest_cmds;
			double share;

			if (n < nag)
				continue;
			warm_run(n, nag, false, false, &b);
			warm_run(n, nag, true, f, &w);
			/* every answer is what the guest gets without the cache */
			for (i = 0; i < n; i++)
				assert_true(w.hash[i] == b.hash[i]);
			assert_int_equal(b.hits, 0);
			guest_cmds = w.total;
			assert_int_equal(w.total, b.total);
			share = 100.0 * (double)w.hits / (double)guest_cmds;
			printf("warm cache (%s), %u guest%s on %u platform agent%s: %u commands per "
			       "probe (first guest); from cache %.1f %% (%" PRIu64 "/%" PRIu64 "); platform "
			       "messages: warm-up %" PRIu64 " + guests %" PRIu64 " = %" PRIu64
			       ", without cache %" PRIu64 " (saved %" PRId64 ")\n",
			       f ? "what the policies show" : "the whole platform", n,
			       n == 1 ? "" : "s", nag, nag == 1 ? "" : "s", w.cmds, share,
			       w.hits, guest_cmds, w.warm_msgs, w.guest_msgs,
			       w.warm_msgs + w.guest_msgs, b.guest_msgs,
			       (int64_t)b.guest_msgs - (int64_t)(w.warm_msgs + w.guest_msgs));
			assert_true(w.cmds > 30);
			assert_true(share >= 95.0);
			/* nothing of a guest's probe that reached the platform before
			 * does now, except what the cache cannot hold */
			assert_true(w.guest_msgs * 20 <= b.guest_msgs);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_big),
		cmocka_unit_test(test_replay_reference),
		cmocka_unit_test(test_replay_small_cache),
		cmocka_unit_test(test_replay_warm_guests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
