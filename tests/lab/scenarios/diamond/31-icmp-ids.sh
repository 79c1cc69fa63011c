#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 31-icmp-ids.sh: ICMP echo flows that differ only in their identifier (so in their checksum)
# and expire at TTL 2: with l4hash on r1 they reach both r2a and r2b, in both families, and one
# identifier always takes the same branch. On the plain diamond (the control) they all reach
# the same one. Uses tests/lab/icmp_echo.
set -uo pipefail
. "$(dirname "$0")/../../lib.sh"

echo_bin=${RTR_LAB_ROOT:-.}/build/san/tests/lab/icmp_echo
[ -x "$echo_bin" ] || { fail "icmp-ids: $echo_bin missing (make lab-test builds it)"; exit 0; }
declare -A owner
while read -r node ifc addr; do
	[ "$ifc" = primary ] || owner[${addr%/*}]=$node
done < <(lab addrs)
if lab_has r1 l4hash; then want=2; else want=1; fi

hop2() { # FAMILY ID: the node answering an echo with TTL 2 and that identifier
	local a
	a=$(lab_exec client "$echo_bin" "$(lab_addr server "$1")" 0 1000 2 "$2" |
		sed -n 's/^time-exceeded from //p')
	echo "${owner[$a]:-none:$a}"
}
for fam in 4 6; do
	seen=$(for id in $(seq 101 116); do hop2 "$fam" "$id"; done | sort -u | xargs)
	again=$(for k in 1 2 3; do hop2 "$fam" 107; done | sort -u | xargs)
	n=$(wc -w <<<"$seen")
	if [ "$n" = "$want" ] && [[ $seen != *none* ]] && [ "$(wc -w <<<"$again")" = 1 ]; then
		ok "icmp-ids IPv$fam: 16 identifiers reached [$seen]; identifier 107 always $again"
	else
		fail "icmp-ids IPv$fam: 16 identifiers reached [$seen] (want $want branch(es)); 107 reached [$again]"
	fi
done
