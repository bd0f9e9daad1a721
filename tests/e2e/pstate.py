#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""pstate.py STATE QUERY...  -- reads the platform's physical state.

STATE: a `scmictl platform-state --json` dump (a file, or - for stdin).
Queries (one output line each):
  clock ID enabled        1 or 0: the platform clock runs
  clock ID vote AGENT     1 or 0: AGENT votes the clock on
  power ID on             1 or 0: the platform power domain is on (state 0)
  power ID vote AGENT     the state AGENT votes (hex), or "none"
  perf ID level           the domain's current performance level
  votes AGENT             every vote of AGENT (clocks, power domains) as
                          one string, to compare two moments
On an unreadable dump or query it says why on stderr and prints "?", so
that a check comparing the output fails. Used by tests/e2e/run.sh.
"""
import json
import sys


def main():
    src, q = sys.argv[1], sys.argv[2:]
    try:
        s = json.load(sys.stdin if src == "-" else open(src))
        s = s.get("result", s)
        byid = {k: {e["id"]: e for e in s[k]} for k in ("clock", "power", "perf")}
        out = []
        while q:
            if q[0] == "votes":
                a = q[1]
                out.append(" ".join(
                    ["c%d=%d" % (i, (c["votes"] >> int(a)) & 1) for i, c in sorted(byid["clock"].items())] +
                    ["p%d=%s" % (i, p.get("votes", {}).get(a, "none")) for i, p in sorted(byid["power"].items())]))
                q = q[2:]
                continue
            kind, i, what = q[0], int(q[1]), q[2]
            e = byid[kind][i]
            if kind == "clock" and what == "enabled":
                out.append("1" if e["enabled"] else "0"); q = q[3:]
            elif kind == "clock" and what == "vote":
                out.append(str((e["votes"] >> int(q[3])) & 1)); q = q[4:]
            elif kind == "power" and what == "on":
                out.append("1" if e["state"] == 0 else "0"); q = q[3:]
            elif kind == "power" and what == "vote":
                v = e.get("votes", {}).get(q[3])
                out.append("none" if v is None else "%x" % v); q = q[4:]
            elif kind == "perf" and what == "level":
                out.append(str(e["level"])); q = q[3:]
            else:
                raise ValueError("unknown query %s" % " ".join(q))
    except Exception as ex:  # any malformed state or query is a failed check
        print("pstate: %s: %s" % (src, ex), file=sys.stderr)
        print("?")
        return
    print("\n".join(out))


main()
