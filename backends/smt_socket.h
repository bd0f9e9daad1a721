/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMT over a Unix stream socket (docs/smt-socket.md): the platform process
 * listens, sends a hello and a memfd holding the SMT areas (SCM_RIGHTS) at
 * connect; each side then rings the other with one byte per event.
 */
#ifndef SMT_SOCKET_H
#define SMT_SOCKET_H

#include <stdint.h>

#include "backend.h"

#define SMTS_MAGIC        0x53544d53u   /* "SMTS" little endian */
#define SMTS_VERSION      1u
#define SMTS_MAX_CHANNELS 127u
#define SMTS_AREA_MAX     4096u
/* Doorbell byte: bits 6:0 channel, bit 7 selects the P2A area. */
#define SMTS_BELL_P2A     0x80u
#define SMTS_BELL_CHAN(b) ((unsigned)(b) & 0x7fu)

/* The hello the platform sends at connect (all fields le32), with the
 * memfd attached. Channel i: A2P area at (2i) * area_size, P2A area at
 * (2i + 1) * area_size. */
struct smts_hello {
	uint32_t magic, version, nchannels, area_size;
};

/* Connect to the platform at path (waiting at most connect_ms for it to
 * appear and say hello). timeout_ms: reply deadline per command. NULL on
 * failure, with the reason logged. */
struct scmi_backend *smt_socket_backend_new(struct ev_loop *loop, const char *path,
					    unsigned connect_ms, unsigned timeout_ms);

#endif
