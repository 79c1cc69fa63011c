#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 65-mda.sh: multipath (MDA-Lite): every tests/mda/test_*.c (exact stopping points, two-way node
# matching, the engine against simulated load-balanced networks: 1000 traces per topology and
# direction, failure rate within alpha), and as root every ECMP lab topology's truth found by
# rtr-client multipath and the forward first hop read from the FIB.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
mapfile -t bins < <(t_bins tests/mda)
make -s "${bins[@]}" build/bin/rtr-client || t_abort "the multipath tests do not build"
for t in "${bins[@]}"; do
	t_run "$(basename "$t")" timeout 180 "$t"
done
# The lab: every ECMP topology's whole truth, both directions, UDP/TCP (ICMP on paris), v4 and v6.
if t_root; then
	if make -s build/bin/rtr-server build/bin/rtr-lab build/san/bin/rtr-client; then
		t_run lab timeout 600 bash tests/mda/lab.sh
		# The forward first hop from the FIB: single, ECMP, on-link, groups, no route.
		t_run fib timeout 120 bash tests/mda/fib.sh
	else
		fail "rtr-server or rtr-lab does not build"
	fi
else
	skip "lab and FIB tests (lab.sh, fib.sh): need root"
fi
t_done
