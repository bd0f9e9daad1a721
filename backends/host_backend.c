// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backend selection from the host device tree (mailbox / smc / auto).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_backend.h"
#include "host_dt.h"
#include "smt_mailbox.h"
#include "smt_smc.h"
#include "../mediator/log.h"

static struct scmi_backend *try_node(struct ev_loop *loop, const struct host_backend_cfg *c,
				     const struct hdt_scmi *s, char *why, size_t whylen)
{
	bool any = !strcmp(c->kind, "auto");
	struct scmi_backend *b;

	if (!s->usable) {
		snprintf(why, whylen, "%s", s->err[0] ? s->err : s->path);
		return NULL;
	}
	if (s->transport == HDT_MAILBOX && (any || !strcmp(c->kind, "mailbox"))) {
		struct smb_cfg cfg = { .mem_path = c->mem_path, .timeout_ms = c->timeout_ms };

		if (smb_cfg_from_dt(s, &cfg, why, whylen))
			return NULL;
		b = smt_mailbox_backend_new(loop, &cfg);
		if (!b)
			snprintf(why, whylen, "%s: cannot map its channel through %s", s->path,
				 cfg.mem_path);
		return b;
	}
	if (s->transport == HDT_SMC && (any || !strcmp(c->kind, "smc"))) {
		struct smc_cfg cfg = {
			.dev_path = c->smc_dev, .timeout_ms = c->timeout_ms, .ops = c->smc_ops,
		};

		if (smc_cfg_from_dt(s, &cfg, why, whylen))
			return NULL;
		b = smt_smc_backend_new(loop, &cfg);
		if (!b)
			snprintf(why, whylen, "%s: %s does not serve its channel", s->path,
				 c->smc_dev ? c->smc_dev : SMC_DEFAULT_DEV);
		return b;
	}
	snprintf(why, whylen, "%s: %s transport, not taken by platform \"%s\"", s->path,
		 hdt_transport_name(s->transport), c->kind);
	return NULL;
}

struct scmi_backend *host_backend_new(struct ev_loop *loop, const struct host_backend_cfg *c,
				      FILE *err, char *why, size_t whylen)
{
	struct host_dt *dt = malloc(sizeof(*dt));
	struct scmi_backend *b = NULL;
	unsigned i;

	snprintf(why, whylen, "no SCMI node in the device tree");
	if (!dt) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	if (host_dt_load(c->dtb, dt, err)) {
		snprintf(why, whylen, "cannot read the device tree %s",
			 c->dtb ? c->dtb : "/sys/firmware/fdt");
		free(dt);
		return NULL;
	}
	for (i = 0; i < dt->nnodes && !b; i++) {
		b = try_node(loop, c, &dt->node[i], why, whylen);
		if (!b)
			log_info("platform %s: skipping %s", c->kind, why);
	}
	free(dt);
	return b;
}
