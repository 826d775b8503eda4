#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Side-by-side resolver benchmark: a real Unbound 1.17.1 (module/build-unbound.sh) run as
  stock      module-config "validator iterator"
  tg-N       "dynlib validator iterator" with typoguard.so and N protected domains
  rpz-1000   "respip validator iterator" with the RPZ zone `typoguard rpz` writes for the same
             1,000 domains (--rpz-round); the zones for 10 ... 10,000 domains and dnstwist's
             default permutations of a sample are loaded once each before the rounds
driven by dnsperf on loopback, in interleaved rounds: each round starts every config in turn,
then runs each traffic shape on every config back to back (A B A B ...); ratios are taken
within a round. Prints the plan first and a Markdown report at the end (docs/performance.md,
"Resolver side by side").

Usage: tests/bench/resolver_bench.py [--quick] [--rounds R] [--duration S] [--verbosity V]
           [--build DIR] [--unbound PATH] [--out FILE.md] [--keep DIR]   (--help for all)
Defaults: 5 rounds of 5 s loads plus the RPZ probe (10, 100, 1,000, 3,000, 10,000 domains; the
last loads for ~3 minutes): 16.8 minutes in all on the 2-core machine; --quick: 2 rounds of 2 s
loads, RPZ probe up to 1,000 domains, 2.5 minutes.
Builds the Release tree in --build (default /tmp/build-bench) if typoguard.so or the CLI is
missing. Needs dnsperf (Debian package), dnstwist (optional), python3-dnspython.

Every Unbound runs with -d, one thread pinned to CPU 0 (taskset), dnsperf pinned to CPU 1; each
daemon is stopped by its own PID; every load is bounded by dnsperf -l (time) and -Q (rate); an
RSS guard kills a daemon whose VmRSS passes --rss-limit-gib (default 10, lowered to
MemAvailable - 4 GiB).

Upstream: Unbound's own auth-zones com./net./org. (for-upstream: yes, for-downstream: no) with a
wildcard A record, so a cache miss costs mesh + validator + iterator work but no network round
trip; misses on a real network cost more, which makes every per-query overhead we add smaller in
proportion."""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
from unbound_process import free_port, server_clause  # noqa: E402

SEED = 20261123
SUFFIXES = ["com", "net", "org"]  # one wildcard auth-zone each
IN_SCOPE = "127.0.0.2"            # the policy's mail-servers client group
OUT_SCOPE = "127.0.0.1"
CLK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = 4


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- data

def label(rng):
    cons, vows = "bcdfghjklmnprstvwz", "aeiou"
    return "".join((cons if i % 2 == 0 else vows)[rng.randrange(len(cons if i % 2 == 0 else vows))]
                   for i in range(rng.randrange(5, 13)))


def write_lines(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def classify(cli, policy, names):
    """{name: verdict} from `typoguard check --policy P --json` on standard input."""
    out = subprocess.run([cli, "check", "--policy", policy, "--json"], input="\n".join(names) + "\n",
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"typoguard check failed: {out.stderr}")
    res = {}
    for line in out.stdout.splitlines():
        o = json.loads(line)
        res[o["name"].rstrip(".")] = o["verdict"]
    return res


def write_policy(path, domains):
    policy = {"typoguard:policy": {
        "revision": f"bench-{len(domains)}",
        "mode": "enforce",
        "action": "nxdomain",
        "protected-domain": [{"name": d} for d in domains],
        "client-group": [{"name": "mail-servers", "prefix": [f"{IN_SCOPE}/32"]}],
        "scope": {"client-group": ["mail-servers"]},
        "extended-dns-error": True,
    }}
    with open(path, "w") as f:
        json.dump(policy, f)


def prepare(args, work):
    """Protected sets, policies, query files, zones. Returns a dict of paths."""
    rng = random.Random(SEED)
    nmax = max(args.sizes + args.rpz_probe)
    protected, seen = [], set()
    while len(protected) < nmax:
        d = f"{label(rng)}{len(protected)}.{rng.choice(SUFFIXES)}"
        if d not in seen:
            seen.add(d)
            protected.append(d)
    data = {"protected": protected, "policy": {}, "lookalikes": {}}
    for n in sorted(set(args.sizes + args.rpz_probe)):
        p = os.path.join(work, f"policy-{n}.json")
        write_policy(p, protected[:n])
        data["policy"][n] = p
    big = data["policy"][max(args.sizes)]
    # Cache hits: 1,000 legitimate names, warmed before the load.
    hits = [f"www.{label(rng)}{i}.{rng.choice(SUFFIXES)}" for i in range(1000)]
    # Cache misses: unique names (every query a new name), none a look-alike under the largest set.
    misses = [f"{label(rng)}-{i}.{rng.choice(SUFFIXES)}" for i in range(args.miss_names)]
    verdict = classify(args.cli, big, hits + misses)
    bad = [n for n in hits + misses if verdict.get(n) != "clean"]
    hits = [n for n in hits if verdict.get(n) == "clean"]
    misses = [n for n in misses if verdict.get(n) == "clean"]
    log(f"  query names: {len(hits)} cache-hit names, {len(misses)} unique cache-miss names "
        f"({len(bad)} dropped: not clean under {max(args.sizes)} protected domains)")
    data["hits"] = os.path.join(work, "hits.txt")
    write_lines(data["hits"], [f"{n} A" for n in hits])
    data["misses"] = os.path.join(work, "misses.txt")
    write_lines(data["misses"], [f"{n} A" for n in misses])
    # Look-alikes: one-letter omissions in the label of each protected domain, kept when the
    # policy of that size classifies them as look-alikes; at most 20,000 per size.
    for n in args.sizes:
        cands = []
        for d in protected[:n]:
            lab, suf = d.split(".", 1)
            for k in range(len(lab)):
                v = lab[:k] + lab[k + 1:]
                if v and not v.endswith("-"):
                    cands.append(f"{v}.{suf}")
        cands = sorted(set(cands))
        random.Random(SEED + n).shuffle(cands)
        cands = cands[:40000]
        verdict = classify(args.cli, data["policy"][n], cands)
        la = [c for c in cands if verdict.get(c) == "look-alike"][:20000]
        path = os.path.join(work, f"lookalikes-{n}.txt")
        write_lines(path, [f"{c} A" for c in la])
        data["lookalikes"][n] = path
        log(f"  look-alikes of {n} protected domains: {len(la)} names (omissions classified look-alike)")
    # Zones.
    for s in SUFFIXES:
        with open(os.path.join(work, f"{s}.zone"), "w") as f:
            f.write(f"""$ORIGIN {s}.
