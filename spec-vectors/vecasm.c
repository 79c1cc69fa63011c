// SPDX-License-Identifier: BSD-2-Clause
/* vecasm.c: assembles the commented .vec sources into pcap files, independently of proto/. */

/*
 * Golden vectors must not come from the code they check: an encoder bug would
 * then write its own golden file. So this program has its own RFC 1071 sum,
 * its own IP header writer and its own pseudo-headers, and shares nothing with
 * proto/. The .vec format is described in spec-vectors/README.md.
 *
 * Usage: vecasm [-o DIR] [-l] [-x] [-r DIR] FILE.vec...
 *   -o DIR  write DIR/NAME.pcap for every vector (default: current directory)
 *   -l      list the vectors instead of writing pcaps, one line each:
 *           NAME good|bad [rtr-decode options from decode-opts]
 *   -x      also print every assembled packet as hex on stdout
 *   -r DIR  also write each packet's IP bytes (no link header) to DIR/NAME-N.ip,
 *           for consumers that take raw packets (fuzz seed corpora, BPF test runs)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PKT 9000
#define MAX_LAYERS 4
#define MAX_MARKS 16
#define MAX_PKTS 8
#define TS_BASE 1700000000 /* fixed timestamps: regenerating gives identical bytes */

enum mark_kind { M_CSUM, M_CSUM_EXT, M_COMP, M_LEN };

struct mark {
	enum mark_kind kind;
	size_t off;
	bool wrong; /* write the correct checksum xor 1: never equivalent, always bad */
};

struct layer {
	int family;
	size_t start; /* offset of the IP header in the packet */
	size_t l4;    /* offset of the upper-layer header */
	uint8_t src[16], dst[16];
	unsigned ttl, proto, nh, tos, id, frag, flow;
	bool df, mf;
	long tlen;  /* total length (v4) / payload length (v6) override, -1 = computed */
	long hcsum; /* IPv4 header checksum override, -1 = computed, -2 = wrong */
	struct mark marks[MAX_MARKS];
	int nmarks;
};

struct packet {
	uint8_t b[MAX_PKT];
	size_t len;
	long snap;	 /* capture only this many bytes of the frame (-1: all) */
	long long at_us; /* capture time after TS_BASE (-1: one second per packet index) */
};

struct vector {
	char name[128];
	char csum[8];	/* expect-checksum: what tcpdump must say about checksums */
	char opts[256]; /* decode-opts: the policy rtr-decode and the field test apply */
	int dlt;
	bool eth, sll, pad, vlan;
	struct packet pkts[MAX_PKTS];
	int npkts;
	struct layer layers[MAX_LAYERS];
	int nlayers;
};

static const char *g_file;
static int g_line;

/* Its own, not common/diag.c: the assembler shares no code with the rest (an independent
 * oracle); format-checked all the same. */
__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "vecasm: %s:%d: ", g_file ? g_file : "-", g_line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* RFC 1071: 16-bit big-endian words, an odd last byte padded with zero. */
static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The pseudo-header sum of RFC 768/793 (IPv4) or RFC 8200 8.1 (IPv6). */
static uint32_t pseudo(const struct layer *ly, size_t l4len)
{
	uint8_t ph[40];
	memset(ph, 0, sizeof(ph));
	if (ly->family == 4) {
		memcpy(ph, ly->src, 4);
		memcpy(ph + 4, ly->dst, 4);
		ph[9] = (uint8_t)ly->proto;
		put16(ph + 10, (unsigned)l4len);
		return sum16(0, ph, 12);
	}
	memcpy(ph, ly->src, 16);
	memcpy(ph + 16, ly->dst, 16);
	ph[34] = (uint8_t)(l4len >> 8);
	ph[35] = (uint8_t)l4len;
	ph[39] = (uint8_t)ly->proto;
	return sum16(0, ph, 40);
}

/* Only ICMPv4 has no pseudo-header. */
static bool has_pseudo(const struct layer *ly)
{
	return !(ly->family == 4 && ly->proto == 1);
}

