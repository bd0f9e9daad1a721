// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon: wiring of configuration, backend, dispatcher, guests and the
 * control socket, signals, graceful stop and reload.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent.h"
#include "base_cache.h"
#include "cache.h"
#include "cache_warm.h"
#include "arbiter.h"
#include "chan_share.h"
#include "control.h"
#include "daemon.h"
#include "daemon_xen.h"
#include "dispatcher.h"
#include "evloop.h"
#include "frontend.h"
#include "guest_filter.h"
#include "lifecycle_cmd.h"
#include "log.h"
#include "perm_job.h"
#include "perm_setup.h"
#include "scmi_msg.h"
#include "../backends/backend.h"
#include "../backends/embedded.h"
#include "../backends/host_dt.h"
#include "../backends/host_backend.h"
#include "../backends/linux_raw.h"
#include "../backends/smt_smc.h"
#include "../backends/smt_socket.h"
#include "../backends/platform/platform.h"
#include "../config/mediator_cfg.h"
#include "../config/platform_desc.h"
#include "../config/policy_cfg.h"

#define STOP_POLL_NS 10000000ull       /* graceful stop: check every 10 ms */
#define MAX_CHANNELS 256

struct guest {
	struct daemon *d;
	struct mcfg_guest cfg;
	struct agent *agent;
	const struct frontend_ops *fo;  /* opts.frontend, or the Xen one */
	struct frontend *fe;
	struct policy *pol;          /* NULL: the guest sees the platform as is */
	struct guest_filter *gf;
	int lc_slot;                 /* lifecycle command slot, -1 none */
	struct guest *next;
};

struct warm_ctx {
	struct daemon *d;
	unsigned chan;
};

struct daemon {
	struct ev_loop *loop;
	struct daemon_opts opts;
	char config_path[PATH_MAX];
	struct mediator_cfg *cfg;
	struct scmi_backend *backend;
	struct dispatcher *disp;
	struct base_cache *bc[MAX_CHANNELS];
	struct chan_share *cs[MAX_CHANNELS];   /* arbiter + discovery cache per channel */
	struct lc_cmd *lc;                     /* guests' lifecycle commands */
	uint64_t lc_slots;
	struct guest *guests;
	unsigned nguests;
	struct control *ctl;
	int sfd;
	sigset_t oldmask;
	uint64_t start_ns;
	bool stopping;
	uint64_t stop_deadline;
	struct ev_timer *stop_timer;
	uint64_t reloads, reload_failures;
	/* management agent: platform permissions of the guests' agents */
	struct perm_job *pj;
	struct plat_desc *perm_desc;           /* non-embedded: loaded for its devices */
	struct perm_device devs[PD_MAX_DEVICES];
	unsigned ndevs;
	bool starting;                         /* daemon_new is waiting for the job */
	bool replay_pending;                   /* platform reset: replay after the job */
	struct warm_ctx wctx[MAX_CHANNELS];
};

/* ---- guests -------------------------------------------------------------- */
static void guest_complete(void *opaque, uint32_t cookie, const uint8_t *resp, size_t len)
{
	struct guest *g = opaque;

	if (g->fe)
		g->fo->complete(g->fe, cookie, resp, len);
}

static int guest_event(void *opaque, const uint8_t *msg, size_t len)
{
	struct guest *g = opaque;

	return g->fe ? g->fo->event(g->fe, msg, len) : -1;
}

static const struct agent_out_ops guest_out_ops = {
	.complete = guest_complete,
	.event = guest_event,
};

static struct base_cache *chan_cache(struct daemon *d, unsigned chan)
{
	if (!d->bc[chan])
		d->bc[chan] = base_cache_new(d->disp, chan);
	return d->bc[chan];
}

#define SHARE_CACHE_BYTES (256u * 1024u)     /* discovery cache per channel */
#define LC_TIMEOUT_NS (60ull * 1000000000ull) /* a lifecycle command's limit */

static struct chan_share *chan_share_of(struct daemon *d, unsigned chan)
{
	if (!d->cs[chan])
		d->cs[chan] = chan_share_new(d->disp, chan, SHARE_CACHE_BYTES);
	return d->cs[chan];
}

/* ---- discovery cache warm-up -------------------------------------------- */
/* Does any guest of the channel see this protocol / platform resource?
 * (only guests with a policy use the channel's cache) */
static bool warm_want(void *opaque, uint8_t proto, uint32_t id)
{
	struct warm_ctx *w = opaque;
	struct guest *g;

	for (g = w->d->guests; g; g = g->next) {
		if (!g->pol || g->cfg.agent_id - 1 != w->chan || !policy_allows(g->pol, proto))
			continue;
		if (id == CACHE_WARM_ANY || policy_res_plat(g->pol, proto, id))
			return true;
	}
	return false;
}

static int warmup_setup(struct daemon *d, unsigned chan)
{
	struct cache_warm_cfg wc = {
		.want = warm_want, .want_opaque = &d->wctx[chan],
		.max_cmds = d->cfg->cache_prefetch,
		.max_ns = d->cfg->cache_prefetch_ms * 1000000ull,
		.resp_max = SCMI_LINUX_MSG_SIZE, .window = 8,
	};

	d->wctx[chan].d = d;
	d->wctx[chan].chan = chan;
	return chan_share_warmup_setup(d->cs[chan], d->loop, &wc);
}

/* Warm every channel's cache; drop: forget its answers first (else only
 * what it lacks is asked: guests added by a reload). */
static void warm_all(struct daemon *d, bool drop)
{
	unsigned c;

	if (d->stopping)
		return;
	for (c = 0; c < MAX_CHANNELS; c++) {
		if (!d->cs[c] || !chan_share_warmer(d->cs[c]))
			continue;
		if (drop)
			cache_invalidate(chan_share_cache(d->cs[c]));
		chan_share_warm(d->cs[c]);
	}
}

