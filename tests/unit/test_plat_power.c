// SPDX-License-Identifier: GPL-2.0-only
/* POWER domain protocol conformance of the embedded platform. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "tests/support/plat_harness.h"

#define PW SCMI_PROTO_POWER
#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF
#define SET SCMI_POWER_STATE_SET
#define GET SCMI_POWER_STATE_GET

static const char cfg[] =
	"agents = [ \"name=a1,trusted=1\", \"name=a2,protocols=power\",\n"
	"           \"name=a3,protocols=power,devices=\" ]\n"
	"devices = [ \"name=d0,power=3\" ]\n"
	"power_domains = [\n"
	"  \"name=sync_only,state=off\",\n"
	"  \"name=async_only,async=1,sync=0,state=on\",\n"
	"  \"name=a_rather_long_power_domain_name,async=1,notify=0\",\n"
	"  \"name=private,state=off\",\n"
	"]\n";

static int setup(void **state)
{
	*state = ph_new(cfg);
	return 0;
}

static int teardown(void **state)
{
	ph_free(*state);
	return 0;
}

static uint32_t phys(struct ph *h, uint32_t id)
{
	struct plat_power_state s;

	assert_int_equal(plat_power_state(h->p, id, &s), 0);
	return s.state;
}

static void test_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 2, PW, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_VERSION_POWER);
	n = 8;
	assert_int_equal(ph_call(h, 2, PW, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_int_equal(v[0], 4);
	assert_int_equal(v[1] | v[2] | v[3], 0);
	for (uint32_t m = SCMI_POWER_DOMAIN_ATTRIBUTES; m <= SCMI_POWER_DOMAIN_NAME_GET; m++) {
		int32_t st = ph_call(h, 2, PW, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL, m);

		assert_int_equal(st, m == 7 ? SCMI_NOT_FOUND : SCMI_SUCCESS);
	}
	assert_int_equal(plat_power_state(h->p, 4, &(struct plat_power_state){ 0 }), -1);
	assert_int_equal(ph_call(h, 2, PW, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL,
				 0x30000), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL,
				 0x40000), SCMI_NOT_SUPPORTED);
}

static void test_domain_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_ATTRIBUTES, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(n, 5);
	assert_int_equal(v[0], SCMI_POWER_ATTR_NOTIFY | SCMI_POWER_ATTR_SYNC);
	assert_string_equal(ph_str(h, 4, 16), "sync_only");
	n = 8;
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_ATTRIBUTES, v, &n, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_POWER_ATTR_NOTIFY | SCMI_POWER_ATTR_ASYNC);
	n = 8;
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_ATTRIBUTES, v, &n, 2), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_POWER_ATTR_ASYNC | SCMI_POWER_ATTR_SYNC |
			 SCMI_POWER_ATTR_EXT_NAME);
	assert_string_equal(ph_str(h, 4, 16), "a_rather_long_p");   /* truncated, NUL */
	/* attributes of a domain the agent cannot use are still visible */
	assert_int_equal(ph_call(h, 3, PW, SCMI_POWER_DOMAIN_ATTRIBUTES, NULL, NULL, 3),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_ATTRIBUTES, NULL, NULL, 4),
			 SCMI_NOT_FOUND);
}

static void test_name_get(void **state)
{
	struct ph *h = *state;
	uint32_t v[32];
	unsigned n = 32;

	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_NAME_GET, v, &n, 2), SCMI_SUCCESS);
	assert_int_equal(n, 17);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 64), "a_rather_long_power_domain_name");
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_NAME_GET, NULL, NULL, 9),
			 SCMI_NOT_FOUND);
	/* 8 + 4 + 64 bytes do not fit in 72 */
	ph_set_cap(h, 72);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_DOMAIN_NAME_GET, NULL, NULL, 2),
			 SCMI_PROTOCOL_ERROR);
}

static void test_state_set_get(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 2, PW, GET, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], OFF);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, ON), SCMI_SUCCESS);
	n = 4;
	assert_int_equal(ph_call(h, 1, PW, GET, v, &n, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], ON);
	assert_int_equal(phys(h, 0), ON);
	/* a retention-like state id */
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, 0x40000002), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), 0x40000002);
	/* errors */
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 4, ON), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 2, 0, ON), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, 0x80000000),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, 0x10000000),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 1, 0, ON), SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 1, OFF), SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, PW, GET, NULL, NULL, 7), SCMI_NOT_FOUND);
	/* permissions: a3 has no devices, so no access to domain 3 */
	assert_int_equal(ph_call(h, 3, PW, SET, NULL, NULL, 0, 3, ON), SCMI_DENIED);
	assert_int_equal(ph_call(h, 3, PW, GET, NULL, NULL, 3), SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 3, ON), SCMI_SUCCESS);
	assert_int_equal(phys(h, 3), ON);
}

