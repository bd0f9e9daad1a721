// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-guest agent: validation, local BASE answers, filter hooks, and the
 * bookkeeping of the guest's commands between the device and dispatcher.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "base_cache.h"
#include "dispatcher.h"
#include "evloop.h"
#include "log.h"
#include "scmi_msg.h"
#include "versions.h"

#define AGENT_HASH 64
#define PEND_SMALL 64       /* forwarded commands up to this size are recycled */
#define PEND_POOL_MAX 64    /* recycled entries kept at most */
/* Dispatcher cookies: a pend's sequence number (< 2^32), or this bit with
 * the device cookie for a command nothing needs to remember (no filter
 * response hook): it is completed straight from the response. */
#define DIRECT_BIT (1ull << 32)

/* What the agent does to a reply for the guest's protocol version. */
enum xform {
	XF_NONE,
	XF_NEGOTIATE,       /* forwarded as PROTOCOL_VERSION; answered here */
	XF_CONVERT,         /* reply rewritten for the guest's version */
};

struct xf {
	enum xform kind;
	uint32_t hdr;           /* the guest's header (NEGOTIATE) */
	uint32_t want;          /* the version the guest asks for (NEGOTIATE) */
};

/* A command between the device and its answer. */
struct pend {
	struct pend *next;
	uint32_t seq;           /* dispatcher cookie */
	uint32_t cookie;        /* device cookie */
	agent_inject_cb cb;     /* set for the policy layer's own commands */
	void *cb_opaque;
	size_t resp_max;
	size_t len;             /* of req[]: 0 if not kept */
	bool pooled;            /* PEND_SMALL bytes of req: may go back to the pool */
	bool filtered;          /* the filter's response hook sees the answer */
	struct xf xf;
	uint8_t req[];          /* as forwarded (or as received, when parked);
				 * forwarded ones only for the response hook */
};

/* An answer waiting to be delivered from the loop. */
struct local_reply {
	struct local_reply *next;
	uint32_t cookie;
	size_t len;
	uint8_t resp[];
};

struct agent {
	struct ev_loop *loop;
	struct dispatcher *d;
	struct base_cache *bc;
	struct agent_config cfg;
	const struct agent_out_ops *out;
	void *out_opaque;
	const struct agent_filter_ops *fops;
	void *f;
	struct disp_client *client;
	struct pend *inflight[AGENT_HASH];
	unsigned ninflight, ninjected;
	unsigned ndirect;                       /* at the dispatcher without a pend */
	struct pend *parked, **parked_tail;     /* BASE commands awaiting the cache */
	unsigned nparked;
	bool base_waiting;
	struct local_reply *lhead, **ltail;
	unsigned nlocal;
	struct ev_timer *flush;
	uint32_t seq;
	bool draining;
	struct agent_stats stats;
	struct log_ratelimit rl;
	struct pend *pool;                      /* freed small pends, for reuse */
	unsigned npool;
	/* protocol versions (index proto - 0x10; 0: unknown / none) */
	uint32_t plat_ver[AGENT_NPROTO];        /* the platform's, as seen */
	uint32_t neg_ver[AGENT_NPROTO];         /* negotiated by the guest */
	bool cap_logged[AGENT_NPROTO];
	bool ver_asking[AGENT_NPROTO];          /* PROTOCOL_VERSION injected */
	struct pend *vpark, **vpark_tail;       /* commands awaiting plat_ver */
	unsigned nvpark;
	uint8_t hidden_perf[32];                /* level-indexing domains (v3 guest) */
	int32_t vstatus[AGENT_NPROTO];          /* failed version question, to answer */
	struct ev_timer *vflush;
};

static void agent_disp_response(void *opaque, uint64_t dc, uint8_t *r, size_t len,
				size_t cap);
static void agent_disp_p2a(void *opaque, const uint8_t *m, size_t len);

static const struct disp_client_ops agent_disp_ops = {
	.response = agent_disp_response,
	.p2a = agent_disp_p2a,
};

struct agent *agent_new(struct ev_loop *loop, struct dispatcher *d, struct base_cache *bc,
			const struct agent_config *cfg, const struct agent_out_ops *out,
			void *out_opaque)
{
	struct agent *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->loop = loop;
	a->d = d;
	a->bc = bc;
	a->cfg = *cfg;
	if (!a->cfg.agent_id)
		a->cfg.agent_id = 1;
	if (a->cfg.num_agents < a->cfg.agent_id)
		a->cfg.num_agents = a->cfg.agent_id;
	if (a->cfg.num_agents > 255)
		a->cfg.num_agents = 255;
	a->out = out;
	a->out_opaque = out_opaque;
	a->parked_tail = &a->parked;
	a->vpark_tail = &a->vpark;
	a->ltail = &a->lhead;
	a->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	a->client = disp_client_new(d, cfg->chan, cfg->name, &agent_disp_ops, a);
	if (!a->client) {
		free(a);
		return NULL;
	}
	return a;
}