/* system_power=guest: the guest's on_shutdown/on_reboot/on_suspend. */
static int guest_lifecycle(struct daemon *d, struct guest *g)
{
	const char *lines[LC_NACTIONS] = { g->cfg.on_shutdown, g->cfg.on_reboot,
					   g->cfg.on_suspend };
	unsigned slot, a;

	if (!d->lc)
		d->lc = lc_cmd_new(d->loop, MCFG_MAX_GUESTS, LC_TIMEOUT_NS);
	if (!d->lc)
		return -1;
	for (slot = 0; slot < MCFG_MAX_GUESTS && (d->lc_slots >> slot & 1); slot++)
		;
	if (slot == MCFG_MAX_GUESTS)
		return -1;
	for (a = 0; a < LC_NACTIONS; a++)
		if (lc_cmd_set(d->lc, slot, (enum lc_action)a, lines[a]) < 0)
			return -1;
	d->lc_slots |= 1ull << slot;
	g->lc_slot = (int)slot;
	guest_filter_set_lifecycle(g->gf, &lc_cmd_ops, d->lc, slot);
	return 0;
}

/* system_power=guest for a Xen domain: shut down or reboot that domain
 * only (xc_domain_shutdown through the Xen frontend); Xen has no action
 * for a guest's suspend request, which is answered NOT_SUPPORTED. */
static int xen_guest_action(void *opaque, unsigned guest, enum lc_action act, bool graceful)
{
	struct guest *g = opaque;
	enum xen_guest_action xa;

	(void)guest;
	(void)graceful;
	if (act == LC_SHUTDOWN)
		xa = XEN_GUEST_POWEROFF;
	else if (act == LC_REBOOT)
		xa = XEN_GUEST_REBOOT;
	else
		return -ENOENT;
	return daemon_xen_request(g->d->opts.xen, g->fo, g->fe, xa) < 0 ? -EIO : 0;
}

static const struct lifecycle_ops xen_lifecycle_ops = { .action = xen_guest_action };

static void guest_free(struct guest *g)
{
	agent_free(g->agent);
	guest_filter_free(g->gf);
	if (g->lc_slot >= 0) {
		for (unsigned a = 0; a < LC_NACTIONS; a++)
			lc_cmd_set(g->d->lc, (unsigned)g->lc_slot, (enum lc_action)a, NULL);
		g->d->lc_slots &= ~(1ull << g->lc_slot);
	}
	policy_free(g->pol);
	free(g);
}

/* Takes ownership of pol (NULL: no policy). */
static struct guest *guest_add(struct daemon *d, const struct mcfg_guest *gc, struct policy *pol)
{
	struct agent_config ac = { 0 };
	struct guest *g = calloc(1, sizeof(*g));
	unsigned chan = gc->agent_id - 1;
	struct base_cache *bc;

	if (!g) {
		policy_free(pol);
		return NULL;
	}
	g->d = d;
	g->lc_slot = -1;
	g->cfg = *gc;
	g->pol = pol;
	g->fo = d->opts.frontend;
	if (mcfg_guest_xen_domain(gc)) {
		if (!d->opts.xen || !d->opts.xen->frontend) {
			log_err("guest %s: %s needs the Xen frontend, not built in", gc->name,
				gc->socket);
			guest_free(g);
			return NULL;
		}
		g->fo = d->opts.xen->frontend;
	}
	bc = chan_cache(d, chan);
	snprintf(ac.name, sizeof(ac.name), "%s", gc->name);
	ac.chan = chan;
	ac.agent_id = gc->guest_agent_id;
	ac.num_agents = gc->guest_num_agents;
	if (pol) {
		struct view_config vc = {
			.pol = pol, .plat_agent_id = gc->agent_id,
			.guest_agent_id = gc->guest_agent_id,
		};

		guest_filter_agent_config(pol, &ac);
		g->gf = guest_filter_new(&vc);
		if (!g->gf) {
			log_err("guest %s: cannot create its policy filter", gc->name);
			guest_free(g);
			return NULL;
		}
		if (!chan_share_of(d, chan) || guest_filter_set_share(g->gf, d->cs[chan]) < 0 ||
		    warmup_setup(d, chan) < 0) {
			log_err("guest %s: cannot join the shared resources of channel %u",
				gc->name, chan);
			guest_free(g);
			return NULL;
		}
		if (pol->system_power == POL_SYS_GUEST && mcfg_guest_xen_domain(gc)) {
			guest_filter_set_lifecycle(g->gf, &xen_lifecycle_ops, g, 0);
		} else if (pol->system_power == POL_SYS_GUEST && guest_lifecycle(d, g) < 0) {
			log_err("guest %s: cannot set up its lifecycle commands", gc->name);
			guest_free(g);
			return NULL;
		}
	}
	g->agent = bc ? agent_new(d->loop, d->disp, bc, &ac, &guest_out_ops, g) : NULL;
	if (!g->agent) {
		log_err("guest %s: cannot create its agent", gc->name);
		guest_free(g);
		return NULL;
	}
	if (g->gf)
		agent_set_filter(g->agent, &guest_filter_ops, g->gf);
	g->fe = g->fo->create(d->loop, gc->socket, &agent_dev_ops, g->agent);
	if (!g->fe) {
		log_err("guest %s: cannot listen on %s", gc->name, gc->socket);
		guest_free(g);
		return NULL;
	}
	if (d->stopping)
		agent_set_draining(g->agent, true);
	if (pol)
		log_info("guest %s: policy %s", gc->name, gc->policy);
	/* Learn the platform's BASE answers before the guest asks. */
	base_cache_get(bc, NULL, NULL);
	g->next = d->guests;
	d->guests = g;
	d->nguests++;
	log_info("guest %s: %s on %s, platform agent %u", gc->name, g->fo->name,
		 gc->socket, gc->agent_id);
	return g;
}

