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

export RTR_LAB_BIN=${RTR_LAB_BIN:-$PWD/build/san/bin/rtr-lab}
export RTR_LAB_ROOT=$PWD
MAX_UP=${RTR_LAB_MAX_UP:-2.0}
pass=0
failn=0
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
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
	echo "lab-test: needs root (network namespaces)"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$RTR_LAB_BIN" ]; then
	echo "lab-test: $RTR_LAB_BIN missing (make build/san/bin/rtr-lab)"
	echo "0 passed, 1 failed"
	exit 1
fi

t_ok() { echo "  ok $*"; pass=$((pass + 1)); tp=$((tp + 1)); }
t_fail() { echo "  FAIL $*"; failn=$((failn + 1)); tf=$((tf + 1)); }

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
		"ok "*) t_ok "$(basename "$1" .sh): ${line#ok }" ;;
		"FAIL "*) t_fail "$(basename "$1" .sh): ${line#FAIL }"; any_fail=1 ;;
		"skip "*) echo "  skip $(basename "$1" .sh): ${line#skip }" ;;
		*) echo "    | $line" ;;
		esac
	done <<<"$out"
	if [ $rc -ne 0 ] && [ $any_fail = 0 ]; then
		t_fail "$(basename "$1" .sh): exited with status $rc without reporting a failure"
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
	tp=0 tf=0
	echo "=== topology $tname"
	before=$(root_state)
	t0=$(now)
	current=$("$RTR_LAB_BIN" up "$f" 2>/tmp/rtr-lab-up.$$)
	rc=$?
	t1=$(now)
	up_s=$(elapsed "$t0" "$t1")
	if [ $rc -ne 0 ] || [ -z "$current" ]; then
		t_fail "$tname: up failed: $(cat /tmp/rtr-lab-up.$$)"
		current=""
		rm -f /tmp/rtr-lab-up.$$
		summary+=("$(printf '%-16s %3d passed %3d failed  up failed' "$tname" $tp $tf)")
		continue
	fi
	rm -f /tmp/rtr-lab-up.$$
	if awk -v u="$up_s" -v m="$MAX_UP" 'BEGIN { exit !(u < m) }'; then
		t_ok "$tname: up in $up_s s"
	else
		t_fail "$tname: up took $up_s s (limit $MAX_UP s)"
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
		t_ok "$tname: down in $down_s s, nothing left behind"
	else
		t_fail "$tname: left [$(echo $left)], root changes: $(diff <(echo "$before") <(echo "$after") | tr '\n' ' ')"
	fi
	summary+=("$(printf '%-16s %3d passed %3d failed  up %ss  down %ss' "$tname" $tp $tf "$up_s" "$down_s")")
done

if [ -z "${RTR_LAB_TOPOS:-}" ] || grep -qw robust <<<"$RTR_LAB_TOPOS"; then
	tp=0 tf=0
	echo "=== robustness"
	. tests/lab/robust.sh
	summary+=("$(printf '%-16s %3d passed %3d failed' robustness $tp $tf)")
fi

echo
echo "=== lab-test summary ($(elapsed "$start_all" "$(now)") s)"
printf '%s\n' "${summary[@]}"
echo "$pass passed, $failn failed"
[ $failn -eq 0 ] && [ $pass -gt 0 ]
