// SPDX-License-Identifier: GPL-2.0-only
/*
 * Robustness of the RESET, VOLTAGE, POWERCAP and PINCTRL modules: a fixed
 * pseudo-random stream of hostile requests (any message id, length, field
 * values, agent, reply capacity) against the reference platform. The
 * harness asserts every reply's invariants; P2A messages must be well
 * formed and belong to the protocols that can send them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "tests/support/plat_harness.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Field values that matter: small ids, flag bits, boundaries, noise. */
static uint32_t field(void)
{
	static const uint32_t special[] = {
		0, 1, 2, 3, 4, 5, 7, 0x8, 0xf, 0x10, 0x400, 0x404, 0x80000000u,
		0x80000005u, 0xffffffffu, 0xfffffffeu, 1800000, 3300000, 800000, 6000,
		100000, 1u << 18, (1u << 18) | (1u << 16), 2u << 18,
	};

	switch (rnd() % 4) {
	case 0:
		return rnd() % 24;
	case 1:
		return special[rnd() % (sizeof(special) / sizeof(special[0]))];
	case 2:
		return rnd();
	default:
		return rnd() % 0x100;
	}
}

static void test_random_requests(void **state)
{
	static const uint8_t protos[] = { SCMI_PROTO_RESET, SCMI_PROTO_VOLTAGE,
					  SCMI_PROTO_POWERCAP, SCMI_PROTO_PINCTRL };
	static const size_t caps[] = { 8, 12, 16, 20, 24, 36, 64, SCMI_LINUX_MSG_SIZE,
				       SCMI_MSG_MAX };
	struct ph *h = ph_new_file("config/platforms/reference.cfg");
	unsigned agents = plat_num_agents(h->p), successes = 0;

	for (unsigned i = 0; i < 40000; i++) {
		uint8_t msg[4 + 4 * 20];
		uint8_t proto = protos[rnd() % 4];
		uint8_t id = (uint8_t)(rnd() % 0x12);
		const struct scmi_cmd_desc *cd = scmi_cmd_find(proto, id);
		unsigned nwords = rnd() % 6;
		unsigned agent = 1 + rnd() % agents;

		/* mostly the right length, so that the handlers see the fields */
		if (cd && rnd() % 8)
			nwords = cd->req_len / 4;

		/* settings configure: sometimes a consistent num_configs */
		if (proto == SCMI_PROTO_PINCTRL && id == SCMI_PINCTRL_SETTINGS_CONFIGURE &&
		    rnd() % 2)
			nwords = 3 + 2 * (rnd() % 4);
		scmi_put_le32(msg, scmi_hdr(proto, id, 0, (uint16_t)(i & 0x3ff)));
		for (unsigned w = 0; w < nwords; w++)
			scmi_put_le32(msg + 4 + 4 * w, field());
		if (proto == SCMI_PROTO_PINCTRL && id == SCMI_PINCTRL_SETTINGS_CONFIGURE &&
		    nwords >= 3 && rnd() % 2)
			scmi_put_le32(msg + 12, (rnd() % 3) | (((nwords - 3) / 2) << 2) |
				      ((rnd() % 2) << 10));
		ph_set_cap(h, caps[rnd() % (sizeof(caps) / sizeof(caps[0]))]);
		if (ph_raw(h, agent, msg, 4 + 4 * nwords) == SCMI_SUCCESS)
			successes++;
		if (rnd() % 16 == 0)
			ph_advance(h, (uint64_t)(rnd() % 2000) * 1000u);
		for (unsigned a = 1; a <= agents; a++) {
			uint32_t hdr, words[128];
			unsigned nw = 128;

			while (ph_pop(h, a, &hdr, words, &nw)) {
				uint8_t pp = scmi_hdr_proto(hdr);

				assert_true(pp == SCMI_PROTO_RESET || pp == SCMI_PROTO_VOLTAGE ||
					    pp == SCMI_PROTO_POWERCAP || pp == SCMI_PROTO_BASE);
				assert_true(scmi_hdr_type(hdr) == SCMI_MSG_DELAYED_RESP ||
					    scmi_hdr_type(hdr) == SCMI_MSG_NOTIFICATION);
				nw = 128;
			}
		}
	}
	/* the stream reached the handlers, not only the length checks */
	print_message("%u successful requests\n", successes);
	assert_true(successes > 1000);
	ph_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
