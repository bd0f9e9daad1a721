// SPDX-License-Identifier: GPL-2.0-only
/* config/cfg.c and the platform description loader: values, lines, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "config/platform_desc.h"

#define DATA "tests/data/config/"

/* Capture diagnostics of a load. */
struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static void cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static const char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf ? c->buf : "";
}

static struct cfg *load(const char *text, struct cap *c)
{
	cap_open(c);
	return cfg_load_data("mem.cfg", text, strlen(text), c->f);
}

static void test_values_and_lines(void **state)
{
	static const char text[] =
		"# header comment = [ not a key ]\n"
		"a = \"x#y\" # trailing\n"
		"b = 42; c = 0x10\n"
		"list = [ \"one\",\n"
		"\n"
		"   \"two\", 'th,ree' ]\n"
		"list += [ \"four\" ]\n"
		"flag = 1\n";
	struct cap cp;
	struct cfg *c = load(text, &cp);
	const char *s;
	uint64_t v;
	bool bv;
	int n;

	assert_non_null(c);
	assert_int_equal(cfg_line(c, "a"), 2);
	assert_int_equal(cfg_line(c, "b"), 3);
	assert_int_equal(cfg_line(c, "c"), 3);
	assert_int_equal(cfg_line(c, "list"), 7);
	assert_int_equal(cfg_line(c, "nope"), 0);
	assert_int_equal(cfg_get_str(c, "a", &s, NULL), 0);
	assert_string_equal(s, "x#y");
	assert_int_equal(cfg_get_u64(c, "b", &v, 0, 0, 100), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cfg_get_u64(c, "c", &v, 0, 0, 100), 0);
	assert_int_equal(v, 16);
	assert_int_equal(cfg_get_u64(c, "absent", &v, 7, 0, 100), 1);
	assert_int_equal(v, 7);
	assert_int_equal(cfg_get_bool(c, "flag", &bv, false), 0);
	assert_true(bv);
	assert_int_equal(cfg_get_list(c, "list", &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(cfg_list_item(c, "list", 2), "th,ree");
	assert_string_equal(cfg_list_item(c, "list", 3), "four");
	assert_null(cfg_list_item(c, "list", 4));
	assert_int_equal(cfg_item_line(c, "list", 0), 4);
	assert_int_equal(cfg_item_line(c, "list", 1), 6);
	assert_int_equal(cfg_item_line(c, "list", 2), 6);
	assert_int_equal(cfg_item_line(c, "list", 3), 7);
	assert_int_equal(cfg_errors(c), 0);
	cfg_free(c);
	assert_string_equal(cap_close(&cp), "");
	free(cp.buf);
}

static void test_getter_errors(void **state)
{
	static const char text[] = "s = [ \"a\" ]\nn = \"-1\"\nbig = 300\nb = 2\nl = \"x\"\n";
	struct cap cp;
	struct cfg *c = load(text, &cp);
	const char *s;
	uint64_t v;
	bool bv;
	int n;

	assert_non_null(c);
	assert_int_equal(cfg_get_str(c, "s", &s, "d"), -1);
	assert_int_equal(cfg_get_u64(c, "n", &v, 0, 0, 10), -1);
	assert_int_equal(cfg_get_u64(c, "big", &v, 0, 0, 255), -1);
	assert_int_equal(cfg_get_bool(c, "b", &bv, false), -1);
	assert_int_equal(cfg_get_list(c, "l", &n), -1);
	assert_int_equal(cfg_errors(c), 5);
	cfg_free(c);
	const char *out = cap_close(&cp);

	assert_non_null(strstr(out, "mem.cfg:1: 's' must be a single value"));
	assert_non_null(strstr(out, "mem.cfg:2: 'n': '-1' is not a valid number"));
	assert_non_null(strstr(out, "mem.cfg:3: 'big': 300 out of range [0, 255]"));
	assert_non_null(strstr(out, "mem.cfg:4: 'b': '2' is not a boolean"));
	assert_non_null(strstr(out, "mem.cfg:5: 'l' must be a list"));
	free(cp.buf);
}

static void test_check_keys(void **state)
{
	static const char *const known[] = { "a", "b", NULL };
	struct cap cp;
	struct cfg *c = load("a = 1\n\nzz = 2\nb = 3\nyy = [ ]\n", &cp);

	assert_non_null(c);
	assert_int_equal(cfg_check_keys(c, known), 2);
	cfg_free(c);
	const char *out = cap_close(&cp);

	assert_non_null(strstr(out, "mem.cfg:3: unknown key 'zz'"));
	assert_non_null(strstr(out, "mem.cfg:5: unknown key 'yy'"));
	free(cp.buf);
}

static void test_spec(void **state)
{
	struct cap cp;
	struct cfg *c = load("x = 1\n", &cp);
	struct spec s;
	const char *str;
	uint64_t v, list[4];
	bool b;

	assert_non_null(c);
	assert_int_equal(spec_parse(&s, c, 9, " name = gpu , rates=1 2  0x10,flag,n=5"), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(spec_str(&s, "name", &str, NULL), 0);
	assert_string_equal(str, "gpu");
	assert_int_equal(spec_u64_list(&s, "rates", list, 4), 3);
	assert_int_equal(list[2], 16);
	assert_int_equal(spec_bool(&s, "flag", &b, false), 0);
	assert_true(b);
	assert_int_equal(spec_u64(&s, "missing", &v, 3, 0, 9), 1);
	assert_int_equal(v, 3);
	assert_int_equal(spec_check_unused(&s), 1);     /* n */
	assert_int_equal(spec_u64(&s, "n", &v, 0, 0, 4), -1);
	assert_int_equal(spec_u64_list(&s, "rates", list, 2), -1);
	assert_int_equal(spec_str(&s, "flag", &str, NULL), -1);
	spec_free(&s);
	assert_int_equal(spec_parse(&s, c, 10, "a=1,,b=2"), -1);
	spec_free(&s);
	assert_int_equal(spec_parse(&s, c, 11, "a=1,b=2,a=3"), -1);
	spec_free(&s);
	assert_int_equal(spec_parse(&s, c, 12, ""), 0);
	assert_int_equal(s.n, 0);
	spec_free(&s);
	assert_int_equal(spec_parse(&s, c, 13, "a=1,"), 0);
	assert_int_equal(s.n, 1);
	spec_free(&s);
	cfg_free(c);
	const char *out = cap_close(&cp);

	assert_non_null(strstr(out, "mem.cfg:9: unknown key 'n'"));
	assert_non_null(strstr(out, "mem.cfg:9: 'n': 5 out of range [0, 4]"));
	assert_non_null(strstr(out, "mem.cfg:9: 'rates': too many values (max 2)"));
	assert_non_null(strstr(out, "mem.cfg:9: 'flag' needs a value"));
	assert_non_null(strstr(out, "mem.cfg:10: empty key"));
	assert_non_null(strstr(out, "mem.cfg:11: duplicate key 'a'"));
	free(cp.buf);
}

static void test_load_errors(void **state)
{
	struct cap cp;

	cap_open(&cp);
	assert_null(cfg_load(DATA "does_not_exist.cfg", cp.f));
	assert_null(cfg_load_data("nul.cfg", "a = 1\0", 6, cp.f));
	const char *out = cap_close(&cp);

	assert_non_null(strstr(out, DATA "does_not_exist.cfg: cannot open"));
	assert_non_null(strstr(out, "nul.cfg: file contains a NUL byte"));
	free(cp.buf);
}

/* Each broken description fails with exactly this "file:line: message". */
static const struct {
	const char *file, *expect;
} broken[] = {
	{ "syntax_error.cfg", ":4: config parsing error" },
	{ "unknown_key.cfg", ":5: unknown key 'bogus_key'" },
	{ "wrong_type.cfg", ":2: 'agents' must be a list" },
	{ "bad_number.cfg", ":3: 'impl_version': '12abc' is not a valid number" },
	{ "dup_spec_key.cfg", ":4: duplicate key 'name'" },
	{ "unknown_spec_key.cfg", ":5: unknown key 'foo'" },
	{ "out_of_range.cfg", ":3: 'impl_version': 4294967296 out of range" },
	{ "agent_id_range.cfg", ":3: 'id': 17 out of range [1, 16]" },
	{ "bad_ref.cfg", ":5: device 'd1': power domain 5 does not exist" },
	{ "dup_name.cfg", ":4: duplicate power domain name 'pd0'" },
	{ "bad_bool.cfg", ":3: 'async': 'maybe' is not a boolean" },
	{ "bad_protocol.cfg", ":3: 'protocols': unknown protocol 'teleport'" },
	{ "bad_agent_device.cfg", ":2: agent 'a': device 3 does not exist" },
	{ "no_agents.cfg", ": 'agents' must list at least one agent" },
	{ "dup_agent_id.cfg", ":3: duplicate agent id 1" },
	{ "nested_list.cfg", ":2: 'agents' item 1 must be a string" },
	{ "long_name.cfg", ":2: 'name': 'a_very_long_agent_name' longer than 15" },
	{ "bad_state.cfg", ":3: 'state': bit 31 of a power state is reserved" },
	{ "no_sync.cfg", ":4: power domain 'p': needs sync=1 or async=1" },
	/* missing required keys */
	{ "missing_name.cfg", ":4: missing name=" },
	{ "clock_no_rates.cfg", ":4: clock needs rates= or range=" },
	{ "perf_no_levels.cfg", ":3: missing levels=" },
	/* wrong types and bad values */
	{ "spec_wrong_type.cfg", ":3: 'latency': '1 2' is not a valid number" },
	{ "sensor_bad_value.cfg", ":3: value: 'sine:1:2': unknown model" },
	{ "voltage_bad_levels.cfg", ":3: voltage domain 'v0': 'levels' must be strictly ascending" },
	/* out of range */
	{ "device_id_range.cfg", ":3: 'id': 64 out of range [0, 63]" },
	{ "sensor_trips_range.cfg", ":4: 'trips': 17 out of range [0, 16]" },
	{ "clock_rate_unsupported.cfg", ":3: rate=1500 is not a supported rate" },
	/* duplicate ids */
	{ "dup_device_id.cfg", ":4: duplicate device id 2" },
	/* bad references */
	{ "bad_clock_parent.cfg", ":4: parents: 9 is not another clock (0..1)" },
	{ "device_bad_clock.cfg", ":5: device 'd1': clock 4 does not exist" },
	{ "pin_group_bad_pin.cfg", ":4: 'pins': unknown pin 'p7'" },
	{ "powercap_parent_loop.cfg", ":3: powercap 'z0': parent chain loops" },
};

static void test_broken_files(void **state)
{
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		char path[256], want[512];
		struct cap cp;
		struct plat_desc *d;

		snprintf(path, sizeof(path), DATA "%s", broken[i].file);
		snprintf(want, sizeof(want), "%s%s", path, broken[i].expect);
		cap_open(&cp);
		d = plat_desc_load(path, cp.f);
		const char *out = cap_close(&cp);

		if (d || strncmp(out, want, strlen(want)))
			fail_msg("%s: expected first error \"%s\", got \"%s\"", path, want, out);
		plat_desc_free(d);
		free(cp.buf);
	}
}

/* Every file of the set is in the table above (none is silently skipped). */
static void test_broken_set_complete(void **state)
{
	DIR *d = opendir(DATA);
	struct dirent *e;
	unsigned files = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		bool listed = false;

		if (n < 4 || strcmp(e->d_name + n - 4, ".cfg") || !strcmp(e->d_name, "good.cfg"))
			continue;
		for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
			listed |= !strcmp(broken[i].file, e->d_name);
		if (!listed)
			fail_msg(DATA "%s is not in the broken[] table", e->d_name);
		files++;
	}
	closedir(d);
	assert_int_equal(files, sizeof(broken) / sizeof(broken[0]));
}

static void test_good_file(void **state)
{
	struct plat_desc *d = plat_desc_load(DATA "good.cfg", stderr);

	assert_non_null(d);
	assert_string_equal(d->vendor, "Vend#or");
	assert_string_equal(d->sub_vendor, "sub");
	assert_int_equal(d->impl_version, 0x20003);
	assert_true(d->system_suspend);
	assert_int_equal(d->nagents, 2);
	/* stored by id */
	assert_string_equal(d->agents[0].name, "mgr");
	assert_true(d->agents[0].trusted);
	assert_string_equal(d->agents[1].name, "guest");
	assert_false(d->agents[1].trusted);
	assert_true(d->agents[1].all_devices);
	assert_int_equal(d->npower, 2);
	assert_true(d->power[0].async);
	assert_true(d->power[0].sync);
	assert_int_equal(d->power[0].state, SCMI_POWER_STATE_ON);
	assert_false(d->power[1].notify);
	assert_int_equal(d->power[1].state, 0x40000003);
	assert_int_equal(d->ndevices, 1);
	assert_int_equal(d->devices[0].id, 4);
	assert_int_equal(d->devices[0].npower, 1);
	assert_int_equal(d->devices[0].power[0], 1);
	assert_true(d->protocols_mask & PD_PROTO_BIT(SCMI_PROTO_POWER));
	assert_true(d->protocols_mask & PD_PROTO_BIT(SCMI_PROTO_SYSTEM));
	plat_desc_free(d);
}

static void test_proto_names(void **state)
{
	assert_int_equal(plat_desc_proto_id("base"), SCMI_PROTO_BASE);
	assert_int_equal(plat_desc_proto_id("pinctrl"), SCMI_PROTO_PINCTRL);
	assert_int_equal(plat_desc_proto_id("nope"), -1);
	assert_string_equal(plat_desc_proto_name(SCMI_PROTO_CLOCK), "clock");
	assert_null(plat_desc_proto_name(0x1a));
	assert_null(plat_desc_proto_name(0x0f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_lines),
		cmocka_unit_test(test_getter_errors),
		cmocka_unit_test(test_check_keys),
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_broken_files),
		cmocka_unit_test(test_broken_set_complete),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_proto_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
