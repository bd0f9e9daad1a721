// SPDX-License-Identifier: GPL-2.0-only
/*
 * Region-table guest memory: a small unsorted table of (gpa, size, hva)
 * mappings, used by the vhost-user frontend (one entry per memory-table
 * region) and by tests. Every check is written so that no addition can
 * wrap: a range [a, a+len) fits in [base, base+size) iff a >= base,
 * a - base <= size and len <= size - (a - base).
 */
#include <string.h>

#include "gmem.h"

static bool range_in(uint64_t base, uint64_t size, uint64_t a, uint64_t len)
{
	uint64_t off;

	if (a < base)
		return false;
	off = a - base;
	return off <= size && len <= size - off;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	/* both ranges are known not to wrap */
	return a < b + blen && b < a + alen;
}

static void *regions_get(struct gmem *gm, uint64_t gpa, size_t len, unsigned prot)
{
	struct gmem_regions *t = (struct gmem_regions *)gm;
	unsigned i;

	if (len == 0 || (prot & ~(GMEM_READ | GMEM_WRITE)) || prot == 0)
		return NULL;
	for (i = 0; i < t->n; i++) {
		const struct gmem_region *r = &t->r[i];

		if (!range_in(r->gpa, r->size, gpa, len))
			continue;
		if ((prot & GMEM_WRITE) && r->readonly)
			return NULL;
		/* the next access is most likely in the same region */
		gm->cache.gpa = r->gpa;
		gm->cache.size = r->size;
		gm->cache.hva = r->hva;
		gm->cache.prot = r->readonly ? GMEM_READ : GMEM_READ | GMEM_WRITE;
		return (uint8_t *)r->hva + (gpa - r->gpa);
	}
	return NULL;
}

static const struct gmem_ops regions_ops = {
	.get = regions_get,
	.put = NULL,
};

void gmem_regions_init(struct gmem_regions *t)
{
	memset(t, 0, sizeof(*t));
	t->gm.ops = &regions_ops;
}

int gmem_regions_add(struct gmem_regions *t, const struct gmem_region *r)
{
	unsigned i;

	if (!r || !r->hva || r->size == 0 || t->n >= GMEM_MAX_REGIONS)
		return -1;
	if (r->gpa + r->size < r->gpa || r->gpa + r->size == 0)
		return -1;
	if (r->uaddr && (r->uaddr + r->size < r->uaddr || r->uaddr + r->size == 0))
		return -1;
	if ((uintptr_t)r->hva + r->size < (uintptr_t)r->hva)
		return -1;
	for (i = 0; i < t->n; i++) {
		if (ranges_overlap(t->r[i].gpa, t->r[i].size, r->gpa, r->size))
			return -1;
		if (r->uaddr && t->r[i].uaddr &&
		    ranges_overlap(t->r[i].uaddr, t->r[i].size, r->uaddr, r->size))
			return -1;
	}
	gmem_cache_clear(&t->gm);
	t->r[t->n++] = *r;
	return 0;
}

void gmem_regions_clear(struct gmem_regions *t)
{
	gmem_cache_clear(&t->gm);
	t->n = 0;
	memset(t->r, 0, sizeof(t->r));
}

void *gmem_regions_uaddr(struct gmem_regions *t, uint64_t uaddr, size_t len)
{
	unsigned i;

	if (!t || len == 0)
		return NULL;
	for (i = 0; i < t->n; i++) {
		const struct gmem_region *r = &t->r[i];

		if (r->uaddr && range_in(r->uaddr, r->size, uaddr, len))
			return (uint8_t *)r->hva + (uaddr - r->uaddr);
	}
	return NULL;
}
