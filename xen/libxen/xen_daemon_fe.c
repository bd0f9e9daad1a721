// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen frontend as the daemon's struct frontend_ops
 * (mediator/frontend.h): every configured guest whose socket is
 * "xen:DOMAIN-NAME" (only the last path component counts, so a config
 * path resolved against the config directory still works) registers its
 * name; one shared xen_frontend (created with the first guest, freed with
 * the last) attaches the virtio-scmi slot of the Xen domain with that
 * name when it appears, and hands its commands to that guest's agent.
 */
#include <stdlib.h>
#include <string.h>

#include "mediator/frontend.h"
#include "mediator/log.h"
#include "xen/frontend.h"
#include "xen/xl_derive.h"

struct frontend {
	struct frontend *next;
	char name[64];
	const struct scmi_dev_ops *core;
	void *core_opaque;
	struct scmi_dev *dev;           /* while the domain's device exists */
	unsigned domid;
	const struct xen_guest_lifecycle *lc;
	uint64_t connections, disconnects;
};

static struct {
	struct xen_frontend *fe;
	struct frontend *guests;
	struct xen_fe_config cfg;
} xd = { .cfg = { .vdisk_marker = XL_DERIVE_DEFAULT_MARKER } };

static struct frontend *by_name(const char *name)
{
	for (struct frontend *g = xd.guests; g; g = g->next)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

static struct frontend *by_opaque(void *core_opaque)
{
	for (struct frontend *g = xd.guests; g; g = g->next)
		if (g->core_opaque == core_opaque)
			return g;
	return NULL;
}

static int xd_attach(void *opaque, unsigned domid, const char *name,
		     const struct xen_guest_lifecycle *lc, const struct scmi_dev_ops **ops,
		     void **ops_opaque, bool *p2a)
{
	struct frontend *g = by_name(name);

	if (!g)
		return -1;
	if (g->dev) {
		log_err("xen: guest %s already has a device (domain %u); domain %u refused", name,
			g->domid, domid);
		return -1;
	}
	g->domid = domid;
	g->lc = lc;
	*ops = g->core;
	*ops_opaque = g->core_opaque;
	*p2a = true;
	return 0;
}

static void xd_bound(void *ops_opaque, struct scmi_dev *dev)
{
	struct frontend *g = by_opaque(ops_opaque);

	if (!g)
		return;
	g->dev = dev;
	g->connections++;
	scmi_dev_set_name(dev, g->name);
}

static void xd_detach(void *ops_opaque)
{
	struct frontend *g = by_opaque(ops_opaque);

	if (!g)
		return;
	if (g->dev)
		g->disconnects++;
	g->dev = NULL;
	g->lc = NULL;
}

static const struct xen_fe_core xd_core = {
	.attach = xd_attach,
	.bound = xd_bound,
	.detach = xd_detach,
};

static struct frontend *xd_create(struct ev_loop *loop, const char *socket,
				  const struct scmi_dev_ops *core, void *core_opaque)
{
	const char *name = strrchr(socket, '/');
	struct frontend *g;

	name = name ? name + 1 : socket;
	if (strncmp(name, "xen:", 4) || !name[4] || strlen(name + 4) >= sizeof(g->name)) {
		log_err("xen: guest socket '%s' must be xen:DOMAIN-NAME", socket);
		return NULL;
	}
	name += 4;
	if (by_name(name)) {
		log_err("xen: domain name %s is used by two guests", name);
		return NULL;
	}
	if (!xd.fe) {
		xd.fe = xen_frontend_new(loop, &xd.cfg, &xd_core, NULL);
		if (!xd.fe)
			return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->core = core;
	g->core_opaque = core_opaque;
	g->next = xd.guests;
	xd.guests = g;
	return g;
}

static void xd_destroy(struct frontend *g)
{
	struct frontend **pp;

	/* Detaching resets the device: the agent's reset runs now. */
	if (g->dev && xd.fe)
		xen_frontend_detach_domain(xd.fe, g->domid);
	for (pp = &xd.guests; *pp && *pp != g; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = g->next;
	free(g);
	if (!xd.guests && xd.fe) {
		xen_frontend_free(xd.fe);
		xd.fe = NULL;
	}
}

static void xd_complete(struct frontend *g, uint32_t cookie, const uint8_t *resp, size_t len)
{
	if (g->dev)
		scmi_dev_complete(g->dev, cookie, resp, len);
}

static int xd_event(struct frontend *g, const uint8_t *msg, size_t len)
{
	return g->dev ? scmi_dev_event(g->dev, msg, len) : -1;
}

static void xd_status(struct frontend *g, struct frontend_status *st)
{
	memset(st, 0, sizeof(*st));
	st->connected = g->dev != NULL;
	st->connections = g->connections;
	st->disconnects = g->disconnects;
	if (g->dev) {
		st->features = scmi_dev_features(g->dev);
		st->dev_inflight = scmi_dev_inflight(g->dev);
		st->dev = *scmi_dev_stats(g->dev);
	}
}

const struct frontend_ops xen_frontend_ops = {
	.name = "xen",
	.create = xd_create,
	.destroy = xd_destroy,
	.complete = xd_complete,
	.event = xd_event,
	.status = xd_status,
};

void xen_frontend_ops_config(const struct xen_fe_config *cfg)
{
	xd.cfg = *cfg;
}

int xen_frontend_ops_attach(unsigned domid)
{
	if (!xd.fe) {
		log_err("xen: attach domain %u: no Xen guest is configured", domid);
		return -1;
	}
	return xen_frontend_attach_domain(xd.fe, domid);
}

int xen_frontend_ops_request(unsigned domid, enum xen_guest_action a)
{
	for (struct frontend *g = xd.guests; g; g = g->next)
		if (g->dev && g->domid == domid && g->lc)
			return g->lc->request(g->lc->opaque, a);
	return -1;
}

int xen_frontend_ops_domid(const struct frontend *g)
{
	return g && g->dev ? (int)g->domid : -1;
}
