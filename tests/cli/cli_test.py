#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the `typoguard` command, run by CTest against the real binary.

    cli_test.py --typoguard PATH --source-dir DIR TEST

Each TEST is one function below (check-text -> test_check_text). A failure prints what was
run, what was expected and what came out, and exits 1; exit 77 means skipped (CTest's
SKIP_RETURN_CODE). The rpz-unbound test starts a real Unbound on 127.0.0.1 only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from unbound_process import free_port, read_tail, start_unbound, stop  # noqa: E402

SKIP = 77
TIMEOUT = 120  # seconds for any one command
JSON_FIELDS = {"name", "verdict", "protected", "technique", "secondary_technique",
               "matched", "evidence"}


class Failure(Exception):
    """A failed expectation; the message says what and why."""


class Skip(Exception):
    """The test cannot run here (and is not required to)."""


class Result:
    def __init__(self, argv, code, out, err, seconds):
        self.argv, self.code, self.out, self.err, self.seconds = argv, code, out, err, seconds

    def describe(self):
        return (f"command: {' '.join(self.argv)}\nexit code: {self.code}\n"
                f"stdout:\n{self.out[:4000]}\nstderr:\n{self.err[:4000]}")


class Context:
    def __init__(self, typoguard, source_dir):
        self.typoguard = typoguard
        self.source = Path(source_dir)

    def run(self, *args, stdin=None, timeout=TIMEOUT):
        argv = [self.typoguard, *args]
        started = time.monotonic()
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", timeout=timeout)
        return Result(argv, proc.returncode, proc.stdout, proc.stderr,
                      time.monotonic() - started)

    def policy(self, name):
        return self.source / "policy" / "examples" / name


def expect(condition, message, result=None):
    if not condition:
        raise Failure(message + ("\n" + result.describe() if result else ""))


def expect_code(result, code):
    expect(result.code == code, f"expected exit code {code}, got {result.code}", result)


def json_lines(result):
    objects = []
    for number, line in enumerate(result.out.splitlines(), 1):
        expect(line.isascii(), f"output line {number} is not pure ASCII: {line!r}", result)
        try:
            objects.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise Failure(f"output line {number} is not JSON ({error}): {line!r}\n"
                          + result.describe()) from None
    return objects


def expect_fields(obj, result, **fields):
    expect(set(obj) == JSON_FIELDS,
           f"JSON fields are {sorted(obj)}, expected {sorted(JSON_FIELDS)}", result)
    for key, value in fields.items():
        expect(obj[key] == value, f"{obj['name']}: field {key} is {obj[key]!r}, "
                                  f"expected {value!r}", result)


# --- check -------------------------------------------------------------------------------

def test_check_text(ctx):
    result = ctx.run("check", "army.ml", "army.mil", "example.com", "mail.army.ml")
    expect_code(result, 1)
    lines = result.out.splitlines()
    expect(len(lines) == 4, "expected one line per name", result)
    expect(lines[0].startswith("army.ml is a look-alike of army.mil: suffix-typo"),
           "army.ml must be a suffix-typo look-alike of army.mil", result)
    expect("'mil' -> 'ml'" in lines[0], "army.ml: the evidence must show 'mil' -> 'ml'", result)
    expect(lines[1] == "army.mil is protected (army.mil)", "army.mil must be protected", result)
    expect(lines[2] == "example.com is clean", "example.com must be clean", result)
    expect(lines[3].startswith("mail.army.ml is a look-alike of army.mil"),
           "a name under army.ml must be a look-alike too", result)
    expect(result.err == "", "nothing expected on stderr", result)

    result = ctx.run("check", "example.com", "army.mil")
    expect_code(result, 0)

    # A Cyrillic 'а' (U+0430) in place of the Latin 'a'.
    result = ctx.run("check", "\u0430rmy.mil")
    expect_code(result, 1)
    expect("look-alike of army.mil: homoglyph" in result.out,
           "Cyrillic аrmy.mil must be a homoglyph of army.mil", result)
    expect("xn--" in result.out, "the A-label form of a Unicode name must be shown", result)


