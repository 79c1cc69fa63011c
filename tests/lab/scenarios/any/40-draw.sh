#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 40-draw.sh: rtr-lab draw gives a graph that graphviz renders, with every node, one edge per
# link and every interface address of the lab.
set -uo pipefail
. "$(dirname "$0")/../../lib.sh"

dotsrc=$(lab draw)
if ! svg=$(dot -Tsvg <<<"$dotsrc" 2>&1); then
	fail "draw: dot rejected the graph: $(head -c 200 <<<"$svg")"
	exit 0
fi
links=$("$RTR_LAB_BIN" check "$RTR_LAB_FILE" | sed -E 's/.* ([0-9]+) links.*/\1/')
edges=$(grep -c -- '" -- "' <<<"$dotsrc")
missing=""
while read -r node rest; do
	grep -q "^	\"$node\" \[shape=" <<<"$dotsrc" || missing+=" node:$node"
done < <(lab nodes)
while read -r node ifc addr; do
	[ "$ifc" = primary ] && continue
	grep -qF "$addr" <<<"$dotsrc" || missing+=" $node:$ifc:$addr"
done < <(lab addrs)
if [ "$edges" = "$links" ] && [ -z "$missing" ] && grep -q '<svg' <<<"$svg"; then
	ok "draw: renders; $edges edges for $links links; every node and address shown"
else
	fail "draw: $edges edges for $links links; missing:${missing:- none}"
fi