void agent_set_filter(struct agent *a, const struct agent_filter_ops *ops, void *f)
{
	a->fops = ops;
	a->f = f;
}

const struct agent_stats *agent_stats(const struct agent *a) { return &a->stats; }
const struct agent_config *agent_config(const struct agent *a) { return &a->cfg; }
const struct disp_client *agent_disp_client(const struct agent *a) { return a->client; }
void agent_set_draining(struct agent *a, bool draining) { a->draining = draining; }

unsigned agent_inflight(const struct agent *a)
{
	return a->ninflight - a->ninjected + a->ndirect + a->nparked + a->nlocal + a->nvpark;
}

/* ---- answers ------------------------------------------------------------- */
static void complete(struct agent *a, uint32_t cookie, const uint8_t *resp, size_t len)
{
	a->stats.responses++;
	if (len < 8 || scmi_get_le32(resp + 4) != SCMI_SUCCESS)
		a->stats.errors++;
	a->out->complete(a->out_opaque, cookie, resp, len);
}

static void flush_cb(struct ev_loop *loop, void *opaque)
{
	struct agent *a = opaque;

	a->flush = NULL;
	while (a->lhead) {
		struct local_reply *r = a->lhead;

		a->lhead = r->next;
		if (!a->lhead)
			a->ltail = &a->lhead;
		a->nlocal--;
		complete(a, r->cookie, r->resp, r->len);
		free(r);
	}
}

/* Queue an answer made here; delivered from the loop. */
static void answer_local(struct agent *a, uint32_t cookie, const uint8_t *resp, size_t len)
{
	struct local_reply *r;

	if (len > 8 && scmi_get_le32(resp + 4) != SCMI_SUCCESS)
		len = 8;
	r = malloc(sizeof(*r) + len);
	if (!r) {
		/* Cannot even queue: answer now rather than lose the buffer. */
		complete(a, cookie, resp, len);
		return;
	}
	r->next = NULL;
	r->cookie = cookie;
	r->len = len;
	memcpy(r->resp, resp, len);
	*a->ltail = r;
	a->ltail = &r->next;
	a->nlocal++;
	a->stats.local++;
	if (!a->flush)
		a->flush = ev_timer_add(a->loop, 0, flush_cb, a);
}

static void answer_status(struct agent *a, uint32_t cookie, uint32_t hdr, int32_t status)
{
	uint8_t r[8];

	scmi_put_le32(r, hdr);
	scmi_put_le32(r + 4, (uint32_t)status);
	answer_local(a, cookie, r, sizeof(r));
}

/* A local answer the filter may still adjust (as it would a platform one). */
static void answer_filtered(struct agent *a, uint32_t cookie, const uint8_t *req,
			    size_t req_len, uint8_t *resp, size_t len, size_t resp_max)
{
	if (a->fops && a->fops->response)
		a->fops->response(a->f, req, req_len, resp, &len, resp_max);
	answer_local(a, cookie, resp, len);
}

/* ---- BASE, answered per guest ------------------------------------------ */
/* The platform's protocol list as this guest sees it. */
static unsigned guest_protocols(const struct agent *a, const struct base_info *bi,
				uint8_t *out)
{
	unsigned i, n = 0;

	for (i = 0; i < bi->nprotocols && i < 256; i++) {
		uint8_t id = bi->protocols[i];

		if (!a->cfg.filter_protocols ||
		    (a->cfg.protocols_allowed[id / 8] & (1u << (id % 8))))
			out[n++] = id;
	}
	return n;
}

