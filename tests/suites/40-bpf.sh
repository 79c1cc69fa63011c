#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 40-bpf.sh: the eBPF server: BPF_PROG_TEST_RUN tests, differential test and live netns labs (root).
#
#   BPF_PROG_TEST_RUN tests run in the throwaway namespace of tests/bpf/testns.sh
#   (they transmit what the program redirects); live-lab.sh and life-lab.sh build their own labs.
set -uo pipefail
cd "$(dirname "$0")/../.."
B=build/san/tests/bpf
pass=0 fail=0

if [ "$(id -u)" -ne 0 ]; then
	echo "40-bpf: needs root (BPF and namespaces)"
	echo "0 passed, 1 failed"
	exit 1
fi

. tests/bpf/testns.sh

crashed=0
run() {
	local name=$1 rc
	shift
	echo "--- $name"
	"$@"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		# Also a crash (sanitizer, signal) that reported nothing must fail the suite.
		echo "$name exited with status $rc"
		crashed=$((crashed + 1))
	fi
}

run test_prog timeout 300 ip netns exec "$NS" "$B/test_prog"
run test_accept timeout 300 ip netns exec "$NS" "$B/test_accept"
# The spec vectors' servers must be addresses of this host, or their requests are transit.
nsx ip addr add 203.0.113.20/32 dev rtrt0
nsx ip -6 addr add 2001:db8:5::20/128 dev rtrt0 nodad
run test_cost timeout 120 ip netns exec "$NS" "$B/test_cost"
run test_vectors timeout 300 ip netns exec "$NS" "$B/test_vectors"
nsx ip addr del 203.0.113.20/32 dev rtrt0
nsx ip -6 addr del 2001:db8:5::20/128 dev rtrt0
run test_diff timeout 300 ip netns exec "$NS" "$B/test_diff"
run live-lab timeout 300 bash tests/bpf/live-lab.sh
run cli timeout 300 bash tests/bpf/cli.sh
run life-lab timeout 300 bash tests/bpf/life-lab.sh
echo "0 passed, $crashed failed"
[ "$crashed" -eq 0 ]
