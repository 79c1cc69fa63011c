// SPDX-License-Identifier: BSD-2-Clause
/* fib_hop_check.c: asks rtr_fib_nexthops about one destination and compares with what the
 * calling script built (tests/mda/fib.sh). Usage: fib_hop_check ADDR EXPECTED [IFACE] */
#include <stdio.h>
#include <stdlib.h>

#include "addr.h"
#include "fib_hop.h"

int main(int argc, char **argv)
{
	struct rtr_addr dst;
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: fib_hop_check ADDR EXPECTED [IFACE]\n");
		return 2;
	}
	int family = rtr_addr_parse(&dst, argv[1]);
	if (family != 4 && family != 6) {
		fprintf(stderr, "fib_hop_check: %s is not an address\n", argv[1]);
		return 2;
	}
	char err[256] = "";
	int n = rtr_fib_nexthops(family, &dst, NULL, argc == 4 ? argv[3] : NULL, err, sizeof(err));
	int want = atoi(argv[2]);
	printf("%s: %d nexthops, want %d%s%s\n", argv[1], n, want, *err ? ": " : "", err);
	return n == want ? 0 : 1;
}
