// SPDX-License-Identifier: GPL-2.0-only
/*
 * POWERCAP section of a platform description:
 *   powercaps = [ "name=soc,cap_min=1000,cap_max=8000,cap_step=100,cap=6000,"
 *                 "pai_min=1000,pai_max=100000,pai_step=1000,pai=10000,unit=mw,"
 *                 "notify=1,measurements=1,power=ramp:4000:500:100000:4000:7999" ]
 * A cap (or PAI) is configurable when its min differs from its max. The
 * measured power follows the "power" value model (docs/platform-config.md).
 */
#include <string.h>

#include "cfg.h"
#include "platdesc_util.h"
#include "platform_desc.h"

const char *const platdesc_powercap_keys[] = { "powercaps", NULL };

/* Shortest PAI: measurement notifications sample once per PAI. */
#define PC_MIN_PAI_US 1000u

/* min/max/step triplet "<p>_min", "<p>_max", "<p>_step". */
static int parse_triplet(struct spec *s, const char *p, const char *what, uint64_t lowest,
			 uint32_t *min, uint32_t *max, uint32_t *step)
{
	char kmin[32], kmax[32], kstep[32];
	uint64_t a = 1000, b = 1000, c = 0;
	int bad = 0;

	snprintf(kmin, sizeof(kmin), "%s_min", p);
	snprintf(kmax, sizeof(kmax), "%s_max", p);
	snprintf(kstep, sizeof(kstep), "%s_step", p);
	if (spec_u64(s, kmin, &a, 1000, lowest, UINT32_MAX) < 0)
		bad++;
	if (spec_u64(s, kmax, &b, a, lowest, UINT32_MAX) < 0)
		bad++;
	if (spec_u64(s, kstep, &c, 0, 0, UINT32_MAX) < 0)
		bad++;
	if (bad)
		return -1;
	if (a > b) {
		cfg_error(s->c, s->line, "'%s' must not exceed '%s'", kmin, kmax);
		return -1;
	}
	if (a != b && (!c || (b - a) % c)) {
		cfg_error(s->c, s->line, "%s range needs '%s' > 0 dividing %s_max - %s_min",
			  what, kstep, p, p);
		return -1;
	}
	if (a == b && c) {
		cfg_error(s->c, s->line, "'%s' given but the %s is fixed (%s_min == %s_max)",
			  kstep, what, p, p);
		return -1;
	}
	*min = (uint32_t)a;
	*max = (uint32_t)b;
	*step = (uint32_t)c;
	return 0;
}

static bool on_grid(uint32_t v, uint32_t min, uint32_t max, uint32_t step)
{
	return v >= min && v <= max && (min == max || (v - min) % step == 0);
}

static int parse_unit(struct spec *s, enum pd_power_unit *u)
{
	const char *v;

	if (spec_str(s, "unit", &v, "mw") < 0)
		return -1;
	if (!strcmp(v, "mw"))
		*u = PD_POWER_MW;
	else if (!strcmp(v, "uw"))
		*u = PD_POWER_UW;
	else if (!strcmp(v, "abstract"))
		*u = PD_POWER_ABSTRACT;
	else {
		cfg_error(s->c, s->line, "'unit': '%s' is not mw, uw or abstract", v);
		return -1;
	}
	return 0;
}

/* Measured power: a value model (docs/platform-config.md), default the
 * sustainable power; every value it can take must fit 0..2^32-1. */
static int parse_power(struct spec *s, struct pd_powercap *pc)
{
	struct pd_value *v = &pc->power;
	int r = pdu_spec_value(s, "power", v);
	bool ok = true;

	if (r < 0)
		return 1;
	if (r == 1) {
		v->value = pc->sustainable_power;
		return 0;
	}
	if (v->model == PD_VALUE_RAMP)
		ok = v->min >= 0 && v->max <= UINT32_MAX;
	else if (v->model == PD_VALUE_SCRIPT)
		for (unsigned i = 0; i < v->nscript; i++)
			ok = ok && v->script[i] >= 0 && v->script[i] <= UINT32_MAX;
	else
		ok = v->value >= 0 && v->value <= UINT32_MAX;
	if (!ok) {
		cfg_error(s->c, s->line, "powercap '%s': power values must lie in 0..4294967295",
			  pc->name);
		return 1;
	}
	return 0;
}

