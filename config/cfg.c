// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl.cfg-syntax configuration files: libxlutil parses and stores the
 * values; a small line index built from the same text gives the line of
 * every top-level key and of every item of a list, which libxlutil keeps
 * to itself.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "cfg.h"

#define CFG_MAX_FILE (4u << 20)

struct cfg_key {
	char *name;
	int line;
	int *items;        /* line of each list item */
	int nitems, cap;
};

struct cfg {
	XLU_Config *xlu;
	char *path;
	FILE *err;
	unsigned nerr;
	struct cfg_key *keys;
	int nkeys, capkeys;
};

/* ---- line index ------------------------------------------------------- */

static struct cfg_key *index_key(struct cfg *c, const char *name, size_t len)
{
	for (int i = 0; i < c->nkeys; i++)
		if (strlen(c->keys[i].name) == len && !memcmp(c->keys[i].name, name, len))
			return &c->keys[i];
	if (c->nkeys == c->capkeys) {
		int ncap = c->capkeys ? 2 * c->capkeys : 16;
		struct cfg_key *k = realloc(c->keys, (size_t)ncap * sizeof(*k));

		if (!k)
			return NULL;
		c->keys = k;
		c->capkeys = ncap;
	}
	struct cfg_key *k = &c->keys[c->nkeys];

	memset(k, 0, sizeof(*k));
	k->name = strndup(name, len);
	if (!k->name)
		return NULL;
	c->nkeys++;
	return k;
}

static int index_item(struct cfg_key *k, int line)
{
	if (k->nitems == k->cap) {
		int ncap = k->cap ? 2 * k->cap : 8;
		int *it = realloc(k->items, (size_t)ncap * sizeof(*it));

		if (!it)
			return -1;
		k->items = it;
		k->cap = ncap;
	}
	k->items[k->nitems++] = line;
	return 0;
}

static bool is_atom_char(char ch)
{
	return ch && !isspace((unsigned char)ch) && !strchr("=+[],;#\"'", ch);
}

/*
 * Scan text libxlutil already accepted: statements are `KEY = VALUE` or
 * `KEY += VALUE` separated by newlines or ';'; values are atoms, quoted
 * strings or (nested) lists. Records key lines and the line of each
 * top-level list item.
 */
static int build_index(struct cfg *c, const char *t, size_t n)
{
	size_t i = 0;
	int line = 1, depth = 0;
	struct cfg_key *cur = NULL;
	bool expect_key = true;
	const char *pend = NULL;     /* identifier waiting for '=' */
	size_t pendlen = 0;
	int pendline = 0;

	while (i < n) {
		char ch = t[i];

		if (ch == '\n') {
			line++;
			i++;
			if (depth == 0)
				expect_key = true;
			continue;
		}
		if (isspace((unsigned char)ch)) {
			i++;
			continue;
		}
		if (ch == '#') {
			while (i < n && t[i] != '\n')
				i++;
			continue;
		}
		if (ch == ';' && depth == 0) {
			expect_key = true;
			i++;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			int start = line;

			for (i++; i < n && t[i] != ch; i++) {
				if (t[i] == '\\' && i + 1 < n)
					i++;
				if (t[i] == '\n')
					line++;
			}
			i++;
			if (depth == 1 && cur && index_item(cur, start))
				return -1;
			continue;
		}
		if (ch == '[') {
			if (depth == 1 && cur && index_item(cur, line))
				return -1;
			depth++;
			i++;
			continue;
		}
		if (ch == ']') {
			if (depth > 0)
				depth--;
			i++;
			continue;
		}
		if (ch == ',') {
			i++;
			continue;
		}
		if (ch == '=' || (ch == '+' && i + 1 < n && t[i + 1] == '=')) {
			bool add = ch == '+';

			i += add ? 2 : 1;
			if (depth == 0 && pend) {
				cur = index_key(c, pend, pendlen);
				if (!cur)
					return -1;
				cur->line = pendline;
				if (!add)
					cur->nitems = 0;
				pend = NULL;
			}
			continue;
		}
		/* atom */
		size_t s = i;

		while (i < n && is_atom_char(t[i]))
			i++;
		if (i == s) {     /* stray character: skip it */
			i++;
			continue;
		}
		if (depth == 0 && expect_key) {
			pend = t + s;
			pendlen = i - s;
			pendline = line;
			expect_key = false;
		} else if (depth == 1 && cur && index_item(cur, line)) {
			return -1;
		}
	}
	return 0;
}

