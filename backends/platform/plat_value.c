// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deterministic value models (see plat_value.h).
 */
#include "plat_value.h"

uint64_t plat_value_period_ns(const struct pd_value *v)
{
	if (v->model == PD_VALUE_CONSTANT || !v->period_us)
		return 0;
	return v->period_us * 1000u;
}

static int64_t ramp_at(const struct pd_value *v, uint64_t k)
{
	/* Work on offsets from min in an unsigned 128-bit ring of size span. */
	unsigned __int128 span = (unsigned __int128)((uint64_t)v->max - (uint64_t)v->min) + 1u;
	__int128 start = (__int128)v->value - v->min;
	__int128 step = v->step;
	__int128 s = start % (__int128)span, d = step % (__int128)span;
	unsigned __int128 off;

	if (s < 0)
		s += (__int128)span;
	if (d < 0)
		d += (__int128)span;
	off = ((unsigned __int128)s + (((unsigned __int128)k % span) *
				       (unsigned __int128)d) % span) % span;
	return (int64_t)((__int128)v->min + (__int128)off);
}

int64_t plat_value_at(const struct pd_value *v, uint64_t t_ns)
{
	uint64_t period = plat_value_period_ns(v);
	uint64_t k = period ? t_ns / period : 0;

	switch (v->model) {
	case PD_VALUE_RAMP:
		if (v->max < v->min)
			return v->value;
		return ramp_at(v, k);
	case PD_VALUE_SCRIPT:
		if (!v->nscript)
			return v->value;
		return v->script[k % v->nscript];
	case PD_VALUE_CONSTANT:
	default:
		return v->value;
	}
}
