// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recursive-descent JSON reader (RFC 8259 subset sufficient for the
 * control protocol: no surrogate pairs).
 */
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"

#define JSON_MAX_DEPTH 32

struct jp {
	const char *p;
	const char *err;
};

static void skip_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static struct json *jnew(enum json_type t)
{
	struct json *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

void json_free(struct json *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *parse_string(struct jp *j)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	if (!s || *j->p != '"') {
		free(s);
		j->err = "expected a string";
		return NULL;
	}
	j->p++;
	while (*j->p != '"') {
		unsigned ch = (unsigned char)*j->p++;
		char out[3];
		size_t k = 0;

		if (!ch || ch < 0x20) {
			j->err = "unterminated string or control character";
			free(s);
			return NULL;
		}
		if (ch == '\\') {
			ch = (unsigned char)*j->p++;
			switch (ch) {
			case '"': case '\\': case '/': out[k++] = (char)ch; break;
			case 'n': out[k++] = '\n'; break;
			case 't': out[k++] = '\t'; break;
			case 'r': out[k++] = '\r'; break;
			case 'b': out[k++] = '\b'; break;
			case 'f': out[k++] = '\f'; break;
			case 'u': {
				unsigned u = 0;
				int i;

				for (i = 0; i < 4; i++) {
					int h = hexval(j->p[i]);

					if (h < 0) {
						j->err = "bad \\u escape";
						free(s);
						return NULL;
					}
					u = u * 16 + (unsigned)h;
				}
				j->p += 4;
				if (u < 0x80) {
					out[k++] = (char)u;
				} else if (u < 0x800) {
					out[k++] = (char)(0xc0 | (u >> 6));
					out[k++] = (char)(0x80 | (u & 0x3f));
				} else {
					out[k++] = '?';
				}
				break;
			}
			default:
				j->err = "bad escape";
				free(s);
				return NULL;
			}
		} else {
			out[k++] = (char)ch;
		}
		if (n + k + 1 > cap) {
			char *t;

			cap = cap * 2 + k;
			t = realloc(s, cap);
			if (!t) {
				free(s);
				j->err = "out of memory";
				return NULL;
			}
			s = t;
		}
		memcpy(s + n, out, k);
		n += k;
	}
	j->p++;
	s[n] = 0;
	return s;
}

static struct json *parse_value(struct jp *j, int depth);

static int push(struct json *v, struct json *item, char *key)
{
	struct json **ni = realloc(v->items, (v->n + 1) * sizeof(*ni));

	if (!ni)
		return -1;
	v->items = ni;
	if (v->type == JSON_OBJ) {
		char **nk = realloc(v->keys, (v->n + 1) * sizeof(*nk));

		if (!nk)
			return -1;
		v->keys = nk;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
	return 0;
}

static struct json *parse_container(struct jp *j, int depth, bool obj)
{
	struct json *v = jnew(obj ? JSON_OBJ : JSON_ARR);
	char close = obj ? '}' : ']';

	if (!v) {
		j->err = "out of memory";
		return NULL;
	}
	j->p++;
	skip_ws(j);
	if (*j->p == close) {
		j->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct json *item;

		skip_ws(j);
		if (obj) {
			key = parse_string(j);
			if (!key)
				goto fail;
			skip_ws(j);
			if (*j->p++ != ':') {
				free(key);
				j->err = "expected ':'";
				goto fail;
			}
		}
		item = parse_value(j, depth + 1);
		if (!item || push(v, item, key) < 0) {
			free(key);
			json_free(item);
			if (!j->err)
				j->err = "out of memory";
			goto fail;
		}
		skip_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			return v;
		}
		j->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
		goto fail;
	}
fail:
	json_free(v);
	return NULL;
}

static struct json *parse_value(struct jp *j, int depth)
{
	struct json *v;
	char *end;

	if (depth > JSON_MAX_DEPTH) {
		j->err = "nested too deeply";
		return NULL;
	}
	skip_ws(j);
	switch (*j->p) {
	case '{':
		return parse_container(j, depth, true);
	case '[':
		return parse_container(j, depth, false);
	case '"':
		v = jnew(JSON_STR);
		if (v && !(v->str = parse_string(j))) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
			v = jnew(JSON_BOOL);
			if (v)
				v->b = *j->p == 't';
			j->p += *j->p == 't' ? 4 : 5;
			return v;
		}
		if (!strncmp(j->p, "null", 4)) {
			j->p += 4;
			return jnew(JSON_NULL);
		}
		break;
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
			v = jnew(JSON_NUM);
			if (!v)
				return NULL;
			v->num = strtod(j->p, &end);
			if (end == j->p) {
				free(v);
				break;
			}
			j->p = end;
			return v;
		}
		break;
	}
	j->err = "unexpected character";
	return NULL;
}

struct json *json_parse(const char *text, const char **err)
{
	struct jp j = { .p = text };
	struct json *v = parse_value(&j, 0);

	if (v) {
		skip_ws(&j);
		if (*j.p) {
			json_free(v);
			v = NULL;
			j.err = "trailing characters";
		}
	}
	if (err)
		*err = v ? NULL : (j.err ? j.err : "invalid JSON");
	return v;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JSON_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

const char *json_as_str(const struct json *v, const char *def)
{
	return v && v->type == JSON_STR ? v->str : def;
}

double json_as_num(const struct json *v, double def)
{
	return v && v->type == JSON_NUM ? v->num : def;
}

bool json_as_bool(const struct json *v, bool def)
{
	return v && v->type == JSON_BOOL ? v->b : def;
}
