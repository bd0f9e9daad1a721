// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mailbox backend: the SMT state machine (smt/smt.c) on areas mapped from
 * a physical-memory device, a write-1-to-set doorbell register, and
 * completion by FREE polling (a loop timer, never a busy wait) or by a UIO
 * interrupt.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host_dt.h"
#include "smt_mailbox.h"
#include "smt/smt.h"
#include "../mediator/evloop.h"
#include "../mediator/log.h"
#include "../mediator/scmi_msg.h"

struct smb_map {
	void *base;
	size_t len;
};

struct smt_mailbox_backend {
	struct scmi_backend b;
	int memfd, irqfd;
	struct smb_map maps[SMB_MAX_CHANNELS * 3];
	unsigned nmaps;
	volatile uint8_t *bell[SMB_MAX_CHANNELS];
	uint32_t bell_bits[SMB_MAX_CHANNELS];
	struct smt_transport *t;
};

static struct smt_mailbox_backend *to_mb(struct scmi_backend *b)
{
	return (struct smt_mailbox_backend *)b;
}

/* Map [addr, addr + len) of the memory device; NULL on failure (logged). */
static volatile uint8_t *map_region(struct smt_mailbox_backend *mb, uint64_t addr, uint64_t len,
				    const char *what)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t start = addr & ~(uint64_t)(pg - 1), span = addr - start + len;
	void *p;

	if (!len || len > (1u << 20) || addr + len < addr) {
		log_err("mailbox: %s at 0x%llx: bad size %llu", what, (unsigned long long)addr,
			(unsigned long long)len);
		return NULL;
	}
	p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_SHARED, mb->memfd, (off_t)start);
	if (p == MAP_FAILED) {
		log_err("mailbox: mapping %s at 0x%llx: %s", what, (unsigned long long)addr,
			strerror(errno));
		return NULL;
	}
	mb->maps[mb->nmaps].base = p;
	mb->maps[mb->nmaps++].len = span;
	return (volatile uint8_t *)p + (addr - start);
}

static int mb_ring(void *opaque, unsigned chan, enum smt_bell bell)
{
	struct smt_mailbox_backend *mb = opaque;

	/* The P2A side needs no doorbell: the platform polls or is told by
	 * its own mailbox; FREE in the area is what counts. */
	if (bell == SMT_BELL_A2P_CMD)
		smt_wr32(mb->bell[chan], 0, mb->bell_bits[chan]);
	return 0;
}

static void mb_irq_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct smt_mailbox_backend *mb = opaque;
	uint32_t count, one = 1;

	if (read(fd, &count, sizeof(count)) != sizeof(count) && errno != EAGAIN)
		log_warn("mailbox: reading the interrupt count: %s", strerror(errno));
	if (write(fd, &one, sizeof(one)) != sizeof(one))
		log_warn("mailbox: re-enabling the interrupt: %s", strerror(errno));
	smt_poll_all(mb->t);
}

static int mb_send(struct scmi_backend *b, unsigned chan, const uint8_t *msg, size_t len,
		   size_t resp_max)
{
	return smt_send(to_mb(b)->t, chan, msg, len, resp_max);
}

static unsigned mb_max_inflight(struct scmi_backend *b, unsigned chan)
{
	return 1;
}

static void mb_destroy(struct scmi_backend *b)
{
	struct smt_mailbox_backend *mb = to_mb(b);
	unsigned i;

	smt_free(mb->t);
	if (mb->irqfd >= 0) {
		ev_fd_del(b->loop, mb->irqfd);
		close(mb->irqfd);
	}
	for (i = 0; i < mb->nmaps; i++)
		munmap(mb->maps[i].base, mb->maps[i].len);
	if (mb->memfd >= 0)
		close(mb->memfd);
	free(mb);
}

static const struct scmi_backend_ops smt_mailbox_ops = {
	.name = "mailbox",
	.send = mb_send,
	.max_inflight = mb_max_inflight,
	.destroy = mb_destroy,
};

struct scmi_backend *smt_mailbox_backend_new(struct ev_loop *loop, const struct smb_cfg *cfg)
{
	struct smt_chan_area areas[SMB_MAX_CHANNELS];
	struct smt_params p = {
		.queue_max = SMT_QUEUE_MAX, .ring = mb_ring, .name = "mailbox",
	};
	struct smt_mailbox_backend *mb;
	size_t maxmsg = SCMI_MSG_MAX;
	unsigned i;

