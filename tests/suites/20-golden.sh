#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 20-golden.sh: golden vectors: rtr-decode output diffed per vector, and every tests/golden/test_*.c
# (each vector's fields via proto/) run on the spec-vectors directory.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh

decode=build/san/decode/rtr-decode
vecasm=build/rel/spec-vectors/vecasm
mapfile -t tests < <(t_bins tests/golden)
make -s "$decode" "$vecasm" "${tests[@]}" || t_abort "rtr-decode, vecasm or the vector tests do not build"

t_run run-golden bash tests/golden/run-golden.sh "$decode" "$vecasm"
for t in "${tests[@]}"; do
	t_run "$(basename "$t")" "$t" spec-vectors
done
t_done
