// SPDX-License-Identifier: GPL-2.0-only
/* Agent: validation, per-guest BASE answers from the cache, forwarding
 * with the guest's header, reset, filter hooks, draining. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/agent.h"
#include "mediator/base_cache.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "tests/support/fake_backend.h"

struct done {
	uint32_t cookie;
	size_t len;
	uint8_t r[SCMI_MSG_MAX];
};

struct env {
	struct ev_loop *loop;
	struct fake_backend *f;
	struct dispatcher *d;
	struct base_cache *bc;
	struct agent *a;
	struct done done[64];
	unsigned ndone;
	struct done ev[16];
	unsigned nev;
	int event_rc;
};

static void out_complete(void *opaque, uint32_t cookie, const uint8_t *r, size_t len)
{
	struct env *e = opaque;
	struct done *d = &e->done[e->ndone++];

	d->cookie = cookie;
	d->len = len;
	memcpy(d->r, r, len);
}

static int out_event(void *opaque, const uint8_t *m, size_t len)
{
	struct env *e = opaque;

	if (e->event_rc < 0)
		return e->event_rc;
	e->ev[e->nev].len = len;
	memcpy(e->ev[e->nev++].r, m, len);
	return 0;
}

static const struct agent_out_ops out_ops = { .complete = out_complete, .event = out_event };

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	struct agent_config cfg = { .name = "guest1", .chan = 0, .agent_id = 1, .num_agents = 1 };

	e->loop = ev_loop_new();
	e->f = fake_be_new(e->loop, 1);
	e->d = disp_new(e->loop, &e->f->b, NULL);
	e->bc = base_cache_new(e->d, 0);
	e->a = agent_new(e->loop, e->d, e->bc, &cfg, &out_ops, e);
	assert_non_null(e->a);
	return e;
}

static void env_free(struct env *e)
{
	agent_free(e->a);
	base_cache_free(e->bc);
	disp_free(e->d);
	scmi_backend_destroy(&e->f->b);
	ev_loop_free(e->loop);
	free(e);
}

static void spin(struct env *e)
{
	int i;

	for (i = 0; i < 5; i++)
		ev_loop_run_once(e->loop, 0);
}

static void cmd(struct env *e, uint32_t cookie, uint8_t proto, uint8_t id, uint16_t tok,
		const uint32_t *args, unsigned n, size_t resp_max)
{
	uint8_t m[64];
	unsigned i;

	scmi_put_le32(m, scmi_hdr(proto, id, 0, tok));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	agent_dev_ops.command(e->a, cookie, m, 4 + 4 * n, resp_max);
}

static int32_t status_of(const struct done *d)
{
	return (int32_t)scmi_get_le32(d->r + 4);
}

/* Answer the BASE queries the cache makes, in order. */
static void answer_base_queries(struct env *e)
{
	uint32_t v;
	uint32_t name[4];
	unsigned first = e->f->nsent - 1;

	v = 0x20001;
	fake_be_reply(e->f, first, SCMI_SUCCESS, &v, 1);
	v = 3 | (4 << 8);
	fake_be_reply(e->f, first + 1, SCMI_SUCCESS, &v, 1);
	memset(name, 0, sizeof(name));
	memcpy(name, "ACME", 4);
	fake_be_reply(e->f, first + 2, SCMI_SUCCESS, name, 4);
	memcpy(name, "Lab", 4);
	fake_be_reply(e->f, first + 3, SCMI_SUCCESS, name, 4);
	v = 0x107;
	fake_be_reply(e->f, first + 4, SCMI_SUCCESS, &v, 1);
	{
		uint32_t l[2] = { 3, 0x141311 };

		fake_be_reply(e->f, first + 5, SCMI_SUCCESS, l, 2);
	}
	assert_int_equal(e->f->nsent, first + 6);
	assert_int_equal(scmi_get_le32(e->f->sent[first + 5].msg + 4), 0); /* skip */
}