static int parse_domain(struct cfg *c, int line, const char *text, struct pd_powercap *pc)
{
	struct spec s;
	uint64_t x;
	const char *pv;
	int bad = 0;

	memset(pc, 0, sizeof(*pc));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (platdesc_spec_name(&s, "name", pc->name, sizeof(pc->name), true) < 0)
		bad++;
	if (parse_triplet(&s, "cap", "power cap", 1, &pc->min_cap, &pc->max_cap,
			  &pc->step_cap) < 0)
		bad++;
	/* the PAI is also the sampling period of measurement notifications */
	if (parse_triplet(&s, "pai", "PAI", PC_MIN_PAI_US, &pc->min_pai_us, &pc->max_pai_us,
			  &pc->step_pai_us) < 0)
		bad++;
	if (bad) {
		spec_free(&s);
		return bad;
	}
	pc->cap_configurable = pc->min_cap != pc->max_cap;
	pc->pai_configurable = pc->min_pai_us != pc->max_pai_us;
	if (spec_u64(&s, "cap", &x, pc->max_cap, 0, UINT32_MAX) < 0)
		bad++;
	pc->cap = (uint32_t)x;
	if (!bad && pc->cap && !on_grid(pc->cap, pc->min_cap, pc->max_cap, pc->step_cap)) {
		cfg_error(c, line, "powercap '%s': initial cap %u not 0 nor on cap_min..cap_max "
			  "by cap_step", pc->name, pc->cap);
		bad++;
	}
	if (spec_u64(&s, "pai", &x, pc->min_pai_us, 0, UINT32_MAX) < 0)
		bad++;
	pc->pai_us = (uint32_t)x;
	if (!bad && !on_grid(pc->pai_us, pc->min_pai_us, pc->max_pai_us, pc->step_pai_us)) {
		cfg_error(c, line, "powercap '%s': initial pai %u not on pai_min..pai_max by "
			  "pai_step", pc->name, pc->pai_us);
		bad++;
	}
	if (spec_u64(&s, "sustainable", &x, pc->max_cap, 0, UINT32_MAX) < 0)
		bad++;
	pc->sustainable_power = (uint32_t)x;
	if (spec_u64(&s, "accuracy", &x, 0, 0, UINT32_MAX) < 0)
		bad++;
	pc->accuracy = (uint32_t)x;
	if (spec_str(&s, "parent", &pv, "none") < 0) {
		bad++;
	} else if (!strcmp(pv, "none")) {
		pc->parent = UINT32_MAX;
	} else {
		if (spec_u64(&s, "parent", &x, 0, 0, PD_MAX_POWERCAPS - 1) < 0)
			bad++;
		pc->parent = (uint32_t)x;
	}
	if (parse_unit(&s, &pc->unit) < 0)
		bad++;
	if (spec_bool(&s, "async", &pc->async, false) < 0)
		bad++;
	if (spec_u64(&s, "async_us", &x, 0, 0, 10000000) < 0)
		bad++;
	pc->set_latency_us = (uint32_t)x;
	if (spec_bool(&s, "notify", &pc->notify, false) < 0)
		bad++;
	if (spec_bool(&s, "measurements", &pc->measurements, false) < 0)
		bad++;
	if (spec_bool(&s, "fastchannel", &pc->fastchannel, false) < 0)
		bad++;
	bad += parse_power(&s, pc);
	if (!bad && pc->fastchannel) {
		cfg_error(c, line, "powercap '%s': fastchannels are not supported by the "
			  "embedded platform", pc->name);
		bad++;
	}
	if (!bad && !pc->async && pc->set_latency_us) {
		cfg_error(c, line, "powercap '%s': 'async_us' needs async=1", pc->name);
		bad++;
	}
	if (!bad && pc->async && !pc->cap_configurable) {
		cfg_error(c, line, "powercap '%s': async=1 needs a configurable cap", pc->name);
		bad++;
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

/* Parents must exist, differ from the domain and form no cycle. */
static int check_parents(struct cfg *c, struct plat_desc *d, const int *lines)
{
	int bad = 0;

	for (unsigned i = 0; i < d->npowercaps; i++) {
		uint32_t p = d->powercaps[i].parent;
		unsigned hops = 0;

		if (p == UINT32_MAX)
			continue;
		if (p >= d->npowercaps || p == i) {
			cfg_error(c, lines[i], "powercap '%s': parent %u is not another powercap "
				  "domain", d->powercaps[i].name, p);
			bad++;
			continue;
		}
		while (p != UINT32_MAX && p < d->npowercaps && hops <= d->npowercaps) {
			p = d->powercaps[p].parent;
			hops++;
		}
		if (hops > d->npowercaps) {
			cfg_error(c, lines[i], "powercap '%s': parent chain loops",
				  d->powercaps[i].name);
			bad++;
		}
	}
	return bad;
}

int platdesc_parse_powercap(struct cfg *c, struct plat_desc *d)
{
	int lines[PD_MAX_POWERCAPS];
	int n, bad = 0;
	int r = cfg_get_list(c, "powercaps", &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > PD_MAX_POWERCAPS) {
		cfg_error(c, cfg_line(c, "powercaps"), "too many powercap domains (%d, max %d)",
			  n, PD_MAX_POWERCAPS);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		lines[i] = cfg_item_line(c, "powercaps", i);
		if (parse_domain(c, lines[i], cfg_list_item(c, "powercaps", i),
				 &d->powercaps[i])) {
			bad++;
			continue;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(d->powercaps[j].name, d->powercaps[i].name)) {
				cfg_error(c, lines[i], "duplicate powercap domain name '%s'",
					  d->powercaps[i].name);
				bad++;
			}
	}
	d->npowercaps = (unsigned)n;
	if (!bad)
		bad += check_parents(c, d, lines);
	if (n > 0)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_POWERCAP);
	return bad;
}
