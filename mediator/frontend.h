/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the daemon reaches a guest's virtio-scmi device, whatever carries it
 * (vhost-user socket, Xen virtio-mmio, a test harness). A frontend owns
 * the guest's scmi_dev; the core gives it the agent's scmi_dev_ops and
 * answers through complete()/event().
 */
#ifndef FRONTEND_H
#define FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "virtio/scmi_dev.h"

struct ev_loop;
struct frontend;

struct frontend_status {
	bool connected;
	uint64_t features;          /* negotiated virtio features */
	unsigned dev_inflight;      /* commands the device holds */
	uint64_t connections, disconnects;
	struct scmi_dev_stats dev;  /* device counters */
};

struct frontend_ops {
	const char *name;
	/* Listen on `socket` for the guest. NULL on failure (reason logged). */
	struct frontend *(*create)(struct ev_loop *loop, const char *socket,
				   const struct scmi_dev_ops *core, void *core_opaque);
	/* Disconnect (the device resets, calling core->reset), stop
	 * listening, remove the socket, free. */
	void (*destroy)(struct frontend *fe);
	void (*complete)(struct frontend *fe, uint32_t cookie, const uint8_t *resp, size_t len);
	/* 0 if sent or held, -1 if dropped. */
	int (*event)(struct frontend *fe, const uint8_t *msg, size_t len);
	void (*status)(struct frontend *fe, struct frontend_status *st);
};

#endif
