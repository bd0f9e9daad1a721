// SPDX-License-Identifier: GPL-2.0-only
/*
 * PINCTRL protocol (0x19, v1.0) of the embedded platform.
 *
 * Pins and groups keep their configuration (value per config type; the
 * SETTINGS_GET "all" list holds the types set so far, ascending) and their
 * selected function. Configuring a group configures each of its pins too.
 * A function may be selected on a group it lists, or on a pin of such a
 * group (else INVALID_PARAMETERS); function id 0xffffffff deselects.
 *
 * Ownership: PINCTRL_REQUEST gives an agent exclusive use of a pin, or of a
 * group and all its pins; another agent's REQUEST or SETTINGS_CONFIGURE on
 * them answers IN_USE until RELEASE (or the owner's agent reset). Releasing
 * what the agent does not hold is DENIED. Access rights come from device
 * permissions (plat_agent_may), overridden per agent and pin by a trusted
 * agent's SET_PERMISSIONS; a group needs access to all its pins. Denying
 * access drops what the agent held there.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plat_internal.h"

enum { SEL_PIN = 0, SEL_GROUP = 1, SEL_FUNCTION = 2 };

#define PIN_ATTR_EXTNAME    (1u << 31)
#define PIN_NO_FUNCTION     0xffffffffu
#define PIN_NTYPES          256u
#define PIN_TYPE_STD_LAST   20u       /* 0..20 standard, 192..255 OEM */
#define PIN_TYPE_OEM_FIRST  192u
#define PIN_TYPE_DEFAULT    0u

/* SETTINGS_GET attributes */
#define SG_TYPE(a)          ((a) & 0xffu)
#define SG_SKIP(a)          (((a) >> 8) & 0xffu)
#define SG_SEL(a)           (((a) >> 16) & 0x3u)
#define SG_FLAG(a)          (((a) >> 18) & 0x3u)
#define SG_RESERVED         0xfff00000u
enum { SG_ONE = 0, SG_ALL = 1, SG_FUNC = 2 };

/* SETTINGS_CONFIGURE attributes */
#define SC_SEL(a)           ((a) & 0x3u)
#define SC_NCONF(a)         (((a) >> 2) & 0xffu)
#define SC_FUNC_VALID       (1u << 10)
#define SC_RESERVED         0xfffff800u

/* SET_PERMISSIONS flags */
#define SP_ALLOW            (1u << 2)

struct pin_cfg {
	uint32_t set[PIN_NTYPES / 32];
	uint32_t val[PIN_NTYPES];
};

struct pin_elem {
	struct pin_cfg cfg;
	uint32_t function;
	unsigned owner;       /* 0: free */
	bool direct;          /* owner requested the pin itself */
	unsigned ngroups;     /* owner's groups holding this pin */
};

struct group_elem {
	struct pin_cfg cfg;
	uint32_t function;
	unsigned owner;
};

struct pinctrl_state {
	int8_t perm[PD_MAX_AGENTS + 1][PD_MAX_PINS]; /* 0 default, 1 allow, -1 deny */
	struct pin_elem *pins;       /* the description's npins entries */
	struct group_elem *groups;   /* the description's ngroups entries */
};

static struct pinctrl_state *st(const struct scmi_platform *p)
{
	return plat_state(p, SCMI_PROTO_PINCTRL);
}

static unsigned count(const struct scmi_platform *p, unsigned sel)
{
	const struct plat_desc *d = plat_desc(p);

	return sel == SEL_PIN ? d->npins : sel == SEL_GROUP ? d->ngroups :
	       sel == SEL_FUNCTION ? d->nfunctions : 0;
}

static const char *elem_name(const struct scmi_platform *p, unsigned sel, uint32_t id)
{
	const struct plat_desc *d = plat_desc(p);

	return sel == SEL_PIN ? d->pins[id].name : sel == SEL_GROUP ? d->groups[id].name :
	       d->functions[id].name;
}

