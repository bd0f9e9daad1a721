/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket: a unix stream socket; each request is one line
 * holding a JSON object {"cmd":"NAME", ...} (a bare NAME is accepted too),
 * each answer one line of JSON: {"ok":true,"result":...} or
 * {"ok":false,"error":"..."}. See docs/daemon.md.
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <stdbool.h>
#include <stdio.h>

struct ev_loop;
struct control;

#define CONTROL_LINE_MAX 4096

/* Write the JSON `result` value for cmd (the whole request line is in
 * req) to out and return true, or write an error message (plain text) to
 * out and return false. */
typedef bool (*control_handler)(void *opaque, const char *cmd, const char *req, FILE *out);

/* Listen on path (an existing socket file is replaced; the directory is
 * created if missing). NULL on failure (logged). */
struct control *control_new(struct ev_loop *loop, const char *path, control_handler h,
			    void *opaque);
/* Close every connection and the socket, unlink it. */
void control_free(struct control *c);
const char *control_path(const struct control *c);

/* JSON helpers for handlers. */
void json_put_str(FILE *out, const char *s);
/* Extract the string value of "key" from a one-level JSON object line;
 * false if absent or not a string. */
bool json_get_str(const char *json, const char *key, char *out, size_t cap);

#endif
