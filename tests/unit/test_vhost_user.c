// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost-user backend driven by a hand-written frontend over a real unix
 * socket: negotiation as QEMU does it, rings over a memfd, and every kind
 * of protocol abuse. Each abuse case must close only that connection (the
 * server then accepts a good one) and leak no fd. Single-threaded: the
 * test runs the server's event loop between its own steps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
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
#include <unistd.h>

#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"
#include "tools/client/vring_drv.h"
#include "vhost-user/vhost_user.h"
#include "vhost-user/vhost_user_proto.h"

#define MEM_GPA   0x80000000ull
#define MEM_UADDR 0x7f0000000000ull   /* frontend user address (fake, as QEMU's) */
#define MEM_SIZE  (1u << 20)
#define QSZ       64
#define RING1_OFF 0x4000
#define BUF_OFF   0x10000

struct core {
	unsigned commands, resets;
	uint32_t last_hdr;
	struct scmi_dev *dev;
};

struct fx {
	char dir[64], path[128];
	struct ev_loop *loop;
	struct vhost_user_server *srv;
	struct core core;
	int fd_baseline;
};

struct fe {
	int sock;
	int memfd;
	uint8_t *mem;
	int kick, call;
	struct vring_drv vq;
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the DIR's own fd */
}

/* Echo core: answers SUCCESS + the request's payload, synchronously. */
static void core_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	struct core *c = opaque;
	uint8_t resp[SCMI_MSG_MAX];
	size_t n = 8 + (len - 4);

	c->commands++;
	c->last_hdr = scmi_get_le32(req);
	if (n > resp_max)
		n = resp_max;
	memcpy(resp, req, 4);
	scmi_put_le32(resp + 4, 0);
	memcpy(resp + 8, req + 4, n - 8);
	scmi_dev_complete(c->dev, cookie, resp, n);
}

static void core_reset(void *opaque)
{
	((struct core *)opaque)->resets++;
}

static const struct scmi_dev_ops core_ops = {
	.command = core_command,
	.reset = core_reset,
};

static void pump(struct fx *f)
{
	for (int i = 0; i < 50; i++)
		if (ev_loop_run_once(f->loop, 0) <= 0)
			break;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fd_baseline = count_fds();
	strcpy(f->dir, "/tmp/vhu-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/vscmi.sock", f->dir);
	f->loop = ev_loop_new();
	assert_non_null(f->loop);
	f->srv = vhost_user_server_new(f->loop, f->path, &core_ops, &f->core);
	assert_non_null(f->srv);
	f->core.dev = vhost_user_server_dev(f->srv);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vhost_user_server_free(f->srv);
	ev_loop_free(f->loop);
	assert_int_equal(access(f->path, F_OK), -1);   /* socket unlinked */
	rmdir(f->dir);
	assert_int_equal(count_fds(), f->fd_baseline);
	free(f);
	return 0;
}

/* ---- frontend helpers -------------------------------------------- */
static int fe_connect(struct fx *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(s >= 0);
	strcpy(sa.sun_path, f->path);
	assert_int_equal(connect(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	pump(f);
	return s;
}

static void send_raw(int s, const void *buf, size_t len, const int *fds, unsigned nfds)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr a;
	} ctl;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	assert_int_equal(sendmsg(s, &mh, MSG_NOSIGNAL), (ssize_t)len);
}

static void send_msg(int s, uint32_t req, uint32_t flags, const void *payload, uint32_t size,
		     const int *fds, unsigned nfds)
{
	struct vhu_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.request = req;
	m.hdr.flags = VHU_VERSION | flags;
	m.hdr.size = size;
	if (size)
		memcpy(m.p.raw, payload, size);
	send_raw(s, &m, VHU_HDR_SIZE + size, fds, nfds);
}

static void send_u64(int s, uint32_t req, uint64_t v)
{
	send_msg(s, req, 0, &v, 8, NULL, 0);
}

static void send_state(int s, uint32_t req, uint32_t idx, uint32_t num)
{
	struct vhu_vring_state st = { idx, num };

	send_msg(s, req, 0, &st, sizeof(st), NULL, 0);
}

