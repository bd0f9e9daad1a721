// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's Xen side (daemon_xen.h): the built-in ops, the xen-attach
 * control command and guest lifecycle actions.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "daemon_xen.h"
#include "frontend.h"
#include "log.h"
#include "../config/mediator_cfg.h"

/* Domain ids a guest can have: dom0 never brings our slot, and ids from
 * DOMID_FIRST_RESERVED (0x7ff0) on are Xen's own. */
#define XEN_DOMID_MIN 1
#define XEN_DOMID_MAX 0x7fefu

#ifdef HAVE_XEN
static int builtin_domid(const struct frontend *fe)
{
	return xen_frontend_ops_domid(fe);
}

static const struct daemon_xen_ops builtin = {
	.frontend = &xen_frontend_ops,
	.attach = xen_frontend_ops_attach,
	.domid = builtin_domid,
	.request = xen_frontend_ops_request,
	.version = xen_frontend_version,
};

const struct daemon_xen_ops *daemon_xen_builtin(void)
{
	return &builtin;
}
#else
const struct daemon_xen_ops *daemon_xen_builtin(void)
{
	return NULL;
}
#endif

const char *daemon_xen_version(const struct daemon_xen_ops *x)
{
	return x && x->version ? x->version() : "Xen frontend: not built";
}

/* The unsigned integer value of "key" in a one-level JSON object line. */
static bool json_get_uint(const char *json, const char *key, unsigned long *v)
{
	size_t klen = strlen(key);
	const char *p = json;
	char *end;

	while ((p = strchr(p, '"'))) {
		if (!strncmp(p + 1, key, klen) && p[1 + klen] == '"') {
			p += klen + 2;
			p += strspn(p, " \t");
			if (*p++ != ':')
				return false;
			p += strspn(p, " \t");
			if (*p < '0' || *p > '9')
				return false;
			*v = strtoul(p, &end, 10);
			return *v != ULONG_MAX && !strchr("0123456789.eE", *end);
		}
		p++;
	}
	return false;
}

static const struct mcfg_guest *xen_guest(const struct mediator_cfg *mc, const char *dom)
{
	for (unsigned i = 0; i < mc->nguests; i++) {
		const char *n = mcfg_guest_xen_domain(&mc->guests[i]);

		if (n && !strcmp(n, dom))
			return &mc->guests[i];
	}
	return NULL;
}

/* The policy scmi-xl names (the xl config's scmi_policy) must be the one
 * the mediator applies (its own configuration). */
static bool same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (!strcmp(a, b))
		return true;
	return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

bool daemon_xen_attach_cmd(const struct daemon_xen_ops *x, const struct mediator_cfg *mc,
			   const char *req, FILE *out)
{
	char name[MCFG_XEN_NAME_MAX], policy[PATH_MAX];
	const struct mcfg_guest *g;
	unsigned long domid;
	bool has_policy;
	int n;

	if (!x || !x->attach) {
		fputs("this scmi-mediator was built without the Xen frontend (HAVE_XEN=0)", out);
		return false;
	}
	if (!json_get_uint(req, "domid", &domid) || domid < XEN_DOMID_MIN ||
	    domid > XEN_DOMID_MAX) {
		fprintf(out, "xen-attach needs \"domid\": a guest domain id (%u-%u)",
			XEN_DOMID_MIN, XEN_DOMID_MAX);
		return false;
	}
	if (!json_get_str(req, "name", name, sizeof(name)) || !name[0]) {
		fputs("xen-attach needs \"name\": the domain's name", out);
		return false;
	}
	has_policy = json_get_str(req, "policy", policy, sizeof(policy));
	g = xen_guest(mc, name);
	if (!g) {
		fprintf(out, "no guest of %s has socket=xen:%s", mc->path, name);
		return false;
	}
	if (has_policy && (!g->policy[0] || !same_file(policy, g->policy))) {
		fprintf(out, "domain %s asks for policy %s, but %s:%d gives guest %s %s%s", name,
			policy, mc->path, g->line, g->name, g->policy[0] ? "policy " : "no policy",
			g->policy);
		return false;
	}
	n = x->attach((unsigned)domid);
	if (n < 0) {
		fprintf(out, "attaching domain %lu (%s) failed (see the mediator's log)", domid,
			name);
		return false;
	}
	if (n == 0) {
		fprintf(out, "domain %lu (%s) has no virtio-scmi device of ours (is it named %s, "
			"and was it created with scmi-xl?)", domid, name, name);
		return false;
	}
	log_info("xen: domain %lu (%s) attached for guest %s: %d device%s", domid, name,
		 g->name, n, n == 1 ? "" : "s");
	fputs("{\"guest\":", out);
	json_put_str(out, g->name);
	fprintf(out, ",\"domid\":%lu,\"devices\":%d}", domid, n);
	return true;
}

int daemon_xen_request(const struct daemon_xen_ops *x, const struct frontend_ops *fo,
		       const struct frontend *fe, enum xen_guest_action a)
{
	int domid;

	if (!x || !x->frontend || fo != x->frontend || !fe || !x->domid || !x->request)
		return -1;
	domid = x->domid(fe);
	if (domid < 0) {
		log_warn("xen: %s requested, but the guest has no domain attached",
			 a == XEN_GUEST_REBOOT ? "reboot" : "power-off");
		return -1;
	}
	return x->request((unsigned)domid, a);
}
