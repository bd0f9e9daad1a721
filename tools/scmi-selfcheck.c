// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-selfcheck: load a platform description, act as one agent of the
 * embedded reference platform and print what it discovers (BASE identity,
 * protocols, agents, the resources of every protocol), perform a few power
 * operations and print the platform's physical state.
 *
 * Protocols are taken from BASE_DISCOVER_LIST_PROTOCOLS and described with
 * the command tables, so new protocol modules show up without changes here.
 *
 * usage: scmi-selfcheck [-a AGENT] [-j] [FILE]
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/platform/platform.h"
#include "config/platform_desc.h"
#include "mediator/scmi_msg.h"

#define DEFAULT_CFG "config/platforms/reference.cfg"

struct sc {
	struct scmi_platform *p;
	unsigned agent;
	uint16_t token;
	uint8_t resp[SCMI_LINUX_MSG_SIZE];
	size_t len;
	unsigned failures;
};

/* Send proto/msg with nargs words; returns the status, values in s->resp. */
static int32_t call(struct sc *s, uint8_t proto, uint8_t msg, const uint32_t *args,
		    unsigned nargs)
{
	uint8_t req[4 + 4 * 8];
	struct plat_reply r;

	if (nargs > 8)
		return SCMI_PROTOCOL_ERROR;
	scmi_put_le32(req, scmi_hdr(proto, msg, SCMI_MSG_COMMAND, s->token));
	s->token = (uint16_t)((s->token + 1) & 0x3ff);
	for (unsigned i = 0; i < nargs; i++)
		scmi_put_le32(req + 4 + 4 * i, args[i]);
	plat_handle(s->p, s->agent, req, 4 + 4 * (size_t)nargs, s->resp, sizeof(s->resp), &r);
	if (r.len < 8 || r.len > sizeof(s->resp)) {
		s->len = 0;
		return SCMI_COMMS_ERROR;
	}
	s->len = r.len;
	return (int32_t)scmi_get_le32(s->resp + 4);
}

static uint32_t val(const struct sc *s, unsigned word)
{
	size_t off = 8 + 4 * (size_t)word;

	return off + 4 <= s->len ? scmi_get_le32(s->resp + off) : 0;
}

static const char *str16(const struct sc *s, size_t off, char *buf)
{
	buf[0] = '\0';
	if (8 + off + 16 <= s->len) {
		memcpy(buf, s->resp + 8 + off, 16);
		buf[16] = '\0';
	}
	return buf;
}

static void fail(struct sc *s, const char *what, int32_t st)
{
	printf("  %s: %s\n", what, scmi_status_name(st));
	s->failures++;
}

static unsigned discover_base(struct sc *s, uint8_t *protos)
{
	char b1[17], b2[17];
	uint32_t arg;
	unsigned nproto = 0, nagents;
	int32_t st;

	if ((st = call(s, SCMI_PROTO_BASE, SCMI_PROTOCOL_VERSION, NULL, 0))) {
		fail(s, "BASE PROTOCOL_VERSION", st);
		return 0;
	}
	uint32_t ver = val(s, 0);

	call(s, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, NULL, 0);
	str16(s, 0, b1);
	call(s, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_SUB_VENDOR, NULL, 0);
	str16(s, 0, b2);
	call(s, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, NULL, 0);
	printf("BASE v%u.%u: vendor \"%s\" sub-vendor \"%s\" implementation 0x%08" PRIx32 "\n",
	       ver >> 16, ver & 0xffff, b1, b2, val(s, 0));
	if ((st = call(s, SCMI_PROTO_BASE, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0))) {
		fail(s, "BASE PROTOCOL_ATTRIBUTES", st);
		return 0;
	}
	nagents = (val(s, 0) >> 8) & 0xff;
	/* paginated protocol list */
	while (nproto < 255) {
		arg = nproto;
		if ((st = call(s, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, &arg, 1))) {
			fail(s, "BASE_DISCOVER_LIST_PROTOCOLS", st);
			break;
		}
		uint32_t n = val(s, 0);

		if (n == 0)
			break;
		for (uint32_t i = 0; i < n && nproto < 255; i++)
			protos[nproto++] = (uint8_t)(val(s, 1 + i / 4) >> (8 * (i % 4)));
	}
	printf("agents (%u):", nagents);
	for (uint32_t a = 0; a <= nagents; a++) {
		if (call(s, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &a, 1) == SCMI_SUCCESS)
			printf(" %u=%s", val(s, 0), str16(s, 4, b1));
	}
	arg = SCMI_BASE_AGENT_ID_OWN;
	if (call(s, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, &arg, 1) == SCMI_SUCCESS)
		printf("; this agent: %u (%s)", val(s, 0), str16(s, 4, b1));
	printf("\nprotocols (%u):", nproto);
	for (unsigned i = 0; i < nproto; i++) {
		const struct scmi_proto_desc *d = scmi_proto_find(protos[i]);

		printf(" 0x%02x %s", protos[i], d ? d->name : "?");
	}
	printf("\n");
	return nproto;
}

