// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMC backend: SMT on the area the scmi_smc module maps for us, SMC/HVC
 * doorbell through its ioctl. One command in flight (the SMT channel), the
 * others queue in smt.c; completion is taken from a loop timer armed when
 * the call returns (Linux's smc transport also treats the return of the
 * SMC as completion), with FREE polling as a fallback until the deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host_dt.h"
#include "smc/scmi_smc_uapi.h"
#include "smt/smt.h"
#include "smt_smc.h"
#include "../mediator/evloop.h"
#include "../mediator/log.h"
#include "../mediator/scmi_msg.h"

struct smt_smc_backend {
	struct scmi_backend b;
	struct smc_cfg cfg;
	int fd;
	void *map;
	size_t map_len;
	volatile uint8_t *area;
	struct scmi_smc_info info;
	struct smt_transport *t;
	struct ev_timer *check;          /* look at the area after a call */
	uint64_t poll_ns;
	struct log_ratelimit rl;
};

static struct smt_smc_backend *to_sb(struct scmi_backend *b)
{
	return (struct smt_smc_backend *)b;
}

static int dev_ioctl(struct smt_smc_backend *sb, unsigned long req, void *arg)
{
	if (sb->cfg.ops)
		return sb->cfg.ops->ioctl(sb->cfg.ops->opaque, sb->fd, req, arg);
	return ioctl(sb->fd, req, arg);
}

static void check_cb(struct ev_loop *loop, void *opaque);

static void arm_check(struct smt_smc_backend *sb, uint64_t at)
{
	if (sb->check)
		return;
	sb->check = ev_timer_add(sb->b.loop, at, check_cb, sb);
	if (!sb->check)
		log_rl(&sb->rl, LOG_LVL_ERROR, "smc: cannot arm a timer (the SMT deadline "
		       "still fails the command)");
}

static void check_cb(struct ev_loop *loop, void *opaque)
{
	struct smt_smc_backend *sb = opaque;

	sb->check = NULL;
	smt_poll(sb->t, 0);
	/* Still occupied and not FREE: the firmware did not complete on
	 * return (or the command timed out and its reply is late). Keep
	 * looking until smt.c gives up on it. */
	if (smt_pending(sb->t, 0) && !(smt_rd32(sb->area, SMT_OFF_STATUS) & SMT_STATUS_FREE))
		arm_check(sb, ev_now_ns() + sb->poll_ns);
}

static int smc_ring(void *opaque, unsigned chan, enum smt_bell bell)
{
	struct smt_smc_backend *sb = opaque;
	struct scmi_smc_call c;

	if (bell != SMT_BELL_A2P_CMD)
		return 0;            /* no P2A channel over SMC */
	memset(&c, 0, sizeof(c));
	if (dev_ioctl(sb, SCMI_SMC_IOC_CALL, &c) < 0)
		return errno ? -errno : -EIO;
	if (c.a0 == SCMI_SMC_RET_NOT_SUPPORTED)
		return -EOPNOTSUPP;  /* the function id is not served (for us) */
	arm_check(sb, ev_now_ns());
	return 0;
}

static int sb_send(struct scmi_backend *b, unsigned chan, const uint8_t *msg, size_t len,
		   size_t resp_max)
{
	return smt_send(to_sb(b)->t, chan, msg, len, resp_max);
}

static unsigned sb_max_inflight(struct scmi_backend *b, unsigned chan)
{
	return 1;
}

static void sb_destroy(struct scmi_backend *b)
{
	struct smt_smc_backend *sb = to_sb(b);

	smt_free(sb->t);
	if (sb->check)
		ev_timer_cancel(b->loop, sb->check);
	if (sb->map)
		munmap(sb->map, sb->map_len);
	if (sb->fd >= 0)
		close(sb->fd);
	free(sb);
}

static const struct scmi_backend_ops smt_smc_ops = {
	.name = "smc",
	.send = sb_send,
	.max_inflight = sb_max_inflight,
	.destroy = sb_destroy,
};

/* The module's description of the channel, checked against the bounds of
 * the interface and (from the host DT) what we expect. */
static int check_info(struct smt_smc_backend *sb)
{
	const struct scmi_smc_info *i = &sb->info;
	const struct smc_cfg *c = &sb->cfg;
	long pg = sysconf(_SC_PAGESIZE);

	if (i->version != SCMI_SMC_UAPI_VERSION) {
		log_err("smc: %s speaks interface version %u, this mediator %u", c->dev_path,
			i->version, SCMI_SMC_UAPI_VERSION);
		return -1;
	}
	if (i->shmem_size < SMT_AREA_MIN || i->shmem_size > SCMI_SMC_AREA_MAX ||
	    !i->map_size || i->map_size > SCMI_SMC_MAP_MAX || pg <= 0 || i->map_size % pg ||
	    i->map_offset % 4 || (uint64_t)i->map_offset + i->shmem_size > i->map_size) {
		log_err("smc: %s describes an unusable area (size %u at offset %u of a %u-byte "
			"window)", c->dev_path, i->shmem_size, i->map_offset, i->map_size);
		return -1;
	}
	if (c->check && (i->shmem_phys != c->want_phys || i->shmem_size != c->want_size ||
			 i->smc_id != c->want_smc_id ||
			 !!(i->flags & SCMI_SMC_F_PARAM) != c->want_param)) {
		log_err("smc: %s serves area 0x%llx+0x%x, function id 0x%x%s, but the device "
			"tree has 0x%llx+0x%x, 0x%x%s (load scmi_smc with the DT's values)",
			c->dev_path, (unsigned long long)i->shmem_phys, i->shmem_size, i->smc_id,
			i->flags & SCMI_SMC_F_PARAM ? " (param)" : "",
			(unsigned long long)c->want_phys, c->want_size, c->want_smc_id,
			c->want_param ? " (param)" : "");
		return -1;
	}
	return 0;
}

