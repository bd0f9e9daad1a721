/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lifecycle actions of vhost-user guests: one configured command per guest
 * and action (mediator config guest keys on_shutdown=, on_reboot=,
 * on_suspend=), run with fork/exec, no shell: the command line is split at
 * blanks, argv[0] must be an absolute path. Non-blocking: the child is
 * watched through a pidfd in the event loop (a 20 ms waitpid poll where
 * pidfd_open is missing) and reaped there; at most one
 * action per guest runs at a time, and one that outlives the timeout is
 * killed.
 */
#ifndef LIFECYCLE_CMD_H
#define LIFECYCLE_CMD_H

#include <stdint.h>

#include "lifecycle.h"

#define LC_CMD_MAX_ARGS 16
#define LC_CMD_LINE_MAX 256

struct ev_loop;
struct lc_cmd;

struct lc_cmd_stats {
	uint64_t started, succeeded, failed, killed;
};

struct lc_cmd *lc_cmd_new(struct ev_loop *loop, unsigned nguests, uint64_t timeout_ns);
/* Running children are killed and reaped. */
void lc_cmd_free(struct lc_cmd *lc);
/* Set (or clear with NULL/"") guest's command for act: -EINVAL if the
 * line is too long, has too many words or argv[0] is not absolute. */
int lc_cmd_set(struct lc_cmd *lc, unsigned guest, enum lc_action act, const char *line);
unsigned lc_cmd_running(const struct lc_cmd *lc);
const struct lc_cmd_stats *lc_cmd_stats(const struct lc_cmd *lc);

/* The lifecycle_ops of this implementation (opaque: the lc_cmd). */
extern const struct lifecycle_ops lc_cmd_ops;

#endif
