// SPDX-License-Identifier: GPL-2.0-only
/* The daemon in-process, with a scripted frontend: guests answered per
 * agent, control socket, status, reload (add/remove/keep, invalid config
 * kept out), graceful stop, --check-config. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/embedded.h"
#include "backends/platform/platform.h"
#include "tests/support/test_files.h"
#include "mediator/daemon.h"
#include "mediator/evloop.h"
#include "mediator/frontend.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "tools/client/ctl_client.h"
#include "tools/client/json_parse.h"

/* ---- scripted frontend ---------------------------------------------------- */
struct frontend {
	char socket[108];
	const struct scmi_dev_ops *core;
	void *core_opaque;
	unsigned ndone, nev;
	uint32_t cookie[64];
	uint8_t resp[64][SCMI_MSG_MAX];
	size_t len[64];
	struct frontend *next;
};

static struct frontend *fes;
static unsigned fe_created, fe_destroyed;

static struct frontend *ff_create(struct ev_loop *loop, const char *socket,
				  const struct scmi_dev_ops *core, void *opaque)
{
	struct frontend *fe = calloc(1, sizeof(*fe));

	snprintf(fe->socket, sizeof(fe->socket), "%s", socket);
	fe->core = core;
	fe->core_opaque = opaque;
	fe->next = fes;
	fes = fe;
	fe_created++;
	return fe;
}

static void ff_destroy(struct frontend *fe)
{
	struct frontend **pp;

	fe->core->reset(fe->core_opaque);
	for (pp = &fes; *pp; pp = &(*pp)->next)
		if (*pp == fe) {
			*pp = fe->next;
			break;
		}
	fe_destroyed++;
	free(fe);
}

static void ff_complete(struct frontend *fe, uint32_t cookie, const uint8_t *r, size_t len)
{
	if (fe->ndone < 64) {
		fe->cookie[fe->ndone] = cookie;
		memcpy(fe->resp[fe->ndone], r, len);
		fe->len[fe->ndone] = len;
	}
	fe->ndone++;
}

static int ff_event(struct frontend *fe, const uint8_t *m, size_t len)
{
	fe->nev++;
	return 0;
}

static void ff_status(struct frontend *fe, struct frontend_status *st)
{
	memset(st, 0, sizeof(*st));
	st->connected = true;
	st->features = 1ull << 32;
}

static const struct frontend_ops ff_ops = {
	.name = "test",
	.create = ff_create,
	.destroy = ff_destroy,
	.complete = ff_complete,
	.event = ff_event,
	.status = ff_status,
};

static struct frontend *fe_find(const char *suffix)
{
	struct frontend *fe;

	for (fe = fes; fe; fe = fe->next) {
		size_t a = strlen(fe->socket), b = strlen(suffix);

		if (a >= b && !strcmp(fe->socket + a - b, suffix))
			return fe;
	}
	return NULL;
}

/* ---- files ------------------------------------------------------------------ */
static char dir[64];
static char cfgpath[128];

static const char plat_text[] =
	"vendor = \"Daemon\"\n"
	"agents = [ \"id=1,name=p1\", \"id=2,name=p2\" ]\n"
	"power_domains = [ \"name=pd0,async=1,state=off\" ]\n";

static void write_cfg(const char *guests)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "platform = \"embedded\"\nplatform_config = \"plat.cfg\"\n"
		 "control_socket = \"ctl.sock\"\nlog_level = \"error\"\n"
		 "reply_timeout_ms = 500\nguests = [\n%s]\n", guests);
	test_write_file(dir, "mediator.cfg", text, 0644);
}

#define G1 "\"name=guest1,socket=g1.sock,agent_id=1\",\n"
#define G2 "\"name=guest2,socket=g2.sock,agent_id=2\",\n"
#define G3 "\"name=guest3,socket=g3.sock,agent_id=1\",\n"

