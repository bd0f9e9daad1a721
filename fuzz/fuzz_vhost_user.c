// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: an arbitrary byte stream from a vhost-user frontend
 * (no file descriptors) into the backend server over a socketpair. After
 * EOF the server must have dropped the connection, and must accept the
 * next one; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"
#include "vhost-user/vhost_user.h"

static struct ev_loop *loop;
static struct vhost_user_server *srv;
static char dir[64];

static void core_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	uint8_t r[8];

	memcpy(r, req, 4);
	memset(r + 4, 0, 4);
	scmi_dev_complete(vhost_user_server_dev(srv), cookie, r, sizeof(r));
}

static void core_reset(void *opaque)
{
}

static const struct scmi_dev_ops core_ops = {
	.command = core_command,
	.reset = core_reset,
};

static void cleanup(void)
{
	char p[128];

	vhost_user_server_free(srv);
	ev_loop_free(loop);
	snprintf(p, sizeof(p), "%s", dir);
	rmdir(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[128];

	log_set_level(LOG_LVL_ERROR);
	strcpy(dir, "/tmp/fuzz-vhu-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/s.sock", dir);
	loop = ev_loop_new();
	srv = loop ? vhost_user_server_new(loop, path, &core_ops, NULL) : NULL;
	if (!srv)
		abort();
	scmi_dev_set_p2a_offered(vhost_user_server_dev(srv), true);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	char sink[4096];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	if (vhost_user_server_attach_fd(srv, sv[1]))
		abort();
	/* the stream, then EOF: the server must end up disconnected */
	if (size && send(sv[0], data, size, MSG_NOSIGNAL) != (ssize_t)size)
		abort();
	shutdown(sv[0], SHUT_WR);
	for (int i = 0; i < 10000 && vhost_user_server_connected(srv); i++) {
		ev_loop_run_once(loop, 0);
		while (recv(sv[0], sink, sizeof(sink), MSG_DONTWAIT) > 0)
			;
	}
	if (vhost_user_server_connected(srv))
		abort();
	close(sv[0]);
	return 0;
}
