# SPDX-License-Identifier: BSD-2-Clause
# robust.sh: sourced by run.sh. Bad topology files are refused before anything is created;
# signals and kill -9 never leave namespaces behind once rtr-lab reap NAME has run; reap removes
# only the labs it is named (another user's abandoned lab stays), --dry-run removes nothing.
# Uses root_state and lab_left from run.sh, ok/fail/wait_for from tests/lib/t.sh.
# Its hand-made namespaces (ip netns add) are the half-built labs rtr-lab must reap, not networks.

base=$(root_state)
# Lab names unique to this run: other runs of this suite may be going on at the same time.
sfx=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')

# Bad files: every tests/lab/bad/*.topo names the exact error on its first line.
for f in tests/lab/bad/*.topo; do
	want=$(sed -n '1s/^# expect: //p' "$f" | sed "s|FILE|$f|")
	got=$("$RTR_LAB_BIN" up --name "rbb$sfx" "$f" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] && [ "$got" = "$want" ] && [ "$(root_state)" = "$base" ] &&
		[ -z "$(lab_left "rbb$sfx")" ]; then
		ok "bad file $(basename "$f"): '$got'"
	else
		fail "bad file $(basename "$f"): status $rc, got '$got', want '$want'"
	fi
done

lab_status() { "$RTR_LAB_BIN" list | awk -v n="$1" '$1 == n { print $4 }'; }
is_status() { [ "$(lab_status "$1")" = "$2" ]; }
gone() { [ -z "$(lab_status "$1")" ] && [ -z "$(lab_left "$1")" ]; }

wide=lab/topologies/wide.topo
[ -f "$wide" ] || wide=lab/topologies/diamond.topo

# SIGTERM to a holding rtr-lab: it tears its lab down itself.
"$RTR_LAB_BIN" up --hold --name rbt$sfx "$wide" >/dev/null 2>&1 &
pid=$!
if wait_for 10 is_status rbt$sfx held; then
	kill -TERM $pid
	wait $pid
	rc=$?
	pid=""
	if [ $rc = 0 ] && wait_for 10 gone rbt$sfx && [ "$(root_state)" = "$base" ]; then
		ok "SIGTERM on up --hold: lab removed by rtr-lab itself"
	else
		fail "SIGTERM on up --hold: status $rc, lab state '$(lab_status rbt$sfx)'"
	fi
else
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	fail "up --hold never reported 'held'"
fi
"$RTR_LAB_BIN" reap "rbt$sfx" >/dev/null

# SIGINT during the build: up stops, removes what it made and exits 130.
for delay in 0.025 0.04; do
	"$RTR_LAB_BIN" up --name rbi$sfx "$wide" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -INT $pid
	wait $pid
	rc=$?
	pid=""
	if [ $rc = 130 ]; then
		gone rbi$sfx && ok "SIGINT after ${delay}s: interrupted, nothing left" ||
			fail "SIGINT after ${delay}s: interrupted but lab left"
	elif [ $rc = 0 ]; then
		# The build won the race; the lab is complete and must go down cleanly.
		"$RTR_LAB_BIN" down rbi$sfx 2>/dev/null
		gone rbi$sfx && ok "SIGINT after ${delay}s: build had finished; down clean" ||
			fail "SIGINT after ${delay}s: down left something"
	else
		fail "SIGINT after ${delay}s: status $rc"
	fi
done

# kill -9 while building and while holding: reap removes every trace. (Another run of this
# suite may be reaping the same abandoned lab at the same moment, so wait for it to be gone.)
k=0
for delay in 0.025 0.04 hold; do
	k=$((k + 1))
	name=rk$k$sfx
	"$RTR_LAB_BIN" up --hold --name "$name" "$wide" >/dev/null 2>&1 &
	pid=$!
	if [ $delay = hold ]; then
		wait_for 10 is_status "$name" held
	else
		sleep $delay
	fi
	kill -KILL $pid
	wait $pid 2>/dev/null
	pid=""
	st=$(lab_status "$name")
	out=$("$RTR_LAB_BIN" reap "$name")
	if wait_for 10 gone "$name" && [ "$(root_state)" = "$base" ]; then
		ok "kill -9 ($delay, state '${st:-none}') + reap: nothing left ($out)"
	else
		fail "kill -9 ($delay) + reap ($out) left: $(lab_left "$name" | tr '\n' ' ')"
	fi
done

# What a creator killed at the worst moments leaves: a state directory without its lock file
# (killed between the two steps) and namespaces without any state. reap removes both.
mkdir -p /run/rtr-lab/rs$sfx && ip netns add rtrlab-rs$sfx-x && touch -d '1 minute ago' /run/rtr-lab/rs$sfx
ip netns add rtrlab-ro$sfx-y
# Someone else's abandoned lab on this host (same shape): reap by name never touches it.
mkdir -p /run/rtr-lab/rx$sfx && ip netns add rtrlab-rx$sfx-x && touch -d '1 minute ago' /run/rtr-lab/rx$sfx
dry=$("$RTR_LAB_BIN" reap --dry-run "r[so]$sfx")
if [ "$dry" = "$(printf 'would reap rs%s (no lock file)\nwould reap ro%s (namespaces without state)\nwould reap 2 lab(s)' "$sfx" "$sfx")" ] &&
	[ -n "$(lab_left rs$sfx)" ] && [ -n "$(lab_left ro$sfx)" ]; then
	ok "reap --dry-run names what it would remove and removes nothing"
else
	fail "reap --dry-run: '$dry', left rs: '$(lab_left rs$sfx)' ro: '$(lab_left ro$sfx)'"
fi
out=$("$RTR_LAB_BIN" reap rs$sfx "ro$sfx")
if wait_for 10 gone rs$sfx && wait_for 10 gone ro$sfx; then
	ok "reap removes a lock-less state directory and namespaces without state ($out)"
else
	fail "reap left: $(lab_left rs$sfx) $(lab_left ro$sfx)"
fi
if [ -d /run/rtr-lab/rx$sfx ] && [ -e /run/netns/rtrlab-rx$sfx-x ]; then
	ok "reap NAME leaves another abandoned lab alone"
else
	fail "reap rs$sfx ro$sfx removed the abandoned lab rx$sfx too"
fi
"$RTR_LAB_BIN" reap "rx$sfx" >/dev/null
gone rx$sfx || fail "reap rx$sfx left: $(lab_left rx$sfx)"

# reap leaves a detached (ready) lab alone and a live holder's lab too.
"$RTR_LAB_BIN" up --name rbp$sfx "$wide" >/dev/null 2>&1
"$RTR_LAB_BIN" reap "rbp$sfx" >/dev/null
if is_status rbp$sfx ready; then
	ok "reap keeps a ready detached lab"
else
	fail "reap removed a ready detached lab"
fi
"$RTR_LAB_BIN" down rbp$sfx 2>/dev/null
gone rbp$sfx || fail "down rbp$sfx left something"

# A shipped topology by NAME (found in the data directory next to rtr-lab), also for make demo.
got=$("$RTR_LAB_BIN" up --name rbn$sfx diamond 2>/dev/null)
if [ "$got" = rbn$sfx ] && [ "$("$RTR_LAB_BIN" list | awk -v n=rbn$sfx '$1 == n { print $2 }')" = diamond ]; then
	ok "up NAME builds the shipped topology NAME"
else
	fail "up diamond: '$got'"
fi
"$RTR_LAB_BIN" down rbn$sfx >/dev/null 2>&1
demo=$(timeout 120 make -s demo LAB=diamond PROTO=tcp 2>&1)
if grep -q '^forward stop: completed after hop 4 ' <<<"$demo" &&
	grep -q '^reverse stop: completed after hop 4 ' <<<"$demo" &&
	grep -q '^rtr-client two-way tcp singlepath' <<<"$demo"; then
	ok "make demo LAB=diamond PROTO=tcp traces the diamond lab"
else
	fail "make demo LAB=diamond PROTO=tcp: $(tail -3 <<<"$demo")"
fi

# A second lab with a taken name is refused, and the first one is untouched.
"$RTR_LAB_BIN" up --name rbd$sfx "$wide" >/dev/null 2>&1
got=$("$RTR_LAB_BIN" up --name rbd$sfx "$wide" 2>&1 >/dev/null)
if [ $? -ne 0 ] && [ "$got" = "rtr-lab: a lab called 'rbd$sfx' exists (rtr-lab down rbd$sfx)" ] &&
	is_status rbd$sfx ready; then
	ok "duplicate lab name refused"
else
	fail "duplicate lab name: '$got'"
fi
"$RTR_LAB_BIN" down rbd$sfx 2>/dev/null
if [ "$(root_state)" = "$base" ]; then
	ok "robustness checks left the root namespace as it was"
else
	fail "robustness checks changed the root namespace"
fi

# The truth checks can fail: on the wide topology with a truth of one branch per direction, both the
# traceroute and the tracelb check must report every direction and family as failed.
wl=$("$RTR_LAB_BIN" up --name rbw$sfx tests/lab/wrong/wrongtruth.topo 2>/dev/null)
if [ "$wl" = rbw$sfx ]; then
	for s in tests/lab/scenarios/any/10-traceroute-truth.sh tests/lab/scenarios/any/20-tracelb-truth.sh; do
		out=$(RTR_LAB=rbw$sfx RTR_LAB_TOPO=wrongtruth bash "$s" 2>&1)
		nf=$(grep -c '^FAIL ' <<<"$out")
		nok=$(grep -c '^ok ' <<<"$out")
		want=4
		[[ $s == *tracelb* ]] && want=2
		if [ "$nf" = "$want" ] && [ "$nok" = 0 ]; then
			ok "wrong truth: $(basename "$s" .sh) fails all $nf checks"
		else
			fail "wrong truth: $(basename "$s" .sh) gave $nf FAIL / $nok ok lines (want $want / 0)"
		fi
	done
	"$RTR_LAB_BIN" down rbw$sfx 2>/dev/null
else
	fail "wrong truth: lab did not come up"
fi

# Wrong arguments: one line on stderr saying what is wrong and what to do, status 2.
for args in "" "bogus" "up" "down" "exec x" "truth" "reap" "reap --bogus" "reap --abandoned x" "up --name Bad_Name lab/topologies/linear.topo"; do
	err=$("$RTR_LAB_BIN" $args 2>&1 >/dev/null)
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && [[ $err == rtr-lab:*"rtr-lab --help"* ]]; then
		ok "usage error for '$args': status 2, '$err'"
	else
		fail "usage error for '$args': status $rc, '$err'"
	fi
done

# A build that fails half-way removes what it made: a namespace in the way of the third node
# makes `up` fail after two nodes; afterwards nothing of the lab is left (the namespace in the
# way carried the lab's prefix, so it goes too).
ip netns add rtrlab-rf$sfx-r2
got=$("$RTR_LAB_BIN" up --name rf$sfx lab/topologies/linear.topo 2>&1 >/dev/null)
rc=$?
if [ $rc = 1 ] && [[ $got == *"create namespace rtrlab-rf$sfx-r2: File exists; removed 3 namespace(s)" ]] &&
	wait_for 10 gone rf$sfx && [ "$(root_state)" = "$base" ]; then
	ok "failed build cleans up: '$got'"
else
	fail "failed build: status $rc, '$got', left: $(lab_left rf$sfx | tr '\n' ' ')"
fi
