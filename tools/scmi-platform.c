// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-platform: the embedded reference platform as its own process,
 * serving SMT over a Unix socket (docs/smt-socket.md). Channel N is
 * platform agent N + 1. Time is CLOCK_MONOTONIC. Faults are set on the
 * command line and changed at run time by lines on stdin.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "backends/platform/platform.h"
#include "backends/smt/smt.h"
#include "backends/smt_socket.h"
#include "config/platform_desc.h"
#include "mediator/evloop.h"
#include "mediator/log.h"
#include "mediator/scmi_msg.h"

struct pchan {
	struct srv *s;
	unsigned idx;
	volatile uint8_t *a2p, *p2a;
	struct ev_timer *reply_timer;   /* reply held back by injected latency */
	struct plat_reply out;
	uint8_t resp[SCMI_MSG_MAX];
	bool p2a_posted;
};

struct srv {
	struct ev_loop *loop;
	struct scmi_platform *p;
	unsigned nchan;
	size_t area;
	int lfd, cfd;
	uint8_t *map;
	size_t map_len;
	struct pchan *ch;
	struct ev_timer *event_timer;
	uint64_t event_at;
	char line[256];
	size_t line_len;
	struct plat_faults faults;
};

static void ring(struct srv *s, unsigned chan, bool p2a)
{
	uint8_t b = (uint8_t)(chan | (p2a ? SMTS_BELL_P2A : 0));

	if (s->cfd >= 0 && send(s->cfd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
		log_warn("scmi-platform: doorbell to the agent failed: %s", strerror(errno));
}

static void service(struct srv *s);

static void event_timer_cb(struct ev_loop *loop, void *opaque)
{
	struct srv *s = opaque;

	s->event_timer = NULL;
	service(s);
}

/* Post pending P2A messages where the area is free; arm the event timer. */
static void service(struct srv *s)
{
	uint8_t buf[SCMI_MSG_MAX];
	uint64_t next;
	unsigned c;
	size_t len;

	plat_set_time(s->p, ev_now_ns());
	for (c = 0; s->cfd >= 0 && c < s->nchan; c++) {
		struct pchan *pc = &s->ch[c];

		if (pc->p2a_posted || !plat_p2a_pending(s->p, c + 1))
			continue;
		len = plat_p2a_pop(s->p, c + 1, buf, sizeof(buf));
		if (len < 4 || len > smt_msg_cap(s->area))
			continue;
		smt_wr32(pc->p2a, SMT_OFF_LENGTH, (uint32_t)len);
		smt_wr_bytes(pc->p2a, SMT_OFF_MSG, buf, len);
		smt_wr32(pc->p2a, SMT_OFF_STATUS, 0);
		pc->p2a_posted = true;
		ring(s, c, true);
	}
	next = plat_next_deadline(s->p);
	if (s->event_timer && s->event_at == next)
		return;
	if (s->event_timer)
		ev_timer_cancel(s->loop, s->event_timer);
	s->event_timer = NULL;
	if (next != UINT64_MAX) {
		s->event_at = next;
		s->event_timer = ev_timer_add(s->loop, next, event_timer_cb, s);
	}
}

static void complete(struct pchan *pc)
{
	struct srv *s = pc->s;
	size_t cap = smt_msg_cap(s->area);

	if (!pc->out.len && !pc->out.channel_error)
		return;                         /* dropped: the channel stays busy */
	if (pc->out.channel_error) {
		smt_wr32(pc->a2p, SMT_OFF_STATUS, SMT_STATUS_FREE | SMT_STATUS_ERROR);
	} else {
		/* An oversize fault claims more than was written. */
		smt_wr32(pc->a2p, SMT_OFF_LENGTH, (uint32_t)pc->out.len);
		smt_wr_bytes(pc->a2p, SMT_OFF_MSG, pc->resp,
			     pc->out.len < cap ? pc->out.len : cap);
		smt_wr32(pc->a2p, SMT_OFF_STATUS, SMT_STATUS_FREE);
	}
	if (smt_rd32(pc->a2p, SMT_OFF_FLAGS) & SMT_FLAG_INTR)
		ring(s, pc->idx, false);
}

static void reply_timer_cb(struct ev_loop *loop, void *opaque)
{
	struct pchan *pc = opaque;

	pc->reply_timer = NULL;
	complete(pc);
	service(pc->s);
}

static void command(struct pchan *pc)
{
	struct srv *s = pc->s;
	uint8_t req[SCMI_MSG_MAX];
	size_t cap = smt_msg_cap(s->area);
	uint32_t len;

	if (pc->reply_timer) {
		/* The agent took the channel back: forget the held reply. */
		ev_timer_cancel(s->loop, pc->reply_timer);
		pc->reply_timer = NULL;
	}
	if (smt_rd32(pc->a2p, SMT_OFF_STATUS) & SMT_STATUS_FREE)
		return;                         /* spurious doorbell */
	len = smt_rd32(pc->a2p, SMT_OFF_LENGTH);
	if (cap > sizeof(pc->resp))
		cap = sizeof(pc->resp);
	if (len < 4 || len > smt_msg_cap(s->area) || len > sizeof(req)) {
		log_warn("scmi-platform: channel %u: command length %u rejected", pc->idx, len);
		smt_wr32(pc->a2p, SMT_OFF_STATUS, SMT_STATUS_FREE | SMT_STATUS_ERROR);
		ring(s, pc->idx, false);
		return;
	}
	smt_rd_bytes(pc->a2p, SMT_OFF_MSG, req, len);
	plat_set_time(s->p, ev_now_ns());
	plat_handle(s->p, pc->idx + 1, req, len, pc->resp, cap, &pc->out);
	if (pc->out.delay_ns)
		pc->reply_timer = ev_timer_add(s->loop, ev_now_ns() + pc->out.delay_ns,
					       reply_timer_cb, pc);
	else
		complete(pc);
}

static void conn_close(struct srv *s);

static void conn_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct srv *s = opaque;
	uint8_t buf[256];
	ssize_t n, i;

	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_info("scmi-platform: agent disconnected");
		conn_close(s);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned c = SMTS_BELL_CHAN(buf[i]);

		if (c >= s->nchan) {
			log_warn("scmi-platform: doorbell for channel %u ignored", c);
			continue;
		}
		if (buf[i] & SMTS_BELL_P2A)
			s->ch[c].p2a_posted = false;
		else
			command(&s->ch[c]);
	}
	service(s);
}

