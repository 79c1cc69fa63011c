#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# router.sh: rtr-server on a router in the middle of a path answers only for the router itself.
#
#   client -- r1 -- r2 -- r3 (rtr-server eth0 eth1) -- r4 -- r5 -- server   (linear lab)
#
# A reverse trace to the host behind r3 must give that host's path (server r5 r4 r3 r2 r1
# client) while the host runs its own server, and "no server" when it runs none: never r3's
# 3-hop path. A reverse trace to r3's own address gives r3's path (r3 r2 r1 client); requests
# to a subnet broadcast or network address of r3 get no answer.
# Both families, UDP and ICMP. Prints "N passed, N failed". Needs root.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
WORK=$(mktemp -d)
LAB_PREFIX=rtrr
. tests/lib/lab-server.sh
RPID=
cleanup() {
	if [ -n "$RPID" ]; then kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; fi
	lab_down
	rm -rf "$WORK"
}
t_on_exit cleanup

# rev TAG TARGET FAM PROTO WANT_STOP WANT_PATH: one reverse trace, its stop reason and path.
rev() {
	local j=$WORK/$1-$3-$4.json p stop
	client -n -w 1 --format json -o "$j" reverse "$4" singlepath "$2" >/dev/null 2>&1
	p=$(path "$j" "${7:-server}")
	stop=$(jq -r '.traces[0].stop_reason' "$j" 2>/dev/null)
	if [ "$stop" = "$5" ] && { [ "$5" = no-server ] || [ "$p" = "${6:-}" ]; }; then
		ok
	else
		fail "$1 IPv$3 $4: stop '$stop' path '$p' (want $5 '${6:-}')"
	fi
}

lab_up linear || t_abort "linear lab or its server did not come up"
R3=rtrlab-$NAME-r3
ip netns exec "$R3" "$SERVER" eth0 eth1 >"$WORK/r3.log" 2>&1 &
RPID=$!
timeout 60 bash -c "until grep -q \"^rtr-server: serving on\" \"$WORK/r3.log\"; do
	kill -0 $RPID 2>/dev/null || exit 1; sleep 0.05; done" ||
	{ cat "$WORK/r3.log"; t_abort "rtr-server on r3 did not start"; }
r3_addr() { awk -v f="$1" '$1 == "r3" && $2 == "eth0" { a = $3; sub(/\/.*/, "", a);
	if ((f == 6) == (a ~ /:/)) { print a; exit } }' "$WORK/addrs"; }

for fam in 4 6; do
	for proto in udp icmp; do
		rev behind "${PRIMARY[server-$fam]}" $fam $proto completed "server r5 r4 r3 r2 r1 client"
		rev router "$(r3_addr $fam)" $fam $proto completed "r3 r2 r1 client" r3
	done
done
# Requests in unicast frames to r3 for addresses r3 has but that are not unicast addresses:
# the broadcast and network address of a subnet of its own (the lab routes 10.201.0.0/16
# towards r3). r3's kernel ignores them; the server must not answer them either.
ip netns exec "$R3" ip addr add 10.201.99.1/24 brd + dev lo
for dst in 10.201.99.255 10.201.99.0; do
	rev broadcast "$dst" 4 udp no-server
done
rev own-subnet 10.201.99.1 4 udp completed "r3 r2 r1 client" r3
# The host behind the router stops its server: the router must not answer in its place.
kill "$SPID" 2>/dev/null
wait "$SPID" 2>/dev/null
SPID=
for fam in 4 6; do
	rev no-server "${PRIMARY[server-$fam]}" $fam udp no-server
	rev router-alone "$(r3_addr $fam)" $fam udp completed "r3 r2 r1 client" r3
done
t_done router
