// SPDX-License-Identifier: GPL-2.0-only
/*
 * linux-raw backend: SCMI over the host kernel's raw-mode debugfs files.
 * Token slots: FREE -> RESP (command written, waiting for its response)
 * -> DRESP (async command answered SUCCESS, waiting for its delayed
 * response) -> FREE. A response deadline that passes fails the command
 * with COMMS_ERROR and leaves the token LATE for another deadline, so a
 * late reply is recognised (and dropped) instead of being taken for a
 * newer command's. All deliveries happen from loop callbacks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "linux_raw.h"
#include "../mediator/evloop.h"
#include "../mediator/log.h"
#include "../mediator/msg_route.h"
#include "../mediator/scmi_msg.h"
#include "../mediator/scmi_proto.h"

enum slot_state { SLOT_FREE, SLOT_RESP, SLOT_DRESP, SLOT_LATE, SLOT_FAILED };

struct raw_slot {
	enum slot_state state;
	uint32_t hdr;                /* the dispatcher's header */
	uint32_t sent;               /* the header as written (our token) */
	size_t resp_max;
	bool async;                  /* a delayed response is expected */
	uint64_t deadline;
};

enum raw_file { RF_MSG, RF_ASYNC, RF_NOTIF, RF_ERRORS, RF_N };
static const char *const rf_name[RF_N] = { "message", "message_async", "notification", "errors" };

struct linux_raw_backend {
	struct scmi_backend b;
	struct linux_raw_cfg cfg;
	char dir[4096];
	int fd[RF_N];
	struct raw_slot slot[SCMI_TOKEN_MAX];
	uint16_t next_tok;
	unsigned waiting;            /* slots in RESP */
	unsigned used;               /* slots not FREE */
	uint64_t timeout_ns, dresp_ns;
	struct ev_timer *timer;
	uint64_t timer_at;
	struct log_ratelimit rl;
};

static struct linux_raw_backend *to_rb(struct scmi_backend *b)
{
	return (struct linux_raw_backend *)b;
}

static void deliver(struct linux_raw_backend *rb, const uint8_t *m, size_t len)
{
	if (rb->b.rx)
		rb->b.rx(rb->b.rx_opaque, 0, m, len);
}

static void deliver_error(struct linux_raw_backend *rb, uint32_t hdr)
{
	uint8_t r[8];

	scmi_put_le32(r, hdr);
	scmi_put_le32(r + 4, (uint32_t)SCMI_COMMS_ERROR);
	deliver(rb, r, sizeof(r));
}

static void slot_set(struct linux_raw_backend *rb, struct raw_slot *s, enum slot_state st)
{
	if (s->state == SLOT_RESP || s->state == SLOT_FAILED)
		rb->waiting--;
	if (s->state != SLOT_FREE)
		rb->used--;
	s->state = st;
	if (st == SLOT_RESP || st == SLOT_FAILED)
		rb->waiting++;
	if (st != SLOT_FREE)
		rb->used++;
}

/* ---- deadlines ----------------------------------------------------------- */

static void timer_cb(struct ev_loop *loop, void *opaque);

static void arm_timer(struct linux_raw_backend *rb)
{
	uint64_t want = UINT64_MAX;
	unsigned i;

	for (i = 0; rb->used && i < SCMI_TOKEN_MAX; i++)
		if (rb->slot[i].state != SLOT_FREE && rb->slot[i].deadline < want)
			want = rb->slot[i].deadline;
	if (rb->timer && rb->timer_at == want)
		return;
	if (rb->timer)
		ev_timer_cancel(rb->b.loop, rb->timer);
	rb->timer = NULL;
	if (want == UINT64_MAX)
		return;
	rb->timer_at = want;
	rb->timer = ev_timer_add(rb->b.loop, want, timer_cb, rb);
	if (!rb->timer)
		log_rl(&rb->rl, LOG_LVL_ERROR, "linux-raw: cannot arm a timer");
}

