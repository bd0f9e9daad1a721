#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# End to end with real Linux guests (make e2e): two arm64 Linux 6.12 guests
# under QEMU 10 (TCG), one on vhost-user-scmi-pci and one on vhost-user-scmi
# (virtio-mmio), both served at once by one scmi-mediator with the embedded
# reference platform, each through its own policy. Every judgement is made
# here, from what Linux itself reports on the guest consoles and from the
# platform's physical state (scmictl platform-state).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
t_start=$(date +%s.%N)
eval "$("$here/setup.sh" | grep -E '^[A-Z_]+=')"
t_setup=$(date +%s.%N)
make -C "$repo" -j"$(nproc)" --no-print-directory all >/dev/null
BIN=$repo/build/gcc/bin
W=$(mktemp -d /tmp/scmi-e2e.XXXXXX)
PLATFORM=${E2E_PLATFORM:-$repo/config/platforms/reference.cfg}
VMS=(vm1 vm2)
declare -A TRANSPORT=([vm1]=pci [vm2]=mmio) AGENT=([vm1]=2 [vm2]=3)
# The agent id and number of agents each guest sees (BASE): vm1 the
# defaults, vm2 its own numbering.
declare -A GAID=([vm1]=1 [vm2]=2) GNA=([vm1]=1 [vm2]=3)
# How each guest leaves: vm1 powers off, vm2's QEMU is killed (SIGKILL).
declare -A LEAVE=([vm1]=poweroff [vm2]=kill)
declare -A QPID=() FD=()
failures=0
pass() { echo "PASS [$1] $2"; }
fail() { echo "FAIL [$1] $2"; failures=$((failures + 1)); }
check() { # check VM NAME CONDITION...
	local vm=$1 name=$2; shift 2
	if "$@"; then pass "$vm" "$name"; else fail "$vm" "$name"; fi
}

cleanup() {
	local rc=$?
	for vm in "${VMS[@]}"; do [ -n "${QPID[$vm]:-}" ] && kill "${QPID[$vm]}" 2>/dev/null || true; done
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null || true
	if [ $rc -ne 0 ] || [ $failures -ne 0 ]; then
		for vm in "${VMS[@]}"; do
			echo "----- $vm console ($(wc -l <"$W/$vm.console" 2>/dev/null || echo 0) lines, at most the last 400) -----"
			tail -400 "$W/$vm.console" 2>/dev/null || true
		done
		echo "----- mediator log ($(wc -l <"$W/mediator.log" 2>/dev/null || echo 0) lines, at most the last 300) -----"
		tail -300 "$W/mediator.log" 2>/dev/null || true
	fi
	[ -z "${E2E_KEEP:-}" ] && rm -rf "$W"
	exit $rc
}
trap cleanup EXIT

# ---- the mediator -------------------------------------------------------------
{
	echo "platform = \"embedded\""
	echo "platform_config = \"$PLATFORM\""
	echo "control_socket = \"$W/ctl.sock\""
	echo "log_level = \"${E2E_LOG_LEVEL:-info}\""
	echo "guests = ["
	for vm in "${VMS[@]}"; do
		pol="$here/$vm.policy"; [ "${E2E_POLICIES:-1}" = 1 ] || pol=/nonexistent
		printf '\t"name=%s,socket=%s,agent_id=%s,guest_agent_id=%s,guest_num_agents=%s%s",\n' \
			"$vm" "$W/$vm.sock" "${AGENT[$vm]}" "${GAID[$vm]}" "${GNA[$vm]}" \
			"$([ -e "$pol" ] && echo ",policy=$pol")"
	done
	echo "]"
} >"$W/mediator.cfg"
"$BIN/scmi-mediator" -c "$W/mediator.cfg" >"$W/mediator.log" 2>&1 &
MPID=$!
for _ in $(seq 100); do
	[ -S "$W/ctl.sock" ] && [ -S "$W/vm1.sock" ] && [ -S "$W/vm2.sock" ] && break
	sleep 0.1
done
[ -S "$W/ctl.sock" ] || { echo "mediator did not start"; exit 1; }
state() { "$BIN/scmictl" --ctl "$W/ctl.sock" platform-state --json; }
status() { "$BIN/scmictl" --ctl "$W/ctl.sock" status --json; }

