// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen frontend (see xen/frontend.h): xenstore discovery, one IOREQ
 * server per virtio-mmio slot, interrupts, lifecycle, teardown.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xenstore.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen-compat.h>

#include "mediator/evloop.h"
#include "mediator/log.h"
#include "xen/frontend.h"
#include "xen/libxen/xen_mappers.h"
#include "xen/vdev.h"
#include "xen/xs_backend.h"

/* The plain-C parts mirror Xen's ABI: check it against these headers. */
_Static_assert(sizeof(struct ioreq_slot) == sizeof(struct ioreq), "ioreq size");
_Static_assert(offsetof(struct ioreq_slot, addr) == offsetof(struct ioreq, addr), "addr");
_Static_assert(offsetof(struct ioreq_slot, data) == offsetof(struct ioreq, data), "data");
_Static_assert(offsetof(struct ioreq_slot, count) == offsetof(struct ioreq, count), "count");
_Static_assert(offsetof(struct ioreq_slot, size) == offsetof(struct ioreq, size), "size");
_Static_assert(offsetof(struct ioreq_slot, vp_eport) == offsetof(struct ioreq, vp_eport),
	       "vp_eport");
_Static_assert(offsetof(struct ioreq_slot, type) == offsetof(struct ioreq, type), "type");
_Static_assert(IOREQ_SM_STATE_READY == STATE_IOREQ_READY, "READY");
_Static_assert(IOREQ_SM_STATE_INPROCESS == STATE_IOREQ_INPROCESS, "INPROCESS");
_Static_assert(IOREQ_SM_STATE_RESP_READY == STATE_IORESP_READY, "IORESP_READY");
_Static_assert(IOREQ_SM_TYPE_COPY == IOREQ_TYPE_COPY, "COPY");
_Static_assert(IOREQ_SM_TYPE_INVALIDATE == IOREQ_TYPE_INVALIDATE, "INVALIDATE");
_Static_assert(IOREQ_SM_DIR_READ == IOREQ_READ, "READ");
#ifdef GUEST_VIRTIO_MMIO_BASE /* Arm builds: xen.h includes arch-arm.h */
_Static_assert(XS_GUEST_VIRTIO_MMIO_BASE == GUEST_VIRTIO_MMIO_BASE, "virtio-mmio base");
_Static_assert(XS_GUEST_VIRTIO_MMIO_SIZE == GUEST_VIRTIO_MMIO_SIZE, "virtio-mmio size");
#endif
_Static_assert(VMMIO_REGION_SIZE == XS_VIRTIO_MMIO_DEV_SIZE, "slot size");

/* One ioreq page: vcpu_ioreq[] of 32-byte slots. */
#define XFE_MAX_VCPUS (XC_PAGE_SIZE / sizeof(struct ioreq))

struct xfe_dev {
	struct xfe_dev *next;
	struct xen_frontend *fe;
	struct xs_be_dev be;
	char be_path[128];
	char name[64];

	bool server;
	ioservid_t ioservid;
	xenforeignmemory_resource_handle *res;
	shared_iopage_t *iopage;
	bool enabled, range_mapped;
	xenevtchn_handle *xce;
	int evfd;
	unsigned nr_vcpus;
	xenevtchn_port_or_error_t *ports;

	struct xen_mapper mapper;
	struct xen_vdev *vdev;
	void *core_opaque;
	bool core_attached;
	struct xen_guest_lifecycle lc;
	uint64_t irq_errors;
};

struct xen_frontend {
	struct ev_loop *loop;
	struct xen_fe_config cfg;
	char *marker;
	const struct xen_fe_core *core;
	void *core_opaque;

	xc_interface *xch;
	xendevicemodel_handle *xdm;
	xenforeignmemory_handle *xfm;
	xengnttab_handle *xgt;
	struct xs_handle *xs;
	int xsfd;
	char root[2][96];       /* BACKEND/virtio, BACKEND/virtio_disk */
	struct xfe_dev *devs;
	unsigned ndevs;
};

static const char *kind_name(enum xs_be_kind k)
{
	return k == XS_BE_VIRTIO_DISK ? "virtio_disk" : "virtio";
}

