#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# live.sh: rtr-client against real namespaces and sockets; every trace must equal the lab's truth.
#
#   client ---- r1 ---- r2 ---- target       (tests/client/topo.sh; root needed)
#
# Prints "N passed, N failed". Reverse traces against rtr-server are in live-server.sh.
# The offload pair below is built by hand: rtr-lab always turns veth checksum offload off.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
BIN=${RTR_CLIENT:-$PWD/build/san/bin/rtr-client}
SCHEMA=client/rtr-client.schema.json
. tests/client/topo.sh
WORK=$(mktemp -d)
CPIDS=()
OFF_NS=()
cleanup() {
	local p
	for p in "${CPIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for p in "${OFF_NS[@]}"; do ip netns del "$p" 2>/dev/null; done
	topo_down
	rm -rf "$WORK"
}
t_on_exit cleanup

topo_up || t_abort "topology did not come up"
client() { timeout 30 ip netns exec "$C" "$BIN" "$@"; }

declare -A V4=([target]=10.201.3.2 [hops]="10.201.1.1 10.201.2.2 10.201.3.2"
	[unreach]=10.201.9.1 [hole]=10.201.8.1 [r1]=10.201.1.1 [src]=10.201.1.2)
declare -A V6=([target]=fd00:201:3::2 [hops]="fd00:201:1::1 fd00:201:2::2 fd00:201:3::2"
	[unreach]=fd00:201:9::1 [hole]=fd00:201:8::1 [r1]=fd00:201:1::1 [src]=fd00:201:1::2)

# 1. Forward singlepath traces equal the truth: every family and protocol, text and JSON.
for fam in 4 6; do
	declare -n L=V$fam
	for proto in udp tcp icmp; do
		j=$WORK/fwd-$fam-$proto.json
		client -n -w 1 --format json -o "$j" forward $proto singlepath "${L[target]}"
		rc=$?
		got=$(hops "$j")
		if [ $rc -eq 0 ] && [ "$got" = "${L[hops]}" ] &&
			[ "$(field "$j" stop_reason)" = completed ] && [ "$(field "$j" last_ttl)" = 3 ] &&
			[ "$(jq -r .src "$j")" = "${L[src]}" ] &&
			[ "$(jq '[.traces[0].hops[].probes[] | select(.answered)] | length' "$j")" = 9 ]; then
			ok
		else
			fail "forward $proto IPv$fam: rc $rc hops '$got' (want '${L[hops]}')"
		fi
		# The destination is known by the kind of answer.
		want=$(case $proto in udp) echo destination-unreachable ;; tcp) echo tcp-rst ;;
			icmp) echo echo-reply ;; esac)
		k=$(jq -r '.traces[0].hops[2].probes[0].answer' "$j")
		[ "$k" = "$want" ] && ok || fail "forward $proto IPv$fam: last answer '$k' (want $want)"
		t=$(client -n -w 1 -q 2 forward $proto singlepath "${L[target]}")
		# hop lines: number, address, two RTTs
		n=$(grep -cE '^  [123]  [0-9a-f:.]+  [0-9]+\.[0-9]{3} ms  [0-9]+\.[0-9]{3} ms$' <<<"$t")
		grep -q '^forward stop: completed after hop 3' <<<"$t" && [ "$n" = 3 ] && ok ||
			fail "forward $proto IPv$fam text: $t"
	done
done

