#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 10-unit.sh: runs every cmocka unit test binary of proto/ and checks the library stays pure.
set -uo pipefail
cd "$(dirname "$0")/../.."

status=0
found=0
for src in tests/unit/test_*.c; do
	bin=build/san/tests/unit/$(basename "$src" .c)
	found=$((found + 1))
	if [ ! -x "$bin" ]; then
		echo "missing unit test binary $bin: run 'make $bin' first" >&2
		status=1
		continue
	fi
	echo "--- $bin"
	if ! timeout --kill-after=5 120 "$bin" 2>&1; then
		status=1
	fi
done
if [ "$found" -eq 0 ]; then
	echo "no unit tests found under tests/unit/" >&2
	status=1
fi

# proto/ is pure: no writable globals, and no libc beyond memory, string and address helpers
# (no allocation, no I/O). Checked on the release library every program links.
lib=build/rel/libproto.a
pure_pass=0
pure_fail=0
if [ ! -f "$lib" ]; then
	echo "missing $lib: run 'make $lib' first" >&2
	pure_fail=1
else
	writable=$(nm "$lib" | awk '$2 ~ /^[BbDdCGgSs]$/ {print $3}')
	if [ -n "$writable" ]; then
		echo "proto/ has writable globals: $writable" >&2
		pure_fail=$((pure_fail + 1))
	else
		pure_pass=$((pure_pass + 1))
	fi
	allowed='^(memcpy|memset|memcmp|strchr|inet_pton|inet_ntop|__stack_chk_fail|rtr_.*)$'
	external=$(nm -u "$lib" | awk 'NF == 2 {print $2}' | sort -u | grep -Ev "$allowed")
	if [ -n "$external" ]; then
		echo "proto/ calls outside its allow-list: $external" >&2
		pure_fail=$((pure_fail + 1))
	else
		pure_pass=$((pure_pass + 1))
	fi
fi
echo "$pure_pass passed, $pure_fail failed"
[ "$pure_fail" -eq 0 ] || status=1
exit "$status"
