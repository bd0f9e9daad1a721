// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mailbox backend (backends/smt_mailbox.c) with a plain file standing in
 * for /dev/mem: two channels whose SMT areas and MHU-style set register
 * (one bit per channel) live in the file. The test plays the platform
 * from its own loop: it watches the set register, clears the bit, answers
 * in the area and sets FREE; the backend notices by polling.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "backends/host_dt.h"
#include "backends/smt/smt.h"
#include "backends/smt_mailbox.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

#define MEM_SIZE 0x3000u
#define BELL 0x2008u

struct env {
	char path[64];
	int fd;
	uint8_t *mem;                 /* the platform's view */
	struct ev_loop *loop;
	struct scmi_backend *b;
	struct smb_cfg cfg;
	bool answer;
	unsigned nrx, nbells;
	uint8_t rx[8][SCMI_MSG_MAX];
	size_t rx_len[8];
	unsigned rx_chan[8];
};

static void on_rx(void *o, unsigned chan, const uint8_t *m, size_t len)
{
	struct env *e = o;

	assert_true(e->nrx < 8);
	memcpy(e->rx[e->nrx], m, len);
	e->rx_chan[e->nrx] = chan;
	e->rx_len[e->nrx++] = len;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	unsigned i;

	assert_non_null(e);
	snprintf(e->path, sizeof(e->path), "/tmp/smtmbox-XXXXXX");
	e->fd = mkstemp(e->path);
	assert_true(e->fd >= 0);
	assert_int_equal(ftruncate(e->fd, MEM_SIZE), 0);
	e->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
	assert_true(e->mem != MAP_FAILED);
	e->cfg.mem_path = e->path;
	e->cfg.nchan = 2;
	e->cfg.timeout_ms = 100;
	e->cfg.poll_us = 200;
	for (i = 0; i < 2; i++) {
		e->cfg.ch[i].a2p_addr = 0x1000 + 0x200 * i;
		e->cfg.ch[i].a2p_size = 0x80;
		e->cfg.ch[i].p2a_addr = 0x1100 + 0x200 * i;
		e->cfg.ch[i].p2a_size = 0x80;
		e->cfg.ch[i].bell_addr = BELL;
		e->cfg.ch[i].bell_bits = 1u << i;
		smt_wr32(e->mem + e->cfg.ch[i].p2a_addr, SMT_OFF_STATUS, SMT_STATUS_FREE);
	}
	e->loop = ev_loop_new();
	e->b = smt_mailbox_backend_new(e->loop, &e->cfg);
	assert_non_null(e->b);
	e->b->rx = on_rx;
	e->b->rx_opaque = e;
	e->answer = true;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	scmi_backend_destroy(e->b);
	ev_loop_free(e->loop);
	munmap(e->mem, MEM_SIZE);
	close(e->fd);
	unlink(e->path);
	free(e);
	return 0;
}

/* The fake platform: look at the set register, answer rung channels. */
static void platform_step(struct env *e)
{
	uint32_t set = smt_rd32(e->mem, BELL);
	unsigned c;

	for (c = 0; c < 2; c++) {
		volatile uint8_t *a = e->mem + e->cfg.ch[c].a2p_addr;
		uint32_t hdr;

		if (!(set & (1u << c)))
			continue;
		e->nbells++;
		smt_wr32(e->mem, BELL, smt_rd32(e->mem, BELL) & ~(1u << c));
		if (!e->answer)
			continue;
		hdr = smt_rd32(a, SMT_OFF_MSG);
		smt_wr32(a, SMT_OFF_LENGTH, 12);
		smt_wr32(a, SMT_OFF_MSG + 4, SCMI_SUCCESS);
		smt_wr32(a, SMT_OFF_MSG + 8, 0xc0de0000u | c);
		smt_wr32(a, SMT_OFF_MSG, hdr);
		smt_wr32(a, SMT_OFF_STATUS, SMT_STATUS_FREE);
	}
}

static void run_until(struct env *e, unsigned want)
{
	uint64_t end = ev_now_ns() + 10000000000ull;

	while (e->nrx < want) {
		assert_true(ev_now_ns() < end);
		ev_loop_run_once(e->loop, 1);
		platform_step(e);
	}
}

static uint32_t send_cmd(struct env *e, unsigned chan, uint16_t token)
{
	uint8_t m[4];
	uint32_t hdr = scmi_hdr(SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, SCMI_MSG_COMMAND, token);

	scmi_put_le32(m, hdr);
	assert_int_equal(scmi_backend_send(e->b, chan, m, 4, 64), 0);
	return hdr;
}

