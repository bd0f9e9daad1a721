// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the Xen frontend's guest-memory mappings (xen/gmap.c) with
 * a fake mapper standing in for libxengnttab / libxenforeignmemory: the
 * address encodings (grant bit 63 + ref << 12, guest RAM banks), bounds,
 * read-only vs writable mappings, the cache (hits, chunking, LRU eviction,
 * pinned entries never evicted), grant mappings released at the last put,
 * invalidation and teardown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "xen/gmap.h"

/* The fake guest: frame f holds bytes (f & 0xff) ^ offset-pattern. Frames
 * listed in bad[] cannot be mapped. Each map() allocates a fresh buffer so
 * that ASan catches use after unmap. */
struct fake_mapper {
	unsigned maps, unmaps, live;
	unsigned last_n;
	bool last_writable;
	uint64_t last_f0;
	uint64_t bad[4];
	unsigned n_bad;
	bool fail_all;
};

static uint8_t pattern(uint64_t frame, unsigned off)
{
	return (uint8_t)(frame * 7 + off);
}

static void *fm_map(void *o, const uint64_t *frames, unsigned n, bool writable, int *err)
{
	struct fake_mapper *m = o;
	uint8_t *buf;

	if (m->fail_all)
		return NULL;
	buf = malloc((size_t)n * GMAP_PAGE_SIZE);
	assert_non_null(buf);
	for (unsigned i = 0; i < n; i++) {
		err[i] = 0;
		for (unsigned j = 0; j < m->n_bad; j++)
			if (frames[i] == m->bad[j])
				err[i] = -14;
		for (unsigned b = 0; b < GMAP_PAGE_SIZE; b++)
			buf[(size_t)i * GMAP_PAGE_SIZE + b] = pattern(frames[i], b);
		if (i)
			assert_true(frames[i] == frames[i - 1] + 1);
	}
	m->maps++;
	m->live++;
	m->last_n = n;
	m->last_f0 = frames[0];
	m->last_writable = writable;
	return buf;
}

static void fm_unmap(void *o, void *addr, unsigned n)
{
	struct fake_mapper *m = o;

	assert_non_null(addr);
	assert_int_not_equal(m->live, 0);
	m->unmaps++;
	m->live--;
	free(addr);
}

static const struct gmap_mapper_ops fm_ops = { .map = fm_map, .unmap = fm_unmap };

struct fx {
	struct fake_mapper m;
	struct gmap g;
};

static int setup_grant(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	struct gmap_params p;

	gmap_default_params(&p, GMAP_GRANT);
	p.max_entries = 4;
	p.max_grant_ref = 1000;
	assert_int_equal(gmap_init(&f->g, &p, &fm_ops, &f->m), 0);
	*state = f;
	return 0;
}

