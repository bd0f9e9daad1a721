// SPDX-License-Identifier: GPL-2.0-only
/*
 * tools/client/scmi_format: layout splitting, argument building, printing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tools/client/scmi_format.h"
#include "mediator/scmi_msg.h"

static void test_fields(void **state)
{
	struct scmi_field f[8];

	assert_int_equal(scmi_layout_fields("flags:u32 id:u32 rate:u64", f, 8), 3);
	assert_string_equal(f[2].name, "rate");
	assert_int_equal(f[2].type, SCMI_FT_U64);
	assert_int_equal(f[2].size, 8);
	assert_int_equal(scmi_layout_fields("  attr:u32  name:str16 ", f, 8), 2);
	assert_int_equal(f[1].type, SCMI_FT_STR16);
	assert_int_equal(scmi_layout_fields("n:u32 rates[]:u32", f, 8), 2);
	assert_true(f[1].array);
	assert_string_equal(f[1].name, "rates");
	assert_int_equal(scmi_layout_fields("", f, 8), 0);
	assert_int_equal(scmi_layout_fields(NULL, f, 8), 0);
	/* malformed */
	assert_int_equal(scmi_layout_fields("x:u16", f, 8), -1);
	assert_int_equal(scmi_layout_fields("x", f, 8), -1);
	assert_int_equal(scmi_layout_fields(":u32", f, 8), -1);
	assert_int_equal(scmi_layout_fields("a[]:u32 b:u32", f, 8), -1);
	assert_int_equal(scmi_layout_fields("a[]:u64", f, 8), -1);
	assert_int_equal(scmi_layout_fields("a:u16", f, 8), -1);
	assert_int_equal(scmi_layout_fields("a:u32 b[]:u16", f, 8), 2);
	assert_int_equal(f[1].size, 2);
	assert_int_equal(scmi_layout_fields("b[]:u8", f, 8), 1);
	assert_int_equal(scmi_layout_fields("a:u32 b:u32 c:u32", f, 2), -1);
}

