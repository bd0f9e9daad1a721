// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-guest view: validation and renumbering of one guest's messages
 * against its policy (docs/policy.md).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scmi_msg.h"
#include "view.h"
#include "view_lists.h"

/* Id spaces: one per protocol, plus pinctrl groups and functions. */
#define NSPACES (POL_NPROTO + 2)

struct view {
	struct view_config cfg;
	/* resource counts the platform reported (PROTOCOL_ATTRIBUTES) */
	bool count_known[NSPACES];
	uint32_t count[NSPACES];
	/* guest's skip of an in-flight POSSIBLE_PARENTS_GET, by guest token */
	uint32_t parents_skip[SCMI_TOKEN_MAX];
	struct view_lists *lists;     /* range-clamped value lists */
};

#define E(p, m, a, id) { .proto = (p), .msg = (m), .access = (a), .id_off = (id), \
			 .sel_off = -1, .flags_off = -1, .flags2_off = -1, .val_off = -1 }
#define EF(p, m, a, id, fo, fv) { .proto = (p), .msg = (m), .access = (a), .id_off = (id), \
				  .sel_off = -1, .flags_off = (fo), .flags_valid = (fv), \
				  .flags2_off = -1, .val_off = -1 }
#define ER(p, m, a, id, fo, fv, rk, vo) { .proto = (p), .msg = (m), .access = (a), \
					  .id_off = (id), .sel_off = -1, .flags_off = (fo), \
					  .flags_valid = (fv), .flags2_off = -1, \
					  .range = (rk), .val_off = (vo) }
#define EP(m, a, so, ss, fo, fv) { .proto = SCMI_PROTO_PINCTRL, .msg = (m), .access = (a), \
				   .id_off = 0, .sel_off = (so), .sel_shift = (ss), \
				   .flags_off = (fo), .flags_valid = (fv), .flags2_off = -1, \
				   .val_off = -1 }

