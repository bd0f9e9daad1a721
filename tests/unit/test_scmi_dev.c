// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-scmi device model driven through real split rings (vring_drv)
 * over a test guest, with a recording core behind it: commands, out of
 * order and late completion, every malformed chain shape, eventq rules,
 * notification suppression and reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/evloop.h"
#include "mediator/scmi_msg.h"
#include "mediator/virtio/scmi_dev.h"
#include "tests/support/virtio_guest.h"

#define MAXCMD 1100
#define F_P2A (1ull << VIRTIO_SCMI_F_P2A_CHANNELS)
#define F_IND (1ull << VIRTIO_F_RING_INDIRECT_DESC)
#define F_EVT (1ull << VIRTIO_F_RING_EVENT_IDX)
#define F_V1 (1ull << VIRTIO_F_VERSION_1)

struct cmd {
	uint32_t cookie;
	uint8_t req[SCMI_MSG_MAX];
	size_t len, resp_max;
};

struct pend {
	uint64_t resp;
	size_t cap;
	uint32_t hdr;
};

struct fx {
	struct vguest g;
	struct vring_drv *cq, *eq;
	struct scmi_dev *dev;
	bool deferred;          /* core keeps commands for the test to answer */
	size_t extra;           /* echo: bytes appended after the payload */
	unsigned ncmd, resets, notifies[2];
	struct cmd *cmd;
	struct pend pend[MAXCMD];
	unsigned npend;
	unsigned chase;         /* driver publishes one more per answer, this many */
};

/* ---- core and frontend ---------------------------------------------------- */
static size_t echo_reply(struct fx *f, const uint8_t *req, size_t len, uint8_t *out)
{
	size_t n = 8 + (len - 4) + f->extra;

	memcpy(out, req, 4);
	scmi_put_le32(out + 4, SCMI_SUCCESS);
	memcpy(out + 8, req + 4, len - 4);
	memset(out + 8 + (len - 4), 0xee, f->extra);
	return n;
}

static void chase_one(struct fx *f);

static void core_command(void *opaque, uint32_t cookie, const uint8_t *req, size_t len,
			 size_t resp_max)
{
	struct fx *f = opaque;
	struct cmd *c;

	assert_true(len >= 4 && len <= SCMI_MSG_MAX);
	assert_true(resp_max >= 8 && resp_max <= SCMI_MSG_MAX);
	assert_true(f->ncmd < MAXCMD);
	c = &f->cmd[f->ncmd++];
	c->cookie = cookie;
	memcpy(c->req, req, len);
	c->len = len;
	c->resp_max = resp_max;
	if (!f->deferred) {
		uint8_t out[SCMI_MSG_MAX + 64];

		scmi_dev_complete(f->dev, cookie, out, echo_reply(f, req, len, out));
		if (f->chase)
			chase_one(f);
	}
}

static void core_reset(void *opaque)
{
	struct fx *f = opaque;

	f->resets++;
	/* a core flushing its commands at reset: all stale, must be ignored */
	for (unsigned i = 0; i < f->ncmd; i++) {
		uint8_t r[8];

		memcpy(r, f->cmd[i].req, 4);
		scmi_put_le32(r + 4, (uint32_t)SCMI_GENERIC_ERROR);
		scmi_dev_complete(f->dev, f->cmd[i].cookie, r, 8);
	}
}

static void fe_notify(void *opaque, unsigned q)
{
	struct fx *f = opaque;

	assert_true(q < 2);
	f->notifies[q]++;
}

static const struct scmi_dev_ops core_ops = {
	.command = core_command,
	.reset = core_reset,
};
static const struct scmi_dev_frontend_ops fe_ops = { .notify = fe_notify };

/* ---- fixture -------------------------------------------------------------- */
static void start_queues(struct fx *f, unsigned cq_num, unsigned eq_num, uint64_t feat)
{
	scmi_dev_set_features(f->dev, feat);
	f->cq = vguest_ring(&f->g, cq_num, feat & F_EVT, 8);
	vring_drv_reserve_tail(f->cq, 16);
	assert_int_equal(scmi_dev_queue_setup(f->dev, SCMI_DEV_CMDQ, cq_num, f->cq->desc,
					      f->cq->avail, f->cq->used), 0);
	if (eq_num) {
		f->eq = vguest_ring(&f->g, eq_num, feat & F_EVT, 0);
		vring_drv_reserve_tail(f->eq, 2);
		assert_int_equal(scmi_dev_queue_setup(f->dev, SCMI_DEV_EVENTQ, eq_num,
						      f->eq->desc, f->eq->avail,
						      f->eq->used), 0);
	}
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
}

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->cmd = calloc(MAXCMD, sizeof(*f->cmd));
	assert_non_null(f->cmd);
	assert_int_equal(vguest_init(&f->g, 4 << 20, 4096), 0);
	f->dev = scmi_dev_new(&f->g.gm.gm, &core_ops, f, &fe_ops, f);
	assert_non_null(f->dev);
	scmi_dev_set_name(f->dev, "test");
	scmi_dev_set_p2a_offered(f->dev, true);
	return f;
}

static int setup(void **state)
{
	struct fx *f = fx_new();

	start_queues(f, 64, 16, F_V1 | F_IND | F_P2A);
	*state = f;
	return 0;
}

static int setup_evt(void **state)
{
	struct fx *f = fx_new();

	start_queues(f, 64, 16, F_V1 | F_IND | F_P2A | F_EVT);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	scmi_dev_free(f->dev);
	free(f->cq);
	free(f->eq);
	free(f->cmd);
	vguest_fini(&f->g);
	free(f);
	return 0;
}

/* ---- driver helpers ------------------------------------------------------- */
static uint32_t hdr_of(uint8_t proto, uint8_t msg, uint16_t token)
{
	return scmi_hdr(proto, msg, SCMI_MSG_COMMAND, token);
}

