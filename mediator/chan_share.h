/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guests that share one platform channel share: the arbiter
 * (their votes) and the discovery cache, with the arbiter's own platform
 * commands sent on that channel (disp_submit_detached). The guest filter
 * calls these between the view (validation, renumbering) and the
 * dispatcher, with platform ids:
 *
 *   request:  view_request -> chan_share_request -> forward
 *             (AGENT_REPLY: renumber the answer with view_response)
 *   response: chan_share_response -> view_response
 *   reset:    chan_share_reset (withdraws the guest's votes)
 *
 * One chan_share per platform channel; guests on their own platform agent
 * each have their own (the platform arbitrates between agents itself).
 */
#ifndef CHAN_SHARE_H
#define CHAN_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "policy.h"

struct dispatcher;
struct chan_share;
struct arbiter;
struct scmi_cache;

struct chan_share *chan_share_new(struct dispatcher *d, unsigned chan, size_t cache_bytes);
/* All guests must have been removed; before the dispatcher when settings
 * restored after a platform reset may still await the platform. */
void chan_share_free(struct chan_share *cs);
/* A guest slot (>= 0) or -ENOSPC when ARB_MAX_GUESTS guests share it. */
int chan_share_guest_add(struct chan_share *cs);
/* Withdraws the guest's votes and frees its slot. */
void chan_share_guest_del(struct chan_share *cs, int guest);
unsigned chan_share_guests(const struct chan_share *cs);

enum agent_verdict chan_share_request(struct chan_share *cs, int guest,
				      const struct policy *pol, uint8_t *msg, size_t len,
				      uint8_t *resp, size_t *resp_len, size_t resp_max);
void chan_share_response(struct chan_share *cs, int guest, const struct policy *pol,
			 const uint8_t *req, size_t req_len, uint8_t *resp, size_t len,
			 size_t resp_max);
/* The guest reset its device or left: its votes go, its slot stays. */
void chan_share_reset(struct chan_share *cs, int guest);
/* The platform was reset: the aggregates of the guests' votes are sent
 * again (arb_platform_replay; returns how many commands), then the
 * guests' exclusive settings (arb_replay_settings; *settings: how many,
 * may be NULL; failures are logged and counted in arb_stats), and the
 * cached answers are dropped (warm again with chan_share_warm()). */
unsigned chan_share_platform_reset(struct chan_share *cs, unsigned *settings);

/* Discovery cache warm-up of this channel (cache_warm.h); cfg->max_cmds 0:
 * none. chan_share_warm() starts a run (-1: no warm-up set up). */
struct ev_loop;
struct cache_warm;
struct cache_warm_cfg;
int chan_share_warmup_setup(struct chan_share *cs, struct ev_loop *loop,
			    const struct cache_warm_cfg *cfg);
int chan_share_warm(struct chan_share *cs);
struct cache_warm *chan_share_warmer(struct chan_share *cs);

/* A cached platform answer to req (platform ids) at the Linux response
 * capacity the warm-up uses, without touching the statistics or the LRU
 * order: its length, or 0. For the view's list clamping (view_set_fetch). */
size_t chan_share_peek(const struct chan_share *cs, const uint8_t *req, size_t req_len,
		       uint8_t *resp, size_t cap);

struct arbiter *chan_share_arbiter(struct chan_share *cs);
struct scmi_cache *chan_share_cache(struct chan_share *cs);

#endif
