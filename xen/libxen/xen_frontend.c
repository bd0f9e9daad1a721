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
#include "mediator/virtio/scmi_dev.h"
#include "mediator/log.h"
#include "xen/be_watch.h"
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
	struct be_watch w;
};

static const char *kind_name(enum xs_be_kind k)
{
	return k == XS_BE_VIRTIO_DISK ? "virtio_disk" : "virtio";
}

/* ---- the store: xenstore ------------------------------------------------- */
static char *store_read(void *opaque, const char *path)
{
	struct xen_frontend *fe = opaque;
	unsigned len;

	return xs_read(fe->xs, XBT_NULL, path, &len);
}

static char **store_directory(void *opaque, const char *path, unsigned *n)
{
	struct xen_frontend *fe = opaque;

	return xs_directory(fe->xs, XBT_NULL, path, n);
}

/* Never recreate what libxl removed: write inside a transaction that
 * checks the node still exists. */
static int store_write_existing(void *opaque, const char *path, const char *val)
{
	struct xen_frontend *fe = opaque;
	xs_transaction_t t;
	unsigned len;
	char *cur;

	for (int tries = 0; tries < 8; tries++) {
		t = xs_transaction_start(fe->xs);
		if (t == XBT_NULL)
			return -1;
		cur = xs_read(fe->xs, t, path, &len);
		if (!cur) {
			xs_transaction_end(fe->xs, t, true);
			return 0;
		}
		free(cur);
		if (!xs_write(fe->xs, t, path, val, strlen(val))) {
			xs_transaction_end(fe->xs, t, true);
			return -1;
		}
		if (xs_transaction_end(fe->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	return -1;
}

static const struct be_store_ops xs_store_ops = {
	.read = store_read,
	.directory = store_directory,
	.write_existing = store_write_existing,
};

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

static void *dev_create(void *opaque, const struct xs_be_dev *be, const char *be_path,
			const char *name)
{
	struct xen_frontend *fe = opaque;
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

	/* Enabling writes each vCPU's event channel (vp_eport) into the
	 * page; no MMIO reaches us before the range is mapped below, and a
	 * request already waiting (INVALIDATE) is served by the sweep at
	 * the end. */
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

	d->mapper.domid = be->domid;
	d->mapper.xgt = fe->xgt;
	d->mapper.xfm = fe->xfm;
	gmap_default_params(&vp.gmap, be->grant_usage ? GMAP_GRANT : GMAP_FOREIGN);
	d->vdev = xen_vdev_new(&vp, be->grant_usage ? &xen_grant_mapper_ops :
			       &xen_foreign_mapper_ops, &d->mapper, ops, d->core_opaque,
			       dev_irq, d);
	if (!d->vdev)
		FAIL("device creation");
	scmi_dev_set_loop(xen_vdev_scmi(d->vdev), fe->loop);
	d->core_attached = true;
	fe->core->bound(d->core_opaque, xen_vdev_scmi(d->vdev));

	if (xendevicemodel_map_io_range_to_ioreq_server(fe->xdm, be->domid, d->ioservid, 1,
							be->base,
							be->base + VMMIO_REGION_SIZE - 1))
		FAIL("map_io_range");
	d->range_mapped = true;
	/* Serve anything that arrived before the loop watched the ports. */
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (xen_vdev_serve(d->vdev,
				   (volatile struct ioreq_slot *)&d->iopage->vcpu_ioreq[i]))
			xenevtchn_notify(d->xce, (evtchn_port_t)d->ports[i]);

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

static bool domain_alive(struct xen_frontend *fe, unsigned domid)
{
	xc_domaininfo_t info;

	if (xc_domain_getinfolist(fe->xch, domid, 1, &info) != 1 || info.domain != domid)
		return false;
	return !(info.flags & XEN_DOMINF_dying);
}

static void dev_destroy(void *opaque, void *dev)
{
	struct xfe_dev *d = dev;

	log_info("xen: %s (dom%u): detaching %s", d->name, d->be.domid, d->be_path);
	dev_free(d);
}

static bool dev_domain_alive(void *opaque, unsigned domid)
{
	return domain_alive(opaque, domid);
}

static const struct be_dev_ops xfe_dev_ops = {
	.create = dev_create,
	.destroy = dev_destroy,
	.domain_alive = dev_domain_alive,
};

#define TOKEN_VIRTIO "scmi-med:virtio"
#define TOKEN_VDISK "scmi-med:virtio_disk"
#define TOKEN_RELEASE "scmi-med:release"

static void xs_event(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct xen_frontend *fe = opaque;
	char **w;

	while ((w = xs_check_watch(fe->xs))) {
		if (!strcmp(w[XS_WATCH_TOKEN], TOKEN_RELEASE))
			be_watch_check_domains(&fe->w);
		else
			be_watch_event(&fe->w, w[XS_WATCH_PATH], !fe->cfg.attach_on_request_only);
		free(w);
	}
}

/* ---- public API ------------------------------------------------------------ */
struct xen_frontend *xen_frontend_new(struct ev_loop *loop, const struct xen_fe_config *cfg,
				      const struct xen_fe_core *core, void *core_opaque)
{
	struct xen_frontend *fe = calloc(1, sizeof(*fe));
	char *dom0, backend[96];

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
	snprintf(backend, sizeof(backend), "%s/backend", dom0);
	free(dom0);
	be_watch_init(&fe->w, backend, fe->marker, &xs_store_ops, fe, &xfe_dev_ops, fe);
	if (!xs_watch(fe->xs, fe->w.root[XS_BE_VIRTIO], TOKEN_VIRTIO) ||
	    (fe->marker && !xs_watch(fe->xs, fe->w.root[XS_BE_VIRTIO_DISK], TOKEN_VDISK)) ||
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
	log_info("xen: watching %s%s%s", fe->w.root[XS_BE_VIRTIO], fe->marker ? " and " : "",
		 fe->marker ? fe->w.root[XS_BE_VIRTIO_DISK] : "");
	return fe;
fail:
	xen_frontend_free(fe);
	return NULL;
}

void xen_frontend_free(struct xen_frontend *fe)
{
	if (!fe)
		return;
	if (fe->w.store)
		be_watch_detach(&fe->w, -1);
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
	return be_watch_scan(&fe->w, domid, true);
}

void xen_frontend_detach_domain(struct xen_frontend *fe, unsigned domid)
{
	be_watch_detach(&fe->w, domid);
}

unsigned xen_frontend_devices(const struct xen_frontend *fe)
{
	return fe->w.n;
}

#define STR2(x) #x
#define STR(x) STR2(x)

/* pkg-config --modversion xencontrol, from the Makefile. */
#ifndef SCMI_XEN_VERSION
#error "SCMI_XEN_VERSION (the libxen version from pkg-config) is not defined"
#endif

const char *xen_frontend_version(void)
{
	return "xen: virtio-mmio frontend (IOREQ server, grant and foreign mappings, "
	       "backend/virtio + backend/virtio_disk), built against libxen "
	       SCMI_XEN_VERSION " (Xen interface " STR(__XEN_LATEST_INTERFACE_VERSION__) ")";
}
