#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 10-proto.sh: ns per proto/ encode and decode of every message type, each with an in-run rtr_csum baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/rel/tests/bench/proto_bench
if [ ! -x "$bin" ]; then
	echo "10-proto: $bin is not built; run make bench" >&2
	exit 1
fi
exec "$bin"
