// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device side of the split virtqueue against the driver-side helper over
 * a test guest: well-formed chains, every hostile descriptor shape, the
 * broken-queue rule, used-ring publication and notification suppression.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/virtio/virtqueue.h"
#include "tests/support/virtio_guest.h"

struct fx {
	struct vguest g;
	struct vring_drv *d;
	struct vq vq;
	struct vq_chain c;
	uint64_t buf;           /* 4 KiB of buffers */
};

static struct fx *fx_new(unsigned num, bool event_idx, bool indirect, unsigned reserve)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(vguest_init(&f->g, 1 << 20, 4096), 0);
	f->d = vguest_ring(&f->g, num, event_idx, 8);
	if (reserve)
		vring_drv_reserve_tail(f->d, reserve);
	f->buf = vguest_alloc(&f->g, 4096, 64);
	vq_init(&f->vq, &f->g.gm.gm);
	vq_set_features(&f->vq, indirect, event_idx);
	assert_int_equal(vq_start(&f->vq, num, f->d->desc, f->d->avail, f->d->used), 0);
	return f;
}

static int setup8(void **state)
{
	*state = fx_new(8, false, true, 4);
	return 0;
}

static int setup128(void **state)
{
	*state = fx_new(128, false, true, 70);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->d);
	vguest_fini(&f->g);
	free(f);
	return 0;
}

static void set_desc(struct vring_desc *t, unsigned i, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	t[i].addr = htole64(addr);
	t[i].len = htole32(len);
	t[i].flags = htole16(flags);
	t[i].next = htole16(next);
}

static void publish_raw(struct fx *f, uint16_t head)
{
	vring_drv_add_raw_head(f->d, head);
	vring_drv_publish(f->d);
}

static enum vq_err pop_err(struct fx *f)
{
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_CHAIN);
	return f->c.err;
}

static void test_simple_chain(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf out[2] = { { f->buf, 4 }, { f->buf + 64, 8 } };
	struct vring_drv_buf in = { f->buf + 128, 136 };
	struct vring_drv_used u;
	int tag, h;

	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_EMPTY);
	h = vring_drv_add(f->d, out, 2, &in, 1, &tag, false);
	assert_true(h >= 0);
	vring_drv_publish(f->d);
	assert_int_equal(vq_avail(&f->vq), 1);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.head, h);
	assert_int_equal(f->c.n_out, 2);
	assert_int_equal(f->c.n_in, 1);
	assert_int_equal(f->c.out_len, 12);
	assert_int_equal(f->c.in_len, 136);
	assert_int_equal(f->c.seg[1].gpa, f->buf + 64);
	assert_true(f->c.seg[2].write);
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_EMPTY);

	vq_push(&f->vq, f->c.head, 20);
	assert_int_equal(vring_drv_get_used(f->d, &u), 1);
	assert_ptr_equal(u.data, &tag);
	assert_int_equal(u.len, 20);
}

static void test_indirect_chain(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf out = { f->buf, 12 };
	struct vring_drv_buf in[2] = { { f->buf + 64, 8 }, { f->buf + 128, 128 } };

	assert_true(vring_drv_add(f->d, &out, 1, in, 2, NULL, true) >= 0);
	vring_drv_publish(f->d);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.n_out, 1);
	assert_int_equal(f->c.n_in, 2);
	assert_int_equal(f->c.in_len, 136);

	/* the same without the feature */
	vq_set_features(&f->vq, false, false);
	assert_true(vring_drv_add(f->d, &out, 1, in, 2, NULL, true) >= 0);
	vring_drv_publish(f->d);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_FEATURE);
}

static void test_zero_length_skipped(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf out[2] = { { f->buf, 0 }, { f->buf, 4 } };
	struct vring_drv_buf in[2] = { { 0xdead0000ull, 0 }, { f->buf + 64, 8 } };

	assert_true(vring_drv_add(f->d, out, 2, in, 2, NULL, false) >= 0);
	vring_drv_publish(f->d);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.n_out, 1);
	assert_int_equal(f->c.n_in, 1);
}

