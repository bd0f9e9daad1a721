// SPDX-License-Identifier: GPL-2.0-only
/* Range-clamped description lists of the view (mediator/view_lists.c):
 * a small platform model answers PERF_DESCRIBE_LEVELS, CLOCK_DESCRIBE_RATES
 * and VOLTAGE_DESCRIBE_LEVELS at Linux's 128-byte return-value size, both
 * to the forwarded requests and to the view's fetch (the discovery cache);
 * guests page through the view as Linux does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/policy_cfg.h"
#include "mediator/scmi_msg.h"
#include "mediator/view.h"

#define CAP SCMI_LINUX_MSG_SIZE

/* ---- the platform model --------------------------------------------------- */
/* perf 0: 100..1200 step 100 (12 levels, 6 a page); perf 1, 3, 4: the
 * same in level indexing mode; perf 2: not ascending */
static const uint32_t perf0[] = { 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100,
				  1200 };
static const uint32_t perf2[] = { 100, 300, 200 };
/* clock 0: 20 rates (14 a page); clock 1: triplet */
static uint64_t clk0[20];
/* voltage 0: 600000..1000000 uV step 50000; voltage 1: triplet */
static int32_t volt0[9];
static unsigned plat_v3;        /* PERF 3.0 platform (12-byte entries) */
static unsigned fetches, fetch_off;

static void put_hdr(uint8_t *resp, const uint8_t *req, int32_t st)
{
	scmi_put_le32(resp, scmi_get_le32(req));
	scmi_put_le32(resp + 4, (uint32_t)st);
}

static size_t list_reply(const uint8_t *req, uint8_t *resp, size_t cap, size_t total,
			 size_t es, void (*put)(uint8_t *, size_t))
{
	uint32_t idx = scmi_get_le32(req + 8);
	size_t n, i;

	if (idx >= total) {
		put_hdr(resp, req, SCMI_OUT_OF_RANGE);
		return 8;
	}
	n = (cap - 12) / es;
	if (n > total - idx)
		n = total - idx;
	put_hdr(resp, req, SCMI_SUCCESS);
	scmi_put_le32(resp + 8, (uint32_t)n | (uint32_t)(total - idx - n) << 16);
	for (i = 0; i < n; i++)
		put(resp + 12 + i * es, idx + i);
	return 12 + n * es;
}

static const uint32_t *cur_perf;
static void put_perf(uint8_t *e, size_t i)
{
	scmi_put_le32(e, cur_perf[i]);
	scmi_put_le32(e + 4, cur_perf[i] / 10);   /* power */
	scmi_put_le32(e + 8, 50);                  /* latency */
	if (!plat_v3) {
		scmi_put_le32(e + 12, cur_perf[i] * 1000);
		scmi_put_le32(e + 16, (uint32_t)i);
	}
}

static void put_clk(uint8_t *e, size_t i)
{
	scmi_put_le64(e, clk0[i]);
}

static void put_volt(uint8_t *e, size_t i)
{
	scmi_put_le32(e, (uint32_t)volt0[i]);
}

static size_t triplet(const uint8_t *req, uint8_t *resp, bool clk)
{
	if (scmi_get_le32(req + 8)) {
		put_hdr(resp, req, SCMI_OUT_OF_RANGE);
		return 8;
	}
	put_hdr(resp, req, SCMI_SUCCESS);
	scmi_put_le32(resp + 8, 3 | SCMI_LIST_TRIPLET);
	if (clk) {
		scmi_put_le64(resp + 12, 1000);
		scmi_put_le64(resp + 20, 100000);
		scmi_put_le64(resp + 28, 300);
		return 36;
	}
	scmi_put_le32(resp + 12, (uint32_t)-600000);
	scmi_put_le32(resp + 16, 1000000);
	scmi_put_le32(resp + 20, 12500);
	return 24;
}

