/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux-raw backend (docs/linux-raw.md): the host kernel's SCMI raw mode
 * (CONFIG_ARM_SCMI_RAW_MODE_SUPPORT) in debugfs, /sys/kernel/debug/scmi/N/raw/:
 * one write of a complete message to `message` (or `message_async` for
 * commands with a delayed response) sends it; each read of those files
 * returns one reply or delayed response (then EOF at the message boundary);
 * `notification` gives notifications, `errors` the kernel's failed
 * transactions, a write to `reset` flushes the queues. For bring-up: the
 * host kernel stays the platform's agent, the mediator rides on it.
 *
 * The mediator owns the token space: every command gets a fresh token
 * (monotonic, never one still awaiting a response or a delayed response),
 * replies are matched back by token and carry the dispatcher's header
 * again; replies with an unknown token are dropped and counted.
 */
#ifndef LINUX_RAW_H
#define LINUX_RAW_H

#include <stdbool.h>

#include "backend.h"

#define LINUX_RAW_DEFAULT_DIR "/sys/kernel/debug/scmi/0/raw"
#define LINUX_RAW_MAX_INFLIGHT 64

/* How the files are opened; tests pass a fake that keeps debugfs's
 * one-write-one-message / one-read-one-message semantics. */
struct raw_file_ops {
	int (*open)(void *opaque, const char *path, int flags);
	void *opaque;
};

struct linux_raw_cfg {
	const char *dir;                 /* default LINUX_RAW_DEFAULT_DIR */
	unsigned timeout_ms;             /* reply deadline (default 1000) */
	unsigned dresp_timeout_ms;       /* wait for a delayed response (default 10 x timeout) */
	unsigned max_inflight;           /* commands at the kernel at once (1..64, default 8) */
	const struct raw_file_ops *ops;  /* NULL: open(2) */
};

struct scmi_backend *linux_raw_backend_new(struct ev_loop *loop, const struct linux_raw_cfg *cfg);

#endif
