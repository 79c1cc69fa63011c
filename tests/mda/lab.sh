#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# lab.sh: rtr-client multipath in every ECMP rtr-lab topology finds the lab's whole truth (every
# node and link) forward and reverse, UDP and TCP, IPv4 and IPv6, and ICMP on paris (whose routers
# hash ICMP flows); every JSON document valid against client/rtr-client.schema.json; text, DOT,
# SVG and two-way node matching checked on the diamond. rtr-server runs on the lab's server
# node. Prints "N passed, N failed". Needs root, build/bin/rtr-lab and build/bin/rtr-server.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
WORK=$(mktemp -d)
LAB_PREFIX=rtrm
. tests/lib/lab-server.sh
t_on_exit 'lab_down; rm -rf "$WORK"'

# mda_check TOPO FAM PROTO DIR: one multipath trace holds the whole truth of that direction.
# MDA is probabilistic: at alpha 0.01 a run misses a branch with a small probability. A run that
# finds anything the truth does not have fails at once; a run that misses part of the truth is
# repeated, at most 3 runs, and one of them must find all of it.
mda_check() {
	local topo=$1 fam=$2 proto=$3 dir=$4 from=client to=server attempt rc msg
	[ "$dir" = reverse ] && { from=server; to=client; }
	local j=$WORK/$topo-$dir-$fam-$proto.json
	for attempt in 1 2 3; do
		client -n -w 1 -a 0.01 --format json -o "$j" "$dir" "$proto" multipath \
			"${PRIMARY[server-$fam]}"
		rc=$?
		msg=$(python3 tests/mda/check_truth.py "$j" "$WORK/addrs" "$WORK/truth" $from $to 2>&1)
		[ $rc -eq 0 ] && [ "${msg%% *}" = ok ] && break
		[ $rc -eq 0 ] && [[ $msg == missing* && $msg != *foreign* ]] || break
	done
	local valid; valid=$(python3 tests/client/validate.py client/rtr-client.schema.json "$j" 2>&1)
	[ -z "$valid" ] || msg="schema: $valid"
	# The client's one default route (FIB): one answer at TTL 1 suffices, not n_1 = 6.
	local fh; fh=$(jq -c '.traces[0].hops[0] | [.ttl, .answered, (.interfaces | length)]' "$j")
	[ "$dir" = reverse ] || [ "$fh" = "[1,1,1]" ] || msg="first hop [ttl, answered, interfaces] $fh, want [1,1,1]"
	if [ $rc -eq 0 ] && [ "${msg%% *}" = ok ]; then
		ok
		echo "mda lab $topo $dir $proto IPv$fam: $msg, run $attempt"
	else
		fail "$topo $dir $proto IPv$fam: rc $rc $msg (run $attempt)"
	fi
}

