/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Agent side of the SCMI shared-memory transport (SMT), shared by the
 * backends that reach firmware through SMT areas (socket, mailbox, smc).
 *
 * Area layout (one per direction and channel):
 *   0x00 reserved | 0x04 channel_status (bit0 FREE, bit1 ERROR)
 *   0x08 reserved (8) | 0x10 flags (bit0 completion interrupt)
 *   0x14 length (4 + payload) | 0x18 header | 0x1c payload
 *
 * A2P: one command in flight per channel, a bounded queue in front. The
 * agent writes status=0, flags, length, header, payload, then rings; the
 * platform answers in place and sets FREE (or FREE|ERROR).
 * P2A: the platform writes a delayed response or notification and clears
 * FREE, then rings; the agent reads it, sets FREE and rings back.
 *
 * The backend provides the doorbell (ring) and calls smt_poll() when the
 * platform rang (or from a poll timer). Every reply is validated; a bad
 * or missing reply gives the request a status-only SCMI_COMMS_ERROR with a
 * log line, and the backend's stats count it.
 */
#ifndef SMT_H
#define SMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct scmi_backend;
struct smt_transport;

#define SMT_OFF_STATUS   0x04u
#define SMT_OFF_FLAGS    0x10u
#define SMT_OFF_LENGTH   0x14u
#define SMT_OFF_MSG      0x18u          /* header, then payload */
#define SMT_STATUS_FREE  (1u << 0)
#define SMT_STATUS_ERROR (1u << 1)
#define SMT_FLAG_INTR    (1u << 0)
/* Smallest usable area: layout + header + status. */
#define SMT_AREA_MIN     (SMT_OFF_MSG + 8u)
#define SMT_QUEUE_MAX    32u

/* Volatile accessors with barriers (the peer runs concurrently). */
uint32_t smt_rd32(const volatile uint8_t *area, size_t off);
void smt_wr32(volatile uint8_t *area, size_t off, uint32_t v);
void smt_rd_bytes(const volatile uint8_t *area, size_t off, uint8_t *dst, size_t n);
void smt_wr_bytes(volatile uint8_t *area, size_t off, const uint8_t *src, size_t n);
/* Largest message (header + payload) an area of `size` bytes carries. */
static inline size_t smt_msg_cap(size_t size)
{
	return size > SMT_OFF_MSG ? size - SMT_OFF_MSG : 0;
}

enum smt_bell {
	SMT_BELL_A2P_CMD,    /* agent -> platform: command posted on A2P */
	SMT_BELL_P2A_ACK,    /* agent -> platform: P2A area is free again */
};

struct smt_chan_area {
	volatile uint8_t *a2p;
	volatile uint8_t *p2a;       /* NULL: no P2A channel */
	size_t size;                 /* bytes of each area (>= SMT_AREA_MIN) */
};

struct smt_params {
	uint64_t timeout_ns;         /* reply deadline per command */
	uint64_t poll_ns;            /* 0: doorbell driven; else poll this often */
	unsigned queue_max;          /* commands waiting per channel (<= SMT_QUEUE_MAX) */
	bool intr;                   /* set the completion-interrupt flag */
	/* Doorbell; returns 0 or -errno (the command then fails COMMS_ERROR). */
	int (*ring)(void *opaque, unsigned chan, enum smt_bell bell);
	void *opaque;
	const char *name;            /* for log lines */
};

/* b provides the loop, rx callback and stats (b->loop must be set). The
 * areas stay the caller's (they must outlive the transport). Marks every
 * A2P area FREE. NULL on bad parameters or no memory. */
struct smt_transport *smt_new(struct scmi_backend *b, unsigned nchan,
			      const struct smt_chan_area *areas, const struct smt_params *p);
void smt_free(struct smt_transport *t);

/* Queue or post a command; same contract as scmi_backend_ops.send. */
int smt_send(struct smt_transport *t, unsigned chan, const uint8_t *msg, size_t len,
	     size_t resp_max);
/* Look at a channel's areas (completion, P2A message); call from the loop. */
void smt_poll(struct smt_transport *t, unsigned chan);
void smt_poll_all(struct smt_transport *t);
/* Fail the command in flight and everything queued with COMMS_ERROR (from
 * the loop), and give the channel back to the agent (A2P FREE). */
void smt_reset(struct smt_transport *t, unsigned chan);
/* Commands queued on chan, plus one while the channel is occupied (a
 * command in flight, or a timed-out one the platform has not released). */
unsigned smt_pending(const struct smt_transport *t, unsigned chan);

#endif