static bool type_valid(uint32_t t)
{
	return t <= PIN_TYPE_STD_LAST || (t >= PIN_TYPE_OEM_FIRST && t < PIN_NTYPES);
}

static bool pin_may(const struct scmi_platform *p, unsigned agent, uint32_t pin)
{
	int8_t o = st(p)->perm[agent][pin];

	return o ? o > 0 : plat_agent_may(p, agent, PLAT_RES_PIN, pin);
}

static bool group_may(const struct scmi_platform *p, unsigned agent, uint32_t g)
{
	const struct pd_group *gd = &plat_desc(p)->groups[g];

	for (uint32_t i = 0; i < gd->npins; i++)
		if (!pin_may(p, agent, gd->pins[i]))
			return false;
	return true;
}

/* Held by an agent other than `agent`? */
static bool pin_busy(const struct scmi_platform *p, unsigned agent, uint32_t pin)
{
	unsigned o = st(p)->pins[pin].owner;

	return o && o != agent;
}

static bool group_busy(const struct scmi_platform *p, unsigned agent, uint32_t g)
{
	const struct pd_group *gd = &plat_desc(p)->groups[g];
	unsigned o = st(p)->groups[g].owner;

	if (o && o != agent)
		return true;
	for (uint32_t i = 0; i < gd->npins; i++)
		if (pin_busy(p, agent, gd->pins[i]))
			return true;
	return false;
}

static bool group_has_pin(const struct pd_group *g, uint32_t pin)
{
	for (uint32_t i = 0; i < g->npins; i++)
		if (g->pins[i] == pin)
			return true;
	return false;
}

/* May function f be selected on element (sel, id)? */
static bool function_fits(const struct scmi_platform *p, uint32_t f, unsigned sel, uint32_t id)
{
	const struct plat_desc *d = plat_desc(p);
	const struct pd_function *fd = &d->functions[f];

	for (uint32_t i = 0; i < fd->ngroups; i++) {
		if (sel == SEL_GROUP && fd->groups[i] == id)
			return true;
		if (sel == SEL_PIN && group_has_pin(&d->groups[fd->groups[i]], id))
			return true;
	}
	return false;
}

static void release_pin_hold(struct pinctrl_state *s, uint32_t pin)
{
	struct pin_elem *e = &s->pins[pin];

	if (!e->direct && !e->ngroups)
		e->owner = 0;
}

static void release_group(struct scmi_platform *p, uint32_t g)
{
	struct pinctrl_state *s = st(p);
	const struct pd_group *gd = &plat_desc(p)->groups[g];

	s->groups[g].owner = 0;
	for (uint32_t i = 0; i < gd->npins; i++) {
		struct pin_elem *e = &s->pins[gd->pins[i]];

		if (e->ngroups)
			e->ngroups--;
		release_pin_hold(s, gd->pins[i]);
	}
}

/* Drop agent's holds on pin (and on its groups that contain it). */
static void drop_pin(struct scmi_platform *p, unsigned agent, uint32_t pin)
{
	struct pinctrl_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);

	if (s->pins[pin].owner != agent)
		return;
	for (unsigned g = 0; g < d->ngroups; g++)
		if (s->groups[g].owner == agent && group_has_pin(&d->groups[g], pin))
			release_group(p, g);
	s->pins[pin].direct = false;
	release_pin_hold(s, pin);
}

/* ---- commands ------------------------------------------------------------ */

static int32_t pinctrl_attributes(struct scmi_platform *p, const struct plat_req *q,
				  struct plat_resp *r)
{
	const struct plat_desc *d = plat_desc(p);

	plat_resp_u32(r, (d->ngroups & 0xffff) << 16 | (d->npins & 0xffff));
	plat_resp_u32(r, d->nfunctions & 0xffff);
	return SCMI_SUCCESS;
}

/* identifier + flags(selector) requests: validate, 0 or a status. */
static int32_t check_sel(const struct scmi_platform *p, uint32_t id, uint32_t flags,
			 bool function_ok)
{
	unsigned sel = flags & 3u;

	if (flags & ~3u || sel > SEL_FUNCTION || (sel == SEL_FUNCTION && !function_ok))
		return SCMI_INVALID_PARAMETERS;
	if (id >= count(p, sel))
		return SCMI_NOT_FOUND;
	return SCMI_SUCCESS;
}

