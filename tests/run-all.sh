#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run-all.sh: runs every suite in tests/suites/ and sums their results into one closing line.
#
# A suite is an executable tests/suites/NN-name.sh. It prints whatever it likes
# and reports its counts in one of two forms, which this script adds up:
#   cmocka's "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)" lines, or
#   a line "N passed, N failed" (optionally ", N skipped"), as tests/lib/t.sh's t_done prints.
# A suite that exits non-zero without reporting a failure counts as one failure,
# so a crash can never pass silently.
#
# A skip (a part that cannot run here: not root, a tool missing; its "SKIP ..." line says why)
# is neither a pass nor a failure: the run exits 0 when nothing failed and something passed.
# RTR_NO_SKIP=1 makes any skip a failure, so a green run is one where every part ran. CI runs
# as root with CI=true and every dependency installed: that alone sets it, so .ci/run stays the
# README's plain `make test`.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = true ] && [ "$(id -u)" -eq 0 ]; then
	RTR_NO_SKIP=${RTR_NO_SKIP:-1}
fi

only=${RTR_SUITES:-}
total_pass=0
total_fail=0
total_skip=0
summary=()
skips=()
start_all=$(date +%s)

for suite in tests/suites/*.sh; do
	name=$(basename "$suite" .sh)
	if [ -n "$only" ] && ! grep -qw -- "$name" <<<"$only"; then
		continue
	fi
	echo "=== suite $name"
	t0=$(date +%s)
	log=$(mktemp)
	timeout --kill-after=10 "${RTR_SUITE_TIMEOUT:-900}" bash "$suite" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	t1=$(date +%s)
	p=0 f=0 s=0
	while read -r n; do p=$((p + n)); done < <(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test(s)\..*/\1/p' "$log")
	while read -r n; do f=$((f + n)); done < <(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test(s).*/\1/p' "$log")
	while read -r a b c; do
		p=$((p + a)); f=$((f + b)); s=$((s + ${c:-0}))
	done < <(sed -n 's/^\([0-9]\+\) passed, \([0-9]\+\) failed\(, \([0-9]\+\) skipped\)\?$/\1 \2 \4/p' "$log")
	while IFS= read -r line; do skips+=("$name: $line"); done < <(grep '^SKIP ' "$log")
	rm -f "$log"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "suite $name exited with status $rc without reporting a failure: counted as 1 failed"
		f=1
	fi
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
	summary+=("$(printf '%-28s %5d passed %4d failed %4d skipped %5ds' "$name" "$p" "$f" "$s" $((t1 - t0)))")
done

echo
echo "=== summary ($(( $(date +%s) - start_all ))s)"
printf '%s\n' "${summary[@]}"
if [ "${#skips[@]}" -gt 0 ]; then
	echo "=== skipped (did not run here)"
	printf '%s\n' "${skips[@]}"
fi
if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
if [ "$total_skip" -gt 0 ] && [ -n "${RTR_NO_SKIP:-}" ]; then
	echo "RTR_NO_SKIP is set: $total_skip skipped check(s) fail this run"
	exit 1
fi
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
