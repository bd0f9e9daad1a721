// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost-user backend for one guest's virtio-scmi device.
 *
 * Connection handling: the listening socket accepts one frontend at a
 * time; a second connection is accepted and closed at once (logged,
 * counted). Messages are read without blocking into a per-connection
 * buffer; descriptors must come with the first bytes of a message. A
 * message left incomplete for VHU_PARTIAL_TIMEOUT_MS, an EOF in the middle
 * of one, or any protocol violation closes the connection (never the
 * server), which resets the device and unmaps guest memory.
 *
 * Rings: a ring runs (is handed to scmi_dev) when it has a size, ring
 * addresses that translate into the memory table, a kick fd (the vhost
 * "started" state, cleared by GET_VRING_BASE) and is enabled (implicitly
 * so when VHOST_USER_F_PROTOCOL_FEATURES was not acked). Any change to a
 * ring's configuration or to the memory table stops the affected rings
 * (saving their next avail index) and restarts them with fresh pointers.
 * When GET_VRING_BASE has stopped every started ring, the device is reset:
 * the driver stopped it (guest reset or shutdown).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mediator/log.h"
#include "mediator/virtio/vring.h"
#include "vhost_user.h"
#include "vhost_user_proto.h"

#define VHU_NUM_QUEUES          2
#define VHU_PARTIAL_TIMEOUT_MS  1000
#define VHU_MSGS_PER_WAKEUP     64

/* CONFIG is not offered: QEMU's vhost-user-scmi warns about it (no config
 * space); GET_CONFIG is still answered (empty) if a frontend sends it. */
#define VHU_PROTO_OFFERED ((1ull << VHU_PROTO_F_MQ) | (1ull << VHU_PROTO_F_REPLY_ACK) | \
			   (1ull << VHU_PROTO_F_RESET_DEVICE))

struct vhost_user_server;

struct vhu_vq {
	struct vhost_user_server *srv;   /* back pointer for fd callbacks */
	unsigned idx;
	unsigned num;
	uint16_t base;
	bool addr_set;
	uint64_t desc_ua, avail_ua, used_ua;
	int kick_fd, call_fd, err_fd;
	bool kick_watched;
	bool enabled, started, running;
	uint64_t kicks, calls;
};

struct vhu_map {
	void *addr;
	size_t len;
};

struct vhost_user_server {
	struct ev_loop *loop;
	char *path;
	int listen_fd;
	int conn_fd;
	uint64_t max_mem;

	/* receive state of the current connection */
	struct vhu_msg rx;
	size_t rx_have;
	int rx_fds[VHU_MAX_FDS];
	unsigned rx_nfds;
	struct ev_timer *rx_timer;

	bool owner;
	uint64_t features, protocol_features;
	struct vhu_vq vq[VHU_NUM_QUEUES];

	struct gmem_regions mem;
	struct vhu_map maps[GMEM_MAX_REGIONS];
	unsigned nmaps;
	uint64_t mem_bytes;

	struct scmi_dev *dev;

	uint64_t connections, disconnects, refused, protocol_errors, messages, device_resets;
	struct log_ratelimit rl;
	bool broken_reported;
};

