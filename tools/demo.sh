#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The scmi-mediator demo (make demo): starts the daemon with the example
# configuration (embedded platform, two guests) in a temporary directory
# and drives a short session with scmictl as BOTH guests, showing what
# each guest sees and what the platform physically does. Every step is
# checked; any failure stops the demo with a non-zero exit.
#   BUILD_BIN=build/gcc/bin tools/demo.sh
# Resources used: ids as the guests see them through their policies
# (config/examples/guest1.policy, guest2.policy), and the platform's ids
# for the physical-state checks. The defaults fit config/examples/mediator.cfg
# on config/platforms/reference.cfg:
# DEMO_CLOCK / DEMO_CLOCK_PLAT (the UART clock both guests share by
# reference count: guest id 0, platform id 6), DEMO_ASYNC_CLOCK /
# DEMO_ASYNC_CLOCK_PLAT (guest 1's GPU clock with notifications and
# asynchronous rate changes: guest id 1, platform id 2), DEMO_POWER (guest
# 1's power domain 0: the GPU domain), DEMO_RO_CLOCK (guest 2's read-only
# display clock: 2) and DEMO_HIDDEN_CLOCK (an id guest 2 cannot see: 3). DEMO_KEEP=1 keeps the temporary directory.
set -euo pipefail

BIN=${BUILD_BIN:-build/gcc/bin}
SRC_CFG=${DEMO_CONFIG:-config/examples/mediator.cfg}
T=${DEMO_STEP_TIMEOUT:-20}
CLK=${DEMO_CLOCK:-0}
CLK_PLAT=${DEMO_CLOCK_PLAT:-6}
ACLK=${DEMO_ASYNC_CLOCK:-1}
ACLK_PLAT=${DEMO_ASYNC_CLOCK_PLAT:-2}
PD=${DEMO_POWER:-0}
RO_CLK=${DEMO_RO_CLOCK:-2}
HIDDEN_CLK=${DEMO_HIDDEN_CLOCK:-3}

if [ -t 1 ]; then
	B=$'\e[1m'; G=$'\e[32m'; R=$'\e[31m'; C=$'\e[36m'; N=$'\e[0m'
else
	B=; G=; R=; C=; N=
fi

die() { echo "${R}demo: FAILED: $*${N}" >&2; exit 1; }
for f in "$BIN/scmi-mediator" "$BIN/scmictl"; do
	[ -x "$f" ] || die "$f is not built (run make)"
done
[ -f "$SRC_CFG" ] || die "$SRC_CFG not found"
command -v python3 >/dev/null || die "python3 is needed (tools/deps.sh installs it)"

