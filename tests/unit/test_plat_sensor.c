// SPDX-License-Identifier: GPL-2.0-only
/*
 * Conformance tests of the embedded platform's SENSOR protocol (v3.1):
 * every command with its success and error statuses, variable-size
 * paginated descriptors at several response sizes, value models on the
 * virtual clock, async readings, trip point events, continuous updates,
 * per-agent configuration, agent reset, dump and broken sensor sections.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/plat_value.h"
#include "backends/platform/platform.h"
#include "tests/support/plat_harness.h"

static const char cfg[] =
	"agents = [ \"id=1,name=a1,trusted=1\", \"id=2,name=a2,devices=0\",\n"
	"           \"id=3,name=a3,devices=1\" ]\n"
	"sensors = [\n"
	"  \"name=soc_temp,type=2,exp=-3,min=-40000,max=125000,resolution=500,"
	"value=ramp:40000:500:1000000:30000:90000,trips=2,async=1,latency=2000,continuous=1,"
	"timestamp=1,intervals=100000 1000000 5000000,interval=1000000\",\n"
	"  \"name=fan_speed_sensor_with_long_name,type=19,value=script:1000:10 20 30,"
	"interval_range=1000-10000000/1000\",\n"
	"  \"name=accel,type=66,continuous=1\",\n"
	"  \"name=c3,value=3\", \"name=c4,value=-4\", \"name=c5,value=const:5\", \"name=c6\",\n"
	"  \"name=c7\", \"name=c8\", \"name=c9\",\n"
	"]\n"
	"sensor_axes = [ \"sensor=2,name=x,value=1,exp=-2,min=-100,max=100\",\n"
	"                \"sensor=2,name=y,value=-2\",\n"
	"                \"sensor=2,name=z_axis_with_a_long_name,value=3,type=5\" ]\n"
	"devices = [ \"id=0,name=d0,sensors=0 2\", \"id=1,name=d1,sensors=1\" ]\n";

#define P SCMI_PROTO_SENSOR
#define SENS(agent, msg, ...) (nv = 128, ph_call(h, agent, P, msg, v, &nv, __VA_ARGS__))
#define MS 1000000ull
#define SEC 1000000000ull

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

static uint64_t w64(const uint32_t *v)
{
	return v[0] | ((uint64_t)v[1] << 32);
}

static void test_protocol_attributes(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(1, SCMI_PROTOCOL_VERSION, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x30001);
	assert_int_equal(SENS(1, SCMI_PROTOCOL_ATTRIBUTES, ), SCMI_SUCCESS);
	assert_int_equal(nv, 4);
	assert_int_equal(v[0], 10u | (4u << 16));
	assert_int_equal(v[1] | v[2] | v[3], 0);
	for (uint8_t m = SCMI_SENSOR_DESCRIPTION_GET; m <= SCMI_SENSOR_AXIS_NAME_GET; m++)
		assert_int_equal(SENS(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, m), SCMI_SUCCESS);
	assert_int_equal(SENS(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0xe), SCMI_NOT_FOUND);
	assert_int_equal(SENS(1, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0x11), SCMI_NOT_FOUND);
	/* NEGOTIATE_PROTOCOL_VERSION: its own version or older, not newer or 0 */
	assert_int_equal(SENS(1, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30002), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(1, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(1, SCMI_NEGOTIATE_PROTOCOL_VERSION, 0x30001), SCMI_SUCCESS);
	assert_int_equal(SENS(1, SCMI_PROTOCOL_VERSION, ), SCMI_SUCCESS);
	assert_int_equal(v[0], 0x30001);
}

