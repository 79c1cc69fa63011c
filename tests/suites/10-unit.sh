#!/usr/bin/env bash
# 10-unit.sh: runs every cmocka unit test binary of proto/ (built by `make test`).
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
exit "$status"
