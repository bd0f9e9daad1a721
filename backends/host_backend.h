/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform backends that reach the host's real SCMI firmware, chosen
 * from the host device tree (platform = "mailbox", "smc" or "auto"):
 * the first usable node of an accepted transport whose backend starts.
 * Mailbox nodes go to backends/smt_mailbox.c, SMC nodes (arm,scmi-smc,
 * arm,scmi-smc-param) to backends/smt_smc.c (the scmi_smc kernel module).
 */
#ifndef HOST_BACKEND_H
#define HOST_BACKEND_H

#include <stddef.h>
#include <stdio.h>

#include "backend.h"

struct smc_dev_ops;

struct host_backend_cfg {
	const char *kind;                /* "mailbox", "smc" or "auto" */
	const char *dtb;                 /* NULL: /sys/firmware/fdt */
	const char *mem_path;            /* mailbox: /dev/mem, a UIO device */
	const char *smc_dev;             /* smc: NULL = /dev/scmi-smc */
	unsigned timeout_ms;             /* reply deadline */
	const struct smc_dev_ops *smc_ops;   /* NULL: ioctl(2) (tests: a double) */
};

/* NULL when no node gave a backend: why (the last node's reason, or that
 * the tree has none) is written to why; a tree that cannot be read is also
 * reported to err. Each skipped node is logged. */
struct scmi_backend *host_backend_new(struct ev_loop *loop, const struct host_backend_cfg *c,
				      FILE *err, char *why, size_t whylen);

#endif
