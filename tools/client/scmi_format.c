// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout-driven argument parsing and pretty printing (see scmi_format.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scmi_format.h"
#include "../../mediator/scmi_msg.h"

static int parse_type(const char *t, size_t n, struct scmi_field *f)
{
	static const struct { const char *name; enum scmi_ftype type; size_t size; } types[] = {
		{ "u32", SCMI_FT_U32, 4 },     { "i32", SCMI_FT_I32, 4 },
		{ "u64", SCMI_FT_U64, 8 },     { "str16", SCMI_FT_STR16, 16 },
		{ "str64", SCMI_FT_STR64, 64 }, { "u16", SCMI_FT_U16, 2 },
		{ "u8", SCMI_FT_U8, 1 },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strlen(types[i].name) == n && !strncmp(types[i].name, t, n)) {
			f->type = types[i].type;
			f->size = types[i].size;
			return 0;
		}
	}
	return -1;
}

int scmi_layout_fields(const char *layout, struct scmi_field *f, int max)
{
	const char *p = layout;
	int n = 0;

	if (!layout)
		return 0;
	for (;;) {
		const char *item, *colon, *end;
		size_t nlen;
		bool small;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (n >= max)
			return -1;
		if (n > 0 && f[n - 1].array)
			return -1;      /* an array must be the last item */
		item = p;
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		colon = memchr(item, ':', (size_t)(end - item));
		if (!colon || colon == item)
			return -1;
		nlen = (size_t)(colon - item);
		memset(&f[n], 0, sizeof(f[n]));
		if (nlen > 2 && !strncmp(colon - 2, "[]", 2)) {
			f[n].array = true;
			nlen -= 2;
		}
		if (nlen == 0 || nlen >= SCMI_FIELD_NAME_MAX)
			return -1;
		memcpy(f[n].name, item, nlen);
		if (parse_type(colon + 1, (size_t)(end - colon - 1), &f[n]))
			return -1;
		small = f[n].type == SCMI_FT_U16 || f[n].type == SCMI_FT_U8;
		if (f[n].array ? !(small || f[n].type == SCMI_FT_U32) : small)
			return -1;
		n++;
		p = end;
	}
	return n;
}

int scmi_parse_u64(const char *s, uint64_t *out)
{
	const char *p = s;
	bool neg = false;
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return -1;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	v = strtoull(p, &end, 0);
	if (errno || *end)
		return -1;
	if (neg) {
		if (v > (1ull << 63))
			return -1;
		v = (unsigned long long)(-(long long)(v - 1) - 1);
	}
	*out = v;
	return 0;
}

/* Does v fit a 32-bit field (as unsigned, or as a negative i32)? */
static bool fits32(uint64_t v)
{
	return v <= UINT32_MAX || ((int64_t)v < 0 && (int64_t)v >= INT32_MIN);
}

int scmi_fmt_build(const char *layout, int argc, char *const argv[],
		   uint8_t *buf, size_t cap, char *err, size_t errlen)
{
	struct scmi_field f[SCMI_FIELDS_MAX];
	int nf = scmi_layout_fields(layout, f, SCMI_FIELDS_MAX);
	int nfixed, ai = 0;
	size_t off = 0;

	if (nf < 0) {
		snprintf(err, errlen, "invalid layout \"%s\"", layout);
		return -1;
	}
	nfixed = (nf > 0 && f[nf - 1].array) ? nf - 1 : nf;
	if (argc < nfixed || (nfixed == nf && argc > nf)) {
		snprintf(err, errlen, "expected %s%d argument%s (%s), got %d",
			 nfixed == nf ? "" : "at least ", nfixed, nfixed == 1 ? "" : "s",
			 nf ? layout : "none", argc);
		return -1;
	}
	for (int i = 0; i < nf; i++) {
		int count = f[i].array ? argc - ai : 1;

		for (int k = 0; k < count; k++, ai++) {
			const char *a = argv[ai];
			uint64_t v;

			if (off + f[i].size > cap) {
				snprintf(err, errlen, "message too long at field %s", f[i].name);
				return -1;
			}
			if (f[i].type == SCMI_FT_STR16 || f[i].type == SCMI_FT_STR64) {
				size_t l = strlen(a);

				if (l >= f[i].size) {
					snprintf(err, errlen, "%s: string longer than %zu bytes",
						 f[i].name, f[i].size - 1);
					return -1;
				}
				memset(buf + off, 0, f[i].size);
				memcpy(buf + off, a, l);
				off += f[i].size;
				continue;
			}
			if (scmi_parse_u64(a, &v)) {
				snprintf(err, errlen, "%s: \"%s\" is not a number", f[i].name, a);
				return -1;
			}
			if (f[i].type == SCMI_FT_U64) {
				scmi_put_le64(buf + off, v);
				off += 8;
				continue;
			}
			if (f[i].type == SCMI_FT_U16 || f[i].type == SCMI_FT_U8) {
				uint64_t max = f[i].type == SCMI_FT_U16 ? 0xffff : 0xff;

				if (v > max) {
					snprintf(err, errlen, "%s: %s does not fit in %zu bits",
						 f[i].name, a, 8 * f[i].size);
					return -1;
				}
				buf[off] = v & 0xff;
				if (f[i].size == 2)
					buf[off + 1] = v >> 8;
				off += f[i].size;
				continue;
			}
			if (!fits32(v)) {
				snprintf(err, errlen, "%s: %s does not fit in 32 bits", f[i].name,
					 a);
				return -1;
			}
			scmi_put_le32(buf + off, (uint32_t)v);
			off += 4;
		}
	}
	return (int)off;
}

