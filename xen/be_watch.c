// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen frontend device discovery and lifecycle (see be_watch.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/log.h"
#include "xen/be_watch.h"

#define DOMID_MAX_NORMAL 0x7fef

void be_watch_init(struct be_watch *w, const char *backend_dir, const char *marker,
		   const struct be_store_ops *store, void *store_opaque,
		   const struct be_dev_ops *devs, void *devs_opaque)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->root[XS_BE_VIRTIO], sizeof(w->root[0]), "%s/%s", backend_dir,
		 xs_be_kind_dir(XS_BE_VIRTIO));
	snprintf(w->root[XS_BE_VIRTIO_DISK], sizeof(w->root[1]), "%s/%s", backend_dir,
		 xs_be_kind_dir(XS_BE_VIRTIO_DISK));
	w->marker = marker;
	w->store = store;
	w->store_opaque = store_opaque;
	w->devs = devs;
	w->devs_opaque = devs_opaque;
}

static struct be_watch_dev *find(struct be_watch *w, enum xs_be_kind k, unsigned domid,
				 unsigned devid)
{
	for (struct be_watch_dev *d = w->list; d; d = d->next)
		if (d->kind == k && d->domid == domid && d->devid == devid)
			return d;
	return NULL;
}

static void set_state(struct be_watch *w, const char *be_path, int state)
{
	char path[160], val[4];

	snprintf(path, sizeof(path), "%s/state", be_path);
	snprintf(val, sizeof(val), "%d", state);
	if (w->store->write_existing(w->store_opaque, path, val))
		log_warn("xen: %s: cannot set backend state %d", be_path, state);
}

