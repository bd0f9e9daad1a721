// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device side of a split virtqueue: see virtqueue.h.
 *
 * Memory ordering (the driver runs concurrently in another address
 * space): avail->idx is read with acquire before the ring entries it
 * covers; used entries are written before used->idx is stored with
 * release; the notification decisions (used_event / avail flags) and the
 * re-check after publishing avail_event are separated from the preceding
 * stores by a full barrier, as split-ring.tex requires.
 */
#include <endian.h>
#include <string.h>

#include "virtqueue.h"

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

static const char *const err_str[VQ_E_MAX] = {
	[VQ_OK] = "ok",
	[VQ_E_NEXT_RANGE] = "descriptor index out of range",
	[VQ_E_CHAIN_LONG] = "descriptor chain too long or looping",
	[VQ_E_ADDR] = "buffer outside guest memory",
	[VQ_E_ORDER] = "device-readable descriptor after device-writable one",
	[VQ_E_INDIRECT_FEATURE] = "indirect descriptor without INDIRECT_DESC",
	[VQ_E_INDIRECT_NESTED] = "nested indirect descriptor",
	[VQ_E_INDIRECT_NEXT] = "indirect descriptor with NEXT",
	[VQ_E_INDIRECT_LEN] = "bad indirect table length",
	[VQ_E_INDIRECT_ADDR] = "indirect table outside guest memory",
};

const char *vq_err_str(enum vq_err e)
{
	return (unsigned)e < VQ_E_MAX ? err_str[e] : "unknown";
}

void vq_init(struct vq *vq, struct gmem *gm)
{
	memset(vq, 0, sizeof(*vq));
	vq->gm = gm;
}

int vq_start(struct vq *vq, unsigned num, void *desc, void *avail, void *used)
{
	if (!vring_num_valid(num, VQ_MAX_NUM) || !desc || !avail || !used ||
	    ((uintptr_t)desc & (VRING_DESC_ALIGN - 1)) ||
	    ((uintptr_t)avail & (VRING_AVAIL_ALIGN - 1)) ||
	    ((uintptr_t)used & (VRING_USED_ALIGN - 1)))
		return -1;
	vq->num = num;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	vq->used_idx = load16(&vq->used->idx);
	vq->signalled = vq->used_idx;
	vq->signalled_valid = false;
	vq->broken = false;
	vq->ready = true;
	return 0;
}

uint16_t vq_stop(struct vq *vq)
{
	vq->ready = false;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	return vq->last_avail;
}

void vq_reset(struct vq *vq)
{
	struct gmem *gm = vq->gm;
	bool indirect = vq->indirect, event_idx = vq->event_idx;

	vq_init(vq, gm);
	vq->indirect = indirect;
	vq->event_idx = event_idx;
}

void vq_set_features(struct vq *vq, bool indirect, bool event_idx)
{
	vq->indirect = indirect;
	vq->event_idx = event_idx;
}

void vq_set_last_avail(struct vq *vq, uint16_t idx)
{
	vq->last_avail = idx;
}

unsigned vq_avail(struct vq *vq)
{
	unsigned n;

	if (!vq->ready || vq->broken)
		return 0;
	n = (uint16_t)(load16_acquire(&vq->avail->idx) - vq->last_avail);
	if (n > vq->num) {
		/* the driver claims more new buffers than the ring holds */
		vq->broken = true;
		return 0;
	}
	return n;
}

/* Running state of one chain walk (kept in registers, not in *c). */
struct walk_acc {
	unsigned n_out, n_in;
	uint64_t out_len, in_len;
};

/* Append one data descriptor to the chain after checking it. */
static inline enum vq_err add_seg(struct vq *vq, struct vq_chain *c, struct walk_acc *w,
				  uint64_t addr, uint32_t len, bool write)
{
	struct vq_seg *s;
	void *p;

	if (!write && w->n_in)
		return VQ_E_ORDER;
	if (len == 0)
		return VQ_OK;
	p = gmem_get(vq->gm, addr, len, write ? GMEM_WRITE : GMEM_READ);
	if (!p)
		return VQ_E_ADDR;
	gmem_put(vq->gm, p, len);
	s = &c->seg[w->n_out + w->n_in];
	s->gpa = addr;
	s->len = len;
	s->write = write;
	if (write) {
		w->n_in++;
		w->in_len += len;
	} else {
		w->n_out++;
		w->out_len += len;
	}
	return VQ_OK;
}

