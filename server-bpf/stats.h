/* SPDX-License-Identifier: BSD-2-Clause */
/* stats.h: the server's counters as text or JSON. */
#ifndef RTR_SRV_STATS_H
#define RTR_SRV_STATS_H

#include <stdio.h>

#include <linux/types.h>

#include "rtr_server.h"

/* Stable name of counter idx ("requests", "drop_rate_source", ...), NULL when out of range. */
const char *stats_name(int idx);

/* Bytes out / bytes in, 0 when nothing came in. */
double stats_amplification(const struct rtr_counters *c);

/* Writes all counters and the amplification ratio as "name value" lines. */
void stats_print_text(FILE *f, const struct rtr_counters *c, long sessions);

/* Writes one JSON object on one line (json-c). Returns 0 or -1. */
int stats_print_json(FILE *f, const struct rtr_counters *c, long sessions);

#endif
