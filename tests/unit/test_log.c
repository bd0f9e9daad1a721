// SPDX-License-Identifier: GPL-2.0-only
/* Logging: levels, rate limiting, journald native protocol. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mediator/log.h"

static char *buf;
static size_t len;
static FILE *mem;

static int setup(void **state)
{
	mem = open_memstream(&buf, &len);
	log_set_stream(mem);
	log_set_level(LOG_LVL_INFO);
	return 0;
}

static int teardown(void **state)
{
	log_set_stream(NULL);
	fclose(mem);
	free(buf);
	buf = NULL;
	return 0;
}

static void test_levels(void **state)
{
	log_info("hello %d", 42);
	log_debug("hidden");
	log_err("bad %s", "thing");
	fflush(mem);
	assert_non_null(strstr(buf, "info: hello 42"));
	assert_null(strstr(buf, "hidden"));
	assert_non_null(strstr(buf, "error: bad thing"));
	assert_int_equal(log_level_parse("debug"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("warn"), LOG_LVL_WARN);
	assert_int_equal(log_level_parse("2"), LOG_LVL_INFO);
	assert_int_equal(log_level_parse("loud"), -1);
	log_set_level(LOG_LVL_DEBUG);
	log_debug("now visible");
	fflush(mem);
	assert_non_null(strstr(buf, "debug: now visible"));
}

static void test_ratelimit(void **state)
{
	struct log_ratelimit rl = { .interval_ns = 3600ull * 1000000000ull, .burst = 3 };
	int i, emitted = 0;
	const char *p;
	int count = 0;

	for (i = 0; i < 10; i++)
		emitted += log_rl(&rl, LOG_LVL_WARN, "guest flood %d", i);
	fflush(mem);
	assert_int_equal(emitted, 3);
	assert_int_equal(rl.suppressed, 7);
	for (p = buf; (p = strstr(p, "guest flood")); p++)
		count++;
	assert_int_equal(count, 3);
	/* A new interval reports what was suppressed. */
	rl.begin -= rl.interval_ns;
	assert_true(log_rl(&rl, LOG_LVL_WARN, "after"));
	fflush(mem);
	assert_non_null(strstr(buf, "7 similar messages suppressed"));
}

static void test_journald(void **state)
{
	char path[] = "/tmp/test-log-journalXXXXXX";
	char sock[64], dgram[2048];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;
	ssize_t n;
	const char *m;

	assert_non_null(mkdtemp(path));
	snprintf(sock, sizeof(sock), "%s/socket", path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	log_set_journal_socket(sock);
	assert_int_equal(log_set_target(LOG_TO_JOURNALD), 0);
	log_warn("line one\nline two");
	n = recv(fd, dgram, sizeof(dgram), MSG_DONTWAIT);
	assert_true(n > 0);
	assert_non_null(memmem(dgram, (size_t)n, "PRIORITY=4\n", 11));
	assert_non_null(memmem(dgram, (size_t)n, "SYSLOG_IDENTIFIER=scmi-mediator\n", 32));
	m = memmem(dgram, (size_t)n, "MESSAGE\n", 8);
	assert_non_null(m);
	m += 8;
	assert_int_equal(m[0], 17); /* le64 length of the message */
	assert_memory_equal(m + 8, "line one\nline two\n", 18);
	assert_int_equal(log_set_target(LOG_TO_STDERR), 0);
	/* unreachable journal: falls back to stderr */
	unlink(sock);
	assert_int_equal(log_set_target(LOG_TO_JOURNALD), -1);
	assert_int_equal(log_get_target(), LOG_TO_STDERR);
	log_set_journal_socket(NULL);
	close(fd);
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journald, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
