#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# install-deps.sh: installs the exact Debian 12 packages rtr builds, tests and runs with (idempotent).
set -euo pipefail
pkgs=(
	build-essential pkg-config git
	clang llvm lld libclang-rt-14-dev      # BPF objects, libFuzzer, sanitizers
	libbpf-dev bpftool libelf-dev zlib1g-dev # the eBPF server and its loader
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev # rtr-lab
	libpcap-dev libcmocka-dev libjson-c-dev libcurl4-openssl-dev
	iproute2 iputils-ping traceroute scamper tcpdump nftables graphviz ethtool jq python3-jsonschema openssl
	clang-format valgrind
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
