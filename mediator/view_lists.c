// SPDX-License-Identifier: GPL-2.0-only
/*
 * Range-clamped value lists of one guest's view (view_lists.h).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scmi_msg.h"
#include "view_lists.h"

#define VL_MAX_PAGES 1024u            /* walk bound: pages of one list */
#define RAW_LEARN 1u
#define RAW_INDEXED 2u

enum vl_state {
	VL_UNKNOWN = 0,
	VL_LIST,                      /* first/count known: cut and renumber */
	VL_TRIPLET,                   /* min/max/step: clamp */
	VL_PASS,                      /* unclampable: passed as the platform gives it */
};

struct vl_res {
	uint8_t state;                /* enum vl_state */
	bool attrs_known, indexing;   /* PERF: level-indexing mode */
	bool logged;                  /* VL_PASS reported */
	bool nknown;                  /* level indexing: nlevels learned */
	uint32_t nlevels;             /* level indexing: the platform's level count */
	uint32_t first, count;        /* platform index of the first allowed; how many */
};

struct view_lists {
	const struct policy *pol;
	struct vl_res *res[3];        /* perf, clock, voltage; by guest id */
	uint32_t perf_version;        /* the platform's, 0: unknown */
	bool perf_v3;                 /* the guest is presented PERF 3.x (versions.c) */
	view_fetch_fn fetch;
	void *fopaque;
	/* in-flight DESCRIBE by guest token: RAW_LEARN forwarded with unknown
	 * knowledge, RAW_INDEXED renumbered as a level-indexing list */
	uint8_t raw[SCMI_TOKEN_MAX];
};

static int slot(uint8_t proto)
{
	switch (proto) {
	case SCMI_PROTO_PERF: return 0;
	case SCMI_PROTO_CLOCK: return 1;
	case SCMI_PROTO_VOLTAGE: return 2;
	default: return -1;
	}
}

struct view_lists *vl_new(const struct policy *p)
{
	static const uint8_t protos[3] = { SCMI_PROTO_PERF, SCMI_PROTO_CLOCK, SCMI_PROTO_VOLTAGE };
	struct view_lists *l = calloc(1, sizeof(*l));
	unsigned i, n;

	if (!l)
		return NULL;
	l->pol = p;
	l->perf_v3 = p->version[POL_IDX(SCMI_PROTO_PERF)] &&
		     p->version[POL_IDX(SCMI_PROTO_PERF)] < 0x40000u;
	for (i = 0; i < 3; i++) {
		n = p->proto[POL_IDX(protos[i])].nres;
		if (!n)
			continue;
		l->res[i] = calloc(n, sizeof(*l->res[i]));
		if (!l->res[i]) {
			vl_free(l);
			return NULL;
		}
	}
	return l;
}

void vl_free(struct view_lists *l)
{
	unsigned i;

	if (!l)
		return;
	for (i = 0; i < 3; i++)
		free(l->res[i]);
	free(l);
}

void vl_set_fetch(struct view_lists *l, view_fetch_fn fn, void *opaque)
{
	l->fetch = fn;
	l->fopaque = opaque;
}

void vl_reset(struct view_lists *l)
{
	unsigned i, j, n;
	static const uint8_t protos[3] = { SCMI_PROTO_PERF, SCMI_PROTO_CLOCK, SCMI_PROTO_VOLTAGE };

	memset(l->raw, 0, sizeof(l->raw));
	for (i = 0; i < 3; i++) {
		n = l->pol->proto[POL_IDX(protos[i])].nres;
		for (j = 0; l->res[i] && j < n; j++) {
			l->res[i][j].state = VL_UNKNOWN;
			l->res[i][j].logged = false;
			l->res[i][j].nknown = false;
		}
	}
}

static struct vl_res *res_of(struct view_lists *l, uint8_t proto, const struct pol_res *r)
{
	int s = slot(proto);

	if (s < 0 || !r || !l->res[s] || r->guest_id >= l->pol->proto[POL_IDX(proto)].nres)
		return NULL;
	return &l->res[s][r->guest_id];
}

void vl_note_version(struct view_lists *l, uint8_t proto, uint32_t version)
{
	if (proto == SCMI_PROTO_PERF)
		l->perf_version = version;
}