static size_t plat(const uint8_t *req, size_t len, uint8_t *resp, size_t cap)
{
	uint32_t h = scmi_get_le32(req), id = len >= 8 ? scmi_get_le32(req + 4) : 0;
	uint8_t proto = scmi_hdr_proto(h), msg = scmi_hdr_msg_id(h);

	assert_true(cap >= CAP);
	cap = CAP;
	if (msg == SCMI_PROTOCOL_VERSION) {
		put_hdr(resp, req, SCMI_SUCCESS);
		scmi_put_le32(resp + 8, proto == SCMI_PROTO_PERF && !plat_v3 ? 0x40000 : 0x30000);
		return 12;
	}
	switch (proto << 8 | msg) {
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DOMAIN_ATTRIBUTES:
		put_hdr(resp, req, SCMI_SUCCESS);
		memset(resp + 8, 0, 32);
		scmi_put_le32(resp + 8, id == 1 || id >= 3 ? SCMI_PERF_DOM_LEVEL_INDEXING : 0);
		scmi_put_le32(resp + 16, 1000000);
		scmi_put_le32(resp + 20, 1000);
		return 40;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DESCRIBE_LEVELS:
		cur_perf = id == 2 ? perf2 : perf0;
		return list_reply(req, resp, cap, id == 2 ? 3 : 12,
				  plat_v3 ? SCMI_PERF_LEVEL_V3_LEN : SCMI_PERF_LEVEL_V4_LEN,
				  put_perf);
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_DESCRIBE_RATES:
		return id == 1 ? triplet(req, resp, true) : list_reply(req, resp, cap, 20, 8, put_clk);
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_DESCRIBE_LEVELS:
		return id == 1 ? triplet(req, resp, false) :
		       list_reply(req, resp, cap, 9, 4, put_volt);
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_LIMITS_GET:
		put_hdr(resp, req, SCMI_SUCCESS);
		scmi_put_le32(resp + 8, 1200);
		scmi_put_le32(resp + 12, 100);
		return 16;
	default:
		put_hdr(resp, req, SCMI_NOT_SUPPORTED);
		return 8;
	}
}

/* The discovery cache as the view's fetch (at Linux's capacity). */
static size_t fetch(void *opaque, const uint8_t *req, size_t len, uint8_t *resp, size_t cap)
{
	(void)opaque;
	fetches++;
	if (fetch_off)
		return 0;
	return plat(req, len, resp, cap);
}

/* ---- guests ------------------------------------------------------------------ */
static struct policy *load(const char *text)
{
	struct policy *p = policy_load_data("lists.policy", text, NULL, stderr);

	assert_non_null(p);
	return p;
}

static struct view *mkview(const struct policy *p, bool with_fetch)
{
	struct view_config vc = { .pol = p, .plat_agent_id = 2, .guest_agent_id = 1 };
	struct view *v = view_new(&vc);

	assert_non_null(v);
	if (with_fetch)
		view_set_fetch(v, fetch, NULL);
	return v;
}

/* One guest command through the view and the platform: the guest's reply. */
static size_t cmd(struct view *v, uint8_t proto, uint8_t msg, const uint32_t *w, unsigned n,
		  uint8_t *r)
{
	uint8_t m[64];
	size_t len = 4 + 4 * n, rlen = 0;
	unsigned i;

	scmi_put_le32(m, scmi_hdr(proto, msg, SCMI_MSG_COMMAND, 7));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, w[i]);
	if (view_request(v, m, &len, sizeof(m), r, &rlen, CAP) == AGENT_REPLY)
		return rlen;
	rlen = plat(m, len, r, SCMI_MSG_MAX);
	view_response(v, m, len, r, &rlen, CAP);
	assert_true(rlen <= CAP);
	return rlen;
}

/* Linux's discovery: PROTOCOL_VERSION, DOMAIN_ATTRIBUTES (perf), then the
 * list page by page. Values into out; returns the count, or -status. A
 * triplet sets *trip. */
