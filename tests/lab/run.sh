#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh: make lab-test. Brings up every shipped topology, runs every scenario registered for
# it (scenarios/any/*.sh and scenarios/<topology>/*.sh), tears it down whatever happens,
# checks that nothing was left behind, then runs the robustness checks (bad files, signals,
# kill -9 + reap). Prints per-topology results and ends with "N passed, N failed".
#
# RTR_LAB_BIN overrides the binary (default: the sanitizer build); RTR_LAB_TOPOS="a b" limits
# the topologies; RTR_LAB_MAX_UP (default 2.0) is the allowed build time in seconds.
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/lib/t.sh

export RTR_LAB_BIN=${RTR_LAB_BIN:-$PWD/build/san/bin/rtr-lab}
export RTR_LAB_ROOT=$PWD
MAX_UP=${RTR_LAB_MAX_UP:-2.0}
current=""
summary=()

cleanup() {
	if [ -n "$current" ]; then
		"$RTR_LAB_BIN" down "$current" >/dev/null 2>&1
		current=""
	fi
	# Interrupted during the robustness checks: our background rtr-lab and our labs.
	if [ -n "${pid:-}" ]; then
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	fi
	if [ -n "${sfx:-}" ]; then
		for p in rbb rbt rbi rk1 rk2 rk3 rbp rbd rbw rs ro; do
			"$RTR_LAB_BIN" down "$p$sfx" >/dev/null 2>&1
		done
	fi
}
t_on_exit cleanup

t_root || t_skip_all "lab-test: network namespaces need root"
[ -x "$RTR_LAB_BIN" ] || t_abort "lab-test: $RTR_LAB_BIN missing (make build/san/bin/rtr-lab)"
# scamper (20-tracelb-truth runs several at once) creates its privilege-separation directory
# /var/empty at start; on a fresh machine two runs race to create it and the loser fails with
# "could not mkdir /var/empty: File exists". Create it once here, as scamper would (root, 0555).
[ -d /var/empty ] || mkdir -p -m 0555 /var/empty

# counts LABEL: a summary row of the checks since the last mark (tests/lib/t.sh's totals).
mark() { p0=$T_PASS f0=$T_FAIL; }
counts() { printf '%-16s %3d passed %3d failed' "$1" $((T_PASS - p0)) $((T_FAIL - f0)); }

# The root namespace as seen by a careful observer: link names, routes and rules. Namespaces
# are checked per lab (lab_left), since other suites, and other runs of this one, may have
# labs of their own up at the same time.
root_state() {
	ip -o link show | awk -F': ' '{ print $2 }' | sort
	ip route show table all | sed -E 's/ expires [0-9]+sec//' | sort
	ip -6 route show table all | sed -E 's/ expires [0-9]+sec//' | sort
	ip rule show; ip -6 rule show
}

# lab_left NAME: what lab NAME left behind (namespaces, state), empty if nothing.
lab_left() {
	ip netns list | awk '{ print $1 }' | grep "^rtrlab-$1-"
	[ -e "/run/rtr-lab/$1" ] && echo "/run/rtr-lab/$1"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

run_scenario() { # SCRIPT TOPONAME
	local out rc line
	out=$(timeout --kill-after=5 300 bash "$1" 2>&1)
	rc=$?
	local any_fail=0
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$(basename "$1" .sh): ${line#ok }" ;;
		"FAIL "*) fail "$(basename "$1" .sh): ${line#FAIL }"; any_fail=1 ;;
		"SKIP "*) skip "$(basename "$1" .sh): ${line#SKIP }" ;;
		"n/a "*) na "$(basename "$1" .sh): ${line#n/a }" ;;
		*) echo "    | $line" ;;
		esac
	done <<<"$out"
	if [ $rc -ne 0 ] && [ $any_fail = 0 ]; then
		fail "$(basename "$1" .sh): exited with status $rc without reporting a failure"
	fi
}

topos=()
for f in lab/topologies/*.topo; do
	n=$(basename "$f" .topo)
	if [ -n "${RTR_LAB_TOPOS:-}" ] && ! grep -qw -- "$n" <<<"$RTR_LAB_TOPOS"; then
		continue
	fi
	topos+=("$f")
done

start_all=$(now)
for f in "${topos[@]}"; do
	tname=$(basename "$f" .topo)
	mark
	echo "=== topology $tname"
	before=$(root_state)
	t0=$(now)
	current=$("$RTR_LAB_BIN" up "$f" 2>/tmp/rtr-lab-up.$$)
	rc=$?
	t1=$(now)
	up_s=$(elapsed "$t0" "$t1")
	if [ $rc -ne 0 ] || [ -z "$current" ]; then
		fail "$tname: up failed: $(cat /tmp/rtr-lab-up.$$)"
		current=""
		rm -f /tmp/rtr-lab-up.$$
		summary+=("$(counts "$tname")  up failed")
		continue
	fi
	rm -f /tmp/rtr-lab-up.$$
	if awk -v u="$up_s" -v m="$MAX_UP" 'BEGIN { exit !(u < m) }'; then
		ok "$tname: up in $up_s s"
	else
		fail "$tname: up took $up_s s (limit $MAX_UP s)"
	fi
	export RTR_LAB=$current RTR_LAB_TOPO=$tname RTR_LAB_FILE=$PWD/$f
	for s in $(ls tests/lab/scenarios/any/*.sh tests/lab/scenarios/"$tname"/*.sh \
		2>/dev/null | awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2); do
		run_scenario "$s" "$tname"
	done
	t2=$(now)
	"$RTR_LAB_BIN" down "$current" 2>/dev/null
	t3=$(now)
	down_s=$(elapsed "$t2" "$t3")
	after=$(root_state)
	left=$(lab_left "$current")
	current=""
	if [ "$before" = "$after" ] && [ -z "$left" ]; then
		ok "$tname: down in $down_s s, nothing left behind"
	else
		fail "$tname: left [$(echo $left)], root changes: $(diff <(echo "$before") <(echo "$after") | tr '\n' ' ')"
	fi
	summary+=("$(counts "$tname")  up ${up_s}s  down ${down_s}s")
done

if [ -z "${RTR_LAB_TOPOS:-}" ] || grep -qw robust <<<"$RTR_LAB_TOPOS"; then
	mark
	echo "=== robustness"
	. tests/lab/robust.sh
	summary+=("$(counts robustness)")
fi

echo
echo "=== lab-test summary ($(elapsed "$start_all" "$(now)") s)"
printf '%s\n' "${summary[@]}"
t_done && [ "$T_PASS" -gt 0 ]
