#!/usr/bin/env bash
# 40-bpf.sh: the eBPF server: BPF_PROG_TEST_RUN tests, differential test and live netns lab (root).
#
#   BPF_PROG_TEST_RUN tests run in a throwaway namespace (they transmit what
#   the program redirects):
#
#     [ rtrt0 02:00:00:00:00:01 ]----veth----[ rtrt1 02:00:00:00:00:02 ]
#       198.51.100.1/24  2001:db8:1::1/64       (permanent neighbour entries;
#       203.0.113.0/24, 2001:db8:2::/48, 2001:db8:3::/48 via the peer)
set -uo pipefail
cd "$(dirname "$0")/../.."
B=build/san/tests/bpf
pass=0 fail=0

if [ "$(id -u)" -ne 0 ]; then
	echo "40-bpf: needs root (BPF and namespaces)"
	echo "0 passed, 1 failed"
	exit 1
fi

NS=rtrbpf-$$-$RANDOM
cleanup() { ip netns del "$NS" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS"
nsx() { ip netns exec "$NS" "$@"; }
nsx ip link set lo up
nsx sysctl -qw net.ipv4.conf.lo.forwarding=1 net.ipv6.conf.lo.forwarding=1
nsx ip link add rtrt0 address 02:00:00:00:00:01 type veth peer name rtrt1 address 02:00:00:00:00:02
nsx ip link set rtrt0 up
nsx ip link set rtrt1 up
nsx ip addr add 198.51.100.1/24 dev rtrt0
nsx ip -6 addr add 2001:db8:1::1/64 dev rtrt0 nodad
nsx ip neigh replace 198.51.100.254 lladdr 02:00:00:00:00:02 nud permanent dev rtrt0
nsx ip -6 neigh replace 2001:db8:1::fe lladdr 02:00:00:00:00:02 nud permanent dev rtrt0
nsx ip route add 203.0.113.0/24 via 198.51.100.254
nsx ip -6 route add 2001:db8:2::/48 via 2001:db8:1::fe
nsx ip -6 route add 2001:db8:3::/48 via 2001:db8:1::fe

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
run live-lab timeout 300 bash tests/bpf/live-lab.sh
echo "0 passed, $crashed failed"
[ "$crashed" -eq 0 ]