def test_check_json(ctx):
    result = ctx.run("check", "--json", "army.ml", "army.mil", "example.com", "\u0430rmy.mil",
                     "mail.army.ml")
    expect_code(result, 1)
    objects = json_lines(result)
    expect(len(objects) == 5, "expected one JSON object per name", result)
    army_ml, army_mil, example, cyrillic, mail = objects
    expect_fields(army_ml, result, name="army.ml", verdict="look-alike", protected="army.mil",
                  technique="suffix-typo", secondary_technique=None, matched="army.ml")
    expect(isinstance(army_ml["evidence"], str) and army_ml["evidence"],
           "a look-alike must carry evidence", result)
    expect_fields(army_mil, result, name="army.mil", verdict="protected", protected="army.mil",
                  technique=None, secondary_technique=None)
    expect_fields(example, result, name="example.com", verdict="clean", protected=None,
                  technique=None, secondary_technique=None, matched=None, evidence=None)
    expect_fields(cyrillic, result, name="\\208\\176rmy.mil", verdict="look-alike",
                  protected="army.mil", technique="homoglyph")
    expect_fields(mail, result, name="mail.army.ml", verdict="look-alike",
                  protected="army.mil", technique="suffix-typo", matched="army.ml")

    # Names that need escaping stay pure ASCII and valid JSON.
    result = ctx.run("check", "--json", 'we"ird\\name.com', "tab\tname.com")
    expect_code(result, 0)
    objects = json_lines(result)
    expect(objects[0]["name"] == "we\\034ird\\092name.com",
           "quotes and backslashes in names are escaped as \\DDD", result)
    expect(objects[1]["name"] == "tab\\009name.com", "control characters are escaped", result)


def test_check_protect_file(ctx):
    with tempfile.TemporaryDirectory() as tmp:
        protect = Path(tmp) / "protect.txt"
        protect.write_text("# domains our mail goes to\ngmail.com\n\nexample.org  # partner\n")
        result = ctx.run("check", "--protect-file", str(protect), "gmail.om", "gmail.com",
                         "example.com", "army.ml")
        expect_code(result, 1)
        lines = result.out.splitlines()
        expect(lines[0].startswith("gmail.om is a look-alike of gmail.com: suffix-typo"),
               "gmail.om must be a suffix-typo of gmail.com", result)
        expect(lines[1] == "gmail.com is protected (gmail.com)", "gmail.com is protected", result)
        expect(lines[2] == "example.com is clean", "example.com is clean", result)
        expect(lines[3] == "army.ml is clean",
               "army.mil is not protected by this list, so army.ml is clean", result)

        result = ctx.run("check", "--protect-file", str(protect), "--json", "gmail.om")
        expect_code(result, 1)
        (obj,) = json_lines(result)
        expect_fields(obj, result, name="gmail.om", verdict="look-alike", protected="gmail.com",
                      technique="suffix-typo", matched="gmail.om")


def generated_names(count):
    """A deterministic mix: look-alikes, protected names, clean names."""
    names = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            names.append(f"host{i}.army.ml")
        elif kind == 1:
            names.append(f"host{i}.army.mil")
        elif kind == 2:
            names.append(f"shop{i}.example.com")
        else:
            names.append(f"n{i}.mail{i % 97}.example.org")
    return names