static int setup_foreign(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	struct gmap_params p;

	gmap_default_params(&p, GMAP_FOREIGN);
	p.max_entries = 3;
	p.chunk_pages = 4;
	p.max_pages = 8;
	assert_int_equal(gmap_init(&f->g, &p, &fm_ops, &f->m), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	gmap_release_all(&f->g);
	assert_int_equal(f->m.live, 0);
	assert_int_equal(gmap_mapped(&f->g), 0);
	test_free(f);
	return 0;
}

#define GADDR(ref, off) (GMAP_GRANT_ADDR_BIT | ((uint64_t)(ref) << 12) | (off))

static void test_grant_address_decoding(void **state)
{
	struct fx *f = *state;
	uint8_t *p;

	/* ref 5, offset 0x123, 16 bytes: one page, read-only. */
	p = gmem_get(&f->g.gm, GADDR(5, 0x123), 16, GMEM_READ);
	assert_non_null(p);
	assert_int_equal(p[0], pattern(5, 0x123));
	assert_int_equal(p[15], pattern(5, 0x132));
	assert_true(f->m.last_f0 == 5);
	assert_int_equal(f->m.last_n, 1);
	assert_false(f->m.last_writable);
	gmem_put(&f->g.gm, p, 16);

	/* A buffer crossing into the next page: refs 7 and 8 contiguous. */
	p = gmem_get(&f->g.gm, GADDR(7, 0xff8), 16, GMEM_WRITE);
	assert_non_null(p);
	assert_int_equal(f->m.last_n, 2);
	assert_true(f->m.last_writable);
	assert_int_equal(p[7], pattern(7, 0xfff));
	assert_int_equal(p[8], pattern(8, 0));
	gmem_put(&f->g.gm, p, 16);
}

static void test_grant_refused(void **state)
{
	struct fx *f = *state;

	/* No bit 63: not a grant address. */
	assert_null(gmem_get(&f->g.gm, 0x40001000, 16, GMEM_READ));
	/* Reference beyond the table (1000 refs). */
	assert_null(gmem_get(&f->g.gm, GADDR(1000, 0), 4, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, GADDR(999, 0xffc), 8, GMEM_READ));
	/* Too many pages for one mapping (16). */
	assert_null(gmem_get(&f->g.gm, GADDR(10, 0), 17 * 4096, GMEM_READ));
	/* Wrapping around the address space. */
	assert_null(gmem_get(&f->g.gm, ~0ull - 2, 8, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, GADDR(1, 0), 0, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->refused, 4);
	assert_int_equal(f->m.maps, 0);
	/* Mapper failure: NULL, nothing held. */
	f->m.bad[f->m.n_bad++] = 3;
	assert_null(gmem_get(&f->g.gm, GADDR(2, 0), 8192, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->map_failures, 1);
	assert_int_equal(f->m.live, 0);
	assert_int_equal(gmap_mapped(&f->g), 0);
}

/* Grants are unmapped at the last put: the guest revokes them when it
 * gets the buffer back. Overlapping gets share a live mapping. */
static void test_grant_released_at_last_put(void **state)
{
	struct fx *f = *state;
	uint8_t *a, *b;

	a = gmem_get(&f->g.gm, GADDR(20, 0), 64, GMEM_READ);
	b = gmem_get(&f->g.gm, GADDR(20, 64), 64, GMEM_READ);
	assert_non_null(a);
	assert_ptr_equal(b, a + 64);
	assert_int_equal(f->m.maps, 1);
	assert_int_equal(gmap_stats(&f->g)->hits, 1);
	gmem_put(&f->g.gm, a, 64);
	assert_int_equal(f->m.live, 1);
	gmem_put(&f->g.gm, b, 64);
	assert_int_equal(f->m.live, 0);
	assert_int_equal(gmap_mapped(&f->g), 0);

	/* A read-only mapping does not serve a write. */
	a = gmem_get(&f->g.gm, GADDR(30, 0), 8, GMEM_READ);
	b = gmem_get(&f->g.gm, GADDR(30, 0), 8, GMEM_WRITE);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(f->m.maps, 3);
	/* ...but a writable one serves a read. */
	gmem_put(&f->g.gm, a, 8);
	a = gmem_get(&f->g.gm, GADDR(30, 8), 8, GMEM_READ);
	assert_ptr_equal(a, b + 8);
	gmem_put(&f->g.gm, a, 8);
	gmem_put(&f->g.gm, b, 8);
	assert_int_equal(f->m.live, 0);

	/* A put of a pointer we never handed out is counted, harmless. */
	gmem_put(&f->g.gm, &f->m, 4);
	assert_int_equal(gmap_stats(&f->g)->bad_put, 1);
}

/* Pinned mappings (rings) stay; a full table of pinned mappings refuses
 * new ones instead of evicting. */
static void test_grant_pinned_table_full(void **state)
{
	struct fx *f = *state;
	uint8_t *p[4];

	for (unsigned i = 0; i < 4; i++)
		assert_non_null(p[i] = gmem_get(&f->g.gm, GADDR(100 + 10 * i, 0), 4096,
						 GMEM_READ | GMEM_WRITE));
	assert_int_equal(gmap_pinned(&f->g), 4);
	assert_null(gmem_get(&f->g.gm, GADDR(200, 0), 16, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->table_full, 1);
	gmem_put(&f->g.gm, p[2], 4096);
	assert_non_null(p[2] = gmem_get(&f->g.gm, GADDR(200, 0), 16, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->evictions, 0);
	/* Invalidate: pinned ones survive until their put, then go. */
	gmap_invalidate(&f->g);
	assert_int_equal(gmap_mapped(&f->g), 4);
	gmem_put(&f->g.gm, p[0], 4096);
	assert_int_equal(gmap_mapped(&f->g), 3);
	/* A stale mapping is not reused: a new get maps afresh. */
	unsigned maps = f->m.maps;
	uint8_t *q = gmem_get(&f->g.gm, GADDR(110, 0), 8, GMEM_READ);
	assert_non_null(q);
	assert_ptr_not_equal(q, p[1]);
	assert_int_equal(f->m.maps, maps + 1);
	gmem_put(&f->g.gm, q, 8);
}

static void test_foreign_bounds(void **state)
{
	struct fx *f = *state;

	/* Below RAM (the virtio-mmio window, the GIC), grant addresses,
	 * straddling the end of bank 0, past bank 1. */
	assert_null(gmem_get(&f->g.gm, 0x02000000, 4, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, 0x3ffffffc, 8, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, GADDR(1, 0), 8, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, 0xfffffff8ull, 16, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, 0x0200000000ull + 0xfe00000000ull, 4, GMEM_READ));
	assert_null(gmem_get(&f->g.gm, 0x40000000, 9 * 4096, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->refused, 6);
	assert_int_equal(f->m.maps, 0);
}

/* Foreign mappings are chunked (4 pages here), cached after put, and the
 * least recently used unpinned chunk is evicted when the table is full. */
static void test_foreign_cache_lru(void **state)
{
	struct fx *f = *state;
	uint64_t base = 0x40000000;
	uint8_t *p;

	p = gmem_get(&f->g.gm, base + 0x1010, 32, GMEM_READ);
	assert_non_null(p);
	assert_true(f->m.last_f0 == 0x40000);       /* chunk start */
	assert_int_equal(f->m.last_n, 4);
	assert_int_equal(p[0], pattern(0x40001, 0x10));
	gmem_put(&f->g.gm, p, 32);
	assert_int_equal(f->m.live, 1);              /* cached */

	/* Same chunk, other page: hit. */
	p = gmem_get(&f->g.gm, base + 0x3000, 8, GMEM_READ);
	assert_int_equal(p[0], pattern(0x40003, 0));
	gmem_put(&f->g.gm, p, 8);
	assert_int_equal(f->m.maps, 1);
	assert_int_equal(gmap_stats(&f->g)->hits, 1);

	/* Chunks 1 and 2, then touch chunk 0 so chunk 1 is the LRU. */
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0x4000, 8, GMEM_READ), 8);
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0x8000, 8, GMEM_READ), 8);
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0x0000, 8, GMEM_READ), 8);
	assert_int_equal(f->m.maps, 3);
	/* Chunk 3 evicts chunk 1. */
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0xc000, 8, GMEM_READ), 8);
	assert_int_equal(gmap_stats(&f->g)->evictions, 1);
	assert_int_equal(f->m.live, 3);
	unsigned maps = f->m.maps;
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0x0000, 8, GMEM_READ), 8);
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0x8000, 8, GMEM_READ), 8);
	assert_int_equal(f->m.maps, maps);           /* 0 and 2 still cached */
	gmem_put(&f->g.gm, gmem_get(&f->g.gm, base + 0x4000, 8, GMEM_READ), 8);
	assert_int_equal(f->m.maps, maps + 1);       /* 1 was evicted */

	/* A buffer crossing chunks 0/1 maps both chunks (8 pages). */
	p = gmem_get(&f->g.gm, base + 0x3ff0, 32, GMEM_WRITE);
	assert_non_null(p);
	assert_int_equal(f->m.last_n, 8);
	assert_int_equal(p[16], pattern(0x40004, 0));
	gmem_put(&f->g.gm, p, 32);

	/* Invalidate drops every cached (unpinned) mapping. */
	gmap_invalidate(&f->g);
	assert_int_equal(f->m.live, 0);
}

