#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 40-bpf.sh: the eBPF server: every tests/bpf/test_*.c (BPF_PROG_TEST_RUN, differential), the
# live netns lab and the command line (root).
#
#   BPF_PROG_TEST_RUN tests run in the throwaway namespace of tests/bpf/testns.sh
#   (they transmit what the program redirects); live-lab.sh builds its own lab.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/t.sh
B=build/san/tests/bpf

t_root || t_skip_all "BPF programs and namespaces need root"
[ -r /sys/kernel/btf/vmlinux ] || t_skip_all "the kernel has no BTF (/sys/kernel/btf/vmlinux)"

. tests/bpf/testns.sh

# Every tests/bpf/test_*.c is a cmocka binary (server-bpf/build.mk builds each one).
for src in tests/bpf/test_*.c; do
	t=$(basename "$src" .c)
	t_run "$t" timeout 300 ip netns exec "$NS" "$B/$t"
done
t_run live-lab timeout 300 bash tests/bpf/live-lab.sh
t_run cli timeout 120 bash tests/bpf/cli.sh
t_done