# ---- per-guest view, DTB, initramfs ----------------------------------------
MACHINE=(-M virt -cpu cortex-a57 -m 256 -smp 1)
for vm in "${VMS[@]}"; do
	pol="$here/$vm.policy"; { [ -e "$pol" ] && [ "${E2E_POLICIES:-1}" = 1 ]; } || pol=""
	"$here/expect.py" "$PLATFORM" "$pol" >"$W/$vm.view"
	echo "consumers 1" >>"$W/$vm.view"
	"$here/mkdtb.sh" "$W/$vm.dtb" "$W/$vm.view" -- "${MACHINE[@]}"
	n() { awk -v k="$1" '$1 == k {print $2}' "$W/$vm.view"; }
	# Each clock's and voltage domain's value list walked as Linux pages
	# it, from index 0 and from index 1; a cut list also past its end.
	list_steps() {
		awk '$1 == "clockrates" || $1 == "voltlevels" {
			p = ($1 == "clockrates") ? "0x14" : "0x17"; n = NF - 4
			print "list " p " 0x4 " $2 " 0"
			if ($4 == "list" && n > 1) print "list " p " 0x4 " $2 " 1"
			if ($4 == "list" && $3 == 1) print "list " p " 0x4 " $2 " " n
		}' "$W/$vm.view"
	}
	# Steps the guest runs after reporting its view (see guest/init). Raw
	# requests: one id past the end of each of its protocols' views, the
	# protocols outside its policy, its own agent, a notification.
	cat >"$W/$vm.steps" <<STEPS
sync probed
dump /sys/kernel/debug/clk/clk_summary
sync view-again
write on /sys/bus/platform/devices/scmi-consumer-0/power/control
sync consumer-on
write auto /sys/bus/platform/devices/scmi-consumer-0/power/control
sync consumer-off
raw 0x14 0x3 $(n clocks)
raw 0x11 0x3 $(n power)
raw 0x13 0x3 $(n perfs)
raw 0x15 0x6 $(n sensors) 0
raw 0x16 0x3 $(n resets)
raw 0x17 0x3 $(n voltages)
$(list_steps)
raw 0x18 0x0
raw 0x19 0x0
raw 0x10 0x7 0xffffffff
raw 0x14 0x6 0
raw 0x15 0x6 0 0
raw 0x11 0x6 0 1
raw 0x11 0x4 0 0 0
notif 3000
async 0x15 0x6 0 1
dmesg-check
write on /sys/bus/platform/devices/scmi-consumer-0/power/control
sync consumer-on-again
STEPS
	"$here/mkinitrd.sh" "$W/$vm.cpio.gz" "$BUSYBOX" "$W/$vm.steps"
done

# ---- boot both guests at once -------------------------------------------------
for vm in "${VMS[@]}"; do
	mkfifo "$W/$vm.in" "$W/$vm.out"
	if [ "${TRANSPORT[$vm]}" = pci ]; then
		dev=(-device vhost-user-scmi-pci,chardev=vscmi)
	else
		dev=(-global virtio-mmio.force-legacy=false -device vhost-user-scmi,chardev=vscmi)
	fi
	"$here/qemu.sh" "${MACHINE[@]}" -nographic -nic none -monitor none \
		-object memory-backend-memfd,id=mem,size=256M,share=on -machine memory-backend=mem \
		-chardev socket,id=vscmi,path="$W/$vm.sock" "${dev[@]}" \
		-kernel "$KERNEL" -initrd "$W/$vm.cpio.gz" -dtb "$W/$vm.dtb" \
		-append "console=ttyAMA0 loglevel=6 printk.time=1 dyndbg=\"file drivers/firmware/arm_scmi/* +p\"" \
		-serial pipe:"$W/$vm" \
		>"$W/$vm.qemu.log" 2>&1 &
	QPID[$vm]=$!
	sed -u "s/\r$//" <"$W/$vm.out" >"$W/$vm.console" &
	exec {fd}<>"$W/$vm.in"
	FD[$vm]=$fd
done
t_boot=$(date +%s.%N)

# Wait until every guest reached a sync point (or finished); TCG on 2 cores.
wait_for() { # wait_for VM PATTERN TIMEOUT_S
	local deadline=$(( $(date +%s) + $3 ))
	while ! grep -q "$2" "$W/$1.console" 2>/dev/null; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		kill -0 "${QPID[$1]}" 2>/dev/null || { grep -q "$2" "$W/$1.console"; return; }
		sleep 0.2
	done
}
go() { echo go >&"${FD[$1]}"; }
# The platform's physical state: the clock entry with platform id $1.
plat_clock_json() { state | python3 "$here/plat_clock.py" - "$1"; }
plat_vote() { # plat_vote PLATID AGENT -> 1 if the agent votes the clock on
	state | python3 "$here/plat_clock.py" - "$1" "$2"
}
plat_enabled() { plat_clock_json "$1" | cut -d' ' -f2; }

