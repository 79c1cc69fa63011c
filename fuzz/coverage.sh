#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# coverage.sh: source-based coverage of the fuzz corpora, per harness and per source file (make fuzz-coverage).
#
# Builds every fuzz/fuzz_NAME.c again into build/fuzz-cov with clang's source-based coverage
# (-fprofile-instr-generate -fcoverage-mapping, libFuzzer without sanitizers), replays each
# harness's inputs once (fuzz/seeds/H, fuzz/regressions/H, the spec-vector corpus
# build/fuzz/corpus/H and the campaign corpus build/fuzz/work/H when they exist), merges the
# profiles with llvm-profdata and prints with llvm-cov report:
#   - per harness: line and branch coverage of the project sources it links (fuzz/ left out);
#   - all harnesses together, per source file of proto/ and client/ (the receive paths);
#   - the targets: >= 90% of proto/ lines, >= 80% of the client's receive-path lines.
# Exit status: 0 when both targets are met, 1 when one is not (or nothing could be measured).
# RTR_FUZZ_ONLY="a b" limits the harnesses; a "fuzz-needs: root" harness needs root.
set -uo pipefail
cd "$(dirname "$0")/.."

B=${B:-build}
COV=$B/fuzz-cov
PROTO_TARGET=90
CLIENT_TARGET=80
# The client's receive paths: the engines that read every packet arriving from the Internet
# (singlepath forward and reverse, MDA). mda_stop.c (the stopping-point table), mda_match.c (two
# finished traces matched) and the out_*.c printers read no packet; the client/ table shows them.
CLIENT_RX="client/tracer_core.c client/tracer_fwd.c client/tracer_rev.c client/engine.c client/mda.c"
profdata=$(command -v llvm-profdata || command -v llvm-profdata-14)
llvmcov=$(command -v llvm-cov || command -v llvm-cov-14)
if [ -z "$profdata" ] || [ -z "$llvmcov" ]; then
	echo "coverage.sh: llvm-profdata and llvm-cov are needed (Debian package llvm; make deps)" >&2
	exit 1
fi

flags="-g -O0 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping"
if ! make -s --no-print-directory fuzz-bins FUZZ_DIR="$COV" FUZZ_CFLAGS="$flags" \
	FUZZ_LDFLAGS="$flags" >"$COV.build.log" 2>&1; then
	tail -n 30 "$COV.build.log"
	echo "coverage.sh: the coverage build failed (log: $COV.build.log)" >&2
	exit 1
fi
rm -rf "$COV/prof"
mkdir -p "$COV/prof"
# The spec-vector corpus (build/fuzz/corpus), as smoke and campaigns replay it.
bash fuzz/run.sh extract >/dev/null || echo "coverage.sh: no spec-vector corpus; seeds only" >&2

bins=()
for src in fuzz/fuzz_*.c; do
	h=${src#fuzz/fuzz_}
	h=${h%.c}
	if [ -n "${RTR_FUZZ_ONLY:-}" ] && ! [[ " $RTR_FUZZ_ONLY " == *" $h "* ]]; then
		continue
	fi
	if [ "$(sh fuzz/directive.sh "$src" needs)" = root ] && [ "$(id -u)" -ne 0 ]; then
		echo "SKIP fuzz_$h: needs root (fuzz-needs: root)"
		continue
	fi
	dirs=()
	for d in "fuzz/seeds/$h" "fuzz/regressions/$h" "$B/fuzz/corpus/$h" "$B/fuzz/work/$h"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	if [ ${#dirs[@]} -eq 0 ]; then
		echo "fuzz_$h: no inputs to replay"
		continue
	fi
	# -runs=0: read and run every input once, fuzz nothing.
	LLVM_PROFILE_FILE="$COV/prof/$h-%p.profraw" timeout 900 "$COV/fuzz_$h" -runs=0 \
		-rss_limit_mb=4096 "${dirs[@]}" >"$COV/prof/$h.log" 2>&1 ||
		echo "fuzz_$h: replay ended with status $? (log: $COV/prof/$h.log)"
	"$profdata" merge -sparse "$COV/prof/$h"-*.profraw -o "$COV/prof/$h.profdata" || continue
	bins+=("$COV/fuzz_$h")
	echo
	echo "=== fuzz_$h (inputs: ${dirs[*]})"
	"$llvmcov" report "$COV/fuzz_$h" -instr-profile="$COV/prof/$h.profdata" \
		-ignore-filename-regex="^($PWD/)?fuzz/|\\.h$" -show-region-summary=false \
		-show-instantiation-summary=false 2>/dev/null | sed 's/^/  /'
done
if [ ${#bins[@]} -eq 0 ]; then
	echo "coverage.sh: no harness was measured" >&2
	exit 1
fi

"$profdata" merge -sparse "$COV/prof"/*.profdata -o "$COV/prof/all.profdata"
objs=("${bins[0]}")
for b in "${bins[@]:1}"; do
	objs+=(-object "$b")
done
report_all() { # files...
	"$llvmcov" report "${objs[@]}" -instr-profile="$COV/prof/all.profdata" \
		-show-region-summary=false "$@" 2>/dev/null
}
# Per-file line counts of the merged profile: "path covered total" (repo-relative paths).
"$llvmcov" export "${objs[@]}" -instr-profile="$COV/prof/all.profdata" -summary-only \
	2>/dev/null | jq -r --arg root "$PWD/" '.data[0].files[] |
		"\(.filename | ltrimstr($root)) \(.summary.lines.covered) \(.summary.lines.count)"' \
	>"$COV/prof/files.txt"
echo
echo "=== all harnesses: proto/"
report_all proto/*.c | sed 's/^/  /'
echo
echo "=== all harnesses: client/ (receive paths: $CLIENT_RX)"
report_all client/*.c | sed 's/^/  /'
echo "  per receive-path file (lines covered of total):"
for f in $CLIENT_RX; do
	awk -v f="$f" '$1 == f { printf "    %-24s %5d of %5d  %5.1f%%\n", f, $2, $3, $3 ? 100 * $2 / $3 : 0; n++ }
		END { if (!n) printf "    %-24s not linked by any harness\n", f }' "$COV/prof/files.txt"
done

# Line coverage of a file set from the merged profile, as "covered total" (0 0: not linked).
lines_of() {
	awk -v want=" $* " 'index(want, " " $1 " ") { c += $2; t += $3 } END { print c + 0, t + 0 }' \
		"$COV/prof/files.txt"
}
status=0
target() { # name percent files...
	local name=$1 want=$2 got
	shift 2
	got=$(lines_of "$@")
	if [ "$(awk '{ print $2 }' <<<"$got")" = 0 ]; then
		echo "target $name lines >= $want%: not measured (no harness links these files yet)"
		status=1
		return
	fi
	awk -v n="$name" -v w="$want" '{ p = 100 * $1 / $2
		printf "target %s lines >= %d%%: %.1f%% (%d of %d) %s\n", n, w, p, $1, $2,
			(p >= w ? "met" : "NOT met") }' <<<"$got"
	awk -v w="$want" '{ exit !(100 * $1 / $2 >= w) }' <<<"$got" || status=1
}
echo
# shellcheck disable=SC2086
target "proto/" "$PROTO_TARGET" proto/*.c
# shellcheck disable=SC2086
target "client receive paths" "$CLIENT_TARGET" $CLIENT_RX
exit "$status"
