# SPDX-License-Identifier: BSD-2-Clause
# t.sh: the shell test library every test script sources: counters, the closing count line,
# skips, bounded waits, throwaway namespaces and exit-time cleanup.
# shellcheck shell=bash
#
#   . tests/lib/t.sh            (from the repository root)
#
#   ok [NAME]                   a check passed; NAME is printed as "ok NAME" when given
#   fail NAME                   a check failed: "FAIL NAME"
#   skip NAME: WHY              a check could not run here (not root, a tool missing): "SKIP ..."
#   na NAME: WHY                a check that does not apply (no IPv6 in this topology): printed,
#                               never counted
#   check NAME CMD...           ok NAME or fail NAME by CMD's exit status
#   t_run NAME CMD...           runs a test program that reports its own counts (cmocka, a
#                               script of this library); a non-zero exit fails the suite even
#                               when the program printed no count (a crash, a sanitizer report)
#   t_done [TAG]                the closing line "N passed, N failed[, N skipped]" that
#                               tests/run-all.sh adds up; returns 1 when a check or a t_run
#                               program failed
#   t_skip_all WHY              the whole script cannot run: one SKIP line, the count line, exit 0
#   t_abort WHY                 set-up failed, nothing more can be checked: FAIL WHY, the count
#                               line, exit 1
#   t_root                      true when the root-only parts may run (root, and RTR_NO_ROOT unset:
#                               make check sets it to run only what needs no root)
#   t_have CMD...               true when every CMD is on PATH
#   t_bins DIR                  the sanitizer binary of every DIR/test_*.c, one a line: suites
#                               run what is there, so a new test_*.c needs no list
#   wait_for SECONDS CMD...     runs CMD every 50 ms until it succeeds (0) or SECONDS pass (1)
#   t_ns_add NAME...            creates namespaces with lo up, removed again at exit
#   t_on_exit CMD               runs CMD (a string, eval'd) at exit, newest first
#
# A skip is neither a pass nor a failure: run-all.sh reports it, and in CI (root with CI=true, or
# RTR_NO_SKIP=1) a skip fails the run, so that a green CI never hides a part that did not run.

T_PASS=0
T_FAIL=0
T_SKIP=0
T_RC=0
T_NS=()
T_EXIT=()

ok() {
	T_PASS=$((T_PASS + 1))
	[ $# -eq 0 ] || echo "ok $*"
}
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL $*"
}
skip() {
	T_SKIP=$((T_SKIP + 1))
	echo "SKIP $*"
}
na() { echo "n/a $*"; }

check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}

t_run() {
	local name=$1 rc
	shift
	echo "--- $name"
	"$@" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "$name exited with status $rc"
		T_RC=1
	fi
	return "$rc"
}

t_done() {
	[ $# -eq 0 ] || echo "$1: $T_PASS passed, $T_FAIL failed"
	if [ "$T_SKIP" -gt 0 ]; then
		echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	else
		echo "$T_PASS passed, $T_FAIL failed"
	fi
	[ "$T_FAIL" -eq 0 ] && [ "$T_RC" -eq 0 ]
}

t_skip_all() {
	skip "$*"
	t_done
	exit 0
}

t_abort() {
	fail "$*"
	t_done
	exit 1
}

t_root() { [ "$(id -u)" -eq 0 ] && [ -z "${RTR_NO_ROOT:-}" ]; }

t_have() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || return 1; done
}

t_bins() {
	local src
	for src in "$1"/test_*.c; do
		[ -e "$src" ] && echo "build/san/${src%.c}"
	done
}

# Deadline in microseconds from bash's own clock: no process per poll, and CMD's own run time
# counts against the bound.
wait_for() {
	local s=$1 frac=000000 end
	shift
	if [[ $s == *.* ]]; then
		frac=${s#*.}000000
		s=${s%.*}
	fi
	end=$((${EPOCHREALTIME/[.,]/} + ${s:-0} * 1000000 + 10#${frac:0:6}))
	while :; do
		"$@" && return 0
		[ "${EPOCHREALTIME/[.,]/}" -lt "$end" ] || return 1
		sleep 0.05
	done
}

t_ns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		T_NS+=("$ns")
		ip -n "$ns" link set lo up || return 1
	done
}

t_on_exit() { T_EXIT+=("$1"); }

# t_lab_up TOPO PREFIX: brings up the rtr-lab topology file TOPO under a fresh name (PREFIX, at
# most 4 characters, and a random tag, left in T_LAB; node N's namespace is rtrlab-$T_LAB-N),
# taken down at exit.
# RTR_LAB_BIN picks rtr-lab (default build/bin/rtr-lab).
t_lab_up() {
	local bin=${RTR_LAB_BIN:-build/bin/rtr-lab}
	T_LAB=$2$(od -An -N4 -tx1 /dev/urandom | tr -d ' ')
	t_on_exit "timeout 20 '$bin' down '$T_LAB' >/dev/null 2>&1"
	timeout 30 "$bin" up "$1" --name "$T_LAB" >/dev/null
}

t_cleanup() {
	local i
	for ((i = ${#T_EXIT[@]} - 1; i >= 0; i--)); do eval "${T_EXIT[$i]}"; done
	T_EXIT=()
	for i in "${T_NS[@]}"; do ip netns del "$i" 2>/dev/null; done
	T_NS=()
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM
