// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy files: parsing and validation through config/cfg.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "platform_desc.h"
#include "policy_cfg.h"
#include "../mediator/scmi_msg.h"
#include "../mediator/versions.h"

/* One resource list key of a policy file. */
struct res_key {
	const char *key;
	uint8_t proto;
	unsigned sel;                 /* pinctrl selector type */
	bool range;                   /* range= allowed */
	int64_t vmin, vmax;           /* what a range bound may be */
};

static const struct res_key res_keys[] = {
	{ "power", SCMI_PROTO_POWER, 0, false, 0, 0 },
	{ "perf", SCMI_PROTO_PERF, 0, true, 0, UINT32_MAX },
	{ "clocks", SCMI_PROTO_CLOCK, 0, true, 0, INT64_MAX },
	{ "sensors", SCMI_PROTO_SENSOR, 0, false, 0, 0 },
	{ "resets", SCMI_PROTO_RESET, 0, false, 0, 0 },
	{ "voltages", SCMI_PROTO_VOLTAGE, 0, true, INT32_MIN, INT32_MAX },
	{ "powercaps", SCMI_PROTO_POWERCAP, 0, true, 0, UINT32_MAX },
	{ "pins", SCMI_PROTO_PINCTRL, SCMI_PINCTRL_TYPE_PIN, false, 0, 0 },
	{ "pin_groups", SCMI_PROTO_PINCTRL, SCMI_PINCTRL_TYPE_GROUP, false, 0, 0 },
	{ "pin_functions", SCMI_PROTO_PINCTRL, SCMI_PINCTRL_TYPE_FUNCTION, false, 0, 0 },
};
#define NRES_KEYS (sizeof(res_keys) / sizeof(res_keys[0]))

static const char *const known_keys[] = {
	"agent_name", "protocols", "system_power", "notifications",
	"power", "perf", "clocks", "sensors", "resets", "voltages", "powercaps",
	"pins", "pin_groups", "pin_functions", "versions", NULL,
};

static struct pol_proto *space_rw(struct policy *p, const struct res_key *rk)
{
	return (struct pol_proto *)policy_space(p, rk->proto, rk->sel);
}

int policy_plat_count(const struct plat_desc *pd, uint8_t proto, unsigned sel)
{
	switch (proto) {
	case SCMI_PROTO_POWER: return (int)pd->npower;
	case SCMI_PROTO_PERF: return (int)pd->nperf;
	case SCMI_PROTO_CLOCK: return (int)pd->nclocks;
	case SCMI_PROTO_SENSOR: return (int)pd->nsensors;
	case SCMI_PROTO_RESET: return (int)pd->nresets;
	case SCMI_PROTO_VOLTAGE: return (int)pd->nvoltages;
	case SCMI_PROTO_POWERCAP: return (int)pd->npowercaps;
	case SCMI_PROTO_PINCTRL:
		if (sel == SCMI_PINCTRL_TYPE_PIN)
			return (int)pd->npins;
		if (sel == SCMI_PINCTRL_TYPE_GROUP)
			return (int)pd->ngroups;
		if (sel == SCMI_PINCTRL_TYPE_FUNCTION)
			return (int)pd->nfunctions;
		return -1;
	default:
		return -1;
	}
}

/* "MIN-MAX", either bound possibly negative. */
static int parse_range(const char *v, int64_t *lo, int64_t *hi)
{
	char *end;

	errno = 0;
	*lo = strtoll(v, &end, 0);
	if (errno || end == v || *end != '-')
		return -1;
	v = end + 1;
	*hi = strtoll(v, &end, 0);
	if (errno || end == v || *end)
		return -1;
	return 0;
}

static int parse_res(struct cfg *c, const struct res_key *rk, int line, const char *text,
		     struct pol_res *r)
{
	const char *v;
	uint64_t gid, pid;
	struct spec s;
	int bad = 0, rc;

