// SPDX-License-Identifier: GPL-2.0-only
/* Embedded platform PINCTRL protocol (0x19): every command and status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tests/support/plat_harness.h"

#define P SCMI_PROTO_PINCTRL
enum { PIN = 0, GROUP = 1, FUNC = 2 };
#define NOFUNC 0xffffffffu
/* SETTINGS_GET attributes */
#define SG(flag, sel, skip, type) (((flag) << 18) | ((sel) << 16) | ((skip) << 8) | (type))
/* SETTINGS_CONFIGURE attributes */
#define SC(sel, nconf, fvalid) ((sel) | ((nconf) << 2) | ((fvalid) ? 1u << 10 : 0))

/*
 * Pins 0-15 gpio (no device: open to all), 16-17 uart (device 0: agent a),
 * 18-19 i2c (device 1: agent b). Agent c is trusted and has every device.
 */
static const char cfg[] =
	"agents = [ \"id=1,name=a,devices=0\", \"id=2,name=b,devices=1\",\n"
	"           \"id=3,name=c,trusted=1\" ]\n"
	"devices = [ \"id=0,name=uart,pins=16 17\", \"id=1,name=i2c,pins=18 19\" ]\n"
	"pins = [ \"gpio0\", \"gpio1\", \"gpio2\", \"gpio3\", \"gpio4\", \"gpio5\", \"gpio6\",\n"
	"  \"gpio7\", \"gpio8\", \"gpio9\", \"gpio10\", \"gpio11\", \"gpio12\", \"gpio13\",\n"
	"  \"gpio14\", \"gpio15\", \"uart_tx\", \"uart_rx\", \"i2c_scl\",\n"
	"  \"i2c_sda_with_a_long_name\" ]\n"
	"pin_groups = [ \"name=gpio_all,pins=0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\",\n"
	"  \"name=uart0_grp,pins=uart_tx uart_rx\", \"name=i2c_grp,pins=18 19\",\n"
	"  \"name=uart_alt_grp,pins=gpio0 gpio1\" ]\n"
	"pin_functions = [ \"name=gpio,groups=gpio_all\",\n"
	"  \"name=uart0,groups=uart0_grp uart_alt_grp\", \"name=i2c,groups=2\" ]\n";

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

static void test_protocol(void **state)
{
	struct ph *h = *state;
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_VERSION, v, &n), SCMI_SUCCESS);
	assert_int_equal(v[0], SCMI_VERSION_PINCTRL);
	n = 4;
	assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_ATTRIBUTES, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], (4u << 16) | 20);
	assert_int_equal(v[1], 3);
	for (uint32_t m = SCMI_PINCTRL_ATTRIBUTES; m <= SCMI_PINCTRL_SET_PERMISSIONS; m++)
		assert_int_equal(ph_call(h, 1, P, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, NULL,
					 m), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, 0xb, NULL, NULL, 0), SCMI_NOT_FOUND);
}

static void test_attributes_and_names(void **state)
{
	struct ph *h = *state;
	uint32_t v[20];
	unsigned n = 20;

	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 19, PIN), SCMI_SUCCESS);
	assert_int_equal(n, 5);
	assert_int_equal(v[0], 0x80000000u);
	assert_string_equal(ph_str(h, 4, 16), "i2c_sda_with_a_");
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 0, GROUP),
			 SCMI_SUCCESS);
	assert_int_equal(v[0], 16);
	assert_string_equal(ph_str(h, 4, 16), "gpio_all");
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 1, FUNC), SCMI_SUCCESS);
	assert_int_equal(v[0], 2);
	assert_string_equal(ph_str(h, 4, 16), "uart0");
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 0, 3),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 0, 4),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 20, PIN),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 4, GROUP),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_ATTRIBUTES, v, &n, 3, FUNC),
			 SCMI_NOT_FOUND);
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_NAME_GET, v, &n, 19, PIN), SCMI_SUCCESS);
	assert_int_equal(n, 17);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 64), "i2c_sda_with_a_long_name");
	n = 20;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_NAME_GET, v, &n, 2, FUNC), SCMI_SUCCESS);
	assert_string_equal(ph_str(h, 4, 64), "i2c");
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_NAME_GET, v, &n, 4, GROUP),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_NAME_GET, v, &n, 0, 3),
			 SCMI_INVALID_PARAMETERS);
}

