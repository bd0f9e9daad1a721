// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMC backend (backends/smt_smc.c) against a test double of /dev/scmi-smc:
 * a plain file stands in for the device (mmap works on it as on the
 * module's window: the area sits at an offset inside a two-page window) and
 * the ioctl is served by a fake module that runs the embedded reference
 * platform over the SMT area when the backend issues SCMI_SMC_IOC_CALL, as
 * the firmware would on an SMC. Faults: corrupted header, oversized
 * length, ERROR bit, NOT_SUPPORTED in a0, a failing ioctl, a reply that is
 * not there when the call returns (late) or never comes. Also the checks
 * of the module's description and against the host DT (smc.dts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/host_dt.h"
#include "backends/platform/platform.h"
#include "backends/smc/scmi_smc_uapi.h"
#include "backends/smt/smt.h"
#include "backends/smt_smc.h"
#include "config/platform_desc.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

#define WIN 0x2000u
#define AREA_OFF 0x100u
#define AREA_SIZE 0x80u

enum fault { F_NONE, F_CORRUPT, F_OVERSIZE, F_ERROR, F_NOTSUPP, F_EIO, F_LATE, F_NOREPLY };

struct env {
	char path[64];
	int fd;
	uint8_t *win;                  /* the "firmware's" view */
	struct ev_loop *loop;
	struct scmi_backend *b;
	struct scmi_platform *plat;
	struct scmi_smc_info info;
	struct smc_dev_ops ops;
	struct smc_cfg cfg;
	enum fault fault;
	unsigned fault_n;              /* how many calls the fault applies to */
	unsigned calls, protocol_errors;
	bool late_pending;
	uint64_t late_at;
	uint8_t late_resp[SCMI_MSG_MAX];
	size_t late_len;
	unsigned nrx;
	uint8_t rx[16][SCMI_MSG_MAX];
	size_t rx_len[16];
};

static void on_rx(void *o, unsigned chan, const uint8_t *m, size_t len)
{
	struct env *e = o;

	assert_int_equal(chan, 0);
	assert_true(e->nrx < 16);
	memcpy(e->rx[e->nrx], m, len);
	e->rx_len[e->nrx++] = len;
}

static void put_reply(volatile uint8_t *a, const uint8_t *resp, size_t len, uint32_t status)
{
	smt_wr32(a, SMT_OFF_LENGTH, (uint32_t)len);
	smt_wr_bytes(a, SMT_OFF_MSG, resp, len);
	smt_wr32(a, SMT_OFF_STATUS, status);
}

/* The fake module + firmware. */
static int fake_ioctl(void *opaque, int fd, unsigned long req, void *arg)
{
	struct env *e = opaque;
	volatile uint8_t *a = e->win + AREA_OFF;
	struct scmi_smc_call *c = arg;
	uint8_t req_msg[SCMI_MSG_MAX], resp[SCMI_MSG_MAX];
	struct plat_reply pr;
	uint32_t len;
	enum fault f;

	assert_int_equal(fd, e->fd);
	if (req == SCMI_SMC_IOC_INFO) {
		memcpy(arg, &e->info, sizeof(e->info));
		return 0;
	}
	assert_int_equal(req, SCMI_SMC_IOC_CALL);
	assert_int_equal(c->reserved[0] | c->reserved[1] | c->reserved[2], 0);
	e->calls++;
	f = e->fault_n ? e->fault : F_NONE;
	if (e->fault_n)
		e->fault_n--;
	if (f == F_EIO) {
		errno = EIO;
		return -1;
	}
	c->a0 = 0;
	if (f == F_NOTSUPP) {
		c->a0 = SCMI_SMC_RET_NOT_SUPPORTED;
		return 0;
	}
	/* SMT agent protocol: the channel was marked busy before the call. */
	len = smt_rd32(a, SMT_OFF_LENGTH);
	if (smt_rd32(a, SMT_OFF_STATUS) & SMT_STATUS_FREE || len < 4 ||
	    len > smt_msg_cap(AREA_SIZE)) {
		e->protocol_errors++;
		return 0;
	}
	smt_rd_bytes(a, SMT_OFF_MSG, req_msg, len);
	plat_handle(e->plat, 1, req_msg, len, resp, smt_msg_cap(AREA_SIZE), &pr);
	assert_true(pr.len >= 8);
	switch (f) {
	case F_CORRUPT:
		scmi_put_le32(resp, scmi_get_le32(resp) ^ (1u << 18));
		break;
	case F_OVERSIZE:
		put_reply(a, resp, pr.len, SMT_STATUS_FREE);
		smt_wr32(a, SMT_OFF_LENGTH, (uint32_t)smt_msg_cap(AREA_SIZE) + 4);
		return 0;
	case F_ERROR:
		put_reply(a, resp, pr.len, SMT_STATUS_FREE | SMT_STATUS_ERROR);
		return 0;
	case F_LATE:
		memcpy(e->late_resp, resp, pr.len);
		e->late_len = pr.len;
		e->late_pending = true;
		e->late_at = ev_now_ns() + 20000000ull;
		return 0;
	case F_NOREPLY:
		return 0;
	default:
		break;
	}
	put_reply(a, resp, pr.len, SMT_STATUS_FREE);
	return 0;
}

static void firmware_step(struct env *e)
{
	if (e->late_pending && ev_now_ns() >= e->late_at) {
		e->late_pending = false;
		put_reply(e->win + AREA_OFF, e->late_resp, e->late_len, SMT_STATUS_FREE);
	}
}

static void default_info(struct env *e)
{
	memset(&e->info, 0, sizeof(e->info));
	e->info.version = SCMI_SMC_UAPI_VERSION;
	e->info.shmem_phys = 0x2201f000 + AREA_OFF;
	e->info.shmem_size = AREA_SIZE;
	e->info.smc_id = 0xc20000fe;
	e->info.map_offset = AREA_OFF;
	e->info.map_size = WIN;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct plat_desc *d;

	assert_non_null(e);
	snprintf(e->path, sizeof(e->path), "/tmp/smtsmc-XXXXXX");
	e->fd = mkstemp(e->path);
	assert_true(e->fd >= 0);
	assert_int_equal(ftruncate(e->fd, WIN), 0);
	e->win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	assert_true(e->win != MAP_FAILED);
	d = plat_desc_load("config/platforms/reference.cfg", stderr);
	assert_non_null(d);
	e->plat = plat_new(d);
	plat_desc_free(d);
	assert_non_null(e->plat);
	e->loop = ev_loop_new();
	default_info(e);
	e->ops.ioctl = fake_ioctl;
	e->ops.opaque = e;
	e->cfg.dev_path = e->path;
	e->cfg.timeout_ms = 100;
	e->cfg.poll_us = 500;
	e->cfg.ops = &e->ops;
	*state = e;
	return 0;
}

/* The fake's fd is the one the backend opened: learn it at open time. */
static struct scmi_backend *start(struct env *e)
{
	int probe = open("/dev/null", O_RDONLY);

	/* the backend gets the lowest free descriptor: this one, once closed */
	assert_true(probe >= 0);
	e->fd = probe;
	close(probe);
	e->b = smt_smc_backend_new(e->loop, &e->cfg);
	if (e->b) {
		e->b->rx = on_rx;
		e->b->rx_opaque = e;
	}
	return e->b;
}

static int teardown(void **state)
{
	struct env *e = *state;

	scmi_backend_destroy(e->b);
	ev_loop_free(e->loop);
	plat_free(e->plat);
	munmap(e->win, WIN);
	unlink(e->path);
	free(e);
	return 0;
}

static void run_until(struct env *e, unsigned want)
{
	uint64_t end = ev_now_ns() + 5000000000ull;

	while (e->nrx < want) {
		assert_true(ev_now_ns() < end);
		ev_loop_run_once(e->loop, 1);
		firmware_step(e);
	}
}

static uint32_t send_cmd(struct env *e, uint8_t msg, uint16_t token)
{
	uint8_t m[4];
	uint32_t hdr = scmi_hdr(SCMI_PROTO_BASE, msg, SCMI_MSG_COMMAND, token);

	scmi_put_le32(m, hdr);
	assert_int_equal(scmi_backend_send(e->b, 0, m, 4, 128), 0);
	return hdr;
}

static int32_t rx_status(struct env *e, unsigned i)
{
	return (int32_t)scmi_get_le32(e->rx[i] + 4);
}

static void test_commands_queue_and_complete(void **state)
{
	struct env *e = *state;
	uint32_t h[3];

	assert_non_null(start(e));
	assert_int_equal(e->b->nchannels, 1);
	assert_int_equal(e->b->ops->max_inflight(e->b, 0), 1);
	assert_int_equal(e->b->max_msg, smt_msg_cap(AREA_SIZE));
	h[0] = send_cmd(e, SCMI_PROTOCOL_VERSION, 1);
	h[1] = send_cmd(e, SCMI_PROTOCOL_ATTRIBUTES, 2);
	h[2] = send_cmd(e, SCMI_BASE_DISCOVER_VENDOR, 3);
	/* the first call happened in send; its reply waits for the loop */
	assert_int_equal(e->calls, 1);
	assert_int_equal(e->nrx, 0);
	run_until(e, 3);
	assert_int_equal(e->calls, 3);
	assert_int_equal(e->protocol_errors, 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(scmi_get_le32(e->rx[i]), h[i]);
		assert_int_equal(rx_status(e, i), SCMI_SUCCESS);
	}
	assert_int_equal(e->rx_len[0], 12);
	assert_int_equal(scmi_get_le32(e->rx[0] + 8) >> 16, 2);    /* BASE v2.x */
	assert_true(e->rx_len[2] == 24);                          /* vendor string */
	assert_int_equal(e->b->stats.sent, 3);
	assert_int_equal(e->b->stats.replies, 3);
	assert_int_equal(e->b->stats.errors + e->b->stats.malformed + e->b->stats.timeouts, 0);
}

/* Each fault gives that command COMMS_ERROR and the right counter; the
 * next command still succeeds. */
static void test_faults(void **state)
{
	struct env *e = *state;
	static const struct { enum fault f; size_t counter; } cases[] = {
		{ F_CORRUPT, offsetof(struct scmi_backend_stats, malformed) },
		{ F_OVERSIZE, offsetof(struct scmi_backend_stats, malformed) },
		{ F_ERROR, offsetof(struct scmi_backend_stats, errors) },
		{ F_NOTSUPP, offsetof(struct scmi_backend_stats, errors) },
		{ F_EIO, offsetof(struct scmi_backend_stats, errors) },
	};

	assert_non_null(start(e));
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t *ctr = (uint64_t *)((uint8_t *)&e->b->stats + cases[i].counter);
		uint64_t before = *ctr;
		unsigned n = e->nrx;
		uint32_t bad, good;

		e->fault = cases[i].f;
		e->fault_n = 1;
		bad = send_cmd(e, SCMI_PROTOCOL_VERSION, (uint16_t)(10 + 2 * i));
		good = send_cmd(e, SCMI_PROTOCOL_VERSION, (uint16_t)(11 + 2 * i));
		run_until(e, n + 2);
		assert_int_equal(scmi_get_le32(e->rx[n]), bad);
		assert_int_equal(e->rx_len[n], 8);
		assert_int_equal(rx_status(e, n), SCMI_COMMS_ERROR);
		assert_int_equal(*ctr, before + 1);
		assert_int_equal(scmi_get_le32(e->rx[n + 1]), good);
		assert_int_equal(rx_status(e, n + 1), SCMI_SUCCESS);
	}
	assert_int_equal(e->b->stats.malformed, 2);
	assert_int_equal(e->b->stats.errors, 3);
	assert_int_equal(e->b->stats.replies, 5);
	assert_int_equal(e->b->stats.timeouts, 0);
}

