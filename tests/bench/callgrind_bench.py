#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Instructions per query inside a real Unbound, counted by valgrind's callgrind: numbers that
do not drift with machine noise (docs/performance.md, "Instructions per query").

The same Unbound 1.17.1 (module/build-unbound.sh) and the same data as resolver_bench.py
(wildcard auth-zones com./net./org. as upstream, the same protected sets, cache-miss names and
look-alikes), each daemon run under `valgrind --tool=callgrind`:
  stock      module-config "validator iterator"
  noop       "dynlib validator iterator" with tests/bench/noop.so, a module that only passes
             queries on: what dynlib and one more module in the chain cost, before any work
  tg-N       "dynlib validator iterator" with typoguard.so and N protected domains
For each traffic shape the counters are zeroed (`callgrind_control -z`), a fixed list of
queries is sent one at a time (each answer awaited and its rcode checked), and the counters
are dumped (`callgrind_control -d`). Instructions per query = the dump's total / queries: all
of Unbound's work for those queries (event loop, worker, mesh, modules), nothing of the sender.
The module's own share is the inclusive cost of typoguard.so's operate() and clear().

Usage: tests/bench/callgrind_bench.py [--sizes 10,10000] [--queries 2000] [--build DIR]
           [--out FILE.md] [--keep DIR] [--annotate]     (--help for all)
About 1 minute for the defaults on the 2-core machine. Builds the Release tree in --build
(default /tmp/build-bench, with -DTG_BUILD_BENCHMARKS=ON for noop.so) when something is
missing. Every daemon is stopped by its own PID; every wait is bounded."""
import argparse
import glob
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
import resolver_bench as rb  # noqa: E402  (data, zones and the Unbound configuration)
from unbound_process import free_port  # noqa: E402

RCODES = {0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED"}


def log(msg):
    print(msg, flush=True)


def query_wire(qid, name, qtype=1):
    wire = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1)
    for lab in name.rstrip(".").split("."):
        wire += bytes([len(lab)]) + lab.encode()
    # EDNS0 OPT, 1232 bytes: like dnsperf and mail servers, so the EDE is built and sent.
    return wire + b"\x00" + struct.pack("!HH", qtype, 1) + b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00"


def ask_all(port, source, names, timeout):
    """Sends each name (A) from `source`, one at a time, and waits for its answer (bounded by
    `timeout` per query, with one resend). Returns {rcode name: count}."""
    rcodes = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        s.settimeout(timeout)
        for i, name in enumerate(names):
            qid = (i * 7919 + 1) & 0xFFFF
            wire = query_wire(qid, name)
            got = None
            for _ in range(2):
                s.sendto(wire, ("127.0.0.1", port))
                try:
                    while True:
                        data, _ = s.recvfrom(4096)
                        if data[:2] == wire[:2]:
                            got = data
                            break
                except socket.timeout:
                    continue
                break
            rc = "timeout" if got is None else RCODES.get(got[3] & 0x0F, str(got[3] & 0x0F))
            rcodes[rc] = rcodes.get(rc, 0) + 1
    return rcodes


def callgrind_control(*argv):
    subprocess.run(["callgrind_control", *argv], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)


def dump_total(path):
    """Instructions (Ir) in one callgrind dump: its 'totals:' (or 'summary:') line."""
    with open(path) as f:
        for line in f:
            if line.startswith(("totals:", "summary:")):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {path}")


def inclusive(path, obj_substring, functions):
    """Inclusive Ir of `functions` defined in an object whose path contains obj_substring,
    from callgrind_annotate --inclusive=yes."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                         capture_output=True, text=True, timeout=300).stdout
    total = 0
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S+?):(\w+)\s+\[(.*)\]\s*$", line)
        if m and m.group(3) in functions and obj_substring in m.group(4):
            total += int(m.group(1).replace(",", ""))
    return total


