#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# fib.sh: the forward first hop read from the FIB (client/fib_hop.c), in the lab of
# tests/mda/fib.topo (through rtr-lab):
#
#        c                       r
#   a0 10.201.1.1/24 ------- a1 10.201.1.2/24           s
#   b0 10.201.2.1/24 ------- b1 10.201.2.2/24  d0 ------- d1 10.201.3.2/24; lo 10.201.50.7, 10.201.60.7
#      (and fd00:201:1::/64, fd00:201:2::/64, fd00:201:3::/64, fd00:201:50::7, fd00:201:60::7)
#   c: 10.201.50.0/24 ECMP via .1.2 and .2.2; 10.201.60.0/24 via .1.2 only; r: both via s
#
# rtr-lab cannot declare c's routes (two nexthops on one neighbour, blackhole, nexthop group):
# this script adds them to the running lab.
#
# The query's answer for ECMP, single-gateway, on-link, nexthop-group, blackhole and missing routes
# (IPv4 and IPv6); then rtr-client multipath probes TTL 1 once behind the single route and by the
# normal rule behind the ECMP route. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
CHECK=build/san/tests/mda/fib_hop_check
BIN=${RTR_CLIENT:-$PWD/build/san/bin/rtr-client}
WORK=$(mktemp -d)
t_on_exit 'rm -rf "$WORK"'
make -s "$CHECK" "$BIN" build/bin/rtr-lab || t_abort "$CHECK, $BIN or rtr-lab does not build"

# rtr-lab: no DAD, forwarding on r, answers from the inbound interface, no ICMP rate limits.
t_lab_up tests/mda/fib.topo fib || t_abort "the lab did not come up (tests/mda/fib.topo)"
C=rtrlab-$T_LAB-c R=rtrlab-$T_LAB-r S=rtrlab-$T_LAB-s
# c (a host: rtr-lab sets ECMP hashing on routers) spreads flows by ports, deterministically.
ip netns exec "$C" sysctl -qw net.ipv4.fib_multipath_hash_policy=3 \
	net.ipv4.fib_multipath_hash_fields=0x0037 net.ipv4.fib_multipath_hash_seed=7 \
	net.ipv6.fib_multipath_hash_policy=3 net.ipv6.fib_multipath_hash_fields=0x0037
rc=0
ip -n "$C" route add 10.201.50.0/24 nexthop via 10.201.1.2 nexthop via 10.201.2.2 || rc=1
ip -n "$C" route add 10.201.51.0/24 nexthop via 10.201.1.2 weight 1 nexthop via 10.201.2.2 weight 3 || rc=1
ip -n "$C" route add 10.201.60.0/24 via 10.201.1.2 || rc=1
ip -n "$C" route add blackhole 10.201.80.0/24 || rc=1
ip -n "$C" nexthop add id 11 via 10.201.1.2 dev a0 && ip -n "$C" nexthop add id 12 via 10.201.2.2 dev b0 &&
	ip -n "$C" nexthop add id 10 group 11/12 && ip -n "$C" route add 10.201.70.0/24 nhid 10 || rc=1
ip -n "$C" -6 route add fd00:201:50::/64 nexthop via fd00:201:1::2 dev a0 nexthop via fd00:201:2::2 dev b0 || rc=1
ip -n "$C" -6 route add fd00:201:60::/64 via fd00:201:1::2 dev a0 || rc=1
[ $rc = 0 ] || t_abort "routes not set up"

# fib_query ADDR WANT [IFACE]: the query's count for ADDR in c.
fib_query() {
	local msg
	if msg=$(timeout 10 ip netns exec "$C" "$CHECK" "$@" 2>&1); then ok; else fail "fib query $msg"; fi
}
fib_query 10.201.50.7 2
fib_query 10.201.51.7 2            # weights do not change the count
fib_query 10.201.60.7 1
fib_query 10.201.1.2 1             # on-link
fib_query 10.201.70.7 2            # a nexthop group, expanded by the kernel (nexthop_compat_mode)
fib_query 10.201.80.7 0            # blackhole: no first hop to count
fib_query 10.201.99.7 0            # no route at all: nothing known
fib_query 10.201.1.1 0             # our own address: a local route
fib_query 10.201.60.7 1 a0
fib_query fd00:201:50::7 2
fib_query fd00:201:60::7 1
fib_query fd00:201:2::2 1
fib_query fd00:201:99::7 0

# rtr-client: one probe at TTL 1 behind one nexthop; behind two, the normal rule finds both.
# TTL 1 is r, TTL 2 is s, the destination.
trace() { timeout 60 ip netns exec "$C" "$BIN" -n -w 0.5 --format json -o "$WORK/$1.json" forward udp multipath "$2"; }
first() { jq -c "[.traces[0].hops[0].flows_probed, (.traces[0].hops[0].interfaces | map(.address) | sort), .traces[0].stop_reason]" "$WORK/$1.json"; }
# Neighbours resolved first: a probe that waits for neighbour discovery may be dropped, and the
# one-probe first hop would then need a second (it does retry; the check wants exactly one).
for a in 10.201.1.2 10.201.2.2 10.201.60.7 fd00:201:1::2 fd00:201:2::2 fd00:201:60::7; do
	timeout 5 ip netns exec "$C" ping -c 1 -W 2 $a >/dev/null 2>&1
done
for v in 4 6; do
	one=10.201.60.7 two=10.201.50.7 r1='"10.201.1.2"' r2='"10.201.2.2"'
	[ $v = 6 ] && one=fd00:201:60::7 two=fd00:201:50::7 r1='"fd00:201:1::2"' r2='"fd00:201:2::2"'
	trace one$v $one 2>"$WORK/one$v.err" && got=$(first one$v) && [ "$got" = "[1,[$r1],\"completed\"]" ] && ok ||
		fail "IPv$v single route: first hop ${got:-no result}"
	# Behind the ECMP route TTL 1 gets the normal rule (n_1 = 6 at least). The kernel hashes raw
	# (IP_HDRINCL) packets without their ports, so all our flows leave by one of the nexthops.
	trace two$v $two 2>"$WORK/two$v.err" && got=$(first two$v) &&
		[ "$(jq "[.[0] >= 6, (.[1] - [$r1, $r2] == []), (.[1] | length >= 1), .[2]]" -c <<<"$got")" = \
			'[true,true,true,"completed"]' ] && ok ||
		fail "IPv$v ECMP route: first hop ${got:-no result} (want the normal rule: 6 probes or more)"
	# ... and says so.
	grep -q "^rtr-client: note: this host's route to $two has 2 nexthops; the kernel sends every probe by one of them" \
		"$WORK/two$v.err" && ok || fail "IPv$v ECMP route: no note on stderr: $(cat "$WORK/two$v.err")"
	! grep -q "note:" "$WORK/one$v.err" && ok || fail "IPv$v single route: a note: $(cat "$WORK/one$v.err")"
	# The one first hop, probed once, still links to s (through every flow that reached s).
	[ "$(jq '[.traces[0].links[] | select(.from_ttl == 1)] | length' "$WORK/one$v.json")" -ge 1 ] && ok ||
		fail "IPv$v single route: no link from the first hop"
done
[ -n "${FIB_KEEP:-}" ] && { echo "namespaces $C $R $S kept"; sleep "$FIB_KEEP"; }
t_done fib
