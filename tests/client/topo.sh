# SPDX-License-Identifier: BSD-2-Clause
# topo.sh: a linear lab for rtr-client live tests, built with plain ip commands (sourced).
# shellcheck shell=bash
#
#   client ---- r1 ---- r2 ---- target
#   10.201.1.2  .1|2.1  2.2|3.1  10.201.3.2
#   fd00:201:1::2  ...          fd00:201:3::2
#
# r2 also holds an unreachable route (10.201.9.0/24, fd00:201:9::/64: it answers Destination
# Unreachable) and a blackhole (10.201.8.0/24, fd00:201:8::/64: silence); r1 routes both to r2.
#
# Namespaces get a random suffix; topo_down removes them (call it from a trap).

TOPO_NS=()

topo_up() {
	local sfx; sfx=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	C=rtrc-c-$sfx R1=rtrc-r1-$sfx R2=rtrc-r2-$sfx T=rtrc-t-$sfx
	TOPO_NS=("$C" "$R1" "$R2" "$T")
	local ns
	for ns in "${TOPO_NS[@]}"; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		# ICMPv6 errors also pass the namespace-wide icmp_msgs_per_sec bucket (1000/s,
		# burst 50) whatever ratelimit says: back-to-back traces would lose answers.
		ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratemask=0 net.ipv6.icmp.ratelimit=0 \
			net.ipv4.icmp_msgs_per_sec=1000000 net.ipv4.icmp_msgs_burst=1000000 \
			net.ipv4.icmp_errors_use_inbound_ifaddr=1 net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
	done
	ip link add c0 netns "$C" type veth peer name r1a netns "$R1"
	ip link add r1b netns "$R1" type veth peer name r2a netns "$R2"
	ip link add r2b netns "$R2" type veth peer name t0 netns "$T"
	addr() { # ns dev v4 v6
		ip -n "$1" addr add "$3" dev "$2"
		ip -n "$1" addr add "$4" dev "$2" nodad
		ip -n "$1" link set "$2" up
	}
	addr "$C" c0 10.201.1.2/24 fd00:201:1::2/64
	addr "$R1" r1a 10.201.1.1/24 fd00:201:1::1/64
	addr "$R1" r1b 10.201.2.1/24 fd00:201:2::1/64
	addr "$R2" r2a 10.201.2.2/24 fd00:201:2::2/64
	addr "$R2" r2b 10.201.3.1/24 fd00:201:3::1/64
	addr "$T" t0 10.201.3.2/24 fd00:201:3::2/64
	# veth leaves locally made IPv6 TCP checksums unfinished (CHECKSUM_PARTIAL) and a raw
	# socket or a tc program reads them so; a real NIC would finish them. Every node here
	# makes TCP segments of its own (the target's and a NAT's RSTs, the client's RSTs to the
	# server's probes), so every link finishes them in software.
	local dev
	for dev in "$C c0" "$R1 r1a" "$R1 r1b" "$R2 r2a" "$R2 r2b" "$T t0"; do
		set -- $dev
		ip netns exec "$1" ethtool -K "$2" tx off >/dev/null || return 1
	done
	for ns in "$R1" "$R2"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
	# Lab-only routes: nothing here can reach outside the lab prefixes.
	ip -n "$C" route add 10.201.0.0/16 via 10.201.1.1
	ip -n "$C" -6 route add fd00:201::/32 via fd00:201:1::1
	ip -n "$R1" route add 10.201.3.0/24 via 10.201.2.2
	ip -n "$R1" -6 route add fd00:201:3::/64 via fd00:201:2::2
	local n
	for n in 8 9; do
		ip -n "$R1" route add 10.201.$n.0/24 via 10.201.2.2
		ip -n "$R1" -6 route add fd00:201:$n::/64 via fd00:201:2::2
	done
	ip -n "$R2" route add unreachable 10.201.9.0/24
	ip -n "$R2" -6 route add unreachable fd00:201:9::/64
	ip -n "$R2" route add blackhole 10.201.8.0/24
	ip -n "$R2" -6 route add blackhole fd00:201:8::/64
	ip -n "$R2" route add 10.201.1.0/24 via 10.201.2.1
	ip -n "$R2" -6 route add fd00:201:1::/64 via fd00:201:2::1
	ip -n "$T" route add 10.201.0.0/16 via 10.201.3.1
	ip -n "$T" -6 route add fd00:201::/32 via fd00:201:3::1
	# Wait (bounded) until the far end answers, so neighbour discovery is done.
	timeout 30 bash -c "until ip netns exec $C ping -c1 -W1 10.201.3.2 >/dev/null 2>&1; do sleep 0.1; done" || return 1
	timeout 30 bash -c "until ip netns exec $C ping -6 -c1 -W1 fd00:201:3::2 >/dev/null 2>&1; do sleep 0.1; done" || return 1
}

topo_down() {
	local ns
	for ns in "${TOPO_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	TOPO_NS=()
}
