// SPDX-License-Identifier: GPL-2.0-only
/* Platform value models shared by SENSOR and POWERCAP (backends/platform/plat_value.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "backends/platform/plat_value.h"

#define MS 1000000ull

static void test_constant(void **state)
{
	struct pd_value v = { .model = PD_VALUE_CONSTANT, .value = -42, .period_us = 10 };

	assert_int_equal(plat_value_at(&v, 0), -42);
	assert_int_equal(plat_value_at(&v, 1000 * MS), -42);
}

static void test_ramp_wraps(void **state)
{
	struct pd_value v = { .model = PD_VALUE_RAMP, .value = 2000, .step = 1000,
			      .period_us = 10000, .min = 2000, .max = 9999 };

	assert_int_equal(plat_value_at(&v, 0), 2000);
	assert_int_equal(plat_value_at(&v, 9 * MS), 2000);
	assert_int_equal(plat_value_at(&v, 10 * MS), 3000);
	assert_int_equal(plat_value_at(&v, 70 * MS), 9000);
	assert_int_equal(plat_value_at(&v, 80 * MS), 2000);
	assert_int_equal(plat_value_at(&v, 85 * MS), 2000);
	assert_int_equal(plat_value_at(&v, 90 * MS), 3000);
}

static void test_ramp_negative(void **state)
{
	struct pd_value v = { .model = PD_VALUE_RAMP, .value = 5, .step = -2,
			      .period_us = 1000, .min = 0, .max = 9 };

	assert_int_equal(plat_value_at(&v, 1 * MS), 3);
	assert_int_equal(plat_value_at(&v, 2 * MS), 1);
	assert_int_equal(plat_value_at(&v, 3 * MS), 9);     /* -1 wraps to max */
	assert_int_equal(plat_value_at(&v, 4 * MS), 7);
	/* full int64 range and huge times do not overflow */
	v.min = INT64_MIN;
	v.max = INT64_MAX;
	v.step = INT64_MAX;
	v.value = 0;
	v.period_us = 1;
	assert_int_equal(plat_value_at(&v, 1000), INT64_MAX);
	(void)plat_value_at(&v, UINT64_MAX);
}

static void test_ramp_degenerate(void **state)
{
	/* min == max: a single-value ring; max < min: the start value */
	struct pd_value v = { .model = PD_VALUE_RAMP, .value = 4, .step = 5,
			      .period_us = 1, .min = 4, .max = 4 };

	assert_int_equal(plat_value_at(&v, 0), 4);
	assert_int_equal(plat_value_at(&v, 1000000), 4);
	v.min = 9;
	v.max = 3;
	assert_int_equal(plat_value_at(&v, 1000000), 4);
	assert_int_equal(plat_value_period_ns(&v), 1000);
	v.model = PD_VALUE_CONSTANT;
	assert_int_equal(plat_value_period_ns(&v), 0);
}

static void test_script(void **state)
{
	struct pd_value v = { .model = PD_VALUE_SCRIPT, .period_us = 1000, .nscript = 3,
			      .script = { 10, -20, 30 } };

	assert_int_equal(plat_value_at(&v, 0), 10);
	assert_int_equal(plat_value_at(&v, 1 * MS), -20);
	assert_int_equal(plat_value_at(&v, 2 * MS + 999999), 30);
	assert_int_equal(plat_value_at(&v, 3 * MS), 10);
	v.period_us = 0;                      /* frozen at the first entry */
	assert_int_equal(plat_value_at(&v, 5 * MS), 10);
	v.nscript = 0;
	v.value = 7;
	assert_int_equal(plat_value_at(&v, 5 * MS), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_ramp_wraps),
		cmocka_unit_test(test_ramp_negative),
		cmocka_unit_test(test_ramp_degenerate),
		cmocka_unit_test(test_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