static void send_vring_fd(int s, uint32_t req, uint32_t idx, int fd)
{
	uint64_t v = idx;

	send_msg(s, req, 0, &v, 8, &fd, 1);
}

/* Pump the server and read its reply. */
static void get_reply(struct fx *f, int s, uint32_t req, void *payload, uint32_t size)
{
	struct vhu_msg m;
	int fds[VHU_MAX_FDS];
	unsigned n;

	pump(f);
	assert_int_equal(vhu_msg_recv(s, &m, fds, &n, 2000), 0);
	assert_int_equal(n, 0);
	assert_int_equal(m.hdr.request, req);
	assert_int_equal(m.hdr.flags, VHU_VERSION | VHU_FLAG_REPLY);
	assert_int_equal(m.hdr.size, size);
	memcpy(payload, m.p.raw, size);
}

static uint64_t get_u64(struct fx *f, int s, uint32_t req)
{
	uint64_t v;

	send_msg(s, req, 0, NULL, 0, NULL, 0);
	get_reply(f, s, req, &v, 8);
	return v;
}

static bool server_closed(struct fx *f, int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	char b[64];

	for (int i = 0; i < 40 && vhost_user_server_connected(f->srv); i++)
		ev_loop_run_once(f->loop, 100);   /* bounded: 4 s at most */
	if (vhost_user_server_connected(f->srv))
		return false;
	/* the peer sees EOF (after any replies already sent) */
	while (poll(&p, 1, 1000) == 1) {
		ssize_t n = recv(s, b, sizeof(b), MSG_DONTWAIT);

		if (n == 0)
			return true;
		if (n < 0)
			return errno == ECONNRESET;
	}
	return false;
}

/* After an abuse case: this connection is gone, a new one works. */
static void expect_closed_then_good(struct fx *f, int s, uint64_t errors_before)
{
	struct vhost_user_status st;
	int g;

	assert_true(server_closed(f, s));
	close(s);
	vhost_user_server_status(f->srv, &st);
	assert_false(st.connected);
	assert_int_equal(st.mem_regions, 0);
	assert_true(st.protocol_errors > errors_before);
	g = fe_connect(f);
	assert_true(get_u64(f, g, VHU_GET_FEATURES) & (1ull << VIRTIO_F_VERSION_1));
	close(g);
	pump(f);
	assert_false(vhost_user_server_connected(f->srv));
}

static uint64_t errors(struct fx *f)
{
	struct vhost_user_status st;

	vhost_user_server_status(f->srv, &st);
	return st.protocol_errors;
}

static void fe_mem_init(struct fe *e)
{
	e->sock = -1;
	e->memfd = memfd_create("fe", MFD_CLOEXEC);
	assert_true(e->memfd >= 0);
	assert_int_equal(ftruncate(e->memfd, MEM_SIZE), 0);
	e->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, e->memfd, 0);
	assert_true(e->mem != MAP_FAILED);
	e->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e->call = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	assert_true(e->kick >= 0 && e->call >= 0);
}

static void fe_free(struct fe *e)
{
	if (e->sock >= 0)
		close(e->sock);
	munmap(e->mem, MEM_SIZE);
	close(e->memfd);
	close(e->kick);
	close(e->call);
}

static void send_mem_table(int s, const struct vhu_mem_region *r, unsigned n, const int *fds,
			   unsigned nfds, uint32_t flags)
{
	struct vhu_mem_table t;

	memset(&t, 0, sizeof(t));
	t.nregions = n;
	memcpy(t.regions, r, n * sizeof(*r));
	send_msg(s, VHU_SET_MEM_TABLE, flags, &t, 8 + n * (uint32_t)sizeof(*r), fds, nfds);
}

static struct vhu_mem_region fe_region(void)
{
	struct vhu_mem_region r = { MEM_GPA, MEM_SIZE, MEM_UADDR, 0 };

	return r;
}

