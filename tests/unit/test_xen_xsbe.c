// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the parsing of libxl's virtio backend entries in xenstore
 * (xen/xs_backend.c): the 4.18+ backend/virtio layout, the 4.17
 * backend/virtio_disk compatibility layout, bad and missing keys, and
 * watch path splitting. The entries are the ones libxl writes (values as
 * seen on a Xen 4.20 dom0 and in libxl 4.17's libxl_disk.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "xen/xs_backend.h"

struct kv {
	const char *k, *v;
};

static char *rd(void *opaque, const char *key)
{
	for (const struct kv *e = opaque; e->k; e++)
		if (!strcmp(e->k, key))
			return e->v ? strdup(e->v) : NULL;
	return NULL;
}

/* What Xen 4.20's libxl wrote for virtio = [ "type=virtio,device20,transport=mmio" ]. */
static const struct kv v420[] = {
	{ "frontend", "/local/domain/3/device/virtio/0" }, { "frontend-id", "3" },
	{ "online", "1" }, { "state", "1" }, { "irq", "33" }, { "base", "0x2000000" },
	{ "type", "virtio,device20" }, { "transport", "mmio" }, { "grant_usage", "0" },
	{ NULL, NULL },
};

static void test_virtio_420(void **state)
{
	struct xs_be_dev d;
	char err[128] = "";

	assert_int_equal(xs_be_parse(&d, XS_BE_VIRTIO, 3, 0, NULL, rd, (void *)v420, err,
				     sizeof(err)), XS_BE_OURS);
	assert_int_equal(d.domid, 3);
	assert_int_equal(d.devid, 0);
	assert_true(d.base == 0x2000000);
	assert_int_equal(d.irq, 33);
	assert_int_equal(d.device_id, 32);
	assert_false(d.grant_usage);
	assert_int_equal(d.kind, XS_BE_VIRTIO);
}

/* Replace / remove one key of a template and parse. */
static int parse_with(enum xs_be_kind kind, const struct kv *tmpl, const char *key,
		      const char *val, struct xs_be_dev *d, char *err, size_t errlen)
{
	struct kv kv[16];
	unsigned n = 0;

	for (; tmpl->k; tmpl++) {
		kv[n] = *tmpl;
		if (key && !strcmp(tmpl->k, key))
			kv[n].v = val;
		n++;
	}
	kv[n].k = NULL;
	return xs_be_parse(d, kind, 5, 1, "/run/scmi-mediator/xen-scmi", rd, kv, err, errlen);
}

static void expect_invalid(enum xs_be_kind kind, const struct kv *tmpl, const char *key,
			   const char *val, const char *msg)
{
	struct xs_be_dev d;
	char err[160] = "";

	assert_int_equal(parse_with(kind, tmpl, key, val, &d, err, sizeof(err)), XS_BE_INVALID);
	if (!strstr(err, msg))
		fail_msg("%s=%s: error '%s' lacks '%s'", key, val ? val : "(absent)", err, msg);
}

static void test_virtio_bad_keys(void **state)
{
	static const struct { const char *k, *v, *msg; } cases[] = {
		{ "type", NULL, "missing key 'type'" },
		{ "transport", NULL, "transport '(missing)'" },
		{ "transport", "pci", "transport 'pci'" },
		{ "base", NULL, "'base' (missing)" },
		{ "base", "", "'base' ()" },
		{ "base", "0x2000000x", "'base'" },
		{ "base", "-1", "'base'" },
		{ "base", "0x1000000", "outside the virtio-mmio window" },
		{ "base", "0x2000100", "unaligned" },
		{ "base", "0x2100000", "outside" },
		{ "base", "0x20ffe00", NULL },      /* last slot: valid */
		{ "base", "0x99999999999999999999", "'base'" },
		{ "irq", NULL, "'irq' (missing)" },
		{ "irq", "31", "not an SPI" },
		{ "irq", "1020", "not an SPI" },
		{ "irq", "0x21", "not an SPI" },
		{ "irq", "33 ", "not an SPI" },
		{ "grant_usage", "2", "bad 'grant_usage' (2)" },
		{ "grant_usage", "yes", "bad 'grant_usage'" },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!cases[i].msg) {
			struct xs_be_dev d;

			assert_int_equal(parse_with(XS_BE_VIRTIO, v420, cases[i].k, cases[i].v,
						    &d, NULL, 0), XS_BE_OURS);
			assert_true(d.base == 0x20ffe00);
			continue;
		}
		expect_invalid(XS_BE_VIRTIO, v420, cases[i].k, cases[i].v, cases[i].msg);
	}
}

static void test_virtio_not_ours(void **state)
{
	static const char *types[] = {
		"virtio,device22", "virtio,device29", "virtio,device", "virtio,device0x20",
		"virtio, device20", "virtio,devicezz", "vbd", "virtio,device123456789",
	};
	struct xs_be_dev d;
	char err[128];

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		assert_int_equal(parse_with(XS_BE_VIRTIO, v420, "type", types[i], &d, err,
					    sizeof(err)), XS_BE_NOT_OURS);
}