/* Every line names the socket; a misbehaving frontend cannot flood the log. */
static void vhu_log_lvl(struct vhost_user_server *s, enum log_level l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vhu_log_lvl(struct vhost_user_server *s, enum log_level l, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (!log_enabled(l))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_rl(&s->rl, l, "vhost-user %s: %s", s->path, buf);
}
#define vhu_log(s, ...)  vhu_log_lvl(s, LOG_LVL_WARN, __VA_ARGS__)
#define vhu_info(s, ...) vhu_log_lvl(s, LOG_LVL_INFO, __VA_ARGS__)

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- memory --------------------------------------------------------- */
static void unmap_all(struct vhu_map *maps, unsigned *n)
{
	for (unsigned i = 0; i < *n; i++)
		munmap(maps[i].addr, maps[i].len);
	*n = 0;
}

static void mem_clear(struct vhost_user_server *s)
{
	gmem_regions_clear(&s->mem);
	unmap_all(s->maps, &s->nmaps);
	s->mem_bytes = 0;
}

/* ---- rings ---------------------------------------------------------- */
static bool vq_enabled(const struct vhost_user_server *s, const struct vhu_vq *vq)
{
	return vq->enabled || !(s->features & (1ull << VHOST_USER_F_PROTOCOL_FEATURES));
}

static void vq_halt(struct vhost_user_server *s, unsigned q)
{
	struct vhu_vq *vq = &s->vq[q];

	if (vq->running) {
		vq->base = scmi_dev_queue_stop(s->dev, q);
		vq->running = false;
	}
}

static void *ring_ptr(struct vhost_user_server *s, uint64_t ua, size_t len, size_t align)
{
	void *p;

	if (ua & (align - 1))
		return NULL;
	p = gmem_regions_uaddr(&s->mem, ua, len);
	if (p && ((uintptr_t)p & (align - 1)))
		return NULL;
	return p;
}

static bool rings_translate(struct vhost_user_server *s, const struct vhu_vq *vq,
			    void **desc, void **avail, void **used)
{
	*desc = ring_ptr(s, vq->desc_ua, vring_desc_size(vq->num), VRING_DESC_ALIGN);
	*avail = ring_ptr(s, vq->avail_ua, vring_avail_size(vq->num), VRING_AVAIL_ALIGN);
	*used = ring_ptr(s, vq->used_ua, vring_used_size(vq->num), VRING_USED_ALIGN);
	return *desc && *avail && *used;
}

/* The guest broke a ring (scmi_dev stopped using it until reset): log it
 * once and signal the frontend's error eventfds (QEMU reports them). */
static void check_broken(struct vhost_user_server *s)
{
	uint64_t one = 1;

	if (s->broken_reported || !scmi_dev_needs_reset(s->dev))
		return;
	s->broken_reported = true;
	vhu_log(s, "the driver broke a virtqueue: device stopped until reset");
	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++)
		if (s->vq[q].err_fd >= 0 && write(s->vq[q].err_fd, &one, sizeof(one)) < 0)
			continue;
}

/* Returns -1 if the ring addresses are bad (protocol error). */
static int vq_try_start(struct vhost_user_server *s, unsigned q)
{
	struct vhu_vq *vq = &s->vq[q];
	void *desc, *avail, *used;

	if (vq->running || !vq->started || !vq_enabled(s, vq) || !vq->num ||
	    !vq->addr_set || s->mem.n == 0)
		return 0;
	if (!rings_translate(s, vq, &desc, &avail, &used)) {
		vhu_log(s, "vring %u: ring addresses outside guest memory "
			"(desc 0x%llx avail 0x%llx used 0x%llx, num %u)", q,
			(unsigned long long)vq->desc_ua, (unsigned long long)vq->avail_ua,
			(unsigned long long)vq->used_ua, vq->num);
		return -1;
	}
	if (scmi_dev_queue_setup(s->dev, q, vq->num, desc, avail, used)) {
		vhu_log(s, "vring %u: device refused the ring", q);
		return -1;
	}
	scmi_dev_queue_set_last_avail(s->dev, q, vq->base);
	vq->running = true;
	scmi_dev_kick(s->dev, q);
	check_broken(s);
	return 0;
}

static int vq_restart_all(struct vhost_user_server *s)
{
	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++)
		if (vq_try_start(s, q))
			return -1;
	return 0;
}

static void kick_unwatch(struct vhost_user_server *s, struct vhu_vq *vq)
{
	if (vq->kick_watched) {
		ev_fd_del(s->loop, vq->kick_fd);
		vq->kick_watched = false;
	}
}

static void vq_clear(struct vhost_user_server *s, unsigned q)
{
	struct vhu_vq *vq = &s->vq[q];

	vq_halt(s, q);
	kick_unwatch(s, vq);
	close_fd(&vq->kick_fd);
	close_fd(&vq->call_fd);
	close_fd(&vq->err_fd);
	vq->num = 0;
	vq->base = 0;
	vq->addr_set = false;
	vq->enabled = vq->started = false;
}

static void device_reset(struct vhost_user_server *s)
{
	scmi_dev_reset(s->dev);
	s->broken_reported = false;
	s->device_resets++;
}

static void kick_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct vhu_vq *vq = opaque;
	struct vhost_user_server *s = vq->srv;
	uint64_t v;
	ssize_t n;

	n = read(fd, &v, sizeof(v));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* EOF or error on the kick fd: stop watching it (no busy loop) */
		vhu_log(s, "vring %u: kick fd unreadable, no longer watched", vq->idx);
		kick_unwatch(s, vq);
		return;
	}
	vq->kicks++;
	if (vq->running) {
		scmi_dev_kick(s->dev, vq->idx);
		check_broken(s);
	}
}

