/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * /dev/scmi-smc: the interface between the scmi_smc kernel module
 * (backends/smc/scmi_smc.c) and the mediator's smc backend
 * (backends/smt_smc.c). Shared by both; see docs/smc.md.
 *
 * The module owns one SCMI SMT area (physical address and size, from its
 * module parameters or the host's arm,scmi-smc DT node) and one SMCCC
 * function id. Userspace (root with CAP_SYS_RAWIO, one opener at a time):
 *
 *   1. SCMI_SMC_IOC_INFO: where the area is and how to map it;
 *   2. mmap(NULL, info.map_size, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0):
 *      the pages holding the area (device memory, uncached); the area is
 *      at info.map_offset in the mapping;
 *   3. write a command into the area (SMT layout, docs/smt.md), then
 *      SCMI_SMC_IOC_CALL: the module issues the SMC/HVC with the configured
 *      function id (userspace cannot choose the id or the registers) and
 *      returns the firmware's a0. When it returns, the firmware has
 *      processed the command (the SMC transport is synchronous).
 */
#ifndef SCMI_SMC_UAPI_H
#define SCMI_SMC_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SCMI_SMC_UAPI_VERSION   1
#define SCMI_SMC_DEV_NAME       "scmi-smc"
/* Bounds enforced by the module (and re-checked by the backend). */
#define SCMI_SMC_AREA_MIN       0x20u       /* SMT layout + header + status */
#define SCMI_SMC_AREA_MAX       0x10000u    /* 64 KiB */
#define SCMI_SMC_MAP_MAX        (SCMI_SMC_AREA_MAX + 0x20000u) /* area + page slack */

/* info.flags */
#define SCMI_SMC_F_PARAM        (1u << 0)   /* arm,scmi-smc-param: x1 = page, x2 = offset */
#define SCMI_SMC_F_HVC          (1u << 1)   /* conduit is HVC (else SMC) */
#define SCMI_SMC_F_FROM_DT      (1u << 2)   /* configured from the DT node */

struct scmi_smc_info {
	__u32 version;          /* SCMI_SMC_UAPI_VERSION */
	__u32 flags;            /* SCMI_SMC_F_* */
	__u64 shmem_phys;       /* physical address of the SMT area */
	__u32 shmem_size;       /* bytes of the area */
	__u32 smc_id;           /* SMCCC function id (arm,smc-id) */
	__u32 map_offset;       /* the area's offset in the mmap()ed window */
	__u32 map_size;         /* bytes to mmap (whole pages) */
	__u64 calls;            /* SMC/HVC calls issued since load */
	__u64 not_supported;    /* ... answered SMCCC_RET_NOT_SUPPORTED */
};

struct scmi_smc_call {
	__s64 a0;               /* out: the firmware's a0 (-1: not supported) */
	__u64 reserved[3];      /* in: must be zero */
};

#define SCMI_SMC_IOC_MAGIC      0xD5
#define SCMI_SMC_IOC_INFO       _IOR(SCMI_SMC_IOC_MAGIC, 0x00, struct scmi_smc_info)
#define SCMI_SMC_IOC_CALL       _IOWR(SCMI_SMC_IOC_MAGIC, 0x01, struct scmi_smc_call)

/* SMCCC_RET_NOT_SUPPORTED as seen in a0 */
#define SCMI_SMC_RET_NOT_SUPPORTED (-1LL)

#endif