/* Walk all descriptors with capacity `cap`; return the number of pages. */
static unsigned walk_descriptors(struct ph *h, size_t cap)
{
	uint32_t v[128];
	unsigned nv, idx = 0, pages = 0;

	ph_set_cap(h, cap);
	while (idx < 10) {
		unsigned ret, rem, w = 1;

		assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, idx), SCMI_SUCCESS);
		ret = v[0] & 0xffff;
		rem = v[0] >> 16;
		assert_true(ret >= 1);
		assert_int_equal(idx + ret + rem, 10);
		for (unsigned i = 0; i < ret; i++) {
			bool ext = v[w + 1] & (1u << 8);

			assert_int_equal(v[w], idx + i);            /* sensor id */
			w += ext ? 13 : 7;
		}
		assert_int_equal(nv, w);                            /* sizes add up */
		idx += ret;
		pages++;
	}
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	return pages;
}

static void test_description_get(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	/* 124 bytes: two scalar (52) descriptors, or scalar + axis sensor */
	assert_int_equal(walk_descriptors(h, SCMI_LINUX_MSG_SIZE), 5);
	assert_int_equal(walk_descriptors(h, 8 + 4 + 52), 10);
	assert_int_equal(walk_descriptors(h, SCMI_MSG_MAX), 1);   /* 9 x 52 + 28 */

	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 2u | (8u << 16));
	assert_int_equal(v[1], 0);
	/* async, continuous, ext name, ts exponent -9, ts, ext attrs, 2 trips */
	assert_int_equal(v[2], (1u << 31) | (1u << 30) | (1u << 29) | (23u << 10) | (1u << 9) |
			       (1u << 8) | 2u);
	assert_int_equal(v[3], (29u << 11) | 2u);                  /* exp -3, type 2 */
	assert_string_equal(ph_str(h, 16, 16), "soc_temp");
	assert_int_equal(v[8], 0);                                  /* power */
	assert_int_equal(v[9], (29u << 27) | 500u);
	assert_int_equal((int64_t)w64(&v[10]), -40000);
	assert_int_equal((int64_t)w64(&v[12]), 125000);
	/* the axis sensor: 7 words, axes in attributes_high */
	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, 2), SCMI_SUCCESS);
	assert_int_equal(v[2], (1u << 30) | (1u << 29));
	assert_int_equal(v[3], (3u << 16) | (1u << 8) | 66u);
	assert_string_equal(ph_str(h, 16, 16), "accel");
	assert_string_equal(ph_str(h, 4 + 28 + 12, 16), "c3");
	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, 1), SCMI_SUCCESS);
	assert_string_equal(ph_str(h, 16, 16), "fan_speed_senso");
	/* too small for the first descriptor */
	ph_set_cap(h, 8 + 4 + 51);
	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, 0), SCMI_PROTOCOL_ERROR);
	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, 2), SCMI_SUCCESS);
	assert_int_equal(v[0] & 0xffff, 1);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, 10), SCMI_OUT_OF_RANGE);
	assert_int_equal(SENS(1, SCMI_SENSOR_DESCRIPTION_GET, ), SCMI_PROTOCOL_ERROR);
}

static void test_reading_sync(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(3, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);  /* reads open */
	assert_int_equal(nv, 4);
	assert_int_equal(w64(v), 40000);
	assert_int_equal(w64(&v[2]), 0);
	ph_advance(h, SEC + 5);
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(w64(v), 40500);
	assert_int_equal(w64(&v[2]), SEC + 5);              /* timestamp, ns */
	ph_advance(h, 99 * SEC);                             /* k = 100: top of the ramp */
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(w64(v), 90000);
	ph_advance(h, SEC);                                  /* wraps into [min, max] */
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(w64(v), 30000 + (60500 % 60001));
	/* script: one value per ms, no timestamps */
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 1, 0), SCMI_SUCCESS);
	assert_int_equal(w64(&v[2]), 0);
	{
		uint64_t base = plat_time(h->p) / MS;
		int64_t expect[] = { 10, 20, 30 };

		for (unsigned i = 0; i < 4; i++) {
			assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 1, 0), SCMI_SUCCESS);
			assert_int_equal(w64(v), expect[(base + i) % 3]);
			ph_advance(h, MS);
		}
	}
	/* axes: one reading per axis */
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 2, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 12);
	assert_int_equal(w64(&v[0]), 1);
	assert_int_equal((int64_t)w64(&v[4]), -2);
	assert_int_equal(w64(&v[8]), 3);
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 4, 0), SCMI_SUCCESS);
	assert_int_equal((int64_t)w64(v), -4);
	/* errors */
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 10, 0), SCMI_NOT_FOUND);
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 0, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 3, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, 8 + 44);
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 2, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
}

