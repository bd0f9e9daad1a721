// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant and foreign mappings for xen/gmap.c.
 */
#include <errno.h>
#include <sys/mman.h>

#include "xen/libxen/xen_mappers.h"

static void *grant_map(void *opaque, const uint64_t *frames, unsigned n, bool writable,
		       int *err)
{
	struct xen_mapper *m = opaque;
	uint32_t refs[GMAP_MAX_PAGES];
	void *p;

	if (n == 0 || n > GMAP_MAX_PAGES)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		if (frames[i] > UINT32_MAX)
			return NULL;
		refs[i] = (uint32_t)frames[i];
		err[i] = 0;
	}
	/* Device-readable buffers are granted read-only by the guest:
	 * mapping them writable fails (EINVAL from gntdev's mmap). */
	p = xengnttab_map_domain_grant_refs(m->xgt, n, m->domid, refs,
					    PROT_READ | (writable ? PROT_WRITE : 0));
	if (!p)
		for (unsigned i = 0; i < n; i++)
			err[i] = -errno;
	return p;
}

static void grant_unmap(void *opaque, void *addr, unsigned n)
{
	struct xen_mapper *m = opaque;

	xengnttab_unmap(m->xgt, addr, n);
}

const struct gmap_mapper_ops xen_grant_mapper_ops = {
	.map = grant_map,
	.unmap = grant_unmap,
};

static void *foreign_map(void *opaque, const uint64_t *frames, unsigned n, bool writable,
			 int *err)
{
	struct xen_mapper *m = opaque;
	xen_pfn_t pfns[GMAP_MAX_PAGES];

	if (n == 0 || n > GMAP_MAX_PAGES)
		return NULL;
	for (unsigned i = 0; i < n; i++)
		pfns[i] = (xen_pfn_t)frames[i];
	/* With err[] the call maps what it can and reports each frame. */
	return xenforeignmemory_map(m->xfm, m->domid, PROT_READ | (writable ? PROT_WRITE : 0),
				    n, pfns, err);
}

static void foreign_unmap(void *opaque, void *addr, unsigned n)
{
	struct xen_mapper *m = opaque;

	xenforeignmemory_unmap(m->xfm, addr, n);
}

const struct gmap_mapper_ops xen_foreign_mapper_ops = {
	.map = foreign_map,
	.unmap = foreign_unmap,
};
