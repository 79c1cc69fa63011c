#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# check-traceability.py: every requirement id of docs/PROTOCOL.md names a test in section 12.
"""Checks docs/PROTOCOL.md section 12 against the ids the document defines.

Fails (exit 1, one line per problem) when an id defined in bold (**REQ-1**) has no row, when a
row names no test (unless its tests cell starts with "none:" and says why no test can exist),
when a row's level cell is not draft/profile (with reasons allowed after the words), when a
cmocka test function named in backquotes (`test_x`) exists nowhere under tests/ or fuzz/, or
when a conformance case pattern (K `case*`) matches no case of `rtr-conform --list-cases`
(given with --cases FILE). --doc checks another copy of the document. Rows other helpers add without a level cell are accepted when they
name a test.
"""
import fnmatch
import os
import re
import sys

ID = r"[A-Z]{3}-\d+"


def expand(cell):
    """Ids of a first cell: lists, and ranges written X-1..X-7 or X-1 .. X-7."""
    ids = set()
    for a, b in re.findall(r"(" + ID + r")\s*\.\.\s*(" + ID + r")", cell):
        pa, na = a.rsplit("-", 1)
        pb, nb = b.rsplit("-", 1)
        if pa == pb:
            ids.update(f"{pa}-{i}" for i in range(int(na), int(nb) + 1))
    ids.update(re.findall(ID, cell))
    return ids


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = sys.argv[1:]
    cases = None
    doc_path = os.path.join(root, "docs/PROTOCOL.md")
    while len(args) >= 2 and args[0] in ("--cases", "--doc"):
        if args[0] == "--cases":
            with open(args[1]) as f:
                cases = [line.split("\t")[1] for line in f if "\t" in line]
        else:
            doc_path = args[1]
        args = args[2:]
    if args:
        print("usage: check-traceability.py [--cases FILE] [--doc FILE]")
        return 2
    doc = open(doc_path).read()
    defined = set(re.findall(r"\*\*(" + ID + r")\b", doc))
    sec = doc.split("\n## 12.", 1)
    if len(sec) != 2:
        print("docs/PROTOCOL.md has no section 12")
        return 1
    sources = []
    for d in ("tests", "fuzz"):
        for dp, _, files in os.walk(os.path.join(root, d)):
            for fn in files:
                if fn.endswith(".c"):
                    sources.append(open(os.path.join(dp, fn), errors="replace").read())
    code = "\n".join(sources)
    problems = []
    covered = set()
    for line in sec[1].splitlines():
        if not line.startswith("| ") or line.startswith("|---") or line.startswith("| requirement"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        ids = expand(cells[0])
        if not ids:
            continue
        tests = cells[1] if len(cells) > 1 else ""
        if tests.startswith("none:"):
            if len(tests) < 12:
                problems.append(f"{cells[0]}: 'none:' without saying why no test can exist")
        elif not tests:
            problems.append(f"{cells[0]}: names no test")
        if len(cells) > 2 and not re.search(r"\b(draft|profile)\b", cells[2]):
            problems.append(f"{cells[0]}: level '{cells[2]}' is not draft or profile")
        for fn in re.findall(r"`(test_[a-z0-9_]+)`", tests):
            if not re.search(r"\b" + fn + r"\b", code):
                problems.append(f"{cells[0]}: {fn} exists nowhere under tests/ or fuzz/")
        if cases is not None:
            for part in re.findall(r"\bK ([^;]*)", tests):
                for pat in re.findall(r"`([a-z0-9*{},-]+)`", part):
                    pats = [pat]
                    m = re.match(r"(.*)\{([^}]*)\}(.*)", pat)
                    if m:
                        pats = [m.group(1) + alt + m.group(3) for alt in m.group(2).split(",")]
                    for p in pats:
                        if not any(fnmatch.fnmatch(c, p) or fnmatch.fnmatch(c, p + "-v[46]")
                                   for c in cases):
                            problems.append(f"{cells[0]}: K `{p}` matches no rtr-conform case")
        covered |= ids
    for i in sorted(defined - covered, key=lambda s: (s.split("-")[0], int(s.split("-")[1]))):
        problems.append(f"{i}: defined in docs/PROTOCOL.md, no row in section 12 names a test")
    for p in problems:
        print(p)
    print(f"{len(defined)} requirement ids, {len(defined & covered)} traced, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
