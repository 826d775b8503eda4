#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fault injection against a real Unbound with typoguard (num-threads: 2). Each fault has its
expected behaviour written next to it (docs/reliability.md repeats them):

- event log on a full disk (/dev/full): every write fails with ENOSPC; reported once in Unbound's
  log; events counted as dropped (reported at shutdown); the resolver keeps blocking.
- policy file deleted: reported ("cannot be read"); the policy in force stays; a file put back is
  picked up.
- policy file made unreadable (a directory where the file was): reported; policy in force stays.
- policy file truncated mid-write: rejected with file:line; policy in force stays
  (also in tests/e2e/policy_events_e2e.py).
- wall-clock jumps (libfaketime, CLOCK_REALTIME only, as a real clock step does): blocking, the
  watcher and the event log go on; events carry the jumped wall-clock time.

Usage: faults.py --unbound PREFIX/sbin/unbound --module typoguard.so --zones zones/e2e
Exit 0 when every check passes, 1 otherwise. Daemons are stopped by their own PIDs."""
import os
import re
import sys
import time

import dns.rcode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from checks import check  # noqa: E402
from policy_events_e2e import policy, read_events, wait_for  # noqa: E402
from runner import main  # noqa: E402
from unbound_e2e import Unbound, describe  # noqa: E402
from unbound_process import stop  # noqa: E402

WAIT = 8.0
FAKETIME_LIBS = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
                 "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"]


def blocked(ub, source="127.0.0.2"):
    r = ub.query("army.ml.", "MX", source)
    return r.rcode() == dns.rcode.NXDOMAIN and not r.answer, r


def resolves(ub, name="army.mil.", source="127.0.0.2"):
    r = ub.query(name, "MX", source)
    return r.rcode() == dns.rcode.NOERROR and bool(r.answer), r


def start(args, env, what):
    ub = Unbound(args.unbound, args.module, args.zones, env_extra=env)
    ready = ub.wait_ready()
    check(ready, f"{what}: unbound starts", ub.log()[-2000:])
    return ub if ready else None


def test_disk_full(args, work):
    path = os.path.join(work, "full.json")
    policy(path, "faults-full", ["army.mil"], ["ml"])
    ub = start(args, {"TYPOGUARD_POLICY": path, "TYPOGUARD_EVENT_LOG": "/dev/full"}, "disk full")
    if ub is None:
        return
    try:
        for _ in range(20):
            ok, r = blocked(ub)
        check(ok, "disk full: army.ml still blocked for the mail server", describe(r))
        ok, r = resolves(ub)
        check(ok, "disk full: army.mil still resolves", describe(r))
        reported = wait_for(lambda: re.search(r"typoguard: .*/dev/full", ub.log()), WAIT)
        check(reported, "disk full: the write failure is reported, naming the file", ub.log()[-2000:])
        check(len(re.findall(r"typoguard: .*/dev/full", ub.log())) <= 3,
              "disk full: reported once per failure streak, not per event", ub.log()[-2000:])
    finally:
        stop(ub.proc)  # deinit reports the drops; read the log before the temp dir goes
        log = ub.log()
        ub.stop()
    m = re.search(r"typoguard: (\d+) of (\d+) events were dropped", log)
    check(m is not None and int(m.group(1)) >= 20, "disk full: the dropped events are counted at shutdown",
          log[-2000:])


def test_policy_file_faults(args, work):
    path = os.path.join(work, "faulty.json")
    policy(path, "faults-good", ["army.mil"], ["ml"])
    ub = start(args, {"TYPOGUARD_POLICY": path}, "policy file faults")
    if ub is None:
        return
    try:
        os.unlink(path)
        check(wait_for(lambda: "cannot be read" in ub.log(), WAIT),
              "deleted policy file: reported", ub.log()[-2000:])
        ok, r = blocked(ub)
        check(ok, "deleted policy file: the policy in force stays (army.ml blocked)", describe(r))

        os.mkdir(path)  # unreadable as a file: a directory stands there
        check(wait_for(lambda: "changed policy file rejected" in ub.log(), WAIT),
              "policy path turned into a directory: rejected and reported", ub.log()[-2000:])
        ok, r = blocked(ub)
        check(ok, "unreadable policy: the policy in force stays", describe(r))
        os.rmdir(path)

        with open(path, "w") as f:  # truncated mid-write
            f.write('{"typoguard:policy": {"revision": "half", "protected-dom')
        check(wait_for(lambda: ub.log().count("changed policy file rejected") >= 2, WAIT),
              "truncated policy: rejected and reported", ub.log()[-2000:])

        policy(path, "faults-back", ["army.mil"], ["ml"])
        check(wait_for(lambda: "revision faults-back" in ub.log(), WAIT),
              "a good policy put back is picked up", ub.log()[-2000:])
        ok, r = blocked(ub)
        check(ok and ub.proc.poll() is None, "after all policy faults: army.ml blocked, unbound running",
              describe(r))
    finally:
        ub.stop()


def test_clock_jumps(args, work):
    if "libasan" in os.environ.get("TG_DAEMON_PRELOAD", ""):
        # libfaketime and the ASan runtime together hang the daemon at start-up (seen here);
        # the clock-jump case runs in the uninstrumented (ci) preset.
        print("SKIP clock jumps: not under AddressSanitizer (libfaketime + ASan hang at start)")
        return
    lib = next((p for p in FAKETIME_LIBS if os.path.exists(p)), None)
    if lib is None:
        check(False, "clock jumps: libfaketime is installed (Debian package libfaketime)")
        return
    path = os.path.join(work, "clock.json")
    events = os.path.join(work, "clock-events.jsonl")
    stamp = os.path.join(work, "faketime")
    with open(stamp, "w") as f:
        f.write("+0\n")
    policy(path, "faults-clock", ["army.mil"], ["ml"])
    env = {"TYPOGUARD_POLICY": path, "TYPOGUARD_EVENT_LOG": events, "TG_DAEMON_PRELOAD": lib,
           "FAKETIME_TIMESTAMP_FILE": stamp, "FAKETIME_NO_CACHE": "1",
           "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    ub = start(args, env, "clock jumps")
    if ub is None:
        return
    try:
        ok, r = blocked(ub)
        check(ok, "clock jumps: blocked before the jump", describe(r))
        for jump, year in (("+3650d", 10), ("-7300d", -20)):
            with open(stamp, "w") as f:
                f.write(jump + "\n")
            time.sleep(0.5)
            ok, r = blocked(ub)
            check(ok, f"clock jumps {jump}: army.ml still blocked", describe(r))
            ok, r = resolves(ub)
            check(ok, f"clock jumps {jump}: army.mil still resolves", describe(r))
            want = time.gmtime().tm_year + year

            def stamped():
                return any(isinstance(e, dict) and str(e.get("@timestamp", "")).startswith(str(want))
                           for e in read_events(events))
            check(wait_for(stamped, WAIT), f"clock jumps {jump}: the event carries the jumped time "
                  f"({want})", repr(read_events(events)[-1:]))
        policy(path, "faults-clock-after", ["army.mil", "navy.mil"], ["ml"])
        check(wait_for(lambda: "revision faults-clock-after" in ub.log(), WAIT),
              "clock jumps: the watcher still swaps a changed policy in", ub.log()[-2000:])
    finally:
        ub.stop()


if __name__ == "__main__":
    sys.exit(main(__doc__, [test_disk_full, test_policy_file_faults, test_clock_jumps],
                  work_prefix="tg-faults-"))
