#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 60-client.sh: rtr-client: every tests/client/test_*.c (engine tests on scripted packets), CLI
# misuse, and as root the live netns traces (forward alone, reverse and two-way against
# rtr-server, every rtr-lab topology, the server on a router, campaigns).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
mapfile -t tests < <(t_bins tests/client)
make -s build/bin/rtr-client build/san/bin/rtr-client "${tests[@]}" || t_abort "rtr-client or its tests do not build"
for t in "${tests[@]}"; do
	t_run "$(basename "$t")" timeout 120 "$t"
done
# CLI misuse fails before any socket; in an empty namespace the resolver fails at once.
if t_root; then
	t_run cli timeout 120 unshare --net bash -c 'ip link set lo up && bash tests/client/cli.sh'
	# Every lab comes from rtr-lab, reverse and two-way traces need the server: built here,
	# like any dependency.
	if make -s build/bin/rtr-server build/bin/rtr-lab; then
		t_run live timeout 600 bash tests/client/live.sh
		t_run live-server timeout 600 bash tests/client/live-server.sh
		t_run lab timeout 900 bash tests/client/lab.sh
		t_run router timeout 300 bash tests/client/router.sh
		t_run campaign timeout 300 bash tests/client/campaign.sh
	else
		fail "rtr-server or rtr-lab does not build"
	fi
else
	t_run cli timeout 120 bash tests/client/cli.sh
	skip "live netns traces (live.sh, live-server.sh, lab.sh, router.sh, campaign.sh): need root"
fi
t_done
