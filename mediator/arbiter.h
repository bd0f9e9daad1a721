/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arbiter: resources several guests share on one platform channel.
 *
 * Guests that share a platform channel are one agent for the platform, so
 * the platform cannot keep their votes apart. The arbiter keeps them: per
 * (protocol, platform id) and per guest index, it records what each guest
 * asked for, sends the platform only the aggregate (clock/power on while
 * any guest votes on, perf level = max of the requests, shared clock rate
 * per the conflict rule), answers a guest's request that does not change
 * the aggregate locally, gives each guest its own state back on reads, and
 * withdraws a departed guest's votes (emitting the platform commands that
 * the new aggregate needs). Semantics: docs/arbitration.md.
 *
 * Messages handed to the arbiter carry PLATFORM ids (the guest's view has
 * validated and renumbered them) and res is the guest's policy entry for
 * the addressed resource (NULL: not a resource command).
 */
#ifndef ARBITER_H
#define ARBITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "policy.h"

#define ARB_MAX_GUESTS 64

struct arbiter;

struct arb_ops {
	/*
	 * A platform command the arbiter needs sent on its own (hdr with token
	 * 0 + payload, platform ids): the aggregate after a guest's votes were
	 * withdrawn or a request failed. `guest` is the guest whose change
	 * caused it (the filter sends it on that guest's channel with
	 * agent_inject_detached()). The response is not needed.
	 */
	void (*emit)(void *opaque, unsigned guest, const uint8_t *msg, size_t len);
	/*
	 * A remembered exclusive setting sent again after a platform reset
	 * (arb_replay_settings; hdr token 0, platform ids), on behalf of
	 * `guest`. Returns < 0 when it cannot be sent. The caller reports the
	 * platform's status with arb_replay_result(). NULL: emit() is used.
	 */
	int (*replay)(void *opaque, unsigned guest, const uint8_t *msg, size_t len);
};

/* Remembered exclusive settings per arbiter (platform channel), and the
 * longest command remembered. */
#define ARB_SETTINGS_MAX 512
#define ARB_SETTING_LEN 32

struct arb_stats {
	uint64_t local;        /* requests answered without the platform */
	uint64_t rewritten;    /* requests forwarded with the aggregate */
	uint64_t denied;       /* non-owner / conflict denials */
	uint64_t readbacks;    /* responses rewritten with the guest's own state */
	uint64_t emitted;      /* platform commands made by the arbiter */
	uint64_t withdrawals;  /* guests withdrawn */
	uint64_t reverted;     /* votes reverted after a platform error */
	/* exclusive settings (docs/arbitration.md "Platform reset") */
	uint64_t settings;     /* remembered now */
	uint64_t replayed;     /* sent again after platform resets */
	uint64_t replay_failed;   /* refused by the platform, or not sent */
	uint64_t not_remembered;  /* table full: a setting that will not come back */
};

struct arbiter *arb_new(const struct arb_ops *ops, void *opaque);
void arb_free(struct arbiter *a);
const struct arb_stats *arb_stats(const struct arbiter *a);

/*
 * A guest's command (platform ids) before it is forwarded. May rewrite
 * *msg (same length) to carry the aggregate, or answer it (AGENT_REPLY with
 * resp/resp_len: SUCCESS, DENIED, or a locally read state). guest <
 * ARB_MAX_GUESTS.
 */
enum agent_verdict arb_request(struct arbiter *a, unsigned guest, const struct pol_res *res,
			       uint8_t *msg, size_t len, uint8_t *resp, size_t *resp_len,
			       size_t resp_max);
/*
 * The platform's answer to a command arb_request() let through (req as
 * forwarded). Commits or reverts the guest's pending vote and rewrites
 * state reads (CLOCK_ATTRIBUTES enabled bit, CLOCK_CONFIG_GET) with the
 * guest's own view. Also to be called for a cached CLOCK_ATTRIBUTES answer.
 */
void arb_response(struct arbiter *a, unsigned guest, const struct pol_res *res,
		  const uint8_t *req, size_t req_len, uint8_t *resp, size_t len);
/*
 * The guest left, reset its device or was destroyed: all its votes and
 * ownerships are withdrawn (pending ones included) and the platform is
 * sent what the remaining guests' aggregate needs (ops->emit).
 */
void arb_withdraw(struct arbiter *a, unsigned guest);
/* Forget everything (votes, ownerships, what was sent). */
void arb_platform_reset(struct arbiter *a);
/*
 * The platform was reset and forgot the physical state: every aggregate
 * the platform had been sent (clock enable, power state, shared perf level
 * and clock rate) is sent again through ops->emit; votes and ownerships
 * stay. Returns the number of commands emitted.
 */
unsigned arb_platform_replay(struct arbiter *a);
/*
 * After arb_platform_replay(): the last successful value of each setting
 * a guest made on a resource it owns exclusively (perf level and limits,
 * clock rate and parent, voltage config and level, sensor config and trip
 * points, powercap cap and PAI, pin requests and settings) is sent again
 * through ops->replay, in the order the guests made them. Settings are
 * forgotten with the guest's votes (arb_withdraw). Returns how many.
 */
unsigned arb_replay_settings(struct arbiter *a);
/* The platform's status for a command of arb_replay_settings(). */
void arb_replay_result(struct arbiter *a, int32_t status);
/* Remembered setting of (proto, set command, platform id, sub key: trip
 * point id, pin selector type | config type << 8 ...): copies it to
 * msg (ARB_SETTING_LEN) and returns its length and the owner guest, 0 if
 * none. For tests and the control socket. */
size_t arb_setting(const struct arbiter *a, uint8_t proto, uint8_t set_msg, uint32_t plat_id,
		   uint32_t sub, uint8_t *msg, unsigned *guest);

/* Introspection (tests, control socket). */
bool arb_clock_vote(const struct arbiter *a, uint32_t clock_id, unsigned guest);
/* Aggregate the platform was last sent: clock enable (0/1), power state,
 * perf level or clock rate (proto + msg id of the setter); -1 if none. */
int64_t arb_sent(const struct arbiter *a, uint8_t proto, uint8_t set_msg, uint32_t plat_id);

#endif