static int32_t attributes(struct scmi_platform *p, const struct plat_req *q,
			  struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1), attr = 0;
	const struct plat_desc *d = plat_desc(p);
	unsigned sel = flags & 3u;
	int32_t rc = check_sel(p, id, flags, true);
	const char *name;

	if (rc)
		return rc;
	name = elem_name(p, sel, id);
	if (strlen(name) >= SCMI_SHORT_NAME_LEN)
		attr |= PIN_ATTR_EXTNAME;
	if (sel == SEL_GROUP)
		attr |= d->groups[id].npins & 0xffff;
	else if (sel == SEL_FUNCTION)
		attr |= d->functions[id].ngroups & 0xffff;
	plat_resp_u32(r, attr);
	plat_resp_str(r, name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t list_associations(struct scmi_platform *p, const struct plat_req *q,
				 struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1), idx = plat_arg(q, 2);
	const struct plat_desc *d = plat_desc(p);
	const uint32_t *ids;
	uint32_t total, n, maxn;
	int32_t rc;

	if ((flags & 3u) == SEL_PIN)
		return SCMI_INVALID_PARAMETERS;
	rc = check_sel(p, id, flags, true);
	if (rc)
		return rc;
	if ((flags & 3u) == SEL_GROUP) {
		ids = d->groups[id].pins;
		total = d->groups[id].npins;
	} else {
		ids = d->functions[id].groups;
		total = d->functions[id].ngroups;
	}
	if (idx >= total)
		return SCMI_OUT_OF_RANGE;
	/* flags word, then 16-bit ids padded to a word */
	maxn = plat_resp_room(r) >= 4 ? (uint32_t)((plat_resp_room(r) - 4) / 4 * 2) : 0;
	if (!maxn)
		return SCMI_PROTOCOL_ERROR;
	n = total - idx < maxn ? total - idx : maxn;
	plat_resp_u32(r, ((total - idx - n) << 16) | n);
	for (uint32_t i = 0; i < n; i += 2) {
		uint32_t w = ids[idx + i] & 0xffff;

		if (i + 1 < n)
			w |= (ids[idx + i + 1] & 0xffff) << 16;
		plat_resp_u32(r, w);
	}
	return SCMI_SUCCESS;
}

static bool cfg_isset(const struct pin_cfg *c, uint32_t t)
{
	return c->set[t / 32] & (1u << (t % 32));
}

static int32_t settings_get(struct scmi_platform *p, const struct plat_req *q,
			    struct plat_resp *r)
{
	struct pinctrl_state *s = st(p);
	uint32_t id = plat_arg(q, 0), a = plat_arg(q, 1);
	unsigned sel = SG_SEL(a), flag = SG_FLAG(a);
	const struct pin_cfg *c;
	uint32_t func, total = 0, skip = SG_SKIP(a), n, maxn;

