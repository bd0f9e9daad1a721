// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the SCMI message model: header helpers, LE helpers, the
 * per-protocol tables (checked against an independent list of request
 * lengths written from the spec), lookups, the request-length check and
 * the layout codec (round trips of every command/event layout with
 * deterministic pseudo-random values, and strictness on bad input).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "mediator/scmi_msg.h"

/* ---- deterministic PRNG (xorshift64*) ------------------------------------ */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s ? s : 0x9e3779b97f4a7c15ull;
}

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* ---- header -------------------------------------------------------------- */
static void test_hdr_all_fields(void **state)
{
	unsigned int proto, msg, type;

	(void)state;
	for (proto = 0; proto < 256; proto++) {
		for (msg = 0; msg < 256; msg++) {
			for (type = 0; type < 4; type++) {
				uint16_t tok = (uint16_t)((proto * 256 + msg + type * 7) & 0x3ff);
				uint32_t h = scmi_hdr(proto, msg, type, tok);

				assert_int_equal(scmi_hdr_proto(h), proto);
				assert_int_equal(scmi_hdr_msg_id(h), msg);
				assert_int_equal(scmi_hdr_type(h), type);
				assert_int_equal(scmi_hdr_token(h), tok);
				assert_int_equal(scmi_hdr_reserved(h), 0);
			}
		}
	}
	/* exact bit positions from the spec: msg 7:0, type 9:8, proto 17:10, token 27:18 */
	assert_int_equal(scmi_hdr(0x14, 0x06, 0, 0), 0x5006u);
	assert_int_equal(scmi_hdr(0, 0, 3, 0), 0x300u);
	assert_int_equal(scmi_hdr(0xff, 0, 0, 0), 0x3fc00u);
	assert_int_equal(scmi_hdr(0, 0, 0, 0x3ff), 0x0ffc0000u);
	assert_int_equal(scmi_hdr(0, 0, 0, 1), 1u << 18);
}

static void test_hdr_token_wrap(void **state)
{
	unsigned int t;

	(void)state;
	for (t = 0; t < 4 * SCMI_TOKEN_MAX; t++) {
		uint32_t h = scmi_hdr(SCMI_PROTO_CLOCK, 5, SCMI_MSG_COMMAND, (uint16_t)t);

		assert_int_equal(scmi_hdr_token(h), t % SCMI_TOKEN_MAX);
		/* the token never leaks into other fields */
		assert_int_equal(scmi_hdr_proto(h), SCMI_PROTO_CLOCK);
		assert_int_equal(scmi_hdr_msg_id(h), 5);
		assert_int_equal(scmi_hdr_type(h), SCMI_MSG_COMMAND);
		assert_int_equal(scmi_hdr_reserved(h), 0);
		assert_int_equal(scmi_hdr_set_token(h, (uint16_t)(t + SCMI_TOKEN_MAX)), h);
	}
	/* type is two bits: higher bits are dropped, not spilled into proto */
	assert_int_equal(scmi_hdr(0, 0, 7, 0), scmi_hdr(0, 0, 3, 0));
}

static void test_hdr_reserved_and_setters(void **state)
{
	unsigned int i;

	(void)state;
	rng_seed(11);
	for (i = 0; i < 20000; i++) {
		uint32_t h = (uint32_t)rng();
		uint16_t tok = (uint16_t)rng();
		uint8_t type = (uint8_t)rng();
		uint32_t h2 = scmi_hdr_set_token(h, tok);
		uint32_t h3 = scmi_hdr_set_type(h, type);

		/* decode/encode round trip of any word, reserved bits aside */
		assert_int_equal(scmi_hdr(scmi_hdr_proto(h), scmi_hdr_msg_id(h), scmi_hdr_type(h),
					  scmi_hdr_token(h)) | scmi_hdr_reserved(h), h);
		assert_int_equal(scmi_hdr_reserved(h), h & 0xf0000000u);
		/* setters change only their field and keep reserved bits */
		assert_int_equal(scmi_hdr_token(h2), tok & 0x3ff);
		assert_int_equal(h2 & ~SCMI_HDR_TOKEN_MASK, h & ~SCMI_HDR_TOKEN_MASK);
		assert_int_equal(scmi_hdr_type(h3), type & 3);
		assert_int_equal(h3 & ~SCMI_HDR_TYPE_MASK, h & ~SCMI_HDR_TYPE_MASK);
	}
}

static void test_le_helpers(void **state)
{
	uint8_t b[12];
	unsigned int i, off;

	(void)state;
	scmi_put_le32(b, 0x11223344u);
	assert_int_equal(b[0], 0x44);
	assert_int_equal(b[3], 0x11);
	scmi_put_le64(b, 0x0102030405060708ull);
	assert_int_equal(b[0], 0x08);
	assert_int_equal(b[4], 0x04);
	assert_int_equal(b[7], 0x01);
	rng_seed(3);
	for (i = 0; i < 1000; i++) {
		uint64_t v = rng();

		off = i % 4; /* unaligned access */
		scmi_put_le32(b + off, (uint32_t)v);
		assert_int_equal(scmi_get_le32(b + off), (uint32_t)v);
		scmi_put_le64(b + off, v);
		assert_true(scmi_get_le64(b + off) == v);
	}
}

/* ---- independent expectation: every command's request length ----------- */
/*
 * Written from the SCMI v3.2 spec, separately from scmi_tables.c: the table
 * must contain exactly these commands, with these request lengths and
 * ASYNC/NOTIFY/VARLEN flags.
 */