/* Sorted by protocol, then message id. */
static const struct view_cmd cmds[] = {
	E(SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, VIEW_READ, 0),
	{ .proto = SCMI_PROTO_POWER, .msg = SCMI_POWER_STATE_SET, .access = VIEW_CONTROL,
	  .id_off = 4, .sel_off = -1, .flags_off = 0, .flags_valid = SCMI_POWER_SET_ASYNC,
	  .flags2_off = 8, .flags2_valid = ~SCMI_POWER_STATE_RESERVED, .val_off = -1 },
	E(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, VIEW_NOTIFY, 0, 4, SCMI_NOTIFY_ENABLE),
	E(SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, VIEW_READ, 0),

	EF(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, VIEW_SYSTEM, -1, 0,
	   SCMI_SYSTEM_FLAG_GRACEFUL),
	EF(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, VIEW_NOTIFY, -1, 0,
	   SCMI_NOTIFY_ENABLE),

	E(SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, VIEW_READ, 0),
	E(SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, VIEW_READ, 0),
	ER(SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, VIEW_CONTROL, 0, -1, 0, VIEW_RANGE_U32_PAIR, 4),
	E(SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, VIEW_READ, 0),
	ER(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, VIEW_CONTROL, 0, -1, 0, VIEW_RANGE_U32, 4),
	E(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LIMITS, VIEW_NOTIFY, 0, 4, SCMI_NOTIFY_ENABLE),
	EF(SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LEVEL, VIEW_NOTIFY, 0, 4, SCMI_NOTIFY_ENABLE),
	E(SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_FASTCHANNEL, VIEW_READ, 0),
	E(SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_NAME_GET, VIEW_READ, 0),

	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, VIEW_READ, 0),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, VIEW_READ, 0),
	ER(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, VIEW_CONTROL, 4, 0,
	   SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_IGNORE_DRESP | SCMI_CLOCK_SET_ROUND_UP |
	   SCMI_CLOCK_SET_ROUND_AUTO, VIEW_RANGE_U64, 8),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, VIEW_CONTROL, 0, 4,
	   SCMI_CLOCK_STATE_MASK | 0x00ff0000u),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, VIEW_NOTIFY, 0, 4, SCMI_NOTIFY_ENABLE),
	EF(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, VIEW_NOTIFY, 0, 4,
	   SCMI_NOTIFY_ENABLE),
	EF(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, VIEW_READ, 0, 4, 0xffu),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET, VIEW_READ, 0),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, VIEW_CONTROL, 0),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, VIEW_READ, 0),
	E(SCMI_PROTO_CLOCK, SCMI_CLOCK_GET_PERMISSIONS, VIEW_READ, 0),

	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, VIEW_NOTIFY, 0, 4,
	   SCMI_NOTIFY_ENABLE),
	EF(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, VIEW_CONTROL, 0, 4, 0xff3u),
	EF(SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, VIEW_READ, 0, 4, SCMI_SENSOR_READ_ASYNC),
	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET, VIEW_READ, 0),
	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_LIST_UPDATE_INTERVALS, VIEW_READ, 0),
	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, VIEW_READ, 0),
	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, VIEW_CONTROL, 0),
	EF(SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, VIEW_NOTIFY, 0, 4,
	   SCMI_NOTIFY_ENABLE),
	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, VIEW_READ, 0),
	E(SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_NAME_GET, VIEW_READ, 0),

	E(SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, VIEW_READ, 0),
	EF(SCMI_PROTO_RESET, SCMI_RESET, VIEW_CONTROL, 0, 4,
	   SCMI_RESET_AUTONOMOUS | SCMI_RESET_EXPLICIT_ASSERT | SCMI_RESET_ASYNC),
	EF(SCMI_PROTO_RESET, SCMI_RESET_NOTIFY, VIEW_NOTIFY, 0, 4, SCMI_NOTIFY_ENABLE),
	E(SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_NAME_GET, VIEW_READ, 0),

	E(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, VIEW_READ, 0),
	E(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, VIEW_READ, 0),
	EF(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, VIEW_CONTROL, 0, 4, 0xfu),
	E(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_GET, VIEW_READ, 0),
	ER(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, VIEW_CONTROL, 0, 4,
	   SCMI_VOLTAGE_LEVEL_SET_ASYNC, VIEW_RANGE_I32, 8),
	E(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, VIEW_READ, 0),
	E(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_NAME_GET, VIEW_READ, 0),

	E(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, VIEW_READ, 0),
	E(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, VIEW_READ, 0),
	ER(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, VIEW_CONTROL, 0, 4,
	   SCMI_POWERCAP_SET_IGNORE_DRESP | SCMI_POWERCAP_SET_ASYNC, VIEW_RANGE_U32, 8),
	E(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_SET, VIEW_CONTROL, 0, 4, 0),
	E(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_NAME_GET, VIEW_READ, 0),
	E(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_GET, VIEW_READ, 0),
	EF(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_NOTIFY, VIEW_NOTIFY, 0, 4, SCMI_NOTIFY_ENABLE),
	EF(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, VIEW_NOTIFY, 0, 4,
	   SCMI_NOTIFY_ENABLE),
	E(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, VIEW_READ, 0),

	EP(SCMI_PINCTRL_ATTRIBUTES, VIEW_READ, 4, 0, 4, 0x3u),
	EP(SCMI_PINCTRL_LIST_ASSOCIATIONS, VIEW_READ, 4, 0, 4, 0x3u),
	EP(SCMI_PINCTRL_SETTINGS_GET, VIEW_READ, 4, 16, 4, 0xfffffu),
	EP(SCMI_PINCTRL_SETTINGS_CONFIGURE, VIEW_CONTROL, 8, 0, 8, 0x7ffu),
	EP(SCMI_PINCTRL_REQUEST, VIEW_CONTROL, 4, 0, 4, 0x3u),
	EP(SCMI_PINCTRL_RELEASE, VIEW_CONTROL, 4, 0, 4, 0x3u),
	EP(SCMI_PINCTRL_NAME_GET, VIEW_READ, 4, 0, 4, 0x3u),
	E(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, VIEW_DENY, -1),
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

const struct view_cmd *view_cmd_find(uint8_t proto, uint8_t msg)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].proto == proto && cmds[i].msg == msg)
			return &cmds[i];
	return NULL;
}

struct view *view_new(const struct view_config *cfg)
{
	struct view *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->cfg = *cfg;
	v->lists = vl_new(cfg->pol);
	if (!v->lists) {
		free(v);
		return NULL;
	}
	return v;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	vl_free(v->lists);
	free(v);
}

