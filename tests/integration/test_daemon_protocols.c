// SPDX-License-Identifier: GPL-2.0-only
/*
 * End to end, through real sockets: the scmi-mediator program (child
 * process) with the embedded platform of tests/data/integration/
 * platform.cfg and two guests; agent clients talk vhost-user to it. Every
 * protocol answers at least one real command with the values the platform
 * description sets; BASE is answered per guest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mediator/scmi_msg.h"
#include "tests/support/e2e_daemon.h"
#include "tools/client/scmi_client.h"

#define PLATFORM "tests/data/integration/platform.cfg"

struct fx {
	struct e2e_daemon d;
	struct scmi_client *c[2];
};

static int setup(void **state)
{
	static const char *const names[] = { "guest1", "guest2" };
	static const char guests[] =
		"guests = [ \"name=guest1,socket=@DIR@/guest1.sock,agent_id=1\",\n"
		"  \"name=guest2,socket=@DIR@/guest2.sock,agent_id=2,guest_agent_id=2,"
		"guest_num_agents=2\" ]";
	struct scmi_client_opts o = { .queue_size = 64, .msg_size = SCMI_LINUX_MSG_SIZE,
				      .p2a = true, .event_buffers = 16, .timeout_ms = 5000 };
	struct fx *f = calloc(1, sizeof(*f));
	char *plat = e2e_slurp(PLATFORM);

	if (!f || !plat || e2e_daemon_start(&f->d, plat, names, 2, guests, NULL)) {
		free(plat);
		if (f)
			e2e_daemon_cleanup(&f->d);
		free(f);
		return -1;
	}
	free(plat);
	for (int i = 0; i < 2; i++) {
		f->c[i] = scmi_client_connect(f->d.sock[i], &o);
		if (!f->c[i]) {
			e2e_daemon_dump_log(&f->d);
			return -1;
		}
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int st;

	if (!f)
		return 0;
	for (int i = 0; i < 2; i++)
		if (f->c[i])
			scmi_client_close(f->c[i]);
	st = e2e_daemon_stop(&f->d, SIGTERM, 10000);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "daemon exit status 0x%x\n", st);
		e2e_daemon_dump_log(&f->d);
	}
	e2e_daemon_cleanup(&f->d);
	free(f);
	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Call with up to 4 u32 arguments; asserts the transport worked and
 * returns the SCMI status; values in v (vlen bytes). */
static int32_t call(struct scmi_client *c, uint8_t proto, uint8_t msg, unsigned n,
		    const uint32_t *args, uint8_t *v, size_t *vlen)
{
	uint8_t a[16];
	int32_t st = 0;
	size_t dummy = 0;

	assert_true(n <= 4);
	for (unsigned i = 0; i < n; i++)
		scmi_put_le32(a + 4 * i, args[i]);
	if (!vlen) {
		static uint8_t scratch[SCMI_MSG_MAX];

		v = scratch;
		dummy = sizeof(scratch);
		vlen = &dummy;
	}
	assert_int_equal(scmi_client_call(c, proto, msg, a, 4 * n, &st, v, vlen), 0);
	return st;
}

static void check_name(const uint8_t *p, const char *want)
{
	char got[SCMI_SHORT_NAME_LEN + 1];

	memcpy(got, p, SCMI_SHORT_NAME_LEN);
	got[SCMI_SHORT_NAME_LEN] = '\0';
	assert_string_equal(got, want);
}