static void test_reading_async(void **state)
{
	struct ph *h = *state;
	uint32_t v[128], hdr, w[32];
	unsigned nv, nw = 32;
	uint32_t req;

	ph_advance(h, 3 * SEC);
	h->token = 300;
	req = scmi_hdr(P, SCMI_SENSOR_READING_GET, SCMI_MSG_COMMAND, 300);
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 1), SCMI_SUCCESS);
	assert_int_equal(nv, 0);                          /* status only */
	ph_advance(h, 1999999);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	ph_advance(h, 1);
	assert_int_equal(ph_pop(h, 2, &hdr, w, &nw), 4 + 4 + 4 + 16);
	assert_int_equal(hdr, scmi_hdr_set_type(req, SCMI_MSG_DELAYED_RESP));
	assert_int_equal(w[0], SCMI_SUCCESS);
	assert_int_equal(w[1], 0);                        /* sensor id */
	assert_int_equal(w64(&w[2]), 41500);
	assert_int_equal(w64(&w[4]), 3 * SEC + 2 * MS);   /* read at completion */
	/* at most 4 pending per agent */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 1), SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 1), SCMI_BUSY);
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 0, 1), SCMI_SUCCESS);
	ph_advance(h, 2 * MS);
	assert_int_equal(plat_p2a_pending(h->p, 2), 4);
	assert_int_equal(plat_p2a_pending(h->p, 1), 1);
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 1), SCMI_SUCCESS);
}

static int32_t trip_cfg(struct ph *h, unsigned agent, uint32_t id, uint32_t ctl, int64_t val)
{
	uint32_t v[4];
	unsigned nv = 4;

	return ph_call(h, agent, P, SCMI_SENSOR_TRIP_POINT_CONFIG, v, &nv, id, ctl,
		       (uint32_t)val, (uint32_t)((uint64_t)val >> 32));
}

/* Pop one TRIP_POINT_EVENT of sensor 0 for agent: its descriptor, or -1. */
static int64_t pop_trip(struct ph *h, unsigned agent)
{
	uint32_t hdr, w[8];
	unsigned nw = 8;

	if (ph_pop(h, agent, &hdr, w, &nw) != 16 || w[0] != 0 || w[1] != 0 ||
	    hdr != scmi_hdr(P, SCMI_SENSOR_TRIP_POINT_EVENT, SCMI_MSG_NOTIFICATION, 0))
		return -1;
	return w[2];
}
#define expect_trip(h, agent, desc) assert_int_equal(pop_trip(h, agent), desc)

