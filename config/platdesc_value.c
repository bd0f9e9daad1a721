// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spec-string helpers shared by the section parsers: signed integers,
 * signed lists and value models (struct pd_value).
 *   power=3500,power_model=ramp,power_step=-100,power_period_us=1000,
 *   power_min=1000,power_max=4000
 *   power_model=script,power_script=1000 2000 1500,power_period_us=500
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "platform_desc.h"

static int parse_i64(const char *t, size_t len, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, t, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int platdesc_spec_i64(struct spec *s, const char *k, int64_t *out, int64_t def,
		      int64_t lo, int64_t hi)
{
	const char *v;
	int r = spec_str(s, k, &v, NULL);

	if (r < 0)
		return -1;
	if (r == 1) {
		*out = def;
		return 1;
	}
	if (parse_i64(v, strlen(v), out) < 0) {
		cfg_error(s->c, s->line, "'%s': '%s' is not an integer", k, v);
		return -1;
	}
	if (*out < lo || *out > hi) {
		cfg_error(s->c, s->line,
			  "'%s': %" PRId64 " out of range [%" PRId64 ", %" PRId64 "]", k, *out,
			  lo, hi);
		return -1;
	}
	return 0;
}

int platdesc_spec_i64_list(struct spec *s, const char *k, int64_t *out, unsigned max,
			   int64_t lo, int64_t hi)
{
	const char *v;
	unsigned n = 0;
	int r = spec_str(s, k, &v, NULL);

	if (r < 0)
		return -1;
	if (r == 1)
		return 0;
	while (*v) {
		size_t len = 0;

		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		while (v[len] && v[len] != ' ' && v[len] != '\t')
			len++;
		if (n >= max) {
			cfg_error(s->c, s->line, "'%s': too many values (max %u)", k, max);
			return -1;
		}
		if (parse_i64(v, len, &out[n]) < 0) {
			cfg_error(s->c, s->line, "'%s': '%.*s' is not an integer", k, (int)len, v);
			return -1;
		}
		if (out[n] < lo || out[n] > hi) {
			cfg_error(s->c, s->line,
				  "'%s': %" PRId64 " out of range [%" PRId64 ", %" PRId64 "]",
				  k, out[n], lo, hi);
			return -1;
		}
		n++;
		v += len;
	}
	if (!n) {
		cfg_error(s->c, s->line, "'%s' must list at least one value", k);
		return -1;
	}
	return (int)n;
}

int platdesc_spec_value(struct spec *s, const char *prefix, struct pd_value *v,
			int64_t def, int64_t lo, int64_t hi)
{
	char key[64];
	const char *model;
	uint64_t period;
	int64_t span;
	int r, bad = 0;

	memset(v, 0, sizeof(*v));
#define KEY(suffix) (snprintf(key, sizeof(key), "%s%s", prefix, suffix), key)
	if (platdesc_spec_i64(s, KEY(""), &v->value, def, lo, hi) < 0)
		bad++;
	r = spec_str(s, KEY("_model"), &model, "constant");
	if (r < 0) {
		bad++;
		model = "constant";
	}
	if (!strcmp(model, "constant")) {
		v->model = PD_VALUE_CONSTANT;
	} else if (!strcmp(model, "ramp")) {
		v->model = PD_VALUE_RAMP;
	} else if (!strcmp(model, "script")) {
		v->model = PD_VALUE_SCRIPT;
	} else {
		cfg_error(s->c, s->line, "'%s': unknown model '%s' (constant, ramp or script)",
			  KEY("_model"), model);
		bad++;
	}
	if (spec_u64(s, KEY("_period_us"), &period, 1000000, 1, UINT32_MAX) < 0)
		bad++;
	v->period_us = period;
	/* the step may be negative and spans at most the whole range */
	span = (lo < 0 && hi > INT64_MAX + lo) ? INT64_MAX : hi - lo;
	if (platdesc_spec_i64(s, KEY("_step"), &v->step, 0, -span, span) < 0)
		bad++;
	if (platdesc_spec_i64(s, KEY("_min"), &v->min, lo, lo, hi) < 0)
		bad++;
	if (platdesc_spec_i64(s, KEY("_max"), &v->max, hi, lo, hi) < 0)
		bad++;
	r = platdesc_spec_i64_list(s, KEY("_script"), v->script, PD_MAX_SCRIPT, lo, hi);
	if (r < 0)
		bad++;
	else
		v->nscript = (unsigned)r;
	if (bad)
		return -1;
	if (v->model == PD_VALUE_RAMP) {
		if (v->min >= v->max) {
			cfg_error(s->c, s->line, "'%s_min' must be below '%s_max'", prefix, prefix);
			return -1;
		}
		if (v->value < v->min || v->value > v->max) {
			cfg_error(s->c, s->line, "'%s' must lie in ['%s_min', '%s_max']", prefix,
				  prefix, prefix);
			return -1;
		}
	}
	if (v->model == PD_VALUE_SCRIPT && !v->nscript) {
		cfg_error(s->c, s->line, "'%s_model=script' needs '%s_script'", prefix, prefix);
		return -1;
	}
	if (v->model != PD_VALUE_SCRIPT && v->nscript) {
		cfg_error(s->c, s->line, "'%s_script' needs '%s_model=script'", prefix, prefix);
		return -1;
	}
#undef KEY
	return 0;
}