void view_set_fetch(struct view *v, view_fetch_fn fn, void *opaque)
{
	vl_set_fetch(v->lists, fn, opaque);
}

static bool is_list(uint8_t proto, uint8_t msg)
{
	return (proto == SCMI_PROTO_PERF && msg == SCMI_PERF_DESCRIBE_LEVELS) ||
	       (proto == SCMI_PROTO_CLOCK && msg == SCMI_CLOCK_DESCRIBE_RATES) ||
	       (proto == SCMI_PROTO_VOLTAGE && msg == SCMI_VOLTAGE_DESCRIBE_LEVELS);
}

const struct policy *view_policy(const struct view *v)
{
	return v->cfg.pol;
}

void view_reset(struct view *v)
{
	memset(v->parents_skip, 0, sizeof(v->parents_skip));
	vl_reset(v->lists);
}

static unsigned space_idx(uint8_t proto, unsigned sel)
{
	if (proto == SCMI_PROTO_PINCTRL && sel == SCMI_PINCTRL_TYPE_GROUP)
		return POL_NPROTO;
	if (proto == SCMI_PROTO_PINCTRL && sel == SCMI_PINCTRL_TYPE_FUNCTION)
		return POL_NPROTO + 1;
	return POL_IDX(proto);
}

/*
 * The platform told how many resources an id space has: policy entries
 * beyond it (possible when the policy could not be checked against a
 * platform description) are reported once and answered NOT_FOUND.
 */
static void learn_count(struct view *v, uint8_t proto, unsigned sel, uint32_t count)
{
	const struct pol_proto *sp = policy_space(v->cfg.pol, proto, sel);
	unsigned i, idx = space_idx(proto, sel);
	bool first = !v->count_known[idx];

	if (!sp)
		return;
	v->count_known[idx] = true;
	v->count[idx] = count;
	/* reported once per guest: a platform changing its counts is broken
	 * and must not flood the log */
	for (i = 0; first && i < sp->nres; i++)
		if (sp->res[i].plat_id >= count)
			log_err("%s:%d: platform id %u does not exist: the platform reports %u",
				v->cfg.pol->path, sp->res[i].line, sp->res[i].plat_id, count);
}

/* r exists on the platform as far as it told us. */
static bool exists(const struct view *v, uint8_t proto, unsigned sel, const struct pol_res *r)
{
	unsigned idx = space_idx(proto, sel);

	return r && (!v->count_known[idx] || r->plat_id < v->count[idx]);
}

/* ---- requests -------------------------------------------------------------- */
static enum agent_verdict reply(uint32_t hdr, int32_t st, uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, hdr);
	scmi_put_le32(resp + 4, (uint32_t)st);
	*resp_len = 8;
	return AGENT_REPLY;
}

static uint32_t word(const uint8_t *pl, size_t plen, int off)
{
	return off >= 0 && (size_t)off + 4 <= plen ? scmi_get_le32(pl + off) : 0;
}

static bool in_range(const struct pol_res *r, const struct view_cmd *vc, const uint8_t *pl,
		     size_t plen)
{
	int64_t a, b;

	if (!r->has_range || vc->range == VIEW_RANGE_NONE)
		return true;
	switch (vc->range) {
	case VIEW_RANGE_U32:
		a = word(pl, plen, vc->val_off);
		return a >= r->min && a <= r->max;
	case VIEW_RANGE_I32:
		a = (int32_t)word(pl, plen, vc->val_off);
		return a >= r->min && a <= r->max;
	case VIEW_RANGE_U64: {
		uint64_t u = (size_t)vc->val_off + 8 <= plen ? scmi_get_le64(pl + vc->val_off) : 0;

		return u <= (uint64_t)INT64_MAX && (int64_t)u >= r->min && (int64_t)u <= r->max;
	}
	case VIEW_RANGE_U32_PAIR:
		a = word(pl, plen, vc->val_off);
		b = word(pl, plen, vc->val_off + 4);
		return a >= r->min && a <= r->max && b >= r->min && b <= r->max;
	default:
		return true;
	}
}

