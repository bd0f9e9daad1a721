/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The discovery sequence Linux 6.12 arm_scmi sends when its protocols
 * initialise (drivers/firmware/arm_scmi/<proto>.c *_protocol_init and the
 * helpers they call: version, attributes, message checks, per-domain
 * attributes, extended names, paginated descriptions, fastchannel checks),
 * driven by the answers it gets, over any transport. Used to replay a
 * guest's probe through the mediator's cache (test_probe_replay, bench).
 */
#ifndef LINUX_PROBE_H
#define LINUX_PROBE_H

#include <stddef.h>
#include <stdint.h>

/* One command: writes the response to resp (cap bytes, the guest's
 * buffer size) and returns its length (>= 8), or 0 if lost. */
typedef size_t (*lp_xfer_fn)(void *opaque, const uint8_t *req, size_t len, uint8_t *resp,
			     size_t cap);

struct lp_stats {
	unsigned commands;   /* sent */
	unsigned errors;     /* answers with a non-SUCCESS status */
};

/* Probe POWER, PERF, CLOCK, SENSOR, RESET, VOLTAGE and SYSTEM the way
 * Linux 6.12 does, with resp buffers of `cap` bytes. */
void linux_probe(lp_xfer_fn xfer, void *opaque, size_t cap, struct lp_stats *st);

#endif