/* Offset of the checksum field inside the upper-layer header. */
static size_t csum_field(const struct layer *ly)
{
	switch (ly->proto) {
	case 1:
	case 58:
		return 2;
	case 17:
		return 6;
	case 6:
		return 16;
	}
	die("no checksum field known for protocol %u", ly->proto);
	return 0;
}

static void resolve_marks(struct layer *ly, struct packet *pk)
{
	size_t end = pk->len;
	size_t l4len = end - ly->l4;
	uint8_t *l4 = pk->b + ly->l4;
	/* Order matters: lengths feed checksums, the extension checksum is covered by the L4 one.
	 */
	for (int i = 0; i < ly->nmarks; i++)
		if (ly->marks[i].kind == M_LEN)
			put16(pk->b + ly->marks[i].off, (unsigned)l4len);
	for (int i = 0; i < ly->nmarks; i++) {
		struct mark *m = &ly->marks[i];
		if (m->kind != M_CSUM_EXT)
			continue;
		size_t from = m->off - 2; /* version/reserved word precedes the checksum */
		put16(pk->b + m->off, 0);
		uint16_t c = (uint16_t)~fold(sum16(0, pk->b + from, end - from));
		put16(pk->b + m->off, m->wrong ? c ^ 1u : c);
	}
	for (int i = 0; i < ly->nmarks; i++) {
		struct mark *m = &ly->marks[i];
		uint32_t ps = has_pseudo(ly) ? pseudo(ly, l4len) : 0;
		if (m->kind == M_CSUM) {
			if (m->off != ly->l4 + csum_field(ly))
				die("cksum is not at the checksum field of protocol %u", ly->proto);
			put16(pk->b + m->off, 0);
			uint16_t c = (uint16_t)~fold(sum16(ps, l4, l4len));
			if (c == 0 && ly->proto == 17)
				c = 0xffff; /* RFC 768: 0 means "no checksum" */
			put16(pk->b + m->off, m->wrong ? c ^ 1u : c);
		} else if (m->kind == M_COMP) {
			/* Choose the two bytes so the sum, with the field's fixed value, is 0xFFFF.
			 */
			if ((m->off - ly->l4) & 1)
				die("comp must sit at an even offset of the upper-layer data");
			put16(pk->b + m->off, 0);
			uint16_t c = (uint16_t)~fold(sum16(ps, l4, l4len));
			put16(pk->b + m->off, c);
		}
	}
}

static void close_layer(struct vector *v)
{
	struct layer *ly = &v->layers[--v->nlayers];
	struct packet *pk = &v->pkts[v->npkts - 1];
	uint8_t *h = pk->b + ly->start;
	size_t hl = ly->l4 - ly->start;

	if (ly->family == 4) {
		if (hl < 20 || hl > 60 || hl % 4)
			die("IPv4 header of %zu bytes: options must make it 20..60, a multiple of "
			    "4",
			    hl);
		h[0] = (uint8_t)(0x40 | hl / 4);
		h[1] = (uint8_t)ly->tos;
		put16(h + 2, ly->tlen >= 0 ? (unsigned)ly->tlen : (unsigned)(pk->len - ly->start));
		put16(h + 4, ly->id);
		put16(h + 6, (ly->df ? 0x4000u : 0) | (ly->mf ? 0x2000u : 0) | ly->frag);
		h[8] = (uint8_t)ly->ttl;
		h[9] = (uint8_t)ly->proto;
		memcpy(h + 12, ly->src, 4);
		memcpy(h + 16, ly->dst, 4);
	} else {
		uint32_t w = 6u << 28 | ly->tos << 20 | ly->flow;
		h[0] = (uint8_t)(w >> 24);
		h[1] = (uint8_t)(w >> 16);
		h[2] = (uint8_t)(w >> 8);
		h[3] = (uint8_t)w;
		put16(h + 4,
		      ly->tlen >= 0 ? (unsigned)ly->tlen : (unsigned)(pk->len - ly->start - 40));
		h[6] = (uint8_t)ly->nh;
		h[7] = (uint8_t)ly->ttl;
		memcpy(h + 8, ly->src, 16);
		memcpy(h + 24, ly->dst, 16);
	}
	resolve_marks(ly, pk);
	if (ly->family == 4) {
		put16(h + 10, 0);
		uint16_t c = (uint16_t)~fold(sum16(0, h, hl));
		if (ly->hcsum == -2)
			c ^= 1;
		else if (ly->hcsum >= 0)
			c = (uint16_t)ly->hcsum;
		put16(h + 10, c);
	}
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || *end || end == s || v > max)
		die("bad number '%s' (at most %lu)", s, max);
	return v;
}

