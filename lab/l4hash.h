/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* l4hash.h: attaches the lab's per-flow L4 hashing tc program (l4hash.bpf.c) to a node. */
#ifndef RTR_LAB_L4HASH_H
#define RTR_LAB_L4HASH_H

#include <stdint.h>
#include <stddef.h>

/**
 * l4hash_attach() - load the program with @seed and attach it at tc ingress of every
 * interface in @ifindex (in the caller's current network namespace). The program stays
 * attached until the interfaces go away with the namespace.
 * @err: receives what went wrong.
 * Return: 0 or a negative errno.
 */
int l4hash_attach(const int *ifindex, int n, uint32_t seed, char *err, size_t errlen);

#endif
