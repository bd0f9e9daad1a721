// SPDX-License-Identifier: GPL-2.0-only
/* Embedded platform core: header validation, dispatch order, agents,
 * P2A queues and time, faults, counters and dumps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "tests/support/plat_harness.h"

#define B SCMI_PROTO_BASE
#define PW SCMI_PROTO_POWER
#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF

static const char cfg[] =
	"agents = [ \"name=a1,trusted=1\", \"name=a2,protocols=power\" ]\n"
	"power_domains = [ \"name=p0\", \"name=p1,async=1\" ]\n";

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

static int32_t raw_hdr(struct ph *h, unsigned agent, uint32_t hdr)
{
	uint8_t m[4];

	scmi_put_le32(m, hdr);
	return ph_raw(h, agent, m, 4);
}

static void test_header_validation(void **state)
{
	struct ph *h = *state;
	uint32_t good = scmi_hdr(B, SCMI_PROTOCOL_VERSION, 0, 5);

	assert_int_equal(raw_hdr(h, 1, good), SCMI_SUCCESS);
	assert_int_equal(h->resp_len, 12);
	for (unsigned bit = 28; bit < 32; bit++)
		assert_int_equal(raw_hdr(h, 1, good | 1u << bit), SCMI_PROTOCOL_ERROR);
	for (uint8_t t = 1; t < 4; t++)
		assert_int_equal(raw_hdr(h, 1, scmi_hdr_set_type(good, t)), SCMI_PROTOCOL_ERROR);
	/* shorter than a header: PROTOCOL_ERROR with a zero header */
	assert_int_equal(ph_raw(h, 1, "\x00\x40", 2), SCMI_PROTOCOL_ERROR);
	assert_int_equal(h->resp_len, 8);
	assert_int_equal(scmi_get_le32(h->resp), 0);
	assert_int_equal(ph_raw(h, 1, "", 0), SCMI_PROTOCOL_ERROR);
	/* token is echoed whatever its value */
	for (uint16_t tok = 0; tok < 1024; tok += 341)
		assert_int_equal(raw_hdr(h, 1, scmi_hdr_set_token(good, tok)), SCMI_SUCCESS);
}

static void test_dispatch_order(void **state)
{
	struct ph *h = *state;

	/* unknown protocols */
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(0x0f, 0, 0, 0)), SCMI_NOT_SUPPORTED);
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(0x55, 0, 0, 0)), SCMI_NOT_SUPPORTED);
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(0xff, 0, 0, 0)), SCMI_NOT_SUPPORTED);
	/* known but not implemented by this platform */
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(SCMI_PROTO_CLOCK, 0, 0, 0)), SCMI_NOT_SUPPORTED);
	/* implemented but not allowed for a2 */
	assert_int_equal(raw_hdr(h, 2, scmi_hdr(SCMI_PROTO_SYSTEM, 0, 0, 0)), SCMI_NOT_SUPPORTED);
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(SCMI_PROTO_SYSTEM, 0, 0, 0)), SCMI_SUCCESS);
	/* BASE is always allowed */
	assert_int_equal(raw_hdr(h, 2, scmi_hdr(B, 0, 0, 0)), SCMI_SUCCESS);
	/* unknown message ids: NOT_FOUND before any length check */
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(PW, 7, 0, 0)), SCMI_NOT_FOUND);
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(PW, 0x1f, 0, 0)), SCMI_NOT_FOUND);
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(PW, 0xff, 0, 0)), SCMI_NOT_FOUND);
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(B, 0xc, 0, 0)), SCMI_NOT_FOUND);
	/* reserved bits beat everything */
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(0x55, 0xff, 0, 0) | 1u << 31),
			 SCMI_PROTOCOL_ERROR);
	/* wrong length of a known command */
	assert_int_equal(raw_hdr(h, 1, scmi_hdr(PW, SCMI_POWER_STATE_GET, 0, 0)),
			 SCMI_PROTOCOL_ERROR);
	/* a request length that is not a whole number of words */
	assert_int_equal(ph_raw(h, 1, "\x05\x44\x00\x00\x00\x00\x00", 7), SCMI_PROTOCOL_ERROR);
}