static void test_base_local(void **state)
{
	struct env *e = env_new();
	uint32_t arg;
	const struct done *d;

	/* the first BASE command triggers the discovery queries */
	cmd(e, 1, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, 3, NULL, 0, 136);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(agent_inflight(e->a), 1);
	answer_base_queries(e);
	spin(e);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(e->done[0].cookie, 1);
	assert_int_equal(scmi_get_le32(e->done[0].r), scmi_hdr(SCMI_PROTO_BASE, 0, 0, 3));
	assert_int_equal(scmi_get_le32(e->done[0].r + 8), 0x20001);

	cmd(e, 2, SCMI_PROTO_BASE, SCMI_PROTOCOL_ATTRIBUTES, 4, NULL, 0, 136);
	arg = SCMI_BASE_AGENT_ID_OWN;
	cmd(e, 3, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 5, &arg, 1, 136);
	arg = 0;
	cmd(e, 4, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 6, &arg, 1, 136);
	arg = 2;
	cmd(e, 5, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 7, &arg, 1, 136);
	cmd(e, 6, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, 8, NULL, 0, 136);
	arg = 1;
	cmd(e, 7, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 9, &arg, 1, 136);
	{
		uint32_t p[3] = { 1, 2, 1 };

		cmd(e, 8, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 10, p, 3, 136);
	}
	arg = 4;
	cmd(e, 9, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 11, &arg, 1, 136);
	/* nothing is answered from inside command() */
	assert_int_equal(e->ndone, 1);
	spin(e);
	assert_int_equal(e->ndone, 9);
	d = &e->done[1];
	assert_int_equal(scmi_get_le32(d->r + 8), 3 | (1 << 8)); /* 3 protocols, 1 agent */
	d = &e->done[2];
	assert_int_equal(d->len, 8 + 4 + 16);
	assert_int_equal(scmi_get_le32(d->r + 8), 1);
	assert_string_equal((const char *)d->r + 12, "guest1");
	d = &e->done[3];
	assert_int_equal(scmi_get_le32(d->r + 8), 0);
	assert_string_equal((const char *)d->r + 12, "platform");
	assert_int_equal(status_of(&e->done[4]), SCMI_NOT_FOUND);
	assert_int_equal(e->done[4].len, 8);
	assert_string_equal((const char *)e->done[5].r + 8, "ACME");
	d = &e->done[6];
	assert_int_equal(scmi_get_le32(d->r + 8), 2);
	assert_int_equal(d->r[12], 0x13);
	assert_int_equal(d->r[13], 0x14);
	assert_int_equal(d->len, 16);
	assert_int_equal(status_of(&e->done[7]), SCMI_DENIED);
	assert_int_equal(status_of(&e->done[8]), SCMI_INVALID_PARAMETERS);
	/* none of it reached the platform */
	assert_int_equal(e->f->nsent, 6);
	assert_int_equal(agent_stats(e->a)->local, 9);
	env_free(e);
}

static void test_base_platform_down(void **state)
{
	struct env *e = env_new();

	log_set_level(LOG_LVL_ERROR + 0);
	cmd(e, 1, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, 3, NULL, 0, 136);
	fake_be_reply(e->f, 0, SCMI_GENERIC_ERROR, NULL, 0);
	spin(e);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(status_of(&e->done[0]), SCMI_COMMS_ERROR);
	/* a later command retries */
	cmd(e, 2, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, 3, NULL, 0, 136);
	assert_int_equal(e->f->nsent, 2);
	answer_base_queries(e);
	spin(e);
	assert_int_equal(status_of(&e->done[1]), SCMI_SUCCESS);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

static void test_validation(void **state)
{
	struct env *e = env_new();
	uint8_t m[8];
	uint32_t id = 0;

	log_set_level(LOG_LVL_ERROR);
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, 1) | 0x10000000u);
	scmi_put_le32(m + 4, 0);
	agent_command(e->a, 1, m, 8, 136);
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, SCMI_MSG_DELAYED_RESP, 1));
	agent_command(e->a, 2, m, 8, 136);
	/* wrong length */
	cmd(e, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, NULL, 0, 136);
	/* unknown message */
	cmd(e, 4, SCMI_PROTO_CLOCK, 0x7f, 1, &id, 1, 136);
	spin(e);
	assert_int_equal(e->ndone, 4);
	assert_int_equal(status_of(&e->done[0]), SCMI_PROTOCOL_ERROR);
	assert_int_equal(status_of(&e->done[1]), SCMI_PROTOCOL_ERROR);
	assert_int_equal(status_of(&e->done[2]), SCMI_PROTOCOL_ERROR);
	assert_int_equal(status_of(&e->done[3]), SCMI_NOT_FOUND);
	assert_int_equal(e->done[3].len, 8);
	assert_int_equal(e->f->nsent, 0);
	assert_int_equal(agent_stats(e->a)->rejected, 4);
	assert_int_equal(agent_stats(e->a)->errors, 4);
	log_set_level(LOG_LVL_INFO);
	env_free(e);
}

