// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_conform.c: rtr-conform's capture reader, classifiers and checks on arbitrary frames. */
/* fuzz-sources: conform/wire.c conform/observe.c conform/checks.c conform/report.c */
/* fuzz-cflags: -Iconform */
/* fuzz-libs: -lpcap -ljson-c */
#include "checks.h"
#include "fuzz.h"
#include "fuzz_pcap.h"
#include "ip.h"
#include "response.h"

/*
 * Input: byte 0 selects, the rest is records (fuzz_pcap.h) that become an Ethernet capture,
 * read through rtr-conform's own wire_cap_read (a pcap_t from fmemopen in its wire_cap).
 *   bit 0     the checks expect IPv6 (else IPv4)
 *   bits 1-2  the probe protocol the checks expect: UDP, TCP, the family's ICMP, UDP
 *   bit 3     look for a response to another identifier than the packet's, and for a probe
 *             of any flow instead of the packet's
 *   bit 4     recompute each packet's checksums before framing
 *   bit 5     look for probes from another server address than the packet's source
 *   bits 6-7  the response state the checks expect
 *
 * Properties:
 *  - wire_cap_read returns exactly the records whose frame has 14 bytes and an IPv4 or IPv6
 *    EtherType, in order, each with the frame's bytes after the Ethernet header (at most 2048),
 *    its length and its capture time in ns; then -1 at the file's end;
 *  - obs_is_response agrees with an independent reading (IP of the family, not a fragment,
 *    ICMP(v6) Echo Reply code 1 with that identifier, 8 bytes) and then carries
 *    rtr_response_decode's verdict; obs_is_probe_for (a probe of any legal shape for a
 *    protocol and flow) agrees with an independent reading;
 *  - check_probe, check_response and shape_note (rtr's profile of a probe) give the same
 *    reasons whatever lies in the packet buffer past the captured length (they read only the
 *    packet), and the reasons are printable.
 */

/* The sequence number of the request a response is checked against. */
#define REQ_SEQ 0x8123

enum {
	SEL_V6 = 1 << 0,
	SEL_PROTO = 3 << 1,
	SEL_OTHER_IDENT = 1 << 3,
	SEL_FIX = 1 << 4,
	SEL_OTHER_SRC = 1 << 5,
};

static void fam_addrs(struct fam_addrs *a, bool v6)
{
	struct rtr_l3 l3;
	fuzz_l3(&l3, v6);
	memset(a, 0, sizeof(*a));
	a->client = l3.src;
	a->server = l3.dst;
	a->r1in = l3.src;
	a->r1out = l3.dst;
	a->r1in.b[15] ^= 1;
	a->r1out.b[15] ^= 1;
}

static void printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	FUZZ_CHECK(n < cap);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((uint8_t)s[i] >= 0x20 && s[i] != 0x7f);
}

/* The reference reading of "a response to ident" (observe.h). */
static bool ref_is_response(const struct wire_pkt *p, int family, uint16_t ident)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0 || ip.family != family || ip.fragment)
		return false;
	if (ip.proto != (family == 4 ? 1 : 58))
		return false;
	const uint8_t *icmp = p->data + h;
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	return l4 >= 8 && icmp[0] == (family == 4 ? 0 : 129) && icmp[1] == 1 &&
	       rtr_get16(icmp + 4) == ident;
}

/* Runs a check with the bytes past the packet set to fill, into r. */
static void probe_with(struct wire_pkt *p, uint8_t fill, const struct fam_addrs *a, int family,
		       uint8_t proto, struct result *r)
{
	memset(p->data + p->len, fill, sizeof(p->data) - p->len);
	memset(r, 0, sizeof(*r));
	check_probe(r, p, a, family, proto, 33435, 5);
}

static void response_with(struct wire_pkt *p, uint8_t fill, const struct fam_addrs *a, int family,
			  uint16_t ident, int state, struct result *r)
{
	struct seen_rsp s;
	memset(p->data + p->len, fill, sizeof(p->data) - p->len);
	memset(r, 0, sizeof(*r));
	if (obs_is_response(p, family, ident, &s))
		check_response(r, &s, a, REQ_SEQ, state, 0, &a->r1out, 1000000000ull);
}

/* rtr's profile of the packet as a probe of proto, with the bytes past it set to fill. */
static void shape_with(struct wire_pkt *p, uint8_t fill, int family, uint8_t proto,
		       struct conform *c)
{
	memset(p->data + p->len, fill, sizeof(p->data) - p->len);
	memset(c->shape, 0, sizeof(c->shape));
	shape_note(c, "fuzz", p, family, proto);
}

/* The reference reading of "a probe for (proto, flow)" (observe.h), field by field. */
static bool ref_is_probe_for(const struct wire_pkt *p, const struct fam_addrs *a, uint8_t proto,
			     int flow)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0 || ip.fragment || ip.proto != proto)
		return false;
	if (!rtr_addr_eq(&ip.src, &a->server) || !rtr_addr_eq(&ip.dst, &a->client))
		return false;
	const uint8_t *l4 = p->data + h;
	size_t n = rtr_ip_l4_len(&ip, p->len);
	bool flow_ok = n >= 4 && (flow < 0 || rtr_get16(l4 + 2) == flow);
	switch (proto) {
	case 17:
		return n >= 8 && flow_ok;
	case 6:
		/* SYN set; ACK (0x10) and RST (0x04) clear. */
		return n >= 20 && flow_ok && (l4[13] & 0x16) == 0x02;
	default:
		return n >= 8 && flow_ok && l4[0] == (ip.family == 4 ? 8 : 128);
	}
}

