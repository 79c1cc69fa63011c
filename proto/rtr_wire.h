/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* rtr_wire.h: wire constants and layouts shared by the eBPF server and user space. */
#ifndef RTR_WIRE_H
#define RTR_WIRE_H

/*
 * Only preprocessor constants live here, so the file compiles unchanged under
 * clang -target bpf (with vmlinux.h) and under gcc in user space. Offsets are
 * from the first byte of the ICMP header unless the name says otherwise.
 * docs/PROTOCOL.md is the normative description of every value.
 */

/* ICMP types and codes (IPv4 and IPv6). */
#define RTR_ICMP4_ECHO_REPLY 0
#define RTR_ICMP4_DEST_UNREACH 3
#define RTR_ICMP4_ECHO_REQUEST 8
#define RTR_ICMP4_TIME_EXCEEDED 11
#define RTR_ICMP6_DEST_UNREACH 1
#define RTR_ICMP6_TIME_EXCEEDED 3
#define RTR_ICMP6_ECHO_REQUEST 128
#define RTR_ICMP6_ECHO_REPLY 129
#define RTR_CODE_RTR 1		/* the reverse traceroute code on Echo Request/Reply */
#define RTR_CODE_TTL_EXCEEDED 0 /* Time Exceeded "hop limit exceeded in transit" */

/* IP protocol numbers used by requests and probes. */
#define RTR_IPPROTO_ICMP 1
#define RTR_IPPROTO_TCP 6
#define RTR_IPPROTO_UDP 17
#define RTR_IPPROTO_ICMPV6 58
#define RTR_PROTO_DEFAULT 0 /* request protocol 0: ICMP on v4, ICMPv6 on v6 */

/* Request layout (client -> server). */
#define RTR_REQ_OFF_TYPE 0
#define RTR_REQ_OFF_CODE 1
#define RTR_REQ_OFF_CSUM 2
#define RTR_REQ_OFF_IDENT 4
#define RTR_REQ_OFF_SEQ 6
#define RTR_REQ_OFF_TTL 8
#define RTR_REQ_OFF_PROTO 9
#define RTR_REQ_OFF_FLOW 10
#define RTR_REQ_LEN 12	   /* minimum ICMP length of a request */
#define RTR_REQ_OFF_EXT 12 /* optional RFC 4884-style extension structure */

/* Response layout (server -> client). */
#define RTR_RSP_OFF_STATE 8
#define RTR_RSP_OFF_ERRLEN 9
#define RTR_RSP_OFF_VALUE 10
#define RTR_RSP_OFF_HOP 12
#define RTR_RSP_OFF_TIMESPAN 28
#define RTR_RSP_ERR_LEN 12	    /* ICMP length of an error response */
#define RTR_RSP_OK_LEN 36	    /* ICMP length of a success response */
#define RTR_RSP_TTL 64		    /* IP TTL / hop limit of every response */
#define RTR_RST_TTL 64		    /* IP TTL / hop limit of the RST after a SYN-ACK */
#define RTR_RTT_UNKNOWN 0xFFFFFFFFu /* 32-bit timespan: unknown or >= 2^32 ns */

/* Response states. */
#define RTR_STATE_OK 0
#define RTR_STATE_TTL 1
#define RTR_STATE_PROTOCOL 2
#define RTR_STATE_FLOW 3
#define RTR_STATE_EXTENSION 4
#define RTR_STATE_PADDING 5
#define RTR_STATE_MAX 5

/* Extension structure (RFC 4884 layout) after the request header. */
#define RTR_EXT_VERSION 2
#define RTR_EXT_HDR_LEN 4
#define RTR_EXT_OBJ_HDR_LEN 4
#define RTR_EXT_CLASS_TARGET 5
#define RTR_EXT_CLASS_PADDING 6
#define RTR_EXT_TARGET_LEN_REF 16 /* reference implementation: data only */
#define RTR_EXT_TARGET_LEN_RFC 20 /* RFC 4884: object header + data */
/* Objects one request may carry; more is malformed (bounds the server's parse loop). */
#define RTR_EXT_MAX_OBJS 16

/* Probes (server -> towards client). */
#define RTR_PROBE_SPORT 1021 /* RFC 4727 experimental port: the policing marker */
#define RTR_DEFAULT_UDP_DPORT 53
#define RTR_DEFAULT_TCP_DPORT 80
#define RTR_DEFAULT_ICMP_CSUM 0xBEAF
#define RTR_PROBE_PAYLOAD_LEN 32 /* UDP and ICMP payload bytes (UDP v4: 32 or 33) */
#define RTR_PROBE_COMP_OFF 0	 /* payload offset of the 2 checksum-compensation bytes */
#define RTR_PROBE_TAG_OFF 2	 /* payload offset of the 4-byte UDP identity tag */
#define RTR_TCP_PROBE_HDR_LEN 24 /* 20-byte header + MSS option */
#define RTR_TCP_PROBE_WINDOW 64240
#define RTR_TCP_MSS_V4 1460
#define RTR_TCP_MSS_V6 1440
#define RTR_PROBE_IP_TOS 0
#define RTR_PROBE_FLOWLABEL 0 /* IPv6 flow label of every probe: constant per flow */

/* TCP flags. */
#define RTR_TCP_FIN 0x01
#define RTR_TCP_SYN 0x02
#define RTR_TCP_RST 0x04
#define RTR_TCP_ACK 0x10

/* Header sizes. */
#define RTR_IPV4_HDR_MIN 20
#define RTR_IPV6_HDR_LEN 40
#define RTR_UDP_HDR_LEN 8
#define RTR_ICMP_HDR_LEN 8
#define RTR_QUOTE_L4_MIN 8 /* RFC 792: an ICMP error quotes at least 8 L4 bytes */

