#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh: multipath on the lab's ECMP topologies, forward IPv4, alpha 0.05 (95% confidence):
# probes sent and wall time of rtr-client forward udp multipath against scamper tracelb at its
# fastest setting that works (-W 15: 150 ms between probes is its minimum; -w 1 -q 1), in the same
# run; and the reverse multipath wall time on the 8-branch wide diamond.
# Prints "BENCH <name> <value> <unit> <baseline-name> <baseline-value>" lines (tests/bench.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BIN=$PWD/build/bin/rtr-client
LAB=$PWD/build/bin/rtr-lab
SERVER=${RTR_SERVER:-$PWD/build/bin/rtr-server}
RUNS=${RTR_BENCH_RUNS:-5}
WORK=$(mktemp -d)
NAME="" SPID=""
lab_down() {
	if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi
	SPID=
	[ -n "$NAME" ] && timeout 20 "$LAB" down "$NAME" >/dev/null 2>&1
	NAME=
}
trap 'lab_down; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
make -s build/bin/rtr-client build/bin/rtr-server build/bin/rtr-lab >&2 || exit 1

now() { date +%s%N; }
tot_p=0 tot_sp=0 tot_ms=0 tot_sms=0
for topo in diamond unequal series meshed wide paris; do
	NAME=rtrb$(od -An -N3 -tx1 /dev/urandom | tr -d ' ')
	timeout 30 "$LAB" up "lab/topologies/$topo.topo" --name "$NAME" >/dev/null 2>&1 ||
		{ echo "lab $topo did not come up" >&2; NAME=; exit 1; }
	dst=$("$LAB" addrs "$NAME" | awk '$1 == "server" && $2 == "primary" && $3 !~ /:/ { sub("/.*", "", $3); print $3 }')
	C=rtrlab-$NAME-client
	# rtr-client: mean of RUNS runs (each is milliseconds), probes of each run summed likewise.
	ms=0 p=0
	for ((i = 0; i < RUNS; i++)); do
		t0=$(now)
		timeout 60 ip netns exec "$C" "$BIN" -n -w 1 -a 0.05 --format json -o "$WORK/r.json" \
			forward udp multipath "$dst" || { echo "rtr-client failed on $topo" >&2; exit 1; }
		t1=$(now)
		ms=$((ms + (t1 - t0) / 1000)) p=$((p + $(jq .traces[0].probe_counts.sent "$WORK/r.json")))
	done
	ms=$(awk -v v=$ms -v n=$RUNS 'BEGIN { printf "%.1f", v / n / 1000 }')
	p=$(awk -v v=$p -v n=$RUNS 'BEGIN { printf "%.1f", v / n }')
	# scamper: one run (each takes seconds at 150 ms per probe).
	t0=$(now)
	(cd "$WORK" && timeout 300 ip netns exec "$C" scamper -O json \
		-c "tracelb -P udp-sport -c 95 -W 15 -w 1 -q 1" -i "$dst" >"$WORK/s.json" 2>"$WORK/s.err") ||
		{ echo "scamper failed on $topo: $(head -c 200 "$WORK/s.err")" >&2; exit 1; }
	t1=$(now)
	sms=$(awk -v v=$(((t1 - t0) / 1000)) 'BEGIN { printf "%.1f", v / 1000 }')
	sp=$(jq -r 'select(.type == "tracelb") | .probec' "$WORK/s.json")
	echo "BENCH mda_fwd_udp_v4_probes_$topo $p probes scamper_tracelb_probes $sp"
	echo "BENCH mda_fwd_udp_v4_wall_$topo $ms ms scamper_tracelb_wall $sms"
	tot_p=$(awk -v a=$tot_p -v b=$p 'BEGIN { print a + b }')
	tot_sp=$((tot_sp + sp))
	tot_ms=$(awk -v a=$tot_ms -v b=$ms 'BEGIN { print a + b }')
	tot_sms=$(awk -v a=$tot_sms -v b=$sms 'BEGIN { print a + b }')
	if [ $topo = wide ]; then
		ifs=$("$LAB" addrs "$NAME" | awk '$1 == "server" && $2 != "primary" { print $2 }' | sort -u)
		# shellcheck disable=SC2086
		ip netns exec "rtrlab-$NAME-server" "$SERVER" $ifs >"$WORK/server.log" 2>&1 &
		SPID=$!
		timeout 60 bash -c "until grep -q \"^rtr-server: serving on\" \"$WORK/server.log\"; do kill -0 $SPID 2>/dev/null || exit 1; sleep 0.05; done" ||
			{ echo "rtr-server did not start" >&2; exit 1; }
		t0=$(now)
		timeout 60 ip netns exec "$C" "$BIN" -n -w 1 --format json -o "$WORK/rev.json" \
			reverse udp multipath "$dst" || { echo "reverse multipath failed" >&2; exit 1; }
		t1=$(now)
		echo "BENCH mda_rev_udp_v4_wall_wide $(awk -v v=$(((t1 - t0) / 1000)) 'BEGIN { printf "%.1f", v / 1000 }') ms target_ms 10000"
		echo "BENCH mda_rev_udp_v4_requests_wide $(jq .traces[0].probe_counts.sent "$WORK/rev.json") requests - -"
	fi
	lab_down
done
echo "BENCH mda_fwd_udp_v4_probes_all $tot_p probes scamper_tracelb_probes_all $tot_sp"
echo "BENCH mda_fwd_udp_v4_wall_all $tot_ms ms scamper_tracelb_wall_all $tot_sms"
