/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory of a Xen guest as a struct gmem (mediator/virtio/gmem.h),
 * over a mapper that maps guest frames into our address space: grant
 * references (libxengnttab) or guest frame numbers (libxenforeignmemory).
 * The mapper is an ops interface so the cache logic is tested with fakes;
 * xen/libxen/xen_mappers.c binds it to the Xen libraries.
 *
 * Address spaces:
 *  - GMAP_GRANT (grant_usage=1, "xen,grant-dma" in the guest): a device
 *    address is bit 63 | grant_ref << 12 | offset (Linux's
 *    drivers/xen/grant-dma-ops.c); a buffer spanning n pages uses n
 *    consecutive grant references. Anything without bit 63, or with a
 *    reference >= max_grant_ref, is refused.
 *  - GMAP_FOREIGN (grant_usage=0): device address = guest physical
 *    address; it must lie inside one of the guest's RAM banks.
 *
 * Mappings are kept in a small table (max_entries), each pinned while a
 * gmem_get() pointer into it is outstanding:
 *  - foreign mappings stay cached after the last gmem_put() and are
 *    reused for later accesses; they are mapped in aligned chunks of
 *    chunk_pages (falling back to the exact pages when a chunk touches an
 *    unmappable frame) and the least recently used unpinned one is evicted
 *    when the table is full;
 *  - grant mappings are released at the last gmem_put(): the guest ends
 *    its grants when it gets the buffer back, and Linux marks the device
 *    broken if the backend still maps one ("Grant still in use by backend
 *    domain"). Only mappings pinned for a long time (virtqueue rings, which
 *    the guest allocates once per queue) stay, until unpinned.
 * Accesses needing more than max_pages pages, or finding the table full
 * of pinned mappings, fail (NULL), and are counted.
 */
#ifndef XEN_GMAP_H
#define XEN_GMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediator/virtio/gmem.h"

#define GMAP_PAGE_SHIFT		12
#define GMAP_PAGE_SIZE		(1ull << GMAP_PAGE_SHIFT)
#define GMAP_GRANT_ADDR_BIT	(1ull << 63)

#define GMAP_MAX_ENTRIES	64
#define GMAP_MAX_RAM_BANKS	4
#define GMAP_MAX_PAGES		256

enum gmap_mode {
	GMAP_FOREIGN = 0,
	GMAP_GRANT = 1,
};

struct gmap_mapper_ops {
	/* Map n frames (grant refs or guest frame numbers) at consecutive
	 * addresses, writable or read-only. err[i] gets 0 or a negative
	 * errno per frame. Returns the address, or NULL if nothing was
	 * mapped. A non-NULL result with some err[i] != 0 must still be
	 * unmapped. */
	void *(*map)(void *opaque, const uint64_t *frames, unsigned n, bool writable,
		     int *err);
	void (*unmap)(void *opaque, void *addr, unsigned n);
};

struct gmap_params {
	enum gmap_mode mode;
	unsigned max_entries;   /* 1..GMAP_MAX_ENTRIES */
	unsigned max_pages;     /* pages per mapping, 1..GMAP_MAX_PAGES */
	unsigned chunk_pages;   /* foreign: power of two <= max_pages (1: none) */
	/* GMAP_FOREIGN: the guest's RAM. */
	unsigned n_ram;
	struct { uint64_t base, size; } ram[GMAP_MAX_RAM_BANKS];
	/* GMAP_GRANT: references must be below this. */
	uint64_t max_grant_ref;
};

struct gmap_stats {
	uint64_t hits, misses, maps, unmaps, evictions;
	uint64_t refused;       /* outside the address space / too large */
	uint64_t map_failures;  /* mapper errors */
	uint64_t table_full;    /* all entries pinned */
	uint64_t bad_put;       /* gmem_put() of an unknown pointer */
};

struct gmap_entry {
	bool used;
	bool writable;
	bool stale;             /* invalidated while pinned: unmap at last put */
	uint64_t frame0;
	unsigned n;
	uint8_t *addr;
	unsigned pins;
	uint64_t last_use;
};

struct gmap {
	struct gmem gm;         /* first: gmem_get(&g->gm, ...) */
	struct gmap_params p;
	const struct gmap_mapper_ops *ops;
	void *opaque;
	uint64_t clock;
	struct gmap_entry e[GMAP_MAX_ENTRIES];
	struct gmap_stats stats;
	uint64_t frames[GMAP_MAX_PAGES];        /* mapper call scratch */
	int err[GMAP_MAX_PAGES];
};

/* Returns 0, or -1 for invalid parameters. */
int gmap_init(struct gmap *g, const struct gmap_params *p,
	      const struct gmap_mapper_ops *ops, void *opaque);
/* Drop every unpinned mapping; pinned ones are unmapped at their last
 * put and are not reused (IOREQ_TYPE_INVALIDATE, device reset). */
void gmap_invalidate(struct gmap *g);
/* Unmap everything, pinned or not (teardown, after the device stopped
 * using its pointers). */
void gmap_release_all(struct gmap *g);
/* Mappings currently held, and pinned. */
unsigned gmap_mapped(const struct gmap *g);
unsigned gmap_pinned(const struct gmap *g);
const struct gmap_stats *gmap_stats(const struct gmap *g);

/* Default parameters for a guest: Arm guest RAM banks of
 * xen/include/public/arch-arm.h, grant table v1 with 64 frames. */
void gmap_default_params(struct gmap_params *p, enum gmap_mode mode);

#endif
