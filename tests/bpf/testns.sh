# SPDX-License-Identifier: BSD-2-Clause
# testns.sh: sourced by 40-bpf.sh and 40-server.sh: the throwaway namespace for BPF_PROG_TEST_RUN.
#
#     [ rtrt0 02:00:00:00:00:01 ]----veth----[ rtrt1 02:00:00:00:00:02 ]
#       198.51.100.1/32  2001:db8:1::1/128      (permanent neighbour entries:
#       198.51.100.254, 2001:db8:1::fe; 198.51.100.0/24, 203.0.113.0/24 and
#       2001:db8::/32 via the peer)
#
# Built by hand: rtr-lab cannot set fixed MACs, permanent neighbours or the vectors' addresses
# outside 10.201.0.0/16 and fd00:201::/32 (and the namespace carries no traffic of its own).
# Sets NS; tests/lib/t.sh (sourced here if it was not) removes it at exit. Everything
# redirected stays in it.
[ -n "$(type -t t_ns_add)" ] || . tests/lib/t.sh
NS=rtrbpf-$$-$RANDOM
t_ns_add "$NS"
nsx() { ip netns exec "$NS" "$@"; }
# bpf_fib_lookup answers only for an input device with forwarding on: lo alone (see srv.h).
nsx sysctl -qw net.ipv4.conf.lo.forwarding=1 net.ipv6.conf.lo.forwarding=1
nsx ip link add rtrt0 address 02:00:00:00:00:01 type veth peer name rtrt1 address 02:00:00:00:00:02
nsx ip link set rtrt0 up
nsx ip link set rtrt1 up
# Host addresses only: every other documentation address is behind the peer, whose
# MAC is a permanent neighbour, so the FIB always returns both MAC addresses.
nsx ip addr add 198.51.100.1/32 dev rtrt0
nsx ip -6 addr add 2001:db8:1::1/128 dev rtrt0 nodad
nsx ip route add 198.51.100.254/32 dev rtrt0
nsx ip -6 route add 2001:db8:1::fe/128 dev rtrt0
nsx ip neigh replace 198.51.100.254 lladdr 02:00:00:00:00:02 nud permanent dev rtrt0
nsx ip -6 neigh replace 2001:db8:1::fe lladdr 02:00:00:00:00:02 nud permanent dev rtrt0
nsx ip route add 198.51.100.0/24 via 198.51.100.254
nsx ip route add 203.0.113.0/24 via 198.51.100.254
nsx ip -6 route add 2001:db8::/32 via 2001:db8:1::fe
# A subnet of our own: its broadcast 100.64.7.255 is local to the kernel, never a request's.
nsx ip addr add 100.64.7.1/24 brd + dev rtrt0
