// SPDX-License-Identifier: GPL-2.0-only
/*
 * RESET section of a platform description:
 *   resets = [ "name=mmc_rst,latency=10,async=1,notify=1,async_us=50", ... ]
 * latency is the reported reset latency in microseconds ("unknown" for
 * 0xffffffff); async_us is how long an asynchronous reset takes.
 */
#include <string.h>

#include "cfg.h"
#include "platform_desc.h"

const char *const platdesc_reset_keys[] = { "resets", NULL };

static int parse_latency(struct spec *s, uint32_t *lat)
{
	const char *v;
	uint64_t x;
	int r = spec_str(s, "latency", &v, "0");

	if (r < 0)
		return -1;
	if (!strcmp(v, "unknown")) {
		*lat = UINT32_MAX;
		return 0;
	}
	if (spec_u64(s, "latency", &x, 0, 0, UINT32_MAX - 1) < 0)
		return -1;
	*lat = (uint32_t)x;
	return 0;
}

static int parse_domain(struct cfg *c, int line, const char *text, struct pd_reset *rd)
{
	struct spec s;
	uint64_t x;
	int bad = 0;

	memset(rd, 0, sizeof(*rd));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (platdesc_spec_name(&s, "name", rd->name, sizeof(rd->name), true) < 0)
		bad++;
	if (parse_latency(&s, &rd->latency_us) < 0)
		bad++;
	if (spec_bool(&s, "async", &rd->async, false) < 0)
		bad++;
	if (spec_bool(&s, "notify", &rd->notify, false) < 0)
		bad++;
	if (spec_u64(&s, "async_us", &x, 0, 0, 10000000) < 0)
		bad++;
	rd->async_us = (uint32_t)x;
	if (!bad && !rd->async && x) {
		cfg_error(c, line, "reset domain '%s': 'async_us' needs async=1", rd->name);
		bad++;
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

int platdesc_parse_reset(struct cfg *c, struct plat_desc *d)
{
	int n, bad = 0;
	int r = cfg_get_list(c, "resets", &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > PD_MAX_RESETS) {
		cfg_error(c, cfg_line(c, "resets"), "too many reset domains (%d, max %d)", n,
			  PD_MAX_RESETS);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int line = cfg_item_line(c, "resets", i);

		if (parse_domain(c, line, cfg_list_item(c, "resets", i), &d->resets[i])) {
			bad++;
			continue;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(d->resets[j].name, d->resets[i].name)) {
				cfg_error(c, line, "duplicate reset domain name '%s'",
					  d->resets[i].name);
				bad++;
			}
	}
	d->nresets = (unsigned)n;
	if (n > 0)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_RESET);
	return bad;
}
