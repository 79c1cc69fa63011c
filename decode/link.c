// SPDX-License-Identifier: BSD-2-Clause
/* link.c: strips Ethernet (with 802.1Q tags), Linux cooked v1 and raw-IP link headers. */
#include <pcap/pcap.h>
#include <stdio.h>

#include "cursor.h"
#include "link.h"

#define ETH_HDR_LEN 14
#define SLL_HDR_LEN 16
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define VLAN_TAG_LEN 4

int rtr_link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 1;
	}
	return 0;
}

const char *rtr_link_name(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return "Ethernet";
	case DLT_LINUX_SLL:
		return "Linux SLL";
	case DLT_RAW:
		return "raw IP";
	case DLT_IPV4:
		return "raw IPv4";
	case DLT_IPV6:
		return "raw IPv6";
	}
	return "unsupported";
}

/* An ethertype names the network layer; anything but IPv4/IPv6 is not for us. */
static int by_ethertype(uint16_t type, const uint8_t *p, size_t n, const uint8_t **ip,
			size_t *ip_len, const char **why)
{
	static char buf[40];
	if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
		snprintf(buf, sizeof(buf), "not IP (ethertype 0x%04x)", type);
		*why = buf;
		return -1;
	}
	*ip = p;
	*ip_len = n;
	return 0;
}

int rtr_link_ip(int dlt, const uint8_t *frame, size_t len, const uint8_t **ip, size_t *ip_len,
		const char **why)
{
	*why = NULL;
	switch (dlt) {
	case DLT_EN10MB: {
		if (len < ETH_HDR_LEN)
			break;
		size_t off = ETH_HDR_LEN;
		uint16_t type = rtr_get16(frame + 12);
		/* Captures on trunk ports carry VLAN tags between the MACs and the ethertype. */
		while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
			if (len < off + VLAN_TAG_LEN)
				goto truncated;
			type = rtr_get16(frame + off + 2);
			off += VLAN_TAG_LEN;
		}
		return by_ethertype(type, frame + off, len - off, ip, ip_len, why);
	}
	case DLT_LINUX_SLL:
		if (len < SLL_HDR_LEN)
			break;
		return by_ethertype(rtr_get16(frame + 14), frame + SLL_HDR_LEN, len - SLL_HDR_LEN,
				    ip, ip_len, why);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		*ip = frame;
		*ip_len = len;
		return 0;
	default:
		*why = "unsupported link type";
		return -1;
	}
truncated:
	*why = "truncated link header";
	return -1;
}
