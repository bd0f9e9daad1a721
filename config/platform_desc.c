// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform description loader: top-level keys (identity, agents, devices,
 * system), the per-protocol sections (config/platdesc_<proto>.c) and the
 * cross-checks between them (device references, agent device lists).
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "platform_desc.h"

static const char *const proto_names[] = {
	"base", "power", "system", "perf", "clock",
	"sensor", "reset", "voltage", "powercap", "pinctrl",
};
#define NPROTO_NAMES (sizeof(proto_names) / sizeof(proto_names[0]))

int plat_desc_proto_id(const char *name)
{
	for (unsigned i = 0; i < NPROTO_NAMES; i++)
		if (!strcmp(name, proto_names[i]))
			return (int)(SCMI_PROTO_BASE + i);
	return -1;
}

const char *plat_desc_proto_name(uint8_t id)
{
	if (id < SCMI_PROTO_BASE || (size_t)(id - SCMI_PROTO_BASE) >= NPROTO_NAMES)
		return NULL;
	return proto_names[id - SCMI_PROTO_BASE];
}

/* Top-level keys handled here. */
static const char *const core_keys[] = {
	"vendor", "sub_vendor", "impl_version", "agents", "devices", "system_suspend",
	NULL,
};

/*
 * The protocol sections, in parse order. Each helper adds its own line
 * here (parser + exported key list); devices are checked after all ran.
 */
