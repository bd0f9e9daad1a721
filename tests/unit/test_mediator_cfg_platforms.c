// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mediator configuration for the non-embedded platforms: smt-socket needs
 * platform_socket (and no platform_config), mailbox takes platform_dtb and
 * platform_mem (default /dev/mem), unknown kinds are refused with file:line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/mediator_cfg.h"

#define DIR "tests/data/mediator_cfg/"

static char *errors(const char *file, struct mediator_cfg **mc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*mc = mediator_cfg_load(file, f);
	fclose(f);
	return buf;
}

static void test_smt_socket(void **state)
{
	struct mediator_cfg *mc;
	char *err = errors(DIR "smt_socket.cfg", &mc);

	assert_non_null(mc);
	assert_string_equal(mc->platform, "smt-socket");
	assert_string_equal(mc->platform_socket, DIR "plat.sock");
	assert_string_equal(mc->platform_config, "");
	assert_int_equal(mc->platform_socket_line, 2);
	mediator_cfg_free(mc);
	free(err);

	err = errors(DIR "smt_socket_nosock.cfg", &mc);
	assert_null(mc);
	assert_non_null(strstr(err, "smt_socket_nosock.cfg:1:"));
	assert_non_null(strstr(err, "'platform_socket' is required"));
	free(err);
}

static void test_mailbox(void **state)
{
	struct mediator_cfg *mc;
	char *err = errors(DIR "mailbox.cfg", &mc);

	assert_non_null(mc);
	assert_string_equal(mc->platform, "mailbox");
	assert_string_equal(mc->platform_dtb, DIR "host.dtb");
	assert_string_equal(mc->platform_mem, "/dev/mem");
	mediator_cfg_free(mc);
	free(err);
}

static void test_unknown_kind(void **state)
{
	struct mediator_cfg *mc;
	char *err = errors(DIR "bad_platform_kind.cfg", &mc);

	assert_null(mc);
	assert_non_null(strstr(err, "bad_platform_kind.cfg:1: platform 'smc' is not supported"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smt_socket),
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_unknown_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
