// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery cache warm-up (cache_warm.h). Each answer is stored and then
 * decides the follow-up requests (a domain's name when it has an extended
 * one, the next page of a list...), so the walk asks what a guest would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cache_warm.h"
#include "dispatcher.h"
#include "evloop.h"
#include "log.h"
#include "scmi_msg.h"

#define WINDOW_MAX 16
#define REQ_MAX 16              /* hdr + 3 words */
#define LIST_GUARD 4096         /* list indices walked at most */
#define POL_NPROTO_WARM 10      /* protocols 0x10..0x19 */

struct wreq {
	uint8_t m[REQ_MAX];
	uint8_t len;
};

struct cache_warm {
	struct ev_loop *loop;
	struct dispatcher *d;
	unsigned chan;
	struct scmi_cache *c;
	struct cache_warm_cfg cfg;
	struct disp_client *cl;
	struct wreq *q;                  /* FIFO ring */
	unsigned qhead, qlen, qcap;
	struct wreq slot[WINDOW_MAX];    /* at the dispatcher, by cookie */
	bool used[WINDOW_MAX];
	unsigned inflight;
	uint64_t gen, t0;
	struct ev_timer *deadline;
	struct cache_warm_stats st;
};

static bool want(const struct cache_warm *w, uint8_t proto, uint32_t id)
{
	return !w->cfg.want || w->cfg.want(w->cfg.want_opaque, proto, id);
}

static uint32_t val(const uint8_t *r, size_t len, size_t i)
{
	return 8 + 4 * i + 4 <= len ? scmi_get_le32(r + 8 + 4 * i) : 0;
}

static void enqueue(struct cache_warm *w, uint8_t proto, uint8_t msg, const uint32_t *a,
		    unsigned n)
{
	struct wreq *r;
	unsigned i;

	if (w->st.sent + w->st.cached + w->inflight + w->qlen >= w->cfg.max_cmds) {
		w->st.bounded = true;
		return;
	}
	if (w->qlen == w->qcap) {
		unsigned ncap = w->qcap ? w->qcap * 2 : 64, k;
		struct wreq *nq = malloc(ncap * sizeof(*nq));

		if (!nq) {
			log_err("chan %u: cache warm-up: out of memory", w->chan);
			return;
		}
		for (k = 0; k < w->qlen; k++)
			nq[k] = w->q[(w->qhead + k) % w->qcap];
		free(w->q);
		w->q = nq;
		w->qcap = ncap;
		w->qhead = 0;
	}
	r = &w->q[(w->qhead + w->qlen) % w->qcap];
	scmi_put_le32(r->m, scmi_hdr(proto, msg, 0, 0));
	for (i = 0; i < n && i < 3; i++)
		scmi_put_le32(r->m + 4 + 4 * i, a[i]);
	r->len = (uint8_t)(4 + 4 * i);
	w->qlen++;
}
#define ARGS(...) ((const uint32_t[]){ 0, __VA_ARGS__ } + 1)
#define NARGS(...) ((unsigned)(sizeof((uint32_t[]){ 0, __VA_ARGS__ }) / sizeof(uint32_t) - 1))
#define ASK(w, p, m, ...) enqueue(w, p, m, ARGS(__VA_ARGS__), NARGS(__VA_ARGS__))

