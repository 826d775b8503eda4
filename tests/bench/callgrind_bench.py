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
       tests/bench/callgrind_bench.py --build build/ci --check tests/bench/callgrind_baseline.json
           [--tolerance 0.03]           the gate: exit 1 when a typoguard.so figure grew
       tests/bench/callgrind_bench.py --build build/ci --write-baseline FILE --why REASON
About 1 minute for the defaults on the 2-core machine, half that for the gate (tg-N only;
tests/bench/README.md). Builds the Release tree in the default --build (/tmp/build-bench, with
-DTG_BUILD_BENCHMARKS=ON for noop.so) when something is missing; any other --build must be
complete. Every daemon is stopped by its own PID; every wait is bounded, and the whole run by
--deadline."""
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
import callgrind_gate as gate_mod  # noqa: E402  (the baseline and the comparison)
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


def ask_all(port, source, names, timeout, deadline=None):
    """Sends each name (A) from `source`, one at a time, and waits for its answer (bounded by
    `timeout` per query, with one resend). Returns {rcode name: count}; RuntimeError past
    `deadline` (time.monotonic())."""
    rcodes = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        s.settimeout(timeout)
        for i, name in enumerate(names):
            if deadline is not None and time.monotonic() > deadline:
                raise RuntimeError("past the --deadline")
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
        self.deadline = args.deadline_at

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
        rcodes = ask_all(self.port, source, names, timeout, self.deadline)
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


DEFAULTS = {"sizes": [10, 10000], "queries": 2000, "verbosity": 1, "threads": 1}
DEFAULT_BUILD = "/tmp/build-bench"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="protected set sizes (tg-N configs; default 10,10000)")
    ap.add_argument("--queries", type=int, help="queries per shape (default 2000)")
    ap.add_argument("--verbosity", type=int, help="Unbound verbosity (default 1)")
    ap.add_argument("--threads", type=int,
                    help="Unbound num-threads (default 1; 2: stock is multi-threaded too, as "
                         "typoguard's background threads make it)")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per query (bounded)")
    ap.add_argument("--deadline", type=float, default=1800,
                    help="seconds for all the measuring: past it the daemon is stopped and the "
                         "run fails (default 1800)")
    ap.add_argument("--build", default=DEFAULT_BUILD,
                    help="build tree with module/typoguard.so and policy/typoguard (only the "
                         f"default, {DEFAULT_BUILD}, is configured and built here when incomplete)")
    ap.add_argument("--unbound")
    ap.add_argument("--out", help="also write the Markdown report here")
    ap.add_argument("--keep", help="work directory to keep (default: a temp dir, removed)")
    ap.add_argument("--annotate", action="store_true",
                    help="keep the dumps and print the top inclusive functions of typoguard.so")
    gate = ap.add_argument_group("the gate (tests/bench/README.md); both measure the tg-N "
                                 "configs only, with the baseline's parameters for --check")
    gate.add_argument("--check", metavar="FILE",
                      help="exit 1 when a typoguard.so figure grows over baseline FILE by more "
                           "than --tolerance, or is missing, or its answers differ")
    gate.add_argument("--tolerance", type=float, default=0.03,
                      help="allowed growth, a fraction (default 0.03)")
    gate.add_argument("--note-below", type=float, default=0.10,
                      help="a drop larger than this fraction suggests lowering the baseline")
    gate.add_argument("--write-baseline", metavar="FILE", help="write the figures as baseline FILE")
    gate.add_argument("--why", help="with --write-baseline: the reason, recorded in the file")
    args = ap.parse_args()
    if args.check and args.write_baseline:
        ap.error("--check and --write-baseline exclude each other")
    if args.write_baseline and not args.why:
        ap.error("--write-baseline needs --why: the reason the baseline changes")
    explicit = {k: getattr(args, k) for k in gate_mod.PARAMS if getattr(args, k) is not None}
    if "sizes" in explicit:
        explicit["sizes"] = [int(x) for x in args.sizes.split(",") if x]
    args.baseline = None
    if args.check:
        try:
            args.baseline = gate_mod.load(args.check)
        except (OSError, ValueError) as e:
            sys.exit(f"callgrind_bench: {e}")
        params = dict(args.baseline["params"])
        for k, v in explicit.items():
            if v != params[k]:
                sys.exit(f"callgrind_bench: --{k} {v} differs from the baseline's {params[k]}; "
                         "a check measures with the baseline's parameters")
    else:
        params = {**DEFAULTS, **explicit}
    for k, v in params.items():
        setattr(args, k, v)
    args.params = {k: params[k] for k in gate_mod.PARAMS}
    args.gate = bool(args.check or args.write_baseline)
    return args


def find_tools(args):
    """Unbound, typoguard.so, noop.so (not for the gate) and the command, in args."""
    if not args.unbound:
        out = subprocess.run(["bash", os.path.join(SRC, "module", "build-unbound.sh"), "--print"],
                             capture_output=True, text=True)
        prefix = re.search(r"^UNBOUND_PREFIX=(.*)$", out.stdout, re.M)
        if out.returncode != 0 or not prefix:
            sys.exit("run module/build-unbound.sh first (or pass --unbound)")
        args.unbound = os.path.join(prefix.group(1), "sbin", "unbound")
    if args.gate and not shutil.which("valgrind"):
        sys.exit("callgrind_bench: valgrind is not installed (Debian: apt-get install valgrind)")
    args.build = os.path.abspath(args.build)
    args.module = os.path.join(args.build, "module", "typoguard.so")
    args.noop = os.path.join(args.build, "tests", "bench", "noop.so")
    args.cli = os.path.join(args.build, "policy", "typoguard")
    needed = [args.module, args.cli] + ([] if args.gate else [args.noop])
    missing = [p for p in needed if not os.path.exists(p)]
    if missing and args.build != DEFAULT_BUILD:
        sys.exit(f"callgrind_bench: {', '.join(missing)} missing: build {args.build} first "
                 "(noop.so needs -DTG_BUILD_BENCHMARKS=ON)")
    if missing:
        subprocess.run(["cmake", "-S", SRC, "-B", args.build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        "-DTG_BUILD_TESTS=OFF", "-DTG_BUILD_BENCHMARKS=ON"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", args.build, "-j2", "--target", "typoguard_unbound", "typoguard",
                        "tg_noop_module"], check=True, stdout=subprocess.DEVNULL)


def measure(args, data):
    """Every config under callgrind, one daemon at a time. Returns (results, configs)."""
    def names(path, n):
        with open(path) as f:
            return [line.split()[0] for line in f if line.strip()][:n]

    hits = names(data["hits"], args.queries)
    misses = names(data["misses"], args.queries)
    configs = [] if args.gate else [("stock", "validator iterator", None, None, None),
                                    ("noop", "dynlib validator iterator", args.noop, None, None)]
    for n in args.sizes:
        configs.append((f"tg-{n}", "dynlib validator iterator", args.module,
                        {"TYPOGUARD_POLICY": data["policy"][n]}, n))
    results = {}
    for name, mc, module, env, n in configs:
        shapes = [("hit", rb.OUT_SCOPE, hits), ("miss", rb.OUT_SCOPE, misses)]
        if n is not None:
            la = names(data["lookalikes"][n], args.queries)
            shapes += [("lookalike-in-scope", rb.IN_SCOPE, la),
                       ("lookalike-out-of-scope", rb.OUT_SCOPE, la)]
        d = CallgrindDaemon(args, name, mc, module, env)
        try:
            if not d.wait_ready(min(600, max(1, args.deadline_at - time.monotonic()))):
                raise RuntimeError(f"{name}: did not start; see {d.tmp}/valgrind.log")
            ask_all(d.port, rb.OUT_SCOPE, hits, args.timeout, args.deadline_at)  # warm the cache-hit names
            for shape, source, qnames in shapes:
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
    return results, configs


def comparable(args):
    """Exits 2 when the --check baseline is of another build or Unbound than this run's."""
    bad = gate_mod.mismatches(args.baseline, gate_mod.build_info(args.build),
                              gate_mod.unbound_version(args.unbound))
    if bad:
        log(f"NOT COMPARABLE: {args.check} was measured on another build or Unbound:\n  "
            + "\n  ".join(bad) + "\nMeasure the ci preset's tree (build/ci), or write a new "
            "baseline in a commit that says why (tests/bench/README.md).")
        sys.exit(2)


