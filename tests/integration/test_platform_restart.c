// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two processes: scmi-mediator (platform = "smt-socket", a management
 * agent) in front of scmi-platform, and a guest connected over vhost-user
 * (tools/client). The platform process is killed and started again under
 * the running mediator: the mediator reconnects, reports a platform reset,
 * programs the guest's agent's permissions again, re-applies the guest's
 * votes (a clock and a power domain kept on), renews its subscription and
 * warms its cache again; the guest keeps its connection and keeps being
 * served. The new platform's own state dump is the judge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/test_files.h"
#include "mediator/scmi_msg.h"
#include "tools/client/ctl_client.h"
#include "tools/client/json_parse.h"
#include "tools/client/scmi_client.h"

static const char platform_cfg[] =
	"vendor = \"Restart\"\n"
	"agents = [ \"id=1,name=mgmt,protocols=all,devices=all,trusted=1\",\n"
	"           \"id=2,name=guest,protocols=all,devices=all\" ]\n"
	"devices = [ \"id=0,name=dev0,power=0,clocks=0\", \"id=1,name=dev1,clocks=1,power=1\" ]\n"
	"power_domains = [ \"name=pd0,notify=1,state=off\", \"name=pd1,state=off\" ]\n"
	"clocks = [ \"name=clk0,rates=1000 2000,rate=1000\", \"name=clk1,rates=1000,rate=1000\" ]\n";

static const char policy[] =
	"protocols = [ \"power\", \"clock\" ]\n"
	"power = [ \"guest=0,platform=0\" ]\n"
	"clocks = [ \"guest=0,platform=0,name=gclk\" ]\n";

struct plat {
	pid_t pid;
	int ctl, out;
};

static char dir[64], sock[128], ctlsock[128], gsock[128], pcfg[128];
static pid_t plat_pid = -1, med_pid = -1;    /* ours, for the teardown */

