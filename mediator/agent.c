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

#define AGENT_HASH 64
#define PEND_SMALL 64       /* forwarded commands up to this size are recycled */
#define PEND_POOL_MAX 64    /* recycled entries kept at most */
/* Dispatcher cookies: a pend's sequence number (< 2^32), or this bit with
 * the device cookie for a command nothing needs to remember (no filter
 * response hook): it is completed straight from the response. */
#define DIRECT_BIT (1ull << 32)

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
	return a->ninflight - a->ninjected + a->ndirect + a->nparked + a->nlocal;
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

static void base_command(struct agent *a, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	const struct base_info *bi = base_cache_info(a->bc);
	struct pend *p;

	if (bi) {
		base_reply(a, bi, cookie, req, len, resp_max);
		return;
	}
	p = calloc(1, sizeof(*p) + len);
	if (!p) {
		answer_status(a, cookie, scmi_get_le32(req), SCMI_GENERIC_ERROR);
		return;
	}
	p->cookie = cookie;
	p->resp_max = resp_max;
	p->len = len;
	memcpy(p->req, req, len);
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
		  size_t resp_max, agent_inject_cb cb, void *cb_opaque, int32_t *st)
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
	p->len = p->filtered ? len : 0;
	if (p->filtered)
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
	return submit(a, 0, msg, len, SCMI_MSG_MAX, cb, opaque, &st);
}

int agent_inject_detached(struct agent *a, const uint8_t *msg, size_t len)
{
	return disp_submit_detached(a->d, a->cfg.chan, msg, len);
}

static void forward(struct agent *a, uint32_t cookie, const uint8_t *msg, size_t len,
		    size_t resp_max)
{
	int32_t st = SCMI_SUCCESS;
	uint32_t h = scmi_get_le32(msg);
	int rc;

	if (a->fops && a->fops->response) {
		rc = submit(a, cookie, msg, len, resp_max, NULL, NULL, &st);
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

void agent_command(struct agent *a, uint32_t cookie, const uint8_t *req, size_t len,
		   size_t resp_max)
{
	uint8_t msg[SCMI_MSG_MAX], resp[SCMI_MSG_MAX];
	const uint8_t *m = req;     /* the request as it goes on */
	size_t resp_len = 0;
	uint32_t h;
	int32_t st;

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
	if (a->fops && a->fops->request) {
		/* the filter may rewrite the request: its own copy */
		if (m != msg)
			memcpy(msg, req, len);
		m = msg;
		if (a->fops->request(a->f, msg, &len, sizeof(msg), resp, &resp_len, resp_max) ==
		    AGENT_REPLY) {
			if (resp_len < 8 || resp_len > resp_max) {
				scmi_put_le32(resp, h);
				scmi_put_le32(resp + 4, (uint32_t)SCMI_GENERIC_ERROR);
				resp_len = 8;
			}
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
	forward(a, cookie, m, len, resp_max);
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
	if (a->fops && a->fops->event && !a->fops->event(a->f, buf, &len, sizeof(buf)))
		return;
	delayed = scmi_hdr_type(scmi_get_le32(buf)) == SCMI_MSG_DELAYED_RESP;
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