static void test_virtio_grants_and_absent_grant_usage(void **state)
{
	struct xs_be_dev d;

	assert_int_equal(parse_with(XS_BE_VIRTIO, v420, "grant_usage", "1", &d, NULL, 0),
			 XS_BE_OURS);
	assert_true(d.grant_usage);
	assert_int_equal(parse_with(XS_BE_VIRTIO, v420, "grant_usage", NULL, &d, NULL, 0),
			 XS_BE_OURS);
	assert_false(d.grant_usage);
	/* Decimal base as 4.17 writes it is accepted too. */
	assert_int_equal(parse_with(XS_BE_VIRTIO, v420, "base", "33554944", &d, NULL, 0),
			 XS_BE_OURS);
	assert_true(d.base == 0x2000200);
}

/* What libxl 4.17 writes for disk = [ "backendtype=standalone,
 * specification=virtio,format=raw,vdev=xvdz,target=MARKER" ]. */
static const struct kv v417[] = {
	{ "params", "/run/scmi-mediator/xen-scmi" }, { "frontend-id", "5" },
	{ "online", "1" }, { "removable", "0" }, { "bootable", "1" }, { "state", "1" },
	{ "dev", "xvdz" }, { "type", "standalone" }, { "mode", "w" },
	{ "device-type", "disk" }, { "discard-enable", "1" },
	{ "specification", "virtio" }, { "transport", "mmio" },
	{ "base", "33554432" }, { "irq", "33" },
	{ NULL, NULL },
};

static void test_virtio_disk_417(void **state)
{
	struct xs_be_dev d;
	char err[128] = "";

	assert_int_equal(parse_with(XS_BE_VIRTIO_DISK, v417, NULL, NULL, &d, err, sizeof(err)),
			 XS_BE_OURS);
	assert_int_equal(d.kind, XS_BE_VIRTIO_DISK);
	assert_true(d.base == 0x2000000);
	assert_int_equal(d.irq, 33);
	assert_int_equal(d.device_id, 32);
	assert_false(d.grant_usage);
	assert_int_equal(d.domid, 5);
	assert_int_equal(d.devid, 1);

	/* A real virtio disk (another target) is not ours. */
	assert_int_equal(parse_with(XS_BE_VIRTIO_DISK, v417, "params", "/dev/vg/disk", &d,
				    err, sizeof(err)), XS_BE_NOT_OURS);
	assert_int_equal(parse_with(XS_BE_VIRTIO_DISK, v417, "params", NULL, &d, err,
				    sizeof(err)), XS_BE_NOT_OURS);
	/* Without a marker nothing is ours. */
	assert_int_equal(xs_be_parse(&d, XS_BE_VIRTIO_DISK, 5, 1, NULL, rd, (void *)v417, err,
				     sizeof(err)), XS_BE_NOT_OURS);

	expect_invalid(XS_BE_VIRTIO_DISK, v417, "specification", "xen", "specification 'xen'");
	expect_invalid(XS_BE_VIRTIO_DISK, v417, "specification", NULL, "(missing)");
	expect_invalid(XS_BE_VIRTIO_DISK, v417, "base", "0", "outside");
	expect_invalid(XS_BE_VIRTIO_DISK, v417, "irq", "abc", "not an SPI");
	expect_invalid(XS_BE_VIRTIO_DISK, v417, "transport", "pci", "transport 'pci'");
}

static void test_path_split(void **state)
{
	const char *root = "/local/domain/0/backend/virtio";
	unsigned dom = 99, dev = 99;
	const char *rest = NULL;

	assert_int_equal(xs_be_path_split("/local/domain/0/backend/virtio/3/0", root, &dom,
					  &dev, &rest), 0);
	assert_int_equal(dom, 3);
	assert_int_equal(dev, 0);
	assert_string_equal(rest, "");
	assert_int_equal(xs_be_path_split("/local/domain/0/backend/virtio/12/7/state", root,
					  &dom, &dev, &rest), 0);
	assert_int_equal(dom, 12);
	assert_int_equal(dev, 7);
	assert_string_equal(rest, "state");

	static const char *bad[] = {
		"/local/domain/0/backend/virtio",
		"/local/domain/0/backend/virtio/",
		"/local/domain/0/backend/virtio/3",
		"/local/domain/0/backend/virtio/3/",
		"/local/domain/0/backend/virtio_disk/3/0",
		"/local/domain/0/backend/virtiox/3/0",
		"/local/domain/0/backend/virtio/x/0",
		"/local/domain/0/backend/virtio/3/y",
		"/local/domain/0/backend/virtio/-3/0",
		"/local/domain/0/backend/virtio/32752/0",    /* DOMID_FIRST_RESERVED */
		"/local/domain/0/backend/virtio/99999999999999999999/0",
		"/local/domain/0/backend/virtio/3/0x1",
		"backend/virtio/3/0",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (xs_be_path_split(bad[i], root, &dom, &dev, &rest) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_string_equal(xs_be_kind_dir(XS_BE_VIRTIO), "virtio");
	assert_string_equal(xs_be_kind_dir(XS_BE_VIRTIO_DISK), "virtio_disk");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtio_420),
		cmocka_unit_test(test_virtio_bad_keys),
		cmocka_unit_test(test_virtio_not_ours),
		cmocka_unit_test(test_virtio_grants_and_absent_grant_usage),
		cmocka_unit_test(test_virtio_disk_417),
		cmocka_unit_test(test_path_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
