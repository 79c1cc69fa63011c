#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh: runs the libFuzzer harnesses: "smoke" (replay + a few seconds each) or "campaign SECONDS JOBS".
# "extract" only writes the spec-vector corpus (fuzz/coverage.sh replays it).
#
# Harnesses are every fuzz/fuzz_NAME.c (fuzz/README.md, "Adding a harness"); RTR_FUZZ_ONLY="a b"
# limits a run to some. Inputs of harness H: fuzz/seeds/H (committed), build/fuzz/corpus/H
# (extracted here from the pcaps spec-vectors/TESTLIST names) and fuzz/regressions/H (every
# finding, committed); fuzz/H.dict is its dictionary. smoke replays all inputs one by one, then
# fuzzes H for RTR_FUZZ_SMOKE_SECONDS (4) seconds into a throwaway corpus; a crash, a violated
# property or a replay failure fails H. It ends with "N passed, N failed, N skipped" (a
# "fuzz-needs: root" harness is skipped with one line when not root).
# campaign fuzzes each harness for SECONDS in libFuzzer fork mode with JOBS processes into
# build/fuzz/work/H (kept between campaigns), goes on after a crash, and prints one table:
# execs, exec/s, coverage, new corpus entries and findings deduplicated by stack. Findings
# are in build/fuzz/artifacts/H/; fuzz/README.md says how one becomes a regression input.
set -uo pipefail
cd "$(dirname "$0")/.."

