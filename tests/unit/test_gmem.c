// SPDX-License-Identifier: GPL-2.0-only
/* Region-table guest memory: bounds, wrap-around, protection, table rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mediator/virtio/gmem.h"

static uint8_t ram_a[4096], ram_b[4096], rom[1024];

static void setup_table(struct gmem_regions *t)
{
	struct gmem_region a = { .gpa = 0x10000, .size = sizeof(ram_a), .uaddr = 0x7000000,
				 .hva = ram_a };
	struct gmem_region b = { .gpa = 0x11000, .size = sizeof(ram_b), .uaddr = 0x9000000,
				 .hva = ram_b };
	struct gmem_region r = { .gpa = 0x20000, .size = sizeof(rom), .hva = rom,
				 .readonly = true };

	gmem_regions_init(t);
	assert_int_equal(gmem_regions_add(t, &a), 0);
	assert_int_equal(gmem_regions_add(t, &b), 0);
	assert_int_equal(gmem_regions_add(t, &r), 0);
}

static void test_inside(void **state)
{
	struct gmem_regions t;

	(void)state;
	setup_table(&t);
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 1, GMEM_READ), ram_a);
	assert_ptr_equal(gmem_get(&t.gm, 0x10010, 16, GMEM_WRITE), ram_a + 0x10);
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 4096, GMEM_READ | GMEM_WRITE), ram_a);
	assert_ptr_equal(gmem_get(&t.gm, 0x10fff, 1, GMEM_READ), ram_a + 4095);
	assert_ptr_equal(gmem_get(&t.gm, 0x11000, 8, GMEM_READ), ram_b);
	gmem_put(&t.gm, ram_a, 1);   /* no-op for regions, must not crash */
}

static void test_outside(void **state)
{
	struct gmem_regions t;

	(void)state;
	setup_table(&t);
	assert_null(gmem_get(&t.gm, 0xffff, 1, GMEM_READ));
	assert_null(gmem_get(&t.gm, 0xffff, 2, GMEM_READ));          /* starts before */
	assert_null(gmem_get(&t.gm, 0x12000, 1, GMEM_READ));         /* just past b */
	assert_null(gmem_get(&t.gm, 0x11fff, 2, GMEM_READ));         /* runs past end */
	/* adjacent regions are separate mappings: no range may span both */
	assert_null(gmem_get(&t.gm, 0x10ff0, 32, GMEM_READ));
	assert_null(gmem_get(&t.gm, 0x10000, 0, GMEM_READ));         /* empty */
	assert_null(gmem_get(&t.gm, 0x10000, 4, 0));                 /* no access */
	assert_null(gmem_get(&t.gm, 0x10000, 4, 8));                 /* unknown prot */
	assert_null(gmem_get(NULL, 0x10000, 4, GMEM_READ));
}

static void test_wrap(void **state)
{
	struct gmem_regions t;
	static uint8_t top[64];
	struct gmem_region hi = { .gpa = UINT64_MAX - 127, .size = 64, .hva = top };
	struct gmem_region wraps = { .gpa = UINT64_MAX - 63, .size = 64, .hva = top };

	(void)state;
	setup_table(&t);
	assert_null(gmem_get(&t.gm, UINT64_MAX, 2, GMEM_READ));
	assert_null(gmem_get(&t.gm, 0x10000, SIZE_MAX, GMEM_READ));
	assert_null(gmem_get(&t.gm, UINT64_MAX - 0xf, 0x20, GMEM_READ));
	/* a region ending exactly at 2^64 would wrap: refused */
	assert_int_equal(gmem_regions_add(&t, &wraps), -1);
	assert_int_equal(gmem_regions_add(&t, &hi), 0);
	assert_ptr_equal(gmem_get(&t.gm, UINT64_MAX - 127, 64, GMEM_READ), top);
	assert_null(gmem_get(&t.gm, UINT64_MAX - 127, 65, GMEM_READ));
	assert_null(gmem_get(&t.gm, UINT64_MAX - 64, UINT64_MAX, GMEM_READ));
	/* the ops directly (skipping the inline wrap check) must hold too */
	assert_null(t.gm.ops->get(&t.gm, UINT64_MAX - 100, 200, GMEM_READ));
	assert_null(t.gm.ops->get(&t.gm, 0x10010, UINT64_MAX - 8, GMEM_READ));
}

static void test_readonly(void **state)
{
	struct gmem_regions t;

	(void)state;
	setup_table(&t);
	assert_ptr_equal(gmem_get(&t.gm, 0x20000, 16, GMEM_READ), rom);
	assert_null(gmem_get(&t.gm, 0x20000, 16, GMEM_WRITE));
	assert_null(gmem_get(&t.gm, 0x20000, 16, GMEM_READ | GMEM_WRITE));
}

