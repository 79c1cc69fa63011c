#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-icmp-ratelimit.sh: r2 keeps the kernel's ICMP rate limits, r1 has none: 60 echo requests
# 2 ms apart that expire at r1 get 60 Time Exceeded; expiring at r2 they get some, not all
# (a burst of about 6, then 1 per second for IPv4 and 1 per 100 ms for IPv6: 5-12 seen here;
# the bound of 45 leaves room for a slow, loaded machine stretching the 120 ms burst).
set -uo pipefail
. "$(dirname "$0")/../../lib.sh"

count() { # FAMILY TTL
	lab_exec client timeout 20 ping "-$1" -n -c 60 -i 0.002 -t "$2" -W 1 "$(lab_addr server "$1")" |
		grep -ci 'exceeded'
}
for fam in 4 6; do
	open=$(count "$fam" 1)
	limited=$(count "$fam" 2)
	if [ "$open" = 60 ] && [ "$limited" -ge 1 ] && [ "$limited" -le 45 ]; then
		ok "icmp-ratelimit IPv$fam: r1 answered 60/60, rate-limited r2 $limited/60"
	else
		fail "icmp-ratelimit IPv$fam: r1 answered $open/60 (want 60), r2 $limited/60 (want 1..45)"
	fi
done