/* A chunk touching an unmappable frame falls back to the exact pages. */
static void test_foreign_chunk_fallback(void **state)
{
	struct fx *f = *state;
	uint8_t *p;

	f->m.bad[f->m.n_bad++] = 0x40013;
	p = gmem_get(&f->g.gm, 0x40010000, 8, GMEM_READ);
	assert_non_null(p);
	assert_true(f->m.last_f0 == 0x40010);
	assert_int_equal(f->m.last_n, 1);
	assert_int_equal(p[0], pattern(0x40010, 0));
	gmem_put(&f->g.gm, p, 8);
	/* The bad frame itself: fails. */
	assert_null(gmem_get(&f->g.gm, 0x40013000, 8, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->map_failures, 1);
	assert_int_equal(f->m.live, 1);
	f->m.fail_all = true;
	assert_null(gmem_get(&f->g.gm, 0x50000000, 8, GMEM_READ));
	assert_int_equal(gmap_stats(&f->g)->map_failures, 2);
}

static void test_init_params(void **state)
{
	struct gmap g;
	struct gmap_params p;

	gmap_default_params(&p, GMAP_FOREIGN);
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), 0);
	p.chunk_pages = 3;
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), -1);
	gmap_default_params(&p, GMAP_FOREIGN);
	p.max_entries = 0;
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), -1);
	gmap_default_params(&p, GMAP_FOREIGN);
	p.n_ram = 0;
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), -1);
	gmap_default_params(&p, GMAP_FOREIGN);
	p.ram[0].base = 0x1234;
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), -1);
	gmap_default_params(&p, GMAP_GRANT);
	p.max_grant_ref = 0;
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), -1);
	gmap_default_params(&p, GMAP_GRANT);
	assert_int_equal(gmap_init(&g, &p, NULL, NULL), -1);
	assert_int_equal(gmap_init(&g, &p, &fm_ops, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grant_address_decoding, setup_grant, teardown),
		cmocka_unit_test_setup_teardown(test_grant_refused, setup_grant, teardown),
		cmocka_unit_test_setup_teardown(test_grant_released_at_last_put, setup_grant,
						teardown),
		cmocka_unit_test_setup_teardown(test_grant_pinned_table_full, setup_grant,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreign_bounds, setup_foreign, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_cache_lru, setup_foreign, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_chunk_fallback, setup_foreign,
						teardown),
		cmocka_unit_test(test_init_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
