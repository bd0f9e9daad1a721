/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCMI message model: header encode/decode, little-endian field access,
 * the per-protocol command tables (exact request lengths, layouts) and a
 * generic layout codec used by tests, tools and validation.
 *
 * Wire format of every message: le32 header, then payload. A response's
 * payload starts with the int32 status. All fields are little endian.
 */
#ifndef SCMI_MSG_H
#define SCMI_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scmi_proto.h"

/* Largest message (header + payload) any part of the mediator handles. */
#define SCMI_MSG_MAX 512u
/* Linux virtio transport default: 128 bytes of return values + hdr + status */
#define SCMI_LINUX_MSG_SIZE 136u

/* ---- header ----------------------------------------------------------- */
static inline uint32_t scmi_hdr(uint8_t proto, uint8_t msg_id, uint8_t type,
				uint16_t token)
{
	return (uint32_t)msg_id | ((uint32_t)(type & 3u) << SCMI_HDR_TYPE_SHIFT) |
	       ((uint32_t)proto << SCMI_HDR_PROTO_SHIFT) |
	       (((uint32_t)token & 0x3ffu) << SCMI_HDR_TOKEN_SHIFT);
}
static inline uint8_t scmi_hdr_msg_id(uint32_t h)
{
	return h & SCMI_HDR_MSG_ID_MASK;
}
static inline uint8_t scmi_hdr_type(uint32_t h)
{
	return (h & SCMI_HDR_TYPE_MASK) >> SCMI_HDR_TYPE_SHIFT;
}
static inline uint8_t scmi_hdr_proto(uint32_t h)
{
	return (h & SCMI_HDR_PROTO_MASK) >> SCMI_HDR_PROTO_SHIFT;
}
static inline uint16_t scmi_hdr_token(uint32_t h)
{
	return (h & SCMI_HDR_TOKEN_MASK) >> SCMI_HDR_TOKEN_SHIFT;
}
static inline uint32_t scmi_hdr_reserved(uint32_t h)
{
	return h & SCMI_HDR_RESERVED_MASK;
}
static inline uint32_t scmi_hdr_set_token(uint32_t h, uint16_t token)
{
	return (h & ~SCMI_HDR_TOKEN_MASK) | (((uint32_t)token & 0x3ffu) << SCMI_HDR_TOKEN_SHIFT);
}
static inline uint32_t scmi_hdr_set_type(uint32_t h, uint8_t type)
{
	return (h & ~SCMI_HDR_TYPE_MASK) | ((uint32_t)(type & 3u) << SCMI_HDR_TYPE_SHIFT);
}