/* Print the fields of the response values per `layout` ("a:u32 b:str16"). */
static void print_fields(const struct sc *s, const char *layout)
{
	uint64_t vals[SCMI_LAYOUT_MAX_VALUES];
	char strbuf[512];
	int n = scmi_layout_decode(layout, s->resp + 8, s->len - 8, vals, SCMI_LAYOUT_MAX_VALUES,
				   strbuf, sizeof(strbuf));
	const char *f = layout;

	if (n < 0) {
		printf(" (undecodable reply of %zu bytes)", s->len - 8);
		return;
	}
	for (int i = 0; i < n && *f; i++) {
		const char *colon = strchr(f, ':'), *end = strchr(f, ' ');
		size_t namelen = colon ? (size_t)(colon - f) : strlen(f);
		const char *type = colon ? colon + 1 : "";

		if (!end)
			end = f + strlen(f);
		if (!strncmp(type, "str", 3))
			printf(" %.*s=\"%s\"", (int)namelen, f, (const char *)(uintptr_t)vals[i]);
		else
			printf(" %.*s=0x%" PRIx64, (int)namelen, f, vals[i]);
		if (strstr(f, "[]") && strstr(f, "[]") < end) {
			if (n - i - 1 > 0)
				printf(" (+%d more)", n - i - 1);
			break;
		}
		f = *end ? end + 1 : end;
	}
}

static void discover_protocol(struct sc *s, uint8_t id)
{
	const struct scmi_proto_desc *d = scmi_proto_find(id);
	const struct scmi_cmd_desc *attr = NULL, *name = NULL;
	uint32_t count;
	int32_t st;

	if ((st = call(s, id, SCMI_PROTOCOL_VERSION, NULL, 0))) {
		printf("protocol 0x%02x:", id);
		fail(s, "PROTOCOL_VERSION", st);
		return;
	}
	printf("%s (0x%02x) v%u.%u:", d ? d->name : "unknown", id, val(s, 0) >> 16,
	       val(s, 0) & 0xffff);
	if ((st = call(s, id, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0))) {
		fail(s, "PROTOCOL_ATTRIBUTES", st);
		return;
	}
	count = val(s, 0) & 0xffff;
	for (size_t w = 0; w * 4 + 8 < s->len; w++)
		printf(" attr[%zu]=0x%08" PRIx32, w, val(s, (unsigned)w));
	printf("\n");
	if (!d)
		return;
	printf("  commands:");
	for (size_t i = 0; i < d->ncmds; i++) {
		uint32_t m = d->cmds[i].id;

		if (m <= SCMI_PROTOCOL_MESSAGE_ATTRIBUTES)
			continue;
		st = call(s, id, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, &m, 1);
		printf(" %s%s", d->cmds[i].name, st == SCMI_SUCCESS ? "" : "(-)");
		if (m == 3)
			attr = &d->cmds[i];
		/* extended names: "<X>_NAME_GET(id)" */
		size_t nl = strlen(d->cmds[i].name);

		if (st == SCMI_SUCCESS && d->cmds[i].req_len == 4 && nl > 9 &&
		    !strcmp(d->cmds[i].name + nl - 9, "_NAME_GET"))
			name = &d->cmds[i];
	}
	printf("\n");
	/* per-resource attributes when message 3 is "<X>_ATTRIBUTES(id)",
	 * and the extended name when "<X>_NAME_GET(id)" exists */
	if (attr && (attr->req_len != 4 || !strstr(attr->name, "ATTRIBUTES")))
		attr = NULL;
	if (!attr && !name)
		return;
	for (uint32_t r = 0; r < count && r < 256; r++) {
		printf("  [%u]", r);
		if (attr) {
			st = call(s, id, attr->id, &r, 1);
			if (st)
				printf(" %s", scmi_status_name(st));
			else
				print_fields(s, attr->resp);
		}
		if (name) {
			st = call(s, id, name->id, &r, 1);
			printf("%s", attr ? " |" : "");
			if (st)
				printf(" %s", scmi_status_name(st));
			else
				print_fields(s, name->resp);
		}
		printf("\n");
	}
}