$TTL 86400
@ SOA ns.{s}. hostmaster.{s}. 1 3600 600 86400 3600
@ NS ns.{s}.
ns A 192.0.2.53
* A 192.0.2.1
""")
    return data


def make_rpz(args, work, data, n):
    """`typoguard rpz --policy` for n domains; returns (path, records, seconds)."""
    path = os.path.join(work, f"tg-{n}.rpz")
    t0 = time.monotonic()
    with open(path, "w") as f:
        subprocess.run([args.cli, "rpz", "--policy", data["policy"][n], "--origin", "rpz.local"],
                       stdout=f, check=True)
    secs = time.monotonic() - t0
    with open(path) as f:
        records = sum(1 for line in f if "CNAME" in line.split())
    return path, records, secs


def make_dnstwist_rpz(args, work, domains):
    """dnstwist --format list (default fuzzers) per domain -> `V CNAME .` and `*.V CNAME .`.
    Returns (path, records, seconds, per_domain_seconds)."""
    names = set()
    t0 = time.monotonic()
    for d in domains:
        out = subprocess.run(["dnstwist", "--format", "list", d], capture_output=True, text=True,
                             timeout=300)
        for line in out.stdout.split():
            v = line.strip().lower().rstrip(".")
            if v and v != d and re.fullmatch(r"[a-z0-9_.-]+", v) and ".." not in v:
                names.add(v)
    secs = time.monotonic() - t0
    path = os.path.join(work, f"dnstwist-{len(domains)}.rpz")
    with open(path, "w") as f:
        f.write("$TTL 300\n@ SOA localhost. root.localhost. 1 3600 600 86400 300\n@ NS localhost.\n")
        for v in sorted(names):
            f.write(f"{v} CNAME .\n*.{v} CNAME .\n")
    return path, 2 * len(names), secs, secs / max(1, len(domains))


# ---------------------------------------------------------------- unbound

def write_conf(tmp, port, args, module_config, rpz=None):
    zones = "".join(f"""auth-zone:
    name: "{s}."
    zonefile: "{args.work}/{s}.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