static size_t base_answer(struct agent *a, const struct base_info *bi, const uint8_t *req,
			  size_t len, uint8_t *r, size_t resp_max)
{
	uint32_t h = scmi_get_le32(req), arg = len >= 8 ? scmi_get_le32(req + 4) : 0;
	size_t n = 8, i, cnt;
	int32_t st = SCMI_SUCCESS;
	uint8_t protos[256];
	unsigned nprotos = guest_protocols(a, bi, protos);

	scmi_put_le32(r, h);
	switch (scmi_hdr_msg_id(h)) {
	case SCMI_PROTOCOL_VERSION:
		scmi_put_le32(r + 8, bi->version);
		n = 12;
		break;
	case SCMI_PROTOCOL_ATTRIBUTES:
		scmi_put_le32(r + 8, (nprotos & 0xff) | (a->cfg.num_agents & 0xff) << 8);
		n = 12;
		break;
	case SCMI_PROTOCOL_MESSAGE_ATTRIBUTES:
		if (arg <= SCMI_BASE_NOTIFY_ERRORS || arg == SCMI_NEGOTIATE_PROTOCOL_VERSION) {
			scmi_put_le32(r + 8, 0);
			n = 12;
		} else {
			st = SCMI_NOT_FOUND;
		}
		break;
	case SCMI_BASE_DISCOVER_VENDOR:
	case SCMI_BASE_DISCOVER_SUB_VENDOR:
		memset(r + 8, 0, SCMI_SHORT_NAME_LEN);
		memcpy(r + 8, scmi_hdr_msg_id(h) == SCMI_BASE_DISCOVER_VENDOR ? bi->vendor :
		       bi->sub_vendor, SCMI_SHORT_NAME_LEN);
		n = 8 + SCMI_SHORT_NAME_LEN;
		break;
	case SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION:
		scmi_put_le32(r + 8, bi->impl_version);
		n = 12;
		break;
	case SCMI_BASE_DISCOVER_LIST_PROTOCOLS:
		if (arg > nprotos) {
			st = SCMI_INVALID_PARAMETERS;
			break;
		}
		cnt = nprotos - arg;
		if (resp_max < 12) {
			st = SCMI_PROTOCOL_ERROR;
			break;
		}
		if (cnt > (resp_max - 12) / 4 * 4)
			cnt = (resp_max - 12) / 4 * 4;
		scmi_put_le32(r + 8, (uint32_t)cnt);
		memset(r + 12, 0, (cnt + 3) / 4 * 4);
		for (i = 0; i < cnt; i++)
			r[12 + i] = protos[arg + i];
		n = 12 + (cnt + 3) / 4 * 4;
		break;
	case SCMI_BASE_DISCOVER_AGENT: {
		char name[SCMI_SHORT_NAME_LEN + 1] = { 0 };
		size_t off = 8;

		if (arg == SCMI_BASE_AGENT_ID_OWN || arg == a->cfg.agent_id) {
			arg = a->cfg.agent_id;
			snprintf(name, sizeof(name), "%.15s",
				 a->cfg.agent_name[0] ? a->cfg.agent_name : a->cfg.name);
		} else if (arg == 0) {
			snprintf(name, sizeof(name), "platform");
		} else if (arg <= a->cfg.num_agents) {
			snprintf(name, sizeof(name), "agent%u", arg);
		} else {
			st = SCMI_NOT_FOUND;
			break;
		}
		if (bi->version >= 0x20000) {
			scmi_put_le32(r + 8, arg);
			off = 12;
		}
		memset(r + off, 0, SCMI_SHORT_NAME_LEN);
		memcpy(r + off, name, strlen(name));
		n = off + SCMI_SHORT_NAME_LEN;
		break;
	}
	case SCMI_BASE_SET_DEVICE_PERMISSIONS:
	case SCMI_BASE_SET_PROTOCOL_PERMISSIONS:
	case SCMI_BASE_RESET_AGENT_CONFIGURATION:
		/* Guests never manage the platform's permissions. */
		st = SCMI_DENIED;
		break;
	case SCMI_NEGOTIATE_PROTOCOL_VERSION:
		st = arg == bi->version ? SCMI_SUCCESS : SCMI_NOT_SUPPORTED;
		break;
	default:
		st = SCMI_NOT_FOUND;
		break;
	}
	if (st != SCMI_SUCCESS || n > resp_max)
		n = 8;
	if (st == SCMI_SUCCESS && n == 8 && scmi_hdr_msg_id(h) != SCMI_NEGOTIATE_PROTOCOL_VERSION)
		st = SCMI_PROTOCOL_ERROR; /* the guest's buffer cannot hold the answer */
	scmi_put_le32(r + 4, (uint32_t)st);
	return n;
}

static void base_reply(struct agent *a, const struct base_info *bi, uint32_t cookie,
		       const uint8_t *req, size_t len, size_t resp_max)
{
	uint8_t r[SCMI_MSG_MAX];
	size_t n;

	if (!bi) {
		answer_status(a, cookie, scmi_get_le32(req), SCMI_COMMS_ERROR);
		return;
	}
	n = base_answer(a, bi, req, len, r, resp_max);
	answer_filtered(a, cookie, req, len, r, n, resp_max);
}

static void base_ready(void *opaque, const struct base_info *bi)
{
	struct agent *a = opaque;

	a->base_waiting = false;
	while (a->parked) {
		struct pend *p = a->parked;

		a->parked = p->next;
		if (!a->parked)
			a->parked_tail = &a->parked;
		a->nparked--;
		base_reply(a, bi, p->cookie, p->req, p->len, p->resp_max);
		free(p);
	}
}

/* A command parked until what it waits for (BASE facts, a protocol
 * version) is known: a copy of the guest's request. Out of memory: the
 * guest is answered GENERIC_ERROR and NULL returned. */
