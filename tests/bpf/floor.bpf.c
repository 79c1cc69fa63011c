// SPDX-License-Identifier: GPL-2.0-only
// floor.bpf.c: bench-only tc programs that call just the helpers the server's two paths need.
/*
 * What a request -> probe and an answer -> response cost at the least on this
 * machine: the same helper calls as the server makes, with no parsing, table
 * or packet writing. skb->cb[0] carries the frame length the real path makes
 * (set by tests/bpf/bench_prog.c from a real probe and response). floor_calls
 * makes 8 BPF-to-BPF calls, the price of the server's global functions.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define TC_ACT_OK 0 /* not in vmlinux.h: uapi macros */
#define TC_ACT_SHOT 2

char LICENSE[] SEC("license") = "GPL";

volatile __u64 floor_sink;

/* The server's resize: grown into headroom, shrunk at the tail (rtr.bpf.c resize()). */
static __always_inline int resize(struct __sk_buff *skb, __u32 want)
{
	__u32 cur = skb->len;

	if (want > cur)
		return bpf_skb_adjust_room(skb, (__s32)(want - cur), BPF_ADJ_ROOM_MAC, 0);
	if (want < cur)
		return bpf_skb_change_tail(skb, want, 0);
	return 0;
}

SEC("tc")
int floor_request(struct __sk_buff *skb)
{
	floor_sink = bpf_ktime_get_ns();
	floor_sink += bpf_get_prandom_u32();
	floor_sink += bpf_get_prandom_u32();
	if (resize(skb, skb->cb[0]))
		return TC_ACT_SHOT;
	return bpf_redirect(skb->ifindex, 0);
}

SEC("tc")
int floor_answer(struct __sk_buff *skb)
{
	floor_sink = bpf_ktime_get_ns();
	if (resize(skb, skb->cb[0]))
		return TC_ACT_SHOT;
	return bpf_redirect(skb->ifindex, 0);
}

__noinline int floor_step(struct __sk_buff *skb, int x)
{
	if (!skb)
		return 0;
	return x + 1;
}

SEC("tc")
int floor_calls(struct __sk_buff *skb)
{
	int v = 0;

	for (int i = 0; i < 8; i++)
		v = floor_step(skb, v);
	floor_sink = v;
	return TC_ACT_OK;
}
