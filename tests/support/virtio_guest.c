// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_guest.h"

int vguest_init(struct vguest *g, size_t ram_size, size_t ro_size)
{
	struct gmem_region r = { .gpa = VGUEST_GPA, .size = ram_size };

	memset(g, 0, sizeof(*g));
	gmem_regions_init(&g->gm);
	g->ram = aligned_alloc(4096, ram_size);
	if (!g->ram)
		return -1;
	memset(g->ram, 0, ram_size);
	g->ram_size = ram_size;
	r.hva = g->ram;
	r.uaddr = 0x7f0000000000ull;
	if (gmem_regions_add(&g->gm, &r))
		return -1;
	if (ro_size) {
		g->ro = aligned_alloc(4096, ro_size);
		if (!g->ro)
			return -1;
		memset(g->ro, 0, ro_size);
		g->ro_size = ro_size;
		r = (struct gmem_region){ .gpa = VGUEST_RO_GPA, .size = ro_size,
					  .hva = g->ro, .readonly = true };
		if (gmem_regions_add(&g->gm, &r))
			return -1;
	}
	return 0;
}

void vguest_fini(struct vguest *g)
{
	free(g->ram);
	free(g->ro);
	memset(g, 0, sizeof(*g));
}

uint64_t vguest_alloc(struct vguest *g, size_t len, size_t align)
{
	size_t at = (g->brk + align - 1) & ~(align - 1);

	if (at + len > g->ram_size) {
		fprintf(stderr, "vguest: out of guest RAM\n");
		abort();
	}
	g->brk = at + len;
	memset(g->ram + at, 0, len);
	return VGUEST_GPA + at;
}

void *vguest_hva(struct vguest *g, uint64_t gpa)
{
	if (gpa >= VGUEST_RO_GPA && gpa - VGUEST_RO_GPA < g->ro_size)
		return g->ro + (gpa - VGUEST_RO_GPA);
	return g->ram + (gpa - VGUEST_GPA);
}

struct vring_drv *vguest_ring(struct vguest *g, unsigned num, bool event_idx,
			      unsigned max_ind)
{
	struct vring_drv *d = malloc(sizeof(*d));
	uint64_t gpa;

	if (!d)
		abort();
	gpa = vguest_alloc(g, vring_drv_ring_size(num), 64);
	if (vring_drv_init(d, num, vguest_hva(g, gpa), gpa, event_idx))
		abort();
	if (max_ind) {
		uint64_t p = vguest_alloc(g, vring_drv_indirect_size(num, max_ind), 16);

		vring_drv_set_indirect(d, vguest_hva(g, p), p, max_ind);
	}
	return d;
}