/* Ids that are not the command's main resource. */
static int32_t second_ids(struct view *v, uint32_t hdr, uint8_t *pl, size_t plen)
{
	const struct policy *p = v->cfg.pol;
	const struct pol_res *r;
	uint32_t id;

	switch (scmi_hdr_proto(hdr) << 8 | scmi_hdr_msg_id(hdr)) {
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_PARENT_SET:
		r = policy_res_guest(p, SCMI_PROTO_CLOCK, word(pl, plen, 4));
		if (!exists(v, SCMI_PROTO_CLOCK, 0, r))
			return SCMI_NOT_FOUND;
		scmi_put_le32(pl + 4, r->plat_id);
		break;
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_POSSIBLE_PARENTS_GET:
		/* Ask from the first parent; the guest's page is cut here. */
		v->parents_skip[scmi_hdr_token(hdr)] = word(pl, plen, 4);
		scmi_put_le32(pl + 4, 0);
		break;
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_SETTINGS_CONFIGURE:
		id = word(pl, plen, 4);
		if (!(word(pl, plen, 8) & SCMI_PINCTRL_FUNC_VALID) ||
		    id == SCMI_PINCTRL_NO_FUNCTION)
			break;
		r = policy_space_guest(policy_space(p, SCMI_PROTO_PINCTRL,
						    SCMI_PINCTRL_TYPE_FUNCTION), id);
		if (!exists(v, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_TYPE_FUNCTION, r))
			return SCMI_NOT_FOUND;
		scmi_put_le32(pl + 4, r->plat_id);
		break;
	default:
		break;
	}
	return SCMI_SUCCESS;
}

enum agent_verdict view_request(struct view *v, uint8_t *msg, size_t *len, size_t cap,
				uint8_t *resp, size_t *resp_len, size_t resp_max)
{
	const struct policy *p = v->cfg.pol;
	uint32_t hdr = scmi_get_le32(msg);
	uint8_t proto = scmi_hdr_proto(hdr), *pl = msg + 4;
	size_t plen = *len >= 4 ? *len - 4 : 0;
	const struct view_cmd *vc;
	const struct pol_proto *sp;
	const struct pol_res *r = NULL;
	int32_t st;

	(void)cap;
	(void)resp_max;
	if (proto == SCMI_PROTO_BASE)
		return AGENT_FORWARD;         /* the agent answers BASE itself */
	if (!policy_allows(p, proto))
		return reply(hdr, SCMI_NOT_SUPPORTED, resp, resp_len);
	/* The agent checked this already; the view does not rely on it. */
	st = scmi_check_req_len(proto, scmi_hdr_msg_id(hdr), plen);
	if (st != SCMI_SUCCESS)
		return reply(hdr, st, resp, resp_len);
	vc = view_cmd_find(proto, scmi_hdr_msg_id(hdr));
	if (!vc)
		return AGENT_FORWARD;
	if (vc->access == VIEW_DENY)
		return reply(hdr, SCMI_DENIED, resp, resp_len);
	if (proto == SCMI_PROTO_SENSOR && scmi_hdr_msg_id(hdr) == SCMI_SENSOR_DESCRIPTION_GET) {
		/* desc_index counts the guest's sensors: ask for that one only. */
		r = policy_res_guest(p, SCMI_PROTO_SENSOR, word(pl, plen, 0));
		if (!exists(v, SCMI_PROTO_SENSOR, 0, r))
			return reply(hdr, SCMI_INVALID_PARAMETERS, resp, resp_len);
		scmi_put_le32(pl, r->plat_id);
		return AGENT_FORWARD;
	}
	if (vc->flags_off >= 0 && (word(pl, plen, vc->flags_off) & ~vc->flags_valid))
		return reply(hdr, SCMI_INVALID_PARAMETERS, resp, resp_len);
	if (vc->flags2_off >= 0 && (word(pl, plen, vc->flags2_off) & ~vc->flags2_valid))
		return reply(hdr, SCMI_INVALID_PARAMETERS, resp, resp_len);
	if (vc->id_off >= 0) {
		unsigned sel = vc->sel_off >= 0 ?
			(word(pl, plen, vc->sel_off) >> vc->sel_shift) & 3u : 0;

		sp = policy_space(p, proto, sel);
		if (!sp)
			return reply(hdr, SCMI_INVALID_PARAMETERS, resp, resp_len);
		r = policy_space_guest(sp, word(pl, plen, vc->id_off));
		if (!exists(v, proto, sel, r))
			return reply(hdr, SCMI_NOT_FOUND, resp, resp_len);
	}
	switch (vc->access) {
	case VIEW_CONTROL:
		if (r && !(r->rights & POL_CONTROL))
			return reply(hdr, SCMI_DENIED, resp, resp_len);
		if (r && proto == SCMI_PROTO_PERF && vc->range != VIEW_RANGE_NONE) {
			/* LEVEL_SET, LIMITS_SET: a level-indexing domain's guest
			 * indexes become the platform's (platform values from
			 * here: the arbiter aggregates those) */
			unsigned nw = vc->range == VIEW_RANGE_U32_PAIR ? 2 : 1;

			if ((size_t)vc->val_off + 4 * nw <= plen &&
			    vl_levels_in(v->lists, r, pl + vc->val_off, nw, &st)) {
				if (st != SCMI_SUCCESS)
					return reply(hdr, st, resp, resp_len);
				break;
			}
		}
		if (r && !in_range(r, vc, pl, plen))
			return reply(hdr, SCMI_OUT_OF_RANGE, resp, resp_len);
		break;
	case VIEW_NOTIFY:
		if (!p->notifications)
			return reply(hdr, SCMI_DENIED, resp, resp_len);
		break;
	case VIEW_SYSTEM:
		if (p->system_power != POL_SYS_PLATFORM)
			return reply(hdr, SCMI_DENIED, resp, resp_len);
		break;
	default:
		break;
	}
	st = second_ids(v, hdr, pl, plen);
	if (st != SCMI_SUCCESS)
		return reply(hdr, st, resp, resp_len);
	if (r)
		scmi_put_le32(pl + vc->id_off, r->plat_id);
	if (r && is_list(proto, scmi_hdr_msg_id(hdr))) {
		/* range= cuts the list: the guest's index becomes the platform's */
		st = vl_request(v->lists, r, msg, *len, resp, resp_len, resp_max);
		if (st == 1)
			return AGENT_REPLY;
		if (st != 0)
			return reply(hdr, st, resp, resp_len);
	}
	return AGENT_FORWARD;
}

