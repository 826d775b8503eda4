#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test: a real Unbound (built by module/build-unbound.sh) with typoguard.so loaded
through dynlib, answering from its own auth-zones (for-upstream) on loopback only.

Usage: unbound_e2e.py --unbound PREFIX/sbin/unbound --module typoguard.so --zones DIR
       --typoguard build/policy/typoguard
Exit 0 when every check passes, 1 otherwise. Each daemon is started with -d, waited for with a
bounded timeout and stopped by its own PID in a finally block."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from checks import check  # noqa: E402
from runner import main  # noqa: E402
from unbound_process import UnboundInstance, remote_control_clause, server_clause  # noqa: E402

QUERY_TIMEOUT = 3.0
# The module's policy when TYPOGUARD_POLICY is unset (TG_DEFAULT_POLICY_PATH in module/shim.c).
DEFAULT_POLICY_PATH = "/etc/typoguard/policy.json"


def write_config(tmp, port, module, zones, module_config, extra=""):
    conf = os.path.join(tmp, "unbound.conf")
    with open(conf, "w") as f:
        f.write(server_clause(tmp, port, module_config, extra=extra) + f"""auth-zone:
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
""" + remote_control_clause(tmp))
    return conf


class Unbound(UnboundInstance):
    """Unbound with typoguard and the ml./mil. auth-zones (write_config)."""

    def __init__(self, binary, module, zones, env_extra=None, module_config="dynlib validator iterator",
                 extra=""):
        super().__init__(binary, lambda tmp, port: write_config(tmp, port, module, zones, module_config,
                                                                extra), env_extra)

    def query(self, name, rdtype, source, use_edns=True):
        if use_edns:
            q = dns.message.make_query(name, rdtype, want_dnssec=True)
        else:
            q = dns.message.make_query(name, rdtype, use_edns=False)
        return dns.query.udp(q, "127.0.0.1", port=self.port, source=source, timeout=QUERY_TIMEOUT)


def print_module_log(log):
    """Shows typoguard's own lines of an Unbound log under the test output."""
    for line in log.splitlines():
        if "typoguard" in line:
            print("    log: " + line)


def ede_options(r):
    """The Extended DNS Error options (RFC 8914) of a response."""
    return [o for o in r.options if o.otype == dns.edns.OptionType.EDE]


def describe(r):
    return f"{dns.rcode.to_text(r.rcode())} flags={dns.flags.to_text(r.flags)}\n{r}"


def test_answers(args):
    ub = Unbound(args.unbound, args.module, args.zones, env_extra={"TYPOGUARD_POLICY": "builtin:demo"})
    try:
        ready = ub.wait_ready()
        check(ready, "unbound with typoguard starts (TYPOGUARD_POLICY=builtin:demo)", ub.log())
        if not ready:
            return
        check("typoguard: module loaded" in ub.log() and "policy builtin:demo (revision" in ub.log(),
              "init logs the policy in force (builtin:demo) and Unbound version", ub.log())

        r = ub.query("army.ml.", "MX", "127.0.0.2")
        print("    " + describe(r).replace("\n", "\n    "))
        soa = [rr for rr in r.authority if rr.rdtype == dns.rdatatype.SOA]
        check(r.rcode() == dns.rcode.NXDOMAIN and soa and not (r.flags & dns.flags.AD)
              and not r.answer,
              "army.ml MX from mail server 127.0.0.2 -> NXDOMAIN, SOA in authority, no AD", describe(r))
        # The SOA is written in wire format by module/reply.c: every field of it, as the embedded
        # default policy sets them (MINIMUM = TTL = answers/ttl).
        check(soa and soa[0].name.to_text() == "ml." and soa[0].ttl == 60 and len(soa[0]) == 1
              and soa[0][0].to_text()
              == "typoguard.invalid. hostmaster.typoguard.invalid. 1 3600 600 86400 60",
              "army.ml SOA: owner ml., TTL 60, typoguard.invalid. hostmaster.typoguard.invalid. "
              "1 3600 600 86400 60", describe(r))

        # The SOA's owner is a zone that exists (the listed public suffix), never the look-alike's
        # own apex, which the same answer says does not exist; the root under an unlisted suffix.
        for qname, owner in (("mail.army.ml.", "ml."), ("www.armymil.co.uk.", "co.uk."),
                             ("armymil.zzz.", ".")):
            r = ub.query(qname, "MX", "127.0.0.2")
            soa = [rr for rr in r.authority if rr.rdtype == dns.rdatatype.SOA]
            check(r.rcode() == dns.rcode.NXDOMAIN and soa and soa[0].name.to_text() == owner,
                  f"{qname} MX -> NXDOMAIN with the SOA owned by {owner}", describe(r))

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

        r = ub.query("army.ml.", "MX", "127.0.0.2")
        ede = ede_options(r)
        print("    EDE: " + repr([(o.code, o.text) for o in ede]))
        check(r.rcode() == dns.rcode.NXDOMAIN and len(ede) == 1 and ede[0].code == 15
              and "army.mil" in (ede[0].text or "") and "suffix-typo" in (ede[0].text or ""),
              "army.ml MX with EDNS -> EDE 15 (Blocked) naming army.mil and suffix-typo",
              describe(r))

        r = ub.query("army.ml.", "MX", "127.0.0.2", use_edns=False)
        check(r.rcode() == dns.rcode.NXDOMAIN and r.edns < 0 and not r.options
              and any(rr.rdtype == dns.rdatatype.SOA for rr in r.authority),
              "army.ml MX without EDNS -> NXDOMAIN + SOA, no OPT record (so no EDE)", describe(r))

        r = ub.query("army.ml.", "TXT", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and any(rr.rdtype == dns.rdatatype.TXT for rr in r.answer)
              and not ede_options(r),
              "army.ml TXT (a type the policy does not watch) from mail server 127.0.0.2 -> the TXT",
              describe(r))

        r = ub.query("army.mil.", "A", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and any(rr.rdtype == dns.rdatatype.A for rr in r.answer),
              "army.mil A (legitimate) from 127.0.0.2 -> NOERROR with the A", describe(r))

        r = ub.query("army.mil.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and any(rr.rdtype == dns.rdatatype.MX for rr in r.answer),
              "army.mil MX (legitimate) from 127.0.0.2 -> NOERROR with the MX", describe(r))
        check(ub.proc.poll() is None, "unbound still running after the queries", ub.log())
        print_module_log(ub.log())
    finally:
        ub.stop()


