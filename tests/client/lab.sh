#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# lab.sh: rtr-client in every rtr-lab topology: singlepath forward and reverse traces, both
# families, all protocols, equal one of the lab's truth paths; the special labs (nat, filter,
# silent, ratelimit) end with the right stop reason; a rate-limited server still gives the true
# path (CLI-14). rtr-server runs on the lab's server node.
# Prints "N passed, N failed". Needs root, build/bin/rtr-lab and build/bin/rtr-server.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
SCHEMA=client/rtr-client.schema.json
WORK=$(mktemp -d)
LAB_PREFIX=rtrc
. tests/lib/lab-server.sh
t_on_exit 'lab_down; rm -rf "$WORK"'

# truth_has FROM TO PATH: PATH is one of the lab's truth paths FROM -> TO.
truth_has() {
	"$LAB" truth "$NAME" | grep -qxF "$1 $2: $3"
}

# trace_check TOPO FAM PROTO DIR [ARGS...]: one trace, checked against the truth.
trace_check() {
	local topo=$1 fam=$2 proto=$3 dir=$4; shift 4
	local j=$WORK/$topo-$dir-$fam-$proto-$RANDOM.json from=client to=server
	[ "$dir" = reverse ] && { from=server; to=client; }
	client -n -w 1 "$@" --format json -o "$j" $dir $proto singlepath "${PRIMARY[server-$fam]}"
	local rc=$? p; p=$(path "$j" "$from")
	if [ $rc -eq 0 ] && [ "$(jq -r '.traces[0].stop_reason' "$j")" = completed ] &&
		truth_has "$from" "$to" "$p"; then
		ok
	else
		fail "$topo $dir $proto IPv$fam $*: rc $rc path '$p' stop $(jq -r '.traces[0].stop_reason' "$j" 2>/dev/null)"
	fi
	LAST_PATH=$p
}

# flows_spread TOPO FAM PROTO DIR: flows 1-6 each stay on a truth path, and together they
# take at least two different paths (the flow really steers the load balancers).
flows_spread() {
	local seen=() flow
	for flow in 1 2 3 4 5 6; do
		trace_check "$@" --flow $flow
		seen+=("$LAST_PATH")
	done
	local distinct; distinct=$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)
	[ "$distinct" -ge 2 ] && ok || fail "$* flows 1-6 all took one path: ${seen[0]}"
}

for topo in linear asymmetric diamond series meshed paris multihomed wide unequal; do
	lab_up $topo || { fail "$topo: lab or server did not come up"; lab_down; continue; }
	for fam in 4 6; do
		for proto in udp tcp icmp; do
			trace_check $topo $fam $proto forward
			trace_check $topo $fam $proto reverse
		done
	done
	# Load-balanced labs: every flow stays on one of the truth paths, each hop one node.
	case $topo in diamond | paris | wide)
		flows_spread $topo 4 udp forward
		flows_spread $topo 6 udp reverse
		flows_spread $topo 6 tcp forward
		flows_spread $topo 4 tcp reverse ;;
	esac
	# Only paris hashes ICMP (Linux ECMP does not): there the ICMP checksum steers too.
	if [ $topo = paris ]; then
		flows_spread $topo 4 icmp forward
		flows_spread $topo 4 icmp reverse
		flows_spread $topo 6 icmp forward
		flows_spread $topo 6 icmp reverse
	fi
	lab_down
done

# lab_up waits for its own server, not for the last lab's "serving on" line still in the log: a
# server slow to start (as under heavy load, where the verifier alone takes seconds) is attached
# before the first reverse trace, which otherwise gets the kernel's echo ("no-server").
printf '#!/bin/sh\nsleep 2\nexec "%s" "$@"\n' "$SERVER" >"$WORK/slow-server"
chmod +x "$WORK/slow-server"
if SERVER=$WORK/slow-server lab_up linear; then
	trace_check linear 4 udp reverse
else
	fail "linear lab with a slow server did not come up"
fi
lab_down

# nat: the reverse trace ends at the NAT's outside address, completed, and says so.
if lab_up nat; then
	for fam in 4 6; do
		for proto in udp tcp icmp; do
			trace_check nat $fam $proto forward
			j=$WORK/nat-$fam-$proto.json
			client -n -w 1 --format json -o "$j" reverse $proto singlepath "${PRIMARY[server-$fam]}" 2>/dev/null
			p=$(path "$j" server)
			[ "$(jq -r '.traces[0].stop_reason' "$j")" = completed ] &&
				[ "$(jq -r '.traces[0].server.ended_elsewhere' "$j")" = true ] &&
				truth_has server nat "$p" && ok || fail "nat reverse $proto IPv$fam: path '$p'"
		done
	done
	lab_down