/* All association ids of (sel, id) with reply capacity cap; calls made. */
static unsigned read_assoc(struct ph *h, size_t cap, uint32_t id, unsigned sel,
			   uint32_t *out, unsigned *nout)
{
	uint32_t v[64];
	unsigned calls = 0, got = 0;

	ph_set_cap(h, cap);
	for (;;) {
		unsigned n = 64, ret, rem;

		assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, v, &n, id, sel,
					 got), SCMI_SUCCESS);
		calls++;
		ret = v[0] & 0xfff;
		rem = v[0] >> 16;
		assert_int_equal(n, 1 + (ret + 1) / 2);
		for (unsigned i = 0; i < ret; i++)
			out[got + i] = (v[1 + i / 2] >> (16 * (i % 2))) & 0xffff;
		got += ret;
		if (!rem)
			break;
		assert_true(ret > 0);
	}
	*nout = got;
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	return calls;
}

static void test_list_associations(void **state)
{
	struct ph *h = *state;
	uint32_t ids[64];
	unsigned n;

	assert_int_equal(read_assoc(h, SCMI_LINUX_MSG_SIZE, 0, GROUP, ids, &n), 1);
	assert_int_equal(n, 16);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(ids[i], i);
	/* tiny replies: two 16-bit ids per call */
	memset(ids, 0, sizeof(ids));
	assert_int_equal(read_assoc(h, 16, 0, GROUP, ids, &n), 8);
	assert_int_equal(n, 16);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(ids[i], i);
	/* odd count: padding */
	assert_int_equal(read_assoc(h, 20, 1, FUNC, ids, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 3);
	assert_int_equal(read_assoc(h, SCMI_LINUX_MSG_SIZE, 1, GROUP, ids, &n), 1);
	assert_int_equal(ids[0], 16);
	assert_int_equal(ids[1], 17);
	/* errors */
	ph_set_cap(h, 12);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, NULL, NULL, 0, GROUP,
				 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, NULL, NULL, 0, PIN, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, NULL, NULL, 0, 3, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, NULL, NULL, 0, GROUP,
				 16), SCMI_OUT_OF_RANGE);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, NULL, NULL, 9, GROUP,
				 0), SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, NULL, NULL, 3, FUNC,
				 0), SCMI_NOT_FOUND);
}

static int32_t configure(struct ph *h, unsigned agent, uint32_t id, uint32_t func,
			 uint32_t attr, const uint32_t *pairs, unsigned nwords)
{
	uint32_t args[64] = { id, func, attr };

	if (nwords)
		memcpy(args + 3, pairs, nwords * sizeof(uint32_t));
	return ph_callv(h, agent, P, SCMI_PINCTRL_SETTINGS_CONFIGURE, args, 3 + nwords, NULL,
			NULL);
}

