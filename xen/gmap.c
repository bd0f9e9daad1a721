// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory through grant or foreign mappings, with a bounded cache
 * (see gmap.h).
 */
#include <string.h>

#include "gmap.h"

/* Arm guest memory map (xen/include/public/arch-arm.h, 4.17 to 4.22);
 * xen/libxen/ checks these against the installed headers. */
#define ARM_GUEST_RAM0_BASE	0x40000000ull
#define ARM_GUEST_RAM0_SIZE	0xc0000000ull
#define ARM_GUEST_RAM1_BASE	0x0200000000ull
#define ARM_GUEST_RAM1_SIZE	0xfe00000000ull
/* Grant table v1: 8-byte entries, 512 per 4 KiB frame; libxl's default
 * max_grant_frames is 64 (xl.cfg max_grant_frames). */
#define GMAP_DEFAULT_GRANT_REFS	(64ull * 512)

void gmap_default_params(struct gmap_params *p, enum gmap_mode mode)
{
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->max_entries = 32;
	p->max_pages = 16;
	p->chunk_pages = mode == GMAP_FOREIGN ? 16 : 1;
	p->n_ram = 2;
	p->ram[0].base = ARM_GUEST_RAM0_BASE;
	p->ram[0].size = ARM_GUEST_RAM0_SIZE;
	p->ram[1].base = ARM_GUEST_RAM1_BASE;
	p->ram[1].size = ARM_GUEST_RAM1_SIZE;
	p->max_grant_ref = GMAP_DEFAULT_GRANT_REFS;
}

static void *gmap_get(struct gmem *gm, uint64_t gpa, size_t len, unsigned prot);
static void gmap_put(struct gmem *gm, void *hva, size_t len);

static const struct gmem_ops gmap_gmem_ops = {
	.get = gmap_get,
	.put = gmap_put,
};

int gmap_init(struct gmap *g, const struct gmap_params *p,
	      const struct gmap_mapper_ops *ops, void *opaque)
{
	if (!g || !p || !ops || !ops->map || !ops->unmap)
		return -1;
	if (p->max_entries < 1 || p->max_entries > GMAP_MAX_ENTRIES || p->max_pages < 1 ||
	    p->max_pages > GMAP_MAX_PAGES || p->chunk_pages < 1 ||
	    (p->chunk_pages & (p->chunk_pages - 1)) || p->chunk_pages > p->max_pages ||
	    p->n_ram > GMAP_MAX_RAM_BANKS)
		return -1;
	if (p->mode != GMAP_FOREIGN && p->mode != GMAP_GRANT)
		return -1;
	if (p->mode == GMAP_FOREIGN && p->n_ram == 0)
		return -1;
	if (p->mode == GMAP_GRANT && (p->max_grant_ref == 0 || p->max_grant_ref > (1ull << 32)))
		return -1;
	for (unsigned i = 0; i < p->n_ram; i++)
		if (p->ram[i].base + p->ram[i].size < p->ram[i].base ||
		    (p->ram[i].base | p->ram[i].size) & (GMAP_PAGE_SIZE - 1))
			return -1;
	memset(g, 0, sizeof(*g));
	g->gm.ops = &gmap_gmem_ops;
	g->p = *p;
	g->ops = ops;
	g->opaque = opaque;
	return 0;
}

static void unmap_entry(struct gmap *g, struct gmap_entry *e)
{
	g->ops->unmap(g->opaque, e->addr, e->n);
	g->stats.unmaps++;
	memset(e, 0, sizeof(*e));
}

/* Is [gpa, gpa+len) inside one RAM bank? */
static bool in_ram(const struct gmap *g, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < g->p.n_ram; i++) {
		uint64_t b = g->p.ram[i].base, s = g->p.ram[i].size;

		if (gpa >= b && gpa - b < s && len <= s - (gpa - b))
			return true;
	}
	return false;
}

static struct gmap_entry *lookup(struct gmap *g, uint64_t f0, unsigned n, bool writable)
{
	for (unsigned i = 0; i < g->p.max_entries; i++) {
		struct gmap_entry *e = &g->e[i];

		if (e->used && !e->stale && f0 >= e->frame0 && f0 + n <= e->frame0 + e->n &&
		    (e->writable || !writable))
			return e;
	}
	return NULL;
}

/* A free entry, evicting the least recently used unpinned one. */
static struct gmap_entry *free_entry(struct gmap *g)
{
	struct gmap_entry *victim = NULL;

	for (unsigned i = 0; i < g->p.max_entries; i++) {
		struct gmap_entry *e = &g->e[i];

		if (!e->used)
			return e;
		if (!e->pins && (!victim || e->last_use < victim->last_use))
			victim = e;
	}
	if (!victim)
		return NULL;
	unmap_entry(g, victim);
	g->stats.evictions++;
	return victim;
}

