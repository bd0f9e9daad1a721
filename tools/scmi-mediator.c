// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-mediator: the daemon. One event loop, one vhost-user socket per
 * guest (or, for socket=xen:NAME guests, the Xen frontend), the platform
 * behind a backend, a control socket (docs/daemon.md, docs/xen.md).
 *
 *   scmi-mediator -c /etc/scmi-mediator/mediator.cfg [--foreground]
 *   scmi-mediator -c FILE --check-config
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mediator/daemon.h"
#include "mediator/daemon_xen.h"
#include "mediator/frontend_vhost.h"
#include "mediator/log.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scmi-mediator -c FILE [options]\n"
		"  -c, --config FILE       mediator configuration (xl.cfg syntax)\n"
		"      --check-config      validate FILE and its platform description, then exit\n"
		"  -v, --log-level LEVEL   error, warn, info or debug (overrides the file)\n"
		"      --log=TARGET        stderr or journald (overrides the file)\n"
		"  -f, --foreground        stay in the foreground (default; for systemd)\n"
		"  -d, --daemonize         detach from the terminal\n"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n"
		"Signals: SIGTERM/SIGINT stop gracefully, SIGHUP reloads FILE.\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "log-level", required_argument, NULL, 'v' },
		{ "log", required_argument, NULL, 'L' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "daemonize", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts o = {
		.frontend = &vhost_user_frontend_ops,
		.log_level = -1,
		.log_target = -1,
		.signals = true,
	};
	bool check = false, detach = false;
	struct daemon *d;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:v:fdVh", lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'v':
			o.log_level = log_level_parse(optarg);
			if (o.log_level < 0) {
				fprintf(stderr, "scmi-mediator: unknown log level '%s'\n", optarg);
				return 2;
			}
			break;
		case 'L':
			if (!strcmp(optarg, "stderr")) {
				o.log_target = LOG_TO_STDERR;
			} else if (!strcmp(optarg, "journald")) {
				o.log_target = LOG_TO_JOURNALD;
			} else {
				fprintf(stderr,
					"scmi-mediator: --log must be stderr or journald\n");
				return 2;
			}
			break;
		case 'f':
			detach = false;
			break;
		case 'd':
			detach = true;
			break;
		case 'V':
			printf("scmi-mediator " SCMI_MEDIATOR_VERSION "\n%s\n",
			       daemon_xen_version(daemon_xen_builtin()));
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !o.config) {
		usage(stderr);
		return 2;
	}
	if (check) {
		rc = daemon_check_config(o.config, stderr);
		if (!rc)
			printf("%s: OK\n", o.config);
		return rc ? 1 : 0;
	}
	/* Peers may close their sockets at any time. */
	signal(SIGPIPE, SIG_IGN);
	d = daemon_new(&o, stderr);
	if (!d)
		return 1;
	if (detach && daemon(1, 0) < 0) {
		log_err("daemonize: %s", strerror(errno));
		daemon_free(d);
		return 1;
	}
	rc = daemon_run(d);
	daemon_free(d);
	log_info("stopped");
	return rc ? 1 : 0;
}
