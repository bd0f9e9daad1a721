// SPDX-License-Identifier: GPL-2.0-only
/* Control socket server and client pieces: JSON helpers, the JSON reader,
 * request framing, bad requests, and msg_route facts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mediator/control.h"
#include "mediator/evloop.h"
#include "mediator/msg_route.h"
#include "mediator/scmi_msg.h"
#include "tools/client/ctl_client.h"
#include "tools/client/json_parse.h"

static void test_json_helpers(void **state)
{
	char out[32], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json *v;

	assert_true(json_get_str("{\"cmd\" : \"status\",\"x\":1}", "cmd", out, sizeof(out)));
	assert_string_equal(out, "status");
	assert_true(json_get_str("{\"a\":\"q\\\"uote\\n\"}", "a", out, sizeof(out)));
	assert_string_equal(out, "q\"uote\n");
	assert_false(json_get_str("{\"cmd\":42}", "cmd", out, sizeof(out)));
	assert_false(json_get_str("{\"cmdx\":\"a\"}", "cmd", out, sizeof(out)));
	assert_false(json_get_str("{\"cmd\":\"unterminated", "cmd", out, sizeof(out)));
	assert_false(json_get_str("{\"cmd\":\"0123456789012345678901234567890123456789\"}", "cmd",
				  out, sizeof(out)));
	/* what json_put_str writes, json_parse reads back */
	fputs("{\"s\":", f);
	json_put_str(f, "tab\there \"q\" back\\slash \x01 end");
	fputs(",\"n\":-12.5,\"b\":true,\"z\":null,\"a\":[1,[2,{}]]}", f);
	fclose(f);
	v = json_parse(buf, NULL);
	assert_non_null(v);
	assert_string_equal(json_as_str(json_get(v, "s"), ""),
			    "tab\there \"q\" back\\slash \x01 end");
	assert_true(json_as_num(json_get(v, "n"), 0) == -12.5);
	assert_true(json_as_bool(json_get(v, "b"), false));
	assert_int_equal(json_get(v, "z")->type, JSON_NULL);
	assert_int_equal(json_get(v, "a")->n, 2);
	assert_null(json_get(v, "missing"));
	json_free(v);
	free(buf);
}

static void test_json_errors(void **state)
{
	const char *err = NULL;
	char deep[200];
	int i;

	assert_null(json_parse("{\"a\":1} x", &err));
	assert_non_null(err);
	assert_null(json_parse("{\"a\" 1}", &err));
	assert_null(json_parse("[1,2", &err));
	assert_null(json_parse("\"\\q\"", &err));
	assert_null(json_parse("tru", &err));
	assert_null(json_parse("", &err));
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	deep[100] = 0;
	assert_null(json_parse(deep, &err));
	assert_string_equal(err, "nested too deeply");
}

static bool handler(void *opaque, const char *cmd, const char *req, FILE *out)
{
	if (!strcmp(cmd, "echo")) {
		json_put_str(out, req);
		return true;
	}
	fprintf(out, "no such command: %s", cmd);
	return false;
}

struct job {
	char path[64];
	int mode;       /* 0: ctl_request, 1: raw oversized line */
	const char *req;
	char *resp;
	int rc;
	bool done;
};