static void notify_cb(void *opaque, unsigned q)
{
	struct vhost_user_server *s = opaque;
	struct vhu_vq *vq;
	uint64_t one = 1;

	if (q >= VHU_NUM_QUEUES)
		return;
	vq = &s->vq[q];
	if (vq->call_fd < 0)
		return;
	/* EAGAIN means the counter is saturated: the guest is signalled. */
	if (write(vq->call_fd, &one, sizeof(one)) == sizeof(one))
		vq->calls++;
}

static const struct scmi_dev_frontend_ops vhu_fops = {
	.notify = notify_cb,
};

/* ---- connection ----------------------------------------------------- */
static void rx_reset(struct vhost_user_server *s)
{
	vhu_close_fds(s->rx_fds, &s->rx_nfds);
	s->rx_have = 0;
	if (s->rx_timer) {
		ev_timer_cancel(s->loop, s->rx_timer);
		s->rx_timer = NULL;
	}
}

static void conn_close(struct vhost_user_server *s, const char *why)
{
	if (s->conn_fd < 0)
		return;
	vhu_info(s, "frontend disconnected (%s)", why);
	ev_fd_del(s->loop, s->conn_fd);
	close_fd(&s->conn_fd);
	rx_reset(s);
	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++)
		vq_clear(s, q);
	device_reset(s);
	scmi_dev_set_features(s->dev, 0);
	mem_clear(s);
	s->owner = false;
	s->features = s->protocol_features = 0;
	s->disconnects++;
}

static void protocol_error(struct vhost_user_server *s, const struct vhu_msg *m,
			   const char *what)
{
	s->protocol_errors++;
	if (m)
		vhu_log(s, "%s (size %u): %s", vhu_request_name(m->hdr.request),
			m->hdr.size, what);
	else
		vhu_log(s, "%s", what);
	conn_close(s, "protocol error");
}

static int send_reply(struct vhost_user_server *s, const struct vhu_msg *req,
		      const void *payload, uint32_t size)
{
	struct vhu_msg r;
	size_t total = VHU_HDR_SIZE + size;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	r.hdr.request = req->hdr.request;
	r.hdr.flags = VHU_VERSION | VHU_FLAG_REPLY;
	r.hdr.size = size;
	memcpy(r.p.raw, payload, size);
	do {
		n = send(s->conn_fd, &r, total, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)total)
		return -1;
	return 0;
}

static int reply_u64(struct vhost_user_server *s, const struct vhu_msg *req, uint64_t v)
{
	return send_reply(s, req, &v, sizeof(v));
}

/* Handler results */
#define H_OK       0    /* success; REPLY_ACK 0 if asked */
#define H_FAIL     1    /* refused; REPLY_ACK 1 if asked, connection kept */
#define H_REPLIED  2    /* the handler sent the reply */
#define H_ABUSE   -1    /* protocol error: close the connection */

struct vhu_req_ctx {
	struct vhost_user_server *s;
	struct vhu_msg *m;
	int *fds;
	unsigned nfds;
	const char *err;
};

static int abuse(struct vhu_req_ctx *c, const char *what)
{
	c->err = what;
	return H_ABUSE;
}

static int take_fd(struct vhu_req_ctx *c)
{
	int fd = c->fds[0];

	c->fds[0] = -1;
	return fd;
}

static int vring_index(struct vhu_req_ctx *c, uint32_t idx)
{
	if (idx >= VHU_NUM_QUEUES) {
		c->err = "vring index out of range";
		return -1;
	}
	return (int)idx;
}

static int h_set_features(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;
	uint64_t offered = scmi_dev_host_features(s->dev) |
			   (1ull << VHOST_USER_F_PROTOCOL_FEATURES);
	uint64_t f = c->m->p.u64;

	if (f & ~offered)
		vhu_log(s, "SET_FEATURES: ignoring bits not offered 0x%llx",
			(unsigned long long)(f & ~offered));
	f &= offered;
	s->features = f;
	scmi_dev_set_features(s->dev, f & ~(1ull << VHOST_USER_F_PROTOCOL_FEATURES));
	/* the implicit enable state of rings may have changed */
	return vq_restart_all(s) ? abuse(c, "bad ring addresses") : H_OK;
}

static int h_set_protocol_features(struct vhu_req_ctx *c)
{
	uint64_t f = c->m->p.u64;

	if (f & ~VHU_PROTO_OFFERED)
		vhu_log(c->s, "SET_PROTOCOL_FEATURES: ignoring bits not offered 0x%llx",
			(unsigned long long)(f & ~VHU_PROTO_OFFERED));
	c->s->protocol_features = f & VHU_PROTO_OFFERED;
	return H_OK;
}

static int h_reset_device(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;

	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++)
		vq_clear(s, q);
	device_reset(s);
	s->features = 0;
	scmi_dev_set_features(s->dev, 0);
	return H_OK;
}

