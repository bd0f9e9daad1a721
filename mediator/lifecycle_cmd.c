// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-guest lifecycle commands (lifecycle_cmd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "evloop.h"
#include "lifecycle_cmd.h"
#include "log.h"

struct lc_guest {
	char line[LC_NACTIONS][LC_CMD_LINE_MAX];
	pid_t pid;                  /* running child, 0 none */
	int pidfd;
	enum lc_action act;
	struct ev_timer *deadline;
	struct ev_timer *poll;      /* without pidfds: periodic waitpid */
	struct lc_cmd *lc;
	unsigned idx;
};

struct lc_cmd {
	struct ev_loop *loop;
	uint64_t timeout_ns;
	unsigned n, running;
	struct lc_cmd_stats stats;
	struct lc_guest g[];
};

struct lc_cmd *lc_cmd_new(struct ev_loop *loop, unsigned nguests, uint64_t timeout_ns)
{
	struct lc_cmd *lc = calloc(1, sizeof(*lc) + nguests * sizeof(struct lc_guest));
	unsigned i;

	if (!lc)
		return NULL;
	lc->loop = loop;
	lc->timeout_ns = timeout_ns;
	lc->n = nguests;
	for (i = 0; i < nguests; i++) {
		lc->g[i].pidfd = -1;
		lc->g[i].lc = lc;
		lc->g[i].idx = i;
	}
	return lc;
}

/* Split line at blanks into argv (pointers into buf); -EINVAL when not
 * usable. */
static int split(const char *line, char *buf, size_t cap, char **argv)
{
	char *p;
	int n = 0;

	if (strlen(line) >= cap)
		return -EINVAL;
	strcpy(buf, line);
	for (p = strtok(buf, " \t"); p; p = strtok(NULL, " \t")) {
		if (n >= LC_CMD_MAX_ARGS)
			return -EINVAL;
		argv[n++] = p;
	}
	argv[n] = NULL;
	return n > 0 && argv[0][0] == '/' ? n : -EINVAL;
}

int lc_cmd_set(struct lc_cmd *lc, unsigned guest, enum lc_action act, const char *line)
{
	char buf[LC_CMD_LINE_MAX], *argv[LC_CMD_MAX_ARGS + 1];

	if (guest >= lc->n || act >= LC_NACTIONS)
		return -EINVAL;
	if (!line || !*line) {
		lc->g[guest].line[act][0] = 0;
		return 0;
	}
	if (split(line, buf, sizeof(buf), argv) < 0)
		return -EINVAL;
	strcpy(lc->g[guest].line[act], line);
	return 0;
}

unsigned lc_cmd_running(const struct lc_cmd *lc)
{
	return lc->running;
}

const struct lc_cmd_stats *lc_cmd_stats(const struct lc_cmd *lc)
{
	return &lc->stats;
}

static void finish(struct lc_guest *g, bool block)
{
	struct lc_cmd *lc = g->lc;
	int status = 0;
	pid_t r;

	r = waitpid(g->pid, &status, block ? 0 : WNOHANG);
	if (r == 0)
		return; /* not yet: the pidfd fires again */
	if (g->pidfd >= 0) {
		ev_fd_del(lc->loop, g->pidfd);
		close(g->pidfd);
		g->pidfd = -1;
	}
	if (g->deadline)
		ev_timer_cancel(lc->loop, g->deadline);
	g->deadline = NULL;
	if (g->poll)
		ev_timer_cancel(lc->loop, g->poll);
	g->poll = NULL;
	if (r == g->pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		lc->stats.succeeded++;
		log_info("guest %u: %s command done", g->idx, lc_action_name(g->act));
	} else {
		lc->stats.failed++;
		log_warn("guest %u: %s command failed (%s %d)", g->idx, lc_action_name(g->act),
			 r == g->pid && WIFEXITED(status) ? "exit" : "signal",
			 r == g->pid && WIFEXITED(status) ? WEXITSTATUS(status) :
			 r == g->pid && WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	}
	g->pid = 0;
	lc->running--;
}

static void child_cb(struct ev_loop *loop, int fd, uint32_t events, void *opaque)
{
	(void)loop;
	(void)fd;
	(void)events;
	finish(opaque, false);
}

#define LC_POLL_NS 20000000ull   /* 20 ms, when the kernel has no pidfd_open */

static void poll_cb(struct ev_loop *loop, void *opaque)
{
	struct lc_guest *g = opaque;

	g->poll = NULL;
	if (!g->pid)
		return;
	finish(g, false);
	if (g->pid)
		g->poll = ev_timer_add(loop, ev_now_ns() + LC_POLL_NS, poll_cb, g);
}

static void deadline_cb(struct ev_loop *loop, void *opaque)
{
	struct lc_guest *g = opaque;

	(void)loop;
	g->deadline = NULL;
	if (!g->pid)
		return;
	log_warn("guest %u: %s command still runs after its timeout: killed", g->idx,
		 lc_action_name(g->act));
	g->lc->stats.killed++;
	kill(g->pid, SIGKILL);
	/* the pidfd reports the exit; the child is reaped there */
}

static int action(void *opaque, unsigned guest, enum lc_action act, bool graceful)
{
	struct lc_cmd *lc = opaque;
	char buf[LC_CMD_LINE_MAX], *argv[LC_CMD_MAX_ARGS + 1];
	struct lc_guest *g;
	pid_t pid;
	int pidfd;

	(void)graceful;
	if (guest >= lc->n || act >= LC_NACTIONS)
		return -EINVAL;
	g = &lc->g[guest];
	if (!g->line[act][0])
		return -ENOENT;
	if (g->pid)
		return -EBUSY;
	if (split(g->line[act], buf, sizeof(buf), argv) < 0)
		return -EINVAL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
			close(fd);
		execv(argv[0], argv);
		_exit(127);
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0 && ev_fd_add(lc->loop, pidfd, EPOLLIN, child_cb, g) < 0) {
		close(pidfd);
		pidfd = -1;
		errno = EIO;
	}
	g->poll = NULL;
	if (pidfd < 0) {
		/* no pidfd (old kernel, or a tool that does not know it): poll */
		g->poll = ev_timer_add(lc->loop, ev_now_ns() + LC_POLL_NS, poll_cb, g);
		if (!g->poll) {
			int e = errno ? errno : ENOMEM;

			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			log_err("guest %u: cannot watch the %s command: %s", guest,
				lc_action_name(act), strerror(e));
			return -e;
		}
	}
	g->pid = pid;
	g->pidfd = pidfd;
	g->act = act;
	g->deadline = lc->timeout_ns ?
		ev_timer_add(lc->loop, ev_now_ns() + lc->timeout_ns, deadline_cb, g) : NULL;
	lc->running++;
	lc->stats.started++;
	log_info("guest %u: %s: running %s", guest, lc_action_name(act), argv[0]);
	return 0;
}

void lc_cmd_free(struct lc_cmd *lc)
{
	unsigned i;

	if (!lc)
		return;
	for (i = 0; i < lc->n; i++)
		if (lc->g[i].pid) {
			kill(lc->g[i].pid, SIGKILL);
			finish(&lc->g[i], true);
		}
	free(lc);
}

const struct lifecycle_ops lc_cmd_ops = { .action = action };
