// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a hostile Xen guest against the virtio-mmio slot
 * (xen/vdev.c: register file, ioreq state machine, gmap, scmi_dev). The
 * input's first byte picks grant or foreign addressing, the next
 * RAM_FILL bytes become the start of guest RAM (rings and buffers as the
 * guest wrote them), the rest is a sequence of 8-byte MMIO accesses
 * delivered as ioreqs: flags (bit 0 read, bits 1-2 == 3 invalidate, bit 3
 * value is a RAM address, 0x70 push an event, bit 7 with bit 3
 * data_is_ptr, 0xf0 rep count 2), offset (16 bits, 10 used), size
 * (1 << (b & 3)), value (32 bits; a grant address needs its high word
 * written with bit 31). The core answers every command at once.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen/vdev.h"

#define RAM_GPA 0x40000000ull
#define RAM_PAGES 16
#define RAM_FILL 512
#define BASE 0x02000000ull

static uint8_t ram[RAM_PAGES * 4096] __attribute__((aligned(4096)));
static enum gmap_mode mode;
static unsigned live;
static struct xen_vdev *vdev;

static void *fz_map(void *o, const uint64_t *frames, unsigned n, bool writable, int *err)
{
	uint64_t first = mode == GMAP_GRANT ? frames[0] : frames[0] - (RAM_GPA >> 12);

	for (unsigned i = 0; i < n; i++)
		err[i] = 0;
	if ((mode == GMAP_FOREIGN && frames[0] < (RAM_GPA >> 12)) || first >= RAM_PAGES ||
	    n > RAM_PAGES - first)
		return NULL;
	live++;
	return ram + first * 4096;
}

static void fz_unmap(void *o, void *addr, unsigned n)
{
	if (!live)
		abort();
	live--;
}

static const struct gmap_mapper_ops fz_mapper = { .map = fz_map, .unmap = fz_unmap };

static void fz_command(void *o, uint32_t cookie, const uint8_t *req, size_t len,
		       size_t resp_max)
{
	uint8_t resp[12] = { 0 };

	if (len < 4 || resp_max < 8)
		abort();        /* the device promised better */
	memcpy(resp, req, 4);
	scmi_dev_complete(xen_vdev_scmi(vdev), cookie, resp, resp_max >= 12 ? 12 : 8);
}

static void fz_reset(void *o)
{
}

static const struct scmi_dev_ops fz_core = { .command = fz_command, .reset = fz_reset };

static void fz_irq(void *o, bool level)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xen_vdev_params p = { .base = BASE, .p2a = true, .name = "fuzz" };
	struct ioreq_slot slot;
	size_t fill;

	if (size < 1)
		return 0;
	mode = data[0] & 1 ? GMAP_GRANT : GMAP_FOREIGN;
	data++;
	size--;
	memset(ram, 0, sizeof(ram));
	fill = size < RAM_FILL ? size : RAM_FILL;
	memcpy(ram, data, fill);
	data += fill;
	size -= fill;

	gmap_default_params(&p.gmap, mode);
	p.gmap.max_entries = 8;
	if (mode == GMAP_FOREIGN) {
		p.gmap.n_ram = 1;
		p.gmap.ram[0].base = RAM_GPA;
		p.gmap.ram[0].size = sizeof(ram);
		p.gmap.chunk_pages = 4;
	} else {
		p.gmap.max_grant_ref = RAM_PAGES;
	}
	live = 0;
	vdev = xen_vdev_new(&p, &fz_mapper, NULL, &fz_core, NULL, fz_irq, NULL);
	if (!vdev)
		abort();
	for (; size >= 8; data += 8, size -= 8) {
		uint32_t val;

		memcpy(&val, data + 4, 4);
		memset(&slot, 0, sizeof(slot));
		slot.addr = BASE + ((data[1] | (unsigned)data[2] << 8) & 0x3ff);
		slot.size = 1u << (data[3] & 3);
		slot.count = 1 + ((data[0] >> 4) == 0xf);
		slot.dir = data[0] & 1;
		slot.type = (data[0] & 6) == 6 ? IOREQ_SM_TYPE_INVALIDATE : IOREQ_SM_TYPE_COPY;
		slot.data_is_ptr = (data[0] >> 3) & (data[0] >> 7) & 1;
		/* Common case: the value is a queue address in RAM. */
		slot.data = (data[0] & 8) ? (mode == GMAP_GRANT ? 0 : RAM_GPA) +
			(val & (sizeof(ram) - 1)) : val;
		slot.state = IOREQ_SM_STATE_READY;
		if (!xen_vdev_serve(vdev, &slot) || slot.state != IOREQ_SM_STATE_RESP_READY)
			abort();
		if ((data[0] & 0x70) == 0x70) {
			static const uint8_t notif[12] = { 0x00, 0x43, 0, 0, 1, 0, 0, 0 };

			scmi_dev_event(xen_vdev_scmi(vdev), notif, sizeof(notif));
		}
	}
	xen_vdev_free(vdev);
	vdev = NULL;
	if (live)
		abort();        /* a mapping leaked */
	return 0;
}