static void send_vring_addr(int s, unsigned q, uint64_t ua)
{
	struct vhu_vring_addr a = {
		.index = q,
		.desc_user_addr = ua,
		.avail_user_addr = ua + vring_drv_avail_off(QSZ),
		.used_user_addr = ua + vring_drv_used_off(QSZ),
	};

	send_msg(s, VHU_SET_VRING_ADDR, 0, &a, sizeof(a), NULL, 0);
}

static void fe_start_region(struct fx *f, struct fe *e, struct vhu_mem_region r);

/* QEMU's sequence, cmdq only, without REPLY_ACK. */
static void fe_start(struct fx *f, struct fe *e)
{
	fe_start_region(f, e, fe_region());
}

static void fe_start_region(struct fx *f, struct fe *e, struct vhu_mem_region r)
{
	uint64_t feat;

	e->sock = fe_connect(f);
	feat = get_u64(f, e->sock, VHU_GET_FEATURES);
	assert_true(feat & (1ull << VHOST_USER_F_PROTOCOL_FEATURES));
	assert_true(get_u64(f, e->sock, VHU_GET_PROTOCOL_FEATURES) &
		    (1ull << VHU_PROTO_F_REPLY_ACK));
	send_u64(e->sock, VHU_SET_PROTOCOL_FEATURES, 1ull << VHU_PROTO_F_MQ);
	send_msg(e->sock, VHU_SET_OWNER, 0, NULL, 0, NULL, 0);
	assert_int_equal(get_u64(f, e->sock, VHU_GET_QUEUE_NUM), 2);
	send_vring_fd(e->sock, VHU_SET_VRING_CALL, 0, e->call);
	send_u64(e->sock, VHU_SET_FEATURES, (1ull << VIRTIO_F_VERSION_1) |
		 (1ull << VHOST_USER_F_PROTOCOL_FEATURES));
	send_mem_table(e->sock, &r, 1, &e->memfd, 1, 0);
	assert_int_equal(vring_drv_init(&e->vq, QSZ, e->mem, MEM_GPA, false), 0);
	send_state(e->sock, VHU_SET_VRING_NUM, 0, QSZ);
	send_state(e->sock, VHU_SET_VRING_BASE, 0, 0);
	send_vring_addr(e->sock, 0, MEM_UADDR);
	send_vring_fd(e->sock, VHU_SET_VRING_KICK, 0, e->kick);
	send_state(e->sock, VHU_SET_VRING_ENABLE, 0, 1);
	/* sync barrier, as QEMU does without REPLY_ACK */
	assert_true(get_u64(f, e->sock, VHU_GET_FEATURES) & (1ull << VIRTIO_F_VERSION_1));
}

/* One command through the ring; returns the used length (or -1). */
static int fe_command(struct fx *f, struct fe *e, uint32_t arg)
{
	static unsigned tok;
	uint8_t *req = e->mem + BUF_OFF, *resp = e->mem + BUF_OFF + 0x1000;
	struct vring_drv_buf out = { MEM_GPA + BUF_OFF, 8 };
	struct vring_drv_buf in = { MEM_GPA + BUF_OFF + 0x1000, 136 };
	struct vring_drv_used u;
	uint32_t hdr = scmi_hdr(0x10, 0, 0, (uint16_t)(tok++ & 0x3ff));
	uint64_t v;

	scmi_put_le32(req, hdr);
	scmi_put_le32(req + 4, arg);
	memset(resp, 0, 16);
	assert_true(vring_drv_add(&e->vq, &out, 1, &in, 1, e, false) >= 0);
	if (vring_drv_publish(&e->vq)) {
		v = 1;
		assert_int_equal(write(e->kick, &v, 8), 8);
	}
	pump(f);
	if (vring_drv_get_used(&e->vq, &u) != 1)
		return -1;
	assert_int_equal(read(e->call, &v, 8), 8);   /* the guest was signalled */
	assert_int_equal(scmi_get_le32(resp), hdr);
	assert_int_equal(scmi_get_le32(resp + 4), 0);
	assert_int_equal(scmi_get_le32(resp + 8), arg);
	return (int)u.len;
}