static void test_settings(void **state)
{
	struct ph *h = *state;
	static const uint32_t two[] = { 4, 1, 10, 8 };     /* PULL_UP 1, DRIVE_STRENGTH 8 */
	static const uint32_t bad_type[] = { 6, 1, 50, 1 };
	static const uint32_t oem[] = { 200, 77 };
	static const uint32_t deflt[] = { 0, 0 };
	uint32_t v[64];
	unsigned n = 64;

	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 2, 0), two, 4), SCMI_SUCCESS);
	/* one type */
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0,
				 SG(0, PIN, 0, 10)), SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_int_equal(v[0], NOFUNC);
	assert_int_equal(v[1], 1);
	assert_int_equal(v[2], 10);
	assert_int_equal(v[3], 8);
	/* all, ascending type; then skipping one */
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 0, 0)),
			 SCMI_SUCCESS);
	assert_int_equal(n, 6);
	assert_int_equal(v[1], 2);
	assert_int_equal(v[2], 4);
	assert_int_equal(v[3], 1);
	assert_int_equal(v[4], 10);
	assert_int_equal(v[5], 8);
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 1, 0)),
			 SCMI_SUCCESS);
	assert_int_equal(v[1], 1);
	assert_int_equal(v[2], 10);
	/* paginated: one pair fits, one remains */
	ph_set_cap(h, 24);
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 0, 0)),
			 SCMI_SUCCESS);
	assert_int_equal(v[1], (1u << 24) | 1);
	assert_int_equal(v[2], 4);
	ph_set_cap(h, 16);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 0, 0)),
			 SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 3, 0)),
			 SCMI_OUT_OF_RANGE);
	/* function only */
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(2, PIN, 0, 0)),
			 SCMI_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], NOFUNC);
	assert_int_equal(v[1], 0);
	/* invalid requests */
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(3, PIN, 0, 0)),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(0, FUNC, 0, 0)),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(0, PIN, 0, 21)),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, 1u << 20),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 20, SG(0, PIN, 0, 0)),
			 SCMI_NOT_FOUND);
	/* a bad config type rejects the whole request */
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 2, 0), bad_type, 4),
			 SCMI_INVALID_PARAMETERS);
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0,
				 SG(0, PIN, 0, 6)), SCMI_SUCCESS);
	assert_int_equal(v[3], 0);
	/* OEM types are accepted; DEFAULT clears */
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 1, 0), oem, 2), SCMI_SUCCESS);
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 0, 0)),
			 SCMI_SUCCESS);
	assert_int_equal(v[1], 3);
	assert_int_equal(v[6], 200);
	assert_int_equal(v[7], 77);
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 1, 0), deflt, 2), SCMI_SUCCESS);
	n = 64;
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 0, SG(1, PIN, 0, 0)),
			 SCMI_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(v[1], 0);
}

static void test_configure_errors(void **state)
{
	struct ph *h = *state;
	static const uint32_t pairs[] = { 4, 1, 10, 8, 6, 1 };
	uint8_t raw[8];

	/* exact length: 12 + 8 * num_configs */
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 2, 0), pairs, 2),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 2, 0), pairs, 6),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 2, 0), pairs, 3),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 0, 0), pairs, 2),
			 SCMI_PROTOCOL_ERROR);
	scmi_put_le32(raw, scmi_hdr(P, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0, 1));
	scmi_put_le32(raw + 4, 0);
	assert_int_equal(ph_raw(h, 1, raw, sizeof(raw)), SCMI_PROTOCOL_ERROR);
	/* fields */
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 1, 0) | (1u << 11), pairs, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(configure(h, 1, 0, 0, SC(FUNC, 1, 0), pairs, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(configure(h, 1, 20, NOFUNC, SC(PIN, 1, 0), pairs, 2), SCMI_NOT_FOUND);
	assert_int_equal(configure(h, 1, 4, NOFUNC, SC(GROUP, 1, 0), pairs, 2), SCMI_NOT_FOUND);
	/* device permissions: b may not touch the uart pins */
	assert_int_equal(configure(h, 2, 16, NOFUNC, SC(PIN, 1, 0), pairs, 2), SCMI_DENIED);
	assert_int_equal(configure(h, 2, 1, NOFUNC, SC(GROUP, 1, 0), pairs, 2), SCMI_DENIED);
	assert_int_equal(configure(h, 1, 16, NOFUNC, SC(PIN, 1, 0), pairs, 2), SCMI_SUCCESS);
}

static uint32_t selected(struct ph *h, uint32_t id, unsigned sel)
{
	uint32_t v[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, id, SG(2, sel, 0, 0)),
			 SCMI_SUCCESS);
	return v[0];
}

