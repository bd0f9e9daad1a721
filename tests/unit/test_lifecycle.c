// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest SYSTEM_POWER: policy deny/platform/guest, the action mapping,
 * per-guest commands run without a shell and reaped from the loop (exit
 * status, busy, timeout kill), and the mediator config keys.
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
#include <unistd.h>

#include "config/mediator_cfg.h"
#include "mediator/evloop.h"
#include "mediator/lifecycle.h"
#include "mediator/lifecycle_cmd.h"
#include "mediator/scmi_msg.h"

struct rec {
	unsigned calls, guest;
	enum lc_action act;
	bool graceful;
	int rc;
};

static int rec_action(void *opaque, unsigned guest, enum lc_action act, bool graceful)
{
	struct rec *r = opaque;

	r->calls++;
	r->guest = guest;
	r->act = act;
	r->graceful = graceful;
	return r->rc;
}

static const struct lifecycle_ops rec_ops = { .action = rec_action };

static int32_t sysreq(const struct policy *p, struct rec *r, uint32_t flags, uint32_t state,
		      enum agent_verdict *vd)
{
	uint8_t m[12], resp[16];
	size_t rl = 0;

	scmi_put_le32(m, scmi_hdr(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0, 3));
	scmi_put_le32(m + 4, flags);
	scmi_put_le32(m + 8, state);
	*vd = lc_system_request(p, 2, &rec_ops, r, m, sizeof(m), resp, &rl, sizeof(resp));
	if (*vd == AGENT_FORWARD)
		return INT32_MIN;
	assert_int_equal(rl, 8);
	assert_int_equal(scmi_get_le32(resp), scmi_get_le32(m));
	return (int32_t)scmi_get_le32(resp + 4);
}

static void test_policy(void **state)
{
	struct policy p = { 0 };
	struct rec r = { 0 };
	enum agent_verdict vd;

	(void)state;
	p.system_power = POL_SYS_DENY;
	assert_int_equal(sysreq(&p, &r, 0, SCMI_SYSTEM_SHUTDOWN, &vd), SCMI_DENIED);
	p.system_power = POL_SYS_PLATFORM;
	sysreq(&p, &r, 0, SCMI_SYSTEM_SHUTDOWN, &vd);
	assert_int_equal(vd, AGENT_FORWARD);
	assert_int_equal(r.calls, 0);
	p.system_power = POL_SYS_GUEST;
	assert_int_equal(sysreq(&p, &r, 1, SCMI_SYSTEM_COLDRESET, &vd), SCMI_SUCCESS);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.guest, 2);
	assert_int_equal(r.act, LC_REBOOT);
	assert_true(r.graceful);
	assert_int_equal(sysreq(&p, &r, 0, SCMI_SYSTEM_SUSPEND, &vd), SCMI_SUCCESS);
	assert_int_equal(r.act, LC_SUSPEND);
	assert_false(r.graceful);
	/* no action for POWERUP or vendor states; reserved flags */
	assert_int_equal(sysreq(&p, &r, 0, SCMI_SYSTEM_POWERUP, &vd), SCMI_NOT_SUPPORTED);
	assert_int_equal(sysreq(&p, &r, 0, 0x80000001u, &vd), SCMI_NOT_SUPPORTED);
	assert_int_equal(sysreq(&p, &r, 2, SCMI_SYSTEM_SHUTDOWN, &vd), SCMI_INVALID_PARAMETERS);
	assert_int_equal(r.calls, 2);
	/* the hook's refusals */
	r.rc = -ENOENT;
	assert_int_equal(sysreq(&p, &r, 0, SCMI_SYSTEM_SHUTDOWN, &vd), SCMI_NOT_SUPPORTED);
	r.rc = -EBUSY;
	assert_int_equal(sysreq(&p, &r, 0, SCMI_SYSTEM_SHUTDOWN, &vd), SCMI_BUSY);
	r.rc = -EIO;
	assert_int_equal(sysreq(&p, &r, 0, SCMI_SYSTEM_SHUTDOWN, &vd), SCMI_GENERIC_ERROR);
	assert_int_equal(lc_action_from_state(SCMI_SYSTEM_WARMRESET), LC_REBOOT);
	assert_int_equal(lc_action_from_state(SCMI_SYSTEM_SHUTDOWN), LC_SHUTDOWN);
}

static void wait_idle(struct ev_loop *loop, struct lc_cmd *lc)
{
	unsigned i;

	for (i = 0; i < 500 && lc_cmd_running(lc); i++)
		ev_loop_run_once(loop, 20);
	assert_int_equal(lc_cmd_running(lc), 0);
}