static const struct cfg_key *find_key(const struct cfg *c, const char *key)
{
	for (int i = 0; i < c->nkeys; i++)
		if (!strcmp(c->keys[i].name, key))
			return &c->keys[i];
	return NULL;
}

int cfg_line(const struct cfg *c, const char *key)
{
	const struct cfg_key *k = find_key(c, key);

	return k ? k->line : 0;
}

int cfg_item_line(const struct cfg *c, const char *key, int idx)
{
	const struct cfg_key *k = find_key(c, key);

	if (!k)
		return 0;
	if (idx < 0 || idx >= k->nitems)
		return k->line;
	return k->items[idx];
}

/* ---- loading ------------------------------------------------------------ */

struct cfg *cfg_load_data(const char *name, const char *data, size_t len, FILE *err)
{
	struct cfg *c;

	if (!err)
		err = stderr;
	if (len > CFG_MAX_FILE) {
		fprintf(err, "%s: file too large (%zu bytes)\n", name, len);
		return NULL;
	}
	if (memchr(data, '\0', len)) {
		fprintf(err, "%s: file contains a NUL byte\n", name);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		goto nomem;
	c->err = err;
	c->path = strdup(name);
	if (!c->path)
		goto nomem;
	c->xlu = xlu_cfg_init(err, name);
	if (!c->xlu)
		goto nomem;
	if (xlu_cfg_readdata(c->xlu, data, (int)len)) {
		/* libxlutil printed "name:line: ..." itself */
		cfg_free(c);
		return NULL;
	}
	if (build_index(c, data, len))
		goto nomem;
	return c;
nomem:
	fprintf(err, "%s: out of memory\n", name);
	cfg_free(c);
	return NULL;
}

struct cfg *cfg_load(const char *path, FILE *err)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct cfg *c;