/* Queue one command: request hdr + n payload words, resp_cap writable. */
static struct pend *queue_cmd(struct fx *f, uint32_t hdr, const uint32_t *words, unsigned n,
			      size_t resp_cap, bool indirect)
{
	struct pend *p = &f->pend[f->npend++];
	uint64_t req = vguest_alloc(&f->g, 4 + 4 * n, 8);
	uint8_t *r = vguest_hva(&f->g, req);
	struct vring_drv_buf out, in;

	assert_true(f->npend <= MAXCMD);
	scmi_put_le32(r, hdr);
	for (unsigned i = 0; i < n; i++)
		scmi_put_le32(r + 4 + 4 * i, words[i]);
	p->resp = vguest_alloc(&f->g, resp_cap ? resp_cap : 1, 8);
	memset(vguest_hva(&f->g, p->resp), 0xaa, resp_cap);
	p->cap = resp_cap;
	p->hdr = hdr;
	out = (struct vring_drv_buf){ req, 4 + 4 * n };
	in = (struct vring_drv_buf){ p->resp, (uint32_t)resp_cap };
	assert_true(vring_drv_add(f->cq, &out, 1, &in, 1, p, indirect) >= 0);
	return p;
}

static void kick(struct fx *f)
{
	vring_drv_publish(f->cq);
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
}

static struct pend *get_done(struct fx *f, uint32_t *len)
{
	struct vring_drv_used u;

	assert_int_equal(vring_drv_get_used(f->cq, &u), 1);
	*len = u.len;
	return u.data;
}

/* A driver that keeps the available ring ahead of the device: for each
 * answer it takes the used entry back and publishes a new command (as a
 * second vCPU would, without kicking). */
static void chase_one(struct fx *f)
{
	uint32_t len;

	f->chase--;
	get_done(f, &len);
	queue_cmd(f, hdr_of(0x10, 0, (uint16_t)f->npend), NULL, 0, 16, false);
	vring_drv_publish(f->cq);
}

static uint8_t *resp_of(struct fx *f, const struct pend *p)
{
	return vguest_hva(&f->g, p->resp);
}

/* A well-formed command right after: the device still works. */
static void assert_good_command(struct fx *f)
{
	uint32_t w[2] = { 0x1234, 0x5678 }, len;
	struct pend *p = queue_cmd(f, hdr_of(0x14, 6, 77), w, 2, 136, false), *q;

	kick(f);
	q = get_done(f, &len);
	assert_ptr_equal(q, p);
	assert_int_equal(len, 16);
	assert_int_equal(scmi_get_le32(resp_of(f, p)), hdr_of(0x14, 6, 77));
	assert_int_equal(scmi_get_le32(resp_of(f, p) + 4), SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(resp_of(f, p) + 12), 0x5678);
}

/* Raw chain in the reserved tail of the cmdq descriptor table. */
static void set_desc(struct vring_desc *t, unsigned i, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	t[i].addr = htole64(addr);
	t[i].len = htole32(len);
	t[i].flags = htole16(flags);
	t[i].next = htole16(next);
}

static uint64_t req_buf(struct fx *f, uint32_t hdr, size_t len)
{
	uint64_t g = vguest_alloc(&f->g, len, 8);

	if (len >= 4)
		scmi_put_le32(vguest_hva(&f->g, g), hdr);
	return g;
}

static uint64_t resp_buf(struct fx *f, size_t len)
{
	uint64_t g = vguest_alloc(&f->g, len, 8);

	memset(vguest_hva(&f->g, g), 0xaa, len);
	return g;
}

/* Run the raw chain starting at desc[head]; return used (len). */
static uint32_t run_raw(struct fx *f, uint16_t head)
{
	struct vring_drv_used u;

	vring_drv_add_raw_head(f->cq, head);
	kick(f);
	assert_int_equal(vring_drv_get_used(f->cq, &u), 1);
	assert_int_equal(u.id, head);
	return u.len;
}

#define RAW 50  /* first reserved descriptor of the 64-entry cmdq */

/* ---- commands ------------------------------------------------------------- */
static void test_features(void **state)
{
	struct fx *f = *state;
	uint64_t hf = scmi_dev_host_features(f->dev);

	assert_true(hf & F_V1);
	assert_true(hf & F_IND);
	assert_true(hf & F_EVT);
	assert_true(hf & F_P2A);
	assert_false(hf & (1ull << VIRTIO_SCMI_F_SHARED_MEMORY));
	scmi_dev_set_p2a_offered(f->dev, false);
	assert_false(scmi_dev_host_features(f->dev) & F_P2A);
	scmi_dev_set_features(f->dev, F_V1 | F_P2A | (1ull << 40));
	assert_int_equal(scmi_dev_features(f->dev), F_V1);     /* not offered: ignored */
	assert_true(scmi_dev_queue_ready(f->dev, SCMI_DEV_CMDQ));
	assert_false(scmi_dev_queue_ready(f->dev, 2));
	assert_int_equal(scmi_dev_queue_setup(f->dev, 2, 8, f->cq->desc, f->cq->avail,
					      f->cq->used), -1);
	assert_int_equal(scmi_dev_queue_setup(f->dev, 0, 12, f->cq->desc, f->cq->avail,
					      f->cq->used), -1);
}

static void test_echo_command(void **state)
{
	struct fx *f = *state;

	assert_good_command(f);
	assert_int_equal(f->ncmd, 1);
	assert_int_equal(f->cmd[0].len, 12);
	assert_int_equal(f->cmd[0].resp_max, 136);
	assert_int_equal(scmi_dev_stats(f->dev)->commands, 1);
	assert_int_equal(scmi_dev_stats(f->dev)->completed, 1);
	assert_int_equal(scmi_dev_inflight(f->dev), 0);
	assert_int_equal(f->notifies[SCMI_DEV_CMDQ], 1);
}

static void test_indirect_command(void **state)
{
	struct fx *f = *state;
	uint32_t w = 9, len;
	struct pend *p = queue_cmd(f, hdr_of(0x10, 1, 3), &w, 1, 136, true);

	kick(f);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 12);
	assert_int_equal(scmi_get_le32(resp_of(f, p) + 8), 9);
}

