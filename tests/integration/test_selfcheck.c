// SPDX-License-Identifier: GPL-2.0-only
/* scmi-selfcheck against the reference platform and a broken description. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Run a command, capture stdout+stderr; returns the exit status. */
static int run(const char *args, char *out, size_t cap)
{
	const char *bin = getenv("BUILD_BIN");
	char cmd[1024];
	size_t len = 0, r;
	FILE *f;
	int st;

	assert_non_null(bin);       /* set by make check */
	snprintf(cmd, sizeof(cmd), "%s/scmi-selfcheck %s 2>&1", bin, args);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (len + 1 < cap && (r = fread(out + len, 1, cap - 1 - len, f)) > 0)
		len += r;
	out[len] = '\0';
	st = pclose(f);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_reference(void **state)
{
	static char out[65536];

	assert_int_equal(run("config/platforms/reference.cfg", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "BASE v2.1: vendor \"scmi-mediator\""));
	assert_non_null(strstr(out, "0=platform 1=mediator"));
	assert_non_null(strstr(out, "0x11 power"));
	assert_non_null(strstr(out, "0x12 system"));
	assert_non_null(strstr(out, "name=\"display_pipeline_and_hdmi_phy\""));
	assert_non_null(strstr(out, "POWER_STATE_GET domain 0: SUCCESS state 0x40000000"));
	assert_non_null(strstr(out, "power 0 gpu: on"));
	assert_null(strstr(out, "unexpected failures"));
}

static void test_agent_and_json(void **state)
{
	static char out[65536];

	assert_int_equal(run("-a 4 -j config/platforms/reference.cfg", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "this agent: 4 (rtos)"));
	/* rtos only owns the display domain (3) */
	assert_non_null(strstr(out, "POWER_STATE_SET domain 3 on: SUCCESS"));
	assert_non_null(strstr(out, "{\"time_ns\":0,"));
	assert_int_equal(run("-a 9 config/platforms/reference.cfg", out, sizeof(out)), 2);
	assert_non_null(strstr(out, "has 4 agents"));
}

static void test_broken(void **state)
{
	static char out[4096];

	assert_int_equal(run("tests/data/config/bad_ref.cfg", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "tests/data/config/bad_ref.cfg:5: device 'd1'"));
	assert_int_equal(run("-x", out, sizeof(out)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_agent_and_json),
		cmocka_unit_test(test_broken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