void vl_note_perf_attrs(struct view_lists *l, const struct pol_res *r, uint32_t attrs)
{
	struct vl_res *x = res_of(l, SCMI_PROTO_PERF, r);

	if (!x)
		return;
	x->attrs_known = true;
	x->indexing = (attrs & SCMI_PERF_DOM_LEVEL_INDEXING) != 0;
}

static uint32_t clamp_u32(uint32_t v, const struct pol_res *r)
{
	if ((int64_t)v < r->min)
		return (uint32_t)r->min;
	if ((int64_t)v > r->max)
		return (uint32_t)r->max;
	return v;
}

/* ---- list parsing ---------------------------------------------------------- */
/* Size of one entry of a list reply of n entries in len bytes (0: malformed). */
static size_t entry_size(const struct view_lists *l, uint8_t proto, bool triplet, size_t len,
			 size_t n)
{
	size_t es;

	switch (proto) {
	case SCMI_PROTO_PERF:
		if (l->perf_version)
			es = l->perf_version >= 0x40000u ? SCMI_PERF_LEVEL_V4_LEN :
			     SCMI_PERF_LEVEL_V3_LEN;
		else
			es = len >= 12 + n * SCMI_PERF_LEVEL_V4_LEN ? SCMI_PERF_LEVEL_V4_LEN :
			     SCMI_PERF_LEVEL_V3_LEN;
		break;
	case SCMI_PROTO_CLOCK:
		es = 8;
		break;
	default:
		es = 4;
		break;
	}
	if (triplet && n != 3)
		return 0;
	return 12 + n * es <= len ? es : 0;
}

/* Entry value as a signed 64-bit number (clock rates above INT64_MAX
 * saturate: above any range). */
static int64_t entry_val(uint8_t proto, const uint8_t *e)
{
	uint64_t u;

	switch (proto) {
	case SCMI_PROTO_CLOCK:
		u = scmi_get_le64(e);
		return u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
	case SCMI_PROTO_VOLTAGE:
		return (int32_t)scmi_get_le32(e);
	default:
		return scmi_get_le32(e);
	}
}

static void put_val(uint8_t proto, uint8_t *e, int64_t v)
{
	if (proto == SCMI_PROTO_CLOCK)
		scmi_put_le64(e, (uint64_t)v);
	else
		scmi_put_le32(e, (uint32_t)v);
}

/* Progress of a walk over one list. */
struct walk {
	uint32_t below, allowed;
	bool ended, bad, have_prev;
	int64_t prev;
};

static void walk_page(uint8_t proto, const struct pol_res *r, const uint8_t *ents, size_t es,
		      size_t n, struct walk *w)
{
	size_t i;

	for (i = 0; i < n && !w->bad; i++) {
		int64_t v = entry_val(proto, ents + i * es);

		if (w->have_prev && v < w->prev) {
			w->bad = true;           /* not ascending as the spec says */
			break;
		}
		w->have_prev = true;
		w->prev = v;
		if (v < r->min)
			w->below++;
		else if (v <= r->max)
			w->allowed++;
		else
			w->ended = true;
	}
}

static void pass(struct view_lists *l, struct vl_res *x, uint8_t proto, const struct pol_res *r,
		 const char *why)
{
	x->state = VL_PASS;
	if (x->logged)
		return;
	x->logged = true;
	log_warn("%s:%d: %s %u (platform %u): list passed unclamped to range= (%s)",
		 l->pol->path, r->line,
		 proto == SCMI_PROTO_PERF ? "perf domain" :
		 proto == SCMI_PROTO_CLOCK ? "clock" : "voltage domain",
		 r->guest_id, r->plat_id, why);
}

/* One platform page through the fetch: its length or 0. */
static size_t fetch_page(struct view_lists *l, uint8_t proto, uint8_t msg, uint32_t id,
			 uint32_t idx, unsigned nwords, uint8_t *resp, size_t cap)
{
	uint8_t req[12];

	if (!l->fetch)
		return 0;
	scmi_put_le32(req, scmi_hdr(proto, msg, SCMI_MSG_COMMAND, 0));
	scmi_put_le32(req + 4, id);
	scmi_put_le32(req + 8, idx);
	return l->fetch(l->fopaque, req, 4 + 4 * nwords, resp, cap);
}