static int walk(struct view *v, uint8_t proto, uint32_t gid, int64_t *out, size_t max,
		bool *trip)
{
	uint8_t r[SCMI_MSG_MAX], msg = proto == SCMI_PROTO_CLOCK ? SCMI_CLOCK_DESCRIBE_RATES :
					       SCMI_PERF_DESCRIBE_LEVELS;
	size_t es = proto == SCMI_PROTO_CLOCK ? 8 : proto == SCMI_PROTO_PERF ?
		    (plat_v3 ? 12 : 20) : 4, len, i;
	uint32_t idx = 0, f, nret, rem;
	int cnt = 0;

	*trip = false;
	cmd(v, proto, SCMI_PROTOCOL_VERSION, NULL, 0, r);
	if (proto == SCMI_PROTO_PERF)
		cmd(v, proto, SCMI_PERF_DOMAIN_ATTRIBUTES, (const uint32_t[]){ gid }, 1, r);
	do {
		len = cmd(v, proto, msg, (const uint32_t[]){ gid, idx }, 2, r);
		assert_true(len >= 8);
		if (scmi_get_le32(r + 4) != SCMI_SUCCESS)
			return (int32_t)scmi_get_le32(r + 4) < 0 ? (int32_t)scmi_get_le32(r + 4) : -1;
		f = scmi_get_le32(r + 8);
		nret = f & 0xfff;
		rem = f >> 16;
		assert_int_equal(len, 12 + nret * es);
		for (i = 0; i < nret && (size_t)cnt < max; i++) {
			const uint8_t *e = r + 12 + i * es;

			out[cnt++] = proto == SCMI_PROTO_CLOCK ? (int64_t)scmi_get_le64(e) :
				     proto == SCMI_PROTO_VOLTAGE ? (int64_t)(int32_t)scmi_get_le32(e) :
				     (int64_t)scmi_get_le32(e);
			/* v4 level indices: the guest's, dense from 0 */
			if (proto == SCMI_PROTO_PERF && es == 20)
				assert_int_equal(scmi_get_le32(e + 16), idx + i);
		}
		if (proto != SCMI_PROTO_PERF && (f & SCMI_LIST_TRIPLET)) {
			*trip = true;
			assert_int_equal(nret, 3);
			assert_int_equal(rem, 0);
			break;
		}
		idx += nret;
	} while (nret && rem);
	return cnt;
}

static void expect(const int64_t *got, int n, const int64_t *want, int wn)
{
	int i;

	assert_int_equal(n, wn);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static int setup(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 20; i++)
		clk0[i] = (i + 1) * 1000000ull;
	for (i = 0; i < 9; i++)
		volt0[i] = 600000 + 50000 * (int32_t)i;
	plat_v3 = 0;
	fetches = 0;
	fetch_off = 0;
	return 0;
}

static const char pol_a[] =
	"protocols = [ \"perf\", \"clock\", \"voltage\" ]\n"
	"perf = [ \"guest=0,platform=0,range=300-1000\", \"guest=1,platform=1,range=1-1\",\n"
	"         \"guest=2,platform=2,range=200-300\" ]\n"
	"clocks = [ \"guest=0,platform=0,range=5000000-17000000\",\n"
	"           \"guest=1,platform=1,range=2000-50000\" ]\n"
	"voltages = [ \"guest=0,platform=0,range=700000-900000\",\n"
	"             \"guest=1,platform=1,range=650001-900000\" ]\n";

static const char pol_b[] =
	"protocols = [ \"perf\", \"clock\", \"voltage\" ]\n"
	"perf = [ \"guest=0,platform=0,range=800-1150\" ]\n"
	"clocks = [ \"guest=0,platform=0,range=1-3500000\" ]\n"
	"voltages = [ \"guest=0,platform=0,range=-1000000-2000000\" ]\n";

/* level-indexing domain 1 of the model, ranges in platform level indexes */
static const char pol_idx[] =
	"protocols = [ \"perf\" ]\n"
	"perf = [ \"guest=0,platform=1,range=2-9\", \"guest=1,platform=3,range=10-40\",\n"
	"         \"guest=2,platform=4,range=20-30\" ]\n";