/* ---- responses -------------------------------------------------------------- */
static void status_only(uint8_t *resp, size_t *len, int32_t st)
{
	scmi_put_le32(resp + 4, (uint32_t)st);
	*len = 8;
}

static void rename_field(const struct pol_res *r, uint8_t *resp, size_t len, size_t off,
			 size_t size)
{
	size_t n;

	if (!r || !r->name[0] || off + size > len)
		return;
	n = strlen(r->name);
	if (n > size - 1)
		n = size - 1;
	memset(resp + off, 0, size);
	memcpy(resp + off, r->name, n);
}

static void proto_attributes(struct view *v, uint8_t proto, uint8_t *resp, size_t len)
{
	const struct policy *p = v->cfg.pol;
	const struct pol_proto *sp = policy_space(p, proto, SCMI_PINCTRL_TYPE_PIN);
	uint32_t a;

	if (len < 12 || !sp || proto == SCMI_PROTO_SYSTEM)
		return;
	a = scmi_get_le32(resp + 8);
	learn_count(v, proto, SCMI_PINCTRL_TYPE_PIN, a & 0xffffu);
	if (proto == SCMI_PROTO_PINCTRL) {
		learn_count(v, proto, SCMI_PINCTRL_TYPE_GROUP, a >> 16);
		if (len >= 16)
			learn_count(v, proto, SCMI_PINCTRL_TYPE_FUNCTION,
				    scmi_get_le32(resp + 12) & 0xffffu);
	}
	switch (proto) {
	case SCMI_PROTO_POWER:
	case SCMI_PROTO_PERF:
	case SCMI_PROTO_SENSOR:
		/* statistics / sensor shared memory are the platform's: none */
		if (len >= 24)
			memset(resp + 12, 0, 12);
		/* fall through */
	case SCMI_PROTO_CLOCK:
	case SCMI_PROTO_RESET:
	case SCMI_PROTO_VOLTAGE:
	case SCMI_PROTO_POWERCAP:
		scmi_put_le32(resp + 8, (a & 0xffff0000u) | (sp->nres & 0xffffu));
		break;
	case SCMI_PROTO_PINCTRL:
		scmi_put_le32(resp + 8, (p->pin_groups.nres & 0xffffu) << 16 |
			      (sp->nres & 0xffffu));
		if (len >= 16)
			scmi_put_le32(resp + 12, (scmi_get_le32(resp + 12) & 0xffff0000u) |
				      (p->pin_functions.nres & 0xffffu));
		break;
	default:
		break;
	}
}