static void check_version(struct scmi_client *c, uint8_t proto, uint32_t want)
{
	uint8_t v[SCMI_MSG_MAX];
	size_t n = sizeof(v);

	assert_int_equal(call(c, proto, SCMI_PROTOCOL_VERSION, 0, NULL, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(v), want);
}

static void test_base_per_guest(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = { "guest1", "guest2" };
	uint32_t own = SCMI_BASE_AGENT_ID_OWN, skip = 0;
	uint8_t v[SCMI_MSG_MAX];

	for (int i = 0; i < 2; i++) {
		size_t n = sizeof(v);

		check_version(f->c[i], SCMI_PROTO_BASE, SCMI_VERSION_BASE);
		assert_int_equal(call(f->c[i], SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 1, &own,
				      v, &n), SCMI_SUCCESS);
		assert_int_equal(n, 4 + SCMI_SHORT_NAME_LEN);
		assert_int_equal(scmi_get_le32(v), (uint32_t)i + 1);
		check_name(v + 4, names[i]);

		n = sizeof(v);
		assert_int_equal(call(f->c[i], SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, 0, NULL,
				      v, &n), SCMI_SUCCESS);
		check_name(v, "e2e-vendor");
		n = sizeof(v);
		assert_int_equal(call(f->c[i], SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_SUB_VENDOR, 0,
				      NULL, v, &n), SCMI_SUCCESS);
		check_name(v, "e2e-sub");
		n = sizeof(v);
		assert_int_equal(call(f->c[i], SCMI_PROTO_BASE,
				      SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, 0, NULL, v, &n),
				 SCMI_SUCCESS);
		assert_int_equal(scmi_get_le32(v), 0x10203);

		/* every other protocol is listed */
		n = sizeof(v);
		assert_int_equal(call(f->c[i], SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS,
				      1, &skip, v, &n), SCMI_SUCCESS);
		assert_int_equal(scmi_get_le32(v), 9);
		for (unsigned k = 0; k < 9; k++)
			assert_int_equal(v[4 + k], SCMI_PROTO_POWER + k);
	}
	/* guest2 was configured to see two agents */
	{
		size_t n = sizeof(v);

		assert_int_equal(call(f->c[1], SCMI_PROTO_BASE, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL,
				      v, &n), SCMI_SUCCESS);
		assert_int_equal((scmi_get_le32(v) >> 8) & 0xff, 2);
		assert_int_equal(scmi_get_le32(v) & 0xff, 9);
	}
}

static void test_power(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t id;
	size_t n;

	check_version(f->c[0], SCMI_PROTO_POWER, SCMI_VERSION_POWER);
	id = 0;
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 1, &id,
			      v, &n), SCMI_SUCCESS);
	check_name(v + 4, "gpu_pd");
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v), SCMI_POWER_STATE_OFF);
	id = 1;
	n = sizeof(v);
	assert_int_equal(call(f->c[1], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v), SCMI_POWER_STATE_ON);
	/* a domain that does not exist */
	id = 7;
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1, &id, NULL,
			      NULL), SCMI_NOT_FOUND);
}

static void test_system(void **state)
{
	struct fx *f = *state;
	uint32_t msg = SCMI_SYSTEM_POWER_STATE_SET;
	uint8_t v[SCMI_MSG_MAX];
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_SYSTEM, SCMI_VERSION_SYSTEM);
	/* the command exists (message attributes answer SUCCESS) */
	assert_int_equal(call(f->c[0], SCMI_PROTO_SYSTEM, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 1,
			      &msg, v, &n), SCMI_SUCCESS);
	assert_int_equal(n, 4);
}

static void test_perf(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t id = 0;
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_PERF, SCMI_VERSION_PERF);
	assert_int_equal(call(f->c[0], SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, 1, &id,
			      v, &n), SCMI_SUCCESS);
	check_name(v + 16, "cpu0");
	n = sizeof(v);
	assert_int_equal(call(f->c[1], SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v), 200);
}

