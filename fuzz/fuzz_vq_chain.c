// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: hostile guest memory and rings against the virtio-scmi
 * device (split virtqueues, chain walk, cmdq/eventq rules).
 *
 * Input: [cfg0][cfg1][nops][ops: nops * 3 bytes][guest memory image]
 *   cfg0: bits 0-2 select the queue size (2..16 entries), bit 3
 *         INDIRECT_DESC, bit 4 EVENT_IDX, bit 5 P2A, bit 6 deferred core
 *   memory image: copied to guest RAM at gpa 0 (rings live there:
 *         cmdq desc 0x000, avail 0x100; eventq desc 0x200, avail 0x300;
 *         buffers from 0x400), the rest is zero.
 *         The used rings live in a separate block that no guest address
 *         reaches (a guest may legitimately point a writable buffer at
 *         its own used ring, which would make the check below
 *         meaningless), so everything found there was written by the
 *         device as a used element.
 *   ops: {op, a, b}: kick a queue, send events, complete deferred
 *        commands, poke ring bytes, stop/restart, reset.
 * Guest RAM is an exactly-sized heap block, so any access outside it is
 * an ASan report. Invariants checked: the core only sees 4..512-byte
 * requests with 8..512 writable bytes; used lengths never exceed 512.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/virtio/scmi_dev.h"
#include "mediator/virtio/vring.h"

#define RAM_SIZE 0x8000u
#define ROM_GPA 0x10000u
#define ROM_SIZE 0x1000u
#define MAX_DEFER 1100
#define CQ_DESC 0x000u
#define CQ_AVAIL 0x100u
#define EQ_DESC 0x200u
#define EQ_AVAIL 0x300u
#define USED_SIZE 0xc0u         /* vring_used_size(16) rounded up */

struct fz {
	struct gmem_regions gm;
	uint8_t *ram, *rom, *used;
	struct scmi_dev *dev;
	unsigned num;
	uint64_t feat;
	bool deferred;
	uint32_t cookies[MAX_DEFER];
	uint32_t hdrs[MAX_DEFER];
	size_t rmax[MAX_DEFER];
	unsigned ndef;
};

static void core_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	struct fz *z = opaque;
	uint8_t out[SCMI_MSG_MAX + 8];

	if (len < 4 || len > SCMI_MSG_MAX || resp_max < 8 || resp_max > SCMI_MSG_MAX)
		abort();
	if (z->deferred && z->ndef < MAX_DEFER) {
		z->cookies[z->ndef] = cookie;
		z->hdrs[z->ndef] = scmi_get_le32(req);
		z->rmax[z->ndef] = resp_max;
		z->ndef++;
		return;
	}
	/* echo: hdr, SUCCESS (or the status the request asks for), payload */
	memcpy(out, req, 4);
	scmi_put_le32(out + 4, len >= 8 && req[4] == 0xee ? (uint32_t)SCMI_DENIED : 0);
	memcpy(out + 8, req + 4, len - 4);
	scmi_dev_complete(z->dev, cookie, out, len + 4);
}

static void core_reset(void *opaque)
{
	struct fz *z = opaque;

	z->ndef = 0;
}

static void fe_notify(void *opaque, unsigned q)
{
	(void)opaque;
	if (q > 1)
		abort();
}

static const struct scmi_dev_ops core_ops = { .command = core_command, .reset = core_reset };
static const struct scmi_dev_frontend_ops fe_ops = { .notify = fe_notify };

static void setup_queues(struct fz *z)
{
	scmi_dev_set_features(z->dev, z->feat);
	scmi_dev_queue_setup(z->dev, SCMI_DEV_CMDQ, z->num, z->ram + CQ_DESC,
			     z->ram + CQ_AVAIL, z->used);
	scmi_dev_queue_setup(z->dev, SCMI_DEV_EVENTQ, z->num, z->ram + EQ_DESC,
			     z->ram + EQ_AVAIL, z->used + USED_SIZE);
}

static void check_used(struct fz *z)
{
	const struct vring_used *u[2] = {
		(const struct vring_used *)(const void *)z->used,
		(const struct vring_used *)(const void *)(z->used + USED_SIZE),
	};

	for (unsigned q = 0; q < 2; q++)
		for (unsigned i = 0; i < z->num; i++)
			if (u[q]->ring[i].len > SCMI_MSG_MAX)
				abort();
}

