#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-fuzz-smoke.sh: every libFuzzer harness replays its seeds, spec-vector corpus and regressions, then fuzzes 4 s.
# One test per harness (fuzz/run.sh smoke), then the OSS-Fuzz build script run locally with
# OSS-Fuzz's variables and every harness it built run 2 s (fuzz/ossfuzz-check.sh).
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
rc=0
bash fuzz/run.sh smoke || rc=1
bash fuzz/ossfuzz-check.sh || rc=1
exit "$rc"
