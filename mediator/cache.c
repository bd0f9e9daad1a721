// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery cache: hash of (chan, proto, msg, payload[, resp_max]) ->
 * response, with LRU eviction under a byte bound.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "scmi_msg.h"

#define CACHE_HASH 1024

struct centry {
	struct centry *hnext;            /* hash chain */
	struct centry *lprev, *lnext;    /* LRU list, most recent first */
	uint32_t hash;
	unsigned chan;
	uint8_t proto, msg;
	size_t resp_max;                 /* part of the key for lists, else 0 */
	size_t req_len;                  /* payload bytes */
	size_t resp_len;
	uint8_t data[];                  /* payload, then response */
};

struct scmi_cache {
	size_t max_bytes;
	uint64_t gen;
	struct centry *tab[CACHE_HASH];
	struct centry *lru_head, *lru_tail;
	struct cache_stats stats;
};

struct scmi_cache *cache_new(size_t max_bytes)
{
	struct scmi_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->max_bytes = max_bytes;
	return c;
}

static size_t entry_size(const struct centry *e)
{
	return sizeof(*e) + e->req_len + e->resp_len;
}

static void lru_unlink(struct scmi_cache *c, struct centry *e)
{
	if (e->lprev)
		e->lprev->lnext = e->lnext;
	else
		c->lru_head = e->lnext;
	if (e->lnext)
		e->lnext->lprev = e->lprev;
	else
		c->lru_tail = e->lprev;
	e->lprev = e->lnext = NULL;
}