B=${B:-build}
harnesses=()
for src in fuzz/fuzz_*.c; do
	h=${src#fuzz/fuzz_}
	h=${h%.c}
	if [ -n "${RTR_FUZZ_ONLY:-}" ] && ! [[ " $RTR_FUZZ_ONLY " == *" $h "* ]]; then
		continue
	fi
	harnesses+=("$h")
done
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

input_dirs() {
	local h=$1 d
	for d in "fuzz/seeds/$h" "$B/fuzz/corpus/$h" "fuzz/regressions/$h"; do
		[ -d "$d" ] && echo "$d"
	done
}

# The value of a "/* fuzz-KEY: ... */" line of harness H's source.
directive() { # harness key
	sh fuzz/directive.sh "fuzz/fuzz_$1.c" "$2"
}

needs_root_skip() { # harness: true (and says so) when H needs root and we are not
	if [ "$(directive "$1" needs)" = root ] && [ "$(id -u)" -ne 0 ]; then
		echo "SKIP fuzz_$1: needs root (fuzz-needs: root)"
		return 0
	fi
	return 1
}

dict_opt() {
	[ -f "fuzz/$1.dict" ] && echo "-dict=fuzz/$1.dict"
}

# libFuzzer's final statistics line for executed units.
execs_of() {
	sed -n 's/^stat::number_of_executed_units: *\([0-9]\+\).*/\1/p' "$1" | tail -n 1
}

fuzz_one() { # harness seconds corpus-dir log
	local h=$1 secs=$2 work=$3 log=$4 dirs
	mapfile -t dirs < <(input_dirs "$h")
	mkdir -p "$B/fuzz/artifacts/$h" "$work"
	# shellcheck disable=SC2046 # the dictionary option is one word or none
	timeout --kill-after=10 $((secs + 60)) "$B/fuzz/fuzz_$h" -max_total_time="$secs" \
		-print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=4096 $(dict_opt "$h") \
		-artifact_prefix="$B/fuzz/artifacts/$h/" "$work" "${dirs[@]}" >"$log" 2>&1
}

smoke() {
	local pass=0 fail=0 skip=0 h files n rc execs
	for h in "${harnesses[@]}"; do
		local bin="$B/fuzz/fuzz_$h"
		if needs_root_skip "$h"; then
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

# The stack of a finding as a key: the first three frames in this project's sources (the
# property that failed comes first when it was one), so one bug found many times counts once.
stack_key() { # binary artifact
	# libFuzzer saves an empty input when the crash came outside any input's run (a custom
	# mutator, the merge): the campaign log has the sanitizer's first line.
	if [ ! -s "$2" ]; then
		echo "crash outside an input (custom mutator?) | see the campaign log's ==ERROR line"
		return
	fi
	timeout 60 "$1" "$2" 2>&1 | awk -v root="$PWD/" '
		/property violated/ && !prop { sub(/: property violated.*/, ""); key = $NF; prop = 1 }
		/^ *#[0-9]+ 0x[0-9a-f]+ in / && n < 3 {
			loc = $NF
			if (loc !~ /\.[ch]:[0-9]+(:[0-9]+)?$/ || loc ~ /(compiler-rt|libfuzzer|sanitizer)/ ||
			    $4 ~ /^(fuzzer::|__|abort|raise|main$)/)
				next
			sub(/:[0-9]+$/, "", loc)  # the column
			sub(root, "", loc)
			key = key (key ? " < " : "") $4 " " loc; n++
		}
		/^SUMMARY:/ && !kind { kind = $2 " " $3 }
		END { print (kind ? kind : "no-crash-on-replay") " | " key }'
}

campaign() {
	local secs=$1 jobs=$2 h rc fails=0 rows=()
	mkdir -p "$B/fuzz/findings"
	for h in "${harnesses[@]}"; do
		if needs_root_skip "$h"; then
			rows+=("$(printf '%-18s %s' "fuzz_$h" "skipped: needs root")")
			continue
		fi
		local work="$B/fuzz/work/$h" art="$B/fuzz/artifacts/$h" log="$B/fuzz/campaign-$h.log"
		local dirs before after last execs cov
		mapfile -t dirs < <(input_dirs "$h")
		mkdir -p "$work" "$art"
		before=$(find "$work" -type f | wc -l)
		touch "$tmp/start"
		echo "fuzz: fuzz_$h for ${secs}s, fork mode with $jobs job(s)"
		rc=0
		# shellcheck disable=SC2046
		timeout --kill-after=30 $((secs + 300)) "$B/fuzz/fuzz_$h" -fork="$jobs" -ignore_crashes=1 \
			-ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$secs" -timeout=10 \
			-rss_limit_mb=2048 -max_len=4096 $(dict_opt "$h") -artifact_prefix="$art/" \
			"$work" "${dirs[@]}" >"$log" 2>&1 || rc=$?
		after=$(find "$work" -type f | wc -l)
		last=$(grep -E '^#[0-9]+: cov: ' "$log" | tail -n 1)
		execs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$last")
		cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 ft/p' <<<"$last")
		# Findings of this run, grouped by stack.
		local f keys=() total=0
		while IFS= read -r f; do
			total=$((total + 1))
			keys+=("$(stack_key "$B/fuzz/fuzz_$h" "$f")")
			printf '%s\t%s\n' "${keys[-1]}" "$f" >>"$B/fuzz/findings/$h.tsv"
		done < <(find "$art" -type f -newer "$tmp/start" \( -name 'crash-*' -o -name 'leak-*' \
			-o -name 'timeout-*' -o -name 'oom-*' \) | sort)
		local unique=0
		[ "$total" -gt 0 ] && unique=$(printf '%s\n' "${keys[@]}" | sort -u | wc -l)
		[ "$total" -gt 0 ] || [ "$rc" -ne 0 ] && fails=$((fails + 1))
		rows+=("$(printf '%-18s %12s %9s  %-22s %7s  %s' "fuzz_$h" "${execs:-0}" \
			"$(( ${execs:-0} / (secs > 0 ? secs : 1) ))" "${cov:-?}" "$((after - before))" \
			"$([ "$total" -eq 0 ] && [ "$rc" -eq 0 ] && echo none ||
				echo "$unique unique of $total (exit $rc): $B/fuzz/findings/$h.tsv")")")
		if [ "$total" -gt 0 ]; then
			printf '%s\n' "${keys[@]}" | sort | uniq -c | sed "s/^/  fuzz_$h: /"
		fi
	done
	echo
	echo "=== fuzz campaign $(date -u +%Y-%m-%d): ${secs}s per harness, $jobs job(s)"
	printf '%-18s %12s %9s  %-22s %7s  %s\n' harness execs exec/s coverage "new" findings
	printf '%s\n' "${rows[@]}"
	[ "$fails" -eq 0 ]
}

case "$mode" in
smoke | extract) ;;
campaign)
	secs=${2:-60}
	jobs=${3:-$(nproc)}
	if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
		echo "run.sh: SECONDS must be a positive integer, got '$secs'; try make fuzz SECONDS=60" >&2
		exit 2
	fi
	if ! [[ "$jobs" =~ ^[0-9]+$ ]] || [ "$jobs" -lt 1 ]; then
		echo "run.sh: JOBS must be a positive integer, got '$jobs'; try make fuzz JOBS=$(nproc)" >&2
		exit 2
	fi
	;;
*)
	echo "run.sh: unknown mode '$mode'; use smoke, extract or campaign SECONDS JOBS" >&2
	exit 2
	;;
esac
if ! extract_corpus; then
	echo "fuzz: corpus extraction from spec-vectors failed"
	[ "$mode" = smoke ] && echo "0 passed, 1 failed"
	exit 1
fi
if [ "$mode" = extract ]; then
	exit 0
elif [ "$mode" = smoke ]; then
	smoke
else
	campaign "$secs" "$jobs"
fi