static void parents_list(struct view *v, uint32_t req_hdr, uint8_t *resp, size_t *len,
			 size_t resp_max)
{
	const struct pol_proto *sp = policy_space(v->cfg.pol, SCMI_PROTO_CLOCK, 0);
	uint32_t skip = v->parents_skip[scmi_hdr_token(req_hdr)], out[255];
	size_t i, n, vis = 0, room, put;
	const struct pol_res *r;

	if (*len < 12) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	n = scmi_get_le32(resp + 8) & 0xffu;
	if (12 + 4 * n > *len) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	for (i = 0; i < n; i++) {
		r = policy_space_plat(sp, scmi_get_le32(resp + 12 + 4 * i));
		if (r)
			out[vis++] = r->guest_id;
	}
	if (skip > vis) {
		status_only(resp, len, SCMI_INVALID_PARAMETERS);
		return;
	}
	room = resp_max > 12 ? (resp_max - 12) / 4 : 0;
	put = vis - skip < room ? vis - skip : room;
	for (i = 0; i < put; i++)
		scmi_put_le32(resp + 12 + 4 * i, out[skip + i]);
	scmi_put_le32(resp + 8, (uint32_t)put | (uint32_t)(vis - skip - put) << 24);
	*len = 12 + 4 * put;
}

static void sensor_desc(const struct policy *p, uint32_t plat_id, uint8_t *resp, size_t *len)
{
	const struct pol_proto *sp = policy_space(p, SCMI_PROTO_SENSOR, 0);
	const struct pol_res *r = policy_space_plat(sp, plat_id);
	size_t dsize = 28;
	uint32_t al, ah;

	if (!r || *len < 12 + 28 || !(scmi_get_le32(resp + 8) & 0xfffu) ||
	    scmi_get_le32(resp + 12) != plat_id) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	al = scmi_get_le32(resp + 16);
	ah = scmi_get_le32(resp + 20);
	if (al & SCMI_SENSOR_DESC_EXT_ATTRS)
		dsize += ah & SCMI_SENSOR_DESC_AXES ? 4 : 24;
	if (12 + dsize > *len) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	scmi_put_le32(resp + 12, r->guest_id);
	rename_field(r, resp, *len, 24, SCMI_SHORT_NAME_LEN);
	scmi_put_le32(resp + 8, 1u | (uint32_t)(sp->nres - r->guest_id - 1) << 16);
	*len = 12 + dsize;
}

static void associations(const struct policy *p, const uint8_t *req, uint8_t *resp, size_t *len)
{
	unsigned sel = scmi_get_le32(req + 8) & 3u;
	const struct pol_proto *sp = policy_space(p, SCMI_PROTO_PINCTRL,
						  sel == SCMI_PINCTRL_TYPE_GROUP ?
						  SCMI_PINCTRL_TYPE_PIN : SCMI_PINCTRL_TYPE_GROUP);
	size_t i, n;

	if (*len < 12) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	n = scmi_get_le32(resp + 8) & 0xfffu;
	if (12 + 2 * n > *len) {
		status_only(resp, len, SCMI_PROTOCOL_ERROR);
		return;
	}
	for (i = 0; i < n; i++) {
		uint8_t *e = resp + 12 + 2 * i;
		uint32_t id = (uint32_t)e[0] | (uint32_t)e[1] << 8;
		const struct pol_res *r = policy_space_plat(sp, id);

		/* policy_cfg grants groups only with their members */
		if (!r) {
			status_only(resp, len, SCMI_GENERIC_ERROR);
			return;
		}
		e[0] = r->guest_id & 0xff;
		e[1] = (r->guest_id >> 8) & 0xff;
	}
}