#define A SCMI_CMD_ASYNC
#define N SCMI_CMD_NOTIFY
#define V SCMI_CMD_VARLEN
static const struct expect_cmd {
	uint8_t proto, id;
	uint16_t len;
	uint8_t flags; /* only the A/N/V bits are compared */
} expect_cmds[] = {
	/* BASE */
	{ 0x10, 0x0, 0, 0 }, { 0x10, 0x1, 0, 0 }, { 0x10, 0x2, 4, 0 }, { 0x10, 0x3, 0, 0 },
	{ 0x10, 0x4, 0, 0 }, { 0x10, 0x5, 0, 0 }, { 0x10, 0x6, 4, 0 }, { 0x10, 0x7, 4, 0 },
	{ 0x10, 0x8, 4, N }, { 0x10, 0x9, 12, 0 }, { 0x10, 0xa, 16, 0 }, { 0x10, 0xb, 8, 0 },
	{ 0x10, 0x10, 4, 0 },
	/* POWER */
	{ 0x11, 0x0, 0, 0 }, { 0x11, 0x1, 0, 0 }, { 0x11, 0x2, 4, 0 }, { 0x11, 0x3, 4, 0 },
	{ 0x11, 0x4, 12, 0 }, { 0x11, 0x5, 4, 0 }, { 0x11, 0x6, 8, N }, { 0x11, 0x8, 4, 0 },
	{ 0x11, 0x10, 4, 0 },
	/* SYSTEM */
	{ 0x12, 0x0, 0, 0 }, { 0x12, 0x1, 0, 0 }, { 0x12, 0x2, 4, 0 }, { 0x12, 0x3, 8, 0 },
	{ 0x12, 0x5, 4, N }, { 0x12, 0x10, 4, 0 },
	/* PERF */
	{ 0x13, 0x0, 0, 0 }, { 0x13, 0x1, 0, 0 }, { 0x13, 0x2, 4, 0 }, { 0x13, 0x3, 4, 0 },
	{ 0x13, 0x4, 8, 0 }, { 0x13, 0x5, 12, 0 }, { 0x13, 0x6, 4, 0 }, { 0x13, 0x7, 8, 0 },
	{ 0x13, 0x8, 4, 0 }, { 0x13, 0x9, 8, N }, { 0x13, 0xa, 8, N }, { 0x13, 0xb, 8, 0 },
	{ 0x13, 0xc, 4, 0 }, { 0x13, 0x10, 4, 0 },
	/* CLOCK */
	{ 0x14, 0x0, 0, 0 }, { 0x14, 0x1, 0, 0 }, { 0x14, 0x2, 4, 0 }, { 0x14, 0x3, 4, 0 },
	{ 0x14, 0x4, 8, 0 }, { 0x14, 0x5, 16, A }, { 0x14, 0x6, 4, 0 }, { 0x14, 0x7, 12, 0 },
	{ 0x14, 0x8, 4, 0 }, { 0x14, 0x9, 8, N }, { 0x14, 0xa, 8, N }, { 0x14, 0xb, 8, 0 },
	{ 0x14, 0xc, 8, 0 }, { 0x14, 0xd, 8, 0 }, { 0x14, 0xe, 4, 0 }, { 0x14, 0xf, 4, 0 },
	{ 0x14, 0x10, 4, 0 },
	/* SENSOR */
	{ 0x15, 0x0, 0, 0 }, { 0x15, 0x1, 0, 0 }, { 0x15, 0x2, 4, 0 }, { 0x15, 0x3, 4, 0 },
	{ 0x15, 0x4, 8, N }, { 0x15, 0x5, 16, 0 }, { 0x15, 0x6, 8, A }, { 0x15, 0x7, 8, 0 },
	{ 0x15, 0x8, 8, 0 }, { 0x15, 0x9, 4, 0 }, { 0x15, 0xa, 8, 0 }, { 0x15, 0xb, 8, N },
	{ 0x15, 0xc, 4, 0 }, { 0x15, 0xd, 8, 0 }, { 0x15, 0x10, 4, 0 },
	/* RESET */
	{ 0x16, 0x0, 0, 0 }, { 0x16, 0x1, 0, 0 }, { 0x16, 0x2, 4, 0 }, { 0x16, 0x3, 4, 0 },
	{ 0x16, 0x4, 12, A }, { 0x16, 0x5, 8, N }, { 0x16, 0x6, 4, 0 }, { 0x16, 0x10, 4, 0 },
	/* VOLTAGE */
	{ 0x17, 0x0, 0, 0 }, { 0x17, 0x1, 0, 0 }, { 0x17, 0x2, 4, 0 }, { 0x17, 0x3, 4, 0 },
	{ 0x17, 0x4, 8, 0 }, { 0x17, 0x5, 8, 0 }, { 0x17, 0x6, 4, 0 }, { 0x17, 0x7, 12, A },
	{ 0x17, 0x8, 4, 0 }, { 0x17, 0x9, 4, 0 }, { 0x17, 0x10, 4, 0 },
	/* POWERCAP */
	{ 0x18, 0x0, 0, 0 }, { 0x18, 0x1, 0, 0 }, { 0x18, 0x2, 4, 0 }, { 0x18, 0x3, 4, 0 },
	{ 0x18, 0x4, 4, 0 }, { 0x18, 0x5, 12, A }, { 0x18, 0x6, 4, 0 }, { 0x18, 0x7, 12, 0 },
	{ 0x18, 0x8, 4, 0 }, { 0x18, 0x9, 4, 0 }, { 0x18, 0xa, 8, N }, { 0x18, 0xb, 16, N },
	{ 0x18, 0xc, 8, 0 }, { 0x18, 0x10, 4, 0 },
	/* PINCTRL */
	{ 0x19, 0x0, 0, 0 }, { 0x19, 0x1, 0, 0 }, { 0x19, 0x2, 4, 0 }, { 0x19, 0x3, 8, 0 },
	{ 0x19, 0x4, 12, 0 }, { 0x19, 0x5, 8, 0 }, { 0x19, 0x6, 12, V }, { 0x19, 0x7, 8, 0 },
	{ 0x19, 0x8, 8, 0 }, { 0x19, 0x9, 8, 0 }, { 0x19, 0xa, 12, 0 }, { 0x19, 0x10, 4, 0 },
};
#undef A
#undef N
#undef V

