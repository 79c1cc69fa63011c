#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# check-includes.py: fails, naming the cycle, when the modules of client/ include each other in a loop.
"""Reads the `#include "..."` lines of DIR/*.c and DIR/*.h (DIR defaults to client/) and checks
that the module graph they make has no cycle.

What counts as a cycle (module level, on purpose):

- A module is a header and the .c files that implement it. x.c belongs to the module of x.h when
  that header exists. A .c file without a header of its own name (eng_forward.c, out_text.c)
  belongs to the module of the header in DIR that declares the most of the non-static functions it
  defines (so out_text.c, out_json.c, ... are one module with output.h); a .c that implements no
  header of DIR (main.c) is a module by itself.
- Module A depends on module B when a file of A includes B's header. A file including its own
  module's header is no dependency. Headers outside DIR (proto/, common/, system headers) are
  lower layers that cannot include DIR and are ignored.
- A cycle is two or more modules that reach each other through dependencies (a strongly connected
  component of the graph). It is reported as the path A -> B -> ... -> A with, for every step,
  the file and the include line that make it.

Why modules and not files: a header names what its .c files provide, so "x.c includes x.h" is not
a loop, and a set of files that share one header (the renderers of output.h) is one unit whose
internal calls are its own business. What this catches is the layering mistake: two units that
each need the other (engine.c including mda.h while mda.c includes engine.h), which makes neither
one usable, testable or readable without the other.

Exit 0 and one summary line when there is no cycle; exit 1 and one line per cycle otherwise.
"""
import os
import re
import sys
from collections import defaultdict

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A function declared in a header: an identifier followed by "(" in a declaration that ends in ";".
DECL = re.compile(r"\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*(?:__attribute__\s*\(\(.*?\)\)\s*)?;", re.S)
# A function defined at column 0 in a .c file, not static.
DEF = re.compile(r"^(?!static\b)(?!typedef\b)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\([^;]*?\)\s*\{",
                 re.M | re.S)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def modules(root):
    files = sorted(f for f in os.listdir(root) if f.endswith((".c", ".h")))
    src = {f: open(os.path.join(root, f), encoding="utf-8").read() for f in files}
    headers = {f for f in files if f.endswith(".h")}
    declared = {h: set(DECL.findall(strip_comments(src[h]))) for h in headers}
    owner = {}
    for f in files:
        stem = f[:-2]
        if f.endswith(".h") or stem + ".h" in headers:
            owner[f] = stem
            continue
        defined = set(DEF.findall(strip_comments(src[f])))
        best = max(sorted(headers), key=lambda h: len(declared[h] & defined), default=None)
        owner[f] = best[:-2] if best and declared[best] & defined else stem
    return files, src, headers, owner


def graph(root):
    files, src, headers, owner = modules(root)
    edges = defaultdict(dict)  # module -> {module: (file, line)}
    for f in files:
        for m in INCLUDE.finditer(src[f]):
            inc = os.path.basename(m.group(1))
            if m.group(1) != inc or inc not in headers:
                continue
            a, b = owner[f], owner[inc]
            if a != b and b not in edges[a]:
                edges[a][b] = (f, m.group(0).strip())
    return owner, edges


def sccs(nodes, edges):
    """Tarjan's strongly connected components, iteratively."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, {}))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, {})))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def cycle_path(comp, edges):
    """A closed walk A -> ... -> A inside comp (breadth-first back to the start)."""
    start, members = comp[0], set(comp)
    prev, queue = {start: None}, [start]
    for v in queue:
        for w in sorted(edges.get(v, {})):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                path.reverse()
                return path + [start]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return comp + [start]


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "client")
    owner, edges = graph(root)
    comps = sccs(set(owner.values()), edges)
    name = os.path.basename(os.path.normpath(root))
    for comp in comps:
        path = cycle_path(comp, edges)
        steps = "; ".join(f"{a} -> {b} ({edges[a][b][0]}: {edges[a][b][1]})"
                          for a, b in zip(path, path[1:]))
        print(f"include cycle in {name}/: {' -> '.join(path)}: {steps}")
    if comps:
        return 1
    print(f"{name}/: {len(set(owner.values()))} modules, "
          f"{sum(len(v) for v in edges.values())} dependencies, no include cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
