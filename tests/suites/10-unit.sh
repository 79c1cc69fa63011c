#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 10-unit.sh: every cmocka unit test of proto/ (tests/unit/test_*.c) and of common/
# (tests/common/test_*.c); every tests/*/test_*.c is built and run by pattern; client/ has no
# include cycle (tools/check-includes.py); proto/ stays pure; diagnostics stay format-checked.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/lib/t.sh

# Every tests/unit/test_*.c and tests/common/test_*.c is a cmocka binary (proto/build.mk and
# common/build.mk build each one).
for src in tests/unit/test_*.c tests/common/test_*.c; do
	dir=$(basename "$(dirname "$src")")
	t_run "$dir/$(basename "$src" .c)" timeout --kill-after=5 120 \
		"build/san/tests/$dir/$(basename "$src" .c)"
done

# common/diag.h is format-checked: a call whose arguments do not match its format must not
# compile (the programs build with -Wformat=2 -Werror), a matching one must.
diag_compiles() { # format-string argument
	printf '#include "diag.h"\nvoid f(void);\nvoid f(void) { rtr_warn("%s", %s); }\n' "$1" "$2" |
		gcc -std=gnu11 -Icommon -Wformat=2 -Werror -fsyntax-only -x c - 2>/dev/null
}
if diag_compiles 'name %s' '"x"' && ! diag_compiles 'count %d' '"x"' &&
	! diag_compiles '%s%s' '"x"'; then
	ok "rtr_warn's arguments are checked against its format"
else
	fail "rtr_warn's format is not checked (common/diag.h lost its printf attribute?)"
fi

# Self-discovery: every tests/*/test_*.c is a target of make test (the build.mk fragments build
# by pattern) and its directory is one a suite runs by pattern, so a new test needs no list.
targets=$(printf 'print-test-targets:\n\t@echo $(TEST_TARGETS)\n' |
	make -s --no-print-directory -f Makefile -f - print-test-targets)
for src in tests/*/test_*.c; do
	dir=${src%/*}
	if ! grep -qw -- "build/san/${src%.c}" <<<"$targets"; then
		fail "$src is not built by make test (add a pattern rule to its build.mk)"
	elif ! grep -Eq "t_bins $dir\b|for src in .*$dir/test_\*\.c" tests/suites/*.sh; then
		fail "$src is built but no suite runs $dir/test_*.c"
	else
		ok
	fi
done

# client/ has no include cycle between its modules (tools/check-includes.py says what counts);
# the checker itself is seen to fail on a two-module loop and to pass once the loop is gone.
chk=$(mktemp -d)
printf '#include "b.h"\n' >"$chk/a.h"
printf '#include "a.h"\nint b(void);\n' >"$chk/b.h"
printf '#include "b.h"\nint b(void) { return 0; }\n' >"$chk/b_impl.c"
if ! out=$(python3 tools/check-includes.py "$chk") && grep -q 'a -> b -> a' <<<"$out"; then
	ok "check-includes names a two-module cycle"
else
	fail "check-includes misses a two-module cycle"
fi
printf 'int b(void);\n' >"$chk/b.h"
check "check-includes passes an acyclic directory" python3 tools/check-includes.py "$chk"
rm -rf "$chk"
if out=$(python3 tools/check-includes.py client); then ok "$out"; else fail "$out"; fi

# proto/ is pure: no writable globals, and no libc beyond memory, string and address helpers
# (no allocation, no I/O). Checked on the release library every program links.
lib=build/rel/libproto.a
[ -f "$lib" ] || t_abort "missing $lib: run 'make $lib' first"
writable=$(nm "$lib" | awk '$2 ~ /^[BbDdCGgSs]$/ {print $3}')
if [ -z "$writable" ]; then ok "proto/ has no writable globals"; else fail "proto/ has writable globals: $writable"; fi
allowed='^(memcpy|memset|memcmp|strchr|inet_pton|inet_ntop|__stack_chk_fail|rtr_.*)$'
external=$(nm -u "$lib" | awk 'NF == 2 {print $2}' | sort -u | grep -Ev "$allowed")
if [ -z "$external" ]; then ok "proto/ calls nothing outside its allow-list"; else fail "proto/ calls outside its allow-list: $external"; fi
t_done
