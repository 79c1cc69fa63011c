#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bench_campaign.sh: a campaign of 200 reverse traces (the multihomed lab's four server addresses,
# both families, 50 times each) at --rate 200: the request rate counted in a capture on the
# client's link against --rate, and the campaign's wall time against the same 200 traces run one
# by one (each at the same --rate), measured in this run.
# Prints "BENCH <name> <value> <unit> <baseline-name> <baseline-value>" lines (tests/bench.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
RATE=${RTR_BENCH_CAMPAIGN_RATE:-200}
COPIES=${RTR_BENCH_CAMPAIGN_COPIES:-50}
WORK=$(mktemp -d)
LAB_PREFIX=rtbc
BIN=$PWD/build/bin/rtr-client
. tests/lib/lab-server.sh
CAP=
trap '[ -n "$CAP" ] && kill "$CAP" 2>/dev/null; lab_down; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
make -s build/bin/rtr-client build/bin/rtr-server build/bin/rtr-lab >&2 || exit 1
lab_up multihomed || { echo "lab did not come up" >&2; exit 1; }
CNS=rtrlab-$NAME-client
mapfile -t SRV < <(awk '$1 == "server" && $2 != "primary" { sub("/.*", "", $3); print $3 }' "$WORK/addrs")
for ((i = 0; i < COPIES; i++)); do printf '%s\n' "${SRV[@]}"; done >"$WORK/targets.txt"
N=$(wc -l <"$WORK/targets.txt")

ip netns exec "$CNS" tcpdump -Z root --immediate-mode -i eth0 -Q out -n -U -w "$WORK/cap.pcap" \
	'(icmp and icmp[0] == 8 and icmp[1] == 1) or (icmp6 and ip6[40] == 128 and ip6[41] == 1)' \
	2>"$WORK/cap.err" &
CAP=$!
timeout 10 bash -c "until grep -qs 'listening on' '$WORK/cap.err'; do sleep 0.05; done"
t0=$(date +%s%N)
timeout 600 ip netns exec "$CNS" "$BIN" -n -w 1 --rate "$RATE" --targets "$WORK/targets.txt" \
	--format jsonl reverse udp singlepath >"$WORK/c.jsonl" 2>"$WORK/c.err" ||
	{ cat "$WORK/c.err" >&2; exit 1; }
t1=$(date +%s%N)
sent=$(jq -s 'map(.traces[0].probe_counts.sent) | add' "$WORK/c.jsonl")
timeout 10 bash -c "until [ \$(tcpdump -r '$WORK/cap.pcap' 2>/dev/null | wc -l) -ge $sent ]; do sleep 0.1; done"
kill -INT "$CAP"; wait "$CAP" 2>/dev/null; CAP=; [ -n "${RTR_BENCH_KEEP:-}" ] && cp "$WORK/cap.pcap" "$RTR_BENCH_KEEP"
lines=$(wc -l <"$WORK/c.jsonl")
[ "$lines" -eq "$N" ] || { echo "campaign wrote $lines of $N lines" >&2; exit 1; }
read -r seen pps < <(tcpdump -r "$WORK/cap.pcap" -n -tt 2>/dev/null |
	awk '{ t[NR] = $1 } END { printf "%d %.2f\n", NR, (NR - 1) / (t[NR] - t[1]) }')
echo "campaign: $N traces, $sent requests in the JSON, $seen on the wire" >&2

# The same traces one by one, each a process of its own at the same --rate.
t2=$(date +%s%N)
while read -r target; do
	timeout 60 ip netns exec "$CNS" "$BIN" -n -w 1 --rate "$RATE" --format json reverse udp singlepath \
		"$target" >/dev/null 2>&1 || { echo "one-by-one trace to $target failed" >&2; exit 1; }
done <"$WORK/targets.txt"
t3=$(date +%s%N)
echo "BENCH campaign_${N}_reverse_rate $pps pps campaign_rate_setting $RATE"
echo "BENCH campaign_${N}_reverse_wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }') s" \
	"one_by_one_${N}_wall $(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
