// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of scmi-xl's config derivation (xen/xl_derive.c): the scmi
 * keys of an xl guest config, the derived config (re-read with libxlutil
 * through config/cfg.h to check what xl will see), both transports,
 * file:line errors for bad keys, and the protocols the guest's policy
 * grants deciding the DT's protocol nodes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xen/xl_derive.h"

static const char guest_cfg[] =
	"name = \"domU1\"\n"
	"kernel = \"/boot/Image\"\n"
	"memory = 256\n"
	"vcpus = 2\n"
	"disk = [ \"format=raw,vdev=xvda,access=rw,target=/srv/domU1.img\" ]\n"
	"scmi = \"virtio\"\n"
	"scmi_policy = \"/etc/scmi-mediator/domU1.policy\"\n"
	"scmi_protocols = [ \"clock\", \"reset\", \"0x15\" ]\n"
	"scmi_idmap = [ \"protocol=clock,host=12,guest=0\",\n"
	"               \"protocol=clock,host=7,guest=1\" ]\n";

static struct cfg *load(const char *text, FILE *err)
{
	return cfg_load_data("guest.cfg", text, strlen(text), err);
}

static char *derive(struct cfg *c, const struct xl_scmi_plan *p, const char *orig)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(xl_scmi_write_derived(c, p, orig, strlen(orig), "/run/x/domU1.dtb", f),
			 0);
	fclose(f);
	return buf;
}