/* ---- little-endian access (no alignment assumptions) ------------------- */
static inline uint32_t scmi_get_le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
	       ((uint32_t)b[3] << 24);
}
static inline void scmi_put_le32(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = v & 0xff; b[1] = (v >> 8) & 0xff; b[2] = (v >> 16) & 0xff; b[3] = v >> 24;
}
static inline uint64_t scmi_get_le64(const void *p)
{
	return (uint64_t)scmi_get_le32(p) | ((uint64_t)scmi_get_le32((const uint8_t *)p + 4) << 32);
}
static inline void scmi_put_le64(void *p, uint64_t v)
{
	scmi_put_le32(p, (uint32_t)v);
	scmi_put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

/*
 * Every SCMI notification starts with the agent id that caused it. A guest
 * knows itself by its own agent id and every other agent as the platform
 * (0): rewrite it in place. msg is at least 8 bytes.
 */
static inline void scmi_notif_renumber_agent(uint8_t *msg, uint32_t plat_agent_id,
					     uint32_t guest_agent_id)
{
	scmi_put_le32(msg + 4, scmi_get_le32(msg + 4) == plat_agent_id ? guest_agent_id : 0);
}

/* ---- command tables ----------------------------------------------------- */
/*
 * Layout strings describe the fields of a request, of a response after the
 * status word, of a delayed response after the status word, or of a
 * notification payload, as items separated by single spaces, each
 * "name:type" (name: [a-z0-9_]+). The empty string "" means no fields.
 * Types:
 *   u32, i32          one le32 word (i32 values are sign-extended in vals[])
 *   u64               two le32 words, low word first
 *   str16, str64      fixed-size NUL-padded string
 *   NAME[]:u32        (last item only) the rest of the message as le32 words
 *   NAME[]:u16        (last item only) the rest as le16 halfwords
 *   NAME[]:u8         (last item only) the rest as bytes
 * Flag/bitfield words are plain u32; their bit meaning is documented in
 * the tables (mediator/scmi_tables.c) and in docs/protocol.md.
 */
enum scmi_cmd_flags {
	SCMI_CMD_VARLEN = 1u << 0, /* req_len is a minimum; handler checks the rest */
	SCMI_CMD_ASYNC = 1u << 1,  /* may produce a delayed response (see dresp) */
	SCMI_CMD_NOTIFY = 1u << 2, /* (un)subscribes to a notification */
	SCMI_CMD_LIST = 1u << 3,   /* paginated list reply */
};

struct scmi_cmd_desc {
	uint8_t id;
	const char *name;     /* e.g. "CLOCK_RATE_GET" */
	const char *req;      /* request layout */
	const char *resp;     /* response layout after the status */
	uint16_t req_len;     /* exact request payload length (min with VARLEN) */
	uint8_t flags;        /* enum scmi_cmd_flags */
	const char *dresp;    /* delayed response layout after the status (ASYNC), else NULL */
};

struct scmi_evt_desc {
	uint8_t id;
	const char *name;     /* e.g. "CLOCK_RATE_CHANGED" */
	const char *payload;  /* notification payload layout */
};

struct scmi_proto_desc {
	uint8_t id;
	const char *name;     /* "base", "power", "clock", ... (lower case) */
	uint32_t version;
	const struct scmi_cmd_desc *cmds;  /* sorted by ascending id */
	size_t ncmds;
	const struct scmi_evt_desc *evts;  /* sorted by ascending id */
	size_t nevts;
};

/* All protocols we know, in ascending id order. */
extern const struct scmi_proto_desc *const scmi_protocols[];
extern const size_t scmi_nprotocols;

/* Lookups return NULL when not found. */
const struct scmi_proto_desc *scmi_proto_find(uint8_t proto_id);
/* Case-insensitive protocol name ("clock") */
const struct scmi_proto_desc *scmi_proto_find_name(const char *name);
const struct scmi_cmd_desc *scmi_cmd_find(uint8_t proto_id, uint8_t msg_id);
/*
 * Case-insensitive command name, either full ("CLOCK_RATE_GET") or without
 * the protocol prefix ("RATE_GET").
 */
const struct scmi_cmd_desc *scmi_cmd_find_name(const struct scmi_proto_desc *p,
					       const char *name);
const struct scmi_evt_desc *scmi_evt_find(uint8_t proto_id, uint8_t evt_id);
/* "SUCCESS", "NOT_SUPPORTED", ...; "UNKNOWN" for values outside the spec. */
const char *scmi_status_name(int32_t status);

/*
 * The single request-length check every handler relies on: returns
 * SCMI_SUCCESS, SCMI_PROTOCOL_ERROR (wrong payload length),
 * SCMI_NOT_FOUND (unknown message id) or SCMI_NOT_SUPPORTED (unknown
 * protocol) for a payload of `len` bytes. For VARLEN commands `len` must be
 * at least req_len, a whole number of trailing array elements, and fit in
 * SCMI_MSG_MAX; the handler checks the element count against its fields.
 */
int32_t scmi_check_req_len(uint8_t proto_id, uint8_t msg_id, size_t len);

/*
 * Older protocol revisions' request layouts that are a prefix of the
 * current one, with the added trailing fields meaning "as before" when
 * zero (e.g. CLOCK_CONFIG_SET without oem_config_val, as Linux up to 6.6
 * sends it to a CLOCK v2+ platform). If `msg` (header + payload, `*len`
 * bytes, buffer of `cap` bytes) is such a request, zero-extend it to the
 * current layout, update *len and return true; otherwise change nothing
 * and return false.
 */
bool scmi_req_upgrade_legacy(uint8_t *msg, size_t *len, size_t cap);

/* ---- generic layout codec ---------------------------------------------- */
#define SCMI_LAYOUT_MAX_VALUES 64
/*
 * One value per field: u32/u64 as is, i32 sign-extended to 64 bits, a
 * string as a pointer cast to uintptr_t, and a trailing array as one value
 * per element.
 *
 * Encode `n` values into `buf` following `layout`; the number of trailing
 * array elements is n minus the number of fixed fields. Strings are copied
 * up to size-1 bytes and NUL padded (always NUL-terminated on the wire).
 * Returns bytes written, or -1 if the layout is invalid, n does not fit the
 * layout, a value is out of its field's range or `cap` is too small.
 */
int scmi_layout_encode(const char *layout, const uint64_t *vals, size_t n,
		       uint8_t *buf, size_t cap);
/*
 * Decode `len` bytes per `layout` into vals (strings are copied to strbuf,
 * NUL-terminated even if the wire string is not, and vals holds their
 * address). Returns the number of values decoded, or -1 if `len` does not
 * match the layout exactly (a trailing array must be a whole number of
 * elements), the layout is invalid, or vals/strbuf are too small.
 */
int scmi_layout_decode(const char *layout, const uint8_t *buf, size_t len,
		       uint64_t *vals, size_t max_vals, char *strbuf, size_t strcap);
/*
 * Fixed length in bytes of a layout (excluding a trailing [] array), or
 * SIZE_MAX if the layout is invalid.
 */
size_t scmi_layout_fixed_len(const char *layout);
/* Element size of the layout's trailing [] array, 0 if it has none. */
size_t scmi_layout_array_elem(const char *layout);

#endif /* SCMI_MSG_H */
