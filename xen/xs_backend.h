/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore entries libxl writes for a virtio-mmio device served from
 * dom0, parsed and validated without libxenstore (a read callback
 * supplies the values; xen/libxen/xen_store.c reads them from xenstore):
 *
 *  - Xen 4.18+ generic virtio (xl.cfg `virtio = [ "type=virtio,device20,
 *    transport=mmio" ]`): BACKEND/virtio/<domid>/<devid>/ with base (hex
 *    or decimal), irq, type "virtio,device<hex id>", transport "mmio",
 *    grant_usage "0"/"1". Only type virtio,device20 (SCMI) is ours.
 *
 *  - Xen 4.17 compatibility (no generic virtio in libxl): a virtio disk
 *    (`disk = [ "backendtype=standalone,specification=virtio,..." ]`) is
 *    the only way to get a virtio-mmio slot, a `virtio,mmio` DT node and
 *    an SPI. libxl writes BACKEND/virtio_disk/<domid>/<devid>/ with params
 *    (the disk target), base and irq (decimal), specification "virtio",
 *    transport "mmio", type "standalone", state 1, and waits up to 10 s
 *    for state 2 (InitWait). The entry is ours when params equals the
 *    mediator's marker path (scmi-xl writes it as the disk target); the
 *    slot is then served as device id 32, through foreign mappings.
 *
 * Every value is checked: base inside the guest virtio-mmio window and
 * 0x200-aligned, irq an SPI, transport mmio, known grant_usage.
 */
#ifndef XEN_XS_BACKEND_H
#define XEN_XS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* xen/include/public/arch-arm.h (checked in xen/libxen/) */
#define XS_GUEST_VIRTIO_MMIO_BASE	0x02000000ull
#define XS_GUEST_VIRTIO_MMIO_SIZE	0x00100000ull
#define XS_VIRTIO_MMIO_DEV_SIZE		0x200ull
#define XS_SPI_FIRST			32u
#define XS_SPI_END			1020u

/* xenbus states (xen/include/public/io/xenbus.h) */
#define XS_STATE_INITIALISING	1
#define XS_STATE_INITWAIT	2
#define XS_STATE_CONNECTED	4
#define XS_STATE_CLOSING	5
#define XS_STATE_CLOSED		6

#define XS_VIRTIO_ID_SCMI	32u

enum xs_be_kind {
	XS_BE_VIRTIO = 0,       /* backend/virtio (4.18+) */
	XS_BE_VIRTIO_DISK = 1,  /* backend/virtio_disk (4.17 compatibility) */
};

struct xs_be_dev {
	enum xs_be_kind kind;
	unsigned domid, devid;
	uint64_t base;
	unsigned irq;
	unsigned device_id;
	bool grant_usage;
};

/* Returns the value of `key` under the device's backend directory as a
 * malloc'd string (the caller frees it), or NULL if absent. */
typedef char *(*xs_be_read_fn)(void *opaque, const char *key);

#define XS_BE_OURS	0       /* ours and valid: *d filled */
#define XS_BE_NOT_OURS	1       /* another device type / another backend */
#define XS_BE_INVALID	(-1)    /* ours but malformed: err says why */

/* marker: the disk target identifying our 4.17 slots (XS_BE_VIRTIO_DISK
 * only; may be NULL for XS_BE_VIRTIO). */
int xs_be_parse(struct xs_be_dev *d, enum xs_be_kind kind, unsigned domid, unsigned devid,
		const char *marker, xs_be_read_fn rd, void *opaque, char *err, size_t errlen);

/* Split "<root>/<domid>/<devid>[/rest]": returns 0 and the ids (rest
 * points after the devid's '/', or at "" ), or -1 if path is not below
 * root or the ids are not decimal numbers in range. */
int xs_be_path_split(const char *path, const char *root, unsigned *domid, unsigned *devid,
		     const char **rest);

/* Directory name of a kind below BACKEND/: "virtio" or "virtio_disk". */
const char *xs_be_kind_dir(enum xs_be_kind kind);

#endif