/* The firmware finishes after the call returned: the area is polled. */
static void test_late_completion(void **state)
{
	struct env *e = *state;
	uint32_t h;

	assert_non_null(start(e));
	e->fault = F_LATE;
	e->fault_n = 1;
	h = send_cmd(e, SCMI_PROTOCOL_VERSION, 7);
	run_until(e, 1);
	assert_int_equal(scmi_get_le32(e->rx[0]), h);
	assert_int_equal(rx_status(e, 0), SCMI_SUCCESS);
	assert_int_equal(e->b->stats.replies, 1);
	assert_int_equal(e->b->stats.timeouts, 0);
}

/* No reply: COMMS_ERROR at the deadline; the queued command goes once the
 * channel is taken back. */
static void test_timeout(void **state)
{
	struct env *e = *state;
	uint64_t t0 = ev_now_ns();
	uint32_t h1, h2;

	assert_non_null(start(e));
	e->fault = F_NOREPLY;
	e->fault_n = 1;
	h1 = send_cmd(e, SCMI_PROTOCOL_VERSION, 1);
	h2 = send_cmd(e, SCMI_PROTOCOL_VERSION, 2);
	run_until(e, 1);
	assert_true(ev_now_ns() - t0 >= 100000000ull);
	assert_int_equal(scmi_get_le32(e->rx[0]), h1);
	assert_int_equal(rx_status(e, 0), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.timeouts, 1);
	assert_int_equal(e->calls, 1);
	run_until(e, 2);
	assert_int_equal(scmi_get_le32(e->rx[1]), h2);
	assert_int_equal(rx_status(e, 1), SCMI_SUCCESS);
	assert_int_equal(e->calls, 2);
}

