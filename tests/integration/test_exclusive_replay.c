// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exclusive settings come back after a platform reset (docs/arbitration.md
 * "Platform reset"): the daemon on the embedded platform
 * (config/platforms/reference.cfg), two guests sharing the mediator's
 * platform agent, each owning its resources exclusively (the default
 * share), with a scripted frontend:
 *  - guest a sets a clock rate, perf limits and a perf level (twice: the
 *    last value counts) and a voltage level; guest b sets a clock rate and
 *    a voltage level, then resets its device (its settings are forgotten
 *    with its votes);
 *  - the platform resets (embedded_backend_reset_platform): its own state
 *    shows a's settings restored, b's resources at the description's
 *    defaults; the status counts what was remembered and replayed;
 *  - a guest removed by a reload (device destroyed) is forgotten the same
 *    way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "mediator/daemon.h"
#include "mediator/evloop.h"
#include "mediator/frontend.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"

/* ---- scripted frontend ---------------------------------------------------- */
struct frontend {
	char socket[108];
	const struct scmi_dev_ops *core;
	void *core_opaque;
	unsigned ndone;
	uint8_t resp[SCMI_MSG_MAX];
	size_t len;
	struct frontend *next;
};

static struct frontend *fes;

static struct frontend *ff_create(struct ev_loop *loop, const char *socket,
				  const struct scmi_dev_ops *core, void *opaque)
{
	struct frontend *fe = calloc(1, sizeof(*fe));

	(void)loop;
	assert_non_null(fe);
	snprintf(fe->socket, sizeof(fe->socket), "%s", socket);
	fe->core = core;
	fe->core_opaque = opaque;
	fe->next = fes;
	fes = fe;
	return fe;
}

static void ff_destroy(struct frontend *fe)
{
	struct frontend **pp;

	fe->core->reset(fe->core_opaque);
	for (pp = &fes; *pp; pp = &(*pp)->next)
		if (*pp == fe) {
			*pp = fe->next;
			break;
		}
	free(fe);
}

static void ff_complete(struct frontend *fe, uint32_t cookie, const uint8_t *r, size_t len)
{
	(void)cookie;
	memcpy(fe->resp, r, len);
	fe->len = len;
	fe->ndone++;
}

static int ff_event(struct frontend *fe, const uint8_t *m, size_t len)
{
	(void)fe;
	(void)m;
	(void)len;
	return 0;
}

static void ff_status(struct frontend *fe, struct frontend_status *st)
{
	(void)fe;
	memset(st, 0, sizeof(*st));
	st->connected = true;
	st->features = 1ull << 32;
}

static const struct frontend_ops ff_ops = {
	.name = "test", .create = ff_create, .destroy = ff_destroy,
	.complete = ff_complete, .event = ff_event, .status = ff_status,
};

static struct frontend *fe_find(const char *suffix)
{
	struct frontend *fe;

	for (fe = fes; fe; fe = fe->next)
		if (strstr(fe->socket, suffix))
			return fe;
	return NULL;
}

/* ---- fixture -------------------------------------------------------------- */
static char dir[64];