def test_check_stdin(ctx):
    count = 100_000
    names = generated_names(count)
    text = "\n".join(names) + "\n"
    result = ctx.run("check", stdin=text, timeout=600)
    expect_code(result, 1)
    lines = result.out.splitlines()
    expect(len(lines) == count, f"expected {count} lines, got {len(lines)}", None)
    print(f"check: {count} names from standard input in {result.seconds:.2f} s "
          f"({count / max(result.seconds, 1e-9):,.0f} names/s)")
    for i in (0, 1, 2, 3, count - 1):
        expect(lines[i].startswith(names[i] + " is "), f"line {i + 1} is not about {names[i]}: "
               f"{lines[i]!r}")
    expect(lines[0].startswith("host0.army.ml is a look-alike of army.mil"),
           f"unexpected first line {lines[0]!r}")
    expect(sum(" is a look-alike" in line for line in lines) == count // 4,
           "every fourth name (host<i>.army.ml) must be a look-alike and no other")

    result = ctx.run("check", "--json", stdin=text, timeout=600)
    expect_code(result, 1)
    print(f"check --json: {count} names in {result.seconds:.2f} s")
    objects = json_lines(result)
    expect(len(objects) == count, f"expected {count} JSON lines, got {len(objects)}")
    expect([obj["name"] for obj in objects] == names, "JSON names must follow the input order")

    # CRLF line ends, blank lines and a last line without a newline.
    result = ctx.run("check", stdin="army.ml\r\n\n  example.com  \r\narmy.mil")
    expect_code(result, 1)
    lines = result.out.splitlines()
    expect(len(lines) == 3 and lines[1] == "example.com is clean"
           and lines[2] == "army.mil is protected (army.mil)",
           "blank lines are skipped, blanks and CR are trimmed", result)


# --- exit codes, help ----------------------------------------------------------------------

def test_exit_codes(ctx):
    def case(args, code, stderr_has=None, stdin=None):
        result = ctx.run(*args, stdin=stdin)
        expect_code(result, code)
        if stderr_has is not None:
            expect(stderr_has in result.err, f"stderr must mention {stderr_has!r}", result)
        return result

    case(["check", "example.com"], 0)
    case(["check", "army.ml"], 1)
    case(["check"], 0, stdin="")
    case(["check", "--bogus", "army.ml"], 2, "--bogus")
    case(["check", "--json=yes", "army.ml"], 2, "--json")
    case(["check", "--policy"], 2, "--policy")
    case(["check", "--policy", "a.json", "--protect-file", "b.txt", "x.com"], 2, "--protect-file")
    case(["check", "--policy", "/nonexistent/policy.json", "army.ml"], 3,
         "/nonexistent/policy.json")
    case(["check", "--protect-file", "/nonexistent/list.txt", "army.ml"], 3,
         "/nonexistent/list.txt")
    case([], 2)
    case(["frobnicate"], 2, "frobnicate")
    case(["--frobnicate"], 2, "--frobnicate")
    case(["variants"], 2)
    case(["variants", "--technique", "no-such-technique", "army.mil"], 2, "no-such-technique")
    case(["variants", "--bogus", "army.mil"], 2, "--bogus")
    case(["variants", "com"], 2, "not a registrable domain")
    case(["validate"], 2)
    case(["validate", "--bogus", "x.json"], 2, "--bogus")
    case(["rpz", "--origin", "bad..origin"], 2, "--origin")
    case(["rpz", "--serial", "-4"], 2, "--serial")
    case(["rpz", "extra"], 2, "extra")
    result = case(["--version"], 0)
    expect(re.fullmatch(r"typoguard \d+\.\d+\.\d+\n", result.out) is not None,
           "--version prints 'typoguard X.Y.Z'", result)


def test_help(ctx):
    for command in ["", "check", "variants", "validate", "rpz"]:
        for flag in ["--help", "-h"]:
            args = [command, flag] if command else [flag]
            result = ctx.run(*args)
            expect_code(result, 0)
            expected = f"Usage: typoguard {command or 'COMMAND'}"
            expect(result.out.startswith(expected), f"help must start with {expected!r}", result)
            expect(result.err == "", "help prints nothing on stderr", result)
        if command:
            result = ctx.run("help", command)
            expect_code(result, 0)
            expect(result.out.startswith(f"Usage: typoguard {command}"),
                   f"'typoguard help {command}' shows the help of {command}", result)
    result = ctx.run("check", "--help")
    expect("Exit status" in result.out, "check --help documents the exit status", result)


