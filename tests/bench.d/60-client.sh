#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 60-client.sh: rtr-client trace wall time and probes against traceroute (see tests/client/bench.sh).
exec bash "$(dirname "$0")/../client/bench.sh"