/*
 * Header field offsets, from the first byte of each header, and the few field
 * values the eBPF server reads or writes by hand (it has no struct overlays: it
 * reads packet bytes by these offsets with one bounds check each).
 */
#define RTR_ETH_OFF_DST 0
#define RTR_ETH_OFF_SRC 6
#define RTR_ETH_OFF_TYPE 12
#define RTR_ETH_HLEN 14

#define RTR_IP4_OFF_VER_IHL 0 /* version << 4 | header length in 4-byte words */
#define RTR_IP4_OFF_TOTLEN 2
#define RTR_IP4_OFF_ID 4
#define RTR_IP4_OFF_FRAG 6 /* flags << 13 | fragment offset */
#define RTR_IP4_OFF_TTL 8
#define RTR_IP4_OFF_PROTO 9
#define RTR_IP4_OFF_CSUM 10
#define RTR_IP4_OFF_SRC 12
#define RTR_IP4_OFF_DST 16
#define RTR_IP4_HDR_MAX 60
#define RTR_IP4_VER_IHL_MIN 0x45   /* version 4, no options */
#define RTR_IP4_DF 0x4000	   /* in the RTR_IP4_OFF_FRAG word */
#define RTR_IP4_MF_OFFSET 0x3fff   /* more fragments, or an offset: a fragment */
#define RTR_IP4_OFFSET_MASK 0x1fff /* fragment offset (8-byte units) */

/* IPv4 options (RFC 791, 1108, 2113): type, then length, then pointer. */
#define RTR_IPOPT_OFF_LEN 1
#define RTR_IPOPT_OFF_PTR 2
#define RTR_IPOPT_OFF_TS_FLAGS 3 /* timestamp: overflow << 4 | flag */
#define RTR_IPOPT_END 0
#define RTR_IPOPT_NOOP 1
#define RTR_IPOPT_RR 7
#define RTR_IPOPT_TS 68
#define RTR_IPOPT_LSRR 131
#define RTR_IPOPT_CIPSO 134
#define RTR_IPOPT_SSRR 137
#define RTR_IPOPT_RA 148

#define RTR_IP6_OFF_VER 0 /* version << 28 | traffic class << 20 | flow label */
#define RTR_IP6_OFF_PLEN 4
#define RTR_IP6_OFF_NEXT 6
#define RTR_IP6_OFF_HLIM 7
#define RTR_IP6_OFF_SRC 8
#define RTR_IP6_OFF_DST 24
/* IPv6 extension headers: Hop-by-Hop (0), Routing (43), Fragment (44), Destination (60). */
#define RTR_IP6_NH_HOPOPTS 0
#define RTR_IP6_NH_ROUTING 43
#define RTR_IP6_NH_FRAGMENT 44
#define RTR_IP6_NH_DSTOPTS 60
#define RTR_IP6_EXT_MIN_LEN 8 /* every extension header is a multiple of 8 bytes */
#define RTR_IP6_EXT_OFF_NEXT 0
#define RTR_IP6_EXT_OFF_LEN 1	  /* in 8-byte units, not counting the first 8 */
#define RTR_IP6_RH_OFF_SEGLEFT 3  /* Routing header: segments left */
#define RTR_IP6_FRAG_OFF_OFFSET 2 /* Fragment header: offset << 3 | M */
#define RTR_IP6_FRAG_HDR_LEN 8
#define RTR_IP6_OFFSET_MASK 0xfff8

/* An IPv4 address in the 16-byte IPv4-mapped form (::ffff:a.b.c.d) starts at byte 12. */
#define RTR_MAPPED_V4_OFF 12

#define RTR_ICMP_OFF_TYPE 0
#define RTR_ICMP_OFF_CODE 1
#define RTR_ICMP_OFF_CSUM 2
#define RTR_ICMP_OFF_ID 4 /* Echo: identifier; our probes: the 4-byte identity */
#define RTR_ICMP_OFF_SEQ 6

#define RTR_UDP_OFF_SPORT 0
#define RTR_UDP_OFF_DPORT 2
#define RTR_UDP_OFF_LEN 4
#define RTR_UDP_OFF_CSUM 6

#define RTR_TCP_OFF_SPORT 0
#define RTR_TCP_OFF_DPORT 2
#define RTR_TCP_OFF_SEQ 4
#define RTR_TCP_OFF_ACK 8
#define RTR_TCP_OFF_DOFF 12 /* data offset << 12 | flags, as one word */
#define RTR_TCP_OFF_FLAGS 13
#define RTR_TCP_FLAGS_END (RTR_TCP_OFF_FLAGS + 1) /* bytes up to and including the flags */
#define RTR_TCP_OFF_WINDOW 14
#define RTR_TCP_OFF_CSUM 16
#define RTR_TCP_OFF_URG 18
#define RTR_TCP_OFF_OPTS 20
#define RTR_TCP_HDR_MIN 20
#define RTR_TCP_OPT_MSS_WORD 0x0204 /* MSS option: kind 2, length 4 */

/* Extension structure (RFC 4884): header version << 4 | reserved, reserved, checksum. */
#define RTR_EXT_OFF_CSUM 2
#define RTR_EXT_OBJ_OFF_LEN 0
#define RTR_EXT_OBJ_OFF_CLASS 2
#define RTR_EXT_OBJ_OFF_CTYPE 3

/* Server defaults (rtr-server options). */
#define RTR_DEFAULT_MAX_SESSIONS 5000
#define RTR_DEFAULT_TIMEOUT_NS 5000000000ull

#endif
