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

/* Server defaults (rtr-server options). */
#define RTR_DEFAULT_MAX_SESSIONS 5000
#define RTR_DEFAULT_TIMEOUT_NS 5000000000ull

#endif
