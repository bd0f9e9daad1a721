#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# End to end on real Xen (make e2e-xen): Xen on arm64 under QEMU (TCG),
# the mediator in dom0 with the embedded reference platform, and two Linux
# domUs created with `scmi = "virtio"` through scmi-xl, each with its own
# policy. dom0 (tests/e2e-xen/dom0-init) drives the run and records; every
# judgement is made here, from what Linux reports on the domU consoles,
# the platform's physical state (scmictl platform-state) and xl.
#   XEN_SRC=DIR   a Xen source tree instead of bookworm's 4.17 package
#   E2E_KEEP=1    keep the work directory
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
e2e=$repo/tests/e2e
t_start=$(date +%s.%N)
eval "$("$here/setup.sh" | grep -E '^[A-Z0-9_]+=')"
eval "$("$e2e/setup.sh" | grep -E '^[A-Z0-9_]+=')"   # guest kernel, busybox
t_setup=$(date +%s.%N)
W=$(mktemp -d /tmp/scmi-e2e-xen.XXXXXX)
PLATFORM=$repo/config/platforms/reference.cfg
VMS=(domU1 domU2)
declare -A PNAME=([11]=power [12]=system [13]=perf [14]=clock [15]=sensor [16]=reset [17]=voltage [18]=powercap [19]=pinctrl)
declare -A VCPUS=([domU1]=1 [domU2]=2)   # domU2: one ioreq event channel per vCPU
declare -A POLICY=([domU1]=$e2e/vm1.policy [domU2]=$e2e/vm2.policy) AGENT=([domU1]=2 [domU2]=3)
failures=0
pass() { echo "PASS [$1] $2"; }
fail() { echo "FAIL [$1] $2"; failures=$((failures + 1)); }
check() { local vm=$1 name=$2; shift 2; if "$@"; then pass "$vm" "$name"; else fail "$vm" "$name"; fi; }
log() { echo "[e2e-xen $(date +%H:%M:%S)] $*"; }

cleanup() {
	local rc=$?
	[ -n "${QPID:-}" ] && kill "$QPID" 2>/dev/null || true
	if [ $rc -ne 0 ] || [ $failures -ne 0 ]; then
		echo "----- Xen console (Xen and dom0), last 200 lines -----"
		tail -200 "$W/console.log" 2>/dev/null || true
		echo "----- dom0 log -----"; cat "$W/out/dom0.log" 2>/dev/null || echo "(no records from dom0)"
		echo "----- dom0 dmesg (last 60) -----"; tail -60 "$W/out/dom0-dmesg.log" 2>/dev/null || true
		for vm in "${VMS[@]}"; do
			echo "----- $vm console -----"; tail -150 "$W/out/$vm.console" 2>/dev/null || true
			echo "----- scmi-xl create $vm -----"; cat "$W/out/scmi-xl-$vm.log" 2>/dev/null || true
		done
		echo "----- xl destroy -----"; cat "$W/out/xl-destroy.log" 2>/dev/null || true
		echo "----- Xen dmesg (last 60) -----"; tail -60 "$W/out/xen-dmesg.log" 2>/dev/null || true
		echo "----- mediator log -----"; tail -150 "$W/out/mediator.log" 2>/dev/null || true
		echo "(work directory: $W)"
	fi
	[ -z "${E2E_KEEP:-}" ] && [ $rc -eq 0 ] && [ $failures -eq 0 ] && rm -rf "$W"
	exit $rc
}
trap cleanup EXIT

# ---- the mediator, cross-compiled against the matching libxen-dev:arm64 -----
log "cross-compiling scmi-mediator for arm64 against libxen-dev $XEN_TOOLS_VERSION"
ABUILD="$XEN_CACHE/build-arm64-$XEN_TOOLS_VERSION"
PKG_CONFIG_SYSROOT_DIR=$XEN_SYSROOT \
PKG_CONFIG_LIBDIR=$XEN_SYSROOT/usr/lib/aarch64-linux-gnu/pkgconfig:$XEN_SYSROOT/usr/share/pkgconfig \
	make -C "$repo" -j"$(nproc)" --no-print-directory HAVE_XEN=1 BUILD="$ABUILD" \
	CC="aarch64-linux-gnu-gcc --sysroot=$XEN_SYSROOT" progs >"$W/cross-build.log" 2>&1 ||
	{ tail -30 "$W/cross-build.log"; exit 1; }
