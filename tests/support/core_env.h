/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An in-process mediator core for tests: the embedded platform (from
 * config text) behind its backend, the dispatcher, and guest agents on
 * chosen platform channels; commands are sent as a guest and the loop is
 * run until the answer arrives; events per guest are recorded.
 */
#ifndef CORE_ENV_H
#define CORE_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediator/agent.h"

#define CE_MAX_GUESTS 8
#define CE_MAX_EVENTS 32

struct ce_guest {
	struct core_env *env;
	struct agent *a;
	unsigned idx;
	bool got;
	uint8_t resp[512];
	size_t resp_len;
	uint8_t ev[CE_MAX_EVENTS][64];
	size_t ev_len[CE_MAX_EVENTS];
	unsigned nev;
};

struct core_env {
	struct ev_loop *loop;
	struct scmi_platform *p;       /* owned by the backend */
	struct plat_desc *desc;
	struct scmi_backend *be;
	struct dispatcher *d;
	struct base_cache *bc[CE_MAX_GUESTS];
	struct ce_guest g[CE_MAX_GUESTS];
	unsigned ng;
	uint32_t cookie;
};

struct core_env *ce_new(const char *platform_cfg);
/* A guest served on platform channel chan (platform agent chan + 1). */
struct ce_guest *ce_guest_add(struct core_env *e, unsigned chan);
void ce_free(struct core_env *e);
/* Run the loop for a while (ms of bounded waits). */
void ce_run(struct core_env *e, unsigned ms);
/* Send hdr + n args as guest g, run until answered; returns the status
 * (INT32_MIN without an answer). g->resp holds the answer. */
int32_t ce_cmdv(struct ce_guest *g, uint8_t proto, uint8_t msg, const uint32_t *args,
		unsigned n);
#define CE_ARGS(...) ((const uint32_t[]){ 0, __VA_ARGS__ } + 1)
#define CE_NARGS(...) ((unsigned)(sizeof((uint32_t[]){ 0, __VA_ARGS__ }) / sizeof(uint32_t) - 1))
#define ce_cmd(g, proto, msg, ...) \
	ce_cmdv(g, proto, msg, CE_ARGS(__VA_ARGS__), CE_NARGS(__VA_ARGS__))
/* Send without waiting (the answer lands in g->resp, g->got). */
void ce_send(struct ce_guest *g, uint8_t proto, uint8_t msg, const uint32_t *args, unsigned n);
uint32_t ce_val(const struct ce_guest *g, unsigned i);

#endif
