// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMT-over-socket backend against scmi-platform running as a child
 * process (BUILD_BIN): commands of several protocols, queueing behind the
 * single SMT slot, a delayed response and a notification through the P2A
 * areas, and every platform fault (latency, dropped reply, corrupted
 * header, error bit, oversized length) giving the right status with the
 * next command still working. The platform's faults are switched through
 * its stdin; it acknowledges each change on stdout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/smt_socket.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "mediator/scmi_proto.h"

#define TIMEOUT_MS 300

struct chan_rx {
	unsigned nresp, np2a;
	uint8_t resp[64][SCMI_MSG_MAX];
	size_t resp_len[64];
	uint8_t p2a[SCMI_MSG_MAX];
	size_t p2a_len;
};

struct env {
	struct ev_loop *loop;
	struct scmi_backend *b;
	pid_t pid;
	int ctl, ack;
	char dir[64], sock[96];
	struct chan_rx rx[2];
	uint16_t token;
};

static void on_rx(void *opaque, unsigned chan, const uint8_t *msg, size_t len)
{
	struct env *e = opaque;
	struct chan_rx *r;

	assert_true(chan < 2);
	assert_true(len >= 4 && len <= SCMI_MSG_MAX);
	r = &e->rx[chan];
	if (scmi_hdr_type(scmi_get_le32(msg)) == SCMI_MSG_COMMAND) {
		assert_true(r->nresp < 64);
		memcpy(r->resp[r->nresp], msg, len);
		r->resp_len[r->nresp++] = len;
	} else {
		memcpy(r->p2a, msg, len);
		r->p2a_len = len;
		r->np2a++;
	}
}

