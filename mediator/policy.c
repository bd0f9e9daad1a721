// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy lookups (the data itself is loaded by config/policy_cfg.c).
 */
#include <stddef.h>

#include "policy.h"

const struct pol_proto *policy_space(const struct policy *p, uint8_t proto, unsigned sel)
{
	if (proto < SCMI_PROTO_BASE || proto >= SCMI_PROTO_BASE + POL_NPROTO)
		return NULL;
	if (proto == SCMI_PROTO_PINCTRL) {
		if (sel == SCMI_PINCTRL_TYPE_GROUP)
			return &p->pin_groups;
		if (sel == SCMI_PINCTRL_TYPE_FUNCTION)
			return &p->pin_functions;
		if (sel != SCMI_PINCTRL_TYPE_PIN)
			return NULL;
	}
	return &p->proto[POL_IDX(proto)];
}

const struct pol_res *policy_space_guest(const struct pol_proto *sp, uint32_t guest_id)
{
	/* Guest ids are dense from 0 and sorted: the id is the index. */
	if (!sp || guest_id >= sp->nres)
		return NULL;
	return &sp->res[guest_id];
}

const struct pol_res *policy_space_plat(const struct pol_proto *sp, uint32_t plat_id)
{
	unsigned i;

	if (!sp)
		return NULL;
	for (i = 0; i < sp->nres; i++)
		if (sp->res[i].plat_id == plat_id)
			return &sp->res[i];
	return NULL;
}

const struct pol_res *policy_res_guest(const struct policy *p, uint8_t proto, uint32_t guest_id)
{
	return policy_space_guest(policy_space(p, proto, SCMI_PINCTRL_TYPE_PIN), guest_id);
}

const struct pol_res *policy_res_plat(const struct policy *p, uint8_t proto, uint32_t plat_id)
{
	return policy_space_plat(policy_space(p, proto, SCMI_PINCTRL_TYPE_PIN), plat_id);
}