# 2. The JSON of every run validates against the schema.
/usr/bin/python3 tests/client/validate.py "$SCHEMA" "$WORK"/*.json && ok || fail "schema validation"

# 3. Stop reasons: unreachable, gap limit, max TTL, interrupted. IPv4 unreachable routes answer
# at most 5 errors in a burst (ip_error's own limiter, not a namespace sysctl): one probe in flight.
for fam in 4 6; do
	declare -n L=V$fam
	j=$WORK/unreach-$fam.json
	client -n -w 1 -q 1 -N 1 --format json -o "$j" forward udp singlepath "${L[unreach]}"
	[ "$(field "$j" stop_reason)" = unreachable ] && [ "$(field "$j" last_ttl)" = 2 ] &&
		[ "$(jq -r '.traces[0].hops[1].verdict' "$j")" = unreachable ] &&
		[ "$(jq -r '.traces[0].hops[1].probes[0].icmp_type' "$j")" = "$([ $fam = 4 ] && echo 3 || echo 1)" ] &&
		ok || fail "unreachable IPv$fam: $(field "$j" stop_reason) $(hops "$j")"
	t=$(client -n -w 1 -q 1 -N 1 forward icmp singlepath "${L[unreach]}")
	grep -qE '^  2  10\.201\.2\.2 .*!H|^  2  fd00:201:2::2 .*!N' <<<"$t" && ok || fail "unreachable text: $t"

	j=$WORK/gap-$fam.json
	client -n -w 0.3 --gap-limit 2 --format json -o "$j" forward tcp singlepath "${L[hole]}"
	[ "$(field "$j" stop_reason)" = gap-limit ] && [ "$(field "$j" last_ttl)" = 3 ] &&
		[ "$(hops "$j")" = "${L[r1]} * *" ] && ok ||
		fail "gap limit IPv$fam: $(field "$j" stop_reason) $(hops "$j")"

	# Streaming text (issue 13 item 2): through a pipe, hop 1 is printed as soon as it is
	# settled, long before the trace ends in the blackhole (two silent hops of 2 s each).
	client -n -w 2 --gap-limit 2 forward udp singlepath "${L[hole]}" |
		while IFS= read -r l; do printf '%s %s\n' "$(date +%s%N)" "$l"; done >"$WORK/stream"
	h1=$(awk '$2 == "1" { print $1 }' "$WORK/stream")
	end=$(awk '$2 == "forward" && $3 == "stop:" { print $1 }' "$WORK/stream")
	[ -n "$h1" ] && [ -n "$end" ] && [ $((end - h1)) -gt 1000000000 ] &&
		[ "$(awk '{ $1 = ""; print }' "$WORK/stream" | grep -cE '^ +[123] ')" = 3 ] && ok ||
		fail "streaming IPv$fam: hop 1 at ${h1:-?}, stop at ${end:-?}: $(cat "$WORK/stream")"

	j=$WORK/max-$fam.json
	client -n -w 1 --max-ttl 2 --format json -o "$j" forward icmp singlepath "${L[target]}"
	[ "$(field "$j" stop_reason)" = max-ttl ] && [ "$(field "$j" last_ttl)" = 2 ] && ok ||
		fail "max ttl IPv$fam: $(field "$j" stop_reason)"
done
timeout --preserve-status -s INT 1 ip netns exec "$C" "$BIN" -n -w 5 --gap-limit 0 \
	--format json -o "$WORK/int.json" forward udp singlepath 10.201.8.1 2>/dev/null
rc=$?
[ $rc -eq 130 ] && [ "$(field "$WORK/int.json" stop_reason)" = interrupted ] && ok ||
	fail "interrupt: rc $rc"

# 4. Reverse against a host without a server: its kernel echoes the presence check.
for fam in 4 6; do
	declare -n L=V$fam
	client -n -w 1 --format json -o "$WORK/nosrv-$fam.json" reverse udp singlepath \
		"${L[target]}" 2>"$WORK/err"
	rc=$?
	[ $rc -eq 3 ] && [ "$(wc -l <"$WORK/err")" = 1 ] &&
		grep -q "no reverse traceroute server at ${L[target]}" "$WORK/err" &&
		[ "$(field "$WORK/nosrv-$fam.json" server.kernel_echo)" = true ] &&
		[ "$(field "$WORK/nosrv-$fam.json" probe_counts.sent)" = 1 ] && ok ||
		fail "no server IPv$fam: rc $rc $(cat "$WORK/err")"
done
# Text: the stop line says it, and stderr does not say it a second time (issue 13).
t=$(client -n -w 1 reverse icmp singlepath 10.201.3.2 2>"$WORK/err")
rc=$?
[ $rc -eq 3 ] && [ "$(grep -c 'no reverse traceroute server at' <<<"$t")" = 1 ] &&
	[ ! -s "$WORK/err" ] && ok || fail "no-server said once: rc $rc, stderr '$(cat "$WORK/err")'"
t=$(client -n -w 1 two-way tcp singlepath 10.201.3.2 2>/dev/null)
rc=$?
[ $rc -eq 3 ] && grep -qE '^  3  10\.201\.3\.2  .* ms$' <<<"$t" &&
	grep -q '^reverse stop: no-server' <<<"$t" && grep -q '^forward stop: completed' <<<"$t" &&
	ok || fail "two-way without server: rc $rc $t"
/usr/bin/python3 tests/client/validate.py "$SCHEMA" "$WORK"/*.json && ok || fail "schema validation 2"

# 5. --pcap records every packet sent and every answer; -i and -s are honoured.
client -n -w 1 -i c0 -s 10.201.1.2 --pcap "$WORK/t.pcap" --format json -o "$WORK/p.json" \
	forward udp singlepath 10.201.3.2
sent=$(field "$WORK/p.json" probe_counts.sent)
out=$(tcpdump -nr "$WORK/t.pcap" 'src 10.201.1.2 and udp src port 1021' 2>/dev/null | wc -l)
in=$(tcpdump -nr "$WORK/t.pcap" 'icmp and dst 10.201.1.2' 2>/dev/null | wc -l)
[ "$sent" -gt 0 ] && [ "$out" = "$sent" ] && [ "$in" -ge 9 ] &&
	[ "$(hops "$WORK/p.json")" = "${V4[hops]}" ] && ok ||
	fail "pcap: sent $sent, recorded out $out in $in"
client -n -w 1 -6 -i c0 --pcap "$WORK/t6.pcap" forward icmp singlepath fd00:201:3::2 >/dev/null
n=$(tcpdump -nr "$WORK/t6.pcap" 'icmp6 and dst fd00:201:1::2' 2>/dev/null | grep -c 'time exceeded')
[ "$n" -ge 6 ] && ok || fail "pcap IPv6: $n time exceeded recorded"
# The default UDP probe is traceroute's (CLI-22): port 33434, which tcpdump shows as plain UDP,
# not as a broken DNS query.
udp=$(tcpdump -nr "$WORK/t.pcap" 'src 10.201.1.2 and udp src port 1021' 2>/dev/null)
[ "$(field "$WORK/p.json" flow)" = 33434 ] && [ -n "$udp" ] &&
	! grep -vqE '10\.201\.1\.2\.1021 > 10\.201\.3\.2\.33434: UDP, length [0-9]+$' <<<"$udp" &&
	ok || fail "default UDP probe: flow $(field "$WORK/p.json" flow): $(head -2 <<<"$udp")"
# Flushed as the trace runs (issue 13): a client killed while it waits on the blackhole leaves a
# capture that reads, with hop 1's answers in it.
ip netns exec "$C" "$BIN" -n -w 30 --pcap "$WORK/killed.pcap" forward udp singlepath \
	"${V4[hole]}" >/dev/null 2>&1 &
victim=$!
timeout 10 bash -c "until [ \$(tcpdump -nr $WORK/killed.pcap 'icmp and dst 10.201.1.2' \
	2>/dev/null | wc -l) -ge 3 ]; do sleep 0.1; done"
kill -KILL "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
n=$(tcpdump -nr "$WORK/killed.pcap" 'icmp and dst 10.201.1.2' 2>/dev/null | grep -c 'time exceeded')
[ "$n" -ge 3 ] && ok || fail "pcap of a killed client: $n time exceeded readable"

# Containers (issue 13, CLI-21): over a veth pair with checksum offload left on, the target's
# kernel sends its TCP RST with a partial checksum; the client completes it (PACKET_AUXDATA)
# and finds the destination, IPv6 and IPv4.
#
#   oa (va) ---- (vb) ob          fd00:201:77::/64, 10.201.77.0/24, offload on
OFF_NS=("rtrc-oa-$$-$RANDOM" "rtrc-ob-$$-$RANDOM")
ip netns add "${OFF_NS[0]}" && ip netns add "${OFF_NS[1]}" &&
	ip -n "${OFF_NS[0]}" link add va type veth peer name vb netns "${OFF_NS[1]}" &&
	ip -n "${OFF_NS[0]}" addr add fd00:201:77::1/64 dev va nodad &&
	ip -n "${OFF_NS[1]}" addr add fd00:201:77::2/64 dev vb nodad &&
	ip -n "${OFF_NS[0]}" addr add 10.201.77.1/24 dev va &&
	ip -n "${OFF_NS[1]}" addr add 10.201.77.2/24 dev vb &&
	ip -n "${OFF_NS[0]}" link set va up && ip -n "${OFF_NS[1]}" link set vb up ||
	fail "offload namespaces"
ip netns exec "${OFF_NS[0]}" ethtool -k va | grep -q '^tx-checksumming: on' ||
	fail "veth offload is not on: the case is not tested"
# The pair is usable once a ping crosses it (carrier, neighbours), both families.
timeout 10 bash -c "until ip netns exec ${OFF_NS[0]} ping -c1 -W1 fd00:201:77::2 &&
	ip netns exec ${OFF_NS[0]} ping -c1 -W1 10.201.77.2; do sleep 0.1; done" >/dev/null 2>&1 ||
	fail "offload pair does not pass pings"
for t in fd00:201:77::2 10.201.77.2; do
	j=$WORK/offload-$t.json
	timeout 30 ip netns exec "${OFF_NS[0]}" "$BIN" -n -w 1 --pcap "$WORK/offload.pcap" \
		--format json -o "$j" forward tcp singlepath "$t"
	[ "$(field "$j" stop_reason)" = completed ] && [ "$(field "$j" last_ttl)" = 1 ] &&
		[ "$(hops "$j")" = "$t" ] &&
		! tcpdump -vvnr "$WORK/offload.pcap" 'tcp' 2>/dev/null | grep -qi 'incorrect\|bad' &&
		ok || fail "offload on, TCP to $t: $(field "$j" stop_reason) after $(field "$j" last_ttl)"
done

# The packet socket for TCP answers is opened only when TCP answers can come: closing one waits
# for an RCU grace period (packet_release), which doubled the wall time of every UDP trace.
# packet_sockets PID: how many of PID's descriptors are packet sockets (its namespace's list).
packet_sockets() {
	local n=0 fd ino
	for fd in /proc/"$1"/fd/*; do
		ino=$(readlink "$fd" 2>/dev/null) || continue
		[[ $ino == socket:\[*\] ]] || continue
		ino=${ino#socket:[}
		awk -v i="${ino%]}" 'NR > 1 && $NF == i { f = 1 } END { exit !f }' /proc/"$1"/net/packet &&
			n=$((n + 1))
	done
	echo "$n"
}
for want in "0 forward udp" "0 forward icmp" "0 reverse tcp" "1 forward tcp"; do
	read -r n mode proto <<<"$want"
	# The blackholed address keeps the client waiting for answers with its sockets open.
	ip netns exec "$C" "$BIN" -n -w 2 -q 1 -m 3 "$mode" "$proto" singlepath 10.201.8.1 \
		>/dev/null 2>&1 &
	p=$!
	CPIDS+=("$p")
	# Every socket is open once the client has dropped its capabilities (main.c).
	wait_for 5 grep -q '^CapEff:[[:space:]]*0*$' /proc/"$p"/status
	got=$(packet_sockets "$p")
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	[ "$got" = "$n" ] && ok || fail "$mode $proto trace holds $got packet sockets, want $n"
done

# 6. DOT output is valid graphviz with the path's nodes and edges.
client -n -w 1 --format dot -o "$WORK/t.dot" forward udp singlepath 10.201.3.2
dot -Tsvg "$WORK/t.dot" -o "$WORK/t.svg" && grep -q '"10.201.1.1" -> "10.201.2.2"' "$WORK/t.dot" &&
	grep -q '"10.201.2.2" -> "10.201.3.2"' "$WORK/t.dot" && ok || fail "dot output"

# 7. Rate limit: packets leave at most --rate per second.
client -n -w 1 -q 1 --rate 20 --format json -o "$WORK/rate.json" forward icmp singlepath 10.201.3.2
sent=$(field "$WORK/rate.json" probe_counts.sent)
dur=$(field "$WORK/rate.json" duration_ms)
awk -v s="$sent" -v d="$dur" 'BEGIN { exit !(s >= 3 && d >= (s - 1) * 50 - 1) }' && ok ||
	fail "rate: $sent packets in $dur ms"

# 8. Privileges: without CAP_NET_RAW one clear line; with only CAP_NET_RAW a full trace.
ip netns exec "$C" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all "$BIN" -n forward udp singlepath 10.201.3.2 >"$WORK/o" 2>"$WORK/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q 'CAP_NET_RAW' "$WORK/err" && ok ||
	fail "no privileges: rc $rc $(cat "$WORK/err")"
ip netns exec "$C" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+net_raw \
	--ambient-caps=+net_raw "$BIN" -n -w 1 --format json forward tcp singlepath 10.201.3.2 \
	>"$WORK/cap.json" 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && [ "$(hops "$WORK/cap.json")" = "${V4[hops]}" ] && ok ||
	fail "CAP_NET_RAW only: rc $rc $(cat "$WORK/err")"

# 8b. An endpoint NAME as TARGET.
printf 'labtarget 10.201.3.2 the lab target\n' >"$WORK/ep"
client -n -w 1 --endpoints "$WORK/ep" --format json -o "$WORK/ep.json" forward udp singlepath labtarget
[ "$(hops "$WORK/ep.json")" = "${V4[hops]}" ] && [ "$(jq -r .target "$WORK/ep.json")" = labtarget ] &&
	ok || fail "endpoint name as TARGET"
# -i with an interface that does not exist: one clear line.
client -n -i nosuchif0 forward udp singlepath 10.201.3.2 >/dev/null 2>"$WORK/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q 'interface nosuchif0' "$WORK/err" &&
	ok || fail "-i nosuchif0: rc $rc $(cat "$WORK/err")"

# -s with an address of another lab node is refused: raw sockets never spoof.
client -n -s 10.201.2.1 forward udp singlepath 10.201.3.2 >/dev/null 2>"$WORK/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'is not an address of this host' "$WORK/err" && ok ||
	fail "-s foreign: rc $rc $(cat "$WORK/err")"

# Names: without -n hops are looked up (here through /etc/hosts: 127.0.0.1 is localhost).
name=$(getent hosts 127.0.0.1 | awk '{ print $2; exit }')
t=$(client -w 1 -q 1 forward udp singlepath 127.0.0.1)
client -w 1 -q 1 --format json -o "$WORK/name.json" forward udp singlepath 127.0.0.1
[ -n "$name" ] && grep -qxF "  1  $name (127.0.0.1)  $(grep -o '[0-9.]* ms$' <<<"$t" | head -1)" <<<"$t" &&
	[ "$(jq -r '.traces[0].hops[0].probes[0].name' "$WORK/name.json")" = "$name" ] &&
	[ "$(jq -r '.parameters.resolve' "$WORK/name.json")" = true ] && ok ||
	fail "names: '$name' $t"
# A hostile name (issue 13): an /etc/hosts of our own (bind-mounted in a private mount namespace)
# names r1 with an escape sequence and a byte that is not UTF-8; the text shows them escaped,
# the JSON document stays valid UTF-8.
printf '10.201.1.1 r1\033[2Jevil\377\n' >"$WORK/hosts"
hostile() {
	timeout 30 unshare --mount bash -c "mount --bind $WORK/hosts /etc/hosts &&
		ip netns exec $C $BIN -w 1 -q 1 $* forward udp singlepath 10.201.3.2"
}
t=$(hostile)
hostile --format json -o "$WORK/hostile.json"
grep -qF '  1  r1\x1b[2Jevil\xff (10.201.1.1)  ' <<<"$t" && ! grep -q $'\033' <<<"$t" &&
	/usr/bin/python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' \
		"$WORK/hostile.json" &&
	[ "$(jq -r '.traces[0].hops[0].probes[0].name' "$WORK/hostile.json")" = 'r1\x1b[2Jevil\xff' ] &&
	ok || fail "hostile name: $(od -c <<<"$t" | head -4)"

# 9. Progress goes to stderr only when it is a terminal, and is erased at the end.
script -qec "ip netns exec $C $BIN -n -w 1 -o $WORK/prog.txt forward udp singlepath 10.201.3.2" \
	"$WORK/typescript" >/dev/null </dev/null
grep -q 'forward: TTL [0-9]*, [0-9]* sent, [0-9]* answered' "$WORK/typescript" &&
	grep -q $'\r\033\[K' "$WORK/typescript" && grep -q '^forward stop: completed' "$WORK/prog.txt" &&
	ok || fail "progress on a terminal: $(od -c "$WORK/typescript" | head -5)"
client -n -w 1 -o "$WORK/quiet.txt" forward udp singlepath 10.201.3.2 2>"$WORK/err"
[ ! -s "$WORK/err" ] && ok || fail "progress leaked to a non-terminal: $(cat "$WORK/err")"

# 10. --transmit posts the JSON document to a collector on the client's loopback.
# start_collector DIR [CERT KEY]: runs collector.py in the client namespace; PORT is its port.
start_collector() {
	mkdir -p "$1"
	ip netns exec "$C" /usr/bin/python3 tests/client/collector.py "$@" >/dev/null 2>"$1/log" &
	CPIDS+=($!)
	timeout 10 bash -c "until [ -s $1/port ]; do sleep 0.05; done" && PORT=$(cat "$1/port")
}
PORT=
start_collector "$WORK/col" || fail "collector did not start: $(cat "$WORK/col/log")"
port=$PORT
url=http://127.0.0.1:$port/rtr
client -n -w 1 -y --transmit "$url" --format json -o "$WORK/tx.json" forward udp singlepath \
	10.201.3.2 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && [ -s "$WORK/col/post-1.json" ] &&
	[ "$(jq -S . "$WORK/col/post-1.json")" = "$(jq -S . "$WORK/tx.json")" ] &&
	grep -qi '^content-type: application/json' "$WORK/col/post-1.headers" &&
	/usr/bin/python3 tests/client/validate.py "$SCHEMA" "$WORK/col/post-1.json" && ok ||
	fail "transmit -y: rc $rc $(cat "$WORK/err")"
# Text on stdout, JSON to the collector; with -n no host names leave the machine.
# The question needs a terminal (script(1) gives it one, fed the answer).
echo n | timeout 30 script -qec "ip netns exec $C $BIN -n -w 1 --transmit $url forward udp \
	singlepath 10.201.3.2" /dev/null >"$WORK/err"
rc=$?
[ $rc -eq 0 ] && [ ! -e "$WORK/col/post-2.json" ] && grep -q 'result not transmitted' "$WORK/err" &&
	grep -q "send the result to $url? \[y/N\]" "$WORK/err" && ok || fail "transmit declined: rc $rc"
echo y | timeout 30 script -qec "ip netns exec $C $BIN -n -w 1 --transmit $url two-way icmp \
	singlepath 10.201.3.2" /dev/null >/dev/null 2>&1
[ -s "$WORK/col/post-2.json" ] && [ "$(jq -r .direction "$WORK/col/post-2.json")" = two-way ] &&
	[ "$(jq '[.. | objects | select(has("address")) | .name | select(. != null)] | length' \
		"$WORK/col/post-2.json")" = 0 ] && ok || fail "transmit confirmed"
client -n -w 1 -y --transmit "http://127.0.0.1:$port/fail" forward udp singlepath 10.201.3.2 \
	>/dev/null 2>"$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'answered HTTP 500' "$WORK/err" && ok || fail "transmit HTTP 500: rc $rc"
# Privileges are gone once the sockets are open: hold the client at its --transmit prompt
# and read its capabilities.
# The prompt needs a terminal: script(1) gives it one, fed from a FIFO; the client is the
# process under script whose executable is $BIN.
mkfifo "$WORK/answer"
script -qec "ip netns exec $C $BIN -n -w 1 --transmit $url forward udp singlepath 10.201.3.2" \
	/dev/null <"$WORK/answer" >"$WORK/prompt" 2>&1 &
held=$!
exec 9>"$WORK/answer"
timeout 20 bash -c "until grep -q 'y/N' $WORK/prompt; do sleep 0.05; done"
under() { local c; for c in $(ps -o pid= --ppid "$1"); do echo "$c"; under "$c"; done; }
caps=
for p in $(under "$held"); do
	[ "$(readlink "/proc/$p/exe")" = "$(readlink -f "$BIN")" ] &&
		caps=$(awk '/^CapEff|^CapPrm|^NoNewPrivs/ { print $1 $2 }' "/proc/$p/status" |
			paste -sd' ')
done
echo n >&9
exec 9>&-
wait "$held"
[ "$caps" = "CapPrm:0000000000000000 CapEff:0000000000000000 NoNewPrivs:1" ] && ok ||
	fail "privileges after the sockets are open: '$caps'"

# HTTPS goes through TLS: a self-signed collector is refused for its certificate, and
# accepted with --cacert naming it.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
start_collector "$WORK/tls" "$WORK/cert.pem" "$WORK/key.pem" || fail "TLS collector"
sport=$PORT
client -n -w 1 -y --transmit "https://127.0.0.1:$sport/rtr" forward udp singlepath 10.201.3.2 \
	>/dev/null 2>"$WORK/err"
rc=$?
[ $rc -eq 1 ] && grep -qi 'certificate' "$WORK/err" && [ ! -e "$WORK/tls/post-1.json" ] && ok ||
	fail "transmit https self-signed: rc $rc $(cat "$WORK/err")"
client -n -w 1 -y --cacert "$WORK/cert.pem" --transmit "https://127.0.0.1:$sport/rtr" \
	--format json -o "$WORK/tls.json" forward icmp singlepath 10.201.3.2 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && [ "$(jq -S . "$WORK/tls/post-1.json")" = "$(jq -S . "$WORK/tls.json")" ] && ok ||
	fail "transmit https with --cacert: rc $rc $(cat "$WORK/err")"

# CLI-6: a running trace holds no capability once its sockets are open, and cannot regain one.
ip netns exec "$C" "$BIN" -n -w 2 -m 2 forward udp singlepath "${V4[hole]}" >/dev/null 2>&1 &
cp=$!
CPIDS+=("$cp")
caps=""
for _ in $(seq 40); do # bounded: the trace lasts about 2 s
	caps=$(awk '/^(CapPrm|CapEff|NoNewPrivs):/ { printf "%s%s ", $1, $2 }' "/proc/$cp/status" 2>/dev/null)
	[ "$caps" = "CapPrm:0000000000000000 CapEff:0000000000000000 NoNewPrivs:1 " ] && break
	sleep 0.05
done
wait "$cp"
[ "$caps" = "CapPrm:0000000000000000 CapEff:0000000000000000 NoNewPrivs:1 " ] && ok ||
	fail "capabilities of a running trace: '$caps'"

t_done live