static int map_region(struct vhost_user_server *s, const struct vhu_mem_region *r, int fd,
		      struct vhu_map *map, struct gmem_region *out, const char **err)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t align, map_off, delta, len;
	struct stat st;
	void *p;

	if (r->memory_size == 0 ||
	    r->guest_phys_addr + r->memory_size < r->guest_phys_addr ||
	    r->userspace_addr + r->memory_size < r->userspace_addr ||
	    r->mmap_offset + r->memory_size < r->mmap_offset) {
		*err = "memory region empty or wrapping";
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		*err = "memory region fd is not a regular file (memfd, hugetlbfs, file)";
		return -1;
	}
	if ((uint64_t)st.st_size < r->mmap_offset + r->memory_size) {
		*err = "memory region extends beyond the end of its file";
		return -1;
	}
	align = (uint64_t)(pg > 0 ? pg : 4096);
	if (st.st_blksize > 0 && (uint64_t)st.st_blksize > align &&
	    !((uint64_t)st.st_blksize & ((uint64_t)st.st_blksize - 1)))
		align = (uint64_t)st.st_blksize;   /* hugetlbfs page size */
	map_off = r->mmap_offset & ~(align - 1);
	delta = r->mmap_offset - map_off;
	len = r->memory_size + delta;
	if (len > SIZE_MAX || map_off > (uint64_t)INT64_MAX) {
		*err = "memory region too large";
		return -1;
	}
	p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)map_off);
	if (p == MAP_FAILED) {
		*err = "cannot map memory region";
		return -1;
	}
	map->addr = p;
	map->len = (size_t)len;
	memset(out, 0, sizeof(*out));
	out->gpa = r->guest_phys_addr;
	out->size = r->memory_size;
	out->uaddr = r->userspace_addr;
	out->hva = (uint8_t *)p + delta;
	out->readonly = false;
	return 0;
}

static int h_set_mem_table(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;
	const struct vhu_mem_table *t = &c->m->p.mem;
	struct vhu_map maps[VHU_MAX_MEM_REGIONS];
	struct gmem_region regs[VHU_MAX_MEM_REGIONS];
	struct gmem_regions check;
	unsigned n = t->nregions, nmaps = 0;
	uint64_t total = 0;
	const char *err = NULL;

	if (c->m->hdr.size < 8 || n == 0 || n > VHU_MAX_MEM_REGIONS ||
	    c->m->hdr.size != 8 + n * sizeof(struct vhu_mem_region))
		return abuse(c, "bad region count or message size");
	if (c->nfds != n)
		return abuse(c, "one fd per region required");
	gmem_regions_init(&check);
	for (unsigned i = 0; i < n; i++) {
		const struct vhu_mem_region *r = &t->regions[i];

		if (r->memory_size > s->max_mem || total + r->memory_size > s->max_mem) {
			err = "memory table exceeds the configured limit";
			break;
		}
		total += r->memory_size;
		for (unsigned j = 0; j < i; j++) {
			const struct vhu_mem_region *o = &t->regions[j];

			if (r->userspace_addr < o->userspace_addr + o->memory_size &&
			    o->userspace_addr < r->userspace_addr + r->memory_size) {
				err = "memory regions overlap (user addresses)";
				break;
			}
		}
		if (err)
			break;
		if (map_region(s, r, c->fds[i], &maps[nmaps], &regs[i], &err))
			break;
		nmaps++;
		if (gmem_regions_add(&check, &regs[i])) {
			err = "memory regions overlap or overflow (guest addresses)";
			break;
		}
	}
	gmem_regions_clear(&check);
	if (err) {
		unmap_all(maps, &nmaps);
		return abuse(c, err);
	}
	/* Valid: stop the rings, swap the tables, restart the rings. */
	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++)
		vq_halt(s, q);
	mem_clear(s);
	for (unsigned i = 0; i < n; i++) {
		gmem_regions_add(&s->mem, &regs[i]);
		s->maps[i] = maps[i];
	}
	s->nmaps = n;
	s->mem_bytes = total;
	return vq_restart_all(s) ? abuse(c, "ring addresses invalid in new memory table") : H_OK;
}