static void test_clock(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t id = 0, dr[2] = { 0, 0 };
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_CLOCK, SCMI_VERSION_CLOCK);
	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL, v,
			      &n), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v) & 0xffff, 2);
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 1, &id, v, &n),
			 SCMI_SUCCESS);
	check_name(v + 4, "uart_clk");
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 2, dr, v,
			      &n), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v) & 0xfff, 2);
	assert_true(scmi_get_le64(v + 4) == 24000000ull);
	assert_true(scmi_get_le64(v + 12) == 48000000ull);
	id = 1;
	n = sizeof(v);
	assert_int_equal(call(f->c[1], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(n, 8);
	assert_true(scmi_get_le64(v) == 800000000ull);
}

static void test_sensor(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t args[2] = { 0, 0 };
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_SENSOR, SCMI_VERSION_SENSOR);
	assert_int_equal(call(f->c[0], SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 2, args, v,
			      &n), SCMI_SUCCESS);
	assert_true(n >= 8);
	assert_int_equal((int64_t)scmi_get_le64(v), 42000);
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, 1, args,
			      v, &n), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v) & 0xfff, 1);
	assert_int_equal(scmi_get_le32(v + 4), 0);          /* sensor id */
	check_name(v + 16, "soc_temp");
}

static void test_reset(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t id = 0, rst[3] = { 0, 1, 0 };   /* domain 0, autonomous, cold reset */
	size_t n = sizeof(v);
	char *ps;

	check_version(f->c[0], SCMI_PROTO_RESET, SCMI_VERSION_RESET);
	assert_int_equal(call(f->c[0], SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 1, &id,
			      v, &n), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v + 4), 10);         /* latency */
	check_name(v + 8, "mmc_rst");
	assert_int_equal(call(f->c[0], SCMI_PROTO_RESET, SCMI_RESET, 3, rst, NULL, NULL),
			 SCMI_SUCCESS);
	/* the platform counted it */
	ps = e2e_ctl(&f->d, "platform-state");
	assert_non_null(ps);
	assert_true(e2e_json_num(e2e_json_elem(ps, "reset.domains", 0), "count", 0) >= 1);
	free(ps);
}

static void test_voltage(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t id = 0;
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_VOLTAGE, SCMI_VERSION_VOLTAGE);
	assert_int_equal(call(f->c[1], SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal((int32_t)scmi_get_le32(v), 3300000);
	n = sizeof(v);
	assert_int_equal(call(f->c[1], SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, 1, &id,
			      v, &n), SCMI_SUCCESS);
	check_name(v + 4, "vdd_io");
}

static void test_powercap(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t id = 0;
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_POWERCAP, SCMI_VERSION_POWERCAP);
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v), 6000);
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_GET, 1, &id, v, &n),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v), 10000);
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, 1,
			      &id, v, &n), SCMI_SUCCESS);
	check_name(v + 4, "soc");
}

static void test_pinctrl(void **state)
{
	struct fx *f = *state;
	uint8_t v[SCMI_MSG_MAX];
	uint32_t args[2] = { 2, 0 };   /* pin 2 */
	size_t n = sizeof(v);

	check_version(f->c[0], SCMI_PROTO_PINCTRL, SCMI_VERSION_PINCTRL);
	assert_int_equal(call(f->c[0], SCMI_PROTO_PINCTRL, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL, v,
			      &n), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v) & 0xffff, 4);      /* pins */
	assert_int_equal(scmi_get_le32(v) >> 16, 1);         /* groups */
	assert_int_equal(scmi_get_le32(v + 4) & 0xffff, 1);  /* functions */
	n = sizeof(v);
	assert_int_equal(call(f->c[0], SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 2, args, v,
			      &n), SCMI_SUCCESS);
	check_name(v + 4, "uart0_tx");
}

static void test_unknown(void **state)
{
	struct fx *f = *state;

	/* a protocol nobody implements, an unknown message of a known one */
	assert_int_equal(call(f->c[0], 0x20, SCMI_PROTOCOL_VERSION, 0, NULL, NULL, NULL),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(call(f->c[1], SCMI_PROTO_CLOCK, 0x7f, 0, NULL, NULL, NULL),
			 SCMI_NOT_FOUND);
	/* wrong length: CLOCK_RATE_GET without its clock id */
	assert_int_equal(call(f->c[0], SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, NULL, NULL,
			      NULL), SCMI_PROTOCOL_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_per_guest),
		cmocka_unit_test(test_power),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_perf),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_sensor),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_voltage),
		cmocka_unit_test(test_powercap),
		cmocka_unit_test(test_pinctrl),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