static void *client(void *arg)
{
	struct job *j = arg;

	if (j->mode == 0) {
		j->rc = ctl_request(j->path, j->req, &j->resp);
	} else {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		static char big[CONTROL_LINE_MAX + 100];
		char in[256] = { 0 };
		ssize_t n;

		memset(big, 'x', sizeof(big));
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", j->path);
		j->rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
		if (!j->rc) {
			(void)!write(fd, big, sizeof(big));
			n = read(fd, in, sizeof(in) - 1);
			j->resp = strdup(n > 0 ? in : "");
			/* the server closes the connection after answering (EOF,
			 * or a reset as the rest of the line was never read) */
			j->rc = read(fd, in, sizeof(in)) <= 0 ? 0 : -1;
		}
		close(fd);
	}
	__atomic_store_n(&j->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static void run(struct ev_loop *loop, struct job *j)
{
	pthread_t t;
	int i;

	assert_int_equal(pthread_create(&t, NULL, client, j), 0);
	for (i = 0; i < 1000 && !__atomic_load_n(&j->done, __ATOMIC_SEQ_CST); i++)
		ev_loop_run_once(loop, 5);
	pthread_join(t, NULL);
}

static void test_server(void **state)
{
	char dir[] = "/tmp/test-control-XXXXXX";
	struct ev_loop *loop = ev_loop_new();
	struct control *c;
	struct job a = { .req = "{\"cmd\":\"echo\",\"v\":1}" }, b = { .req = "nope" };
	struct job big = { .mode = 1 }, none = { .req = "{\"x\":\"y\"}" };
	struct job gone = { .req = "{\"cmd\":\"echo\"}" };
	struct json *v;

	assert_non_null(mkdtemp(dir));
	snprintf(a.path, sizeof(a.path), "%s/sub/ctl.sock", dir);
	c = control_new(loop, a.path, handler, NULL);
	assert_non_null(c);
	assert_string_equal(control_path(c), a.path);
	strcpy(b.path, a.path);
	strcpy(big.path, a.path);
	strcpy(none.path, a.path);
	run(loop, &a);
	assert_int_equal(a.rc, 0);
	v = json_parse(a.resp, NULL);
	assert_true(json_as_bool(json_get(v, "ok"), false));
	assert_string_equal(json_as_str(json_get(v, "result"), ""), a.req);
	json_free(v);
	run(loop, &b);
	assert_int_equal(b.rc, 0);
	assert_non_null(strstr(b.resp, "\"ok\":false"));
	assert_non_null(strstr(b.resp, "no such command: nope"));
	run(loop, &none);
	assert_non_null(strstr(none.resp, "\"cmd\\\" string"));
	run(loop, &big);
	assert_int_equal(big.rc, 0);
	assert_non_null(strstr(big.resp, "request line too long"));
	control_free(c);
	/* the socket is gone */
	snprintf(gone.path, sizeof(gone.path), "%s/sub/ctl.sock", dir);
	assert_int_equal(ctl_request(gone.path, gone.req, &gone.resp), -ENOENT);
	free(a.resp);
	free(b.resp);
	free(big.resp);
	free(none.resp);
	ev_loop_free(loop);
	snprintf(a.path, sizeof(a.path), "%s/sub", dir);
	rmdir(a.path);
	rmdir(dir);
}

static void test_msg_route(void **state)
{
	uint8_t m[20];
	struct route_notify rn;
	uint8_t p, e;
	uint32_t r;

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 1));
	scmi_put_le32(m + 4, 7);
	scmi_put_le32(m + 8, 3);
	assert_true(route_notify_decode(m, 12, &rn));
	assert_int_equal(rn.evt_id, SCMI_SENSOR_TRIP_POINT_EVENT);
	assert_int_equal(rn.resource, 7);
	assert_true(rn.enable);
	assert_false(route_notify_decode(m, 8, &rn)); /* too short */
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, 0, 1));
	scmi_put_le32(m + 4, 0);
	assert_true(route_notify_decode(m, 8, &rn));
	assert_int_equal(rn.resource, ROUTE_NO_RESOURCE);
	assert_false(rn.enable);
	/* notification keys */
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_CHANGED, 3, 0));
	scmi_put_le32(m + 4, 1);
	scmi_put_le32(m + 8, 2);
	assert_true(route_event_key(m, 16, &p, &e, &r));
	assert_int_equal(p, SCMI_PROTO_PERF);
	assert_int_equal(r, 2);
	assert_false(route_event_key(m, 8, &p, &e, &r));
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_PINCTRL, 0, 3, 0));
	assert_false(route_event_key(m, 16, &p, &e, &r));
	/* asynchronous commands */
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_RESET, SCMI_RESET, 0, 0));
	scmi_put_le32(m + 4, 0);
	scmi_put_le32(m + 8, SCMI_RESET_ASYNC | 1);
	scmi_put_le32(m + 12, 0);
	assert_true(route_expects_delayed(m, 16));
	scmi_put_le32(m + 8, 1);
	assert_false(route_expects_delayed(m, 16));
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0));
	scmi_put_le32(m + 8, SCMI_POWERCAP_SET_ASYNC | SCMI_POWERCAP_SET_IGNORE_DRESP);
	assert_false(route_expects_delayed(m, 16));
	scmi_put_le32(m + 8, SCMI_POWERCAP_SET_ASYNC);
	assert_true(route_expects_delayed(m, 16));
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0));
	scmi_put_le32(m + 4, SCMI_POWER_SET_ASYNC);
	assert_false(route_expects_delayed(m, 16));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_helpers),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_server),
		cmocka_unit_test(test_msg_route),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
