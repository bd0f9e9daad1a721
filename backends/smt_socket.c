// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMT-over-socket backend: the SMT state machine (smt/smt.c) on areas in a
 * memfd shared with the platform process; doorbells are single bytes on
 * the Unix stream socket. If the platform goes away, every command fails
 * with COMMS_ERROR (no reconnection).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "smt_socket.h"
#include "smt/smt.h"
#include "../mediator/evloop.h"
#include "../mediator/log.h"
#include "../mediator/scmi_msg.h"

#define SS_RECONNECT_MS 100      /* between connection attempts */
#define SS_HELLO_MS 2000         /* a new connection's hello deadline */

struct smt_socket_backend {
	struct scmi_backend b;
	int sock;
	bool dead;
	uint8_t *map;
	size_t map_len;
	uint32_t area_size;
	struct smt_transport *t;
	struct log_ratelimit rl;
	char path[108];
	struct ev_timer *retry;      /* next connection attempt */
	int pending;                 /* connected, waiting for the hello; -1 none */
	struct ev_timer *hello_tmo;
};

static void ss_sock_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque);
static void ss_retry_cb(struct ev_loop *loop, void *opaque);
static int recv_hello(int fd, unsigned wait_ms, struct smts_hello *h);

static struct smt_socket_backend *to_ss(struct scmi_backend *b)
{
	return (struct smt_socket_backend *)b;
}

static int ss_ring(void *opaque, unsigned chan, enum smt_bell bell)
{
	struct smt_socket_backend *ss = opaque;
	uint8_t byte = (uint8_t)(chan | (bell == SMT_BELL_P2A_ACK ? SMTS_BELL_P2A : 0));
	ssize_t n;

	if (ss->dead)
		return -EPIPE;
	do
		n = send(ss->sock, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : n < 0 ? -errno : -EIO;
}

static void ss_dead(struct smt_socket_backend *ss, const char *why)
{
	unsigned c;

	if (ss->dead)
		return;
	ss->dead = true;
	log_err("smt-socket: platform connection lost (%s); commands fail with COMMS_ERROR "
		"until it is back", why);
	ev_fd_del(ss->b.loop, ss->sock);
	close(ss->sock);
	ss->sock = -1;
	for (c = 0; c < ss->b.nchannels; c++)
		smt_reset(ss->t, c);
	ss->retry = ev_timer_add(ss->b.loop, ev_now_ns() + SS_RECONNECT_MS * 1000000ull,
				 ss_retry_cb, ss);
}

static void drop_pending(struct smt_socket_backend *ss)
{
	if (ss->pending < 0)
		return;
	ev_fd_del(ss->b.loop, ss->pending);
	close(ss->pending);
	ss->pending = -1;
	if (ss->hello_tmo)
		ev_timer_cancel(ss->b.loop, ss->hello_tmo);
	ss->hello_tmo = NULL;
}

static void retry_later(struct smt_socket_backend *ss)
{
	drop_pending(ss);
	if (!ss->retry)
		ss->retry = ev_timer_add(ss->b.loop,
					 ev_now_ns() + SS_RECONNECT_MS * 1000000ull,
					 ss_retry_cb, ss);
}

static void ss_hello_tmo(struct ev_loop *loop, void *opaque)
{
	struct smt_socket_backend *ss = opaque;

	ss->hello_tmo = NULL;
	log_rl(&ss->rl, LOG_LVL_WARN, "smt-socket: %s: no hello within %u ms; trying again",
	       ss->path, SS_HELLO_MS);
	retry_later(ss);
}

/* The new platform said hello: same layout, then its memory replaces the
 * old one at the same address (the SMT transport keeps its pointers). */
static void ss_hello_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct smt_socket_backend *ss = opaque;
	struct smts_hello h;
	struct stat st;
	unsigned c;
	void *m;
	int mfd = recv_hello(fd, 0, &h);

	if (mfd < 0) {
		retry_later(ss);
		return;
	}
	if (h.magic != SMTS_MAGIC || h.version != SMTS_VERSION ||
	    h.nchannels != ss->b.nchannels || h.area_size != ss->area_size ||
	    fcntl(mfd, F_GET_SEALS) < 0 || !(fcntl(mfd, F_GET_SEALS) & F_SEAL_SHRINK) ||
	    fstat(mfd, &st) || (uint64_t)st.st_size < ss->map_len) {
		log_rl(&ss->rl, LOG_LVL_ERROR, "smt-socket: %s: the platform came back with "
		       "another layout (%u channels, areas of %u bytes; had %u, %u) or "
		       "unusable memory; restart the mediator", ss->path, h.nchannels,
		       h.area_size, ss->b.nchannels, ss->area_size);
		close(mfd);
		retry_later(ss);
		return;
	}
	m = mmap(ss->map, ss->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0);
	close(mfd);
	if (m == MAP_FAILED) {
		log_err("smt-socket: mmap of the new shared memory: %s", strerror(errno));
		retry_later(ss);
		return;
	}
	ev_fd_del(loop, fd);
	if (ss->hello_tmo)
		ev_timer_cancel(loop, ss->hello_tmo);
	ss->hello_tmo = NULL;
	ss->pending = -1;
	if (ev_fd_add(loop, fd, EPOLLIN, ss_sock_cb, ss) < 0) {
		close(fd);
		retry_later(ss);
		return;
	}
	ss->sock = fd;
	ss->dead = false;
	for (c = 0; c < ss->b.nchannels; c++)
		smt_reset(ss->t, c);
	log_info("smt-socket: %s: platform connected again; it was reset", ss->path);
	scmi_backend_platform_reset(&ss->b);
}