def sinkhole_policy(path, mx, ipv6=True, ede=True):
    """Writes a sinkhole policy (army.mil protected, 127.0.0.2/32 in scope, TTL 123) to path."""
    answer = {"ttl": 123, "sinkhole-ipv4": "192.0.2.99", "mx": mx}
    if ipv6:
        answer["sinkhole-ipv6"] = "2001:db8::99"
    policy = {"typoguard:policy": {
        "revision": "e2e-sinkhole",
        "mode": "enforce",
        "action": "sinkhole",
        "protected-domain": [{"name": "army.mil"}],
        "client-group": [{"name": "mail-servers", "prefix": ["127.0.0.2/32"]}],
        "scope": {"client-group": ["mail-servers"]},
        "answer": answer,
        "extended-dns-error": ede,
    }}
    with open(path, "w") as f:
        json.dump(policy, f, indent=2)


def answer_of(r, rdtype):
    return [rr for rrset in r.answer if rrset.rdtype == rdtype for rr in rrset]


def run_with_policy(args, policy, what, body):
    """Starts unbound with TYPOGUARD_POLICY=policy and runs body(ub); stops it by PID."""
    ub = Unbound(args.unbound, args.module, args.zones, env_extra={"TYPOGUARD_POLICY": policy})
    try:
        ready = ub.wait_ready()
        check(ready and "typoguard: module loaded" in ub.log(), f"unbound starts with the {what} policy",
              ub.log())
        if ready:
            body(ub)
            check(ub.proc.poll() is None, f"unbound still running after the {what} queries", ub.log())
        print_module_log(ub.log())
    finally:
        ub.stop()