/* ---- xenstore helpers ---------------------------------------------------- */
struct xs_rd {
	struct xs_handle *xs;
	const char *dir;
};

static char *xs_rd_key(void *opaque, const char *key)
{
	struct xs_rd *r = opaque;
	char path[192];
	unsigned len;

	if (snprintf(path, sizeof(path), "%s/%s", r->dir, key) >= (int)sizeof(path))
		return NULL;
	return xs_read(r->xs, XBT_NULL, path, &len);
}

/* Write the backend state if the directory still exists (never recreate
 * what libxl removed). */
static void set_be_state(struct xen_frontend *fe, const char *be_path, int state)
{
	char path[160], val[4];
	xs_transaction_t t;
	unsigned len;
	char *cur;

	snprintf(path, sizeof(path), "%s/state", be_path);
	snprintf(val, sizeof(val), "%d", state);
	for (int tries = 0; tries < 8; tries++) {
		t = xs_transaction_start(fe->xs);
		if (t == XBT_NULL)
			break;
		cur = xs_read(fe->xs, t, path, &len);
		if (!cur) {
			xs_transaction_end(fe->xs, t, true);
			return;
		}
		free(cur);
		if (!xs_write(fe->xs, t, path, val, strlen(val))) {
			xs_transaction_end(fe->xs, t, true);
			break;
		}
		if (xs_transaction_end(fe->xs, t, false))
			return;
		if (errno != EAGAIN)
			break;
	}
	log_warn("xen: %s: cannot set backend state %d: %s", be_path, state, strerror(errno));
}

/* ---- interrupts and lifecycle ---------------------------------------------- */
static void dev_irq(void *opaque, bool level)
{
	struct xfe_dev *d = opaque;
	xendevicemodel_handle *xdm = d->fe->xdm;
	int rc = 0;

	if (d->fe->cfg.level_irq) {
		rc = xendevicemodel_set_irq_level(xdm, d->be.domid, d->be.irq, level);
	} else if (level) {
		/* libxl declares the SPI edge-rising: pulse it. */
		rc = xendevicemodel_set_irq_level(xdm, d->be.domid, d->be.irq, 1);
		if (!rc)
			rc = xendevicemodel_set_irq_level(xdm, d->be.domid, d->be.irq, 0);
	}
	if (rc && d->irq_errors++ == 0)
		log_err("xen: %s (dom%u): set_irq_level(%u) failed: %s", d->name, d->be.domid,
			d->be.irq, strerror(errno));
}