/* The message checks Linux 6.12's protocol drivers make at init. */
static const uint8_t msg_checks[POL_NPROTO_WARM][8] = {
	[SCMI_PROTO_POWER - SCMI_PROTO_BASE] = { SCMI_POWER_STATE_NOTIFY },
	[SCMI_PROTO_SYSTEM - SCMI_PROTO_BASE] = { SCMI_SYSTEM_POWER_STATE_NOTIFY },
	[SCMI_PROTO_PERF - SCMI_PROTO_BASE] = { SCMI_PERF_NOTIFY_LEVEL, SCMI_PERF_NOTIFY_LIMITS,
						SCMI_PERF_LEVEL_GET, SCMI_PERF_LIMITS_GET,
						SCMI_PERF_LEVEL_SET, SCMI_PERF_LIMITS_SET },
	[SCMI_PROTO_CLOCK - SCMI_PROTO_BASE] = { SCMI_CLOCK_RATE_NOTIFY,
						 SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY },
	[SCMI_PROTO_SENSOR - SCMI_PROTO_BASE] = { SCMI_SENSOR_TRIP_POINT_NOTIFY,
						  SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY },
	[SCMI_PROTO_RESET - SCMI_PROTO_BASE] = { SCMI_RESET_NOTIFY },
	[SCMI_PROTO_POWERCAP - SCMI_PROTO_BASE] = { SCMI_POWERCAP_CAP_NOTIFY,
						    SCMI_POWERCAP_MEASUREMENTS_NOTIFY },
};

/* The per-domain description commands of a protocol with n domains. */
static void domains(struct cache_warm *w, uint8_t p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (!want(w, p, i))
			continue;
		switch (p) {
		case SCMI_PROTO_POWER:
			ASK(w, p, SCMI_POWER_DOMAIN_ATTRIBUTES, i);
			break;
		case SCMI_PROTO_PERF:
			ASK(w, p, SCMI_PERF_DOMAIN_ATTRIBUTES, i);
			ASK(w, p, SCMI_PERF_DESCRIBE_LEVELS, i, 0);
			break;
		case SCMI_PROTO_CLOCK:
			ASK(w, p, SCMI_CLOCK_ATTRIBUTES, i);
			ASK(w, p, SCMI_CLOCK_DESCRIBE_RATES, i, 0);
			break;
		case SCMI_PROTO_SENSOR:
			/* Linux pages from 0; the per-guest view asks each index */
			ASK(w, p, SCMI_SENSOR_DESCRIPTION_GET, i);
			break;
		case SCMI_PROTO_RESET:
			ASK(w, p, SCMI_RESET_DOMAIN_ATTRIBUTES, i);
			break;
		case SCMI_PROTO_VOLTAGE:
			ASK(w, p, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, i);
			ASK(w, p, SCMI_VOLTAGE_DESCRIBE_LEVELS, i, 0);
			break;
		case SCMI_PROTO_POWERCAP:
			ASK(w, p, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, i);
			break;
		default:
			return;
		}
	}
}

/* Next page of a list reply: returned = w & rmask, remaining = w >> rshift. */
static void next_page(struct cache_warm *w, const uint8_t *req, uint8_t p, uint8_t m,
		      uint32_t word, uint32_t rmask, unsigned rshift)
{
	uint32_t id = scmi_get_le32(req + 4), idx = scmi_get_le32(req + 8);
	uint32_t r = word & rmask;

	if (r && (word >> rshift) && idx + r < LIST_GUARD)
		ASK(w, p, m, id, idx + r);
}

/* The first descriptor of a SENSOR_DESCRIPTION_GET answer (the sensor at
 * the requested index): its lists and names. */
static void sensor_desc(struct cache_warm *w, const uint8_t *r, size_t len)
{
	const uint8_t P = SCMI_PROTO_SENSOR;
	uint32_t id, al, ah, naxis;

	if ((val(r, len, 0) & 0xfff) == 0 || len < 8 + 4 + 28)
		return;
	id = scmi_get_le32(r + 12);
	al = scmi_get_le32(r + 16);
	ah = scmi_get_le32(r + 20);
	naxis = (ah & (1u << 8)) ? (ah >> 16) & 0x3f : 0;
	ASK(w, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, id, 0);
	if (al & (1u << 29))
		ASK(w, P, SCMI_SENSOR_NAME_GET, id);
	if (naxis)
		ASK(w, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, id, 0);
}