static void ss_retry_cb(struct ev_loop *loop, void *opaque)
{
	struct smt_socket_backend *ss = opaque;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	ss->retry = NULL;
	memcpy(sa.sun_path, ss->path, sizeof(ss->path) < sizeof(sa.sun_path) ?
	       sizeof(ss->path) : sizeof(sa.sun_path));
	sa.sun_path[sizeof(sa.sun_path) - 1] = 0;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ss->pending = fd;
		if (ev_fd_add(loop, fd, EPOLLIN, ss_hello_cb, ss) == 0) {
			ss->hello_tmo = ev_timer_add(loop, ev_now_ns() +
						     SS_HELLO_MS * 1000000ull, ss_hello_tmo, ss);
			return;
		}
		ss->pending = -1;
	}
	if (fd >= 0)
		close(fd);
	retry_later(ss);
}

static void ss_sock_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct smt_socket_backend *ss = opaque;
	uint8_t buf[256];
	ssize_t n, i;

	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		ss_dead(ss, n < 0 ? strerror(errno) : "closed by the platform");
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned c = SMTS_BELL_CHAN(buf[i]);

		if (c >= ss->b.nchannels) {
			ss->b.stats.malformed++;
			log_rl(&ss->rl, LOG_LVL_WARN, "smt-socket: doorbell for channel %u "
			       "(have %u) ignored", c, ss->b.nchannels);
			continue;
		}
		/* Either direction: look at both areas of the channel. */
		smt_poll(ss->t, c);
	}
}

static int ss_send(struct scmi_backend *b, unsigned chan, const uint8_t *msg, size_t len,
		   size_t resp_max)
{
	return smt_send(to_ss(b)->t, chan, msg, len, resp_max);
}

static unsigned ss_max_inflight(struct scmi_backend *b, unsigned chan)
{
	return 1;
}

static void ss_destroy(struct scmi_backend *b)
{
	struct smt_socket_backend *ss = to_ss(b);

	smt_free(ss->t);
	if (!ss->dead)
		ev_fd_del(b->loop, ss->sock);
	if (ss->sock >= 0)
		close(ss->sock);
	drop_pending(ss);
	if (ss->retry)
		ev_timer_cancel(b->loop, ss->retry);
	munmap(ss->map, ss->map_len);
	free(ss);
}

static const struct scmi_backend_ops smt_socket_ops = {
	.name = "smt-socket",
	.send = ss_send,
	.max_inflight = ss_max_inflight,
	.destroy = ss_destroy,
};

static int connect_retry(const char *path, unsigned connect_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t end = ev_now_ns() + (uint64_t)connect_ms * 1000000;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("smt-socket: socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		if ((errno != ENOENT && errno != ECONNREFUSED) || ev_now_ns() >= end) {
			log_err("smt-socket: cannot connect to %s: %s", path, strerror(errno));
			return -1;
		}
		usleep(10000);
	}
}

/* Receive the hello and the memfd; -1 on any problem (logged). */
static int recv_hello(int fd, unsigned wait_ms, struct smts_hello *h)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = h, .iov_len = sizeof(*h) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *cm;
	int mfd = -1;
	ssize_t n;

	if (poll(&pfd, 1, (int)wait_ms) != 1) {
		log_err("smt-socket: no hello from the platform within %u ms", wait_ms);
		return -1;
	}
	n = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)) && mfd < 0)
			memcpy(&mfd, CMSG_DATA(cm), sizeof(int));
	if (n != (ssize_t)sizeof(*h) || mfd < 0 || (m.msg_flags & (MSG_CTRUNC | MSG_TRUNC))) {
		log_err("smt-socket: bad hello from the platform (%zd bytes, %s)", n,
			mfd < 0 ? "no memfd" : "memfd");
		if (mfd >= 0)
			close(mfd);
		return -1;
	}
	h->magic = le32toh(h->magic);
	h->version = le32toh(h->version);
	h->nchannels = le32toh(h->nchannels);
	h->area_size = le32toh(h->area_size);
	return mfd;
}

