#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# cli.sh: rtr-server's command line: usage errors, one-line diagnostics, option forms, signals.
# Prints "N passed, N failed". Needs root; uses its own throwaway namespace.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
SRV=${RTR_SERVER:-build/bin/rtr-server}
NS=rtrcli-$$-$RANDOM
TMP=$(mktemp -d)
t_on_exit 'rm -rf "$TMP"'
t_ns_add "$NS"
ip -n "$NS" link add v0 type veth peer name v1
ip -n "$NS" link set v0 up

# expect LABEL STATUS STDERR-REGEX -- args...: exit status, and exactly one stderr line matching,
# prefixed by the program name (common/diag.c)
expect() {
	local label=$1 want=$2 re=$3 rc lines
	shift 4
	timeout 20 ip netns exec "$NS" "$SRV" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	lines=$(wc -l <"$TMP/err")
	if [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -Eq -- "$re" "$TMP/err" &&
		grep -q '^rtr-server: ' "$TMP/err"; then
		ok "$label"
	else
		fail "$label (status $rc, stderr: $(head -c 300 "$TMP/err"))"
	fi
}
expect "no interface named" 2 "name at least one interface" --
expect "-n 0 refused" 2 "^rtr-server: -n wants" -- -n 0 v0
expect "-n too large refused" 2 "^rtr-server: -n wants" -- -n 16777217 v0
expect "-t with a bad unit refused" 2 "^rtr-server: -t wants" -- -t 5x v0
expect "-t below 100ms refused" 2 "^rtr-server: -t wants a timeout of at least 100ms" -- -t 99ms v0
expect "an interface named twice refused" 2 "^rtr-server: interface 'v0' named twice" -- v0 v0
# expect with an environment: the hidden switch of the attach path takes tc or tcx only.
RTR_SERVER_ATTACH=tcp expect "RTR_SERVER_ATTACH checked" 2 "^rtr-server: RTR_SERVER_ATTACH takes tc or tcx" -- v0
expect "unknown option" 2 "unknown option.*--frobnicate" -- --frobnicate v0
expect "--stats with a bad format" 2 "--stats takes" -- --stats=xml v0
expect "unknown interface" 1 "no interface named 'nope0'" -- nope0
# The real verifier refusing a program: test loaders built from the same sources
# against objects with one bad extra program (tests/bpf/bad/, server-bpf/build.mk).
# expect_bad LABEL KIND STDERR-REGEX LOG-LINE: status 1, one stderr line matching,
# nothing on stdout, the whole log (with LOG-LINE) in RTR_VERIFIER_LOG, no filter on v0.
expect_bad() {
	local label=$1 bin=build/san/tests/bpf/rtr-server-$2 re=$3 logline=$4 rc lines left
	rm -f "$TMP/vlog"
	timeout 60 ip netns exec "$NS" env RTR_VERIFIER_LOG="$TMP/vlog" "$bin" v0 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	lines=$(wc -l <"$TMP/err")
	left=$(tc -n "$NS" filter show dev v0 ingress | grep -c bpf)
	if [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && grep -Eq -- "$re" "$TMP/err" &&
		[ "$left" -eq 0 ] && [ ! -s "$TMP/out" ] && [ -f "$TMP/vlog" ] &&
		grep -qxF -- "$logline" "$TMP/vlog"; then
		ok "$label"
	else
		fail "$label (status $rc, lines $lines, filters left $left, stderr: $(head -c 400 "$TMP/err"))"
	fi
}
expect_bad "verifier rejection quotes the verifier" oob_read \
	'^rtr-server: the verifier rejected the program \(Permission denied\):.*oob_read\.bpf\.c:[0-9]+ .*\| invalid access to packet, off=20 size=1, R1\(id=0,off=20,r=14\) \| R1 offset is outside of the packet$' \
	'invalid access to packet, off=20 size=1, R1(id=0,off=20,r=14)'
expect_bad "unknown helper: kernel lacks a helper" unknown_helper \
	'^rtr-server: this kernel lacks a BPF helper rtr-server needs:.*call unknown#9999 \| invalid func unknown#9999$' \
	'invalid func unknown#9999'
# The production binary carries none of those test programs.
if [ -x "$SRV" ] && ! grep -aq rtr_test_ "$SRV"; then ok "no test program in $SRV"; else fail "test program in $SRV"; fi
if timeout 10 ip netns exec "$NS" "$SRV" --version | grep -q '^rtr-server '; then ok "--version"; else fail "--version"; fi
if timeout 10 ip netns exec "$NS" "$SRV" -h | grep -q '^usage: rtr-server'; then ok "-h"; else fail "-h"; fi

# Missing privileges: an unprivileged user gets one line naming what is needed.
if command -v setpriv >/dev/null; then
	timeout 20 ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$SRV" v0 >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "privileges\|CAP_BPF" "$TMP/err"; then
		ok "missing privileges"
	else
		fail "missing privileges (status $rc: $(cat "$TMP/err"))"
	fi
else
	skip "missing privileges: setpriv (util-linux) is not installed"
fi

# Accepted forms: -t 100ms, -t 5s, -n 1000000; SIGTERM detaches and exits 128 + 15.
for args in "-t 100ms" "-t 5s -n 1000000" "-t 5000000000 --rate 0 --global-rate 0"; do
	# shellcheck disable=SC2086
	: >"$TMP/err" # emptied first: the wait below must not see the last run's line
	ip netns exec "$NS" "$SRV" $args v0 2>"$TMP/err" &
	pid=$!
	up=0
	wait_for 10 grep -q serving "$TMP/err" && up=1
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	if [ "$up" -eq 1 ] && [ "$rc" -eq 143 ] && ! tc -n "$NS" filter show dev v0 ingress | grep -q bpf; then
		ok "starts with $args, detaches on SIGTERM"
	else
		fail "starts with $args (up $up, status $rc)"
	fi
done
# Several interfaces share one program and one set of maps; SIGTERM detaches every one
# (tc fallback, whose filters tc shows; tcx links are checked in life-lab.sh).
ip -n "$NS" link set v1 up
: >"$TMP/err" # emptied first: the wait below must not see the last run's line
ip netns exec "$NS" env RTR_SERVER_ATTACH=tc "$SRV" v0 v1 2>"$TMP/err" &
pid=$!
wait_for 10 grep -q serving "$TMP/err"
ids=$(for d in v0 v1; do tc -n "$NS" filter show dev $d ingress | grep -o 'id [0-9]*'; done | sort -u | wc -l)
kill -TERM "$pid"
wait "$pid"
left=$(for d in v0 v1; do tc -n "$NS" filter show dev $d ingress; done | grep -c bpf)
if grep -q "serving on 2 interface(s) (tc," "$TMP/err" && [ "$ids" -eq 1 ] && [ "$left" -eq 0 ]; then
	ok "two interfaces, one program, both detached"
else
	fail "two interfaces (program ids $ids, filters left $left)"
fi

# --stats (text): every counter by name, the ratio and the pending sessions, printed at exit.
: >"$TMP/err" # emptied first: the wait below must not see the last run's line
ip netns exec "$NS" "$SRV" --stats --interval 1 v0 >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_for 10 grep -q serving "$TMP/err"
kill -INT "$pid"
wait "$pid"
if grep -Eq '^requests +0$' "$TMP/out" && grep -Eq '^drop_rate_source +0$' "$TMP/out" &&
	grep -Eq '^amplification +0\.000$' "$TMP/out" && grep -Eq '^sessions_pending +0$' "$TMP/out"; then
	ok "--stats text"
else
	fail "--stats text: $(head -c 300 "$TMP/out")"
fi

# SIGINT exits 128 + 2.
: >"$TMP/err" # emptied first: the wait below must not see the last run's line
ip netns exec "$NS" "$SRV" v0 2>"$TMP/err" &
pid=$!
wait_for 10 grep -q serving "$TMP/err"
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ]; then ok "SIGINT exits 130"; else fail "SIGINT exits $rc"; fi

# Sysctls: forwarding on lo is on while a server runs and back to what it was after the last
# one of the namespace leaves (not after the first of two).
fwd() { ip netns exec "$NS" sysctl -n net.ipv4.conf.lo.forwarding net.ipv6.conf.lo.forwarding | tr -d '\n'; }
ip netns exec "$NS" sysctl -qw net.ipv4.conf.lo.forwarding=0 net.ipv6.conf.lo.forwarding=0
serve() { # log, interfaces...: starts a server in the background, PID in $pid
	local log=$1
	shift
	: >"$log" # a log is reused: the wait must not see the last run's "serving"
	ip netns exec "$NS" "$SRV" "$@" 2>"$log" &
	pid=$!
	wait_for 10 grep -q serving "$log"
}
serve "$TMP/e1" v0
p1=$pid
serve "$TMP/e2" v1
p2=$pid
during=$(fwd)
kill -TERM "$p1"
wait "$p1"
after_first=$(fwd)
kill -TERM "$p2"
wait "$p2"
after_last=$(fwd)
if [ "$during" = 11 ] && [ "$after_first" = 11 ] && [ "$after_last" = 00 ]; then
	ok "lo forwarding restored by the last server to leave"
else
	fail "lo forwarding: during $during, after the first $after_first, after the last $after_last"
fi
# A server that found forwarding on leaves it on.
ip netns exec "$NS" sysctl -qw net.ipv4.conf.lo.forwarding=1 net.ipv6.conf.lo.forwarding=0
serve "$TMP/e1" v0
kill -TERM "$pid"
wait "$pid"
if [ "$(fwd)" = 10 ]; then ok "lo forwarding: values found are the values left"; else fail "lo forwarding left $(fwd)"; fi
# After a SIGKILL, the next server keeps the true originals and restores them.
ip netns exec "$NS" sysctl -qw net.ipv4.conf.lo.forwarding=0 net.ipv6.conf.lo.forwarding=0
serve "$TMP/e1" v0
kill -KILL "$pid"
wait "$pid" 2>/dev/null
serve "$TMP/e1" v0
kill -TERM "$pid"
wait "$pid"
if [ "$(fwd)" = 00 ]; then ok "lo forwarding restored after a SIGKILLed run"; else fail "lo forwarding after SIGKILL + restart: $(fwd)"; fi

# /run/rtr-server (SRV-18, SRV-20): a clean exit takes this namespace's files with it; a killed
# run's stay (its saved sysctls are still true) until a server of the namespace leaves cleanly.
ino=$(stat -L -c %i "/run/netns/$NS")
own_files() { find /run/rtr-server -maxdepth 1 -name "net$ino[.-]*" -printf '%f ' 2>/dev/null; }
left=$(own_files)
if [ -z "$left" ]; then ok "clean exits left no file in /run/rtr-server"; else fail "clean exits left $left"; fi
serve "$TMP/e1" v0
kill -KILL "$pid"
wait "$pid" 2>/dev/null
killed=$(own_files)
serve "$TMP/e1" v0
kill -TERM "$pid"
wait "$pid"
left=$(own_files)
if [[ $killed == *"net$ino.sysctl"* ]] && [ -z "$left" ]; then
	ok "a killed run's files stay until the next clean exit"
else
	fail "files after SIGKILL: '$killed', after the next clean exit: '$left'"
fi
# A reused namespace inode: a server SIGKILLed in a namespace that is gone (lo forwarding was on
# there) left its files under the inode number this namespace now has. They must neither block
# a server here nor give it that namespace's sysctls to restore.
NS2=rtrcli2-$$-$RANDOM
t_ns_add "$NS2"
ip -n "$NS2" link add w0 type veth peer name w1
ip netns exec "$NS2" sysctl -qw net.ipv4.conf.lo.forwarding=1 net.ipv6.conf.lo.forwarding=1
ino2=$(stat -L -c %i "/run/netns/$NS2")
: >"$TMP/e3"
ip netns exec "$NS2" "$SRV" w0 2>"$TMP/e3" &
pid=$!
wait_for 10 grep -q serving "$TMP/e3"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
if1=$(ip netns exec "$NS2" cat /sys/class/net/w0/ifindex)
ip netns del "$NS2"
if0=$(ip netns exec "$NS" cat /sys/class/net/v0/ifindex)
mv "/run/rtr-server/net$ino2.sysctl" "/run/rtr-server/net$ino.sysctl"
mv "/run/rtr-server/net$ino2-if$if1.lock" "/run/rtr-server/net$ino-if$if0.lock"
rm -f "/run/rtr-server/net$ino2.lock"
planted=$(own_files)
ip netns exec "$NS" sysctl -qw net.ipv4.conf.lo.forwarding=0 net.ipv6.conf.lo.forwarding=0
serve "$TMP/e1" v0
up=$?
kill -TERM "$pid"
wait "$pid"
left=$(own_files)
if [ "$up" -eq 0 ] && [ "$(fwd)" = 00 ] && [ -z "$left" ] && [[ $planted == *sysctl* ]]; then
	ok "a dead namespace's files under a reused inode: ignored, then removed"
else
	fail "reused inode (planted '$planted'): up $up, lo forwarding $(fwd) (want 00), left '$left'"
fi

t_done
