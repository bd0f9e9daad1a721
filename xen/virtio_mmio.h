/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register file of a virtio-mmio v2 ("modern") device transport
 * (virtio 1.2 section 4.2.2), independent of how accesses arrive (Xen
 * ioreqs, tests) and of the device behind it (struct vmmio_dev_ops: the
 * virtio-scmi device in xen/vdev.c, fakes in tests).
 *
 * Control registers (offset < 0x100) accept only aligned 32-bit accesses;
 * anything else reads as 0, is ignored when written and is counted in
 * vmmio_stats.bad_access. Guest values are never trusted: a queue is only
 * started when its size is a power of two <= the maximum and the device
 * accepted its ring addresses; features are latched only while
 * FEATURES_OK is not yet set; FEATURES_OK is refused (the bit does not
 * stick) when the driver did not accept the features the device requires.
 */
#ifndef XEN_VIRTIO_MMIO_H
#define XEN_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets */
#define VMMIO_MAGIC_VALUE		0x000
#define VMMIO_VERSION			0x004
#define VMMIO_DEVICE_ID			0x008
#define VMMIO_VENDOR_ID			0x00c
#define VMMIO_DEVICE_FEATURES		0x010
#define VMMIO_DEVICE_FEATURES_SEL	0x014
#define VMMIO_DRIVER_FEATURES		0x020
#define VMMIO_DRIVER_FEATURES_SEL	0x024
#define VMMIO_LEGACY_GUEST_PAGE_SIZE	0x028
#define VMMIO_QUEUE_SEL			0x030
#define VMMIO_QUEUE_NUM_MAX		0x034
#define VMMIO_QUEUE_NUM			0x038
#define VMMIO_LEGACY_QUEUE_ALIGN	0x03c
#define VMMIO_LEGACY_QUEUE_PFN		0x040
#define VMMIO_QUEUE_READY		0x044
#define VMMIO_QUEUE_NOTIFY		0x050
#define VMMIO_INTERRUPT_STATUS		0x060
#define VMMIO_INTERRUPT_ACK		0x064
#define VMMIO_STATUS			0x070
#define VMMIO_QUEUE_DESC_LOW		0x080
#define VMMIO_QUEUE_DESC_HIGH		0x084
#define VMMIO_QUEUE_DRIVER_LOW		0x090
#define VMMIO_QUEUE_DRIVER_HIGH		0x094
#define VMMIO_QUEUE_DEVICE_LOW		0x0a0
#define VMMIO_QUEUE_DEVICE_HIGH		0x0a4
#define VMMIO_SHM_SEL			0x0ac
#define VMMIO_SHM_LEN_LOW		0x0b0
#define VMMIO_SHM_LEN_HIGH		0x0b4
#define VMMIO_SHM_BASE_LOW		0x0b8
#define VMMIO_SHM_BASE_HIGH		0x0bc
#define VMMIO_QUEUE_RESET		0x0c0
#define VMMIO_CONFIG_GENERATION		0x0fc
#define VMMIO_CONFIG			0x100

/* Size of the region libxl allocates per device (GUEST_VIRTIO_MMIO_*). */
#define VMMIO_REGION_SIZE		0x200

#define VMMIO_MAGIC			0x74726976u	/* "virt" */
#define VMMIO_VERSION_MODERN		2u
/* Our vendor id: "SCMI" read as a little-endian word. */
#define VMMIO_VENDOR_SCMIMED		0x494d4353u

#define VMMIO_INT_VRING			(1u << 0)
#define VMMIO_INT_CONFIG		(1u << 1)

