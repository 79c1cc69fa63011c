#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# live-lab.sh: rtr-server in a real namespace lab (tests/bpf/live-lab.topo through rtr-lab):
# reverse traces, forged answer, flood, expiry, restart.
#
#   cl 10.201.1.2 ---+                                    (IPv6: fd00:201:N::x likewise)
#                    r1 ---- 10.201.2.0/24 ---- r2 ---- sv 10.201.3.2 (rtr-server on eth0)
#   cb 10.201.4.2 ---+  .1                  .2     .1
#
# Expected reverse path sv -> cl: TTL 1 r2 (10.201.3.1), TTL 2 r1 (10.201.2.1),
# TTL 3 and 4 the client itself (Destination Unreachable, RST or Echo Reply).
# Prints "N passed, N failed". Needs root; every namespace is removed on exit.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
SRV=${RTR_SERVER:-build/bin/rtr-server}
TR=${RTR_TRACE:-build/san/tests/bpf/rtr_trace}
FORGE=${RTR_FORGE:-build/san/tests/bpf/rtr_forge}
TMP=$(mktemp -d)
srv_pid=
t_on_exit 'rm -rf "$TMP"'
t_on_exit '[ -n "$srv_pid" ] && kill -9 "$srv_pid" 2>/dev/null'

nx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The lab (tests/bpf/live-lab.topo): rtr-lab sets forwarding, answers from the inbound
# interface, no ICMP rate limits, no DAD, checksum offload off, and only lab routes.
t_lab_up tests/bpf/live-lab.topo rl || t_abort "the lab did not come up (tests/bpf/live-lab.topo)"
CL=rtrlab-$T_LAB-cl CB=rtrlab-$T_LAB-cb R1=rtrlab-$T_LAB-r1 R2=rtrlab-$T_LAB-r2 SV=rtrlab-$T_LAB-sv

server_up() { # the loader says "serving" once attached (a tcx link: no tc filter to look for)
	grep -q serving "$TMP/srv.err"
}
start_server() { # extra args
	# Emptied first: the waits must not see the previous server's lines.
	: >"$TMP/srv.out"
	: >"$TMP/srv.err"
	# Not through a function: $! must be the server itself (ip netns exec execs it).
	ip netns exec "$SV" "$SRV" --stats=json --interval 1 "$@" eth0 >"$TMP/srv.out" 2>"$TMP/srv.err" &
	srv_pid=$!
	wait_for 10 server_up && return 0
	cat "$TMP/srv.err"
	return 1
}
last_stat() { # key: value from the newest JSON line (the first comes after --interval)
	wait_for 3 grep -q '^{' "$TMP/srv.out"
	grep '^{' "$TMP/srv.out" | tail -n 1 | grep -o "\"$1\":[0-9.]*" | cut -d: -f2
}
stat_is() { # key op value; leaves the value seen in $v
	v=$(last_stat "$1" 2>/dev/null) && [ -n "$v" ] && [ "$v" "$2" "$3" ]
}
wait_stat() { # key op value timeout_s
	v=
	wait_for "$4" stat_is "$1" "$2" "$3" && return 0
	echo "  $1 = ${v:-?}, wanted $2 $3"
	return 1
}

check "server starts" start_server -t 2s

trace_ok() { # family proto expected-hops...
	local fam=$1 proto=$2 srv out want
	shift 2
	srv=$([ "$fam" = 4 ] && echo 10.201.3.2 || echo fd00:201:3::2)
	out=$(timeout 30 ip netns exec "$CL" "$TR" trace -s "$srv" -p "$proto" -t 1 -T 4 -w 2000 \
		-i $((RANDOM % 60000)))
	want=$(printf 'TTL 1 STATE 0 HOP %s\nTTL 2 STATE 0 HOP %s\nTTL 3 STATE 0 HOP %s\nTTL 4 STATE 0 HOP %s' "$@")
	[ "$out" = "$want" ] || { echo "$out" | sed 's/^/  got: /'; return 1; }
}
for p in 17 6 0; do
	check "IPv4 reverse trace proto $p TTL 1..4" trace_ok 4 $p 10.201.3.1 10.201.2.1 10.201.1.2 10.201.1.2
	check "IPv6 reverse trace proto $p TTL 1..4" trace_ok 6 $p fd00:201:3::1 fd00:201:2::1 fd00:201:1::2 fd00:201:1::2
done

# SYN-ACK: a listener on cl answers the TCP probe; the server sends cl an RST and the client a response.
rst_before=$(last_stat rst_sent)
ip netns exec "$CL" timeout 20 "$TR" listen 8443 15 >"$TMP/listen.out" &
wait_for 5 grep -q LISTENING "$TMP/listen.out"
for fam in 4 6; do
	srv=$([ "$fam" = 4 ] && echo 10.201.3.2 || echo fd00:201:3::2)
	hop=$([ "$fam" = 4 ] && echo 10.201.1.2 || echo fd00:201:1::2)
	out=$(timeout 10 ip netns exec "$CL" "$TR" trace -s "$srv" -p 6 -f 8443 -t 3 -w 2000 -i 5000)
	check "IPv$fam SYN-ACK from a listening client gives its hop" [ "$out" = "TTL 3 STATE 0 HOP $hop" ]
done
check "the server sent an RST after each SYN-ACK" wait_stat rst_sent -ge $((rst_before + 2)) 3
check "no half-open connection left on the client" \
	bash -c "[ -z \"\$(ip netns exec $CL ss -Htn state syn-recv)\" ]"

