// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: hostile platform replies in SMT areas against the SMT
 * agent state machine (backends/smt/smt.c).
 *
 * Input: [cfg][resp_max][ops...]; each op is [kind][n][n bytes]:
 *   kind & 3 == 0: send a command on channel (kind >> 2) & 1
 *   kind & 3 == 1: overwrite the A2P area of that channel at offset
 *                  (n bytes of data placed from byte 0, capped at the area)
 *                  then poll the channel (a doorbell)
 *   kind & 3 == 2: same for the P2A area
 *   kind & 3 == 3: reset the channel
 * cfg selects the area size (SMT_AREA_MIN..256 in steps of 4). Areas are
 * exactly-sized heap blocks so any access outside is an ASan report.
 * Invariants: every delivered message is 4..resp_max bytes (responses) or
 * 4..area capacity (P2A); a response's header is the one last sent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/smt/smt.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

struct ctx {
	struct scmi_backend b;
	size_t area, resp_max;
	uint32_t sent_hdr[2][64];
	unsigned nsent[2];
};

static int ring(void *opaque, unsigned chan, enum smt_bell bell)
{
	return 0;
}

static void rx(void *opaque, unsigned chan, const uint8_t *msg, size_t len)
{
	struct ctx *c = opaque;
	uint32_t hdr;
	unsigned i;

	if (chan >= 2 || len < 4 || len > smt_msg_cap(c->area))
		abort();
	hdr = scmi_get_le32(msg);
	if (scmi_hdr_type(hdr) != SCMI_MSG_COMMAND)
		return;
	if (len > c->resp_max)
		abort();
	for (i = 0; i < c->nsent[chan]; i++)
		if (c->sent_hdr[chan][i] == hdr)
			return;
	abort();                /* a response to something never sent */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ev_loop *loop;
	struct smt_chan_area areas[2];
	struct smt_params p = {
		.timeout_ns = 1000000000, .queue_max = 4, .ring = ring, .name = "fuzz",
	};
	struct smt_transport *t;
	struct ctx c = { 0 };
	uint8_t *mem[4];
	size_t pos = 2;
	uint16_t token = 0;
	unsigned i;

	if (size < 2)
		return 0;
	if (!loop) {
		log_set_level(LOG_LVL_ERROR);
		loop = ev_loop_new();
		if (!loop)
			abort();
	}
	c.area = SMT_AREA_MIN + 4u * (data[0] % 58u);
	c.resp_max = 8 + data[1] * 2u;
	c.b.loop = loop;
	c.b.rx = rx;
	c.b.rx_opaque = &c;
	for (i = 0; i < 4; i++) {
		mem[i] = calloc(1, c.area);
		if (!mem[i])
			abort();
	}
	for (i = 0; i < 2; i++) {
		areas[i].a2p = mem[2 * i];
		areas[i].p2a = mem[2 * i + 1];
		areas[i].size = c.area;
		smt_wr32(mem[2 * i + 1], SMT_OFF_STATUS, SMT_STATUS_FREE);
	}
	p.opaque = &c;
	t = smt_new(&c.b, 2, areas, &p);
	if (!t)
		abort();
	while (pos + 2 <= size) {
		unsigned kind = data[pos] & 3, ch = (data[pos] >> 2) & 1;
		size_t n = data[pos + 1];
		uint8_t m[8];

		pos += 2;
		if (n > size - pos)
			n = size - pos;
		switch (kind) {
		case 0:
			scmi_put_le32(m, scmi_hdr(SCMI_PROTO_BASE, 0, SCMI_MSG_COMMAND,
						  (uint16_t)(token++ & 0x3ff)));
			scmi_put_le32(m + 4, 0);
			if (c.nsent[ch] < 64 && !smt_send(t, ch, m, 8, c.resp_max))
				c.sent_hdr[ch][c.nsent[ch]++] = scmi_get_le32(m);
			break;
		case 1:
		case 2:
			memcpy(mem[2 * ch + kind - 1], data + pos, n < c.area ? n : c.area);
			smt_poll(t, ch);
			break;
		default:
			smt_reset(t, ch);
			break;
		}
		pos += n;
	}
	smt_free(t);
	for (i = 0; i < 4; i++)
		free(mem[i]);
	return 0;
}
