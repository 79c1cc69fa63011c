#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 05-kernel-routes.sh: the kernel's routing tables are what the file says: every route of
# `rtr-lab routes` exists in its node's namespace with the same gateways and weights (libnl
# writes weight - 1 into the kernel's hops field; ip prints the weight back).
set -uo pipefail -f
. "$(dirname "$0")/../../lib.sh"

bad=0 n=0
while read -r node dst rest; do
	fam=4
	[[ $dst == *:* ]] && fam=6
	shown=$(lab_exec "$node" ip "-$fam" route show exact "$dst" | tr -s ' \t\n' ' ')
	read -ra f <<<"$rest"
	nh=$((${#f[@]} / 5))
	for ((i = 0; i < ${#f[@]}; i += 5)); do
		gw=${f[i + 2]} w=${f[i + 4]}
		if [ $nh -gt 1 ]; then
			pat="nexthop via $gw dev [a-z0-9_-]+ weight $w "
		else
			pat="$dst via $gw dev [a-z0-9_-]+ "
		fi
		if ! grep -qE -- "$pat" <<<"$shown "; then
			fail "kernel-routes: $node $dst lacks '$pat' (kernel: $shown)"
			bad=$((bad + 1))
		fi
	done
	n=$((n + 1))
done < <(lab routes)
[ $bad -eq 0 ] && ok "kernel-routes: all $n routes in the kernel with their gateways and weights"
