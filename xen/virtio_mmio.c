// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-mmio v2 register file (see virtio_mmio.h).
 */
#include <string.h>

#include "virtio_mmio.h"

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int vmmio_init(struct vmmio *vm, const struct vmmio_params *p,
	       const struct vmmio_dev_ops *ops, void *opaque, vmmio_irq_fn irq,
	       void *irq_opaque)
{
	if (!vm || !p || !ops || !ops->host_features || !ops->set_features ||
	    !ops->queue_start || !ops->queue_stop || !ops->kick || !ops->reset)
		return -1;
	if (p->num_queues < 1 || p->num_queues > VMMIO_MAX_QUEUES ||
	    !is_pow2(p->queue_num_max) || p->queue_num_max > 32768)
		return -1;
	memset(vm, 0, sizeof(*vm));
	vm->p = *p;
	vm->p.required_features |= VMMIO_F_VERSION_1;
	vm->ops = ops;
	vm->opaque = opaque;
	vm->irq = irq;
	vm->irq_opaque = irq_opaque;
	return 0;
}

static uint64_t offered(const struct vmmio *vm)
{
	return vm->ops->host_features(vm->opaque) | vm->p.extra_features | VMMIO_F_VERSION_1;
}

static void raise(struct vmmio *vm, uint32_t bits)
{
	vm->int_status |= bits;
	vm->stats.interrupts++;
	if (vm->irq)
		vm->irq(vm->irq_opaque, true);
}

static void stop_queues(struct vmmio *vm)
{
	for (unsigned i = 0; i < VMMIO_MAX_QUEUES; i++)
		memset(&vm->q[i], 0, sizeof(vm->q[i]));
}

void vmmio_reset(struct vmmio *vm)
{
	bool had_irq = vm->int_status != 0;

	vm->ops->reset(vm->opaque);
	stop_queues(vm);
	vm->status = 0;
	vm->dev_features_sel = 0;
	vm->drv_features_sel = 0;
	vm->drv_features = 0;
	vm->queue_sel = 0;
	vm->int_status = 0;
	vm->shm_sel = 0;
	vm->stats.resets++;
	if (had_irq && vm->irq)
		vm->irq(vm->irq_opaque, false);
}

static struct vmmio_queue *sel_queue(struct vmmio *vm)
{
	return vm->queue_sel < vm->p.num_queues ? &vm->q[vm->queue_sel] : NULL;
}

static uint32_t read_reg(struct vmmio *vm, unsigned off)
{
	struct vmmio_queue *q = sel_queue(vm);

	switch (off) {
	case VMMIO_MAGIC_VALUE:
		return VMMIO_MAGIC;
	case VMMIO_VERSION:
		return VMMIO_VERSION_MODERN;
	case VMMIO_DEVICE_ID:
		return vm->p.device_id;
	case VMMIO_VENDOR_ID:
		return vm->p.vendor_id;
	case VMMIO_DEVICE_FEATURES:
		if (vm->dev_features_sel > 1)
			return 0;
		return (uint32_t)(offered(vm) >> (32 * vm->dev_features_sel));
	case VMMIO_DEVICE_FEATURES_SEL:
		return vm->dev_features_sel;
	case VMMIO_DRIVER_FEATURES:
		if (vm->drv_features_sel > 1)
			return 0;
		return (uint32_t)(vm->drv_features >> (32 * vm->drv_features_sel));
	case VMMIO_DRIVER_FEATURES_SEL:
		return vm->drv_features_sel;
	case VMMIO_QUEUE_SEL:
		return vm->queue_sel;
	case VMMIO_QUEUE_NUM_MAX:
		/* 0: no such queue (and no more queues). A ready queue
		 * still reports its maximum. */
		return q ? vm->p.queue_num_max : 0;
	case VMMIO_QUEUE_NUM:
		return q ? q->num : 0;
	case VMMIO_QUEUE_READY:
		return q ? q->ready : 0;
	case VMMIO_INTERRUPT_STATUS:
		return vm->int_status;
	case VMMIO_STATUS:
		return vm->status;
	case VMMIO_QUEUE_DESC_LOW:
		return q ? (uint32_t)q->desc : 0;
	case VMMIO_QUEUE_DESC_HIGH:
		return q ? (uint32_t)(q->desc >> 32) : 0;
	case VMMIO_QUEUE_DRIVER_LOW:
		return q ? (uint32_t)q->driver : 0;
	case VMMIO_QUEUE_DRIVER_HIGH:
		return q ? (uint32_t)(q->driver >> 32) : 0;
	case VMMIO_QUEUE_DEVICE_LOW:
		return q ? (uint32_t)q->device : 0;
	case VMMIO_QUEUE_DEVICE_HIGH:
		return q ? (uint32_t)(q->device >> 32) : 0;
	case VMMIO_SHM_SEL:
		return vm->shm_sel;
	case VMMIO_SHM_LEN_LOW:
	case VMMIO_SHM_LEN_HIGH:
	case VMMIO_SHM_BASE_LOW:
	case VMMIO_SHM_BASE_HIGH:
		/* No shared memory regions: length (and base) all ones. */
		return 0xffffffffu;
	case VMMIO_CONFIG_GENERATION:
		return vm->config_generation;
	default:
		/* Write-only (QueueNotify, InterruptACK, selectors' data
		 * ports), legacy and reserved registers, QueueReset (the
		 * RING_RESET feature is not offered): 0. */
		return 0;
	}
}

