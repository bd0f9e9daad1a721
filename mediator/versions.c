// SPDX-License-Identifier: GPL-2.0-only
/*
 * Older protocol versions presented to a guest (versions.h).
 *
 * PERF 4.x -> 3.0: DESCRIBE_LEVELS entries lose the indicative frequency
 * and level index words (20 -> 12 bytes; num_returned / num_remaining stay,
 * so the guest's next level_index is right); PERF_DOMAIN_ATTRIBUTES loses
 * the bits v3.0 does not define (level indexing, bits 25:0). A domain in
 * level-indexing mode talks in level indexes, which a v3 guest cannot: it
 * is refused (the config check refuses it up front when the platform
 * description is known). The view renumbers level indexes of a
 * level-indexing domain with range= (view_lists.h) only for guests that
 * talk PERF v4, so nothing of it reaches a v3-presented guest either.
 *
 * CLOCK 3.x -> 2.0: CONFIG_GET, POSSIBLE_PARENTS_GET, PARENT_SET/GET and
 * GET_PERMISSIONS do not exist in 2.0 (NOT_FOUND); CLOCK_ATTRIBUTES loses
 * the bits 2.0 does not define. CONFIG_SET's 2.0 layout (8 bytes) is
 * already accepted by the agent (scmi_req_upgrade_legacy).
 */
#include "scmi_msg.h"
#include "versions.h"

bool ver_convertible(uint8_t proto, uint32_t plat, uint32_t guest)
{
	switch (proto) {
	case SCMI_PROTO_PERF:
		return VER_MAJOR(plat) == 4 && guest == 0x30000u;
	case SCMI_PROTO_CLOCK:
		return VER_MAJOR(plat) == 3 && guest == 0x20000u;
	default:
		return false;
	}
}

uint32_t ver_target(uint8_t proto)
{
	switch (proto) {
	case SCMI_PROTO_PERF: return 0x30000u;
	case SCMI_PROTO_CLOCK: return 0x20000u;
	default: return 0;
	}
}

int32_t ver_request(uint8_t proto, uint32_t guest, uint32_t plat, const uint8_t *msg,
		    size_t len)
{
	uint8_t mid;

	if (len < 4 || guest == plat || !ver_convertible(proto, plat, guest))
		return SCMI_SUCCESS;
	mid = scmi_hdr_msg_id(scmi_get_le32(msg));
	if (proto == SCMI_PROTO_CLOCK && mid >= SCMI_CLOCK_CONFIG_GET &&
	    mid <= SCMI_CLOCK_GET_PERMISSIONS)
		return SCMI_NOT_FOUND;
	return SCMI_SUCCESS;
}

/* DESCRIBE_LEVELS v4 -> v3, in place: entries of 20 bytes become 12. */
static void perf_levels_v3(uint8_t *resp, size_t *len)
{
	uint32_t w, n, i;

	if (*len < 12)
		return;
	w = scmi_get_le32(resp + 8);
	n = w & 0xfffu;
	if (*len < 12 + (size_t)n * SCMI_PERF_LEVEL_V4_LEN) {
		/* shorter than it claims: not a v4 answer we can convert */
		scmi_put_le32(resp + 4, (uint32_t)SCMI_PROTOCOL_ERROR);
		*len = 8;
		return;
	}
	for (i = 0; i < n; i++)
		memmove(resp + 12 + i * SCMI_PERF_LEVEL_V3_LEN,
			resp + 12 + i * SCMI_PERF_LEVEL_V4_LEN, SCMI_PERF_LEVEL_V3_LEN);
	*len = 12 + (size_t)n * SCMI_PERF_LEVEL_V3_LEN;
}

bool ver_response(uint8_t proto, uint32_t guest, uint32_t plat, const uint8_t *req,
		  size_t req_len, uint8_t *resp, size_t *len)
{
	uint8_t mid;

	if (req_len < 4 || *len < 8 || guest == plat)
		return true;
	mid = scmi_hdr_msg_id(scmi_get_le32(req));
	if (mid == SCMI_PROTOCOL_VERSION) {
		/* the guest's version, whatever the platform's */
		if (*len >= 12 && scmi_get_le32(resp + 4) == SCMI_SUCCESS)
			scmi_put_le32(resp + 8, guest);
		return true;
	}
	if (!ver_convertible(proto, plat, guest) || scmi_get_le32(resp + 4) != SCMI_SUCCESS)
		return true;
	if (proto == SCMI_PROTO_PERF) {
		if (mid == SCMI_PERF_DOMAIN_ATTRIBUTES && *len >= 12) {
			uint32_t f = scmi_get_le32(resp + 8);

			if (f & SCMI_PERF_DOM_LEVEL_INDEXING)
				return false;
			scmi_put_le32(resp + 8, f & SCMI_PERF_DOM_V3_MASK);
		} else if (mid == SCMI_PERF_DESCRIBE_LEVELS) {
			perf_levels_v3(resp, len);
		}
	} else if (proto == SCMI_PROTO_CLOCK) {
		if (mid == SCMI_CLOCK_ATTRIBUTES && *len >= 12)
			scmi_put_le32(resp + 8, scmi_get_le32(resp + 8) & SCMI_CLOCK_ATTR_V2_MASK);
	}
	return true;
}
