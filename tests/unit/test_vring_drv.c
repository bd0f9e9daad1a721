// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver-side ring helper on its own: layout, free list, indirect tables,
 * kick and interrupt suppression. The "device" here is the test writing
 * the used ring by hand; test_virtqueue.c runs it against the real device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/client/vring_drv.h"

#define GPA_BASE 0x40000000ull

struct fx {
	struct vring_drv d;
	uint8_t *mem;
	uint8_t *pool;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->mem = aligned_alloc(64, vring_drv_ring_size(8));
	f->pool = aligned_alloc(64, vring_drv_indirect_size(8, 4));
	assert_non_null(f->mem);
	assert_non_null(f->pool);
	assert_int_equal(vring_drv_init(&f->d, 8, f->mem, GPA_BASE, false), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->mem);
	free(f->pool);
	free(f);
	return 0;
}

/* the device side, by hand */
static void dev_use(struct vring_drv *d, uint16_t id, uint32_t len)
{
	uint16_t u = le16toh(d->used->idx);

	d->used->ring[u % d->num].id = htole32(id);
	d->used->ring[u % d->num].len = htole32(len);
	d->used->idx = htole16((uint16_t)(u + 1));
}

static void test_layout(void **state)
{
	struct fx *f = *state;

	(void)f;
	assert_int_equal(vring_drv_avail_off(8), 128);
	assert_int_equal(vring_drv_used_off(8) % 64, 0);
	assert_true(vring_drv_used_off(8) >= 128 + vring_avail_size(8));
	assert_true(vring_drv_ring_size(8) >= vring_drv_used_off(8) + vring_used_size(8));
	assert_int_equal(vring_drv_ring_size(1024) % 64, 0);
	assert_int_equal(vring_drv_init(&f->d, 6, f->mem, GPA_BASE, false), -EINVAL);
	assert_int_equal(vring_drv_init(&f->d, 2048, f->mem, GPA_BASE, false), -EINVAL);
	assert_int_equal(vring_drv_init(&f->d, 8, f->mem, GPA_BASE + 8, false), -EINVAL);
	assert_int_equal(f->d.used_gpa, GPA_BASE + vring_drv_used_off(8));
}

static void test_add_direct_and_use(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf out = { 0x1000, 12 }, in = { 0x2000, 136 };
	struct vring_drv_used u;
	int h, tag = 7;

	h = vring_drv_add(&f->d, &out, 1, &in, 1, &tag, false);
	assert_true(h >= 0);
	assert_int_equal(vring_drv_num_free(&f->d), 6);
	/* not visible before publish */
	assert_int_equal(le16toh(f->d.avail->idx), 0);
	assert_true(vring_drv_publish(&f->d));
	assert_int_equal(le16toh(f->d.avail->idx), 1);
	assert_int_equal(le16toh(f->d.avail->ring[0]), h);
	assert_int_equal(le64toh(f->d.desc[h].addr), 0x1000);
	assert_int_equal(le32toh(f->d.desc[h].len), 12);
	assert_int_equal(le16toh(f->d.desc[h].flags), VRING_DESC_F_NEXT);
	uint16_t n = le16toh(f->d.desc[h].next);
	assert_int_equal(le64toh(f->d.desc[n].addr), 0x2000);
	assert_int_equal(le16toh(f->d.desc[n].flags), VRING_DESC_F_WRITE);

	assert_int_equal(vring_drv_get_used(&f->d, &u), 0);
	dev_use(&f->d, (uint16_t)h, 8);
	assert_int_equal(vring_drv_used_pending(&f->d), 1);
	assert_int_equal(vring_drv_get_used(&f->d, &u), 1);
	assert_ptr_equal(u.data, &tag);
	assert_int_equal(u.len, 8);
	assert_int_equal(vring_drv_num_free(&f->d), 8);
	assert_int_equal(vring_drv_outstanding(&f->d), 0);
	/* the same id again is a device bug */
	dev_use(&f->d, (uint16_t)h, 8);
	assert_int_equal(vring_drv_get_used(&f->d, &u), -EIO);
	dev_use(&f->d, 100, 8);
	assert_int_equal(vring_drv_get_used(&f->d, &u), -EIO);
}

static void test_free_list_exhaustion(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf b[3] = { { 0x1000, 4 }, { 0x2000, 8 }, { 0x3000, 8 } };
	struct vring_drv_used u;
	int h[4], i;

	for (i = 0; i < 4; i++) {
		h[i] = vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
		assert_true(h[i] >= 0);
	}
	assert_int_equal(vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false), -ENOSPC);
	assert_int_equal(vring_drv_add(&f->d, b, 0, NULL, 0, NULL, false), -EINVAL);
	vring_drv_publish(&f->d);
	/* return out of order, then the descriptors are reusable */
	dev_use(&f->d, (uint16_t)h[2], 8);
	dev_use(&f->d, (uint16_t)h[0], 8);
	for (i = 0; i < 2; i++)
		assert_int_equal(vring_drv_get_used(&f->d, &u), 1);
	assert_int_equal(vring_drv_num_free(&f->d), 4);
	assert_true(vring_drv_add(&f->d, b, 1, &b[1], 2, NULL, false) >= 0);
	assert_int_equal(vring_drv_num_free(&f->d), 1);
	assert_int_equal(vring_drv_outstanding(&f->d), 3);
}

