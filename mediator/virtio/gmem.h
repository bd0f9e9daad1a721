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

struct gmem {
	const struct gmem_ops *ops;
};

static inline void *gmem_get(struct gmem *gm, uint64_t gpa, size_t len, unsigned prot)
{
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
/* Returns 0, or -1 if the table is full or the region overlaps/overflows. */
int gmem_regions_add(struct gmem_regions *t, const struct gmem_region *r);
void gmem_regions_clear(struct gmem_regions *t);
/* Translate a frontend user address (vhost-user ring addresses). */
void *gmem_regions_uaddr(struct gmem_regions *t, uint64_t uaddr, size_t len);

#endif
