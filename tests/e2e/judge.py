#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""judge.py WHAT VIEW CONSOLE [ARGS...]  -- judges a guest's report.

Compares what Linux reported on the guest console ("E2E ..." lines of
guest/init) with the guest's expected view (expect.py). Prints one line per
check, "1<TAB>what was checked" or "0<TAB>...", for run.sh to count:
  probe GUEST_AGENT_ID GUEST_NUM_AGENTS TRANSPORT NAME
      the transport the device sits on, the SCMI core's log lines (vendor,
      protocols and agents, each protocol's version), hwmon sensors with
      labels and values in the sensor's range, regulator voltages,
      the scmi cpufreq policy, SCMI transport error counters; clkview E2E-CLK
  raw GUEST_AGENT_ID NAME
      the raw-mode results (NOT_FOUND outside the view, NOT_SUPPORTED for
      a protocol outside it, DISCOVER_AGENT, the notification's contents)
  lists
      the clocks' and voltage domains' value lists: raw DESCRIBE_RATES /
      DESCRIBE_LEVELS walked page by page from index 0 and from index 1 give
      exactly the view's (range=-cut) lists, past the end of a cut list is
      OUT_OF_RANGE; Linux's clock core holds each clock's rate range and the
      regulator core each regulator's voltages as the cut list's ends
  clkview FILE-PREFIX
      a clk_summary dump (prefix E2E-CLK or E2E-FILE) lists exactly the
      view's clocks, with their rates, none of them enabled by this guest
"""
import re
import sys

HWMON = {2: ("temp", 3), 5: ("in", 3), 6: ("curr", 3), 7: ("power", 6), 8: ("energy", 6)}


def view(path):
    v = {}
    for line in open(path):
        f = line.split()
        if f:
            v.setdefault(f[0], []).append(f[1:])
    return v


def out(ok, what):
    print("%d\t%s" % (1 if ok else 0, what))


def dmesg(con):
    # "E2E-DMESG [    0.512345] arm-scmi arm-scmi.0.auto: ..." -> message
    return [re.sub(r"^E2E-DMESG (\[ *[0-9.]+\] )?", "", l) for l in con if l.startswith("E2E-DMESG ")]


def probe(v, con, gaid, gna, transport, name):
    dm = dmesg(con)
    virt = [l for l in con if l.startswith("E2E virtio ") and "device=0x0020" in l]
    path = virt[0].split("path=")[-1] if virt else ""
    want = {"pci": r"/pci[0-9a-f:]+/[0-9a-f:.]+/virtio\d+$",
            "mmio": r"/platform/[0-9a-f]+\.virtio_mmio/virtio\d+$"}[transport]
    out(re.search(want, path), "the SCMI virtio device sits on %s (%s)" % (transport, path or "none"))
    vend, sub, impl = v["identity"][0]
    out(any(re.search(r"SCMI Protocol v2\.1 '%s:%s' Firmware version 0x%s$" % (
        re.escape(vend), re.escape(sub), impl), l) for l in dm),
        "SCMI core logged vendor %s:%s, firmware 0x%s" % (vend, sub, impl))
    nproto = len(v["protocols"][0])
    out(any(l.endswith("Found %d protocol(s) %s agent(s)" % (nproto, gna)) for l in dm),
        "SCMI core found %d protocols and %s agent(s)" % (nproto, gna))
    own = v.get("agent_name", [[name]])[0][0]
    for i in range(int(gna)):
        exp = "platform" if i == 0 else own if i == int(gaid) else None
        if exp is not None:
            out(any(l.endswith("Agent %d: %s" % (i, exp)) for l in dm),
                "SCMI core logged agent %d as %s" % (i, exp))
    for p, ver, *word in v.get("version", []):
        w = " ".join(word)
        seen = [l for l in dm if re.search(r": %s Version \d+\.\d+$" % w, l)]
        out(any(l.endswith("%s Version %s" % (w, ver)) for l in seen),
            "protocol 0x%s: Linux logged %s Version %s (saw %s)" %
            (p, w, ver, seen[0].split(": ")[-1] if seen else "none"))
    # hwmon: one channel per sensor of a hwmon type, labelled with its name,
    # its value within the sensor's range
    inputs = {(f[2], f[3].rsplit("_", 1)[0]): f[4] if len(f) > 4 else ""
              for f in (l.split() for l in con if l.startswith("E2E hwmon scmi_sensors "))}
    labels = {" ".join(f[4:]): f[3].rsplit("_", 1)[0]
              for f in (l.split() for l in con if l.startswith("E2E hwmon-label scmi_sensors "))}
    nh = 0
    for gid, sname, pid, typ, exp, lo, hi in v.get("sensor", []):
        if int(typ) not in HWMON:
            continue
        nh += 1
        kind, k = HWMON[int(typ)]
        ch = labels.get(sname)
        val = inputs.get(("scmi_sensors", ch)) if ch else None
        scale = 10 ** (int(exp) + k)
        ok = ch is not None and ch.startswith(kind) and val is not None and \
            re.fullmatch(r"-?\d+", val) and int(lo) * scale <= int(val) <= int(hi) * scale
        out(ok, "hwmon %s is %s = %s, within %g..%g" % (sname, ch, val, int(lo) * scale, int(hi) * scale))
    out(len(inputs) == nh, "hwmon has exactly %d SCMI channels (saw %d)" % (nh, len(inputs)))
    # regulators: each of the view's voltage domains, at one of its levels
    regs = {f[2]: f[3][3:] for f in (l.split() for l in con if l.startswith("E2E regulator ")) if len(f) > 3}
    for gid, rname, pid, kind, *lv in v.get("voltage", []):
        uv = regs.get(rname, "")
        lv = list(map(int, lv))
        ok = uv.isdigit() and (int(uv) in lv if kind == "levels" else lv[0] <= int(uv) <= lv[1])
        out(ok, "regulator %s registered at %s uV (%s %s)" % (rname, uv or "none", kind, lv))
    out(set(regs) - {"regulator-dummy"} == {r[1] for r in v.get("voltage", [])},
        "regulators are exactly the view's voltage domains (saw %s)" % sorted(set(regs) - {"regulator-dummy"}))
    # genpd: exactly the view's power domains and its perf domains (NAME_ID)
    pds = {m.group(1) for m in (re.match(r"^E2E-GENPD (\S+) +(on|off-\d+)\b", l) for l in con) if m}
    want = {d[1] for d in v.get("domain", [])} | {"%s_%s" % (p[1], p[0]) for p in v.get("perf", [])}
    out(pds == want, "pm_genpd lists exactly %s (saw %s)" % (sorted(want), sorted(pds)))
    # cpufreq on the guest's perf domain 0
    if v.get("perffreqs"):
        cf = {f[3]: f[4:] for f in (l.split() for l in con if l.startswith("E2E cpufreq policy0 "))}
        sus = int(v["perffreqs"][0][1])
        freqs = sorted(map(int, v["perffreqs"][0][2:]))
        out(cf.get("scaling_driver") == ["scmi"], "cpufreq policy0 driven by scmi (%s)" % cf.get("scaling_driver"))
        # Linux makes the levels above the sustained frequency boost ones.
        norm = [f for f in freqs if not sus or f <= sus]
        boost = [f for f in freqs if sus and f > sus]
        got = sorted(map(int, cf.get("scaling_available_frequencies", [])))
        gotb = sorted(map(int, cf.get("scaling_boost_frequencies", [])))
        out(got == norm and gotb == boost, "cpufreq frequencies %s + boost %s are the perf domain's levels %s + %s"
            % (got, gotb, norm, boost))
        out(cf.get("cpuinfo_max_freq") == [str(freqs[-1])] and cf.get("cpuinfo_min_freq") == [str(freqs[0])],
            "cpufreq range %s..%s kHz" % (cf.get("cpuinfo_min_freq"), cf.get("cpuinfo_max_freq")))
    # the transport's own error counters (CONFIG_ARM_SCMI_DEBUG_COUNTERS)
    cnt = {f[2]: f[3] for f in (l.split() for l in con if l.startswith("E2E counter ")) if len(f) > 3}
    # (err_protocol counts replies with a non-zero SCMI status: legitimate.)
    # A delayed response Linux takes before its response (two virtqueues,
    # two interrupts: under TCG both may be pending at once) is accepted by
    # Linux ("Received valid OoO Delayed Response"), which then counts the
    # late response as one invalid message (counters are read at the report,
    # the warnings counted over the whole console). Any other invalid one fails.
    ooo = sum("Received valid OoO Delayed Response" in l for l in con)
    bad = {k: c for k, c in cnt.items() if (k.startswith("err_msg") or "fail" in k or "timeout" in k) and c != "0"}
    if "err_msg_invalid" in bad and int(bad["err_msg_invalid"]) <= ooo:
        del bad["err_msg_invalid"]
    out(cnt and not bad, "SCMI transport error counters 0 (%s; err_protocol %s; out-of-order delayed responses %d)" %
        (bad or "%d counters" % len(cnt), cnt.get("err_protocol"), ooo))
    # the guest is shown only the levels its policy allows: cpufreq never
    # asks for a refused one
    refused = [r[1:] for r in v.get("perfrefused", [])]
    failed = sum("Failed to change cpu frequency" in l for l in con)
    out(failed == 0, "cpufreq set no level in vain (%d failures; levels the policy refuses and hides: %s)"
        % (failed, refused))


def words(line):
    m = re.search(r"values=(\S*)", line)
    return [int(x, 16) for x in m.group(1).split(",") if x] if m else []


def raw(v, con, gaid, name):
    lines = [l for l in con if l.startswith("E2E raw ")]

    def status(req):
        for l in lines:
            if l.startswith("E2E raw %s -> reply " % req):
                m = re.search(r"status=(-?\d+)", l)
                return int(m.group(1)) if m else None, l
        return None, ""
    n = {k: int(v[k][0][0]) for k in ("clocks", "power", "sensors", "resets", "voltages", "perfs")}
    for what, req in (("clock", "0x14 0x3 %d" % n["clocks"]), ("power domain", "0x11 0x3 %d" % n["power"]),
                      ("perf domain", "0x13 0x3 %d" % n["perfs"]), ("sensor", "0x15 0x6 %d 0" % n["sensors"]),
                      ("reset domain", "0x16 0x3 %d" % n["resets"]),
                      ("voltage domain", "0x17 0x3 %d" % n["voltages"])):
        st, _ = status(req)
        out(st == -4, "raw %s id %s (outside the view) is NOT_FOUND (status %s)" % (what, req.split()[2], st))
    protos = v["protocols"][0]
    for p in ("18", "19"):
        if p not in protos:
            st, _ = status("0x%s 0x0" % p)
            out(st == -1, "raw PROTOCOL_VERSION of protocol 0x%s (not in the policy) is NOT_SUPPORTED (status %s)" % (p, st))
    st, l = status("0x14 0x6 0")
    out(st == 0, "raw CLOCK_RATE_GET 0 succeeds")
    st, l = status("0x10 0x7 0xffffffff")
    w = words(l)
    got = b"".join(x.to_bytes(4, "little") for x in w[1:]).split(b"\0")[0].decode(errors="replace") if w else ""
    own = v.get("agent_name", [[name]])[0][0]
    out(st == 0 and w and w[0] == int(gaid) and got == own,
        "raw DISCOVER_AGENT(own): id %s name %r (want %s %r)" % (w[0] if w else None, got, gaid, own))
    nl = [l for l in con if l.startswith("E2E notif ")]
    m = re.search(r"notif hdr=0x([0-9a-f]+)", nl[0]) if nl else None
    h = int(m.group(1), 16) if m else None
    nw = words(nl[0]) if nl else []
    ok = h is not None and (h >> 10) & 0xff == 0x11 and (h >> 8) & 3 == 3 and h & 0xff == 0 and \
        len(nw) == 3 and nw[1] == 0 and nw[2] == 0
    out(ok, "POWER_STATE_CHANGED of domain 0 to on arrived on the eventq (%s)" % (nl[0][9:] if nl else "none"))
    out(ok and nw[0] == int(gaid), "the notification names the guest's own agent id %s (%s)" %
        (gaid, nw[0] if nw else None))
    asy = [l for l in con if l.startswith("E2E async ")]
    out(any(re.search(r" dresp .* status=0 ", l) for l in asy), "async sensor reading: delayed response arrived")


def walk(con, req):
    """The pages of one "list" step: [(idx, status, flags, words)]."""
    pages = []
    for l in con:
        m = re.match(r"^E2E list %s -> page idx=(\d+) reply .*status=(-?\d+)" % re.escape(req), l)
        if m:
            w = words(l)
            pages.append((int(m.group(1)), int(m.group(2)), w[0] if w else None, w[1:]))
    return pages


def decode(proto, ws):
    if proto == 0x14:   # 64-bit rates: low word, high word
        return [ws[i] | ws[i + 1] << 32 for i in range(0, len(ws) - 1, 2)]
    return [x - (1 << 32) if x >> 31 else x for x in ws]   # signed microvolts


def paged(proto, pages, start, want, triplet):
    """Checks a walk from guest index start: each page starts where the last
    ended, counts its returned and remaining values right; the values are
    exactly want (want[start:] of a list)."""
    got, idx, ok, why = [], start, bool(pages), []
    for pidx, st, f, ws in pages:
        if st != 0 or f is None:
            ok = False
            why.append("idx %d status %s" % (pidx, st))
            break
        n, rem = f & 0xfff, f >> 16
        vals = decode(proto, ws)
        if pidx != idx or len(vals) != n or bool(f & 0x1000) != triplet:
            ok = False
            why.append("idx %d: %d values, flags 0x%x" % (pidx, len(vals), f))
        got += vals
        idx += n
        if not triplet and rem != max(len(want) - idx, 0):
            ok = False
            why.append("idx %d: remaining %d, want %d" % (pidx, rem, max(len(want) - idx, 0)))
    exp = want if triplet else want[start:]
    return ok and got == exp, "%s in %d page(s)%s" % (got, len(pages), " (" + "; ".join(why) + ")" if why else "")


def lists(v, con):
    names = {("clock", c[0]): c[1] for c in v.get("clock", [])}
    names.update({("voltage", c[0]): c[1] for c in v.get("voltage", [])})
    crange = {f[2]: (int(f[3]), int(f[4])) for f in (l.split() for l in con if l.startswith("E2E clkrange "))
              if len(f) > 4}
    regs = {f[2]: dict(x.split("=", 1) for x in f[3:] if "=" in x)
            for f in (l.split() for l in con if l.startswith("E2E regulator ")) if len(f) > 3}
    for key, proto, what in (("clockrates", 0x14, "clock"), ("voltlevels", 0x17, "voltage")):
        for gid, ranged, kind, *vals in v.get(key, []):
            vals, triplet, name = list(map(int, vals)), kind == "triplet", names.get((what, gid), "?")
            cut = "cut to range=" if ranged == "1" else "whole"
            base = "0x%x 0x4 %s" % (proto, gid)
            ok, got = paged(proto, walk(con, base + " 0"), 0, vals, triplet)
            out(ok, "raw DESCRIBE of %s %s (%s, %s) from index 0: %s, want %s" % (what, gid, name, cut, got, vals))
            if not triplet and len(vals) > 1:
                ok, got = paged(proto, walk(con, base + " 1"), 1, vals, False)
                out(ok, "raw DESCRIBE of %s %s from index 1: %s, want %s" % (what, gid, got, vals[1:]))
            if not triplet and ranged == "1":
                p = walk(con, base + " %d" % len(vals))
                st = p[0][1] if p else None
                out(st == -5, "raw DESCRIBE of %s %s from index %d (past its cut list) is OUT_OF_RANGE (status %s)"
                    % (what, gid, len(vals), st))
            ends = (vals[0], vals[1] if triplet else vals[-1]) if vals else None
            if what == "clock":
                out(crange.get(name) == ends, "Linux's clock %s rate range %s, want %s (%s)"
                    % (name, crange.get(name), ends, cut))
            else:
                r = regs.get(name, {})
                if ends and ends[0] != ends[1]:
                    got = (r.get("min"), r.get("max"))
                    out(got == tuple(map(str, ends)), "Linux's regulator %s offers %s..%s uV, want %s..%s (%s)"
                        % (name, got[0], got[1], ends[0], ends[1], cut))
                else:
                    out(ends is not None and r.get("uv") == str(ends[0]) and not r.get("min"),
                        "Linux's regulator %s is fixed at %s uV (min %r), want %s (%s)"
                        % (name, r.get("uv"), r.get("min"), ends, cut))


def clkview(v, con, prefix):
    rows = {}
    for l in con:
        m = re.match(r"^%s +([A-Za-z0-9_.-]+) +(\d+) +(\d+) +(\d+) +(\d+) " % prefix, l)
        if m and m.group(1) != "clk24mhz":   # QEMU virt's own fixed clock
            rows[m.group(1)] = (int(m.group(2)), int(m.group(5)))
    want = {c[1]: int(c[2]) for c in v.get("clock", [])}
    out(set(rows) == set(want), "%s lists exactly the clocks %s (saw %s)" % (prefix, sorted(want), sorted(rows)))
    for cname, rate in want.items():
        out(cname in rows and rows[cname][1] == rate,
            "%s: %s at %d Hz (saw %s)" % (prefix, cname, rate, rows.get(cname, (None, None))[1]))
    return rows


def main():
    what, v, con = sys.argv[1], view(sys.argv[2]), open(sys.argv[3]).read().splitlines()
    if what == "probe":
        probe(v, con, *sys.argv[4:8])
        clkview(v, con, "E2E-CLK")
    elif what == "raw":
        raw(v, con, *sys.argv[4:6])
    elif what == "lists":
        lists(v, con)
    elif what == "clkview":
        rows = clkview(v, con, sys.argv[4])
        if len(sys.argv) > 5:  # and none of them enabled by this guest
            en = {k: e for k, (e, _) in rows.items() if e}
            out(not en, "%s: this guest enables none of its clocks (%s)" % (sys.argv[4], en or "none"))
    else:
        raise SystemExit("judge.py: unknown check " + what)


main()