static struct pend *park_copy(struct agent *a, uint32_t cookie, const uint8_t *req, size_t len,
			      size_t resp_max)
{
	struct pend *p = calloc(1, sizeof(*p) + len);

	if (!p) {
		answer_status(a, cookie, scmi_get_le32(req), SCMI_GENERIC_ERROR);
		return NULL;
	}
	p->cookie = cookie;
	p->resp_max = resp_max;
	p->len = len;
	memcpy(p->req, req, len);
	return p;
}

static void base_command(struct agent *a, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	const struct base_info *bi = base_cache_info(a->bc);
	struct pend *p;

	if (bi) {
		base_reply(a, bi, cookie, req, len, resp_max);
		return;
	}
	p = park_copy(a, cookie, req, len, resp_max);
	if (!p)
		return;
	*a->parked_tail = p;
	a->parked_tail = &p->next;
	a->nparked++;
	if (!a->base_waiting) {
		a->base_waiting = true;
		bi = base_cache_get(a->bc, base_ready, a);
		if (bi)
			base_ready(a, bi);
	}
}


/* ---- protocol versions per guest (versions.h) -------------------------- */
static int ver_idx(uint8_t proto)
{
	return proto > SCMI_PROTO_BASE && proto < SCMI_PROTO_BASE + AGENT_NPROTO ?
	       proto - SCMI_PROTO_BASE : -1;
}

/* What the guest is presented of protocol index i (0: not known yet). */
static uint32_t guest_ver(struct agent *a, int i)
{
	uint32_t plat = a->plat_ver[i], cap = a->cfg.version_cap[i];

	if (a->neg_ver[i])
		return a->neg_ver[i];
	if (!plat || !cap || cap == plat)
		return plat;
	if (ver_presentable((uint8_t)(SCMI_PROTO_BASE + i), plat, cap))
		return cap;
	if (!a->cap_logged[i]) {
		a->cap_logged[i] = true;
		log_warn("%s: %s: version %u.%u of protocol 0x%x cannot be presented on a "
			 "platform speaking %u.%u: the guest sees %u.%u", a->cfg.name,
			 a->cfg.policy_path, cap >> 16, cap & 0xffff, SCMI_PROTO_BASE + i,
			 plat >> 16, plat & 0xffff, plat >> 16, plat & 0xffff);
	}
	return plat;
}

uint32_t agent_version(const struct agent *a, uint8_t proto)
{
	int i = ver_idx(proto);

	return i < 0 ? 0 : guest_ver((struct agent *)a, i);
}

static bool perf_hidden(const struct agent *a, uint32_t dom)
{
	return dom < 256 && (a->hidden_perf[dom / 8] >> (dom % 8) & 1);
}

/* The reply (hdr + status + payload, platform layout) becomes the guest's:
 * NEGOTIATE answered from the platform's PROTOCOL_VERSION, other replies
 * converted to the guest's version. req: the request as forwarded
 * (platform ids). */
static void xf_finish(struct agent *a, const struct xf *xf, const uint8_t *req,
		      size_t req_len, uint8_t *resp, size_t *len)
{
	uint32_t h = scmi_get_le32(resp), plat, g;
	uint8_t proto = scmi_hdr_proto(h);
	int i = ver_idx(proto);
	bool ok = *len >= 12 && scmi_get_le32(resp + 4) == SCMI_SUCCESS;

	if (xf->kind == XF_NONE || i < 0 || *len < 8)
		return;
	if (ok && scmi_hdr_msg_id(h) == SCMI_PROTOCOL_VERSION)
		a->plat_ver[i] = scmi_get_le32(resp + 8);
	if (xf->kind == XF_NEGOTIATE) {
		int32_t st = (int32_t)scmi_get_le32(resp + 4);
		uint32_t cap = a->cfg.version_cap[i];

		if (st == SCMI_SUCCESS) {
			plat = a->plat_ver[i];
			if (plat && ver_presentable(proto, plat, xf->want) &&
			    (!cap || xf->want <= cap || !ver_presentable(proto, plat, cap))) {
				/* the platform's own version on a plain guest: native */
				a->neg_ver[i] = xf->want == plat && !cap ? 0 : xf->want;
			} else {
				st = SCMI_NOT_SUPPORTED;
			}
		}
		a->stats.negotiated++;
		scmi_put_le32(resp, xf->hdr);
		scmi_put_le32(resp + 4, (uint32_t)st);
		*len = 8;
		return;
	}
	plat = a->plat_ver[i];
	g = guest_ver(a, i);
	if (!plat || g == plat)
		return;
	a->stats.converted++;
	if (!ver_response(proto, g, plat, req, req_len, resp, len)) {
		uint32_t dom = req_len >= 8 ? scmi_get_le32(req + 4) : 0;

		/* a PERF domain in level-indexing mode: hidden from a v3 guest */
		if (dom < 256)
			a->hidden_perf[dom / 8] |= (uint8_t)(1u << (dom % 8));
		log_rl(&a->rl, LOG_LVL_WARN, "%s: perf domain %u uses level indexing, which "
		       "PERF %u.%u cannot present: hidden from the guest", a->cfg.name, dom,
		       g >> 16, g & 0xffff);
		scmi_put_le32(resp + 4, (uint32_t)SCMI_NOT_FOUND);
		*len = 8;
	}
}

