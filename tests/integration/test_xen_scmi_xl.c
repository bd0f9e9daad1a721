// SPDX-License-Identifier: GPL-2.0-only
/*
 * scmi-xl end to end without Xen: a fake `xl` (a shell script logging its
 * arguments, answering `xl domid`) and a fake mediator control socket (a
 * thread answering the xen-attach request) check the start order
 * (create -p, attach, unpause), the request sent, the files written, and
 * that a refused attach destroys the paused domain. Needs BUILD_BIN
 * (set by `make check`) to find scmi-xl.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/test_xen_scmi_xl.XXXXXX";
static char tool[512];

struct fake_ctl {
	int lfd;
	char request[1024];
	const char *answer;
};

static void *ctl_thread(void *arg)
{
	struct fake_ctl *f = arg;
	int fd = accept(f->lfd, NULL, NULL);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return NULL;
	while (n < sizeof(f->request) - 1 && (r = read(fd, f->request + n, 1)) == 1) {
		n++;
		if (f->request[n - 1] == '\n')
			break;
	}
	f->request[n] = 0;
	if (write(fd, f->answer, strlen(f->answer)) < 0)
		f->request[0] = 0;
	close(fd);
	return NULL;
}

static int ctl_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	return fd;
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *read_text(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int group_setup(void **state)
{
	const char *bin = getenv("BUILD_BIN");
	char path[600], script[1024];

	if (!bin || !mkdtemp(dir))
		return -1;
	snprintf(tool, sizeof(tool), "%s/scmi-xl", bin);
	snprintf(path, sizeof(path), "%s/xl", dir);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\n"
		 "echo \"$*\" >> '%s/xl.log'\n"
		 "case \"$1\" in domid) echo 7 ;;\n"
		 "  info) echo 'xen_minor              : 20' ;; esac\n"
		 "exit 0\n", dir);
	write_text(path, script, 0755);
	/* The policy's name needs escaping in the JSON request. */
	snprintf(path, sizeof(path), "%s/p \"1\".policy", dir);
	write_text(path, "protocols = [ \"clock\", \"system\" ]\n", 0644);
	snprintf(path, sizeof(path), "%s/g.cfg", dir);
	snprintf(script, sizeof(script),
		 "name = \"domU1\"\n"
		 "kernel = \"/boot/Image\"\n"
		 "scmi = \"virtio\"\n"
		 "scmi_policy = \"%s/p \\\"1\\\".policy\"\n"
		 "scmi_protocols = [ \"clock\" ]\n", dir);
	write_text(path, script, 0644);
	/* A protocol the policy does not grant; a policy that is not there. */
	snprintf(path, sizeof(path), "%s/ungranted.cfg", dir);
	snprintf(script, sizeof(script),
		 "name = \"domU1\"\nscmi = \"virtio\"\nscmi_policy = \"%s/p \\\"1\\\".policy\"\n"
		 "scmi_protocols = [ \"clock\",\n \"reset\" ]\n", dir);
	write_text(path, script, 0644);
	snprintf(path, sizeof(path), "%s/nopolicy.cfg", dir);
	snprintf(script, sizeof(script),
		 "name = \"domU1\"\nscmi = \"virtio\"\nscmi_policy = \"%s/absent.policy\"\n", dir);
	write_text(path, script, 0644);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int run_cfg(const char *ctl, const char *cfg)
{
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "'%s' create --xl '%s/xl' --ctl '%s' --out-dir '%s/out' '%s/%s' "
		 ">'%s/out.txt' 2>&1", tool, dir, ctl, dir, dir, cfg, dir);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_tool(const char *ctl)
{
	return run_cfg(ctl, "g.cfg");
}

