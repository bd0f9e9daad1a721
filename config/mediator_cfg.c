// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mediator configuration: parsing and validation through config/cfg.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "mediator_cfg.h"
#include "policy_cfg.h"
#include "../mediator/log.h"

#define DEFAULT_CONTROL "/run/scmi-mediator/control.sock"

static const char *const known_keys[] = {
	"platform", "platform_config", "platform_socket", "platform_dtb", "platform_mem",
	"platform_smc_dev", "platform_raw_dir", "platform_raw_inflight",
	"control_socket", "log_level", "log",
	"reply_timeout_ms", "guest_max_inflight", "guest_max_queued", "guests",
	"management_agent", "cache_prefetch", "cache_prefetch_ms", NULL,
};

/* Resolve `p` against the directory of the config file. Returns false if
 * the result does not fit. */
static bool resolve(const char *cfg_path, const char *p, char *out, size_t cap)
{
	const char *slash;
	int n;

	if (p[0] == '/' || !(slash = strrchr(cfg_path, '/')))
		n = snprintf(out, cap, "%s", p);
	else
		n = snprintf(out, cap, "%.*s/%s", (int)(slash - cfg_path), cfg_path, p);
	return n >= 0 && (size_t)n < cap;
}

static bool valid_name(const char *s)
{
	const char *p;

	if (!*s || strlen(s) >= MCFG_NAME_MAX)
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* socket=xen:DOMAIN-NAME: a guest served by the Xen frontend (xen/frontend.h)
 * when the Xen domain of that name brings its virtio-scmi slot. Kept as
 * written (not a path). */
static int parse_xen_socket(struct cfg *c, int line, const char *sock, char *out, size_t cap)
{
	const char *dom = sock + strlen(MCFG_XEN_PREFIX);
	const char *p;

	if (!*dom || strlen(dom) >= MCFG_XEN_NAME_MAX || strlen(sock) >= cap) {
		cfg_error(c, line, "socket '%s': the Xen domain name must have 1-%d characters",
			  sock, MCFG_XEN_NAME_MAX - 1);
		return -1;
	}
	for (p = dom; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '/' ||
		    *p == '"' || *p == '\\') {
			cfg_error(c, line, "socket '%s': invalid character in the Xen domain name",
				  sock);
			return -1;
		}
#ifndef HAVE_XEN
	cfg_error(c, line, "socket '%s': this scmi-mediator was built without the Xen frontend "
		  "(HAVE_XEN=0); rebuild it with the Xen libraries (libxen-dev) for Xen guests",
		  sock);
	return -1;
#else
	snprintf(out, cap, "%s", sock);
	return 0;
#endif
}

const char *mcfg_guest_xen_domain(const struct mcfg_guest *g)
{
	size_t n = strlen(MCFG_XEN_PREFIX);

	return strncmp(g->socket, MCFG_XEN_PREFIX, n) ? NULL : g->socket + n;
}

static int parse_guest(struct cfg *c, struct mediator_cfg *mc, int idx)
{
	struct mcfg_guest *g = &mc->guests[mc->nguests];
	int line = cfg_item_line(c, "guests", idx);
	const char *text = cfg_list_item(c, "guests", idx);
	const char *name, *sock, *pol;
	uint64_t aid, gid, gnum;
	struct spec s;
	int bad = 0;

	memset(g, 0, sizeof(*g));
	g->line = line;
	if (spec_parse(&s, c, line, text) < 0) {
		spec_free(&s);
		return -1;
	}
	if (spec_str(&s, "name", &name, NULL) != 0) {
		if (!name)
			cfg_error(c, line, "guest needs 'name=...'");
		bad++;
	} else if (!valid_name(name)) {
		cfg_error(c, line, "guest name '%s': use 1-%d characters [A-Za-z0-9._-]", name,
			  MCFG_NAME_MAX - 1);
		bad++;
	} else {
		snprintf(g->name, sizeof(g->name), "%s", name);
	}
	if (spec_str(&s, "socket", &sock, NULL) != 0) {
		if (!sock)
			cfg_error(c, line, "guest needs 'socket=PATH'");
		bad++;
	} else if (!strncmp(sock, MCFG_XEN_PREFIX, strlen(MCFG_XEN_PREFIX))) {
		if (parse_xen_socket(c, line, sock, g->socket, sizeof(g->socket)))
			bad++;
	} else if (!*sock || !resolve(mc->path, sock, g->socket, sizeof(g->socket))) {
		cfg_error(c, line, "guest socket path '%s' is empty or too long (max %d)", sock,
			  MCFG_SOCK_MAX - 1);
		bad++;
	}
	if (spec_str(&s, "policy", &pol, NULL) < 0) {
		bad++;
	} else if (pol && (!*pol || !resolve(mc->path, pol, g->policy, sizeof(g->policy)))) {
		cfg_error(c, line, "guest policy path '%s' is empty or too long", pol);
		bad++;
	}
	if (spec_u64(&s, "agent_id", &aid, (uint64_t)idx + 1, 1, 255) < 0)
		bad++;
	if (spec_u64(&s, "guest_agent_id", &gid, 1, 1, 255) < 0)
		bad++;
	if (spec_u64(&s, "guest_num_agents", &gnum, gid, 1, 255) < 0)
		bad++;
	else if (gnum < gid) {
		cfg_error(c, line, "guest_num_agents %llu is below guest_agent_id %llu",
			  (unsigned long long)gnum, (unsigned long long)gid);
		bad++;
	}
	for (unsigned k = 0; k < 3; k++) {
		static const char *const keys[3] = { "on_shutdown", "on_reboot", "on_suspend" };
		char *dst[3] = { g->on_shutdown, g->on_reboot, g->on_suspend };
		const char *cmd;

		if (spec_str(&s, keys[k], &cmd, NULL) < 0) {
			bad++;
		} else if (cmd && (cmd[0] != '/' || strlen(cmd) >= MCFG_CMD_MAX)) {
			cfg_error(c, line, "%s '%s': needs an absolute program path and at most "
				  "%d characters (run without a shell)", keys[k], cmd,
				  MCFG_CMD_MAX - 1);
			bad++;
		} else if (cmd) {
			snprintf(dst[k], MCFG_CMD_MAX, "%s", cmd);
		}
	}
	g->agent_id = (uint32_t)aid;
	g->guest_agent_id = (uint32_t)gid;
	g->guest_num_agents = (uint32_t)gnum;
	if (spec_check_unused(&s))
		bad++;
	spec_free(&s);
	if (bad)
		return -1;
	for (unsigned i = 0; i < mc->nguests; i++) {
		if (!strcmp(mc->guests[i].name, g->name)) {
			cfg_error(c, line, "guest name '%s' already used at line %d", g->name,
				  mc->guests[i].line);
			return -1;
		}
		if (!strcmp(mc->guests[i].socket, g->socket)) {
			cfg_error(c, line, "socket '%s' already used by guest '%s' (line %d)",
				  g->socket, mc->guests[i].name, mc->guests[i].line);
			return -1;
		}
	}
	mc->nguests++;
	return 0;
}

struct mediator_cfg *mediator_cfg_load(const char *path, FILE *err)
{
	struct mediator_cfg *mc;
	struct cfg *c;
	const char *s;
	uint64_t v;
	int n, i, r;

	c = cfg_load(path, err);
	if (!c)
		return NULL;
	mc = calloc(1, sizeof(*mc));
	if (!mc) {
		cfg_free(c);
		return NULL;
	}
	snprintf(mc->path, sizeof(mc->path), "%s", path);
	cfg_check_keys(c, known_keys);

	if (cfg_get_str(c, "platform", &s, "embedded") >= 0) {
		if (strcmp(s, "embedded") && strcmp(s, "smt-socket") && strcmp(s, "mailbox") &&
		    strcmp(s, "smc") && strcmp(s, "auto") && strcmp(s, "linux-raw"))
			cfg_error(c, cfg_line(c, "platform"), "platform '%s' is not supported "
				  "(supported: \"embedded\", \"smt-socket\", \"mailbox\", "
				  "\"smc\", \"auto\", \"linux-raw\")", s);
		else
			snprintf(mc->platform, sizeof(mc->platform), "%s", s);
	}
	mc->platform_socket_line = cfg_line(c, "platform_socket");
	r = cfg_get_str(c, "platform_socket", &s, NULL);
	if (r == 1 && !strcmp(mc->platform, "smt-socket"))
		cfg_error(c, cfg_line(c, "platform"),
			  "'platform_socket' is required for the smt-socket "
			  "platform");
	else if (r == 0 && (!*s || !resolve(path, s, mc->platform_socket,
					    sizeof(mc->platform_socket))))
		cfg_error(c, mc->platform_socket_line,
			  "'platform_socket' path is empty or too long (max %d)",
			  MCFG_SOCK_MAX - 1);
	if (cfg_get_str(c, "platform_dtb", &s, NULL) == 0 &&
	    (!*s || !resolve(path, s, mc->platform_dtb, sizeof(mc->platform_dtb))))
		cfg_error(c, cfg_line(c, "platform_dtb"),
			  "'platform_dtb' path is empty or too long");
	if (cfg_get_str(c, "platform_mem", &s, "/dev/mem") >= 0 &&
	    (!*s || !resolve(path, s, mc->platform_mem, sizeof(mc->platform_mem))))
		cfg_error(c, cfg_line(c, "platform_mem"),
			  "'platform_mem' path is empty or too long");
	if (cfg_get_str(c, "platform_smc_dev", &s, "/dev/scmi-smc") >= 0 &&
	    (!*s || !resolve(path, s, mc->platform_smc_dev, sizeof(mc->platform_smc_dev))))
		cfg_error(c, cfg_line(c, "platform_smc_dev"),
			  "'platform_smc_dev' path is empty or too long");
	mc->platform_raw_dir_line = cfg_line(c, "platform_raw_dir");
	if (cfg_get_str(c, "platform_raw_dir", &s, "/sys/kernel/debug/scmi/0/raw") >= 0 &&
	    (!*s || !resolve(path, s, mc->platform_raw_dir, sizeof(mc->platform_raw_dir))))
		cfg_error(c, mc->platform_raw_dir_line,
			  "'platform_raw_dir' path is empty or too long");
	cfg_get_u64(c, "platform_raw_inflight", &v, 8, 1, 64);
	mc->platform_raw_inflight = (uint32_t)v;
	mc->platform_config_line = cfg_line(c, "platform_config");
	r = cfg_get_str(c, "platform_config", &s, NULL);
	if (r == 1 && !strcmp(mc->platform, "embedded"))
		cfg_error(c, 0, "'platform_config' is required for the embedded platform");
	else if (r == 0 && (!*s || !resolve(path, s, mc->platform_config,
					    sizeof(mc->platform_config))))
		cfg_error(c, mc->platform_config_line,
			  "'platform_config' path is empty or too long");

	if (cfg_get_str(c, "control_socket", &s, DEFAULT_CONTROL) >= 0 &&
	    (!*s || !resolve(path, s, mc->control_socket, sizeof(mc->control_socket))))
		cfg_error(c, cfg_line(c, "control_socket"),
			  "'control_socket' path is empty or too long (max %d)", MCFG_SOCK_MAX - 1);

	mc->log_level = LOG_LVL_INFO;
	if (cfg_get_str(c, "log_level", &s, NULL) == 0) {
		mc->log_level = log_level_parse(s);
		if (mc->log_level < 0)
			cfg_error(c, cfg_line(c, "log_level"),
				  "log_level '%s': use error, warn, info or debug", s);
	}
	mc->log_target = LOG_TO_STDERR;
	if (cfg_get_str(c, "log", &s, NULL) == 0) {
		if (!strcmp(s, "journald"))
			mc->log_target = LOG_TO_JOURNALD;
		else if (strcmp(s, "stderr"))
			cfg_error(c, cfg_line(c, "log"),
				  "log '%s': use \"stderr\" or \"journald\"", s);
	}
	cfg_get_u64(c, "reply_timeout_ms", &mc->reply_timeout_ms, 5000, 1, 600000);
	cfg_get_u64(c, "guest_max_inflight", &v, 16, 1, 1024);
	mc->guest_max_inflight = (uint32_t)v;
	cfg_get_u64(c, "guest_max_queued", &v, 256, 1, 4096);
	mc->guest_max_queued = (uint32_t)v;
	if (mc->guest_max_queued < mc->guest_max_inflight)
		cfg_error(c, cfg_line(c, "guest_max_queued"),
			  "guest_max_queued (%u) is below guest_max_inflight (%u)",
			  mc->guest_max_queued, mc->guest_max_inflight);

	r = cfg_get_list(c, "guests", &n);
	if (r == 0 && n > MCFG_MAX_GUESTS) {
		cfg_error(c, cfg_line(c, "guests"), "too many guests (%d, max %d)", n,
			  MCFG_MAX_GUESTS);
		n = MCFG_MAX_GUESTS;
	}
	for (i = 0; r == 0 && i < n; i++)
		parse_guest(c, mc, i);
	if (r == 1)
		log_info("%s: no guests configured", path);

	mc->management_agent_line = cfg_line(c, "management_agent");
	cfg_get_u64(c, "management_agent", &v, 0, 0, 255);
	mc->management_agent = (uint32_t)v;
	if (mc->management_agent) {
		for (i = 0; i < (int)mc->nguests; i++)
			if (mc->guests[i].agent_id == mc->management_agent)
				cfg_error(c, mc->guests[i].line, "guest '%s': agent_id %u is the "
					  "management_agent (the mediator's own trusted agent); "
					  "give the guest another agent", mc->guests[i].name,
					  mc->management_agent);
		if (strcmp(mc->platform, "embedded") && !mc->platform_config[0])
			cfg_error(c, mc->management_agent_line, "management_agent needs "
				  "'platform_config' (the platform description: its devices "
				  "and their resources) with platform \"%s\"", mc->platform);
	}
	cfg_get_u64(c, "cache_prefetch", &v, 4096, 0, 65536);
	mc->cache_prefetch = (uint32_t)v;
	cfg_get_u64(c, "cache_prefetch_ms", &mc->cache_prefetch_ms, 10000, 1, 600000);

	if (cfg_errors(c)) {
		cfg_free(c);
		free(mc);
		return NULL;
	}
	cfg_free(c);
	return mc;
}

void mediator_cfg_free(struct mediator_cfg *mc)
{
	free(mc);
}

const struct mcfg_guest *mediator_cfg_guest(const struct mediator_cfg *mc, const char *name)
{
	unsigned i;

	for (i = 0; i < mc->nguests; i++)
		if (!strcmp(mc->guests[i].name, name))
			return &mc->guests[i];
	return NULL;
}

bool mcfg_guest_same(const struct mcfg_guest *a, const struct mcfg_guest *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->socket, b->socket) &&
	       !strcmp(a->policy, b->policy) && a->agent_id == b->agent_id &&
	       a->guest_agent_id == b->guest_agent_id &&
	       a->guest_num_agents == b->guest_num_agents &&
	       !strcmp(a->on_shutdown, b->on_shutdown) && !strcmp(a->on_reboot, b->on_reboot) &&
	       !strcmp(a->on_suspend, b->on_suspend);
}

int mediator_cfg_policies(const struct mediator_cfg *mc, const struct plat_desc *pd,
			  struct policy **pols, FILE *err)
{
	const struct policy *set[MCFG_MAX_GUESTS];
	unsigned i, n = 0;
	int bad = 0;

	for (i = 0; i < mc->nguests; i++) {
		const struct mcfg_guest *g = &mc->guests[i];

		pols[i] = NULL;
		if (!g->policy[0])
			continue;
		pols[i] = policy_load(g->policy, pd, err);
		if (!pols[i]) {
			fprintf(err, "%s:%d: guest '%s': policy %s is not valid\n", mc->path,
				g->line, g->name, g->policy);
			bad++;
			continue;
		}
		set[n++] = pols[i];
	}
	if (!bad && policy_check_set(set, n, err))
		bad++;
	if (bad) {
		mediator_cfg_policies_free(mc, pols);
		return -1;
	}
	return 0;
}

void mediator_cfg_policies_free(const struct mediator_cfg *mc, struct policy **pols)
{
	unsigned i;

	for (i = 0; i < mc->nguests; i++) {
		policy_free(pols[i]);
		pols[i] = NULL;
	}
}