/* ---- tests ----------------------------------------------------------- */
static void test_negotiate_and_echo(void **state)
{
	struct fx *f = *state;
	struct vhost_user_status st;
	struct fe e;

	fe_mem_init(&e);
	fe_start(f, &e);
	vhost_user_server_status(f->srv, &st);
	assert_true(st.connected);
	assert_true(st.owner);
	assert_int_equal(st.mem_regions, 1);
	assert_int_equal(st.mem_bytes, MEM_SIZE);
	assert_true(st.vq[0].running);
	assert_false(st.vq[1].running);
	assert_int_equal(st.vq[0].num, QSZ);
	assert_int_equal(fe_command(f, &e, 0x1234), 12);
	assert_int_equal(fe_command(f, &e, 0xabcd), 12);
	assert_int_equal(f->core.commands, 2);
	vhost_user_server_status(f->srv, &st);
	assert_int_equal(st.vq[0].calls, 2);
	/* disconnect: device reset, memory unmapped, a new frontend works */
	close(e.sock);
	e.sock = -1;
	pump(f);
	vhost_user_server_status(f->srv, &st);
	assert_false(st.connected);
	assert_int_equal(st.mem_regions, 0);
	assert_false(st.vq[0].running);
	assert_true(f->core.resets >= 1);
	assert_int_equal(st.disconnects, 1);
	fe_free(&e);
	fe_mem_init(&e);
	fe_start(f, &e);
	assert_int_equal(fe_command(f, &e, 7), 12);
	fe_free(&e);
	pump(f);
}

static void test_second_connection_refused(void **state)
{
	struct fx *f = *state;
	struct vhost_user_status st;
	int a = fe_connect(f), b = fe_connect(f);

	assert_true(server_closed(f, b) == false);   /* a is still connected */
	{
		char c;
		struct pollfd p = { .fd = b, .events = POLLIN };

		assert_int_equal(poll(&p, 1, 2000), 1);
		assert_int_equal(recv(b, &c, 1, 0), 0);
	}
	close(b);
	assert_true(get_u64(f, a, VHU_GET_FEATURES) & (1ull << VIRTIO_F_VERSION_1));
	vhost_user_server_status(f->srv, &st);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.connections, 1);
	close(a);
	pump(f);
}

static void test_truncated_header(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);
	uint8_t b[6] = { 1 };

	send_raw(s, b, sizeof(b), NULL, 0);     /* header cut short, then silence */
	expect_closed_then_good(f, s, errors(f));
}

static void test_truncated_header_eof(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);
	uint8_t b[6] = { 1 };

	send_raw(s, b, sizeof(b), NULL, 0);
	shutdown(s, SHUT_WR);
	expect_closed_then_good(f, s, errors(f));
}

static void test_size_larger_than_payload(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);
	struct vhu_msg m = { .hdr = { VHU_SET_FEATURES, VHU_VERSION, 8 } };

	send_raw(s, &m, VHU_HDR_SIZE + 4, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
}

static void test_size_beyond_max(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);
	struct vhu_hdr h = { VHU_SET_FEATURES, VHU_VERSION, 0x10000 };

	send_raw(s, &h, sizeof(h), NULL, 0);
	expect_closed_then_good(f, s, errors(f));
}

static void test_bad_version(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);
	struct vhu_hdr h = { VHU_GET_FEATURES, 2, 0 };

	send_raw(s, &h, sizeof(h), NULL, 0);
	expect_closed_then_good(f, s, errors(f));
}

