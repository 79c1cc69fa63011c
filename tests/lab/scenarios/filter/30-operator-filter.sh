#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-operator-filter.sh: r2 drops forwarded echo requests with code 1 (reverse traceroute
# requests) and nothing else: code 1 reaches r1 (before the filter) and is answered, code 0
# crosses r2 and is answered, code 1 to the server is never answered and r2 counts the drops.
set -uo pipefail
. "$(dirname "$0")/../../lib.sh"

echo_bin=${RTR_LAB_ROOT:-.}/build/san/tests/lab/icmp_echo
[ -x "$echo_bin" ] || { fail "operator-filter: $echo_bin missing (make lab-test builds it)"; exit 0; }

for fam in 4 6; do
	r1=$(lab_addr r1 "$fam")
	srv=$(lab_addr server "$fam")
	lab_exec client "$echo_bin" "$r1" 1 1000 >/dev/null; a=$?
	lab_exec client "$echo_bin" "$srv" 0 1000 >/dev/null; b=$?
	lab_exec client "$echo_bin" "$srv" 1 300 >/dev/null; c=$?
	if [ $a = 0 ] && [ $b = 0 ] && [ $c = 1 ]; then
		ok "operator-filter IPv$fam: code 1 answered by r1, code 0 crosses r2, code 1 dropped"
	else
		fail "operator-filter IPv$fam: r1 code 1 -> $a, server code 0 -> $b, server code 1 -> $c (want 0 0 1)"
	fi
done
drops=$(lab_exec r2 nft list chain inet rtrlab rtrlab_filter | grep -o 'counter packets [0-9]*' |
	awk '{ s += $3 } END { print s + 0 }')
if [ "$drops" = 2 ]; then
	ok "operator-filter: r2 counted exactly the 2 dropped requests"
else
	fail "operator-filter: r2 counted $drops drops, want 2"
fi
