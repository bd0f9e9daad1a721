// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evaluation of the platform's value models (see value_model.h).
 */
#include "value_model.h"

typedef unsigned __int128 u128;

/* a mod m for 0 < m <= 2^64, result in [0, m). */
static u128 umod(__int128 a, u128 m)
{
	__int128 r = a % (__int128)m;

	if (r < 0)
		r += (__int128)m;
	return (u128)r;
}

static int64_t ramp(const struct pd_value *v, uint64_t n)
{
	if (v->min < v->max) {
		/* wrap inside [min, max]: work modulo the range width (<= 2^64) */
		u128 w = (u128)((__int128)v->max - v->min + 1);
		u128 off = umod((__int128)v->value - v->min, w);
		u128 k = (umod(v->step, w) * ((u128)n % w)) % w;

		return (int64_t)((__int128)v->min + (__int128)((off + k) % w));
	}
	/* no range: saturate at the int64 limits */
	__int128 r = (__int128)v->value + (__int128)v->step * (__int128)n;

	if (r > INT64_MAX)
		return INT64_MAX;
	if (r < INT64_MIN)
		return INT64_MIN;
	return (int64_t)r;
}

int64_t pd_value_eval(const struct pd_value *v, uint64_t now_ns)
{
	uint64_t n = v->period_us ? (now_ns / 1000u) / v->period_us : 0;

	switch (v->model) {
	case PD_VALUE_RAMP:
		return ramp(v, n);
	case PD_VALUE_SCRIPT:
		if (!v->nscript)
			return v->value;
		return v->script[n % v->nscript];
	case PD_VALUE_CONSTANT:
	default:
		return v->value;
	}
}
