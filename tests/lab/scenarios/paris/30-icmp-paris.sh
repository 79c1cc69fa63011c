#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 30-icmp-paris.sh: with the tc L4 hash on r1 and r3, ICMP echo flows (tracelb icmp-echo varies
# the checksum per flow) must find every branch of the truth, exactly as UDP flows do.
RTR_LAB_TRACELB_METHOD=icmp-echo exec bash "$(dirname "$0")/../any/20-tracelb-truth.sh"