static void lru_push(struct scmi_cache *c, struct centry *e)
{
	e->lprev = NULL;
	e->lnext = c->lru_head;
	if (c->lru_head)
		c->lru_head->lprev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

static void remove_entry(struct scmi_cache *c, struct centry *e)
{
	struct centry **pp = &c->tab[e->hash % CACHE_HASH];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	c->stats.entries--;
	c->stats.bytes -= entry_size(e);
	free(e);
}

void cache_invalidate(struct scmi_cache *c)
{
	while (c->lru_head)
		remove_entry(c, c->lru_head);
	c->gen++;
	c->stats.invalidations++;
}

void cache_free(struct scmi_cache *c)
{
	if (!c)
		return;
	while (c->lru_head)
		remove_entry(c, c->lru_head);
	free(c);
}

uint64_t cache_generation(const struct scmi_cache *c)
{
	return c->gen;
}

const struct cache_stats *cache_stats(const struct scmi_cache *c)
{
	return &c->stats;
}

/* Key material; false if the command is not cacheable. */
static bool key(unsigned chan, const uint8_t *req, size_t req_len, size_t resp_max,
		uint8_t *proto, uint8_t *msg, size_t *kmax, uint32_t *hash)
{
	const struct scmi_cmd_desc *d;
	uint32_t h, x;
	size_t i;

	if (req_len < 4 || req_len > SCMI_MSG_MAX)
		return false;
	h = scmi_get_le32(req);
	if (scmi_hdr_type(h) != SCMI_MSG_COMMAND || scmi_hdr_reserved(h))
		return false;
	*proto = scmi_hdr_proto(h);
	*msg = scmi_hdr_msg_id(h);
	if (cache_cmd_kind(*proto, *msg) == CACHE_NO)
		return false;
	d = scmi_cmd_find(*proto, *msg);
	*kmax = d && (d->flags & SCMI_CMD_LIST) ? resp_max : 0;
	/* FNV-1a over the key */
	x = 2166136261u;
	x = (x ^ chan) * 16777619u;
	x = (x ^ *proto) * 16777619u;
	x = (x ^ *msg) * 16777619u;
	x = (x ^ (uint32_t)*kmax) * 16777619u;
	for (i = 4; i < req_len; i++)
		x = (x ^ req[i]) * 16777619u;
	*hash = x;
	return true;
}

static struct centry *find(struct scmi_cache *c, unsigned chan, uint8_t proto, uint8_t msg,
			   size_t kmax, uint32_t hash, const uint8_t *payload, size_t plen)
{
	struct centry *e;

	for (e = c->tab[hash % CACHE_HASH]; e; e = e->hnext)
		if (e->hash == hash && e->chan == chan && e->proto == proto && e->msg == msg &&
		    e->resp_max == kmax && e->req_len == plen &&
		    !memcmp(e->data, payload, plen))
			return e;
	return NULL;
}

size_t cache_lookup(struct scmi_cache *c, unsigned chan, const uint8_t *req, size_t req_len,
		    size_t resp_max, uint8_t *resp, size_t resp_cap)
{
	struct centry *e;
	uint8_t proto, msg;
	size_t kmax;
	uint32_t hash;

	if (!key(chan, req, req_len, resp_max, &proto, &msg, &kmax, &hash))
		return 0;
	e = find(c, chan, proto, msg, kmax, hash, req + 4, req_len - 4);
	if (!e || e->resp_len > resp_max || e->resp_len > resp_cap) {
		c->stats.misses++;
		return 0;
	}
	c->stats.hits++;
	lru_unlink(c, e);
	lru_push(c, e);
	memcpy(resp, e->data + e->req_len, e->resp_len);
	scmi_put_le32(resp, scmi_get_le32(req));
	return e->resp_len;
}

size_t cache_peek(const struct scmi_cache *c, unsigned chan, const uint8_t *req,
		  size_t req_len, size_t resp_max, uint8_t *resp, size_t resp_cap)
{
	const struct centry *e;
	uint8_t proto, msg;
	size_t kmax;
	uint32_t hash;

	if (!key(chan, req, req_len, resp_max, &proto, &msg, &kmax, &hash))
		return 0;
	e = find((struct scmi_cache *)c, chan, proto, msg, kmax, hash, req + 4, req_len - 4);
	if (!e || e->resp_len > resp_max || e->resp_len > resp_cap)
		return 0;
	memcpy(resp, e->data + e->req_len, e->resp_len);
	scmi_put_le32(resp, scmi_get_le32(req));
	return e->resp_len;
}

static bool stable_status(int32_t st)
{
	return st == SCMI_SUCCESS || st == SCMI_NOT_FOUND || st == SCMI_NOT_SUPPORTED ||
	       st == SCMI_INVALID_PARAMETERS;
}

void cache_store(struct scmi_cache *c, unsigned chan, const uint8_t *req, size_t req_len,
		 size_t resp_max, const uint8_t *resp, size_t len, uint64_t gen)
{
	struct centry *e;
	uint8_t proto, msg;
	size_t kmax, sz;
	uint32_t hash;

	if (gen != c->gen || len < 8 || len > SCMI_MSG_MAX || len > resp_max ||
	    !stable_status((int32_t)scmi_get_le32(resp + 4)) ||
	    (scmi_get_le32(resp) & ~SCMI_HDR_TOKEN_MASK) !=
	    (scmi_get_le32(req) & ~SCMI_HDR_TOKEN_MASK))
		return;
	if (!key(chan, req, req_len, resp_max, &proto, &msg, &kmax, &hash))
		return;
	e = find(c, chan, proto, msg, kmax, hash, req + 4, req_len - 4);
	if (e)
		remove_entry(c, e);  /* replaced by the newer answer */
	sz = sizeof(*e) + (req_len - 4) + len;
	if (sz > c->max_bytes)
		return;
	while (c->lru_tail && c->stats.bytes + sz > c->max_bytes) {
		remove_entry(c, c->lru_tail);
		c->stats.evictions++;
	}
	e = calloc(1, sz);
	if (!e)
		return;
	e->hash = hash;
	e->chan = chan;
	e->proto = proto;
	e->msg = msg;
	e->resp_max = kmax;
	e->req_len = req_len - 4;
	e->resp_len = len;
	memcpy(e->data, req + 4, e->req_len);
	memcpy(e->data + e->req_len, resp, len);
	e->hnext = c->tab[hash % CACHE_HASH];
	c->tab[hash % CACHE_HASH] = e;
	lru_push(c, e);
	c->stats.entries++;
	c->stats.bytes += sz;
	c->stats.stores++;
}
