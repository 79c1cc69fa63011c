#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 21-tcpdump.sh: an independent dissector (Debian's tcpdump -vv) must agree with each vector's checksum intent.
#
# Every vector source says "expect-checksum good" or "expect-checksum bad". tcpdump verifies IPv4
# header, ICMP, ICMPv6, UDP and TCP checksums; a good vector must show no bad checksum, a bad
# vector must show at least one. This catches a vecasm checksum bug that rtr-decode (which uses
# proto/, possibly sharing the same misunderstanding) could not.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/lib/t.sh

VECASM=build/rel/spec-vectors/vecasm
t_have tcpdump || t_skip_all "21-tcpdump: tcpdump is not installed (make deps)"
[ -x "$VECASM" ] || t_abort "21-tcpdump: $VECASM is missing: run make $VECASM"

# What tcpdump 4.99 prints for a checksum that does not verify, per protocol.
bad_re='bad cksum|wrong icmp cksum|bad icmp6 cksum|bad udp cksum|\(incorrect'
while read -r name csum _opts; do
	pcap=spec-vectors/pcap/$name.pcap
	if ! out=$(timeout 10 tcpdump -nn -vv -r "$pcap" 2>&1); then
		fail "$name: tcpdump could not read $pcap: $out"
		continue
	fi
	npkt=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.' <<<"$out")
	if [ "$npkt" -eq 0 ]; then
		fail "$name: tcpdump printed no packet"
		continue
	fi
	if grep -qE "$bad_re" <<<"$out"; then seen=bad; else seen=good; fi
	if [ "$seen" = "$csum" ]; then
		ok
	else
		fail "$name: source says checksums $csum, tcpdump says $seen:"
		sed 's/^/    /' <<<"$out"
	fi
done < <("$VECASM" -l spec-vectors/src/*.vec)
t_done "21-tcpdump: every vector's checksums as tcpdump -vv sees them"
