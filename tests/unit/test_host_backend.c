// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform = "auto" / "mailbox" / "smc" selection from the host device tree
 * (backends/host_backend.c) over tests/data/dt/{smc,mixed,juno}.dts: auto
 * takes arm,scmi-smc(-param) nodes through the smc backend (a test double
 * of /dev/scmi-smc answering BASE PROTOCOL_VERSION over the mapped area),
 * skips nodes it cannot use with their reason, and refuses a module that
 * serves another channel than the tree describes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/host_backend.h"
#include "backends/smc/scmi_smc_uapi.h"
#include "backends/smt/smt.h"
#include "backends/smt_smc.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

#define WIN 0x1000u

struct env {
	char dev[64], dtb[96];
	int fd;
	uint8_t *win;
	struct scmi_smc_info info;
	struct smc_dev_ops ops;
	struct ev_loop *loop;
	unsigned calls, nrx;
	uint8_t rx[SCMI_MSG_MAX];
	size_t rx_len;
};

/* A firmware that answers every command with SUCCESS + 0x00020001. */
static int fake_ioctl(void *opaque, int fd, unsigned long req, void *arg)
{
	struct env *e = opaque;
	volatile uint8_t *a = e->win + e->info.map_offset;

	if (req == SCMI_SMC_IOC_INFO) {
		memcpy(arg, &e->info, sizeof(e->info));
		return 0;
	}
	if (req != SCMI_SMC_IOC_CALL) {
		errno = ENOTTY;
		return -1;
	}
	e->calls++;
	((struct scmi_smc_call *)arg)->a0 = 0;
	smt_wr32(a, SMT_OFF_LENGTH, 12);
	smt_wr32(a, SMT_OFF_MSG + 4, SCMI_SUCCESS);
	smt_wr32(a, SMT_OFF_MSG + 8, 0x20001);
	smt_wr32(a, SMT_OFF_STATUS, SMT_STATUS_FREE);
	return 0;
}

static void on_rx(void *o, unsigned chan, const uint8_t *m, size_t len)
{
	struct env *e = o;

	memcpy(e->rx, m, len);
	e->rx_len = len;
	e->nrx++;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	snprintf(e->dev, sizeof(e->dev), "/tmp/hostbe-XXXXXX");
	e->fd = mkstemp(e->dev);
	assert_true(e->fd >= 0);
	assert_int_equal(ftruncate(e->fd, WIN), 0);
	e->win = mmap(NULL, WIN, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	assert_true(e->win != MAP_FAILED);
	e->info.version = SCMI_SMC_UAPI_VERSION;
	e->info.map_size = WIN;
	e->ops.ioctl = fake_ioctl;
	e->ops.opaque = e;
	e->loop = ev_loop_new();
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	ev_loop_free(e->loop);
	munmap(e->win, WIN);
	close(e->fd);
	unlink(e->dev);
	if (e->dtb[0])
		unlink(e->dtb);
	free(e);
	return 0;
}

static const char *compile(struct env *e, const char *name)
{
	char cmd[300];

	snprintf(e->dtb, sizeof(e->dtb), "/tmp/hostbe-%d-%s.dtb", (int)getpid(), name);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' tests/data/dt/%s.dts", e->dtb,
		 name);
	assert_int_equal(system(cmd), 0);
	return e->dtb;
}

static struct scmi_backend *select_backend(struct env *e, const char *kind, const char *dts,
					   char *why, size_t whylen)
{
	struct host_backend_cfg c = {
		.kind = kind, .dtb = compile(e, dts), .mem_path = "/nonexistent/mem",
		.smc_dev = e->dev, .timeout_ms = 100, .smc_ops = &e->ops,
	};

	return host_backend_new(e->loop, &c, stderr, why, whylen);
}

static void roundtrip(struct env *e, struct scmi_backend *b)
{
	uint32_t hdr = scmi_hdr(SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, SCMI_MSG_COMMAND, 9);
	uint64_t end = ev_now_ns() + 5000000000ull;
	uint8_t m[4];

	b->rx = on_rx;
	b->rx_opaque = e;
	scmi_put_le32(m, hdr);
	assert_int_equal(scmi_backend_send(b, 0, m, 4, 64), 0);
	while (!e->nrx) {
		assert_true(ev_now_ns() < end);
		ev_loop_run_once(e->loop, 1);
	}
	assert_int_equal(e->calls, 1);
	assert_int_equal(e->rx_len, 12);
	assert_int_equal(scmi_get_le32(e->rx), hdr);
	assert_int_equal(scmi_get_le32(e->rx + 8), 0x20001);
}

/* smc.dts: the only node is arm,scmi-smc: auto takes it. */
static void test_auto_smc(void **state)
{
	struct env *e = *state;
	struct scmi_backend *b;
	char why[256];

	e->info.shmem_phys = 0x2201f000;
	e->info.shmem_size = 0x80;
	e->info.smc_id = 0xc20000fe;
	b = select_backend(e, "auto", "smc", why, sizeof(why));
	assert_non_null(b);
	assert_string_equal(b->ops->name, "smc");
	roundtrip(e, b);
	scmi_backend_destroy(b);
}

/* mixed.dts: virtio and an unsupported mailbox are skipped, the
 * arm,scmi-smc-param node is taken (the module must say param mode). */
static void test_auto_mixed(void **state)
{
	struct env *e = *state;
	struct scmi_backend *b;
	char why[256];

	e->info.shmem_phys = 0x30001000;
	e->info.shmem_size = 0x100;
	e->info.smc_id = 0x82000010;
	e->info.map_offset = 0;
	/* the module serves the area without param mode: refused */
	b = select_backend(e, "auto", "mixed", why, sizeof(why));
	assert_null(b);
	assert_non_null(strstr(why, "/firmware/scmi-smc"));
	assert_non_null(strstr(why, "does not serve its channel"));
	e->info.flags = SCMI_SMC_F_PARAM;
	b = select_backend(e, "auto", "mixed", why, sizeof(why));
	assert_non_null(b);
	assert_string_equal(b->ops->name, "smc");
	roundtrip(e, b);
	scmi_backend_destroy(b);
}

/* Each kind takes its own transport only. */
static void test_kinds(void **state)
{
	struct env *e = *state;
	char why[256];

	e->info.shmem_phys = 0x2201f000;
	e->info.shmem_size = 0x80;
	e->info.smc_id = 0xc20000fe;
	assert_null(select_backend(e, "mailbox", "smc", why, sizeof(why)));
	assert_non_null(strstr(why, "smc transport, not taken by platform \"mailbox\""));
	assert_null(select_backend(e, "smc", "juno", why, sizeof(why)));
	assert_non_null(strstr(why, "mailbox transport, not taken by platform \"smc\""));
	/* juno's MHU doorbell is supported, but /nonexistent/mem is not there */
	assert_null(select_backend(e, "auto", "juno", why, sizeof(why)));
	assert_non_null(strstr(why, "cannot map its channel through /nonexistent/mem"));
	assert_int_equal(e->calls, 0);
}

static void test_no_tree(void **state)
{
	struct env *e = *state;
	struct host_backend_cfg c = {
		.kind = "auto", .dtb = "/nonexistent/host.dtb", .smc_dev = e->dev,
		.timeout_ms = 100, .smc_ops = &e->ops,
	};
	char why[256];

	assert_null(host_backend_new(e->loop, &c, stderr, why, sizeof(why)));
	assert_non_null(strstr(why, "cannot read the device tree /nonexistent/host.dtb"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auto_smc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_mixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_tree, setup, teardown),
	};

	log_set_level(LOG_LVL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
