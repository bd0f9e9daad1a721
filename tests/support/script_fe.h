/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A scripted in-process frontend for daemon-level tests: the daemon creates
 * one per guest through script_fe_ops (daemon_opts.frontend); the test
 * sends commands straight to the guest's core and reads the answers back.
 */
#ifndef SCRIPT_FE_H
#define SCRIPT_FE_H
#include <stddef.h>
#include <stdint.h>

#include "mediator/frontend.h"
#include "mediator/scmi_msg.h"

struct frontend {
	char socket[108];
	const struct scmi_dev_ops *core;
	void *core_opaque;
	unsigned ndone, nev;           /* answers and events received */
	uint8_t resp[SCMI_MSG_MAX];    /* the last answer */
	size_t len;
	uint8_t ev[SCMI_MSG_MAX];      /* the last event */
	struct frontend *next;
};

extern const struct frontend_ops script_fe_ops;
/* Every live frontend (NULL when the daemon has destroyed them all). */
extern struct frontend *script_fes;

/* The frontend whose socket ends with (contains) suffix, or NULL. */
struct frontend *script_fe_find(const char *suffix);
/* Send proto/id with n argument words as the guest, run the loop until the
 * answer arrives (failing the test after 2 s) and return its status. */
int32_t script_fe_call(struct ev_loop *loop, struct frontend *fe, uint8_t proto, uint8_t id,
		       const uint32_t *args, unsigned n);
/* Run the loop for ms milliseconds. */
void script_fe_spin(struct ev_loop *loop, unsigned ms);

struct daemon;
/* Free the daemon and check it destroyed every scripted frontend. */
void script_fe_daemon_free(struct daemon *d);

#endif