static void test_scattered_buffers(void **state)
{
	struct fx *f = *state;
	uint64_t r0 = req_buf(f, hdr_of(0x13, 7, 5), 2), r1 = vguest_alloc(&f->g, 6, 4);
	uint64_t w0 = resp_buf(f, 3), w1 = resp_buf(f, 7), w2 = resp_buf(f, 100);
	uint8_t *b1 = vguest_hva(&f->g, r1);

	/* header split 2+2 across two readable descriptors */
	scmi_put_le32(vguest_hva(&f->g, r0 - 0), hdr_of(0x13, 7, 5));
	memcpy(b1, (uint8_t *)vguest_hva(&f->g, r0) + 2, 2);
	scmi_put_le32(b1 + 2, 0xabcdef01);
	set_desc(f->cq->desc, RAW, r0, 2, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, r1, 6, VRING_DESC_F_NEXT, RAW + 2);
	set_desc(f->cq->desc, RAW + 2, w0, 3, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, RAW + 3);
	set_desc(f->cq->desc, RAW + 3, w1, 7, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, RAW + 4);
	set_desc(f->cq->desc, RAW + 4, w2, 100, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 12);
	assert_int_equal(f->cmd[0].resp_max, 110);
	assert_int_equal(scmi_get_le32(f->cmd[0].req + 4), 0xabcdef01);
	uint8_t got[12];
	memcpy(got, vguest_hva(&f->g, w0), 3);
	memcpy(got + 3, vguest_hva(&f->g, w1), 7);
	memcpy(got + 10, vguest_hva(&f->g, w2), 2);
	assert_int_equal(scmi_get_le32(got), hdr_of(0x13, 7, 5));
	assert_int_equal(scmi_get_le32(got + 4), 0);
	assert_int_equal(scmi_get_le32(got + 8), 0xabcdef01);
	assert_int_equal(((uint8_t *)vguest_hva(&f->g, w2))[2], 0xaa);
}

static void test_out_of_order(void **state)
{
	struct fx *f = *state;
	struct pend *p[3];
	uint32_t len, w;
	uint8_t r[16];
	int order[3] = { 2, 0, 1 };

	f->deferred = true;
	for (w = 0; w < 3; w++)
		p[w] = queue_cmd(f, hdr_of(0x11, 5, (uint16_t)w), &w, 1, 136, false);
	kick(f);
	assert_int_equal(f->ncmd, 3);
	assert_int_equal(scmi_dev_inflight(f->dev), 3);
	assert_int_equal(vring_drv_used_pending(f->cq), 0);
	for (int i = 0; i < 3; i++) {
		struct cmd *c = &f->cmd[order[i]];

		memcpy(r, c->req, 4);
		scmi_put_le32(r + 4, 0);
		scmi_put_le32(r + 8, 100 + (uint32_t)order[i]);
		scmi_dev_complete(f->dev, c->cookie, r, 12);
		assert_ptr_equal(get_done(f, &len), p[order[i]]);
		assert_int_equal(len, 12);
		assert_int_equal(scmi_get_le32(resp_of(f, p[order[i]]) + 8), 100 + order[i]);
	}
	/* completing twice: stale */
	scmi_dev_complete(f->dev, f->cmd[0].cookie, r, 12);
	assert_int_equal(vring_drv_used_pending(f->cq), 0);
	assert_int_equal(scmi_dev_stats(f->dev)->stale_completions, 1);
	assert_int_equal(scmi_dev_inflight(f->dev), 0);
	/* garbage cookies */
	scmi_dev_complete(f->dev, 0xffffffffu, r, 12);
	scmi_dev_complete(f->dev, 1023, r, 12);
	assert_int_equal(scmi_dev_stats(f->dev)->stale_completions, 3);
}

static void test_1024_queue_512_in_flight(void **state)
{
	struct fx *f = fx_new();
	uint32_t len, i;
	struct pend *p;

	(void)state;
	*state = f;
	start_queues(f, 1024, 0, F_V1 | F_IND | F_EVT);
	f->deferred = true;
	for (i = 0; i < 512; i++)
		queue_cmd(f, hdr_of(0x13, 8, (uint16_t)i), &i, 1, 136, i & 1);
	kick(f);
	assert_int_equal(f->ncmd, 512);
	assert_int_equal(scmi_dev_inflight(f->dev), 512);
	/* late and out of order: newest first */
	for (i = 512; i-- > 0;) {
		uint8_t r[SCMI_MSG_MAX];

		scmi_dev_complete(f->dev, f->cmd[i].cookie, r,
				  echo_reply(f, f->cmd[i].req, f->cmd[i].len, r));
	}
	for (i = 512; i-- > 0;) {
		p = get_done(f, &len);
		assert_ptr_equal(p, &f->pend[i]);
		assert_int_equal(len, 12);
		assert_int_equal(scmi_get_le32(resp_of(f, p) + 8), i);
	}
	assert_int_equal(scmi_dev_inflight(f->dev), 0);
	assert_int_equal(scmi_dev_stats(f->dev)->completed, 512);
}

static void test_head_reuse_stall(void **state)
{
	struct fx *f = fx_new();
	uint32_t i, len;
	uint8_t r[8];

	(void)state;
	*state = f;
	start_queues(f, 1024, 0, F_V1 | F_IND);
	vring_drv_reserve_tail(f->cq, 0);
	f->deferred = true;
	for (i = 0; i < 1024; i++)
		queue_cmd(f, hdr_of(0x10, 0, (uint16_t)i), NULL, 0, 8, true);
	kick(f);
	assert_int_equal(scmi_dev_inflight(f->dev), SCMI_DEV_MAX_QUEUE_SIZE);
	/* a buggy driver re-posts a head still in flight: no slot left, wait */
	vring_drv_add_raw_head(f->cq, 5);
	kick(f);
	assert_int_equal(f->ncmd, 1024);
	memcpy(r, f->cmd[0].req, 4);
	scmi_put_le32(r + 4, 0);
	scmi_dev_complete(f->dev, f->cmd[0].cookie, r, 8);
	/* the freed slot took the waiting chain at once */
	assert_int_equal(f->ncmd, 1025);
	assert_int_equal(scmi_dev_inflight(f->dev), SCMI_DEV_MAX_QUEUE_SIZE);
	assert_ptr_equal(get_done(f, &len), &f->pend[0]);
}

static void test_truncation(void **state)
{
	struct fx *f = *state;
	uint32_t w[3] = { 1, 2, 3 }, len;
	struct pend *p;

	f->extra = 100;         /* reply 8 + 12 + 100 bytes */
	p = queue_cmd(f, hdr_of(0x14, 4, 1), w, 3, 16, false);
	kick(f);
	assert_int_equal(f->cmd[0].resp_max, 16);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 16);
	assert_int_equal(scmi_get_le32(resp_of(f, p) + 12), 2);
	assert_int_equal(scmi_dev_stats(f->dev)->truncated, 1);
	/* the writable part beyond SCMI_MSG_MAX is never offered */
	p = queue_cmd(f, hdr_of(0x14, 4, 2), w, 3, 4096, false);
	kick(f);
	assert_int_equal(f->cmd[1].resp_max, SCMI_MSG_MAX);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 8 + 12 + 100);
}

