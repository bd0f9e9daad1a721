/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Split virtqueue memory layout (virtio 1.2, split-ring): the wire format
 * shared by the device side (mediator/virtio/virtqueue.h) and the driver
 * side (tools/client/vring_drv.h). Every field is little endian.
 *
 *   descriptor table  16 * num bytes, 16-byte aligned
 *   available ring    flags, idx, ring[num], used_event   2-byte aligned
 *   used ring         flags, idx, ring[num] {id, len}, avail_event
 *                     4-byte aligned
 *
 * used_event (last u16 of the available ring) and avail_event (last u16
 * of the used ring) exist only with VIRTIO_F_RING_EVENT_IDX; the ring
 * sizes below always include them.
 */
#ifndef VRING_H
#define VRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRING_DESC_F_NEXT      1u
#define VRING_DESC_F_WRITE     2u
#define VRING_DESC_F_INDIRECT  4u

#define VRING_AVAIL_F_NO_INTERRUPT 1u
#define VRING_USED_F_NO_NOTIFY     1u

#define VRING_DESC_ALIGN  16u
#define VRING_AVAIL_ALIGN 2u
#define VRING_USED_ALIGN  4u

struct vring_desc {
	uint64_t addr;   /* le64 guest physical address */
	uint32_t len;    /* le32 */
	uint16_t flags;  /* le16 VRING_DESC_F_* */
	uint16_t next;   /* le16 */
};

struct vring_avail {
	uint16_t flags;  /* le16 VRING_AVAIL_F_* */
	uint16_t idx;    /* le16 free-running */
	uint16_t ring[]; /* le16 [num], then le16 used_event */
};

struct vring_used_elem {
	uint32_t id;     /* le32 head of the chain */
	uint32_t len;    /* le32 bytes written */
};

struct vring_used {
	uint16_t flags;  /* le16 VRING_USED_F_* */
	uint16_t idx;    /* le16 free-running */
	struct vring_used_elem ring[]; /* [num], then le16 avail_event */
};

static inline size_t vring_desc_size(unsigned num)
{
	return (size_t)num * sizeof(struct vring_desc);
}
static inline size_t vring_avail_size(unsigned num)
{
	return sizeof(struct vring_avail) + (size_t)num * 2 + 2;
}
static inline size_t vring_used_size(unsigned num)
{
	return sizeof(struct vring_used) + (size_t)num * sizeof(struct vring_used_elem) + 2;
}

/* used_event / avail_event locations. */
static inline uint16_t *vring_used_event(struct vring_avail *a, unsigned num)
{
	return &a->ring[num];
}
static inline uint16_t *vring_avail_event(struct vring_used *u, unsigned num)
{
	return (uint16_t *)(void *)&u->ring[num];
}

/*
 * EVENT_IDX rule: after moving an index from old to new_idx, the other
 * side wants an event iff it asked for one at an index in [old, new_idx).
 */
static inline bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static inline bool vring_num_valid(unsigned num, unsigned max)
{
	return num >= 1 && num <= max && (num & (num - 1)) == 0;
}

#endif
