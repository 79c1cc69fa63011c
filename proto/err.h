/* SPDX-License-Identifier: BSD-2-Clause */
/* err.h: the named negative error codes every proto/ function returns. */
#ifndef RTR_ERR_H
#define RTR_ERR_H

/*
 * Every proto/ function returns >= 0 on success (usually a byte count) or one
 * of these negative codes. The codes are stable: tests, the golden printer and
 * the server's drop counters name them.
 */
enum rtr_err {
	RTR_OK = 0,
	RTR_E_TRUNCATED = -1,	   /* input shorter than the message needs */
	RTR_E_NOSPACE = -2,	   /* output buffer too small */
	RTR_E_INVAL = -3,	   /* caller passed an impossible value */
	RTR_E_VERSION = -4,	   /* IP version is neither 4 nor 6 */
	RTR_E_IPHDR = -5,	   /* malformed IP header (IHL, lengths) */
	RTR_E_FRAGMENT = -6,	   /* packet is a fragment */
	RTR_E_TYPE = -7,	   /* ICMP type is not the one this decoder reads */
	RTR_E_CODE = -8,	   /* ICMP code is not the one this decoder reads */
	RTR_E_CHECKSUM = -9,	   /* checksum does not verify */
	RTR_E_EXT_MALFORMED = -10, /* extension structure or object lengths wrong */
	RTR_E_EXT_CHECKSUM = -11,  /* extension structure checksum does not verify */
	RTR_E_STATE = -12,	   /* response state outside 0..5 */
	RTR_E_NOT_OURS = -13,	   /* a valid packet, but not a message of this protocol */
	RTR_E_QUOTE_SHORT = -14,   /* ICMP error quotes too little to verify identity */
	RTR_E_MISMATCH = -15,	   /* answer quotes a probe, but not this one */
	RTR_E_PROTO = -16,	   /* probe protocol not valid for the family */
};

/* Returns a short constant English name for an rtr_err code ("truncated", ...). */
const char *rtr_strerror(int err);

#endif
