// SPDX-License-Identifier: GPL-2.0-only
/*
 * Conformance coverage of the embedded reference platform, measured, not
 * counted by hand.
 *
 * 1. "Implemented" comes from the platform itself: built from
 *    config/platforms/reference.cfg (every protocol enabled), it is asked
 *    PROTOCOL_MESSAGE_ATTRIBUTES for every message id 0..255 of every
 *    protocol. A command is implemented when that answers SUCCESS; every id
 *    outside the command tables (mediator/scmi_tables.c) must be NOT_FOUND.
 * 2. "Tested" comes from the conformance tests: every test_plat_* binary
 *    next to this one is run with PLAT_COVERAGE_FILE set, and the test
 *    harness (tests/support/plat_harness.c) appends the (protocol, message
 *    id, status) triples its replies carried. Every command of every table
 *    must have been exercised with
 *      - SUCCESS;
 *      - PROTOCOL_ERROR for a request of the wrong length;
 *      - NOT_FOUND when its request names a resource (a field "*_id" or
 *        "identifier");
 *      - INVALID_PARAMETERS when its request has a flag word ("flags",
 *        "notify_enable", "event_control": reserved bits or bad values).
 *    The required set is derived from the table's request layout, so a new
 *    command in a table is covered by the same rule without editing this file.
 *
 * It prints one line per protocol:
 *   "<proto>: N commands in table, N implemented, N tested (success),
 *    N tested (errors)"
 * where "tested (errors)" counts commands with every required error status,
 * and a second line with how many commands saw each status at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/plat_harness.h"

#define NPROTO (SCMI_PROTO_PINCTRL - SCMI_PROTO_BASE + 1)
#define BIT_ST(st) (1u << -(st))
#define BIT_BAD_LEN (1u << PH_COV_BAD_LEN_BIT)
/* A child test binary gets this long before SIGALRM ends it. */
#define CHILD_TIMEOUT_S 120

static uint32_t seen[NPROTO][256];

/*
 * Commands without a SUCCESS path on this platform, by design: they must
 * be exercised with the status given instead. Keep this list short and
 * documented (docs/platform-config.md).
 */
static const struct {
	uint8_t proto, msg;
	int32_t instead;
	const char *why;
} no_success[] = {
	{ SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_FASTCHANNEL, SCMI_NOT_SUPPORTED,
	  "no fastchannels (virtio-scmi guests cannot map them)" },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, SCMI_NOT_SUPPORTED,
	  "no fastchannels (virtio-scmi guests cannot map them)" },
};

/* Does the request layout have a field named `name` (or, with suffix,
 * ending in it)? */
static bool layout_has(const char *layout, const char *name, bool suffix)
{
	const char *s = layout;
	size_t nl = strlen(name);

	while (*s) {
		const char *colon = strchr(s, ':'), *end = strchr(s, ' ');
		size_t fl;

		if (!colon)
			break;
		fl = (size_t)(colon - s);
		if (fl >= 2 && s[fl - 2] == '[' && s[fl - 1] == ']')
			fl -= 2;
		if (suffix ? (fl >= nl && !memcmp(s + fl - nl, name, nl))
			   : (fl == nl && !memcmp(s, name, nl)))
			return true;
		if (!end)
			break;
		s = end + 1;
	}
	return false;
}

/* The statuses every command must have been exercised with. */
static uint32_t required(uint8_t proto, const struct scmi_cmd_desc *c, const char **why)
{
	uint32_t need = BIT_ST(SCMI_SUCCESS) | BIT_BAD_LEN;

	*why = NULL;
	for (size_t i = 0; i < sizeof(no_success) / sizeof(no_success[0]); i++)
		if (no_success[i].proto == proto && no_success[i].msg == c->id) {
			need = BIT_ST(no_success[i].instead) | BIT_BAD_LEN;
			*why = no_success[i].why;
		}

	if (layout_has(c->req, "_id", true) || layout_has(c->req, "identifier", false))
		need |= BIT_ST(SCMI_NOT_FOUND);
	if (layout_has(c->req, "flags", false) || layout_has(c->req, "notify_enable", false) ||
	    layout_has(c->req, "event_control", false))
		need |= BIT_ST(SCMI_INVALID_PARAMETERS);
	return need;
}

