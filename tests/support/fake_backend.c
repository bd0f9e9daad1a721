// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_backend.h"
#include "mediator/scmi_msg.h"

static int fake_send(struct scmi_backend *b, unsigned chan, const uint8_t *msg, size_t len,
		     size_t resp_max)
{
	struct fake_backend *f = (struct fake_backend *)b;
	struct fake_sent *s;

	if (f->eagain) {
		f->eagain--;
		return -EAGAIN;
	}
	if (f->fail) {
		int e = f->fail;

		f->fail = 0;
		return e;
	}
	if (f->nsent >= FAKE_BE_MAX_SENT || len > sizeof(s->msg))
		return -EINVAL;
	s = &f->sent[f->nsent++];
	s->chan = chan;
	s->len = len;
	s->resp_max = resp_max;
	memcpy(s->msg, msg, len);
	b->stats.sent++;
	return 0;
}

static unsigned fake_max_inflight(struct scmi_backend *b, unsigned chan)
{
	return ((struct fake_backend *)b)->max_inflight;
}

static void fake_destroy(struct scmi_backend *b)
{
	free(b);
}

static const struct scmi_backend_ops fake_ops = {
	.name = "fake",
	.send = fake_send,
	.max_inflight = fake_max_inflight,
	.destroy = fake_destroy,
};

struct fake_backend *fake_be_new(struct ev_loop *loop, unsigned nchannels)
{
	struct fake_backend *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->b.ops = &fake_ops;
	f->b.loop = loop;
	f->b.nchannels = nchannels;
	f->b.max_msg = SCMI_MSG_MAX;
	f->max_inflight = 1024;
	return f;
}

uint32_t fake_be_hdr(const struct fake_backend *f, unsigned n)
{
	return scmi_get_le32(f->sent[n].msg);
}

void fake_be_rx(struct fake_backend *f, unsigned chan, const uint8_t *msg, size_t len)
{
	if (f->b.rx)
		f->b.rx(f->b.rx_opaque, chan, msg, len);
}

void fake_be_reply(struct fake_backend *f, unsigned n, int32_t status, const uint32_t *vals,
		   unsigned nvals)
{
	uint8_t r[512];
	unsigned i;

	scmi_put_le32(r, fake_be_hdr(f, n));
	scmi_put_le32(r + 4, (uint32_t)status);
	for (i = 0; i < nvals && 8 + 4 * i + 4 <= sizeof(r); i++)
		scmi_put_le32(r + 8 + 4 * i, vals[i]);
	f->b.stats.replies++;
	fake_be_rx(f, f->sent[n].chan, r, 8 + 4 * (size_t)i);
}

void fake_be_dresp(struct fake_backend *f, unsigned n, int32_t status, uint32_t val)
{
	uint8_t r[12];

	scmi_put_le32(r, scmi_hdr_set_type(fake_be_hdr(f, n), SCMI_MSG_DELAYED_RESP));
	scmi_put_le32(r + 4, (uint32_t)status);
	scmi_put_le32(r + 8, val);
	f->b.stats.delayed++;
	fake_be_rx(f, f->sent[n].chan, r, sizeof(r));
}
