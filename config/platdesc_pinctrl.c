// SPDX-License-Identifier: GPL-2.0-only
/*
 * PINCTRL section of a platform description:
 *   pins = [ "gpio0", "gpio1", "uart0_tx", "uart0_rx" ]
 *   pin_groups = [ "name=uart0_grp,pins=uart0_tx uart0_rx", "name=gpio_grp,pins=0 1" ]
 *   pin_functions = [ "name=uart0,groups=uart0_grp", "name=gpio,groups=1" ]
 * Groups list pins and functions list groups, by name or by index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "platform_desc.h"

const char *const platdesc_pinctrl_keys[] = { "pins", "pin_groups", "pin_functions", NULL };

static bool name_ok(struct cfg *c, int line, const char *what, const char *name)
{
	if (!*name) {
		cfg_error(c, line, "%s name must not be empty", what);
		return false;
	}
	if (strlen(name) >= PD_NAME_MAX) {
		cfg_error(c, line, "%s name '%s' longer than %d characters", what, name,
			  PD_NAME_MAX - 1);
		return false;
	}
	for (const char *p = name; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == ',' || *p == '=') {
			cfg_error(c, line, "%s name '%s' contains a space, ',' or '='", what, name);
			return false;
		}
	return true;
}

static int parse_pins(struct cfg *c, struct plat_desc *d)
{
	int n, bad = 0;
	int r = cfg_get_list(c, "pins", &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > PD_MAX_PINS) {
		cfg_error(c, cfg_line(c, "pins"), "too many pins (%d, max %d)", n, PD_MAX_PINS);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int line = cfg_item_line(c, "pins", i);
		const char *name = cfg_list_item(c, "pins", i);

		if (!name_ok(c, line, "pin", name)) {
			bad++;
			continue;
		}
		strcpy(d->pins[i].name, name);
		for (int j = 0; j < i; j++)
			if (!strcmp(d->pins[j].name, name)) {
				cfg_error(c, line, "duplicate pin name '%s'", name);
				bad++;
			}
	}
	d->npins = (unsigned)n;
	return bad;
}

/*
 * Resolve the space-separated references of spec key `k` (names from
 * `names`, stride `stride`, or indices below `count`) into out[max].
 */
static int parse_refs(struct spec *s, const char *k, const char *what, const char *names,
		      size_t stride, unsigned count, uint32_t *out, unsigned max)
{
	const char *v;
	unsigned n = 0;

	if (spec_str(s, k, &v, NULL) != 0) {
		cfg_error(s->c, s->line, "missing '%s='", k);
		return -1;
	}
	while (*v) {
		char tok[PD_NAME_MAX], *end;
		size_t len = 0;
		unsigned long id;
		unsigned i;

		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		while (v[len] && v[len] != ' ' && v[len] != '\t')
			len++;
		if (len >= sizeof(tok)) {
			cfg_error(s->c, s->line, "'%s': unknown %s '%.*s'", k, what, (int)len, v);
			return -1;
		}
		memcpy(tok, v, len);
		tok[len] = '\0';
		v += len;
		for (i = 0; i < count; i++)
			if (!strcmp(names + i * stride, tok))
				break;
		if (i == count) {
			errno = 0;
			id = strtoul(tok, &end, 10);
			if (errno || *end || tok[0] == '-' || id >= count) {
				cfg_error(s->c, s->line, "'%s': unknown %s '%s'", k, what, tok);
				return -1;
			}
			i = (unsigned)id;
		}
		for (unsigned j = 0; j < n; j++)
			if (out[j] == i) {
				cfg_error(s->c, s->line, "'%s': %s '%s' listed twice", k, what,
					  tok);
				return -1;
			}
		if (n >= max) {
			cfg_error(s->c, s->line, "'%s': too many %ss (max %u)", k, what, max);
			return -1;
		}
		out[n++] = i;
	}
	if (!n) {
		cfg_error(s->c, s->line, "'%s' must list at least one %s", k, what);
		return -1;
	}
	return (int)n;
}

/* One group (pins != NULL) or function entry. */
static int parse_entry(struct cfg *c, int line, const char *text, struct plat_desc *d,
		       struct pd_group *g, struct pd_function *f)
{
	struct spec s;
	char *name = g ? g->name : f->name;
	int n, bad = 0;

	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (platdesc_spec_name(&s, "name", name, PD_NAME_MAX, true) < 0)
		bad++;
	else if (!name_ok(c, line, g ? "pin group" : "pin function", name))
		bad++;
	if (g) {
		n = parse_refs(&s, "pins", "pin", d->pins[0].name, sizeof(d->pins[0]), d->npins,
			       g->pins, PD_MAX_GROUP_PINS);
		if (n < 0)
			bad++;
		else
			g->npins = (uint32_t)n;
	} else {
		n = parse_refs(&s, "groups", "pin group", d->groups[0].name, sizeof(d->groups[0]),
			       d->ngroups, f->groups, PD_MAX_FUNC_GROUPS);
		if (n < 0)
			bad++;
		else
			f->ngroups = (uint32_t)n;
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

static int parse_list(struct cfg *c, struct plat_desc *d, bool groups)
{
	const char *key = groups ? "pin_groups" : "pin_functions";
	const char *what = groups ? "pin group" : "pin function";
	int max = groups ? PD_MAX_GROUPS : PD_MAX_FUNCTIONS;
	int n, bad = 0;
	int r = cfg_get_list(c, key, &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > max) {
		cfg_error(c, cfg_line(c, key), "too many %ss (%d, max %d)", what, n, max);
		return 1;
	}
	if (n > 0 && (groups ? d->npins : d->ngroups) == 0) {
		cfg_error(c, cfg_line(c, key), "'%s' given but no %s defined", key,
			  groups ? "'pins' are" : "'pin_groups' are");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int line = cfg_item_line(c, key, i);
		const char *name;

		if (parse_entry(c, line, cfg_list_item(c, key, i), d,
				groups ? &d->groups[i] : NULL, groups ? NULL : &d->functions[i])) {
			bad++;
			continue;
		}
		name = groups ? d->groups[i].name : d->functions[i].name;
		for (int j = 0; j < i; j++)
			if (!strcmp(groups ? d->groups[j].name : d->functions[j].name, name)) {
				cfg_error(c, line, "duplicate %s name '%s'", what, name);
				bad++;
			}
	}
	if (groups)
		d->ngroups = (unsigned)n;
	else
		d->nfunctions = (unsigned)n;
	return bad;
}

int platdesc_parse_pinctrl(struct cfg *c, struct plat_desc *d)
{
	int bad = parse_pins(c, d);

	if (bad)
		return bad;
	bad = parse_list(c, d, true);
	if (bad)
		return bad;
	bad = parse_list(c, d, false);
	if (d->npins > 0)
		d->protocols_mask |= PD_PROTO_BIT(SCMI_PROTO_PINCTRL);
	return bad;
}
