/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A scriptable backend for core tests: records what is sent, lets the
 * test answer (or not) in any order, and can refuse with -EAGAIN.
 */
#ifndef FAKE_BACKEND_H
#define FAKE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

#define FAKE_BE_MAX_SENT 4096

struct fake_sent {
	unsigned chan;
	size_t len, resp_max;
	uint8_t msg[512];
};

struct fake_backend {
	struct scmi_backend b;
	unsigned max_inflight;       /* reported per channel */
	unsigned eagain;             /* refuse the next N sends with -EAGAIN */
	int fail;                    /* refuse the next send with this error */
	struct fake_sent sent[FAKE_BE_MAX_SENT];
	unsigned nsent;
};

struct fake_backend *fake_be_new(struct ev_loop *loop, unsigned nchannels);
/* Header of the n-th message sent. */
uint32_t fake_be_hdr(const struct fake_backend *f, unsigned n);
/* Deliver a message to the dispatcher as the platform would. */
void fake_be_rx(struct fake_backend *f, unsigned chan, const uint8_t *msg, size_t len);
/* Answer the n-th sent message: header unchanged, status, then vals. */
void fake_be_reply(struct fake_backend *f, unsigned n, int32_t status, const uint32_t *vals,
		   unsigned nvals);
/* Send a delayed response (type 2) for the n-th sent message. */
void fake_be_dresp(struct fake_backend *f, unsigned n, int32_t status, uint32_t val);

#endif