static void set_features_ok(struct vmmio *vm, uint32_t val)
{
	uint64_t offer = offered(vm);
	uint64_t need = vm->p.required_features;

	if ((vm->drv_features & ~offer) || (vm->drv_features & need) != need) {
		/* The bit does not stick: the driver reads it back and
		 * fails the device. */
		vm->stats.features_refused++;
		vm->status = val & ~VIRTIO_STATUS_FEATURES_OK;
		return;
	}
	vm->ops->set_features(vm->opaque, vm->drv_features);
	vm->status = val;
}

static void write_status(struct vmmio *vm, uint32_t val)
{
	val &= 0xff;
	if (val == 0) {
		vmmio_reset(vm);
		return;
	}
	/* NEEDS_RESET is the device's bit; keep it, never let the driver set it. */
	val = (val & ~VIRTIO_STATUS_NEEDS_RESET) | (vm->status & VIRTIO_STATUS_NEEDS_RESET);
	if ((val & VIRTIO_STATUS_FEATURES_OK) && !(vm->status & VIRTIO_STATUS_FEATURES_OK)) {
		set_features_ok(vm, val);
		return;
	}
	if (!(val & VIRTIO_STATUS_FEATURES_OK) && (vm->status & VIRTIO_STATUS_FEATURES_OK)) {
		/* Clearing FEATURES_OK without a reset is not allowed. */
		val |= VIRTIO_STATUS_FEATURES_OK;
	}
	vm->status = val;
}

static int queue_ready(struct vmmio *vm, struct vmmio_queue *q, uint32_t val)
{
	unsigned idx = (unsigned)(q - vm->q);

	if (val == 1 && !q->ready) {
		if (!(vm->status & VIRTIO_STATUS_FEATURES_OK) ||
		    !is_pow2(q->num) || q->num > vm->p.queue_num_max)
			goto bad;
		/* Ready before the start: the device may complete buffers
		 * (and notify) from inside queue_start. */
		q->ready = true;
		if (vm->ops->queue_start(vm->opaque, idx, q->num, q->desc, q->driver,
					 q->device) != 0) {
			q->ready = false;
			goto bad;
		}
	} else if (val == 0 && q->ready) {
		vm->ops->queue_stop(vm->opaque, idx);
		q->ready = false;
	} else if (val > 1) {
		return -1;
	}
	return 0;
bad:
	vm->stats.bad_queue_setup++;
	return -1;
}

/* Queue configuration registers are frozen while the queue is ready. */
static int queue_cfg(struct vmmio *vm, uint64_t *field, bool high, uint32_t val)
{
	struct vmmio_queue *q = sel_queue(vm);

	if (!q || q->ready)
		return -1;
	if (high)
		*field = (*field & 0xffffffffull) | ((uint64_t)val << 32);
	else
		*field = (*field & ~0xffffffffull) | val;
	return 0;
}

