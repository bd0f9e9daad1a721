// SPDX-License-Identifier: GPL-2.0-only
/* The scmi-mediator program end to end: two guests over vhost-user (agent
 * client), per-guest BASE answers, a notification across guests, the
 * control socket, SIGHUP reload and SIGTERM graceful stop. */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mediator/scmi_msg.h"
#include "tools/client/ctl_client.h"
#include "tools/client/json_parse.h"
#include "tools/client/scmi_client.h"

static char dir[64], cfg[128], ctl[128], g1[128], g2[128], g3[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void write_cfg(bool third)
{
	char text[1024], p[128];

	snprintf(p, sizeof(p), "%s/plat.cfg", dir);
	write_file(p, "vendor = \"E2E\"\n"
		      "agents = [ \"id=1,name=p1\", \"id=2,name=p2\" ]\n"
		      "power_domains = [ \"name=pd0,async=1,state=off\" ]\n");
	snprintf(text, sizeof(text),
		 "platform_config = \"plat.cfg\"\ncontrol_socket = \"ctl.sock\"\n"
		 "log_level = \"warn\"\nguests = [\n"
		 "  \"name=vm-one,socket=g1.sock,agent_id=1\",\n"
		 "  \"name=vm-two,socket=g2.sock,agent_id=2\",\n%s]\n",
		 third ? "  \"name=vm-three,socket=g3.sock,agent_id=2\",\n" : "");
	write_file(cfg, text);
}

static bool wait_path(const char *p, bool present)
{
	struct stat st;
	int i;

	for (i = 0; i < 500; i++) {
		if ((stat(p, &st) == 0) == present)
			return true;
		usleep(10000);
	}
	return false;
}

static pid_t start(void)
{
	const char *bin = getenv("BUILD_BIN");
	char exe[256];
	pid_t pid;

	snprintf(exe, sizeof(exe), "%s/scmi-mediator", bin ? bin : "build/gcc/bin");
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		execl(exe, exe, "-c", cfg, "--foreground", (char *)NULL);
		_exit(127);
	}
	assert_true(wait_path(ctl, true));
	return pid;
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test-mediator-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cfg, sizeof(cfg), "%s/mediator.cfg", dir);
	snprintf(ctl, sizeof(ctl), "%s/ctl.sock", dir);
	snprintf(g1, sizeof(g1), "%s/g1.sock", dir);
	snprintf(g2, sizeof(g2), "%s/g2.sock", dir);
	snprintf(g3, sizeof(g3), "%s/g3.sock", dir);
	write_cfg(false);
	return 0;
}

static int teardown(void **state)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/plat.cfg", dir);
	unlink(p);
	unlink(cfg);
	rmdir(dir);
	return 0;
}

static void discover_self(struct scmi_client *c, const char *name, uint32_t id)
{
	uint32_t arg = SCMI_BASE_AGENT_ID_OWN;
	uint8_t vals[64];
	size_t n = sizeof(vals);
	int32_t st;

	assert_int_equal(scmi_client_call(c, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &arg, 4,
					  &st, vals, &n), 0);
	assert_int_equal(st, SCMI_SUCCESS);
	assert_int_equal(n, 20);
	assert_int_equal(scmi_get_le32(vals), id);
	assert_string_equal((const char *)vals + 4, name);
}

static void test_end_to_end(void **state)
{
	pid_t pid;
	struct scmi_client *c1, *c2, *c3;
	uint32_t args[3];
	uint8_t vals[64], ev[64];
	size_t n;
	int32_t st;
	int status;
	char *resp = NULL;
	struct json *v;

	pid = start();
	assert_true(wait_path(g1, true));
	c1 = scmi_client_connect(g1, NULL);
	c2 = scmi_client_connect(g2, NULL);
	assert_non_null(c1);
	assert_non_null(c2);
	discover_self(c1, "vm-one", 1);
	discover_self(c2, "vm-two", 1);
	/* vm-one subscribes to pd0; vm-two (another platform agent) turns it on */
	args[0] = 0;
	args[1] = 1;
	n = sizeof(vals);
	assert_int_equal(scmi_client_call(c1, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, args, 8,
					  &st, vals, &n), 0);
	assert_int_equal(st, SCMI_SUCCESS);
	args[0] = SCMI_POWER_SET_ASYNC;
	args[1] = 0;
	args[2] = SCMI_POWER_STATE_ON;
	n = sizeof(vals);
	assert_int_equal(scmi_client_call(c2, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, args, 12,
					  &st, vals, &n), 0);
	assert_int_equal(st, SCMI_SUCCESS);
	assert_true(scmi_client_wait_event(c1, ev, sizeof(ev), 5000) >= 16);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(ev)), SCMI_MSG_NOTIFICATION);
	assert_int_equal(scmi_get_le32(ev + 12), SCMI_POWER_STATE_ON);

	/* control socket */
	assert_int_equal(ctl_request(ctl, "{\"cmd\":\"status\"}", &resp), 0);
	v = json_parse(resp, NULL);
	assert_non_null(v);
	assert_int_equal(json_get(json_get(v, "result"), "guests")->n, 2);
	json_free(v);
	free(resp);

	/* SIGHUP: a third guest appears, the first two stay connected */
	write_cfg(true);
	kill(pid, SIGHUP);
	assert_true(wait_path(g3, true));
	c3 = scmi_client_connect(g3, NULL);
	assert_non_null(c3);
	discover_self(c3, "vm-three", 1);
	discover_self(c1, "vm-one", 1);

	/* SIGTERM: clean exit, sockets removed */
	scmi_client_close(c3);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(wait_path(ctl, false));
	assert_true(wait_path(g1, false));
	scmi_client_close(c1);
	scmi_client_close(c2);
}

static void test_check_config(void **state)
{
	const char *bin = getenv("BUILD_BIN");
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s/scmi-mediator -c %s --check-config >/dev/null",
		 bin ? bin : "build/gcc/bin", cfg);
	assert_int_equal(system(cmd), 0);
	write_file(cfg, "platform_config = \"plat.cfg\"\nguests = [ \"name=a\" ]\n");
	snprintf(cmd, sizeof(cmd), "%s/scmi-mediator -c %s --check-config 2>/dev/null",
		 bin ? bin : "build/gcc/bin", cfg);
	assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_end_to_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_config, setup, teardown),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
