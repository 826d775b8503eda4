#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test: a real Unbound (built by module/build-unbound.sh) with typoguard.so loaded
through dynlib, answering from its own auth-zones (for-upstream) on loopback only.

Usage: unbound_e2e.py --unbound PREFIX/sbin/unbound --module typoguard.so --zones DIR
Exit 0 when every check passes, 1 otherwise. Each daemon is started with -d, waited for with a
bounded timeout and stopped by its own PID in a finally block."""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

STARTUP_TIMEOUT = 20.0
QUERY_TIMEOUT = 3.0
FAILURES = []


def free_port():
    """A currently free UDP+TCP port on 127.0.0.1."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", 0))
            port = u.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port")


def write_config(tmp, port, module, zones, module_config):
    conf = os.path.join(tmp, "unbound.conf")
    with open(conf, "w") as f:
        f.write(f"""server:
    interface: 127.0.0.1
    port: {port}
    interface-automatic: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    chroot: ""
    username: ""
    directory: "{tmp}"
    pidfile: "{tmp}/pid"
    use-syslog: no
    logfile: "{tmp}/log"
    verbosity: 1
    num-threads: 1
    module-config: "{module_config}"
auth-zone:
    name: "ml."
    zonefile: "{zones}/ml.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
auth-zone:
    name: "mil."
    zonefile: "{zones}/mil.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
dynlib:
    dynlib-file: "{module}"
""")
    return conf