static void conn_close(struct srv *s)
{
	unsigned c;

	for (c = 0; c < s->nchan; c++) {
		if (s->ch[c].reply_timer)
			ev_timer_cancel(s->loop, s->ch[c].reply_timer);
		s->ch[c].reply_timer = NULL;
		s->ch[c].p2a_posted = false;
	}
	if (s->cfd >= 0) {
		ev_fd_del(s->loop, s->cfd);
		close(s->cfd);
	}
	s->cfd = -1;
	if (s->map)
		munmap(s->map, s->map_len);
	s->map = NULL;
}

static int send_hello(struct srv *s, int fd)
{
	struct smts_hello h = {
		htole32(SMTS_MAGIC), htole32(SMTS_VERSION), htole32(s->nchan),
		htole32((uint32_t)s->area),
	};
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	unsigned c;
	int mfd;

	s->map_len = 2 * s->nchan * s->area;
	mfd = memfd_create("scmi-smt", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	/* Sealed size: the agent refuses areas that could shrink under it. */
	if (mfd < 0 || ftruncate(mfd, (off_t)s->map_len) ||
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		log_err("scmi-platform: memfd: %s", strerror(errno));
		goto fail;
	}
	s->map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		log_err("scmi-platform: mmap: %s", strerror(errno));
		goto fail;
	}
	for (c = 0; c < s->nchan; c++) {
		s->ch[c].a2p = s->map + 2 * c * s->area;
		s->ch[c].p2a = s->map + (2 * c + 1) * s->area;
		smt_wr32(s->ch[c].a2p, SMT_OFF_STATUS, SMT_STATUS_FREE);
		smt_wr32(s->ch[c].p2a, SMT_OFF_STATUS, SMT_STATUS_FREE);
	}
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &mfd, sizeof(int));
	if (sendmsg(fd, &m, MSG_NOSIGNAL) != (ssize_t)sizeof(h)) {
		log_err("scmi-platform: sending the hello: %s", strerror(errno));
		goto fail;
	}
	close(mfd);
	return 0;