static const struct expect_evt {
	uint8_t proto, id;
	uint16_t fixed_len;
	bool array;
} expect_evts[] = {
	{ 0x10, 0, 8, true },                          /* BASE_ERROR_EVENT */
	{ 0x11, 0, 12, false },                        /* POWER_STATE_CHANGED */
	{ 0x12, 0, 16, false },                        /* SYSTEM_POWER_STATE_NOTIFIER */
	{ 0x13, 0, 16, false }, { 0x13, 1, 12, false }, /* PERF limits / level */
	{ 0x14, 0, 16, false }, { 0x14, 1, 16, false }, /* CLOCK rate changed / requested */
	{ 0x15, 0, 12, false }, { 0x15, 1, 8, true },   /* SENSOR trip point / update */
	{ 0x16, 0, 12, false },                        /* RESET_ISSUED */
	{ 0x18, 0, 16, false }, { 0x18, 1, 12, false }, /* POWERCAP cap / measurements */
};

static void test_req_upgrade_legacy(void **state)
{
	uint8_t m[SCMI_MSG_MAX];
	size_t len;

	(void)state;
	memset(m, 0xaa, sizeof(m));
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 9));
	scmi_put_le32(m + 4, 7);
	scmi_put_le32(m + 8, 1);
	len = 12;
	assert_true(scmi_req_upgrade_legacy(m, &len, sizeof(m)));
	assert_int_equal(len, 16);
	assert_int_equal(scmi_get_le32(m + 12), 0);
	assert_int_equal(scmi_check_req_len(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, len - 4),
			 SCMI_SUCCESS);
	/* already current, another length, another command, too small a buffer */
	assert_false(scmi_req_upgrade_legacy(m, &len, sizeof(m)));
	len = 8;
	assert_false(scmi_req_upgrade_legacy(m, &len, sizeof(m)));
	assert_int_equal(len, 8);
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, 9));
	len = 12;
	assert_false(scmi_req_upgrade_legacy(m, &len, sizeof(m)));
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 9));
	assert_false(scmi_req_upgrade_legacy(m, &len, 14));
	assert_int_equal(len, 12);
	len = 2;
	assert_false(scmi_req_upgrade_legacy(m, &len, sizeof(m)));
}

static void test_tables_match_spec_list(void **state)
{
	size_t i, total = 0;

	(void)state;
	for (i = 0; i < sizeof(expect_cmds) / sizeof(expect_cmds[0]); i++) {
		const struct expect_cmd *e = &expect_cmds[i];
		const struct scmi_cmd_desc *c = scmi_cmd_find(e->proto, e->id);

		if (!c)
			fail_msg("missing command proto 0x%x msg 0x%x", e->proto, e->id);
		if (c->req_len != e->len)
			fail_msg("%s: req_len %u, spec %u", c->name, c->req_len, e->len);
		if ((c->flags & (SCMI_CMD_ASYNC | SCMI_CMD_NOTIFY | SCMI_CMD_VARLEN)) != e->flags)
			fail_msg("%s: flags 0x%x, spec 0x%x", c->name, c->flags, e->flags);
	}
	for (i = 0; i < scmi_nprotocols; i++)
		total += scmi_protocols[i]->ncmds;
	/* and nothing more than the list */
	assert_int_equal(total, sizeof(expect_cmds) / sizeof(expect_cmds[0]));

	total = 0;
	for (i = 0; i < sizeof(expect_evts) / sizeof(expect_evts[0]); i++) {
		const struct expect_evt *e = &expect_evts[i];
		const struct scmi_evt_desc *d = scmi_evt_find(e->proto, e->id);

		assert_non_null(d);
		assert_int_equal(scmi_layout_fixed_len(d->payload), e->fixed_len);
		assert_int_equal(scmi_layout_array_elem(d->payload) != 0, e->array);
	}
	for (i = 0; i < scmi_nprotocols; i++)
		total += scmi_protocols[i]->nevts;
	assert_int_equal(total, sizeof(expect_evts) / sizeof(expect_evts[0]));

	/* ids that do not exist at the negotiated versions */
	assert_null(scmi_cmd_find(SCMI_PROTO_POWER, 0x7));
	assert_null(scmi_cmd_find(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_GET));
	assert_null(scmi_cmd_find(SCMI_PROTO_BASE, 0xc));
	assert_null(scmi_evt_find(SCMI_PROTO_VOLTAGE, 0));
	assert_null(scmi_evt_find(SCMI_PROTO_CLOCK, 2));
}