""" for s in SUFFIXES)
    rpz_clause = f"""rpz:
    name: "rpz.local."
    zonefile: "{rpz}"
""" if rpz else ""
    if rpz and getattr(args, "rpz_log", False):
        # Every RPZ answer logged, as a SOC would need it (typoguard writes its event log).
        rpz_clause += """    rpz-log: yes
    rpz-log-name: "bench"
"""
    dyn = f"""dynlib:
    dynlib-file: "{args.module}"
""" if "dynlib" in module_config else ""
    conf = os.path.join(tmp, "unbound.conf")
    with open(conf, "w") as f:
        f.write(server_clause(tmp, port, module_config, args.verbosity,
                              threads=getattr(args, "threads", 1))
                + zones + rpz_clause + dyn)
    return conf


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK  # utime + stime (fields 14, 15)


def proc_rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def dns_query_once(port, name, timeout=0.2):
    """True when the server answers an A query for name (any rcode)."""
    import struct
    qid = random.randrange(65536)
    wire = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for lab in name.rstrip(".").split("."):
        wire += bytes([len(lab)]) + lab.encode()
    wire += b"\x00" + struct.pack("!HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(wire, ("127.0.0.1", port))
        try:
            data, _ = s.recvfrom(4096)
            return data[:2] == wire[:2]
        except OSError:
            return False


class Daemon:
    def __init__(self, args, module_config, env_extra=None, rpz=None):
        self.tmp = tempfile.mkdtemp(prefix="tg-bench-", dir=args.work)
        self.port = free_port()
        self.conf = write_conf(self.tmp, self.port, args, module_config, rpz)
        env = dict(os.environ)
        env.pop("TYPOGUARD_POLICY", None)
        env.pop("TYPOGUARD_EVENT_LOG", None)
        env.update(env_extra or {})
        if "TYPOGUARD_POLICY" in env and not os.environ.get("TG_BENCH_NO_EVENTS"):
            # Events are written as in production (removed with tmp at stop).
            env["TYPOGUARD_EVENT_LOG"] = os.path.join(self.tmp, "events.jsonl")
        self.limit_mib = args.rss_limit_gib * 1024
        self.killed_for_rss = False
        self.peak_mib = 0.0
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(["taskset", "-c", "0", args.unbound, "-d", "-c", self.conf],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid  # taskset execs unbound: same PID
        self._stop_guard = False
        self.guard = threading.Thread(target=self._rss_guard, daemon=True)
        self.guard.start()

    def _rss_guard(self):
        while not self._stop_guard and self.proc.poll() is None:
            rss = proc_rss_mib(self.pid)
            self.peak_mib = max(self.peak_mib, rss)
            if rss > self.limit_mib:
                self.killed_for_rss = True
                os.kill(self.pid, signal.SIGKILL)
                return
            time.sleep(0.25)

    def wait_ready(self, timeout):
        """Seconds from start to the first answer; None if it exited or timed out."""
        deadline = self.t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return None
            if dns_query_once(self.port, "ready.invalid", 0.05):
                return time.monotonic() - self.t0
            time.sleep(0.01)
        return None

    def log(self):
        try:
            with open(os.path.join(self.tmp, "log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        self._stop_guard = True
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------- load

def dnsperf(args, port, datafile, source, seconds, once=False):
    """One bounded dnsperf load (CPU 1). Returns dict: qps, completed, lost, p50/p99 ms, rcodes."""
    cmd = ["taskset", "-c", "1", "dnsperf", "-s", "127.0.0.1", "-p", str(port), "-a", source,
           "-d", datafile, "-l", str(seconds), "-Q", str(args.max_qps), "-c", "8", "-T", "1",
           "-q", str(args.outstanding), "-t", "2", "-v"]
    if once:
        cmd += ["-n", "1"]
    out_path = os.path.join(args.work, "dnsperf.out")
    with open(out_path, "w") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=seconds + 30)
    lat, rcodes, res = [], {}, {}
    with open(out_path) as f:
        for line in f:
            if line.startswith(">"):
                # "> NOERROR name A 0.000123"
                parts = line.split()
                try:
                    lat.append(float(parts[-1]))
                except ValueError:
                    continue
                rcodes[parts[1]] = rcodes.get(parts[1], 0) + 1
            elif "Queries completed:" in line:
                res["completed"] = int(line.split()[2])
            elif "Queries sent:" in line:
                res["sent"] = int(line.split()[2])
            elif "Queries lost:" in line:
                res["lost"] = int(line.split()[2])
            elif "Queries per second:" in line:
                res["qps"] = float(line.split()[3])
            elif "Run time (s):" in line:
                res["runtime"] = float(line.split()[3])
    if "qps" not in res:
        raise RuntimeError("dnsperf gave no summary: " + open(out_path).read()[-2000:])
    lat.sort()
    res["p50_ms"] = lat[len(lat) // 2] * 1000 if lat else float("nan")
    res["p99_ms"] = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    res["rcodes"] = rcodes
    return res


def run_round(args, data, configs, shapes_of, results, rnd):
    """One round: starts every config in turn (start-up time, RSS, one warm-up pass over the
    cache-hit names), then runs each shape on every config back to back (A B A B ... within
    seconds of each other, so the ratios see the same machine), then stops them all by PID.
    Odd rounds go stock first, even rounds last, so no config always runs first."""
    order = configs if rnd % 2 else list(reversed(configs))
    daemons = {}
    try:
        for cfg in order:
            name = cfg["name"]
            rec = results.setdefault(name, {})
            d = Daemon(args, cfg["module_config"], cfg.get("env"), cfg.get("rpz"))
            startup = d.wait_ready(args.start_timeout)
            if startup is None:
                why = "RSS guard" if d.killed_for_rss else ("exited" if d.proc.poll() is not None else "timeout")
                log(f"  r{rnd} {name}: did not start ({why}); peak RSS {d.peak_mib:.0f} MiB\n" + d.log()[-1500:])
                rec.setdefault("failed", []).append(why)
                d.stop()
                continue
            daemons[name] = d
            rec.setdefault("startup_s", []).append(startup)
            rec.setdefault("rss_start_mib", []).append(proc_rss_mib(d.pid))
            dnsperf(args, d.port, data["hits"], OUT_SCOPE, 30, once=True)   # warm-up: one pass
            rec.setdefault("rss_warm_mib", []).append(proc_rss_mib(d.pid))
            log(f"  r{rnd} {name}: start {startup:.2f} s, RSS {rec['rss_start_mib'][-1]:.0f} MiB "
                f"({rec['rss_warm_mib'][-1]:.0f} MiB warm)")
        all_shapes = []
        for cfg in order:
            all_shapes += [s for s in shapes_of(cfg) if s not in all_shapes]
        for shape in all_shapes:
            line = []
            for cfg in order:
                d = daemons.get(cfg["name"])
                if d is None or shape not in shapes_of(cfg):
                    continue
                fileset, source, once = shapes_of(cfg)[shape]
                datafile = data[fileset] if isinstance(fileset, str) else data[fileset[0]][fileset[1]]
                c0 = proc_cpu(d.pid)
                r = dnsperf(args, d.port, datafile, source, args.duration, once=once)
                cpu = proc_cpu(d.pid) - c0
                r["cpu_us_per_q"] = cpu / max(1, r["completed"]) * 1e6
                r["cpu_busy"] = cpu / max(0.001, r.get("runtime", args.duration))
                results[cfg["name"]].setdefault(shape, []).append(r)
                total = sum(r["rcodes"].values()) or 1
                top = max(r["rcodes"], key=r["rcodes"].get) if r["rcodes"] else "-"
                r["top_rcode"] = f"{top} {100 * r['rcodes'].get(top, 0) / total:.0f}%"
                line.append(f"{cfg['name']} {r['qps']:,.0f} qps {r['cpu_us_per_q']:.1f} us/q "
                            f"busy {100 * r['cpu_busy']:.0f}% p50 {r['p50_ms']:.2f} p99 {r['p99_ms']:.2f} ms "
                            f"{r['top_rcode']}" + (f" lost {r['lost']}" if r.get("lost") else ""))
            log(f"  r{rnd} {shape}: " + "; ".join(line))
        for name, d in daemons.items():
            results[name].setdefault("rss_after_mib", []).append(proc_rss_mib(d.pid))
            results[name].setdefault("peak_mib", []).append(d.peak_mib)
    finally:
        for d in daemons.values():
            d.stop()


# ---------------------------------------------------------------- report

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_range(xs, f="{:,.0f}"):
    if not xs:
        return "–"
    return f"{f.format(med(xs))} ({f.format(min(xs))}–{f.format(max(xs))})"


def report(args, results, configs, shapes_of, rpz_info, loads_avg, elapsed):
    out = []
    out.append(f"Machine: {os.cpu_count()} cores, load average during the rounds {min(loads_avg):.1f}–{max(loads_avg):.1f}; "
               f"{args.rounds} rounds × {args.duration} s loads; Unbound (1 thread) pinned to CPU 0, dnsperf to CPU 1; "
               f"Unbound verbosity {args.verbosity}; wall time {elapsed / 60:.1f} min.\n")
    out.append("Medians over rounds, (min–max) in brackets. *busy* = Unbound CPU time / load time "
               "(below ~95 % the load generator or other processes on the machine, not Unbound, set the qps).\n")
    out.append("| config | shape | qps | p50 ms | p99 ms | Unbound CPU µs/query | busy | answer |")
    out.append("|---|---|---|---|---|---|---|---|")
    for cfg in configs:
        rec = results.get(cfg["name"], {})
        for shape in shapes_of(cfg):
            rs = rec.get(shape, [])
            if not rs:
                continue
            out.append(f"| {cfg['name']} | {shape} | {fmt_range([r['qps'] for r in rs])} | "
                       f"{fmt_range([r['p50_ms'] for r in rs], '{:.2f}')} | "
                       f"{fmt_range([r['p99_ms'] for r in rs], '{:.2f}')} | "
                       f"{fmt_range([r['cpu_us_per_q'] for r in rs], '{:.1f}')} | "
                       f"{med([100 * r['cpu_busy'] for r in rs]):.0f} % | {rs[-1]['top_rcode']} |")
    out.append("")
    out.append("| config | start-up to first answer | RSS after start | RSS after warm-up | RSS after the loads |")
    out.append("|---|---|---|---|---|")
    for cfg in configs:
        rec = results.get(cfg["name"], {})
        if "startup_s" not in rec:
            out.append(f"| {cfg['name']} | did not start: {', '.join(rec.get('failed', ['-']))} | | | |")
            continue
        out.append(f"| {cfg['name']} | {fmt_range(rec['startup_s'], '{:.2f} s')} | "
                   f"{fmt_range(rec['rss_start_mib'], '{:.1f} MiB')} | {fmt_range(rec['rss_warm_mib'], '{:.1f} MiB')} | "
                   f"{fmt_range(rec['rss_after_mib'], '{:.1f} MiB')} |")
    out.append("")
    stock_rss = med(results.get("stock", {}).get("rss_start_mib", []))
    if rpz_info:
        out.append("RPZ zones, each loaded once outside the rounds (the round size's figures are the rounds' medians):\n")
        out.append("| zone | protected domains | records | generation | start-up to first answer | RSS after start | RSS − stock | blocked qps (one load) |")
        out.append("|---|---|---|---|---|---|---|---|")
        for z in rpz_info:
            inc = f"{z['rss_mib'] - stock_rss:,.0f} MiB" if z.get("rss_mib") else "–"
            out.append(f"| {z['what']} | {z['n']:,} | {z['records']:,} | {z['gen_s']:.1f} s | {z.get('startup', '–')} | "
                       f"{z.get('rss', '–')} | {inc} | {z.get('qps', '–')} |")
        out.append("")

    def per_round(a, sa, b, sb):
        ra, rb = results.get(a, {}).get(sa, []), results.get(b, {}).get(sb, [])
        q = [x["qps"] / y["qps"] for x, y in zip(ra, rb) if y["qps"]]
        c = [y["cpu_us_per_q"] / x["cpu_us_per_q"] for x, y in zip(ra, rb) if x["cpu_us_per_q"]]
        return q, c

    nmax = max(args.sizes)
    tg, rpzr = f"tg-{nmax}", f"rpz-{args.rpz_round}"
    lines = []

    def target(what, pair, threshold):
        q, c = pair
        if not q:
            lines.append(f"- {what}: no data")
            return
        m = med(q)
        lines.append(f"- {what}: qps ratio median {m:.3f} (rounds {min(q):.3f}–{max(q):.3f}); "
                     f"CPU-per-query ratio (their µs / our µs) {med(c):.3f} — target ≥ {threshold} — "
                     f"**{'PASS' if m >= threshold else 'FAIL'}**")

    for n in args.sizes:
        target(f"cache hits, tg-{n} / stock", per_round(f"tg-{n}", "hit", "stock", "hit"), 0.99)
    for n in args.sizes:
        target(f"cache misses, tg-{n} / stock", per_round(f"tg-{n}", "miss", "stock", "miss"), 0.95)
    target(f"blocked look-alikes, {tg} blocked / stock cache-miss rate",
           per_round(tg, "lookalike-in-scope", "stock", "miss"), 1.0)
    target(f"blocked look-alikes, {tg} / {rpzr} blocked (an RPZ no larger than the set: its lookups are no slower, so the ratio is conservative)",
           per_round(tg, "lookalike-in-scope", rpzr, "lookalike"), 0.5)
    st, tr = results.get("stock", {}), results.get(tg, {})
    if st.get("rss_after_mib") and tr.get("rss_after_mib"):
        inc = [t - s for t, s in zip(tr["rss_after_mib"], st["rss_after_mib"])]
        m = med(inc)
        lines.append(f"- RSS increase after the loads, {tg} − stock (same round): median {m:.1f} MiB "
                     f"({min(inc):.1f}–{max(inc):.1f}) = {m * 1.048576:.1f} MB, target ≤ 100 MB — "
                     f"**{'PASS' if m * 1.048576 <= 100 else 'FAIL'}**")
        same = [z for z in rpz_info if z["n"] == nmax and z["what"] == "typoguard rpz"]
        tinc = med([t - s for t, s in zip(tr["rss_start_mib"], st["rss_start_mib"])])
        if same and same[0].get("rss_mib"):
            rinc = same[0]["rss_mib"] - stock_rss
            ratio = tinc / rinc
            lines.append(f"- RSS increase after start, {tg} vs the RPZ of the same {nmax:,} domains: {tinc:.1f} MiB vs "
                         f"{rinc:,.1f} MiB, ratio {ratio:.4f}, target ≤ 0.1 — **{'PASS' if ratio <= 0.1 else 'FAIL'}**")
        elif same:
            lines.append(f"- RSS vs the RPZ of the same {nmax:,} domains: that zone did not load "
                         f"({same[0].get('startup', '?')}); typoguard's increase is {tinc:.1f} MiB — **PASS** (RPZ > guard)")
    out.append("Targets (ratios taken within each round, then the median; PASS/FAIL on the qps ratio as the "
               "task states it, the CPU ratio is the noise-robust cross-check):\n")
    out.extend(lines)
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="2 rounds of 2 s loads, RPZ probe up to 1,000 domains, 10 dnstwist domains")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 5; --quick 2)")
    ap.add_argument("--duration", type=int, help="seconds per load (default 5; --quick 2)")
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--rpz-log", action="store_true",
                    help="RPZ with rpz-log: yes (every RPZ answer logged, like typoguard's events)")
    ap.add_argument("--rpz-round", type=int, default=1000,
                    help="size of the `typoguard rpz` zone run in every round (larger ones load for minutes)")
    ap.add_argument("--rpz-probe", default="10,100,1000,3000,10000",
                    help="sizes whose `typoguard rpz` zone is loaded once (load time, RSS, one blocked load)")
    ap.add_argument("--dnstwist-sample", type=int, default=50,
                    help="first protected domains run through dnstwist (0 = skip)")
    ap.add_argument("--miss-names", type=int, default=400000)
    ap.add_argument("--max-qps", type=int, default=1000000,
                    help="dnsperf -Q bound (above what one Unbound thread answers here, so no load is capped)")
    ap.add_argument("--outstanding", type=int, default=100, help="dnsperf -q")
    ap.add_argument("--verbosity", type=int, default=1, help="Unbound verbosity (1 = Debian default)")
    ap.add_argument("--rss-limit-gib", type=float, default=10.0,
                    help="stop a daemon whose VmRSS passes this (lowered to MemAvailable − 4 GiB)")
    ap.add_argument("--start-timeout", type=float, default=600.0)
    ap.add_argument("--build", default="/tmp/build-bench")
    ap.add_argument("--unbound")
    ap.add_argument("--out", help="also write the Markdown report here")
    ap.add_argument("--keep", help="work directory to keep (default: a temp dir, removed)")
    args = ap.parse_args()
    if args.quick:
        args.miss_names = min(args.miss_names, 150000)
        args.rpz_probe = "10,100,1000"
        args.dnstwist_sample = min(args.dnstwist_sample, 10)
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.duration = args.duration or (2 if args.quick else 5)
    args.sizes = [int(x) for x in args.sizes.split(",")]
    args.rpz_probe = [int(x) for x in args.rpz_probe.split(",") if x]
    if args.rpz_round not in args.sizes:
        sys.exit("resolver_bench: --rpz-round must be one of --sizes")
    t_start = time.monotonic()

    if not args.unbound:
        env = subprocess.run(["bash", os.path.join(SRC, "module", "build-unbound.sh"), "--print"],
                             capture_output=True, text=True, check=True).stdout
        prefix = re.search(r"UNBOUND_PREFIX=(\S+)", env).group(1)
        args.unbound = os.path.join(prefix, "sbin", "unbound")
    args.module = os.path.join(args.build, "module", "typoguard.so")
    args.cli = os.path.join(args.build, "policy", "typoguard")
    if not (os.path.exists(args.module) and os.path.exists(args.cli)):
        subprocess.run(["cmake", "-S", SRC, "-B", args.build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        "-DTG_BUILD_TESTS=OFF"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", args.build, "-j2", "--target", "typoguard_unbound", "typoguard"],
                       check=True, stdout=subprocess.DEVNULL)
    for tool in ("dnsperf", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"resolver_bench: {tool} not found (apt-get install dnsperf)")
    with open("/proc/meminfo") as f:
        avail_gib = int(re.search(r"MemAvailable:\s+(\d+)", f.read()).group(1)) / 2**20
    if args.rss_limit_gib > avail_gib - 4:
        log(f"resolver_bench: RSS guard lowered from {args.rss_limit_gib} GiB to {avail_gib - 4:.1f} GiB "
            f"(MemAvailable {avail_gib:.1f} GiB minus 4 GiB for the rest of the machine)")
        args.rss_limit_gib = max(1.0, avail_gib - 4)
    args.work = args.keep or tempfile.mkdtemp(prefix="tg-resolver-bench-")
    os.makedirs(args.work, exist_ok=True)

    try:
        nmax = max(args.sizes)
        configs = [{"name": "stock", "module_config": "validator iterator"}]
        for n in args.sizes:
            configs.append({"name": f"tg-{n}", "module_config": "dynlib validator iterator", "n": n})
        configs.append({"name": f"rpz-{args.rpz_round}", "module_config": "respip validator iterator",
                        "n": args.rpz_round})

        def shapes_of(cfg):
            s = {"hit": ("hits", OUT_SCOPE, False), "miss": ("misses", OUT_SCOPE, True)}
            if cfg["name"].startswith("tg-"):
                s["lookalike-in-scope"] = (("lookalikes", cfg["n"]), IN_SCOPE, False)
                s["lookalike-out-of-scope"] = (("lookalikes", cfg["n"]), OUT_SCOPE, False)
            elif cfg["name"].startswith("rpz-"):
                s["lookalike"] = (("lookalikes", cfg["n"]), OUT_SCOPE, False)
            return s

        loads = sum(len(shapes_of(c)) for c in configs)
        per_round_s = loads * (args.duration + 1.0) + len(configs) * 3 + 15
        log(f"== plan: {args.rounds} rounds × {len(configs)} configs ({', '.join(c['name'] for c in configs)}), "
            f"each started in turn every round (start-up, one warm-up pass over the cache-hit names), then every "
            f"shape on every config back to back (A B A B ...) = {loads} dnsperf loads of {args.duration} s per round, ~{per_round_s:.0f} s per round, "
            f"~{args.rounds * per_round_s / 60:.1f} min; before the rounds: data, the RPZ zones "
            f"({', '.join(map(str, sorted(set(args.rpz_probe) | {args.rpz_round})))} domains, each loaded once, RSS guard "
            f"{args.rss_limit_gib} GiB) and dnstwist on {args.dnstwist_sample} domains.")

        log(f"== preparing data in {args.work}")
        data = prepare(args, args.work)
        for cfg in configs:
            if cfg["name"].startswith("tg-"):
                cfg["env"] = {"TYPOGUARD_POLICY": data["policy"][cfg["n"]]}

        rpz_info, rpz_paths = [], {}
        for n in sorted(set(args.rpz_probe) | {args.rpz_round}):
            path, records, gen = make_rpz(args, args.work, data, n)
            rpz_paths[n] = path
            rpz_info.append({"what": "typoguard rpz", "n": n, "records": records, "gen_s": gen, "path": path})
            log(f"  typoguard rpz, {n} domains: {records:,} records in {gen:.1f} s")
        configs[-1]["rpz"] = rpz_paths[args.rpz_round]
        if args.dnstwist_sample and shutil.which("dnstwist"):
            sample = data["protected"][:args.dnstwist_sample]
            path, records, gen, per = make_dnstwist_rpz(args, args.work, sample)
            rpz_info.append({"what": "dnstwist 0~20221213 default fuzzers", "n": len(sample),
                             "records": records, "gen_s": gen, "path": path, "dnstwist": True})
            log(f"  dnstwist, {len(sample)} domains: {records:,} records in {gen:.1f} s ({per:.2f} s per domain; "
                f"{records / len(sample) * nmax:,.0f} records and {per * nmax / 3600:.1f} h extrapolated to {nmax:,})")
            # look-alikes of the sample: those of the smallest size (its domains are in the sample)
            small = min(args.sizes)
            data["lookalikes"]["dnstwist"] = data["lookalikes"][small] if small <= len(sample) else None

        log("== RPZ probe: each zone loaded once, one blocked load")
        for z in rpz_info:
            if z["n"] == args.rpz_round and not z.get("dnstwist"):
                continue  # measured in the rounds
            # look-alikes of the largest benchmarked size <= n (all of them are in this zone)
            fit = [n for n in args.sizes if n <= z["n"]]
            la = data["lookalikes"]["dnstwist"] if z.get("dnstwist") else (data["lookalikes"][max(fit)] if fit else None)
            d = Daemon(args, "respip validator iterator", None, z["path"])
            try:
                st = d.wait_ready(args.start_timeout)
                if st is None:
                    why = "stopped by the RSS guard" if d.killed_for_rss else "did not start"
                    z["startup"] = f"{why} (peak RSS {d.peak_mib:,.0f} MiB after {time.monotonic() - d.t0:.0f} s)"
                    log(f"  {z['what']} {z['n']}: {z['startup']}")
                    continue
                z["startup"] = f"{st:.2f} s"
                z["rss_mib"] = proc_rss_mib(d.pid)
                z["rss"] = f"{z['rss_mib']:,.1f} MiB"
                if la:
                    r = dnsperf(args, d.port, la, OUT_SCOPE, args.duration)
                    total = sum(r["rcodes"].values()) or 1
                    z["qps"] = f"{r['qps']:,.0f} (NXDOMAIN {100 * r['rcodes'].get('NXDOMAIN', 0) / total:.0f} %)"
                log(f"  {z['what']} {z['n']}: {z['records']:,} records, start {z['startup']}, RSS {z['rss']}, "
                    f"blocked {z.get('qps')}")
            finally:
                d.stop()

        results, loads_avg = {}, []
        for rnd in range(1, args.rounds + 1):
            la = float(open('/proc/loadavg').read().split()[0])
            loads_avg.append(la)
            log(f"== round {rnd}/{args.rounds} (load average {la})")
            run_round(args, data, configs, shapes_of, results, rnd)
        rec = results.get(f"rpz-{args.rpz_round}", {})
        for z in rpz_info:
            if z["n"] == args.rpz_round and not z.get("dnstwist") and rec.get("startup_s"):
                z["startup"] = fmt_range(rec["startup_s"], "{:.2f} s")
                z["rss_mib"] = med(rec["rss_start_mib"])
                z["rss"] = fmt_range(rec["rss_start_mib"], "{:,.1f} MiB")
                z["qps"] = fmt_range([r["qps"] for r in rec.get("lookalike", [])])
        text = report(args, results, configs, shapes_of, rpz_info, loads_avg, time.monotonic() - t_start)
        cmdline = "tests/bench/resolver_bench.py " + " ".join(sys.argv[1:])
        text = f"Command: `{cmdline.strip()}`\n\n" + text
        print("\n" + text)
        if args.out:
            with open(args.out, "w") as f:
                f.write(text)
        with open(os.path.join(args.work, "results.json"), "w") as f:
            json.dump({"results": results, "rpz": rpz_info}, f, indent=1, default=str)
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
