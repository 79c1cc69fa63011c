// SPDX-License-Identifier: GPL-2.0-only
// unknown_helper.bpf.c: test-only BPF object: the real program plus a call to a helper no kernel
// has.
/*
 * Same maps, globals and programs as rtr.bpf.c, plus a program calling helper
 * id 9999, which is what a kernel older than a helper it is asked for sees:
 * the verifier answers "invalid func unknown#9999". Built only into
 * build/san/tests/bpf/rtr-server-nohelper.
 */
#include "rtr.bpf.c"

static long (*const rtr_test_missing_helper)(void) = (void *)9999;

SEC("tc")
int rtr_test_nohelper(struct __sk_buff *skb)
{
	return rtr_test_missing_helper() ? TC_ACT_SHOT : RTR_PASS;
}
