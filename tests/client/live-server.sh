#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# live-server.sh: reverse and two-way traces against rtr-server on the target of the linear lab.
#
#   client ---- r1 ---- r2 ---- target (rtr-server on t0)      (tests/client/topo.sh; root)
#
# The reverse path's truth: r2 (10.201.3.1), r1 (10.201.2.1), then the client itself; with r1
# masquerading the client (nftables), r2 then r1, which answers the server's probes itself.
# Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
BIN=${RTR_CLIENT:-$PWD/build/san/bin/rtr-client}
SCHEMA=client/rtr-client.schema.json
. tests/client/topo.sh
WORK=$(mktemp -d)
t_on_exit 'topo_down; rm -rf "$WORK"'

topo_up || t_abort "topology did not come up"
topo_server "$WORK/server.log" || t_abort "rtr-server did not start"
client() { timeout 60 ip netns exec "$C" "$BIN" "$@"; }

declare -A V4=([target]=10.201.3.2 [hops]="10.201.3.1 10.201.2.1 10.201.1.2"
	[fwd]="10.201.1.1 10.201.2.2 10.201.3.2")
declare -A V6=([target]=fd00:201:3::2 [hops]="fd00:201:3::1 fd00:201:2::1 fd00:201:1::2"
	[fwd]="fd00:201:1::1 fd00:201:2::2 fd00:201:3::2")

for fam in 4 6; do
	declare -n L=V$fam
	for proto in udp tcp icmp; do
		j=$WORK/rev-$fam-$proto.json
		client -n -w 2 --flow 4242 --format json -o "$j" reverse $proto singlepath "${L[target]}"
		rc=$?
		got=$(hops "$j")
		srtt=$(jq '[.traces[0].hops[].probes[] | select(.state == 0) | .server_rtt_ms] |
			all(. != null and . > 0)' "$j")
		if [ $rc -eq 0 ] && [ "$got" = "${L[hops]}" ] &&
			[ "$(field "$j" stop_reason)" = completed ] &&
			[ "$(field "$j" server.present)" = true ] &&
			[ "$(field "$j" flow)" = 4242 ] && [ "$srtt" = true ]; then
			ok
		else
			fail "reverse $proto IPv$fam: rc $rc hops '$got' (want '${L[hops]}')"
		fi
	done
	j=$WORK/two-$fam.json
	client -n -w 2 --format json -o "$j" two-way udp singlepath "${L[target]}"
	rc=$?
	[ $rc -eq 0 ] && [ "$(hops "$j" 0)" = "${L[fwd]}" ] && [ "$(hops "$j" 1)" = "${L[hops]}" ] &&
		ok || fail "two-way IPv$fam: rc $rc fwd '$(hops "$j" 0)' rev '$(hops "$j" 1)'"
done
t=$(client -n -w 2 two-way icmp singlepath 10.201.3.2)
grep -qE '^  3  10\.201\.3\.2 .* ms +10\.201\.1\.2  .* ms' <<<"$t" &&
	grep -q '^reverse stop: completed' <<<"$t" && ok || fail "two-way text: $t"
/usr/bin/python3 tests/client/validate.py "$SCHEMA" "$WORK"/*.json && ok || fail "schema validation"

# Behind a NAT: r1 masquerades the client. The server sees r1's outer address and its probes
# end there; r1 answers them itself at every TTL from 2 on, so the trace completes at r1.
ip netns exec "$R1" nft -f - <<'NFT' || fail "nft masquerade"
table inet rtrc_nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "r1b" masquerade
	}
}
NFT
declare -A N4=([target]=10.201.3.2 [hops]="10.201.3.1 10.201.2.1" [nat]=10.201.2.1)
declare -A N6=([target]=fd00:201:3::2 [hops]="fd00:201:3::1 fd00:201:2::1" [nat]=fd00:201:2::1)
for fam in 4 6; do
	declare -n L=N$fam
	for proto in udp tcp icmp; do
		j=$WORK/nat-$fam-$proto.json
		client -n -w 2 --format json -o "$j" reverse $proto singlepath "${L[target]}"
		rc=$?
		got=$(hops "$j")
		[ $rc -eq 0 ] && [ "$got" = "${L[hops]}" ] &&
			[ "$(field "$j" stop_reason)" = completed ] &&
			[ "$(field "$j" server.ended_elsewhere)" = true ] &&
			field "$j" stop_message | grep -q "ended at ${L[nat]}" && ok ||
			fail "NAT reverse $proto IPv$fam: rc $rc hops '$got' (want '${L[hops]}')"
	done
done
/usr/bin/python3 tests/client/validate.py "$SCHEMA" "$WORK"/nat-*.json && ok || fail "schema (NAT)"

t_done live-server
