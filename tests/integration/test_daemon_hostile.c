// SPDX-License-Identifier: GPL-2.0-only
/*
 * End to end, through real sockets: a hostile guest on one socket of the
 * scmi-mediator program (malformed descriptor chains, broken messages,
 * vhost-user protocol abuse) gets errors or is disconnected, the daemon
 * survives, and the OTHER guest keeps working throughout. Afterwards the
 * hostile socket serves a well-behaved frontend again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mediator/scmi_msg.h"
#include "mediator/virtio/vring.h"
#include "tests/support/e2e_daemon.h"
#include "tests/support/e2e_frontend.h"
#include "tools/client/scmi_client.h"

#define PLATFORM "tests/data/integration/platform.cfg"
#define RESERVED 8            /* cmdq descriptors kept for raw chains */
#define RAW0 (E2E_FE_QSIZE - RESERVED)

struct fx {
	struct e2e_daemon d;
	struct scmi_client *good;     /* guest1, well behaved */
	struct e2e_fe fe;             /* guest2, hostile */
};

static const struct scmi_client_opts copts = {
	.queue_size = 64, .msg_size = SCMI_LINUX_MSG_SIZE, .p2a = true,
	.event_buffers = 8, .timeout_ms = 5000,
};

static int setup(void **state)
{
	static const char *const names[] = { "guest1", "guest2" };
	struct fx *f = calloc(1, sizeof(*f));
	char *plat = e2e_slurp(PLATFORM);
	int rc;

	*state = f;
	if (!f || !plat) {
		free(plat);
		return -1;
	}
	f->fe.sock = -1;
	rc = e2e_daemon_start(&f->d, plat, names, 2, NULL, NULL);
	free(plat);
	if (rc)
		return -1;
	f->good = scmi_client_connect(f->d.sock[0], &copts);
	return f->good ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int st;

	if (!f)
		return 0;
	if (f->fe.sock >= 0 || f->fe.mem)
		e2e_fe_close(&f->fe);
	if (f->good)
		scmi_client_close(f->good);
	st = e2e_daemon_stop(&f->d, SIGTERM, 10000);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "daemon exit status 0x%x\n", st);
		e2e_daemon_dump_log(&f->d);
		st = -1;
	} else {
		st = 0;
	}
	e2e_daemon_cleanup(&f->d);
	free(f);
	return st;
}

/* The good guest still gets right answers. */
static void good_guest_works(struct fx *f)
{
	uint8_t a[4], v[SCMI_MSG_MAX];
	size_t vl = sizeof(v);
	int32_t st;

	assert_true(e2e_daemon_alive(&f->d));
	scmi_put_le32(a, 1);
	assert_int_equal(scmi_client_call(f->good, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, a, 4,
					  &st, v, &vl), 0);
	assert_int_equal(st, SCMI_SUCCESS);
	assert_true(scmi_get_le64(v) == 800000000ull);
}

/* A fresh well-behaved frontend on the hostile guest's socket works. */
static void hostile_socket_recovers(struct fx *f)
{
	struct scmi_client *c = NULL;
	uint8_t a[4];
	int32_t st;
	size_t vl;
	uint8_t v[SCMI_MSG_MAX];

	/* the server may take a moment to notice the old connection is gone */
	for (int i = 0; i < 100 && !c; i++) {
		c = scmi_client_connect(f->d.sock[1], &copts);
		if (!c)
			usleep(20000);
	}
	assert_non_null(c);
	scmi_put_le32(a, 1);
	vl = sizeof(v);
	assert_int_equal(scmi_client_call(c, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, a, 4, &st, v,
					  &vl), 0);
	assert_int_equal(st, SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(v), SCMI_POWER_STATE_ON);
	scmi_client_close(c);
}

static void hostile_up(struct fx *f)
{
	assert_int_equal(e2e_fe_connect(&f->fe, f->d.sock[1]), 0);
	assert_int_equal(e2e_fe_setup(&f->fe, RESERVED), 0);
}