/* Map frames [f0, f0+n); NULL if any frame failed. */
static uint8_t *map_frames(struct gmap *g, uint64_t f0, unsigned n, bool writable)
{
	uint8_t *addr;

	for (unsigned i = 0; i < n; i++) {
		g->frames[i] = f0 + i;
		g->err[i] = 0;
	}
	addr = g->ops->map(g->opaque, g->frames, n, writable, g->err);
	if (!addr)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		if (g->err[i]) {
			g->ops->unmap(g->opaque, addr, n);
			return NULL;
		}
	}
	g->stats.maps++;
	return addr;
}

static void *gmap_get(struct gmem *gm, uint64_t gpa, size_t len, unsigned prot)
{
	struct gmap *g = (struct gmap *)gm;
	bool writable = prot & GMEM_WRITE;
	uint64_t off, f0, flast, m0 = 0, mn = 0;
	struct gmap_entry *e;
	uint8_t *addr = NULL;
	unsigned n;

	if (g->p.mode == GMAP_GRANT) {
		if (!(gpa & GMAP_GRANT_ADDR_BIT))
			goto refuse;
		off = gpa & ~GMAP_GRANT_ADDR_BIT;
		if (len > ~0ull - off)
			goto refuse;
		f0 = off >> GMAP_PAGE_SHIFT;
		flast = (off + len - 1) >> GMAP_PAGE_SHIFT;
		if (flast >= g->p.max_grant_ref)
			goto refuse;
	} else {
		if (!in_ram(g, gpa, len))
			goto refuse;
		off = gpa;
		f0 = off >> GMAP_PAGE_SHIFT;
		flast = (off + len - 1) >> GMAP_PAGE_SHIFT;
		/* Chunk: aligned, inside the bank. */
		m0 = f0 & ~((uint64_t)g->p.chunk_pages - 1);
		mn = ((flast | (g->p.chunk_pages - 1)) + 1) - m0;
		if (mn > g->p.max_pages ||
		    !in_ram(g, m0 << GMAP_PAGE_SHIFT, mn << GMAP_PAGE_SHIFT))
			mn = 0;
	}
	if (flast - f0 >= g->p.max_pages)
		goto refuse;
	n = (unsigned)(flast - f0 + 1);

	e = lookup(g, f0, n, writable);
	if (e) {
		g->stats.hits++;
		goto found;
	}
	g->stats.misses++;
	e = free_entry(g);
	if (!e) {
		g->stats.table_full++;
		return NULL;
	}
	if (mn > n) {
		addr = map_frames(g, m0, (unsigned)mn, writable);
		if (addr) {
			e->frame0 = m0;
			e->n = (unsigned)mn;
		}
	}
	if (!addr) {
		addr = map_frames(g, f0, n, writable);
		e->frame0 = f0;
		e->n = n;
	}
	if (!addr) {
		memset(e, 0, sizeof(*e));
		g->stats.map_failures++;
		return NULL;
	}
	e->used = true;
	e->writable = writable;
	e->addr = addr;
found:
	e->pins++;
	e->last_use = ++g->clock;
	return e->addr + ((f0 - e->frame0) << GMAP_PAGE_SHIFT) + (off & (GMAP_PAGE_SIZE - 1));
refuse:
	g->stats.refused++;
	return NULL;
}

static void gmap_put(struct gmem *gm, void *hva, size_t len)
{
	struct gmap *g = (struct gmap *)gm;
	uint8_t *p = hva;

	for (unsigned i = 0; i < g->p.max_entries; i++) {
		struct gmap_entry *e = &g->e[i];

		if (!e->used || !e->pins || p < e->addr ||
		    p >= e->addr + ((size_t)e->n << GMAP_PAGE_SHIFT))
			continue;
		if (--e->pins == 0 && (e->stale || g->p.mode == GMAP_GRANT))
			unmap_entry(g, e);
		return;
	}
	g->stats.bad_put++;
}

void gmap_invalidate(struct gmap *g)
{
	for (unsigned i = 0; i < g->p.max_entries; i++) {
		struct gmap_entry *e = &g->e[i];

		if (!e->used)
			continue;
		if (e->pins)
			e->stale = true;
		else
			unmap_entry(g, e);
	}
}

void gmap_release_all(struct gmap *g)
{
	for (unsigned i = 0; i < g->p.max_entries; i++)
		if (g->e[i].used)
			unmap_entry(g, &g->e[i]);
}

unsigned gmap_mapped(const struct gmap *g)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g->p.max_entries; i++)
		n += g->e[i].used;
	return n;
}

unsigned gmap_pinned(const struct gmap *g)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g->p.max_entries; i++)
		n += g->e[i].used && g->e[i].pins;
	return n;
}

const struct gmap_stats *gmap_stats(const struct gmap *g)
{
	return &g->stats;
}
