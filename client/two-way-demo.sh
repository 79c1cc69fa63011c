#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# two-way-demo.sh: builds rtr, brings up the default lab (linear), starts rtr-server on its
# server node, prints a two-way trace from its client node, and tears the lab down again.
# Usage (root): bash client/two-way-demo.sh [TOPOLOGY] [PROTOCOL]    (defaults: linear udp)
# TOPOLOGY is a lab/topologies NAME or a topology FILE (make demo LAB=diamond PROTO=tcp).
set -euo pipefail
cd "$(dirname "$0")/.."
topo=${1:-linear}
proto=${2:-udp}
[ "$(id -u)" -eq 0 ] || { echo "two-way-demo: needs root (namespaces, raw sockets, eBPF)" >&2; exit 1; }
make -s all >&2
name=demo$(od -An -N3 -tx1 /dev/urandom | tr -d ' ')
spid= slog=
cleanup() {
	if [ -n "$spid" ]; then kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; fi
	build/bin/rtr-lab down "$name" >/dev/null 2>&1 || true
	[ -z "$slog" ] || rm -f "$slog"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
build/bin/rtr-lab up "$topo" --name "$name" >/dev/null
server=$(build/bin/rtr-lab addrs "$name" | awk '$1 == "server" && $2 == "primary" && $3 !~ /:/ { sub("/.*", "", $3); print $3; exit }')
ifs=$(build/bin/rtr-lab addrs "$name" | awk '$1 == "server" && $2 != "primary" { print $2 }' | sort -u)
# shellcheck disable=SC2086
slog=$(mktemp)
ip netns exec "rtrlab-$name-server" build/bin/rtr-server $ifs >/dev/null 2>"$slog" &
spid=$!
timeout 60 bash -c "until grep -q '^rtr-server: serving on' $slog; do
	kill -0 $spid 2>/dev/null || exit 1; sleep 0.05; done"
ip netns exec "rtrlab-$name-client" build/bin/rtr-client -n -w 1 two-way "$proto" singlepath "$server"
