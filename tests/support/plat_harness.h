/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test harness for the embedded reference platform: build a platform from
 * config text or a file, send commands as any agent with a chosen response
 * capacity, move the virtual clock and pop P2A messages.
 *
 * Every call checks the platform's reply invariants with cmocka asserts:
 * the header is echoed, the length fits the capacity and is word-aligned,
 * error replies are exactly 8 bytes.
 */
#ifndef PLAT_HARNESS_H
#define PLAT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/scmi_msg.h"

struct ph {
	struct plat_desc *desc;
	struct scmi_platform *p;
	size_t resp_cap;              /* default SCMI_LINUX_MSG_SIZE */
	uint16_t token;               /* next token used by ph_call */
	uint8_t resp[SCMI_MSG_MAX + 64];
	size_t resp_len;
	struct plat_reply reply;
	bool check;                   /* assert reply invariants (default on) */
};

/* New harness from config text (asserts it loads); ph_new_file from a path. */
struct ph *ph_new(const char *cfg_text);
struct ph *ph_new_file(const char *path);
void ph_free(struct ph *h);

/* Load config text expected to FAIL; returns the diagnostics (malloc'd,
 * caller frees). Fails the test if it loads. */
char *ph_desc_errors(const char *cfg_text);

void ph_set_cap(struct ph *h, size_t resp_cap);

/* Send hdr(proto, msg, next token) + nargs le32 args as `agent`. Returns
 * the status; the return values (after the status) are copied as le32
 * words into vals (up to *nvals on entry; *nvals = words returned). vals
 * and nvals may be NULL. */
int32_t ph_callv(struct ph *h, unsigned agent, uint8_t proto, uint8_t msg,
		 const uint32_t *args, unsigned nargs, uint32_t *vals, unsigned *nvals);
#define PH_ARGS(...) ((const uint32_t[]){ 0, __VA_ARGS__ } + 1)
#define PH_NARGS(...) (sizeof((uint32_t[]){ 0, __VA_ARGS__ }) / sizeof(uint32_t) - 1)
/* ph_call(h, agent, proto, msg, vals, &nvals, arg0, arg1, ...) */
#define ph_call(h, agent, proto, msg, vals, nvals, ...) \
	ph_callv(h, agent, proto, msg, PH_ARGS(__VA_ARGS__), \
		 (unsigned)PH_NARGS(__VA_ARGS__), vals, nvals)

/* Send raw bytes; returns the status (or INT32_MIN if no reply). */
int32_t ph_raw(struct ph *h, unsigned agent, const void *msg, size_t len);

/* Response bytes after the status (valid until the next call). */
const uint8_t *ph_values(const struct ph *h, size_t *len);
/* A NUL-padded string of `width` bytes at byte offset `off` of the values. */
const char *ph_str(const struct ph *h, size_t off, size_t width);

/* Virtual time. */
void ph_advance(struct ph *h, uint64_t ns);

/* Pop the next P2A message of agent: returns its length (0 if none); hdr
 * and payload words (after the header) go to hdr/words. */
size_t ph_pop(struct ph *h, unsigned agent, uint32_t *hdr, uint32_t *words, unsigned *nwords);

/*
 * Conformance coverage. Every reply that ph_raw (and so ph_call) gets for a
 * well-formed command of a standard protocol (0x10..0x19) is recorded as a
 * (protocol, message id, status) triple; a PROTOCOL_ERROR is recorded as
 * PH_COV_BAD_LEN too when the request's payload length is wrong for the
 * command table (scmi_check_req_len). When the environment variable
 * PLAT_COVERAGE_FILE names a file, the process appends its record to it at
 * exit, one line per (protocol, message id) pair exercised:
 *   "<proto> <msg_id> <mask>" (decimal; bit -status for each status seen,
 *   bit PH_COV_BAD_LEN_BIT for a wrong-length PROTOCOL_ERROR).
 * tests/integration/test_conformance_coverage.c runs the test_plat_*
 * binaries with it and checks the record against the command tables.
 */
#define PH_COV_BAD_LEN_BIT 15
uint32_t ph_cov_mask(uint8_t proto, uint8_t msg);

#endif