static void run_op(struct fz *z, uint8_t op, uint8_t a, uint8_t b)
{
	uint8_t m[8 + 2 * 255];         /* op 4 replies up to 518 bytes */
	size_t len;

	switch (op % 10) {
	case 0:
		scmi_dev_kick(z->dev, SCMI_DEV_CMDQ);
		break;
	case 1:
		scmi_dev_kick(z->dev, SCMI_DEV_EVENTQ);
		break;
	case 2:                 /* delayed response */
	case 3:                 /* notification */
		len = 4 + (size_t)(b % 32) * 4;
		memset(m, a, len);
		scmi_put_le32(m, scmi_hdr(0x14, a & 0xf, op == 2 ? SCMI_MSG_DELAYED_RESP :
					  SCMI_MSG_NOTIFICATION, b));
		scmi_dev_event(z->dev, m, len);
		break;
	case 4:                 /* complete a deferred command */
		if (z->ndef) {
			unsigned i = a % z->ndef;

			len = 8 + (size_t)b * 2;
			memset(m, 0x5a, len);
			scmi_put_le32(m, z->hdrs[i]);
			scmi_put_le32(m + 4, b & 1 ? (uint32_t)SCMI_BUSY : 0);
			scmi_dev_complete(z->dev, z->cookies[i], m, len);
			/* again: stale now */
			scmi_dev_complete(z->dev, z->cookies[i], m, len);
			z->cookies[i] = z->cookies[--z->ndef];
			z->hdrs[i] = z->hdrs[z->ndef];
		}
		break;
	case 5: {               /* the driver pokes rings and buffers */
		unsigned off = ((unsigned)a << 4 | (b & 0xf)) & 0x7ff;

		z->ram[off] = b;
		break;
	}
	case 6:                 /* advance an avail idx */
		z->ram[(a & 1 ? EQ_AVAIL : CQ_AVAIL) + 2] += (uint8_t)(b % 8);
		break;
	case 7: {               /* vhost-user style stop / restart */
		unsigned q = a & 1;
		uint16_t base = scmi_dev_queue_stop(z->dev, q);

		scmi_dev_queue_set_last_avail(z->dev, q, (uint16_t)(base + (b & 1)));
		setup_queues(z);
		break;
	}
	case 8:
		scmi_dev_reset(z->dev);
		setup_queues(z);
		break;
	case 9:
		scmi_dev_complete(z->dev, (uint32_t)a << 24 | b, m, 8);
		break;
	}
	check_used(z);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the device's (rate-limited) warnings about hostile rings would
	 * dominate the run time; errors (core misuse) still show */
	log_set_level(LOG_LVL_ERROR);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gmem_region r;
	struct fz z;
	size_t nops, i;

	if (size < 3)
		return 0;
	memset(&z, 0, sizeof(z));
	z.num = 2u << ((data[0] & 7) % 4);
	z.feat = (1ull << VIRTIO_F_VERSION_1) |
		 (data[0] & 8 ? 1ull << VIRTIO_F_RING_INDIRECT_DESC : 0) |
		 (data[0] & 16 ? 1ull << VIRTIO_F_RING_EVENT_IDX : 0) |
		 (data[0] & 32 ? 1ull << VIRTIO_SCMI_F_P2A_CHANNELS : 0);
	z.deferred = data[0] & 64;
	nops = data[2];
	data += 3;
	size -= 3;
	if (nops * 3 > size)
		nops = size / 3;

	z.ram = calloc(1, RAM_SIZE);
	z.rom = calloc(1, ROM_SIZE);
	z.used = aligned_alloc(8, 2 * USED_SIZE);
	if (!z.ram || !z.rom || !z.used)
		abort();
	memcpy(z.ram, data + nops * 3, size - nops * 3 < RAM_SIZE ? size - nops * 3 : RAM_SIZE);
	memset(z.used, 0, 2 * USED_SIZE);
	gmem_regions_init(&z.gm);
	r = (struct gmem_region){ .gpa = 0, .size = RAM_SIZE, .hva = z.ram };
	gmem_regions_add(&z.gm, &r);
	r = (struct gmem_region){ .gpa = ROM_GPA, .size = ROM_SIZE, .hva = z.rom,
				  .readonly = true };
	gmem_regions_add(&z.gm, &r);

	z.dev = scmi_dev_new(&z.gm.gm, &core_ops, &z, &fe_ops, &z);
	if (!z.dev)
		abort();
	scmi_dev_set_p2a_offered(z.dev, true);
	setup_queues(&z);
	scmi_dev_kick(z.dev, SCMI_DEV_CMDQ);
	scmi_dev_kick(z.dev, SCMI_DEV_EVENTQ);
	for (i = 0; i < nops; i++)
		run_op(&z, data[i * 3], data[i * 3 + 1], data[i * 3 + 2]);
	/* late replies for everything still in flight */
	while (z.ndef)
		run_op(&z, 4, 0, 4);
	if (scmi_dev_inflight(z.dev) != 0)
		abort();
	scmi_dev_reset(z.dev);
	scmi_dev_free(z.dev);
	free(z.ram);
	free(z.rom);
	free(z.used);
	return 0;
}