	if ((a & SG_RESERVED) || sel > SEL_GROUP || flag > SG_FUNC)
		return SCMI_INVALID_PARAMETERS;
	if (id >= count(p, sel))
		return SCMI_NOT_FOUND;
	c = sel == SEL_PIN ? &s->pins[id].cfg : &s->groups[id].cfg;
	func = sel == SEL_PIN ? s->pins[id].function : s->groups[id].function;
	if (flag == SG_ONE) {
		uint32_t t = SG_TYPE(a);

		if (!type_valid(t))
			return SCMI_INVALID_PARAMETERS;
		plat_resp_u32(r, func);
		plat_resp_u32(r, 1);
		plat_resp_u32(r, t);
		plat_resp_u32(r, cfg_isset(c, t) ? c->val[t] : 0);
		return SCMI_SUCCESS;
	}
	if (flag == SG_FUNC) {
		plat_resp_u32(r, func);
		plat_resp_u32(r, 0);
		return SCMI_SUCCESS;
	}
	for (uint32_t t = 0; t < PIN_NTYPES; t++)
		total += cfg_isset(c, t);
	if (skip > total)
		return SCMI_OUT_OF_RANGE;
	maxn = plat_resp_room(r) >= 8 ? (uint32_t)((plat_resp_room(r) - 8) / 8) : 0;
	n = total - skip < maxn ? total - skip : maxn;
	if (!n && total > skip)
		return SCMI_PROTOCOL_ERROR;
	plat_resp_u32(r, func);
	plat_resp_u32(r, ((total - skip - n) << 24) | n);
	for (uint32_t t = 0, seen = 0, out = 0; t < PIN_NTYPES && out < n; t++) {
		if (!cfg_isset(c, t))
			continue;
		if (seen++ < skip)
			continue;
		plat_resp_u32(r, t);
		plat_resp_u32(r, c->val[t]);
		out++;
	}
	return SCMI_SUCCESS;
}

static void cfg_apply(struct pin_cfg *c, uint32_t t, uint32_t v)
{
	if (t == PIN_TYPE_DEFAULT) {
		memset(c, 0, sizeof(*c));
		return;
	}
	c->set[t / 32] |= 1u << (t % 32);
	c->val[t] = v;
}

static int32_t settings_configure(struct scmi_platform *p, const struct plat_req *q,
				  struct plat_resp *r)
{
	struct pinctrl_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);
	uint32_t id, f, a, nconf;
	unsigned sel;

	if (q->len < 12)
		return SCMI_PROTOCOL_ERROR;
	id = plat_arg(q, 0);
	f = plat_arg(q, 1);
	a = plat_arg(q, 2);
	sel = SC_SEL(a);
	nconf = SC_NCONF(a);
	if (q->len != 12 + 8 * (size_t)nconf)
		return SCMI_PROTOCOL_ERROR;
	if ((a & SC_RESERVED) || sel > SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	if (id >= count(p, sel))
		return SCMI_NOT_FOUND;
	for (uint32_t i = 0; i < nconf; i++)
		if (!type_valid(plat_arg(q, 3 + 2 * i)))
			return SCMI_INVALID_PARAMETERS;
	/* function 0xffffffff deselects (no function, as at reset) */
	if ((a & SC_FUNC_VALID) && f != PIN_NO_FUNCTION) {
		if (f >= d->nfunctions)
			return SCMI_NOT_FOUND;
		if (!function_fits(p, f, sel, id))
			return SCMI_INVALID_PARAMETERS;
	}
	if (sel == SEL_PIN ? !pin_may(p, q->agent, id) : !group_may(p, q->agent, id))
		return SCMI_DENIED;
	if (sel == SEL_PIN ? pin_busy(p, q->agent, id) : group_busy(p, q->agent, id))
		return SCMI_IN_USE;

	/* everything checked: apply */
	if (sel == SEL_PIN) {
		if (a & SC_FUNC_VALID)
			s->pins[id].function = f;
		for (uint32_t i = 0; i < nconf; i++)
			cfg_apply(&s->pins[id].cfg, plat_arg(q, 3 + 2 * i), plat_arg(q, 4 + 2 * i));
		return SCMI_SUCCESS;
	}
	if (a & SC_FUNC_VALID)
		s->groups[id].function = f;
	for (uint32_t i = 0; i < nconf; i++)
		cfg_apply(&s->groups[id].cfg, plat_arg(q, 3 + 2 * i), plat_arg(q, 4 + 2 * i));
	for (uint32_t k = 0; k < d->groups[id].npins; k++) {
		struct pin_elem *e = &s->pins[d->groups[id].pins[k]];

		if (a & SC_FUNC_VALID)
			e->function = f;
		for (uint32_t i = 0; i < nconf; i++)
			cfg_apply(&e->cfg, plat_arg(q, 3 + 2 * i), plat_arg(q, 4 + 2 * i));
	}
	return SCMI_SUCCESS;
}

