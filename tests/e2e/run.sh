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
			echo "----- $vm console -----"; cat "$W/$vm.console" 2>/dev/null | tail -150 || true
		done
		echo "----- mediator log -----"; tail -100 "$W/mediator.log" 2>/dev/null || true
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
	echo "log_level = \"info\""
	echo "guests = ["
	for vm in "${VMS[@]}"; do
		pol="$here/$vm.policy"; [ "${E2E_POLICIES:-1}" = 1 ] || pol=/nonexistent
		printf '\t"name=%s,socket=%s,agent_id=%s%s",\n' "$vm" "$W/$vm.sock" "${AGENT[$vm]}" \
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
	nclk=$(awk '$1 == "clocks" {print $2}' "$W/$vm.view")
	# Steps the guest runs after reporting its view (see guest/init).
	cat >"$W/$vm.steps" <<STEPS
sync probed
write on /sys/bus/platform/devices/scmi-consumer-0/power/control
sync consumer-on
write auto /sys/bus/platform/devices/scmi-consumer-0/power/control
sync consumer-off
raw 0x14 0x3 $nclk
raw 0x14 0x6 0
raw 0x15 0x6 0 0
raw 0x11 0x6 0 1
raw 0x11 0x4 0 0 0
notif 3000
async 0x15 0x6 0 1
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
		-append "console=ttyAMA0 loglevel=6" -serial pipe:"$W/$vm" \
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
for vm in "${VMS[@]}"; do
	c="$W/$vm.console"
	check "$vm" "SCMI device bound to scmi-virtio" grep -q 'device=0x0020 driver=scmi-virtio' "$c"
	check "$vm" "SCMI core probed the mediator (vendor, version)" \
		grep -qE "SCMI Protocol v2\.1 'scmi-mediator:reference' Firmware version 0x10000" "$c"
	# Exactly the guest's clocks, with their names and rates.
	while read -r _ gid name rate _; do
		check "$vm" "clk_summary lists $name at $rate Hz" \
			grep -qE "^E2E-CLK +$name +[0-9]+ +[0-9]+ +[0-9]+ +$rate " "$c"
	done < <(grep '^clock ' "$W/$vm.view")
	n_expected=$(grep -c '^clock ' "$W/$vm.view" || true)
	# Clock rows of clk_summary, minus QEMU virt's own fixed clock.
	n_seen=$(grep -E '^E2E-CLK +[A-Za-z0-9_.-]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ ' "$c" |
		grep -vc '^E2E-CLK  *clk24mhz ' || true)
	check "$vm" "clk_summary has exactly $n_expected SCMI clocks (saw $n_seen)" [ "$n_seen" -eq "$n_expected" ]
	while read -r _ gid name _; do
		check "$vm" "power domain $name registered" grep -qE "^E2E-GENPD $name " "$c"
	done < <(grep '^domain ' "$W/$vm.view")
	while read -r _ gid name _; do
		check "$vm" "perf domain $name registered (genpd ${name}_$gid)" \
			grep -qE "^E2E-GENPD ${name}_$gid " "$c"
	done < <(grep '^perf ' "$W/$vm.view")
	check "$vm" "hwmon shows SCMI sensors with values" grep -qE '^E2E hwmon scmi_sensors .*_input -?[0-9]+' "$c"
	check "$vm" "reset controller bound" grep -qE '^E2E scmi-dev .*driver=scmi-reset$' "$c"
	while read -r _ gid name _; do
		check "$vm" "regulator $name registered" grep -qE "^E2E regulator $name uv=[0-9]+" "$c"
	done < <(grep '^voltage ' "$W/$vm.view")
done

# The consumer bus of each guest uses the guest's clock 0; check the platform.
for vm in "${VMS[@]}"; do
	pid=$(awk '$1 == "clock" && $2 == 0 {print $5}' "$W/$vm.view")
	go "$vm"; wait_for "$vm" 'E2E-WAIT consumer-on' 60 || fail "$vm" "consumer-on sync"
	check "$vm" "runtime-PM resume enabled platform clock $pid with this guest's vote" \
		[ "$(plat_vote "$pid" "${AGENT[$vm]}")" = 1 ]
	go "$vm"; wait_for "$vm" 'E2E-WAIT consumer-off' 60 || fail "$vm" "consumer-off sync"
	check "$vm" "runtime-PM suspend withdrew this guest's vote on clock $pid" \
		[ "$(plat_vote "$pid" "${AGENT[$vm]}")" = 0 ]
	go "$vm"
done
for vm in "${VMS[@]}"; do
	pid=$(awk '$1 == "clock" && $2 == 0 {print $5}' "$W/$vm.view")
	wait_for "$vm" 'E2E-WAIT consumer-on-again' 120 || fail "$vm" "consumer-on-again sync"
	check "$vm" "the guest votes clock $pid on again before powering off" \
		[ "$(plat_vote "$pid" "${AGENT[$vm]}")" = 1 ]
	go "$vm"
done
for vm in "${VMS[@]}"; do
	wait_for "$vm" '^E2E done' 120 || fail "$vm" "finished its steps"
	c="$W/$vm.console"
	nclk=$(awk '$1 == "clocks" {print $2}' "$W/$vm.view")
	check "$vm" "raw CLOCK_ATTRIBUTES for id $nclk (outside the view) is NOT_FOUND" \
		grep -qE "^E2E raw 0x14 0x3 $nclk -> reply .* status=-4 " "$c"
	check "$vm" "raw CLOCK_RATE_GET 0 succeeds" grep -qE '^E2E raw 0x14 0x6 0 -> reply .* status=0 ' "$c"
	check "$vm" "power-state notification arrived on the eventq" grep -qE '^E2E notif notif hdr=0x[0-9a-f]*' "$c"
	check "$vm" "async sensor reading: delayed response arrived" grep -qE '^E2E async .* dresp .* status=0' "$c"
	check "$vm" "no timeouts, unexpected messages or Buggy F/W in dmesg" sh -c "! grep -q '^E2E-BAD' '$c'"
done
# Powering a guest off (it left its consumer on) withdraws its votes.
for vm in "${VMS[@]}"; do
	for _ in $(seq 100); do kill -0 "${QPID[$vm]}" 2>/dev/null || break; sleep 0.1; done
done
sleep 0.5
for vm in "${VMS[@]}"; do
	pid=$(awk '$1 == "clock" && $2 == 0 {print $5}' "$W/$vm.view")
	check "$vm" "power-off withdrew its vote on platform clock $pid" \
		[ "$(plat_vote "$pid" "${AGENT[$vm]}")" = 0 ]
done
t_end=$(date +%s.%N)

echo
echo "figures:"
printf '  setup %.1f s, guests (boot to power-off, both at once) %.1f s\n' \
	"$(echo "$t_setup - $t_start" | bc)" "$(echo "$t_end - $t_boot" | bc)"
for vm in "${VMS[@]}"; do
	awk -v vm="$vm" '/^E2E uptime-at-probe/ {printf "  %s: SCMI probed at guest uptime %s s\n", vm, $3}' "$W/$vm.console"
done
echo "$PROBE_FIGURES"
echo "e2e: $failures failure(s)"
[ "$failures" -eq 0 ]
