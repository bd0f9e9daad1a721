// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux 6.12 arm_scmi probe sequence (our own rendering of the order and
 * conditions of its protocol init code; no code taken from it).
 */
#include <string.h>

#include "linux_probe.h"
#include "mediator/scmi_msg.h"

#define LP_MAX_DOMS 256

struct lp {
	lp_xfer_fn xfer;
	void *opaque;
	size_t cap;
	struct lp_stats *st;
	uint16_t token;
	uint8_t resp[SCMI_MSG_MAX];
	size_t len;
};

/* Send proto/msg with n args; returns the status (COMMS_ERROR if lost). */
static int32_t cmd(struct lp *l, uint8_t proto, uint8_t msg, const uint32_t *a, unsigned n)
{
	uint8_t m[32];
	unsigned i;

	scmi_put_le32(m, scmi_hdr(proto, msg, 0, l->token++));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, a[i]);
	l->st->commands++;
	l->len = l->xfer(l->opaque, m, 4 + 4 * (size_t)n, l->resp, l->cap);
	if (l->len < 8) {
		l->st->errors++;
		return SCMI_COMMS_ERROR;
	}
	if (scmi_get_le32(l->resp + 4) != SCMI_SUCCESS) {
		l->st->errors++;
		return (int32_t)scmi_get_le32(l->resp + 4);
	}
	return SCMI_SUCCESS;
}
#define A(...) ((const uint32_t[]){ 0, __VA_ARGS__ } + 1)
#define N(...) ((unsigned)(sizeof((uint32_t[]){ 0, __VA_ARGS__ }) / sizeof(uint32_t) - 1))
#define CMD(l, p, m, ...) cmd(l, p, m, A(__VA_ARGS__), N(__VA_ARGS__))

/* Word i of the return values (0 if the answer is shorter). */
static uint32_t val(const struct lp *l, size_t i)
{
	return 8 + 4 * i + 4 <= l->len ? scmi_get_le32(l->resp + 8 + 4 * i) : 0;
}

/* Version, then PROTOCOL_ATTRIBUTES; returns attributes or -1. */
static int64_t head(struct lp *l, uint8_t p)
{
	if (CMD(l, p, SCMI_PROTOCOL_VERSION, ) != SCMI_SUCCESS)
		return -1;
	if (CMD(l, p, SCMI_PROTOCOL_ATTRIBUTES, ) != SCMI_SUCCESS)
		return -1;
	return val(l, 0);
}

static void msg_check(struct lp *l, uint8_t p, uint8_t m)
{
	CMD(l, p, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, m);
}

/* Iterate a paginated list: returned = count(word), remaining = rem(word). */
static void iterate(struct lp *l, uint8_t p, uint8_t m, uint32_t id, bool has_id,
		    unsigned (*ret)(uint32_t), unsigned (*rem)(uint32_t), unsigned max)
{
	uint32_t idx = 0;
	unsigned guard = 0;

	while (guard++ < 256) {
		int32_t s = has_id ? CMD(l, p, m, id, idx) : CMD(l, p, m, idx);
		unsigned r;

		if (s != SCMI_SUCCESS)
			return;
		r = ret(val(l, 0));
		if (!r || !rem(val(l, 0)) || idx + r >= max)
			return;
		idx += r;
	}
}

static unsigned r12(uint32_t w) { return w & 0xfff; }
static unsigned rem16(uint32_t w) { return w >> 16; }
static unsigned r8(uint32_t w) { return w & 0xff; }
static unsigned rem24(uint32_t w) { return w >> 24; }
static unsigned r6(uint32_t w) { return w & 0x3f; }
static unsigned rem26(uint32_t w) { return w >> 26; }

static void power(struct lp *l)
{
	const uint8_t P = SCMI_PROTO_POWER;
	int64_t a = head(l, P);
	unsigned i, n;

	if (a < 0)
		return;
	n = (unsigned)a & 0xffff;
	msg_check(l, P, SCMI_POWER_STATE_NOTIFY);
	for (i = 0; i < n && i < LP_MAX_DOMS; i++)
		if (CMD(l, P, SCMI_POWER_DOMAIN_ATTRIBUTES, i) == SCMI_SUCCESS &&
		    (val(l, 0) & (1u << 27)))
			CMD(l, P, SCMI_POWER_DOMAIN_NAME_GET, i);
}