static const struct {
	int (*parse)(struct cfg *c, struct plat_desc *d);
	const char *const *keys;
} sections[] = {
	{ platdesc_parse_power, platdesc_power_keys },
	{ platdesc_parse_perf, platdesc_perf_keys },
	{ platdesc_parse_clock, platdesc_clock_keys },
	{ platdesc_parse_sensor, platdesc_sensor_keys },
	{ platdesc_parse_reset, platdesc_reset_keys },
	{ platdesc_parse_voltage, platdesc_voltage_keys },
	{ platdesc_parse_powercap, platdesc_powercap_keys },
	{ platdesc_parse_pinctrl, platdesc_pinctrl_keys },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* ---- helpers shared with the section parsers -------------------------- */

int platdesc_spec_name(struct spec *s, const char *k, char *dst, size_t cap, bool required)
{
	const char *v;
	int r = spec_str(s, k, &v, NULL);

	if (r < 0)
		return -1;
	if (r == 1) {
		if (required) {
			cfg_error(s->c, s->line, "missing '%s='", k);
			return -1;
		}
		dst[0] = '\0';
		return 0;
	}
	if (!*v) {
		cfg_error(s->c, s->line, "'%s' must not be empty", k);
		return -1;
	}
	if (strlen(v) >= cap) {
		cfg_error(s->c, s->line, "'%s': '%s' longer than %zu characters", k, v, cap - 1);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

int platdesc_spec_ids(struct spec *s, const char *k, uint32_t *out, unsigned max)
{
	uint64_t v[64];
	int n;

	if (max > 64)
		max = 64;
	n = spec_u64_list(s, k, v, (int)max);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (v[i] > UINT32_MAX) {
			cfg_error(s->c, s->line, "'%s': id %llu too large", k,
				  (unsigned long long)v[i]);
			return -1;
		}
		out[i] = (uint32_t)v[i];
	}
	return n;
}

/* ---- identity ----------------------------------------------------------- */

static int parse_ident(struct cfg *c, struct plat_desc *d)
{
	const char *s;
	uint64_t v;
	int bad = 0;

	if (cfg_get_str(c, "vendor", &s, "scmi-mediator") < 0)
		bad++;
	else if (strlen(s) >= sizeof(d->vendor)) {
		cfg_error(c, cfg_line(c, "vendor"), "'vendor' longer than %zu characters",
			  sizeof(d->vendor) - 1);
		bad++;
	} else {
		strcpy(d->vendor, s);
	}
	if (cfg_get_str(c, "sub_vendor", &s, "reference") < 0)
		bad++;
	else if (strlen(s) >= sizeof(d->sub_vendor)) {
		cfg_error(c, cfg_line(c, "sub_vendor"), "'sub_vendor' longer than %zu characters",
			  sizeof(d->sub_vendor) - 1);
		bad++;
	} else {
		strcpy(d->sub_vendor, s);
	}
	if (cfg_get_u64(c, "impl_version", &v, 0x10000, 0, UINT32_MAX) < 0)
		bad++;
	d->impl_version = (uint32_t)v;
	if (cfg_get_bool(c, "system_suspend", &d->system_suspend, false) < 0)
		bad++;
	return bad;
}

/* ---- agents ------------------------------------------------------------- */

static int parse_protocols(struct spec *s, uint32_t *mask)
{
	const char *v;
	int r = spec_str(s, "protocols", &v, "all");

	if (r < 0)
		return -1;
	if (!strcmp(v, "all")) {
		*mask = (1u << NPROTO_NAMES) - 1;
		return 0;
	}
	*mask = PD_PROTO_BIT(SCMI_PROTO_BASE);     /* BASE is always allowed */
	while (*v) {
		char tok[16];
		size_t len = 0;
		int id;

		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		while (v[len] && v[len] != ' ' && v[len] != '\t')
			len++;
		if (len >= sizeof(tok)) {
			cfg_error(s->c, s->line, "'protocols': unknown protocol '%.*s'",
				  (int)len, v);
			return -1;
		}
		memcpy(tok, v, len);
		tok[len] = '\0';
		v += len;
		id = plat_desc_proto_id(tok);
		if (id < 0) {
			cfg_error(s->c, s->line, "'protocols': unknown protocol '%s'", tok);
			return -1;
		}
		*mask |= PD_PROTO_BIT(id);
	}
	return 0;
}

static int parse_agent(struct cfg *c, int line, const char *text, unsigned idx,
		       struct pd_agent *a)
{
	struct spec s;
	uint64_t id;
	const char *dv;
	int bad = 0;

	memset(a, 0, sizeof(*a));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (spec_u64(&s, "id", &id, idx + 1, 1, PD_MAX_AGENTS) < 0)
		bad++;
	a->id = (uint32_t)id;
	if (platdesc_spec_name(&s, "name", a->name, sizeof(a->name), true) < 0)
		bad++;
	if (parse_protocols(&s, &a->protocols_mask) < 0)
		bad++;
	if (spec_bool(&s, "trusted", &a->trusted, false) < 0)
		bad++;
	if (spec_str(&s, "devices", &dv, "all") < 0) {
		bad++;
	} else if (!strcmp(dv, "all")) {
		a->all_devices = true;
	} else {
		int n = platdesc_spec_ids(&s, "devices", a->devices, PD_MAX_DEVICES);

		if (n < 0)
			bad++;
		else
			a->ndevices = (uint32_t)n;
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

static int parse_agents(struct cfg *c, struct plat_desc *d, int *lines)
{
	struct pd_agent tmp[PD_MAX_AGENTS];
	int tmpline[PD_MAX_AGENTS];
	int n, bad = 0;
	int r = cfg_get_list(c, "agents", &n);

	if (r < 0)
		return 1;
	if (r == 1 || n == 0) {
		cfg_error(c, cfg_line(c, "agents"), "'agents' must list at least one agent");
		return 1;
	}
	if (n > PD_MAX_AGENTS) {
		cfg_error(c, cfg_line(c, "agents"), "too many agents (%d, max %d)", n,
			  PD_MAX_AGENTS);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		tmpline[i] = cfg_item_line(c, "agents", i);
		bad += parse_agent(c, tmpline[i], cfg_list_item(c, "agents", i), (unsigned)i,
				   &tmp[i]);
	}
	if (bad)
		return bad;
	/* ids must be exactly 1..n; store agent k at index k-1 */
	bool seen[PD_MAX_AGENTS + 1] = { false };

	for (int i = 0; i < n; i++) {
		if (tmp[i].id > (uint32_t)n) {
			cfg_error(c, tmpline[i], "agent id %u out of range: ids must be 1..%d",
				  tmp[i].id, n);
			bad++;
		} else if (seen[tmp[i].id]) {
			cfg_error(c, tmpline[i], "duplicate agent id %u", tmp[i].id);
			bad++;
		} else {
			seen[tmp[i].id] = true;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(tmp[i].name, tmp[j].name)) {
				cfg_error(c, tmpline[i], "duplicate agent name '%s'", tmp[i].name);
				bad++;
			}
	}
	if (bad)
		return bad;
	for (int i = 0; i < n; i++) {
		d->agents[tmp[i].id - 1] = tmp[i];
		lines[tmp[i].id - 1] = tmpline[i];
	}
	d->nagents = (unsigned)n;
	return 0;
}

/* ---- devices ------------------------------------------------------------ */

static int parse_device(struct cfg *c, int line, const char *text, unsigned idx,
			struct pd_device *dev)
{
	static const struct {
		const char *key;
		size_t off, noff;
		unsigned max;
	} refs[] = {
#define REF(k, f) { k, offsetof(struct pd_device, f), offsetof(struct pd_device, n##f), \
		    sizeof(((struct pd_device *)0)->f) / sizeof(uint32_t) }
		REF("clocks", clocks), REF("power", power), REF("resets", resets),
		REF("perf", perf), REF("voltages", voltages), REF("sensors", sensors),
		REF("pins", pins),
#undef REF
	};
	struct spec s;
	uint64_t id;
	int bad = 0;

	memset(dev, 0, sizeof(*dev));
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return 1;
	}
	if (spec_u64(&s, "id", &id, idx, 0, PD_MAX_DEVICES - 1) < 0)
		bad++;
	dev->id = (uint32_t)id;
	if (platdesc_spec_name(&s, "name", dev->name, sizeof(dev->name), true) < 0)
		bad++;
	for (unsigned i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		uint32_t *arr = (uint32_t *)((char *)dev + refs[i].off);
		uint32_t *cnt = (uint32_t *)((char *)dev + refs[i].noff);
		int n = platdesc_spec_ids(&s, refs[i].key, arr, refs[i].max);

		if (n < 0)
			bad++;
		else
			*cnt = (uint32_t)n;
	}
	bad += spec_check_unused(&s);
	spec_free(&s);
	return bad;
}

static int parse_devices(struct cfg *c, struct plat_desc *d, int *lines)
{
	int n, bad = 0;
	int r = cfg_get_list(c, "devices", &n);

	if (r < 0)
		return 1;
	if (r == 1)
		return 0;
	if (n > PD_MAX_DEVICES) {
		cfg_error(c, cfg_line(c, "devices"), "too many devices (%d, max %d)", n,
			  PD_MAX_DEVICES);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct pd_device *dev = &d->devices[i];

		lines[i] = cfg_item_line(c, "devices", i);
		if (parse_device(c, lines[i], cfg_list_item(c, "devices", i), (unsigned)i, dev)) {
			bad++;
			continue;
		}
		for (int j = 0; j < i; j++) {
			if (d->devices[j].id == dev->id) {
				cfg_error(c, lines[i], "duplicate device id %u", dev->id);
				bad++;
			}
			if (!strcmp(d->devices[j].name, dev->name)) {
				cfg_error(c, lines[i], "duplicate device name '%s'", dev->name);
				bad++;
			}
		}
	}
	d->ndevices = (unsigned)n;
	return bad;
}

static int check_refs(struct cfg *c, int line, const char *dev, const char *what,
		      const uint32_t *ids, uint32_t n, unsigned count)
{
	int bad = 0;

	for (uint32_t i = 0; i < n; i++)
		if (ids[i] >= count) {
			cfg_error(c, line, "device '%s': %s %u does not exist (%u defined)",
				  dev, what, ids[i], count);
			bad++;
		}
	return bad;
}

static int check_devices(struct cfg *c, struct plat_desc *d, const int *lines)
{
	int bad = 0;

	for (unsigned i = 0; i < d->ndevices; i++) {
		const struct pd_device *v = &d->devices[i];

		bad += check_refs(c, lines[i], v->name, "clock", v->clocks, v->nclocks, d->nclocks);
		bad += check_refs(c, lines[i], v->name, "power domain", v->power, v->npower,
				  d->npower);
		bad += check_refs(c, lines[i], v->name, "reset domain", v->resets, v->nresets,
				  d->nresets);
		bad += check_refs(c, lines[i], v->name, "perf domain", v->perf, v->nperf, d->nperf);
		bad += check_refs(c, lines[i], v->name, "voltage domain", v->voltages,
				  v->nvoltages, d->nvoltages);
		bad += check_refs(c, lines[i], v->name, "sensor", v->sensors, v->nsensors,
				  d->nsensors);
		bad += check_refs(c, lines[i], v->name, "pin", v->pins, v->npins, d->npins);
	}
	return bad;
}

static bool device_exists(const struct plat_desc *d, uint32_t id)
{
	for (unsigned i = 0; i < d->ndevices; i++)
		if (d->devices[i].id == id)
			return true;
	return false;
}

static int check_agents(struct cfg *c, struct plat_desc *d, const int *lines)
{
	int bad = 0;

	for (unsigned i = 0; i < d->nagents; i++) {
		const struct pd_agent *a = &d->agents[i];

		for (uint32_t k = 0; k < a->ndevices; k++)
			if (!device_exists(d, a->devices[k])) {
				cfg_error(c, lines[i], "agent '%s': device %u does not exist",
					  a->name, a->devices[k]);
				bad++;
			}
	}
	return bad;
}

/* ---- entry point -------------------------------------------------------- */

static int check_keys(struct cfg *c)
{
	const char *known[128];
	unsigned n = 0;

	for (const char *const *k = core_keys; *k; k++)
		known[n++] = *k;
	for (unsigned i = 0; i < NSECTIONS; i++)
		for (const char *const *k = sections[i].keys; *k && n < 127; k++)
			known[n++] = *k;
	known[n] = NULL;
	return cfg_check_keys(c, known);
}

static struct plat_desc *desc_from_cfg(struct cfg *c)
{
	struct plat_desc *d = calloc(1, sizeof(*d));
	int agent_lines[PD_MAX_AGENTS] = { 0 }, dev_lines[PD_MAX_DEVICES] = { 0 };
	int bad = 0;

	if (!d) {
		cfg_error(c, 0, "out of memory");
		return NULL;
	}
	snprintf(d->path, sizeof(d->path), "%s", cfg_path(c));
	d->protocols_mask = PD_PROTO_BIT(SCMI_PROTO_BASE) | PD_PROTO_BIT(SCMI_PROTO_SYSTEM);
	bad += check_keys(c);
	bad += parse_ident(c, d);
	bad += parse_agents(c, d, agent_lines);
	for (unsigned i = 0; i < NSECTIONS; i++)
		bad += sections[i].parse(c, d);
	bad += parse_devices(c, d, dev_lines);
	if (!bad) {
		bad += check_devices(c, d, dev_lines);
		bad += check_agents(c, d, agent_lines);
	}
	if (bad || cfg_errors(c)) {
		free(d);
		return NULL;
	}
	return d;
}

struct plat_desc *plat_desc_load(const char *path, FILE *err)
{
	struct cfg *c = cfg_load(path, err);
	struct plat_desc *d;

	if (!c)
		return NULL;
	d = desc_from_cfg(c);
	cfg_free(c);
	return d;
}

struct plat_desc *plat_desc_load_data(const char *name, const char *text, FILE *err)
{
	struct cfg *c = cfg_load_data(name, text, strlen(text), err);
	struct plat_desc *d;

	if (!c)
		return NULL;
	d = desc_from_cfg(c);
	cfg_free(c);
	return d;
}

void plat_desc_free(struct plat_desc *d)
{
	free(d);
}