static void describe(char *buf, size_t cap, uint32_t mask)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int st = 0; st >= SCMI_IN_USE && n < cap; st--)
		if (mask & BIT_ST(st))
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "",
					      scmi_status_name(st));
	if ((mask & BIT_BAD_LEN) && n < cap)
		snprintf(buf + n, cap - n, "%swrong-length", n ? " " : "");
}

/* Directory of this binary: the other test binaries are next to it. */
static void self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	char *slash;

	assert_true(n > 0);
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	assert_non_null(slash);
	*slash = '\0';
}

static int run_child(const char *path, const char *covfile, const char *logfile)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		setenv("PLAT_COVERAGE_FILE", covfile, 1);
		alarm(CHILD_TIMEOUT_S);      /* survives exec: no endless child */
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	return status;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void collect(void)
{
	char dir[PATH_MAX], covfile[] = "/tmp/plat-cov-XXXXXX", logfile[PATH_MAX + 32];
	char *names[64];
	unsigned nnames = 0, failed = 0;
	DIR *d;
	struct dirent *e;
	FILE *f;
	unsigned proto, msg, mask;
	int fd;

	self_dir(dir, sizeof(dir));
	fd = mkstemp(covfile);
	assert_true(fd >= 0);
	close(fd);
	snprintf(logfile, sizeof(logfile), "%s.log", covfile);
	unlink(logfile);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "test_plat_", 10) || strchr(e->d_name, '.'))
			continue;
		assert_true(nnames < sizeof(names) / sizeof(names[0]));
		names[nnames] = strdup(e->d_name);
		assert_non_null(names[nnames]);
		nnames++;
	}
	closedir(d);
	qsort(names, nnames, sizeof(names[0]), cmp_str);
	if (nnames == 0)
		fail_msg("no test_plat_* binaries next to this test in %s (make tests)", dir);
	for (unsigned i = 0; i < nnames; i++) {
		char path[PATH_MAX + 256];
		int st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		st = run_child(path, covfile, logfile);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			print_error("%s failed (status 0x%x); its output is in %s\n", names[i],
				    (unsigned)st, logfile);
			failed++;
		}
		free(names[i]);
	}
	printf("ran %u conformance test binaries (test_plat_*)\n", nnames);
	f = fopen(covfile, "r");
	assert_non_null(f);
	while (fscanf(f, "%u %u %u", &proto, &msg, &mask) == 3) {
		assert_true(proto >= SCMI_PROTO_BASE && proto <= SCMI_PROTO_PINCTRL && msg < 256);
		seen[proto - SCMI_PROTO_BASE][msg] |= mask;
	}
	assert_true(feof(f));
	fclose(f);
	unlink(covfile);
	if (failed)
		fail_msg("%u conformance test binaries failed", failed);
	unlink(logfile);
}

/*
 * docs/protocol.md "Implemented and tested" quotes these figures: it must
 * say what was measured. Returns 0 if the row of `name` says exactly f[4].
 */
static int check_doc_row(const char *doc, const char *name, const unsigned f[4])
{
	char row[64];
	const char *q;
	unsigned d[4];

	snprintf(row, sizeof(row), "\n| %s | ", name);
	q = strstr(doc, row);
	if (!q || sscanf(q + strlen(row), "%u | %u | %u | %u |", &d[0], &d[1], &d[2], &d[3]) != 4) {
		print_error("docs/protocol.md: no figures row for %s\n", name);
		return -1;
	}
	if (memcmp(d, f, sizeof(d))) {
		print_error("docs/protocol.md says %s: %u %u %u %u, measured %u %u %u %u\n", name,
			    d[0], d[1], d[2], d[3], f[0], f[1], f[2], f[3]);
		return -1;
	}
	return 0;
}

static char *read_doc(void)
{
	static char doc[128 * 1024];
	FILE *f = fopen("docs/protocol.md", "r");
	size_t len;
	char *sec;

	if (!f)
		fail_msg("docs/protocol.md: cannot open (run from the repository root)");
	len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	assert_true(len < sizeof(doc) - 1);
	doc[len] = '\0';
	sec = strstr(doc, "\n## Implemented and tested");
	if (!sec)
		fail_msg("docs/protocol.md: no section \"Implemented and tested\"");
	/* only that section */
	char *next = strstr(sec + 1, "\n## ");
	if (next)
		*next = '\0';
	return sec;
}