static void timer_cb(struct ev_loop *loop, void *opaque)
{
	struct linux_raw_backend *rb = opaque;
	uint64_t now = ev_now_ns();
	unsigned i;

	rb->timer = NULL;
	for (i = 0; rb->used && i < SCMI_TOKEN_MAX; i++) {
		struct raw_slot *s = &rb->slot[i];

		if (s->state == SLOT_FREE || now < s->deadline)
			continue;
		switch (s->state) {
		case SLOT_FAILED:           /* the write failed: fail it from here */
			slot_set(rb, s, SLOT_FREE);
			deliver_error(rb, s->hdr);
			break;
		case SLOT_RESP:
			rb->b.stats.timeouts++;
			log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: no reply to hdr 0x%08x (sent as "
			       "0x%08x) within %llu ms", s->hdr, s->sent,
			       (unsigned long long)(rb->timeout_ns / 1000000));
			slot_set(rb, s, SLOT_LATE);
			s->deadline = now + rb->timeout_ns;
			deliver_error(rb, s->hdr);
			break;
		case SLOT_DRESP:
			/* the dispatcher tells the guest; keep the token a while */
			log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: no delayed response to hdr "
			       "0x%08x within %llu ms", s->hdr,
			       (unsigned long long)(rb->dresp_ns / 1000000));
			slot_set(rb, s, SLOT_LATE);
			s->deadline = now + rb->timeout_ns;
			break;
		default:                    /* LATE: the token can be used again */
			slot_set(rb, s, SLOT_FREE);
			break;
		}
	}
	arm_timer(rb);
}

/* ---- from the kernel ----------------------------------------------------- */

/* Same protocol and message id (the type and token may differ). */
static bool same_msg(uint32_t a, uint32_t b)
{
	return scmi_hdr_proto(a) == scmi_hdr_proto(b) && scmi_hdr_msg_id(a) == scmi_hdr_msg_id(b);
}

static void on_response(struct linux_raw_backend *rb, uint8_t *m, size_t len)
{
	uint32_t h = scmi_get_le32(m);
	struct raw_slot *s = &rb->slot[scmi_hdr_token(h)];

	if (s->state == SLOT_LATE) {
		rb->b.stats.dropped++;
		log_rl(&rb->rl, LOG_LVL_INFO, "linux-raw: late reply 0x%08x discarded", h);
		slot_set(rb, s, SLOT_FREE);
		return;
	}
	if (s->state != SLOT_RESP || h != s->sent) {
		rb->b.stats.dropped++;
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: reply 0x%08x matches no command of ours "
		       "(dropped)", h);
		return;
	}
	if (len < 8 || len > s->resp_max || len > SCMI_MSG_MAX) {
		rb->b.stats.malformed++;
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: reply to hdr 0x%08x has %zu bytes "
		       "(8..%zu)", s->hdr, len, s->resp_max);
		slot_set(rb, s, SLOT_FREE);
		deliver_error(rb, s->hdr);
		return;
	}
	rb->b.stats.replies++;
	scmi_put_le32(m, s->hdr);
	if (s->async && (int32_t)scmi_get_le32(m + 4) == SCMI_SUCCESS) {
		slot_set(rb, s, SLOT_DRESP);
		s->deadline = ev_now_ns() + rb->dresp_ns;
	} else {
		slot_set(rb, s, SLOT_FREE);
	}
	deliver(rb, m, len);
}

static void on_delayed(struct linux_raw_backend *rb, uint8_t *m, size_t len)
{
	uint32_t h = scmi_get_le32(m);
	struct raw_slot *s = &rb->slot[scmi_hdr_token(h)];

	if (s->state != SLOT_DRESP || !same_msg(h, s->sent) || len < 8 || len > SCMI_MSG_MAX) {
		rb->b.stats.dropped++;
		if (s->state == SLOT_LATE)
			slot_set(rb, s, SLOT_FREE);
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: delayed response 0x%08x (%zu bytes) "
		       "matches no command waiting for one (dropped)", h, len);
		return;
	}
	rb->b.stats.delayed++;
	scmi_put_le32(m, scmi_hdr_set_token(h, scmi_hdr_token(s->hdr)));
	slot_set(rb, s, SLOT_FREE);
	deliver(rb, m, len);
}

/* An entry of the errors file: a transaction the kernel gave up on. */
static void on_error_entry(struct linux_raw_backend *rb, const uint8_t *m, size_t len)
{
	uint32_t h = scmi_get_le32(m);
	struct raw_slot *s = &rb->slot[scmi_hdr_token(h)];

	rb->b.stats.errors++;
	if ((s->state == SLOT_RESP || s->state == SLOT_DRESP) && same_msg(h, s->sent)) {
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: the kernel reports an error for hdr "
		       "0x%08x (sent as 0x%08x)", s->hdr, s->sent);
		if (s->state == SLOT_RESP) {
			slot_set(rb, s, SLOT_FREE);
			deliver_error(rb, s->hdr);
		} else {
			slot_set(rb, s, SLOT_FREE);
		}
		return;
	}
	log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: kernel error entry 0x%08x (%zu bytes)", h, len);
}