static void test_add_rules(void **state)
{
	struct gmem_regions t;
	struct gmem_region r = { .gpa = 0x10800, .size = 16, .hva = ram_a };
	unsigned i;

	(void)state;
	setup_table(&t);
	assert_int_equal(gmem_regions_add(&t, &r), -1);          /* overlaps a */
	r.gpa = 0xff00;
	r.size = 0x101;
	assert_int_equal(gmem_regions_add(&t, &r), -1);          /* overlaps a's start */
	r.gpa = 0x30000;
	r.size = 0;
	assert_int_equal(gmem_regions_add(&t, &r), -1);          /* empty */
	r.size = 16;
	r.hva = NULL;
	assert_int_equal(gmem_regions_add(&t, &r), -1);          /* no mapping */
	r.hva = ram_a;
	r.uaddr = 0x7000010;                                     /* uaddr overlaps a */
	assert_int_equal(gmem_regions_add(&t, &r), -1);
	r.uaddr = UINT64_MAX - 4;                                /* uaddr wraps */
	assert_int_equal(gmem_regions_add(&t, &r), -1);
	assert_int_equal(gmem_regions_add(&t, NULL), -1);
	r.uaddr = 0;
	for (i = t.n; i < GMEM_MAX_REGIONS; i++) {
		r.gpa = 0x100000 + (uint64_t)i * 0x1000;
		assert_int_equal(gmem_regions_add(&t, &r), 0);
	}
	r.gpa = 0x900000;
	assert_int_equal(gmem_regions_add(&t, &r), -1);          /* table full */
	gmem_regions_clear(&t);
	assert_int_equal(t.n, 0);
	assert_null(gmem_get(&t.gm, 0x10000, 1, GMEM_READ));
	assert_int_equal(gmem_regions_add(&t, &r), 0);
}

static void test_uaddr(void **state)
{
	struct gmem_regions t;

	(void)state;
	setup_table(&t);
	assert_ptr_equal(gmem_regions_uaddr(&t, 0x7000000, 4096), ram_a);
	assert_ptr_equal(gmem_regions_uaddr(&t, 0x9000100, 16), ram_b + 0x100);
	assert_null(gmem_regions_uaddr(&t, 0x7000001, 4096));
	assert_null(gmem_regions_uaddr(&t, 0x6ffffff, 2));
	assert_null(gmem_regions_uaddr(&t, 0x7000000, 0));
	assert_null(gmem_regions_uaddr(&t, UINT64_MAX - 1, 4));
	/* regions without a user address (rom) are not found by uaddr 0 */
	assert_null(gmem_regions_uaddr(&t, 0, 16));
}

/* ---- lookup cache ------------------------------------------------------- */
/* A hit caches its region; the cache must not widen what gmem_get allows. */
static void test_cache_fill(void **state)
{
	struct gmem_regions t;

	(void)state;
	setup_table(&t);
	assert_int_equal(t.gm.cache.size, 0);
	assert_ptr_equal(gmem_get(&t.gm, 0x10010, 4, GMEM_READ), ram_a + 0x10);
	assert_int_equal(t.gm.cache.gpa, 0x10000);
	assert_int_equal(t.gm.cache.size, sizeof(ram_a));
	assert_ptr_equal(t.gm.cache.hva, ram_a);
	assert_int_equal(t.gm.cache.prot, GMEM_READ | GMEM_WRITE);
	/* hits in the cached region */
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 4096, GMEM_WRITE), ram_a);
	assert_ptr_equal(gmem_get(&t.gm, 0x10fff, 1, GMEM_READ | GMEM_WRITE), ram_a + 4095);
	/* another region: found through the table, and cached instead */
	assert_ptr_equal(gmem_get(&t.gm, 0x11800, 8, GMEM_READ), ram_b + 0x800);
	assert_int_equal(t.gm.cache.gpa, 0x11000);
	assert_ptr_equal(t.gm.cache.hva, ram_b);
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 8, GMEM_READ), ram_a);
}

/* Every refusal of test_outside/test_wrap, with the cache primed on the
 * region next to the bad range. */
