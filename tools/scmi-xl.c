// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-xl: create a Xen guest with a virtio-scmi device served by
 * scmi-mediator.
 *
 *   scmi-xl create [OPTIONS] GUEST.cfg
 *
 * Reads the xl guest config (libxlutil); without `scmi = "virtio"` it
 * just runs `xl create GUEST.cfg`. Otherwise it writes a derived config
 * (the original plus the virtio device, or the Xen 4.17 virtio_disk slot,
 * and device_tree = the generated partial DT) and the partial DT to
 * OUT-DIR, then: `xl create -p DERIVED.cfg`, asks the mediator to attach
 * (control socket), and `xl unpause`; if the mediator refuses, the paused
 * domain is destroyed. See docs/xen.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/cfg.h"
#include "config/policy_cfg.h"
#include "xen/scmi_dt.h"
#include "xen/xl_derive.h"

#define DEFAULT_CTL "/run/scmi-mediator/control.sock"
#define DEFAULT_OUT "/run/scmi-mediator/xl"
#define CTL_TIMEOUT_MS 15000

struct opts {
	const char *ctl, *out_dir, *xl;
	int xen_minor;
	bool dry_run;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scmi-xl create [OPTIONS] GUEST.cfg\n"
		"  -n, --dry-run       write the derived config and DT, print the xl commands\n"
		"      --ctl PATH      mediator control socket (default " DEFAULT_CTL ")\n"
		"      --out-dir DIR   where derived files go (default " DEFAULT_OUT ")\n"
		"      --xl PATH       the xl program (default xl)\n"
		"      --xen-minor N   Xen 4.N toolstack (default: from `xl info`)\n");
}

/* ---- running xl ------------------------------------------------------------ */

/* Run argv; with out != NULL capture stdout (NUL-terminated, truncated
 * to outlen - 1). Returns the exit status, or -1. */
