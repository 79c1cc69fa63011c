#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 40-bpf.sh: the eBPF server: every tests/bpf/test_*.c (BPF_PROG_TEST_RUN, differential), the
# live netns lab and the command line (root).
#
#   BPF_PROG_TEST_RUN tests run in the throwaway namespace of tests/bpf/testns.sh
#   (they transmit what the program redirects); live-lab.sh and life-lab.sh build their own labs.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
B=build/san/tests/bpf

t_root || t_skip_all "BPF programs and namespaces need root"
[ -r /sys/kernel/btf/vmlinux ] || t_skip_all "the kernel has no BTF (/sys/kernel/btf/vmlinux)"

. tests/bpf/testns.sh

# Every tests/bpf/test_*.c is a cmocka binary (server-bpf/build.mk builds each one).
# Those that play the spec vectors need the vectors' server addresses on this host (or their
# requests are transit); the others run without them.
vector_addrs() { # add|del
	if [ "$1" = add ]; then
		nsx ip addr add 203.0.113.20/32 dev rtrt0
		nsx ip -6 addr add 2001:db8:5::20/128 dev rtrt0 nodad
	else
		nsx ip addr del 203.0.113.20/32 dev rtrt0
		nsx ip -6 addr del 2001:db8:5::20/128 dev rtrt0
	fi
}
for src in tests/bpf/test_*.c; do
	t=$(basename "$src" .c)
	case $t in test_cost | test_vectors) vector_addrs add ;; esac
	t_run "$t" timeout 300 ip netns exec "$NS" "$B/$t"
	case $t in test_cost | test_vectors) vector_addrs del ;; esac
done
t_run live-lab timeout 300 bash tests/bpf/live-lab.sh
t_run kernel-opts timeout 180 bash tests/bpf/kernel-opts.sh
t_run cli timeout 300 bash tests/bpf/cli.sh
t_run life-lab timeout 300 bash tests/bpf/life-lab.sh
t_done