static void on_message(struct linux_raw_backend *rb, enum raw_file f, uint8_t *m, size_t len)
{
	uint32_t h;

	/* too long replies still fail their command (on_response) */
	if (len < 4 || (len > SCMI_MSG_MAX && (f != RF_MSG && f != RF_ASYNC))) {
		rb->b.stats.malformed++;
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: %zu-byte message from %s discarded", len,
		       rf_name[f]);
		return;
	}
	h = scmi_get_le32(m);
	if (f == RF_ERRORS) {
		on_error_entry(rb, m, len);
		return;
	}
	switch (scmi_hdr_type(h)) {
	case SCMI_MSG_COMMAND:
		on_response(rb, m, len);
		break;
	case SCMI_MSG_DELAYED_RESP:
		on_delayed(rb, m, len);
		break;
	case SCMI_MSG_NOTIFICATION:
		if (len > SCMI_MSG_MAX) {
			rb->b.stats.malformed++;
			break;
		}
		rb->b.stats.notifications++;
		deliver(rb, m, len);
		break;
	default:
		rb->b.stats.malformed++;
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: message 0x%08x of unknown type from %s",
		       h, rf_name[f]);
	}
}

/* Each read returns one message (a read of 0 marks the boundary after
 * it). A message larger than the buffer is read to its end and dropped. */
static void fd_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	struct linux_raw_backend *rb = opaque;
	uint8_t buf[4096];
	enum raw_file f;
	bool oversize = false;
	unsigned n, zeros = 0;

	for (f = 0; f < RF_N && rb->fd[f] != fd; f++)
		;
	if (f == RF_N)
		return;
	for (n = 0; n < 64; n++) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: reading %s: %s",
				       rf_name[f], strerror(errno));
			break;
		}
		if (r == 0) {
			/* one 0 ends a message; two in a row: the file is gone */
			oversize = false;
			if (++zeros < 2)
				continue;
			log_err("linux-raw: %s/%s was closed; no more messages from it", rb->dir,
				rf_name[f]);
			ev_fd_del(loop, fd);
			break;
		}
		zeros = 0;
		if (oversize || r == (ssize_t)sizeof(buf)) {
			if (!oversize)
				rb->b.stats.malformed++;
			oversize = true;
			continue;
		}
		on_message(rb, f, buf, (size_t)r);
	}
	arm_timer(rb);
	(void)events;
}

/* ---- to the kernel ------------------------------------------------------- */

static int rb_send(struct scmi_backend *b, unsigned chan, const uint8_t *msg, size_t len,
		   size_t resp_max)
{
	struct linux_raw_backend *rb = to_rb(b);
	uint8_t out[SCMI_MSG_MAX];
	struct raw_slot *s = NULL;
	unsigned i, tok = 0;
	ssize_t w;

	if (chan || !msg || len < 4 || len > SCMI_MSG_MAX || resp_max < 8 ||
	    scmi_hdr_type(scmi_get_le32(msg)) != SCMI_MSG_COMMAND)
		return -EINVAL;
	if (rb->waiting >= rb->cfg.max_inflight)
		return -EAGAIN;
	/* monotonic tokens: the kernel frees raw tokens late */
	for (i = 0; i < SCMI_TOKEN_MAX; i++) {
		tok = (rb->next_tok + i) % SCMI_TOKEN_MAX;
		if (rb->slot[tok].state == SLOT_FREE) {
			s = &rb->slot[tok];
			break;
		}
	}
	if (!s)
		return -EAGAIN;
	rb->next_tok = (uint16_t)((tok + 1) % SCMI_TOKEN_MAX);
	memcpy(out, msg, len);
	s->hdr = scmi_get_le32(msg);
	s->sent = scmi_hdr_set_token(s->hdr, (uint16_t)tok);
	s->resp_max = resp_max;
	s->async = route_expects_delayed(msg, len);
	s->deadline = ev_now_ns() + rb->timeout_ns;
	scmi_put_le32(out, s->sent);
	b->stats.sent++;
	do {
		w = write(rb->fd[s->async ? RF_ASYNC : RF_MSG], out, len);
	} while (w < 0 && errno == EINTR);
	if (w != (ssize_t)len) {
		b->stats.errors++;
		log_rl(&rb->rl, LOG_LVL_WARN, "linux-raw: writing hdr 0x%08x to %s: %s",
		       s->hdr, rf_name[s->async ? RF_ASYNC : RF_MSG],
		       w < 0 ? strerror(errno) : "short write");
		/* fail it from the loop, never from inside send */
		slot_set(rb, s, SLOT_FAILED);
		s->deadline = ev_now_ns();
	} else {
		slot_set(rb, s, SLOT_RESP);
	}
	arm_timer(rb);
	return 0;
}