static void test_commands(void **state)
{
	struct env *e = *state;
	uint32_t h0, h1, h2;

	/* each channel rings its own bit of the shared set register (a file
	 * has no write-1-to-set semantics: the platform takes each ring) */
	h0 = send_cmd(e, 0, 1);
	assert_int_equal(smt_rd32(e->mem, BELL), 1);
	platform_step(e);
	h1 = send_cmd(e, 1, 2);
	assert_int_equal(smt_rd32(e->mem, BELL), 2);
	platform_step(e);
	h2 = send_cmd(e, 0, 3);
	run_until(e, 3);
	assert_int_equal(scmi_get_le32(e->rx[0]) == h0 || scmi_get_le32(e->rx[0]) == h1, 1);
	for (unsigned i = 0; i < 3; i++) {
		uint32_t h = scmi_get_le32(e->rx[i]);

		assert_int_equal(e->rx_len[i], 12);
		assert_int_equal(scmi_get_le32(e->rx[i] + 4), SCMI_SUCCESS);
		assert_int_equal(scmi_get_le32(e->rx[i] + 8), 0xc0de0000u | e->rx_chan[i]);
		assert_int_equal(e->rx_chan[i], h == h1 ? 1 : 0);
		assert_true(h == h0 || h == h1 || h == h2);
	}
	assert_int_equal(e->nbells, 3);
	assert_int_equal(e->b->stats.replies, 3);
	assert_int_equal(e->b->ops->max_inflight(e->b, 0), 1);
}

static void test_p2a_polled(void **state)
{
	struct env *e = *state;
	volatile uint8_t *p = e->mem + e->cfg.ch[1].p2a_addr;
	uint32_t n = scmi_hdr(SCMI_PROTO_POWER, 0, SCMI_MSG_NOTIFICATION, 0);

	smt_wr32(p, SMT_OFF_LENGTH, 8);
	smt_wr32(p, SMT_OFF_MSG, n);
	smt_wr32(p, SMT_OFF_MSG + 4, 5);
	smt_wr32(p, SMT_OFF_STATUS, 0);
	run_until(e, 1);
	assert_int_equal(e->rx_chan[0], 1);
	assert_int_equal(scmi_get_le32(e->rx[0]), n);
	assert_int_equal(smt_rd32(p, SMT_OFF_STATUS), SMT_STATUS_FREE);
	assert_int_equal(e->b->stats.notifications, 1);
}

static void test_timeout(void **state)
{
	struct env *e = *state;
	uint32_t h;

	log_set_level(LOG_LVL_ERROR);
	e->answer = false;
	h = send_cmd(e, 0, 7);
	run_until(e, 1);
	assert_int_equal(scmi_get_le32(e->rx[0]), h);
	assert_int_equal((int32_t)scmi_get_le32(e->rx[0] + 4), SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.timeouts, 1);
	/* the channel comes back (taken back after another deadline) */
	e->answer = true;
	h = send_cmd(e, 0, 8);
	run_until(e, 2);
	assert_int_equal(scmi_get_le32(e->rx[1]), h);
	assert_int_equal((int32_t)scmi_get_le32(e->rx[1] + 4), SCMI_SUCCESS);
	log_set_level(LOG_LVL_INFO);
}

/*
 * Completion by interrupt. A pseudo-terminal in raw mode stands in for
 * /dev/uioN: the backend opens the slave; writing a 32-bit word to it
 * (enable the interrupt) arrives at the master, and a 32-bit count
 * written to the master is what the backend's read() returns when "the
 * interrupt fires". Without the interrupt nothing completes: the backend
 * does not poll in this mode.
 */
static uint32_t read_word(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint32_t w;

	assert_int_equal(poll(&p, 1, 5000), 1);
	assert_int_equal(read(fd, &w, sizeof(w)), sizeof(w));
	return w;
}

