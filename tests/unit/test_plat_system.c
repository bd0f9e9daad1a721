// SPDX-License-Identifier: GPL-2.0-only
/* SYSTEM power protocol conformance of the embedded platform. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "tests/support/plat_harness.h"

#define SY SCMI_PROTO_SYSTEM
#define SET SCMI_SYSTEM_POWER_STATE_SET
#define NOTIFY SCMI_SYSTEM_POWER_STATE_NOTIFY
#define GRACEFUL SCMI_SYSTEM_FLAG_GRACEFUL

static const char cfg[] =
	"system_suspend = 1\n"
	"agents = [ \"name=mgr,trusted=1\", \"name=g1\", \"name=g2\",\n"
	"           \"name=g3,protocols=power\" ]\n";

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

static void test_discovery(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 2, SY, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_VERSION_SYSTEM);
	n = 4;
	assert_int_equal(ph_call(h, 2, SY, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 0);
	n = 4;
	assert_int_equal(ph_call(h, 2, SY, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, v, &n, SET),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_SYSTEM_ATTR_WARM_RESET | SCMI_SYSTEM_ATTR_SUSPEND);
	n = 4;
	assert_int_equal(ph_call(h, 2, SY, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, v, &n, NOTIFY),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 0);
	/* POWER_STATE_GET does not exist in v2.x */
	assert_int_equal(ph_call(h, 2, SY, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL,
				 SCMI_SYSTEM_POWER_STATE_GET), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, SY, SCMI_SYSTEM_POWER_STATE_GET, NULL, NULL),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, SY, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL,
				 0x20000), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, SY, SCMI_NEGOTIATE_PROTOCOL_VERSION, NULL, NULL,
				 0x20002), SCMI_NOT_SUPPORTED);
	/* g3 may not use SYSTEM */
	assert_int_equal(ph_call(h, 4, SY, SCMI_PROTOCOL_VERSION, NULL, NULL), SCMI_NOT_SUPPORTED);
}

static void test_no_suspend(void **state)
{
	struct ph *h = ph_new("agents = [ \"name=a\" ]\n");
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, SY, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, v, &n, SET),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_SYSTEM_ATTR_WARM_RESET);
	assert_int_equal(ph_call(h, 1, SY, SET, NULL, NULL, 0, SCMI_SYSTEM_SUSPEND),
			 SCMI_NOT_SUPPORTED);
	ph_free(h);
}

static void test_state_set(void **state)
{
	struct ph *h = *state;
	struct plat_system_state s;

	assert_int_equal(plat_system_state(h->p, &s), 0);
	assert_int_equal(s.state, SCMI_SYSTEM_POWERUP);
	assert_int_equal(s.requester, 0);
	assert_int_equal(s.transitions, 0);
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, 0, SCMI_SYSTEM_COLDRESET),
			 SCMI_SUCCESS);
	assert_int_equal(plat_system_state(h->p, &s), 0);
	assert_int_equal(s.state, SCMI_SYSTEM_COLDRESET);
	assert_int_equal(s.requester, 2);
	assert_false(s.graceful);
	assert_int_equal(s.transitions, 1);
	for (uint32_t st = SCMI_SYSTEM_SHUTDOWN; st <= SCMI_SYSTEM_SUSPEND; st++) {
		if (st == SCMI_SYSTEM_POWERUP)
			continue;
		assert_int_equal(ph_call(h, 3, SY, SET, NULL, NULL, GRACEFUL, st), SCMI_SUCCESS);
		assert_int_equal(plat_system_state(h->p, &s), 0);
		assert_int_equal(s.state, st);
		assert_true(s.graceful);
	}
	/* errors leave the state alone */
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, 2, SCMI_SYSTEM_SHUTDOWN),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, 0, 5), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, 0, 0x7fffffff),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, 0, 0x80000000), SCMI_NOT_SUPPORTED);
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, 0, SCMI_SYSTEM_POWERUP), SCMI_DENIED);
	assert_int_equal(plat_system_state(h->p, &s), 0);
	assert_int_equal(s.state, SCMI_SYSTEM_SUSPEND);
	assert_int_equal(s.transitions, 5);
	assert_int_equal(ph_call(h, 1, SY, SET, NULL, NULL, 0, SCMI_SYSTEM_POWERUP), SCMI_SUCCESS);
	assert_int_equal(plat_system_state(h->p, &s), 0);
	assert_int_equal(s.state, SCMI_SYSTEM_POWERUP);
	assert_int_equal(s.requester, 1);
}

static void test_notifier(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[8];
	unsigned n = 8;

	assert_int_equal(ph_call(h, 1, SY, NOTIFY, NULL, NULL, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, SY, NOTIFY, NULL, NULL, 1), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, SY, NOTIFY, NULL, NULL, 1), SCMI_SUCCESS);
	/* forceful: nobody is told */
	assert_int_equal(ph_call(h, 3, SY, SET, NULL, NULL, 0, SCMI_SYSTEM_SHUTDOWN),
			 SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 1) + plat_p2a_pending(h->p, 2), 0);
	/* graceful by 2: subscribers other than the requester */
	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, GRACEFUL, SCMI_SYSTEM_WARMRESET),
			 SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	assert_int_equal(plat_p2a_pending(h->p, 3), 0);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 20);
	assert_int_equal(hdr, scmi_hdr(SY, SCMI_SYSTEM_POWER_STATE_NOTIFIER,
				       SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(n, 4);
	assert_int_equal(w[0], 2);
	assert_int_equal(w[1], GRACEFUL);
	assert_int_equal(w[2], SCMI_SYSTEM_WARMRESET);
	assert_true(w[3] > 0);                /* graceful timeout */
	/* unsubscribe */
	assert_int_equal(ph_call(h, 1, SY, NOTIFY, NULL, NULL, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 3, SY, SET, NULL, NULL, GRACEFUL, SCMI_SYSTEM_SHUTDOWN),
			 SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(plat_p2a_pending(h->p, 2), 1);
}

static void test_lengths(void **state)
{
	struct ph *h = *state;

	assert_int_equal(ph_call(h, 1, SY, SET, NULL, NULL, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, SY, SET, NULL, NULL, 0, 0, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, SY, NOTIFY, NULL, NULL), SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, SY, NOTIFY, NULL, NULL, 1, 1), SCMI_PROTOCOL_ERROR);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(ph_call(h, 2, SY, SET, NULL, NULL, GRACEFUL, SCMI_SYSTEM_SHUTDOWN),
			 SCMI_SUCCESS);
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, true);
	fclose(f);
	assert_non_null(strstr(buf, "\"system\":{\"state\":\"shutdown\",\"requester\":2,"
			       "\"graceful\":true,\"transitions\":1}"));
	free(buf);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_discovery),
		cmocka_unit_test(test_no_suspend),
		T(test_state_set),
		T(test_notifier),
		T(test_lengths),
		T(test_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
