/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's device tree (/sys/firmware/fdt or a .dtb) as far as SCMI is
 * concerned: the SCMI node(s), their transport (mailbox, SMC; virtio and
 * OP-TEE noted but not usable by the mediator), shared-memory regions
 * (arm,scmi-shmem reg translated to CPU physical addresses through the
 * ancestors' ranges), mailboxes (controller phandle + args, mbox-names),
 * arm,smc-id, and protocol subnodes with their own channels.
 */
#ifndef HOST_DT_H
#define HOST_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HDT_PATH_MAX   128
#define HDT_MAX_NODES  4
#define HDT_MAX_SHMEM  8
#define HDT_MAX_MBOX   8
#define HDT_MAX_ARGS   4
#define HDT_MAX_PROTO  16
#define HDT_ERR_MAX    160

enum hdt_transport {
	HDT_MAILBOX,      /* arm,scmi */
	HDT_SMC,          /* arm,scmi-smc, arm,scmi-smc-param, qcom,scmi-smc */
	HDT_VIRTIO,       /* arm,scmi-virtio: not usable from the host */
	HDT_OPTEE,        /* linaro,scmi-optee: not usable */
};

struct hdt_shmem {
	char path[HDT_PATH_MAX];
	uint32_t phandle;
	uint64_t addr, size;         /* CPU physical address after ranges */
};

struct hdt_mbox {
	char ctrl[HDT_PATH_MAX];     /* controller node */
	char ctrl_compat[32];        /* its first compatible, "" if none */
	uint64_t ctrl_addr;          /* CPU address of its first reg entry */
	bool has_ctrl_addr;
	uint32_t phandle;
	uint32_t args[HDT_MAX_ARGS];
	unsigned nargs;
	char name[32];               /* from mbox-names, "" if none */
};

/* A set of channels: the node's own, or a protocol subnode's. */
struct hdt_chan {
	struct hdt_shmem shmem[HDT_MAX_SHMEM];
	unsigned nshmem;
	struct hdt_mbox mbox[HDT_MAX_MBOX];
	unsigned nmbox;
};

struct hdt_proto {
	uint32_t id;
	char path[HDT_PATH_MAX];
	bool own_channel;            /* has its own shmem/mboxes */
	struct hdt_chan ch;
};

struct hdt_scmi {
	char path[HDT_PATH_MAX];
	char compatible[32];
	enum hdt_transport transport;
	bool usable;                 /* transport usable and tree consistent */
	char err[HDT_ERR_MAX];       /* first problem found, "" if none */
	uint32_t smc_id;
	bool has_smc_id;
	struct hdt_chan ch;
	struct hdt_proto proto[HDT_MAX_PROTO];
	unsigned nproto;
};

struct host_dt {
	struct hdt_scmi node[HDT_MAX_NODES];
	unsigned nnodes;
};

/* Parse a flattened tree in memory. 0 on success (even if no SCMI node or
 * nodes with problems: see usable/err); -1 if the blob is not a valid FDT
 * (reason written to err if not NULL). */
int host_dt_parse(const void *fdt, size_t size, struct host_dt *out, FILE *err);
/* Read a .dtb (NULL: /sys/firmware/fdt) and parse it. */
int host_dt_load(const char *path, struct host_dt *out, FILE *err);
void host_dt_dump(const struct host_dt *dt, FILE *out, bool json);
/* Load and dump; 0 if at least one usable SCMI node was found, 1 if none,
 * -1 on read/parse errors (scmictl dt). */
int host_dt_print(const char *dtb_path, FILE *out, bool json);
const char *hdt_transport_name(enum hdt_transport t);

#endif
