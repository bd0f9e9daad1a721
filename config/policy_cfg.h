/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-guest policy files (xl.cfg syntax, docs/policy.md):
 *
 *   agent_name = "guest1"
 *   protocols = [ "clock", "power", "perf", "sensor" ]
 *   clocks = [ "guest=0,platform=6,rights=control,share=refcount,range=1843200-48000000" ]
 *   perf = [ "guest=0,platform=1,share=max,range=300-1000" ]
 *   sensors = [ "guest=0,platform=0,rights=read" ]
 *   system_power = "guest"          # guest | platform | deny
 *
 * Loading checks one file (against the platform description when there is
 * one); policy_check_set() checks the policies of all guests together
 * (exclusive claims, share modes). Every error is FILE:LINE: message.
 */
#ifndef POLICY_CFG_H
#define POLICY_CFG_H

#include <stdio.h>

#include "../mediator/policy.h"

struct plat_desc;

/* Load and validate; NULL on error (reported to err). pd may be NULL (ids
 * are then checked when the platform reports its resources). */
struct policy *policy_load(const char *path, const struct plat_desc *pd, FILE *err);
struct policy *policy_load_data(const char *name, const char *text, const struct plat_desc *pd,
				FILE *err);
void policy_free(struct policy *p);

/*
 * The policies of all guests at once: a platform resource claimed by two
 * guests conflicts when either claim is exclusive (unless both are
 * read-only), or when their share or conflict modes differ. Returns the
 * number of conflicts (each reported with both files and lines).
 */
int policy_check_set(const struct policy *const *pols, unsigned n, FILE *err);

/* Platform resource count of an id space (proto, pinctrl selector), or -1
 * if the description has no such space. */
int policy_plat_count(const struct plat_desc *pd, uint8_t proto, unsigned sel);

#endif