static const char pol_none[] =
	"protocols = [ \"perf\", \"clock\", \"voltage\" ]\n"
	"perf = [ \"guest=0,platform=0\" ]\n"
	"clocks = [ \"guest=0,platform=0\", \"guest=1,platform=1\" ]\n"
	"voltages = [ \"guest=0,platform=0\", \"guest=1,platform=1\" ]\n";

/* PERF list across pages (6 v4 levels a page): the guest sees 300..1000
 * with indices from 0; two guests with different ranges, each its own. */
static void test_perf_two_guests(void **state)
{
	struct policy *pa = load(pol_a), *pb = load(pol_b);
	struct view *va = mkview(pa, true), *vb = mkview(pb, true);
	int64_t got[32];
	bool trip;
	int n;

	(void)state;
	n = walk(va, SCMI_PROTO_PERF, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 300, 400, 500, 600, 700, 800, 900, 1000 }, 8);
	/* guest b: the first allowed level is on the platform's second page */
	n = walk(vb, SCMI_PROTO_PERF, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 800, 900, 1000, 1100 }, 4);
	/* a again: unchanged by b */
	n = walk(va, SCMI_PROTO_PERF, 0, got, 32, &trip);
	assert_int_equal(n, 8);
	/* past the guest's end */
	{
		uint8_t r[SCMI_MSG_MAX];

		cmd(va, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, (const uint32_t[]){ 0, 8 }, 2,
		    r);
		assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_OUT_OF_RANGE);
		/* a guest asking a later page first gets the same mapping */
		assert_int_equal(cmd(va, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS,
				     (const uint32_t[]){ 0, 6 }, 2, r), 12 + 2 * 20);
		assert_int_equal(scmi_get_le32(r + 8), 2);
		assert_int_equal(scmi_get_le32(r + 12), 900);
		assert_int_equal(scmi_get_le32(r + 32), 1000);
		/* limits intersected with the range */
		cmd(va, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, (const uint32_t[]){ 0 }, 1, r);
		assert_int_equal(scmi_get_le32(r + 8), 1000);
		assert_int_equal(scmi_get_le32(r + 12), 300);
		/* sustained level/frequency are the platform's */
		cmd(va, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, (const uint32_t[]){ 0 }, 1,
		    r);
		assert_int_equal(scmi_get_le32(r + 16), 1000000);
		assert_int_equal(scmi_get_le32(r + 20), 1000);
	}
	view_free(va);
	view_free(vb);
	policy_free(pa);
	policy_free(pb);
}

/* Level-indexing and not-ascending domains are passed as they are. */
static void test_perf_indexing_unascending(void **state)
{
	struct policy *pa = load(pol_a), *pi = load(pol_idx);
	struct view *va = mkview(pa, true), *vi = mkview(pi, true), *vn = mkview(pi, false);
	uint8_t r[SCMI_MSG_MAX];
	int64_t got[32];
	bool trip;
	int n;

	(void)state;
	/* level indexing, range=1-1 (platform indexes): the one level 200 */
	n = walk(va, SCMI_PROTO_PERF, 1, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 200 }, 1);
	/* range=2-9: platform indexes 2..9 as 0..7 over two pages (walk
	 * checks the level_index fields are the guest's) */
	n = walk(vi, SCMI_PROTO_PERF, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 300, 400, 500, 600, 700, 800, 900, 1000 }, 8);
	assert_int_equal(cmd(vi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS,
			     (const uint32_t[]){ 0, 6 }, 2, r), 12 + 2 * 20);
	assert_int_equal(scmi_get_le32(r + 8), 2);
	assert_int_equal(scmi_get_le32(r + 12), 900);
	assert_int_equal(scmi_get_le32(r + 12 + 16), 6);
	cmd(vi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, (const uint32_t[]){ 0, 8 }, 2, r);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_OUT_OF_RANGE);
	/* range=10-40 within 12 levels: 2 allowed */
	n = walk(vi, SCMI_PROTO_PERF, 1, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 1100, 1200 }, 2);
	/* range=20-30: nothing allowed, an empty list */
	n = walk(vi, SCMI_PROTO_PERF, 2, got, 32, &trip);
	assert_int_equal(n, 0);
	/* LIMITS_GET (platform 1200/100 as indexes would be past the run):
	 * clamped into the run and renumbered */
	cmd(vi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, (const uint32_t[]){ 0 }, 1, r);
	assert_int_equal(scmi_get_le32(r + 8), 7);
	assert_int_equal(scmi_get_le32(r + 12), 7);
	/* no fetch: the level count comes from the guest's own pages */
	n = walk(vn, SCMI_PROTO_PERF, 1, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 1100, 1200 }, 2);
	view_free(vi);
	view_free(vn);
	policy_free(pi);
	n = walk(va, SCMI_PROTO_PERF, 2, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 100, 300, 200 }, 3);
	view_free(va);
	policy_free(pa);
}

