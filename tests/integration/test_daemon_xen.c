// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's Xen path without a hypervisor, in both builds:
 * - mediator config: socket=xen:NAME guests (kept as written, bad names
 *   with file:line; without HAVE_XEN a file:line error naming the build);
 * - the xen-attach control command against a fake Xen frontend (domid and
 *   name checks, policy agreement, no device, frontend failure);
 * - `scmi-mediator --version` (the Xen line, or "Xen frontend: not built");
 * and with HAVE_XEN, the daemon itself with a fake struct daemon_xen_ops:
 * xen:NAME guests served through it next to a socket guest, xen-attach
 * over the real control socket, driven by the real scmi-xl with a fake
 * `xl` (create -p, attach, unpause; destroy on refusal), lifecycle
 * requests reaching the guest's domain, reload, and the real Xen frontend
 * failing cleanly where there is no Xen. Needs BUILD_BIN (make check).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/mediator_cfg.h"
#include "tests/support/test_files.h"
#include "mediator/daemon.h"
#include "mediator/daemon_xen.h"
#include "mediator/evloop.h"
#include "mediator/frontend.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "tools/client/json_parse.h"

static char dir[64];

#ifdef HAVE_XEN
static char *read_file(const char *name)
{
	static char buf[4096];
	char p[160];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}
#endif

static const char plat_text[] =
	"vendor = \"XenInt\"\n"
	"agents = [ \"id=1,name=p1\", \"id=2,name=p2\", \"id=3,name=p3\" ]\n"
	"power_domains = [ \"name=pd0,state=off\" ]\n";

static void write_cfg(const char *guests)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "platform = \"embedded\"\nplatform_config = \"plat.cfg\"\n"
		 "control_socket = \"ctl.sock\"\nlog_level = \"error\"\n"
		 "guests = [\n%s]\n", guests);
	test_write_file(dir, "mediator.cfg", text, 0644);
}

static void cfg_path(char *out, size_t cap)
{
	snprintf(out, cap, "%s/mediator.cfg", dir);
}

static int group_setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test-daemon-xen-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	test_write_file(dir, "plat.cfg", plat_text, 0644);
	log_set_level(LOG_LVL_ERROR);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	log_set_level(LOG_LVL_INFO);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- a fake Xen frontend ------------------------------------------------ */
struct frontend {
	char socket[108];
	const struct scmi_dev_ops *core;
	void *core_opaque;
	int domid;                      /* -1: no domain attached */
	unsigned ndone;
	uint8_t resp[8][SCMI_MSG_MAX];
	struct frontend *next;
};

static struct {
	struct frontend *fes;
	unsigned created, destroyed;
	int attach_result;
	unsigned attach_calls, last_attach;
	unsigned request_calls, last_request_domid;
	enum xen_guest_action last_action;
} fx;

#ifdef HAVE_XEN
static struct frontend *fx_find(const char *socket)
{
	for (struct frontend *fe = fx.fes; fe; fe = fe->next)
		if (!strcmp(fe->socket, socket))
			return fe;
	return NULL;
}
#endif

static struct frontend *fx_create(struct ev_loop *loop, const char *socket,
				  const struct scmi_dev_ops *core, void *opaque)
{
	struct frontend *fe = calloc(1, sizeof(*fe));

	assert_non_null(fe);
	snprintf(fe->socket, sizeof(fe->socket), "%s", socket);
	fe->core = core;
	fe->core_opaque = opaque;
	fe->domid = -1;
	fe->next = fx.fes;
	fx.fes = fe;
	fx.created++;
	return fe;
}

static void fx_destroy(struct frontend *fe)
{
	struct frontend **pp;

	fe->core->reset(fe->core_opaque);
	for (pp = &fx.fes; *pp; pp = &(*pp)->next)
		if (*pp == fe) {
			*pp = fe->next;
			break;
		}
	fx.destroyed++;
	free(fe);
}

static void fx_complete(struct frontend *fe, uint32_t cookie, const uint8_t *r, size_t len)
{
	if (fe->ndone < 8)
		memcpy(fe->resp[fe->ndone], r, len < SCMI_MSG_MAX ? len : SCMI_MSG_MAX);
	fe->ndone++;
}

