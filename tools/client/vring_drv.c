// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver side of a split virtqueue: see vring_drv.h. Ordering follows
 * split-ring.tex "Supplying Buffers to The Device": descriptors and the
 * avail ring entry are written first, avail->idx is published with a
 * release store, and the kick decision reads the device's avail_event or
 * used flags only after a full barrier.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "vring_drv.h"

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((size_t)(a) - 1))

static inline uint16_t load16_acquire(const uint16_t *p)
{
	return le16toh(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}
static inline uint16_t load16(const uint16_t *p)
{
	return le16toh(__atomic_load_n(p, __ATOMIC_RELAXED));
}
static inline void store16(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, htole16(v), __ATOMIC_RELAXED);
}
static inline void store16_release(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, htole16(v), __ATOMIC_RELEASE);
}

size_t vring_drv_avail_off(unsigned num)
{
	return vring_desc_size(num);
}

size_t vring_drv_used_off(unsigned num)
{
	return ALIGN_UP(vring_drv_avail_off(num) + vring_avail_size(num), 64);
}

size_t vring_drv_ring_size(unsigned num)
{
	return ALIGN_UP(vring_drv_used_off(num) + vring_used_size(num), 64);
}

size_t vring_drv_indirect_size(unsigned num, unsigned max_per_chain)
{
	return (size_t)num * max_per_chain * sizeof(struct vring_desc);
}

static void build_free_list(struct vring_drv *d)
{
	unsigned i;

	for (i = 0; i < d->limit; i++) {
		d->desc[i].next = htole16((uint16_t)(i + 1 < d->limit ? i + 1 : 0));
		d->st[i].busy = false;
		d->st[i].data = NULL;
		d->st[i].ndesc = 0;
	}
	d->free_head = 0;
	d->num_free = d->limit;
}

int vring_drv_init(struct vring_drv *d, unsigned num, void *ring, uint64_t ring_gpa,
		   bool event_idx)
{
	uint8_t *base = ring;

	if (!d || !ring || !vring_num_valid(num, VRING_DRV_MAX_NUM) ||
	    ((uintptr_t)ring & (VRING_DESC_ALIGN - 1)) || (ring_gpa & (VRING_DESC_ALIGN - 1)))
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	memset(ring, 0, vring_drv_ring_size(num));
	d->num = num;
	d->desc = (struct vring_desc *)(void *)base;
	d->avail = (struct vring_avail *)(void *)(base + vring_drv_avail_off(num));
	d->used = (struct vring_used *)(void *)(base + vring_drv_used_off(num));
	d->desc_gpa = ring_gpa;
	d->avail_gpa = ring_gpa + vring_drv_avail_off(num);
	d->used_gpa = ring_gpa + vring_drv_used_off(num);
	d->event_idx = event_idx;
	d->limit = num;
	build_free_list(d);
	return 0;
}

void vring_drv_set_indirect(struct vring_drv *d, void *pool, uint64_t pool_gpa,
			    unsigned max_per_chain)
{
	d->ind_pool = pool;
	d->ind_gpa = pool_gpa;
	d->ind_max = pool ? max_per_chain : 0;
}

void vring_drv_reserve_tail(struct vring_drv *d, unsigned n)
{
	d->limit = n >= d->num ? 0 : d->num - n;
	build_free_list(d);
}

static void fill_desc(struct vring_desc *t, unsigned i, const struct vring_drv_buf *b,
		      uint16_t flags)
{
	t[i].addr = htole64(b->gpa);
	t[i].len = htole32(b->len);
	t[i].flags = htole16(flags);
}

