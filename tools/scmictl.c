// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmictl: talk SCMI to a running scmi-mediator as one of its guests
 * (through the guest's vhost-user socket, with the agent client), or ask
 * the daemon for its status through the control socket. See docs/scmictl.md.
 *
 *   scmictl agent SOCKET [OPTIONS] PROTOCOL COMMAND [ARGS...] [-- PROTOCOL COMMAND ...]
 *   scmictl agent SOCKET [OPTIONS] raw HEXWORD...
 *   scmictl agent SOCKET [OPTIONS] events
 *   scmictl [--ctl PATH] status [--json]
 *   scmictl [--ctl PATH] platform-state [--json]
 *
 * Table commands (e.g. "clock rate_get 3") are driven by the command
 * tables of mediator/scmi_msg.h: arguments follow the request layout, the
 * answer is printed with the response layout's field names. The list and
 * convenience verbs ("clock list", "power on 2", ...) live in
 * scmictl_verbs.c.
 *
 * Exit codes: 0 success, 1 an SCMI error status (or expected events not
 * received), 2 usage, connection or transport error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/scmi_msg.h"
#include "tools/client/scmi_client.h"
#include "tools/client/scmi_format.h"
#include "tools/client/scmictl_verbs.h"
#include "backends/host_dt.h"

static void usage(FILE *out)
{
	fputs("usage:\n"
	      "  scmictl agent SOCKET [OPTIONS] PROTOCOL COMMAND [ARGS...]\n"
	      "                                [-- PROTOCOL COMMAND [ARGS...]]...\n"
	      "  scmictl agent SOCKET [OPTIONS] raw HEXWORD...\n"
	      "  scmictl agent SOCKET [OPTIONS] events\n"
	      "  scmictl [--ctl PATH] status [--json]\n"
	      "  scmictl [--ctl PATH] platform-state [--json]\n"
	      "  scmictl commands [PROTOCOL]       list the table commands and their layouts\n"
	      "  scmictl dt [--json] [FILE.dtb]    SCMI transport in the host device tree\n"
	      "                                    (default /sys/firmware/fdt)\n"
	      "\n"
	      "PROTOCOL: base power system perf clock sensor reset voltage powercap pinctrl\n"
	      "COMMAND: a table command in lower case without the protocol prefix\n"
	      "  (clock rate_get 3, clock config_set 3 1 0), or a convenience verb:\n"
	      "  base info | <proto> list | clock enable|disable N | clock rate N [HZ]\n"
	      "  power on|off N | sensor read N\n"
	      "  sleep MS: pause inside the session (P2A messages are printed)\n"
	      "OPTIONS (anywhere after SOCKET):\n"
	      "  --json          JSON output (one object per line)\n"
	      "  --timeout MS    per-command timeout (default 5000)\n"
	      "  --listen MS     after the commands, print P2A messages for MS milliseconds\n"
	      "  --count N       with --listen/events: stop after N messages\n"
	      "  --async         clock rate / power on|off / sensor read: asynchronous,\n"
	      "                  wait for and print the delayed response\n"
	      "Exit: 0 ok, 1 SCMI error status, 2 usage or connection error.\n", out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("scmictl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(scmictl --help for usage)\n", stderr);
	return SCMICTL_EXIT_USAGE;
}

static int parse_int_opt(const char *opt, const char *val, int *out)
{
	uint64_t v;

	if (!val || scmi_parse_u64(val, &v) || v > 3600000)
		return usage_error("%s needs a number of 0..3600000", opt);
	*out = (int)v;
	return 0;
}

/* ---- table commands ------------------------------------------------------ */
static int run_table_cmd(struct scmictl *x, const struct scmi_proto_desc *p,
			 const struct scmi_cmd_desc *cmd, int argc, char **argv)
{
	uint8_t req[SCMI_MSG_MAX], vals[SCMI_MSG_MAX];
	size_t vlen = sizeof(vals);
	char err[160];
	int32_t st;
	int len;

	len = scmi_fmt_build(cmd->req, argc, argv, req, sizeof(req), err, sizeof(err));
	if (len < 0) {
		fprintf(stderr, "scmictl: %s %s: %s\n", p->name, scmictl_cmd_short(p, cmd), err);
		return SCMICTL_EXIT_USAGE;
	}
	if (scmictl_call(x, p->id, cmd->id, req, (size_t)len, &st, vals, &vlen))
		return SCMICTL_EXIT_CONN;
	scmictl_print_reply(x, p, cmd, st, vals, vlen);
	if (st != SCMI_SUCCESS)
		return SCMICTL_EXIT_STATUS;
	if (x->async && (cmd->flags & SCMI_CMD_ASYNC))
		return scmictl_wait_delayed(x, p->id, cmd->id);
	return 0;
}

static int run_one(struct scmictl *x, int argc, char **argv)
{
	const struct scmi_proto_desc *p;
	const struct scmi_cmd_desc *cmd;
	int rc;

	if (argc == 2 && !strcmp(argv[0], "sleep")) {
		uint64_t ms;

		if (scmi_parse_u64(argv[1], &ms) || ms > 3600000)
			return usage_error("sleep needs milliseconds, got \"%s\"", argv[1]);
		return scmictl_sleep(x, (int)ms);
	}
	if (argc < 2)
		return usage_error("missing %s", argc ? "COMMAND" : "PROTOCOL COMMAND");
	p = scmictl_proto_lookup(argv[0]);
	if (!p)
		return usage_error("unknown protocol \"%s\"", argv[0]);
	cmd = scmi_cmd_find_name(p, argv[1]);
	if (cmd)
		return run_table_cmd(x, p, cmd, argc - 2, argv + 2);
	rc = scmictl_verb(x, p, argv[1], argc - 2, argv + 2);
	if (rc != SCMICTL_NO_VERB)
		return rc;
	fprintf(stderr, "scmictl: %s has no command \"%s\" (scmictl commands %s lists them)\n",
		p->name, argv[1], p->name);
	return SCMICTL_EXIT_USAGE;
}

/* ---- raw ----------------------------------------------------------------- */
static int run_raw(struct scmictl *x, int argc, char **argv)
{
	uint8_t msg[SCMI_MSG_MAX], resp[SCMI_MSG_MAX];
	int n;

	if (argc < 1)
		return usage_error("%s", "raw needs at least the header word");
	if ((size_t)argc * 4 > sizeof(msg))
		return usage_error("%s", "raw message too long");
	for (int i = 0; i < argc; i++) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(argv[i], &end, 16);
		if (errno || *end || end == argv[i] || v > UINT32_MAX)
			return usage_error("raw: \"%s\" is not a 32-bit hex word", argv[i]);
		scmi_put_le32(msg + 4 * i, (uint32_t)v);
	}
	n = scmi_client_raw(x->c, msg, (size_t)argc * 4, resp, SCMI_LINUX_MSG_SIZE);
	if (n < 0) {
		fprintf(stderr, "scmictl: raw: %s\n", strerror(-n));
		return SCMICTL_EXIT_CONN;
	}
	return scmictl_print_raw(x, resp, (size_t)n);
}

/* ---- commands listing ------------------------------------------------------ */
static int list_commands(const char *proto)
{
	for (size_t i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *p = scmi_protocols[i];

		if (proto && p != scmictl_proto_lookup(proto))
			continue;
		printf("%s (0x%02x, version 0x%x)\n", p->name, p->id, p->version);
		for (size_t k = 0; k < p->ncmds; k++) {
			const struct scmi_cmd_desc *c = &p->cmds[k];

			printf("  %-28s 0x%02x  req: %s\n", scmictl_cmd_short(p, c), c->id,
			       c->req && *c->req ? c->req : "-");
			printf("  %-28s       resp: %s\n", "", c->resp && *c->resp ? c->resp : "-");
		}
	}
	return 0;
}

/* ---- agent mode ---------------------------------------------------------- */
static int agent_main(int argc, char **argv)
{
	struct scmictl x = { .timeout_ms = 5000 };
	struct scmi_client_opts o = { 0 };
	char **words = calloc((size_t)argc + 1, sizeof(*words));
	int nw = 0, rc = 0;

	if (!words)
		return SCMICTL_EXIT_CONN;
	if (argc < 1) {
		free(words);
		return usage_error("%s", "agent needs SOCKET");
	}
	x.sock = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			x.json = true;
		} else if (!strcmp(a, "--async")) {
			x.async = true;
		} else if (!strcmp(a, "--timeout") || !strcmp(a, "--listen") ||
			   !strcmp(a, "--count")) {
			int *dst = a[2] == 't' ? &x.timeout_ms :
				   a[2] == 'l' ? &x.listen_ms : &x.count;

			if (parse_int_opt(a, i + 1 < argc ? argv[i + 1] : NULL, dst)) {
				free(words);
				return SCMICTL_EXIT_USAGE;
			}
			if (dst == &x.listen_ms)
				x.listen = true;
			i++;
		} else if (a[0] == '-' && a[1] == '-' && a[2]) {
			free(words);
			return usage_error("unknown option %s", a);
		} else {
			words[nw++] = argv[i];
		}
	}
	if (nw == 0) {
		free(words);
		return usage_error("%s", "agent SOCKET needs a command");
	}

	o.queue_size = 64;
	o.msg_size = SCMI_LINUX_MSG_SIZE;
	o.p2a = true;
	o.event_buffers = 64;
	o.timeout_ms = x.timeout_ms ? x.timeout_ms : 5000;
	x.c = scmi_client_connect(x.sock, &o);
	if (!x.c) {
		/* the client library said why */
		fprintf(stderr, "scmictl: no session with %s\n", x.sock);
		free(words);
		return SCMICTL_EXIT_CONN;
	}

	if (!strcmp(words[0], "raw")) {
		rc = run_raw(&x, nw - 1, words + 1);
	} else if (!strcmp(words[0], "events")) {
		if (nw > 1)
			rc = usage_error("%s", "events takes no arguments (use --count/--timeout)");
		else
			rc = scmictl_events(&x, x.listen ? x.listen_ms : x.timeout_ms);
	} else {
		/* commands separated by "--" */
		int start = 0;

		for (int i = 0; i <= nw && rc == 0; i++) {
			if (i < nw && strcmp(words[i], "--"))
				continue;
			rc = run_one(&x, i - start, words + start);
			start = i + 1;
		}
		if (rc == 0 && x.listen)
			rc = scmictl_events(&x, x.listen_ms);
	}
	scmi_client_close(x.c);
	free(words);
	return rc;
}

