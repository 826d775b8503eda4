#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Peer test: how many ordinary names a policy flags (false positives).

Stand-in for "real, legitimate domains" without network access: every lower-case English word of
3+ letters from /usr/share/dict/words (Debian package wamerican) under .com, .net and .org —
nearly all such .com names are registered. Protected: the twelve domains of the peer test, then
ten short-label domains. Prints the flagged share for short-label-length 2, 3, the module's
default and 5, by technique, with examples (the figures of docs/detection.md).

With --min-precision, exits 1 when the share of names left unflagged at the default
short-label-length, over both protected sets, is below it; exits 77 (skipped) when the word list
is missing.

Usage: false_positives.py --typoguard BUILD/typoguard [--words FILE] [--min-precision P]
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


# short-label-length values measured; None leaves it out (the YANG module's default), which is
# the setting --min-precision gates.
THRESHOLDS = (2, 3, None, 5)
SKIPPED = 77  # CTest's SKIP_RETURN_CODE in tests/CMakeLists.txt


def policy(domains, threshold):
    doc = {"typoguard:policy": {"protected-domain": [{"name": d} for d in domains]}}
    if threshold is not None:
        doc["typoguard:policy"]["short-label-length"] = threshold
    return doc


def measure(typoguard, tmp, names, domains, threshold):
    """Prints the flagged share of `names` with `domains` protected at `threshold`; returns
    (flagged, total)."""
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
    if len(results) != len(names):
        raise RuntimeError(f"expected {len(names)} results, got {len(results)}")
    setting = "default" if threshold is None else threshold
    print(f"\nshort-label-length {setting}: {len(flagged)} of {len(results)} flagged "
          f"({100 * len(flagged) / len(results):.3f} %)")
    for tech, n in collections.Counter(r["technique"] for r in flagged).most_common():
        examples = [f"{r['name']} -> {r['protected']}" for r in flagged if r["technique"] == tech]
        print(f"  {tech:15} {n:5}   e.g. {', '.join(examples[:4])}")
    return len(flagged), len(results)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--typoguard", required=True)
    ap.add_argument("--words", default="/usr/share/dict/words")
    ap.add_argument("--min-precision", type=float,
                    help="fail below this share of names not flagged at the default setting")
    args = ap.parse_args()
    if not os.path.exists(args.words):
        print(f"SKIP: no word list at {args.words} (Debian package wamerican)")
        return SKIPPED
    with open(args.words, encoding="utf-8", errors="replace") as f:
        words = sorted({w.strip() for w in f if w.strip().isascii() and w.strip().isalpha()
                        and w.strip().islower() and len(w.strip()) >= 3})
    names = [f"{w}.{s}" for w in words for s in ("com", "net", "org")]
    print(f"{len(names)} names ({len(words)} words x com/net/org)")
    flagged = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for set_name, domains in SETS.items():
            print(f"\n## protected: {set_name}: {' '.join(domains)}")
            for threshold in THRESHOLDS:
                f, n = measure(args.typoguard, tmp, names, domains, threshold)
                if threshold is None:
                    flagged += f
                    total += n
    precision = (total - flagged) / total
    print(f"\nprecision at the default short-label-length, both sets: {total - flagged} of "
          f"{total} names not flagged ({precision:.6f})")
    if args.min_precision is not None and precision < args.min_precision:
        print(f"FAILED: precision {precision:.6f} below {args.min_precision}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
