/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the platform-description section parsers
 * (config/platdesc_<proto>.c): signed numbers, ranges, names and value
 * models inside xl-style spec strings. Every error is reported through
 * cfg_error() with the spec's file:line; functions return 0 on success,
 * 1 when an optional key is absent (default stored) and -1 on error.
 */
#ifndef PLATDESC_UTIL_H
#define PLATDESC_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "platform_desc.h"

/* Shortest model period and sensor update interval (us): the platform
 * runs a timer per period, so sub-millisecond ones would only burn CPU. */
#define PDU_MIN_PERIOD_US 1000u

/* Parse a whole string as a number (decimal, or 0x hex). */
bool pdu_parse_u64(const char *text, uint64_t *out);
bool pdu_parse_i64(const char *text, int64_t *out);

/* Signed spec value within [min, max]. */
int pdu_spec_i64(struct spec *s, const char *k, int64_t *out, int64_t def,
		 int64_t min, int64_t max);
/* Mandatory name: 1..PD_NAME_MAX-1 printable characters, no quotes. */
int pdu_spec_name(struct spec *s, const char *k, char *dst);
/* "LOW-HIGH/STEP" with LOW < HIGH, STEP > 0 and STEP <= HIGH - LOW.
 * Returns 1 if absent. */
int pdu_spec_range(struct spec *s, const char *k, uint64_t *lo, uint64_t *hi,
		   uint64_t *step);
/*
 * Value model (docs/platform-config.md):
 *   N | const:N | ramp:START:STEP:PERIOD_US:MIN:MAX | script:PERIOD_US:V1 V2 ...
 * (PERIOD_US >= PDU_MIN_PERIOD_US).
 * Returns 1 if absent (constant 0 stored).
 */
int pdu_spec_value(struct spec *s, const char *k, struct pd_value *v);

#endif
