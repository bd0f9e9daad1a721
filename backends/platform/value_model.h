/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Value models of the embedded platform (struct pd_value): what a sensor
 * reads or a powercap domain measures at a given platform time. Shared by
 * every protocol module that reports a modelled quantity.
 *
 *   constant  value
 *   ramp      value + step * floor(t / period); when min < max the result
 *             wraps around inside [min, max] (max + 1 becomes min)
 *   script    script[floor(t / period) mod nscript]
 *
 * t is the platform time (plat_time) in microseconds. A period of 0 freezes
 * the model at its first value.
 */
#ifndef PLAT_VALUE_MODEL_H
#define PLAT_VALUE_MODEL_H

#include <stdint.h>

#include "../../config/platform_desc.h"

int64_t pd_value_eval(const struct pd_value *v, uint64_t now_ns);

#endif
