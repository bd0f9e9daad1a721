// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arbiter + discovery cache of one platform channel (chan_share.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "arbiter.h"
#include "cache.h"
#include "cache_warm.h"
#include "chan_share.h"
#include "dispatcher.h"
#include "log.h"
#include "scmi_msg.h"

struct chan_share {
	struct dispatcher *d;
	unsigned chan;
	struct arbiter *arb;
	struct scmi_cache *cache;
	struct cache_warm *warm;   /* NULL: no warm-up */
	uint64_t slots;            /* guest slots in use */
	unsigned replays_out;      /* restored settings awaiting the platform */
};

static void emit(void *opaque, unsigned guest, const uint8_t *msg, size_t len)
{
	struct chan_share *cs = opaque;

	if (disp_submit_detached(cs->d, cs->chan, msg, len) < 0)
		log_err("chan %u: cannot send the aggregate after guest slot %u changed "
			"(hdr 0x%08x)", cs->chan, guest, scmi_get_le32(msg));
}

/* The platform's answer to a remembered setting sent again. */
static void replay_done(void *opaque, uint32_t hdr, int32_t status)
{
	struct chan_share *cs = opaque;

	cs->replays_out--;
	arb_replay_result(cs->arb, status);
	if (status != SCMI_SUCCESS)
		log_warn("chan %u: the platform refused a guest's setting restored after its "
			 "reset (hdr 0x%08x): %s", cs->chan, hdr, scmi_status_name(status));
}

static int replay(void *opaque, unsigned guest, const uint8_t *msg, size_t len)
{
	struct chan_share *cs = opaque;
	int rc = disp_submit_detached_cb(cs->d, cs->chan, msg, len, replay_done, cs);

	if (rc == 0)
		cs->replays_out++;
	else
		log_err("chan %u: cannot restore guest slot %u's setting (hdr 0x%08x) after "
			"the platform reset", cs->chan, guest, scmi_get_le32(msg));
	return rc;
}

static const struct arb_ops arb_ops = { .emit = emit, .replay = replay };

struct chan_share *chan_share_new(struct dispatcher *d, unsigned chan, size_t cache_bytes)
{
	struct chan_share *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->d = d;
	cs->chan = chan;
	cs->arb = arb_new(&arb_ops, cs);
	cs->cache = cache_new(cache_bytes);
	if (!cs->arb || !cs->cache) {
		chan_share_free(cs);
		return NULL;
	}
	return cs;
}

void chan_share_free(struct chan_share *cs)
{
	if (!cs)
		return;
	cache_warm_free(cs->warm);
	if (cs->replays_out)
		disp_forget_done(cs->d, cs);   /* no callback into freed memory */
	arb_free(cs->arb);
	cache_free(cs->cache);
	free(cs);
}

int chan_share_guest_add(struct chan_share *cs)
{
	int g;

	for (g = 0; g < ARB_MAX_GUESTS; g++)
		if (!(cs->slots >> g & 1)) {
			cs->slots |= 1ull << g;
			return g;
		}
	return -ENOSPC;
}

void chan_share_guest_del(struct chan_share *cs, int guest)
{
	if (guest < 0 || guest >= ARB_MAX_GUESTS || !(cs->slots >> guest & 1))
		return;
	arb_withdraw(cs->arb, (unsigned)guest);
	cs->slots &= ~(1ull << guest);
}

unsigned chan_share_guests(const struct chan_share *cs)
{
	return (unsigned)__builtin_popcountll(cs->slots);
}

struct arbiter *chan_share_arbiter(struct chan_share *cs) { return cs->arb; }
size_t chan_share_peek(const struct chan_share *cs, const uint8_t *req, size_t req_len,
		       uint8_t *resp, size_t cap)
{
	return cs->cache ? cache_peek(cs->cache, cs->chan, req, req_len, SCMI_LINUX_MSG_SIZE,
				      resp, cap) : 0;
}

struct scmi_cache *chan_share_cache(struct chan_share *cs) { return cs->cache; }

/* The guest's policy entry for the resource a command addresses (platform
 * id), or NULL. */