/*
 * Every command of every table, on the reference platform (every protocol
 * enabled), with a payload one word shorter (when it has one) and one word
 * longer than the table's length: PROTOCOL_ERROR, and nothing changes (the
 * physical state dump is the same before and after). A VARLEN command's
 * length is a minimum: only shorter is wrong.
 */
static char *dump_state(const struct scmi_platform *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	plat_dump_state(p, f, true);
	fclose(f);
	/* the per-agent command counters move, of course: blank them */
	for (char *c = strstr(buf, "\"commands\":"); c; c = strstr(c, "\"commands\":")) {
		char *e = c += 11;

		while (*e >= '0' && *e <= '9')
			e++;
		memmove(c, e, strlen(e) + 1);
	}
	return buf;
}

static void test_every_command_length(void **state)
{
	struct ph *h = ph_new_file("config/platforms/reference.cfg");
	uint32_t zero[SCMI_MSG_MAX / 4] = { 0 };
	char *before = dump_state(h->p), *after;
	unsigned checked = 0;

	(void)state;
	for (size_t i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *pd = scmi_protocols[i];

		for (size_t k = 0; k < pd->ncmds; k++) {
			const struct scmi_cmd_desc *c = &pd->cmds[k];
			unsigned words = c->req_len / 4;

			if (words > 0) {
				if (ph_callv(h, 1, pd->id, c->id, zero, words - 1, NULL, NULL) !=
				    SCMI_PROTOCOL_ERROR)
					fail_msg("%s with %u bytes: not PROTOCOL_ERROR", c->name,
						 4 * (words - 1));
				checked++;
			}
			if (!(c->flags & SCMI_CMD_VARLEN)) {
				if (ph_callv(h, 1, pd->id, c->id, zero, words + 1, NULL, NULL) !=
				    SCMI_PROTOCOL_ERROR)
					fail_msg("%s with %u bytes: not PROTOCOL_ERROR", c->name,
						 4 * (words + 1));
				checked++;
			}
		}
	}
	assert_true(checked > 200);
	after = dump_state(h->p);
	if (strcmp(before, after)) {
		size_t d = 0;

		while (before[d] == after[d])
			d++;
		d = d > 60 ? d - 60 : 0;
		fail_msg("state changed by rejected requests:\n  before ...%.160s\n  after  ...%.160s",
			 before + d, after + d);
	}
	free(before);
	free(after);
	ph_free(h);
}

static void test_bad_agent(void **state)
{
	struct ph *h = *state;
	uint8_t m[4], resp[16];
	struct plat_reply r;

	scmi_put_le32(m, scmi_hdr(B, 0, 0, 0));
	plat_handle(h->p, 0, m, 4, resp, sizeof(resp), &r);
	assert_int_equal(r.len, 0);
	assert_true(r.channel_error);
	plat_handle(h->p, 3, m, 4, resp, sizeof(resp), &r);
	assert_int_equal(r.len, 0);
	assert_true(r.channel_error);
	plat_handle(h->p, 1, m, 4, resp, 4, &r);        /* no room for a status */
	assert_int_equal(r.len, 0);
	assert_int_equal(plat_num_agents(h->p), 2);
	assert_int_equal(plat_commands_received(h->p, 1), 0);
	assert_int_equal(plat_commands_received(h->p, 3), 0);
	assert_int_equal(plat_p2a_pop(h->p, 9, resp, sizeof(resp)), 0);
	assert_int_equal(plat_p2a_pending(h->p, 0), 0);
}

static void test_counters(void **state)
{
	struct ph *h = *state;

	assert_int_equal(plat_commands_received(h->p, 1), 0);
	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_VERSION, NULL, NULL), SCMI_SUCCESS);
	assert_int_equal(raw_hdr(h, 1, 0xffffffff), SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 2, B, SCMI_PROTOCOL_VERSION, NULL, NULL), SCMI_SUCCESS);
	assert_int_equal(plat_commands_received(h->p, 1), 2);
	assert_int_equal(plat_commands_received(h->p, 2), 1);
}

static void test_reply_fits(void **state)
{
	struct ph *h = *state;

	ph_set_cap(h, 8);
	assert_int_equal(ph_call(h, 1, B, SCMI_PROTOCOL_VERSION, NULL, NULL),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);     /* no return values: fits */
	assert_int_equal(h->resp_len, 8);
	ph_set_cap(h, 20);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_VENDOR, NULL, NULL),
			 SCMI_PROTOCOL_ERROR);
	ph_set_cap(h, 24);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_DISCOVER_VENDOR, NULL, NULL), SCMI_SUCCESS);
	assert_int_equal(h->resp_len, 24);
}