static int run(char *const argv[], char *out, size_t outlen)
{
	int pfd[2] = { -1, -1 }, status;
	pid_t pid;

	if (out && pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (out) {
			dup2(pfd[1], 1);
			close(pfd[0]);
			close(pfd[1]);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "scmi-xl: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		size_t n = 0;
		ssize_t r;

		close(pfd[1]);
		char sink[256];

		while (n < outlen - 1 && (r = read(pfd[0], out + n, outlen - 1 - n)) > 0)
			n += (size_t)r;
		out[n] = 0;
		/* Drain whatever did not fit. */
		while (read(pfd[0], sink, sizeof(sink)) > 0)
			;
		close(pfd[0]);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int xen_minor_from_xl(const char *xl)
{
	char out[8192], *p;
	char *argv[] = { (char *)xl, "info", NULL };

	if (run(argv, out, sizeof(out)) != 0)
		return -1;
	p = strstr(out, "xen_minor");
	if (!p || !(p = strchr(p, ':')))
		return -1;
	return atoi(p + 1);
}

/* ---- the mediator's control socket ------------------------------------------
 * One JSON line out, one JSON line back (docs/daemon.md). The request the
 * Xen frontend answers:
 *   {"cmd":"xen-attach","domid":N,"name":"NAME"[,"policy":"PATH"]}
 * -> {"ok":true,"result":{"devices":N}} or {"ok":false,"error":"..."}.
 */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static int ctl_roundtrip(const char *sock, const char *req, char *resp, size_t resplen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(req), got = 0;
	int fd, rc = -1;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, req, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
		goto out;
	while (got < resplen - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, CTL_TIMEOUT_MS) != 1) {
			errno = ETIMEDOUT;
			goto out;
		}
		r = read(fd, resp + got, resplen - 1 - got);
		if (r <= 0) {
			errno = r ? errno : EPROTO;
			goto out;
		}
		got += (size_t)r;
		resp[got] = 0;
		if (strchr(resp, '\n')) {
			*strchr(resp, '\n') = 0;
			rc = 0;
			goto out;
		}
	}
	errno = EMSGSIZE;
out:
	close(fd);
	return rc;
}

/* Ask the mediator to serve the (paused) domain's slot. 0 if it did. */
static int request_attach(const char *sock, unsigned domid, const char *name,
			  const char *policy)
{
	char *req = NULL, resp[4096];
	size_t reqlen = 0;
	FILE *f = open_memstream(&req, &reqlen);

	if (!f)
		return -1;
	fprintf(f, "{\"cmd\":\"xen-attach\",\"domid\":%u,\"name\":", domid);
	json_str(f, name);
	if (policy) {
		fputs(",\"policy\":", f);
		json_str(f, policy);
	}
	fputc('}', f);
	fclose(f);
	if (ctl_roundtrip(sock, req, resp, sizeof(resp))) {
		fprintf(stderr, "scmi-xl: control socket %s: %s\n", sock, strerror(errno));
		free(req);
		return -1;
	}
	free(req);
	if (strncmp(resp, "{\"ok\":true", 10)) {
		fprintf(stderr, "scmi-xl: the mediator refused to attach %s: %s\n", name, resp);
		return -1;
	}
	return 0;
}

/* ---- files ------------------------------------------------------------------ */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < (32l << 20)) {
		rewind(f);
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = 0;
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static int mkdirs(const char *dir)
{
	char tmp[512];

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

/* The guest's policy decides which protocol nodes its DT gets (without a
 * platform description: protocol names and resource lists are checked, ids
 * are the mediator's business). */
static int use_policy(struct cfg *c, struct xl_scmi_plan *plan)
{
	bool granted[256] = { false };
	struct policy *pol = policy_load(plan->policy, NULL, stderr);
	int rc;

	if (!pol) {
		cfg_error(c, cfg_line(c, "scmi_policy"), "cannot use the policy %s", plan->policy);
		return -1;
	}
	for (unsigned id = 0; id < 256; id++)
		granted[id] = policy_allows(pol, (uint8_t)id);
	policy_free(pol);
	rc = xl_scmi_plan_apply_policy(c, plan, granted);
	if (!rc && !plan->n_protocols)
		fprintf(stderr, "scmi-xl: %s grants none of the protocols the guest DT describes "
			"(power, perf, clock, sensor, reset): the scmi node has no protocol nodes\n",
			plan->policy);
	return rc;
}

/* ---- create ------------------------------------------------------------------ */
static int create(const struct opts *o, const char *cfg_path)
{
	struct xl_scmi_plan plan;
	struct scmi_dt_params dtp;
	char dt_path[600], cfg_out[600], err[256], domid_s[64], *text;
	void *base = NULL, *dtb = NULL;
	size_t text_len = 0, base_len = 0, dtb_len = 0;
	struct cfg *c;
	const char *transport;
	int minor = o->xen_minor, rc = 1;
	FILE *f;

	text = slurp(cfg_path, &text_len);
	if (!text) {
		fprintf(stderr, "scmi-xl: %s: %s\n", cfg_path, strerror(errno));
		return 1;
	}
	c = cfg_load(cfg_path, stderr);
	if (!c)
		goto out;
	/* The default transport depends on the toolstack's version. */
	if (minor < 0 && cfg_get_str(c, "scmi", &transport, NULL) == 0 &&
	    cfg_get_str(c, "scmi_transport", &transport, NULL) == 1)
		minor = xen_minor_from_xl(o->xl);
	if (xl_scmi_plan_read(c, &plan, minor))
		goto out;
	if (plan.enabled && plan.policy && use_policy(c, &plan))
		goto out;
	if (!plan.enabled) {
		char *argv[] = { (char *)o->xl, "create", (char *)cfg_path, NULL };

		if (o->dry_run) {
			printf("%s create %s\n", o->xl, cfg_path);
			rc = 0;
			goto out;
		}
		rc = run(argv, NULL, 0) == 0 ? 0 : 1;
		goto out;
	}

	/* The partial device tree, on top of the config's own. */
	if (plan.base_dt && !(base = slurp(plan.base_dt, &base_len))) {
		cfg_error(c, cfg_line(c, "device_tree"), "cannot read %s: %s", plan.base_dt,
			  strerror(errno));
		goto out;
	}
	dtp = (struct scmi_dt_params){ .protocols = plan.protocols,
				       .n_protocols = plan.n_protocols, .map = plan.map,
				       .n_map = plan.n_map };
	if (scmi_dt_build(base, base_len, &dtp, &dtb, &dtb_len, err, sizeof(err))) {
		fprintf(stderr, "scmi-xl: %s: device tree: %s\n",
			plan.base_dt ? plan.base_dt : cfg_path, err);
		goto out;
	}
	if (mkdirs(o->out_dir)) {
		fprintf(stderr, "scmi-xl: %s: %s\n", o->out_dir, strerror(errno));
		goto out;
	}
	snprintf(dt_path, sizeof(dt_path), "%s/%s.dtb", o->out_dir, plan.name);
	snprintf(cfg_out, sizeof(cfg_out), "%s/%s.cfg", o->out_dir, plan.name);
	if (write_file(dt_path, dtb, dtb_len)) {
		fprintf(stderr, "scmi-xl: %s: %s\n", dt_path, strerror(errno));
		goto out;
	}
	f = fopen(cfg_out, "w");
	if (!f || xl_scmi_write_derived(c, &plan, text, text_len, dt_path, f)) {
		fprintf(stderr, "scmi-xl: cannot write %s\n", cfg_out);
		if (f)
			fclose(f);
		goto out;
	}
	if (fclose(f)) {
		fprintf(stderr, "scmi-xl: %s: %s\n", cfg_out, strerror(errno));
		goto out;
	}
	if (o->dry_run) {
		printf("%s create -p %s\n", o->xl, cfg_out);
		printf("(control socket %s) xen-attach domid=$(%s domid %s) name=%s\n", o->ctl,
		       o->xl, plan.name, plan.name);
		printf("%s unpause %s\n", o->xl, plan.name);
		rc = 0;
		goto out;
	}

	if (plan.transport == XL_SCMI_VIRTIO_DISK) {
		/* libxl stat()s the disk target: the marker must exist. */
		char dir[512], *slash;
		int fd;

		snprintf(dir, sizeof(dir), "%s", plan.marker);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			mkdirs(dir);
		}
		fd = open(plan.marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "scmi-xl: marker %s: %s\n", plan.marker, strerror(errno));
			goto out;
		}
		close(fd);
	}
	{
		char *create_argv[] = { (char *)o->xl, "create", "-p", cfg_out, NULL };
		char *domid_argv[] = { (char *)o->xl, "domid", (char *)plan.name, NULL };
		char *unpause_argv[] = { (char *)o->xl, "unpause", (char *)plan.name, NULL };
		char *destroy_argv[] = { (char *)o->xl, "destroy", (char *)plan.name, NULL };
		char *end;
		unsigned long domid;

		if (run(create_argv, NULL, 0) != 0) {
			fprintf(stderr, "scmi-xl: xl create -p %s failed\n", cfg_out);
			goto out;
		}
		if (run(domid_argv, domid_s, sizeof(domid_s)) != 0 ||
		    (domid = strtoul(domid_s, &end, 10)) == 0 || (*end && *end != '\n')) {
			fprintf(stderr, "scmi-xl: cannot find the domain id of %s\n", plan.name);
			run(destroy_argv, NULL, 0);
			goto out;
		}
		if (request_attach(o->ctl, (unsigned)domid, plan.name, plan.policy)) {
			fprintf(stderr, "scmi-xl: destroying the paused domain %s\n", plan.name);
			run(destroy_argv, NULL, 0);
			goto out;
		}
		if (run(unpause_argv, NULL, 0) != 0) {
			fprintf(stderr, "scmi-xl: xl unpause %s failed\n", plan.name);
			goto out;
		}
		printf("scmi-xl: %s (domain %lu) running with virtio-scmi\n", plan.name, domid);
	}
	rc = 0;
out:
	cfg_free(c);
	free(text);
	free(base);
	free(dtb);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "ctl", required_argument, NULL, 'c' },
		{ "out-dir", required_argument, NULL, 'o' },
		{ "xl", required_argument, NULL, 'x' },
		{ "xen-minor", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .ctl = DEFAULT_CTL, .out_dir = DEFAULT_OUT, .xl = "xl",
			  .xen_minor = -1 };
	int ch;

	if (argc < 2 || strcmp(argv[1], "create")) {
		usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	argv++;
	argc--;
	while ((ch = getopt_long(argc, argv, "nh", lo, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o.dry_run = true;
			break;
		case 'c':
			o.ctl = optarg;
			break;
		case 'o':
			o.out_dir = optarg;
			break;
		case 'x':
			o.xl = optarg;
			break;
		case 'm':
			o.xen_minor = atoi(optarg);
			if (o.xen_minor < 0 || o.xen_minor > 99) {
				fprintf(stderr, "scmi-xl: bad --xen-minor %s\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	return create(&o, argv[optind]);
}