/* ---- control socket -------------------------------------------------------- */
static int ctl_main(const char *ctl, int argc, char **argv)
{
	bool json = false;
	const char *what = argv[0];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else
			return usage_error("unexpected argument \"%s\"", argv[i]);
	}
	return scmictl_ctl(ctl, what, json);
}

/* ---- host device tree ---------------------------------------------------- */
static int dt_main(int argc, char **argv)
{
	const char *file = NULL;
	bool json = false;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return usage_error("dt: unexpected argument \"%s\"", argv[i]);
	}
	rc = host_dt_print(file, stdout, json);
	return rc < 0 ? SCMICTL_EXIT_USAGE : rc;
}

int main(int argc, char **argv)
{
	const char *ctl = NULL;
	int i = 1;

	/* line by line, also into files and pipes: sessions can be watched */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage(stderr);
		return SCMICTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[i], "--ctl")) {
		if (argc < 4)
			return usage_error("%s", "--ctl needs PATH and a command");
		ctl = argv[i + 1];
		i += 2;
	}
	if (!strcmp(argv[i], "agent"))
		return ctl ? usage_error("%s", "--ctl does not apply to agent") :
			     agent_main(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "status") || !strcmp(argv[i], "platform-state"))
		return ctl_main(ctl, argc - i, argv + i);
	if (!strcmp(argv[i], "dt"))
		return ctl ? usage_error("%s", "--ctl does not apply to dt") :
			     dt_main(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "commands"))
		return list_commands(i + 1 < argc ? argv[i + 1] : NULL);
	return usage_error("unknown command \"%s\"", argv[i]);
}