static void test_head_out_of_range(void **state)
{
	struct fx *f = *state;

	publish_raw(f, 8);
	publish_raw(f, 0xffff);
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_DROP);
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_DROP);
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_EMPTY);
	assert_false(f->vq.broken);
}

static void test_next_out_of_range(void **state)
{
	struct fx *f = *state;

	set_desc(f->d->desc, 4, f->buf, 4, VRING_DESC_F_NEXT, 8);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_NEXT_RANGE);
	assert_int_equal(f->c.head, 4);
	assert_int_equal(f->c.n_out, 1);        /* the checked part is kept */
}

static void test_loop(void **state)
{
	struct fx *f = *state;

	set_desc(f->d->desc, 4, f->buf, 4, VRING_DESC_F_NEXT, 5);
	set_desc(f->d->desc, 5, f->buf + 64, 8, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 4);
	publish_raw(f, 4);
	/* 5 -> 4 makes readable-after-writable first; a pure loop below */
	assert_int_equal(pop_err(f), VQ_E_ORDER);
	set_desc(f->d->desc, 6, f->buf, 4, VRING_DESC_F_NEXT, 7);
	set_desc(f->d->desc, 7, f->buf, 4, VRING_DESC_F_NEXT, 6);
	publish_raw(f, 6);
	assert_int_equal(pop_err(f), VQ_E_CHAIN_LONG);
	set_desc(f->d->desc, 7, f->buf, 4, VRING_DESC_F_NEXT, 7);     /* self loop */
	publish_raw(f, 7);
	assert_int_equal(pop_err(f), VQ_E_CHAIN_LONG);
}

static void test_chain_limit(void **state)
{
	struct fx *f = *state;
	unsigned i, base = 128 - 70;

	/* VQ_MAX_CHAIN descriptors are fine, one more is not */
	for (i = 0; i < VQ_MAX_CHAIN; i++)
		set_desc(f->d->desc, base + i, f->buf + i, 1,
			 i + 1 < VQ_MAX_CHAIN ? VRING_DESC_F_NEXT : 0, (uint16_t)(base + i + 1));
	publish_raw(f, (uint16_t)base);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.n_out, VQ_MAX_CHAIN);
	assert_int_equal(f->c.out_len, VQ_MAX_CHAIN);
	set_desc(f->d->desc, base + VQ_MAX_CHAIN - 1, f->buf, 1, VRING_DESC_F_NEXT,
		 (uint16_t)(base + VQ_MAX_CHAIN));
	set_desc(f->d->desc, base + VQ_MAX_CHAIN, f->buf, 1, 0, 0);
	publish_raw(f, (uint16_t)base);
	assert_int_equal(pop_err(f), VQ_E_CHAIN_LONG);
}

static void test_bad_addresses(void **state)
{
	struct fx *f = *state;

	/* outside guest memory */
	set_desc(f->d->desc, 4, 0x1000, 4, VRING_DESC_F_NEXT, 5);
	set_desc(f->d->desc, 5, f->buf + 64, 8, VRING_DESC_F_WRITE, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_ADDR);
	/* the bad buffer is left out, the writable one still found */
	assert_int_equal(f->c.n_out, 0);
	assert_int_equal(f->c.n_in, 1);
	/* runs past the end of RAM */
	set_desc(f->d->desc, 4, VGUEST_GPA + (1 << 20) - 2, 4, VRING_DESC_F_NEXT, 5);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_ADDR);
	/* address + len wraps */
	set_desc(f->d->desc, 4, UINT64_MAX - 3, 8, VRING_DESC_F_NEXT, 5);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_ADDR);
	set_desc(f->d->desc, 4, f->buf, 0xffffffffu, VRING_DESC_F_NEXT, 5);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_ADDR);
	/* readable from read-only memory is fine, writable is not */
	set_desc(f->d->desc, 4, VGUEST_RO_GPA, 4, VRING_DESC_F_NEXT, 5);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_OK);
	set_desc(f->d->desc, 5, VGUEST_RO_GPA + 64, 8, VRING_DESC_F_WRITE, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_ADDR);
	assert_int_equal(f->c.n_in, 0);
}

