// SPDX-License-Identifier: GPL-2.0-only
// floor.bpf.c: bench-only tc programs: the least work each of the server's paths needs.
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

/* One bucket's state words: what a lookup that finds no session must read at the least. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u32[16]);
} floor_buckets SEC(".maps");

/*
 * An ICMP error that quotes a probe with no session: the least work is to
 * read the quoted identity (IPv4: client address, IP ID, first L4 word),
 * hash it to one bucket and scan its 16 state words for a fingerprint.
 */
SEC("tc")
int floor_miss(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *q = data + 14 + 20 + 8; /* Ethernet, IPv4 without options, ICMP header */
	__u64 h;
	__u32 b, fp, *st;

	if ((void *)(q + 28) > end)
		return TC_ACT_OK;
	h = (*(__u32 *)(q + 16) ^ (__u64) * (__u16 *)(q + 4) << 32 ^ *(__u32 *)(q + 24)) *
	    0x9e3779b97f4a7c15ull;
	b = (__u32)(h >> 40) & 1023;
	fp = (__u32)(h >> 24) & 0xff;
	st = bpf_map_lookup_elem(&floor_buckets, &b);
	if (!st)
		return TC_ACT_OK;
	for (int w = 0; w < 16; w++)
		if ((st[w] >> 8 & 0xff) == fp && (st[w] & 3) == 2)
			floor_sink++;
	return TC_ACT_OK;
}

/* This host's addresses, as the server keeps them (SRV-11): one hash lookup per request. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(key_size, 16);
	__uint(value_size, 1);
} floor_local SEC(".maps");

/* The cost of asking whether an IPv4 destination is local: the hash lookup alone. */
SEC("tc")
int floor_local_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *ip = data + 14;
	__u8 key[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if ((void *)(ip + 20) > end)
		return TC_ACT_OK;
	__builtin_memcpy(key + 12, ip + 16, 4);
	floor_sink += bpf_map_lookup_elem(&floor_local, key) != NULL;
	return TC_ACT_OK;
}

/* The alternative SRV-11 measured against: ask the FIB (as from lo) whether dst is local. */
SEC("tc")
int floor_fib_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *ip = data + 14;
	struct bpf_fib_lookup fib = {};

	if ((void *)(ip + 20) > end)
		return TC_ACT_OK;
	fib.family = 2; /* AF_INET */
	fib.ifindex = 1;
	__builtin_memcpy(&fib.ipv4_src, ip + 12, 4);
	__builtin_memcpy(&fib.ipv4_dst, ip + 16, 4);
	floor_sink += bpf_fib_lookup(skb, &fib, sizeof(fib), 0) == BPF_FIB_LKUP_RET_NOT_FWDED;
	return TC_ACT_OK;
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