def test_sinkhole(args):
    here = tempfile.mkdtemp(prefix="tg-e2e-policy-")
    try:
        host = os.path.join(here, "sinkhole-host.json")
        sinkhole_policy(host, {"answer": "host", "host": "quarantine.example.test", "preference": 10})
        null = os.path.join(here, "sinkhole-null.json")
        sinkhole_policy(null, {"answer": "null-mx"}, ipv6=False, ede=False)
        none = os.path.join(here, "sinkhole-none.json")
        sinkhole_policy(none, {"answer": "none"})

        def host_checks(ub):
            r = ub.query("ArMy.Ml.", "A", "127.0.0.2")
            print("    " + describe(r).replace("\n", "\n    "))
            a = answer_of(r, dns.rdatatype.A)
            check(r.rcode() == dns.rcode.NOERROR and [rr.address for rr in a] == ["192.0.2.99"]
                  and r.answer[0].ttl == 123 and not (r.flags & dns.flags.AD)
                  and not (r.flags & dns.flags.AA),
                  "sinkhole: army.ml A from 127.0.0.2 -> A 192.0.2.99, TTL 123, no AD/AA", describe(r))
            check(r.answer and r.answer[0].name.to_text() == "ArMy.Ml.",
                  "sinkhole: the owner is the name as asked (case preserved)", describe(r))
            ede = ede_options(r)
            check(len(ede) == 1 and ede[0].code == 15 and "army.mil" in (ede[0].text or ""),
                  "sinkhole: EDE 15 attached to the sinkhole answer too", describe(r))

            r = ub.query("army.ml.", "AAAA", "127.0.0.2")
            a = answer_of(r, dns.rdatatype.AAAA)
            check(r.rcode() == dns.rcode.NOERROR and [rr.address for rr in a] == ["2001:db8::99"]
                  and r.answer[0].ttl == 123 and not (r.flags & dns.flags.AD),
                  "sinkhole: army.ml AAAA -> AAAA 2001:db8::99, TTL 123, no AD", describe(r))

            r = ub.query("army.ml.", "MX", "127.0.0.2")
            mx = answer_of(r, dns.rdatatype.MX)
            check(r.rcode() == dns.rcode.NOERROR and [rr.to_text() for rr in mx] == ["10 quarantine.example.test."]
                  and r.answer[0].ttl == 123 and not (r.flags & dns.flags.AD),
                  "sinkhole: army.ml MX -> MX 10 quarantine.example.test., TTL 123, no AD", describe(r))

            r = ub.query("army.ml.", "MX", "127.0.0.1")
            mx = answer_of(r, dns.rdatatype.MX)
            check(r.rcode() == dns.rcode.NOERROR and [rr.to_text() for rr in mx] == ["10 mail.army.ml."],
                  "sinkhole: army.ml MX from 127.0.0.1 (out of scope) -> the real MX", describe(r))

            r = ub.query("army.ml.", "A", "127.0.0.2", use_edns=False)
            check(r.rcode() == dns.rcode.NOERROR and r.edns < 0
                  and [rr.address for rr in answer_of(r, dns.rdatatype.A)] == ["192.0.2.99"],
                  "sinkhole: without EDNS -> the same A, no OPT record", describe(r))

        def null_checks(ub):
            r = ub.query("army.ml.", "MX", "127.0.0.2")
            print("    " + describe(r).replace("\n", "\n    "))
            mx = answer_of(r, dns.rdatatype.MX)
            check(r.rcode() == dns.rcode.NOERROR and [rr.to_text() for rr in mx] == ["0 ."]
                  and r.answer[0].ttl == 123 and not (r.flags & dns.flags.AD),
                  "null MX: army.ml MX -> MX 0 . (RFC 7505), TTL 123, no AD", describe(r))
            check(not ede_options(r), "null MX: extended-dns-error false -> no EDE", describe(r))
            r = ub.query("army.ml.", "AAAA", "127.0.0.2")
            soa = [rr for rr in r.authority if rr.rdtype == dns.rdatatype.SOA]
            check(r.rcode() == dns.rcode.NOERROR and not r.answer and soa and soa[0].ttl == 123,
                  "null MX: army.ml AAAA with no sinkhole-ipv6 -> NODATA with SOA", describe(r))
            r = ub.query("army.ml.", "A", "127.0.0.2")
            check([rr.address for rr in answer_of(r, dns.rdatatype.A)] == ["192.0.2.99"],
                  "null MX: army.ml A -> A 192.0.2.99", describe(r))

        def none_checks(ub):
            r = ub.query("army.ml.", "MX", "127.0.0.2")
            soa = [rr for rr in r.authority if rr.rdtype == dns.rdatatype.SOA]
            check(r.rcode() == dns.rcode.NOERROR and not r.answer and soa
                  and not (r.flags & dns.flags.AD),
                  "mx none: army.ml MX -> NODATA with SOA, no AD", describe(r))

        for path in (host, null, none):
            out = subprocess.run([args.typoguard, "validate", path], capture_output=True, text=True)
            check(out.returncode == 0, f"typoguard validate {os.path.basename(path)}",
                  out.stdout + out.stderr)
        run_with_policy(args, host, "sinkhole (quarantine MX)", host_checks)
        run_with_policy(args, null, "sinkhole (Null MX)", null_checks)
        run_with_policy(args, none, "sinkhole (MX none)", none_checks)
    finally:
        shutil.rmtree(here, ignore_errors=True)


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
        print_module_log(log)
    finally:
        ub.stop()
        os.unlink(bad)


def test_unknown_builtin(args):
    ub = Unbound(args.unbound, args.module, args.zones, env_extra={"TYPOGUARD_POLICY": "builtin:default"})
    try:
        rc = ub.wait_exit()
        log = ub.log()
        check(rc is not None and rc != 0, "TYPOGUARD_POLICY=builtin:default -> unbound refuses to start",
              f"exit={rc}\n{log}")
        check("cannot load policy builtin:default" in log and "the only one is builtin:demo" in log,
              "unknown built-in policy: the log names the one there is", log)
        print_module_log(log)
    finally:
        ub.stop()