static void test_order(void **state)
{
	struct fx *f = *state;

	set_desc(f->d->desc, 4, f->buf + 64, 8, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 5);
	set_desc(f->d->desc, 5, f->buf, 4, VRING_DESC_F_NEXT, 6);
	set_desc(f->d->desc, 6, f->buf + 256, 8, VRING_DESC_F_WRITE, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_ORDER);
	assert_int_equal(f->c.n_out, 0);
	assert_int_equal(f->c.n_in, 2);
	assert_int_equal(f->c.in_len, 16);
}

static void test_bad_indirect(void **state)
{
	struct fx *f = *state;
	struct vring_desc *t = vguest_hva(&f->g, f->buf + 1024);
	uint64_t tg = f->buf + 1024;

	set_desc(t, 0, f->buf, 4, VRING_DESC_F_NEXT, 1);
	set_desc(t, 1, f->buf + 64, 8, VRING_DESC_F_WRITE, 0);
	set_desc(f->d->desc, 4, tg, 32, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.n_in, 1);
	/* length not a multiple of 16, zero, too big */
	set_desc(f->d->desc, 4, tg, 24, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_LEN);
	set_desc(f->d->desc, 4, tg, 0, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_LEN);
	set_desc(f->d->desc, 4, tg, (VQ_MAX_INDIRECT + 1) * 16, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_LEN);
	/* table outside guest memory, or wrapping */
	set_desc(f->d->desc, 4, 0x1000, 32, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_ADDR);
	set_desc(f->d->desc, 4, UINT64_MAX - 15, 32, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_ADDR);
	/* INDIRECT with NEXT */
	set_desc(f->d->desc, 4, tg, 32, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 5);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_NEXT);
	/* nested */
	set_desc(f->d->desc, 4, tg, 32, VRING_DESC_F_INDIRECT, 0);
	set_desc(t, 1, tg, 32, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_INDIRECT_NESTED);
	/* next beyond the table */
	set_desc(t, 1, f->buf + 64, 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_NEXT_RANGE);
	/* loop inside the table */
	set_desc(t, 1, f->buf + 64, 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_E_CHAIN_LONG);
	/* a direct chain may end in an indirect table */
	set_desc(t, 0, f->buf + 64, 8, VRING_DESC_F_WRITE, 0);
	set_desc(f->d->desc, 5, f->buf, 4, VRING_DESC_F_NEXT, 4);
	set_desc(f->d->desc, 4, tg, 16, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 5);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.n_out, 1);
	assert_int_equal(f->c.n_in, 1);
	/* misaligned table address is fine (copied descriptor by descriptor) */
	memmove((uint8_t *)t + 4, t, 16);
	set_desc(f->d->desc, 4, tg + 4, 16, VRING_DESC_F_INDIRECT, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.n_in, 1);
}

static void test_length_saturation(void **state)
{
	struct fx *f = *state;
	/* a huge region the walk validates but never touches */
	struct gmem_region big = { .gpa = 0x100000000000ull, .size = 1ull << 40,
				   .hva = (void *)f->g.ram };

	assert_int_equal(gmem_regions_add(&f->g.gm, &big), 0);
	set_desc(f->d->desc, 4, big.gpa, 0xffffffffu, VRING_DESC_F_NEXT, 5);
	set_desc(f->d->desc, 5, big.gpa, 0xffffffffu, VRING_DESC_F_NEXT, 6);
	set_desc(f->d->desc, 6, big.gpa, 0xffffffffu, 0, 0);
	publish_raw(f, 4);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(f->c.out_len, UINT32_MAX);
}