static void guest_remove(struct daemon *d, struct guest *g)
{
	struct guest **pp;

	for (pp = &d->guests; *pp; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	d->nguests--;
	/* The frontend resets the device, which voids the agent's commands. */
	g->fo->destroy(g->fe);
	g->fe = NULL;
	log_info("guest %s removed", g->cfg.name);
	guest_free(g);
}

static struct guest *guest_find(struct daemon *d, const char *name)
{
	struct guest *g;

	for (g = d->guests; g; g = g->next)
		if (!strcmp(g->cfg.name, name))
			return g;
	return NULL;
}

/* ---- configuration checks ---------------------------------------------- */
/* The description of an embedded platform (policy ids are checked against
 * it); NULL for other backends. */
static const struct plat_desc *backend_desc(struct daemon *d)
{
	struct scmi_platform *p = embedded_backend_platform(d->backend);

	return p ? plat_desc(p) : NULL;
}

static int check_agents(const struct mediator_cfg *mc, unsigned nagents, FILE *err)
{
	unsigned i;
	int bad = 0;

	for (i = 0; i < mc->nguests; i++) {
		const struct mcfg_guest *g = &mc->guests[i];

		if (g->agent_id > nagents) {
			fprintf(err,
				"%s:%d: guest '%s': agent_id %u, but the platform has %u agent%s\n",
				mc->path, g->line, g->name, g->agent_id, nagents,
				nagents == 1 ? "" : "s");
			bad++;
		}
	}
	if (mc->management_agent > nagents) {
		fprintf(err, "%s:%d: management_agent %u, but the platform has %u agent%s\n",
			mc->path, mc->management_agent_line, mc->management_agent, nagents,
			nagents == 1 ? "" : "s");
		bad++;
	}
	return bad ? -1 : 0;
}

/* platform = "mailbox" / "smc" / "auto": the first usable node of the host
 * device tree whose backend starts (backends/host_backend.c). "smc" without
 * platform_dtb takes the scmi_smc module's channel as it is configured. */
static struct scmi_backend *make_host_backend(struct ev_loop *loop,
					      const struct mediator_cfg *mc, unsigned tmo,
					      FILE *err)
{
	struct host_backend_cfg hc = {
		.kind = mc->platform, .dtb = mc->platform_dtb[0] ? mc->platform_dtb : NULL,
		.mem_path = mc->platform_mem, .smc_dev = mc->platform_smc_dev, .timeout_ms = tmo,
	};
	struct scmi_backend *b;
	char why[256];

	if (!strcmp(mc->platform, "smc") && !mc->platform_dtb[0]) {
		struct smc_cfg sc = { .dev_path = mc->platform_smc_dev, .timeout_ms = tmo };

		b = smt_smc_backend_new(loop, &sc);
		if (!b)
			fprintf(err, "%s: platform \"smc\": %s does not give a usable channel "
				"(see the log; docs/smc.md)\n", mc->path, mc->platform_smc_dev);
		return b;
	}
	b = host_backend_new(loop, &hc, err, why, sizeof(why));
	if (!b)
		fprintf(err, "%s: platform \"%s\": no usable SCMI transport (%s)\n", mc->path,
			mc->platform, why);
	return b;
}

static struct scmi_backend *make_backend(struct ev_loop *loop, const struct mediator_cfg *mc,
					 FILE *err)
{
	struct plat_desc *desc;
	struct scmi_platform *p;
	struct scmi_backend *b;

	/* Half the dispatcher's deadline: the backend's COMMS_ERROR (with its
	 * reason logged) reaches the guest first. */
	unsigned tmo = (unsigned)(mc->reply_timeout_ms / 2 ? mc->reply_timeout_ms / 2 : 1);

	if (!strcmp(mc->platform, "mailbox") || !strcmp(mc->platform, "smc") ||
	    !strcmp(mc->platform, "auto"))
		return make_host_backend(loop, mc, tmo, err);
	if (!strcmp(mc->platform, "linux-raw")) {
		struct linux_raw_cfg rc = {
			.dir = mc->platform_raw_dir, .timeout_ms = tmo,
			.max_inflight = mc->platform_raw_inflight,
		};

		b = linux_raw_backend_new(loop, &rc);
		if (!b)
			fprintf(err, "%s:%d: cannot use the SCMI raw interface at %s (see the log; "
				"docs/linux-raw.md)\n", mc->path, mc->platform_raw_dir_line,
				mc->platform_raw_dir);
		return b;
	}
	if (!strcmp(mc->platform, "smt-socket")) {
		b = smt_socket_backend_new(loop, mc->platform_socket, 5000, tmo);
		if (!b)
			fprintf(err, "%s:%d: cannot reach the platform at %s\n", mc->path,
				mc->platform_socket_line, mc->platform_socket);
		return b;
	}
	desc = plat_desc_load(mc->platform_config, err);
	if (!desc) {
		fprintf(err, "%s:%d: cannot load the platform description %s\n", mc->path,
			mc->platform_config_line, mc->platform_config);
		return NULL;
	}
	p = plat_new(desc);
	plat_desc_free(desc);
	if (!p) {
		fprintf(err, "%s: the platform could not be created\n", mc->platform_config);
		return NULL;
	}
	b = embedded_backend_new(loop, p);
	if (!b) {
		fprintf(err, "%s: cannot start the embedded backend\n", mc->platform_config);
		plat_free(p);
	}
	return b;
}

int daemon_check_config(const char *path, FILE *err)
{
	struct mediator_cfg *mc = mediator_cfg_load(path, err);
	struct policy *pols[MCFG_MAX_GUESTS];
	struct plat_desc *desc;
	int rc;

	if (!mc)
		return -1;
	if (strcmp(mc->platform, "embedded")) {
		/* The channel count is only known once connected. */
		mediator_cfg_free(mc);
		return 0;
	}
	desc = plat_desc_load(mc->platform_config, err);
	if (!desc) {
		fprintf(err, "%s:%d: cannot load the platform description %s\n", mc->path,
			mc->platform_config_line, mc->platform_config);
		mediator_cfg_free(mc);
		return -1;
	}
	rc = check_agents(mc, desc->nagents, err);
	if (mc->management_agent && mc->management_agent <= desc->nagents &&
	    !desc->agents[mc->management_agent - 1].trusted) {
		fprintf(err, "%s:%d: management_agent %u: agent '%s' is not trusted by the platform "
			"(trusted=1 in %s); it could not program permissions\n", mc->path,
			mc->management_agent_line, mc->management_agent,
			desc->agents[mc->management_agent - 1].name, mc->platform_config);
		rc = -1;
	}
	if (mediator_cfg_policies(mc, desc, pols, err))
		rc = -1;
	else
		mediator_cfg_policies_free(mc, pols);
	plat_desc_free(desc);
	mediator_cfg_free(mc);
	return rc;
}

/* ---- platform permissions through the management agent ---------------- */
/*
 * Program every platform agent that serves guests (other than the
 * management agent) with what its guests' policies grant: agents[i] /
 * pols[i] for n guests (NULL policy: everything). Asynchronous: perm_done
 * follows.
 */
static void program_permissions(struct daemon *d, const uint32_t *agents,
				const struct policy *const *pols, unsigned n)
{
	const struct policy *set[MCFG_MAX_GUESTS];
	unsigned a, i, k;

	perm_job_clear(d->pj);
	for (a = 1; a <= d->backend->nchannels; a++) {
		if (a == d->cfg->management_agent)
			continue;
		for (i = k = 0; i < n; i++)
			if (agents[i] == a)
				set[k++] = pols[i];
		if (k && perm_job_add(d->pj, set, k, a, d->devs, d->ndevs) < 0)
			log_err("agent %u: cannot build its permission commands", a);
	}
	perm_job_start(d->pj);
}

static void program_running(struct daemon *d)
{
	uint32_t agents[MCFG_MAX_GUESTS];
	const struct policy *pols[MCFG_MAX_GUESTS];
	struct guest *g;
	unsigned n = 0;

	for (g = d->guests; g && n < MCFG_MAX_GUESTS; g = g->next) {
		agents[n] = g->cfg.agent_id;
		pols[n++] = g->pol;
	}
	program_permissions(d, agents, pols, n);
}

static void replay_all(struct daemon *d)
{
	unsigned c, votes = 0, subs = 0, settings = 0, k;

	for (c = 0; c < d->backend->nchannels && c < MAX_CHANNELS; c++) {
		subs += disp_platform_reset(d->disp, c);
		if (d->cs[c]) {
			votes += chan_share_platform_reset(d->cs[c], &k);
			settings += k;
		}
	}
	log_info("platform reset: %u aggregate vote%s, %u exclusive setting%s and %u "
		 "subscription%s sent again", votes, votes == 1 ? "" : "s", settings,
		 settings == 1 ? "" : "s", subs, subs == 1 ? "" : "s");
}

static void perm_done(void *opaque, bool ok, const char *why)
{
	struct daemon *d = opaque;
	const struct perm_job_stats *st = perm_job_stats(d->pj);

	if (ok)
		log_info("management agent %u: platform permissions of the guests' agents "
			 "programmed (%u commands)", d->cfg->management_agent, st->sent);
	else if (!d->starting)
		log_err("management agent %u: the platform refused %s; the mediator's own "
			"validation still applies", d->cfg->management_agent, why);
	if (d->starting)
		return;                 /* daemon_new reports and warms */
	if (d->replay_pending) {
		d->replay_pending = false;
		replay_all(d);
	}
	/* descriptions may depend on the permissions: fetch them again */
	warm_all(d, true);
}

static int perm_setup(struct daemon *d, FILE *err)
{
	const struct plat_desc *pd = backend_desc(d);

	if (!d->cfg->management_agent)
		return 0;
	if (!pd) {
		d->perm_desc = plat_desc_load(d->cfg->platform_config, err);
		if (!d->perm_desc) {
			fprintf(err, "%s:%d: management_agent: cannot load the platform "
				"description %s\n", d->config_path, d->cfg->platform_config_line,
				d->cfg->platform_config);
			return -1;
		}
		pd = d->perm_desc;
	}
	d->ndevs = perm_devices_from_desc(pd, d->devs, PD_MAX_DEVICES);
	d->pj = perm_job_new(d->disp, d->cfg->management_agent - 1, perm_done, d);
	if (!d->pj) {
		fprintf(err, "%s: out of memory\n", d->config_path);
		return -1;
	}
	return 0;
}

/* The backend saw the platform reset: it forgot votes, subscriptions and
 * permissions. Cached answers go at once; permissions are programmed
 * again first, then the votes' aggregates and subscriptions are sent
 * again and the caches warmed. */
static void on_platform_reset(void *opaque)
{
	struct daemon *d = opaque;
	unsigned c;

	if (d->starting)
		return;                 /* daemon_new programs the permissions again */
	log_warn("the platform was reset: restoring permissions, votes and subscriptions");
	for (c = 0; c < MAX_CHANNELS; c++)
		if (d->cs[c])
			cache_invalidate(chan_share_cache(d->cs[c]));
	if (d->pj) {
		d->replay_pending = true;
		program_running(d);
		return;
	}
	replay_all(d);
	warm_all(d, true);
}

/* ---- signals and stop -------------------------------------------------- */
unsigned daemon_inflight(const struct daemon *d)
{
	const struct guest *g;
	unsigned n = 0;

	for (g = d->guests; g; g = g->next)
		n += agent_inflight(g->agent);
	return n;
}

static void stop_check(struct ev_loop *loop, void *opaque)
{
	struct daemon *d = opaque;
	unsigned n = daemon_inflight(d);

	d->stop_timer = NULL;
	if (!n) {
		log_info("stopping: no guest command in flight");
		ev_loop_stop(loop);
		return;
	}
	if (ev_now_ns() >= d->stop_deadline) {
		log_warn("stopping: %u guest command%s still in flight after %" PRIu64 " ms", n,
			 n == 1 ? "" : "s", d->opts.stop_timeout_ms);
		ev_loop_stop(loop);
		return;
	}
	d->stop_timer = ev_timer_add(loop, ev_now_ns() + STOP_POLL_NS, stop_check, d);
}

void daemon_stop(struct daemon *d)
{
	struct guest *g;

	if (d->stopping)
		return;
	d->stopping = true;
	for (g = d->guests; g; g = g->next)
		agent_set_draining(g->agent, true);
	d->stop_deadline = ev_now_ns() + d->opts.stop_timeout_ms * 1000000ull;
	log_info("stopping: waiting for %u guest command(s) in flight", daemon_inflight(d));
	d->stop_timer = ev_timer_add(d->loop, 0, stop_check, d);
}

bool daemon_stopping(const struct daemon *d)
{
	return d->stopping;
}

static void signal_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct daemon *d = opaque;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (d->stopping) {
				log_warn("second stop signal: stopping now");
				ev_loop_stop(loop);
			} else {
				log_info("signal %u: stopping", si.ssi_signo);
				daemon_stop(d);
			}
			break;
		case SIGHUP:
			log_info("SIGHUP: reloading %s", d->config_path);
			daemon_reload(d, NULL);
			break;
		default:
			break;
		}
	}
}

