#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end leak tests: a real Unbound (module/build-unbound.sh, num-threads: 2) with
typoguard.so loaded through dynlib must never let a real answer for a look-alike reach an
in-scope client (the default policy's mail servers 127.0.0.2 and 127.0.0.3) through Unbound's
cache or mesh, while out-of-scope clients (127.0.0.1) still resolve look-alikes.
The upstream is tests/harness/slow_upstream.py (zones/e2e/leak-*.zone and mil.zone) reached
through stub zones; it can delay or drop answers per name.

 1. cache: real answers given to 127.0.0.1 are not served to mail servers (MX/A/AAAA, CD=0/1);
    look-alikes are never cache hits, legitimate names are (unbound-control stats_noreset).
 2. join race: a mail server asking while 127.0.0.1's identical query is in flight is blocked.
 3. CNAME: alias.good.test CNAME tgt.ml: with validator (CD=0 / CD=1) and without validator.
 4. serve-expired (client timeout 300 ms): a stale look-alike never reaches a mail server.
 5. reload_keep_cache after the policy starts protecting a cached name.
 6. internal look-ups: corp.test's only name server is ns.army.ml (stub-host, no glue).
 7. a look-alike behind a dead upstream: blocked for mail servers, never SERVFAIL.

Usage: leak_e2e.py --unbound PREFIX/sbin/unbound [--unbound-control PREFIX/sbin/unbound-control]
       --module typoguard.so --zones zones/e2e --typoguard build/policy/typoguard
Exit 0 when every check passes, 1 otherwise. Every daemon runs with -d and is stopped by its
own PID in a finally block; every wait is bounded."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from checks import check  # noqa: E402
from runner import Runner, arguments, parse  # noqa: E402
from unbound_config import Unbound, Upstream  # noqa: E402

QUERY_TIMEOUT = 3.0
SLOW_QUERY_TIMEOUT = 8.0
OUT = "127.0.0.1"                # out of scope
MAIL = ("127.0.0.2", "127.0.0.3")  # in scope (default policy's mail-servers)
HERE = os.path.dirname(os.path.abspath(__file__))


def describe(r):
    if r is None:
        return "(no response)"
    if isinstance(r, Exception):
        return f"(no response: {type(r).__name__}: {r})"
    return f"{dns.rcode.to_text(r.rcode())} flags={dns.flags.to_text(r.flags)}\n{r}"


def log_lines(ub, limit=40):
    """The Unbound log lines worth showing on a failure: typoguard's, errors, warnings."""
    keep = [line for line in ub.log().splitlines()
            if "typoguard" in line or "error" in line or "warning" in line or "fatal" in line]
    return "\n".join("log: " + line for line in keep[-limit:])


def query(ub, name, rdtype, source, cd=False, timeout=QUERY_TIMEOUT):
    q = dns.message.make_query(name, rdtype, want_dnssec=False)
    if cd:
        q.flags |= dns.flags.CD
    return dns.query.udp(q, "127.0.0.1", port=ub.port, source=source, timeout=timeout)


def safe_query(*args, **kwargs):
    """query() that returns the exception instead of raising (for threads / informational)."""
    try:
        return query(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 (reported, not hidden)
        return e


def data(r, rdtype, owner=None):
    """The rdata texts of type rdtype in the answer section (optionally only for owner)."""
    if r is None or isinstance(r, Exception):
        return []
    t = dns.rdatatype.from_text(rdtype)
    return [rd.to_text() for rrset in r.answer if rrset.rdtype == t
            and (owner is None or rrset.name.to_text().lower() == owner) for rd in rrset]


def lookalike_data(r):
    """Answer-section MX/A/AAAA records owned by a name under .ml (a real look-alike answer)."""
    if r is None or isinstance(r, Exception):
        return []
    return [rrset.to_text() for rrset in r.answer
            if rrset.rdtype in (dns.rdatatype.MX, dns.rdatatype.A, dns.rdatatype.AAAA)
            and rrset.name.to_text().lower().endswith(".ml.")]


def blocked(r):
    """The default policy's block answer: NXDOMAIN and no look-alike data."""
    return (r is not None and not isinstance(r, Exception) and r.rcode() == dns.rcode.NXDOMAIN
            and not lookalike_data(r))


def real(r, rdtype, expected, owner=None):
    return (r is not None and not isinstance(r, Exception) and r.rcode() == dns.rcode.NOERROR
            and sorted(data(r, rdtype, owner)) == sorted(expected))


def started(ub, what):
    ok = ub.wait_ready()
    check(ok and "typoguard: module loaded" in ub.log(), f"[{what}] unbound (num-threads 2) starts",
          ub.log()[-4000:])
    return ok


def stat(s, key):
    return s.get(key, 0.0)


# ----------------------------------------------------------------------------------------------
def test_cache(ub, up):
    """1. Out-of-scope answers are not served from the cache to mail servers; stats prove it."""
    tag = "cache"
    cases = [("army.ml.", "MX", ["10 mail.army.ml."], MAIL[0], False),
             ("army.ml.", "A", ["192.0.2.10"], MAIL[1], False),
             ("army.ml.", "AAAA", ["2001:db8::10"], MAIL[0], False),
             ("army.ml.", "AAAA", ["2001:db8::10"], MAIL[1], True)]
    for name, rdtype, expected, mail, cd in cases:
        r = safe_query(ub, name, rdtype, OUT, cd=cd)
        check(real(r, rdtype, expected), f"[{tag}] {name} {rdtype}{' CD' if cd else ''} from "
              f"{OUT} -> the real {rdtype}", describe(r) + "\n" + log_lines(ub))
        r = safe_query(ub, name, rdtype, mail, cd=cd)
        check(blocked(r), f"[{tag}] then {name} {rdtype}{' CD' if cd else ''} from mail server "
              f"{mail} -> NXDOMAIN (not the cached real answer)", describe(r) + "\n" + log_lines(ub))

    s0 = ub.stats()
    r1 = safe_query(ub, "army.mil.", "A", OUT)
    r2 = safe_query(ub, "army.mil.", "A", OUT)
    s1 = ub.stats()
    check(real(r1, "A", ["192.0.2.20"]) and real(r2, "A", ["192.0.2.20"]),
          f"[{tag}] army.mil A twice -> the A", describe(r2))
    hits = stat(s1, "total.num.cachehits") - stat(s0, "total.num.cachehits")
    check(bool(s0) and hits >= 1, f"[{tag}] legitimate army.mil A is cached: total.num.cachehits "
          f"grew by {hits:g} (>= 1) over two queries", f"before={s0.get('total.num.cachehits')} "
          f"after={s1.get('total.num.cachehits')}")

    before = len(up.queries("army.ml.", "A"))
    s2 = ub.stats()
    r1 = safe_query(ub, "army.ml.", "A", OUT)
    r2 = safe_query(ub, "army.ml.", "A", OUT)
    s3 = ub.stats()
    check(real(r1, "A", ["192.0.2.10"]) and real(r2, "A", ["192.0.2.10"]),
          f"[{tag}] army.ml A twice from {OUT} -> the real A both times", describe(r2))
    miss = stat(s3, "total.num.cachemiss") - stat(s2, "total.num.cachemiss")
    hits = stat(s3, "total.num.cachehits") - stat(s2, "total.num.cachehits")
    check(bool(s2) and miss == 2 and hits == 0,
          f"[{tag}] look-alike army.ml A is never a cache hit: cachemiss +{miss:g} (want 2), "
          f"cachehits +{hits:g} (want 0)", f"stats before={s2} after={s3}")
    upstream = len(up.queries("army.ml.", "A")) - before
    print(f"    info: the upstream saw {upstream} army.ml A queries for those two")


def test_join_race(ub, up):
    """2. While 127.0.0.1's slow query for a look-alike is in flight, mail servers ask the same
    name and type: they must get the block answer at once (not join and get the real answer)."""
    tag = "join race"
    name = "race.slow.ml."
    delay = 1.5
    up.set(delay={f"{name} MX": delay})  # type-specific: QNAME minimisation's A query stays fast
    results = {}

    def ask(key, source, timeout):
        sent = time.monotonic()
        r = safe_query(ub, name, "MX", source, timeout=timeout)
        results[key] = (sent, time.monotonic(), r)

    try:
        first = threading.Thread(target=ask, args=("out", OUT, SLOW_QUERY_TIMEOUT))
        first.start()
        time.sleep(0.3)
        joiners = [threading.Thread(target=ask, args=(f"mail{i}", MAIL[i % 2], QUERY_TIMEOUT))
                   for i in range(4)]
        for t in joiners:
            t.start()
            time.sleep(0.05)
        for t in joiners + [first]:
            t.join(SLOW_QUERY_TIMEOUT + 2)
    finally:
        up.set()
    out_sent, out_done, out_r = results.get("out", (0, 0, None))
    check(real(out_r, "MX", ["10 mail.race.slow.ml."]),
          f"[{tag}] {name} MX from {OUT} (slow upstream, {delay}s) -> the real MX "
          f"after {out_done - out_sent:.2f}s", describe(out_r) + "\n" + log_lines(ub))
    for i in range(4):
        sent, done, r = results.get(f"mail{i}", (0, 0, None))
        overlap = out_sent < sent < out_done
        check(overlap, f"[{tag}] mail{i} ({MAIL[i % 2]}) asked while {OUT}'s query was in flight "
              f"(sent +{sent - out_sent:.2f}s, first answered +{out_done - out_sent:.2f}s)")
        check(blocked(r) and done < out_done,
              f"[{tag}] mail{i} ({MAIL[i % 2]}) -> NXDOMAIN in {done - sent:.2f}s, before the slow "
              "real answer (not joined to the in-flight state)", describe(r) + "\n" + log_lines(ub))
    print(f"    info: upstream saw {len(up.queries(name, 'MX'))} {name} MX queries")


def test_internal_lookup(ub, up):
    """6. corp.test is delegated (stub-host, no glue) to ns.army.ml: Unbound must resolve the
    look-alike ns.army.ml A itself (an internal state, no client) to answer a mail server."""
    tag = "internal"
    r = safe_query(ub, "corp.test.", "MX", MAIL[0], timeout=SLOW_QUERY_TIMEOUT)
    check(real(r, "MX", ["10 mail.corp.test."]),
          f"[{tag}] corp.test MX from mail server {MAIL[0]} -> the MX (the internal look-up of "
          "name server ns.army.ml was not blocked)", describe(r) + "\n" + log_lines(ub))
    check(len(up.queries("ns.army.ml.", "A")) >= 1,
          f"[{tag}] the upstream saw Unbound's own query for ns.army.ml A", str(up.queries()))
    r = safe_query(ub, "ns.army.ml.", "A", MAIL[1])
    check(blocked(r), f"[{tag}] ns.army.ml A from mail server {MAIL[1]} afterwards -> NXDOMAIN "
          "(the internal answer was not cached for it)", describe(r) + "\n" + log_lines(ub))
    r = safe_query(ub, "ns.army.ml.", "A", OUT)
    check(real(r, "A", ["127.0.0.1"]), f"[{tag}] ns.army.ml A from {OUT} -> the real A", describe(r))
    r = safe_query(ub, "mail.corp.test.", "A", MAIL[1], timeout=SLOW_QUERY_TIMEOUT)
    check(real(r, "A", ["192.0.2.71"]), f"[{tag}] mail.corp.test A from mail server {MAIL[1]} "
          "-> the A", describe(r) + "\n" + log_lines(ub))


def test_dead_upstream(ub):
    """7. A look-alike whose only server does not answer: blocked for mail servers, never
    SERVFAIL. What 127.0.0.1 gets is reported, not asserted."""
    tag = "dead upstream"
    t0 = time.monotonic()
    r = safe_query(ub, "army.dead.ml.", "MX", MAIL[0])
    check(blocked(r), f"[{tag}] army.dead.ml MX from mail server {MAIL[0]} -> NXDOMAIN in "
          f"{time.monotonic() - t0:.2f}s (not SERVFAIL)", describe(r) + "\n" + log_lines(ub))
    t0 = time.monotonic()
    # Unbound 1.17.1 keeps such a query waiting far longer than any test timeout (seen: > 40 s,
    # "iterator wait for 127.0.0.1", with or without typoguard), so only a short look.
    r = safe_query(ub, "army.dead.ml.", "A", OUT, timeout=QUERY_TIMEOUT)
    rc = describe(r).splitlines()[0]
    print(f"    info: army.dead.ml A from {OUT} -> {rc} after {time.monotonic() - t0:.2f}s")
    r = safe_query(ub, "army.dead.ml.", "A", MAIL[1])
    check(blocked(r), f"[{tag}] army.dead.ml A from mail server {MAIL[1]} after that -> NXDOMAIN",
          describe(r) + "\n" + log_lines(ub))


def test_cname(args, up, variant, validator, mail_cd):
    """3. alias1/alias2.good.test CNAME tgt1/tgt2.ml (look-alikes): resolving the alias caches the
    target through the CNAME chase; mail servers must not get it, nor the alias itself."""
    tag = f"cname {variant}"
    cd = " CD" if mail_cd else ""
    ub = Unbound(args.unbound, args.unbound_control, args.module, up.port, validator=validator)
    try:
        if not started(ub, tag):
            return
        for rdtype, expected in (("MX", ["10 mail.tgt1.ml."]), ("A", ["192.0.2.31"])):
            r = safe_query(ub, "alias1.good.test.", rdtype, OUT)
            check(real(r, rdtype, expected, owner="tgt1.ml.") and data(r, "CNAME") == ["tgt1.ml."],
                  f"[{tag}] alias1.good.test {rdtype} from {OUT} -> the full chain (CNAME tgt1.ml "
                  f"+ {rdtype})", describe(r) + "\n" + log_lines(ub))
        for rdtype, mail in (("MX", MAIL[0]), ("A", MAIL[1])):
            r = safe_query(ub, "tgt1.ml.", rdtype, mail, cd=mail_cd)
            check(blocked(r), f"[{tag}] then tgt1.ml {rdtype}{cd} from mail server {mail} -> "
                  "NXDOMAIN (not the target entry cached by the CNAME chase)",
                  describe(r) + "\n" + log_lines(ub))
        for rdtype, mail in (("MX", MAIL[0]), ("A", MAIL[1])):
            r = safe_query(ub, "alias1.good.test.", rdtype, mail, cd=mail_cd)
            check(blocked(r), f"[{tag}] alias1.good.test {rdtype}{cd} from mail server {mail}, "
                  f"after {OUT} cached it -> NXDOMAIN, no tgt1.ml data",
                  describe(r) + "\n" + log_lines(ub))
        for rdtype, mail in (("MX", MAIL[1]), ("A", MAIL[0])):
            r = safe_query(ub, "alias2.good.test.", rdtype, mail, cd=mail_cd)
            check(blocked(r), f"[{tag}] alias2.good.test {rdtype}{cd} from mail server {mail} "
                  "(nothing cached) -> NXDOMAIN, no tgt2.ml data", describe(r) + "\n" + log_lines(ub))
        for rdtype, expected in (("MX", ["10 mail.tgt2.ml."]), ("A", ["192.0.2.32"])):
            r = safe_query(ub, "alias2.good.test.", rdtype, OUT)
            check(real(r, rdtype, expected, owner="tgt2.ml.") and data(r, "CNAME") == ["tgt2.ml."],
                  f"[{tag}] alias2.good.test {rdtype} from {OUT} afterwards -> the full chain",
                  describe(r) + "\n" + log_lines(ub))
        r = safe_query(ub, "tgt2.ml.", "MX", MAIL[1], cd=mail_cd)
        check(blocked(r), f"[{tag}] then tgt2.ml MX{cd} from mail server {MAIL[1]} -> NXDOMAIN",
              describe(r) + "\n" + log_lines(ub))
        check(ub.proc.poll() is None, f"[{tag}] unbound still running", log_lines(ub))
    finally:
        ub.stop()


def test_serve_expired(args, up):
    """4. serve-expired with a 300 ms client timeout: an expired look-alike (TTL 2) whose upstream
    has become slow must be blocked for mail servers, never answered stale."""
    tag = "serve-expired"
    ub = Unbound(args.unbound, args.unbound_control, args.module, up.port, serve_expired=True)
    try:
        if not started(ub, tag):
            return
        r = safe_query(ub, "short.good.test.", "A", OUT)
        check(real(r, "A", ["192.0.2.61"]), f"[{tag}] short.good.test A (TTL 2) from {OUT}", describe(r))
        r = safe_query(ub, "stale.slow.ml.", "MX", OUT)
        check(real(r, "MX", ["10 mail.stale.slow.ml."]),
              f"[{tag}] stale.slow.ml MX (TTL 2) from {OUT} -> the real MX", describe(r))
        r = safe_query(ub, "stale.slow.ml.", "A", OUT)
        check(real(r, "A", ["192.0.2.41"]), f"[{tag}] stale.slow.ml A (TTL 2) from {OUT}", describe(r))
        time.sleep(2.6)
        up.set(delay={"short.good.test. A": 1.5, "stale.slow.ml. MX": 1.5})
        try:
            t0 = time.monotonic()
            r = safe_query(ub, "short.good.test.", "A", OUT, timeout=SLOW_QUERY_TIMEOUT)
            took = time.monotonic() - t0
            check(real(r, "A", ["192.0.2.61"]) and took < 1.2,
                  f"[{tag}] sanity: expired legitimate short.good.test A is served stale in "
                  f"{took:.2f}s (< 1.2 s; upstream now takes 1.5 s) - the serve-expired path is live",
                  describe(r))
            results = {}

            def ask(key, name, rdtype, source, timeout):
                s = time.monotonic()
                results[key] = (safe_query(ub, name, rdtype, source, timeout=timeout),
                                time.monotonic() - s)

            threads = [threading.Thread(target=ask, args=("out", "stale.slow.ml.", "MX", OUT,
                                                          SLOW_QUERY_TIMEOUT)),
                       threading.Thread(target=ask, args=("mail", "stale.slow.ml.", "MX", MAIL[0],
                                                          QUERY_TIMEOUT)),
                       threading.Thread(target=ask, args=("mailA", "stale.slow.ml.", "A", MAIL[1],
                                                          QUERY_TIMEOUT))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(SLOW_QUERY_TIMEOUT + 2)
        finally:
            up.set()
        r, took = results.get("mail", (None, 0))
        check(blocked(r), f"[{tag}] expired stale.slow.ml MX from mail server {MAIL[0]} (upstream "
              f"slow) -> NXDOMAIN in {took:.2f}s, never the stale MX", describe(r) + "\n" + log_lines(ub))
        r, took = results.get("mailA", (None, 0))
        check(blocked(r), f"[{tag}] expired stale.slow.ml A from mail server {MAIL[1]} -> NXDOMAIN",
              describe(r) + "\n" + log_lines(ub))
        r, took = results.get("out", (None, 0))
        first = describe(r).splitlines()[0]
        print(f"    info: stale.slow.ml MX from {OUT} at the same time -> {first} "
              f"{data(r, 'MX')} TTL {r.answer[0].ttl if r is not None and not isinstance(r, Exception) and r.answer else '-'}"
              f" after {took:.2f}s")
        check(ub.proc.poll() is None, f"[{tag}] unbound still running", log_lines(ub))
    finally:
        ub.stop()


def policy_json(revision, blocks_ml):
    policy = {
        "revision": revision,
        "mode": "enforce",
        "action": "nxdomain",
        "protected-domain": [{"name": "navy.mil"}],
        "client-group": [{"name": "mail-servers", "prefix": ["127.0.0.2/32", "127.0.0.3/32"]}],
        "scope": {"client-group": ["mail-servers"], "query-type": ["MX", "A", "AAAA"]},
    }
    if blocks_ml:
        policy["protected-domain"].append({"name": "army.mil"})
        policy["blocked-suffix"] = [{"name": "ml", "reason": "e2e: one keystroke from .mil"}]
    return {"typoguard:policy": policy}


def test_reload_keep_cache(args, up):
    """5. The policy starts protecting a name that is already cached; unbound-control
    reload_keep_cache keeps the cache, so the module's init must purge look-alikes from it."""
    tag = "reload_keep_cache"
    here = tempfile.mkdtemp(prefix="tg-leak-policy-")
    try:
        path = os.path.join(here, "policy.json")
        narrow = os.path.join(here, "narrow.json")
        wide = os.path.join(here, "wide.json")
        with open(narrow, "w") as f:
            json.dump(policy_json("e2e-navy-only", False), f, indent=2)
        with open(wide, "w") as f:
            json.dump(policy_json("e2e-army-and-ml", True), f, indent=2)
        for p in (narrow, wide):
            out = subprocess.run([args.typoguard, "validate", p], capture_output=True, text=True)
            check(out.returncode == 0, f"[{tag}] typoguard validate {os.path.basename(p)}",
                  out.stdout + out.stderr)
        out = subprocess.run([args.typoguard, "check", "--policy", narrow, "army.ml"],
                             capture_output=True, text=True)
        check(out.returncode == 0, f"[{tag}] army.ml is clean under the navy-only policy",
              out.stdout + out.stderr)
        out = subprocess.run([args.typoguard, "check", "--policy", wide, "army.ml"],
                             capture_output=True, text=True)
        check(out.returncode == 1, f"[{tag}] army.ml is a look-alike under the new policy",
              out.stdout + out.stderr)
        shutil.copy(narrow, path)
        ub = Unbound(args.unbound, args.unbound_control, args.module, up.port,
                     env_extra={"TYPOGUARD_POLICY": path})
        try:
            if not started(ub, tag):
                return
            r = safe_query(ub, "army.ml.", "MX", OUT)
            check(real(r, "MX", ["10 mail.army.ml."]), f"[{tag}] army.ml MX from {OUT} -> the MX "
                  "(cached)", describe(r))
            r = safe_query(ub, "army.ml.", "MX", MAIL[0])
            check(real(r, "MX", ["10 mail.army.ml."]), f"[{tag}] army.ml MX from mail server "
                  f"{MAIL[0]} -> the MX (not protected yet)", describe(r) + "\n" + log_lines(ub))
            r = safe_query(ub, "army.mil.", "A", MAIL[0])
            check(real(r, "A", ["192.0.2.20"]), f"[{tag}] army.mil A (cached)", describe(r))
            loads = ub.log().count("typoguard: module loaded")
            tmp = path + ".tmp"
            shutil.copy(wide, tmp)
            os.replace(tmp, path)
            rc, out = ub.control("reload_keep_cache")
            check(rc == 0 and "ok" in out, f"[{tag}] unbound-control reload_keep_cache -> exit 0",
                  f"exit={rc} {out}\n" + log_lines(ub))
            ready = ub.wait_ready()
            check(ready and ub.log().count("typoguard: module loaded") > loads,
                  f"[{tag}] the module was initialised again by the reload", log_lines(ub))
            if not ready:
                return
            s0 = ub.stats()
            r = safe_query(ub, "army.ml.", "MX", MAIL[0])
            check(blocked(r), f"[{tag}] after reload_keep_cache, army.ml MX from mail server "
                  f"{MAIL[0]} -> NXDOMAIN (look-alikes purged from the kept cache)",
                  describe(r) + "\n" + log_lines(ub))
            s1 = ub.stats()
            r = safe_query(ub, "army.mil.", "A", MAIL[1])
            s2 = ub.stats()
            hits = stat(s2, "total.num.cachehits") - stat(s1, "total.num.cachehits")
            check(real(r, "A", ["192.0.2.20"]) and bool(s1) and hits == 1,
                  f"[{tag}] army.mil A after the reload is a cache hit (cachehits +{hits:g}; the "
                  "cache was kept)", describe(r) + f"\nstats before={s1} after={s2}")
            hits0 = stat(s1, "total.num.cachehits") - stat(s0, "total.num.cachehits")
            print(f"    info: the mail server's army.ml MX after the reload counted cachehits +{hits0:g}")
            r = safe_query(ub, "army.ml.", "MX", OUT)
            check(real(r, "MX", ["10 mail.army.ml."]), f"[{tag}] army.ml MX from {OUT} after the "
                  "reload -> still the real MX", describe(r))
            check(ub.proc.poll() is None, f"[{tag}] unbound still running", log_lines(ub))
        finally:
            ub.stop()
    finally:
        shutil.rmtree(here, ignore_errors=True)


def main():
    ap = arguments(__doc__, argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unbound-control", help="default: unbound-control next to --unbound")
    ap.add_argument("--typoguard", required=True, help="the typoguard CLI (validate, check)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for slow_upstream.py")
    args = parse(ap)
    if not args.unbound_control:
        args.unbound_control = os.path.join(os.path.dirname(args.unbound), "unbound-control")
    runner = Runner()
    up = Upstream(args.python, args.zones)
    try:
        # The first four share one resolver (with the validator), started once.
        ub = Unbound(args.unbound, args.unbound_control, args.module, up.port)
        try:
            if started(ub, "validator"):
                runner.run("test_internal_lookup", test_internal_lookup, ub, up)
                runner.run("test_cache", test_cache, ub, up)
                runner.run("test_join_race", test_join_race, ub, up)
                runner.run("test_dead_upstream", test_dead_upstream, ub)
                check(ub.proc.poll() is None, "[validator] unbound still running", log_lines(ub))
        finally:
            ub.stop()
        runner.run("test_cname validator CD=0", test_cname, args, up, "validator CD=0",
                   validator=True, mail_cd=False)
        runner.run("test_cname validator CD=1", test_cname, args, up, "validator CD=1",
                   validator=True, mail_cd=True)
        runner.run("test_cname no validator", test_cname, args, up, "no validator",
                   validator=False, mail_cd=False)
        runner.run("test_serve_expired", test_serve_expired, args, up)
        runner.run("test_reload_keep_cache", test_reload_keep_cache, args, up)
    finally:
        up.stop()
    return runner.status()


if __name__ == "__main__":
    sys.exit(main())
