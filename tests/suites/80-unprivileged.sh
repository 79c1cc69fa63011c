#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 80-unprivileged.sh: `make test` run by an unprivileged user (nobody) on a copy of this tree
# prints a SKIP line for each part that needs root and exits 0 when nothing failed.
#
# The copy takes the already built build/ along (timestamps kept), so make finds everything up
# to date and the inner run costs seconds. It runs the suites that show each case: 10-unit
# (runs whole), 50-lab (runs its unit tests, skips the namespaces), 40-bpf and 70-conform (skip
# whole or in part). A suite that failed as non-root (the old "needs root: 1 failed") fails this.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh

[ "$(id -u)" -eq 0 ] || t_skip_all "running make test as another user needs root (this is that user already)"
t_have setpriv make || t_skip_all "setpriv (util-linux) or make is not installed"
id nobody >/dev/null 2>&1 || t_skip_all "there is no user nobody"
NOGROUP=$(id -gn nobody)

copy=$(mktemp -d)
t_on_exit 'rm -rf "$copy"'
# The tree as it is (also outside git), then the build tree with its timestamps.
tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$copy" ||
	t_abort "cannot copy the tree to $copy"
[ -d build ] && cp -a build "$copy/" || t_abort "no build/ to copy: run make test (or make -j2) first"
chown -R nobody:"$NOGROUP" "$copy"

suites="10-unit 40-bpf 50-lab 70-conform"
out=$(cd "$copy" && timeout 300 setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
	env -i PATH="$PATH" HOME="$copy" LANG=C RTR_SUITES="$suites" make -s test 2>&1)
rc=$?
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
show() { { grep -E "FAIL|exited with|Error|error:" <<<"$out"; tail -n 15 <<<"$out"; } | sed "s/^/    | /"; }

check "as nobody: make test exits 0 (status $rc)" [ "$rc" -eq 0 ] || show
if [[ $last =~ ^([0-9]+)\ passed,\ 0\ failed,\ ([0-9]+)\ skipped$ ]] &&
	[ "${BASH_REMATCH[1]}" -gt 0 ] && [ "${BASH_REMATCH[2]}" -ge 3 ]; then
	ok "as nobody: '$last'"
else
	fail "as nobody: closing line '$last', want passes, 0 failed and a skip per root-only part"
	show
fi
for s in 40-bpf 50-lab 70-conform; do
	if grep -Eq "^$s: SKIP .*root" <<<"$out"; then
		ok "as nobody: $s says what it skipped: $(grep -E "^$s: SKIP" <<<"$out" | head -n 1)"
	else
		fail "as nobody: no SKIP line naming root for $s"
	fi
done
t_done