static void test_broken_avail_idx(void **state)
{
	struct fx *f = *state;

	f->d->avail->idx = htole16(9);          /* 9 new entries in an 8-entry ring */
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_BROKEN);
	assert_true(f->vq.broken);
	assert_int_equal(vq_avail(&f->vq), 0);
	assert_false(vq_enable_kick(&f->vq));
	/* a restart on fresh rings clears it */
	f->d->avail->idx = 0;
	vq_set_last_avail(&f->vq, 0);
	assert_int_equal(vq_start(&f->vq, 8, f->d->desc, f->d->avail, f->d->used), 0);
	assert_false(f->vq.broken);
	/* exactly num new entries is legal */
	f->d->avail->idx = htole16(8);
	assert_int_equal(vq_avail(&f->vq), 8);
}

static void test_start_checks(void **state)
{
	struct fx *f = *state;
	uint8_t *a = (uint8_t *)f->d->avail, *u = (uint8_t *)f->d->used;

	assert_int_equal(vq_start(&f->vq, 6, f->d->desc, a, u), -1);
	assert_int_equal(vq_start(&f->vq, 2048, f->d->desc, a, u), -1);
	assert_int_equal(vq_start(&f->vq, 0, f->d->desc, a, u), -1);
	assert_int_equal(vq_start(&f->vq, 8, (uint8_t *)f->d->desc + 8, a, u), -1);
	assert_int_equal(vq_start(&f->vq, 8, f->d->desc, a + 1, u), -1);
	assert_int_equal(vq_start(&f->vq, 8, f->d->desc, a, u + 2), -1);
	assert_int_equal(vq_start(&f->vq, 8, NULL, a, u), -1);
}

static void test_stop_and_base(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf b[2] = { { f->buf, 4 }, { f->buf + 64, 8 } };

	vring_drv_add(f->d, b, 1, &b[1], 1, NULL, false);
	vring_drv_add(f->d, b, 1, &b[1], 1, NULL, false);
	vring_drv_publish(f->d);
	assert_int_equal(pop_err(f), VQ_OK);
	assert_int_equal(vq_stop(&f->vq), 1);
	assert_int_equal(vq_pop(&f->vq, &f->c), VQ_POP_EMPTY);
	assert_false(vq_should_notify(&f->vq));
	/* restart where we stopped (vhost-user SET_VRING_BASE) */
	vq_set_last_avail(&f->vq, 1);
	assert_int_equal(vq_start(&f->vq, 8, f->d->desc, f->d->avail, f->d->used), 0);
	assert_int_equal(vq_avail(&f->vq), 1);
	vq_reset(&f->vq);
	assert_false(f->vq.ready);
	assert_int_equal(f->vq.last_avail, 0);
	assert_true(f->vq.indirect);            /* features survive a queue reset */
}

static void test_notify_plain(void **state)
{
	struct fx *f = *state;

	assert_false(vq_should_notify(&f->vq)); /* nothing pushed yet: first call valid */
	vq_push(&f->vq, 0, 0);
	assert_true(vq_should_notify(&f->vq));
	assert_false(vq_should_notify(&f->vq)); /* nothing new */
	vring_drv_disable_cb(f->d);
	vq_push(&f->vq, 0, 0);
	assert_false(vq_should_notify(&f->vq));
	assert_int_equal(le16toh(f->d->used->idx), 2);
}

static int add_pop(struct fx *f)
{
	struct vring_drv_buf b[2] = { { f->buf, 4 }, { f->buf + 64, 8 } };

	assert_true(vring_drv_add(f->d, b, 1, &b[1], 1, NULL, false) >= 0);
	vring_drv_publish(f->d);
	assert_int_equal(pop_err(f), VQ_OK);
	return f->c.head;
}