static int fx_event(struct frontend *fe, const uint8_t *m, size_t len)
{
	return 0;
}

static void fx_status(struct frontend *fe, struct frontend_status *st)
{
	memset(st, 0, sizeof(*st));
	st->connected = fe->domid >= 0;
}

static const struct frontend_ops fx_frontend = {
	.name = "xen-fake",
	.create = fx_create,
	.destroy = fx_destroy,
	.complete = fx_complete,
	.event = fx_event,
	.status = fx_status,
};

/* The same fake as the daemon's socket frontend, told apart by name. */
static const struct frontend_ops fx_socket_frontend = {
	.name = "socket-fake",
	.create = fx_create,
	.destroy = fx_destroy,
	.complete = fx_complete,
	.event = fx_event,
	.status = fx_status,
};

/* Like the real frontend: a successful attach gives the guest named in
 * the (fake) xenstore its device, here every xen: guest without one. */
static int fx_attach(unsigned domid)
{
	fx.attach_calls++;
	fx.last_attach = domid;
	if (fx.attach_result > 0)
		for (struct frontend *fe = fx.fes; fe; fe = fe->next)
			if (fe->domid < 0 && !strncmp(fe->socket, "xen:", 4))
				fe->domid = (int)domid;
	return fx.attach_result;
}

static int fx_domid(const struct frontend *fe)
{
	return fe->domid;
}

static int fx_request(unsigned domid, enum xen_guest_action a)
{
	fx.request_calls++;
	fx.last_request_domid = domid;
	fx.last_action = a;
	return 0;
}

static const char *fx_version(void)
{
	return "xen: fake";
}

static const struct daemon_xen_ops fx_ops = {
	.frontend = &fx_frontend,
	.attach = fx_attach,
	.domid = fx_domid,
	.request = fx_request,
	.version = fx_version,
};

static void fx_reset(int attach_result)
{
	memset(&fx, 0, sizeof(fx));
	fx.attach_result = attach_result;
}

/* ---- config ------------------------------------------------------------- */
static struct mediator_cfg *load(char **errtext)
{
	char path[128], *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	struct mediator_cfg *mc;

	assert_non_null(err);
	cfg_path(path, sizeof(path));
	mc = mediator_cfg_load(path, err);
	fclose(err);
	*errtext = buf;
	return mc;
}

static void test_config_xen_guests(void **state)
{
	struct mediator_cfg *mc;
	char *err;

	write_cfg("\"name=vm1,socket=vm1.sock,agent_id=1\",\n"
		  "\"name=dom1,socket=xen:domU1,agent_id=2\",\n");
	mc = load(&err);
#ifdef HAVE_XEN
	assert_non_null(mc);
	assert_string_equal(err, "");
	assert_int_equal(mc->nguests, 2);
	/* a path is resolved against the config's directory, a Xen name is not */
	assert_non_null(strstr(mc->guests[0].socket, dir));
	assert_null(mcfg_guest_xen_domain(&mc->guests[0]));
	assert_string_equal(mc->guests[1].socket, "xen:domU1");
	assert_string_equal(mcfg_guest_xen_domain(&mc->guests[1]), "domU1");
	mediator_cfg_free(mc);
#else
	assert_null(mc);
	assert_non_null(strstr(err, "mediator.cfg:7: socket 'xen:domU1': this scmi-mediator was "
				    "built without the Xen frontend (HAVE_XEN=0)"));
#endif
	free(err);

	/* empty, too long and invalid domain names, and a name used twice */
	write_cfg("\"name=a,socket=xen:\",\n"
		  "\"name=b,socket=xen:0123456789012345678901234567890123456789012345678901"
		  "234567890123\",\n"
		  "\"name=c,socket=xen:a/b\",\n");
	mc = load(&err);
	assert_null(mc);
	assert_non_null(strstr(err, "mediator.cfg:6: socket 'xen:': the Xen domain name must "
				    "have 1-63 characters"));
	assert_non_null(strstr(err, "mediator.cfg:7: socket 'xen:0123"));
	assert_non_null(strstr(err, "mediator.cfg:8: socket 'xen:a/b': invalid character"));
	free(err);
#ifdef HAVE_XEN
	write_cfg("\"name=a,socket=xen:domU1\",\n\"name=b,socket=xen:domU1\",\n");
	mc = load(&err);
	assert_null(mc);
	assert_non_null(strstr(err, "mediator.cfg:7: socket 'xen:domU1' already used by guest "
				    "'a' (line 6)"));
	free(err);
#endif
}

