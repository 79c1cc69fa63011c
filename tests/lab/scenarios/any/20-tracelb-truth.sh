#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 20-tracelb-truth.sh: scamper tracelb (MDA, UDP source-port flows, IPv4) from each truth
# endpoint must find, at every TTL, exactly the nodes the truth puts at that distance.
# RTR_LAB_TRACELB_METHOD picks another probe method (the paris topology runs icmp-echo).
#
# tracelb stops at the first TTL where the destination answers, so TTLs are compared up to the
# shortest truth path; there the destination must answer.
set -uo pipefail -f
. "$(dirname "$0")/../../lib.sh"

method=${RTR_LAB_TRACELB_METHOD:-udp-sport}
declare -A owner
while read -r node ifc addr; do
	[ "$ifc" = primary ] || owner[${addr%/*}]=$node
done < <(lab addrs)

# Silent routers never answer and rate-limited ones answer a few probes at best: they are left
# out of the comparison on both sides (traceroute, 10-, checks them), and tracelb gets a short
# wait and a single attempt per probe so that it gets past them (7 s instead of minutes).
nocmp=" "
while read -r node ns kind rest; do
	if [[ " $rest " == *" silent "* || " $rest " == *" icmp-ratelimit "* ]]; then
		nocmp+="$node "
	fi
done < <(lab nodes)
opts="" note=""
if [ "$nocmp" != " " ]; then
	opts="-w 1 -q 1"
	note="; not compared: $(echo $nocmp)"
fi

# shortest FROM TO: the length of the shortest truth path, in hops.
shortest() {
	lab truth | awk -v a="$1" -v b="$2:" '$1 == a && $2 == b {
		n = NF - 3; if (min == "" || n < min) min = n } END { print min }'
}

# expected FROM TO MIN: "TTL NODE" for every TTL below MIN, then "MIN TO".
expected() {
	lab truth | awk -v a="$1" -v b="$2:" -v min="$3" -v skip="$nocmp" '$1 == a && $2 == b {
		for (i = 4; i < 3 + min; i++) if (index(skip, " " $i " ") == 0) print i - 3, $i }' |
		sort -u -k1,1n -k2,2
	echo "$3 $2"
}

# found FILE TO MIN: the same from tracelb's JSON. Every address but the first hop appears as a
# link hop with the TTL of the probes that found it; the first node is TTL 1 ("q_ttl" is the
# quoted TTL, not a distance).
found() {
	grep -o '"addr":"[^"]*", "q_ttl"\|"addr":"[^"]*", "probes":\[{"tx":{[^}]*}, "replyc":[0-9]*, "ttl":[0-9]*' "$1" |
		awk -F'"' '/q_ttl"$/ { if (!first++) print 1, $4; next } { n = split($0, f, ":"); print f[n], $4 }' |
		while read -r ttl addr; do
			node=${owner[$addr]:-$addr}
			[[ $nocmp == *" $node "* ]] && continue
			if [ "$ttl" -lt "$3" ] || { [ "$ttl" = "$3" ] && [ "$node" = "$2" ]; }; then
				echo "$ttl $node"
			fi
		done | sort -u -k1,1n -k2,2
}

tmp=$(mktemp -d)
t_on_exit 'rm -rf "$tmp"'
pairs=$(lab truth | awk '{ print $1, $2 }' | sort -u | tr -d ':')
# MDA is probabilistic: at 95% confidence a run may miss a branch (seen: 2 of 26 runs). A run
# that finds a pair the truth does not have fails at once; a run that finds only part of the
# truth is repeated, at most 3 runs, and the union must equal the truth.
# When the shortest branch reaches the destination at the same TTL as a longer branch reaches a
# router (unequal), scamper 20211212 sometimes ends the graph with a '*' hop that carries no
# probes at all, although the destination answered every probe sent at that TTL (seen in a
# capture on the destination). If after 3 runs only the destination is missing and scamper left
# such a hop, the check passes with a note: every other (ttl, node) pair matched, and
# traceroute (10-) checks that the destination is reached.
# run_tlb FROM TO FILE: one tracelb run from FROM to TO's address; its status in FILE.rc.
run_tlb() {
	lab_exec "$1" timeout 120 scamper -O json -c "tracelb -P $method -W 15 $opts" \
		-i "$(lab_addr "$2" 4)" >"$3" 2>"$3.err"
	echo $? >"$3.rc"
}

# The first run of every direction goes in parallel (each mostly waits between probes).
i=0
while read -r from to; do
	run_tlb "$from" "$to" "$tmp/$i.1" &
	i=$((i + 1))
done <<<"$pairs"
wait
i=0
while read -r from to; do
	min=$(shortest "$from" "$to")
	want=$(expected "$from" "$to" "$min")
	union="" extra="" rc=0 quirk=0
	for attempt in 1 2 3; do
		out=$tmp/$i.$attempt
		[ $attempt = 1 ] || run_tlb "$from" "$to" "$out"
		rc=$(cat "$out.rc")
		[ "$rc" -eq 0 ] || break
		got=$(found "$out" "$to" "$min")
		extra=$(comm -13 <(sort <<<"$want") <(sort <<<"$got"))
		[ -z "$extra" ] || break
		union=$(printf '%s\n%s\n' "$union" "$got" | sed '/^$/d' | sort -u -k1,1n -k2,2)
		grep -q '"addr":"\*"}' "$out" && quirk=1
		[ "$union" = "$want" ] && break
	done
	i=$((i + 1))
	n=$(echo "$union" | wc -l)
	if [ "$rc" -ne 0 ]; then
		fail "tracelb-truth/$method $from-$to IPv4: scamper exited with $rc: $(head -c 200 "$out.err")"
	elif [ -n "$extra" ]; then
		fail "tracelb-truth/$method $from-$to IPv4: found [$(echo $extra)], not in the truth [$(echo $want)]"
	elif [ "$union" = "$want" ]; then
		ok "tracelb-truth/$method $from-$to IPv4: $n (ttl, node) pairs as in the truth ($attempt run(s))$note"
	elif [ "$union" = "$(echo "$want" | sed '$d')" ] && [ $quirk = 1 ]; then
		ok "tracelb-truth/$method $from-$to IPv4: $n (ttl, node) pairs as in the truth;" \
			"destination hop left empty by scamper (known quirk)$note"
	else
		fail "tracelb-truth/$method $from-$to IPv4: in 3 runs found only [$(echo $union)] of [$(echo $want)]"
	fi
done <<<"$pairs"
