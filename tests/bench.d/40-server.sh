#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 40-server.sh: bench rows of the eBPF server: per-packet cost, memory, sessions held, end-to-end rate.
#
# Per-packet figures come from BPF_PROG_TEST_RUN (tests/bpf/bench_prog.c) with
# the trivial tc program measured in the same run as baseline. End to end:
#
#   [ cl 10.201.9.2 ] ---- veth ---- [ sv 10.201.9.1, rtr-server ]
#
# cl floods TTL-2 ICMP requests (the probe reaches cl itself, whose kernel
# answers it with an Echo Reply), sender, receiver and server all pinned to CPU 0
# (the sender batches its system calls, 32 requests or 64 responses per call, so
# it takes less of the core); the row is requests answered per second, and it
# counts only when every request was answered and no session was lost.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "40-server: needs root" >&2; exit 0; }

. tests/bpf/testns.sh
timeout 300 ip netns exec "$NS" build/san/tests/bpf/bench_prog build/san/tests/bpf/floor.bpf.o

S=$$-$RANDOM
CL=rb-cl-$S SV=rb-sv-$S
TMP=$(mktemp -d)
srv_pid=
t_on_exit 'rm -rf "$TMP"'
t_on_exit '[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null'
t_ns_add "$CL" "$SV"
for n in $CL $SV; do
	ip netns exec "$n" sysctl -qw net.ipv4.icmp_ratemask=0
done
ip link add eth0 netns "$CL" type veth peer name eth0 netns "$SV"
ip netns exec "$CL" ip addr add 10.201.9.2/24 dev eth0
ip netns exec "$SV" ip addr add 10.201.9.1/24 dev eth0
ip netns exec "$CL" ip link set eth0 up
ip netns exec "$SV" ip link set eth0 up
taskset -c 0 ip netns exec "$SV" build/bin/rtr-server -n 1000000 -t 5s --rate 0 --global-rate 0 \
	--stats=json --interval 1 eth0 >"$TMP/srv.out" 2>"$TMP/srv.err" &
srv_pid=$!
wait_for 10 grep -qs serving "$TMP/srv.err"
ip netns exec "$CL" ping -c 1 -W 1 10.201.9.1 >/dev/null # neighbour entries
# Sessions lost so far: timed out, or refused for table space, a duplicate or an internal error.
lost_sessions() {
	grep '^{' "$TMP/srv.out" | tail -n 1 | grep -o '"\(timeouts\|drop_table_full\|drop_internal\|drop_duplicate\)":[0-9]*' |
		cut -d: -f2 | awk '{ n += $1 } END { print n + 0 }'
}
# From the highest offered rate down, the first at which every request was answered and no
# session lost; the figure is what was answered per second, first request to last response
# (above the capacity of the core the sender sends slower than offered).
best=0
for rate in ${RTR_E2E_RATES:-200000 150000 100000 70000 50000 30000}; do
	count=$((rate * 2))
	before=$(lost_sessions)
	out=$(taskset -c 0 timeout 60 ip netns exec "$CL" build/rel/tests/bpf/rtr_trace flood \
		-s 10.201.9.1 -p 1 -t 2 -n $count -r $rate -w 1000 -i 0)
	answered=$(awk '{print $4}' <<<"$out")
	ns=$(awk '{print $6}' <<<"$out")
	sleep 6.5 # past the 5 s timeout: unanswered sessions have been swept and counted
	lost=$(lost_sessions)
	lost=$((lost - before))
	secs=$(awk -v n="${ns:-0}" 'BEGIN { print n / 1e9 }')
	echo "e2e: offered $count at $rate/s, answered ${answered:-0} in ${secs}s, sessions lost $lost" >&2
	if [ "${answered:-0}" -eq "$count" ] && [ "$lost" -eq 0 ] && [ "${ns:-0}" -gt 0 ]; then
		best=$(awk -v n="$answered" -v s="$secs" 'BEGIN { print n / s }')
		break
	fi
done
printf 'BENCH server_e2e_requests_per_s %.0f req/s - -\n' "$best"