static void test_plan_and_virtio_config(void **state)
{
	struct xl_scmi_plan p;
	struct cfg *c = load(guest_cfg, stderr), *d;
	const char *s;
	char *out;
	int n;

	assert_non_null(c);
	assert_int_equal(xl_scmi_plan_read(c, &p, 20), 0);
	assert_true(p.enabled);
	assert_string_equal(p.name, "domU1");
	assert_string_equal(p.policy, "/etc/scmi-mediator/domU1.policy");
	assert_int_equal(p.transport, XL_SCMI_VIRTIO);
	assert_false(p.grant_usage);
	assert_int_equal(p.n_protocols, 3);
	assert_int_equal(p.protocols[0], 0x14);
	assert_int_equal(p.protocols[1], 0x16);
	assert_int_equal(p.protocols[2], 0x15);
	assert_int_equal(p.n_map, 2);
	assert_int_equal(p.map[1].protocol, 0x14);
	assert_int_equal(p.map[1].host_id, 7);
	assert_int_equal(p.map[1].guest_id, 1);
	assert_null(p.base_dt);

	out = derive(c, &p, guest_cfg);
	d = load(out, stderr);
	assert_non_null(d);
	/* xl sees the original keys, the virtio device and the DT. */
	assert_int_equal(cfg_get_list(d, "virtio", &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cfg_list_item(d, "virtio", 0),
			    "type=virtio,device20,transport=mmio,grant_usage=0");
	assert_int_equal(cfg_get_str(d, "device_tree", &s, NULL), 0);
	assert_string_equal(s, "/run/x/domU1.dtb");
	assert_int_equal(cfg_get_str(d, "kernel", &s, NULL), 0);
	assert_string_equal(s, "/boot/Image");
	assert_int_equal(cfg_get_list(d, "disk", &n), 0);
	assert_int_equal(n, 1);
	cfg_free(d);
	free(out);
	cfg_free(c);
}

static void test_virtio_disk_417(void **state)
{
	static const char text[] =
		"name = \"g417\"\n"
		"disk = [ \"format=raw,vdev=xvda,access=rw,target=/srv/a \\\"b\\\".img\" ]\n"
		"device_tree = \"/etc/xen/g417-partial.dtb\"\n"
		"scmi = \"virtio\"\n";
	struct xl_scmi_plan p;
	struct cfg *c = load(text, stderr), *d;
	const char *s;
	char *out;
	int n;

	assert_non_null(c);
	assert_int_equal(xl_scmi_plan_read(c, &p, 17), 0);
	assert_int_equal(p.transport, XL_SCMI_VIRTIO_DISK);
	assert_string_equal(p.base_dt, "/etc/xen/g417-partial.dtb");
	assert_string_equal(p.marker, XL_DERIVE_DEFAULT_MARKER);
	assert_int_equal(p.n_protocols, 5);     /* default set */
	out = derive(c, &p, text);
	d = load(out, stderr);
	assert_non_null(d);
	assert_int_equal(cfg_get_list(d, "disk", &n), 0);
	assert_int_equal(n, 2);
	/* The original item survives re-quoting. */
	assert_string_equal(cfg_list_item(d, "disk", 0),
			    "format=raw,vdev=xvda,access=rw,target=/srv/a \"b\".img");
	assert_string_equal(cfg_list_item(d, "disk", 1),
			    "format=raw,vdev=xvdz,access=rw,backendtype=standalone,"
			    "specification=virtio,target=" XL_DERIVE_DEFAULT_MARKER);
	/* The generated DT replaces the user's (which is its base). */
	assert_int_equal(cfg_get_str(d, "device_tree", &s, NULL), 0);
	assert_string_equal(s, "/run/x/domU1.dtb");
	assert_int_equal(cfg_get_list(d, "virtio", &n), 1);
	cfg_free(d);
	free(out);
	cfg_free(c);
}

static void test_no_scmi_key(void **state)
{
	struct xl_scmi_plan p;
	struct cfg *c = load("name = \"plain\"\n", stderr);

	assert_int_equal(xl_scmi_plan_read(c, &p, 20), 0);
	assert_false(p.enabled);
	assert_int_equal(xl_scmi_write_derived(c, &p, "", 0, "/x", stderr), -1);
	cfg_free(c);
}

/* A bad config fails with its file:line error. */
static void expect_error(const char *text, int minor, const char *msg)
{
	struct xl_scmi_plan p;
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	struct cfg *c;
	int rc;

	assert_non_null(err);
	c = load(text, err);
	assert_non_null(c);
	rc = xl_scmi_plan_read(c, &p, minor);
	if (rc == 0 && p.enabled) {
		FILE *null = fopen("/dev/null", "w");

		rc = xl_scmi_write_derived(c, &p, text, strlen(text), "/x.dtb", null);
		fclose(null);
	}
	cfg_free(c);
	fclose(err);
	assert_int_equal(rc, -1);
	if (!strstr(buf, msg))
		fail_msg("error output '%s' lacks '%s'", buf, msg);
	free(buf);
}

static void test_errors(void **state)
{
	expect_error("name=\"a\"\nscmi = \"smc\"\n", 20, "guest.cfg:2: scmi = \"smc\"");
	expect_error("scmi = \"virtio\"\n", 20, "no name");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_transport = \"pci\"\n", 20,
		     "guest.cfg:3: scmi_transport must be");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_transport = \"virtio\"\n", 17,
		     "guest.cfg:3: Xen 4.17 has no generic virtio");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_grant_usage = 1\n", 17,
		     "guest.cfg:3: grants need");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_protocols = [ \"clock\",\n \"bogus\" ]\n",
		     20, "guest.cfg:4: unknown SCMI protocol 'bogus'");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_protocols = [ \"0x30\" ]\n", 20,
		     "guest.cfg:3: unknown SCMI protocol '0x30'");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_protocols = [ \"clock\", \"0x14\" ]\n",
		     20, "listed twice");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_idmap = [ \"protocol=clock,host=1\" ]\n",
		     20, "guest.cfg:3: scmi_idmap entry needs host= and guest=");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_idmap = [ \"host=1,guest=2\" ]\n", 20,
		     "needs protocol=");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_idmap = [ \"protocol=clock,host=1,"
		     "guest=2,color=red\" ]\n", 20, "color");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_idmap = [ \"protocol=clock,host=1,"
		     "guest=2\", \"protocol=clock,host=3,guest=2\" ]\n", 20, "mapped twice");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_marker = \"rel/path\"\n", 17,
		     "guest.cfg:3: scmi_marker must be an absolute path");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nscmi_vdev = \"sda\"\n", 17,
		     "scmi_vdev must look like xvdz");
	expect_error("name=\"a\"\nscmi=\"virtio\"\nvirtio = [ \"type=virtio,device20,"
		     "transport=mmio\" ]\n", 20, "guest.cfg:3: the config already has");
	expect_error("name=\"a\"\nscmi=\"virtio\"\ndisk = [ \"vdev=xvdz,target=/a\" ]\n", 17,
		     "guest.cfg:3: disk xvdz is taken");
}

