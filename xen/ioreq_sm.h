/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ioreq protocol between Xen and an IOREQ server, without the Xen
 * libraries: one slot per vCPU in the shared ioreq page, with the layout
 * of xen/include/public/hvm/ioreq.h (struct ioreq; xen/libxen/ checks at
 * build time that struct ioreq_slot matches it). Xen publishes a request
 * with state READY; the server marks it INPROCESS, performs it, writes the
 * result and marks it IORESP_READY, with full barriers between the steps,
 * then notifies the vCPU's event channel.
 *
 * On Arm every MMIO request is IOREQ_TYPE_COPY, count 1, of 1/2/4/8 bytes;
 * data_is_ptr, rep counts and port I/O are rejected (a read returns all
 * ones, a write is dropped) and counted. IOREQ_TYPE_INVALIDATE (guest
 * memory map changed) drops the server's cached guest mappings.
 */
#ifndef XEN_IOREQ_SM_H
#define XEN_IOREQ_SM_H

#include <stdbool.h>
#include <stdint.h>

#define IOREQ_SM_STATE_NONE		0
#define IOREQ_SM_STATE_READY		1
#define IOREQ_SM_STATE_INPROCESS	2
#define IOREQ_SM_STATE_RESP_READY	3

#define IOREQ_SM_DIR_WRITE		0
#define IOREQ_SM_DIR_READ		1

#define IOREQ_SM_TYPE_PIO		0
#define IOREQ_SM_TYPE_COPY		1
#define IOREQ_SM_TYPE_PCI_CONFIG	2
#define IOREQ_SM_TYPE_TIMEOFFSET	7
#define IOREQ_SM_TYPE_INVALIDATE	8

/* Same layout as Xen's struct ioreq (32 bytes). */
struct ioreq_slot {
	uint64_t addr;
	uint64_t data;
	uint32_t count;
	uint32_t size;
	uint32_t vp_eport;
	uint16_t _pad0;
	uint8_t state:4;
	uint8_t data_is_ptr:1;
	uint8_t dir:1;
	uint8_t df:1;
	uint8_t _pad1:1;
	uint8_t type;
};

_Static_assert(sizeof(struct ioreq_slot) == 32, "struct ioreq layout");

/* What the server does with a request. */
struct ioreq_sm_ops {
	/* MMIO at guest physical addr, size 1/2/4/8. Return 0 if handled,
	 * -1 if the address is not ours or the access is bad (reads then
	 * return all ones). */
	int (*mmio_read)(void *opaque, uint64_t addr, unsigned size, uint64_t *val);
	int (*mmio_write)(void *opaque, uint64_t addr, unsigned size, uint64_t val);
	/* IOREQ_TYPE_INVALIDATE; may be NULL. */
	void (*invalidate)(void *opaque);
};

struct ioreq_sm_stats {
	uint64_t handled, reads, writes, invalidates;
	uint64_t rejected;      /* data_is_ptr, count != 1, bad size, bad type */
	uint64_t failed;        /* ops returned -1 */
	uint64_t spurious;      /* event with no READY request */
};

/*
 * Serve the request in `slot` if one is READY. Returns true when a
 * response was published (the caller must then notify the vCPU's event
 * channel), false if the slot held no request.
 */
bool ioreq_sm_serve(volatile struct ioreq_slot *slot, const struct ioreq_sm_ops *ops,
		    void *opaque, struct ioreq_sm_stats *st);

#endif