static int dev_lifecycle(void *opaque, enum xen_guest_action a)
{
	struct xfe_dev *d = opaque;
	int reason = a == XEN_GUEST_REBOOT ? SHUTDOWN_reboot : SHUTDOWN_poweroff;

	log_info("xen: %s (dom%u): %s requested", d->name, d->be.domid,
		 a == XEN_GUEST_REBOOT ? "reboot" : "power off");
	if (xc_domain_shutdown(d->fe->xch, d->be.domid, reason)) {
		log_err("xen: %s (dom%u): xc_domain_shutdown: %s", d->name, d->be.domid,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- ioreq events -------------------------------------------------------- */
static void dev_event(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct xfe_dev *d = opaque;
	xenevtchn_port_or_error_t port = xenevtchn_pending(d->xce);

	if (port < 0)
		return;
	xenevtchn_unmask(d->xce, port);
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		if (d->ports[i] != port)
			continue;
		if (xen_vdev_serve(d->vdev,
				   (volatile struct ioreq_slot *)&d->iopage->vcpu_ioreq[i]))
			xenevtchn_notify(d->xce, port);
		return;
	}
}

/* ---- device teardown and setup --------------------------------------------- */
static void dev_free(struct xfe_dev *d)
{
	struct xen_frontend *fe = d->fe;

	if (d->evfd >= 0)
		ev_fd_del(fe->loop, d->evfd);
	if (d->server && d->enabled)
		xendevicemodel_set_ioreq_server_state(fe->xdm, d->be.domid, d->ioservid, 0);
	if (d->server && d->range_mapped)
		xendevicemodel_unmap_io_range_from_ioreq_server(
			fe->xdm, d->be.domid, d->ioservid, 1, d->be.base,
			d->be.base + VMMIO_REGION_SIZE - 1);
	if (d->vdev) {
		/* Reset (the core's ops->reset runs), mappings released. */
		xen_vdev_free(d->vdev);
		if (d->core_attached)
			fe->core->detach(d->core_opaque);
	}
	for (unsigned i = 0; d->ports && i < d->nr_vcpus; i++)
		if (d->ports[i] >= 0)
			xenevtchn_unbind(d->xce, (evtchn_port_t)d->ports[i]);
	free(d->ports);
	if (d->xce)
		xenevtchn_close(d->xce);
	if (d->res)
		xenforeignmemory_unmap_resource(fe->xfm, d->res);
	if (d->server)
		xendevicemodel_destroy_ioreq_server(fe->xdm, d->be.domid, d->ioservid);
	free(d);
}

#define FAIL(what) do { \
		log_err("xen: %s (dom%u) %s: %s failed: %s", d->name, d->be.domid, \
			d->be_path, what, strerror(errno)); \
		goto fail; \
	} while (0)

static struct xfe_dev *dev_create(struct xen_frontend *fe, const struct xs_be_dev *be,
				  const char *be_path, const char *name)
{
	struct xfe_dev *d = calloc(1, sizeof(*d));
	struct xen_vdev_params vp = { .base = be->base, .name = name };
	const struct scmi_dev_ops *ops = NULL;
	void *iopage = NULL;

	if (!d)
		return NULL;
	d->fe = fe;
	d->be = *be;
	d->evfd = -1;
	snprintf(d->be_path, sizeof(d->be_path), "%s", be_path);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->lc.request = dev_lifecycle;
	d->lc.opaque = d;

	if (fe->core->attach(fe->core_opaque, be->domid, name, &d->lc, &ops, &d->core_opaque,
			     &vp.p2a) != 0 || !ops) {
		log_info("xen: %s (dom%u): not a configured guest; %s left alone", name,
			 be->domid, be_path);
		free(d);
		return NULL;
	}

	if (xendevicemodel_nr_vcpus(fe->xdm, be->domid, &d->nr_vcpus))
		FAIL("nr_vcpus");
	if (d->nr_vcpus == 0 || d->nr_vcpus > XFE_MAX_VCPUS) {
		errno = ERANGE;
		FAIL("vCPU count");
	}
	if (xendevicemodel_create_ioreq_server(fe->xdm, be->domid, HVM_IOREQSRV_BUFIOREQ_OFF,
					       &d->ioservid))
		FAIL("create_ioreq_server (is the hypervisor built with CONFIG_IOREQ_SERVER?)");
	d->server = true;
	d->res = xenforeignmemory_map_resource(fe->xfm, be->domid, XENMEM_resource_ioreq_server,
					       d->ioservid,
					       XENMEM_resource_ioreq_server_frame_ioreq(0), 1,
					       &iopage, PROT_READ | PROT_WRITE, 0);
	if (!d->res)
		FAIL("map_resource(ioreq page)");
	d->iopage = iopage;

	d->mapper.domid = be->domid;
	d->mapper.xgt = fe->xgt;
	d->mapper.xfm = fe->xfm;
	gmap_default_params(&vp.gmap, be->grant_usage ? GMAP_GRANT : GMAP_FOREIGN);
	d->vdev = xen_vdev_new(&vp, be->grant_usage ? &xen_grant_mapper_ops :
			       &xen_foreign_mapper_ops, &d->mapper, ops, d->core_opaque,
			       dev_irq, d);
	if (!d->vdev)
		FAIL("device creation");
	d->core_attached = true;
	fe->core->bound(d->core_opaque, xen_vdev_scmi(d->vdev));

	if (xendevicemodel_map_io_range_to_ioreq_server(fe->xdm, be->domid, d->ioservid, 1,
							be->base,
							be->base + VMMIO_REGION_SIZE - 1))
		FAIL("map_io_range");
	d->range_mapped = true;
	if (xendevicemodel_set_ioreq_server_state(fe->xdm, be->domid, d->ioservid, 1))
		FAIL("set_ioreq_server_state");
	d->enabled = true;

	d->xce = xenevtchn_open(NULL, 0);
	if (!d->xce)
		FAIL("xenevtchn_open");
	d->ports = calloc(d->nr_vcpus, sizeof(*d->ports));
	if (!d->ports)
		FAIL("allocation");
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		d->ports[i] = -1;
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		d->ports[i] = xenevtchn_bind_interdomain(d->xce, be->domid,
							 d->iopage->vcpu_ioreq[i].vp_eport);
		if (d->ports[i] < 0)
			FAIL("bind_interdomain");
	}
	d->evfd = xenevtchn_fd(d->xce);
	if (ev_fd_add(fe->loop, d->evfd, EPOLLIN, dev_event, d)) {
		d->evfd = -1;
		FAIL("event loop registration");
	}
	log_info("xen: %s (dom%u): virtio-scmi at 0x%llx irq %u (%s, %s), %u vCPU(s)", name,
		 be->domid, (unsigned long long)be->base, be->irq, kind_name(be->kind),
		 be->grant_usage ? "grants" : "foreign mappings", d->nr_vcpus);
	return d;
fail:
	if (!d->vdev && fe->core->detach)
		fe->core->detach(d->core_opaque);
	dev_free(d);
	return NULL;
}
#undef FAIL

