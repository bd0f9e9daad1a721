/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vhost-user backend for one guest's virtio-scmi device: a listening unix
 * socket (QEMU connects with -chardev socket,path=...), one frontend
 * connection at a time (others are refused while one is active), the
 * vhost-user protocol as QEMU >= 8.1 uses it for vhost-user-scmi, guest
 * memory mapped from the memory table's fds, and the virtio-scmi device
 * model (scmi_dev) driving the rings. See docs/vhost-user.md.
 *
 * The server owns its scmi_dev and gmem region table. The core (the
 * guest's agent) implements scmi_dev_ops and answers through
 * scmi_dev_complete()/scmi_dev_event() on vhost_user_server_dev().
 * When the frontend disconnects or stops the device (guest reset), the
 * device is reset, which calls core_ops->reset.
 */
#ifndef VHOST_USER_H
#define VHOST_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "mediator/evloop.h"
#include "mediator/virtio/scmi_dev.h"

struct vhost_user_server;

/* Limits applied to memory tables (bytes over all regions). */
#define VHOST_USER_DEFAULT_MAX_MEM (64ull << 30)

struct vhost_user_server *vhost_user_server_new(struct ev_loop *loop, const char *path,
						const struct scmi_dev_ops *core_ops,
						void *core_opaque);
/* Closes the connection (resetting the device), the listening socket,
 * unlinks the socket path and frees everything. */
void vhost_user_server_free(struct vhost_user_server *s);

struct scmi_dev *vhost_user_server_dev(struct vhost_user_server *s);
const char *vhost_user_server_path(const struct vhost_user_server *s);
void vhost_user_server_set_max_mem(struct vhost_user_server *s, uint64_t bytes);
/* Use an already connected stream socket as the frontend connection
 * (socket activation, tests, fuzzing). Takes ownership of fd (closed on
 * failure, e.g. when a frontend is already connected). Returns 0 or -1. */
int vhost_user_server_attach_fd(struct vhost_user_server *s, int fd);
bool vhost_user_server_connected(const struct vhost_user_server *s);
/* Drop the current frontend connection (as if it had disconnected). */
void vhost_user_server_disconnect(struct vhost_user_server *s);

struct vhost_user_vq_status {
	unsigned num;            /* SET_VRING_NUM (0: not set) */
	uint16_t base;           /* next avail index saved at the last stop */
	bool addr_set, kick_fd, call_fd, enabled;
	bool started;            /* kick received, not stopped by GET_VRING_BASE */
	bool running;            /* handed to scmi_dev */
	uint64_t kicks, calls;
};

struct vhost_user_status {
	bool connected;
	bool owner;
	uint64_t features;           /* acked virtio features */
	uint64_t protocol_features;  /* acked protocol features */
	unsigned mem_regions;
	uint64_t mem_bytes;
	struct vhost_user_vq_status vq[2];
	/* counters since the server was created */
	uint64_t connections, disconnects, refused, protocol_errors, messages, device_resets;
};

void vhost_user_server_status(const struct vhost_user_server *s, struct vhost_user_status *st);

#endif
