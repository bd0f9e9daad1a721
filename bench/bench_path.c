// SPDX-License-Identifier: GPL-2.0-only
/*
 * Full-path benchmark: N guests (agent clients over vhost-user sockets),
 * each keeping K commands in flight, against
 *   --mode full: the scmi-mediator daemon (vhost-user -> device -> agent ->
 *                dispatcher -> embedded platform), started from BUILD_BIN
 *                with a generated configuration of N guests sharing
 *                platform agent 1 (bench/platform.cfg);
 *   --mode null: the same vhost-user server and virtio device, with a
 *                "core" that completes every command at once with a fixed
 *                SUCCESS reply (no SCMI work): the baseline.
 * The server runs in a child process pinned to the first allowed cpu, the
 * clients in this process (one thread, busy polling) on the second.
 * Every command is POWER_STATE_GET(0). Prints one line of key=value results
 * (bench/run-bench.sh formats them):
 *   mode= guests= inflight= commands= seconds= cmds_per_s= p50_us= p99_us=
 *   rss_anon_kb= errors=
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"
#include "mediator/virtio/scmi_dev.h"
#include "tools/client/scmi_client.h"
#include "vhost-user/vhost_user.h"

#define MAX_GUESTS 64
#define QUEUE_SIZE 256
#define MAX_SAMPLES (1u << 21)
#define WARMUP_MS 300

struct opts {
	const char *mode;
	unsigned guests, inflight, ms;
	const char *bin;
	const char *platform;
	char dir[64];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void pin_to_cpu(unsigned nth)
{
	cpu_set_t allowed, one;
	unsigned seen = 0;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return;
	if (CPU_COUNT(&allowed) < 2)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		if (seen++ == nth) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

static void sock_path(const struct opts *o, unsigned g, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s/guest%u.sock", o->dir, g + 1);
}

/* ---- null device: vhost-user server + scmi_dev, trivial core ------------- */
struct null_core {
	struct vhost_user_server *srv;
};

static void null_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	struct null_core *nc = opaque;
	uint8_t resp[16] = { 0 };

	memcpy(resp, req, 4);           /* header echoed, status SUCCESS */
	scmi_put_le64(resp + 8, 100000000ull);
	scmi_dev_complete(vhost_user_server_dev(nc->srv), cookie, resp,
			  resp_max < sizeof(resp) ? 8 : sizeof(resp));
}

static void null_reset(void *opaque)
{
}

static volatile sig_atomic_t null_stop;

static void on_term(int sig)
{
	null_stop = 1;
}

static int null_server(const struct opts *o)
{
	static const struct scmi_dev_ops ops = { .command = null_command, .reset = null_reset };
	struct null_core *cores = calloc(o->guests, sizeof(*cores));
	struct ev_loop *loop = ev_loop_new();
	int rc = 0;

	signal(SIGTERM, on_term);
	if (!cores || !loop)
		return 1;
	for (unsigned g = 0; g < o->guests; g++) {
		char path[PATH_MAX];

		sock_path(o, g, path, sizeof(path));
		cores[g].srv = vhost_user_server_new(loop, path, &ops, &cores[g]);
		if (!cores[g].srv) {
			fprintf(stderr, "bench_path: null server: cannot listen on %s\n", path);
			rc = 1;
			break;
		}
	}
	while (!rc && !null_stop)
		if (ev_loop_run_once(loop, 200) < 0 && errno != EINTR)
			rc = 1;
	for (unsigned g = 0; g < o->guests; g++)
		if (cores[g].srv)
			vhost_user_server_free(cores[g].srv);
	ev_loop_free(loop);
	free(cores);
	return rc;
}

/* ---- full path: the daemon with a generated configuration ---------------- */
/* N guests on one platform agent: they share its channel through the
 * dispatcher, as guests beyond the platform's agent count would. */
static int write_config(const struct opts *o, const char *path)
{
	char plat[PATH_MAX];
	FILE *f;

	if (!realpath(o->platform, plat)) {
		fprintf(stderr, "bench_path: %s: %s\n", o->platform, strerror(errno));
		return -1;
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "platform = \"embedded\"\nplatform_config = \"%s\"\n"
		"control_socket = \"%s/control.sock\"\nlog_level = \"error\"\n"
		"guest_max_queued = %u\nguests = [\n", plat, o->dir, QUEUE_SIZE);
	for (unsigned g = 0; g < o->guests; g++) {
		char sock[128];

		sock_path(o, g, sock, sizeof(sock));
		fprintf(f, "  \"name=g%u,socket=%s,agent_id=1\",\n", g + 1, sock);
	}
	fputs("]\n", f);
	return fclose(f) ? -1 : 0;
}