/* One LEVEL_SET through the view: the verdict; m holds what is forwarded. */
static enum agent_verdict level_set(struct view *v, uint32_t gid, uint32_t lvl, uint8_t *m,
				    uint8_t *r)
{
	size_t len = 12, rlen = 0;

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, SCMI_MSG_COMMAND, 3));
	scmi_put_le32(m + 4, gid);
	scmi_put_le32(m + 8, lvl);
	return view_request(v, m, &len, 64, r, &rlen, CAP);
}

/* Level indexing: LEVEL_SET renumbered into the run; a guest presented
 * PERF 3.0 never talks indexes (agent.c hides such a domain from it): its
 * view renumbers nothing and checks the range on the values as sent. */
static void test_perf_indexing_v3_guest(void **state)
{
	struct policy *pi = load(pol_idx), *p3 = load(
		"protocols = [ \"perf\" ]\nversions = [ \"perf=3.0\" ]\n"
		"perf = [ \"guest=0,platform=1,range=2-9\" ]\n");
	struct view *vi = mkview(pi, true), *v3 = mkview(p3, true);
	uint8_t m[64], r[SCMI_MSG_MAX];
	int64_t got[32];
	bool trip;

	(void)state;
	assert_int_equal(level_set(vi, 0, 0, m, r), AGENT_FORWARD);
	assert_int_equal(scmi_get_le32(m + 4), 1);
	assert_int_equal(scmi_get_le32(m + 8), 2);
	assert_int_equal(level_set(vi, 0, 8, m, r), AGENT_REPLY);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_OUT_OF_RANGE);
	/* v3 guest: values as they are */
	assert_int_equal(level_set(v3, 0, 0, m, r), AGENT_REPLY);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_OUT_OF_RANGE);
	assert_int_equal(level_set(v3, 0, 2, m, r), AGENT_FORWARD);
	assert_int_equal(scmi_get_le32(m + 8), 2);
	assert_int_equal(walk(v3, SCMI_PROTO_PERF, 0, got, 32, &trip), 12);
	view_free(vi);
	view_free(v3);
	policy_free(pi);
	policy_free(p3);
}

/* PERF 3.0 platform: 12-byte entries (10 a page). */
static void test_perf_v3(void **state)
{
	struct policy *pb = load(pol_b);
	struct view *vb = mkview(pb, true);
	int64_t got[32];
	bool trip;
	int n;

	(void)state;
	plat_v3 = 1;
	n = walk(vb, SCMI_PROTO_PERF, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 800, 900, 1000, 1100 }, 4);
	view_free(vb);
	policy_free(pb);
}

static void test_clock(void **state)
{
	struct policy *pa = load(pol_a), *pb = load(pol_b);
	struct view *va = mkview(pa, true), *vb = mkview(pb, true);
	int64_t got[32], want[13];
	bool trip;
	int n, i;

	(void)state;
	/* list over two platform pages (14 rates a page) */
	for (i = 0; i < 13; i++)
		want[i] = (i + 5) * 1000000ll;
	n = walk(va, SCMI_PROTO_CLOCK, 0, got, 32, &trip);
	assert_false(trip);
	expect(got, n, want, 13);
	n = walk(vb, SCMI_PROTO_CLOCK, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 1000000, 2000000, 3000000 }, 3);
	/* triplet 1000..100000 step 300 within 2000..50000: on the grid */
	n = walk(va, SCMI_PROTO_CLOCK, 1, got, 32, &trip);
	assert_true(trip);
	expect(got, n, (const int64_t[]){ 2200, 49900, 300 }, 3);
	view_free(va);
	view_free(vb);
	policy_free(pa);
	policy_free(pb);
}

