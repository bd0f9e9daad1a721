/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen frontend: serves virtio-scmi devices that libxl placed in Xen
 * guests as virtio-mmio slots, from dom0, through an IOREQ server per
 * guest domain. Implemented in xen/libxen/ (built with HAVE_XEN); the
 * daemon uses it under #ifdef HAVE_XEN.
 *
 * Discovery: the frontend watches BACKEND/virtio (Xen 4.18+ `virtio=`)
 * and, when a marker is configured, BACKEND/virtio_disk (the Xen 4.17
 * compatibility path, see xs_backend.h). For every entry of ours it reads
 * the guest's name (/local/domain/<domid>/name) and asks the core
 * (core->attach) whether that guest is configured; if so it creates the
 * IOREQ server (one per domain: ioreq page, one event channel per vCPU,
 * the 0x200-byte MMIO range), the device (xen/vdev.h) and moves the
 * backend state to Connected (4). The device goes away when the domain
 * dies, when the entry is removed, or when libxl asks for it to close
 * (online 0 / state 5): mappings released, server destroyed, backend
 * state set to Closed (6) so that `xl destroy` does not wait 10 s.
 *
 * Start order (the guest must not touch the slot before the server is
 * registered, libxl makes it trap): `xl create -p` (paused), the
 * frontend attaches (on its watch, or when asked with
 * xen_frontend_attach_domain(), e.g. from scmi-xl through the control
 * socket), then `xl unpause`.
 */
#ifndef XEN_FRONTEND_H
#define XEN_FRONTEND_H

#include <stdbool.h>
#include <stdint.h>

#include "mediator/virtio/scmi_dev.h"

struct ev_loop;
struct xen_frontend;

/* Lifecycle actions the core may request for the guest behind a device:
 * they act on that domain only (xc_domain_shutdown), never on the host. */
enum xen_guest_action {
	XEN_GUEST_POWEROFF = 0,
	XEN_GUEST_REBOOT = 1,
};

struct xen_guest_lifecycle {
	/* Returns 0, or -1 (logged) if Xen refused. */
	int (*request)(void *opaque, enum xen_guest_action a);
	void *opaque;
};

struct xen_fe_core {
	/* A device for guest `name` (domid) appeared. Return 0 with the
	 * ops the device model calls for it (ops_opaque is the core's
	 * per-guest state) and whether to offer P2A, or -1 to leave the
	 * device alone (not a configured guest). lc stays valid until
	 * detach. */
	int (*attach)(void *opaque, unsigned domid, const char *name,
		      const struct xen_guest_lifecycle *lc,
		      const struct scmi_dev_ops **ops, void **ops_opaque, bool *p2a);
	/* The device exists; the core answers through dev. */
	void (*bound)(void *ops_opaque, struct scmi_dev *dev);
	/* Called once for every successful attach: the device is gone
	 * (it was reset, ops->reset called, and freed; dev is invalid) or
	 * could not be created after all. */
	void (*detach)(void *ops_opaque);
};

struct xen_fe_config {
	/* Xen 4.17 path: the disk target that marks our virtio_disk slots
	 * (NULL: not watched). */
	const char *vdisk_marker;
	/* Interrupts: false (default, what libxl's DT declares): edge,
	 * pulsed 1 then 0 per event; true: level, held while
	 * InterruptStatus != 0. */
	bool level_irq;
	/* Do not attach from the xenstore watch, only on
	 * xen_frontend_attach_domain() (default false: both). */
	bool attach_on_request_only;
};

/* Connects to xenstore and the Xen libraries and registers with the
 * loop. Returns NULL (logged) if Xen is not available. */
struct xen_frontend *xen_frontend_new(struct ev_loop *loop, const struct xen_fe_config *cfg,
				      const struct xen_fe_core *core, void *core_opaque);
/* Detaches every device (backend states set to Closed). */
void xen_frontend_free(struct xen_frontend *fe);

/* Attach every device of ours that domain domid has and that is not
 * attached yet. Returns the number of devices of ours now attached for
 * that domain (0: none found), or -1 on error (logged). */
int xen_frontend_attach_domain(struct xen_frontend *fe, unsigned domid);
/* Detach the devices of domain domid (backend state Closed). */
void xen_frontend_detach_domain(struct xen_frontend *fe, unsigned domid);
unsigned xen_frontend_devices(const struct xen_frontend *fe);

/* "xen: ..." line for `scmi-mediator --version`. */
const char *xen_frontend_version(void);

/*
 * The daemon's view (mediator/frontend.h): guests configured with
 * socket=xen:DOMAIN-NAME are served through one shared xen_frontend
 * (xen/libxen/xen_daemon_fe.c). _config() sets its configuration (before
 * the first guest; default: the 4.17 marker of scmi-xl, edge interrupts,
 * watch attaches). _attach() serves the control socket's
 * {"cmd":"xen-attach","domid":N,...} (result: devices attached, -1 on
 * error). _request() performs a lifecycle action on the domain of an
 * attached guest (-1 if none).
 */
struct frontend_ops;
extern const struct frontend_ops xen_frontend_ops;
void xen_frontend_ops_config(const struct xen_fe_config *cfg);
int xen_frontend_ops_attach(unsigned domid);
int xen_frontend_ops_request(unsigned domid, enum xen_guest_action a);
/* The domain whose device guest fe (one of xen_frontend_ops) has now,
 * -1 if none is attached. */
struct frontend;
int xen_frontend_ops_domid(const struct frontend *fe);

#endif