static pid_t spawn_platform(const char *sock, int *ctl, int *ack)
{
	const char *bin = getenv("BUILD_BIN");
	char path[512];
	int in[2], out[2];
	pid_t pid;

	assert_non_null(bin);
	snprintf(path, sizeof(path), "%s/scmi-platform", bin);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, "--socket", sock, "--config", "tests/data/smt/platform.cfg",
		      "--log-level", "error", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	*ctl = in[1];
	*ack = out[0];
	return pid;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	snprintf(e->dir, sizeof(e->dir), "/tmp/smtsock-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->sock, sizeof(e->sock), "%s/platform.sock", e->dir);
	e->pid = spawn_platform(e->sock, &e->ctl, &e->ack);
	e->loop = ev_loop_new();
	assert_non_null(e->loop);
	e->b = smt_socket_backend_new(e->loop, e->sock, 10000, TIMEOUT_MS);
	assert_non_null(e->b);
	assert_int_equal(e->b->nchannels, 2);
	assert_int_equal(e->b->ops->max_inflight(e->b, 0), 1);
	e->b->rx = on_rx;
	e->b->rx_opaque = e;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	int st;

	scmi_backend_destroy(e->b);
	ev_loop_free(e->loop);
	if (e->pid > 0) {
		kill(e->pid, SIGTERM);
		waitpid(e->pid, &st, 0);
	}
	close(e->ctl);
	close(e->ack);
	unlink(e->sock);
	rmdir(e->dir);
	free(e);
	return 0;
}

/* Send a control line and wait for the platform's acknowledgement. */
static void control(struct env *e, const char *line)
{
	struct pollfd p = { .fd = e->ack, .events = POLLIN };
	char c = 0;

	assert_int_equal(write(e->ctl, line, strlen(line)), (ssize_t)strlen(line));
	while (c != '\n') {
		assert_int_equal(poll(&p, 1, 10000), 1);
		assert_int_equal(read(e->ack, &c, 1), 1);
	}
}

static uint32_t cmd(struct env *e, unsigned chan, uint8_t proto, uint8_t id,
		    const uint32_t *args, unsigned n)
{
	uint8_t m[64];
	uint32_t hdr = scmi_hdr(proto, id, SCMI_MSG_COMMAND, (uint16_t)(++e->token & 0x3ff));
	unsigned i;

	scmi_put_le32(m, hdr);
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	assert_int_equal(scmi_backend_send(e->b, chan, m, 4 + 4 * n, SCMI_MSG_MAX), 0);
	return hdr;
}

/* Run the loop until *counter reaches want (bounded: a hang fails). */
static void run_until(struct env *e, const unsigned *counter, unsigned want)
{
	uint64_t end = ev_now_ns() + 20000000000ull;

	while (*counter < want) {
		assert_true(ev_now_ns() < end);
		ev_loop_run_once(e->loop, 50);
	}
}

/* The response number idx on chan: its header and status. */
static int32_t status_of(struct env *e, unsigned chan, unsigned idx, uint32_t hdr)
{
	assert_true(e->rx[chan].resp_len[idx] >= 8);
	assert_int_equal(scmi_get_le32(e->rx[chan].resp[idx]), hdr);
	return (int32_t)scmi_get_le32(e->rx[chan].resp[idx] + 4);
}

static int32_t roundtrip(struct env *e, unsigned chan, uint8_t proto, uint8_t id,
			 const uint32_t *args, unsigned n)
{
	unsigned before = e->rx[chan].nresp;
	uint32_t hdr = cmd(e, chan, proto, id, args, n);

	run_until(e, &e->rx[chan].nresp, before + 1);
	return status_of(e, chan, before, hdr);
}

static void test_protocols(void **state)
{
	struct env *e = *state;
	uint32_t zero = 0;
	unsigned c;

	for (c = 0; c < 2; c++) {
		assert_int_equal(roundtrip(e, c, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0),
				 SCMI_SUCCESS);
		assert_int_equal(e->rx[c].resp_len[e->rx[c].nresp - 1], 12);
		assert_int_equal(roundtrip(e, c, SCMI_PROTO_POWER, SCMI_PROTOCOL_ATTRIBUTES,
					   NULL, 0), SCMI_SUCCESS);
		assert_int_equal(roundtrip(e, c, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, &zero,
					   1), SCMI_SUCCESS);
		assert_int_equal(roundtrip(e, c, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET,
					   &zero, 1), SCMI_SUCCESS);
		/* a bad clock id is the platform's answer, not a transport error */
		zero = 7;
		assert_int_equal(roundtrip(e, c, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, &zero,
					   1), SCMI_NOT_FOUND);
		zero = 0;
	}
	assert_int_equal(e->b->stats.replies, 10);
	assert_int_equal(e->b->stats.sent, 10);
	assert_int_equal(e->b->stats.malformed + e->b->stats.errors + e->b->stats.timeouts, 0);
}

static void test_queue_behind_slot(void **state)
{
	struct env *e = *state;
	uint32_t hdr[8];
	unsigned i;

	for (i = 0; i < 8; i++)
		hdr[i] = cmd(e, 0, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0);
	run_until(e, &e->rx[0].nresp, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(status_of(e, 0, i, hdr[i]), SCMI_SUCCESS);
}

static void test_delayed_response(void **state)
{
	struct env *e = *state;
	uint32_t set[4] = { SCMI_CLOCK_SET_ASYNC, 0, 200000000, 0 };
	uint32_t hdr = cmd(e, 1, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, set, 4);

	run_until(e, &e->rx[1].nresp, 1);
	assert_int_equal(status_of(e, 1, 0, hdr), SCMI_SUCCESS);
	run_until(e, &e->rx[1].np2a, 1);
	assert_int_equal(scmi_get_le32(e->rx[1].p2a), scmi_hdr_set_type(hdr,
								  SCMI_MSG_DELAYED_RESP));
	assert_true(e->rx[1].p2a_len >= 16);
	assert_int_equal((int32_t)scmi_get_le32(e->rx[1].p2a + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(e->rx[1].p2a + 8), 0);          /* clock id */
	assert_int_equal(scmi_get_le32(e->rx[1].p2a + 12), 200000000);
	assert_int_equal(e->b->stats.delayed, 1);
	assert_int_equal(e->rx[0].np2a, 0);
}

static void test_notification(void **state)
{
	struct env *e = *state;
	uint32_t notify[2] = { 0, 1 }, set[3] = { SCMI_POWER_SET_ASYNC, 0, SCMI_POWER_STATE_ON };

	assert_int_equal(roundtrip(e, 0, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, notify, 2),
			 SCMI_SUCCESS);
	assert_int_equal(roundtrip(e, 1, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, set, 3),
			 SCMI_SUCCESS);
	run_until(e, &e->rx[0].np2a, 1);
	assert_int_equal(scmi_get_le32(e->rx[0].p2a) & ~SCMI_HDR_TOKEN_MASK,
			 scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGED,
				  SCMI_MSG_NOTIFICATION, 0));
	assert_int_equal(scmi_get_le32(e->rx[0].p2a + 12), SCMI_POWER_STATE_ON);
	assert_int_equal(e->b->stats.notifications, 1);
	assert_int_equal(e->rx[1].np2a, 0);
}

/* One fault: the faulted command gets `want`, then the channel works. */
static void fault_then_ok(struct env *e, const char *line, int32_t want)
{
	unsigned n = e->rx[0].nresp;

	control(e, line);
	assert_int_equal(roundtrip(e, 0, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0), want);
	control(e, "clear\n");
	assert_int_equal(roundtrip(e, 0, SCMI_PROTO_POWER, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0),
			 SCMI_SUCCESS);
	assert_int_equal(e->rx[0].nresp, n + 2);
}

static void test_faults(void **state)
{
	struct env *e = *state;
	enum log_level lvl = log_get_level();

	log_set_level(LOG_LVL_ERROR);
	fault_then_ok(e, "latency 20\n", SCMI_SUCCESS);
	assert_int_equal(e->b->stats.timeouts, 0);

	fault_then_ok(e, "latency 700\n", SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.timeouts, 1);
	/* (late replies being discarded is covered by tests/unit/test_smt.c) */

	fault_then_ok(e, "drop 1\n", SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.timeouts, 2);

	fault_then_ok(e, "corrupt 1\n", SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.malformed, 1);

	fault_then_ok(e, "error 1\n", SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.errors, 1);

	fault_then_ok(e, "oversize 1\n", SCMI_COMMS_ERROR);
	assert_int_equal(e->b->stats.malformed, 2);

	/* the other channel never noticed */
	assert_int_equal(roundtrip(e, 1, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0),
			 SCMI_SUCCESS);
	log_set_level(lvl);
}

static void test_platform_gone(void **state)
{
	struct env *e = *state;
	enum log_level lvl = log_get_level();
	int st;

	assert_int_equal(roundtrip(e, 0, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0),
			 SCMI_SUCCESS);
	kill(e->pid, SIGKILL);
	waitpid(e->pid, &st, 0);
	e->pid = -1;
	log_set_level(LOG_LVL_ERROR);
	/* whether the loss is seen before or after the send: COMMS_ERROR */
	assert_int_equal(roundtrip(e, 0, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0),
			 SCMI_COMMS_ERROR);
	assert_int_equal(roundtrip(e, 1, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0),
			 SCMI_COMMS_ERROR);
	log_set_level(lvl);
}

/* A hostile platform: one connection, one hello, then it waits for EOF. */
static pid_t bad_platform(const char *path, uint32_t magic, uint32_t nchan, uint32_t area,
			  size_t memsize, bool seal)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	assert_true(l >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct smts_hello h = { htole32(magic), htole32(SMTS_VERSION), htole32(nchan),
					htole32(area) };
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
		int c = accept(l, NULL, NULL), mfd = memfd_create("bad", MFD_ALLOW_SEALING);
		char b;

		if (c < 0 || mfd < 0 || ftruncate(mfd, (off_t)memsize))
			_exit(1);
		if (seal && fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))
			_exit(1);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &mfd, sizeof(int));
		if (sendmsg(c, &m, 0) != (ssize_t)sizeof(h))
			_exit(1);
		while (read(c, &b, 1) > 0)
			;
		_exit(0);
	}
	close(l);
	return pid;
}