static const struct pol_res *res_of(const struct policy *pol, const uint8_t *msg, size_t len)
{
	uint32_t h = scmi_get_le32(msg), id;
	uint8_t proto = scmi_hdr_proto(h), mid = scmi_hdr_msg_id(h);
	size_t off = 0;
	unsigned k;

	if (!pol || proto < SCMI_PROTO_BASE || proto >= SCMI_PROTO_BASE + POL_NPROTO ||
	    mid < SCMI_PROTOCOL_MESSAGE_ATTRIBUTES + 1 || mid == SCMI_NEGOTIATE_PROTOCOL_VERSION)
		return NULL;
	if ((proto == SCMI_PROTO_POWER && mid == SCMI_POWER_STATE_SET) ||
	    (proto == SCMI_PROTO_CLOCK && mid == SCMI_CLOCK_RATE_SET))
		off = 4;
	if (len < 4 + off + 4)
		return NULL;
	id = scmi_get_le32(msg + 4 + off);
	for (k = 0; k < pol->proto[POL_IDX(proto)].nres; k++)
		if (pol->proto[POL_IDX(proto)].res[k].plat_id == id)
			return &pol->proto[POL_IDX(proto)].res[k];
	return NULL;
}

static bool valid_guest(const struct chan_share *cs, int guest)
{
	return guest >= 0 && guest < ARB_MAX_GUESTS && (cs->slots >> guest & 1);
}

enum agent_verdict chan_share_request(struct chan_share *cs, int guest,
				      const struct policy *pol, uint8_t *msg, size_t len,
				      uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	const struct pol_res *res;
	size_t n;

	if (!valid_guest(cs, guest) || len < 4)
		return AGENT_FORWARD;
	res = res_of(pol, msg, len);
	if (arb_request(cs->arb, (unsigned)guest, res, msg, len, resp, resp_len, resp_max) ==
	    AGENT_REPLY)
		return AGENT_REPLY;
	n = cache_lookup(cs->cache, cs->chan, msg, len, resp_max, resp, resp_max);
	if (!n)
		return AGENT_FORWARD;
	/* per-guest state bits of a cached answer (CLOCK_ATTRIBUTES enabled) */
	arb_response(cs->arb, (unsigned)guest, res, msg, len, resp, n);
	*resp_len = n;
	return AGENT_REPLY;
}

void chan_share_response(struct chan_share *cs, int guest, const struct policy *pol,
			 const uint8_t *req, size_t req_len, uint8_t *resp, size_t len,
			 size_t resp_max)
{
	if (!valid_guest(cs, guest) || req_len < 4 || len < 8)
		return;
	/* the platform's own answer is cached, before the per-guest rewrite */
	cache_store(cs->cache, cs->chan, req, req_len, resp_max, resp, len,
		    cache_generation(cs->cache));
	arb_response(cs->arb, (unsigned)guest, res_of(pol, req, req_len), req, req_len, resp, len);
}

void chan_share_reset(struct chan_share *cs, int guest)
{
	if (valid_guest(cs, guest))
		arb_withdraw(cs->arb, (unsigned)guest);
}

unsigned chan_share_platform_reset(struct chan_share *cs, unsigned *settings)
{
	unsigned n = arb_platform_replay(cs->arb), k;

	/* queued behind the aggregates (detached commands are served in order) */
	k = arb_replay_settings(cs->arb);
	if (settings)
		*settings = k;
	cache_invalidate(cs->cache);
	return n;
}

int chan_share_warmup_setup(struct chan_share *cs, struct ev_loop *loop,
			    const struct cache_warm_cfg *cfg)
{
	if (cs->warm || !cfg->max_cmds)
		return 0;
	cs->warm = cache_warm_new(loop, cs->d, cs->chan, cs->cache, cfg);
	return cs->warm ? 0 : -1;
}

int chan_share_warm(struct chan_share *cs)
{
	return cs->warm ? cache_warm_start(cs->warm) : -1;
}

struct cache_warm *chan_share_warmer(struct chan_share *cs) { return cs->warm; }