static enum vq_err walk(struct vq *vq, struct vq_chain *c)
{
	const struct vring_desc *table = vq->desc;
	struct vring_desc *ind = NULL;
	unsigned tnum = vq->num, idx = c->head, count = 0;
	size_t ind_len = 0;
	struct walk_acc w = { 0, 0, 0, 0 };
	enum vq_err err = VQ_OK;

	for (;;) {
		struct vring_desc d;
		uint16_t flags;
		enum vq_err e;

		if (++count > VQ_MAX_CHAIN) {
			if (!err)
				err = VQ_E_CHAIN_LONG;
			break;
		}
		/* one copy: the driver may change the table under us */
		memcpy(&d, &table[idx], sizeof(d));
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		flags = le16toh(d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			uint32_t len = le32toh(d.len);

			if (ind)
				e = VQ_E_INDIRECT_NESTED;
			else if (!vq->indirect)
				e = VQ_E_INDIRECT_FEATURE;
			else if (flags & VRING_DESC_F_NEXT)
				e = VQ_E_INDIRECT_NEXT;
			else if (len == 0 || len % sizeof(struct vring_desc) ||
				 len / sizeof(struct vring_desc) > VQ_MAX_INDIRECT)
				e = VQ_E_INDIRECT_LEN;
			else if (!(ind = gmem_get(vq->gm, le64toh(d.addr), len, GMEM_READ)))
				e = VQ_E_INDIRECT_ADDR;
			else
				e = VQ_OK;
			if (e) {
				if (!err)
					err = e;
				break;
			}
			ind_len = len;
			table = ind;
			tnum = len / sizeof(struct vring_desc);
			idx = 0;
			count--;        /* the pointer descriptor carries no data */
			continue;
		}
		/* a bad buffer does not hide the rest of the chain: keep
		 * walking so an error reply can still find writable space */
		e = add_seg(vq, c, &w, le64toh(d.addr), le32toh(d.len),
			    flags & VRING_DESC_F_WRITE);
		if (e && !err)
			err = e;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		idx = le16toh(d.next);
		if (idx >= tnum) {
			if (!err)
				err = VQ_E_NEXT_RANGE;
			break;
		}
	}
	if (ind)
		gmem_put(vq->gm, ind, ind_len);
	c->n_out = w.n_out;
	c->n_in = w.n_in;
	c->out_len = w.out_len > UINT32_MAX ? UINT32_MAX : (uint32_t)w.out_len;
	c->in_len = w.in_len > UINT32_MAX ? UINT32_MAX : (uint32_t)w.in_len;
	return err;
}

enum vq_pop vq_pop(struct vq *vq, struct vq_chain *c)
{
	uint16_t head;

	if (vq_avail(vq) == 0)
		return vq->broken ? VQ_POP_BROKEN : VQ_POP_EMPTY;
	head = load16(&vq->avail->ring[vq->last_avail & (vq->num - 1)]);
	vq->last_avail++;
	if (head >= vq->num)
		return VQ_POP_DROP;
	c->head = head;
	c->err = walk(vq, c);
	return VQ_POP_CHAIN;
}

void vq_push(struct vq *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx & (vq->num - 1)];

	__atomic_store_n(&e->id, htole32(head), __ATOMIC_RELAXED);
	__atomic_store_n(&e->len, htole32(len), __ATOMIC_RELAXED);
	vq->used_idx++;
	/* "The device MUST set len prior to updating the used idx." */
	__atomic_store_n(&vq->used->idx, htole16(vq->used_idx), __ATOMIC_RELEASE);
}

bool vq_should_notify(struct vq *vq)
{
	uint16_t old = vq->signalled, new_idx = vq->used_idx;
	bool valid = vq->signalled_valid;

	if (!vq->ready || old == new_idx)
		return false;
	/* order the used->idx store before reading the driver's wishes */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vq->signalled = new_idx;
	vq->signalled_valid = true;
	if (vq->event_idx)
		return !valid || vring_need_event(load16(vring_used_event(vq->avail, vq->num)),
						  new_idx, old);
	return !(load16(&vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
}

bool vq_enable_kick(struct vq *vq)
{
	if (!vq->ready || vq->broken)
		return false;
	if (vq->event_idx)
		store16(vring_avail_event(vq->used, vq->num), vq->last_avail);
	/* publish avail_event before re-reading avail->idx */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return vq_avail(vq) > 0;
}
