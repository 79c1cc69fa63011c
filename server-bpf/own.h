/* SPDX-License-Identifier: BSD-2-Clause */
/* own.h: which rtr-server owns an interface (pid locks) and the sysctls it must give back. */
#ifndef RTR_OWN_H
#define RTR_OWN_H

#include <stddef.h>

#define OWN_NSYSCTL 2 /* net.ipv4.conf.lo.forwarding, net.ipv6.conf.lo.forwarding */

/*
 * Takes the lock of ifindex in this network namespace and writes our pid
 * into it. Returns the lock's fd (closing it releases the lock), -EBUSY with
 * "already served by rtr-server pid N ..." in err when a live server holds
 * it, or another -errno.
 */
int own_lock_if(int ifindex, char *err, size_t errlen);

/* Removes the lock file of ifindex and releases the lock fd (a clean exit). */
void own_unlock_if(int fd, int ifindex);

/*
 * The program asks the FIB how the host would route a packet it originates
 * (input device lo), and bpf_fib_lookup answers only for an input device with
 * forwarding on: enables forwarding on lo alone, which forwards nothing since
 * no packet arrives from outside on lo. The values found are saved for
 * own_restore_sysctls. Returns 0 or -errno with a message in err.
 */
int own_enable_lo_forwarding(char *err, size_t errlen);

/*
 * Writes back the values own_enable_lo_forwarding found, unless another
 * rtr-server still runs in this namespace (the last one to leave restores,
 * then removes the namespace's files: the saved values, the namespace lock
 * and every interface lock nobody holds). Call after releasing this
 * process's interface locks.
 */
void own_restore_sysctls(void);

#endif
