#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs every cmocka test binary given, sums their counts and ends with one
# overall line "N passed, N failed". A binary that dies without reporting
# (crash, sanitizer abort) counts as one failure. VALGRIND=1 runs each
# binary under valgrind --error-exitcode.
set -u
passed=0; failed=0; bad=()
out=$(mktemp); trap 'rm -f "$out"' EXIT
for t in "$@"; do
	name=$(basename "$t")
	if [ "${VALGRIND:-0}" = 1 ]; then
		runner=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
	else
		runner=()
	fi
	timeout "${TEST_TIMEOUT:-300}" "${runner[@]}" "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ] || [ "${VERBOSE:-0}" = 1 ]; then
		echo "---- $name (exit $rc) ----"; cat "$out"
	fi
	[ "$f" -ne 0 ] && bad+=("$name")
	printf '%-40s %4d passed, %d failed\n' "$name" "$p" "$f"
done
[ ${#bad[@]} -gt 0 ] && echo "failing: ${bad[*]}"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
