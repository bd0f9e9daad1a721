// SPDX-License-Identifier: GPL-2.0-only
/* Policy files: valid ones (the examples), broken ones rejected with the
 * exact FILE:LINE, and the checks across guests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/mediator_cfg.h"
#include "config/platform_desc.h"
#include "config/policy_cfg.h"
#include "mediator/daemon.h"

#define DIR "tests/data/policy/"
#define EX "config/examples/"

static struct plat_desc *ref(void)
{
	struct plat_desc *pd = plat_desc_load("config/platforms/reference.cfg", stderr);

	assert_non_null(pd);
	return pd;
}

/* Load a policy expected to fail; returns the diagnostics (caller frees). */
static char *load_fail(const char *path, const struct plat_desc *pd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct policy *p;

	assert_non_null(m);
	p = policy_load(path, pd, m);
	fclose(m);
	if (p)
		fail_msg("%s loaded but should not", path);
	return buf;
}

static void test_examples(void **state)
{
	struct plat_desc *pd = ref();
	struct policy *g1 = policy_load(EX "guest1.policy", pd, stderr);
	struct policy *g2 = policy_load(EX "guest2.policy", pd, stderr);
	struct policy *c = policy_load(EX "control.policy", pd, stderr);
	const struct policy *set[3] = { g1, g2, c };
	const struct pol_res *r;

	(void)state;
	assert_non_null(g1);
	assert_non_null(g2);
	assert_non_null(c);
	assert_string_equal(g1->agent_name, "guest1");
	assert_int_equal(g1->system_power, POL_SYS_GUEST);
	assert_int_equal(g2->system_power, POL_SYS_DENY);
	assert_int_equal(c->system_power, POL_SYS_PLATFORM);
	assert_true(policy_allows(g1, SCMI_PROTO_PINCTRL));
	assert_false(policy_allows(g2, SCMI_PROTO_PINCTRL));
	assert_false(policy_allows(g2, SCMI_PROTO_SYSTEM));
	assert_true(policy_allows(g2, SCMI_PROTO_BASE));
	/* clocks of guest1: 0 -> 6 (refcount, range, renamed), 1 -> 2, 2 -> 3 */
	r = policy_res_guest(g1, SCMI_PROTO_CLOCK, 0);
	assert_non_null(r);
	assert_int_equal(r->plat_id, 6);
	assert_int_equal(r->share, POL_SHARED_REFCOUNT);
	assert_true(r->has_range);
	assert_int_equal(r->min, 1843200);
	assert_int_equal(r->max, 48000000);
	assert_string_equal(r->name, "uart_clk");
	assert_int_equal(r->rights, POL_READ | POL_CONTROL);
	assert_int_equal(r->line, 13);
	assert_null(policy_res_guest(g1, SCMI_PROTO_CLOCK, 3));
	r = policy_res_plat(g1, SCMI_PROTO_CLOCK, 3);
	assert_non_null(r);
	assert_int_equal(r->guest_id, 2);
	assert_null(policy_res_plat(g1, SCMI_PROTO_CLOCK, 5));
	r = policy_res_guest(g2, SCMI_PROTO_CLOCK, 2);
	assert_int_equal(r->rights, POL_READ);
	assert_int_equal(policy_res_guest(g2, SCMI_PROTO_PERF, 0)->share, POL_SHARED_MAX);
	/* pinctrl id spaces */
	assert_int_equal(g1->proto[POL_IDX(SCMI_PROTO_PINCTRL)].nres, 6);
	assert_int_equal(policy_space_guest(policy_space(g1, SCMI_PROTO_PINCTRL,
							 SCMI_PINCTRL_TYPE_GROUP), 0)->plat_id, 2);
	assert_null(policy_space(g1, SCMI_PROTO_PINCTRL, 3));
	assert_int_equal(policy_check_set(set, 3, stderr), 0);
	policy_free(g1);
	policy_free(g2);
	policy_free(c);
	plat_desc_free(pd);
}

static void test_check_config(void **state)
{
	(void)state;
	assert_int_equal(daemon_check_config(EX "mediator-3guests.cfg", stderr), 0);
	assert_int_equal(daemon_check_config(EX "mediator.cfg", stderr), 0);
}

static void test_check_config_bad_policy(void **state)
{
	char path[] = "/tmp/test_policy_cfgXXXXXX", cfg[64], pol[64], *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	char cwd[512];

	(void)state;
	assert_non_null(mkdtemp(path));
	assert_non_null(getcwd(cwd, 256));
	snprintf(pol, sizeof(pol), "%s/g.policy", path);
	snprintf(cfg, sizeof(cfg), "%s/m.cfg", path);
	f = fopen(pol, "w");
	fprintf(f, "clocks = [ \"guest=0,platform=99\" ]\n");
	fclose(f);
	f = fopen(cfg, "w");
	fprintf(f, "platform_config = \"%s/config/platforms/reference.cfg\"\n"
		"guests = [\n\t\"name=g,socket=/tmp/x.sock,agent_id=2,policy=g.policy\",\n]\n",
		cwd);
	fclose(f);
	m = open_memstream(&buf, &len);
	assert_int_equal(daemon_check_config(cfg, m), -1);
	fclose(m);
	snprintf(cwd, sizeof(cwd), "%s:1: clocks: platform id 99 does not exist", pol);
	assert_non_null(strstr(buf, cwd));
	snprintf(cwd, sizeof(cwd), "%s:3: guest 'g': policy %s is not valid", cfg, pol);
	assert_non_null(strstr(buf, cwd));
	free(buf);
	unlink(pol);
	unlink(cfg);
	rmdir(path);
}