static void destroy(struct be_watch *w, struct be_watch_dev *d, bool closed)
{
	struct be_watch_dev **pp;

	for (pp = &w->list; *pp && *pp != d; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = d->next;
	w->n--;
	w->devs->destroy(w->devs_opaque, d->dev);
	if (closed)
		set_state(w, d->be_path, XS_STATE_CLOSED);
	free(d);
}

struct rd_ctx {
	struct be_watch *w;
	const char *dir;
};

static char *rd_key(void *opaque, const char *key)
{
	struct rd_ctx *r = opaque;
	char path[192];

	if (snprintf(path, sizeof(path), "%s/%s", r->dir, key) >= (int)sizeof(path))
		return NULL;
	return r->w->store->read(r->w->store_opaque, path);
}

static char *rd_sub(struct be_watch *w, const char *dir, const char *key)
{
	struct rd_ctx r = { w, dir };

	return rd_key(&r, key);
}

/* Returns 1 if a device exists for the entry afterwards. */
static int examine(struct be_watch *w, enum xs_be_kind k, unsigned domid, unsigned devid,
		   bool attach)
{
	struct be_watch_dev *d = find(w, k, domid, devid);
	char be_path[128], path[64], err[160] = "", *state, *online, *name;
	struct rd_ctx rd = { w, be_path };
	struct xs_be_dev be;
	bool off;
	int st, rc = 0;

	if (k == XS_BE_VIRTIO_DISK && !w->marker)
		return 0;
	snprintf(be_path, sizeof(be_path), "%s/%u/%u", w->root[k], domid, devid);
	state = rd_sub(w, be_path, "state");
	online = rd_sub(w, be_path, "online");
	st = state ? atoi(state) : -1;
	off = online && !strcmp(online, "0");
	if (d) {
		if (!state)
			destroy(w, d, false);           /* entry removed */
		else if (off || st == XS_STATE_CLOSING || st == XS_STATE_CLOSED)
			destroy(w, d, true);            /* libxl asks us to close */
		else
			rc = 1;
		goto out;
	}
	if (!attach || st != XS_STATE_INITIALISING || off)
		goto out;
	rc = xs_be_parse(&be, k, domid, devid, w->marker, rd_key, &rd, err, sizeof(err));
	if (rc != XS_BE_OURS) {
		if (rc == XS_BE_INVALID) {
			w->invalid++;
			log_err("xen: %s: %s", be_path, err);
		}
		rc = 0;
		goto out;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	name = w->store->read(w->store_opaque, path);
	d = calloc(1, sizeof(*d));
	if (d) {
		d->kind = k;
		d->domid = domid;
		d->devid = devid;
		snprintf(d->be_path, sizeof(d->be_path), "%s", be_path);
		d->dev = w->devs->create(w->devs_opaque, &be, be_path, name ? name : "?");
	}
	free(name);
	if (!d || !d->dev) {
		free(d);
		goto out;
	}
	d->next = w->list;
	w->list = d;
	w->n++;
	/* libxl 4.17 waits for exactly InitWait; nobody waits on 4.18+. */
	set_state(w, be_path, k == XS_BE_VIRTIO_DISK ? XS_STATE_INITWAIT : XS_STATE_CONNECTED);
	rc = 1;
out:
	free(state);
	free(online);
	return rc;
}

static bool parse_num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	*v = strtoul(s, &end, 10);
	return !*end && *v <= max;
}

static int scan_kind(struct be_watch *w, enum xs_be_kind k, long domid, bool attach)
{
	char path[128], **doms, **devs;
	unsigned nd = 0, nv = 0;
	unsigned long dom, dev;
	int n = 0;

	if (k == XS_BE_VIRTIO_DISK && !w->marker)
		return 0;
	doms = w->store->directory(w->store_opaque, w->root[k], &nd);
	for (unsigned i = 0; doms && i < nd; i++) {
		if (!parse_num(doms[i], DOMID_MAX_NORMAL, &dom) ||
		    (domid >= 0 && dom != (unsigned long)domid))
			continue;
		snprintf(path, sizeof(path), "%s/%lu", w->root[k], dom);
		devs = w->store->directory(w->store_opaque, path, &nv);
		for (unsigned j = 0; devs && j < nv; j++)
			if (parse_num(devs[j], 0x7fffffff, &dev))
				n += examine(w, k, (unsigned)dom, (unsigned)dev, attach);
		free(devs);
	}
	free(doms);
	/* Devices whose domain directory vanished altogether. */
	for (struct be_watch_dev *d = w->list, *next; d; d = next) {
		char *state;

		next = d->next;
		if (d->kind != k || (domid >= 0 && d->domid != (unsigned long)domid))
			continue;
		state = rd_sub(w, d->be_path, "state");
		if (!state)
			destroy(w, d, false);
		free(state);
	}
	return n;
}

int be_watch_scan(struct be_watch *w, long domid, bool attach)
{
	return scan_kind(w, XS_BE_VIRTIO, domid, attach) +
	       scan_kind(w, XS_BE_VIRTIO_DISK, domid, attach);
}

void be_watch_event(struct be_watch *w, const char *path, bool attach)
{
	const char *rest;
	unsigned domid, devid;

	for (int k = XS_BE_VIRTIO; k <= XS_BE_VIRTIO_DISK; k++) {
		size_t n = strlen(w->root[k]);

		if (!xs_be_path_split(path, w->root[k], &domid, &devid, &rest)) {
			examine(w, (enum xs_be_kind)k, domid, devid, attach);
			return;
		}
		/* The root or a domain directory: look at everything below. */
		if (!strncmp(path, w->root[k], n) && (path[n] == 0 || path[n] == '/')) {
			scan_kind(w, (enum xs_be_kind)k, -1, attach);
			return;
		}
	}
}

void be_watch_check_domains(struct be_watch *w)
{
	for (struct be_watch_dev *d = w->list, *next; d; d = next) {
		next = d->next;
		if (!w->devs->domain_alive(w->devs_opaque, d->domid))
			destroy(w, d, true);
	}
}

void be_watch_detach(struct be_watch *w, long domid)
{
	for (struct be_watch_dev *d = w->list, *next; d; d = next) {
		next = d->next;
		if (domid < 0 || d->domid == (unsigned long)domid)
			destroy(w, d, true);
	}
}
