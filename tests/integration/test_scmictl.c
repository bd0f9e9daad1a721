// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmictl against a running scmi-mediator (child process, real sockets):
 * table commands with layouts, convenience verbs, raw messages, events,
 * JSON, the control socket, and the exit codes (0 ok, 1 SCMI error,
 * 2 usage/connection).
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

#include "tests/support/e2e_daemon.h"

#define PLATFORM "tests/data/integration/platform.cfg"

static struct e2e_daemon D;

static int setup(void **state)
{
	static const char *const names[] = { "guest1", "guest2" };
	char *plat = e2e_slurp(PLATFORM);
	int rc = plat ? e2e_daemon_start(&D, plat, names, 2, NULL, NULL) : -1;

	free(plat);
	return rc;
}

static int teardown(void **state)
{
	int st = e2e_daemon_stop(&D, SIGTERM, 10000);

	e2e_daemon_cleanup(&D);
	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Run scmictl with `args` (shell words); returns its exit code and the
 * combined output in *out (malloc'd). Bounded by timeout(1). */
static int ctl(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ctl(char **out, const char *fmt, ...)
{
	const char *bin = getenv("BUILD_BIN");
	char args[1024], cmd[2048], buf[4096];
	size_t len = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "timeout 30 %s/scmictl %s 2>&1", bin ? bin : "build/gcc/bin",
		 args);
	p = popen(cmd, "r");
	assert_non_null(p);
	*out = NULL;
	for (;;) {
		size_t n = fread(buf, 1, sizeof(buf), p);
		char *nb;

		if (n == 0)
			break;
		nb = realloc(*out, len + n + 1);
		assert_non_null(nb);
		*out = nb;
		memcpy(*out + len, buf, n);
		len += n;
	}
	if (!*out)
		*out = calloc(1, 1);
	else
		(*out)[len] = '\0';
	st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

#define HAS(out, s) do { \
	if (!strstr((out), (s))) \
		fail_msg("expected \"%s\" in:\n%s", (s), (out)); \
} while (0)

static void test_table_commands(void **state)
{
	char *o;

	assert_int_equal(ctl(&o, "agent %s clock rate_get 1", D.sock[0]), 0);
	HAS(o, "rate: 800000000");
	free(o);
	assert_int_equal(ctl(&o, "agent %s clock attributes 0", D.sock[0]), 0);
	HAS(o, "name: \"uart_clk\"");
	free(o);
	/* u64 argument as one number, hex accepted */
	assert_int_equal(ctl(&o, "agent %s clock rate_set 0 1 0x17d78400 -- clock rate_get 1",
			     D.sock[1]), 0);
	HAS(o, "rate: 400000000");
	free(o);
	/* an SCMI error status: exit 1 */
	assert_int_equal(ctl(&o, "agent %s clock rate_get 9", D.sock[0]), 1);
	HAS(o, "NOT_FOUND");
	free(o);
	/* usage errors: exit 2 */
	assert_int_equal(ctl(&o, "agent %s clock rate_get", D.sock[0]), 2);
	HAS(o, "expected 1 argument");
	free(o);
	assert_int_equal(ctl(&o, "agent %s clock rate_get 1 2", D.sock[0]), 2);
	free(o);
	assert_int_equal(ctl(&o, "agent %s clock rate_get x", D.sock[0]), 2);
	HAS(o, "not a number");
	free(o);
	assert_int_equal(ctl(&o, "agent %s clock no_such_thing", D.sock[0]), 2);
	free(o);
	assert_int_equal(ctl(&o, "agent %s teleport on", D.sock[0]), 2);
	HAS(o, "unknown protocol");
	free(o);
	assert_int_equal(ctl(&o, "agent %s/nope.sock base info", D.dir), 2);
	free(o);
	assert_int_equal(ctl(&o, "commands clock"), 0);
	HAS(o, "rate_get");
	HAS(o, "clock_id:u32");
	free(o);
}

static void test_verbs(void **state)
{
	char *o;

	assert_int_equal(ctl(&o, "agent %s base info", D.sock[1]), 0);
	HAS(o, "e2e-vendor");
	HAS(o, "\"guest2\"");
	HAS(o, "pinctrl");
	free(o);
	assert_int_equal(ctl(&o, "agent %s clock list", D.sock[0]), 0);
	HAS(o, "uart_clk");
	HAS(o, "24000000 48000000");
	HAS(o, "100000000..2000000000 step 100000000");
	free(o);
	assert_int_equal(ctl(&o, "agent %s power list", D.sock[0]), 0);
	HAS(o, "gpu_pd");
	free(o);
	assert_int_equal(ctl(&o, "agent %s sensor read 0", D.sock[0]), 0);
	HAS(o, "42000e-3");
	free(o);
	assert_int_equal(ctl(&o, "agent %s perf list -- reset list -- voltage list -- "
			     "powercap list -- pinctrl list -- sensor list", D.sock[0]), 0);
	HAS(o, "cpu0");
	HAS(o, "mmc_rst");
	HAS(o, "3300000");
	HAS(o, "6000");
	HAS(o, "uart0_grp");
	HAS(o, "soc_temp");
	free(o);
	assert_int_equal(ctl(&o, "agent %s power on 0 -- power list", D.sock[0]), 0);
	HAS(o, "power domain 0 on");
	free(o);
	assert_int_equal(ctl(&o, "agent %s power off 0", D.sock[0]), 0);
	free(o);
	assert_int_equal(ctl(&o, "agent %s clock rate 0 12345", D.sock[0]), 1);
	free(o);
}

static void test_events_and_async(void **state)
{
	char *o;

	assert_int_equal(ctl(&o, "agent %s --listen 3000 --count 1 clock rate_notify 1 1 -- "
			     "clock rate 1 700000000", D.sock[0]), 0);
	HAS(o, "CLOCK_RATE_CHANGED");
	HAS(o, "rate: 700000000");
	free(o);
	assert_int_equal(ctl(&o, "agent %s --async clock rate 1 900000000", D.sock[1]), 0);
	HAS(o, "delayed response clock CLOCK_RATE_SET");
	HAS(o, "rate: 900000000");
	free(o);
	/* nothing subscribed in a fresh session: --count not reached, exit 1 */
	assert_int_equal(ctl(&o, "agent %s events --count 1 --timeout 300", D.sock[0]), 1);
	free(o);
}

static void test_raw_and_json(void **state)
{
	char *o;

	/* CLOCK_RATE_GET(0), token 5 */
	assert_int_equal(ctl(&o, "agent %s raw 0x00145006 0", D.sock[0]), 0);
	HAS(o, "token 5");
	HAS(o, "status SUCCESS");
	HAS(o, "24000000");
	free(o);
	/* an unknown protocol: error status, exit 1 */
	assert_int_equal(ctl(&o, "agent %s raw 0x00008000", D.sock[0]), 1);
	HAS(o, "NOT_SUPPORTED");
	free(o);
	assert_int_equal(ctl(&o, "agent %s raw zz", D.sock[0]), 2);
	free(o);
	assert_int_equal(ctl(&o, "agent %s --json clock rate_get 0", D.sock[0]), 0);
	HAS(o, "{\"protocol\": \"clock\", \"command\": \"CLOCK_RATE_GET\", \"status\": 0");
	HAS(o, "\"response\": {\"rate\": 24000000}");
	free(o);
	assert_int_equal(ctl(&o, "agent %s --json base info", D.sock[0]), 0);
	HAS(o, "\"agent_name\": \"guest1\"");
	free(o);
}

static void test_control_socket(void **state)
{
	char *o;

	assert_int_equal(ctl(&o, "--ctl %s status", D.ctl), 0);
	HAS(o, "guest1");
	HAS(o, "guest2");
	free(o);
	assert_int_equal(ctl(&o, "--ctl %s status --json", D.ctl), 0);
	HAS(o, "\"ok\":true");
	free(o);
	assert_int_equal(ctl(&o, "--ctl %s platform-state", D.ctl), 0);
	HAS(o, "uart_clk");
	HAS(o, "soc_temp");
	free(o);
	assert_int_equal(ctl(&o, "--ctl %s platform-state --json", D.ctl), 0);
	HAS(o, "\"clock\":[");
	free(o);
	assert_int_equal(ctl(&o, "--ctl %s/none.sock status", D.dir), 2);
	free(o);
	assert_int_equal(ctl(&o, "--ctl %s status --bogus", D.ctl), 2);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_commands),
		cmocka_unit_test(test_verbs),
		cmocka_unit_test(test_events_and_async),
		cmocka_unit_test(test_raw_and_json),
		cmocka_unit_test(test_control_socket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
