// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmictl's daemon queries over the control socket: "status" (the
 * daemon's own table, ctl_print_status) and "platform-state" (the embedded
 * platform's physical state, rendered from its JSON).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_client.h"
#include "json_parse.h"
#include "scmictl_verbs.h"

#define SCMICTL_DEFAULT_CTL "/run/scmi-mediator/control.sock"

static void put_scalar(const struct json *v, FILE *out)
{
	switch (v->type) {
	case JSON_NULL:
		fputs("null", out);
		break;
	case JSON_BOOL:
		fputs(v->b ? "true" : "false", out);
		break;
	case JSON_NUM:
		if (v->num == (double)(long long)v->num)
			fprintf(out, "%lld", (long long)v->num);
		else
			fprintf(out, "%g", v->num);
		break;
	case JSON_STR:
		fputs(v->str, out);
		break;
	case JSON_ARR:
		fputc('[', out);
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				fputc(' ', out);
			put_scalar(v->items[i], out);
		}
		fputc(']', out);
		break;
	case JSON_OBJ:
		fputc('{', out);
		for (size_t i = 0; i < v->n; i++) {
			fprintf(out, "%s%s=", i ? " " : "", v->keys[i]);
			put_scalar(v->items[i], out);
		}
		fputc('}', out);
		break;
	}
}

/* One object of a list on one line: "ID NAME key=value ...". */
static void put_row(const struct json *o, FILE *out, int depth)
{
	const struct json *id = json_get(o, "id"), *name = json_get(o, "name");

	fprintf(out, "%*s", 2 * depth, "");
	if (id) {
		put_scalar(id, out);
		fputc(' ', out);
	}
	if (name && name->type == JSON_STR)
		fprintf(out, "%-16s", name->str);
	for (size_t i = 0; i < o->n; i++) {
		if (!strcmp(o->keys[i], "id") || !strcmp(o->keys[i], "name"))
			continue;
		fprintf(out, " %s=", o->keys[i]);
		put_scalar(o->items[i], out);
	}
	fputc('\n', out);
}

/* Objects nest as indented sections, lists of objects as rows. */
static void put_tree(const struct json *v, FILE *out, const char *key, int depth)
{
	if (v->type == JSON_OBJ) {
		if (key)
			fprintf(out, "%*s%s:\n", 2 * depth, "", key);
		for (size_t i = 0; i < v->n; i++)
			put_tree(v->items[i], out, v->keys[i], key ? depth + 1 : depth);
		return;
	}
	if (v->type == JSON_ARR && v->n && v->items[0]->type == JSON_OBJ) {
		fprintf(out, "%*s%s (%zu):\n", 2 * depth, "", key ? key : "", v->n);
		for (size_t i = 0; i < v->n; i++) {
			if (v->items[i]->type == JSON_OBJ)
				put_row(v->items[i], out, depth + 1);
			else
				put_tree(v->items[i], out, NULL, depth + 1);
		}
		return;
	}
	fprintf(out, "%*s%s: ", 2 * depth, "", key ? key : "");
	put_scalar(v, out);
	fputc('\n', out);
}

static int platform_state(const char *ctl, bool json)
{
	const char *err = NULL;
	const struct json *res;
	struct json *v;
	char *resp = NULL;
	int rc = ctl_request(ctl, "{\"cmd\":\"platform-state\"}", &resp);

	if (rc) {
		fprintf(stderr, "scmictl: %s: %s\n", ctl, strerror(-rc));
		return SCMICTL_EXIT_CONN;
	}
	v = json_parse(resp, &err);
	if (!v) {
		fprintf(stderr, "scmictl: %s: unreadable answer (%s)\n", ctl, err ? err : "?");
		free(resp);
		return SCMICTL_EXIT_CONN;
	}
	if (!json_as_bool(json_get(v, "ok"), false) || !(res = json_get(v, "result"))) {
		fprintf(stderr, "scmictl: platform-state: %s\n",
			json_as_str(json_get(v, "error"), "refused"));
		json_free(v);
		free(resp);
		return SCMICTL_EXIT_STATUS;
	}
	if (json)
		printf("%s\n", resp);
	else
		put_tree(res, stdout, NULL, 0);
	json_free(v);
	free(resp);
	return 0;
}

int scmictl_ctl(const char *ctl, const char *what, bool json)
{
	int rc;

	if (!ctl)
		ctl = SCMICTL_DEFAULT_CTL;
	if (!strcmp(what, "platform-state"))
		return platform_state(ctl, json);
	rc = ctl_print_status(ctl, json, stdout);
	if (rc == -EPROTO)
		return SCMICTL_EXIT_STATUS;
	return rc ? SCMICTL_EXIT_CONN : 0;
}
