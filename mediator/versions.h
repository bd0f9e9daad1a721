/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Protocol versions presented to a guest in place of the platform's
 * (docs/policy.md "versions", docs/protocol.md "Protocol versions per
 * guest"): which older versions the mediator can present, the commands an
 * older version does not have, and the reply conversions. Everything here
 * works on platform-layout messages (platform ids), after the policy view
 * and the discovery cache: a cached answer is always in the platform's
 * layout and converted per guest.
 */
#ifndef VERSIONS_H
#define VERSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VER_MAJOR(v) ((uint32_t)(v) >> 16)

/* guest can be presented on a platform speaking plat by converting
 * (guest != plat). Today: PERF 3.0 from 4.x, CLOCK 2.0 from 3.x. */
bool ver_convertible(uint8_t proto, uint32_t plat, uint32_t guest);
/* The versions the mediator presents a guest: the platform's own, or one
 * it converts to. */
static inline bool ver_presentable(uint8_t proto, uint32_t plat, uint32_t want)
{
	return want == plat || ver_convertible(proto, plat, want);
}
/* The conversion target of proto (its only presentable older version), or
 * 0; for the config check. */
uint32_t ver_target(uint8_t proto);

/* A request (hdr + payload, platform ids) of a guest presented version
 * guest of a protocol the platform speaks at plat: SCMI_SUCCESS to
 * forward, else the status to answer (commands the guest's version does
 * not have: NOT_FOUND). */
int32_t ver_request(uint8_t proto, uint32_t guest, uint32_t plat, const uint8_t *msg,
		    size_t len);

/* Rewrite a reply (hdr + status + payload, in the platform's layout) into
 * the layout of version guest; req is the request as forwarded. *len may
 * shrink. Returns false if the reply cannot be presented at all (a PERF
 * domain in level-indexing mode for a v3 guest): the caller answers
 * NOT_FOUND. */
bool ver_response(uint8_t proto, uint32_t guest, uint32_t plat, const uint8_t *req,
		  size_t req_len, uint8_t *resp, size_t *len);

#endif
