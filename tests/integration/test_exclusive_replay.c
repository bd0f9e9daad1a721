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
#include "tests/support/script_fe.h"
#include "tests/support/test_files.h"

/* ---- fixture -------------------------------------------------------------- */
static char dir[64];

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
	test_write_file(dir, "mediator.cfg", text, 0644);
}

static int setup(void **state)
{
	struct daemon_opts o = { .frontend = &script_fe_ops, .log_level = LOG_LVL_ERROR,
				 .log_target = -1 };
	char cfg[160];
	struct daemon *d;

	snprintf(dir, sizeof(dir), "/tmp/test-xreplay-XXXXXX");
	assert_non_null(mkdtemp(dir));
	test_write_file(dir, "a.policy", pol_a, 0644);
	test_write_file(dir, "b.policy", pol_b, 0644);
	write_config(true);
	snprintf(cfg, sizeof(cfg), "%s/mediator.cfg", dir);
	o.config = cfg;
	script_fes = NULL;
	d = daemon_new(&o, stderr);
	assert_non_null(d);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	script_fe_daemon_free(*state);
	test_remove_dir(dir);
	log_set_level(LOG_LVL_INFO);
	return 0;
}

static struct scmi_platform *plat(struct daemon *d)
{
	return embedded_backend_platform(daemon_backend(d));
}

static void spin_ms(struct daemon *d, unsigned ms)
{
	script_fe_spin(daemon_loop(d), ms);
}

static int32_t call(struct daemon *d, struct frontend *fe, uint8_t proto, uint8_t id,
		    const uint32_t *args, unsigned n)
{
	return script_fe_call(daemon_loop(d), fe, proto, id, args, n);
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
	struct frontend *ga = script_fe_find("/ga.sock"), *gb = script_fe_find("/gb.sock");
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
	struct frontend *ga = script_fe_find("/ga.sock");
	struct plat_perf_state ps;

	spin_ms(d, 50);
	set_a(d, ga);
	check_a(d);
	write_config(false);
	assert_int_equal(daemon_reload(d, stderr), 0);
	assert_null(script_fe_find("/ga.sock"));
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
