/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the platform says about itself through BASE (version, vendor,
 * sub-vendor, implementation version, protocol list), asked once per
 * platform channel through the dispatcher and cached, so that each guest's
 * agent can answer BASE discovery itself.
 */
#ifndef BASE_CACHE_H
#define BASE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "scmi_proto.h"

struct dispatcher;
struct base_cache;

struct base_info {
	uint32_t version;
	uint32_t attributes;                 /* platform's PROTOCOL_ATTRIBUTES */
	char vendor[SCMI_SHORT_NAME_LEN + 1];
	char sub_vendor[SCMI_SHORT_NAME_LEN + 1];
	uint32_t impl_version;
	uint8_t protocols[256];              /* excluding BASE */
	unsigned nprotocols;
};

typedef void (*base_cache_cb)(void *opaque, const struct base_info *info);

struct base_cache *base_cache_new(struct dispatcher *d, unsigned chan);
void base_cache_free(struct base_cache *bc);
/* The cached answers, or NULL if not fetched yet. */
const struct base_info *base_cache_info(const struct base_cache *bc);
/*
 * Get the info: if cached, returns it (no callback). Otherwise starts the
 * queries if needed, registers cb and returns NULL; cb later receives the
 * info, or NULL if the platform could not be asked (a later call retries).
 */
const struct base_info *base_cache_get(struct base_cache *bc, base_cache_cb cb, void *opaque);
/* Forget a registered callback (its owner goes away). */
void base_cache_cancel(struct base_cache *bc, void *opaque);

#endif
