#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds a guest DTB: QEMU virt's own tree (dumped with the same machine
# options) plus /firmware/scmi (arm,scmi-virtio) with one protocol node per
# protocol the guest's view has, and consumer nodes a real board would have:
# one simple-pm-bus per SCMI clock/power-domain pair, so Linux's runtime PM
# really prepares/enables the clocks and powers the domains through SCMI;
# CPU 0 on the guest's perf domain 0 (scmi cpufreq).
#
#   mkdtb.sh OUT.dtb VIEW_FILE -- QEMU_MACHINE_ARGS...
# VIEW_FILE lines: "protocols 11 13 14 15 16 17", "clocks N", "power N",
#   "resets N", "perfs N", "consumers K" (number of consumer buses).
set -euo pipefail
out=$1; view=$2; shift 2; [ "${1:-}" = -- ] && shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$here/qemu.sh" "$@" -nic none -machine dumpdtb="$tmp/virt.dtb" >"$tmp/qemu.log" 2>&1 || { cat "$tmp/qemu.log" >&2; exit 1; }
dtc -q -I dtb -O dts -o "$tmp/virt.dts" "$tmp/virt.dtb"

val() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$view"; }
protos=$(val protocols); nclk=$(val clocks); npd=$(val power); nrst=$(val resets); nperf=$(val perfs)
ncons=$(val consumers); ncons=${ncons:-0}

{
	cat "$tmp/virt.dts"
	echo "/ {"
	echo "	firmware {"
	echo "		scmi: scmi {"
	echo "			compatible = \"arm,scmi-virtio\";"
	echo "			#address-cells = <1>;"
	echo "			#size-cells = <0>;"
	for p in $protos; do
		echo "			scmi_$p: protocol@$p {"
		echo "				reg = <0x$p>;"
		case $p in
		11) echo "				#power-domain-cells = <1>;" ;;
		13) echo "				#power-domain-cells = <1>;" ;;
		14) echo "				#clock-cells = <1>;" ;;
		15) echo "				#thermal-sensor-cells = <1>;" ;;
		16) echo "				#reset-cells = <1>;" ;;
		17)	echo "				regulators {"
			echo "					#address-cells = <1>;"
			echo "					#size-cells = <0>;"
			# Constraints wider than any voltage: Linux narrows them
			# to the lowest and highest voltage the regulator offers
			# (machine_constraints_voltage), which sysfs then shows.
			awk '$1 == "voltage" { printf "\t\t\t\t\tregulator@%d {\n\t\t\t\t\t\treg = <%d>;\n\t\t\t\t\t\tregulator-min-microvolt = <1>;\n\t\t\t\t\t\tregulator-max-microvolt = <0x7fffffff>;\n\t\t\t\t\t};\n", $2, $2 }' "$view"
			echo "				};" ;;
		esac
		echo "			};"
	done
	echo "		};"
	echo "	};"
	# CPU 0 takes its frequency from the guest's perf domain 0, so the scmi
	# cpufreq driver registers a policy for it (the "perf" power-domain
	# binding of arm,scmi).
	if [ "${nperf:-0}" -gt 0 ] && [[ " $protos " == *" 13 "* ]]; then
		echo "	cpus {"
		echo "		cpu@0 {"
		echo "			power-domains = <&scmi_13 0>;"
		echo "			power-domain-names = \"perf\";"
		echo "		};"
		echo "	};"
	fi
	# Consumers: bus i uses clock i and power domain i (when they exist).
	for ((i = 0; i < ncons; i++)); do
		echo "	scmi_consumer$i: scmi-consumer-$i {"
		printf '		compatible = "simple-pm-bus";\n'
		printf '		#address-cells = <2>;\n		#size-cells = <2>;\n		ranges;\n'
		[ "${nclk:-0}" -gt "$i" ] && [[ " $protos " == *" 14 "* ]] && printf '		clocks = <&scmi_14 %d>;\n' "$i"
		[ "${npd:-0}" -gt "$i" ] && [[ " $protos " == *" 11 "* ]] && printf '		power-domains = <&scmi_11 %d>;\n' "$i"
		echo "	};"
	done
	echo "};"
} >"$tmp/guest.dts"
dtc -q -I dts -O dtb -o "$out" "$tmp/guest.dts"