/* Axis descriptors of one page: extended names asked once (first page). */
static void sensor_axes(struct cache_warm *w, const uint8_t *req, const uint8_t *r,
			size_t len)
{
	uint32_t word = val(r, len, 0), n = word & 0x3f, k;
	size_t off = 12;
	bool names = false;

	next_page(w, req, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET, word, 0x3f, 26);
	if (scmi_get_le32(req + 8))
		return;
	for (k = 0; k < n && off + 28 <= len; k++) {
		uint32_t al = scmi_get_le32(r + off + 4);

		names |= (al >> 9) & 1;
		off += 28 + ((al & (1u << 8)) ? 20 : 0);
	}
	if (names)
		ASK(w, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_NAME_GET, scmi_get_le32(req + 4), 0);
}

static void follow(struct cache_warm *w, const uint8_t *req, size_t req_len, const uint8_t *r,
		   size_t len)
{
	uint32_t h = scmi_get_le32(req), a = val(r, len, 0);
	uint8_t p = scmi_hdr_proto(h), m = scmi_hdr_msg_id(h);
	uint32_t id = req_len >= 8 ? scmi_get_le32(req + 4) : 0;
	unsigned k;

	if (m == SCMI_PROTOCOL_VERSION) {
		ASK(w, p, SCMI_PROTOCOL_ATTRIBUTES, );
		return;
	}
	if (m == SCMI_PROTOCOL_ATTRIBUTES) {
		for (k = 0; k < sizeof(msg_checks[0]) && msg_checks[p - SCMI_PROTO_BASE][k]; k++)
			ASK(w, p, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES,
			    msg_checks[p - SCMI_PROTO_BASE][k]);
		domains(w, p, a & 0xffff);
		return;
	}
	switch (p << 8 | m) {
	case SCMI_PROTO_POWER << 8 | SCMI_POWER_DOMAIN_ATTRIBUTES:
		if (a & (1u << 27))
			ASK(w, p, SCMI_POWER_DOMAIN_NAME_GET, id);
		break;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DOMAIN_ATTRIBUTES:
		if (a & (1u << 26))
			ASK(w, p, SCMI_PERF_DOMAIN_NAME_GET, id);
		if (a & (1u << 27)) {
			ASK(w, p, SCMI_PERF_DESCRIBE_FASTCHANNEL, id, SCMI_PERF_LEVEL_GET);
			ASK(w, p, SCMI_PERF_DESCRIBE_FASTCHANNEL, id, SCMI_PERF_LIMITS_GET);
			if (a & (1u << 30))
				ASK(w, p, SCMI_PERF_DESCRIBE_FASTCHANNEL, id, SCMI_PERF_LEVEL_SET);
			if (a & (1u << 31))
				ASK(w, p, SCMI_PERF_DESCRIBE_FASTCHANNEL, id, SCMI_PERF_LIMITS_SET);
		}
		break;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DESCRIBE_LEVELS:
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_DESCRIBE_RATES:
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_DESCRIBE_LEVELS:
	case SCMI_PROTO_SENSOR << 8 | SCMI_SENSOR_LIST_UPDATE_INTERVALS:
		next_page(w, req, p, m, a, 0xfff, 16);
		break;
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_ATTRIBUTES:
		if (a & (1u << 29))
			ASK(w, p, SCMI_CLOCK_NAME_GET, id);
		if (a & (1u << 28))
			ASK(w, p, SCMI_CLOCK_POSSIBLE_PARENTS_GET, id, 0);
		if (a & (1u << 1))
			ASK(w, p, SCMI_CLOCK_GET_PERMISSIONS, id);
		break;
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_POSSIBLE_PARENTS_GET:
		next_page(w, req, p, m, a, 0xff, 24);
		break;
	case SCMI_PROTO_SENSOR << 8 | SCMI_SENSOR_DESCRIPTION_GET:
		sensor_desc(w, r, len);
		break;
	case SCMI_PROTO_SENSOR << 8 | SCMI_SENSOR_AXIS_DESCRIPTION_GET:
		sensor_axes(w, req, r, len);
		break;
	case SCMI_PROTO_SENSOR << 8 | SCMI_SENSOR_AXIS_NAME_GET:
		next_page(w, req, p, m, a, 0x3f, 26);
		break;
	case SCMI_PROTO_RESET << 8 | SCMI_RESET_DOMAIN_ATTRIBUTES:
		if (a & (1u << 29))
			ASK(w, p, SCMI_RESET_DOMAIN_NAME_GET, id);
		break;
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_DOMAIN_ATTRIBUTES:
		if (a & (1u << 30))
			ASK(w, p, SCMI_VOLTAGE_DOMAIN_NAME_GET, id);
		break;
	case SCMI_PROTO_POWERCAP << 8 | SCMI_POWERCAP_DOMAIN_ATTRIBUTES:
		if (a & (1u << 28))
			ASK(w, p, SCMI_POWERCAP_DOMAIN_NAME_GET, id);
		break;
	default:
		break;
	}
}