# Forged Time Exceeded: r2 captures our next probe and answers it with a wrong IP ID.
{
	nx "$CL" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	forged_before=$(last_stat forged_answers)
	ip netns exec "$R2" timeout 10 "$FORGE" sv 10.201.3.2 10.201.3.1 >"$TMP/forge.out" 2>&1 &
	forge_pid=$!
	wait_for 5 grep -q CAPTURING "$TMP/forge.out"
	out=$(timeout 10 ip netns exec "$CL" "$TR" trace -s 10.201.3.2 -p 1 -t 8 -w 1500 -i 7000)
	wait "$forge_pid"
	check "forger captured the probe and sent its forgery" grep -q FORGED "$TMP/forge.out"
	check "forged Time Exceeded (wrong identity) gets no response" [ "$out" = "TTL 8 NONE" ]
	check "forged answer counted by the server" wait_stat forged_answers -gt "$forged_before" 3
	nx "$CL" sysctl -qw net.ipv4.icmp_echo_ignore_all=0
}

# SIGKILL ends the server at once (its tcx link with it: tests/bpf/life-lab.sh); a new run serves.
kill -9 "$srv_pid"
wait "$srv_pid" 2>/dev/null
srv_pid=
# -t 2s: a session lives 2..2.5 s, so a once-a-second stats line always sees it pending.
check "restart after SIGKILL" start_server -t 2s --rate 20 --burst 40 --log
check "trace after restart" trace_ok 4 0 10.201.3.1 10.201.2.1 10.201.1.2 10.201.1.2

# Flood from cl (TTL 0: error responses) while cb keeps being served.
sleep 2 # refill cl's bucket after the trace
timeout 30 ip netns exec "$CL" "$TR" flood -s 10.201.3.2 -t 0 -n 3000 -r 2000 -w 1500 -i 1 >"$TMP/flood" &
flood_pid=$!
served=0
for i in $(seq 10); do
	o=$(timeout 5 ip netns exec "$CB" "$TR" trace -s 10.201.3.2 -t 0 -w 1000 -i $((20000 + i)))
	[ "$o" = "TTL 0 STATE 1 HOP -" ] && served=$((served + 1))
done
wait "$flood_pid"
answered=$(awk '{print $4}' "$TMP/flood")
check "flood from one source is rate-limited (answered ${answered:-?} of 3000)" \
	[ "${answered:-9999}" -ge 30 -a "${answered:-9999}" -le 150 ]
check "second client served during the flood ($served/10)" [ "$served" -eq 10 ]
# --log: event lines for the trace after restart, and a flood's worth held back (20 lines/s).
# --log lines are on stderr, each after a timestamp.
check "--log shows the trace's probes and hops" bash -c "grep -q 'Z probe client=10.201.1.2 ident=[0-9]* proto=1 ttl=1\$' $TMP/srv.err && grep -q 'Z response client=10.201.1.2 ident=[0-9]* hop=10.201.3.1\$' $TMP/srv.err"
check "--log is rate-limited" grep -q 'Z log: [0-9]* events not shown' "$TMP/srv.err"
check "rate-limit drops counted" wait_stat drop_rate_source -ge 2700 3

# Unanswered flood: the client ignores echo requests, so every session must expire.
sleep 2
nx "$CL" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
timeout 10 ip netns exec "$CL" "$TR" flood -s 10.201.3.2 -p 1 -t 10 -n 30 -w 100 -i 30000 >/dev/null
check "unanswered sessions pending" wait_stat sessions_pending -ge 30 3
check "all sessions expire, table empty" wait_stat sessions_pending -eq 0 6
check "expiries counted" wait_stat timeouts -ge 30 2
nx "$CL" sysctl -qw net.ipv4.icmp_echo_ignore_all=0

# SIGTERM detaches, under both attach modes: nothing of the server is left, neither a tc filter
# (tc) nor a link (tcx), and so its program is gone from the kernel.
# left_attached ID: what is left of the server whose program id is ID ("" when nothing).
left_attached() {
	local out= tc
	tc=$(ip netns exec "$SV" tc filter show dev eth0 ingress) # whole: grep -q would cut the pipe
	grep -qw bpf <<<"$tc" && out+=" tc-filter"
	[ "$(bpftool link show -j | jq "[.[] | select(.prog_id == ${1:-0})] | length")" = 0 ] ||
		out+=" link"
	bpftool prog show id "$1" >/dev/null 2>&1 && out+=" program"
	echo "${out# }"
}
# sigterm_detaches MODE: SIGTERM to the running server, which attached as MODE.
sigterm_detaches() {
	local id left
	id=$(sed -n 's/.*program id \([0-9]*\).*/\1/p' "$TMP/srv.err" | head -n 1)
	check "$1: attached as $1" grep -q "^rtr-server: serving on 1 interface(s) ($1, program id" "$TMP/srv.err"
	[ "$1" = tc ] && check "tc: a bpf filter while serving" [ "$(left_attached "$id")" = "tc-filter program" ]
	[ "$1" = tcx ] && check "tcx: a link while serving" [ "$(left_attached "$id")" = "link program" ]
	kill -TERM "$srv_pid"
	wait "$srv_pid"
	rc=$?
	srv_pid=
	check "$1: SIGTERM: clean exit, status 128 + 15" [ "$rc" -eq 143 ]
	left=$(left_attached "${id:-0}")
	check "$1: SIGTERM: nothing left attached${left:+ (left: $left)}" [ -n "$id" -a -z "$left" ]
}
sigterm_detaches tcx
RTR_SERVER_ATTACH=tc check "restart attached as tc" start_server
sigterm_detaches tc

t_done
