#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 70-conform.sh: rtr-conform against our rtr-server (must conform), against tests/conform/bad-server
# broken on purpose (must fail with exactly the expected cases), and its CLI misuse. Root.
# Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
CONFORM=build/san/bin/rtr-conform
BAD=$PWD/build/san/tests/conform/bad-server
make -s "$CONFORM" build/bin/rtr-server build/san/bin/rtr-client build/bin/rtr-lab \
	build/san/tests/conform/bad-server build/san/tests/conform/bad-client ||
	t_abort "build failed"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$WORK"
}
t_on_exit cleanup

# CLI misuse: one line on stderr, exit 2, before any lab is built.
misuse() { # expected-substring args...
	local want=$1 err rc
	shift
	err=$("$CONFORM" "$@" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q -- "$want" <<<"$err" &&
		ok "usage: $*" || fail "usage: $* -> rc $rc '$err'"
}
misuse "give exactly one mode"
misuse "server or client" bogus
misuse "--family takes" server --family 5
misuse "--format takes" server --format xml
misuse "needs --client-cmd" client
"$CONFORM" --help | grep -q '^usage: rtr-conform server' && ok "--help" || fail "--help"

t_root || t_skip_all "live runs: labs and rtr-server need root"

COMMON=(--lab-bin build/bin/rtr-lab --topology conform/conform.topo --format json)
# The server runs use separate labs and go in parallel (each mostly waits on timers).
timeout 240 "$CONFORM" server "${COMMON[@]}" -o "$WORK/ours.json" \
	--server-cmd "$PWD/build/bin/rtr-server -t {timeout} {ifname}" 2>"$WORK/ours.err" &
PIDS+=($!)
timeout 240 "$CONFORM" server "${COMMON[@]}" -o "$WORK/swap.json" \
	--server-cmd "$BAD --swap-states -t {timeout} {ifname}" 2>"$WORK/swap.err" &
PIDS+=($!)
timeout 240 "$CONFORM" server "${COMMON[@]}" --family 6 -o "$WORK/never.json" \
	--server-cmd "$BAD --never-answer -t {timeout} {ifname}" 2>"$WORK/never.err" &
PIDS+=($!)
# A server that keeps sessions for 60 s although told {timeout}: only the late answer may fail.
timeout 240 "$CONFORM" server "${COMMON[@]}" --family 4 -o "$WORK/late.json" \
	--server-cmd "$BAD -t 60000000000 {ifname} # ignores {timeout}" 2>"$WORK/late.err" &
PIDS+=($!)
# A server whose responses repeat the request's sequence (RSP-2; reads as a kernel echo).
timeout 240 "$CONFORM" server "${COMMON[@]}" --family 4 -o "$WORK/echo.json" \
	--server-cmd "$BAD --echo-seq -t {timeout} {ifname}" 2>"$WORK/echo.err" &
PIDS+=($!)
rcs=()
for p in "${PIDS[@]}"; do
	wait "$p"
	rcs+=($?)
done
PIDS=()

failed() { jq -r '.must[], .should[] | select(.verdict == "FAIL") | .case' "$1" | sort; }

# Our server: every case passes, none is N/A (the timeout placeholder is given), 56 per family.
j=$WORK/ours.json
if [ "${rcs[0]}" -eq 0 ] && [ "$(jq -r .conforms "$j")" = true ] &&
	[ "$(jq '[.must[], .should[]] | length' "$j")" -eq 113 ] &&
	[ "$(jq '[.must[], .should[] | select(.verdict != "PASS")] | length' "$j")" -eq 0 ]; then
	ok "rtr-server conforms: $(jq -c .summary "$j")"
else
	fail "rtr-server: rc ${rcs[0]}: $(jq -c '[.must[], .should[] | select(.verdict != "PASS")]' "$j" 2>&1 | head -c 2000)"
	sed 's/^/    /' "$WORK/ours.err" | tail -20
fi
# The broken servers: exit 1 and exactly the expected FAIL list.
i=1
for run in swap:swap-states never:never-answer-v6 late:ignore-timeout-v4 echo:echo-seq-v4; do
	name=${run%%:*} exp=tests/conform/expected-${run#*:}.txt
	rc=${rcs[$i]}
	i=$((i + 1))
	got=$(failed "$WORK/$name.json" 2>&1)
	if [ "$rc" -eq 1 ] && [ "$got" = "$(sort "$exp")" ]; then
		ok "bad-server ${run#*:}: exactly the $(wc -l <"$exp") expected cases fail"
	else
		fail "bad-server ${run#*:}: rc $rc; diff expected/seen:"
		diff <(sort "$exp") <(echo "$got") | sed 's/^/    /'
		sed 's/^/    /' "$WORK/$name.err" | tail -20
	fi
done

# Client mode: our client conforms; ping sends no requests at all.
timeout 120 "$CONFORM" client "${COMMON[@]}" -o "$WORK/client.json" \
	--client-cmd "$PWD/build/san/bin/rtr-client -n -q 1 -w 1 -m 8 --rate {rate} reverse udp singlepath {target}" \
	2>"$WORK/client.err"
rc=$?
j=$WORK/client.json
if [ $rc -eq 0 ] && [ "$(jq -r .conforms "$j")" = true ] &&
	[ "$(jq '[.must[], .should[]] | length' "$j")" -eq 42 ] &&
	[ "$(jq '[.must[], .should[] | select(.verdict != "PASS")] | length' "$j")" -eq 0 ]; then
	ok "rtr-client conforms: $(jq -c .summary "$j")"
else
	fail "rtr-client: rc $rc: $(jq -c '[.must[], .should[] | select(.verdict != "PASS")]' "$j" 2>&1 | head -c 2000)"
	sed 's/^/    /' "$WORK/client.err" | tail -20
fi
# ping sends no requests at all; bad-client skips the presence check, sends sequence 0, one
# identifier for every TTL and a new flow per TTL, and exits 0 whatever comes back.
for run in "ping:ping -c 2 -W 1 {target}" "bad:$PWD/build/san/tests/conform/bad-client {target}"; do
	name=${run%%:*}
	timeout 120 "$CONFORM" client "${COMMON[@]}" -o "$WORK/c-$name.json" \
		--client-cmd "${run#*:}" 2>"$WORK/c-$name.err"
	rc=$?
	got=$(failed "$WORK/c-$name.json" 2>&1)
	exp=tests/conform/expected-client-$name.txt
	if [ $rc -eq 1 ] && [ "$got" = "$(sort "$exp")" ]; then
		ok "client mode, $name: exactly the $(wc -l <"$exp") expected cases fail"
	else
		fail "client mode, $name: rc $rc; diff expected/seen:"
		diff <(sort "$exp") <(echo "$got") | sed 's/^/    /'
	fi
done

# The text report carries the same verdicts as the JSON one.
timeout 120 "$CONFORM" client --lab-bin build/bin/rtr-lab --topology conform/conform.topo \
	--family 4 --client-cmd "ping -c 1 -W 1 {target}" >"$WORK/ping.txt" 2>/dev/null
rc=$?
if [ $rc -eq 1 ] && grep -q '^MUST (8 pass, 4 fail, 0 n/a)$' "$WORK/ping.txt" &&
	grep -q '^  FAIL client-request-format-trace-v4 ' "$WORK/ping.txt" &&
	grep -q '^       expected requests at the target, seen none$' "$WORK/ping.txt" &&
	grep -q '^verdict: does not conform (a MUST failed)$' "$WORK/ping.txt"; then
	ok "text report"
else
	fail "text report: rc $rc"
	sed 's/^/    /' "$WORK/ping.txt"
fi

# SIGTERM mid-run: exit 130 and the lab is gone (namespaces and state).
timeout 60 "$CONFORM" server --lab-bin build/bin/rtr-lab --topology conform/conform.topo \
	--family 4 >/dev/null 2>"$WORK/sig.err" &
sp=$!
PIDS+=($sp)
# Mid-run: once the lab is up (rtr-lab's line on stderr) and a case is being run.
wait_for 30 grep -q '^rtr-lab: lab [a-z0-9]* (conform) up:' "$WORK/sig.err"
kill -TERM "$sp"
wait "$sp"
rc=$?
PIDS=()
name=$(sed -n 's/^rtr-lab: lab \([a-z0-9]*\) (conform) up:.*/\1/p' "$WORK/sig.err")
if [ $rc -eq 130 ] && [ -n "$name" ] && ! build/bin/rtr-lab list | grep -q "^$name " &&
	! ip netns list | grep -q "^rtrlab-$name-" && [ ! -e "/run/rtr-lab/$name" ]; then
	ok "SIGTERM: exit 130, lab $name removed"
else
	fail "SIGTERM: rc $rc, lab '$name'"
	sed 's/^/    /' "$WORK/sig.err"
fi
t_done