static void test_error_status_is_8_bytes(void **state)
{
	struct fx *f = *state;
	uint8_t r[32] = { 0 };
	uint32_t len;
	struct pend *p;

	f->deferred = true;
	p = queue_cmd(f, hdr_of(0x14, 5, 9), NULL, 0, 136, false);
	kick(f);
	memcpy(r, f->cmd[0].req, 4);
	scmi_put_le32(r + 4, (uint32_t)SCMI_NOT_FOUND);
	scmi_dev_complete(f->dev, f->cmd[0].cookie, r, sizeof(r));
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 8);
	assert_int_equal((int32_t)scmi_get_le32(resp_of(f, p) + 4), SCMI_NOT_FOUND);
	assert_int_equal(resp_of(f, p)[8], 0xaa);

	/* a core reply shorter than 8 bytes becomes GENERIC_ERROR */
	p = queue_cmd(f, hdr_of(0x14, 5, 10), NULL, 0, 136, false);
	kick(f);
	scmi_dev_complete(f->dev, f->cmd[1].cookie, r, 4);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 8);
	assert_int_equal(scmi_get_le32(resp_of(f, p)), hdr_of(0x14, 5, 10));
	assert_int_equal((int32_t)scmi_get_le32(resp_of(f, p) + 4), SCMI_GENERIC_ERROR);
}

/* ---- malformed chains ----------------------------------------------------- */
static void test_no_writable_part(void **state)
{
	struct fx *f = *state;

	set_desc(f->cq->desc, RAW, req_buf(f, hdr_of(0x10, 0, 1), 4), 4, 0, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	assert_int_equal(f->ncmd, 0);
	assert_int_equal(scmi_dev_stats(f->dev)->malformed, 1);
	assert_good_command(f);
}

static void test_short_request(void **state)
{
	struct fx *f = *state;
	uint64_t w = resp_buf(f, 136);

	set_desc(f->cq->desc, RAW, req_buf(f, 0, 2), 2, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, w, 136, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), 0);      /* header unknown */
	assert_int_equal((int32_t)scmi_get_le32((uint8_t *)vguest_hva(&f->g, w) + 4),
			 SCMI_PROTOCOL_ERROR);
	/* no readable part at all */
	set_desc(f->cq->desc, RAW, w, 136, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(f->ncmd, 0);
	assert_int_equal(scmi_dev_stats(f->dev)->malformed, 2);
	assert_good_command(f);
}

static void test_long_request(void **state)
{
	struct fx *f = *state;
	uint32_t h = hdr_of(0x15, 6, 8);
	uint64_t w = resp_buf(f, 136);

	set_desc(f->cq->desc, RAW, req_buf(f, h, SCMI_MSG_MAX + 4), SCMI_MSG_MAX + 4,
		 VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, w, 136, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), h);
	assert_int_equal(f->ncmd, 0);
	assert_good_command(f);
}

static void test_small_writable(void **state)
{
	struct fx *f = *state;
	uint32_t h = hdr_of(0x10, 0, 2);
	uint64_t w = resp_buf(f, 8);

	set_desc(f->cq->desc, RAW, req_buf(f, h, 4), 4, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, w, 7, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	assert_int_equal(((uint8_t *)vguest_hva(&f->g, w))[0], 0xaa);  /* untouched */
	/* exactly 8 bytes is enough */
	set_desc(f->cq->desc, RAW + 1, w, 8, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(f->ncmd, 1);
	/* 9 writable 1-byte pieces: the first WSEGS (8) are kept, which is
	 * still 8 bytes, so this is a valid command with resp_max 8 */
	for (unsigned i = 0; i < 9; i++)
		set_desc(f->cq->desc, RAW + 1 + i, w + i % 8, 1,
			 VRING_DESC_F_WRITE | (i < 8 ? VRING_DESC_F_NEXT : 0),
			 (uint16_t)(RAW + 2 + i));
	set_desc(f->cq->desc, RAW + 9, w + 7, 1, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(f->ncmd, 2);
	assert_int_equal(f->cmd[1].resp_max, 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), h);
	assert_good_command(f);
}

static void test_descriptor_loop(void **state)
{
	struct fx *f = *state;
	uint32_t h = hdr_of(0x12, 3, 4);
	uint64_t w = resp_buf(f, 136);

	set_desc(f->cq->desc, RAW, req_buf(f, h, 4), 4, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, w, 136, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, RAW + 2);
	set_desc(f->cq->desc, RAW + 2, w, 136, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, RAW + 1);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), h);
	assert_int_equal((int32_t)scmi_get_le32((uint8_t *)vguest_hva(&f->g, w) + 4),
			 SCMI_PROTOCOL_ERROR);
	assert_int_equal(f->ncmd, 0);
	assert_good_command(f);
}

static void test_too_many_descriptors(void **state)
{
	struct fx *f = fx_new();
	uint32_t h = hdr_of(0x12, 3, 5);
	uint64_t r = req_buf(f, h, 4), w = resp_buf(f, 136);
	unsigned base = 128, i;

	(void)state;
	*state = f;
	start_queues(f, 256, 0, F_V1 | F_IND);
	vring_drv_reserve_tail(f->cq, 128);
	set_desc(f->cq->desc, base, r, 4, VRING_DESC_F_NEXT, (uint16_t)(base + 1));
	for (i = 1; i < 70; i++)
		set_desc(f->cq->desc, base + i, w, 8,
			 VRING_DESC_F_WRITE | (i < 69 ? VRING_DESC_F_NEXT : 0),
			 (uint16_t)(base + i + 1));
	assert_int_equal(run_raw(f, (uint16_t)base), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), h);
	assert_int_equal(f->ncmd, 0);
	assert_good_command(f);
}

