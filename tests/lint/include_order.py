#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Checks that the engine's folders include each other only downwards, in the order of a
query's path: a folder may include its own headers and those of folders below it, never one
above it or beside it. Reads the `#include "..."` lines of policy/src, policy/cli and module/.

  model      the shared vocabulary: the typed policy, the techniques
  name       a query name's facts: IDNA, public suffix, confusables, plain names, hashes
  classify   name -> match (why)
  decide     match x client x query type -> action (what)
  config     policy file -> typed policy;   audit  the SOC event (neither includes the other)
  engine     the compiled snapshot and the engine that holds it, reloads it, records events
  variants   names generated from a compiled snapshot (the command's `variants`)
  capi       the C interface (policy/src/capi.cpp), over the engine
  cli        the `typoguard` command (policy/cli)
  module     the Unbound shim (module/): Unbound's headers and the public C header
             typoguard/typoguard.h, nothing of the engine

Usage: tests/lint/include_order.py [SOURCE_DIR]   (the lint.include_order test)
       tests/lint/include_order.py --edges [SOURCE_DIR]   prints every folder edge, allowed
       or not. Exit 0 when no edge goes up or sideways, 1 otherwise (each one printed as
       file:line)."""
import os
import re
import sys

RANK = {
    "model": 0,
    "name": 1,
    "classify": 2,
    "decide": 3,
    "config": 4,
    "audit": 4,
    "engine": 5,
    "variants": 6,
    "capi": 7,
    "cli": 8,
    "module": 9,
}
# The public C header: what the C layer and the shim share (and nothing else includes).
PUBLIC = "typoguard"
MAY_INCLUDE_PUBLIC = {"capi", "module"}
# Unbound's own headers, which only the shim includes (from unbound-module-dev's tree).
UNBOUND = {"dynlibmod", "services", "sldns", "util", "iterator", "validator", "daemon"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of(root, path):
    """The layer of a source file, or None for files outside the checked tree."""
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == "module":
        return "module"
    if rel[:2] == ["policy", "cli"]:
        return "cli"
    if rel[:2] == ["policy", "src"]:
        if len(rel) == 3:
            return "capi" if rel[2].startswith("capi") else "(root)"
        return rel[2]
    return None


def target_of(include, source_folder):
    """The layer an include names: its first path component, or the including folder for a
    bare file name (module/'s own headers, cli/'s own)."""
    head = include.split("/")[0] if "/" in include else None
    if head is None:
        return source_folder
    return head


def main(argv):
    show_edges = "--edges" in argv
    args = [a for a in argv if a != "--edges"]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), "..", ".."))
    problems = []
    edges = {}
    for top in ("policy/src", "policy/cli", "module"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not re.search(r"\.(c|h|cpp|hpp|in)$", name):
                    continue
                path = os.path.join(dirpath, name)
                src = folder_of(root, path)
                if src is None:
                    continue
                if src not in RANK:
                    problems.append(f"{os.path.relpath(path, root)}: folder '{src}' has no "
                                    "place in the layer order (add it to RANK)")
                    continue
                with open(path, encoding="utf-8") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        dst = target_of(m.group(1), src)
                        where = f"{os.path.relpath(path, root)}:{lineno}"
                        edges.setdefault((src, dst), []).append(where)
                        if dst == src:
                            continue
                        if dst == PUBLIC:
                            if src not in MAY_INCLUDE_PUBLIC:
                                problems.append(f"{where}: {src}/ includes the public C header "
                                                f'"{m.group(1)}"; only capi.cpp and module/ may')
                            continue
                        if src == "module" and dst in UNBOUND:
                            continue
                        if src == "module":
                            problems.append(f'{where}: module/ includes "{m.group(1)}"; the '
                                            "shim sees the engine only through typoguard.h")
                            continue
                        if dst not in RANK:
                            problems.append(f'{where}: "{m.group(1)}" names no known folder')
                        elif RANK[dst] >= RANK[src]:
                            side = "above" if RANK[dst] > RANK[src] else "beside"
                            problems.append(f'{where}: {src}/ includes "{m.group(1)}" from '
                                            f"{dst}/, a folder {side} it")
    if show_edges:
        for (src, dst), wheres in sorted(edges.items(), key=lambda e: (RANK.get(e[0][0], 99), e[0][1])):
            if src != dst:
                print(f"{src} -> {dst}: {len(wheres)}")
    for p in problems:
        print(p)
    if problems:
        print(f"include_order: {len(problems)} include(s) against the folder order")
        return 1
    n = sum(len(w) for (s, d), w in edges.items() if s != d)
    print(f"include_order: {n} includes across folders, all downwards")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
