// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-scmi behind a virtio-mmio slot of a Xen guest (see vdev.h).
 */
#include <stdlib.h>
#include <string.h>

#include "xen/vdev.h"

static void release_ring(struct xen_vdev *v, unsigned q)
{
	struct xen_vdev_ring *r = &v->ring[q];

	gmem_put(&v->gmap.gm, r->desc, r->desc_len);
	gmem_put(&v->gmap.gm, r->avail, r->avail_len);
	gmem_put(&v->gmap.gm, r->used, r->used_len);
	memset(r, 0, sizeof(*r));
}

static uint64_t vd_host_features(void *o)
{
	struct xen_vdev *v = o;

	return scmi_dev_host_features(v->dev);
}

static void vd_set_features(void *o, uint64_t f)
{
	struct xen_vdev *v = o;

	scmi_dev_set_features(v->dev, f);
}

static int vd_queue_start(void *o, unsigned q, unsigned num, uint64_t desc, uint64_t drv,
			  uint64_t devarea)
{
	struct xen_vdev *v = o;
	struct xen_vdev_ring *r = &v->ring[q];

	if (q > 1)
		return -1;
	release_ring(v, q);
	/* Split ring sizes (virtio 1.2 2.7), with the EVENT_IDX word. */
	r->desc_len = 16ul * num;
	r->avail_len = 4 + 2ul * num + 2;
	r->used_len = 4 + 8ul * num + 2;
	r->desc = gmem_get(&v->gmap.gm, desc, r->desc_len, GMEM_READ);
	r->avail = gmem_get(&v->gmap.gm, drv, r->avail_len, GMEM_READ);
	r->used = gmem_get(&v->gmap.gm, devarea, r->used_len, GMEM_READ | GMEM_WRITE);
	if (!r->desc || !r->avail || !r->used ||
	    scmi_dev_queue_setup(v->dev, q, num, r->desc, r->avail, r->used) != 0) {
		release_ring(v, q);
		return -1;
	}
	/* Buffers may already be waiting. */
	scmi_dev_kick(v->dev, q);
	if (scmi_dev_needs_reset(v->dev))
		vmmio_set_needs_reset(&v->vm);
	return 0;
}

static void vd_queue_stop(void *o, unsigned q)
{
	struct xen_vdev *v = o;

	if (q > 1)
		return;
	scmi_dev_queue_stop(v->dev, q);
	release_ring(v, q);
}

static void vd_kick(void *o, unsigned q)
{
	struct xen_vdev *v = o;

	scmi_dev_kick(v->dev, q);
	if (scmi_dev_needs_reset(v->dev))
		vmmio_set_needs_reset(&v->vm);
}

static void vd_reset(void *o)
{
	struct xen_vdev *v = o;

	scmi_dev_reset(v->dev);
	release_ring(v, 0);
	release_ring(v, 1);
	gmap_invalidate(&v->gmap);
}

static const struct vmmio_dev_ops vd_ops = {
	.host_features = vd_host_features,
	.set_features = vd_set_features,
	.queue_start = vd_queue_start,
	.queue_stop = vd_queue_stop,
	.kick = vd_kick,
	.reset = vd_reset,
};

static void vd_notify(void *o, unsigned q)
{
	struct xen_vdev *v = o;

	vmmio_notify_used(&v->vm, q);
}

static const struct scmi_dev_frontend_ops vd_fops = {
	.notify = vd_notify,
};

static int vd_mmio_read(void *o, uint64_t addr, unsigned size, uint64_t *val)
{
	struct xen_vdev *v = o;

	if (addr < v->base || addr - v->base >= VMMIO_REGION_SIZE)
		return -1;
	return vmmio_read(&v->vm, addr - v->base, size, val);
}

static int vd_mmio_write(void *o, uint64_t addr, unsigned size, uint64_t val)
{
	struct xen_vdev *v = o;

	if (addr < v->base || addr - v->base >= VMMIO_REGION_SIZE)
		return -1;
	return vmmio_write(&v->vm, addr - v->base, size, val);
}

static void vd_invalidate(void *o)
{
	struct xen_vdev *v = o;

	/* Pinned rings stay until their queue stops; the rest goes. */
	gmap_invalidate(&v->gmap);
}

const struct ioreq_sm_ops xen_vdev_ioreq_ops = {
	.mmio_read = vd_mmio_read,
	.mmio_write = vd_mmio_write,
	.invalidate = vd_invalidate,
};

bool xen_vdev_serve(struct xen_vdev *v, volatile struct ioreq_slot *slot)
{
	return ioreq_sm_serve(slot, &xen_vdev_ioreq_ops, v, &v->ioreq_stats);
}

struct xen_vdev *xen_vdev_new(const struct xen_vdev_params *p,
			      const struct gmap_mapper_ops *mops, void *mapper_opaque,
			      const struct scmi_dev_ops *core_ops, void *core_opaque,
			      vmmio_irq_fn irq, void *irq_opaque)
{
	struct vmmio_params vp = {
		.device_id = VIRTIO_ID_SCMI,
		.vendor_id = VMMIO_VENDOR_SCMIMED,
		.num_queues = 2,
		.queue_num_max = p->queue_num_max ? p->queue_num_max : SCMI_DEV_MAX_QUEUE_SIZE,
	};
	struct xen_vdev *v;

	if (p->base & (VMMIO_REGION_SIZE - 1) || vp.queue_num_max > SCMI_DEV_MAX_QUEUE_SIZE)
		return NULL;
	if (p->gmap.mode == GMAP_GRANT) {
		/* Linux only uses grant DMA with ACCESS_PLATFORM negotiated. */
		vp.extra_features = VMMIO_F_ACCESS_PLATFORM;
		vp.required_features = VMMIO_F_ACCESS_PLATFORM;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->base = p->base;
	v->irq = irq;
	v->irq_opaque = irq_opaque;
	if (gmap_init(&v->gmap, &p->gmap, mops, mapper_opaque) != 0)
		goto fail;
	v->dev = scmi_dev_new(&v->gmap.gm, core_ops, core_opaque, &vd_fops, v);
	if (!v->dev)
		goto fail;
	if (p->name)
		scmi_dev_set_name(v->dev, p->name);
	scmi_dev_set_p2a_offered(v->dev, p->p2a);
	if (vmmio_init(&v->vm, &vp, &vd_ops, v, irq, irq_opaque) != 0)
		goto fail;
	return v;
fail:
	if (v->dev)
		scmi_dev_free(v->dev);
	free(v);
	return NULL;
}

void xen_vdev_free(struct xen_vdev *v)
{
	if (!v)
		return;
	scmi_dev_reset(v->dev);
	release_ring(v, 0);
	release_ring(v, 1);
	scmi_dev_free(v->dev);
	gmap_release_all(&v->gmap);
	free(v);
}

struct scmi_dev *xen_vdev_scmi(struct xen_vdev *v)
{
	return v->dev;
}