/* A command of a PERF domain hidden from a v3 guest: NOT_FOUND;
 * SCMI_SUCCESS to go on. msg: platform ids. */
static int32_t xf_check(struct agent *a, const uint8_t *msg, size_t len)
{
	uint32_t h = scmi_get_le32(msg);
	uint8_t proto = scmi_hdr_proto(h), mid = scmi_hdr_msg_id(h);
	int i = ver_idx(proto);
	uint32_t g, plat;

	if (i < 0 || !(plat = a->plat_ver[i]))
		return SCMI_SUCCESS;
	g = guest_ver(a, i);
	if (g == plat)
		return SCMI_SUCCESS;
	if (proto == SCMI_PROTO_PERF && mid >= SCMI_PERF_DOMAIN_ATTRIBUTES &&
	    mid <= SCMI_PERF_DOMAIN_NAME_GET && len >= 8 &&
	    perf_hidden(a, scmi_get_le32(msg + 4)))
		return SCMI_NOT_FOUND;
	return SCMI_SUCCESS;
}

/* Parked commands whose protocol's version is now known go on (or get the
 * status of the failed question); from the loop, never inside a reply. */
static void vpark_cb(struct ev_loop *loop, void *opaque)
{
	struct agent *a = opaque;
	struct pend **pp = &a->vpark, *p;

	(void)loop;
	a->vflush = NULL;
	while ((p = *pp)) {
		int i = ver_idx(scmi_hdr_proto(scmi_get_le32(p->req)));

		if (i < 0 || (!a->plat_ver[i] && a->vstatus[i] == SCMI_SUCCESS)) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		a->nvpark--;
		if (a->plat_ver[i]) {
			a->stats.commands--;   /* counted when it arrived */
			agent_command(a, p->cookie, p->req, p->len, p->resp_max);
		} else {
			answer_status(a, p->cookie, scmi_get_le32(p->req), a->vstatus[i]);
		}
		free(p);
	}
	a->vpark_tail = pp;
	memset(a->vstatus, 0, sizeof(a->vstatus));
}

static void vpark_flush(struct agent *a, int i, int32_t st)
{
	a->vstatus[i] = st;
	if (!a->vflush)
		a->vflush = ev_timer_add(a->loop, 0, vpark_cb, a);
}

/* The platform's version of a protocol the guest is configured to see at
 * another version, asked before the guest's first command of it. */
static void ver_learned(void *opaque, const uint8_t *resp, size_t len)
{
	struct agent *a = opaque;
	uint8_t proto;
	int i;

	if (len < 8)
		return;
	proto = scmi_hdr_proto(scmi_get_le32(resp));
	i = ver_idx(proto);
	if (i < 0)
		return;
	a->ver_asking[i] = false;
	if (len >= 12 && scmi_get_le32(resp + 4) == SCMI_SUCCESS) {
		a->plat_ver[i] = scmi_get_le32(resp + 8);
		vpark_flush(a, i, SCMI_SUCCESS);
	} else {
		int32_t st = (int32_t)scmi_get_le32(resp + 4);

		vpark_flush(a, i, st == SCMI_SUCCESS ? SCMI_PROTOCOL_ERROR : st);
	}
}

/* ---- commands ------------------------------------------------------------ */
static struct pend *pend_get(struct agent *a, size_t len)
{
	struct pend *p;

	if (len > PEND_SMALL) {
		p = malloc(sizeof(*p) + len);
		if (p)
			p->pooled = false;
		return p;
	}
	p = a->pool;
	if (p) {
		a->pool = p->next;
		a->npool--;
		return p;
	}
	p = malloc(sizeof(*p) + PEND_SMALL);
	if (p)
		p->pooled = true;
	return p;
}

static void pend_put(struct agent *a, struct pend *p)
{
	if (!p->pooled || a->npool >= PEND_POOL_MAX) {
		free(p);
		return;
	}
	p->next = a->pool;
	a->pool = p;
	a->npool++;
}