static void test_create_attach_unpause(void **state)
{
	struct fake_ctl f = { .answer = "{\"ok\":true,\"result\":{\"devices\":1}}\n" };
	char ctl[600], path[600], want[700], *s;
	pthread_t th;

	snprintf(ctl, sizeof(ctl), "%s/ctl.sock", dir);
	snprintf(path, sizeof(path), "%s/xl.log", dir);
	unlink(path);
	f.lfd = ctl_listen(ctl);
	assert_int_equal(pthread_create(&th, NULL, ctl_thread, &f), 0);
	assert_int_equal(run_tool(ctl), 0);
	pthread_join(th, NULL);
	close(f.lfd);

	snprintf(want, sizeof(want), "{\"cmd\":\"xen-attach\",\"domid\":7,\"name\":\"domU1\","
		 "\"policy\":\"%s/p \\\"1\\\".policy\"}\n", dir);
	assert_string_equal(f.request, want);
	s = read_text(path);
	assert_non_null(s);
	snprintf(want, sizeof(want), "info\ncreate -p %s/out/domU1.cfg\ndomid domU1\n"
		 "unpause domU1\n", dir);
	assert_string_equal(s, want);
	snprintf(path, sizeof(path), "%s/out/domU1.cfg", dir);
	s = read_text(path);
	assert_non_null(s);
	assert_non_null(strstr(s, "virtio = [ \"type=virtio,device20,transport=mmio,"
				  "grant_usage=0\" ]"));
	snprintf(path, sizeof(path), "%s/out/domU1.dtb", dir);
	assert_int_equal(access(path, R_OK), 0);
}

static void test_refused_attach_destroys(void **state)
{
	struct fake_ctl f = {
		.answer = "{\"ok\":false,\"error\":\"guest domU1 not configured\"}\n",
	};
	char ctl[600], path[600], want[700], *s;
	pthread_t th;

	snprintf(ctl, sizeof(ctl), "%s/ctl2.sock", dir);
	snprintf(path, sizeof(path), "%s/xl.log", dir);
	unlink(path);
	f.lfd = ctl_listen(ctl);
	assert_int_equal(pthread_create(&th, NULL, ctl_thread, &f), 0);
	assert_int_equal(run_tool(ctl), 1);
	pthread_join(th, NULL);
	close(f.lfd);
	s = read_text(path);
	snprintf(want, sizeof(want), "info\ncreate -p %s/out/domU1.cfg\ndomid domU1\n"
		 "destroy domU1\n", dir);
	assert_string_equal(s, want);
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	assert_non_null(strstr(read_text(path), "not configured"));
}

static void test_no_mediator_destroys(void **state)
{
	char ctl[600], path[600], *s;

	snprintf(ctl, sizeof(ctl), "%s/absent.sock", dir);
	snprintf(path, sizeof(path), "%s/xl.log", dir);
	unlink(path);
	assert_int_equal(run_tool(ctl), 1);
	s = read_text(path);
	assert_non_null(strstr(s, "destroy domU1"));
	assert_null(strstr(s, "unpause"));
}

/* scmi-xl reads the guest's policy: a protocol node it does not grant, or
 * a policy it cannot read, stops it before xl creates anything. */
static void test_policy_checked_before_create(void **state)
{
	char ctl[600], path[600], *s;

	snprintf(ctl, sizeof(ctl), "%s/absent.sock", dir);
	snprintf(path, sizeof(path), "%s/xl.log", dir);
	unlink(path);
	assert_int_equal(run_cfg(ctl, "ungranted.cfg"), 1);
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	s = read_text(path);
	assert_non_null(s);
	assert_non_null(strstr(s, "ungranted.cfg:5: protocol 'reset' is not granted by the policy"));
	assert_null(strstr(s, "'clock'"));

	assert_int_equal(run_cfg(ctl, "nopolicy.cfg"), 1);
	s = read_text(path);
	assert_non_null(s);
	assert_non_null(strstr(s, "nopolicy.cfg:3: cannot use the policy"));
	snprintf(path, sizeof(path), "%s/xl.log", dir);
	s = read_text(path);
	assert_true(!s || !strstr(s, "create"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_attach_unpause),
		cmocka_unit_test(test_refused_attach_destroys),
		cmocka_unit_test(test_no_mediator_destroys),
		cmocka_unit_test(test_policy_checked_before_create),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
