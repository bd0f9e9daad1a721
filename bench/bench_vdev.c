// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-scmi device hot path: one command through a real split ring
 * (driver add + publish, device pop -> core -> reply written -> used,
 * driver collects), with an echo core answering inside the callback.
 * Prints ns per command; run under callgrind to count instructions of
 * scmi_dev_kick (inclusive), which is the device's whole share:
 *   valgrind --tool=callgrind build/gcc/bench/bench_vdev 20000
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mediator/scmi_msg.h"
#include "mediator/virtio/scmi_dev.h"
#include "tests/support/virtio_guest.h"

static struct scmi_dev *dev;

static void echo(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
		 size_t resp_max)
{
	uint8_t out[SCMI_MSG_MAX + 8];

	(void)opaque;
	(void)resp_max;
	memcpy(out, req, 4);
	scmi_put_le32(out + 4, 0);
	memcpy(out + 8, req + 4, len - 4);
	scmi_dev_complete(dev, cookie, out, len + 4);
}

static void notify(void *opaque, unsigned q)
{
	(*(unsigned long *)opaque)++;
}

static const struct scmi_dev_ops ops = { .command = echo };
static const struct scmi_dev_frontend_ops fops = { .notify = notify };

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000, i, notifies = 0;
	struct vguest g;
	struct vring_drv *d;
	uint64_t req, resp;
	struct timespec t0, t1;
	struct vring_drv_used u;

	if (vguest_init(&g, 1 << 20, 0))
		return 1;
	dev = scmi_dev_new(&g.gm.gm, &ops, NULL, &fops, &notifies);
	if (!dev)
		return 1;
	scmi_dev_set_features(dev, scmi_dev_host_features(dev));
	d = vguest_ring(&g, 256, true, 0);
	scmi_dev_queue_setup(dev, SCMI_DEV_CMDQ, 256, d->desc, d->avail, d->used);
	req = vguest_alloc(&g, 16, 8);
	resp = vguest_alloc(&g, SCMI_LINUX_MSG_SIZE, 8);
	scmi_put_le32(vguest_hva(&g, req), scmi_hdr(0x14, 6, 0, 1));
	scmi_put_le32((uint8_t *)vguest_hva(&g, req) + 4, 3);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		struct vring_drv_buf out = { req, 8 }, in = { resp, SCMI_LINUX_MSG_SIZE };

		if (vring_drv_add(d, &out, 1, &in, 1, NULL, false) < 0)
			return 1;
		vring_drv_publish(d);
		scmi_dev_kick(dev, SCMI_DEV_CMDQ);
		if (vring_drv_get_used(d, &u) != 1 || u.len != 12)
			return 1;
		vring_drv_enable_cb(d);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("bench_vdev: %lu commands, %.0f ns/command (driver side included), "
	       "%lu notifications\n", n,
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (double)n,
	       notifies);
	scmi_dev_free(dev);
	free(d);
	vguest_fini(&g);
	return 0;
}
