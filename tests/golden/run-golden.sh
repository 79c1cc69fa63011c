#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run-golden.sh: the golden tests: every TESTLIST vector through rtr-decode, diffed with its expected text.
#
# usage: tests/golden/run-golden.sh RTR_DECODE VECASM
# One test per vector: its pcap must reassemble byte-identically from src/*.vec and rtr-decode's
# output must equal expected/NAME.txt. Further tests: TESTLIST is current, the PROTOCOL.md section 8
# cross-check bytes end their vectors byte-exact, and rtr-decode's command line behaves.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh

decode=${1:?usage: run-golden.sh RTR_DECODE VECASM}
vecasm=${2:?usage: run-golden.sh RTR_DECODE VECASM}
sv=spec-vectors

tmp=$(mktemp -d)
t_on_exit 'rm -rf "$tmp"'

# The committed pcaps must be exactly what the sources assemble to.
if ! "$vecasm" -o "$tmp" "$sv"/src/*.vec; then
	fail "vecasm failed on $sv/src/*.vec"
fi

# TESTLIST is generated from the sources; a stale one would silently skip vectors.
list=$("$vecasm" -l "$sv"/src/*.vec)
want=$(while read -r name _csum opts; do
	echo "$name pcap/$name.pcap expected/$name.txt${opts:+ $opts}"
done <<<"$list")
if [ "$want" = "$(grep -v '^#' "$sv/TESTLIST")" ]; then ok; else fail "TESTLIST is stale: run tools/regen-golden.sh"; fi
dups=$(awk '{print $1}' <<<"$list" | sort | uniq -d)
if [ -z "$dups" ]; then ok; else fail "duplicate vector names: $dups"; fi

n=0
while read -r name pcap expected opts; do
	case "$name" in '#'* | '') continue ;; esac
	n=$((n + 1))
	if ! cmp -s "$tmp/$name.pcap" "$sv/$pcap"; then
		fail "$name: $sv/$pcap differs from what $sv/src assembles (run tools/regen-golden.sh)"
		continue
	fi
	# shellcheck disable=SC2086 # options are words by design
	if ! out=$(timeout 10 "$decode" $opts "$sv/$pcap" 2>&1); then
		fail "$name: rtr-decode exited non-zero: $out"
		continue
	fi
	if d=$(diff -u "$sv/$expected" - <<<"$out"); then
		ok
	else
		fail "$name: output differs from $expected"
		echo "$d" | sed 's/^/    /'
	fi
done <"$sv/TESTLIST"
if [ "$n" -ge 80 ]; then ok; else fail "only $n vectors in TESTLIST (at least 80 expected)"; fi

# PROTOCOL.md section 8: the ICMP part of each case, byte-exact at the end of its one-packet pcap.
x8() {
	local name=$1 hex=$2 got
	got=$(od -An -tx1 -v "$sv/pcap/$name.pcap" | tr -d ' \n')
	if [[ "$got" == *"$hex" ]]; then ok; else fail "$name: does not end with section 8 bytes $hex"; fi
}
x8 x8-req-udp 0801601e123400000311829b
x8 x8-req-tcp 0801e10912340000030601bb
x8 x8-req-icmp 080123da123400000301beef
x8 x8-req-defaults 0801e2ca1234000003000000
x8 x8-req-presence 0801e5ca1234000000000000
x8 x8-req-proto99 0801e2671234000003630000
x8 x8-rsp-state1 0001ecca1234000001000000
x8 x8-rsp-state2 0001ebca1234000002000000
x8 x8-rsp-success 00014fbe123400000000000000000000000000000000ffffcb00710100bc614e00000000

# The command line: help, version, one-line errors, exit codes.
cli() {
	local label=$1 want_rc=$2 pattern=$3 rc out
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && grep -qE -- "$pattern" <<<"$out"; then
		ok
	else
		fail "cli $label: exit $rc (want $want_rc), output: $out"
	fi
}
cli help 0 '^usage: rtr-decode' "$decode" --help
cli version 0 '^rtr-decode [0-9]+\.[0-9]+' "$decode" --version
cli no-file 2 'no pcap file given' "$decode"
cli two-files 2 'too many arguments' "$decode" a.pcap b.pcap
cli bad-option 2 "try 'rtr-decode --help'" "$decode" --frobnicate x.pcap
cli bad-padding 2 'min-padding' "$decode" --min-padding=lots "$sv/pcap/x8-req-udp.pcap"
cli missing-file 1 'nonexistent.pcap' "$decode" "$tmp/nonexistent.pcap"
printf 'not a pcap file at all, just text\n' >"$tmp/junk.pcap"
cli not-pcap 1 '^rtr-decode: ' "$decode" "$tmp/junk.pcap"
cli timestamps 0 '^1700000000\.000000 #1 IPv4 ' "$decode" -t "$sv/pcap/x8-req-udp.pcap"
cli stdin 0 '^#1 IPv4 .*rtr request' "$decode" - <"$sv/pcap/x8-req-udp.pcap"
# A link type rtr-decode does not read must be refused, not misparsed: rewrite the header's
# link type (bytes 20-23, little-endian as libpcap writes on this host) to 105 (802.11).
cp "$sv/pcap/x8-req-udp.pcap" "$tmp/wifi.pcap"
printf '\x69\x00\x00\x00' | dd of="$tmp/wifi.pcap" bs=1 seek=20 conv=notrunc status=none
cli unsupported-link 1 'not supported' "$decode" "$tmp/wifi.pcap"
# Every packet of a capture gets its own numbered line.
cli one-line-per-packet 0 '^#3 ' "$decode" "$sv/pcap/ans-tcp-synack-v4.pcap"

echo "golden: $n vectors through $decode"
t_done
