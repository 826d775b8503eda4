#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Paired wall-clock comparison of resolver variants on one traffic shape, for effects of a few
percent that resolver_bench.py's long-lived daemons blur: every measurement starts a fresh
Unbound (empty cache, fresh memory layout), warms it with one pass over the cache-hit names,
runs one bounded dnsperf load and stops it; the variants alternate within each round (A B C,
then C B A), and each pair's ratio is taken within a round, then the median over rounds.

Variants (any number, the first is the base):
  stock                 module-config "validator iterator"
  stock+thread          the same with an idle extra thread in the process (LD_PRELOAD of a
                        library built on the fly): what any module's background thread costs,
                        through glibc's multi-threaded paths
  NAME=MODULE.so:N      "dynlib validator iterator" with that typoguard.so and N protected
                        domains, e.g. new=/tmp/build-bench/module/typoguard.so:10000 (the
                        YANG module is compiled in; a module built before it was, copied out
                        of its build tree, finds this checkout's .yang file through
                        TYPOGUARD_YANG_DIR, which is set unless it already is)

Same data, zones, pinning (Unbound on CPU 0, dnsperf on CPU 1) and Unbound as
resolver_bench.py; every daemon is stopped by its own PID, every load bounded by time and rate.

Usage: tests/bench/paired_bench.py [--rounds 8] [--duration 4] [--shape miss] VARIANT...
About 6 s a measurement: 8 rounds of 3 variants take ~2.5 minutes after the data (~1 minute)."""
import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import resolver_bench as rb  # noqa: E402

IDLE_THREAD_C = r"""
#include <pthread.h>
#include <unistd.h>
static void* idle(void* arg) { (void)arg; for (;;) pause(); return 0; }
__attribute__((constructor)) static void start_idle_thread(void) {
  pthread_t t;
  if (pthread_create(&t, 0, idle, 0) == 0) pthread_detach(t);
}
"""


def parse_variant(spec, work):
    """(name, module-config, module path or None, protected set size or None, extra env)."""
    if spec == "stock":
        return spec, "validator iterator", None, None, {}
    if spec == "stock+thread":
        lib = os.path.join(work, "idle_thread.so")
        if not os.path.exists(lib):
            src = os.path.join(work, "idle_thread.c")
            with open(src, "w") as f:
                f.write(IDLE_THREAD_C)
            subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", lib, src, "-lpthread"], check=True)
        return spec, "validator iterator", None, None, {"LD_PRELOAD": lib}
    m = re.fullmatch(r"([\w.+-]+)=(.+\.so):(\d+)", spec)
    if not m:
        sys.exit(f"paired_bench: bad variant {spec!r} (stock, stock+thread or NAME=MODULE.so:N)")
    return m.group(1), "dynlib validator iterator", os.path.abspath(m.group(2)), int(m.group(3)), {}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--duration", type=int, default=4, help="seconds per load")
    ap.add_argument("--shape", default="miss", choices=["hit", "miss", "lookalike-in-scope"])
    ap.add_argument("--miss-names", type=int, default=600000)
    ap.add_argument("--build", default="/tmp/build-bench", help="Release tree with the typoguard CLI")
    ap.add_argument("--keep", help="work directory to keep (default: a temp dir, removed)")
    a = ap.parse_args()
    if len(a.variants) < 2:
        sys.exit("paired_bench: give at least two variants")
    os.environ.setdefault("TYPOGUARD_YANG_DIR", os.path.join(SRC, "policy", "yang"))
    work = a.keep or tempfile.mkdtemp(prefix="tg-paired-bench-")
    os.makedirs(work, exist_ok=True)
    variants = [parse_variant(v, work) for v in a.variants]
    sizes = sorted({v[3] for v in variants if v[3] is not None}) or [10]
    cli = os.path.join(a.build, "policy", "typoguard")
    if not os.path.exists(cli):
        sys.exit(f"paired_bench: {cli} missing (build the Release tree, or run resolver_bench.py once)")
    env = subprocess.run(["bash", os.path.join(SRC, "module", "build-unbound.sh"), "--print"],
                         capture_output=True, text=True, check=True).stdout
    args = types.SimpleNamespace(
        sizes=sizes, rpz_probe=[], miss_names=a.miss_names, work=work, cli=cli, verbosity=1,
        rss_limit_gib=10, max_qps=1000000, outstanding=100, threads=1, module=None,
        unbound=os.path.join(re.search(r"UNBOUND_PREFIX=(\S+)", env).group(1), "sbin", "unbound"))
    rb.log(f"== paired: {', '.join(a.variants)}; shape {a.shape}; {a.rounds} rounds × {a.duration} s")
    data = rb.prepare(args, work)
    if a.shape == "miss":
        datafile, source = data["misses"], rb.OUT_SCOPE
    elif a.shape == "hit":
        datafile, source = data["hits"], rb.OUT_SCOPE
    else:
        datafile, source = None, rb.IN_SCOPE
    qps = {v[0]: [] for v in variants}
    try:
        for r in range(a.rounds):
            for name, module_config, module, size, extra in (variants if r % 2 == 0 else variants[::-1]):
                args.module = module
                env_extra = dict(extra)
                if module:
                    env_extra["TYPOGUARD_POLICY"] = data["policy"][size]
                d = rb.Daemon(args, module_config, env_extra)
                try:
                    if d.wait_ready(60) is None:
                        sys.exit(f"paired_bench: {name} did not start\n" + d.log()[-1500:])
                    rb.dnsperf(args, d.port, data["hits"], rb.OUT_SCOPE, 30, once=True)
                    load = datafile or data["lookalikes"][size or sizes[0]]
                    res = rb.dnsperf(args, d.port, load, source, a.duration, once=(a.shape == "miss"))
                finally:
                    d.stop()
                qps[name].append(res["qps"])
            rb.log(f"  round {r + 1}: " + "; ".join(f"{n} {q[-1]:,.0f} qps" for n, q in qps.items()))
    finally:
        if not a.keep:
            subprocess.run(["rm", "-rf", work], check=False)
    print("\n| pair | median ratio (qps) | rounds |\n|---|---|---|")
    for (base, _, _, _, _), (other, _, _, _, _) in itertools.combinations(variants, 2):
        ratios = [x / y for x, y in zip(qps[other], qps[base])]
        print(f"| {other} / {base} | {statistics.median(ratios):.3f} | "
              f"{', '.join(f'{x:.3f}' for x in ratios)} |")


if __name__ == "__main__":
    main()
