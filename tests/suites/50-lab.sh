#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 50-lab.sh: the lab suite: rtr-lab's parser unit tests (cmocka) and make lab-test (every
# topology up, its scenarios, teardown, robustness). Needs root for the lab part.
set -uo pipefail
cd "$(dirname "$0")/../.."

make -s build/san/bin/rtr-lab build/san/tests/lab/test_topo build/san/tests/lab/icmp_echo >/dev/null || {
	echo "0 passed, 1 failed"
	exit 1
}
build/san/tests/lab/test_topo 2>&1
if [ "$(id -u)" != 0 ]; then
	echo "lab: needs root; skipping the namespace tests"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
bash tests/lab/run.sh
