/* SPDX-License-Identifier: BSD-2-Clause */
/* draw.h: graphviz (dot) picture of a topology with its addresses. */
#ifndef RTR_LAB_DRAW_H
#define RTR_LAB_DRAW_H

#include <stdio.h>

#include "topo.h"

/** draw_dot() - write an undirected dot graph of @t to @out: boxes for routers, ellipses for
 * hosts, node settings under the name, interface addresses at both ends of every link. */
void draw_dot(const struct topo *t, FILE *out);

#endif