static void test_trip_points(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(trip_cfg(h, 2, 0, 1 | (0 << 4), 41000), SCMI_SUCCESS);   /* up */
	assert_int_equal(trip_cfg(h, 2, 0, 3 | (1 << 4), 40700), SCMI_SUCCESS);   /* both */
	assert_int_equal(trip_cfg(h, 1, 0, 3 | (1 << 4), 40000), SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 1), SCMI_SUCCESS);
	ph_advance(h, SEC);                               /* 40500: nothing crossed */
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	ph_advance(h, SEC);                               /* 41000: both crossed upwards */
	expect_trip(h, 2, 0 | (1u << 16));
	expect_trip(h, 2, 1 | (1u << 16));
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);   /* agent 1 did not subscribe */
	assert_int_equal(plat_p2a_pending(h->p, 3), 0);
	/* the wrap from 90000 to the bottom crosses 40700 downwards (tp 1 only) */
	ph_advance(h, 98 * SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	ph_advance(h, SEC);
	expect_trip(h, 2, 1);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* disabled for this agent: no events; disabling a trip point also works */
	assert_int_equal(trip_cfg(h, 2, 0, 0 | (1 << 4), 0), SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, 0), SCMI_SUCCESS);
	ph_advance(h, 30 * SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* (the ramp crossed 41000 upwards at 123 s, while disabled) */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, 1), SCMI_SUCCESS);
	ph_advance(h, 120 * SEC);        /* wraps at 221 s, crosses 41000 at 243 s */
	expect_trip(h, 2, 0 | (1u << 16));
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* unsubscribed: nothing */
	assert_int_equal(SENS(2, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 0), SCMI_SUCCESS);
	ph_advance(h, 200 * SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* errors */
	assert_int_equal(trip_cfg(h, 2, 0, 1 | (2 << 4), 5), SCMI_INVALID_PARAMETERS);
	assert_int_equal(trip_cfg(h, 2, 0, 1 | (1 << 2), 5), SCMI_INVALID_PARAMETERS);
	assert_int_equal(trip_cfg(h, 2, 0, 1 | (1 << 12), 5), SCMI_INVALID_PARAMETERS);
	assert_int_equal(trip_cfg(h, 2, 3, 1, 5), SCMI_NOT_SUPPORTED);
	assert_int_equal(trip_cfg(h, 3, 0, 1, 5), SCMI_DENIED);
	assert_int_equal(trip_cfg(h, 2, 10, 1, 5), SCMI_NOT_FOUND);
	assert_int_equal(SENS(2, SCMI_SENSOR_TRIP_POINT_CONFIG, 0, 1, 5), SCMI_PROTOCOL_ERROR);
	assert_int_equal(SENS(2, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(SENS(2, SCMI_SENSOR_TRIP_POINT_NOTIFY, 2, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(3, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 1), SCMI_DENIED);
	assert_int_equal(SENS(3, SCMI_SENSOR_TRIP_POINT_NOTIFY, 11, 1), SCMI_NOT_FOUND);
	assert_int_equal(SENS(3, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0), SCMI_PROTOCOL_ERROR);
}

static void test_continuous_updates(void **state)
{
	struct ph *h = *state;
	uint32_t v[128], hdr, w[64];
	unsigned nv, nw;

	assert_int_equal(SENS(2, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 1), SCMI_SUCCESS);
	assert_int_equal(SENS(1, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 2, 1), SCMI_SUCCESS);
	ph_advance(h, 3 * SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 3);      /* every 1 s */
	for (unsigned i = 1; i <= 3; i++) {
		nw = 64;
		assert_int_equal(ph_pop(h, 2, &hdr, w, &nw), 4 + 8 + 16);
		assert_int_equal(hdr, scmi_hdr(P, SCMI_SENSOR_UPDATE, SCMI_MSG_NOTIFICATION, 0));
		assert_int_equal(w[0], 0);
		assert_int_equal(w[1], 0);
		assert_int_equal(w64(&w[2]), 40000 + 500 * i);
		assert_int_equal(w64(&w[4]), i * SEC);
	}
	assert_int_equal(plat_p2a_pending(h->p, 1), 3);       /* axis sensor, 3 readings */
	nw = 64;
	assert_int_equal(ph_pop(h, 1, &hdr, w, &nw), 4 + 8 + 48);
	assert_int_equal(w[1], 2);
	assert_int_equal((int64_t)w64(&w[6]), -2);
	while (ph_pop(h, 1, NULL, NULL, NULL))
		;
	assert_int_equal(plat_p2a_pending(h->p, 3), 0);
	/* faster interval: 100 ms (10000 x 10^-5 s) */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0,
			      (10000u << 16) | (27u << 11) | 3u), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 10);
	while (ph_pop(h, 2, NULL, NULL, NULL))
		;
	/* re-enabling the subscription keeps one chain of updates */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 1), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 10);
	while (ph_pop(h, 2, NULL, NULL, NULL))
		;
	/* permission revoked: silent; granted again: updates resume */
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, v,
				 &nv, 2, 0, 0), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, v,
				 &nv, 2, 0, 1), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 10);
	while (ph_pop(h, 2, NULL, NULL, NULL))
		;
	assert_int_equal(SENS(2, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 0), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);
	/* errors */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 1, 1), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 4),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 1), SCMI_DENIED);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 10, 1), SCMI_NOT_FOUND);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 1, 1),
			 SCMI_PROTOCOL_ERROR);
}

