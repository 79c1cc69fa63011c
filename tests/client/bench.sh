#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh: rtr-client speed on the linear lab: forward trace wall time against Debian's
# traceroute on the same path in the same run, and a reverse trace against rtr-server.
# Prints "BENCH <name> <value> <unit> <baseline-name> <baseline-value>" lines (tests/bench.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
BIN=$PWD/build/bin/rtr-client
RUNS=${RTR_BENCH_RUNS:-40}
. tests/client/topo.sh
WORK=$(mktemp -d)
t_on_exit 'topo_down; rm -rf "$WORK"'
make -s build/bin/rtr-client build/bin/rtr-server >&2 || exit 1
topo_up || { echo "topology did not come up" >&2; exit 1; }

# pair_ms "A" "B": mean wall times (ms) of A and B, RUNS runs each, alternating A and B so
# that load from others on this shared machine hits both alike. Prints "A_ms B_ms".
pair_ms() {
	local ta=0 tb=0 t0 t1 i
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		timeout 30 ip netns exec "$C" $1 >/dev/null 2>&1 || { echo "failed: $1" >&2; return 1; }
		t1=$(date +%s%N)
		ta=$((ta + t1 - t0))
		timeout 30 ip netns exec "$C" $2 >/dev/null 2>&1 || { echo "failed: $2" >&2; return 1; }
		t0=$(date +%s%N)
		tb=$((tb + t0 - t1))
	done
	awk -v a="$ta" -v b="$tb" -v n="$RUNS" 'BEGIN { printf "%.3f %.3f\n", a / n / 1e6, b / n / 1e6 }'
}

read -r fwd base < <(pair_ms "$BIN -n -q 3 forward udp singlepath 10.201.3.2" \
	"traceroute -n -q 3 10.201.3.2") || exit 1
echo "BENCH client_forward_udp_v4_wall $fwd ms traceroute_udp_v4_wall $base"
read -r fwd6 base6 < <(pair_ms "$BIN -n -q 3 forward udp singlepath fd00:201:3::2" \
	"traceroute -6 -n -q 3 fd00:201:3::2") || exit 1
echo "BENCH client_forward_udp_v6_wall $fwd6 ms traceroute_udp_v6_wall $base6"
ip netns exec "$C" "$BIN" -n -q 3 --format json -o "$WORK/f.json" forward udp singlepath 10.201.3.2
echo "BENCH client_forward_udp_v4_probes $(jq .traces[0].probe_counts.sent "$WORK/f.json") probes - -"

topo_server "$WORK/server.log" || { echo "rtr-server did not start" >&2; exit 1; }
read -r rev fwd2 < <(pair_ms "$BIN -n -q 3 reverse udp singlepath 10.201.3.2" \
	"$BIN -n -q 3 forward udp singlepath 10.201.3.2") || exit 1
echo "BENCH client_reverse_udp_v4_wall $rev ms client_forward_udp_v4_wall $fwd2"
ip netns exec "$C" "$BIN" -n -q 3 --format json -o "$WORK/r.json" reverse udp singlepath 10.201.3.2
echo "BENCH client_reverse_udp_v4_requests $(jq .traces[0].probe_counts.sent "$WORK/r.json") requests - -"
