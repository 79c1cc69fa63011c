#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-icmp-not-spread.sh: the control for paris: plain Linux ECMP does not spread ICMP, so
# tracelb icmp-echo from the client sees exactly one of the two branches at TTL 2.
set -uo pipefail -f
. "$(dirname "$0")/../../lib.sh"

declare -A owner
while read -r node ifc addr; do
	[ "$ifc" = primary ] || owner[${addr%/*}]=$node
done < <(lab addrs)
out=$(lab_exec client timeout 120 scamper -O json -c "tracelb -P icmp-echo -W 15" \
	-i "$(lab_addr server 4)")
ttl2=$(grep -o '"addr":"[^"]*", "probes":\[{"tx":{[^}]*}, "replyc":[0-9]*, "ttl":2,' <<<"$out" |
	awk -F'"' '{ print $4 }' | while read -r a; do echo "${owner[$a]:-$a}"; done | sort -u | xargs)
if [ "$ttl2" = r2a ] || [ "$ttl2" = r2b ]; then
	ok "icmp-not-spread: ICMP flows all took $ttl2 (Linux hashes no ICMP fields)"
else
	fail "icmp-not-spread: at TTL 2 ICMP flows reached '$ttl2', want exactly one of r2a r2b"
fi
