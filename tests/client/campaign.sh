#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# campaign.sh: rtr-client campaigns in the multihomed lab with rtr-server on its server node:
# --targets FILE (and stdin) streams one schema-valid JSON line per trace, each on a truth path;
# the packet rate seen in a capture on the client's link stays under --rate; kill -9 mid-campaign
# leaves only whole, valid lines; forward, two-way and multipath campaigns; a target without a
# server, or one the host refuses to send to, is a failed trace, not a failed campaign;
# --all-endpoints; SIGINT; the progress line on a terminal. Prints "N passed, N failed". Root.
#
#                  +--2-- r2 --3-- server:eth0
#   client --1-- r1
#                  +--4-- r3 --5-- server:eth1
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
SCHEMA=client/rtr-client.schema.json
WORK=$(mktemp -d)
LAB_PREFIX=rtcp
. tests/lib/lab-server.sh
CAP=
t_on_exit '[ -n "$CAP" ] && kill "$CAP" 2>/dev/null; lab_down; rm -rf "$WORK"'

lab_up multihomed || t_abort "lab or server did not come up"
CNS=rtrlab-$NAME-client

# valid FILE: every line is one JSON document that the schema accepts (the file ends in a newline).
valid() {
	python3 tests/client/validate.py "$SCHEMA" --jsonl "$1" && [ "$(tail -c1 "$1" | od -An -c | tr -d ' ')" = '\n' ]
}

# on_truth FILE FROM TO: the first trace of every line is one of the lab's truth paths.
on_truth() {
	local line p off=0
	while IFS= read -r line; do
		p=$2
		while IFS= read -r hop; do
			local n=
			for a in $hop; do n+=${n:++}${NODE_OF[$a]:-?}; done
			p+=" ${n:-*}"
		done < <(jq -r '.traces[0].hops[] | [.probes[] | select(.answered and .address) |
			.address] | unique | join(" ")' <<<"$line")
		grep -qxF "$2 $3: $p" "$WORK/truth" || { off=$((off + 1)); echo "off truth: $p"; }
	done <"$1"
	[ $off -eq 0 ]
}

# capture_start: outgoing reverse requests (Echo Request, code 1) on the client's link.
capture_start() {
	rm -f "$WORK/cap.pcap" "$WORK/cap.err"
	ip netns exec "$CNS" tcpdump -Z root --immediate-mode -i eth0 -Q out -n -U -w "$WORK/cap.pcap" \
		'(icmp and icmp[0] == 8 and icmp[1] == 1) or (icmp6 and ip6[40] == 128 and ip6[41] == 1)' \
		2>"$WORK/cap.err" &
	CAP=$!
	timeout 10 bash -c "until grep -qs 'listening on' '$WORK/cap.err'; do sleep 0.05; done"
}
# capture_stop N: once N packets are in the file (at most 5 s), stop tcpdump.
capture_stop() {
	timeout 5 bash -c "until [ \$(tcpdump -r '$WORK/cap.pcap' 2>/dev/null | wc -l) -ge $1 ]; do sleep 0.1; done"
	kill -INT "$CAP" 2>/dev/null; wait "$CAP" 2>/dev/null; CAP=
}

