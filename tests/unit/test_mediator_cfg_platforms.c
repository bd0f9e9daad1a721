// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mediator configuration for the non-embedded platforms: smt-socket needs
 * platform_socket (and no platform_config), mailbox takes platform_dtb and
 * platform_mem (default /dev/mem), smc takes platform_smc_dev (default
 * /dev/scmi-smc), linux-raw platform_raw_dir and platform_raw_inflight;
 * bad values and unknown kinds are refused with file:line.
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
	assert_string_equal(mc->platform_smc_dev, "/dev/scmi-smc");
	assert_string_equal(mc->platform_raw_dir, "/sys/kernel/debug/scmi/0/raw");
	assert_int_equal(mc->platform_raw_inflight, 8);
	mediator_cfg_free(mc);
	free(err);
}

static void test_smc(void **state)
{
	struct mediator_cfg *mc;
	char *err = errors(DIR "smc.cfg", &mc);

	assert_non_null(mc);
	assert_string_equal(mc->platform, "smc");
	assert_string_equal(mc->platform_smc_dev, "/dev/scmi-smc1");
	assert_string_equal(mc->platform_dtb, "");
	mediator_cfg_free(mc);
	free(err);
}

static void test_linux_raw(void **state)
{
	struct mediator_cfg *mc;
	char *err = errors(DIR "linux_raw.cfg", &mc);

	assert_non_null(mc);
	assert_string_equal(mc->platform, "linux-raw");
	assert_string_equal(mc->platform_raw_dir, DIR "raw");
	assert_int_equal(mc->platform_raw_dir_line, 3);
	assert_int_equal(mc->platform_raw_inflight, 4);
	mediator_cfg_free(mc);
	free(err);

	err = errors(DIR "bad_linux_raw.cfg", &mc);
	assert_null(mc);
	assert_non_null(strstr(err, "bad_linux_raw.cfg:2: 'platform_raw_dir' path is empty"));
	assert_non_null(strstr(err, "bad_linux_raw.cfg:3: 'platform_raw_inflight': 65 out of "
			       "range [1, 64]"));
	assert_non_null(strstr(err, "bad_linux_raw.cfg:4: 'platform_smc_dev' path is empty"));
	free(err);
}

static void test_unknown_kind(void **state)
{
	struct mediator_cfg *mc;
	char *err = errors(DIR "bad_platform_kind.cfg", &mc);

	assert_null(mc);
	assert_non_null(strstr(err, "bad_platform_kind.cfg:1: platform 'warp-drive' is not "
			       "supported"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smt_socket),
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_smc),
		cmocka_unit_test(test_linux_raw),
		cmocka_unit_test(test_unknown_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