static void test_parse(void **state)
{
	uint64_t v;

	assert_int_equal(scmi_parse_u64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(scmi_parse_u64("0x1F", &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(scmi_parse_u64("-1", &v), 0);
	assert_int_equal((int64_t)v, -1);
	assert_int_equal(scmi_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(scmi_parse_u64("", &v), -1);
	assert_int_equal(scmi_parse_u64("12x", &v), -1);
	assert_int_equal(scmi_parse_u64("abc", &v), -1);
	assert_int_equal(scmi_parse_u64("-", &v), -1);
	assert_int_equal(scmi_parse_u64("99999999999999999999", &v), -1);
}

static void test_build(void **state)
{
	uint8_t buf[64];
	char err[128];
	char *a1[] = { "1", "3", "0x100000000" };
	char *a2[] = { "7", "1", "2", "3" };
	char *a3[] = { "1", "2" };
	char *a4[] = { "0x100000000" };
	char *a5[] = { "-5", "hello" };
	char *a6[] = { "nope" };

	assert_int_equal(scmi_fmt_build("flags:u32 id:u32 rate:u64", 3, a1, buf, sizeof(buf),
					err, sizeof(err)), 16);
	assert_int_equal(scmi_get_le32(buf), 1);
	assert_int_equal(scmi_get_le32(buf + 4), 3);
	assert_true(scmi_get_le64(buf + 8) == 0x100000000ull);

	assert_int_equal(scmi_fmt_build("id:u32 w[]:u32", 4, a2, buf, sizeof(buf),
					err, sizeof(err)), 16);
	assert_int_equal(scmi_get_le32(buf + 12), 3);
	assert_int_equal(scmi_fmt_build("id:u32 w[]:u32", 1, a2, buf, sizeof(buf),
					err, sizeof(err)), 4);
	/* array needs room */
	assert_int_equal(scmi_fmt_build("id:u32 w[]:u32", 4, a2, buf, 8, err, sizeof(err)), -1);

	/* wrong counts */
	assert_int_equal(scmi_fmt_build("id:u32", 2, a3, buf, sizeof(buf), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "expected 1 argument"));
	assert_int_equal(scmi_fmt_build("a:u32 b:u32 c:u32", 2, a3, buf, sizeof(buf),
					err, sizeof(err)), -1);
	assert_int_equal(scmi_fmt_build("", 0, NULL, buf, sizeof(buf), err, sizeof(err)), 0);

	/* range and syntax */
	assert_int_equal(scmi_fmt_build("id:u32", 1, a4, buf, sizeof(buf), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "32 bits"));
	assert_int_equal(scmi_fmt_build("id:u32", 1, a6, buf, sizeof(buf), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a number"));

	assert_int_equal(scmi_fmt_build("lvl:i32 name:str16", 2, a5, buf, sizeof(buf),
					err, sizeof(err)), 20);
	assert_int_equal((int32_t)scmi_get_le32(buf), -5);
	assert_memory_equal(buf + 4, "hello\0\0\0\0\0\0\0\0\0\0\0", 16);

	{
		char *a7[] = { "1", "0x1234", "0xffff" };
		char *a8[] = { "0x10000" };

		assert_int_equal(scmi_fmt_build("n:u32 h[]:u16", 3, a7, buf, sizeof(buf),
						err, sizeof(err)), 8);
		assert_int_equal(buf[4], 0x34);
		assert_int_equal(buf[5], 0x12);
		assert_int_equal(buf[7], 0xff);
		assert_int_equal(scmi_fmt_build("h[]:u16", 1, a8, buf, sizeof(buf),
						err, sizeof(err)), -1);
		assert_int_equal(scmi_fmt_build("h[]:u8", 1, a8, buf, sizeof(buf),
						err, sizeof(err)), -1);
	}
}

static char *print_to_string(const char *layout, const uint8_t *buf, size_t len, bool json)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	scmi_fmt_print(f, layout, buf, len, json, "  ");
	fclose(f);
	return s;
}

static void test_print(void **state)
{
	uint8_t b[40] = { 0 };
	char *s;

	scmi_put_le32(b, 0x20000001);
	memcpy(b + 4, "clk\"0", 5);
	scmi_put_le64(b + 20, 24000000);

	s = print_to_string("attributes:u32 name:str16 rate:u64", b, 28, false);
	assert_string_equal(s, "  attributes: 536870913 (0x20000001)\n  name: \"clk\"0\"\n"
			       "  rate: 24000000 (0x16e3600)\n");
	free(s);
	s = print_to_string("attributes:u32 name:str16 rate:u64", b, 28, true);
	assert_string_equal(s, "{\"attributes\": 536870913, \"name\": \"clk\\\"0\", "
			       "\"rate\": 24000000}");
	free(s);

	/* short response: the missing fields are named */
	s = print_to_string("attributes:u32 name:str16 rate:u64", b, 20, false);
	assert_non_null(strstr(s, "short by 8 bytes: no rate"));
	free(s);
	s = print_to_string("attributes:u32 name:str16 rate:u64", b, 20, true);
	assert_non_null(strstr(s, "\"_missing\": [\"rate\"]"));
	free(s);

	/* trailing bytes and arrays */
	s = print_to_string("a:u32", b, 9, true);
	assert_string_equal(s, "{\"a\": 536870913, \"_extra\": [577465443, 48]}");
	free(s);
	s = print_to_string("n:u32 w[]:u32", b, 12, true);
	assert_string_equal(s, "{\"n\": 536870913, \"w\": [577465443, 48]}");
	free(s);
	s = print_to_string("n:u32 w[]:u32", b, 12, false);
	assert_string_equal(s, "  n: 536870913 (0x20000001)\n"
			       "  w[2]: 577465443 (0x226b6c63) 48 (0x30)\n");
	free(s);
	s = print_to_string("n:u32 h[]:u16", b, 8, true);
	assert_string_equal(s, "{\"n\": 536870913, \"h\": [27747, 8811]}");
	free(s);
	s = print_to_string("b[]:u8", b + 4, 3, false);
	assert_string_equal(s, "  b[3]: 99 (0x63) 108 (0x6c) 107 (0x6b)\n");
	free(s);
	s = print_to_string(NULL, b, 4, false);
	assert_string_equal(s, "  4 bytes: 0x20000001\n");
	free(s);
	s = print_to_string("lvl:i32", (const uint8_t *)"\xfb\xff\xff\xff", 4, true);
	assert_string_equal(s, "{\"lvl\": -5}");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
