#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# life-lab.sh: rtr-server's lifetime and ownership in a namespace lab (tests/bpf/life-lab.topo
# through rtr-lab): SIGKILL (tcx and tc fallback), two servers on one interface, a foreign tc
# program beside it, fair rate limits.
#
#   cl 10.201.1.2 ---+
#                    r ---- 10.201.3.0/24 ---- sv 10.201.3.2 (rtr-server on eth0)
#   cb 10.201.4.2 ---+  .1                       receive steered to CPU 0 (RPS)
#
# Reverse path sv -> cl: TTL 1 r (10.201.3.1), TTL 2 cl. Prints "N passed, N failed".
# Needs root; every namespace and every server it started is removed on exit.
set -uo pipefail
cd "$(dirname "$0")/../.."
SRV=${RTR_SERVER:-build/bin/rtr-server}
TR=${RTR_TRACE:-build/san/tests/bpf/rtr_trace}
FOREIGN=build/san/tests/bpf/foreign.bpf.o
TMP=$(mktemp -d)
pids=()
# RTR_LIFE_PARTS picks parts while debugging (default: all).
PARTS=" ${RTR_LIFE_PARTS:-killtcx killtc two foreign fair} "

. tests/lib/t.sh
t_on_exit 'rm -rf "$TMP"'
t_on_exit 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done'
nx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The lab: rtr-lab sets forwarding on r, answers from the inbound interface, no ICMP rate
# limits, checksum offload off, and only lab routes.
t_lab_up tests/bpf/life-lab.topo ll || t_abort "the lab did not come up (tests/bpf/life-lab.topo)"
CL=rtrlab-$T_LAB-cl CB=rtrlab-$T_LAB-cb SV=rtrlab-$T_LAB-sv
# Every request is received on CPU 0, where the per-CPU global budget is shared.
nx "$SV" sh -c 'echo 1 > /sys/class/net/eth0/queues/rx-0/rps_cpus'

# serve LOG [env...] -- args...: starts rtr-server on sv; its pid in $pid, ready or status 1.
serve() {
	local log=$1 envs=()
	shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	ip netns exec "$SV" env "${envs[@]}" "$SRV" "$@" eth0 >"$log.out" 2>"$log" &
	pid=$!
	pids+=("$pid")
	for _ in $(seq 150); do
		grep -q '^rtr-server: serving on' "$log" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$log"
	return 1
}
prog_id() { sed -n 's/.*program id \([0-9]*\).*/\1/p' "$1" | head -n 1; }
prog_exists() { bpftool prog show id "$1" >/dev/null 2>&1; }
# trace NS IDENT TTL: one request; prints the rtr_trace line
trace() { timeout 10 ip netns exec "$1" "$TR" trace -s 10.201.3.2 -p 1 -t "$3" -w 700 -i "$2"; }
echo_replies() { # the kernel's Echo Replies sent from sv (OutEchoReps, found by name)
	nx "$SV" awk '/^Icmp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == "OutEchoReps") c = i } else print $c }' /proc/net/snmp
}
tc_ids() { tc -n "$SV" filter show dev eth0 ingress | grep -o 'id [0-9]*' | sort | tr '\n' ' '; }
# seen PRIO: how many packets the foreign filter at PRIO has counted (its .bss foreign_seen)
seen() {
	local id map
	id=$(tc -n "$SV" filter show dev eth0 ingress prio "$1" | grep -o 'id [0-9]*' | head -n 1 | cut -d' ' -f2)
	map=$(bpftool prog show id "$id" -j | jq -r '.map_ids[0]')
	bpftool map dump id "$map" -j | jq '.[0].formatted.value[".bss"][0].foreign_seen'
}
# passed_on PRIO: a ping to sv (not ours) still reaches the foreign filter at PRIO behind us
passed_on() {
	local before after
	before=$(seen "$1")
	timeout 5 ip netns exec "$CL" ping -c 3 -i 0.2 -W 1 10.201.3.2 >/dev/null || return 1
	after=$(seen "$1")
	[ "$after" -ge $((before + 3)) ] || { echo "  foreign filter at prio $1 saw $before -> $after"; return 1; }
}