static void test_voltage(void **state)
{
	struct policy *pa = load(pol_a), *pb = load(pol_b);
	struct view *va = mkview(pa, true), *vb = mkview(pb, true);
	int64_t got[32];
	bool trip;
	int n;

	(void)state;
	n = walk(va, SCMI_PROTO_VOLTAGE, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 700000, 750000, 800000, 850000, 900000 }, 5);
	/* the range covers all: every level */
	n = walk(vb, SCMI_PROTO_VOLTAGE, 0, got, 32, &trip);
	assert_int_equal(n, 9);
	/* segment -600000..1000000 step 12500 within 650001..900000 */
	n = walk(va, SCMI_PROTO_VOLTAGE, 1, got, 32, &trip);
	assert_true(trip);
	expect(got, n, (const int64_t[]){ 662500, 900000, 12500 }, 3);
	view_free(va);
	view_free(vb);
	policy_free(pa);
	policy_free(pb);
}

/* A guest without range=: every reply byte-identical to the platform's. */
static void test_no_range_identical(void **state)
{
	struct policy *p = load(pol_none);
	struct view *v = mkview(p, true);
	static const struct { uint8_t proto, msg; uint32_t id, idx; } q[] = {
		{ SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 0 },
		{ SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 6 },
		{ SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, 0, 0 },
		{ SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0, 0 },
		{ SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0, 14 },
		{ SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 1, 0 },
		{ SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 0, 0 },
		{ SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 1, 0 },
	};
	uint8_t r[SCMI_MSG_MAX], want[SCMI_MSG_MAX], m[12];
	size_t i, len, wlen;

	(void)state;
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		unsigned nw = q[i].msg == SCMI_PERF_LIMITS_GET ? 1 : 2;

		len = cmd(v, q[i].proto, q[i].msg, (const uint32_t[]){ q[i].id, q[i].idx }, nw, r);
		scmi_put_le32(m, scmi_hdr(q[i].proto, q[i].msg, SCMI_MSG_COMMAND, 7));
		scmi_put_le32(m + 4, q[i].id);
		scmi_put_le32(m + 8, q[i].idx);
		wlen = plat(m, 4 + 4 * nw, want, SCMI_MSG_MAX);
		assert_int_equal(len, wlen);
		assert_memory_equal(r, want, len);
	}
	assert_int_equal(fetches, 0);
	view_free(v);
	policy_free(p);
}

/* Without the cache: a list on one page is learned from the guest's own
 * first page; a longer one is passed unclamped. */
static void test_no_fetch(void **state)
{
	struct policy *pa = load(pol_a);
	struct view *va = mkview(pa, true);
	int64_t got[32];
	bool trip;
	int n;

	(void)state;
	fetch_off = 1;
	n = walk(va, SCMI_PROTO_VOLTAGE, 0, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 700000, 750000, 800000, 850000, 900000 }, 5);
	n = walk(va, SCMI_PROTO_VOLTAGE, 1, got, 32, &trip);
	expect(got, n, (const int64_t[]){ 662500, 900000, 12500 }, 3);
	/* clock list of 20 over two pages: unclamped (and stays so) */
	n = walk(va, SCMI_PROTO_CLOCK, 0, got, 32, &trip);
	assert_int_equal(n, 20);
	n = walk(va, SCMI_PROTO_CLOCK, 0, got, 32, &trip);
	assert_int_equal(n, 20);
	/* after a guest reset with the cache back: clamped */
	fetch_off = 0;
	view_reset(va);
	n = walk(va, SCMI_PROTO_CLOCK, 0, got, 32, &trip);
	assert_int_equal(n, 13);
	view_free(va);
	policy_free(pa);
}

