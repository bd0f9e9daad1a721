// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/daemon.h"
#include "mediator/evloop.h"
#include "mediator/virtio/scmi_dev.h"
#include "tests/support/script_fe.h"

struct frontend *script_fes;

static struct frontend *sf_create(struct ev_loop *loop, const char *socket,
				  const struct scmi_dev_ops *core, void *opaque)
{
	struct frontend *fe = calloc(1, sizeof(*fe));

	(void)loop;
	assert_non_null(fe);
	snprintf(fe->socket, sizeof(fe->socket), "%s", socket);
	fe->core = core;
	fe->core_opaque = opaque;
	fe->next = script_fes;
	script_fes = fe;
	return fe;
}

static void sf_destroy(struct frontend *fe)
{
	struct frontend **pp;

	fe->core->reset(fe->core_opaque);
	for (pp = &script_fes; *pp; pp = &(*pp)->next)
		if (*pp == fe) {
			*pp = fe->next;
			break;
		}
	free(fe);
}

static void sf_complete(struct frontend *fe, uint32_t cookie, const uint8_t *r, size_t len)
{
	(void)cookie;
	memcpy(fe->resp, r, len);
	fe->len = len;
	fe->ndone++;
}

static int sf_event(struct frontend *fe, const uint8_t *m, size_t len)
{
	memcpy(fe->ev, m, len);
	fe->nev++;
	return 0;
}

static void sf_status(struct frontend *fe, struct frontend_status *st)
{
	(void)fe;
	memset(st, 0, sizeof(*st));
	st->connected = true;
	st->features = 1ull << VIRTIO_F_VERSION_1;
}

const struct frontend_ops script_fe_ops = {
	.name = "test", .create = sf_create, .destroy = sf_destroy,
	.complete = sf_complete, .event = sf_event, .status = sf_status,
};

struct frontend *script_fe_find(const char *suffix)
{
	struct frontend *fe;

	for (fe = script_fes; fe; fe = fe->next)
		if (strstr(fe->socket, suffix))
			return fe;
	return NULL;
}

int32_t script_fe_call(struct ev_loop *loop, struct frontend *fe, uint8_t proto, uint8_t id,
		       const uint32_t *args, unsigned n)
{
	unsigned want = fe->ndone + 1, i;
	uint8_t m[32];

	assert_true(n <= 7);
	scmi_put_le32(m, scmi_hdr(proto, id, 0, (uint16_t)want));
	for (i = 0; i < n; i++)
		scmi_put_le32(m + 4 + 4 * i, args[i]);
	fe->core->command(fe->core_opaque, want, m, 4 + 4 * n, SCMI_LINUX_MSG_SIZE);
	for (i = 0; i < 400 && fe->ndone < want; i++)
		ev_loop_run_once(loop, 5);
	assert_int_equal(fe->ndone, want);
	return (int32_t)scmi_get_le32(fe->resp + 4);
}

void script_fe_spin(struct ev_loop *loop, unsigned ms)
{
	uint64_t end = ev_now_ns() + ms * 1000000ull;

	while (ev_now_ns() < end)
		ev_loop_run_once(loop, 5);
}

void script_fe_daemon_free(struct daemon *d)
{
	daemon_free(d);
	assert_null(script_fes);
}
