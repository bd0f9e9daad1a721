/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Discovery cache warm-up (docs/cache.md): the mediator walks the
 * platform's descriptions on one platform channel itself, the way a Linux
 * guest's arm_scmi drivers do at probe (versions, attributes, the message
 * checks, every domain's attributes and names, paginated level / rate /
 * interval / parent lists, fastchannel descriptions), plus what the
 * per-guest view asks instead (every sensor descriptor by index), and
 * stores the answers in that channel's cache. Guests' probes are then
 * answered locally from their first command. With cfg.want, only the
 * protocols and resources the channel's guests can see are walked.
 *
 * The answers are the ones this channel's platform agent gets (the cache
 * is per channel), so per-agent permissions are respected. The walk runs
 * as a dispatcher client of its own (guests are served alongside it), is
 * bounded in commands and time, and logs what it did. What the cache holds
 * already is not asked again (its answer drives the walk). Answers to requests
 * sent before a cache invalidation are not stored; a platform reset
 * restarts it.
 */
#ifndef CACHE_WARM_H
#define CACHE_WARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct dispatcher;
struct scmi_cache;
struct cache_warm;

#define CACHE_WARM_ANY 0xffffffffu

struct cache_warm_cfg {
	/* Which protocols (id CACHE_WARM_ANY) and platform resources the
	 * guests of the channel can see (their policies); NULL: everything. */
	bool (*want)(void *opaque, uint8_t proto, uint32_t plat_id);
	void *want_opaque;
	unsigned max_cmds;      /* commands per run (0: warm-up disabled) */
	uint64_t max_ns;        /* a run's time limit */
	size_t resp_max;        /* response capacity asked with (the guests') */
	unsigned window;        /* commands at the dispatcher at once */
};

struct cache_warm_stats {
	unsigned runs;          /* started */
	unsigned sent;          /* commands of the last run answered or lost */
	unsigned stored;        /* answers the cache took (last run) */
	unsigned cached;        /* found in the cache already: not asked (last run) */
	unsigned errors;        /* non-SUCCESS answers (last run) */
	bool running;
	bool bounded;           /* the last run stopped at max_cmds */
	bool timed_out;         /* the last run stopped at max_ns */
	uint64_t elapsed_ns;    /* of the last finished run */
	uint64_t total_sent;    /* every run */
};

struct cache_warm *cache_warm_new(struct ev_loop *loop, struct dispatcher *d, unsigned chan,
				  struct scmi_cache *c, const struct cache_warm_cfg *cfg);
void cache_warm_free(struct cache_warm *w);
/* (Re)start a run: a run in progress is dropped first. 0, or -1 (disabled
 * or no memory). */
int cache_warm_start(struct cache_warm *w);
bool cache_warm_running(const struct cache_warm *w);
const struct cache_warm_stats *cache_warm_stats(const struct cache_warm *w);

#endif
