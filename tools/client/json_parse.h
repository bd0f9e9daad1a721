/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON reader for the tools (control socket answers), on top of
 * json-c: builds a tree of values (json-c does the parsing, strictly);
 * nesting is limited.
 */
#ifndef JSON_PARSE_H
#define JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>

enum json_tree_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_tree_type type;
	bool b;
	double num;
	char *str;
	size_t n;              /* items of an array/object */
	struct json **items;
	char **keys;           /* object member names */
};

/* NULL on error; *err (if given) points at a static description. */
struct json *json_parse(const char *text, const char **err);
void json_free(struct json *v);
const struct json *json_get(const struct json *obj, const char *key);
const char *json_as_str(const struct json *v, const char *def);
double json_as_num(const struct json *v, double def);
bool json_as_bool(const struct json *v, bool def);

#endif