void view_response(struct view *v, const uint8_t *req, size_t req_len, uint8_t *resp,
		   size_t *len, size_t resp_max)
{
	const struct policy *p = v->cfg.pol;
	uint32_t hdr, id;
	uint8_t proto, msg;
	const struct view_cmd *vc;
	const struct pol_proto *sp = NULL;
	const struct pol_res *r = NULL, *x;
	const uint8_t *pl = req + 4;
	size_t plen;

	if (req_len < 4 || *len < 8 || scmi_get_le32(resp + 4) != SCMI_SUCCESS)
		return;
	hdr = scmi_get_le32(req);
	proto = scmi_hdr_proto(hdr);
	msg = scmi_hdr_msg_id(hdr);
	plen = req_len - 4;
	if (proto == SCMI_PROTO_BASE || !policy_allows(p, proto))
		return;
	if (msg == SCMI_PROTOCOL_ATTRIBUTES) {
		proto_attributes(v, proto, resp, *len);
		return;
	}
	if (msg == SCMI_PROTOCOL_VERSION) {
		if (*len >= 12)
			vl_note_version(v->lists, proto, scmi_get_le32(resp + 8));
		return;
	}
	vc = view_cmd_find(proto, msg);
	if (!vc)
		return;
	if (proto == SCMI_PROTO_SENSOR && msg == SCMI_SENSOR_DESCRIPTION_GET) {
		sensor_desc(p, word(pl, plen, 0), resp, len);
		return;
	}
	if (vc->id_off >= 0) {
		unsigned sel = vc->sel_off >= 0 ?
			(word(pl, plen, vc->sel_off) >> vc->sel_shift) & 3u : 0;

		sp = policy_space(p, proto, sel);
		r = policy_space_plat(sp, word(pl, plen, vc->id_off));
	}
	switch (proto << 8 | msg) {
	case SCMI_PROTO_POWER << 8 | SCMI_POWER_DOMAIN_ATTRIBUTES:
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_ATTRIBUTES:
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_DOMAIN_ATTRIBUTES:
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_ATTRIBUTES:
		rename_field(r, resp, *len, 12, SCMI_SHORT_NAME_LEN);
		break;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DOMAIN_ATTRIBUTES:
		rename_field(r, resp, *len, 24, SCMI_SHORT_NAME_LEN);
		/* The sustained level/frequency stay the platform's: Linux makes
		 * the levels above them boost ones (none of the allowed ones if
		 * they are above the range) and, for PERF 3.0, derives its
		 * level-to-frequency factor from them. */
		if (*len >= 12)
			vl_note_perf_attrs(v->lists, r, scmi_get_le32(resp + 8));
		break;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_LIMITS_GET:
		if (*len >= 16)
			vl_clamp_limits(v->lists, r, resp + 8, resp + 12);
		break;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_LEVEL_GET:
		if (*len >= 12)
			vl_levels_out(v->lists, r, resp + 8);
		break;
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DESCRIBE_LEVELS:
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_DESCRIBE_RATES:
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_DESCRIBE_LEVELS:
		vl_response(v->lists, r, req, req_len, resp, len);
		break;
	case SCMI_PROTO_RESET << 8 | SCMI_RESET_DOMAIN_ATTRIBUTES:
		rename_field(r, resp, *len, 16, SCMI_SHORT_NAME_LEN);
		break;
	case SCMI_PROTO_POWERCAP << 8 | SCMI_POWERCAP_DOMAIN_ATTRIBUTES:
		rename_field(r, resp, *len, 12, SCMI_SHORT_NAME_LEN);
		if (*len >= 64 && (id = scmi_get_le32(resp + 60)) != SCMI_POWERCAP_ROOT_ZONE) {
			/* a parent the guest cannot see: it is a root zone to the guest */
			x = policy_space_plat(sp, id);
			scmi_put_le32(resp + 60, x ? x->guest_id : SCMI_POWERCAP_ROOT_ZONE);
		}
		break;
	case SCMI_PROTO_POWER << 8 | SCMI_POWER_DOMAIN_NAME_GET:
	case SCMI_PROTO_PERF << 8 | SCMI_PERF_DOMAIN_NAME_GET:
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_NAME_GET:
	case SCMI_PROTO_SENSOR << 8 | SCMI_SENSOR_NAME_GET:
	case SCMI_PROTO_RESET << 8 | SCMI_RESET_DOMAIN_NAME_GET:
	case SCMI_PROTO_VOLTAGE << 8 | SCMI_VOLTAGE_DOMAIN_NAME_GET:
	case SCMI_PROTO_POWERCAP << 8 | SCMI_POWERCAP_DOMAIN_NAME_GET:
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_NAME_GET:
		rename_field(r, resp, *len, 12, SCMI_EXT_NAME_LEN);
		break;
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_POSSIBLE_PARENTS_GET:
		parents_list(v, hdr, resp, len, resp_max);
		break;
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_PARENT_GET:
		if (*len < 12)
			break;
		x = policy_space_plat(sp, scmi_get_le32(resp + 8));
		if (!x)
			status_only(resp, len, SCMI_DENIED);   /* parent hidden from the guest */
		else
			scmi_put_le32(resp + 8, x->guest_id);
		break;
	case SCMI_PROTO_CLOCK << 8 | SCMI_CLOCK_GET_PERMISSIONS:
		if (*len >= 12 && r && !(r->rights & POL_CONTROL))
			scmi_put_le32(resp + 8, scmi_get_le32(resp + 8) & ~SCMI_CLOCK_PERM_CONTROL);
		break;
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_LIST_ASSOCIATIONS:
		if (plen >= 8)
			associations(p, req, resp, len);
		break;
	case SCMI_PROTO_PINCTRL << 8 | SCMI_PINCTRL_SETTINGS_GET:
		if (*len >= 12 && (id = scmi_get_le32(resp + 8)) != SCMI_PINCTRL_NO_FUNCTION) {
			x = policy_space_plat(&p->pin_functions, id);
			scmi_put_le32(resp + 8, x ? x->guest_id : SCMI_PINCTRL_NO_FUNCTION);
		}
		break;
	default:
		break;
	}
}