static void write_file(const char *name, const char *text)
{
	char p[160];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* guest a: gpu_core clock (2), cpu_little perf (0), vdd_gpu (1);
 * guest b: mmc0_card clock (3), vdd_mmc_io (0). All exclusive. */
static const char pol_a[] =
	"protocols = [ \"clock\", \"perf\", \"voltage\" ]\n"
	"clocks = [ \"guest=0,platform=2\" ]\n"
	"perf = [ \"guest=0,platform=0\" ]\n"
	"voltages = [ \"guest=0,platform=1\" ]\n";
static const char pol_b[] =
	"protocols = [ \"clock\", \"voltage\" ]\n"
	"clocks = [ \"guest=0,platform=3\" ]\n"
	"voltages = [ \"guest=0,platform=0\" ]\n";

/* Both guests on the mediator's platform agent (one channel, one arbiter);
 * !with_a: guest a removed (a reload destroys its device). */
static void write_config(bool with_a)
{
	char cwd[PATH_MAX], text[PATH_MAX + 512];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(text, sizeof(text),
		 "platform = \"embedded\"\nplatform_config = \"%s/config/platforms/reference.cfg\"\n"
		 "control_socket = \"ctl.sock\"\nlog_level = \"error\"\nreply_timeout_ms = 1000\n"
		 "guests = [\n%s\"name=gb,socket=gb.sock,agent_id=1,policy=b.policy\",\n]\n", cwd,
		 with_a ? "\"name=ga,socket=ga.sock,agent_id=1,policy=a.policy\",\n" : "");
	write_file("mediator.cfg", text);
}

static int setup(void **state)
{
	struct daemon_opts o = { .frontend = &ff_ops, .log_level = LOG_LVL_ERROR,
				 .log_target = -1 };
	char cfg[160];
	struct daemon *d;

	snprintf(dir, sizeof(dir), "/tmp/test-xreplay-XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file("a.policy", pol_a);
	write_file("b.policy", pol_b);
	write_config(true);
	snprintf(cfg, sizeof(cfg), "%s/mediator.cfg", dir);
	o.config = cfg;
	fes = NULL;
	d = daemon_new(&o, stderr);
	assert_non_null(d);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	daemon_free(*state);
	assert_null(fes);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	log_set_level(LOG_LVL_INFO);
	return 0;
}

static struct scmi_platform *plat(struct daemon *d)
{
	return embedded_backend_platform(daemon_backend(d));
}

static void spin_ms(struct daemon *d, unsigned ms)
{
	uint64_t end = ev_now_ns() + ms * 1000000ull;

	while (ev_now_ns() < end)
		ev_loop_run_once(daemon_loop(d), 5);
}

static int32_t call(struct daemon *d, struct frontend *fe, uint8_t proto, uint8_t id,
		    const uint32_t *args, unsigned n)
{
	unsigned want = fe->ndone + 1, i;
	uint8_t m[32];

	scmi_put_le32(m, scmi_hdr(proto, id, 0, (uint16_t)want));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	fe->core->command(fe->core_opaque, want, m, 4 + 4 * n, SCMI_LINUX_MSG_SIZE);
	for (i = 0; i < 400 && fe->ndone < want; i++)
		ev_loop_run_once(daemon_loop(d), 5);
	assert_int_equal(fe->ndone, want);
	return (int32_t)scmi_get_le32(fe->resp + 4);
}
#define CALL(d, fe, proto, id, ...) \
	call(d, fe, proto, id, (const uint32_t[]){ __VA_ARGS__ }, \
	     sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)

static uint64_t clock_rate(struct daemon *d, uint32_t id)
{
	struct plat_clock_state cs;

	assert_int_equal(plat_clock_state(plat(d), id, &cs), 0);
	return cs.rate;
}

static int32_t voltage(struct daemon *d, uint32_t id)
{
	struct plat_voltage_state vs;

	assert_int_equal(plat_voltage_state(plat(d), id, &vs), 0);
	return vs.level_uv;
}

/* The daemon's status JSON contains s. */
static bool status_has(struct daemon *d, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	bool r;

	assert_non_null(m);
	daemon_status_json(d, m);
	fclose(m);
	r = strstr(buf, s) != NULL;
	if (!r)
		fprintf(stderr, "status lacks %s: %s\n", s, buf);
	free(buf);
	return r;
}

/* guest a's settings (platform ids: clock 2, perf 0, voltage 1) */
static void set_a(struct daemon *d, struct frontend *ga)
{
	assert_int_equal(CALL(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 500000000, 0),
			 SCMI_SUCCESS);
	assert_int_equal(CALL(d, ga, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 1000, 600),
			 SCMI_SUCCESS);
	assert_int_equal(CALL(d, ga, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 1000),
			 SCMI_SUCCESS);
	assert_int_equal(CALL(d, ga, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 600),
			 SCMI_SUCCESS);
	/* refused by the platform (not a described level): not remembered */
	assert_int_equal(CALL(d, ga, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 700),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(CALL(d, ga, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, 900000),
			 SCMI_SUCCESS);
}

static void check_a(struct daemon *d)
{
	struct plat_perf_state ps;

	assert_int_equal(clock_rate(d, 2), 500000000);
	assert_int_equal(plat_perf_state(plat(d), 0, &ps), 0);
	assert_int_equal(ps.level, 600);
	assert_int_equal(ps.max, 1000);
	assert_int_equal(ps.min, 600);
	assert_int_equal(voltage(d, 1), 900000);
}

static void test_replayed_after_platform_reset(void **state)
{
	struct daemon *d = *state;
	struct frontend *ga = fe_find("/ga.sock"), *gb = fe_find("/gb.sock");
	struct plat_perf_state ps;

	assert_non_null(ga);
	assert_non_null(gb);
	spin_ms(d, 50);
	/* the description's defaults */
	assert_int_equal(clock_rate(d, 2), 400000000);
	assert_int_equal(clock_rate(d, 3), 400000);
	assert_int_equal(voltage(d, 1), 800000);
	assert_int_equal(voltage(d, 0), 3300000);
	set_a(d, ga);
	check_a(d);
	assert_int_equal(CALL(d, gb, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 50000000, 0),
			 SCMI_SUCCESS);
	assert_int_equal(CALL(d, gb, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, 1800000),
			 SCMI_SUCCESS);
	assert_int_equal(clock_rate(d, 3), 50000000);
	assert_int_equal(voltage(d, 0), 1800000);
	assert_true(status_has(d, "\"settings\":{\"remembered\":6,"));
	/* b resets its device: its settings are forgotten (the platform keeps
	 * them until it resets) */
	gb->core->reset(gb->core_opaque);
	spin_ms(d, 20);
	assert_true(status_has(d, "\"settings\":{\"remembered\":4,"));
	assert_int_equal(clock_rate(d, 3), 50000000);

	/* the platform forgets everything (test_departed_guest_not_replayed
	 * shows the defaults it comes back with); without a management agent
	 * the replay is queued at once */
	assert_int_equal(embedded_backend_reset_platform(daemon_backend(d)), 0);
	assert_int_equal(daemon_backend(d)->platform_resets, 1);
	spin_ms(d, 100);
	/* a's settings are back (the last perf level, within its limits);
	 * b's resources stay at the defaults */
	check_a(d);
	assert_int_equal(clock_rate(d, 3), 400000);
	assert_int_equal(voltage(d, 0), 3300000);
	assert_true(status_has(d, "\"settings\":{\"remembered\":4,\"replayed\":4,\"failed\":0,"
			       "\"not_remembered\":0}"));
	/* a keeps working; a new value replaces the remembered one */
	assert_int_equal(CALL(d, ga, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 1000),
			 SCMI_SUCCESS);
	assert_int_equal(plat_perf_state(plat(d), 0, &ps), 0);
	assert_int_equal(ps.level, 1000);
	/* a second reset restores the newest value */
	assert_int_equal(embedded_backend_reset_platform(daemon_backend(d)), 0);
	assert_int_equal(CALL(d, ga, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 1400, 300),
			 SCMI_SUCCESS);   /* queued behind the replay */
	spin_ms(d, 100);
	assert_int_equal(plat_perf_state(plat(d), 0, &ps), 0);
	assert_int_equal(ps.level, 1000);
	assert_int_equal(ps.max, 1400);
	assert_int_equal(ps.min, 300);
	assert_int_equal(clock_rate(d, 2), 500000000);
	assert_true(status_has(d, "\"replayed\":8,\"failed\":0,"));
}

/* A guest whose device goes away (frontend destroyed) before the platform
 * resets: nothing of it is replayed. */
static void test_departed_guest_not_replayed(void **state)
{
	struct daemon *d = *state;
	struct frontend *ga = fe_find("/ga.sock");
	struct plat_perf_state ps;

	spin_ms(d, 50);
	set_a(d, ga);
	check_a(d);
	write_config(false);
	assert_int_equal(daemon_reload(d, stderr), 0);
	assert_null(fe_find("/ga.sock"));
	spin_ms(d, 20);
	assert_true(status_has(d, "\"settings\":{\"remembered\":0,"));
	assert_int_equal(embedded_backend_reset_platform(daemon_backend(d)), 0);
	spin_ms(d, 100);
	assert_int_equal(clock_rate(d, 2), 400000000);
	assert_int_equal(plat_perf_state(plat(d), 0, &ps), 0);
	assert_int_equal(ps.level, 1000);
	assert_int_equal(ps.max, 1400);
	assert_int_equal(voltage(d, 1), 800000);
	assert_true(status_has(d, "\"replayed\":0,\"failed\":0,"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replayed_after_platform_reset, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_departed_guest_not_replayed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
