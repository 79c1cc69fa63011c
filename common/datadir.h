/* SPDX-License-Identifier: BSD-2-Clause */
/* datadir.h: where the data files rtr ships (ENDPOINTS, conform.topo, lab topologies) are found. */
#ifndef RTR_CLIENT_DATADIR_H
#define RTR_CLIENT_DATADIR_H

#include <stddef.h>

/*
 * Writes into path (cap bytes) where the shipped data file name lives
 * (name may hold a subdirectory, "topologies/linear.topo"), looking in order:
 *   1. $RTR_DATADIR/name when RTR_DATADIR is set and not empty (nothing else
 *      is tried then: an override that does not hold the file is an error);
 *   2. BINDIR/../share/rtr/name, BINDIR being the directory of the running
 *      program (/proc/self/exe): an install under any PREFIX or DESTDIR, moved
 *      or not, and the build tree (the Makefile copies the data next to
 *      build/bin and build/san/bin);
 *   3. the PREFIX compiled in (RTR_DATADIR_DEFAULT)/name.
 * Returns 0 with the first readable file in path, or -1 when none is: path
 * then holds the place that should have had it (1., else 2.) for a message.
 */
int rtr_datadir_find(const char *name, char *path, size_t cap);

#endif
