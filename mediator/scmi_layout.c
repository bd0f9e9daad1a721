// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic SCMI layout codec: turns "name:type ..." layout strings (syntax in
 * scmi_msg.h) into little-endian payload bytes and back. Strict: any length
 * mismatch, out-of-range value or malformed layout is an error (-1). No
 * allocation; layouts are parsed on the fly (they are a few dozen bytes).
 */
#include "scmi_msg.h"

enum lt_type { LT_U32, LT_I32, LT_U64, LT_STR, LT_U16, LT_U8 };

struct litem {
	enum lt_type type;
	size_t size;   /* bytes of the field, or of one array element */
	bool array;    /* trailing NAME[]:type */
};

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool tok_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

/*
 * Parse the item at *pp. Returns 1 and advances *pp past the item (and its
 * separating space), 0 at the end of the layout, -1 on a malformed item.
 */
static int next_item(const char **pp, struct litem *it)
{
	const char *p = *pp, *t;
	size_t tn;

	if (!*p)
		return 0;
	if (!name_char(*p))
		return -1;
	while (name_char(*p))
		p++;
	it->array = false;
	if (p[0] == '[' && p[1] == ']') {
		it->array = true;
		p += 2;
	}
	if (*p++ != ':')
		return -1;
	t = p;
	while (*p && *p != ' ')
		p++;
	tn = (size_t)(p - t);
	if (tok_eq(t, tn, "u32")) {
		it->type = LT_U32, it->size = 4;
	} else if (tok_eq(t, tn, "i32") && !it->array) {
		it->type = LT_I32, it->size = 4;
	} else if (tok_eq(t, tn, "u64") && !it->array) {
		it->type = LT_U64, it->size = 8;
	} else if (tok_eq(t, tn, "str16") && !it->array) {
		it->type = LT_STR, it->size = SCMI_SHORT_NAME_LEN;
	} else if (tok_eq(t, tn, "str64") && !it->array) {
		it->type = LT_STR, it->size = SCMI_EXT_NAME_LEN;
	} else if (tok_eq(t, tn, "u16") && it->array) {
		it->type = LT_U16, it->size = 2;
	} else if (tok_eq(t, tn, "u8") && it->array) {
		it->type = LT_U8, it->size = 1;
	} else {
		return -1;
	}
	if (*p == ' ') {
		p++;
		/* an array must be last; no empty items or trailing space */
		if (it->array || !*p)
			return -1;
	}
	*pp = p;
	return 1;
}

/*
 * Walk a whole layout: number of fixed items, their total size and the
 * trailing array (if any). Returns false if the layout is malformed.
 */
static bool layout_scan(const char *layout, size_t *nfixed, size_t *fixed_len,
			struct litem *arr)
{
	struct litem it;
	const char *p = layout;
	int r;

	*nfixed = 0;
	*fixed_len = 0;
	arr->array = false;
	arr->size = 0;
	if (!layout)
		return false;
	while ((r = next_item(&p, &it)) > 0) {
		if (it.array) {
			*arr = it;
		} else {
			(*nfixed)++;
			*fixed_len += it.size;
		}
	}
	return r == 0;
}

size_t scmi_layout_fixed_len(const char *layout)
{
	size_t nf, fl;
	struct litem arr;

	if (!layout_scan(layout, &nf, &fl, &arr))
		return SIZE_MAX;
	return fl;
}

size_t scmi_layout_array_elem(const char *layout)
{
	size_t nf, fl;
	struct litem arr;

	if (!layout_scan(layout, &nf, &fl, &arr))
		return 0;
	return arr.array ? arr.size : 0;
}

/* Write one scalar of `size` bytes (1, 2, 4 or 8), little endian. */
static void put_le(uint8_t *b, uint64_t v, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *b, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static bool value_fits(enum lt_type t, uint64_t v)
{
	int64_t s = (int64_t)v;

	switch (t) {
	case LT_U32:
		return v <= UINT32_MAX;
	case LT_I32:
		return s >= INT32_MIN && s <= INT32_MAX;
	case LT_U16:
		return v <= UINT16_MAX;
	case LT_U8:
		return v <= UINT8_MAX;
	case LT_U64:
		return true;
	case LT_STR:
		return v != 0;
	}
	return false;
}

int scmi_layout_encode(const char *layout, const uint64_t *vals, size_t n,
		       uint8_t *buf, size_t cap)
{
	size_t nf, fl, vi = 0, off = 0;
	struct litem it, arr;
	const char *p = layout;

	if (!layout_scan(layout, &nf, &fl, &arr))
		return -1;
	if (arr.array ? n < nf : n != nf)
		return -1;
	if (n && !vals)
		return -1;
	if (fl > cap || (arr.array && (n - nf) > (cap - fl) / arr.size))
		return -1;
	if (fl + (arr.array ? (n - nf) * arr.size : 0) > (size_t)INT32_MAX)
		return -1;

	while (next_item(&p, &it) > 0) {
		size_t cnt = it.array ? n - nf : 1, k;

		for (k = 0; k < cnt; k++, vi++) {
			uint64_t v = vals[vi];

			if (!value_fits(it.type, v))
				return -1;
			if (it.type == LT_STR) {
				const char *s = (const char *)(uintptr_t)v;
				size_t sl = strnlen(s, it.size - 1);

				memcpy(buf + off, s, sl);
				memset(buf + off + sl, 0, it.size - sl);
			} else {
				put_le(buf + off, v, it.size);
			}
			off += it.size;
		}
	}
	return (int)off;
}

int scmi_layout_decode(const char *layout, const uint8_t *buf, size_t len,
		       uint64_t *vals, size_t max_vals, char *strbuf, size_t strcap)
{
	size_t nf, fl, vi = 0, off = 0, soff = 0, cnt = 0;
	struct litem it, arr;
	const char *p = layout;

	if (!layout_scan(layout, &nf, &fl, &arr))
		return -1;
	if (len < fl || (len && !buf))
		return -1;
	if (arr.array) {
		if ((len - fl) % arr.size)
			return -1;
		cnt = (len - fl) / arr.size;
	} else if (len != fl) {
		return -1;
	}
	if (nf + cnt > max_vals || (nf + cnt && !vals) || nf + cnt > (size_t)INT32_MAX)
		return -1;

	while (next_item(&p, &it) > 0) {
		size_t n = it.array ? cnt : 1, k;

		for (k = 0; k < n; k++, vi++) {
			if (it.type == LT_STR) {
				size_t sl = strnlen((const char *)buf + off, it.size);

				if (!strbuf || strcap - soff < sl + 1)
					return -1;
				memcpy(strbuf + soff, buf + off, sl);
				strbuf[soff + sl] = '\0';
				vals[vi] = (uint64_t)(uintptr_t)(strbuf + soff);
				soff += sl + 1;
			} else if (it.type == LT_I32) {
				vals[vi] = (uint64_t)(int64_t)(int32_t)get_le(buf + off, 4);
			} else {
				vals[vi] = get_le(buf + off, it.size);
			}
			off += it.size;
		}
	}
	return (int)vi;
}
