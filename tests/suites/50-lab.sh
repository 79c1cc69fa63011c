#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 50-lab.sh: the lab suite: rtr-lab's unit tests (every tests/lab/test_*.c, cmocka) and, as root,
# make lab-test (every topology up, its scenarios, teardown, robustness).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh

mapfile -t tests < <(t_bins tests/lab)
make -s build/san/bin/rtr-lab build/san/tests/lab/icmp_echo "${tests[@]}" >/dev/null ||
	t_abort "rtr-lab or its tests do not build"
for t in "${tests[@]}"; do
	t_run "$(basename "$t")" timeout 120 "$t"
done
if t_root; then
	t_run lab-test bash tests/lab/run.sh
else
	skip "namespace tests (tests/lab/run.sh): need root"
fi
t_done
