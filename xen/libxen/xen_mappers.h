/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gmap mapper ops over libxengnttab (grant references of one domain) and
 * libxenforeignmemory (guest frames of one domain).
 */
#ifndef XEN_LIBXEN_MAPPERS_H
#define XEN_LIBXEN_MAPPERS_H

#include <stdint.h>

#include <xenforeignmemory.h>
#include <xengnttab.h>

#include "xen/gmap.h"

struct xen_mapper {
	uint32_t domid;
	xengnttab_handle *xgt;
	xenforeignmemory_handle *xfm;
};

extern const struct gmap_mapper_ops xen_grant_mapper_ops;
extern const struct gmap_mapper_ops xen_foreign_mapper_ops;

#endif
