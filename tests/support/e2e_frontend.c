// SPDX-License-Identifier: GPL-2.0-only
/*
 * Low-level vhost-user frontend for end-to-end abuse tests (e2e_frontend.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "e2e_frontend.h"
#include "mediator/virtio/scmi_dev.h"

int e2e_fe_connect(struct e2e_fe *fe, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(fe, 0, sizeof(*fe));
	fe->sock = fe->memfd = -1;
	fe->kick[0] = fe->kick[1] = fe->call[0] = fe->call[1] = -1;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fe->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fe->sock < 0)
		return -errno;
	if (connect(fe->sock, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(fe->sock);
		fe->sock = -1;
		return e;
	}
	return 0;
}

static bool has_reply(uint32_t req)
{
	return req == VHU_GET_FEATURES || req == VHU_GET_PROTOCOL_FEATURES ||
	       req == VHU_GET_VRING_BASE || req == VHU_GET_QUEUE_NUM;
}

int e2e_fe_msg(struct e2e_fe *fe, uint32_t req, const void *payload, uint32_t size,
	       const int *fds, unsigned nfds, struct vhu_msg *reply)
{
	struct vhu_msg m;
	int rfds[VHU_MAX_FDS];
	unsigned nr = 0;
	int r;

	memset(&m, 0, sizeof(m));
	m.hdr.request = req;
	m.hdr.flags = VHU_VERSION;
	m.hdr.size = size;
	if (size > sizeof(m.p))
		return -EINVAL;
	if (size)
		memcpy(m.p.raw, payload, size);
	r = vhu_msg_send(fe->sock, &m, fds, nfds);
	if (r || !has_reply(req))
		return r;
	r = vhu_msg_recv(fe->sock, reply ? reply : &m, rfds, &nr, 2000);
	vhu_close_fds(rfds, &nr);
	return r;
}

static int msg_u64(struct e2e_fe *fe, uint32_t req, uint64_t v)
{
	return e2e_fe_msg(fe, req, &v, sizeof(v), NULL, 0, NULL);
}

static int msg_state(struct e2e_fe *fe, uint32_t req, uint32_t idx, uint32_t num)
{
	struct vhu_vring_state s = { .index = idx, .num = num };

	return e2e_fe_msg(fe, req, &s, sizeof(s), NULL, 0, NULL);
}

static int msg_fd(struct e2e_fe *fe, uint32_t req, uint32_t idx, int fd)
{
	uint64_t v = idx;

	return e2e_fe_msg(fe, req, &v, sizeof(v), &fd, 1, NULL);
}

int e2e_fe_setup(struct e2e_fe *fe, unsigned reserve)
{
	struct vhu_msg rep;
	struct vhu_mem_table mt = { 0 };
	uint64_t want;
	int r;

	fe->memfd = memfd_create("e2e-guest", MFD_CLOEXEC);
	if (fe->memfd < 0 || ftruncate(fe->memfd, E2E_FE_MEM_SIZE))
		return -errno;
	fe->mem = mmap(NULL, E2E_FE_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fe->memfd, 0);
	if (fe->mem == MAP_FAILED) {
		fe->mem = NULL;
		return -errno;
	}
	r = e2e_fe_msg(fe, VHU_GET_FEATURES, NULL, 0, NULL, 0, &rep);
	if (r)
		return r;
	want = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_SCMI_F_P2A_CHANNELS);
	fe->features = rep.p.u64 & want;
	if ((r = e2e_fe_msg(fe, VHU_SET_OWNER, NULL, 0, NULL, 0, NULL)) ||
	    (r = msg_u64(fe, VHU_SET_FEATURES, fe->features)))
		return r;
	mt.nregions = 1;
	mt.regions[0].guest_phys_addr = E2E_FE_GPA_BASE;
	mt.regions[0].memory_size = E2E_FE_MEM_SIZE;
	mt.regions[0].userspace_addr = (uint64_t)(uintptr_t)fe->mem;
	mt.regions[0].mmap_offset = 0;
	r = e2e_fe_msg(fe, VHU_SET_MEM_TABLE, &mt, 8 + sizeof(struct vhu_mem_region),
		       &fe->memfd, 1, NULL);
	if (r)
		return r;
	for (unsigned q = 0; q < 2; q++) {
		uint32_t off = q ? E2E_FE_RING1 : E2E_FE_RING0;
		struct vhu_vring_addr a = { .index = q };
		uint64_t uaddr = (uint64_t)(uintptr_t)(fe->mem + off);

		if (vring_drv_init(&fe->q[q], E2E_FE_QSIZE, fe->mem + off, e2e_fe_gpa(off), false))
			return -EINVAL;
		if (q == 0 && reserve)
			vring_drv_reserve_tail(&fe->q[0], reserve);
		fe->kick[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		fe->call[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fe->kick[q] < 0 || fe->call[q] < 0)
			return -errno;
		a.desc_user_addr = uaddr;
		a.avail_user_addr = uaddr + vring_drv_avail_off(E2E_FE_QSIZE);
		a.used_user_addr = uaddr + vring_drv_used_off(E2E_FE_QSIZE);
		if ((r = msg_fd(fe, VHU_SET_VRING_CALL, q, fe->call[q])) ||
		    (r = msg_state(fe, VHU_SET_VRING_NUM, q, E2E_FE_QSIZE)) ||
		    (r = msg_state(fe, VHU_SET_VRING_BASE, q, 0)) ||
		    (r = e2e_fe_msg(fe, VHU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0, NULL)) ||
		    (r = msg_fd(fe, VHU_SET_VRING_KICK, q, fe->kick[q])))
			return r;
	}
	/* a GET_FEATURES round trip: everything before it was processed */
	return e2e_fe_msg(fe, VHU_GET_FEATURES, NULL, 0, NULL, 0, &rep);
}

