/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Agent client: a small vhost-user *frontend* (the driver side of a
 * virtio-scmi device) with memfd guest memory, so tests, benchmarks,
 * scmictl and external test suites can talk SCMI to a running mediator
 * without a VM. Not thread-safe: one client per thread.
 *
 *   struct scmi_client *c = scmi_client_connect("/run/scmi/guest1.sock", NULL);
 *   uint8_t vals[128]; size_t n = sizeof(vals); int32_t st;
 *   scmi_client_call(c, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, args, 4, &st, vals, &n);
 *   scmi_client_close(c);
 */
#ifndef SCMI_CLIENT_H
#define SCMI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scmi_client;

/* With opts given, zero numeric fields take their defaults; p2a is used as
 * given (false unless set). */
struct scmi_client_opts {
	unsigned queue_size;     /* cmdq/eventq entries, power of 2 (default 256) */
	size_t msg_size;         /* per-buffer bytes (default 136, like Linux) */
	bool p2a;                /* negotiate VIRTIO_SCMI_F_P2A_CHANNELS (default true) */
	unsigned event_buffers;  /* eventq buffers to post (default queue_size) */
	int timeout_ms;          /* per-call timeout (default 5000) */
};

/* Connect and bring the device to DRIVER_OK. NULL on failure (errno set,
 * message on stderr). opts may be NULL for defaults. */
struct scmi_client *scmi_client_connect(const char *socket_path,
					const struct scmi_client_opts *opts);
void scmi_client_close(struct scmi_client *c);

/* Synchronous call: sends hdr(proto, msg_id, command, auto token) + args,
 * waits for the response. On return 0: *status holds the SCMI status and
 * vals/vals_len the return values after the status (vals_len in: buffer
 * size, out: bytes). Returns -ETIMEDOUT, -EIO (bad reply), -EPIPE (gone). */
int scmi_client_call(struct scmi_client *c, uint8_t proto, uint8_t msg_id,
		     const void *args, size_t args_len, int32_t *status,
		     void *vals, size_t *vals_len);

/* Largest request and largest writable size per command. */
#define SCMI_CLIENT_MAX_MSG 512

/* Raw message: msg is hdr + payload as the guest would send it (header
 * used verbatim, 4 <= len <= SCMI_CLIENT_MAX_MSG); resp receives hdr +
 * status + values. resp_cap (0..SCMI_CLIENT_MAX_MSG) also sets the
 * writable size offered to the device. Returns response length or <0. */
int scmi_client_raw(struct scmi_client *c, const void *msg, size_t len,
		    void *resp, size_t resp_cap);

/* Asynchronous interface for many commands in flight. submit returns a
 * tag >= 0 or -EAGAIN when the ring is full; poll returns completions. */
int scmi_client_submit(struct scmi_client *c, const void *msg, size_t len,
		       size_t resp_cap);
struct scmi_client_done {
	int tag;
	size_t len;              /* response bytes (used len) */
	uint8_t *resp;           /* valid until the next submit/poll */
};
/* Wait up to timeout_ms for completions; fills up to max; returns count. */
int scmi_client_poll(struct scmi_client *c, struct scmi_client_done *done,
		     int max, int timeout_ms);
unsigned scmi_client_inflight(const struct scmi_client *c);

/* P2A: wait for the next delayed response or notification (hdr+payload).
 * Returns its length, 0 on timeout, <0 on error. Buffers are re-posted. */
int scmi_client_wait_event(struct scmi_client *c, void *buf, size_t cap,
			   int timeout_ms);
/* Reset the device (status 0) and bring it up again, as a rebooting guest. */
int scmi_client_reset(struct scmi_client *c);
/* The features negotiated (acked to the device, incl. vhost-user's bit 30)
 * and the features the device offered. */
uint64_t scmi_client_features(const struct scmi_client *c);
uint64_t scmi_client_device_features(const struct scmi_client *c);

#endif