/* The domain is on while any agent wants it on. */
static void test_votes(void **state)
{
	struct ph *h = *state;
	uint32_t vote;

	assert_int_equal(plat_power_agent_vote(h->p, 0, 1, &vote), -1);
	assert_int_equal(ph_call(h, 1, PW, SET, NULL, NULL, 0, 0, ON), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, OFF), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), ON);
	assert_int_equal(plat_power_agent_vote(h->p, 0, 1, &vote), 0);
	assert_int_equal(vote, ON);
	assert_int_equal(plat_power_agent_vote(h->p, 0, 2, &vote), 0);
	assert_int_equal(vote, OFF);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, ON), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, PW, SET, NULL, NULL, 0, 0, OFF), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), ON);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, OFF), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), OFF);
	/* off votes of different depth: the shallowest wins */
	assert_int_equal(ph_call(h, 1, PW, SET, NULL, NULL, 0, 0, 0x40000005), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, 0x40000001), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), 0x40000001);
	/* dropping an agent's votes (BASE reset) re-aggregates */
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 NULL, NULL, 2, 0), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), 0x40000005);
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 NULL, NULL, 1, 0), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), OFF);      /* initial state */
}

static void test_async(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 1, 1),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 1, 1, OFF), SCMI_SUCCESS);
	/* no delayed response, state changes later */
	assert_int_equal(phys(h, 1), ON);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_true(plat_next_deadline(h->p) != UINT64_MAX);
	ph_advance(h, 50000);
	assert_int_equal(phys(h, 1), ON);
	ph_advance(h, 50000);
	assert_int_equal(phys(h, 1), OFF);
	assert_int_equal(plat_next_deadline(h->p), UINT64_MAX);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 16);
	assert_int_equal(hdr, scmi_hdr(PW, SCMI_POWER_STATE_CHANGED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(n, 3);
	assert_int_equal(w[0], 2);
	assert_int_equal(w[1], 1);
	assert_int_equal(w[2], OFF);
}

/* A reset agent's pending asynchronous request is forgotten. */
static void test_async_reset(void **state)
{
	struct ph *h = *state;
	uint32_t vote;

	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 1, 2, ON), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 NULL, NULL, 2, 0), SCMI_SUCCESS);
	ph_advance(h, 1000000);
	assert_int_equal(phys(h, 2), OFF);
	assert_int_equal(plat_power_agent_vote(h->p, 2, 2, &vote), -1);
	/* a new request after the reset works */
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 1, 2, ON), SCMI_SUCCESS);
	ph_advance(h, 1000000);
	assert_int_equal(phys(h, 2), ON);
	assert_int_equal(plat_power_agent_vote(h->p, 2, 2, &vote), 0);
	assert_int_equal(vote, ON);
}

static void test_notify(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 9, 1),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 2, 1),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 3, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 3, 1),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	/* a change by agent 1 reaches subscriber 2 only */
	assert_int_equal(ph_call(h, 1, PW, SET, NULL, NULL, 0, 0, ON), SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(ph_pop(h, 2, &hdr, w, &n), 16);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], ON);
	/* no physical change, no notification */
	assert_int_equal(ph_call(h, 1, PW, SET, NULL, NULL, 0, 0, ON), SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, OFF), SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* unsubscribe */
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 0),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, PW, SET, NULL, NULL, 0, 0, OFF), SCMI_SUCCESS);
	assert_int_equal(phys(h, 0), OFF);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
}

static void test_lengths(void **state)
{
	struct ph *h = *state;
	static const unsigned words[] = {
		[SCMI_POWER_DOMAIN_ATTRIBUTES] = 1, [SET] = 3, [GET] = 1,
		[SCMI_POWER_STATE_NOTIFY] = 2, [SCMI_POWER_DOMAIN_NAME_GET] = 1,
	};
	uint32_t args[8] = { 0 };

	for (uint8_t m = SCMI_POWER_DOMAIN_ATTRIBUTES; m <= SCMI_POWER_DOMAIN_NAME_GET; m++) {
		if (m == 7) {
			assert_int_equal(ph_callv(h, 1, PW, m, args, 1, NULL, NULL),
					 SCMI_NOT_FOUND);
			continue;
		}
		assert_int_equal(ph_callv(h, 1, PW, m, args, words[m] + 1, NULL, NULL),
				 SCMI_PROTOCOL_ERROR);
		assert_int_equal(ph_callv(h, 1, PW, m, args, words[m] - 1, NULL, NULL),
				 SCMI_PROTOCOL_ERROR);
	}
	assert_int_equal(phys(h, 0), OFF);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(ph_call(h, 2, PW, SET, NULL, NULL, 0, 0, ON), SCMI_SUCCESS);
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "power 0 sync_only: on (changes 1) votes: agent2=on"));
	assert_non_null(strstr(buf, "power 3 private: off"));
	free(buf);
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, true);
	fclose(f);
	assert_non_null(strstr(buf, "\"power\":[{\"id\":0,\"name\":\"sync_only\",\"state\":0,"
			       "\"changes\":1,\"votes\":{\"2\":0}}"));
	free(buf);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_attributes),
		T(test_domain_attributes),
		T(test_name_get),
		T(test_state_set_get),
		T(test_votes),
		T(test_async),
		T(test_async_reset),
		T(test_notify),
		T(test_lengths),
		T(test_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