static int setup(void **state)
{
	struct daemon_opts o = { .frontend = &ff_ops, .log_level = LOG_LVL_ERROR,
				 .log_target = -1 };
	struct daemon *d;

	snprintf(dir, sizeof(dir), "/tmp/test-daemon-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cfgpath, sizeof(cfgpath), "%s/mediator.cfg", dir);
	test_write_file(dir, "plat.cfg", plat_text, 0644);
	write_cfg(G1 G2);
	o.config = cfgpath;
	fes = NULL;
	fe_created = fe_destroyed = 0;
	d = daemon_new(&o, stderr);
	assert_non_null(d);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	char p[160];

	daemon_free(*state);
	assert_null(fes);
	snprintf(p, sizeof(p), "%s/mediator.cfg", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/plat.cfg", dir);
	unlink(p);
	rmdir(dir);
	log_set_level(LOG_LVL_INFO);
	return 0;
}

static void spin(struct daemon *d, struct frontend *fe, unsigned want)
{
	int i;

	for (i = 0; i < 500 && fe->ndone < want; i++)
		ev_loop_run_once(daemon_loop(d), 10);
	assert_int_equal(fe->ndone, want);
}

static void guest_cmd(struct frontend *fe, uint32_t cookie, uint8_t proto, uint8_t id,
		      const uint32_t *args, unsigned n)
{
	uint8_t m[32];
	unsigned i;

	scmi_put_le32(m, scmi_hdr(proto, id, 0, (uint16_t)cookie));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	fe->core->command(fe->core_opaque, cookie, m, 4 + 4 * n, SCMI_LINUX_MSG_SIZE);
}

static void test_guests_served(void **state)
{
	struct daemon *d = *state;
	struct frontend *g1 = fe_find("/g1.sock"), *g2 = fe_find("/g2.sock");
	uint32_t own = SCMI_BASE_AGENT_ID_OWN, pd = 0;

	assert_non_null(g1);
	assert_non_null(g2);
	assert_int_equal(daemon_num_guests(d), 2);
	guest_cmd(g1, 1, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &own, 1);
	guest_cmd(g2, 2, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, NULL, 0);
	guest_cmd(g2, 3, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, &pd, 1);
	spin(d, g1, 1);
	spin(d, g2, 2);
	assert_string_equal((const char *)g1->resp[0] + 12, "guest1");
	assert_int_equal(scmi_get_le32(g1->resp[0] + 8), 1);
	/* BASE waits for the platform's discovery: the POWER answer comes first */
	assert_int_equal(g2->cookie[0], 3);
	assert_int_equal(g2->cookie[1], 2);
	assert_string_equal((const char *)g2->resp[1] + 8, "Daemon");
	assert_int_equal((int32_t)scmi_get_le32(g2->resp[0] + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(g2->resp[0] + 8), SCMI_POWER_STATE_OFF);
	/* guest2 is platform agent 2 */
	assert_true(plat_commands_received(embedded_backend_platform(daemon_backend(d)), 2) >= 1);
}

/* A guest with a policy gets its filter: its own name, numbering, rights;
 * a policy naming a resource the platform lacks keeps a reload out. */
static void test_guest_policy(void **state)
{
	struct daemon *d = *state;
	struct frontend *g3;
	uint32_t own = SCMI_BASE_AGENT_ID_OWN, args[3] = { 0, 0, SCMI_POWER_STATE_ON };
	char p[160], *buf = NULL;
	size_t len = 0;
	FILE *m;

	test_write_file(dir, "g3.policy", "agent_name = \"pg\"\n"
			"power = [ \"guest=0,platform=0,rights=read,name=dom\" ]\n", 0644);
	write_cfg(G1 G2 "\"name=guest3,socket=g3.sock,agent_id=1,policy=g3.policy\",\n");
	assert_int_equal(daemon_reload(d, stderr), 0);
	g3 = fe_find("/g3.sock");
	assert_non_null(g3);
	guest_cmd(g3, 1, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &own, 1);
	spin(d, g3, 1);
	assert_string_equal((const char *)g3->resp[0] + 12, "pg");
	guest_cmd(g3, 2, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, args, 3);
	spin(d, g3, 2);
	assert_int_equal((int32_t)scmi_get_le32(g3->resp[1] + 4), SCMI_DENIED);
	guest_cmd(g3, 3, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, args, 1);
	spin(d, g3, 3);
	assert_int_equal((int32_t)scmi_get_le32(g3->resp[2] + 4), SCMI_SUCCESS);
	assert_string_equal((const char *)g3->resp[2] + 12, "dom");
	args[0] = 1;
	guest_cmd(g3, 4, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, args, 1);
	spin(d, g3, 4);
	assert_int_equal((int32_t)scmi_get_le32(g3->resp[3] + 4), SCMI_NOT_FOUND);
	guest_cmd(g3, 5, SCMI_PROTO_CLOCK, SCMI_PROTOCOL_VERSION, NULL, 0);
	spin(d, g3, 5);
	assert_int_equal((int32_t)scmi_get_le32(g3->resp[4] + 4), SCMI_NOT_SUPPORTED);

	/* the platform has one power domain */
	test_write_file(dir, "g4.policy", "power = [ \"guest=0,platform=1\" ]\n", 0644);
	write_cfg(G1 G2 "\"name=guest4,socket=g4.sock,agent_id=2,policy=g4.policy\",\n");
	m = open_memstream(&buf, &len);
	assert_int_equal(daemon_reload(d, m), -1);
	fclose(m);
	assert_non_null(strstr(buf, "g4.policy:1: power: platform id 1 does not exist"));
	assert_null(fe_find("/g4.sock"));
	assert_non_null(fe_find("/g3.sock"));
	free(buf);
	snprintf(p, sizeof(p), "%s/g3.policy", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/g4.policy", dir);
	unlink(p);
}

struct ctl_job {
	char sock[160];
	const char *req;
	char *resp;
	int rc;
	bool done;
	bool status_table;
	char *table;
};

static void *ctl_thread(void *arg)
{
	struct ctl_job *j = arg;

	if (j->status_table) {
		size_t len;
		FILE *f = open_memstream(&j->table, &len);

		j->rc = ctl_print_status(j->sock, false, f);
		fclose(f);
	} else {
		j->rc = ctl_request(j->sock, j->req, &j->resp);
	}
	__atomic_store_n(&j->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static void ctl_run(struct daemon *d, struct ctl_job *j)
{
	pthread_t t;
	int i;

	snprintf(j->sock, sizeof(j->sock), "%s/ctl.sock", dir);
	assert_int_equal(pthread_create(&t, NULL, ctl_thread, j), 0);
	for (i = 0; i < 1000 && !__atomic_load_n(&j->done, __ATOMIC_SEQ_CST); i++)
		ev_loop_run_once(daemon_loop(d), 5);
	pthread_join(t, NULL);
	assert_int_equal(j->rc, 0);
}

static void test_control_socket(void **state)
{
	struct daemon *d = *state;
	struct ctl_job j = { .req = "{\"cmd\":\"status\"}" }, k = { .req = "platform-state" };
	struct ctl_job bad = { .req = "{\"cmd\":\"frobnicate\"}" }, tab = { .status_table = true };
	const struct json *gs;
	struct json *v;

	ctl_run(d, &j);
	v = json_parse(j.resp, NULL);
	assert_non_null(v);
	assert_true(json_as_bool(json_get(v, "ok"), false));
	assert_string_equal(json_as_str(json_get(json_get(json_get(v, "result"), "backend"),
						 "name"), ""), "embedded");
	gs = json_get(json_get(v, "result"), "guests");
	assert_non_null(gs);
	assert_int_equal(gs->n, 2);
	assert_true(json_as_bool(json_get(gs->items[0], "connected"), false));
	json_free(v);
	free(j.resp);

	ctl_run(d, &k);
	v = json_parse(k.resp, NULL);
	assert_non_null(v);
	assert_non_null(json_get(json_get(v, "result"), "agents"));
	json_free(v);
	free(k.resp);

	ctl_run(d, &bad);
	v = json_parse(bad.resp, NULL);
	assert_false(json_as_bool(json_get(v, "ok"), true));
	assert_non_null(strstr(json_as_str(json_get(v, "error"), ""), "unknown command"));
	json_free(v);
	free(bad.resp);

	ctl_run(d, &tab);
	assert_non_null(strstr(tab.table, "guest1"));
	assert_non_null(strstr(tab.table, "backend embedded"));
	free(tab.table);
}

static void test_reload(void **state)
{
	struct daemon *d = *state;
	struct frontend *g1 = fe_find("/g1.sock");
	char *buf = NULL;
	size_t len = 0;
	FILE *err;

	/* guest2 goes, guest3 comes, guest1 stays connected (same frontend) */
	write_cfg(G1 G3);
	assert_int_equal(daemon_reload(d, stderr), 0);
	assert_int_equal(daemon_num_guests(d), 2);
	assert_ptr_equal(fe_find("/g1.sock"), g1);
	assert_null(fe_find("/g2.sock"));
	assert_non_null(fe_find("/g3.sock"));
	assert_int_equal(fe_destroyed, 1);
	/* an invalid file is rejected with file:line; nothing changes */
	write_cfg(G1 "\"name=guest1,socket=other.sock\",\n");
	err = open_memstream(&buf, &len);
	assert_int_equal(daemon_reload(d, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "mediator.cfg:8:"));
	assert_non_null(strstr(buf, "already used"));
	free(buf);
	assert_int_equal(daemon_num_guests(d), 2);
	assert_non_null(fe_find("/g3.sock"));
	/* an agent the platform does not have */
	write_cfg(G1 "\"name=guest9,socket=g9.sock,agent_id=9\",\n");
	buf = NULL;
	err = open_memstream(&buf, &len);
	assert_int_equal(daemon_reload(d, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "agent_id 9, but the platform has 2 agents"));
	free(buf);
	assert_int_equal(daemon_num_guests(d), 2);
}

static void test_graceful_stop(void **state)
{
	struct daemon *d = *state;
	struct frontend *g1 = fe_find("/g1.sock");
	struct plat_faults f = { .latency_ns = 20000000ull };
	int i;

	plat_set_faults(embedded_backend_platform(daemon_backend(d)), &f);
	guest_cmd(g1, 1, SCMI_PROTO_POWER, SCMI_PROTOCOL_VERSION, NULL, 0);
	ev_loop_run_once(daemon_loop(d), 0);
	assert_int_equal(daemon_inflight(d), 1);
	daemon_stop(d);
	assert_true(daemon_stopping(d));
	guest_cmd(g1, 2, SCMI_PROTO_POWER, SCMI_PROTOCOL_VERSION, NULL, 0);
	for (i = 0; i < 500 && !ev_loop_stopped(daemon_loop(d)); i++)
		ev_loop_run_once(daemon_loop(d), 10);
	assert_true(ev_loop_stopped(daemon_loop(d)));
	assert_int_equal(g1->ndone, 2);
	/* the refused one, then the one in flight, which completed normally */
	assert_int_equal(g1->cookie[0], 2);
	assert_int_equal((int32_t)scmi_get_le32(g1->resp[0] + 4), SCMI_COMMS_ERROR);
	assert_int_equal(g1->cookie[1], 1);
	assert_int_equal((int32_t)scmi_get_le32(g1->resp[1] + 4), SCMI_SUCCESS);
	assert_int_equal(daemon_inflight(d), 0);
}

static void test_check_config(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err;

	assert_int_equal(daemon_check_config(cfgpath, stderr), 0);
	write_cfg(G1 "\"name=guest9,socket=g9.sock,agent_id=3\",\n");
	err = open_memstream(&buf, &len);
	assert_int_equal(daemon_check_config(cfgpath, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "mediator.cfg:8: guest 'guest9': agent_id 3"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guests_served, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_graceful_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_config, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