# Targets: the server's four interface addresses (both families), six times each.
mapfile -t SRV < <(awk '$1 == "server" && $2 != "primary" { sub("/.*", "", $3); print $3 }' "$WORK/addrs")
# The truth's forward path is the one to eth0 (eth1 is reached through r3).
mapfile -t ETH0 < <(awk '$1 == "server" && $2 == "eth0" { sub("/.*", "", $3); print $3 }' "$WORK/addrs")
: >"$WORK/targets.txt"
for i in 1 2 3 4 5 6; do printf '%s\n' "${SRV[@]}" >>"$WORK/targets.txt"; done
N=$(wc -l <"$WORK/targets.txt")
[ ${#SRV[@]} -eq 4 ] && ok || fail "expected 4 server addresses, got ${SRV[*]}"

# 1. The campaign of the issue, at --rate 200, measured on the wire. Neighbours resolved first:
# packets queued behind ARP/ND would reach the wire later and bunched, as no sender made them.
for a in "${SRV[@]}"; do timeout 5 ip netns exec "$CNS" ping -c 1 -W 2 "$a" >/dev/null 2>&1; done
capture_start
client -n -w 1 --targets "$WORK/targets.txt" --format jsonl --rate 200 reverse udp singlepath \
	>"$WORK/rev.jsonl" 2>"$WORK/rev.err"
rc=$?
sent=$(jq -s 'map(.traces[0].probe_counts.sent) | add' "$WORK/rev.jsonl")
capture_stop "$sent"
lines=$(wc -l <"$WORK/rev.jsonl")
if [ $rc -eq 0 ] && [ "$lines" -eq "$N" ] && valid "$WORK/rev.jsonl"; then ok; else
	fail "reverse campaign: rc $rc, $lines lines of $N: $(head -c 400 "$WORK/rev.err")"; fi
# Every line a completed trace back to us on a truth path; every target once per copy.
if [ "$(jq -r '.traces[0].stop_reason' "$WORK/rev.jsonl" | sort -u)" = completed ] &&
	on_truth "$WORK/rev.jsonl" server client; then ok; else fail "reverse campaign: paths or stop reasons"; fi
if [ "$(jq -r .target "$WORK/rev.jsonl" | sort | uniq -c | awk '{ print $1 }' | sort -u)" = 6 ]; then ok; else
	fail "reverse campaign: targets $(jq -r .target "$WORK/rev.jsonl" | sort | uniq -c | tr '\n' ' ')"; fi
# The capture: as many requests as the JSON says were sent; no 1-second window above the rate
# (plus the 5 slots of catch-up CLI-32 allows at 200/s), the whole campaign at most 5% above it.
tcpdump -r "$WORK/cap.pcap" -n -tt 2>/dev/null | awk '{ print $1 }' >"$WORK/times"
seen=$(wc -l <"$WORK/times")
read -r avg peak < <(awk '{ t[NR] = $1 } END {
	j = 1; peak = 0
	for (i = 1; i <= NR; i++) { while (t[i] - t[j] >= 1) j++; if (i - j + 1 > peak) peak = i - j + 1 }
	printf "%.1f %d\n", (NR - 1) / (t[NR] - t[1]), peak }' "$WORK/times")
echo "campaign: $seen requests on the wire ($sent in the JSON), $avg/s on average, at most $peak in 1 s"
if [ "$seen" -eq "$sent" ] && [ "$seen" -gt 100 ]; then ok; else fail "capture $seen requests, JSON $sent"; fi
if awk -v a="$avg" -v p="$peak" 'BEGIN { exit !(a <= 210 && a >= 100 && p <= 206) }'; then ok; else
	fail "rate: $avg/s on average, $peak in one second (--rate 200)"; fi
grep -q "^rtr-client: campaign: $N traces, 0 failed, $sent packets" "$WORK/rev.err" && ok ||
	fail "summary line: $(tail -1 "$WORK/rev.err")"

# 2. kill -9 mid-campaign: every line already written is whole and valid.
for i in $(seq 8); do cat "$WORK/targets.txt"; done >"$WORK/many.txt"
ip netns exec "$CNS" "$BIN" -n -w 1 --concurrent 4 --rate 60 --targets - --format jsonl \
	reverse udp singlepath <"$WORK/many.txt" >"$WORK/killed.jsonl" 2>/dev/null &
pid=$!
timeout 60 bash -c "until [ \$(wc -l <'$WORK/killed.jsonl') -ge 5 ]; do sleep 0.05; done"
kill -9 $pid; wait $pid 2>/dev/null
lines=$(wc -l <"$WORK/killed.jsonl")
if [ "$lines" -ge 5 ] && [ "$lines" -lt $((N * 8)) ] && valid "$WORK/killed.jsonl"; then ok; else
	fail "kill -9: $lines lines, valid: $(valid "$WORK/killed.jsonl" && echo yes || echo no)"; fi

# 3. Forward, two-way singlepath and multipath campaigns, and a target without a server (r1).
R1=$(awk '$1 == "r1" && $2 == "primary" && $3 !~ /:/ { sub("/.*", "", $3); print $3 }' "$WORK/addrs")
client -n -w 1 --rate 300 --format jsonl forward icmp singlepath "${ETH0[@]}" "${ETH0[@]}" >"$WORK/fwd.jsonl" 2>"$WORK/fwd.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$WORK/fwd.jsonl")" -eq 4 ] && valid "$WORK/fwd.jsonl" &&
	on_truth "$WORK/fwd.jsonl" client server; then ok; else fail "forward campaign: rc $rc $(head -c 300 "$WORK/fwd.err")"; fi
client -n -w 1 --rate 300 --format jsonl two-way udp singlepath "${SRV[0]}" "$R1" >"$WORK/two.jsonl" 2>"$WORK/two.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$WORK/two.jsonl")" -eq 2 ] && valid "$WORK/two.jsonl" &&
	[ "$(jq -r '[.target, (.traces | map(.stop_reason) | join(","))] | join(" ")' "$WORK/two.jsonl" | sort)" = \
	"$(printf '%s\n' "${SRV[0]} completed,completed" "$R1 completed,no-server" | sort)" ] &&
	grep -q "^rtr-client: $R1: " "$WORK/two.err" &&
	grep -q "^rtr-client: campaign: 2 traces, 1 failed" "$WORK/two.err"; then ok; else
	fail "two-way campaign: rc $rc $(jq -c '[.target, (.traces | map(.stop_reason))]' "$WORK/two.jsonl" | tr '\n' ' ') $(head -c 300 "$WORK/two.err")"; fi
client -n -w 1 --rate 300 --format jsonl --concurrent 2 two-way udp multipath "${SRV[0]}" "${SRV[1]}" \
	>"$WORK/mda.jsonl" 2>"$WORK/mda.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$WORK/mda.jsonl")" -eq 2 ] && valid "$WORK/mda.jsonl" &&
	[ "$(jq -r '.traces[] | .stop_reason' "$WORK/mda.jsonl" | sort -u)" = completed ] &&
	[ "$(jq -r '.traces[] | .links | type' "$WORK/mda.jsonl" | sort -u)" = array ]; then ok; else
	fail "multipath campaign: rc $rc $(head -c 300 "$WORK/mda.err")"; fi
