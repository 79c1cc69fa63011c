/* SPDX-License-Identifier: BSD-2-Clause */
/* stream.h: prints every packet of an open pcap capture, one line each (rtr-decode's loop). */
#ifndef RTR_DECODE_STREAM_H
#define RTR_DECODE_STREAM_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>

#include "request.h"

/*
 * Prints each packet of p on out, numbered from 1 (with its capture time first when stamps);
 * messages go to errf, naming the capture as path. The same function serves the file rtr-decode
 * opens and a capture held in memory (fuzz_decode), so both print the same lines.
 * Returns 0 when every packet was printed, 1 when the link type is not supported or the capture
 * cannot be read to its end (the lines before the error are printed).
 */
int rtr_decode_pcap(pcap_t *p, const char *path, bool stamps,
		    const struct rtr_request_policy *policy, FILE *out, FILE *errf);

#endif