fail:
	if (mfd >= 0)
		close(mfd);
	return -1;
}

static void listen_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct srv *s = opaque;
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (c < 0)
		return;
	if (s->cfd >= 0) {
		log_warn("scmi-platform: second agent connection refused");
		close(c);
		return;
	}
	s->cfd = c;
	if (send_hello(s, c) || ev_fd_add(loop, c, EPOLLIN, conn_cb, s)) {
		conn_close(s);
		return;
	}
	log_info("scmi-platform: agent connected (%u channels)", s->nchan);
	service(s);
}

static void print_faults(const struct plat_faults *f)
{
	printf("faults: latency_ms=%" PRIu64 " drop=%u corrupt=%u error=%u oversize=%u\n",
	       f->latency_ns / 1000000, f->drop_replies, f->corrupt_hdr, f->channel_error,
	       f->oversize);
	fflush(stdout);
}

/* One control line: "latency MS", "drop N", "corrupt N", "error N",
 * "oversize N", "clear", "state". Counts add up; "clear" resets them. */
static void control_line(struct srv *s, char *line)
{
	char word[16];
	unsigned long v = 0;
	int n = sscanf(line, "%15s %lu", word, &v);

	if (n < 1)
		return;
	if (!strcmp(word, "clear")) {
		memset(&s->faults, 0, sizeof(s->faults));
	} else if (!strcmp(word, "state")) {
		plat_dump_state(s->p, stdout, true);
		fputc('\n', stdout);
		fflush(stdout);
		return;
	} else if (n != 2) {
		fprintf(stderr, "scmi-platform: control: '%s' needs a number\n", word);
		return;
	} else if (!strcmp(word, "latency")) {
		s->faults.latency_ns = (uint64_t)v * 1000000;
	} else if (!strcmp(word, "drop")) {
		s->faults.drop_replies = (unsigned)v;
	} else if (!strcmp(word, "corrupt")) {
		s->faults.corrupt_hdr = (unsigned)v;
	} else if (!strcmp(word, "error")) {
		s->faults.channel_error = (unsigned)v;
	} else if (!strcmp(word, "oversize")) {
		s->faults.oversize = (unsigned)v;
	} else {
		fprintf(stderr, "scmi-platform: control: unknown command '%s'\n", word);
		return;
	}
	plat_set_faults(s->p, &s->faults);
	print_faults(&s->faults);
}

