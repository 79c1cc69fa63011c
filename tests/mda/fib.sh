#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# fib.sh: the forward first hop read from the FIB (client/fib_hop.c), in three throwaway namespaces:
#
#        c                       r
#   a0 10.201.1.1/24 ------- a1 10.201.1.2/24           s
#   b0 10.201.2.1/24 ------- b1 10.201.2.2/24  d0 ------- d1 10.201.3.2/24, 10.201.50.7, 10.201.60.7
#      (and fd00:201:1::/64, fd00:201:2::/64, fd00:201:3::/64, fd00:201:50::7, fd00:201:60::7)
#   c: 10.201.50.0/24 ECMP via .1.2 and .2.2; 10.201.60.0/24 via .1.2 only; r: both via s
#
# The query's answer for ECMP, single-gateway, on-link, nexthop-group, blackhole and missing routes
# (IPv4 and IPv6); then rtr-client multipath probes TTL 1 once behind the single route and by the
# normal rule behind the ECMP route. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
CHECK=build/san/tests/mda/fib_hop_check
BIN=${RTR_CLIENT:-$PWD/build/san/bin/rtr-client}
tag=$(od -An -N3 -tx1 /dev/urandom | tr -d ' ')
C=rtrfib-$tag-c R=rtrfib-$tag-r S=rtrfib-$tag-s
WORK=$(mktemp -d)
t_on_exit 'rm -rf "$WORK"'
make -s "$CHECK" "$BIN" || t_abort "$CHECK or $BIN does not build"

t_ns_add "$C" "$R" "$S" || t_abort "namespaces not created"
for ns in "$C" "$R" "$S"; do
	# Before any link exists, so link-local addresses are usable at once (IPv6 neighbours).
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip -n "$C" link add a0 type veth peer name a1 netns "$R" &&
	ip -n "$C" link add b0 type veth peer name b1 netns "$R" &&
	ip -n "$R" link add d0 type veth peer name d1 netns "$S" || t_abort "links not created"
# r answers from the interface a probe came in on; nobody rate-limits errors.
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	net.ipv4.icmp_errors_use_inbound_ifaddr=1
for ns in "$R" "$S"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratemask=0 net.ipv6.icmp.ratelimit=0
done
# c spreads flows by ports, deterministically.
ip netns exec "$C" sysctl -qw net.ipv4.fib_multipath_hash_policy=3 \
	net.ipv4.fib_multipath_hash_fields=0x0037 net.ipv4.fib_multipath_hash_seed=7 \
	net.ipv6.fib_multipath_hash_policy=3 net.ipv6.fib_multipath_hash_fields=0x0037
for i in a b; do
	n=$([ $i = a ] && echo 1 || echo 2)
	ip -n "$C" addr add 10.201.$n.1/24 dev ${i}0 && ip -n "$C" addr add fd00:201:$n::1/64 dev ${i}0 nodad
	ip -n "$R" addr add 10.201.$n.2/24 dev ${i}1 && ip -n "$R" addr add fd00:201:$n::2/64 dev ${i}1 nodad
	ip -n "$C" link set ${i}0 up && ip -n "$R" link set ${i}1 up
done
ip -n "$R" addr add 10.201.3.1/24 dev d0 && ip -n "$R" addr add fd00:201:3::1/64 dev d0 nodad
ip -n "$S" addr add 10.201.3.2/24 dev d1 && ip -n "$S" addr add fd00:201:3::2/64 dev d1 nodad
for a in 10.201.50.7/32 10.201.60.7/32 fd00:201:50::7/128 fd00:201:60::7/128; do
	ip -n "$S" addr add $a dev d1 nodad 2>/dev/null || ip -n "$S" addr add $a dev d1
done
ip -n "$R" link set d0 up && ip -n "$S" link set d1 up
rc=0
for p in 10.201.50.0/24 10.201.60.0/24; do ip -n "$R" route add $p via 10.201.3.2 || rc=1; done
for p in fd00:201:50::/64 fd00:201:60::/64; do ip -n "$R" route add $p via fd00:201:3::2 || rc=1; done
ip -n "$S" route add default via 10.201.3.1 && ip -n "$S" route add default via fd00:201:3::1 || rc=1
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