/* "6" or "4.900000": seconds after the first packet's time, to the microsecond. */
static long long at_usec(const char *s)
{
	unsigned long sec = 0, usec = 0;
	int n = 0;
	if (sscanf(s, "%lu%n", &sec, &n) != 1)
		die("bad time '%s'", s);
	if (s[n] == '.') {
		const char *frac = s + n + 1;
		size_t digits = strlen(frac);
		if (digits == 0 || digits > 6 || strspn(frac, "0123456789") != digits)
			die("bad time '%s': up to 6 decimals", s);
		for (size_t d = 0; d < 6; d++)
			usec = usec * 10 + (d < digits ? (unsigned long)(frac[d] - '0') : 0);
	} else if (s[n]) {
		die("bad time '%s'", s);
	}
	return (long long)sec * 1000000 + (long long)usec;
}

static void addr(int family, const char *s, uint8_t out[16])
{
	if (inet_pton(family == 4 ? AF_INET : AF_INET6, s, out) != 1)
		die("bad IPv%d address '%s'", family, s);
}

static void need_space(struct packet *pk, size_t n)
{
	if (pk->len + n > MAX_PKT)
		die("packet longer than %d bytes", MAX_PKT);
}

static struct packet *cur_packet(struct vector *v)
{
	if (!v->npkts)
		die("bytes before the first 'packet'");
	return &v->pkts[v->npkts - 1];
}

static struct layer *cur_layer(struct vector *v)
{
	if (!v->nlayers)
		die("this directive needs an open ip4/ip6 layer");
	return &v->layers[v->nlayers - 1];
}

static void open_layer(struct vector *v, int family, char **tok, int ntok)
{
	struct packet *pk = cur_packet(v);
	if (v->nlayers == MAX_LAYERS)
		die("too many nested IP layers");
	struct layer *ly = &v->layers[v->nlayers++];
	memset(ly, 0, sizeof(*ly));
	ly->family = family;
	ly->tlen = -1;
	ly->hcsum = -1;
	ly->ttl = 64;
	bool have_src = false, have_dst = false, have_proto = false, have_nh = false;
	for (int i = 1; i < ntok; i++) {
		char *k = tok[i], *val = strchr(k, '=');
		if (val)
			*val++ = 0;
		if (!strcmp(k, "df") && !val)
			ly->df = true;
		else if (!strcmp(k, "mf") && !val)
			ly->mf = true;
		else if (!val)
			die("'%s' needs a value (key=value)", k);
		else if (!strcmp(k, "src"))
			addr(family, val, ly->src), have_src = true;
		else if (!strcmp(k, "dst"))
			addr(family, val, ly->dst), have_dst = true;
		else if (!strcmp(k, "ttl") || !strcmp(k, "hlim"))
			ly->ttl = (unsigned)num(val, 255);
		else if (!strcmp(k, "proto"))
			ly->proto = (unsigned)num(val, 255), have_proto = true;
		else if (!strcmp(k, "nh") && family == 6)
			ly->nh = (unsigned)num(val, 255), have_nh = true;
		else if (!strcmp(k, "tos") || !strcmp(k, "tc"))
			ly->tos = (unsigned)num(val, 255);
		else if (!strcmp(k, "id") && family == 4)
			ly->id = (unsigned)num(val, 0xffff);
		else if (!strcmp(k, "frag") && family == 4)
			ly->frag = (unsigned)num(val, 0x1fff);
		else if (!strcmp(k, "flow") && family == 6)
			ly->flow = (unsigned)num(val, 0xfffff);
		else if (!strcmp(k, "tlen") || !strcmp(k, "plen"))
			ly->tlen = (long)num(val, 0xffff);
		else if (!strcmp(k, "hcsum") && family == 4)
			ly->hcsum = !strcmp(val, "wrong") ? -2 : (long)num(val, 0xffff);
		else
			die("unknown ip%d parameter '%s'", family, k);
	}
	if (!have_src || !have_dst || !have_proto)
		die("ip%d needs src=, dst= and proto=", family);
	if (!have_nh)
		ly->nh = ly->proto;
	size_t hl = family == 4 ? 20 : 40;
	need_space(pk, hl);
	ly->start = pk->len;
	memset(pk->b + pk->len, 0, hl);
	pk->len += hl;
	ly->l4 = pk->len;
}

