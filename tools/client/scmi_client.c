// SPDX-License-Identifier: GPL-2.0-only
/*
 * Agent client: a vhost-user frontend with one memfd region of "guest"
 * memory, laid out as
 *   [cmdq rings][eventq rings][cmdq indirect pool][slots: req+resp][event bufs]
 * Guest physical addresses start at CLIENT_GPA_BASE; the frontend user
 * addresses sent in SET_VRING_ADDR are our own mapping's addresses, as
 * QEMU's are.
 *
 * Command slots: one per cmdq entry; a slot is FREE, INFLIGHT (owned by the
 * device), DONE (used, queued for scmi_client_poll or a synchronous call)
 * or RETURNED (handed to the caller, recycled at the next submit/poll).
 * A synchronous call that times out leaves its slot ABANDONED: the device
 * still owns the buffers; the late reply frees the slot and its token.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "scmi_client.h"
#include "vring_drv.h"
#include "mediator/scmi_msg.h"
#include "mediator/virtio/scmi_dev.h"
#include "vhost-user/vhost_user_proto.h"

#define CLIENT_GPA_BASE   0x40000000ull
#define CLIENT_SLOT_BUF   SCMI_CLIENT_MAX_MSG
#define CLIENT_CTRL_TIMEOUT_MS 5000

enum slot_state { SLOT_FREE, SLOT_INFLIGHT, SLOT_DONE, SLOT_RETURNED, SLOT_ABANDONED };

struct client_slot {
	enum slot_state state;
	uint32_t len;            /* used length once DONE */
	int token;               /* token reserved by scmi_client_call, else -1 */
};

struct scmi_client {
	int sock;
	bool dead;
	struct scmi_client_opts o;
	uint64_t dev_features, features, proto_features;

	int memfd;
	uint8_t *mem;
	size_t mem_size;
	size_t off_ring[2], off_ind, off_req, off_resp, off_ev;
	unsigned nq;             /* rings set up: 1 or 2 */
	bool indirect;

	int kick_fd[2], call_fd[2];
	struct vring_drv *vq[2];

	struct client_slot *slots;
	unsigned *ready;         /* FIFO of DONE slot tags */
	unsigned ready_head, ready_n;
	unsigned inflight;

