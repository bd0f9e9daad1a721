/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMC backend (docs/smc.md): the SMT state machine (smt/smt.c) on the host's
 * SCMI SMC channel, reached through /dev/scmi-smc (the scmi_smc kernel
 * module, backends/smc/): the SMT area is mmap()ed from the device, the
 * doorbell is the SCMI_SMC_IOC_CALL ioctl (the module issues the SMC/HVC).
 * The call is synchronous: when it returns the firmware has answered, and
 * the reply is taken from the loop right after (never from inside send).
 * If the area is not FREE yet, it is polled until the SMT deadline.
 */
#ifndef SMT_SMC_H
#define SMT_SMC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#define SMC_DEFAULT_DEV "/dev/scmi-smc"

/* The device's ioctl; tests pass a double serving the calls from a fake
 * platform over the mapped area. Returns 0 or -1 with errno set. */
struct smc_dev_ops {
	int (*ioctl)(void *opaque, int fd, unsigned long req, void *arg);
	void *opaque;
};

struct smc_cfg {
	const char *dev_path;            /* default SMC_DEFAULT_DEV */
	unsigned timeout_ms;             /* reply deadline (default 1000) */
	unsigned poll_us;                /* re-check interval when the area is not
					  * FREE after the call (default 1000) */
	/* From the host DT (smc_cfg_from_dt): the module must serve this
	 * channel, else the backend refuses to start. */
	bool check;
	uint64_t want_phys;
	uint32_t want_size, want_smc_id;
	bool want_param;
	const struct smc_dev_ops *ops;   /* NULL: ioctl(2) */
};

struct scmi_backend *smt_smc_backend_new(struct ev_loop *loop, const struct smc_cfg *cfg);

struct hdt_scmi;
/* Fill the expectations of cfg from a usable SMC SCMI node (arm,scmi-smc or
 * arm,scmi-smc-param; shmem[0], arm,smc-id). dev_path and the rest are left
 * as they were. 0, or -1 with the reason in err. */
int smc_cfg_from_dt(const struct hdt_scmi *s, struct smc_cfg *cfg, char *err, size_t errlen);

#endif
