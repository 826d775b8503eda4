#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of the SOC event log and of policy changes in a running resolver: a real
Unbound (module/build-unbound.sh) with typoguard.so, num-threads: 2, auth-zones on loopback.

Covers: one event line per blocked or monitored query with the documented fields, none for
clean names or out-of-scope clients; names with odd bytes stay valid ASCII JSON; the policy
watcher swapping a changed file in (and purging names that became look-alikes from the cache);
a bad file (and, at a reload, a removed one) keeping the last good policy, also through
`unbound-control reload` and SIGHUP; the event log rotated mid-run; an event log that cannot be
written.

Usage: policy_events_e2e.py --unbound PREFIX/sbin/unbound --module typoguard.so --zones DIR
Exit 0 when every check passes, 1 otherwise."""
import json
import os
import signal
import sys
import time

import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unbound_e2e as e2e  # noqa: E402
from unbound_e2e import Unbound, check, describe, print_module_log  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from runner import main  # noqa: E402

EVENT_WAIT = 8.0   # seconds an event may take to reach the file (async writer)
WATCH_WAIT = 8.0   # seconds a policy file change may take to be swapped in (1 s polling)
RETRY_WAIT = 12.0  # seconds until an event log that could not be opened is retried


def policy(path, revision, protected, blocked_suffixes=(), mode="enforce", action="nxdomain",
           event_log=None):
    """Writes a policy (mail servers 127.0.0.2/32 and 127.0.0.3/32 in scope) atomically."""
    doc = {"typoguard:policy": {
        "revision": revision,
        "mode": mode,
        "action": action,
        "protected-domain": [{"name": d} for d in protected],
        "client-group": [{"name": "mail-servers", "prefix": ["127.0.0.2/32", "127.0.0.3/32"]}],
        "scope": {"client-group": ["mail-servers"]},
    }}
    if blocked_suffixes:
        doc["typoguard:policy"]["blocked-suffix"] = [
            {"name": s, "reason": "e2e: a whole suffix blocked"} for s in blocked_suffixes]
    if action == "sinkhole":
        doc["typoguard:policy"]["answer"] = {"ttl": 60, "sinkhole-ipv4": "192.0.2.99",
                                              "mx": {"answer": "null-mx"}}
    if event_log:
        doc["typoguard:policy"]["event-log"] = {"path": event_log}
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
    os.replace(tmp, path)


def wait_for(predicate, timeout, step=0.1):
    """Polls predicate() until it is true or `timeout` seconds passed; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def read_events(path):
    """The event file's lines, parsed; a line that is not JSON is returned as the raw string."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError:
        return []
    events = []
    for line in raw.split(b"\n"):
        if not line:
            continue
        try:
            events.append(json.loads(line.decode("ascii")))
        except (UnicodeDecodeError, ValueError):
            events.append(line)
    return events


def field(event, dotted):
    """event["a"]["b"] for "a.b", or None."""
    node = event
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def start(args, policy_path, extra_env=None, extra_config=""):
    env = {"TYPOGUARD_POLICY": policy_path}
    env.update(extra_env or {})
    ub = Unbound(args.unbound, args.module, args.zones, env_extra=env, extra=extra_config)
    ready = ub.wait_ready()
    check(ready and "typoguard: module loaded" in ub.log(),
          f"unbound starts with policy {os.path.basename(policy_path)}", ub.log())
    return ub if ready else None


def test_events(args, work):
    events = os.path.join(work, "events.jsonl")
    path = os.path.join(work, "events-policy.json")
    policy(path, "e2e-events", ["army.mil"], ["ml"], event_log=events)
    ub = start(args, path)
    if ub is None:
        return
    try:
        ub.query("army.ml.", "MX", "127.0.0.2")
        ub.query("army.ml.", "A", "127.0.0.3")
        ub.query("army.mil.", "A", "127.0.0.2")       # clean name: no event
        ub.query("army.ml.", "MX", "127.0.0.1")       # out of scope: no event
        odd = dns.name.Name([b'a"b\\c\xff\x00 d', b"ml", b""])
        r = dns.query.udp(dns.message.make_query(odd, "A"), "127.0.0.1", port=ub.port,
                          source="127.0.0.2", timeout=e2e.QUERY_TIMEOUT)
        check(r.rcode() == dns.rcode.NXDOMAIN, "a name with quote, backslash, 0xff, NUL and space "
              "under .ml is blocked", describe(r))
        got = wait_for(lambda: len(read_events(events)) >= 3, EVENT_WAIT)
        lines = read_events(events)
        with open(events, "rb") as f:
            raw = f.read()
        check(got and len(lines) == 3, "exactly three event lines for three blocked queries "
              "(none for the clean name or the out-of-scope client)", repr(lines))
        check(all(isinstance(e, dict) for e in lines), "every event line is JSON", repr(raw))
        check(all(b < 0x80 for b in raw), "the event file is pure ASCII", repr(raw))
        if len(lines) == 3 and all(isinstance(e, dict) for e in lines):
            first, second, third = lines
            expect = {
                "event.action": "dns-typo-blocked", "source.ip": "127.0.0.2",
                "dns.question.name": "army.ml", "dns.question.type": "MX",
                "dns.response_code": "NXDOMAIN", "rule.name": "suffix-typo",
                "typoguard.protected_domain": "army.mil", "typoguard.technique": "suffix-typo",
                "typoguard.mode": "enforce", "typoguard.answer": "nxdomain",
                "typoguard.stage": "query", "typoguard.policy_revision": "e2e-events",
            }
            wrong = {k: field(first, k) for k, v in expect.items() if field(first, k) != v}
            check(not wrong, "the first event has the documented fields and values",
                  f"differs: {wrong}\n{json.dumps(first, indent=1)}")
            check(isinstance(field(first, "source.port"), int) and field(first, "@timestamp"),
                  "the event has source.port and @timestamp", json.dumps(first))
            check(field(second, "source.ip") == "127.0.0.3" and field(second, "dns.question.type") == "A",
                  "the second event names mail server 127.0.0.3 and type A", json.dumps(second))
            name = field(third, "dns.question.name") or ""
            check(name.endswith(".ml") and "\\" in name and "\\255" in name and "\\000" in name,
                  "the odd name is written with \\DDD escapes", repr(name))
        check(ub.proc.poll() is None, "unbound still running after the event queries", ub.log())
    finally:
        ub.stop()

    # Monitor mode: the mail server gets the real answer, the event says "allowed".
    events_m = os.path.join(work, "events-monitor.jsonl")
    path_m = os.path.join(work, "monitor-policy.json")
    policy(path_m, "e2e-monitor", ["army.mil"], ["ml"], mode="monitor", event_log=events_m)
    ub = start(args, path_m)
    if ub is None:
        return
    try:
        r = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and r.answer,
              "monitor mode: army.ml MX from the mail server resolves", describe(r))
        wait_for(lambda: read_events(events_m), EVENT_WAIT)
        lines = read_events(events_m)
        ok = (len(lines) == 1 and isinstance(lines[0], dict)
              and field(lines[0], "typoguard.mode") == "monitor"
              and field(lines[0], "event.type") == ["allowed"]
              and field(lines[0], "dns.response_code") == "NOERROR"
              and field(lines[0], "typoguard.answer") == "resolved")
        check(ok, "monitor mode: one event, mode monitor, event.type allowed, NOERROR",
              repr(lines))
    finally:
        ub.stop()


def module_memory(ub):
    """mem.mod.dynlibmod from `unbound-control stats_noreset` (needs extended-statistics); -1
    when it is missing."""
    rc, out = ub.control("stats_noreset")
    for line in out.splitlines() if rc == 0 else []:
        if line.startswith("mem.mod.dynlibmod="):
            return int(line.split("=", 1)[1])
    return -1


def test_watch_and_bad_policy(args, work):
    path = os.path.join(work, "watched.json")
    policy(path, "e2e-navy-only", ["navy.mil"])
    ub = start(args, path, extra_config="    extended-statistics: yes\n")
    if ub is None:
        return
    try:
        memory_before = module_memory(ub)
        check(memory_before > 4096,
              "unbound-control stats reports the module's memory (mem.mod.dynlibmod: the policy)",
              f"mem.mod.dynlibmod={memory_before}")
        r1 = ub.query("army.ml.", "MX", "127.0.0.1")
        r2 = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r1.rcode() == dns.rcode.NOERROR and r2.rcode() == dns.rcode.NOERROR and r2.answer,
              "before the change army.ml is no look-alike: both clients resolve it (and it is cached)",
              describe(r2))
        policy(path, "e2e-army-and-ml", ["army.mil", "navy.mil"], ["ml"])
        swapped = wait_for(lambda: "revision e2e-army-and-ml" in ub.log(), WATCH_WAIT)
        check(swapped, "the watcher swaps the changed policy in without a reload", ub.log()[-3000:])
        check("look-alike entries from the message cache" in ub.log(),
              "the watcher purged the message cache after the swap", ub.log()[-3000:])
        memory_after = module_memory(ub)
        check(memory_after > memory_before,
              "mem.mod.dynlibmod grows with the swapped-in policy (two protected domains, not one)",
              f"before {memory_before}, after {memory_after}")
        r = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NXDOMAIN and not r.answer,
              "after the change the cached army.ml MX is not served to the mail server: NXDOMAIN",
              describe(r))

        # A bad file (written in place, not atomically) keeps the last good policy.
        with open(path, "w") as f:
            f.write('{"typoguard:policy": {"revision": "broken", "protected-domain": [')
        rejected = wait_for(lambda: "changed policy file rejected" in ub.log(), WATCH_WAIT)
        check(rejected, "a broken policy file is rejected and logged", ub.log()[-3000:])
        r = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NXDOMAIN, "after the bad change army.ml is still blocked",
              describe(r))
        r = ub.query("army.mil.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and r.answer,
              "after the bad change the legitimate army.mil still resolves", describe(r))

        # unbound-control reload with the bad file: the resolver stays up, last good in force.
        rc, out = ub.control("reload")
        check(rc == 0, "unbound-control reload exits 0", out)
        kept = wait_for(lambda: "keeping the last good policy" in ub.log(), WATCH_WAIT)
        alive = ub.wait_ready()
        check(kept and alive and ub.proc.poll() is None,
              "reload with a bad policy file keeps the last good policy; unbound keeps running",
              ub.log()[-3000:])
        if alive:
            r = ub.query("army.ml.", "MX", "127.0.0.2")
            check(r.rcode() == dns.rcode.NXDOMAIN,
                  "after the reload with a bad file army.ml is still blocked", describe(r))

        # unbound-control reload with the file gone: the same (fail closed only at a first start).
        os.unlink(path)
        rc, out = ub.control("reload")
        check(rc == 0, "unbound-control reload (policy file removed) exits 0", out)
        gone = wait_for(lambda: any(f"no policy at {path}" in l and "keeping the last good policy" in l
                                    for l in ub.log().splitlines()), WATCH_WAIT)
        alive = ub.wait_ready()
        check(gone and alive and ub.proc.poll() is None,
              "reload with the policy file removed keeps the last good policy; unbound keeps running",
              ub.log()[-3000:])
        if alive:
            r = ub.query("army.ml.", "MX", "127.0.0.2")
            check(r.rcode() == dns.rcode.NXDOMAIN,
                  "after the reload without a file army.ml is still blocked", describe(r))

        # SIGHUP after the file is repaired: the new revision is in force.
        policy(path, "e2e-after-sighup", ["army.mil"], ["ml"])
        inits = ub.log().count("typoguard: module loaded")
        os.kill(ub.proc.pid, signal.SIGHUP)

        def reinitialised():
            lines = [l for l in ub.log().splitlines() if "typoguard: module loaded" in l]
            return len(lines) > inits and "revision e2e-after-sighup" in lines[-1]
        loaded = wait_for(reinitialised, WATCH_WAIT)
        alive = ub.wait_ready()
        check(loaded and alive, "SIGHUP picks up the repaired policy", ub.log()[-3000:])
        if alive:
            r = ub.query("army.ml.", "MX", "127.0.0.2")
            check(r.rcode() == dns.rcode.NXDOMAIN, "after SIGHUP army.ml is blocked", describe(r))
            r = ub.query("army.ml.", "MX", "127.0.0.1")
            check(r.rcode() == dns.rcode.NOERROR and r.answer,
                  "after SIGHUP army.ml still resolves for the out-of-scope client", describe(r))
        print_module_log(ub.log())
    finally:
        ub.stop()


def test_rotation_and_unwritable(args, work):
    events = os.path.join(work, "rotated.jsonl")
    path = os.path.join(work, "rotate-policy.json")
    policy(path, "e2e-rotate", ["army.mil"], ["ml"])
    ub = start(args, path, {"TYPOGUARD_EVENT_LOG": events})
    if ub is None:
        return
    try:
        ub.query("army.ml.", "MX", "127.0.0.2")
        check(wait_for(lambda: len(read_events(events)) == 1, EVENT_WAIT),
              "TYPOGUARD_EVENT_LOG overrides the (absent) policy path: one event", repr(read_events(events)))
        os.rename(events, events + ".1")  # what logrotate's default `create` mode does
        time.sleep(1.5)
        ub.query("army.ml.", "A", "127.0.0.2")
        ub.query("army.ml.", "AAAA", "127.0.0.3")
        moved = wait_for(lambda: len(read_events(events)) == 2, EVENT_WAIT)
        check(moved and len(read_events(events + ".1")) == 1,
              "after rotation the writer reopens the path: new events land in the new file",
              f"new={read_events(events)!r} old={read_events(events + '.1')!r}")
    finally:
        ub.stop()

    # The event log's directory does not exist (a file stands where it should be).
    blocker = os.path.join(work, "logdir")
    with open(blocker, "w") as f:
        f.write("not a directory\n")
    events = os.path.join(blocker, "events.jsonl")
    ub = start(args, path, {"TYPOGUARD_EVENT_LOG": events})
    if ub is None:
        return
    try:
        r = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NXDOMAIN, "with an unwritable event log army.ml is still blocked",
              describe(r))
        r = ub.query("army.mil.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and r.answer,
              "with an unwritable event log army.mil still resolves", describe(r))
        reported = wait_for(lambda: "cannot open event log" in ub.log() and events in ub.log(), EVENT_WAIT)
        check(reported, "the unwritable event log is reported in Unbound's log, naming the path",
              ub.log()[-3000:])
        os.unlink(blocker)
        os.mkdir(blocker)
        deadline = time.monotonic() + RETRY_WAIT
        while time.monotonic() < deadline and not read_events(events):
            ub.query("army.ml.", "MX", "127.0.0.2")
            time.sleep(0.5)
        check(read_events(events), "once the directory exists, events are written again",
              ub.log()[-3000:])
        check(ub.proc.poll() is None, "unbound still running", ub.log()[-3000:])
    finally:
        ub.stop()


if __name__ == "__main__":
    sys.exit(main(__doc__, [test_events, test_watch_and_bad_policy, test_rotation_and_unwritable],
                  work_prefix="tg-e2e-events-"))