# --- validate ------------------------------------------------------------------------------

def policy_files(directory):
    return sorted(p for p in Path(directory).glob("*") if p.suffix in (".json", ".xml"))


def parse_expect(path):
    """The 'key: value' lines of a tests/policy/invalid/*.expect file ('#' lines skipped)."""
    fields = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#") and ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


def test_validate(ctx):
    valid = policy_files(ctx.source / "policy" / "examples") + \
        policy_files(ctx.source / "tests" / "policy" / "valid")
    expect(valid, "no policy files found in policy/examples/ or tests/policy/valid/")
    for path in valid:
        result = ctx.run("validate", str(path))
        expect_code(result, 0)
        expect(re.fullmatch(re.escape(str(path)) + r": ok \(\d+ protected domains?, .*\)\n",
                            result.out) is not None, f"{path}: expected 'FILE: ok (...)'", result)
    result = ctx.run("validate", *map(str, valid))
    expect_code(result, 0)
    expect(len(result.out.splitlines()) == len(valid), "one 'ok' line per file", result)

    # Each invalid file X has X.expect: its first error's message (a substring), data path, line.
    invalid = sorted(p.with_suffix("") for p in
                     (ctx.source / "tests" / "policy" / "invalid").glob("*.expect"))
    mismatches = []
    for path in invalid:
        expected = parse_expect(path.with_name(path.name + ".expect"))
        result = ctx.run("validate", str(path))
        expect_code(result, 3)
        expect(result.out == "", f"{path}: an invalid file must not be reported ok", result)
        lines = result.err.splitlines()
        expect(lines, f"{path}: errors must be printed on stderr", result)
        for line in lines:
            expect(line.startswith(str(path)), f"{path}: each error starts with the file name",
                   result)
        first = lines[0]
        line = expected.get("line", "0")
        prefix = str(path) + (f":{line}" if line != "0" else "") + ":"
        if not first.startswith(prefix):
            mismatches.append(f"{path.name}: first error does not start with {prefix!r}")
        if expected.get("path") and f": {expected['path']}: " not in first:
            mismatches.append(f"{path.name}: first error does not name {expected['path']!r}")
        if expected.get("message", "") not in first:
            mismatches.append(f"{path.name}: first error does not say {expected['message']!r}")
        if mismatches and mismatches[-1].startswith(path.name):
            mismatches.append(f"    got: {first}")
    expect(not mismatches, f"{len(invalid)} invalid policies checked against their .expect "
                           f"files; mismatches:\n" + "\n".join(mismatches))

    with tempfile.TemporaryDirectory() as tmp:
        broken = Path(tmp) / "broken.json"
        broken.write_text('{\n  "typoguard:policy": {\n    "protected-domain": [\n')
        result = ctx.run("validate", str(valid[0]), str(broken))
        expect_code(result, 3)
        expect(result.out.startswith(f"{valid[0]}: ok"), "the good file is still reported ok",
               result)
        expect(result.err.startswith(str(broken)), "the broken file's error names it", result)
        result = ctx.run("validate", str(Path(tmp) / "missing.json"))
        expect_code(result, 3)
        expect("missing.json" in result.err, "a missing file is named in the error", result)
    # The module's name for its embedded policy (TYPOGUARD_POLICY=builtin:demo), which the
    # package's unit validates before start like any file; other builtin: names are errors.
    result = ctx.run("validate", "builtin:demo")
    expect_code(result, 0)
    expect(result.out.startswith("builtin:demo: ok (9 protected domains,"),
           "builtin:demo validates as the embedded demo policy", result)
    result = ctx.run("validate", "builtin:other")
    expect_code(result, 3)
    expect("builtin:other: no such built-in policy (the only one is builtin:demo)" in result.err,
           "an unknown builtin: name is an error naming the one there is", result)
    print(f"validate: {len(valid)} valid and {len(invalid)} invalid policy files checked")