static void one_packet(struct wire_pkt *p, uint8_t sel)
{
	static struct result r1, r2;
	static struct conform c1, c2;
	struct fam_addrs a;
	int family = sel & SEL_V6 ? 6 : 4;
	fam_addrs(&a, family == 6);

	/* Responses: the packet's own identifier (or another one), as a client would wait. */
	uint16_t ident = 0;
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h >= 0 && (size_t)h + 6 <= p->len)
		ident = rtr_get16(p->data + h + 4);
	if (sel & SEL_OTHER_IDENT)
		ident ^= 0x8001;
	struct seen_rsp s;
	bool is = obs_is_response(p, family, ident, &s);
	FUZZ_CHECK(is == ref_is_response(p, family, ident));
	if (is) {
		struct rtr_response rsp;
		struct rtr_l3 l3 = {.family = (uint8_t)family, .src = s.ip.src, .dst = s.ip.dst};
		size_t l4 = rtr_ip_l4_len(&s.ip, p->len);
		int err = rtr_response_decode(&rsp, &l3, p->data + h, l4);
		FUZZ_CHECK(s.err == err && s.icmp_len == l4 && s.ts_ns == p->ts_ns);
		FUZZ_CHECK(err < 0 || (rsp.state == s.rsp.state && rsp.value == s.rsp.value &&
				       rsp.seq == s.rsp.seq));
		char text[256];
		describe_response(&s, REQ_SEQ, text, sizeof(text));
		printable(text, sizeof(text));
	}
	int state = sel >> 6;
	response_with(p, 0x00, &a, family, ident, state, &r1);
	response_with(p, 0xFF, &a, family, ident, state, &r2);
	FUZZ_CHECK(!strcmp(r1.detail, r2.detail));
	printable(r1.detail, sizeof(r1.detail));

	/*
	 * Probes of any shape: the packet's own addresses (or another source), its own flow
	 * field or any flow.
	 */
	static const uint8_t protos[4][2] = {{17, 17}, {6, 6}, {1, 58}, {17, 17}};
	uint8_t proto = protos[(sel & SEL_PROTO) >> 1][family == 6];
	struct fam_addrs pa = a;
	int flow = -1;
	if (h >= 0) {
		pa.server = ip.src;
		pa.client = ip.dst;
		if ((size_t)h + 4 <= p->len && !(sel & SEL_OTHER_IDENT))
			flow = rtr_get16(p->data + h + 2);
	}
	if (sel & SEL_OTHER_SRC)
		pa.server.b[15] ^= 0x80;
	FUZZ_CHECK(obs_is_probe_for(p, &pa, proto, flow) == ref_is_probe_for(p, &pa, proto, flow));
	shape_with(p, 0x00, family, proto, &c1);
	shape_with(p, 0xFF, family, proto, &c2);
	FUZZ_CHECK(!memcmp(c1.shape, c2.shape, sizeof(c1.shape)));
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < 3; i++)
			printable(c1.shape[f][i].first, sizeof(c1.shape[f][i].first));
	probe_with(p, 0x00, &a, family, proto, &r1);
	probe_with(p, 0xFF, &a, family, proto, &r2);
	FUZZ_CHECK(!strcmp(r1.detail, r2.detail));
	printable(r1.detail, sizeof(r1.detail));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wire_pkt pkt;
	char errbuf[PCAP_ERRBUF_SIZE];
	struct fuzz_cap b = {0};
	uint8_t sel;
	size_t len;

	uint8_t *msg = fuzz_take(data, size, &sel, &len);
	if (!msg)
		return 0;
	fuzz_cap_build(&b, DLT_EN10MB, sel & SEL_FIX, msg, len);
	free(msg);
	FILE *f = fmemopen(b.buf, b.len, "r");
	FUZZ_CHECK(f != NULL);
	struct wire_cap cap = {.p = pcap_fopen_offline(f, errbuf), .fd = -1};
	FUZZ_CHECK(cap.p != NULL);

	unsigned next = 0;
	int rc;
	while ((rc = wire_cap_read(&cap, &pkt)) == 1) {
		/* The next record that carries IP in a whole Ethernet header. */
		while (next < b.records) {
			const uint8_t *fr = b.buf + b.frame_at[next];
			uint32_t fl = b.frame_len[next];
			if (fl >= 14 &&
			    (rtr_get16(fr + 12) == 0x0800 || rtr_get16(fr + 12) == 0x86dd))
				break;
			next++;
		}
		FUZZ_CHECK(next < b.records);
		const uint8_t *fr = b.buf + b.frame_at[next];
		size_t want = b.frame_len[next] - 14;
		if (want > sizeof(pkt.data))
			want = sizeof(pkt.data);
		FUZZ_CHECK(pkt.len == want && !memcmp(pkt.data, fr + 14, want));
		FUZZ_CHECK(pkt.ts_ns == (uint64_t)b.ts_ms[next] * 1000000ull);
		next++;
		one_packet(&pkt, sel);
	}
	/* A file's end is PCAP_ERROR_BREAK, which wire_cap_read reports as -1 (a live capture,
	 * the only kind rtr-conform opens, never ends); every record must have been seen. */
	FUZZ_CHECK(rc == -1);
	for (; next < b.records; next++) {
		const uint8_t *fr = b.buf + b.frame_at[next];
		FUZZ_CHECK(b.frame_len[next] < 14 ||
			   (rtr_get16(fr + 12) != 0x0800 && rtr_get16(fr + 12) != 0x86dd));
	}
	wire_cap_close(&cap);
	free(b.buf);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return fuzz_records_mutate(data, size, max_size, seed);
}