static void test_function_select(void **state)
{
	struct ph *h = *state;
	static const uint32_t pd[] = { 6, 1 };
	uint32_t v[8];
	unsigned n = 8;

	/* group mux, with a config applied to its pins too */
	assert_int_equal(configure(h, 1, 1, 1, SC(GROUP, 1, 1), pd, 2), SCMI_SUCCESS);
	assert_int_equal(selected(h, 1, GROUP), 1);
	assert_int_equal(selected(h, 16, PIN), 1);
	assert_int_equal(selected(h, 17, PIN), 1);
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SETTINGS_GET, v, &n, 17, SG(0, PIN, 0, 6)),
			 SCMI_SUCCESS);
	assert_int_equal(v[3], 1);
	/* a function on a pin of one of its groups */
	assert_int_equal(configure(h, 2, 0, 1, SC(PIN, 0, 1), NULL, 0), SCMI_SUCCESS);
	assert_int_equal(selected(h, 0, PIN), 1);
	assert_int_equal(selected(h, 0, GROUP), NOFUNC);
	/* functions that do not fit */
	assert_int_equal(configure(h, 1, 1, 0, SC(GROUP, 0, 1), NULL, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(configure(h, 1, 16, 2, SC(PIN, 0, 1), NULL, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(configure(h, 1, 1, 5, SC(GROUP, 0, 1), NULL, 0), SCMI_NOT_FOUND);
	/* function id ignored without the valid bit */
	assert_int_equal(configure(h, 1, 1, 5, SC(GROUP, 0, 0), NULL, 0), SCMI_SUCCESS);
	assert_int_equal(selected(h, 1, GROUP), 1);
	/* 0xffffffff deselects */
	assert_int_equal(configure(h, 1, 1, NOFUNC, SC(GROUP, 0, 1), NULL, 0), SCMI_SUCCESS);
	assert_int_equal(selected(h, 1, GROUP), NOFUNC);
	assert_int_equal(selected(h, 16, PIN), NOFUNC);
}

static void test_request_release(void **state)
{
	struct ph *h = *state;
	static const uint32_t pu[] = { 4, 1 };

	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, PIN), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, PIN), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, PIN), SCMI_IN_USE);
	assert_int_equal(configure(h, 2, 0, NOFUNC, SC(PIN, 1, 0), pu, 2), SCMI_IN_USE);
	assert_int_equal(configure(h, 2, 3, 1, SC(GROUP, 0, 1), NULL, 0), SCMI_IN_USE);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, GROUP),
			 SCMI_IN_USE);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 3, GROUP),
			 SCMI_IN_USE);
	assert_int_equal(configure(h, 1, 0, NOFUNC, SC(PIN, 1, 0), pu, 2), SCMI_SUCCESS);
	/* a also takes the whole gpio group; the pin stays held through it */
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, GROUP),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 5, PIN), SCMI_IN_USE);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 0, PIN), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 0, PIN), SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, PIN), SCMI_IN_USE);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 0, GROUP),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 0, GROUP),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 3, GROUP),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 1, PIN), SCMI_IN_USE);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 1, PIN), SCMI_DENIED);
	/* the owner's agent reset frees everything it held */
	assert_int_equal(ph_call(h, 3, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 NULL, NULL, 2, 0), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 1, PIN), SCMI_SUCCESS);
	/* permissions and fields */
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 16, PIN), SCMI_DENIED);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 1, GROUP),
			 SCMI_DENIED);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, FUNC),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 0, 4),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 0, FUNC),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 20, PIN),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 4, GROUP),
			 SCMI_NOT_FOUND);
}

static void test_set_permissions(void **state)
{
	struct ph *h = *state;
	static const uint32_t pu[] = { 4, 1 };

	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 1, GROUP),
			 SCMI_SUCCESS);
	/* only a trusted agent may change permissions */
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 2, 16,
				 PIN | 4), SCMI_DENIED);
	/* deny a the uart_tx pin: its group hold is dropped with it */
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 1, 16, PIN),
			 SCMI_SUCCESS);
	assert_int_equal(configure(h, 1, 16, NOFUNC, SC(PIN, 1, 0), pu, 2), SCMI_DENIED);
	assert_int_equal(configure(h, 1, 17, NOFUNC, SC(PIN, 1, 0), pu, 2), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 1, GROUP),
			 SCMI_DENIED);
	/* allow b the uart group: it may now take it */
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 2, 1,
				 GROUP | 4), SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 1, GROUP),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_RELEASE, NULL, NULL, 1, GROUP),
			 SCMI_SUCCESS);
	/* allow a again */
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 1, 16,
				 PIN | 4), SCMI_SUCCESS);
	assert_int_equal(configure(h, 1, 16, NOFUNC, SC(PIN, 1, 0), pu, 2), SCMI_SUCCESS);
	/* errors */
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 0, 16, PIN),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 4, 16, PIN),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 1, 20, PIN),
			 SCMI_NOT_FOUND);
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 1, 0, FUNC),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(ph_call(h, 3, P, SCMI_PINCTRL_SET_PERMISSIONS, NULL, NULL, 1, 0, 8),
			 SCMI_INVALID_PARAMETERS);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(ph_call(h, 2, P, SCMI_PINCTRL_REQUEST, NULL, NULL, 18, PIN), SCMI_SUCCESS);
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, true);
	fclose(f);
	assert_non_null(strstr(buf, "\"pinctrl\":{\"pins\":[{\"id\":0,\"name\":\"gpio0\""));
	assert_non_null(strstr(buf, "{\"id\":18,\"name\":\"i2c_scl\",\"owner\":2,"
			       "\"function\":-1}"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "pin 18 i2c_scl: owner 2 function none\n"));
	free(buf);
}

