/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sends the permission commands perm_setup.h builds on the management
 * agent's channel (a dispatcher client of its own) and reports once every
 * one is answered: all SUCCESS, or the first refusal (which agent, device,
 * protocol, status). docs/multi-agent.md.
 */
#ifndef PERM_JOB_H
#define PERM_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perm_setup.h"

struct dispatcher;
struct perm_job;

/* ok: every command succeeded; else why says what the platform refused. */
typedef void (*perm_job_done_fn)(void *opaque, bool ok, const char *why);

struct perm_job *perm_job_new(struct dispatcher *d, unsigned mgmt_chan, perm_job_done_fn done,
			      void *opaque);
void perm_job_free(struct perm_job *j);
/* Drop the commands (and a run in progress: its answers are ignored). */
void perm_job_clear(struct perm_job *j);
/* Add agent's commands (perm_program_set). Returns how many, or -errno. */
int perm_job_add(struct perm_job *j, const struct policy *const *pols, unsigned npols,
		 uint32_t agent, const struct perm_device *devs, unsigned ndevs);
/* Send what was added; done() is called once all are answered (at once
 * for an empty job). */
void perm_job_start(struct perm_job *j);
bool perm_job_running(const struct perm_job *j);

struct perm_job_stats {
	unsigned runs, failures;
	unsigned sent, ok;           /* last run */
	bool last_ok;
	char last_error[160];
};
const struct perm_job_stats *perm_job_stats(const struct perm_job *j);

#endif