static int h_vring_state(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;
	const struct vhu_vring_state *st = &c->m->p.state;
	int q = vring_index(c, st->index);
	struct vhu_vq *vq;

	if (q < 0)
		return H_ABUSE;
	vq = &s->vq[q];
	switch (c->m->hdr.request) {
	case VHU_SET_VRING_NUM:
		if (!vring_num_valid(st->num, SCMI_DEV_MAX_QUEUE_SIZE))
			return abuse(c, "ring size not a power of 2 <= 1024");
		vq_halt(s, q);
		vq->num = st->num;
		break;
	case VHU_SET_VRING_BASE:
		if (st->num > 0xffff)
			return abuse(c, "ring base beyond 16 bits");
		vq_halt(s, q);
		vq->base = (uint16_t)st->num;
		break;
	case VHU_SET_VRING_ENABLE:
		if (st->num > 1)
			return abuse(c, "enable value not 0 or 1");
		vq->enabled = st->num;
		if (!vq_enabled(s, vq))
			vq_halt(s, q);
		break;
	case VHU_GET_VRING_BASE: {
		struct vhu_vring_state r = { .index = st->index };
		bool any = false, was = vq->started;

		vq_halt(s, q);
		kick_unwatch(s, vq);
		close_fd(&vq->kick_fd);
		vq->started = false;
		r.num = vq->base;
		if (send_reply(s, c->m, &r, sizeof(r)))
			return abuse(c, "cannot send reply");
		for (unsigned i = 0; i < VHU_NUM_QUEUES; i++)
			any |= s->vq[i].started;
		if (was && !any) {
			/* the driver stopped the device: forget its state */
			device_reset(s);
			scmi_dev_set_features(s->dev, s->features &
					      ~(1ull << VHOST_USER_F_PROTOCOL_FEATURES));
		}
		return H_REPLIED;
	}
	}
	return vq_try_start(s, q) ? abuse(c, "bad ring addresses") : H_OK;
}

static int h_vring_addr(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;
	const struct vhu_vring_addr *a = &c->m->p.addr;
	int q = vring_index(c, a->index);
	struct vhu_vq *vq;

	if (q < 0)
		return H_ABUSE;
	vq = &s->vq[q];
	vq_halt(s, q);
	vq->desc_ua = a->desc_user_addr;
	vq->avail_ua = a->avail_user_addr;
	vq->used_ua = a->used_user_addr;
	vq->addr_set = true;
	/* Check now when possible so that bad addresses are reported early. */
	if (vq->num && s->mem.n) {
		void *d, *a, *u;

		if (!rings_translate(s, vq, &d, &a, &u))
			return abuse(c, "ring addresses outside guest memory or misaligned");
	}
	return vq_try_start(s, q) ? abuse(c, "bad ring addresses") : H_OK;
}

static int h_vring_fd(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;
	uint64_t v = c->m->p.u64;
	bool nofd = v & VHU_VRING_NOFD;
	int q, fd = -1;
	struct vhu_vq *vq;

	if (v & ~(uint64_t)(VHU_VRING_IDX_MASK | VHU_VRING_NOFD))
		return abuse(c, "reserved bits set");
	q = vring_index(c, v & VHU_VRING_IDX_MASK);
	if (q < 0)
		return H_ABUSE;
	if (nofd ? c->nfds != 0 : c->nfds != 1)
		return abuse(c, nofd ? "fd passed with the NOFD flag" : "exactly one fd required");
	vq = &s->vq[q];
	if (!nofd)
		fd = take_fd(c);
	switch (c->m->hdr.request) {
	case VHU_SET_VRING_KICK:
		if (nofd)
			return abuse(c, "polling mode (no kick fd) is not supported");
		vq_halt(s, q);
		kick_unwatch(s, vq);
		close_fd(&vq->kick_fd);
		vq->kick_fd = fd;
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		if (ev_fd_add(s->loop, fd, EPOLLIN, kick_cb, vq))
			return abuse(c, "kick fd cannot be polled");
		vq->kick_watched = true;
		vq->started = true;
		return vq_try_start(s, q) ? abuse(c, "bad ring addresses") : H_OK;
	case VHU_SET_VRING_CALL:
		close_fd(&vq->call_fd);
		vq->call_fd = fd;
		if (fd >= 0)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		return H_OK;
	default: /* VHU_SET_VRING_ERR: kept, never written */
		close_fd(&vq->err_fd);
		vq->err_fd = fd;
		if (fd >= 0)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		return H_OK;
	}
}