class CallgrindDaemon:
    """Unbound under callgrind; stopped by its own PID."""

    def __init__(self, args, name, module_config, module=None, env_extra=None):
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix=f"cg-{name}-", dir=args.work)
        self.port = free_port()
        conf_args = types.SimpleNamespace(work=args.work, verbosity=args.verbosity,
                                          module=module or "", threads=args.threads)
        self.conf = rb.write_conf(self.tmp, self.port, conf_args, module_config)
        env = dict(os.environ)
        env.pop("TYPOGUARD_POLICY", None)
        env.pop("TYPOGUARD_EVENT_LOG", None)
        env.update(env_extra or {})
        if module is not None and "TYPOGUARD_POLICY" in env:
            # Events are written as in production: formatting, queueing and the writer thread
            # are part of the cost of a blocked query.
            self.events = os.path.join(self.tmp, "events.jsonl")
            env["TYPOGUARD_EVENT_LOG"] = self.events
        else:
            self.events = None
        self.out = os.path.join(self.tmp, "callgrind.out")
        self.proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.out}",
             "--dump-instr=no", "--compress-strings=no", "--compress-pos=no",
             args.unbound, "-d", "-c", self.conf],
            env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.tmp, "valgrind.log"), "w"))
        self.pid = self.proc.pid
        self.dumps = 0

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if rb.dns_query_once(self.port, "ready.invalid", 0.5):
                return True
            time.sleep(0.2)
        return False

    def measure(self, source, names, timeout):
        """Zero, send, dump. Returns (instructions, rcodes, dump path)."""
        callgrind_control("-z", str(self.pid))
        rcodes = ask_all(self.port, source, names, timeout)
        before = set(glob.glob(self.out + ".*"))
        callgrind_control("-d", str(self.pid))
        deadline = time.monotonic() + 60
        new = []
        while time.monotonic() < deadline:
            new = sorted(set(glob.glob(self.out + ".*")) - before)
            if new:
                break
            time.sleep(0.1)
        if not new:
            raise RuntimeError(f"{self.name}: callgrind wrote no dump")
        time.sleep(0.5)  # let the file be complete
        return dump_total(new[-1]), rcodes, new[-1]

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,10000", help="protected set sizes (tg-N configs)")
    ap.add_argument("--queries", type=int, default=2000, help="queries per shape")
    ap.add_argument("--verbosity", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1,
                    help="Unbound num-threads (2: stock is multi-threaded too, as typoguard's "
                         "background threads make it)")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per query (bounded)")
    ap.add_argument("--build", default="/tmp/build-bench")
    ap.add_argument("--unbound")
    ap.add_argument("--out", help="also write the Markdown report here")
    ap.add_argument("--keep", help="work directory to keep (default: a temp dir, removed)")
    ap.add_argument("--annotate", action="store_true",
                    help="keep the dumps and print the top inclusive functions of typoguard.so")
    args = ap.parse_args()
    args.sizes = [int(x) for x in args.sizes.split(",") if x]
    if not args.unbound:
        out = subprocess.run(["bash", os.path.join(SRC, "module", "build-unbound.sh"), "--print"],
                             capture_output=True, text=True)
        prefix = re.search(r"^UNBOUND_PREFIX=(.*)$", out.stdout, re.M)
        if out.returncode != 0 or not prefix:
            sys.exit("run module/build-unbound.sh first (or pass --unbound)")
        args.unbound = os.path.join(prefix.group(1), "sbin", "unbound")
    args.module = os.path.join(args.build, "module", "typoguard.so")
    args.noop = os.path.join(args.build, "tests", "bench", "noop.so")
    args.cli = os.path.join(args.build, "policy", "typoguard")
    if not all(os.path.exists(p) for p in (args.module, args.noop, args.cli)):
        subprocess.run(["cmake", "-S", SRC, "-B", args.build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        "-DTG_BUILD_TESTS=OFF", "-DTG_BUILD_BENCHMARKS=ON"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", args.build, "-j2", "--target", "typoguard_unbound", "typoguard",
                        "tg_noop_module"], check=True, stdout=subprocess.DEVNULL)
    args.work = args.keep or tempfile.mkdtemp(prefix="tg-callgrind-bench-")
    os.makedirs(args.work, exist_ok=True)
    t_start = time.monotonic()
    try:
        data_args = types.SimpleNamespace(sizes=args.sizes, rpz_probe=[], cli=args.cli,
                                          miss_names=args.queries * 12 // 10 + 200)
        log(f"== preparing data in {args.work}")
        data = rb.prepare(data_args, args.work)

        def names(path, n):
            with open(path) as f:
                return [line.split()[0] for line in f if line.strip()][:n]

        hits = names(data["hits"], args.queries)
        misses = names(data["misses"], args.queries)
        configs = [("stock", "validator iterator", None, None, None),
                   ("noop", "dynlib validator iterator", args.noop, None, None)]
        for n in args.sizes:
            configs.append((f"tg-{n}", "dynlib validator iterator", args.module,
                            {"TYPOGUARD_POLICY": data["policy"][n]}, n))
        results = {}
        for name, mc, module, env, n in configs:
            shapes = [("hit", rb.OUT_SCOPE, hits, True), ("miss", rb.OUT_SCOPE, misses, False)]
            if n is not None:
                la = names(data["lookalikes"][n], args.queries)
                shapes += [("lookalike-in-scope", rb.IN_SCOPE, la, False),
                           ("lookalike-out-of-scope", rb.OUT_SCOPE, la, False)]
            d = CallgrindDaemon(args, name, mc, module, env)
            try:
                if not d.wait_ready(600):
                    raise RuntimeError(f"{name}: did not start; see {d.tmp}/valgrind.log")
                ask_all(d.port, rb.OUT_SCOPE, hits, args.timeout)  # warm the cache-hit names
                for shape, source, qnames, _ in shapes:
                    ir, rcodes, path = d.measure(source, qnames, args.timeout)
                    mod = 0
                    if module == args.module:
                        mod = inclusive(path, "typoguard.so", {"operate", "clear"})
                    results[(name, shape)] = {"ir": ir, "q": len(qnames), "rcodes": rcodes,
                                              "module_ir": mod, "dump": path}
                    log(f"  {name} {shape}: {ir / len(qnames):,.0f} instructions/query"
                        + (f" (typoguard.so operate+clear {mod / len(qnames):,.0f})" if mod else "")
                        + f"; {rcodes}")
                    if args.annotate and module == args.module and shape in ("miss", "lookalike-in-scope"):
                        top = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=99", path],
                                             capture_output=True, text=True).stdout.splitlines()
                        log("\n".join(line for line in top[:80] if "typoguard.so" in line or "libstdc" in line
                                      or "libc.so" in line)[:6000])
                if d.events is not None:
                    time.sleep(2)  # the writer thread flushes asynchronously
                    with open(d.events) as f:
                        events = sum(1 for _ in f)
                    blocked = results[(name, "lookalike-in-scope")]["rcodes"].get("NXDOMAIN", 0)
                    log(f"  {name}: {events} events written for {blocked} blocked queries")
                    results[(name, "events")] = events
            finally:
                d.stop()
        report(args, results, configs, time.monotonic() - t_start)
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)


