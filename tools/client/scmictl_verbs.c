// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmictl convenience verbs: "base info", "<protocol> list" and the few
 * actions people expect (clock enable/disable/rate, power on/off, sensor
 * read). Requests are built as le32 words in the order of DEN0056 and
 * sized from the command tables; replies are decoded per DEN0056 (the
 * same wire structures Linux drivers/firmware/arm_scmi uses).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmi_format.h"
#include "scmictl_verbs.h"

/* Flag bits of the few requests the verbs build (DEN0056). */
#define VERB_FLAG_ASYNC         0x1u   /* RATE_SET / STATE_SET / READING_GET */
#define VERB_CLOCK_ENABLE       0x1u   /* CLOCK_CONFIG_SET attributes */
#define VERB_LIST_RETURNED(x)   ((x) & 0xfffu)
#define VERB_LIST_REMAINING(x)  ((x) >> 16)
#define VERB_RATES_RANGE        (1u << 12)
#define VERB_MAX_PAGES          256    /* bound for paginated lists */

struct reply {
	int32_t st;
	size_t len;
	uint8_t v[SCMI_MSG_MAX];
};

static uint32_t w32(const struct reply *r, size_t off)
{
	return off + 4 <= r->len ? scmi_get_le32(r->v + off) : 0;
}

static uint64_t w64(const struct reply *r, size_t off)
{
	return off + 8 <= r->len ? scmi_get_le64(r->v + off) : 0;
}

static void wstr(const struct reply *r, size_t off, size_t size, char *dst, size_t dstsz)
{
	if (off + size > r->len) {
		dst[0] = '\0';
		return;
	}
	scmi_fmt_wire_str(dst, dstsz, r->v + off, size);
}

/*
 * Send a command made of n le32 words. The payload length is the table's
 * exact request length (zero padded), or n words for variable-length and
 * unknown commands. Returns 0 (r->st holds the SCMI status) or -1 on a
 * transport error (already reported).
 */
static int q(struct scmictl *x, uint8_t proto, uint8_t msg, const uint32_t *w, unsigned n,
	     struct reply *r)
{
	const struct scmi_cmd_desc *cmd = scmi_cmd_find(proto, msg);
	uint8_t req[SCMI_MSG_MAX] = { 0 };
	size_t len = (size_t)n * 4;

	if (cmd && !(cmd->flags & SCMI_CMD_VARLEN))
		len = cmd->req_len;
	for (unsigned i = 0; i < n && 4 * i + 4 <= len; i++)
		scmi_put_le32(req + 4 * i, w[i]);
	r->len = sizeof(r->v);
	return scmictl_call(x, proto, msg, req, len, &r->st, r->v, &r->len);
}

static const char *st_name(int32_t st)
{
	return scmi_status_name(st);
}

/* Report a failed status of a verb's main command; exit code. */
static int fail(struct scmictl *x, const char *what, int32_t st)
{
	if (x->json)
		printf("{\"error\": \"%s\", \"status\": %" PRId32 ", \"status_name\": \"%s\"}\n",
		       what, st, st_name(st));
	else
		fprintf(stderr, "scmictl: %s: %s (%" PRId32 ")\n", what, st_name(st), st);
	return SCMICTL_EXIT_STATUS;
}