static void test_indirect(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf b[3] = { { 0x1000, 4 }, { 0x2000, 8 }, { 0x3000, 16 } };
	struct vring_desc *t;
	int h;

	assert_int_equal(vring_drv_add(&f->d, b, 1, &b[1], 2, NULL, true), -EINVAL);
	vring_drv_set_indirect(&f->d, f->pool, 0x9000, 4);
	h = vring_drv_add(&f->d, b, 1, &b[1], 2, NULL, true);
	assert_true(h >= 0);
	assert_int_equal(vring_drv_num_free(&f->d), 7);
	assert_int_equal(le16toh(f->d.desc[h].flags), VRING_DESC_F_INDIRECT);
	assert_int_equal(le32toh(f->d.desc[h].len), 48);
	assert_int_equal(le64toh(f->d.desc[h].addr), 0x9000 + (uint64_t)h * 4 * 16);
	t = (struct vring_desc *)(void *)(f->pool + (size_t)h * 4 * 16);
	assert_int_equal(le16toh(t[0].flags), VRING_DESC_F_NEXT);
	assert_int_equal(le16toh(t[0].next), 1);
	assert_int_equal(le16toh(t[1].flags), VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	assert_int_equal(le16toh(t[2].flags), VRING_DESC_F_WRITE);
	assert_int_equal(le64toh(t[2].addr), 0x3000);
	/* more than the per-chain maximum */
	struct vring_drv_buf many[5] = { { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 1, 1 } };
	assert_int_equal(vring_drv_add(&f->d, many, 5, NULL, 0, NULL, true), -EINVAL);
}

static void test_kick_suppression(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf b[2] = { { 0x1000, 4 }, { 0x2000, 8 } };

	/* no new entries: no kick */
	assert_false(vring_drv_publish(&f->d));
	/* plain: NO_NOTIFY suppresses */
	f->d.used->flags = htole16(VRING_USED_F_NO_NOTIFY);
	vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
	assert_false(vring_drv_publish(&f->d));
	f->d.used->flags = 0;
	vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
	assert_true(vring_drv_publish(&f->d));

	/* EVENT_IDX: kick only when crossing avail_event */
	assert_int_equal(vring_drv_init(&f->d, 8, f->mem, GPA_BASE, true), 0);
	*vring_avail_event(f->d.used, 8) = htole16(1);
	vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
	assert_false(vring_drv_publish(&f->d));      /* idx 0 -> 1: event 1 not crossed */
	vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
	assert_true(vring_drv_publish(&f->d));       /* 1 -> 2 crosses 1 */
	vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
	assert_false(vring_drv_publish(&f->d));
}

static void test_interrupt_suppression(void **state)
{
	struct fx *f = *state;

	vring_drv_disable_cb(&f->d);
	assert_int_equal(le16toh(f->d.avail->flags), VRING_AVAIL_F_NO_INTERRUPT);
	assert_false(vring_drv_enable_cb(&f->d));
	assert_int_equal(le16toh(f->d.avail->flags), 0);

	assert_int_equal(vring_drv_init(&f->d, 8, f->mem, GPA_BASE, true), 0);
	struct vring_drv_buf b[2] = { { 0x1000, 4 }, { 0x2000, 8 } };
	struct vring_drv_used u;
	int h = vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false);
	vring_drv_publish(&f->d);
	dev_use(&f->d, (uint16_t)h, 8);
	assert_true(vring_drv_enable_cb(&f->d));     /* already pending */
	assert_int_equal(vring_drv_get_used(&f->d, &u), 1);
	assert_false(vring_drv_enable_cb(&f->d));
	assert_int_equal(le16toh(*vring_used_event(f->d.avail, 8)), 1);
}

static void test_reserved_tail(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf b[2] = { { 0x1000, 4 }, { 0x2000, 8 } };
	struct vring_drv_used u;
	int i;

	vring_drv_reserve_tail(&f->d, 2);
	assert_int_equal(vring_drv_num_free(&f->d), 6);
	for (i = 0; i < 3; i++)
		assert_true(vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false) < 6);
	assert_int_equal(vring_drv_add(&f->d, b, 1, &b[1], 1, NULL, false), -ENOSPC);
	vring_drv_add_raw_head(&f->d, 7);
	vring_drv_publish(&f->d);
	assert_int_equal(le16toh(f->d.avail->ring[3]), 7);
	dev_use(&f->d, 7, 0);
	assert_int_equal(vring_drv_get_used(&f->d, &u), 1);
	assert_int_equal(u.id, 7);
	assert_null(u.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_direct_and_use, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_list_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_tail, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
