#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# kernel-opts.sh: rtr-server answers IPv4 requests whose options this kernel takes, and no others.
#
#   [ cl 10.201.78.2 ] ---- veth ---- [ sv 10.201.78.1, rtr-server on eth0 ]
#   (tests/bpf/kernel-opts.topo through rtr-lab)
#
# kernel_opts.py (in cl) asks sv's kernel (Echo Request code 0) and sv's rtr-server (presence
# check, code 1) about each IPv4 option shape: both must agree (SRV-12). Outside-in: the
# kernel's own verdict, not a table. Prints "N passed, N failed". Needs root.
set -uo pipefail
cd "$(dirname "$0")/../.."
SRV=${RTR_SERVER:-build/bin/rtr-server}
LAB=${RTR_LAB_BIN:-build/bin/rtr-lab}
NAME=rko$(od -An -N4 -tx1 /dev/urandom | tr -d ' ')
CL=rtrlab-$NAME-cl SV=rtrlab-$NAME-sv
TMP=$(mktemp -d)
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	timeout 20 "$LAB" down "$NAME" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# rtr-lab: no ICMP rate limits, checksum offload off, only the link's prefix.
timeout 30 "$LAB" up tests/bpf/kernel-opts.topo --name "$NAME" >/dev/null ||
	{ echo "the lab did not come up"; echo "0 passed, 1 failed"; exit 1; }
ip netns exec "$SV" "$SRV" --rate 0 --global-rate 0 eth0 >"$TMP/srv.log" 2>&1 &
srv_pid=$!
timeout 30 bash -c "until grep -q '^rtr-server: serving on' '$TMP/srv.log'; do
	kill -0 $srv_pid 2>/dev/null || exit 1; sleep 0.05; done" ||
	{ cat "$TMP/srv.log"; echo "rtr-server did not start"; echo "0 passed, 1 failed"; exit 1; }
ip netns exec "$CL" ping -c 1 -W 1 10.201.78.1 >/dev/null # neighbour entries
timeout 120 ip netns exec "$CL" python3 tests/bpf/kernel_opts.py 10.201.78.2 10.201.78.1