/* Linux <= 6.6 sends CLOCK_CONFIG_SET without oem_config_val (8 bytes): it
 * reaches the platform zero-extended to the current 12-byte layout; other
 * short lengths stay PROTOCOL_ERROR. */
static void test_legacy_clock_config_set(void **state)
{
	struct env *e = env_new();
	uint32_t args[3] = { 3, 1, 0 };

	cmd(e, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 5, args, 2, 136);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(e->f->sent[0].len, 16);
	assert_int_equal(scmi_get_le32(e->f->sent[0].msg + 4), 3);
	assert_int_equal(scmi_get_le32(e->f->sent[0].msg + 8), 1);
	assert_int_equal(scmi_get_le32(e->f->sent[0].msg + 12), 0);
	assert_int_equal(agent_stats(e->a)->legacy, 1);
	/* the current layout passes unchanged and is not counted */
	args[2] = 0;
	cmd(e, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 6, args, 3, 136);
	assert_int_equal(e->f->nsent, 2);
	assert_int_equal(e->f->sent[1].len, 16);
	assert_int_equal(agent_stats(e->a)->legacy, 1);
	/* 4 bytes is no known layout */
	log_set_level(LOG_LVL_ERROR);
	cmd(e, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 7, args, 1, 136);
	log_set_level(LOG_LVL_INFO);
	spin(e);
	assert_int_equal(e->f->nsent, 2);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(status_of(&e->done[0]), SCMI_PROTOCOL_ERROR);
	env_free(e);
}

static void test_forward_and_reset(void **state)
{
	struct env *e = env_new();
	uint32_t id = 2, rate[2] = { 1000, 0 };

	cmd(e, 10, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 77, &id, 1, 136);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(scmi_get_le32(e->f->sent[0].msg + 4), 2);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, rate, 2);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(e->done[0].cookie, 10);
	assert_int_equal(scmi_hdr_token(scmi_get_le32(e->done[0].r)), 77);
	assert_int_equal(e->done[0].len, 16);
	assert_int_equal(scmi_get_le32(e->done[0].r + 8), 1000);
	/* reset with a command at the platform: its reply is discarded */
	cmd(e, 11, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 78, &id, 1, 136);
	assert_int_equal(agent_inflight(e->a), 1);
	agent_dev_ops.reset(e->a);
	assert_int_equal(agent_inflight(e->a), 0);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, rate, 2);
	spin(e);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(agent_stats(e->a)->resets, 1);
	/* and the agent keeps working */
	cmd(e, 12, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 78, &id, 1, 136);
	fake_be_reply(e->f, 2, SCMI_SUCCESS, rate, 2);
	assert_int_equal(e->ndone, 2);
	assert_int_equal(e->done[1].cookie, 12);
	env_free(e);
}

/* NEGOTIATE of a non-BASE protocol never reaches the platform: it is asked
 * as PROTOCOL_VERSION and answered for this guest (no filter needed). */
