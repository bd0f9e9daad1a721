/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory as the virtio device sees it: every access goes through
 * gmem_get(), which returns a host pointer only if [gpa, gpa+len) lies
 * entirely inside guest memory accessible for `prot`. Guest memory is
 * hostile: callers never touch guest bytes except through such pointers,
 * and copy what they validate.
 *
 * Implementations: a region table (vhost-user memory tables, tests), and
 * the Xen frontend's grant and foreign mappings.
 */
#ifndef GMEM_H
#define GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GMEM_READ  1u
#define GMEM_WRITE 2u

struct gmem;

struct gmem_ops {
	void *(*get)(struct gmem *gm, uint64_t gpa, size_t len, unsigned prot);
	/* Release what get() returned (no-op for plain regions). */
	void (*put)(struct gmem *gm, void *hva, size_t len);
};

/*
 * Lookup cache: one guest range [gpa, gpa + size) known to be mapped,
 * contiguously, at hva for the access types in prot. An implementation may
 * fill it in from get() (the region table does: the region of the last
 * hit) and must clear it (size 0) before that mapping changes or goes
 * away; pointers it yields need no put(). gmem_get() answers from it
 * without calling get() when the whole range lies inside it and prot is
 * allowed; every other access takes the implementation's full lookup.
 * Implementations that map on demand (Xen grants) leave it empty.
 */
struct gmem_cache {
	uint64_t gpa;
	uint64_t size;           /* 0: empty */
	uint8_t *hva;
	unsigned prot;           /* GMEM_READ, GMEM_WRITE allowed */
};

struct gmem {
	const struct gmem_ops *ops;
	struct gmem_cache cache;
};

static inline void gmem_cache_clear(struct gmem *gm)
{
	gm->cache.size = 0;
	gm->cache.prot = 0;
}

static inline void *gmem_get(struct gmem *gm, uint64_t gpa, size_t len, unsigned prot)
{
	if (gm) {
		/* cache: off < size (off wraps to a huge value when gpa is
		 * below the range), 1 <= len <= size - off (len - 1 wraps when
		 * len is 0), so [gpa, gpa + len) is inside and non-empty;
		 * prot non-empty and a subset of what the range allows */
		uint64_t off = gpa - gm->cache.gpa;

		if (off < gm->cache.size && (uint64_t)len - 1 < gm->cache.size - off && prot &&
		    !(prot & ~gm->cache.prot))
			return gm->cache.hva + off;
	}
	if (!gm || len == 0 || gpa + len < gpa)
		return NULL;
	return gm->ops->get(gm, gpa, len, prot);
}
static inline void gmem_put(struct gmem *gm, void *hva, size_t len)
{
	if (gm && hva && gm->ops->put)
		gm->ops->put(gm, hva, len);
}

/* ---- region-table implementation --------------------------------------- */
#define GMEM_MAX_REGIONS 16

struct gmem_region {
	uint64_t gpa;        /* guest physical address */
	uint64_t size;
	uint64_t uaddr;      /* frontend's user address (vhost-user), else 0 */
	void *hva;           /* our mapping */
	bool readonly;
};

struct gmem_regions {
	struct gmem gm;
	unsigned n;
	struct gmem_region r[GMEM_MAX_REGIONS];
};

void gmem_regions_init(struct gmem_regions *t);
/* Returns 0, or -1 if the table is full or the region overlaps/overflows.
 * Adding and clearing empty the lookup cache (gmem_get() hits fill it with
 * the region found); the table must not be changed any other way. */
int gmem_regions_add(struct gmem_regions *t, const struct gmem_region *r);
void gmem_regions_clear(struct gmem_regions *t);
/* Translate a frontend user address (vhost-user ring addresses). */
void *gmem_regions_uaddr(struct gmem_regions *t, uint64_t uaddr, size_t len);

#endif