class Unbound:
    """One unbound -d process in its own temp dir; stop() kills only that PID."""

    def __init__(self, binary, module, zones, env_extra=None, module_config="dynlib validator iterator"):
        self.tmp = tempfile.mkdtemp(prefix="tg-e2e-")
        self.port = free_port()
        self.conf = write_config(self.tmp, self.port, module, zones, module_config)
        env = dict(os.environ)
        env.pop("TYPOGUARD_POLICY", None)
        env.update(env_extra or {})
        self.log_path = os.path.join(self.tmp, "log")
        self.proc = subprocess.Popen([binary, "-d", "-c", self.conf], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_ready(self):
        """True when it answers a query, False when it exited; raises on timeout."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                dns.query.udp(dns.message.make_query("ready.invalid.", "A"), "127.0.0.1",
                              port=self.port, timeout=0.5)
                return True
            except Exception:
                time.sleep(0.2)
        raise TimeoutError(f"unbound did not answer on port {self.port} within {STARTUP_TIMEOUT}s")

    def wait_exit(self):
        """The exit code, waiting at most STARTUP_TIMEOUT; None if it still runs."""
        try:
            return self.proc.wait(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def query(self, name, rdtype, source):
        q = dns.message.make_query(name, rdtype, want_dnssec=True)
        return dns.query.udp(q, "127.0.0.1", port=self.port, source=source, timeout=QUERY_TIMEOUT)


def check(cond, what, detail=""):
    print(("PASS " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)
        if detail:
            print("    " + detail.replace("\n", "\n    "))


def describe(r):
    return f"{dns.rcode.to_text(r.rcode())} flags={dns.flags.to_text(r.flags)}\n{r}"


def test_answers(args):
    ub = Unbound(args.unbound, args.module, args.zones)
    try:
        ready = ub.wait_ready()
        check(ready, "unbound with typoguard starts (embedded default policy)", ub.log())
        if not ready:
            return
        check("typoguard: module loaded" in ub.log(), "init logs the policy and Unbound version", ub.log())

        r = ub.query("army.ml.", "MX", "127.0.0.2")
        print("    " + describe(r).replace("\n", "\n    "))
        soa = [rr for rr in r.authority if rr.rdtype == dns.rdatatype.SOA]
        check(r.rcode() == dns.rcode.NXDOMAIN and soa and not (r.flags & dns.flags.AD)
              and not r.answer,
              "army.ml MX from mail server 127.0.0.2 -> NXDOMAIN, SOA in authority, no AD", describe(r))

        r = ub.query("army.ml.", "MX", "127.0.0.1")
        print("    " + describe(r).replace("\n", "\n    "))
        mx = [rr for rr in r.answer if rr.rdtype == dns.rdatatype.MX]
        check(r.rcode() == dns.rcode.NOERROR and mx,
              "army.ml MX from 127.0.0.1 (out of scope) -> NOERROR with the MX", describe(r))

        r = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NXDOMAIN and not r.answer,
              "army.ml MX from 127.0.0.2 again -> still NXDOMAIN (no cache leak)", describe(r))

        r = ub.query("army.ml.", "A", "127.0.0.3")
        check(r.rcode() == dns.rcode.NXDOMAIN and not r.answer,
              "army.ml A from mail server 127.0.0.3 -> NXDOMAIN", describe(r))

        r = ub.query("army.mil.", "A", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and any(rr.rdtype == dns.rdatatype.A for rr in r.answer),
              "army.mil A (legitimate) from 127.0.0.2 -> NOERROR with the A", describe(r))

        r = ub.query("army.mil.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and any(rr.rdtype == dns.rdatatype.MX for rr in r.answer),
              "army.mil MX (legitimate) from 127.0.0.2 -> NOERROR with the MX", describe(r))
        check(ub.proc.poll() is None, "unbound still running after the queries", ub.log())
        for line in ub.log().splitlines():
            if "typoguard" in line:
                print("    log: " + line)
    finally:
        ub.stop()


def test_bad_policy(args):
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="tg-bad-policy-", delete=False) as f:
        f.write("{ this is not a policy")
        bad = f.name
    ub = Unbound(args.unbound, args.module, args.zones, env_extra={"TYPOGUARD_POLICY": bad})
    try:
        rc = ub.wait_exit()
        log = ub.log()
        check(rc is not None and rc != 0, "bad TYPOGUARD_POLICY -> unbound refuses to start",
              f"exit={rc}\n{log}")
        check(bad in log and "cannot load policy" in log,
              "bad policy: the log names the file and the error", log)
        for line in log.splitlines():
            if "typoguard" in line:
                print("    log: " + line)
    finally:
        ub.stop()
        os.unlink(bad)


def test_not_first(args):
    ub = Unbound(args.unbound, args.module, args.zones, module_config="validator dynlib iterator")
    try:
        rc = ub.wait_exit()
        log = ub.log()
        check(rc is not None and rc != 0, "module not first -> unbound refuses to start",
              f"exit={rc}\n{log}")
        check("must be the first module" in log, "not first: the log says so", log)
        for line in log.splitlines():
            if "typoguard" in line:
                print("    log: " + line)
    finally:
        ub.stop()


def test_policy_next_to_module(args):
    """No TYPOGUARD_POLICY: typoguard.json next to the .so is the policy that loads."""
    here = tempfile.mkdtemp(prefix="tg-e2e-so-")
    try:
        module = os.path.join(here, "typoguard.so")
        shutil.copy(args.module, module)
        policy = os.path.join(here, "typoguard.json")
        shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policy",
                                 "examples", "default.json"), policy)
        ub = Unbound(args.unbound, module, args.zones)
        try:
            ready = ub.wait_ready()
            log = ub.log()
            check(ready and f"policy {policy}:" in log,
                  "typoguard.json next to the .so is loaded when TYPOGUARD_POLICY is unset", log)
            if ready:
                r = ub.query("army.ml.", "MX", "127.0.0.2")
                check(r.rcode() == dns.rcode.NXDOMAIN, "  ... and it blocks army.ml MX for 127.0.0.2",
                      describe(r))
        finally:
            ub.stop()
    finally:
        shutil.rmtree(here, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--unbound", required=True)
    ap.add_argument("--module", required=True)
    ap.add_argument("--zones", required=True)
    args = ap.parse_args()
    args.module = os.path.abspath(args.module)
    args.zones = os.path.abspath(args.zones)
    test_answers(args)
    test_policy_next_to_module(args)
    test_bad_policy(args)
    test_not_first(args)
    print(f"{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
