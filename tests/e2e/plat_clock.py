#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""plat_clock.py STATE ID [AGENT]

STATE: a `scmictl platform-state --json` dump (a file, or - for stdin).
Prints "VOTES ENABLED" of the platform clock ID (VOTES: the bit mask of
agents voting it on, ENABLED: 0 or 1), or with AGENT just that agent's
vote bit (0 or 1). On an unreadable dump it says why on stderr and prints
"?" so that a check comparing the output fails. Used by tests/e2e and
tests/e2e-xen.
"""
import json
import sys


def clocks(o):
    if isinstance(o, dict):
        if isinstance(o.get("clock"), list):
            return o["clock"]
        for v in o.values():
            r = clocks(v)
            if r is not None:
                return r
    return None


def main():
    src = sys.argv[1]
    try:
        dump = json.load(sys.stdin if src == "-" else open(src))
        c = [c for c in clocks(dump) if c["id"] == int(sys.argv[2])][0]
    except Exception as e:  # any malformed or missing state is a failed check
        print("unreadable platform state %s: %s" % (src, e), file=sys.stderr)
        print("?")
        return
    if len(sys.argv) > 3:
        print((c["votes"] >> int(sys.argv[3])) & 1)
    else:
        print(c["votes"], 1 if c["enabled"] else 0)


main()