static void stop_run(struct cache_warm *w)
{
	if (w->deadline)
		ev_timer_cancel(w->loop, w->deadline);
	w->deadline = NULL;
	if (w->inflight)
		disp_client_reset(w->cl);   /* late answers are discarded */
	memset(w->used, 0, sizeof(w->used));
	w->inflight = 0;
	w->qlen = 0;
	w->qhead = 0;
	w->st.running = false;
	w->st.elapsed_ns = ev_now_ns() - w->t0;
}

static void finish(struct cache_warm *w)
{
	const struct cache_stats *cs = cache_stats(w->c);

	stop_run(w);
	log_info("chan %u: discovery cache warmed: %u command%s, %u answer%s stored, %u "
		 "cached already (%zu entries, %zu bytes) in %.1f ms%s", w->chan, w->st.sent,
		 w->st.sent == 1 ? "" : "s", w->st.stored, w->st.stored == 1 ? "" : "s",
		 w->st.cached, cs->entries, cs->bytes, (double)w->st.elapsed_ns / 1e6,
		 w->st.bounded ? "; stopped at the command limit" : "");
}

static void pump(struct cache_warm *w)
{
	while (w->qlen && w->inflight < w->cfg.window) {
		struct wreq *r = &w->q[w->qhead];
		uint8_t buf[SCMI_MSG_MAX];
		int32_t status;
		unsigned s;
		size_t n;
		int rc;

		for (s = 0; s < WINDOW_MAX && w->used[s]; s++)
			;
		if (s == WINDOW_MAX)
			break;
		scmi_put_le32(r->m, scmi_hdr_set_token(scmi_get_le32(r->m), s));
		n = cache_peek(w->c, w->chan, r->m, r->len, w->cfg.resp_max, buf, sizeof(buf));
		if (n) {
			/* cached already (a run after a reload): follow it locally */
			struct wreq q = *r;

			w->qhead = (w->qhead + 1) % w->qcap;
			w->qlen--;
			w->st.cached++;
			if (scmi_get_le32(buf + 4) == SCMI_SUCCESS)
				follow(w, q.m, q.len, buf, n);
			continue;
		}
		rc = disp_submit(w->cl, s, r->m, r->len, w->cfg.resp_max, &status);
		if (rc == -ENOSPC)
			break;
		w->slot[s] = *r;
		w->qhead = (w->qhead + 1) % w->qcap;
		w->qlen--;
		if (rc == 0) {
			w->used[s] = true;
			w->inflight++;
		} else {
			w->st.sent++;       /* answered locally or refused: no follow-up */
			w->st.errors++;
			w->st.total_sent++;
		}
	}
	if (w->st.running && !w->qlen && !w->inflight)
		finish(w);
}