static void test_bad_descriptions(void **state)
{
	struct env *e = *state;

	e->info.version = 2;
	assert_null(start(e));
	default_info(e);
	e->info.shmem_size = 0x10;
	assert_null(start(e));
	default_info(e);
	e->info.map_offset = WIN - 0x40;     /* area beyond the window */
	assert_null(start(e));
	default_info(e);
	e->info.map_size = WIN + 0x10;       /* not whole pages */
	assert_null(start(e));
	default_info(e);
	e->info.map_size = SCMI_SMC_MAP_MAX + 0x1000;
	assert_null(start(e));
	default_info(e);
	e->cfg.dev_path = "/nonexistent/scmi-smc";
	assert_null(start(e));
	e->cfg.dev_path = e->path;
	assert_non_null(start(e));
}

static const char *compile_dts(const char *name, char *out, size_t cap)
{
	char cmd[300];

	snprintf(out, cap, "/tmp/smtsmc-%d-%s.dtb", (int)getpid(), name);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' tests/data/dt/%s.dts", out,
		 name);
	assert_int_equal(system(cmd), 0);
	return out;
}

/* The host DT's arm,scmi-smc node must be what the module serves. */
static void test_dt_expectations(void **state)
{
	struct env *e = *state;
	struct host_dt *dt = malloc(sizeof(*dt));
	char dtb[128], err[256];

	assert_non_null(dt);
	assert_int_equal(host_dt_load(compile_dts("smc", dtb, sizeof(dtb)), dt, stderr), 0);
	unlink(dtb);
	assert_int_equal(smc_cfg_from_dt(&dt->node[0], &e->cfg, err, sizeof(err)), 0);
	assert_true(e->cfg.check);
	assert_int_equal(e->cfg.want_phys, 0x2201f000);
	assert_int_equal(e->cfg.want_size, 0x80);
	assert_int_equal(e->cfg.want_smc_id, 0xc20000fe);
	assert_false(e->cfg.want_param);
	/* the fake module serves another address: refused */
	assert_null(start(e));
	e->info.shmem_phys = 0x2201f000;
	e->info.smc_id = 0xc20000ff;
	assert_null(start(e));
	e->info.smc_id = 0xc20000fe;
	assert_non_null(start(e));
	send_cmd(e, SCMI_PROTOCOL_VERSION, 5);
	run_until(e, 1);
	assert_int_equal(rx_status(e, 0), SCMI_SUCCESS);
	free(dt);
}

static void test_dt_not_smc(void **state)
{
	struct host_dt *dt = malloc(sizeof(*dt));
	struct smc_cfg cfg = { 0 };
	char dtb[128], err[256];

	assert_non_null(dt);
	assert_int_equal(host_dt_load(compile_dts("juno", dtb, sizeof(dtb)), dt, stderr), 0);
	unlink(dtb);
	assert_int_equal(smc_cfg_from_dt(&dt->node[0], &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a usable SMC SCMI node"));
	assert_false(cfg.check);
	free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commands_queue_and_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_completion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_descriptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dt_expectations, setup, teardown),
		cmocka_unit_test(test_dt_not_smc),
	};

	log_set_level(LOG_LVL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