for topo in ${MDA_LAB_TOPOS:-diamond unequal series meshed wide paris}; do
	[ "$topo" = nat ] && continue # below
	lab_up $topo || { fail "$topo: lab or server did not come up"; lab_down; continue; }
	for fam in 4 6; do
		for proto in udp tcp; do
			mda_check $topo $fam $proto forward
			mda_check $topo $fam $proto reverse
		done
		if [ $topo = paris ]; then
			mda_check $topo $fam icmp forward
			mda_check $topo $fam icmp reverse
		fi
	done
	if [ $topo = diamond ]; then
		# Two-way in one run; text lists every interface per hop; DOT and SVG through graphviz.
		s=${PRIMARY[server-4]}
		# (each check up to 3 runs: a run may miss a branch, see mda_check)
		for _ in 1 2 3; do
			client -n -w 1 -a 0.01 --format json -o "$WORK/tw.json" two-way udp multipath "$s" &&
				[ "$(jq '.same_router | length' "$WORK/tw.json")" -ge 6 ] && break
		done
		python3 tests/client/validate.py client/rtr-client.schema.json "$WORK/tw.json" &&
			[ "$(jq '.traces | length' "$WORK/tw.json")" = 2 ] &&
			[ "$(jq -r '.method' "$WORK/tw.json")" = multipath ] && ok ||
			fail "diamond two-way multipath JSON"
		# Two-way node matching: every pair is one router, and every router is matched.
		msg=$(python3 - "$WORK/tw.json" "$WORK/addrs" <<'PY'
import json, sys
node_of = {l.split()[2].split("/")[0]: l.split()[0] for l in open(sys.argv[2]) if len(l.split()) == 3}
pairs = json.load(open(sys.argv[1]))["same_router"]
wrong = [p for p in pairs if node_of.get(p["forward"]) != node_of.get(p["reverse"])]
routers = {node_of.get(p["forward"]) for p in pairs}
ok = not wrong and routers >= {"r1", "r2a", "r2b", "r3"} and all(p["words"] and p["evidence"] for p in pairs)
print("ok" if ok else f"wrong {wrong} routers {sorted(map(str, routers))}")
PY
)
		[ "$msg" = ok ] && ok || fail "diamond two-way matching: $msg"
		for _ in 1 2 3; do
			client -n -w 1 -a 0.01 forward udp multipath "$s" >"$WORK/t.txt" &&
				[ "$(grep -c '^     10.201.[2-5].2 ' "$WORK/t.txt")" = 4 ] && break
		done
		[ "$(grep -c '^     10.201.[2-5].2 ' "$WORK/t.txt")" = 4 ] &&
			grep -q '^forward stop: completed' "$WORK/t.txt" && ok ||
			fail "diamond text: $(cat "$WORK/t.txt")"
		for _ in 1 2 3; do
			client -n -w 1 -a 0.01 two-way udp multipath "$s" >"$WORK/tw.txt" &&
				grep -q '10.201.2.1: the reverse' "$WORK/tw.txt" && break
		done
		grep -q '^  forward 10.201.1.2 = reverse 10.201.2.1: the reverse address is the /30 mate of 10.201.2.2' "$WORK/tw.txt" &&
			grep -q '^reverse stop: completed' "$WORK/tw.txt" && ok ||
			fail "diamond two-way text: $(cat "$WORK/tw.txt")"
		for _ in 1 2 3; do
			client -n -w 1 -a 0.01 --format dot -o "$WORK/g.dot" forward udp multipath "$s" &&
				grep -q '"10.201.1.2" -> "10.201.3.2"' "$WORK/g.dot" &&
				grep -q '"10.201.1.2" -> "10.201.2.2"' "$WORK/g.dot" && break
		done
		dot -Tsvg "$WORK/g.dot" >/dev/null && grep -q '"10.201.1.2" -> "10.201.2.2"' "$WORK/g.dot" &&
			grep -q '"10.201.1.2" -> "10.201.3.2"' "$WORK/g.dot" && ok || fail "diamond dot"
		for _ in 1 2 3; do
			client -n -w 1 -a 0.01 --format svg -o "$WORK/g.svg" reverse udp multipath "$s" &&
				grep -q '10.201.4.1' "$WORK/g.svg" && grep -q '10.201.5.1' "$WORK/g.svg" && break
		done
		grep -q '<svg' "$WORK/g.svg" && grep -q '10.201.4.1' "$WORK/g.svg" &&
			grep -q '10.201.5.1' "$WORK/g.svg" && ok ||
			fail "diamond svg: $(head -c 200 "$WORK/g.svg")"
	fi
	lab_down
done

# nat: a reverse multipath trace ends at the NAT's public side, completed, and says so (CLI-4),
# instead of probing it at every TTL up to max-ttl.
if [[ " ${MDA_LAB_TOPOS:-nat} " == *" nat "* ]]; then
	if lab_up nat; then
		for fam in 4 6; do
			for proto in udp tcp icmp; do
				j=$WORK/nat-$fam-$proto.json
				client -n -w 1 --format json -o "$j" reverse $proto multipath \
					"${PRIMARY[server-$fam]}" >"$WORK/nat.txt" 2>&1
				got=$(jq -c '.traces[0] | [.stop_reason, .server.ended_elsewhere,
					(.hops | map(.interfaces | map(.address)) | last)]' "$j")
				want=$(jq -nc --arg a "$(awk -v f=$fam '$1 == "nat" && $2 == "eth1" {
					sub("/.*", "", $3); if (($3 ~ /:/) == (f == 6)) print $3 }' "$WORK/addrs")" \
					'["completed", true, [$a]]')
				nsent=$(jq '.traces[0].probe_counts.sent' "$j")
				if [ "$got" = "$want" ] && [ "$nsent" -le 60 ] &&
					grep -q "a NAT's public side" "$WORK/nat.txt"; then
					ok
					echo "mda lab nat reverse $proto IPv$fam: $got, $nsent requests"
				else
					fail "nat reverse multipath $proto IPv$fam: $got (want $want), $nsent requests"
				fi
			done
		done
	else
		fail "nat: lab or server did not come up"
	fi
	lab_down
fi
t_done