/* Hand a command to the dispatcher; returns disp_submit()'s result. */
static int submit(struct agent *a, uint32_t cookie, const uint8_t *msg, size_t len,
		  size_t resp_max, agent_inject_cb cb, void *cb_opaque, int32_t *st,
		  const struct xf *xf)
{
	struct pend *p = pend_get(a, len);   /* every other field is set below */
	int rc;

	if (!p)
		return -ENOMEM;
	p->next = NULL;
	p->seq = ++a->seq;
	p->cookie = cookie;
	p->cb = cb;
	p->cb_opaque = cb_opaque;
	p->resp_max = resp_max;
	/* The filter's response hook gets the request as forwarded; without
	 * a hook nothing needs it. A filter installed later does not see the
	 * answers to commands that did not pass through it. */
	p->filtered = !cb && a->fops && a->fops->response;
	p->xf = xf ? *xf : (struct xf){ XF_NONE, 0, 0 };
	p->len = p->filtered || p->xf.kind != XF_NONE ? len : 0;
	if (p->len)
		memcpy(p->req, msg, len);
	rc = disp_submit(a->client, p->seq, msg, len, resp_max, st);
	if (rc == 0) {
		unsigned b = p->seq % AGENT_HASH;

		p->next = a->inflight[b];
		a->inflight[b] = p;
		a->ninflight++;
		if (cb)
			a->ninjected++;
		return 0;
	}
	pend_put(a, p);
	return rc;
}

int agent_inject(struct agent *a, const uint8_t *msg, size_t len, agent_inject_cb cb,
		 void *opaque)
{
	int32_t st;

	if (!cb || len < 4 || len > SCMI_MSG_MAX)
		return -EINVAL;
	return submit(a, 0, msg, len, SCMI_MSG_MAX, cb, opaque, &st, NULL);
}

int agent_inject_detached(struct agent *a, const uint8_t *msg, size_t len)
{
	return disp_submit_detached(a->d, a->cfg.chan, msg, len);
}

static void forward(struct agent *a, uint32_t cookie, const uint8_t *msg, size_t len,
		    size_t resp_max, const struct xf *xf)
{
	int32_t st = SCMI_SUCCESS;
	uint32_t h = xf->kind == XF_NEGOTIATE ? xf->hdr : scmi_get_le32(msg);
	int rc;

	if ((a->fops && a->fops->response) || xf->kind != XF_NONE) {
		rc = submit(a, cookie, msg, len, resp_max, NULL, NULL, &st, xf);
	} else {
		/* nothing to keep: the response completes the device cookie */
		rc = disp_submit(a->client, DIRECT_BIT | cookie, msg, len, resp_max, &st);
		if (rc == 0)
			a->ndirect++;
	}
	if (rc == 0)
		return;
	if (rc == 1) {
		answer_status(a, cookie, h, st);
	} else if (rc == -ENOSPC) {
		log_rl(&a->rl, LOG_LVL_WARN, "%s: too many commands queued, answering BUSY",
		       a->cfg.name);
		answer_status(a, cookie, h, SCMI_BUSY);
	} else {
		answer_status(a, cookie, h, rc == -EINVAL ? SCMI_PROTOCOL_ERROR :
			      SCMI_GENERIC_ERROR);
	}
}

/* A command of a protocol the guest sees at a configured version before
 * the platform's version is known: it waits for the answer to a
 * PROTOCOL_VERSION the agent asks itself. */
static void park_for_version(struct agent *a, int i, uint32_t cookie, const uint8_t *req,
			     size_t len, size_t resp_max)
{
	struct pend *p = park_copy(a, cookie, req, len, resp_max);
	uint8_t q[4];
	int32_t st;

	if (!p)
		return;
	if (!a->ver_asking[i]) {
		scmi_put_le32(q, scmi_hdr((uint8_t)(SCMI_PROTO_BASE + i), SCMI_PROTOCOL_VERSION,
					  SCMI_MSG_COMMAND, 0));
		if (submit(a, 0, q, sizeof(q), SCMI_MSG_MAX, ver_learned, a, &st, NULL) != 0) {
			answer_status(a, cookie, scmi_get_le32(req), SCMI_COMMS_ERROR);
			free(p);
			return;
		}
		a->ver_asking[i] = true;
	}
	*a->vpark_tail = p;
	a->vpark_tail = &p->next;
	a->nvpark++;
}

