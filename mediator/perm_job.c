// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform permission commands through the management agent (perm_job.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatcher.h"
#include "log.h"
#include "perm_job.h"
#include "scmi_msg.h"

#define PJ_WINDOW 8
#define PJ_MSG 20

struct perm_job {
	struct dispatcher *d;
	unsigned chan;
	struct disp_client *cl;
	perm_job_done_fn done;
	void *opaque;
	uint8_t (*cmds)[PJ_MSG];
	uint8_t *lens;
	unsigned ncmds, cap, next, inflight;
	bool running, failed;
	struct perm_job_stats st;
};

static const char *status_name(int32_t st)
{
	switch (st) {
	case SCMI_SUCCESS: return "SUCCESS";
	case SCMI_NOT_SUPPORTED: return "NOT_SUPPORTED";
	case SCMI_INVALID_PARAMETERS: return "INVALID_PARAMETERS";
	case SCMI_DENIED: return "DENIED";
	case SCMI_NOT_FOUND: return "NOT_FOUND";
	case SCMI_COMMS_ERROR: return "COMMS_ERROR";
	default: return "error";
	}
}

static void finish(struct perm_job *j)
{
	j->running = false;
	j->st.last_ok = !j->failed;
	if (j->failed)
		j->st.failures++;
	else
		j->st.last_error[0] = 0;
	if (j->done)
		j->done(j->opaque, !j->failed, j->st.last_error);
}

static void pump(struct perm_job *j)
{
	while (j->running && j->next < j->ncmds && j->inflight < PJ_WINDOW) {
		unsigned i = j->next;
		int32_t status;
		int rc = disp_submit(j->cl, i, j->cmds[i], j->lens[i], 8, &status);

		if (rc == -ENOSPC)
			break;
		j->next++;
		j->st.sent++;
		if (rc == 0) {
			j->inflight++;
			continue;
		}
		if (!j->failed) {
			j->failed = true;
			snprintf(j->st.last_error, sizeof(j->st.last_error),
				 "the dispatcher refused permission command %u (%d)", i, rc);
		}
	}
	if (j->running && j->next == j->ncmds && !j->inflight)
		finish(j);
}

static void on_response(void *opaque, uint64_t cookie, uint8_t *resp, size_t len,
			size_t cap)
{
	struct perm_job *j = opaque;
	int32_t st = len >= 8 ? (int32_t)scmi_get_le32(resp + 4) : SCMI_PROTOCOL_ERROR;
	const uint8_t *m;

	(void)cap;
	if (!j->running || cookie >= j->ncmds)
		return;
	j->inflight--;
	m = j->cmds[cookie];
	if (st == SCMI_SUCCESS) {
		j->st.ok++;
	} else if (!j->failed) {
		uint8_t id = scmi_hdr_msg_id(scmi_get_le32(m));

		j->failed = true;
		if (id == SCMI_BASE_SET_PROTOCOL_PERMISSIONS)
			snprintf(j->st.last_error, sizeof(j->st.last_error),
				 "BASE_SET_PROTOCOL_PERMISSIONS agent %u device %u protocol 0x%x: "
				 "%s", scmi_get_le32(m + 4), scmi_get_le32(m + 8),
				 scmi_get_le32(m + 12), status_name(st));
		else
			snprintf(j->st.last_error, sizeof(j->st.last_error),
				 "BASE_SET_DEVICE_PERMISSIONS agent %u device %u %s: %s",
				 scmi_get_le32(m + 4), scmi_get_le32(m + 8),
				 scmi_get_le32(m + 12) ? "allow" : "deny", status_name(st));
	}
	pump(j);
}

static void on_p2a(void *opaque, const uint8_t *msg, size_t len)
{
	(void)opaque;
	(void)msg;
	(void)len;
}

static const struct disp_client_ops pj_ops = { .response = on_response, .p2a = on_p2a };

struct perm_job *perm_job_new(struct dispatcher *d, unsigned mgmt_chan, perm_job_done_fn done,
			      void *opaque)
{
	struct perm_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->d = d;
	j->chan = mgmt_chan;
	j->done = done;
	j->opaque = opaque;
	j->cl = disp_client_new(d, mgmt_chan, "permissions", &pj_ops, j);
	if (!j->cl) {
		free(j);
		return NULL;
	}
	return j;
}

void perm_job_free(struct perm_job *j)
{
	if (!j)
		return;
	disp_client_free(j->cl);
	free(j->cmds);
	free(j->lens);
	free(j);
}

static int buffer(void *opaque, const uint8_t *msg, size_t len)
{
	struct perm_job *j = opaque;

	if (len > PJ_MSG)
		return -EINVAL;
	if (j->ncmds == j->cap) {
		unsigned ncap = j->cap ? j->cap * 2 : 64;
		uint8_t (*nc)[PJ_MSG] = realloc(j->cmds, ncap * sizeof(*nc));
		uint8_t *nl;

		if (!nc)
			return -ENOMEM;
		j->cmds = nc;
		nl = realloc(j->lens, ncap);
		if (!nl)
			return -ENOMEM;
		j->lens = nl;
		j->cap = ncap;
	}
	memcpy(j->cmds[j->ncmds], msg, len);
	scmi_put_le32(j->cmds[j->ncmds], scmi_hdr_set_token(scmi_get_le32(msg),
							   (uint16_t)(j->ncmds & 0x3ffu)));
	j->lens[j->ncmds++] = (uint8_t)len;
	return 0;
}

int perm_job_add(struct perm_job *j, const struct policy *const *pols, unsigned npols,
		 uint32_t agent, const struct perm_device *devs, unsigned ndevs)
{
	return perm_program_set(pols, npols, agent, devs, ndevs, buffer, j);
}

void perm_job_clear(struct perm_job *j)
{
	if (j->running)
		disp_client_reset(j->cl);   /* late answers are discarded */
	j->running = false;
	j->ncmds = j->next = j->inflight = 0;
}

void perm_job_start(struct perm_job *j)
{
	j->running = true;
	j->failed = false;
	j->next = j->inflight = 0;
	j->st.runs++;
	j->st.sent = j->st.ok = 0;
	j->st.last_error[0] = 0;
	log_info("chan %u: programming %u platform permission command%s", j->chan, j->ncmds,
		 j->ncmds == 1 ? "" : "s");
	pump(j);
}

bool perm_job_running(const struct perm_job *j)
{
	return j->running;
}

const struct perm_job_stats *perm_job_stats(const struct perm_job *j)
{
	return &j->st;
}
