// SPDX-License-Identifier: GPL-2.0-only
/*
 * POWER section of a platform description:
 *   power_domains = [ "name=gpu,async=1,sync=1,notify=1,state=off", ... ]
 * state is "on", "off" or a raw SCMI power state word (0x...).
 */
#include <string.h>

#include "cfg.h"
#include "platform_desc.h"

const char *const platdesc_power_keys[] = { "power_domains", NULL };

static int parse_state(struct spec *s, uint32_t *state)
{
	const char *v;
	uint64_t x;
	int r = spec_str(s, "state", &v, "off");

	if (r < 0)
		return -1;
	if (!strcmp(v, "on")) {
		*state = SCMI_POWER_STATE_ON;
		return 0;
	}
	if (!strcmp(v, "off")) {
		*state = SCMI_POWER_STATE_OFF;
		return 0;
	}
	if (spec_u64(s, "state", &x, 0, 0, UINT32_MAX) < 0)
		return -1;
	if (x & 0x80000000u) {
		cfg_error(s->c, s->line, "'state': bit 31 of a power state is reserved");
		return -1;
	}
	*state = (uint32_t)x;
	return 0;
}

static int parse_domain(struct cfg *c, int line, const char *text, struct pd_power_domain *pd)
{
	struct spec s;
	int bad = 0;

	memset(pd, 0, sizeof(*pd));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (platdesc_spec_name(&s, "name", pd->name, sizeof(pd->name), true) < 0)
		bad++;
	if (spec_bool(&s, "async", &pd->async, false) < 0)
		bad++;
	if (spec_bool(&s, "sync", &pd->sync, true) < 0)
		bad++;
	if (spec_bool(&s, "notify", &pd->notify, true) < 0)
		bad++;
	if (parse_state(&s, &pd->state) < 0)
		bad++;
	if (!bad && !pd->async && !pd->sync) {
		cfg_error(c, line, "power domain '%s': needs sync=1 or async=1", pd->name);
		bad++;
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

int platdesc_parse_power(struct cfg *c, struct plat_desc *d)
{
	int n, bad = 0;
	int r = cfg_get_list(c, "power_domains", &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > PD_MAX_POWER) {
		cfg_error(c, cfg_line(c, "power_domains"), "too many power domains (%d, max %d)",
			  n, PD_MAX_POWER);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int line = cfg_item_line(c, "power_domains", i);

		if (parse_domain(c, line, cfg_list_item(c, "power_domains", i), &d->power[i])) {
			bad++;
			continue;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(d->power[j].name, d->power[i].name)) {
				cfg_error(c, line, "duplicate power domain name '%s'",
					  d->power[i].name);
				bad++;
			}
	}
	d->npower = (unsigned)n;
	if (n > 0)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_POWER);
	return bad;
}