static void test_event_idx(void **state)
{
	struct fx *f = *state;
	struct vring_drv_buf b[2] = { { f->buf, 4 }, { f->buf + 64, 8 } };
	struct vring_drv_used u;
	int a, c, e;

	vq_set_features(&f->vq, true, true);
	f->d->event_idx = true;
	a = add_pop(f);
	c = add_pop(f);
	/* used_event = 0: notify when used idx passes 0 */
	vq_push(&f->vq, (uint16_t)a, 8);
	assert_true(vq_should_notify(&f->vq));
	vq_push(&f->vq, (uint16_t)c, 8);
	assert_false(vq_should_notify(&f->vq)); /* driver did not re-arm */
	assert_int_equal(vring_drv_get_used(f->d, &u), 1);
	assert_int_equal(vring_drv_get_used(f->d, &u), 1);
	assert_false(vring_drv_enable_cb(f->d)); /* used_event = 2 */
	assert_int_equal(le16toh(*vring_used_event(f->d->avail, 8)), 2);
	vq_push(&f->vq, (uint16_t)add_pop(f), 8);
	assert_true(vq_should_notify(&f->vq));

	/* NO_INTERRUPT is ignored with EVENT_IDX */
	assert_int_equal(vring_drv_get_used(f->d, &u), 1);
	vring_drv_enable_cb(f->d);
	f->d->avail->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	vq_push(&f->vq, (uint16_t)add_pop(f), 8);
	assert_true(vq_should_notify(&f->vq));

	/* avail_event: the device asks for a kick at its next entry */
	assert_false(vq_enable_kick(&f->vq));
	assert_int_equal(le16toh(*vring_avail_event(f->d->used, 8)), 4);
	assert_true(vring_drv_add(f->d, b, 1, &b[1], 1, NULL, false) >= 0);
	assert_true(vring_drv_publish(f->d));
	assert_true(vq_enable_kick(&f->vq));    /* pending entry seen on re-check */
	assert_int_equal(pop_err(f), VQ_OK);
	e = f->c.head;
	assert_int_equal(vring_drv_get_used(f->d, &u), 1);
	assert_true(vring_drv_add(f->d, b, 1, &b[1], 1, NULL, false) >= 0);
	assert_false(vring_drv_publish(f->d));  /* device did not re-arm yet */
	(void)e;
}

static void test_big_queue_out_of_order(void **state)
{
	struct fx *f = fx_new(1024, true, true, 0);
	struct vring_drv_buf b[2] = { { f->buf, 4 }, { f->buf + 64, 8 } };
	static uint16_t heads[512];
	struct vring_drv_used u;
	int i, tags[512];

	(void)state;
	for (i = 0; i < 512; i++) {
		tags[i] = i;
		assert_true(vring_drv_add(f->d, b, 1, &b[1], 1, &tags[i], i & 1) >= 0);
	}
	vring_drv_publish(f->d);
	assert_int_equal(vq_avail(&f->vq), 512);
	for (i = 0; i < 512; i++) {
		assert_int_equal(pop_err(f), VQ_OK);
		heads[i] = f->c.head;
	}
	for (i = 511; i >= 0; i--)
		vq_push(&f->vq, heads[i], (uint32_t)i);
	for (i = 511; i >= 0; i--) {
		assert_int_equal(vring_drv_get_used(f->d, &u), 1);
		assert_int_equal(*(int *)u.data, i);
		assert_int_equal(u.len, i);
	}
	assert_int_equal(vring_drv_num_free(f->d), 1024);
	*state = f;
}

static void test_err_str(void **state)
{
	(void)state;
	for (int e = 0; e < VQ_E_MAX; e++)
		assert_non_null(vq_err_str(e));
	assert_string_equal(vq_err_str(VQ_E_MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple_chain, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_indirect_chain, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_zero_length_skipped, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_head_out_of_range, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_next_out_of_range, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_loop, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_chain_limit, setup128, teardown),
		cmocka_unit_test_setup_teardown(test_bad_addresses, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_bad_indirect, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_length_saturation, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_broken_avail_idx, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_start_checks, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_stop_and_base, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_notify_plain, setup8, teardown),
		cmocka_unit_test_setup_teardown(test_event_idx, setup8, teardown),
		cmocka_unit_test_teardown(test_big_queue_out_of_order, teardown),
		cmocka_unit_test(test_err_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