static void test_negotiate_local(void **state)
{
	struct env *e = env_new();
	uint32_t v = 0x40000, want = 0x30000, lv[1 + 2 * 5] = { 2, 300, 60, 150, 300000, 0,
								 600, 140, 150, 600000, 1 };

	(void)state;
	cmd(e, 1, SCMI_PROTO_PERF, SCMI_NEGOTIATE_PROTOCOL_VERSION, 9, &want, 1, 136);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(scmi_hdr_msg_id(fake_be_hdr(e->f, 0)), SCMI_PROTOCOL_VERSION);
	assert_int_equal(e->f->sent[0].len, 4);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, &v, 1);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(e->done[0].len, 8);
	assert_int_equal(status_of(&e->done[0]), SCMI_SUCCESS);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(e->done[0].r)),
			 SCMI_NEGOTIATE_PROTOCOL_VERSION);
	assert_int_equal(scmi_hdr_token(scmi_get_le32(e->done[0].r)), 9);
	/* v4 levels from the platform reach the guest as v3 entries */
	want = 0;
	{
		uint32_t a2[2] = { 0, 0 };

		cmd(e, 2, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 10, a2, 2, 136);
	}
	fake_be_reply(e->f, 1, SCMI_SUCCESS, lv, 11);
	assert_int_equal(e->ndone, 2);
	assert_int_equal(e->done[1].len, 12 + 2 * 12);
	assert_int_equal(scmi_get_le32(e->done[1].r + 12 + 12), 600);
	assert_int_equal(scmi_get_le32(e->done[1].r + 12 + 20), 150);
	/* a version the mediator cannot present */
	want = 0x20000;
	cmd(e, 3, SCMI_PROTO_PERF, SCMI_NEGOTIATE_PROTOCOL_VERSION, 11, &want, 1, 136);
	fake_be_reply(e->f, 2, SCMI_SUCCESS, &v, 1);
	assert_int_equal(status_of(&e->done[2]), SCMI_NOT_SUPPORTED);
	for (unsigned i = 0; i < e->f->nsent; i++)
		assert_int_not_equal(scmi_hdr_msg_id(fake_be_hdr(e->f, i)),
				     SCMI_NEGOTIATE_PROTOCOL_VERSION);
	env_free(e);
}

static void test_delayed_to_guest(void **state)
{
	struct env *e = env_new();
	uint32_t args[4] = { 1, 2, 5000, 0 };

	cmd(e, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 40, args, 4, 136);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, NULL, 0);
	fake_be_dresp(e->f, 0, SCMI_SUCCESS, 2);
	assert_int_equal(e->nev, 1);
	assert_int_equal(scmi_get_le32(e->ev[0].r),
			 scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET,
				  SCMI_MSG_DELAYED_RESP, 40));
	assert_int_equal(agent_stats(e->a)->delayed, 1);
	/* the device refuses an event: counted */
	e->event_rc = -1;
	cmd(e, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 41, args, 4, 136);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, NULL, 0);
	fake_be_dresp(e->f, 1, SCMI_SUCCESS, 2);
	assert_int_equal(agent_stats(e->a)->events_dropped, 1);
	env_free(e);
}

/* Without a policy the agent ids of a notification are still the guest's:
 * its platform agent (chan + 1) becomes its own id (BASE told it 2), any
 * other agent is the platform (0). */
static void test_notification_agent_ids(void **state)
{
	struct env *e = env_new();
	uint32_t args[2] = { 0, 1 };
	uint8_t n[16];

	agent_free(e->a);
	{
		struct agent_config cfg = { .name = "g", .chan = 0, .agent_id = 2, .num_agents = 3 };

		e->a = agent_new(e->loop, e->d, e->bc, &cfg, &out_ops, e);
		assert_non_null(e->a);
	}
	cmd(e, 1, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, 7, args, 2, 136);
	spin(e);
	fake_be_reply(e->f, e->f->nsent - 1, SCMI_SUCCESS, NULL, 0);
	spin(e);
	scmi_put_le32(n, scmi_hdr(SCMI_PROTO_POWER, 0, SCMI_MSG_NOTIFICATION, 0));
	scmi_put_le32(n + 4, 1);        /* platform agent 1 = this guest's channel 0 */
	scmi_put_le32(n + 8, 0);
	scmi_put_le32(n + 12, 0x40000000);
	fake_be_rx(e->f, 0, n, sizeof(n));
	spin(e);
	assert_int_equal(e->nev, 1);
	assert_int_equal(scmi_get_le32(e->ev[0].r + 4), 2);
	scmi_put_le32(n + 4, 2);        /* another agent's doing, though the guest's id */
	fake_be_rx(e->f, 0, n, sizeof(n));
	spin(e);
	assert_int_equal(e->nev, 2);
	assert_int_equal(scmi_get_le32(e->ev[1].r + 4), 0);
	/* too short to name its domain: never reaches the guest */
	fake_be_rx(e->f, 0, n, 8);
	spin(e);
	assert_int_equal(e->nev, 2);
	env_free(e);
}