static void test_outside_guest_memory(void **state)
{
	struct fx *f = *state;
	uint32_t h = hdr_of(0x11, 4, 6);
	uint64_t r = req_buf(f, h, 8), w = resp_buf(f, 136);

	/* writable part outside memory: nothing to write into */
	set_desc(f->cq->desc, RAW, r, 8, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, 0x1000, 136, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	/* readable part outside memory: reply with header 0 */
	set_desc(f->cq->desc, RAW, 0xfff00000ull, 8, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, w, 136, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), 0);
	/* address + len wraps around */
	set_desc(f->cq->desc, RAW, UINT64_MAX - 3, 8, VRING_DESC_F_NEXT, RAW + 1);
	assert_int_equal(run_raw(f, RAW), 8);
	set_desc(f->cq->desc, RAW, r, 8, VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, w, 0xfffffff0u, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	/* writable part in read-only guest memory */
	set_desc(f->cq->desc, RAW + 1, VGUEST_RO_GPA, 136, VRING_DESC_F_WRITE, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	/* the next descriptor index is beyond the table */
	set_desc(f->cq->desc, RAW, r, 8, VRING_DESC_F_NEXT, 64);
	assert_int_equal(run_raw(f, RAW), 0);
	assert_int_equal(f->ncmd, 0);
	assert_int_equal(scmi_dev_stats(f->dev)->malformed, 6);
	assert_good_command(f);
}

static void test_bad_indirect_tables(void **state)
{
	struct fx *f = *state;
	uint32_t h = hdr_of(0x16, 4, 7);
	uint64_t tg = vguest_alloc(&f->g, 64, 16), r = req_buf(f, h, 4), w = resp_buf(f, 136);
	struct vring_desc *t = vguest_hva(&f->g, tg);

	set_desc(t, 0, r, 4, VRING_DESC_F_NEXT, 1);
	set_desc(t, 1, w, 136, VRING_DESC_F_WRITE, 0);
	set_desc(f->cq->desc, RAW, tg, 32, VRING_DESC_F_INDIRECT, 0);
	assert_int_equal(run_raw(f, RAW), 8);            /* fine: echo */
	assert_int_equal(f->ncmd, 1);
	/* bad length */
	set_desc(f->cq->desc, RAW, tg, 20, VRING_DESC_F_INDIRECT, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	/* out of bounds */
	set_desc(f->cq->desc, RAW, VGUEST_GPA + (4 << 20) - 16, 32, VRING_DESC_F_INDIRECT, 0);
	assert_int_equal(run_raw(f, RAW), 0);
	/* nested: the readable header came first, so the reply carries it */
	set_desc(f->cq->desc, RAW, tg, 48, VRING_DESC_F_INDIRECT, 0);
	set_desc(t, 1, w, 136, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	set_desc(t, 2, tg, 32, VRING_DESC_F_INDIRECT, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), h);
	/* INDIRECT + NEXT */
	set_desc(f->cq->desc, RAW, tg, 32, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, RAW + 1);
	assert_int_equal(run_raw(f, RAW), 0);
	assert_int_equal(f->ncmd, 1);
	assert_int_equal(scmi_dev_stats(f->dev)->malformed, 4);
	assert_good_command(f);
}

static void test_writable_before_readable(void **state)
{
	struct fx *f = *state;
	uint64_t w = resp_buf(f, 136);

	set_desc(f->cq->desc, RAW, w, 136, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, RAW + 1);
	set_desc(f->cq->desc, RAW + 1, req_buf(f, hdr_of(0x10, 2, 1), 4), 4, 0, 0);
	assert_int_equal(run_raw(f, RAW), 8);
	assert_int_equal(scmi_get_le32(vguest_hva(&f->g, w)), 0);
	assert_int_equal(f->ncmd, 0);
	assert_good_command(f);
}

static void test_head_out_of_range(void **state)
{
	struct fx *f = *state;

	vring_drv_add_raw_head(f->cq, 64);
	vring_drv_add_raw_head(f->cq, 0xffff);
	kick(f);
	assert_int_equal(vring_drv_used_pending(f->cq), 0);
	assert_int_equal(scmi_dev_stats(f->dev)->dropped_chains, 2);
	assert_good_command(f);
}

static void test_broken_ring_needs_reset(void **state)
{
	struct fx *f = *state;

	f->cq->avail->idx = htole16(65);        /* 65 new entries in a 64 ring */
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
	assert_true(scmi_dev_needs_reset(f->dev));
	assert_int_equal(f->ncmd, 0);
	scmi_dev_reset(f->dev);
	assert_false(scmi_dev_needs_reset(f->dev));
	assert_int_equal(f->resets, 1);
	free(f->cq);
	free(f->eq);
	start_queues(f, 64, 16, F_V1 | F_IND);
	assert_good_command(f);
}

/* ---- before start, stop, reset ------------------------------------------- */
static void test_buffers_before_queue_start(void **state)
{
	struct fx *f = fx_new();
	uint32_t len;
	struct pend *p;

	(void)state;
	*state = f;
	scmi_dev_set_features(f->dev, F_V1);
	f->cq = vguest_ring(&f->g, 64, false, 0);
	f->eq = NULL;
	p = queue_cmd(f, hdr_of(0x10, 0, 1), NULL, 0, 136, false);
	vring_drv_publish(f->cq);
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);   /* kick before the ring exists: no-op */
	assert_int_equal(f->ncmd, 0);
	assert_int_equal(scmi_dev_queue_setup(f->dev, SCMI_DEV_CMDQ, 64, f->cq->desc,
					      f->cq->avail, f->cq->used), 0);
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 8);
}

static void test_stop_restart(void **state)
{
	struct fx *f = *state;
	uint32_t len;
	uint8_t r[8];
	struct pend *p;

	f->deferred = true;
	queue_cmd(f, hdr_of(0x10, 0, 1), NULL, 0, 136, false);
	kick(f);
	assert_int_equal(scmi_dev_queue_stop(f->dev, SCMI_DEV_CMDQ), 1);
	assert_false(scmi_dev_queue_ready(f->dev, SCMI_DEV_CMDQ));
	/* reply while stopped: discarded, counted */
	memcpy(r, f->cmd[0].req, 4);
	scmi_put_le32(r + 4, 0);
	scmi_dev_complete(f->dev, f->cmd[0].cookie, r, 8);
	assert_int_equal(scmi_dev_stats(f->dev)->dropped_chains, 1);
	assert_int_equal(vring_drv_used_pending(f->cq), 0);
	/* queued while stopped, picked up after restart at the saved base */
	p = queue_cmd(f, hdr_of(0x10, 0, 2), NULL, 0, 136, false);
	vring_drv_publish(f->cq);
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
	assert_int_equal(f->ncmd, 1);
	scmi_dev_queue_set_last_avail(f->dev, SCMI_DEV_CMDQ, 1);
	assert_int_equal(scmi_dev_queue_setup(f->dev, SCMI_DEV_CMDQ, 64, f->cq->desc,
					      f->cq->avail, f->cq->used), 0);
	f->deferred = false;
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
	assert_int_equal(f->ncmd, 2);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 8);
}

