#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_truth.py: does a multipath JSON result hold every node and link of the lab's truth?

usage: check_truth.py RESULT.json ADDRS TRUTH FROM TO
ADDRS: `rtr-lab addrs` output (NODE IF ADDR/LEN); TRUTH: `rtr-lab truth` output.
Prints one line (what is missing or foreign) and exits 0 when the truth is found exactly."""
import json
import sys

res, addrs_file, truth_file, frm, to = sys.argv[1:6]
node_of = {}
for line in open(addrs_file):
    f = line.split()
    if len(f) == 3:
        node_of[f[2].split("/")[0]] = f[0]
nodes, links = set(), set()
for line in open(truth_file):
    head, _, path = line.partition(": ")
    if head.split() != [frm, to]:
        continue
    hops = path.split()
    nodes.update(hops[1:])
    links.update(zip(hops[1:-1], hops[2:]))
if not nodes:
    print(f"no truth {frm} -> {to}")
    sys.exit(1)
doc = json.load(open(res))
tr = doc["traces"][0]
found_nodes = {node_of.get(i["address"], "?" + i["address"]) for h in tr["hops"] for i in h["interfaces"]}
found_links = set()
for l in tr["links"]:
    a, b = node_of.get(l["from"], "?" + l["from"]), node_of.get(l["to"], "?" + l["to"])
    if a != b:  # the far end answering again at a higher TTL
        found_links.add((a, b))
    # every link lists the flows that crossed it, each a real probe of the trace
    assert l["flows"], l
probes = {(p["ttl"], p["flow"]) for p in tr["probes"]}
# A forward first hop the FIB names as single is probed once: its links carry every flow that
# reached the next TTL, probed at the first TTL or not (docs/JSON.md).
first = tr["hops"][0] if tr["hops"] else None
fib_single = (tr["direction"] == "forward" and first is not None and first["ttl"] == 1
              and len(first["interfaces"]) == 1)
for l in tr["links"]:
    for fl in l["flows"]:
        at_from = (l["from_ttl"], fl) in probes or (fib_single and l["from_ttl"] == 1)
        assert at_from and (l["from_ttl"] + 1, fl) in probes, (l, fl)
sent = tr["probe_counts"]["sent"]
problems = []
if tr["stop_reason"] != "completed":
    problems.append("stop " + tr["stop_reason"])
if nodes - found_nodes:
    problems.append("missing nodes " + " ".join(sorted(nodes - found_nodes)))
if found_nodes - nodes:
    problems.append("foreign nodes " + " ".join(sorted(found_nodes - nodes)))
if links - found_links:
    problems.append("missing links " + " ".join(a + ">" + b for a, b in sorted(links - found_links)))
if found_links - links:
    problems.append("foreign links " + " ".join(a + ">" + b for a, b in sorted(found_links - links)))
print(("; ".join(problems) if problems else "ok") + f" ({len(found_nodes)} nodes, {len(found_links)} links, {sent} probes)")
sys.exit(1 if problems else 0)