static void test_axes(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 2, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 2u | (1u << 26));               /* 2 returned, 1 remaining */
	assert_int_equal(nv, 1 + 24);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], (1u << 9) | (1u << 8));
	assert_int_equal(v[3], (30u << 11) | 2u);              /* exp -2, default type 2 */
	assert_string_equal(ph_str(h, 16, 16), "x");
	assert_int_equal(v[8], (30u << 27) | 1u);
	assert_int_equal((int64_t)w64(&v[9]), -100);
	assert_int_equal((int64_t)w64(&v[11]), 100);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 2, 2), SCMI_SUCCESS);
	assert_int_equal(v[0], 1u);
	assert_int_equal(v[1], 2);
	assert_int_equal(v[3], 5u);
	assert_string_equal(ph_str(h, 16, 16), "z_axis_with_a_l");
	ph_set_cap(h, 8 + 4 + 48);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 2, i), SCMI_SUCCESS);
		assert_int_equal(v[0], 1u | ((2u - i) << 26));
	}
	ph_set_cap(h, 8 + 4 + 47);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 2, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 2, 3), SCMI_OUT_OF_RANGE);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 0, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 10, 0), SCMI_NOT_FOUND);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 2), SCMI_PROTOCOL_ERROR);
	/* extended names: 68 bytes each, one per Linux-sized reply */
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_NAME_GET, 2, i), SCMI_SUCCESS);
		assert_int_equal(v[0], 1u | ((2u - i) << 26));
		assert_int_equal(v[1], i);
	}
	assert_string_equal(ph_str(h, 8, 64), "z_axis_with_a_long_name");
	ph_set_cap(h, SCMI_MSG_MAX);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_NAME_GET, 2, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 3u);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_NAME_GET, 2, 3), SCMI_OUT_OF_RANGE);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_NAME_GET, 1, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(1, SCMI_SENSOR_AXIS_NAME_GET, 10, 0), SCMI_NOT_FOUND);
}

static void test_update_intervals(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 3u);
	assert_int_equal(nv, 4);
	assert_int_equal(v[1], (10000u << 5) | 27u);         /* 10000 x 10^-5 s */
	assert_int_equal(v[2], (10000u << 5) | 28u);         /* 10000 x 10^-4 s */
	assert_int_equal(v[3], (50000u << 5) | 28u);
	ph_set_cap(h, 8 + 4 + 4);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0, i), SCMI_SUCCESS);
		assert_int_equal(v[0], 1u | ((2u - i) << 16));
	}
	ph_set_cap(h, 8 + 4);
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0, 0), SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, SCMI_LINUX_MSG_SIZE);
	/* triplet form */
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 1, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 3u | (1u << 12));
	assert_int_equal(v[1], (1000u << 5) | 26u);          /* 1000 us */
	assert_int_equal(v[2], (10000u << 5) | 29u);         /* 10 s */
	assert_int_equal(v[3], (1000u << 5) | 26u);
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 1, 1), SCMI_OUT_OF_RANGE);
	/* default: one interval of 1 s */
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 3, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], 1u);
	assert_int_equal(v[1], (10000u << 5) | 28u);
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 3, 1), SCMI_OUT_OF_RANGE);
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 10, 0), SCMI_NOT_FOUND);
	assert_int_equal(SENS(1, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0), SCMI_PROTOCOL_ERROR);
}