# Text campaigns print one table per trace as each ends.
client -n -w 1 --rate 300 reverse udp singlepath "${SRV[0]}" "${SRV[2]}" >"$WORK/text.out" 2>"$WORK/text.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '^rtr-client reverse udp singlepath' "$WORK/text.out")" -eq 2 ]; then ok; else
	fail "text campaign: rc $rc $(head -c 300 "$WORK/text.out")"; fi
# 4. --all-endpoints: every server of the list, written under its NAME.
printf 'srv4 %s lab server, IPv4\nsrv6 %s lab server, IPv6\n' "${ETH0[@]}" >"$WORK/endpoints"
client -n -w 1 --rate 300 --endpoints "$WORK/endpoints" --all-endpoints --format jsonl \
	reverse udp singlepath >"$WORK/all.jsonl" 2>"$WORK/all.err"
rc=$?
if [ $rc -eq 0 ] && valid "$WORK/all.jsonl" &&
	[ "$(jq -r '[.target, .traces[0].stop_reason] | join(" ")' "$WORK/all.jsonl" | sort | tr '\n' ,)" = \
	"srv4 completed,srv6 completed," ]; then ok; else
	fail "--all-endpoints: rc $rc $(head -c 300 "$WORK/all.err")"; fi

# 5. SIGINT: the running traces end as interrupted and are written; no more start; status 130.
ip netns exec "$CNS" "$BIN" -n -w 1 --concurrent 2 --rate 20 --targets "$WORK/many.txt" --format jsonl \
	reverse udp singlepath >"$WORK/int.jsonl" 2>"$WORK/int.err" &
pid=$!
timeout 60 bash -c "until [ \$(wc -l <'$WORK/int.jsonl') -ge 2 ]; do sleep 0.05; done"
kill -INT $pid
wait $pid
rc=$?
lines=$(wc -l <"$WORK/int.jsonl")
if [ $rc -eq 130 ] && valid "$WORK/int.jsonl" && [ "$lines" -lt $((N * 8)) ] &&
	[ "$(jq -r '.traces[0].stop_reason' "$WORK/int.jsonl" | grep -c interrupted)" -ge 1 ] &&
	grep -q "^rtr-client: campaign: $((N * 8)) traces, [0-9]* failed" "$WORK/int.err"; then ok; else
	fail "SIGINT: rc $rc, $lines lines, $(jq -r '.traces[0].stop_reason' "$WORK/int.jsonl" | sort | uniq -c | tr '\n' ' ') $(tail -1 "$WORK/int.err")"; fi

# 6. A packet this host refuses to send (an nftables drop in the client's namespace) ends that
# trace, not the campaign.
ip netns exec "$CNS" nft -f - <<NFT
table inet rtrcampaign {
	chain out {
		type filter hook output priority 0; policy accept;
		ip daddr ${ETH0[0]} drop
	}
}
NFT
client -n -w 1 --rate 300 --format jsonl reverse udp singlepath "${ETH0[0]}" "${ETH0[1]}" \
	>"$WORK/nft.jsonl" 2>"$WORK/nft.err"
rc=$?
ip netns exec "$CNS" nft delete table inet rtrcampaign
if [ $rc -eq 0 ] && valid "$WORK/nft.jsonl" &&
	[ "$(jq -r '[.target, .traces[0].stop_reason] | join(" ")' "$WORK/nft.jsonl" | sort | tr '\n' ,)" = \
	"$(printf '%s interrupted\n%s completed\n' "${ETH0[0]}" "${ETH0[1]}" | sort | tr '\n' ,)" ] &&
	grep -qxF "rtr-client: ${ETH0[0]}: cannot send: Operation not permitted" "$WORK/nft.err"; then ok; else
	fail "send refused: rc $rc $(jq -c '[.target, .traces[0].stop_reason]' "$WORK/nft.jsonl" | tr '\n' ' ') $(head -c 300 "$WORK/nft.err")"; fi

# 7. On a terminal, one progress line on stderr, redrawn in place and erased at the end.
cat >"$WORK/on_tty.py" <<'PY'
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=s)
os.close(s)
out = b""
while True:
    try:
        d = os.read(m, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.buffer.write(out)
sys.exit(p.wait())
PY
timeout 60 ip netns exec "$CNS" python3 "$WORK/on_tty.py" "$BIN" -n -w 1 --rate 60 reverse udp singlepath \
	"${SRV[@]}" "${SRV[@]}" >"$WORK/tty.err"
rc=$?
if [ $rc -eq 0 ] && grep -aq $'\rcampaign: [0-9]/8 done, [0-9] running, 0 failed, [0-9]* packets/s\e\[K' "$WORK/tty.err" &&
	grep -aq $'\r\e\[Krtr-client: campaign: 8 traces, 0 failed' "$WORK/tty.err"; then ok; else
	fail "progress line on a terminal: rc $rc $(head -c 300 "$WORK/tty.err" | od -c | head -5)"; fi
t_done campaign