static pid_t start_server(const struct opts *o)
{
	char cfg[PATH_MAX + 16], prog[PATH_MAX + 32];
	pid_t pid;

	snprintf(cfg, sizeof(cfg), "%s/bench.cfg", o->dir);
	snprintf(prog, sizeof(prog), "%s/scmi-mediator", o->bin);
	if (!strcmp(o->mode, "full") && write_config(o, cfg))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		pin_to_cpu(0);
		if (!strcmp(o->mode, "null"))
			_exit(null_server(o));
		execl(prog, prog, "-c", cfg, (char *)NULL);
		fprintf(stderr, "bench_path: cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	return pid;
}

static int wait_sockets(const struct opts *o, pid_t pid)
{
	uint64_t end = now_ns() + 10000000000ull;

	for (unsigned g = 0; g < o->guests; g++) {
		char path[PATH_MAX];
		struct stat st;

		sock_path(o, g, path, sizeof(path));
		while (stat(path, &st)) {
			int status;

			if (waitpid(pid, &status, WNOHANG) == pid || now_ns() > end) {
				fprintf(stderr, "bench_path: server did not create %s\n", path);
				return -1;
			}
			usleep(2000);
		}
	}
	return 0;
}

static long rss_anon_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssAnon: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* ---- clients ------------------------------------------------------------- */
struct guest {
	struct scmi_client *c;
	uint64_t sent_at[QUEUE_SIZE];
	uint16_t token;
};

struct run {
	uint64_t completed, errors;
	uint32_t *samples;
	size_t nsamples;
	bool record;
};

static void build_cmd(struct guest *g, uint8_t *msg)
{
	/* POWER_STATE_GET(domain 0): answered by the platform on the full path */
	scmi_put_le32(msg, scmi_hdr(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, SCMI_MSG_COMMAND,
				    g->token++ & 0x3ff));
	scmi_put_le32(msg + 4, 0);
}

static int pump(struct guest *gs, unsigned n, unsigned inflight, uint64_t until_ns,
		struct run *r)
{
	struct scmi_client_done done[64];
	uint8_t msg[8];

	while (now_ns() < until_ns) {
		bool progress = false;

		for (unsigned i = 0; i < n; i++) {
			struct guest *g = &gs[i];
			int k;

			while (scmi_client_inflight(g->c) < inflight) {
				int tag;

				build_cmd(g, msg);
				tag = scmi_client_submit(g->c, msg, sizeof(msg),
							 SCMI_LINUX_MSG_SIZE);
				if (tag == -EAGAIN)
					break;
				if (tag < 0 || tag >= QUEUE_SIZE) {
					fprintf(stderr, "bench_path: submit: %s\n", strerror(-tag));
					return -1;
				}
				g->sent_at[tag] = now_ns();
				progress = true;
			}
			k = scmi_client_poll(g->c, done, 64, 0);
			if (k < 0) {
				fprintf(stderr, "bench_path: poll: %s\n", strerror(-k));
				return -1;
			}
			if (k > 0) {
				uint64_t t = now_ns();

				progress = true;
				for (int j = 0; j < k; j++) {
					uint64_t lat = t - g->sent_at[done[j].tag];

					if (done[j].len < 8 || scmi_get_le32(done[j].resp + 4) != 0)
						r->errors++;
					r->completed++;
					if (lat > UINT32_MAX)
						lat = UINT32_MAX;
					if (r->record && r->nsamples < MAX_SAMPLES)
						r->samples[r->nsamples++] = (uint32_t)lat;
				}
			}
		}
		if (!progress)
			sched_yield();
	}
	return 0;
}

/* Let every command in flight come back (bounded). */
static void drain(struct guest *gs, unsigned n)
{
	struct scmi_client_done done[64];
	uint64_t end = now_ns() + 2000000000ull;

	for (unsigned i = 0; i < n; i++)
		while (scmi_client_inflight(gs[i].c) && now_ns() < end)
			scmi_client_poll(gs[i].c, done, 64, 10);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	o->mode = "full";
	o->guests = 1;
	o->inflight = 128;
	o->ms = 1500;
	o->bin = getenv("BUILD_BIN") ? getenv("BUILD_BIN") : "build/gcc/bin";
	o->platform = "bench/platform.cfg";
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--mode"))
			o->mode = v;
		else if (!strcmp(k, "--guests"))
			o->guests = (unsigned)atoi(v);
		else if (!strcmp(k, "--inflight"))
			o->inflight = (unsigned)atoi(v);
		else if (!strcmp(k, "--ms"))
			o->ms = (unsigned)atoi(v);
		else if (!strcmp(k, "--bin"))
			o->bin = v;
		else if (!strcmp(k, "--platform"))
			o->platform = v;
		else
			return -1;
	}
	if (argc % 2 == 0 || (strcmp(o->mode, "full") && strcmp(o->mode, "null")) ||
	    o->guests < 1 || o->guests > MAX_GUESTS || o->inflight < 1 ||
	    o->inflight > QUEUE_SIZE || o->ms < 100)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct scmi_client_opts co = {
		.queue_size = QUEUE_SIZE, .msg_size = SCMI_LINUX_MSG_SIZE, .p2a = false,
		.event_buffers = 0, .timeout_ms = 5000,
	};
	struct run r = { 0 };
	struct guest *gs;
	struct opts o;
	uint64_t t0, t1;
	pid_t pid;
	int status, rc = 1;
	long rss;

	if (parse_args(argc, argv, &o)) {
		fprintf(stderr, "usage: bench_path [--mode full|null] [--guests 1..%d] "
			"[--inflight 1..%d] [--ms N>=100] [--bin BUILD_BIN] [--platform CFG]\n",
			MAX_GUESTS, QUEUE_SIZE);
		return 2;
	}
	snprintf(o.dir, sizeof(o.dir), "/tmp/scmi-bench.XXXXXX");
	if (!mkdtemp(o.dir)) {
		perror("bench_path: mkdtemp");
		return 1;
	}
	gs = calloc(o.guests, sizeof(*gs));
	r.samples = malloc(MAX_SAMPLES * sizeof(*r.samples));
	pid = start_server(&o);
	if (!gs || !r.samples || pid < 0 || wait_sockets(&o, pid))
		goto out;
	pin_to_cpu(1);
	for (unsigned g = 0; g < o.guests; g++) {
		char path[PATH_MAX];

		sock_path(&o, g, path, sizeof(path));
		gs[g].c = scmi_client_connect(path, &co);
		if (!gs[g].c) {
			fprintf(stderr, "bench_path: cannot connect to %s\n", path);
			goto out;
		}
	}
	if (pump(gs, o.guests, o.inflight, now_ns() + WARMUP_MS * 1000000ull, &r))
		goto out;
	r.completed = 0;
	r.record = true;
	t0 = now_ns();
	if (pump(gs, o.guests, o.inflight, t0 + o.ms * 1000000ull, &r))
		goto out;
	t1 = now_ns();
	rss = rss_anon_kb(pid);
	drain(gs, o.guests);
	qsort(r.samples, r.nsamples, sizeof(*r.samples), cmp_u32);
	printf("mode=%s guests=%u inflight=%u commands=%" PRIu64 " seconds=%.3f "
	       "cmds_per_s=%.0f p50_us=%.1f p99_us=%.1f rss_anon_kb=%ld errors=%" PRIu64 "\n",
	       o.mode, o.guests, o.inflight, r.completed, (double)(t1 - t0) / 1e9,
	       (double)r.completed * 1e9 / (double)(t1 - t0),
	       r.nsamples ? r.samples[r.nsamples / 2] / 1e3 : 0.0,
	       r.nsamples ? r.samples[r.nsamples * 99 / 100] / 1e3 : 0.0, rss, r.errors);
	rc = r.errors ? 1 : 0;
out:
	for (unsigned g = 0; gs && g < o.guests; g++)
		if (gs[g].c)
			scmi_client_close(gs[g].c);
	if (pid > 0) {
		kill(pid, SIGTERM);
		if (waitpid(pid, &status, 0) == pid && (!WIFEXITED(status) ||
							WEXITSTATUS(status) != 0)) {
			fprintf(stderr, "bench_path: %s server exited abnormally (status 0x%x)\n",
				o.mode, status);
			rc = 1;
		}
	}
	free(r.samples);
	free(gs);
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", o.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_path: could not remove %s\n", o.dir);
	}
	return rc;
}
