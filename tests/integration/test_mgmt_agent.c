// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon with a management agent on the embedded multi-agent platform
 * (config/platforms/reference.cfg: agent 1 trusted, guests on agents 2 and
 * 3), in-process with a scripted frontend:
 *  - at start each guest's platform agent gets the permissions its policy
 *    grants and nothing else (the platform's per-agent state says so);
 *  - a guest's request outside its view is stopped by the mediator (no
 *    platform message); the same request sent straight to the platform as
 *    that agent (a bypass) is refused by the platform too;
 *  - the discovery cache is warmed at start: a guest's first discovery
 *    command is answered without the platform;
 *  - a platform reset (embedded_backend_reset_platform) is followed by
 *    the permissions, the guests' votes (a clock kept on) and their
 *    subscriptions coming back, and the guests keep being served;
 *  - a management agent the platform does not trust fails the start with
 *    the platform's refusal.
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
#include "backends/platform/plat_internal.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "tests/support/test_files.h"
#include "mediator/daemon.h"
#include "mediator/evloop.h"
#include "mediator/frontend.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "tests/support/script_fe.h"

/* ---- fixture -------------------------------------------------------------- */
static char dir[64];

/* guest a (agent 2): the gpu's power domain, gpu clock, gpu sensor only.
 * guest b (agent 3): the example guest2 policy (no pinctrl). */
static const char pol_a[] =
	"protocols = [ \"power\", \"clock\", \"sensor\" ]\n"
	"power = [ \"guest=0,platform=0\" ]\n"
	"clocks = [ \"guest=0,platform=2\" ]\n"
	"sensors = [ \"guest=0,platform=1,rights=read\" ]\n";

static struct daemon *start(const char *mgmt, const char *guests, FILE *err)
{
	struct daemon_opts o = { .frontend = &script_fe_ops, .log_level = LOG_LVL_ERROR,
				 .log_target = -1 };
	static char text[3 * PATH_MAX + 1024];
	char cwd[PATH_MAX], cfg[160];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(text, sizeof(text),
		 "platform = \"embedded\"\nplatform_config = \"%s/config/platforms/reference.cfg\"\n"
		 "control_socket = \"ctl.sock\"\nlog_level = \"error\"\nreply_timeout_ms = 1000\n"
		 "%s\nguests = [\n%s]\n", cwd, mgmt, guests);
	test_write_file(dir, "mediator.cfg", text, 0644);
	snprintf(cfg, sizeof(cfg), "%s/mediator.cfg", dir);
	o.config = cfg;
	return daemon_new(&o, err);
}

static char guests_text[PATH_MAX + 256];

