/* SPDX-License-Identifier: BSD-2-Clause */
/* transmit.h: posting a result to a collector (--transmit URL) with libcurl. */
#ifndef RTR_CLIENT_TRANSMIT_H
#define RTR_CLIENT_TRANSMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when url is an http:// or https:// URL (the only schemes --transmit allows). */
bool rtr_transmit_url_ok(const char *url);

/*
 * Asks on `out` whether to send to url and reads the answer from `in`; true
 * only for an answer starting with y or Y.
 */
bool rtr_transmit_confirm(FILE *in, FILE *out, const char *url);

/*
 * POSTs body (application/json) to url, trusting the CA certificates in
 * cacert (NULL: the system's). Returns 0 on a 2xx answer, else -1 with one
 * line in err.
 */
int rtr_transmit(const char *url, const char *cacert, const char *body, char *err, size_t errlen);

#endif