void scmi_fmt_wire_str(char *dst, size_t dstsz, const uint8_t *src, size_t srclen)
{
	size_t i;

	if (!dstsz)
		return;
	for (i = 0; i < srclen && i + 1 < dstsz && src[i]; i++)
		dst[i] = isprint(src[i]) ? (char)src[i] : '?';
	dst[i] = '\0';
}

void scmi_fmt_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static size_t fields_fixed_size(const struct scmi_field *f, int n)
{
	size_t sz = 0;

	for (int i = 0; i < n && !f[i].array; i++)
		sz += f[i].size;
	return sz;
}

static void print_u32(FILE *out, uint32_t v, bool json)
{
	if (json || v < 10)
		fprintf(out, "%" PRIu32, v);
	else
		fprintf(out, "%" PRIu32 " (0x%" PRIx32 ")", v, v);
}

static void print_value(FILE *out, const struct scmi_field *f, const uint8_t *p, bool json)
{
	char s[SCMI_EXT_NAME_LEN + 1];
	uint64_t v;

	switch (f->type) {
	case SCMI_FT_U32:
		print_u32(out, scmi_get_le32(p), json);
		break;
	case SCMI_FT_I32:
		fprintf(out, "%" PRId32, (int32_t)scmi_get_le32(p));
		break;
	case SCMI_FT_U64:
		v = scmi_get_le64(p);
		if (json || v < 10)
			fprintf(out, "%" PRIu64, v);
		else
			fprintf(out, "%" PRIu64 " (0x%" PRIx64 ")", v, v);
		break;
	case SCMI_FT_U16:
	case SCMI_FT_U8:
		break;          /* array elements are printed by the caller */
	case SCMI_FT_STR16:
	case SCMI_FT_STR64:
		scmi_fmt_wire_str(s, sizeof(s), p, f->size);
		if (json)
			scmi_fmt_json_str(out, s);
		else
			fprintf(out, "\"%s\"", s);
		break;
	}
}

static void print_words(FILE *out, const uint8_t *p, size_t len, bool json)
{
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		if (json)
			fprintf(out, "%s%" PRIu32, i ? ", " : "", scmi_get_le32(p + i));
		else
			fprintf(out, "%s0x%08" PRIx32, i ? " " : "", scmi_get_le32(p + i));
	}
	for (; i < len; i++) {
		if (json)
			fprintf(out, "%s%u", i ? ", " : "", p[i]);
		else
			fprintf(out, "%s%02x", i ? " " : "", p[i]);
	}
}

void scmi_fmt_print(FILE *out, const char *layout, const uint8_t *buf, size_t len,
		    bool json, const char *indent)
{
	struct scmi_field f[SCMI_FIELDS_MAX];
	int nf = scmi_layout_fields(layout, f, SCMI_FIELDS_MAX);
	size_t off = 0;
	int i, printed = 0;

	if (!indent)
		indent = "";
	if (json)
		fputc('{', out);
	if (nf < 0)
		nf = 0;         /* unusable layout: everything is "extra" */
	for (i = 0; i < nf; i++) {
		if (f[i].array) {
			size_t es = f[i].size, n = (len - off) / es;

			if (json)
				fprintf(out, "%s\"%s\": [", printed++ ? ", " : "", f[i].name);
			else
				fprintf(out, "%s%s[%zu]:", indent, f[i].name, n);
			for (size_t k = 0; k < n; k++) {
				const uint8_t *e = buf + off + es * k;
				uint32_t v = es == 4 ? scmi_get_le32(e) :
					     es == 2 ? (uint32_t)(e[0] | e[1] << 8) : e[0];

				fputs(json ? (k ? ", " : "") : " ", out);
				print_u32(out, v, json);
			}
			fputs(json ? "]" : "\n", out);
			off += n * es;
			break;
		}
		if (off + f[i].size > len)
			break;
		if (json) {
			fprintf(out, "%s\"%s\": ", printed++ ? ", " : "", f[i].name);
			print_value(out, &f[i], buf + off, true);
		} else {
			fprintf(out, "%s%s: ", indent, f[i].name);
			print_value(out, &f[i], buf + off, false);
			fputc('\n', out);
		}
		off += f[i].size;
	}
	if (i < nf && !f[i].array) {
		if (json) {
			fprintf(out, "%s\"_missing\": [", printed++ ? ", " : "");
			for (int k = i; k < nf; k++) {
				if (k > i)
					fputs(", ", out);
				scmi_fmt_json_str(out, f[k].name);
			}
			fputc(']', out);
		} else {
			fprintf(out, "%s(short by %zu bytes: no", indent,
				fields_fixed_size(f, nf) - off);
			for (int k = i; k < nf; k++)
				fprintf(out, " %s", f[k].name);
			fputs(")\n", out);
		}
	}
	if (off < len) {
		if (json) {
			fprintf(out, "%s\"_extra\": [", printed ? ", " : "");
			print_words(out, buf + off, len - off, true);
			fputc(']', out);
		} else {
			fprintf(out, "%s%s%zu byte%s: ", indent, nf ? "extra " : "",
				len - off, len - off == 1 ? "" : "s");
			print_words(out, buf + off, len - off, false);
			fputc('\n', out);
		}
	}
	if (json)
		fputc('}', out);
}