static int setup(void **state)
{
	char cwd[PATH_MAX];
	struct daemon *d;

	snprintf(dir, sizeof(dir), "/tmp/test-mgmt-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	test_write_file(dir, "a.policy", pol_a, 0644);
	snprintf(guests_text, sizeof(guests_text),
		 "\"name=ga,socket=ga.sock,agent_id=2,policy=a.policy\",\n"
		 "\"name=gb,socket=gb.sock,agent_id=3,policy=%s/config/examples/guest2.policy\",\n",
		 cwd);
	script_fes = NULL;
	d = start("management_agent = 1", guests_text, stderr);
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

/* Until no channel's cache warm-up runs (the status JSON says so), at most 20 s:
 * under valgrind it takes far longer than on a bare run. */
static void wait_warmed(struct daemon *d)
{
	unsigned i;

	for (i = 0; i < 400; i++) {
		char *js = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&js, &n);
		bool running;

		assert_non_null(f);
		daemon_status_json(d, f);
		fclose(f);
		running = strstr(js, "\"running\":true,\"sent\"") != NULL;
		free(js);
		if (!running)
			return;
		spin_ms(d, 50);
	}
	fail_msg("the cache warm-up is still running after 20 s");
}

static int32_t call(struct daemon *d, struct frontend *fe, uint8_t proto, uint8_t id,
		    const uint32_t *args, unsigned n)
{
	return script_fe_call(daemon_loop(d), fe, proto, id, args, n);
}

/* As platform agent `agent`, straight to the platform (no mediator). */
static int32_t raw(struct daemon *d, unsigned agent, uint8_t proto, uint8_t id, unsigned n,
		   uint32_t a0, uint32_t a1, uint32_t a2)
{
	uint8_t m[16], r[SCMI_MSG_MAX];
	struct plat_reply out;

	scmi_put_le32(m, scmi_hdr(proto, id, 0, 0));
	scmi_put_le32(m + 4, a0);
	scmi_put_le32(m + 8, a1);
	scmi_put_le32(m + 12, a2);
	plat_handle(plat(d), agent, m, 4 + 4 * n, r, sizeof(r), &out);
	assert_true(out.len >= 8);
	return (int32_t)scmi_get_le32(r + 4);
}

/* The platform's per-agent permissions match the policies. */
static void check_permissions(struct daemon *d)
{
	struct scmi_platform *p = plat(d);

	/* agent 2 (guest a): gpu power domain 0, gpu clock 2, gpu sensor 1 */
	assert_true(plat_agent_may(p, 2, PLAT_RES_POWER, 0));
	assert_true(plat_agent_may(p, 2, PLAT_RES_CLOCK, 2));
	assert_true(plat_agent_may(p, 2, PLAT_RES_SENSOR, 1));
	/* the gpu's protocols the policy does not allow: denied on the device */
	assert_false(plat_agent_may(p, 2, PLAT_RES_RESET, 0));
	assert_false(plat_agent_may(p, 2, PLAT_RES_VOLTAGE, 1));
	/* devices 1 (mmc0) and 4 (uart0): allowed by the description, denied now */
	assert_false(plat_agent_may(p, 2, PLAT_RES_CLOCK, 3));
	assert_false(plat_agent_may(p, 2, PLAT_RES_CLOCK, 6));
	assert_false(plat_agent_may(p, 2, PLAT_RES_POWER, 1));
	assert_false(plat_agent_may(p, 2, PLAT_RES_PIN, 0));
	/* agent 3 (guest b): eth0, display, uart0; no pinctrl on uart0 */
	assert_true(plat_agent_may(p, 3, PLAT_RES_POWER, 2));
	assert_true(plat_agent_may(p, 3, PLAT_RES_CLOCK, 5));
	assert_true(plat_agent_may(p, 3, PLAT_RES_CLOCK, 6));
	assert_false(plat_agent_may(p, 3, PLAT_RES_PIN, 0));
	assert_false(plat_agent_may(p, 3, PLAT_RES_POWER, 0));
	/* agent 4 has no guest: untouched (its description's devices) */
	assert_true(plat_agent_may(p, 4, PLAT_RES_POWER, 3));
}

static void test_permissions_programmed(void **state)
{
	struct daemon *d = *state;
	struct frontend *ga = script_fe_find("/ga.sock");
	uint64_t n;

	assert_non_null(ga);
	check_permissions(d);
	wait_warmed(d);
	n = plat_commands_received(plat(d), 2);
	/* a clock outside guest a's view: the mediator answers, nothing reaches
	 * the platform */
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, (uint32_t[]){ 1 },
			      1), SCMI_NOT_FOUND);
	assert_int_equal(call(d, ga, SCMI_PROTO_RESET, SCMI_PROTOCOL_VERSION, NULL, 0),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(plat_commands_received(plat(d), 2), n);
	/* the same resources asked by agent 2 behind the mediator's back: the
	 * platform refuses them as well */
	assert_int_equal(raw(d, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 3, 3,
			     SCMI_CLOCK_STATE_ON, 0), SCMI_DENIED);
	assert_int_equal(raw(d, 2, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 3, 0, 1,
			     SCMI_POWER_STATE_ON), SCMI_DENIED);
	assert_int_equal(raw(d, 2, SCMI_PROTO_RESET, SCMI_RESET, 3, 0, 0, 0), SCMI_DENIED);
	/* the description allowed agent 2 all three before the mediator started */
	assert_true(plat_desc(plat(d))->agents[1].all_devices ||
		    plat_desc(plat(d))->agents[1].ndevices == 3);
	assert_int_equal(raw(d, 2, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, 2, 0, 0),
			 SCMI_SUCCESS);
	/* what the guest may see: its discovery comes from the warm cache */
	n = plat_commands_received(plat(d), 2);
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, (uint32_t[]){ 0 },
			      1), SCMI_SUCCESS);
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(ga->resp + 8) & 0xffff, 1);
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES,
			      (uint32_t[]){ 0, 0 }, 2), SCMI_SUCCESS);
	assert_int_equal(plat_commands_received(plat(d), 2), n);
	/* and a state change reaches the platform */
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET,
			      (uint32_t[]){ 0, SCMI_CLOCK_STATE_ON, 0 }, 3), SCMI_SUCCESS);
	assert_int_equal(plat_commands_received(plat(d), 2), n + 1);
}