/* A range that allows nothing: an empty list (and nothing past it). */
static void test_empty(void **state)
{
	struct policy *p = load("protocols = [ \"perf\", \"clock\" ]\n"
				"perf = [ \"guest=0,platform=0,range=1250-1300\" ]\n"
				"clocks = [ \"guest=0,platform=1,range=100001-200000\" ]\n");
	struct policy *p2 = load("protocols = [ \"clock\" ]\n"
				 "clocks = [ \"guest=0,platform=1,range=1001-1299\" ]\n");
	struct view *v = mkview(p, true), *v2 = mkview(p2, true);
	uint8_t r[SCMI_MSG_MAX];
	int64_t got[32];
	bool trip;

	(void)state;
	assert_int_equal(walk(v, SCMI_PROTO_PERF, 0, got, 32, &trip), 0);
	assert_int_equal(cmd(v, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS,
			     (const uint32_t[]){ 0, 1 }, 2, r), 8);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_OUT_OF_RANGE);
	/* triplet 1000..100000 step 300: nothing in 100001..200000, nor
	 * between two grid points (1001..1299) */
	assert_int_equal(walk(v, SCMI_PROTO_CLOCK, 0, got, 32, &trip), 0);
	assert_int_equal(walk(v2, SCMI_PROTO_CLOCK, 0, got, 32, &trip), 0);
	view_free(v);
	view_free(v2);
	policy_free(p);
	policy_free(p2);
}

/* Hostile platform replies: counts beyond the length, empty pages. */
static void test_hostile(void **state)
{
	struct policy *pa = load(pol_a);
	struct view *va = mkview(pa, true);
	uint8_t m[12], r[SCMI_MSG_MAX];
	size_t len = 12, rlen = 0;

	(void)state;
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS,
				  SCMI_MSG_COMMAND, 9));
	scmi_put_le32(m + 4, 0);
	scmi_put_le32(m + 8, 0);
	assert_int_equal(view_request(va, m, &len, sizeof(m), r, &rlen, CAP), AGENT_FORWARD);
	assert_int_equal(scmi_get_le32(m + 8), 2);          /* 700000 is platform index 2 */
	/* claims 30 levels in 5 words */
	put_hdr(r, m, SCMI_SUCCESS);
	scmi_put_le32(r + 8, 30);
	rlen = 20;
	view_response(va, m, len, r, &rlen, CAP);
	assert_int_equal(rlen, 8);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_PROTOCOL_ERROR);
	/* a value outside the range where the run should be */
	put_hdr(r, m, SCMI_SUCCESS);
	scmi_put_le32(r + 8, 1);
	scmi_put_le32(r + 12, 100);
	rlen = 16;
	view_response(va, m, len, r, &rlen, CAP);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_GENERIC_ERROR);
	/* too short for the header word */
	put_hdr(r, m, SCMI_SUCCESS);
	rlen = 10;
	view_response(va, m, len, r, &rlen, CAP);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_PROTOCOL_ERROR);
	/* a guest index beyond any list */
	scmi_put_le32(m + 8, 0xffffffffu);
	len = 12;
	assert_int_equal(view_request(va, m, &len, sizeof(m), r, &rlen, CAP), AGENT_REPLY);
	assert_int_equal((int32_t)scmi_get_le32(r + 4), SCMI_OUT_OF_RANGE);
	view_free(va);
	policy_free(pa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_perf_two_guests, setup),
		cmocka_unit_test_setup(test_perf_indexing_unascending, setup),
		cmocka_unit_test_setup(test_perf_v3, setup),
		cmocka_unit_test_setup(test_perf_indexing_v3_guest, setup),
		cmocka_unit_test_setup(test_clock, setup),
		cmocka_unit_test_setup(test_voltage, setup),
		cmocka_unit_test_setup(test_no_range_identical, setup),
		cmocka_unit_test_setup(test_no_fetch, setup),
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_hostile, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