/* The config must fail with `msg` reported on line `line`. */
static void expect_error(const char *text, int line, const char *msg)
{
	char *out = ph_desc_errors(text), want[32];
	const char *hit = strstr(out, msg), *bol = hit;

	if (!hit)
		fail_msg("expected \"%s\" in:\n%s", msg, out);
	while (bol > out && bol[-1] != '\n')
		bol--;
	snprintf(want, sizeof(want), "test.cfg:%d: ", line);
	if (strncmp(bol, want, strlen(want)))
		fail_msg("expected \"%s\" on line %d in:\n%s", msg, line, out);
	free(out);
}

static void test_desc_errors(void **state)
{
	static const char head[] = "agents = [ \"id=1,name=a\" ]\npins = [ \"p0\", \"p1\" ]\n";
	static const struct { const char *groups, *funcs, *msg; int line; } bad[] = {
		{ "\"name=g,pins=p0 p9\"", NULL, "'pins': unknown pin 'p9'", 3 },
		{ "\"name=g,pins=2\"", NULL, "'pins': unknown pin '2'", 3 },
		{ "\"name=g,pins=0 p0\"", NULL, "'pins': pin 'p0' listed twice", 3 },
		{ "\"name=g\"", NULL, "missing 'pins='", 3 },
		{ "\"name=g,pins=\"", NULL, "'pins' must list at least one pin", 3 },
		{ "\"name=g g,pins=0\"", NULL, "contains a space", 3 },
		{ "\"name=g,pins=0,mux=1\"", NULL, "unknown key 'mux'", 3 },
		{ "\"name=g,pins=0\", \"name=g,pins=1\"", NULL, "duplicate pin group name 'g'", 3 },
		{ "\"name=g,pins=0\"", "\"name=f,groups=h\"", "'groups': unknown pin group 'h'",
		  4 },
		{ "\"name=g,pins=0\"", "\"name=f\"", "missing 'groups='", 4 },
		{ NULL, "\"name=f,groups=0\"", "'pin_functions' given but no 'pin_groups'", 4 },
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s%s\n%s%s%s\n", head,
			 bad[i].groups ? "pin_groups = [ " : "", bad[i].groups ? bad[i].groups : "",
			 bad[i].groups ? " ]" : "",
			 bad[i].funcs ? "pin_functions = [ " : "", bad[i].funcs ? bad[i].funcs : "",
			 bad[i].funcs ? " ]" : "");
		expect_error(buf, bad[i].line, bad[i].msg);
	}
	expect_error("agents = [ \"id=1,name=a\" ]\npins = [ \"p0\", \"p0\" ]\n", 2,
		     "duplicate pin name 'p0'");
	expect_error("agents = [ \"id=1,name=a\" ]\npins = [ \"p0\", \"\" ]\n", 2,
		     "pin name must not be empty");
	expect_error("agents = [ \"id=1,name=a\" ]\npin_groups = [ \"name=g,pins=0\" ]\n", 2,
		     "'pin_groups' given but no 'pins' are defined");
	expect_error("agents = [ \"id=1,name=a\" ]\npins = [ \"p0\" ]\n"
		     "devices = [ \"id=0,name=d,pins=0 1\" ]\n", 3,
		     "device 'd': pin 1 does not exist");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_associations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_configure_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_function_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_desc_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
