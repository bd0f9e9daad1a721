/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What scmi-xl does to an xl guest config (plain C, tested without Xen):
 * read the scmi keys, and write a derived config that is the original
 * text followed by the settings giving the guest its virtio-scmi slot.
 * xl takes the last assignment of a key, and ignores the scmi_* keys.
 *
 * Keys (xl.cfg syntax):
 *   scmi = "virtio"                  enable (the only transport)
 *   scmi_policy = "PATH"             passed to the mediator with the attach request
 *   scmi_transport = "virtio" | "virtio_disk"
 *                                    Xen 4.18+ generic virtio device, or the Xen 4.17
 *                                    compatibility slot (a virtio disk served as
 *                                    device id 32); default: from the Xen version
 *   scmi_grant_usage = 0 | 1         virtio only (default 0: foreign mappings)
 *   scmi_protocols = [ "clock", "reset", "0x15", ... ]
 *                                    protocol nodes in the guest DT (default:
 *                                    power, perf, clock, sensor, reset; those
 *                                    the policy grants when scmi_policy is set;
 *                                    listing one it does not grant is an error)
 *   scmi_idmap = [ "protocol=clock,host=12,guest=0", ... ]
 *                                    host -> guest ids for the DT rewrite
 *   scmi_marker = "PATH"             virtio_disk target marking our slot (default
 *                                    XL_DERIVE_DEFAULT_MARKER; must exist)
 *   scmi_vdev = "xvdz"               virtio_disk vdev name
 * and the standard `name`, `virtio`, `disk`, `device_tree`.
 */
#ifndef XEN_XL_DERIVE_H
#define XEN_XL_DERIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/cfg.h"
#include "xen/scmi_dt.h"

#define XL_DERIVE_DEFAULT_MARKER "/run/scmi-mediator/xen-scmi-virtio"
#define XL_DERIVE_MAX_PROTOCOLS 16
#define XL_DERIVE_MAX_MAP 256

enum xl_scmi_transport {
	XL_SCMI_VIRTIO = 0,             /* virtio = [ "type=virtio,device20,..." ] (4.18+) */
	XL_SCMI_VIRTIO_DISK = 1,        /* disk = [ "...,specification=virtio" ] (4.17) */
};

struct xl_scmi_plan {
	bool enabled;
	const char *name;
	const char *policy;
	enum xl_scmi_transport transport;
	bool grant_usage;
	const char *base_dt;            /* the config's own device_tree, or NULL */
	const char *marker;
	const char *vdev;
	uint8_t protocols[XL_DERIVE_MAX_PROTOCOLS];
	unsigned n_protocols;
	bool protocols_default;         /* no scmi_protocols key */
	struct scmi_dt_map map[XL_DERIVE_MAX_MAP];
	unsigned n_map;
};

/* Read the plan (strings point into c). xen_minor: the 4.x minor version
 * of the toolstack (selects the default transport), or -1 if unknown
 * (then 4.18+ is assumed). Returns 0, or -1 after reporting file:line
 * errors through cfg_error(). */
int xl_scmi_plan_read(struct cfg *c, struct xl_scmi_plan *p, int xen_minor);

/* Apply the guest's policy (scmi_policy, read by the caller): granted[id]
 * is true for the protocols it grants. Without scmi_protocols the DT gets
 * the default protocols the policy grants; a protocol that scmi_protocols
 * lists and the policy does not grant is a file:line error (the guest
 * would get a DT node for a protocol the mediator refuses it). Returns 0,
 * or -1 after cfg_error(). */
int xl_scmi_plan_apply_policy(struct cfg *c, struct xl_scmi_plan *p, const bool granted[256]);

/* Write the derived config: the original text, then the device entry
 * (appended to the config's own virtio/disk list) and device_tree =
 * dtb_path. Returns 0 or -1 (write error, or an entry that conflicts:
 * reported through cfg_error()). */
int xl_scmi_write_derived(struct cfg *c, const struct xl_scmi_plan *p, const char *orig,
			  size_t orig_len, const char *dtb_path, FILE *out);

/* Protocol name ("clock", "0x14", "20") to id; -1 if unknown. */
int xl_scmi_protocol_id(const char *s);

#endif