void agent_command(struct agent *a, uint32_t cookie, const uint8_t *req, size_t len,
		   size_t resp_max)
{
	uint8_t msg[SCMI_MSG_MAX], resp[SCMI_MSG_MAX];
	const uint8_t *m = req;     /* the request as it goes on */
	size_t resp_len = 0;
	uint32_t h;
	int32_t st;
	struct xf xf = { XF_NONE, 0, 0 };
	int vi;

	a->stats.commands++;
	if (resp_max > SCMI_MSG_MAX)
		resp_max = SCMI_MSG_MAX;
	if (len < 4 || len > SCMI_MSG_MAX || resp_max < 8) {
		/* The device guarantees these; answer what we can. */
		a->stats.rejected++;
		answer_status(a, cookie, len >= 4 ? scmi_get_le32(req) : 0, SCMI_PROTOCOL_ERROR);
		return;
	}
	h = scmi_get_le32(req);
	if (a->draining) {
		answer_status(a, cookie, h, SCMI_COMMS_ERROR);
		return;
	}
	if (scmi_hdr_reserved(h) || scmi_hdr_type(h) != SCMI_MSG_COMMAND) {
		a->stats.rejected++;
		log_rl(&a->rl, LOG_LVL_WARN, "%s: bad header 0x%08x (reserved bits or type)",
		       a->cfg.name, h);
		answer_status(a, cookie, h, SCMI_PROTOCOL_ERROR);
		return;
	}
	st = scmi_check_req_len(scmi_hdr_proto(h), scmi_hdr_msg_id(h), len - 4);
	if (st == SCMI_PROTOCOL_ERROR) {
		/* an older revision's layout, zero-extended into our own copy */
		memcpy(msg, req, len);
		if (scmi_req_upgrade_legacy(msg, &len, sizeof(msg))) {
			a->stats.legacy++;
			m = msg;
			st = SCMI_SUCCESS;
		}
	}
	if (st != SCMI_SUCCESS) {
		a->stats.rejected++;
		log_rl(&a->rl, LOG_LVL_DEBUG, "%s: hdr 0x%08x with %zu payload bytes: %s",
		       a->cfg.name, h, len - 4, scmi_status_name(st));
		answer_status(a, cookie, h, st);
		return;
	}
	vi = ver_idx(scmi_hdr_proto(h));
	if (vi >= 0 && scmi_hdr_msg_id(h) == SCMI_NEGOTIATE_PROTOCOL_VERSION) {
		/*
		 * Never forwarded: the platform agent may be shared with other
		 * guests. Asked as PROTOCOL_VERSION (through the view and the
		 * cache) and answered here for this guest alone.
		 */
		xf.kind = XF_NEGOTIATE;
		xf.hdr = h;
		xf.want = scmi_get_le32(m + 4);
		scmi_put_le32(msg, h & ~(uint32_t)0xff);   /* message id 0 */
		m = msg;
		len = 4;
	} else if (vi >= 0 && (a->cfg.version_cap[vi] || a->neg_ver[vi])) {
		xf.kind = XF_CONVERT;
		if (!a->plat_ver[vi] && scmi_hdr_msg_id(h) != SCMI_PROTOCOL_VERSION) {
			park_for_version(a, vi, cookie, m, len, resp_max);
			return;
		}
	}
	if (xf.kind == XF_CONVERT && a->plat_ver[vi] &&
	    (st = ver_request(scmi_hdr_proto(h), guest_ver(a, vi), a->plat_ver[vi], m, len)) !=
	    SCMI_SUCCESS) {
		/* a command the guest's version does not have */
		answer_status(a, cookie, h, st);
		return;
	}
	if (a->fops && a->fops->request) {
		/* the filter may rewrite the request: its own copy */
		if (m != msg)
			memcpy(msg, m, len);
		m = msg;
		if (a->fops->request(a->f, msg, &len, sizeof(msg), resp, &resp_len, resp_max) ==
		    AGENT_REPLY) {
			if (resp_len < 8 || resp_len > resp_max) {
				scmi_put_le32(resp, scmi_get_le32(msg));
				scmi_put_le32(resp + 4, (uint32_t)SCMI_GENERIC_ERROR);
				resp_len = 8;
			}
			/* a cached answer is in the platform's layout */
			xf_finish(a, &xf, msg, len, resp, &resp_len);
			answer_local(a, cookie, resp, resp_len);
			return;
		}
		if (len < 4 || len > sizeof(msg)) {
			answer_status(a, cookie, h, SCMI_GENERIC_ERROR);
			return;
		}
	}
	if (scmi_hdr_proto(h) == SCMI_PROTO_BASE && scmi_hdr_msg_id(h) != SCMI_BASE_NOTIFY_ERRORS) {
		base_command(a, cookie, m, len, resp_max);
		return;
	}
	if (xf.kind == XF_CONVERT && (st = xf_check(a, m, len)) != SCMI_SUCCESS) {
		answer_status(a, cookie, h, st);
		return;
	}
	forward(a, cookie, m, len, resp_max, &xf);
}

static struct pend *take_inflight(struct agent *a, uint32_t seq)
{
	struct pend **pp = &a->inflight[seq % AGENT_HASH];

	for (; *pp; pp = &(*pp)->next) {
		struct pend *p = *pp;

		if (p->seq == seq) {
			*pp = p->next;
			a->ninflight--;
			if (p->cb)
				a->ninjected--;
			return p;
		}
	}
	return NULL;
}

