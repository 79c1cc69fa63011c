// SPDX-License-Identifier: GPL-2.0-only
/* bpf/stats.h: per-CPU counters, the --log event ring and the drop verdict. */
#ifndef RTR_BPF_STATS_H
#define RTR_BPF_STATS_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps: uses the
 * counters and events maps and cfg_log.
 */

static __always_inline void count(int idx, __u64 n)
{
	__u32 zero = 0;
	struct rtr_counters *c = bpf_map_lookup_elem(&counters, &zero);
	__u64 i = (__u32)idx;

	/* A 64-bit bound on the very register that indexes (alu32 code checks a copy). */
	if (!c || i >= RTR_C_MAX)
		return;
	vbound(i, 0x1f);
	if (i < RTR_C_MAX)
		c->c[i] += n;
}

static __always_inline void log_event(__u8 kind, const __u8 *addr, const __u8 *hop, __u16 ident,
				      __u8 proto, __u32 value)
{
	struct rtr_event *e;

	if (!cfg_log)
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return;
	e->ts_ns = bpf_ktime_get_ns();
	__builtin_memcpy(e->addr, addr, 16);
	if (hop)
		__builtin_memcpy(e->hop, hop, 16);
	else
		__builtin_memset(e->hop, 0, 16);
	e->value = value;
	e->ident = ident;
	e->kind = kind;
	e->proto = proto;
	/* The loader polls on a timer: a wake-up per packet would cost a VM exit. */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

static __always_inline int drop(int reason)
{
	count(reason, 1);
	return TC_ACT_SHOT;
}

#endif