for vm in "${VMS[@]}"; do
	wait_for "$vm" 'E2E-WAIT probed' 240 || fail "$vm" "reached the probed sync point"
done
# Probe figures: SCMI messages each guest sent until its drivers had probed,
# and how many of them reached the platform: its platform agent's counter
# less what the mediator's discovery-cache warm-up sent on that channel
# before the guest booted (status "caches"[].warmup.total_sent).
probe_figures() {
	python3 -c '
import json, sys
st = json.load(open(sys.argv[1])); st = st.get("result", st)
ps = json.load(open(sys.argv[2])); ps = ps.get("result", ps)
plat = {a["id"]: a["commands"] for a in ps["agents"]}
warm = {c["channel"]: c.get("warmup", {}).get("total_sent", 0) for c in st.get("caches", [])}
for g in st["guests"]:
    sent, total = g["commands"], plat.get(g["agent_id"], 0)
    w = warm.get(g["channel"], 0)
    reached = total - w
    print("  %s: probe sent %d SCMI messages, %d reached the platform (%.0f %% answered by the mediator); warm-up before boot: %d"
          % (g["name"], sent, reached, 100.0 * (sent - reached) / sent if sent else 0, w))
' "$W/status.json" "$W/state.json"
}
status >"$W/status.json"; state >"$W/state.json"
PROBE_FIGURES=$(probe_figures || echo "  (probe figures unavailable)")
judge() { # judge VM WHAT ARGS... : count judge.py's verdicts
	local vm=$1 ok what; shift
	while IFS=$'\t' read -r ok what; do
		check "$vm" "$what" [ "$ok" = 1 ]
	done < <(python3 "$here/judge.py" "$1" "$W/$vm.view" "$W/$vm.console" "${@:2}" ||
		printf '0\tjudge.py %s ran\n' "$1")
}
for vm in "${VMS[@]}"; do
	c="$W/$vm.console"
	check "$vm" "SCMI device bound to scmi-virtio" grep -q 'device=0x0020 driver=scmi-virtio' "$c"
	# (and clk_summary: exactly the guest's clocks, their names and rates)
	judge "$vm" probe "${GAID[$vm]}" "${GNA[$vm]}" "${TRANSPORT[$vm]}" "$vm"
	while read -r _ gid name _; do
		check "$vm" "power domain $name registered" grep -qE "^E2E-GENPD $name " "$c"
	done < <(grep '^domain ' "$W/$vm.view")
	while read -r _ gid name _; do
		check "$vm" "perf domain $name registered (genpd ${name}_$gid)" \
			grep -qE "^E2E-GENPD ${name}_$gid " "$c"
	done < <(grep '^perf ' "$W/$vm.view")
	check "$vm" "reset controller bound" grep -qE '^E2E scmi-dev .*driver=scmi-reset$' "$c"
	# The transport's own count of what Linux sent until its report reached
	# the mediator (cpufreq may send more before status is read: at least).
	lsent=$(awk '/^E2E counter sent_ok / {print $4}' "$c")
	msent=$(jq -r --arg n "$vm" '(.result // .).guests[] | select(.name == $n) | .commands' "$W/status.json")
	check "$vm" "Linux sent $lsent SCMI messages during probe, the mediator counted $msent of them" \
		sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$2" -ge "$1" ]' _ "$lsent" "$msent"
done