/* Well-formed POWER_STATE_GET(1) through the hostile frontend. */
static void hostile_good_call(struct fx *f, unsigned slot)
{
	uint8_t m[8], r[64];

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, 7));
	scmi_put_le32(m + 4, 1);
	assert_int_equal(e2e_fe_call(&f->fe, slot, m, sizeof(m), r, sizeof(r), 3000), 12);
	assert_int_equal(scmi_get_le32(r), scmi_get_le32(m));
	assert_int_equal(scmi_get_le32(r + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(r + 8), SCMI_POWER_STATE_ON);
}

static void set_desc(struct fx *f, unsigned i, uint64_t gpa, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	struct vring_desc *d = &f->fe.q[0].desc[i];

	d->addr = gpa;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

/* Publish raw chain `head`; returns the used length, or -1 if no used
 * entry came within the wait (dropped). */
static int raw_chain(struct fx *f, uint16_t head, int wait_ms)
{
	struct vring_drv_used u;
	int r;

	vring_drv_add_raw_head(&f->fe.q[0], head);
	e2e_fe_kick(&f->fe, 0);
	r = e2e_fe_wait_used(&f->fe, 0, wait_ms, &u);
	if (r <= 0)
		return -1;
	assert_int_equal(u.id, head);
	return (int)u.len;
}

static void test_hostile_chains(void **state)
{
	struct fx *f = *state;
	uint32_t req = E2E_FE_BUFS + 0x8000, resp = req + 0x200;
	uint8_t *rq, *rs;
	int len;

	hostile_up(f);
	rq = e2e_fe_ptr(&f->fe, req);
	rs = e2e_fe_ptr(&f->fe, resp);
	scmi_put_le32(rq, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, 3));
	scmi_put_le32(rq + 4, 1);
	hostile_good_call(f, 0);

	/* 1. request buffer outside guest memory */
	set_desc(f, RAW0, 0xdead0000ull, 8, VRING_DESC_F_NEXT, RAW0 + 1);
	set_desc(f, RAW0 + 1, e2e_fe_gpa(resp), 64, VRING_DESC_F_WRITE, 0);
	memset(rs, 0xaa, 64);
	len = raw_chain(f, RAW0, 2000);
	assert_true(len == 0 || len == 8);
	if (len == 8)
		assert_int_equal((int32_t)scmi_get_le32(rs + 4), SCMI_PROTOCOL_ERROR);
	good_guest_works(f);

	/* 2. request too short to hold a header */
	set_desc(f, RAW0, e2e_fe_gpa(req), 2, VRING_DESC_F_NEXT, RAW0 + 1);
	len = raw_chain(f, RAW0, 2000);
	assert_int_equal(len, 8);
	assert_int_equal((int32_t)scmi_get_le32(rs + 4), SCMI_PROTOCOL_ERROR);

	/* 3. writable part smaller than hdr + status: completed with len 0 */
	set_desc(f, RAW0, e2e_fe_gpa(req), 8, VRING_DESC_F_NEXT, RAW0 + 1);
	set_desc(f, RAW0 + 1, e2e_fe_gpa(resp), 4, VRING_DESC_F_WRITE, 0);
	assert_int_equal(raw_chain(f, RAW0, 2000), 0);

	/* 4. a descriptor loop */
	set_desc(f, RAW0, e2e_fe_gpa(req), 8, VRING_DESC_F_NEXT, RAW0 + 1);
	set_desc(f, RAW0 + 1, e2e_fe_gpa(resp), 64, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT,
		 RAW0 + 1);
	len = raw_chain(f, RAW0, 2000);
	assert_true(len == 0 || len == 8);
	good_guest_works(f);

	/* 5. next index beyond the ring */
	set_desc(f, RAW0, e2e_fe_gpa(req), 8, VRING_DESC_F_NEXT, 5000);
	len = raw_chain(f, RAW0, 2000);
	assert_true(len == 0 || len == 8);

	/* 6. writable buffer that overlaps the end of guest memory */
	set_desc(f, RAW0, e2e_fe_gpa(req), 8, VRING_DESC_F_NEXT, RAW0 + 1);
	set_desc(f, RAW0 + 1, e2e_fe_gpa(E2E_FE_MEM_SIZE - 4), 64, VRING_DESC_F_WRITE, 0);
	len = raw_chain(f, RAW0, 2000);
	assert_true(len == 0 || len == 8);

	/* 7. a response buffer that is read-only (no WRITE flag) */
	set_desc(f, RAW0, e2e_fe_gpa(req), 8, VRING_DESC_F_NEXT, RAW0 + 1);
	set_desc(f, RAW0 + 1, e2e_fe_gpa(resp), 64, 0, 0);
	len = raw_chain(f, RAW0, 2000);
	assert_true(len == 0 || len == 8);

	/* 8. garbage SCMI header: reserved bits and an unknown protocol */
	scmi_put_le32(rq, 0xf0000000u | scmi_hdr(0x77, 0x3, 0, 9));
	set_desc(f, RAW0, e2e_fe_gpa(req), 8, VRING_DESC_F_NEXT, RAW0 + 1);
	set_desc(f, RAW0 + 1, e2e_fe_gpa(resp), 64, VRING_DESC_F_WRITE, 0);
	len = raw_chain(f, RAW0, 2000);
	assert_int_equal(len, 8);
	assert_true((int32_t)scmi_get_le32(rs + 4) < 0);

	/* the hostile guest itself still works, and so does the other one */
	hostile_good_call(f, 1);
	good_guest_works(f);

	/* 9. a head index beyond the ring: no used entry for it, and the
	 * device may stop using this queue until reset (broken driver) */
	assert_int_equal(raw_chain(f, E2E_FE_QSIZE + 5, 300), -1);
	good_guest_works(f);
	e2e_fe_close(&f->fe);
	hostile_socket_recovers(f);
	good_guest_works(f);
}