# --- SIGKILL with tcx: the link dies with the process, the kernel answers the echo itself.
if [[ $PARTS == *" killtcx "* ]]; then
	serve "$TMP/a" -- -t 1s --log || fail "server starts (tcx)"
	a=$pid
	id=$(prog_id "$TMP/a")
	check "started as a tcx link" grep -q "(tcx, program id" "$TMP/a"
	check "trace while serving" [ "$(trace "$CL" 100 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ]
	check "--log: event lines on stderr after a UTC timestamp" grep -Eq \
		'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z probe client=10\.201\.1\.2 ident=101 proto=1 ttl=1$' "$TMP/a"
	check "--log: nothing on stdout" [ ! -s "$TMP/a.out" ]
	kill -9 "$a"
	wait "$a" 2>/dev/null
	gone=0
	for _ in $(seq 50); do prog_exists "$id" || { gone=1; break; }; sleep 0.1; done
	check "tcx: after SIGKILL the program (${id:-?}) is gone" [ -n "$id" -a "$gone" = 1 ]
	before=$(echo_replies)
	check "tcx: after SIGKILL a request gets no response" [ "$(trace "$CL" 200 1)" = "TTL 1 NONE" ]
	check "tcx: after SIGKILL the kernel echoes the request" [ "$(echo_replies)" -gt "$before" ]
fi

# --- SIGKILL with the tc fallback: the filter stays, but sessions still expire on insert.
# Clients ignore echo requests, so probes to them stay unanswered: -n 20 filled by two
# sources of 10 each (their cap), then the loader is killed and nobody sweeps.
if [[ $PARTS == *" killtc "* ]]; then
	nx "$CL" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	nx "$CB" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	serve "$TMP/b" RTR_SERVER_ATTACH=tc -- -t 1s -n 20 --source-sessions 10 || fail "server starts (tc)"
	b=$pid
	check "started as a tc filter" grep -q "(tc, program id" "$TMP/b"
	timeout 10 ip netns exec "$CL" "$TR" flood -s 10.201.3.2 -p 1 -t 5 -n 12 -w 100 -i 1000 >/dev/null
	timeout 10 ip netns exec "$CB" "$TR" flood -s 10.201.3.2 -p 1 -t 5 -n 12 -w 100 -i 1000 >/dev/null
	kill -9 "$b"
	wait "$b" 2>/dev/null
	check "tc: the filter stays after SIGKILL" bash -c "tc -n $SV filter show dev eth0 ingress | grep -q rtr_ingress"
	check "tc: table full right after SIGKILL (a new request is refused)" \
		[ "$(trace "$CB" 300 1)" = "TTL 1 NONE" ]
	served_cb=0 served_cl=0
	for i in $(seq 40); do # bounded: the timeout is 1 s
		[ "$served_cb" = 0 ] && [ "$(trace "$CB" $((400 + i)) 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ] && served_cb=1
		[ "$served_cl" = 0 ] && [ "$(trace "$CL" $((400 + i)) 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ] && served_cl=1
		[ "$served_cb$served_cl" = 11 ] && break
		sleep 0.1
	done
	check "tc: after the timeout a killed server's table takes new sessions" [ "$served_cb" = 1 ]
	check "tc: after the timeout a source at its cap is served again" [ "$served_cl" = 1 ]
	nx "$CL" sysctl -qw net.ipv4.icmp_echo_ignore_all=0
	nx "$CB" sysctl -qw net.ipv4.icmp_echo_ignore_all=0
fi

# --- Two servers on one interface: the second is refused, naming the first.
if [[ $PARTS == *" two "* ]]; then
	serve "$TMP/c" -- || fail "server starts after a killed tc run"
	c=$pid
	check "a killed run's leftover filter is removed by the next server" \
		bash -c "! tc -n $SV filter show dev eth0 ingress | grep -q rtr_ingress"
	for mode in tcx tc; do
		timeout 60 ip netns exec "$SV" env RTR_SERVER_ATTACH=$mode "$SRV" eth0 >/dev/null 2>"$TMP/d"
		rc=$?
		check "second server ($mode) refused with one line naming pid $c (status $rc)" bash -c \
			"[ $rc = 1 ] && [ \$(wc -l <$TMP/d) = 1 ] && grep -q '^rtr-server: eth0: already served by rtr-server pid $c ' $TMP/d"
	done
	check "the first server keeps answering" [ "$(trace "$CL" 500 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ]
	kill -TERM "$c"
	wait "$c"
	# This one runs as under systemd: stderr is the stream JOURNAL_STREAM names.
	: >"$TMP/e"
	serve "$TMP/e" JOURNAL_STREAM="$(stat -c %d:%i "$TMP/e")" -- --log &&
		ok "after the first exits a new one starts" || fail "no restart after exit"
	check "and answers" [ "$(trace "$CL" 600 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ]
	check "--log under journald: no timestamp of our own" grep -q \
		'^probe client=10\.201\.1\.2 ident=601 proto=1 ttl=1$' "$TMP/e"
	kill -TERM "$pid"
	wait "$pid"
fi

# --- A foreign tc program, even at our handle, is never replaced or detached.
if [[ $PARTS == *" foreign "* ]]; then
	# The clsact qdisc may be left by the tc parts above, or not (this part alone, or tcx only).
	tc -n "$SV" qdisc show dev eth0 | grep -q clsact || tc -n "$SV" qdisc add dev eth0 clsact
	tc -n "$SV" filter add dev eth0 ingress prio 1 handle 0x7274 bpf da obj "$FOREIGN" sec tc
	tc -n "$SV" filter add dev eth0 ingress prio 5 handle 0x99 bpf da obj "$FOREIGN" sec tc
	foreign=$(tc_ids)
	serve "$TMP/f" -- || fail "tcx server starts beside foreign filters"
	check "tcx beside a foreign filter at our handle: answers" [ "$(trace "$CL" 700 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ]
	check "tcx start left the foreign filters as they were" [ "$(tc_ids)" = "$foreign" ]
	# What is not ours goes on to the tc filters behind the tcx link (TCX_NEXT, SRV-21).
	check "tcx: traffic not ours still reaches a tc filter behind it" passed_on 5
	kill -TERM "$pid"
	wait "$pid"
	check "tcx exit left the foreign filters as they were" [ "$(tc_ids)" = "$foreign" ]
	timeout 60 ip netns exec "$SV" env RTR_SERVER_ATTACH=tc "$SRV" eth0 >/dev/null 2>"$TMP/g"
	rc=$?
	check "tc mode refuses a foreign filter at its handle with one line (status $rc)" bash -c \
		"[ $rc = 1 ] && [ \$(wc -l <$TMP/g) = 1 ] && grep -q 'not rtr-server.s' $TMP/g"
	check "the refused start left the foreign filters as they were" [ "$(tc_ids)" = "$foreign" ]
	tc -n "$SV" filter del dev eth0 ingress prio 1 handle 0x7274 bpf
	foreign=$(tc_ids)
	serve "$TMP/h" RTR_SERVER_ATTACH=tc -- || fail "tc server starts beside a foreign filter"
	check "tc beside a foreign filter: answers" [ "$(trace "$CL" 800 1)" = "TTL 1 STATE 0 HOP 10.201.3.1" ]
	check "tc: traffic not ours still reaches a filter at a later prio" passed_on 5
	kill -TERM "$pid"
	wait "$pid"
	check "tc exit detached only its own filter" [ "$(tc_ids)" = "$foreign" ]
	tc -n "$SV" filter del dev eth0 ingress prio 5 handle 0x99 bpf
fi

# --- Fair rate limits: one source floods at 10 000 requests/s, all received on CPU 0; the
# per-source bucket refuses most of it before it spends the global budget, so another
# source is answered every time.
if [[ $PARTS == *" fair "* ]]; then
	serve "$TMP/i" -- --rate 500 --burst 500 --global-rate 4000 --stats=json --interval 1 ||
		fail "server starts with rate limits"
	timeout 30 ip netns exec "$CL" "$TR" flood -s 10.201.3.2 -t 0 -n 20000 -r 10000 -w 500 -i 1 >"$TMP/flood" &
	fpid=$!
	# cb: 60 requests at 40/s, well within its own limit, while the flood runs.
	timeout 30 ip netns exec "$CB" "$TR" flood -s 10.201.3.2 -t 0 -n 60 -r 40 -w 700 -i 30000 >"$TMP/cb"
	served=$(awk '{print $4}' "$TMP/cb")
	wait "$fpid"
	check "flood was rate-limited ($(cat "$TMP/flood"))" bash -c \
		"a=\$(awk '{print \$4}' $TMP/flood); [ \"\$a\" -ge 500 ] && [ \"\$a\" -le 6000 ]"
	check "second client answered every time during the flood (${served:-?}/60)" [ "${served:-0}" = 60 ]
	kill -TERM "$pid"
	wait "$pid"
	g=$(grep '^{' "$TMP/i.out" | tail -n 1 | grep -o '"drop_rate_global":[0-9]*' | cut -d: -f2)
	check "global budget untouched by the refused flood (drop_rate_global ${g:-?})" [ "${g:-x}" = 0 ]
fi

t_done