def test_not_first(args):
    ub = Unbound(args.unbound, args.module, args.zones, module_config="validator dynlib iterator")
    try:
        rc = ub.wait_exit()
        log = ub.log()
        check(rc is not None and rc != 0, "module not first -> unbound refuses to start",
              f"exit={rc}\n{log}")
        check("must be the first module" in log, "not first: the log says so", log)
        print_module_log(log)
    finally:
        ub.stop()


def test_other_daemon(args):
    """The daemon check: a module built for another unbound build (its expected build ID and
    version differ, as in a module built for 1.26.2 loaded by 1.17.1) refuses before it reads
    anything of the daemon's, and the one error line names both builds."""
    if not args.other_daemon_module:
        print("SKIP other-daemon module: not given (--other-daemon-module)")
        return
    ub = Unbound(args.unbound, args.other_daemon_module, args.zones,
                 env_extra={"TYPOGUARD_POLICY": "builtin:demo"})
    try:
        rc = ub.wait_exit()
        log = ub.log()
        check(rc is not None and rc != 0, "module built for another unbound -> refuses to start",
              f"exit={rc}\n{log}")
        lines = [line for line in log.splitlines() if "was built for Unbound" in line]
        version = subprocess.run([args.unbound, "-V"], capture_output=True, text=True,
                                 check=False).stdout.split("\n")[0].removeprefix("Version ").strip()
        check(len(lines) == 1 and "error: typoguard:" in lines[0]
              and "built for Unbound 0.0.0-other-build (build ID 00000000" in lines[0]
              and f"loaded by Unbound {version} (build ID " in lines[0],
              f"other daemon: one error line naming both builds (0.0.0-other-build and {version})",
              log)
        check("module loaded" not in log, "other daemon: the module did not start", log)
        print_module_log(log)
    finally:
        ub.stop()


def expect_refusal(args, env_extra, what, needles, module=None):
    """Starts unbound with env_extra and checks that it refuses to start with one typoguard error
    line containing every string of `needles`."""
    ub = Unbound(args.unbound, module or args.module, args.zones, env_extra=env_extra)
    try:
        rc = ub.wait_exit()
        log = ub.log()
        check(rc is not None and rc != 0, f"{what} -> unbound refuses to start", f"exit={rc}\n{log}")
        lines = [line for line in log.splitlines() if "error: typoguard: no policy at" in line]
        check(len(lines) == 1 and all(n in lines[0] for n in needles),
              f"{what}: one error line naming {', '.join(needles)}", log)
        print_module_log(log)
    finally:
        ub.stop()


def test_no_policy(args):
    """Fail closed: no TYPOGUARD_POLICY means the default path, and a missing file stops the
    daemon (typoguard.json next to the .so is no longer looked at)."""
    if os.path.exists(DEFAULT_POLICY_PATH):
        print(f"SKIP no TYPOGUARD_POLICY and no {DEFAULT_POLICY_PATH}: that file exists on this "
              "host, so the module would load it")
    else:
        here = tempfile.mkdtemp(prefix="tg-e2e-so-")
        try:
            module = os.path.join(here, "typoguard.so")
            shutil.copy(args.module, module)
            shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policy",
                                     "examples", "default.json"), os.path.join(here, "typoguard.json"))
            needles = [DEFAULT_POLICY_PATH, "TYPOGUARD_POLICY is unset or empty", "set TYPOGUARD_POLICY",
                       "TYPOGUARD_POLICY=builtin:demo"]
            expect_refusal(args, {"TYPOGUARD_POLICY": None},
                           f"TYPOGUARD_POLICY unset, no {DEFAULT_POLICY_PATH} (typoguard.json beside the .so)",
                           needles, module)
            expect_refusal(args, {"TYPOGUARD_POLICY": ""}, f"TYPOGUARD_POLICY empty, no {DEFAULT_POLICY_PATH}",
                           needles, module)
        finally:
            shutil.rmtree(here, ignore_errors=True)

    missing = os.path.join(tempfile.gettempdir(), f"tg-e2e-missing-{os.getpid()}", "policy.json")
    expect_refusal(args, {"TYPOGUARD_POLICY": missing}, "TYPOGUARD_POLICY names a missing file",
                   [missing, "(from TYPOGUARD_POLICY)", "No such file or directory", DEFAULT_POLICY_PATH])


def options(ap):
    ap.add_argument("--typoguard", required=True, help="the typoguard CLI (validate)")
    ap.add_argument("--other-daemon-module", default="",
                    help="the module built to expect another unbound build (daemon check)")


if __name__ == "__main__":
    sys.exit(main(__doc__, [test_answers, test_sinkhole, test_no_policy, test_bad_policy,
                            test_unknown_builtin, test_not_first, test_other_daemon],
                  add_arguments=options))
