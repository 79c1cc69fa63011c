// SPDX-License-Identifier: BSD-2-Clause
/* err.c: names of the rtr_err codes, for logs, counters and the golden printer. */
#include "err.h"

const char *rtr_strerror(int err)
{
	switch (err) {
	case RTR_OK:
		return "ok";
	case RTR_E_TRUNCATED:
		return "truncated";
	case RTR_E_NOSPACE:
		return "no space";
	case RTR_E_INVAL:
		return "invalid argument";
	case RTR_E_VERSION:
		return "bad IP version";
	case RTR_E_IPHDR:
		return "malformed IP header";
	case RTR_E_FRAGMENT:
		return "fragment";
	case RTR_E_TYPE:
		return "wrong ICMP type";
	case RTR_E_CODE:
		return "wrong ICMP code";
	case RTR_E_CHECKSUM:
		return "bad checksum";
	case RTR_E_EXT_MALFORMED:
		return "malformed extension";
	case RTR_E_EXT_CHECKSUM:
		return "bad extension checksum";
	case RTR_E_STATE:
		return "bad state";
	case RTR_E_NOT_OURS:
		return "not ours";
	case RTR_E_QUOTE_SHORT:
		return "quote too short";
	case RTR_E_MISMATCH:
		return "mismatch";
	case RTR_E_PROTO:
		return "protocol not allowed";
	}
	/* Positive values are byte counts, not errors; anything else is unknown. */
	return err > 0 ? "ok" : "unknown error";
}
