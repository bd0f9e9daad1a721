// SPDX-License-Identifier: GPL-2.0-only
/*
 * Core-path driver for instruction counting (run-bench.sh runs it under
 * callgrind at two command counts and takes the difference): N commands
 * go through the virtio-scmi device model (in-memory rings, no sockets),
 * the guest's agent, the dispatcher and the embedded platform backend,
 * and back into the used ring, 64 at a time.
 *
 *   bench_core N [PLATFORM_CFG]     (default bench/platform.cfg)
 *
 * The command is POWER_STATE_GET(0): validated by the agent, queued and
 * token-mapped by the dispatcher, answered by the platform.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/agent.h"
#include "mediator/base_cache.h"
#include "mediator/dispatcher.h"
#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"
#include "mediator/virtio/gmem.h"
#include "mediator/virtio/scmi_dev.h"
#include "tools/client/vring_drv.h"

#define QNUM 256u
#define BATCH 64u
#define GPA 0x40000000ull
#define MEM_SIZE (1u << 20)
#define RING_OFF 0u
#define BUF_OFF 0x10000u
#define SLOT 256u

struct bench {
	struct scmi_dev *dev;
	unsigned notified;
};

static void out_complete(void *opaque, uint32_t cookie, const uint8_t *resp, size_t len)
{
	struct bench *b = opaque;

	scmi_dev_complete(b->dev, cookie, resp, len);
}

static int out_event(void *opaque, const uint8_t *msg, size_t len)
{
	struct bench *b = opaque;

	return scmi_dev_event(b->dev, msg, len);
}

static void fe_notify(void *opaque, unsigned q)
{
	struct bench *b = opaque;

	b->notified++;
}

int main(int argc, char **argv)
{
	static const struct agent_out_ops out = { .complete = out_complete, .event = out_event };
	static const struct scmi_dev_frontend_ops fops = { .notify = fe_notify };
	const char *pcfg = argc > 2 ? argv[2] : "bench/platform.cfg";
	struct agent_config acfg = { .name = "bench", .chan = 0, .agent_id = 1,
				     .num_agents = 1 };
	struct gmem_regions regions;
	struct gmem_region r = { 0 };
	struct disp_config dc;
	struct bench b = { 0 };
	struct vring_drv d;
	struct plat_desc *desc;
	struct scmi_platform *plat;
	struct scmi_backend *be;
	struct dispatcher *disp;
	struct base_cache *bc;
	struct agent *ag;
	struct ev_loop *loop;
	uint8_t *mem;
	unsigned long n, done = 0, sent = 0, errors = 0;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_core N [PLATFORM_CFG]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	desc = plat_desc_load(pcfg, stderr);
	if (!desc)
		return 1;
	plat = plat_new(desc);
	loop = ev_loop_new();
	mem = aligned_alloc(4096, MEM_SIZE);
	if (!plat || !loop || !mem)
		return 1;
	memset(mem, 0, MEM_SIZE);
	be = embedded_backend_new(loop, plat);
	if (!be)
		return 1;
	disp_config_defaults(&dc);
	dc.client_max_inflight = BATCH;
	dc.client_max_queued = QNUM;
	disp = disp_new(loop, be, &dc);
	bc = base_cache_new(disp, 0);
	ag = agent_new(loop, disp, bc, &acfg, &out, &b);
	if (!disp || !bc || !ag)
		return 1;

	gmem_regions_init(&regions);
	r.gpa = GPA;
	r.size = MEM_SIZE;
	r.hva = mem;
	if (gmem_regions_add(&regions, &r))
		return 1;
	b.dev = scmi_dev_new(&regions.gm, &agent_dev_ops, ag, &fops, &b);
	if (!b.dev)
		return 1;
	scmi_dev_set_features(b.dev, 1ull << VIRTIO_F_VERSION_1);
	if (vring_drv_init(&d, QNUM, mem + RING_OFF, GPA + RING_OFF, false) ||
	    scmi_dev_queue_setup(b.dev, SCMI_DEV_CMDQ, QNUM, d.desc, d.avail, d.used))
		return 1;

	while (done < n) {
		struct vring_drv_used u;

		while (sent < n && sent - done < BATCH) {
			unsigned slot = (unsigned)(sent % QNUM);
			uint8_t *req = mem + BUF_OFF + slot * 2 * SLOT;
			struct vring_drv_buf o = { GPA + BUF_OFF + slot * 2 * SLOT, 8 };
			struct vring_drv_buf i = { o.gpa + SLOT, SCMI_LINUX_MSG_SIZE };

			scmi_put_le32(req, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET,
						    SCMI_MSG_COMMAND, (uint16_t)(sent & 0x3ff)));
			scmi_put_le32(req + 4, 0);
			if (vring_drv_add(&d, &o, 1, &i, 1, (void *)(uintptr_t)(slot + 1),
					  false) < 0)
				break;
			sent++;
		}
		vring_drv_publish(&d);
		scmi_dev_kick(b.dev, SCMI_DEV_CMDQ);
		if (ev_loop_run_once(loop, 100) < 0) {
			rc = 1;
			break;
		}
		while (vring_drv_get_used(&d, &u) > 0) {
			size_t slot = (uintptr_t)u.data - 1;
			const uint8_t *resp = mem + BUF_OFF + slot * 2 * SLOT + SLOT;

			if (u.len < 8 || scmi_get_le32(resp + 4) != SCMI_SUCCESS)
				errors++;
			done++;
		}
	}
	if (errors) {
		fprintf(stderr, "bench_core: %lu of %lu commands failed\n", errors, n);
		rc = 1;
	}
	scmi_dev_reset(b.dev);
	scmi_dev_free(b.dev);
	agent_free(ag);
	base_cache_free(bc);
	disp_free(disp);
	scmi_backend_destroy(be);
	ev_loop_free(loop);
	plat_desc_free(desc);
	free(mem);
	printf("bench_core: %lu commands, %lu errors\n", done, errors);
	return rc;
}
