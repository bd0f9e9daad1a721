/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Deterministic value models of the embedded platform (sensor readings,
 * measured power): a pure function of the platform's virtual time.
 *
 *   constant  value
 *   ramp      start + k * step, wrapped into [min, max], k = t / period
 *   script    script[k % nscript], k = t / period
 */
#ifndef PLAT_VALUE_H
#define PLAT_VALUE_H

#include <stdint.h>

#include "../../config/platform_desc.h"

/* Value of model `v` at time `t_ns`. */
int64_t plat_value_at(const struct pd_value *v, uint64_t t_ns);
/* Period of the model in ns (0 for a constant: it never changes). */
uint64_t plat_value_period_ns(const struct pd_value *v);

#endif