/* The facts a PERF domain needs before its list can be clamped. */
static bool perf_facts(struct view_lists *l, struct vl_res *x, const struct pol_res *r)
{
	uint8_t b[SCMI_MSG_MAX];
	size_t n;

	if (!l->perf_version) {
		n = fetch_page(l, SCMI_PROTO_PERF, SCMI_PROTOCOL_VERSION, 0, 0, 0, b, sizeof(b));
		if (n >= 12 && scmi_get_le32(b + 4) == SCMI_SUCCESS)
			l->perf_version = scmi_get_le32(b + 8);
	}
	if (!x->attrs_known) {
		n = fetch_page(l, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, r->plat_id, 0, 1, b,
			       sizeof(b));
		if (n >= 12 && scmi_get_le32(b + 4) == SCMI_SUCCESS)
			vl_note_perf_attrs(l, r, scmi_get_le32(b + 8));
	}
	return x->attrs_known;
}

/* Learn first/count by walking the platform's list through the fetch. */
static bool learn(struct view_lists *l, struct vl_res *x, uint8_t proto, uint8_t msg,
		  const struct pol_res *r)
{
	uint8_t b[SCMI_MSG_MAX];
	struct walk w = { 0 };
	uint32_t idx = 0, f, nret;
	unsigned page;
	size_t len, es;

	for (page = 0; page < VL_MAX_PAGES; page++) {
		len = fetch_page(l, proto, msg, r->plat_id, idx, 2, b, sizeof(b));
		if (len < 12 || scmi_get_le32(b + 4) != SCMI_SUCCESS)
			return false;
		f = scmi_get_le32(b + 8);
		nret = f & SCMI_LIST_RETURNED_MASK;
		if (proto != SCMI_PROTO_PERF && (f & SCMI_LIST_TRIPLET)) {
			if (idx != 0 || !entry_size(l, proto, true, len, nret)) {
				pass(l, x, proto, r, "malformed triplet");
				return true;
			}
			x->state = VL_TRIPLET;
			return true;
		}
		es = entry_size(l, proto, false, len, nret);
		if (!es || !nret) {
			pass(l, x, proto, r, "malformed platform list");
			return true;
		}
		walk_page(proto, r, b + 12, es, nret, &w);
		if (w.bad) {
			pass(l, x, proto, r, "platform list not ascending");
			return true;
		}
		idx += nret;
		if (w.ended || !(f >> SCMI_LIST_REMAINING_SHIFT))
			break;
	}
	if (page == VL_MAX_PAGES || w.allowed > 0xffffu) {
		pass(l, x, proto, r, "platform list too long");
		return true;
	}
	x->state = VL_LIST;
	x->first = w.below;
	x->count = w.allowed;
	return true;
}

/* ---- level-indexing PERF domains ------------------------------------------ */
/* The level count of a level-indexing domain from one DESCRIBE_LEVELS page
 * starting at platform index idx (num_returned + num_remaining). */
static void note_nlevels(struct vl_res *x, uint32_t idx, const uint8_t *resp, size_t len)
{
	uint32_t f;
	uint64_t n;

	if (len < 12 || scmi_get_le32(resp + 4) != SCMI_SUCCESS)
		return;
	f = scmi_get_le32(resp + 8);
	n = (uint64_t)idx + (f & SCMI_LIST_RETURNED_MASK) + (f >> SCMI_LIST_REMAINING_SHIFT);
	x->nlevels = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	x->nknown = true;
}

/* The allowed run of platform indexes: the range (in platform level
 * indexes, as the wire values are) within 0..nlevels-1 (nlevels unknown:
 * the range alone; the platform refuses indexes past its end). */
static void idx_run(struct vl_res *x, const struct pol_res *r)
{
	int64_t lo = r->min < 0 ? 0 : r->min, hi = r->max;

	if (x->nknown && hi > (int64_t)x->nlevels - 1)
		hi = (int64_t)x->nlevels - 1;
	if (lo > UINT32_MAX)
		lo = UINT32_MAX;
	if (hi > UINT32_MAX)
		hi = UINT32_MAX;
	x->first = (uint32_t)lo;
	x->count = hi >= lo ? (hi - lo + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(hi - lo + 1)) :
		   0;
}

