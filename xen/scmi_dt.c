// SPDX-License-Identifier: GPL-2.0-only
/*
 * Partial device tree for virtio-scmi in a Xen guest (see scmi_dt.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "mediator/scmi_proto.h"
#include "xen/scmi_dt.h"

#define DT_EXTRA_SPACE 65536
#define MAX_REMOVED 32

struct ctx {
	void *fdt;
	const struct scmi_dt_params *p;
	char *err;
	size_t errlen;
	int scmi;                       /* offset of the scmi node */
	uint32_t removed[MAX_REMOVED];  /* phandles of dropped protocol nodes */
	uint8_t removed_proto[MAX_REMOVED];
	unsigned n_removed;
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The provider cells property of a protocol node, or NULL. */
static const char *proto_cells(unsigned proto)
{
	switch (proto) {
	case SCMI_PROTO_POWER:
		return "#power-domain-cells";
	case SCMI_PROTO_PERF:
	case SCMI_PROTO_CLOCK:
		return "#clock-cells";
	case SCMI_PROTO_SENSOR:
		return "#thermal-sensor-cells";
	case SCMI_PROTO_RESET:
		return "#reset-cells";
	default:
		return NULL;
	}
}

static bool granted(const struct scmi_dt_params *p, unsigned proto)
{
	for (unsigned i = 0; i < p->n_protocols; i++)
		if (p->protocols[i] == proto)
			return true;
	return false;
}

static bool is_scmi_compat(const void *fdt, int node)
{
	int len;
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);

	return compat && len > 8 && !strncmp(compat, "arm,scmi", 8) &&
	       strcmp(compat, "arm,scmi-shmem") != 0;
}

static int find_below(const void *fdt, int top, bool (*match)(const void *, int))
{
	int depth = 0, node = top;

	while ((node = fdt_next_node(fdt, node, &depth)) >= 0 && depth > 0)
		if (match(fdt, node))
			return node;
	return -1;
}

static bool is_shmem(const void *fdt, int node)
{
	return fdt_node_check_compatible(fdt, node, "arm,scmi-shmem") == 0;
}

static int ensure_passthrough(struct ctx *c)
{
	int pt = fdt_path_offset(c->fdt, "/passthrough");

	if (pt >= 0)
		return pt;
	pt = fdt_add_subnode(c->fdt, 0, "passthrough");
	if (pt < 0 || fdt_setprop_string(c->fdt, pt, "compatible", "simple-bus") ||
	    fdt_setprop(c->fdt, pt, "ranges", NULL, 0) ||
	    fdt_setprop_u32(c->fdt, pt, "#address-cells", 2) ||
	    fdt_setprop_u32(c->fdt, pt, "#size-cells", 2))
		return fail(c, "cannot create /passthrough");
	return fdt_path_offset(c->fdt, "/passthrough");
}

static const char *const transport_props[] = {
	"shmem", "mboxes", "mbox-names", "arm,smc-id", "interrupts", "interrupt-names",
	"linaro,optee-channel-id", "arm,max-rx-timeout-ms", NULL,
};

/* The scmi node: the user's (converted to virtio) or a new one. */
static int setup_scmi_node(struct ctx *c)
{
	int pt, node;

	/* Shared-memory nodes of other transports mean nothing to a virtio guest. */
	while ((pt = fdt_path_offset(c->fdt, "/passthrough")) >= 0 &&
	       (node = find_below(c->fdt, pt, is_shmem)) >= 0)
		if (fdt_del_node(c->fdt, node))
			return fail(c, "cannot delete an arm,scmi-shmem node");
	pt = ensure_passthrough(c);
	if (pt < 0)
		return -1;
	node = find_below(c->fdt, pt, is_scmi_compat);
	if (node < 0) {
		node = fdt_add_subnode(c->fdt, pt, "scmi");
		if (node < 0)
			return fail(c, "cannot add /passthrough/scmi: %s", fdt_strerror(node));
	}
	for (unsigned i = 0; transport_props[i]; i++)
		fdt_delprop(c->fdt, node, transport_props[i]);
	if (fdt_setprop_string(c->fdt, node, "compatible", "arm,scmi-virtio") ||
	    fdt_setprop_u32(c->fdt, node, "#address-cells", 1) ||
	    fdt_setprop_u32(c->fdt, node, "#size-cells", 0))
		return fail(c, "cannot set the scmi node's properties");
	return node;
}