static void power_ops(struct sc *s)
{
	const struct plat_desc *d = plat_desc(s->p);

	if (!(d->protocols_mask & PD_PROTO_BIT(SCMI_PROTO_POWER)) || d->npower == 0)
		return;
	printf("operations:\n");
	for (uint32_t id = 0; id < d->npower; id++) {
		uint32_t args[3] = { 0, id, SCMI_POWER_STATE_ON };
		int32_t st = call(s, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, args, 3);

		if (st == SCMI_DENIED || st == SCMI_NOT_SUPPORTED)
			continue;       /* not ours or async only: try the next */
		printf("  POWER_STATE_SET domain %u on: %s\n", id, scmi_status_name(st));
		st = call(s, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, &id, 1);
		printf("  POWER_STATE_GET domain %u: %s state 0x%08" PRIx32 "\n", id,
		       scmi_status_name(st), val(s, 0));
		args[2] = SCMI_POWER_STATE_OFF;
		st = call(s, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, args, 3);
		printf("  POWER_STATE_SET domain %u off: %s\n", id, scmi_status_name(st));
		st = call(s, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, &id, 1);
		printf("  POWER_STATE_GET domain %u: %s state 0x%08" PRIx32 "\n", id,
		       scmi_status_name(st), val(s, 0));
		/* leave it on for the state dump */
		args[2] = SCMI_POWER_STATE_ON;
		call(s, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, args, 3);
		return;
	}
	printf("  no power domain this agent may set synchronously\n");
}

static void usage(FILE *f)
{
	fprintf(f, "usage: scmi-selfcheck [-a AGENT] [-j] [FILE]\n"
		"  FILE      platform description (default " DEFAULT_CFG ")\n"
		"  -a AGENT  act as this agent id (default 1)\n"
		"  -j        print the physical state as JSON\n");
}

int main(int argc, char **argv)
{
	const char *path = DEFAULT_CFG;
	struct plat_desc *desc;
	struct sc s = { .agent = 1, .token = 1 };
	uint8_t protos[256];
	bool json = false;
	unsigned n;
	int c;

	while ((c = getopt(argc, argv, "a:jh")) != -1) {
		switch (c) {
		case 'a': {
			char *end;
			unsigned long a = strtoul(optarg, &end, 0);

			if (*end || a == 0 || a > PD_MAX_AGENTS) {
				fprintf(stderr, "scmi-selfcheck: bad agent id '%s'\n", optarg);
				return 2;
			}
			s.agent = (unsigned)a;
			break;
		}
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	desc = plat_desc_load(path, stderr);
	if (!desc)
		return 1;
	s.p = plat_new(desc);
	if (!s.p) {
		fprintf(stderr, "scmi-selfcheck: cannot build the platform\n");
		plat_desc_free(desc);
		return 1;
	}
	if (s.agent > plat_num_agents(s.p)) {
		fprintf(stderr, "scmi-selfcheck: %s has %u agents\n", path, plat_num_agents(s.p));
		plat_free(s.p);
		plat_desc_free(desc);
		return 2;
	}
	printf("platform %s, acting as agent %u (%s)\n", path, s.agent,
	       desc->agents[s.agent - 1].name);
	n = discover_base(&s, protos);
	for (unsigned i = 0; i < n; i++)
		discover_protocol(&s, protos[i]);
	power_ops(&s);
	printf("physical state:\n");
	plat_dump_state(s.p, stdout, json);
	plat_free(s.p);
	plat_desc_free(desc);
	if (s.failures) {
		printf("%u unexpected failures\n", s.failures);
		return 1;
	}
	return 0;
}
