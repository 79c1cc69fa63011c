/* SPDX-License-Identifier: BSD-2-Clause */
/* campaign.h: many traces at once under one packet rate, each written as soon as it ends. */
#ifndef RTR_CLIENT_CAMPAIGN_H
#define RTR_CLIENT_CAMPAIGN_H

#include <signal.h>

#include "cli.h"

/*
 * Runs the campaign o describes (rtr_cli_is_campaign): targets from the
 * arguments, --targets and --all-endpoints, at most o->concurrent traces in
 * flight over shared raw sockets (one set per address family), every packet
 * of every trace paced under one --rate, each finished trace written at once
 * (--format jsonl: one JSON document per line; text: its table) and flushed.
 * *stop (set by a signal) interrupts the running traces, writes them and
 * starts no more. Returns the exit code: 0 when every trace ran, 130 when
 * interrupted, 1 on a runtime error or when no target could be traced.
 */
int rtr_campaign_main(const struct rtr_opts *o, volatile sig_atomic_t *stop);

#endif