/* r is a level-indexing PERF domain whose indexes this guest's view
 * renumbers (it has a range, the guest talks PERF v4, the mode is known
 * and its list is not passed unclamped): its knowledge with the run
 * computed, else NULL. */
static struct vl_res *indexed(struct view_lists *l, const struct pol_res *r)
{
	struct vl_res *x = res_of(l, SCMI_PROTO_PERF, r);
	uint8_t b[SCMI_MSG_MAX];
	size_t n;

	if (!x || !r->has_range || l->perf_v3 || x->state == VL_PASS)
		return NULL;
	if (!x->attrs_known)
		perf_facts(l, x, r);
	if (!x->attrs_known || !x->indexing)
		return NULL;
	if (!x->nknown) {
		n = fetch_page(l, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, r->plat_id, 0, 2, b,
			       sizeof(b));
		note_nlevels(x, 0, b, n);
	}
	idx_run(x, r);
	return x;
}

bool vl_levels_in(struct view_lists *l, const struct pol_res *r, uint8_t *p, unsigned n,
		  int32_t *st)
{
	struct vl_res *x = indexed(l, r);
	unsigned i;

	if (!x)
		return false;
	*st = SCMI_SUCCESS;
	for (i = 0; i < n; i++)
		if (scmi_get_le32(p + 4 * i) >= x->count)
			*st = SCMI_OUT_OF_RANGE;
	for (i = 0; i < n && *st == SCMI_SUCCESS; i++)
		scmi_put_le32(p + 4 * i, x->first + scmi_get_le32(p + 4 * i));
	return true;
}

/* Platform index v as the guest's: clamped into the run, from 0 (a run
 * that allows nothing reads 0). */
static uint32_t idx_out(const struct vl_res *x, uint32_t v)
{
	if (!x->count || v <= x->first)
		return 0;
	return v - x->first >= x->count ? x->count - 1 : v - x->first;
}

void vl_levels_out(struct view_lists *l, const struct pol_res *r, uint8_t *p)
{
	struct vl_res *x = indexed(l, r);

	if (x)
		scmi_put_le32(p, idx_out(x, scmi_get_le32(p)));
}

void vl_clamp_limits(struct view_lists *l, const struct pol_res *r, uint8_t *max_p,
		     uint8_t *min_p)
{
	struct vl_res *x = res_of(l, SCMI_PROTO_PERF, r);

	if (!x || !r->has_range)
		return;
	if ((x = indexed(l, r))) {
		scmi_put_le32(max_p, idx_out(x, scmi_get_le32(max_p)));
		scmi_put_le32(min_p, idx_out(x, scmi_get_le32(min_p)));
		return;
	}
	x = res_of(l, SCMI_PROTO_PERF, r);
	if (!x->attrs_known || x->indexing)
		return;
	scmi_put_le32(max_p, clamp_u32(scmi_get_le32(max_p), r));
	scmi_put_le32(min_p, clamp_u32(scmi_get_le32(min_p), r));
}

static void empty_list(uint8_t *resp, size_t *resp_len, uint32_t hdr)
{
	scmi_put_le32(resp, hdr);
	scmi_put_le32(resp + 4, SCMI_SUCCESS);
	scmi_put_le32(resp + 8, 0);
	*resp_len = 12;
}

/* The guest's start index gi into the allowed run: the empty list of an
 * empty run is answered here (1), an index past the run is OUT_OF_RANGE,
 * else the request goes on with the platform's index (0). */
static int map_start(const struct vl_res *x, uint32_t gi, uint8_t *msg, uint8_t *resp,
		     size_t *resp_len, size_t resp_max)
{
	if (x->count == 0 && gi == 0) {
		if (resp_max < 12)
			return SCMI_PROTOCOL_ERROR;
		empty_list(resp, resp_len, scmi_get_le32(msg));
		return 1;
	}
	if (gi >= x->count)
		return SCMI_OUT_OF_RANGE;
	scmi_put_le32(msg + 8, x->first + gi);
	return 0;
}