static void perf(struct lp *l)
{
	const uint8_t P = SCMI_PROTO_PERF;
	int64_t a = head(l, P);
	unsigned i, n;

	if (a < 0)
		return;
	n = (unsigned)a & 0xffff;
	msg_check(l, P, SCMI_PERF_NOTIFY_LEVEL);
	msg_check(l, P, SCMI_PERF_NOTIFY_LIMITS);
	for (i = 0; i < n && i < LP_MAX_DOMS; i++) {
		uint32_t f;
		static const uint8_t fc[] = { SCMI_PERF_LEVEL_GET, SCMI_PERF_LIMITS_GET,
					      SCMI_PERF_LEVEL_SET, SCMI_PERF_LIMITS_SET };
		unsigned k;

		if (CMD(l, P, SCMI_PERF_DOMAIN_ATTRIBUTES, i) != SCMI_SUCCESS)
			continue;
		f = val(l, 0);
		if (f & (1u << 26))
			CMD(l, P, SCMI_PERF_DOMAIN_NAME_GET, i);
		if (f & (1u << 27))
			for (k = 0; k < 4; k++) {
				if ((k == 2 && !(f & (1u << 30))) || (k == 3 && !(f & (1u << 31))))
					continue;
				if (CMD(l, P, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, fc[k]) ==
				    SCMI_SUCCESS && (val(l, 0) & 1))
					CMD(l, P, SCMI_PERF_DESCRIBE_FASTCHANNEL, i, fc[k]);
			}
		/* DESCRIBE_LEVELS: list word bits 11:0 returned, 31:16 remaining */
		iterate(l, P, SCMI_PERF_DESCRIBE_LEVELS, i, true, r12, rem16, 64);
	}
}

static void clock(struct lp *l)
{
	const uint8_t P = SCMI_PROTO_CLOCK;
	int64_t a = head(l, P);
	unsigned i, n;

	if (a < 0)
		return;
	n = (unsigned)a & 0xffff;
	msg_check(l, P, SCMI_CLOCK_RATE_NOTIFY);
	msg_check(l, P, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY);
	for (i = 0; i < n && i < LP_MAX_DOMS; i++) {
		uint32_t f;

		if (CMD(l, P, SCMI_CLOCK_ATTRIBUTES, i) != SCMI_SUCCESS)
			continue;
		f = val(l, 0);
		if (f & (1u << 29))
			CMD(l, P, SCMI_CLOCK_NAME_GET, i);
		if (f & (1u << 28))
			iterate(l, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, i, true, r8, rem24, 256);
		if (f & (1u << 1))
			CMD(l, P, SCMI_CLOCK_GET_PERMISSIONS, i);
		iterate(l, P, SCMI_CLOCK_DESCRIBE_RATES, i, true, r12, rem16, 4096);
	}
}

/* One sensor descriptor at byte offset off of the values; its size. */
static size_t sensor_desc(struct lp *l, size_t off, uint32_t *id, unsigned *naxis,
			  bool *ext_name)
{
	uint32_t al, ah;
	size_t sz = 28;

	if (8 + off + 28 > l->len)
		return 0;
	*id = scmi_get_le32(l->resp + 8 + off);
	al = scmi_get_le32(l->resp + 8 + off + 4);
	ah = scmi_get_le32(l->resp + 8 + off + 8);
	*naxis = (ah & (1u << 8)) ? (ah >> 16) & 0x3f : 0;
	*ext_name = al & (1u << 29);
	if (al & (1u << 8)) {
		sz += 4;
		if (!*naxis)
			sz += 20;
	}
	return sz;
}

