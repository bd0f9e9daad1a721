/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Configuration files in xl.cfg syntax, read with libxlutil (the Xen
 * toolstack's own parser), plus what libxlutil does not give: the line of
 * each key and of each list item (for file:line diagnostics), unknown-key
 * detection, and xl-style spec strings ("key=value,key=value").
 *
 * Every error is reported as "FILE:LINE: message" through cfg_error().
 */
#ifndef CFG_H
#define CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cfg;

/* Parse a file. On failure returns NULL and has printed file:line errors to
 * `err` (libxlutil's own syntax messages included). */
struct cfg *cfg_load(const char *path, FILE *err);
/* Same, from memory (name used in diagnostics). */
struct cfg *cfg_load_data(const char *name, const char *data, size_t len, FILE *err);
void cfg_free(struct cfg *c);
const char *cfg_path(const struct cfg *c);

/* Line of `key` (0 if absent) and of item `idx` of list `key`. */
int cfg_line(const struct cfg *c, const char *key);
int cfg_item_line(const struct cfg *c, const char *key, int idx);

/* Report "path:line: fmt" to the error stream; counts errors. */
void cfg_error(struct cfg *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
unsigned cfg_errors(const struct cfg *c);
FILE *cfg_err_stream(const struct cfg *c);

/* Flag every top-level key not in the NULL-terminated list `known`.
 * Returns the number of unknown keys found (each reported). */
int cfg_check_keys(struct cfg *c, const char *const *known);

/* Getters: return 0 if found, 1 if absent (def used), -1 on a type or
 * range error (reported with file:line). */
int cfg_get_str(struct cfg *c, const char *key, const char **out, const char *def);
int cfg_get_u64(struct cfg *c, const char *key, uint64_t *out, uint64_t def,
		uint64_t min, uint64_t max);
int cfg_get_bool(struct cfg *c, const char *key, bool *out, bool def);
/* A list of strings: *n items; item(i) valid while c lives. Absent -> 0. */
int cfg_get_list(struct cfg *c, const char *key, int *n);
const char *cfg_list_item(struct cfg *c, const char *key, int idx);

/* ---- xl-style spec strings: "k=v,k=v,flag" ------------------------------ */
#define SPEC_MAX_KV 32
struct spec {
	struct cfg *c;      /* for diagnostics */
	int line;
	unsigned n;
	char *buf;          /* owned copy */
	struct { char *k, *v; bool used; } kv[SPEC_MAX_KV];
};
/* Split a spec; duplicate keys and syntax errors are reported. */
int spec_parse(struct spec *s, struct cfg *c, int line, const char *text);
void spec_free(struct spec *s);
/* Lookups mark the key used. Return 0 found, 1 absent (def), -1 error. */
int spec_str(struct spec *s, const char *k, const char **out, const char *def);
int spec_u64(struct spec *s, const char *k, uint64_t *out, uint64_t def,
	     uint64_t min, uint64_t max);
int spec_bool(struct spec *s, const char *k, bool *out, bool def);
/* Space-separated u64 list ("rates=1000 2000 4000"); returns count or -1. */
int spec_u64_list(struct spec *s, const char *k, uint64_t *out, int max);
/* Report keys never looked up as unknown; returns how many. */
int spec_check_unused(struct spec *s);

#endif