static int h_config(struct vhu_req_ctx *c)
{
	const struct vhu_config *cfg = &c->m->p.config;

	if (c->m->hdr.size < VHU_CONFIG_HDR_SIZE || cfg->size > VHU_MAX_CONFIG_SIZE ||
	    c->m->hdr.size != VHU_CONFIG_HDR_SIZE + cfg->size)
		return abuse(c, "bad config message size");
	if (c->m->hdr.request == VHU_SET_CONFIG)
		return H_FAIL;        /* virtio-scmi has no config space */
	{
		struct vhu_config r;

		memset(&r, 0, sizeof(r));
		r.offset = cfg->offset;
		r.size = cfg->size;
		r.flags = cfg->flags;
		if (send_reply(c->s, c->m, &r, VHU_CONFIG_HDR_SIZE + cfg->size))
			return abuse(c, "cannot send reply");
	}
	return H_REPLIED;
}

/* Expected payload size per request, -1 for variable-size ones. */
static int expected_size(uint32_t req)
{
	switch (req) {
	case VHU_GET_FEATURES: case VHU_GET_PROTOCOL_FEATURES: case VHU_GET_QUEUE_NUM:
	case VHU_SET_OWNER: case VHU_RESET_OWNER: case VHU_RESET_DEVICE:
		return 0;
	case VHU_SET_FEATURES: case VHU_SET_PROTOCOL_FEATURES:
	case VHU_SET_VRING_KICK: case VHU_SET_VRING_CALL: case VHU_SET_VRING_ERR:
		return 8;
	case VHU_SET_VRING_NUM: case VHU_SET_VRING_BASE: case VHU_GET_VRING_BASE:
	case VHU_SET_VRING_ENABLE:
		return sizeof(struct vhu_vring_state);
	case VHU_SET_VRING_ADDR:
		return sizeof(struct vhu_vring_addr);
	default:
		return -1;
	}
}

static bool takes_fds(uint32_t req)
{
	return req == VHU_SET_MEM_TABLE || req == VHU_SET_VRING_KICK ||
	       req == VHU_SET_VRING_CALL || req == VHU_SET_VRING_ERR ||
	       req == VHU_SET_BACKEND_REQ_FD;
}

static int dispatch(struct vhu_req_ctx *c)
{
	struct vhost_user_server *s = c->s;
	uint32_t req = c->m->hdr.request;
	int exp = expected_size(req);

	if (exp >= 0 && c->m->hdr.size != (uint32_t)exp)
		return abuse(c, "wrong payload size");
	if (c->nfds && !takes_fds(req))
		return abuse(c, "unexpected fds");
	switch (req) {
	case VHU_GET_FEATURES:
		if (reply_u64(s, c->m, scmi_dev_host_features(s->dev) |
			      (1ull << VHOST_USER_F_PROTOCOL_FEATURES)))
			return abuse(c, "cannot send reply");
		return H_REPLIED;
	case VHU_SET_FEATURES:
		return h_set_features(c);
	case VHU_GET_PROTOCOL_FEATURES:
		if (reply_u64(s, c->m, VHU_PROTO_OFFERED))
			return abuse(c, "cannot send reply");
		return H_REPLIED;
	case VHU_SET_PROTOCOL_FEATURES:
		return h_set_protocol_features(c);
	case VHU_GET_QUEUE_NUM:
		if (reply_u64(s, c->m, VHU_NUM_QUEUES))
			return abuse(c, "cannot send reply");
		return H_REPLIED;
	case VHU_SET_OWNER:
		s->owner = true;
		return H_OK;
	case VHU_RESET_OWNER:
	case VHU_RESET_DEVICE:
		return h_reset_device(c);
	case VHU_SET_MEM_TABLE:
		return h_set_mem_table(c);
	case VHU_SET_VRING_NUM:
	case VHU_SET_VRING_BASE:
	case VHU_GET_VRING_BASE:
	case VHU_SET_VRING_ENABLE:
		return h_vring_state(c);
	case VHU_SET_VRING_ADDR:
		return h_vring_addr(c);
	case VHU_SET_VRING_KICK:
	case VHU_SET_VRING_CALL:
	case VHU_SET_VRING_ERR:
		return h_vring_fd(c);
	case VHU_GET_CONFIG:
	case VHU_SET_CONFIG:
		return h_config(c);
	case VHU_SET_BACKEND_REQ_FD:
		/* BACKEND_REQ is not offered: refuse, keep the connection */
		vhu_log(s, "SET_BACKEND_REQ_FD refused (not negotiated)");
		return H_FAIL;
	default:
		return abuse(c, "unsupported request");
	}
}

