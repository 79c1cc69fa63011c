#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 20-golden.sh: golden vectors: rtr-decode output diffed per vector, and every vector's fields via proto/.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

decode=build/san/decode/rtr-decode
vecasm=build/rel/spec-vectors/vecasm
fields=build/san/tests/golden/test_vectors_fields
missing=0
for b in "$decode" "$vecasm" "$fields"; do
	if [ ! -x "$b" ]; then
		echo "20-golden: $b is missing: run make $b"
		missing=$((missing + 1))
	fi
done
if [ "$missing" -gt 0 ]; then
	echo "0 passed, $missing failed"
	exit 1
fi

rc=0
bash tests/golden/run-golden.sh "$decode" "$vecasm" || rc=1
# cmocka prints its summary on stderr; run-all.sh reads it from the merged stream.
"$fields" spec-vectors 2>&1 || rc=1
exit "$rc"
