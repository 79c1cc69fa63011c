#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 10-traceroute-truth.sh: Debian traceroute, one fixed UDP flow per run, must find exactly the
# topology's truth: every flow's path is one of the truth paths and every truth path is seen.
#
# Silent routers must show as '*'; rate-limited ones may. Flows differ in their source port;
# with the lab's deterministic per-flow hashing the same ports always take the same branches.
set -uo pipefail -f # -f: the "*" of a silent hop must not glob
. "$(dirname "$0")/../../lib.sh"

MAX_FLOWS=${RTR_LAB_MAX_FLOWS:-64}
# With any multipath route a path the truth does not list may hide behind the first flows, so
# at least MIN_FLOWS run even once every truth path was seen; without one, every flow takes
# the same path and one flow says it all.
if lab routes | grep -q ' via .* via '; then MIN_FLOWS=16; else MIN_FLOWS=1; fi

declare -A owner flags
while read -r node ifc addr; do
	[ "$ifc" = primary ] || owner[${addr%/*}]=$node
done < <(lab addrs)
while read -r node ns kind rest; do flags[$node]=" $rest "; done < <(lab nodes)

# hop_ok NODE HOP: does what traceroute showed (address-mapped node or '*') fit NODE?
hop_ok() {
	if [ "$2" = "*" ]; then
		[[ ${flags[$1]} == *" silent "* || ${flags[$1]} == *" icmp-ratelimit "* ]]
	else
		[ "$2" = "$1" ] && [[ ${flags[$1]} != *" silent "* ]]
	fi
}

check_pair() { # FROM TO FAMILY
	local from=$1 to=$2 fam=$3 dst paths=() seen=() out found
	dst=$(lab_addr "$to" "$fam")
	if [ -z "$dst" ] || [ -z "$(lab_addr "$from" "$fam")" ]; then
		na "traceroute-truth $from-$to IPv$fam: no IPv$fam address"
		return
	fi
	mapfile -t paths < <(lab truth | awk -v a="$from" -v b="$to:" '$1 == a && $2 == b {
		s = ""; for (i = 4; i <= NF; i++) s = s (s == "" ? "" : " ") $i; print s }')
	for i in "${!paths[@]}"; do seen[i]=0; done
	local covered=0 flow sport
	for ((flow = 0; flow < MAX_FLOWS && (covered < ${#paths[@]} || flow < MIN_FLOWS); flow++)); do
		sport=$((40000 + flow * 7))
		out=$(timeout 30 "$RTR_LAB_BIN" exec "$RTR_LAB" "$from" -- traceroute "-$fam" -n -q 1 \
			-U -p 33434 --sport=$sport -m 20 -w 2 "$dst" 2>&1)
		found=""
		while read -r hop addr rest; do
			[[ $hop =~ ^[0-9]+$ ]] || continue
			if [ "$addr" = "*" ]; then
				found+=" *"
			elif [[ $rest == *'!'* ]]; then
				found+=" !${owner[$addr]:-$addr}"
			else
				found+=" ${owner[$addr]:-$addr}"
			fi
		done <<<"$out"
		found=${found# }
		local matched=0 i
		for i in "${!paths[@]}"; do
			local -a want=(${paths[i]}) got=($found)
			[ ${#want[@]} -eq ${#got[@]} ] || continue
			local k good=1
			for k in "${!want[@]}"; do
				hop_ok "${want[k]}" "${got[k]}" || { good=0; break; }
			done
			if [ $good = 1 ]; then
				matched=1
				[ "${seen[i]}" = 1 ] || { seen[i]=1; covered=$((covered + 1)); }
			fi
		done
		if [ $matched = 0 ]; then
			fail "traceroute-truth $from-$to IPv$fam: flow sport $sport found '$found'," \
				"not a truth path (${paths[*]/%/;})"
			return
		fi
	done
	if [ $covered -lt ${#paths[@]} ]; then
		local missing=""
		for i in "${!paths[@]}"; do [ "${seen[i]}" = 1 ] || missing+="${paths[i]}; "; done
		fail "traceroute-truth $from-$to IPv$fam: never seen in $flow flows: $missing"
		return
	fi
	ok "traceroute-truth $from-$to IPv$fam: ${#paths[@]} path(s) in $flow flow(s)"
}

while read -r from to; do
	for fam in 4 6; do check_pair "$from" "${to%:}" "$fam"; done
done < <(lab truth | awk '{ print $1, $2 }' | sort -u)