/* A filter that renumbers clock 5 -> 2, hides clock 9, drops events. */
struct filt {
	unsigned requests, responses, events, resets;
};

static enum agent_verdict f_request(void *f, uint8_t *msg, size_t *len, size_t cap,
				    uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	struct filt *ft = f;
	uint32_t h = scmi_get_le32(msg);

	ft->requests++;
	if (scmi_hdr_proto(h) == SCMI_PROTO_CLOCK && *len >= 8) {
		if (scmi_get_le32(msg + 4) == 9) {
			scmi_put_le32(resp, h);
			scmi_put_le32(resp + 4, (uint32_t)SCMI_NOT_FOUND);
			*resp_len = 8;
			return AGENT_REPLY;
		}
		if (scmi_get_le32(msg + 4) == 5)
			scmi_put_le32(msg + 4, 2);
	}
	return AGENT_FORWARD;
}

static void f_response(void *f, const uint8_t *req, size_t req_len, uint8_t *resp,
		       size_t *len, size_t resp_max)
{
	struct filt *ft = f;

	ft->responses++;
	if (*len >= 12 && scmi_hdr_proto(scmi_get_le32(req)) == SCMI_PROTO_CLOCK)
		scmi_put_le32(resp + 8, scmi_get_le32(resp + 8) + 1);
}

static bool f_event(void *f, uint8_t *msg, size_t *len, size_t cap)
{
	((struct filt *)f)->events++;
	return false;
}

static void f_reset(void *f)
{
	((struct filt *)f)->resets++;
}

static const struct agent_filter_ops filt_ops = {
	.request = f_request, .response = f_response, .event = f_event, .reset = f_reset,
};

static void test_filter(void **state)
{
	struct env *e = env_new();
	struct filt ft = { 0 };
	uint32_t id = 5, rate[2] = { 1000, 0 }, args[4] = { 1, 5, 5000, 0 };

	agent_set_filter(e->a, &filt_ops, &ft);
	cmd(e, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, 1, 136);
	assert_int_equal(scmi_get_le32(e->f->sent[0].msg + 4), 2);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, rate, 2);
	assert_int_equal(scmi_get_le32(e->done[0].r + 8), 1001);
	id = 9;
	cmd(e, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 2, &id, 1, 136);
	spin(e);
	assert_int_equal(e->f->nsent, 1);
	assert_int_equal(status_of(&e->done[1]), SCMI_NOT_FOUND);
	cmd(e, 3, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 3, args, 4, 136);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, NULL, 0);
	fake_be_dresp(e->f, 1, SCMI_SUCCESS, 2);
	assert_int_equal(ft.events, 1);
	assert_int_equal(e->nev, 0);
	agent_reset(e->a);
	assert_int_equal(ft.resets, 1);
	assert_int_equal(ft.requests, 3);
	env_free(e);
}

/* Commands without a filter response hook are forwarded without a pend:
 * any 32-bit device cookie comes back intact, and a filter installed
 * meanwhile does not see answers to commands that did not pass through it. */
static void test_direct_forward(void **state)
{
	struct env *e = env_new();
	struct filt ft = { 0 };
	uint32_t id = 2, rate[2] = { 1000, 0 };

	cmd(e, 0xffffffffu, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, 1, 136);
	cmd(e, 0, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 2, &id, 1, 136);
	cmd(e, 0x80000400u, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 3, &id, 1, 136);
	assert_int_equal(e->f->nsent, 3);
	assert_int_equal(agent_inflight(e->a), 3);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, rate, 2);
	agent_set_filter(e->a, &filt_ops, &ft);
	fake_be_reply(e->f, 2, SCMI_NOT_FOUND, NULL, 0);
	fake_be_reply(e->f, 0, SCMI_SUCCESS, rate, 2);
	assert_int_equal(e->ndone, 3);
	assert_int_equal(e->done[0].cookie, 0);
	assert_int_equal(scmi_hdr_token(scmi_get_le32(e->done[0].r)), 2);
	assert_int_equal(e->done[1].cookie, 0x80000400u);
	assert_int_equal(status_of(&e->done[1]), SCMI_NOT_FOUND);
	assert_int_equal(e->done[2].cookie, 0xffffffffu);
	assert_int_equal(scmi_get_le32(e->done[2].r + 8), 1000);   /* not filtered */
	assert_int_equal(ft.responses, 0);
	assert_int_equal(agent_inflight(e->a), 0);
	/* from now on through the filter (clock 5 -> 2, rate + 1) */
	id = 5;
	cmd(e, 7, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 4, &id, 1, 136);
	assert_int_equal(scmi_get_le32(e->f->sent[3].msg + 4), 2);
	fake_be_reply(e->f, 3, SCMI_SUCCESS, rate, 2);
	assert_int_equal(e->ndone, 4);
	assert_int_equal(e->done[3].cookie, 7);
	assert_int_equal(scmi_get_le32(e->done[3].r + 8), 1001);
	assert_int_equal(ft.responses, 1);
	assert_int_equal(agent_stats(e->a)->responses, 4);
	assert_int_equal(agent_stats(e->a)->errors, 1);
	env_free(e);
}