int vl_request(struct view_lists *l, const struct pol_res *r, uint8_t *msg, size_t len,
	       uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	uint32_t hdr = scmi_get_le32(msg), gi;
	uint8_t proto = scmi_hdr_proto(hdr), mid = scmi_hdr_msg_id(hdr);
	struct vl_res *x = res_of(l, proto, r);
	int rc;

	if (!x || !r->has_range || len < 12)
		return 0;
	gi = scmi_get_le32(msg + 8);
	l->raw[scmi_hdr_token(hdr)] = 0;
	if (x->state == VL_PASS)
		return 0;
	if (proto == SCMI_PROTO_PERF && x->state == VL_UNKNOWN && !perf_facts(l, x, r)) {
		/* without DOMAIN_ATTRIBUTES the mode is unknown */
		pass(l, x, proto, r, "domain attributes not seen");
		return 0;
	}
	if (proto == SCMI_PROTO_PERF && x->indexing) {
		if (!indexed(l, r)) {
			/* the domain is hidden from a PERF 3.x guest (agent.c) */
			pass(l, x, proto, r, "level-indexing domain, guest presented PERF 3.x");
			return 0;
		}
		rc = map_start(x, gi, msg, resp, resp_len, resp_max);
		if (rc == 0)
			l->raw[scmi_hdr_token(hdr)] = RAW_INDEXED;
		return rc;
	}
	if (x->state == VL_UNKNOWN && !learn(l, x, proto, mid, r)) {
		/* the fetch could not answer: learn from the guest's first page */
		if (gi == 0)
			l->raw[scmi_hdr_token(hdr)] = RAW_LEARN;
		else
			pass(l, x, proto, r, "not in the discovery cache");
		return 0;
	}
	if (x->state != VL_LIST)
		return 0;
	return map_start(x, gi, msg, resp, resp_len, resp_max);
}

static void status_only(uint8_t *resp, size_t *len, int32_t st)
{
	scmi_put_le32(resp + 4, (uint32_t)st);
	*len = 8;
}

/* Cut a page that starts at platform index idx to the allowed run. */
static void cut(struct view_lists *l, struct vl_res *x, uint8_t proto, const struct pol_res *r,
		uint32_t idx, uint8_t *resp, size_t *len)
{
	uint32_t f = scmi_get_le32(resp + 8), n = f & SCMI_LIST_RETURNED_MASK;
	uint32_t skip, keep, gi, i;
	size_t es = entry_size(l, proto, false, *len, n);

	if (!es || (proto != SCMI_PROTO_PERF && (f & SCMI_LIST_TRIPLET)) ||
	    idx > x->first + x->count) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	/* a raw first page starts before the allowed run */
	skip = idx < x->first ? x->first - idx : 0;
	if (skip > n) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	gi = idx + skip - x->first;
	keep = n - skip < x->count - gi ? n - skip : x->count - gi;
	for (i = 0; !x->indexing && i < keep; i++) {
		int64_t v = entry_val(proto, resp + 12 + (skip + i) * es);

		if (v < r->min || v > r->max) {
			/* the list changed under us: learn it again */
			x->state = VL_UNKNOWN;
			log_err("%s:%d: platform list of %u changed: value %lld outside range=",
				l->pol->path, r->line, r->plat_id, (long long)v);
			status_only(resp, len, SCMI_GENERIC_ERROR);
			return;
		}
	}
	if (skip)
		memmove(resp + 12, resp + 12 + skip * es, keep * es);
	/* PERF v4 entries carry their level index: the guest's (dense from 0);
	 * informative only outside level-indexing mode, where it is the value
	 * LEVEL_SET/LIMITS_SET take (the perf level field stays the platform's) */
	for (i = 0; es == SCMI_PERF_LEVEL_V4_LEN && proto == SCMI_PROTO_PERF && i < keep; i++)
		scmi_put_le32(resp + 12 + i * es + 16, gi + i);
	scmi_put_le32(resp + 8, (f & ~(SCMI_LIST_RETURNED_MASK | 0xffff0000u)) | keep |
		      (x->count - gi - keep) << SCMI_LIST_REMAINING_SHIFT);
	*len = 12 + keep * es;
}