static void add_mark(struct vector *v, enum mark_kind kind, bool wrong)
{
	struct packet *pk = cur_packet(v);
	struct layer *ly = cur_layer(v);
	if (ly->nmarks == MAX_MARKS)
		die("too many markers in one layer");
	need_space(pk, 2);
	ly->marks[ly->nmarks++] = (struct mark){.kind = kind, .off = pk->len, .wrong = wrong};
	put16(pk->b + pk->len, 0);
	pk->len += 2;
}

static void add_hex(struct vector *v, const char *t)
{
	struct packet *pk = cur_packet(v);
	size_t n = strlen(t);
	if (n % 2)
		die("odd number of hex digits in '%s'", t);
	need_space(pk, n / 2);
	for (size_t i = 0; i < n; i += 2) {
		unsigned byte;
		char two[3] = {t[i], t[i + 1], 0};
		if (!strchr("0123456789abcdefABCDEF", two[0]) ||
		    !strchr("0123456789abcdefABCDEF", two[1]) || sscanf(two, "%2x", &byte) != 1)
			die("not hex: '%s'", t);
		pk->b[pk->len++] = (uint8_t)byte;
	}
}

static void close_all_layers(struct vector *v)
{
	while (v->nlayers)
		close_layer(v);
}

static void frame(const struct vector *v, const struct packet *pk, uint8_t *out, size_t *outlen)
{
	size_t n = 0;
	unsigned etype = pk->len && (pk->b[0] >> 4) == 6 ? 0x86dd : 0x0800;
	static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x01},
			     mac_b[6] = {0x02, 0, 0, 0, 0, 0x02};
	if (v->eth) {
		memcpy(out, mac_b, 6);
		memcpy(out + 6, mac_a, 6);
		n = 12;
		if (v->vlan) {
			put16(out + n, 0x8100); /* 802.1Q tag: priority 0, VLAN 100 */
			put16(out + n + 2, 100);
			n += 4;
		}
		put16(out + n, etype);
		n += 2;
	} else if (v->sll) {
		/* Linux cooked capture v1: packet type, ARPHRD, address length, address, protocol.
		 */
		memset(out, 0, 16);
		put16(out, 0); /* PACKET_HOST */
		put16(out + 2, 1);
		put16(out + 4, 6);
		memcpy(out + 6, mac_a, 6);
		put16(out + 14, etype);
		n = 16;
	}
	memcpy(out + n, pk->b, pk->len);
	n += pk->len;
	if (v->pad && n < 60) {
		memset(out + n, 0,
		       60 - n); /* Ethernet minimum frame: trailer bytes beyond the IP packet */
		n = 60;
	}
	*outlen = n;
}

static const char *g_rawdir;

static void write_raw(const struct vector *v, int i)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s-%d.ip", g_rawdir, v->name, i + 1);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(v->pkts[i].b, 1, v->pkts[i].len, f) != v->pkts[i].len || fclose(f))
		die("%s: %s", path, strerror(errno));
}

