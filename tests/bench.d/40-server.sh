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
# counts only when every request was answered and no session was lost. Its baseline,
# measured first in the same run on the same pair, is the rate at which sv's kernel
# echoes the same requests with no server loaded: the figure alone follows the machine
# (67k-84k req/s for both 2764ff8 and a721a97 on 2026-12-03, 119k-127k a week before).
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
ip netns exec "$CL" ping -c 1 -W 1 10.201.9.1 >/dev/null # neighbour entries
# flood_rate KERNEL: from the highest offered rate down, the first at which every request was
# answered (and, against rtr-server, no session lost); prints what was answered per second,
# first request to last answer (above the capacity of the core the sender sends slower than
# offered). KERNEL=1 floods sv with no server: its kernel echoes each request (RSP-7), the same
# sender, receiver, veth and core doing the least a host can do with a request; the baseline.
flood_rate() {
	local rate count out answered ns lost before secs k=
	[ "$1" = 1 ] && k=-k
	for rate in ${RTR_E2E_RATES:-200000 150000 100000 70000 50000 30000}; do
		count=$((rate * 2))
		before=0
		[ "$1" = 1 ] || before=$(lost_sessions)
		out=$(taskset -c 0 timeout 60 ip netns exec "$CL" build/rel/tests/bpf/rtr_trace flood \
			-s 10.201.9.1 -p 1 -t 2 -n $count -r $rate -w 1000 -i 0 $k)
		answered=$(awk '{print $4}' <<<"$out")
		ns=$(awk '{print $6}' <<<"$out")
		lost=0
		if [ "$1" != 1 ]; then
			sleep 6.5 # past the 5 s timeout: unanswered sessions have been swept and counted
			lost=$(($(lost_sessions) - before))
		fi
		secs=$(awk -v n="${ns:-0}" 'BEGIN { print n / 1e9 }')
		echo "e2e$k: offered $count at $rate/s, answered ${answered:-0} in ${secs}s, sessions lost $lost" >&2
		if [ "${answered:-0}" -eq "$count" ] && [ "$lost" -eq 0 ] && [ "${ns:-0}" -gt 0 ]; then
			awk -v n="$answered" -v s="$secs" 'BEGIN { printf "%.0f\n", n / s }'
			return
		fi
	done
	echo 0
}
# Sessions lost so far: timed out, or refused for table space, a duplicate or an internal error.
lost_sessions() {
	grep '^{' "$TMP/srv.out" | tail -n 1 | grep -o '"\(timeouts\|drop_table_full\|drop_internal\|drop_duplicate\)":[0-9]*' |
		cut -d: -f2 | awk '{ n += $1 } END { print n + 0 }'
}
echoes=$(flood_rate 1)
taskset -c 0 ip netns exec "$SV" build/bin/rtr-server -n 1000000 -t 5s --rate 0 --global-rate 0 \
	--stats=json --interval 1 eth0 >"$TMP/srv.out" 2>"$TMP/srv.err" &
srv_pid=$!
wait_for 10 grep -qs serving "$TMP/srv.err"
best=$(flood_rate 0)
printf 'BENCH server_e2e_requests_per_s %s req/s kernel_echo_requests_per_s %s\n' "$best" "$echoes"
