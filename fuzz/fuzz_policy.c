// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: hostile guest messages through the policy layer (view
 * + guest filter) in front of the embedded reference platform, and hostile
 * platform replies/events through the response and event paths.
 *
 * Input: [g][records...]. g selects the guest: bit1 set: tests/data/policy/
 * fuzz-ranges.policy (range= on value lists, a level-indexing perf domain)
 * as platform agent 2; else bit0: 0: tests/data/policy/matrix.policy as
 * platform agent 2, 1: config/examples/guest2.policy as agent 3. Each record is [kind][n][n bytes]:
 *   kind & 3 == 0: a guest command (n bytes, as a guest would send it,
 *                  after the agent's header/length checks) with
 *                  resp_max = 8 + (kind >> 2) * 4; forwarded commands go
 *                  to the platform and its reply comes back through the
 *                  filter; the platform's P2A messages are then drained
 *                  through the event path;
 *   kind & 3 == 1: a command as above, but the n bytes after it (next
 *                  record's payload) are the "platform" reply;
 *   kind & 3 == 2: n bytes as a P2A message from the platform;
 *   kind & 3 == 3: move the platform's clock by n ms (no payload).
 * Invariants: local answers keep the guest's header and are exactly 8 bytes
 * with a non-SUCCESS status, or the empty list of a range= that allows no
 * platform value (12 bytes, SUCCESS, no entries); responses keep their
 * header and stay within resp_max; events stay within their buffer;
 * forwarded messages pass the length check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "config/policy_cfg.h"
#include "mediator/guest_filter.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"

static struct plat_desc *desc;
static struct policy *pols[3];
/* One platform for the whole run (creating one per input is ~25 ms under
 * ASan); its state carries over between inputs, which is what a long-lived
 * mediator sees too. */
static struct scmi_platform *plat;
static uint64_t now;
static const unsigned agents[3] = { 2, 3, 2 };

static void init(void)
{
	static const char *const paths[3] = { "tests/data/policy/matrix.policy",
					      "config/examples/guest2.policy",
					      "tests/data/policy/fuzz-ranges.policy" };
	unsigned i;

	log_set_level(LOG_LVL_ERROR);
	desc = plat_desc_load("config/platforms/reference.cfg", stderr);
	if (!desc)
		abort();
	for (i = 0; i < 3; i++) {
		pols[i] = policy_load(paths[i], desc, stderr);
		if (!pols[i])
			abort();
	}
	plat = plat_new(desc);
	if (!plat)
		abort();
}

static void check_resp(const uint8_t *req, const uint8_t *resp, size_t len, size_t resp_max)
{
	if (len < 8 || len > resp_max || scmi_get_le32(resp) != scmi_get_le32(req))
		abort();
}

/* A local answer is a refusal (8 bytes, not SUCCESS), or the empty value
 * list of a range= that allows nothing (view_lists.c): SUCCESS, no entries,
 * nothing remaining. */
static bool local_answer_ok(uint32_t h, const uint8_t *resp, size_t rlen, size_t resp_max)
{
	uint8_t proto = scmi_hdr_proto(h), id = scmi_hdr_msg_id(h);
	bool list = (proto == SCMI_PROTO_PERF && id == SCMI_PERF_DESCRIBE_LEVELS) ||
		    (proto == SCMI_PROTO_CLOCK && id == SCMI_CLOCK_DESCRIBE_RATES) ||
		    (proto == SCMI_PROTO_VOLTAGE && id == SCMI_VOLTAGE_DESCRIBE_LEVELS);

	if (rlen == 8)
		return scmi_get_le32(resp + 4) != SCMI_SUCCESS;
	return list && rlen == 12 && rlen <= resp_max &&
	       scmi_get_le32(resp + 4) == SCMI_SUCCESS && scmi_get_le32(resp + 8) == 0;
}

static void drain(struct scmi_platform *p, struct guest_filter *gf, unsigned agent)
{
	uint8_t buf[SCMI_MSG_MAX];
	size_t n;

	while ((n = plat_p2a_pop(p, agent, buf, sizeof(buf))) > 0) {
		if (n > sizeof(buf))
			abort();
		if (guest_filter_ops.event(gf, buf, &n, sizeof(buf)) && n > sizeof(buf))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct view_config vc;
	struct guest_filter *gf;
	struct scmi_platform *p;
	unsigned gi, agent;
	size_t off = 1;

	if (!desc)
		init();
	if (size < 1)
		return 0;
	gi = data[0] & 2 ? 2 : data[0] & 1;
	agent = agents[gi];
	vc = (struct view_config){ .pol = pols[gi], .plat_agent_id = agent, .guest_agent_id = 1 };
	gf = guest_filter_new(&vc);
	p = plat;
	if (!gf)
		abort();
	while (off + 2 <= size) {
		uint8_t kind = data[off], n = data[off + 1];
		uint8_t msg[SCMI_MSG_MAX], resp[SCMI_MSG_MAX], orig[4];
		size_t len = n, resp_max = 8 + (size_t)(kind >> 2) * 4, rlen = 0;
		struct plat_reply pr;
		uint32_t h;

		off += 2;
		if ((kind & 3) == 3) {
			/* no payload */
			now += (uint64_t)n * 1000000ull;
			plat_set_time(p, now);
			drain(p, gf, agent);
			continue;
		}
		if (off + len > size)
			len = size - off;
		memset(msg, 0, sizeof(msg));
		memcpy(msg, data + off, len);
		off += len;
		if ((kind & 3) == 2) {
			if (guest_filter_ops.event(gf, msg, &len, sizeof(msg)) && len > sizeof(msg))
				abort();
			continue;
		}
		/* what the agent lets through */
		if (len < 4)
			continue;
		h = scmi_get_le32(msg);
		if (scmi_hdr_reserved(h) || scmi_hdr_type(h) != SCMI_MSG_COMMAND ||
		    scmi_check_req_len(scmi_hdr_proto(h), scmi_hdr_msg_id(h), len - 4) !=
		    SCMI_SUCCESS)
			continue;
		memcpy(orig, msg, 4);
		if (guest_filter_ops.request(gf, msg, &len, sizeof(msg), resp, &rlen, resp_max) ==
		    AGENT_REPLY) {
			if (memcmp(resp, orig, 4) || !local_answer_ok(h, resp, rlen, resp_max))
				abort();
			continue;
		}
		if (len < 4 || len > sizeof(msg) || memcmp(msg, orig, 4) ||
		    scmi_check_req_len(scmi_hdr_proto(h), scmi_hdr_msg_id(h), len - 4))
			abort();
		if (scmi_hdr_proto(h) == SCMI_PROTO_BASE)
			continue;              /* answered by the agent */
		if ((kind & 3) == 1) {
			/* a hostile platform reply: the next record's bytes */
			size_t m = 0;

			if (off + 2 <= size) {
				m = data[off + 1];
				off += 2;
				if (off + m > size)
					m = size - off;
			}
			if (m > resp_max)
				m = resp_max;
			memset(resp, 0, sizeof(resp));
			memcpy(resp, data + off, m);
			off += m;
			if (m < 8)
				m = 8;
			memcpy(resp, msg, 4);
			rlen = m;
		} else {
			plat_handle(p, agent, msg, len, resp, resp_max, &pr);
			if (!pr.len)
				continue;
			rlen = pr.len;
		}
		guest_filter_ops.response(gf, msg, len, resp, &rlen, resp_max);
		check_resp(msg, resp, rlen, resp_max);
		drain(p, gf, agent);
	}
	drain(p, gf, agent);
	guest_filter_ops.reset(gf);
	guest_filter_free(gf);
	return 0;
}
