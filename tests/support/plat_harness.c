// SPDX-License-Identifier: GPL-2.0-only
/*
 * Embedded-platform test harness (see plat_harness.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_harness.h"

/* ---- conformance coverage (see plat_harness.h) ------------------------ */
static uint16_t cov[SCMI_PROTO_PINCTRL - SCMI_PROTO_BASE + 1][256];
static bool cov_hooked;

static void cov_write(void)
{
	const char *path = getenv("PLAT_COVERAGE_FILE");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "a");
	if (!f) {
		fprintf(stderr, "plat_harness: cannot append to %s\n", path);
		return;
	}
	for (unsigned pi = 0; pi < sizeof(cov) / sizeof(cov[0]); pi++)
		for (unsigned m = 0; m < 256; m++)
			if (cov[pi][m])
				fprintf(f, "%u %u %u\n", SCMI_PROTO_BASE + pi, m, cov[pi][m]);
	if (fclose(f))
		fprintf(stderr, "plat_harness: write error on %s\n", path);
}

static void cov_record(const uint8_t *msg, size_t len, int32_t st)
{
	uint32_t hdr;
	uint8_t proto, id;

	if (len < 4 || st > 0 || st < SCMI_IN_USE)
		return;
	hdr = scmi_get_le32(msg);
	proto = scmi_hdr_proto(hdr);
	id = scmi_hdr_msg_id(hdr);
	/* only well-formed commands: a bad header is not a test of the command */
	if (scmi_hdr_reserved(hdr) || scmi_hdr_type(hdr) != SCMI_MSG_COMMAND ||
	    proto < SCMI_PROTO_BASE || proto > SCMI_PROTO_PINCTRL)
		return;
	cov[proto - SCMI_PROTO_BASE][id] |= (uint16_t)(1u << -st);
	if (st == SCMI_PROTOCOL_ERROR &&
	    scmi_check_req_len(proto, id, len - 4) == SCMI_PROTOCOL_ERROR)
		cov[proto - SCMI_PROTO_BASE][id] |= 1u << PH_COV_BAD_LEN_BIT;
}

uint32_t ph_cov_mask(uint8_t proto, uint8_t msg)
{
	if (proto < SCMI_PROTO_BASE || proto > SCMI_PROTO_PINCTRL)
		return 0;
	return cov[proto - SCMI_PROTO_BASE][msg];
}

static struct ph *ph_from_desc(struct plat_desc *d)
{
	struct ph *h;

	assert_non_null(d);
	h = calloc(1, sizeof(*h));
	assert_non_null(h);
	h->desc = d;
	h->p = plat_new(d);
	assert_non_null(h->p);
	h->resp_cap = SCMI_LINUX_MSG_SIZE;
	h->token = 1;
	h->check = true;
	if (!cov_hooked) {
		cov_hooked = true;
		atexit(cov_write);
	}
	return h;
}

struct ph *ph_new(const char *cfg_text)
{
	return ph_from_desc(plat_desc_load_data("test.cfg", cfg_text, stderr));
}

struct ph *ph_new_file(const char *path)
{
	return ph_from_desc(plat_desc_load(path, stderr));
}

void ph_free(struct ph *h)
{
	if (!h)
		return;
	plat_free(h->p);
	plat_desc_free(h->desc);
	free(h);
}

char *ph_desc_errors(const char *cfg_text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct plat_desc *d;

	assert_non_null(f);
	d = plat_desc_load_data("test.cfg", cfg_text, f);
	fclose(f);
	if (d) {
		plat_desc_free(d);
		free(buf);
		fail_msg("config unexpectedly loaded:\n%s", cfg_text);
	}
	return buf;
}

void ph_set_cap(struct ph *h, size_t resp_cap)
{
	assert_true(resp_cap >= 8 && resp_cap <= SCMI_MSG_MAX);
	h->resp_cap = resp_cap;
}

int32_t ph_raw(struct ph *h, unsigned agent, const void *msg, size_t len)
{
	memset(h->resp, 0xa5, sizeof(h->resp));
	plat_handle(h->p, agent, msg, len, h->resp, h->resp_cap, &h->reply);
	h->resp_len = h->reply.len;
	if (h->reply.len == 0)
		return INT32_MIN;
	cov_record(msg, len, (int32_t)scmi_get_le32(h->resp + 4));
	if (h->check) {
		int32_t st = (int32_t)scmi_get_le32(h->resp + 4);

		assert_true(h->reply.len >= 8);
		assert_true(h->reply.len <= h->resp_cap);
		assert_int_equal(h->reply.len % 4, 0);
		/* nothing written beyond the reply */
		assert_int_equal(h->resp[h->resp_cap], 0xa5);
		if (len >= 4)
			assert_int_equal(scmi_get_le32(h->resp), scmi_get_le32(msg));
		if (st != SCMI_SUCCESS)
			assert_int_equal(h->reply.len, 8);
	}
	return (int32_t)scmi_get_le32(h->resp + 4);
}

int32_t ph_callv(struct ph *h, unsigned agent, uint8_t proto, uint8_t msg,
		 const uint32_t *args, unsigned nargs, uint32_t *vals, unsigned *nvals)
{
	uint8_t req[SCMI_MSG_MAX];
	int32_t st;
	unsigned max = nvals ? *nvals : 0;

	assert_true(4 + 4 * (size_t)nargs <= sizeof(req));
	scmi_put_le32(req, scmi_hdr(proto, msg, SCMI_MSG_COMMAND, h->token));
	h->token = (uint16_t)((h->token + 1) & 0x3ff);
	for (unsigned i = 0; i < nargs; i++)
		scmi_put_le32(req + 4 + 4 * i, args[i]);
	st = ph_raw(h, agent, req, 4 + 4 * (size_t)nargs);
	if (nvals) {
		unsigned n = h->resp_len > 8 ? (unsigned)((h->resp_len - 8) / 4) : 0;

		*nvals = n;
		for (unsigned i = 0; i < n && i < max && vals; i++)
			vals[i] = scmi_get_le32(h->resp + 8 + 4 * i);
	}
	return st;
}

const uint8_t *ph_values(const struct ph *h, size_t *len)
{
	*len = h->resp_len > 8 ? h->resp_len - 8 : 0;
	return h->resp + 8;
}

const char *ph_str(const struct ph *h, size_t off, size_t width)
{
	static char buf[SCMI_MSG_MAX + 1];

	assert_true(8 + off + width <= h->resp_len);
	memcpy(buf, h->resp + 8 + off, width);
	buf[width] = '\0';
	return buf;
}

void ph_advance(struct ph *h, uint64_t ns)
{
	plat_set_time(h->p, plat_time(h->p) + ns);
}

size_t ph_pop(struct ph *h, unsigned agent, uint32_t *hdr, uint32_t *words, unsigned *nwords)
{
	uint8_t buf[SCMI_MSG_MAX];
	size_t n = plat_p2a_pop(h->p, agent, buf, sizeof(buf));
	unsigned max = nwords ? *nwords : 0;

	if (nwords)
		*nwords = 0;
	if (n == 0)
		return 0;
	assert_true(n >= 4 && n % 4 == 0);
	if (hdr)
		*hdr = scmi_get_le32(buf);
	if (nwords) {
		*nwords = (unsigned)(n - 4) / 4;
		for (unsigned i = 0; i < *nwords && i < max && words; i++)
			words[i] = scmi_get_le32(buf + 4 + 4 * i);
	}
	return n;
}