int vring_drv_add(struct vring_drv *d, const struct vring_drv_buf *out, unsigned n_out,
		  const struct vring_drv_buf *in, unsigned n_in, void *data, bool indirect)
{
	unsigned total = n_out + n_in, i, need = indirect ? 1 : total;
	uint16_t head, idx, last = 0;

	if (total == 0 || total < n_out || (n_out && !out) || (n_in && !in))
		return -EINVAL;
	if (indirect && (!d->ind_pool || total > d->ind_max))
		return -EINVAL;
	if (need > d->num_free)
		return -ENOSPC;

	head = d->free_head;
	if (indirect) {
		struct vring_desc *t = (struct vring_desc *)(void *)
			(d->ind_pool + (size_t)head * d->ind_max * sizeof(struct vring_desc));

		for (i = 0; i < total; i++) {
			bool w = i >= n_out;

			fill_desc(t, i, w ? &in[i - n_out] : &out[i],
				  (uint16_t)((w ? VRING_DESC_F_WRITE : 0) |
					     (i + 1 < total ? VRING_DESC_F_NEXT : 0)));
			t[i].next = htole16((uint16_t)(i + 1 < total ? i + 1 : 0));
		}
		d->desc[head].addr = htole64(d->ind_gpa + (uint64_t)head * d->ind_max *
					     sizeof(struct vring_desc));
		d->desc[head].len = htole32(total * (uint32_t)sizeof(struct vring_desc));
		d->desc[head].flags = htole16(VRING_DESC_F_INDIRECT);
		d->free_head = le16toh(d->desc[head].next);
	} else {
		idx = head;
		for (i = 0; i < total; i++) {
			bool w = i >= n_out;

			fill_desc(d->desc, idx, w ? &in[i - n_out] : &out[i],
				  (uint16_t)((w ? VRING_DESC_F_WRITE : 0) |
					     (i + 1 < total ? VRING_DESC_F_NEXT : 0)));
			last = idx;
			idx = le16toh(d->desc[idx].next);
		}
		/* the last descriptor keeps its free-list link in next; the
		 * device ignores next without F_NEXT */
		(void)last;
		d->free_head = idx;
	}
	d->num_free -= need;
	d->st[head].busy = true;
	d->st[head].data = data;
	d->st[head].ndesc = (uint16_t)need;

	vring_drv_add_raw_head(d, head);
	return head;
}

void vring_drv_add_raw_head(struct vring_drv *d, uint16_t head)
{
	store16(&d->avail->ring[d->avail_idx & (d->num - 1)], head);
	d->avail_idx++;
}

bool vring_drv_publish(struct vring_drv *d)
{
	uint16_t old = d->kicked_idx, new_idx = d->avail_idx;

	store16_release(&d->avail->idx, new_idx);
	d->kicked_idx = new_idx;
	/* the device may read avail->idx and then write avail_event/flags:
	 * order our idx store before reading what it wants */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (old == new_idx)
		return false;
	if (d->event_idx)
		return vring_need_event(load16(vring_avail_event(d->used, d->num)),
					new_idx, old);
	return !(load16(&d->used->flags) & VRING_USED_F_NO_NOTIFY);
}

static void free_chain(struct vring_drv *d, uint16_t head)
{
	uint16_t idx = head;
	unsigned i;

	/* the chain's descriptors are still linked through next (we wrote
	 * them from the free list); relink its tail to the free list */
	for (i = 1; i < d->st[head].ndesc; i++)
		idx = le16toh(d->desc[idx].next);
	d->desc[idx].next = htole16(d->free_head);
	d->free_head = head;
	d->num_free += d->st[head].ndesc;
	d->st[head].busy = false;
	d->st[head].data = NULL;
	d->st[head].ndesc = 0;
}

unsigned vring_drv_used_pending(const struct vring_drv *d)
{
	return (uint16_t)(load16_acquire(&d->used->idx) - d->last_used);
}

int vring_drv_get_used(struct vring_drv *d, struct vring_drv_used *u)
{
	const struct vring_used_elem *e;
	uint32_t id;

	if (load16_acquire(&d->used->idx) == d->last_used)
		return 0;
	e = &d->used->ring[d->last_used & (d->num - 1)];
	id = le32toh(__atomic_load_n(&e->id, __ATOMIC_RELAXED));
	u->len = le32toh(__atomic_load_n(&e->len, __ATOMIC_RELAXED));
	u->id = (uint16_t)id;
	u->data = NULL;
	d->last_used++;
	if (id >= d->num)
		return -EIO;
	if (id >= d->limit)
		return 1;
	if (!d->st[id].busy)
		return -EIO;
	u->data = d->st[id].data;
	free_chain(d, (uint16_t)id);
	return 1;
}

bool vring_drv_enable_cb(struct vring_drv *d)
{
	if (d->event_idx)
		store16(vring_used_event(d->avail, d->num), d->last_used);
	else
		store16(&d->avail->flags, 0);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load16(&d->used->idx) != d->last_used;
}

void vring_drv_disable_cb(struct vring_drv *d)
{
	if (d->event_idx)
		store16(vring_used_event(d->avail, d->num), (uint16_t)(d->last_used - 1));
	else
		store16(&d->avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
}

unsigned vring_drv_num_free(const struct vring_drv *d)
{
	return d->num_free;
}

unsigned vring_drv_outstanding(const struct vring_drv *d)
{
	unsigned i, n = 0;

	for (i = 0; i < d->limit; i++)
		n += d->st[i].busy;
	return n;
}
