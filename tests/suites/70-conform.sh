#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 70-conform.sh: rtr-conform against our rtr-server (must conform), against a second legal
# implementation shaped unlike rtr (bad-server --other, bad-client --other: every draft MUST
# passes, exactly the expected profile cases fail), against tests/conform/bad-server broken on
# purpose (exactly the expected cases fail or are inconclusive), its CLI misuse, --list-cases,
# --only/--skip, JUnit XML (parsed) and an installed copy. Root. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
CONFORM=build/san/bin/rtr-conform
BAD=$PWD/build/san/tests/conform/bad-server
make -s "$CONFORM" build/bin/rtr-server build/san/bin/rtr-client build/bin/rtr-lab \
	build/san/tests/conform/bad-server build/san/tests/conform/bad-client \
	build/san/tests/conform/unit/test_report ||
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

# CLI misuse: one line on stderr, prefixed by the program name (common/diag.c), exit 2,
# before any lab is built.
misuse() { # expected-substring args...
	local want=$1 err rc
	shift
	err=$("$CONFORM" "$@" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q -- "$want" <<<"$err" &&
		grep -q '^rtr-conform: ' <<<"$err" &&
		ok "usage: $*" || fail "usage: $* -> rc $rc '$err'"
}
misuse "give exactly one mode"
misuse "server or client" bogus
misuse "--family takes" server --family 5
misuse "--format takes" server --format xml
misuse "needs --client-cmd" client
misuse "--list-cases takes no mode or one" --list-cases bogus
misuse "--only and --skip take" server --only ''
misuse "leave no case to play" server --only no-such-case
misuse "leave no case to play" client --client-cmd true --skip 'client-*'
"$CONFORM" --help | grep -q '^usage: rtr-conform server' && ok "--help" || fail "--help"

# Verdict rules and report formats (cmocka; its output only when it fails).
if build/san/tests/conform/unit/test_report >"$WORK/unit.txt" 2>&1; then
	ok "report unit tests: $(grep -c '^\[       OK \]' "$WORK/unit.txt") passed"
else
	fail "report unit tests"
	sed 's/^/    /' "$WORK/unit.txt"
fi

# --list-cases: no root, no lab; every line is mode, case id, level, strength, requirement ids,
# and the ids are the ones the runs below report (checked there).
"$CONFORM" --list-cases >"$WORK/cases.txt"
if [ "$(wc -l <"$WORK/cases.txt")" -eq 167 ] &&
	awk -F'\t' 'NF != 5 || $3 !~ /^(draft|profile)$/ || $4 !~ /^(MUST|SHOULD)$/ || $5 == "" { bad = 1 }
		END { exit bad }' "$WORK/cases.txt" &&
	[ "$(cut -f2 "$WORK/cases.txt" | sort | uniq -d | wc -l)" -eq 0 ] &&
	[ "$("$CONFORM" --list-cases client --family 6 --only 'client-exit-*' | cut -f2 | paste -sd' ')" = \
		"client-exit-trace-v6 client-exit-kernel-echo-v6" ]; then
	ok "--list-cases: 167 unique cases with level, strength and requirements; --only filters"
else
	fail "--list-cases: $(wc -l <"$WORK/cases.txt") lines"
	head -3 "$WORK/cases.txt" | sed 's/^/    /'
fi
# Every requirement id of docs/PROTOCOL.md names a test, and the cases section 12 names exist.
if python3 tools/check-traceability.py --cases "$WORK/cases.txt" >"$WORK/trace.txt"; then
	ok "traceability: $(tail -1 "$WORK/trace.txt")"
else
	fail "traceability:"
	sed 's/^/    /' "$WORK/trace.txt"
fi
# The check can fail: a new id without a row, a row naming a test that does not exist.
sed -e 's/^- \*\*REQ-5\*\*/- **REQ-99** new. &/' -e 's/`test_v4_options`/`test_no_such_test`/' \
	docs/PROTOCOL.md >"$WORK/proto.md"
python3 tools/check-traceability.py --doc "$WORK/proto.md" >"$WORK/trace-bad.txt"
rc=$?
if [ $rc -eq 1 ] && grep -q '^REQ-99: defined in docs/PROTOCOL.md, no row' "$WORK/trace-bad.txt" &&
	grep -q 'test_no_such_test exists nowhere' "$WORK/trace-bad.txt"; then
	ok "traceability check fails on an untraced id and on a test that does not exist"
else
	fail "traceability check on a broken copy: rc $rc"
	sed 's/^/    /' "$WORK/trace-bad.txt"
fi

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
# A second legal implementation shaped unlike rtr: draft passes, the profile lists its choices.
timeout 240 "$CONFORM" server "${COMMON[@]}" -o "$WORK/other.json" \
	--server-cmd "$BAD --other -t {timeout} {ifname}" 2>"$WORK/other.err" &
PIDS+=($!)
rcs=()
for p in "${PIDS[@]}"; do
	wait "$p"
	rcs+=($?)
done
PIDS=()

# What was not PASS or N/A, as "VERDICT case" lines.
failed() {
	jq -r '.cases[] | select(.verdict == "FAIL" or .verdict == "INCONCLUSIVE") |
		"\(.verdict) \(.case)"' "$1" | sort
}
# The draft MUST cases of a report that did not pass.
draft_not_passed() {
	jq '[.cases[] | select(.level == "draft" and .strength == "MUST" and .verdict != "PASS")] |
		length' "$1"
}

# Our server: every case passes, none is N/A (the timeout placeholder is given), 129 in all.
j=$WORK/ours.json
if [ "${rcs[0]}" -eq 0 ] && [ "$(jq -r .conforms "$j")" = true ] &&
	[ "$(jq '.cases | length' "$j")" -eq 129 ] &&
	[ "$(jq '[.cases[] | select(.verdict != "PASS")] | length' "$j")" -eq 0 ] &&
	[ "$(jq -r '.cases[].case' "$j" | sort)" = "$(grep -P '^server\t' "$WORK/cases.txt" | cut -f2 | sort)" ]; then
	ok "rtr-server conforms: $(jq -c .summary "$j")"
else
	fail "rtr-server: rc ${rcs[0]}: $(jq -c '[.cases[] | select(.verdict != "PASS")]' "$j" 2>&1 | head -c 2000)"
	sed 's/^/    /' "$WORK/ours.err" | tail -20
fi
# The broken servers: exit 1 and exactly the expected FAIL and INCONCLUSIVE lists. The second
# implementation: exit 0, every draft MUST passed, exactly its profile deviations failed, and
# --strict would gate on them (status 1 recomputed from the same verdicts).
i=1
for run in swap:swap-states:1 never:never-answer-v6:1 late:ignore-timeout-v4:1 echo:echo-seq-v4:1 \
	other:other-server:0; do
	IFS=: read -r name exp want <<<"$run"
	exp=tests/conform/expected-$exp.txt
	rc=${rcs[$i]}
	i=$((i + 1))
	got=$(failed "$WORK/$name.json" 2>&1)
	extra=true
	[ "$name" = other ] && { [ "$(draft_not_passed "$WORK/$name.json")" -eq 0 ] &&
		! grep -qv '^FAIL \(profile-\|answer-synack-rst\|answer-forged-tag\|answer-quote8-udp-v6\)' <<<"$got" ||
		extra=false; }
	if [ "$rc" -eq "$want" ] && $extra && [ "$got" = "$(sort "$exp")" ]; then
		ok "bad-server ${exp#tests/conform/}: exit $want, exactly the $(wc -l <"$exp") expected cases fail or are inconclusive"
	else
		fail "bad-server ${exp#tests/conform/}: rc $rc; diff expected/seen:"
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
	[ "$(jq '.cases | length' "$j")" -eq 38 ] &&
	[ "$(jq '[.cases[] | select(.verdict != "PASS")] | length' "$j")" -eq 0 ]; then
	ok "rtr-client conforms: $(jq -c .summary "$j")"
else
	fail "rtr-client: rc $rc: $(jq -c '[.cases[] | select(.verdict != "PASS")]' "$j" 2>&1 | head -c 2000)"
	sed 's/^/    /' "$WORK/client.err" | tail -20
fi
# ping sends no requests at all; bad-client skips the presence check, sends sequence 0, one
# identifier for six requests sent at once, a new flow per TTL, and exits 0 whatever comes back;
# bad-client --other is a legal client shaped unlike rtr-client (exit 0, profile deviations).
for run in "ping:1:ping -c 2 -W 1 {target}" "bad:1:$PWD/build/san/tests/conform/bad-client {target}" \
	"other:0:$PWD/build/san/tests/conform/bad-client --other {target}"; do
	IFS=: read -r name want cmd <<<"$run"
	timeout 120 "$CONFORM" client "${COMMON[@]}" -o "$WORK/c-$name.json" \
		--client-cmd "$cmd" 2>"$WORK/c-$name.err"
	rc=$?
	got=$(failed "$WORK/c-$name.json" 2>&1)
	exp=tests/conform/expected-client-$name.txt
	extra=true
	[ "$name" = other ] && { [ "$(draft_not_passed "$WORK/c-$name.json")" -eq 0 ] &&
		! grep -qv '^FAIL client-' <<<"$got" || extra=false; }
	if [ $rc -eq "$want" ] && $extra && [ "$got" = "$(sort "$exp")" ]; then
		ok "client mode, $name: exit $want, exactly the $(wc -l <"$exp") expected cases fail or are inconclusive"
	else
		fail "client mode, $name: rc $rc; diff expected/seen:"
		diff <(sort "$exp") <(echo "$got") | sed 's/^/    /'
	fi
done

# A client that takes every reply for a hop and crashes on an error state: the MUST cases name
# each accepted noise response (IPv6 raw sockets drop the corrupt checksum themselves).
timeout 120 "$CONFORM" client "${COMMON[@]}" --only 'client-noise-rejected*' \
	--only 'client-terminates*' -o "$WORK/sloppy.json" \
	--client-cmd "$PWD/build/san/tests/conform/bad-client --sloppy {target}" 2>"$WORK/sloppy.err"
rc=$?
detail() { jq -r --arg c "$2" '.cases[] | select(.case == $c) | "\(.verdict) \(.detail)"' "$1"; }
n4=$(detail "$WORK/sloppy.json" client-noise-rejected-trace-v4)
n6=$(detail "$WORK/sloppy.json" client-noise-rejected-trace-v6)
if [ $rc -eq 1 ] && [ "$(jq '.cases | length' "$WORK/sloppy.json")" -eq 4 ] &&
	grep -q '^FAIL .*203.0.113.99, the hop of a response to another identifier' <<<"$n4" &&
	grep -q '203.0.113.98, the hop of a response with a corrupt checksum' <<<"$n4" &&
	grep -q '203.0.113.97, the hop of a malformed response (state 7)' <<<"$n4" &&
	grep -q '203.0.113.96, the hop of a response from an address that is not the server' <<<"$n4" &&
	grep -q '^FAIL .*2001:db8::99, .*2001:db8::97, .*2001:db8::96, ' <<<"$n6" &&
	[ "$(jq '[.cases[] | select(.case | startswith("client-terminates")) |
		select(.verdict == "FAIL" and (.detail | contains("Traceback")))] | length' \
		"$WORK/sloppy.json")" -eq 2 ]; then
	ok "client mode, sloppy: noise-rejected names each accepted response, a traceback fails terminates"
else
	fail "client mode, sloppy: rc $rc"
	jq -c '.cases[]' "$WORK/sloppy.json" 2>&1 | sed 's/^/    /'
fi

# --strict: a profile deviation gates the exit status only when asked.
for strict in "" --strict; do
	timeout 60 "$CONFORM" server "${COMMON[@]}" --family 4 --only answer-synack-rst $strict \
		-o "$WORK/strict.json" --server-cmd "$BAD --other -t {timeout} {ifname}" 2>/dev/null
	rc=$?
	want=0
	[ -n "$strict" ] && want=1
	if [ $rc -eq $want ] && [ "$(detail "$WORK/strict.json" answer-synack-rst-v4 | cut -d' ' -f1)" = FAIL ] &&
		[ "$(jq -r .strict "$WORK/strict.json")" = "$([ -n "$strict" ] && echo true || echo false)" ]; then
		ok "profile FAIL${strict:+ with $strict}: exit $want"
	else
		fail "profile FAIL${strict:+ with $strict}: rc $rc, expected $want"
	fi
done

# The text report carries the same verdicts as the JSON one, by level.
timeout 120 "$CONFORM" client --lab-bin build/bin/rtr-lab --topology conform/conform.topo \
	--family 4 --client-cmd "ping -c 1 -W 1 {target}" >"$WORK/ping.txt" 2>/dev/null
rc=$?
if [ $rc -eq 1 ] && grep -q '^draft MUST (0 pass, 4 fail, 5 inconclusive, 0 n/a)$' "$WORK/ping.txt" &&
	grep -q '^profile SHOULD (0 pass, 0 fail, 4 inconclusive, 1 n/a)$' "$WORK/ping.txt" &&
	grep -q '^  FAIL client-request-format-trace-v4 ' "$WORK/ping.txt" &&
	grep -q '^       expected requests at the target, seen none$' "$WORK/ping.txt" &&
	grep -q '^  INC  client-identifiers-trace-v4 ' "$WORK/ping.txt" &&
	grep -q '^verdict: does not conform (a draft MUST failed)$' "$WORK/ping.txt"; then
	ok "text report"
else
	fail "text report: rc $rc"
	sed 's/^/    /' "$WORK/ping.txt"
fi

# An installed copy (another PREFIX, DESTDIR) lists its cases and writes JUnit XML that a real
# XML parser reads: one testcase per case, failures and errors as the JSON counts them. Only
# some cases are played (--only by case id and by requirement id, --skip).
make -s install DESTDIR="$WORK/inst" PREFIX=/opt/rtr >/dev/null 2>&1
IC=$WORK/inst/opt/rtr/sbin/rtr-conform
if [ -x "$IC" ] && [ "$("$IC" --list-cases | wc -l)" -eq 167 ] &&
	[ -f "$WORK/inst/opt/rtr/share/man/man8/rtr-conform.8" ] &&
	grep -q 'list\\-cases' "$WORK/inst/opt/rtr/share/man/man8/rtr-conform.8"; then
	ok "installed copy: --list-cases and rtr-conform(8)"
else
	fail "installed copy under $WORK/inst/opt/rtr"
fi
timeout 120 "$IC" server --lab-bin build/bin/rtr-lab --topology conform/conform.topo --family 4 \
	--only valid-udp-flow0 --only ANS-2 --only 'error-ttl0*' --skip error-ttl0-proto99 --format junit \
	-o "$WORK/junit.xml" --server-cmd "$BAD --never-answer -t {timeout} {ifname}" 2>"$WORK/junit.err"
rc=$?
if [ $rc -eq 1 ] && python3 - "$WORK/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
cases = {c.get("name"): c for c in root.iter("testcase")}
assert sorted(cases) == ["answer-synack-rst-v4", "error-ttl0-v4", "valid-udp-flow0-v4"], sorted(cases)
assert cases["valid-udp-flow0-v4"].find("failure") is not None
assert cases["error-ttl0-v4"].find("failure") is not None
assert cases["answer-synack-rst-v4"].find("error") is not None  # no probe: inconclusive
assert cases["answer-synack-rst-v4"].get("classname") == "rtr-conform.server.profile.MUST"
for s in root.iter("testsuite"):
    n = len(s.findall("testcase"))
    assert int(s.get("tests")) == n
    assert int(s.get("failures")) == len(s.findall("testcase/failure"))
    assert int(s.get("errors")) == len(s.findall("testcase/error"))
PY
then
	ok "--format junit from the installed copy parses; --only/--skip played exactly 3 cases"
else
	fail "junit: rc $rc"
	head -c 2000 "$WORK/junit.xml" | sed 's/^/    /'
	tail -5 "$WORK/junit.err" | sed 's/^/    /'
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