/* ---- xen-attach against a configuration --------------------------------- */
static bool attach_cmd(const struct daemon_xen_ops *x, const struct mediator_cfg *mc,
		       const char *req, char **out)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	bool ok;

	assert_non_null(f);
	ok = daemon_xen_attach_cmd(x, mc, req, f);
	fclose(f);
	return ok;
}

static void test_attach_command(void **state)
{
	struct mediator_cfg *mc = calloc(1, sizeof(*mc));
	char pol[128], req[512], *out;

	/* Built by hand: the command's checks do not depend on the build. */
	assert_non_null(mc);
	snprintf(mc->path, sizeof(mc->path), "%s/mediator.cfg", dir);
	snprintf(pol, sizeof(pol), "%s/domU1.policy", dir);
	test_write_file(dir, "domU1.policy", "# policy\n", 0644);
	snprintf(mc->guests[0].name, MCFG_NAME_MAX, "vm1");
	snprintf(mc->guests[0].socket, MCFG_SOCK_MAX, "%s/domU1", dir);
	snprintf(mc->guests[1].name, MCFG_NAME_MAX, "dom1");
	snprintf(mc->guests[1].socket, MCFG_SOCK_MAX, "xen:domU1");
	snprintf(mc->guests[1].policy, sizeof(mc->guests[1].policy), "%s", pol);
	mc->guests[1].line = 9;
	snprintf(mc->guests[2].name, MCFG_NAME_MAX, "dom2");
	snprintf(mc->guests[2].socket, MCFG_SOCK_MAX, "xen:domU2");
	mc->nguests = 3;

	/* no Xen frontend */
	assert_false(attach_cmd(NULL, mc, "{\"cmd\":\"xen-attach\",\"domid\":5,\"name\":\"domU1\"}",
				&out));
	assert_non_null(strstr(out, "built without the Xen frontend"));
	free(out);

	fx_reset(1);
	/* domid missing, not a number, out of range */
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"name\":\"domU1\"}", &out));
	assert_non_null(strstr(out, "needs \"domid\""));
	free(out);
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":\"5\","
				"\"name\":\"domU1\"}", &out));
	free(out);
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":0,"
				"\"name\":\"domU1\"}", &out));
	free(out);
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":32752,"
				"\"name\":\"domU1\"}", &out));
	free(out);
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":5.5,"
				"\"name\":\"domU1\"}", &out));
	free(out);
	/* name missing; a socket guest's path is not a Xen name */
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":5}", &out));
	assert_non_null(strstr(out, "needs \"name\""));
	free(out);
	snprintf(req, sizeof(req), "{\"cmd\":\"xen-attach\",\"domid\":5,\"name\":\"%s/domU1\"}",
		 dir);
	assert_false(attach_cmd(&fx_ops, mc, req, &out));
	assert_non_null(strstr(out, "has socket=xen:"));
	free(out);
	assert_int_equal(fx.attach_calls, 0);

	/* the policy must be the configured one (same file, any spelling) */
	snprintf(req, sizeof(req), "{\"cmd\":\"xen-attach\",\"domid\":5,\"name\":\"domU1\","
		 "\"policy\":\"%s/other.policy\"}", dir);
	assert_false(attach_cmd(&fx_ops, mc, req, &out));
	assert_non_null(strstr(out, "mediator.cfg:9 gives guest dom1 policy"));
	free(out);
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":6,"
				"\"name\":\"domU2\",\"policy\":\"/etc/x.policy\"}", &out));
	assert_non_null(strstr(out, "gives guest dom2 no policy"));
	free(out);
	assert_int_equal(fx.attach_calls, 0);
	snprintf(req, sizeof(req), "{\"cmd\":\"xen-attach\",\"domid\":5,\"name\":\"domU1\","
		 "\"policy\":\"%s/./domU1.policy\"}", dir);
	assert_true(attach_cmd(&fx_ops, mc, req, &out));
	assert_string_equal(out, "{\"guest\":\"dom1\",\"domid\":5,\"devices\":1}");
	free(out);
	assert_int_equal(fx.attach_calls, 1);
	assert_int_equal(fx.last_attach, 5);

	/* no device of ours in that domain; the frontend failing */
	fx.attach_result = 0;
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":6,"
				"\"name\":\"domU2\"}", &out));
	assert_non_null(strstr(out, "has no virtio-scmi device of ours"));
	free(out);
	fx.attach_result = -1;
	assert_false(attach_cmd(&fx_ops, mc, "{\"cmd\":\"xen-attach\",\"domid\":6,"
				"\"name\":\"domU2\"}", &out));
	assert_non_null(strstr(out, "failed"));
	free(out);
	assert_int_equal(fx.attach_calls, 3);
	assert_int_equal(fx.last_attach, 6);
	free(mc);
}