"$ABUILD/bin/scmi-mediator" --version >/dev/null 2>&1 || true   # (arm64: not runnable here)

# ---- per-guest files --------------------------------------------------------------
R=$W/root            # the dom0 initramfs tree
WATCHDOG=${E2E_XEN_WATCHDOG:-420}     # dom0 gives up and reports after this (s)
QEMU_LIMIT=$((WATCHDOG + 90))
mkdir -p "$R"/{bin,dev,proc,sys,run,tmp,etc/xe2e,etc/xen,etc/scmi-mediator,srv,modules,usr/lib,var/log}
for vm in "${VMS[@]}"; do
	"$e2e/expect.py" "$PLATFORM" "${POLICY[$vm]}" >"$W/$vm.view"
	view=$W/$vm.view
	val() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$view"; }
	clk0=$(awk '$1 == "clock" && $2 == 0 {print $5}' "$view")
	pd0=$(awk '$1 == "domain" && $2 == 0 {print $4}' "$view")
	# Partial DT for scmi-xl: the SCMI node and one consumer a real board
	# would have, written with HOST ids; scmi-xl maps them (scmi_idmap).
	{
		echo "/dts-v1/;"
		echo "/ { #address-cells = <2>; #size-cells = <2>;"
		echo "  passthrough { compatible = \"simple-bus\"; ranges; #address-cells = <2>; #size-cells = <2>;"
		echo "    scmi { compatible = \"arm,scmi-virtio\"; #address-cells = <1>; #size-cells = <0>;"
		for p in $(val protocols); do
			echo "      scmi_$p: protocol@$p { reg = <0x$p>;"
			case $p in
			11|13) echo "        #power-domain-cells = <1>;" ;;
			14) echo "        #clock-cells = <1>;" ;;
			15) echo "        #thermal-sensor-cells = <1>;" ;;
			16) echo "        #reset-cells = <1>;" ;;
			17) echo "        regulators { #address-cells = <1>; #size-cells = <0>;"
			    awk '$1 == "voltage" { printf "          regulator@%d { reg = <%d>; };\n", $2, $2 }' "$view"
			    echo "        };" ;;
			esac
			echo "      };"
		done
		echo "    };"
		echo "    scmi-consumer-0 { compatible = \"simple-pm-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;"
		echo "      clocks = <&scmi_14 $clk0>; power-domains = <&scmi_11 $pd0>; };"
		echo "  };"
		echo "};"
	} >"$W/$vm-pt.dts"
	dtc -q -I dts -O dtb -o "$R/srv/$vm-pt.dtb" "$W/$vm-pt.dts"
	nclk=$(val clocks)
	cons=/sys/bus/platform/devices/*scmi-consumer-0/power/control
	cat >"$W/$vm.steps" <<STEPS
sync probed
write on $cons
sync consumer-on
write auto $cons
sync consumer-off
raw 0x14 0x3 $nclk
raw 0x14 0x6 0
raw 0x15 0x6 0 0
raw 0x11 0x6 0 1
raw 0x11 0x4 0 0 0
notif 3000
async 0x15 0x6 0 1
write on $cons
sync consumer-on-again
STEPS
	if [ "$vm" = domU1 ]; then
		# SYSTEM_POWER_STATE_SET, forceful shutdown: the mediator powers
		# off this domain (system_power = "guest"). If it did not, the
		# guest would say "slept" and only then power itself off.
		printf 'sync before-shutdown\nraw 0x12 0x3 0 0\nsleep 60\n' >"$W/$vm.after"
	else
		printf 'sync before-peer-shutdown\nraw 0x14 0x6 0\nsync before-destroy\nsleep 120\n' >"$W/$vm.after"
	fi
	"$e2e/mkinitrd.sh" "$R/srv/$vm.cpio.gz" "$BUSYBOX" "$W/$vm.steps" "$W/$vm.after"
	cat >"$R/etc/xen/$vm.cfg" <<CFG
name    = "$vm"
kernel  = "/srv/Image"
ramdisk = "/srv/$vm.cpio.gz"
extra   = "console=hvc0 loglevel=6"
memory  = 160
vcpus   = ${VCPUS[$vm]}
device_tree = "/srv/$vm-pt.dtb"
scmi           = "virtio"
scmi_policy    = "/etc/scmi-mediator/$vm.policy"
scmi_protocols = [ $(for p in $(val protocols); do printf '"%s", ' "${PNAME[$p]}"; done | sed 's/, $//') ]
scmi_idmap     = [ "protocol=clock,host=$clk0,guest=0", "protocol=power,host=$pd0,guest=0" ]
CFG
	# Xen >= 4.18: libxl's generic virtio device, with grants.
	[ "$XEN_MINOR" -lt 18 ] || echo 'scmi_grant_usage = 1' >>"$R/etc/xen/$vm.cfg"
	cp "${POLICY[$vm]}" "$R/etc/scmi-mediator/$vm.policy"
done
cp "$KERNEL" "$R/srv/Image"
cp "$PLATFORM" "$R/etc/scmi-mediator/reference.cfg"
cat >"$R/etc/scmi-mediator/mediator.cfg" <<CFG
platform = "embedded"
platform_config = "/etc/scmi-mediator/reference.cfg"
control_socket = "/run/scmi-mediator/control.sock"
log_level = "debug"
guests = [
	"name=domU1,socket=xen:domU1,agent_id=${AGENT[domU1]},policy=/etc/scmi-mediator/domU1.policy",
	"name=domU2,socket=xen:domU2,agent_id=${AGENT[domU2]},policy=/etc/scmi-mediator/domU2.policy",
]
CFG

# ---- the dom0 initramfs -----------------------------------------------------------
log "assembling the dom0 initramfs"
S=$XEN_SYSROOT
cp "$BUSYBOX" "$R/bin/busybox"
ln -sf busybox "$R/bin/sh"
mkdir -p "$R/usr/lib/aarch64-linux-gnu" "$R/usr/bin" "$R/usr/sbin"
if [ -d "$S/lib" ] && [ ! -L "$S/lib" ]; then
	cp -a "$S/lib" "$R/"                       # glibc, ld.so (bookworm: not usrmerged)
else
	ln -sfn usr/lib "$R/lib"                   # trixie: usrmerged packages
	cp -a "$S"/usr/lib/ld-linux-aarch64.so.1 "$R/usr/lib/" 2>/dev/null || true
fi
cp -a "$S"/usr/lib/aarch64-linux-gnu/*.so* "$R/usr/lib/aarch64-linux-gnu/"
cp -a "$S/usr/lib/xen-4.$XEN_MINOR" "$R/usr/lib/"
ln -sfn "xen-4.$XEN_MINOR" "$R/usr/lib/xen"
cp -a "$S"/usr/bin/xenstore* "$R/usr/bin/"
[ -d "$S/etc/xen" ] && cp -a "$S/etc/xen/." "$R/etc/xen/"
for b in scmi-mediator scmi-xl scmictl; do cp "$ABUILD/bin/$b" "$R/usr/bin/"; done
for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs virtio_mmio virtio_blk; do
	f=$(find "$DOM0_MODULES" -name "$m.ko*" | head -1)
	[ -n "$f" ] || { echo "dom0 kernel: no module $m"; exit 1; }
	case "$f" in *.xz) xz -dc "$f" >"$R/modules/$m.ko" ;; *) cp "$f" "$R/modules/$m.ko" ;; esac
done
install -m 0755 "$here/dom0-init" "$R/init"
echo "$WATCHDOG" >"$R/etc/xe2e/watchdog"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$W/dom0.cpio.gz"
log "dom0 initramfs: $(du -m "$W/dom0.cpio.gz" | cut -f1) MB"

# ---- boot ---------------------------------------------------------------------------
# QEMU puts the DTB at 0x48000000 (RAM + 128 MiB, 1 MiB): load the dom0
# kernel and initramfs above it.
# Under TCG on a loaded host the emulated machine has been seen to go
# silent for good (once in many runs: no output from Xen, dom0 or its
# watchdog). A boot whose serial console stays silent for E2E_XEN_SILENCE
# seconds is killed and, E2E_XEN_RETRIES times (default 1), booted again
# from scratch; the silent console is kept as console-try<N>.log and the
# retry is reported in the figures. Failed checks are never retried.
SILENCE=${E2E_XEN_SILENCE:-150}
RETRIES=${E2E_XEN_RETRIES:-1}
boot_once() {
	truncate -s 0 "$W/out.img"; truncate -s 64M "$W/out.img"
	: >"$W/console.raw"
	timeout "$QEMU_LIMIT" qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
		-smp 2 -m 2048 -accel tcg,thread=multi -display none -monitor none -no-reboot \
		-serial file:"$W/console.raw" -nic none \
		-drive if=none,id=out,format=raw,file="$W/out.img" -device virtio-blk-device,drive=out \
		-kernel "$XEN_HV" \
		-append "dom0_mem=768M dom0_max_vcpus=2 console=dtuart dtuart=/pl011@9000000 bootscrub=0 loglvl=all guest_loglvl=all" \
		-device guest-loader,addr=0x50000000,kernel="$DOM0_KERNEL",bootargs="console=hvc0 earlycon=xen rdinit=/init loglevel=5" \
		-device guest-loader,addr=0x58000000,initrd="$W/dom0.cpio.gz" &
	QPID=$!
	local size=-1 now quiet=0
	HUNG=0
	while kill -0 "$QPID" 2>/dev/null; do
		sleep 5
		now=$(stat -c %s "$W/console.raw" 2>/dev/null || echo 0)
		if [ "$now" = "$size" ]; then
			quiet=$((quiet + 5))
			if [ "$quiet" -ge "$SILENCE" ]; then
				log "the emulated machine has been silent for ${quiet} s: hung; stopping it"
				HUNG=1
				kill "$QPID" 2>/dev/null || true
				break
			fi
		else
			size=$now quiet=0
		fi
	done
	wait "$QPID" || log "QEMU exited with $?"
	QPID=
}
log "booting Xen $XEN_VERSION under $(qemu-system-aarch64 --version | head -1)"
BOOTS=0
while :; do
	BOOTS=$((BOOTS + 1))
	t_boot=$(date +%s.%N)
	boot_once
	[ "$HUNG" = 1 ] && [ "$BOOTS" -le "$RETRIES" ] || break
	tr -d '\r' <"$W/console.raw" >"$W/console-try$BOOTS.log"
	log "RETRY: boot $BOOTS went silent (console kept in $W/console-try$BOOTS.log); booting again"
done
t_end=$(date +%s.%N)
tr -d '\r' <"$W/console.raw" >"$W/console.log"
mkdir -p "$W/out"
tar -xf "$W/out.img" -C "$W/out" 2>/dev/null || { echo "no records from dom0 (did it boot?)"; exit 1; }
# xenconsoled logs the domUs' consoles as the guests wrote them (CRLF).
for f in "$W"/out/*.console; do [ -e "$f" ] && sed -i 's/\r$//' "$f"; done
[ -e "$W/out/END" ] || { echo "dom0 records incomplete"; exit 1; }
[ ! -e "$W/out/WATCHDOG" ] || fail dom0 "the dom0 test finished before its watchdog"

# ---- judgement ----------------------------------------------------------------------
O=$W/out
plat_vote() { # plat_vote STATE_TAG PLATID AGENT -> 1 if the agent votes the clock on
	python3 "$e2e/plat_clock.py" "$O/state-$1.json" "$2" "$3"
}
time_of() { awk -v k="$1" -v g="$2" '$1 == k && $2 == g {print $3}' "$O/times"; }
rc_of() { awk -v k="$1" -v g="$2" '$1 == k && $2 == g {print $4}' "$O/times"; }

check dom0 "hypervisor is Xen $XEN_VERSION with IOREQ servers (xl info)" grep -qE "^xen_version +: $XEN_VERSION" "$O/xl-info.txt"
for vm in "${VMS[@]}"; do
	c=$O/$vm.console; view=$W/$vm.view
	check "$vm" "scmi-xl create succeeded" [ "$(rc_of create "$vm")" = rc=0 ]
	check "$vm" "mediator attached the domain's virtio-scmi slot, ${VCPUS[$vm]} vCPU(s)" \
		grep -qE "xen: $vm \(dom[0-9]+\): virtio-scmi at 0x[0-9a-f]+ irq [0-9]+ .*, ${VCPUS[$vm]} vCPU\(s\)" "$O/mediator.log"
	check "$vm" "SCMI device bound to scmi-virtio" grep -q 'device=0x0020 driver=scmi-virtio' "$c"
	check "$vm" "SCMI core probed the mediator (vendor, version)" \
		grep -qE "SCMI Protocol v2\.1 'scmi-mediator:reference' Firmware version 0x10000" "$c"
	while read -r _ gid name rate _; do
		check "$vm" "clk_summary lists $name at $rate Hz" \
			grep -qE "^E2E-CLK +$name +[0-9]+ +[0-9]+ +[0-9]+ +$rate " "$c"
	done < <(grep '^clock ' "$view")
	n_expected=$(grep -c '^clock ' "$view" || true)
	n_seen=$(grep -cE '^E2E-CLK +[A-Za-z0-9_.-]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ ' "$c" || true)
	check "$vm" "clk_summary has exactly $n_expected SCMI clocks (saw $n_seen)" [ "$n_seen" -eq "$n_expected" ]
	while read -r _ gid name _; do
		check "$vm" "power domain $name registered" grep -qE "^E2E-GENPD $name " "$c"
	done < <(grep '^domain ' "$view")
	while read -r _ gid name _; do
		check "$vm" "perf domain $name registered (genpd ${name}_$gid)" grep -qE "^E2E-GENPD ${name}_$gid " "$c"
	done < <(grep '^perf ' "$view")
	check "$vm" "hwmon shows SCMI sensors with values" grep -qE '^E2E hwmon scmi_sensors .*_input -?[0-9]+' "$c"
	check "$vm" "reset controller bound" grep -qE '^E2E scmi-dev .*driver=scmi-reset$' "$c"
	while read -r _ gid name _; do
		check "$vm" "regulator $name registered" grep -qE "^E2E regulator $name uv=[0-9]+" "$c"
	done < <(grep '^voltage ' "$view")
	pid=$(awk '$1 == "clock" && $2 == 0 {print $5}' "$view")
	a=${AGENT[$vm]}
	check "$vm" "runtime-PM resume enabled platform clock $pid with this guest's vote" [ "$(plat_vote consumer-on-$vm "$pid" "$a")" = 1 ]
	check "$vm" "runtime-PM suspend withdrew this guest's vote on clock $pid" [ "$(plat_vote consumer-off-$vm "$pid" "$a")" = 0 ]
	check "$vm" "the guest votes clock $pid on again" [ "$(plat_vote consumer-on-again-$vm "$pid" "$a")" = 1 ]
	nclk=$(awk '$1 == "clocks" {print $2}' "$view")
	check "$vm" "raw CLOCK_ATTRIBUTES for id $nclk (outside the view) is NOT_FOUND" \
		grep -qE "^E2E raw 0x14 0x3 $nclk -> reply .* status=-4 " "$c"
	check "$vm" "raw CLOCK_RATE_GET 0 succeeds" grep -qE '^E2E raw 0x14 0x6 0 -> reply .* status=0 ' "$c"
	check "$vm" "power-state notification arrived on the eventq" grep -qE '^E2E notif notif hdr=0x[0-9a-f]*' "$c"
	check "$vm" "async sensor reading: delayed response arrived" grep -qE '^E2E async .* dresp .* status=0' "$c"
	check "$vm" "no timeouts, unexpected messages or Buggy F/W in dmesg" sh -c "! grep -q '^E2E-BAD' '$c'"
	check "$vm" "finished its report" grep -q '^E2E done' "$c"
done
# domU1's SCMI shutdown request: its domain only.
p1=$(awk '$1 == "clock" && $2 == 0 {print $5}' "$W/domU1.view")
check domU1 "SCMI SYSTEM_POWER shutdown: the mediator powered off its domain" \
	grep -qE "xen: domU1 \(dom[0-9]+\): power off requested" "$O/mediator.log"
check domU1 "the domain went away within 30 s" grep -qE '^shutdown domU1 [0-9.]+ gone=1' "$O/times"
check domU1 "it went before the guest could power itself off" sh -c "! grep -q '^E2E slept' '$O/domU1.console'"
check domU1 "its vote on clock $p1 is withdrawn after the shutdown" [ "$(plat_vote after-shutdown "$p1" "${AGENT[domU1]}")" = 0 ]
check domU2 "domU2 still runs after domU1's shutdown" grep -qE '^domU2 ' "$O/xl-list-after-shutdown.txt"
check domU2 "domU2's vote on clock $p1 survives domU1's shutdown" [ "$(plat_vote after-shutdown "$p1" "${AGENT[domU2]}")" = 1 ]
check domU2 "domU2 keeps working: CLOCK_RATE_GET after domU1 went" \
	sh -c "sed -n '/E2E-WAIT before-peer-shutdown/,\$p' '$O/domU2.console' | grep -qE '^E2E raw 0x14 0x6 0 -> reply .* status=0 '"
check domU2 "it votes clock $p1 on before xl destroy" [ "$(plat_vote before-destroy "$p1" "${AGENT[domU2]}")" = 1 ]
dt=$(time_of destroy domU2)
check domU2 "xl destroy succeeded" [ "$(rc_of destroy domU2)" = rc=0 ]
# libxl waits up to 10 s for a backend that never reaches Closed, then logs
# it (the check below). Idle, destroy takes under 1 s; on a loaded 2-core
# CI machine under TCG it was seen at 9 s, so the bound is the timeout
# itself, not a guess at the machine's speed.
check domU2 "xl destroy completed without the 10 s backend timeout (took ${dt:-?} s)" \
	awk -v t="${dt:-99}" 'BEGIN { exit !(t < 10) }'
check domU2 "no libxl backend timeout" sh -c "! grep -qE 'unable to remove device|rc -9|timed out' '$O/xl-destroy.log'"
check domU2 "xl destroy withdrew its vote on clock $p1" [ "$(plat_vote after-destroy "$p1" "${AGENT[domU2]}")" = 0 ]
check domU2 "domU2 is gone" sh -c "! grep -qE '^domU2 ' '$O/xl-list-after-destroy.txt'"
check dom0 "no errors or warnings in the mediator log" sh -c "! grep -qE '^scmi-mediator: (error|warn):' '$O/mediator.log'"
check dom0 "mediator detached both devices" \
	sh -c "[ \$(grep -cE 'xen: domU[12] \(dom[0-9]+\): detaching' '$O/mediator.log') -eq 2 ]"

echo
echo "figures:"
printf '  Xen %s (source %s), toolstack %s, dom0 kernel %s\n' "$XEN_VERSION" "$XEN_SRC_ID" "$XEN_TOOLS_VERSION" "$DOM0_KVER"
printf '  setup %.1f s, QEMU boot to power-off %.1f s\n' \
	"$(echo "$t_setup - $t_start" | bc)" "$(echo "$t_end - $t_boot" | bc)"
[ "$BOOTS" -eq 1 ] || printf '  boots: %d (the earlier ones went silent; see console-try*.log)\n' "$BOOTS"
sed 's/^/  /' "$O/times"
for vm in "${VMS[@]}"; do
	awk -v vm="$vm" '/^E2E uptime-at-probe/ {printf "  %s: SCMI probed at guest uptime %s s\n", vm, $3}' "$O/$vm.console"
done
echo "e2e-xen: $failures failure(s)"
[ "$failures" -eq 0 ]