WORK=$(mktemp -d /tmp/scmi-demo.XXXXXX)
DAEMON_PID=
cleanup() {
	local rc=$?
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -KILL "$DAEMON_PID" 2>/dev/null || true
		wait "$DAEMON_PID" 2>/dev/null || true
	fi
	if [ $rc -ne 0 ] && [ -f "$WORK/daemon.log" ]; then
		echo "---- daemon log (last 30 lines) ----" >&2
		tail -n 30 "$WORK/daemon.log" >&2
	fi
	if [ "${DEMO_KEEP:-0}" = 1 ]; then
		echo "demo: kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- configuration: the example, with sockets moved into $WORK -------------
# Socket paths become $WORK/<file name>; a relative platform_config is made
# absolute (it is relative to the configuration file).
CFG="$WORK/mediator.cfg"
python3 - "$SRC_CFG" "$WORK" > "$CFG" <<'EOF'
import os, re, sys
src, work = sys.argv[1], sys.argv[2]
text = open(src).read()
base = os.path.dirname(os.path.abspath(src))
def plat(m):
    p = m.group(2)
    return m.group(1) + (p if os.path.isabs(p) else os.path.join(base, p)) + m.group(3)
text = re.sub(r'(platform_config\s*=\s*")([^"]*)(")', plat, text)
text = re.sub(r'(policy=)([^,"\s]+)',
              lambda m: m.group(1) + (m.group(2) if os.path.isabs(m.group(2))
                                      else os.path.join(base, m.group(2))), text)
text = re.sub(r'(control_socket\s*=\s*")([^"]*)(")',
              lambda m: m.group(1) + os.path.join(work, "control.sock") + m.group(3), text)
text = re.sub(r'(socket=)([^,"\s]+)',
              lambda m: m.group(1) + os.path.join(work, os.path.basename(m.group(2))), text)
print(text, end="")
EOF
CTL="$WORK/control.sock"
mapfile -t SOCKS < <(grep -v '^[[:space:]]*#' "$CFG" | grep -o 'socket=[^,"]*' | cut -d= -f2)
mapfile -t NAMES < <(grep -v '^[[:space:]]*#' "$CFG" | grep -o 'name=[^,"]*' | cut -d= -f2)
[ "${#SOCKS[@]}" -ge 2 ] || die "$SRC_CFG must define two guests"
G1=${SOCKS[0]}; G2=${SOCKS[1]}

# ---- helpers ------------------------------------------------------------------
step() { echo; echo "${B}== $*${N}"; }
say() { echo "${C}# $*${N}"; }
# run WHO ARGS...: show and run scmictl as a guest (WHO=1|2) or "ctl"
run() {
	local who=$1; shift
	local out rc=0
	case $who in
	1) echo "${B}[${NAMES[0]}]${N} \$ scmictl agent ${NAMES[0]}.sock $*"
	   out=$(timeout "$T" "$BIN/scmictl" agent "$G1" "$@" 2>&1) || rc=$? ;;
	2) echo "${B}[${NAMES[1]}]${N} \$ scmictl agent ${NAMES[1]}.sock $*"
	   out=$(timeout "$T" "$BIN/scmictl" agent "$G2" "$@" 2>&1) || rc=$? ;;
	ctl) echo "${B}[host]${N} \$ scmictl $*"
	   out=$(timeout "$T" "$BIN/scmictl" --ctl "$CTL" "$@" 2>&1) || rc=$? ;;
	esac
	printf '%s\n' "$out" | sed 's/^/    /'
	LAST=$out
	[ $rc -eq 0 ] || die "scmictl $* exited with $rc"
}
# expect PATTERN: the last output must match (extended regex)
expect() {
	printf '%s\n' "$LAST" | grep -Eq -- "$1" || die "expected /$1/ in the output above"
}
# plat_clock ID: "ENABLED RATE VOTES" of clock ID in the platform's
# physical state (one control request)
plat_clock() {
	timeout "$T" "$BIN/scmictl" --ctl "$CTL" platform-state --json | python3 -c '
import json, sys
st = json.load(sys.stdin)
st = st.get("result", st)
c = [c for c in st["clock"] if c["id"] == int(sys.argv[1])][0]
print(str(c["enabled"]).lower(), c["rate"], c.get("votes", "?"))
' "$1"
}
clock_on() { plat_clock "$1" | cut -d' ' -f1; }
# show_clock ID: one line of what the platform's clock is doing
# (and remember in CLOCK_ON whether it runs, from the same snapshot)
show_clock() {
	local rate votes
	read -r CLOCK_ON rate votes < <(plat_clock "$1")
	echo "${B}[platform]${N} clock $1: enabled=$CLOCK_ON rate=$rate Hz votes(agent mask)=$votes"
}
# wait_for COND_CMD...: poll a condition for up to $T seconds
wait_for() {
	for _ in $(seq 1 $((T * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
is_on() { [ "$(clock_on "$1")" = true ]; }
said() { grep -q "$2" "$WORK/g$1.out" 2>/dev/null; }
# session_out N: what a background guest session printed
session_out() { echo "${B}[${NAMES[$(($1 - 1))]} session output]${N}"; sed 's/^/    /' "$WORK/g$1.out"; }

# ---- start the daemon ------------------------------------------------------------
step "Starting scmi-mediator with $SRC_CFG (sockets in $WORK)"
"$BIN/scmi-mediator" -c "$CFG" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 1 200); do
	ok=1
	for s in "$G1" "$G2" "$CTL"; do [ -S "$s" ] || ok=0; done
	[ $ok = 1 ] && break
	kill -0 "$DAEMON_PID" 2>/dev/null || die "the daemon exited at start-up"
	sleep 0.05
done
[ $ok = 1 ] || die "the daemon did not create its sockets within 10 s"
say "daemon pid $DAEMON_PID, guests ${NAMES[0]} and ${NAMES[1]}"
run ctl status
expect "${NAMES[0]}"

# ---- discovery ------------------------------------------------------------------
step "1. Discovery: each guest sees its own SCMI agent"
run 1 base info
expect "agent: .*\"${NAMES[0]}\""
run 2 base info
expect "agent: .*\"${NAMES[1]}\""
run 1 clock list
run 2 power list

# ---- shared clock -------------------------------------------------------------
step "2. A clock shared by both guests: it stops only when nobody needs it"
is_on "$CLK_PLAT" && die "platform clock $CLK_PLAT should start disabled"
say "each guest holds its vote for a while (sleep keeps its session open)"
bg() {   # bg N ARGS...: a guest session in the background
	local n=$1; shift
	local sock=$G1; [ "$n" = 2 ] && sock=$G2
	echo "${B}[${NAMES[$((n - 1))]}]${N} \$ scmictl agent ${NAMES[$((n - 1))]}.sock $* &"
	timeout "$T" "$BIN/scmictl" agent "$sock" "$@" >"$WORK/g$n.out" 2>&1 &
}
bg 1 clock enable "$CLK" -- sleep 6000 -- clock disable "$CLK"
G1_PID=$!
wait_for said 1 "clock $CLK enabled" || die "guest 1 could not enable clock $CLK"
show_clock "$CLK_PLAT"
[ "$CLOCK_ON" = true ] || die "clock $CLK not running after guest 1 enabled it"
say "guest 1 enabled clock $CLK: it runs"
bg 2 clock enable "$CLK" -- sleep 12000 -- clock disable "$CLK"
G2_PID=$!
wait_for said 2 "clock $CLK enabled" || die "guest 2 could not enable clock $CLK"
said 1 "clock $CLK disabled" && die "machine too slow: guest 1 let go before guest 2 came"
say "guest 2 enabled it too"
wait "$G1_PID" || { session_out 1; die "guest 1's session failed"; }
session_out 1
show_clock "$CLK_PLAT"
said 2 "clock $CLK disabled" && die "machine too slow: guest 2 let go before the check"
[ "$CLOCK_ON" = true ] || die "clock $CLK stopped although guest 2 still votes for it"
say "guest 1 disabled clock $CLK, but it keeps running: guest 2 still votes for it"
wait "$G2_PID" || { session_out 2; die "guest 2's session failed"; }
session_out 2
show_clock "$CLK_PLAT"
[ "$CLOCK_ON" = false ] || die "clock $CLK still running after both guests let go"
say "guest 2 disabled it too: clock $CLK is off"

# ---- power domain -------------------------------------------------------------
step "3. A power domain on and off"
run 1 power on "$PD" -- power list
run 1 power off "$PD" -- power list

# ---- notification -------------------------------------------------------------
step "4. A notification: guest 1 subscribes to rate changes of clock $ACLK"
run 1 --listen 2000 --count 1 clock rate_notify "$ACLK" 1 -- clock rate "$ACLK" 200000000
expect "CLOCK_RATE_CHANGED"
expect "rate: 200000000"
show_clock "$ACLK_PLAT"

# ---- delayed response ------------------------------------------------------
step "5. A delayed response: asynchronous rate change of clock $ACLK"
run 1 --async clock rate "$ACLK" 400000000
expect "delayed response clock CLOCK_RATE_SET"
expect "rate: 400000000"
run 1 clock rate "$ACLK"
expect "rate 400000000 Hz"
say "guest 2 may read its display clock but not change it (policy: rights=read):"
echo "${B}[${NAMES[1]}]${N} \$ scmictl agent ${NAMES[1]}.sock clock rate $RO_CLK 100000000"
out=$(timeout "$T" "$BIN/scmictl" agent "$G2" clock rate "$RO_CLK" 100000000 2>&1) && \
	die "guest 2 could change its read-only clock $RO_CLK: $out"
printf '%s\n' "$out" | sed 's/^/    /'
printf '%s\n' "$out" | grep -q DENIED || die "expected DENIED for guest 2's read-only clock"
say "guest 2 cannot see guest 1's GPU clock: id $HIDDEN_CLK does not exist in its view:"
echo "${B}[${NAMES[1]}]${N} \$ scmictl agent ${NAMES[1]}.sock clock attributes $HIDDEN_CLK"
out=$(timeout "$T" "$BIN/scmictl" agent "$G2" clock attributes "$HIDDEN_CLK" 2>&1) && \
	die "guest 2 could see clock $HIDDEN_CLK: $out"
printf '%s\n' "$out" | sed 's/^/    /'
printf '%s\n' "$out" | grep -q NOT_FOUND || die "expected NOT_FOUND for a clock outside guest 2's view"
show_clock "$ACLK_PLAT"

# ---- platform ------------------------------------------------------------------
step "6. What the platform did"
run ctl platform-state
run ctl status

# ---- stop ------------------------------------------------------------------------
step "Stopping the daemon with SIGTERM"
kill -TERM "$DAEMON_PID"
rc=0
for _ in $(seq 1 100); do
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$DAEMON_PID" 2>/dev/null && die "the daemon did not exit within 10 s of SIGTERM"
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=
[ $rc -eq 0 ] || die "the daemon exited with status $rc"
echo
echo "${G}${B}demo: all steps passed; the daemon exited cleanly (status 0)${N}"