static uint32_t cfg_word(uint32_t secs, int32_t exp, unsigned round, bool ts, bool en)
{
	return (secs << 16) | (((uint32_t)exp & 0x1f) << 11) | (round << 9) |
	       (ts ? 2u : 0u) | (en ? 1u : 0u);
}

static void test_config(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(nv, 1);
	assert_int_equal(v[0], cfg_word(10000, -4, 0, true, true));
	/* 2 s: rounded down to 1 s, up to 5 s, auto to 1 s */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(2, 0, 0, true, true)),
			 SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(10000, -4, 0, true, true));
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(2, 0, 1, false, true)),
			 SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(50000, -4, 0, false, true));
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(4, 0, 2, false, false)),
			 SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(50000, -4, 0, false, false));
	/* interval 0 keeps the current one */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, 1), SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(50000, -4, 0, false, true));
	/* timestamps off: readings carry none */
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(w64(&v[2]), 0);
	/* agent 1 still has its own view */
	assert_int_equal(SENS(1, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(10000, -4, 0, true, true));
	assert_int_equal(SENS(1, SCMI_SENSOR_READING_GET, 0, 0), SCMI_SUCCESS);
	assert_int_equal(w64(&v[2]), SEC);
	/* range form rounding: 1500 us */
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_SET, 1, cfg_word(15, -4, 1, false, true)),
			 SCMI_SUCCESS);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(2000, -6, 0, false, true));
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_SET, 1, cfg_word(15, -4, 0, false, true)),
			 SCMI_SUCCESS);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_GET, 1), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(1000, -6, 0, false, true));
	/* errors */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(10, 0, 1, false, true)),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(1, -3, 0, false, true)),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(1, 0, 3, false, true)),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, 1u << 2 | 1), SCMI_INVALID_PARAMETERS);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_SET, 1, 3), SCMI_NOT_SUPPORTED);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_SET, 0, 1), SCMI_DENIED);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_SET, 10, 1), SCMI_NOT_FOUND);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_GET, 10), SCMI_NOT_FOUND);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_SET, 1), SCMI_PROTOCOL_ERROR);
	assert_int_equal(SENS(3, SCMI_SENSOR_CONFIG_GET, 1, 1), SCMI_PROTOCOL_ERROR);
}

static void test_name_get(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(1, SCMI_SENSOR_NAME_GET, 1), SCMI_SUCCESS);
	assert_int_equal(nv, 17);
	assert_int_equal(v[0], 0);
	assert_string_equal(ph_str(h, 4, 64), "fan_speed_sensor_with_long_name");
	assert_int_equal(SENS(1, SCMI_SENSOR_NAME_GET, 10), SCMI_NOT_FOUND);
	assert_int_equal(SENS(1, SCMI_SENSOR_NAME_GET, ), SCMI_PROTOCOL_ERROR);
}

static void test_reset_agent(void **state)
{
	struct ph *h = *state;
	uint32_t v[128];
	unsigned nv;

	assert_int_equal(SENS(2, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 1), SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_SET, 0, cfg_word(1, 0, 1, false, true)),
			 SCMI_SUCCESS);
	assert_int_equal(trip_cfg(h, 2, 0, 1, 40100), SCMI_SUCCESS);
	assert_int_equal(SENS(2, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 1), SCMI_SUCCESS);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 1), SCMI_SUCCESS);
	nv = 8;
	assert_int_equal(ph_call(h, 1, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION,
				 v, &nv, 2, 0), SCMI_SUCCESS);
	ph_advance(h, 10 * SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 0);   /* no answers, no events */
	assert_int_equal(SENS(2, SCMI_SENSOR_CONFIG_GET, 0), SCMI_SUCCESS);
	assert_int_equal(v[0], cfg_word(10000, -4, 0, true, true));
	/* its async slots are free again */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(SENS(2, SCMI_SENSOR_READING_GET, 0, 1), SCMI_SUCCESS);
	ph_advance(h, SEC);
	assert_int_equal(plat_p2a_pending(h->p, 2), 4);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ph_advance(h, 2 * SEC);
	plat_dump_state(h->p, f, true);
	plat_dump_state(h->p, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "\"sensor\":[{\"id\":0,\"name\":\"soc_temp\","
				    "\"values\":[41000]}"));
	assert_non_null(strstr(buf, "{\"id\":2,\"name\":\"accel\",\"values\":[1,-2,3]}"));
	assert_non_null(strstr(buf, "sensor 4 c4: -4\n"));
	free(buf);
}

