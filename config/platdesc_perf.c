// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform description: the PERF section (docs/platform-config.md).
 *
 *   perf_power_unit = "mw"
 *   perf = [ "name=cpu0,levels=100:50:10:500000 200:120:10:1000000,level=200" ]
 *
 * A level is PERF:POWER:LATENCY_US:FREQ_KHZ; levels ascend by PERF.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "platdesc_util.h"

const char *const platdesc_perf_keys[] = { "perf", "perf_power_unit", NULL };

static int parse_level(struct spec *s, char *tok, struct pd_perf_level *l)
{
	char *f[4], *save = NULL;
	uint64_t v[4];
	int n = 0;

	for (char *t = strtok_r(tok, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
		if (n == 4)
			goto bad;
		f[n++] = t;
	}
	if (n != 4)
		goto bad;
	for (int i = 0; i < 4; i++)
		if (!pdu_parse_u64(f[i], &v[i]) || v[i] > UINT32_MAX)
			goto bad;
	if (!v[0]) {
		cfg_error(s->c, s->line, "levels: performance level 0 is not allowed");
		return -1;
	}
	l->perf = (uint32_t)v[0];
	l->power = (uint32_t)v[1];
	l->latency_us = (uint32_t)v[2];
	l->freq_khz = (uint32_t)v[3];
	return 0;
bad:
	cfg_error(s->c, s->line, "levels: want PERF:POWER:LATENCY_US:FREQ_KHZ items");
	return -1;
}

static int parse_levels(struct spec *s, struct pd_perf_domain *pd)
{
	const char *text;
	char buf[2048], *tok, *save = NULL;

	if (spec_str(s, "levels", &text, NULL)) {
		cfg_error(s->c, s->line, "missing levels=");
		return -1;
	}
	if (strlen(text) >= sizeof(buf)) {
		cfg_error(s->c, s->line, "levels: too long");
		return -1;
	}
	strcpy(buf, text);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		struct pd_perf_level *l;

		if (pd->nlevels >= PD_MAX_LEVELS) {
			cfg_error(s->c, s->line, "levels: at most %d levels", PD_MAX_LEVELS);
			return -1;
		}
		l = &pd->levels[pd->nlevels];
		if (parse_level(s, tok, l))
			return -1;
		if (pd->nlevels && l->perf <= pd->levels[pd->nlevels - 1].perf) {
			cfg_error(s->c, s->line, "levels: PERF values must strictly ascend");
			return -1;
		}
		pd->nlevels++;
	}
	if (!pd->nlevels) {
		cfg_error(s->c, s->line, "levels: need at least one level");
		return -1;
	}
	return 0;
}

static int parse_one(struct cfg *c, int line, const char *text, struct pd_perf_domain *pd)
{
	struct spec s;
	uint64_t v;
	int errs = 0;
	const struct pd_perf_level *top;

	memset(pd, 0, sizeof(*pd));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	errs += pdu_spec_name(&s, "name", pd->name) < 0;
	if (parse_levels(&s, pd)) {
		errs++;
		pd->nlevels = 1;           /* keep the defaults below well-defined */
	}
	top = &pd->levels[pd->nlevels - 1];
	if (spec_u64(&s, "level", &v, top->perf, 1, UINT32_MAX) < 0)
		errs++;
	pd->level = (uint32_t)v;
	if (spec_u64(&s, "sustained_freq", &v, top->freq_khz, 0, UINT32_MAX) < 0)
		errs++;
	pd->sustained_freq_khz = (uint32_t)v;
	if (spec_u64(&s, "sustained_perf", &v, top->perf, 0, UINT32_MAX) < 0)
		errs++;
	pd->sustained_perf = (uint32_t)v;
	if (spec_u64(&s, "rate_limit", &v, 0, 0, 0xfffff) < 0)
		errs++;
	pd->rate_limit_us = (uint32_t)v;
	errs += spec_bool(&s, "set_limits", &pd->set_limits, true) < 0;
	errs += spec_bool(&s, "set_level", &pd->set_level, true) < 0;
	errs += spec_bool(&s, "notify_limits", &pd->notify_limits, true) < 0;
	errs += spec_bool(&s, "notify_level", &pd->notify_level, true) < 0;
	errs += spec_bool(&s, "level_indexing", &pd->level_indexing, false) < 0;
	if (!errs) {
		bool ok = false;

		for (unsigned i = 0; i < pd->nlevels; i++)
			ok |= pd->levels[i].perf == pd->level;
		if (!ok) {
			cfg_error(c, line, "level=%u is not one of levels=", pd->level);
			errs++;
		}
	}
	errs += spec_check_unused(&s);
	spec_free(&s);
	return errs;
}

int platdesc_parse_perf(struct cfg *c, struct plat_desc *d)
{
	int n = 0, errs = 0, ret;
	const char *unit;

	ret = cfg_get_str(c, "perf_power_unit", &unit, "mw");
	if (ret < 0) {
		errs++;
	} else if (!strcmp(unit, "mw")) {
		d->perf_power_unit = PD_POWER_MW;
	} else if (!strcmp(unit, "uw")) {
		d->perf_power_unit = PD_POWER_UW;
	} else if (!strcmp(unit, "abstract")) {
		d->perf_power_unit = PD_POWER_ABSTRACT;
	} else {
		cfg_error(c, cfg_line(c, "perf_power_unit"),
			  "perf_power_unit: '%s' is not mw, uw or abstract", unit);
		errs++;
	}
	if (cfg_get_list(c, "perf", &n) < 0)
		return errs + 1;
	if (n > PD_MAX_PERF) {
		cfg_error(c, cfg_line(c, "perf"), "at most %d performance domains", PD_MAX_PERF);
		return errs + 1;
	}
	for (int i = 0; i < n; i++)
		errs += parse_one(c, cfg_item_line(c, "perf", i), cfg_list_item(c, "perf", i),
				  &d->perf[i]);
	d->nperf = (unsigned)n;
	if (d->nperf)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_PERF);
	return errs;
}