static void test_irq(void **state)
{
	struct env *e = *state;
	struct smb_cfg c = e->cfg;
	struct termios t;
	uint32_t count = 1;
	uint64_t until;
	uint32_t h;
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	assert_int_equal(tcgetattr(m, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(m, TCSANOW, &t), 0);
	scmi_backend_destroy(e->b);
	/* a deadline far away: only the interrupt can complete in time */
	c.timeout_ms = 20000;
	c.irq_path = ptsname(m);
	assert_non_null(c.irq_path);
	e->b = smt_mailbox_backend_new(e->loop, &c);
	assert_non_null(e->b);
	e->b->rx = on_rx;
	e->b->rx_opaque = e;
	/* the backend enabled the interrupt */
	assert_int_equal(read_word(m), 1);

	h = send_cmd(e, 0, 11);
	/* the A2P area asks the platform for a completion interrupt */
	assert_int_equal(smt_rd32(e->mem + c.ch[0].a2p_addr, SMT_OFF_FLAGS) & SMT_FLAG_INTR,
			 SMT_FLAG_INTR);
	platform_step(e);                       /* answered, FREE set, no interrupt yet */
	until = ev_now_ns() + 30000000ull;
	while (ev_now_ns() < until)
		ev_loop_run_once(e->loop, 5);
	assert_int_equal(e->nrx, 0);

	assert_int_equal(write(m, &count, sizeof(count)), sizeof(count));
	until = ev_now_ns() + 2000000000ull;
	while (e->nrx < 1) {
		assert_true(ev_now_ns() < until);
		ev_loop_run_once(e->loop, 5);
	}
	assert_int_equal(scmi_get_le32(e->rx[0]), h);
	assert_int_equal((int32_t)scmi_get_le32(e->rx[0] + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->rx[0] + 8), 0xc0de0000u);
	/* and re-enabled it after taking the interrupt */
	assert_int_equal(read_word(m), 1);
	assert_int_equal(e->b->stats.timeouts, 0);
	close(m);
}

static void test_bad_config(void **state)
{
	struct env *e = *state;
	struct smb_cfg c = e->cfg;
	struct ev_loop *loop = e->loop;

	FILE *devnull = fopen("/dev/null", "w");

	assert_non_null(devnull);
	log_set_stream(devnull);
	c.mem_path = "/nonexistent/mem";
	assert_null(smt_mailbox_backend_new(loop, &c));
	c = e->cfg;
	c.ch[1].a2p_addr = 0x1002;                  /* misaligned */
	assert_null(smt_mailbox_backend_new(loop, &c));
	c = e->cfg;
	c.ch[0].a2p_size = 8;                       /* smaller than an SMT area */
	assert_null(smt_mailbox_backend_new(loop, &c));
	c = e->cfg;
	c.ch[0].bell_bits = 0;
	assert_null(smt_mailbox_backend_new(loop, &c));
	c = e->cfg;
	c.nchan = SMB_MAX_CHANNELS + 1;
	assert_null(smt_mailbox_backend_new(loop, &c));
	c = e->cfg;
	c.irq_path = "/nonexistent/uio0";
	assert_null(smt_mailbox_backend_new(loop, &c));
	log_set_stream(stderr);
	fclose(devnull);
}

static void test_cfg_from_dt(void **state)
{
	struct host_dt *dt = malloc(sizeof(*dt));
	struct smb_cfg c = { .mem_path = "/dev/mem" };
	char err[256], dir[] = "/tmp/smbdt-XXXXXX", path[64], cmd[200];

	assert_non_null(dt);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/juno.dtb", dir);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s tests/data/dt/juno.dts", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(host_dt_load(path, dt, stderr), 0);
	assert_int_equal(smb_cfg_from_dt(&dt->node[0], &c, err, sizeof(err)), 0);
	assert_int_equal(c.nchan, 1);
	assert_int_equal(c.ch[0].a2p_addr, 0x2e000000);
	assert_int_equal(c.ch[0].a2p_size, 0x80);
	assert_int_equal(c.ch[0].p2a_addr, 0x2e000200);
	assert_int_equal(c.ch[0].bell_addr, 0x2b1f0008);    /* MHU LP channel SET */
	assert_int_equal(c.ch[0].bell_bits, 1);
	assert_string_equal(c.mem_path, "/dev/mem");
	unlink(path);

	snprintf(path, sizeof(path), "%s/smc.dtb", dir);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s tests/data/dt/smc.dts", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(host_dt_load(path, dt, stderr), 0);
	assert_int_equal(smb_cfg_from_dt(&dt->node[0], &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a usable mailbox"));
	unlink(path);

	snprintf(path, sizeof(path), "%s/broken.dtb", dir);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s tests/data/dt/broken.dts", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(host_dt_load(path, dt, stderr), 0);
	assert_int_equal(smb_cfg_from_dt(&dt->node[2], &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "points nowhere"));
	unlink(path);
	rmdir(dir);
	free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_p2a_polled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
		cmocka_unit_test(test_cfg_from_dt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
