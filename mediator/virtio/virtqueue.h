/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device side of a split virtqueue (virtio 1.2 split-ring). The frontend
 * gives the rings as host pointers (already translated and bounds-checked
 * for num entries); descriptor buffers are translated through gmem.
 *
 * Everything the driver wrote is hostile: each descriptor is copied once
 * and checked (index < num, chain length, INDIRECT rules, readable before
 * writable, address range and protection through gmem, total length),
 * and an avail index more than num ahead marks the queue broken (the
 * frontend then exposes DEVICE_NEEDS_RESET).
 */
#ifndef VIRTQUEUE_H
#define VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "vring.h"

#define VQ_MAX_NUM 1024u
/* Descriptors per chain, direct and indirect entries together (the spec
 * lets a device set "a reasonable limit"); also bounds descriptor loops. */
#define VQ_MAX_CHAIN 64u
/* Indirect table entries (len / 16). */
#define VQ_MAX_INDIRECT VQ_MAX_CHAIN

enum vq_err {
	VQ_OK = 0,
	VQ_E_NEXT_RANGE,        /* next index >= num (or >= table size) */
	VQ_E_CHAIN_LONG,        /* more than VQ_MAX_CHAIN descriptors, or a loop */
	VQ_E_ADDR,              /* buffer outside guest memory, wraps, or bad prot */
	VQ_E_ORDER,             /* device-readable after device-writable */
	VQ_E_INDIRECT_FEATURE,  /* INDIRECT without VIRTIO_F_RING_INDIRECT_DESC */
	VQ_E_INDIRECT_NESTED,   /* INDIRECT inside an indirect table */
	VQ_E_INDIRECT_NEXT,     /* INDIRECT together with NEXT */
	VQ_E_INDIRECT_LEN,      /* table len 0, not a multiple of 16, too big */
	VQ_E_INDIRECT_ADDR,     /* table outside guest memory */
	VQ_E_MAX
};
const char *vq_err_str(enum vq_err e);

struct vq_seg {
	uint64_t gpa;
	uint32_t len;
	bool write;
};

/* One popped chain: readable segments first (n_out), then writable
 * (n_in). Zero-length descriptors are accepted and skipped. err is the
 * first problem found; a bad buffer (VQ_E_ADDR, VQ_E_ORDER) is left out
 * and the walk goes on, a bad link or table ends it. Either way seg[]
 * holds only checked buffers, so an error reply can use them. */
struct vq_chain {
	uint16_t head;
	enum vq_err err;
	unsigned n_out, n_in;
	uint32_t out_len, in_len;   /* totals, saturated at UINT32_MAX */
	struct vq_seg seg[VQ_MAX_CHAIN];
};

enum vq_pop {
	VQ_POP_EMPTY = 0,   /* nothing available */
	VQ_POP_CHAIN,       /* chain in *c (check c->err; complete it either way) */
	VQ_POP_DROP,        /* avail entry had head >= num: consumed, nothing to complete */
	VQ_POP_BROKEN,      /* queue broken (see vq->broken) */
};

struct vq {
	struct gmem *gm;
	unsigned num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	bool ready;
	bool broken;
	bool indirect;          /* VIRTIO_F_RING_INDIRECT_DESC negotiated */
	bool event_idx;         /* VIRTIO_F_RING_EVENT_IDX negotiated */
	uint16_t last_avail;    /* next avail entry to read */
	uint16_t used_idx;      /* shadow of used->idx */
	uint16_t signalled;     /* used_idx when we last decided to notify */
	bool signalled_valid;
};

void vq_init(struct vq *vq, struct gmem *gm);
/* Start the queue on the given rings (alignment checked). last_avail is
 * kept (set it with vq_set_last_avail); used_idx is read from the ring.
 * Returns 0 or -1 (bad num or alignment). */
int vq_start(struct vq *vq, unsigned num, void *desc, void *avail, void *used);
/* Stop using the rings; returns last_avail. */
uint16_t vq_stop(struct vq *vq);
/* Forget everything (device reset): stopped, indices 0, not broken. */
void vq_reset(struct vq *vq);
void vq_set_features(struct vq *vq, bool indirect, bool event_idx);
void vq_set_last_avail(struct vq *vq, uint16_t idx);

/* Entries available and not yet popped (0 if stopped or broken; marks the
 * queue broken if the driver claims more than num). */
unsigned vq_avail(struct vq *vq);
enum vq_pop vq_pop(struct vq *vq, struct vq_chain *c);
/* Return a chain: used entry (head, len) published with release order. */
void vq_push(struct vq *vq, uint16_t head, uint32_t len);
/* After pushes: does the driver want a used-buffer notification? */
bool vq_should_notify(struct vq *vq);
/* Before going idle: ask for a kick on the next available entry
 * (avail_event with EVENT_IDX). Returns true if entries arrived meanwhile,
 * so the caller must keep popping. */
bool vq_enable_kick(struct vq *vq);

#endif