static void handle_message(struct vhost_user_server *s)
{
	struct vhu_req_ctx c = {
		.s = s, .m = &s->rx, .fds = s->rx_fds, .nfds = s->rx_nfds,
	};
	struct vhu_msg m;
	int r;

	s->messages++;
	if (log_enabled(LOG_LVL_DEBUG))
		log_debug("vhost-user %s: %s flags 0x%x size %u fds %u", s->path,
			  vhu_request_name(s->rx.hdr.request), s->rx.hdr.flags, s->rx.hdr.size,
			  s->rx_nfds);
	/* handlers may close the connection: work on a copy */
	memcpy(&m, &s->rx, VHU_HDR_SIZE + s->rx.hdr.size);
	c.m = &m;
	if (s->rx_timer) {
		ev_timer_cancel(s->loop, s->rx_timer);
		s->rx_timer = NULL;
	}
	r = dispatch(&c);
	vhu_close_fds(s->rx_fds, &s->rx_nfds);   /* fds not taken by the handler */
	s->rx_have = 0;
	if (r == H_ABUSE) {
		protocol_error(s, &m, c.err ? c.err : "invalid request");
		return;
	}
	if (s->conn_fd < 0 || r == H_REPLIED || !(m.hdr.flags & VHU_FLAG_NEED_REPLY))
		return;
	if (reply_u64(s, &m, r == H_OK ? 0 : 1))
		protocol_error(s, &m, "cannot send REPLY_ACK");
}

static void rx_timeout_cb(struct ev_loop *loop, void *opaque)
{
	struct vhost_user_server *s = opaque;

	s->rx_timer = NULL;
	protocol_error(s, NULL, "incomplete message (payload shorter than its size field)");
}

/* Returns false when the connection is gone or no more data is ready. */
static bool conn_read_some(struct vhost_user_server *s)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VHU_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	size_t want = s->rx_have < VHU_HDR_SIZE ? VHU_HDR_SIZE - s->rx_have :
		      VHU_HDR_SIZE + s->rx.hdr.size - s->rx_have;
	struct iovec iov = { .iov_base = (uint8_t *)&s->rx + s->rx_have, .iov_len = want };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	bool fds_came = false, bad_fds = false;
	ssize_t n;

	if (want == 0) {
		handle_message(s);
		return s->conn_fd >= 0;
	}
	n = recvmsg(s->conn_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0) {
		if (errno == EINTR)
			return true;
		if (errno == EAGAIN) {
			if (s->rx_have && !s->rx_timer)
				s->rx_timer = ev_timer_add(s->loop, ev_now_ns() +
							   VHU_PARTIAL_TIMEOUT_MS * 1000000ull,
							   rx_timeout_cb, s);
			return false;
		}
		conn_close(s, strerror(errno));
		return false;
	}
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
			fds_came = true;
			if (s->rx_nfds < VHU_MAX_FDS)
				s->rx_fds[s->rx_nfds++] = fd;
			else {
				close(fd);
				bad_fds = true;
			}
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		bad_fds = true;
	if (n == 0) {
		if (s->rx_have) {
			s->protocol_errors++;
			vhu_log(s, "connection closed in the middle of a message");
		}
		conn_close(s, "EOF");
		return false;
	}
	if (bad_fds || (fds_came && s->rx_have > 0)) {
		protocol_error(s, NULL, bad_fds ? "too many fds with one message" :
			       "fds not attached to the start of a message");
		return false;
	}
	s->rx_have += (size_t)n;
	if (s->rx_have == VHU_HDR_SIZE) {
		if ((s->rx.hdr.flags & VHU_VERSION_MASK) != VHU_VERSION ||
		    (s->rx.hdr.flags & VHU_FLAG_REPLY)) {
			protocol_error(s, &s->rx, "bad version or reply flag in header");
			return false;
		}
		if (s->rx.hdr.size > VHU_MAX_PAYLOAD) {
			protocol_error(s, &s->rx, "payload size beyond the protocol maximum");
			return false;
		}
	}
	if (s->rx_have == VHU_HDR_SIZE + s->rx.hdr.size && s->rx_have >= VHU_HDR_SIZE) {
		handle_message(s);
		return s->conn_fd >= 0;
	}
	return true;
}

static void conn_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct vhost_user_server *s = opaque;
	unsigned budget = VHU_MSGS_PER_WAKEUP * 4;

	while (budget-- && s->conn_fd == fd && conn_read_some(s))
		;
}

static int conn_attach(struct vhost_user_server *s, int c)
{
	if (s->conn_fd >= 0) {
		s->refused++;
		vhu_log(s, "refusing a second frontend connection");
		close(c);
		return -1;
	}
	if (ev_fd_add(s->loop, c, EPOLLIN, conn_cb, s)) {
		vhu_log(s, "cannot watch the frontend connection");
		close(c);
		return -1;
	}
	s->conn_fd = c;
	s->connections++;
	rx_reset(s);
	vhu_info(s, "frontend connected");
	return 0;
}