	if (!cfg || !cfg->mem_path || !cfg->nchan || cfg->nchan > SMB_MAX_CHANNELS) {
		log_err("mailbox: bad configuration (need a memory device and 1..%d channels)",
			SMB_MAX_CHANNELS);
		return NULL;
	}
	mb = calloc(1, sizeof(*mb));
	if (!mb)
		return NULL;
	mb->irqfd = -1;
	mb->b.ops = &smt_mailbox_ops;
	mb->b.loop = loop;
	mb->b.nchannels = cfg->nchan;
	mb->memfd = open(cfg->mem_path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (mb->memfd < 0) {
		log_err("mailbox: %s: %s", cfg->mem_path, strerror(errno));
		goto err;
	}
	for (i = 0; i < cfg->nchan; i++) {
		const struct smb_chan_cfg *c = &cfg->ch[i];

		memset(&areas[i], 0, sizeof(areas[i]));
		if (c->a2p_size < SMT_AREA_MIN || (c->p2a_size && c->p2a_size < SMT_AREA_MIN) ||
		    (c->a2p_addr | c->p2a_addr | c->bell_addr) % 4 || !c->bell_bits) {
			log_err("mailbox: channel %u: areas must be >= %u bytes, 4-byte aligned, "
				"with a doorbell bit", i, SMT_AREA_MIN);
			goto err;
		}
		areas[i].a2p = map_region(mb, c->a2p_addr, c->a2p_size, "A2P area");
		areas[i].size = c->a2p_size;
		if (c->p2a_size) {
			areas[i].p2a = map_region(mb, c->p2a_addr, c->p2a_size, "P2A area");
			if (c->p2a_size < areas[i].size)
				areas[i].size = c->p2a_size;
		}
		mb->bell[i] = map_region(mb, c->bell_addr, 4, "doorbell register");
		mb->bell_bits[i] = c->bell_bits;
		if (!areas[i].a2p || (c->p2a_size && !areas[i].p2a) || !mb->bell[i])
			goto err;
		if (smt_msg_cap(areas[i].size) < maxmsg)
			maxmsg = smt_msg_cap(areas[i].size);
	}
	mb->b.max_msg = maxmsg;
	if (cfg->irq_path) {
		uint32_t one = 1;

		mb->irqfd = open(cfg->irq_path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (mb->irqfd < 0 || write(mb->irqfd, &one, sizeof(one)) != sizeof(one) ||
		    ev_fd_add(loop, mb->irqfd, EPOLLIN, mb_irq_cb, mb)) {
			log_err("mailbox: interrupt device %s: %s", cfg->irq_path, strerror(errno));
			goto err;
		}
	} else {
		p.poll_ns = (uint64_t)(cfg->poll_us ? cfg->poll_us : 1000) * 1000;
	}
	p.timeout_ns = (uint64_t)(cfg->timeout_ms ? cfg->timeout_ms : 1000) * 1000000;
	p.intr = cfg->irq_path != NULL;
	p.opaque = mb;
	mb->t = smt_new(&mb->b, cfg->nchan, areas, &p);
	if (!mb->t)
		goto err;
	log_info("mailbox: %u channel%s on %s, completion by %s", cfg->nchan,
		 cfg->nchan == 1 ? "" : "s", cfg->mem_path,
		 cfg->irq_path ? "interrupt" : "polling");
	return &mb->b;
err:
	mb_destroy(&mb->b);
	return NULL;
}

/* MHU (v1) register blocks: low-priority, high-priority, secure; the SET
 * register is at +0x8 in each. */
static const uint32_t mhu_chan_off[] = { 0x000, 0x020, 0x200 };
#define MHU_SET_OFF 0x8u

int smb_cfg_from_dt(const struct hdt_scmi *s, struct smb_cfg *cfg, char *err, size_t errlen)
{
	const struct hdt_mbox *m = &s->ch.mbox[0];

	if (!s->usable || s->transport != HDT_MAILBOX) {
		snprintf(err, errlen, "%s: not a usable mailbox SCMI node%s%s", s->path,
			 s->err[0] ? ": " : "", s->err);
		return -1;
	}
	if (strcmp(m->ctrl_compat, "arm,mhu-doorbell") || m->nargs != 2 || !m->has_ctrl_addr ||
	    m->args[0] >= sizeof(mhu_chan_off) / sizeof(mhu_chan_off[0]) || m->args[1] >= 32) {
		snprintf(err, errlen, "%s: mailbox %s (%s) is not a supported doorbell "
			 "(arm,mhu-doorbell with 2 cells and a reg)", s->path, m->ctrl,
			 m->ctrl_compat[0] ? m->ctrl_compat : "no compatible");
		return -1;
	}
	cfg->nchan = 1;
	memset(&cfg->ch[0], 0, sizeof(cfg->ch[0]));
	cfg->ch[0].a2p_addr = s->ch.shmem[0].addr;
	cfg->ch[0].a2p_size = s->ch.shmem[0].size;
	if (s->ch.nshmem > 1) {
		cfg->ch[0].p2a_addr = s->ch.shmem[1].addr;
		cfg->ch[0].p2a_size = s->ch.shmem[1].size;
	}
	cfg->ch[0].bell_addr = m->ctrl_addr + mhu_chan_off[m->args[0]] + MHU_SET_OFF;
	cfg->ch[0].bell_bits = 1u << m->args[1];
	return 0;
}