/* Notifications beyond PLAT_P2A_MAX are dropped and counted. */
static void test_p2a_bound(void **state)
{
	struct ph *h = *state;
	unsigned toggles = PLAT_P2A_MAX + 10;
	uint32_t hdr, w[4];
	unsigned n = 4;

	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	for (unsigned i = 0; i < toggles; i++)
		assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0,
					 i % 2 ? OFF : ON), SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 2), PLAT_P2A_MAX);
	assert_int_equal(plat_p2a_dropped(h->p, 2), toggles - PLAT_P2A_MAX);
	assert_int_equal(plat_p2a_dropped(h->p, 1), 0);
	/* the oldest are kept, in order */
	for (unsigned i = 0; i < PLAT_P2A_MAX; i++) {
		n = 4;
		assert_int_equal(ph_pop(h, 2, &hdr, w, &n), 16);
		assert_int_equal(w[2], i % 2 ? OFF : ON);
	}
	assert_int_equal(ph_pop(h, 2, &hdr, w, &n), 0);
}

/* Timed events: delayed messages come out in deadline order, then FIFO. */
static void test_time_ordering(void **state)
{
	struct ph *h = *state;
	uint32_t hdr, w[4];
	unsigned n = 4;

	assert_int_equal(plat_time(h->p), 0);
	assert_int_equal(plat_next_deadline(h->p), UINT64_MAX);
	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 1, 1),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	/* async change of p1 at t+100us, then a sync change of p0 now */
	plat_set_time(h->p, 1000);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 1, 1, ON),
			 SCMI_SUCCESS);
	assert_int_equal(plat_next_deadline(h->p), 1000 + 100000);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
	assert_int_equal(plat_p2a_pending(h->p, 1), 1);
	/* time never goes back */
	plat_set_time(h->p, 10);
	assert_int_equal(plat_time(h->p), 1000);
	plat_set_time(h->p, 100999);
	assert_int_equal(plat_p2a_pending(h->p, 1), 1);
	plat_set_time(h->p, 500000);
	assert_int_equal(plat_time(h->p), 500000);
	assert_int_equal(plat_p2a_pending(h->p, 1), 2);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 16);
	assert_int_equal(w[1], 0);
	n = 4;
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 16);
	assert_int_equal(w[1], 1);
	/* two async requests complete in request order */
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 1, 1, OFF),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 1, 1, ON),
			 SCMI_SUCCESS);
	ph_advance(h, 100000);
	n = 4;
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 16);
	assert_int_equal(w[2], OFF);
	n = 4;
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 16);
	assert_int_equal(w[2], ON);
	assert_int_equal(ph_pop(h, 1, &hdr, w, &n), 0);
}

static void test_p2a_truncation(void **state)
{
	struct ph *h = *state;
	uint8_t buf[8];

	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(plat_p2a_pop(h->p, 1, buf, sizeof(buf)), 8);
	assert_int_equal(scmi_get_le32(buf),
			 scmi_hdr(PW, SCMI_POWER_STATE_CHANGED, SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
}

static void test_faults(void **state)
{
	struct ph *h = *state;
	struct plat_faults f = { .latency_ns = 5000, .drop_replies = 1 };
	uint32_t hdr = scmi_hdr(B, SCMI_PROTOCOL_VERSION, 0, 9);

	plat_set_faults(h->p, &f);
	/* dropped, but executed and counted */
	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 INT32_MIN);
	assert_int_equal(h->reply.len, 0);
	struct plat_power_state ps;

	assert_int_equal(plat_power_state(h->p, 0, &ps), 0);
	assert_int_equal(ps.state, ON);
	assert_int_equal(plat_commands_received(h->p, 1), 1);
	/* latency stays on */
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
	assert_int_equal(h->reply.delay_ns, 5000);
	assert_false(h->reply.channel_error);

	/* corrupt header once */
	h->check = false;
	f = (struct plat_faults){ .corrupt_hdr = 1, .channel_error = 1 };
	plat_set_faults(h->p, &f);
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
	assert_int_not_equal(scmi_get_le32(h->resp), hdr);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(h->resp)), 0);
	assert_true(h->reply.channel_error);
	assert_int_equal(h->reply.delay_ns, 0);
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(h->resp), hdr);
	assert_false(h->reply.channel_error);

	/* oversize claims more than the buffer */
	f = (struct plat_faults){ .oversize = 2 };
	plat_set_faults(h->p, &f);
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
	assert_true(h->reply.len > h->resp_cap);
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
	assert_true(h->reply.len > h->resp_cap);
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
	assert_int_equal(h->reply.len, 12);
	/* clear */
	f = (struct plat_faults){ .drop_replies = 5 };
	plat_set_faults(h->p, &f);
	plat_set_faults(h->p, NULL);
	h->check = true;
	assert_int_equal(raw_hdr(h, 1, hdr), SCMI_SUCCESS);
}