static void test_value_models(void **state)
{
	struct pd_value c = { .model = PD_VALUE_CONSTANT, .value = -7 };
	struct pd_value down = { .model = PD_VALUE_RAMP, .value = 2, .step = -3,
				 .period_us = 1000, .min = 0, .max = 9 };
	struct pd_value wide = { .model = PD_VALUE_RAMP, .value = INT64_MAX - 1,
				 .step = INT64_MAX, .period_us = 1000, .min = INT64_MIN,
				 .max = INT64_MAX };
	struct pd_value sc = { .model = PD_VALUE_SCRIPT, .period_us = 2000, .nscript = 3,
			       .script = { 5, INT64_MIN, 9 } };

	(void)state;
	assert_int_equal(plat_value_at(&c, UINT64_MAX), -7);
	assert_int_equal(plat_value_period_ns(&c), 0);
	/* 2, -1 -> 9, 6, 3, 0, -3 -> 7 ... (modulo 10 within [0, 9]) */
	assert_int_equal(plat_value_at(&down, 0), 2);
	assert_int_equal(plat_value_at(&down, 999999), 2);
	assert_int_equal(plat_value_at(&down, 1 * MS), 9);
	assert_int_equal(plat_value_at(&down, 2 * MS), 6);
	assert_int_equal(plat_value_at(&down, 5 * MS), 7);
	assert_int_equal(plat_value_period_ns(&down), MS);
	/* the full int64 range wraps without overflow */
	assert_int_equal(plat_value_at(&wide, 0), INT64_MAX - 1);
	assert_int_equal(plat_value_at(&wide, MS), INT64_MIN + INT64_MAX - 2);
	(void)plat_value_at(&wide, UINT64_MAX);
	assert_int_equal(plat_value_at(&sc, 0), 5);
	assert_int_equal(plat_value_at(&sc, 2 * MS), INT64_MIN);
	assert_int_equal(plat_value_at(&sc, 4 * MS + 1), 9);
	assert_int_equal(plat_value_at(&sc, 6 * MS), 5);
}

static void expect_error(const char *text, const char *msg)
{
	char *err = ph_desc_errors(text);

	if (!strstr(err, msg))
		fail_msg("expected '%s' in:\n%s", msg, err);
	free(err);
}

#define AG "agents = [ \"id=1,name=a\" ]\n"