static void test_cache_bounds(void **state)
{
	struct gmem_regions t;
	static uint8_t top[64];
	struct gmem_region hi = { .gpa = UINT64_MAX - 127, .size = 64, .hva = top };

	(void)state;
	setup_table(&t);
	assert_non_null(gmem_get(&t.gm, 0x10000, 1, GMEM_READ));          /* cache: a */
	assert_null(gmem_get(&t.gm, 0xffff, 1, GMEM_READ));               /* below */
	assert_null(gmem_get(&t.gm, 0xffff, 2, GMEM_READ));               /* starts before */
	assert_null(gmem_get(&t.gm, 0x10ff0, 32, GMEM_READ));             /* a into b */
	assert_null(gmem_get(&t.gm, 0x10fff, 2, GMEM_READ));
	assert_null(gmem_get(&t.gm, 0x10000, 4097, GMEM_READ));           /* longer than a */
	assert_null(gmem_get(&t.gm, 0x10000, 0, GMEM_READ));              /* empty */
	assert_null(gmem_get(&t.gm, 0x10000, 4, 0));                      /* no access */
	assert_null(gmem_get(&t.gm, 0x10000, 4, 8));                      /* unknown prot */
	assert_null(gmem_get(&t.gm, 0x10000, SIZE_MAX, GMEM_READ));       /* wraps */
	assert_null(gmem_get(&t.gm, 0x10800, UINT64_MAX - 0x7ff, GMEM_READ));
	assert_int_equal(t.gm.cache.gpa, 0x10000);                       /* still a */
	assert_non_null(gmem_get(&t.gm, 0x11000, 1, GMEM_READ));          /* cache: b */
	assert_null(gmem_get(&t.gm, 0x11fff, 2, GMEM_READ));              /* past b */
	assert_null(gmem_get(&t.gm, 0x12000, 1, GMEM_READ));
	assert_null(gmem_get(&t.gm, 0x10fff, 2, GMEM_READ));              /* a into b */
	/* a region just below 2^64 */
	assert_int_equal(gmem_regions_add(&t, &hi), 0);
	assert_ptr_equal(gmem_get(&t.gm, UINT64_MAX - 127, 64, GMEM_READ), top);
	assert_int_equal(t.gm.cache.gpa, UINT64_MAX - 127);
	assert_null(gmem_get(&t.gm, UINT64_MAX - 127, 65, GMEM_READ));
	assert_null(gmem_get(&t.gm, UINT64_MAX - 64, 2, GMEM_READ));
	assert_null(gmem_get(&t.gm, UINT64_MAX - 0xf, 0x20, GMEM_READ));
	assert_null(gmem_get(&t.gm, UINT64_MAX, 1, GMEM_READ));
	assert_null(gmem_get(&t.gm, 0, 1, GMEM_READ));                    /* off wraps */
}

/* A read-only region is cached read-only. */
static void test_cache_readonly(void **state)
{
	struct gmem_regions t;

	(void)state;
	setup_table(&t);
	assert_ptr_equal(gmem_get(&t.gm, 0x20000, 16, GMEM_READ), rom);
	assert_int_equal(t.gm.cache.gpa, 0x20000);
	assert_int_equal(t.gm.cache.prot, GMEM_READ);
	assert_null(gmem_get(&t.gm, 0x20000, 16, GMEM_WRITE));
	assert_null(gmem_get(&t.gm, 0x20010, 1, GMEM_READ | GMEM_WRITE));
	assert_ptr_equal(gmem_get(&t.gm, 0x20100, 4, GMEM_READ), rom + 0x100);
}

/* Clearing the table (a new vhost-user memory table) empties the cache:
 * a stale entry must not resolve addresses to the old mapping. */
static void test_cache_cleared_on_clear(void **state)
{
	struct gmem_regions t;
	struct gmem_region moved = { .gpa = 0x10000, .size = sizeof(ram_b), .hva = ram_b };

	(void)state;
	setup_table(&t);
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 8, GMEM_WRITE), ram_a);
	assert_int_equal(t.gm.cache.size, sizeof(ram_a));
	gmem_regions_clear(&t);
	assert_int_equal(t.gm.cache.size, 0);
	assert_null(gmem_get(&t.gm, 0x10000, 8, GMEM_WRITE));
	assert_null(gmem_get(&t.gm, 0x10000, 8, GMEM_READ));
	/* the same guest range now mapped elsewhere, and read-only */
	moved.readonly = true;
	assert_int_equal(gmem_regions_add(&t, &moved), 0);
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 8, GMEM_READ), ram_b);
	assert_null(gmem_get(&t.gm, 0x10000, 8, GMEM_WRITE));
	gmem_regions_clear(&t);
	moved.readonly = false;
	moved.hva = ram_a;
	assert_int_equal(gmem_regions_add(&t, &moved), 0);
	assert_ptr_equal(gmem_get(&t.gm, 0x10000, 8, GMEM_WRITE), ram_a);
}

/* Adding a region empties the cache too (and a refused add changes
 * nothing). */
static void test_cache_cleared_on_add(void **state)
{
	struct gmem_regions t;
	struct gmem_region r = { .gpa = 0x30000, .size = 16, .hva = ram_a };
	struct gmem_region bad = { .gpa = 0x10800, .size = 16, .hva = ram_b };

	(void)state;
	setup_table(&t);
	assert_non_null(gmem_get(&t.gm, 0x11000, 8, GMEM_READ));
	assert_int_equal(t.gm.cache.size, sizeof(ram_b));
	assert_int_equal(gmem_regions_add(&t, &bad), -1);
	assert_int_equal(t.gm.cache.gpa, 0x11000);
	assert_int_equal(gmem_regions_add(&t, &r), 0);
	assert_int_equal(t.gm.cache.size, 0);
	assert_ptr_equal(gmem_get(&t.gm, 0x30008, 8, GMEM_READ), ram_a + 8);
	assert_null(gmem_get(&t.gm, 0x30008, 9, GMEM_READ));
	assert_ptr_equal(gmem_get(&t.gm, 0x11000, 8, GMEM_READ), ram_b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_outside),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_add_rules),
		cmocka_unit_test(test_uaddr),
		cmocka_unit_test(test_cache_fill),
		cmocka_unit_test(test_cache_bounds),
		cmocka_unit_test(test_cache_readonly),
		cmocka_unit_test(test_cache_cleared_on_clear),
		cmocka_unit_test(test_cache_cleared_on_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
