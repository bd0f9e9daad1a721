/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layout-driven formatting for tools: turns command-line words into an
 * SCMI payload following a layout string of the command tables
 * (mediator/scmi_msg.h: "name:type ..."), and prints a payload back with
 * its field names, for humans or as JSON. No protocol knowledge here: the
 * layouts carry it.
 */
#ifndef SCMI_FORMAT_H
#define SCMI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum scmi_ftype {
	SCMI_FT_U32,
	SCMI_FT_I32,
	SCMI_FT_U64,
	SCMI_FT_STR16,
	SCMI_FT_STR64,
	SCMI_FT_U16,           /* trailing arrays only */
	SCMI_FT_U8,            /* trailing arrays only */
};

#define SCMI_FIELD_NAME_MAX 32
#define SCMI_FIELDS_MAX 64

struct scmi_field {
	char name[SCMI_FIELD_NAME_MAX];
	enum scmi_ftype type;
	size_t size;           /* bytes of one element */
	bool array;            /* "name[]:u32|u16|u8": the rest of the message */
};

/* Split a layout into fields. Returns the count (0 for an empty or NULL
 * layout) or -1 if it is malformed (unknown type, array not last, too many
 * fields, name too long). */
int scmi_layout_fields(const char *layout, struct scmi_field *f, int max);

/* Parse a number: decimal, 0x hex or 0 octal, optionally negative (stored
 * as two's complement). Returns 0 or -1. */
int scmi_parse_u64(const char *s, uint64_t *out);

/*
 * Build a payload from words. Fixed fields take one word each (u64 is one
 * number; strings are copied NUL padded); an array field takes every
 * remaining word as one element. Returns the payload length, or -1 with a message
 * in err (wrong count, bad number, value out of range, buffer too small).
 */
int scmi_fmt_build(const char *layout, int argc, char *const argv[],
		   uint8_t *buf, size_t cap, char *err, size_t errlen);

/*
 * Print a payload (the bytes after the status of a response, or a request
 * or notification payload) with the field names of `layout`. Human form is
 * one "name: value" line per field prefixed by `indent`; JSON form is one
 * object. Fields missing at the end and trailing bytes beyond the layout
 * are reported (human) or listed as "_missing"/"_extra" (JSON); a NULL or
 * empty layout prints the bytes as le32 words.
 */
void scmi_fmt_print(FILE *out, const char *layout, const uint8_t *buf, size_t len,
		    bool json, const char *indent);

/* Print s as a JSON string literal (quoted, escaped). */
void scmi_fmt_json_str(FILE *out, const char *s);

/* Copy a fixed-size NUL-padded wire string into dst (always terminated,
 * non-printable bytes replaced by '?'). */
void scmi_fmt_wire_str(char *dst, size_t dstsz, const uint8_t *src, size_t srclen);

#endif
