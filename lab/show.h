/* SPDX-License-Identifier: BSD-2-Clause */
/* show.h: the read-only text views of a lab; one record per line, fields separated by blanks
 * (the formats are part of the interface: tests/lab/lib.sh and other suites parse them). */
#ifndef RTR_LAB_SHOW_H
#define RTR_LAB_SHOW_H

#include <stdio.h>

#include "topo.h"

/** show_truth() - "FROM TO: FROM NODE... TO", one line per expanded path. Return: 0. */
int show_truth(const struct topo *t, FILE *out);

/** show_nodes() - "NODE NAMESPACE host|router [settings...]" for lab @lab. Return: 0. */
int show_nodes(const struct topo *t, const char *lab, FILE *out);

/** show_addrs() - "NODE primary ADDR/LEN" per family, then "NODE IF ADDR/LEN". Return: 0. */
int show_addrs(const struct topo *t, FILE *out);

/** show_routes() - "NODE DEST/LEN via NODE GATEWAY weight W..." per destination. Return: 0. */
int show_routes(const struct topo *t, FILE *out);

#endif