static unsigned rb_max_inflight(struct scmi_backend *b, unsigned chan)
{
	return to_rb(b)->cfg.max_inflight;
}

static void rb_destroy(struct scmi_backend *b)
{
	struct linux_raw_backend *rb = to_rb(b);
	unsigned i;

	if (rb->timer)
		ev_timer_cancel(b->loop, rb->timer);
	for (i = 0; i < RF_N; i++) {
		if (rb->fd[i] < 0)
			continue;
		ev_fd_del(b->loop, rb->fd[i]);
		close(rb->fd[i]);
	}
	free(rb);
}

static const struct scmi_backend_ops linux_raw_ops = {
	.name = "linux-raw",
	.send = rb_send,
	.max_inflight = rb_max_inflight,
	.destroy = rb_destroy,
};

static int raw_open(struct linux_raw_backend *rb, const char *name, int flags)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", rb->dir, name);
	if (rb->cfg.ops)
		return rb->cfg.ops->open(rb->cfg.ops->opaque, path, flags | O_CLOEXEC);
	return open(path, flags | O_CLOEXEC);
}

struct scmi_backend *linux_raw_backend_new(struct ev_loop *loop, const struct linux_raw_cfg *cfg)
{
	static const int flags[RF_N] = {
		O_RDWR | O_NONBLOCK, O_RDWR | O_NONBLOCK, O_RDONLY | O_NONBLOCK,
		O_RDONLY | O_NONBLOCK,
	};
	struct linux_raw_backend *rb;
	unsigned i;
	int fd;

	if (!loop || !cfg)
		return NULL;
	if (cfg->max_inflight > LINUX_RAW_MAX_INFLIGHT) {
		log_err("linux-raw: max_inflight %u is above %u", cfg->max_inflight,
			LINUX_RAW_MAX_INFLIGHT);
		return NULL;
	}
	rb = calloc(1, sizeof(*rb));
	if (!rb)
		return NULL;
	for (i = 0; i < RF_N; i++)
		rb->fd[i] = -1;
	rb->cfg = *cfg;
	snprintf(rb->dir, sizeof(rb->dir), "%s", cfg->dir ? cfg->dir : LINUX_RAW_DEFAULT_DIR);
	if (!rb->cfg.max_inflight)
		rb->cfg.max_inflight = 8;
	rb->timeout_ns = (uint64_t)(cfg->timeout_ms ? cfg->timeout_ms : 1000) * 1000000;
	rb->dresp_ns = cfg->dresp_timeout_ms ? (uint64_t)cfg->dresp_timeout_ms * 1000000 :
					       10 * rb->timeout_ns;
	rb->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT;
	rb->b.ops = &linux_raw_ops;
	rb->b.loop = loop;
	rb->b.nchannels = 1;
	rb->b.max_msg = SCMI_MSG_MAX;
	for (i = 0; i < RF_N; i++) {
		rb->fd[i] = raw_open(rb, rf_name[i], flags[i]);
		if (rb->fd[i] < 0) {
			log_err("linux-raw: %s/%s: %s%s", rb->dir, rf_name[i], strerror(errno),
				errno == ENOENT ? " (debugfs mounted? kernel built with "
				"CONFIG_ARM_SCMI_RAW_MODE_SUPPORT? docs/linux-raw.md)" : "");
			goto err;
		}
		if (ev_fd_add(loop, rb->fd[i], EPOLLIN, fd_cb, rb)) {
			log_err("linux-raw: cannot watch %s/%s", rb->dir, rf_name[i]);
			close(rb->fd[i]);
			rb->fd[i] = -1;
			goto err;
		}
	}
	/* Flush what an earlier user left queued. */
	fd = raw_open(rb, "reset", O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1)
		log_warn("linux-raw: %s/reset: %s (queues not flushed)", rb->dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	log_info("linux-raw: %s, up to %u commands at the kernel", rb->dir, rb->cfg.max_inflight);
	return &rb->b;
err:
	rb_destroy(&rb->b);
	return NULL;
}
