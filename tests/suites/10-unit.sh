#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 10-unit.sh: every cmocka unit test of proto/ (tests/unit/test_*.c); every tests/*/test_*.c is
# built and run by pattern; proto/ stays pure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/lib/t.sh

# Every tests/unit/test_*.c is a cmocka binary (proto/build.mk builds each one).
for src in tests/unit/test_*.c; do
	t_run "$(basename "$src" .c)" timeout --kill-after=5 120 "build/san/tests/unit/$(basename "$src" .c)"
done

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
