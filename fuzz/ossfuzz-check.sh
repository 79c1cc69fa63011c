#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ossfuzz-check.sh: runs .clusterfuzzlite/build.sh locally with OSS-Fuzz's variables, then every built harness.
#
# Sets CC, CFLAGS (the address sanitizer build OSS-Fuzz uses), LIB_FUZZING_ENGINE, SRC (a
# directory whose rtr is this checkout), WORK and OUT (throwaway), as the base-builder image
# would. Checks: the script succeeds; every harness of fuzz/ that does not need root is in $OUT
# with its seed corpus zip and its dictionary (when fuzz/NAME.dict exists); each one runs
# RTR_OSSFUZZ_SECONDS (1) seconds from its unzipped seed corpus, as ClusterFuzzLite's first
# run would, without a crash. One test per harness plus the build; "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${RTR_OSSFUZZ_SECONDS:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/src" "$tmp/work" "$tmp/out"
ln -s "$PWD" "$tmp/src/rtr"

pass=0 fail=0
if SRC="$tmp/src" WORK="$tmp/work" OUT="$tmp/out" CC=clang CXX=clang++ \
	CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer SANITIZER=address FUZZING_ENGINE=libfuzzer \
	timeout 600 bash .clusterfuzzlite/build.sh >"$tmp/build.log" 2>&1; then
	echo "PASS ossfuzz build.sh: built into \$OUT with OSS-Fuzz's variables"
	pass=$((pass + 1))
else
	echo "FAIL ossfuzz build.sh:"
	tail -n 30 "$tmp/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi

for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	h=${name#fuzz_}
	[ "$(sh fuzz/directive.sh "$src" needs)" = root ] && continue
	why=""
	[ -x "$tmp/out/$name" ] || why="not in \$OUT"
	[ -z "$why" ] && [ -d "fuzz/seeds/$h" ] && ! unzip -tq "$tmp/out/${name}_seed_corpus.zip" \
		>/dev/null 2>&1 && why="no valid ${name}_seed_corpus.zip"
	[ -z "$why" ] && [ -f "fuzz/$h.dict" ] && ! cmp -s "fuzz/$h.dict" "$tmp/out/$name.dict" &&
		why="no $name.dict"
	if [ -z "$why" ]; then
		mkdir -p "$tmp/corpus/$h"
		[ -f "$tmp/out/${name}_seed_corpus.zip" ] &&
			unzip -q -o "$tmp/out/${name}_seed_corpus.zip" -d "$tmp/corpus/$h"
		dict=()
		[ -f "$tmp/out/$name.dict" ] && dict=(-dict="$tmp/out/$name.dict")
		if ! timeout --kill-after=10 $((secs + 120)) "$tmp/out/$name" -max_total_time="$secs" \
			-timeout=10 -rss_limit_mb=2560 "${dict[@]}" -artifact_prefix="$tmp/" \
			"$tmp/corpus/$h" >"$tmp/run-$h.log" 2>&1; then
			why="fuzzing ${secs}s failed: $(grep -E 'property violated|SUMMARY' "$tmp/run-$h.log" | head -n 2 | tr '\n' ' ')"
		fi
	fi
	if [ -z "$why" ]; then
		echo "PASS ossfuzz $name: in \$OUT with seeds and dictionary, ran ${secs}s"
		pass=$((pass + 1))
	else
		echo "FAIL ossfuzz $name: $why"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
