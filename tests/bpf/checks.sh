# SPDX-License-Identifier: BSD-2-Clause
# checks.sh: sourced by the server's lab scripts: counted checks ("ok"/"FAIL" lines) and nx.
# The sourcing script sets pass=0 fail=0 and prints "$pass passed, $fail failed" at the end.

ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # label, command...
	local label=$1
	shift
	if "$@"; then ok "$label"; else ko "$label"; fi
}
nx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
