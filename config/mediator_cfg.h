/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mediator's own configuration file (xl.cfg syntax, docs/daemon.md):
 *
 *   platform = "embedded"
 *   platform_config = "platforms/reference.cfg"   # relative: to this file
 *   control_socket = "/run/scmi-mediator/control.sock"
 *   log_level = "info"                              # error|warn|info|debug
 *   log = "stderr"                                  # or "journald"
 *   reply_timeout_ms = 5000
 *   guest_max_inflight = 16
 *   guest_max_queued = 256
 *   management_agent = 1          # program guests' agents' permissions (0: off)
 *   cache_prefetch = 4096         # discovery cache warm-up: commands per channel
 *   cache_prefetch_ms = 10000     #   and time limit
 *   guests = [ "name=guest1,socket=/run/scmi-mediator/guest1.sock,agent_id=1",
 *              "name=guest2,socket=...,agent_id=2,policy=guest2.policy,
 *               on_shutdown=/usr/local/bin/vm-stop guest2,on_reboot=...",
 *              "name=domU1,socket=xen:domU1,agent_id=3" ]   # a Xen domain
 *
 * Every error is reported as FILE:LINE.
 */
#ifndef MEDIATOR_CFG_H
#define MEDIATOR_CFG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MCFG_NAME_MAX 32
#define MCFG_SOCK_MAX 108        /* sun_path */
#define MCFG_MAX_GUESTS 64
#define MCFG_CMD_MAX 256
/* socket=xen:DOMAIN-NAME: a Xen guest (only with the Xen frontend built). */
#define MCFG_XEN_PREFIX "xen:"
#define MCFG_XEN_NAME_MAX 64     /* Xen domain name, with its NUL */

struct mcfg_guest {
	char name[MCFG_NAME_MAX];
	char socket[MCFG_SOCK_MAX];
	char policy[PATH_MAX];       /* "" when none (the policy layer reads it) */
	uint32_t agent_id;           /* platform agent the guest is served as (>= 1) */
	uint32_t guest_agent_id;     /* own agent id as the guest sees it */
	uint32_t guest_num_agents;   /* num_agents the guest sees */
	/* lifecycle commands (system_power=guest): absolute path + args,
	 * run without a shell; "" none */
	char on_shutdown[MCFG_CMD_MAX], on_reboot[MCFG_CMD_MAX], on_suspend[MCFG_CMD_MAX];
	int line;                    /* where it is defined */
};

struct mediator_cfg {
	char path[PATH_MAX];
	char platform[16];           /* "embedded" (default), "smt-socket", "mailbox", "smc",
				      * "auto", "linux-raw" */
	char platform_config[PATH_MAX];   /* embedded: the platform description */
	int platform_config_line;
	char platform_socket[MCFG_SOCK_MAX];  /* smt-socket: scmi-platform's socket */
	int platform_socket_line;
	char platform_dtb[PATH_MAX];      /* mailbox/auto: "" = /sys/firmware/fdt */
	char platform_mem[PATH_MAX];      /* mailbox/auto: default /dev/mem */
	char platform_smc_dev[PATH_MAX];  /* smc/auto: default /dev/scmi-smc */
	char platform_raw_dir[PATH_MAX];  /* linux-raw: default /sys/kernel/debug/scmi/0/raw */
	int platform_raw_dir_line;
	uint32_t platform_raw_inflight;   /* linux-raw: commands at the kernel at once */
	char control_socket[MCFG_SOCK_MAX];
	int log_level;               /* enum log_level */
	int log_target;              /* enum log_target */
	uint64_t reply_timeout_ms;
	uint32_t guest_max_inflight, guest_max_queued;
	/* platform agent (trusted) that programs the guests' agents'
	 * permissions; 0: none (docs/multi-agent.md) */
	uint32_t management_agent;
	int management_agent_line;
	uint32_t cache_prefetch;     /* warm-up commands per channel; 0: no warm-up */
	uint64_t cache_prefetch_ms;  /* warm-up time limit per run */
	struct mcfg_guest guests[MCFG_MAX_GUESTS];
	unsigned nguests;
};

/* Load and validate; NULL on error (every problem reported to err as
 * FILE:LINE: message). */
struct mediator_cfg *mediator_cfg_load(const char *path, FILE *err);
void mediator_cfg_free(struct mediator_cfg *mc);
const struct mcfg_guest *mediator_cfg_guest(const struct mediator_cfg *mc, const char *name);
/* The Xen domain name of a socket=xen:NAME guest, NULL for a socket path. */
const char *mcfg_guest_xen_domain(const struct mcfg_guest *g);
/*
 * Load the policy file of every guest (pols[i] stays NULL for a guest
 * without one; pols has room for mc->nguests), checking ids against the
 * platform description pd (NULL: not known yet) and then the claims of all
 * guests together. Returns 0, or -1 with every problem reported as
 * FILE:LINE (the policies loaded are then freed).
 */
struct plat_desc;
struct policy;
int mediator_cfg_policies(const struct mediator_cfg *mc, const struct plat_desc *pd,
			  struct policy **pols, FILE *err);
void mediator_cfg_policies_free(const struct mediator_cfg *mc, struct policy **pols);
/* Same guest definition (a reload keeps the guest connected). */
bool mcfg_guest_same(const struct mcfg_guest *a, const struct mcfg_guest *b);

#endif