static void test_coverage(void **state)
{
	const char *doc = read_doc();
	unsigned doc_bad = 0;
	struct ph *h = ph_new_file("config/platforms/reference.cfg");
	unsigned missing = 0, tot[4] = { 0 };

	collect();
	for (size_t i = 0; i < scmi_nprotocols; i++) {
		const struct scmi_proto_desc *pd = scmi_protocols[i];
		unsigned n_impl = 0, n_ok = 0, n_err = 0, n_nosucc = 0;
		unsigned per_status[13] = { 0 }, n_badlen = 0;
		char line[256];
		size_t n = 0;

		for (unsigned m = 0; m < 256; m++) {
			const struct scmi_cmd_desc *c = scmi_cmd_find(pd->id, (uint8_t)m);
			int32_t st = ph_call(h, 1, pd->id, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL,
					     NULL, m);
			uint32_t have = seen[pd->id - SCMI_PROTO_BASE][m], need;
			char hb[160], mb[160];
			const char *why;

			if (!c) {
				if (st != SCMI_NOT_FOUND) {
					print_error("%s: message id 0x%x is in no table but "
						    "PROTOCOL_MESSAGE_ATTRIBUTES says %s\n",
						    pd->name, m, scmi_status_name(st));
					missing++;
				}
				continue;
			}
			if (st == SCMI_SUCCESS)
				n_impl++;
			else
				print_error("%s: %s (0x%x) not implemented (%s)\n", pd->name,
					    c->name, m, scmi_status_name(st));
			for (int s = 0; s >= SCMI_IN_USE; s--)
				if (have & BIT_ST(s))
					per_status[-s]++;
			if (have & BIT_BAD_LEN)
				n_badlen++;
			need = required(pd->id, c, &why);
			if (have & BIT_ST(SCMI_SUCCESS))
				n_ok++;
			if (!(need & BIT_ST(SCMI_SUCCESS))) {
				printf("%s: %s has no success path: %s\n", pd->name, c->name, why);
				n_nosucc++;
			}
			if ((have & need & ~BIT_ST(SCMI_SUCCESS)) == (need & ~BIT_ST(SCMI_SUCCESS)))
				n_err++;
			if ((have & need) != need) {
				describe(hb, sizeof(hb), have);
				describe(mb, sizeof(mb), need & ~have);
				print_error("%s: %s (0x%x) never exercised with: %s (seen: %s)\n",
					    pd->name, c->name, m, mb, hb[0] ? hb : "nothing");
				missing++;
			}
		}
		printf("%s: %zu commands in table, %u implemented, %u tested (success), "
		       "%u tested (errors)", pd->name, pd->ncmds, n_impl, n_ok, n_err);
		if (n_nosucc)
			printf("; %u without a success path by design", n_nosucc);
		printf("\n");
		n += (size_t)snprintf(line + n, sizeof(line) - n, "  commands per status:");
		for (int s = -1; s >= SCMI_IN_USE; s--)
			if (per_status[-s])
				n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %u",
						      scmi_status_name(s), per_status[-s]);
		snprintf(line + n, sizeof(line) - n, " (wrong length %u)", n_badlen);
		printf("%s\n", line);
		{
			const unsigned f[4] = { (unsigned)pd->ncmds, n_impl, n_ok, n_err };

			doc_bad += check_doc_row(doc, pd->name, f) != 0;
		}
		tot[0] += (unsigned)pd->ncmds;
		tot[1] += n_impl;
		tot[2] += n_ok;
		tot[3] += n_err;
	}
	printf("all: %u commands in table, %u implemented, %u tested (success), "
	       "%u tested (errors)\n", tot[0], tot[1], tot[2], tot[3]);
	doc_bad += check_doc_row(doc, "all", tot) != 0;
	ph_free(h);
	if (missing)
		fail_msg("%u gaps in conformance coverage (listed above)", missing);
	if (doc_bad)
		fail_msg("docs/protocol.md \"Implemented and tested\" differs from the measured "
			 "figures in %u rows", doc_bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
