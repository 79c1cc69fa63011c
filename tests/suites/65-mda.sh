#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 65-mda.sh: multipath (MDA-Lite): exact stopping points, two-way node matching, the engine against
# simulated load-balanced networks (1000 traces per topology and direction, failure rate within
# alpha), every ECMP lab topology's truth found by rtr-client multipath, and the forward first hop
# read from the FIB.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
rc=0
bins=(build/san/tests/mda/test_mda_stop build/san/tests/mda/test_mda_match build/san/tests/mda/test_mda_sim)
make -s "${bins[@]}" build/bin/rtr-client || { echo "0 passed, 1 failed"; exit 1; }
timeout 60 build/san/tests/mda/test_mda_stop 2>&1 || rc=1
timeout 60 build/san/tests/mda/test_mda_match 2>&1 || rc=1
timeout 180 build/san/tests/mda/test_mda_sim 2>&1 || rc=1
# The lab: every ECMP topology's whole truth, both directions, UDP/TCP (ICMP on paris), v4 and v6.
if [ "$(id -u)" -eq 0 ]; then
	if make -s build/bin/rtr-server build/bin/rtr-lab build/san/bin/rtr-client; then
		timeout 600 bash tests/mda/lab.sh || rc=1
		# The forward first hop from the FIB: single, ECMP, on-link, groups, no route.
		timeout 120 bash tests/mda/fib.sh || rc=1
	else
		echo "rtr-server or rtr-lab does not build: 0 passed, 1 failed"
		rc=1
	fi
else
	echo "multipath lab tests need root: 0 passed, 1 failed"
	rc=1
fi
exit $rc