struct scmi_backend *smt_socket_backend_new(struct ev_loop *loop, const char *path,
					    unsigned connect_ms, unsigned timeout_ms)
{
	struct smt_socket_backend *ss;
	struct smt_chan_area *areas = NULL;
	struct smt_params p = {
		.timeout_ns = (uint64_t)(timeout_ms ? timeout_ms : 1000) * 1000000,
		.queue_max = SMT_QUEUE_MAX,
		.intr = true,
		.ring = ss_ring,
		.name = "smt-socket",
	};
	struct smts_hello h;
	struct stat st;
	int fd, mfd;
	unsigned i;

	fd = connect_retry(path, connect_ms);
	if (fd < 0)
		return NULL;
	mfd = recv_hello(fd, connect_ms ? connect_ms : 1000, &h);
	if (mfd < 0)
		goto err_fd;
	if (h.magic != SMTS_MAGIC || h.version != SMTS_VERSION || !h.nchannels ||
	    h.nchannels > SMTS_MAX_CHANNELS || h.area_size < SMT_AREA_MIN ||
	    h.area_size > SMTS_AREA_MAX || h.area_size % 4) {
		log_err("smt-socket: %s: unusable hello (magic 0x%08x version %u, %u channels, "
			"areas of %u bytes)", path, h.magic, h.version, h.nchannels, h.area_size);
		goto err_mfd;
	}
	/* A platform able to shrink the memory would make our accesses fault. */
	if (fcntl(mfd, F_GET_SEALS) < 0 || !(fcntl(mfd, F_GET_SEALS) & F_SEAL_SHRINK)) {
		log_err("smt-socket: %s: the shared memory is not sealed against shrinking",
			path);
		goto err_mfd;
	}
	if (fstat(mfd, &st) || (uint64_t)st.st_size < 2ull * h.nchannels * h.area_size) {
		log_err("smt-socket: %s: shared memory smaller than %u channels need", path,
			h.nchannels);
		goto err_mfd;
	}
	ss = calloc(1, sizeof(*ss));
	areas = calloc(h.nchannels, sizeof(*areas));
	if (!ss || !areas)
		goto err_mem;
	ss->map_len = 2ull * h.nchannels * h.area_size;
	ss->map = mmap(NULL, ss->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (ss->map == MAP_FAILED) {
		log_err("smt-socket: mmap of the shared memory: %s", strerror(errno));
		goto err_mem;
	}
	close(mfd);
	mfd = -1;
	for (i = 0; i < h.nchannels; i++) {
		areas[i].a2p = ss->map + (size_t)2 * i * h.area_size;
		areas[i].p2a = ss->map + (size_t)(2 * i + 1) * h.area_size;
		areas[i].size = h.area_size;
	}
	ss->b.ops = &smt_socket_ops;
	ss->b.loop = loop;
	ss->b.nchannels = h.nchannels;
	ss->b.max_msg = smt_msg_cap(h.area_size) < SCMI_MSG_MAX ? smt_msg_cap(h.area_size)
								 : SCMI_MSG_MAX;
	ss->sock = fd;
	ss->pending = -1;
	ss->area_size = h.area_size;
	snprintf(ss->path, sizeof(ss->path), "%s", path);
	ss->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	p.opaque = ss;
	ss->t = smt_new(&ss->b, h.nchannels, areas, &p);
	free(areas);
	areas = NULL;
	if (!ss->t || ev_fd_add(loop, fd, EPOLLIN, ss_sock_cb, ss) < 0) {
		log_err("smt-socket: cannot set up the channels");
		smt_free(ss->t);
		munmap(ss->map, ss->map_len);
		free(ss);
		goto err_fd;
	}
	log_info("smt-socket: %s: %u channels, SMT areas of %u bytes", path, h.nchannels,
		 h.area_size);
	return &ss->b;

err_mem:
	if (ss && ss->map && ss->map != MAP_FAILED)
		munmap(ss->map, ss->map_len);
	free(ss);
	free(areas);
	if (mfd < 0)
		goto err_fd;
	log_err("smt-socket: out of memory or mapping failed");
err_mfd:
	if (mfd >= 0)
		close(mfd);
err_fd:
	close(fd);
	return NULL;
}