static int proto_of(const void *fdt, int node)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	return reg && len == 4 ? (int)fdt32_to_cpu(reg[0]) : -1;
}

/* Drop protocol nodes not granted (remembering their phandles), add the
 * granted ones that are missing, give every one a phandle. */
static int setup_protocols(struct ctx *c)
{
	char name[32];
	int node;

restart:
	fdt_for_each_subnode(node, c->fdt, c->scmi) {
		int proto = proto_of(c->fdt, node);

		if (proto < 0 || proto == SCMI_PROTO_BASE || granted(c->p, (unsigned)proto))
			continue;
		if (c->n_removed == MAX_REMOVED)
			return fail(c, "too many protocol nodes");
		c->removed_proto[c->n_removed] = (uint8_t)proto;
		c->removed[c->n_removed++] = fdt_get_phandle(c->fdt, node);
		if (fdt_del_node(c->fdt, node))
			return fail(c, "cannot delete protocol@%x", proto);
		c->scmi = setup_scmi_node(c);
		if (c->scmi < 0)
			return -1;
		goto restart;
	}
	for (unsigned i = 0; i < c->p->n_protocols; i++) {
		unsigned proto = c->p->protocols[i];
		const char *cells = proto_cells(proto);
		uint32_t ph;
		int found = -1;

		if (proto == SCMI_PROTO_BASE)
			continue;
		fdt_for_each_subnode(node, c->fdt, c->scmi)
			if (proto_of(c->fdt, node) == (int)proto)
				found = node;
		if (found < 0) {
			snprintf(name, sizeof(name), "protocol@%x", proto);
			found = fdt_add_subnode(c->fdt, c->scmi, name);
			if (found < 0 || fdt_setprop_u32(c->fdt, found, "reg", proto))
				return fail(c, "cannot add %s", name);
		}
		if (cells && !fdt_getprop(c->fdt, found, cells, NULL) &&
		    fdt_setprop_u32(c->fdt, found, cells, 1))
			return fail(c, "cannot set %s of protocol@%x", cells, proto);
		if (!fdt_get_phandle(c->fdt, found)) {
			if (fdt_generate_phandle(c->fdt, &ph) ||
			    fdt_setprop_u32(c->fdt, found, "phandle", ph))
				return fail(c, "cannot give protocol@%x a phandle", proto);
		}
	}
	return 0;
}

static int map_id(struct ctx *c, unsigned proto, uint32_t host, uint32_t *guest)
{
	bool any = false;

	for (unsigned i = 0; i < c->p->n_map; i++) {
		if (c->p->map[i].protocol != proto)
			continue;
		any = true;
		if (c->p->map[i].host_id == host) {
			*guest = c->p->map[i].guest_id;
			return 0;
		}
	}
	if (any)
		return -1;
	*guest = host;
	return 0;
}

static const struct {
	const char *prop, *cells;
} ref_props[] = {
	{ "clocks", "#clock-cells" },
	{ "assigned-clocks", "#clock-cells" },
	{ "resets", "#reset-cells" },
	{ "power-domains", "#power-domain-cells" },
};

