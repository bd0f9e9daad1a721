// SPDX-License-Identifier: GPL-2.0-only
/*
 * Daemon frontend over the vhost-user server: one listening socket per
 * guest, the server owning the guest's scmi_dev.
 */
#include <string.h>

#include "frontend_vhost.h"
#include "virtio/scmi_dev.h"
#include "../vhost-user/vhost_user.h"

static struct vhost_user_server *vus(struct frontend *fe)
{
	return (struct vhost_user_server *)fe;
}

static struct frontend *vf_create(struct ev_loop *loop, const char *socket,
				  const struct scmi_dev_ops *core, void *core_opaque)
{
	struct vhost_user_server *s = vhost_user_server_new(loop, socket, core, core_opaque);

	if (!s)
		return NULL;
	/* The platform sends delayed responses and notifications. */
	scmi_dev_set_p2a_offered(vhost_user_server_dev(s), true);
	return (struct frontend *)s;
}

static void vf_destroy(struct frontend *fe)
{
	vhost_user_server_free(vus(fe));
}

static void vf_complete(struct frontend *fe, uint32_t cookie, const uint8_t *resp, size_t len)
{
	scmi_dev_complete(vhost_user_server_dev(vus(fe)), cookie, resp, len);
}

static int vf_event(struct frontend *fe, const uint8_t *msg, size_t len)
{
	return scmi_dev_event(vhost_user_server_dev(vus(fe)), msg, len);
}

static void vf_status(struct frontend *fe, struct frontend_status *st)
{
	struct vhost_user_status vs;
	struct scmi_dev *dev = vhost_user_server_dev(vus(fe));

	memset(st, 0, sizeof(*st));
	vhost_user_server_status(vus(fe), &vs);
	st->connected = vs.connected;
	st->features = vs.features;
	st->connections = vs.connections;
	st->disconnects = vs.disconnects;
	st->dev_inflight = scmi_dev_inflight(dev);
	st->dev = *scmi_dev_stats(dev);
}

const struct frontend_ops vhost_user_frontend_ops = {
	.name = "vhost-user",
	.create = vf_create,
	.destroy = vf_destroy,
	.complete = vf_complete,
	.event = vf_event,
	.status = vf_status,
};
