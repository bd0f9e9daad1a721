/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-scmi device model (virtio 1.2, device id 32), independent of
 * how guest memory is reached (gmem) and of how the guest is signalled
 * (frontend ops). Frontends (vhost-user, Xen virtio-mmio) own one
 * scmi_dev per guest device; the core (the guest's agent) gets each
 * command through dev_ops->command and answers with scmi_dev_complete(),
 * in any order, exactly once per command. P2A messages (delayed responses
 * and notifications) go out with scmi_dev_event(). Not thread-safe: every
 * call for one device comes from the same thread (the event loop).
 *
 * Device rules (virtio spec device-types/scmi, see docs/virtio.md):
 *  - every available cmdq buffer is completed (malformed ones with a
 *    status-only PROTOCOL_ERROR reply if 8 writable bytes exist, else with
 *    used len 0 and a counted, logged drop);
 *  - a non-SUCCESS reply is exactly hdr + status (8 bytes);
 *  - the reply never exceeds the writable part;
 *  - delayed responses are held until eventq buffers are posted;
 *    notifications may be coalesced/dropped when no buffer is available;
 *  - without VIRTIO_SCMI_F_P2A_CHANNELS no P2A message is sent.
 */
#ifndef SCMI_DEV_H
#define SCMI_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gmem.h"

#define VIRTIO_ID_SCMI 32
#define VIRTIO_SCMI_F_P2A_CHANNELS 0
#define VIRTIO_SCMI_F_SHARED_MEMORY 1
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

#define SCMI_DEV_CMDQ 0
#define SCMI_DEV_EVENTQ 1
#define SCMI_DEV_MAX_QUEUE_SIZE 1024

struct scmi_dev;

/* Implemented by the core (one per guest agent). */
struct scmi_dev_ops {
	/* req: hdr + payload copied out of guest memory (4 <= len <=
	 * SCMI_MSG_MAX), valid only during the call. resp_max: writable
	 * bytes available (>= 8, capped at SCMI_MSG_MAX). The core may call
	 * scmi_dev_complete() from inside this callback, or later. */
	void (*command)(void *opaque, uint32_t cookie, const uint8_t *req,
			size_t len, size_t resp_max);
	/* The driver reset the device (status 0) or the frontend detached:
	 * every outstanding cookie is now void. */
	void (*reset)(void *opaque);
};

/* Implemented by the frontend. */
struct scmi_dev_frontend_ops {
	/* Signal the guest that queue q has used buffers. */
	void (*notify)(void *opaque, unsigned q);
};

/*
 * commands:      cmdq chains handed to ops->command
 * completed:     cmdq used entries written (core replies and the device's
 *                own error replies)
 * malformed:     chains the device answered itself: cmdq PROTOCOL_ERROR or
 *                len-0 completions, eventq buffers returned with len 0
 * dropped_chains: avail entries that got no used entry (head >= num) and
 *                replies discarded because the cmdq was stopped
 * events_sent:   eventq messages delivered
 * notifications_dropped: no buffer and the notification queue was full,
 *                or P2A not negotiated
 * delayed_held:  delayed responses that had to wait for an eventq buffer
 * delayed_dropped: delayed responses refused (P2A not negotiated, or the
 *                held FIFO of SCMI_DEV_HELD_DELAYED_MAX was full)
 * stale_completions: scmi_dev_complete() with an unknown/old cookie
 * deferred_passes: cmdq passes cut at the per-pass budget (queue size) with
 *                entries left for a later pass
 * truncated:     SUCCESS replies cut to the guest's writable size
 */
struct scmi_dev_stats {
	uint64_t commands, completed, malformed, dropped_chains;
	uint64_t events_sent, notifications_dropped, delayed_held;
	uint64_t delayed_dropped, stale_completions, truncated;
	uint64_t deferred_passes;
};

/* Held P2A messages while the eventq has no buffer: delayed responses up
 * to one per SCMI token, notifications (coalesced) up to a small bound. */
#define SCMI_DEV_HELD_DELAYED_MAX 1024
#define SCMI_DEV_HELD_NOTIF_MAX 64

struct scmi_dev *scmi_dev_new(struct gmem *gm,
			      const struct scmi_dev_ops *ops, void *ops_opaque,
			      const struct scmi_dev_frontend_ops *fops, void *fops_opaque);
/* Does not call ops->reset: call scmi_dev_reset() first if the core may
 * still hold cookies. */
void scmi_dev_free(struct scmi_dev *dev);
/*
 * The event loop the device may schedule its own work on (NULL: none). A
 * cmdq pass takes at most queue-size chains; with a loop the rest is taken
 * in a pass scheduled on it (other events are served in between), without
 * one on the next scmi_dev_kick(). Frontends set it.
 */
struct ev_loop;
void scmi_dev_set_loop(struct scmi_dev *dev, struct ev_loop *loop);
/* Name used in log lines (e.g. the guest name); copied. */
void scmi_dev_set_name(struct scmi_dev *dev, const char *name);

/* Features offered (VERSION_1, INDIRECT_DESC, EVENT_IDX, P2A if p2a). */
uint64_t scmi_dev_host_features(const struct scmi_dev *dev);
void scmi_dev_set_p2a_offered(struct scmi_dev *dev, bool p2a);
/* Driver-acknowledged features; bits not offered are ignored. */
void scmi_dev_set_features(struct scmi_dev *dev, uint64_t features);
uint64_t scmi_dev_features(const struct scmi_dev *dev);

/* Queue setup with host pointers to the rings (the frontend translated
 * and bounds-checked them for num entries). num is a power of 2 <= 1024;
 * desc 16-, avail 2-, used 4-byte aligned. Returns 0 or -1. The next
 * available index is not changed (0 after reset; vhost-user sets it with
 * scmi_dev_queue_set_last_avail, before or after setup). Call
 * scmi_dev_kick() afterwards: buffers may already be waiting. Set up
 * again after a memory-table change (ring pointers are host pointers). */
int scmi_dev_queue_setup(struct scmi_dev *dev, unsigned q, unsigned num,
			 void *desc, void *avail, void *used);
void scmi_dev_queue_set_last_avail(struct scmi_dev *dev, unsigned q, uint16_t idx);
/* Stop the queue; returns the index of the next available entry to read.
 * Commands in flight stay in flight; their replies are discarded
 * (dropped_chains) unless the queue was started again meanwhile. */
uint16_t scmi_dev_queue_stop(struct scmi_dev *dev, unsigned q);
bool scmi_dev_queue_ready(const struct scmi_dev *dev, unsigned q);

/* The guest kicked queue q (or the queue just started): process buffers. */
void scmi_dev_kick(struct scmi_dev *dev, unsigned q);

/* Answer a command. len >= 8 (hdr + status); for a non-SUCCESS status
 * only 8 bytes are written. Stale cookies (after reset) are ignored. */
void scmi_dev_complete(struct scmi_dev *dev, uint32_t cookie,
		       const uint8_t *resp, size_t len);

/* Send a P2A message (hdr + payload). Delayed responses are held while no
 * eventq buffer is available; notifications may be dropped. Returns 0 if
 * sent or held, -1 if dropped or P2A is not negotiated. */
int scmi_dev_event(struct scmi_dev *dev, const uint8_t *msg, size_t len);

/* Device reset: forget in-flight commands (calls ops->reset), held events
 * and queue state. */
void scmi_dev_reset(struct scmi_dev *dev);

const struct scmi_dev_stats *scmi_dev_stats(const struct scmi_dev *dev);
unsigned scmi_dev_inflight(const struct scmi_dev *dev);
/* P2A messages waiting for eventq buffers. */
unsigned scmi_dev_held_events(const struct scmi_dev *dev);
/* A queue is broken (the driver published more than num new entries):
 * the device stopped using it until reset; the frontend should set
 * DEVICE_NEEDS_RESET (virtio-mmio/PCI) or log it (vhost-user). */
bool scmi_dev_needs_reset(const struct scmi_dev *dev);

#endif