	memset(r, 0, sizeof(*r));
	r->line = line;
	r->rights = POL_READ | POL_CONTROL;
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return -1;
	}
	rc = spec_u64(&s, "guest", &gid, 0, 0, 0xffff);
	if (rc != 0) {
		if (rc == 1)
			cfg_error(c, line, "%s: 'guest=ID' is required", rk->key);
		bad++;
	}
	rc = spec_u64(&s, "platform", &pid, 0, 0, UINT32_MAX - 1);
	if (rc != 0) {
		if (rc == 1)
			cfg_error(c, line, "%s: 'platform=ID' is required", rk->key);
		bad++;
	}
	r->guest_id = (uint32_t)gid;
	r->plat_id = (uint32_t)pid;
	if (spec_str(&s, "rights", &v, "control") >= 0 && v) {
		if (!strcmp(v, "read"))
			r->rights = POL_READ;
		else if (!strcmp(v, "control"))
			r->rights = POL_READ | POL_CONTROL;
		else {
			cfg_error(c, line, "rights '%s': use read or control", v);
			bad++;
		}
	}
	if (spec_str(&s, "share", &v, "exclusive") >= 0 && v) {
		if (!strcmp(v, "exclusive"))
			r->share = POL_EXCLUSIVE;
		else if (!strcmp(v, "refcount"))
			r->share = POL_SHARED_REFCOUNT;
		else if (!strcmp(v, "max"))
			r->share = POL_SHARED_MAX;
		else {
			cfg_error(c, line, "share '%s': use exclusive, refcount or max", v);
			bad++;
		}
	}
	r->conflict = POL_CONFLICT_MAX;
	if (spec_str(&s, "conflict", &v, NULL) == 0) {
		if (!strcmp(v, "max"))
			r->conflict = POL_CONFLICT_MAX;
		else if (!strcmp(v, "first"))
			r->conflict = POL_CONFLICT_FIRST;
		else if (!strcmp(v, "deny"))
			r->conflict = POL_CONFLICT_DENY;
		else {
			cfg_error(c, line, "conflict '%s': use max, first or deny", v);
			bad++;
		}
	}
	if (spec_str(&s, "range", &v, NULL) == 0) {
		if (!rk->range) {
			cfg_error(c, line, "%s: range= is not meaningful here", rk->key);
			bad++;
		} else if (parse_range(v, &r->min, &r->max) < 0) {
			cfg_error(c, line, "range '%s': use MIN-MAX", v);
			bad++;
		} else if (r->min > r->max || r->min < rk->vmin || r->max > rk->vmax) {
			cfg_error(c, line, "range '%s': need %lld <= MIN <= MAX <= %lld", v,
				  (long long)rk->vmin, (long long)rk->vmax);
			bad++;
		} else {
			r->has_range = true;
		}
	}
	if (spec_str(&s, "name", &v, NULL) == 0) {
		if (!*v || strlen(v) >= sizeof(r->name)) {
			cfg_error(c, line, "name '%s': use 1-%zu characters", v,
				  sizeof(r->name) - 1);
			bad++;
		} else {
			snprintf(r->name, sizeof(r->name), "%s", v);
		}
	}
	if (spec_check_unused(&s))
		bad++;
	spec_free(&s);
	return bad ? -1 : 0;
}

static int cmp_guest(const void *a, const void *b)
{
	const struct pol_res *x = a, *y = b;

	return x->guest_id < y->guest_id ? -1 : x->guest_id > y->guest_id;
}

