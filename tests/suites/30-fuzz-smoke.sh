#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-fuzz-smoke.sh: every libFuzzer harness replays its seeds, spec-vector corpus and regressions, then fuzzes 4 s.
# One test per harness (fuzz/run.sh smoke), then the OSS-Fuzz build script run locally with
# OSS-Fuzz's variables and every harness it built run 1 s (fuzz/ossfuzz-check.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
log=$(mktemp)
t_on_exit 'rm -f "$log"'
if ! make -s --no-print-directory fuzz-build >"$log" 2>&1; then
	tail -n 30 "$log"
	t_abort "fuzz-smoke: make fuzz-build failed"
fi
t_run fuzz-smoke bash fuzz/run.sh smoke
t_run ossfuzz-check bash fuzz/ossfuzz-check.sh
t_done
