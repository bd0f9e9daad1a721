/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMT on physical shared memory with an MHU-style doorbell (docs/mailbox.md):
 * the SMT areas and the doorbell "set" register are mapped from a memory
 * device (/dev/mem, a UIO device, or in tests a plain file); a command is
 * signalled by writing the channel's bit mask to its set register;
 * completion is seen by polling the FREE bit from a loop timer, or on the
 * interrupt of a UIO device (read count, write 1 to re-enable).
 */
#ifndef SMT_MAILBOX_H
#define SMT_MAILBOX_H

#include <stdint.h>

#include "backend.h"

#define SMB_MAX_CHANNELS 8

struct smb_chan_cfg {
	uint64_t a2p_addr, a2p_size;     /* offsets in mem_path (physical addresses) */
	uint64_t p2a_addr, p2a_size;     /* p2a_size 0: no P2A channel */
	uint64_t bell_addr;              /* 32-bit set register */
	uint32_t bell_bits;              /* value written to ring */
};

struct smb_cfg {
	const char *mem_path;            /* "/dev/mem", "/dev/uio0", a test file */
	const char *irq_path;            /* UIO device for completions, or NULL */
	unsigned nchan;
	struct smb_chan_cfg ch[SMB_MAX_CHANNELS];
	unsigned poll_us;                /* poll interval without irq (default 1000) */
	unsigned timeout_ms;             /* reply deadline (default 1000) */
};

struct scmi_backend *smt_mailbox_backend_new(struct ev_loop *loop, const struct smb_cfg *cfg);

struct hdt_scmi;
/* Fill cfg (one channel: the host's agent channel) from a usable arm,scmi
 * node whose first mailbox is an arm,mhu-doorbell (args: MHU channel 0..2,
 * doorbell bit): A2P = shmem[0], P2A = shmem[1] if present, doorbell = the
 * channel's SET register. mem_path is left as it was. 0, or -1 with the
 * reason in err. */
int smb_cfg_from_dt(const struct hdt_scmi *s, struct smb_cfg *cfg, char *err, size_t errlen);

#endif
