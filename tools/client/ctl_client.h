/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Client side of the scmi-mediator control socket (docs/daemon.md): one
 * JSON request line, one JSON answer line.
 */
#ifndef CTL_CLIENT_H
#define CTL_CLIENT_H

#include <stdbool.h>
#include <stdio.h>

#define CTL_TIMEOUT_MS 5000

/*
 * Send req_json (one line; a newline is added) and read the answer line.
 * On success returns 0 and *resp holds the answer without its newline
 * (malloc'ed, caller frees). Returns -errno on failure (-ETIMEDOUT,
 * -ECONNREFUSED, -ENOENT, -EPROTO for an answer without a newline...).
 */
int ctl_request(const char *sock, const char *req_json, char **resp);

/* Ask for "status" and print it: raw JSON (json) or a human table.
 * Returns 0, or a negative errno / -EPROTO (message printed to stderr). */
int ctl_print_status(const char *sock, bool json, FILE *out);

#endif