def test_starter_policy(ctx):
    """policy/examples/starter.json, the Debian package's /etc/typoguard/policy.json: it loads,
    blocks nothing until the team switches it to enforce, and answers NXDOMAIN then (no
    sinkhole addresses to get wrong in production)."""
    path = ctx.policy("starter.json")
    result = ctx.run("validate", str(path))
    expect_code(result, 0)
    expect(", mode monitor," in result.out, "the starter policy must load in monitor mode", result)
    policy = json.loads(path.read_text())["typoguard:policy"]
    expect(policy.get("mode") == "monitor", "starter.json must say \"mode\": \"monitor\"")
    expect(policy.get("action") == "nxdomain", "starter.json answers look-alikes NXDOMAIN")
    expect(all(d.get("action", "nxdomain") == "nxdomain" for d in policy["protected-domain"]),
           "no protected domain of starter.json chooses another action")
    expect("answer" not in policy, "starter.json needs no answer settings (no sinkhole)")
    groups = {g["name"]: g for g in policy.get("client-group", [])}
    expect(groups.get("mail-servers", {}).get("prefix") == ["127.0.0.1/32", "::1/128"],
           "starter.json's mail-servers group is the resolver's own host")
    expect(policy.get("scope", {}).get("client-group") == ["mail-servers"],
           "starter.json acts for the mail servers only")
    expect(policy.get("event-log") == {"path": "/var/log/typoguard/events.jsonl"},
           "starter.json logs to /var/log/typoguard/events.jsonl")
    expect(all(d.get("description") for d in policy["protected-domain"])
           and all(g.get("description") for g in groups.values()),
           "every protected domain and client group of starter.json has a description")

    result = ctx.run("check", "--policy", str(path), "gmail.om", "mail.com")
    expect_code(result, 1)
    lines = result.out.splitlines()
    expect(lines[0].startswith("gmail.om is a look-alike of gmail.com"),
           "the starter policy protects gmail.com", result)
    expect(lines[1] == "mail.com is allowed (allow-list: mail.com)",
           "the starter policy allows the real provider mail.com", result)


# --- variants ------------------------------------------------------------------------------

def parse_variants(result):
    pairs = []
    for line in result.out.splitlines():
        parts = line.split("\t")
        expect(len(parts) == 2 and parts[0] and parts[1],
               f"expected 'technique<TAB>name', got {line!r}", result)
        pairs.append((parts[0], parts[1]))
    return pairs


def round_trip(ctx, domain, pairs, policy_args):
    names = "".join(name + "\n" for _, name in pairs)
    result = ctx.run("check", "--json", *policy_args, stdin=names, timeout=600)
    expect_code(result, 1)
    objects = json_lines(result)
    expect(len(objects) == len(pairs), "one check result per variant", result)
    wrong = [(technique, obj) for (technique, _), obj in zip(pairs, objects)
             if obj["verdict"] != "look-alike" or obj["protected"] != domain
             or obj["technique"] != technique]
    expect(not wrong, f"{len(wrong)} of {len(pairs)} variants of {domain} do not classify back; "
                      f"first ones:\n" + "\n".join(f"  expected {t}: {o}" for t, o in wrong[:10]))