	uint8_t token_busy[SCMI_TOKEN_MAX / 8];
	unsigned next_token;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int left_ms(int64_t deadline)
{
	int64_t l = deadline - now_ms();

	return l < 0 ? 0 : (l > 3600000 ? 3600000 : (int)l);
}

/* ---- vhost-user requests ------------------------------------------ */
static bool is_get(uint32_t req)
{
	return req == VHU_GET_FEATURES || req == VHU_GET_PROTOCOL_FEATURES ||
	       req == VHU_GET_QUEUE_NUM || req == VHU_GET_VRING_BASE;
}

/* Send a request; GET_* wait for their reply (reply/8 or state bytes),
 * others wait for REPLY_ACK when it was negotiated. */
static int vhu_request(struct scmi_client *c, uint32_t req, const void *payload, uint32_t size,
		       const int *fds, unsigned nfds, void *reply, uint32_t reply_size)
{
	struct vhu_msg m;
	bool ack = !is_get(req) && (c->proto_features & (1ull << VHU_PROTO_F_REPLY_ACK));
	int rfds[VHU_MAX_FDS];
	unsigned rn = 0;
	int r;

	if (c->dead)
		return -EPIPE;
	memset(&m, 0, sizeof(m));
	m.hdr.request = req;
	m.hdr.flags = VHU_VERSION | (ack ? VHU_FLAG_NEED_REPLY : 0);
	m.hdr.size = size;
	if (size)
		memcpy(m.p.raw, payload, size);
	r = vhu_msg_send(c->sock, &m, fds, nfds);
	if (r)
		goto fail;
	if (!is_get(req) && !ack)
		return 0;
	r = vhu_msg_recv(c->sock, &m, rfds, &rn, CLIENT_CTRL_TIMEOUT_MS);
	if (r)
		goto fail;
	vhu_close_fds(rfds, &rn);
	if (m.hdr.request != req || !(m.hdr.flags & VHU_FLAG_REPLY)) {
		r = -EPROTO;
		goto fail;
	}
	if (ack) {
		if (m.hdr.size != 8)
			return -EPROTO;
		return m.p.u64 ? -EIO : 0;
	}
	if (m.hdr.size != reply_size)
		return -EPROTO;
	memcpy(reply, m.p.raw, reply_size);
	return 0;
fail:
	if (r == -EPIPE || r == -ETIMEDOUT || r == -EPROTO)
		c->dead = true;
	return r;
}

static int vhu_u64(struct scmi_client *c, uint32_t req, uint64_t v)
{
	return vhu_request(c, req, &v, sizeof(v), NULL, 0, NULL, 0);
}

static int vhu_state(struct scmi_client *c, uint32_t req, unsigned idx, unsigned num)
{
	struct vhu_vring_state st = { .index = idx, .num = num };

	return vhu_request(c, req, &st, sizeof(st), NULL, 0, NULL, 0);
}

static int vhu_vring_fd(struct scmi_client *c, uint32_t req, unsigned idx, int fd)
{
	uint64_t v = idx;

	return vhu_request(c, req, &v, sizeof(v), &fd, 1, NULL, 0);
}

/* ---- memory and rings ---------------------------------------------- */
static uint64_t gpa_of(const struct scmi_client *c, size_t off)
{
	return CLIENT_GPA_BASE + off;
}

static uint8_t *req_buf(struct scmi_client *c, unsigned tag)
{
	return c->mem + c->off_req + (size_t)tag * CLIENT_SLOT_BUF;
}

static uint8_t *resp_buf(struct scmi_client *c, unsigned tag)
{
	return c->mem + c->off_resp + (size_t)tag * CLIENT_SLOT_BUF;
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int layout_memory(struct scmi_client *c)
{
	unsigned qs = c->o.queue_size;
	size_t off = 0;

	c->off_ring[0] = off;
	off += vring_drv_ring_size(qs);
	c->off_ring[1] = off;
	off += vring_drv_ring_size(qs);
	c->off_ind = off;
	off += align_up(vring_drv_indirect_size(qs, 2), 64);
	c->off_req = off;
	off += (size_t)qs * CLIENT_SLOT_BUF;
	c->off_resp = off;
	off += (size_t)qs * CLIENT_SLOT_BUF;
	c->off_ev = off;
	off += align_up((size_t)c->o.event_buffers * c->o.msg_size, 64);
	c->mem_size = align_up(off, 1u << 21);

	c->memfd = memfd_create("scmi-client", MFD_CLOEXEC);
	if (c->memfd < 0 || ftruncate(c->memfd, (off_t)c->mem_size))
		return -errno;
	c->mem = mmap(NULL, c->mem_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->memfd, 0);
	if (c->mem == MAP_FAILED) {
		c->mem = NULL;
		return -errno;
	}
	return 0;
}

static void kick(struct scmi_client *c, unsigned q)
{
	uint64_t one = 1;

	if (write(c->kick_fd[q], &one, sizeof(one)) < 0 && errno != EAGAIN)
		c->dead = true;
}

static int post_event_buffers(struct scmi_client *c)
{
	for (unsigned i = 0; i < c->o.event_buffers; i++) {
		struct vring_drv_buf in = {
			gpa_of(c, c->off_ev + (size_t)i * c->o.msg_size), (uint32_t)c->o.msg_size
		};

		if (vring_drv_add(c->vq[1], NULL, 0, &in, 1, (void *)(uintptr_t)(i + 1), false) < 0)
			return -ENOSPC;
	}
	if (vring_drv_publish(c->vq[1]))
		kick(c, 1);
	return 0;
}

/* Features, memory table and rings: what QEMU does at DRIVER_OK. */
static int device_start(struct scmi_client *c)
{
	struct vhu_mem_table mt;
	bool event_idx = c->features & (1ull << VIRTIO_F_RING_EVENT_IDX);
	int r;

	r = vhu_u64(c, VHU_SET_FEATURES, c->features);
	if (r)
		return r;
	memset(&mt, 0, sizeof(mt));
	mt.nregions = 1;
	mt.regions[0].guest_phys_addr = CLIENT_GPA_BASE;
	mt.regions[0].memory_size = c->mem_size;
	mt.regions[0].userspace_addr = (uint64_t)(uintptr_t)c->mem;
	mt.regions[0].mmap_offset = 0;
	r = vhu_request(c, VHU_SET_MEM_TABLE, &mt, 8 + sizeof(struct vhu_mem_region),
			&c->memfd, 1, NULL, 0);
	if (r)
		return r;
	for (unsigned q = 0; q < c->nq; q++) {
		uint8_t *ring = c->mem + c->off_ring[q];
		struct vhu_vring_addr a;

		r = vring_drv_init(c->vq[q], c->o.queue_size, ring, gpa_of(c, c->off_ring[q]),
				   event_idx);
		if (r)
			return r;
		if (q == 0 && c->indirect)
			vring_drv_set_indirect(c->vq[0], c->mem + c->off_ind,
					       gpa_of(c, c->off_ind), 2);
		memset(&a, 0, sizeof(a));
		a.index = q;
		a.desc_user_addr = (uint64_t)(uintptr_t)ring;
		a.avail_user_addr = a.desc_user_addr + vring_drv_avail_off(c->o.queue_size);
		a.used_user_addr = a.desc_user_addr + vring_drv_used_off(c->o.queue_size);
		if ((r = vhu_vring_fd(c, VHU_SET_VRING_CALL, q, c->call_fd[q])) ||
		    (r = vhu_state(c, VHU_SET_VRING_NUM, q, c->o.queue_size)) ||
		    (r = vhu_state(c, VHU_SET_VRING_BASE, q, 0)) ||
		    (r = vhu_request(c, VHU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0, NULL, 0)) ||
		    (r = vhu_vring_fd(c, VHU_SET_VRING_KICK, q, c->kick_fd[q])))
			return r;
		if ((c->features & (1ull << VHOST_USER_F_PROTOCOL_FEATURES)) &&
		    (r = vhu_state(c, VHU_SET_VRING_ENABLE, q, 1)))
			return r;
	}
	if (c->nq > 1) {
		r = post_event_buffers(c);
		if (r)
			return r;
	}
	/* Barrier: every request above has been processed. */
	{
		uint64_t f;

		return vhu_request(c, VHU_GET_FEATURES, NULL, 0, NULL, 0, &f, sizeof(f));
	}
}

static void reset_local_state(struct scmi_client *c)
{
	for (unsigned i = 0; i < c->o.queue_size; i++) {
		c->slots[i].state = SLOT_FREE;
		c->slots[i].token = -1;
	}
	c->ready_head = c->ready_n = 0;
	c->inflight = 0;
	memset(c->token_busy, 0, sizeof(c->token_busy));
	/* drain stale notifications */
	for (unsigned q = 0; q < 2; q++) {
		uint64_t v;

		if (c->call_fd[q] >= 0 && read(c->call_fd[q], &v, sizeof(v)) < 0)
			continue;
	}
}

static void apply_defaults(struct scmi_client_opts *o, const struct scmi_client_opts *in)
{
	memset(o, 0, sizeof(*o));
	o->queue_size = 256;
	o->msg_size = SCMI_LINUX_MSG_SIZE;
	o->p2a = true;
	o->timeout_ms = 5000;
	if (in) {
		if (in->queue_size)
			o->queue_size = in->queue_size;
		if (in->msg_size)
			o->msg_size = in->msg_size;
		o->p2a = in->p2a;
		o->event_buffers = in->event_buffers;
		if (in->timeout_ms > 0)
			o->timeout_ms = in->timeout_ms;
	}
	if (!o->event_buffers || o->event_buffers > o->queue_size)
		o->event_buffers = o->queue_size;
}

struct scmi_client *scmi_client_connect(const char *socket_path,
					const struct scmi_client_opts *opts)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct scmi_client *c;
	uint64_t want, qn;
	int r = -EINVAL;

	if (!socket_path || strlen(socket_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "scmi_client: bad socket path\n");
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->sock = c->memfd = -1;
	c->kick_fd[0] = c->kick_fd[1] = c->call_fd[0] = c->call_fd[1] = -1;
	apply_defaults(&c->o, opts);
	if (c->o.queue_size > VRING_DRV_MAX_NUM || (c->o.queue_size & (c->o.queue_size - 1)) ||
	    c->o.msg_size < 8 || c->o.msg_size > CLIENT_SLOT_BUF) {
		fprintf(stderr, "scmi_client: bad options (queue_size %u, msg_size %zu)\n",
			c->o.queue_size, c->o.msg_size);
		goto fail;
	}
	c->slots = calloc(c->o.queue_size, sizeof(*c->slots));
	c->ready = calloc(c->o.queue_size, sizeof(*c->ready));
	c->vq[0] = calloc(1, sizeof(struct vring_drv));
	c->vq[1] = calloc(1, sizeof(struct vring_drv));
	r = -ENOMEM;
	if (!c->slots || !c->ready || !c->vq[0] || !c->vq[1])
		goto fail;
	for (unsigned q = 0; q < 2; q++) {
		c->kick_fd[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		c->call_fd[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (c->kick_fd[q] < 0 || c->call_fd[q] < 0) {
			r = -errno;
			goto fail;
		}
	}
	r = layout_memory(c);
	if (r)
		goto fail;
	c->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(sa.sun_path, socket_path);
	if (c->sock < 0 || connect(c->sock, (struct sockaddr *)&sa, sizeof(sa))) {
		r = -errno;
		fprintf(stderr, "scmi_client: cannot connect to %s: %s\n", socket_path,
			strerror(errno));
		goto fail;
	}
	r = vhu_request(c, VHU_GET_FEATURES, NULL, 0, NULL, 0, &c->dev_features, 8);
	if (r)
		goto proto;
	if (!(c->dev_features & (1ull << VIRTIO_F_VERSION_1))) {
		fprintf(stderr, "scmi_client: device does not offer VERSION_1\n");
		r = -EPROTO;
		goto fail;
	}
	if (c->dev_features & (1ull << VHOST_USER_F_PROTOCOL_FEATURES)) {
		uint64_t pf;

		r = vhu_request(c, VHU_GET_PROTOCOL_FEATURES, NULL, 0, NULL, 0, &pf, 8);
		if (r)
			goto proto;
		pf &= (1ull << VHU_PROTO_F_MQ) | (1ull << VHU_PROTO_F_REPLY_ACK) |
		      (1ull << VHU_PROTO_F_RESET_DEVICE);
		r = vhu_u64(c, VHU_SET_PROTOCOL_FEATURES, pf);
		if (r)
			goto proto;
		c->proto_features = pf;   /* REPLY_ACK applies from here on */
	}
	r = vhu_request(c, VHU_SET_OWNER, NULL, 0, NULL, 0, NULL, 0);
	if (r)
		goto proto;
	want = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_EVENT_IDX) |
	       (1ull << VIRTIO_F_RING_INDIRECT_DESC) | (1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	if (c->o.p2a)
		want |= 1ull << VIRTIO_SCMI_F_P2A_CHANNELS;
	c->features = c->dev_features & want;
	c->indirect = c->features & (1ull << VIRTIO_F_RING_INDIRECT_DESC);
	c->nq = (c->features & (1ull << VIRTIO_SCMI_F_P2A_CHANNELS)) ? 2 : 1;
	if (c->proto_features & (1ull << VHU_PROTO_F_MQ)) {
		r = vhu_request(c, VHU_GET_QUEUE_NUM, NULL, 0, NULL, 0, &qn, 8);
		if (r)
			goto proto;
		if (qn < c->nq) {
			r = -EPROTO;
			goto proto;
		}
	}
	reset_local_state(c);
	r = device_start(c);
	if (r)
		goto proto;
	return c;
proto:
	fprintf(stderr, "scmi_client: vhost-user negotiation with %s failed: %s\n",
		socket_path, strerror(-r));
fail:
	scmi_client_close(c);
	errno = r < 0 ? -r : EINVAL;
	return NULL;
}

void scmi_client_close(struct scmi_client *c)
{
	if (!c)
		return;
	if (c->sock >= 0)
		close(c->sock);
	if (c->memfd >= 0)
		close(c->memfd);
	if (c->mem)
		munmap(c->mem, c->mem_size);
	for (unsigned q = 0; q < 2; q++) {
		if (c->kick_fd[q] >= 0)
			close(c->kick_fd[q]);
		if (c->call_fd[q] >= 0)
			close(c->call_fd[q]);
	}
	free(c->vq[0]);
	free(c->vq[1]);
	free(c->slots);
	free(c->ready);
	free(c);
}

uint64_t scmi_client_features(const struct scmi_client *c)
{
	return c->features;
}

uint64_t scmi_client_device_features(const struct scmi_client *c)
{
	return c->dev_features;
}

unsigned scmi_client_inflight(const struct scmi_client *c)
{
	return c->inflight;
}

/* ---- command queue -------------------------------------------------- */
static void token_set(struct scmi_client *c, int t, bool busy)
{
	if (t < 0)
		return;
	if (busy)
		c->token_busy[t / 8] |= (uint8_t)(1u << (t % 8));
	else
		c->token_busy[t / 8] &= (uint8_t)~(1u << (t % 8));
}

static void recycle_returned(struct scmi_client *c)
{
	for (unsigned i = 0; i < c->o.queue_size; i++)
		if (c->slots[i].state == SLOT_RETURNED)
			c->slots[i].state = SLOT_FREE;
}

/* Move used cmdq entries to the ready FIFO. Returns <0 on a device error. */
static int harvest(struct scmi_client *c)
{
	struct vring_drv_used u;
	int r;

	while ((r = vring_drv_get_used(c->vq[0], &u)) > 0) {
		unsigned tag = (unsigned)((uintptr_t)u.data - 1);
		struct client_slot *s;

		if (!u.data || tag >= c->o.queue_size)
			return -EIO;
		s = &c->slots[tag];
		c->inflight--;
		s->len = u.len;
		if (s->state == SLOT_ABANDONED) {
			token_set(c, s->token, false);
			s->token = -1;
			s->state = SLOT_FREE;
			continue;
		}
		s->state = SLOT_DONE;
		c->ready[(c->ready_head + c->ready_n++) % c->o.queue_size] = tag;
	}
	return r < 0 ? -EIO : 0;
}

/* Wait for a notification on queue q (or the peer going away). */
static int wait_notify(struct scmi_client *c, unsigned q, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = c->call_fd[q], .events = POLLIN },
		{ .fd = c->sock, .events = POLLIN },
	};
	uint64_t v;
	int r;

	do {
		r = poll(p, 2, timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (p[1].revents) {
		/* the backend never sends unsolicited messages: EOF/hangup */
		c->dead = true;
		return -EPIPE;
	}
	if (p[0].revents && read(c->call_fd[q], &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	return r;
}

int scmi_client_submit(struct scmi_client *c, const void *msg, size_t len, size_t resp_cap)
{
	struct vring_drv_buf out, in;
	unsigned tag;
	int head;

	if (c->dead)
		return -EPIPE;
	if (!msg || len < 4 || len > CLIENT_SLOT_BUF || resp_cap > CLIENT_SLOT_BUF)
		return -EINVAL;
	recycle_returned(c);
	for (tag = 0; tag < c->o.queue_size; tag++)
		if (c->slots[tag].state == SLOT_FREE)
			break;
	if (tag == c->o.queue_size)
		return -EAGAIN;
	memcpy(req_buf(c, tag), msg, len);
	memset(resp_buf(c, tag), 0, resp_cap);
	out.gpa = gpa_of(c, (size_t)(req_buf(c, tag) - c->mem));
	out.len = (uint32_t)len;
	in.gpa = gpa_of(c, (size_t)(resp_buf(c, tag) - c->mem));
	in.len = (uint32_t)resp_cap;
	head = vring_drv_add(c->vq[0], &out, 1, &in, resp_cap ? 1 : 0,
			     (void *)(uintptr_t)(tag + 1), c->indirect && resp_cap);
	if (head == -ENOSPC)
		return -EAGAIN;
	if (head < 0)
		return head;
	c->slots[tag].state = SLOT_INFLIGHT;
	c->slots[tag].token = -1;
	c->inflight++;
	if (vring_drv_publish(c->vq[0]))
		kick(c, 0);
	return c->dead ? -EPIPE : (int)tag;
}

int scmi_client_poll(struct scmi_client *c, struct scmi_client_done *done, int max,
		     int timeout_ms)
{
	int64_t deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	int n = 0, r;

	recycle_returned(c);
	for (;;) {
		r = harvest(c);
		if (r)
			return r;
		while (n < max && c->ready_n) {
			unsigned tag = c->ready[c->ready_head];

			c->ready_head = (c->ready_head + 1) % c->o.queue_size;
			c->ready_n--;
			c->slots[tag].state = SLOT_RETURNED;
			done[n].tag = (int)tag;
			done[n].len = c->slots[tag].len;
			done[n].resp = resp_buf(c, tag);
			n++;
		}
		if (n || max <= 0)
			return n;
		if (vring_drv_enable_cb(c->vq[0]))
			continue;
		if (c->dead)
			return -EPIPE;
		if (left_ms(deadline) == 0)
			return 0;
		r = wait_notify(c, 0, left_ms(deadline));
		if (r < 0)
			return r;
	}
}

/* Wait until slot tag is DONE; take it out of the ready FIFO. */
static int wait_slot(struct scmi_client *c, unsigned tag, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	int r;

	for (;;) {
		r = harvest(c);
		if (r)
			return r;
		if (c->slots[tag].state == SLOT_DONE) {
			for (unsigned i = 0; i < c->ready_n; i++) {
				unsigned at = (c->ready_head + i) % c->o.queue_size;

				if (c->ready[at] != tag)
					continue;
				for (unsigned j = i; j + 1 < c->ready_n; j++)
					c->ready[(c->ready_head + j) % c->o.queue_size] =
						c->ready[(c->ready_head + j + 1) % c->o.queue_size];
				c->ready_n--;
				break;
			}
			return 0;
		}
		if (vring_drv_enable_cb(c->vq[0]))
			continue;
		if (left_ms(deadline) == 0) {
			c->slots[tag].state = SLOT_ABANDONED;
			return -ETIMEDOUT;
		}
		r = wait_notify(c, 0, left_ms(deadline));
		if (r < 0)
			return r;
	}
}

int scmi_client_raw(struct scmi_client *c, const void *msg, size_t len, void *resp,
		    size_t resp_cap)
{
	int tag = scmi_client_submit(c, msg, len, resp_cap);
	int r;

	if (tag < 0)
		return tag;
	r = wait_slot(c, (unsigned)tag, c->o.timeout_ms);
	if (r)
		return r;
	r = (int)c->slots[tag].len;
	if ((size_t)r > resp_cap)
		r = (int)resp_cap;
	memcpy(resp, resp_buf(c, (unsigned)tag), (size_t)r);
	c->slots[tag].state = SLOT_FREE;
	return r;
}

static int token_alloc(struct scmi_client *c)
{
	for (unsigned i = 0; i < SCMI_TOKEN_MAX; i++) {
		unsigned t = (c->next_token + i) % SCMI_TOKEN_MAX;

		if (!(c->token_busy[t / 8] & (1u << (t % 8)))) {
			c->next_token = (t + 1) % SCMI_TOKEN_MAX;
			token_set(c, (int)t, true);
			return (int)t;
		}
	}
	return -EAGAIN;
}

int scmi_client_call(struct scmi_client *c, uint8_t proto, uint8_t msg_id,
		     const void *args, size_t args_len, int32_t *status,
		     void *vals, size_t *vals_len)
{
	uint8_t msg[CLIENT_SLOT_BUF];
	const uint8_t *resp;
	uint32_t hdr;
	size_t n, cap = vals_len ? *vals_len : 0;
	int token, tag, r;

	if (args_len > CLIENT_SLOT_BUF - 4 || (args_len && !args) || !status)
		return -EINVAL;
	token = token_alloc(c);
	if (token < 0)
		return token;
	hdr = scmi_hdr(proto, msg_id, SCMI_MSG_COMMAND, (uint16_t)token);
	scmi_put_le32(msg, hdr);
	if (args_len)
		memcpy(msg + 4, args, args_len);
	tag = scmi_client_submit(c, msg, 4 + args_len, c->o.msg_size);
	if (tag < 0) {
		token_set(c, token, false);
		return tag;
	}
	c->slots[tag].token = token;
	r = wait_slot(c, (unsigned)tag, c->o.timeout_ms);
	if (r)
		return r;   /* on timeout the token stays busy until the late reply */
	resp = resp_buf(c, (unsigned)tag);
	n = c->slots[tag].len;
	c->slots[tag].state = SLOT_FREE;
	token_set(c, token, false);
	c->slots[tag].token = -1;
	if (n < 8 || n > c->o.msg_size || scmi_get_le32(resp) != hdr)
		return -EIO;
	*status = (int32_t)scmi_get_le32(resp + 4);
	n -= 8;
	if (n > cap)
		n = cap;
	if (n)
		memcpy(vals, resp + 8, n);
	if (vals_len)
		*vals_len = n;
	return 0;
}

/* ---- event queue ---------------------------------------------------- */
int scmi_client_wait_event(struct scmi_client *c, void *buf, size_t cap, int timeout_ms)
{
	int64_t deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	struct vring_drv_used u;
	int r;

	if (c->nq < 2)
		return -EOPNOTSUPP;
	for (;;) {
		r = vring_drv_get_used(c->vq[1], &u);
		if (r < 0)
			return -EIO;
		if (r > 0) {
			unsigned i = (unsigned)((uintptr_t)u.data - 1);
			size_t off = c->off_ev + (size_t)i * c->o.msg_size;
			struct vring_drv_buf in = { gpa_of(c, off), (uint32_t)c->o.msg_size };
			size_t n = u.len;

			if (!u.data || i >= c->o.event_buffers || n > c->o.msg_size)
				return -EIO;
			if (n > cap)
				n = cap;
			memcpy(buf, c->mem + off, n);
			/* re-post the buffer, as Linux does */
			if (vring_drv_add(c->vq[1], NULL, 0, &in, 1, u.data, false) < 0)
				return -EIO;
			if (vring_drv_publish(c->vq[1]))
				kick(c, 1);
			return (int)n;
		}
		if (vring_drv_enable_cb(c->vq[1]))
			continue;
		if (c->dead)
			return -EPIPE;
		if (left_ms(deadline) == 0)
			return 0;
		r = wait_notify(c, 1, left_ms(deadline));
		if (r < 0)
			return r;
	}
}

/* ---- reset ------------------------------------------------------------ */
int scmi_client_reset(struct scmi_client *c)
{
	int r;

	if (c->dead)
		return -EPIPE;
	/* Stop the rings as QEMU does when the driver resets the device. */
	for (unsigned q = 0; q < c->nq; q++) {
		struct vhu_vring_state st = { .index = q }, rep;

		r = vhu_request(c, VHU_GET_VRING_BASE, &st, sizeof(st), NULL, 0, &rep, sizeof(rep));
		if (r)
			return r;
	}
	reset_local_state(c);
	return device_start(c);
}
