/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One virtio-scmi device served at a guest's virtio-mmio slot: the
 * register file (virtio_mmio.h) bound to the project's device model
 * (mediator/virtio/scmi_dev.h) over the guest's memory (gmap.h), reached
 * through ioreqs (ioreq_sm.h). Plain C: the Xen libraries are behind the
 * mapper ops and the irq callback, supplied by xen/libxen/.
 *
 * Rings: at QueueReady the ring addresses the driver wrote are mapped
 * (desc and driver area read-only, device area writable) for num entries
 * plus the EVENT_IDX words, pinned in the gmap for the queue's lifetime,
 * and handed to scmi_dev_queue_setup(); they are released at QueueReady 0,
 * reset and teardown. A queue the device model declares broken makes the
 * transport show DEVICE_NEEDS_RESET.
 */
#ifndef XEN_VDEV_H
#define XEN_VDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "mediator/virtio/scmi_dev.h"
#include "xen/gmap.h"
#include "xen/ioreq_sm.h"
#include "xen/virtio_mmio.h"

struct xen_vdev_params {
	uint64_t base;                  /* guest physical base of the slot */
	struct gmap_params gmap;        /* GMAP_GRANT: ACCESS_PLATFORM required */
	bool p2a;                       /* offer VIRTIO_SCMI_F_P2A_CHANNELS */
	unsigned queue_num_max;         /* 0: SCMI_DEV_MAX_QUEUE_SIZE */
	const char *name;               /* log name (guest), copied by scmi_dev */
};

struct xen_vdev_ring {
	void *desc, *avail, *used;
	size_t desc_len, avail_len, used_len;
};

struct xen_vdev {
	uint64_t base;
	struct vmmio vm;
	struct gmap gmap;
	struct scmi_dev *dev;
	struct xen_vdev_ring ring[2];
	vmmio_irq_fn irq;
	void *irq_opaque;
	struct ioreq_sm_stats ioreq_stats;
};

/* Create the device: the core's ops get every command; irq raises or
 * lowers the guest's interrupt. Returns NULL on bad parameters or
 * allocation failure. */
struct xen_vdev *xen_vdev_new(const struct xen_vdev_params *p,
			      const struct gmap_mapper_ops *mops, void *mapper_opaque,
			      const struct scmi_dev_ops *core_ops, void *core_opaque,
			      vmmio_irq_fn irq, void *irq_opaque);
/* Reset the device (the core is told through ops->reset), release every
 * mapping and free it. */
void xen_vdev_free(struct xen_vdev *v);

/* The core answers and sends events through this. */
struct scmi_dev *xen_vdev_scmi(struct xen_vdev *v);

/* The ops to serve this device's ioreqs with ioreq_sm_serve() (opaque:
 * the xen_vdev). Addresses outside [base, base + 0x200) fail. */
extern const struct ioreq_sm_ops xen_vdev_ioreq_ops;

/* Serve one ioreq slot (ioreq_sm_serve with this device's ops). */
bool xen_vdev_serve(struct xen_vdev *v, volatile struct ioreq_slot *slot);

#endif
