#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh: runs every tests/bench.d/*.sh and prints one table of figures and ratios to baselines.
#
# A bench piece prints lines of the form
#   BENCH <name> <value> <unit> <baseline-name> <baseline-value>
# (baseline "-" "-" when a row has none) measured in this same run; this script
# lays them out and computes value / baseline.
set -uo pipefail
cd "$(dirname "$0")/.."
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for piece in tests/bench.d/*.sh; do
	[ -e "$piece" ] || continue
	echo "--- $(basename "$piece" .sh)" >&2
	bash "$piece" | tee /dev/stderr | grep '^BENCH ' >>"$rows"
done
printf '\n%-44s %14s %-10s %-28s %14s %8s\n' figure value unit baseline "baseline value" ratio
awk '{ ratio = "-"; if ($6 != "-" && $6 + 0 != 0) ratio = sprintf("%.3g", $3 / $6);
	printf "%-44s %14s %-10s %-28s %14s %8s\n", $2, $3, $4, $5, $6, ratio }' "$rows"