static void test_unknown_request(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);

	send_msg(s, 99, 0, NULL, 0, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_msg(s, VHU_SET_LOG_BASE, 0, "\0\0\0\0\0\0\0\0", 8, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
}

static void test_wrong_sizes(void **state)
{
	struct fx *f = *state;
	int s = fe_connect(f);
	uint32_t v = 0;

	send_msg(s, VHU_SET_FEATURES, 0, &v, 4, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_msg(s, VHU_GET_FEATURES, 0, &v, 4, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_msg(s, VHU_SET_VRING_ADDR, 0, &v, 4, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
}

static void test_missing_fds(void **state)
{
	struct fx *f = *state;
	struct vhu_mem_region r = fe_region();
	uint64_t idx = 0;
	int s = fe_connect(f);

	send_msg(s, VHU_SET_VRING_KICK, 0, &idx, 8, NULL, 0);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_mem_table(s, &r, 1, NULL, 0, 0);
	expect_closed_then_good(f, s, errors(f));
}

static void test_too_many_fds(void **state)
{
	struct fx *f = *state;
	struct fe e;
	int fds[12], s;
	uint64_t idx = 0;

	fe_mem_init(&e);
	for (int i = 0; i < 12; i++)
		fds[i] = e.call;
	s = fe_connect(f);
	send_msg(s, VHU_SET_VRING_CALL, 0, &idx, 8, fds, 2);     /* 2 for 1 */
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_msg(s, VHU_GET_FEATURES, 0, NULL, 0, fds, 1);       /* fd where none belongs */
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_msg(s, VHU_SET_VRING_CALL, 0, &idx, 8, fds, 12);    /* beyond any message */
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	idx = VHU_VRING_NOFD;                                    /* NOFD and an fd */
	send_msg(s, VHU_SET_VRING_CALL, 0, &idx, 8, fds, 1);
	expect_closed_then_good(f, s, errors(f));
	fe_free(&e);
}

static void test_fds_not_with_header(void **state)
{
	struct fx *f = *state;
	struct fe e;
	uint64_t idx = 0;
	struct vhu_hdr h = { VHU_SET_VRING_CALL, VHU_VERSION, 8 };
	int s;

	fe_mem_init(&e);
	s = fe_connect(f);
	send_raw(s, &h, sizeof(h), NULL, 0);
	send_raw(s, &idx, 8, &e.call, 1);
	expect_closed_then_good(f, s, errors(f));
	fe_free(&e);
}

static void test_nofd_call_accepted(void **state)
{
	struct fx *f = *state;
	struct vhost_user_status st;
	struct fe e;
	uint64_t v = VHU_VRING_NOFD;

	fe_mem_init(&e);
	fe_start(f, &e);
	send_msg(e.sock, VHU_SET_VRING_CALL, 0, &v, 8, NULL, 0);
	pump(f);
	vhost_user_server_status(f->srv, &st);
	assert_true(st.connected);
	assert_false(st.vq[0].call_fd);
	/* the command is still answered, only the notification is missing */
	{
		struct vring_drv_buf out = { MEM_GPA + BUF_OFF, 8 };
		struct vring_drv_buf in = { MEM_GPA + BUF_OFF + 0x1000, 136 };
		struct vring_drv_used u;

		scmi_put_le32(e.mem + BUF_OFF, scmi_hdr(0x10, 0, 0, 1));
		assert_true(vring_drv_add(&e.vq, &out, 1, &in, 1, &e, false) >= 0);
		vring_drv_publish(&e.vq);
		assert_int_equal(write(e.kick, &(uint64_t){ 1 }, 8), 8);
		pump(f);
		assert_int_equal(vring_drv_get_used(&e.vq, &u), 1);
		assert_int_equal(read(e.call, &v, 8), -1);
	}
	/* polling kicks are refused */
	send_msg(e.sock, VHU_SET_VRING_KICK, 0, &v, 8, NULL, 0);
	expect_closed_then_good(f, e.sock, 0);
	e.sock = -1;
	fe_free(&e);
}

static void test_mem_table_abuse(void **state)
{
	struct fx *f = *state;
	struct fe e;
	struct vhu_mem_region r[2];
	int fds[9];
	int s;

	fe_mem_init(&e);
	for (int i = 0; i < 9; i++)
		fds[i] = e.memfd;
	/* overlapping guest ranges */
	r[0] = fe_region();
	r[1] = fe_region();
	r[1].guest_phys_addr += MEM_SIZE / 2;
	r[1].userspace_addr += 4 * MEM_SIZE;
	s = fe_connect(f);
	send_mem_table(s, r, 2, fds, 2, 0);
	expect_closed_then_good(f, s, errors(f));
	/* overlapping user ranges */
	r[1] = fe_region();
	r[1].guest_phys_addr += 4 * MEM_SIZE;
	r[1].userspace_addr += MEM_SIZE / 2;
	s = fe_connect(f);
	send_mem_table(s, r, 2, fds, 2, 0);
	expect_closed_then_good(f, s, errors(f));
	/* wrapping guest address */
	r[0] = fe_region();
	r[0].guest_phys_addr = ~0ull - 100;
	s = fe_connect(f);
	send_mem_table(s, r, 1, fds, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	/* beyond the end of the file */
	r[0] = fe_region();
	r[0].mmap_offset = MEM_SIZE / 2;
	s = fe_connect(f);
	send_mem_table(s, r, 1, fds, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	/* empty region */
	r[0] = fe_region();
	r[0].memory_size = 0;
	s = fe_connect(f);
	send_mem_table(s, r, 1, fds, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	/* over the configured limit */
	vhost_user_server_set_max_mem(f->srv, MEM_SIZE / 2);
	r[0] = fe_region();
	s = fe_connect(f);
	send_mem_table(s, r, 1, fds, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	vhost_user_server_set_max_mem(f->srv, VHOST_USER_DEFAULT_MAX_MEM);
	/* region count 0 and 9, fd count not matching */
	s = fe_connect(f);
	send_mem_table(s, r, 0, NULL, 0, 0);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	{
		struct vhu_mem_table t = { .nregions = 9 };

		send_msg(s, VHU_SET_MEM_TABLE, 0, &t, 8 + 8 * 32, fds, 8);
	}
	expect_closed_then_good(f, s, errors(f));
	r[1] = fe_region();
	r[1].guest_phys_addr += 4 * MEM_SIZE;
	r[1].userspace_addr += 4 * MEM_SIZE;
	s = fe_connect(f);
	send_mem_table(s, r, 2, fds, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	/* not a regular file */
	s = fe_connect(f);
	send_mem_table(s, r, 1, &e.call, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	fe_free(&e);
}

static void test_bad_ring_addresses(void **state)
{
	struct fx *f = *state;
	struct vhu_mem_region r = fe_region();
	struct fe e;
	int s;

	fe_mem_init(&e);
	/* outside guest memory */
	s = fe_connect(f);
	send_mem_table(s, &r, 1, &e.memfd, 1, 0);
	send_state(s, VHU_SET_VRING_NUM, 0, QSZ);
	send_vring_addr(s, 0, MEM_UADDR + MEM_SIZE - 64);
	expect_closed_then_good(f, s, errors(f));
	/* misaligned */
	s = fe_connect(f);
	send_mem_table(s, &r, 1, &e.memfd, 1, 0);
	send_state(s, VHU_SET_VRING_NUM, 0, QSZ);
	send_vring_addr(s, 0, MEM_UADDR + 8);
	expect_closed_then_good(f, s, errors(f));
	/* set before the table, found bad when the ring starts */
	s = fe_connect(f);
	send_state(s, VHU_SET_VRING_NUM, 1, QSZ);
	send_vring_addr(s, 1, 0x1000);
	send_vring_fd(s, VHU_SET_VRING_KICK, 1, e.kick);
	send_mem_table(s, &r, 1, &e.memfd, 1, 0);
	expect_closed_then_good(f, s, errors(f));
	/* index and size out of range */
	s = fe_connect(f);
	send_state(s, VHU_SET_VRING_NUM, 2, QSZ);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_state(s, VHU_SET_VRING_NUM, 0, 100);
	expect_closed_then_good(f, s, errors(f));
	s = fe_connect(f);
	send_state(s, VHU_SET_VRING_NUM, 0, 2048);
	expect_closed_then_good(f, s, errors(f));
	fe_free(&e);
}

static void test_mem_table_change_while_running(void **state)
{
	struct fx *f = *state;
	struct vhost_user_status st;
	struct vhu_mem_region r[2];
	struct fe e;
	int fds[2], extra = memfd_create("extra", MFD_CLOEXEC);

	assert_true(extra >= 0);
	assert_int_equal(ftruncate(extra, 4096), 0);
	fe_mem_init(&e);
	fe_start(f, &e);
	assert_int_equal(fe_command(f, &e, 1), 12);
	/* hotplug: the same memory plus a second region */
	r[0] = fe_region();
	r[1] = (struct vhu_mem_region){ MEM_GPA + 16 * MEM_SIZE, 4096,
					MEM_UADDR + 16 * MEM_SIZE, 0 };
	fds[0] = e.memfd;
	fds[1] = extra;
	send_mem_table(e.sock, r, 2, fds, 2, 0);
	pump(f);
	vhost_user_server_status(f->srv, &st);
	assert_true(st.connected);
	assert_int_equal(st.mem_regions, 2);
	assert_true(st.vq[0].running);
	assert_int_equal(fe_command(f, &e, 2), 12);
	assert_int_equal(fe_command(f, &e, 3), 12);
	/* a table without the ring's memory: that connection is closed */
	send_mem_table(e.sock, &r[1], 1, &extra, 1, 0);
	expect_closed_then_good(f, e.sock, 0);
	e.sock = -1;
	close(extra);
	fe_free(&e);
}

static void test_get_vring_base_and_restart(void **state)
{
	struct fx *f = *state;
	struct vhost_user_status st;
	struct vhu_vring_state vs = { 0, 0 };
	struct fe e;
	unsigned resets;

	fe_mem_init(&e);
	fe_start(f, &e);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(fe_command(f, &e, i), 12);
	resets = f->core.resets;
	send_msg(e.sock, VHU_GET_VRING_BASE, 0, &vs, sizeof(vs), NULL, 0);
	get_reply(f, e.sock, VHU_GET_VRING_BASE, &vs, sizeof(vs));
	assert_int_equal(vs.index, 0);
	assert_int_equal(vs.num, 3);
	assert_int_equal(f->core.resets, resets + 1);   /* every ring stopped: device reset */
	vhost_user_server_status(f->srv, &st);
	assert_false(st.vq[0].running);
	assert_false(st.vq[0].started);
	assert_false(st.vq[0].kick_fd);
	/* a kicked command is not processed while stopped */
	{
		struct vring_drv_buf out = { MEM_GPA + BUF_OFF, 8 };
		struct vring_drv_buf in = { MEM_GPA + BUF_OFF + 0x1000, 136 };
		struct vring_drv_used u;
		uint8_t *req = e.mem + BUF_OFF;

		scmi_put_le32(req, scmi_hdr(0x10, 0, 0, 9));
		scmi_put_le32(req + 4, 77);
		assert_true(vring_drv_add(&e.vq, &out, 1, &in, 1, &e, false) >= 0);
		vring_drv_publish(&e.vq);
		pump(f);
		assert_int_equal(vring_drv_get_used(&e.vq, &u), 0);
		/* restart from base 3: the pending command is picked up */
		send_state(e.sock, VHU_SET_VRING_BASE, 0, 3);
		send_vring_fd(e.sock, VHU_SET_VRING_KICK, 0, e.kick);
		pump(f);
		assert_int_equal(vring_drv_get_used(&e.vq, &u), 1);
		assert_int_equal(u.len, 12);
		assert_int_equal(scmi_get_le32(e.mem + BUF_OFF + 0x1000 + 8), 77);
	}
	assert_int_equal(fe_command(f, &e, 5), 12);
	fe_free(&e);
	pump(f);
}

static void test_reply_ack_and_refusals(void **state)
{
	struct fx *f = *state;
	struct vhost_user_status st;
	struct vhu_config cfg = { .offset = 0, .size = 8 };
	struct fe e;
	uint64_t v;
	int s = fe_connect(f);

	fe_mem_init(&e);
	send_u64(s, VHU_SET_PROTOCOL_FEATURES, 1ull << VHU_PROTO_F_REPLY_ACK);
	send_msg(s, VHU_SET_OWNER, VHU_FLAG_NEED_REPLY, NULL, 0, NULL, 0);
	get_reply(f, s, VHU_SET_OWNER, &v, 8);
	assert_int_equal(v, 0);
	/* BACKEND_REQ not offered: refused with an ack, the fd is closed */
	send_msg(s, VHU_SET_BACKEND_REQ_FD, VHU_FLAG_NEED_REPLY, NULL, 0, &e.call, 1);
	get_reply(f, s, VHU_SET_BACKEND_REQ_FD, &v, 8);
	assert_int_not_equal(v, 0);
	/* no config space: zeroes of the size asked for; writes refused */
	memset(cfg.region, 0xaa, sizeof(cfg.region));
	send_msg(s, VHU_GET_CONFIG, 0, &cfg, VHU_CONFIG_HDR_SIZE + 8, NULL, 0);
	{
		struct vhu_config rep;

		get_reply(f, s, VHU_GET_CONFIG, &rep, VHU_CONFIG_HDR_SIZE + 8);
		assert_int_equal(rep.size, 8);
		for (int i = 0; i < 8; i++)
			assert_int_equal(rep.region[i], 0);
	}
	send_msg(s, VHU_SET_CONFIG, VHU_FLAG_NEED_REPLY, &cfg, VHU_CONFIG_HDR_SIZE + 8, NULL, 0);
	get_reply(f, s, VHU_SET_CONFIG, &v, 8);
	assert_int_not_equal(v, 0);
	/* RESET_DEVICE acked, connection kept */
	send_msg(s, VHU_RESET_DEVICE, VHU_FLAG_NEED_REPLY, NULL, 0, NULL, 0);
	get_reply(f, s, VHU_RESET_DEVICE, &v, 8);
	assert_int_equal(v, 0);
	vhost_user_server_status(f->srv, &st);
	assert_true(st.connected);
	assert_int_equal(st.protocol_errors, 0);
	close(s);
	pump(f);
	fe_free(&e);
}

/* A plain file as guest memory, mapped at a non-zero offset. */
static void test_file_backed_with_offset(void **state)
{
	struct fx *f = *state;
	struct vhu_mem_region r = fe_region();
	struct fe e;
	int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, MEM_SIZE + 3 * 4096), 0);
	fe_mem_init(&e);
	munmap(e.mem, MEM_SIZE);
	close(e.memfd);
	e.memfd = fd;
	e.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 3 * 4096);
	assert_true(e.mem != MAP_FAILED);
	r.mmap_offset = 3 * 4096;
	fe_start_region(f, &e, r);
	assert_int_equal(fe_command(f, &e, 0x55), 12);
	assert_int_equal(fe_command(f, &e, 0x66), 12);
	fe_free(&e);
	pump(f);
}

static void test_broken_ring_signals_err(void **state)
{
	struct fx *f = *state;
	struct fe e;
	int err = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t v = 1;

	assert_true(err >= 0);
	fe_mem_init(&e);
	fe_start(f, &e);
	send_vring_fd(e.sock, VHU_SET_VRING_ERR, 0, err);
	assert_int_equal(fe_command(f, &e, 1), 12);
	/* the driver publishes more entries than the ring holds */
	e.vq.avail->idx = (uint16_t)(e.vq.avail->idx + QSZ + 5);
	assert_int_equal(write(e.kick, &v, 8), 8);
	pump(f);
	assert_int_equal(read(err, &v, 8), 8);
	assert_true(vhost_user_server_connected(f->srv));
	/* a device reset (rings stopped) clears the state: the ring works again */
	{
		struct vhu_vring_state vs = { 0, 0 };

		send_msg(e.sock, VHU_GET_VRING_BASE, 0, &vs, sizeof(vs), NULL, 0);
		get_reply(f, e.sock, VHU_GET_VRING_BASE, &vs, sizeof(vs));
	}
	assert_int_equal(vring_drv_init(&e.vq, QSZ, e.mem, MEM_GPA, false), 0);
	send_state(e.sock, VHU_SET_VRING_BASE, 0, 0);
	send_vring_fd(e.sock, VHU_SET_VRING_KICK, 0, e.kick);
	assert_int_equal(fe_command(f, &e, 2), 12);
	close(err);
	fe_free(&e);
	pump(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_negotiate_and_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_connection_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_larger_than_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_beyond_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fds_not_with_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nofd_call_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_table_abuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ring_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_table_change_while_running, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_get_vring_base_and_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_ack_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_ring_signals_err, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_backed_with_offset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