void e2e_fe_close(struct e2e_fe *fe)
{
	if (fe->sock >= 0)
		close(fe->sock);
	for (unsigned q = 0; q < 2; q++) {
		if (fe->kick[q] >= 0)
			close(fe->kick[q]);
		if (fe->call[q] >= 0)
			close(fe->call[q]);
	}
	if (fe->mem)
		munmap(fe->mem, E2E_FE_MEM_SIZE);
	if (fe->memfd >= 0)
		close(fe->memfd);
	memset(fe, 0, sizeof(*fe));
	fe->sock = fe->memfd = -1;
	fe->kick[0] = fe->kick[1] = fe->call[0] = fe->call[1] = -1;
}

void e2e_fe_kick(struct e2e_fe *fe, unsigned q)
{
	uint64_t one = 1;

	vring_drv_publish(&fe->q[q]);
	if (write(fe->kick[q], &one, sizeof(one)) != sizeof(one))
		return;         /* counter saturated: a kick is pending anyway */
}

int e2e_fe_wait_used(struct e2e_fe *fe, unsigned q, int timeout_ms, struct vring_drv_used *u)
{
	for (int waited = 0;; waited += 10) {
		struct pollfd p = { .fd = fe->call[q], .events = POLLIN };
		uint64_t v;
		int r = vring_drv_get_used(&fe->q[q], u);

		if (r != 0)
			return r;
		if (waited >= timeout_ms)
			return 0;
		if (poll(&p, 1, 10) > 0 && read(fe->call[q], &v, sizeof(v)) < 0 &&
		    errno != EAGAIN)
			return -errno;
	}
}

int e2e_fe_call(struct e2e_fe *fe, unsigned slot, const void *msg, size_t len,
		void *resp, size_t resp_cap, int timeout_ms)
{
	uint32_t req_off = E2E_FE_BUFS + slot * 1024u, resp_off = req_off + 512u;
	struct vring_drv_buf out = { e2e_fe_gpa(req_off), (uint32_t)len };
	struct vring_drv_buf in = { e2e_fe_gpa(resp_off), (uint32_t)resp_cap };
	struct vring_drv_used u;
	int r;

	if (len > 512 || resp_cap > 512)
		return -EINVAL;
	memcpy(e2e_fe_ptr(fe, req_off), msg, len);
	memset(e2e_fe_ptr(fe, resp_off), 0, resp_cap);
	r = vring_drv_add(&fe->q[0], &out, 1, &in, 1, (void *)(uintptr_t)(slot + 1), false);
	if (r < 0)
		return r;
	e2e_fe_kick(fe, 0);
	r = e2e_fe_wait_used(fe, 0, timeout_ms, &u);
	if (r <= 0)
		return r ? r : -ETIMEDOUT;
	if (u.data != (void *)(uintptr_t)(slot + 1))
		return -EIO;
	memcpy(resp, e2e_fe_ptr(fe, resp_off), u.len < resp_cap ? u.len : resp_cap);
	return (int)u.len;
}
