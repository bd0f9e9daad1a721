// SPDX-License-Identifier: GPL-2.0-only
/*
 * BASE discovery cache: a small sequence of queries to the platform on one
 * channel (VERSION, PROTOCOL_ATTRIBUTES, vendor names, implementation
 * version, then DISCOVER_LIST_PROTOCOLS until the list is complete).
 */
#include <stdlib.h>
#include <string.h>

#include "base_cache.h"
#include "dispatcher.h"
#include "log.h"
#include "scmi_msg.h"

enum bc_step {
	BC_VERSION, BC_ATTRIBUTES, BC_VENDOR, BC_SUB_VENDOR, BC_IMPL, BC_LIST, BC_DONE,
};

struct bc_waiter {
	base_cache_cb cb;
	void *opaque;
};

struct base_cache {
	struct dispatcher *d;
	unsigned chan;
	struct disp_client *client;
	bool running, ready;
	enum bc_step step;
	struct base_info info;
	struct bc_waiter *waiters;
	unsigned nwaiters, cap;
	uint32_t seq;
};

static void bc_response(void *opaque, uint64_t cookie, uint8_t *r, size_t len, size_t cap);
static void bc_p2a(void *opaque, const uint8_t *m, size_t len) { }

static const struct disp_client_ops bc_ops = { .response = bc_response, .p2a = bc_p2a };

struct base_cache *base_cache_new(struct dispatcher *d, unsigned chan)
{
	struct base_cache *bc = calloc(1, sizeof(*bc));

	if (!bc)
		return NULL;
	bc->d = d;
	bc->chan = chan;
	bc->client = disp_client_new(d, chan, "base-cache", &bc_ops, bc);
	if (!bc->client) {
		free(bc);
		return NULL;
	}
	return bc;
}

void base_cache_free(struct base_cache *bc)
{
	if (!bc)
		return;
	disp_client_free(bc->client);
	free(bc->waiters);
	free(bc);
}

const struct base_info *base_cache_info(const struct base_cache *bc)
{
	return bc->ready ? &bc->info : NULL;
}

static void bc_finish(struct base_cache *bc, bool ok)
{
	struct bc_waiter *w = bc->waiters;
	unsigned i, n = bc->nwaiters;

	bc->running = false;
	bc->ready = ok;
	bc->waiters = NULL;
	bc->nwaiters = bc->cap = 0;
	if (ok)
		log_info("platform (chan %u): SCMI BASE v%u.%u '%s:%s' firmware 0x%x, %u protocols",
			 bc->chan, bc->info.version >> 16, bc->info.version & 0xffff,
			 bc->info.vendor, bc->info.sub_vendor, bc->info.impl_version,
			 bc->info.nprotocols);
	for (i = 0; i < n; i++)
		w[i].cb(w[i].opaque, ok ? &bc->info : NULL);
	free(w);
}

static void bc_send(struct base_cache *bc)
{
	static const uint8_t ids[] = {
		[BC_VERSION] = SCMI_PROTOCOL_VERSION,
		[BC_ATTRIBUTES] = SCMI_PROTOCOL_ATTRIBUTES,
		[BC_VENDOR] = SCMI_BASE_DISCOVER_VENDOR,
		[BC_SUB_VENDOR] = SCMI_BASE_DISCOVER_SUB_VENDOR,
		[BC_IMPL] = SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION,
		[BC_LIST] = SCMI_BASE_DISCOVER_LIST_PROTOCOLS,
	};
	uint8_t m[8];
	size_t len = 4;
	int32_t st;

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_BASE, ids[bc->step], SCMI_MSG_COMMAND, 0));
	if (bc->step == BC_LIST) {
		scmi_put_le32(m + 4, bc->info.nprotocols);
		len = 8;
	}
	if (disp_submit(bc->client, ++bc->seq, m, len, SCMI_MSG_MAX, &st) != 0) {
		log_err("platform (chan %u): cannot query BASE", bc->chan);
		bc_finish(bc, false);
	}
}

static void copy_name(char *dst, const uint8_t *src)
{
	memcpy(dst, src, SCMI_SHORT_NAME_LEN);
	dst[SCMI_SHORT_NAME_LEN] = 0;
}

static void bc_response(void *opaque, uint64_t cookie, uint8_t *r, size_t len, size_t cap)
{
	struct base_cache *bc = opaque;
	int32_t st = (int32_t)scmi_get_le32(r + 4);
	size_t need = bc->step == BC_VENDOR || bc->step == BC_SUB_VENDOR ? 8 + 16 : 12;
	uint32_t total, n, i;

	if (cookie != bc->seq || !bc->running)
		return;
	if (st != SCMI_SUCCESS || len < need) {
		log_err("platform (chan %u): BASE query %d failed: %s (%zu bytes)", bc->chan,
			(int)bc->step, scmi_status_name(st), len);
		bc_finish(bc, false);
		return;
	}
	switch (bc->step) {
	case BC_VERSION:
		bc->info.version = scmi_get_le32(r + 8);
		break;
	case BC_ATTRIBUTES:
		bc->info.attributes = scmi_get_le32(r + 8);
		break;
	case BC_VENDOR:
		copy_name(bc->info.vendor, r + 8);
		break;
	case BC_SUB_VENDOR:
		copy_name(bc->info.sub_vendor, r + 8);
		break;
	case BC_IMPL:
		bc->info.impl_version = scmi_get_le32(r + 8);
		break;
	case BC_LIST:
		total = bc->info.attributes & 0xff;
		n = scmi_get_le32(r + 8);
		if (!n || 12 + (size_t)n > len || bc->info.nprotocols + n > total) {
			log_err("platform (chan %u): bad protocol list (%u of %u)", bc->chan, n,
				total);
			bc_finish(bc, false);
			return;
		}
		for (i = 0; i < n; i++)
			bc->info.protocols[bc->info.nprotocols++] = r[12 + i];
		if (bc->info.nprotocols < total) {
			bc_send(bc);
			return;
		}
		break;
	default:
		return;
	}
	bc->step++;
	if (bc->step == BC_LIST && !(bc->info.attributes & 0xff))
		bc->step = BC_DONE;
	if (bc->step == BC_DONE)
		bc_finish(bc, true);
	else
		bc_send(bc);
}

const struct base_info *base_cache_get(struct base_cache *bc, base_cache_cb cb, void *opaque)
{
	if (bc->ready)
		return &bc->info;
	if (cb) {
		if (bc->nwaiters == bc->cap) {
			unsigned ncap = bc->cap ? bc->cap * 2 : 4;
			struct bc_waiter *n = realloc(bc->waiters, ncap * sizeof(*n));

			if (!n)
				return NULL;
			bc->waiters = n;
			bc->cap = ncap;
		}
		bc->waiters[bc->nwaiters++] = (struct bc_waiter){ cb, opaque };
	}
	if (!bc->running) {
		bc->running = true;
		bc->step = BC_VERSION;
		memset(&bc->info, 0, sizeof(bc->info));
		bc_send(bc);
	}
	return NULL;
}

void base_cache_cancel(struct base_cache *bc, void *opaque)
{
	unsigned i, j = 0;

	for (i = 0; i < bc->nwaiters; i++)
		if (bc->waiters[i].opaque != opaque)
			bc->waiters[j++] = bc->waiters[i];
	bc->nwaiters = j;
}
