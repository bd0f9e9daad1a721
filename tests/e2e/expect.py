#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""What a guest should see, derived independently of the mediator's C code.

Reads the platform description and (if given) the guest's policy, both in
xl.cfg syntax, and prints the guest's view as "key value..." lines:
  protocols 10 11 ...       protocol ids (hex, without 0x)
  clocks N / clock GID NAME RATE PLATID
  power N / power GID NAME PLATID
  sensors N, resets N, voltages N, perf N, powercaps N
  identity VENDOR SUB_VENDOR IMPL_VERSION (hex)
  agent_name NAME           (the policy's agent_name, if any)
  version PROTO_HEX MAJOR.MINOR LINUX_WORD   the version the guest should see
  sensor GID NAME PLATID TYPE EXP MIN MAX
  voltage GID NAME PLATID levels UV... | range MIN MAX STEP   (as the guest sees them: cut to range=)
  clockrates GID RANGED list HZ... | clockrates GID RANGED triplet MIN MAX STEP
  voltlevels GID RANGED list UV... | voltlevels GID RANGED triplet MIN MAX STEP
                            the value list the guest's DESCRIBE_RATES / DESCRIBE_LEVELS
                            must give, cut to the policy's range= (RANGED 1) or whole (0)
  perf GID NAME PLATID / perffreqs GID SUSTAINED_KHZ KHZ...   (indicative frequencies of the levels within range=)
  perfrefused GID LEVEL...  its levels outside the policy's range= (refused)
Used by run.sh to build the guest DTB and to judge the guest's reports.
"""
import re
import sys

# Protocol versions of the SCMI v3.2 specification (the ones the platform
# implements, docs/protocol.md "Protocol versions") and the word Linux 6.12
# prints before "Version" when it initialises the protocol (dev_dbg).
VERSION = {"power": ("3.1", "Power"), "system": ("2.1", "System Power"),
           "perf": ("4.0", "Performance"), "clock": ("3.0", "Clock"),
           "sensor": ("3.1", "Sensor"), "reset": ("3.1", "Reset"),
           "voltage": ("2.1", "Voltage"), "powercap": ("2.0", "Powercap"),
           "pinctrl": ("1.0", "Pinctrl")}
PROTO = {"base": 0x10, "power": 0x11, "system": 0x12, "perf": 0x13, "clock": 0x14,
         "sensor": 0x15, "reset": 0x16, "voltage": 0x17, "powercap": 0x18, "pinctrl": 0x19}


def read_cfg(path):
    """Minimal reader for the subset of xl.cfg syntax our files use."""
    text = open(path).read()
    out, i, n = {}, 0, len(text)
    tok = re.compile(r'\s*(?:#[^\n]*\n?)*')

    def skip(i):
        while True:
            m = tok.match(text, i)
            if m.end() == i:
                return i
            i = m.end()

    def value(i):
        i = skip(i)
        if text[i] == '"':
            j = text.index('"', i + 1)
            return text[i + 1:j], j + 1
        if text[i] == '[':
            items, i = [], i + 1
            while True:
                i = skip(i)
                if text[i] == ']':
                    return items, i + 1
                v, i = value(i)
                items.append(v)
                i = skip(i)
                if text[i] == ',':
                    i += 1
        m = re.compile(r'[^\s,\]]+').match(text, i)
        return m.group(0), m.end()

    while True:
        i = skip(i)
        if i >= n:
            return out
        m = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*\+?=').match(text, i)
        if not m:
            raise SystemExit(f"{path}: cannot read near offset {i}")
        v, i = value(m.end())
        out[m.group(1)] = v
        i = skip(i)
        if i < n and text[i] == ';':
            i += 1


def spec(s):
    d = {}
    for kv in s.split(","):
        k, _, v = kv.partition("=")
        d[k.strip()] = v.strip()
    return d


def prange(r):
    """A policy's range=MIN-MAX (either may be negative) as (MIN, MAX) or None."""
    if not r:
        return None
    m = re.fullmatch(r"(-?\d+)-(-?\d+)", r)
    if not m:
        raise SystemExit("expect.py: cannot read range=" + r)
    return int(m.group(1)), int(m.group(2))


def cut(kind, vals, rng):
    """The guest's list (docs/policy.md "Value lists and range="): a list
    keeps the values within the range; a triplet [min, max, step] has min
    raised and max lowered into the range onto its grid min + k * step
    (nothing on the grid within it: the empty list)."""
    if rng is None:
        return kind, vals
    lo, hi = rng
    if kind == "list":
        return kind, [v for v in vals if lo <= v <= hi]
    mn, mx, step = vals
    a, b = max(mn, lo), min(mx, hi)
    if step:
        a = mn + -(-(a - mn) // step) * step      # up onto the grid
        b = mn + ((b - mn) // step) * step        # down onto the grid
    return ("triplet", [a, b, step]) if a <= b else ("list", [])


def main():
    plat = read_cfg(sys.argv[1])
    pol = read_cfg(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
    clocks = [spec(c) for c in plat.get("clocks", [])]
    power = [spec(c) for c in plat.get("power_domains", [])]
    res = {"clock": clocks, "power": power,
           "sensor": [spec(c) for c in plat.get("sensors", [])],
           "reset": [spec(c) for c in plat.get("resets", [])],
           "voltage": [spec(c) for c in plat.get("voltages", [])],
           "perf": [spec(c) for c in plat.get("perf", [])],
           "powercap": [spec(c) for c in plat.get("powercaps", [])]}
    # guest id -> (platform id, name override) per protocol
    view = {k: [(i, "") for i in range(len(v))] for k, v in res.items()}
    ranges = {p: [""] * len(v) for p, v in view.items()}
    protos = [p for p in PROTO if p != "base" and (p not in res or res[p])]
    if pol is not None:
        protos = [p for p in pol.get("protocols", []) if p in PROTO and p != "base"]
        keys = {"clock": "clocks", "power": "power", "sensor": "sensors", "reset": "resets",
                "voltage": "voltages", "perf": "perf", "powercap": "powercaps"}
        for p, key in keys.items():
            entries = sorted((spec(e) for e in pol.get(key, [])), key=lambda e: int(e["guest"], 0))
            view[p] = [(int(e["platform"], 0), e.get("name", "")) for e in entries] if p in protos else []
            ranges[p] = [e.get("range", "") for e in entries]
    print("protocols", " ".join(f"{PROTO[p]:x}" for p in sorted(protos, key=PROTO.get)))
    print("identity", plat.get("vendor", ""), plat.get("sub_vendor", ""),
          "%x" % int(plat.get("impl_version", "0"), 0))
    if pol is not None and pol.get("agent_name"):
        print("agent_name", pol["agent_name"])
    older = dict(v.split("=") for v in (pol or {}).get("versions", []))
    for p in sorted(protos, key=PROTO.get):
        if p in VERSION:
            print("version", f"{PROTO[p]:x}", older.get(p, VERSION[p][0]), VERSION[p][1])
    for p in res:
        print(f"{p}s" if p not in ("power",) else "power", len(view[p]))
    for gid, (pid, rename) in enumerate(view["clock"]):
        c = clocks[pid]
        rate = c.get("rate") or c.get("rates", "0").split()[0] or "0"
        print("clock", gid, rename or c["name"], int(rate, 0), pid)
        if "rates" in c:
            kind, vals = "list", [int(r, 0) for r in c["rates"].split()]
        else:
            m = re.fullmatch(r"(\d+)-(\d+)/(\d+)", c["range"])
            kind, vals = "triplet", [int(x) for x in m.groups()]
        rng = prange(ranges["clock"][gid])
        kind, vals = cut(kind, vals, rng)
        print("clockrates", gid, int(rng is not None), kind, " ".join(map(str, vals)))
    for gid, (pid, rename) in enumerate(view["power"]):
        print("domain", gid, rename or power[pid]["name"], pid)
    for gid, (pid, rename) in enumerate(view["perf"]):
        d = res["perf"][pid]
        print("perf", gid, rename or d["name"], pid)
        # the view shows the guest only the levels within the policy's
        # range= (PERF_DESCRIBE_LEVELS cut, docs/policy.md); the others
        # are refused (PERF_LEVEL_SET: OUT_OF_RANGE)
        rng = prange(ranges["perf"][gid])
        lvls = [lv.split(":") for lv in d["levels"].split()]
        ok = [lv for lv in lvls if rng is None or rng[0] <= int(lv[0]) <= rng[1]]
        print("perffreqs", gid, d.get("sustained_freq", "0"), " ".join(lv[3] for lv in ok))
        print("perfrefused", gid, " ".join(lv[0] for lv in lvls if lv not in ok))
    for gid, (pid, rename) in enumerate(view["voltage"]):
        d = res["voltage"][pid]
        rng = prange(ranges["voltage"][gid])
        if "levels" in d:
            kind, vals = cut("list", [int(x, 0) for x in d["levels"].split()], rng)
        else:
            kind, vals = cut("triplet", [int(d[k], 0) for k in ("min", "max", "step")], rng)
        print("voltage", gid, rename or d["name"], pid, "levels" if kind == "list" else "range",
              " ".join(map(str, vals)))
        print("voltlevels", gid, int(rng is not None), kind, " ".join(map(str, vals)))
    for gid, (pid, rename) in enumerate(view["sensor"]):
        d = res["sensor"][pid]
        print("sensor", gid, rename or d["name"], pid, int(d.get("type", "0"), 0),
              d.get("exp", "0"), d.get("min", "-"), d.get("max", "-"))


if __name__ == "__main__":
    main()
