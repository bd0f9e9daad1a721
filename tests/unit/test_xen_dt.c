// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the guest partial device tree generator (xen/scmi_dt.c):
 * every output goes through `dtc -I dtb -O dts` and the resulting source
 * is checked for the expected nodes and properties; phandle values are
 * read back with libfdt to build the expected reference cells. The base
 * tree is tests/data/xen/partial.dts, compiled with dtc.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "xen/scmi_dt.h"

#define BASE_DTS "tests/data/xen/partial.dts"

static char tmpdir[] = "/tmp/test_xen_dt.XXXXXX";

static int group_setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void *compile_base(size_t *len)
{
	char cmd[512], out[256];

	snprintf(out, sizeof(out), "%s/base.dtb", tmpdir);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' '%s'", out, BASE_DTS);
	assert_int_equal(system(cmd), 0);
	return read_file(out, len);
}

/* Decompile a blob with dtc; returns the source text (malloc'd). */
static char *decompile(const void *dtb, size_t len)
{
	char in[256], out[256], cmd[600];
	FILE *f;
	size_t n;

	snprintf(in, sizeof(in), "%s/out.dtb", tmpdir);
	snprintf(out, sizeof(out), "%s/out.dts", tmpdir);
	f = fopen(in, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(dtb, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts -o '%s' '%s'", out, in);
	assert_int_equal(system(cmd), 0);
	return read_file(out, &n);
}

/* The text of node `name` (from its line to its closing brace). */
static char *node_text(const char *dts, const char *name)
{
	char pat[96];
	const char *s, *e;
	char *r;

	snprintf(pat, sizeof(pat), "\t%s {", name);
	s = strstr(dts, pat);
	if (!s)
		return NULL;
	e = strstr(s, "};");
	assert_non_null(e);
	r = strndup(s, (size_t)(e - s));
	assert_non_null(r);
	return r;
}

static void expect_in(const char *text, const char *what)
{
	if (!text || !strstr(text, what))
		fail_msg("'%s' not found in:\n%s", what, text ? text : "(no such node)");
}

static void expect_not_in(const char *text, const char *what)
{
	if (text && strstr(text, what))
		fail_msg("'%s' unexpectedly found in:\n%s", what, text);
}

static void test_fresh_tree(void **state)
{
	static const uint8_t protos[] = { 0x14, 0x16, 0x15 };
	struct scmi_dt_params p = { .protocols = protos, .n_protocols = 3 };
	char err[200] = "", *dts, *n;
	void *dtb;
	size_t len;

	assert_int_equal(scmi_dt_build(NULL, 0, &p, &dtb, &len, err, sizeof(err)), 0);
	dts = decompile(dtb, len);
	expect_in(dts, "#address-cells = <0x02>;");
	n = node_text(dts, "passthrough");
	expect_in(n, "compatible = \"simple-bus\";");
	expect_in(n, "ranges;");
	free(n);
	n = node_text(dts, "scmi");
	expect_in(n, "compatible = \"arm,scmi-virtio\";");
	expect_in(n, "#address-cells = <0x01>;");
	expect_in(n, "#size-cells = <0x00>;");
	free(n);
	n = node_text(dts, "protocol@14");
	expect_in(n, "reg = <0x14>;");
	expect_in(n, "#clock-cells = <0x01>;");
	expect_in(n, "phandle = <");
	free(n);
	n = node_text(dts, "protocol@16");
	expect_in(n, "#reset-cells = <0x01>;");
	free(n);
	n = node_text(dts, "protocol@15");
	expect_in(n, "#thermal-sensor-cells = <0x01>;");
	free(n);
	assert_null(node_text(dts, "protocol@11"));
	assert_null(node_text(dts, "protocol@10"));
	free(dts);
	free(dtb);
}

static uint32_t phandle_of(const void *dtb, const char *path)
{
	int node = fdt_path_offset(dtb, path);

	assert_true(node >= 0);
	return fdt_get_phandle(dtb, node);
}

static void test_base_tree_rewritten(void **state)
{
	static const uint8_t protos[] = { 0x11, 0x14, 0x16 };
	static const struct scmi_dt_map map[] = {
		{ 0x14, 12, 0 }, { 0x14, 7, 1 }, { 0x11, 3, 0 },
	};
	struct scmi_dt_params p = { .protocols = protos, .n_protocols = 3, .map = map, .n_map = 3 };
	char err[200] = "", *dts, *n, want[160];
	void *base, *dtb;
	size_t base_len, len;
	uint32_t clk, fixed, pd, rst;

	base = compile_base(&base_len);
	assert_int_equal(scmi_dt_build(base, base_len, &p, &dtb, &len, err, sizeof(err)), 0);
	dts = decompile(dtb, len);

	/* Transport converted: no SMC, no shmem. */
	n = node_text(dts, "scmi");
	expect_in(n, "compatible = \"arm,scmi-virtio\";");
	expect_not_in(n, "arm,smc-id");
	expect_not_in(n, "shmem");
	free(n);
	expect_not_in(dts, "arm,scmi-shmem");
	expect_not_in(dts, "sram@22001000");

	clk = phandle_of(dtb, "/passthrough/scmi/protocol@14");
	pd = phandle_of(dtb, "/passthrough/scmi/protocol@11");
	rst = phandle_of(dtb, "/passthrough/scmi/protocol@16");
	fixed = phandle_of(dtb, "/passthrough/clk24");
	n = node_text(dts, "uart@23000000");
	/* clocks: host 12 -> 0, fixed clock untouched, host 7 -> 1. */
	snprintf(want, sizeof(want), "clocks = <0x%02x 0x00 0x%02x 0x%02x 0x01>;", clk, fixed,
		 clk);
	expect_in(n, want);
	snprintf(want, sizeof(want), "power-domains = <0x%02x 0x00>;", pd);
	expect_in(n, want);
	/* No reset mapping at all: ids kept. */
	snprintf(want, sizeof(want), "resets = <0x%02x 0x05>;", rst);
	expect_in(n, want);
	/* dtc 1.6 (Debian 12) prints this string list with embedded NULs as
	 * \\0, dtc 1.7 (Debian 13, make build-xen420) as a list. */
	if (!strstr(n, "clock-names = \"uartclk\", \"apb_pclk\", \"extra\";"))
		expect_in(n, "clock-names = \"uartclk\\0apb_pclk\\0extra\";");
	free(n);
	free(dts);
	free(dtb);
	free(base);
}

static void expect_error(const uint8_t *protos, unsigned np, const struct scmi_dt_map *map,
			 unsigned nm, const char *msg)
{
	struct scmi_dt_params p = { .protocols = protos, .n_protocols = np, .map = map,
				    .n_map = nm };
	char err[200] = "";
	void *base, *dtb = (void *)1;
	size_t base_len, len = 1;

	base = compile_base(&base_len);
	assert_int_equal(scmi_dt_build(base, base_len, &p, &dtb, &len, err, sizeof(err)), -1);
	assert_null(dtb);
	assert_int_equal(len, 0);
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
	free(base);
}

static void test_errors(void **state)
{
	static const uint8_t no_power[] = { 0x14, 0x16 };
	static const uint8_t all[] = { 0x11, 0x14, 0x16 };
	static const struct scmi_dt_map partial[] = { { 0x14, 12, 0 } };

	expect_error(no_power, 2, NULL, 0, "SCMI protocol 0x11, which this guest is not granted");
	expect_error(all, 3, partial, 1, "host id 7 of SCMI protocol 0x14 is not mapped");
	expect_error(all, 3, partial, 1, "/passthrough/uart@23000000: clocks");
}

static void test_bad_base(void **state)
{
	static const uint8_t protos[] = { 0x14 };
	struct scmi_dt_params p = { .protocols = protos, .n_protocols = 1 };
	char junk[64], err[200] = "";
	void *dtb;
	size_t len;

	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(scmi_dt_build(junk, sizeof(junk), &p, &dtb, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a valid DTB"));
	assert_int_equal(scmi_dt_build(junk, 4, &p, &dtb, &len, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_tree),
		cmocka_unit_test(test_base_tree_rewritten),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bad_base),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
