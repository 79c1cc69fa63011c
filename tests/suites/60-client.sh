#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 60-client.sh: rtr-client: engine unit tests (scripted packets), CLI misuse, live netns traces
# (forward alone, reverse and two-way against rtr-server, every rtr-lab topology, campaigns).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
rc=0
tests=()
for src in tests/client/test_*.c; do
	tests+=("build/san/tests/client/$(basename "$src" .c)")
done
make -s build/bin/rtr-client build/san/bin/rtr-client "${tests[@]}" || { echo "0 passed, 1 failed"; exit 1; }
for t in "${tests[@]}"; do
	timeout 120 "$t" 2>&1 || rc=1
done
# CLI misuse fails before any socket; in an empty namespace the resolver fails at once.
if [ "$(id -u)" -eq 0 ]; then
	timeout 120 unshare --net bash -c 'ip link set lo up && bash tests/client/cli.sh' || rc=1
	timeout 600 bash tests/client/live.sh || rc=1
	# Reverse and two-way traces need the server, the lab topologies rtr-lab: built here,
	# like any dependency.
	if make -s build/bin/rtr-server build/bin/rtr-lab; then
		timeout 600 bash tests/client/live-server.sh || rc=1
		timeout 900 bash tests/client/lab.sh || rc=1
		timeout 300 bash tests/client/campaign.sh || rc=1
	else
		echo "rtr-server or rtr-lab does not build: 0 passed, 1 failed"
		echo "0 passed, 1 failed"
		rc=1
	fi
else
	timeout 120 bash tests/client/cli.sh || rc=1
	echo "live netns tests need root: 0 passed, 1 failed"
	echo "0 passed, 1 failed"
	rc=1
fi
exit $rc