# The platform's physical state (scmictl platform-state), one line per query:
#   clock ID enabled      1/0: the platform clock runs
#   clock ID vote AGENT   1/0: AGENT votes it on
#   power ID on           1/0: the platform power domain is on (state 0)
#   power ID vote AGENT   the state AGENT votes (0 = on), or "none"
#   votes AGENT           every clock and power-domain vote of AGENT, as one
#                         string to compare two moments
# A missing entry prints nothing, so a comparison with it fails.
pst() {
	local s; s=$(state) || return 0
	while [ $# -gt 0 ]; do
		case "$1:${3:-}" in
		votes:*) jq -r --arg a "$2" '(.result // .) as $r | ($a | tonumber) as $n |
			([$r.clock[] | "c\(.id)=\(((.votes / pow(2; $n)) | floor) % 2)"] +
			 [$r.power[] | "p\(.id)=\(.votes[$a] // "none")"]) | join(" ")' <<<"$s"; shift 2 ;;
		clock:enabled) jq -r --argjson i "$2" '(.result // .).clock[] | select(.id == $i) |
			if .enabled then 1 else 0 end' <<<"$s"; shift 3 ;;
		clock:vote) jq -r --argjson i "$2" --argjson a "$4" '(.result // .).clock[] | select(.id == $i) |
			((.votes / pow(2; $a)) | floor) % 2' <<<"$s"; shift 4 ;;
		power:on) jq -r --argjson i "$2" '(.result // .).power[] | select(.id == $i) |
			if .state == 0 then 1 else 0 end' <<<"$s"; shift 3 ;;
		power:vote) jq -r --argjson i "$2" --arg a "$4" '(.result // .).power[] | select(.id == $i) |
			.votes[$a] // "none"' <<<"$s"; shift 4 ;;
		*) echo "pst: unknown query $*" >&2; return 0 ;;
		esac
	done
}
pid_of() { awk -v k="$2" '$1 == k && $2 == 0 {print (k == "clock") ? $5 : $4}' "$W/$1.view"; }
declare -A CLK0=() PD0=()
for vm in "${VMS[@]}"; do CLK0[$vm]=$(pid_of "$vm" clock); PD0[$vm]=$(pid_of "$vm" domain); done
# Each guest's consumer bus holds its clock 0 and power domain 0. vm1 turns
# its consumer on: the platform clock and domain come on with its vote;
# vm2's votes do not move, and vm2's own view (re-read while vm1 holds the
# shared clock) is unchanged: the same clocks and rates, none enabled.
[ "${CLK0[vm1]}" = "${CLK0[vm2]}" ] || fail all "both guests' clock 0 is the shared platform clock"
clk=${CLK0[vm1]}
check all "platform clock $clk is off before the guests vote" [ "$(pst clock "$clk" enabled)" = 0 ]
v2_before=$(pst votes "${AGENT[vm2]}")
go vm1; wait_for vm1 'E2E-WAIT view-again' 60 || fail vm1 "view-again sync"
go vm1; wait_for vm1 'E2E-WAIT consumer-on' 60 || fail vm1 "consumer-on sync"
check vm1 "consumer on: platform clock $clk voted on by vm1 and running" \
	[ "$(pst clock "$clk" vote "${AGENT[vm1]}" clock "$clk" enabled | tr '\n' ' ')" = "1 1 " ]
check vm1 "consumer on: platform power domain ${PD0[vm1]} on, vm1 voting on" \
	[ "$(pst power "${PD0[vm1]}" on power "${PD0[vm1]}" vote "${AGENT[vm1]}" | tr '\n' ' ')" = "1 0 " ]
check vm2 "vm2's votes at the platform unchanged by vm1's consumer" [ "$(pst votes "${AGENT[vm2]}")" = "$v2_before" ]
go vm2; wait_for vm2 'E2E-WAIT view-again' 60 || fail vm2 "view-again sync"
judge vm2 clkview E2E-FILE none-enabled
go vm1; wait_for vm1 'E2E-WAIT consumer-off' 60 || fail vm1 "consumer-off sync"
check vm1 "consumer off: vm1's vote on clock $clk withdrawn, the platform clock stopped" \
	[ "$(pst clock "$clk" vote "${AGENT[vm1]}" clock "$clk" enabled | tr '\n' ' ')" = "0 0 " ]
check vm1 "consumer off: platform power domain ${PD0[vm1]} off" [ "$(pst power "${PD0[vm1]}" on)" = 0 ]
go vm1
v1_before=$(pst votes "${AGENT[vm1]}")
go vm2; wait_for vm2 'E2E-WAIT consumer-on' 60 || fail vm2 "consumer-on sync"
check vm2 "consumer on: platform clock $clk voted on by vm2 and running" \
	[ "$(pst clock "$clk" vote "${AGENT[vm2]}" clock "$clk" enabled | tr '\n' ' ')" = "1 1 " ]
check vm2 "consumer on: platform power domain ${PD0[vm2]} on, vm2 voting on" \
	[ "$(pst power "${PD0[vm2]}" on power "${PD0[vm2]}" vote "${AGENT[vm2]}" | tr '\n' ' ')" = "1 0 " ]