/* ---- table sanity -------------------------------------------------------- */
static void upper(char *dst, const char *src, size_t cap)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < cap; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ? src[i] - 'a' + 'A' : src[i];
	dst[i] = '\0';
}

static bool has_prefix(const char *name, const char *pfx)
{
	size_t n = strlen(pfx);

	return !strncmp(name, pfx, n) && (name[n] == '\0' || name[n] == '_');
}

static void test_table_sanity(void **state)
{
	size_t i, j, k;

	(void)state;
	assert_int_equal(scmi_nprotocols, 10);
	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *p = scmi_protocols[i];
		char pfx[16];

		if (i)
			assert_true(scmi_protocols[i - 1]->id < p->id);
		assert_ptr_equal(scmi_proto_find(p->id), p);
		assert_true(p->version >= 0x10000);
		upper(pfx, p->name, sizeof(pfx));
		/* every protocol has the common commands */
		assert_non_null(scmi_cmd_find(p->id, SCMI_PROTOCOL_VERSION));
		assert_non_null(scmi_cmd_find(p->id, SCMI_PROTOCOL_ATTRIBUTES));
		assert_non_null(scmi_cmd_find(p->id, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES));
		assert_non_null(scmi_cmd_find(p->id, SCMI_NEGOTIATE_PROTOCOL_VERSION));
		for (j = 0; j < p->ncmds; j++) {
			const struct scmi_cmd_desc *c = &p->cmds[j];
			size_t fl = scmi_layout_fixed_len(c->req);

			if (j && p->cmds[j - 1].id >= c->id)
				fail_msg("%s: ids not unique and sorted", c->name);
			if (!has_prefix(c->name, pfx))
				fail_msg("%s: not prefixed by %s", c->name, pfx);
			for (k = 0; k < j; k++)
				if (!strcmp(p->cmds[k].name, c->name))
					fail_msg("%s: duplicate name", c->name);
			if (fl == SIZE_MAX || scmi_layout_fixed_len(c->resp) == SIZE_MAX)
				fail_msg("%s: invalid layout", c->name);
			if (fl != c->req_len)
				fail_msg("%s: req_len %u != layout %zu", c->name, c->req_len, fl);
			/* a request has a trailing array iff it is VARLEN */
			if ((scmi_layout_array_elem(c->req) != 0) != !!(c->flags & SCMI_CMD_VARLEN))
				fail_msg("%s: VARLEN flag vs request layout", c->name);
			/* ASYNC iff a delayed response layout exists */
			if (!!(c->flags & SCMI_CMD_ASYNC) != (c->dresp != NULL))
				fail_msg("%s: ASYNC flag vs dresp", c->name);
			if (c->dresp && scmi_layout_fixed_len(c->dresp) == SIZE_MAX)
				fail_msg("%s: invalid dresp layout", c->name);
			/* LIST replies end with an array */
			if ((c->flags & SCMI_CMD_LIST) && !scmi_layout_array_elem(c->resp))
				fail_msg("%s: LIST without trailing array", c->name);
			/* NOTIFY commands carry an enable word */
			if ((c->flags & SCMI_CMD_NOTIFY) && !strstr(c->req, "notify_enable:u32") &&
			    !strstr(c->req, "event_control:u32"))
				fail_msg("%s: NOTIFY without enable word", c->name);
			/* the fixed part of every response fits Linux's default buffer */
			if (scmi_layout_fixed_len(c->resp) > SCMI_LINUX_MSG_SIZE - 8)
				fail_msg("%s: response too large", c->name);
			assert_ptr_equal(scmi_cmd_find(p->id, c->id), c);
			assert_ptr_equal(scmi_cmd_find_name(p, c->name), c);
		}
		for (j = 0; j < p->nevts; j++) {
			const struct scmi_evt_desc *e = &p->evts[j];

			if (j && p->evts[j - 1].id >= e->id)
				fail_msg("%s: event ids not unique and sorted", e->name);
			if (!has_prefix(e->name, pfx))
				fail_msg("%s: not prefixed by %s", e->name, pfx);
			if (scmi_layout_fixed_len(e->payload) == SIZE_MAX)
				fail_msg("%s: invalid payload layout", e->name);
			/* every notification starts with the agent id */
			assert_true(!strncmp(e->payload, "agent_id:u32", 12));
			assert_ptr_equal(scmi_evt_find(p->id, e->id), e);
		}
	}
}

/* ---- lookups --------------------------------------------------------------- */
static void test_lookups(void **state)
{
	const struct scmi_proto_desc *clk = scmi_proto_find_name("clock");

	(void)state;
	assert_non_null(clk);
	assert_int_equal(clk->id, SCMI_PROTO_CLOCK);
	assert_int_equal(clk->version, SCMI_VERSION_CLOCK);
	assert_ptr_equal(scmi_proto_find_name("CLOCK"), clk);
	assert_null(scmi_proto_find_name("clocks"));
	assert_null(scmi_proto_find_name(""));
	assert_null(scmi_proto_find_name(NULL));
	assert_null(scmi_proto_find(0x0f));
	assert_null(scmi_proto_find(0x1a));
	assert_null(scmi_proto_find(0x80));

	assert_int_equal(scmi_cmd_find_name(clk, "CLOCK_RATE_SET")->id, SCMI_CLOCK_RATE_SET);
	assert_int_equal(scmi_cmd_find_name(clk, "rate_set")->id, SCMI_CLOCK_RATE_SET);
	assert_int_equal(scmi_cmd_find_name(clk, "protocol_version")->id, 0);
	assert_null(scmi_cmd_find_name(clk, "RATE"));
	assert_null(scmi_cmd_find_name(clk, "PERF_LEVEL_SET"));
	assert_null(scmi_cmd_find_name(NULL, "RATE_SET"));
	assert_int_equal(scmi_cmd_find_name(scmi_proto_find(SCMI_PROTO_RESET), "RESET")->id,
			 SCMI_RESET);
	assert_null(scmi_cmd_find(0x20, 0));
	assert_null(scmi_cmd_find(SCMI_PROTO_CLOCK, 0x11));
	assert_null(scmi_cmd_find(SCMI_PROTO_CLOCK, 0xff));
	assert_string_equal(scmi_cmd_find(SCMI_PROTO_SENSOR, 6)->name, "SENSOR_READING_GET");
	assert_string_equal(scmi_evt_find(SCMI_PROTO_CLOCK, 1)->name,
			    "CLOCK_RATE_CHANGE_REQUESTED");
	assert_null(scmi_evt_find(0x42, 0));
}

