/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-guest policy: what one guest may see and do, under which numbering.
 * Parsed from the guest's policy file (config/policy_cfg.c, docs/policy.md)
 * and used by the guest's view (renumbering, validation) and by the arbiter
 * (shared resources across guests). Pure data; immutable once loaded.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "scmi_proto.h"

#define POL_NPROTO 10                 /* 0x10 .. 0x19 */
#define POL_IDX(proto) ((unsigned)(proto) - SCMI_PROTO_BASE)

enum pol_rights {
	POL_READ = 1u << 0,           /* discover, read state, subscribe */
	POL_CONTROL = 1u << 1,        /* change state */
};

enum pol_share {
	POL_EXCLUSIVE,                /* one guest owns it (config rejects two) */
	POL_SHARED_REFCOUNT,          /* on/enabled while any guest votes on */
	POL_SHARED_MAX,               /* value = max of the guests' requests */
};

/* What a rate/level request on a shared resource does when guests differ. */
enum pol_conflict {
	POL_CONFLICT_MAX,             /* the highest request wins */
	POL_CONFLICT_FIRST,           /* the first guest to set it owns the value; others DENIED */
	POL_CONFLICT_DENY,            /* no guest may change it (rate fixed) */
};

enum pol_system_power {
	POL_SYS_GUEST,                /* shutdown/reboot act on the guest itself */
	POL_SYS_PLATFORM,             /* forwarded (control domain only) */
	POL_SYS_DENY,                 /* DENIED */
};

struct pol_res {
	uint32_t guest_id;            /* the id the guest sees (dense from 0) */
	uint32_t plat_id;             /* the platform's id */
	unsigned rights;              /* enum pol_rights */
	enum pol_share share;
	enum pol_conflict conflict;
	bool has_range;
	int64_t min, max;             /* allowed values (Hz, perf level, uV, cap) */
	char name[64];                /* rename; "" passes the platform's name */
	int line;                     /* policy file line, for diagnostics */
};

struct pol_proto {
	bool allowed;
	struct pol_res *res;          /* sorted by guest_id, guest ids dense */
	unsigned nres;
};

struct policy {
	char path[256];
	char agent_name[16];          /* what DISCOVER_AGENT tells the guest */
	struct pol_proto proto[POL_NPROTO];
	enum pol_system_power system_power;
	bool notifications;           /* may subscribe to platform notifications */
	/* PINCTRL has three id spaces: proto[PINCTRL] holds the pins, these
	 * the groups and functions (selector types 1 and 2). */
	struct pol_proto pin_groups, pin_functions;
	/* versions = [ "perf=3.0" ]: the version presented instead of the
	 * platform's (0: the platform's); mediator/versions.h */
	uint32_t version[POL_NPROTO];
	int version_line[POL_NPROTO];
};

/* The resource table of an id space: proto, and for PINCTRL the selector
 * type (SCMI_PINCTRL_TYPE_*; ignored for other protocols). NULL if none. */
const struct pol_proto *policy_space(const struct policy *p, uint8_t proto, unsigned sel);
const struct pol_res *policy_space_guest(const struct pol_proto *sp, uint32_t guest_id);
const struct pol_res *policy_space_plat(const struct pol_proto *sp, uint32_t plat_id);

/* Lookups: NULL when the guest cannot see the resource. */
const struct pol_res *policy_res_guest(const struct policy *p, uint8_t proto, uint32_t guest_id);
const struct pol_res *policy_res_plat(const struct policy *p, uint8_t proto, uint32_t plat_id);
static inline bool policy_allows(const struct policy *p, uint8_t proto)
{
	return proto >= SCMI_PROTO_BASE && proto < SCMI_PROTO_BASE + POL_NPROTO &&
	       p->proto[POL_IDX(proto)].allowed;
}

#endif
