#!/usr/bin/env bash
# 30-icmp-ratelimit.sh: r2 keeps the kernel's ICMP rate limits, r1 has none: 30 echo requests
# 5 ms apart that expire at r1 get 30 Time Exceeded; expiring at r2 they get some, not all.
set -uo pipefail
. "$(dirname "$0")/../../lib.sh"

count() { # FAMILY TTL
	lab_exec client timeout 20 ping "-$1" -n -c 30 -i 0.005 -t "$2" -W 1 "$(lab_addr server "$1")" |
		grep -ci 'exceeded'
}
for fam in 4 6; do
	open=$(count "$fam" 1)
	limited=$(count "$fam" 2)
	if [ "$open" = 30 ] && [ "$limited" -ge 1 ] && [ "$limited" -le 20 ]; then
		ok "icmp-ratelimit IPv$fam: r1 answered 30/30, rate-limited r2 $limited/30"
	else
		fail "icmp-ratelimit IPv$fam: r1 answered $open/30 (want 30), r2 $limited/30 (want 1..20)"
	fi
done
