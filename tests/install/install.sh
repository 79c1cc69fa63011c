#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# install.sh: the shipped data (ENDPOINTS, conform.topo, lab topologies) is found by rtr-client,
# rtr-conform and rtr-lab from the build tree, after make install PREFIX=<scratch>, after
# make install DESTDIR=<scratch> (PREFIX never created), after moving an installed tree, and
# through RTR_DATADIR; make install also installs the documents the man pages point at.
# Prints "N passed, N failed". Needs no root: nothing is written outside a scratch directory.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
ROOT=$PWD
S=$(mktemp -d)
t_on_exit 'rm -rf "$S"'
# try WHAT CMD...: CMD succeeds (what it printed is shown when it does not).
try() {
	local what=$1; shift
	if "$@" >"$S/out" 2>"$S/err"; then ok "$what"; else
		fail "$what: $(head -c 300 "$S/err") $(head -c 300 "$S/out")"; fi
}
SERVERS="hsa-playground bcix globalways ffmuc inet6space "
# lists BIN: BIN --list-endpoints, run from / (no source tree around), names every shipped server.
lists() { [ "$(cd / && "$1" --list-endpoints | awk '{ print $1 }' | tr '\n' ' ')" = "$SERVERS" ]; }
# finds_all DIR: the client, the conformance checker and the lab tool of DIR find their data in
# DIR/share/rtr (the installed tree, wherever it is now).
finds_all() {
	local d=$1 real; real=$(realpath "$d")
	lists "$d/bin/rtr-client" &&
		(cd / && "$d/sbin/rtr-conform" --help) | grep -qxF "Default topology: $real/share/rtr/conform.topo" &&
		(cd / && "$d/sbin/rtr-lab" check diamond) | grep -q "^$real/share/rtr/topologies/diamond.topo: ok: 6 nodes"
}

make -s build/bin/rtr-client build/san/bin/rtr-client build/bin/rtr-conform build/bin/rtr-lab >/dev/null ||
	t_abort "the programs do not build"

# 1. From a clone: both build trees.
try "build/bin/rtr-client --list-endpoints from /" lists "$ROOT/build/bin/rtr-client"
try "build/san/bin/rtr-client --list-endpoints from /" lists "$ROOT/build/san/bin/rtr-client"
try "build/bin/rtr-conform finds conform.topo" bash -c \
	"cd / && '$ROOT/build/bin/rtr-conform' --help | grep -qxF 'Default topology: $ROOT/build/share/rtr/conform.topo'"

# 2. make install PREFIX=<scratch>, then the tree moved elsewhere.
try "make install PREFIX" make -s install PREFIX="$S/p1"
try "installed under PREFIX" finds_all "$S/p1"
mv "$S/p1" "$S/moved"
try "installed tree moved" finds_all "$S/moved"
try "docs installed (the man pages name PREFIX/share/doc/rtr/LAB.md)" bash -c \
	"[ -s '$S/moved/share/doc/rtr/LAB.md' ] && [ -s '$S/moved/share/doc/rtr/PROTOCOL.md' ] &&
	 grep -q 'share/doc/rtr/LAB.md' '$S/moved/share/man/man8/rtr-lab.8'"

# 3. make install DESTDIR=<scratch> PREFIX=/opt/...: runs from the staging tree, PREFIX absent.
try "make install DESTDIR" make -s install DESTDIR="$S/stage" PREFIX=/opt/rtr-install-test
[ -e /opt/rtr-install-test ] && fail "DESTDIR install wrote /opt/rtr-install-test"
try "installed under DESTDIR" finds_all "$S/stage/opt/rtr-install-test"

# 4. RTR_DATADIR wins, and an override without the file is a clear error, not a silent fallback.
mkdir -p "$S/data" && printf 'only 192.0.2.1 the override\n' >"$S/data/ENDPOINTS"
try "RTR_DATADIR override" bash -c \
	"RTR_DATADIR='$S/data' '$S/moved/bin/rtr-client' --list-endpoints | grep -q '^only '"
RTR_DATADIR=$S/none "$S/moved/bin/rtr-client" --list-endpoints >"$S/out" 2>"$S/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$S/err")" -eq 1 ] && [ ! -s "$S/out" ] &&
	grep -qF "rtr-client: no servers list: $S/none/ENDPOINTS is not readable" "$S/err"; then
	ok "RTR_DATADIR without ENDPOINTS: one line, status 1"
else
	fail "RTR_DATADIR without ENDPOINTS: rc $rc $(cat "$S/err")"
fi
try "RTR_DATADIR for rtr-conform" bash -c \
	"RTR_DATADIR='$S/none' '$S/moved/sbin/rtr-conform' --help | grep -qxF 'Default topology: $S/none/conform.topo (not readable)'"
t_done install
