# SPDX-License-Identifier: BSD-2-Clause
# lab-server.sh: sourced by the client and multipath lab suites: an rtr-lab topology with
# rtr-server running on its server node, and rtr-client run on its client node.
#
# The sourcing script sets WORK (a temporary directory) and LAB_PREFIX (a short tag that makes
# lab names tell the suites apart), then calls lab_up TOPO / lab_down. lab_up leaves the lab's
# `rtr-lab addrs` and `rtr-lab truth` in $WORK/addrs and $WORK/truth, every node's primary
# address in PRIMARY[node-4|6] and the node owning each address in NODE_OF[address]; path
# FILE START names the nodes of a result's hops.
# SERVER_ARGS (optional) holds extra rtr-server options, e.g. "--rate 5 --burst 5"; the server's
# output is in $SERVER_LOG.
BIN=${RTR_CLIENT:-$PWD/build/san/bin/rtr-client}
LAB=$PWD/build/bin/rtr-lab
SERVER=${RTR_SERVER:-$PWD/build/bin/rtr-server}
NAME="" SPID=""
declare -A NODE_OF PRIMARY

lab_down() {
	if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi
	SPID=
	[ -n "$NAME" ] && timeout 20 "$LAB" down "$NAME" >/dev/null 2>&1
	NAME=
}

# lab_up TOPO: builds lab/topologies/TOPO.topo, learns its addresses, starts rtr-server.
lab_up() {
	NAME=$LAB_PREFIX$(od -An -N3 -tx1 /dev/urandom | tr -d ' ')
	timeout 30 "$LAB" up "lab/topologies/$1.topo" --name "$NAME" >/dev/null 2>"$WORK/lab.err" ||
		{ cat "$WORK/lab.err"; NAME=; return 1; }
	NODE_OF=() PRIMARY=()
	"$LAB" addrs "$NAME" >"$WORK/addrs"
	"$LAB" truth "$NAME" >"$WORK/truth"
	local node ifname addr
	while read -r node ifname addr; do
		addr=${addr%/*}
		[ "$ifname" = primary ] && PRIMARY[$node-$([[ $addr == *:* ]] && echo 6 || echo 4)]=$addr
		NODE_OF[$addr]=$node
	done <"$WORK/addrs"
	local ifs; ifs=$(awk '$1 == "server" && $2 != "primary" { print $2 }' "$WORK/addrs" | sort -u)
	# A log of this lab's own, emptied here and not by the background redirect: a wait that saw
	# the last lab's "serving on" (its server's log, not yet truncated by a child the scheduler
	# had not run) would start tracing before this server is attached, and the server's kernel
	# echoes the presence check ("no-server", seen under load 9-11).
	SERVER_LOG=$WORK/server-$NAME.log
	: >"$SERVER_LOG"
	# shellcheck disable=SC2086
	ip netns exec "rtrlab-$NAME-server" "$SERVER" ${SERVER_ARGS:-} $ifs >>"$SERVER_LOG" 2>&1 &
	SPID=$!
	timeout 60 bash -c "until grep -q \"^rtr-server: serving on\" \"$SERVER_LOG\"; do kill -0 $SPID 2>/dev/null || exit 1; sleep 0.05; done" ||
		{ cat "$SERVER_LOG"; return 1; }
}

client() { timeout 120 ip netns exec "rtrlab-$NAME-client" "$BIN" "$@"; }

# path FILE START: START then the node of each hop of the result FILE's first trace, by NODE_OF
# ("?" an address of no node, "*" silent, "a+b" when one hop was answered by several nodes).
path() {
	local line out=$2 n
	while read -r line; do
		if [ -z "$line" ]; then
			out+=" *"
			continue
		fi
		n=
		for a in $line; do n+=${n:++}${NODE_OF[$a]:-?}; done
		out+=" $n"
	done < <(jq -r '.traces[0].hops[] | [.probes[] | select(.answered and .address) |
		.address] | unique | join(" ")' "$1")
	echo "$out"
}