/* Device status bits (virtio 1.2 section 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE	1u
#define VIRTIO_STATUS_DRIVER		2u
#define VIRTIO_STATUS_DRIVER_OK		4u
#define VIRTIO_STATUS_FEATURES_OK	8u
#define VIRTIO_STATUS_NEEDS_RESET	0x40u
#define VIRTIO_STATUS_FAILED		0x80u

#define VMMIO_F_VERSION_1		(1ull << 32)
#define VMMIO_F_ACCESS_PLATFORM		(1ull << 33)

#define VMMIO_MAX_QUEUES		8
#define VMMIO_QUEUE_NUM_MAX_DEFAULT	1024

/* The device behind the transport. */
struct vmmio_dev_ops {
	/* Features the device offers. */
	uint64_t (*host_features)(void *opaque);
	/* The driver set FEATURES_OK with these features (a subset of what
	 * was offered). */
	void (*set_features)(void *opaque, uint64_t features);
	/* QueueReady 1: ring guest addresses as the driver wrote them.
	 * Return 0 if the queue runs, -1 if refused (bad addresses). */
	int (*queue_start)(void *opaque, unsigned q, unsigned num, uint64_t desc,
			   uint64_t driver, uint64_t device);
	/* QueueReady 0 for a started queue (not called on reset). */
	void (*queue_stop)(void *opaque, unsigned q);
	/* QueueNotify for a started queue. */
	void (*kick)(void *opaque, unsigned q);
	/* Status 0 written: forget every queue and in-flight request. */
	void (*reset)(void *opaque);
	/* Device-specific configuration space; NULL: none (reads 0). */
	uint32_t (*config_read)(void *opaque, unsigned off, unsigned size);
};

/* How the transport signals the guest. level true: an interrupt is due
 * (called on every new event, also when InterruptStatus was already set,
 * so edge-triggered frontends pulse each time); false: InterruptStatus
 * became 0. */
typedef void (*vmmio_irq_fn)(void *opaque, bool level);

struct vmmio_params {
	uint32_t device_id;
	uint32_t vendor_id;
	unsigned num_queues;            /* 1..VMMIO_MAX_QUEUES */
	unsigned queue_num_max;         /* power of two, 1..32768 */
	/* Offered in addition to the device's features (e.g. ACCESS_PLATFORM
	 * for grant mappings), and required of the driver at FEATURES_OK
	 * (VERSION_1 is always required). */
	uint64_t extra_features;
	uint64_t required_features;
};

struct vmmio_stats {
	uint64_t reads, writes, notifies, bad_access, bad_queue_setup;
	uint64_t features_refused, resets, interrupts;
};

struct vmmio_queue {
	uint32_t num;
	bool ready;
	uint64_t desc, driver, device;
};

struct vmmio {
	struct vmmio_params p;
	const struct vmmio_dev_ops *ops;
	void *opaque;
	vmmio_irq_fn irq;
	void *irq_opaque;

	uint32_t status;
	uint32_t dev_features_sel, drv_features_sel;
	uint64_t drv_features;
	uint32_t queue_sel;
	uint32_t int_status;
	uint32_t config_generation;
	uint32_t shm_sel;
	struct vmmio_queue q[VMMIO_MAX_QUEUES];
	struct vmmio_stats stats;
};

/* Returns 0, or -1 if the parameters are invalid. */
int vmmio_init(struct vmmio *vm, const struct vmmio_params *p,
	       const struct vmmio_dev_ops *ops, void *opaque, vmmio_irq_fn irq,
	       void *irq_opaque);

/* One guest access at offset `off` (0 <= off < VMMIO_REGION_SIZE is the
 * caller's business: offsets beyond it are bad accesses) of size 1, 2, 4
 * or 8. Reads return the value in *val (0 for bad accesses). Return 0, or
 * -1 for a bad access (counted; the guest sees 0 / an ignored write). */
int vmmio_read(struct vmmio *vm, uint64_t off, unsigned size, uint64_t *val);
int vmmio_write(struct vmmio *vm, uint64_t off, unsigned size, uint64_t val);

/* The device put buffers in the used ring of queue q: raise INT_VRING. */
void vmmio_notify_used(struct vmmio *vm, unsigned q);
/* The device configuration changed: bump ConfigGeneration, INT_CONFIG. */
void vmmio_config_changed(struct vmmio *vm);
/* The device hit an unrecoverable queue error: DEVICE_NEEDS_RESET and,
 * once DRIVER_OK is set, a configuration change interrupt. */
void vmmio_set_needs_reset(struct vmmio *vm);
/* Reset as if the driver wrote status 0 (teardown, tests). */
void vmmio_reset(struct vmmio *vm);

/* Driver-accepted features (valid once FEATURES_OK is set). */
uint64_t vmmio_driver_features(const struct vmmio *vm);
bool vmmio_driver_ok(const struct vmmio *vm);
const struct vmmio_stats *vmmio_stats(const struct vmmio *vm);

#endif