/* ---- --version ---------------------------------------------------------- */
static void test_version(void **state)
{
	const char *bin = getenv("BUILD_BIN");
	char cmd[600], line1[128] = "", line2[256] = "";
	FILE *p;

	assert_non_null(bin);
	snprintf(cmd, sizeof(cmd), "'%s/scmi-mediator' --version", bin);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line1, sizeof(line1), p));
	assert_non_null(fgets(line2, sizeof(line2), p));
	assert_int_equal(pclose(p), 0);
	assert_string_equal(line1, "scmi-mediator " SCMI_MEDIATOR_VERSION "\n");
#ifdef HAVE_XEN
	assert_int_equal(strncmp(line2, "xen: virtio-mmio frontend", 25), 0);
	assert_non_null(strstr(line2, "built against libxen " SCMI_XEN_VERSION " (Xen interface 0x"));
	assert_string_equal(daemon_xen_version(daemon_xen_builtin()), xen_frontend_version());
#else
	assert_string_equal(line2, "Xen frontend: not built\n");
	assert_null(daemon_xen_builtin());
#endif
	assert_string_equal(daemon_xen_version(&fx_ops), "xen: fake");
	assert_string_equal(daemon_xen_version(NULL), "Xen frontend: not built");
}

/* ---- the daemon ----------------------------------------------------------- */
static struct daemon *start(const struct daemon_xen_ops *x, FILE *err)
{
	char path[128];
	struct daemon_opts o = { .frontend = &fx_socket_frontend, .xen = x,
				 .log_level = LOG_LVL_ERROR, .log_target = -1 };

	cfg_path(path, sizeof(path));
	o.config = path;
	return daemon_new(&o, err);
}

static bool control(struct daemon *d, const char *cmd, const char *req, char **out)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	bool ok;

	assert_non_null(f);
	ok = daemon_control(d, cmd, req, f);
	fclose(f);
	return ok;
}

/* Socket guests only: xen-attach names no configured Xen guest. */
static void test_daemon_without_xen_guests(void **state)
{
	struct daemon *d;
	char *out;

	fx_reset(1);
	write_cfg("\"name=vm1,socket=vm1.sock,agent_id=1\",\n");
	d = start(NULL, stderr);
	assert_non_null(d);
	assert_false(control(d, "xen-attach", "{\"cmd\":\"xen-attach\",\"domid\":3,"
			     "\"name\":\"domU1\"}", &out));
#ifdef HAVE_XEN
	assert_non_null(strstr(out, "has socket=xen:domU1"));
#else
	assert_non_null(strstr(out, "built without the Xen frontend"));
#endif
	free(out);
	assert_false(control(d, "frob", "frob", &out));
	assert_non_null(strstr(out, "xen-attach"));
	free(out);
	daemon_free(d);
	assert_int_equal(fx.created, 1);
	assert_int_equal(fx.destroyed, 1);
}

#ifdef HAVE_XEN
static void spin(struct daemon *d, struct frontend *fe, unsigned want)
{
	for (int i = 0; i < 500 && fe->ndone < want; i++)
		ev_loop_run_once(daemon_loop(d), 10);
	assert_int_equal(fe->ndone, want);
}