static void stdin_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct srv *s = opaque;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));
	ssize_t i;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		ev_fd_del(loop, fd);
		return;
	}
	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (s->line_len < sizeof(s->line) - 1)
				s->line[s->line_len++] = buf[i];
			continue;
		}
		s->line[s->line_len] = '\0';
		s->line_len = 0;
		control_line(s, s->line);
	}
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fputs("usage: scmi-platform --socket PATH --config PLATFORM.cfg [options]\n"
	      "  --area-size N     bytes per SMT area (default 1024)\n"
	      "  --latency-ms N    delay every reply\n"
	      "  --drop N          drop the next N replies\n"
	      "  --corrupt N       corrupt the header of the next N replies\n"
	      "  --error N         signal a channel error on the next N replies\n"
	      "  --oversize N      claim an oversized length on the next N replies\n"
	      "  --log-level L     error|warn|info|debug\n"
	      "stdin lines change faults at run time: latency MS, drop N, corrupt N,\n"
	      "error N, oversize N, clear, state (JSON dump on stdout).\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", 1, NULL, 's' }, { "config", 1, NULL, 'c' },
		{ "area-size", 1, NULL, 'a' }, { "latency-ms", 1, NULL, 'l' },
		{ "drop", 1, NULL, 'd' }, { "corrupt", 1, NULL, 'x' },
		{ "error", 1, NULL, 'e' }, { "oversize", 1, NULL, 'o' },
		{ "log-level", 1, NULL, 'L' }, { "help", 0, NULL, 'h' }, { 0 },
	};
	struct srv s = { .area = 1024, .lfd = -1, .cfd = -1 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = NULL, *cfg = NULL;
	struct plat_desc *desc;
	int o, ret = 1;

	while ((o = getopt_long(argc, argv, "s:c:h", opts, NULL)) != -1) {
		unsigned long v = optarg ? strtoul(optarg, NULL, 0) : 0;

		switch (o) {
		case 's': path = optarg; break;
		case 'c': cfg = optarg; break;
		case 'a': s.area = v; break;
		case 'l': s.faults.latency_ns = (uint64_t)v * 1000000; break;
		case 'd': s.faults.drop_replies = (unsigned)v; break;
		case 'x': s.faults.corrupt_hdr = (unsigned)v; break;
		case 'e': s.faults.channel_error = (unsigned)v; break;
		case 'o': s.faults.oversize = (unsigned)v; break;
		case 'L':
			if (log_level_parse(optarg) < 0) {
				fprintf(stderr, "scmi-platform: bad log level '%s'\n", optarg);
				return 2;
			}
			log_set_level((enum log_level)log_level_parse(optarg));
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!path || !cfg || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (s.area < SMT_AREA_MIN || s.area > SMTS_AREA_MAX || s.area % 4) {
		fprintf(stderr, "scmi-platform: --area-size must be %u..%u, a multiple of 4\n",
			SMT_AREA_MIN, SMTS_AREA_MAX);
		return 2;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "scmi-platform: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, path);
	desc = plat_desc_load(cfg, stderr);
	if (!desc)
		return 1;
	s.p = plat_new(desc);
	plat_desc_free(desc);
	if (!s.p) {
		fprintf(stderr, "scmi-platform: %s: the platform could not be created\n", cfg);
		return 1;
	}
	s.nchan = plat_num_agents(s.p);
	if (s.nchan > SMTS_MAX_CHANNELS) {
		fprintf(stderr, "scmi-platform: %u agents; at most %u channels\n", s.nchan,
			SMTS_MAX_CHANNELS);
		goto out;
	}
	plat_set_faults(s.p, &s.faults);
	s.ch = calloc(s.nchan, sizeof(*s.ch));
	s.loop = ev_loop_new();
	if (!s.ch || !s.loop)
		goto out;
	for (unsigned c = 0; c < s.nchan; c++) {
		s.ch[c].s = &s;
		s.ch[c].idx = c;
	}
	s.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	unlink(path);
	if (s.lfd < 0 || bind(s.lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(s.lfd, 4) ||
	    ev_fd_add(s.loop, s.lfd, EPOLLIN, listen_cb, &s)) {
		fprintf(stderr, "scmi-platform: %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (ev_fd_add(s.loop, STDIN_FILENO, EPOLLIN, stdin_cb, &s))
		log_info("scmi-platform: no run-time control on stdin");
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	log_info("scmi-platform: serving %u channels on %s", s.nchan, path);
	while (!stop)
		if (ev_loop_run_once(s.loop, 200) < 0 && errno != EINTR)
			break;
	ret = 0;
	unlink(path);
out:
	if (s.loop && s.ch) {
		conn_close(&s);
		if (s.event_timer)
			ev_timer_cancel(s.loop, s.event_timer);
		if (s.lfd >= 0)
			ev_fd_del(s.loop, s.lfd);
	}
	if (s.loop)
		ev_loop_free(s.loop);
	if (s.lfd >= 0)
		close(s.lfd);
	free(s.ch);
	plat_free(s.p);
	return ret;
}