def test_variants_roundtrip(ctx):
    result = ctx.run("variants", "army.mil")
    expect_code(result, 0)
    pairs = parse_variants(result)
    expect(len(pairs) > 50, f"army.mil has only {len(pairs)} variants", result)
    expect(len({name for _, name in pairs}) == len(pairs), "variants must not repeat", result)
    expect(("suffix-typo", "army.ml") in pairs, "army.ml must be a suffix-typo variant", result)
    techniques = {technique for technique, _ in pairs}
    print(f"variants army.mil: {len(pairs)} names, techniques: {', '.join(sorted(techniques))}")
    round_trip(ctx, "army.mil", pairs, [])

    again = ctx.run("variants", "army.mil")
    expect(again.out == result.out, "variants must be deterministic", again)

    result = ctx.run("variants", "--technique", "suffix-typo", "army.mil")
    expect_code(result, 0)
    only = parse_variants(result)
    expect(only and all(t == "suffix-typo" for t, _ in only),
           "--technique suffix-typo lists only suffix-typos", result)
    expect(("suffix-typo", "army.ml") in only, "army.ml is a suffix-typo of army.mil", result)

    result = ctx.run("variants", "--json", "--technique", "omission", "army.mil")
    expect_code(result, 0)
    objects = [json.loads(line) for line in result.out.splitlines()]
    expect(objects and all(set(o) == {"technique", "name"} and o["technique"] == "omission"
                           for o in objects), "--json gives {technique, name} objects", result)

    # A domain the default policy does not protect is protected on its own.
    result = ctx.run("variants", "gmail.com")
    expect_code(result, 0)
    pairs = parse_variants(result)
    expect(("suffix-typo", "gmail.om") in pairs, "gmail.om is a suffix-typo of gmail.com", result)
    with tempfile.TemporaryDirectory() as tmp:
        protect = Path(tmp) / "protect.txt"
        protect.write_text("gmail.com\n")
        round_trip(ctx, "gmail.com", pairs, ["--protect-file", str(protect)])

    # Protected on its own, a domain gets the YANG module's defaults, exactly as a policy file
    # that names it and nothing else: abc.com's three-letter label gets no label edits.
    alone = ctx.run("variants", "abc.com")
    expect_code(alone, 0)
    with tempfile.TemporaryDirectory() as tmp:
        policy = Path(tmp) / "abc.json"
        policy.write_text(json.dumps(
            {"typoguard:policy": {"protected-domain": [{"name": "abc.com"}]}}))
        from_file = ctx.run("variants", "--policy", str(policy), "abc.com")
    expect_code(from_file, 0)
    expect(alone.out == from_file.out,
           f"variants abc.com without a policy ({len(alone.out.splitlines())} names) must equal "
           f"a policy of abc.com alone ({len(from_file.out.splitlines())} names)", alone)
    expect(("omission", "ab.com") not in parse_variants(alone),
           "a label shorter than short-label-length gets no omission", alone)


# --- rpz -----------------------------------------------------------------------------------

def rpz_policy_args(ctx):
    dod = ctx.policy("dod.json")
    return ["--policy", str(dod)] if dod.exists() else []


def rpz_records(text):
    """(owner, type, rdata) of every record line of a zone written by `typoguard rpz`."""
    records = []
    for line in text.splitlines():
        if not line or line.startswith((";", "$")):
            continue
        fields = line.split()
        if fields[1] == "IN":
            fields.pop(1)
        records.append((fields[0], fields[1], " ".join(fields[2:])))
    return records