static int32_t request(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	struct pinctrl_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1);
	int32_t rc = check_sel(p, id, flags, false);

	if (rc)
		return rc;
	if ((flags & 3u) == SEL_PIN) {
		if (!pin_may(p, q->agent, id))
			return SCMI_DENIED;
		if (pin_busy(p, q->agent, id))
			return SCMI_IN_USE;
		s->pins[id].owner = q->agent;
		s->pins[id].direct = true;
		return SCMI_SUCCESS;
	}
	if (!group_may(p, q->agent, id))
		return SCMI_DENIED;
	if (group_busy(p, q->agent, id))
		return SCMI_IN_USE;
	if (s->groups[id].owner == q->agent)
		return SCMI_SUCCESS;
	s->groups[id].owner = q->agent;
	for (uint32_t k = 0; k < d->groups[id].npins; k++) {
		struct pin_elem *e = &s->pins[d->groups[id].pins[k]];

		e->owner = q->agent;
		e->ngroups++;
	}
	return SCMI_SUCCESS;
}

static int32_t release(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	struct pinctrl_state *s = st(p);
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1);
	int32_t rc = check_sel(p, id, flags, false);

	if (rc)
		return rc;
	if ((flags & 3u) == SEL_PIN) {
		if (s->pins[id].owner != q->agent || !s->pins[id].direct)
			return SCMI_DENIED;
		s->pins[id].direct = false;
		release_pin_hold(s, id);
		return SCMI_SUCCESS;
	}
	if (s->groups[id].owner != q->agent)
		return SCMI_DENIED;
	release_group(p, id);
	return SCMI_SUCCESS;
}