static void test_platform_reset(void **state)
{
	struct daemon *d = *state;
	struct frontend *ga = script_fe_find("/ga.sock"), *gb = script_fe_find("/gb.sock");
	struct plat_clock_state cs;
	struct plat_power_state ps;
	uint64_t resets = daemon_backend(d)->platform_resets;
	unsigned nev;

	spin_ms(d, 50);
	/* guest a keeps the gpu clock on, powers the gpu domain on and
	 * subscribes to its state changes */
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET,
			      (uint32_t[]){ 0, SCMI_CLOCK_STATE_ON, 0 }, 3), SCMI_SUCCESS);
	assert_int_equal(call(d, ga, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET,
			      (uint32_t[]){ 0, 0, SCMI_POWER_STATE_ON }, 3), SCMI_SUCCESS);
	assert_int_equal(call(d, ga, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY,
			      (uint32_t[]){ 0, 1 }, 2), SCMI_SUCCESS);
	assert_int_equal(plat_clock_state(plat(d), 2, &cs), 0);
	assert_true(cs.enabled);

	assert_int_equal(embedded_backend_reset_platform(daemon_backend(d)), 0);
	assert_int_equal(daemon_backend(d)->platform_resets, resets + 1);
	/* the platform forgot: clock off, permissions back to the description's */
	assert_int_equal(plat_clock_state(plat(d), 2, &cs), 0);
	assert_false(cs.enabled);
	spin_ms(d, 100);
	/* permissions programmed again, the clock and the domain back on */
	check_permissions(d);
	assert_int_equal(plat_clock_state(plat(d), 2, &cs), 0);
	assert_true(cs.enabled);
	assert_true(plat_clock_agent_vote(plat(d), 2, 2));
	assert_int_equal(plat_power_state(plat(d), 0, &ps), 0);
	assert_int_equal(ps.state, SCMI_POWER_STATE_ON);
	/* guest a's subscription was renewed: the domain's change reaches it */
	nev = ga->nev;
	assert_int_equal(call(d, ga, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET,
			      (uint32_t[]){ 0, 0, SCMI_POWER_STATE_OFF }, 3), SCMI_SUCCESS);
	spin_ms(d, 50);
	assert_true(ga->nev > nev);
	assert_int_equal(scmi_hdr_proto(scmi_get_le32(ga->ev)), SCMI_PROTO_POWER);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(ga->ev)), SCMI_MSG_NOTIFICATION);
	/* guests keep working; discovery is answered from the warmed cache */
	assert_int_equal(call(d, ga, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, (uint32_t[]){ 0 },
			      1), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(ga->resp + 8) & 1, 1);   /* its own vote */
	assert_int_equal(call(d, gb, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, (uint32_t[]){ 0 },
			      1), SCMI_SUCCESS);
}

/* A reload that adds a guest on agent 2 widens that agent's permissions to
 * the union of its guests' policies; removing it narrows them again. */