static void plat_start(struct plat *p)
{
	const char *bin = getenv("BUILD_BIN");
	char path[512];
	int in[2], out[2];

	assert_non_null(bin);
	snprintf(path, sizeof(path), "%s/scmi-platform", bin);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	p->pid = fork();
	assert_true(p->pid >= 0);
	plat_pid = p->pid;
	if (!p->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, "--socket", sock, "--config", pcfg, "--log-level", "error",
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	p->ctl = in[1];
	p->out = out[0];
}

static void plat_kill(struct plat *p)
{
	int st;

	kill(p->pid, SIGKILL);
	waitpid(p->pid, &st, 0);
	close(p->ctl);
	close(p->out);
	p->pid = plat_pid = -1;
}

/* The platform's own JSON state (its "state" control line). */
static struct json *plat_state(struct plat *p)
{
	static char buf[65536];
	struct pollfd pf = { .fd = p->out, .events = POLLIN };
	size_t n = 0;
	struct json *j;

	assert_int_equal(write(p->ctl, "state\n", 6), 6);
	while (n < 3 || memcmp(buf + n - 2, "\n\n", 2)) {
		ssize_t r;

		assert_int_equal(poll(&pf, 1, 5000), 1);
		r = read(p->out, buf + n, sizeof(buf) - 1 - n);
		assert_true(r > 0);
		n += (size_t)r;
		assert_true(n < sizeof(buf) - 1);
	}
	buf[n] = 0;
	j = json_parse(buf, NULL);
	assert_non_null(j);
	return j;
}

static const struct json *elem(const struct json *arr, size_t i)
{
	assert_non_null(arr);
	assert_int_equal(arr->type, JSON_ARR);
	assert_true(i < arr->n);
	return arr->items[i];
}

static bool clock_on(const struct json *st, unsigned id)
{
	return json_as_bool(json_get(elem(json_get(st, "clock"), id), "enabled"), false);
}

static unsigned power_state(const struct json *st, unsigned id)
{
	return (unsigned)json_as_num(json_get(elem(json_get(st, "power"), id), "state"), -1);
}

/* agent 2's permission on device dev */
static bool dev_allowed(const struct json *st, unsigned dev)
{
	const struct json *ag = elem(json_get(st, "agents"), 1);

	return json_as_bool(json_get(elem(json_get(ag, "devices"), dev), "allowed"), true);
}

/* A number from the mediator's status. */
static long long status_num(const char *key)
{
	char *resp = NULL;
	const struct json *v, *res;
	struct json *j;
	long long n;

	assert_int_equal(ctl_request(ctlsock, "{\"cmd\":\"status\"}", &resp), 0);
	j = json_parse(resp, NULL);
	assert_non_null(j);
	res = json_get(j, "result");
	v = json_get(res, key);
	n = v ? (long long)json_as_num(v, -1) : -1;
	json_free(j);
	free(resp);
	return n;
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

static int32_t call(struct scmi_client *c, uint8_t proto, uint8_t msg, const uint32_t *a,
		    unsigned n)
{
	uint8_t args[16], vals[128];
	size_t vl = sizeof(vals);
	int32_t st = 0;

	for (unsigned i = 0; i < n; i++)
		scmi_put_le32(args + 4 * i, a[i]);
	assert_int_equal(scmi_client_call(c, proto, msg, args, 4 * n, &st, vals, &vl), 0);
	return st;
}

static void test_platform_restart(void **state)
{
	const char *bin = getenv("BUILD_BIN");
	static const struct scmi_client_opts copts = {
		.queue_size = 64, .msg_size = SCMI_LINUX_MSG_SIZE, .p2a = true,
		.event_buffers = 16, .timeout_ms = 5000,
	};
	char cmd[600], log[160], cfg[1024];
	struct plat p;
	struct scmi_client *c;
	struct json *st;
	uint8_t ev[64];
	pid_t med;
	int i, s;

	(void)state;
	assert_non_null(bin);
	snprintf(dir, sizeof(dir), "/tmp/platrestart-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/platform.sock", dir);
	snprintf(ctlsock, sizeof(ctlsock), "%s/ctl.sock", dir);
	snprintf(gsock, sizeof(gsock), "%s/g1.sock", dir);
	snprintf(pcfg, sizeof(pcfg), "%s/platform.cfg", dir);
	snprintf(log, sizeof(log), "%s/mediator.log", dir);
	test_write_file(dir, "platform.cfg", platform_cfg, 0644);
	test_write_file(dir, "g1.policy", policy, 0644);
	snprintf(cfg, sizeof(cfg),
		 "platform = \"smt-socket\"\nplatform_socket = \"platform.sock\"\n"
		 "platform_config = \"platform.cfg\"\nmanagement_agent = 1\n"
		 "control_socket = \"ctl.sock\"\nreply_timeout_ms = 2000\nlog_level = \"info\"\n"
		 "guests = [ \"name=g1,socket=g1.sock,agent_id=2,policy=g1.policy\" ]\n");
	test_write_file(dir, "mediator.cfg", cfg, 0644);
	plat_start(&p);
	med = fork();
	assert_true(med >= 0);
	med_pid = med;
	if (!med) {
		snprintf(cmd, sizeof(cmd), "%s/scmi-mediator", bin);
		snprintf(cfg, sizeof(cfg), "%s/mediator.cfg", dir);
		if (!freopen(log, "w", stdout) || dup2(1, 2) < 0)
			_exit(126);
		execl(cmd, cmd, "-c", cfg, (char *)NULL);
		_exit(127);
	}
	assert_true(wait_path(gsock));
	assert_true(wait_path(ctlsock));
	c = scmi_client_connect(gsock, &copts);
	assert_non_null(c);

	/* the guest's agent: dev0 only (its policy), programmed at start */
	st = plat_state(&p);
	assert_true(dev_allowed(st, 0));
	assert_false(dev_allowed(st, 1));
	json_free(st);
	assert_int_equal(call(c, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET,
			      (uint32_t[]){ 0, SCMI_CLOCK_STATE_ON, 0 }, 3), SCMI_SUCCESS);
	assert_int_equal(call(c, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET,
			      (uint32_t[]){ 0, 0, SCMI_POWER_STATE_ON }, 3), SCMI_SUCCESS);
	assert_int_equal(call(c, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY,
			      (uint32_t[]){ 0, 1 }, 2), SCMI_SUCCESS);
	st = plat_state(&p);
	assert_true(clock_on(st, 0));
	assert_int_equal(power_state(st, 0), SCMI_POWER_STATE_ON);
	json_free(st);
	assert_int_equal(status_num("platform_resets"), 0);

	/* the platform process dies; a new one comes up on the same socket */
	plat_kill(&p);
	assert_int_not_equal(call(c, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, (uint32_t[]){ 0 }, 1),
			     SCMI_SUCCESS);
	plat_start(&p);
	for (i = 0; i < 500 && status_num("platform_resets") < 1; i++)
		usleep(10000);
	assert_int_equal(status_num("platform_resets"), 1);
	/* permissions, votes, subscriptions, warm-up: restored in the daemon's
	 * own time (at most 10 s here; a loaded or valgrind run is slow) */
	for (i = 0; i < 100; i++) {
		bool done;

		st = plat_state(&p);
		done = dev_allowed(st, 0) && clock_on(st, 0) &&
		       power_state(st, 0) == SCMI_POWER_STATE_ON &&
		       status_num("resubscribed") >= 1;
		json_free(st);
		if (done)
			break;
		usleep(100000);
	}
	st = plat_state(&p);
	assert_true(dev_allowed(st, 0));
	assert_false(dev_allowed(st, 1));
	assert_true(clock_on(st, 0));
	assert_int_equal(power_state(st, 0), SCMI_POWER_STATE_ON);
	json_free(st);
	assert_true(status_num("resubscribed") >= 1);

	/* the guest goes on, on the same connection: discovery, its own vote read
	 * back, and the renewed subscription delivers the domain's change */
	assert_int_equal(call(c, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, (uint32_t[]){ 0 }, 1),
			 SCMI_SUCCESS);
	assert_int_equal(call(c, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, (uint32_t[]){ 0 }, 1),
			 SCMI_SUCCESS);
	assert_int_equal(call(c, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET,
			      (uint32_t[]){ 0, 0, SCMI_POWER_STATE_OFF }, 3), SCMI_SUCCESS);
	/* (the replayed vote's own change, off -> on on the new platform, may
	 * come first) */
	for (i = 0; i < 3; i++) {
		s = scmi_client_wait_event(c, ev, sizeof(ev), 3000);
		assert_true(s >= 16);
		assert_int_equal(scmi_hdr_proto(scmi_get_le32(ev)), SCMI_PROTO_POWER);
		if (scmi_get_le32(ev + 12) == SCMI_POWER_STATE_OFF)
			break;
	}
	assert_int_equal(scmi_get_le32(ev + 12), SCMI_POWER_STATE_OFF);

	scmi_client_close(c);
	kill(med, SIGTERM);
	assert_int_equal(waitpid(med, &s, 0), med);
	med_pid = -1;
	assert_true(WIFEXITED(s) && WEXITSTATUS(s) == 0);
	plat_kill(&p);
	snprintf(cmd, sizeof(cmd), "grep -q 'platform connected again' '%s'", log);
	assert_int_equal(system(cmd), 0);
}

/* On failure: stop what we started, show the mediator's log. */
static int teardown(void **state)
{
	char cmd[200];
	int st;

	(void)state;
	if (med_pid > 0) {
		kill(med_pid, SIGKILL);
		waitpid(med_pid, &st, 0);
		snprintf(cmd, sizeof(cmd), "cat '%s/mediator.log' >&2", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "no mediator log\n");
	}
	if (plat_pid > 0) {
		kill(plat_pid, SIGKILL);
		waitpid(plat_pid, &st, 0);
	}
	med_pid = plat_pid = -1;
	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_platform_restart, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
