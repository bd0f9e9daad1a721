// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: arbitrary command sequences against the embedded
 * reference platform built from config/platforms/reference.cfg (or
 * $SCMI_FUZZ_PLATFORM), interleaved with time steps, P2A pops and fault
 * switches. Checks the reply invariants on every command. One platform
 * per process, plat_reset() before each input (so inputs replay alone).
 *
 * Input: a sequence of operations, each starting with one byte `op`:
 *   op % 4 == 0  command: agent = (op >> 2) % (N + 2) (0 and N+1 invalid),
 *                next byte: response capacity selector, next byte: length
 *                L, then L message bytes
 *   op % 4 == 1  advance time by next 2 bytes (le16) * 100 ns (< 6.6 ms:
 *                bounded work for modules with periodic timers)
 *   op % 4 == 2  pop one P2A message of agent (op >> 2) % (N + 1)
 *   op % 4 == 3  faults from the next byte
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/scmi_msg.h"

static struct plat_desc *desc;
static struct scmi_platform *plat;     /* reset before every input */

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_platform: invariant violated: %s\n", what);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("SCMI_FUZZ_PLATFORM");

	desc = plat_desc_load(path ? path : "config/platforms/reference.cfg", stderr);
	check(desc != NULL, "reference platform loads");
	plat = plat_new(desc);
	check(plat != NULL, "platform builds");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scmi_platform *p = plat;
	unsigned n = plat_num_agents(p);
	static uint8_t resp[SCMI_MSG_MAX + 16];
	uint8_t p2a[SCMI_MSG_MAX];
	bool oversize_armed = false;
	size_t i = 0;

	check(plat_reset(p) == 0, "platform resets");
	while (i < size) {
		uint8_t op = data[i++];

		switch (op % 4) {
		case 0: {
			unsigned agent = (op >> 2) % (n + 2);
			size_t cap, len;
			struct plat_reply r;

			if (i + 2 > size)
				goto out;
			cap = 8 + data[i++] * 2u;          /* 8 .. 518 */
			if (cap > SCMI_MSG_MAX)
				cap = SCMI_MSG_MAX;
			len = data[i++];
			if (len > size - i)
				len = size - i;
			memset(resp, 0xee, sizeof(resp));
			plat_handle(p, agent, data + i, len, resp, cap, &r);
			i += len;
			if (agent == 0 || agent > n) {
				check(r.len == 0, "no reply for an invalid agent");
				break;
			}
			check(resp[cap] == 0xee, "nothing written past the capacity");
			if (r.len == 0 || r.len > cap) {
				check(oversize_armed || r.len == 0, "length within capacity");
				break;
			}
			check(r.len >= 8 && r.len % 4 == 0, "word-aligned reply with a status");
			if ((int32_t)scmi_get_le32(resp + 4) != SCMI_SUCCESS)
				check(r.len == 8, "error replies are 8 bytes");
			break;
		}
		case 1:
			if (i + 2 > size)
				goto out;
			plat_set_time(p, plat_time(p) + 100u * (data[i] | data[i + 1] << 8));
			i += 2;
			break;
		case 2: {
			unsigned agent = (op >> 2) % (n + 1);
			size_t len = plat_p2a_pop(p, agent, p2a, sizeof(p2a));

			if (len) {
				uint8_t t = scmi_hdr_type(scmi_get_le32(p2a));

				check(len >= 4 && len % 4 == 0, "P2A message length");
				check(t == SCMI_MSG_DELAYED_RESP || t == SCMI_MSG_NOTIFICATION,
				      "P2A message type");
			}
			break;
		}
		case 3: {
			struct plat_faults f = { 0 };
			uint8_t b;

			if (i >= size)
				goto out;
			b = data[i++];
			f.latency_ns = (b & 1) ? 1000 : 0;
			f.drop_replies = (b >> 1) & 1;
			f.corrupt_hdr = (b >> 2) & 1;
			f.channel_error = (b >> 3) & 1;
			f.oversize = (b >> 4) & 1;
			oversize_armed = oversize_armed || f.oversize;
			plat_set_faults(p, &f);
			break;
		}
		}
	}
out:
	/* complete short async work, drain the queues, dump once in a while
	 * (plat_reset of the next input frees whatever is still pending) */
	plat_set_time(p, plat_time(p) + 1000000u);
	for (unsigned a = 1; a <= n; a++)
		while (plat_p2a_pop(p, a, p2a, sizeof(p2a)))
			;
	if (size && data[0] == 0x42) {
		FILE *devnull = fopen("/dev/null", "w");

		if (devnull) {
			plat_dump_state(p, devnull, size & 1);
			fclose(devnull);
		}
	}
	return 0;
}
