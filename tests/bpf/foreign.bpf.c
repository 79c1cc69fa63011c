// SPDX-License-Identifier: GPL-2.0-only
// foreign.bpf.c: a tc program that is not rtr-server's, for life-lab.sh: counts and passes on.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define TC_ACT_UNSPEC (-1) /* not in vmlinux.h: uapi macros; the next filter decides */

char LICENSE[] SEC("license") = "GPL";

volatile __u64 foreign_seen;

SEC("tc")
int foreign_pass(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&foreign_seen, 1);
	return TC_ACT_UNSPEC;
}