/* ---- delayed responses and notifications ------------------------------------ */
static bool has_dresp_id(uint8_t proto, uint8_t msg)
{
	const struct scmi_cmd_desc *d = scmi_cmd_find(proto, msg);

	return d && (d->flags & SCMI_CMD_ASYNC) && view_cmd_find(proto, msg) &&
	       view_cmd_find(proto, msg)->id_off >= 0;
}

bool view_event(struct view *v, uint8_t *msg, size_t *len, size_t cap)
{
	const struct policy *p = v->cfg.pol;
	uint32_t hdr;
	uint8_t proto;
	const struct pol_res *r;

	(void)cap;
	if (*len < 4)
		return false;
	hdr = scmi_get_le32(msg);
	proto = scmi_hdr_proto(hdr);
	if (proto != SCMI_PROTO_BASE && !policy_allows(p, proto))
		return false;
	if (scmi_hdr_type(hdr) == SCMI_MSG_DELAYED_RESP) {
		if (!has_dresp_id(proto, scmi_hdr_msg_id(hdr)) || *len < 12)
			return true;
		r = policy_res_plat(p, proto, scmi_get_le32(msg + 8));
		if (!r)
			return false;
		scmi_put_le32(msg + 8, r->guest_id);
		return true;
	}
	if (scmi_hdr_type(hdr) != SCMI_MSG_NOTIFICATION || *len < 8)
		return false;
	scmi_notif_renumber_agent(msg, v->cfg.plat_agent_id, v->cfg.guest_agent_id);
	if (proto == SCMI_PROTO_BASE || proto == SCMI_PROTO_SYSTEM)
		return true;
	if (*len < 12)
		return false;
	r = policy_res_plat(p, proto, scmi_get_le32(msg + 8));
	if (!r)
		return false;
	scmi_put_le32(msg + 8, r->guest_id);
	if (proto == SCMI_PROTO_PERF && scmi_hdr_msg_id(hdr) == SCMI_PERF_LIMITS_CHANGED &&
	    *len >= 20)
		vl_clamp_limits(v->lists, r, msg + 12, msg + 16);
	if (proto == SCMI_PROTO_PERF && scmi_hdr_msg_id(hdr) == SCMI_PERF_LEVEL_CHANGED &&
	    *len >= 16)
		vl_levels_out(v->lists, r, msg + 12);
	return true;
}