static const struct {
	const char *file;
	const char *where;   /* ":LINE: message start" */
} broken[] = {
	{ "unknown_key.policy", ":3: unknown key 'colour'" },
	{ "unknown_spec_key.policy", ":3: unknown key 'speed'" },
	{ "not_dense.policy", ":3: clocks: guest ids must be dense from 0: guest id 2" },
	{ "dup_guest.policy", ":4: power: guest id 1 already defined at line 3" },
	{ "dup_platform.policy", ":3: resets: platform id 1 already mapped at line 2" },
	{ "no_such_clock.policy", ":3: clocks: platform id 7 does not exist (the platform has 7)" },
	{ "bad_range.policy", ":2: range '1000-300'" },
	{ "range_syntax.policy", ":1: range 'fast': use MIN-MAX" },
	{ "range_not_here.policy", ":2: sensors: range= is not meaningful here" },
	{ "bad_rights.policy", ":1: rights 'write': use read or control" },
	{ "bad_share.policy", ":3: share 'min': use exclusive, refcount or max" },
	{ "bad_system_power.policy", ":2: system_power 'everyone'" },
	{ "protocol_missing.policy", ":2: 'power' grants resources of protocol 'power'" },
	{ "bad_protocol.policy", ":2: protocol 'base'" },
	{ "missing_guest.policy", ":1: voltages: 'guest=ID' is required" },
	{ "long_agent_name.policy", ":1: agent_name 'a_name_longer_than_fifteen'" },
	{ "group_without_pins.policy", ":3: pin_groups: group 0 needs pin 1 in 'pins'" },
	{ "no_such_voltage.policy", ":2: voltages: platform id 3 does not exist" },
	{ "syntax.policy", ":2: config parsing error" },
};

static void test_broken(void **state)
{
	struct plat_desc *pd = ref();
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		char path[128], *err;

		snprintf(path, sizeof(path), DIR "%s", broken[i].file);
		err = load_fail(path, pd);
		snprintf(want, sizeof(want), "%s%s", path, broken[i].where);
		if (!err || !strstr(err, want))
			fail_msg("%s: expected '%s' in:\n%s", broken[i].file, want,
				 err ? err : "(nothing)");
		free(err);
	}
	plat_desc_free(pd);
}

/* Without a platform description, ids are not bounded yet. */
static void test_no_platform(void **state)
{
	struct policy *p = policy_load(DIR "no_such_clock.policy", NULL, stderr);

	(void)state;
	assert_non_null(p);
	assert_int_equal(policy_res_guest(p, SCMI_PROTO_CLOCK, 0)->plat_id, 7);
	policy_free(p);
}

static int set_errors(const char *a, const char *b, char **out)
{
	struct plat_desc *pd = ref();
	struct policy *pa = policy_load(a, pd, stderr), *pb = policy_load(b, pd, stderr);
	const struct policy *set[2] = { pa, pb };
	size_t len = 0;
	FILE *m = open_memstream(out, &len);
	int n;

	assert_non_null(pa);
	assert_non_null(pb);
	n = policy_check_set(set, 2, m);
	fclose(m);
	policy_free(pa);
	policy_free(pb);
	plat_desc_free(pd);
	return n;
}

static void test_set(void **state)
{
	char *err = NULL;

	(void)state;
	/* clock 2: exclusive in a, read-only claim in b */
	assert_int_equal(set_errors(DIR "excl_a.policy", DIR "excl_b.policy", &err), 1);
	assert_non_null(strstr(err, DIR "excl_b.policy:3: clocks: platform id 2 is claimed "
			       "exclusively, but " DIR "excl_a.policy:1 claims it too"));
	free(err);
	/* clock 6: refcount in a, max in the other */
	assert_int_equal(set_errors(DIR "excl_a.policy", DIR "share_mismatch.policy", &err), 1);
	assert_non_null(strstr(err, DIR "share_mismatch.policy:1: clocks: platform id 6 shared "
			       "as 'max', but " DIR "excl_a.policy:1 shares it as 'refcount'"));
	free(err);
	/* two readers never conflict */
	assert_int_equal(set_errors(DIR "excl_b.policy", DIR "readers.policy", &err), 0);
	free(err);
	assert_int_equal(set_errors(DIR "readers.policy", DIR "excl_a.policy", &err), 1);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_check_config),
		cmocka_unit_test(test_check_config_bad_policy),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_no_platform),
		cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