static void on_response(void *opaque, uint64_t cookie, uint8_t *resp, size_t len,
			size_t cap)
{
	struct cache_warm *w = opaque;
	const struct wreq *r;
	uint64_t stores;

	(void)cap;
	if (cookie >= WINDOW_MAX || !w->used[cookie])
		return;
	w->used[cookie] = false;
	w->inflight--;
	w->st.sent++;
	w->st.total_sent++;
	r = &w->slot[cookie];
	stores = cache_stats(w->c)->stores;
	cache_store(w->c, w->chan, r->m, r->len, w->cfg.resp_max, resp, len, w->gen);
	w->st.stored += (unsigned)(cache_stats(w->c)->stores - stores);
	if (len >= 8 && scmi_get_le32(resp + 4) == SCMI_SUCCESS)
		follow(w, r->m, r->len, resp, len);
	else
		w->st.errors++;
	pump(w);
}

static void on_p2a(void *opaque, const uint8_t *msg, size_t len)
{
	(void)opaque;
	(void)msg;
	(void)len;
}

static const struct disp_client_ops warm_ops = { .response = on_response, .p2a = on_p2a };

static void on_deadline(struct ev_loop *loop, void *opaque)
{
	struct cache_warm *w = opaque;

	(void)loop;
	w->deadline = NULL;
	w->st.timed_out = true;
	stop_run(w);
	log_warn("chan %u: discovery cache warm-up stopped at its time limit (%.0f ms) after "
		 "%u commands; the rest is cached as guests ask", w->chan,
		 (double)w->cfg.max_ns / 1e6, w->st.sent);
}

struct cache_warm *cache_warm_new(struct ev_loop *loop, struct dispatcher *d, unsigned chan,
				  struct scmi_cache *c, const struct cache_warm_cfg *cfg)
{
	struct cache_warm *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->loop = loop;
	w->d = d;
	w->chan = chan;
	w->c = c;
	w->cfg = *cfg;
	if (!w->cfg.window || w->cfg.window > WINDOW_MAX)
		w->cfg.window = WINDOW_MAX;
	if (w->cfg.resp_max < 8 || w->cfg.resp_max > SCMI_MSG_MAX)
		w->cfg.resp_max = SCMI_LINUX_MSG_SIZE;
	w->cl = disp_client_new(d, chan, "cache-warmup", &warm_ops, w);
	if (!w->cl) {
		free(w);
		return NULL;
	}
	return w;
}

void cache_warm_free(struct cache_warm *w)
{
	if (!w)
		return;
	if (w->deadline)
		ev_timer_cancel(w->loop, w->deadline);
	disp_client_free(w->cl);
	free(w->q);
	free(w);
}

int cache_warm_start(struct cache_warm *w)
{
	static const uint8_t protos[] = { SCMI_PROTO_POWER, SCMI_PROTO_SYSTEM, SCMI_PROTO_PERF,
					  SCMI_PROTO_CLOCK, SCMI_PROTO_SENSOR, SCMI_PROTO_RESET,
					  SCMI_PROTO_VOLTAGE, SCMI_PROTO_POWERCAP,
					  SCMI_PROTO_PINCTRL };
	unsigned i, runs;
	uint64_t total;

	if (!w->cfg.max_cmds)
		return -1;
	if (w->st.running)
		stop_run(w);
	runs = w->st.runs;
	total = w->st.total_sent;
	memset(&w->st, 0, sizeof(w->st));
	w->st.runs = runs + 1;
	w->st.total_sent = total;
	w->st.running = true;
	w->gen = cache_generation(w->c);
	w->t0 = ev_now_ns();
	for (i = 0; i < sizeof(protos); i++)
		if (want(w, protos[i], CACHE_WARM_ANY))
			ASK(w, protos[i], SCMI_PROTOCOL_VERSION, );
	if (w->cfg.max_ns)
		w->deadline = ev_timer_add(w->loop, w->t0 + w->cfg.max_ns, on_deadline, w);
	log_debug("chan %u: warming the discovery cache (at most %u commands, %.0f ms)",
		  w->chan, w->cfg.max_cmds, (double)w->cfg.max_ns / 1e6);
	pump(w);
	return 0;
}

bool cache_warm_running(const struct cache_warm *w)
{
	return w->st.running;
}

const struct cache_warm_stats *cache_warm_stats(const struct cache_warm *w)
{
	return &w->st;
}
