// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform description: the CLOCK section (docs/platform-config.md).
 *
 *   clock_max_async = 4
 *   clocks = [ "name=uart,rates=24000000 48000000,rate=24000000,enabled=1",
 *              "name=cpu,range=100000000-2000000000/100000000,async=1,notify=1" ]
 */
#include <inttypes.h>
#include <string.h>

#include "platdesc_util.h"

const char *const platdesc_clock_keys[] = { "clocks", "clock_max_async", NULL };

static int parse_rates(struct spec *s, struct pd_clock *k)
{
	const char *text;
	uint64_t rates[PD_MAX_RATES + 1];
	int n;

	if (spec_str(s, "rates", &text, NULL))
		return 1;
	n = spec_u64_list(s, "rates", rates, PD_MAX_RATES + 1);
	if (n < 0)
		return -1;
	if (n == 0 || n > PD_MAX_RATES) {
		cfg_error(s->c, s->line, "rates: need 1 to %d rates", PD_MAX_RATES);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (!rates[i] || (i && rates[i] <= rates[i - 1])) {
			cfg_error(s->c, s->line,
				  "rates: must be non-zero and strictly ascending");
			return -1;
		}
		k->rates[i] = rates[i];
	}
	k->nrates = (unsigned)n;
	return 0;
}

static bool rate_supported(const struct pd_clock *k, uint64_t r)
{
	if (k->range)
		return r >= k->min && r <= k->max && (r - k->min) % k->step == 0;
	for (unsigned i = 0; i < k->nrates; i++)
		if (k->rates[i] == r)
			return true;
	return false;
}

static int parse_one(struct cfg *c, int line, const char *text, struct pd_clock *k,
		     bool *has_parent)
{
	struct spec s;
	uint64_t v, parents[PD_MAX_PARENTS + 1];
	int errs = 0, ret, n;

	memset(k, 0, sizeof(*k));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	errs += pdu_spec_name(&s, "name", k->name) < 0;

	ret = parse_rates(&s, k);
	errs += ret < 0;
	if (ret == 1) {
		ret = pdu_spec_range(&s, "range", &k->min, &k->max, &k->step);
		errs += ret < 0;
		k->range = ret == 0;
		if (ret == 1) {
			cfg_error(c, line, "clock needs rates= or range=");
			errs++;
		}
	} else {
		const char *dummy;

		if (spec_str(&s, "range", &dummy, NULL) == 0) {
			cfg_error(c, line, "clock has both rates= and range=");
			errs++;
		}
	}
	if (spec_u64(&s, "rate", &v, 0, 1, UINT64_MAX) < 0)
		errs++;
	else if (!errs)
		k->rate = v ? v : (k->range ? k->min : k->rates[0]);
	if (!errs && !rate_supported(k, k->rate)) {
		cfg_error(c, line, "rate=%" PRIu64 " is not a supported rate", k->rate);
		errs++;
	}
	errs += spec_bool(&s, "enabled", &k->enabled, false) < 0;
	errs += spec_bool(&s, "async", &k->async, false) < 0;
	errs += spec_bool(&s, "notify", &k->notify, true) < 0;
	errs += spec_bool(&s, "restricted", &k->restricted, false) < 0;
	if (spec_u64(&s, "latency", &v, 0, 0, UINT32_MAX) < 0)
		errs++;
	k->enable_latency_us = (uint32_t)v;
	if (spec_u64(&s, "rate_latency", &v, 100, 0, 60000000) < 0)
		errs++;
	k->rate_latency_us = (uint32_t)v;

	n = spec_u64_list(&s, "parents", parents, PD_MAX_PARENTS + 1);
	if (n < 0) {
		errs++;
	} else if (n > PD_MAX_PARENTS) {
		cfg_error(c, line, "parents: at most %d parents", PD_MAX_PARENTS);
		errs++;
	} else {
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < i; j++) {
				if (parents[j] == parents[i]) {
					cfg_error(c, line, "parents: %" PRIu64 " listed twice",
						  parents[i]);
					errs++;
				}
			}
			k->parents[i] = parents[i] > UINT32_MAX ? UINT32_MAX : (uint32_t)parents[i];
		}
		k->nparents = (uint32_t)n;
	}
	ret = spec_u64(&s, "parent", &v, 0, 0, UINT32_MAX);
	errs += ret < 0;
	*has_parent = ret == 0;
	k->parent = (uint32_t)v;
	if (ret == 0 && !k->nparents) {
		cfg_error(c, line, "parent= without parents=");
		errs++;
	}
	if (ret == 1 && k->nparents)
		k->parent = k->parents[0];

	errs += spec_check_unused(&s);
	spec_free(&s);
	return errs;
}

int platdesc_parse_clock(struct cfg *c, struct plat_desc *d)
{
	int n = 0, errs = 0;
	uint64_t v;
	bool any_async = false;

	if (cfg_get_list(c, "clocks", &n) < 0)
		return 1;
	if (n > PD_MAX_CLOCKS) {
		cfg_error(c, cfg_line(c, "clocks"), "at most %d clocks", PD_MAX_CLOCKS);
		return 1;
	}
	d->nclocks = 0;
	for (int i = 0; i < n; i++) {
		struct pd_clock *k = &d->clocks[i];
		int line = cfg_item_line(c, "clocks", i);
		bool has_parent = false;
		int e = parse_one(c, line, cfg_list_item(c, "clocks", i), k, &has_parent);

		errs += e;
		if (e)
			continue;
		for (unsigned p = 0; p < k->nparents; p++) {
			if (k->parents[p] >= (unsigned)n || k->parents[p] == (unsigned)i) {
				cfg_error(c, line, "parents: %u is not another clock (0..%d)",
					  k->parents[p], n - 1);
				errs++;
			}
		}
		if (has_parent) {
			bool ok = false;

			for (unsigned p = 0; p < k->nparents; p++)
				ok |= k->parents[p] == k->parent;
			if (!ok) {
				cfg_error(c, line, "parent=%u is not in parents=", k->parent);
				errs++;
			}
		}
		any_async |= k->async;
	}
	d->nclocks = (unsigned)n;
	if (cfg_get_u64(c, "clock_max_async", &v, any_async ? 4 : 0, 0, 255) < 0)
		errs++;
	d->clock_max_async = (uint32_t)v;
	if (d->nclocks)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_CLOCK);
	return errs;
}
