#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 61-campaign.sh: rtr-client campaign rate and wall time (see tests/client/bench_campaign.sh).
exec bash "$(dirname "$0")/../client/bench_campaign.sh"