/* Parse one list key into its id space and check it on its own. */
static void parse_list(struct cfg *c, struct policy *p, const struct res_key *rk,
		       const struct plat_desc *pd)
{
	struct pol_proto *sp = space_rw(p, rk);
	int n, i, count = pd ? policy_plat_count(pd, rk->proto, rk->sel) : -1;
	unsigned j, k;

	if (cfg_get_list(c, rk->key, &n) != 0 || n <= 0)
		return;
	sp->res = calloc((size_t)n, sizeof(*sp->res));
	if (!sp->res) {
		cfg_error(c, cfg_line(c, rk->key), "out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		int line = cfg_item_line(c, rk->key, i);
		struct pol_res *r = &sp->res[sp->nres];

		if (parse_res(c, rk, line, cfg_list_item(c, rk->key, i), r) < 0)
			continue;
		if (count >= 0 && r->plat_id >= (uint32_t)count) {
			cfg_error(c, line,
				  "%s: platform id %u does not exist (the platform has %d)",
				  rk->key, r->plat_id, count);
			continue;
		}
		for (j = 0; j < sp->nres; j++) {
			if (sp->res[j].guest_id == r->guest_id) {
				cfg_error(c, line, "%s: guest id %u already defined at line %d",
					  rk->key, r->guest_id, sp->res[j].line);
				break;
			}
			if (sp->res[j].plat_id == r->plat_id) {
				cfg_error(c, line, "%s: platform id %u already mapped at line %d",
					  rk->key, r->plat_id, sp->res[j].line);
				break;
			}
		}
		if (j == sp->nres)
			sp->nres++;
	}
	qsort(sp->res, sp->nres, sizeof(*sp->res), cmp_guest);
	for (k = 0; k < sp->nres; k++)
		if (sp->res[k].guest_id != k) {
			cfg_error(c, sp->res[k].line,
				  "%s: guest ids must be dense from 0: guest id %u, expected %u",
				  rk->key, sp->res[k].guest_id, k);
			break;
		}
}

/* Pinctrl: a granted group needs its pins, a granted function its groups
 * (association lists are renumbered, never filtered). */
static void check_pinctrl(struct cfg *c, struct policy *p, const struct plat_desc *pd)
{
	const struct pol_proto *pins = &p->proto[POL_IDX(SCMI_PROTO_PINCTRL)];
	unsigned i, j;

	for (i = 0; i < p->pin_groups.nres; i++) {
		const struct pol_res *r = &p->pin_groups.res[i];
		const struct pd_group *g = &pd->groups[r->plat_id];

		for (j = 0; j < g->npins; j++)
			if (!policy_space_plat(pins, g->pins[j])) {
				cfg_error(c, r->line, "pin_groups: group %u needs pin %u in 'pins'",
					  r->plat_id, g->pins[j]);
				break;
			}
	}
	for (i = 0; i < p->pin_functions.nres; i++) {
		const struct pol_res *r = &p->pin_functions.res[i];
		const struct pd_function *f = &pd->functions[r->plat_id];

		for (j = 0; j < f->ngroups; j++)
			if (!policy_space_plat(&p->pin_groups, f->groups[j])) {
				cfg_error(c, r->line,
					  "pin_functions: function %u needs group %u in "
					  "'pin_groups'",
					  r->plat_id, f->groups[j]);
				break;
			}
	}
}

static void parse_protocols(struct cfg *c, struct policy *p, const struct plat_desc *pd)
{
	int n, i, r = cfg_get_list(c, "protocols", &n);
	unsigned k;

	p->proto[POL_IDX(SCMI_PROTO_BASE)].allowed = true;
	if (r == 1) {
		/* Default: the protocols the file grants resources of. */
		for (k = 0; k < NRES_KEYS; k++)
			if (policy_space(p, res_keys[k].proto, res_keys[k].sel)->nres)
				p->proto[POL_IDX(res_keys[k].proto)].allowed = true;
		if (p->system_power != POL_SYS_DENY)
			p->proto[POL_IDX(SCMI_PROTO_SYSTEM)].allowed = true;
		return;
	}
	for (i = 0; r == 0 && i < n; i++) {
		const char *name = cfg_list_item(c, "protocols", i);
		const struct scmi_proto_desc *d = scmi_proto_find_name(name);
		int line = cfg_item_line(c, "protocols", i);

		if (!d || d->id == SCMI_PROTO_BASE) {
			cfg_error(c, line, "protocol '%s': use power, system, perf, clock, sensor, "
				  "reset, voltage, powercap or pinctrl", name);
			continue;
		}
		if (p->proto[POL_IDX(d->id)].allowed) {
			cfg_error(c, line, "protocol '%s' listed twice", name);
			continue;
		}
		if (pd && !(pd->protocols_mask & PD_PROTO_BIT(d->id))) {
			cfg_error(c, line, "protocol '%s': the platform does not implement it",
				  name);
			continue;
		}
		p->proto[POL_IDX(d->id)].allowed = true;
	}
	for (k = 0; k < NRES_KEYS; k++)
		if (policy_space(p, res_keys[k].proto, res_keys[k].sel)->nres &&
		    !p->proto[POL_IDX(res_keys[k].proto)].allowed)
			cfg_error(c, cfg_line(c, res_keys[k].key),
				  "'%s' grants resources of protocol '%s', which 'protocols' "
				  "does not allow", res_keys[k].key,
				  scmi_proto_find(res_keys[k].proto)->name);
}

/* versions = [ "perf=3.0", ... ]: after 'protocols' (a version of a
 * protocol the guest may not use is an error). */
static void parse_versions(struct cfg *c, struct policy *p, const struct plat_desc *pd)
{
	int n, i, r = cfg_get_list(c, "versions", &n);

	for (i = 0; r == 0 && i < n; i++) {
		const char *item = cfg_list_item(c, "versions", i);
		int line = cfg_item_line(c, "versions", i);
		const struct scmi_proto_desc *d;
		char name[16], *end;
		const char *eq = strchr(item, '=');
		unsigned long maj, min;
		uint32_t v, plat, tgt;
		unsigned k;

		if (!eq || eq == item || (size_t)(eq - item) >= sizeof(name)) {
			cfg_error(c, line, "versions: '%s': use PROTOCOL=MAJOR.MINOR "
				  "(e.g. \"perf=3.0\")", item);
			continue;
		}
		memcpy(name, item, (size_t)(eq - item));
		name[eq - item] = 0;
		errno = 0;
		maj = strtoul(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end != '.' || maj > 0xffff ||
		    (min = strtoul(end + 1, &end, 10), *end) || min > 0xffff ||
		    !isdigit((unsigned char)eq[1])) {
			cfg_error(c, line, "versions: '%s': use PROTOCOL=MAJOR.MINOR "
				  "(e.g. \"perf=3.0\")", item);
			continue;
		}
		v = (uint32_t)(maj << 16 | min);
		d = scmi_proto_find_name(name);
		if (!d || d->id == SCMI_PROTO_BASE) {
			cfg_error(c, line, "versions: unknown protocol '%s' (use power, system, "
				  "perf, clock, sensor, reset, voltage, powercap or pinctrl)",
				  name);
			continue;
		}
		k = POL_IDX(d->id);
		if (p->version[k]) {
			cfg_error(c, line, "versions: protocol '%s' listed twice (line %d)", name,
				  p->version_line[k]);
			continue;
		}
		if (!p->proto[k].allowed) {
			cfg_error(c, line, "versions: protocol '%s' is not allowed by 'protocols'",
				  name);
			continue;
		}
		/* the embedded platform speaks the versions of the tables */
		plat = pd ? d->version : 0;
		tgt = ver_target(d->id);
		if (plat && v > plat) {
			cfg_error(c, line, "versions: %s=%lu.%lu is above the platform's version "
				  "%u.%u", name, maj, min, plat >> 16, plat & 0xffff);
			continue;
		}
		if (v != plat && (v != tgt || (plat && !ver_convertible(d->id, plat, v)))) {
			char alt[48] = "";

			if (tgt && (!plat || ver_convertible(d->id, plat, tgt)))
				snprintf(alt, sizeof(alt), " or %u.%u", tgt >> 16, tgt & 0xffff);
			if (plat)
				cfg_error(c, line, "versions: the mediator cannot present %s=%lu.%lu: "
					  "it presents %s at the platform's version %u.%u%s", name,
					  maj, min, name, plat >> 16, plat & 0xffff, alt);
			else
				cfg_error(c, line, "versions: the mediator cannot present %s=%lu.%lu: "
					  "it presents %s at the platform's version%s", name, maj,
					  min, name, alt);
			continue;
		}
		p->version[k] = v;
		p->version_line[k] = line;
	}
	/* PERF 3.0 has no level indexing: such a domain cannot be presented */
	if (pd && p->version[POL_IDX(SCMI_PROTO_PERF)] &&
	    VER_MAJOR(p->version[POL_IDX(SCMI_PROTO_PERF)]) < 4) {
		const struct pol_proto *pp = &p->proto[POL_IDX(SCMI_PROTO_PERF)];

		for (unsigned j = 0; j < pp->nres; j++)
			if (pp->res[j].plat_id < pd->nperf &&
			    pd->perf[pp->res[j].plat_id].level_indexing)
				cfg_error(c, pp->res[j].line,
					  "perf: platform domain %u uses level indexing, which "
					  "PERF %u.%u (versions, line %d) cannot present: leave it out "
					  "or drop the version", pp->res[j].plat_id,
					  p->version[POL_IDX(SCMI_PROTO_PERF)] >> 16,
					  p->version[POL_IDX(SCMI_PROTO_PERF)] & 0xffff,
					  p->version_line[POL_IDX(SCMI_PROTO_PERF)]);
	}
}

static struct policy *load(struct cfg *c, const struct plat_desc *pd)
{
	struct policy *p = calloc(1, sizeof(*p));
	const char *s;
	unsigned k;

	if (!p) {
		cfg_free(c);
		return NULL;
	}
	snprintf(p->path, sizeof(p->path), "%s", cfg_path(c));
	cfg_check_keys(c, known_keys);
	if (cfg_get_str(c, "agent_name", &s, NULL) == 0) {
		if (!*s || strlen(s) >= sizeof(p->agent_name))
			cfg_error(c, cfg_line(c, "agent_name"),
				  "agent_name '%s': use 1-%zu characters", s,
				  sizeof(p->agent_name) - 1);
		else
			snprintf(p->agent_name, sizeof(p->agent_name), "%s", s);
	}
	p->system_power = POL_SYS_DENY;
	if (cfg_get_str(c, "system_power", &s, NULL) == 0) {
		if (!strcmp(s, "guest"))
			p->system_power = POL_SYS_GUEST;
		else if (!strcmp(s, "platform"))
			p->system_power = POL_SYS_PLATFORM;
		else if (strcmp(s, "deny"))
			cfg_error(c, cfg_line(c, "system_power"),
				  "system_power '%s': use guest, platform or deny", s);
	}
	cfg_get_bool(c, "notifications", &p->notifications, true);
	for (k = 0; k < NRES_KEYS; k++)
		parse_list(c, p, &res_keys[k], pd);
	if (pd && !cfg_errors(c))
		check_pinctrl(c, p, pd);
	parse_protocols(c, p, pd);
	parse_versions(c, p, pd);
	if (p->system_power != POL_SYS_DENY && !p->proto[POL_IDX(SCMI_PROTO_SYSTEM)].allowed)
		cfg_error(c, cfg_line(c, "system_power"),
			  "system_power is not 'deny' but 'protocols' does not allow 'system'");
	if (cfg_errors(c)) {
		policy_free(p);
		p = NULL;
	}
	cfg_free(c);
	return p;
}

struct policy *policy_load(const char *path, const struct plat_desc *pd, FILE *err)
{
	struct cfg *c = cfg_load(path, err);

	return c ? load(c, pd) : NULL;
}

struct policy *policy_load_data(const char *name, const char *text, const struct plat_desc *pd,
				FILE *err)
{
	struct cfg *c = cfg_load_data(name, text, strlen(text), err);

	return c ? load(c, pd) : NULL;
}

void policy_free(struct policy *p)
{
	unsigned i;

	if (!p)
		return;
	for (i = 0; i < POL_NPROTO; i++)
		free(p->proto[i].res);
	free(p->pin_groups.res);
	free(p->pin_functions.res);
	free(p);
}

static const char *const share_names[] = { "exclusive", "refcount", "max" };

static int check_pair(const struct policy *a, const struct pol_res *ra, const struct policy *b,
		      const struct pol_res *rb, const char *key, FILE *err)
{
	bool ro = !(ra->rights & POL_CONTROL) && !(rb->rights & POL_CONTROL);

	if (ro)
		return 0;
	if (ra->share == POL_EXCLUSIVE || rb->share == POL_EXCLUSIVE) {
		fprintf(err, "%s:%d: %s: platform id %u is claimed exclusively, but %s:%d "
			"claims it too\n", b->path, rb->line, key, rb->plat_id, a->path, ra->line);
		return 1;
	}
	if (ra->share != rb->share || ra->conflict != rb->conflict) {
		fprintf(err, "%s:%d: %s: platform id %u shared as '%s', but %s:%d shares it "
			"as '%s' (share and conflict must agree)\n", b->path, rb->line, key,
			rb->plat_id, share_names[rb->share], a->path, ra->line,
			share_names[ra->share]);
		return 1;
	}
	return 0;
}

int policy_check_set(const struct policy *const *pols, unsigned n, FILE *err)
{
	unsigned i, j, k, x, y;
	int bad = 0;

	for (k = 0; k < NRES_KEYS; k++)
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++) {
				const struct pol_proto *a, *b;

				a = policy_space(pols[i], res_keys[k].proto, res_keys[k].sel);
				b = policy_space(pols[j], res_keys[k].proto, res_keys[k].sel);
				for (x = 0; x < a->nres; x++)
					for (y = 0; y < b->nres; y++)
						if (a->res[x].plat_id == b->res[y].plat_id)
							bad += check_pair(pols[i], &a->res[x],
									  pols[j], &b->res[y],
									  res_keys[k].key, err);
			}
	return bad;
}