static void test_daemon_xen_guests(void **state)
{
	struct frontend *vm, *x1, *x2;
	char *out, *buf = NULL, want[160];
	uint8_t m[8];
	struct daemon *d;
	struct json *v;
	size_t len = 0;
	FILE *err;

	fx_reset(1);
	write_cfg("\"name=vm1,socket=vm1.sock,agent_id=1\",\n"
		  "\"name=dom1,socket=xen:domU1,agent_id=2\",\n"
		  "\"name=dom2,socket=xen:domU2,agent_id=3\",\n");
	d = start(&fx_ops, stderr);
	assert_non_null(d);
	assert_int_equal(daemon_num_guests(d), 3);
	snprintf(want, sizeof(want), "%s/vm1.sock", dir);
	vm = fx_find(want);     /* a path, resolved; Xen names as written */
	x1 = fx_find("xen:domU1");
	x2 = fx_find("xen:domU2");
	assert_non_null(vm);
	assert_non_null(x1);
	assert_non_null(x2);

	/* A Xen guest's commands reach the platform as its own agent. */
	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 0, 1));
	scmi_put_le32(m + 4, SCMI_BASE_AGENT_ID_OWN);
	x1->core->command(x1->core_opaque, 1, m, 8, SCMI_LINUX_MSG_SIZE);
	spin(d, x1, 1);
	assert_int_equal((int32_t)scmi_get_le32(x1->resp[0] + 4), SCMI_SUCCESS);
	assert_string_equal((const char *)x1->resp[0] + 12, "dom1");

	/* No domain yet: lifecycle requests go nowhere. */
	assert_int_equal(daemon_guest_xen_request(d, "dom1", XEN_GUEST_POWEROFF), -1);
	assert_int_equal(fx.request_calls, 0);

	/* xen-attach through the daemon's control dispatch */
	assert_true(control(d, "xen-attach", "{\"cmd\":\"xen-attach\",\"domid\":12,"
			    "\"name\":\"domU1\"}", &out));
	assert_string_equal(out, "{\"guest\":\"dom1\",\"domid\":12,\"devices\":1}");
	free(out);
	assert_int_equal(fx.last_attach, 12);

	/* lifecycle: the guest's own domain, never another one */
	assert_int_equal(daemon_guest_xen_request(d, "dom1", XEN_GUEST_REBOOT), 0);
	assert_int_equal(fx.request_calls, 1);
	assert_int_equal(fx.last_request_domid, 12);
	assert_int_equal(fx.last_action, XEN_GUEST_REBOOT);
	assert_int_equal(daemon_guest_xen_request(d, "vm1", XEN_GUEST_POWEROFF), -1);
	assert_int_equal(daemon_guest_xen_request(d, "nobody", XEN_GUEST_POWEROFF), -1);
	assert_int_equal(fx.request_calls, 1);

	/* status names each guest's frontend */
	assert_true(control(d, "status", "status", &out));
	v = json_parse(out, NULL);
	assert_non_null(v);
	free(out);
	{
		const struct json *gs = json_get(v, "guests");
		unsigned nxen = 0;

		assert_non_null(gs);
		assert_int_equal(gs->n, 3);
		for (size_t i = 0; i < gs->n; i++)
			if (!strcmp(json_as_str(json_get(gs->items[i], "frontend"), ""),
				    "xen-fake"))
				nxen++;
		assert_int_equal(nxen, 2);
	}
	json_free(v);

	/* reload: domU2's guest goes (its frontend destroyed), domU1 stays */
	write_cfg("\"name=vm1,socket=vm1.sock,agent_id=1\",\n"
		  "\"name=dom1,socket=xen:domU1,agent_id=2\",\n");
	err = open_memstream(&buf, &len);
	assert_int_equal(daemon_reload(d, err), 0);
	fclose(err);
	free(buf);
	assert_int_equal(daemon_num_guests(d), 2);
	assert_ptr_equal(fx_find("xen:domU1"), x1);
	assert_null(fx_find("xen:domU2"));
	assert_int_equal(fx.destroyed, 1);
	daemon_free(d);
	assert_null(fx.fes);
	assert_int_equal(fx.destroyed, 3);
}