struct scmi_backend *smt_smc_backend_new(struct ev_loop *loop, const struct smc_cfg *cfg)
{
	struct smt_params p = {
		.queue_max = SMT_QUEUE_MAX, .ring = smc_ring, .name = "smc",
	};
	struct smt_chan_area area;
	struct smt_smc_backend *sb;

	if (!loop || !cfg)
		return NULL;
	sb = calloc(1, sizeof(*sb));
	if (!sb)
		return NULL;
	sb->fd = -1;
	sb->cfg = *cfg;
	if (!sb->cfg.dev_path)
		sb->cfg.dev_path = SMC_DEFAULT_DEV;
	sb->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	sb->b.ops = &smt_smc_ops;
	sb->b.loop = loop;
	sb->b.nchannels = 1;
	sb->poll_ns = (uint64_t)(cfg->poll_us ? cfg->poll_us : 1000) * 1000;
	sb->fd = open(sb->cfg.dev_path, O_RDWR | O_CLOEXEC);
	if (sb->fd < 0) {
		log_err("smc: %s: %s%s", sb->cfg.dev_path, strerror(errno),
			errno == ENOENT ? " (is the scmi_smc module loaded? docs/smc.md)" :
			errno == EBUSY ? " (another agent has it open)" : "");
		goto err;
	}
	if (dev_ioctl(sb, SCMI_SMC_IOC_INFO, &sb->info) < 0) {
		log_err("smc: %s: SCMI_SMC_IOC_INFO: %s", sb->cfg.dev_path, strerror(errno));
		goto err;
	}
	if (check_info(sb))
		goto err;
	sb->map = mmap(NULL, sb->info.map_size, PROT_READ | PROT_WRITE, MAP_SHARED, sb->fd, 0);
	if (sb->map == MAP_FAILED) {
		sb->map = NULL;
		log_err("smc: mapping the area of %s: %s", sb->cfg.dev_path, strerror(errno));
		goto err;
	}
	sb->map_len = sb->info.map_size;
	sb->area = (volatile uint8_t *)sb->map + sb->info.map_offset;
	area.a2p = sb->area;
	area.p2a = NULL;
	area.size = sb->info.shmem_size;
	sb->b.max_msg = smt_msg_cap(area.size) < SCMI_MSG_MAX ? smt_msg_cap(area.size) :
								  SCMI_MSG_MAX;
	p.timeout_ns = (uint64_t)(cfg->timeout_ms ? cfg->timeout_ms : 1000) * 1000000;
	p.opaque = sb;
	sb->t = smt_new(&sb->b, 1, &area, &p);
	if (!sb->t)
		goto err;
	log_info("smc: %s: area 0x%llx+0x%x, function id 0x%x over %s%s", sb->cfg.dev_path,
		 (unsigned long long)sb->info.shmem_phys, sb->info.shmem_size, sb->info.smc_id,
		 sb->info.flags & SCMI_SMC_F_HVC ? "HVC" : "SMC",
		 sb->info.flags & SCMI_SMC_F_PARAM ? " (page/offset in x1/x2)" : "");
	return &sb->b;
err:
	sb_destroy(&sb->b);
	return NULL;
}

int smc_cfg_from_dt(const struct hdt_scmi *s, struct smc_cfg *cfg, char *err, size_t errlen)
{
	if (!s->usable || s->transport != HDT_SMC) {
		snprintf(err, errlen, "%s: not a usable SMC SCMI node%s%s", s->path,
			 s->err[0] ? ": " : "", s->err);
		return -1;
	}
	if (strcmp(s->compatible, "arm,scmi-smc") && strcmp(s->compatible, "arm,scmi-smc-param")) {
		snprintf(err, errlen, "%s: %s is not supported by the scmi_smc module "
			 "(arm,scmi-smc and arm,scmi-smc-param are)", s->path, s->compatible);
		return -1;
	}
	if (!s->has_smc_id || !s->ch.nshmem) {
		snprintf(err, errlen, "%s: needs arm,smc-id and a shmem region", s->path);
		return -1;
	}
	cfg->check = true;
	cfg->want_phys = s->ch.shmem[0].addr;
	cfg->want_size = (uint32_t)s->ch.shmem[0].size;
	cfg->want_smc_id = s->smc_id;
	cfg->want_param = !strcmp(s->compatible, "arm,scmi-smc-param");
	if (s->ch.shmem[0].size > SCMI_SMC_AREA_MAX) {
		snprintf(err, errlen, "%s: shmem region of %llu bytes is above the module's limit "
			 "(%u)", s->path, (unsigned long long)s->ch.shmem[0].size,
			 SCMI_SMC_AREA_MAX);
		return -1;
	}
	return 0;
}