static void test_broken_configs(void **state)
{
	(void)state;
	expect_error(AG "sensors = [ \"type=2\" ]\n", "test.cfg:2: missing name=");
	expect_error(AG "sensors = [ \"name=s,value=ramp:1:1:1000:0\" ]\n",
		     "test.cfg:2: value: 'ramp:1:1:1000:0': "
		     "want ramp:START:STEP:PERIOD_US:MIN:MAX");
	expect_error(AG "sensors = [ \"name=s,value=ramp:1:1:0:0:5\" ]\n",
		     "test.cfg:2: value: 'ramp:1:1:0:0:5': PERIOD_US must be >= 1000");
	expect_error(AG "sensors = [ \"name=s,value=script:999:1\" ]\n",
		     "test.cfg:2: value: 'script:999:1': PERIOD_US must be >= 1000");
	expect_error(AG "sensors = [ \"name=s,value=ramp:9:1:1000:0:5\" ]\n",
		     "need MIN <= START <= MAX");
	expect_error(AG "sensors = [ \"name=s,value=script:1000:\" ]\n", "empty script");
	expect_error(AG "sensors = [ \"name=s,value=script:1000:1 x\" ]\n",
		     "script values must be integers");
	expect_error(AG "sensors = [ \"name=s,value=sine:1\" ]\n", "unknown model");
	expect_error(AG "sensors = [ \"name=s,value=12abc\" ]\n", "not an integer constant");
	expect_error(AG "sensors = [ \"name=s,trips=17\" ]\n", "test.cfg:2:");
	expect_error(AG "sensors = [ \"name=s,exp=-17\" ]\n",
		     "test.cfg:2: exp: -17 is outside [-16, 15]");
	expect_error(AG "sensors = [ \"name=s,min=5,max=4\" ]\n",
		     "test.cfg:2: min must not exceed max");
	expect_error(AG "sensors = [ \"name=s,intervals=10 20,interval_range=1-5/1\" ]\n",
		     "test.cfg:2: intervals= and interval_range= are exclusive");
	expect_error(AG "sensors = [ \"name=s,intervals=2000 1000\" ]\n",
		     "intervals: microseconds, >= 1000, strictly ascending");
	expect_error(AG "sensors = [ \"name=s,intervals=10 2000\" ]\n",
		     "intervals: microseconds, >= 1000, strictly ascending");
	expect_error(AG "sensors = [ \"name=s,interval_range=0-100000/10\" ]\n",
		     "test.cfg:2: interval_range: LOW below 1000 us");
	expect_error(AG "sensors = [ \"name=s,intervals=1000 2000,interval=1500\" ]\n",
		     "test.cfg:2: interval=1500 is not one of intervals=");
	expect_error(AG "sensors = [ \"name=s,interval_range=1000-10000/1000,interval=1500\" ]\n",
		     "test.cfg:2: interval=1500 is not in interval_range=");
	expect_error(AG "sensors = [ \"name=s,colour=red\" ]\n",
		     "test.cfg:2: unknown key 'colour'");
	expect_error(AG "sensors = [ \"name=s\" ]\nsensor_axes = [ \"name=x\" ]\n",
		     "test.cfg:3: sensor_axes: need sensor=ID");
	expect_error(AG "sensors = [ \"name=s\" ]\nsensor_axes = [ \"sensor=1,name=x\" ]\n",
		     "test.cfg:3: sensor=1 is not a sensor (0..0)");
	expect_error(AG "sensors = [ \"name=s,trips=1\" ]\nsensor_axes = [ \"sensor=0,name=x\" ]\n",
		     "test.cfg:3: sensor 0 has trip points");
	expect_error(AG "sensors = [ \"name=s,async=1\" ]\nsensor_axes = [\n"
		     "\"sensor=0,name=a\", \"sensor=0,name=b\", \"sensor=0,name=c\",\n"
		     "\"sensor=0,name=d\", \"sensor=0,name=e\", \"sensor=0,name=f\",\n"
		     "\"sensor=0,name=g\",\n\"sensor=0,name=h\" ]\n",
		     "test.cfg:7: sensor 0: async/continuous sensors have at most 7 axes");
	expect_error(AG "sensors = [ \"name=s\" ]\nsensor_axes = [\n"
		     "\"sensor=0,name=a\", \"sensor=0,name=b\", \"sensor=0,name=c\",\n"
		     "\"sensor=0,name=d\", \"sensor=0,name=e\", \"sensor=0,name=f\",\n"
		     "\"sensor=0,name=g\", \"sensor=0,name=h\",\n\"sensor=0,name=i\" ]\n",
		     "test.cfg:7: sensor 0: at most 8 axes");
	expect_error(AG "sensors = [ \"name=s\" ]\nsensor_axes = [ \"sensor=0,name=x,bogus=1\" ]\n",
		     "test.cfg:3: unknown key 'bogus'");
	expect_error(AG "sensor_max_async = 256\nsensors = [ \"name=s\" ]\n", "test.cfg:2:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_description_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reading_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reading_async, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trip_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continuous_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_axes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_intervals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_value_models),
		cmocka_unit_test(test_broken_configs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
