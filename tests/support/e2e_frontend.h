/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A deliberately low-level vhost-user frontend for end-to-end tests: it
 * does the handshake step by step (so tests can stop half-way or send
 * nonsense), owns one memfd "guest memory" region, and drives the cmdq
 * with vring_drv so tests can publish hostile descriptor chains. The
 * well-behaved path is tools/client/scmi_client.h; this one is for abuse.
 */
#ifndef E2E_FRONTEND_H
#define E2E_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/client/vring_drv.h"
#include "vhost-user/vhost_user_proto.h"

#define E2E_FE_GPA_BASE 0x40000000ull
#define E2E_FE_MEM_SIZE (1u << 20)
#define E2E_FE_QSIZE 64u
/* Offsets in guest memory */
#define E2E_FE_RING0 0x0u
#define E2E_FE_RING1 0x4000u
#define E2E_FE_BUFS 0x10000u

struct e2e_fe {
	int sock;
	int memfd;
	uint8_t *mem;
	int kick[2], call[2];
	struct vring_drv q[2];
	uint64_t features;
};

/* Connect the socket only (no messages). Returns 0 or -errno. */
int e2e_fe_connect(struct e2e_fe *fe, const char *path);
/* The whole QEMU-like handshake: features, owner, memory table, both
 * rings (reserving `reserve` tail descriptors of the cmdq for raw chains).
 * Returns 0 or -errno. */
int e2e_fe_setup(struct e2e_fe *fe, unsigned reserve);
void e2e_fe_close(struct e2e_fe *fe);

/* One raw message; if want_reply, waits up to 2 s for the answer. */
int e2e_fe_msg(struct e2e_fe *fe, uint32_t req, const void *payload, uint32_t size,
	       const int *fds, unsigned nfds, struct vhu_msg *reply);

/* Host pointer and gpa of guest memory offset off. */
static inline void *e2e_fe_ptr(struct e2e_fe *fe, uint32_t off) { return fe->mem + off; }
static inline uint64_t e2e_fe_gpa(uint32_t off) { return E2E_FE_GPA_BASE + off; }

/* Publish and kick queue q. */
void e2e_fe_kick(struct e2e_fe *fe, unsigned q);
/* Wait up to timeout_ms for the next used entry of queue q: 1 and *u, or
 * 0 on timeout, <0 on a device error (bad used id). */
int e2e_fe_wait_used(struct e2e_fe *fe, unsigned q, int timeout_ms, struct vring_drv_used *u);

/* Send one well-formed command (hdr + payload at buffer slot `slot`) and
 * wait for its reply; returns the used length or <0. */
int e2e_fe_call(struct e2e_fe *fe, unsigned slot, const void *msg, size_t len,
		void *resp, size_t resp_cap, int timeout_ms);

#endif
