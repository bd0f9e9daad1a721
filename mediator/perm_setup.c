// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform-side permissions of a guest's own platform agent (perm_setup.h).
 */
#include <string.h>

#include "config/platform_desc.h"
#include "perm_setup.h"
#include "scmi_msg.h"

/* Does the policy show platform resource id of protocol index pi? (scan:
 * the policy is sorted by guest id) */
static bool has_plat(const struct policy *pol, unsigned pi, uint32_t id)
{
	unsigned k;

	for (k = 0; k < pol->proto[pi].nres; k++)
		if (pol->proto[pi].res[k].plat_id == id)
			return true;
	return false;
}

static bool sees_any(const struct policy *pol, const struct perm_device *dv)
{
	unsigned i, k;

	for (i = 0; i < POL_NPROTO; i++) {
		if (!pol->proto[i].allowed)
			continue;
		for (k = 0; k < dv->nres[i]; k++)
			if (has_plat(pol, i, dv->res[i][k]))
				return true;
	}
	return false;
}

/* The union of the guests sharing the agent; a guest without a policy
 * (NULL) sees everything. */
static bool set_sees_any(const struct policy *const *pols, unsigned npols,
			 const struct perm_device *dv)
{
	unsigned k;

	for (k = 0; k < npols; k++)
		if (!pols[k] || sees_any(pols[k], dv))
			return true;
	return false;
}

static bool set_allows(const struct policy *const *pols, unsigned npols, unsigned pi)
{
	unsigned k;

	for (k = 0; k < npols; k++)
		if (!pols[k] || pols[k]->proto[pi].allowed)
			return true;
	return false;
}

int perm_program(const struct policy *pol, uint32_t agent, const struct perm_device *devs,
		 unsigned ndevs, perm_send_fn send, void *opaque)
{
	return perm_program_set(&pol, 1, agent, devs, ndevs, send, opaque);
}

int perm_program_set(const struct policy *const *pols, unsigned npols, uint32_t agent,
		     const struct perm_device *devs, unsigned ndevs, perm_send_fn send,
		     void *opaque)
{
	uint8_t m[20];
	unsigned d, i;
	int n = 0, rc;

	for (d = 0; d < ndevs; d++) {
		bool allow = set_sees_any(pols, npols, &devs[d]);

		scmi_put_le32(m, scmi_hdr(SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 0, 0));
		scmi_put_le32(m + 4, agent);
		scmi_put_le32(m + 8, devs[d].id);
		scmi_put_le32(m + 12, allow ? SCMI_BASE_ACCESS_ALLOW : 0);
		rc = send(opaque, m, 16);
		if (rc < 0)
			return rc;
		n++;
		if (!allow)
			continue;
		for (i = 0; i < POL_NPROTO; i++) {
			if (!devs[d].nres[i])
				continue;
			scmi_put_le32(m, scmi_hdr(SCMI_PROTO_BASE,
						  SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 0, 0));
			scmi_put_le32(m + 4, agent);
			scmi_put_le32(m + 8, devs[d].id);
			scmi_put_le32(m + 12, SCMI_PROTO_BASE + i);
			scmi_put_le32(m + 16, set_allows(pols, npols, i) ?
				      SCMI_BASE_ACCESS_ALLOW : 0);
			rc = send(opaque, m, 20);
			if (rc < 0)
				return rc;
			n++;
		}
	}
	return n;
}

unsigned perm_devices_from_desc(const struct plat_desc *d, struct perm_device *out,
				unsigned max)
{
	unsigned i;

	for (i = 0; i < d->ndevices && i < max; i++) {
		const struct pd_device *s = &d->devices[i];
		struct perm_device *o = &out[i];

		memset(o, 0, sizeof(*o));
		o->id = s->id;
		o->res[POL_IDX(SCMI_PROTO_CLOCK)] = s->clocks;
		o->nres[POL_IDX(SCMI_PROTO_CLOCK)] = s->nclocks;
		o->res[POL_IDX(SCMI_PROTO_POWER)] = s->power;
		o->nres[POL_IDX(SCMI_PROTO_POWER)] = s->npower;
		o->res[POL_IDX(SCMI_PROTO_RESET)] = s->resets;
		o->nres[POL_IDX(SCMI_PROTO_RESET)] = s->nresets;
		o->res[POL_IDX(SCMI_PROTO_PERF)] = s->perf;
		o->nres[POL_IDX(SCMI_PROTO_PERF)] = s->nperf;
		o->res[POL_IDX(SCMI_PROTO_VOLTAGE)] = s->voltages;
		o->nres[POL_IDX(SCMI_PROTO_VOLTAGE)] = s->nvoltages;
		o->res[POL_IDX(SCMI_PROTO_SENSOR)] = s->sensors;
		o->nres[POL_IDX(SCMI_PROTO_SENSOR)] = s->nsensors;
		o->res[POL_IDX(SCMI_PROTO_PINCTRL)] = s->pins;
		o->nres[POL_IDX(SCMI_PROTO_PINCTRL)] = s->npins;
	}
	return i;
}
