# SPDX-License-Identifier: BSD-2-Clause
# lib.sh: helpers for lab scenario scripts (sourced). See docs/LAB.md, "Scenarios".
#
# The runner exports RTR_LAB_BIN (the rtr-lab binary), RTR_LAB (the running lab's name),
# RTR_LAB_TOPO (topology name) and RTR_LAB_FILE (its file). A scenario prints one line per
# check: "ok NAME", "FAIL NAME: why", "SKIP NAME: why" (could not run here) or "n/a NAME: why"
# (does not apply to this topology), and exits 0 (non-zero without a FAIL line counts as one
# failure).

lab() { "$RTR_LAB_BIN" "$1" "$RTR_LAB" "${@:2}"; }

# lab_exec NODE CMD...: run CMD inside NODE's namespace.
lab_exec() { "$RTR_LAB_BIN" exec "$RTR_LAB" "$1" -- "${@:2}"; }

# lab_ns NODE: the namespace name of NODE (for ip netns exec).
lab_ns() { lab nodes | awk -v n="$1" '$1 == n { print $2 }'; }

# lab_addr NODE 4|6: NODE's primary address in that family, without the length.
lab_addr() {
	lab addrs | awk -v n="$1" -v f="$2" '$1 == n && $2 == "primary" {
		a = $3; sub(/\/.*/, "", a)
		if ((f == 6) == (index(a, ":") > 0)) { print a; exit } }'
}

# lab_has NODE SETTING: does NODE carry a setting (silent, icmp-ratelimit, filter-rtr, nat=IF)?
lab_has() { lab nodes | awk -v n="$1" -v s="$2" '$1 == n { for (i = 4; i <= NF; i++) if ($i == s || index($i, s "=") == 1) f = 1 } END { exit !f }'; }

# ok/fail/skip/na/wait_for and friends: the shared test library.
. "$RTR_LAB_ROOT/tests/lib/t.sh"