static void test_reset_in_flight(void **state)
{
	struct fx *f = *state;
	uint32_t i, old[4], len;
	uint8_t r[8];

	f->deferred = true;
	for (i = 0; i < 4; i++)
		queue_cmd(f, hdr_of(0x14, 6, (uint16_t)i), &i, 1, 136, false);
	kick(f);
	assert_int_equal(scmi_dev_inflight(f->dev), 4);
	for (i = 0; i < 4; i++)
		old[i] = f->cmd[i].cookie;
	scmi_dev_reset(f->dev);                 /* core_reset completes them: stale */
	assert_int_equal(f->resets, 1);
	assert_int_equal(scmi_dev_inflight(f->dev), 0);
	assert_int_equal(scmi_dev_stats(f->dev)->stale_completions, 4);
	assert_int_equal(vring_drv_used_pending(f->cq), 0);
	assert_false(scmi_dev_queue_ready(f->dev, SCMI_DEV_CMDQ));
	assert_int_equal(scmi_dev_features(f->dev), 0);

	/* the driver sets the device up again; the same slots get reused */
	free(f->cq);
	free(f->eq);
	f->ncmd = 0;
	start_queues(f, 64, 16, F_V1 | F_IND | F_P2A);
	queue_cmd(f, hdr_of(0x14, 6, 9), NULL, 0, 136, false);
	kick(f);
	assert_int_equal(f->ncmd, 1);
	for (i = 0; i < 4; i++) {
		assert_int_not_equal(old[i], f->cmd[0].cookie);
		scmi_put_le32(r, 0);
		scmi_put_le32(r + 4, 0);
		scmi_dev_complete(f->dev, old[i], r, 8);
	}
	assert_int_equal(vring_drv_used_pending(f->cq), 0);
	assert_int_equal(scmi_dev_stats(f->dev)->stale_completions, 8);
	memcpy(r, f->cmd[0].req, 4);
	scmi_dev_complete(f->dev, f->cmd[0].cookie, r, 8);
	get_done(f, &len);
	assert_int_equal(len, 8);
}

static void test_memory_table_replaced(void **state)
{
	struct fx *f = *state;
	struct gmem_region r = { .gpa = VGUEST_GPA, .size = 4 << 20, .hva = f->g.ram };
	uint32_t len;
	uint8_t rep[8];
	struct pend *p;

	f->deferred = true;
	p = queue_cmd(f, hdr_of(0x10, 0, 1), NULL, 0, 136, false);
	kick(f);
	/* the frontend drops guest RAM (new memory table) with a command in
	 * flight: the reply cannot be written, the buffer still comes back */
	gmem_regions_clear(&f->g.gm);
	memcpy(rep, f->cmd[0].req, 4);
	scmi_put_le32(rep + 4, 0);
	scmi_dev_complete(f->dev, f->cmd[0].cookie, rep, 8);
	assert_ptr_equal(get_done(f, &len), p);
	assert_int_equal(len, 0);
	assert_int_equal(resp_of(f, p)[0], 0xaa);
	/* RAM mapped again: business as usual */
	assert_int_equal(gmem_regions_add(&f->g.gm, &r), 0);
	f->deferred = false;
	assert_good_command(f);
}

/* ---- notification suppression ------------------------------------------- */
static void test_cmdq_event_idx_suppression(void **state)
{
	struct fx *f = *state;
	uint32_t len;
	uint8_t r[8];

	f->deferred = true;
	for (unsigned i = 0; i < 3; i++)
		queue_cmd(f, hdr_of(0x10, 0, (uint16_t)i), NULL, 0, 136, false);
	kick(f);
	assert_int_equal(le16toh(*vring_avail_event(f->cq->used, 64)), 3);
	memcpy(r, f->cmd[0].req, 4);
	scmi_put_le32(r + 4, 0);
	scmi_dev_complete(f->dev, f->cmd[0].cookie, r, 8);
	assert_int_equal(f->notifies[0], 1);
	/* the driver has not consumed/re-armed: no more interrupts */
	scmi_dev_complete(f->dev, f->cmd[1].cookie, r, 8);
	assert_int_equal(f->notifies[0], 1);
	get_done(f, &len);
	get_done(f, &len);
	assert_false(vring_drv_enable_cb(f->cq));
	scmi_dev_complete(f->dev, f->cmd[2].cookie, r, 8);
	assert_int_equal(f->notifies[0], 2);
}

static void test_cmdq_batch_one_notify(void **state)
{
	struct fx *f = *state;
	uint32_t len;

	for (unsigned i = 0; i < 5; i++)
		queue_cmd(f, hdr_of(0x10, 0, (uint16_t)i), NULL, 0, 136, false);
	kick(f);
	assert_int_equal(vring_drv_used_pending(f->cq), 5);
	assert_int_equal(f->notifies[0], 1);    /* one per kick, not per command */
	for (unsigned i = 0; i < 5; i++)
		get_done(f, &len);
	/* NO_INTERRUPT without EVENT_IDX */
	vring_drv_disable_cb(f->cq);
	queue_cmd(f, hdr_of(0x10, 0, 9), NULL, 0, 136, false);
	kick(f);
	assert_int_equal(f->notifies[0], 1);
	assert_int_equal(vring_drv_used_pending(f->cq), 1);
}

/* ---- eventq --------------------------------------------------------------- */
static uint64_t post_event_buf(struct fx *f, size_t len)
{
	uint64_t g = resp_buf(f, len);
	struct vring_drv_buf in = { g, (uint32_t)len };

	assert_true(vring_drv_add(f->eq, NULL, 0, &in, 1, (void *)(uintptr_t)g, false) >= 0);
	return g;
}

static void post_and_kick(struct fx *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		post_event_buf(f, 136);
	vring_drv_publish(f->eq);
	scmi_dev_kick(f->dev, SCMI_DEV_EVENTQ);
}

static size_t msg(uint8_t *b, uint8_t type, uint8_t proto, uint8_t id, uint16_t token,
		  uint32_t agent, uint32_t res, uint32_t val)
{
	scmi_put_le32(b, scmi_hdr(proto, id, type, token));
	scmi_put_le32(b + 4, agent);
	scmi_put_le32(b + 8, res);
	scmi_put_le32(b + 12, val);
	return 16;
}

static const uint8_t *next_event(struct fx *f, uint32_t *len)
{
	struct vring_drv_used u;

	assert_int_equal(vring_drv_get_used(f->eq, &u), 1);
	*len = u.len;
	return vguest_hva(&f->g, (uint64_t)(uintptr_t)u.data);
}