static void test_status_names(void **state)
{
	static const struct { int32_t s; const char *n; } tab[] = {
		{ SCMI_SUCCESS, "SUCCESS" }, { SCMI_NOT_SUPPORTED, "NOT_SUPPORTED" },
		{ SCMI_INVALID_PARAMETERS, "INVALID_PARAMETERS" }, { SCMI_DENIED, "DENIED" },
		{ SCMI_NOT_FOUND, "NOT_FOUND" }, { SCMI_OUT_OF_RANGE, "OUT_OF_RANGE" },
		{ SCMI_BUSY, "BUSY" }, { SCMI_COMMS_ERROR, "COMMS_ERROR" },
		{ SCMI_GENERIC_ERROR, "GENERIC_ERROR" }, { SCMI_HARDWARE_ERROR, "HARDWARE_ERROR" },
		{ SCMI_PROTOCOL_ERROR, "PROTOCOL_ERROR" }, { SCMI_IN_USE, "IN_USE" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		assert_string_equal(scmi_status_name(tab[i].s), tab[i].n);
	assert_string_equal(scmi_status_name(1), "UNKNOWN");
	assert_string_equal(scmi_status_name(-12), "UNKNOWN");
	assert_string_equal(scmi_status_name(-128), "UNKNOWN");
	assert_string_equal(scmi_status_name(INT32_MIN), "UNKNOWN");
	assert_string_equal(scmi_status_name(INT32_MAX), "UNKNOWN");
}

/* ---- request-length check ------------------------------------------------- */
static void test_check_req_len(void **state)
{
	size_t i, j;
	unsigned int id;

	(void)state;
	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *p = scmi_protocols[i];

		for (j = 0; j < p->ncmds; j++) {
			const struct scmi_cmd_desc *c = &p->cmds[j];
			size_t l = c->req_len;

			assert_int_equal(scmi_check_req_len(p->id, c->id, l), SCMI_SUCCESS);
			if (l)
				assert_int_equal(scmi_check_req_len(p->id, c->id, l - 1),
						 SCMI_PROTOCOL_ERROR);
			if (l >= 4)
				assert_int_equal(scmi_check_req_len(p->id, c->id, l - 4),
						 SCMI_PROTOCOL_ERROR);
			assert_int_equal(scmi_check_req_len(p->id, c->id, 0) == SCMI_SUCCESS,
					 l == 0);
			assert_int_equal(scmi_check_req_len(p->id, c->id, SIZE_MAX),
					 SCMI_PROTOCOL_ERROR);
			assert_int_equal(scmi_check_req_len(p->id, c->id, SCMI_MSG_MAX),
					 SCMI_PROTOCOL_ERROR);
			if (c->flags & SCMI_CMD_VARLEN) {
				size_t e = scmi_layout_array_elem(c->req);

				assert_int_equal(scmi_check_req_len(p->id, c->id, l + e),
						 SCMI_SUCCESS);
				assert_int_equal(scmi_check_req_len(p->id, c->id, l + 10 * e),
						 SCMI_SUCCESS);
				if (e > 1)
					assert_int_equal(scmi_check_req_len(p->id, c->id, l + 1),
							 SCMI_PROTOCOL_ERROR);
			} else {
				assert_int_equal(scmi_check_req_len(p->id, c->id, l + 1),
						 SCMI_PROTOCOL_ERROR);
				assert_int_equal(scmi_check_req_len(p->id, c->id, l + 4),
						 SCMI_PROTOCOL_ERROR);
			}
		}
		/* every id that is not in the table is NOT_FOUND, at any length */
		for (id = 0; id < 256; id++) {
			if (scmi_cmd_find(p->id, (uint8_t)id))
				continue;
			assert_int_equal(scmi_check_req_len(p->id, (uint8_t)id, 0), SCMI_NOT_FOUND);
			assert_int_equal(scmi_check_req_len(p->id, (uint8_t)id, 4), SCMI_NOT_FOUND);
		}
	}
	/* unknown protocols */
	for (id = 0; id < 256; id++) {
		if (scmi_proto_find((uint8_t)id))
			continue;
		assert_int_equal(scmi_check_req_len((uint8_t)id, 0, 0), SCMI_NOT_SUPPORTED);
		assert_int_equal(scmi_check_req_len((uint8_t)id, 6, 8), SCMI_NOT_SUPPORTED);
	}
	/* a few from the brief, by name */
	assert_int_equal(scmi_check_req_len(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 8),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(scmi_check_req_len(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 12),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_check_req_len(SCMI_PROTO_PINCTRL,
					    SCMI_PINCTRL_SETTINGS_CONFIGURE, 12 + 2 * 8),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_check_req_len(SCMI_PROTO_PINCTRL,
					    SCMI_PINCTRL_SETTINGS_CONFIGURE, 14),
			 SCMI_PROTOCOL_ERROR);
}

/* ---- layout round trips ---------------------------------------------------- */
#define MAXV 200
#define STRMAX 4096

struct rt_ctx {
	uint64_t vals[MAXV];
	bool is_str[MAXV];
	char strs[8][SCMI_EXT_NAME_LEN];
	uint8_t buf[SCMI_MSG_MAX];
	uint8_t buf2[SCMI_MSG_MAX];
	uint64_t dec[MAXV];
	char strbuf[STRMAX];
};

/* Fill random values for `layout`, with `narr` trailing array elements. */
static size_t fill_random(struct rt_ctx *x, const char *layout, size_t narr)
{
	const char *p = layout;
	size_t n = 0, ns = 0;

	while (*p) {
		const char *colon = strchr(p, ':');
		const char *end = strchr(p, ' ');
		bool arr = colon && colon >= p + 2 && colon[-1] == ']';
		const char *t = colon + 1;
		size_t k, cnt = arr ? narr : 1;

		for (k = 0; k < cnt; k++) {
			uint64_t r = rng();

			x->is_str[n] = false;
			if (!strncmp(t, "u32", 3)) {
				x->vals[n++] = (uint32_t)r;
			} else if (!strncmp(t, "i32", 3)) {
				x->vals[n++] = (uint64_t)(int64_t)(int32_t)r;
			} else if (!strncmp(t, "u64", 3)) {
				x->vals[n++] = r;
			} else if (!strncmp(t, "u16", 3)) {
				x->vals[n++] = (uint16_t)r;
			} else if (!strncmp(t, "u8", 2)) {
				x->vals[n++] = (uint8_t)r;
			} else if (!strncmp(t, "str", 3)) {
				size_t size = t[3] == '1' ? 16 : 64, len = r % size, m;
				char *s = x->strs[ns++ % 8];

				for (m = 0; m < len; m++)
					s[m] = (char)(' ' + (rng() % 95));
				s[len] = '\0';
				x->is_str[n] = true;
				x->vals[n++] = (uint64_t)(uintptr_t)s;
			} else {
				fail_msg("unexpected type in %s", layout);
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

static void roundtrip_layout(struct rt_ctx *x, const char *what, const char *layout,
			     long want_len)
{
	size_t fixed = scmi_layout_fixed_len(layout);
	size_t elem = scmi_layout_array_elem(layout);
	unsigned int iter;

	assert_true(fixed != SIZE_MAX);
	for (iter = 0; iter < 64; iter++) {
		size_t narr = elem ? (size_t)(rng() % ((SCMI_MSG_MAX - 8 - fixed) / elem + 1)) : 0;
		size_t n, k, want;
		int len, nd, len2;

		narr = narr > MAXV - 30 ? MAXV - 30 : narr;
		if (iter == 0)
			narr = 0;
		n = fill_random(x, layout, narr);
		want = fixed + narr * elem;
		len = scmi_layout_encode(layout, x->vals, n, x->buf, sizeof(x->buf));
		if (len < 0 || (size_t)len != want)
			fail_msg("%s: encode of '%s' gave %d, want %zu", what, layout, len, want);
		if (want_len >= 0 && !elem)
			assert_int_equal(len, want_len);
		nd = scmi_layout_decode(layout, x->buf, (size_t)len, x->dec, MAXV, x->strbuf,
					sizeof(x->strbuf));
		if (nd < 0 || (size_t)nd != n)
			fail_msg("%s: decode gave %d values, want %zu", what, nd, n);
		for (k = 0; k < n; k++) {
			/* strings: compare contents; others: values */
			if (x->is_str[k] ? strcmp((const char *)(uintptr_t)x->vals[k],
						  (const char *)(uintptr_t)x->dec[k]) != 0
					 : x->vals[k] != x->dec[k])
				fail_msg("%s: value %zu of '%s' differs", what, k, layout);
		}
		len2 = scmi_layout_encode(layout, x->dec, (size_t)nd, x->buf2, sizeof(x->buf2));
		assert_int_equal(len2, len);
		assert_memory_equal(x->buf, x->buf2, (size_t)len);
		/* strictness: one byte more or less never decodes */
		if (!elem || elem > 1) {
			assert_int_equal(scmi_layout_decode(layout, x->buf, (size_t)len + 1,
							    x->dec, MAXV, x->strbuf,
							    sizeof(x->strbuf)), -1);
			if (len)
				assert_int_equal(scmi_layout_decode(layout, x->buf, (size_t)len - 1,
								    x->dec, MAXV, x->strbuf,
								    sizeof(x->strbuf)), -1);
		}
		if (fixed)
			assert_int_equal(scmi_layout_decode(layout, x->buf, fixed - 1, x->dec, MAXV,
							    x->strbuf, sizeof(x->strbuf)), -1);
		/* encode needs exactly the right value count without an array */
		if (!elem) {
			assert_int_equal(scmi_layout_encode(layout, x->vals, n + 1, x->buf2,
							    sizeof(x->buf2)), -1);
			if (n)
				assert_int_equal(scmi_layout_encode(layout, x->vals, n - 1, x->buf2,
								    sizeof(x->buf2)), -1);
		} else if (fixed) {
			/* fewer values than fixed fields */
			assert_int_equal(scmi_layout_encode(layout, x->vals, 0, x->buf2,
							    sizeof(x->buf2)), -1);
		}
		/* a too small buffer is refused */
		if (len)
			assert_int_equal(scmi_layout_encode(layout, x->vals, n, x->buf2,
							    (size_t)len - 1), -1);
	}
}

static void test_all_commands_roundtrip(void **state)
{
	struct rt_ctx *x = test_malloc(sizeof(*x));
	size_t i, j, count = 0;

	(void)state;
	rng_seed(0x5c31u);
	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *p = scmi_protocols[i];

		for (j = 0; j < p->ncmds; j++) {
			const struct scmi_cmd_desc *c = &p->cmds[j];

			roundtrip_layout(x, c->name, c->req, c->req_len);
			roundtrip_layout(x, c->name, c->resp, -1);
			if (c->dresp)
				roundtrip_layout(x, c->name, c->dresp, -1);
			count++;
		}
	}
	assert_true(count > 100);
	test_free(x);
}

static void test_all_events_roundtrip(void **state)
{
	struct rt_ctx *x = test_malloc(sizeof(*x));
	size_t i, j;

	(void)state;
	rng_seed(0xe7e7u);
	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *p = scmi_protocols[i];

		for (j = 0; j < p->nevts; j++)
			roundtrip_layout(x, p->evts[j].name, p->evts[j].payload, -1);
	}
	test_free(x);
}

/* ---- codec details ----------------------------------------------------------- */
static void test_codec_wire_format(void **state)
{
	const struct scmi_cmd_desc *c = scmi_cmd_find(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET);
	uint64_t v[4] = { 1, 7, 0x1122334455667788ull, 0 };
	uint8_t b[32];
	static const uint8_t want[16] = {
		1, 0, 0, 0, 7, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	};
	uint64_t d[8];
	char sb[128];

	(void)state;
	assert_int_equal(scmi_layout_encode(c->req, v, 3, b, sizeof(b)), 16);
	assert_memory_equal(b, want, 16);

	/* i32 is sign extended on decode and range checked on encode */
	v[0] = (uint64_t)(int64_t)-1000;
	assert_int_equal(scmi_layout_encode("x:i32", v, 1, b, sizeof(b)), 4);
	assert_int_equal(scmi_get_le32(b), 0xfffffc18u);
	assert_int_equal(scmi_layout_decode("x:i32", b, 4, d, 8, NULL, 0), 1);
	assert_true((int64_t)d[0] == -1000);
	v[0] = 0x80000000ull; /* not a sign-extended int32 */
	assert_int_equal(scmi_layout_encode("x:i32", v, 1, b, sizeof(b)), -1);
	v[0] = 0x100000000ull;
	assert_int_equal(scmi_layout_encode("x:u32", v, 1, b, sizeof(b)), -1);
	v[0] = 0x10000;
	assert_int_equal(scmi_layout_encode("a[]:u16", v, 1, b, sizeof(b)), -1);
	v[0] = 0x100;
	assert_int_equal(scmi_layout_encode("a[]:u8", v, 1, b, sizeof(b)), -1);

	/* u16 arrays are packed halfwords */
	v[0] = 5; v[1] = 0xbeef; v[2] = 0x0102;
	assert_int_equal(scmi_layout_encode("f:u32 ids[]:u16", v, 3, b, sizeof(b)), 8);
	assert_int_equal(b[4], 0xef);
	assert_int_equal(b[7], 0x01);
	assert_int_equal(scmi_layout_decode("f:u32 ids[]:u16", b, 6, d, 8, NULL, 0), 2);
	assert_int_equal(scmi_layout_decode("f:u32 ids[]:u16", b, 7, d, 8, NULL, 0), -1);

	/* empty layout: zero bytes, zero values */
	assert_int_equal(scmi_layout_encode("", NULL, 0, b, 0), 0);
	assert_int_equal(scmi_layout_decode("", b, 0, d, 0, sb, sizeof(sb)), 0);
	assert_int_equal(scmi_layout_decode("", b, 4, d, 8, sb, sizeof(sb)), -1);
	(void)sb;
}

static void test_codec_strings(void **state)
{
	uint8_t b[80];
	uint64_t v[2], d[2];
	char sb[80];
	const char *long_name = "0123456789abcdefXYZ";
	size_t i;

	(void)state;
	/* a 16-byte name without NUL decodes to a 16-char, terminated string */
	memcpy(b, "ABCDEFGHIJKLMNOP", 16);
	memset(sb, 'z', sizeof(sb));
	assert_int_equal(scmi_layout_decode("n:str16", b, 16, d, 2, sb, sizeof(sb)), 1);
	assert_string_equal((const char *)(uintptr_t)d[0], "ABCDEFGHIJKLMNOP");
	/* ... but needs room for the terminator */
	assert_int_equal(scmi_layout_decode("n:str16", b, 16, d, 2, sb, 16), -1);
	assert_int_equal(scmi_layout_decode("n:str16", b, 16, d, 2, sb, 17), 1);
	assert_int_equal(scmi_layout_decode("n:str16", b, 16, d, 2, NULL, 0), -1);

	/* encode always NUL-terminates: long strings are cut at size-1 */
	v[0] = (uint64_t)(uintptr_t)long_name;
	memset(b, 0xaa, sizeof(b));
	assert_int_equal(scmi_layout_encode("n:str16", v, 1, b, sizeof(b)), 16);
	assert_memory_equal(b, long_name, 15);
	assert_int_equal(b[15], 0);
	assert_int_equal(b[16], 0xaa);
	/* short strings are NUL padded to the field size */
	v[0] = (uint64_t)(uintptr_t)"ab";
	v[1] = 9;
	memset(b, 0xaa, sizeof(b));
	assert_int_equal(scmi_layout_encode("n:str64 x:u32", v, 2, b, sizeof(b)), 68);
	for (i = 2; i < 64; i++)
		assert_int_equal(b[i], 0);
	assert_int_equal(scmi_get_le32(b + 64), 9);
	/* a NULL string pointer is refused */
	v[0] = 0;
	assert_int_equal(scmi_layout_encode("n:str16", v, 1, b, sizeof(b)), -1);
}

static void test_codec_bad_layouts(void **state)
{
	static const char *const bad[] = {
		"x", "x:", ":u32", "x:u31", "X:u32", "x:u32 ", " x:u32", "x:u32  y:u32",
		"a[]:u32 b:u32", "a[]:u32 b[]:u32", "a[]:str16", "a[]:u64", "a[]:i32",
		"x:u16", "x:u8", "a[:u32", "a]:u32", "x-y:u32", "x:u32,y:u32", "x:str32",
	};
	uint64_t v[4] = { 0, 0, 0, 0 };
	uint8_t b[64];
	uint64_t d[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (scmi_layout_fixed_len(bad[i]) != SIZE_MAX)
			fail_msg("layout '%s' accepted", bad[i]);
		assert_int_equal(scmi_layout_array_elem(bad[i]), 0);
		assert_int_equal(scmi_layout_encode(bad[i], v, 1, b, sizeof(b)), -1);
		assert_int_equal(scmi_layout_decode(bad[i], b, 4, d, 4, NULL, 0), -1);
	}
	assert_int_equal(scmi_layout_fixed_len(NULL), SIZE_MAX);
	assert_int_equal(scmi_layout_fixed_len("a:u32 b:u64 c:str16 d:str64 e:i32 f[]:u8"),
			 4 + 8 + 16 + 64 + 4);
	assert_int_equal(scmi_layout_array_elem("a:u32 f[]:u8"), 1);
	assert_int_equal(scmi_layout_array_elem("a:u32"), 0);
	/* decode refuses when the caller's value array is too small */
	memset(b, 0, sizeof(b));
	assert_int_equal(scmi_layout_decode("a:u32 b:u32", b, 8, d, 1, NULL, 0), -1);
	assert_int_equal(scmi_layout_decode("a:u32 r[]:u32", b, 20, d, 4, NULL, 0), -1);
	assert_int_equal(scmi_layout_decode("a:u32 r[]:u32", b, 16, d, 4, NULL, 0), 4);
}

/* ---- docs/protocol.md lists exactly the tables ----------------------------- */
static void test_docs_match_tables(void **state)
{
	static char doc[96 * 1024];
	char row[128];
	const char *tables, *q;
	size_t len, i, j, rows = 0, want = 0;
	FILE *f = fopen("docs/protocol.md", "r");

	(void)state;
	if (!f)
		skip(); /* run from the repository root (make check) */
	len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	assert_true(len < sizeof(doc) - 1);
	doc[len] = '\0';
	tables = strstr(doc, "\n## Command tables");
	assert_non_null(tables);
	for (i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *p = scmi_protocols[i];

		for (j = 0; j < p->ncmds; j++) {
			const struct scmi_cmd_desc *c = &p->cmds[j];
			char *end;
			unsigned long bytes;

			snprintf(row, sizeof(row), "\n| 0x%x | %s | ", c->id, c->name);
			q = strstr(tables, row);
			if (!q)
				fail_msg("docs/protocol.md: no row for %s", c->name);
			/* skip the request column to the bytes column */
			q = strchr(q + strlen(row), '|');
			assert_non_null(q);
			bytes = strtoul(q + 1, &end, 10);
			if (bytes != c->req_len || (*end == '+') != !!(c->flags & SCMI_CMD_VARLEN))
				fail_msg("docs/protocol.md: %s bytes differ", c->name);
			want++;
		}
		for (j = 0; j < p->nevts; j++) {
			snprintf(row, sizeof(row), "\n| 0x%x | %s | `%s` |", p->evts[j].id,
				 p->evts[j].name, p->evts[j].payload);
			if (!strstr(tables, row))
				fail_msg("docs/protocol.md: no row for %s", p->evts[j].name);
			want++;
		}
	}
	for (q = tables; (q = strstr(q, "\n| 0x")); q++)
		rows++;
	assert_int_equal(rows, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_all_fields),
		cmocka_unit_test(test_hdr_token_wrap),
		cmocka_unit_test(test_hdr_reserved_and_setters),
		cmocka_unit_test(test_le_helpers),
		cmocka_unit_test(test_tables_match_spec_list),
		cmocka_unit_test(test_req_upgrade_legacy),
		cmocka_unit_test(test_table_sanity),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_check_req_len),
		cmocka_unit_test(test_all_commands_roundtrip),
		cmocka_unit_test(test_all_events_roundtrip),
		cmocka_unit_test(test_codec_wire_format),
		cmocka_unit_test(test_codec_strings),
		cmocka_unit_test(test_codec_bad_layouts),
		cmocka_unit_test(test_docs_match_tables),
	};

	return cmocka_run_group_tests_name("scmi_msg", tests, NULL, NULL);
}
