#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# directive.sh: prints the value of a harness's "/* fuzz-KEY: value */" comment (may span lines).
# Usage: directive.sh fuzz/fuzz_NAME.c KEY. Continuation lines may start with " * ". Used by
# fuzz/build.mk, fuzz/run.sh, fuzz/coverage.sh and .clusterfuzzlite/build.sh alike.
exec awk -v key="$2" '
	!on && index($0, "/* fuzz-" key ": ") == 1 { on = 1; $0 = substr($0, length(key) + 11) }
	on {
		sub(/^ \* ?/, "")
		done = sub(/ *\*\/.*$/, "")
		out = out (out ? " " : "") $0
		if (done) { print out; exit }
	}' "$1"