static int setup_signals(struct daemon *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, &d->oldmask) < 0)
		return -1;
	d->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sfd < 0 || ev_fd_add(d->loop, d->sfd, EPOLLIN, signal_cb, d) < 0) {
		log_err("signalfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- control ----------------------------------------------------------- */
static void put_backend_stats(FILE *f, const struct scmi_backend_stats *s)
{
	fprintf(f, "{\"sent\":%" PRIu64 ",\"replies\":%" PRIu64 ",\"delayed\":%" PRIu64
		",\"notifications\":%" PRIu64 ",\"timeouts\":%" PRIu64 ",\"errors\":%" PRIu64
		",\"malformed\":%" PRIu64 ",\"dropped\":%" PRIu64 "}", s->sent, s->replies,
		s->delayed, s->notifications, s->timeouts, s->errors, s->malformed, s->dropped);
}

static void put_guest(FILE *f, struct daemon *d, struct guest *g)
{
	struct frontend_status fs = { 0 };
	const struct agent_stats *as = agent_stats(g->agent);
	const struct disp_client *dc = agent_disp_client(g->agent);
	const struct disp_client_stats *ds = disp_client_stats(dc);

	g->fo->status(g->fe, &fs);
	fputs("{\"name\":", f);
	json_put_str(f, g->cfg.name);
	fputs(",\"socket\":", f);
	json_put_str(f, g->cfg.socket);
	fputs(",\"frontend\":", f);
	json_put_str(f, g->fo->name);
	fprintf(f, ",\"agent_id\":%u,\"channel\":%u,\"connected\":%s,\"features\":\"0x%" PRIx64
		"\",\"inflight\":%u,\"at_platform\":%u,\"subscriptions\":%u",
		g->cfg.agent_id, disp_client_chan(dc), fs.connected ? "true" : "false",
		fs.features, agent_inflight(g->agent), disp_client_at_platform(dc),
		disp_client_subscriptions(dc));
	fprintf(f, ",\"commands\":%" PRIu64 ",\"responses\":%" PRIu64 ",\"errors\":%" PRIu64
		",\"local\":%" PRIu64 ",\"rejected\":%" PRIu64 ",\"legacy\":%" PRIu64
		",\"busy\":%" PRIu64
		",\"timeouts\":%" PRIu64 ",\"delayed\":%" PRIu64 ",\"notifications\":%" PRIu64
		",\"events_dropped\":%" PRIu64 ",\"resets\":%" PRIu64 ",\"negotiated\":%" PRIu64
		",\"converted\":%" PRIu64, as->commands, as->responses,
		as->errors, as->local, as->rejected, as->legacy, ds->rejected, ds->timeouts, as->delayed,
		as->notifications, as->events_dropped, as->resets, as->negotiated, as->converted);
	fprintf(f, ",\"device\":{\"commands\":%" PRIu64 ",\"completed\":%" PRIu64
		",\"malformed\":%" PRIu64 ",\"dropped_chains\":%" PRIu64 ",\"events_sent\":%" PRIu64
		",\"notifications_dropped\":%" PRIu64 ",\"deferred_passes\":%" PRIu64
		",\"connections\":%" PRIu64
		",\"disconnects\":%" PRIu64 "}}", fs.dev.commands, fs.dev.completed,
		fs.dev.malformed, fs.dev.dropped_chains, fs.dev.events_sent,
		fs.dev.notifications_dropped, fs.dev.deferred_passes, fs.connections,
		fs.disconnects);
}

void daemon_status_json(struct daemon *d, FILE *f)
{
	const struct disp_stats *ds = disp_stats(d->disp);
	struct guest *g;
	unsigned c, nc, tok = 0;

	for (c = 0; c < d->backend->nchannels; c++)
		tok += disp_tokens_in_use(d->disp, c);
	fprintf(f, "{\"version\":\"" SCMI_MEDIATOR_VERSION "\",\"pid\":%d,\"uptime_s\":%.3f,"
		"\"stopping\":%s,\"config\":", (int)getpid(),
		(double)(ev_now_ns() - d->start_ns) / 1e9, d->stopping ? "true" : "false");
	json_put_str(f, d->config_path);
	fprintf(f, ",\"reloads\":%" PRIu64 ",\"reload_failures\":%" PRIu64, d->reloads,
		d->reload_failures);
	fputs(",\"backend\":{\"name\":", f);
	json_put_str(f, d->backend->ops->name);
	fprintf(f, ",\"channels\":%u,\"stats\":", d->backend->nchannels);
	put_backend_stats(f, &d->backend->stats);
	fprintf(f, "},\"dispatcher\":{\"sent\":%" PRIu64 ",\"backpressure\":%" PRIu64
		",\"late\":%" PRIu64 ",\"unexpected\":%" PRIu64 ",\"malformed\":%" PRIu64
		",\"timeouts\":%" PRIu64 ",\"dresp_timeouts\":%" PRIu64 ",\"notif_unrouted\":%"
		PRIu64 ",\"withdrawn\":%" PRIu64 ",\"tokens_in_use\":%u}", ds->sent,
		ds->backpressure, ds->late, ds->unexpected, ds->malformed, ds->timeouts, ds->dresp_timeouts,
		ds->notif_unrouted, ds->withdrawn, tok);
	fprintf(f, ",\"platform_resets\":%" PRIu64 ",\"resubscribed\":%" PRIu64,
		d->backend->platform_resets, ds->resubscribed);
	if (d->pj) {
		const struct perm_job_stats *ps = perm_job_stats(d->pj);

		fprintf(f, ",\"permissions\":{\"management_agent\":%u,\"runs\":%u,"
			"\"failures\":%u,\"running\":%s,\"commands\":%u,\"ok\":%s,\"error\":",
			d->cfg->management_agent, ps->runs, ps->failures,
			perm_job_running(d->pj) ? "true" : "false", ps->sent,
			ps->last_ok ? "true" : "false");
		json_put_str(f, ps->last_error);
		fputc('}', f);
	}
	fputs(",\"caches\":[", f);
	for (c = 0, nc = 0; c < MAX_CHANNELS; c++) {
		const struct cache_stats *cst;
		struct cache_warm *w;
		const struct arb_stats *as;

		if (!d->cs[c])
			continue;
		cst = cache_stats(chan_share_cache(d->cs[c]));
		w = chan_share_warmer(d->cs[c]);
		fprintf(f, "%s{\"channel\":%u,\"entries\":%zu,\"bytes\":%zu,\"hits\":%" PRIu64
			",\"misses\":%" PRIu64 ",\"stores\":%" PRIu64, nc++ ? "," : "", c,
			cst->entries, cst->bytes, cst->hits, cst->misses, cst->stores);
		if (w) {
			const struct cache_warm_stats *ws = cache_warm_stats(w);

			fprintf(f, ",\"warmup\":{\"runs\":%u,\"running\":%s,\"sent\":%u,"
				"\"stored\":%u,\"cached\":%u,\"errors\":%u,\"bounded\":%s,"
				"\"timed_out\":%s,\"ms\":%.3f,\"total_sent\":%" PRIu64 "}", ws->runs,
				ws->running ? "true" : "false", ws->sent, ws->stored, ws->cached,
				ws->errors,
				ws->bounded ? "true" : "false", ws->timed_out ? "true" : "false",
				(double)ws->elapsed_ns / 1e6, ws->total_sent);
		}
		as = arb_stats(chan_share_arbiter(d->cs[c]));
		fprintf(f, ",\"settings\":{\"remembered\":%" PRIu64 ",\"replayed\":%" PRIu64
			",\"failed\":%" PRIu64 ",\"not_remembered\":%" PRIu64 "}", as->settings,
			as->replayed, as->replay_failed, as->not_remembered);
		fputc('}', f);
	}
	fputc(']', f);
	fputs(",\"guests\":[", f);
	for (g = d->guests; g; g = g->next) {
		put_guest(f, d, g);
		if (g->next)
			fputc(',', f);
	}
	fputs("]}", f);
}

static bool platform_state(struct daemon *d, FILE *out)
{
	struct scmi_platform *p = embedded_backend_platform(d->backend);
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	if (!p) {
		fputs("platform state is only available with the embedded platform", out);
		return false;
	}
	m = open_memstream(&buf, &len);
	if (!m) {
		fputs("out of memory", out);
		return false;
	}
	plat_dump_state(p, m, true);
	fclose(m);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	fwrite(buf, 1, len, out);
	free(buf);
	return true;
}

bool daemon_control(struct daemon *d, const char *cmd, const char *req, FILE *out)
{
	if (!strcmp(cmd, "status")) {
		daemon_status_json(d, out);
		return true;
	}
	if (!strcmp(cmd, "platform-state"))
		return platform_state(d, out);
	if (!strcmp(cmd, "version")) {
		fputs("\"" SCMI_MEDIATOR_VERSION "\"", out);
		return true;
	}
	if (!strcmp(cmd, "reload")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		int rc;

		if (!m) {
			fputs("out of memory", out);
			return false;
		}
		rc = daemon_reload(d, m);
		fclose(m);
		if (rc)
			fputs(buf, out);
		else
			fprintf(out, "{\"guests\":%u}", d->nguests);
		free(buf);
		return rc == 0;
	}
	if (!strcmp(cmd, "xen-attach"))
		return daemon_xen_attach_cmd(d->opts.xen, d->cfg, req, out);
	if (!strcmp(cmd, "platform-reset")) {
		if (!embedded_backend_platform(d->backend)) {
			fputs("platform-reset is only available with the embedded platform", out);
			return false;
		}
		if (embedded_backend_reset_platform(d->backend) < 0) {
			fputs("the embedded platform failed to reset", out);
			return false;
		}
		fprintf(out, "{\"platform_resets\":%" PRIu64 "}", d->backend->platform_resets);
		return true;
	}
	fprintf(out, "unknown command '%s' (status, platform-state, platform-reset, reload, "
		"version, xen-attach)", cmd);
	return false;
}

static bool control_cb(void *opaque, const char *cmd, const char *req, FILE *out)
{
	return daemon_control(opaque, cmd, req, out);
}

/* ---- reload ------------------------------------------------------------- */
/* Log captured diagnostics line by line. */
static void log_lines(enum log_level l, char *text)
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		log_msg(l, "%s", line);
}

static int reload(struct daemon *d, FILE *err)
{
	struct mediator_cfg *mc = mediator_cfg_load(d->config_path, err);
	struct policy *pols[MCFG_MAX_GUESTS];
	struct guest *g, *next;
	unsigned i, added = 0, removed = 0, kept = 0;

	if (!mc)
		return -1;
	if (check_agents(mc, d->backend->nchannels, err) ||
	    mediator_cfg_policies(mc, backend_desc(d), pols, err)) {
		mediator_cfg_free(mc);
		return -1;
	}
	if (strcmp(mc->platform_config, d->cfg->platform_config) ||
	    strcmp(mc->platform_socket, d->cfg->platform_socket) ||
	    strcmp(mc->platform_dtb, d->cfg->platform_dtb) ||
	    strcmp(mc->platform_mem, d->cfg->platform_mem) ||
	    strcmp(mc->platform_smc_dev, d->cfg->platform_smc_dev) ||
	    strcmp(mc->platform_raw_dir, d->cfg->platform_raw_dir) ||
	    mc->platform_raw_inflight != d->cfg->platform_raw_inflight ||
	    strcmp(mc->platform, d->cfg->platform))
		log_warn("reload: the platform changed; this takes a restart");
	if (strcmp(mc->control_socket, d->cfg->control_socket))
		log_warn("reload: control_socket changed; this takes a restart");
	if (d->opts.log_level < 0)
		log_set_level(mc->log_level);
	/* Remove deleted or changed guests. */
	for (g = d->guests; g; g = next) {
		const struct mcfg_guest *ng = mediator_cfg_guest(mc, g->cfg.name);

		next = g->next;
		if (!ng || !mcfg_guest_same(ng, &g->cfg)) {
			guest_remove(d, g);
			removed++;
		}
	}
	/* Add new (or changed) ones. */
	for (i = 0; i < mc->nguests; i++) {
		if (guest_find(d, mc->guests[i].name)) {
			/* kept as it runs (its policy file is re-read when its
			 * definition changes) */
			policy_free(pols[i]);
			kept++;
			continue;
		}
		if (guest_add(d, &mc->guests[i], pols[i]))
			added++;
		else
			fprintf(err, "%s:%d: guest '%s' could not be started\n", mc->path,
				mc->guests[i].line, mc->guests[i].name);
	}
	/* Keep the old settings that need a restart. */
	snprintf(mc->platform, sizeof(mc->platform), "%s", d->cfg->platform);
	memcpy(mc->platform_config, d->cfg->platform_config, sizeof(mc->platform_config));
	memcpy(mc->platform_socket, d->cfg->platform_socket, sizeof(mc->platform_socket));
	memcpy(mc->platform_dtb, d->cfg->platform_dtb, sizeof(mc->platform_dtb));
	memcpy(mc->platform_mem, d->cfg->platform_mem, sizeof(mc->platform_mem));
	memcpy(mc->platform_smc_dev, d->cfg->platform_smc_dev, sizeof(mc->platform_smc_dev));
	memcpy(mc->platform_raw_dir, d->cfg->platform_raw_dir, sizeof(mc->platform_raw_dir));
	mc->platform_raw_dir_line = d->cfg->platform_raw_dir_line;
	mc->platform_raw_inflight = d->cfg->platform_raw_inflight;
	memcpy(mc->control_socket, d->cfg->control_socket, sizeof(mc->control_socket));
	if (mc->management_agent != d->cfg->management_agent)
		log_warn("reload: management_agent changed; this takes a restart");
	if (mc->cache_prefetch != d->cfg->cache_prefetch ||
	    mc->cache_prefetch_ms != d->cfg->cache_prefetch_ms)
		log_warn("reload: cache_prefetch settings apply to new channels only");
	mc->management_agent = d->cfg->management_agent;
	mc->management_agent_line = d->cfg->management_agent_line;
	mediator_cfg_free(d->cfg);
	d->cfg = mc;
	log_info("reloaded %s: %u guest(s) kept, %u added, %u removed", d->config_path, kept,
		 added, removed);
	if (d->pj && (added || removed))
		program_running(d);     /* then every cache is warmed again */
	else if (added)
		warm_all(d, false);     /* what the new guests' policies add */
	return 0;
}

int daemon_reload(struct daemon *d, FILE *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = err ? err : open_memstream(&buf, &len);
	int rc;

	if (!m)
		return -1;
	rc = reload(d, m);
	if (!err) {
		fclose(m);
		if (buf && *buf)
			log_lines(rc ? LOG_LVL_ERROR : LOG_LVL_WARN, buf);
		free(buf);
	}
	if (rc) {
		d->reload_failures++;
		log_err("reload of %s rejected; the running configuration stays", d->config_path);
	} else {
		d->reloads++;
	}
	return rc;
}

/* ---- life cycle ---------------------------------------------------------- */
struct daemon *daemon_new(const struct daemon_opts *o, FILE *err)
{
	struct policy *pols[MCFG_MAX_GUESTS];
	struct daemon *d;
	unsigned i, tries;

	if (!o || !o->config || !o->frontend) {
		fprintf(err, "daemon: a config file and a frontend are required\n");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->opts = *o;
	if (!d->opts.xen)
		d->opts.xen = daemon_xen_builtin();
	d->sfd = -1;
	if (!d->opts.stop_timeout_ms)
		d->opts.stop_timeout_ms = 2000;
	snprintf(d->config_path, sizeof(d->config_path), "%s", o->config);
	d->start_ns = ev_now_ns();
	d->cfg = mediator_cfg_load(o->config, err);
	if (!d->cfg)
		goto fail;
	log_set_level(o->log_level >= 0 ? o->log_level : d->cfg->log_level);
	if ((o->log_target >= 0 ? o->log_target : d->cfg->log_target) == LOG_TO_JOURNALD &&
	    log_set_target(LOG_TO_JOURNALD) < 0)
		log_warn("journald is not reachable; logging to stderr");
	d->loop = ev_loop_new();
	if (!d->loop)
		goto fail;
	d->backend = make_backend(d->loop, d->cfg, err);
	if (!d->backend)
		goto fail;
	if (check_agents(d->cfg, d->backend->nchannels, err))
		goto fail;
	{
		struct disp_config dc;

		disp_config_defaults(&dc);
		dc.reply_timeout_ns = d->cfg->reply_timeout_ms * 1000000ull;
		dc.client_max_inflight = d->cfg->guest_max_inflight;
		dc.client_max_queued = d->cfg->guest_max_queued;
		d->disp = disp_new(d->loop, d->backend, &dc);
	}
	if (!d->disp)
		goto fail;
	if (o->signals && setup_signals(d))
		goto fail;
	d->ctl = control_new(d->loop, d->cfg->control_socket, control_cb, d);
	if (!d->ctl) {
		fprintf(err, "%s: cannot open the control socket %s\n", d->config_path,
			d->cfg->control_socket);
		goto fail;
	}
	if (mediator_cfg_policies(d->cfg, backend_desc(d), pols, err))
		goto fail;
	d->backend->on_reset = on_platform_reset;
	d->backend->reset_opaque = d;
	if (perm_setup(d, err)) {
		mediator_cfg_policies_free(d->cfg, pols);
		goto fail;
	}
	if (d->pj) {
		uint32_t agents[MCFG_MAX_GUESTS];
		const struct perm_job_stats *ps;
		uint64_t end = ev_now_ns() + (d->cfg->reply_timeout_ms + 1000) * 1000000ull;

		for (i = 0; i < d->cfg->nguests; i++)
			agents[i] = d->cfg->guests[i].agent_id;
		d->starting = true;
		for (tries = 0; tries < 3; tries++) {
			uint64_t resets = d->backend->platform_resets;

			program_permissions(d, agents, (const struct policy *const *)pols,
					    d->cfg->nguests);
			while (perm_job_running(d->pj) && ev_now_ns() < end)
				ev_loop_run_once(d->loop, 50);
			if (d->backend->platform_resets == resets)
				break;
			log_warn("the platform was reset while its permissions were being "
				 "programmed: programming them again");
		}
		d->starting = false;
		ps = perm_job_stats(d->pj);
		if (perm_job_running(d->pj) || !ps->last_ok) {
			fprintf(err, "%s:%d: management_agent %u: cannot program the guests' "
				"platform permissions: %s\n", d->config_path,
				d->cfg->management_agent_line, d->cfg->management_agent,
				perm_job_running(d->pj) ? "no answer from the platform" :
				ps->last_error);
			mediator_cfg_policies_free(d->cfg, pols);
			goto fail;
		}
	}
	for (i = 0; i < d->cfg->nguests; i++) {
		struct policy *pol = pols[i];

		pols[i] = NULL;
		if (!guest_add(d, &d->cfg->guests[i], pol)) {
			fprintf(err, "%s:%d: guest '%s' could not be started\n", d->config_path,
				d->cfg->guests[i].line, d->cfg->guests[i].name);
			mediator_cfg_policies_free(d->cfg, pols);
			goto fail;
		}
	}
	warm_all(d, false);
	log_info("scmi-mediator " SCMI_MEDIATOR_VERSION ": %s platform, %u channel(s), "
		 "%u guest(s), control %s", d->backend->ops->name, d->backend->nchannels,
		 d->nguests, d->cfg->control_socket);
	return d;
fail:
	daemon_free(d);
	return NULL;
}

int daemon_run(struct daemon *d)
{
	return ev_loop_run(d->loop);
}

void daemon_free(struct daemon *d)
{
	unsigned i;

	if (!d)
		return;
	control_free(d->ctl);
	while (d->guests)
		guest_remove(d, d->guests);
	for (i = 0; i < MAX_CHANNELS; i++) {
		base_cache_free(d->bc[i]);
		chan_share_free(d->cs[i]);
	}
	perm_job_free(d->pj);
	plat_desc_free(d->perm_desc);
	lc_cmd_free(d->lc);
	disp_free(d->disp);
	scmi_backend_destroy(d->backend);
	if (d->stop_timer)
		ev_timer_cancel(d->loop, d->stop_timer);
	if (d->sfd >= 0) {
		ev_fd_del(d->loop, d->sfd);
		close(d->sfd);
		sigprocmask(SIG_SETMASK, &d->oldmask, NULL);
	}
	ev_loop_free(d->loop);
	mediator_cfg_free(d->cfg);
	if (log_get_target() == LOG_TO_JOURNALD)
		log_set_target(LOG_TO_STDERR);
	free(d);
}

struct ev_loop *daemon_loop(struct daemon *d) { return d->loop; }
struct scmi_backend *daemon_backend(struct daemon *d) { return d->backend; }
unsigned daemon_num_guests(const struct daemon *d) { return d->nguests; }

int daemon_guest_xen_request(struct daemon *d, const char *name, enum xen_guest_action a)
{
	struct guest *g = guest_find(d, name);

	return g ? daemon_xen_request(d->opts.xen, g->fo, g->fe, a) : -1;
}