static void test_dump(void **state)
{
	struct ph *h = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(ph_call(h, 2, B, SCMI_BASE_NOTIFY_ERRORS, NULL, NULL, 1), SCMI_SUCCESS);
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "platform scmi-mediator/reference impl 0x00010000 time 0 ns"));
	assert_non_null(strstr(buf, "agent 2 a2: protocols 0x003 commands 1"));
	assert_non_null(strstr(buf, "base: error notifications to agents: 2\n"));
	assert_non_null(strstr(buf, "system: running"));
	free(buf);
	f = open_memstream(&buf, &len);
	plat_dump_state(h->p, f, true);
	fclose(f);
	assert_true(strncmp(buf, "{\"time_ns\":0,\"agents\":[{\"id\":1,\"name\":\"a1\"", 40) == 0);
	assert_non_null(strstr(buf, "\"base\":{\"notify_errors\":[false,true]}"));
	assert_non_null(strstr(buf, ",\"power\":["));
	assert_non_null(strstr(buf, ",\"system\":{"));
	assert_string_equal(buf + strlen(buf) - 2, "}\n");
	free(buf);
}

static void test_reset(void **state)
{
	struct ph *h = *state;
	struct plat_faults f = { .latency_ns = 7 };
	struct plat_power_state ps;

	assert_int_equal(ph_call(h, 1, PW, SCMI_POWER_STATE_NOTIFY, NULL, NULL, 0, 1),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 1, 1, ON),
			 SCMI_SUCCESS);
	assert_int_equal(ph_call(h, 1, B, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, NULL, NULL,
				 2, 0, PW, 0), SCMI_NOT_FOUND);     /* no devices here */
	plat_set_faults(h->p, &f);
	plat_set_time(h->p, 5000);
	assert_int_equal(plat_p2a_pending(h->p, 1), 1);
	assert_int_equal(plat_reset(h->p), 0);
	assert_int_equal(plat_time(h->p), 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	assert_int_equal(plat_next_deadline(h->p), UINT64_MAX);
	assert_int_equal(plat_commands_received(h->p, 2), 0);
	assert_int_equal(plat_power_state(h->p, 0, &ps), 0);
	assert_int_equal(ps.state, OFF);
	/* faults are off, subscriptions gone */
	assert_int_equal(ph_call(h, 2, PW, SCMI_POWER_STATE_SET, NULL, NULL, 0, 0, ON),
			 SCMI_SUCCESS);
	assert_int_equal(h->reply.delay_ns, 0);
	assert_int_equal(plat_p2a_pending(h->p, 1), 0);
	plat_set_time(h->p, 1000000);
	assert_int_equal(plat_power_state(h->p, 1, &ps), 0);
	assert_int_equal(ps.state, OFF);     /* the async request died with the reset */
}

static void test_desc_access(void **state)
{
	struct ph *h = *state;
	const struct plat_desc *d = plat_desc(h->p);

	assert_int_equal(d->nagents, 2);
	assert_int_equal(d->npower, 2);
	/* the platform owns a copy: freeing the caller's description is fine */
	assert_ptr_not_equal(d, h->desc);
	assert_null(plat_new(NULL));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_header_validation),
		T(test_dispatch_order),
		T(test_every_command_length),
		T(test_bad_agent),
		T(test_counters),
		T(test_reply_fits),
		T(test_p2a_bound),
		T(test_time_ordering),
		T(test_p2a_truncation),
		T(test_faults),
		T(test_dump),
		T(test_reset),
		T(test_desc_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