static int32_t name_get(struct scmi_platform *p, const struct plat_req *q, struct plat_resp *r)
{
	uint32_t id = plat_arg(q, 0), flags = plat_arg(q, 1);
	int32_t rc = check_sel(p, id, flags, true);

	if (rc)
		return rc;
	plat_resp_u32(r, 0);
	plat_resp_str(r, elem_name(p, flags & 3u, id), SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t set_permissions(struct scmi_platform *p, const struct plat_req *q,
			       struct plat_resp *r)
{
	struct pinctrl_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);
	uint32_t agent = plat_arg(q, 0), id = plat_arg(q, 1), flags = plat_arg(q, 2);
	unsigned sel = flags & 3u;
	int8_t v = (flags & SP_ALLOW) ? 1 : -1;

	if (!plat_agent_trusted(p, q->agent))
		return SCMI_DENIED;
	if ((flags & ~(3u | SP_ALLOW)) || sel > SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	if (agent == 0 || agent > plat_num_agents(p))
		return SCMI_NOT_FOUND;
	if (id >= count(p, sel))
		return SCMI_NOT_FOUND;
	if (sel == SEL_PIN) {
		s->perm[agent][id] = v;
		if (v < 0)
			drop_pin(p, agent, id);
		return SCMI_SUCCESS;
	}
	for (uint32_t k = 0; k < d->groups[id].npins; k++) {
		s->perm[agent][d->groups[id].pins[k]] = v;
		if (v < 0)
			drop_pin(p, agent, d->groups[id].pins[k]);
	}
	return SCMI_SUCCESS;
}

/* ---- lifetime, agents, dump --------------------------------------------- */

static void pinctrl_state_free(struct pinctrl_state *s)
{
	if (!s)
		return;
	free(s->pins);
	free(s->groups);
	free(s);
}

/* State is sized to the description (each pin or group carries 1 KiB of
 * settings), so a platform reset stays cheap. */
static int pinctrl_init(struct scmi_platform *p)
{
	const struct plat_desc *d = plat_desc(p);
	struct pinctrl_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->pins = calloc(d->npins ? d->npins : 1, sizeof(*s->pins));
	s->groups = calloc(d->ngroups ? d->ngroups : 1, sizeof(*s->groups));
	if (!s->pins || !s->groups) {
		pinctrl_state_free(s);
		return -1;
	}
	for (unsigned i = 0; i < d->npins; i++)
		s->pins[i].function = PIN_NO_FUNCTION;
	for (unsigned i = 0; i < d->ngroups; i++)
		s->groups[i].function = PIN_NO_FUNCTION;
	plat_set_state(p, SCMI_PROTO_PINCTRL, s);
	return 0;
}

static void pinctrl_fini(struct scmi_platform *p)
{
	pinctrl_state_free(st(p));
	plat_set_state(p, SCMI_PROTO_PINCTRL, NULL);
}

static void pinctrl_reset_agent(struct scmi_platform *p, unsigned agent)
{
	struct pinctrl_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);

	if (!s)
		return;
	for (unsigned g = 0; g < d->ngroups; g++)
		if (s->groups[g].owner == agent)
			release_group(p, g);
	for (unsigned i = 0; i < d->npins; i++)
		if (s->pins[i].owner == agent) {
			s->pins[i].direct = false;
			release_pin_hold(s, i);
		}
}

static void pinctrl_dump(const struct scmi_platform *p, FILE *out, bool json)
{
	const struct pinctrl_state *s = st(p);
	const struct plat_desc *d = plat_desc(p);

	if (!s)
		return;
	if (json) {
		fputs("\"pinctrl\":{\"pins\":[", out);
		for (unsigned i = 0; i < d->npins; i++) {
			fprintf(out, "%s{\"id\":%u,\"name\":", i ? "," : "", i);
			plat_json_str(out, d->pins[i].name);
			fprintf(out, ",\"owner\":%u,\"function\":%" PRId64 "}", s->pins[i].owner,
				s->pins[i].function == PIN_NO_FUNCTION ? -1 :
				(int64_t)s->pins[i].function);
		}
		fputs("],\"groups\":[", out);
		for (unsigned g = 0; g < d->ngroups; g++) {
			fprintf(out, "%s{\"id\":%u,\"name\":", g ? "," : "", g);
			plat_json_str(out, d->groups[g].name);
			fprintf(out, ",\"owner\":%u,\"function\":%" PRId64 "}", s->groups[g].owner,
				s->groups[g].function == PIN_NO_FUNCTION ? -1 :
				(int64_t)s->groups[g].function);
		}
		fputs("]}", out);
		return;
	}
	for (unsigned i = 0; i < d->npins; i++) {
		fprintf(out, "pin %u %s: owner %u function ", i, d->pins[i].name,
			s->pins[i].owner);
		if (s->pins[i].function == PIN_NO_FUNCTION)
			fputs("none\n", out);
		else
			fprintf(out, "%s\n", d->functions[s->pins[i].function].name);
	}
	for (unsigned g = 0; g < d->ngroups; g++) {
		fprintf(out, "pin group %u %s: owner %u function ", g, d->groups[g].name,
			s->groups[g].owner);
		if (s->groups[g].function == PIN_NO_FUNCTION)
			fputs("none\n", out);
		else
			fprintf(out, "%s\n", d->functions[s->groups[g].function].name);
	}
}

const struct plat_proto plat_proto_pinctrl = {
	.id = SCMI_PROTO_PINCTRL,
	.version = SCMI_VERSION_PINCTRL,
	.attributes = pinctrl_attributes,
	.cmds = {
		[SCMI_PINCTRL_ATTRIBUTES] = attributes,
		[SCMI_PINCTRL_LIST_ASSOCIATIONS] = list_associations,
		[SCMI_PINCTRL_SETTINGS_GET] = settings_get,
		[SCMI_PINCTRL_SETTINGS_CONFIGURE] = settings_configure,
		[SCMI_PINCTRL_REQUEST] = request,
		[SCMI_PINCTRL_RELEASE] = release,
		[SCMI_PINCTRL_NAME_GET] = name_get,
		[SCMI_PINCTRL_SET_PERMISSIONS] = set_permissions,
	},
	.init = pinctrl_init,
	.fini = pinctrl_fini,
	.reset_agent = pinctrl_reset_agent,
	.dump = pinctrl_dump,
};