/* A Xen guest whose policy says system_power = "guest": its SCMI
 * SYSTEM_POWER_STATE_SET shuts down (or reboots) its own domain through the
 * Xen frontend, never the host or another domain; suspend has no Xen
 * action and is NOT_SUPPORTED. */
static void test_xen_guest_system_power(void **state)
{
	struct frontend *x1;
	char *out;
	uint8_t m[12];
	struct daemon *d;

	fx_reset(1);
	test_write_file(dir, "dom1.policy", "agent_name = \"dom1\"\nprotocols = [ \"system\" ]\n"
			"system_power = \"guest\"\n", 0644);
	write_cfg("\"name=dom1,socket=xen:domU1,agent_id=2,policy=dom1.policy\",\n"
		  "\"name=dom2,socket=xen:domU2,agent_id=3\",\n");
	d = start(&fx_ops, stderr);
	assert_non_null(d);
	x1 = fx_find("xen:domU1");
	assert_non_null(x1);
	assert_true(control(d, "xen-attach", "{\"cmd\":\"xen-attach\",\"domid\":14,"
			    "\"name\":\"domU1\"}", &out));
	free(out);

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0, 5));
	scmi_put_le32(m + 4, 0);                       /* forceful */
	scmi_put_le32(m + 8, SCMI_SYSTEM_SHUTDOWN);
	x1->core->command(x1->core_opaque, 1, m, 12, SCMI_LINUX_MSG_SIZE);
	spin(d, x1, 1);
	assert_int_equal((int32_t)scmi_get_le32(x1->resp[0] + 4), SCMI_SUCCESS);
	assert_int_equal(fx.request_calls, 1);
	assert_int_equal(fx.last_request_domid, 14);
	assert_int_equal(fx.last_action, XEN_GUEST_POWEROFF);

	/* Cold and warm reset: reboot that domain. */
	scmi_put_le32(m + 8, SCMI_SYSTEM_COLDRESET);
	x1->core->command(x1->core_opaque, 2, m, 12, SCMI_LINUX_MSG_SIZE);
	spin(d, x1, 2);
	assert_int_equal((int32_t)scmi_get_le32(x1->resp[1] + 4), SCMI_SUCCESS);
	assert_int_equal(fx.request_calls, 2);
	assert_int_equal(fx.last_request_domid, 14);
	assert_int_equal(fx.last_action, XEN_GUEST_REBOOT);
	scmi_put_le32(m + 8, SCMI_SYSTEM_WARMRESET);
	fx.last_action = XEN_GUEST_POWEROFF;
	x1->core->command(x1->core_opaque, 3, m, 12, SCMI_LINUX_MSG_SIZE);
	spin(d, x1, 3);
	assert_int_equal((int32_t)scmi_get_le32(x1->resp[2] + 4), SCMI_SUCCESS);
	assert_int_equal(fx.request_calls, 3);
	assert_int_equal(fx.last_action, XEN_GUEST_REBOOT);

	scmi_put_le32(m + 8, SCMI_SYSTEM_SUSPEND);
	x1->core->command(x1->core_opaque, 4, m, 12, SCMI_LINUX_MSG_SIZE);
	spin(d, x1, 4);
	assert_int_equal((int32_t)scmi_get_le32(x1->resp[3] + 4), SCMI_NOT_SUPPORTED);
	assert_int_equal(fx.request_calls, 3);
	daemon_free(d);
}

/* A xen: guest with the socket frontend only: no Xen ops given and the
 * real Xen frontend cannot open Xen here (or a fake with no frontend). */
static void test_daemon_xen_unavailable(void **state)
{
	static const struct daemon_xen_ops no_frontend = { .attach = fx_attach };
	char *buf = NULL;
	size_t len = 0;
	FILE *err;

	fx_reset(1);
	write_cfg("\"name=dom1,socket=xen:domU1,agent_id=2\",\n");
	err = open_memstream(&buf, &len);
	assert_null(start(&no_frontend, err));
	fclose(err);
	assert_non_null(strstr(buf, "mediator.cfg:6: guest 'dom1' could not be started"));
	free(buf);
	assert_int_equal(fx.created, 0);

	if (access("/dev/xen/privcmd", F_OK) == 0 || access("/proc/xen/privcmd", F_OK) == 0)
		return;         /* a real dom0: the built-in frontend would start */
	buf = NULL;
	err = open_memstream(&buf, &len);
	assert_null(start(NULL, err));
	fclose(err);
	assert_non_null(strstr(buf, "mediator.cfg:6: guest 'dom1' could not be started"));
	free(buf);
}

