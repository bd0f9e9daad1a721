// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-raw: runs inside the e2e guest. Sends one SCMI command through the
 * Linux SCMI raw-mode debugfs files and prints the reply, or waits for a
 * notification:
 *   scmi-raw cmd PROTO MSG [ARG...]        -> "status=S len=N values=w0 w1 ..."
 *   scmi-raw async PROTO MSG [ARG...]      -> reply, then "dresp status=S ..."
 *   scmi-raw notif TIMEOUT_MS              -> "notif hdr=H payload=..." or "notif none"
 *   scmi-raw list PROTO MSG ID START       -> a DESCRIBE_RATES/DESCRIBE_LEVELS walk
 *       from index START, as Linux pages: one "page idx=I reply ..." line per
 *       reply, the next request at I + returned while the reply succeeds,
 *       returned something, is no triplet and says more remain (64 pages at most)
 * Numbers accept 0x prefixes. Exit 0 when the exchange happened (whatever
 * the SCMI status), 2 on I/O errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAW "/sys/kernel/debug/scmi/0/raw/"

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int rd(const char *file, uint8_t *buf, size_t cap, int timeout_ms)
{
	int fd = open(file, O_RDONLY | O_NONBLOCK);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (fd < 0)
		return -1;
	if (poll(&p, 1, timeout_ms) <= 0) {
		close(fd);
		return 0;
	}
	n = read(fd, buf, cap);
	close(fd);
	return n < 0 ? -1 : (int)n;
}

static void show(const char *what, const uint8_t *b, int n, int has_status)
{
	int i = 4;

	printf("%s hdr=0x%08x", what, n >= 4 ? le32(b) : 0);
	if (has_status && n >= 8) {
		printf(" status=%d", (int32_t)le32(b + 4));
		i = 8;
	}
	printf(" len=%d values=", n);
	for (; i + 4 <= n; i += 4)
		printf("%s0x%x", i > (has_status ? 8 : 4) ? "," : "", le32(b + i));
	printf("\n");
}

/* One command through raw mode: its reply length (<= 0: none). */
static int xfer(const char *f, const uint32_t *words, int nw, uint8_t *rep, size_t cap)
{
	static unsigned seq;
	uint8_t msg[256];
	int fd, len = 0;

	for (int w = 0; w < nw && len + 4 <= (int)sizeof(msg); w++) {
		uint32_t v = w ? words[w] : words[0] | (uint32_t)((getpid() + seq++) & 0x3ff) << 18;

		for (int i = 0; i < 4; i++)
			msg[len++] = v >> (8 * i);
	}
	fd = open(f, O_WRONLY);
	if (fd < 0 || write(fd, msg, len) != len) {
		fprintf(stderr, "scmi-raw: write %s: %s\n", f, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return rd(f, rep, cap, 5000);
}

static int list(char **argv)
{
	uint32_t w[3], idx = strtoul(argv[3], NULL, 0);
	uint8_t rep[256];
	char what[32];

	w[0] = (strtoul(argv[1], NULL, 0) & 0xff) | (strtoul(argv[0], NULL, 0) & 0xff) << 10;
	w[1] = strtoul(argv[2], NULL, 0);
	for (int page = 0; page < 64; page++) {
		w[2] = idx;
		int n = xfer(RAW "message", w, 3, rep, sizeof(rep));

		if (n <= 0) {
			printf("page idx=%u reply none\n", idx);
			return 2;
		}
		snprintf(what, sizeof(what), "page idx=%u reply", idx);
		show(what, rep, n, 1);
		if (n < 12 || le32(rep + 4) != 0)
			return 0;
		uint32_t f = le32(rep + 8), ret = f & 0xfff;

		if (!ret || (f & (1u << 12)) || !(f >> 16))
			return 0;
		idx += ret;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t msg[256], rep[256];
	int n, async, fd, len;

	if (argc >= 3 && !strcmp(argv[1], "notif")) {
		n = rd(RAW "notification", rep, sizeof(rep), atoi(argv[2]));
		if (n < 0)
			return 2;
		if (n == 0)
			printf("notif none\n");
		else
			show("notif", rep, n, 0);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "list"))
		return list(argv + 2);
	if (argc < 4 || (strcmp(argv[1], "cmd") && strcmp(argv[1], "async"))) {
		fprintf(stderr, "usage: scmi-raw cmd|async PROTO MSG [ARG...] | list PROTO MSG ID START | notif MS\n");
		return 2;
	}
	async = !strcmp(argv[1], "async");
	uint32_t hdr = (strtoul(argv[3], NULL, 0) & 0xff) |
		       (strtoul(argv[2], NULL, 0) & 0xff) << 10 | (uint32_t)(getpid() & 0x3ff) << 18;
	len = 0;
	for (int i = 0; i < 4; i++)
		msg[len++] = hdr >> (8 * i);
	for (int a = 4; a < argc && len + 4 <= (int)sizeof(msg); a++) {
		uint32_t v = strtoul(argv[a], NULL, 0);
		for (int i = 0; i < 4; i++)
			msg[len++] = v >> (8 * i);
	}
	const char *f = async ? RAW "message_async" : RAW "message";
	fd = open(f, O_WRONLY);
	if (fd < 0 || write(fd, msg, len) != len) {
		fprintf(stderr, "scmi-raw: write %s: %s\n", f, strerror(errno));
		return 2;
	}
	close(fd);
	n = rd(f, rep, sizeof(rep), 5000);
	if (n <= 0) {
		printf("reply none\n");
		return 2;
	}
	/* The header type tells a delayed response (2) from the response:
	 * with one interrupt vector per virtqueue the delayed response may
	 * reach Linux first, and raw mode then hands it over first. */
	show(((le32(rep) >> 8) & 3) == 2 ? "dresp" : "reply", rep, n, 1);
	if (async && ((le32(rep) >> 8) & 3) != 2 && n >= 8 && le32(rep + 4) == 0) {
		n = rd(f, rep, sizeof(rep), 5000);
		if (n > 0)
			show(((le32(rep) >> 8) & 3) == 2 ? "dresp" : "reply", rep, n, 1);
		else
			printf("dresp none\n");
	}
	return 0;
}