def report(args, results, configs, elapsed):
    lines = [f"callgrind, {args.queries} queries per shape, sent one at a time, verbosity "
             f"{args.verbosity}, num-threads {args.threads}; {elapsed / 60:.1f} min", "",
             "| config | shape | instructions/query | of which typoguard.so | vs stock | answers |",
             "|---|---|---|---|---|---|"]
    for name, *_ in configs:
        for shape in ("hit", "miss", "lookalike-in-scope", "lookalike-out-of-scope"):
            r = results.get((name, shape))
            if r is None:
                continue
            per = r["ir"] / r["q"]
            ref = results.get(("stock", "miss" if shape.startswith("lookalike") else shape))
            ratio = f"{(ref['ir'] / ref['q']) / per:.3f}" if ref else "–"
            mod = f"{r['module_ir'] / r['q']:,.0f}" if r["module_ir"] else "–"
            answers = ", ".join(f"{k} {v}" for k, v in sorted(r["rcodes"].items()))
            lines.append(f"| {name} | {shape} | {per:,.0f} | {mod} | {ratio} | {answers} |")
    lines += ["", "vs stock = stock's instructions per query (its cache miss for the look-alike "
              "shapes) / this row's: the throughput ratio a CPU-bound resolver would see."]
    text = "\n".join(lines)
    log("\n" + text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