static void test_draining(void **state)
{
	struct env *e = env_new();
	uint32_t id = 1, rate[2] = { 1, 0 };

	cmd(e, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, 1, 136);
	agent_set_draining(e->a, true);
	cmd(e, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 2, &id, 1, 136);
	spin(e);
	assert_int_equal(e->ndone, 1);
	assert_int_equal(e->done[0].cookie, 2);
	assert_int_equal(status_of(&e->done[0]), SCMI_COMMS_ERROR);
	/* the in-flight one still completes */
	fake_be_reply(e->f, 0, SCMI_SUCCESS, rate, 2);
	assert_int_equal(e->ndone, 2);
	assert_int_equal(agent_inflight(e->a), 0);
	env_free(e);
}

static unsigned inject_calls;
static int32_t inject_status;

static void inject_cb(void *opaque, const uint8_t *r, size_t len)
{
	inject_calls++;
	inject_status = (int32_t)scmi_get_le32(r + 4);
}

static void test_inject(void **state)
{
	struct env *e = env_new();
	uint8_t m[8];
	uint32_t rate[2] = { 7, 0 };

	inject_calls = 0;
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, 0));
	scmi_put_le32(m + 4, 1);
	assert_int_equal(agent_inject(e->a, m, 3, inject_cb, NULL), -EINVAL);
	assert_int_equal(agent_inject(e->a, m, 8, NULL, NULL), -EINVAL);
	assert_int_equal(agent_inject(e->a, m, 8, inject_cb, NULL), 0);
	assert_int_equal(agent_inflight(e->a), 0); /* not a guest command */
	fake_be_reply(e->f, 0, SCMI_SUCCESS, rate, 2);
	assert_int_equal(inject_calls, 1);
	assert_int_equal(inject_status, SCMI_SUCCESS);
	assert_int_equal(e->ndone, 0); /* the guest sees nothing */
	/* voided by a reset */
	assert_int_equal(agent_inject(e->a, m, 8, inject_cb, NULL), 0);
	agent_reset(e->a);
	fake_be_reply(e->f, 1, SCMI_SUCCESS, rate, 2);
	assert_int_equal(inject_calls, 1);
	/* detached: still sent after the agent is gone */
	e->f->max_inflight = 0; /* capacity reported as 0 -> treated as 1 */
	assert_int_equal(agent_inject(e->a, m, 8, inject_cb, NULL), 0);
	assert_int_equal(agent_inject_detached(e->a, m, 8), 0);
	assert_int_equal(e->f->nsent, 3);
	agent_free(e->a);
	e->a = NULL;
	fake_be_reply(e->f, 2, SCMI_SUCCESS, rate, 2);
	assert_int_equal(e->f->nsent, 4); /* the detached one went out */
	fake_be_reply(e->f, 3, SCMI_SUCCESS, rate, 2);
	assert_int_equal(inject_calls, 1);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_local),
		cmocka_unit_test(test_base_platform_down),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_forward_and_reset),
		cmocka_unit_test(test_delayed_to_guest),
		cmocka_unit_test(test_notification_agent_ids),
		cmocka_unit_test(test_negotiate_local),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_direct_forward),
		cmocka_unit_test(test_draining),
		cmocka_unit_test(test_inject),
		cmocka_unit_test(test_legacy_clock_config_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
