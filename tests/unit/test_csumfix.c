// SPDX-License-Identifier: BSD-2-Clause
/* test_csumfix.c: rtr_csum_fix_l4 restores every checksum of spec-vector packets; its errors. */
#include "unit.h"

#include "checksum.h"
#include "csumfix.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "rtr_wire.h"

/* spec-vectors/pcap/ans-te-v4-udp.pcap: the UDP probe, then the router's Time Exceeded. */
#define UDP4                                                                                     \
	"4500003d3a7c40000511d4e1cb007114c633640a03fd829b00295e2179029c4d12e712859a4b5591c97989" \
	"2c52ed11536814fa4d0e1be48cf21110f37b"
#define TE4                                                                                      \
	"4500005900000000fa015a5ac6336401cb0071140b005b8d000000004500003d3a7c40000111d8e1cb0071" \
	"14c633640a03fd829b00295e2179029c4d12e712859a4b5591c979892c52ed11536814fa4d0e1be48cf211" \
	"10f37b"
/* spec-vectors/pcap/ans-du-v6-code4.pcap: the TCP SYN probe, then Port Unreachable. */
#define TCP6                                                                                     \
	"600000000018060520010db800050000000000000000002020010db8000c0000000000000000001003fd00" \
	"500badf00d000000006002faf0418f0000020405a0"
#define DU6                                                                                       \
	"6000000000483afa20010db8000c0000000000000000001020010db800050000000000000000002001043c"  \
	"c700000000600000000018060520010db800050000000000000000002020010db8000c00000000000000000" \
	"01003fd00500badf00d000000006002faf0418f0000020405a0"

/* Spoils the IPv4 header checksum and the L4 checksum at l4_off, then expects both restored. */
static void check_restores(const char *hex, size_t l4_off)
{
	uint8_t want[300], pkt[300];
	size_t n = unit_hex(want, sizeof(want), hex);
	memcpy(pkt, want, n);
	if ((pkt[0] >> 4) == 4)
		rtr_put16(pkt + 10, 0xdead);
	rtr_put16(pkt + l4_off, 0xbeef);
	uint8_t *heap = unit_dup(pkt, n); /* ASan: no read past the packet */
	assert_int_equal(rtr_csum_fix_l4(heap, n), RTR_OK);
	assert_memory_equal(heap, want, n);
	free(heap);
}

static void test_vectors_restored(void **state)
{
	(void)state;
	check_restores(UDP4, 20 + 6);
	check_restores(TE4, 20 + 2);
	check_restores(TCP6, 40 + 16);
	check_restores(DU6, 40 + 2);
}

/* Trailing bytes beyond the IP length (Ethernet padding) are neither summed nor touched. */
static void test_trailing_bytes_ignored(void **state)
{
	(void)state;
	uint8_t want[300], pkt[300];
	size_t n = unit_hex(want, sizeof(want), TE4);
	memcpy(pkt, want, n);
	memset(pkt + n, 0xaa, 10);
	rtr_put16(pkt + 22, 0);
	assert_int_equal(rtr_csum_fix_l4(pkt, n + 10), RTR_OK);
	assert_memory_equal(pkt, want, n);
	assert_int_equal(pkt[n + 9], 0xaa);
}

/* IPv4 options are part of the header checksum. */
static void test_v4_options(void **state)
{
	(void)state;
	uint8_t pkt[300];
	size_t n = unit_hex(pkt, sizeof(pkt), UDP4);
	memmove(pkt + 24, pkt + 20, n - 20);
	memset(pkt + 20, 1, 4); /* NOPs */
	pkt[0] = 0x46;
	rtr_put16(pkt + 2, (uint16_t)(n + 4));
	assert_int_equal(rtr_csum_fix_l4(pkt, n + 4), RTR_OK);
	assert_true(rtr_csum_ok(0, pkt, 24));
	struct rtr_ip ip;
	assert_int_equal(rtr_ip_decode(&ip, pkt, n + 4, 0), 24);
	uint32_t ps = rtr_csum_pseudo(4, &ip.src, &ip.dst, RTR_IPPROTO_UDP, (uint32_t)(n - 20));
	assert_true(rtr_csum_ok(ps, pkt + 24, n - 20));
}

/* RFC 768: a UDP checksum that computes to 0 is sent as 0xFFFF (0 means "none"). */
static void test_udp_zero_sent_as_ffff(void **state)
{
	(void)state;
	uint8_t pkt[300];
	size_t n = unit_hex(pkt, sizeof(pkt), UDP4);
	struct rtr_ip ip;
	assert_int_equal(rtr_ip_decode(&ip, pkt, n, 0), 20);
	/* Choose the last payload word so that the checksum computes to 0. */
	uint8_t *udp = pkt + 20;
	size_t ul = n - 20, w = ul - 2 - (ul % 2);
	rtr_put16(udp + 6, 0);
	rtr_put16(udp + w, 0);
	uint32_t ps = rtr_csum_pseudo(4, &ip.src, &ip.dst, RTR_IPPROTO_UDP, (uint32_t)ul);
	uint16_t have = rtr_csum_fold(rtr_csum_add(ps, udp, ul));
	rtr_put16(udp + w, rtr_csum_compensate(have, 0));
	assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_OK);
	assert_int_equal(rtr_get16(udp + 6), 0xffff);
	assert_true(rtr_csum_ok(ps, udp, ul));
}

static void test_errors(void **state)
{
	(void)state;
	uint8_t pkt[300];
	size_t n = unit_hex(pkt, sizeof(pkt), TE4);
	/* Shorter than the IP total length. */
	assert_int_equal(rtr_csum_fix_l4(pkt, n - 1), RTR_E_TRUNCATED);
	assert_int_equal(rtr_csum_fix_l4(pkt, 10), RTR_E_TRUNCATED);
	/* Not IP. */
	pkt[0] = 0x55;
	assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_E_VERSION);
	/* A fragment: the header is fixed, the L4 checksum cannot be. */
	n = unit_hex(pkt, sizeof(pkt), TE4);
	pkt[6] = 0x20; /* MF */
	assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_E_FRAGMENT);
	assert_true(rtr_csum_ok(0, pkt, 20));
	/* Another upper layer (GRE): header fixed, RTR_E_PROTO. */
	n = unit_hex(pkt, sizeof(pkt), TE4);
	pkt[9] = 47;
	assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_E_PROTO);
	assert_true(rtr_csum_ok(0, pkt, 20));
	/* ICMPv6 carried in IPv4 is not a protocol IPv4 has. */
	n = unit_hex(pkt, sizeof(pkt), TE4);
	pkt[9] = RTR_IPPROTO_ICMPV6;
	assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_E_PROTO);
	/* A TCP header too short to hold its checksum field. */
	n = unit_hex(pkt, sizeof(pkt), TCP6);
	rtr_put16(pkt + 4, 10);
	assert_int_equal(rtr_csum_fix_l4(pkt, 50), RTR_E_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_restored),
		cmocka_unit_test(test_trailing_bytes_ignored),
		cmocka_unit_test(test_v4_options),
		cmocka_unit_test(test_udp_zero_sent_as_ffff),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("csumfix", tests, NULL, NULL);
}