static int rewrite_prop(struct ctx *c, int node, const char *prop, const char *cellsname)
{
	char path[256];
	int len;
	const fdt32_t *val = fdt_getprop(c->fdt, node, prop, &len);
	fdt32_t *copy;
	unsigned n, i = 0;
	bool changed = false;
	int rc = 0;

	if (!val)
		return 0;
	fdt_get_path(c->fdt, node, path, sizeof(path));
	if (len % 4)
		return fail(c, "%s: %s: length %d is not a multiple of 4", path, prop, len);
	n = (unsigned)len / 4;
	copy = malloc(len ? (size_t)len : 1);
	if (!copy)
		return fail(c, "out of memory");
	memcpy(copy, val, (size_t)len);
	while (i < n) {
		uint32_t ph = fdt32_to_cpu(copy[i]);
		int target, clen;
		const fdt32_t *cells;
		unsigned ncells;

		for (unsigned r = 0; r < c->n_removed; r++)
			if (ph && c->removed[r] == ph) {
				rc = fail(c, "%s: %s refers to SCMI protocol 0x%x, which this "
					  "guest is not granted", path, prop, c->removed_proto[r]);
				goto out;
			}
		target = fdt_node_offset_by_phandle(c->fdt, ph);
		if (target < 0) {
			rc = fail(c, "%s: %s: phandle %u not found", path, prop, ph);
			goto out;
		}
		cells = fdt_getprop(c->fdt, target, cellsname, &clen);
		if (!cells || clen != 4) {
			rc = fail(c, "%s: %s: provider of phandle %u has no %s", path, prop, ph,
				  cellsname);
			goto out;
		}
		ncells = fdt32_to_cpu(cells[0]);
		if (ncells > n - i - 1) {
			rc = fail(c, "%s: %s: truncated specifier", path, prop);
			goto out;
		}
		if (fdt_parent_offset(c->fdt, target) == c->scmi && ncells == 1) {
			unsigned proto = (unsigned)proto_of(c->fdt, target);
			uint32_t host = fdt32_to_cpu(copy[i + 1]), guest;

			if (map_id(c, proto, host, &guest)) {
				rc = fail(c, "%s: %s: host id %u of SCMI protocol 0x%x is not "
					  "mapped for this guest", path, prop, host, proto);
				goto out;
			}
			copy[i + 1] = cpu_to_fdt32(guest);
			changed = true;
		}
		i += 1 + ncells;
	}
	if (changed && fdt_setprop_inplace(c->fdt, node, prop, copy, len))
		rc = fail(c, "%s: cannot rewrite %s", path, prop);
out:
	free(copy);
	return rc;
}

static int rewrite_refs(struct ctx *c)
{
	int pt = fdt_path_offset(c->fdt, "/passthrough"), node = pt, depth = 0;

	while ((node = fdt_next_node(c->fdt, node, &depth)) >= 0 && depth > 0) {
		for (unsigned i = 0; i < sizeof(ref_props) / sizeof(ref_props[0]); i++)
			if (rewrite_prop(c, node, ref_props[i].prop, ref_props[i].cells))
				return -1;
	}
	return 0;
}

int scmi_dt_build(const void *base, size_t base_len, const struct scmi_dt_params *p,
		  void **out, size_t *out_len, char *err, size_t errlen)
{
	struct ctx c = { .p = p, .err = err, .errlen = errlen };
	size_t size = DT_EXTRA_SPACE;
	int rc;

	*out = NULL;
	*out_len = 0;
	if (base) {
		if (base_len < sizeof(struct fdt_header) || fdt_check_header(base) ||
		    fdt_totalsize(base) > base_len)
			return fail(&c, "the base device tree is not a valid DTB");
		size += fdt_totalsize(base);
	}
	c.fdt = malloc(size);
	if (!c.fdt)
		return fail(&c, "out of memory");
	if (base) {
		rc = fdt_open_into(base, c.fdt, (int)size);
	} else {
		rc = fdt_create_empty_tree(c.fdt, (int)size);
		if (!rc)
			rc = fdt_setprop_u32(c.fdt, 0, "#address-cells", 2);
		if (!rc)
			rc = fdt_setprop_u32(c.fdt, 0, "#size-cells", 2);
	}
	if (rc) {
		fail(&c, "device tree: %s", fdt_strerror(rc));
		goto bad;
	}
	c.scmi = setup_scmi_node(&c);
	if (c.scmi < 0 || setup_protocols(&c) || rewrite_refs(&c))
		goto bad;
	rc = fdt_pack(c.fdt);
	if (rc) {
		fail(&c, "device tree: %s", fdt_strerror(rc));
		goto bad;
	}
	*out = c.fdt;
	*out_len = fdt_totalsize(c.fdt);
	return 0;
bad:
	free(c.fdt);
	return -1;
}