static int num_arg(const char *s, uint32_t *out, const char *what)
{
	uint64_t v;

	if (!s || scmi_parse_u64(s, &v) || v > UINT32_MAX) {
		fprintf(stderr, "scmictl: %s: \"%s\" is not a valid id/number\n", what,
			s ? s : "");
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/*
 * Name of object `id`: the short name, or the extended one (NAME_GET)
 * when the short name uses all 15 characters and so may be truncated.
 */
static void obj_name(struct scmictl *x, uint8_t proto, uint8_t name_get, uint32_t id,
		     const struct reply *attr, size_t name_off, char *name, size_t namesz)
{
	struct reply r;

	wstr(attr, name_off, SCMI_SHORT_NAME_LEN, name, namesz);
	if (!name_get || strlen(name) < SCMI_SHORT_NAME_LEN - 1)
		return;
	if (q(x, proto, name_get, &id, 1, &r) == 0 && r.st == SCMI_SUCCESS)
		wstr(&r, 4, SCMI_EXT_NAME_LEN, name, namesz);
}

/* PROTOCOL_ATTRIBUTES' first word; -1 on failure (reported). */
static int64_t proto_attrs(struct scmictl *x, const struct scmi_proto_desc *p,
			   struct reply *r)
{
	if (q(x, p->id, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, r))
		return -1;
	if (r->st != SCMI_SUCCESS) {
		fail(x, "PROTOCOL_ATTRIBUTES", r->st);
		return -1;
	}
	return w32(r, 0);
}

static void json_sep(unsigned i)
{
	fputs(i ? ", " : "", stdout);
}

static void json_kv_str(const char *k, const char *v)
{
	printf("\"%s\": ", k);
	scmi_fmt_json_str(stdout, v);
}

/* ---- base ---------------------------------------------------------------- */
static void version_str(uint32_t v, char *buf, size_t sz)
{
	snprintf(buf, sz, "%u.%u", v >> 16, v & 0xffff);
}

static int base_info(struct scmictl *x)
{
	const struct scmi_proto_desc *p = scmi_proto_find(SCMI_PROTO_BASE);
	uint8_t protos[256];
	unsigned nprotos = 0, total, nagents;
	char vendor[20], sub[20] = "", aname[20] = "", vs[16];
	uint32_t version, impl, agent_id = 0, own = SCMI_BASE_AGENT_ID_OWN;
	struct reply r;
	int64_t a;

	if (q(x, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st)
		return fail(x, "BASE PROTOCOL_VERSION", r.st);
	version = w32(&r, 0);
	a = proto_attrs(x, p, &r);
	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	total = a & 0xff;
	nagents = (a >> 8) & 0xff;
	if (q(x, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, NULL, 0, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st)
		return fail(x, "DISCOVER_VENDOR", r.st);
	wstr(&r, 0, SCMI_SHORT_NAME_LEN, vendor, sizeof(vendor));
	if (q(x, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_SUB_VENDOR, NULL, 0, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st == SCMI_SUCCESS)
		wstr(&r, 0, SCMI_SHORT_NAME_LEN, sub, sizeof(sub));
	if (q(x, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, NULL, 0, &r))
		return SCMICTL_EXIT_CONN;
	impl = r.st == SCMI_SUCCESS ? w32(&r, 0) : 0;
	for (unsigned page = 0; nprotos < total && page < VERB_MAX_PAGES; page++) {
		uint32_t skip = nprotos, n;

		if (q(x, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, &skip, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st)
			return fail(x, "DISCOVER_LIST_PROTOCOLS", r.st);
		n = w32(&r, 0);
		if (n == 0)
			break;
		for (uint32_t i = 0; i < n && nprotos < sizeof(protos) && 4 + i < r.len; i++)
			protos[nprotos++] = r.v[4 + i];
	}
	if (q(x, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &own, 1, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st == SCMI_SUCCESS) {
		agent_id = w32(&r, 0);
		wstr(&r, 4, SCMI_SHORT_NAME_LEN, aname, sizeof(aname));
	}

	if (x->json) {
		putchar('{');
		json_kv_str("vendor", vendor);
		fputs(", ", stdout);
		json_kv_str("sub_vendor", sub);
		printf(", \"implementation_version\": %" PRIu32 ", \"base_version\": %" PRIu32
		       ", \"num_agents\": %u, \"agent_id\": %" PRIu32 ", ", impl, version,
		       nagents, agent_id);
		json_kv_str("agent_name", aname);
		fputs(", \"protocols\": [", stdout);
	} else {
		version_str(version, vs, sizeof(vs));
		printf("vendor:         %s%s%s\n", vendor, *sub ? " / " : "", sub);
		printf("implementation: 0x%08" PRIx32 "\n", impl);
		printf("base protocol:  %s\n", vs);
		printf("agent:          %" PRIu32 " \"%s\" (%u agent%s visible)\n",
		       agent_id, aname, nagents, nagents == 1 ? "" : "s");
		printf("protocols:      %u\n", nprotos);
	}
	for (unsigned i = 0; i < nprotos; i++) {
		const struct scmi_proto_desc *pd = scmi_proto_find(protos[i]);
		uint32_t pv = 0;

		if (q(x, protos[i], SCMI_PROTOCOL_VERSION, NULL, 0, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS)
			pv = w32(&r, 0);
		version_str(pv, vs, sizeof(vs));
		if (x->json) {
			json_sep(i);
			printf("{\"id\": %u, \"name\": \"%s\", \"version\": %" PRIu32 "}",
			       protos[i], pd ? pd->name : "unknown", pv);
		} else {
			printf("  0x%02x %-9s %s\n", protos[i], pd ? pd->name : "unknown",
			       r.st == SCMI_SUCCESS ? vs : st_name(r.st));
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

/* ---- clock ---------------------------------------------------------------- */
#define MAX_SHOWN_RATES 16

struct rates {
	bool range;
	unsigned n, total;
	uint64_t v[MAX_SHOWN_RATES];
};

/* All DESCRIBE_RATES pages of one clock. Returns the status. */
static int32_t clock_rates(struct scmictl *x, uint32_t id, struct rates *rs, int *err)
{
	unsigned idx = 0;

	memset(rs, 0, sizeof(*rs));
	for (unsigned page = 0; page < VERB_MAX_PAGES; page++) {
		uint32_t w[2] = { id, idx }, nf, ret;
		struct reply r;

		if (q(x, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, w, 2, &r)) {
			*err = 1;
			return SCMI_COMMS_ERROR;
		}
		if (r.st)
			return r.st;
		nf = w32(&r, 0);
		ret = VERB_LIST_RETURNED(nf);
		rs->range = nf & VERB_RATES_RANGE;
		for (uint32_t i = 0; i < ret && 4 + 8 * i + 8 <= r.len; i++)
			if (rs->n < MAX_SHOWN_RATES)
				rs->v[rs->n++] = w64(&r, 4 + 8 * i);
		rs->total += ret;
		idx += ret;
		if (rs->range || VERB_LIST_REMAINING(nf) == 0 || ret == 0)
			break;
	}
	return SCMI_SUCCESS;
}

static void print_rates(const struct rates *rs, bool json)
{
	if (json) {
		printf("\"rates_range\": %s, \"rates\": [", rs->range ? "true" : "false");
		for (unsigned i = 0; i < rs->n; i++)
			printf("%s%" PRIu64, i ? ", " : "", rs->v[i]);
		putchar(']');
		return;
	}
	if (rs->range && rs->n >= 3) {
		printf("%" PRIu64 "..%" PRIu64 " step %" PRIu64, rs->v[0], rs->v[1], rs->v[2]);
		return;
	}
	for (unsigned i = 0; i < rs->n; i++)
		printf("%s%" PRIu64, i ? " " : "", rs->v[i]);
	if (rs->total > rs->n)
		printf(" ... (%u rates)", rs->total);
}

static int clock_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	unsigned n;

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	n = a & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"clock\", \"clocks\": [");
	else
		printf("%-3s %-24s %-5s %-14s %s\n", "ID", "NAME", "STATE", "RATE(Hz)", "RATES");
	for (uint32_t id = 0; id < n; id++) {
		char name[SCMI_EXT_NAME_LEN + 1];
		uint32_t w[2] = { id, 0 };
		uint64_t rate = 0;
		int32_t rst;
		bool on;
		struct rates rs;
		int err = 0;

		if (q(x, p->id, SCMI_CLOCK_ATTRIBUTES, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st) {
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
				       st_name(r.st));
			} else {
				printf("%-3" PRIu32 " (%s)\n", id, st_name(r.st));
			}
			continue;
		}
		on = w32(&r, 0) & VERB_CLOCK_ENABLE;
		obj_name(x, p->id, SCMI_CLOCK_NAME_GET, id, &r, 4, name, sizeof(name));
		if (q(x, p->id, SCMI_CLOCK_CONFIG_GET, w, 2, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS)
			on = w32(&r, 4) & VERB_CLOCK_ENABLE;
		if (q(x, p->id, SCMI_CLOCK_RATE_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		rst = r.st;
		if (rst == SCMI_SUCCESS)
			rate = w64(&r, 0);
		if (clock_rates(x, id, &rs, &err) && err)
			return SCMICTL_EXIT_CONN;
		if (x->json) {
			json_sep(id);
			printf("{\"id\": %" PRIu32 ", ", id);
			json_kv_str("name", name);
			printf(", \"enabled\": %s, \"rate\": %" PRIu64 ", ", on ? "true" : "false",
			       rate);
			print_rates(&rs, true);
			putchar('}');
		} else {
			char rbuf[24];

			if (rst == SCMI_SUCCESS)
				snprintf(rbuf, sizeof(rbuf), "%" PRIu64, rate);
			else
				snprintf(rbuf, sizeof(rbuf), "(%s)", st_name(rst));
			printf("%-3" PRIu32 " %-24s %-5s %-14s ", id, name, on ? "on" : "off",
			       rbuf);
			print_rates(&rs, false);
			putchar('\n');
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

static int clock_config(struct scmictl *x, int argc, char **argv, bool enable)
{
	uint32_t w[3] = { 0, enable ? VERB_CLOCK_ENABLE : 0, 0 };
	struct reply r;

	if (argc != 1 || num_arg(argv[0], &w[0], enable ? "clock enable" : "clock disable"))
		return SCMICTL_EXIT_USAGE;
	if (q(x, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, w, 3, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st)
		return fail(x, enable ? "clock enable" : "clock disable", r.st);
	if (x->json)
		printf("{\"clock\": %" PRIu32 ", \"enabled\": %s, \"status\": 0}\n", w[0],
		       enable ? "true" : "false");
	else
		printf("clock %" PRIu32 " %s\n", w[0], enable ? "enabled" : "disabled");
	return 0;
}

static int clock_rate(struct scmictl *x, int argc, char **argv)
{
	struct reply r;
	uint32_t id;

	if (argc < 1 || argc > 2 || num_arg(argv[0], &id, "clock rate"))
		return SCMICTL_EXIT_USAGE;
	if (argc == 1) {
		if (q(x, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st)
			return fail(x, "clock rate", r.st);
		if (x->json)
			printf("{\"clock\": %" PRIu32 ", \"rate\": %" PRIu64 "}\n", id, w64(&r, 0));
		else
			printf("clock %" PRIu32 " rate %" PRIu64 " Hz\n", id, w64(&r, 0));
		return 0;
	} else {
		uint64_t hz;
		uint32_t w[4];

		if (scmi_parse_u64(argv[1], &hz)) {
			fprintf(stderr, "scmictl: clock rate: \"%s\" is not a rate in Hz\n",
				argv[1]);
			return SCMICTL_EXIT_USAGE;
		}
		w[0] = x->async ? VERB_FLAG_ASYNC : 0;
		w[1] = id;
		w[2] = (uint32_t)hz;
		w[3] = (uint32_t)(hz >> 32);
		if (q(x, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, w, 4, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st)
			return fail(x, "clock rate set", r.st);
		if (x->json)
			printf("{\"clock\": %" PRIu32 ", \"rate_requested\": %" PRIu64
			       ", \"async\": %s, \"status\": 0}\n", id, hz,
			       x->async ? "true" : "false");
		else
			printf("clock %" PRIu32 " rate set to %" PRIu64 " Hz%s\n", id, hz,
			       x->async ? " (asynchronous, waiting for the delayed response)" : "");
		if (x->async)
			return scmictl_wait_delayed(x, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET);
		return 0;
	}
}

/* ---- power ---------------------------------------------------------------- */
static const char *power_state_str(uint32_t s, char *buf, size_t sz)
{
	if (s == SCMI_POWER_STATE_ON)
		return "on";
	if (s == SCMI_POWER_STATE_OFF)
		return "off";
	snprintf(buf, sz, "0x%08" PRIx32, s);
	return buf;
}

static int power_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	unsigned n;

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	n = a & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"power\", \"domains\": [");
	else
		printf("%-3s %-24s %s\n", "ID", "NAME", "STATE");
	for (uint32_t id = 0; id < n; id++) {
		char name[SCMI_EXT_NAME_LEN + 1], sb[16];
		const char *state;

		if (q(x, p->id, SCMI_POWER_DOMAIN_ATTRIBUTES, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st) {
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
				       st_name(r.st));
			} else {
				printf("%-3" PRIu32 " (%s)\n", id, st_name(r.st));
			}
			continue;
		}
		obj_name(x, p->id, SCMI_POWER_DOMAIN_NAME_GET, id, &r, 4, name, sizeof(name));
		if (q(x, p->id, SCMI_POWER_STATE_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		state = r.st ? st_name(r.st) : power_state_str(w32(&r, 0), sb, sizeof(sb));
		if (x->json) {
			json_sep(id);
			printf("{\"id\": %" PRIu32 ", ", id);
			json_kv_str("name", name);
			fputs(", ", stdout);
			json_kv_str("state", state);
			printf(", \"state_value\": %" PRIu32 "}", r.st ? 0 : w32(&r, 0));
		} else {
			printf("%-3" PRIu32 " %-24s %s\n", id, name, state);
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

static int power_set(struct scmictl *x, int argc, char **argv, bool on)
{
	uint32_t w[3] = { x->async ? VERB_FLAG_ASYNC : 0, 0,
			  on ? SCMI_POWER_STATE_ON : SCMI_POWER_STATE_OFF };
	struct reply r;

	if (argc != 1 || num_arg(argv[0], &w[1], on ? "power on" : "power off"))
		return SCMICTL_EXIT_USAGE;
	if (q(x, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, w, 3, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st)
		return fail(x, on ? "power on" : "power off", r.st);
	if (x->json)
		printf("{\"domain\": %" PRIu32 ", \"state\": \"%s\", \"status\": 0}\n", w[1],
		       on ? "on" : "off");
	else
		printf("power domain %" PRIu32 " %s\n", w[1], on ? "on" : "off");
	if (x->async)
		return scmictl_wait_delayed(x, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET);
	return 0;
}

/* ---- sensor --------------------------------------------------------------- */
/* Descriptor fields (DEN0056 4.7.2.5; sizes as Linux sensors.c parses them) */
#define SENS_EXT_ATTRS(lo)      ((lo) & (1u << 8))
#define SENS_AXES(hi)           (((hi) & (1u << 8)) ? (((hi) >> 16) & 0x3f) : 0)
#define SENS_SCALE(hi)          (((int32_t)((hi) << 16)) >> 27)   /* bits 15:11, signed */
#define SENS_TYPE(hi)           ((hi) & 0xff)
#define SENS_DESC_BASE          28
#define SENSOR_LIST_MAX         256

struct sensor_desc {
	uint32_t id, lo, hi;
	char name[SCMI_EXT_NAME_LEN + 1];
};

/* Sensor descriptors starting at `first` (index); returns count or -1. */
static int sensor_descs(struct scmictl *x, uint32_t first, struct sensor_desc *d, int max,
			int32_t *st)
{
	uint32_t idx = first;
	int n = 0;

	*st = SCMI_SUCCESS;
	for (unsigned page = 0; page < VERB_MAX_PAGES && n < max; page++) {
		struct reply r;
		uint32_t nd, ret;
		size_t off = 4;

		if (q(x, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, &idx, 1, &r))
			return -1;
		if (r.st) {
			*st = r.st;
			return n;
		}
		nd = w32(&r, 0);
		ret = nd & 0xffff;
		for (uint32_t i = 0; i < ret && n < max && off + SENS_DESC_BASE <= r.len; i++) {
			struct sensor_desc *s = &d[n++];

			s->id = w32(&r, off);
			s->lo = w32(&r, off + 4);
			s->hi = w32(&r, off + 8);
			wstr(&r, off + 12, SCMI_SHORT_NAME_LEN, s->name, sizeof(s->name));
			off += SENS_DESC_BASE;
			if (SENS_EXT_ATTRS(s->lo)) {
				off += 4;
				if (SENS_AXES(s->hi) == 0)
					off += 20;
			}
		}
		idx += ret;
		if (ret == 0 || (nd >> 16) == 0)
			break;
	}
	return n;
}

static void sensor_full_name(struct scmictl *x, struct sensor_desc *s)
{
	struct reply r;

	if (strlen(s->name) < SCMI_SHORT_NAME_LEN - 1)
		return;
	if (q(x, SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, &s->id, 1, &r) == 0 &&
	    r.st == SCMI_SUCCESS)
		wstr(&r, 4, SCMI_EXT_NAME_LEN, s->name, sizeof(s->name));
}

/* Print readings (values after the status, 8 or 16 bytes per axis). */
static void print_readings(struct scmictl *x, const uint8_t *v, size_t len, int32_t scale)
{
	size_t step = len >= 16 ? 16 : 8;
	unsigned i = 0;

	for (size_t off = 0; off + 8 <= len; off += step, i++) {
		int64_t val = (int64_t)scmi_get_le64(v + off);
		uint64_t ts = step == 16 && off + 16 <= len ? scmi_get_le64(v + off + 8) : 0;

		if (x->json)
			printf("%s{\"value\": %" PRId64 ", \"timestamp\": %" PRIu64 "}",
			       i ? ", " : "", val, ts);
		else
			printf("%s%" PRId64 "e%d", i ? ", " : "", val, scale);
	}
}

static int sensor_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct sensor_desc *d;
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	int32_t st;
	int n, rc = 0;

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	d = calloc(SENSOR_LIST_MAX, sizeof(*d));
	if (!d)
		return SCMICTL_EXIT_CONN;
	n = sensor_descs(x, 0, d, SENSOR_LIST_MAX, &st);
	if (n < 0) {
		free(d);
		return SCMICTL_EXIT_CONN;
	}
	if (st) {
		free(d);
		return fail(x, "SENSOR_DESCRIPTION_GET", st);
	}
	if (x->json)
		printf("{\"protocol\": \"sensor\", \"sensors\": [");
	else
		printf("%-3s %-24s %-5s %-5s %s\n", "ID", "NAME", "TYPE", "AXES", "READING");
	for (int i = 0; i < n; i++) {
		uint32_t w[2] = { d[i].id, 0 };

		sensor_full_name(x, &d[i]);
		if (q(x, p->id, SCMI_SENSOR_READING_GET, w, 2, &r)) {
			rc = SCMICTL_EXIT_CONN;
			break;
		}
		if (x->json) {
			json_sep((unsigned)i);
			printf("{\"id\": %" PRIu32 ", ", d[i].id);
			json_kv_str("name", d[i].name);
			printf(", \"type\": %u, \"scale\": %d, \"axes\": %u, ", SENS_TYPE(d[i].hi),
			       SENS_SCALE(d[i].hi), SENS_AXES(d[i].hi));
			if (r.st) {
				printf("\"status_name\": \"%s\"}", st_name(r.st));
				continue;
			}
			fputs("\"readings\": [", stdout);
			print_readings(x, r.v, r.len, SENS_SCALE(d[i].hi));
			fputs("]}", stdout);
		} else {
			printf("%-3" PRIu32 " %-24s %-5u %-5u ", d[i].id, d[i].name,
			       SENS_TYPE(d[i].hi), SENS_AXES(d[i].hi));
			if (r.st)
				printf("(%s)", st_name(r.st));
			else
				print_readings(x, r.v, r.len, SENS_SCALE(d[i].hi));
			putchar('\n');
		}
	}
	if (x->json && rc == 0)
		puts("]}");
	free(d);
	return rc;
}

static int sensor_read(struct scmictl *x, int argc, char **argv)
{
	struct sensor_desc d = { 0 };
	uint32_t w[2];
	struct reply r;
	int32_t st;
	int n;

	if (argc != 1 || num_arg(argv[0], &w[0], "sensor read"))
		return SCMICTL_EXIT_USAGE;
	w[1] = x->async ? VERB_FLAG_ASYNC : 0;
	n = sensor_descs(x, w[0], &d, 1, &st);
	if (n < 0)
		return SCMICTL_EXIT_CONN;
	if (n == 0 || d.id != w[0])
		d.hi = 0;       /* ids not dense: no scale known */
	if (q(x, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, w, 2, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st)
		return fail(x, "sensor read", r.st);
	if (x->async) {
		if (!x->json)
			printf("sensor %" PRIu32 ": asynchronous read started\n", w[0]);
		return scmictl_wait_delayed(x, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET);
	}
	if (x->json) {
		printf("{\"sensor\": %" PRIu32 ", \"scale\": %d, \"readings\": [", w[0],
		       SENS_SCALE(d.hi));
		print_readings(x, r.v, r.len, SENS_SCALE(d.hi));
		puts("]}");
	} else {
		printf("sensor %" PRIu32 "%s%s%s: ", w[0], n ? " \"" : "", n ? d.name : "",
		       n ? "\"" : "");
		print_readings(x, r.v, r.len, SENS_SCALE(d.hi));
		putchar('\n');
	}
	return 0;
}

/* ---- perf ----------------------------------------------------------------- */
static int perf_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct reply r;
	int64_t a;
	uint32_t version;
	unsigned n;
	size_t lsz;

	if (q(x, p->id, SCMI_PROTOCOL_VERSION, NULL, 0, &r))
		return SCMICTL_EXIT_CONN;
	if (r.st)
		return fail(x, "perf PROTOCOL_VERSION", r.st);
	version = w32(&r, 0);
	lsz = (version >> 16) >= 4 ? 20 : 12;
	a = proto_attrs(x, p, &r);
	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	n = a & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"perf\", \"domains\": [");
	else
		printf("%-3s %-24s %-8s %-19s %s\n", "ID", "NAME", "LEVEL", "LIMITS(min..max)",
		       "LEVELS");
	for (uint32_t id = 0; id < n; id++) {
		char name[SCMI_EXT_NAME_LEN + 1];
		uint32_t level = 0, lmin = 0, lmax = 0, levels[MAX_SHOWN_RATES];
		unsigned nl = 0, total = 0, idx = 0;

		if (q(x, p->id, SCMI_PERF_DOMAIN_ATTRIBUTES, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st) {
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
				       st_name(r.st));
			} else {
				printf("%-3" PRIu32 " (%s)\n", id, st_name(r.st));
			}
			continue;
		}
		obj_name(x, p->id, SCMI_PERF_DOMAIN_NAME_GET, id, &r, 16, name, sizeof(name));
		if (q(x, p->id, SCMI_PERF_LEVEL_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS)
			level = w32(&r, 0);
		if (q(x, p->id, SCMI_PERF_LIMITS_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS) {
			lmax = w32(&r, 0);
			lmin = w32(&r, 4);
		}
		for (unsigned page = 0; page < VERB_MAX_PAGES; page++) {
			uint32_t w[2] = { id, idx }, nr, ret;

			if (q(x, p->id, SCMI_PERF_DESCRIBE_LEVELS, w, 2, &r))
				return SCMICTL_EXIT_CONN;
			if (r.st)
				break;
			nr = w32(&r, 0);
			ret = nr & 0xffff;
			for (uint32_t i = 0; i < ret && 4 + lsz * (i + 1) <= r.len; i++)
				if (nl < MAX_SHOWN_RATES)
					levels[nl++] = w32(&r, 4 + lsz * i);
			total += ret;
			idx += ret;
			if (ret == 0 || (nr >> 16) == 0)
				break;
		}
		if (x->json) {
			json_sep(id);
			printf("{\"id\": %" PRIu32 ", ", id);
			json_kv_str("name", name);
			printf(", \"level\": %" PRIu32 ", \"min\": %" PRIu32 ", \"max\": %" PRIu32
			       ", \"levels\": [", level, lmin, lmax);
			for (unsigned i = 0; i < nl; i++)
				printf("%s%" PRIu32, i ? ", " : "", levels[i]);
			fputs("]}", stdout);
		} else {
			char lim[24];

			snprintf(lim, sizeof(lim), "%" PRIu32 "..%" PRIu32, lmin, lmax);
			printf("%-3" PRIu32 " %-24s %-8" PRIu32 " %-19s", id, name, level, lim);
			for (unsigned i = 0; i < nl; i++)
				printf(" %" PRIu32, levels[i]);
			if (total > nl)
				printf(" ... (%u levels)", total);
			putchar('\n');
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

/* ---- reset, voltage, powercap ------------------------------------------------ */
static int reset_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	unsigned n;

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	n = a & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"reset\", \"domains\": [");
	else
		printf("%-3s %-24s %-12s %s\n", "ID", "NAME", "LATENCY(us)", "ATTRIBUTES");
	for (uint32_t id = 0; id < n; id++) {
		char name[SCMI_EXT_NAME_LEN + 1];
		uint32_t attr, lat;

		if (q(x, p->id, SCMI_RESET_DOMAIN_ATTRIBUTES, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st) {
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
				       st_name(r.st));
			} else {
				printf("%-3" PRIu32 " (%s)\n", id, st_name(r.st));
			}
			continue;
		}
		attr = w32(&r, 0);
		lat = w32(&r, 4);
		obj_name(x, p->id, SCMI_RESET_DOMAIN_NAME_GET, id, &r, 8, name, sizeof(name));
		if (x->json) {
			json_sep(id);
			printf("{\"id\": %" PRIu32 ", ", id);
			json_kv_str("name", name);
			printf(", \"latency_us\": %" PRIu32 ", \"attributes\": %" PRIu32 "}", lat,
			       attr);
		} else {
			printf("%-3" PRIu32 " %-24s %-12" PRIu32 " 0x%08" PRIx32 "\n", id, name,
			       lat, attr);
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

static int voltage_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	unsigned n;

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	n = a & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"voltage\", \"domains\": [");
	else
		printf("%-3s %-24s %-8s %s\n", "ID", "NAME", "CONFIG", "LEVEL(uV)");
	for (uint32_t id = 0; id < n; id++) {
		char name[SCMI_EXT_NAME_LEN + 1], lv[24] = "?", cf[16] = "?";
		uint32_t config = 0;
		int32_t level = 0;

		if (q(x, p->id, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st) {
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
				       st_name(r.st));
			} else {
				printf("%-3" PRIu32 " (%s)\n", id, st_name(r.st));
			}
			continue;
		}
		obj_name(x, p->id, SCMI_VOLTAGE_DOMAIN_NAME_GET, id, &r, 4, name, sizeof(name));
		if (q(x, p->id, SCMI_VOLTAGE_CONFIG_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS) {
			config = w32(&r, 0);
			snprintf(cf, sizeof(cf), "0x%" PRIx32, config);
		}
		if (q(x, p->id, SCMI_VOLTAGE_LEVEL_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS) {
			level = (int32_t)w32(&r, 0);
			snprintf(lv, sizeof(lv), "%" PRId32, level);
		}
		if (x->json) {
			json_sep(id);
			printf("{\"id\": %" PRIu32 ", ", id);
			json_kv_str("name", name);
			printf(", \"config\": %" PRIu32 ", \"level_uv\": %" PRId32 "}", config,
			       level);
		} else {
			printf("%-3" PRIu32 " %-24s %-8s %s\n", id, name, cf, lv);
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

static int powercap_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	unsigned n;

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	n = a & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"powercap\", \"domains\": [");
	else
		printf("%-3s %-24s %-10s %-21s %s\n", "ID", "NAME", "CAP", "CAP RANGE", "PAI(us)");
	for (uint32_t id = 0; id < n; id++) {
		char name[SCMI_EXT_NAME_LEN + 1], range[32];
		uint32_t cmin, cmax, cap = 0, pai = 0;

		if (q(x, p->id, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st) {
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
				       st_name(r.st));
			} else {
				printf("%-3" PRIu32 " (%s)\n", id, st_name(r.st));
			}
			continue;
		}
		/* attributes, name[16], min/max/step pai, min/max/step cap, ... */
		cmin = w32(&r, 32);
		cmax = w32(&r, 36);
		obj_name(x, p->id, SCMI_POWERCAP_DOMAIN_NAME_GET, id, &r, 4, name, sizeof(name));
		if (q(x, p->id, SCMI_POWERCAP_CAP_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS)
			cap = w32(&r, 0);
		if (q(x, p->id, SCMI_POWERCAP_PAI_GET, &id, 1, &r))
			return SCMICTL_EXIT_CONN;
		if (r.st == SCMI_SUCCESS)
			pai = w32(&r, 0);
		if (x->json) {
			json_sep(id);
			printf("{\"id\": %" PRIu32 ", ", id);
			json_kv_str("name", name);
			printf(", \"cap\": %" PRIu32 ", \"min_cap\": %" PRIu32
			       ", \"max_cap\": %" PRIu32 ", \"pai_us\": %" PRIu32 "}", cap, cmin,
			       cmax, pai);
		} else {
			snprintf(range, sizeof(range), "%" PRIu32 "..%" PRIu32, cmin, cmax);
			printf("%-3" PRIu32 " %-24s %-10" PRIu32 " %-21s %" PRIu32 "\n", id, name,
			       cap, range, pai);
		}
	}
	if (x->json)
		puts("]}");
	return 0;
}

/* ---- pinctrl -------------------------------------------------------------- */
static int pinctrl_list(struct scmictl *x, const struct scmi_proto_desc *p)
{
	static const char *const kinds[] = { "pins", "groups", "functions" };
	struct reply r;
	int64_t a = proto_attrs(x, p, &r);
	unsigned count[3];

	if (a < 0)
		return r.st ? SCMICTL_EXIT_STATUS : SCMICTL_EXIT_CONN;
	count[0] = a & 0xffff;
	count[1] = (uint32_t)a >> 16;
	count[2] = w32(&r, 4) & 0xffff;
	if (x->json)
		printf("{\"protocol\": \"pinctrl\"");
	for (uint32_t k = 0; k < 3; k++) {
		if (x->json)
			printf(", \"%s\": [", kinds[k]);
		else
			printf("%s (%u):\n", kinds[k], count[k]);
		for (uint32_t id = 0; id < count[k]; id++) {
			uint32_t w[2] = { id, k };
			char name[SCMI_EXT_NAME_LEN + 1];
			unsigned members;

			if (q(x, p->id, SCMI_PINCTRL_ATTRIBUTES, w, 2, &r))
				return SCMICTL_EXIT_CONN;
			if (r.st) {
				if (x->json) {
					json_sep(id);
					printf("{\"id\": %" PRIu32 ", \"status_name\": \"%s\"}", id,
					       st_name(r.st));
				} else {
					printf("  %-3" PRIu32 " (%s)\n", id, st_name(r.st));
				}
				continue;
			}
			members = w32(&r, 0) & 0xffff;
			wstr(&r, 4, SCMI_SHORT_NAME_LEN, name, sizeof(name));
			if (strlen(name) >= SCMI_SHORT_NAME_LEN - 1) {
				struct reply nr;

				if (q(x, p->id, SCMI_PINCTRL_NAME_GET, w, 2, &nr) == 0 &&
				    nr.st == SCMI_SUCCESS)
					wstr(&nr, 4, SCMI_EXT_NAME_LEN, name, sizeof(name));
			}
			if (x->json) {
				json_sep(id);
				printf("{\"id\": %" PRIu32 ", ", id);
				json_kv_str("name", name);
				if (k)
					printf(", \"members\": %u", members);
				putchar('}');
			} else if (k) {
				printf("  %-3" PRIu32 " %-24s %u %s\n", id, name, members,
				       k == 1 ? "pins" : "groups");
			} else {
				printf("  %-3" PRIu32 " %s\n", id, name);
			}
		}
		if (x->json)
			putchar(']');
	}
	if (x->json)
		puts("}");
	return 0;
}

int scmictl_verb(struct scmictl *x, const struct scmi_proto_desc *p, const char *verb,
		 int argc, char **argv)
{
	bool list = !strcmp(verb, "list");

	if (list && argc) {
		fprintf(stderr, "scmictl: %s list takes no arguments\n", p->name);
		return SCMICTL_EXIT_USAGE;
	}
	switch (p->id) {
	case SCMI_PROTO_BASE:
		if (!strcmp(verb, "info") || list) {
			if (argc) {
				fprintf(stderr, "scmictl: base info takes no arguments\n");
				return SCMICTL_EXIT_USAGE;
			}
			return base_info(x);
		}
		break;
	case SCMI_PROTO_CLOCK:
		if (list)
			return clock_list(x, p);
		if (!strcmp(verb, "enable") || !strcmp(verb, "disable"))
			return clock_config(x, argc, argv, verb[0] == 'e');
		if (!strcmp(verb, "rate"))
			return clock_rate(x, argc, argv);
		break;
	case SCMI_PROTO_POWER:
		if (list)
			return power_list(x, p);
		if (!strcmp(verb, "on") || !strcmp(verb, "off"))
			return power_set(x, argc, argv, verb[1] == 'n');
		break;
	case SCMI_PROTO_SENSOR:
		if (list)
			return sensor_list(x, p);
		if (!strcmp(verb, "read"))
			return sensor_read(x, argc, argv);
		break;
	case SCMI_PROTO_PERF:
		if (list)
			return perf_list(x, p);
		break;
	case SCMI_PROTO_RESET:
		if (list)
			return reset_list(x, p);
		break;
	case SCMI_PROTO_VOLTAGE:
		if (list)
			return voltage_list(x, p);
		break;
	case SCMI_PROTO_POWERCAP:
		if (list)
			return powercap_list(x, p);
		break;
	case SCMI_PROTO_PINCTRL:
		if (list)
			return pinctrl_list(x, p);
		break;
	default:
		break;
	}
	return SCMICTL_NO_VERB;
}
