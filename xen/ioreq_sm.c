// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioreq state machine (see ioreq_sm.h).
 */
#include "ioreq_sm.h"

static inline void full_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static uint64_t ones(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static bool size_ok(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static void do_copy(struct ioreq_slot *r, const struct ioreq_sm_ops *ops, void *opaque,
		    struct ioreq_sm_stats *st)
{
	unsigned size = r->size;
	bool read = r->dir == IOREQ_SM_DIR_READ;

	if (r->data_is_ptr || r->count != 1 || !size_ok(r->size) || r->df) {
		st->rejected++;
		if (read)
			r->data = size_ok(r->size) ? ones(size) : ~0ull;
		return;
	}
	if (read) {
		uint64_t v = 0;

		st->reads++;
		if (ops->mmio_read(opaque, r->addr, size, &v) != 0) {
			st->failed++;
			v = ones(size);
		}
		r->data = v & ones(size);
	} else {
		st->writes++;
		if (ops->mmio_write(opaque, r->addr, size, r->data & ones(size)) != 0)
			st->failed++;
	}
}

bool ioreq_sm_serve(volatile struct ioreq_slot *slot, const struct ioreq_sm_ops *ops,
		    void *opaque, struct ioreq_sm_stats *st)
{
	struct ioreq_slot r;

	if (slot->state != IOREQ_SM_STATE_READY) {
		st->spurious++;
		return false;
	}
	/* Read the request only after seeing READY. */
	full_barrier();
	slot->state = IOREQ_SM_STATE_INPROCESS;
	full_barrier();
	/* Work on a private copy: the fields are read once. */
	r = *(struct ioreq_slot *)slot;

	switch (r.type) {
	case IOREQ_SM_TYPE_COPY:
		do_copy(&r, ops, opaque, st);
		break;
	case IOREQ_SM_TYPE_INVALIDATE:
		st->invalidates++;
		if (ops->invalidate)
			ops->invalidate(opaque);
		break;
	default:
		/* PIO, PCI config, time offset: not used on Arm, not ours. */
		st->rejected++;
		if (r.dir == IOREQ_SM_DIR_READ)
			r.data = ~0ull;
		break;
	}
	st->handled++;
	slot->data = r.data;
	/* The result is visible before the state says so. */
	full_barrier();
	slot->state = IOREQ_SM_STATE_RESP_READY;
	full_barrier();
	return true;
}
