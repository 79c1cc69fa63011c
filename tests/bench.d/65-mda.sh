#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 65-mda.sh: multipath probes and wall time against scamper tracelb (see tests/mda/bench.sh).
exec bash "$(dirname "$0")/../mda/bench.sh"
