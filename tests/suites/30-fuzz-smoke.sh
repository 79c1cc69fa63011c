#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-fuzz-smoke.sh: every libFuzzer harness replays its seeds, spec-vector corpus and regressions, then fuzzes 4 s.
# One test per harness; prints "N passed, N failed" (fuzz/run.sh smoke).
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! make -s --no-print-directory fuzz-build >/tmp/rtr-fuzz-build.$$ 2>&1; then
	tail -n 30 /tmp/rtr-fuzz-build.$$
	rm -f /tmp/rtr-fuzz-build.$$
	echo "fuzz-smoke: make fuzz-build failed"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -f /tmp/rtr-fuzz-build.$$
exec bash fuzz/run.sh smoke
