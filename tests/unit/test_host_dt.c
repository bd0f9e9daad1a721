// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host device tree scan (backends/host_dt.c) over the trees in
 * tests/data/dt/ (.dts files), compiled with dtc when the test runs: Juno-like
 * mailbox with two channels and a per-protocol channel behind two levels
 * of ranges, SMC with one area, SMC with several per-protocol areas plus a
 * virtio node, and broken trees.
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

#include "backends/host_dt.h"

static char tmpdir[64];

static int group_setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hostdt-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *compile(const char *name)
{
	static char out[160];
	char cmd[400];

	snprintf(out, sizeof(out), "%s/%s.dtb", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' tests/data/dt/%s.dts", out,
		 name);
	assert_int_equal(system(cmd), 0);
	return out;
}

static struct host_dt *load(const char *name)
{
	struct host_dt *dt = malloc(sizeof(*dt));

	assert_non_null(dt);
	assert_int_equal(host_dt_load(compile(name), dt, stderr), 0);
	return dt;
}

static void test_juno(void **state)
{
	struct host_dt *dt = load("juno");
	const struct hdt_scmi *s = &dt->node[0];

	assert_int_equal(dt->nnodes, 1);
	assert_string_equal(s->path, "/firmware/scmi");
	assert_int_equal(s->transport, HDT_MAILBOX);
	assert_true(s->usable);
	assert_string_equal(s->err, "");
	assert_false(s->has_smc_id);
	assert_int_equal(s->ch.nshmem, 2);
	assert_int_equal(s->ch.shmem[0].addr, 0x2e000000);
	assert_int_equal(s->ch.shmem[0].size, 0x80);
	assert_int_equal(s->ch.shmem[1].addr, 0x2e000200);
	assert_string_equal(s->ch.shmem[1].path, "/soc/sram@0/scp-sram@200");
	assert_int_equal(s->ch.nmbox, 2);
	assert_string_equal(s->ch.mbox[0].ctrl, "/mhu@2b1f0000");
	assert_string_equal(s->ch.mbox[0].name, "tx");
	assert_string_equal(s->ch.mbox[1].name, "rx");
	assert_int_equal(s->ch.mbox[1].nargs, 2);
	assert_int_equal(s->ch.mbox[1].args[0], 0);
	assert_int_equal(s->ch.mbox[1].args[1], 1);
	assert_int_equal(s->ch.mbox[0].phandle, s->ch.mbox[1].phandle);
	assert_int_equal(s->nproto, 3);
	assert_int_equal(s->proto[0].id, 0x11);
	assert_false(s->proto[0].own_channel);
	assert_int_equal(s->proto[1].id, 0x13);
	assert_true(s->proto[1].own_channel);
	assert_int_equal(s->proto[1].ch.nshmem, 1);
	assert_int_equal(s->proto[1].ch.shmem[0].addr, 0x2e000400);
	assert_int_equal(s->proto[1].ch.nmbox, 1);
	assert_int_equal(s->proto[1].ch.mbox[0].args[0], 1);
	assert_int_equal(s->proto[2].id, 0x14);
	free(dt);
}

static void test_smc(void **state)
{
	struct host_dt *dt = load("smc");
	const struct hdt_scmi *s = &dt->node[0];

	assert_int_equal(dt->nnodes, 1);
	assert_int_equal(s->transport, HDT_SMC);
	assert_true(s->usable);
	assert_true(s->has_smc_id);
	assert_int_equal(s->smc_id, 0xc20000fe);
	assert_int_equal(s->ch.nshmem, 1);
	assert_int_equal(s->ch.shmem[0].addr, 0x2201f000);
	assert_int_equal(s->ch.nmbox, 0);
	assert_int_equal(s->nproto, 2);
	assert_int_equal(s->proto[1].id, 0x19);
	free(dt);
}

static void test_multi(void **state)
{
	struct host_dt *dt = load("multi");
	const struct hdt_scmi *s = &dt->node[0];

	assert_int_equal(dt->nnodes, 2);
	assert_true(s->usable);
	assert_int_equal(s->smc_id, 0x82000002);
	assert_int_equal(s->ch.shmem[0].addr, 0x47ff0000);
	assert_int_equal(s->proto[0].ch.shmem[0].addr, 0x47ff1000);
	assert_int_equal(s->proto[1].ch.shmem[0].addr, 0x147ff2000ull);
	assert_int_equal(s->proto[1].ch.shmem[0].size, 0x1000);
	assert_true(s->proto[1].own_channel);
	/* virtio: noted, not usable */
	assert_int_equal(dt->node[1].transport, HDT_VIRTIO);
	assert_false(dt->node[1].usable);
	assert_non_null(strstr(dt->node[1].err, "not usable"));
	free(dt);
}

static void test_broken(void **state)
{
	struct host_dt *dt = load("broken");
	unsigned i;

	assert_int_equal(dt->nnodes, 4);
	for (i = 0; i < 4; i++)
		assert_false(dt->node[i].usable);
	assert_string_equal(dt->node[0].path, "/fw/no-shmem");
	assert_non_null(strstr(dt->node[0].err, "no usable 'shmem'"));
	assert_non_null(strstr(dt->node[1].err, "malformed 'reg'"));
	assert_non_null(strstr(dt->node[1].err, "/scmi-shmem@20000"));
	assert_non_null(strstr(dt->node[2].err, "phandle 0x4242 points nowhere"));
	assert_int_equal(dt->node[2].ch.nshmem, 1);
	assert_non_null(strstr(dt->node[3].err, "arm,smc-id"));
	free(dt);
}

static void test_print(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(host_dt_print(compile("juno"), f, true), 0);
	assert_int_equal(host_dt_print(compile("broken"), f, false), 1);
	fclose(f);
	assert_non_null(strstr(buf, "{\"scmi\":[{\"node\":\"/firmware/scmi\""));
	assert_non_null(strstr(buf, "\"addr\":771752448"));         /* 0x2e000200 */
	assert_non_null(strstr(buf, "\"name\":\"rx\",\"args\":[0,1]"));
	assert_non_null(strstr(buf, "/fw/dangling: arm,scmi (mailbox), NOT usable"));
	free(buf);
}

static void test_not_fdt(void **state)
{
	struct host_dt dt;
	char path[128];
	uint8_t junk[64] = { 0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0x10, 0 };
	FILE *f;

	assert_int_equal(host_dt_parse(junk, sizeof(junk), &dt, NULL), -1);
	assert_int_equal(host_dt_parse(junk, 4, &dt, NULL), -1);
	snprintf(path, sizeof(path), "%s/trunc.dtb", tmpdir);
	f = fopen(compile("juno"), "rb");
	assert_non_null(f);
	{
		uint8_t buf[256];
		size_t n = fread(buf, 1, sizeof(buf), f);
		FILE *o = fopen(path, "wb");

		fclose(f);
		assert_true(n == sizeof(buf));
		assert_non_null(o);
		assert_int_equal(fwrite(buf, 1, n, o), n);
		fclose(o);
	}
	assert_int_equal(host_dt_load(path, &dt, NULL), -1);
	assert_int_equal(host_dt_load("/nonexistent/x.dtb", &dt, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_juno),
		cmocka_unit_test(test_smc),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_not_fdt),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
