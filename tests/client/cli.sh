#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# cli.sh: every misuse of rtr-client gives exactly one clear line on stderr and a non-zero exit.
# Needs no privileges and no network: each case fails before any socket is opened.
set -uo pipefail
. "$(dirname "$0")/../lib/t.sh"
BIN=${RTR_CLIENT:-build/san/bin/rtr-client}
out=$(mktemp) err=$(mktemp)
t_on_exit 'rm -f "$out" "$err"'

# expect CODE PATTERN ARGS...: exit status CODE, nothing on stdout, one stderr line matching PATTERN.
expect() {
	local code=$1 pat=$2; shift 2
	timeout 10 "$BIN" "$@" >"$out" 2>"$err" </dev/null
	local rc=$? lines; lines=$(wc -l <"$err")
	if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && [ ! -s "$out" ] &&
		grep -q -- "$pat" "$err" && grep -q '^rtr-client: ' "$err"; then
		ok
	else
		fail "rtr-client $* -> rc $rc (want $code), $lines stderr lines: $(head -c 300 "$err")"
	fi
}

T=203.0.113.9
expect 2 'missing arguments' 
expect 2 'missing arguments' forward udp singlepath
expect 2 'too many arguments' forward udp singlepath $T extra
expect 2 "unknown direction 'sideways'" sideways udp singlepath $T
expect 2 "unknown protocol 'sctp'" forward sctp singlepath $T
expect 2 "unknown method 'allpaths'" forward udp allpaths $T
expect 2 "--alpha '0' is not a probability" -a 0 forward udp multipath $T
expect 2 "--alpha '1' is not a probability" --alpha 1 two-way icmp multipath $T
expect 2 "--max-probes '0' is not a number" --max-probes 0 forward udp multipath $T
expect 2 '^rtr-client: -q has no meaning with multipath: the stopping rule decides probes per hop; use -a$' -q 3 forward udp multipath $T
expect 2 '-q has no meaning with multipath' two-way tcp multipath $T --probes 1
expect 2 "--time-limit 'x' is not a number" --time-limit x reverse tcp multipath $T
expect 2 'are for multipath' -a 0.01 forward udp singlepath $T
expect 2 'unknown option --bogus' --bogus forward udp singlepath $T
expect 2 'unknown option -z' -z forward udp singlepath $T
expect 2 'option --flow needs a value' forward udp singlepath $T --flow
expect 2 'option -q needs a value' forward udp singlepath $T -q
expect 2 "--flow '0' is not a number in 1-65535" --flow 0 forward udp singlepath $T
expect 2 "--flow '65536' is not a number in 1-65535" --flow 65536 forward udp singlepath $T
expect 2 "--flow 'x' is not a number" --flow x forward udp singlepath $T
expect 2 "--probes '0' is not a number in 1-10" -q 0 forward udp singlepath $T
expect 2 "--probes '11' is not a number in 1-10" --probes 11 forward udp singlepath $T
expect 2 "--first-ttl '0'" --first-ttl 0 forward udp singlepath $T
expect 2 "--max-ttl '256'" --max-ttl 256 forward udp singlepath $T
expect 2 "--max-ttl '-1'" --max-ttl -1 forward udp singlepath $T
expect 2 '--first-ttl is larger than --max-ttl' --first-ttl 9 --max-ttl 3 forward udp singlepath $T
expect 2 "--wait '0'" --wait 0 forward udp singlepath $T
expect 2 "--wait 'nan'" --wait nan forward udp singlepath $T
expect 2 "--rate '0'" --rate 0 forward udp singlepath $T
expect 2 "--gap-limit '300'" --gap-limit 300 forward udp singlepath $T
expect 2 "--parallel '0'" --parallel 0 forward udp singlepath $T
expect 2 "--format 'xml' is unknown" --format xml forward udp singlepath $T
expect 2 '-4 and -6 exclude each other' -4 -6 forward udp singlepath $T
expect 2 'is not an IPv6 address' -6 forward udp singlepath $T
expect 2 'is not an IPv4 address' -4 forward udp singlepath 2001:db8::9
expect 2 "--interface 'averyveryverylongname'" -i averyveryverylongname forward udp singlepath $T
expect 2 '-s nonsense is not an IP address' -s nonsense forward udp singlepath $T
expect 2 'different address families' -s 2001:db8::1 forward udp singlepath $T
# Raw sockets could send any source; rtr-client sends only its own.
expect 2 '-s 198.51.100.77 is not an address of this host' -s 198.51.100.77 forward udp singlepath $T
expect 2 'empty TARGET' forward udp singlepath ''
expect 2 "--transmit 'ftp://x' is not an http:// or https:// URL" --transmit ftp://x forward udp singlepath $T
expect 2 "--transmit 'http://' is not" --transmit http:// forward udp singlepath $T
expect 2 '-y only confirms --transmit' -y forward udp singlepath $T
expect 2 '--cacert is for --transmit' --cacert /etc/hosts forward udp singlepath $T
# Both before the trace (issue 13): nobody to answer the question, a CA file that cannot be read.
expect 2 '^rtr-client: --transmit asks before sending, but stdin is not a terminal: add -y to send without asking$' \
	--transmit http://127.0.0.1:9/x forward udp singlepath $T