go vm2; wait_for vm2 'E2E-WAIT consumer-off' 60 || fail vm2 "consumer-off sync"
check vm2 "consumer off: vm2's vote on clock $clk withdrawn" [ "$(pst clock "$clk" vote "${AGENT[vm2]}")" = 0 ]
check vm2 "consumer off: platform power domain ${PD0[vm2]} off" [ "$(pst power "${PD0[vm2]}" on)" = 0 ]
go vm2
# Both take their consumer again and leave: vm1 powers off, vm2's QEMU is
# killed. Either way its votes at the platform are withdrawn.
for vm in "${VMS[@]}"; do
	wait_for "$vm" 'E2E-WAIT consumer-on-again' 120 || fail "$vm" "consumer-on-again sync"
	check "$vm" "the guest votes clock $clk and domain ${PD0[$vm]} on again before it leaves" \
		[ "$(pst clock "$clk" vote "${AGENT[$vm]}" power "${PD0[$vm]}" vote "${AGENT[$vm]}" | tr '\n' ' ')" = "1 0 " ]
done
for vm in "${VMS[@]}"; do
	c="$W/$vm.console"
	judge "$vm" raw "${GAID[$vm]}" "$vm"
	judge "$vm" lists
	check "$vm" "no timeouts, unexpected messages or Buggy F/W in dmesg" \
		sh -c "grep -q '^E2E dmesg-checked' '$c' && ! grep -q '^E2E-BAD' '$c'"
	if [ "${LEAVE[$vm]}" = kill ]; then
		kill -KILL "${QPID[$vm]}"
	else
		go "$vm"
		wait_for "$vm" '^E2E done' 120 || fail "$vm" "finished its steps"
	fi
done
for vm in "${VMS[@]}"; do
	for _ in $(seq 100); do kill -0 "${QPID[$vm]}" 2>/dev/null || break; sleep 0.1; done
	kill -0 "${QPID[$vm]}" 2>/dev/null && fail "$vm" "QEMU exited (${LEAVE[$vm]})"
done
sleep 0.5
for vm in "${VMS[@]}"; do
	check "$vm" "${LEAVE[$vm]}: its vote on platform clock $clk withdrawn" \
		[ "$(pst clock "$clk" vote "${AGENT[$vm]}")" = 0 ]
	check "$vm" "${LEAVE[$vm]}: its platform power domain ${PD0[$vm]} no longer voted on, and off" \
		sh -c '[ "$1" != 0 ] && [ "$2" = 0 ]' _ "$(pst power "${PD0[$vm]}" vote "${AGENT[$vm]}")" "$(pst power "${PD0[$vm]}" on)"
done
check all "both guests gone: platform clock $clk stopped" [ "$(pst clock "$clk" enabled)" = 0 ]
t_end=$(date +%s.%N)

echo
echo "figures:"
printf '  setup %.1f s, guests (boot to power-off, both at once) %.1f s\n' \
	"$(echo "$t_setup - $t_start" | bc)" "$(echo "$t_end - $t_boot" | bc)"
# Boot to probe, in the guest kernel's own clock (printk.time): the SCMI
# core's BASE line, the last SCMI protocol driver's line, /init's start.
for vm in "${VMS[@]}"; do
	awk -v vm="$vm" -v tr="${TRANSPORT[$vm]}" '
	function ts(l) { sub(/^E2E-DMESG \[ */, "", l); sub(/\].*/, "", l); return l + 0 }
	/^E2E-DMESG \[.*SCMI Protocol v/ { core = ts($0) }
	/^E2E-DMESG \[.*(scmi|SCMI)/ && !/dyndbg|command line/ { last = ts($0) }
	/^E2E uptime-at-probe/ { init = $5 }
	END { printf "  %s (%s): boot to SCMI core probe %.2f s, to last SCMI driver line %.2f s, /init at %.2f s (guest clock)\n", vm, tr, core, last, init }' "$W/$vm.console"
done
echo "$PROBE_FIGURES"
for vm in "${VMS[@]}"; do
	awk -v vm="$vm" '/^E2E counter (sent_ok|response_ok|err_protocol) / {c[$3] = $4}
	END { printf "  %s: Linux'"'"'s own counters at probe: sent_ok %s, response_ok %s, err_protocol %s\n", vm, c["sent_ok"], c["response_ok"], c["err_protocol"] }' "$W/$vm.console"
done
echo "e2e: $failures failure(s)"
[ "$failures" -eq 0 ]