def test_rpz_zone(ctx):
    args = rpz_policy_args(ctx)
    result = ctx.run("rpz", *args)
    expect_code(result, 0)
    again = ctx.run("rpz", *args)
    expect(again.out == result.out, "the zone must be the same on every run", again)
    records = rpz_records(result.out)
    expect(records[0][:2] == ("@", "SOA") and records[1][:2] == ("@", "NS"),
           "the zone starts with SOA and NS at the apex", result)
    owners = [owner for owner, _, _ in records[2:]]
    expect(len(owners) == len(set(owners)), "every owner appears once", result)
    cname = {owner: rdata for owner, rtype, rdata in records[2:] if rtype == "CNAME"}
    expect(len(cname) == len(records) - 2, "every trigger is a CNAME", result)
    for owner, target in [("army.ml", "."), ("*.army.ml", ".")]:
        expect(cname.get(owner) == target, f"expected '{owner} CNAME {target}'", result)
    for owner, target in cname.items():
        if not owner.startswith("*."):
            expect(cname.get("*." + owner) == target, f"{owner} needs a wildcard twin", result)
    print(f"rpz: {len(cname)} CNAME triggers")

    with tempfile.TemporaryDirectory() as tmp:
        zone = Path(tmp) / "typoguard.rpz"
        zone.write_text(result.out)
        if shutil.which("ldns-read-zone"):
            check = subprocess.run(["ldns-read-zone", "-q", str(zone)], capture_output=True,
                                   text=True, timeout=TIMEOUT)
            expect(check.returncode == 0, f"ldns-read-zone rejects the zone:\n{check.stderr}")

    result = ctx.run("rpz", *args, "--origin", "policy.example.", "--serial", "42")
    expect_code(result, 0)
    expect("$ORIGIN policy.example.\n" in result.out, "--origin sets $ORIGIN", result)
    expect(rpz_records(result.out)[0][2].split()[2] == "42", "--serial sets the serial", result)


class Dig:
    def __init__(self, port):
        self.port = port

    def query(self, name, rtype="A"):
        argv = ["dig", "@127.0.0.1", "-p", str(self.port), "+time=2", "+tries=1", "+noall",
                "+comments", "+answer", name, rtype]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        status = re.search(r"status: ([A-Z]+)", proc.stdout)
        answers = [line.split()[-1] for line in proc.stdout.splitlines()
                   if line and not line.startswith(";") and len(line.split()) >= 5
                   and line.split()[3] == rtype]
        return (status.group(1) if status else None), answers, proc.stdout


UNBOUND_CONF = """\
server:
    interface: 127.0.0.1
    port: {port}
    do-ip6: no
    chroot: ""
    username: ""
    directory: "{tmp}"
    pidfile: "{tmp}/unbound.pid"
    use-syslog: no
    logfile: "{tmp}/unbound.log"
    log-time-ascii: yes
    verbosity: 1
    num-threads: 1
    so-reuseport: no
    do-not-query-localhost: no
    module-config: "respip validator iterator"
    access-control: 127.0.0.0/8 allow
    local-zone: "example.test." static
    local-data: "ok.example.test. A 192.0.2.1"
{extra}
rpz:
    name: "typoguard.rpz"
    zonefile: "{tmp}/typoguard.rpz"
    rpz-log: yes
    rpz-log-name: "typoguard"
"""


def test_rpz_unbound(ctx):
    unbound = shutil.which("unbound") or ("/usr/sbin/unbound"
                                          if os.access("/usr/sbin/unbound", os.X_OK) else None)
    if not unbound or not shutil.which("dig"):
        if os.environ.get("CI"):
            raise Failure("unbound and dig must be installed in CI (.ci/run installs them)")
        raise Skip("unbound or dig is not installed (apt-get install unbound bind9-dnsutils)")

    rpz = ctx.run("rpz", *rpz_policy_args(ctx))
    expect_code(rpz, 0)
    records = rpz_records(rpz.out)
    blocked = {owner for owner, rtype, rdata in records if rtype == "CNAME" and rdata == "."}
    passthru = sorted(owner for owner, rtype, rdata in records
                      if rtype == "CNAME" and rdata == "rpz-passthru." and "*" not in owner)
    expect("army.ml" in blocked, "the zone must block army.ml", rpz)

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "typoguard.rpz").write_text(rpz.out)
        # An allow-listed name answered locally, so passthru is tested without the internet.
        extra = ""
        if passthru:
            extra = (f'    local-zone: "{passthru[0]}." static\n'
                     f'    local-data: "{passthru[0]}. A 192.0.2.2"\n')
        conf = Path(tmp, "unbound.conf")
        log = Path(tmp, "unbound.log")
        for attempt in range(3):
            port = free_port()
            conf.write_text(UNBOUND_CONF.format(port=port, tmp=tmp, extra=extra))
            checkconf = shutil.which("unbound-checkconf") or "/usr/sbin/unbound-checkconf"
            if os.access(checkconf, os.X_OK):
                check = subprocess.run([checkconf, str(conf)], capture_output=True, text=True,
                                       timeout=30)
                expect(check.returncode == 0, f"unbound-checkconf rejects the config:\n"
                                              f"{check.stdout}{check.stderr}")
            server = start_unbound(unbound, conf)
            try:
                ready = wait_ready(server, Dig(port))
                if ready is None and attempt < 2:
                    continue  # the port was taken meanwhile: try another one
                expect(ready, "unbound did not answer within 30 s:\n" + read_tail(log))
                check_answers(Dig(port), log, blocked, passthru)
                return
            finally:
                stop(server)
        raise Failure("unbound did not start:\n" + read_tail(log))