static struct xfe_dev *find_dev(struct xen_frontend *fe, enum xs_be_kind k, unsigned domid,
				unsigned devid)
{
	for (struct xfe_dev *d = fe->devs; d; d = d->next)
		if (d->be.kind == k && d->be.domid == domid && d->be.devid == devid)
			return d;
	return NULL;
}

static void detach(struct xen_frontend *fe, struct xfe_dev *d, bool closed)
{
	struct xfe_dev **pp;

	for (pp = &fe->devs; *pp && *pp != d; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = d->next;
	fe->ndevs--;
	log_info("xen: %s (dom%u): detaching %s", d->name, d->be.domid, d->be_path);
	if (closed)
		set_be_state(fe, d->be_path, XS_STATE_CLOSED);
	dev_free(d);
}

/* Look at one backend entry: attach, detach or leave it. Returns 1 if a
 * device of ours is attached for it afterwards, 0 otherwise. */
static int examine(struct xen_frontend *fe, enum xs_be_kind k, unsigned domid, unsigned devid,
		   bool attach)
{
	struct xfe_dev *d = find_dev(fe, k, domid, devid);
	char be_path[128], path[160], err[160] = "", *state, *online, *name;
	struct xs_rd rd = { fe->xs, be_path };
	struct xs_be_dev be;
	unsigned len;
	int st, rc;

	snprintf(be_path, sizeof(be_path), "%s/%u/%u", fe->root[k], domid, devid);
	snprintf(path, sizeof(path), "%s/state", be_path);
	state = xs_read(fe->xs, XBT_NULL, path, &len);
	snprintf(path, sizeof(path), "%s/online", be_path);
	online = xs_read(fe->xs, XBT_NULL, path, &len);
	st = state ? atoi(state) : -1;
	rc = 0;
	if (d) {
		if (!state)
			detach(fe, d, false);           /* entry removed */
		else if ((online && !strcmp(online, "0")) || st == XS_STATE_CLOSING)
			detach(fe, d, true);            /* libxl asks us to close */
		else
			rc = 1;
		goto out;
	}
	if (!attach || st != XS_STATE_INITIALISING || (online && !strcmp(online, "0")))
		goto out;
	rc = xs_be_parse(&be, k, domid, devid, fe->marker, xs_rd_key, &rd, err, sizeof(err));
	if (rc == XS_BE_NOT_OURS) {
		rc = 0;
		goto out;
	}
	if (rc == XS_BE_INVALID) {
		log_err("xen: %s: %s", be_path, err);
		rc = 0;
		goto out;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	name = xs_read(fe->xs, XBT_NULL, path, &len);
	d = dev_create(fe, &be, be_path, name ? name : "?");
	free(name);
	if (d) {
		d->next = fe->devs;
		fe->devs = d;
		fe->ndevs++;
		/* 4.17 libxl waits for InitWait; nobody waits on 4.18+. */
		set_be_state(fe, be_path, k == XS_BE_VIRTIO_DISK ? XS_STATE_INITWAIT :
			     XS_STATE_CONNECTED);
		rc = 1;
	}
out:
	free(state);
	free(online);
	return rc;
}

/* Examine every entry below root[k] (for one domain if domid >= 0). */
static int scan(struct xen_frontend *fe, enum xs_be_kind k, long domid, bool attach)
{
	char path[128], **doms, **devs;
	unsigned nd, nv;
	int n = 0;

	if (k == XS_BE_VIRTIO_DISK && !fe->marker)
		return 0;
	doms = xs_directory(fe->xs, XBT_NULL, fe->root[k], &nd);
	for (unsigned i = 0; doms && i < nd; i++) {
		char *end;
		unsigned long dom = strtoul(doms[i], &end, 10);

		if (*end || dom > 0x7fef || (domid >= 0 && dom != (unsigned long)domid))
			continue;
		snprintf(path, sizeof(path), "%s/%lu", fe->root[k], dom);
		devs = xs_directory(fe->xs, XBT_NULL, path, &nv);
		for (unsigned j = 0; devs && j < nv; j++) {
			unsigned long dev = strtoul(devs[j], &end, 10);

			if (!*end && dev <= 0x7fffffff)
				n += examine(fe, k, (unsigned)dom, (unsigned)dev, attach);
		}
		free(devs);
	}
	free(doms);
	return n;
}

static bool domain_alive(struct xen_frontend *fe, unsigned domid)
{
	xc_domaininfo_t info;

	if (xc_domain_getinfolist(fe->xch, domid, 1, &info) != 1 || info.domain != domid)
		return false;
	return !(info.flags & XEN_DOMINF_dying);
}

static void check_domains(struct xen_frontend *fe)
{
	struct xfe_dev *d = fe->devs, *next;

	for (; d; d = next) {
		next = d->next;
		if (!domain_alive(fe, d->be.domid))
			detach(fe, d, true);
	}
}

#define TOKEN_VIRTIO "scmi-med:virtio"
#define TOKEN_VDISK "scmi-med:virtio_disk"
#define TOKEN_RELEASE "scmi-med:release"

static void xs_event(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct xen_frontend *fe = opaque;
	char **w;

	while ((w = xs_check_watch(fe->xs))) {
		const char *path = w[XS_WATCH_PATH], *tok = w[XS_WATCH_TOKEN], *rest;
		unsigned domid, devid;

		if (!strcmp(tok, TOKEN_RELEASE)) {
			check_domains(fe);
		} else {
			enum xs_be_kind k = strcmp(tok, TOKEN_VDISK) ? XS_BE_VIRTIO :
				XS_BE_VIRTIO_DISK;

			if (!xs_be_path_split(path, fe->root[k], &domid, &devid, &rest))
				examine(fe, k, domid, devid, !fe->cfg.attach_on_request_only);
			else if (!strcmp(path, fe->root[k]))
				scan(fe, k, -1, !fe->cfg.attach_on_request_only);
		}
		free(w);
	}
}

/* ---- public API ------------------------------------------------------------ */
struct xen_frontend *xen_frontend_new(struct ev_loop *loop, const struct xen_fe_config *cfg,
				      const struct xen_fe_core *core, void *core_opaque)
{
	struct xen_frontend *fe = calloc(1, sizeof(*fe));
	char *dom0;

	if (!fe)
		return NULL;
	fe->loop = loop;
	if (cfg)
		fe->cfg = *cfg;
	fe->core = core;
	fe->core_opaque = core_opaque;
	fe->xsfd = -1;
	if (cfg && cfg->vdisk_marker && !(fe->marker = strdup(cfg->vdisk_marker)))
		goto fail;
	fe->cfg.vdisk_marker = fe->marker;
	if (!core || !core->attach || !core->bound || !core->detach) {
		log_err("xen: frontend needs attach/bound/detach callbacks");
		goto fail;
	}
	fe->xch = xc_interface_open(NULL, NULL, 0);
	fe->xdm = xendevicemodel_open(NULL, 0);
	fe->xfm = xenforeignmemory_open(NULL, 0);
	fe->xgt = xengnttab_open(NULL, 0);
	fe->xs = xs_open(0);
	if (!fe->xch || !fe->xdm || !fe->xfm || !fe->xgt || !fe->xs) {
		log_err("xen: cannot open the Xen interfaces (%s%s%s%s%s): not running in a Xen "
			"dom0 with privcmd/gntdev/xenstore?", fe->xch ? "" : "xenctrl ",
			fe->xdm ? "" : "devicemodel ", fe->xfm ? "" : "foreignmemory ",
			fe->xgt ? "" : "gnttab ", fe->xs ? "" : "xenstore");
		goto fail;
	}
	dom0 = xs_get_domain_path(fe->xs, 0);
	if (!dom0) {
		log_err("xen: xenstore: no path for domain 0: %s", strerror(errno));
		goto fail;
	}
	snprintf(fe->root[XS_BE_VIRTIO], sizeof(fe->root[0]), "%s/backend/virtio", dom0);
	snprintf(fe->root[XS_BE_VIRTIO_DISK], sizeof(fe->root[1]), "%s/backend/virtio_disk",
		 dom0);
	free(dom0);
	if (!xs_watch(fe->xs, fe->root[XS_BE_VIRTIO], TOKEN_VIRTIO) ||
	    (fe->marker && !xs_watch(fe->xs, fe->root[XS_BE_VIRTIO_DISK], TOKEN_VDISK)) ||
	    !xs_watch(fe->xs, "@releaseDomain", TOKEN_RELEASE)) {
		log_err("xen: xenstore watch failed: %s", strerror(errno));
		goto fail;
	}
	fe->xsfd = xs_fileno(fe->xs);
	if (fe->xsfd < 0 || ev_fd_add(loop, fe->xsfd, EPOLLIN, xs_event, fe)) {
		log_err("xen: cannot watch the xenstore connection");
		fe->xsfd = -1;
		goto fail;
	}
	log_info("xen: watching %s%s%s", fe->root[XS_BE_VIRTIO], fe->marker ? " and " : "",
		 fe->marker ? fe->root[XS_BE_VIRTIO_DISK] : "");
	return fe;
fail:
	xen_frontend_free(fe);
	return NULL;
}

void xen_frontend_free(struct xen_frontend *fe)
{
	if (!fe)
		return;
	while (fe->devs)
		detach(fe, fe->devs, true);
	if (fe->xsfd >= 0)
		ev_fd_del(fe->loop, fe->xsfd);
	if (fe->xs)
		xs_close(fe->xs);
	if (fe->xgt)
		xengnttab_close(fe->xgt);
	if (fe->xfm)
		xenforeignmemory_close(fe->xfm);
	if (fe->xdm)
		xendevicemodel_close(fe->xdm);
	if (fe->xch)
		xc_interface_close(fe->xch);
	free(fe->marker);
	free(fe);
}

int xen_frontend_attach_domain(struct xen_frontend *fe, unsigned domid)
{
	if (domid == 0 || domid > 0x7fef || !domain_alive(fe, domid)) {
		log_err("xen: attach: no such guest domain %u", domid);
		return -1;
	}
	return scan(fe, XS_BE_VIRTIO, domid, true) + scan(fe, XS_BE_VIRTIO_DISK, domid, true);
}

void xen_frontend_detach_domain(struct xen_frontend *fe, unsigned domid)
{
	struct xfe_dev *d = fe->devs, *next;

	for (; d; d = next) {
		next = d->next;
		if (d->be.domid == domid)
			detach(fe, d, true);
	}
}

unsigned xen_frontend_devices(const struct xen_frontend *fe)
{
	return fe->ndevs;
}

#define STR2(x) #x
#define STR(x) STR2(x)

const char *xen_frontend_version(void)
{
	return "xen: virtio-mmio frontend (IOREQ server, grant and foreign mappings, "
	       "backend/virtio + backend/virtio_disk), built against Xen interface "
	       STR(__XEN_LATEST_INTERFACE_VERSION__);
}
