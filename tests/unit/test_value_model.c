// SPDX-License-Identifier: GPL-2.0-only
/* Platform value models (backends/platform/value_model.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "backends/platform/value_model.h"

#define MS 1000000ull

static void test_constant(void **state)
{
	struct pd_value v = { .model = PD_VALUE_CONSTANT, .value = -42, .period_us = 10 };

	assert_int_equal(pd_value_eval(&v, 0), -42);
	assert_int_equal(pd_value_eval(&v, 1000 * MS), -42);
}

static void test_ramp_wraps(void **state)
{
	struct pd_value v = { .model = PD_VALUE_RAMP, .value = 2000, .step = 1000,
			      .period_us = 10000, .min = 2000, .max = 9999 };

	assert_int_equal(pd_value_eval(&v, 0), 2000);
	assert_int_equal(pd_value_eval(&v, 9 * MS), 2000);
	assert_int_equal(pd_value_eval(&v, 10 * MS), 3000);
	assert_int_equal(pd_value_eval(&v, 70 * MS), 9000);
	assert_int_equal(pd_value_eval(&v, 80 * MS), 2000);
	assert_int_equal(pd_value_eval(&v, 85 * MS), 2000);
	assert_int_equal(pd_value_eval(&v, 90 * MS), 3000);
}

static void test_ramp_negative(void **state)
{
	struct pd_value v = { .model = PD_VALUE_RAMP, .value = 5, .step = -2,
			      .period_us = 1000, .min = 0, .max = 9 };

	assert_int_equal(pd_value_eval(&v, 1 * MS), 3);
	assert_int_equal(pd_value_eval(&v, 2 * MS), 1);
	assert_int_equal(pd_value_eval(&v, 3 * MS), 9);     /* -1 wraps to max */
	assert_int_equal(pd_value_eval(&v, 4 * MS), 7);
	/* full int64 range and huge times do not overflow */
	v.min = INT64_MIN;
	v.max = INT64_MAX;
	v.step = INT64_MAX;
	v.value = 0;
	v.period_us = 1;
	assert_int_equal(pd_value_eval(&v, 1000), INT64_MAX);
	(void)pd_value_eval(&v, UINT64_MAX);
}

static void test_ramp_saturates(void **state)
{
	struct pd_value v = { .model = PD_VALUE_RAMP, .value = INT64_MAX - 1, .step = 5,
			      .period_us = 1 };

	assert_int_equal(pd_value_eval(&v, 0), INT64_MAX - 1);
	assert_int_equal(pd_value_eval(&v, 1000), INT64_MAX);
	v.value = INT64_MIN + 1;
	v.step = -5;
	assert_int_equal(pd_value_eval(&v, 1000), INT64_MIN);
}

static void test_script(void **state)
{
	struct pd_value v = { .model = PD_VALUE_SCRIPT, .period_us = 1000, .nscript = 3,
			      .script = { 10, -20, 30 } };

	assert_int_equal(pd_value_eval(&v, 0), 10);
	assert_int_equal(pd_value_eval(&v, 1 * MS), -20);
	assert_int_equal(pd_value_eval(&v, 2 * MS + 999999), 30);
	assert_int_equal(pd_value_eval(&v, 3 * MS), 10);
	v.period_us = 0;                      /* frozen at the first entry */
	assert_int_equal(pd_value_eval(&v, 5 * MS), 10);
	v.nscript = 0;
	v.value = 7;
	assert_int_equal(pd_value_eval(&v, 5 * MS), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_ramp_wraps),
		cmocka_unit_test(test_ramp_negative),
		cmocka_unit_test(test_ramp_saturates),
		cmocka_unit_test(test_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