static void test_commands(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct lc_cmd *lc = lc_cmd_new(loop, 2, 0);
	char path[] = "/tmp/lc-test-XXXXXX", line[128];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	/* the command runs (arguments without a shell) and is reaped */
	snprintf(line, sizeof(line), "/usr/bin/touch %s", path);
	assert_int_equal(lc_cmd_set(lc, 0, LC_SHUTDOWN, line), 0);
	assert_int_equal(lc_cmd_ops.action(lc, 0, LC_SHUTDOWN, true), 0);
	assert_int_equal(lc_cmd_running(lc), 1);
	/* one action per guest at a time */
	assert_int_equal(lc_cmd_ops.action(lc, 0, LC_SHUTDOWN, true), -EBUSY);
	wait_idle(loop, lc);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	assert_int_equal(lc_cmd_stats(lc)->succeeded, 1);
	/* a failing command; nothing configured; bad lines */
	assert_int_equal(lc_cmd_set(lc, 1, LC_REBOOT, "/bin/false"), 0);
	assert_int_equal(lc_cmd_ops.action(lc, 1, LC_REBOOT, false), 0);
	wait_idle(loop, lc);
	assert_int_equal(lc_cmd_stats(lc)->failed, 1);
	assert_int_equal(lc_cmd_ops.action(lc, 1, LC_SUSPEND, false), -ENOENT);
	assert_int_equal(lc_cmd_set(lc, 1, LC_SUSPEND, "false"), -EINVAL);
	assert_int_equal(lc_cmd_set(lc, 1, LC_SUSPEND, "/a 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"),
			 -EINVAL);
	assert_int_equal(lc_cmd_set(lc, 5, LC_SUSPEND, "/bin/true"), -EINVAL);
	/* a shell metacharacter is just an argument: no shell runs */
	snprintf(line, sizeof(line), "/usr/bin/touch %s;x", path);
	assert_int_equal(lc_cmd_set(lc, 1, LC_SUSPEND, line), 0);
	assert_int_equal(lc_cmd_ops.action(lc, 1, LC_SUSPEND, false), 0);
	wait_idle(loop, lc);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(line, sizeof(line), "%s;x", path);
	assert_int_equal(unlink(line), 0);
	/* a program that does not exist: the child exits 127 */
	assert_int_equal(lc_cmd_set(lc, 1, LC_SUSPEND, "/nonexistent/prog"), 0);
	assert_int_equal(lc_cmd_ops.action(lc, 1, LC_SUSPEND, false), 0);
	wait_idle(loop, lc);
	assert_int_equal(lc_cmd_stats(lc)->failed, 2);
	lc_cmd_free(lc);
	ev_loop_free(loop);
}

static void test_timeout_and_free(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct lc_cmd *lc = lc_cmd_new(loop, 1, 50000000ull);

	(void)state;
	assert_int_equal(lc_cmd_set(lc, 0, LC_REBOOT, "/bin/sleep 10"), 0);
	assert_int_equal(lc_cmd_ops.action(lc, 0, LC_REBOOT, true), 0);
	wait_idle(loop, lc);
	assert_int_equal(lc_cmd_stats(lc)->killed, 1);
	assert_int_equal(lc_cmd_stats(lc)->failed, 1);
	/* freed while one runs: killed and reaped */
	assert_int_equal(lc_cmd_ops.action(lc, 0, LC_REBOOT, true), 0);
	lc_cmd_free(lc);
	ev_loop_free(loop);
}

static void test_config_keys(void **state)
{
	struct mediator_cfg *mc = mediator_cfg_load("tests/data/lifecycle/guests.cfg", stderr);
	char *buf = NULL;
	size_t len = 0;
	FILE *err;

	(void)state;
	assert_non_null(mc);
	assert_string_equal(mc->guests[0].on_shutdown, "/usr/bin/xl shutdown vm1");
	assert_string_equal(mc->guests[0].on_reboot, "/usr/bin/xl reboot vm1");
	assert_string_equal(mc->guests[0].on_suspend, "");
	assert_string_equal(mc->guests[1].on_shutdown, "");
	assert_false(mcfg_guest_same(&mc->guests[0], &mc->guests[1]));
	mediator_cfg_free(mc);
	err = open_memstream(&buf, &len);
	assert_null(mediator_cfg_load("tests/data/lifecycle/relative.cfg", err));
	fclose(err);
	assert_non_null(strstr(buf, "relative.cfg:3:"));
	assert_non_null(strstr(buf, "on_suspend 'xl suspend vm1': needs an absolute"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_timeout_and_free),
		cmocka_unit_test(test_config_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