expect 1 '^rtr-client: cannot read --cacert /nonexistent/ca.pem: No such file or directory$' \
	-y --cacert /nonexistent/ca.pem --transmit https://127.0.0.1:9/x forward udp singlepath $T
expect 1 'cannot resolve TARGET no-such-host.invalid' forward udp singlepath no-such-host.invalid

# Endpoints: listing, and every way an ENDPOINTS file can be wrong.
EP=$(mktemp -d)
t_on_exit 'rm -rf "$EP"'
printf '# comment\n\nlab1 203.0.113.9 the lab target\n  lab6\t2001:db8::9\n' >"$EP/ok"
printf 'lab1 203.0.113.9\nlonely\n' >"$EP/short"
printf 'a 203.0.113.9\na 203.0.113.10\n' >"$EP/twice"
expect 1 "cannot read endpoints file $EP/none" --list-endpoints --endpoints "$EP/none"
expect 1 "$EP/short:2: expected NAME HOST" --list-endpoints --endpoints "$EP/short"
expect 1 "$EP/twice:2: endpoint a is listed twice" --list-endpoints --endpoints "$EP/twice"
expect 1 "$EP/short:2: expected NAME HOST" --endpoints "$EP/short" forward udp singlepath lab1
# A file that never ends (a device of NUL bytes, a pipe of comment lines) gets an answer, not a hang.
expect 1 "/dev/zero:1: NUL byte" --list-endpoints --endpoints /dev/zero
expect 1 "/dev/fd/[0-9]*: file larger than 1 MiB" --list-endpoints --endpoints <(yes '# comment')
printf 'lab1 203.0.113.9\nx\0y 198.51.100.1\n' >"$EP/nul"
expect 1 "$EP/nul:2: NUL byte" --list-endpoints --endpoints "$EP/nul"
# A listing never sends a terminal escape sequence from the file.
printf 'lab1 203.0.113.9 clear \033[2J\n' >"$EP/esc"
expect 1 "$EP/esc:1: control character 0x1b" --list-endpoints --endpoints "$EP/esc"
expect 2 "--list-endpoints takes no other arguments: drop 'forward'" --list-endpoints forward
if [ "$("$BIN" --list-endpoints --endpoints "$EP/ok" 2>"$err")" = \
	"$(printf '%-20s %-40s %s\n%-20s %s' lab1 203.0.113.9 'the lab target' lab6 2001:db8::9)" ] &&
	[ ! -s "$err" ]; then
	ok
else
	fail "--list-endpoints"
fi
# The shipped file parses and lists every server it names.
if [ "$("$BIN" --list-endpoints --endpoints client/ENDPOINTS | awk '{ print $1 }' | tr '\n' ' ')" = \
	"hsa-playground bcix globalways ffmuc inet6space " ]; then
	ok
else
	fail "shipped ENDPOINTS"
fi
# An endpoint NAME as TARGET resolves to its HOST (-6 proves which one was taken).
expect 2 'TARGET 2001:db8::9 is not an IPv4 address' -4 --endpoints "$EP/ok" forward udp singlepath lab6

# --help and --version succeed, print to stdout only.
if "$BIN" --help 2>"$err" | grep -q '^Usage: rtr-client' && [ ! -s "$err" ]; then
	ok
else
	fail "--help"
fi
if [ "$("$BIN" --version 2>"$err")" = "rtr-client 0.1.0" ] && [ ! -s "$err" ]; then
	ok
else
	fail "--version"
fi
t_done cli
