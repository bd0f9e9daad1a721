// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmictl session helpers: protocol/command naming, calls, reply and P2A
 * printing, waiting for events (see scmictl_verbs.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scmi_client.h"
#include "scmi_format.h"
#include "scmictl_verbs.h"

const struct scmi_proto_desc *scmictl_proto_lookup(const char *name)
{
	const struct scmi_proto_desc *p = scmi_proto_find_name(name);
	uint64_t id;

	if (p)
		return p;
	if (!strcasecmp(name, "sys"))
		return scmi_proto_find(SCMI_PROTO_SYSTEM);
	if (!strcasecmp(name, "performance"))
		return scmi_proto_find(SCMI_PROTO_PERF);
	if (!strcasecmp(name, "pin"))
		return scmi_proto_find(SCMI_PROTO_PINCTRL);
	if (!scmi_parse_u64(name, &id) && id <= 0xff)
		return scmi_proto_find((uint8_t)id);
	return NULL;
}

const char *scmictl_cmd_short(const struct scmi_proto_desc *p, const struct scmi_cmd_desc *cmd)
{
	static char buf[64];
	size_t plen = strlen(p->name), i;
	const char *n = cmd->name;

	if (!strncasecmp(n, p->name, plen) && n[plen] == '_')
		n += plen + 1;
	for (i = 0; n[i] && i + 1 < sizeof(buf); i++)
		buf[i] = (char)tolower((unsigned char)n[i]);
	buf[i] = '\0';
	return buf;
}

int scmictl_call(struct scmictl *x, uint8_t proto, uint8_t msg, const void *args,
		 size_t alen, int32_t *st, uint8_t *vals, size_t *vlen)
{
	int rc = scmi_client_call(x->c, proto, msg, args, alen, st, vals, vlen);

	if (rc == 0)
		return 0;
	if (rc == -ETIMEDOUT)
		fprintf(stderr, "scmictl: %s: no reply to protocol 0x%02x message 0x%02x "
			"within %d ms\n", x->sock, proto, msg, x->timeout_ms);
	else if (rc == -EIO)
		fprintf(stderr, "scmictl: %s: malformed reply to protocol 0x%02x message 0x%02x\n",
			x->sock, proto, msg);
	else
		fprintf(stderr, "scmictl: %s: %s\n", x->sock, strerror(-rc));
	return -1;
}

static const char *status_str(int32_t st)
{
	return scmi_status_name(st);
}

void scmictl_print_reply(struct scmictl *x, const struct scmi_proto_desc *p,
			 const struct scmi_cmd_desc *cmd, int32_t st,
			 const uint8_t *vals, size_t vlen)
{
	if (x->json) {
		printf("{\"protocol\": \"%s\", \"command\": \"%s\", \"status\": %" PRId32
		       ", \"status_name\": \"%s\", \"response\": ", p->name, cmd->name, st,
		       status_str(st));
		scmi_fmt_print(stdout, st == SCMI_SUCCESS ? cmd->resp : NULL, vals, vlen,
			       true, NULL);
		puts("}");
		return;
	}
	if (st != SCMI_SUCCESS) {
		printf("%s %s: %s (%" PRId32 ")\n", p->name, scmictl_cmd_short(p, cmd),
		       status_str(st), st);
		if (vlen)
			scmi_fmt_print(stdout, NULL, vals, vlen, false, "  ");
		return;
	}
	printf("%s %s: SUCCESS\n", p->name, scmictl_cmd_short(p, cmd));
	scmi_fmt_print(stdout, cmd->resp, vals, vlen, false, "  ");
}

static void print_hdr_json(uint32_t h)
{
	printf("\"header\": %" PRIu32 ", \"protocol_id\": %u, \"message_id\": %u, "
	       "\"message_type\": %u, \"token\": %u", h, scmi_hdr_proto(h), scmi_hdr_msg_id(h),
	       scmi_hdr_type(h), scmi_hdr_token(h));
}

int scmictl_print_raw(struct scmictl *x, const uint8_t *resp, size_t len)
{
	uint32_t h;
	int32_t st;

	if (len < 8) {
		fprintf(stderr, "scmictl: raw: reply of %zu bytes (less than header + status)\n",
			len);
		if (len >= 4 && !x->json)
			printf("header 0x%08" PRIx32 "\n", scmi_get_le32(resp));
		return SCMICTL_EXIT_CONN;
	}
	h = scmi_get_le32(resp);
	st = (int32_t)scmi_get_le32(resp + 4);
	if (x->json) {
		putchar('{');
		print_hdr_json(h);
		printf(", \"status\": %" PRId32 ", \"status_name\": \"%s\", \"values\": ", st,
		       status_str(st));
		scmi_fmt_print(stdout, "values[]:u32", resp + 8, len - 8, true, NULL);
		puts("}");
	} else {
		printf("header 0x%08" PRIx32 " (protocol 0x%02x message 0x%02x type %u token %u)\n",
		       h, scmi_hdr_proto(h), scmi_hdr_msg_id(h), scmi_hdr_type(h),
		       scmi_hdr_token(h));
		printf("status %s (%" PRId32 ")\n", status_str(st), st);
		if (len > 8)
			scmi_fmt_print(stdout, "values[]:u32", resp + 8, len - 8, false, "");
	}
	return st == SCMI_SUCCESS ? 0 : SCMICTL_EXIT_STATUS;
}

void scmictl_print_p2a(struct scmictl *x, const uint8_t *msg, size_t len)
{
	uint32_t h = scmi_get_le32(msg);
	uint8_t proto = scmi_hdr_proto(h), id = scmi_hdr_msg_id(h), type = scmi_hdr_type(h);
	const struct scmi_proto_desc *p = scmi_proto_find(proto);
	const char *pname = p ? p->name : "unknown";

	if (type == SCMI_MSG_NOTIFICATION) {
		const struct scmi_evt_desc *e = scmi_evt_find(proto, id);

		if (x->json) {
			printf("{\"type\": \"notification\", \"protocol\": \"%s\", "
			       "\"event\": \"%s\", ", pname, e ? e->name : "unknown");
			print_hdr_json(h);
			fputs(", \"payload\": ", stdout);
			scmi_fmt_print(stdout, e ? e->payload : NULL, msg + 4, len - 4, true, NULL);
			puts("}");
		} else {
			printf("notification %s %s (0x%02x)\n", pname, e ? e->name : "unknown", id);
			scmi_fmt_print(stdout, e ? e->payload : NULL, msg + 4, len - 4, false,
				       "  ");
		}
		return;
	}
	if (type == SCMI_MSG_DELAYED_RESP) {
		const struct scmi_cmd_desc *c = scmi_cmd_find(proto, id);
		int32_t st = len >= 8 ? (int32_t)scmi_get_le32(msg + 4) : 0;
		const char *layout = c && st == SCMI_SUCCESS ? c->dresp : NULL;

		if (x->json) {
			printf("{\"type\": \"delayed_response\", \"protocol\": \"%s\", "
			       "\"command\": \"%s\", ", pname, c ? c->name : "unknown");
			print_hdr_json(h);
			if (len >= 8)
				printf(", \"status\": %" PRId32 ", \"status_name\": \"%s\"", st,
				       status_str(st));
			fputs(", \"payload\": ", stdout);
			scmi_fmt_print(stdout, layout, msg + 8, len >= 8 ? len - 8 : 0, true, NULL);
			puts("}");
		} else {
			printf("delayed response %s %s (token %u): %s (%" PRId32 ")\n", pname,
			       c ? c->name : "unknown", scmi_hdr_token(h),
			       len >= 8 ? status_str(st) : "no status", st);
			if (len > 8)
				scmi_fmt_print(stdout, layout, msg + 8, len - 8, false, "  ");
		}
		return;
	}
	if (x->json) {
		putchar('{');
		print_hdr_json(h);
		fputs(", \"type_name\": \"unexpected\", \"payload\": ", stdout);
		scmi_fmt_print(stdout, NULL, msg + 4, len - 4, true, NULL);
		puts("}");
	} else {
		printf("unexpected P2A message type %u header 0x%08" PRIx32 "\n", type, h);
		scmi_fmt_print(stdout, NULL, msg + 4, len - 4, false, "  ");
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for P2A messages until `ms` passed or `want` (0: no limit) matched;
 * match_proto/match_msg select delayed responses to count (0xff: any
 * message counts). Returns the number matched, or -1 on error. */
static int wait_p2a(struct scmictl *x, int ms, int want, uint8_t match_proto, uint8_t match_msg)
{
	int64_t end = now_ms() + ms;
	uint8_t buf[SCMI_MSG_MAX];
	int got = 0;

	for (;;) {
		int64_t left = end - now_ms();
		int n;

		if (left <= 0 || (want && got >= want))
			break;
		n = scmi_client_wait_event(x->c, buf, sizeof(buf), (int)left);
		if (n < 0) {
			fprintf(stderr, "scmictl: %s: waiting for events: %s\n", x->sock,
				strerror(-n));
			return -1;
		}
		if (n == 0)
			continue;       /* woken without a message: wait out the time */
		if (n < 4) {
			fprintf(stderr, "scmictl: %s: P2A message of %d bytes ignored\n", x->sock,
				n);
			continue;
		}
		scmictl_print_p2a(x, buf, (size_t)n);
		fflush(stdout);
		x->events_seen++;
		if (match_proto == 0xff) {
			got++;
		} else if (scmi_hdr_type(scmi_get_le32(buf)) == SCMI_MSG_DELAYED_RESP &&
			   scmi_hdr_proto(scmi_get_le32(buf)) == match_proto &&
			   scmi_hdr_msg_id(scmi_get_le32(buf)) == match_msg) {
			x->delayed_status = n >= 8 ? (int32_t)scmi_get_le32(buf + 4) :
					    SCMI_PROTOCOL_ERROR;
			got++;
		}
	}
	return got;
}

int scmictl_events(struct scmictl *x, int ms)
{
	int got = wait_p2a(x, ms, x->count, 0xff, 0);

	if (got < 0)
		return SCMICTL_EXIT_CONN;
	if (x->count && got < x->count) {
		fprintf(stderr, "scmictl: %s: %d of %d events received within %d ms\n", x->sock,
			got, x->count, ms);
		return SCMICTL_EXIT_STATUS;
	}
	if (!x->json && got == 0)
		printf("no events within %d ms\n", ms);
	return 0;
}

int scmictl_sleep(struct scmictl *x, int ms)
{
	return wait_p2a(x, ms, 0, 0xff, 0) < 0 ? SCMICTL_EXIT_CONN : 0;
}

int scmictl_wait_delayed(struct scmictl *x, uint8_t proto, uint8_t msg)
{
	int got = wait_p2a(x, x->timeout_ms, 1, proto, msg);

	if (got < 0)
		return SCMICTL_EXIT_CONN;
	if (got == 0) {
		fprintf(stderr, "scmictl: %s: no delayed response within %d ms\n", x->sock,
			x->timeout_ms);
		return SCMICTL_EXIT_STATUS;
	}
	return x->delayed_status == SCMI_SUCCESS ? 0 : SCMICTL_EXIT_STATUS;
}