static void emit(struct vector *v, const char *dir, bool list, bool hex)
{
	if (!v->name[0])
		return;
	close_all_layers(v);
	if (!v->npkts)
		die("vector %s has no packet", v->name);
	if (!v->csum[0])
		die("vector %s has no expect-checksum line", v->name);
	if (list) {
		printf("%s %s%s%s\n", v->name, v->csum, v->opts[0] ? " " : "", v->opts);
		return;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.pcap", dir, v->name);
	pcap_t *p = pcap_open_dead(v->dlt, 65535);
	if (!p)
		die("pcap_open_dead failed");
	pcap_dumper_t *d = pcap_dump_open(p, path);
	if (!d)
		die("%s: %s", path, pcap_geterr(p));
	for (int i = 0; i < v->npkts; i++) {
		static uint8_t buf[MAX_PKT + 64];
		size_t n;
		frame(v, &v->pkts[i], buf, &n);
		struct pcap_pkthdr h = {.caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n};
		if (v->pkts[i].snap >= 0 && (size_t)v->pkts[i].snap < n)
			h.caplen =
				(bpf_u_int32)v->pkts[i].snap; /* a capture cut by its snap length */
		long long at = v->pkts[i].at_us >= 0 ? v->pkts[i].at_us : (long long)i * 1000000;
		h.ts.tv_sec = TS_BASE + at / 1000000;
		h.ts.tv_usec = at % 1000000;
		pcap_dump((u_char *)d, &h, buf);
		if (g_rawdir)
			write_raw(v, i);
		if (hex) {
			printf("%s #%d:", v->name, i + 1);
			for (size_t j = 0; j < n; j++)
				printf("%s%02x", j % 16 ? " " : "\n  ", buf[j]);
			printf("\n");
		}
	}
	if (pcap_dump_flush(d))
		die("%s: write failed", path);
	pcap_dump_close(d);
	pcap_close(p);
}

static void new_vector(struct vector *v, const char *name)
{
	memset(v, 0, sizeof(*v));
	if (strlen(name) >= sizeof(v->name) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(name))
		die("vector name '%s': use a-z 0-9 - _ .", name);
	strcpy(v->name, name);
	v->dlt = DLT_RAW;
}

static void set_link(struct vector *v, char **tok, int ntok)
{
	if (ntok < 2)
		die("link needs raw, ipv4, ipv6, eth or sll");
	if (!strcmp(tok[1], "raw"))
		v->dlt = DLT_RAW;
	else if (!strcmp(tok[1], "ipv4"))
		v->dlt = DLT_IPV4;
	else if (!strcmp(tok[1], "ipv6"))
		v->dlt = DLT_IPV6;
	else if (!strcmp(tok[1], "eth"))
		v->dlt = DLT_EN10MB, v->eth = true;
	else if (!strcmp(tok[1], "sll"))
		v->dlt = DLT_LINUX_SLL, v->sll = true;
	else
		die("unknown link '%s'", tok[1]);
	for (int i = 2; i < ntok; i++) {
		if (!strcmp(tok[i], "pad") && v->eth)
			v->pad = true;
		else if (!strcmp(tok[i], "vlan") && v->eth)
			v->vlan = true;
		else
			die("unknown link option '%s'", tok[i]);
	}
}

static void assemble(const char *file, const char *dir, bool list, bool hex)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "vecasm: %s: %s\n", file, strerror(errno));
		exit(1);
	}
	g_file = file;
	g_line = 0;
	static struct vector v;
	memset(&v, 0, sizeof(v));
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		g_line++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *tok[32];
		int ntok = 0;
		for (char *t = strtok(line, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
			if (ntok == 32)
				die("too many words on one line");
			tok[ntok++] = t;
		}
		if (!ntok)
			continue;
		const char *k = tok[0];
		if (!strcmp(k, "vector")) {
			emit(&v, dir, list, hex);
			if (ntok != 2)
				die("vector needs exactly one name");
			new_vector(&v, tok[1]);
		} else if (!v.name[0]) {
			die("'%s' before the first 'vector'", k);
		} else if (!strcmp(k, "link")) {
			if (v.npkts)
				die("link must come before the first packet");
			set_link(&v, tok, ntok);
		} else if (!strcmp(k, "expect-checksum")) {
			if (ntok != 2 || (strcmp(tok[1], "good") && strcmp(tok[1], "bad")))
				die("expect-checksum good|bad");
			strcpy(v.csum, tok[1]);
		} else if (!strcmp(k, "decode-opts")) {
			for (int i = 1; i < ntok; i++) {
				if (strlen(v.opts) + strlen(tok[i]) + 2 > sizeof(v.opts))
					die("decode-opts too long");
				if (v.opts[0])
					strcat(v.opts, " ");
				strcat(v.opts, tok[i]);
			}
		} else if (!strcmp(k, "expect")) {
			/* Read by tests/golden/test_vectors_fields.c, not by the assembler. */
		} else if (!strcmp(k, "packet")) {
			close_all_layers(&v);
			if (v.npkts == MAX_PKTS)
				die("too many packets in one vector");
			v.pkts[v.npkts].snap = -1;
			v.pkts[v.npkts].at_us = -1;
			for (int i = 1; i < ntok; i++) {
				if (!strncmp(tok[i], "snap=", 5))
					v.pkts[v.npkts].snap = (long)num(tok[i] + 5, MAX_PKT);
				else if (!strncmp(tok[i], "at=", 3))
					v.pkts[v.npkts].at_us = at_usec(tok[i] + 3);
				else
					die("packet [snap=N] [at=SECONDS[.MICROS]]");
			}
			v.npkts++;
		} else if (!strcmp(k, "ip4") || !strcmp(k, "ip6")) {
			open_layer(&v, k[2] - '0', tok, ntok);
		} else if (!strcmp(k, "l4")) {
			cur_layer(&v)->l4 = cur_packet(&v)->len;
		} else if (!strcmp(k, "end")) {
			cur_layer(&v);
			close_layer(&v);
		} else if (!strcmp(k, "cksum")) {
			bool ext = ntok > 1 && !strcmp(tok[1], "ext");
			bool wrong = ntok > 1 + ext && !strcmp(tok[1 + ext], "wrong");
			if (ntok != 1 + ext + wrong)
				die("cksum [ext] [wrong]");
			add_mark(&v, ext ? M_CSUM_EXT : M_CSUM, wrong);
		} else if (!strcmp(k, "comp")) {
			add_mark(&v, M_COMP, false);
		} else if (!strcmp(k, "len")) {
			if (ntok != 2 || strcmp(tok[1], "l4"))
				die("len l4");
			add_mark(&v, M_LEN, false);
		} else if (!strcmp(k, "zero")) {
			if (ntok != 2)
				die("zero N");
			unsigned long n = num(tok[1], MAX_PKT);
			struct packet *pk = cur_packet(&v);
			need_space(pk, n);
			memset(pk->b + pk->len, 0, n);
			pk->len += n;
		} else {
			for (int i = 0; i < ntok; i++)
				add_hex(&v, tok[i]);
		}
	}
	g_line++;
	emit(&v, dir, list, hex);
	fclose(f);
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vecasm [-o DIR] [-l] [-x] [-r DIR] FILE.vec...\n"
		"Assembles golden vector sources into DIR/NAME.pcap (one per 'vector').\n"
		"  -o, --out DIR  output directory (default .)\n"
		"  -l, --list     print NAME good|bad [decode options] per vector, write nothing\n"
		"  -x, --hex      print each packet as hex\n"
		"  -r, --raw DIR  also write each packet's IP bytes to DIR/NAME-N.ip\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'}, {"list", no_argument, NULL, 'l'},
		{"hex", no_argument, NULL, 'x'},       {"raw", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
	const char *dir = ".";
	bool list = false, hex = false;
	int c;
	while ((c = getopt_long(argc, argv, "o:lxr:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'x':
			hex = true;
			break;
		case 'r':
			g_rawdir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "vecasm: try 'vecasm --help'\n");
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "vecasm: no .vec file given; try 'vecasm --help'\n");
		return 2;
	}
	for (int i = optind; i < argc; i++)
		assemble(argv[i], dir, list, hex);
	return 0;
}
