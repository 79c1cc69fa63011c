# SPDX-License-Identifier: BSD-2-Clause
# topo.sh: the linear lab of rtr-client's live tests, tests/client/chain.topo through rtr-lab
# (sourced).
# shellcheck shell=bash
#
#   client ---- r1 ---- r2 ---- target
#   10.201.1.2  .1|2.1  2.2|3.1  10.201.3.2
#   fd00:201:1::2  ...          fd00:201:3::2
#
# r2 also holds an unreachable route (10.201.9.0/24, fd00:201:9::/64: it answers Destination
# Unreachable) and a blackhole (10.201.8.0/24, fd00:201:8::/64: silence); r1 routes both to r2.
# rtr-lab cannot declare those two route types, so topo_up adds them to the running lab.
#
# topo_up sets C, R1, R2 and T to the nodes' namespaces; topo_server LOG starts rtr-server on
# the target's t0 (SERVER, default build/bin/rtr-server); topo_down (call it from a trap) stops
# that server and takes the lab down. TOPO_LAB picks the rtr-lab binary (default
# build/bin/rtr-lab). hops and field read a result.

TOPO_LAB=${TOPO_LAB:-$PWD/build/bin/rtr-lab}
SERVER=${SERVER:-$PWD/build/bin/rtr-server}
TOPO_NAME=
SPID=

topo_up() {
	TOPO_NAME=rtrc$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	timeout 30 "$TOPO_LAB" up tests/client/chain.topo --name "$TOPO_NAME" >/dev/null || {
		TOPO_NAME=
		return 1
	}
	C=rtrlab-$TOPO_NAME-client R1=rtrlab-$TOPO_NAME-r1 R2=rtrlab-$TOPO_NAME-r2
	T=rtrlab-$TOPO_NAME-target
	ip -n "$R2" route add unreachable 10.201.9.0/24 &&
		ip -n "$R2" -6 route add unreachable fd00:201:9::/64 &&
		ip -n "$R2" route add blackhole 10.201.8.0/24 &&
		ip -n "$R2" -6 route add blackhole fd00:201:8::/64 || return 1
	# Bounded wait until the far end answers, so neighbour discovery is done.
	wait_for 30 ip netns exec "$C" ping -c1 -W1 10.201.3.2 >/dev/null 2>&1 || return 1
	wait_for 30 ip netns exec "$C" ping -6 -c1 -W1 fd00:201:3::2 >/dev/null 2>&1 || return 1
}

# topo_server LOG: rtr-server on the target, its output in LOG; ready when it says it serves
# (bounded wait, no fixed sleep), else status 1 with LOG on stderr.
topo_server() {
	: >"$1" # emptied here, not by the background redirect: the wait must not see an older line
	ip netns exec "$T" "$SERVER" t0 >>"$1" 2>&1 &
	SPID=$!
	timeout 60 bash -c "until grep -q \"^rtr-server: serving on\" \"$1\"; do
		kill -0 $SPID 2>/dev/null || exit 1; sleep 0.05; done" || { cat "$1" >&2; return 1; }
}

# hops FILE [trace index]: the distinct answering addresses of each hop, space separated.
hops() {
	jq -r ".traces[${2:-0}].hops[] | [.probes[] | select(.answered) | .address] | unique |
		if length == 0 then \"*\" else join(\",\") end" "$1" | paste -sd' '
}
# field FILE PATH [trace index]: one field of a trace.
field() { jq -r ".traces[${3:-0}].$2" "$1"; }

topo_down() {
	if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi
	SPID=
	[ -n "$TOPO_NAME" ] && timeout 20 "$TOPO_LAB" down "$TOPO_NAME" >/dev/null 2>&1
	TOPO_NAME=
}
