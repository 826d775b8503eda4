#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""False-positive measurement: how many ordinary names a policy flags.

Stand-in for "real, legitimate domains" without network access: every lower-case English word of
3+ letters from /usr/share/dict/words (Debian package wamerican) under .com, .net and .org —
nearly all such .com names are registered. Protected: the twelve domains of the peer test.
Prints the flagged share for short-label-length 3, 4 (default), 5 and 6, by technique, with
examples. A measurement for docs/detection.md, not a pass/fail test.

Usage: false_positives.py --typoguard BUILD/typoguard [--words FILE]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

from dnstwist_recall import DOMAINS

# Short labels, where the short-label safeguard decides.
SHORT = ["aol.com", "gmx.com", "ibm.com", "bbc.co.uk", "af.mil", "web.de", "cnn.com", "hp.com",
         "nyt.com", "ups.com"]
SETS = {"peer domains (12, labels of 4+)": DOMAINS, "short labels (10)": SHORT}


def policy(domains, threshold):
    return {"typoguard:policy": {
        "short-label-length": threshold,
        "protected-domain": [{"name": d} for d in domains]}}


def measure(typoguard, tmp, names, domains, threshold):
    """Prints the flagged share of `names` with `domains` protected at `threshold`."""
    path = os.path.join(tmp, f"p{threshold}.json")
    with open(path, "w") as f:
        json.dump(policy(domains, threshold), f)
    proc = subprocess.run([typoguard, "check", "--policy", path, "--json"],
                          input="\n".join(names) + "\n", capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr)
    labels = {d.split(".")[0] for d in domains}
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    flagged = [r for r in results
               if r["verdict"] == "look-alike" and r["name"].split(".")[0] not in labels]
    print(f"\nshort-label-length {threshold}: {len(flagged)} of {len(results)} flagged "
          f"({100 * len(flagged) / len(results):.3f} %)")
    for tech, n in collections.Counter(r["technique"] for r in flagged).most_common():
        examples = [f"{r['name']} -> {r['protected']}" for r in flagged if r["technique"] == tech]
        print(f"  {tech:15} {n:5}   e.g. {', '.join(examples[:4])}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--typoguard", required=True)
    ap.add_argument("--words", default="/usr/share/dict/words")
    args = ap.parse_args()
    with open(args.words, encoding="utf-8", errors="replace") as f:
        words = sorted({w.strip() for w in f if w.strip().isascii() and w.strip().isalpha()
                        and w.strip().islower() and len(w.strip()) >= 3})
    names = [f"{w}.{s}" for w in words for s in ("com", "net", "org")]
    print(f"{len(names)} names ({len(words)} words x com/net/org)")
    with tempfile.TemporaryDirectory() as tmp:
        for set_name, domains in SETS.items():
            print(f"\n## protected: {set_name}: {' '.join(domains)}")
            for threshold in (2, 3, 4, 5):
                measure(args.typoguard, tmp, names, domains, threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