static void test_event_delivered(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];
	uint32_t len;
	const uint8_t *e;

	post_and_kick(f, 2);
	assert_int_equal(scmi_dev_event(f->dev, m,
				       msg(m, SCMI_MSG_NOTIFICATION, 0x11, 0, 0, 0, 3, 7)), 0);
	assert_int_equal(f->notifies[1], 1);
	e = next_event(f, &len);
	assert_int_equal(len, 16);
	assert_memory_equal(e, m, 16);
	assert_int_equal(scmi_dev_stats(f->dev)->events_sent, 1);
	/* bad events from the core */
	assert_int_equal(scmi_dev_event(f->dev, m, 3), -1);
	assert_int_equal(scmi_dev_event(f->dev, m, SCMI_MSG_MAX + 1), -1);
	scmi_put_le32(m, scmi_hdr(0x11, 0, SCMI_MSG_COMMAND, 0));
	assert_int_equal(scmi_dev_event(f->dev, m, 16), -1);
	assert_int_equal(vring_drv_used_pending(f->eq), 0);
}

static void test_delayed_held_until_buffers(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];
	uint32_t len, i;
	const uint8_t *e;

	for (i = 0; i < 5; i++)
		assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14,
							       5, (uint16_t)i, 0, i, i)), 0);
	assert_int_equal(scmi_dev_held_events(f->dev), 5);
	assert_int_equal(scmi_dev_stats(f->dev)->delayed_held, 5);
	post_and_kick(f, 3);
	assert_int_equal(scmi_dev_held_events(f->dev), 2);
	assert_int_equal(f->notifies[1], 1);
	post_and_kick(f, 3);
	assert_int_equal(scmi_dev_held_events(f->dev), 0);
	for (i = 0; i < 5; i++) {                   /* in order */
		e = next_event(f, &len);
		assert_int_equal(len, 16);
		assert_int_equal(scmi_hdr_token(scmi_get_le32(e)), i);
		assert_int_equal(scmi_hdr_type(scmi_get_le32(e)), SCMI_MSG_DELAYED_RESP);
	}
	/* one buffer left over: a new message goes straight out */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14, 5, 9,
						       0, 1, 1)), 0);
	assert_int_equal(scmi_dev_held_events(f->dev), 0);
	e = next_event(f, &len);
	assert_int_equal(scmi_hdr_token(scmi_get_le32(e)), 9);
}

static void test_delayed_fifo_bound(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];
	unsigned i;

	for (i = 0; i < SCMI_DEV_HELD_DELAYED_MAX; i++)
		assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14,
							       5, (uint16_t)(i & 1023), 0,
							       i, 0)), 0);
	/* notifications are still accepted next to a full delayed FIFO */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x14, 0, 0,
						       0, 1, 0)), 0);
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14, 5, 1,
						       0, 1, 0)), -1);
	assert_int_equal(scmi_dev_stats(f->dev)->delayed_dropped, 1);
	assert_int_equal(scmi_dev_held_events(f->dev), SCMI_DEV_HELD_DELAYED_MAX + 1);
	/* drained in order as buffers come (15 usable buffers per round) */
	for (i = 0; i < 200 && scmi_dev_held_events(f->dev); i++) {
		struct vring_drv_used u;

		post_and_kick(f, vring_drv_num_free(f->eq));
		while (vring_drv_get_used(f->eq, &u) == 1)
			;
	}
	assert_int_equal(scmi_dev_held_events(f->dev), 0);
	assert_int_equal(scmi_dev_stats(f->dev)->events_sent, SCMI_DEV_HELD_DELAYED_MAX + 1);
}

static void test_notifications_dropped_and_coalesced(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];
	uint32_t len;
	unsigned i;
	const uint8_t *e;

	/* same clock, newer rate: replaces the held one */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x14, 0, 0,
						       1, 4, 100)), 0);
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x14, 0, 0,
						       1, 4, 200)), 0);
	assert_int_equal(scmi_dev_held_events(f->dev), 1);
	/* another clock is a different notification */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x14, 0, 0,
						       1, 5, 300)), 0);
	assert_int_equal(scmi_dev_held_events(f->dev), 2);
	for (i = 2; i < SCMI_DEV_HELD_NOTIF_MAX; i++)
		assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x11,
							       0, 0, 1, i, 0)), 0);
	/* full: dropped, counted */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x11, 0, 0,
						       1, 999, 0)), -1);
	assert_int_equal(scmi_dev_stats(f->dev)->notifications_dropped, 1);
	/* a coalescing one still fits */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x14, 0, 0,
						       1, 5, 301)), 0);
	/* a delayed response is never refused for notifications' sake */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14, 5, 3,
						       0, 0, 0)), 0);
	post_and_kick(f, 2);
	e = next_event(f, &len);
	assert_int_equal(scmi_get_le32(e + 8), 4);
	assert_int_equal(scmi_get_le32(e + 12), 200);
	e = next_event(f, &len);
	assert_int_equal(scmi_get_le32(e + 8), 5);
	assert_int_equal(scmi_get_le32(e + 12), 301);
}

static void test_no_p2a_nothing_sent(void **state)
{
	struct fx *f = fx_new();
	uint8_t m[16];

	(void)state;
	*state = f;
	start_queues(f, 64, 16, F_V1 | F_IND);      /* P2A offered, not negotiated */
	post_and_kick(f, 4);
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x14, 0, 0,
						       0, 1, 1)), -1);
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14, 5, 1,
						       0, 1, 1)), -1);
	assert_int_equal(vring_drv_used_pending(f->eq), 0);
	assert_int_equal(scmi_dev_held_events(f->dev), 0);
	assert_int_equal(f->notifies[1], 0);
	assert_int_equal(scmi_dev_stats(f->dev)->notifications_dropped, 1);
	assert_int_equal(scmi_dev_stats(f->dev)->delayed_dropped, 1);
}

