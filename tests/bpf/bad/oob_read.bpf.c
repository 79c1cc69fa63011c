// SPDX-License-Identifier: GPL-2.0-only
// oob_read.bpf.c: test-only BPF object: the real program plus one that reads past the packet end.
/*
 * Same maps, globals and programs as rtr.bpf.c (so the loader's skeleton code
 * compiles unchanged), plus a program the real verifier must refuse with
 * "invalid access to packet". Built only into build/san/tests/bpf/rtr-server-oob_read.
 */
#include "rtr.bpf.c"

SEC("tc")
int rtr_test_oob(struct __sk_buff *skb)
{
	__u8 *data = (__u8 *)(long)skb->data;
	__u8 *end = (__u8 *)(long)skb->data_end;

	if (data + 14 > end)
		return RTR_PASS;
	/* Byte 20 is past the 14 bytes just checked: the verifier must say no. */
	return data[20] ? TC_ACT_SHOT : RTR_PASS;
}
