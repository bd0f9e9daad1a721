#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: throughput and latency of the full guest path against a null
# device measured in the same run, memory per guest, and instructions per
# command of the core path under callgrind.
#   bench/run-bench.sh BENCH_BINARIES...   (make bench passes them)
# Environment: BENCH_MS (measuring time per point, default 1500),
# BENCH_GUESTS (default "1 4 16 64"), BENCH_INFLIGHT (default 128),
# BENCH_CORE_N (commands for the callgrind points, default 20000).
set -euo pipefail

dir=$(dirname "$0")
bin_dir=$(dirname "${1:-build/gcc/bench/bench_path}")
path_bench="$bin_dir/bench_path"
core_bench="$bin_dir/bench_core"
ms=${BENCH_MS:-1500}
guests=${BENCH_GUESTS:-"1 4 16 64"}
inflight=${BENCH_INFLIGHT:-128}
core_n=${BENCH_CORE_N:-20000}

for b in "$path_bench" "$core_bench"; do
	[ -x "$b" ] || { echo "run-bench: $b not built" >&2; exit 1; }
done

# Two cores at most, as the target: the daemon on one, the clients on the
# other (bench_path pins them).
cpus=$(nproc)
if [ "$cpus" -gt 2 ]; then cpuset="0-1"; else cpuset="0-$((cpus - 1))"; fi
model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "== scmi-mediator benchmark: $(uname -m), $cpus cpus ($model), using cpus $cpuset"
echo "   $inflight commands in flight per guest, ${ms} ms per point"

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }

declare -A tput p50 p99 rss
for mode in null full; do
	for g in $guests; do
		line=$(taskset -c "$cpuset" "$path_bench" --mode "$mode" --guests "$g" \
			--inflight "$inflight" --ms "$ms" ${BUILD_BIN:+--bin "$BUILD_BIN"})
		# key=value pairs
		eval "$(echo "$line" | tr ' ' '\n' | grep -E '^[a-z_0-9]+=[0-9.]+$' | sed 's/^/r_/')"
		tput[$mode,$g]=$r_cmds_per_s
		p50[$mode,$g]=$r_p50_us
		p99[$mode,$g]=$r_p99_us
		rss[$mode,$g]=$r_rss_anon_kb
		if [ "${r_errors:-0}" != 0 ]; then
			echo "run-bench: $mode/$g guests: $r_errors errors" >&2
			exit 1
		fi
	done
done

printf '\n%-7s | %12s %9s %9s | %12s %9s %9s | %9s\n' guests "null cmd/s" "p50 us" \
	"p99 us" "full cmd/s" "p50 us" "p99 us" "full/null"
for g in $guests; do
	printf '%-7s | %12.0f %9.1f %9.1f | %12.0f %9.1f %9.1f | %9.3f\n' "$g" \
		"${tput[null,$g]}" "${p50[null,$g]}" "${p99[null,$g]}" \
		"${tput[full,$g]}" "${p50[full,$g]}" "${p99[full,$g]}" \
		"$(calc "${tput[full,$g]} / ${tput[null,$g]}")"
done

first=$(echo "$guests" | awk '{print $1}')
last=$(echo "$guests" | awk '{print $NF}')
if [ "$first" != "$last" ]; then
	pg1=$(calc "${tput[full,$first]} / $first")
	pgn=$(calc "${tput[full,$last]} / $last")
	printf '\nper-guest throughput, full path: %.0f cmd/s with %s guest(s), %.0f with %s: ratio %.1f\n' \
		"$pg1" "$first" "$pgn" "$last" "$(calc "$pg1 / $pgn")"
	printf 'aggregate throughput, full path: %s guests / %s guest(s) = %.2f\n' "$last" "$first" \
		"$(calc "${tput[full,$last]} / ${tput[full,$first]}")"
	agg=$(calc "${tput[full,$first]} / ${tput[full,$last]}")
	printf 'aggregate 1-vs-64 ratio, full path (total cmd/s at %s guest(s) / total at %s): %.2f\n' \
		"$first" "$last" "$agg"
	mem=$(calc "(${rss[full,$last]} - ${rss[full,$first]}) / ($last - $first)")
	printf 'memory per guest (daemon RssAnon, %s vs %s guests, rings excluded): %.1f KiB\n' \
		"$last" "$first" "$mem"
	nmem=$(calc "(${rss[null,$last]} - ${rss[null,$first]}) / ($last - $first)")
	printf '  (null device for comparison: %.1f KiB per guest)\n' "$nmem"
fi

# Issue 3 targets: met / not met.
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT MET"; fi; }
echo
echo "targets (issue 3):"
if [ -n "${tput[full,16]:-}" ]; then
	r16=$(calc "${tput[full,16]} / ${tput[null,16]}")
	printf '  full path >= 70%% of null at 16 guests: %.1f%% -> %s\n' "$(calc "$r16 * 100")" \
		"$(verdict "$r16 >= 0.70")"
else
	echo '  full path >= 70% of null at 16 guests: not measured (16 not in BENCH_GUESTS)'
fi
if [ "$first" = 1 ] && [ "$last" = 64 ]; then
	printf '  aggregate 1-vs-64 ratio <= 1.2 (flat): %.2f -> %s\n' "$agg" \
		"$(verdict "$agg <= 1.2")"
	printf '  memory per guest <= 256 KiB: %.1f KiB -> %s\n' "$mem" \
		"$(verdict "$mem <= 256")"
else
	echo '  aggregate 1-vs-64 ratio and memory per guest: not measured (need 1 and 64 guests)'
fi

# Instructions per command of the core path, no sockets: two points to
# cancel start-up and tear-down.
if command -v valgrind >/dev/null; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1" -q "$core_bench" "$1" \
			>/dev/null 2>"$out/err.$1" || { cat "$out/err.$1" >&2; return 1; }
		awk '/^(summary|totals):/ {print $2; exit}' "$out/cg.$1"
	}
	n1=$((core_n / 10))
	i1=$(ir "$n1")
	i2=$(ir "$core_n")
	printf '\ncore path (scmi_dev pop -> core -> embedded platform -> used ring), callgrind:\n'
	ipc=$(calc "($i2 - $i1) / ($core_n - $n1)")
	printf '  %s commands: %s Ir, %s commands: %s Ir => %.0f instructions/command\n' \
		"$n1" "$i1" "$core_n" "$i2" "$ipc"
	printf '  target (issue 3) core path <= 2000 instructions/command: %.0f -> %s\n' "$ipc" \
		"$(verdict "$ipc <= 2000")"
else
	echo "valgrind not installed: instruction count skipped (tools/deps.sh installs it)"
fi

# Any other benchmark programs (each prints its own results).
for b in "$@"; do
	case $(basename "$b") in
	bench_path|bench_core) ;;
	*)
		echo
		echo "== $(basename "$b")"
		taskset -c "$cpuset" timeout 120 "$b" || { echo "run-bench: $b failed" >&2; exit 1; }
		;;
	esac
done