/* v (within [base, top]) rounded up (up) or down to the grid base + k * step;
 * false when that leaves [base, top]. base <= top, and top - base does not
 * overflow (clock rates are >= 0, voltages 32-bit). */
static bool grid(int64_t base, int64_t top, int64_t step, int64_t v, bool up, int64_t *out)
{
	int64_t k, d = v - base;

	if (step <= 0) {
		*out = v;
		return true;
	}
	k = d / step;
	if (up && d % step)
		k++;
	if (k > (top - base) / step)
		return false;
	*out = base + k * step;
	return true;
}

static void clamp_triplet(uint8_t proto, const struct pol_res *r, uint8_t *resp, size_t *len)
{
	size_t es = proto == SCMI_PROTO_CLOCK ? 8 : 4;
	uint8_t *e = resp + 12;
	int64_t mn, mx, step, lo, hi;

	if (*len < 12 + 3 * es) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	mn = entry_val(proto, e);
	mx = entry_val(proto, e + es);
	step = entry_val(proto, e + 2 * es);
	if (mn > mx || step < 0) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	lo = mn > r->min ? mn : r->min;
	hi = mx < r->max ? mx : r->max;
	/* lo on the grid at or above, hi at or below */
	if (lo > hi || !grid(mn, mx, step, lo, true, &lo) || !grid(mn, mx, step, hi, false, &hi) ||
	    lo > hi) {
		/* nothing allowed: an empty list */
		scmi_put_le32(resp + 8, 0);
		*len = 12;
		return;
	}
	put_val(proto, e, lo);
	put_val(proto, e + es, hi);
}

void vl_response(struct view_lists *l, const struct pol_res *r, const uint8_t *req,
		 size_t req_len, uint8_t *resp, size_t *len)
{
	uint32_t hdr, idx, f, n;
	uint8_t proto;
	struct vl_res *x;
	struct walk w = { 0 };
	size_t es;

	if (req_len < 12 || *len < 8)
		return;
	hdr = scmi_get_le32(req);
	proto = scmi_hdr_proto(hdr);
	x = res_of(l, proto, r);
	if (!x || !r->has_range)
		return;
	idx = scmi_get_le32(req + 8);
	if (*len < 12) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	f = scmi_get_le32(resp + 8);
	n = f & SCMI_LIST_RETURNED_MASK;
	if (l->raw[scmi_hdr_token(hdr)] == RAW_INDEXED) {
		/* renumbered in level-indexing mode (vl_request) */
		l->raw[scmi_hdr_token(hdr)] = 0;
		if (!x->indexing || x->state == VL_PASS) {
			status_only(resp, len, SCMI_PROTOCOL_ERROR);
			return;
		}
		note_nlevels(x, idx, resp, *len);
		idx_run(x, r);
		cut(l, x, proto, r, idx, resp, len);
		return;
	}
	if (l->raw[scmi_hdr_token(hdr)] == RAW_LEARN && x->state == VL_UNKNOWN) {
		/* forwarded unknown: this first page must hold the whole run */
		l->raw[scmi_hdr_token(hdr)] = 0;
		if (proto != SCMI_PROTO_PERF && (f & SCMI_LIST_TRIPLET)) {
			x->state = VL_TRIPLET;
		} else {
			es = entry_size(l, proto, false, *len, n);
			if (!es || idx != 0) {
				status_only(resp, len, SCMI_PROTOCOL_ERROR);
				return;
			}
			walk_page(proto, r, resp + 12, es, n, &w);
			if (w.bad) {
				pass(l, x, proto, r, "platform list not ascending");
				return;
			}
			if (!w.ended && (f >> SCMI_LIST_REMAINING_SHIFT)) {
				pass(l, x, proto, r, "not in the discovery cache, longer than a page");
				return;
			}
			x->state = VL_LIST;
			x->first = w.below;
			x->count = w.allowed;
		}
	}
	if (x->state == VL_TRIPLET) {
		if (proto != SCMI_PROTO_PERF && (f & SCMI_LIST_TRIPLET))
			clamp_triplet(proto, r, resp, len);
		else
			status_only(resp, len, SCMI_PROTOCOL_ERROR);
	} else if (x->state == VL_LIST) {
		cut(l, x, proto, r, idx, resp, len);
	}
}
