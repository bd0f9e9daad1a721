// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the platform-description section parsers.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "platdesc_util.h"

bool pdu_parse_u64(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!text || !*text || *text == '-' || isspace((unsigned char)*text))
		return false;
	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool pdu_parse_i64(const char *text, int64_t *out)
{
	char *end;
	long long v;

	if (!text || !*text || isspace((unsigned char)*text))
		return false;
	errno = 0;
	v = strtoll(text, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int pdu_spec_i64(struct spec *s, const char *k, int64_t *out, int64_t def,
		 int64_t min, int64_t max)
{
	const char *v;
	int64_t n;
	int ret = spec_str(s, k, &v, NULL);

	*out = def;
	if (ret)
		return ret;
	if (!pdu_parse_i64(v, &n)) {
		cfg_error(s->c, s->line, "%s: '%s' is not an integer", k, v);
		return -1;
	}
	if (n < min || n > max) {
		cfg_error(s->c, s->line, "%s: %" PRId64 " is outside [%" PRId64 ", %" PRId64 "]",
			  k, n, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

int pdu_spec_name(struct spec *s, const char *k, char *dst)
{
	const char *v;
	int ret = spec_str(s, k, &v, NULL);
	size_t len;

	if (ret < 0)
		return -1;
	if (ret > 0 || !v || !*v) {
		cfg_error(s->c, s->line, "missing %s=", k);
		return -1;
	}
	len = strlen(v);
	if (len >= PD_NAME_MAX) {
		cfg_error(s->c, s->line, "%s: '%s' is longer than %d characters", k, v,
			  PD_NAME_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!isprint((unsigned char)v[i]) || v[i] == '"' || v[i] == '\\') {
			cfg_error(s->c, s->line, "%s: invalid character in '%s'", k, v);
			return -1;
		}
	}
	memcpy(dst, v, len + 1);
	return 0;
}

int pdu_spec_range(struct spec *s, const char *k, uint64_t *lo, uint64_t *hi,
		   uint64_t *step)
{
	const char *v;
	char buf[96], *dash, *slash;
	int ret = spec_str(s, k, &v, NULL);

	if (ret)
		return ret;
	if (strlen(v) >= sizeof(buf))
		goto bad;
	strcpy(buf, v);
	dash = strchr(buf, '-');
	slash = strchr(buf, '/');
	if (!dash || !slash || slash < dash)
		goto bad;
	*dash = *slash = '\0';
	if (!pdu_parse_u64(buf, lo) || !pdu_parse_u64(dash + 1, hi) ||
	    !pdu_parse_u64(slash + 1, step))
		goto bad;
	if (*lo >= *hi || !*step || *step > *hi - *lo) {
		cfg_error(s->c, s->line, "%s: '%s' needs LOW < HIGH and 0 < STEP <= HIGH-LOW",
			  k, v);
		return -1;
	}
	return 0;
bad:
	cfg_error(s->c, s->line, "%s: '%s' is not LOW-HIGH/STEP", k, v);
	return -1;
}

/* Split `text` at ':' into at most `max` fields (in place). */
static int split(char *text, char **f, int max, char sep)
{
	int n = 0;

	while (n < max) {
		char *c = strchr(text, sep);

		f[n++] = text;
		if (!c)
			return n;
		*c = '\0';
		text = c + 1;
	}
	return n + 1;     /* too many */
}

static int value_error(struct spec *s, const char *k, const char *v, const char *why)
{
	cfg_error(s->c, s->line, "%s: '%s': %s", k, v, why);
	return -1;
}

int pdu_spec_value(struct spec *s, const char *k, struct pd_value *v)
{
	const char *text;
	char buf[1024], *f[7];
	int ret = spec_str(s, k, &text, NULL), n;
	uint64_t period;

	memset(v, 0, sizeof(*v));
	v->model = PD_VALUE_CONSTANT;
	if (ret)
		return ret;
	if (strlen(text) >= sizeof(buf))
		return value_error(s, k, text, "too long");
	strcpy(buf, text);
	n = split(buf, f, 6, ':');
	if (n == 1 || (n == 2 && !strcmp(f[0], "const"))) {
		if (!pdu_parse_i64(f[n - 1], &v->value))
			return value_error(s, k, text, "not an integer constant");
		return 0;
	}
	if (!strcmp(f[0], "ramp")) {
		if (n != 6)
			return value_error(s, k, text, "want ramp:START:STEP:PERIOD_US:MIN:MAX");
		v->model = PD_VALUE_RAMP;
		if (!pdu_parse_i64(f[1], &v->value) || !pdu_parse_i64(f[2], &v->step) ||
		    !pdu_parse_u64(f[3], &period) || !pdu_parse_i64(f[4], &v->min) ||
		    !pdu_parse_i64(f[5], &v->max))
			return value_error(s, k, text, "want ramp:START:STEP:PERIOD_US:MIN:MAX");
		if (period < PDU_MIN_PERIOD_US || period > UINT64_MAX / 1000)
			return value_error(s, k, text, "PERIOD_US must be >= 1000");
		if (v->min > v->max || v->value < v->min || v->value > v->max)
			return value_error(s, k, text, "need MIN <= START <= MAX");
		v->period_us = period;
		return 0;
	}
	if (!strcmp(f[0], "script")) {
		char *tok, *save = NULL;

		if (n != 3)
			return value_error(s, k, text, "want script:PERIOD_US:V1 V2 ...");
		v->model = PD_VALUE_SCRIPT;
		if (!pdu_parse_u64(f[1], &period) || period < PDU_MIN_PERIOD_US ||
		    period > UINT64_MAX / 1000)
			return value_error(s, k, text, "PERIOD_US must be >= 1000");
		v->period_us = period;
		for (tok = strtok_r(f[2], " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (v->nscript >= PD_MAX_SCRIPT)
				return value_error(s, k, text, "more than 32 script values");
			if (!pdu_parse_i64(tok, &v->script[v->nscript]))
				return value_error(s, k, text, "script values must be integers");
			v->nscript++;
		}
		if (!v->nscript)
			return value_error(s, k, text, "empty script");
		v->value = v->script[0];
		return 0;
	}
	return value_error(s, k, text, "unknown model (N, const:N, ramp:..., script:...)");
}
