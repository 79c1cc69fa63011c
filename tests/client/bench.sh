#!/usr/bin/env bash
# bench.sh: rtr-client speed on the linear lab: forward trace wall time against Debian's
# traceroute on the same path in the same run, and a reverse trace against rtr-server.
# Prints "BENCH <name> <value> <unit> <baseline-name> <baseline-value>" lines (tests/bench.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BIN=$PWD/build/bin/rtr-client
SERVER=$PWD/build/bin/rtr-server
RUNS=${RTR_BENCH_RUNS:-20}
. tests/client/topo.sh
WORK=$(mktemp -d)
SPID=
cleanup() {
	if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi
	topo_down
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
make -s build/bin/rtr-client build/bin/rtr-server >&2 || exit 1
topo_up || { echo "topology did not come up" >&2; exit 1; }

# mean_ms CMD...: mean wall time of RUNS runs of CMD in the client namespace, in ms.
mean_ms() {
	local t0 t1 i
	t0=$(date +%s%N)
	for ((i = 0; i < RUNS; i++)); do
		timeout 30 ip netns exec "$C" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
	done
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" -v n="$RUNS" 'BEGIN { printf "%.3f", (b - a) / n / 1e6 }'
}

fwd=$(mean_ms "$BIN" -n -q 3 forward udp singlepath 10.201.3.2) || exit 1
base=$(mean_ms traceroute -n -q 3 10.201.3.2) || exit 1
echo "BENCH client_forward_udp_v4_wall $fwd ms traceroute_udp_v4_wall $base"
fwd6=$(mean_ms "$BIN" -n -q 3 forward udp singlepath fd00:201:3::2) || exit 1
base6=$(mean_ms traceroute -6 -n -q 3 fd00:201:3::2) || exit 1
echo "BENCH client_forward_udp_v6_wall $fwd6 ms traceroute_udp_v6_wall $base6"
ip netns exec "$C" "$BIN" -n -q 3 --format json -o "$WORK/f.json" forward udp singlepath 10.201.3.2
echo "BENCH client_forward_udp_v4_probes $(jq .traces[0].probe_counts.sent "$WORK/f.json") probes - -"

ip netns exec "$T" "$SERVER" t0 >"$WORK/server.log" 2>&1 &
SPID=$!
timeout 10 bash -c "until tc -n $T filter show dev t0 ingress 2>/dev/null | grep -q bpf; do
	kill -0 $SPID 2>/dev/null || exit 1; done" || { echo "rtr-server did not start" >&2; exit 1; }
rev=$(mean_ms "$BIN" -n -q 3 reverse udp singlepath 10.201.3.2) || exit 1
echo "BENCH client_reverse_udp_v4_wall $rev ms client_forward_udp_v4_wall $fwd"
ip netns exec "$C" "$BIN" -n -q 3 --format json -o "$WORK/r.json" reverse udp singlepath 10.201.3.2
echo "BENCH client_reverse_udp_v4_requests $(jq .traces[0].probe_counts.sent "$WORK/r.json") requests - -"
