/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device discovery and lifecycle of the Xen frontend, over a store
 * interface (xenstore in xen/libxen/, an in-memory fake in tests):
 *
 *  - an entry ROOT[kind]/<domid>/<devid> in state 1 (Initialising) that
 *    is ours (xs_backend.h) and whose guest (/local/domain/<domid>/name)
 *    the device ops accept gets a device; its backend state then becomes
 *    4 (Connected) for backend/virtio, 2 (InitWait) for the 4.17
 *    backend/virtio_disk path (libxl waits for exactly that);
 *  - a device whose entry says online 0 or state 5 (Closing) is destroyed
 *    and its state set to 6 (Closed), so libxl's removal completes at
 *    once; an entry that disappeared, or a domain that died, also destroys
 *    the device (state 6 written only where the entry still exists);
 *  - entries that are not ours, or invalid ones (logged), are left alone.
 */
#ifndef XEN_BE_WATCH_H
#define XEN_BE_WATCH_H

#include <stdbool.h>

#include "xen/xs_backend.h"

struct be_store_ops {
	/* Value at path (malloc'd), or NULL if absent. */
	char *(*read)(void *opaque, const char *path);
	/* Children of path: one malloc'd block (array of *n pointers and
	 * the strings, freed with one free()), or NULL. */
	char **(*directory)(void *opaque, const char *path, unsigned *n);
	/* Write value at path only if path exists. 0, or -1. */
	int (*write_existing)(void *opaque, const char *path, const char *value);
};

struct be_dev_ops {
	/* Create the device of a valid entry; NULL if refused/failed (the
	 * callee logs why). */
	void *(*create)(void *opaque, const struct xs_be_dev *be, const char *be_path,
			const char *name);
	void (*destroy)(void *opaque, void *dev);
	bool (*domain_alive)(void *opaque, unsigned domid);
};

struct be_watch_dev {
	struct be_watch_dev *next;
	enum xs_be_kind kind;
	unsigned domid, devid;
	char be_path[128];
	void *dev;
};

struct be_watch {
	char root[2][96];
	const char *marker;             /* NULL: backend/virtio_disk ignored */
	const struct be_store_ops *store;
	void *store_opaque;
	const struct be_dev_ops *devs;
	void *devs_opaque;
	struct be_watch_dev *list;
	unsigned n;
	unsigned invalid;               /* invalid entries seen (logged) */
};

/* backend_dir: e.g. "/local/domain/0/backend". */
void be_watch_init(struct be_watch *w, const char *backend_dir, const char *marker,
		   const struct be_store_ops *store, void *store_opaque,
		   const struct be_dev_ops *devs, void *devs_opaque);

/* A watch fired for path (any path below a root, or the root itself):
 * examine the entry it belongs to (or rescan the root). attach: new
 * entries may get a device. */
void be_watch_event(struct be_watch *w, const char *path, bool attach);
/* Examine every entry (of one domain if domid >= 0); returns how many
 * devices exist for the entries examined afterwards. */
int be_watch_scan(struct be_watch *w, long domid, bool attach);
/* Destroy the devices of domains that are gone. */
void be_watch_check_domains(struct be_watch *w);
/* Destroy the devices of a domain (domid >= 0) or all (-1), state 6. */
void be_watch_detach(struct be_watch *w, long domid);

#endif