static void test_vhost_user_abuse(void **state)
{
	struct fx *f = *state;
	struct vhu_msg rep;
	uint8_t junk[64];
	int memfd;

	/* 1. unknown request code and a wrong version */
	assert_int_equal(e2e_fe_connect(&f->fe, f->d.sock[1]), 0);
	memset(junk, 0x5a, sizeof(junk));
	e2e_fe_msg(&f->fe, 0xdead, junk, 16, NULL, 0, NULL);
	good_guest_works(f);
	e2e_fe_close(&f->fe);
	hostile_socket_recovers(f);

	/* 2. a header promising a huge payload, then hang up half-way */
	assert_int_equal(e2e_fe_connect(&f->fe, f->d.sock[1]), 0);
	{
		uint32_t hdr[3] = { VHU_SET_MEM_TABLE, VHU_VERSION, 0x7fffffff };

		/* the server may hang up as soon as it sees the header */
		assert_int_equal(write(f->fe.sock, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
		if (write(f->fe.sock, junk, 10) < 0)
			assert_true(errno == EPIPE || errno == ECONNRESET);
	}
	good_guest_works(f);
	e2e_fe_close(&f->fe);
	hostile_socket_recovers(f);

	/* 3. memory table: too many regions, no fd, overlapping regions */
	assert_int_equal(e2e_fe_connect(&f->fe, f->d.sock[1]), 0);
	{
		struct vhu_mem_table mt = { 0 };

		mt.nregions = 200;
		e2e_fe_msg(&f->fe, VHU_SET_MEM_TABLE, &mt, sizeof(mt), NULL, 0, NULL);
		good_guest_works(f);
	}
	e2e_fe_close(&f->fe);
	hostile_socket_recovers(f);

	/* 4. a region bigger than the file behind it: touching the missing
	 * part must not bring the daemon down (SIGBUS) */
	assert_int_equal(e2e_fe_connect(&f->fe, f->d.sock[1]), 0);
	memfd = memfd_create("e2e-small", MFD_CLOEXEC);
	assert_true(memfd >= 0);
	assert_int_equal(ftruncate(memfd, 4096), 0);
	{
		struct vhu_mem_table mt = { 0 };
		struct vhu_vring_state num = { 0, 64 };
		struct vhu_vring_addr a = { 0 };
		uint64_t feat = 1ull << 32, kick = 0;
		int efd = memfd;    /* any fd works as a kick fd for the abuse */

		mt.nregions = 1;
		mt.regions[0].guest_phys_addr = E2E_FE_GPA_BASE;
		mt.regions[0].memory_size = 1u << 20;
		mt.regions[0].userspace_addr = 0x7f0000000000ull;
		e2e_fe_msg(&f->fe, VHU_SET_OWNER, NULL, 0, NULL, 0, NULL);
		e2e_fe_msg(&f->fe, VHU_SET_FEATURES, &feat, 8, NULL, 0, NULL);
		e2e_fe_msg(&f->fe, VHU_SET_MEM_TABLE, &mt, 8 + sizeof(struct vhu_mem_region),
			   &memfd, 1, NULL);
		e2e_fe_msg(&f->fe, VHU_SET_VRING_NUM, &num, sizeof(num), NULL, 0, NULL);
		a.desc_user_addr = 0x7f0000000000ull + 0x80000;   /* beyond the 4 KiB file */
		a.avail_user_addr = a.desc_user_addr + 0x1000;
		a.used_user_addr = a.desc_user_addr + 0x2000;
		e2e_fe_msg(&f->fe, VHU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0, NULL);
		e2e_fe_msg(&f->fe, VHU_SET_VRING_KICK, &kick, 8, &efd, 1, NULL);
		e2e_fe_msg(&f->fe, VHU_GET_FEATURES, NULL, 0, NULL, 0, &rep);
	}
	close(memfd);
	usleep(100000);
	good_guest_works(f);
	e2e_fe_close(&f->fe);
	hostile_socket_recovers(f);

	/* 5. rings outside the memory table, odd queue sizes, bad indexes */
	assert_int_equal(e2e_fe_connect(&f->fe, f->d.sock[1]), 0);
	{
		struct vhu_vring_state bad[] = { { 0, 3 }, { 0, 0 }, { 0, 65536 }, { 9, 64 } };
		struct vhu_vring_addr a = { .index = 0, .desc_user_addr = 0x1000,
					    .avail_user_addr = 0x2000, .used_user_addr = 0x3000 };
		uint64_t v = 0;

		e2e_fe_msg(&f->fe, VHU_SET_OWNER, NULL, 0, NULL, 0, NULL);
		for (unsigned i = 0; i < 4; i++)
			e2e_fe_msg(&f->fe, VHU_SET_VRING_NUM, &bad[i], sizeof(bad[i]), NULL, 0,
				   NULL);
		e2e_fe_msg(&f->fe, VHU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0, NULL);
		v = 0x55;   /* queue index out of range, no fd */
		e2e_fe_msg(&f->fe, VHU_SET_VRING_KICK, &v, 8, NULL, 0, NULL);
		e2e_fe_msg(&f->fe, VHU_GET_VRING_BASE, &bad[3], sizeof(bad[3]), NULL, 0, &rep);
	}
	good_guest_works(f);
	e2e_fe_close(&f->fe);
	hostile_socket_recovers(f);

	/* 6. a second frontend while one is connected is refused, and the
	 * first keeps working */
	hostile_up(f);
	{
		struct e2e_fe second;

		assert_int_equal(e2e_fe_connect(&second, f->d.sock[1]), 0);
		e2e_fe_msg(&second, VHU_GET_FEATURES, NULL, 0, NULL, 0, &rep);
		e2e_fe_close(&second);
	}
	hostile_good_call(f, 2);
	e2e_fe_close(&f->fe);
	good_guest_works(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hostile_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vhost_user_abuse, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
