// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON reader for the tools: json-c (Debian libjson-c) parses; this file
 * only turns json-c's objects into the small immutable tree of
 * json_parse.h that the tools walk (no json-c types leak to callers).
 */
#include <json.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"

#define JSON_MAX_DEPTH 32

void json_free(struct json *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

static struct json *convert(struct json_object *o, int depth);

/* Appends a converted member; false (and nothing kept) on failure. */
static bool push(struct json *v, struct json_object *item, const char *key, int depth)
{
	struct json *c = convert(item, depth + 1);
	struct json **items;
	char **keys;

	if (!c)
		return false;
	items = realloc(v->items, (v->n + 1) * sizeof(*items));
	if (!items)
		goto fail;
	v->items = items;
	if (key) {
		keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));
		if (!keys)
			goto fail;
		v->keys = keys;
		if (!(keys[v->n] = strdup(key)))
			goto fail;
	}
	items[v->n++] = c;
	return true;
fail:
	json_free(c);
	return false;
}

static struct json *convert(struct json_object *o, int depth)
{
	struct json *v = calloc(1, sizeof(*v));

	if (!v || depth > JSON_MAX_DEPTH) {
		free(v);
		return NULL;
	}
	switch (json_object_get_type(o)) {
	case json_type_null:
		v->type = JSON_NULL;
		break;
	case json_type_boolean:
		v->type = JSON_BOOL;
		v->b = json_object_get_boolean(o);
		break;
	case json_type_int:
	case json_type_double:
		v->type = JSON_NUM;
		v->num = json_object_get_double(o);
		break;
	case json_type_string:
		v->type = JSON_STR;
		v->str = strdup(json_object_get_string(o));
		if (!v->str)
			goto fail;
		break;
	case json_type_array:
		v->type = JSON_ARR;
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (!push(v, json_object_array_get_idx(o, i), NULL, depth))
				goto fail;
		break;
	case json_type_object: {
		v->type = JSON_OBJ;
		json_object_object_foreach(o, key, val)
			if (!push(v, val, key, depth))
				goto fail;
		break;
	}
	}
	return v;
fail:
	json_free(v);
	return NULL;
}

struct json *json_parse(const char *text, const char **err)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	struct json_object *o;
	struct json *v = NULL;
	size_t len = strlen(text);

	if (!tok) {
		if (err)
			*err = "out of memory";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		if (err)
			*err = je == json_tokener_continue ? "unexpected end of input" :
			       je == json_tokener_error_depth ? "nested too deeply" :
			       json_tokener_error_desc(je);
	} else if (json_tokener_get_parse_end(tok) < len &&
		   strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") !=
			   len - json_tokener_get_parse_end(tok)) {
		if (err)
			*err = "trailing characters";
	} else if (!(v = convert(o, 0)) && err) {
		*err = "out of memory or nested too deeply";
	}
	json_object_put(o);
	json_tokener_free(tok);
	return v;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
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