static void test_reload_reprograms(void **state)
{
	struct daemon *d = *state;
	static char more[sizeof(guests_text) + 128];
	char cwd[PATH_MAX], text[3 * PATH_MAX + 1024];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	test_write_file(dir, "c.policy", "protocols = [ \"clock\" ]\n"
			"clocks = [ \"guest=0,platform=3,rights=read\" ]\n", 0644);
	snprintf(more, sizeof(more), "%s\"name=gc,socket=gc.sock,agent_id=2,policy=c.policy\",\n",
		 guests_text);
	snprintf(text, sizeof(text),
		 "platform = \"embedded\"\nplatform_config = \"%s/config/platforms/reference.cfg\"\n"
		 "control_socket = \"ctl.sock\"\nlog_level = \"error\"\nreply_timeout_ms = 1000\n"
		 "management_agent = 1\nguests = [\n%s]\n", cwd, more);
	test_write_file(dir, "mediator.cfg", text, 0644);
	assert_false(plat_agent_may(plat(d), 2, PLAT_RES_CLOCK, 3));
	assert_int_equal(daemon_reload(d, stderr), 0);
	spin_ms(d, 100);
	assert_true(plat_agent_may(plat(d), 2, PLAT_RES_CLOCK, 3));   /* gc's mmc0 clock */
	assert_true(plat_agent_may(plat(d), 2, PLAT_RES_CLOCK, 2));   /* ga's still */
	/* device x protocol granularity: mmc0's power domain is allowed (ga may
	 * use POWER, gc uses mmc0), though no guest's view shows it; reset,
	 * which neither may use, stays denied */
	assert_true(plat_agent_may(plat(d), 2, PLAT_RES_POWER, 1));
	assert_false(plat_agent_may(plat(d), 2, PLAT_RES_RESET, 1));
	assert_false(plat_agent_may(plat(d), 2, PLAT_RES_CLOCK, 6));
	/* gc reads its clock; ga still cannot see it */
	assert_int_equal(call(d, script_fe_find("/gc.sock"), SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES,
			      (uint32_t[]){ 0 }, 1), SCMI_SUCCESS);
	assert_int_equal(call(d, script_fe_find("/ga.sock"), SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES,
			      (uint32_t[]){ 1 }, 1), SCMI_NOT_FOUND);
	/* back to the two guests */
	snprintf(text, sizeof(text),
		 "platform = \"embedded\"\nplatform_config = \"%s/config/platforms/reference.cfg\"\n"
		 "control_socket = \"ctl.sock\"\nlog_level = \"error\"\nreply_timeout_ms = 1000\n"
		 "management_agent = 1\nguests = [\n%s]\n", cwd, guests_text);
	test_write_file(dir, "mediator.cfg", text, 0644);
	assert_int_equal(daemon_reload(d, stderr), 0);
	spin_ms(d, 100);
	check_permissions(d);
}

static void test_untrusted_management_agent(void **state)
{
	char *buf = NULL, path[160];
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct daemon *d;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-mgmt-XXXXXX");
	assert_non_null(mkdtemp(dir));
	test_write_file(dir, "a.policy", pol_a, 0644);
	script_fes = NULL;
	/* agent 4 ("rtos") is not trusted: the platform refuses */
	d = start("management_agent = 4",
		  "\"name=ga,socket=ga.sock,agent_id=2,policy=a.policy\",\n", m);
	fclose(m);
	assert_null(d);
	assert_non_null(strstr(buf, "management_agent 4: cannot program"));
	assert_non_null(strstr(buf, "DENIED"));
	free(buf);
	/* --check-config says so from the description, without a platform */
	buf = NULL;
	m = open_memstream(&buf, &len);
	snprintf(path, sizeof(path), "%s/mediator.cfg", dir);
	assert_int_equal(daemon_check_config(path, m), -1);
	fclose(m);
	assert_non_null(strstr(buf, "agent 'rtos' is not trusted by the platform"));
	free(buf);
	assert_null(script_fes);
	/* a guest on the management agent is a configuration error */
	buf = NULL;
	m = open_memstream(&buf, &len);
	d = start("management_agent = 2",
		  "\"name=ga,socket=ga.sock,agent_id=2,policy=a.policy\",\n", m);
	fclose(m);
	assert_null(d);
	assert_non_null(strstr(buf, "is the management_agent"));
	free(buf);
	snprintf(buf = malloc(128), 128, "rm -rf '%s'", dir);
	assert_int_equal(system(buf), 0);
	free(buf);
	log_set_level(LOG_LVL_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_permissions_programmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_reprograms, setup, teardown),
		cmocka_unit_test(test_untrusted_management_agent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
