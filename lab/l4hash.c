// SPDX-License-Identifier: BSD-2-Clause
/* l4hash.c: loads l4hash.bpf.o (embedded through its skeleton) and attaches it with libbpf. */
#include "l4hash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "l4hash.skel.h"

int l4hash_attach(const int *ifindex, int n, uint32_t seed, char *err, size_t errlen)
{
	struct l4hash_bpf *skel = l4hash_bpf__open_and_load();
	uint32_t key = 0;
	int rc = 0;

	if (!skel) {
		rc = -errno;
		snprintf(err, errlen, "load l4hash.bpf.o: %s", strerror(errno));
		return rc;
	}
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.l4hash_seed), &key, &seed, BPF_ANY) < 0) {
		rc = -errno;
		snprintf(err, errlen, "l4hash seed: %s", strerror(errno));
		goto out;
	}
	for (int i = 0; i < n; i++) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex[i],
				    .attach_point = BPF_TC_INGRESS);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts,
				    .prog_fd = bpf_program__fd(skel->progs.l4hash));
		rc = bpf_tc_hook_create(&hook);
		if (rc < 0 && rc != -EEXIST) {
			snprintf(err, errlen, "clsact on ifindex %d: %s", ifindex[i],
				 strerror(-rc));
			goto out;
		}
		rc = bpf_tc_attach(&hook, &opts);
		if (rc < 0) {
			snprintf(err, errlen, "attach l4hash on ifindex %d: %s", ifindex[i],
				 strerror(-rc));
			goto out;
		}
	}
	rc = 0;
out:
	/* Closing our descriptors is fine: the attached filters hold the program and its map. */
	l4hash_bpf__destroy(skel);
	return rc;
}
