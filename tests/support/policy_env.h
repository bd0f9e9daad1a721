/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guests with policies on the embedded reference platform, in-process:
 * agent + guest filter + dispatcher + embedded backend, as the daemon wires
 * them. Commands are sent as a guest and answered through the event loop.
 */
#ifndef POLICY_ENV_H
#define POLICY_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediator/scmi_msg.h"

#define PENV_MAX_GUESTS 8
#define PENV_MAX_EVENTS 32
#define PENV_MAX_CHANS 8

struct penv_guest {
	struct agent *a;
	struct guest_filter *gf;
	struct policy *pol;
	unsigned plat_agent;         /* platform agent it is served as */
	unsigned ndone;
	uint8_t resp[SCMI_MSG_MAX];
	size_t resp_len;
	uint8_t ev[PENV_MAX_EVENTS][SCMI_MSG_MAX];
	size_t ev_len[PENV_MAX_EVENTS];
	unsigned nev;
};

struct penv {
	struct ev_loop *loop;
	struct scmi_backend *b;
	struct scmi_platform *p;
	struct dispatcher *d;
	struct base_cache *bc[PENV_MAX_GUESTS];
	struct chan_share *cs[PENV_MAX_CHANS];  /* per platform channel, as the daemon */
	struct penv_guest g[PENV_MAX_GUESTS];
	unsigned ng;
	uint16_t token;
};

/* policies[i] (a path, checked against config/platforms/reference.cfg)
 * served as platform agent agents[i]. */
/* Discovery cache bytes per channel for the next penv_new (default 64 KiB;
 * 0: nothing is ever cached). */
extern size_t penv_cache_bytes;
struct penv *penv_new(const char *const *policies, const unsigned *agents, unsigned n);
void penv_free(struct penv *e);
/* Send msg (hdr token replaced) as guest gi; run the loop until answered.
 * Returns the status; the response is in e->g[gi].resp. */
int32_t penv_call(struct penv *e, unsigned gi, const uint8_t *msg, size_t len,
		  size_t resp_max);
/* Same with hdr(proto, msg) + n le32 words. */
int32_t penv_callw(struct penv *e, unsigned gi, uint8_t proto, uint8_t msg,
		   const uint32_t *w, unsigned n);
/* Commands the platform received from guest gi's platform agent. */
uint64_t penv_plat_count(struct penv *e, unsigned gi);
/* Run the loop until guest gi has `want` events or about `ms` passed. */
void penv_wait_events(struct penv *e, unsigned gi, unsigned want, unsigned ms);

#endif