/* scmi-xl (real) with a fake xl against the daemon's control socket. */
struct xl_job {
	const char *guest_cfg;
	int rc;
	bool done;
};

static void *xl_thread(void *arg)
{
	struct xl_job *j = arg;
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "'%s/scmi-xl' create --xl '%s/xl' --ctl '%s/ctl.sock' --out-dir '%s/out' "
		 "'%s/%s' >'%s/xl.out' 2>&1", getenv("BUILD_BIN"), dir, dir, dir, dir,
		 j->guest_cfg, dir);
	st = system(cmd);
	j->rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	__atomic_store_n(&j->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

static int run_scmi_xl(struct daemon *d, const char *guest_cfg)
{
	struct xl_job j = { .guest_cfg = guest_cfg };
	char log[160];
	pthread_t t;

	snprintf(log, sizeof(log), "%s/xl.log", dir);
	unlink(log);
	assert_int_equal(pthread_create(&t, NULL, xl_thread, &j), 0);
	for (int i = 0; i < 3000 && !__atomic_load_n(&j.done, __ATOMIC_SEQ_CST); i++)
		ev_loop_run_once(daemon_loop(d), 5);
	pthread_join(t, NULL);
	return j.rc;
}

static void test_scmi_xl_attach(void **state)
{
	char want[512], *s;
	struct daemon *d;

	assert_non_null(getenv("BUILD_BIN"));
	fx_reset(1);
	snprintf(want, sizeof(want),
		 "#!/bin/sh\n"
		 "echo \"$*\" >> '%s/xl.log'\n"
		 "case \"$1\" in domid) echo 9 ;;\n"
		 "  info) echo 'xen_minor              : 20' ;; esac\n"
		 "exit 0\n", dir);
	test_write_file(dir, "xl", want, 0755);
	test_write_file(dir, "domU1.cfg", "name = \"domU1\"\nkernel = \"/boot/Image\"\n"
			"scmi = \"virtio\"\nscmi_protocols = [ \"power\" ]\n", 0644);
	test_write_file(dir, "domU7.cfg", "name = \"domU7\"\nkernel = \"/boot/Image\"\n"
			"scmi = \"virtio\"\n", 0644);
	write_cfg("\"name=dom1,socket=xen:domU1,agent_id=2\",\n");
	d = start(&fx_ops, stderr);
	assert_non_null(d);

	/* configured: create -p, attach domain 9, unpause */
	assert_int_equal(run_scmi_xl(d, "domU1.cfg"), 0);
	assert_int_equal(fx.attach_calls, 1);
	assert_int_equal(fx.last_attach, 9);
	assert_int_equal(fx_find("xen:domU1")->domid, 9);
	s = read_file("xl.log");
	assert_non_null(s);
	snprintf(want, sizeof(want), "info\ncreate -p %s/out/domU1.cfg\ndomid domU1\n"
		 "unpause domU1\n", dir);
	assert_string_equal(s, want);

	/* not configured: refused before the frontend is asked, domain destroyed */
	assert_int_equal(run_scmi_xl(d, "domU7.cfg"), 1);
	assert_int_equal(fx.attach_calls, 1);
	s = read_file("xl.log");
	snprintf(want, sizeof(want), "info\ncreate -p %s/out/domU7.cfg\ndomid domU7\n"
		 "destroy domU7\n", dir);
	assert_string_equal(s, want);
	assert_non_null(strstr(read_file("xl.out"), "has socket=xen:"));
	daemon_free(d);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_xen_guests),
		cmocka_unit_test(test_attach_command),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_daemon_without_xen_guests),
#ifdef HAVE_XEN
		cmocka_unit_test(test_daemon_xen_guests),
		cmocka_unit_test(test_xen_guest_system_power),
		cmocka_unit_test(test_daemon_xen_unavailable),
		cmocka_unit_test(test_scmi_xl_attach),
#endif
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
