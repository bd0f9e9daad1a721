/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The partial device tree a Xen guest needs for virtio-scmi (xl.cfg
 * `device_tree=`; libxl copies only /passthrough and /aliases into the
 * guest's tree), generated with libfdt:
 *
 *   / { #address-cells = <2>; #size-cells = <2>;
 *     passthrough { compatible = "simple-bus"; ranges;
 *                   #address-cells = <2>; #size-cells = <2>;
 *       scmi { compatible = "arm,scmi-virtio";
 *              #address-cells = <1>; #size-cells = <0>;
 *         protocol@14 { reg = <0x14>; #clock-cells = <1>; phandle = <..>; };
 *         ... one node per granted protocol ...
 *   }; }; };
 *
 * libxl makes no SCMI node and the guest's virtio-mmio node is plain
 * "virtio,mmio"; the arm_scmi driver binds "arm,scmi-virtio" to the one
 * virtio device with id 32.
 *
 * Starting from the user's own partial tree (optional): its /passthrough
 * devices are kept; an SCMI node of another transport in it (arm,scmi,
 * arm,scmi-smc, ...) becomes the virtio one (transport properties and
 * arm,scmi-shmem nodes removed), protocol nodes not granted are removed,
 * and the `clocks`, `assigned-clocks`, `resets` and `power-domains`
 * references of /passthrough devices to SCMI protocol nodes are
 * rewritten from host ids to the guest's ids with the mapping table (ids
 * of a protocol without any mapping entry are kept as they are). A
 * reference to a protocol not granted, or to an id the mapping does not
 * list, is an error (the device would not work in the guest).
 */
#ifndef XEN_SCMI_DT_H
#define XEN_SCMI_DT_H

#include <stddef.h>
#include <stdint.h>

struct scmi_dt_map {
	uint8_t protocol;
	uint32_t host_id;
	uint32_t guest_id;
};

struct scmi_dt_params {
	const uint8_t *protocols;       /* granted protocol ids (not BASE) */
	unsigned n_protocols;
	const struct scmi_dt_map *map;
	unsigned n_map;
};

/* Build the partial tree from base (a DTB of base_len bytes, or NULL).
 * Returns 0 with *out (malloc'd) and *out_len, or -1 with err set. */
int scmi_dt_build(const void *base, size_t base_len, const struct scmi_dt_params *p,
		  void **out, size_t *out_len, char *err, size_t errlen);

#endif
