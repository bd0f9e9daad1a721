// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing of libxl's virtio backend entries (see xs_backend.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_backend.h"

#define DOMID_MAX_NORMAL 0x7fef	/* DOMID_FIRST_RESERVED - 1 */

const char *xs_be_kind_dir(enum xs_be_kind kind)
{
	return kind == XS_BE_VIRTIO_DISK ? "virtio_disk" : "virtio";
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Whole-string unsigned number (base 0: 0x.. hex or decimal). */
static int parse_u64(const char *s, int base, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Parse "virtio,device<hex>" (lower-case hex as libxl writes it). */
static int parse_type(const char *s, unsigned *id)
{
	static const char pfx[] = "virtio,device";
	uint64_t v;

	if (strncmp(s, pfx, sizeof(pfx) - 1))
		return -1;
	s += sizeof(pfx) - 1;
	if (strlen(s) > 8 || strspn(s, "0123456789abcdef") != strlen(s) ||
	    parse_u64(s, 16, &v) || v > 0xffff)
		return -1;
	*id = (unsigned)v;
	return 0;
}

int xs_be_parse(struct xs_be_dev *d, enum xs_be_kind kind, unsigned domid, unsigned devid,
		const char *marker, xs_be_read_fn rd, void *opaque, char *err, size_t errlen)
{
	char *type = NULL, *base = NULL, *irq = NULL, *transport = NULL, *gu = NULL;
	char *spec = NULL, *params = NULL;
	uint64_t v;
	int rc = XS_BE_INVALID;

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->domid = domid;
	d->devid = devid;

	if (kind == XS_BE_VIRTIO) {
		type = rd(opaque, "type");
		if (!type) {
			seterr(err, errlen, "missing key 'type'");
			goto out;
		}
		if (parse_type(type, &d->device_id)) {
			rc = XS_BE_NOT_OURS;
			seterr(err, errlen, "type '%s' is not a virtio device type", type);
			goto out;
		}
		if (d->device_id != XS_VIRTIO_ID_SCMI) {
			rc = XS_BE_NOT_OURS;
			seterr(err, errlen, "virtio device id %u is not SCMI", d->device_id);
			goto out;
		}
	} else if (kind == XS_BE_VIRTIO_DISK) {
		params = rd(opaque, "params");
		if (!marker || !params || strcmp(params, marker)) {
			rc = XS_BE_NOT_OURS;
			seterr(err, errlen, "disk target is not the SCMI marker");
			goto out;
		}
		spec = rd(opaque, "specification");
		if (!spec || strcmp(spec, "virtio")) {
			seterr(err, errlen, "specification '%s' is not 'virtio'",
			       spec ? spec : "(missing)");
			goto out;
		}
		d->device_id = XS_VIRTIO_ID_SCMI;
	} else {
		seterr(err, errlen, "unknown backend kind %d", (int)kind);
		goto out;
	}

	transport = rd(opaque, "transport");
	if (!transport || strcmp(transport, "mmio")) {
		seterr(err, errlen, "transport '%s' is not 'mmio'",
		       transport ? transport : "(missing)");
		goto out;
	}
	base = rd(opaque, "base");
	if (!base || parse_u64(base, 0, &v)) {
		seterr(err, errlen, "bad or missing 'base' (%s)", base ? base : "missing");
		goto out;
	}
	if (v < XS_GUEST_VIRTIO_MMIO_BASE ||
	    v - XS_GUEST_VIRTIO_MMIO_BASE > XS_GUEST_VIRTIO_MMIO_SIZE - XS_VIRTIO_MMIO_DEV_SIZE ||
	    (v & (XS_VIRTIO_MMIO_DEV_SIZE - 1))) {
		seterr(err, errlen, "base 0x%llx is outside the virtio-mmio window or unaligned",
		       (unsigned long long)v);
		goto out;
	}
	d->base = v;
	irq = rd(opaque, "irq");
	if (!irq || parse_u64(irq, 10, &v) || v < XS_SPI_FIRST || v >= XS_SPI_END) {
		seterr(err, errlen, "bad or missing 'irq' (%s): not an SPI", irq ? irq : "missing");
		goto out;
	}
	d->irq = (unsigned)v;
	gu = rd(opaque, "grant_usage");
	if (gu) {
		if (strcmp(gu, "0") && strcmp(gu, "1")) {
			seterr(err, errlen, "bad 'grant_usage' (%s)", gu);
			goto out;
		}
		d->grant_usage = gu[0] == '1';
	}
	if (kind == XS_BE_VIRTIO_DISK && d->grant_usage) {
		seterr(err, errlen, "grant_usage=1 is not supported on the virtio_disk path");
		goto out;
	}
	rc = XS_BE_OURS;
out:
	free(type);
	free(base);
	free(irq);
	free(transport);
	free(gu);
	free(spec);
	free(params);
	return rc;
}

static int parse_id(const char **p, unsigned max, unsigned *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
		s++;
	}
	if (*s && *s != '/')
		return -1;
	*out = (unsigned)v;
	*p = s;
	return 0;
}

int xs_be_path_split(const char *path, const char *root, unsigned *domid, unsigned *devid,
		     const char **rest)
{
	size_t n = strlen(root);
	const char *p;

	if (strncmp(path, root, n) || path[n] != '/')
		return -1;
	p = path + n + 1;
	if (parse_id(&p, DOMID_MAX_NORMAL, domid) || *p != '/')
		return -1;
	p++;
	if (parse_id(&p, 0x7fffffff, devid))
		return -1;
	*rest = *p ? p + 1 : p;
	return 0;
}
