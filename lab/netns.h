/* SPDX-License-Identifier: BSD-2-Clause */
/* netns.h: named network namespaces under /run/netns (compatible with `ip netns`) and sysctls. */
#ifndef RTR_LAB_NETNS_H
#define RTR_LAB_NETNS_H

#include <stddef.h>

#define NETNS_DIR "/run/netns"

/** netns_create() - make namespace @name, bind-mounted at /run/netns/@name; the caller's
 * namespace is unchanged. Return: 0 or -errno (-EEXIST if the name is taken). */
int netns_create(const char *name);

/** netns_delete() - unmount and remove /run/netns/@name. Return: 0 or -errno. */
int netns_delete(const char *name);

/** netns_open() - an O_RDONLY descriptor of namespace @name. Return: fd or -errno. */
int netns_open(const char *name);

/** netns_enter() - setns() into @fd (a namespace or the saved root). Return: 0 or -errno. */
int netns_enter(int fd);

/** netns_kill_users() - SIGKILL every process whose network namespace is @name.
 * Return: how many were signalled. */
int netns_kill_users(const char *name);

/** sysctl_write() - write @value to /proc/sys/@key ("net/ipv4/ip_forward") of the current
 * network namespace. Return: 0 or -errno. */
int sysctl_write(const char *key, const char *value);

/*
 * Turns off transmit checksum offload on interface @ifname of the current
 * namespace (ethtool -K IF tx off). A veth otherwise hands locally built
 * packets (IPv6 TCP RSTs above all) to its peer with the checksum unfinished
 * (CHECKSUM_PARTIAL), which raw sockets and tc programs then see as wrong;
 * real NICs deliver finished checksums. Returns 0 or -errno.
 */
int netif_tx_csum_off(const char *ifname);

#endif
