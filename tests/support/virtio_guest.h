/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test guest for virtio tests: one read-write guest RAM region (plus an
 * optional read-only one) behind a gmem region table, a bump allocator
 * for buffers and rings, and driver-side rings (vring_drv) over it.
 */
#ifndef VIRTIO_GUEST_H
#define VIRTIO_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "mediator/virtio/gmem.h"
#include "tools/client/vring_drv.h"

#define VGUEST_GPA    0x40000000ull
#define VGUEST_RO_GPA 0x80000000ull

struct vguest {
	struct gmem_regions gm;
	uint8_t *ram;
	size_t ram_size;
	uint8_t *ro;
	size_t ro_size;
	size_t brk;
};

/* ram_size bytes of RAM at VGUEST_GPA, ro_size (may be 0) read-only at
 * VGUEST_RO_GPA. Returns 0 or -1. */
int vguest_init(struct vguest *g, size_t ram_size, size_t ro_size);
void vguest_fini(struct vguest *g);
/* Allocate len bytes (zeroed) of RAM; returns its gpa (aborts if full). */
uint64_t vguest_alloc(struct vguest *g, size_t len, size_t align);
/* Host pointer of a RAM or RO gpa (no bounds check beyond the region). */
void *vguest_hva(struct vguest *g, uint64_t gpa);

/* Driver rings of num entries in guest RAM, with an indirect pool of
 * max_ind entries per chain (0: none). The vring_drv is malloc'ed. */
struct vring_drv *vguest_ring(struct vguest *g, unsigned num, bool event_idx,
			      unsigned max_ind);

#endif
