// SPDX-License-Identifier: GPL-2.0-only
/* bpf/ext.h: the request's extension structure (RFC 4884 layout): checksum and objects. */
#ifndef RTR_BPF_EXT_H
#define RTR_BPF_EXT_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps.
 * check_ext stays a global (__noinline) function; its object walk is bounded by
 * RTR_EXT_MAX_OBJS (a request with more objects is malformed).
 */

/*
 * Walks the extension structure as rtr_request_decode does: returns 0 or
 * RTR_STATE_EXTENSION (an unknown object wins over a target, whose indirect
 * traces are off), with *value set; -1 when malformed. A zero extension
 * checksum means "not computed" (RFC 4884).
 */
__noinline int check_ext(struct __sk_buff *skb, const struct pkt *k, __u16 *value)
{
	if (!k || !value)
		return -1;
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u32 len = k->l4len, off = RTR_REQ_OFF_EXT + RTR_EXT_HDR_LEN;
	__u32 l4off = k->l4off;
	__u16 unknown = 0;
	int has_unknown = 0, has_target = 0, has_padding = 0;
	__u8 *o;
	__s64 s;

	if (len < RTR_REQ_OFF_EXT + RTR_EXT_HDR_LEN || len > REQ_MAX_LEN || l4off > 80)
		return -1;
	vbound(l4off, 0x7f);
	o = data + l4off + RTR_REQ_OFF_EXT;
	if ((void *)(o + RTR_EXT_OBJ_HDR_LEN) > end)
		return -1;
	if (rd16(o + RTR_EXT_OFF_CSUM)) {
		s = sum_pkt(skb, l4off + RTR_REQ_OFF_EXT, len - RTR_REQ_OFF_EXT, REQ_MAX_LEN);
		if (s < 0 || fold16(s) != 0xffff)
			return -1;
		data = pkt_data(skb);
		end = pkt_end(skb);
	}
	for (int i = 0; i < RTR_EXT_MAX_OBJS; i++) {
		__u32 olen, cls, ctype;

		if (off >= len)
			break;
		if (off + RTR_EXT_OBJ_HDR_LEN > len)
			return -1;
		vbound(off, 0x7ff);
		o = data + l4off + off;
		barrier_var(o);
		if ((void *)(o + RTR_EXT_OBJ_HDR_LEN) > end)
			return -1;
		olen = rd16(o + RTR_EXT_OBJ_OFF_LEN);
		cls = o[RTR_EXT_OBJ_OFF_CLASS];
		ctype = o[RTR_EXT_OBJ_OFF_CTYPE];
		if (cls == RTR_EXT_CLASS_TARGET && ctype == 0) {
			/* Reference length 16 counts the data only, RFC 4884's 20 the header too.
			 */
			if ((olen != RTR_EXT_TARGET_LEN_REF && olen != RTR_EXT_TARGET_LEN_RFC) ||
			    has_target)
				return -1;
			olen = RTR_EXT_TARGET_LEN_RFC;
			has_target = 1;
		} else if (cls == RTR_EXT_CLASS_PADDING && ctype == 0) {
			if (has_padding)
				return -1;
			has_padding = 1;
		} else if (!has_unknown) {
			has_unknown = 1;
			unknown = (__u16)(cls << 8 | ctype);
		}
		if (olen < RTR_EXT_OBJ_HDR_LEN || off + olen > len)
			return -1;
		off += olen;
	}
	if (off < len)
		return -1; /* more than RTR_EXT_MAX_OBJS objects */
	*value = 0;
	if (has_unknown) {
		*value = unknown;
		return RTR_STATE_EXTENSION;
	}
	if (has_target) {
		*value = RTR_EXT_CLASS_TARGET << 8;
		return RTR_STATE_EXTENSION;
	}
	return 0;
}

#endif
