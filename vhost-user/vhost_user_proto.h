/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vhost-user wire protocol (docs/interop/vhost-user.rst in QEMU): message
 * header, request codes, payload layouts and feature bits, as used by
 * vhost-user-scmi. Shared by the backend (vhost-user/) and the agent
 * client (tools/client/), which is a frontend. All fields are host endian
 * (the protocol is local to one host).
 *
 * Message I/O helpers: one message = header + payload (hdr.size bytes),
 * file descriptors travel as SCM_RIGHTS with the header.
 */
#ifndef VHOST_USER_PROTO_H
#define VHOST_USER_PROTO_H

#include <stddef.h>
#include <stdint.h>

enum vhu_request {
	VHU_GET_FEATURES = 1,
	VHU_SET_FEATURES = 2,
	VHU_SET_OWNER = 3,
	VHU_RESET_OWNER = 4,
	VHU_SET_MEM_TABLE = 5,
	VHU_SET_LOG_BASE = 6,
	VHU_SET_LOG_FD = 7,
	VHU_SET_VRING_NUM = 8,
	VHU_SET_VRING_ADDR = 9,
	VHU_SET_VRING_BASE = 10,
	VHU_GET_VRING_BASE = 11,
	VHU_SET_VRING_KICK = 12,
	VHU_SET_VRING_CALL = 13,
	VHU_SET_VRING_ERR = 14,
	VHU_GET_PROTOCOL_FEATURES = 15,
	VHU_SET_PROTOCOL_FEATURES = 16,
	VHU_GET_QUEUE_NUM = 17,
	VHU_SET_VRING_ENABLE = 18,
	VHU_SEND_RARP = 19,
	VHU_NET_SET_MTU = 20,
	VHU_SET_BACKEND_REQ_FD = 21,
	VHU_IOTLB_MSG = 22,
	VHU_SET_VRING_ENDIAN = 23,
	VHU_GET_CONFIG = 24,
	VHU_SET_CONFIG = 25,
	VHU_RESET_DEVICE = 34,
	VHU_SET_STATUS = 39,
	VHU_GET_STATUS = 40,
};

/* hdr.flags */
#define VHU_VERSION          0x1u
#define VHU_VERSION_MASK     0x3u
#define VHU_FLAG_REPLY       (1u << 2)
#define VHU_FLAG_NEED_REPLY  (1u << 3)

/* Virtio feature bit owned by vhost-user. */
#define VHOST_USER_F_PROTOCOL_FEATURES 30

/* Protocol feature bits. */
#define VHU_PROTO_F_MQ            0
#define VHU_PROTO_F_LOG_SHMFD     1
#define VHU_PROTO_F_REPLY_ACK     3
#define VHU_PROTO_F_BACKEND_REQ   5
#define VHU_PROTO_F_CONFIG        9
#define VHU_PROTO_F_RESET_DEVICE  13
#define VHU_PROTO_F_STATUS        16

/* SET_VRING_KICK/CALL/ERR u64 payload */
#define VHU_VRING_IDX_MASK   0xffu
#define VHU_VRING_NOFD       (1u << 8)

#define VHU_MAX_MEM_REGIONS  8     /* VHOST_MEMORY_BASELINE_NREGIONS */
#define VHU_MAX_FDS          8
#define VHU_MAX_CONFIG_SIZE  256
#define VHU_HDR_SIZE         12u
/* Largest payload accepted; the largest legitimate one is a full memory
 * table (8 + 8 * 32 bytes) or a config message (12 + 256). */
#define VHU_MAX_PAYLOAD      512u

struct vhu_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
} __attribute__((packed));

struct vhu_vring_state {
	uint32_t index;
	uint32_t num;
} __attribute__((packed));

struct vhu_vring_addr {
	uint32_t index;
	uint32_t flags;
	uint64_t desc_user_addr;
	uint64_t used_user_addr;
	uint64_t avail_user_addr;
	uint64_t log_guest_addr;
} __attribute__((packed));

struct vhu_mem_region {
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t mmap_offset;
} __attribute__((packed));

struct vhu_mem_table {
	uint32_t nregions;
	uint32_t padding;
	struct vhu_mem_region regions[VHU_MAX_MEM_REGIONS];
} __attribute__((packed));

struct vhu_config {
	uint32_t offset;
	uint32_t size;
	uint32_t flags;
	uint8_t region[VHU_MAX_CONFIG_SIZE];
} __attribute__((packed));
#define VHU_CONFIG_HDR_SIZE 12u

struct vhu_msg {
	struct vhu_hdr hdr;
	union {
		uint64_t u64;
		struct vhu_vring_state state;
		struct vhu_vring_addr addr;
		struct vhu_mem_table mem;
		struct vhu_config config;
		uint8_t raw[VHU_MAX_PAYLOAD];
	} p;
} __attribute__((packed));

const char *vhu_request_name(uint32_t req);

/* Send hdr + hdr.size payload bytes with nfds descriptors (blocking
 * socket, or retried on EINTR). Returns 0 or -errno. */
int vhu_msg_send(int sock, const struct vhu_msg *msg, const int *fds, unsigned nfds);
/* Receive one whole message on a blocking socket, waiting at most
 * timeout_ms for it. Descriptors received are returned in fds (up to
 * VHU_MAX_FDS, close-on-exec). Returns 0, -ETIMEDOUT, -EPIPE on EOF,
 * -EPROTO on a malformed message (received fds are closed then). */
int vhu_msg_recv(int sock, struct vhu_msg *msg, int *fds, unsigned *nfds, int timeout_ms);
void vhu_close_fds(int *fds, unsigned *nfds);

#endif