else
	fail "nat lab did not come up"
	lab_down
fi

# filter: r2 drops requests, so the presence check stays unanswered; forward still works.
if lab_up filter; then
	for fam in 4 6; do
		trace_check filter $fam udp forward
		client -n -w 0.5 -q 2 --format json -o "$WORK/filter-$fam.json" reverse udp singlepath \
			"${PRIMARY[server-$fam]}" 2>"$WORK/err"
		rc=$?
		[ $rc -eq 3 ] && grep -q 'no answer to the presence check' "$WORK/err" &&
			[ "$(jq -r '.traces[0].stop_reason' "$WORK/filter-$fam.json")" = no-server ] && ok ||
			fail "filter reverse IPv$fam: rc $rc $(cat "$WORK/err")"
	done
	lab_down
else
	fail "filter lab did not come up"
	lab_down
fi

# silent: r2 never answers: '*' at hop 2 in both directions, and the traces still complete.
if lab_up silent; then
	for fam in 4 6; do
		for dir in forward reverse; do
			j=$WORK/silent-$dir-$fam.json
			client -n -w 0.5 --format json -o "$j" $dir udp singlepath "${PRIMARY[server-$fam]}"
			from=client to=server
			[ $dir = reverse ] && { from=server; to=client; }
			p=$(path "$j" $from)
			want=$("$LAB" truth "$NAME" | sed -n "s/^$from $to: //p" | sed 's/ r2 / * /')
			[ "$(jq -r '.traces[0].stop_reason' "$j")" = completed ] && [ "$p" = "$want" ] &&
				ok || fail "silent $dir IPv$fam: '$p' (want '$want')"
		done
	done
	lab_down
else
	fail "silent lab did not come up"
	lab_down
fi

# ratelimit: r2 keeps the kernel's ICMP limits; a trace still completes with r2 at hop 2
# when probes are spaced out (--rate) and one is in flight.
if lab_up ratelimit; then
	for fam in 4 6; do
		j=$WORK/ratelimit-$fam.json
		client -n -w 1 -q 1 -N 1 --rate 2 --format json -o "$j" forward udp singlepath \
			"${PRIMARY[server-$fam]}"
		p=$(path "$j" client)
		[ "$(jq -r '.traces[0].stop_reason' "$j")" = completed ] && truth_has client server "$p" &&
			ok || fail "ratelimit forward IPv$fam: '$p'"
	done
	lab_down
else
	fail "ratelimit lab did not come up"
	lab_down
fi

# A rate-limited server (--rate 5 --burst 5) on series, whose reverse path has 6 hops (server r3
# c|d r2 a|b r1 client). Requests over the limit are dropped silently; rtr-client sends silent
# requests again with backoff and slows down, so the trace is the true path with every hop
# answered (it used to end "completed after hop 7" with '*' hops), and it says the server
# dropped requests (CLI-14).
if SERVER_ARGS="--rate 5 --burst 5" lab_up series; then
	for fam in 4 6; do
		j=$WORK/limited-$fam.json
		client -n -w 1 --format json -o "$j" reverse udp singlepath "${PRIMARY[server-$fam]}"
		rc=$? p=$(path "$j" server)
		unanswered=$(jq '[.traces[0].hops[].probes[] | select(.answered | not)] | length' "$j")
		if [ $rc -eq 0 ] && [ "$(jq -r '.traces[0].stop_reason' "$j")" = completed ] &&
			[ "$(jq -r '.traces[0].last_ttl' "$j")" = 6 ] && [ "$unanswered" = 0 ] &&
			truth_has server client "$p" &&
			[ "$(jq -r '.traces[0].server.limited' "$j")" = true ] &&
			jq -r '.traces[0].server.limit_message' "$j" | grep -q 'rate limit, not at the path'
		then
			ok
		else
			fail "limited reverse IPv$fam: rc $rc path '$p', $unanswered unanswered," \
				"$(jq -c '.traces[0] | [.stop_reason, .last_ttl, .server.limited]' "$j")"
		fi
	done
	# The text table says it too, under the stop line.
	t=$(client -n -w 1 -4 reverse icmp singlepath "${PRIMARY[server-4]}")
	grep -q '^reverse stop: completed after hop 6 (.* sent again)$' <<<"$t" &&
		grep -q '^reverse note: the server at .* dropped requests: .* not at the path' <<<"$t" &&
		! grep -q '^  [1-6]  \*' <<<"$t" && ok || fail "limited text: $t"
	lab_down
else
	fail "series lab with a rate-limited server did not come up"
	lab_down
fi

/usr/bin/python3 tests/client/validate.py "$SCHEMA" "$WORK"/*.json && ok || fail "schema validation"
t_done lab
