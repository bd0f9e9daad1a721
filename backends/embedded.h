/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The embedded reference platform (backends/platform) as a backend:
 * channel N is platform agent N + 1. Replies are delivered from the event
 * loop (after the platform's injected latency, if any); delayed responses
 * and notifications are released as CLOCK_MONOTONIC time passes.
 */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stdbool.h>

#include "backend.h"

struct scmi_platform;

/* Takes ownership of p (freed by scmi_backend_destroy). NULL on failure
 * (p is then still the caller's). */
struct scmi_backend *embedded_backend_new(struct ev_loop *loop, struct scmi_platform *p);
bool backend_is_embedded(const struct scmi_backend *b);
/* The platform behind an embedded backend (NULL for other backends). */
struct scmi_platform *embedded_backend_platform(struct scmi_backend *b);
/* Reset the platform as a firmware reboot would (plat_reset: the state its
 * description builds; agents' votes, subscriptions and permissions are
 * gone) and report it (scmi_backend_platform_reset). 0, or -1 (not
 * embedded, or the platform failed to come back: logged). */
int embedded_backend_reset_platform(struct scmi_backend *b);

#endif