static void sensor_axes(struct lp *l, uint32_t id, unsigned naxis)
{
	const uint8_t P = SCMI_PROTO_SENSOR;
	uint32_t idx = 0;
	bool names = false;

	while (idx < naxis) {
		unsigned r, k;
		size_t off = 4;

		if (CMD(l, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, id, idx) != SCMI_SUCCESS)
			return;
		r = r6(val(l, 0));
		for (k = 0; k < r && 8 + off + 28 <= l->len; k++) {
			uint32_t al = scmi_get_le32(l->resp + 8 + off + 4);

			names |= (al >> 9) & 1;
			off += 28 + ((al & (1u << 8)) ? 20 : 0);
		}
		if (!r || !rem26(val(l, 0)))
			break;
		idx += r;
	}
	if (names)
		iterate(l, P, SCMI_SENSOR_AXIS_NAME_GET, id, true, r6, rem26, naxis);
}

static void sensor(struct lp *l)
{
	const uint8_t P = SCMI_PROTO_SENSOR;
	int64_t a = head(l, P);
	unsigned n, idx = 0, guard = 0;

	if (a < 0)
		return;
	n = (unsigned)a & 0xffff;
	msg_check(l, P, SCMI_SENSOR_TRIP_POINT_NOTIFY);
	msg_check(l, P, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY);
	while (idx < n && guard++ < 256) {
		uint32_t ids[64], w;
		unsigned naxis[64], r, k, cnt = 0;
		bool ext[64];
		size_t off = 4, sz;

		if (CMD(l, P, SCMI_SENSOR_DESCRIPTION_GET, idx) != SCMI_SUCCESS)
			return;
		w = val(l, 0);
		r = w & 0xffff;
		for (k = 0; k < r && cnt < 64; k++) {
			sz = sensor_desc(l, off, &ids[cnt], &naxis[cnt], &ext[cnt]);
			if (!sz)
				break;
			off += sz;
			cnt++;
		}
		/* per sensor, as the iterator's process step does */
		for (k = 0; k < cnt; k++) {
			CMD(l, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, ids[k], 0);
			if (ext[k])
				CMD(l, P, SCMI_SENSOR_NAME_GET, ids[k]);
			if (naxis[k])
				sensor_axes(l, ids[k], naxis[k]);
		}
		if (!r || !(w >> 16))
			break;
		idx += r;
	}
}

static void reset(struct lp *l)
{
	const uint8_t P = SCMI_PROTO_RESET;
	int64_t a = head(l, P);
	unsigned i, n;

	if (a < 0)
		return;
	n = (unsigned)a & 0xffff;
	msg_check(l, P, SCMI_RESET_NOTIFY);
	for (i = 0; i < n && i < LP_MAX_DOMS; i++)
		if (CMD(l, P, SCMI_RESET_DOMAIN_ATTRIBUTES, i) == SCMI_SUCCESS &&
		    (val(l, 0) & (1u << 29)))
			CMD(l, P, SCMI_RESET_DOMAIN_NAME_GET, i);
}

static void voltage(struct lp *l)
{
	const uint8_t P = SCMI_PROTO_VOLTAGE;
	int64_t a = head(l, P);
	unsigned i, n;

	if (a < 0)
		return;
	n = (unsigned)a & 0xffff;
	for (i = 0; i < n && i < LP_MAX_DOMS; i++) {
		if (CMD(l, P, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, i) != SCMI_SUCCESS)
			continue;
		if (val(l, 0) & (1u << 30))
			CMD(l, P, SCMI_VOLTAGE_DOMAIN_NAME_GET, i);
		iterate(l, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, i, true, r12, rem16, 4096);
	}
}

static void systemp(struct lp *l)
{
	if (CMD(l, SCMI_PROTO_SYSTEM, SCMI_PROTOCOL_VERSION, ) == SCMI_SUCCESS)
		msg_check(l, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY);
}

void linux_probe(lp_xfer_fn xfer, void *opaque, size_t cap, struct lp_stats *st)
{
	struct lp l = { .xfer = xfer, .opaque = opaque, .cap = cap, .st = st };

	if (cap > SCMI_MSG_MAX)
		l.cap = SCMI_MSG_MAX;
	power(&l);
	systemp(&l);
	perf(&l);
	clock(&l);
	sensor(&l);
	reset(&l);
	voltage(&l);
}