static int write_reg(struct vmmio *vm, unsigned off, uint32_t val)
{
	struct vmmio_queue *q = sel_queue(vm);

	switch (off) {
	case VMMIO_DEVICE_FEATURES_SEL:
		vm->dev_features_sel = val;
		return 0;
	case VMMIO_DRIVER_FEATURES:
		if (vm->drv_features_sel > 1 || (vm->status & VIRTIO_STATUS_FEATURES_OK))
			return -1;
		if (vm->drv_features_sel)
			vm->drv_features = (vm->drv_features & 0xffffffffull) |
					   ((uint64_t)val << 32);
		else
			vm->drv_features = (vm->drv_features & ~0xffffffffull) | val;
		return 0;
	case VMMIO_DRIVER_FEATURES_SEL:
		vm->drv_features_sel = val;
		return 0;
	case VMMIO_QUEUE_SEL:
		vm->queue_sel = val;
		return 0;
	case VMMIO_QUEUE_NUM:
		if (!q || q->ready)
			return -1;
		q->num = val;
		return 0;
	case VMMIO_QUEUE_READY:
		if (!q)
			return -1;
		return queue_ready(vm, q, val);
	case VMMIO_QUEUE_NOTIFY:
		vm->stats.notifies++;
		/* Without NOTIFICATION_DATA the value is the queue index. */
		if (val >= vm->p.num_queues || !vm->q[val].ready)
			return -1;
		vm->ops->kick(vm->opaque, val);
		return 0;
	case VMMIO_INTERRUPT_ACK: {
		bool was = vm->int_status != 0;

		vm->int_status &= ~val;
		if (was && !vm->int_status && vm->irq)
			vm->irq(vm->irq_opaque, false);
		return 0;
	}
	case VMMIO_STATUS:
		write_status(vm, val);
		return 0;
	case VMMIO_QUEUE_DESC_LOW:
		return queue_cfg(vm, q ? &q->desc : NULL, false, val);
	case VMMIO_QUEUE_DESC_HIGH:
		return queue_cfg(vm, q ? &q->desc : NULL, true, val);
	case VMMIO_QUEUE_DRIVER_LOW:
		return queue_cfg(vm, q ? &q->driver : NULL, false, val);
	case VMMIO_QUEUE_DRIVER_HIGH:
		return queue_cfg(vm, q ? &q->driver : NULL, true, val);
	case VMMIO_QUEUE_DEVICE_LOW:
		return queue_cfg(vm, q ? &q->device : NULL, false, val);
	case VMMIO_QUEUE_DEVICE_HIGH:
		return queue_cfg(vm, q ? &q->device : NULL, true, val);
	case VMMIO_SHM_SEL:
		vm->shm_sel = val;
		return 0;
	default:
		/* Read-only, legacy (GuestPageSize, QueueAlign, QueuePFN),
		 * QueueReset and reserved registers. */
		return -1;
	}
}

int vmmio_read(struct vmmio *vm, uint64_t off, unsigned size, uint64_t *val)
{
	*val = 0;
	vm->stats.reads++;
	if (off >= VMMIO_REGION_SIZE || (size != 1 && size != 2 && size != 4 && size != 8) ||
	    (off & (size - 1)))
		goto bad;
	if (off >= VMMIO_CONFIG) {
		/* Device configuration space: virtio-scmi has none. */
		if (vm->ops->config_read && size <= 4)
			*val = vm->ops->config_read(vm->opaque, (unsigned)(off - VMMIO_CONFIG),
						    size);
		else if (size == 8)
			goto bad;
		return 0;
	}
	if (size != 4)
		goto bad;
	*val = read_reg(vm, (unsigned)off);
	return 0;
bad:
	vm->stats.bad_access++;
	return -1;
}

int vmmio_write(struct vmmio *vm, uint64_t off, unsigned size, uint64_t val)
{
	vm->stats.writes++;
	if (off >= VMMIO_REGION_SIZE || (size != 1 && size != 2 && size != 4 && size != 8) ||
	    (off & (size - 1)))
		goto bad;
	/* No writable configuration field; control registers are 32-bit. */
	if (off >= VMMIO_CONFIG || size != 4)
		goto bad;
	if (write_reg(vm, (unsigned)off, (uint32_t)val) == 0)
		return 0;
bad:
	vm->stats.bad_access++;
	return -1;
}

void vmmio_notify_used(struct vmmio *vm, unsigned q)
{
	if (q >= vm->p.num_queues || !vm->q[q].ready)
		return;
	raise(vm, VMMIO_INT_VRING);
}

void vmmio_config_changed(struct vmmio *vm)
{
	vm->config_generation++;
	if (vm->status & VIRTIO_STATUS_DRIVER_OK)
		raise(vm, VMMIO_INT_CONFIG);
}

void vmmio_set_needs_reset(struct vmmio *vm)
{
	if (vm->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	vm->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (vm->status & VIRTIO_STATUS_DRIVER_OK)
		raise(vm, VMMIO_INT_CONFIG);
}

uint64_t vmmio_driver_features(const struct vmmio *vm)
{
	return vm->drv_features;
}

bool vmmio_driver_ok(const struct vmmio *vm)
{
	return (vm->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(vm->status & VIRTIO_STATUS_NEEDS_RESET);
}

const struct vmmio_stats *vmmio_stats(const struct vmmio *vm)
{
	return &vm->stats;
}