def run_gate(args, results):
    """--check or --write-baseline on the measured results. Returns the exit status."""
    build = gate_mod.build_info(args.build)
    unbound = gate_mod.unbound_version(args.unbound)
    figs = gate_mod.figures(results, args.sizes)
    update = ("write a new baseline on the ci preset's tree,\n"
              "  tests/bench/callgrind_bench.py --build build/ci --write-baseline "
              "tests/bench/callgrind_baseline.json --why 'REASON'\n"
              "and commit that file on its own, with a body that says why the cost changed "
              "(tests/bench/README.md).")
    if args.write_baseline:
        commit = gate_mod.source_commit(SRC, args.write_baseline)
        gate_mod.save(args.write_baseline,
                      gate_mod.make_baseline(args.why, commit, args.params, build, unbound, figs))
        log(f"\n== wrote {args.write_baseline}: {len(figs)} figures, {build['build_type']} "
            f"build, Unbound {unbound}, measured at {commit}")
        return 0
    doc = args.baseline
    log(f"\n== gate against {args.check} (set at {doc.get('measured_at')}: {doc.get('why')})")
    if doc.get("cpu") != gate_mod.cpu_model():
        log(f"note: baseline measured on '{doc.get('cpu')}', this is '{gate_mod.cpu_model()}' "
            "(glibc's string functions differ by CPU: a small shift is not the code's)")
    rows, failed = gate_mod.compare(doc, figs, args.tolerance, args.note_below)
    log(gate_mod.table(rows) + "\n")
    if failed:
        log(f"FAILED: {len(failed)} of {len(rows)} figures ({', '.join(failed)}) grew more than "
            f"{args.tolerance:.1%} over the baseline, are missing or answer differently.\n"
            "If the growth is wanted (what it buys is worth it), " + update)
        return 1
    lower = [r[0] for r in rows if "lower the baseline" in r[5]]
    if lower:
        log(f"NOTE: {', '.join(lower)} dropped more than {args.note_below:.0%}; to keep the gain, "
            + update)
    log(f"PASSED: {len(rows)} figures within {args.tolerance:+.1%} of the baseline.")
    return 0


def main():
    args = parse_args()
    find_tools(args)
    if args.baseline:
        comparable(args)
    args.work = args.keep or tempfile.mkdtemp(prefix="tg-callgrind-bench-")
    os.makedirs(args.work, exist_ok=True)
    t_start = time.monotonic()
    args.deadline_at = t_start + args.deadline
    try:
        data_args = types.SimpleNamespace(sizes=args.sizes, rpz_probe=[], cli=args.cli,
                                          miss_names=args.queries * 12 // 10 + 200)
        log(f"== preparing data in {args.work}")
        data = rb.prepare(data_args, args.work)
        results, configs = measure(args, data)
        report(args, results, configs, time.monotonic() - t_start)
        status = run_gate(args, results) if args.gate else 0
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    sys.exit(status)


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
