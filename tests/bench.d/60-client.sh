#!/usr/bin/env bash
# 60-client.sh: rtr-client trace wall time and probes against traceroute (see tests/client/bench.sh).
exec bash "$(dirname "$0")/../client/bench.sh"