/* The policy's grants: without scmi_protocols, the default protocols it
 * grants (in the default order); with it, an ungranted one is an error at
 * its list item's line. */
static void test_policy_protocols(void **state)
{
	static const char dflt[] = "name=\"a\"\nscmi=\"virtio\"\nscmi_policy=\"/p/a.policy\"\n";
	static const char listed[] = "name=\"a\"\nscmi=\"virtio\"\nscmi_policy=\"/p/a.policy\"\n"
				     "scmi_protocols = [ \"clock\",\n \"reset\",\n \"0x15\" ]\n";
	bool granted[256] = { false };
	struct xl_scmi_plan p;
	char *buf = NULL;
	size_t len = 0;
	struct cfg *c;
	FILE *err;

	granted[0x10] = granted[0x12] = granted[0x14] = granted[0x16] = granted[0x17] = true;
	c = load(dflt, stderr);
	assert_non_null(c);
	assert_int_equal(xl_scmi_plan_read(c, &p, 20), 0);
	assert_true(p.protocols_default);
	assert_int_equal(p.n_protocols, 5);
	assert_int_equal(xl_scmi_plan_apply_policy(c, &p, granted), 0);
	assert_int_equal(p.n_protocols, 2);             /* not system, not voltage */
	assert_int_equal(p.protocols[0], 0x14);
	assert_int_equal(p.protocols[1], 0x16);
	cfg_free(c);

	/* Nothing the DT describes: no protocol nodes. */
	memset(granted, 0, sizeof(granted));
	granted[0x12] = true;
	c = load(dflt, stderr);
	assert_int_equal(xl_scmi_plan_read(c, &p, 20), 0);
	assert_int_equal(xl_scmi_plan_apply_policy(c, &p, granted), 0);
	assert_int_equal(p.n_protocols, 0);
	cfg_free(c);

	/* Listed and granted: kept as listed. */
	granted[0x14] = granted[0x15] = granted[0x16] = true;
	c = load(listed, stderr);
	assert_int_equal(xl_scmi_plan_read(c, &p, 20), 0);
	assert_false(p.protocols_default);
	assert_int_equal(xl_scmi_plan_apply_policy(c, &p, granted), 0);
	assert_int_equal(p.n_protocols, 3);
	assert_int_equal(p.protocols[2], 0x15);
	cfg_free(c);

	/* Listed, not granted: reset (line 5) and sensor (line 6). */
	granted[0x15] = granted[0x16] = false;
	err = open_memstream(&buf, &len);
	assert_non_null(err);
	c = load(listed, err);
	assert_int_equal(xl_scmi_plan_read(c, &p, 20), 0);
	assert_int_equal(xl_scmi_plan_apply_policy(c, &p, granted), -1);
	cfg_free(c);
	fclose(err);
	if (!strstr(buf, "guest.cfg:5: protocol 'reset' is not granted by the policy /p/a.policy") ||
	    !strstr(buf, "guest.cfg:6: protocol 'sensor' is not granted") || strstr(buf, "'clock'"))
		fail_msg("errors: %s", buf);
	free(buf);
}

static void test_protocol_names(void **state)
{
	assert_int_equal(xl_scmi_protocol_id("power"), 0x11);
	assert_int_equal(xl_scmi_protocol_id("pinctrl"), 0x19);
	assert_int_equal(xl_scmi_protocol_id("20"), 0x14);
	assert_int_equal(xl_scmi_protocol_id("0x80"), 0x80);
	assert_int_equal(xl_scmi_protocol_id("0x10"), -1);     /* BASE is implicit */
	assert_int_equal(xl_scmi_protocol_id("0x1a"), -1);
	assert_int_equal(xl_scmi_protocol_id("0x100"), -1);
	assert_int_equal(xl_scmi_protocol_id(""), -1);
	assert_int_equal(xl_scmi_protocol_id("clock "), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_and_virtio_config),
		cmocka_unit_test(test_virtio_disk_417),
		cmocka_unit_test(test_no_scmi_key),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_policy_protocols),
		cmocka_unit_test(test_protocol_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