	if (!err)
		err = stderr;
	f = fopen(path, "r");
	if (!f) {
		fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? 2 * cap : 4096;
			char *nb;

			if (ncap > CFG_MAX_FILE + 1)
				ncap = CFG_MAX_FILE + 1;
			if (ncap == cap)
				break;
			nb = realloc(buf, ncap);
			if (!nb) {
				fprintf(err, "%s: out of memory\n", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = ncap;
		}
		size_t r = fread(buf + len, 1, cap - len, f);

		len += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(err, "%s: read error\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	c = cfg_load_data(path, buf ? buf : "", len, err);
	free(buf);
	return c;
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	if (c->xlu)
		xlu_cfg_destroy(c->xlu);
	for (int i = 0; i < c->nkeys; i++) {
		free(c->keys[i].name);
		free(c->keys[i].items);
	}
	free(c->keys);
	free(c->path);
	free(c);
}

const char *cfg_path(const struct cfg *c)
{
	return c->path;
}

FILE *cfg_err_stream(const struct cfg *c)
{
	return c->err;
}

unsigned cfg_errors(const struct cfg *c)
{
	return c->nerr;
}

void cfg_error(struct cfg *c, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(c->err, "%s:%d: ", c->path, line);
	else
		fprintf(c->err, "%s: ", c->path);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
	c->nerr++;
}

int cfg_check_keys(struct cfg *c, const char *const *known)
{
	int bad = 0;

	for (int i = 0; i < c->nkeys; i++) {
		bool ok = false;

		for (const char *const *k = known; *k && !ok; k++)
			ok = !strcmp(*k, c->keys[i].name);
		if (!ok) {
			cfg_error(c, c->keys[i].line, "unknown key '%s'", c->keys[i].name);
			bad++;
		}
	}
	return bad;
}

/* ---- typed getters ---------------------------------------------------- */

/* Parse an unsigned number (decimal, 0x hex, 0 octal) filling all of s. */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);

	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int cfg_get_str(struct cfg *c, const char *key, const char **out, const char *def)
{
	int r = xlu_cfg_get_string(c->xlu, key, out, 1);

	if (r == ESRCH) {
		*out = def;
		return 1;
	}
	if (r) {
		cfg_error(c, cfg_line(c, key), "'%s' must be a single value, not a list", key);
		*out = def;
		return -1;
	}
	return 0;
}

int cfg_get_u64(struct cfg *c, const char *key, uint64_t *out, uint64_t def,
		uint64_t min, uint64_t max)
{
	const char *s;
	uint64_t v;
	int r = cfg_get_str(c, key, &s, NULL);

	*out = def;
	if (r)
		return r;
	if (!parse_u64(s, &v)) {
		cfg_error(c, cfg_line(c, key), "'%s': '%s' is not a valid number", key, s);
		return -1;
	}
	if (v < min || v > max) {
		cfg_error(c, cfg_line(c, key),
			  "'%s': %" PRIu64 " out of range [%" PRIu64 ", %" PRIu64 "]",
			  key, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!s || !strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes") ||
	    !strcmp(s, "on"))
		*out = true;
	else if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no") ||
		 !strcmp(s, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

int cfg_get_bool(struct cfg *c, const char *key, bool *out, bool def)
{
	const char *s;
	int r = cfg_get_str(c, key, &s, NULL);

	*out = def;
	if (r)
		return r;
	if (parse_bool(s, out)) {
		*out = def;
		cfg_error(c, cfg_line(c, key), "'%s': '%s' is not a boolean (0 or 1)", key, s);
		return -1;
	}
	return 0;
}

int cfg_get_list(struct cfg *c, const char *key, int *n)
{
	XLU_ConfigList *l;
	int cnt = 0;
	int r = xlu_cfg_get_list(c->xlu, key, &l, &cnt, 1);

	*n = 0;
	if (r == ESRCH)
		return 1;
	if (r) {
		cfg_error(c, cfg_line(c, key), "'%s' must be a list [ ... ]", key);
		return -1;
	}
	for (int i = 0; i < cnt; i++) {
		XLU_ConfigValue *v = xlu_cfg_get_listitem2(l, i);

		if (!v || xlu_cfg_value_type(v) != XLU_STRING) {
			cfg_error(c, cfg_item_line(c, key, i),
				  "'%s' item %d must be a string, not a list", key, i);
			return -1;
		}
	}
	*n = cnt;
	return 0;
}

const char *cfg_list_item(struct cfg *c, const char *key, int idx)
{
	XLU_ConfigList *l;
	XLU_ConfigValue *v;

	if (xlu_cfg_get_list(c->xlu, key, &l, NULL, 1))
		return NULL;
	v = xlu_cfg_get_listitem2(l, idx);
	if (!v || xlu_cfg_value_type(v) != XLU_STRING)
		return NULL;
	return xlu_cfg_get_listitem(l, idx);
}

/* ---- spec strings ----------------------------------------------------- */

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int spec_parse(struct spec *s, struct cfg *c, int line, const char *text)
{
	char *p, *next;
	int bad = 0;

	memset(s, 0, sizeof(*s));
	s->c = c;
	s->line = line;
	s->buf = strdup(text ? text : "");
	if (!s->buf) {
		cfg_error(c, line, "out of memory");
		return -1;
	}
	for (p = s->buf; p; p = next) {
		char *k, *v = NULL, *eq;

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			v = trim(eq + 1);
		}
		k = trim(p);
		if (!*k) {
			if (!v && !next)
				break;      /* empty spec or trailing comma */
			cfg_error(c, line, "empty key in '%s'", text);
			bad++;
			continue;
		}
		bool dup = false;

		for (unsigned i = 0; i < s->n && !dup; i++)
			dup = !strcmp(s->kv[i].k, k);
		if (dup) {
			cfg_error(c, line, "duplicate key '%s'", k);
			bad++;
			continue;
		}
		if (s->n == SPEC_MAX_KV) {
			cfg_error(c, line, "too many keys (max %d)", SPEC_MAX_KV);
			bad++;
			break;
		}
		s->kv[s->n].k = k;
		s->kv[s->n].v = v;
		s->kv[s->n].used = false;
		s->n++;
	}
	return bad ? -1 : 0;
}

void spec_free(struct spec *s)
{
	free(s->buf);
	s->buf = NULL;
	s->n = 0;
}

static int spec_find(struct spec *s, const char *k)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->kv[i].k, k)) {
			s->kv[i].used = true;
			return (int)i;
		}
	return -1;
}

int spec_str(struct spec *s, const char *k, const char **out, const char *def)
{
	int i = spec_find(s, k);

	*out = def;
	if (i < 0)
		return 1;
	if (!s->kv[i].v) {
		cfg_error(s->c, s->line, "'%s' needs a value ('%s=...')", k, k);
		return -1;
	}
	*out = s->kv[i].v;
	return 0;
}

int spec_u64(struct spec *s, const char *k, uint64_t *out, uint64_t def,
	     uint64_t min, uint64_t max)
{
	const char *v;
	uint64_t x;
	int r = spec_str(s, k, &v, NULL);

	*out = def;
	if (r)
		return r;
	if (!parse_u64(v, &x)) {
		cfg_error(s->c, s->line, "'%s': '%s' is not a valid number", k, v);
		return -1;
	}
	if (x < min || x > max) {
		cfg_error(s->c, s->line,
			  "'%s': %" PRIu64 " out of range [%" PRIu64 ", %" PRIu64 "]",
			  k, x, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

int spec_bool(struct spec *s, const char *k, bool *out, bool def)
{
	int i = spec_find(s, k);

	*out = def;
	if (i < 0)
		return 1;
	if (parse_bool(s->kv[i].v, out)) {
		*out = def;
		cfg_error(s->c, s->line, "'%s': '%s' is not a boolean (0 or 1)", k, s->kv[i].v);
		return -1;
	}
	return 0;
}

int spec_u64_list(struct spec *s, const char *k, uint64_t *out, int max)
{
	const char *v;
	int n = 0;
	int r = spec_str(s, k, &v, NULL);

	if (r == 1)
		return 0;
	if (r < 0)
		return -1;
	while (*v) {
		char tok[32];
		size_t len = 0;
		uint64_t x;

		while (isspace((unsigned char)*v))
			v++;
		if (!*v)
			break;
		while (v[len] && !isspace((unsigned char)v[len]))
			len++;
		if (len >= sizeof(tok)) {
			cfg_error(s->c, s->line, "'%s': item too long", k);
			return -1;
		}
		memcpy(tok, v, len);
		tok[len] = '\0';
		v += len;
		if (!parse_u64(tok, &x)) {
			cfg_error(s->c, s->line, "'%s': '%s' is not a valid number", k, tok);
			return -1;
		}
		if (n == max) {
			cfg_error(s->c, s->line, "'%s': too many values (max %d)", k, max);
			return -1;
		}
		out[n++] = x;
	}
	return n;
}

int spec_check_unused(struct spec *s)
{
	int bad = 0;

	for (unsigned i = 0; i < s->n; i++)
		if (!s->kv[i].used) {
			cfg_error(s->c, s->line, "unknown key '%s'", s->kv[i].k);
			bad++;
		}
	return bad;
}
