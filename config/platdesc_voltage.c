// SPDX-License-Identifier: GPL-2.0-only
/*
 * VOLTAGE section of a platform description:
 *   voltages = [ "name=vdd_io,levels=1800000 3300000,level=3300000",
 *                "name=vdd_cpu,min=600000,max=1000000,step=25000,async=1,async_us=200" ]
 * Levels are microvolts (signed), a strictly ascending list or a
 * min/max/step range; mode is on, off or an IMPDEF config word (0x8..0xf).
 */
#include <string.h>

#include "cfg.h"
#include "platdesc_util.h"
#include "platform_desc.h"

const char *const platdesc_voltage_keys[] = { "voltages", NULL };

static int parse_mode(struct spec *s, uint32_t *config)
{
	const char *v;
	uint64_t x;
	int r = spec_str(s, "mode", &v, "on");

	if (r < 0)
		return -1;
	if (!strcmp(v, "on")) {
		*config = 0x7;
		return 0;
	}
	if (!strcmp(v, "off")) {
		*config = 0x0;
		return 0;
	}
	if (spec_u64(s, "mode", &x, 0, 0x8, 0xf) < 0)
		return -1;
	*config = (uint32_t)x;
	return 0;
}

/* Space-separated signed list of spec key `k` into out[max], each within
 * [lo, hi]; count (0 if absent) or -1. */
static int spec_i64_list(struct spec *s, const char *k, int64_t *out, unsigned max,
			 int64_t lo, int64_t hi)
{
	char buf[1024], *tok, *save = NULL;
	const char *v;
	unsigned n = 0;
	int r = spec_str(s, k, &v, NULL);

	if (r < 0)
		return -1;
	if (r == 1)
		return 0;
	if (strlen(v) >= sizeof(buf)) {
		cfg_error(s->c, s->line, "'%s': too long", k);
		return -1;
	}
	strcpy(buf, v);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n >= max) {
			cfg_error(s->c, s->line, "'%s': too many values (max %u)", k, max);
			return -1;
		}
		if (!pdu_parse_i64(tok, &out[n])) {
			cfg_error(s->c, s->line, "'%s': '%s' is not an integer", k, tok);
			return -1;
		}
		if (out[n] < lo || out[n] > hi) {
			cfg_error(s->c, s->line, "'%s': %s out of range [%lld, %lld]", k, tok,
				  (long long)lo, (long long)hi);
			return -1;
		}
		n++;
	}
	if (!n) {
		cfg_error(s->c, s->line, "'%s' must list at least one value", k);
		return -1;
	}
	return (int)n;
}

static int parse_levels(struct spec *s, struct pd_voltage *v)
{
	int64_t lv[PD_MAX_VLEVELS], min, max, step;
	int n, rmin, rmax, rstep;

	n = spec_i64_list(s, "levels", lv, PD_MAX_VLEVELS, INT32_MIN, INT32_MAX);
	rmin = pdu_spec_i64(s, "min", &min, 0, INT32_MIN, INT32_MAX);
	rmax = pdu_spec_i64(s, "max", &max, 0, INT32_MIN, INT32_MAX);
	rstep = pdu_spec_i64(s, "step", &step, 0, 1, INT32_MAX);
	if (n < 0 || rmin < 0 || rmax < 0 || rstep < 0)
		return -1;
	if (n > 0 && (!rmin || !rmax || !rstep)) {
		cfg_error(s->c, s->line, "voltage domain '%s': give 'levels' or 'min,max,step', "
			  "not both", v->name);
		return -1;
	}
	if (n > 0) {
		for (int i = 0; i < n; i++) {
			if (i && lv[i] <= lv[i - 1]) {
				cfg_error(s->c, s->line, "voltage domain '%s': 'levels' must be "
					  "strictly ascending", v->name);
				return -1;
			}
			v->levels_uv[i] = (int32_t)lv[i];
		}
		v->nlevels = (unsigned)n;
		return 0;
	}
	if (rmin || rmax || rstep) {
		cfg_error(s->c, s->line, "voltage domain '%s': needs 'levels' or all of "
			  "'min', 'max' and 'step'", v->name);
		return -1;
	}
	if (min >= max || (max - min) % step) {
		cfg_error(s->c, s->line, "voltage domain '%s': needs min < max and max - min "
			  "a multiple of step", v->name);
		return -1;
	}
	v->range = true;
	v->min_uv = (int32_t)min;
	v->max_uv = (int32_t)max;
	v->step_uv = (int32_t)step;
	return 0;
}

static bool level_valid(const struct pd_voltage *v, int64_t uv)
{
	if (v->range)
		return uv >= v->min_uv && uv <= v->max_uv && (uv - v->min_uv) % v->step_uv == 0;
	for (unsigned i = 0; i < v->nlevels; i++)
		if (v->levels_uv[i] == uv)
			return true;
	return false;
}

static int parse_domain(struct cfg *c, int line, const char *text, struct pd_voltage *v)
{
	struct spec s;
	uint64_t x;
	int64_t level;
	int r, bad = 0;

	memset(v, 0, sizeof(*v));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (platdesc_spec_name(&s, "name", v->name, sizeof(v->name), true) < 0)
		bad++;
	if (parse_levels(&s, v) < 0)
		bad++;
	if (spec_bool(&s, "async", &v->async, false) < 0)
		bad++;
	if (spec_u64(&s, "async_us", &x, 0, 0, 10000000) < 0)
		bad++;
	v->set_latency_us = (uint32_t)x;
	if (parse_mode(&s, &v->config) < 0)
		bad++;
	r = pdu_spec_i64(&s, "level", &level, 0, INT32_MIN, INT32_MAX);
	if (r < 0)
		bad++;
	if (!bad) {
		if (r == 1)
			level = v->range ? v->min_uv : v->levels_uv[0];
		if (!level_valid(v, level)) {
			cfg_error(c, line, "voltage domain '%s': initial level %lld is not one of "
				  "its levels", v->name, (long long)level);
			bad++;
		}
		v->level_uv = (int32_t)level;
		if (!v->async && v->set_latency_us) {
			cfg_error(c, line, "voltage domain '%s': 'async_us' needs async=1",
				  v->name);
			bad++;
		}
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

int platdesc_parse_voltage(struct cfg *c, struct plat_desc *d)
{
	int n, bad = 0;
	int r = cfg_get_list(c, "voltages", &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > PD_MAX_VOLTAGES) {
		cfg_error(c, cfg_line(c, "voltages"), "too many voltage domains (%d, max %d)", n,
			  PD_MAX_VOLTAGES);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int line = cfg_item_line(c, "voltages", i);

		if (parse_domain(c, line, cfg_list_item(c, "voltages", i), &d->voltages[i])) {
			bad++;
			continue;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(d->voltages[j].name, d->voltages[i].name)) {
				cfg_error(c, line, "duplicate voltage domain name '%s'",
					  d->voltages[i].name);
				bad++;
			}
	}
	d->nvoltages = (unsigned)n;
	if (n > 0)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_VOLTAGE);
	return bad;
}
