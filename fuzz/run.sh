#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh: runs the libFuzzer harnesses: "smoke" (replay + a few seconds each) or "campaign SECONDS".
#
# Inputs of harness H: fuzz/seeds/H (hand-made, committed), build/fuzz/corpus/H
# (extracted here from the pcaps spec-vectors/TESTLIST names) and fuzz/regressions/H (every
# finding, committed). smoke replays all of them one by one, then fuzzes H for
# RTR_FUZZ_SMOKE_SECONDS (4) seconds into a throwaway corpus; a crash, a
# violated property or a replay failure fails H. It ends with "N passed, N failed".
# campaign fuzzes each harness for SECONDS into build/fuzz/work/H (kept between
# campaigns) and prints the exec count of each. Findings are written to
# build/fuzz/artifacts/H/.
set -uo pipefail
cd "$(dirname "$0")/.."

B=${B:-build}
harnesses=(ip request response probe answer roundtrip addr engine bpf)
mode=${1:-smoke}
smoke_seconds=${RTR_FUZZ_SMOKE_SECONDS:-4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Spec vectors: the input pcap of every spec-vectors/TESTLIST line (name input.pcap expected ...).
extract_corpus() {
	local pcaps=()
	if [ -f spec-vectors/TESTLIST ]; then
		mapfile -t pcaps < <(awk '!/^#/ && NF >= 2 { print "spec-vectors/" $2 }' \
			spec-vectors/TESTLIST | sort -u)
	fi
	rm -rf "$B/fuzz/corpus"
	mkdir -p "$B/fuzz/corpus"
	if [ ${#pcaps[@]} -eq 0 ]; then
		echo "fuzz: no spec-vector pcaps found; fuzzing from seeds and regressions only"
		return 0
	fi
	"$B/rel/fuzz/extract_corpus" -o "$B/fuzz/corpus" "${pcaps[@]}"
}

# A harness whose source says "fuzz-needs: root" (the BPF program) runs only as root.
needs_root() {
	grep -q '^/\* fuzz-needs: root \*/$' "fuzz/fuzz_$1.c"
}

# Its dictionary, when it has one.
dict_of() {
	[ -f "fuzz/$1.dict" ] && echo "-dict=fuzz/$1.dict"
}

input_dirs() {
	local h=$1 d
	for d in "fuzz/seeds/$h" "$B/fuzz/corpus/$h" "fuzz/regressions/$h"; do
		[ -d "$d" ] && echo "$d"
	done
}

# libFuzzer's final statistics line for executed units.
execs_of() {
	sed -n 's/^stat::number_of_executed_units: *\([0-9]\+\).*/\1/p' "$1" | tail -n 1
}

fuzz_one() { # harness seconds corpus-dir log
	local h=$1 secs=$2 work=$3 log=$4 dirs
	mapfile -t dirs < <(input_dirs "$h")
	mkdir -p "$B/fuzz/artifacts/$h" "$work"
	timeout --kill-after=10 $((secs + 60)) "$B/fuzz/fuzz_$h" -max_total_time="$secs" \
		$(dict_of "$h") -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
		-artifact_prefix="$B/fuzz/artifacts/$h/" "$work" "${dirs[@]}" >"$log" 2>&1
}

smoke() {
	local pass=0 fail=0 skip=0 h files n rc execs
	for h in "${harnesses[@]}"; do
		local bin="$B/fuzz/fuzz_$h"
		if needs_root "$h" && [ "$(id -u)" -ne 0 ]; then
			echo "SKIP fuzz_$h: needs root"
			skip=$((skip + 1))
			continue
		fi
		if [ ! -x "$bin" ]; then
			echo "FAIL fuzz_$h: $bin not built (make fuzz-build)"
			fail=$((fail + 1))
			continue
		fi
		# Replay every stored input on its own: a regression must stay fixed.
		mapfile -t files < <(input_dirs "$h" | xargs -r -I{} find {} -type f | sort)
		n=${#files[@]}
		rc=0
		if [ "$n" -gt 0 ]; then
			timeout --kill-after=10 300 "$bin" "${files[@]}" >"$tmp/replay-$h.log" 2>&1 || rc=$?
			local ran
			ran=$(grep -c '^Executed ' "$tmp/replay-$h.log")
			if [ "$rc" -ne 0 ] || [ "$ran" -ne "$n" ]; then
				echo "FAIL fuzz_$h: replay of $n stored inputs (ran $ran, status $rc):"
				tail -n 30 "$tmp/replay-$h.log"
				fail=$((fail + 1))
				continue
			fi
		fi
		rc=0
		fuzz_one "$h" "$smoke_seconds" "$tmp/work-$h" "$tmp/fuzz-$h.log" || rc=$?
		execs=$(execs_of "$tmp/fuzz-$h.log")
		if [ "$rc" -ne 0 ] || [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
			echo "FAIL fuzz_$h: fuzzing ${smoke_seconds}s (status $rc):"
			grep -E 'property violated|ERROR|SUMMARY|artifact|Test unit written' \
				"$tmp/fuzz-$h.log" | head -n 20
			fail=$((fail + 1))
			continue
		fi
		echo "PASS fuzz_$h: replayed $n stored inputs, $execs execs in ${smoke_seconds}s"
		pass=$((pass + 1))
	done
	# The hand-made answer seeds must still be what their names say (mkseeds self-check).
	if "$B/rel/fuzz/mkseeds" "$tmp/seeds" >"$tmp/seeds.log" 2>&1; then
		echo "PASS fuzz_seeds: hand-made seeds decode and match as named"
		pass=$((pass + 1))
	else
		echo "FAIL fuzz_seeds: mkseeds self-check:"
		head -n 20 "$tmp/seeds.log"
		fail=$((fail + 1))
	fi
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

campaign() {
	local secs=$1 h rc execs fails=0 rows=()
	for h in "${harnesses[@]}"; do
		rc=0
		if needs_root "$h" && [ "$(id -u)" -ne 0 ]; then
			echo "SKIP fuzz_$h: needs root"
			continue
		fi
		echo "fuzz: fuzz_$h for ${secs}s"
		fuzz_one "$h" "$secs" "$B/fuzz/work/$h" "$B/fuzz/campaign-$h.log" || rc=$?
		execs=$(execs_of "$B/fuzz/campaign-$h.log")
		local units
		units=$(find "$B/fuzz/work/$h" -type f | wc -l)
		if [ "$rc" -ne 0 ]; then
			fails=$((fails + 1))
			grep -E 'property violated|SUMMARY|Test unit written' \
				"$B/fuzz/campaign-$h.log" | head -n 5
		fi
		rows+=("$(printf '%-16s %12s execs %8s exec/s %6s corpus  %s' "fuzz_$h" "${execs:-0}" \
			$(( ${execs:-0} / (secs > 0 ? secs : 1) )) "$units" \
			"$([ "$rc" -eq 0 ] && echo ok || echo "FINDING: see $B/fuzz/artifacts/$h/")")")
	done
	echo
	echo "=== fuzz campaign: ${secs}s per harness"
	printf '%s\n' "${rows[@]}"
	[ "$fails" -eq 0 ]
}

case "$mode" in
smoke) ;;
campaign)
	secs=${2:-60}
	if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
		echo "run.sh: SECONDS must be a positive integer, got '$secs'; try make fuzz SECONDS=60" >&2
		exit 2
	fi
	;;
*)
	echo "run.sh: unknown mode '$mode'; use smoke or campaign SECONDS" >&2
	exit 2
	;;
esac
if ! extract_corpus; then
	echo "fuzz: corpus extraction from spec-vectors failed"
	[ "$mode" = smoke ] && echo "0 passed, 1 failed"
	exit 1
fi
if [ "$mode" = smoke ]; then
	smoke
else
	campaign "$secs"
fi