static void test_hostile_hello(void **state)
{
	const struct {
		uint32_t magic, nchan, area;
		size_t mem;
		bool seal;
	} cases[] = {
		{ SMTS_MAGIC, 2, 256, 1024, false },      /* not sealed */
		{ 0x12345678, 2, 256, 1024, true },       /* magic */
		{ SMTS_MAGIC, 2, 256, 1000, true },       /* memory too small */
		{ SMTS_MAGIC, 0, 256, 1024, true },       /* no channels */
		{ SMTS_MAGIC, 200, 256, 1 << 20, true },  /* too many channels */
		{ SMTS_MAGIC, 1, 16, 1024, true },        /* area too small */
		{ SMTS_MAGIC, 1, 8192, 1 << 20, true },   /* area too large */
		{ SMTS_MAGIC, 2, 256, 1024, true },       /* fine */
	};
	char dir[64] = "/tmp/smtbad-XXXXXX", path[96];
	struct ev_loop *loop = ev_loop_new();
	enum log_level lvl = log_get_level();
	unsigned i;

	assert_non_null(loop);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.sock", dir);
	log_set_level(LOG_LVL_ERROR);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t pid = bad_platform(path, cases[i].magic, cases[i].nchan, cases[i].area,
					 cases[i].mem, cases[i].seal);
		struct scmi_backend *b;
		FILE *devnull = fopen("/dev/null", "w");
		int st;

		assert_non_null(devnull);
		if (i + 1 < sizeof(cases) / sizeof(cases[0]))
			log_set_stream(devnull);          /* expected refusals */
		b = smt_socket_backend_new(loop, path, 5000, TIMEOUT_MS);
		log_set_stream(stderr);
		fclose(devnull);
		if (i + 1 < sizeof(cases) / sizeof(cases[0])) {
			assert_null(b);
		} else {
			assert_non_null(b);
			assert_int_equal(b->nchannels, 2);
			assert_int_equal(b->max_msg, 256 - 0x18);
			scmi_backend_destroy(b);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	log_set_level(lvl);
	unlink(path);
	rmdir(dir);
	ev_loop_free(loop);
}

static int run_cmd(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool wait_path(const char *path)
{
	for (int i = 0; i < 1000; i++) {
		if (!access(path, F_OK))
			return true;
		usleep(10000);
	}
	return false;
}

/* The whole chain: scmictl as a guest -> scmi-mediator (platform =
 * "smt-socket") -> scmi-platform, both real processes. */
static void test_daemon(void **state)
{
	const char *bin = getenv("BUILD_BIN");
	char dir[64] = "/tmp/smtd-XXXXXX", sock[128], cfg[128], gs[128], ctl[128], log[128];
	char cmd[1024], out[4096];
	int ctlfd, ackfd, st;
	pid_t plat, med;
	FILE *f;

	assert_non_null(bin);
	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/platform.sock", dir);
	snprintf(cfg, sizeof(cfg), "%s/mediator.cfg", dir);
	snprintf(gs, sizeof(gs), "%s/g1.sock", dir);
	snprintf(ctl, sizeof(ctl), "%s/ctl.sock", dir);
	snprintf(log, sizeof(log), "%s/mediator.log", dir);
	plat = spawn_platform(sock, &ctlfd, &ackfd);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "platform = \"smt-socket\"\nplatform_socket = \"platform.sock\"\n"
		"control_socket = \"ctl.sock\"\nreply_timeout_ms = 2000\n"
		"guests = [ \"name=g1,socket=g1.sock,agent_id=1\" ]\n");
	fclose(f);
	med = fork();
	assert_true(med >= 0);
	if (!med) {
		snprintf(cmd, sizeof(cmd), "%s/scmi-mediator", bin);
		if (!freopen(log, "w", stdout) || dup2(1, 2) < 0)
			_exit(126);
		execl(cmd, cmd, "-c", cfg, (char *)NULL);
		_exit(127);
	}
	assert_true(wait_path(gs));
	assert_true(wait_path(ctl));
	snprintf(cmd, sizeof(cmd), "%s/scmictl agent %s base info", bin, gs);
	assert_int_equal(run_cmd(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "SmtTest"));
	snprintf(cmd, sizeof(cmd), "%s/scmictl agent %s clock rate_get 0", bin, gs);
	assert_int_equal(run_cmd(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "400000000"));
	snprintf(cmd, sizeof(cmd), "%s/scmictl --ctl %s status --json", bin, ctl);
	assert_int_equal(run_cmd(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"name\":\"smt-socket\""));
	assert_null(strstr(out, "\"replies\":0,"));
	kill(med, SIGTERM);
	assert_int_equal(waitpid(med, &st, 0), med);
	kill(plat, SIGTERM);
	assert_int_equal(waitpid(plat, &st, 0), plat);
	close(ctlfd);
	close(ackfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocols, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_behind_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delayed_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_gone, setup, teardown),
		cmocka_unit_test(test_hostile_hello),
		cmocka_unit_test(test_daemon),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
