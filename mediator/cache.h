/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The discovery cache: answers to description commands (versions,
 * attributes, names, level/rate/sensor descriptions...) fetched once from
 * the platform and given to every later guest that asks the same thing.
 *
 * Which commands are cacheable is decided in one table
 * (mediator/cache_table.c, docs/cache.md). Entries are keyed by the
 * platform channel, protocol, message id and request payload (platform
 * ids) and, for paginated list replies, by the response capacity (a list
 * reply depends on the buffer size). Memory is bounded; least recently
 * used entries are evicted. A platform reset invalidates everything.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cache_kind {
	CACHE_NO = 0,
	CACHE_STATIC,      /* the answer never changes while the platform runs */
	CACHE_STATEFUL,    /* static except bits the arbiter rewrites per guest
			    * (CLOCK_ATTRIBUTES enabled bit): call arb_response()
			    * on every answer, cached or not */
};

/* The decision for one command (cache_table.c). */
enum cache_kind cache_cmd_kind(uint8_t proto, uint8_t msg_id);

struct scmi_cache;

struct cache_stats {
	uint64_t hits, misses, stores, evictions, invalidations;
	size_t entries, bytes;
};

/* max_bytes: bound on the stored requests + responses + bookkeeping. */
struct scmi_cache *cache_new(size_t max_bytes);
void cache_free(struct scmi_cache *c);

/*
 * Look up a command (hdr + payload, platform ids) sent on chan with a
 * response capacity resp_max. On a hit the answer is copied to resp
 * (at most resp_cap bytes) with the request's header and its length is
 * returned; 0 on a miss or when the command is not cacheable.
 */
size_t cache_lookup(struct scmi_cache *c, unsigned chan, const uint8_t *req, size_t req_len,
		    size_t resp_max, uint8_t *resp, size_t resp_cap);
/* The same without counting a hit or a miss or touching the LRU order
 * (the warm-up checking what is there already). */
size_t cache_peek(const struct scmi_cache *c, unsigned chan, const uint8_t *req,
		  size_t req_len, size_t resp_max, uint8_t *resp, size_t resp_cap);
/*
 * The platform's answer to a cacheable command: stored when its status is
 * a stable one (SUCCESS, NOT_FOUND, NOT_SUPPORTED, INVALID_PARAMETERS).
 * gen is cache_generation() taken when the request was sent: answers to
 * requests made before an invalidation are not stored.
 */
void cache_store(struct scmi_cache *c, unsigned chan, const uint8_t *req, size_t req_len,
		 size_t resp_max, const uint8_t *resp, size_t len, uint64_t gen);
uint64_t cache_generation(const struct scmi_cache *c);
/* Platform reset (or anything that may change descriptions). */
void cache_invalidate(struct scmi_cache *c);
const struct cache_stats *cache_stats(const struct scmi_cache *c);

#endif