def wait_ready(server, dig):
    """True once Unbound answers; None if it exited (e.g. port taken); False on time-out."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return None
        status, _, _ = dig.query("ok.example.test")
        if status == "NOERROR":
            return True
        time.sleep(0.2)
    return False


def check_answers(dig, log, blocked, passthru):
    status, answers, text = dig.query("ok.example.test")
    expect(status == "NOERROR" and answers == ["192.0.2.1"],
           f"ok.example.test must answer 192.0.2.1:\n{text}")

    for name in ["army.ml", "mail.army.ml"]:
        status, _, text = dig.query(name)
        expect(status == "NXDOMAIN", f"{name} must be NXDOMAIN by the RPZ:\n{text}\n{read_tail(log)}")
    # A homoglyph and a label typo, when the zone has them.
    for name in ["xn--rmy-5cd.mil", "amry.mil", "arrny.mil"]:
        if name in blocked:
            status, _, text = dig.query(name, "MX")
            expect(status == "NXDOMAIN", f"{name} MX must be NXDOMAIN:\n{text}")
    if "ml" in blocked:
        status, _, text = dig.query("anything-at-all.ml")
        expect(status == "NXDOMAIN", f"a name under the blocked .ml must be NXDOMAIN:\n{text}")
    if passthru:
        status, answers, text = dig.query(passthru[0])
        expect(status == "NOERROR" and answers == ["192.0.2.2"],
               f"allow-listed {passthru[0]} must pass:\n{text}\n{read_tail(log)}")

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if re.search(r"rpz: applied \[typoguard\] army\.ml\. rpz-nxdomain", read_tail(log)):
            break
        time.sleep(0.2)
    expect(re.search(r"rpz: applied \[typoguard\] army\.ml\. rpz-nxdomain", read_tail(log)),
           "the Unbound log must show 'rpz: applied [typoguard] army.ml. rpz-nxdomain':\n"
           + read_tail(log))
    print("rpz-unbound: army.ml and mail.army.ml NXDOMAIN by RPZ, ok.example.test 192.0.2.1"
          + (f", {passthru[0]} passed" if passthru else ""))


# --- main ----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--typoguard", required=True, help="the typoguard binary")
    parser.add_argument("--source-dir", required=True, help="the source tree")
    parser.add_argument("test", help="test name, e.g. check-text")
    args = parser.parse_args()
    test = globals().get("test_" + args.test.replace("-", "_"))
    if test is None:
        print(f"unknown test {args.test}", file=sys.stderr)
        return 2
    try:
        test(Context(args.typoguard, args.source_dir))
    except Skip as skip:
        print(f"SKIPPED {args.test}: {skip}")
        return SKIP
    except Failure as failure:
        print(f"FAILED {args.test}: {failure}")
        return 1
    except subprocess.TimeoutExpired as timeout:
        print(f"FAILED {args.test}: timed out: {timeout}")
        return 1
    print(f"PASSED {args.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
