/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Driver side of a split virtqueue (virtio 1.2 split-ring) over memory the
 * caller provides: what a guest's virtio driver does, for the agent client
 * library (scmi_client), tests and fuzzers. Not thread-safe; one user.
 *
 * Memory: the rings live in one caller-provided area of
 * vring_drv_ring_size(num) bytes, at host address `ring` and guest
 * physical address `ring_gpa` (16-byte aligned):
 *   desc  at ring_gpa + 0
 *   avail at ring_gpa + vring_drv_avail_off(num)
 *   used  at ring_gpa + vring_drv_used_off(num)   (64-byte aligned)
 * Buffers are given by guest physical address; the caller owns them until
 * they come back from vring_drv_get_used().
 *
 *   struct vring_drv d;
 *   vring_drv_init(&d, 256, ring, ring_gpa, true);
 *   struct vring_drv_buf out = { req_gpa, req_len }, in = { resp_gpa, 136 };
 *   vring_drv_add(&d, &out, 1, &in, 1, cookie, false);
 *   if (vring_drv_publish(&d))
 *           kick();
 *   ...
 *   struct vring_drv_used u;
 *   while (vring_drv_get_used(&d, &u) > 0)
 *           handle(u.data, u.len);
 *   if (vring_drv_enable_cb(&d))  // more arrived meanwhile: poll again
 *           ...
 * With EVENT_IDX, used_event only moves in vring_drv_enable_cb(): call it
 * before every wait for a notification.
 *
 * Indirect descriptors: vring_drv_set_indirect() gives a pool of
 * vring_drv_indirect_size(num, max) bytes; chain with head h uses the
 * table at pool + h * max * 16.
 *
 * Raw access for tests: d->desc / d->avail / d->used point at the rings;
 * vring_drv_reserve_tail() keeps the last n descriptors out of the free
 * list so a test can build hostile chains there and publish any head
 * with vring_drv_add_raw_head().
 */
#ifndef VRING_DRV_H
#define VRING_DRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediator/virtio/vring.h"

#define VRING_DRV_MAX_NUM 1024u

struct vring_drv_buf {
	uint64_t gpa;
	uint32_t len;
};

struct vring_drv_used {
	uint16_t id;      /* head the device returned */
	uint32_t len;     /* bytes the device wrote */
	void *data;       /* what vring_drv_add() was given (NULL for raw heads) */
};

struct vring_drv {
	unsigned num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	bool event_idx;
	/* free list over [0, limit) */
	unsigned limit;
	uint16_t free_head;
	unsigned num_free;
	uint16_t avail_idx;      /* shadow of avail->idx (next to publish) */
	uint16_t kicked_idx;     /* avail idx at the previous publish */
	uint16_t last_used;      /* next used entry to read */
	/* indirect pool */
	uint8_t *ind_pool;
	uint64_t ind_gpa;
	unsigned ind_max;
	struct {
		void *data;
		uint16_t ndesc;   /* descriptors taken from the table */
		bool busy;
	} st[VRING_DRV_MAX_NUM];
};

size_t vring_drv_avail_off(unsigned num);
size_t vring_drv_used_off(unsigned num);
/* Bytes of ring memory for num entries (multiple of 64). */
size_t vring_drv_ring_size(unsigned num);
size_t vring_drv_indirect_size(unsigned num, unsigned max_per_chain);

/* Lay out and zero the rings. num: power of 2 <= 1024. event_idx: the
 * feature was negotiated. Returns 0 or -EINVAL. */
int vring_drv_init(struct vring_drv *d, unsigned num, void *ring, uint64_t ring_gpa,
		   bool event_idx);
/* Provide the indirect-table pool (call after init). */
void vring_drv_set_indirect(struct vring_drv *d, void *pool, uint64_t pool_gpa,
			    unsigned max_per_chain);
/* Keep descriptors [num - n, num) out of the free list (call after init,
 * before any add). */
void vring_drv_reserve_tail(struct vring_drv *d, unsigned n);

/*
 * Add a chain: n_out device-readable buffers then n_in device-writable
 * ones (at least one in total). indirect: use one descriptor pointing at
 * an indirect table (needs the pool and n_out + n_in <= max_per_chain).
 * The chain is not visible to the device before vring_drv_publish().
 * Returns the head (>= 0), -ENOSPC (no free descriptors) or -EINVAL.
 */
int vring_drv_add(struct vring_drv *d, const struct vring_drv_buf *out, unsigned n_out,
		  const struct vring_drv_buf *in, unsigned n_in, void *data, bool indirect);
/* Put any head index into the next available slot (tests; no checks). */
void vring_drv_add_raw_head(struct vring_drv *d, uint16_t head);

/* Make added chains visible (release barrier on avail->idx). Returns true
 * if the device wants a kick (avail_event with EVENT_IDX, else
 * !VRING_USED_F_NO_NOTIFY). */
bool vring_drv_publish(struct vring_drv *d);

/* Take the next used entry: 1 and *u filled, 0 if none, -EIO if the
 * device returned an id that is not an outstanding head (entry consumed,
 * u->id/len filled). Reserved-tail ids return 1 with u->data NULL. */
int vring_drv_get_used(struct vring_drv *d, struct vring_drv_used *u);
/* Used entries not yet taken. */
unsigned vring_drv_used_pending(const struct vring_drv *d);

/* Ask for used-buffer notifications again (used_event = last_used with
 * EVENT_IDX, else clear VRING_AVAIL_F_NO_INTERRUPT). Returns true if used
 * entries are already pending (full barrier before the check). */
bool vring_drv_enable_cb(struct vring_drv *d);
/* Suppress used-buffer notifications (best effort, as the spec says). */
void vring_drv_disable_cb(struct vring_drv *d);

unsigned vring_drv_num_free(const struct vring_drv *d);
/* Chains added and not yet returned. */
unsigned vring_drv_outstanding(const struct vring_drv *d);

#endif