/* r: the dispatcher's buffer (cap bytes), rewritten in place by the filter. */
static void agent_disp_response(void *opaque, uint64_t dc, uint8_t *r, size_t len,
				size_t cap)
{
	struct agent *a = opaque;
	struct pend *p;
	uint8_t buf[SCMI_MSG_MAX];

	if (len > cap)
		len = cap;
	if (dc & DIRECT_BIT) {
		a->ndirect--;
		complete(a, (uint32_t)dc, r, len);
		return;
	}
	p = take_inflight(a, (uint32_t)dc);
	if (!p)
		return;
	if (p->cb) {
		p->cb(p->cb_opaque, r, len);
		pend_put(a, p);
		return;
	}
	if (p->filtered && a->fops && a->fops->response) {
		if (cap < p->resp_max) {
			/* the hook may grow the answer to resp_max */
			memcpy(buf, r, len);
			r = buf;
		}
		a->fops->response(a->f, p->req, p->len, r, &len, p->resp_max);
	}
	if (p->xf.kind != XF_NONE)
		xf_finish(a, &p->xf, p->req, p->len, r, &len);
	complete(a, p->cookie, r, len);
	pend_put(a, p);
}

static void agent_disp_p2a(void *opaque, const uint8_t *m, size_t len)
{
	struct agent *a = opaque;
	uint8_t buf[SCMI_MSG_MAX];
	bool delayed;

	if (len < 4 || len > sizeof(buf))
		return;
	memcpy(buf, m, len);
	delayed = scmi_hdr_type(scmi_get_le32(buf)) == SCMI_MSG_DELAYED_RESP;
	if (a->fops && a->fops->event) {
		if (!a->fops->event(a->f, buf, &len, sizeof(buf)))
			return;
	} else if (!delayed) {
		/* No policy: the agent ids still are the ones BASE told the guest. */
		if (len < 8) {
			a->stats.events_dropped++;
			return;
		}
		scmi_notif_renumber_agent(buf, a->cfg.chan + 1, a->cfg.agent_id);
	}
	if (a->out->event(a->out_opaque, buf, len) < 0) {
		a->stats.events_dropped++;
		return;
	}
	if (delayed)
		a->stats.delayed++;
	else
		a->stats.notifications++;
}

/* ---- reset / free -------------------------------------------------------- */
static void drop_all(struct agent *a)
{
	unsigned b;

	for (b = 0; b < AGENT_HASH; b++)
		while (a->inflight[b]) {
			struct pend *p = a->inflight[b];

			a->inflight[b] = p->next;
			free(p);
		}
	a->ninflight = 0;
	a->ninjected = 0;
	a->ndirect = 0;     /* the dispatcher client's reset voids them */
	while (a->parked) {
		struct pend *p = a->parked;

		a->parked = p->next;
		free(p);
	}
	a->parked_tail = &a->parked;
	a->nparked = 0;
	while (a->vpark) {
		struct pend *p = a->vpark;

		a->vpark = p->next;
		free(p);
	}
	a->vpark_tail = &a->vpark;
	a->nvpark = 0;
	memset(a->ver_asking, 0, sizeof(a->ver_asking));
	memset(a->vstatus, 0, sizeof(a->vstatus));
	if (a->vflush)
		ev_timer_cancel(a->loop, a->vflush);
	a->vflush = NULL;
	while (a->lhead) {
		struct local_reply *r = a->lhead;

		a->lhead = r->next;
		free(r);
	}
	a->ltail = &a->lhead;
	a->nlocal = 0;
	if (a->flush)
		ev_timer_cancel(a->loop, a->flush);
	a->flush = NULL;
}

void agent_reset(struct agent *a)
{
	a->stats.resets++;
	drop_all(a);
	/* a rebooted guest negotiates again */
	memset(a->neg_ver, 0, sizeof(a->neg_ver));
	disp_client_reset(a->client);
	/* Policy hook: per-guest votes and renumbering state are withdrawn. */
	if (a->fops && a->fops->reset)
		a->fops->reset(a->f);
}

void agent_free(struct agent *a)
{
	if (!a)
		return;
	drop_all(a);
	if (a->base_waiting)
		base_cache_cancel(a->bc, a);
	if (a->fops && a->fops->reset)
		a->fops->reset(a->f);
	disp_client_free(a->client);
	while (a->pool) {
		struct pend *p = a->pool;

		a->pool = p->next;
		free(p);
	}
	free(a);
}

/* ---- scmi_dev_ops glue ---------------------------------------------------- */
static void dev_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			size_t resp_max)
{
	agent_command(opaque, cookie, req, len, resp_max);
}

static void dev_reset(void *opaque)
{
	agent_reset(opaque);
}

const struct scmi_dev_ops agent_dev_ops = {
	.command = dev_command,
	.reset = dev_reset,
};