static void test_bad_eventq_buffers(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];
	uint32_t len;
	uint64_t g = resp_buf(f, 136);
	struct vring_drv_buf out = { g, 16 }, in = { g, 136 };
	struct vring_drv_used u;
	const uint8_t *e;

	/* device-readable buffer, a mixed one, a too small one, then a good one */
	assert_true(vring_drv_add(f->eq, &out, 1, NULL, 0, NULL, false) >= 0);
	assert_true(vring_drv_add(f->eq, &out, 1, &in, 1, NULL, false) >= 0);
	post_event_buf(f, 8);
	post_event_buf(f, 136);
	vring_drv_publish(f->eq);
	scmi_dev_kick(f->dev, SCMI_DEV_EVENTQ);
	assert_int_equal(vring_drv_used_pending(f->eq), 0);    /* popped only when needed */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_NOTIFICATION, 0x15, 0, 0,
						       0, 1, 1)), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vring_drv_get_used(f->eq, &u), 1);
		assert_int_equal(u.len, 0);
	}
	e = next_event(f, &len);
	assert_int_equal(len, 16);
	assert_memory_equal(e, m, 16);
	assert_int_equal(scmi_dev_stats(f->dev)->malformed, 3);
	/* hostile head in the eventq */
	vring_drv_add_raw_head(f->eq, 16);
	post_event_buf(f, 136);
	vring_drv_publish(f->eq);
	assert_int_equal(scmi_dev_event(f->dev, m, 16), 0);
	e = next_event(f, &len);
	assert_int_equal(len, 16);
	assert_int_equal(scmi_dev_stats(f->dev)->dropped_chains, 1);
}

static void test_eventq_event_idx(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];
	uint32_t len;

	/* held message: the device asks for a kick when buffers come */
	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14, 5, 1,
						       0, 1, 1)), 0);
	post_event_buf(f, 136);
	assert_true(vring_drv_publish(f->eq));
	scmi_dev_kick(f->dev, SCMI_DEV_EVENTQ);
	assert_int_equal(f->notifies[1], 1);
	next_event(f, &len);
	/* driver did not re-arm used_event: next delivery is silent */
	post_and_kick(f, 1);
	assert_int_equal(scmi_dev_event(f->dev, m, 16), 0);
	assert_int_equal(f->notifies[1], 1);
	next_event(f, &len);
	vring_drv_enable_cb(f->eq);
	post_and_kick(f, 1);
	assert_int_equal(scmi_dev_event(f->dev, m, 16), 0);
	assert_int_equal(f->notifies[1], 2);
}

static void test_reset_drops_held(void **state)
{
	struct fx *f = *state;
	uint8_t m[16];

	assert_int_equal(scmi_dev_event(f->dev, m, msg(m, SCMI_MSG_DELAYED_RESP, 0x14, 5, 1,
						       0, 1, 1)), 0);
	scmi_dev_reset(f->dev);
	assert_int_equal(scmi_dev_held_events(f->dev), 0);
	/* after reset P2A is not negotiated until the driver says so */
	assert_int_equal(scmi_dev_event(f->dev, m, 16), -1);
}

/* A pass takes at most queue-size chains: without a loop the rest waits for
 * the next kick, with one it is taken in passes scheduled on the loop. */
static void test_pass_budget_no_loop(void **state)
{
	struct fx *f = *state;

	f->chase = 300;
	queue_cmd(f, hdr_of(0x10, 0, 1), NULL, 0, 16, false);
	kick(f);
	assert_int_equal(f->ncmd, 64);
	assert_int_equal(scmi_dev_stats(f->dev)->deferred_passes, 1);
	scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
	assert_int_equal(f->ncmd, 128);
	for (unsigned i = 0; i < 10 && f->ncmd < 301; i++)
		scmi_dev_kick(f->dev, SCMI_DEV_CMDQ);
	assert_int_equal(f->ncmd, 301);
	assert_int_equal(f->chase, 0);
	assert_int_equal(scmi_dev_stats(f->dev)->completed, 301);
}

static void test_pass_budget_loop(void **state)
{
	struct fx *f = *state;
	struct ev_loop *loop = ev_loop_new();
	unsigned iters = 0;

	assert_non_null(loop);
	scmi_dev_set_loop(f->dev, loop);
	f->chase = 200;
	queue_cmd(f, hdr_of(0x10, 0, 1), NULL, 0, 16, false);
	kick(f);
	assert_int_equal(f->ncmd, 64);
	/* each loop iteration serves one more pass, nothing else is needed */
	while (f->ncmd < 201) {
		unsigned before = f->ncmd;

		assert_true(ev_loop_run_once(loop, 100) >= 1);
		assert_int_equal(f->ncmd, before + (f->ncmd == 201 ? 201 - before : 64));
		assert_true(++iters < 10);
	}
	assert_int_equal(iters, 3);
	assert_int_equal(scmi_dev_stats(f->dev)->deferred_passes, 3);
	/* a pending pass is cancelled by a reset and by free (no stray timer) */
	f->chase = 100;
	queue_cmd(f, hdr_of(0x10, 0, 2), NULL, 0, 16, false);
	kick(f);
	assert_int_equal(f->ncmd, 265);
	scmi_dev_reset(f->dev);
	assert_int_equal(ev_loop_run_once(loop, 0), 0);
	assert_int_equal(f->ncmd, 265);
	scmi_dev_set_loop(f->dev, NULL);
	ev_loop_free(loop);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TE(fn) cmocka_unit_test_setup_teardown(fn, setup_evt, teardown)
#define TN(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_features),
		T(test_pass_budget_no_loop),
		T(test_pass_budget_loop),
		T(test_echo_command),
		T(test_indirect_command),
		T(test_scattered_buffers),
		T(test_out_of_order),
		TN(test_1024_queue_512_in_flight),
		TN(test_head_reuse_stall),
		T(test_truncation),
		T(test_error_status_is_8_bytes),
		T(test_no_writable_part),
		T(test_short_request),
		T(test_long_request),
		T(test_small_writable),
		T(test_descriptor_loop),
		TN(test_too_many_descriptors),
		T(test_outside_guest_memory),
		T(test_bad_indirect_tables),
		T(test_writable_before_readable),
		T(test_head_out_of_range),
		T(test_broken_ring_needs_reset),
		TN(test_buffers_before_queue_start),
		T(test_stop_restart),
		T(test_reset_in_flight),
		T(test_memory_table_replaced),
		TE(test_cmdq_event_idx_suppression),
		T(test_cmdq_batch_one_notify),
		T(test_event_delivered),
		T(test_delayed_held_until_buffers),
		T(test_delayed_fifo_bound),
		T(test_notifications_dropped_and_coalesced),
		TN(test_no_p2a_nothing_sent),
		T(test_bad_eventq_buffers),
		TE(test_eventq_event_idx),
		T(test_reset_drops_held),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
