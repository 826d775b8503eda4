#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Peer test: what Debian's dnstwist generates for a set of protected domains must be flagged.

For each domain, dnstwist's default fuzzers (its own Fuzzer class, no DNS look-ups) generate
permutations; all of them go through `typoguard check --protect-file <domains> --json`.
A permutation counts as flagged when typoguard calls it a look-alike of the domain it was
generated from. Prints per-domain and per-fuzzer figures and every miss; exits 1 when fewer
than --min-recall of the names are flagged.

Usage: dnstwist_recall.py --typoguard BUILD/typoguard [--min-recall 0.99] [--report FILE]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

DOMAINS = [
    "army.mil", "navy.mil", "gmail.com", "outlook.com", "yahoo.com", "hotmail.com",
    "paypal.com", "microsoft.com", "state.gov", "amazon.com", "google.com", "protonmail.com",
]


def dnstwist_permutations(domain):
    """(fuzzer, name) pairs from the installed dnstwist module, without its '*original'."""
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    import dnstwist  # Debian package 'dnstwist'
    fuzzer = dnstwist.Fuzzer(domain)
    fuzzer.generate()
    return [(d["fuzzer"], d["domain"]) for d in fuzzer.domains if d["fuzzer"] != "*original"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--typoguard", required=True, help="path to the typoguard binary")
    ap.add_argument("--min-recall", type=float, default=0.99)
    ap.add_argument("--report", help="also write the figures as Markdown to this file")
    args = ap.parse_args()

    generated = []  # (domain, fuzzer, name)
    for domain in DOMAINS:
        for fuzzer, name in dnstwist_permutations(domain):
            generated.append((domain, fuzzer, name))
    if not generated:
        print("dnstwist generated nothing", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        protect = os.path.join(tmp, "protect.txt")
        with open(protect, "w") as f:
            f.write("\n".join(DOMAINS) + "\n")
        proc = subprocess.run(
            [args.typoguard, "check", "--protect-file", protect, "--json"],
            input="\n".join(n for _, _, n in generated) + "\n",
            capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        print(f"typoguard check failed ({proc.returncode}): {proc.stderr}", file=sys.stderr)
        return 1
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    if len(results) != len(generated):
        print(f"expected {len(generated)} results, got {len(results)}", file=sys.stderr)
        return 1

    per_domain = collections.defaultdict(lambda: [0, 0])
    per_fuzzer = collections.defaultdict(lambda: [0, 0])
    misses = []
    for (domain, fuzzer, name), r in zip(generated, results):
        ok = r["verdict"] == "look-alike" and r["protected"] == domain
        for table, key in ((per_domain, domain), (per_fuzzer, fuzzer)):
            table[key][0] += ok
            table[key][1] += 1
        if not ok:
            misses.append((domain, fuzzer, name, r["verdict"], r.get("protected"), r.get("technique")))

    flagged = sum(v[0] for v in per_domain.values())
    total = len(generated)
    recall = flagged / total
    lines = [f"dnstwist peer test: {flagged} of {total} names flagged ({100 * recall:.2f} %)", "",
             "| protected domain | flagged | generated | recall |", "|---|---|---|---|"]
    for d in DOMAINS:
        ok, n = per_domain[d]
        lines.append(f"| {d} | {ok} | {n} | {100 * ok / n:.2f} % |")
    lines += ["", "| dnstwist fuzzer | flagged | generated | recall |", "|---|---|---|---|"]
    for fz in sorted(per_fuzzer):
        ok, n = per_fuzzer[fz]
        lines.append(f"| {fz} | {ok} | {n} | {100 * ok / n:.2f} % |")
    lines += ["", f"Misses ({len(misses)}):", ""]
    for domain, fuzzer, name, verdict, prot, tech in misses:
        lines.append(f"- `{name}` ({fuzzer} of {domain}): {verdict}"
                     + (f" of {prot} ({tech})" if prot else ""))
    text = "\n".join(lines)
    print(text)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text + "\n")
    if recall < args.min_recall:
        print(f"FAILED: recall {recall:.4f} below {args.min_recall}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
