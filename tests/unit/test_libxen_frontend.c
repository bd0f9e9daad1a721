// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen frontend's binding to the Xen libraries, on a host without a
 * hypervisor (built only with HAVE_XEN): it must fail cleanly (NULL,
 * logged, nothing left registered in the loop) when the Xen interfaces
 * cannot be opened, refuse a core without callbacks, and report its
 * version; the daemon's frontend_ops refuse sockets that are not
 * xen:DOMAIN-NAME. The ioreq layout checks against Xen's headers are compile-time
 * assertions in xen/libxen/xen_frontend.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "mediator/evloop.h"
#include "mediator/frontend.h"
#include "mediator/log.h"
#include "xen/frontend.h"

static int attach(void *o, unsigned domid, const char *name, const struct xen_guest_lifecycle *lc,
		  const struct scmi_dev_ops **ops, void **ops_opaque, bool *p2a)
{
	fail_msg("attach must not be called without Xen");
	return -1;
}

static void bound(void *o, struct scmi_dev *dev)
{
	fail_msg("bound must not be called without Xen");
}

static void detach(void *o)
{
	fail_msg("detach must not be called without Xen");
}

static const struct xen_fe_core core = { .attach = attach, .bound = bound, .detach = detach };

static void test_no_hypervisor(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct xen_fe_config cfg = { .vdisk_marker = "/run/scmi-mediator/xen-scmi-virtio" };

	assert_non_null(loop);
	if (access("/dev/xen/privcmd", F_OK) == 0 || access("/proc/xen/privcmd", F_OK) == 0)
		skip();         /* a real dom0: not this test's business */
	assert_null(xen_frontend_new(loop, &cfg, &core, NULL));
	/* Nothing registered: the loop has no fd to report. */
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	ev_loop_free(loop);
}

static void test_core_callbacks_required(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct xen_fe_core partial = { .attach = attach };

	assert_null(xen_frontend_new(loop, NULL, &partial, NULL));
	assert_null(xen_frontend_new(loop, NULL, NULL, NULL));
	ev_loop_free(loop);
}

static void test_version(void **state)
{
	const char *v = xen_frontend_version();

	assert_non_null(v);
	assert_non_null(strstr(v, "xen:"));
	assert_non_null(strstr(v, "virtio-mmio"));
	assert_non_null(strstr(v, "0x0004"));   /* Xen interface version 4.x */
	/* The libraries' version as pkg-config reports it (4.17.0, 4.20.0). */
	assert_non_null(strstr(v, "built against libxen " SCMI_XEN_VERSION " ("));
	assert_int_equal(strncmp(SCMI_XEN_VERSION, "4.", 2), 0);
}

/* The daemon's frontend_ops: socket names and the missing hypervisor. */
static void test_daemon_frontend_ops(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	static const struct scmi_dev_ops none;

	assert_string_equal(xen_frontend_ops.name, "xen");
	assert_null(xen_frontend_ops.create(loop, "/etc/scmi/domU1", &none, NULL));
	assert_null(xen_frontend_ops.create(loop, "/etc/scmi/xen:", &none, NULL));
	if (access("/dev/xen/privcmd", F_OK) != 0 && access("/proc/xen/privcmd", F_OK) != 0)
		assert_null(xen_frontend_ops.create(loop, "/etc/scmi/xen:domU1", &none, NULL));
	assert_int_equal(xen_frontend_ops_attach(5), -1);
	assert_int_equal(xen_frontend_ops_request(5, XEN_GUEST_REBOOT), -1);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_hypervisor),
		cmocka_unit_test(test_core_callbacks_required),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_daemon_frontend_ops),
	};

	log_set_level(LOG_LVL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