static void listen_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (c >= 0)
		conn_attach(opaque, c);
}

/* ---- public API ----------------------------------------------------- */
struct vhost_user_server *vhost_user_server_new(struct ev_loop *loop, const char *path,
						const struct scmi_dev_ops *core_ops,
						void *core_opaque)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vhost_user_server *s;
	struct stat st;

	if (!loop || !path || !core_ops || strlen(path) >= sizeof(sa.sun_path)) {
		log_err("vhost-user: invalid socket path '%s'", path ? path : "");
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	s->listen_fd = s->conn_fd = -1;
	s->max_mem = VHOST_USER_DEFAULT_MAX_MEM;
	s->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++) {
		s->vq[q].srv = s;
		s->vq[q].idx = q;
		s->vq[q].kick_fd = s->vq[q].call_fd = s->vq[q].err_fd = -1;
	}
	for (unsigned i = 0; i < VHU_MAX_FDS; i++)
		s->rx_fds[i] = -1;
	gmem_regions_init(&s->mem);
	s->path = strdup(path);
	if (!s->path)
		goto fail;
	s->dev = scmi_dev_new(&s->mem.gm, core_ops, core_opaque, &vhu_fops, s);
	if (!s->dev)
		goto fail;
	scmi_dev_set_loop(s->dev, loop);
	strcpy(sa.sun_path, path);
	/* Replace a stale socket left by a previous run, nothing else. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			vhu_log(s, "exists and is not a socket");
			errno = EEXIST;
			goto fail;
		}
		unlink(path);
	}
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s->listen_fd, 4)) {
		vhu_log(s, "cannot listen: %s", strerror(errno));
		goto fail;
	}
	if (ev_fd_add(loop, s->listen_fd, EPOLLIN, listen_cb, s)) {
		vhu_log(s, "cannot watch the listening socket");
		unlink(path);
		goto fail;
	}
	return s;
fail: {
		int e = errno;

		close_fd(&s->listen_fd);
		if (s->dev)
			scmi_dev_free(s->dev);
		free(s->path);
		free(s);
		errno = e;
		return NULL;
	}
}

void vhost_user_server_free(struct vhost_user_server *s)
{
	if (!s)
		return;
	conn_close(s, "server shut down");
	if (s->listen_fd >= 0) {
		ev_fd_del(s->loop, s->listen_fd);
		close_fd(&s->listen_fd);
		unlink(s->path);
	}
	scmi_dev_free(s->dev);
	mem_clear(s);
	free(s->path);
	free(s);
}

struct scmi_dev *vhost_user_server_dev(struct vhost_user_server *s)
{
	return s->dev;
}

const char *vhost_user_server_path(const struct vhost_user_server *s)
{
	return s->path;
}

void vhost_user_server_set_max_mem(struct vhost_user_server *s, uint64_t bytes)
{
	s->max_mem = bytes;
}

int vhost_user_server_attach_fd(struct vhost_user_server *s, int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC)) {
		close(fd);
		return -1;
	}
	return conn_attach(s, fd);
}

bool vhost_user_server_connected(const struct vhost_user_server *s)
{
	return s->conn_fd >= 0;
}

void vhost_user_server_disconnect(struct vhost_user_server *s)
{
	conn_close(s, "disconnect requested");
}

void vhost_user_server_status(const struct vhost_user_server *s, struct vhost_user_status *st)
{
	memset(st, 0, sizeof(*st));
	st->connected = s->conn_fd >= 0;
	st->owner = s->owner;
	st->features = s->features;
	st->protocol_features = s->protocol_features;
	st->mem_regions = s->mem.n;
	st->mem_bytes = s->mem_bytes;
	for (unsigned q = 0; q < VHU_NUM_QUEUES; q++) {
		const struct vhu_vq *vq = &s->vq[q];
		struct vhost_user_vq_status *o = &st->vq[q];

		o->num = vq->num;
		o->base = vq->base;
		o->addr_set = vq->addr_set;
		o->kick_fd = vq->kick_fd >= 0;
		o->call_fd = vq->call_fd >= 0;
		o->enabled = vq_enabled(s, vq);
		o->started = vq->started;
		o->running = vq->running;
		o->kicks = vq->kicks;
		o->calls = vq->calls;
	}
	st->connections = s->connections;
	st->disconnects = s->disconnects;
	st->refused = s->refused;
	st->protocol_errors = s->protocol_errors;
	st->messages = s->messages;
	st->device_resets = s->device_resets;
}
